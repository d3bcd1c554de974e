"""What extraction returns for one response: raw records, next requests, the end signal.

A platform module reads one response (`Fetched`) for one named step and answers a `Page`:
the raw records it read, the requests to make next, whether the platform's own
end-of-listing signal was seen on it, and the problems it met, each under a named reason.
A problem that `fails` the page keeps the run incomplete; the others drop one item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from board.extract.source import Source

RAW_FIELDS = (
    "title",
    "institution",
    "location",
    "description",
    "url",
    "posted",
    "closes",
    "salary",
    "employment_type",
    "source",
    "source_id",
)


@dataclass(frozen=True)
class NextRequest:
    """A request to make, and the step that reads its answer.

    `listing` marks a page of the listing itself: its answer must either continue the
    listing (another listing request) or carry the end signal. `json` is sent as a JSON
    POST body, `form` as a form-encoded POST; `accept_status` names non-2xx answers the
    step reads itself (Workday's 400 to a page size it refuses).
    """

    url: str
    step: str
    method: str = "GET"
    json: Any = None
    form: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    listing: bool = False
    accept_status: tuple[int, ...] = ()


@dataclass(frozen=True)
class Fetched:
    """One response: its final URL, status, body and (for sitemaps) the parsed entries."""

    url: str
    body: bytes
    status: int = 200
    content_type: str = ""
    #: ("urlset" | "sitemapindex", [{"loc": ...}, ...]) when the crawler parsed a sitemap.
    sitemap: tuple[str, list[dict[str, Any]]] | None = None

    @property
    def text(self) -> str:
        """The body as text (UTF-8, undecodable bytes replaced)."""
        return self.body.decode("utf-8", "replace")


@dataclass(frozen=True)
class Problem:
    """Something extraction could not read, under a named reason."""

    reason: str
    detail: str = ""
    fails: bool = True  # the page (and so the run) failed; False: one item dropped


@dataclass
class Page:
    """The outcome of reading one response."""

    records: list[dict[str, Any]] = field(default_factory=list)
    requests: list[NextRequest] = field(default_factory=list)
    end: bool = False  # the platform's own end-of-listing signal was seen
    problems: list[Problem] = field(default_factory=list)
    listed: int = 0  # postings this listing page lists (records or detail requests)

    @property
    def failed(self) -> bool:
        """True when a problem failed the page."""
        return any(p.fails for p in self.problems)

    def fail(self, reason: str, detail: str = "") -> Page:
        """Record a page failure (the run stays incomplete); returns the page."""
        self.problems.append(Problem(reason, detail, fails=True))
        return self

    def drop(self, reason: str, detail: str = "") -> None:
        """Record one item skipped for a data-quality reason (the run goes on)."""
        self.problems.append(Problem(reason, detail, fails=False))

    def follow(self, request: NextRequest) -> None:
        """Add a next request."""
        self.requests.append(request)

    def detail(self, request: NextRequest) -> None:
        """Add the detail request of one listed posting."""
        self.listed += 1
        self.requests.append(request)

    def record(self, source: Source, **fields: Any) -> dict[str, Any] | None:
        """Add a raw record after the checks every platform shares (a title, an id)."""
        record = raw_record(source, **fields)
        title = record.get("title", "")
        key = record.get("source_id") or record.get("url")
        if not title:
            self.drop("no_title", str(key or "(no id)"))
            return None
        if not key:
            self.drop("no_id", title)
            return None
        record.setdefault("source_id", str(key))
        self.records.append(record)
        return record

    def extend(self, other: Page) -> Page:
        """Merge another page's outcome into this one."""
        self.records.extend(other.records)
        self.requests.extend(other.requests)
        self.problems.extend(other.problems)
        self.end = self.end or other.end
        self.listed += other.listed
        return self


def raw_record(source: Source, **fields: Any) -> dict[str, Any]:
    """A raw record (DESIGN.md's fields) with this source's id and institution filled in."""
    if not fields.get("institution"):
        fields["institution"] = source.institution
    fields["source"] = source.id
    if fields.get("source_id") is not None:
        fields["source_id"] = str(fields["source_id"]).strip()
    if isinstance(fields.get("title"), str):
        fields["title"] = " ".join(fields["title"].split())
    return {k: v for k, v in fields.items() if k in RAW_FIELDS and v not in (None, "", [], {})}
