from django.urls import path

from . import log_views, settings_views, views

urlpatterns = [
    path("", views.admin_home, name="admin_home"),
    path("settings/", settings_views.settings_general, name="settings_general"),
    path("settings/registration/", settings_views.settings_registration, name="settings_registration"),
    path("settings/eligibility/", settings_views.settings_eligibility, name="settings_eligibility"),
    path("settings/companies/", settings_views.company_list, name="company_list"),
    path("settings/companies/<int:pk>/", settings_views.company_edit, name="company_edit"),
    path("settings/companies/<int:pk>/delete/", settings_views.company_delete, name="company_delete"),
    path("settings/departments/", settings_views.department_list, name="department_list"),
    path("settings/departments/new/", settings_views.department_new, name="department_new"),
    path("settings/departments/<int:pk>/", settings_views.department_edit, name="department_edit"),
    path("settings/departments/<int:pk>/delete/", settings_views.department_delete, name="department_delete"),
    path("audit/", log_views.audit_log, name="audit_log"),
    path("audit/export.csv", log_views.audit_export, name="audit_export"),
    path("outbox/", log_views.outbox, name="outbox"),
    path("outbox/<int:pk>/", log_views.outbox_detail, name="outbox_detail"),
]
