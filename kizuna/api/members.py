"""The directory and profiles over HTTP: search members, read a profile, read and edit one's own, and
(admins) add members moving over from another network.

Another member's values come only from their ProfileView (members.access.view_profiles), the read model
of the pages, and the list is directory.access.search() fed by the page's own DirectoryForm: the API
shows and finds exactly what the directory page does for the same viewer, and nothing more.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from kizuna.core.models import Department, GroupCompany
from kizuna.directory.access import search
from kizuna.directory.forms import DirectoryForm
from kizuna.members import actions, member_importer
from kizuna.members.access import access_profile, profile_members, view_profiles
from kizuna.members.models import Visibility
from kizuna.members.profiles import (
    EVERY_LEVEL,
    FIELDS,
    custom_fields,
    effective_visibility,
    view_profile,
    visibility_rules,
)

from .auth import require_admin
from .errors import FieldErrors, ProblemOut, field_errors, form_errors, problems

router = Router(tags=["members"])

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_NEW_MEMBERS = 5000
# Which fields PATCH /me passes to check_profile/do_update_profile (custom_<id> come from `custom`).
PROFILE_KEYS = ("romaji", "current_company", "current_title", "industry", "location", "bio", "links", "languages",
                "purposes", "skills", "joined_on", "left_on")


# --- Another member, as the viewer may see them ------------------------------------------------------

class Choice(Schema):
    code: str
    label: str = Field(description="In the language of the request (Accept-Language).")


class CompanyOut(Schema):
    id: int
    name: str


class DepartmentOut(Schema):
    id: int
    path: str = Field(description="Parent departments first, separated by /, e.g. 営業本部/東京営業部.")


class CareerOut(Schema):
    company: CompanyOut | None
    department: DepartmentOut | None
    title: str | None
    started_month: str | None = Field(description="YYYY-MM")
    ended_month: str | None = Field(description="YYYY-MM")


class CustomValueOut(Schema):
    key: str = Field(description="custom_<id>, the key PATCH /me takes.")
    label: str
    kind: str = Field(description="text, choice, multi or date (YYYY-MM-DD).")
    value: str | list[str]


class MemberOut(Schema):
    """A member's profile as the requesting member may see it. Name, reading and roman letters are shown to
    every member; everything else follows the owner's visibility choices. A value the requester may not
    see, or an empty one, is null (lists too): the two are not told apart."""

    id: int
    name: str
    name_kana: str
    romaji: str | None
    role: str = Field(description="admin, moderator, employee or alumni.")
    joined_month: str | None = Field(description="YYYY-MM")
    left_month: str | None = Field(description="YYYY-MM")
    company: CompanyOut | None = Field(description="The group company (for employees: where they work now).")
    department: DepartmentOut | None = Field(description="For employees: their current department.")
    career: list[CareerOut] | None = Field(description="Positions inside the group, newest first.")
    current_company: str | None
    current_title: str | None
    industry: Choice | None
    location: Choice | None = Field(description="A prefecture (JP-13) or a country (ISO code).")
    skills: list[str] | None
    bio: str | None
    links: list[str] | None
    languages: list[Choice] | None
    purposes: list[Choice] | None
    custom: list[CustomValueOut] | None = Field(description="Answers to the network's own profile questions.")


class MemberPage(Schema):
    total: int = Field(description="Members matching the search, on every page.")
    page: int
    page_size: int
    results: list[MemberOut]


def _month(day):
    return f"{day.year:04d}-{day.month:02d}" if day else None


def _or_none(value):
    return value or None


def _company(company):
    return {"id": company.pk, "name": company.name} if company else None


def _department(department):
    return {"id": department.pk, "path": department.path} if department else None


def custom_label(field):
    return field.label_en if (get_language() or "").startswith("en") and field.label_en else field.label


def member_json(view) -> dict:
    """A ProfileView as MemberOut: it holds only what the viewer may see, so nothing else can get out."""
    purposes = [{"code": code, "label": str(label)} for code, label in view.purpose_labels]
    languages = [{"code": code, "label": str(label)} for code, label in zip(view.languages, view.language_labels,
                                                                          strict=False)]
    return {
        "id": view.pk, "name": view.name, "name_kana": view.name_kana, "romaji": _or_none(view.romaji),
        "role": view.role, "joined_month": _month(view.joined_on), "left_month": _month(view.left_on),
        "company": _company(view.company), "department": _department(view.department),
        "career": _or_none([{"company": _company(c.company), "department": _department(c.department),
                             "title": _or_none(c.title), "started_month": _month(c.started_on),
                             "ended_month": _month(c.ended_on)} for c in view.career]),
        "current_company": _or_none(view.current_company), "current_title": _or_none(view.current_title),
        "industry": {"code": view.industry, "label": str(view.industry_label)} if view.industry else None,
        "location": {"code": view.location, "label": str(view.location_label)} if view.location else None,
        "skills": _or_none([skill.name for skill in view.skills]), "bio": _or_none(view.bio),
        "links": _or_none(list(view.links)), "languages": _or_none(languages), "purposes": _or_none(purposes),
        "custom": _or_none([{"key": f.key, "label": custom_label(f), "kind": f.kind, "value": value}
                            for f, value in view.custom]),
    }


def _in_english(text):
    """The API's documentation is in English, whatever language the docs page is opened in."""
    def render():
        with translation.override("en"):
            return str(text)

    return lazy(render, str)()


