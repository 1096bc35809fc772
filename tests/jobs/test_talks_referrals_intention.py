"""Casual talks (hosts see only their own), referrals (HR only), return intention (HR only, asked again)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.core.models import OutboxEmail
from kizuna.jobs import actions
from kizuna.jobs.models import CasualTalk, JobSettings, Referral, ReturnIntention
from kizuna.members import actions as member_actions
from kizuna.members.models import Role
from tests.factories import MemberFactory

from .helpers import make_posting

pytestmark = pytest.mark.django_db


def _soon(days):
    return (timezone.localtime() + datetime.timedelta(days=days)).replace(second=0, microsecond=0)


def _as(user):
    client = Client()
    client.force_login(user)
    return client


def test_request_and_accept_with_a_time(alumni_user):
    host = MemberFactory(role=Role.EMPLOYEE, name="元上司 一郎")
    actions.do_set_host(host, intro="開発チームの今について話せます。", active=True)
    guest = _as(alumni_user)
    assert "元上司 一郎" in guest.get(reverse("talks")).content.decode()
    response = guest.post(reverse("talk_new") + f"?host={host.pk}", {
        "host": host.pk, "topic": "最近の開発体制について", "time1": _soon(3).strftime("%Y-%m-%dT%H:%M"),
        "time2": _soon(4).strftime("%Y-%m-%dT%H:%M")})
    talk = CasualTalk.objects.get()
    assert response.status_code == 302 and talk.host == host and len(talk.proposed_times) == 2
    assert OutboxEmail.objects.filter(to=host.email).exists()
    page = _as(host).get(reverse("talk_detail", args=[talk.pk])).content.decode()
    assert "最近の開発体制について" in page and "選考ではありません" in page
    response = _as(host).post(reverse("talk_answer", args=[talk.pk]),
                              {"choice": "1", "place": "https://meet.example.jp/abc"})
    talk.refresh_from_db()
    assert talk.status == CasualTalk.Status.SCHEDULED and talk.scheduled_at == _soon(4)
    mail = OutboxEmail.objects.filter(to=alumni_user.email).latest("pk")
    assert "日程が決まりました" in mail.subject and "meet.example.jp" in mail.body_text


def test_host_proposes_another_time_and_the_member_accepts(alumni_user):
    host = MemberFactory(role=Role.EMPLOYEE)
    actions.do_set_host(host, intro="営業の話", active=True)
    talk = actions.do_request_talk(alumni_user, host, topic="営業部の今", times=[_soon(2)])
    actions.do_answer_talk(host, talk, when=_soon(9))
    assert talk.status == CasualTalk.Status.PROPOSED
    _as(alumni_user).post(reverse("talk_accept", args=[talk.pk]))
    talk.refresh_from_db()
    assert talk.status == CasualTalk.Status.SCHEDULED and talk.scheduled_at == _soon(9)
    assert [e.status for e in talk.events.all()] == ["requested", "proposed", "scheduled"]


def test_hosts_see_only_their_own_talks(alumni_user):
    host, other_host = MemberFactory(role=Role.EMPLOYEE), MemberFactory(role=Role.EMPLOYEE)
    for h in (host, other_host):
        actions.do_set_host(h, intro="話せます", active=True)
    talk = actions.do_request_talk(alumni_user, other_host, topic="秘密の相談", times=[_soon(2)])
    client = _as(host)
    assert client.get(reverse("talk_detail", args=[talk.pk])).status_code == 404
    assert client.post(reverse("talk_answer", args=[talk.pk]), {"choice": "0"}).status_code == 404
    assert "秘密の相談" not in client.get(reverse("hosting")).content.decode()
    assert _as(MemberFactory()).get(reverse("talk_detail", args=[talk.pk])).status_code == 404


def test_talk_request_validation(alumni_user):
    with pytest.raises(ValidationError, match="3"):
        actions.do_request_talk(alumni_user, None, topic="相談", times=[_soon(d) for d in (1, 2, 3, 4)])
    with pytest.raises(ValidationError):
        actions.do_request_talk(alumni_user, None, topic="相談", times=[_soon(-1)])
    assert not CasualTalk.objects.exists()
    with pytest.raises(ValidationError):
        actions.do_set_host(alumni_user, intro="話します", active=True)  # alumni are guests


def test_blocked_hosts_are_not_offered(alumni_user):
    host = MemberFactory(role=Role.EMPLOYEE, name="ブロック 済子")
    actions.do_set_host(host, intro="話せます", active=True)
    member_actions.do_block(alumni_user, host)
    assert "ブロック 済子" not in _as(alumni_user).get(reverse("talks")).content.decode()
    assert _as(alumni_user).get(reverse("talk_new") + f"?host={host.pk}").status_code == 404


def test_referral_needs_consent_and_only_hr_sees_it(alumni_user, admin_user):
    posting = make_posting()
    client = _as(alumni_user)
    data = {"name": "鈴木 花子", "email": "hanako.suzuki@example.com", "relation": "現職の同僚", "note": ""}
    response = client.post(reverse("job_refer", args=[posting.pk]), data)
    assert response.status_code == 200 and not Referral.objects.exists()
    client.post(reverse("job_refer", args=[posting.pk]), {**data, "agreed": "on"})
    referral = Referral.objects.get()
    hr = _as(admin_user)
    assert "hanako.suzuki@example.com" in hr.get(reverse("hr_referrals")).content.decode()
    hr.post(reverse("hr_referral_move", args=[referral.pk]), {"status": "contacted"})
    referral.refresh_from_db()
    assert referral.status == "contacted"
    assert _as(MemberFactory()).get(reverse("hr_referrals")).status_code == 403
    hr.post(reverse("hr_referral_erase", args=[referral.pk]))
    referral.refresh_from_db()
    assert (referral.name, referral.email, referral.status) == ("", "", "contacted")
    assert "hanako.suzuki" not in hr.get(reverse("hr_referrals")).content.decode()
    assert "hanako.suzuki" not in _as(MemberFactory()).get(reverse("job_detail", args=[posting.pk])).content.decode()


def test_return_intention_is_hr_only(alumni_user, admin_user):
    _as(alumni_user).post(reverse("job_intention"), {"want": "yes", "can": "later"})
    assert ReturnIntention.objects.get(user=alumni_user).want == "yes"
    other = _as(MemberFactory())
    for url in (reverse("member_profile", args=[alumni_user.pk]), reverse("directory"),
                f"/api/v1/members/{alumni_user.pk}", "/api/v1/members"):
        page = other.get(url).content.decode()
        assert "戻りたい" not in page and '"want"' not in page and "今は戻れない" not in page
    hr = _as(admin_user).get(reverse("hr_intentions"), {"want": "yes", "can": "later"}).content.decode()
    assert alumni_user.name in hr
    assert _as(MemberFactory()).get(reverse("hr_intentions")).status_code == 403


def test_home_asks_again_after_the_set_months(alumni_user, employee_user):
    home = _as(alumni_user)
    assert "また一緒に働きませんか" in home.get(reverse("home")).content.decode()
    actions.do_state_intention(alumni_user, want="maybe", can="later")
    assert "また一緒に働きませんか" not in home.get(reverse("home")).content.decode()
    ReturnIntention.objects.filter(user=alumni_user).update(stated_at=timezone.now() - datetime.timedelta(days=200))
    assert JobSettings.load().ask_again_months == 6
    assert "また一緒に働きませんか" in home.get(reverse("home")).content.decode()
    assert "また一緒に働きませんか" not in _as(employee_user).get(reverse("home")).content.decode()


def test_closed_referrals_forget_the_person_after_the_retention_period(alumni_user, admin_user):
    referral = actions.do_refer(alumni_user, make_posting(), name="鈴木 花子", email="h@example.com",
                                relation="友人", agreed=True)
    actions.do_move_referral(admin_user, referral, "closed")
    assert actions.do_expire_referrals() == 0
    later = timezone.now() + actions.REFERRAL_RETENTION + datetime.timedelta(days=1)
    assert actions.do_expire_referrals(now=later) == 1
    referral.refresh_from_db()
    assert (referral.name, referral.email, referral.status) == ("", "", "closed")


def test_hr_follows_talks_hosted_by_members_without_answering_them(alumni_user, admin_user):
    host = MemberFactory(role=Role.EMPLOYEE)
    actions.do_set_host(host, intro="話せます", active=True)
    talk = actions.do_request_talk(alumni_user, host, topic="チームの今", times=[_soon(2)])
    hr = _as(admin_user)
    assert reverse("talk_detail", args=[talk.pk]) in hr.get(reverse("hr_talks")).content.decode()
    page = hr.get(reverse("talk_detail", args=[talk.pk]))
    assert page.status_code == 200 and "回答を送る" not in page.content.decode()
    assert hr.post(reverse("talk_answer", args=[talk.pk]), {"choice": "0"}).status_code == 404
