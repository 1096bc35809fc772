"""Believable made-up people for seed and demo data.

Japanese names with readings and romaji (Faker ja_JP's name tables, sampled directly: calling Faker per
field is several times slower at 250,000 people; plus the longer tail of seed_data.py), group companies,
a department tree, join and leave dates shaped like a real company's, HR leaver records that agree with
the accounts, and profiles (seed_profiles.py). Everything here builds unsaved objects;
actions.do_bulk_create_members() writes them.
"""

import calendar
import datetime
import itertools
import random
from dataclasses import dataclass

from django.utils import timezone
from faker.providers.person.ja_JP import Provider as JapaneseNames

from kizuna.core.actions import do_save_company, ensure_department
from kizuna.core.models import Department, GroupCompany, LeaveType
from kizuna.core.text import to_hiragana

from . import seed_data
from .actions import NewMember
from .models import LeaverRecord, Role, State, User
from .seed_profiles import ProfileMaker, ensure_skills_pool

EMPLOYEE_DOMAIN = "kizuna-corp.example"
PERSONAL_DOMAINS = ("example.com", "example.net", "example.org")

# (name, reading, share of the workforce)
COMPANIES = [
    ("絆ホールディングス", "きずなほーるでぃんぐす", 40),
    ("絆テクノロジーズ", "きずなてくのろじーず", 30),
    ("絆コンサルティング", "きずなこんさるてぃんぐ", 18),
    ("絆ロジスティクス", "きずなろじすてぃくす", 12),
]
# (department path, share of the workforce)
DEPARTMENTS = [
    ("営業本部/東京営業部", 14), ("営業本部/大阪営業部", 8), ("営業本部/法人営業部", 8),
    ("開発本部/プラットフォーム開発部", 10), ("開発本部/プロダクト開発部", 10), ("開発本部/品質保証部", 5),
    ("開発本部/インフラ部", 4), ("マーケティング部", 7), ("カスタマーサクセス部", 8), ("人事部", 4),
    ("経営企画部", 3), ("経理部", 4), ("法務部", 2), ("総務部", 3), ("広報部", 2),
    ("物流本部/東日本物流センター", 4), ("物流本部/西日本物流センター", 4),
]
TITLES = [("", 55), ("主任", 15), ("係長", 10), ("課長", 10), ("マネージャー", 5), ("部長", 4), ("本部長", 1)]
# Leave types of people in the network (disciplinary dismissals are not let in: see the demo's HR records).
LEAVE_TYPES = [
    (LeaveType.VOLUNTARY, 78), (LeaveType.COMPANY, 3), (LeaveType.RETIREMENT, 6),
    (LeaveType.CONTRACT_END, 6), (LeaveType.TRANSFER, 5), (LeaveType.OTHER, 2),
]
# Most people who leave do so in their first years; a few after decades. ((min, max months), share)
TENURES = [((3, 12), 10), ((12, 36), 30), ((36, 60), 20), ((60, 120), 22), ((120, 240), 13), ((240, 420), 5)]
ROLES = [(Role.ALUMNI, 85), (Role.EMPLOYEE, 14), (Role.MODERATOR, 1)]
FIRST_LEFT_YEAR = 2005
FIRST_JOINED_YEAR = 1975
NETWORK_YEARS = 4  # members joined the network over its first years


def _table(pairs):
    """(values, cumulative weights) for random.choices."""
    values, weights = zip(*pairs, strict=True)
    return values, list(itertools.accumulate(weights))


def ensure_organisation():
    """The demo group's companies and department tree; existing ones are reused."""
    companies = {c.name: c for c in GroupCompany.objects.filter(name__in=[name for name, _k, _w in COMPANIES])}
    for name, reading, _weight in COMPANIES:
        if name not in companies:
            companies[name] = do_save_company(None, GroupCompany(), name=name, name_kana=reading)
    departments = {d.path: d for d in Department.objects.filter(path__in=[path for path, _w in DEPARTMENTS])}
    for path, _weight in DEPARTMENTS:
        if path not in departments:
            departments[path] = ensure_department(path)
    return ([(companies[name], weight) for name, _k, weight in COMPANIES],
            [(departments[path], weight) for path, weight in DEPARTMENTS])


