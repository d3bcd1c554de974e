"""Helpers of the alert tests: subscribe through the pages, read links from the mail files."""

from __future__ import annotations

import json
import re
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from board.cli import main
from board.services import Board
from tests.accounts.support import csrf_token, mails


def subscribe(client: Any, query: str, email: str = "seeker@example.org", frequency="daily"):
    """Open the alert form for a search and send it; the response."""
    page = client.get(f"/alerts/new?{query}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    saved = re.search(r'name="query" type="hidden" value="([^"]*)"', html)
    assert saved, "no saved query on the form"
    data = {
        "csrf_token": csrf_token(html),
        "email": email,
        "frequency": frequency,
        "query": saved.group(1).replace("&amp;", "&"),
    }
    return client.post("/alerts", data=data)


def link(message: EmailMessage, kind: str) -> str:
    """The path of an alert link (confirm, unsubscribe or manage) in a mail."""
    body = message.get_content()
    pattern = {
        "confirm": r"http://jobs\.example\.test(/alerts/[\w-]+/confirm)",
        "unsubscribe": r"http://jobs\.example\.test(/alerts/[\w-]+/unsubscribe)",
        "manage": r"Change or delete this alert: http://jobs\.example\.test(/alerts/[\w-]+)\n",
    }[kind]
    match = re.search(pattern, body)
    assert match, f"no {kind} link in:\n{body}"
    return match.group(1)


def confirm(client: Any, message: EmailMessage) -> None:
    """Follow the confirmation mail's link and press its button."""
    path = link(message, "confirm")
    page = client.get(path)
    assert page.status_code == 200
    response = client.post(path, data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.status_code == 302


def import_records(tmp_path: Path, records: list[dict[str, Any]]) -> None:
    """`rcjobs import` a JSON Lines file (normalize, store, index), as a person would."""
    path = tmp_path / "new.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    result = CliRunner().invoke(main, ["import", str(path)])
    assert result.exit_code == 0, result.output


def send_alerts(*args: str) -> str:
    """`rcjobs alerts send ...`; its output line."""
    result = CliRunner().invoke(main, ["alerts", "send", *args])
    assert result.exit_code == 0, result.output
    return result.output


def alert_mails(board: Board) -> list[EmailMessage]:
    """The mails that list postings (not confirmations)."""
    return [m for m in mails(board) if "List-Unsubscribe" in m]
