"""Every page a member or an admin may open loads in a real browser without console errors: no CSP
violation (inline script or style), no script error, no missing asset. The pages are the permission
matrix's GET rows that give the role 200, so a new page is checked here as soon as it has its row."""

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from ..permissions import OK, Context
from ..test_permission_matrix import MATRIX
from .journeys import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def pages_for(role, user):
    for row in MATRIX:
        if row.method == "get" and row.expected[role] == OK:
            kwargs = row.kwargs(Context(user)) if callable(row.kwargs) else row.kwargs
            yield row.name, reverse(row.url, kwargs=kwargs)


def console_errors_on_html_pages(page, urls):
    """{page name: console errors} of each URL (downloads are skipped)."""
    found = {}
    for name, url in urls:
        page.console_errors.clear()
        try:
            page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue
            raise
        # The live server is WSGI: a chat page's socket cannot connect there and the page polls instead.
        errors = [error for error in page.console_errors if "/ws/chat/" not in error]
        if errors:
            found[name] = errors
    return found


def test_admin_pages_load_without_console_errors(admin_page, admin_user, outbox_backend):
    assert console_errors_on_html_pages(admin_page, pages_for("admin", admin_user)) == {}


def test_member_pages_load_without_console_errors(page, alumni_user, password):
    log_in(page, alumni_user.email, password)
    assert console_errors_on_html_pages(page, pages_for("alumni", alumni_user)) == {}
