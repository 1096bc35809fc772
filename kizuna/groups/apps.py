from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "kizuna.groups"
    label = "groups"
    verbose_name = _("Groups")

    def ready(self):
        from kizuna.core.audit_labels import ACTION_LABELS
        from kizuna.members.changes import member_withdrawing
        from kizuna.members.export import register_sections

        from . import actions, audit_labels, export

        member_withdrawing.connect(actions.forget_member, dispatch_uid="groups.forget_member")
        register_sections(export.sections)
        ACTION_LABELS.update(audit_labels.ACTION_LABELS)
