"""The feed pages: "for you" / "latest" with infinite scroll (htmx), posts, replies, reactions, HR's
announcements and stories, the member's feed settings, and the group page's posts section."""

import datetime

from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kizuna.core.images import private_image_response
from kizuna.core.paging import paginate
from kizuna.core.text import normalize
from kizuna.events.views import IMAGE_POLICY
from kizuna.members.access import member_required
from kizuna.members.models import State, User

from . import access, actions
from .cards import build_cards
from .forms import FeedSettingsForm, OfficialForm, PostForm, ReplyForm
from .mentions import mention_markup
from .models import EMOJI, FeedSettings, Kind, Post, Reaction, Status

VIEWS = ("for_you", "latest")


def _form_errors(form, error):
    for field, messages_ in error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]:
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


@member_required
def feed(request):
    view = request.GET.get("view") if request.GET.get("view") in VIEWS else "for_you"
    viewer = access.viewer_of(request.user)
    cursor = access.Cursor.decode(request.GET.get("cursor"))
    settings_row = FeedSettings.objects.filter(user=request.user).first()
    seen_until = settings_row.seen_until if settings_row else None
    if cursor is not None:
        seen = request.GET.get("seen") or ""  # the first page's marker, so later pages mark the same items new
        seen_until = datetime.datetime.fromtimestamp(int(seen), datetime.UTC) if seen.isdigit() else None
    page = access.feed_page(viewer, view, cursor)
    pinned = {pk for _t, pk in page.pinned}
    cards = build_cards(viewer, [pk for _t, pk in page.pinned] + [pk for _t, pk in page.keys],
                        seen_until=seen_until, pinned=pinned)
    context = {"view": view, "cards": cards, "next_cursor": page.next_cursor,
               "seen": int(seen_until.timestamp()) if seen_until else ""}
    if request.htmx and cursor is not None:
        return render(request, "feed/items_partial.html", context)
    actions.do_mark_seen(request.user, timezone.now())
    context["form"] = PostForm(user=request.user)
    context["may_publish"] = access.may_moderate_official(request.user)
    return render(request, "feed/feed.html", context)


@member_required
def post_new(request):
    form = PostForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = actions.do_create_post(request.user, body=data["body"], audience=data["audience"],
                                          group=data.get("group"), image=data.get("image"), request=request)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if post.status == Status.HIDDEN:
                messages.info(request, _("Your post is waiting for a moderator's review before others can see it."))
            else:
                messages.success(request, _("Your post is published."))
            return redirect(f"{reverse('feed')}?view=latest")
    return render(request, "feed/post_form.html", {"form": form, "editing": False})


def _shown(user, pk):
    """(post, viewer, card) of an item shown to the member; 404 also for an activity item that shows them
    nothing (its people hidden from them): what a member cannot see, they cannot react or reply to."""
    post = access.access_post(user, pk)
    viewer = access.viewer_of(user)
    cards = build_cards(viewer, [post.pk])
    if not cards:
        raise Http404
    return post, viewer, cards[0]


@member_required
def post_detail(request, pk):
    try:
        post, viewer, card = _shown(request.user, pk)
    except Http404:
        hidden = access.own_hidden_post(request.user, pk)
        if hidden is None:
            raise
        return render(request, "feed/post_hidden.html", {"post": hidden})
    replies = list(access.visible_replies(viewer, [post.pk], own_hidden=True).select_related("author")
                   .order_by("created_at", "pk"))
    by_kind = {}
    for reaction in access.reactors(viewer, post):
        by_kind.setdefault(reaction.kind, []).append(reaction.user)
    return render(request, "feed/post_detail.html", {
        "card": card, "post": post, "replies": replies, "reply_form": ReplyForm(),
        "reactors": [(EMOJI[kind], label, by_kind[kind]) for kind, label in Reaction.Kind.choices if kind in by_kind],
        "may_edit": _may_edit(request.user, post)})


def _may_edit(user, post):
    return post.author_id == user.pk or (post.is_official and user.is_moderator)


