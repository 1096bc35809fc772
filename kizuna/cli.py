"""The `kizuna` command: Kizuna's own commands plus every Django management command.

    kizuna run | seed --members N | import-leavers FILE [--dry-run] | import-members FILE [--dry-run]
    kizuna createadmin | token create --email E
"""

import os
import sys


def main(argv=None):
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kizuna.settings")
    argv[0] = "kizuna"
    if len(argv) > 1 and not argv[1].startswith("-"):
        # Kizuna's commands are spelled with dashes (import-leavers); Django's with underscores.
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
