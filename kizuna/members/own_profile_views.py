"""The member's own profile: the form (/account/profile/), "still current", and the members they blocked."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import access, actions
from .access import member_required
from .models import Profile
from .profile_forms import ProfileForm, career_formset, career_rows
from .profiles import custom_fields, visibility_rules


@member_required
def profile_edit(request):
    member = request.user
    profile = Profile.objects.filter(user=member).prefetch_related("skills").first() or Profile(user=member)
    fields = custom_fields()
    posted = request.method == "POST"
    form = ProfileForm(request.POST if posted else None, request.FILES if posted else None, member=member,
                       profile=profile, rules=visibility_rules(fields), custom_fields=fields,
                       custom_values={v.field_id: v.value for v in member.custom_values.all()})
    formset = career_formset(request.POST if posted else None, member=member)
    if posted and all([form.is_valid(), formset.is_valid()]):
        rows, row_forms = career_rows(formset)
        try:
            actions.do_save_own_profile(member, form.changes(), visibility=form.visibility(), career=rows,
                                        photo=form.photo_change(), hidden=form.cleaned_data["hidden"])
        except ValidationError as error:
            _show_errors(error.message_dict, form, row_forms)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("member_profile", pk=member.pk)
    return render(request, "members/profile_edit.html", {
        "form": form, "formset": formset, "profile": profile,
        "has_errors": bool(form.errors or any(formset.errors) or formset.non_form_errors()),
    })


def _show_errors(errors, form, row_forms):
    """Career messages ("career.3") go on their row, the rest on the profile form's fields."""
    for key in list(errors):
        number = key.removeprefix("career.")
        if number.isdigit() and int(number) <= len(row_forms):
            for message in errors.pop(key):
                row_forms[int(number) - 1].add_error(None, message)
    form.add_action_errors(errors)


@member_required
@require_POST
def profile_confirm(request):
    """"Yes, still current": the reminder goes away for another period."""
    actions.do_confirm_profile(request.user)
    messages.success(request, _("Thank you. Your profile is marked as current."))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = reverse("home")
    return redirect(next_url)


@member_required
def block_list(request):
    return render(request, "members/block_list.html", {"blocks": list(access.blocks_made(request.user))})
