"""The source registry: `sources.toml`, one `[[source]]` table per career site.

Entries are validated against board.extract's platform table (no spider is imported).
"""

from __future__ import annotations

import sys
import tomllib
import zlib
from pathlib import Path

from board.extract import Source, SourceError, source_from_mapping

DEFAULT_SOURCES = Path(__file__).with_name("sources.toml")

__all__ = [
    "DEFAULT_SOURCES",
    "Source",
    "SourceError",
    "load_sources",
    "shard",
    "source_from_mapping",
]


def load_sources(path: Path | str | None = None) -> list[Source]:
    """Every entry of a registry file, validated; the first bad entry raises SourceError."""
    path = Path(path) if path else DEFAULT_SOURCES
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SourceError(f"{path}: no such sources file") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"{path}: not valid TOML: {exc}") from exc
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise SourceError(f"{path}: expected [[source]] tables")
    sources: list[Source] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        source = source_from_mapping(entry, where=f"{path.name} entry {number}")
        if source.id in seen:
            raise SourceError(f"{source.id}: duplicate source id in {path}")
        seen.add(source.id)
        sources.append(source)
    return sources


def shard(sources: list[Source], index: int, count: int) -> list[Source]:
    """The sources machine `index` (1-based) of `count` crawls: a stable split by id."""
    if not 1 <= index <= count:
        raise SourceError(f"shard {index}/{count}: index must be between 1 and {count}")
    return [s for s in sources if zlib.crc32(s.id.encode("utf-8")) % count == index - 1]


def main(argv: list[str] | None = None) -> int:
    """`python -m spiders.sources [--sources FILE] [--shard I/N]`: print source ids."""
    import argparse

    # Run as `-m`, this file is __main__; use the imported module so SourceError is one class.
    from spiders import sources as registry

    parser = argparse.ArgumentParser(prog="python -m spiders.sources", description=main.__doc__)
    parser.add_argument("--sources", help="registry file (default: spiders/sources.toml)")
    parser.add_argument("--shard", help="I/N: only the ids machine I of N crawls")
    args = parser.parse_args(argv)
    try:
        sources = registry.load_sources(args.sources)
        if args.shard:
            index, _, count = args.shard.partition("/")
            sources = registry.shard(sources, int(index), int(count))
    except (registry.SourceError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print("\n".join(s.id for s in sources))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
