"""Who gets what on every URL: one row per URL (see tests/permissions.py for how to add one)."""

import io
import itertools

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage
from django.urls import URLPattern, URLResolver, get_resolver
from PIL import Image

from kizuna.core import actions as core_actions
from kizuna.core.images import clean_logo
from kizuna.core.mail import OutboxBackend
from kizuna.core.models import Department, GroupCompany, OutboxEmail
from kizuna.members import actions

from .factories import LeaverRecordFactory, MemberFactory
from .members.import_files import csv_bytes
from .permissions import (
    ADMINS,
    API_ADMINS,
    API_MEMBERS,
    APPLICATION_STATUS,
    BAD_REQUEST,
    CREATED,
    FORBIDDEN,
    LOGIN,
    MEMBERS,
    MOVED,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    PUBLIC,
    SIGNED_IN,
    TOTP_SETUP,
    UNPROCESSABLE,
    Context,
    Redirect,
    assert_outcome,
    cases,
    everyone,
    row,
    user_for,
)

MISSING = {"pk": 987654}  # no object has this id: admins get 404


# --- Objects the rows act on (made through actions, like every other write) ----------------------
# Builders may run many times in one database (tests/browser/test_pages.py opens every page): unique names.
serial = itertools.count(1)


def own_token(context):
    """The requester's own token (members); for others, some token that exists."""
    owner = context.user if context.user is not None and context.user.is_member else context.other
    return {"pk": actions.do_create_token(owner, "mine")[0].pk}


def others_token(context):
    return {"pk": actions.do_create_token(context.other, "someone else's")[0].pk}


def _apply():
    return actions.do_apply(email=f"applicant{next(serial)}@example.net", password="hanabi-kaminari-42",
                            name="申請 太郎", name_kana="しんせい たろう", language="ja", employee_number="E1",
                            joined_year=2010, left_year=2020)


def an_application(context):
    return {"pk": _apply().application.pk}


def a_confirmed_application(context):
    user = _apply()
    # The applicant clicked the link in the confirmation email (what allauth records).
    EmailAddress.objects.filter(user=user).update(verified=True)
    return {"pk": user.application.pk}


def an_invitation(context):
    return actions.do_invite(None, LeaverRecordFactory())


def an_invitation_link(context):
    return {"token": actions.invitation_url(an_invitation(context)).rstrip("/").rsplit("/", 1)[1]}


def an_invitation_id(context):
    return {"pk": an_invitation(context).pk}


def an_invitation_batch(context):
    LeaverRecordFactory()
    return {"pk": actions.do_start_invitation_batch(None).pk}


def another_member(context):
    return {"pk": context.other.pk}


def a_withdrawn_member(context):
    return {"pk": actions.do_withdraw(context.other, context.other).pk}


def a_leaver_record(context):
    return {"pk": LeaverRecordFactory().pk}


def an_import_job(context):
    upload = SimpleUploadedFile("退職者.csv", csv_bytes(), content_type="text/csv")
    return {"pk": actions.do_create_import_job(None, upload).pk}


def a_company(context):
    company = core_actions.do_save_company(None, GroupCompany(), name=f"絆ロジスティクス{next(serial)}",
                                           name_kana="きずなろじすてぃくす")
    return {"pk": company.pk}


def a_department(context):
    return {"pk": core_actions.do_save_department(None, Department(), name=f"営業本部{next(serial)}", parent=None).pk}


def an_outbox_email(context):
    OutboxBackend().send_messages([EmailMessage("ご案内", "本文です。", to=["someone@example.jp"])])
    return {"pk": OutboxEmail.objects.latest("pk").pk}


