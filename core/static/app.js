// Counsel: behaviour that the Content-Security-Policy allows (no inline scripts).
// A page that answers a sent form (one refused, shown again with its errors) becomes a plain
// address in the history: Back and Forward then load it again instead of failing with
// ERR_CACHE_MISS or asking to send the form a second time.
if (document.querySelector('meta[name="counsel-posted"]')) {
  window.history.replaceState(window.history.state, "", window.location.href);
}
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
// Charts: each <canvas data-chart="key"> draws data[key] from the page's #chart-data. By
// default counts, one series or several stacked ({labels, series: [{label, values, colour}]});
// with data-chart-kind="percent", one series of rates from 0 to 100 ({labels, values}) in the
// colour data-chart-colour names.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("chart-data");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  // the bars take the office's colours from app.css, so that they match the page
  const colour = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  const percent = (chart, canvas) => ({
    type: "bar",
    data: {
      labels: chart.labels,
      datasets: [{ data: chart.values, backgroundColor: colour(canvas.dataset.chartColour || "--bs-primary") }],
    },
    options: { animation: false, plugins: { legend: { display: false } }, scales: { y: { min: 0, max: 100 } } },
  });
  const counts = (chart) => ({
    type: "bar",
    data: {
      labels: chart.labels,
      datasets: chart.series.map((s) => ({ label: s.label, data: s.values, backgroundColor: colour(s.colour) })),
    },
    options: {
      animation: false,
      plugins: {
        legend: { display: chart.series.length > 1 },
        tooltip: { callbacks: { title: (items) => (chart.titles || chart.labels)[items[0].dataIndex] } },
      },
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const chart = data[canvas.dataset.chart];
    if (!chart) return;
    const kind = canvas.dataset.chartKind === "percent" ? percent : counts;
    new window.Chart(canvas, kind(chart, canvas));
  });
});
// The meeting form's invitees follow its date: who serves on the day chosen, fetched anew.
document.addEventListener("change", async (event) => {
  const form = event.target.closest("form[data-invitees-url]");
  if (!form || event.target.name !== "starts_at" || !event.target.value) return;
  const day = event.target.value.slice(0, 10);
  const response = await fetch(`${form.dataset.inviteesUrl}?day=${encodeURIComponent(day)}`, {
    headers: { Accept: "application/json" },
  });
  if (!response.ok) return;
  const { invitees } = await response.json();
  const list = form.querySelector(".invitee-list");
  const ticked = new Set(
    [...list.querySelectorAll("input[name=invitees]")].filter((box) => box.checked).map((box) => box.value),
  );
  const shown = new Set([...list.querySelectorAll("input[name=invitees]")].map((box) => box.value));
  list.replaceChildren();
  if (!invitees.length) {
    const empty = document.createElement("p");
    empty.className = "text-muted mb-0";
    empty.textContent = list.dataset.empty;
    list.append(empty);
  }
  invitees.forEach(({ id, name }) => {
    const value = String(id);
    const item = document.createElement("div");
    item.className = "form-check";
    const box = document.createElement("input");
    Object.assign(box, { type: "checkbox", name: "invitees", value, id: `invitees-${value}`, className: "form-check-input" });
    // everyone newly serving is ticked, as on a new meeting; earlier choices are kept
    box.checked = shown.has(value) ? ticked.has(value) : true;
    const label = document.createElement("label");
    Object.assign(label, { htmlFor: box.id, className: "form-check-label", textContent: name });
    item.append(box, " ", label);
    list.append(item);
  });
});
