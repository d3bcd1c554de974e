"""A source entry as extraction sees it: where the site is, whose it is, which platform."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


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

    def key_or_url_part(self, key: str, pattern: re.Pattern[str], needs: str) -> str:
        """The entry's `key`, else the first group of `pattern` in its url; else a SourceError
        saying the platform `needs` it (a name for what the key holds and the url form)."""
        value = self.get(key)
        if not value:
            match = pattern.search(self.url)
            value = match.group(1) if match else ""
        if not value:
            raise SourceError(f"{self.id}: {self.platform} needs {needs}")
        return str(value)

    @property
    def origin(self) -> str:
        """Scheme, host and port of the url: every request of this source goes there."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def host(self) -> str:
        """The url's host name, lower-cased."""
        return (urlsplit(self.url).hostname or "").lower()

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
