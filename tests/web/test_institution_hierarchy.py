"""Institution pages and API as a hierarchy: an institution lists its units' and centres'
postings, shows type, country and place; an old sub-unit slug answers 301 to its parent's
page (at the unit), posting pages keep working; the API carries parent, unit, type, country.
Postings go in through the ingest path with the real normalizer."""

from __future__ import annotations

from datetime import datetime

import pytest
from click.testing import CliRunner

from board import indexing, postings
from board.cli import main
from board.ingest import Ingest, RawRecord, SourceInfo
from tests.records import raw, record, upsert

MIT = "massachusetts-institute-of-technology"
ORCD_ANCHOR = "unit-office-of-research-computing-and-data"
UT = "university-of-texas-austin"
TACC = "texas-advanced-computing-center"
DESCRIPTION = (
    "<p>Lead the research computing team: run the HPC clusters, manage the research software "
    "engineers and set the strategy for research computing services.</p>"
)
POSTINGS = {  # key: (title, institution as posted, location)
    "orcd": ("Director of Research Computing", "MIT ORCD", "Cambridge, MA"),
    "mit": ("Manager, HPC Operations", "Massachusetts Institute of Technology", "Cambridge, MA"),
    "tacc": ("Head of Research Software Engineering", "TACC", "Austin, TX"),
    "ut": ("Associate Director, Research Cloud", "UT Austin", "Austin, TX"),
    "hprc1": ("Director, HPC Services", "Texas A&M HPRC", "College Station, TX"),
    "hprc2": (
        "Manager, Research Computing Operations",
        "Texas A&M University High Performance Research Computing",
        "College Station, TX",
    ),
    "hprc3": (
        "Head of Research Software Engineering",
        "High Performance Research Computing, Texas A&M University",
        "College Station, TX",
    ),
    "hprc4": ("Associate Director, Research Cloud", "TAMU - HPRC", "College Station, TX"),
    "sutter": ("Director of Research Computing", "Sutter Health", "Sacramento, CA"),
    "ebi": ("Head of Research Software Engineering", "EMBL-EBI, UK", "Hinxton, UK"),
    "bcm": ("Director of Research Computing", "Baylor College of Medicine (BCM)", "Houston, TX"),
    "cam": ("Head of Research Computing Services", "Universtity of Cambridge", "Cambridge, UK"),
}


@pytest.fixture
def hierarchy(board, frozen) -> dict[str, str]:
    """The postings above, ingested and indexed: key -> public id."""
    records = [
        RawRecord(
            {
                "title": title,
                "institution": name,
                "location": where,
                "description": DESCRIPTION,
                "url": f"https://jobs.example.edu/{key}",
                "source_id": key,
            },
            key,
        )
        for key, (title, name, where) in POSTINGS.items()
    ]
    ingest = Ingest(board)
    source = SourceInfo(id="careers", institution="Careers", url="https://jobs.example.edu/")
    outcomes = ingest.batch(records, source)
    ingest.finish()
    assert not [o.reason for o in outcomes if o.failed]
    return {str(o.ref): str(o.public_id) for o in outcomes}


def _text(response) -> str:
    return response.get_data(as_text=True)


