"""Background work for accounts and HR imports. Tasks take primary keys and are idempotent: a job that has
moved on (checked, applied) is left alone when a task runs again."""

from django_tasks import task

from . import actions
from .models import ImportJob, User


@task()
def refresh_eligibility(actor_id=None):
    """Re-evaluate every HR record against the current rules (idempotent); `actor_id`: who changed them."""
    actions.do_refresh_eligibility(actor=User.objects.filter(pk=actor_id).first() if actor_id else None)


def _run(job_id, step):
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return
    try:
        step(job)
    except Exception:
        # Re-read: a rolled-back apply leaves the in-memory job half-changed. A job that reached DONE
        # (the error came from sending invitations afterwards) keeps its state: its data was applied.
        job = ImportJob.objects.get(pk=job_id)
        if job.status in (ImportJob.Status.QUEUED, ImportJob.Status.VALIDATING, ImportJob.Status.APPLYING):
            actions.do_finish_import(job, ImportJob.Status.FAILED)
        raise


@task()
def check_import(job_id):
    _run(job_id, actions.do_check_import)


@task()
def apply_import(job_id, actor_id):
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    _run(job_id, lambda job: actions.do_apply_import(actor, job))


@task()
def run_invitation_batch(batch_id):
    actions.do_run_invitation_batch(batch_id)
