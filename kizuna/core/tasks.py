from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task


@task()
def deliver_email(to, subject, body):
    EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to).send()
