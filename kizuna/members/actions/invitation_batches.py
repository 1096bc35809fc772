"""Inviting everyone eligible who has not been invited yet: a background run that HR can follow."""

import datetime
from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kizuna.core.actions import audit

from ..access import invitable_records
from ..models import InvitationBatch
from .invitations import do_invite_many

# Records per transaction-and-progress step of a background run; a run silent this long has died.
BATCH_CHUNK = 200
BATCH_STALE_AFTER = datetime.timedelta(minutes=15)


def do_start_invitation_batch(actor, *, request=None):
    """Invite every eligible record not invited yet, in the background (thousands at a time)."""
    from ..tasks import run_invitation_batch

    now = timezone.now()
    unfinished = InvitationBatch.objects.filter(status__in=[InvitationBatch.Status.QUEUED,
                                                            InvitationBatch.Status.RUNNING])
    # A run that stopped reporting progress (worker killed) must not block HR forever; a new run
    # picks up every record that is still not invited.
    unfinished.filter(updated_at__lt=now - BATCH_STALE_AFTER).update(status=InvitationBatch.Status.FAILED,
                                                                     finished_at=now)
    if unfinished.exists():
        raise ValidationError(_("Invitations are already being sent in the background."))
    total = invitable_records().count()
    if not total:
        raise ValidationError(_("Every eligible person has been invited already."))
    with transaction.atomic():
        batch = InvitationBatch.objects.create(created_by=actor, total=total)
        audit(actor, "invitation.batch_start", batch, request=request, detail={"total": total})
        transaction.on_commit(lambda: run_invitation_batch.enqueue(batch.pk))
    return batch


def do_run_invitation_batch(batch_id):
    """The task body. Safe to retry: records invited by an earlier attempt are no longer invitable,
    so only the skipped counts start again from zero."""
    batch = InvitationBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.status not in (InvitationBatch.Status.QUEUED, InvitationBatch.Status.RUNNING):
        return batch  # finished, or given up as stale (a newer run took over)
    actor = batch.created_by
    batch.status, batch.skipped, batch.skipped_reasons = InvitationBatch.Status.RUNNING, 0, {}
    batch.save(update_fields=["status", "skipped", "skipped_reasons", "updated_at"])
    reasons = Counter()
    last_pk = 0
    try:
        # Skip reasons are read by the admin who started the run, so they are written in their language.
        with translation.override(getattr(actor, "language", None) or settings.LANGUAGE_CODE):
            while True:
                if not _batch_still_running(batch):
                    return batch  # given up as stale while it worked: the newer run carries on
                chunk = list(invitable_records().filter(pk__gt=last_pk).order_by("pk")[:BATCH_CHUNK])
                if not chunk:
                    break
                last_pk = chunk[-1].pk
                sent, skipped = do_invite_many(actor, chunk)
                reasons.update(reason for _record, reason in skipped)
                batch.sent += len(sent)
                batch.skipped += len(skipped)
                batch.skipped_reasons = dict(reasons)
                batch.save(update_fields=["sent", "skipped", "skipped_reasons", "updated_at"])
    except Exception:
        batch.status, batch.finished_at = InvitationBatch.Status.FAILED, timezone.now()
        batch.save(update_fields=["status", "finished_at"])
        raise
    batch.status, batch.finished_at = InvitationBatch.Status.DONE, timezone.now()
    if InvitationBatch.objects.filter(pk=batch.pk, status=InvitationBatch.Status.RUNNING).update(
            status=batch.status, finished_at=batch.finished_at):
        audit(actor, "invitation.batch_done", batch, detail={"sent": batch.sent, "skipped": batch.skipped})
    return batch


def _batch_still_running(batch):
    return InvitationBatch.objects.filter(pk=batch.pk, status=InvitationBatch.Status.RUNNING).exists()
