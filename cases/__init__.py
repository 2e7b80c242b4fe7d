"""Lawsuits involving the government, lawyer teams, hearings and deadlines."""

from flask import Flask

from cases.views import bp


def init_app(app: Flask) -> None:
    """Register the cases pages."""
    app.register_blueprint(bp)
