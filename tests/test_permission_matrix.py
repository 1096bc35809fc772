"""Who gets what on every URL: one row per URL (see tests/permissions.py for how to add one)."""

import pytest

from kizuna.members import actions

from .factories import LeaverRecordFactory
from .permissions import (
    ADMINS,
    API_ADMINS,
    API_MEMBERS,
    APPLICATION_STATUS,
    MEMBERS,
    NOT_FOUND,
    PUBLIC,
    SIGNED_IN,
    Context,
    Redirect,
    assert_outcome,
    cases,
    row,
    user_for,
)


def own_token(context):
    """The requester's own token (members); for others, some token that exists."""
    owner = context.user if context.user is not None and context.user.is_member else context.other
    return {"pk": actions.do_create_token(owner, "mine")[0].pk}


def others_token(context):
    return {"pk": actions.do_create_token(context.other, "someone else's")[0].pk}


def an_application(context):
    user = actions.do_apply(email="applicant@example.net", password="hanabi-kaminari-42", name="申請 太郎",
                            name_kana="しんせい たろう", language="ja", employee_number="E1", joined_year=2010,
                            left_year=2020)
    return {"pk": user.application.pk}


def an_invitation_link(context):
    invitation = actions.do_invite(None, LeaverRecordFactory(email="invitee@example.net"))
    return {"token": actions.invitation_url(invitation).rstrip("/").rsplit("/", 1)[1]}


def a_record(context):
    return {"pk": LeaverRecordFactory().pk}


MATRIX = [
    row("home", PUBLIC),
    row("account_login", PUBLIC, member=Redirect("home"), pending=Redirect("home")),
    # Signed-in people have nothing to apply for; without an application there is no status to follow.
    row("apply", PUBLIC, member=Redirect("home"), pending=Redirect("home")),
    row("application_status", SIGNED_IN, member=Redirect("home"), pending=Redirect("home")),
    row("invitation_accept", PUBLIC, kwargs=an_invitation_link, pending=APPLICATION_STATUS),
    row("invitation_list", ADMINS, pending=APPLICATION_STATUS),
    row("application_list", ADMINS, pending=APPLICATION_STATUS),
    row("application_detail", ADMINS, kwargs=an_application, pending=APPLICATION_STATUS),
    row("application_reject", ADMINS, method="post", kwargs=an_application, data={"message": "見送ります。"},
        pending=APPLICATION_STATUS, admin=Redirect("application_list")),
    row("leaver_set_excluded", ADMINS, method="post", kwargs=a_record, data={"excluded": "1"},
        pending=APPLICATION_STATUS, admin=302),  # back to the record page
    row("account", SIGNED_IN),
    # Members who accepted the current guidelines have nothing to accept.
    row("guidelines_accept", MEMBERS, member=Redirect("home")),
    row("admin_home", ADMINS, pending=APPLICATION_STATUS),
    row("api:me", API_MEMBERS),
    row("api:stats", API_ADMINS),
    row("api_tokens", MEMBERS),
    row("api_token_revoke", MEMBERS, method="post", kwargs=own_token, label="own", member=Redirect("api_tokens")),
    row("api_token_revoke", MEMBERS, method="post", kwargs=others_token, label="another's", member=NOT_FOUND),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("matrix_row", "role"), cases(MATRIX))
def test_permission_matrix(client, matrix_row, role):
    user = user_for(role)
    if user is not None:
        client.force_login(user)
    response = matrix_row.request(client, Context(user))
    assert_outcome(response, matrix_row.expected[role])


def test_matrix_rows_are_unique():
    names = [r.name for r in MATRIX]
    assert len(names) == len(set(names)), "two rows test the same URL and method: give one a label"
