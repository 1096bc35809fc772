"""HR's profile settings (/manage/settings/…): who may see which profile field, and the custom fields."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kizuna.core.models import NetworkSettings

from . import actions
from .access import admin_required
from .models import CustomField, Visibility
from .profile_forms import CustomFieldForm, VisibilityRulesForm
from .profiles import custom_fields, profile_fields, visibility_rules


@admin_required
def profile_rules(request):
    fields = custom_fields()
    form = VisibilityRulesForm(request.POST or None, fields=profile_fields(fields), rules=visibility_rules(fields),
                               confirm_months=NetworkSettings.load().profile_confirm_months)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_profile_rules(request.user, form.rules(),
                                            confirm_months=form.cleaned_data["confirm_months"], request=request)
        except ValidationError as error:
            form.add_action_errors(error.message_dict)
        else:
            messages.success(request, _("The profile rules have been saved. Profiles follow them at once."))
            return redirect("settings_profiles")
    return render(request, "members/settings_profiles.html", {
        "form": form, "tab": "profiles", "levels": Visibility.choices})


@admin_required
def custom_field_list(request):
    fields = CustomField.objects.annotate(answers=Count("values"))
    return render(request, "members/custom_field_list.html", {"fields": fields, "tab": "profile_fields"})


def _custom_field_form(request, field):
    """Shared by "add" and "edit": the same form and action; only the starting values differ."""
    form = CustomFieldForm(request.POST or None, initial={
        "label": field.label, "label_en": field.label_en, "kind": field.kind, "choices": "\n".join(field.choices),
        "default_visibility": field.default_visibility,
    })
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_save_custom_field(request.user, field, label=data["label"], label_en=data["label_en"],
                                         kind=data["kind"], choices=form.cleaned_choices(),
                                         default_visibility=data["default_visibility"], request=request)
        except ValidationError as error:
            form.add_action_errors(error.message_dict)
        else:
            messages.success(request, _("“%(label)s” has been saved.") % {"label": field.display_label})
            return redirect("custom_field_list")
    return render(request, "members/custom_field_form.html", {
        "form": form, "field": field, "tab": "profile_fields",
        "answers": field.values.count() if field.pk else 0,
    })


@admin_required
def custom_field_new(request):
    return _custom_field_form(request, CustomField(default_visibility="members"))


@admin_required
def custom_field_edit(request, pk):
    return _custom_field_form(request, get_object_or_404(CustomField, pk=pk))


@admin_required
def custom_field_delete(request, pk):
    field = get_object_or_404(CustomField, pk=pk)
    if request.method == "POST":
        actions.do_delete_custom_field(request.user, field, request=request)
        messages.success(request, _("“%(label)s” has been deleted.") % {"label": field.display_label})
        return redirect("custom_field_list")
    return render(request, "members/custom_field_delete.html", {
        "field": field, "answers": field.values.count(), "tab": "profile_fields",
    })
