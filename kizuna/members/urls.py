from django.urls import path

from . import account_views, admin_views, application_views, invitation_views

urlpatterns = [
    path("account/", account_views.account, name="account"),
    path("account/details/", account_views.account_edit, name="account_edit"),
    path("account/data/", account_views.account_data, name="account_data"),
    path("account/data.json", account_views.account_data_json, name="account_data_json"),
    path("account/withdraw/", account_views.account_withdraw, name="account_withdraw"),
    path("guidelines/accept/", account_views.guidelines_accept, name="guidelines_accept"),
    path("apply/", application_views.apply, name="apply"),
    path("apply/status/", application_views.application_status, name="application_status"),
    path("invitation/<str:token>/", invitation_views.invitation_accept, name="invitation_accept"),
    path("manage/members/", admin_views.member_list, name="member_list"),
    path("manage/members/<int:pk>/", admin_views.member_detail, name="member_detail"),
    path("manage/members/<int:pk>/role/", admin_views.member_change_role, name="member_change_role"),
    path("manage/members/<int:pk>/suspend/", admin_views.member_suspend, name="member_suspend"),
    path("manage/members/<int:pk>/reactivate/", admin_views.member_reactivate, name="member_reactivate"),
    path("manage/members/<int:pk>/withdraw/", admin_views.member_withdraw, name="member_withdraw"),
    # HR pages (under /manage/ like the rest of the admin).
    path("manage/invitations/", invitation_views.invitation_list, name="invitation_list"),
    path("manage/invitations/batch/<int:pk>/", invitation_views.invitation_batch, name="invitation_batch"),
    path("manage/invitations/<int:pk>/resend/", invitation_views.invitation_resend, name="invitation_resend"),
    path("manage/invitations/<int:pk>/revoke/", invitation_views.invitation_revoke, name="invitation_revoke"),
    path("manage/applications/", application_views.application_list, name="application_list"),
    path("manage/applications/<int:pk>/", application_views.application_detail, name="application_detail"),
    path("manage/applications/<int:pk>/approve/", application_views.application_approve, name="application_approve"),
    path("manage/applications/<int:pk>/reject/", application_views.application_reject, name="application_reject"),
]
