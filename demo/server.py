"""The demo's career sites on loopback, each in its platform's real format.

One threaded stdlib HTTP server plays five institutions' sites:

- Northbridge University: a Workday career site (CXS JSON API, POST list + GET detail).
- Cascadia National Laboratory: HTML listing pages (two, with a "next" link) whose detail
  pages carry schema.org JobPosting JSON-LD; one detail page has slightly malformed JSON-LD.
- Midlands Institute for Data Science: a sitemap.xml listing JSON-LD detail pages.
- Alpine Research Computing Centre: a Greenhouse job board API.
- Coral Sea University of Technology: an RSS 2.0 job feed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import threading
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from email.utils import format_datetime
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape as xml_escape

from demo.postings import INSTITUTIONS, Place, Posting, is_open, postings

WORKDAY_TENANT = "northbridge"
WORKDAY_SITE = "Careers"
WORKDAY_MAX_LIMIT = 20
GREENHOUSE_BOARD = "alpinercc"
CASCADIA_PAGE_SIZE = 6
#: Detail pages whose JSON-LD has a raw newline inside a string, as hand-edited sites do.
MALFORMED_JSONLD = frozenset({"CNL-24125"})

Response = tuple[int, str, bytes]


class DemoServer:
    """A running demo server: its base URL, its sources, and a way to stop it."""

    def __init__(self, httpd: _DemoHTTPServer, thread: threading.Thread) -> None:
        self._httpd = httpd
        self._thread = thread
        self._owner = os.getpid()

    @property
    def base_url(self) -> str:
        """Scheme, host and port, e.g. "http://127.0.0.1:8001"."""
        return self._httpd.base_url

    def shutdown(self) -> None:
        """Stop serving and close the listening socket. In a process forked after the start
        (a gunicorn worker of `rcjobs demo`) the serving thread does not exist: only this
        process's copy of the socket is closed (waiting for that thread would never end)."""
        if os.getpid() != self._owner:
            self._httpd.server_close()
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def sources(self) -> list[dict[str, str]]:
        """Registry entries (sources.toml `[[source]]` tables) for the five demo sites."""
        return demo_sources(self.base_url)

    def sources_toml(self) -> str:
        """The sources rendered as a sources.toml file."""
        lines = [f"# The rcjobs demo's own career sites, served at {self.base_url}"]
        for entry in self.sources():
            lines.append("")
            lines.append("[[source]]")
            for key, value in entry.items():
                lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
        return "\n".join(lines) + "\n"

    def __enter__(self) -> DemoServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown()


def demo_sources(base: str) -> list[dict[str, str]]:
    """Registry entries for the five demo sites served at `base`."""
    name = {key: inst.name for key, inst in INSTITUTIONS.items()}
    return [
        {
            "id": "demo-northbridge",
            "institution": name["northbridge"],
            "platform": "workday",
            "url": f"{base}/en-US/{WORKDAY_SITE}",
            "tenant": WORKDAY_TENANT,
            "site": WORKDAY_SITE,
            "search": "",
        },
        {
            "id": "demo-cascadia",
            "institution": name["cascadia"],
            "platform": "jsonld",
            "url": f"{base}/cascadia/careers/",
            "link_selector": "li.job a",
            "next_selector": "a[rel=next]",
        },
        {
            "id": "demo-midlands",
            "institution": name["midlands"],
            "platform": "jsonld",
            "url": f"{base}/midlands/sitemap.xml",
            "link_pattern": r"/midlands/vacancies/MIDS-\d+/",
        },
        {
            "id": "demo-alpine",
            "institution": name["alpine"],
            "platform": "greenhouse",
            "url": f"{base}/v1/boards/{GREENHOUSE_BOARD}/jobs",
            "board": GREENHOUSE_BOARD,
        },
        {
            "id": "demo-coralsea",
            "institution": name["coralsea"],
            "platform": "feed",
            "url": f"{base}/coralsea/jobs.rss",
        },
    ]


