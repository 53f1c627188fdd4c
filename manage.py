#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bott_tracker.settings")
    from django.core.management import execute_from_command_line  # noqa: PLC0415 - Django's own manage.py pattern

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
