"""Members for the index, loaded as plain rows: the fast way into view_profile() for thousands at a time.

profile_members() gives model instances with prefetched relations; at 250,000 members building those
instances and the related managers view_profile() calls `.all()` on costs most of a full re-index
(about a millisecond a member), and compiling ORM queries most of re-indexing one member on save.
Here each batch is four plain SQL queries (written once from the models' metadata), and each member is
a light object with the attributes view_profile() reads; companies, departments and skills are shared
model instances. tests/directory/test_index_paths.py checks that both ways give the same ProfileViews.
"""

import functools
import json

from django.db import connection

from kizuna.core.models import Department, GroupCompany
from kizuna.members.models import CareerEntry, CustomFieldValue, Profile, Skill, User

USER_FIELDS = ("id", "name", "name_kana", "role", "state", "company_id", "department_id", "joined_on", "left_on",
               "activated_at", "date_joined")
PROFILE_FIELDS = ("photo", "romaji", "current_company", "current_title", "industry", "location", "bio", "links",
                  "languages", "purposes", "visibility", "hidden")
USER_DEPARTMENT = USER_FIELDS.index("department_id")
COMPANY_FIELDS = ("name", "name_kana", "sort_key")
EMPTY_JSON = {"[]": list, "{}": dict}  # most profiles' links, languages and visibility choices


def _columns(model, alias, names):
    return ", ".join(f"{alias}.{connection.ops.quote_name(model._meta.get_field(n).column)}" for n in names)


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _order(model, alias):
    """The model's default ordering (what `.all()` on a related manager gives) as SQL."""
    return ", ".join(f"{alias}.{connection.ops.quote_name(model._meta.get_field(n.lstrip('-')).column)}"
                     + (" DESC" if n.startswith("-") else "") for n in model._meta.ordering)


@functools.cache
def queries(vendor):
    """The four SELECTs, with `{ids}` where the member ids' placeholders go (names from the models)."""
    company = f"LEFT JOIN {_table(GroupCompany)} c ON c.id = {{}}.company_id"
    # Every name comes from the models' metadata; values are always parameters.
    return {
        "members": f"SELECT {_columns(User, 'u', USER_FIELDS)}, {_columns(GroupCompany, 'c', COMPANY_FIELDS)}, "  # noqa: S608
                   f"p.user_id, {_columns(Profile, 'p', PROFILE_FIELDS)} FROM {_table(User)} u "
                   f"{company.format('u')} LEFT JOIN {_table(Profile)} p ON p.user_id = u.id WHERE u.id IN ({{ids}})",
        "skills": f"SELECT s.profile_id, k.id, k.name, k.key FROM {_table(Profile.skills.through)} s "  # noqa: S608
                  f"JOIN {_table(Skill)} k ON k.id = s.skill_id WHERE s.profile_id IN ({{ids}}) "
                  f"ORDER BY s.profile_id, {_order(Skill, 'k')}, k.id",
        "career": f"SELECT e.user_id, e.company_id, {_columns(GroupCompany, 'c', COMPANY_FIELDS)}, e.department_id, "  # noqa: S608
                  f"e.title, e.started_on, e.ended_on FROM {_table(CareerEntry)} e {company.format('e')} "
                  f"WHERE e.user_id IN ({{ids}}) ORDER BY e.user_id, {_order(CareerEntry, 'e')}",
        "custom": f"SELECT user_id, field_id, value FROM {_table(CustomFieldValue)} "  # noqa: S608
                  f"WHERE user_id IN ({{ids}})",
    }


class Decode:
    """Python values from what the database driver returns (SQLite gives text for dates and JSON, 0/1
    for booleans; psycopg gives typed values except JSON, which Django has it return as text)."""

    def __init__(self):
        sqlite = connection.vendor == "sqlite"
        ops = connection.ops
        self.date = (lambda v: ops.convert_datefield_value(v, None, connection)) if sqlite else (lambda v: v)
        self.datetime = (lambda v: ops.convert_datetimefield_value(v, None, connection)) if sqlite else (lambda v: v)
        self.bool = bool

    @staticmethod
    def json(value):
        if not isinstance(value, str):
            return value
        return EMPTY_JSON[value]() if value in EMPTY_JSON else json.loads(value)


