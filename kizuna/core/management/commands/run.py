"""`kizuna run`: migrate, create demo data (KIZUNA_DEMO=1 only), start web + task worker."""

import os
import signal
import subprocess
import sys

import uvicorn
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from kizuna.core.mail import outbox_in_use
from kizuna.members.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_exists
from kizuna.members.models import User


def _exit_on_sigterm(signum, frame):
    # uvicorn handles SIGTERM itself, then re-raises it once it has shut down; without a handler of
    # our own that would kill the process before the `finally` below stops the worker.
    sys.exit(0)


def _default_site_url(port):
    """Links in email lead to the port actually served unless KIZUNA_SITE_URL says otherwise: here, in
    the worker (which builds most mail) and in uvicorn's worker processes, which all read the environment."""
    if not os.environ.get("KIZUNA_SITE_URL") and not os.environ.get("KIZUNA_SITE_URL_FILE"):
        os.environ["KIZUNA_SITE_URL"] = settings.SITE_URL = f"http://localhost:{port}"


class Command(BaseCommand):
    help = "Run Kizuna: web server and one background task worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
        parser.add_argument("--no-demo", action="store_true", help="never create demo data (even with KIZUNA_DEMO)")

    def handle(self, *args, host, port, workers, no_demo, **options):
        if workers > 1 and not settings.REDIS_URL:
            # The in-memory channel layer reaches the chat sockets of its own process only.
            raise CommandError("Several web processes need REDIS_URL: chat notices travel between them through Redis.")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        # The demo network has published passwords (an admin's among them): only when asked for.
        if settings.DEMO and not no_demo and not User.objects.exists():
            self.stdout.write("Creating demo data (about 300 members)…")
            call_command("seed", demo=True, verbosity=0)
        _default_site_url(port)
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        worker = subprocess.Popen([sys.executable, "-m", "kizuna", "worker"])
        try:
            self._announce(host, port)
            uvicorn.run("kizuna.asgi:application", host=host, port=port, workers=workers,
                        log_level="warning", lifespan="off")
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)

    def _announce(self, host, port):
        shown_host = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host  # noqa: S104
        self.stdout.write(self.style.SUCCESS(f"\nKizuna is running at http://{shown_host}:{port}/"))
        if settings.DEMO and demo_exists():
            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
            for role, email in DEMO_ACCOUNTS:
                self.stdout.write(f"  {role:<10} {email}")
        elif not User.objects.exists():
            self.stdout.write("No accounts yet: create the first HR admin with `kizuna createadmin`.")
        if outbox_in_use():
            self.stdout.write("No SMTP server is configured: mail is kept in the outbox (admin menu), not sent.\n")
        sys.stdout.flush()
