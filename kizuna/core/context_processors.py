from .mail import outbox_in_use
from .models import NetworkSettings


def network(request):
    # mail_is_sent: False in the embedded mode, where mail is kept in the outbox instead of being sent.
    return {"network": NetworkSettings.load(), "mail_is_sent": not outbox_in_use()}
