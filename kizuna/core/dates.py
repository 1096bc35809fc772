"""Dates as HR files write them: western (2019/4/1, 2019-04-01, 2019年4月1日) and 和暦 (令和5年4月1日, R5.4.1).

`parse_date()` accepts strings (NFKC first, so full-width digits work), `date`/`datetime` objects from
spreadsheet cells and Excel serial numbers; it raises `DateError` (a ValueError) with a message code and
parameters, so callers can show the reason in the reader's language at display time.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Era:
    name: str
    letter: str
    first_day: datetime.date
    last_day: datetime.date


# Newest first. Each era ends the day before the next one began.
ERAS = (
    Era("令和", "R", datetime.date(2019, 5, 1), datetime.date.max),
    Era("平成", "H", datetime.date(1989, 1, 8), datetime.date(2019, 4, 30)),
    Era("昭和", "S", datetime.date(1926, 12, 25), datetime.date(1989, 1, 7)),
    Era("大正", "T", datetime.date(1912, 7, 30), datetime.date(1926, 12, 24)),
)
_ERA_BY_KEY = {key: era for era in ERAS for key in (era.name, era.letter)}

MESSAGES = {
    "date_unreadable": _("Not readable as a date: %(value)s"),
    "date_no_such_day": _("There is no such date: %(value)s"),
    "date_era_year": _("Japanese era years start at 1 (元年): %(value)s"),
    "date_era_before": _("%(value)s is before the %(era)s era began (%(first)s)"),
    "date_era_after": _("%(value)s is after the %(era)s era ended (%(last)s)"),
}

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_WESTERN = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?" + _TIME)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL = re.compile(r"(\d{5})(?:\.0*)?")
_WAREKI = re.compile(
    r"(令和|平成|昭和|大正|[RHST])\s*(元|\d{1,2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?",
    re.IGNORECASE,
)
_EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 = 1900-01-01 (after Excel's 1900 leap-year bug)


class DateError(ValueError):
    def __init__(self, code, **params):
        self.code, self.params = code, params
        super().__init__(code)

    def __str__(self):
        return str(MESSAGES[self.code] % self.params)


def parse_date(value) -> datetime.date | None:
    """A date from a spreadsheet cell or text; None for an empty value; DateError when unreadable."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise DateError("date_unreadable", value=str(value))
    if isinstance(value, int | float):
        return _from_serial(value, str(value))
    raw = str(value).strip()
    text = raw if raw.isascii() else unicodedata.normalize("NFKC", raw).strip()
    if not text:
        return None
    if match := _WESTERN.fullmatch(text) or _COMPACT.fullmatch(text):
        return _make_date(raw, *(int(g) for g in match.groups()))
    if match := _WAREKI.fullmatch(text):
        return _from_wareki(raw, *match.groups())
    if match := _SERIAL.fullmatch(text):
        return _from_serial(int(match.group(1)), raw)
    raise DateError("date_unreadable", value=raw)


def _make_date(raw, year, month, day):
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise DateError("date_unreadable", value=raw)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise DateError("date_no_such_day", value=raw) from None


def _from_wareki(raw, era_key, year, month, day):
    era = _ERA_BY_KEY[era_key.upper()]
    era_year = 1 if year == "元" else int(year)
    if era_year < 1:
        raise DateError("date_era_year", value=raw)
    result = _make_date(raw, era.first_day.year + era_year - 1, int(month), int(day))
    if result < era.first_day:
        raise DateError("date_era_before", value=raw, era=era.name, first=era.first_day.isoformat())
    if result > era.last_day:
        raise DateError("date_era_after", value=raw, era=era.name, last=era.last_day.isoformat())
    return result


def _from_serial(number, raw):
    # Excel stores dates as days since 1899-12-30; accept the range 1900-03-01 .. 2173 only, so an
    # ordinary number (an employee number pasted into the wrong column) is not read as a date.
    if isinstance(number, float) and not number.is_integer() or not 61 <= number <= 99999:
        raise DateError("date_unreadable", value=raw)
    return _EXCEL_EPOCH + datetime.timedelta(days=int(number))


def era_of(day: datetime.date) -> Era:
    for era in ERAS:
        if era.first_day <= day <= era.last_day:
            return era
    raise ValueError(f"{day} is before the Taisho era")


def format_wareki(day: datetime.date, *, short=False) -> str:
    """令和5年4月1日 (or R5.4.1 with short=True); the first year of an era is written 元年 in the long form."""
    era = era_of(day)
    year = day.year - era.first_day.year + 1
    if short:
        return f"{era.letter}{year}.{day.month}.{day.day}"
    return f"{era.name}{'元' if year == 1 else year}年{day.month}月{day.day}日"
