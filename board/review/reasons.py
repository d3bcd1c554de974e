"""The normalizer's reasons for a score, as one line in plain words for the review queue.

The stored reasons name internal tokens ("role program_manager: title says 'program
manager'", "research computing: title area data_management", "relevant (score 0.93)"); the
queue shows what an editor reads at a glance ("Program manager in the title; data
management in the title").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from board.vocabulary import label

_QUOTED = r"(?:'(?P<q1>[^']*)'|\"(?P<q2>[^\"]*)\")"
_MAX_PARTS = 3


def _quoted(match: re.Match[str]) -> str:
    return f"“{match.group('q1') or match.group('q2') or ''}”"


_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^(?:not )?relevant \(score [\d.]+\)$"), lambda m: ""),
    (
        re.compile(rf"^role (?P<role>\w+): title says {_QUOTED}$"),
        lambda m: f"{label('role', m.group('role'))} in the title ({_quoted(m)})",
    ),
    (
        re.compile(rf"^role (?P<role>\w+): description says {_QUOTED}$"),
        lambda m: f"the description says {_quoted(m)}: a {label('role', m.group('role')).lower()}",
    ),
    (
        re.compile(rf"^research computing: title says {_QUOTED}$"),
        lambda m: f"research computing in the title ({_quoted(m)})",
    ),
    (
        re.compile(r"^research computing: title area (?P<area>\w+)$"),
        lambda m: f"{label('technical', m.group('area'))} in the title",
    ),
    (
        re.compile(rf"^research computing: institution name says {_QUOTED}$"),
        lambda m: f"a computing centre ({_quoted(m)})",
    ),
    (
        re.compile(rf"^outside research computing: title says {_QUOTED}$"),
        lambda m: f"outside research computing ({_quoted(m)})",
    ),
    (
        re.compile(rf"^weak research computing evidence: title says {_QUOTED}$"),
        lambda m: f"only a weak computing sign in the title ({_quoted(m)})",
    ),
    (
        re.compile(r"^title names no computing"),
        lambda m: "no computing, data or software area in the title",
    ),
    (
        re.compile(r"^the description confirms: it mentions (?P<terms>.+)$"),
        lambda m: f"the description mentions {', '.join(m.group('terms').split(', ')[:3])}",
    ),
    (
        re.compile(r"^the description refutes"),
        lambda m: "the description names no computing work",
    ),
    (re.compile(r"^not a leadership role"), lambda m: "not a leadership title"),
    (
        re.compile(rf"^not research-computing leadership: (?P<why>[^:]+): title says {_QUOTED}"),
        lambda m: f"{m.group('why')} ({_quoted(m)})",
    ),
]


def plain(reason: str) -> str:
    """One stored reason in plain words ("" for the score line, which the table shows)."""
    text = " ".join(str(reason).split())
    for pattern, render in _RULES:
        match = pattern.search(text)
        if match:
            return render(match)
    return text.replace("_", " ")


_TITLE_ROLE = re.compile(r"^role \w+: title says ")


def one_line(
    reasons: Iterable[object], overrides: dict | None = None, role_shown: bool = False
) -> str:
    """The first few reasons in plain words, joined, capitalised: the queue's "why" column
    (without the title's role when the table shows the role beside it)."""
    parts: list[str] = []
    if overrides and isinstance(overrides.get("relevant"), bool):
        parts.append(
            "marked relevant by an editor"
            if overrides["relevant"]
            else "marked not relevant by an editor"
        )
    for reason in reasons or ():
        if role_shown and _TITLE_ROLE.match(str(reason)):
            continue
        text = plain(str(reason))
        if text and text not in parts:
            parts.append(text)
        if len(parts) >= _MAX_PARTS:
            break
    line = "; ".join(parts)
    return line[:1].upper() + line[1:] if line else "No reasons recorded"
