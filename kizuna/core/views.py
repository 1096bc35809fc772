from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.static import serve

from kizuna.members.access import admin_required

from . import access


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure makes the instance unhealthy
        return JsonResponse({"status": "error", "database": "unavailable", "detail": type(exc).__name__},
                            status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def home(request):
    return render(request, "core/home.html", access.home_context(request.user))


def media(request, path):
    """Public uploads (the network logo), from MEDIA_ROOT as it is set now (tests give each run its own)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def guidelines(request):
    return render(request, "core/guidelines.html")


def privacy(request):
    return render(request, "core/privacy.html")


@admin_required
def admin_home(request):
    return render(request, "core/admin_home.html", {"cards": access.dashboard_cards(request.user)})


def _error(request, code, heading, explanation):
    return render(request, "error.html", {"code": code, "heading": heading, "explanation": explanation},
                  status=code)


def error_403(request, exception=None):
    return _error(request, 403, _("You cannot open this page"),
                  _("Your account does not have permission for this page."))


def error_404(request, exception=None):
    return _error(request, 404, _("Page not found"),
                  _("The page may have been moved or deleted, or you may not have access to it."))


def error_500(request):
    return render(request, "500.html", status=500)
