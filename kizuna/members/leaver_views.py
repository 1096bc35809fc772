"""Admin (HR) pages for leaver records and their import, under /manage/."""

import unicodedata

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Max, Min, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuna.core.actions import audit, list_filters
from kizuna.core.csvexport import csv_line
from kizuna.core.models import NetworkSettings
from kizuna.core.text import normalize

from . import access, actions, eligibility
from .access import admin_required
from .forms import ImportUploadForm, LeaverFilterForm
from .importer import LEAVERS, Problem, display_value, leave_type_labels
from .models import ImportJob, Invitation, LeaverRecord, State

PER_PAGE = 50
ERRORS_SHOWN = 1000
MEMBER_BADGES = {State.PENDING: "warn", State.SUSPENDED: "danger"}
RUNNING = (ImportJob.Status.QUEUED, ImportJob.Status.VALIDATING, ImportJob.Status.APPLYING)


# --- Leaver records -----------------------------------------------------------------------------

def _filter_records(records, data):
    if query := (data.get("q") or "").strip():
        key, number = normalize(query), unicodedata.normalize("NFKC", query).strip()
        records = records.filter(Q(name_key__contains=key) | Q(kana_key__contains=key)
                                 | Q(employee_number__icontains=number) | Q(email__icontains=number))
    if data.get("eligible"):
        records = records.filter(eligible=data["eligible"] == "yes")
    if data.get("leave_type"):
        records = records.filter(leave_type=data["leave_type"])
    if data.get("left_year"):
        records = records.filter(left_on__year=data["left_year"])
    status, now = data.get("invitation"), timezone.now()
    # A registered member may have joined without an invitation (an approved application): "joined"
    # goes by the member, and the invitation states are those of people who have not joined.
    registered = Q(member__isnull=False) & ~Q(member__state=State.INVITED)
    if status == "accepted":
        return records.filter(registered)
    if status:
        records = records.exclude(registered)
    if status == "none":
        records = records.filter(invitation_status__isnull=True)
    elif status == "open":
        records = records.filter(invitation_status=Invitation.Status.SENT, invitation_expires_at__gte=now)
    elif status == "expired":
        records = records.filter(invitation_status=Invitation.Status.SENT, invitation_expires_at__lt=now)
    elif status == Invitation.Status.REVOKED:
        records = records.filter(invitation_status=status)
    return records


def invitation_state(record):
    """(label, badge class) of a record for lists and the detail page: the state of its member once they
    have registered (with or without an invitation), else that of its latest invitation."""
    if record.member_id and record.member.state != State.INVITED:
        if record.member.state == State.ACTIVE:
            return _("Joined"), "ok"
        return record.member.get_state_display(), MEMBER_BADGES.get(record.member.state, "")
    status = record.invitation_status
    if status is None:
        return _("Not invited"), ""
    if status == Invitation.Status.SENT:
        if record.invitation_expires_at < timezone.now():
            return _("Invitation expired"), "warn"
        return _("Invitation open"), "accent"
    if status == Invitation.Status.ACCEPTED:
        return _("Joined"), "ok"
    return _("Invitation revoked"), "danger"


def _with_eligibility(records):
    rules = NetworkSettings.load()
    for record in records:
        record.eligibility = eligibility.evaluate(record, rules)
        record.invitation_label, record.invitation_badge = invitation_state(record)
    return records


@admin_required
def leaver_list(request):
    span = LeaverRecord.objects.aggregate(first=Min("left_on"), last=Max("left_on"))
    years = range(span["last"].year, span["first"].year - 1, -1) if span["last"] else ()
    form = LeaverFilterForm(request.GET or None, years=years)
    filters = form.cleaned_data if form.is_valid() else {}
    records = _filter_records(access.leaver_records(), filters)
    page = Paginator(records, PER_PAGE).get_page(request.GET.get("page"))
    _with_eligibility(page.object_list)
    audit(request.user, "leavers.view_list", request=request,
          detail={**list_filters(filters, page=page.number), "results": page.paginator.count})
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "members/leaver_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
    })


@admin_required
def leaver_detail(request, pk):
    record = get_object_or_404(access.leaver_records(), pk=pk)
    _with_eligibility([record])
    match = Q(record=record) | Q(user_id=record.member_id) if record.member_id else Q(record=record)
    invitations = Invitation.objects.filter(match).select_related("created_by")
    audit(request.user, "leavers.view", record, request=request)
    return render(request, "members/leaver_detail.html", {"record": record, "invitations": invitations})


