"""Members' own profiles: values, who may see each one, photo, career, confirmation, blocks.

check_profile() validates a whole change (from the profile form, PATCH /api/v1/me or an import row) and
raises one ValidationError keyed by field, so every caller reports every problem at once.
"""

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.core.text import normalize

from ..changes import profile_changed
from ..choices import INDUSTRY_LABELS, LANGUAGE_LABELS, is_location
from ..models import (
    Block,
    CareerEntry,
    CustomField,
    CustomFieldValue,
    Profile,
    Purpose,
    Role,
    Skill,
    State,
    User,
    Visibility,
)
from ..profiles import custom_fields, visibility_rules

MAX_LINKS = 5
MAX_SKILLS = 30
MAX_CAREER = 30
TEXT_LIMITS = {"romaji": 150, "current_company": 200, "current_title": 200, "bio": 2000}
CUSTOM_TEXT_LIMIT = 500
ROMAJI_EXTRA = set(" -'.")


def split_skills(text: str) -> list[str]:
    """Skills typed as one string, separated by 、 , ， or new lines (the import's format too)."""
    parts = unicodedata.normalize("NFKC", text or "").replace("、", ",").replace("\n", ",").split(",")
    return list(dict.fromkeys(part.strip() for part in parts if part.strip()))


def _month_messages():
    """Whole sentences per field: a label spliced into a sentence reads badly in one language or the other."""
    return {
        "joined_on": (_("Please enter the month you joined as a year and month."),
                      _("The month you joined cannot be in the future.")),
        "left_on": (_("Please enter the month you left as a year and month."),
                    _("The month you left cannot be in the future.")),
    }


def _check_month(value, errors, key):
    if value is None or value == "":
        return None
    not_a_month, in_the_future = _month_messages()[key]
    if not isinstance(value, datetime.date):
        errors[key] = not_a_month
        return None
    if value > timezone.localdate():
        errors[key] = in_the_future
    return value.replace(day=1)


def _check_custom(field, value, errors):
    if value in (None, "", []):
        return None
    labels = field.choices
    if field.kind == CustomField.Kind.TEXT:
        value = str(value).strip()
        if len(value) > CUSTOM_TEXT_LIMIT:
            errors[field.key] = _("Please keep this under %(count)d characters.") % {"count": CUSTOM_TEXT_LIMIT}
        return value
    if field.kind == CustomField.Kind.CHOICE:
        if value not in labels:
            errors[field.key] = _("Please choose one of the options.")
        return value
    if field.kind == CustomField.Kind.MULTI:
        values = value if isinstance(value, list) else [value]
        if any(v not in labels for v in values):
            errors[field.key] = _("Please choose from the options.")
        return [v for v in labels if v in values]
    try:
        return (value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))).isoformat()
    except ValueError:
        errors[field.key] = _("Please enter a date such as 2020-04-01.")
        return None


def check_profile(member, changes: dict, *, visibility=None, fields=None) -> dict:
    """Validated and cleaned `changes` (only the keys given). Raises ValidationError({key: message})."""
    fields = custom_fields() if fields is None else fields
    errors, clean = {}, {}
    for key, limit in TEXT_LIMITS.items():
        if key in changes:
            value = unicodedata.normalize("NFKC", changes[key] or "").strip() if key == "romaji" \
                else (changes[key] or "").strip()
            if len(value) > limit:
                errors[key] = _("Please keep this under %(count)d characters.") % {"count": limit}
            clean[key] = value
    romaji = clean.get("romaji", "")
    if any(not (c.isascii() and (c.isalpha() or c in ROMAJI_EXTRA)) for c in romaji):
        errors["romaji"] = _("Please write your name in roman letters (A–Z), e.g. Taro Yamada.")
    if "industry" in changes:
        clean["industry"] = changes["industry"] or ""
        if clean["industry"] and clean["industry"] not in INDUSTRY_LABELS:
            errors["industry"] = _("Please choose an industry from the list.")
    if "location" in changes:
        clean["location"] = (changes["location"] or "").upper()
        if clean["location"] and not is_location(clean["location"]):
            errors["location"] = _("Please choose a prefecture or a country from the list.")
    if "links" in changes:
        links = [link.strip() for link in changes["links"] or [] if link and link.strip()]
        if len(links) > MAX_LINKS:
            errors["links"] = _("Please add at most %(count)d links.") % {"count": MAX_LINKS}
        for link in links:
            try:
                URLValidator(schemes=["http", "https"])(link)
            except ValidationError:
                errors["links"] = _("“%(link)s” is not a web address (https://…).") % {"link": link[:100]}
        clean["links"] = links
    for key, known, message in (
        ("languages", LANGUAGE_LABELS, _("Please choose languages from the list.")),
        ("purposes", Purpose.values, _("Please choose purposes from the list.")),
    ):
        if key in changes:
            values = list(dict.fromkeys(changes[key] or []))
            if any(value not in known for value in values):
                errors[key] = message
            clean[key] = values
    if "skills" in changes:
        skills = changes["skills"]
        skills = split_skills(skills) if isinstance(skills, str) else [s.strip() for s in skills or [] if s.strip()]
        if len(skills) > MAX_SKILLS:
            errors["skills"] = _("Please add at most %(count)d skills.") % {"count": MAX_SKILLS}
        if any(len(skill) > 60 for skill in skills):
            errors["skills"] = _("Each skill can have at most 60 characters.")
        clean["skills"] = skills
    for key in ("joined_on", "left_on"):
        if key in changes:
            clean[key] = _check_month(changes[key], errors, key)
    joined = clean.get("joined_on", member.joined_on)
    left = clean.get("left_on", member.left_on)
    if joined and left and left < joined.replace(day=1) and "left_on" not in errors:
        errors["left_on"] = _("The month you left must come after the month you joined.")
    for field in fields:
        if field.key in changes:
            clean[field.key] = _check_custom(field, changes[field.key], errors)
    if visibility is not None:
        clean["visibility"] = _check_visibility(visibility, visibility_rules(fields), errors)
    if errors:
        raise ValidationError(errors)
    return clean


