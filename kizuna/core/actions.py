"""Writes for network settings, the organisation tree, the audit log and outgoing email."""

import datetime
import logging
from email.utils import getaddresses

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend

from . import mail as delivery
from .models import AuditLog, Department, GroupCompany, NetworkSettings, OutboxEmail
from .text import reading_key

logger = logging.getLogger(__name__)


def client_ip(request):
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit(actor, action, target=None, *, detail=None, request=None, target_label=None):
    """Append one audit entry. `target` is any model instance (or None)."""
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=(str(actor) if actor else "system")[:200],
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label if target_label is not None else str(target or ""))[:300],
        detail=detail or {},
        ip=client_ip(request),
    )


def list_filters(filters, *, page=None):
    """The filters of an admin's list read, for its audit entry: whether a search was used, never the text
    searched (usually a name or an address, which must not outlive the person's withdrawal in the log)."""
    recorded = {key: value for key, value in filters.items() if key not in ("q", "page") and value not in ("", None)}
    if str(filters.get("q") or "").strip():
        recorded["searched"] = True
    return recorded if page is None else {**recorded, "page": page}


def do_update_network_settings(actor, changes: dict, *, request=None):
    """Apply changed fields to the settings row, audit which ones changed, drop the cache."""
    with transaction.atomic():
        obj = NetworkSettings.objects.select_for_update().get_or_create(pk=1)[0]
        changed = {}
        for field, value in changes.items():
            if getattr(obj, field) != value:
                changed[field] = value if isinstance(value, (str, int, bool, list)) else str(value)
                setattr(obj, field, value)
        if "guidelines" in changed:
            obj.guidelines_version += 1
        if changed:
            obj.save()
            audit(actor, "settings.update", obj, detail={"changed": sorted(changed)}, request=request)
    cache.delete(NetworkSettings.CACHE_KEY)
    return obj


def ensure_company(name: str):
    name = (name or "").strip()
    if not name:
        return None
    company, _created = GroupCompany.objects.get_or_create(name=name)
    return company


def ensure_department(path: str):
    """Find or create a department by its path (parts separated by / or ／)."""
    parts = [p.strip() for p in (path or "").replace("／", "/").split("/") if p.strip()]
    parent = None
    for i in range(len(parts)):
        full = "/".join(parts[: i + 1])
        parent, _created = Department.objects.get_or_create(
            path=full, defaults={"name": parts[i], "parent": parent}
        )
    return parent


def do_set_logo(actor, logo, *, request=None):
    """Replace the network logo with `logo` (a checked ContentFile from images.clean_logo), or remove it."""
    with transaction.atomic():
        obj = NetworkSettings.objects.select_for_update().get_or_create(pk=1)[0]
        old = obj.logo.name
        if logo is None and not old:
            return obj
        obj.logo = logo or ""
        obj.save()
        audit(actor, "settings.logo", obj, detail={"logo": "replaced" if logo else "removed"}, request=request)
        if old:
            storage = obj.logo.storage
            transaction.on_commit(lambda: storage.delete(old))
    cache.delete(NetworkSettings.CACHE_KEY)
    return obj


def check_company(company, *, name):
    if not name.strip():
        raise ValidationError(_("Please enter the company name."))
    if GroupCompany.objects.filter(name=name.strip()).exclude(pk=company.pk).exists():
        raise ValidationError(_("A group company with this name already exists."))


def do_save_company(actor, company, *, name, name_kana, request=None):
    check_company(company, name=name)
    name, name_kana = name.strip(), name_kana.strip()
    company.name, company.name_kana, company.sort_key = name, name_kana, reading_key(name_kana or name)
    created = company.pk is None
    company.save()
    audit(actor, "company.create" if created else "company.update", company, request=request)
    return company


def do_delete_company(actor, company, *, request=None):
    """Delete a group company; members who belonged to it keep their account without a company."""
    with transaction.atomic():
        audit(actor, "company.delete", company, request=request, detail={"members": company.user_set.count()})
        company.delete()


