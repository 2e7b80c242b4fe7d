// Counsel: behaviour that the Content-Security-Policy allows (no inline scripts).
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form && event.target.matches("select")) form.submit();
});
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("chart-data");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const bars = (id, series, color) => {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: series.labels,
        datasets: [{ data: series.values, backgroundColor: color }],
      },
      options: { animation: false, plugins: { legend: { display: false } }, scales: { y: { min: 0, max: 100 } } },
    });
  };
  bars("chart-by-meeting", data.byMeeting, "#0d6efd");
  bars("chart-by-adviser", data.byAdviser, "#198754");
});
