"""Demo consultations: a year of matters of every kind and state, through the services.

`matters` holds what each department asked and how far each matter goes, `texts` the words of
the opinions, and `loader` plays the year back day by day with the demo's people as actors.
"""

from demo.consultations.loader import MORE_USERS, load_consultations

__all__ = ["MORE_USERS", "load_consultations"]
