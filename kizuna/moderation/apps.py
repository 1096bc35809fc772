from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "kizuna.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self):
        from kizuna.core.audit_labels import ACTION_LABELS
        from kizuna.members.changes import member_withdrawing
        from kizuna.members.export import register_sections

        from . import actions, audit_labels, export, registry, reportables

        member_withdrawing.connect(actions.forget_member, dispatch_uid="moderation.forget_member")
        register_sections(export.sections)
        registry.register(reportables.PROFILE)
        ACTION_LABELS.update(audit_labels.ACTION_LABELS)
