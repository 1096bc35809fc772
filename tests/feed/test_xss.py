"""Markdown and HTML injection in posts and replies is neutralised on the page, the partial and the API."""

import json
from html.parser import HTMLParser

import pytest
from django.test import Client

from kizuna.feed import actions

from ..factories import MemberFactory
from .helpers import post

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[クリック](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "![画像](javascript:alert(1))",
    "<svg onload=alert(1)>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "\"><script>alert(1)</script>",
    "@[<script>alert(1)</script>](/members/1/)",
    "<details open ontoggle=alert(1)>",
    "[x](vbscript:msgbox(1))",
]
BAD_TAGS = {"script", "iframe", "svg", "object", "embed", "details", "style"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


class Checker(HTMLParser):
    """Collects what could run: dangerous tags, event handler attributes, script URLs, inline styles."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in BAD_TAGS:
            self.problems.append(tag)
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or name == "style" or (name in ("href", "src") and value.startswith(BAD_SCHEMES)):
                self.problems.append(f"{tag} {name}={value}")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised(payload):
    author, reader = MemberFactory(), MemberFactory()
    created = post(author, f"XSS {payload}")
    actions.do_reply(reader, created, body=f"返信 {payload}")
    client = Client()
    client.force_login(reader)
    for page in (client.get("/feed/", {"view": "latest"}), client.get(f"/feed/posts/{created.pk}/")):
        html = page.content.decode()
        checker = Checker()
        checker.feed(html[html.index("<main"):html.index("</main>")])
        assert checker.problems == [], payload
        assert "XSS" in html
    api = client.get("/api/v1/feed", {"view": "latest"})
    assert json.loads(api.content)["results"][0]["text"].endswith(payload)  # raw Markdown, as JSON text
