import unicodedata

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from kizuna.core.models import NetworkSettings
from kizuna.core.text import normalize, to_hiragana

from .adapter import email_domain
from .matching import employee_number_forms
from .models import Application, Invitation, LeaverRecord, Role, State, User

# --- Shared pieces -----------------------------------------------------------------------------

# After folding katakana (full- and half-width) to hiragana: hiragana, the long-vowel mark, the
# middle dot and spaces are what a reading (よみ) may contain.
_READING_CHARACTERS = {chr(c) for c in range(0x3041, 0x3097)} | set("ーゝゞ・ 　")


def validate_reading(value):
    if any(ch not in _READING_CHARACTERS for ch in to_hiragana(value)):
        raise ValidationError(_("Please write the reading in hiragana or katakana (e.g. やまだ たろう)."),
                              code="not_kana")


class ReadingField(forms.CharField):
    """A reading in kana; half-width katakana is stored full-width (ﾀｶﾊｼ → タカハシ)."""

    default_validators = [validate_reading]

    def to_python(self, value):
        return unicodedata.normalize("NFKC", super().to_python(value))


def _name_fields():
    return (
        forms.CharField(label=_("Name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})),
        ReadingField(label=_("Reading (kana)"), max_length=150, help_text=_("e.g. やまだ たろう")),
    )


def _consent_fields():
    return (
        forms.BooleanField(label=_("I accept the community guidelines."), required=True),
        forms.BooleanField(label=_("I agree to the handling of my personal information described in the "
                                   "privacy notice (purpose of use)."), required=True),
    )


class PasswordPairMixin:
    """Two password fields checked against Django's validators for the account being created."""

    def clean_passwords(self, user):
        password1, password2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if not password1:
            return
        if password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
            return
        try:
            password_validation.validate_password(password1, user=user)
        except ValidationError as error:
            self.add_error("password1", error)


def _password_fields():
    return (
        forms.CharField(label=_("Password"), strip=False,
                        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                        help_text=password_validation.password_validators_help_text_html()),
        forms.CharField(label=_("Password (again)"), strip=False,
                        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})),
    )


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me logged in")


class EmployeeSignupForm(SignupForm):
    """allauth's open sign-up, which is the employee path: a company address, the names, and consent to the
    guidelines and the privacy notice. The account is saved by the adapter through actions.

    The company-domain rule lives here and not in the adapter: members add and change their own addresses
    (any domain) with allauth's other forms."""

    name, name_kana = _name_fields()
    accept_guidelines, accept_privacy = _consent_fields()
    field_order = ["email", "name", "name_kana", "password1", "password2"]

    def clean_email(self):
        if email_domain(self.cleaned_data["email"]) not in NetworkSettings.load().employee_domains:
            raise ValidationError(_("Sign-up here is for current employees with a company email address. "
                                    "Former employees can apply to join or use the link in their invitation."),
                                  code="not_employee_domain")
        return super().clean_email()


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
# --- Invitation and application ----------------------------------------------------------------

