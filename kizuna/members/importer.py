"""HR leaver lists: read CSV/XLSX files or API rows, validate every row, and diff against stored records.

Pure reads: nothing here writes. One code path for every source:

    source (read_file / rows_from_api) → validate() → Validation (rows + problems)
    diff(validation) → Plan (created / updated with old→new / unchanged)

Problems are stored language-neutrally (message code + parameters) and rendered in the reader's
language when shown (`Problem.message`), so a report made by a background task reads right in ja and en.
"""

import csv
import datetime
import hashlib
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kizuna.core import dates
from kizuna.core.models import LeaveType
from kizuna.core.text import normalize

from .models import LeaverRecord, User

PROGRESS_EVERY = 1000
QUERY_CHUNK = 1000
SAMPLE_SIZE = 50


@dataclass(frozen=True)
class Column:
    name: str  # the English header and API field name
    header: str  # the Japanese header
    aliases: tuple = ()
    required: bool = False

    @property
    def label(self):
        return f"{self.header} ({self.name})"


COLUMNS = (
    Column("employee_number", "社員番号", ("従業員番号", "社員no", "社員コード", "employee no", "employee id"), True),
    Column("name", "氏名", ("名前", "姓名", "full name"), True),
    Column("name_kana", "フリガナ",
           ("よみ", "ふりがな", "よみがな", "読み", "読み仮名", "カナ", "氏名カナ", "氏名(カナ)", "kana", "reading")),
    Column("email", "メールアドレス", ("メール", "e-mail", "mail", "email address")),
    Column("joined_on", "入社日", ("入社年月日", "hire date", "joined")),
    Column("left_on", "退職日", ("退職年月日", "離職日", "leave date", "left"), True),
    Column("leave_type", "退職区分", ("退職理由", "退職事由", "離職区分")),
    Column("department", "所属", ("部署", "所属部署")),
    Column("title", "役職", ("job title",)),
    Column("company", "会社", ("会社名", "所属会社")),
    Column("excluded", "除外", ("除外フラグ",)),
)
MAX_LENGTH = {name: LeaverRecord._meta.get_field(name).max_length
              for name in ("employee_number", "name", "name_kana", "email", "department", "title", "company")}
DEPARTMENT_PART_MAX = 200  # Department.name


def header_key(text) -> str:
    """How a header is matched: width, case, kana script, spaces and punctuation do not matter."""
    return re.sub(r"[\s_\-.()（）・]", "", normalize(str(text or "")))


@dataclass(frozen=True)
class Layout:
    """The columns of one kind of list (HR's leavers, or members moving from another network) and how
    their cells are cleaned: `lengths` for plain text columns, `cleaners` (column → function) for the rest,
    over the cleaners of the leaver columns (dates, email, department, leave type, excluded)."""

    columns: tuple
    lengths: dict
    cleaners: dict = field(default_factory=dict)

    @cached_property
    def by_name(self):
        return {c.name: c for c in self.columns}

    @cached_property
    def required(self):
        return tuple(c.name for c in self.columns if c.required)

    @cached_property
    def header_map(self):
        return {header_key(alias): column for column in self.columns
                for alias in (column.name, column.header, *column.aliases)}


LEAVERS = Layout(COLUMNS, MAX_LENGTH)
HEADER_MAP = LEAVERS.header_map

_LEAVE_SYNONYMS = {
    LeaveType.VOLUNTARY: ("自己都合", "自己都合退職", "依願退職"),
    LeaveType.COMPANY: ("会社都合", "会社都合退職", "希望退職", "整理解雇"),
    LeaveType.RETIREMENT: ("定年", "定年退職"),
    LeaveType.CONTRACT_END: ("契約満了", "期間満了", "雇用期間満了", "契約期間満了"),
    LeaveType.TRANSFER: ("転籍",),
    LeaveType.DISCIPLINARY: ("懲戒解雇", "諭旨解雇"),
    LeaveType.OTHER: ("その他", "死亡退職"),
}


