"""`kizuna token create --email E [--name N]` prints a new personal API token (the secret only).

`kizuna token revoke --email E --prefix P` revokes one of that member's tokens.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from kizuna.members import actions
from kizuna.members.models import State, User


class Command(BaseCommand):
    help = "Create or revoke a member's personal API token."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        create = commands.add_parser("create", help="print a new token for an active member")
        create.add_argument("--email", required=True)
        create.add_argument("--name", help="default: “Command line” in the member's language")
        revoke = commands.add_parser("revoke", help="revoke a token by the prefix shown in lists")
        revoke.add_argument("--email", required=True)
        revoke.add_argument("--prefix", required=True)

    def handle(self, *args, command, email, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(_("No member with the email address %(email)s.") % {"email": email})
        if user.state != State.ACTIVE:
            raise CommandError(_("%(email)s is not an active member (state: %(state)s).")
                               % {"email": email, "state": user.get_state_display()})
        try:
            if command == "create":
                with translation.override(user.language):
                    name = options["name"] or _("Command line")
                _token, secret = actions.do_create_token(user, name)
                # Only the secret on stdout, so scripts can capture it: TOKEN=$(kizuna token create …)
                self.stdout.write(secret)
            else:
                token = user.api_tokens.filter(prefix=options["prefix"].rstrip("…")).first()
                if token is None:
                    raise CommandError(_("%(email)s has no token starting with %(prefix)s.")
                                       % {"email": email, "prefix": options["prefix"]})
                actions.do_revoke_token(None, token)
                self.stdout.write(_("Token %(prefix)s… (%(name)s) revoked.")
                                  % {"prefix": token.prefix, "name": token.name})
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