def _search_parameters():
    """OpenAPI parameters of GET /members, read off DirectoryForm so the docs cannot drift from the page."""
    parameters = []
    for name, field in DirectoryForm.base_fields.items():
        schema, description = {"type": "string"}, field.label
        if isinstance(field, forms.ModelChoiceField):
            schema = {"type": "integer"}
            description = format_lazy("{} (id)", field.label)
        elif isinstance(field, forms.MultipleChoiceField):
            schema = {"type": "array", "items": {"type": "string", "enum": [c for c, _label in field.choices]}}
            description = format_lazy("{} (repeat the parameter for several: all must match)", field.label)
        elif isinstance(field, forms.ChoiceField):
            schema = {"type": "string", "enum": [c for c, _label in field.choices if c]}
        elif isinstance(field, forms.IntegerField):
            schema = {"type": "integer", "minimum": field.min_value, "maximum": field.max_value}
        if name == "q":
            description = ("Words to search for (names in kanji, kana or roman letters, companies, titles, skills, "
                           "introductions); several words must all match.")
        elif name == "department":
            description = "Department (id); a department also finds members of its sub-departments."
        elif name == "sort":
            description = ("Order: reading (あいうえお order of the reading, the default), newest (newest members "
                           "first), left (year left, recent first).")
        elif name == "location":
            description = "Location: JP-01 … JP-47 for a prefecture, or an ISO country code."
        elif field.help_text:
            description = format_lazy("{}. {}", field.label, field.help_text)
        parameter = {"in": "query", "name": name, "required": False, "schema": schema,
                     "description": _in_english(description)}
        if schema["type"] == "array":
            parameter["explode"] = True
        parameters.append(parameter)
    return parameters + [
        {"in": "query", "name": "page", "required": False, "schema": {"type": "integer", "minimum": 1, "default": 1},
         "description": "Page number, from 1. A page after the last one has no results."},
        {"in": "query", "name": "page_size", "required": False,
         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": PAGE_SIZE},
         "description": "Members per page."},
    ]


def _paging(params):
    """(page, page_size, field errors) from the query string."""
    found, problems_found = {}, []
    for name, default, high in (("page", 1, None), ("page_size", PAGE_SIZE, MAX_PAGE_SIZE)):
        text = params.get(name, "").strip()
        value = int(text) if re.fullmatch(r"\d{1,9}", text) else (default if text == "" else None)
        if value is None or value < 1 or (high and value > high):
            message = (_("Please enter a whole number from 1 to %(max)s.") % {"max": high} if high
                       else _("Please enter a whole number from 1."))
            problems_found.append((("query", name), message, "invalid"))
        found[name] = value
    return found["page"], found["page_size"], problems_found


@router.get("/members", url_name="members", response={200: MemberPage, 400: FieldErrors},
            summary="Search the directory", openapi_extra={"parameters": _search_parameters()})
def list_members(request):
    """The directory: the same search, filters, order and privacy as the 名簿 page. A member is found only by
    what you may see of them; hidden, blocked, suspended and withdrawn members never appear. Bad parameters
    get 400 with every field's problem."""
    form = DirectoryForm(request.GET)
    page, size, paging_problems = _paging(request.GET)
    if not form.is_valid() or paging_problems:
        return Status(400, {"detail": form_errors(form)["detail"] + field_errors(paging_problems)["detail"]})
    found = search(request.auth, form.query())
    ids = found.member_ids((page - 1) * size, page * size)
    members = profile_members().in_bulk(ids)
    views = view_profiles(request.auth, [members[pk] for pk in ids if pk in members])
    return {"total": found.total, "page": page, "page_size": size, "results": [member_json(view) for view in views]}