def _leave_type_map():
    mapping = {}
    for code, label in LeaveType.choices:
        names = {code, *_LEAVE_SYNONYMS[code]}
        for language in ("en", "ja"):
            with translation.override(language):
                names.add(str(label))
        mapping.update({header_key(name): code for name in names})
    return mapping


_TRUE = {header_key(v) for v in ("1", "true", "yes", "y", "x", "はい", "○", "〇", "◯", "✓", "対象外", "除外")}
_FALSE = {header_key(v) for v in ("", "0", "false", "no", "n", "いいえ", "×", "✕")}
# Cells a spreadsheet would run as a formula (CSV injection), including full-width and small forms.
_FORMULA_START = frozenset("=+-@＝＋－＠﹦﹢﹣﹫")

MESSAGES = {
    **dates.MESSAGES,
    "file_type": _("Only .csv and .xlsx files can be imported."),
    "file_xls": _("Old Excel files (.xls) cannot be read. Save the file as .xlsx or CSV and upload it again."),
    "file_too_large": _("The file is too large (at most %(max)s MB)."),
    "file_encoding": _("The file is neither UTF-8 nor Shift_JIS (CP932) text."),
    "file_binary": _("This does not look like a CSV text file."),
    "file_xlsx": _("The file is not a readable Excel (.xlsx) workbook."),
    "file_empty": _("The file has no header row."),
    "missing_column": _("A required column is missing: %(column)s"),
    "duplicate_column": _("This column appears more than once (also column %(position)s)."),
    "unknown_field": _("Unknown field “%(field)s”; the fields are: %(fields)s"),
    "required": _("This value is required."),
    "too_long": _("Too long: %(length)s characters (at most %(max)s)."),
    "formula": _("Looks like a spreadsheet formula (starts with “%(char)s”); formulas are not imported: %(value)s"),
    "left_before_joined": _("The leaving date %(left)s is before the joining date %(joined)s."),
    "email_invalid": _("Not a valid email address: %(value)s"),
    "leave_type_unknown": _("Unknown leave type: %(value)s (known types: %(choices)s)"),
    "excluded_invalid": _("Not a yes/no value: %(value)s (use 1 or 0)"),
    "duplicate_number": _("Employee number %(number)s already appears on line %(first)s."),
    "email_in_file": _("The same email address is also given on line %(first)s (employee number %(number)s)."),
    "email_other_record": _("Another HR record (employee number %(number)s) already has this email address."),
    "email_member": _("A member account not linked to this record already uses this email address, "
                      "so this person cannot be invited with it."),
}


def leave_type_labels() -> str:
    """The leave types, in the active language, as files and messages list them."""
    return " / ".join(str(label) for label in LeaveType.labels)


@dataclass(frozen=True)
class Problem:
    """One finding: `line` in the file (header = 1; XLSX row; API row index from 1), the column as written."""

    line: int
    column: str
    code: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        params = dict(self.params)
        if self.code == "leave_type_unknown":
            params["choices"] = leave_type_labels()
        return str(MESSAGES[self.code] % params) if params else str(MESSAGES[self.code])

    def as_json(self):
        return [self.line, self.column, self.code, self.params]

    @classmethod
    def from_json(cls, data):
        return cls(*data)

    def as_line(self, warning=False):
        """`line 12: 退職日: 日付として読めません: 2019/13/1` — the CLI's format, in the active language."""
        parts = [f"line {self.line}", self.column, gettext("warning") if warning else "", self.message]
        return ": ".join(part for part in parts if part)


class ImportFileError(Exception):
    """The file cannot be read at all (wrong type, encoding, broken workbook)."""

    def __init__(self, code, **params):
        self.problem = Problem(1, "", code, params)
        super().__init__(code)


@dataclass
class Table:
    """Cells as read: `headers` (text as written) and `rows` yielding (line, [cell, ...])."""

    headers: list
    header_line: int
    rows: object
    estimated_rows: int
    problems: list = field(default_factory=list)  # found while reading (API: unknown fields)


