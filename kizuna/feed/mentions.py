"""@mentions: the composer's autocomplete writes `@[山田 太郎](/members/12/)`, a Markdown link to the member's
page after an @, so the text reads naturally, renders as a link, and names the member unambiguously.

A mention of a member who has withdrawn keeps neither their name nor the link: it is written as
「@退会したメンバー」 in the stored text (and so in its HTML, excerpts, the API and emails)."""

import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

MENTION = re.compile(r"@\[([^\]\n]{1,150})\]\(/members/(\d{1,12})/\)")


def mentioned_ids(text) -> list[int]:
    seen = []
    for match in MENTION.finditer(text or ""):
        pk = int(match.group(2))
        if pk not in seen:
            seen.append(pk)
    return seen


def mention_markup(member) -> str:
    name = member.name.replace("[", "").replace("]", "")
    return f"@[{name}](/members/{member.pk}/)"


def mention_marker(pk) -> str:
    """What every mention of member `pk` contains (to find the texts that may mention them)."""
    return f"](/members/{pk}/)"


def without_mentions_of(text, member_ids) -> str:
    """`text` with the mentions of these (withdrawn) members written as 「@退会したメンバー」: no name, no link.
    The label is in the network's default language, as the name stored in place of theirs."""
    ids = {str(pk) for pk in member_ids}
    if not text or not ids:
        return text
    with translation.override(settings.LANGUAGE_CODE):
        label = "@" + _("Withdrawn member")
    return MENTION.sub(lambda match: label if match.group(2) in ids else match.group(0), text)
