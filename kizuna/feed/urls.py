from django.urls import path

from . import views

urlpatterns = [
    path("feed/", views.feed, name="feed"),
    path("feed/new/", views.post_new, name="feed_post_new"),
    path("feed/settings/", views.feed_settings, name="feed_settings"),
    path("feed/mentions/", views.mention_search, name="feed_mentions"),
    path("feed/posts/<int:pk>/", views.post_detail, name="feed_post"),
    path("feed/posts/<int:pk>/edit/", views.post_edit, name="feed_post_edit"),
    path("feed/posts/<int:pk>/delete/", views.post_delete, name="feed_post_delete"),
    path("feed/posts/<int:pk>/image/", views.post_image, name="feed_post_image"),
    path("feed/posts/<int:pk>/reply/", views.reply_new, name="feed_reply_new"),
    path("feed/posts/<int:pk>/react/", views.react, name="feed_react"),
    path("feed/replies/<int:pk>/edit/", views.reply_edit, name="feed_reply_edit"),
    path("feed/replies/<int:pk>/delete/", views.reply_delete, name="feed_reply_delete"),
    path("feed/official/", views.official_list, name="feed_official"),
    path("feed/official/new/", views.official_new, name="feed_official_new"),
]
