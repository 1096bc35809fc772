"""The directory's search parameters, read from a query string by the page, the API and the export alike."""

import functools

from django import forms
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.core.access import department_tree
from kizuna.core.forms import DepartmentChoiceField, RememberedSelect
from kizuna.core.models import Department, GroupCompany
from kizuna.core.text import normalize
from kizuna.members.actions import split_skills
from kizuna.members.choices import INDUSTRIES, is_location, location_choices
from kizuna.members.models import Purpose, Skill

from .access import SORTS, DirectoryQuery

MEMBER_TYPES = [("alumni", _("Alumni")), ("employee", _("Employees"))]
SORT_CHOICES = [("reading", _("Name (あいうえお order)")), ("newest", _("Newest members")),
                ("left", _("Year left (recent first)"))]
ANY = pgettext_lazy("filter", "Any")
YEAR_FIELD = {"min_value": 1900, "max_value": 2100, "required": False}


def year_input(example):
    return forms.NumberInput(attrs={"placeholder": example, "inputmode": "numeric"})


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False, widget=forms.TextInput(attrs={
        "type": "search", "placeholder": _("Name, reading, company, skill…"), "autocomplete": "off"}))
    member_type = forms.ChoiceField(label=_("Member type"), required=False,
                                    choices=[("", pgettext_lazy("member type", "Everyone"))] + MEMBER_TYPES)
    joined_from = forms.IntegerField(label=_("Joined from (year)"), **YEAR_FIELD, widget=year_input("2005"))
    joined_to = forms.IntegerField(label=_("Joined until (year)"), **YEAR_FIELD, widget=year_input("2015"))
    left_from = forms.IntegerField(label=_("Left from (year)"), **YEAR_FIELD, widget=year_input("2015"))
    left_to = forms.IntegerField(label=_("Left until (year)"), **YEAR_FIELD, widget=year_input("2024"))
    department = DepartmentChoiceField(label=_("Department"), queryset=Department.objects.all(), required=False,
                                       empty_label=ANY, widget=RememberedSelect)
    company = forms.ModelChoiceField(label=_("Group company"), queryset=GroupCompany.objects.all(), required=False,
                                     empty_label=ANY, widget=RememberedSelect)
    industry = forms.ChoiceField(label=_("Industry"), choices=[("", ANY)] + INDUSTRIES, required=False,
                                 widget=RememberedSelect)
    # Prefectures, then countries; the options are only built when the page renders (the API needs none).
    location = forms.CharField(label=_("Location"), max_length=10, required=False, widget=RememberedSelect(
        choices=CallableChoiceIterator(lambda: [("", ANY)] + location_choices())))
    purposes = forms.MultipleChoiceField(label=_("Purposes"), choices=Purpose.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    skills = forms.CharField(label=_("Skills"), max_length=300, required=False,
                             help_text=_("Separate several skills with commas."),
                             widget=forms.TextInput(attrs={"placeholder": "Python, 英語"}))
    sort = forms.ChoiceField(label=_("Order"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Departments as an indented tree, read when the options are rendered, not when a search is validated.
        department = self.fields["department"]
        department.choices = functools.cache(lambda: [("", ANY)] + [
            (node.pk, department.label_from_instance(node)) for node in department_tree()])  # read once
        self.fields["location"].widget.attrs.pop("maxlength", None)  # a CharField's, meaningless on a <select>

    def clean_location(self):
        location = self.cleaned_data["location"].upper()
        if location and not is_location(location):
            raise forms.ValidationError(_("Please choose a prefecture or a country from the list."))
        return location

    def clean(self):
        data = super().clean()
        for low, high in (("joined_from", "joined_to"), ("left_from", "left_to")):
            if data.get(low) and data.get(high) and data[low] > data[high]:
                self.add_error(high, _("The end year must not be before the start year."))
        return data

    def query(self) -> DirectoryQuery:
        """The validated search (call after is_valid()). Unknown skills match nobody, as a search should."""
        data = self.cleaned_data
        skills = []
        if data.get("skills"):
            keys = [normalize(name) for name in split_skills(data["skills"])]
            found = dict(Skill.objects.filter(key__in=keys).values_list("key", "pk"))
            skills = [found.get(key, 0) for key in keys]
        return DirectoryQuery(
            q=data.get("q") or "", member_type=data.get("member_type") or "",
            joined_from=data.get("joined_from"), joined_to=data.get("joined_to"),
            left_from=data.get("left_from"), left_to=data.get("left_to"),
            department=data["department"].pk if data.get("department") else None,
            company=data["company"].pk if data.get("company") else None,
            industry=data.get("industry") or "", location=data.get("location") or "",
            purposes=data.get("purposes") or [], skills=skills,
            sort=data.get("sort") if data.get("sort") in SORTS else "reading",
        )
