"""Made-up profiles for seeded people: current work, location, skills, a short introduction, purposes,
career at the group, and the privacy choices a few members make (see seed_data.py for the tables).

Like seed.py, everything is built unsaved from one random generator; do_bulk_create_members() writes it.
"""

import datetime
import itertools

from django.utils import timezone

from . import seed_data as data
from .actions import ensure_skills
from .models import CareerEntry, Profile, Role, Visibility

# Privacy choices: (field, level, share of members). Most members keep the defaults.
CHOICES = [("current_company", Visibility.ALUMNI, 0.10), ("bio", Visibility.ME, 0.03),
           ("location", Visibility.ADMINS, 0.02), ("career", Visibility.ALUMNI, 0.03),
           ("skills", Visibility.EMPLOYEES, 0.01)]
HIDDEN_SHARE = 0.01
BLOCK_SHARE = 0.002


def _table(pairs):
    values, weights = zip(*pairs, strict=True)
    return values, list(itertools.accumulate(weights))


def ensure_skills_pool():
    """Skill rows for every skill in the tables, by kind of work."""
    names = list(dict.fromkeys(itertools.chain.from_iterable(data.SKILLS.values())))
    by_name = {skill.name: skill for skill in ensure_skills(names)}
    return {kind: [by_name[name] for name in names if name in by_name] for kind, names in data.SKILLS.items()}


def kind_of(department) -> str:
    return data.DEPARTMENT_KINDS.get(department.path.split("/")[0], "corporate")


class ProfileMaker:
    def __init__(self, rng, skills, *, companies, departments, today=None):
        self.rng = rng
        self.skills = skills  # kind of work → Skill rows
        self.group_companies, self.departments = companies, departments
        self.today = today or timezone.localdate()
        self.companies = _table([(entry[:2], entry[2]) for entry in data.CURRENT_COMPANIES])
        prefectures = [(f"JP-{code:02d}", people * data.NEAR_THE_OFFICE.get(code, 1))
                       for code, people in data.PREFECTURE_POPULATION.items()]
        self.prefectures = _table(prefectures)
        self.countries = _table(data.COUNTRIES)
        self.skill_counts = _table(data.SKILL_COUNTS)
        self.recent = []  # members made so far that others may block (never HR or moderators)

    def _pick(self, table):
        values, cum_weights = table
        return self.rng.choices(values, cum_weights=cum_weights)[0]

    def _chance(self, share):
        return self.rng.random() < share

    def fill(self, entry, person, role, *, complete=False):
        """Add a profile, skills, career and blocks to `entry` (a NewMember) for `person`. `complete`: a
        career for sure, and the default privacy (the demo logins)."""
        rng, kind = self.rng, kind_of(person.department)
        profile = Profile(romaji=person.romaji)
        company, industry = self._pick(self.companies)
        working = role != Role.EMPLOYEE and self._chance(0.85)
        if working:
            spellings = company  # the usual spelling mostly, another width or form sometimes
            profile.current_company = spellings[0] if self._chance(0.7) else rng.choice(spellings)
            if spellings[0] in data.SELF_EMPLOYED:
                profile.current_title = rng.choice(data.SELF_EMPLOYED_TITLES) if self._chance(0.5) else ""
            elif self._chance(0.8):
                profile.current_title = rng.choice(data.CURRENT_TITLES[kind if self._chance(0.7) else "any"])
            profile.industry = industry or rng.choice(["it", "consulting", "media", "other"])
        elif role == Role.EMPLOYEE and person.title and self._chance(0.5):
            profile.current_title = person.title
        if self._chance(0.85):
            abroad = self._chance(0.04)
            profile.location = self._pick(self.countries) if abroad else self._pick(self.prefectures)
        skills = self._skills(kind)
        if self._chance(0.35):
            profile.bio = self._bio(person, role, profile, kind, skills, entry.user.language)
        profile.purposes = [code for code, share in data.PURPOSE_CHANCES.items() if self._chance(share)]
        profile.languages = ["ja"] + [code for code, share in data.LANGUAGE_CHANCES.items() if self._chance(share)]
        if self._chance(0.08):
            profile.links = [f"https://example.com/{person.romaji.lower().replace(' ', '-')}"]
        profile.visibility = {key: level for key, level, share in CHOICES if self._chance(share)}
        profile.hidden = self._chance(HIDDEN_SHARE)
        if complete:
            profile.visibility, profile.hidden = {}, False
        activated = entry.user.activated_at
        if activated and self._chance(0.7):
            profile.confirmed_at = min(activated + datetime.timedelta(days=rng.randint(0, 900)), timezone.now())
        entry.profile, entry.skills = profile, skills
        entry.career = self._career(person) if complete or self._chance(0.7) else []
        if role in (Role.ALUMNI, Role.EMPLOYEE):  # HR and moderators neither block nor can be blocked
            if self.recent and self._chance(BLOCK_SHARE) and not complete:
                entry.blocks = [rng.choice(self.recent)]
            self.recent.append(entry.user)
            del self.recent[:-1000]
        return entry

    def _skills(self, kind):
        count = self._pick(self.skill_counts)
        own = self.skills[kind]
        picked = {id(s): s for s in (self.rng.choice(own if self._chance(0.7) else self.skills["any"])
                                      for _ in range(count))}
        return list(picked.values())

    def _bio(self, person, role, profile, kind, skills, entry_language):
        rng = self.rng
        employer = profile.current_company not in data.SELF_EMPLOYED and profile.current_company
        values = {
            "company": profile.current_company, "title": profile.current_title or "会社員",
            "left": person.left_on.year if person.left_on else "", "joined": person.joined_on.year,
            "department": person.department.name, "skill": skills[0].name if skills else rng.choice(["AI", "DX"]),
            "hobby": rng.choice(data.HOBBIES),
        }
        if entry_language == "en":
            return rng.choice(data.BIO_ENGLISH if employer else data.BIO_ENGLISH[2:]).format(**values)
        if role == Role.EMPLOYEE:
            openings = data.BIO_OPENINGS_EMPLOYEE
        else:
            openings = data.BIO_OPENINGS_WORKING if employer else data.BIO_OPENINGS_OTHER
        parts = [rng.choice(openings)]
        if self._chance(0.6):
            parts.append(rng.choice(data.BIO_MEMORIES[kind]))
        if self._chance(0.7):
            parts.append(rng.choice(data.BIO_CLOSINGS))
        return "".join(parts).format(**values)

    def _career(self, person):
        """1–3 positions between joining and leaving (or today); the last is the one HR has on file."""
        start = person.joined_on
        end = person.left_on or self.today
        months = (end.year - start.year) * 12 + end.month - start.month
        count = min(self.rng.choices((1, 2, 3), weights=(50, 35, 15))[0], max(1, months // 18))
        cuts = sorted(self.rng.sample(range(1, months), count - 1)) if count > 1 else []
        bounds = [start] + [_add_months(start, cut) for cut in cuts] + [end]
        rows = []
        for number in range(count):
            last = number == count - 1
            department = person.department if last or self._chance(0.4) else self.rng.choice(self.departments)
            rows.append(CareerEntry(
                company=person.company if last or self._chance(0.8) else self.rng.choice(self.group_companies),
                department=department, title=person.title if last else self.rng.choice(["", "", "主任"]),
                started_on=bounds[number],
                ended_on=None if last and person.left_on is None else bounds[number + 1],
            ))
        return rows[::-1]


def _add_months(day, months):
    months += day.year * 12 + day.month - 1
    return datetime.date(months // 12, months % 12 + 1, 1)
