from django import forms
from django.utils.translation import gettext_lazy as _

from . import registry
from .models import Item, Reason


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why are you reporting this?"), choices=Reason.choices,
                               widget=forms.RadioSelect)
    note = forms.CharField(label=_("Details for the moderators (optional)"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Only moderators read this. The member you report is never told who reported."))


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, choices=[
        ("open", _("Waiting")), *Item.State.choices, ("all", _("All"))])
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *((r.kind, r.label) for r in registry.kinds())]


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason (sent to the member concerned)"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Say which guideline was broken. The member is never told who reported."))

    def __init__(self, *args, outcomes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(o, OUTCOME_ACTIONS[o]) for o in outcomes]


OUTCOME_ACTIONS = {
    Item.Outcome.HIDDEN: _("Hide it"),
    Item.Outcome.REMOVED: _("Remove it"),
    Item.Outcome.WARNED: _("Warn the member"),
    Item.Outcome.SUSPENDED: _("Suspend the member's account"),
    Item.Outcome.DISMISSED: _("Dismiss: nothing against the guidelines"),
    Item.Outcome.APPROVED: _("Approve: publish it"),
}


class WordForm(forms.Form):
    word = forms.CharField(label=_("Word or phrase"), max_length=100)
