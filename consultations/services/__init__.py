"""Every write about consultations: intake, assignment, opinions, adoption, the work log and
activities. Services take the actor, check the policy, flush, never commit, and raise
DomainError with a message fit for the screen."""

from consultations.services.activities import (
    record_activity,
    restore_activity,
    update_activity,
    void_activity,
)
from consultations.services.assignment import answer_assignment, assign, withdraw_assignment
from consultations.services.intake import (
    accept_matter,
    add_files,
    request_matter,
    restore_matter,
    return_matter,
    update_matter,
    void_matter,
)
from consultations.services.opinions import (
    comment_on,
    forward_opinion,
    record_adoption,
    save_draft,
    start_correction,
    submit_opinion,
)
from consultations.services.worklog import log_work

__all__ = [
    "accept_matter",
    "add_files",
    "answer_assignment",
    "assign",
    "comment_on",
    "forward_opinion",
    "log_work",
    "record_activity",
    "record_adoption",
    "request_matter",
    "restore_activity",
    "restore_matter",
    "return_matter",
    "save_draft",
    "start_correction",
    "submit_opinion",
    "update_activity",
    "update_matter",
    "void_activity",
    "void_matter",
    "withdraw_assignment",
]
