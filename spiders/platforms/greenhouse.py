"""Greenhouse job boards through the public Job Board API."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from spiders.base import PlatformSpider
from spiders.sources import Source, SourceError

_BOARD = re.compile(r"/v1/boards/([^/?#]+)")


def board_token(source: Source) -> str:
    """The board token: the `board` key, else /v1/boards/{token} in the url."""
    token = source.get("board")
    if not token:
        match = _BOARD.search(source.url)
        token = match.group(1) if match else ""
    if not token:
        raise SourceError(
            f"{source.id}: greenhouse needs a `board` key or a "
            "https://boards-api.greenhouse.io/v1/boards/TOKEN/jobs url"
        )
    return str(token)


class GreenhouseSpider(PlatformSpider):
    """Every job of one board: GET /v1/boards/{board}/jobs?content=true (one response).

    Source keys: `board` (the token, else taken from the url). Jobs listed without
    `content` are fetched one by one from /v1/boards/{board}/jobs/{id}.
    """

    name = "greenhouse"
    optional_keys = ("board",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.board = board_token(self.source)

    @classmethod
    def check_source(cls, source: Source) -> None:
        """Refuse an entry without a board token."""
        super().check_source(source)
        board_token(source)

    @property
    def api_base(self) -> str:
        """{origin}/v1/boards/{board}."""
        return f"{self.source.origin}/v1/boards/{self.board}"

    def start_requests(self) -> Iterator[scrapy.Request]:
        """The whole board in one request."""
        yield self.json_request(f"{self.api_base}/jobs?content=true", self.parse_list)

    def parse_list(self, response: Response) -> Iterator[Any]:
        """Items for jobs with content; detail requests for the others."""
        data = self.json_body(response)
        if data is None:
            return
        jobs = data.get("jobs")
        if not isinstance(jobs, list):
            self.fail_page("no_job_list", response.url)
            return
        for job in jobs:
            if not isinstance(job, dict) or not job.get("id"):
                self.drop("no_id", str(job)[:200])
            elif job.get("content"):
                yield from self.item_from(job)
            else:
                url = f"{self.api_base}/jobs/{job['id']}"
                yield self.json_request(url, self.parse_detail)
        self.listing_complete()

    def parse_detail(self, response: Response) -> Iterator[Any]:
        """One job from /jobs/{id}."""
        data = self.json_body(response)
        if data is not None:
            yield from self.item_from(data)

    def item_from(self, job: dict[str, Any]) -> Iterator[Any]:
        """The raw posting of one Greenhouse job."""
        location = (job.get("location") or {}).get("name")
        offices = [o.get("name") for o in job.get("offices") or [] if isinstance(o, dict)]
        item = self.posting(
            title=job.get("title"),
            institution=None,
            location=location or "; ".join(o for o in offices if o) or None,
            description=html.unescape(job.get("content") or ""),
            url=job.get("absolute_url"),
            posted=job.get("first_published") or job.get("updated_at"),
            closes=job.get("application_deadline"),
            employment_type=_metadata(job, "employment type"),
            salary=_metadata(job, "salary") or _metadata(job, "pay"),
            source_id=job.get("id"),
        )
        if item is not None:
            yield item


def _metadata(job: dict[str, Any], word: str) -> str | None:
    """A custom metadata value whose name contains `word` (boards add their own fields)."""
    for field in job.get("metadata") or []:
        if isinstance(field, dict) and word in str(field.get("name", "")).lower():
            value = field.get("value")
            if isinstance(value, dict):
                parts = [value.get("unit"), value.get("min_value"), value.get("max_value")]
                return " ".join(str(p) for p in parts if p) or None
            return str(value) if value else None
    return None
