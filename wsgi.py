"""The WSGI entry point: the only module that builds the application at import time.

A WSGI server (gunicorn) refuses to start on a database whose schema is not the code's; the
`flask` commands, which load the application from here too (FLASK_APP=wsgi.py), do not ask,
so `flask db upgrade` can bring the schema up to date.
"""

import os

from core import create_app
from core.schema import require_current_schema

app = create_app()

if os.environ.get("FLASK_RUN_FROM_CLI") != "true":
    require_current_schema(app)