def surnames():
    """(kanji, kana, romaji) → weight: Faker's 50 common surnames, then the tail of seed_data.py."""
    common = {name: weight for name, weight in JapaneseNames.last_name_pairs.items()}
    more = {name: 1 / (rank + 10) for rank, name in enumerate(seed_data.MORE_SURNAMES)}
    built = {}
    for (i, (head, head_kana, head_romaji)), (j, (tail, tail_kana, tail_romaji)) in itertools.product(
            enumerate(seed_data.SURNAME_HEADS), enumerate(seed_data.SURNAME_TAILS)):
        if head != tail:
            built[(head + tail, head_kana + tail_kana, head_romaji + tail_romaji)] = ((i + 2) * (j + 2)) ** -0.5
    table, seen = {}, set()
    for group, share in zip((common, more, built), seed_data.SURNAME_SHARES, strict=True):
        group = {name: weight for name, weight in group.items() if name[0] not in seen}
        seen.update(name[0] for name in group)
        total = sum(group.values())
        table.update({name: share * weight / total for name, weight in group.items()})
    for usual, variant, share in seed_data.SURNAME_VARIANTS:
        for name in [name for name in table if name[0] == usual]:
            moved = table[name] * share
            table[name] -= moved
            table[(variant, *name[1:])] = table.get((variant, *name[1:]), 0) + moved
    return table


def next_employee_number():
    """Seeded people are numbered after everyone already there, so seeding twice never collides."""
    return User.objects.count() + LeaverRecord.objects.count() + 1


@dataclass
class Person:
    """One made-up (former) employee: who they are and their career at the group."""

    number: int
    name: str
    name_kana: str
    romaji: str
    email: str
    company: GroupCompany
    department: Department
    title: str
    joined_on: datetime.date
    left_on: datetime.date | None = None
    leave_type: str = ""

    @property
    def employee_number(self):
        return f"K{self.number:07d}"


