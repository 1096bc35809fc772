"""Moving an existing network to Kizuna: active members with their profiles from a checked list
(member_importer), all or nothing, each sent a link to set their password.

`kizuna import-members` and POST /api/v1/members both write through do_import_members. Rows are written
in bulk (a roster has thousands of people): accounts, addresses, profiles, skills and career go in with a
handful of queries per batch, and the directory index is brought up to date once for all of them
(profile_changed), in the same transaction.
"""

import datetime

from allauth.account.forms import EmailAwarePasswordResetTokenGenerator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.core.actions import audit, do_queue_emails, ensure_company, ensure_department
from kizuna.core.batching import batched
from kizuna.core.email import render_email
from kizuna.core.models import OutboxEmail
from kizuna.core.text import normalize

from .. import importer, member_importer
from ..changes import profile_changed
from ..models import CareerEntry, LeaverRecord, Profile, Skill, State, User
from .accounts import _set_name

IMPORT_BATCH = 1000
PROFILE_TEXT = ("romaji", "current_company", "current_title", "location", "bio")


class _Organisation:
    """Group companies and departments named in the list, found or created once each."""

    def __init__(self):
        self.companies, self.departments = {}, {}

    def company(self, name):
        if name not in self.companies:
            self.companies[name] = ensure_company(name)
        return self.companies[name]

    def department(self, path):
        if path not in self.departments:
            self.departments[path] = ensure_department(path)
        return self.departments[path]


def do_import_members(actor, validation, *, source, filename="", request=None):
    """Create an active member per valid row (see member_importer) and send each a set-password link.
    All or nothing: a list with any problem, or an address taken meanwhile, writes nothing (ValidationError).
    Returns the new members in the order of the rows."""
    if not validation.valid:
        raise ValidationError(_("The data has errors, so nothing was imported."))
    try:
        with transaction.atomic():
            members, organisation = [], _Organisation()
            for batch in batched(validation.rows, IMPORT_BATCH):
                members += _create_batch(batch, organisation)
            _link_records(validation.rows, members)
            audit(actor, "members.import", request=request, target_label=filename,
                  detail={"members": len(members), "source": source, "filename": filename})
            profile_changed.send(sender=Profile, member_ids=[member.pk for member in members])
            do_queue_emails(_set_password_mails(members))
    except IntegrityError:
        # An application, a sign-up or another import took one of the addresses since the list was checked.
        raise ValidationError(_("An account with one of these email addresses was created meanwhile, so nothing "
                                "was imported. Please check the list again.")) from None
    return members


def _create_batch(rows, organisation):
    now = timezone.now()
    members = []
    for _line, values in rows:
        member = User(email=values["email"], role=member_importer.member_role(values), state=State.ACTIVE,
                      activated_at=now, joined_on=values.get("joined_on"), left_on=values.get("left_on"),
                      company=organisation.company(values.get("company")),
                      department=organisation.department(values.get("department")))
        _set_name(member, values["name"], values.get("name_kana"))
        member.set_unusable_password()  # until they follow the link in their email
        members.append(member)
    User.objects.bulk_create(members)
    # HR vouches for the addresses in its list, as for accounts it creates one by one.
    EmailAddress.objects.bulk_create([EmailAddress(user=m, email=m.email, primary=True, verified=True)
                                      for m in members])
    Profile.objects.bulk_create([Profile(user=m, **{key: values.get(key) or "" for key in PROFILE_TEXT})
                                 for m, (_line, values) in zip(members, rows, strict=True)])
    skills = _skills([name for _line, values in rows for name in values.get("skills") or []])
    # A set: two spellings of one skill in a row ("Python", "ｐｙｔｈｏｎ") are one skill.
    tags = {(m.pk, skills[normalize(name)].pk)
            for m, (_line, values) in zip(members, rows, strict=True) for name in values.get("skills") or []}
    Profile.skills.through.objects.bulk_create([Profile.skills.through(profile_id=profile, skill_id=skill)
                                                for profile, skill in sorted(tags)])
    CareerEntry.objects.bulk_create([
        CareerEntry(user=m, company=m.company, department=m.department, title=values.get("title") or "",
                    started_on=m.joined_on, ended_on=m.left_on)
        for m, (_line, values) in zip(members, rows, strict=True)
        if values.get("company") or values.get("department") or values.get("title")
    ])
    return members


def _skills(names) -> dict:
    """Normalised name → Skill for every name, reusing existing skills whatever width or case they were
    typed in (as the profile form does), creating the others in one insert."""
    wanted = {}
    for name in names:
        wanted.setdefault(normalize(name), name)
    found = {skill.key: skill for skill in importer.matching(Skill.objects.all(), "key", wanted)}
    missing = [Skill(key=key, name=name) for key, name in wanted.items() if key not in found]
    if missing:
        Skill.objects.bulk_create(missing, ignore_conflicts=True)
        found |= {skill.key: skill for skill in Skill.objects.filter(key__in=[s.key for s in missing])}
    return found


def _link_records(rows, members):
    """Tie each member to the HR record their employee number names (checked free when the list was read;
    locked and checked again here, so a parallel invitation cannot take it meanwhile)."""
    by_number = {values["employee_number"]: member
                 for (_line, values), member in zip(rows, members, strict=True) if values.get("employee_number")}
    if not by_number:
        return
    records = list(LeaverRecord.objects.select_for_update().filter(employee_number__in=by_number))
    for record in records:
        if record.member_id is not None or record.opted_out or record.excluded:
            raise ValidationError(_("The HR record with employee number %(number)s changed meanwhile, so nothing "
                                    "was imported. Please check the list again.") % {
                                        "number": record.employee_number})
        record.member = by_number[record.employee_number]
    LeaverRecord.objects.bulk_update(records, ["member"], batch_size=IMPORT_BATCH)


class _NewMemberTokens(EmailAwarePasswordResetTokenGenerator):
    """allauth's password-reset token (the one its reset page checks) for a member created here, whose only
    address is the account's: the value allauth hashes is Django's plus the member's sorted addresses, so
    it is computed without the two queries per member allauth makes to find them."""

    def _make_hash_value(self, user, timestamp):
        return PasswordResetTokenGenerator._make_hash_value(self, user, timestamp) + user.email


_tokens = _NewMemberTokens()


def set_password_url(member, *, path=None):
    """allauth's password-reset link: it works once, until the member sets a password or signs in."""
    path = path or reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
    return settings.SITE_URL + path.replace("UID-KEY", f"{user_pk_to_url_str(member)}-{_tokens.make_token(member)}")


def _set_password_mails(members):
    links = {"reset_url": settings.SITE_URL + reverse("account_reset_password"),
             "login_url": settings.SITE_URL + reverse("account_login"),
             "valid_until": timezone.now() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)}
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
    mails = []
    for member in members:
        subject, body = render_email("members/email/imported", {
            "name": member.name, "url": set_password_url(member, path=path), **links}, member.language)
        mails.append(OutboxEmail(to=member.email, user=member, subject=subject, body_text=body))
    return mails
