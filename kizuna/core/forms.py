import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DomainNameValidator
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .access import department_tree
from .images import clean_logo
from .models import Department, LeaveType, OutboxEmail, RegistrationMode


class GeneralSettingsForm(forms.Form):
    name = forms.CharField(label=_("Network name"), max_length=100)
    logo = forms.FileField(
        label=_("Logo"), required=False,
        help_text=_("PNG, JPEG, GIF or WebP, up to 2 MB. It is converted to PNG and shown at the top of every page."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)
    invitation_valid_days = forms.IntegerField(
        label=_("Invitations are valid for (days)"), min_value=1, max_value=365,
    )
    guidelines = forms.CharField(
        label=_("Community guidelines"), required=False, widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("When you change the guidelines, members are asked to accept the new version."),
    )
    privacy_notice = forms.CharField(
        label=_("Privacy notice (purpose of use)"), required=False, widget=forms.Textarea(attrs={"rows": 10}),
    )

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        return clean_logo(upload) if upload else None

    def settings_changes(self):
        fields = ("name", "invitation_valid_days", "guidelines", "privacy_notice")
        return {key: self.cleaned_data[key] for key in fields}


class RegistrationSettingsForm(forms.Form):
    registration_mode = forms.ChoiceField(
        label=_("How former employees join"), choices=RegistrationMode.choices, widget=forms.RadioSelect,
    )
    employee_domains = forms.CharField(
        label=_("Employee email domains"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One domain per line, e.g. example.co.jp. Anyone who signs up with an address at one of "
                    "these domains and verifies it becomes an employee member."),
    )

    def clean_employee_domains(self):
        """One domain per line → a list: lower-cased, a leading "@" dropped, duplicates removed."""
        domains, invalid = [], []
        for line in self.cleaned_data["employee_domains"].splitlines():
            domain = line.strip().removeprefix("@").rstrip(".").lower()
            if not domain:
                continue
            if not _is_domain_name(domain):
                invalid.append(line.strip())
            elif domain not in domains:
                domains.append(domain)
        if invalid:
            raise ValidationError(
                _("These lines are not valid domain names: %(lines)s"), params={"lines": "、".join(invalid)},
            )
        return domains


def _is_domain_name(value):
    try:
        DomainNameValidator()(value)
    except ValidationError:
        return False
    return "." in value


class EligibilitySettingsForm(forms.Form):
    min_tenure_months = forms.IntegerField(
        label=_("Minimum tenure (months)"), min_value=0, max_value=600,
        help_text=_("0 means no minimum. Tenure is counted from the join date to the leave date."),
    )
    allowed_leave_types = forms.MultipleChoiceField(
        label=_("Leave types that may join"), choices=LeaveType.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Records without a leave type are not limited by this rule."),
    )


class CompanyForm(forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=200)
    name_kana = forms.CharField(
        label=_("Reading (kana)"), max_length=200, required=False,
        help_text=_("Used to sort the list in Japanese syllabary order, e.g. きずなしょうじ."),
    )


class RememberedSelect(forms.Select):
    """A <select> whose HTML is remembered per language, value and options. Long option lists (every
    prefecture and country, the department tree) take longer to render through the widget templates
    than the rest of a page; the options are still read on every render, so a change shows at once."""

    rendered = {}
    REMEMBERED = 500

    def render(self, name, value, attrs=None, renderer=None):
        key = (name, translation.get_language(), tuple(self.format_value(value)),
               tuple(sorted(self.build_attrs(self.attrs, attrs).items())), _flat(self.choices))
        html = self.rendered.get(key)
        if html is None:
            if len(self.rendered) >= self.REMEMBERED:
                self.rendered.clear()
            html = self.rendered[key] = super().render(name, value, attrs, renderer)
        return html


def _flat(choices):
    """Options (and groups of them) as plain strings, for comparing."""
    return tuple((str(value), _flat(label) if isinstance(label, list | tuple) else str(label))
                 for value, label in choices)


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return "\u3000" * obj.level + obj.name


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Department name"), max_length=200)
    parent = DepartmentChoiceField(
        label=_("Parent department"), queryset=Department.objects.all(), required=False,
        empty_label=_("(top level)"),
    )

    def __init__(self, *args, moving=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Options in tree order with indentation. A department being moved cannot go under itself, so its
        # subtree is not offered (actions.check_department still refuses it if sent anyway).
        parent = self.fields["parent"]
        nodes = department_tree()
        if moving is not None and moving.pk is not None:
            nodes = [n for n in nodes if n.pk != moving.pk and not n.path.startswith(moving.path + "/")]
        parent.choices = [("", parent.empty_label)] + [(n.pk, parent.label_from_instance(n)) for n in nodes]


class AuditFilterForm(forms.Form):
    """Filters of the audit log page (GET). `apply()` narrows a queryset to the valid filters."""

    SYSTEM = "system"

    actor = forms.CharField(label=_("Who"), required=False)
    action = forms.CharField(label=_("Action"), required=False)
    target_type = forms.CharField(label=_("Target type"), required=False)
    target_id = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    date_from = forms.DateField(label=_("Since"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label=_("Target contains"), required=False, max_length=100)

    def __init__(self, *args, actors=(), actions=(), target_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("Everyone")), (self.SYSTEM, _("System"))]
        self.fields["actor"].widget = forms.Select(choices=everyone + [(str(pk), label) for pk, label in actors])
        self.fields["action"].widget = forms.Select(choices=[("", _("All actions"))] + list(actions))
        self.fields["target_type"].widget = forms.Select(
            choices=[("", _("All types"))] + [(t, t) for t in target_types]
        )

    def apply(self, queryset):
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["actor"] == self.SYSTEM:
            queryset = queryset.filter(actor__isnull=True)
        elif data["actor"].isdigit():
            queryset = queryset.filter(actor_id=int(data["actor"]))
        for field in ("action", "target_type", "target_id"):
            if data[field]:
                queryset = queryset.filter(**{field: data[field]})
        # Whole local days, as a range on the indexed timestamp.
        if data["date_from"]:
            queryset = queryset.filter(at__gte=_start_of(data["date_from"]))
        if data["date_to"]:
            queryset = queryset.filter(at__lt=_start_of(data["date_to"] + datetime.timedelta(days=1)))
        if data["q"].strip():
            queryset = queryset.filter(target_label__icontains=data["q"].strip())
        return queryset

    def active_filters(self):
        """The filters in use, for the audit entry that records this read."""
        if not self.is_valid():
            return {}
        return {key: str(value) for key, value in self.cleaned_data.items() if value}


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class OutboxFilterForm(forms.Form):
    q = forms.CharField(label=_("Recipient or subject"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All"))] + OutboxEmail.Status.choices)

    def apply(self, queryset):
        if not self.is_valid():
            return queryset
        if self.cleaned_data["q"].strip():
            text = self.cleaned_data["q"].strip()
            queryset = queryset.filter(Q(to__icontains=text) | Q(subject__icontains=text))
        if self.cleaned_data["status"]:
            queryset = queryset.filter(status=self.cleaned_data["status"])
        return queryset
