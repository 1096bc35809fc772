"""`kizuna worker`: django-tasks-db's `db_worker`, plus housekeeping enqueued at start and every 10 minutes
(retry failed mail, prune finished task results, expire unconfirmed sign-ups)."""

import logging
import os
import threading
import time

from django.db import connection
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from kizuna.core.tasks import housekeeping

HOUSEKEEPING_EVERY_SECONDS = 600
logger = logging.getLogger(__name__)


def enqueue_housekeeping():
    try:
        housekeeping.enqueue()
    except Exception:  # the database may be briefly unavailable: the next round tries again
        logger.exception("Could not enqueue housekeeping")


def _keep_enqueuing():
    while True:
        time.sleep(HOUSEKEEPING_EVERY_SECONDS)
        enqueue_housekeeping()
        connection.close()  # this thread's own connection: not held open while it sleeps


class Command(DBWorkerCommand):
    help = "Run a background task worker (with periodic housekeeping)."

    def handle(self, *args, **options):
        # With --reload the parent process only watches files; the worker runs in the child.
        if not options["reload"] or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            enqueue_housekeeping()
            threading.Thread(target=_keep_enqueuing, name="housekeeping", daemon=True).start()
        super().handle(*args, **options)
