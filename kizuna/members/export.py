"""Everything stored about one member, for their own download (APPI disclosure / GDPR access request).

One description serves both the JSON file and the readable page: sections of labelled fields.

What is included, and why:
- the account, consents, email addresses and two-factor methods (type and dates, never secrets);
- the HR leaver record linked to the member: its facts (employee number, name, dates, leave type,
  department, title, company) are the member's personal data held by the network. HR's internal
  assessments (`excluded`, `eligible`, `opted_out`) and the matching keys are derived working data of
  HR, not data about the person they provided or that describes them, and are left out;
- invitations (dates and status; the link's nonce is a secret), their application including HR's answer;
- API token names and prefixes, never the hashes;
- the whole profile: every value (the photo itself as a data: URL), who may see each field (the level that
  applies and whether the member chose it), the career rows, the answers to HR's own fields, and the
  members they blocked (blocks others made of them are those members' data, and are left out);
- not the audit log: it records what admins did and is internal to the organisation.
"""

import base64
import datetime
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils import formats, timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

FORMAT = "kizuna-member-data/1"


@dataclass
class Field:
    key: str
    label: str
    value: object  # JSON value: str, int, bool, date/datetime (ISO in JSON) or None
    display: str = ""


@dataclass
class Section:
    key: str
    title: str
    many: bool
    entries: list = field(default_factory=list)  # each entry is a list of Field

    def as_json(self):
        rows = [{f.key: f.value for f in entry} for entry in self.entries]
        return rows if self.many else (rows[0] if rows else None)


