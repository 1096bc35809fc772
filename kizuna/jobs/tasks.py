"""Background work of the jobs app. Tasks take primary keys and are safe to run again."""

from django_tasks import task

from . import actions


@task()
def notify_new_posting(posting_id):
    actions.do_notify_new_posting(posting_id)
