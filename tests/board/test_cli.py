"""The rcjobs command line: every command answers, bad input gets one clear line."""

from __future__ import annotations

import json
import socket

import pytest
from click.testing import CliRunner

from board.cli import main

GOOD = {
    "title": "Manager, Research Software Engineering",
    "institution": "University of Toronto",
    "location": "Toronto ON CA",
    "description": "<p>Lead a team of six research software engineers.</p>",
    "url": "https://jobs.example.edu/rse-manager",
}


@pytest.fixture
def runner() -> CliRunner:
    """A CLI runner."""
    return CliRunner()


def test_help_lists_every_command(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in (
        "init",
        "sources",
        "crawl",
        "import",
        "normalize",
        "index",
        "search",
        "serve",
        "demo",
        "editor",
        "issue",
    ):
        assert command in result.output
        assert runner.invoke(main, [command, "--help"]).exit_code == 0


def test_init_creates_the_database(runner, instance):
    result = runner.invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    assert "database ready" in result.output
    assert (instance / "rcjobs.db").exists()
    assert runner.invoke(main, ["init"]).exit_code == 0  # upgrading is idempotent


def test_commands_refuse_an_uninitialised_database(runner, instance):
    result = runner.invoke(main, ["search", "hpc"])
    assert result.exit_code == 2
    assert "rcjobs init" in result.output


def test_unreachable_database_is_one_clear_line(runner, instance, monkeypatch):
    monkeypatch.setenv(
        "RCJOBS_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
    )
    result = runner.invoke(main, ["init"])
    assert result.exit_code == 2
    assert "cannot reach the database" in result.output
    assert "Traceback" not in result.output


def test_normalize_reports_bad_lines_in_place_and_goes_on(runner):
    lines = [json.dumps(GOOD), "{not json", "[1, 2]", json.dumps(GOOD | {"title": "HPC Lead"})]
    result = runner.invoke(main, ["normalize"], input="\n".join(lines) + "\n")
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 4
    assert out[0]["title"] == "Manager, Research Software Engineering"
    assert out[0]["location_display"] == "Toronto ON CA"
    assert out[1] == {"error": out[1]["error"], "line": 2}
    assert out[2]["line"] == 3
    assert out[3]["title"] == "HPC Lead"
    assert "line 2:" in result.stderr


def test_a_byte_order_mark_is_not_a_bad_first_line(runner, board, tmp_path):
    """A file saved with a UTF-8 BOM (Excel, Notepad) imports and normalizes like any other."""
    data = tmp_path / "bom.jsonl"
    data.write_bytes(b"\xef\xbb\xbf" + json.dumps(GOOD).encode() + b"\n")
    result = runner.invoke(main, ["import", str(data)])
    assert result.exit_code == 0, result.stderr
    assert "imported 1 record(s), 0 failed" in result.stdout
    result = runner.invoke(main, ["normalize"], input="\ufeff" + json.dumps(GOOD) + "\n")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["title"] == GOOD["title"]


def test_import_then_search_finds_the_posting(runner, board):
    good2 = GOOD | {"title": "Director of Research Computing", "url": "https://jobs.example.edu/d"}
    data = (
        "\n".join([json.dumps(GOOD), "oops", json.dumps({"institution": "x"}), json.dumps(good2)])
        + "\n"
    )
    result = runner.invoke(main, ["import", "-"], input=data)
    assert result.exit_code == 1
    assert "line 2: not valid JSON" in result.stderr
    assert "line 3: missing title" in result.stderr
    assert "imported 2 record(s), 2 failed" in result.stdout
    found = runner.invoke(main, ["search", "research", "software", "--json", "--all"])
    assert found.exit_code == 0, found.output
    titles = [r["title"] for r in json.loads(found.stdout)["results"]]
    assert "Manager, Research Software Engineering" in titles


@pytest.mark.parametrize("query", ['"unbalanced', "AND", "title:", "((", "x" * 5000, "a\x00b"])
def test_search_with_malformed_query_never_tracebacks(runner, board, query):
    result = runner.invoke(main, ["search", query])
    assert result.exit_code == 0, result.output
    assert "result(s)" in result.output


def test_serve_on_a_taken_port_is_one_clear_line(runner, board):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(main, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert f"port {port}" in result.output and "already in use" in result.output
    import gc

    assert gc.isenabled()  # the collector serve paused is on again after the failed start


def test_sources_lists_the_registry(runner):
    result = runner.invoke(main, ["sources"])
    assert result.exit_code == 0, result.output
    count = int(result.output.strip().splitlines()[-1].split()[0])
    assert count >= 40


def test_crawl_refuses_a_bad_entry_before_any_request(runner, board, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[source]]\nid = "x"\ninstitution = "X"\nplatform = "nope"\nurl = "http://127.0.0.1:9/"\n'
    )
    result = runner.invoke(main, ["crawl", "--sources", str(bad)])
    assert result.exit_code == 2
    assert "x: unknown platform 'nope'" in result.output
    missing = tmp_path / "missing.toml"
    missing.write_text('[[source]]\nid = "y"\nplatform = "jsonld"\nurl = "http://127.0.0.1:9/"\n')
    result = runner.invoke(main, ["crawl", "--sources", str(missing)])
    assert result.exit_code == 2
    assert "y: missing required key(s): institution" in result.output


def test_a_bad_setting_is_one_clear_line(runner, instance, monkeypatch):
    monkeypatch.setenv("RCJOBS_CLOSE_AFTER_MISSING", "often")
    result = runner.invoke(main, ["init"])
    assert result.exit_code == 2
    assert "RCJOBS_CLOSE_AFTER_MISSING must be a whole number 1 or more, not 'often'" in (
        result.output
    )


def test_normalize_answers_line_for_line_even_for_a_blank_line(runner):
    lines = [json.dumps(GOOD), "", json.dumps(GOOD | {"title": "HPC Lead"})]
    result = runner.invoke(main, ["normalize"], input="\n".join(lines) + "\n")
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("title") for o in out] == [
        "Manager, Research Software Engineering",
        None,
        "HPC Lead",
    ]
    assert out[1] == {"error": "empty line", "line": 2}


