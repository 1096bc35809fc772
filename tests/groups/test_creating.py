"""Who creates which groups: HR any kind (department groups only HR), members regional and interest groups
while HR allows it (a setting on HR's settings pages)."""

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.core.models import Department
from kizuna.groups.models import Group, Membership

from ..factories import MemberFactory

pytestmark = pytest.mark.django_db
NEW = {"name": "写真部", "kind": "interest", "privacy": "open", "description": "週末に撮影会をします", "slug": ""}


def test_a_member_creates_an_interest_group_and_becomes_its_admin(client):
    member = MemberFactory()
    client.force_login(member)
    response = client.post(reverse("group_new"), NEW)
    group = Group.objects.get(name="写真部")
    assert response.url == reverse("group_detail", args=[group.slug])
    assert Membership.objects.get(group=group, user=member).role == Membership.Role.ADMIN


def test_members_cannot_create_department_groups(client):
    department = Department.objects.create(name="営業本部", path="営業本部")
    client.force_login(MemberFactory())
    page = client.get(reverse("group_new")).content.decode()
    assert 'value="department"' not in page
    response = client.post(reverse("group_new"), {**NEW, "kind": "department", "department": department.pk})
    assert response.status_code == 200 and not Group.objects.exists()


def test_hr_turns_member_groups_off(admin_client):
    client = Client()
    assert admin_client.post(reverse("group_policy"), {}).status_code == 302
    member = MemberFactory()
    client.force_login(member)
    assert "グループを作成" not in client.get(reverse("group_list")).content.decode()
    assert client.get(reverse("group_new")).status_code == 403
    admin_client.post(reverse("group_policy"), {"members_may_create": "on"})
    assert client.get(reverse("group_new")).status_code == 200


def test_hr_creates_a_department_group(admin_client):
    department = Department.objects.create(name="営業本部", path="営業本部")
    response = admin_client.post(reverse("group_new"), {**NEW, "name": "営業本部OB・OG会", "kind": "department",
                                                        "department": department.pk, "slug": "sales"})
    assert response.url == reverse("group_detail", args=["sales"])
    assert Group.objects.get(slug="sales").department == department


def test_clear_errors(admin_client):
    page = admin_client.post(reverse("group_new"), {**NEW, "name": ""}).content.decode()
    assert "このフィールドは必須です" in page
    response = admin_client.post(reverse("group_new"), {**NEW, "kind": "department", "slug": "new"})
    page = response.content.decode()
    assert "まとめる部署を選んでください" in page
    assert "このアドレスは予約されています" in page
