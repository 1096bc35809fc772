from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from . import actions


@receiver(email_confirmed)
def email_address_confirmed(request, email_address, **kwargs):
    # Whichever path the account came from: an employee sign-up or an alumni application.
    actions.do_confirm_employee(email_address.user, email_address.email)
    actions.do_confirm_applicant(email_address.user)
