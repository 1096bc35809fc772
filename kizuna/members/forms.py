from django import forms
from django.utils.translation import gettext_lazy as _


class EmployeeSignupForm(forms.Form):
    """Extra fields of allauth's sign-up form (the employee path)."""

    name = forms.CharField(label=_("Name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    name_kana = forms.CharField(label=_("Reading (kana)"), max_length=150,
                                help_text=_("e.g. やまだ たろう"))


    def signup(self, request, user):
        """Required by allauth; the names are saved by the adapter through actions."""
