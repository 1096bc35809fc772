from django.urls import path

from . import views

urlpatterns = [
    path("account/", views.account, name="account"),
    path("apply/", views.apply, name="apply"),
    path("apply/status/", views.application_status, name="application_status"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
