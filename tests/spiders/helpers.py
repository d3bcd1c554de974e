"""Offline helpers: build a spider for a source entry and feed it recorded responses."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from board.extract import NextRequest
from spiders.items import RawPosting
from spiders.platforms import PLATFORMS
from spiders.sources import source_from_mapping

RESPONSES = Path(__file__).with_name("responses")


def own_response(name: str) -> bytes:
    """A response written for these tests from a platform's documented shapes."""
    return (RESPONSES / name).read_bytes()


def build_spider(platform: str, **entry: Any) -> Any:
    """A spider of `platform` for one source entry, attached to a test crawler."""
    entry.setdefault("id", f"test-{platform}")
    entry.setdefault("institution", "Test University")
    entry.setdefault("platform", platform)
    source = source_from_mapping(entry)
    cls = PLATFORMS[platform]
    crawler = get_crawler(cls)
    return cls.from_crawler(crawler, source=source)


def respond(
    request: Request | str,
    body: bytes | str | dict | list,
    status: int = 200,
    kind: str = "text",
) -> TextResponse:
    """A response to a request (or URL) with the given body."""
    if isinstance(request, str):
        request = Request(request)
    if isinstance(body, dict | list):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode("utf-8")
    cls = {"html": HtmlResponse, "xml": XmlResponse}.get(kind, TextResponse)
    return cls(url=request.url, body=body, status=status, request=request, encoding="utf-8")


def call(request: Request, body: Any, status: int = 200, kind: str = "text") -> list[Any]:
    """Run a request's callback on a response with `body`; everything it yields."""
    response = respond(request, body, status=status, kind=kind)
    return list(request.callback(response, **request.cb_kwargs) or [])


def detail(spider: Any, url: str, step: str = "detail", **meta: Any) -> Request:
    """The spider's request for one page read by a named step (a detail page by default)."""
    return spider.make_request(NextRequest(url, step, meta=meta))


def start(spider: Any) -> list[Request]:
    """The spider's start requests."""
    return list(spider.start_requests())


def split(results: Iterable[Any]) -> tuple[list[RawPosting], list[Request]]:
    """Items and requests of a callback's output."""
    results = list(results)
    items = [r for r in results if isinstance(r, RawPosting)]
    requests = [r for r in results if isinstance(r, scrapy.Request)]
    return items, requests


def dropped(spider: Any) -> dict[str, int]:
    """The spider's `rcjobs/dropped/*` stats."""
    stats = spider.crawler.stats.get_stats()
    prefix = "rcjobs/dropped/"
    return {k[len(prefix) :]: v for k, v in stats.items() if k.startswith(prefix)}
