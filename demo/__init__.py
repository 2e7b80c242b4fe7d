"""Demo data for every package (`flask demo load`), and synthetic data for benchmarks."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Register `flask demo`."""
    from demo.cli import demo_cli

    app.cli.add_command(demo_cli)
