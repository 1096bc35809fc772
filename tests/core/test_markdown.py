from html.parser import HTMLParser

import pytest
from django.template import Context, Template

from kizuna.core.markdown import render_markdown

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    "![x](javascript:alert(1))",
    '<svg onload="alert(1)">',
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '"><script>alert(1)</script>',
    '[x](https://example.com "title\\" onmouseover=\\"alert(1)")',
]


class _Elements(HTMLParser):
    """Every tag and attribute a browser would build from the HTML."""

    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_injection_attempts_are_neutralised(payload):
    parser = _Elements()
    parser.feed(str(render_markdown(payload)))
    for tag, attrs in parser.elements:
        assert tag in {"p", "a", "strong", "em", "code", "pre"}, tag
        assert not any(name.startswith("on") or name in {"style", "src"} for name in attrs), attrs
        assert attrs.get("href", "https:").startswith(("https:", "http:")), attrs


def test_markdown_is_rendered_with_safe_links():
    html = str(render_markdown("# 同窓会\n\n**会場**は[こちら](https://example.com)\n- 受付 18:30\n- 乾杯 19:00"))
    assert "<h2>同窓会</h2>" in html
    assert "<strong>会場</strong>" in html
    assert 'href="https://example.com"' in html and 'rel="nofollow noopener noreferrer"' in html
    assert "<li>受付 18:30</li>" in html


def test_template_filter_escapes_nothing_twice():
    rendered = Template("{% load kizuna_markdown %}{{ text|markdown }}").render(Context({"text": "A & B"}))
    assert rendered.strip() == "<p>A &amp; B</p>"
