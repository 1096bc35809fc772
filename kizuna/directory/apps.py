from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "kizuna.directory"
    verbose_name = "Directory"

    def ready(self):
        from . import signals  # noqa: F401  (keeps the index in step with profiles)
