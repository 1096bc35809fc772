from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kizuna.core.models import Department
from kizuna.members.models import State, User

from .cv import clean_cv
from .models import Can, Kind, Posting, Referral, Stage, Want


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PostingFilterForm(forms.Form):
    q = forms.CharField(label=_("Keyword"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Kind.choices])


class PostingForm(forms.ModelForm):
    skills = forms.CharField(label=_("Skills"), required=False, max_length=500,
                             help_text=_("Separated by commas. Members with these skills are told about the posting."))

    class Meta:
        model = Posting
        fields = ["title", "kind", "department", "location", "workplace", "description", "requirements",
                  "changes_since", "skills", "contact", "status", "closes_on", "audience"]
        widgets = {"closes_on": DateInput, "description": forms.Textarea(attrs={"rows": 8}),
                   "requirements": forms.Textarea(attrs={"rows": 4}),
                   "changes_since": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "description": _("Markdown may be used."),
            "changes_since": _("What is different now from when people left: the team, the ways of working, "
                               "the pay system… Alumni look for this first."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.all()
        # HR, or someone who offers casual talks (a hiring manager): a short list even in a large network.
        self.fields["contact"].queryset = User.objects.filter(
            Q(role="admin") | Q(talk_host__active=True), state=State.ACTIVE).order_by("kana_key", "pk")
        # The model's skills are tags; the form edits them as one comma-separated text.
        self.initial["skills"] = ", ".join(s.name for s in self.instance.skills.all()) if self.instance.pk else ""

    def skill_names(self):
        return [s.strip() for s in self.cleaned_data["skills"].replace("、", ",").split(",") if s.strip()]

    def values(self):
        return {key: value for key, value in self.cleaned_data.items() if key != "skills"}


class ApplyForm(forms.Form):
    message = forms.CharField(label=_("Message to HR"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 5}))
    cv = forms.FileField(label=_("CV (PDF, optional)"), required=False,
                         widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
                         help_text=_("PDF only, at most 10 MB. Only you and HR can open it."))

    def clean_cv(self):
        upload = self.cleaned_data.get("cv")
        return clean_cv(upload) if upload else None


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    hired_on = forms.DateField(label=_("Start date (when hired)"), required=False, widget=DateInput)
    department = forms.ModelChoiceField(label=_("Department (when hired)"), required=False,
                                        queryset=Department.objects.all())
    note = forms.CharField(label=_("Note (HR only)"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Private note (HR only)"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class TalkRequestForm(forms.Form):
    topic = forms.CharField(label=_("What would you like to talk about?"), max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 4}))
    time1 = forms.DateTimeField(label=_("Proposed date and time 1"), widget=DateTimeInput)
    time2 = forms.DateTimeField(label=_("Proposed date and time 2"), required=False, widget=DateTimeInput)
    time3 = forms.DateTimeField(label=_("Proposed date and time 3"), required=False, widget=DateTimeInput)

    def times(self):
        return [self.cleaned_data.get(f"time{i}") for i in (1, 2, 3)]


class TalkAnswerForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your answer"), widget=forms.RadioSelect)
    other = forms.DateTimeField(label=_("Another date and time"), required=False, widget=DateTimeInput)
    place = forms.CharField(label=_("Place or video link"), required=False, max_length=300)
    message = forms.CharField(label=_("Message to the member"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, times, **kwargs):
        super().__init__(*args, **kwargs)
        self.times = times
        self.fields["choice"].choices = [*((str(i), label) for i, (_when, label) in enumerate(times)),
                                         ("other", _("Propose another time")), ("decline", _("Decline"))]

    def clean(self):
        data = super().clean()
        choice = data.get("choice")
        data["decline"] = choice == "decline"
        if choice == "other":
            if not data.get("other"):
                raise ValidationError({"other": _("Enter the time you propose.")})
            data["when"] = data["other"]
        elif choice and choice.isdigit():
            data["when"] = self.times[int(choice)][0]
        else:
            data["when"] = None
        return data


class HostForm(forms.Form):
    intro = forms.CharField(label=_("What you can talk about"), required=False, max_length=1000,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("e.g. your team, how the company has changed, career paths."))
    active = forms.BooleanField(label=_("I offer casual talks"), required=False)


class ReferralForm(forms.Form):
    name = forms.CharField(label=_("Their name"), max_length=150)
    email = forms.EmailField(label=_("Their email address"))
    relation = forms.CharField(label=_("How you know them"), max_length=200,
                               help_text=_("e.g. a former colleague at my current company"))
    note = forms.CharField(label=_("Note for HR"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    agreed = forms.BooleanField(label=_("This person agreed that I introduce them and give HR their contact details."))


class ReferralMoveForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Referral.Status.choices)


class IntentionForm(forms.Form):
    want = forms.ChoiceField(label=_("Do you want to return?"), choices=Want.choices,
                             widget=forms.RadioSelect)
    can = forms.ChoiceField(label=_("Could you return?"), choices=Can.choices, widget=forms.RadioSelect)


class JobSettingsForm(forms.Form):
    ask_again_months = forms.IntegerField(label=_("Ask members again after (months)"), min_value=1, max_value=60)
