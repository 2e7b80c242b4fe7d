"""What the panel package tells the packages above it, without knowing who listens."""

from blinker import Namespace

_signals = Namespace()

#: sent with the term when it is ended early (resignation, dismissal) or on expiry; the
#: evaluation package closes the dismissal cases that no longer apply
term_ended = _signals.signal("term-ended")
