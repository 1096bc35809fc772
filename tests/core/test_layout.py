import datetime
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from kizuna.core.models import NetworkSettings


def _title(response):
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


@pytest.fixture
def network(db):
    network = NetworkSettings.load()
    network.name = "絆アルムナイ"
    network.save()
    cache.delete(NetworkSettings.CACHE_KEY)
    return network


def test_page_title_separates_page_and_network_name(admin_client, network):
    assert _title(admin_client.get(reverse("outbox"))) == "送信メール · 絆アルムナイ"


def test_home_page_title_is_just_the_network_name(client, network):
    assert _title(client.get("/")) == "絆アルムナイ"


def test_phone_menu_is_a_labelled_button_controlling_the_nav(client, db):
    page = client.get("/").content.decode()
    assert re.search(r'<button type="button" class="nav-toggle" aria-expanded="false" aria-controls="main-nav">'
                     r'\s*<span aria-hidden="true">☰</span> メニュー', page)
    assert '<nav class="nav" id="main-nav"' in page


@pytest.mark.parametrize("language, expected", [("ja", "2024年3月31日"), ("en", "31 Mar 2024")])
def test_dates_follow_the_language_format(admin_client, alumni_user, language, expected):
    alumni_user.left_on = datetime.date(2024, 3, 31)
    alumni_user.save()
    admin_client.post(reverse("set_language"), {"language": language, "next": "/"})
    page = admin_client.get(reverse("member_detail", args=[alumni_user.pk])).content.decode()
    assert expected in page


def test_tables_use_the_short_date_format(admin_client, alumni_user):
    alumni_user.date_joined = timezone.make_aware(datetime.datetime(2025, 4, 1, 9, 30))
    alumni_user.save()
    assert "2025/04/01" in admin_client.get(reverse("member_list")).content.decode()


def test_dashboard_cards_link_to_their_filtered_lists_without_duplicates(admin_client):
    page = admin_client.get(reverse("admin_home")).content.decode()
    assert f'href="{reverse("application_list")}"' in page
    assert f'href="{reverse("invitation_list")}?status=open"' in page
    assert f'href="{reverse("member_list")}?state=active"' in page
    assert "承認待ちの参加申請" not in page and "未承諾の招待" not in page
    assert page.count("承認待ち") == 1
