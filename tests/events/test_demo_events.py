"""The demo network's events: upcoming ones to join (one full, with a waiting list) and past ones with
check-ins, feedback and a report, so every events page has something to show."""

import pytest
from django.core.management import call_command

from kizuna.events import access
from kizuna.events.models import Event, Registration
from kizuna.members.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_has_events_in_every_state(settings):
    settings.DEMO = True
    call_command("seed", demo=True)
    assert Event.objects.count() == 4
    seminar = Event.objects.get(title__contains="生成AI")
    assert Registration.objects.filter(event=seminar, status=Registration.Status.WAITLISTED,
                                       user__email="employee@demo.kizuna.example").exists()
    kansai = Event.objects.get(title="関西アルムナイ交流会")
    figures = access.figures_of(kansai)
    assert kansai.is_over and 0 < figures["attendance_rate"] < 1 and figures["average_rating"] is not None
    assert kansai.report and kansai.photos.count() == 2
    employee = User.objects.get(email="employee@demo.kizuna.example")
    assert kansai not in access.visible_to(employee)  # alumni only