@admin_required
@require_POST
def leaver_set_excluded(request, pk):
    record = get_object_or_404(LeaverRecord, pk=pk)
    excluded = request.POST.get("excluded") == "1"
    actions.do_set_record_excluded(request.user, record, excluded, request=request)
    if excluded:
        messages.success(request, _("%(name)s is now excluded from the network: they cannot be invited, and an "
                                    "open invitation no longer works.") % {"name": record.name})
    else:
        messages.success(request, _("%(name)s is no longer excluded; eligibility follows the rules again.")
                         % {"name": record.name})
    return redirect("leaver_detail", pk=record.pk)


# --- Imports ------------------------------------------------------------------------------------

@admin_required
def import_list(request):
    actions.do_expire_import_jobs()
    page = Paginator(ImportJob.objects.select_related("created_by"), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "members/import_list.html", {"page": page})


@admin_required
def import_new(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = actions.do_create_import_job(request.user, form.cleaned_data["file"],
                                           invite_on_apply=form.cleaned_data["invite_on_apply"], request=request)
        return redirect("import_detail", pk=job.pk)
    return render(request, "members/import_new.html", {
        "form": form, "columns": column_labels(), "leave_types": leave_type_labels()})


def _field_label(name):
    return LeaverRecord._meta.get_field(name).verbose_name


def _job_context(request, job):
    """What the job page shows; the report is rendered in the viewer's language here, not when stored."""
    report = job.report or {}
    context = {"job": job, "running": job.status in RUNNING,
               "kept_days": actions.IMPORT_KEPT_FOR.days, "apply_by": job.updated_at + actions.IMPORT_KEPT_FOR}
    if context["running"]:
        return context
    errors = report.get("errors", [])
    context.update(
        errors=[Problem.from_json(e) for e in errors[:ERRORS_SHOWN]],
        error_count=len(errors), errors_hidden=max(len(errors) - ERRORS_SHOWN, 0),
        warnings=[Problem.from_json(w) for w in report.get("warnings", [])[:ERRORS_SHOWN]],
        warning_count=len(report.get("warnings", [])),
        updated_sample=[
            {**item, "changes": [(_field_label(name), display_value(name, old), display_value(name, new))
                                 for name, (old, new) in item["changes"].items()]}
            for item in report.get("updated_sample", [])
        ],
        created_sample=[
            {**values, "leave_type": display_value("leave_type", values.get("leave_type"))}
            for values in report.get("created_sample", [])
        ],
        result=report.get("result"),
    )
    if job.status != ImportJob.Status.FAILED:
        # The finished report holds personal data from the file: an admin read of a personal-data list.
        audit(request.user, "leavers.view_import", job, request=request)
    return context


def _current_job(pk):
    actions.do_expire_import_jobs()
    return get_object_or_404(ImportJob, pk=pk)


@admin_required
def import_detail(request, pk):
    return render(request, "members/import_detail.html", _job_context(request, _current_job(pk)))


@admin_required
def import_detail_partial(request, pk):
    return render(request, "members/import_detail_partial.html", _job_context(request, _current_job(pk)))


@admin_required
@require_POST
def import_apply(request, pk):
    job = get_object_or_404(ImportJob, pk=pk)
    try:
        actions.do_request_apply(request.user, job, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("import_detail", pk=job.pk)


@admin_required
def import_errors_csv(request, pk):
    """The whole problem report as CSV (UTF-8 with BOM so Excel opens it), in the viewer's language."""
    job = get_object_or_404(ImportJob, pk=pk)
    problems = [(p, False) for p in map(Problem.from_json, job.report.get("errors", []))]
    problems += [(p, True) for p in map(Problem.from_json, job.report.get("warnings", []))]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-problems.csv"'
    response.write("\ufeff" + csv_line([_("Line"), _("Column"), _("Kind"), _("Message")]))
    for problem, warning in sorted(problems, key=lambda item: item[0].line):
        # Messages quote cells of the uploaded file: csv_line keeps them from running as formulas.
        response.write(csv_line([problem.line, problem.column, _("Warning") if warning else _("Error"),
                                 problem.message]))
    audit(request.user, "leavers.export_import_problems", job, request=request, detail={"rows": len(problems)})
    return response


def column_labels():
    """The columns HR files may use, for the upload page's help table."""
    return [(c.header, c.name, c.required) for c in LEAVERS.columns]
