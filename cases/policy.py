"""Who may see the lawsuits register: everyone who reads the office's registers."""

from __future__ import annotations

from core.policy import READERS, Policy

policy = Policy("cases")

READ = policy.allow("read", READERS)
