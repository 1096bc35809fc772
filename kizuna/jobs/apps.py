from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "kizuna.jobs"
    label = "jobs"
    verbose_name = _("Jobs")

    def ready(self):
        from kizuna.members.changes import member_withdrawing
        from kizuna.members.export import register_sections
        from kizuna.notifications.categories import Category, register

        from . import actions, export

        member_withdrawing.connect(actions.forget_member, dispatch_uid="jobs.forget_member")
        register_sections(export.sections)
        register(Category(actions.NOTIFY_CATEGORY, _("New job postings that match you"), export.describe_postings))
