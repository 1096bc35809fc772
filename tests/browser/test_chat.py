"""Chat in real browsers over real WebSockets: uvicorn serves kizuna.asgi in a thread of the test process, on
the test database (the live_server of the other browser tests is WSGI and has no sockets).

Two members talk in real time; a third, removed from the group, stops receiving at once."""

import socket
import threading
import time

import pytest
import uvicorn
from playwright.sync_api import expect

from kizuna.chat.models import Message

from ..chat.helpers import group
from ..factories import MemberFactory
from .conftest import _open_page
from .journeys import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def asgi_server(transactional_db, settings):
    """Kizuna's ASGI application (HTTP and WebSockets) under uvicorn, in a thread of this process: it shares
    the test database and the in-memory channel layer."""
    from django.db import connection

    from kizuna.asgi import application

    postgres = connection.vendor == "postgresql"
    before = _backends() if postgres else []
    port = _free_port()
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    settings.SITE_URL = f"http://127.0.0.1:{port}"
    server = uvicorn.Server(uvicorn.Config(application, host="127.0.0.1", port=port, lifespan="off",
                                           log_level="warning", ws="auto"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    # The server's worker threads opened their own connections, which nothing closes: on PostgreSQL they
    # would keep the test database from being dropped at the end of the run. Only those are ended: the
    # connections this process had before (the tests' own) go on serving the next tests.
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND pid <> pg_backend_pid() AND NOT (pid = ANY(%s))", [before])


def _backends():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def open_as(browser, asgi_server, password):
    pages = []

    def open_as(member):
        page = _open_page(browser, asgi_server)
        log_in(page, member.email, password)
        expect(page.get_by_role("button", name="ログアウト")).to_be_visible()
        pages.append(page)
        return page

    yield open_as
    for page in pages:
        page.context.close()


def _open_conversation(page, conversation):
    page.goto(f"/messages/{conversation.pk}/")
    expect(page.locator("#chat")).to_have_attribute("data-connected", "true")


def _send(page, text):
    page.locator("#chat-compose textarea").fill(text)
    page.locator("#chat-compose button[type=submit]").click()


def test_two_members_talk_in_real_time_and_a_removed_member_stops_receiving(open_as):
    sato = MemberFactory(name="佐藤 花子", email="sato@example.jp")
    suzuki = MemberFactory(name="鈴木 一郎", email="suzuki@example.jp")
    tanaka = MemberFactory(name="田中 美咲", email="tanaka@example.jp")
    room = group(sato, suzuki, tanaka, title="2016年入社 同期会")
    sato_page, suzuki_page, tanaka_page = open_as(sato), open_as(suzuki), open_as(tanaka)
    for page in (sato_page, suzuki_page, tanaka_page):
        _open_conversation(page, room)

    _send(sato_page, "今年も**同期会**やりませんか？")
    for page in (suzuki_page, tanaka_page):
        expect(page.locator("#chat-log .chat-message").last).to_contain_text("今年も同期会やりませんか？")
    expect(suzuki_page.locator("#chat-log strong")).to_have_text("同期会")
    _send(suzuki_page, "賛成です！")
    expect(sato_page.locator("#chat-log .chat-message").last).to_contain_text("賛成です！")
    # The same HTML reaches everyone: only the author sees their own label and the edit and delete actions.
    own, others = suzuki_page.locator("#chat-log .chat-message").last, sato_page.locator("#chat-log .chat-message").last
    expect(own.locator(".chat-author")).to_have_text("自分", use_inner_text=True)
    expect(others.locator(".chat-author")).to_have_text("鈴木 一郎", use_inner_text=True)
    expect(own.get_by_role("link", name="編集")).to_be_visible()
    expect(others.get_by_role("link", name="編集")).to_be_hidden()
    expect(others.get_by_role("link", name="通報する")).to_be_visible()
    expect(own.get_by_role("link", name="通報する")).to_be_hidden()

    # Sato removes Tanaka from the group on the people page (in another tab).
    people = sato_page.context.new_page()
    people.goto(f"/messages/{room.pk}/people/")
    people.once("dialog", lambda dialog: dialog.accept())
    people.locator(f"form[action$='/people/{tanaka.pk}/remove/'] button").click()
    expect(people.locator(".chat-people")).not_to_contain_text("田中 美咲")
    expect(tanaka_page.locator("#chat-status")).to_be_visible()
    expect(tanaka_page.locator("#chat-compose")).to_be_hidden()

    _send(sato_page, "ここからは二人で相談しましょう")
    expect(suzuki_page.locator("#chat-log .chat-message").last).to_contain_text("二人で相談")
    assert Message.objects.filter(text__contains="二人で相談").exists()
    tanaka_page.wait_for_timeout(1500)  # time for anything that would still arrive
    expect(tanaka_page.locator("#chat-log")).not_to_contain_text("二人で相談")
    tanaka_page.goto(f"/messages/{room.pk}/")
    assert tanaka_page.title() != "2016年入社 同期会"  # the conversation no longer exists for them (404)
    for page in (sato_page, suzuki_page):
        assert page.console_errors == []
