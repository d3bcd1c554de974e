"""The platform table: each platform's name, source keys and URL forms, and its module.

It imports no spider: the registry validates entries against it, the spiders and the
submission form's prefill call its modules. A module holds pure functions of
(response, source, meta): `start(source)` gives the first requests, `STEPS[step]` reads
one response into a `Page`, `check(source)` refuses an entry it cannot crawl.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from board.extract import (
    brassring,
    euraxess,
    feed,
    greenhouse,
    icims,
    jobs_ac_uk,
    jsonld,
    lever,
    oracle_hcm,
    pageup,
    peopleadmin,
    peoplesoft,
    taleo,
    workday,
)
from board.extract.page import Fetched, NextRequest, Page
from board.extract.source import Source, SourceError

REGISTRY_KEYS = ("id", "institution", "platform", "url")


@dataclass(frozen=True)
class Platform:
    """One hiring platform as the registry and the crawlers see it."""

    name: str
    module: ModuleType
    required_keys: tuple[str, ...]
    optional_keys: tuple[str, ...]
    url_forms: tuple[str, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        """Every source key this platform reads beyond id/institution/platform/url/search."""
        return (*self.required_keys, *self.optional_keys)

    def check(self, source: Source) -> None:
        """Refuse an entry that lacks a key this platform needs or whose url it cannot read."""
        missing = [key for key in self.required_keys if not source.get(key)]
        if missing:
            raise SourceError(f"{source.id}: platform {self.name} needs {', '.join(missing)}")
        self.module.check(source)

    def start(self, source: Source) -> list[NextRequest]:
        """The first requests of a crawl of this source."""
        return list(self.module.start(source))

    def parse(self, step: str, fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
        """Read one response for a named step; an unknown step fails the page."""
        reader = self.module.STEPS.get(step)
        if reader is None:
            return Page().fail("unknown_step", f"{self.name}: {step}")
        return reader(fetched, source, meta or {})


def _platform(module: ModuleType) -> Platform:
    return Platform(
        name=module.NAME,
        module=module,
        required_keys=tuple(module.REQUIRED_KEYS),
        optional_keys=tuple(module.OPTIONAL_KEYS),
        url_forms=tuple(module.URL_FORMS),
    )


PLATFORMS: dict[str, Platform] = {
    m.NAME: _platform(m)
    for m in (
        brassring,
        euraxess,
        feed,
        greenhouse,
        icims,
        jobs_ac_uk,
        jsonld,
        lever,
        oracle_hcm,
        pageup,
        peopleadmin,
        peoplesoft,
        taleo,
        workday,
    )
}


def platform(name: str) -> Platform:
    """The platform of this name; SourceError naming the known ones when there is none."""
    try:
        return PLATFORMS[name]
    except KeyError:
        known = ", ".join(sorted(PLATFORMS))
        raise SourceError(f"unknown platform {name!r} (known: {known})") from None


def source_from_mapping(entry: dict[str, Any], where: str = "source") -> Source:
    """Validate one registry entry; raise SourceError naming it when it is unusable."""
    name = entry.get("id") or where
    missing = [key for key in REGISTRY_KEYS if not str(entry.get(key) or "").strip()]
    if missing:
        raise SourceError(f"{name}: missing required key(s): {', '.join(missing)}")
    platform_name = str(entry["platform"])
    if platform_name not in PLATFORMS:
        known = ", ".join(sorted(PLATFORMS))
        raise SourceError(f"{name}: unknown platform {platform_name!r} (known: {known})")
    parts = urlsplit(str(entry["url"]))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SourceError(f"{name}: url {entry['url']!r} is not an http(s) URL")
    extra = {k: v for k, v in entry.items() if k not in (*REGISTRY_KEYS, "search")}
    search = entry.get("search")
    source = Source(
        id=str(entry["id"]),
        institution=str(entry["institution"]),
        platform=platform_name,
        url=str(entry["url"]),
        search=str(search) if search else None,
        extra=extra,
    )
    PLATFORMS[platform_name].check(source)
    return source
