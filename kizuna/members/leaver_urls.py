"""Admin (HR) URLs for leaver records and imports; included under /manage/."""

from django.urls import path

from . import leaver_views as views

urlpatterns = [
    path("leavers/", views.leaver_list, name="leaver_list"),
    path("leavers/<int:pk>/", views.leaver_detail, name="leaver_detail"),
    path("leavers/<int:pk>/exclusion/", views.leaver_set_excluded, name="leaver_set_excluded"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", views.import_detail_partial, name="import_detail_partial"),
    path("imports/<int:pk>/apply/", views.import_apply, name="import_apply"),
    path("imports/<int:pk>/problems.csv", views.import_errors_csv, name="import_errors_csv"),
]
