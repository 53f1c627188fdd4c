"""Fail when an app's migrations stop being one straight line.

Two branches that each add a migration must meet as a git conflict, and one of them renumber its
migration, instead of as a merge migration that Django accepts without anyone looking. So, for
every app of this project: one leaf migration, and no migration with two parents in its own app.

django-linear-migrations keeps a max_migration.txt per app (a git conflict when two branches add
one); it does not forbid a merge migration that max_migration.txt names, so this check stays.

Run from the project root: `.venv/bin/python scripts/check_linear_migrations.py` (`make test`).
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The last migration of each app whose history may hold merges (made before this check existed).
# Squashing that history removes the node: then delete its entry here.
NONLINEAR_HISTORY_UNTIL: dict[str, str] = {}


def problems() -> list[str]:
    """Every way the project's migration graphs are not linear, as sentences."""
    from django.apps import apps  # noqa: PLC0415 (Django is set up by main() first)
    from django.db.migrations.loader import MigrationLoader  # noqa: PLC0415

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    found: list[str] = []
    labels = [a.label for a in apps.get_app_configs() if Path(a.path).is_relative_to(ROOT)]
    for label, last in NONLINEAR_HISTORY_UNTIL.items():
        if (label, last) not in graph.nodes:
            found.append(
                f"{label}.{last} is no longer a migration (squashed?): remove it from "
                "NONLINEAR_HISTORY_UNTIL in scripts/check_linear_migrations.py"
            )
    for label in labels:
        until = (label, NONLINEAR_HISTORY_UNTIL.get(label, ""))
        accepted = set(graph.forwards_plan(until)) if until in graph.nodes else set()
        leaves = graph.leaf_nodes(label)
        if len(leaves) > 1:
            names = ", ".join(name for _, name in leaves)
            found.append(
                f"{label} has {len(leaves)} latest migrations ({names}): renumber yours to follow "
                "the other one's and point its dependency at it (no merge migration)"
            )
        for key, node in sorted(graph.node_map.items()):
            if key[0] != label or key in accepted:
                continue
            parents = sorted(p.key[1] for p in node.parents if p.key[0] == label)
            if len(parents) > 1:
                found.append(
                    f"{label}.{key[1]} merges {', '.join(parents)}: delete it, renumber the later "
                    "branch's migrations to follow the other's and make them depend on it"
                )
    return found


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bott_tracker.settings")
    import django  # noqa: PLC0415

    django.setup()
    found = problems()
    for problem in found:
        print(f"check_linear_migrations: {problem}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
