"""`kizuna seed --members N` (a large made-up network, for benchmarks) and `kizuna seed --demo`."""

import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kizuna.directory.index import reindex_all
from kizuna.members import actions
from kizuna.members.demo import create_demo_network
from kizuna.members.seed import People, ensure_organisation, next_employee_number


class Command(BaseCommand):
    help = "Create made-up members: --members N for a large network, or --demo for the demo network."

    def add_arguments(self, parser):
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--members", type=int, metavar="N", help="create N members (with HR records for alumni)")
        what.add_argument("--demo", action="store_true",
                          help="the demo network of `make run` (only with KIZUNA_DEMO=1; skipped if present)")
        parser.add_argument("--seed-value", type=int, default=1, help="random seed: same value, same people")
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, members, demo, seed_value, batch_size, **options):
        started = time.perf_counter()
        if demo:
            if not settings.DEMO:
                # The demo network has published passwords, an admin among them: never in production.
                raise CommandError(_("The demo network has publicly known passwords, so it is only created "
                                     "when KIZUNA_DEMO=1 is set. Nothing was created."))
            created = create_demo_network()
            if options["verbosity"] and created:
                seconds = time.perf_counter() - started
                self.stdout.write(_("Demo network created in %(seconds).1f s.") % {"seconds": seconds})
            elif options["verbosity"]:
                self.stdout.write(_("Demo network already present: nothing changed."))
            return
        if members < 1:
            raise CommandError(_("--members must be at least 1."))
        companies, departments = ensure_organisation()
        # Seeded accounts cannot log in: one unusable-password marker for all of them. (A real hash
        # per member would take hours at 250,000 members: password hashing is slow on purpose.)
        people = People(seed_value, companies=companies, departments=departments, password=make_password(None),
                        first_number=next_employee_number())
        try:
            # One transaction: the directory is rebuilt in one go at the end (faster than batch by batch),
            # and nobody sees members the directory does not list yet.
            with transaction.atomic():
                created, records = actions.do_bulk_create_members(people.members(members), batch_size=batch_size,
                                                                  index=False)
                seconds = time.perf_counter() - started
                indexed = reindex_all()
        except IntegrityError as exc:
            raise CommandError(_("Nothing was created: a generated address or number already exists (%(error)s).")
                               % {"error": exc}) from exc
        index_seconds = time.perf_counter() - started - seconds
        self.stdout.write(
            _("Created %(members)s members and %(records)s HR leaver records in %(seconds).1f s (%(rate)s rows/s).")
            % {"members": f"{created:,}", "records": f"{records:,}", "seconds": seconds,
               "rate": f"{(created + records) / seconds:,.0f}"}
        )
        self.stdout.write(_("Rebuilt the directory index (%(entries)s entries) in %(seconds).1f s.")
                          % {"entries": f"{indexed:,}", "seconds": index_seconds})
