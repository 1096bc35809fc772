"""Find the HR leaver records that best match an application.

Candidates come from one query over indexed columns only (employee number, email as the import
stores it: lower-cased, normalised name and reading keys), for a whole page of applications at once;
they are then scored in Python with the years and department. Names and readings are compared through
`kizuna.core.text.normalize`, so 髙橋 matches 高橋 and ﾀｶﾊｼ matches たかはし.
"""

import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import pgettext_lazy

from kizuna.core.models import NetworkSettings
from kizuna.core.text import normalize

from . import eligibility
from .models import LeaverRecord

TOP = 3
# A very common name must not turn one page of applications into a huge fetch.
MAX_FETCHED = 2000

# (points, label) for each kind of evidence. An employee number or former address identifies a person;
# name, reading, years and department together (at most 71) must not outweigh either of them.
EMPLOYEE_NUMBER = (100, pgettext_lazy("matched", "employee number"))
FORMER_EMAIL = (80, pgettext_lazy("matched", "former email"))
NAME = (30, pgettext_lazy("matched", "name"))
READING = (20, pgettext_lazy("matched", "reading"))
LEFT_YEAR = (10, pgettext_lazy("matched", "year left"))
LEFT_YEAR_NEAR = (3, pgettext_lazy("matched", "year left ±1"))
JOINED_YEAR = (6, pgettext_lazy("matched", "year joined"))
JOINED_YEAR_NEAR = (2, pgettext_lazy("matched", "year joined ±1"))
DEPARTMENT = (5, pgettext_lazy("matched", "department"))
# From this score on (e.g. name and reading, or an employee number) the approval form preselects the record.
CONFIDENT = 50
# From this score on the record is identified by an employee number or former address.
IDENTIFIED = FORMER_EMAIL[0]


@dataclass
class Candidate:
    record: LeaverRecord
    score: int
    matched: list
    eligibility: eligibility.Eligibility

    @property
    def likelihood(self):
        """High / Medium / Low for people: the raw points mean nothing to a reviewer."""
        if self.score >= IDENTIFIED:
            return pgettext_lazy("match likelihood", "High")
        if self.score >= CONFIDENT:
            return pgettext_lazy("match likelihood", "Medium")
        return pgettext_lazy("match likelihood", "Low")


@dataclass
class _Keys:
    numbers: set
    email: str
    name: str
    kana: str


def employee_number_forms(value: str | None) -> set:
    """The number as typed and with full-width characters folded (１２３ → 123)."""
    raw = (value or "").strip()
    if not raw:
        return set()
    folded = unicodedata.normalize("NFKC", raw).strip()
    return {raw, folded, folded.upper()}


def _keys(application) -> _Keys:
    return _Keys(
        numbers=employee_number_forms(application.employee_number),
        email=(application.former_email or "").strip().lower(),
        name=normalize(application.name),
        kana=normalize(application.name_kana),
    )


def _year_points(wanted, date, exact, near):
    if not wanted or not date:
        return None
    difference = abs(date.year - wanted)
    return exact if difference == 0 else near if difference == 1 else None


def _score(application, keys: _Keys, record) -> tuple[int, list]:
    evidence = []
    if record.employee_number in keys.numbers:
        evidence.append(EMPLOYEE_NUMBER)
    if keys.email and record.email.lower() == keys.email:
        evidence.append(FORMER_EMAIL)
    if keys.name and record.name_key == keys.name:
        evidence.append(NAME)
    if keys.kana and record.kana_key == keys.kana:
        evidence.append(READING)
    for points in (
        _year_points(application.left_year, record.left_on, LEFT_YEAR, LEFT_YEAR_NEAR),
        _year_points(application.joined_year, record.joined_on, JOINED_YEAR, JOINED_YEAR_NEAR),
    ):
        if points:
            evidence.append(points)
    wanted_department, department = normalize(application.department), normalize(record.department)
    if wanted_department and department and (wanted_department in department or department in wanted_department):
        evidence.append(DEPARTMENT)
    return sum(points for points, _label in evidence), [label for _points, label in evidence]


def candidates_for(applications) -> dict:
    """{application pk: up to TOP candidates, best first} for a list of applications (one query)."""
    applications = list(applications)
    keys = {application.pk: _keys(application) for application in applications}
    numbers = set().union(*(k.numbers for k in keys.values())) if keys else set()
    emails = {k.email for k in keys.values() if k.email}
    names = {k.name for k in keys.values() if k.name}
    kanas = {k.kana for k in keys.values() if k.kana}
    lookup = Q()
    if numbers:
        lookup |= Q(employee_number__in=numbers)
    if emails:
        lookup |= Q(email__in=emails)
    if names:
        lookup |= Q(name_key__in=names)
    if kanas:
        lookup |= Q(kana_key__in=kanas)
    if not lookup:
        return {pk: [] for pk in keys}
    records = LeaverRecord.objects.filter(lookup).select_related("member").order_by()[:MAX_FETCHED]

    by_number, by_email, by_name, by_kana = defaultdict(list), defaultdict(list), defaultdict(list), defaultdict(list)
    for record in records:
        by_number[record.employee_number].append(record)
        by_email[record.email.lower()].append(record)
        by_name[record.name_key].append(record)
        by_kana[record.kana_key].append(record)

    rules = NetworkSettings.load()
    result = {}
    for application in applications:
        k = keys[application.pk]
        found = {r.pk: r for number in k.numbers for r in by_number.get(number, [])}
        for index, key in ((by_email, k.email), (by_name, k.name), (by_kana, k.kana)):
            if key:
                found.update((r.pk, r) for r in index.get(key, []))
        scored = []
        for record in found.values():
            score, matched = _score(application, k, record)
            scored.append((score, record, matched))
        scored.sort(key=lambda item: (-item[0], item[1].employee_number))
        result[application.pk] = [
            Candidate(record, score, matched, eligibility.evaluate(record, rules))
            for score, record, matched in scored[:TOP]
        ]
    return result
