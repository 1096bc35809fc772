import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kizuna.core.images import clean_picture

from . import actions
from .models import DEFAULT_TIME_ZONE, Event

TIME_ZONES = ["Asia/Tokyo", "Asia/Seoul", "Asia/Shanghai", "Asia/Singapore", "Asia/Bangkok", "Asia/Kolkata",
              "Europe/London", "Europe/Paris", "Europe/Berlin", "America/New_York", "America/Chicago",
              "America/Los_Angeles", "Australia/Sydney", "UTC"]
LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format=LOCAL_INPUT)


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input: cleaned to a list (empty when none was chosen)."""

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class EventForm(forms.Form):
    title = forms.CharField(label=_("Event name"), max_length=200)
    format = forms.ChoiceField(label=_("Format"), choices=Event.Format.choices, widget=forms.RadioSelect,
                               initial=Event.Format.ONSITE)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=[(z, z) for z in TIME_ZONES],
                                  initial=DEFAULT_TIME_ZONE,
                                  help_text=_("Start, end and deadline are in this time zone."))
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=LocalDateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=LocalDateTimeInput())
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False,
                            help_text=_("Name and address of the place."))
    map_url = forms.URLField(label=_("Map link"), max_length=500, required=False, assume_scheme="https")
    online_url = forms.URLField(label=_("Online meeting URL"), max_length=500, required=False, assume_scheme="https",
                                help_text=_("Shown only to people with a confirmed seat."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
                                  help_text=_("Markdown: **bold**, lists with -, links."))
    cover = forms.FileField(label=_("Cover image"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))
    capacity = forms.IntegerField(label=_("Capacity"), required=False, min_value=1,
                                  help_text=_("Seats, companions included. Empty for no limit."))
    max_companions = forms.IntegerField(label=_("Companions per registration"), min_value=0,
                                        max_value=actions.MAX_COMPANIONS, initial=0)
    deadline = forms.DateTimeField(label=_("Registration deadline"), required=False, widget=LocalDateTimeInput(),
                                   help_text=_("Empty: registration is open until the event starts."))
    fee_note = forms.CharField(label=_("Fee"), max_length=200, required=False,
                               help_text=_("For information only, e.g. “会費 3,000円（当日現金）”. "
                                           "Kizuna takes no payments."))
    questions = forms.CharField(label=_("Questions for registrants"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}),
                                help_text=_("One question per line, e.g. dietary restrictions. Answers are optional."))
    audience = forms.ChoiceField(label=_("Who may see and join"), choices=Event.Audience.choices,
                                 widget=forms.RadioSelect, initial=Event.Audience.EVERYONE)
    invitees = forms.CharField(label=_("Invited members"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("Email addresses of the members you invite, one per line."))
    hosts = forms.CharField(label=_("Hosts"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("Email addresses, one per line. Hosts edit the event, see who registered, "
                                        "check people in and write the report."))
    attendees_visible = forms.BooleanField(label=_("Attendees may see who else is coming"), required=False)

    def __init__(self, *args, event=None, **kwargs):
        self.event = event
        if event is not None and event.pk and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(event)
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_for(event):
        zone = zoneinfo.ZoneInfo(event.time_zone)
        initial = {name: getattr(event, name) for name in actions.EVENT_FIELDS}
        for name in ("starts_at", "ends_at", "deadline"):
            if initial[name] is not None:
                initial[name] = initial[name].astimezone(zone).replace(tzinfo=None)
        initial["questions"] = "\n".join(event.questions)
        initial["hosts"] = "\n".join(event.hosts.values_list("email", flat=True))
        initial["invitees"] = "\n".join(event.invitees.values_list("email", flat=True))
        return initial

    def clean_questions(self):
        return [line.strip() for line in self.cleaned_data["questions"].splitlines() if line.strip()]

    def clean_hosts(self):
        return actions.members_by_email(self.cleaned_data["hosts"])

    def clean_invitees(self):
        return actions.members_by_email(self.cleaned_data["invitees"])

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if cover is False:
            return False  # "clear" ticked
        return clean_picture(cover, "event") if cover else None

    def clean(self):
        data = super().clean()
        # The browser sends wall-clock times; they are in the event's zone, not the viewer's.
        zone = zoneinfo.ZoneInfo(data.get("time_zone") or DEFAULT_TIME_ZONE)
        for name in ("starts_at", "ends_at", "deadline"):
            if data.get(name) is not None:
                data[name] = timezone.make_naive(data[name]).replace(tzinfo=zone)
        if data.get("max_companions") is None:
            data["max_companions"] = 0
        if not self.errors:
            values = self.values()
            try:
                actions.check_event(values, hosts=data.get("hosts", []), invitees=data.get("invitees", []))
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        return data

    def values(self):
        return {name: self.cleaned_data.get(name) for name in actions.EVENT_FIELDS}


class RsvpForm(forms.Form):
    companions = forms.TypedChoiceField(label=_("Companions"), coerce=int, initial=0,
                                        help_text=_("People coming with you; each takes a seat."))

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        if event.max_companions:
            self.fields["companions"].choices = [(n, str(n)) for n in range(event.max_companions + 1)]
        else:
            del self.fields["companions"]
        for index, question in enumerate(event.questions):
            self.fields[f"q{index}"] = forms.CharField(label=question, required=False,
                                                       max_length=actions.MAX_ANSWER_LENGTH)

    def answers(self):
        return {q: self.cleaned_data.get(f"q{i}", "") for i, q in enumerate(self.event.questions)}


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("How was the event?"), coerce=int, widget=forms.RadioSelect,
                                    choices=[(n, str(n)) for n in range(5, 0, -1)],
                                    help_text=_("5 is the best."))
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(forms.Form):
    text = forms.CharField(label=_("Report"), required=False, widget=forms.Textarea(attrs={"rows": 10}),
                           help_text=_("Markdown: how it went, who spoke, what comes next."))
    photos = MultipleFileField(label=_("Add photos"), required=False,
                             widget=MultipleImageInput(attrs={"accept": "image/*"}))

    def clean_photos(self):
        uploads = self.cleaned_data["photos"]
        if len(uploads) > actions.MAX_PHOTOS:
            raise ValidationError(_("At most %(n)s photos per report.") % {"n": actions.MAX_PHOTOS})
        return [clean_picture(upload, "event") for upload in uploads]


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Check-in code"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false"}))


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
