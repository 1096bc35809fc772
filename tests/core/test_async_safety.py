"""Django refuses synchronous ORM calls from async code (they would block the event loop). The browser
tests lift that guard while their chromium runs; it must be back for every other test of the session."""

import asyncio
import os

import pytest
from django.core.exceptions import SynchronousOnlyOperation

from kizuna.members.models import User


@pytest.mark.django_db
def test_orm_calls_from_async_code_are_refused():
    async def count_members():
        return User.objects.count()

    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ
    with pytest.raises(SynchronousOnlyOperation):
        asyncio.run(count_members())
