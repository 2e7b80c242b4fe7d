"""Who may read the dashboards and reports: everyone who reads the office's registers."""

from __future__ import annotations

from core.policy import READERS, Policy

policy = Policy("reports")

READ = policy.allow("read", READERS)
