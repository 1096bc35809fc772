import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from kizuna.core import actions as core_actions
from kizuna.core.models import AuditLog, Department, GroupCompany, NetworkSettings
from kizuna.members import actions as member_actions
from kizuna.members.actions import eligibility_rules
from kizuna.members.models import LeaverRecord
from tests.factories import LeaverRecordFactory, MemberFactory

pytestmark = pytest.mark.django_db


def general_form(**overrides):
    network = NetworkSettings.load()
    data = {"name": network.name, "invitation_valid_days": network.invitation_valid_days,
            "guidelines": network.guidelines, "privacy_notice": network.privacy_notice}
    return {**data, **overrides}


def image_upload(fmt="JPEG", size=(1200, 600), name="logo.jpg", exif=True):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (180, 35, 60))
    extra = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCamera"  # Make
        extra["exif"] = data.tobytes()
    image.save(buffer, fmt, **extra)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_general_settings_are_saved_and_audited(admin_client, admin_user):
    version = NetworkSettings.load().guidelines_version
    response = admin_client.post(reverse("settings_general"), general_form(
        name="キズナ同窓会", invitation_valid_days=30, guidelines="互いを尊重しましょう。",
        privacy_notice="利用目的：アルムナイとの交流",
    ), follow=True)
    assert "設定を保存しました" in response.content.decode()
    network = NetworkSettings.objects.get()
    assert (network.name, network.invitation_valid_days) == ("キズナ同窓会", 30)
    assert network.privacy_notice == "利用目的：アルムナイとの交流"
    assert network.guidelines_version == version + 1
    entry = AuditLog.objects.get(action="settings.update")
    assert entry.actor == admin_user
    assert entry.detail["changed"] == ["guidelines", "invitation_valid_days", "name", "privacy_notice"]
    # New guidelines: every member, the admin included, accepts them before using the network again.
    assert admin_client.get(reverse("home")).url.startswith(reverse("guidelines_accept"))
    admin_client.post(reverse("guidelines_accept"), {"version": version + 1})
    assert "キズナ同窓会" in admin_client.get(reverse("home")).content.decode()


def test_logo_is_reencoded_as_png_without_metadata_and_shown(admin_client):
    response = admin_client.post(reverse("settings_general"), general_form(logo=image_upload()))
    assert response.status_code == 302
    network = NetworkSettings.objects.get()
    assert network.logo.name.startswith("network/logo-") and network.logo.name.endswith(".png")
    with Image.open(network.logo.path) as stored:
        assert stored.format == "PNG"
        assert stored.size == (800, 400)
        assert not stored.getexif()
    assert b"SecretCamera" not in Path(network.logo.path).read_bytes()
    assert network.logo.url in admin_client.get(reverse("home")).content.decode()
    assert AuditLog.objects.filter(action="settings.logo", detail={"logo": "replaced"}).exists()


def test_replacing_and_removing_the_logo_deletes_old_files(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("settings_general"), general_form(logo=image_upload(size=(300, 100))))
    first = Path(NetworkSettings.objects.get().logo.path)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("settings_general"), general_form(logo=image_upload(size=(200, 100))))
    second = Path(NetworkSettings.objects.get().logo.path)
    assert second.exists() and not first.exists()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("settings_general"), general_form(remove_logo="on"))
    assert not NetworkSettings.objects.get().logo
    assert not second.exists()
    assert AuditLog.objects.filter(action="settings.logo", detail={"logo": "removed"}).exists()


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("logo.png", b"<svg onload=alert(1)></svg>", content_type="image/png"),
     "画像として読み込めないファイルです"),
    (SimpleUploadedFile("logo.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024 + 1), content_type="image/png"),
     "2 MB"),
])
def test_bad_logo_is_refused_with_a_message_and_nothing_changes(admin_client, upload, message):
    response = admin_client.post(reverse("settings_general"), general_form(name="変更しない", logo=upload))
    assert response.status_code == 200
    assert message in response.content.decode()
    network = NetworkSettings.objects.get_or_create(pk=1)[0]
    assert network.name != "変更しない"
    assert not network.logo
    assert not AuditLog.objects.exists()


