from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "kizuna.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self):
        from . import signals  # noqa: F401
