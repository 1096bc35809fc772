from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from . import actions


@receiver(email_confirmed)
def employee_verified(request, email_address, **kwargs):
    actions.do_confirm_employee(email_address.user, email_address.email)