def check_department(department, *, name, parent):
    """Raise ValidationError unless `name` under `parent` is a valid, free place for `department`."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Please enter the department name."))
    if "/" in name or "／" in name:
        raise ValidationError(_("A department name cannot contain “/”. Use the parent department instead."))
    node = parent
    while department.pk is not None and node is not None:
        if node.pk == department.pk:
            raise ValidationError(_("A department cannot be moved under itself or one of its sub-departments."))
        node = node.parent
    path = f"{parent.path}/{name}" if parent else name
    if len(path) > Department._meta.get_field("path").max_length:
        raise ValidationError(_("The department is nested too deeply."))
    if Department.objects.filter(path=path).exclude(pk=department.pk).exists():
        raise ValidationError(_("A department with this name already exists in the same place."))


def do_save_department(actor, department, *, name, parent, request=None):
    """Create or rename/move a department; paths of the whole subtree follow."""
    check_department(department, name=name, parent=parent)
    name = name.strip()
    with transaction.atomic():
        old_path = department.path
        department.name, department.parent = name, parent
        department.path = f"{parent.path}/{name}" if parent else name
        created = department.pk is None
        department.save()
        if old_path and old_path != department.path:
            for child in Department.objects.filter(path__startswith=old_path + "/"):
                child.path = department.path + child.path[len(old_path):]
                child.save(update_fields=["path"])
        audit(actor, "department.create" if created else "department.update", department, request=request)
    return department


def check_delete_department(department):
    if department.children.exists():
        raise ValidationError(_("This department has sub-departments. Move or delete them first."))


def do_delete_department(actor, department, *, request=None):
    """Delete a leaf department; its members keep their account without a department."""
    check_delete_department(department)
    with transaction.atomic():
        audit(actor, "department.delete", department, request=request,
              detail={"members": department.user_set.count()})
        department.delete()


# --- Outgoing email ------------------------------------------------------------------------------

# A failed message is tried again after 10 minutes, then 20, 40, 80 (MAX_ATTEMPTS in all).
MAIL_RETRY_AFTER = datetime.timedelta(minutes=10)
# A message still "being sent" after this long was interrupted (worker killed): it counts as failed.
MAIL_SENDING_STALE_AFTER = datetime.timedelta(minutes=30)
# Failed mail holds an address and often a personal link: admins see it for a while, then it goes.
MAIL_FAILED_KEPT_FOR = datetime.timedelta(days=30)
TASK_RESULTS_KEPT_FOR_DAYS = 1


def _recipient(address):
    """The member an address belongs to (their account address or one they added), if any."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    address = getaddresses([address])[0][1]
    return (get_user_model().objects.filter(email__iexact=address).first()
            or getattr(EmailAddress.objects.filter(email__iexact=address).select_related("user").first(), "user", None))


def do_queue_email(to, subject, body, html="", *, user=None):
    """Store one outgoing message; after commit a task that takes only its pk delivers it (so the
    task queue never holds addresses or text, and rolled-back work sends nothing)."""
    from .tasks import deliver_email

    mail = OutboxEmail.objects.create(to=to, user=user or _recipient(to), subject=subject, body_text=body,
                                      body_html=html)
    transaction.on_commit(lambda: deliver_email.enqueue(mail.pk))
    return mail


def do_queue_emails(mails, *, batch_size=1000):
    """do_queue_email for many messages at once (a member import mails every new member): `mails` are
    unsaved OutboxEmail rows with to, user, subject and body set. One insert per batch; after commit the
    delivery tasks are enqueued in one transaction."""
    from .tasks import deliver_email

    mails = OutboxEmail.objects.bulk_create(mails, batch_size=batch_size)

    def enqueue():
        with transaction.atomic():
            for mail in mails:
                deliver_email.enqueue(mail.pk)

    transaction.on_commit(enqueue)
    return mails


