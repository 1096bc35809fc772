"""The only place that writes moderation data: reports, holds, moderators' decisions and the word list.

The reported member is told what was decided and why, never who reported. Reporters are told that their
report was handled, never what happened to the other member's account."""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.core.actions import audit
from kizuna.core.email import send_email
from kizuna.core.models import AuditLog
from kizuna.core.text import normalize
from kizuna.members.actions import do_suspend
from kizuna.members.models import Role, State

from . import registry
from .models import Item, Reason, Report, Word
from .ratelimit import check_rate

REPORTS_PER_HOUR = 20
WORDS_CACHE_KEY = "kizuna:moderation-words"
QUEUE_COUNT_CACHE_KEY = "kizuna:moderation-open"


def _drop_counts():
    cache.delete(QUEUE_COUNT_CACHE_KEY)


# --- Reports -------------------------------------------------------------------------------------

def check_report(reporter, obj, reason):
    """A member may report what they can see, once, with one of the listed reasons."""
    reportable = registry.for_object(obj)
    if reportable is None or not (reporter.is_authenticated and reporter.is_member):
        raise ValidationError(_("This cannot be reported."))
    if not reportable.visible_to(reporter, obj):
        raise ValidationError(_("This cannot be reported."))
    owner = reportable.owner(obj)
    if owner is not None and owner.pk == reporter.pk:
        raise ValidationError(_("You cannot report your own content."))
    if reason not in Reason.values:
        raise ValidationError({"reason": _("Please choose a reason.")})
    if Report.objects.filter(reporter=reporter, kind=reportable.kind, object_id=obj.pk).exists():
        raise ValidationError(_("You have already reported this. The moderators will look at it."))
    return reportable


def do_report(reporter, obj, reason, note="", *, request=None):
    """Record a report; the object joins the queue (or its open item, whose count grows)."""
    reportable = check_report(reporter, obj, reason)
    check_rate(reporter, "report", limit=REPORTS_PER_HOUR, per_seconds=3600)
    with transaction.atomic():
        item = _open_item(reportable, obj, Item.State.REPORTED)
        try:
            with transaction.atomic():  # a double click: the first report got in since check_report
                report = Report.objects.create(item=item, kind=reportable.kind, object_id=obj.pk,
                                               reporter=reporter, reason=reason, note=note.strip()[:1000])
        except IntegrityError:
            raise ValidationError(_("You have already reported this. The moderators will look at it.")) from None
        item.report_count += 1
        item.save(update_fields=["report_count", "updated_at"])
        # The audit entry names the object, not the reporter's words: moderators read those in the queue.
        audit(reporter, "moderation.report", item, request=request, detail={"kind": reportable.kind, "reason": reason})
        transaction.on_commit(_drop_counts)
    return report


def _open_item(reportable, obj, state):
    """The object's open queue item (locked), created in `state` if there is none."""
    open_items = Item.objects.select_for_update().filter(kind=reportable.kind, object_id=obj.pk).exclude(
        state=Item.State.RESOLVED)
    item = open_items.first()
    if item is None:
        try:
            with transaction.atomic():
                item = Item.objects.create(kind=reportable.kind, object_id=obj.pk, owner=reportable.owner(obj),
                                           state=state)
        except IntegrityError:  # another report (or hold) opened the item meanwhile: join it
            item = open_items.get()
    return item


# --- The word list -------------------------------------------------------------------------------

def _word_keys():
    keys = cache.get(WORDS_CACHE_KEY)
    if keys is None:
        keys = dict(Word.objects.values_list("key", "word"))
        cache.set(WORDS_CACHE_KEY, keys, 300)
    return keys


def screen(text) -> list[str]:
    """Words of HR's list found in `text`, compared after Japanese folding (width, kana, case, spaces)."""
    folded = normalize(text)
    if not folded:
        return []
    return [word for key, word in _word_keys().items() if key in folded]


def do_hold(obj, words):
    """Hide an object whose text matched the word list until a moderator approves it."""
    reportable = registry.for_object(obj)
    if reportable is None:
        raise ValueError(f"{type(obj).__name__} is not registered as reportable")
    with transaction.atomic():
        if reportable.set_hidden is not None:
            reportable.set_hidden(obj, True)
        item = _open_item(reportable, obj, Item.State.HELD)
        item.held_words = sorted(set(item.held_words) | set(words))
        if item.state == Item.State.REPORTED:
            item.state = Item.State.HELD
        item.save(update_fields=["held_words", "state", "updated_at"])
        audit(None, "moderation.hold", item, detail={"kind": reportable.kind, "words": item.held_words})
        transaction.on_commit(_drop_counts)
    return item


def check_word(word):
    key = normalize(word)
    if not key:
        raise ValidationError({"word": _("Please enter a word or phrase.")})
    if len(word.strip()) > 100:
        raise ValidationError({"word": _("Please keep a word or phrase under 100 characters.")})
    if Word.objects.filter(key=key).exists():
        raise ValidationError({"word": _("This word is already on the list.")})
    return key


def do_add_word(actor, word, *, request=None):
    key = check_word(word)
    with transaction.atomic():
        entry = Word.objects.create(word=word.strip(), key=key, created_by=actor)
        audit(actor, "moderation.word_add", entry, request=request)
    cache.delete(WORDS_CACHE_KEY)
    return entry


def do_remove_word(actor, entry, *, request=None):
    with transaction.atomic():
        audit(actor, "moderation.word_remove", entry, request=request)
        entry.delete()
    cache.delete(WORDS_CACHE_KEY)


# --- Moderators' decisions -----------------------------------------------------------------------

