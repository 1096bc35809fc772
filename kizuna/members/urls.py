from django.urls import path

from . import admin_views, views

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/details/", views.account_edit, name="account_edit"),
    path("account/data/", views.account_data, name="account_data"),
    path("account/data.json", views.account_data_json, name="account_data_json"),
    path("account/withdraw/", views.account_withdraw, name="account_withdraw"),
    path("guidelines/accept/", views.guidelines_accept, name="guidelines_accept"),
    path("apply/", views.apply, name="apply"),
    path("apply/status/", views.application_status, name="application_status"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("manage/members/", admin_views.member_list, name="member_list"),
    path("manage/members/<int:pk>/", admin_views.member_detail, name="member_detail"),
    path("manage/members/<int:pk>/role/", admin_views.member_change_role, name="member_change_role"),
    path("manage/members/<int:pk>/suspend/", admin_views.member_suspend, name="member_suspend"),
    path("manage/members/<int:pk>/reactivate/", admin_views.member_reactivate, name="member_reactivate"),
    path("manage/members/<int:pk>/withdraw/", admin_views.member_withdraw, name="member_withdraw"),
    # HR pages (under /manage/ like the rest of the admin).
    path("manage/invitations/", views.invitation_list, name="invitation_list"),
    path("manage/invitations/batch/<int:pk>/", views.invitation_batch, name="invitation_batch"),
    path("manage/invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("manage/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("manage/applications/", views.application_list, name="application_list"),
    path("manage/applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("manage/applications/<int:pk>/approve/", views.application_approve, name="application_approve"),
    path("manage/applications/<int:pk>/reject/", views.application_reject, name="application_reject"),
]
