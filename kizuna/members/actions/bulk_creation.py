"""Bulk creation of prepared accounts and HR records (seed and demo data)."""

import itertools
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from kizuna.core.actions import audit
from kizuna.core.models import NetworkSettings
from kizuna.core.text import normalize

from .. import eligibility
from ..models import Application, LeaverRecord, State, User
from .accounts import _set_name


@dataclass
class NewMember:
    """An account prepared in memory for do_bulk_create_members, with its HR record or application."""

    user: User
    record: LeaverRecord | None = None
    application: Application | None = None


def _batches(iterable, size):
    iterator = iter(iterable)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _prepare_record(record, rules):
    record.name_key, record.kana_key = normalize(record.name), normalize(record.name_kana)
    record.eligible = eligibility.evaluate(record, rules).eligible
    return record


def do_bulk_create_members(entries, *, email_verified=False, actor=None, batch_size=5000):
    """Insert many prepared accounts at once (seed and demo data); returns (members, records) created.

    Each entry's user needs email, role, state and a password hash already set (callers share one
    precomputed hash: hashing every password would take hours for a large network). Name keys,
    activation time, record eligibility and the links between rows are filled in here. All or nothing.
    """
    rules = NetworkSettings.load()
    now = timezone.now()
    members = records = 0
    with transaction.atomic():
        for batch in _batches(entries, batch_size):
            for entry in batch:
                user = entry.user
                _set_name(user, user.name, user.name_kana)
                if user.state == State.ACTIVE and user.activated_at is None:
                    user.activated_at = now
                if not user.guidelines_version:
                    # They stand for people who joined the usual way, accepting the guidelines and the notice.
                    user.guidelines_version, user.privacy_accepted_at = rules.guidelines_version, now
            User.objects.bulk_create([entry.user for entry in batch], batch_size=batch_size)
            linked, applications = [], []
            for entry in batch:
                if entry.record is not None:
                    entry.record.member = entry.user
                    linked.append(_prepare_record(entry.record, rules))
                if entry.application is not None:
                    entry.application.user = entry.user
                    applications.append(entry.application)
            LeaverRecord.objects.bulk_create(linked, batch_size=batch_size)
            Application.objects.bulk_create(applications, batch_size=batch_size)
            if email_verified:
                EmailAddress.objects.bulk_create(
                    [EmailAddress(user=entry.user, email=entry.user.email, verified=True, primary=True)
                     for entry in batch], batch_size=batch_size,
                )
            members += len(batch)
            records += len(linked)
        audit(actor, "member.bulk_create", detail={"members": members, "records": records})
    return members, records


def do_bulk_create_records(records, *, actor=None, batch_size=5000):
    """Insert prepared HR leaver records that have no account yet (demo data); returns the count."""
    rules = NetworkSettings.load()
    with transaction.atomic():
        created = LeaverRecord.objects.bulk_create([_prepare_record(r, rules) for r in records], batch_size=batch_size)
        audit(actor, "leaver_record.bulk_create", detail={"records": len(created)})
    return len(created)