# Outcome → whether the owner is emailed the reason. A dismissed report is not mentioned to the owner:
# telling them would tell them someone reported them.
TELLS_OWNER = {Item.Outcome.HIDDEN: True, Item.Outcome.REMOVED: True, Item.Outcome.WARNED: True,
               Item.Outcome.SUSPENDED: True, Item.Outcome.APPROVED: True, Item.Outcome.DISMISSED: False}
CONTENT_OUTCOMES = {Item.Outcome.HIDDEN, Item.Outcome.REMOVED, Item.Outcome.APPROVED}  # the rest are about the person


def available_outcomes(item, reportable=None):
    """The decisions that make sense for this item (e.g. approve only for held items)."""
    reportable = reportable or registry.get(item.kind)
    if not item.is_open:
        return []
    outcomes = []
    if reportable.set_hidden is not None:
        outcomes.append(Item.Outcome.HIDDEN)
    if reportable.remove is not None:
        outcomes.append(Item.Outcome.REMOVED)
    if item.owner_id is not None:
        outcomes += [Item.Outcome.WARNED, Item.Outcome.SUSPENDED]
    outcomes.append(Item.Outcome.APPROVED if item.state == Item.State.HELD else Item.Outcome.DISMISSED)
    return outcomes


def check_moderate(moderator, item, outcome, reason):
    if not (moderator.is_authenticated and moderator.is_moderator):
        raise ValidationError(_("Only moderators can do this."))
    if item.owner_id == moderator.pk or item.reports.filter(reporter=moderator).exists():
        raise ValidationError(_("Another moderator decides on items about you or that you reported."))
    if not item.is_open:
        raise ValidationError(_("This item has already been resolved."))
    if outcome not in available_outcomes(item):
        raise ValidationError({"outcome": _("Choose one of the actions offered.")})
    if TELLS_OWNER[outcome] and not reason.strip():
        raise ValidationError({"reason": _("Please give the reason: it is sent to the member.")})
    if outcome == Item.Outcome.SUSPENDED:
        owner = item.owner
        if owner.role in (Role.ADMIN, Role.MODERATOR):
            raise ValidationError(_("HR and moderators cannot be suspended from the queue. Change their role first."))
        if owner.state != State.ACTIVE:
            raise ValidationError(_("This member's account is not active."))


def do_moderate(moderator, item, outcome, reason, *, request=None):
    """Carry out a decision on a queue item, tell the member concerned why, and thank the reporters.
    Checked on the locked row: of two moderators deciding at once, the second is told it is resolved."""
    reportable = registry.get(item.kind)
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        check_moderate(moderator, item, outcome, reason)
        obj = reportable.get(item.object_id)
        if obj is not None:
            if outcome in (Item.Outcome.HIDDEN, Item.Outcome.SUSPENDED) and reportable.set_hidden is not None:
                reportable.set_hidden(obj, True)
            elif outcome == Item.Outcome.APPROVED and reportable.set_hidden is not None:
                reportable.set_hidden(obj, False)
            elif outcome == Item.Outcome.REMOVED:
                reportable.remove(obj)
        if outcome == Item.Outcome.SUSPENDED:
            do_suspend(moderator, item.owner, reason=reason, request=request)
        item.state, item.outcome, item.resolution_note = Item.State.RESOLVED, outcome, reason.strip()
        item.resolved_by, item.resolved_at = moderator, timezone.now()
        item.save()
        audit(moderator, f"moderation.{outcome}", item, request=request,
              detail={"kind": item.kind, "owner": item.owner_id, "reason": reason.strip()})
        owner = item.owner
        # A decision about content its owner has deleted since is not news to them ("now visible", "removed").
        about_gone_content = obj is None and outcome in CONTENT_OUTCOMES
        if (TELLS_OWNER[outcome] and not about_gone_content and owner is not None and owner.email
                and owner.state != State.WITHDRAWN):
            send_email(owner.email, "moderation/email/decision",
                       {"outcome": outcome, "outcome_label": Item.Outcome(outcome).label, "kind": reportable.label,
                        "is_profile": item.kind == "profile",
                        "reason": reason.strip(), "guidelines_url": settings.SITE_URL + reverse("guidelines")},
                       language=owner.language)
        for report in item.reports.select_related("reporter").filter(reporter__state=State.ACTIVE):
            reporter = report.reporter
            if reporter.email:
                send_email(reporter.email, "moderation/email/report_resolved",
                           {"kind": reportable.label, "acted": outcome != Item.Outcome.DISMISSED,
                            "reported_at": report.created_at}, language=reporter.language)
        transaction.on_commit(_drop_counts)
    return item


def forget_member(sender, member, **kwargs):
    """member_withdrawing: the member's reports go (moderators keep the item and its count). Items about
    the member's own content stay for the moderators, without the person: the content itself is erased
    or anonymised by the app that holds it, and what people wrote about them (reporters' notes, the
    moderators' reasons, here and in the audit log) is blanked."""
    Report.objects.filter(reporter=member).delete()
    about_them = Item.objects.filter(owner=member)
    Report.objects.filter(item__in=about_them).update(note="")
    about_them.update(resolution_note="")
    for entry in AuditLog.objects.filter(action__startswith="moderation.", detail__owner=member.pk):
        entry.detail = {key: value for key, value in entry.detail.items() if key != "reason"}
        entry.save(update_fields=["detail"])
    Item.objects.filter(kind="profile", object_id=member.pk).exclude(state=Item.State.RESOLVED).delete()
    Item.objects.filter(owner=member).update(owner=None)