def test_logo_with_too_many_pixels_is_refused_before_decoding(admin_client):
    buffer = io.BytesIO()
    Image.new("1", (6000, 5000)).save(buffer, "PNG")  # tiny file, 30 million pixels
    upload = SimpleUploadedFile("huge.png", buffer.getvalue(), content_type="image/png")
    response = admin_client.post(reverse("settings_general"), general_form(logo=upload))
    assert "5000 × 5000ピクセル以下" in response.content.decode()
    assert not NetworkSettings.objects.get_or_create(pk=1)[0].logo


def test_registration_mode_and_employee_domains_are_normalised(admin_client):
    response = admin_client.post(reverse("settings_registration"), {
        "registration_mode": "invitation",
        "employee_domains": "Example.CO.JP\n@corp.example.jp\n\nexample.co.jp\n",
    })
    assert response.status_code == 302
    network = NetworkSettings.objects.get()
    assert network.registration_mode == "invitation"
    assert network.employee_domains == ["example.co.jp", "corp.example.jp"]
    assert AuditLog.objects.get(action="settings.update").detail["changed"] == [
        "employee_domains", "registration_mode"]


def test_bad_domains_are_refused(admin_client):
    response = admin_client.post(reverse("settings_registration"), {
        "registration_mode": "application", "employee_domains": "example.co.jp\nnot a domain\nlocalhost",
    })
    assert response.status_code == 200
    page = response.content.decode()
    assert "有効なドメイン名ではありません" in page and "not a domain" in page and "localhost" in page
    assert NetworkSettings.objects.get_or_create(pk=1)[0].employee_domains == []


def test_eligibility_rules_recompute_every_record(admin_client):
    short = LeaverRecordFactory(joined_on=datetime.date(2021, 4, 1), left_on=datetime.date(2022, 3, 31))
    long = LeaverRecordFactory(joined_on=datetime.date(2010, 4, 1), left_on=datetime.date(2022, 3, 31))
    company = LeaverRecordFactory(leave_type="company")
    response = admin_client.post(reverse("settings_eligibility"), {
        "min_tenure_months": 36, "allowed_leave_types": ["voluntary", "retirement"],
    }, follow=True)
    page = response.content.decode()
    assert "現在の参加対象者は3件中1件です" in page
    assert LeaverRecord.objects.get(pk=long.pk).eligible
    assert not LeaverRecord.objects.get(pk=short.pk).eligible
    assert not LeaverRecord.objects.get(pk=company.pk).eligible
    network = NetworkSettings.objects.get()
    assert network.min_tenure_months == 36
    assert network.allowed_leave_types == ["voluntary", "retirement"]
    assert AuditLog.objects.filter(action="settings.update").exists()


def test_large_record_lists_are_recomputed_by_a_background_task(admin_user, monkeypatch,
                                                                django_capture_on_commit_callbacks):
    monkeypatch.setattr(eligibility_rules, "ELIGIBILITY_INLINE_LIMIT", 0)
    record = LeaverRecordFactory(leave_type="retirement")
    with django_capture_on_commit_callbacks(execute=True):
        current = member_actions.do_update_eligibility_rules(
            admin_user, min_tenure_months=0, allowed_leave_types=["voluntary"])
    assert current is False
    assert not LeaverRecord.objects.get(pk=record.pk).eligible


def test_exclusion_flag_makes_a_record_ineligible_and_is_audited(admin_user):
    record = LeaverRecordFactory()
    member_actions.do_set_record_excluded(admin_user, record, True)
    assert not LeaverRecord.objects.get(pk=record.pk).eligible
    member_actions.do_set_record_excluded(admin_user, record, False)
    assert LeaverRecord.objects.get(pk=record.pk).eligible
    assert [e.action for e in AuditLog.objects.order_by("id")] == ["leaver.exclude", "leaver.include"]


