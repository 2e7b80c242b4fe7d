"""Who is away when: packages above the panel tell what keeps an adviser away on which days.

The panel cannot import the packages above it, so they register providers here (meetings
registers approved leave); consultations ask before suggesting an adviser for a matter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date

#: provider(adviser_ids, first_day, last_day) -> {adviser_id: [short label, ...]}
Provider = Callable[[list[int], date, date], dict[int, list[str]]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    """Add a source of absences (once per process)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def absences(adviser_ids: Iterable[int], first_day: date, last_day: date) -> dict[int, list[str]]:
    """What keeps each adviser away between the two days, from every registered source."""
    ids = list(adviser_ids)
    found: dict[int, list[str]] = defaultdict(list)
    if not ids or last_day < first_day:
        return found
    for provider in _PROVIDERS:
        for adviser_id, labels in provider(ids, first_day, last_day).items():
            found[adviser_id].extend(labels)
    return found
