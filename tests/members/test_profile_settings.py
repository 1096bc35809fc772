"""HR's profile settings: visibility rules per field, the confirmation period, and custom fields."""

import pytest
from django.urls import reverse

from kizuna.core.models import AuditLog, NetworkSettings
from kizuna.members import actions
from kizuna.members.models import CustomField, CustomFieldValue, Visibility
from kizuna.members.profiles import FIELD_KEYS, visibility_rules

from ..factories import MemberFactory
from .profiles import client_for

pytestmark = pytest.mark.django_db
RULES = reverse("settings_profiles")


def rules_form(**changes):
    """The rules page as it is now, with `changes`: key → (allowed levels, default)."""
    rules = visibility_rules()
    data = {"confirm_months": str(NetworkSettings.load().profile_confirm_months)}
    for key, rule in rules.items():
        allowed, default = changes.get(key, (sorted(rule.allowed), rule.default))
        data[f"{key}-allowed"] = list(allowed)
        data[f"{key}-default"] = default
    return data


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what actions do after commit (the settings cache is dropped then), as a real request would."""
    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)
    return run


def test_the_rules_page_lists_every_field_and_level(admin_client):
    actions.do_save_custom_field(None, CustomField(), label="出身大学", kind="text", default_visibility="admins")
    page = admin_client.get(RULES).content.decode()
    for text in ("写真", "現在の会社", "在籍中の経歴", "出身大学", "メンバー全員", "自分のみ", "初期値"):
        assert text in page, text
    for key in FIELD_KEYS:
        assert f'name="{key}-allowed"' in page and f'name="{key}-default"' in page


def test_tightening_a_rule_hides_values_at_once(admin_client, admin_user, commit):
    owner = MemberFactory(name="公開 太郎")
    actions.do_update_profile(owner, {"bio": "社外秘ではない話"}, visibility={"bio": Visibility.MEMBERS})
    alumni = client_for(MemberFactory())
    profile_url = reverse("member_profile", args=[owner.pk])
    assert "社外秘ではない話" in alumni.get(profile_url).content.decode()
    response = commit(admin_client.post, RULES, rules_form(bio=(["admins", "me"], "admins"), ))
    assert response.status_code == 302
    assert "社外秘ではない話" not in alumni.get(profile_url).content.decode()
    assert "社外秘ではない話" in client_for(admin_user).get(profile_url).content.decode()
    assert AuditLog.objects.filter(action="settings.profile_rules").exists()


def test_rule_problems_are_shown_on_the_field(admin_client):
    response = admin_client.post(RULES, rules_form(bio=([], "members"), location=(["admins"], "members")))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "公開範囲を1つ以上" in " ".join(errors["bio-allowed"])
    assert errors["location-allowed"]


def test_the_confirmation_period_is_saved(admin_client, commit):
    response = commit(admin_client.post, RULES, {**rules_form(), "confirm_months": "12"})
    assert response.status_code == 302 and NetworkSettings.load().profile_confirm_months == 12
    response = admin_client.post(RULES, {**rules_form(), "confirm_months": "999"})
    assert response.status_code == 200 and response.context["form"].errors["confirm_months"]


def test_custom_fields_are_added_changed_and_deleted(admin_client, commit):
    response = commit(admin_client.post, reverse("custom_field_new"), {
        "label": "同期の呼び名", "label_en": "Intake", "kind": "multi", "choices": "花の2010年組\nゆとり組\n\n",
        "default_visibility": "alumni"})
    assert response.status_code == 302
    field = CustomField.objects.get()
    assert (field.label, field.label_en, field.choices, field.default_visibility) == (
        "同期の呼び名", "Intake", ["花の2010年組", "ゆとり組"], "alumni")
    assert "同期の呼び名" in admin_client.get(reverse("custom_field_list")).content.decode()

    member = MemberFactory()
    actions.do_update_profile(member, {field.key: ["ゆとり組", "花の2010年組"]})
    edit = admin_client.get(reverse("custom_field_edit", args=[field.pk])).content.decode()
    assert "1人のメンバーが回答しています" in edit
    commit(admin_client.post, reverse("custom_field_edit", args=[field.pk]), {
        "label": "同期の呼び名", "label_en": "Intake", "kind": "multi", "choices": "花の2010年組",
        "default_visibility": "members"})
    assert CustomFieldValue.objects.get().value == ["花の2010年組"]

    confirm = admin_client.get(reverse("custom_field_delete", args=[field.pk])).content.decode()
    assert "1人のメンバーの回答も削除されます" in confirm
    response = commit(admin_client.post, reverse("custom_field_delete", args=[field.pk]))
    assert response.status_code == 302
    assert not CustomField.objects.exists() and not CustomFieldValue.objects.exists()
    assert set(AuditLog.objects.filter(action__startswith="custom_field.").values_list("action", flat=True)) == {
        "custom_field.create", "custom_field.update", "custom_field.delete"}


def test_a_custom_field_form_reports_its_problems(admin_client):
    response = admin_client.post(reverse("custom_field_new"), {
        "label": "勤務形態", "kind": "choice", "choices": "", "default_visibility": "members"})
    assert response.status_code == 200 and response.context["form"].errors["choices"]
    assert not CustomField.objects.exists()


def test_a_fields_default_is_one_setting_on_both_pages(admin_client, admin_user, commit):
    field = actions.do_save_custom_field(None, CustomField(), label="出身大学", kind="text",
                                         default_visibility="members")
    commit(admin_client.post, RULES, rules_form(**{field.key: (["members", "admins"], "admins")}))
    field.refresh_from_db()
    assert field.default_visibility == "admins"
    # The field's page offers a level the rules do not allow: refused, with the reason.
    response = admin_client.post(reverse("custom_field_edit", args=[field.pk]), {
        "label": "出身大学", "kind": "text", "default_visibility": "alumni"})
    assert response.status_code == 200
    assert "ルールでは" in " ".join(response.context["form"].errors["default_visibility"])
    commit(admin_client.post, reverse("custom_field_edit", args=[field.pk]), {
        "label": "出身大学", "kind": "text", "default_visibility": "members"})
    assert visibility_rules()[field.key].default == "members"


def test_deleting_a_field_forgets_its_rule(admin_user, commit):
    field = actions.do_save_custom_field(None, CustomField(), label="出身大学", kind="text",
                                         default_visibility="members")
    commit(actions.do_update_profile_rules, admin_user, {field.key: {"allowed": ["members"], "default": "members"}})
    key = field.key
    commit(actions.do_delete_custom_field, admin_user, field)
    assert key not in NetworkSettings.load().profile_visibility


def test_custom_field_labels_are_in_english_on_english_pages(admin_client):
    actions.do_save_custom_field(None, CustomField(), label="出身大学", label_en="University", kind="text",
                                 default_visibility="members")
    admin_client.cookies["django_language"] = "en"
    page = admin_client.get(RULES).content.decode()
    assert "University" in page
