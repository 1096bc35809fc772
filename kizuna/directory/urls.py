from django.urls import path

from . import views

urlpatterns = [
    path("members/", views.directory, name="directory"),
    path("members/export.csv", views.export_csv, name="directory_export_csv"),
    path("members/export.xlsx", views.export_xlsx, name="directory_export_xlsx"),
]