def serve(
    port: int = 0, host: str = "127.0.0.1", *, today: Callable[[], date] | None = None
) -> DemoServer:
    """Start the demo sites on a daemon thread; port 0 picks a free port."""
    httpd = _DemoHTTPServer((host, port), _Handler)
    httpd.today = today or date.today
    thread = threading.Thread(target=httpd.serve_forever, name="rcjobs-demo-sites", daemon=True)
    thread.start()
    return DemoServer(httpd, thread)


class _DemoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    today: Callable[[], date]

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else host
        return f"http://{name}:{port}"


class _Handler(BaseHTTPRequestHandler):
    server: _DemoHTTPServer
    server_version = "rcjobs-demo/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the demo prints its own progress."""

    def do_GET(self) -> None:
        """Route a GET to the site that owns the path."""
        self._respond(self._route("GET", b""))

    def do_POST(self) -> None:
        """Route a POST (only the Workday list endpoint takes one)."""
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self._respond(self._route("POST", body))

    def _respond(self, response: Response) -> None:
        status, content_type, body = response
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _route(self, method: str, body: bytes) -> Response:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        site = _Sites(self.server.base_url, self.server.today())
        wday = f"/wday/cxs/{WORKDAY_TENANT}/{WORKDAY_SITE}"
        greenhouse = f"/v1/boards/{GREENHOUSE_BOARD}/jobs"
        if path == f"{wday}/jobs":
            if method != "POST":
                return _json({"errorCode": "HTTP_405", "httpStatus": 405}, 405)
            return site.workday_list(body)
        if method != "GET":
            return _json({"errorCode": "HTTP_405", "httpStatus": 405}, 405)
        if path.startswith(f"{wday}/job/"):
            return site.workday_detail(path[len(wday) :])
        if path in (f"/en-US/{WORKDAY_SITE}", f"/{WORKDAY_SITE}"):
            return site.workday_home()
        for prefix in (f"/en-US/{WORKDAY_SITE}/job/", f"/{WORKDAY_SITE}/job/"):
            if path.startswith(prefix):
                return site.workday_page(path[len(prefix) - len("/job/") :])
        if path == greenhouse:
            return site.greenhouse_list(query.get("content", "").lower() == "true")
        if path.startswith(f"{greenhouse}/"):
            return site.greenhouse_detail(path[len(greenhouse) + 1 :])
        routes: dict[str, Callable[[], Response]] = {
            "/": site.home,
            "/robots.txt": site.robots,
            "/cascadia/careers/": lambda: site.cascadia_listing(query.get("page", "1")),
            "/midlands/sitemap.xml": site.midlands_sitemap,
            "/midlands/vacancies/": site.midlands_index,
            "/midlands/working-here": site.midlands_working_here,
            "/coralsea/jobs.rss": site.coralsea_feed,
            "/coralsea/jobs/": site.coralsea_index,
        }
        if path in routes:
            return routes[path]()
        patterns: tuple[tuple[str, Callable[[str], Response]], ...] = (
            (r"/cascadia/careers/jobs/([^/]+)/[^/]*", site.jsonld_page),
            (r"/midlands/vacancies/([^/]+)/[^/]*", site.jsonld_page),
            (rf"/{GREENHOUSE_BOARD}/jobs/(\d+)", site.greenhouse_page),
            (r"/coralsea/jobs/([^/]+)", site.coralsea_page),
        )
        for pattern, view in patterns:
            match = re.fullmatch(pattern, path)
            if match:
                return view(match.group(1))
        return _not_found()


# --- responses -----------------------------------------------------------------------------


def _json(data: Any, status: int = 200) -> Response:
    return status, "application/json;charset=UTF-8", json.dumps(data, indent=1).encode()


def _html(body: str, status: int = 200) -> Response:
    return status, "text/html; charset=utf-8", body.encode()


def _not_found() -> Response:
    return _html(_page("Not found", "<h1>Page not found</h1>"), HTTPStatus.NOT_FOUND)


