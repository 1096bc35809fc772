"""Background work of events. Tasks take primary keys and are safe to run twice."""

from django_tasks import task

from . import actions


@task()
def send_event_reminders(event_id):
    actions.do_send_event_reminders(event_id)
