"""Writes for network settings, the organisation tree and the audit log."""

from django.core.cache import cache
from django.db import transaction

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


def do_save_company(actor, company, *, name, name_kana, request=None):
    company.name, company.name_kana, company.sort_key = name, name_kana, reading_key(name_kana or name)
    created = company.pk is None
    company.save()
    audit(actor, "company.create" if created else "company.update", company, request=request)
    return company


def do_delete_company(actor, company, *, request=None):
    audit(actor, "company.delete", company, request=request)
    company.delete()


def do_save_department(actor, department, *, name, parent, request=None):
    """Create or rename/move a department; paths of the whole subtree follow."""
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


def do_delete_department(actor, department, *, request=None):
    audit(actor, "department.delete", department, request=request)
    department.delete()
