"""What admins decide about profiles for everyone: visibility limits and custom fields.

Both change what every profile shows, so both raise the rules' generation (profile_rules_changed):
the directory leaves out entries built under the old rules until they are rebuilt in the background.
"""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kizuna.core.actions import audit
from kizuna.core.models import NetworkSettings

from ..changes import profile_rules_changed
from ..models import CustomField, Visibility
from ..profiles import profile_fields

MAX_CHOICES = 50


def check_visibility_rules(rules: dict):
    """`rules`: field key → {"default": level, "allowed": [levels]}, for fields that exist."""
    known = {f.key for f in profile_fields()}
    errors = {}
    for key, rule in rules.items():
        allowed = set(rule.get("allowed") or [])
        if key not in known:
            errors[key] = _("Unknown profile field.")
        elif not allowed or not allowed <= set(Visibility.values):
            errors[key] = _("Allow at least one visibility.")
        elif rule.get("default") not in allowed:
            errors[key] = _("The default must be one of the allowed visibilities.")
    if errors:
        raise ValidationError(errors)


def do_update_profile_rules(actor, rules: dict, *, confirm_months=None, request=None):
    check_visibility_rules(rules)
    if confirm_months is not None and not 0 <= confirm_months <= 120:
        raise ValidationError({"confirm_months": _("Please enter a number of months from 0 to 120.")})
    with transaction.atomic():
        network, _created = NetworkSettings.objects.select_for_update().get_or_create(pk=1)
        changed = network.profile_visibility != rules
        network.profile_visibility = {key: {"default": r["default"], "allowed": sorted(r["allowed"])}
                                      for key, r in rules.items()}
        if confirm_months is not None:
            network.profile_confirm_months = confirm_months
        network.save(update_fields=["profile_visibility", "profile_confirm_months", "updated_at"])
        _set_custom_defaults(network.profile_visibility)
        audit(actor, "settings.profile_rules", request=request,
              detail={"rules": network.profile_visibility, "confirm_months": network.profile_confirm_months})
        if changed:
            profile_rules_changed.send(sender=NetworkSettings)
        transaction.on_commit(lambda: cache.delete(NetworkSettings.CACHE_KEY))
    return network


def _set_custom_defaults(rules):
    """A custom field's default lives on the field too (its edit page shows it): keep both the same."""
    for field in CustomField.objects.all():
        default = (rules.get(field.key) or {}).get("default")
        if default and default != field.default_visibility:
            CustomField.objects.filter(pk=field.pk).update(default_visibility=default)


def _set_rule_default(field):
    """The other direction: a default chosen on the field's page becomes its rule's default, within the
    levels the rules allow for it."""
    network, _created = NetworkSettings.objects.select_for_update().get_or_create(pk=1)
    rule = (network.profile_visibility or {}).get(field.key)
    if not rule or rule.get("default") == field.default_visibility:
        return
    if field.default_visibility not in rule.get("allowed", []):
        raise ValidationError({"default_visibility": _(
            "The visibility rules do not allow this level for this field. Allow it on the visibility rules "
            "page first, or choose an allowed level.")})
    rule = {**rule, "default": field.default_visibility}
    network.profile_visibility = {**network.profile_visibility, field.key: rule}
    network.save(update_fields=["profile_visibility", "updated_at"])
    transaction.on_commit(lambda: cache.delete(NetworkSettings.CACHE_KEY))


def _drop_rule(field):
    network = NetworkSettings.objects.select_for_update().filter(pk=1).first()
    if network and field.key in (network.profile_visibility or {}):
        network.profile_visibility = {k: v for k, v in network.profile_visibility.items() if k != field.key}
        network.save(update_fields=["profile_visibility", "updated_at"])
        transaction.on_commit(lambda: cache.delete(NetworkSettings.CACHE_KEY))


def check_custom_field(*, label, kind, choices):
    errors = {}
    if not (label or "").strip():
        errors["label"] = _("Please enter a label.")
    if kind not in CustomField.Kind.values:
        errors["kind"] = _("Please choose a kind.")
    if kind in (CustomField.Kind.CHOICE, CustomField.Kind.MULTI):
        if not choices:
            errors["choices"] = _("Please enter the options, one per line.")
        elif len(choices) > MAX_CHOICES:
            errors["choices"] = _("Please enter at most %(count)d options.") % {"count": MAX_CHOICES}
    if errors:
        raise ValidationError(errors)


def do_save_custom_field(actor, field, *, label, label_en="", kind, choices=(), default_visibility, request=None):
    """Create or change a custom field. Removing an option keeps members' other answers."""
    choices = list(dict.fromkeys(c.strip() for c in choices if c and c.strip()))
    check_custom_field(label=label, kind=kind, choices=choices)
    if default_visibility not in Visibility.values:
        raise ValidationError({"default_visibility": _("Please choose a visibility.")})
    if field.pk and field.kind != kind and field.values.exists():
        raise ValidationError({"kind": _("Members have answered this field; its kind cannot change.")})
    with transaction.atomic():
        created = field.pk is None
        field.label, field.label_en, field.kind = label.strip(), (label_en or "").strip(), kind
        field.choices = choices if kind in (CustomField.Kind.CHOICE, CustomField.Kind.MULTI) else []
        field.default_visibility = default_visibility
        if created:
            field.position = (CustomField.objects.order_by("-position").values_list("position", flat=True)
                              .first() or 0) + 1
        field.save()
        if not created:
            _set_rule_default(field)
            _drop_removed_choices(field)
        audit(actor, "custom_field.create" if created else "custom_field.update", field, request=request)
        profile_rules_changed.send(sender=CustomField)
    return field


def _drop_removed_choices(field):
    for value in field.values.all():
        kept = ([v for v in value.value if v in field.choices] if isinstance(value.value, list)
                else value.value if value.value in field.choices or not field.choices else None)
        if not kept:
            value.delete()
        elif kept != value.value:
            value.value = kept
            value.save(update_fields=["value"])


def do_delete_custom_field(actor, field, *, request=None):
    """Delete the field and every member's answer to it."""
    with transaction.atomic():
        audit(actor, "custom_field.delete", field, request=request)
        _drop_rule(field)
        field.delete()
        profile_rules_changed.send(sender=CustomField)
