"""Signing in through the real login form, as a person would (not force_login)."""

from django.test import Client
from django.urls import reverse

from .factories import PASSWORD


def log_in(email, password=PASSWORD):
    client = Client()
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return client, response


def signed_in(client):
    return client.get(reverse("account")).status_code == 200
