"""Applying, HR's pipeline (notes, history, hired → rehire), and who may see an application and its CV."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kizuna.core.models import AuditLog, OutboxEmail
from kizuna.jobs import actions
from kizuna.jobs.cv import clean_cv
from kizuna.jobs.models import JobApplication, Rehire, Stage
from tests.factories import MemberFactory

from .helpers import apply, make_posting, pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db


def test_apply_in_one_step_with_a_cv(client, alumni_user, admin_user):
    posting = make_posting(admin_user, contact=admin_user)
    client.force_login(alumni_user)
    response = client.post(reverse("job_apply", args=[posting.pk]),
                           {"message": "また一緒に働きたいです。", "cv": pdf_upload()})
    assert response.status_code == 302
    application = JobApplication.objects.get(applicant=alumni_user)
    assert application.stage == Stage.NEW and application.cv.name.endswith(".pdf")
    assert "職務経歴書" not in application.cv.name  # stored under a random name
    assert OutboxEmail.objects.filter(to=admin_user.email, subject__contains=posting.title).exists()
    page = client.get(reverse("my_jobs")).content.decode()
    assert posting.title in page and "新規" in page


@pytest.mark.parametrize("data, message", [
    (b"GIF89a not a pdf", "PDF"),
    (b"%PDF-1.7\n garbage that is no PDF", "読み取れません"),
])
def test_cv_must_be_a_readable_pdf(client, alumni_user, data, message):
    posting = make_posting()
    client.force_login(alumni_user)
    response = client.post(reverse("job_apply", args=[posting.pk]), {"cv": pdf_upload("cv.pdf", data)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not JobApplication.objects.exists()


def test_cv_size_limit():
    big = pdf_upload(data=pdf_bytes() + b"%" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError, match="10MB"):
        clean_cv(big)


def test_cannot_apply_twice_or_to_a_closed_posting(alumni_user):
    posting = make_posting()
    apply(alumni_user, posting)
    with pytest.raises(ValidationError):
        apply(alumni_user, posting)
    closed = make_posting(status="closed")
    with pytest.raises(ValidationError):
        apply(alumni_user, closed)


def test_alumni_only_postings_are_not_shown_to_employees(client, employee_user, alumni_user):
    posting = make_posting(audience="alumni", title="アルムナイ限定：PM")
    client.force_login(employee_user)
    assert "アルムナイ限定" not in client.get(reverse("job_list")).content.decode()
    assert client.get(reverse("job_detail", args=[posting.pk])).status_code == 404
    client.force_login(alumni_user)
    assert "アルムナイ限定" in client.get(reverse("job_list")).content.decode()


def test_hired_records_a_rehire_and_counts_on_the_dashboard(admin_client, admin_user, alumni_user):
    posting = make_posting()
    application = apply(alumni_user, posting)
    for stage in (Stage.SCREENING, Stage.INTERVIEW, Stage.OFFER):
        actions.do_move_application(admin_user, application, stage)
    response = admin_client.post(reverse("hr_application_move", args=[application.pk]), {"stage": "hired"})
    assert response.status_code == 400  # the start date is needed
    response = admin_client.post(reverse("hr_application_move", args=[application.pk]),
                                 {"stage": "hired", "hired_on": "2026-04-01", "note": "4月入社で合意"})
    assert response.status_code == 302
    rehire = Rehire.objects.get()
    assert (rehire.member, rehire.kind, rehire.hired_on) == (alumni_user, "rehire", datetime.date(2026, 4, 1))
    dashboard = admin_client.get(reverse("admin_home")).content.decode()
    assert "再入社（累計）" in dashboard
    assert reverse("hr_rehires") in dashboard
    with pytest.raises(ValidationError):
        actions.do_move_application(admin_user, application, Stage.REJECTED)


def test_hr_notes_and_history_never_reach_the_applicant(client, admin_user, alumni_user):
    posting = make_posting()
    application = apply(alumni_user, posting)
    actions.do_add_note(admin_user, application, "給与の期待値が高め（社外秘）")
    actions.do_move_application(admin_user, application, Stage.INTERVIEW, note="一次面接は部長")
    client.force_login(alumni_user)
    for url in (reverse("my_jobs"), reverse("job_detail", args=[posting.pk]), reverse("job_list")):
        page = client.get(url).content.decode()
        assert "社外秘" not in page and "一次面接は部長" not in page
    data = client.get(reverse("account_data_json")).content.decode()
    assert "社外秘" not in data and "一次面接は部長" not in data
    assert "面接" in client.get(reverse("my_jobs")).content.decode()  # the status itself is theirs


def test_applications_and_cvs_are_only_for_the_applicant_and_hr(client, admin_user, alumni_user):
    posting = make_posting()
    application = apply(alumni_user, posting, cv=True)
    other = MemberFactory()
    cv_url = reverse("job_application_cv", args=[application.pk])
    client.force_login(other)
    assert client.get(cv_url).status_code == 404
    assert client.post(reverse("job_application_withdraw", args=[application.pk])).status_code == 404
    assert alumni_user.name not in client.get(reverse("my_jobs")).content.decode()
    client.force_login(alumni_user)
    response = client.get(cv_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(admin_user)
    assert client.get(cv_url).status_code == 200
    assert AuditLog.objects.filter(action="jobs.view_cv").count() == 1


def test_pipeline_board_and_list(admin_client, admin_user, django_assert_max_num_queries):
    posting = make_posting()
    for n in range(6):
        application = apply(MemberFactory(name=f"応募 者{n}"), posting)
        if n % 2:
            actions.do_move_application(admin_user, application, Stage.SCREENING)
    with django_assert_max_num_queries(12):
        board = admin_client.get(reverse("hr_pipeline")).content.decode()
    assert "応募 者0" in board and "選考中" in board
    with django_assert_max_num_queries(12):
        listed = admin_client.get(reverse("hr_pipeline"), {"view": "list", "stage": "screening"}).content.decode()
    assert "応募 者1" in listed and "応募 者0" not in listed


def test_applicant_withdraws(client, alumni_user):
    application = apply(alumni_user, make_posting())
    client.force_login(alumni_user)
    client.post(reverse("job_application_withdraw", args=[application.pk]))
    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN


def test_list_pages_cost_a_bounded_number_of_queries(client, admin_client, admin_user, django_assert_max_num_queries):
    import datetime as dt

    from django.utils import timezone

    for n in range(8):
        member = MemberFactory()
        posting = make_posting(title=f"求人{n}", skills=["Python", f"スキル{n}"])
        application = apply(member, posting)
        actions.do_move_application(admin_user, application, Stage.HIRED, hired_on=dt.date(2026, 4, 1))
        actions.do_request_talk(member, None, topic="相談", times=[timezone.now() + dt.timedelta(days=2)])
        actions.do_refer(member, posting, name="紹介 花子", email=f"r{n}@example.com", relation="友人", agreed=True)
        actions.do_state_intention(member, want="yes", can="later")
    for name in ("hr_postings", "hr_rehires", "hr_talks", "hr_referrals", "hr_intentions", "hr_pipeline"):
        with django_assert_max_num_queries(14):
            assert admin_client.get(reverse(name)).status_code == 200
    client.force_login(MemberFactory())
    for name in ("job_list", "my_jobs", "talks"):
        with django_assert_max_num_queries(10):
            assert client.get(reverse(name)).status_code == 200