# Each language is named in itself, so that the choice can be read whichever page language is shown.
LANGUAGE_CHOICES = [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class InvitationAcceptForm(PasswordPairMixin, forms.Form):
    name, name_kana = _name_fields()
    language = forms.ChoiceField(label=_("Language for emails and pages"), choices=LANGUAGE_CHOICES)
    password1, password2 = _password_fields()
    accept_guidelines, accept_privacy = _consent_fields()

    def __init__(self, *args, user, language, **kwargs):
        self.user = user
        kwargs.setdefault("initial", {"name": user.name, "name_kana": user.name_kana, "language": language})
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        candidate = User(email=self.user.email, name=cleaned.get("name", ""), name_kana=cleaned.get("name_kana", ""))
        self.clean_passwords(candidate)
        return cleaned


FIRST_YEAR = 1950


def _year_field(label):
    # The upper bound (this year) is set per form, so a long-running process stays correct.
    return forms.IntegerField(label=label, min_value=FIRST_YEAR,
                              widget=forms.NumberInput(attrs={"min": FIRST_YEAR, "inputmode": "numeric"}))


class ApplicationForm(PasswordPairMixin, forms.Form):
    name, name_kana = _name_fields()
    email = forms.EmailField(label=_("Email address"), help_text=_("You will log in with this address."),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1, password2 = _password_fields()
    former_email = forms.EmailField(label=_("Company email address you used"), required=False)
    employee_number = forms.CharField(label=_("Employee number"), max_length=50, required=False,
                                      help_text=_("Fill in at least one of these two, so that HR can find you."))
    joined_year = _year_field(_("Year you joined"))
    left_year = _year_field(_("Year you left"))
    department = forms.CharField(label=_("Department"), max_length=300, required=False,
                                 help_text=_("The last department you worked in."))
    message = forms.CharField(label=_("Message to HR"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    accept_guidelines, accept_privacy = _consent_fields()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        for name in ("joined_year", "left_year"):
            field = self.fields[name]
            field.max_value = this_year
            field.validators.append(MaxValueValidator(this_year))
            field.widget.attrs["max"] = this_year

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("former_email") and not cleaned.get("employee_number", "").strip():
            self.add_error("employee_number", _("Please enter your former company email address or your "
                                                "employee number."))
        joined, left = cleaned.get("joined_year"), cleaned.get("left_year")
        if joined and left and left < joined:
            self.add_error("left_year", _("The year you left cannot be before the year you joined."))
        candidate = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""),
                         name_kana=cleaned.get("name_kana", ""))
        self.clean_passwords(candidate)
        return cleaned


# --- Admin pages -------------------------------------------------------------------------------

class InvitationFilterForm(forms.Form):
    class Status(models.TextChoices):
        ALL = "", _("Not registered yet (all)")
        NOT_INVITED = "not_invited", _("Not invited")
        OPEN = "open", _("Invited, waiting")
        EXPIRED = "expired", _("Invitation expired")
        REVOKED = "revoked", _("Invitation revoked")
        ACCEPTED = "accepted", _("Registered through an invitation")

    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"type": "search",
                                                      "placeholder": _("Name, reading, employee number, email")}))
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, required=False)
    left_year = forms.IntegerField(label=_("Year left"), required=False, min_value=1900, max_value=2999)

    def filter(self, records):
        """Apply the valid filters to a LeaverRecord queryset."""
        data = self.cleaned_data if self.is_valid() else {}
        now = timezone.now()
        open_invitations = Invitation.objects.filter(record=OuterRef("pk"), status=Invitation.Status.SENT)
        status = data.get("status") or self.Status.ALL
        if status == self.Status.ACCEPTED:
            records = records.filter(Exists(Invitation.objects.filter(record=OuterRef("pk"),
                                                                      status=Invitation.Status.ACCEPTED)))
        else:
            records = records.filter(Q(member__isnull=True) | Q(member__state=State.INVITED), eligible=True)
        if status == self.Status.NOT_INVITED:
            records = records.filter(member__isnull=True)
        elif status == self.Status.OPEN:
            records = records.filter(Exists(open_invitations.filter(expires_at__gt=now)))
        elif status == self.Status.EXPIRED:
            records = records.filter(Exists(open_invitations.filter(expires_at__lte=now)))
        elif status == self.Status.REVOKED:
            records = records.filter(member__state=State.INVITED).exclude(Exists(open_invitations))
        if data.get("q"):
            records = records.filter(_record_search(data["q"]))
        if data.get("left_year"):
            records = records.filter(left_on__year=data["left_year"])
        return records


def _record_search(text):
    key = normalize(text)
    return (Q(name_key__contains=key) | Q(kana_key__contains=key) | Q(employee_number=text.strip())
            | Q(email__icontains=text.strip()))


class ApplicationFilterForm(forms.Form):
    class Status(models.TextChoices):
        WAITING = "", _("Waiting for review")
        UNCONFIRMED = "unconfirmed", _("Email address not confirmed yet")
        APPROVED = "approved", _("Approved")

    q = forms.CharField(label=_("Search"), required=False,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or email")}))
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices, required=False)

    def filter(self, applications):
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or self.Status.WAITING
        if status == self.Status.APPROVED:
            applications = applications.filter(status=Application.Status.APPROVED).order_by("-decided_at")
        else:
            applications = applications.filter(status=Application.Status.PENDING,
                                               email_verified=status == self.Status.WAITING)
        if data.get("q"):
            text = data["q"].strip()
            applications = applications.filter(Q(name__icontains=text) | Q(name_kana__icontains=text)
                                               | Q(user__email__icontains=text))
        return applications


class ApproveForm(forms.Form):
    # The template offers the best-matching records as radio buttons; any record may be given.
    record = forms.IntegerField(required=False)
    employee_number = forms.CharField(label=_("Or link the HR record with this employee number"), max_length=50,
                                      required=False)
    message = forms.CharField(label=_("Message to the applicant"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("employee_number", "").strip()
        if number:
            record = LeaverRecord.objects.filter(employee_number__in=employee_number_forms(number)).first()
            if record is None:
                self.add_error("employee_number", _("There is no HR record with this employee number."))
        elif cleaned.get("record"):
            record = LeaverRecord.objects.filter(pk=cleaned["record"]).first()
            if record is None:
                self.add_error(None, _("This HR record no longer exists."))
        else:
            record = None
        cleaned["record"] = record
        return cleaned


class RejectForm(forms.Form):
    message = forms.CharField(label=_("Message to the applicant"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Sent by email. Explain the reason and what they can do, e.g. "
                                          "apply again with their employee number."))