@router.get("/members/{int:member_id}", url_name="member", response=MemberOut, summary="A member's profile")
def member(request, member_id: int):
    """One member as you may see them (hidden values null). Someone who blocked you or whom you blocked,
    and accounts that are not active, are 404 like an id that does not exist."""
    return member_json(view_profiles(request.auth, [access_profile(request.auth, member_id)])[0])


# --- One's own profile --------------------------------------------------------------------------------

class OwnCareerOut(Schema):
    company: CompanyOut | None
    department: DepartmentOut | None
    title: str
    started_on: datetime.date | None
    ended_on: datetime.date | None


class FieldRuleOut(Schema):
    key: str = Field(description="The key in `visibility` (and, for custom_<id>, in `custom`).")
    label: str
    visibility: str = Field(description="Who sees it now: your choice when HR allows it, else the default.")
    default: str
    allowed: list[str] = Field(description="The levels HR allows you to choose.")
    kind: str | None = Field(None, description="Custom fields: text, choice, multi or date.")
    choices: list[str] | None = Field(None, description="Custom fields of kind choice and multi: the options.")


class MeOut(Schema):
    """Your account and your whole profile, with who may see each part. Visibility levels: members (all
    members), alumni, employees, admins (HR), me (only you; HR does not see it either)."""

    id: int
    email: str
    name: str
    name_kana: str
    role: str
    state: str
    language: str
    company: str | None = Field(description="Group company name (from HR).")
    department: str | None = Field(description="Department path (from HR).")
    joined_on: datetime.date | None
    left_on: datetime.date | None
    romaji: str
    current_company: str
    current_title: str
    industry: str
    location: str
    bio: str
    links: list[str]
    languages: list[str]
    purposes: list[str]
    skills: list[str]
    career: list[OwnCareerOut]
    custom: dict[str, str | list[str]] = Field(description="custom_<id> → your answer (unanswered left out).")
    hidden: bool = Field(description="Hidden from the directory and its search.")
    visibility: dict[str, str] = Field(description="Field key → who may see it now.")
    fields: list[FieldRuleOut]


def me_json(member) -> dict:
    member = profile_members().get(pk=member.pk)
    fields = custom_fields()
    rules = visibility_rules(fields)
    view = view_profile(member, seen=EVERY_LEVEL, rules=rules, fields=fields)
    profile = getattr(member, "profile", None)
    levels = effective_visibility(getattr(profile, "visibility", None) or {}, rules)
    return {
        "id": member.pk, "email": member.email, "name": member.name, "name_kana": member.name_kana,
        "role": member.role, "state": member.state, "language": member.language,
        "company": member.company.name if member.company else None,
        "department": member.department.path if member.department else None,
        "joined_on": member.joined_on, "left_on": member.left_on,
        **{key: getattr(view, key) for key in ("romaji", "current_company", "current_title", "industry", "location",
                                               "bio", "links", "languages", "purposes")},
        "skills": [skill.name for skill in view.skills],
        "career": [{"company": _company(c.company), "department": _department(c.department), "title": c.title,
                    "started_on": c.started_on, "ended_on": c.ended_on} for c in view.career],
        "custom": {f.key: value for f, value in view.custom},
        "hidden": bool(profile and profile.hidden),
        "visibility": levels,
        "fields": [{"key": key, "label": label, "visibility": levels[key], "default": rules[key].default,
                    "allowed": [level for level in Visibility.values if level in rules[key].allowed], **extra}
                   for key, label, extra in _field_list(fields)],
    }


def _field_list(fields):
    """(key, label, kind and choices for custom fields) of every profile field, in the profile's order."""
    for field in FIELDS:
        yield field.key, str(field.label), {}
    for field in fields:
        yield field.key, custom_label(field), {"kind": field.kind, "choices": field.choices or None}


@router.get("/me", url_name="me", response=MeOut, summary="Your account and profile")
def me(request):
    """The member the token (or session) belongs to: every value of their profile and who may see it."""
    return me_json(request.auth)


class CareerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    company: int | None = Field(None, description="A group company's id (as in GET /me or the directory).")
    department: int | None = Field(None, description="A department's id.")
    title: str = ""
    started_on: str | None = Field(None, description="YYYY-MM or YYYY-MM-DD.")
    ended_on: str | None = Field(None, description="YYYY-MM or YYYY-MM-DD.")


class MeIn(Schema):
    """Only the keys sent change. null or "" clears a value; a list replaces the whole list."""

    model_config = ConfigDict(extra="forbid")

    romaji: str | None = None
    current_company: str | None = None
    current_title: str | None = None
    industry: str | None = Field(None, description="An industry code (it, consulting, finance, …) or null.")
    location: str | None = Field(None, description="JP-01 … JP-47 for a prefecture, or an ISO country code.")
    bio: str | None = None
    links: list[str] | None = Field(None, description="At most 5 web addresses (https://…).")
    languages: list[str] | None = Field(None, description="Language codes: ja, en, zh, …")
    purposes: list[str] | None = Field(None, description="social, info, return, contract, business, mentor.")
    skills: list[str] | None = Field(None, description="At most 30.")
    joined_on: str | None = Field(None, description="The month you joined: YYYY-MM (or YYYY-MM-DD).")
    left_on: str | None = Field(None, description="The month you left: YYYY-MM (or YYYY-MM-DD).")
    custom: dict[str, str | list[str] | None] | None = Field(
        None, description="custom_<id> → answer (a list for kind multi, YYYY-MM-DD for date, null to clear).")
    visibility: dict[str, str] | None = Field(
        None, description="Field key → members, alumni, employees, admins or me (within `allowed` of GET /me).")
    hidden: bool | None = Field(None, description="true: hide me from the directory and its search.")
    career: list[CareerIn] | None = Field(None, description="Your positions inside the group; replaces them all.")


_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")


def _parse_month(text):
    """A date from YYYY-MM or YYYY-MM-DD; anything else comes back as it was (check_profile refuses it)."""
    match = _ISO_MONTH.fullmatch((text or "").strip())
    if not match:
        return text or None
    try:
        return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1))
    except ValueError:
        return text


def _location(key):
    """Where a check_*() error key points in the body: career.2 → career[1], visibility.bio, custom_3."""
    head, _dot, rest = key.partition(".")
    if head == "career" and rest.isdigit():
        return ("body", "career", int(rest) - 1)
    if head.startswith("custom_"):
        return ("body", "custom", key)
    return ("body", head, rest) if rest else ("body", head)


def _check_me(member, data):
    """(profile changes, career rows or None, problems) for a PATCH body; every problem at once."""
    found = []
    fields = custom_fields()
    changes = {key: data[key] for key in PROFILE_KEYS if key in data}
    for key in ("joined_on", "left_on"):
        if key in changes:
            changes[key] = _parse_month(changes[key])
    known = {f.key for f in fields}
    for key, value in (data.get("custom") or {}).items():
        if key in known:
            changes[key] = value
        else:
            found.append((("body", "custom", key), _("This is not one of the network's profile fields."), "unknown"))
    try:
        actions.check_profile(member, changes, visibility=data.get("visibility"), fields=fields)
    except ValidationError as error:
        found += _problems_of(error)
    career = None
    if data.get("career") is not None:
        career, career_problems = _career_rows(data["career"])
        found += career_problems
        if not career_problems:
            try:
                actions.check_career(career)
            except ValidationError as error:
                found += _problems_of(error, "career")
    return changes, career, found


def _problems_of(error, key=""):
    """A check_*()'s ValidationError as field problems (keyed, or all about `key`)."""
    keyed = error.message_dict.items() if hasattr(error, "error_dict") else [(key, error.messages)]
    return [(_location(key), message, "invalid") for key, messages in keyed for message in messages]


def _career_rows(items):
    companies = GroupCompany.objects.in_bulk([item["company"] for item in items if item.get("company")])
    departments = Department.objects.in_bulk([item["department"] for item in items if item.get("department")])
    rows, found = [], []
    for index, item in enumerate(items):
        row = {"title": item.get("title") or "", "company": None, "department": None}
        for key, known, message in (("company", companies, _("There is no group company with this id.")),
                                    ("department", departments, _("There is no department with this id."))):
            if item.get(key):
                row[key] = known.get(item[key])
                if row[key] is None:
                    found.append((("body", "career", index, key), message, "unknown"))
        for key in ("started_on", "ended_on"):
            row[key] = _parse_month(item.get(key))
            if row[key] is not None and not isinstance(row[key], datetime.date):
                found.append((("body", "career", index, key), _("Please enter a year and month such as 2015-04."),
                              "invalid"))
        rows.append(row)
    return rows, found