class Rows(list):
    """A relation loaded in advance; `.all()` as on a prefetched related manager."""

    def all(self):
        return self


class Photo(str):
    """The stored file name, true when there is a photo (view_profile reads `.name`)."""

    @property
    def name(self):
        return str(self)


class Row:
    """A member, profile, career entry or custom value, as attributes (what view_profile reads)."""

    def __init__(self, **attributes):
        self.__dict__.update(attributes)


def empty_profile():
    """What view_profile sees for a member without a profile row (members created in bulk)."""
    return Row(pk=None, photo=Photo(""), romaji="", current_company="", current_title="", industry="", location="",
               bio="", links=[], languages=[], purposes=[], visibility={}, hidden=False, skills=Rows())


class Preloader:
    """Loads batches of members; departments, companies and skills are kept as they come (a batch's new
    departments in one query)."""

    def __init__(self):
        self.departments = {}
        self.companies = {}
        self.skills = {}
        self.sql = queries(connection.vendor)
        self.decode = Decode()

    def _company(self, pk, values):
        if pk is None:
            return None
        company = self.companies.get(pk)
        if company is None:
            company = self.companies[pk] = GroupCompany(pk=pk, **dict(zip(COMPANY_FIELDS, values, strict=True)))
        return company

    def _department(self, pk):
        return self.departments.get(pk)

    def _load_departments(self, pks):
        missing = set(pks) - self.departments.keys() - {None}
        if missing:
            self.departments.update(Department.objects.in_bulk(missing))

    def _rows(self, cursor, name, ids):
        cursor.execute(self.sql[name].format(ids=", ".join(["%s"] * len(ids))), ids)
        return cursor.fetchall()

    def members(self, ids) -> list:
        """The members with these ids, as view_profile() needs them, in the order of `ids`."""
        if not ids:
            return []
        decode = self.decode
        members = {}
        user_end, company_end = len(USER_FIELDS), len(USER_FIELDS) + len(COMPANY_FIELDS)
        with connection.cursor() as cursor:
            rows = self._rows(cursor, "members", ids)
            self._load_departments(values[USER_DEPARTMENT] for values in rows)
            for values in rows:
                member = Row(**dict(zip(USER_FIELDS, values, strict=False)))
                member.pk = member.id
                member.joined_on, member.left_on = decode.date(member.joined_on), decode.date(member.left_on)
                member.activated_at = decode.datetime(member.activated_at)
                member.date_joined = decode.datetime(member.date_joined)
                member.company = self._company(member.company_id, values[user_end:company_end])
                member.department = self._department(member.department_id)
                member.career, member.custom_values = Rows(), Rows()
                if values[company_end] is None:
                    member.profile = empty_profile()
                else:
                    profile = member.profile = Row(pk=member.pk, skills=Rows(),
                                                   **dict(zip(PROFILE_FIELDS, values[company_end + 1:], strict=True)))
                    profile.photo, profile.hidden = Photo(profile.photo or ""), decode.bool(profile.hidden)
                    for key in ("links", "languages", "purposes", "visibility"):
                        setattr(profile, key, decode.json(getattr(profile, key)))
                members[member.pk] = member
            ids = [pk for pk in ids if pk in members]
            if not ids:
                return []
            for profile, pk, name, key in self._rows(cursor, "skills", ids):
                skill = self.skills.get(pk)
                if skill is None:
                    skill = self.skills[pk] = Skill(pk=pk, name=name, key=key)
                members[profile].profile.skills.append(skill)
            career = self._rows(cursor, "career", ids)
            self._load_departments(row[5] for row in career)
            for user, company, name, kana, sort_key, department, title, started, ended in career:
                members[user].career.append(Row(
                    company=self._company(company, (name, kana, sort_key)), department=self._department(department),
                    title=title, started_on=decode.date(started), ended_on=decode.date(ended)))
            for user, field, value in self._rows(cursor, "custom", ids):
                members[user].custom_values.append(Row(field_id=field, value=decode.json(value)))
        return [members[pk] for pk in ids]
