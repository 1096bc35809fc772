"""Japanese is the default language: every UI string must have a current Japanese translation."""

from pathlib import Path

import polib

import kizuna

LOCALE = Path(kizuna.__file__).parent / "locale" / "ja" / "LC_MESSAGES"


def test_every_string_is_translated_to_japanese():
    po = polib.pofile(LOCALE / "django.po")
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == []


def test_compiled_catalogue_matches_the_source():
    def catalogue(entries):
        return {(e.msgctxt, e.msgid): e.msgstr_plural or e.msgstr for e in entries if e.msgid}

    po = catalogue(e for e in polib.pofile(LOCALE / "django.po") if e.translated())
    mo = catalogue(polib.mofile(LOCALE / "django.mo"))
    assert mo == po, "run `make messages` to recompile django.mo"