class People:
    """A deterministic stream of people: the same seed and starting number give the same people."""

    def __init__(self, seed, *, companies, departments, password, first_number=1, min_tenure_months=0,
                 skills=None):
        self.rng = random.Random(seed)
        self.min_tenure_months = min_tenure_months  # the network's rule: members meet it
        self.password = password  # one precomputed hash (or unusable marker) shared by everyone
        self.today = timezone.localdate()
        self.numbers = itertools.count(first_number)
        self.companies = _table(companies)
        self.departments = _table(departments)
        self.titles = _table(TITLES)
        self.leave_types = _table(LEAVE_TYPES)
        self.tenures = _table(TENURES)
        self.roles = _table(ROLES)
        self.last_names = _table(surnames().items())
        self.first_names = (JapaneseNames.first_name_male_pairs + tuple(seed_data.MORE_MALE_NAMES),
                            JapaneseNames.first_name_female_pairs + tuple(seed_data.MORE_FEMALE_NAMES))
        # More people left in recent years: the company grew.
        years = range(FIRST_LEFT_YEAR, self.today.year + 1)
        self.left_years = _table([(year, 1 + (year - FIRST_LEFT_YEAR) / 4) for year in years])
        self.joined_years = _table([(year, 1 + (year - 1990) / 6) for year in range(1990, self.today.year + 1)])
        self.profiles = ProfileMaker(self.rng, skills or ensure_skills_pool(), today=self.today,
                                     companies=[c for c, _w in companies], departments=[d for d, _w in departments])

    def _pick(self, table):
        values, cum_weights = table
        return self.rng.choices(values, cum_weights=cum_weights)[0]

    def _name(self):
        """(name, reading, romaji); the romaji mostly given name first, sometimes as SATO Ken."""
        if self.rng.random() < seed_data.FOREIGN_SHARE:
            last, first, last_kana, first_kana, romaji = self.rng.choice(seed_data.FOREIGN_NAMES)
            return f"{last} {first}", f"{last_kana} {first_kana}", romaji
        last, last_kana, last_romaji = self._pick(self.last_names)
        first, first_kana, first_romaji = self.rng.choice(self.first_names[self.rng.random() < 0.5])
        romaji = f"{first_romaji} {last_romaji}" if self.rng.random() < 0.8 else f"{last_romaji.upper()} {first_romaji}"
        return f"{last} {first}", f"{to_hiragana(last_kana)} {to_hiragana(first_kana)}", romaji

    def _identity(self, domain=None):
        number = next(self.numbers)
        name, name_kana, romaji = self._name()
        local = ".".join(romaji.lower().split()) + f".{number}"
        return {
            "number": number,
            "name": name,
            "name_kana": name_kana,
            "romaji": romaji,
            "email": f"{local}@{domain or self.rng.choice(PERSONAL_DOMAINS)}",
            "company": self._pick(self.companies),
            "department": self._pick(self.departments),
            "title": self._pick(self.titles),
        }

    def _month_end(self, year, month):
        return datetime.date(year, month, calendar.monthrange(year, month)[1])

    def alumnus(self, *, leave_type=None, tenure_months=None):
        """Someone who left between 2005 and today, with a leave type and tenure that fit together."""
        leave_type = leave_type or self._pick(self.leave_types)
        year = self._pick(self.left_years)
        month = self.rng.randint(1, self.today.month if year == self.today.year else 12)
        left_on = self._month_end(year, month) if self.rng.random() < 0.7 else datetime.date(year, month, 15)
        left_on = min(left_on, self.today)
        exact_tenure = tenure_months is not None
        if not exact_tenure:
            if leave_type == LeaveType.RETIREMENT:
                tenure_months = self.rng.randint(300, 456)
            elif leave_type == LeaveType.CONTRACT_END:
                tenure_months = self.rng.randint(6, 60)
            else:
                tenure_months = self.rng.randint(*self._pick(self.tenures))
            tenure_months = max(tenure_months, self.min_tenure_months)
        months = max(left_on.year * 12 + left_on.month - 1 - tenure_months, FIRST_JOINED_YEAR * 12)
        joined_on = datetime.date(months // 12, months % 12 + 1, 1)
        april = datetime.date(joined_on.year, 4, 1)
        if not exact_tenure and april < joined_on and self.rng.random() < 0.5:
            joined_on = april  # new graduates join on 1 April (moving earlier keeps the tenure rule met)
        return Person(**self._identity(), joined_on=joined_on, left_on=left_on, leave_type=leave_type)

    def employee(self):
        year = self._pick(self.joined_years)
        month = 4 if self.rng.random() < 0.6 else self.rng.randint(1, 12)
        joined_on = min(datetime.date(year, month, 1), self.today)
        return Person(**self._identity(EMPLOYEE_DOMAIN), joined_on=joined_on)

    def account(self, person, role, state=State.ACTIVE):
        """An unsaved member for the person; language mostly Japanese; active members joined the network
        over its first years (so "newest members" means something)."""
        activated = None
        if state == State.ACTIVE:
            activated = timezone.now() - datetime.timedelta(seconds=self.rng.randint(0, NETWORK_YEARS * 365 * 86400))
        return User(
            email=person.email, name=person.name, name_kana=person.name_kana, role=role, state=state,
            password=self.password, language="en" if self.rng.random() < 0.04 else "ja",
            company=person.company, department=person.department,
            joined_on=person.joined_on, left_on=person.left_on, activated_at=activated,
        )

    def leaver_record(self, person):
        """HR's row for someone who left; the contact address is the one they gave HR."""
        return LeaverRecord(
            employee_number=person.employee_number, name=person.name, name_kana=person.name_kana,
            email=person.email, joined_on=person.joined_on, left_on=person.left_on,
            leave_type=person.leave_type, department=person.department.path, title=person.title,
            company=person.company.name,
        )

    def member(self, role=None):
        """A new active member with a profile: employees have no leave date; alumni and moderators come
        with an HR record."""
        role = role or self._pick(self.roles)
        if role == Role.EMPLOYEE:
            person = self.employee()
            entry = NewMember(self.account(person, role))
        else:
            person = self.alumnus()
            entry = NewMember(self.account(person, role), record=self.leaver_record(person))
        return self.profiles.fill(entry, person, role)

    def members(self, count):
        return (self.member() for _ in range(count))