def _check_visibility(visibility, rules, errors):
    labels = dict(Visibility.choices)
    for key, level in visibility.items():
        if key not in rules:
            errors["visibility"] = _("“%(field)s” is not a profile field.") % {"field": str(key)[:50]}
        elif level not in rules[key].allowed:
            errors[f"visibility.{key}"] = _("HR does not allow “%(level)s” for this field.") % {
                "level": labels.get(level, level)}
    return dict(visibility)


def _profile(member):
    profile, _created = Profile.objects.get_or_create(user=member)
    return profile


def ensure_skills(names):
    """Skill rows for names; an existing skill is reused whatever width or case it was typed in."""
    wanted = {normalize(name): name for name in names}
    existing = {s.key: s for s in Skill.objects.filter(key__in=wanted)}
    for key, name in wanted.items():
        if key not in existing:
            existing[key], _created = Skill.objects.get_or_create(key=key, defaults={"name": name})
    return [existing[key] for key in wanted]


def do_update_profile(member, changes: dict, *, visibility=None, confirm=True):
    """Save the given profile values (and visibility choices); the directory is re-indexed at once."""
    fields = custom_fields()
    clean = check_profile(member, changes, visibility=visibility, fields=fields)
    with transaction.atomic():
        profile = _profile(member)
        for key in ("romaji", "current_company", "current_title", "industry", "location", "bio", "links",
                    "languages", "purposes"):
            if key in clean:
                setattr(profile, key, clean[key])
        if "visibility" in clean:
            profile.visibility = {**profile.visibility, **clean["visibility"]}
        if confirm:
            profile.confirmed_at = timezone.now()
        profile.save()
        if "skills" in clean:
            profile.skills.set(ensure_skills(clean["skills"]))
        dates = {key: clean[key] for key in ("joined_on", "left_on") if key in clean}
        if dates:
            # A queryset update: the re-index below covers these too (User's post_save would do it twice).
            User.objects.filter(pk=member.pk).update(**dates)
            for key, value in dates.items():
                setattr(member, key, value)
        for field in fields:
            if field.key in clean:
                value = clean[field.key]
                if value is None:
                    CustomFieldValue.objects.filter(user=member, field=field).delete()
                else:
                    CustomFieldValue.objects.update_or_create(user=member, field=field, defaults={"value": value})
        profile_changed.send(sender=Profile, member_ids=[member.pk])
    return profile


def check_career(rows):
    """`rows`: dicts with company, department, title, started_on, ended_on (the form's or the API's)."""
    errors = {}
    if len(rows) > MAX_CAREER:
        raise ValidationError(_("Please add at most %(count)d positions.") % {"count": MAX_CAREER})
    for number, row in enumerate(rows, start=1):
        if not (row.get("department") or row.get("title") or row.get("company")):
            errors[f"career.{number}"] = _("Position %(number)d: please enter a department or a title.") % {
                "number": number}
        start, end = row.get("started_on"), row.get("ended_on")
        if start and end and end < start:
            errors[f"career.{number}"] = _("Position %(number)d: the end must come after the start.") % {
                "number": number}
        if len(row.get("title") or "") > 200:
            errors[f"career.{number}"] = _("Position %(number)d: the title is too long.") % {"number": number}
    if errors:
        raise ValidationError(errors)


