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
- not the audit log: it records what admins did and is internal to the organisation.
"""

import datetime
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils import formats, timezone
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
    return [account, consents, emails, hr_record, invitations, application_section, tokens, two_factor]


def member_data(user):
    """The JSON document of the download."""
    data = {"format": FORMAT, "exported_at": timezone.now()}
    for section in member_sections(user):
        data[section.key] = section.as_json()
    return data
