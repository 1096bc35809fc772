"""Admin settings pages (/manage/settings/…): network, registration, eligibility, companies, departments."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kizuna.members import actions as member_actions
from kizuna.members.access import admin_required
from kizuna.members.models import LeaverRecord

from . import actions
from .access import department_tree
from .forms import (
    CompanyForm,
    DepartmentForm,
    EligibilitySettingsForm,
    GeneralSettingsForm,
    RegistrationSettingsForm,
)
from .models import Department, GroupCompany, NetworkSettings


def _saved(request):
    messages.success(request, _("The settings have been saved."))


@admin_required
def settings_general(request):
    network = NetworkSettings.load()
    form = GeneralSettingsForm(request.POST or None, request.FILES or None, initial={
        "name": network.name, "invitation_valid_days": network.invitation_valid_days,
        "guidelines": network.guidelines, "privacy_notice": network.privacy_notice,
    })
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            actions.do_update_network_settings(request.user, form.settings_changes(), request=request)
            if form.cleaned_data["logo"]:
                actions.do_set_logo(request.user, form.cleaned_data["logo"], request=request)
            elif form.cleaned_data["remove_logo"]:
                actions.do_set_logo(request.user, None, request=request)
        _saved(request)
        return redirect("settings_general")
    return render(request, "core/settings_general.html", {"form": form, "tab": "general"})


@admin_required
def settings_registration(request):
    network = NetworkSettings.load()
    form = RegistrationSettingsForm(request.POST or None, initial={
        "registration_mode": network.registration_mode, "employee_domains": "\n".join(network.employee_domains),
    })
    if request.method == "POST" and form.is_valid():
        actions.do_update_network_settings(request.user, form.cleaned_data, request=request)
        _saved(request)
        return redirect("settings_registration")
    return render(request, "core/settings_registration.html", {"form": form, "tab": "registration"})


@admin_required
def settings_eligibility(request):
    network = NetworkSettings.load()
    form = EligibilitySettingsForm(request.POST or None, initial={
        "min_tenure_months": network.min_tenure_months, "allowed_leave_types": network.allowed_leave_types,
    })
    if request.method == "POST" and form.is_valid():
        current = member_actions.do_update_eligibility_rules(request.user, **form.cleaned_data, request=request)
        if current:
            messages.success(request, _("The rules have been saved: %(eligible)s of %(total)s HR records are "
                                        "eligible now.") % {
                "eligible": LeaverRecord.objects.filter(eligible=True).count(),
                "total": LeaverRecord.objects.count(),
            })
        else:
            messages.success(request, _("The rules have been saved. The HR records are being checked again in "
                                        "the background; the figures below update when it is done."))
        return redirect("settings_eligibility")
    counts = LeaverRecord.objects.aggregate(
        total=Count("pk"), eligible=Count("pk", filter=Q(eligible=True)),
        excluded=Count("pk", filter=Q(excluded=True)), opted_out=Count("pk", filter=Q(opted_out=True)),
    )
    return render(request, "core/settings_eligibility.html", {"form": form, "tab": "eligibility", **counts})


# --- Group companies -------------------------------------------------------------------------------

@admin_required
def company_list(request):
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company = actions.do_save_company(request.user, GroupCompany(), **form.cleaned_data, request=request)
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, _("“%(name)s” has been added.") % {"name": company.name})
            return redirect("company_list")
    companies = GroupCompany.objects.annotate(members=Count("user"))
    return render(request, "core/company_list.html", {"form": form, "companies": companies, "tab": "companies"})


@admin_required
def company_edit(request, pk):
    company = get_object_or_404(GroupCompany, pk=pk)
    form = CompanyForm(request.POST or None, initial={"name": company.name, "name_kana": company.name_kana})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_company(request.user, company, **form.cleaned_data, request=request)
        except ValidationError as error:
            form.add_error("name", error)
        else:
            _saved(request)
            return redirect("company_list")
    return render(request, "core/company_edit.html", {"form": form, "company": company, "tab": "companies"})


@admin_required
def company_delete(request, pk):
    company = get_object_or_404(GroupCompany, pk=pk)
    if request.method == "POST":
        actions.do_delete_company(request.user, company, request=request)
        messages.success(request, _("“%(name)s” has been deleted.") % {"name": company.name})
        return redirect("company_list")
    return render(request, "core/company_delete.html", {
        "company": company, "members": company.user_set.count(), "tab": "companies",
    })


# --- Department tree ---------------------------------------------------------------------------------

@admin_required
def department_list(request):
    nodes = department_tree(Department.objects.annotate(members=Count("user")))
    return render(request, "core/department_list.html", {"nodes": nodes, "tab": "departments"})


def _department_form(request, department):
    """Shared by "add" and "edit": the same form and action; only the starting values differ."""
    initial = {"name": department.name, "parent": department.parent_id or request.GET.get("parent")}
    form = DepartmentForm(request.POST or None, initial=initial, moving=department)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_department(request.user, department, **form.cleaned_data, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _saved(request)
            return redirect("department_list")
    return render(request, "core/department_form.html", {
        "form": form, "department": department, "tab": "departments",
    })


@admin_required
def department_new(request):
    return _department_form(request, Department())


@admin_required
def department_edit(request, pk):
    return _department_form(request, get_object_or_404(Department, pk=pk))


@admin_required
def department_delete(request, pk):
    department = get_object_or_404(Department, pk=pk)
    if request.method == "POST":
        try:
            actions.do_delete_department(request.user, department, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("“%(name)s” has been deleted.") % {"name": department.path})
        return redirect("department_list")
    return render(request, "core/department_delete.html", {
        "department": department, "members": department.user_set.count(),
        "children": department.children.count(), "tab": "departments",
    })
