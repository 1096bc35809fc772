"""Members' pages: postings, applying, referring, casual talks, hosting talks, return intention."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuna.core.paging import paginate
from kizuna.core.text import normalize
from kizuna.members.access import member_required

from . import access, actions
from .forms import (
    ApplyForm,
    HostForm,
    IntentionForm,
    PostingFilterForm,
    ReferralForm,
    TalkAnswerForm,
    TalkRequestForm,
)
from .models import CasualTalk, ReturnIntention


def _form_errors(form, error):
    """Put an action's ValidationError on the form (by field where it names one)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@member_required
def job_list(request):
    form = PostingFilterForm(request.GET or None)
    postings = access.postings_visible_to(request.user)
    if form.is_valid():
        if form.cleaned_data["kind"]:
            postings = postings.filter(kind=form.cleaned_data["kind"])
        words = form.cleaned_data["q"].split()
        for word in words:
            postings = postings.filter(Q(title__icontains=word) | Q(description__icontains=word)
                                       | Q(location__icontains=word) | Q(department__path__icontains=word)
                                       | Q(skills__key__contains=normalize(word))).distinct()
    page, query = paginate(request, postings, per_page=20)
    applied = set(access.own_applications(request.user).values_list("posting_id", flat=True))
    return render(request, "jobs/job_list.html", {"form": form, "page": page, "query": query, "applied": applied})


@member_required
def job_detail(request, pk):
    posting = access.access_posting(request.user, pk)
    application = access.own_applications(request.user).filter(posting=posting).first()
    return render(request, "jobs/job_detail.html", {
        "posting": posting, "application": application, "form": ApplyForm(),
        "skills": posting.skills.all()})


@member_required
@require_POST
def job_apply(request, pk):
    posting = access.access_posting(request.user, pk)
    form = ApplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.do_apply_to_job(request.user, posting, message=form.cleaned_data["message"],
                                    cv=form.cleaned_data["cv"], request=request)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your application has been sent. You can follow its status here."))
            return redirect("my_jobs")
    application = access.own_applications(request.user).filter(posting=posting).first()
    return render(request, "jobs/job_detail.html", {"posting": posting, "application": application, "form": form,
                                                    "skills": posting.skills.all()}, status=400)


@member_required
def job_refer(request, pk):
    posting = access.access_posting(request.user, pk)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_refer(request.user, posting, **form.cleaned_data, request=request)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Thank you for the introduction. HR will contact them."))
            return redirect("job_detail", pk=posting.pk)
    return render(request, "jobs/refer.html", {"posting": posting, "form": form})


@member_required
def my_jobs(request):
    user = request.user
    intention = ReturnIntention.objects.filter(user=user).first()
    form = IntentionForm(initial={"want": intention.want, "can": intention.can} if intention else None)
    return render(request, "jobs/mine.html", {
        "applications": access.own_applications(user),
        "talks": access.talks_visible_to(user).filter(member=user),
        "referrals": user.referrals.select_related("posting"),
        "intention": intention, "intention_form": form,
        "asks_intention": access.is_alumni_side(user) and not user.is_admin,
    })


@member_required
@require_POST
def intention(request):
    form = IntentionForm(request.POST)
    if form.is_valid():
        actions.do_state_intention(request.user, **form.cleaned_data, request=request)
        messages.success(request, _("Thank you. Only HR sees your answer."))
    else:
        messages.error(request, _("Answer both questions."))
    return redirect("home" if request.POST.get("next") == "home" else "my_jobs")


