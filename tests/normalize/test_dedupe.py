"""One record per real vacancy: matching a new record against stored ones."""

from __future__ import annotations

from typing import Any

from board.dedupe import Match, compare, dedupe_key, find_duplicate, merged_sources
from board.normalize import normalize_record
from tests.normalize.conftest import TODAY


def stored(record_id: int, raw: dict[str, Any]) -> dict[str, Any]:
    return {"id": record_id, **normalize_record(raw, today=TODAY)}


def board_twin(board_raw: dict[str, dict[str, Any]], key: str, **changes: Any) -> dict[str, Any]:
    return {**board_raw[key], **changes}


def test_institution_site_and_board_repost_are_one_vacancy(
    board_raw: dict[str, dict[str, Any]],
) -> None:
    # The board's copy (a LinkedIn link) and the institution's own Workday page of job 3519.
    board_copy = stored(
        1, board_raw["3519"] | {"url": "https://www.linkedin.com/jobs/view/4353571496/"}
    )
    own_site = normalize_record(
        board_twin(
            board_raw,
            "3519",
            institution="Colby College ",
            location="Waterville, ME",
            description=board_raw["3519"]["description"] + " Apply by the closing date.",
            url="https://colby.wd5.myworkdayjobs.com/en-US/ColbyCareers/job/Director-of-Computing-Innovation_R0006631-2",
            source="workday",
            source_id="Director-of-Computing-Innovation_R0006631-2",
        ),
        today=TODAY,
    )
    match = find_duplicate(own_site, [board_copy])
    assert isinstance(match, Match) and match.id == 1
    assert match.score >= 0.85
    assert "same institution colby-college" in match.reason and "description" in match.reason


def test_same_workday_requisition_on_two_sources(board_raw: dict[str, dict[str, Any]]) -> None:
    board_copy = stored(1, board_raw["3519"])  # the board links the Workday page itself
    crawled = normalize_record(
        {
            "title": "Director of Computing Innovation",
            "institution": "Colby College",
            "source": "workday",
            "source_id": "Director-of-Computing-Innovation_R0006631-2",
        },
        today=TODAY,
    )
    assert find_duplicate(crawled, [board_copy]) == Match(1, 1.0, "same requisition id R0006631")


def test_same_requisition_id_matches_whatever_the_title() -> None:
    a = {
        "id": 7,
        "institution_slug": "mcmaster-university",
        "requisition_id": "R1234",
        "title": "Manager, Research Computing",
        "source": "workday",
    }
    b = {
        "institution_slug": "mcmaster-university",
        "requisition_id": "r1234",
        "title": "Research Computing Manager (Hamilton)",
        "source": "submission",
    }
    assert find_duplicate(b, [a]) == Match(7, 1.0, "same requisition id R1234")


def test_two_requisitions_on_one_platform_are_two_vacancies() -> None:
    common = {
        "institution_slug": "princeton-university",
        "title": "Research Software Engineer",
        "source": "workday",
        "locations": [{"city": "Princeton", "region": "NJ", "country": "US"}],
    }
    assert (
        find_duplicate(
            {**common, "requisition_id": "R2"}, [{**common, "id": 1, "requisition_id": "R1"}]
        )
        is None
    )


def test_berkeley_lab_and_uc_berkeley_postings_stay_apart() -> None:
    raw = {
        "title": "Director, Research Computing",
        "location": "Berkeley CA USA",
        "description": "Lead the research computing team.",
    }
    lab = stored(1, {**raw, "institution": "Berkeley Lab"})
    campus = normalize_record({**raw, "institution": "UC Berkeley"}, today=TODAY)
    assert find_duplicate(campus, [lab]) is None


def test_same_title_in_different_countries_is_not_a_duplicate() -> None:
    raw = {"title": "Director of HPC", "institution": "NVIDIA", "description": "Lead HPC."}
    us = stored(1, {**raw, "location": "Santa Clara CA USA"})
    uk = normalize_record({**raw, "location": "London UK"}, today=TODAY)
    assert find_duplicate(uk, [us]) is None


def test_a_repost_months_later_is_a_new_vacancy() -> None:
    raw = {"title": "Director of HPC", "institution": "NVIDIA", "location": "Santa Clara CA USA"}
    old = stored(1, {**raw, "posted": "2025-01-10"})
    new = normalize_record({**raw, "posted": "2026-01-10"}, today=TODAY)
    assert find_duplicate(new, [old]) is None


def test_best_of_several_candidates_and_dedupe_key(board_raw: dict[str, dict[str, Any]]) -> None:
    argonne_a = normalize_record(
        board_raw["3457"] | {"institution": "Argonne National Laboratories"}, today=TODAY
    )
    argonne_b = normalize_record(
        board_raw["3457"] | {"institution": "Argonne National Laboratory"}, today=TODAY
    )
    assert dedupe_key(argonne_a) == dedupe_key(argonne_b)
    assert dedupe_key(argonne_a).startswith("argonne-national-laboratory|")
    reordered = {"institution_slug": "x", "title": "Research Computing Manager"}
    assert dedupe_key(reordered) == dedupe_key(
        {"institution_slug": "x", "title": "Manager, Research Computing"}
    )
    others = [stored(i, board_raw[k]) for i, k in enumerate(["3520", "3519", "3518"], start=10)]
    match = find_duplicate(argonne_b, [*others, {"id": 99, **argonne_a}])
    assert match is not None and match.id == 99


def test_a_record_never_matches_itself() -> None:
    record = {"id": 5, "institution_slug": "x", "title": "Director", "requisition_id": "R1"}
    assert find_duplicate(record, [record]) is None


def test_compare_explains_a_near_miss() -> None:
    a = {"id": 1, "institution_slug": "x", "title": "Director of Research Computing"}
    b = {"institution_slug": "x", "title": "Director, Research Computing"}
    match = compare(b, a)
    assert match is not None
    assert "title 1.00" in match.reason and "location unknown" in match.reason


def test_merged_sources_keep_both_links() -> None:
    kept = {"source": "workday", "source_id": "R1", "url": "https://a.example/job/R1"}
    dup = {"source": "rct-jobboard", "source_id": "3519", "url": "https://linkedin.example/3519"}
    assert merged_sources(kept, dup) == [kept, dup]
    assert merged_sources({**kept, "sources": [kept, dup]}, dup) == [kept, dup]