def do_set_career(member, rows):
    """Replace the member's career at the company with `rows` (newest first is how pages show it)."""
    check_career(rows)
    with transaction.atomic():
        member.career.all().delete()
        CareerEntry.objects.bulk_create([
            CareerEntry(user=member, company=row.get("company"), department=row.get("department"),
                        title=(row.get("title") or "").strip(), started_on=row.get("started_on"),
                        ended_on=row.get("ended_on"))
            for row in rows
        ])
        profile_changed.send(sender=CareerEntry, member_ids=[member.pk])


def do_set_photo(member, photo):
    """`photo`: a ContentFile from kizuna.core.images.clean_photo, or None to remove the photo."""
    with transaction.atomic():
        profile = _profile(member)
        old = profile.photo.name if profile.photo else ""
        if photo is None:
            profile.photo = ""
        else:
            profile.photo.save(photo.name, photo, save=False)
        profile.save(update_fields=["photo", "updated_at"])
        profile_changed.send(sender=Profile, member_ids=[member.pk])
        if old and old != profile.photo.name:
            # Only once the change is committed: a rolled-back save keeps the photo it still points to.
            storage = profile.photo.storage
            transaction.on_commit(lambda: storage.delete(old))
    return profile


UNCHANGED = object()


def _messages_by_key(error, key):
    return error.message_dict if hasattr(error, "error_dict") else {key: error.messages}


def check_own_profile(member, changes: dict, *, visibility=None, career=None, fields=None):
    """check_profile() and check_career() together: one ValidationError keyed by field for all problems."""
    errors = {}
    try:
        check_profile(member, changes, visibility=visibility, fields=fields)
    except ValidationError as error:
        errors.update(_messages_by_key(error, "profile"))
    if career is not None:
        try:
            check_career(career)
        except ValidationError as error:
            errors.update(_messages_by_key(error, "career"))
    if errors:
        raise ValidationError(errors)


def do_save_own_profile(member, changes: dict, *, visibility=None, career=None, photo=UNCHANGED, hidden=None):
    """The profile form's save: values and their visibility, career, photo (a clean_photo() file or None
    to remove it) and hiding. Everything is checked before anything is written, and written at once."""
    check_own_profile(member, changes, visibility=visibility, career=career)
    with transaction.atomic():
        profile = do_update_profile(member, changes, visibility=visibility)
        if career is not None:
            do_set_career(member, career)
        if photo is not UNCHANGED:
            profile = do_set_photo(member, photo)
        if hidden is not None:
            profile = do_set_hidden(member, hidden)
    return profile


def do_set_hidden(member, hidden: bool):
    """Hide the member from the directory and its search (or show them again)."""
    with transaction.atomic():
        profile = _profile(member)
        profile.hidden = bool(hidden)
        profile.save(update_fields=["hidden", "updated_at"])
        profile_changed.send(sender=Profile, member_ids=[member.pk])
    return profile


def do_confirm_profile(member):
    """"Yes, this is still current": the reminder goes away for another period."""
    profile = _profile(member)
    profile.confirmed_at = timezone.now()
    profile.save(update_fields=["confirmed_at", "updated_at"])
    return profile


def check_block(member, other):
    if other.pk == member.pk:
        raise ValidationError(_("You cannot block yourself."))
    if other.state != State.ACTIVE:
        raise ValidationError(_("This member is no longer in the network."))
    if other.role in (Role.ADMIN, Role.MODERATOR):
        raise ValidationError(_("HR and moderators cannot be blocked. If someone in that role troubles you, "
                                "please contact HR."))
    # A block hides both ways: staff who blocked someone could no longer be reached by them, nor see them.
    if member.role in (Role.ADMIN, Role.MODERATOR):
        raise ValidationError(_("As HR or a moderator you cannot block members: everyone must be able to reach "
                                "you. Please use moderation instead."))


def do_block(member, other):
    """Each disappears from the other's directory, search, profile pages and messages."""
    check_block(member, other)
    block, _created = Block.objects.get_or_create(blocker=member, blocked=other)
    member.__dict__.pop("_kizuna_blocked_ids", None)
    return block


def do_unblock(member, other):
    Block.objects.filter(blocker=member, blocked=other).delete()
    member.__dict__.pop("_kizuna_blocked_ids", None)
