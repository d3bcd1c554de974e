"""Prefill the form from a posting page's JobPosting JSON-LD, read by board.extract (as the
spiders read it).

The fetch is bounded: http/https only (redirects too), a timeout, a size cap, and no private,
loopback or link-local addresses unless the app allows them (tests serve pages on loopback).
"""

from __future__ import annotations

import html as htmllib
import re
import urllib.error
import urllib.request
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from board.extract.jobposting import page_postings, posting_fields
from board.normalize.salary import normalize_salary
from board.normalize.text import html_to_text as _html_to_text
from board.submissions.pinned import AddressRefused, Allowance, pinned_opener
from board.submissions.platforms import api_posting, raw_from_api, raw_from_page
from board.submissions.stated import stated_from_salary

MAX_BYTES = 2_000_000
TIMEOUT = 8.0
USER_AGENT = "rcjobs-prefill/1.0 (+submission form)"
_LIST_GAP = re.compile(r"^(- [^\n]*)\n\n(?=- )", re.MULTILINE)


class PrefillError(ValueError):
    """The posting could not be read (the message is shown beside the field)."""


def check_url(url: str, allow_private: Allowance = False) -> None:
    """Refuse non-http(s) URLs; the address is checked where the connection is made."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PrefillError("Only http:// and https:// addresses can be read.")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow at most a few redirects, each to an http(s) URL (its address checked on connect)."""

    max_redirections = 5

    def __init__(self, allow_private: Allowance) -> None:
        self.allow_private = allow_private

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201
        """Check the target before following."""
        check_url(newurl, self.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(
    url: str,
    *,
    allow_private: Allowance = False,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
) -> tuple[str, bytes]:
    """The final URL and body of a page (at most max_bytes)."""
    check_url(url, allow_private)
    # Each connection (redirects too) resolves once, checks every address and connects to it.
    opener = pinned_opener(_CheckedRedirects(allow_private), allow_private=allow_private)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 - scheme checked above
    try:
        with opener.open(request, timeout=timeout) as response:
            body = response.read(max_bytes + 1)
            final = response.geturl()
    except PrefillError:
        raise
    except AddressRefused as exc:
        raise PrefillError(str(exc)) from exc
    except urllib.error.HTTPError as exc:
        raise PrefillError(f"The page answered {exc.code}.") from exc
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None)
        if isinstance(reason, AddressRefused):
            raise PrefillError(str(reason)) from exc
        raise PrefillError("The page could not be fetched (unreachable or too slow).") from exc
    if len(body) > max_bytes:
        raise PrefillError("The page is too large to read.")
    return final, body


def fields_from_page(body: bytes | str, page_url: str) -> dict[str, Any]:
    """Form fields from the first JobPosting on a page, else from the job page's own platform
    reader (PageUp, EURAXESS, PeopleAdmin); PrefillError when neither reads it."""
    postings = page_postings(body, page_url)
    if not postings:
        data = body.encode("utf-8") if isinstance(body, str) else body
        raw = raw_from_page(page_url, data)
        if raw is None:
            raise PrefillError("No JobPosting structured data was found on that page.")
        return form_fields(raw, page_url)
    raw = posting_fields(postings[0], page_url)
    raw["salary"] = postings[0].get("baseSalary") or raw.get("salary")
    return form_fields(raw, page_url)


def form_fields(raw: dict[str, Any], page_url: str) -> dict[str, Any]:
    """The form's fields from a raw posting (as the spiders make them)."""
    fields = {
        "title": raw.get("title"),
        "institution": raw.get("institution"),
        "location": raw.get("location"),
        "url": raw.get("url") or page_url,
        "description": html_to_text(raw.get("description") or "")[:20000],
        "closes_on": _date(raw.get("closes")),
        "salary": salary_text(raw.get("salary")) or None,
        "employment_type": _employment_type(raw.get("employment_type")),
        **stated_from_salary(normalize_salary(raw.get("salary"), [])),
    }
    return {k: v for k, v in fields.items() if v}


def _employment_type(value: Any) -> str | None:
    """The form's employment type from a posting's (FULL_TIME, "Part time", [...])."""
    from board.normalize.dates import employment_types, primary_employment_type

    return primary_employment_type(employment_types(value))


def prefill(url: str, *, allow_private: Allowance = False) -> dict[str, Any]:
    """Fetch a posting (a platform's API record, else its page's JSON-LD) and read its fields."""
    where = api_posting(url)
    if where is not None:
        _, body = fetch(where.api_url, allow_private=allow_private)
        raw = raw_from_api(where, body)
        if raw is None:
            raise PrefillError(f"The {where.platform} posting could not be read.")
        return form_fields(raw, url)
    final, body = fetch(url, allow_private=allow_private)
    return fields_from_page(body, final)


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def html_to_text(value: str) -> str:
    """Readable plain text of an HTML description (the project's one HTML-to-text function),
    also when the HTML arrives entity-escaped."""
    if "&lt;" in value and "<" not in value:
        value = htmllib.unescape(value)
    # A form field reads better with a list's items on consecutive lines.
    return _LIST_GAP.sub(r"\1\n", _html_to_text(value))


def salary_text(value: Any) -> str:
    """A MonetaryAmount as "USD 120,000-150,000 per year" (or a string as given)."""
    if isinstance(value, str | int | float):
        return " ".join(str(value).split())[:120]
    if not isinstance(value, dict):
        return ""
    if "min" in value or "max" in value:
        value = {
            "currency": value.get("currency"),
            "value": {
                "minValue": value.get("min"),
                "maxValue": value.get("max"),
                "unitText": value.get("period"),
            },
        }
    amount = value.get("value")
    currency = str(value.get("currency") or "").strip()
    if isinstance(amount, dict):
        low, high = amount.get("minValue"), amount.get("maxValue")
        single = amount.get("value")
        unit = str(amount.get("unitText") or "").lower()
    else:
        low = high = None
        single, unit = amount, ""
    numbers = [_money(v) for v in (low, high) if v not in (None, "")] or (
        [_money(single)] if single not in (None, "") else []
    )
    if not numbers:
        return ""
    text = " ".join(p for p in (currency, "-".join(numbers)) if p)
    return (f"{text} per {unit}" if unit else text)[:120]


def _money(value: Any) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:,.0f}" if number == int(number) else f"{number:,.2f}"
