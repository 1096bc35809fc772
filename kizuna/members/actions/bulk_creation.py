"""Bulk creation of prepared accounts and HR records (seed and demo data)."""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.db import connection, transaction
from django.utils import timezone

from kizuna.core.actions import audit
from kizuna.core.batching import batched
from kizuna.core.models import NetworkSettings
from kizuna.core.text import normalize

from .. import eligibility
from ..changes import profile_changed
from ..models import Application, Block, LeaverRecord, Profile, State, User
from .accounts import _set_name
from .profiles import check_block


@dataclass
class NewMember:
    """An account prepared in memory for do_bulk_create_members, with its HR record or application,
    and optionally its profile (unsaved), skills (saved Skill rows), career (unsaved CareerEntry rows)
    and the members it blocks (saved before it, or earlier in the same call)."""

    user: User
    record: LeaverRecord | None = None
    application: Application | None = None
    profile: Profile | None = None
    skills: list = field(default_factory=list)
    career: list = field(default_factory=list)
    blocks: list = field(default_factory=list)


def _prepare_record(record, rules):
    record.name_key, record.kana_key = normalize(record.name), normalize(record.name_kana)
    record.eligible = eligibility.evaluate(record, rules).eligible
    return record


def _insert(objects, batch_size):
    """INSERT unsaved model instances whose ids nobody needs back (profiles, skills, career, blocks,
    HR records): the same values bulk_create() writes, prepared once per column instead of through
    the per-value field machinery, which costs more than the rest of seeding put together at 250,000."""
    if not objects:
        return
    model, now = type(objects[0]), timezone.now()
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and getattr(objects[0], f.attname) is None)]
    adapters = []
    for f in fields:
        kind = f.get_internal_type()
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = connection.ops.adapt_datetimefield_value(now)
            adapters.append(lambda _obj, value=value: value)
        elif kind == "DateField":
            adapters.append(lambda obj, a=f.attname: connection.ops.adapt_datefield_value(getattr(obj, a)))
        elif kind == "DateTimeField":
            adapters.append(lambda obj, a=f.attname: connection.ops.adapt_datetimefield_value(getattr(obj, a)))
        elif kind in ("JSONField", "FileField", "ImageField"):
            adapters.append(lambda obj, f=f: f.get_db_prep_save(f.pre_save(obj, True), connection))
        else:
            adapters.append(lambda obj, a=f.attname: getattr(obj, a))
    table, quote = model._meta.db_table, connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from the model)
        quote(table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields)))
    with connection.cursor() as cursor:
        for chunk in batched(objects, batch_size):
            cursor.executemany(sql, [[adapt(obj) for adapt in adapters] for obj in chunk])


def _write_profiles(batch, batch_size):
    profiles, skills, career, blocks = [], [], [], []
    through = Profile.skills.through
    for entry in batch:
        user = entry.user
        if entry.profile is not None:
            entry.profile.user = user
            profiles.append(entry.profile)
            skills += [through(profile_id=user.pk, skill_id=skill.pk) for skill in entry.skills]
        for row in entry.career:
            row.user = user
            career.append(row)
        for other in entry.blocks:
            check_block(user, other)
            blocks.append(Block(blocker=user, blocked=other))
    for rows in (profiles, skills, career, blocks):
        _insert(rows, batch_size)


def do_bulk_create_members(entries, *, email_verified=False, actor=None, batch_size=5000, index=True):
    """Insert many prepared accounts at once (seed and demo data); returns (members, records) created.

    Each entry's user needs email, role, state and a password hash already set (callers share one
    precomputed hash: hashing every password would take hours for a large network). Name keys,
    activation time, record eligibility and the links between rows are filled in here. All or nothing.
    Active members are added to the directory batch by batch; `index=False` leaves that to a caller that
    rebuilds the whole index in the same transaction afterwards (the seed command), which is faster.
    """
    rules = NetworkSettings.load()
    now = timezone.now()
    members = records = 0
    with transaction.atomic():
        for batch in batched(entries, batch_size):
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
            _insert(linked, batch_size)
            Application.objects.bulk_create(applications, batch_size=batch_size)
            _write_profiles(batch, batch_size)
            if email_verified:
                EmailAddress.objects.bulk_create(
                    [EmailAddress(user=entry.user, email=entry.user.email, verified=True, primary=True)
                     for entry in batch], batch_size=batch_size,
                )
            if index:
                profile_changed.send(sender=User, member_ids=[e.user.pk for e in batch if e.user.state == State.ACTIVE])
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
