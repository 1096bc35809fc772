"""HR's export of a directory search as CSV or XLSX: the page's search, as the admin sees it.

Rows come only from ProfileViews (what HR may see: "only me" values stay out), a chunk of members at a
time: the search gives the ordered ids once (a compact array, 8 bytes per member), then each chunk is
searched again (a member hidden, blocked or withdrawn meanwhile drops out) and turned into rows. Every
text cell is neutralised against formula injection (core.csvexport.safe_cell), in both formats.
"""

import tempfile
from array import array

from asgiref.sync import sync_to_async
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from kizuna.core.csvexport import XLSX_TYPE, csv_stream, xlsx_cell
from kizuna.members.profiles import custom_fields, profile_fields

from .access import search
from .results import cards_for

CHUNK_SIZE = 2000
FILE_BLOCK = 64 * 1024


def found_ids(viewer, query) -> array:
    return array("q", search(viewer, query).entries.values_list("member_id", flat=True).iterator(chunk_size=CHUNK_SIZE))


def _month(value):
    return f"{value:%Y-%m}" if value else ""


def _joined(values):
    return pgettext("list separator", ", ").join(str(value) for value in values)


def _career(view):
    lines = []
    for entry in view.career:
        period = f"{_month(entry.started_on)}–{_month(entry.ended_on)}" if entry.started_on or entry.ended_on else ""
        place = " ".join(str(part) for part in (entry.company, entry.department, entry.title) if part)
        lines.append(" ".join(filter(None, (period, place))))
    return "\n".join(lines)


# Profile field key → its cell (the photo has none).
CELLS = {
    "joined_on": lambda v: _month(v.joined_on),
    "left_on": lambda v: _month(v.left_on),
    "company": lambda v: str(v.company or ""),
    "department": lambda v: str(v.department or ""),
    "career": _career,
    "current_company": lambda v: v.current_company,
    "current_title": lambda v: v.current_title,
    "industry": lambda v: str(v.industry_label),
    "location": lambda v: str(v.location_label),
    "skills": lambda v: _joined(v.skills),
    "bio": lambda v: v.bio,
    "links": lambda v: "\n".join(v.links),
    "languages": lambda v: _joined(v.language_labels),
    "purposes": lambda v: _joined(label for _code, label in v.purpose_labels),
}


class Columns:
    """The export's columns: who the member is, then every profile field (custom fields last)."""

    def __init__(self):
        self.fields = [field for field in profile_fields(custom_fields()) if field.key != "photo"]

    def header(self):
        return ["ID", _("Name"), _("Reading"), _("Name in roman letters"), _("Member type")] + [
            str(field.label) for field in self.fields]

    def row(self, card):
        view = card.view
        custom = {custom_field.key: value for custom_field, value in view.custom}
        kind = _("Employee") if card.is_employee else _("Alumni")
        cells = [view.pk, view.name, view.name_kana, view.romaji, kind]
        for field in self.fields:
            if field.key in CELLS:
                cells.append(CELLS[field.key](view))
            else:
                value = custom.get(field.key, "")
                cells.append(_joined(value) if isinstance(value, list) else value)
        return cells


def _rows(viewer, query, ids, columns, language):
    still_found = set(search(viewer, query).entries.filter(member_id__in=ids).values_list("member_id", flat=True))
    with translation.override(language):
        return [columns.row(card) for card in cards_for(viewer, [pk for pk in ids if pk in still_found])]


async def _row_chunks(viewer, query, ids, columns, language):
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[start:start + CHUNK_SIZE].tolist()
        yield await sync_to_async(_rows)(viewer, query, chunk, columns, language)


def _filename(extension):
    return f"kizuna-members-{timezone.localdate():%Y%m%d}.{extension}"


def csv_export(viewer, query, ids):
    columns = Columns()
    return csv_stream(_filename("csv"), columns.header(),
                      _row_chunks(viewer, query, ids, columns, translation.get_language()))


def xlsx_export(viewer, query, ids):
    """openpyxl's write-only workbook keeps rows in a temporary file, not in memory; the finished
    file (a zip, complete only at the end) is then streamed in blocks."""
    columns = Columns()
    language = translation.get_language()
    title = _("Directory")

    async def body():
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title)
        sheet.append(columns.header())
        async for rows in _row_chunks(viewer, query, ids, columns, language):
            await sync_to_async(lambda rows=rows: [sheet.append([xlsx_cell(v) for v in row]) for row in rows])()
        with tempfile.TemporaryFile() as file:
            await sync_to_async(workbook.save)(file)
            file.seek(0)
            while block := await sync_to_async(file.read)(FILE_BLOCK):
                yield block

    response = StreamingHttpResponse(body(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response
