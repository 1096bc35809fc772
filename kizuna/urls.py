from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from kizuna.api.api import api
from kizuna.api.errors import not_found as api_not_found
from kizuna.core import views as core_views
from kizuna.members import account_views

handler403 = "kizuna.core.views.error_403"
handler404 = "kizuna.core.views.error_404"
handler500 = "kizuna.core.views.error_500"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", RedirectView.as_view(url=static("kizuna/favicon.svg"), permanent=True), name="favicon"),
    path("guidelines/", core_views.guidelines, name="guidelines"),
    path("privacy/", core_views.privacy, name="privacy"),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<path>.*)$", api_not_found, name="api_not_found"),
    path("manage/", include("kizuna.core.urls")),
    path("account/tokens/", include("kizuna.api.urls")),
    path("manage/", include("kizuna.members.leaver_urls")),
    path("", include("kizuna.directory.urls")),
    path("", include("kizuna.jobs.urls")),
    path("", include("kizuna.notifications.urls")),
    path("", include("kizuna.events.urls")),
    path("", include("kizuna.groups.urls")),
    path("", include("kizuna.moderation.urls")),
    path("", include("kizuna.feed.urls")),
    path("", include("kizuna.chat.urls")),
    path("", include("kizuna.members.urls")),
]

# Public uploads (the network logo). Private files live in the "private" storage, never here.
urlpatterns += [
    re_path(r"^media/(?P<path>.*)$", core_views.media, name="media"),
]
