"""Every API error is JSON of the form {"detail": ...}, whatever raised it.

Problems with named fields (a query string the directory form refuses, a profile change a check_*()
refuses) use the shape of ninja's own 422 for a body it cannot parse: {"detail": [{"type", "loc", "msg"}]},
so a client reads every field error the same way.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from ninja import Field, Schema
from ninja.errors import AuthenticationError

logger = logging.getLogger(__name__)

UNAUTHORIZED = "Authentication required: send a personal API token as 'Authorization: Bearer <token>'."


class FieldError(Schema):
    type: str = Field(description="A short code, e.g. `invalid`, `required`.")
    loc: list[str | int] = Field(description="Where: `query` or `body`, then the field (and the list index).")
    msg: str = Field(description="In the language of the request (Accept-Language).")


class FieldErrors(Schema):
    detail: list[FieldError]


def field_errors(problems) -> dict:
    """`problems`: (loc tuple, message, code) for each problem found."""
    return {"detail": [{"type": code, "loc": list(loc), "msg": str(message)} for loc, message, code in problems]}


def form_errors(form, location="query") -> dict:
    """A Django form's errors as field errors (a form-wide error has only the location)."""
    return field_errors(((location,) if name == "__all__" else (location, name), error["message"], error["code"])
                        for name, errors in form.errors.get_json_data().items() for error in errors)


class ProblemOut(Schema):
    """One problem of an import row (the same validation and report as the file imports)."""

    line: int = Field(description="Index of the row in the list sent, from 1.")
    column: str
    code: str
    message: str = Field(description="In the language of the request (Accept-Language).")


def problems(found) -> list:
    return [{"line": p.line, "column": p.column, "code": p.code, "message": p.message} for p in found]


def install(api):
    """Register the handlers on a NinjaAPI (ninja's own cover 404, HttpError and 422 validation)."""

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc):
        return api.create_response(request, {"detail": "Forbidden."}, status=403)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request, exc):
        response = api.create_response(request, {"detail": UNAUTHORIZED}, status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(DjangoValidationError)
    def refused(request, exc):
        """A check_*() in actions refused the request: the same rules and messages as the pages."""
        return api.create_response(request, {"detail": exc.messages}, status=422)

    @api.exception_handler(Exception)
    def server_error(request, exc):
        if settings.DEBUG:
            raise exc
        logger.exception("API error on %s %s", request.method, request.path)
        return api.create_response(request, {"detail": "Internal server error."}, status=500)


def not_found(request, path=""):
    """Unknown paths under /api/ answer in JSON too (mounted after the API's own URLs)."""
    return JsonResponse({"detail": "Not Found"}, status=404)
