from django.urls import path

from . import views

urlpatterns = [
    path("account/notifications/", views.preferences, name="notifications_preferences"),
    path("account/unsubscribe/<str:token>/", views.unsubscribe, name="notifications_unsubscribe"),
]
