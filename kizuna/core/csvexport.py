"""CSV downloads that Excel opens correctly (UTF-8 with BOM), and XLSX cells; no cell can ever run as a formula."""

import csv
import io

from asgiref.sync import sync_to_async
from django.http import StreamingHttpResponse
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# A spreadsheet treats a cell starting with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def xlsx_cell(value):
    """Numbers stay numbers; text loses the control characters XLSX cannot hold, then is neutralised
    (after, so that a stripped character cannot uncover a formula)."""
    if isinstance(value, int):
        return value
    return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def csv_line(values) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([safe_cell(value) for value in values])
    return buffer.getvalue()


async def _rows_newest_first(queryset, to_row):
    """Lists of rows in chunks by primary key (keyset paging), so memory stays flat on any table size."""
    queryset = queryset.order_by("-pk")
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__lt=last)
        batch = await sync_to_async(lambda page=page: [(obj.pk, to_row(obj)) for obj in page[:CHUNK_SIZE]])()
        if not batch:
            return
        yield [row for _pk, row in batch]
        last = batch[-1][0]


def csv_stream(filename, header, row_chunks):
    """A CSV attachment streamed from `row_chunks`, an async iterator of lists of rows (one chunk in
    memory at a time)."""

    async def body():
        yield "\ufeff" + csv_line(header)
        async for rows in row_chunks:
            yield "".join(csv_line(row) for row in rows)

    response = StreamingHttpResponse(body(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_download(filename, header, queryset, to_row):
    """Stream `queryset` (newest first) as a CSV attachment; `to_row(obj)` gives one row's values."""
    return csv_stream(filename, header, _rows_newest_first(queryset, to_row))