def _page(title: str, body: str, head: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n{head}</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _hex_id(*parts: str) -> str:
    """A stable 32-hex-digit id, shaped like Workday's."""
    return hashlib.md5("/".join(parts).encode(), usedforsecurity=False).hexdigest()


def _stamp(day: date, offset: str, at: time = time(9, 0)) -> str:
    """ISO 8601 timestamp of `day` at `at`, in the site's UTC offset."""
    return f"{datetime.combine(day, at).isoformat()}{offset}"


# --- the sites -----------------------------------------------------------------------------


class _Sites:
    """Renders every page of every demo site for one request, as of `today`."""

    def __init__(self, base: str, today: date) -> None:
        self.base = base
        self.today = today

    def _open(self, institution: str) -> list[Posting]:
        """The institution's open postings, newest first."""
        found = [p for p in postings(institution) if is_open(p, self.today)]
        return sorted(found, key=lambda p: p.posted_days_ago)

    def _find(self, posting_id: str, institution: str) -> Posting | None:
        return next((p for p in postings(institution) if p.id == posting_id), None)

    def home(self) -> Response:
        """An index of the demo sites."""
        links = "".join(
            f'<li><a href="{escape(s["url"])}">{escape(s["institution"])}</a>'
            f" ({s['platform']})</li>"
            for s in demo_sources(self.base)
        )
        return _html(
            _page("rcjobs demo career sites", f"<h1>Demo career sites</h1><ul>{links}</ul>")
        )

    def robots(self) -> Response:
        """robots.txt allowing every crawler everywhere."""
        text = f"User-agent: *\nAllow: /\n\nSitemap: {self.base}/midlands/sitemap.xml\n"
        return 200, "text/plain; charset=utf-8", text.encode()

    # Workday ---------------------------------------------------------------------------

    def workday_list(self, body: bytes) -> Response:
        """POST .../jobs: one page of postings, with Workday's limit of 20."""
        try:
            request = json.loads(body or b"{}")
            limit = int(request.get("limit", WORKDAY_MAX_LIMIT))
            offset = int(request.get("offset", 0))
            search = str(request.get("searchText") or "")
            facets = request.get("appliedFacets") or {}
            if not isinstance(facets, dict):
                raise ValueError("appliedFacets")
        except (ValueError, TypeError, AttributeError):
            return _json({"errorCode": "HTTP_400", "httpStatus": 400}, 400)
        if not 1 <= limit <= WORKDAY_MAX_LIMIT or offset < 0:
            return _json({"errorCode": "HTTP_400", "httpStatus": 400}, 400)
        found = [p for p in self._open("northbridge") if _matches(p, search, self.today)]
        for parameter, wanted in facets.items():
            if wanted:
                found = [p for p in found if set(_workday_facet_ids(p, parameter)) & set(wanted)]
        items = [self._workday_item(p) for p in found[offset : offset + limit]]
        return _json(
            {
                "total": len(found),
                "jobPostings": items,
                "facets": _workday_facets(found),
                "userAuthenticated": False,
            }
        )

    def _workday_item(self, posting: Posting) -> dict[str, Any]:
        return {
            "title": posting.title,
            "externalPath": _workday_path(posting),
            "locationsText": _workday_locations_text(posting),
            "postedOn": _workday_posted_on(posting.posted_days_ago),
            "remoteType": _WORKDAY_REMOTE[posting.remote],
            "bulletFields": [posting.id],
        }

    def workday_detail(self, external_path: str) -> Response:
        """GET .../job/{location}/{title}_{req}: the posting's detail JSON."""
        posting = _workday_lookup(external_path)
        if posting is None or not is_open(posting, self.today):
            return _json({"errorCode": "HTTP_404", "httpStatus": 404}, 404)
        first, *others = posting.places
        info: dict[str, Any] = {
            "id": _hex_id("northbridge", posting.id),
            "title": posting.title,
            "jobDescription": posting.description_html(self.today),
            "location": _workday_location(first),
        }
        if others:
            info["additionalLocations"] = [_workday_location(p) for p in others]
        info.update(
            {
                "postedOn": _workday_posted_on(posting.posted_days_ago),
                "startDate": posting.posted_on(self.today).isoformat(),
                "timeType": "Part time" if "PART_TIME" in posting.employment_type else "Full time",
                "jobReqId": posting.id,
                "jobPostingId": _workday_path(posting).rsplit("/", 1)[-1],
                "jobPostingSiteId": WORKDAY_SITE,
                "country": {
                    "descriptor": first.country_name,
                    "id": _hex_id("country", first.country),
                },
                "canApply": True,
                "posted": True,
                "includeResumeParsing": True,
                "jobRequisitionLocation": {
                    "descriptor": _workday_location(first),
                    "country": {
                        "descriptor": first.country_name,
                        "id": _hex_id("country", first.country),
                        "alpha2Code": first.country,
                    },
                },
                "remoteType": _WORKDAY_REMOTE[posting.remote],
                "externalUrl": f"{self.base}/{WORKDAY_SITE}{_workday_path(posting)}",
                "questionnaireId": _hex_id("questionnaire", WORKDAY_SITE),
            }
        )
        return _json(
            {
                "jobPostingInfo": info,
                "hiringOrganization": {"name": INSTITUTIONS["northbridge"].name, "url": ""},
                "similarJobs": [],
                "userAuthenticated": False,
            }
        )

    def workday_home(self) -> Response:
        """The career site's landing page (Workday's is a JavaScript app shell)."""
        body = (
            f"<h1>Careers at {escape(INSTITUTIONS['northbridge'].name)}</h1>"
            '<div id="root" data-automation-id="jobSearch">Loading job postings…</div>'
        )
        return _html(_page(f"Careers - {INSTITUTIONS['northbridge'].name}", body))

    def workday_page(self, external_path: str) -> Response:
        """A posting's human page at its externalUrl."""
        posting = _workday_lookup(external_path)
        if posting is None:
            return _not_found()
        return _html(self._plain_page(posting))

    # JSON-LD sites ---------------------------------------------------------------------

    def _jsonld_url(self, posting: Posting) -> str:
        if posting.institution == "cascadia":
            return f"{self.base}/cascadia/careers/jobs/{posting.id}/{posting.slug}"
        return f"{self.base}/midlands/vacancies/{posting.id}/{posting.slug}"

    def cascadia_listing(self, page_text: str) -> Response:
        """Listing page N of Cascadia's careers site (newest first, with a next link)."""
        jobs = sorted(postings("cascadia"), key=lambda p: p.posted_days_ago)
        pages = math.ceil(len(jobs) / CASCADIA_PAGE_SIZE)
        page = int(page_text) if page_text.isdigit() else 0
        if not 1 <= page <= pages:
            return _not_found()
        shown = jobs[(page - 1) * CASCADIA_PAGE_SIZE : page * CASCADIA_PAGE_SIZE]
        rows = "\n".join(
            f'<li class="job"><a href="{escape(self._jsonld_url(p))}">{escape(p.title)}</a>'
            f' <span class="location">{escape(p.location_text)}</span>'
            f' <span class="posted">Posted {p.posted_on(self.today):%b %d, %Y}</span>'
            f"{'' if is_open(p, self.today) else ' <em>Applications closed</em>'}</li>"
            for p in shown
        )
        nav, head = [], ""
        if page > 1:
            prev = f"/cascadia/careers/?page={page - 1}" if page > 2 else "/cascadia/careers/"
            nav.append(f'<a rel="prev" href="{prev}">Previous page</a>')
            head += f'<link rel="prev" href="{self.base}{prev}">\n'
        if page < pages:
            nxt = f"/cascadia/careers/?page={page + 1}"
            nav.append(f'<a rel="next" class="next" href="{nxt}">Next page</a>')
            head += f'<link rel="next" href="{self.base}{nxt}">\n'
        body = (
            f"<header><h1>Careers at {escape(INSTITUTIONS['cascadia'].name)}</h1></header>\n"
            f"<p>{len(jobs)} positions. Page {page} of {pages}.</p>\n"
            f'<ul class="jobs">\n{rows}\n</ul>\n<nav class="pagination">{" ".join(nav)}</nav>'
        )
        return _html(_page(f"Careers - {INSTITUTIONS['cascadia'].name}", body, head))

    def midlands_sitemap(self) -> Response:
        """sitemap.xml: every vacancy page plus a couple of pages that are not jobs."""
        entries = [(f"{self.base}/midlands/working-here", self.today - timedelta(days=90))]
        entries.append((f"{self.base}/midlands/vacancies/", self.today))
        entries += [(self._jsonld_url(p), p.posted_on(self.today)) for p in postings("midlands")]
        urls = "".join(
            f"  <url>\n    <loc>{xml_escape(loc)}</loc>\n"
            f"    <lastmod>{_stamp(day, '+00:00')}</lastmod>\n  </url>\n"
            for loc, day in entries
        )
        text = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
        )
        return 200, "application/xml; charset=utf-8", text.encode()

    def midlands_index(self) -> Response:
        """The Institute's vacancies page (the sitemap is how crawlers find postings)."""
        rows = "".join(
            f'<li><a href="{escape(self._jsonld_url(p))}">{escape(p.title)}</a></li>'
            for p in postings("midlands")
        )
        name = INSTITUTIONS["midlands"].name
        return _html(_page(f"Vacancies - {name}", f"<h1>Vacancies</h1><ul>{rows}</ul>"))

    def midlands_working_here(self) -> Response:
        """A page in the sitemap that holds no posting."""
        inst = INSTITUTIONS["midlands"]
        body = f"<h1>Working at the Institute</h1><p>{escape(inst.about)}</p>"
        return _html(_page(f"Working here - {inst.name}", body))

    def jsonld_page(self, posting_id: str) -> Response:
        """A detail page: readable HTML around a schema.org JobPosting script."""
        posting = self._find(posting_id, "cascadia") or self._find(posting_id, "midlands")
        if posting is None:
            return _not_found()
        script = json.dumps(self._job_posting(posting), indent=2, ensure_ascii=False)
        script = script.replace("</", "<\\/")
        if posting.id in MALFORMED_JSONLD:
            script = script.replace("\\n", "\n")  # a raw newline inside a JSON string
        head = f'<script type="application/ld+json">\n{script}\n</script>\n'
        head += f'<link rel="canonical" href="{escape(self._jsonld_url(posting))}">\n'
        return _html(self._plain_page(posting, head))

    def _job_posting(self, posting: Posting) -> dict[str, Any]:
        inst = posting.employer
        offset = inst.utc_offset
        posted = posting.posted_on(self.today)
        data: dict[str, Any] = {
            "@context": "https://schema.org/",
            "@type": "JobPosting",
            "title": posting.title,
            "description": posting.description_html(self.today),
            "identifier": {"@type": "PropertyValue", "name": inst.name, "value": posting.id},
            "datePosted": posted.isoformat()
            if posting.institution == "cascadia"
            else _stamp(posted, offset),
            "hiringOrganization": {
                "@type": "Organization",
                "name": inst.name,
                "sameAs": inst.website,
                "department": {"@type": "Organization", "name": posting.department},
            },
            "employmentType": posting.employment_type[0]
            if len(posting.employment_type) == 1
            else list(posting.employment_type),
            "url": self._jsonld_url(posting),
            "directApply": False,
        }
        closes = posting.closes_on(self.today)
        if closes:
            data["validThrough"] = _stamp(closes, offset, time(23, 59, 59))
        if posting.remote == "remote":
            data["jobLocationType"] = "TELECOMMUTE"
            data["applicantLocationRequirements"] = [
                {"@type": "Country", "name": place.country_name} for place in posting.places
            ]
        else:
            places = [_postal_place(place) for place in posting.places]
            data["jobLocation"] = places[0] if len(places) == 1 else places
        if posting.salary:
            data["baseSalary"] = {
                "@type": "MonetaryAmount",
                "currency": posting.salary.currency,
                "value": {
                    "@type": "QuantitativeValue",
                    "minValue": posting.salary.minimum,
                    "maxValue": posting.salary.maximum,
                    "unitText": posting.salary.period,
                },
            }
        return data

    # Greenhouse ------------------------------------------------------------------------

    def greenhouse_list(self, content: bool) -> Response:
        """GET /v1/boards/{token}/jobs[?content=true]."""
        jobs = [self._greenhouse_job(p, content) for p in self._open("alpine")]
        return _json({"jobs": jobs, "meta": {"total": len(jobs)}})

    def greenhouse_detail(self, job_id: str) -> Response:
        """GET /v1/boards/{token}/jobs/{id}."""
        posting = self._find(job_id, "alpine")
        if posting is None or not is_open(posting, self.today):
            return _json({"status": 404, "error": "Job not found"}, 404)
        return _json(self._greenhouse_job(posting, content=True))

    def _greenhouse_job(self, posting: Posting, content: bool) -> dict[str, Any]:
        inst = posting.employer
        posted = posting.posted_on(self.today)
        job_id = int(posting.id)
        job: dict[str, Any] = {
            "absolute_url": f"{self.base}/{GREENHOUSE_BOARD}/jobs/{job_id}",
            "data_compliance": [
                {
                    "type": "gdpr",
                    "requires_consent": True,
                    "requires_processing_consent": False,
                    "requires_retention_consent": False,
                    "retention_period": None,
                    "demographic_data_consent_applies": False,
                }
            ],
            "internal_job_id": job_id - 1_700_000,
            "location": {"name": "; ".join(_city_country(p) for p in posting.places)},
            "metadata": _greenhouse_metadata(posting),
            "id": job_id,
            "updated_at": _stamp(posted, inst.utc_offset, time(11, 30)),
            "requisition_id": f"ARCC-{job_id % 10000:04d}",
            "title": posting.title,
            "company_name": inst.name,
            "first_published": _stamp(posted, inst.utc_offset),
            "language": "en",
            "application_deadline": None,
        }
        if content:
            job["content"] = _greenhouse_escape(posting.description_html(self.today))
            job["departments"] = [
                {
                    "id": int(_hex_id("dept", posting.department)[:6], 16),
                    "name": posting.department,
                    "child_ids": [],
                    "parent_id": None,
                }
            ]
            job["offices"] = [
                {
                    "id": int(_hex_id("office", place.label)[:6], 16),
                    "name": place.city or place.country_name,
                    "location": place.label,
                    "child_ids": [],
                    "parent_id": None,
                }
                for place in posting.places
            ]
        return job

    def greenhouse_page(self, job_id: str) -> Response:
        """The posting's page on the hosted job board (its absolute_url)."""
        posting = self._find(job_id, "alpine")
        return _html(self._plain_page(posting)) if posting else _not_found()

    # RSS feed --------------------------------------------------------------------------

    def coralsea_feed(self) -> Response:
        """An RSS 2.0 feed of the university's open vacancies."""
        inst = INSTITUTIONS["coralsea"]
        jobs = self._open("coralsea")
        items = "".join(self._rss_item(p) for p in jobs)
        newest = min((p.posted_days_ago for p in jobs), default=0)
        built = format_datetime(_aware(self.today - timedelta(days=newest), inst.utc_offset))
        text = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
            f"<title>{xml_escape(inst.name)}: current vacancies</title>\n"
            f"<link>{self.base}/coralsea/jobs/</link>\n"
            f"<description>Open positions at {xml_escape(inst.name)}</description>\n"
            "<language>en-au</language>\n"
            f"<lastBuildDate>{built}</lastBuildDate>\n"
            f'<atom:link href="{self.base}/coralsea/jobs.rss" rel="self" '
            'type="application/rss+xml"/>\n'
            f"{items}</channel>\n</rss>\n"
        )
        return 200, "application/rss+xml; charset=utf-8", text.encode()

    def _rss_item(self, posting: Posting) -> str:
        inst = posting.employer
        link = f"{self.base}/coralsea/jobs/{posting.id}"
        published = format_datetime(_aware(posting.posted_on(self.today), inst.utc_offset))
        categories = "".join(
            f'  <category domain="location">{xml_escape(place.label)}</category>\n'
            for place in posting.places
        )
        categories += (
            f'  <category domain="department">{xml_escape(posting.department)}</category>\n'
        )
        return (
            "<item>\n"
            f"  <title>{xml_escape(posting.title)}</title>\n"
            f"  <link>{link}</link>\n"
            f'  <guid isPermaLink="false">{posting.id}</guid>\n'
            f"  <pubDate>{published}</pubDate>\n"
            f"{categories}"
            f"  <description>{xml_escape(posting.description_html(self.today))}</description>\n"
            "</item>\n"
        )

    def coralsea_index(self) -> Response:
        """The university's vacancies page, announcing its feed."""
        rows = "".join(
            f'<li><a href="/coralsea/jobs/{p.id}">{escape(p.title)}</a></li>'
            for p in self._open("coralsea")
        )
        head = (
            f'<link rel="alternate" type="application/rss+xml" '
            f'href="{self.base}/coralsea/jobs.rss" title="Vacancies">\n'
        )
        name = INSTITUTIONS["coralsea"].name
        return _html(_page(f"Vacancies - {name}", f"<h1>Vacancies</h1><ul>{rows}</ul>", head))

    def coralsea_page(self, posting_id: str) -> Response:
        """A vacancy's own page (the feed item's link)."""
        posting = self._find(posting_id, "coralsea")
        return _html(self._plain_page(posting)) if posting else _not_found()

    # shared ----------------------------------------------------------------------------

    def _plain_page(self, posting: Posting, head: str = "") -> str:
        """Readable HTML for one posting."""
        inst = posting.employer
        facts = [
            ("Institution", inst.name),
            ("Department", posting.department),
            ("Location", posting.location_text),
            ("Reference", posting.id),
            ("Posted", f"{posting.posted_on(self.today):%d %B %Y}"),
        ]
        closes = posting.closes_on(self.today)
        if closes:
            facts.append(("Closes", f"{closes:%d %B %Y}"))
        if posting.salary:
            facts.append(("Salary", posting.salary.text()))
        rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
        body = (
            f'<header><a href="{escape(inst.website)}">{escape(inst.name)}</a></header>\n'
            f'<main>\n<h1>{escape(posting.title)}</h1>\n<dl class="facts">{rows}</dl>\n'
            f'<div class="description">\n{posting.description_html(self.today)}\n</div>\n'
            f'<p><a class="apply" href="#apply">Apply now</a></p>\n</main>'
        )
        return _page(f"{posting.title} - {inst.name}", body, head)


