"""Background re-indexing. Tasks take ids, and re-indexing a member twice gives the same entries."""

from django_tasks import task

from . import index


@task()
def reindex_members(member_ids):
    index.reindex_members(member_ids)


@task()
def reindex_stale():
    index.reindex_stale()
