"""`rcjobs train`: from the fixtures, the labels and an installation's editor corrections."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from board.cli import main
from board.normalize import normalize_record
from board.normalize.relevance import read_model
from tests.normalize.conftest import DATA, TODAY
from tests.shared import shared_fixture

pytest.importorskip("sklearn", reason="training needs scikit-learn (the dev extra)")


def _small_labels(tmp_path: Path) -> Path:
    """Every fourth labelled row, so a training run takes a second."""
    folder = tmp_path / "labels"
    folder.mkdir()
    lines = (DATA / "labelled.jsonl").read_text("utf-8").splitlines()
    (folder / "labelled.jsonl").write_text("\n".join(lines[::4]) + "\n", "utf-8")
    return folder


def test_train_reports_figures_and_writes_a_loadable_model(tmp_path: Path) -> None:
    out = tmp_path / "model.json"
    fixtures = shared_fixture("datasets").parent
    result = CliRunner().invoke(
        main,
        ["train", "--fixtures", str(fixtures), "--labels", str(_small_labels(tmp_path)),
         "--output", str(out), "--folds", "3"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "cross-validated on dev" in result.output and "held out" in result.output
    assert "ROC AUC" in result.output and "Brier" in result.output
    model = read_model(out)
    assert model.weights and model.meta["heldout"]["n"] > 0


def test_train_without_fixtures_is_one_clear_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["train", "--fixtures", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "no fixtures folder" in result.output


def test_train_with_an_unreachable_database_is_one_clear_line(tmp_path: Path) -> None:
    fixtures = shared_fixture("datasets").parent
    result = CliRunner().invoke(
        main,
        ["train", "--fixtures", str(fixtures), "--labels", str(_small_labels(tmp_path)),
         "--database", "postgresql+psycopg://nobody@127.0.0.1:1/none",
         "--output", str(tmp_path / "m.json")],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "cannot read corrections" in result.output
    assert "Traceback" not in result.output


def test_location_and_institution_corrections_are_checked_against_the_raw_record() -> None:
    from board.normalize import training

    checks = [
        {"id": "a", "raw": {"title": "Director", "location": "Durham",
                            "institution": "Durham University"},
         "locations": {"corrected": [{"city": "Durham", "region": None, "country": "GB"}]}},
        {"id": "b", "raw": {"title": "Director", "location": "Springfield"},
         "locations": {"corrected": [{"city": "Springfield", "region": "IL", "country": "US"}]}},
        {"id": "c", "raw": {"title": "Director", "institution": "Rutgers OARC"},
         "institution": {"corrected": "Rutgers University"}},
    ]  # fmt: skip
    assert training.check_corrections(checks) == [
        "editor corrections the normalizer now reads right by itself: locations 1/2",
        "editor corrections the normalizer now reads right by itself: institution 1/1",
    ]


def _store(board: Any, raw: dict[str, Any], overrides: dict[str, Any]) -> None:
    from board import ingest, postings
    from board.record import NormalizedRecord

    source = ingest.SourceInfo(id="test", institution=raw["institution"], url="https://x.test")
    record = NormalizedRecord.from_dict(normalize_record(raw, today=TODAY))
    with board.session() as session:
        _outcome, posting = ingest.store_record(
            session, dict(raw, source_id=raw["title"]), source, record
        )
        posting.overrides = overrides
        postings.reapply(posting)


def test_the_editors_corrections_become_training_rows(board: Any, tmp_path: Path) -> None:
    from board.review import training_data

    _store(
        board,
        {"title": "Coordinator, Research Cloud", "institution": "University of Toronto",
         "location": "Toronto ON CA"},
        {"relevant": True, "locations": [{"city": "Toronto", "region": "ON", "country": "CA"}]},
    )  # fmt: skip
    _store(
        board,
        {"title": "Director of Research Computing", "institution": "Example University"},
        {"relevant": False},
    )
    _store(board, {"title": "Lead HPC Engineer", "institution": "Example University"}, {})
    found = training_data.database_examples(board.settings.database_url)
    assert sorted((e.title, e.relevant) for e in found) == [
        ("Coordinator, Research Cloud", True),
        ("Director of Research Computing", False),
    ]
    assert all(e.kind == "editor" for e in found)
    toronto = next(e for e in found if e.relevant)
    assert toronto.extra["corrections"]["locations"]["corrected"][0]["city"] == "Toronto"

    out = tmp_path / "model.json"
    result = CliRunner().invoke(
        main,
        ["train", "--fixtures", str(shared_fixture("datasets").parent),
         "--labels", str(_small_labels(tmp_path)), "--use-database",
         "--output", str(out), "--folds", "3"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "2 editor correction(s)" in result.output
    assert "now reads right by itself: locations 1/1" in result.output
    assert read_model(out).meta["kinds"]["editor"] == 2


def test_the_labels_readme_describes_every_file() -> None:
    readme = (DATA / "README.md").read_text("utf-8")
    for name in ("labelled.jsonl", "handwritten.jsonl", "vendor_product", "newsletter"):
        assert name in readme
    for row in (DATA / "handwritten.jsonl").read_text("utf-8").splitlines():
        json.loads(row)


def test_the_committed_model_is_what_train_writes_from_the_committed_labels() -> None:
    """Change the labels, the features or the vetoes: run `make model` and commit the file."""
    from board.normalize import training
    from board.normalize.relevance import default_model

    examples = training.labelled_examples(shared_fixture("datasets").parent)
    fresh = training.fit(examples)
    committed = default_model()
    assert set(fresh.weights) == set(committed.weights)
    assert max(abs(fresh.weights[k] - committed.weights[k]) for k in fresh.weights) < 1e-3
    assert abs(fresh.intercept - committed.intercept) < 1e-3
