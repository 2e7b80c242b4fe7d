"""The adviser panel: advisers, terms, appointment letters, meetings and attendance."""

from flask import Flask

from advisers.views import bp


def init_app(app: Flask) -> None:
    """Register the panel's pages, commands and scheduled jobs."""
    from advisers import jobs
    from advisers.cli import demo_cli
    from advisers.meetings import jobs as meeting_jobs
    from advisers.meetings.models import mark_label
    from advisers.meetings.views import bp as meetings_bp
    from advisers.models import Category, Post
    from advisers.rules import renewal_start

    jobs.register_jobs()
    meeting_jobs.register_jobs()
    app.register_blueprint(bp)
    app.register_blueprint(meetings_bp)
    app.add_template_global(Category.choices, "category_choices")
    app.add_template_global(Post.choices, "post_choices")
    app.add_template_global(renewal_start)
    app.add_template_filter(mark_label)
    app.cli.add_command(demo_cli)
