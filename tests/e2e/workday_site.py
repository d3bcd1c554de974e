"""A loopback server that plays a Workday career site: the CXS list API and job details."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TENANT, SITE = "example", "Research"


def job(number: int, title: str, city: str = "Golden", region: str = "CO") -> dict[str, Any]:
    """One posting of the fake site."""
    return {
        "id": f"JR{number:05d}",
        "title": title,
        "path": f"/job/{city}/{title.replace(' ', '-').replace(',', '')}_JR{number:05d}",
        "location": f"{city}, {region}",
        "description": (
            f"<p>The {title} leads a team of five research computing engineers supporting "
            "high performance computing and research software for the laboratory.</p>"
            "<p>Pay range: $130,000 - $160,000 per year.</p>"
        ),
    }


@dataclass
class WorkdaySite:
    """The postings the site lists, and how it misbehaves."""

    jobs: list[dict[str, Any]] = field(default_factory=list)
    fail_from_offset: int | None = None  # answer 500 to list pages at or past this offset
    requests: list[str] = field(default_factory=list)
    # close the connection unanswered, the first time, to a list request at this offset (as a
    # server closing an idle keep-alive connection just as the request is sent on it)
    drop_once_at_offset: int | None = None

    def listing(self, offset: int, limit: int) -> dict[str, Any]:
        """One page of the list API."""
        page = self.jobs[offset : offset + limit]
        return {
            "total": len(self.jobs),
            "jobPostings": [
                {
                    "title": j["title"],
                    "externalPath": j["path"],
                    "locationsText": j["location"],
                    "postedOn": "Posted 2 Days Ago",
                    "bulletFields": [j["id"]],
                }
                for j in page
            ],
            "facets": [],
        }

    def detail(self, path: str) -> dict[str, Any] | None:
        """One job's detail document."""
        for j in self.jobs:
            if j["path"] == path:
                return {
                    "jobPostingInfo": {
                        "id": j["id"].lower(),
                        "title": j["title"],
                        "jobDescription": j["description"],
                        "location": j["location"],
                        "postedOn": "Posted 2 Days Ago",
                        "startDate": "2026-03-01",
                        "timeType": "Full time",
                        "jobReqId": j["id"],
                        "externalUrl": f"https://example.wd5.myworkdayjobs.com/{SITE}{j['path']}",
                    },
                    "hiringOrganization": {"name": "Example National Laboratory"},
                }
        return None


def serve(site: WorkdaySite) -> tuple[ThreadingHTTPServer, str]:
    """Start the site on a free loopback port; returns the server and its base URL."""
    base = f"/wday/cxs/{TENANT}/{SITE}"

    class Handler(BaseHTTPRequestHandler):
        # HTTP/1.1 keep-alive, as Workday speaks: an HTTP/1.0 answer without "Connection:
        # close" stays in Twisted's pool although the server closes it (spiders/middlewares.py)
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode() if not isinstance(body, bytes) else body
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            site.requests.append(f"GET {self.path}")
            if self.path == "/robots.txt":
                self._send(200, b"User-agent: *\nAllow: /\n")
                return
            if self.path.startswith(base + "/job/"):
                detail = site.detail(self.path[len(base) :])
                self._send(200 if detail else 404, detail or {"error": "not found"})
                return
            self._send(404, {"error": "not found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            site.requests.append(f"POST {self.path} {body.get('offset')}")
            if self.path != base + "/jobs":
                self._send(404, {"error": "not found"})
                return
            limit, offset = int(body.get("limit", 20)), int(body.get("offset", 0))
            if limit > 20:
                self._send(400, {"errorCode": "HTTP_400", "message": "limit must be <= 20"})
                return
            if offset == site.drop_once_at_offset:
                site.drop_once_at_offset = None
                self.close_connection = True
                return
            if site.fail_from_offset is not None and offset >= site.fail_from_offset:
                self._send(500, {"error": "internal"})
                return
            self._send(200, site.listing(offset, limit))

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
