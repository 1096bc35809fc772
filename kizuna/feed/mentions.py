"""@mentions: the composer's autocomplete writes `@[山田 太郎](/members/12/)`, a Markdown link to the member's
page after an @, so the text reads naturally, renders as a link, and names the member unambiguously."""

import re

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
