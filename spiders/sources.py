"""The source registry: `sources.toml`, one `[[source]]` table per career site.

Entries are validated against board.extract's platform table (no spider is imported).
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

from board.extract import Source, SourceError, source_from_mapping
from board.extract.registry import DEFAULT_SOURCES, Registry, load_registry

__all__ = [
    "DEFAULT_SOURCES",
    "Registry",
    "Source",
    "SourceError",
    "load_registry",
    "load_sources",
    "shard",
    "source_from_mapping",
]


def load_sources(path: Path | str | None = None) -> list[Source]:
    """Every entry of a registry file, validated; the first bad entry raises SourceError."""
    return load_registry(path).sources


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
