"""`rcjobs sources --check`: one polite request to each source's listing, and a report.

Each source's own spider runs in check mode (robots.txt obeyed, the project's user agent,
the url's own origin): it reads the first page of the listing only (following a session
page first where the platform has one: Taleo's section page, BrassRing's home page), fetches
no posting, and says whether the site answered, whether the page had the platform's shape,
how many postings it listed, and whether the platform's end signal was seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess

from board.extract import Source
from spiders.crawl import crawl_settings

_ADVICE = {
    "request_failed": "the listing did not answer: is the url still the listing the browser shows?",
    "robots_disallowed": "robots.txt forbids the listing: drop the entry or ask the site",
    "html_not_json": "an HTML page answered where the platform's API was expected: "
    "check `platform` and the url",
    "malformed_json": "the API answered broken JSON: try again; if it persists, report it",
    "unexpected_json": "the API answered another JSON shape: check `platform` and the url",
    "error_body": "the API answered an error: check the site keys (tenant, site, ...)",
    "http_400": "the API refused the request: check the site keys (tenant, site, ...)",
    "unknown_listing_shape": "the page lists jobs in a shape the platform module does not "
    "read: a new variant of the platform (report it with the page)",
    "unexpected_listing": "not a listing page of this platform: check `platform` and the url",
    "unexpected_page": "not a listing page of this platform (a sign-in or error page?): "
    "check the url",
    "not_a_feed": "the url does not answer a feed: use the feed's own url",
    "no_portal": "the section page names no portal: set `portal`",
    "no_session_token": "the gateway home page carries no session token: check the url",
    "no_total": "the listing does not say how many jobs it has: check the url",
    "no_job_list": "the answer holds no job list: check `platform` and the url",
    "listing_capped": "the board lists only its first jobs: set `search` to read it by keyword",
    "no_end_signal": "the page neither ends the listing nor links a next page: report it",
    "truncated_page": "the page was cut short: try again; if it persists, report it",
    "truncated_feed": "the feed was cut short: try again; if it persists, report it",
    "truncated_sitemap": "the sitemap was cut short: try again; if it persists, report it",
    "section_unavailable": "the career section is unavailable: check `section`",
}


@dataclass
class CheckResult:
    """What the first page of one source's listing showed."""

    source: str
    platform: str
    url: str
    answered: str = "no"  # "200", "404", or "no" (no answer at all)
    recognised: bool = False
    postings: int = 0
    end: str = "no"  # "yes" (end signal seen), "more" (a next page is linked), "no"
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """The site answered a page of the platform's shape that ends or continues."""
        return self.recognised and not self.problems and self.end in ("yes", "more")

    @property
    def advice(self) -> str:
        """What to change when the check failed."""
        for reason in self.problems:
            if reason in _ADVICE:
                return _ADVICE[reason]
        if not self.problems and self.answered == "no":
            return "no answer: check the host name and that the site is up"
        return f"see the reasons ({', '.join(self.problems) or 'none counted'})"


def result_of(source: Source, report: dict[str, Any]) -> CheckResult:
    """A CheckResult from a check-mode spider's report."""
    return CheckResult(
        source=source.id,
        platform=source.platform,
        url=source.url,
        answered=str(report.get("status") or "no"),
        recognised=bool(report.get("recognised")),
        postings=int(report.get("postings") or 0),
        end="yes" if report.get("end") else "more" if report.get("more") else "no",
        problems=list(dict.fromkeys(report.get("problems") or [])),
    )


def run_check(sources: list[Source], overrides: dict[str, Any] | None = None) -> list[CheckResult]:
    """Check every source (concurrently, politely) in one Scrapy process."""
    from spiders.platforms import PLATFORMS

    settings = crawl_settings(
        {
            "ITEM_PIPELINES": {},
            "LOG_LEVEL": "ERROR",
            "RETRY_TIMES": 1,
            "DOWNLOAD_TIMEOUT": 20,
            **(overrides or {}),
        }
    )
    process = CrawlerProcess(settings)
    crawlers = []
    for source in sources:
        crawler = process.create_crawler(PLATFORMS[source.platform])
        crawlers.append((source, crawler))
        process.crawl(crawler, source=source, check_only=True)
    process.start()
    results = []
    for source, crawler in crawlers:
        spider = getattr(crawler, "spider", None)
        report = getattr(spider, "report", None) or {"problems": ["request_failed"]}
        results.append(result_of(source, report))
    return results


def format_report(results: list[CheckResult]) -> str:
    """The table (source, platform, answered, shape, postings, end, result) and the advice."""
    headers = ("source", "platform", "answered", "shape", "postings", "end", "result")
    rows = [
        (
            r.source,
            r.platform,
            r.answered,
            "yes" if r.recognised else "no",
            str(r.postings),
            r.end,
            "ok" if r.ok else "FAIL",
        )
        for r in results
    ]
    widths = [max([len(h), *(len(row[i]) for row in rows)]) for i, h in enumerate(headers)]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(headers), line(tuple("-" * w for w in widths)), *(line(r) for r in rows)]
    failed = [r for r in results if not r.ok]
    if failed:
        out.append("")
        out.extend(f"{r.source}: {r.advice} ({r.url})" for r in failed)
    out.append("")
    out.append(f"{len(results) - len(failed)} of {len(results)} sources ok")
    return "\n".join(out)
