"""Invitations when things happen at the same time: a run superseded while it works, a record changed
after it was read, an address taken at the same moment."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.utils import timezone

from kizuna.core.models import AuditLog
from kizuna.members import actions
from kizuna.members.actions import invitation_batches, invitations
from kizuna.members.models import Invitation, InvitationBatch, LeaverRecord, State

from ..factories import LeaverRecordFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_a_run_given_up_as_stale_stops_at_its_next_chunk(admin_user, monkeypatch):
    """The worker was only slow: a newer run took over, so the old one must not keep sending beside it."""
    LeaverRecordFactory.create_batch(3)
    monkeypatch.setattr(invitation_batches, "BATCH_CHUNK", 1)
    batch = InvitationBatch.objects.create(created_by=admin_user, total=3)
    invite_many = actions.do_invite_many

    def slow_run_superseded_after_the_first_chunk(*args, **kwargs):
        result = invite_many(*args, **kwargs)
        stale = timezone.now() - actions.BATCH_STALE_AFTER - datetime.timedelta(minutes=1)
        InvitationBatch.objects.filter(pk=batch.pk).update(updated_at=stale)
        actions.do_start_invitation_batch(admin_user)  # marks this run FAILED and queues a new one
        return result

    monkeypatch.setattr(invitation_batches, "do_invite_many", slow_run_superseded_after_the_first_chunk)
    actions.do_run_invitation_batch(batch.pk)
    batch.refresh_from_db()
    assert batch.status == InvitationBatch.Status.FAILED and batch.sent == 1
    assert Invitation.objects.count() == 1
    assert not AuditLog.objects.filter(action="invitation.batch_done").exists()


def test_invite_checks_the_record_as_stored_not_as_read_earlier(admin_user):
    stale = LeaverRecord.objects.get(pk=LeaverRecordFactory().pk)
    actions.do_set_record_excluded(admin_user, LeaverRecord.objects.get(pk=stale.pk), True)
    assert stale.eligible and not stale.excluded  # the caller's copy is out of date
    with pytest.raises(ValidationError, match="人事が対象外に設定しています"):
        actions.do_invite(admin_user, stale)
    assert not Invitation.objects.exists()


def test_an_address_taken_at_the_same_moment_is_skipped_with_a_reason(admin_user, monkeypatch):
    records = LeaverRecordFactory.create_batch(2)
    MemberFactory(email=records[0].email)  # registered between the check and the insert
    monkeypatch.setattr(invitations, "check_invite", lambda record: None)
    sent, skipped = actions.do_invite_many(admin_user, records)
    assert [invitation.record for invitation in sent] == [records[1]]
    assert [(record, reason) for record, reason in skipped] == [
        (records[0], "このメールアドレスは別のアカウントで使われています。")]
    assert LeaverRecord.objects.get(pk=records[0].pk).member is None


def test_an_address_a_member_confirmed_as_an_extra_address_cannot_be_invited(admin_user, alumni_user, rf):
    EmailAddress.objects.add_email(rf.get("/"), alumni_user, "second@example.jp").set_verified()
    EmailAddress.objects.add_email(rf.get("/"), alumni_user, "claimed@example.jp")  # never confirmed
    with pytest.raises(ValidationError, match="別のアカウントで使われています"):
        actions.do_invite(admin_user, LeaverRecordFactory(email="Second@example.jp"))
    # An address nobody proved to own blocks nobody.
    assert actions.do_invite(admin_user, LeaverRecordFactory(email="claimed@example.jp")).user.state == State.INVITED
