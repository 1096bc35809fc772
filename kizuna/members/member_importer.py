"""Member lists for moving an existing network to Kizuna (a spreadsheet, a Facebook-group roster).

The same reading (CSV in UTF-8/BOM/CP932, XLSX), header matching, cell cleaning (和暦 dates too) and
line-numbered problems as HR's leaver lists: importer.py with the member columns as its Layout. Then
the checks only members need: profile values (actions.check_profile, as the profile form and the API),
one account per address, and the HR record an employee number points to.

Pure reads, like importer.py: actions.do_import_members writes. Each valid row becomes an active member:
an alumnus when the row has a leaving date, an employee otherwise (member_role).
"""

import dataclasses
import datetime
import re
import unicodedata

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from . import importer
from .actions.profiles import MAX_SKILLS, TEXT_LIMITS, check_profile, split_skills
from .choices import PREFECTURE_CODES
from .importer import CellError, Column, Layout, Problem, check_length, normalize_width, shorten
from .models import Role, User

PROFILE_COLUMNS = ("romaji", "current_company", "current_title", "location", "skills", "bio")
SKILL_MAX = 60  # Skill.name

importer.MESSAGES.update({
    "location_unknown": _("Not a prefecture or a country: %(value)s (write e.g. 東京都, 東京, Tokyo, or a country "
                          "such as シンガポール, Singapore or SG)"),
    "location_japan": _("Please give the prefecture (e.g. 東京都) for a place in Japan."),
    "skills_too_many": _("Too many skills: %(count)s (at most %(max)s)."),
    "skill_too_long": _("A skill is too long: %(value)s (at most %(max)s characters)."),
    "date_future": _("The date %(value)s is in the future."),
    "left_future": _("The leaving date %(value)s is in the future: import this person after they have left, "
                     "or without a leaving date as an employee."),
    "profile": "%(message)s",
    "email_twice": _("The same email address is also given on line %(first)s."),
    "email_taken": _("An account with this email address already exists."),
    "record_unknown": _("No HR record has employee number %(number)s; the member is created without a link to "
                        "HR's data."),
    "record_taken": _("The HR record with employee number %(number)s already belongs to an account (an "
                      "invitation or a member)."),
    "record_excluded": _("HR has excluded the person with employee number %(number)s from the network."),
    "record_opted_out": _("The person with employee number %(number)s withdrew from the network; they are not "
                          "added again."),
})


def _leaver_column(name, **changes):
    return dataclasses.replace(importer.LEAVERS.by_name[name], **changes)


COLUMNS = (
    _leaver_column("employee_number", required=False),
    _leaver_column("name"),
    _leaver_column("name_kana"),
    Column("romaji", "ローマ字", ("氏名ローマ字", "氏名(ローマ字)", "name in roman letters")),
    _leaver_column("email", required=True),
    _leaver_column("joined_on"),
    _leaver_column("left_on", required=False),
    _leaver_column("department"),
    _leaver_column("title"),
    _leaver_column("company"),
    Column("current_company", "現在の会社", ("現在の勤務先", "勤務先", "現職の会社", "current employer")),
    Column("current_title", "現在の役職", ("現在の肩書き", "現在の肩書", "肩書き", "current position")),
    Column("location", "地域", ("所在地", "居住地", "都道府県", "国・地域", "country", "prefecture")),
    Column("skills", "スキル", ("得意分野", "skill")),
    Column("bio", "自己紹介", ("プロフィール", "about me", "introduction")),
)

# Year and month only ("2015/4", "2015年4月", "平成27年4月", "H27.4"), as rosters often give them: the 1st.
_YEAR_MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")
_WAREKI_MONTH = re.compile(r"(令和|平成|昭和|大正|[RHST])\s*(元|\d{1,2})\s*[-/.年]\s*(\d{1,2})\s*月?", re.IGNORECASE)


def clean_month_or_date(raw):
    try:
        return importer.clean_date(raw)
    except CellError as error:
        text = unicodedata.normalize("NFKC", str(raw)).strip()
        if match := _YEAR_MONTH.fullmatch(text):
            year, month = int(match.group(1)), int(match.group(2))
            if 1 <= month <= 12:
                return datetime.date(year, month, 1)
        elif match := _WAREKI_MONTH.fullmatch(text):
            era, year, month = match.groups()
            return importer.clean_date(f"{era}{year}年{month}月1日")
        raise error from None


_SUFFIX = re.compile(r"(?<=.)[都府県]$")


def _location_names() -> dict:
    """Normalised name → location code: prefectures (東京都, 東京, Tokyo, JP-13), countries in Japanese and
    English and their ISO codes. Built once per row cleaner, not per cell."""
    names = {}
    for language in ("en", "ja"):
        with translation.override(language):
            for code, name in countries:
                names[importer.header_key(name)] = code
            for code, name in PREFECTURE_CODES.items():
                names[importer.header_key(name)] = code
                names[importer.header_key(_SUFFIX.sub("", str(name)))] = code
    for code in PREFECTURE_CODES:
        names[importer.header_key(code)] = code
    for code, _name in countries:
        for iso in (code, countries.alpha3(code)):
            if iso:
                names[importer.header_key(iso)] = code
    names.update({importer.header_key(alias): code for alias, code in (
        ("アメリカ", "US"), ("米国", "US"), ("USA", "US"), ("英国", "GB"), ("UK", "GB"), ("韓国", "KR"),
        ("台湾", "TW"), ("中国", "CN"), ("香港", "HK"))})
    return names


