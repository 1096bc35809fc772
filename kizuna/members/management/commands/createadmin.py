"""`kizuna createadmin`: create an active admin (HR) account, interactively or from options."""

import getpass

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from kizuna.members import actions
from kizuna.members.models import Role, State, User


class Command(BaseCommand):
    help = "Create an active admin (HR) account. Prompts for whatever is not given as an option."

    def add_arguments(self, parser):
        parser.add_argument("--email")
        parser.add_argument("--password", help="prefer the prompt: options are visible to other local users")
        parser.add_argument("--name", default="")

    def handle(self, *args, email, password, name, **options):
        interactive = email is None or password is None
        try:
            if email is None:
                email = self._prompt(lambda: input(_("Email address: ")), self._email)
            else:
                email = self._email(email)
            if interactive and not name:
                name = input(_("Name: ")).strip()
            user = User(email=email, name=name)
            if password is None:
                password = self._prompt(lambda: self._ask_password(user), lambda p: p)
            else:
                self._check_password(password, user)
        except (EOFError, KeyboardInterrupt) as exc:
            raise CommandError(_("No input: give --email and --password, or run in a terminal.")) from exc
        admin = actions.do_create_member(email=email, password=password, name=name, role=Role.ADMIN,
                                         state=State.ACTIVE)
        self.stdout.write(self.style.SUCCESS(_("Admin %(email)s created.") % {"email": admin.email}))

    def _email(self, value):
        """The address, normalised; None when not given; CommandError when invalid or taken."""
        if value is None:
            return None
        value = value.strip().lower()
        try:
            validate_email(value)
        except ValidationError as exc:
            raise CommandError(_("Not a valid email address: %(email)s") % {"email": value}) from exc
        if User.objects.filter(email__iexact=value).exists():
            raise CommandError(_("A member with the email address %(email)s already exists.") % {"email": value})
        return value

    def _check_password(self, password, user):
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

    def _ask_password(self, user):
        password = getpass.getpass(_("Password: "))
        if password != getpass.getpass(_("Password (again): ")):
            raise CommandError(_("The two passwords do not match."))
        self._check_password(password, user)
        return password

    def _prompt(self, ask, accept):
        """Ask until the answer is accepted; each problem is shown, then the question is asked again."""
        while True:
            try:
                value = accept(ask())
            except CommandError as problem:
                self.stderr.write(str(problem))
                continue
            if value:
                return value
