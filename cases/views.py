"""Pages of the lawsuits register; the register itself arrives with its own issue."""

from flask import Blueprint, render_template

from cases.policy import READ
from core.policy import requires

bp = Blueprint("cases", __name__, url_prefix="/cases")


@bp.route("/")
@requires(READ)
def index():
    """The lawsuits register (empty until lawsuits can be registered)."""
    return render_template("cases/index.html")
