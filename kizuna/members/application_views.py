"""Applications: the page where someone who was not invited applies and then follows their application,
and HR's queue where applications are approved or declined."""

from allauth.account import app_settings as allauth_settings
from allauth.account.internal.flows import signup as signup_flows
from allauth.account.utils import complete_signup
from allauth.core import ratelimit
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuna.core.actions import audit, list_filters
from kizuna.core.mail import outbox_in_use
from kizuna.core.models import NetworkSettings, RegistrationMode
from kizuna.core.paging import paginate

from . import actions, matching
from .access import admin_required, applications_with_email_state, signed_in_required
from .forms import ApplicationFilterForm, ApplicationForm, ApproveForm, RejectForm
from .languages import current_language
from .models import Application

# --- Applications (the applicant's side) -------------------------------------------------------

def apply(request):
    if request.user.is_authenticated:
        return redirect("application_status" if hasattr(request.user, "application") else "home")
    if NetworkSettings.load().registration_mode != RegistrationMode.APPLICATION:
        return render(request, "members/apply_closed.html")
    form = ApplicationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not ratelimit.consume(request, action="apply"):
            form.add_error(None, _("Too many applications were sent from your network. Please try again later."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                user = actions.do_apply(
                    email=data["email"], password=data["password1"], name=data["name"], name_kana=data["name_kana"],
                    language=current_language(), former_email=data["former_email"],
                    employee_number=data["employee_number"], joined_year=data["joined_year"],
                    left_year=data["left_year"], department=data["department"], message=data["message"],
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Thank you for applying. Please confirm your email address with the "
                                            "link we have just sent you; HR will then review your application."))
                if user is None:
                    # The address is taken: the same answer as for a new one (allauth's enumeration
                    # prevention), and its owner gets a note instead of a confirmation link.
                    return signup_flows.prevent_enumeration(request, email=data["email"].strip().lower())
                return complete_signup(request, user, allauth_settings.EMAIL_VERIFICATION,
                                       reverse("application_status"))
    return render(request, "members/apply.html", {"form": form}, status=status)


@signed_in_required
def application_status(request):
    application = Application.objects.filter(user=request.user).select_related("user").first()
    if application is None:
        return redirect("home")
    return render(request, "members/application_status.html", {"application": application})


# --- Applications (HR) -------------------------------------------------------------------------

@admin_required
def application_list(request):
    filters = ApplicationFilterForm(request.GET or None)
    applications = filters.filter(applications_with_email_state())
    page, query = paginate(request, applications)
    candidates = matching.candidates_for(page.object_list)
    rows = [{"application": a, "best": (candidates.get(a.pk) or [None])[0]} for a in page]
    audit(request.user, "applications.view_list", request=request,
          detail=list_filters(request.GET.dict(), page=page.number))
    return render(request, "members/application_list.html", {
        "filters": filters, "page": page, "rows": rows, "query": query,
    })


def _application_page(request, application, *, approve_form=None, reject_form=None, status=200):
    candidates = matching.candidates_for([application])[application.pk]
    confident = candidates and candidates[0].score >= matching.CONFIDENT
    return render(request, "members/application_detail.html", {
        "application": application, "candidates": candidates,
        "approve_form": approve_form or ApproveForm(initial={"record": candidates[0].record.pk if confident else None}),
        "reject_form": reject_form or RejectForm(),
    }, status=status)


def _get_application(pk):
    return get_object_or_404(applications_with_email_state(), pk=pk)


@admin_required
def application_detail(request, pk):
    application = _get_application(pk)
    audit(request.user, "application.view", application.user, request=request)
    return _application_page(request, application)


@admin_required
@require_POST
def application_approve(request, pk):
    application = _get_application(pk)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            actions.do_approve_application(request.user, application, record=form.cleaned_data["record"],
                                           message=form.cleaned_data["message"], request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s was approved and told by email.") % {"name": application.name})
            return redirect("application_list")
    return _application_page(request, application, approve_form=form, status=400)


@admin_required
@require_POST
def application_reject(request, pk):
    application = _get_application(pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            actions.do_reject_application(request.user, application, message=form.cleaned_data["message"],
                                          request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if outbox_in_use():
                # The last mail to a deleted applicant is never stored, so without SMTP it is not sent at all.
                messages.warning(request, _("The application of %(name)s was declined and their data was deleted. "
                                            "No SMTP server is configured, so no email was sent to the applicant.")
                                 % {"name": application.name})
            else:
                messages.success(request, _("The application of %(name)s was declined; they were told by email "
                                            "and their data was deleted.") % {"name": application.name})
            return redirect("application_list")
    return _application_page(request, application, reject_form=form, status=400)