def test_group_companies_are_added_renamed_listed_by_reading_and_deleted(admin_client):
    admin_client.post(reverse("company_list"), {"name": "綾瀬物産", "name_kana": "あやせぶっさん"})
    admin_client.post(reverse("company_list"), {"name": "和光システム", "name_kana": "わこうしすてむ"})
    admin_client.post(reverse("company_list"), {"name": "加藤商事", "name_kana": "カトウショウジ"})
    assert list(GroupCompany.objects.values_list("name", flat=True)) == ["綾瀬物産", "加藤商事", "和光システム"]
    duplicate = admin_client.post(reverse("company_list"), {"name": "綾瀬物産", "name_kana": ""})
    assert "同じ名前のグループ会社がすでにあります" in duplicate.content.decode()

    company = GroupCompany.objects.get(name="加藤商事")
    member = MemberFactory(company=company)
    admin_client.post(reverse("company_edit", args=[company.pk]), {"name": "カトウ商事", "name_kana": "かとうしょうじ"})
    assert GroupCompany.objects.get(pk=company.pk).name == "カトウ商事"
    confirm = admin_client.get(reverse("company_delete", args=[company.pk]))
    assert "1人のメンバー" in confirm.content.decode()
    admin_client.post(reverse("company_delete", args=[company.pk]))
    assert not GroupCompany.objects.filter(pk=company.pk).exists()
    member.refresh_from_db()
    assert member.company is None
    assert [e.action for e in AuditLog.objects.filter(action__startswith="company.")] == [
        "company.delete", "company.update", "company.create", "company.create", "company.create"]


@pytest.fixture
def tree(admin_user):
    sales = core_actions.ensure_department("営業本部/東京営業部/第一課")
    core_actions.ensure_department("管理本部/人事部")
    return {d.path: d for d in Department.objects.all()} | {"leaf": sales}


def test_department_tree_is_shown_indented(admin_client, tree):
    page = admin_client.get(reverse("department_list")).content.decode()
    order = [page.index(name) for name in ("営業本部", "東京営業部", "第一課", "管理本部", "人事部")]
    assert order == sorted(order)
    assert 'level-2">' in page


def test_department_add_child_rename_and_move(admin_client, tree):
    sales = tree["営業本部"]
    admin_client.post(reverse("department_new"), {"name": "大阪営業部", "parent": sales.pk})
    assert Department.objects.filter(path="営業本部/大阪営業部", parent=sales).exists()
    admin_client.post(reverse("department_edit", args=[sales.pk]), {"name": "営業統括本部", "parent": ""})
    assert Department.objects.filter(path="営業統括本部/東京営業部/第一課").exists()
    tokyo = Department.objects.get(path="営業統括本部/東京営業部")
    admin_client.post(reverse("department_edit", args=[tokyo.pk]), {"name": "東京営業部",
                                                                     "parent": tree["管理本部"].pk})
    assert Department.objects.filter(path="管理本部/東京営業部/第一課").exists()
    assert AuditLog.objects.filter(action__startswith="department.").count() == 3


def test_department_move_under_its_own_subtree_is_refused(admin_client, tree):
    top = tree["営業本部"]
    response = admin_client.post(reverse("department_edit", args=[top.pk]), {"name": "営業本部",
                                                                              "parent": tree["leaf"].pk})
    assert response.status_code == 200
    assert "配下の部署の下へは移動できません" in response.content.decode()
    top.refresh_from_db()
    assert top.parent is None and top.path == "営業本部"
    assert not AuditLog.objects.filter(action="department.update").exists()


def test_department_with_children_cannot_be_deleted_but_a_leaf_with_members_can(admin_client, tree):
    top = tree["営業本部"]
    admin_client.post(reverse("department_delete", args=[top.pk]))
    assert Department.objects.filter(pk=top.pk).exists()
    leaf = tree["leaf"]
    member = MemberFactory(department=leaf)
    assert "1人のメンバー" in admin_client.get(reverse("department_delete", args=[leaf.pk])).content.decode()
    admin_client.post(reverse("department_delete", args=[leaf.pk]))
    assert not Department.objects.filter(pk=leaf.pk).exists()
    member.refresh_from_db()
    assert member.department is None
    assert AuditLog.objects.get(action="department.delete").detail == {"members": 1}


@pytest.mark.parametrize("name", ["settings_general", "settings_registration", "settings_eligibility",
                                  "company_list", "department_list", "department_new"])
def test_settings_pages_are_for_admins_only(client, alumni_client, name):
    assert alumni_client.get(reverse(name)).status_code == 403
    alumni_client.logout()
    assert client.get(reverse(name)).status_code == 302