@member_required
@require_POST
def application_withdraw(request, pk):
    application = access.access_own_application(request.user, pk)
    try:
        actions.do_withdraw_application(request.user, application, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You have withdrawn your application."))
    return redirect("my_jobs")


@member_required
def application_cv(request, pk):
    """The CV: for its applicant and HR only; never cached, always downloaded (not rendered inline)."""
    application = access.access_cv(request.user, pk)
    try:
        response = FileResponse(application.cv.open("rb"), content_type="application/pdf", as_attachment=True,
                                filename=f"cv-{application.pk}.pdf")
    except FileNotFoundError:
        raise Http404 from None
    if application.applicant_id != request.user.pk:
        from kizuna.core.actions import audit

        audit(request.user, "jobs.view_cv", application, request=request)
    response["Cache-Control"] = "private, no-store"
    return response


# --- Casual talks ----------------------------------------------------------------------------------

@member_required
def talks(request):
    return render(request, "jobs/talks.html", {"hosts": access.hosts_for(request.user)})


@member_required
def talk_new(request):
    host_id = request.GET.get("host") or request.POST.get("host") or ""
    host = None
    if host_id:
        if not host_id.isdigit():
            raise Http404
        host = get_object_or_404(access.hosts_for(request.user), pk=host_id)
    form = TalkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            talk = actions.do_request_talk(request.user, host, topic=form.cleaned_data["topic"], times=form.times(),
                                           request=request)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your request has been sent. You will get an email when it is answered."))
            return redirect("talk_detail", pk=talk.pk)
    return render(request, "jobs/talk_new.html", {"form": form, "host": host})


def _times(talk):
    """The member's proposed times as (datetime, label in the page's language)."""
    times = [timezone.localtime(datetime.datetime.fromisoformat(t)) for t in talk.proposed_times]
    return [(t, formats.date_format(t, "DATETIME_FORMAT")) for t in times]


@member_required
def talk_detail(request, pk):
    talk = access.access_talk(request.user, pk)
    can_answer = access.can_answer(request.user, talk)
    form = TalkAnswerForm(times=_times(talk)) if can_answer else None
    return render(request, "jobs/talk_detail.html", {
        "talk": talk, "times": _times(talk), "answer_form": form, "can_answer": can_answer,
        "is_guest": talk.member_id == request.user.pk, "events": talk.events.select_related("actor"),
        "open": talk.status in (CasualTalk.Status.REQUESTED, CasualTalk.Status.PROPOSED)})


@member_required
@require_POST
def talk_answer(request, pk):
    talk = access.access_talk_to_answer(request.user, pk)
    times = _times(talk)
    form = TalkAnswerForm(request.POST, times=times)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_answer_talk(request.user, talk, when=data["when"], place=data["place"], message=data["message"],
                                   decline=data["decline"], request=request)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your answer has been sent to the member."))
            return redirect("talk_detail", pk=talk.pk)
    return render(request, "jobs/talk_detail.html", {
        "talk": talk, "times": times, "answer_form": form, "can_answer": True, "is_guest": False,
        "events": talk.events.select_related("actor"), "open": True}, status=400)


@member_required
@require_POST
def talk_accept(request, pk):
    talk = access.access_talk(request.user, pk)
    if talk.member_id != request.user.pk:
        raise Http404
    try:
        actions.do_accept_proposal(request.user, talk, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The talk is scheduled."))
    return redirect("talk_detail", pk=talk.pk)


@member_required
@require_POST
def talk_cancel(request, pk):
    talk = access.access_talk(request.user, pk)
    if talk.member_id != request.user.pk and not access.can_answer(request.user, talk):
        raise Http404
    try:
        actions.do_cancel_talk(request.user, talk, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The talk has been cancelled."))
    return redirect("talk_detail", pk=talk.pk)


@member_required
def hosting(request):
    """A member who works at the company offers casual talks, and answers the ones they host."""
    offer = access.own_host_offer(request.user)
    form = HostForm(request.POST or None, initial={"intro": offer.intro, "active": offer.active} if offer else None)
    may_host = request.user.role != "alumni"
    if request.method == "POST" and may_host and form.is_valid():
        try:
            actions.do_set_host(request.user, **form.cleaned_data, request=request)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your casual talk offer has been saved."))
            return redirect("hosting")
    return render(request, "jobs/hosting.html", {
        "form": form, "may_host": may_host,
        "talks": access.talks_visible_to(request.user).filter(host=request.user)})
