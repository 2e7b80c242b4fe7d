"""How the reward fund and the nominations read in the audit trail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.audit import Page, describe
from evaluation.rewards.models import RewardFund, RewardNomination, RewardStatus


def register() -> None:
    describe(
        RewardFund,
        _l("Reward fund"),
        display_name=lambda shown: str(shown["year"]),
        fields={
            "year": _l("Year"),
            "amount": _l("The year's fund (yuan)"),
            "note": _l("Where it comes from"),
            "set_at": _l("Set at"),
        },
        quiet=frozenset({"id", "version"}),
        page=Page("rewards.rewards"),
    )
    describe(
        RewardNomination,
        _l("Reward nomination"),
        display_name=lambda shown: f"{shown['adviser_id']} {shown['year']}",
        fields={
            "year": _l("Year"),
            "adviser_id": _l("Adviser"),
            "justification": _l("Why the adviser is rewarded"),
            "status": _l("Status"),
            "nominated_on": _l("Nominated on"),
            "nominated_by_id": _l("Nominated by"),
            "approved_on": _l("Government approved on"),
            "approval_doc_no": _l("Approval document number"),
            "amount": _l("Amount (yuan)"),
            "paid_on": _l("Paid on"),
            "payment_ref": _l("Voucher or transfer reference"),
            "withdrawn_reason": _l("Why the nomination is withdrawn"),
        },
        quiet=frozenset({"id", "version"}),
        parent="adviser_id",
        page=Page("rewards.nomination", "reward_id", "id"),
        transitions={
            ("status", RewardStatus.PAID.value): _l("paid the %(year)s reward of %(adviser_id)s"),
        },
    )
