"""Nightly job of the evaluation: judge every serving adviser against the dismissal rule."""

from __future__ import annotations

from datetime import date

from core.scheduler import register_job
from evaluation import services


def evaluate_dismissal_rule(today: date) -> str:
    """Judge every serving adviser against the dismissal rule."""
    return f"raised {len(services.evaluate_advisers(None, today))} candidate(s)"


def register_jobs() -> None:
    register_job("evaluate_dismissal_rule", evaluate_dismissal_rule, hour=1, minute=0)
