"""Pages of consultations: matters and their work, opinions, activities."""

from flask import Blueprint, url_for
from flask_babel import lazy_gettext as _l

from consultations import services
from consultations.models import Activity, Matter
from core import voiding

bp = Blueprint("consultations", __name__)

from consultations.views import activities, assignment, matters, opinions, work  # noqa: E402, F401


def register_void_kinds() -> None:
    """Let the office void a request or an activity entered by mistake."""
    voiding.register(
        voiding.VoidKind(
            name="matter",
            model=Matter,
            label=_l("Matter"),
            describe=lambda m: f"{m.reference} · {m.title}",
            void=services.void_matter,
            restore=services.restore_matter,
            link=lambda m: url_for("consultations.matter", matter_id=m.id),
        )
    )
    voiding.register(
        voiding.VoidKind(
            name="activity",
            model=Activity,
            label=_l("Activity"),
            describe=lambda a: f"{a.title} · {a.held_on.isoformat()}",
            void=services.void_activity,
            restore=services.restore_activity,
            link=lambda a: url_for("consultations.activity", activity_id=a.id),
        )
    )
