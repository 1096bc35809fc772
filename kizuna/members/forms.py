from django import forms
from django.utils.translation import gettext_lazy as _


class EmployeeSignupForm(forms.Form):
    """Extra fields of allauth's sign-up form (the employee path)."""

    name = forms.CharField(label=_("Name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    name_kana = forms.CharField(label=_("Reading (kana)"), max_length=150,
                                help_text=_("e.g. やまだ たろう"))


    def signup(self, request, user):
        """Required by allauth; the names are saved by the adapter through actions."""


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
