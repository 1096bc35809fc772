"""HR's leaver record list and detail: search, filters, eligibility reasons, audit, query bound."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kizuna.core.actions import do_update_network_settings as update_network_settings
from kizuna.core.models import AuditLog, NetworkSettings
from kizuna.members import actions
from kizuna.members.models import Invitation, State
from tests.factories import LeaverRecordFactory, MemberFactory

pytestmark = pytest.mark.django_db
URL = reverse("leaver_list")


def test_list_shows_eligibility_with_the_reason(admin_client):
    LeaverRecordFactory(name="山田 太郎", leave_type="disciplinary", eligible=False)
    LeaverRecordFactory(name="佐藤 花子")
    page = admin_client.get(URL).content.decode()
    assert "山田 太郎" in page and "佐藤 花子" in page
    assert "退職区分「懲戒解雇」は対象外です" in page
    assert '<span class="badge ok">対象</span>' in page


def test_search_is_normalised(admin_client):
    LeaverRecordFactory(name="髙橋 一郎", name_key="高橋一郎", name_kana="たかはし いちろう",
                        kana_key="たかはしいちろう")
    LeaverRecordFactory(name="斎藤 次郎", name_key="斉藤次郎", name_kana="さいとう じろう", kana_key="さいとうじろう",
                        employee_number="K0099")
    LeaverRecordFactory(name="林 三郎", name_key="林三郎", name_kana="はやし さぶろう", kana_key="はやしさぶろう")
    for query, expected in [("高橋", "髙橋 一郎"), ("タカハシ", "髙橋 一郎"), ("齋藤", "斎藤 次郎"),
                            ("ｋ００９９", "斎藤 次郎"), ("林", "林 三郎")]:
        page = admin_client.get(URL, {"q": query}).content.decode()
        names = [n for n in ("髙橋 一郎", "斎藤 次郎", "林 三郎") if n in page]
        assert names == [expected], query


def test_filters(admin_client):
    LeaverRecordFactory(name="対象 太郎", left_on=datetime.date(2020, 3, 31))
    LeaverRecordFactory(name="対象外 花子", eligible=False, excluded=True, leave_type="retirement",
                        left_on=datetime.date(2022, 3, 31))
    invited = LeaverRecordFactory(name="招待 済子", left_on=datetime.date(2021, 3, 31))
    actions.do_invite(None, invited)
    expired = LeaverRecordFactory(name="期限 切子")
    actions.do_invite(None, expired)
    Invitation.objects.filter(record=expired).update(expires_at=timezone.now() - datetime.timedelta(days=1))

    def names(**params):
        page = admin_client.get(URL, params).content.decode()
        return {n for n in ("対象 太郎", "対象外 花子", "招待 済子", "期限 切子") if n in page}

    assert names(eligible="no") == {"対象外 花子"}
    assert names(leave_type="retirement") == {"対象外 花子"}
    assert names(left_year="2020") == {"対象 太郎"}
    assert names(invitation="none") == {"対象 太郎", "対象外 花子"}
    assert names(invitation="open") == {"招待 済子"}
    assert names(invitation="expired") == {"期限 切子"}
    page = admin_client.get(URL, {"invitation": "open"}).content.decode()
    assert "招待中" in page


def test_paging_and_bounded_queries(admin_client, django_assert_max_num_queries):
    LeaverRecordFactory.create_batch(60)
    NetworkSettings.load()
    with django_assert_max_num_queries(10):
        first = admin_client.get(URL).content.decode()
    assert "1 / 2 ページ" in first
    with django_assert_max_num_queries(10):
        second = admin_client.get(URL, {"page": 2, "eligible": "yes"}).content.decode()
    assert "eligible=yes&amp;page=1" in second


def test_each_view_of_the_list_is_audited_once(admin_client, admin_user):
    LeaverRecordFactory.create_batch(3)
    admin_client.get(URL, {"q": "佐藤"})
    entry = AuditLog.objects.get(action="leavers.view_list")
    assert entry.actor == admin_user
    assert entry.detail == {"page": 1, "results": 3, "searched": True}  # not the text searched


def test_detail_shows_all_fields_reasons_and_invitations(admin_client):
    record = LeaverRecordFactory(name="山田 太郎", title="課長", company="本社")
    actions.do_invite(None, LeaverRecordFactory(name="別人"))  # another person's invitation is not shown
    update_network_settings(None, {"min_tenure_months": 120})
    page = admin_client.get(reverse("leaver_detail", args=[record.pk])).content.decode()
    assert "課長" in page and "本社" in page and "営業本部/東京営業部" in page
    assert "在籍期間83か月は、必要な120か月に足りません" in page
    assert "まだ招待していません" in page
    assert AuditLog.objects.filter(action="leavers.view", target_id=str(record.pk)).exists()


def test_english_list(admin_client):
    LeaverRecordFactory(leave_type="disciplinary", eligible=False)
    admin_client.post(reverse("set_language"), {"language": "en"})
    page = admin_client.get(URL).content.decode()
    assert "Leave type “Disciplinary dismissal” is not covered" in page and "Not eligible" in page


def test_admin_nav_links(admin_client):
    page = admin_client.get(reverse("admin_home")).content.decode()
    assert f'href="{URL}"' in page and f'href="{reverse("import_list")}"' in page
    assert "退職者データ" in page and "取り込み" in page


def test_list_and_detail_are_for_admins_only(alumni_client, client):
    record = LeaverRecordFactory()
    assert alumni_client.get(URL).status_code == 403
    assert alumni_client.get(reverse("leaver_detail", args=[record.pk])).status_code == 403
    assert not AuditLog.objects.filter(action__startswith="leavers.view").exists()


def test_a_member_who_joined_without_an_invitation_shows_as_joined(admin_client):
    joined = LeaverRecordFactory(name="申請 入子", member=MemberFactory())  # e.g. an approved application
    LeaverRecordFactory(name="停止 中子", member=MemberFactory(state=State.SUSPENDED))
    invited = LeaverRecordFactory(name="招待 済子")
    actions.do_invite(None, invited)
    LeaverRecordFactory(name="未招 待子")

    def names(**params):
        page = admin_client.get(URL, params).content.decode()
        return {n for n in ("申請 入子", "停止 中子", "招待 済子", "未招 待子") if n in page}

    assert names(invitation="accepted") == {"申請 入子", "停止 中子"}
    assert names(invitation="none") == {"未招 待子"}
    assert names(invitation="open") == {"招待 済子"}
    page = admin_client.get(URL, {"invitation": "accepted"}).content.decode()
    assert '<span class="badge ok">登録済み</span>' in page and '<span class="badge danger">利用停止</span>' in page
    assert "未招待" not in page.split("<tbody>")[1]
    detail = admin_client.get(reverse("leaver_detail", args=[joined.pk])).content.decode()
    assert '<span class="badge ok">登録済み</span>' in detail
    assert "まだ招待していません" not in detail and "招待を経ずに登録しました" in detail