def test_index_check_reports_lag_and_index_closes_it(runner, board):
    from board import postings
    from tests.records import raw, record, upsert

    assert runner.invoke(main, ["import", "-"], input=json.dumps(GOOD) + "\n").exit_code == 0
    fine = runner.invoke(main, ["index", "--check"])
    assert fine.exit_code == 0 and "index is up to date: 1 posting(s)" in fine.output
    with board.session() as session:  # a write whose index step never ran
        postings.ensure_source(session, "src", "McMaster University", "jsonld", "https://x/")
        public_id = upsert(session, record(), raw(), "src", "k").posting.public_id
    lagging = runner.invoke(main, ["index", "--check"])
    assert lagging.exit_code == 1
    assert "index lags: 1 of 2 posting(s)" in lagging.output and public_id in lagging.output
    caught_up = runner.invoke(main, ["index"])
    assert caught_up.exit_code == 0 and "1 posting(s) updated" in caught_up.output
    assert runner.invoke(main, ["index", "--check"]).exit_code == 0
    both = runner.invoke(main, ["index", "--rebuild", "--check"])
    assert both.exit_code == 2 and "do not go together" in both.output


def test_import_strips_xml_invalid_characters_and_says_how_many_by_reason(runner, board):
    from xml.etree import ElementTree as ET  # noqa: S405 - parsing our own output

    from board import queries
    from board.app import create_app
    from board.models import Posting

    poisoned = GOOD | {
        "title": "Director\ufffe of Research\uffff Computing",
        "institution": "McMaster\x01 University",
        "location": "Hamilton\x1f ON CA",
        "description": "<p>Lead the\ud800 research computing team.</p>",
    }
    line = json.dumps(poisoned)  # JSON escapes: a lone surrogate and controls survive as \uXXXX
    assert "\\ud800" in line
    result = runner.invoke(main, ["import", "-"], input=line + "\n")
    assert result.exit_code == 0, result.output
    assert (
        "line 1: removed 2 control characters, 2 U+FFFE/U+FFFF non-characters, 1 unpaired surrogate"
    ) in result.stderr
    assert "imported 1 record(s), 0 failed" in result.stdout
    with board.read_session() as session:
        (posting,) = queries.iter_postings(session)
        assert isinstance(posting, Posting)
        assert posting.title == "Director of Research Computing"
        assert posting.institution_name == "McMaster University"
        assert "Lead the research computing team." in posting.description_text
    client = create_app({"TESTING": True}, board=board).test_client()
    for kind in ("atom", "rss"):
        feed = client.get(f"/jobs/feed.{kind}?relevant=all")
        assert feed.status_code == 200
        ET.fromstring(feed.data)  # noqa: S314 - our own output: valid XML
        assert "Director of Research Computing" in feed.get_data(as_text=True)


def test_an_index_of_an_older_schema_version_is_rebuilt_then_caught_up(runner, board):
    from board import postings
    from tests.records import raw, record, upsert

    assert runner.invoke(main, ["import", "-"], input=json.dumps(GOOD) + "\n").exit_code == 0
    generation = board.index.layout.current()
    meta = board.index.layout.read_meta(generation)  # as main wrote it: no schema version
    board.index.layout.write_meta(generation, {k: v for k, v in meta.items() if k != "schema"})
    with board.session() as session:  # and a write whose index step never ran
        postings.ensure_source(session, "src", "McMaster University", "jsonld", "https://x/")
        later = upsert(session, record(), raw(), "src", "k").posting.public_id
    old = runner.invoke(main, ["index", "--check"])
    assert old.exit_code == 1
    assert "index lags: it is of an older schema version (2 of 2 posting(s)" in old.output
    built = runner.invoke(main, ["index"])
    assert built.exit_code == 0 and "index built: 2 posting(s)" in built.output
    fine = runner.invoke(main, ["index", "--check"])
    assert fine.exit_code == 0 and "index is up to date: 2 posting(s)" in fine.output
    assert board.index.versions()[later] > 0  # indexed at the version the change log gave it
    # The rebuilt index keeps description positions: a phrase is adjacent words, in order.
    found = runner.invoke(main, ["search", '"team of six"', "--all", "--json"])
    assert found.exit_code == 0, found.output
    assert [hit["title"] for hit in json.loads(found.output)["results"]] == [GOOD["title"]]
    reversed_ = runner.invoke(main, ["search", '"six of team"', "--all", "--json"])
    assert json.loads(reversed_.output)["total"] == 0


def test_an_index_folder_that_cannot_be_written_is_one_line(runner, board, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the index should go")
    monkeypatch.setenv("RCJOBS_INDEX_DIR", str(blocker))
    result = runner.invoke(main, ["index"])
    assert result.exit_code == 2
    assert result.output.startswith("rcjobs: cannot write the search index:")
    assert "Traceback" not in result.output