# --- platform details ----------------------------------------------------------------------

_WORKDAY_REMOTE = {"onsite": "On-site", "hybrid": "Hybrid", "remote": "Remote"}


def _workday_location(place: Place) -> str:
    if place.city is None:
        return f"Remote - {place.country_name}"
    return f"{place.city}, {place.region or place.region_name}, {place.country_name}"


def _workday_locations_text(posting: Posting) -> str:
    if len(posting.places) > 1:
        return f"{len(posting.places)} Locations"
    return _workday_location(posting.places[0])


def _workday_path(posting: Posting) -> str:
    """externalPath: /job/{location slug}/{title slug}_{req id}, as Workday builds it."""
    location = re.sub(r"[^A-Za-z0-9]+", "-", _workday_location(posting.places[0]))
    title = re.sub(r"[^A-Za-z0-9]", "-", posting.title)
    return f"/job/{location.strip('-')}/{title}_{posting.id}"


def _workday_lookup(external_path: str) -> Posting | None:
    """The Northbridge posting an externalPath (or any path ending in _REQID) names."""
    for posting in postings("northbridge"):
        if external_path == _workday_path(posting) or external_path.endswith(f"_{posting.id}"):
            return posting
    return None


def _workday_posted_on(days: int) -> str:
    if days <= 0:
        return "Posted Today"
    if days == 1:
        return "Posted Yesterday"
    if days >= 30:
        return "Posted 30+ Days Ago"
    return f"Posted {days} Days Ago"


