"""Read helpers for the top page and the admin dashboard."""

from django.db.models import Count

from kizuna.members.models import Application, Invitation, LeaverRecord, State, User


def home_context(user):
    context = {}
    if user.is_authenticated and user.state == State.PENDING:
        context["application"] = Application.objects.filter(user=user).first()
    return context


def admin_dashboard():
    by_state = dict(User.objects.values_list("state").annotate(n=Count("id")))
    return {
        "members_by_state": [(label, by_state.get(value, 0)) for value, label in State.choices
                             if value != State.WITHDRAWN],
        "pending_applications": Application.objects.filter(status=Application.Status.PENDING).count(),
        "open_invitations": Invitation.objects.filter(status=Invitation.Status.SENT).count(),
        "leaver_records": LeaverRecord.objects.count(),
        "eligible_not_invited": LeaverRecord.objects.filter(eligible=True, member__isnull=True,
                                                            opted_out=False).count(),
    }
