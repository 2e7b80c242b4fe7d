"""Pages of the lawsuits register; the register itself arrives with its own issue."""

from flask import Blueprint, render_template

from core.auth import roles_required
from core.models import Role

bp = Blueprint("cases", __name__, url_prefix="/cases")


@bp.route("/")
@roles_required(Role.ADMIN, Role.OFFICE, Role.VIEWER, Role.LIAISON)
def index():
    """The lawsuits register (empty until lawsuits can be registered)."""
    return render_template("cases/index.html")
