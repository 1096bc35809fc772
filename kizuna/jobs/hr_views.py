"""HR's pages (/manage/jobs/): postings, the application pipeline (board and list) with private notes and
history, rehires, casual talks, referrals and return intention."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuna.core.actions import audit, list_filters
from kizuna.core.paging import paginate
from kizuna.members.access import admin_required

from . import access, actions
from .forms import JobSettingsForm, MoveForm, NoteForm, PostingForm, ReferralMoveForm
from .models import Can, CasualTalk, Posting, Referral, ReturnIntention, Stage, Want
from .views import _form_errors


@admin_required
def postings(request):
    found = Posting.objects.select_related("department").order_by("-created_at", "-pk")
    page, query = paginate(request, found)
    return render(request, "jobs/hr/postings.html", {"page": page, "query": query})


@admin_required
def posting_edit(request, pk=None):
    posting = get_object_or_404(Posting, pk=pk) if pk else Posting(contact=request.user)
    form = PostingForm(request.POST or None, instance=posting)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_posting(request.user, posting, form.values(), skills=form.skill_names(), request=request)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The posting has been saved."))
            return redirect("hr_postings")
    return render(request, "jobs/hr/posting_form.html", {"form": form, "posting": posting})


def _pipeline_filters(request):
    posting = request.GET.get("posting", "")
    stage = request.GET.get("stage", "")
    return (int(posting) if posting.isdigit() else None), (stage if stage in Stage.values else None)


@admin_required
def pipeline(request):
    """The board (a column per stage) or, with ?view=list, the list; both filter by posting."""
    posting, stage = _pipeline_filters(request)
    as_list = request.GET.get("view") == "list"
    applications = access.pipeline(posting=posting, stage=stage if as_list else None)
    context = {"postings": Posting.objects.order_by("-created_at"), "posting": posting, "stage": stage,
               "stages": Stage.choices, "as_list": as_list}
    if as_list:
        context["page"], context["query"] = paginate(request, applications)
    else:
        by_stage = {value: [] for value in Stage.values}
        for application in applications:
            by_stage[application.stage].append(application)
        context["columns"] = [(value, label, by_stage[value]) for value, label in Stage.choices]
    audit(request.user, "jobs.view_pipeline", detail=list_filters({"posting": posting, "stage": stage}),
          request=request)
    return render(request, "jobs/hr/pipeline.html", context)


def _next_stage(stage):
    """The stage HR most likely moves an application to next (the form's default)."""
    order = Stage.values
    return order[min(order.index(stage) + 1, order.index(Stage.HIRED))]


def _application_page(request, application, *, move_form=None, note_form=None, status=200):
    return render(request, "jobs/hr/application.html", {
        "application": application, "events": application.events.select_related("actor"),
        "move_form": move_form or MoveForm(initial={"department": application.posting.department_id,
                                                    "stage": _next_stage(application.stage)}),
        "intention": ReturnIntention.objects.filter(user=application.applicant_id).first(),
        "note_form": note_form or NoteForm(), "hired": application.stage == Stage.HIRED,
        "rehire": getattr(application, "rehire", None)}, status=status)


@admin_required
def application_detail(request, pk):
    application = access.access_hr_application(pk)
    audit(request.user, "jobs.view_application", application, request=request)
    return _application_page(request, application)


@admin_required
@require_POST
def application_move(request, pk):
    application = access.access_hr_application(pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_move_application(request.user, application, data["stage"], note=data["note"],
                                        hired_on=data["hired_on"], department=data["department"], request=request)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Moved to “%(stage)s”.") % {"stage": application.get_stage_display()})
            return redirect("hr_application_detail", pk=application.pk)
    return _application_page(request, access.access_hr_application(pk), move_form=form, status=400)


@admin_required
@require_POST
def application_note(request, pk):
    application = access.access_hr_application(pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        actions.do_add_note(request.user, application, form.cleaned_data["note"], request=request)
        messages.success(request, _("The note has been added."))
        return redirect("hr_application_detail", pk=application.pk)
    return _application_page(request, application, note_form=form, status=400)


@admin_required
def rehires(request):
    page, query = paginate(request, access.rehires())
    return render(request, "jobs/hr/rehires.html", {"page": page, "query": query})


@admin_required
def talks(request):
    status = request.GET.get("status", "")
    status = status if status in CasualTalk.Status.values else None
    page, query = paginate(request, access.hr_talks(status))
    return render(request, "jobs/hr/talks.html", {"page": page, "query": query, "status": status,
                                                  "statuses": CasualTalk.Status.choices})


@admin_required
def referrals(request):
    status = request.GET.get("status", "")
    status = status if status in Referral.Status.values else None
    page, query = paginate(request, access.referrals(status))
    audit(request.user, "jobs.view_referrals", detail=list_filters({"status": status}), request=request)
    return render(request, "jobs/hr/referrals.html", {"page": page, "query": query, "status": status,
                                                      "statuses": Referral.Status.choices})


@admin_required
@require_POST
def referral_move(request, pk):
    referral = access.access_referral(pk)
    form = ReferralMoveForm(request.POST)
    if form.is_valid():
        actions.do_move_referral(request.user, referral, form.cleaned_data["status"], request=request)
        messages.success(request, _("The referral has been updated."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("hr_referrals")


@admin_required
@require_POST
def referral_erase(request, pk):
    actions.do_erase_referral(request.user, access.access_referral(pk), request=request)
    messages.success(request, _("The referred person's data has been erased."))
    return redirect("hr_referrals")


@admin_required
def intentions(request):
    """The quadrants (want × can) with counts, a filtered list, and how often members are asked."""
    from .models import JobSettings

    want = request.GET.get("want", "")
    can = request.GET.get("can", "")
    want = want if want in Want.values else None
    can = can if can in Can.values else None
    job_settings = JobSettings.load()
    form = JobSettingsForm(request.POST or None, initial={"ask_again_months": job_settings.ask_again_months})
    if request.method == "POST" and form.is_valid():
        actions.do_set_job_settings(request.user, **form.cleaned_data, request=request)
        messages.success(request, _("The setting has been saved."))
        return redirect("hr_intentions")
    counts = access.quadrants()
    grid = [(w, w_label, [(c, c_label, counts.get((w, c), 0)) for c, c_label in Can.choices])
            for w, w_label in Want.choices]
    page, query = paginate(request, access.intentions(want=want, can=can))
    audit(request.user, "jobs.view_intentions", detail=list_filters({"want": want, "can": can}), request=request)
    return render(request, "jobs/hr/intentions.html", {
        "grid": grid, "cans": Can.choices, "want": want, "can": can, "page": page, "query": query, "form": form,
        "want_label": dict(Want.choices).get(want), "can_label": dict(Can.choices).get(can)})
