"""`kizuna import-leavers FILE [--dry-run] [--invite] [--language en]`: HR's leaver list from the shell.

Exit status 0 when every row is valid (and, without --dry-run, applied); 1 when any row is invalid,
in which case nothing is written. One line per problem: `line 12: 退職日: 日付として読めません: 2019/13/1`.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from kizuna.members import actions, importer

CHANGES_SHOWN = 50


class Command(BaseCommand):
    help = "Check (--dry-run) or import an HR leaver list (CSV in UTF-8/CP932, or XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Only check the file and show what would change.")
        parser.add_argument("--invite", action="store_true", help="Invite newly eligible people after importing.")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE, choices=[c for c, _n in settings.LANGUAGES])

    def handle(self, *args, language, **options):
        with translation.override(language):
            self.run(**options)

    def run(self, *, file, dry_run, invite, **options):
        try:
            with file.open("rb") as handle:
                validation = importer.read_and_validate(handle, file.name)
        except OSError as error:
            raise CommandError(_("Cannot open %(file)s: %(reason)s") % {
                "file": file, "reason": error.strerror}, returncode=1) from None
        if not validation.valid:
            self._print(validation.errors)
            raise CommandError(_("%(count)s problem(s) found; nothing was imported.") % {
                "count": len(validation.errors)}, returncode=1)
        if dry_run:
            plan = importer.diff(validation)
            counts = plan.counts
            self._print(validation.warnings, warning=True)
            self._print_changes(plan)
            self.stdout.write(_("No problems found. Importing would give: created %(created)s, "
                                "updated %(updated)s, unchanged %(unchanged)s.") % counts)
            return
        counts = actions.do_apply_leaver_import(None, validation, source="cli", filename=file.name, invite=invite)
        self._print(validation.warnings, warning=True)
        self.stdout.write(_("Imported: created %(created)s, updated %(updated)s, unchanged %(unchanged)s.") % counts)
        if invite:
            self.stdout.write(_("Invitations sent: %(invited)s, not possible: %(not_invited)s.") % counts)

    def _print_changes(self, plan):
        """One line per changed field of the existing records: `line 3: 社員番号 E001: 所属: 営業本部 → 開発本部`."""
        headers = plan.validation.headers
        lines = {values["employee_number"]: line for line, values in plan.validation.rows}
        changes = [(lines[record.employee_number], record.employee_number, name, old, new)
                   for record, fields in plan.updated for name, (old, new) in fields.items()]
        for line, number, name, old, new in changes[:CHANGES_SHOWN]:
            self.stdout.write(f"line {line}: {headers['employee_number']} {number}: {headers[name]}: "
                              f"{importer.display_value(name, old)} → {importer.display_value(name, new)}")
        if len(changes) > CHANGES_SHOWN:
            self.stdout.write(_("… %(count)s more changes") % {"count": len(changes) - CHANGES_SHOWN})

    def _print(self, problems, warning=False):
        for problem in problems:
            self.stdout.write(problem.as_line(warning=warning))