def the_logo(context):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(buffer, "PNG")
    logo = clean_logo(SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png"))
    return {"path": core_actions.do_set_logo(None, logo).logo.name}


def a_member_with_photo(context):
    from .members.profiles import give_photo

    give_photo(context.other)
    return {"pk": context.other.pk}


def a_member_with_a_hidden_photo(context):
    from .members.profiles import give_photo

    give_photo(context.other)
    actions.do_update_profile(context.other, {}, visibility={"photo": "me"})
    return {"pk": context.other.pk}


def _can_block(user):
    return user is not None and user.is_member and user.role not in ("admin", "moderator")


def a_blocked_member(context):
    """Another member the requester has blocked (only alumni and employees block; HR and moderators cannot)."""
    if _can_block(context.user):
        actions.do_block(context.user, context.other)
    return {"pk": context.other.pk}


def a_blocking_member(context):
    """Another member who blocked the requester (HR and moderators cannot be blocked)."""
    if _can_block(context.user):
        actions.do_block(context.other, context.user)
    return {"pk": context.other.pk}


def staff(outcome):
    """Per-role overrides for HR and moderators, who neither block nor can be blocked."""
    return dict.fromkeys(("moderator", "admin", "admin_without_totp"), outcome)


def a_custom_field(context):
    from kizuna.members.models import CustomField

    field = actions.do_save_custom_field(None, CustomField(), label=f"出身大学{next(serial)}", kind="text",
                                         default_visibility="members")
    return {"pk": field.pk}


def profile_rules(context):
    from kizuna.members.profiles import visibility_rules

    data = {"confirm_months": "12"}
    for key, rule in visibility_rules().items():
        data[f"{key}-allowed"], data[f"{key}-default"] = sorted(rule.allowed), rule.default
    return data


CUSTOM_FIELD = {"label": "同期の呼び名", "kind": "text", "default_visibility": "members"}
LEAVER_ROWS = {"rows": [{"employee_number": "E9", "name": "山田 太郎", "left_on": "2020-03-31"}], "dry_run": True}


def new_members(context):
    return {"members": [{"name": "山田 太郎", "email": f"moved{next(serial)}@example.jp", "left_on": "2020-03-31"}]}


def another_members_profile(context):
    return {"member_id": context.other.pk}
# --- Jobs ------------------------------------------------------------------------------------------

def _posting(**values):
    from .jobs.helpers import make_posting

    return make_posting(title=f"再入社 エンジニア{next(serial)}", **values)


def a_posting(context):
    return {"pk": _posting().pk}


def an_alumni_posting(context):
    return {"pk": _posting(audience="alumni").pk}


def a_draft_posting(context):
    return {"pk": _posting(status="draft").pk}


def _member_or_other(context):
    return context.user if context.user is not None and context.user.is_member else context.other


def own_job_application(context):
    from .jobs.helpers import apply

    return {"pk": apply(_member_or_other(context), _posting(), cv=True).pk}


def others_job_application(context):
    from .jobs.helpers import apply

    return {"pk": apply(context.other, _posting(), cv=True).pk}


def _talk(member):
    import datetime

    from django.utils import timezone

    from kizuna.jobs.actions import do_request_talk

    return do_request_talk(member, None, topic="近況を聞きたい", times=[timezone.now() + datetime.timedelta(days=3)])


def own_talk(context):
    return {"pk": _talk(_member_or_other(context)).pk}


def others_talk(context):
    """A talk another member asked HR for: HR (with TOTP) may open and answer it, nobody else."""
    return {"pk": _talk(context.other).pk}


def a_talk_answer(context):
    return {"choice": "0", "place": "オンライン"}


def a_referral(context):
    from kizuna.jobs.actions import do_refer
    from kizuna.jobs.models import Posting

    referral = do_refer(context.other, Posting.objects.get(pk=a_posting(context)["pk"]), name="紹介 花子",
                        email="hanako@example.com", relation="前職の同僚", agreed=True)
    return {"pk": referral.pk}


def an_unsubscribe_link(context):
    from kizuna.notifications.actions import unsubscribe_token

    return {"token": unsubscribe_token(context.other, "jobs")}


POSTING = {"title": "契約：データ分析", "kind": "contract", "workplace": "remote", "description": "分析の支援です。",
           "status": "draft", "audience": "all"}
JOBS = everyone(OK, anonymous=LOGIN, pending=APPLICATION_STATUS)


# --- Feed and the bell ---
def _feed_post(author, **values):
    from kizuna.feed.actions import do_create_post

    return do_create_post(author, body=f"近況報告{next(serial)}", **values)


def a_post(context):
    return {"pk": _feed_post(context.other).pk}


def an_alumni_post(context):
    return {"pk": _feed_post(context.other, audience="alumni").pk}


def own_post(context):
    return {"pk": _feed_post(_member_or_other(context)).pk}


def a_post_with_image(context):
    from kizuna.core.images import clean_picture

    from .feed.helpers import png

    return {"pk": _feed_post(context.other, image=clean_picture(png(), "feed")).pk}


def _feed_reply(author):
    from kizuna.feed.actions import do_reply

    from .factories import MemberFactory

    return do_reply(author, _feed_post(MemberFactory(name=f"投稿者{next(serial)}")), body="いいですね")


def own_reply(context):
    return {"pk": _feed_reply(_member_or_other(context)).pk}


def others_reply(context):
    return {"pk": _feed_reply(context.other).pk}


def _hidden(obj):
    from kizuna.feed.actions import set_hidden

    set_hidden(obj, True)  # as a moderator's decision does
    return {"pk": obj.pk}


def own_hidden_post(context):
    return _hidden(_feed_post(_member_or_other(context)))


def a_hidden_post(context):
    return _hidden(_feed_post(context.other))


def own_hidden_reply(context):
    return _hidden(_feed_reply(_member_or_other(context)))


def others_hidden_reply(context):
    return _hidden(_feed_reply(context.other))


def _alert(user):
    from kizuna.notifications.actions import do_alert
    from kizuna.notifications.models import Alert

    key = next(serial)
    do_alert([user], "feed_mentions", key, text="テスト", url="/feed/")
    return Alert.objects.get(user=user, key=key)


def own_alert(context):
    return {"pk": _alert(_member_or_other(context)).pk}


def others_alert(context):
    return {"pk": _alert(context.other).pk}


NEW_OFFICIAL = {"kind": "announcement", "title": "お知らせ", "body": "本文", "audience": "network", "category": "news"}


# --- Events ---
def _event(**values):
    from .events.helpers import make_event

    return make_event(title=f"交流会{next(serial)}", **values)


def an_event(context):
    return {"pk": _event().pk}


def an_alumni_event(context):
    return {"pk": _event(audience="alumni").pk}


def an_event_with_a_cover(context):
    from kizuna.core.images import clean_picture
    from kizuna.events import actions as event_actions

    from .events.helpers import image_upload

    event = _event()
    values = {name: getattr(event, name) for name in event_actions.EVENT_FIELDS}
    event_actions.do_save_event(None, event, values, hosts=[], cover=clean_picture(image_upload(), "event"))
    return {"pk": event.pk}


def a_past_event(context):
    from .events.helpers import move_to_past

    return {"pk": move_to_past(_event()).pk}


def a_report_photo(context):
    from kizuna.core.images import clean_picture
    from kizuna.events import actions as event_actions

    from .events.helpers import image_upload, move_to_past

    event = move_to_past(_event())
    event_actions.do_save_report(None, event, text="当日の様子", photos=[clean_picture(image_upload(), "event")])
    return {"pk": event.pk, "photo_pk": event.photos.get().pk}


# --- Chat ----------------------------------------------------------------------------------------------------

def _talker(context):
    """The requester when they can take part in conversations; otherwise a third member (the row's outcome
    for anonymous and pending people does not depend on the conversation)."""
    user = context.user
    return user if user is not None and user.is_member else MemberFactory(name=f"第三者{next(serial)}")


def own_conversation(context):
    from .chat.helpers import direct

    return {"pk": direct(_talker(context), context.other).pk}


def others_conversation(context):
    from .chat.helpers import direct

    return {"pk": direct(context.other, MemberFactory(name=f"他人{next(serial)}")).pk}


def own_group(context):
    from .chat.helpers import group

    return {"pk": group(_talker(context), context.other).pk}


def own_group_and_someone(context):
    kwargs = own_group(context)
    return {**kwargs, "user_pk": context.other.pk}


def own_message(context):
    from .chat.helpers import direct, say

    talker = _talker(context)
    conversation = direct(talker, context.other)
    return {"pk": conversation.pk, "message_pk": say(talker, conversation, "こんにちは").pk}


def others_message(context):
    from .chat.helpers import direct, say

    conversation = direct(_talker(context), context.other)
    return {"pk": conversation.pk, "message_pk": say(context.other, conversation, "お元気ですか").pk}


def an_attachment(context, *, own=True):
    from kizuna.chat.attachments import clean_attachment

    from .chat.helpers import direct, png_upload, say

    conversation = (direct(_talker(context), context.other) if own
                    else direct(context.other, MemberFactory(name=f"他人{next(serial)}")))
    message = say(context.other, conversation, "", attachment=clean_attachment(png_upload()))
    return {"pk": conversation.pk, "message_pk": message.pk}


def others_attachment(context):
    return an_attachment(context, own=False)


def own_group_club(context):
    from .groups.helpers import make_group

    return {"slug": make_group(_talker(context), name=f"写真部{next(serial)}").slug}


def others_group_club(context):
    from .groups.helpers import make_group

    return {"slug": make_group(context.other, name=f"写真部{next(serial)}").slug}


def a_new_person(context):
    return {"people": str(MemberFactory(name=f"新メンバー{next(serial)}").pk)}


def a_calendar_token(context):
    from kizuna.events import actions as event_actions

    return {"token": event_actions.calendar_feed_of(context.other).token}


def an_api_event(context):
    return {"event_id": _event().pk}


def a_new_api_event(context):
    import datetime

    from django.utils import timezone

    starts = timezone.now() + datetime.timedelta(days=5)
    return {"title": f"勉強会{next(serial)}", "format": "online", "online_url": "https://meet.example.jp/x",
            "starts_at": starts.isoformat(), "ends_at": (starts + datetime.timedelta(hours=1)).isoformat()}



# --- Groups and moderation -------------------------------------------------------------------------

def _group(context, **values):
    from .groups.helpers import make_group

    return make_group(context.other, name=f"勉強会{next(serial)}", slug=f"g{next(serial)}", **values)


def a_group(context):
    return {"slug": _group(context).slug}


def a_closed_group(context):
    return {"slug": _group(context, privacy="closed").slug}


def a_secret_group(context):
    return {"slug": _group(context, privacy="secret").slug}


def _is_active_member(user):
    from kizuna.members.models import State

    return user is not None and user.state == State.ACTIVE


def a_group_the_requester_manages(context):
    """The requesting member is one of the group's admins (not HR)."""
    from kizuna.groups.models import Membership

    group = _group(context)
    if _is_active_member(context.user):
        Membership.objects.create(group=group, user=context.user, role=Membership.Role.ADMIN)
    return {"slug": group.slug}


def a_department_group_the_requester_manages(context):
    from kizuna.groups.models import Membership
    from kizuna.members.models import Role

    from .groups.helpers import make_group

    group = make_group(MemberFactory(role=Role.ADMIN), name=f"営業本部OB会{next(serial)}", kind="department",
                       department=core_actions.ensure_department("営業本部"))
    if _is_active_member(context.user):
        Membership.objects.update_or_create(group=group, user=context.user, defaults={"role": Membership.Role.ADMIN})
    return {"slug": group.slug}


def a_join_request(context):
    from kizuna.groups.actions import do_join

    group = _group(context, privacy="closed")
    return {"slug": group.slug, "pk": do_join(MemberFactoryForRows(), group).pk}


def a_group_member(context):
    from kizuna.groups.actions import do_join

    group = _group(context)
    return {"slug": group.slug, "pk": do_join(MemberFactoryForRows(), group).pk}


def a_new_group(context):
    return {"name": f"写真部{next(serial)}", "kind": "interest", "privacy": "open", "description": "", "slug": ""}


def others_profile(context):
    return {"kind": "profile", "object_id": context.other.pk}


def a_moderation_item(context):
    from kizuna.moderation.actions import do_report

    reporter = MemberFactoryForRows()
    return {"pk": do_report(reporter, MemberFactoryForRows(), "spam").item.pk}


def an_item_about_the_requester(context):
    """A queue item about the requesting moderator: another moderator decides on it."""
    from kizuna.moderation.actions import do_report

    about = context.user if _is_active_member(context.user) else MemberFactoryForRows()
    return {"pk": do_report(MemberFactoryForRows(), about, "spam").item.pk}


def a_word(context):
    from kizuna.moderation.actions import do_add_word

    return {"pk": do_add_word(None, f"禁句{next(serial)}").pk}


def MemberFactoryForRows():  # noqa: N802 - reads like the factory it wraps
    from .factories import MemberFactory

    return MemberFactory(name=f"会員 {next(serial)}")


def for_moderators(outcome):
    return everyone(FORBIDDEN, anonymous=LOGIN, pending=APPLICATION_STATUS, moderator=outcome, admin=outcome,
                    admin_without_totp=outcome)


MODERATORS = for_moderators(OK)

ELSEWHERE = {"next": "https://evil.example/"}  # a return address off the site is ignored

MATRIX = [
    # --- Public pages ---
    row("home", PUBLIC),
    row("healthz", PUBLIC),
    row("favicon", everyone(MOVED)),
    row("guidelines", PUBLIC),
    row("privacy", PUBLIC),
    row("set_language", everyone(Redirect("home")), method="post", data={"language": "en", "next": "/"}),
    row("media", PUBLIC, kwargs=the_logo, label="logo"),
    row("media", everyone(NOT_FOUND), kwargs={"path": "network/missing.png"}, label="missing"),
    row("media", everyone(BAD_REQUEST), kwargs={"path": "../private/imports/x.csv"}, label="outside"),
    row("account_login", PUBLIC, member=Redirect("home"), pending=Redirect("home")),

    # --- Joining: applications and invitations (the applicant's side) ---
    # Signed-in people have nothing to apply for; without an application there is no status to follow.
    row("apply", PUBLIC, member=Redirect("home"), pending=Redirect("home")),
    row("application_status", SIGNED_IN, member=Redirect("home"), pending=Redirect("home")),
    row("invitation_accept", PUBLIC, kwargs=an_invitation_link, pending=APPLICATION_STATUS),
    row("invitation_accept", everyone(NOT_FOUND), kwargs={"token": "not-a-token"}, label="unknown",
        pending=APPLICATION_STATUS),

    # --- The member's own account and data ---
    row("account", SIGNED_IN),
    row("account_edit", SIGNED_IN),
    row("account_data", SIGNED_IN),
    row("account_data_json", SIGNED_IN),
    row("account_withdraw", SIGNED_IN),
    row("account_withdraw", SIGNED_IN, method="post", data={"password": "not-the-password"}, label="wrong password"),
    # Members who accepted the current guidelines have nothing to accept there.
    row("guidelines_accept", MEMBERS, member=Redirect("home")),
    row("guidelines_accept", MEMBERS, method="post", data={"version": "1"}, label="accept", member=Redirect("home")),
    row("api_tokens", MEMBERS, admin_without_totp=TOTP_SETUP),
    row("api_tokens", MEMBERS, method="post", data={"name": "人事システム"}, label="create",
        admin_without_totp=TOTP_SETUP),
    row("api_token_revoke", MEMBERS, method="post", kwargs=own_token, label="own", member=Redirect("api_tokens"),
        admin_without_totp=TOTP_SETUP),
    row("api_token_revoke", MEMBERS, method="post", kwargs=others_token, label="another's", member=NOT_FOUND,
        admin_without_totp=TOTP_SETUP),
    row("api_token_revoke", MEMBERS, kwargs=own_token, label="get", member=NOT_ALLOWED,
        admin_without_totp=TOTP_SETUP),

    # --- Profiles: one's own, other members' pages and photos, blocks ---
    # /members/ is not an account page: pending members are sent to their application.
    row("profile_edit", MEMBERS),
    row("profile_edit", MEMBERS, method="post", data={"romaji": "Taro"}, label="incomplete form"),
    row("profile_confirm", MEMBERS, method="post", data=ELSEWHERE, member=Redirect("home")),
    row("profile_confirm", MEMBERS, label="get", member=NOT_ALLOWED),
    row("block_list", MEMBERS),
    row("member_profile", MEMBERS, kwargs=another_member, pending=APPLICATION_STATUS),
    row("member_profile", MEMBERS, kwargs=MISSING, label="missing", member=NOT_FOUND, pending=APPLICATION_STATUS),
    row("member_profile", MEMBERS, kwargs=a_withdrawn_member, label="withdrawn", member=NOT_FOUND,
        pending=APPLICATION_STATUS),
    row("member_profile", MEMBERS, kwargs=a_blocked_member, label="blocked", member=NOT_FOUND,
        pending=APPLICATION_STATUS, **staff(OK)),
    row("member_profile", MEMBERS, kwargs=a_blocking_member, label="blocking", member=NOT_FOUND,
        pending=APPLICATION_STATUS, **staff(OK)),
    row("member_photo", MEMBERS, kwargs=a_member_with_photo, pending=APPLICATION_STATUS),
    row("member_photo", MEMBERS, kwargs=another_member, label="no photo", member=NOT_FOUND,
        pending=APPLICATION_STATUS),
    row("member_photo", MEMBERS, kwargs=a_member_with_a_hidden_photo, label="only me", member=NOT_FOUND,
        pending=APPLICATION_STATUS),
    row("member_photo", MEMBERS, kwargs=a_blocking_member, label="blocking", member=NOT_FOUND,
        pending=APPLICATION_STATUS),
    row("member_block", MEMBERS, method="post", kwargs=another_member, member=Redirect("block_list"),
        pending=APPLICATION_STATUS, **staff(Redirect("member_profile"))),
    row("member_block", MEMBERS, kwargs=another_member, label="get", member=NOT_ALLOWED, pending=APPLICATION_STATUS),
    row("member_block", MEMBERS, method="post", kwargs=a_blocking_member, label="blocking", member=NOT_FOUND,
        pending=APPLICATION_STATUS, **staff(Redirect("member_profile"))),
    row("member_unblock", MEMBERS, method="post", kwargs=a_blocked_member, member=Redirect("block_list"),
        pending=APPLICATION_STATUS, **staff(NOT_FOUND)),
    row("member_unblock", MEMBERS, method="post", kwargs=another_member, label="not blocked", member=NOT_FOUND,
        pending=APPLICATION_STATUS),
    row("member_unblock", MEMBERS, kwargs=a_blocked_member, label="get", member=NOT_ALLOWED,
        pending=APPLICATION_STATUS),
    # --- Directory (名簿): members search it; HR exports a search (pending members are kept to their application) ---
    row("directory", MEMBERS, pending=APPLICATION_STATUS),
    row("directory", MEMBERS, data={"q": "山田", "purposes": "mentor", "sort": "newest"}, label="search",
        pending=APPLICATION_STATUS),
    row("directory", MEMBERS, data={"joined_from": "2020", "joined_to": "2010", "page": "x"}, label="invalid",
        pending=APPLICATION_STATUS),
    row("directory_export_csv", ADMINS),
    row("directory_export_csv", ADMINS, data={"q": "山田", "member_type": "alumni"}, label="search"),
    row("directory_export_csv", ADMINS, data={"location": "XX"}, label="invalid", admin=Redirect("directory")),
    row("directory_export_xlsx", ADMINS),
    row("directory_export_xlsx", ADMINS, data={"location": "XX"}, label="invalid", admin=Redirect("directory")),

    # --- Events: members see those for their audience; hosts and staff (admins, moderators) run them ---
    row("event_list", MEMBERS, pending=APPLICATION_STATUS),
    row("event_new", MEMBERS, pending=APPLICATION_STATUS, alumni=FORBIDDEN, employee=FORBIDDEN),
    row("event_new", MEMBERS, method="post", data={"title": ""}, label="invalid", pending=APPLICATION_STATUS,
        alumni=FORBIDDEN, employee=FORBIDDEN),
    row("event_detail", MEMBERS, kwargs=an_event, pending=APPLICATION_STATUS),
    row("event_detail", MEMBERS, kwargs=an_alumni_event, label="alumni only", pending=APPLICATION_STATUS,
        employee=NOT_FOUND),
    row("event_detail", MEMBERS, kwargs=MISSING, label="missing", member=NOT_FOUND, pending=APPLICATION_STATUS),
    row("event_edit", MEMBERS, kwargs=an_event, pending=APPLICATION_STATUS, alumni=FORBIDDEN, employee=FORBIDDEN),
    row("event_edit", MEMBERS, kwargs=an_alumni_event, label="alumni only", pending=APPLICATION_STATUS,
        alumni=FORBIDDEN, employee=NOT_FOUND),
    row("event_rsvp", MEMBERS, method="post", kwargs=an_event, member=Redirect("event_detail"),
        pending=APPLICATION_STATUS),
    row("event_rsvp", MEMBERS, kwargs=an_event, label="get", member=NOT_ALLOWED, pending=APPLICATION_STATUS),
    row("event_rsvp", MEMBERS, method="post", kwargs=an_alumni_event, label="alumni only",
        member=Redirect("event_detail"), employee=NOT_FOUND, pending=APPLICATION_STATUS),
    row("event_cancel", MEMBERS, method="post", kwargs=an_event, member=Redirect("event_detail"),
        pending=APPLICATION_STATUS),
    row("event_feedback", MEMBERS, method="post", kwargs=a_past_event, data={"rating": "5"},
        member=Redirect("event_detail"), pending=APPLICATION_STATUS),
    row("event_ics", MEMBERS, kwargs=an_event, pending=APPLICATION_STATUS),
    row("event_ics", MEMBERS, kwargs=an_alumni_event, label="alumni only", employee=NOT_FOUND,
        pending=APPLICATION_STATUS),
    row("event_cover", MEMBERS, kwargs=an_event_with_a_cover, pending=APPLICATION_STATUS),
    row("event_cover", MEMBERS, kwargs=an_event, label="no cover", member=NOT_FOUND, pending=APPLICATION_STATUS),
    row("event_photo", MEMBERS, kwargs=a_report_photo, pending=APPLICATION_STATUS),
    row("event_checkin", MEMBERS, kwargs=an_event, pending=APPLICATION_STATUS, alumni=FORBIDDEN,
        employee=FORBIDDEN),
    row("event_checkin", MEMBERS, method="post", kwargs=an_event, data={"code": "ABCDEFGHJK"}, label="unknown code",
        member=NOT_FOUND, pending=APPLICATION_STATUS, alumni=FORBIDDEN, employee=FORBIDDEN),
    row("event_walk_in", MEMBERS, method="post", kwargs=an_event, data={"name": "当日 参加"},
        pending=APPLICATION_STATUS, alumni=FORBIDDEN, employee=FORBIDDEN),
    row("event_walk_in", MEMBERS, kwargs=an_event, label="get", member=NOT_ALLOWED, pending=APPLICATION_STATUS),
    row("event_report", MEMBERS, kwargs=a_past_event, pending=APPLICATION_STATUS, alumni=FORBIDDEN,
        employee=FORBIDDEN),
    row("event_calendar", MEMBERS, pending=APPLICATION_STATUS),
    row("event_calendar_reset", MEMBERS, method="post", member=Redirect("event_calendar"),
        pending=APPLICATION_STATUS),
    row("event_calendar_reset", MEMBERS, label="get", member=NOT_ALLOWED, pending=APPLICATION_STATUS),
    # Calendar apps cannot sign in: the secret address is the key.
    row("event_calendar_feed", PUBLIC, kwargs=a_calendar_token, pending=APPLICATION_STATUS),
    row("event_calendar_feed", everyone(NOT_FOUND), kwargs={"token": "not-a-token"}, label="unknown",
        pending=APPLICATION_STATUS),
    row("event_export_csv", ADMINS, kwargs=an_event),
    row("event_export_csv", ADMINS, kwargs=MISSING, label="missing", admin=NOT_FOUND),
    row("event_export_xlsx", ADMINS, kwargs=an_event),
    row("event_figures", ADMINS),

    # --- Chat: a conversation exists only for those who take part in it (everyone else gets 404) ---
    row("chat_list", MEMBERS, pending=APPLICATION_STATUS),
    row("chat_new", MEMBERS, pending=APPLICATION_STATUS),
    row("chat_new", MEMBERS, method="post", data={"people": "987654"}, label="nobody chosen",
        pending=APPLICATION_STATUS),
    row("chat_candidates", MEMBERS, data={"q": "別人"}, pending=APPLICATION_STATUS),
    row("chat_settings", MEMBERS, pending=APPLICATION_STATUS),
    row("chat_settings", MEMBERS, method="post", data={"starters": "talked"}, label="save",
        member=Redirect("chat_settings"), pending=APPLICATION_STATUS),
    row("chat_start", MEMBERS, method="post", kwargs=another_member, member=Redirect("chat_conversation"),
        pending=APPLICATION_STATUS),
    row("chat_start", MEMBERS, method="post", kwargs=a_blocking_member, label="blocking", member=NOT_FOUND,
        pending=APPLICATION_STATUS, **staff(Redirect("chat_conversation"))),
    row("chat_start", MEMBERS, kwargs=another_member, label="get", member=NOT_ALLOWED, pending=APPLICATION_STATUS),
    # Attendees join the event's conversation once its hosts (or staff) started it.
    row("chat_event", MEMBERS, method="post", kwargs=lambda c: {"event_pk": _event().pk},
        member=Redirect("event_detail"), pending=APPLICATION_STATUS, **staff(Redirect("chat_conversation"))),
    row("chat_group", MEMBERS, method="post", kwargs=own_group_club, member=Redirect("chat_conversation"),
        pending=APPLICATION_STATUS),
    row("chat_group", MEMBERS, method="post", kwargs=others_group_club, label="not a member",
        member=Redirect("group_detail"), pending=APPLICATION_STATUS),
    row("chat_conversation", MEMBERS, kwargs=own_conversation, pending=APPLICATION_STATUS),
    row("chat_conversation", MEMBERS, kwargs=others_conversation, label="others'", member=NOT_FOUND,
        pending=APPLICATION_STATUS),
    row("chat_send", MEMBERS, method="post", kwargs=own_conversation, data={"text": "こんにちは"},
        member=Redirect("chat_conversation"), pending=APPLICATION_STATUS),
    row("chat_send", MEMBERS, method="post", kwargs=others_conversation, data={"text": "こんにちは"},
        label="others'", member=NOT_FOUND, pending=APPLICATION_STATUS),
    row("chat_after", MEMBERS, kwargs=own_conversation, pending=APPLICATION_STATUS),
    row("chat_after", MEMBERS, kwargs=others_conversation, label="others'", member=NOT_FOUND,
        pending=APPLICATION_STATUS),
    row("chat_before", MEMBERS, kwargs=own_conversation, pending=APPLICATION_STATUS),
    row("chat_before", MEMBERS, kwargs=others_conversation, label="others'", member=NOT_FOUND,
        pending=APPLICATION_STATUS),
    row("chat_read", MEMBERS, method="post", kwargs=own_conversation, data={"id": "1"}, member=204,
        pending=APPLICATION_STATUS),
    row("chat_search", MEMBERS, kwargs=own_conversation, data={"q": "こんにちは"}, pending=APPLICATION_STATUS),
    row("chat_search", MEMBERS, kwargs=others_conversation, data={"q": "こんにちは"}, label="others'",
        member=NOT_FOUND, pending=APPLICATION_STATUS),
    row("chat_people", MEMBERS, kwargs=own_group, pending=APPLICATION_STATUS),
    row("chat_people", MEMBERS, kwargs=others_conversation, label="others'", member=NOT_FOUND,
        pending=APPLICATION_STATUS),
    row("chat_add", MEMBERS, method="post", kwargs=own_group, data=a_new_person, member=Redirect("chat_people"),
        pending=APPLICATION_STATUS),
    row("chat_remove", MEMBERS, method="post", kwargs=own_group_and_someone, member=Redirect("chat_people"),
        pending=APPLICATION_STATUS),
    row("chat_leave", MEMBERS, method="post", kwargs=own_group, member=Redirect("chat_list"),
        pending=APPLICATION_STATUS),
    row("chat_rename", MEMBERS, method="post", kwargs=own_group, data={"title": "同期会"},
        member=Redirect("chat_people"), pending=APPLICATION_STATUS),
    row("chat_mute", MEMBERS, method="post", kwargs=own_conversation, data={"muted": "1"},
        member=Redirect("chat_conversation"), pending=APPLICATION_STATUS),
    row("chat_edit", MEMBERS, kwargs=own_message, pending=APPLICATION_STATUS),
    row("chat_edit", MEMBERS, kwargs=others_message, label="another's", member=FORBIDDEN,
        pending=APPLICATION_STATUS),
    row("chat_delete", MEMBERS, method="post", kwargs=own_message, member=Redirect("chat_conversation"),
        pending=APPLICATION_STATUS),
    row("chat_delete", MEMBERS, method="post", kwargs=others_message, label="another's", member=FORBIDDEN,
        pending=APPLICATION_STATUS),
    row("chat_attachment", MEMBERS, kwargs=an_attachment, pending=APPLICATION_STATUS),
    row("chat_attachment", MEMBERS, kwargs=others_attachment, label="others'", member=NOT_FOUND,
        pending=APPLICATION_STATUS),

    # --- Admin: home, settings, audit log, outbox ---
    row("admin_home", ADMINS),
    row("settings_general", ADMINS),
    row("settings_registration", ADMINS),
    row("settings_eligibility", ADMINS),
    row("company_list", ADMINS),
    row("company_list", ADMINS, method="post", data={"name": "絆商事", "name_kana": "きずなしょうじ"}, label="add",
        admin=Redirect("company_list")),
    row("company_edit", ADMINS, kwargs=a_company),
    row("company_edit", ADMINS, kwargs=MISSING, label="missing", admin=NOT_FOUND),
    row("company_delete", ADMINS, kwargs=a_company),
    row("company_delete", ADMINS, method="post", kwargs=a_company, admin=Redirect("company_list")),
    row("company_delete", ADMINS, method="post", kwargs=MISSING, label="missing", admin=NOT_FOUND),
    row("department_list", ADMINS),
    row("department_new", ADMINS),
    row("department_new", ADMINS, method="post", data={"name": "開発本部"}, admin=Redirect("department_list")),
    row("department_edit", ADMINS, kwargs=a_department),
    row("department_edit", ADMINS, kwargs=MISSING, label="missing", admin=NOT_FOUND),
    row("department_delete", ADMINS, kwargs=a_department),
    row("department_delete", ADMINS, method="post", kwargs=a_department, admin=Redirect("department_list")),
    row("department_delete", ADMINS, method="post", kwargs=MISSING, label="missing", admin=NOT_FOUND),
    row("settings_profiles", ADMINS),
    row("settings_profiles", ADMINS, method="post", data=profile_rules, admin=Redirect("settings_profiles")),
    row("custom_field_list", ADMINS),
    row("custom_field_new", ADMINS),
    row("custom_field_new", ADMINS, method="post", data=CUSTOM_FIELD, admin=Redirect("custom_field_list")),
    row("custom_field_edit", ADMINS, kwargs=a_custom_field),
    row("custom_field_edit", ADMINS, method="post", kwargs=a_custom_field, data=CUSTOM_FIELD,
        admin=Redirect("custom_field_list")),
    row("custom_field_edit", ADMINS, kwargs=MISSING, label="missing", admin=NOT_FOUND),
    row("custom_field_delete", ADMINS, kwargs=a_custom_field),
    row("custom_field_delete", ADMINS, method="post", kwargs=a_custom_field, admin=Redirect("custom_field_list")),
    row("custom_field_delete", ADMINS, method="post", kwargs=MISSING, label="missing", admin=NOT_FOUND),
    row("audit_log", ADMINS),
    row("audit_export", ADMINS),
    row("outbox", ADMINS),
    row("outbox_detail", ADMINS, kwargs=an_outbox_email),
    row("outbox_detail", ADMINS, kwargs=MISSING, label="missing", admin=NOT_FOUND),

    # --- Admin: members ---
    row("member_list", ADMINS),
    row("member_detail", ADMINS, kwargs=another_member),
    row("member_detail", ADMINS, kwargs=MISSING, label="missing", admin=NOT_FOUND),
    row("member_detail", ADMINS, kwargs=a_withdrawn_member, label="withdrawn", admin=NOT_FOUND),
    row("member_change_role", ADMINS, method="post", kwargs=another_member, data={"role": "moderator"},
        admin=Redirect("member_detail")),
    row("member_change_role", ADMINS, kwargs=another_member, label="get", admin=NOT_ALLOWED),
    row("member_change_role", ADMINS, method="post", kwargs=MISSING, data={"role": "moderator"}, label="missing",
        admin=NOT_FOUND),
    row("member_suspend", ADMINS, method="post", kwargs=another_member, admin=Redirect("member_detail")),
    row("member_suspend", ADMINS, kwargs=another_member, label="get", admin=NOT_ALLOWED),
    row("member_suspend", ADMINS, method="post", kwargs=a_withdrawn_member, label="withdrawn", admin=NOT_FOUND),
    row("member_reactivate", ADMINS, method="post", kwargs=another_member, admin=Redirect("member_detail")),
    row("member_reactivate", ADMINS, kwargs=another_member, label="get", admin=NOT_ALLOWED),
    row("member_withdraw", ADMINS, kwargs=another_member),
    row("member_withdraw", ADMINS, method="post", kwargs=another_member,
        data={"reason": "2025-04-01 メールで受付", "confirm": "on"}, admin=Redirect("member_list")),
    row("member_withdraw", ADMINS, kwargs=a_withdrawn_member, label="withdrawn", admin=NOT_FOUND),

    # --- Admin: invitations and applications ---
    row("invitation_list", ADMINS),
    row("invitation_list", ADMINS, method="post", data=lambda c: {"invite_one": str(a_leaver_record(c)["pk"])},
        label="invite", admin=Redirect("invitation_list")),
    row("invitation_batch", ADMINS, kwargs=an_invitation_batch),
    row("invitation_batch", ADMINS, kwargs=MISSING, label="missing", admin=NOT_FOUND),
    row("invitation_resend", ADMINS, method="post", kwargs=an_invitation_id, admin=Redirect("invitation_list")),
    row("invitation_resend", ADMINS, kwargs=an_invitation_id, label="get", admin=NOT_ALLOWED),
    row("invitation_resend", ADMINS, method="post", kwargs=MISSING, label="missing", admin=NOT_FOUND),
    row("invitation_revoke", ADMINS, method="post", kwargs=an_invitation_id, data=ELSEWHERE,
        admin=Redirect("invitation_list")),
    row("invitation_revoke", ADMINS, kwargs=an_invitation_id, label="get", admin=NOT_ALLOWED),
    row("application_list", ADMINS),
    row("application_detail", ADMINS, kwargs=an_application),
    row("application_detail", ADMINS, kwargs=MISSING, label="missing", admin=NOT_FOUND),
    row("application_approve", ADMINS, method="post", kwargs=a_confirmed_application,
        admin=Redirect("application_list")),
    row("application_approve", ADMINS, method="post", kwargs=an_application, label="unconfirmed email",
        admin=BAD_REQUEST),
    row("application_approve", ADMINS, kwargs=an_application, label="get", admin=NOT_ALLOWED),
    row("application_reject", ADMINS, method="post", kwargs=an_application, data={"message": "見送ります。"},
        admin=Redirect("application_list")),
    row("application_reject", ADMINS, method="post", kwargs=MISSING, data={"message": "見送ります。"},
        label="missing", admin=NOT_FOUND),

    # --- Admin: HR leaver records and imports ---
    row("leaver_list", ADMINS),
    row("leaver_detail", ADMINS, kwargs=a_leaver_record),
    row("leaver_detail", ADMINS, kwargs=MISSING, label="missing", admin=NOT_FOUND),
    row("leaver_set_excluded", ADMINS, method="post", kwargs=a_leaver_record, data={"excluded": "1"},
        admin=Redirect("leaver_detail")),
    row("leaver_set_excluded", ADMINS, kwargs=a_leaver_record, label="get", admin=NOT_ALLOWED),
    row("leaver_set_excluded", ADMINS, method="post", kwargs=MISSING, data={"excluded": "1"}, label="missing",
        admin=NOT_FOUND),
    row("import_list", ADMINS),
    row("import_new", ADMINS),
    row("import_new", ADMINS, method="post", label="without a file"),
    row("import_detail", ADMINS, kwargs=an_import_job),
    row("import_detail", ADMINS, kwargs=MISSING, label="missing", admin=NOT_FOUND),
    row("import_detail_partial", ADMINS, kwargs=an_import_job),
    row("import_apply", ADMINS, method="post", kwargs=an_import_job, admin=Redirect("import_detail")),
    row("import_apply", ADMINS, kwargs=an_import_job, label="get", admin=NOT_ALLOWED),
    row("import_apply", ADMINS, method="post", kwargs=MISSING, label="missing", admin=NOT_FOUND),
    row("import_errors_csv", ADMINS, kwargs=an_import_job),

    # --- Jobs: postings, applications, casual talks, referrals, return intention (members) ---
    row("job_list", JOBS),
    row("job_list", JOBS, data={"q": "エンジニア", "kind": "rehire"}, label="search"),
    row("job_detail", JOBS, kwargs=a_posting),
    row("job_detail", JOBS, kwargs=an_alumni_posting, label="alumni only", employee=NOT_FOUND, moderator=NOT_FOUND),
    row("job_detail", JOBS, kwargs=a_draft_posting, label="draft", member=NOT_FOUND),
    row("job_apply", JOBS, method="post", kwargs=a_posting, data={"message": "よろしくお願いします。"},
        member=Redirect("my_jobs")),
    row("job_apply", JOBS, kwargs=a_posting, label="get", member=NOT_ALLOWED),
    row("job_refer", JOBS, kwargs=a_posting),
    row("job_refer", JOBS, kwargs=MISSING, label="missing", member=NOT_FOUND),
    row("my_jobs", JOBS),
    row("job_intention", JOBS, method="post", data={"want": "maybe", "can": "later"}, member=Redirect("my_jobs")),
    row("job_application_withdraw", JOBS, method="post", kwargs=own_job_application, member=Redirect("my_jobs")),
    row("job_application_withdraw", JOBS, method="post", kwargs=others_job_application, label="another's",
        member=NOT_FOUND),
    row("job_application_withdraw", JOBS, kwargs=own_job_application, label="get", member=NOT_ALLOWED),
    row("job_application_cv", JOBS, kwargs=own_job_application),
    # HR opens every CV; an admin without two-factor authentication is not HR yet.
    row("job_application_cv", JOBS, kwargs=others_job_application, label="another's", member=NOT_FOUND, admin=OK),
    row("talks", JOBS),
    row("talk_new", JOBS),
    row("talk_new", JOBS, data={"host": "987654"}, label="unknown host", member=NOT_FOUND),
    row("talk_detail", JOBS, kwargs=own_talk),
    row("talk_detail", JOBS, kwargs=others_talk, label="another's", member=NOT_FOUND, admin=OK),
    row("talk_detail", JOBS, kwargs=MISSING, label="missing", member=NOT_FOUND),
    row("talk_answer", JOBS, method="post", kwargs=others_talk, data=a_talk_answer, member=NOT_FOUND,
        admin=Redirect("talk_detail")),
    row("talk_answer", JOBS, kwargs=others_talk, label="get", member=NOT_ALLOWED),
    row("talk_accept", JOBS, method="post", kwargs=own_talk, member=Redirect("talk_detail")),
    row("talk_accept", JOBS, method="post", kwargs=others_talk, label="another's", member=NOT_FOUND),
    row("talk_cancel", JOBS, method="post", kwargs=own_talk, member=Redirect("talk_detail")),
    row("talk_cancel", JOBS, method="post", kwargs=others_talk, label="another's", member=NOT_FOUND,
        admin=Redirect("talk_detail")),
    row("hosting", JOBS),
    row("hosting", JOBS, method="post", data={"intro": "開発チームの今", "active": "on"}, label="offer",
        member=Redirect("hosting"), alumni=OK),
    row("notifications_preferences", MEMBERS),
    row("notifications_preferences", MEMBERS, method="post", data={"jobs": "weekly"}, label="save",
        member=Redirect("notifications_preferences")),
    # The link in an email works for whoever holds it, signed in or not (RFC 8058 one-click POST too).
    row("notifications_unsubscribe", PUBLIC, kwargs=an_unsubscribe_link),
    row("notifications_unsubscribe", PUBLIC, method="post", kwargs=an_unsubscribe_link, label="one-click"),
    row("notifications_unsubscribe", everyone(NOT_FOUND), kwargs={"token": "forged"}, label="forged"),

    # --- Jobs: HR ---
    row("hr_postings", ADMINS),
    row("hr_posting_new", ADMINS),
    row("hr_posting_new", ADMINS, method="post", data=POSTING, label="save", admin=Redirect("hr_postings")),
    row("hr_posting_edit", ADMINS, kwargs=a_posting),
    row("hr_posting_edit", ADMINS, kwargs=MISSING, label="missing", admin=NOT_FOUND),
    row("hr_pipeline", ADMINS),
    row("hr_pipeline", ADMINS, data={"view": "list", "stage": "new"}, label="list"),
    row("hr_application_detail", ADMINS, kwargs=others_job_application),
    row("hr_application_detail", ADMINS, kwargs=MISSING, label="missing", admin=NOT_FOUND),
    row("hr_application_move", ADMINS, method="post", kwargs=others_job_application, data={"stage": "screening"},
        admin=Redirect("hr_application_detail")),
    row("hr_application_move", ADMINS, kwargs=others_job_application, label="get", admin=NOT_ALLOWED),
    row("hr_application_note", ADMINS, method="post", kwargs=others_job_application, data={"note": "面接日程を調整"},
        admin=Redirect("hr_application_detail")),
    row("hr_application_note", ADMINS, method="post", kwargs=MISSING, data={"note": "x"}, label="missing",
        admin=NOT_FOUND),
    row("hr_rehires", ADMINS),
    row("hr_talks", ADMINS),
    row("hr_referrals", ADMINS),
    row("hr_referral_move", ADMINS, method="post", kwargs=a_referral, data={"status": "contacted"},
        admin=Redirect("hr_referrals")),
    row("hr_referral_move", ADMINS, kwargs=a_referral, label="get", admin=NOT_ALLOWED),
    row("hr_referral_erase", ADMINS, method="post", kwargs=a_referral, admin=Redirect("hr_referrals")),
    row("hr_referral_erase", ADMINS, kwargs=a_referral, label="get", admin=NOT_ALLOWED),
    row("hr_intentions", ADMINS),
    row("hr_intentions", ADMINS, data={"want": "yes", "can": "later"}, label="quadrant"),
    row("hr_intentions", ADMINS, method="post", data={"ask_again_months": "12"}, label="setting",
        admin=Redirect("hr_intentions")),

    # --- HTTP API (a browser session here; tokens are covered in tests/api) ---
    # --- Groups ---
    row("group_list", JOBS),
    row("group_list", JOBS, data={"q": "勉強会", "kind": "interest", "show": "mine"}, label="search"),
    row("group_new", JOBS),
    row("group_new", JOBS, method="post", data=a_new_group, member=Redirect("group_detail")),
    row("group_detail", JOBS, kwargs=a_group),
    row("group_detail", JOBS, kwargs=a_secret_group, label="secret", member=NOT_FOUND, admin=OK,
        admin_without_totp=OK),
    row("group_detail", JOBS, kwargs={"slug": "missing"}, label="missing", member=NOT_FOUND),
    row("group_members", JOBS, kwargs=a_group),
    row("group_members", JOBS, kwargs=a_closed_group, label="closed", member=FORBIDDEN, admin=OK,
        admin_without_totp=OK),
    row("group_members", JOBS, kwargs=a_secret_group, label="secret", member=NOT_FOUND, admin=OK,
        admin_without_totp=OK),
    row("group_join", JOBS, method="post", kwargs=a_secret_group, label="secret", member=NOT_FOUND,
        admin=Redirect("group_detail"), admin_without_totp=Redirect("group_detail")),
    row("group_join", JOBS, method="post", kwargs=a_group, member=Redirect("group_detail")),
    row("group_join", JOBS, kwargs=a_group, label="get", member=NOT_ALLOWED),
    row("group_leave", JOBS, method="post", kwargs=a_group, member=Redirect("group_detail")),
    row("group_decline_invitation", JOBS, method="post", kwargs=a_group, member=Redirect("group_list")),
    row("group_edit", JOBS, kwargs=a_group, member=FORBIDDEN, admin=OK, admin_without_totp=OK),
    row("group_manage", JOBS, kwargs=a_group, member=FORBIDDEN, admin=OK, admin_without_totp=OK),
    row("group_manage", JOBS, kwargs=a_secret_group, label="secret", member=NOT_FOUND, admin=OK,
        admin_without_totp=OK),
    row("group_manage", JOBS, kwargs=a_group_the_requester_manages, label="group admin"),
    row("group_edit", JOBS, kwargs=a_department_group_the_requester_manages, label="department group admin"),
    row("group_invite", JOBS, method="post", kwargs=a_group, data={"member": "987654"}, member=FORBIDDEN,
        admin=Redirect("group_manage"), admin_without_totp=Redirect("group_manage")),
    row("group_decide", JOBS, method="post", kwargs=a_join_request, data={"decision": "approve"},
        member=FORBIDDEN, admin=Redirect("group_manage"), admin_without_totp=Redirect("group_manage")),
    row("group_member_role", JOBS, method="post", kwargs=a_group_member, data={"role": "admin"},
        member=FORBIDDEN, admin=Redirect("group_manage"), admin_without_totp=Redirect("group_manage")),
    row("group_member_remove", JOBS, method="post", kwargs=a_group_member, member=FORBIDDEN,
        admin=Redirect("group_manage"), admin_without_totp=Redirect("group_manage")),
    row("group_delete", JOBS, method="post", kwargs=a_group, member=FORBIDDEN, admin=Redirect("group_list"),
        admin_without_totp=Redirect("group_list")),
    row("group_policy", ADMINS),
    row("group_policy", ADMINS, method="post", data={"members_may_create": "on"}, admin=Redirect("group_policy")),

    # --- Moderation ---
    row("report", JOBS, kwargs=others_profile),
    row("report", JOBS, method="post", kwargs=others_profile, data={"reason": "spam"},
        member=Redirect("member_profile")),
    row("report", JOBS, kwargs={"kind": "nothing", "object_id": 1}, label="unknown kind", member=NOT_FOUND),
    row("moderation_queue", MODERATORS),
    row("moderation_queue", MODERATORS, data={"state": "held", "kind": "profile"}, label="filtered"),
    row("moderation_item", MODERATORS, kwargs=a_moderation_item),
    row("moderation_item", for_moderators(Redirect("moderation_queue")), method="post", kwargs=a_moderation_item,
        data={"outcome": "dismiss", "reason": ""}),
    row("moderation_item", for_moderators(NOT_FOUND), kwargs=MISSING, label="missing"),
    row("moderation_item", for_moderators(NOT_FOUND), kwargs=an_item_about_the_requester, label="about oneself"),
    row("moderation_words", MODERATORS),
    row("moderation_words", for_moderators(Redirect("moderation_words")), method="post", data={"word": "マルチ商法"}),
    row("moderation_word_remove", for_moderators(Redirect("moderation_words")), method="post", kwargs=a_word),
    # --- Feed and the bell ---
    row("feed", JOBS),
    row("feed", JOBS, data={"view": "latest", "cursor": "2-1900000000-0-0"}, label="next page"),
    row("feed_post_new", JOBS),
    row("feed_post_new", JOBS, method="post", data={"body": "こんにちは", "audience": "network"}, label="post",
        member=Redirect("feed")),
    row("feed_settings", JOBS),
    row("feed_settings", JOBS, method="post", data={"share_moves": "on"}, label="save",
        member=Redirect("feed_settings")),
    row("feed_mentions", JOBS, data={"q": "山田"}),
    row("feed_post", JOBS, kwargs=a_post),
    row("feed_post", JOBS, kwargs=an_alumni_post, label="alumni only", employee=NOT_FOUND, moderator=NOT_FOUND),
    row("feed_post", JOBS, kwargs=MISSING, label="missing", member=NOT_FOUND),
    row("feed_post", JOBS, kwargs=own_hidden_post, label="own, hidden by moderators"),
    row("feed_post", JOBS, kwargs=a_hidden_post, label="another's, hidden by moderators", member=NOT_FOUND),
    row("feed_post_edit", JOBS, kwargs=own_post),
    row("feed_post_edit", JOBS, kwargs=a_post, label="another's", member=NOT_FOUND),
    row("feed_post_delete", JOBS, method="post", kwargs=own_post, member=Redirect("feed")),
    row("feed_post_delete", JOBS, method="post", kwargs=a_post, label="another's", member=NOT_FOUND),
    row("feed_post_delete", JOBS, method="post", kwargs=own_hidden_post, label="own, hidden by moderators",
        member=Redirect("feed")),
    row("feed_post_delete", JOBS, method="post", kwargs=a_hidden_post, label="another's, hidden by moderators",
        member=NOT_FOUND),
    row("feed_post_image", JOBS, kwargs=a_post_with_image),
    row("feed_post_image", JOBS, kwargs=a_post, label="no image", member=NOT_FOUND),
    row("feed_reply_new", JOBS, method="post", kwargs=a_post, data={"body": "おめでとう"},
        member=Redirect("feed_post")),
    row("feed_reply_new", JOBS, kwargs=a_post, label="get", member=NOT_ALLOWED),
    row("feed_react", JOBS, method="post", kwargs=a_post, data={"kind": "like"}, member=Redirect("feed_post")),
    row("feed_reply_edit", JOBS, kwargs=own_reply),
    row("feed_reply_edit", JOBS, kwargs=others_reply, label="another's", member=NOT_FOUND),
    row("feed_reply_delete", JOBS, method="post", kwargs=own_reply, member=Redirect("feed_post")),
    row("feed_reply_delete", JOBS, method="post", kwargs=others_reply, label="another's", member=NOT_FOUND),
    row("feed_reply_delete", JOBS, method="post", kwargs=own_hidden_reply, label="own, hidden by moderators",
        member=Redirect("feed_post")),
    row("feed_reply_delete", JOBS, method="post", kwargs=others_hidden_reply,
        label="another's, hidden by moderators", member=NOT_FOUND),
    row("feed_reply_edit", JOBS, kwargs=own_hidden_reply, label="own, hidden by moderators", member=NOT_FOUND),
    row("feed_official", JOBS, alumni=FORBIDDEN, employee=FORBIDDEN),
    row("feed_official_new", JOBS, alumni=FORBIDDEN, employee=FORBIDDEN),
    row("feed_official_new", JOBS, method="post", data=NEW_OFFICIAL, label="publish", alumni=FORBIDDEN,
        employee=FORBIDDEN, moderator=Redirect("feed_official"), admin=Redirect("feed_official"),
        admin_without_totp=Redirect("feed_official")),
    row("notifications_bell", JOBS),
    row("notifications_bell_count", JOBS),
    row("notifications_read_all", JOBS, method="post", member=Redirect("notifications_bell")),
    row("notifications_open", JOBS, kwargs=own_alert, member=Redirect("feed")),
    row("notifications_open", JOBS, kwargs=others_alert, label="another's", member=NOT_FOUND),
    row("api:feed", API_MEMBERS),
    row("api:posts_create", API_MEMBERS, method="post", data={"text": "APIから", "audience": "network"},
        content_type="application/json", member=CREATED),
    row("api:api-root", everyone(NOT_FOUND)),
    row("api:openapi-json", PUBLIC),
    row("api:openapi-view", PUBLIC),
    row("api:me", API_MEMBERS),
    row("api:me", API_MEMBERS, method="patch", data={"bio": "よろしく"}, content_type="application/json",
        label="patch"),
    row("api:members", API_MEMBERS),
    row("api:members", API_ADMINS, method="post", data=new_members, content_type="application/json", admin=CREATED),
    row("api:member", API_MEMBERS, kwargs=another_members_profile),
    row("api:member", API_MEMBERS, kwargs={"member_id": 987654}, label="missing", member=NOT_FOUND),
    row("api:events", API_MEMBERS),
    row("api:events_create", API_MEMBERS, method="post", data=a_new_api_event, content_type="application/json",
        member=CREATED, alumni=FORBIDDEN, employee=FORBIDDEN),
    row("api:event", API_MEMBERS, kwargs=an_api_event),
    row("api:event", API_MEMBERS, kwargs={"event_id": 987654}, label="missing", member=NOT_FOUND),
    row("api:event_rsvp", API_MEMBERS, method="post", kwargs=an_api_event, data={},
        content_type="application/json"),
    row("api:event_rsvp", API_MEMBERS, method="delete", kwargs=an_api_event, label="not registered",
        member=UNPROCESSABLE),
    row("api:groups", API_MEMBERS),
    row("api:groups", API_MEMBERS, data={"page": "0"}, label="invalid", member=BAD_REQUEST),
    row("api:group", API_MEMBERS, kwargs=a_group),
    row("api:group", API_MEMBERS, kwargs=a_secret_group, label="secret", member=NOT_FOUND, admin=OK,
        admin_without_totp=OK),
    row("api:conversations", API_MEMBERS),
    row("api:conversation_messages", API_MEMBERS, kwargs=lambda c: {"conversation_id": own_conversation(c)["pk"]}),
    row("api:conversation_messages", API_MEMBERS, kwargs=lambda c: {"conversation_id": others_conversation(c)["pk"]},
        label="others'", member=NOT_FOUND),
    row("api:conversation_send", API_MEMBERS, method="post", data={"text": "こんにちは"},
        kwargs=lambda c: {"conversation_id": own_conversation(c)["pk"]}, content_type="application/json",
        member=CREATED),
    row("api:stats", API_ADMINS),
    row("api:import_leavers", API_ADMINS, method="post", data=LEAVER_ROWS, content_type="application/json"),
    row("api:import_leavers", everyone(NOT_ALLOWED), label="get"),
    row("api:jobs", API_MEMBERS),
    row("api:jobs", API_MEMBERS, data={"kind": "x"}, label="invalid", member=BAD_REQUEST),
    row("api:applications", API_ADMINS),
    row("api:rehires", API_ADMINS),
    row("api_not_found", everyone(NOT_FOUND), kwargs={"path": "v2/me"}),
]

# Patterns without a row, and why. Everything else of the project's URLconf must have one.
NOT_IN_MATRIX = {
    "allauth.": "django-allauth's own account, email and two-factor views: allauth tests them; Kizuna's "
                "adapter, templates and rate limits are tested in tests/members and tests/core",
}


@pytest.mark.django_db
@pytest.mark.parametrize(("matrix_row", "role"), cases(MATRIX))
def test_permission_matrix(client, settings, matrix_row, role):
    settings.KIZUNA_ADMIN_MFA_REQUIRED = True  # as in production (the demo network relaxes it)
    settings.EMAIL_BACKEND = "kizuna.core.mail.OutboxBackend"  # the default mode: admins read the outbox
    user = user_for(role)
    if user is not None:
        client.force_login(user)
    response = matrix_row.request(client, Context(user))
    assert_outcome(response, matrix_row.expected[role])


def test_matrix_rows_are_unique():
    names = [r.name for r in MATRIX]
    assert len(names) == len(set(names)), "two rows test the same URL and method: give one a label"


def _patterns(resolver, namespace=""):
    """(view name, view module) of every URL pattern, with namespaces, e.g. ("api:me", "ninja.operation")."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, (namespace, pattern.namespace)))
            yield from _patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and ":".join(filter(None, (namespace, pattern.name)))
            yield name or str(pattern.pattern), getattr(pattern.callback, "__module__", "")


def test_every_url_has_a_row():
    """A new URL without a row fails here: add one to MATRIX (or a reason to NOT_IN_MATRIX)."""
    covered = {r.url for r in MATRIX}
    missing = [name for name, module in _patterns(get_resolver())
               if name not in covered and not module.startswith(tuple(NOT_IN_MATRIX))]
    assert not missing, f"URL patterns without a permission-matrix row (name unnamed ones): {missing}"
