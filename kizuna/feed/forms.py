from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.core.images import clean_picture
from kizuna.events.forms import LocalDateTimeInput
from kizuna.groups.models import Group

from .access import viewer_of
from .models import Audience, Category, Kind

MARKDOWN_HELP = _("Markdown works: **bold**, lists, links. Type @ and a name to mention someone.")


def _audience_choices(user, official):
    sides = viewer_of(user).audiences
    return [(value, label) for value, label in Audience.choices
            if value == Audience.GROUP or value in sides or official]


class _ImageMixin:
    def clean_image(self):
        upload = self.cleaned_data.get("image")
        return clean_picture(upload, "feed") if upload else None


class PostForm(_ImageMixin, forms.Form):
    body = forms.CharField(label=_("Post"), max_length=20000, required=False, help_text=MARKDOWN_HELP,
                           widget=forms.Textarea(attrs={"rows": 4, "data-mentions": "true"}))
    image = forms.ImageField(label=_("Image"), required=False,
                             help_text=_("PNG, JPEG, GIF or WebP, up to 5 MB."))
    audience = forms.ChoiceField(label=_("Who can see it"), initial=Audience.NETWORK)
    group = forms.ModelChoiceField(label=_("Group"), queryset=Group.objects.none(), required=False,
                                   empty_label=_("Choose a group"))

    def __init__(self, *args, user, official=False, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = _audience_choices(user, official)
        self.fields["group"].queryset = Group.objects.filter(pk__in=viewer_of(user).group_ids).order_by("name")
        if not self.fields["group"].queryset.exists():
            self.fields["audience"].choices = [c for c in self.fields["audience"].choices if c[0] != Audience.GROUP]
        if editing:  # who can see a post does not change after it is published
            del self.fields["audience"], self.fields["group"]


class OfficialForm(PostForm):
    kind = forms.ChoiceField(label=_("Type"), choices=[(Kind.ANNOUNCEMENT, _("Announcement")),
                                                       (Kind.STORY, _("Story (long-form, with a cover image)"))],
                             widget=forms.RadioSelect, initial=Kind.ANNOUNCEMENT)
    title = forms.CharField(label=pgettext_lazy("heading", "Title"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *Category.choices], required=False,
                                 help_text=_("Leadership messages carry the “Leadership message” badge."))
    pinned = forms.BooleanField(label=_("Pin to the top of “For you”"), required=False)
    publish_at = forms.DateTimeField(label=_("Publish at"), required=False, widget=LocalDateTimeInput(),
                                     help_text=_("Leave empty to publish now. Members are notified when it is "
                                                 "published."))
    field_order = ["kind", "title", "category", "body", "image", "audience", "group", "pinned", "publish_at"]

    def __init__(self, *args, user, editing=False, **kwargs):
        super().__init__(*args, user=user, official=True, editing=editing, **kwargs)
        self.fields["body"].label = pgettext_lazy("post", "Text")
        self.fields["image"].label = _("Image (the cover of a story)")

    def clean_publish_at(self):
        when = self.cleaned_data.get("publish_at")
        if when and when < timezone.now() - timezone.timedelta(minutes=5) and not self.initial.get("publish_at"):
            raise forms.ValidationError(_("Choose a time in the future, or leave it empty to publish now."))
        return when


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Reply"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2, "data-mentions": "true"}))


class FeedSettingsForm(forms.Form):
    share_moves = forms.BooleanField(
        label=_("Tell the network when my company or title changes"), required=False,
        help_text=_("Only people who may see your current company or title on your profile see it."))
    keep_posts = forms.BooleanField(
        label=_("If I withdraw, keep my posts and replies, shown as from a withdrawn member"), required=False,
        help_text=_("Unticked, they are deleted when you withdraw."))
