import re

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.urls import reverse
from django.utils import translation

from kizuna.cli import main as kizuna
from kizuna.core.models import NetworkSettings
from kizuna.core.text import normalize
from kizuna.members import eligibility
from kizuna.members.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from kizuna.members.models import ApiToken, Application, Invitation, LeaverRecord, Role, State, User
from kizuna.members.seed import People, ensure_organisation
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
STRONG = "kizuna-admin-passphrase"
KANA = re.compile(r"^[ぁ-ゖー]+ [ぁ-ゖー]+$")


@pytest.fixture
def run(capsys, monkeypatch):
    """Run `kizuna …` as from a shell; returns (exit code, stdout, stderr)."""
    # A command run from the command line closes the database connections when it ends; here that
    # would close the test's own connection (and its transaction) on PostgreSQL.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run(*argv):
        try:
            kizuna(["kizuna", *argv])
            code = 0
        except SystemExit as exit_:
            code = exit_.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


def can_log_in(client, email, password):
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return response.status_code == 302 and response["Location"] == reverse("home")


# --- createadmin -------------------------------------------------------------------------------

def test_createadmin_from_options_creates_an_active_verified_admin(run, client):
    code, out, _err = run("createadmin", "--email", "HR@Example.jp", "--password", STRONG,
                          "--name", "人事 太郎")
    assert code == 0 and "hr@example.jp" in out
    admin = User.objects.get(email="hr@example.jp")
    assert (admin.role, admin.state, admin.name) == (Role.ADMIN, State.ACTIVE, "人事 太郎")
    assert EmailAddress.objects.filter(user=admin, verified=True, primary=True).exists()
    assert can_log_in(client, "hr@example.jp", STRONG)


def test_createadmin_refuses_an_existing_email(run, alumni_user):
    code, _out, err = run("createadmin", "--email", alumni_user.email, "--password", STRONG)
    assert code == 1
    assert "すでに存在します" in err
    assert User.objects.filter(role=Role.ADMIN).count() == 0


@pytest.mark.parametrize(("password", "problem"), [("short", "短すぎます"), ("password1234", "一般的すぎます")])
def test_createadmin_applies_the_password_rules(run, password, problem):
    code, _out, err = run("createadmin", "--email", "hr@example.jp", "--password", password)
    assert code == 1 and problem in err
    assert not User.objects.exists()


def test_createadmin_interactive_asks_again_until_the_answers_are_good(monkeypatch, capsys):
    answers = iter(["not-an-email", "hr@example.jp", "人事 花子"])
    passwords = iter(["one-passphrase-x", "another-passphrase", "short", "short", STRONG, STRONG])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(passwords))
    call_command("createadmin")
    err = capsys.readouterr().err
    assert "メールアドレスの形式が正しくありません" in err
    assert "一致しません" in err
    assert "短すぎます" in err
    admin = User.objects.get(email="hr@example.jp")
    assert admin.name == "人事 花子" and admin.check_password(STRONG)


def test_createadmin_without_a_terminal_says_what_to_give(monkeypatch):
    def no_input(prompt):
        raise EOFError

    monkeypatch.setattr("builtins.input", no_input)
    with pytest.raises(CommandError, match="--email と --password"):
        call_command("createadmin")


# --- token ---------------------------------------------------------------------------------------

def test_token_create_prints_only_a_working_secret(run, client, alumni_user):
    code, out, _err = run("token", "create", "--email", alumni_user.email, "--name", "nightly sync")
    assert code == 0
    secret = out.strip()
    assert out == secret + "\n" and secret.startswith("kzn_")
    assert ApiToken.objects.get(user=alumni_user).name == "nightly sync"
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").json()["email"] == alumni_user.email


@pytest.mark.parametrize("language, name", [("ja", "コマンドライン"), ("en", "Command line")])
def test_token_created_without_a_name_is_named_in_the_members_language(run, alumni_user, language, name):
    alumni_user.language = language
    alumni_user.save()
    run("token", "create", "--email", alumni_user.email)
    assert ApiToken.objects.get(user=alumni_user).name == name


def test_token_create_for_an_unknown_email_fails(run):
    code, out, err = run("token", "create", "--email", "nobody@example.jp")
    assert (code, out) == (1, "")
    assert "nobody@example.jp のメンバーは見つかりません" in err


@pytest.mark.parametrize("state", [State.PENDING, State.SUSPENDED, State.WITHDRAWN])
def test_token_create_for_an_inactive_member_fails(run, state):
    member = MemberFactory(state=state)
    code, out, err = run("token", "create", "--email", member.email)
    assert (code, out) == (1, "")
    assert "利用中のメンバーではありません" in err
    assert not ApiToken.objects.exists()


