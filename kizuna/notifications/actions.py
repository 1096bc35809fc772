"""Writes for notifications: preferences, unsubscribing, sending notices (at once or as a daily or weekly
digest) and the in-app bell.

Sending is idempotent: a `Notice` row per member and object is written in the same transaction as the
email, so a task that runs again skips everyone already told; an `Alert` (bell item) is unique the same way."""

import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kizuna.core.actions import audit, do_queue_emails
from kizuna.core.email import render_email, send_email
from kizuna.core.models import OutboxEmail

from .access import modes_for
from .categories import CATEGORIES
from .models import Alert, Mode, Notice, Preference

UNSUBSCRIBE_SALT = "kizuna.notifications.unsubscribe"
DIGEST_AFTER = {Mode.DAILY: datetime.timedelta(days=1), Mode.WEEKLY: datetime.timedelta(days=7)}


def check_preference(category, mode):
    if category not in CATEGORIES:
        raise ValidationError(_("Unknown notification category."))
    if mode not in CATEGORIES[category].modes:
        raise ValidationError(_("Choose how you want to be notified."))


def do_set_preference(user, category, mode, *, request=None):
    check_preference(category, mode)
    with transaction.atomic():
        Preference.objects.update_or_create(user=user, category=category, defaults={"mode": mode})
        if mode == Mode.OFF:  # nothing waits for a digest the member no longer wants
            Notice.objects.filter(user=user, category=category, emailed_at__isnull=True).delete()
        audit(user, "notifications.preference", user, detail={"category": category, "mode": mode}, request=request)


def unsubscribe_token(user, category):
    return signing.dumps([user.pk, category], salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(user, category):
    return settings.SITE_URL + reverse("notifications_unsubscribe", kwargs={"token": unsubscribe_token(user, category)})


def read_unsubscribe_token(token):
    """(user, category) of a link from one of our emails, or None. The link does not expire: an email
    read months later must still stop the next one."""
    from kizuna.members.models import State, User

    try:
        user_id, category = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    user = User.objects.filter(pk=user_id, state=State.ACTIVE).first()
    if user is None or category not in CATEGORIES:
        return None
    return user, category


def do_notify(category, key, users, *, template, context):
    """Tell `users` about one object (`key`) of `category`, each as they chose: an email now (`template`,
    `context` plus the member and an unsubscribe link), a line in their next daily or weekly digest, or
    nothing. Members already told about this object are skipped. Returns the number emailed now."""
    key = str(key)
    modes = modes_for(users, category)
    with transaction.atomic():
        told = set(Notice.objects.filter(category=category, key=key, user__in=users).values_list("user_id", flat=True))
        now = timezone.now()
        notices, mails = [], []
        for user in users:
            mode = modes[user.pk]
            if user.pk in told or mode == Mode.OFF or not user.email:
                continue
            instant = mode == Mode.INSTANT
            notices.append(Notice(user=user, category=category, key=key, emailed_at=now if instant else None,
                                  due_at=None if instant else now + DIGEST_AFTER[mode]))
            if instant:
                subject, body = render_email(template, {**context, "member": user,
                                                        "unsubscribe_url": unsubscribe_url(user, category)},
                                             user.language)
                mails.append(OutboxEmail(to=user.email, user=user, subject=subject, body_text=body))
        Notice.objects.bulk_create(notices)
        do_queue_emails(mails)
    return len(mails)


def do_send_due_digests(now=None):
    """Digests: a member with notices whose day (daily categories) or week (weekly ones) has passed gets
    them in one email (housekeeping runs this). Items no longer worth telling (a closed posting, a hidden
    post, one the member may no longer see) are left out."""
    from kizuna.members.models import State, User

    now = now or timezone.now()
    due = (Notice.objects.filter(emailed_at__isnull=True, due_at__lte=now)
           .values_list("user_id", flat=True).distinct())
    sent = 0
    for user in User.objects.filter(pk__in=list(due), state=State.ACTIVE):
        with transaction.atomic():
            waiting = list(Notice.objects.select_for_update().filter(user=user, emailed_at__isnull=True,
                                                                       due_at__lte=now))
            if not waiting:
                continue
            sections = []
            for key, category in CATEGORIES.items():
                keys = [notice.key for notice in waiting if notice.category == key]
                items = category.describe(user, keys) if keys else []
                if items:
                    sections.append({"label": category.label, "items": items,
                                     "unsubscribe_url": unsubscribe_url(user, key)})
            if sections:
                weekly = any(notice.due_at - notice.created_at > DIGEST_AFTER[Mode.DAILY] for notice in waiting)
                send_email(user.email, "notifications/email/digest",
                           {"member": user, "sections": sections, "weekly": weekly}, language=user.language)
                sent += 1
            Notice.objects.filter(pk__in=[notice.pk for notice in waiting]).update(emailed_at=now)
    return sent


def do_alert(users, category, key, *, text, url, actor=None):
    """Put one item in the bell of each of `users` (once per member, category and `key`). `text`: a string,
    or a callable giving it for one member (called in the member's language). `actor`: who caused it."""
    key = str(key)
    users = [user for user in users if user.is_member and (actor is None or user.pk != actor.pk)]
    if not users:
        return 0
    alerts = []
    for user in users:
        with translation.override(user.language or "ja"):
            alerts.append(Alert(user=user, actor=actor, category=category, key=key, url=url,
                                text=str(text(user) if callable(text) else text)[:300]))
    return len(Alert.objects.bulk_create(alerts, ignore_conflicts=True))


def do_withdraw_alerts(category, key):
    """Take back the bell items about an object that no longer exists or was hidden: those of `key` and of
    the keys under it (`post:5` takes `post:5:12` along, the reaction of member 12 to post 5)."""
    key = str(key)
    Alert.objects.filter(Q(key=key) | Q(key__startswith=f"{key}:"), category=category).delete()


def do_mark_alerts_read(user, pks=None):
    """Mark the member's unread bell items read: those given, or all of them."""
    unread = Alert.objects.filter(user=user, read_at__isnull=True)
    if pks is not None:
        unread = unread.filter(pk__in=pks)
    return unread.update(read_at=timezone.now())


def forget_member(sender, member, **kwargs):
    """member_withdrawing: preferences, notices and bell items go with the member, and so do the items
    about what the member did (their name is in the text)."""
    Preference.objects.filter(user=member).delete()
    Notice.objects.filter(user=member).delete()
    Alert.objects.filter(Q(user=member) | Q(actor=member)).delete()
