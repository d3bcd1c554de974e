"""Dependencies point one way: extraction has no Scrapy, spiders/ has no import cycle, board
reaches spiders only from its CLI, and the prefill calls the spiders' extraction functions."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from board.extract import PLATFORMS as TABLE
from board.extract import Fetched, greenhouse
from board.submissions.platforms import api_posting, raw_from_api
from spiders.platforms import PLATFORMS
from tests.shared import REPO_ROOT, read_fixture_bytes
from tests.spiders.helpers import build_spider, call, detail


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, at any depth of the file (late imports too)."""
    names: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def module_name(path: Path) -> str:
    """spiders/platforms/__init__.py → spiders.platforms."""
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_extraction_imports_no_scrapy() -> None:
    """No module of board/extract imports Scrapy (or spiders), and importing the package
    loads neither."""
    for path in sorted((REPO_ROOT / "board" / "extract").glob("*.py")):
        bad = {n for n in imports_of(path) if n.split(".")[0] in ("scrapy", "spiders", "twisted")}
        assert not bad, f"{path.name} imports {sorted(bad)}"
    code = (
        "import sys, board.extract, board.submissions.prefill;"
        "print([m for m in sys.modules if m.split('.')[0] in ('scrapy', 'spiders')])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_spiders_have_no_import_cycle() -> None:
    """The import graph of spiders/ (late imports inside functions included) is acyclic."""
    files = {module_name(p): p for p in (REPO_ROOT / "spiders").rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        targets = set()
        for imported in imports_of(path):
            while imported and imported not in files:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    state: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                cycle = [*trail[trail.index(target) :], target] if target in trail else [target]
                raise AssertionError(f"import cycle: {' -> '.join(cycle)}")
            if target not in state:
                visit(target, [*trail, target])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])


def test_every_platform_of_the_table_has_its_spider() -> None:
    """The spider classes and the platform table name the same platforms."""
    assert set(PLATFORMS) == set(TABLE)
    assert all(cls.name == name for name, cls in PLATFORMS.items())


def test_prefill_and_spider_read_a_record_with_the_same_function() -> None:
    """The Greenhouse detail the spider reads and the one the form prefills are one record,
    both made by board.extract.greenhouse's detail step."""
    body = read_fixture_bytes("greenhouse/stripe-job-detail.json")
    job = json.loads(body)["id"]
    where = api_posting(f"https://boards-api.greenhouse.io/v1/boards/stripe/jobs/{job}")
    assert where is not None
    prefilled = raw_from_api(where, body)
    spider = build_spider(
        "greenhouse", url="https://boards-api.greenhouse.io/v1/boards/stripe/jobs"
    )
    (item,) = call(detail(spider, where.api_url), body)
    page = greenhouse.parse_detail(Fetched(where.api_url, body), spider.source, {})
    assert prefilled is not None
    keep = {"title", "location", "description", "url", "posted", "source_id"}
    spider_view = {k: v for k, v in dict(item).items() if k in keep}
    assert {k: v for k, v in prefilled.items() if k in keep} == spider_view
    assert {k: v for k, v in page.records[0].items() if k in keep} == spider_view


def test_prefill_reads_a_pageup_job_page_with_the_spiders_detail_step() -> None:
    """A PageUp job page without JSON-LD prefills from the same function the spider calls."""
    from board.submissions.prefill import fields_from_page
    from tests.spiders.helpers import own_response

    body = own_response("pageup-own-job.html").decode()
    body = body.replace("JOB_TITLE", "HPC Operations Manager").replace("JOB_ID", "593001")
    body = body.replace("JOB_PLACE", "Clayton")
    url = "https://jobs.example.edu/en-us/job/593001/hpc-operations-manager"
    fields = fields_from_page(body.encode(), url)
    spider = build_spider("pageup", url="https://jobs.example.edu/en-us/listing/")
    (item,) = call(detail(spider, url), body, kind="html")
    assert fields["title"] == item["title"] == "HPC Operations Manager"
    assert fields["location"] == item["location"] == "Clayton"
    assert fields["closes_on"].isoformat() == item["closes"][:10] == "2030-07-10"
    assert fields["description"].startswith("Lead the research computing team")
