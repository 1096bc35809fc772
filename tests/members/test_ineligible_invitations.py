"""An invitation only stands while its HR record is eligible: exclusion, a rule change or an HR import that
makes the person ineligible revokes the open invitation; the link and resending refuse it."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kizuna.core.actions import do_update_network_settings
from kizuna.core.models import AuditLog, LeaveType
from kizuna.members import actions
from kizuna.members.actions import eligibility_rules
from kizuna.members.models import ImportJob, Invitation, LeaverRecord

from ..factories import LeaverRecordFactory
from .import_files import JA_HEADERS, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(admin_user):
    record = LeaverRecordFactory(employee_number="E100", name="除外 花子", email="excluded@example.jp")
    return actions.do_invite(admin_user, record)


def link(invitation):
    return actions.invitation_url(invitation).removeprefix(settings.SITE_URL)


def token(invitation):
    return link(invitation).rstrip("/").rsplit("/", 1)[1]


def assert_revoked(invitation, actor):
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    entry = AuditLog.objects.get(action="invitation.revoke_ineligible")
    assert entry.actor == actor and entry.target_id == str(invitation.user_id)
    assert entry.detail == {"record": invitation.record.employee_number}


def assert_link_and_resend_refused(client, admin_user, invitation):
    page = client.get(link(invitation))
    assert page.status_code in (404, 410)
    assert "登録へ進む" not in page.content.decode()
    with pytest.raises(ValidationError):
        actions.do_resend_invitation(admin_user, invitation)


def test_excluding_a_record_revokes_its_open_invitation(client, admin_user, invitation):
    actions.do_set_record_excluded(admin_user, invitation.record, True)
    assert_revoked(invitation, admin_user)
    assert_link_and_resend_refused(client, admin_user, invitation)


def test_a_rule_change_revokes_invitations_of_people_no_longer_eligible(client, admin_user, invitation):
    kept = actions.do_invite(admin_user, LeaverRecordFactory(leave_type=LeaveType.RETIREMENT))
    actions.do_update_eligibility_rules(admin_user, min_tenure_months=0, allowed_leave_types=[LeaveType.RETIREMENT])
    assert_revoked(invitation, admin_user)
    kept.refresh_from_db()
    assert kept.status == Invitation.Status.SENT
    assert_link_and_resend_refused(client, admin_user, invitation)


def test_a_rule_change_applied_in_the_background_revokes_too(admin_user, invitation, monkeypatch,
                                                              django_capture_on_commit_callbacks):
    monkeypatch.setattr(eligibility_rules, "ELIGIBILITY_INLINE_LIMIT", 0)
    with django_capture_on_commit_callbacks(execute=True):
        current = actions.do_update_eligibility_rules(admin_user, min_tenure_months=240,
                                                      allowed_leave_types=LeaveType.values)
    assert current is False  # queued, and run by the (immediate) task backend after commit
    assert_revoked(invitation, admin_user)


def test_an_import_marking_the_person_excluded_revokes_the_invitation(admin_client, admin_user, invitation,
                                                                       django_capture_on_commit_callbacks):
    record = invitation.record
    row = [record.employee_number, record.name, record.name_kana, record.email, "2015/4/1", "2022/3/31",
           "自己都合", record.department, "", "", "1"]
    upload = SimpleUploadedFile("leavers.csv", csv_bytes([row], headers=[*JA_HEADERS, "除外"]))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("import_new"), {"file": upload})
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("import_apply", args=[job.pk]))
    record.refresh_from_db()
    assert record.excluded and not record.eligible
    assert_revoked(invitation, admin_user)


def test_the_link_is_refused_even_before_the_stored_eligibility_is_refreshed(client, admin_user, invitation):
    # The rules changed, the background refresh has not run yet: the link checks the rules itself.
    do_update_network_settings(admin_user, {"min_tenure_months": 600})
    with pytest.raises(ValidationError) as refused:
        actions.check_invitation_link(token(invitation))
    assert refused.value.code == "withdrawn"
    page = client.get(link(invitation))
    assert page.status_code == 410
    text = page.content.decode()
    assert "この招待は取り消されました" in text
    assert "勤続" not in text  # HR's reasons stay with HR
    with pytest.raises(ValidationError, match="対象外"):
        actions.do_resend_invitation(admin_user, invitation)


def test_the_invitee_cannot_register_once_excluded(client, admin_user, invitation):
    form = client.get(link(invitation))
    assert form.status_code == 200
    actions.do_set_record_excluded(admin_user, invitation.record, True)
    response = client.post(link(invitation), {
        "name": "除外 花子", "name_kana": "じょがい はなこ", "language": "ja", "password1": "sakura-tsubame-2031",
        "password2": "sakura-tsubame-2031", "accept_guidelines": "on", "accept_privacy": "on",
    })
    assert response.status_code == 404
    invitation.user.refresh_from_db()
    assert invitation.user.state == "invited"


# --- HR's exclusion switch on the record page ----------------------------------------------------

def test_hr_excludes_and_includes_a_record_from_its_page(admin_client, admin_user, invitation):
    record = invitation.record
    url = reverse("leaver_detail", args=[record.pk])
    page = admin_client.get(url).content.decode()
    assert reverse("leaver_set_excluded", args=[record.pk]) in page and "対象外にする" in page
    assert "data-confirm=" in page

    response = admin_client.post(reverse("leaver_set_excluded", args=[record.pk]), {"excluded": "1"}, follow=True)
    record.refresh_from_db()
    assert record.excluded and not record.eligible
    text = response.content.decode()
    assert "対象外にしました" in text and "人事が対象外に設定しています" in text and "対象外を解除する" in text
    assert AuditLog.objects.filter(action="leaver.exclude", actor=admin_user, target_id=str(record.pk)).exists()
    assert_revoked(invitation, admin_user)

    admin_client.post(reverse("leaver_set_excluded", args=[record.pk]), {"excluded": "0"})
    record.refresh_from_db()
    assert not record.excluded and record.eligible
    assert AuditLog.objects.filter(action="leaver.include", target_id=str(record.pk)).exists()
    # The revoked invitation stays revoked; HR may invite again.
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert actions.do_invite(admin_user, record).status == Invitation.Status.SENT


def test_setting_the_same_value_again_changes_and_audits_nothing(admin_client, admin_user):
    record = LeaverRecordFactory()
    admin_client.post(reverse("leaver_set_excluded", args=[record.pk]), {"excluded": "0"})
    assert not AuditLog.objects.filter(action__in=["leaver.exclude", "leaver.include"]).exists()


def test_exclusion_switch_is_for_admins_and_post_only(admin_client, alumni_user):
    record = LeaverRecordFactory()
    url = reverse("leaver_set_excluded", args=[record.pk])
    assert admin_client.get(url).status_code == 405
    admin_client.force_login(alumni_user)
    assert admin_client.post(url, {"excluded": "1"}).status_code == 403
    assert not LeaverRecord.objects.get(pk=record.pk).excluded
