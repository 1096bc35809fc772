"""A small API with Kizuna's authentication and error handling, for behaviours no product endpoint
shows yet (unsafe methods, body validation). Used with @pytest.mark.urls("tests.api.probe_urls")."""

from django.core.exceptions import ValidationError
from django.urls import path
from ninja import NinjaAPI, Schema

from kizuna.api import errors
from kizuna.api.auth import auth
from kizuna.urls import urlpatterns as kizuna_urlpatterns

probe = NinjaAPI(auth=auth, urls_namespace="probe", docs_url=None)
errors.install(probe)


class CountIn(Schema):
    count: int


@probe.post("/echo")
def echo(request, payload: CountIn):
    return {"count": payload.count, "email": request.auth.email}


@probe.post("/refuse")
def refuse(request):
    raise ValidationError("No, because of a rule.")


@probe.get("/boom")
def boom(request):
    raise RuntimeError("bug")


urlpatterns = [path("probe/", probe.urls), *kizuna_urlpatterns]
