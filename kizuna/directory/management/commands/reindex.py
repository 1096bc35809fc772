import time

from django.core.management.base import BaseCommand

from kizuna.directory.index import reindex_all


class Command(BaseCommand):
    help = "Rebuild the directory's search index from every active member's profile."

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = reindex_all(progress=lambda done: self.stdout.write(f"\r{done:,} entries", ending=""))
        self.stdout.write(f"\rIndexed {count:,} directory entries in {time.perf_counter() - started:.1f} s.")
