"""Fixed lists for profiles: industries, locations (Japanese prefectures, then countries) and languages.

Countries come from django-countries (ISO 3166 names translated into Japanese); spoken languages from
Django's own translated language list, so neither list is maintained here.
"""

from django.conf import global_settings
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

INDUSTRIES = [
    ("it", _("IT / software")),
    ("consulting", _("Consulting")),
    ("finance", _("Finance / insurance")),
    ("manufacturing", _("Manufacturing")),
    ("trading", _("Trading / wholesale")),
    ("retail", _("Retail / consumer goods")),
    ("logistics", _("Logistics / transport")),
    ("construction", _("Construction / real estate")),
    ("media", _("Media / advertising")),
    ("healthcare", _("Healthcare / pharmaceuticals")),
    ("education", _("Education / research")),
    ("public", _("Public sector / non-profit")),
    ("hr", _("Human resources services")),
    ("energy", _("Energy / infrastructure")),
    ("startup", _("Own business / start-up")),
    ("other", _("Other")),
]

# (JIS X 0401 code, name); stored as "JP-13".
PREFECTURES = [
    (1, _("Hokkaido")), (2, _("Aomori")), (3, _("Iwate")), (4, _("Miyagi")), (5, _("Akita")),
    (6, _("Yamagata")), (7, _("Fukushima")), (8, _("Ibaraki")), (9, _("Tochigi")), (10, _("Gunma")),
    (11, _("Saitama")), (12, _("Chiba")), (13, _("Tokyo")), (14, _("Kanagawa")), (15, _("Niigata")),
    (16, _("Toyama")), (17, _("Ishikawa")), (18, _("Fukui")), (19, _("Yamanashi")), (20, _("Nagano")),
    (21, _("Gifu")), (22, _("Shizuoka")), (23, _("Aichi")), (24, _("Mie")), (25, _("Shiga")),
    (26, _("Kyoto")), (27, _("Osaka")), (28, _("Hyogo")), (29, _("Nara")), (30, _("Wakayama")),
    (31, _("Tottori")), (32, _("Shimane")), (33, _("Okayama")), (34, _("Hiroshima")), (35, _("Yamaguchi")),
    (36, _("Tokushima")), (37, _("Kagawa")), (38, _("Ehime")), (39, _("Kochi")), (40, _("Fukuoka")),
    (41, _("Saga")), (42, _("Nagasaki")), (43, _("Kumamoto")), (44, _("Oita")), (45, _("Miyazaki")),
    (46, _("Kagoshima")), (47, _("Okinawa")),
]
PREFECTURE_CODES = {f"JP-{code:02d}": name for code, name in PREFECTURES}


def location_choices():
    """Prefectures first (most members live in Japan), then every other country, for <select>."""
    return [
        (_("Japan"), list(PREFECTURE_CODES.items())),
        (_("Other countries"), [(code, name) for code, name in countries if code != "JP"]),
    ]


def location_label(code: str) -> str:
    if code in PREFECTURE_CODES:
        return str(PREFECTURE_CODES[code])
    return countries.name(code) if code else ""


def is_location(code: str) -> bool:
    return code in PREFECTURE_CODES or (code != "JP" and code in countries)


INDUSTRY_LABELS = dict(INDUSTRIES)

# Spoken languages: Django's list without regional variants (en-gb, zh-hant …) keeps it short. Its names
# are only marked for translation there; Django's own catalogue translates them when shown.
# Chinese has only its two scripts there, and both are kept.
LANGUAGES = [(code, gettext_lazy(name)) for code, name in global_settings.LANGUAGES
             if "-" not in code or code.startswith("zh-")]
LANGUAGE_LABELS = dict(LANGUAGES)
# The languages most members of a Japanese company speak, first and in this order.
COMMON_LANGUAGES = ("ja", "en", "zh-hans", "zh-hant", "ko")


def language_choices(first=()):
    """`first` (e.g. the member's own languages), then the common ones, then the rest by name in the
    viewer's language."""
    def key(pair):
        code = pair[0]
        if code in first:
            return (0, list(first).index(code), "")
        if code in COMMON_LANGUAGES:
            return (1, COMMON_LANGUAGES.index(code), "")
        return (2, 0, str(pair[1]))

    return sorted(LANGUAGES, key=key)
