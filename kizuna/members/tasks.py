from django_tasks import task

from . import actions


@task()
def refresh_eligibility():
    """Re-evaluate every HR record against the current rules (idempotent)."""
    actions.do_refresh_eligibility()
