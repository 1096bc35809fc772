"""Creating accounts: set up by HR or the operator, and the employee sign-up (with its welcome mail)."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from kizuna.core.actions import audit
from kizuna.core.email import send_email
from kizuna.core.models import NetworkSettings
from kizuna.core.text import normalize

from ..models import Role, State, User


def _set_name(user, name, name_kana):
    user.name, user.name_kana = (name or "").strip(), (name_kana or "").strip()
    user.name_key, user.kana_key = normalize(user.name), normalize(user.name_kana)


def do_create_member(*, email, password=None, name="", name_kana="", role=Role.ALUMNI, state=State.ACTIVE,
                     actor=None, request=None, **fields):
    """Create an account directly (admin set-up, demo data, migrations from another network)."""
    user = User(email=User.objects.normalize_email(email).lower(), role=role, state=state, **fields)
    _set_name(user, name, name_kana)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    if state == State.ACTIVE:
        user.activated_at = timezone.now()
    user.save()
    # Accounts created by HR or the operator carry an address they vouch for.
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    if actor is not None:
        audit(actor, "member.create", user, request=request, detail={"role": role, "state": state})
    return user


def do_start_employee_signup(user, *, name, name_kana, language=None):
    """An employee signed up with a company address: pending until the address is verified. The sign-up
    form required accepting the guidelines and the privacy notice; that consent is recorded here."""
    _set_name(user, name, name_kana)
    user.role, user.state = Role.EMPLOYEE, State.PENDING
    user.guidelines_version, user.privacy_accepted_at = NetworkSettings.load().guidelines_version, timezone.now()
    if language in dict(settings.LANGUAGES):
        user.language = language
    user.save()
    return user


def do_confirm_employee(user, email):
    from ..adapter import email_domain

    if user.role != Role.EMPLOYEE or user.state != State.PENDING:
        return user
    if email_domain(email) not in NetworkSettings.load().employee_domains:
        return user
    user.state, user.activated_at = State.ACTIVE, timezone.now()
    user.save(update_fields=["state", "activated_at"])
    audit(None, "member.employee_verified", user)
    _send_welcome(user)
    return user


def _send_welcome(user):
    send_email(user.email, "members/email/welcome", {
        "name": user.name, "url": settings.SITE_URL + reverse("home"),
        "account_url": settings.SITE_URL + reverse("account"),
    }, language=user.language)
