"""Eligibility rules and HR's exclusion flag. Stored results follow every change, and an invitation stands
only while its HR record is eligible."""

from django.db import transaction

from kizuna.core.actions import audit, do_update_network_settings
from kizuna.core.models import LeaveType, NetworkSettings

from .. import eligibility
from ..models import Invitation, LeaverRecord

# Up to this many HR records the new rules are applied while the admin waits; larger lists in a task.
ELIGIBILITY_INLINE_LIMIT = 5000


def do_update_eligibility_rules(actor, *, min_tenure_months, allowed_leave_types, request=None):
    """Save the rules and re-evaluate every HR record. Returns True when the stored results are current."""
    from ..tasks import refresh_eligibility

    do_update_network_settings(actor, {
        "min_tenure_months": min_tenure_months,
        "allowed_leave_types": [t for t in LeaveType.values if t in allowed_leave_types],
    }, request=request)
    if LeaverRecord.objects.count() <= ELIGIBILITY_INLINE_LIMIT:
        do_refresh_eligibility(actor=actor, request=request)
        return True
    actor_id = getattr(actor, "pk", None)
    transaction.on_commit(lambda: refresh_eligibility.enqueue(actor_id))
    return False


def do_set_record_excluded(actor, record, excluded, *, request=None):
    """HR's per-record flag: an excluded person is never eligible, whatever the rules say, and their open
    invitation is revoked. An account already registered is not affected (suspend it for that)."""
    if record.excluded == excluded:
        return record
    with transaction.atomic():
        record.excluded = excluded
        record.eligible = eligibility.evaluate(record, NetworkSettings.load()).eligible
        record.save(update_fields=["excluded", "eligible", "updated_at"])
        audit(actor, "leaver.exclude" if excluded else "leaver.include", record, request=request)
        _revoke_invitations_of_ineligible(actor, request=request)
    return record


def do_refresh_eligibility(records=None, *, actor=None, request=None):
    """Re-evaluate stored eligibility (after an import or a change of rules) and revoke the open
    invitations of people who are no longer eligible. Returns rows changed."""
    rules = NetworkSettings.load()
    records = LeaverRecord.objects.all() if records is None else records
    changed = []
    with transaction.atomic():
        for record in records.iterator(chunk_size=2000):
            value = eligibility.evaluate(record, rules).eligible
            if value != record.eligible:
                record.eligible = value
                changed.append(record)
        LeaverRecord.objects.bulk_update(changed, ["eligible"], batch_size=2000)
        _revoke_invitations_of_ineligible(actor, request=request)
    return len(changed)


def _revoke_invitations_of_ineligible(actor, *, request=None):
    """An invitation only stands while its HR record is eligible: HR excluded the person, the rules or the
    HR data changed. Their open invitations are revoked (the link stops working) and each is audited.
    Every path that can make a record ineligible calls this, so the query finds just those records."""
    invitations = list(Invitation.objects.filter(status=Invitation.Status.SENT, record__eligible=False)
                       .select_related("user", "record"))
    if not invitations:
        return 0
    Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(status=Invitation.Status.REVOKED)
    for invitation in invitations:
        audit(actor, "invitation.revoke_ineligible", invitation.user, request=request,
              detail={"record": invitation.record.employee_number})
    return len(invitations)
