from django.urls import path

from . import views

urlpatterns = [
    path("report/<slug:kind>/<int:object_id>/", views.report, name="report"),
    path("moderation/", views.queue, name="moderation_queue"),
    path("moderation/<int:pk>/", views.item_detail, name="moderation_item"),
    path("moderation/words/", views.word_list, name="moderation_words"),
    path("moderation/words/<int:pk>/remove/", views.word_remove, name="moderation_word_remove"),
]
