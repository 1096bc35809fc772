from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100,
        help_text=_("What will use the token, e.g. “HR system import”."),
    )
