"""Pages of the lawsuits register; the register itself arrives with its own issue."""

from flask import Blueprint, render_template

from core.auth import READERS, roles_required

bp = Blueprint("cases", __name__, url_prefix="/cases")


@bp.route("/")
@roles_required(*READERS)
def index():
    """The lawsuits register (empty until lawsuits can be registered)."""
    return render_template("cases/index.html")