@member_required
def post_edit(request, pk):
    post = access.access_own_post(request.user, pk)
    form_class = OfficialForm if post.is_official else PostForm
    initial = {"body": post.body, "title": post.title, "kind": post.kind, "category": post.category,
               "pinned": post.pinned, "publish_at": post.publish_at}
    form = form_class(request.POST or None, request.FILES or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if post.is_official:
                actions.do_save_official(request.user, post, data, image=data.get("image"), request=request)
            else:
                actions.do_edit_post(request.user, post, body=data["body"], image=data.get("image"),
                                     remove_image=bool(request.POST.get("remove_image")), request=request)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("feed_post", pk=post.pk)
    return render(request, "feed/official_form.html" if post.is_official else "feed/post_form.html",
                  {"form": form, "editing": True, "post": post})


@member_required
@require_POST
def post_delete(request, pk):
    post = access.access_post_to_delete(request.user, pk)
    actions.do_delete_post(request.user, post, request=request)
    messages.success(request, _("The post is deleted."))
    return redirect("feed")


@csp_replace(IMAGE_POLICY)  # the browser's own image viewer styles itself inline
@member_required
def post_image(request, pk):
    post = access.access_post(request.user, pk)
    if not post.image:
        raise Http404
    return private_image_response(request, post.image)


@member_required
@require_POST
def reply_new(request, pk):
    post, _viewer, _card = _shown(request.user, pk)
    form = ReplyForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["body"])
        reply = actions.do_reply(request.user, post, body=form.cleaned_data["body"], request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("feed_post", pk=post.pk)
    if reply.hidden:
        messages.info(request, _("Your reply is waiting for a moderator's review before others can see it."))
    return redirect(f"{reverse('feed_post', kwargs={'pk': post.pk})}#reply-{reply.pk}")


@member_required
def reply_edit(request, pk):
    reply = access.access_reply(request.user, pk, own=True)
    form = ReplyForm(request.POST or None, initial={"body": reply.body})
    if request.method == "POST" and form.is_valid():
        actions.do_edit_reply(request.user, reply, body=form.cleaned_data["body"], request=request)
        messages.success(request, _("Your changes are saved."))
        return redirect(f"{reverse('feed_post', kwargs={'pk': reply.post_id})}#reply-{reply.pk}")
    return render(request, "feed/reply_form.html", {"form": form, "reply": reply})


@member_required
@require_POST
def reply_delete(request, pk):
    reply = access.access_reply_to_delete(request.user, pk)
    actions.do_delete_reply(request.user, reply, request=request)
    messages.success(request, _("The reply is deleted."))
    return redirect("feed_post", pk=reply.post_id) if access.may_see(request.user, reply.post) else redirect("feed")


@member_required
@require_POST
def react(request, pk):
    post, viewer, _card = _shown(request.user, pk)
    try:
        actions.do_toggle_reaction(request.user, post, request.POST.get("kind", ""))
    except ValidationError as error:
        if not request.htmx:
            messages.error(request, " ".join(error.messages))
    if request.htmx:
        card = build_cards(viewer, [post.pk])[0]
        return render(request, "feed/reactions_partial.html", {"card": card})
    return redirect("feed_post", pk=post.pk)


MENTION_LIMIT = 8


@member_required
def mention_search(request):
    """Members to mention, for the composer's autocomplete: active, findable in the directory, no block
    either way; matched by name or reading (always shown to members), never by hidden values."""
    key = normalize(request.GET.get("q", ""))
    if not key:
        return JsonResponse({"members": []})
    blocked = access.viewer_of(request.user).blocked
    members = (User.objects.filter(state=State.ACTIVE).filter(Q(name_key__contains=key) | Q(kana_key__contains=key))
               .exclude(pk__in=blocked).exclude(pk=request.user.pk).exclude(profile__hidden=True)
               .order_by("kana_key", "pk")[:MENTION_LIMIT])
    return JsonResponse({"members": [{"name": m.name, "kana": m.name_kana, "markup": mention_markup(m)}
                                     for m in members]})


@member_required
def feed_settings(request):
    row = FeedSettings.objects.filter(user=request.user).first() or FeedSettings(user=request.user)
    form = FeedSettingsForm(request.POST or None, initial={"share_moves": row.share_moves,
                                                           "keep_posts": row.keep_posts})
    if request.method == "POST" and form.is_valid():
        actions.do_save_feed_settings(request.user, request=request, **form.cleaned_data)
        messages.success(request, _("Your feed settings are saved."))
        return redirect("feed_settings")
    return render(request, "feed/settings.html", {"form": form})


# --- Announcements and stories (admins and moderators) --------------------------------------------------

def _staff(request):
    if not access.may_moderate_official(request.user):
        raise PermissionDenied


@member_required
def official_list(request):
    _staff(request)
    page, params = paginate(request, access.official_posts(request.user))
    return render(request, "feed/official_list.html", {"page": page, "params": params, "now": timezone.now()})


@member_required
def official_new(request):
    _staff(request)
    form = OfficialForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = actions.do_save_official(request.user, Post(), data, image=data.get("image"), request=request)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if post.published_at:
                messages.success(request, _("Published. Members are being notified."))
            else:
                messages.success(request, _("Scheduled. It will be published at the time you chose."))
            return redirect("feed_official")
    return render(request, "feed/official_form.html", {"form": form, "editing": False})


# --- The group page's "posts" section -------------------------------------------------------------------

def group_posts_context(request, group):
    """Called only for those who may read the group (groups.sections)."""
    from kizuna.groups.access import is_group_member

    viewer = access.viewer_of(request.user)
    page = access.group_page(viewer, group)
    form = None
    if is_group_member(request.user, group):
        form = PostForm(user=request.user, initial={"audience": "group", "group": group.pk})
    return {"cards": build_cards(viewer, [pk for _t, pk in page.keys]), "post_form": form,
            "kinds": Kind}
