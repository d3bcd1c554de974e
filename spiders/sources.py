"""The source registry: `sources.toml`, one `[[source]]` table per career site."""

from __future__ import annotations

import sys
import tomllib
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_SOURCES = Path(__file__).with_name("sources.toml")
REQUIRED_KEYS = ("id", "institution", "platform", "url")


class SourceError(ValueError):
    """A source entry that cannot be crawled, with the entry named in the message."""


@dataclass(frozen=True)
class Source:
    """One career site: where it is, whose it is, which platform serves it."""

    id: str
    institution: str
    platform: str
    url: str
    search: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        """A platform-specific key (Workday `tenant`, `site`, ...)."""
        return self.extra.get(key, default)

    @property
    def origin(self) -> str:
        """Scheme, host and port of the url: every request of this source goes there."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    def as_dict(self) -> dict[str, Any]:
        """The entry as it appears in the registry file."""
        data = {
            "id": self.id,
            "institution": self.institution,
            "platform": self.platform,
            "url": self.url,
        }
        if self.search:
            data["search"] = self.search
        data.update(self.extra)
        return data


def source_from_mapping(entry: dict[str, Any], where: str = "source") -> Source:
    """Validate one registry entry; raise SourceError naming it when it is unusable."""
    from spiders.platforms import PLATFORMS  # late: the registry imports spider classes

    name = entry.get("id") or where
    missing = [key for key in REQUIRED_KEYS if not str(entry.get(key) or "").strip()]
    if missing:
        raise SourceError(f"{name}: missing required key(s): {', '.join(missing)}")
    platform = str(entry["platform"])
    if platform not in PLATFORMS:
        known = ", ".join(sorted(PLATFORMS))
        raise SourceError(f"{name}: unknown platform {platform!r} (known: {known})")
    parts = urlsplit(str(entry["url"]))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SourceError(f"{name}: url {entry['url']!r} is not an http(s) URL")
    extra = {k: v for k, v in entry.items() if k not in (*REQUIRED_KEYS, "search")}
    source = Source(
        id=str(entry["id"]),
        institution=str(entry["institution"]),
        platform=platform,
        url=str(entry["url"]),
        search=entry.get("search"),
        extra=extra,
    )
    PLATFORMS[platform].check_source(source)
    return source


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
