"""`kizuna expire-imports`: end HR import jobs nobody will finish and delete their files (run it from cron)."""

from django.core.management.base import BaseCommand

from kizuna.members import actions


class Command(BaseCommand):
    help = ("Mark import jobs whose worker stopped (15 minutes without progress) as failed and jobs not applied "
            "within 7 days as expired; their uploaded HR files are deleted.")

    def handle(self, *args, **options):
        count = actions.do_expire_import_jobs()
        if options["verbosity"]:
            self.stdout.write(f"{count} import job(s) ended.")
