"""The relevance model: the issue's hard cases, boilerplate, the model file and its training."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from board.normalize import normalize_record
from board.normalize.boilerplate import job_content
from board.normalize.relevance import (
    ModelError,
    RelevanceModel,
    default_model,
    packaged_model_path,
    read_model,
)
from tests.normalize.conftest import TODAY
from tests.shared import shared_fixture

ARGONNE = (
    "Argonne is a multidisciplinary science and engineering research center, where talented "
    "scientists work together to answer the biggest questions facing humanity, driving AI, "
    "supercomputing and high performance computing for science."
)
EEO = (
    "Equal Opportunity Employer: we consider all applicants without regard to race, color, "
    "religion, sex, national origin, disability or protected veteran status."
)
BENEFITS = (
    "Benefits\n\nWe offer health insurance, a retirement plan, paid time off and tuition "
    "assistance. Our research computing, data science and AI initiatives make us a leader."
)


def _record(title: str, institution: str | None = None, description: str | None = None) -> Any:
    return normalize_record(
        {"title": title, "institution": institution, "description": description}, today=TODAY
    )


@pytest.mark.parametrize(
    ("title", "institution", "description"),
    [
        ("Associate Chief Information Officer, Research Information Technology",
         "University of Massachusetts Amherst", None),
        ("Head of Research Platforms", "University of Sheffield", None),
        ("Director of Research Computing", "Emory University", None),
        ("Manager, Research Software Engineering", "Princeton University", None),
    ],
)  # fmt: skip
def test_research_computing_leadership_is_relevant(
    title: str, institution: str, description: str | None
) -> None:
    record = _record(title, institution, description)
    assert record["relevant"], record["reasons"]
    assert record["score"] >= 0.5
    assert record["reasons"][0].startswith("relevant (score")


@pytest.mark.parametrize(
    ("title", "institution", "description", "why"),
    [
        ("Product Manager, Kubernetes for HPC", "Microsoft",
         "Own the roadmap of our Kubernetes service for HPC and AI customers.", "vendor"),
        ("Offering Manager, Lenovo TruScale", "Lenovo",
         "Own the TruScale HPC as-a-service offering.", "marketing"),
        ("Marketing Lead, Supercomputing", "Hewlett Packard Enterprise", None, "marketing"),
        ("Staff HPC Engineer", "Microsoft",
         "Operate large GPU clusters for AI training workloads.", "not a leadership role"),
        ("Assistant Director, Student Services", "University of Arizona",
         f"Lead our advising staff. {ARGONNE} {EEO}", "student services"),
        ("Director of Microbiology", "Sutter Health", None, "laboratory science"),
        ("Head of Programming", "Edinburgh Festival Fringe Society",
         "Lead the programming team that curates our events.", "programming"),
        ("Postdoctoral Research Associate", "Princeton University",
         "The postdoc supervises research staff and develops HPC workflows.", "trainee"),
        ("Accounts Payable Manager", "Argonne National Laboratory",
         f"Manage the accounts payable team. {ARGONNE}", "finance"),
        ("Agile Product Owner", "Argonne National Laboratory",
         f"Own the backlog of our business applications with stakeholders. {ARGONNE}", None),
        ("Materials Science Division Director", "Argonne National Laboratory",
         f"Lead the division's scientists. {ARGONNE}", "laboratory science"),
    ],
)  # fmt: skip
def test_the_title_says_what_the_job_is(
    title: str, institution: str, description: str | None, why: str | None
) -> None:
    record = _record(title, institution, description)
    assert not record["relevant"], record["reasons"]
    assert record["score"] < 0.35
    if why:
        assert any(why in reason for reason in record["reasons"]), record["reasons"]


def test_boilerplate_never_makes_a_posting_relevant() -> None:
    plain = _record("Assistant Director", "University of Nowhere", "Lead the office staff.")
    padded = _record(
        "Assistant Director",
        "University of Nowhere",
        f"Lead the office staff.\n\nAbout us\n\n{ARGONNE}\n\n{BENEFITS}\n\n{EEO}",
    )
    assert not padded["relevant"]
    assert padded["score"] <= plain["score"] + 1e-9


def test_the_description_confirms_a_title_that_names_no_area() -> None:
    bare = _record("Lead Engineer", "University of Nowhere")
    confirmed = _record(
        "Lead Engineer",
        "University of Nowhere",
        "Lead the team that runs our HPC clusters: Slurm, Lustre storage, GPU nodes and the "
        "research computing cloud.",
    )
    assert confirmed["score"] > bare["score"]
    assert confirmed["relevant"]
    assert any("description confirms" in r for r in confirmed["reasons"])


def test_job_content_drops_employer_sections_and_keeps_the_duties() -> None:
    text = (
        "About the University\n\nWe are a world-leading AI-driven university.\n\n"
        "Responsibilities\n\n- Manage the HPC team\n- Run Slurm\n\n"
        "What we offer\n\nHealth insurance and a pension.\n\n" + EEO
    )
    content = job_content(text)
    assert "Manage the HPC team" in content and "Run Slurm" in content
    assert "world-leading" not in content and "pension" not in content
    assert "race" not in content


def test_scores_are_probabilities_that_order_postings() -> None:
    titles = [
        "Director of Research Computing",
        "Manager, HPC Systems",
        "Lead Research Software Engineer",
        "Senior Research Software Engineer",
        "Research Software Engineer",
        "Director of Athletics",
    ]
    scores = [_record(t)["score"] for t in titles]
    assert scores[0] > scores[3] > scores[4]
    assert scores[2] > scores[3]
    assert scores[5] < 0.1
    assert len(set(scores)) == len(scores)
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_the_committed_model_loads_and_is_small() -> None:
    path = packaged_model_path()
    model = read_model(path)
    assert model.weights and path.stat().st_size < 200_000
    assert model.meta["trained_on"] >= 1000
    assert model.meta["heldout"]["leadership_recall"] >= 0.95
    assert default_model().weights == model.weights


def test_a_model_file_of_another_format_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "model.json"
    bad.write_text(json.dumps({"format": 99, "weights": {}}))
    with pytest.raises(ModelError):
        read_model(bad)
    bad.write_text("not json")
    with pytest.raises(ModelError):
        read_model(bad)


def test_training_on_a_small_sample_writes_a_loadable_model(tmp_path: Path) -> None:
    pytest.importorskip("sklearn", reason="training needs scikit-learn (the dev extra)")
    from board.normalize import training
    from board.normalize.relevance import write_model

    examples = training.labelled_examples(shared_fixture("datasets").parent)
    sample = [e for i, e in enumerate(examples) if i % 5 == 0]
    report = training.train(sample, folds=3)
    path = tmp_path / "model.json"
    write_model(report.model, path)
    loaded = read_model(path)
    assert isinstance(loaded, RelevanceModel) and loaded.weights
    assert loaded.meta["cross_validated"]["roc_auc"] > 0.8
    assert any(line.startswith("held out") for line in report.lines)