# --- Reading files ------------------------------------------------------------------------------

def check_file(fileobj, name: str, size: int | None = None) -> str:
    """Raise ImportFileError unless the open binary file is a CSV or XLSX file we can read; returns the suffix.

    Checks the size limit, the extension and the content: an .xlsx must be a zip holding a workbook that
    does not unpack into something huge (zip bomb); a .csv must be text.
    """
    if size is not None and size > settings.KIZUNA_IMPORT_MAX_BYTES:
        raise ImportFileError("file_too_large", max=settings.KIZUNA_IMPORT_MAX_BYTES // (1024 * 1024))
    suffix = Path(name).suffix.lower()
    head = fileobj.read(8192)
    fileobj.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError("file_xls")
    if suffix == ".xlsx":
        _check_workbook_zip(fileobj)
    elif suffix == ".csv":
        if head.startswith(b"PK\x03\x04") or b"\x00" in head:
            raise ImportFileError("file_binary")
    else:
        raise ImportFileError("file_type")
    return suffix


def _check_workbook_zip(fileobj):
    try:
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFileError("file_xlsx") from None
    finally:
        fileobj.seek(0)
    if "xl/workbook.xml" not in {info.filename for info in infos}:
        raise ImportFileError("file_xlsx")
    if sum(info.file_size for info in infos) > 20 * settings.KIZUNA_IMPORT_MAX_BYTES:
        raise ImportFileError("file_xlsx")


def read_file(fileobj, name: str) -> Table:
    """A Table from an open binary file (CSV in UTF-8/BOM/CP932, or XLSX)."""
    if check_file(fileobj, name) == ".xlsx":
        return _read_xlsx(fileobj)
    return _read_csv(fileobj.read())


def decode_csv(data: bytes) -> str:
    # A BOM says UTF-8 (Excel's "CSV UTF-8"); otherwise strict UTF-8 first, then Excel's Japanese CP932.
    for encoding in ("utf-8-sig",) if data.startswith(b"\xef\xbb\xbf") else ("utf-8", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("file_encoding")


def _read_csv(data: bytes) -> Table:
    text = decode_csv(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 0
    for cells in reader:
        start, line = line + 1, reader.line_num
        if any(c.strip() for c in cells):
            return Table(cells, start, _csv_rows(reader, line), max(text.count("\n") - line, 0))
    raise ImportFileError("file_empty")


def _csv_rows(reader, line):
    for cells in reader:
        # A quoted value may span lines: a row starts on the line after the previous row ended.
        start, line = line + 1, reader.line_num
        yield start, cells


def _read_xlsx(fileobj) -> Table:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(fileobj, read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        rows = enumerate(sheet.iter_rows(values_only=True), start=1)
        for line, cells in rows:
            if any(_present(c) for c in cells):
                estimate = max((sheet.max_row or 0) - line, 0)
                return Table([_cell_text(c) for c in cells], line, _xlsx_rows(rows, workbook), estimate)
    except Exception as error:  # openpyxl raises many kinds of errors for a malformed workbook
        raise ImportFileError("file_xlsx") from error
    raise ImportFileError("file_empty")


def _xlsx_rows(rows, workbook):
    try:
        yield from rows
    except Exception as error:  # a sheet that breaks while streaming is as unreadable as a broken file
        raise ImportFileError("file_xlsx") from error
    finally:
        workbook.close()


def _present(cell):
    return cell is not None and (not isinstance(cell, str) or cell.strip() != "")


def _cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def rows_from_api(rows: list, layout: Layout = LEAVERS) -> Table:
    """API rows (dicts keyed by the English field names) as a Table; `line` = index from 1.

    Required fields count as columns even when a row leaves them out (that row gets "required");
    optional fields are columns when any row has them, so leaving a field out leaves it untouched.
    """
    rows = [row if isinstance(row, dict) else {} for row in rows]
    present, problems = set(), []
    for line, row in enumerate(rows, 1):
        for key in row:
            if key not in present and key not in layout.by_name:
                problems.append(Problem(line, str(key), "unknown_field",
                                        {"field": shorten(str(key)), "fields": ", ".join(layout.by_name)}))
            present.add(key)
    headers = [c.name for c in layout.columns if c.required or c.name in present]
    cells = ((line, [row.get(h) for h in headers]) for line, row in enumerate(rows, 1))
    return Table(headers, 1, cells, len(rows), problems)


# --- Validation ---------------------------------------------------------------------------------

@dataclass
class Validation:
    headers: dict  # field name → the header text as written in the source
    rows: list = field(default_factory=list)  # (line, {field: clean value})
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def valid(self):
        return not self.errors

    @property
    def columns(self):
        return list(self.headers)


def _map_headers(table, errors, layout):
    """Position → Column for the headers we know; problems for duplicates and missing required columns."""
    positions, seen = {}, {}
    for index, text in enumerate(table.headers):
        column = layout.header_map.get(header_key(text))
        if column is None:
            continue
        if column.name in seen:
            errors.append(Problem(table.header_line, str(text).strip(), "duplicate_column",
                                  {"position": seen[column.name] + 1}))
            continue
        seen[column.name] = index
        positions[index] = (column, str(text).strip())
    for column in layout.columns:
        if column.required and column.name not in seen:
            errors.append(Problem(table.header_line, "", "missing_column", {"column": column.label}))
    return positions


class RowCleaner:
    """Turns the cells of one row into clean values, collecting every problem of the row."""

    def __init__(self, positions, layout=LEAVERS):
        ordered = sorted(positions.items())
        self.headers = {column.name: header for _i, (column, header) in ordered}
        self.required = layout.required
        self.leave_types = _leave_type_map()
        special = {"joined_on": clean_date, "left_on": clean_date, "excluded": _clean_flag,
                   "leave_type": self._clean_leave_type, "department": _clean_department, "email": _clean_email,
                   **layout.cleaners}
        # One cleaning function per position, chosen once: this loop runs for every cell of 100k-row files.
        self.cells = [(index, column.name, header,
                       special.get(column.name) or _text_cleaner(layout.lengths[column.name]))
                      for index, (column, header) in ordered]

    def clean(self, line, cells, errors):
        values, ok, width = {}, True, len(cells)
        for index, name, header, clean in self.cells:
            raw = cells[index] if index < width else None
            try:
                if isinstance(raw, str):
                    raw = raw.strip()
                    if raw and raw[0] in _FORMULA_START:
                        raise CellError("formula", char=raw[0], value=shorten(raw))
                values[name] = clean(raw)
            except CellError as error:
                errors.append(Problem(line, header, error.code, error.params))
                ok = False
        for name in self.required:
            if name in values and values[name] in ("", None):
                errors.append(Problem(line, self.headers[name], "required"))
                ok = False
        joined, left = values.get("joined_on"), values.get("left_on")
        if joined and left and left < joined:
            errors.append(Problem(line, self.headers["left_on"], "left_before_joined",
                                  {"left": left.isoformat(), "joined": joined.isoformat()}))
            ok = False
        return values, ok

    def _clean_leave_type(self, raw):
        text = normalize_width(raw)
        if not text:
            return ""
        code = self.leave_types.get(header_key(text))
        if code is None:
            raise CellError("leave_type_unknown", value=shorten(text))
        return code


class CellError(Exception):
    def __init__(self, code, **params):
        self.code, self.params = code, params
        super().__init__(code)


def normalize_width(raw) -> str:
    if not raw:
        return ""
    text = raw if isinstance(raw, str) else _cell_text(raw)
    if not text.isascii():
        # Half-width katakana and full-width ASCII from older HR systems become their usual forms.
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def check_length(text, limit):
    if len(text) > limit:
        raise CellError("too_long", length=len(text), max=limit)
    return text


def _text_cleaner(limit):
    return lambda raw: check_length(normalize_width(raw), limit)


def clean_date(raw):
    try:
        return dates.parse_date(raw)
    except dates.DateError as error:
        raise CellError(error.code, **error.params) from None


def _clean_flag(raw):
    if isinstance(raw, bool):
        return raw
    key = header_key(_cell_text(raw))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError("excluded_invalid", value=shorten(str(raw)))


def _clean_department(raw):
    """営業本部／東京営業部 → 営業本部/東京営業部, the path form of the department tree."""
    parts = [part.strip() for part in normalize_width(raw).replace("／", "/").split("/")]
    parts = [part for part in parts if part]
    for part in parts:
        check_length(part, DEPARTMENT_PART_MAX)
    return check_length("/".join(parts), MAX_LENGTH["department"])


def _clean_email(raw):
    text = check_length(normalize_width(raw).lower(), MAX_LENGTH["email"])
    if text:
        try:
            validate_email(text)
        except ValidationError:
            raise CellError("email_invalid", value=shorten(text)) from None
    return text


def shorten(text, limit=40):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def validate(table: Table, progress=None, layout: Layout = LEAVERS) -> Validation:
    """Check every row of `table`; `progress(done, estimated_total)` is called every PROGRESS_EVERY rows."""
    errors = list(table.problems)
    positions = _map_headers(table, errors, layout)
    cleaner = RowCleaner(positions, layout)
    result = Validation(headers=dict(cleaner.headers), errors=errors)
    first_line = {}
    number_header = cleaner.headers.get("employee_number", "")
    done = 0
    for line, cells in table.rows:
        if not any(_present(c) for c in cells):
            continue
        values, ok = cleaner.clean(line, cells, errors)
        done += 1
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, max(table.estimated_rows, done))
        # A duplicate number is reported even on a row with other problems: every problem at once.
        number = values.get("employee_number")
        if number and number in first_line:
            errors.append(Problem(line, number_header, "duplicate_number",
                                  {"number": number, "first": first_line[number]}))
            continue
        if number:
            first_line[number] = line
        if ok:
            result.rows.append((line, values))
    if progress:
        progress(done, done)
    result.errors.sort(key=lambda p: p.line)
    return result


def read_and_validate(fileobj, name, progress=None, layout: Layout = LEAVERS) -> Validation:
    """The whole check of a file; an unreadable file gives a Validation with that one problem."""
    try:
        return validate(read_file(fileobj, name), progress, layout)
    except ImportFileError as error:
        return Validation(headers={}, errors=[error.problem])


# --- Diff against stored records ----------------------------------------------------------------

@dataclass
class Plan:
    validation: Validation
    created: list = field(default_factory=list)  # clean value dicts
    updated: list = field(default_factory=list)  # (LeaverRecord, {field: (old, new)})
    unchanged: int = 0

    @property
    def counts(self):
        return {"rows": len(self.validation.rows), "created": len(self.created),
                "updated": len(self.updated), "unchanged": self.unchanged}

    def digest(self):
        """A fingerprint of every change the plan would write: HR approves a plan, and an apply whose
        recomputed plan has another fingerprint (the stored records changed since) must not go ahead."""
        hasher = hashlib.sha256()
        for values in self.created:
            hasher.update(json.dumps(_json_values(values), sort_keys=True, ensure_ascii=False).encode())
        hasher.update(b"\0")
        for record, changes in self.updated:
            item = [record.employee_number, {name: [_json_value(old), _json_value(new)]
                                             for name, (old, new) in changes.items()}]
            hasher.update(json.dumps(item, sort_keys=True, ensure_ascii=False).encode())
        return hasher.hexdigest()

    def summary(self):
        """JSON for ImportJob.report: counts, problems, a sample of the changes and their digest."""
        return {
            **self.counts,
            "digest": self.digest(),
            "columns": self.validation.columns,
            "errors": [p.as_json() for p in self.validation.errors],
            "warnings": [p.as_json() for p in self.validation.warnings],
            "created_sample": [_json_values(values) for values in self.created[:SAMPLE_SIZE]],
            "updated_sample": [
                {"employee_number": record.employee_number, "name": record.name,
                 "changes": {name: [_json_value(old), _json_value(new)] for name, (old, new) in changes.items()}}
                for record, changes in self.updated[:SAMPLE_SIZE]
            ],
        }


def display_value(name, value):
    """A field's value as HR reads it in a diff (a stored value, or its JSON form in a job's report)."""
    if value in (None, ""):
        return "—"
    if name == "leave_type":
        return LeaveType(value).label
    if name == "excluded":
        return gettext("Yes") if value else gettext("No")
    return _json_value(value)


def _json_value(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def _json_values(values):
    return {name: _json_value(value) for name, value in values.items()}


def matching(queryset, field, values, *columns):
    """Rows of `queryset` whose `field` is one of `values` (model instances, or tuples of `columns`).

    No query per row: when the values cover a good share of the table (a full HR list, or an empty
    table) the table is read in one pass; otherwise one query per QUERY_CHUNK values.
    """
    values = set(values)
    if not values:
        return
    rows = queryset.values_list(field, *columns) if columns else queryset
    if queryset.count() <= 2 * len(values):
        for row in rows.iterator(chunk_size=5000):
            key = row[0] if columns else getattr(row, field)
            if key in values:
                yield row[1:] if columns else row
        return
    ordered = sorted(values)
    for start in range(0, len(ordered), QUERY_CHUNK):
        for row in rows.filter(**{f"{field}__in": ordered[start:start + QUERY_CHUNK]}):
            yield row[1:] if columns else row


def existing_records(numbers) -> dict:
    """Stored records by employee number, loaded in bulk."""
    return {record.employee_number: record
            for record in matching(LeaverRecord.objects.all(), "employee_number", numbers)}


def diff(validation: Validation) -> Plan:
    """Compare valid rows with stored records (upsert by employee number). Columns the source does not
    have are left as stored; adds warnings about email addresses that will block an invitation (also for a
    file with errors, whose report then lists every problem at once; its plan has no changes)."""
    plan = Plan(validation)
    rows = validation.rows
    existing = existing_records(values["employee_number"] for _line, values in rows)
    validation.warnings = _email_warnings(validation, existing)
    if not validation.valid:
        return plan
    for _line, values in rows:
        record = existing.get(values["employee_number"])
        if record is None:
            plan.created.append(values)
            continue
        changes = {name: (getattr(record, name), new) for name, new in values.items()
                   if getattr(record, name) != new}
        if changes:
            plan.updated.append((record, changes))
        else:
            plan.unchanged += 1
    return plan


def _email_warnings(validation, existing):
    header = validation.headers.get("email")
    if header is None:
        return []
    warnings, by_email = [], {}
    for line, values in validation.rows:
        email = values["email"]
        if not email:
            continue
        if email in by_email:
            first_line, number = by_email[email]
            warnings.append(Problem(line, header, "email_in_file", {"first": first_line, "number": number}))
        else:
            by_email[email] = (line, values["employee_number"])
    file_numbers = {values["employee_number"] for _line, values in validation.rows}
    for email, number in matching(LeaverRecord.objects.all(), "email", by_email, "email", "employee_number"):
        if number not in file_numbers:
            warnings.append(Problem(by_email[email][0], header, "email_other_record", {"number": number}))
    for email, user_id in matching(User.objects.all(), "email", by_email, "email", "pk"):
        line, number = by_email[email]
        record = existing.get(number)
        if record is None or record.member_id != user_id:
            warnings.append(Problem(line, header, "email_member"))
    warnings.sort(key=lambda p: p.line)
    return warnings
