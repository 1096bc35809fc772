from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .actions import MAX_TEXT, MAX_TITLE
from .attachments import clean_attachment
from .models import ChatSettings


class MessageForm(forms.Form):
    text = forms.CharField(label=pgettext_lazy("chat", "Message"), required=False, max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 2}))
    attachment = forms.FileField(label=_("Attach an image or PDF"), required=False)
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        return clean_attachment(upload) if upload else None

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("attachment") and not self.errors:
            raise ValidationError(_("Please write a message or attach a file."))
        return data


class EditForm(forms.Form):
    text = forms.CharField(label=pgettext_lazy("chat", "Message"), max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 4}))


class NewConversationForm(forms.Form):
    title = forms.CharField(
        label=_("Name of the conversation (optional)"), required=False, max_length=MAX_TITLE,
        help_text=_("Give a group conversation a name everyone recognises, e.g. “2015年入社 同期会”."))


class TitleForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("conversation name", "Name"), required=False, max_length=MAX_TITLE)


class SettingsForm(forms.Form):
    starters = forms.ChoiceField(
        label=_("Who may start a conversation with you"), choices=ChatSettings.Starters.choices,
        widget=forms.RadioSelect,
        help_text=_("Conversations you already have continue. Blocked members can never write to you."))
