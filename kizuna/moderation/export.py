"""The moderation app's part of a member's data download: the reports they made, with their own words.
What moderators decided about others is not theirs; reports about them are never shown (who reported
stays private)."""

from django.utils.translation import gettext as _

from kizuna.members.export import Field, Section, _display

from . import registry
from .models import Report


def sections(user):
    reports = Report.objects.filter(reporter=user).order_by("created_at", "pk")
    labels = {reportable.kind: reportable.label for reportable in registry.kinds()}
    return [Section("reports", _("Reports you made"), many=True, entries=[
        [Field("kind", _("Kind"), r.kind, str(labels.get(r.kind, r.kind))),
         Field("reason", _("Reason"), r.reason, r.get_reason_display()),
         Field("note", _("Details for the moderators"), r.note, _display(r.note)),
         Field("reported_at", _("Reported at"), r.created_at, _display(r.created_at))]
        for r in reports
    ])]
