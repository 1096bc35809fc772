from django.urls import path

from . import views

urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_new, name="event_new"),
    path("events/calendar/", views.event_calendar, name="event_calendar"),
    path("events/calendar/reset/", views.event_calendar_reset, name="event_calendar_reset"),
    path("events/calendar/<str:token>.ics", views.event_calendar_feed, name="event_calendar_feed"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/rsvp/", views.event_rsvp, name="event_rsvp"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("events/<int:pk>/feedback/", views.event_feedback, name="event_feedback"),
    path("events/<int:pk>/event.ics", views.event_ics, name="event_ics"),
    path("events/<int:pk>/cover/", views.event_cover, name="event_cover"),
    path("events/<int:pk>/photos/<int:photo_pk>/", views.event_photo, name="event_photo"),
    path("events/<int:pk>/checkin/", views.event_checkin, name="event_checkin"),
    path("events/<int:pk>/walk-in/", views.event_walk_in, name="event_walk_in"),
    path("events/<int:pk>/report/", views.event_report, name="event_report"),
    path("manage/events/<int:pk>/attendees.csv", views.event_export_csv, name="event_export_csv"),
    path("manage/events/<int:pk>/attendees.xlsx", views.event_export_xlsx, name="event_export_xlsx"),
    path("manage/events/", views.event_figures, name="event_figures"),
]
