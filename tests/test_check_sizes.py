"""scripts/check_sizes.py: modules over 400 lines and functions over 60 fail, unless allowed."""

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "check_sizes.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_sizes", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_sizes"] = module  # dataclasses look the module up by name
    spec.loader.exec_module(module)
    return module


def _function(name: str, body_lines: int, decorators: int = 0) -> str:
    head = "@staticmethod\n" * decorators + f"def {name}() -> None:\n"
    return head + "    x = 1\n" * body_lines


def test_counts_from_the_first_decorator_to_the_last_line(tmp_path: Path) -> None:
    sizes = _load()
    source = (
        "class C:\n"
        + "\n".join("    " + line for line in _function("fits", 58, decorators=1).splitlines())
        + "\n"
        + "\n".join("    " + line for line in _function("long", 59, decorators=1).splitlines())
        + "\n"
        + _function("outer", 60)
    )
    path = tmp_path / "m.py"
    path.write_text(source)
    found = [(o.name, o.lines) for o in sizes.offences_in(path)]
    assert found == [("C.long", 61), ("outer", 61)]


def test_module_limit_allow_list_and_stale_entries(tmp_path: Path) -> None:
    sizes = _load()
    table = tmp_path / "table.py"
    table.write_text("ROWS = [\n" + "    1,\n" * 400 + "]\n")
    small = tmp_path / "small.py"
    small.write_text(_function("f", 3))
    offences, stale = sizes.check([str(tmp_path)], {})
    assert [str(o) for o in offences] == [f"{table.as_posix()}:1 <module> 402 lines"]
    assert stale == []

    allowed = {table.as_posix(): "a data table", f"{small.as_posix()}::f": "no longer long"}
    offences, stale = sizes.check([str(tmp_path)], allowed)
    assert offences == []
    assert stale == [f"{small.as_posix()}::f"]


def test_migrations_are_skipped(tmp_path: Path) -> None:
    sizes = _load()
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001_initial.py").write_text(_function("f", 100))
    assert sizes.check([str(tmp_path)], {}) == ([], [])


def test_exit_status_and_output(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_text(_function("big", 61))
    run = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 1
    assert run.stdout == f"{(tmp_path / 'big.py').as_posix()}:1 big 62 lines\n"
    (tmp_path / "big.py").write_text(_function("fine", 59))
    fine = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path)], check=False)
    assert fine.returncode == 0
