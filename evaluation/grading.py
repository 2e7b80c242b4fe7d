"""The yearly evaluation's scheme as pure code: weights, thresholds, a score and a grade.
No database, no Flask.

The office weighs four rates of the year's evidence, each from 0 to 100:
- **attendance**: meetings attended of those attended or missed without excuse;
- **answered**: assignments accepted of those accepted, declined (not for a declared conflict)
  or left unanswered;
- **on time**: opinions delivered on time of those delivered, on the matters the adviser led;
- **adoption**: opinions adopted in whole or in part of those whose adoption is recorded.

The weights are whole percentages adding up to 100. A rate with nothing under it (no meeting,
no opinion) is left out and the others are weighed up to 100 again, so an adviser is neither
rewarded nor punished for work never asked of them. With no rate at all there is no score.
The score is compared with the thresholds exactly, and rounded to one decimal only to show.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


class Grade(enum.StrEnum):
    EXCELLENT = "excellent"  # 优秀
    COMPETENT = "competent"  # 称职
    BASIC = "basic"  # 基本称职
    INCOMPETENT = "incompetent"  # 不称职


#: the rates the scheme weighs, in the order they are shown
PARTS = ("attendance", "answered", "on_time", "adoption")


@dataclass(frozen=True)
class Scheme:
    """Weights (whole percentages) and the lowest score of each grade above 不称职."""

    attendance: int = 40
    answered: int = 20
    on_time: int = 20
    adoption: int = 20
    excellent: int = 90
    competent: int = 75
    basic: int = 60

    def weights(self) -> dict[str, int]:
        return {part: getattr(self, part) for part in PARTS}


class SchemeProblem(enum.StrEnum):
    WEIGHT_RANGE = "weight_range"
    WEIGHTS_TOTAL = "weights_total"
    THRESHOLD_RANGE = "threshold_range"
    THRESHOLD_ORDER = "threshold_order"


def scheme_problems(scheme: Scheme) -> list[tuple[str, SchemeProblem]]:
    """What is wrong with a scheme, as (field, problem); empty when it can be used."""
    problems = [
        (part, SchemeProblem.WEIGHT_RANGE)
        for part, weight in scheme.weights().items()
        if not 0 <= weight <= 100
    ]
    if not problems and sum(scheme.weights().values()) != 100:
        problems.append(("attendance", SchemeProblem.WEIGHTS_TOTAL))
    thresholds = (("excellent", scheme.excellent), ("competent", scheme.competent),
                  ("basic", scheme.basic))  # fmt: skip
    ranged = [(name, SchemeProblem.THRESHOLD_RANGE) for name, v in thresholds if not 0 < v <= 100]
    problems.extend(ranged)
    if not ranged and not scheme.excellent > scheme.competent > scheme.basic:
        problems.append(("competent", SchemeProblem.THRESHOLD_ORDER))
    return problems


def score(rates: Mapping[str, Decimal | None], scheme: Scheme) -> Decimal | None:
    """The weighted mean of the rates that have something under them; None when none has."""
    weighed = [(scheme.weights()[part], rates.get(part)) for part in PARTS]
    weighed = [(weight, rate) for weight, rate in weighed if rate is not None and weight]
    total = sum(weight for weight, _rate in weighed)
    if not total:
        return None
    return sum(Decimal(weight) * Decimal(rate) for weight, rate in weighed) / Decimal(total)


def shown(value: Decimal | None) -> Decimal | None:
    """A score or rate as the page shows it: one decimal, halves rounded up."""
    return None if value is None else value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def grade_for(value: Decimal | None, scheme: Scheme) -> Grade | None:
    """The grade a score earns under the scheme; None without a score (the office decides)."""
    if value is None:
        return None
    if value >= scheme.excellent:
        return Grade.EXCELLENT
    if value >= scheme.competent:
        return Grade.COMPETENT
    if value >= scheme.basic:
        return Grade.BASIC
    return Grade.INCOMPETENT


def rate(part: int, whole: int) -> Decimal | None:
    """An exact percentage; None when there is nothing to share."""
    return None if not whole else Decimal(part) * 100 / Decimal(whole)
