"""HR's attendee list of one event as CSV or XLSX (audit-logged by the view). Cells are neutralised
against formula injection in both formats (core.csvexport.safe_cell)."""

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from kizuna.core.csvexport import XLSX_TYPE, csv_line, xlsx_cell


def _header(event):
    return [_("No."), _("Name"), _("Email address"), _("Status"), _("Companions"), _("Walk-in"),
            _("Checked in at"), _("Registered at"), *event.questions]


def _time(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _row(registration):
    user = registration.user
    answers = {a["question"]: a["answer"] for a in registration.answers}
    return [registration.seq, user.name if user else registration.walk_in_name, user.email if user else "",
            registration.get_status_display(), registration.companions, _("Yes") if registration.walk_in else "",
            _time(registration.checked_in_at), _time(registration.created_at),
            *(answers.get(q, "") for q in registration.event.questions)]


def attendee_export(event, registrations, file_format):
    rows = [_row(r) for r in registrations.select_related("event")]
    filename = f"event-{event.pk}-attendees-{timezone.localdate():%Y%m%d}.{file_format}"
    if file_format == "csv":
        body = "\ufeff" + csv_line(_header(event)) + "".join(csv_line(row) for row in rows)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Attendees"))
        sheet.append(_header(event))
        for row in rows:
            sheet.append([xlsx_cell(value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
