from django import forms

from .categories import CATEGORIES
from .models import Mode


class PreferencesForm(forms.Form):
    """One choice per registered category (a category left out of the form keeps its setting)."""

    def __init__(self, *args, modes, **kwargs):
        super().__init__(*args, **kwargs)
        for key, category in CATEGORIES.items():
            labels = dict(Mode.choices)
            self.fields[key] = forms.ChoiceField(label=category.label, initial=modes[key], required=False,
                                                 choices=[(mode, labels[mode]) for mode in category.modes],
                                                 widget=forms.RadioSelect)