def _section(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    return page[start : page.index("</section>", start)]


def test_an_institution_page_lists_its_units_postings(client, hierarchy):
    response = client.get(f"/institutions/{MIT}")
    assert response.status_code == 200
    page = _text(response)
    assert "<h1>Massachusetts Institute of Technology</h1>" in page
    assert "<dt>Type</dt><dd>University</dd>" in page
    assert "<dt>Country</dt><dd>United States</dd>" in page
    assert f'<a href="#{ORCD_ANCHOR}">Office of Research Computing and Data</a>' in page
    orcd = _section(page, ORCD_ANCHOR)
    assert "Office of Research Computing and Data" in orcd
    assert f'href="/jobs/{hierarchy["orcd"]}/director-of-research-computing"' in orcd
    assert "Manager, HPC Operations" not in orcd  # MIT's own posting, outside the unit
    assert f'href="/jobs/{hierarchy["mit"]}/manager-hpc-operations"' in page


def test_four_spellings_of_texas_a_and_m_hprc_are_one_page_and_one_unit(client, hierarchy):
    page = _text(client.get("/institutions/texas-a-and-m-university"))
    unit = _section(page, "unit-high-performance-research-computing")
    for key in ("hprc1", "hprc2", "hprc3", "hprc4"):
        assert f'href="/jobs/{hierarchy[key]}/' in unit
    assert "4 open" in unit
    index = _text(client.get("/institutions"))
    assert index.count('href="/institutions/texas-a-and-m-university"') == 1


@pytest.mark.parametrize(
    ("slug", "name", "kind", "country"),
    [
        ("sutter-health", "Sutter Health", "Hospital", "United States"),
        ("baylor-college-of-medicine", "Baylor College of Medicine", "University", "United States"),
        ("university-of-cambridge", "University of Cambridge", "University", "United Kingdom"),
        ("european-molecular-biology-laboratory", "European Molecular Biology Laboratory",
         "Research institute", "Germany"),
    ],
)  # fmt: skip
def test_matched_institutions_have_one_page_with_type_and_country(
    client, hierarchy, slug, name, kind, country
):
    page = _text(client.get(f"/institutions/{slug}"))
    assert f"<h1>{name}</h1>" in page
    assert f"<dt>Type</dt><dd>{kind}</dd>" in page
    assert f"<dt>Country</dt><dd>{country}</dd>" in page
    assert "<dt>Career site</dt>" in page and 'href="https://jobs.example.edu/"' in page
    index = _text(client.get("/institutions"))
    assert "Universtity" not in index and "(BCM)" not in index and "EMBL-EBI, UK" not in index


def test_a_parent_lists_its_centre_and_the_centre_names_its_parent(client, hierarchy):
    page = _text(client.get(f"/institutions/{UT}"))
    centre = _section(page, f"centre-{TACC}")
    assert f'<a href="/institutions/{TACC}">Texas Advanced Computing Center</a>' in centre
    assert f'href="/jobs/{hierarchy["tacc"]}/' in centre
    assert f'href="/jobs/{hierarchy["ut"]}/' in page
    tacc = _text(client.get(f"/institutions/{TACC}"))
    assert f'<dt>Part of</dt><dd><a href="/institutions/{UT}">' in tacc
    index = _text(client.get("/institutions"))
    assert index.index(f'href="/institutions/{UT}"') < index.index(f'href="/institutions/{TACC}"')
    assert "2 open" in index[index.index(f'href="/institutions/{UT}"') :]


def test_the_posting_page_names_its_unit_and_links_the_unit_section(client, hierarchy):
    page = _text(client.get(f"/jobs/{hierarchy['orcd']}/director-of-research-computing"))
    assert f'href="/institutions/{MIT}#{ORCD_ANCHOR}">Office of Research Computing and Data' in page
    tacc = _text(client.get(f"/jobs/{hierarchy['tacc']}/head-of-research-software-engineering"))
    assert f'(part of <a href="/institutions/{UT}">University of Texas at Austin</a>)' in tacc


def test_the_listing_counts_unit_and_centre_postings_under_the_parent(client, hierarchy):
    body = client.get(f"/api/v1/jobs?institution={MIT}").json
    assert {hit["id"] for hit in body["results"]} == {hierarchy["orcd"], hierarchy["mit"]}
    units = {hit["id"]: hit["unit"] for hit in body["results"]}
    assert units[hierarchy["orcd"]] == "Office of Research Computing and Data"
    counts = dict((f["value"], f["count"]) for f in body["facets"]["institution"])
    assert counts[MIT] == 2 and counts[UT] == 2 and counts[TACC] == 1
    ut = client.get(f"/api/v1/jobs?institution={UT}").json
    assert {hit["id"] for hit in ut["results"]} == {hierarchy["tacc"], hierarchy["ut"]}
    page = _text(client.get(f"/jobs?institution={MIT}"))
    assert '<span class="unit">Office of Research Computing and Data</span>' in page


def test_the_api_carries_parent_unit_type_and_country(client, hierarchy):
    job = client.get(f"/api/v1/jobs/{hierarchy['orcd']}").json
    assert (job["unit"], job["unit_slug"]) == (
        "Office of Research Computing and Data",
        "office-of-research-computing-and-data",
    )
    detail = job["institution_detail"]
    assert (detail["slug"], detail["type"], detail["country"], detail["parent"]) == (
        MIT,
        "university",
        "US",
        None,
    )
    tacc = client.get(f"/api/v1/jobs/{hierarchy['tacc']}").json["institution_detail"]
    assert tacc["parent"] == {
        "slug": UT,
        "name": "University of Texas at Austin",
        "url": f"http://jobs.example.test/institutions/{UT}",
    }

    mit = client.get(f"/api/v1/institutions/{MIT}").json
    assert (mit["type"], mit["country"], mit["parent"]) == ("university", "US", None)
    assert mit["units"] == [
        {
            "name": "Office of Research Computing and Data",
            "slug": "office-of-research-computing-and-data",
            "kind": "unit",
            "open_count": 1,
        }
    ]
    by_id = {p["id"]: p for p in mit["open_postings"]}
    assert by_id[hierarchy["orcd"]]["unit"] == "Office of Research Computing and Data"
    assert by_id[hierarchy["mit"]]["unit"] is None
    ut = client.get(f"/api/v1/institutions/{UT}").json
    assert [(u["kind"], u["slug"]) for u in ut["units"]] == [("centre", TACC)]
    rows = {row["slug"]: row for row in client.get("/api/v1/institutions").json["results"]}
    assert rows[TACC]["parent"]["slug"] == UT
    assert (rows[UT]["open_count"], rows[TACC]["open_count"]) == (2, 1)
    assert rows["sutter-health"]["type"] == "hospital"


def test_an_old_sub_unit_slug_redirects_permanently_to_its_parent(board, client, frozen):
    with board.session() as session:  # as the normalizer before the curated table stored it
        postings.ensure_source(session, "old", "", "import", "https://jobs.example.edu/")
        public_id = upsert(
            session,
            record(institution="MIT ORCD", institution_slug="mit-orcd", institution_type="company"),
            raw(institution="MIT ORCD", location="Cambridge, MA", description=DESCRIPTION),
            "old",
            "orcd",
            now=datetime(2026, 3, 1, 12, 0),
        ).posting.public_id
    indexing.catch_up(board)
    assert client.get("/institutions/mit-orcd").status_code == 200
    assert CliRunner().invoke(main, ["normalize", "--stored"]).exit_code == 0

    response = client.get("/institutions/mit-orcd")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/institutions/{MIT}#{ORCD_ANCHOR}"
    page = _text(client.get(f"/institutions/{MIT}"))
    assert f'href="/jobs/{public_id}/' in _section(page, ORCD_ANCHOR)
    kept = client.get("/institutions/mit-orcd?relevant=all")
    assert kept.headers["Location"] == f"/institutions/{MIT}?relevant=all#{ORCD_ANCHOR}"
    api = client.get("/api/v1/institutions/mit-orcd")
    assert (api.status_code, api.headers["Location"]) == (301, f"/api/v1/institutions/{MIT}")
    assert client.get(f"/jobs/{public_id}").status_code in (200, 301, 308)
    posting = client.get(f"/jobs/{public_id}/director-of-research-computing")
    assert posting.status_code == 200
    assert f'href="/institutions/{MIT}"' in _text(posting)
    # a saved search or feed of the old slug finds the posting at its parent
    old_filter = client.get("/api/v1/jobs?institution=mit-orcd").json
    assert [hit["id"] for hit in old_filter["results"]] == [public_id]
    feed = _text(client.get("/jobs/feed.atom?institution=mit-orcd"))
    assert f"/jobs/{public_id}" in feed
    assert client.get("/institutions/mit-orcdx").status_code == 404


def test_a_parent_known_only_through_its_centre_has_a_page(board, client, frozen):
    ingest = Ingest(board)
    item = {
        "title": "Director of Research Computing",
        "institution": "Texas Advanced Computing Center",
        "location": "Austin, TX",
        "description": DESCRIPTION,
        "url": "https://jobs.example.edu/tacc",
    }
    (outcome,) = ingest.batch([RawRecord(item, 1)], SourceInfo(id="tacc"))
    ingest.finish()
    page = _text(client.get(f"/institutions/{UT}"))
    assert "<h1>University of Texas at Austin</h1>" in page
    assert f'href="/jobs/{outcome.public_id}/' in _section(page, f"centre-{TACC}")
    index = _text(client.get("/institutions"))
    assert f'<a href="/institutions/{UT}">University of Texas at Austin</a>' in index
    sitemap = _text(client.get("/sitemap.xml"))
    assert f"http://jobs.example.test/institutions/{UT}</loc>" in sitemap
