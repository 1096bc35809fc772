import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_top_page_is_japanese_by_default_and_switches_to_english(client):
    page = client.get("/")
    assert "ログイン" in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get("/")
    assert "Log in" in page.content.decode()
    assert "ログイン" not in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("language, text", [("ja", "ページが見つかりません"), ("en", "Page not found")])
def test_404_page_in_both_languages(client, language, text):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert text in response.content.decode()


@pytest.mark.django_db
def test_admin_pages_are_forbidden_to_alumni(alumni_client):
    response = alumni_client.get(reverse("admin_home"))
    assert response.status_code == 403
    assert "このページを開く権限がありません" in response.content.decode()
