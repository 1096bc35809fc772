"""Forms of the profile pages: the member's own profile (with its career rows) and HR's profile settings.

The forms only read and shape what was typed; the rules (lengths, allowed levels, future dates …) are
checked by actions.check_own_profile(), whose errors the view puts back on the fields they belong to.
"""

import datetime
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kizuna.core.access import department_tree
from kizuna.core.images import clean_photo
from kizuna.core.models import GroupCompany

from .actions.profiles import MAX_CAREER, MAX_LINKS, UNCHANGED
from .choices import INDUSTRIES, language_choices, location_choices
from .models import CustomField, Purpose, Visibility

_MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")


class MonthInput(forms.DateInput):
    """<input type="month"> (YYYY-MM); browsers without it show a text box, so the placeholder says how."""

    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "2019-04", **(attrs or {})})

    def format_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, datetime.date) else value


class MonthField(forms.DateField):
    """A year and month, stored as the first day of the month. Accepts 2019-04, 2019/4 and 2019年4月."""

    widget = MonthInput
    default_error_messages = {"invalid": _("Please enter a year and month, e.g. 2019-04.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        match = _MONTH.fullmatch(unicodedata.normalize("NFKC", str(value)).strip())
        if not match or not 1 <= int(match[2]) <= 12:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return datetime.date(int(match[1]), int(match[2]), 1)


class LinksWidget(forms.Widget):
    """MAX_LINKS web address boxes sharing one name; profile.js shows only the filled ones and one more."""

    template_name = "members/widgets/links.html"

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        values = [v for v in (value or []) if v][:MAX_LINKS]
        context["widget"]["values"] = values + [""] * (MAX_LINKS - len(values))
        return context

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_


class LinksField(forms.Field):
    widget = LinksWidget

    def to_python(self, value):
        return [v.strip() for v in value or [] if v and v.strip()]


def visibility_field(rule):
    """The "who can see this" choice of one field, offering only the levels HR allows for it."""
    return forms.ChoiceField(label=_("Visible to"), required=False, initial=rule.default,
                             choices=[(v, label) for v, label in Visibility.choices if v in rule.allowed])


def _custom_form_field(field):
    label = field.display_label
    if field.kind == CustomField.Kind.CHOICE:
        return forms.ChoiceField(label=label, required=False, choices=[("", "—")] + [(c, c) for c in field.choices])
    if field.kind == CustomField.Kind.MULTI:
        return forms.MultipleChoiceField(label=label, required=False, widget=forms.CheckboxSelectMultiple,
                                         choices=[(c, c) for c in field.choices])
    if field.kind == CustomField.Kind.DATE:
        return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))
    return forms.CharField(label=label, required=False, max_length=500)


def _custom_initial(field, value):
    if field.kind == CustomField.Kind.DATE and value:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return value


def skills_text(names):
    """Skills as one editable string, separated the way the page's language writes lists."""
    return ("、" if (get_language() or "").startswith("ja") else ", ").join(names)


