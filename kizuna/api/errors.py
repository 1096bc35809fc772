"""Every API error is JSON of the form {"detail": ...}, whatever raised it."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from ninja.errors import AuthenticationError

logger = logging.getLogger(__name__)

UNAUTHORIZED = "Authentication required: send a personal API token as 'Authorization: Bearer <token>'."


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
