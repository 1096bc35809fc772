"""What members do with their own data: accept the guidelines, correct their details, download it all."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kizuna.core.actions import audit
from kizuna.core.models import NetworkSettings

from .accounts import _set_name


def check_accept_guidelines(version):
    """`version`: the one the member was shown. Accepting a version they have not seen proves nothing."""
    if version != NetworkSettings.load().guidelines_version:
        raise ValidationError(_("The guidelines were updated while you were reading them. Please read the new "
                                "version."), code="stale")


def do_accept_guidelines(member, version, *, request=None):
    """The member accepted the current community guidelines (asked again whenever an admin changes them)."""
    check_accept_guidelines(version)
    if member.guidelines_version >= version:
        return member
    with transaction.atomic():
        member.guidelines_version = version
        member.save(update_fields=["guidelines_version"])
        audit(member, "member.accept_guidelines", member, request=request, detail={"version": version})
    return member


def do_update_own_details(member, *, name, name_kana, language):
    """Correction by the member themselves (APPI: the right to have one's data corrected)."""
    if not (name or "").strip():
        raise ValidationError(_("Please enter your name."))
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Please choose a language."))
    _set_name(member, name, name_kana)
    member.language = language
    member.save(update_fields=["name", "name_kana", "name_key", "kana_key", "language"])
    return member


def do_record_data_export(member, *, request=None):
    """The download of all of one's data is an export like any other: it is logged."""
    audit(member, "member.export_data", member, request=request)


def do_set_own_language(member, language):
    """The header's language switch: pages and the member's email follow the language they chose."""
    if language in dict(settings.LANGUAGES) and member.language != language:
        member.language = language
        member.save(update_fields=["language"])
    return member