@router.patch("/me", url_name="me", response={200: MeOut, 422: FieldErrors}, summary="Change your profile")
def update_me(request, payload: MeIn):
    """Change profile values, who may see them, your career at the company and whether the directory lists
    you. Everything is checked first: with any problem nothing changes, and the answer (422) lists each
    field's problem. The directory follows at once: a value you hide can no longer be found."""
    member = request.auth
    data = payload.model_dump(exclude_unset=True)
    changes, career, found = _check_me(member, data)
    if found:
        return Status(422, field_errors(found))
    with transaction.atomic():
        if changes or data.get("visibility"):
            actions.do_update_profile(member, changes, visibility=data.get("visibility"))
        if career is not None:
            actions.do_set_career(member, career)
        if data.get("hidden") is not None:
            actions.do_set_hidden(member, data["hidden"])
    return me_json(member)


# --- Adding members (admins) -------------------------------------------------------------------------

class NewMemberIn(Schema):
    """One person, with the columns of `kizuna import-members`. Only name and email are required."""

    model_config = ConfigDict(extra="forbid")

    employee_number: str | None = Field(None, description="Links the member to HR's record with this number.")
    name: str | None = None
    name_kana: str | None = None
    romaji: str | None = None
    email: str | None = None
    joined_on: str | None = Field(None, description="2015-04-01, 2015/4/1, 2015-04, 平成27年4月1日, H27.4 …")
    left_on: str | None = Field(None, description="With a leaving date the member is an alumnus, without an "
                                "employee.")
    department: str | None = Field(None, description="A path such as 営業本部/東京営業部.")
    title: str | None = None
    company: str | None = Field(None, description="The group company they worked at.")
    current_company: str | None = None
    current_title: str | None = None
    location: str | None = Field(None, description="東京都, 東京, Tokyo, JP-13, a country name or ISO code.")
    skills: list[str] | str | None = Field(None, description="A list, or one string separated by 、 or commas.")
    bio: str | None = None


class MemberImportIn(Schema):
    members: list[NewMemberIn] = Field(min_length=1, max_length=MAX_NEW_MEMBERS)
    dry_run: bool = Field(False, description="Only check the list and report who would be created.")


class NewMemberOut(Schema):
    line: int = Field(description="Index in `members`, from 1.")
    id: int | None = Field(description="null in a dry run.")
    email: str
    name: str
    role: str = Field(description="alumni (with a leaving date) or employee.")


class MemberImportOut(Schema):
    valid: bool
    applied: bool
    rows: int
    created: int
    members: list[NewMemberOut]
    errors: list[ProblemOut]
    warnings: list[ProblemOut]


@router.post("/members", url_name="members", response={200: MemberImportOut, 201: MemberImportOut,
                                                       422: MemberImportOut}, summary="Add members (admins)")
def create_members(request, payload: MemberImportIn):
    """Create active members with their profiles (admins only), e.g. when moving from another network. The
    same checks and report as `kizuna import-members`; all or nothing: with any problem (422) nobody is
    created. Each new member is emailed a link to set their password. 201 when created, 200 for a dry run."""
    require_admin(request)
    rows = [item.model_dump(exclude_unset=True) for item in payload.members]
    validation = member_importer.validate(member_importer.rows_from_api(rows))
    report = {"valid": validation.valid, "rows": len(rows), "errors": problems(validation.errors),
              "warnings": problems(validation.warnings)}
    if not validation.valid:
        return Status(422, {**report, "applied": False, "created": 0, "members": []})
    if payload.dry_run:
        members = [None] * len(validation.rows)
    else:
        members = actions.do_import_members(request.auth, validation, source="api", request=request)
    listed = [{"line": line, "id": getattr(member, "pk", None), "email": values["email"], "name": values["name"],
               "role": member_importer.member_role(values)}
              for (line, values), member in zip(validation.rows, members, strict=True)]
    return Status(200 if payload.dry_run else 201, {**report, "applied": not payload.dry_run,
                                                     "created": 0 if payload.dry_run else len(listed),
                                                     "members": listed})
