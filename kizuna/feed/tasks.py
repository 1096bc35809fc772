"""Background work of the feed. Tasks take primary keys and are safe to run twice."""

from django_tasks import task

from . import actions


@task()
def publish_post(post_id):
    """A scheduled announcement or story at its time (housekeeping publishes any a worker missed)."""
    actions.do_publish(post_id)


@task()
def notify_published(post_id):
    actions.do_notify_published(post_id)


@task()
def refresh_ranking_keys():
    """After HR changed the visibility rules: the "for you" keys of every author's posts, checked again."""
    actions.do_refresh_all_ranking_keys()
