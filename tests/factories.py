"""Test data made through actions, like every other write."""

import datetime

import factory

from kizuna.core.models import NetworkSettings
from kizuna.members import actions
from kizuna.members.models import LeaverRecord, Role, State, User

PASSWORD = "correct-horse-battery"


class MemberFactory(factory.Factory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"member{n}@example.jp")
    name = factory.Sequence(lambda n: f"山田 太郎{n}")
    name_kana = "やまだ たろう"
    role = Role.ALUMNI
    state = State.ACTIVE
    password = PASSWORD
    # Members joined the usual way (invitation, application, sign-up): they accepted the current guidelines.
    guidelines_version = factory.LazyFunction(lambda: NetworkSettings.load().guidelines_version)

    @classmethod
    def _create(cls, model_class, **kwargs):
        return actions.do_create_member(**kwargs)


class LeaverRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeaverRecord

    employee_number = factory.Sequence(lambda n: f"E{n:06d}")
    name = "佐藤 花子"
    name_kana = "さとう はなこ"
    name_key = "佐藤花子"
    kana_key = "さとうはなこ"
    email = factory.Sequence(lambda n: f"leaver{n}@example.jp")
    joined_on = datetime.date(2015, 4, 1)
    left_on = datetime.date(2022, 3, 31)
    leave_type = "voluntary"
    department = "営業本部/東京営業部"
    eligible = True


def with_totp(user):
    """Give an account TOTP, as production admins must have (KIZUNA_ADMIN_MFA_REQUIRED)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    return user
