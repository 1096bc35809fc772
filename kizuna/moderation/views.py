"""Reporting (any registered kind), the moderators' queue, and HR's word list."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuna.core.paging import paginate
from kizuna.members.access import member_required

from . import access, actions, registry
from .access import moderator_required
from .forms import DecisionForm, QueueFilterForm, ReportForm, WordForm
from .models import Word

QUEUE_PAGE = 30


def _form_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@member_required
def report(request, kind, object_id):
    """The report form for anything registered; 404 for what the member cannot see."""
    reportable = registry.get(kind)
    obj = reportable.get(object_id)
    if obj is None or not reportable.visible_to(request.user, obj):
        raise Http404
    already = access.own_report(request.user, kind, obj.pk)
    form = ReportForm(request.POST or None)
    back = reportable.url(obj) or "/"
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_report(request.user, obj, form.cleaned_data["reason"], form.cleaned_data["note"],
                              request=request)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Thank you. The moderators will look at your report; you will hear "
                                        "from us when it has been handled."))
            return redirect(back)
    return render(request, "moderation/report.html", {"form": form, "label": reportable.label, "back": back,
                                                      "already": already})


@moderator_required
def queue(request):
    form = QueueFilterForm(request.GET or None)
    state, kind = "open", ""
    if form.is_valid():
        state, kind = form.cleaned_data["state"] or "open", form.cleaned_data["kind"]
    page, query = paginate(request, access.queue(request.user, state=state, kind=kind), QUEUE_PAGE)
    rows = [(item, registry.get(item.kind).label) for item in page]
    return render(request, "moderation/queue.html", {"form": form, "page": page, "query": query, "rows": rows})


@moderator_required
def item_detail(request, pk):
    item = access.access_item(request.user, pk)
    form = DecisionForm(request.POST or None, outcomes=actions.available_outcomes(item))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_moderate(request.user, item, form.cleaned_data["outcome"], form.cleaned_data["reason"],
                                request=request)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Done. The member concerned and the reporters have been told."))
            return redirect("moderation_queue")
    return render(request, "moderation/item.html", {
        "item": item, "view": access.item_view(item), "reports": access.reports_of(item), "form": form})


@moderator_required
def word_list(request):
    form = WordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_word(request.user, form.cleaned_data["word"], request=request)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The word has been added. New posts containing it wait for review."))
            return redirect("moderation_words")
    return render(request, "moderation/words.html", {"form": form, "words": access.words()})


@moderator_required
@require_POST
def word_remove(request, pk):
    actions.do_remove_word(request.user, get_object_or_404(Word, pk=pk), request=request)
    messages.success(request, _("The word has been removed from the list."))
    return redirect("moderation_words")
