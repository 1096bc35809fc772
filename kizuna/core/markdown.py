"""Markdown written by members and HR (event descriptions, posts, job postings) rendered to safe HTML.

markdown-it-py parses CommonMark with raw HTML switched off; nh3 (ammonia) then keeps only an
allow-list of tags and attributes, so neither Markdown tricks nor pasted HTML can run script.
"""

import functools

import nh3
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

_TAGS = {
    "p", "br", "strong", "em", "del", "a", "ul", "ol", "li", "blockquote", "code", "pre", "hr",
    "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td",
}
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable(["table", "strikethrough"])


def render_markdown(text: str | None):
    """Safe HTML for the text; headings start at h2 because the page title is the h1."""
    if not text:
        return mark_safe("")  # noqa: S308 - empty string
    html = _parser.render(text).replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


# Chat messages: a smaller subset (no headings, tables or rules) and bare addresses become links.
_MESSAGE_TAGS = {"p", "br", "strong", "em", "del", "a", "ul", "ol", "li", "blockquote", "code", "pre"}
_message_parser = (MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True})
                   .disable(["heading", "lheading", "hr"]).enable(["strikethrough", "linkify"]))


@functools.lru_cache(maxsize=1024)
def render_message(text: str | None):
    """Safe HTML for a chat message. Kept for recent texts: a message is rendered for each viewpoint (own or
    not) and language, and its text converts the same way each time."""
    if not text:
        return mark_safe("")  # noqa: S308 - empty string
    clean = nh3.clean(
        _message_parser.render(text), tags=_MESSAGE_TAGS, attributes={"a": {"href"}, "ol": {"start"}},
        url_schemes={"http", "https", "mailto"}, link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
