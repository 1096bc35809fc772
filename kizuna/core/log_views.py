"""Admin pages for what the system recorded: the audit log and the local email outbox."""

import json

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from kizuna.members.access import admin_required

from .access import audit_filter_choices
from .actions import audit, list_filters
from .audit_labels import action_label
from .csvexport import csv_download
from .forms import AuditFilterForm, OutboxFilterForm
from .mail import outbox_in_use
from .models import AuditLog, OutboxEmail
from .paging import paginate


def _audit_filter_form(request):
    return AuditFilterForm(request.GET, **audit_filter_choices(request.GET.get("actor", "")))


@admin_required
def audit_log(request):
    form = _audit_filter_form(request)
    page, query = paginate(request, form.apply(AuditLog.objects.all()))
    entries = [(entry, action_label(entry.action), _detail_text(entry.detail)) for entry in page]
    # Reading the log is itself logged (it holds names and addresses); after the page was read, so the
    # reader does not see their own entry on top every time.
    audit(request.user, "audit.view_list", detail=list_filters(form.active_filters(), page=page.number),
          request=request)
    return render(request, "core/audit_log.html", {"form": form, "page": page, "entries": entries, "query": query})


def _detail_text(detail):
    return json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else ""


@admin_required
def audit_export(request):
    form = _audit_filter_form(request)
    audit(request.user, "audit.export", detail=list_filters(form.active_filters()), request=request)
    header = ["at", "actor_id", "actor", "action", "target_type", "target_id", "target", "detail", "ip"]

    def row(entry):
        return [timezone.localtime(entry.at).isoformat(), entry.actor_id or "", entry.actor_label, entry.action,
                entry.target_type, entry.target_id, entry.target_label, _detail_text(entry.detail), entry.ip or ""]

    filename = f"kizuna-audit-{timezone.localdate():%Y%m%d}.csv"
    return csv_download(filename, header, form.apply(AuditLog.objects.all()), row)


@admin_required
def outbox(request):
    """All mail in the embedded mode; with SMTP only what is waiting or failed (sent mail is not kept)."""
    form = OutboxFilterForm(request.GET)
    page, query = paginate(request, form.apply(OutboxEmail.objects.defer("body_text", "body_html")))
    mails = list(page)
    audit(request.user, "outbox.view_list", detail=list_filters(request.GET.dict(), page=page.number),
          request=request)
    return render(request, "core/outbox.html", {
        "in_use": outbox_in_use(), "form": form, "page": page, "mails": mails, "query": query,
        "failed": OutboxEmail.objects.filter(status=OutboxEmail.Status.FAILED).count(),
        "max_attempts": OutboxEmail.MAX_ATTEMPTS,
    })


@admin_required
def outbox_detail(request, pk):
    # With SMTP the messages are the recipients' alone (password-reset links among them): not readable here.
    if not outbox_in_use():
        raise Http404
    mail = get_object_or_404(OutboxEmail, pk=pk)
    audit(request.user, "outbox.view", mail, request=request)
    return render(request, "core/outbox_detail.html", {"mail": mail})
