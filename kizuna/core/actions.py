"""Writes for network settings, the organisation tree and the audit log."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import AuditLog, Department, GroupCompany, NetworkSettings
from .text import reading_key


def client_ip(request):
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit(actor, action, target=None, *, detail=None, request=None, target_label=None):
    """Append one audit entry. `target` is any model instance (or None)."""
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=(str(actor) if actor else "system")[:200],
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label if target_label is not None else str(target or ""))[:300],
        detail=detail or {},
        ip=client_ip(request),
    )


def do_update_network_settings(actor, changes: dict, *, request=None):
    """Apply changed fields to the settings row, audit which ones changed, drop the cache."""
    with transaction.atomic():
        obj = NetworkSettings.objects.select_for_update().get_or_create(pk=1)[0]
        changed = {}
        for field, value in changes.items():
            if getattr(obj, field) != value:
                changed[field] = value if isinstance(value, (str, int, bool, list)) else str(value)
                setattr(obj, field, value)
        if "guidelines" in changed:
            obj.guidelines_version += 1
        if changed:
            obj.save()
            audit(actor, "settings.update", obj, detail={"changed": sorted(changed)}, request=request)
    cache.delete(NetworkSettings.CACHE_KEY)
    return obj


def ensure_company(name: str):
    name = (name or "").strip()
    if not name:
        return None
    company, _created = GroupCompany.objects.get_or_create(name=name)
    return company


def ensure_department(path: str):
    """Find or create a department by its path (parts separated by / or ／)."""
    parts = [p.strip() for p in (path or "").replace("／", "/").split("/") if p.strip()]
    parent = None
    for i in range(len(parts)):
        full = "/".join(parts[: i + 1])
        parent, _created = Department.objects.get_or_create(
            path=full, defaults={"name": parts[i], "parent": parent}
        )
    return parent


def do_set_logo(actor, logo, *, request=None):
    """Replace the network logo with `logo` (a checked ContentFile from images.clean_logo), or remove it."""
    with transaction.atomic():
        obj = NetworkSettings.objects.select_for_update().get_or_create(pk=1)[0]
        old = obj.logo.name
        if logo is None and not old:
            return obj
        obj.logo = logo or ""
        obj.save()
        audit(actor, "settings.logo", obj, detail={"logo": "replaced" if logo else "removed"}, request=request)
        if old:
            storage = obj.logo.storage
            transaction.on_commit(lambda: storage.delete(old))
    cache.delete(NetworkSettings.CACHE_KEY)
    return obj


def check_company(company, *, name):
    if not name.strip():
        raise ValidationError(_("Please enter the company name."))
    if GroupCompany.objects.filter(name=name.strip()).exclude(pk=company.pk).exists():
        raise ValidationError(_("A group company with this name already exists."))


def do_save_company(actor, company, *, name, name_kana, request=None):
    check_company(company, name=name)
    name, name_kana = name.strip(), name_kana.strip()
    company.name, company.name_kana, company.sort_key = name, name_kana, reading_key(name_kana or name)
    created = company.pk is None
    company.save()
    audit(actor, "company.create" if created else "company.update", company, request=request)
    return company


def do_delete_company(actor, company, *, request=None):
    """Delete a group company; members who belonged to it keep their account without a company."""
    with transaction.atomic():
        audit(actor, "company.delete", company, request=request, detail={"members": company.user_set.count()})
        company.delete()


def check_department(department, *, name, parent):
    """Raise ValidationError unless `name` under `parent` is a valid, free place for `department`."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Please enter the department name."))
    if "/" in name or "／" in name:
        raise ValidationError(_("A department name cannot contain “/”. Use the parent department instead."))
    node = parent
    while department.pk is not None and node is not None:
        if node.pk == department.pk:
            raise ValidationError(_("A department cannot be moved under itself or one of its sub-departments."))
        node = node.parent
    path = f"{parent.path}/{name}" if parent else name
    if len(path) > Department._meta.get_field("path").max_length:
        raise ValidationError(_("The department is nested too deeply."))
    if Department.objects.filter(path=path).exclude(pk=department.pk).exists():
        raise ValidationError(_("A department with this name already exists in the same place."))


def do_save_department(actor, department, *, name, parent, request=None):
    """Create or rename/move a department; paths of the whole subtree follow."""
    check_department(department, name=name, parent=parent)
    name = name.strip()
    with transaction.atomic():
        old_path = department.path
        department.name, department.parent = name, parent
        department.path = f"{parent.path}/{name}" if parent else name
        created = department.pk is None
        department.save()
        if old_path and old_path != department.path:
            for child in Department.objects.filter(path__startswith=old_path + "/"):
                child.path = department.path + child.path[len(old_path):]
                child.save(update_fields=["path"])
        audit(actor, "department.create" if created else "department.update", department, request=request)
    return department


def check_delete_department(department):
    if department.children.exists():
        raise ValidationError(_("This department has sub-departments. Move or delete them first."))


def do_delete_department(actor, department, *, request=None):
    """Delete a leaf department; its members keep their account without a department."""
    check_delete_department(department)
    with transaction.atomic():
        audit(actor, "department.delete", department, request=request,
              detail={"members": department.user_set.count()})
        department.delete()
