"""Members' own API tokens, under /account/tokens/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.tokens, name="api_tokens"),
    path("<int:pk>/revoke/", views.revoke_token, name="api_token_revoke"),
]
