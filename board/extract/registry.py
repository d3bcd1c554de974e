"""Reading a registry file (`sources.toml`): its `[[source]]` entries and their crawl cadences.

The one parser of the file: `spiders.sources.load_sources` (the crawl) and `rcjobs schedule`
(board.scheduling, which may not import spiders) both read it here.

Cadences: every source is crawled daily unless the file says otherwise, in a `[schedule]`
table (`default`, and `[schedule.platforms]` by platform name) or in the entry itself
(`cadence = "6h"`). A cadence is "hourly", "daily", "weekly", or a number with a unit
(`30m`, `12h`, `2d`, `1w`); at least 15 minutes.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from board.extract.platforms import PLATFORMS, source_from_mapping
from board.extract.source import Source, SourceError

#: The registry shipped with the crawler (a data file beside the spiders; nothing is imported).
DEFAULT_SOURCES = Path(__file__).resolve().parent.parent.parent / "spiders" / "sources.toml"
DEFAULT_CADENCE = timedelta(days=1)
SHORTEST_CADENCE = timedelta(minutes=15)
_NAMED = {"hourly": timedelta(hours=1), "daily": timedelta(days=1), "weekly": timedelta(weeks=1)}
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_CADENCE = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")


@dataclass(frozen=True)
class Registry:
    """The sources of one file, in file order, and how often each is crawled."""

    path: Path
    sources: list[Source]
    cadences: dict[str, timedelta] = field(default_factory=dict)

    def cadence(self, source_id: str) -> timedelta:
        """How often this source is crawled."""
        return self.cadences.get(source_id, DEFAULT_CADENCE)


def parse_cadence(value: object, where: str) -> timedelta:
    """A cadence ("daily", "12h", ...) as a timedelta; SourceError naming `where` if not one."""
    text = str(value).strip().lower() if isinstance(value, str) else ""
    if text in _NAMED:
        return _NAMED[text]
    match = _CADENCE.match(text)
    if not match:
        raise SourceError(
            f"{where}: cadence {value!r} is not hourly, daily, weekly or a number with a unit"
            " (30m, 12h, 2d, 1w)"
        )
    cadence = timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    if cadence < SHORTEST_CADENCE:
        raise SourceError(f"{where}: cadence {value!r} is shorter than 15 minutes")
    return cadence


def load_registry(path: Path | str | None = None) -> Registry:
    """Every entry of a registry file, validated; the first bad entry raises SourceError."""
    path = Path(path) if path else DEFAULT_SOURCES
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SourceError(f"{path}: no such sources file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: cannot read the sources file: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"{path}: not valid TOML: {exc}") from exc
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise SourceError(f"{path}: expected [[source]] tables")
    default, by_platform = _schedule_table(data.get("schedule", {}), path)
    sources: list[Source] = []
    cadences: dict[str, timedelta] = {}
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise SourceError(f"{path.name} entry {number}: expected a table")
        entry = dict(entry)
        own = entry.pop("cadence", None)
        source = source_from_mapping(entry, where=f"{path.name} entry {number}")
        if source.id in cadences:
            raise SourceError(f"{source.id}: duplicate source id in {path}")
        cadences[source.id] = (
            parse_cadence(own, source.id)
            if own is not None
            else by_platform.get(source.platform, default)
        )
        sources.append(source)
    return Registry(path, sources, cadences)


def _schedule_table(table: Any, path: Path) -> tuple[timedelta, dict[str, timedelta]]:
    """The `[schedule]` table: the default cadence and the per-platform ones."""
    if not isinstance(table, dict):
        raise SourceError(f"{path}: [schedule] must be a table")
    unknown = sorted(set(table) - {"default", "platforms"})
    if unknown:
        raise SourceError(f"{path}: unknown key(s) in [schedule]: {', '.join(unknown)}")
    default = DEFAULT_CADENCE
    if "default" in table:
        default = parse_cadence(table["default"], f"{path.name} [schedule] default")
    platforms = table.get("platforms", {})
    if not isinstance(platforms, dict):
        raise SourceError(f"{path}: [schedule.platforms] must be a table")
    by_platform = {}
    for name, value in platforms.items():
        if name not in PLATFORMS:
            raise SourceError(f"{path}: [schedule.platforms] names unknown platform {name!r}")
        by_platform[name] = parse_cadence(value, f"{path.name} [schedule.platforms] {name}")
    return default, by_platform