def test_token_revoke_by_prefix(run, alumni_user):
    run("token", "create", "--email", alumni_user.email)
    token = ApiToken.objects.get()
    code, out, _err = run("token", "revoke", "--email", alumni_user.email, "--prefix", f"{token.prefix}…")
    assert code == 0 and "無効にしました" in out
    token.refresh_from_db()
    assert token.revoked_at is not None


# --- seed --members --------------------------------------------------------------------------------

def test_seed_creates_consistent_members_and_hr_records(run):
    code, out, _err = run("seed", "--members", "500", "--seed-value", "7")
    assert code == 0 and "毎秒" in out
    members = User.objects.select_related("company", "department", "leaver_record")
    assert members.count() == 500
    roles = {role for role in members.values_list("role", flat=True)}
    assert {Role.ALUMNI, Role.EMPLOYEE} <= roles
    for member in members:
        assert member.state == State.ACTIVE and not member.has_usable_password()
        assert KANA.match(member.name_kana), member.name_kana
        assert (member.name_key, member.kana_key) == (normalize(member.name), normalize(member.name_kana))
        assert member.company and member.department
        if member.role == Role.EMPLOYEE:
            assert member.left_on is None and not hasattr(member, "leaver_record")
            continue
        record = member.leaver_record
        assert (record.name, record.name_kana, record.email) == (member.name, member.name_kana, member.email)
        assert (record.joined_on, record.left_on) == (member.joined_on, member.left_on)
        assert record.joined_on < record.left_on
        assert (record.company, record.department) == (member.company.name, member.department.path)
        assert record.name_key == member.name_key and record.kana_key == member.kana_key
        assert 2005 <= record.left_on.year <= 2026
        assert record.eligible
    assert LeaverRecord.objects.count() == members.exclude(role=Role.EMPLOYEE).count()
    assert LeaverRecord.objects.values("leave_type").distinct().count() >= 4


def test_seeding_twice_adds_more_without_collisions(run):
    run("seed", "--members", "50")
    code, _out, _err = run("seed", "--members", "50")
    assert code == 0 and User.objects.count() == 100


def test_same_seed_value_gives_the_same_people():
    companies, departments = ensure_organisation()

    def names(seed):
        people = People(seed, companies=companies, departments=departments, password="!")
        return [(m.user.name, m.user.email, m.user.joined_on) for m in people.members(30)]

    assert names(3) == names(3)
    assert names(3) != names(4)


# --- seed --demo ---------------------------------------------------------------------------------

@pytest.fixture
def demo_mode(settings):
    settings.DEMO = True


def test_demo_network_needs_demo_mode(run):
    code, _out, err = run("seed", "--demo")
    assert code == 1 and "KIZUNA_DEMO=1" in err
    assert not User.objects.exists()


def test_demo_has_one_login_per_role_and_runs_once(capsys, client, demo_mode):
    call_command("seed", demo=True)
    count = User.objects.count()
    assert 280 <= count <= 320
    call_command("seed", demo=True)
    assert "すでにあります" in capsys.readouterr().out
    assert User.objects.count() == count

    for role, email in DEMO_ACCOUNTS:
        user = User.objects.get(email=email)
        assert (user.role, user.state) == (role, State.ACTIVE)
        assert user.name and KANA.match(user.name_kana)
        assert EmailAddress.objects.filter(user=user, email=email, verified=True, primary=True).exists()
    assert can_log_in(client, DEMO_ACCOUNTS[-1][1], DEMO_PASSWORD)


def test_demo_fills_the_queues_hr_works_on(demo_mode):
    call_command("seed", demo=True)
    rules = NetworkSettings.load()
    assert rules.name == "絆アルムナイ" and rules.employee_domains == ["kizuna-corp.example"]

    pending = Application.objects.filter(status=Application.Status.PENDING, user__state=State.PENDING)
    assert pending.count() >= 4
    unlinked = LeaverRecord.objects.filter(member__isnull=True)
    matched = [a for a in pending if unlinked.filter(name_key=normalize(a.name), kana_key=normalize(a.name_kana))]
    assert 2 <= len(matched) < pending.count()  # some match an HR record, some do not
    assert any(a.name != r.name for a in matched for r in unlinked.filter(name_key=normalize(a.name)))

    with translation.override("en"):
        reasons = " ".join(str(eligibility.evaluate(r, rules)) for r in unlinked.filter(eligible=False))
    assert "is not covered" in reasons and "is shorter than" in reasons and "excluded" in reasons
    assert unlinked.filter(eligible=True).count() >= 5
    assert Invitation.objects.filter(status=Invitation.Status.SENT).count() == 4
    assert {r for r in User.objects.values_list("role", flat=True)} == set(Role.values)