def _workday_facet_ids(posting: Posting, parameter: str) -> list[str]:
    if parameter == "locations":
        return [_hex_id("location", _workday_location(p)) for p in posting.places]
    if parameter == "timeType":
        return [_hex_id("timeType", posting.employment_type[0])]
    if parameter == "jobFamily":
        return [_hex_id("jobFamily", posting.department)]
    return []


def _workday_facets(found: list[Posting]) -> list[dict[str, Any]]:
    """Facet counts over the matching postings, in Workday's nesting."""

    def values(parameter: str, label: Callable[[Posting], list[str]]) -> list[dict[str, Any]]:
        counts: dict[str, int] = {}
        for posting in found:
            for text in label(posting):
                counts[text] = counts.get(text, 0) + 1
        return [
            {"descriptor": text, "id": _hex_id(parameter, text), "count": count}
            for text, count in sorted(counts.items())
        ]

    return [
        {
            "facetParameter": "jobFamily",
            "descriptor": "Job Family",
            "values": values("jobFamily", lambda p: [p.department]),
        },
        {
            "facetParameter": "locationMainGroup",
            "values": [
                {
                    "facetParameter": "locations",
                    "descriptor": "Location",
                    "values": values(
                        "location",
                        lambda p: [_workday_location(pl) for pl in p.places],
                    ),
                }
            ],
        },
    ]


