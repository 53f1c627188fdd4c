"""Fail when a module or a function grows past the size limits (run by ``make lint``).

A module may have at most 400 lines and a function or method at most 60, counted from its
first decorator (or its ``def`` line) to its last line. Past that a reader can no longer hold it
in their head: split it by concept (ARCHITECTURE.md, "split by concept before a file passes ~400
lines"). Migrations are generated and not checked.

Long data tables are fine; they are listed in ``ALLOWED`` below, each with the reason, so an
exception is a decision someone wrote down rather than a silent drift. An entry that is no longer
needed is reported too, so the list cannot go stale.

Usage: ``python scripts/check_sizes.py [PATH ...]`` (default: the project's Python code, run from
the repository root). Exit status 1 and one line per offender, ``path:line name N lines``.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

# What is checked, relative to the repository root.
DEFAULT_PATHS = (
    "issues",
    "priorities",
    "bott_tracker",
    "bench",
    "tests",
    "scripts",
    "manage.py",
)
SKIPPED_DIRS = frozenset({"migrations", "__pycache__"})

# Allowed to exceed a limit: "path" for a whole module, "path::Qualified.name" for a function.
# One line of reason each: why its length is the data and not the logic.
ALLOWED: dict[str, str] = {}

MODULE = "<module>"


@dataclass(frozen=True)
class Offence:
    path: str
    line: int
    name: str
    lines: int
    limit: int

    @property
    def key(self) -> str:
        return self.path if self.name == MODULE else f"{self.path}::{self.name}"

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.name} {self.lines} lines"


def python_files(paths: Iterable[str]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            yield path
            continue
        for file in sorted(path.rglob("*.py")):
            if not SKIPPED_DIRS.intersection(file.parts):
                yield file


def _functions(
    body: Iterable[ast.stmt], prefix: str = ""
) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Every function and method with its qualified name, nested ones included."""
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            name = f"{prefix}{node.name}"
            yield name, node
            yield from _functions(node.body, f"{name}.<locals>.")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node.body, f"{prefix}{node.name}.")
        else:
            # Definitions under if/try/with (e.g. TYPE_CHECKING or a fallback import) count too.
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt):
                    yield from _functions([child], prefix)


def offences_in(path: Path) -> Iterator[Offence]:
    source = path.read_text(encoding="utf-8")
    shown = path.as_posix()
    module_lines = len(source.splitlines())
    if module_lines > MAX_MODULE_LINES:
        yield Offence(shown, 1, MODULE, module_lines, MAX_MODULE_LINES)
    tree = ast.parse(source, filename=shown)
    for name, node in _functions(tree.body):
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        last = node.end_lineno or node.lineno
        length = last - first + 1
        if length > MAX_FUNCTION_LINES:
            yield Offence(shown, first, name, length, MAX_FUNCTION_LINES)


def check(paths: Iterable[str], allowed: dict[str, str]) -> tuple[list[Offence], list[str]]:
    """The offences not allowed, and the allow-list entries that matched nothing."""
    offences: list[Offence] = []
    used: set[str] = set()
    checked: set[str] = set()
    for file in python_files(paths):
        checked.add(file.as_posix())
        for offence in offences_in(file):
            if offence.key in allowed:
                used.add(offence.key)
            else:
                offences.append(offence)
    stale = [key for key in allowed if key not in used and key.split("::", 1)[0] in checked]
    return offences, stale


def main(argv: list[str]) -> int:
    offences, stale = check(argv or DEFAULT_PATHS, ALLOWED)
    for offence in offences:
        print(offence)
    for key in stale:
        print(f"{key}: allowed in scripts/check_sizes.py but within the limits; remove the entry")
    if offences:
        sys.stdout.flush()
        print(
            f"{len(offences)} over the limits ({MAX_MODULE_LINES} lines a module, "
            f"{MAX_FUNCTION_LINES} a function): split by concept.",
            file=sys.stderr,
        )
    return 1 if offences or stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
