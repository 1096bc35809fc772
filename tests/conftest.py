import pytest
from django.core.cache import cache, caches
from django.utils import translation

from kizuna.chat import reads, rendering
from kizuna.members.models import Role

from .factories import PASSWORD, MemberFactory


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test gets empty file storage and empty caches (settings are cached there, rate limits counted; chat
    keeps messages by id in each process, and a test database gives ids out from 1 again). The chat's socket
write threads let go of their database connections after each test. Each test starts in the default language
(a request or a sign-in activates the member's language on the thread, which would carry into the next test)."""
    translation.activate(settings.LANGUAGE_CODE)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path
    settings.PRIVATE_ROOT = tmp_path / "private"
    cache.clear()
    caches["rates"].clear()
    rendering.clear()
    yield
    cache.clear()
    caches["rates"].clear()
    reads.close_write_connections()  # on PostgreSQL the test database is dropped at the end


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def admin_user(db):
    # Admins must have TOTP to reach /manage/ (outside demo mode), so the test admin has it too.
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    admin = MemberFactory(role=Role.ADMIN, email="hr@example.jp", name="人事 花子")
    TOTP.activate(admin, generate_totp_secret())
    return admin


@pytest.fixture
def moderator_user(db):
    return MemberFactory(role=Role.MODERATOR, email="mod@example.jp")


@pytest.fixture
def employee_user(db):
    return MemberFactory(role=Role.EMPLOYEE, email="staff@corp.example.jp")


@pytest.fixture
def alumni_user(db):
    return MemberFactory(role=Role.ALUMNI, email="alumni@example.jp")


def _client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def admin_client(client, admin_user):
    return _client_for(client, admin_user)


@pytest.fixture
def alumni_client(client, alumni_user):
    return _client_for(client, alumni_user)


@pytest.fixture
def outbox_backend(settings):
    """Mail goes to the OutboxEmail table as in the embedded mode (pytest-django defaults to locmem)."""
    settings.EMAIL_BACKEND = "kizuna.core.mail.OutboxBackend"
