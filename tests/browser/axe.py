"""axe-core in the browser tests: find axe.min.js, run it on a page, describe what it found.

axe-core is not a Python package: get it from the npm registry once, for example
`npm pack axe-core && tar xzf axe-core-*.tgz` and RCJOBS_AXE=package/axe.min.js, or
`npm install --prefix ~/.cache/rcjobs axe-core` (found there by default). Tests skip without it.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

from tests.shared import REPO_ROOT

#: WCAG 2.0 and 2.1, levels A and AA: what the editor pages and the submit form must meet.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_candidates() -> list[Path]:
    """Where axe.min.js is looked for, in order."""
    cache_dir = Path(os.environ.get("RCJOBS_CACHE_DIR") or Path.home() / ".cache" / "rcjobs")
    named = os.environ.get("RCJOBS_AXE")
    return [
        *([Path(named)] if named else []),
        REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js",
        cache_dir / "node_modules" / "axe-core" / "axe.min.js",
        cache_dir / "axe-core" / "axe.min.js",
    ]


@cache
def axe_source() -> str | None:
    """axe.min.js's text, or None when it is nowhere to be found."""
    for path in axe_candidates():
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


def run_axe(page: Any, tags: list[str] = WCAG_AA) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now (axe injected by evaluation, not a tag)."""
    source = axe_source()
    assert source is not None
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(source)
    options = {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]}
    return page.evaluate("options => axe.run(document, options).then(r => r.violations)", options)


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per failing element: rule, impact, selector, axe's summary."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            target = " ".join(map(str, node.get("target", [])))
            summary = " ".join(str(node.get("failureSummary", "")).split())[:300]
            lines.append(f"{violation['id']} ({violation['impact']}): {target}: {summary}")
    return "\n".join(lines)