class ProfileForm(forms.Form):
    """Every value of the member's own profile, with a `vis_<key>` choice beside each field."""

    photo = forms.FileField(label=_("New photo"), required=False, help_text=_(
        "PNG, JPEG, GIF or WebP, at most 5 MB. It is cropped to a square."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp",
                                      "data-preview-label": _("The photo you chose")}))
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)
    romaji = forms.CharField(label=_("Name in roman letters"), max_length=150, required=False,
                             help_text=_("e.g. Taro Yamada"), widget=forms.TextInput(attrs={"autocomplete": "off"}))
    joined_on = MonthField(label=_("Month you joined"), required=False)
    left_on = MonthField(label=_("Month you left"), required=False)
    current_company = forms.CharField(label=_("Current company"), max_length=200, required=False,
                                      widget=forms.TextInput(attrs={"autocomplete": "organization"}))
    current_title = forms.CharField(label=_("Current title"), max_length=200, required=False,
                                    widget=forms.TextInput(attrs={"autocomplete": "organization-title"}))
    industry = forms.ChoiceField(label=_("Industry"), required=False, choices=[("", "—")] + INDUSTRIES)
    location = forms.ChoiceField(label=_("Location"), required=False)
    skills = forms.CharField(label=_("Skills"), max_length=2000, required=False,
                             help_text=_("Separate skills with 、 or commas, e.g. 法人営業、Python、簿記2級"),
                             widget=forms.TextInput(attrs={"data-remove-label": _("Remove")}))
    bio = forms.CharField(label=_("About me"), max_length=2000, required=False,
                          widget=forms.Textarea(attrs={"rows": 6}),
                          help_text=_("Plain text, at most 2,000 characters. Web addresses become links."))
    links = LinksField(label=_("Links"), required=False,
                       help_text=_("Up to 5 web addresses: your company, LinkedIn, a blog …"))
    languages = forms.MultipleChoiceField(label=_("Languages"), required=False, widget=forms.CheckboxSelectMultiple)
    purposes = forms.MultipleChoiceField(label=_("Purposes"), required=False, choices=Purpose.choices,
                                         widget=forms.CheckboxSelectMultiple)
    hidden = forms.BooleanField(label=_("Hide me from the directory"), required=False, help_text=_(
        "Nobody finds you in the directory or its search. People you are in contact with can still open "
        "your profile page."))

    # Built-in profile values (field name = profile key) the member edits here.
    VALUE_KEYS = ("romaji", "joined_on", "left_on", "current_company", "current_title", "industry", "location",
                  "skills", "bio", "links", "languages", "purposes")

    def __init__(self, *args, member, profile, rules, custom_fields, custom_values, **kwargs):
        self.member, self.rules, self.custom_fields = member, rules, custom_fields
        chosen = profile.visibility or {}
        initial = {
            "romaji": profile.romaji, "joined_on": member.joined_on, "left_on": member.left_on,
            "current_company": profile.current_company, "current_title": profile.current_title,
            "industry": profile.industry, "location": profile.location, "bio": profile.bio,
            "links": profile.links, "languages": profile.languages, "purposes": profile.purposes,
            "hidden": profile.hidden,
            "skills": skills_text([s.name for s in profile.skills.all()]) if profile.pk else "",
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["location"].choices = [("", "—")] + location_choices()
        # The member's own languages first: a long list must not hide what is ticked.
        self.fields["languages"].choices = language_choices(first=profile.languages or ())
        for field in custom_fields:
            self.fields[field.key] = _custom_form_field(field)
            self.initial[field.key] = _custom_initial(field, custom_values.get(field.pk))
        for key, rule in rules.items():
            self.fields[f"vis_{key}"] = visibility_field(rule)
            self.initial[f"vis_{key}"] = rule.effective(chosen.get(key))

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        return clean_photo(upload) if upload else None

    def photo_change(self):
        """A new (re-encoded) photo, None to remove the photo, or UNCHANGED."""
        if self.cleaned_data.get("photo"):
            return self.cleaned_data["photo"]
        return None if self.cleaned_data.get("remove_photo") else UNCHANGED

    @property
    def shows_left_on(self):
        """Current employees have not left; a month they left would only confuse."""
        return self.member.role not in ("employee", "admin") or bool(self.member.left_on)

    def visibility_of(self, key):
        name = f"vis_{key}"
        return self[name] if name in self.fields else None

    def custom_pairs(self):
        return [(self[field.key], self.visibility_of(field.key)) for field in self.custom_fields]

    def changes(self) -> dict:
        """The profile values to save (call after is_valid())."""
        data = self.cleaned_data
        keys = [k for k in self.VALUE_KEYS if k != "left_on" or self.shows_left_on]
        changes = {key: data.get(key) for key in keys}
        for field in self.custom_fields:
            value = data.get(field.key)
            changes[field.key] = value.isoformat() if isinstance(value, datetime.date) else value
        return changes

    def visibility(self) -> dict:
        """Field key → the level chosen, for the fields whose choice was offered (and sent)."""
        return {key: self.cleaned_data[f"vis_{key}"] for key in self.rules if self.cleaned_data.get(f"vis_{key}")}

    def add_action_errors(self, errors: dict):
        """Put check_own_profile()'s messages on the fields they belong to ("visibility.bio" → vis_bio)."""
        for key, messages in errors.items():
            name = f"vis_{key.split('.', 1)[1]}" if key.startswith("visibility.") else key
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


def company_choices():
    return [("", "—")] + [(str(c.pk), c.name) for c in GroupCompany.objects.all()]


def department_choices():
    """The department tree as indented options (ideographic spaces survive HTML's whitespace folding)."""
    return [("", "—")] + [(str(d.pk), "\u3000" * d.level + d.name) for d in department_tree()]


class CareerForm(forms.Form):
    """One position in the member's career at the company."""

    company = forms.ChoiceField(label=_("Group company"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    started_on = MonthField(label=pgettext_lazy("career", "From"), required=False)
    ended_on = MonthField(label=pgettext_lazy("career", "Until"), required=False)

    def __init__(self, *args, companies, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].choices = companies
        self.fields["department"].choices = departments

    def clean(self):
        data = super().clean()
        if data.get("started_on") and data.get("ended_on") and data["ended_on"] < data["started_on"]:
            self.add_error("ended_on", _("The end must come after the start."))
        return data


CareerFormSet = forms.formset_factory(CareerForm, extra=1, can_delete=True, max_num=MAX_CAREER,
                                      absolute_max=MAX_CAREER, validate_max=True)


def career_formset(data=None, *, member=None):
    """The career rows: the member's positions (newest first) and one empty row to add another."""
    initial = None
    if data is None and member is not None:
        initial = [{"company": str(e.company_id or ""), "department": str(e.department_id or ""), "title": e.title,
                    "started_on": e.started_on, "ended_on": e.ended_on} for e in member.career.all()]
    return CareerFormSet(data, initial=initial, prefix="career",
                         form_kwargs={"companies": company_choices(), "departments": department_choices()})


def career_rows(formset):
    """(rows for actions.do_set_career, the form of each row) from a valid formset; empty and removed
    rows are left out."""
    from kizuna.core.models import Department

    kept = [form for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
            and any(form.cleaned_data.get(k) for k in ("company", "department", "title", "started_on", "ended_on"))]
    company_ids = {int(f.cleaned_data["company"]) for f in kept if f.cleaned_data.get("company")}
    department_ids = {int(f.cleaned_data["department"]) for f in kept if f.cleaned_data.get("department")}
    companies = GroupCompany.objects.in_bulk(company_ids)
    departments = Department.objects.in_bulk(department_ids)
    rows = []
    for form in kept:
        data = form.cleaned_data
        rows.append({
            "company": companies.get(int(data["company"])) if data.get("company") else None,
            "department": departments.get(int(data["department"])) if data.get("department") else None,
            "title": data.get("title") or "", "started_on": data.get("started_on"), "ended_on": data.get("ended_on"),
        })
    return rows, kept


# --- HR's profile settings -------------------------------------------------------------------------

class VisibilityRulesForm(forms.Form):
    """Per profile field: the levels members may choose (`<key>-allowed`) and the default (`<key>-default`)."""

    confirm_months = forms.IntegerField(
        label=_("Ask members to confirm their profile after (months)"), min_value=0, max_value=120,
        help_text=_("Members whose profile has not been saved or confirmed for this long are asked whether it "
                    "is still current. 0 turns the question off."))

    def __init__(self, *args, fields, rules, confirm_months, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile_fields = fields
        self.initial["confirm_months"] = confirm_months
        for field in fields:
            rule = rules[field.key]
            self.fields[f"{field.key}-allowed"] = forms.MultipleChoiceField(
                label=field.label, required=False, choices=Visibility.choices, widget=forms.CheckboxSelectMultiple)
            self.fields[f"{field.key}-default"] = forms.ChoiceField(
                label=_("Default for “%(field)s”") % {"field": field.label}, choices=Visibility.choices)
            self.initial[f"{field.key}-allowed"] = sorted(rule.allowed)
            self.initial[f"{field.key}-default"] = rule.default

    def rows(self):
        return [(field, self[f"{field.key}-allowed"], self[f"{field.key}-default"]) for field in self.profile_fields]

    def rules(self) -> dict:
        return {field.key: {"allowed": sorted(self.cleaned_data.get(f"{field.key}-allowed") or []),
                            "default": self.cleaned_data.get(f"{field.key}-default")}
                for field in self.profile_fields}

    def add_action_errors(self, errors: dict):
        for key, messages in errors.items():
            name = "confirm_months" if key == "confirm_months" else f"{key}-allowed"
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class CustomFieldForm(forms.Form):
    label = forms.CharField(label=_("Label (Japanese)"), max_length=100)
    label_en = forms.CharField(label=_("Label (English)"), max_length=100, required=False,
                               help_text=_("Shown on English pages; the Japanese label is used when empty."))
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=CustomField.Kind.choices)
    choices = forms.CharField(label=_("Options"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("For “One choice” and “Several choices”: one option per line."))
    default_visibility = forms.ChoiceField(label=_("Default visibility"), choices=Visibility.choices,
                                           help_text=_("Members can change it within the visibility rules."))

    def cleaned_choices(self):
        return [line.strip() for line in self.cleaned_data.get("choices", "").splitlines() if line.strip()]

    def add_action_errors(self, errors: dict):
        for key, messages in errors.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)
