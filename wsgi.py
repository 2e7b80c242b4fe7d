"""The WSGI entry point: the only module that builds the application at import time."""

from core import create_app

app = create_app()
