from django.urls import path

from . import views

urlpatterns = [
    path("groups/", views.group_list, name="group_list"),
    path("groups/new/", views.group_new, name="group_new"),
    path("groups/<slug:slug>/", views.group_detail, name="group_detail"),
    path("groups/<slug:slug>/members/", views.group_members, name="group_members"),
    path("groups/<slug:slug>/join/", views.group_join, name="group_join"),
    path("groups/<slug:slug>/leave/", views.group_leave, name="group_leave"),
    path("groups/<slug:slug>/decline/", views.group_decline_invitation, name="group_decline_invitation"),
    path("groups/<slug:slug>/edit/", views.group_edit, name="group_edit"),
    path("groups/<slug:slug>/manage/", views.group_manage, name="group_manage"),
    path("groups/<slug:slug>/manage/invite/", views.group_invite, name="group_invite"),
    path("groups/<slug:slug>/manage/<int:pk>/decide/", views.group_decide, name="group_decide"),
    path("groups/<slug:slug>/manage/<int:pk>/role/", views.group_member_role, name="group_member_role"),
    path("groups/<slug:slug>/manage/<int:pk>/remove/", views.group_member_remove, name="group_member_remove"),
    path("groups/<slug:slug>/delete/", views.group_delete, name="group_delete"),
    path("manage/settings/groups/", views.group_policy, name="group_policy"),
]
