from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Role, State


class EmployeeSignupForm(forms.Form):
    """Extra fields of allauth's sign-up form (the employee path)."""

    name = forms.CharField(label=_("Name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    name_kana = forms.CharField(label=_("Reading (kana)"), max_length=150,
                                help_text=_("e.g. やまだ たろう"))


    def signup(self, request, user):
        """Required by allauth; the names are saved by the adapter through actions."""


class MemberFilterForm(forms.Form):
    """Search, filters and order of the admin member list (GET)."""

    SORT_READING, SORT_NEWEST = "reading", "newest"

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, reading or email")}))
    role = forms.ChoiceField(label=_("Member type"), required=False, choices=[("", _("All"))] + Role.choices)
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("All"))] + [
        (value, label) for value, label in State.choices if value != State.WITHDRAWN
    ])
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=[
        (SORT_READING, _("Japanese syllabary order")), (SORT_NEWEST, _("Newest first")),
    ])

    def filters(self):
        """Valid filters as a dict (empty values dropped): used for the query and for the audit entry."""
        if not self.is_valid():
            return {}
        return {key: value.strip() for key, value in self.cleaned_data.items() if value and value.strip()}


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Member type"), choices=Role.choices)


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("Reason (kept in the audit log)"), required=False, max_length=500)


class AdminWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Request received (how, when, reference)"), max_length=500,
        help_text=_("Kept in the audit log. Do not write the member's name or address here."),
    )
    confirm = forms.BooleanField(label=_("I understand that this erases the member's personal data and cannot be "
                                         "undone."))


class WithdrawForm(forms.Form):
    """Self-withdrawal: the member confirms with their password. The reason is a choice, never free text,
    so nothing personal is kept about why they left."""

    REASONS = [
        ("", _("Prefer not to say")),
        ("not_useful", _("The network is not useful to me")),
        ("too_many_emails", _("Too many emails or notifications")),
        ("privacy", _("Privacy concerns")),
        ("other_account", _("I have another account")),
        ("other", _("Other reasons")),
    ]
    reason = forms.ChoiceField(label=_("Reason (optional)"), choices=REASONS, required=False)
    password = forms.CharField(label=_("Current password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password


class OwnDetailsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    name_kana = forms.CharField(label=_("Reading (kana)"), max_length=150, required=False,
                                help_text=_("e.g. やまだ たろう"))
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES,
                                 help_text=_("Used for the screens and for the emails you receive."))
class LeaverFilterForm(forms.Form):
    """Search and filters of the admin's leaver record list (GET)."""

    INVITATION_CHOICES = [
        ("", _("All")),
        ("none", _("Not invited")),
        ("open", _("Invitation open")),
        ("expired", _("Invitation expired")),
        ("accepted", _("Joined")),
        ("revoked", _("Invitation revoked")),
    ]

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, reading or number")}))
    eligible = forms.ChoiceField(label=_("Eligibility"), required=False,
                                 choices=[("", _("All")), ("yes", _("Eligible")), ("no", _("Not eligible"))])
    leave_type = forms.ChoiceField(label=_("Leave type"), required=False)
    left_year = forms.TypedChoiceField(label=_("Year left"), required=False, coerce=int, empty_value=None)
    invitation = forms.ChoiceField(label=_("Invitation"), required=False, choices=INVITATION_CHOICES)

    def __init__(self, *args, years=(), **kwargs):
        from kizuna.core.models import LeaveType

        super().__init__(*args, **kwargs)
        self.fields["leave_type"].choices = [("", _("All")), *LeaveType.choices]
        self.fields["left_year"].choices = [("", _("All")), *((y, y) for y in years)]


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("HR file (CSV or Excel .xlsx)"),
                           help_text=_("CSV in UTF-8 or Shift_JIS (CP932), or an Excel workbook (first sheet)."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))
    invite_on_apply = forms.BooleanField(label=_("Invite eligible people automatically when applied"), required=False)

    def clean_file(self):
        from .importer import ImportFileError, check_file

        upload = self.cleaned_data["file"]
        try:
            check_file(upload, upload.name, upload.size)
        except ImportFileError as error:
            raise forms.ValidationError(error.problem.message) from None
        return upload