def _matches(posting: Posting, search: str, today: date) -> bool:
    """Loose keyword search, as Workday's searchText: every word somewhere in the posting."""
    words = re.findall(r"\w+", search.lower())
    if not words:
        return True
    text = f"{posting.title} {posting.description_html(today)}".lower()
    return all(word in text for word in words)


def _postal_place(place: Place) -> dict[str, Any]:
    address: dict[str, Any] = {"@type": "PostalAddress", "addressLocality": place.city}
    if place.region or place.region_name:
        address["addressRegion"] = place.region or place.region_name
    address["addressCountry"] = place.country
    return {"@type": "Place", "address": address}


def _greenhouse_metadata(posting: Posting) -> list[dict[str, Any]]:
    """The board's custom fields, as Greenhouse lists them under `metadata`."""
    work_type = "Part-time" if "PART_TIME" in posting.employment_type else "Full-time"
    fields = [
        (81001, "Employment Type", work_type, "single_select"),
        (81002, "Workplace Type", _WORKDAY_REMOTE[posting.remote], "single_select"),
    ]
    if posting.salary:
        fields.append((81003, "Salary Range", posting.salary.text(), "short_text"))
    return [
        {"id": number, "name": name, "value": value, "value_type": kind}
        for number, name, value, kind in fields
    ]


def _greenhouse_escape(markup: str) -> str:
    """HTML-escape a description the way Greenhouse's `content` field is escaped."""
    return escape(markup, quote=False).replace('"', "&quot;").replace("'", "&#39;")


def _city_country(place: Place) -> str:
    return f"{place.city}, {place.country_name}" if place.city else place.country_name


def _aware(day: date, offset: str) -> datetime:
    return datetime.fromisoformat(f"{day.isoformat()}T09:00:00{offset}")


# --- standalone ----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """`python -m demo.server`: serve the demo sites until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m demo.server", description="Serve the rcjobs demo career sites."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    parser.add_argument("--port", type=int, default=8001, help="port (0 picks a free one)")
    args = parser.parse_args(argv)
    try:
        server = serve(args.port, args.host)
    except OSError as exc:
        parser.exit(2, f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}\n")
    print(server.base_url, flush=True)
    print(server.sources_toml(), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
