"""Dependencies point one way: spiders -> board (through board.ingest), web -> board, never back."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The one board module that composes board with spiders (its crawl and sources commands).
COMPOSER = "board/cli.py"
#: What spiders may import from board: the ingest entry point and the extraction functions.
SPIDERS_MAY_USE = {"board.ingest", "board.extract"}


def imports(path: Path) -> Iterator[str]:
    """Every module a file imports (at any depth: late imports count too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_nothing_in_board_but_the_cli_imports_spiders():
    offenders = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in files("board")
        if str(path.relative_to(ROOT)) != COMPOSER
        for name in imports(path)
        if name == "spiders" or name.startswith("spiders.")
    }
    assert not offenders, sorted(offenders)


def test_spiders_reach_board_only_through_its_ingest_entry_point():
    offenders = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in files("spiders")
        for name in imports(path)
        if (name == "board" or name.startswith("board."))
        and not any(
            name == allowed or name.startswith(f"{allowed}.") for allowed in SPIDERS_MAY_USE
        )
    }
    assert not offenders, sorted(offenders)


def test_search_index_imports_nothing_of_board_or_spiders():
    offenders = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in files("search_index")
        for name in imports(path)
        if name.split(".")[0] in ("board", "spiders")
    }
    assert not offenders, sorted(offenders)


def test_the_scan_sees_late_imports():
    sample = ROOT / COMPOSER
    assert "spiders.crawl" in set(imports(sample))