class _LocationCleaner:
    def __init__(self):
        self.names = None

    def __call__(self, raw):
        text = normalize_width(raw)
        if not text:
            return ""
        if self.names is None:
            self.names = _location_names()
        code = self.names.get(importer.header_key(text))
        if code == "JP":
            raise CellError("location_japan")
        if code is None:
            raise CellError("location_unknown", value=shorten(text))
        return code


def clean_skills(raw) -> list:
    if isinstance(raw, list | tuple):  # from the API
        names = list(dict.fromkeys(filter(None, map(normalize_width, raw))))
    else:
        names = split_skills(raw if isinstance(raw, str) else normalize_width(raw))
    if len(names) > MAX_SKILLS:
        raise CellError("skills_too_many", count=len(names), max=MAX_SKILLS)
    for name in names:
        if len(name) > SKILL_MAX:
            raise CellError("skill_too_long", value=shorten(name), max=SKILL_MAX)
    return names


def clean_bio(raw) -> str:
    """Several lines kept as written (the profile shows them); only surrounding spaces go."""
    text = raw if isinstance(raw, str) else importer.normalize_width(raw)
    lines = [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n")]
    return check_length("\n".join(lines).strip(), TEXT_LIMITS["bio"])


def layout() -> Layout:
    """The member columns; a fresh location cleaner per file (its name table is built on first use)."""
    return Layout(COLUMNS, {**importer.MAX_LENGTH, **TEXT_LIMITS}, {
        "joined_on": clean_month_or_date, "left_on": clean_month_or_date, "location": _LocationCleaner(),
        "skills": clean_skills, "bio": clean_bio,
    })


def member_role(values) -> str:
    return Role.ALUMNI if values.get("left_on") else Role.EMPLOYEE


def validate(table, progress=None) -> importer.Validation:
    """Every problem of every row, as the leaver import reports them; `validation.rows` are the good rows."""
    members = layout()
    validation = importer.validate(table, progress, members)
    if set(members.required) <= set(validation.headers):  # else the missing columns are the problem to fix first
        _check_rows(validation)
        _check_existing(validation)
    validation.errors.sort(key=lambda p: p.line)
    validation.warnings.sort(key=lambda p: p.line)
    return validation


def read_and_validate(fileobj, name, progress=None) -> importer.Validation:
    try:
        return validate(importer.read_file(fileobj, name), progress)
    except importer.ImportFileError as error:
        return importer.Validation(headers={}, errors=[error.problem])


def rows_from_api(rows) -> importer.Table:
    return importer.rows_from_api(rows, layout())


def _check_rows(validation):
    """Dates in the future and the profile rules, row by row; rows with a problem leave `rows`."""
    headers, today, good, first_line = validation.headers, timezone.localdate(), [], {}
    for line, values in validation.rows:
        problems = []
        for name, code in (("joined_on", "date_future"), ("left_on", "left_future")):
            if values.get(name) and values[name] > today:
                problems.append(Problem(line, headers[name], code, {"value": values[name].isoformat()}))
        changes = {name: values[name] for name in PROFILE_COLUMNS if values.get(name)}
        try:
            check_profile(User(joined_on=values.get("joined_on"), left_on=values.get("left_on")), changes, fields=[])
        except ValidationError as error:
            problems += [Problem(line, headers.get(key, key), "profile", {"message": message})
                         for key, messages in error.message_dict.items() for message in messages]
        email = values["email"]
        if email in first_line:
            problems.append(Problem(line, headers["email"], "email_twice", {"first": first_line[email]}))
        else:
            first_line[email] = line
        validation.errors += problems
        if not problems:
            good.append((line, values))
    validation.rows = good


def _check_existing(validation):
    """Addresses already in use (an account, or another member's confirmed address) and HR records."""
    rows, headers = validation.rows, validation.headers
    emails = {values["email"] for _line, values in rows}
    taken = {email for (email,) in importer.matching(User.objects.all(), "email", emails, "email")}
    taken |= {email for (email,) in importer.matching(EmailAddress.objects.filter(verified=True), "email", emails,
                                                       "email")}
    records = importer.existing_records(values["employee_number"] for _line, values in rows
                                        if values.get("employee_number"))
    good = []
    for line, values in rows:
        problems = []
        if values["email"] in taken:
            problems.append(Problem(line, headers["email"], "email_taken"))
        number = values.get("employee_number")
        if number:
            record, params = records.get(number), {"number": number}
            if record is None:
                validation.warnings.append(Problem(line, headers["employee_number"], "record_unknown", params))
            elif record.opted_out:
                problems.append(Problem(line, headers["employee_number"], "record_opted_out", params))
            elif record.excluded:
                problems.append(Problem(line, headers["employee_number"], "record_excluded", params))
            elif record.member_id is not None:
                problems.append(Problem(line, headers["employee_number"], "record_taken", params))
        validation.errors += problems
        if not problems:
            good.append((line, values))
    validation.rows = good
