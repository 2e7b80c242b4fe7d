"""Panel meetings, leave, attendance and the dismissal rule (seed 六.1 and 六.4)."""