def do_queue_message(message):
    """Queue a rendered django EmailMessage (allauth's mail), one row per recipient."""
    html = next((content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"),
                "")
    return [do_queue_email(address, message.subject, message.body, html) for address in message.recipients()]


def do_deliver_email(mail_id):
    """Send one queued message (the deliver_email task). Idempotent: the row is claimed first, so a task
    that runs twice sends once. With SMTP the row is deleted once sent; without, it stays as the outbox."""
    claimed = OutboxEmail.objects.filter(pk=mail_id, status=OutboxEmail.Status.QUEUED).update(
        status=OutboxEmail.Status.SENDING, attempts=F("attempts") + 1, last_attempt_at=timezone.now())
    mail = OutboxEmail.objects.filter(pk=mail_id).first() if claimed else None
    if mail is None:
        return  # already sent, being sent, failed (retried by housekeeping) or purged
    message, into_outbox = delivery.as_message(mail), delivery.outbox_in_use()
    try:
        if into_outbox:
            delivery.write_eml(mail, message)
        else:
            message.send()
    except Exception as error:  # any delivery problem: recorded on the row, retried later
        logger.warning("Email %s was not sent (attempt %s): %s", mail.pk, mail.attempts, type(error).__name__)
        OutboxEmail.objects.filter(pk=mail.pk).update(status=OutboxEmail.Status.FAILED,
                                                      error=f"{type(error).__name__}: {error}"[:500])
        return
    if into_outbox:
        OutboxEmail.objects.filter(pk=mail.pk).update(status=OutboxEmail.Status.SENT, error="")
    else:
        OutboxEmail.objects.filter(pk=mail.pk).delete()


def do_retry_mail():
    """Housekeeping: failed mail goes back to the queue a bounded number of times, further apart each time."""
    from .tasks import deliver_email

    now = timezone.now()
    OutboxEmail.objects.filter(status=OutboxEmail.Status.SENDING,
                               last_attempt_at__lt=now - MAIL_SENDING_STALE_AFTER).update(
        status=OutboxEmail.Status.FAILED, error="Interrupted")
    failed = OutboxEmail.objects.filter(status=OutboxEmail.Status.FAILED)
    due = [pk for pk, attempts, last in failed.filter(attempts__lt=OutboxEmail.MAX_ATTEMPTS)
           .values_list("pk", "attempts", "last_attempt_at")
           if last + MAIL_RETRY_AFTER * 2 ** max(attempts - 1, 0) <= now]
    # Only rows still failed are queued again: a row purged or re-queued meanwhile is left alone.
    for pk in due:
        if OutboxEmail.objects.filter(pk=pk, status=OutboxEmail.Status.FAILED).update(
                status=OutboxEmail.Status.QUEUED):
            deliver_email.enqueue(pk)
    failed.filter(attempts__gte=OutboxEmail.MAX_ATTEMPTS, last_attempt_at__lt=now - MAIL_FAILED_KEPT_FOR).delete()
    return len(due)


def do_purge_mail(addresses, user=None):
    """Remove every message for this person, whatever its state (rows now, .eml files after commit):
    what was queued for them and what went to any of these addresses. Withdrawal and deleted
    applicants leave no mail behind."""
    addresses = {address.lower() for address in addresses if address}
    ids = list(OutboxEmail.objects.filter(user=user).values_list("pk", flat=True)) if user is not None else []
    if addresses:
        candidates = Q()
        for address in addresses:
            candidates |= Q(to__icontains=address)
        ids += [mail.pk for mail in OutboxEmail.objects.filter(candidates).only("pk", "to")
                if addresses & {address.lower() for _name, address in getaddresses([mail.to])}]
    if ids:
        OutboxEmail.objects.filter(pk__in=ids).delete()
        transaction.on_commit(lambda: delivery.remove_eml(ids))


def do_prune_task_results():
    """Finished task results are only useful for debugging: drop them after a day (django-tasks-db)."""
    if isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        call_command("prune_db_task_results", queue_name="*", min_age_days=TASK_RESULTS_KEPT_FOR_DAYS, verbosity=0)
