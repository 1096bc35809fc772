"""The member's events in their data download: registrations with their answers, and their feedback."""

from django.utils.translation import gettext as _

from kizuna.members.export import Field, Section, _display

from .models import Feedback, Registration


def event_sections(user):
    registrations = Section("event_registrations", _("Event registrations"), many=True, entries=[
        [Field("event", _("Event"), r.event.title, r.event.title),
         Field("starts_at", _("Starts at"), r.event.starts_at, _display(r.event.starts_at)),
         Field("status", _("Status"), r.status, r.get_status_display()),
         Field("companions", _("Companions"), r.companions, str(r.companions)),
         Field("answers", _("Answers"), r.answers,
               _display("\n".join(f"{a['question']}: {a['answer']}" for a in r.answers))),
         Field("checked_in_at", _("Checked in at"), r.checked_in_at, _display(r.checked_in_at)),
         Field("created_at", _("Registered at"), r.created_at, _display(r.created_at))]
        for r in Registration.objects.filter(user=user).select_related("event").order_by("event__starts_at")
    ])
    feedback = Section("event_feedback", _("Event feedback"), many=True, entries=[
        [Field("event", _("Event"), f.event.title, f.event.title),
         Field("rating", _("Rating"), f.rating, str(f.rating)),
         Field("comment", _("Comment"), f.comment, _display(f.comment))]
        for f in Feedback.objects.filter(user=user).select_related("event")
    ])
    return [registrations, feedback]
