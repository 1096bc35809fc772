from django.urls import path

from . import views

urlpatterns = [
    path("account/notifications/", views.preferences, name="notifications_preferences"),
    path("account/unsubscribe/<str:token>/", views.unsubscribe, name="notifications_unsubscribe"),
    path("notifications/", views.bell, name="notifications_bell"),
    path("notifications/count/", views.bell_count, name="notifications_bell_count"),
    path("notifications/read/", views.mark_all_read, name="notifications_read_all"),
    path("notifications/<int:pk>/", views.open_alert, name="notifications_open"),
]
