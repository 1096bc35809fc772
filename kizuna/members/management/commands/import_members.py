"""`kizuna import-members FILE [--dry-run] [--language en]`: move an existing network's members to Kizuna.

The file is a CSV (UTF-8, UTF-8 with BOM or CP932) or XLSX list with the leaver columns plus 現在の会社,
現在の役職, 地域, スキル, 自己紹介 and ローマ字 (see member_importer). Each row becomes an active member
(an alumnus with a leaving date, an employee without) who is emailed a link to set a password.

Exit status and output as `kizuna import-leavers`: 0 when every row is valid (and, without --dry-run,
imported); 1 when any row has a problem, in which case nothing is written; one line per problem:
`line 12: メールアドレス: An account with this email address already exists.`
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from kizuna.members import actions, member_importer
from kizuna.members.models import Role

ROWS_SHOWN = 50


class Command(BaseCommand):
    help = "Check (--dry-run) or import a list of members from another network (CSV in UTF-8/CP932, or XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Only check the file and show who would be added.")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE, choices=[c for c, _n in settings.LANGUAGES])

    def handle(self, *args, language, **options):
        with translation.override(language):
            self.run(**options)

    def run(self, *, file, dry_run, **options):
        try:
            with file.open("rb") as handle:
                validation = member_importer.read_and_validate(handle, file.name)
        except OSError as error:
            raise CommandError(_("Cannot open %(file)s: %(reason)s") % {
                "file": file, "reason": error.strerror}, returncode=1) from None
        if not validation.valid:
            self._print(validation.errors)
            self._print(validation.warnings, warning=True)
            raise CommandError(_("%(count)s problem(s) found; nothing was imported.") % {
                "count": len(validation.errors)}, returncode=1)
        self._print(validation.warnings, warning=True)
        if dry_run:
            self._print_members(validation)
            self.stdout.write(_("No problems found. Importing would add %(count)s members (alumni %(alumni)s, "
                                "employees %(employees)s) and email each a link to set a password.")
                              % self._counts(validation))
            return
        try:
            actions.do_import_members(None, validation, source="cli", filename=file.name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=1) from None
        self.stdout.write(_("Imported %(count)s members (alumni %(alumni)s, employees %(employees)s); each was "
                            "emailed a link to set a password.") % self._counts(validation))

    def _counts(self, validation):
        roles = [member_importer.member_role(values) for _line, values in validation.rows]
        return {"count": len(roles), "alumni": roles.count(Role.ALUMNI), "employees": roles.count(Role.EMPLOYEE)}

    def _print_members(self, validation):
        """`line 2: 山田 太郎 <taro@example.jp>: Alumni` for the first rows, then a count."""
        labels = dict(Role.choices)
        for line, values in validation.rows[:ROWS_SHOWN]:
            role = labels[member_importer.member_role(values)]
            self.stdout.write(f"line {line}: {values['name']} <{values['email']}>: {role}")
        if len(validation.rows) > ROWS_SHOWN:
            self.stdout.write(_("… %(count)s more members") % {"count": len(validation.rows) - ROWS_SHOWN})

    def _print(self, problems, warning=False):
        for problem in problems:
            self.stdout.write(problem.as_line(warning=warning))
