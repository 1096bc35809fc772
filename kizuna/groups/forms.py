from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.core.models import Department

from .models import Group, Membership


class GroupFilterForm(forms.Form):
    q = forms.CharField(label=_("Search groups by name"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Group.Kind.choices])


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Group name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Group.Kind.choices, widget=forms.RadioSelect,
                             initial=Group.Kind.INTEREST)
    privacy = forms.ChoiceField(label=_("Who may join"), choices=Group.Privacy.choices, widget=forms.RadioSelect,
                                initial=Group.Privacy.OPEN)
    description = forms.CharField(label=_("About the group"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text=_("Markdown: **bold**, lists with -, links."))
    slug = forms.SlugField(label=_("Page address"), required=False, max_length=60,
                           help_text=_("Letters, digits and hyphens, e.g. kansai. Left empty, one is made up. "
                                       "Secret groups always get a random address."))
    department = forms.ModelChoiceField(label=_("Department"), required=False, queryset=Department.objects.all(),
                                        help_text=_("Department groups only. Sub-departments belong to it too."))
    auto_fill = forms.BooleanField(label=_("Add every member whose last department is this one, now and later"),
                                   required=False)

    def __init__(self, *args, user, group, **kwargs):
        initial = {name: getattr(group, name) for name in ("name", "kind", "privacy", "description", "slug",
                                                           "department", "auto_fill")} if group.pk else {}
        super().__init__(*args, initial=initial, **kwargs)
        self.kept = {"department": None, "auto_fill": False}
        if not user.is_admin:
            # Only HR makes department groups; members never see the department fields. A group admin
            # editing a department group keeps its kind, department and filling as HR set them.
            if group.kind == Group.Kind.DEPARTMENT:
                self.fields["kind"].choices = [(group.kind, group.get_kind_display())]
                self.fields["kind"].disabled = True
                self.kept = {"department": group.department, "auto_fill": group.auto_fill}
            else:
                self.fields["kind"].choices = [c for c in Group.Kind.choices if c[0] != Group.Kind.DEPARTMENT]
            del self.fields["department"], self.fields["auto_fill"]

    def values(self):
        return {**self.kept, **self.cleaned_data}


class JoinForm(forms.Form):
    message = forms.CharField(label=_("Message to the group admins (optional)"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class InviteSearchForm(forms.Form):
    q = forms.CharField(label=_("Find a member to invite"), required=False, max_length=100)


class PolicyForm(forms.Form):
    members_may_create = forms.BooleanField(
        label=_("Members may create regional and interest groups"), required=False,
        help_text=_("When off, only HR creates groups. Department groups are always created by HR."))
