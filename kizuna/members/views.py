from django.shortcuts import render

from .access import signed_in_required


@signed_in_required
def account(request):
    return render(request, "members/account.html")


def apply(request):
    return render(request, "members/apply.html")


@signed_in_required
def application_status(request):
    return render(request, "members/application_status.html")


def invitation_accept(request, token):
    return render(request, "members/invitation_accept.html")
