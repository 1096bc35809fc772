"""Pages where members manage their personal API tokens."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kizuna.members import actions
from kizuna.members.access import access_own_api_token, member_required, own_api_tokens

from .forms import TokenForm


@never_cache
@member_required
def tokens(request):
    """List and create tokens. A new token's secret is shown in this one response and never again."""
    form = TokenForm(request.POST or None)
    new_secret = None
    if form.is_valid():
        try:
            _token, new_secret = actions.do_create_token(request.user, form.cleaned_data["name"], request=request)
        except ValidationError as error:
            form.add_error("name", error)
        else:
            form = TokenForm()
    return render(request, "api/tokens.html", {
        "form": form, "new_secret": new_secret, "tokens": own_api_tokens(request.user),
    })


@member_required
@require_POST
def revoke_token(request, pk):
    token = access_own_api_token(request.user, pk)
    try:
        actions.do_revoke_token(request.user, token, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The token “%(name)s” was revoked. It no longer works.") % {"name": token.name})
    return redirect("api_tokens")
