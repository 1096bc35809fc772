"""Who gets what on every URL: one row per URL (see tests/permissions.py for how to add one)."""

import pytest

from kizuna.members import actions

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


MATRIX = [
    row("home", PUBLIC),
    row("account_login", PUBLIC, member=Redirect("home"), pending=Redirect("home")),
    row("apply", PUBLIC),
    row("application_status", SIGNED_IN),
    row("account", SIGNED_IN),
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
