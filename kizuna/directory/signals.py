"""Keeps the index in step with what it is built from.

Members' own changes are re-indexed in the same transaction (a value a member hides is unsearchable
the moment the change commits). Changes that touch many members at once go to a background task:
visibility rules through the generation counter (stale entries are left out of searches until done),
renamed companies and departments (no privacy impact) as a plain re-index of the members concerned.
"""

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from kizuna.core.models import Department, GroupCompany, NetworkSettings
from kizuna.members.changes import profile_changed, profile_rules_changed
from kizuna.members.models import State, User

from . import index, tasks
from .models import Entry

# User fields an entry is built from; saving only other fields (last_login, …) needs no re-index.
INDEXED_USER_FIELDS = {"state", "role", "name", "name_kana", "company", "department", "joined_on", "left_on",
                       "activated_at"}


@receiver(post_delete, sender=Entry)
def forget_grams(sender, instance, **kwargs):
    with connection.cursor() as cursor:
        index.backend().remove(cursor, [instance])


@receiver(post_save, sender=User)
def user_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and not INDEXED_USER_FIELDS & set(update_fields)):
        return
    if instance.state != State.ACTIVE:
        # Invitations, applications and sign-ups save many accounts that were never listed: one query.
        Entry.objects.filter(member_id=instance.pk).delete()
        return
    index.reindex_members([instance.pk])


@receiver(profile_changed)
def profiles_changed(sender, member_ids, **kwargs):
    index.reindex_members(member_ids)


@receiver(profile_rules_changed)
def rules_changed(sender, **kwargs):
    NetworkSettings.objects.get_or_create(pk=1)
    NetworkSettings.objects.filter(pk=1).update(profile_rules_version=F("profile_rules_version") + 1)
    transaction.on_commit(lambda: cache.delete(NetworkSettings.CACHE_KEY))
    transaction.on_commit(tasks.reindex_stale.enqueue)


def _reindex_later(members):
    ids = list(members.values_list("pk", flat=True).distinct())
    if ids:
        transaction.on_commit(lambda: tasks.reindex_members.enqueue(ids))


@receiver(post_save, sender=GroupCompany)
@receiver(pre_delete, sender=GroupCompany)
def company_changed(sender, instance, created=False, **kwargs):
    if not created:
        _reindex_later(User.objects.filter(Q(company=instance) | Q(career__company=instance)))


@receiver(post_save, sender=Department)
@receiver(pre_delete, sender=Department)
def department_changed(sender, instance, created=False, **kwargs):
    if not created:
        # Sub-departments' paths (and facets) hang off this one too.
        tree = Department.objects.filter(Q(pk=instance.pk) | Q(path__startswith=f"{instance.path}/"))
        _reindex_later(User.objects.filter(Q(department__in=tree) | Q(career__department__in=tree)))
