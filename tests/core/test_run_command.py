"""`kizuna run` without a real server: which data it creates, and that it stops its worker on SIGTERM."""

import signal

import pytest
from django.core.management import call_command

from kizuna.core.management.commands import run
from kizuna.members.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from kizuna.members.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def kizuna_run(monkeypatch, capsys):
    """Start `kizuna run` with a stand-in worker process and a server that receives SIGTERM at once."""
    seen = {"signals_to_worker": [], "handlers": {}}

    class Worker:
        def __init__(self, argv):
            seen["worker"] = argv[-1]

        def send_signal(self, signum):
            seen["signals_to_worker"].append(signum)

        def wait(self, timeout):
            seen["waited"] = True

    def serve(*args, **kwargs):
        # What the process sees when `kill` arrives: uvicorn re-raises SIGTERM after its shutdown.
        seen["handlers"][signal.SIGTERM](signal.SIGTERM, None)

    seed = run.call_command
    monkeypatch.setattr(run, "call_command", lambda name, **kw: seed(name, **kw) if name == "seed" else None)
    monkeypatch.setattr(run.subprocess, "Popen", Worker)
    monkeypatch.setattr(run.signal, "signal", lambda signum, handler: seen["handlers"].__setitem__(signum, handler))
    monkeypatch.setattr(run.uvicorn, "run", serve)

    def start(*argv):
        with pytest.raises(SystemExit) as stopped:
            call_command("run", *argv)
        seen["exit_code"] = stopped.value.code
        seen["out"] = capsys.readouterr().out
        return seen

    return start


def test_sigterm_stops_the_worker_too(kizuna_run):
    seen = kizuna_run()
    assert seen["worker"] == "worker"
    assert seen["exit_code"] == 0 and seen["signals_to_worker"] == [signal.SIGTERM] and seen["waited"]


def test_an_empty_database_gets_no_demo_data_outside_demo_mode(kizuna_run, settings):
    settings.DEMO = False
    out = kizuna_run()["out"]
    assert not User.objects.exists()
    assert DEMO_PASSWORD not in out and "kizuna createadmin" in out


def test_demo_mode_builds_the_demo_network_and_prints_its_logins(kizuna_run, settings):
    settings.DEMO = True
    out = kizuna_run()["out"]
    assert User.objects.filter(email=DEMO_ACCOUNTS[0][1], role=Role.ADMIN).exists()
    assert DEMO_PASSWORD in out and all(email in out for _role, email in DEMO_ACCOUNTS)


def test_no_demo_wins_over_demo_mode(kizuna_run, settings):
    settings.DEMO = True
    kizuna_run("--no-demo")
    assert not User.objects.exists()


def test_links_in_email_lead_to_the_port_served_unless_a_site_url_is_set(kizuna_run, settings, monkeypatch):
    monkeypatch.setenv("KIZUNA_SITE_URL", "")  # restored after the test, whatever `run` sets
    kizuna_run("--port", "8123")
    assert settings.SITE_URL == "http://localhost:8123"
    assert run.os.environ["KIZUNA_SITE_URL"] == "http://localhost:8123", "the worker process reads it too"

    monkeypatch.setenv("KIZUNA_SITE_URL", "https://alumni.example.jp")
    settings.SITE_URL = "https://alumni.example.jp"
    kizuna_run("--port", "8124")
    assert settings.SITE_URL == "https://alumni.example.jp"
