"""Who may see and change the working-day calendar: the administrator keeps it, the office and
the leadership read it (every user's due dates are counted on it without reading this page)."""

from __future__ import annotations

from core.models import Role
from core.policy import ADMIN, Policy

policy = Policy("core")

READ_HOLIDAYS = policy.allow("read_holidays", ADMIN | {Role.OFFICE, Role.VIEWER})
MANAGE_HOLIDAYS = policy.allow("manage_holidays", ADMIN)
