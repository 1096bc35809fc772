from django.urls import path

from . import views

urlpatterns = [
    path("messages/", views.chat_list, name="chat_list"),
    path("messages/new/", views.chat_new, name="chat_new"),
    path("messages/new/people/", views.chat_candidates, name="chat_candidates"),
    path("messages/settings/", views.chat_settings, name="chat_settings"),
    path("messages/with/<int:pk>/", views.chat_start, name="chat_start"),
    path("messages/event/<int:event_pk>/", views.chat_event, name="chat_event"),
    path("messages/group/<slug:slug>/", views.chat_group, name="chat_group"),
    path("messages/<int:pk>/", views.chat_conversation, name="chat_conversation"),
    path("messages/<int:pk>/send/", views.chat_send, name="chat_send"),
    path("messages/<int:pk>/after/", views.chat_after, name="chat_after"),
    path("messages/<int:pk>/before/", views.chat_before, name="chat_before"),
    path("messages/<int:pk>/read/", views.chat_read, name="chat_read"),
    path("messages/<int:pk>/search/", views.chat_search, name="chat_search"),
    path("messages/<int:pk>/people/", views.chat_people, name="chat_people"),
    path("messages/<int:pk>/people/add/", views.chat_add, name="chat_add"),
    path("messages/<int:pk>/people/<int:user_pk>/remove/", views.chat_remove, name="chat_remove"),
    path("messages/<int:pk>/leave/", views.chat_leave, name="chat_leave"),
    path("messages/<int:pk>/rename/", views.chat_rename, name="chat_rename"),
    path("messages/<int:pk>/mute/", views.chat_mute, name="chat_mute"),
    path("messages/<int:pk>/m/<int:message_pk>/edit/", views.chat_edit, name="chat_edit"),
    path("messages/<int:pk>/m/<int:message_pk>/delete/", views.chat_delete, name="chat_delete"),
    path("messages/<int:pk>/m/<int:message_pk>/file/", views.chat_attachment, name="chat_attachment"),
]
