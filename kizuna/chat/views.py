"""Chat pages: the list of conversations, a conversation (its socket is consumers.py; the endpoints here
serve the page, sending with attachments, history paged upward, and the polling fallback), people and
settings of a conversation, search within it, the member's chat settings."""

from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kizuna.events.access import access_event
from kizuna.groups.access import access_group
from kizuna.members.access import member_required
from kizuna.members.models import State, User

from . import access, actions
from .forms import EditForm, MessageForm, NewConversationForm, SettingsForm, TitleForm
from .models import Message
from .rendering import rendered

MAX_CHOSEN = 50  # people picked at once on the "new conversation" page


def _error(error):
    return " ".join(error.messages)


def _titles(user, conversations):
    partners = access.direct_partners(user, conversations)
    for conversation in conversations:
        conversation.display_title = actions.conversation_title(user, conversation,
                                                                partner=partners.get(conversation.pk))
        conversation.partner = partners.get(conversation.pk)
    return conversations


@member_required
def chat_list(request):
    conversations = _titles(request.user, list(access.conversations_of(request.user)[:200]))
    return render(request, "chat/list.html", {"conversations": conversations})


# --- Starting conversations -------------------------------------------------------------------------------

def _chosen(user, ids):
    try:
        ids = [int(pk) for pk in ids][:MAX_CHOSEN]
    except ValueError:
        return []
    return [m for m in User.objects.filter(pk__in=ids, state=State.ACTIVE).exclude(pk=user.pk)
            if access.may_contact(user, m) or access.direct_conversation(user, m)]