def _display(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def _fields(obj, names, labels=None):
    """Fields of a model instance: label from the model (or `labels`), choices shown by their label."""
    labels = labels or {}
    result = []
    for name in names:
        model_field = obj._meta.get_field(name)
        if model_field.is_relation:
            related = getattr(obj, name)
            value = str(related) if related is not None else None
            shown = _display(value)
        else:
            value = getattr(obj, name)
            shown = getattr(obj, f"get_{name}_display")() if model_field.choices and value else _display(value)
        label = labels.get(name) or str(model_field.verbose_name)
        result.append(Field(name, label, value, shown))
    return result


# Other apps add what they hold about a member (events, jobs …): functions user -> [Section].
_app_sections = []


def register_sections(sections_of):
    """Called from an app's ready(): its data joins every member's download."""
    _app_sections.append(sections_of)


def member_sections(user):
    account = Section("account", _("Account"), many=False, entries=[_fields(user, [
        "email", "name", "name_kana", "role", "state", "language", "company", "department", "joined_on",
        "left_on", "date_joined",
    ])])
    consents = Section("consents", _("Consents"), many=False, entries=[_fields(user, [
        "guidelines_version", "privacy_accepted_at",
    ], labels={
        "guidelines_version": _("Version of the community guidelines you accepted"),
        "privacy_accepted_at": _("Privacy notice accepted at"),
    })])
    emails = Section("email_addresses", _("Email addresses"), many=True, entries=[
        _fields(address, ["email", "verified", "primary"]) for address in EmailAddress.objects.filter(user=user)
    ])
    record = getattr(user, "leaver_record", None)
    hr_record = Section("hr_record", _("Record from HR"), many=False, entries=[_fields(record, [
        "employee_number", "name", "name_kana", "email", "joined_on", "left_on", "leave_type", "department",
        "title", "company",
    ])] if record is not None else [])
    invitation_labels = {
        "status": _("Status"), "sent_at": _("Sent at"), "expires_at": _("Valid until"),
        "accepted_at": _("Accepted at"),
    }
    invitations = Section("invitations", _("Invitations"), many=True, entries=[
        _fields(invitation, ["status", "sent_at", "expires_at", "accepted_at"], invitation_labels)
        for invitation in user.invitations.all()
    ])
    application = getattr(user, "application", None)
    application_section = Section("application", _("Application to join"), many=False, entries=[_fields(
        application,
        ["name", "name_kana", "former_email", "employee_number", "joined_year", "left_year", "department",
         "message", "status", "created_at", "decided_at", "decision_message"],
        {"status": _("Status"), "created_at": _("Applied at"), "decided_at": _("Decided at"),
         "decision_message": _("Message from HR")},
    )] if application is not None else [])
    tokens = Section("api_tokens", _("API tokens"), many=True, entries=[
        _fields(token, ["name", "prefix", "created_at", "last_used_at", "revoked_at"], {
            "prefix": _("Beginning of the token"), "created_at": _("Created at"),
            "last_used_at": _("Last used at"), "revoked_at": _("Revoked at"),
        }) for token in user.api_tokens.all()
    ])
    two_factor = Section("two_factor", _("Two-factor authentication"), many=True, entries=[
        [Field("type", _("Method"), method.type, method.get_type_display()),
         Field("created_at", _("Set up at"), method.created_at, _display(method.created_at))]
        for method in Authenticator.objects.filter(user=user)
    ])
    return [account, consents, emails, hr_record, invitations, application_section, tokens, two_factor,
            *profile_sections(user), *(section for sections_of in _app_sections for section in sections_of(user))]


def _labelled(key, label, value, labels=None):
    """A list value (languages, purposes …) shown by its labels."""
    labels = labels or {}
    separator = "、" if (get_language() or "").startswith("ja") else ", "
    shown = separator.join(str(labels.get(v, v)) for v in value) if value else "—"
    return Field(key, label, value, shown)


def _photo_data(profile):
    if not profile.photo:
        return None
    try:
        with profile.photo.open("rb") as photo:
            return "data:image/jpeg;base64," + base64.b64encode(photo.read()).decode("ascii")
    except OSError:  # the file was lost (a restore without the data folder): the rest is still theirs
        return None


def _month(value):
    return formats.date_format(value, "YEAR_MONTH_FORMAT") if value else "—"


def profile_sections(user):
    """The member's profile, its visibility, career, custom answers and the blocks they made."""
    from .choices import INDUSTRY_LABELS, LANGUAGE_LABELS, location_label
    from .models import Block, CustomFieldValue, Profile, Purpose, Visibility
    from .profiles import levels_of, profile_fields, visibility_rules

    profile = Profile.objects.filter(user=user).prefetch_related("skills").first()
    entries = []
    if profile is not None:
        photo = _photo_data(profile)
        entries.append([
            Field("photo", _("Photo"), photo, _("Registered (JPEG image)") if photo else "—"),
            *_fields(profile, ["romaji", "current_company", "current_title"]),
            Field("industry", _("Industry"), profile.industry, _display(INDUSTRY_LABELS.get(profile.industry))),
            Field("location", _("Location"), profile.location, _display(location_label(profile.location))),
            *_fields(profile, ["bio"]),
            _labelled("links", _("Links"), profile.links),
            _labelled("languages", _("Languages"), profile.languages, LANGUAGE_LABELS),
            _labelled("purposes", _("Purposes"), profile.purposes, dict(Purpose.choices)),
            _labelled("skills", _("Skills"), [skill.name for skill in profile.skills.all()]),
            *_fields(profile, ["hidden"]),
            Field("confirmed_at", _("Confirmed as current at"), profile.confirmed_at, _display(profile.confirmed_at)),
            Field("updated_at", _("Last changed at"), profile.updated_at, _display(profile.updated_at)),
        ])
    profile_section = Section("profile", _("Profile"), many=False, entries=entries)

    levels = dict(Visibility.choices)
    chosen = profile.visibility if profile is not None else {}
    applied = levels_of(user, visibility_rules())
    visibility = Section("profile_visibility", _("Who may see each part of your profile"), many=True, entries=[
        [Field("field", _("Field"), f.key, str(f.label)),
         Field("visible_to", _("Visible to"), applied[f.key], str(levels[applied[f.key]])),
         Field("chosen_by_you", _("Chosen by you"), f.key in chosen, _display(f.key in chosen))]
        for f in profile_fields() if f.key in applied
    ])
    career = Section("career", _("Career at the company"), many=True, entries=[
        [Field("company", _("Group company"), str(e.company) if e.company else None, _display(e.company)),
         Field("department", _("Department"), str(e.department) if e.department else None, _display(e.department)),
         Field("title", _("Title"), e.title, _display(e.title)),
         Field("started_on", pgettext("career", "From"), e.started_on, _month(e.started_on)),
         Field("ended_on", pgettext("career", "Until"), e.ended_on, _month(e.ended_on))]
        for e in user.career.select_related("company", "department")
    ])
    answers = Section("custom_fields", _("Answers to the network's own profile fields"), many=True, entries=[
        [Field("field", _("Field"), answer.field.label, answer.field.display_label),
         _labelled("value", _("Answer"), answer.value) if isinstance(answer.value, list)
         else Field("value", _("Answer"), answer.value, _display(answer.value))]
        for answer in CustomFieldValue.objects.filter(user=user).select_related("field")
    ])
    blocks = Section("blocks", _("Members you blocked"), many=True, entries=[
        [Field("member", _("Member"), block.blocked.name, _display(block.blocked.name)),
         Field("created_at", _("Blocked on"), block.created_at, _display(block.created_at))]
        for block in Block.objects.filter(blocker=user).select_related("blocked")
    ])
    return [profile_section, visibility, career, answers, blocks]


def member_data(user):
    """The JSON document of the download."""
    data = {"format": FORMAT, "exported_at": timezone.now()}
    for section in member_sections(user):
        data[section.key] = section.as_json()
    return data
