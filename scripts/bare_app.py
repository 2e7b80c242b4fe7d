"""The yardstick for `make bench`: a bare Flask page rendering a 50-row Jinja table.

Served by gunicorn beside Counsel in the same run, so every page's throughput can be read as a
share of what Flask itself does on this machine.
"""

from flask import Flask, render_template_string

app = Flask(__name__)

ROWS = [
    {"id": n, "name": f"顾问{n:05d}", "organisation": "单位", "rate": n % 100} for n in range(50)
]
PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>bare</title></head>
<body><table><thead><tr><th>#</th><th>姓名</th><th>单位</th><th>出勤率</th></tr></thead><tbody>
{% for row in rows %}<tr><td>{{ row.id }}</td><td>{{ row.name }}</td><td>{{ row.organisation }}</td>
<td>{{ row.rate }}%</td></tr>{% endfor %}</tbody></table></body></html>"""


@app.route("/bare")
def bare():
    return render_template_string(PAGE, rows=ROWS)
