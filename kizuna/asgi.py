import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
# Django is set up before anything imports models (the chat's consumers do).
http_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from kizuna.chat.routing import websocket_urlpatterns  # noqa: E402

# WebSockets: only from pages of this site (Origin checked against ALLOWED_HOSTS), signed in with the
# session cookie; the consumer then checks the member on every event.
application = ProtocolTypeRouter({
    "http": http_application,
    "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
})

# What is loaded by now (Django, the apps, their URLs and views) lives as long as the process: keep it out of
# the cyclic collector's full passes, which otherwise stall a request for about 90 ms every few hundred
# requests (docs/benchmarks.md, the feed).
import kizuna.urls  # noqa: E402, F401  (loads every view module now rather than on the first request)

gc.freeze()
# A young generation of 20,000 objects instead of 700: with a thousand open sockets, the objects of messages
# in flight otherwise survive the frequent young collections and reach the old generation, whose full passes
# (about 190,000 objects, up to 150 ms) then come every few seconds. Chat p99 at 200 messages a second:
# 87–101 ms in four runs against 113–228 ms with the default, run alternately (docs/benchmarks.md).
gc.set_threshold(20_000, 10, 10)
