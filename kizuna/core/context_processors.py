from .models import NetworkSettings


def network(request):
    return {"network": NetworkSettings.load()}
