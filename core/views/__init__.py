"""The kernel's pages: accounts, administration and the audit trail."""
