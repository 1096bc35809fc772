from django import forms

from .categories import CATEGORIES
from .models import Mode


class PreferencesForm(forms.Form):
    """One choice per registered category."""

    def __init__(self, *args, modes, **kwargs):
        super().__init__(*args, **kwargs)
        for key, category in CATEGORIES.items():
            self.fields[key] = forms.ChoiceField(label=category.label, choices=Mode.choices, initial=modes[key],
                                                 widget=forms.RadioSelect, required=False)
