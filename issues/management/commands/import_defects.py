"""``manage.py import_defects FILE --user NAME [--dry-run] [--value FIELD:TEXT=CHOICE ...]``

The same import as the page at /import/: columns as the university's last import chose them or
guessed from the headers, every row checked, then all rows imported in one transaction, or none. Exit status 1 when nothing was imported
because of errors; a file imported before creates nothing and says which batch it was.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from issues.imports import DEFECT_FIELDS, columns_from_saved, guess_columns, normalise
from issues.models import ImportKind, User
from issues.selectors.import_batches import last_mapping
from issues.selectors.imports import DryRun, ImportMapping
from issues.services.imports import defects_dry_run, defects_import, upload_store
from issues.spreadsheets import SpreadsheetError, read_table

MAX_ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = "Importer en feilliste (XLSX eller CSV) som ved /import/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="Brukernavn i Forvaltning")
        parser.add_argument(
            "--dry-run", action="store_true", help="Bare kontroller, skriv ingenting"
        )
        parser.add_argument(
            "--value",
            action="append",
            default=[],
            metavar="FIELD:TEXT=CHOICE",
            help="Hva en ukjent verdi betyr, f.eks. area:Innkjøp=<id>; tom CHOICE = la stå tom",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Ukjent bruker: {options['user']}")
        if not path.is_file():
            raise CommandError(f"Finner ikke filen {path}")
        try:
            table = read_table(path, path.name)
            mapping = _start_mapping(user, table.headers, _values(options["value"]))
            with path.open("rb") as handle:
                upload = upload_store(
                    user=user, kind=ImportKind.DEFECTS, file=File(handle), name=path.name
                )
            plan = defects_dry_run(actor=user, upload=upload, mapping=mapping)
            self._report(plan)
            if options["dry_run"]:
                return
            result = defects_import(actor=user, upload=upload, mapping=mapping, plan=plan)
        except SpreadsheetError as exc:
            raise CommandError(exc.message) from exc
        except PermissionDenied as exc:
            raise CommandError("Bare Forvaltning kan importere feillister.") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if result.created:
            self.stdout.write(f"Importert: batch {result.batch.pk}, {len(plan.to_create)} saker.")
        else:
            self.stdout.write(
                f"Filen er importert før (batch {result.batch.pk}); ingenting nytt ble laget."
            )

    def _report(self, plan: DryRun) -> None:
        mapped = ", ".join(
            f"{plan.headers[i]}→{f}" for i, f in sorted(plan.mapping.columns.items())
        )
        self.stdout.write(f"Kolonner: {mapped}")
        for name, texts in plan.unknown.items():
            shown = ", ".join(
                f"{text} ({plan.mapping.values.get(name, {}).get(key, '?')})" for key, text in texts
            )
            self.stdout.write(f"Ukjente verdier for {name}: {shown}")
        for row in plan.error_rows[:MAX_ERRORS_SHOWN]:
            self.stdout.write(f"Rad {row.number}: {'; '.join(row.errors)}")
        self.stdout.write(
            f"{len(plan.rows)} rader: {len(plan.to_create)} nye, {len(plan.skipped)} finnes fra "
            f"før, {len(plan.error_rows)} med feil."
        )


def _start_mapping(
    user: User, headers: list[str], given: dict[str, dict[str, str]]
) -> ImportMapping:
    """As the page starts: the university's last mapping where it fits, else the guess; values
    given with --value win over the saved ones."""
    guessed = guess_columns(headers, DEFECT_FIELDS)
    saved = last_mapping(user=user, kind=ImportKind.DEFECTS)
    if saved is None:
        return ImportMapping(guessed, given)
    values = {f: {**saved.values.get(f, {}), **given.get(f, {})} for f in {*saved.values, *given}}
    return ImportMapping(columns_from_saved(headers, saved.columns, guessed), values)


def _values(specs: list[str]) -> dict[str, dict[str, str]]:
    values: dict[str, dict[str, str]] = {}
    for spec in specs:
        field, sep, rest = spec.partition(":")
        text, eq, choice = rest.partition("=")
        if not sep or not eq:
            raise CommandError(f"--value må være FIELD:TEXT=CHOICE, ikke {spec!r}")
        values.setdefault(field, {})[normalise(text)] = choice
    return values