@member_required
def chat_new(request):
    form = NewConversationForm(request.POST or None)
    chosen = _chosen(request.user, request.POST.getlist("people") if request.method == "POST" else [])
    if request.method == "POST" and form.is_valid():
        title = form.cleaned_data["title"]
        try:
            if len(chosen) == 1 and not title:
                conversation = actions.do_start_direct(request.user, chosen[0], request=request)
            else:
                conversation = actions.do_create_group(request.user, title, chosen, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("chat_conversation", pk=conversation.pk)
    return render(request, "chat/new.html", {"form": form, "chosen": chosen})


@member_required
@require_GET
def chat_candidates(request):
    """The people picker's results (htmx): those already chosen stay ticked, then matches for the name."""
    chosen = _chosen(request.user, request.GET.getlist("people"))
    chosen_ids = {m.pk for m in chosen}
    found = [m for m in access.contact_candidates(request.user, request.GET.get("q", "")) if m.pk not in chosen_ids]
    return render(request, "chat/candidates_partial.html", {
        "chosen": chosen, "found": found, "q": request.GET.get("q", "")})


@member_required
@require_POST
def chat_start(request, pk):
    """"メッセージを送る" on a profile or in the directory: the 1:1 conversation with that member."""
    from kizuna.members.access import access_profile

    member = access_profile(request.user, pk)
    try:
        conversation = actions.do_start_direct(request.user, member, request=request)
    except ValidationError as error:
        messages.error(request, _error(error))
        return redirect("member_profile", pk=member.pk)
    return redirect("chat_conversation", pk=conversation.pk)


@member_required
@require_POST
def chat_event(request, event_pk):
    event = access_event(request.user, event_pk)
    try:
        conversation = actions.do_open_event_conversation(request.user, event, request=request)
    except ValidationError as error:
        messages.error(request, _error(error))
        return redirect("event_detail", pk=event.pk)
    return redirect("chat_conversation", pk=conversation.pk)


@member_required
@require_POST
def chat_group(request, slug):
    group = access_group(request.user, slug)
    try:
        conversation = actions.do_open_group_conversation(request.user, group, request=request)
    except ValidationError as error:
        messages.error(request, _error(error))
        return redirect("group_detail", slug=group.slug)
    return redirect("chat_conversation", pk=conversation.pk)


# --- A conversation ---------------------------------------------------------------------------------------

def _page_context(request, conversation, participant, *, form=None):
    user = request.user
    history, more = access.messages_before(user.pk, conversation.pk)
    partner = access.other_party(user, conversation) if conversation.is_direct else None
    last_id = history[-1].pk if history else 0
    if last_id:
        actions.do_mark_read(user, conversation.pk, last_id)
    return {
        "conversation": conversation, "participant": participant, "partner": partner,
        "title": actions.conversation_title(user, conversation, partner=partner),
        "history": rendered(history, viewer_id=user.pk, language=get_language()),
        "more": more, "oldest_id": history[0].pk if history else 0, "last_id": last_id,
        "form": form or MessageForm(), "can_write": access.may_write(user.pk, conversation.pk),
        # As many as the people page lists: those blocked either way are in neither.
        "people_count": access.participants_of(user, conversation).count(),
    }


@member_required
def chat_conversation(request, pk):
    conversation, participant = access.access_conversation(request.user, pk)
    return render(request, "chat/conversation.html", _page_context(request, conversation, participant))


@member_required
@require_POST
def chat_send(request, pk):
    """Sending with the form: with an attachment, or when the socket is not connected. JS gets JSON back
    (the message itself arrives through the socket or the next poll); without JS the page is shown again."""
    conversation, participant = access.access_conversation(request.user, pk)
    form = MessageForm(request.POST, request.FILES)
    wants_json = request.headers.get("Accept") == "application/json"
    if form.is_valid():
        reply_to = None
        if form.cleaned_data["reply_to"]:
            reply_to = access.readable_messages(request.user.pk, pk).filter(pk=form.cleaned_data["reply_to"]).first()
        try:
            message = actions.do_send_message(request.user, conversation, form.cleaned_data["text"],
                                              attachment=form.cleaned_data["attachment"], reply_to=reply_to)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            if wants_json:
                return JsonResponse({"id": message.pk})
            return redirect(reverse("chat_conversation", args=[pk]) + f"#m{message.pk}")
    if wants_json:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return JsonResponse({"error": error}, status=422)
    return render(request, "chat/conversation.html", _page_context(request, conversation, participant, form=form),
                  status=422)


@member_required
@require_GET
def chat_after(request, pk):
    """The polling fallback and catch-up over HTTP: messages after ?after=N, as the socket sends them."""
    try:
        after = max(int(request.GET.get("after", 0)), 0)
    except ValueError:
        after = 0
    if not access.is_participant(request.user.pk, pk):
        return JsonResponse({"type": "removed"}, status=404)
    found = access.messages_after(request.user.pk, pk, after)
    return JsonResponse({"type": "messages",
                         "messages": rendered(found, viewer_id=request.user.pk, language=get_language())})


@member_required
@require_GET
def chat_before(request, pk):
    """History paged upward (htmx): the page before ?before=N, with a button for the one before it."""
    access.access_conversation(request.user, pk)
    try:
        before = int(request.GET.get("before", 0))
    except ValueError:
        before = 0
    history, more = access.messages_before(request.user.pk, pk, before or None)
    return render(request, "chat/older_partial.html", {
        "conversation_id": pk, "history": rendered(history, viewer_id=request.user.pk, language=get_language()),
        "more": more, "oldest_id": history[0].pk if history else 0})


@member_required
@require_POST
def chat_read(request, pk):
    actions.do_mark_read(request.user, pk, request.POST.get("id"))
    return HttpResponse(status=204)


def _own_message(request, pk, message_pk):
    conversation, _participant = access.access_conversation(request.user, pk)
    message = access.readable_messages(request.user.pk, pk).filter(pk=message_pk).first()
    if message is None:
        raise Http404
    if message.author_id != request.user.pk:
        raise PermissionDenied
    return conversation, message


@member_required
def chat_edit(request, pk, message_pk):
    conversation, message = _own_message(request, pk, message_pk)
    form = EditForm(request.POST or None, initial={"text": message.text})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_edit_message(request.user, message, form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(reverse("chat_conversation", args=[pk]) + f"#m{message.pk}")
    return render(request, "chat/edit.html", {"form": form, "conversation": conversation, "message": message})


@member_required
@require_POST
def chat_delete(request, pk, message_pk):
    _conversation, message = _own_message(request, pk, message_pk)
    try:
        actions.do_delete_message(request.user, message)
    except ValidationError as error:
        messages.error(request, _error(error))
    if request.htmx:
        return HttpResponse(status=204)
    return redirect("chat_conversation", pk=pk)


# Opened on its own, an image is shown by the browser's image viewer, which styles itself inline (as member
# photos are served).
@csp_replace({"default-src": ["'none'"], "img-src": ["'self'"], "style-src": ["'unsafe-inline'"]})
@member_required
def chat_attachment(request, pk, message_pk):
    message = access.access_attachment(request.user, message_pk)
    if message.conversation_id != pk:
        raise Http404
    is_image = message.attachment_kind == Message.Attachment.IMAGE
    response = FileResponse(message.attachment.open("rb"), as_attachment=not is_image,
                            filename=message.attachment_name,
                            content_type="image/jpeg" if is_image else "application/pdf")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@member_required
@require_GET
def chat_search(request, pk):
    conversation, _participant = access.access_conversation(request.user, pk)
    q = request.GET.get("q", "").strip()[:100]
    found = access.search_messages(request.user.pk, pk, q)
    context = {"conversation": conversation, "q": q, "results": found,
               "title": actions.conversation_title(request.user, conversation)}
    template = "chat/search_partial.html" if request.htmx else "chat/search.html"
    return render(request, template, context)


# --- People and settings of a conversation ----------------------------------------------------------------

@member_required
def chat_people(request, pk):
    conversation, participant = access.access_conversation(request.user, pk)
    is_admin = access.is_conversation_admin(request.user, conversation)
    return render(request, "chat/people.html", {
        "conversation": conversation, "participant": participant, "is_admin": is_admin,
        "title": actions.conversation_title(request.user, conversation),
        "people": access.participants_of(request.user, conversation),
        "title_form": TitleForm(initial={"title": conversation.title}),
        "chosen": _chosen(request.user, request.GET.getlist("people")),
    })


def _back_to_people(request, pk, done=None, error=None):
    if error is not None:
        messages.error(request, _error(error))
    elif done:
        messages.success(request, done)
    return redirect("chat_people", pk=pk)


@member_required
@require_POST
def chat_add(request, pk):
    conversation, _participant = access.access_conversation(request.user, pk)
    chosen = _chosen(request.user, request.POST.getlist("people"))
    if not chosen:
        return _back_to_people(request, pk, error=ValidationError(_("Choose at least one person to add.")))
    try:
        added = actions.do_add_participants(request.user, conversation, chosen, request=request)
    except ValidationError as error:
        return _back_to_people(request, pk, error=error)
    return _back_to_people(request, pk, done=_("%(count)d people were added.") % {"count": len(added)})


@member_required
@require_POST
def chat_remove(request, pk, user_pk):
    conversation, _participant = access.access_conversation(request.user, pk)
    member = get_object_or_404(access.participants_of(request.user, conversation), user_id=user_pk).user
    try:
        actions.do_remove_participant(request.user, conversation, member, request=request)
    except ValidationError as error:
        return _back_to_people(request, pk, error=error)
    return _back_to_people(request, pk, done=_("%(name)s was removed from the conversation.") % {"name": member.name})


@member_required
@require_POST
def chat_leave(request, pk):
    conversation, _participant = access.access_conversation(request.user, pk)
    try:
        actions.do_leave(request.user, conversation, request=request)
    except ValidationError as error:
        return _back_to_people(request, pk, error=error)
    messages.success(request, _("You left the conversation."))
    return redirect("chat_list")


@member_required
@require_POST
def chat_rename(request, pk):
    conversation, _participant = access.access_conversation(request.user, pk)
    form = TitleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Please keep the name to %(max)d characters.") % {"max": actions.MAX_TITLE})
        actions.do_rename(request.user, conversation, form.cleaned_data["title"], request=request)
    except ValidationError as error:
        return _back_to_people(request, pk, error=error)
    return _back_to_people(request, pk, done=_("The name has been saved."))


@member_required
@require_POST
def chat_mute(request, pk):
    conversation, _participant = access.access_conversation(request.user, pk)
    muted = request.POST.get("muted") == "1"
    actions.do_set_muted(request.user, conversation, muted)
    messages.success(request, _("Notifications of this conversation are muted.") if muted
                     else _("Notifications of this conversation are on again."))
    return redirect("chat_people" if request.POST.get("next") == "people" else "chat_conversation", pk=pk)


@member_required
def chat_settings(request):
    form = SettingsForm(request.POST or None, initial={"starters": access.starters_of(request.user)})
    if request.method == "POST" and form.is_valid():
        actions.do_set_starters(request.user, form.cleaned_data["starters"], request=request)
        messages.success(request, _("Your message settings have been saved."))
        return redirect("chat_settings")
    return render(request, "chat/settings.html", {"form": form})
