"""Who may read the dashboards and reports: everyone who reads the office's registers; the
lawsuits report, those who read every case (the office, the leaders, the administrator)."""

from __future__ import annotations

from cases.policy import ALL_CASES
from core.models import Role
from core.policy import READERS, Policy

policy = Policy("reports")

READ = policy.allow("read", READERS)
CASES = policy.allow("cases", ALL_CASES)
#: the reports page and the yearly report: the office, the leaders and the administrator
OVERVIEW = policy.allow("overview", ALL_CASES)
#: the leaders' own home page: their first menu entry
LEAD = policy.allow("lead", {Role.VIEWER})
