from django.urls import path

from . import hr_views, views

urlpatterns = [
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/apply/", views.job_apply, name="job_apply"),
    path("jobs/<int:pk>/refer/", views.job_refer, name="job_refer"),
    path("jobs/mine/", views.my_jobs, name="my_jobs"),
    path("jobs/intention/", views.intention, name="job_intention"),
    path("jobs/applications/<int:pk>/withdraw/", views.application_withdraw, name="job_application_withdraw"),
    path("jobs/applications/<int:pk>/cv/", views.application_cv, name="job_application_cv"),
    path("jobs/talks/", views.talks, name="talks"),
    path("jobs/talks/new/", views.talk_new, name="talk_new"),
    path("jobs/talks/<int:pk>/", views.talk_detail, name="talk_detail"),
    path("jobs/talks/<int:pk>/answer/", views.talk_answer, name="talk_answer"),
    path("jobs/talks/<int:pk>/accept/", views.talk_accept, name="talk_accept"),
    path("jobs/talks/<int:pk>/cancel/", views.talk_cancel, name="talk_cancel"),
    path("jobs/hosting/", views.hosting, name="hosting"),
    path("manage/jobs/", hr_views.postings, name="hr_postings"),
    path("manage/jobs/new/", hr_views.posting_edit, name="hr_posting_new"),
    path("manage/jobs/<int:pk>/", hr_views.posting_edit, name="hr_posting_edit"),
    path("manage/jobs/pipeline/", hr_views.pipeline, name="hr_pipeline"),
    path("manage/jobs/applications/<int:pk>/", hr_views.application_detail, name="hr_application_detail"),
    path("manage/jobs/applications/<int:pk>/move/", hr_views.application_move, name="hr_application_move"),
    path("manage/jobs/applications/<int:pk>/note/", hr_views.application_note, name="hr_application_note"),
    path("manage/jobs/rehires/", hr_views.rehires, name="hr_rehires"),
    path("manage/jobs/talks/", hr_views.talks, name="hr_talks"),
    path("manage/jobs/referrals/", hr_views.referrals, name="hr_referrals"),
    path("manage/jobs/referrals/<int:pk>/move/", hr_views.referral_move, name="hr_referral_move"),
    path("manage/jobs/referrals/<int:pk>/erase/", hr_views.referral_erase, name="hr_referral_erase"),
    path("manage/jobs/intentions/", hr_views.intentions, name="hr_intentions"),
]
