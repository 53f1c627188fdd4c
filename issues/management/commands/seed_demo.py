"""Deterministic, realistic demo data. Demo users are created only here (see README for logins).

Fast enough for 100,000 defects: rows are built in memory and written in batches (COPY on
PostgreSQL); the password hash is computed once and shared by the demo users. The generator
lives in ``issues/demo/``.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from issues.demo.seed import load_demo
from issues.models import Defect


class Command(BaseCommand):
    help = (
        "Load deterministic demo data: users in each role, defects, comments, releases, meetings."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--defects", type=int, default=300)
        parser.add_argument("--comments-per-defect", type=float, default=5.0)
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if any defect already exists."
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["if_empty"] and Defect.objects.exists():
            self.stdout.write("Demo data already loaded; nothing to do.")
            return
        started = time.monotonic()
        count = load_demo(
            seed=opts["seed"],
            defects=opts["defects"],
            comments_per_defect=opts["comments_per_defect"],
            progress=self.stdout.write,
        )
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {count} defects in {time.monotonic() - started:.1f} s.")
        )
