"""Readable names of audit actions for the audit log page. Actions not listed here show their code."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "settings.update": _("Changed network settings"),
    "settings.logo": _("Changed the logo"),
    "company.create": _("Added a group company"),
    "company.update": _("Changed a group company"),
    "company.delete": _("Deleted a group company"),
    "department.create": _("Added a department"),
    "department.update": _("Changed a department"),
    "department.delete": _("Deleted a department"),
    "member.create": _("Created an account"),
    "member.employee_verified": _("Verified an employee"),
    "member.view": _("Viewed a member"),
    "members.view_list": _("Viewed the member list"),
    "member.change_role": _("Changed a member type"),
    "member.suspend": _("Suspended a member"),
    "member.reactivate": _("Reactivated a member"),
    "member.withdraw": _("Withdrawal"),
    "member.export_data": _("Downloaded own data"),
    "member.accept_guidelines": _("Accepted the community guidelines"),
    "leaver.exclude": _("Excluded an HR record"),
    "leaver.include": _("Included an HR record again"),
    "invitation.send": _("Sent an invitation"),
    "invitation.resend": _("Sent an invitation again"),
    "invitation.revoke": _("Revoked an invitation"),
    "invitation.revoke_ineligible": _("Revoked an invitation (no longer eligible)"),
    "invitation.accept": _("Accepted an invitation"),
    "invitation.batch_start": _("Started inviting everyone eligible"),
    "invitation.batch_done": _("Finished inviting everyone eligible"),
    "invitation.superseded": _("Replaced an unused invitation by an approved application"),
    "invitations.view_list": _("Viewed the invitation list"),
    "application.submit": _("Applied to join"),
    "application.view": _("Viewed an application"),
    "applications.view_list": _("Viewed the applications"),
    "application.approve": _("Approved an application"),
    "application.reject": _("Declined an application"),
    "signup.expire": _("Deleted a sign-up whose email address was never confirmed"),
    "audit.view_list": _("Viewed the audit log"),
    "audit.export": _("Exported the audit log"),
    "outbox.view_list": _("Viewed the outbox"),
    "outbox.view": _("Read an email in the outbox"),
}


def action_label(code):
    return ACTION_LABELS.get(code, code)
