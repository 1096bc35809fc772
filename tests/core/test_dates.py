import datetime
import unicodedata

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from kizuna.core.dates import DateError, format_wareki, parse_date

TAISHO_START = datetime.date(1912, 7, 30)
days = st.dates(min_value=TAISHO_START, max_value=datetime.date(2099, 12, 31))


def to_full_width(text):
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


@pytest.mark.parametrize("text, expected", [
    ("2019/4/1", (2019, 4, 1)),
    ("2019-04-01", (2019, 4, 1)),
    ("2019.4.1", (2019, 4, 1)),
    ("2019年4月1日", (2019, 4, 1)),
    ("２０１９／４／１", (2019, 4, 1)),
    ("2019/04/01 0:00:00", (2019, 4, 1)),
    ("20190401", (2019, 4, 1)),
    ("43556", (2019, 4, 1)),
    ("令和5年4月1日", (2023, 4, 1)),
    ("令和元年5月1日", (2019, 5, 1)),
    ("R5.4.1", (2023, 4, 1)),
    ("r5.4.1", (2023, 4, 1)),
    ("Ｒ５．４．１", (2023, 4, 1)),
    ("H31.4.30", (2019, 4, 30)),
    ("平成31年4月30日", (2019, 4, 30)),
    ("平成元年1月8日", (1989, 1, 8)),
    ("S64.1.7", (1989, 1, 7)),
    ("昭和64年1月7日", (1989, 1, 7)),
    ("大正15年12月24日", (1926, 12, 24)),
    ("㋿5年4月1日", (2023, 4, 1)),
])
def test_hr_date_spellings(text, expected):
    assert parse_date(text) == datetime.date(*expected)


def test_spreadsheet_cells_and_empty_values():
    assert parse_date(datetime.datetime(2019, 4, 1, 9, 30)) == datetime.date(2019, 4, 1)
    assert parse_date(datetime.date(2019, 4, 1)) == datetime.date(2019, 4, 1)
    assert parse_date(43556) == datetime.date(2019, 4, 1)
    assert parse_date(None) is None
    assert parse_date("  ") is None


@pytest.mark.parametrize("text, code", [
    ("2019/2/30", "date_no_such_day"),
    ("2019/13/1", "date_unreadable"),
    ("H31.5.1", "date_era_after"),
    ("昭和64年1月8日", "date_era_after"),
    ("令和1年4月30日", "date_era_before"),
    ("令和0年5月1日", "date_era_year"),
    ("19/4/1", "date_unreadable"),
    ("1234", "date_unreadable"),
    ("yesterday", "date_unreadable"),
])
def test_impossible_dates_are_rejected_with_a_reason(text, code):
    with pytest.raises(DateError) as caught:
        parse_date(text)
    assert caught.value.code == code


def test_rejection_messages_are_translated():
    with translation.override("ja"):
        with pytest.raises(DateError) as caught:
            parse_date("H31.5.1")
        assert str(caught.value) == "H31.5.1 は平成の期間外です（平成は2019-04-30に終わりました）"
        with pytest.raises(DateError) as caught:
            parse_date("2019/13/1")
        assert str(caught.value) == "日付として読めません: 2019/13/1"
    with translation.override("en"):
        with pytest.raises(DateError) as caught:
            parse_date("2019/2/30")
        assert str(caught.value) == "There is no such date: 2019/2/30"


def test_wareki_formatting():
    assert format_wareki(datetime.date(2019, 5, 1)) == "令和元年5月1日"
    assert format_wareki(datetime.date(2019, 4, 30)) == "平成31年4月30日"
    assert format_wareki(datetime.date(2023, 4, 1), short=True) == "R5.4.1"


@given(days)
def test_western_spellings_round_trip(day):
    spellings = [
        day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}.{day.month}.{day.day}",
        f"{day.year}年{day.month}月{day.day}日", day.strftime("%Y%m%d"),
    ]
    for text in spellings + [to_full_width(s) for s in spellings]:
        assert parse_date(text) == day, text


@given(days)
def test_wareki_spellings_round_trip(day):
    long, short = format_wareki(day), format_wareki(day, short=True)
    for text in (long, short, to_full_width(short), unicodedata.normalize("NFKD", long)):
        assert parse_date(text) == day, text


@given(st.one_of(st.text(), st.integers(), st.floats(), st.booleans(),
                 st.from_regex(r"[RHST令平昭大]\d{1,2}[./年]\d{1,2}[./月]\d{1,3}日?", fullmatch=True),
                 st.from_regex(r"\d{4}[-/.]\d{1,3}[-/.]\d{1,3}", fullmatch=True)))
def test_garbage_never_crashes(value):
    try:
        result = parse_date(value)
    except ValueError:
        return
    assert result is None or isinstance(result, datetime.date)
