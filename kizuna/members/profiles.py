"""Profile fields, who may see each of them, and the one read model built from that.

`view_profile()` is the only way a profile reaches a page, a partial, the API, an export or the search
index: it copies out the values the viewer may see and nothing else, so a template or serializer cannot
reach a hidden value through it. The directory index is built from the same views, which is what makes
"a hidden value is not searchable" true by construction.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kizuna.core.models import NetworkSettings

from .choices import INDUSTRY_LABELS, LANGUAGE_LABELS, location_label
from .models import CustomField, Purpose, Role, Visibility


class Audience(models.TextChoices):
    """The three ways other people see a profile (the owner sees everything)."""

    ALUMNI = "alumni", _("Alumni")
    EMPLOYEES = "employees", _("Employees")
    ADMINS = "admins", _("HR (admins)")


LEVELS_SEEN_BY = {
    Audience.ALUMNI: frozenset({Visibility.MEMBERS, Visibility.ALUMNI}),
    Audience.EMPLOYEES: frozenset({Visibility.MEMBERS, Visibility.EMPLOYEES}),
    Audience.ADMINS: frozenset({Visibility.MEMBERS, Visibility.ALUMNI, Visibility.EMPLOYEES, Visibility.ADMINS}),
}
EVERY_LEVEL = frozenset(Visibility.values)


def member_type(member) -> str:
    """Alumni or employee (HR staff are employees; a moderator who has left the company is an alumnus)."""
    if member.role == Role.ALUMNI or (member.role == Role.MODERATOR and member.left_on):
        return "alumni"
    return "employee"


def audience_of(viewer) -> Audience:
    if viewer.is_admin:
        return Audience.ADMINS
    if viewer.role == Role.EMPLOYEE:
        return Audience.EMPLOYEES
    if viewer.role == Role.ALUMNI:
        return Audience.ALUMNI
    # Moderators belong to the side they are on: someone who has left the company is an alumnus.
    return Audience.ALUMNI if viewer.left_on else Audience.EMPLOYEES


@dataclass(frozen=True)
class ProfileField:
    key: str
    label: str


# Name, reading and roman letters identify a member and are always shown to members; the rest is chosen.
FIELDS = (
    ProfileField("photo", _("Photo")),
    ProfileField("joined_on", _("Joined the company")),
    ProfileField("left_on", _("Left the company")),
    ProfileField("company", _("Group company")),
    ProfileField("department", _("Department")),
    ProfileField("career", _("Career at the company")),
    ProfileField("current_company", _("Current company")),
    ProfileField("current_title", _("Current title")),
    ProfileField("industry", _("Industry")),
    ProfileField("location", _("Location")),
    ProfileField("skills", _("Skills")),
    ProfileField("bio", _("About me")),
    ProfileField("links", _("Links")),
    ProfileField("languages", _("Languages")),
    ProfileField("purposes", _("Purposes")),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)


@dataclass(frozen=True)
class Rule:
    default: str
    allowed: frozenset

    def effective(self, chosen):
        return chosen if chosen in self.allowed else self.default


def custom_fields():
    return list(CustomField.objects.all())


def profile_fields(fields=None):
    """Every field a profile has, the admin's custom fields after the built-in ones."""
    fields = custom_fields() if fields is None else fields
    return list(FIELDS) + [ProfileField(f.key, f.display_label) for f in fields]


def visibility_rules(fields=None, network=None) -> dict:
    """Field key → Rule: the admin's limits (NetworkSettings.profile_visibility) over the defaults."""
    configured = (network or NetworkSettings.load()).profile_visibility or {}
    fields = custom_fields() if fields is None else fields
    defaults = {key: Visibility.MEMBERS for key in FIELD_KEYS} | {f.key: f.default_visibility for f in fields}
    rules = {}
    for key, default in defaults.items():
        setting = configured.get(key) or {}
        allowed = frozenset(setting.get("allowed") or EVERY_LEVEL) & EVERY_LEVEL or EVERY_LEVEL
        default = setting.get("default", default)
        rules[key] = Rule(default if default in allowed else next(iter(sorted(allowed))), allowed)
    return rules


def effective_visibility(chosen: dict, rules: dict) -> dict:
    """Field key → the level that applies: the member's choice when the rules allow it, else the default."""
    return {key: rule.effective(chosen.get(key)) for key, rule in rules.items()}


def levels_of(member, rules) -> dict:
    """Field key → the level that applies to `member`'s value (for the owner's own pages)."""
    return effective_visibility(_profile_of(member).visibility or {}, rules)


@dataclass
class CareerView:
    company: object
    department: object
    title: str
    started_on: object
    ended_on: object


@dataclass
class ProfileView:
    """A profile as one viewer may see it. Hidden values are simply absent (None / empty)."""

    pk: int
    name: str
    name_kana: str
    romaji: str
    role: str
    member_type: str = ""  # "alumni" or "employee", as the directory's filter says (always shown)
    visible: frozenset = frozenset()
    has_photo: bool = False
    photo_version: str = ""
    joined_on: object = None
    left_on: object = None
    company: object = None
    department: object = None
    career: list = field(default_factory=list)
    current_company: str = ""
    current_title: str = ""
    industry: str = ""
    location: str = ""
    skills: list = field(default_factory=list)
    bio: str = ""
    links: list = field(default_factory=list)
    languages: list = field(default_factory=list)
    purposes: list = field(default_factory=list)
    custom: list = field(default_factory=list)  # (CustomField, value) pairs

    @property
    def is_employee(self):
        return self.role == Role.EMPLOYEE

    @property
    def is_alumni(self):
        return self.member_type == "alumni"

    @property
    def industry_label(self):
        return INDUSTRY_LABELS.get(self.industry, "")

    @property
    def location_label(self):
        return location_label(self.location)

    @property
    def language_labels(self):
        return [LANGUAGE_LABELS[code] for code in self.languages if code in LANGUAGE_LABELS]

    @property
    def purpose_labels(self):
        labels = dict(Purpose.choices)
        return [(code, labels[code]) for code in self.purposes if code in labels]


