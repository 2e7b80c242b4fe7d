"""What the meetings package tells the packages above it, without knowing who listens."""

from blinker import Namespace

_signals = Namespace()

#: sent with the meeting, `adviser_ids` whose attendance changed, and `day` (today);
#: the evaluation package re-checks the dismissal rule for them
attendance_changed = _signals.signal("attendance-changed")