def _profile_of(member):
    """The member's profile, or an unsaved empty one (members imported in bulk may not have one yet)."""
    from .models import Profile

    try:
        return member.profile
    except Profile.DoesNotExist:
        return Profile(user=member)


def view_profile(member, *, seen=None, rules=None, fields=None) -> ProfileView:
    """`member` with profile, career, custom values and skills preloaded for lists (see access.py).

    `seen`: the levels the viewer may see (LEVELS_SEEN_BY[audience], or EVERY_LEVEL for the owner).
    """
    fields = custom_fields() if fields is None else fields
    rules = visibility_rules(fields) if rules is None else rules
    profile = _profile_of(member)
    levels = effective_visibility(profile.visibility or {}, rules)
    visible = frozenset(key for key, level in levels.items() if level in seen)
    view = ProfileView(pk=member.pk, name=member.name, name_kana=member.name_kana, romaji=profile.romaji,
                       role=member.role, member_type=member_type(member), visible=visible)
    if "photo" in visible and profile.photo:
        view.has_photo = True
        view.photo_version = profile.photo.name.rsplit("/", 1)[-1].split(".")[0]
    for key in ("joined_on", "left_on", "company", "department"):
        if key in visible:
            setattr(view, key, getattr(member, key))
    for key in ("current_company", "current_title", "industry", "location", "bio", "links", "languages",
                "purposes"):
        if key in visible:
            setattr(view, key, getattr(profile, key))
    if "career" in visible:
        view.career = [CareerView(c.company, c.department, c.title, c.started_on, c.ended_on)
                       for c in member.career.all()]
    # An unsaved stand-in profile has a pk (the user's) but no skills: asking would cost a query per member.
    # (The indexer's preloaded rows have no model state and are never stand-ins.)
    stand_in = getattr(getattr(profile, "_state", None), "adding", False)
    if "skills" in visible and not stand_in:
        view.skills = list(profile.skills.all())
    values = {v.field_id: v.value for v in member.custom_values.all()}
    view.custom = [(f, values[f.pk]) for f in fields if f.key in visible and values.get(f.pk) not in (None, "", [])]
    return view


def search_texts(view: ProfileView) -> list[str]:
    """The visible text a member can be found by, one string per value (matching never spans two)."""
    texts = [view.name, view.name_kana, view.romaji, view.current_company, view.current_title, view.bio]
    texts += [skill.name for skill in view.skills]
    for place in [view] + view.career:
        if getattr(place, "company", None):
            texts += [place.company.name, place.company.name_kana]
        if getattr(place, "department", None):
            texts.append(place.department.path)
    texts += [entry.title for entry in view.career]
    if view.industry:
        texts += _labels(INDUSTRY_LABELS.get, view.industry)
    if view.location:
        texts += _labels(location_label, view.location)
    for custom_field, value in view.custom:
        if custom_field.kind != CustomField.Kind.DATE:
            texts += value if isinstance(value, list) else [value]
    return [text for text in texts if text]


_label_cache: dict = {}


def _labels(to_label, value):
    """A choice's label in Japanese and in English, so either finds it; computed once per process
    (switching the translation is slow next to indexing a profile)."""
    key = (to_label, value)
    if key not in _label_cache:
        texts = []
        for language in ("ja", "en"):
            with translation.override(language):
                texts.append(str(to_label(value) or ""))
        _label_cache[key] = texts
    return _label_cache[key]


# Profile parts that count towards "complete": (test, what to add).
COMPLETENESS = (
    (lambda p, career: bool(p.photo), _("a photo")),
    (lambda p, career: bool(p.romaji), _("your name in roman letters")),
    (lambda p, career: bool(p.current_company or p.current_title), _("your current work")),
    (lambda p, career: bool(p.industry), _("your industry")),
    (lambda p, career: bool(p.location), _("where you live")),
    (lambda p, career: p.pk is not None and p.skills.exists(), _("your skills")),
    (lambda p, career: bool(p.bio), _("a short introduction")),
    (lambda p, career: bool(p.purposes), _("why you take part")),
    (lambda p, career: career, _("your career at the company")),
)


def completeness(member) -> tuple[int, list]:
    """(percent complete, what is missing) for the meter on the member's own pages."""
    profile = _profile_of(member)
    has_career = member.career.exists()
    missing = [label for test, label in COMPLETENESS if not test(profile, has_career)]
    return round(100 * (len(COMPLETENESS) - len(missing)) / len(COMPLETENESS)), missing


def needs_confirmation(member) -> bool:
    """True when the member has not confirmed (or saved) their profile for the network's period."""
    months = NetworkSettings.load().profile_confirm_months
    if not months or not member.is_member:
        return False
    profile = _profile_of(member)
    last = profile.confirmed_at or member.activated_at or member.date_joined
    return last < timezone.now() - timedelta(days=30 * months)
