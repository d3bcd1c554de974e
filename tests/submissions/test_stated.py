"""Stated fields (work arrangement, employment type, role, salary range): validated with clear
errors, shown in the preview (the posting page's own template) and carried to the posting."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from board.models import Posting
from board.submissions.models import Submission
from tests.accounts.support import (
    csrf_token,
    form_values,
    preview,
    status_token,
    submit,
    valid_fields,
)

STATED = {
    "work_arrangement": "hybrid",
    "employment_type": "part_time",
    "role": "manager",
    "salary_min": "95,000",
    "salary_max": "110000",
    "salary_currency": "CAD",
    "salary_period": "year",
    "salary": "",
}


def stated_fields(**changes: str) -> dict[str, str]:
    return valid_fields(**(STATED | changes))


def errors(html: str) -> dict[str, str]:
    found = re.findall(r'<p class="error" id="([a-z_]+)-error">([^<]*)</p>', html)
    return dict(found)


def facts(html: str) -> list[tuple[str, str]]:
    """The posting's facts list as (label, text) pairs, tags and spacing removed."""
    block = re.search(r'<dl class="facts">(.*?)</dl>', html, re.S)
    assert block, "no facts list"
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block.group(1), re.S)
    return [(dt, " ".join(re.sub(r"<[^>]+>", " ", dd).split())) for dt, dd in pairs]


def test_the_form_offers_the_stated_fields_with_labels(client):
    html = client.get("/submit").get_data(as_text=True)
    for name, label in [
        ("work_arrangement", "Work arrangement"),
        ("employment_type", "Employment type"),
        ("role", "Kind of role"),
        ("salary_min", "Lowest"),
        ("salary_max", "Highest"),
        ("salary_currency", "Currency"),
        ("salary_period", "Per"),
    ]:
        assert re.search(rf'<label for="{name}">{label}</label>', html), name
        assert f'name="{name}"' in html
    assert '<option value="hybrid">Hybrid</option>' in html
    assert '<option value="part_time">Part-time</option>' in html


def test_the_preview_is_the_posting_page_with_the_stated_values(client):
    response = preview(client, stated_fields())
    html = response.get_data(as_text=True)
    assert response.status_code == 200, errors(html)
    assert '<article class="posting" aria-labelledby="posting-title">' in html
    shown = dict(facts(html))
    assert shown["Location"] == "Hamilton, ON, Canada Hybrid"
    assert shown["Role"].startswith("Manager")
    assert shown["Salary"] == "CA$95,000–110,000 a year"
    assert shown["Type"] == "Part time"
    assert "Read the original posting and apply" in html
    assert "Permanent link" not in html  # a draft has none yet


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"salary_min": "120000", "salary_max": "90000"}, "salary_max", "below the lowest"),
        ({"salary_currency": ""}, "salary_currency", "Choose the currency"),
        ({"salary_min": "lots"}, "salary_min", "in figures, such as 120000"),
        ({"salary_min": "-5"}, "salary_min", "above zero"),
        (
            {"salary_min": "95", "salary_max": "110"},
            "salary_min",
            "check the amount and the period",
        ),
        ({"salary_period": "fortnight"}, "salary_period", "Not a valid choice"),
        ({"work_arrangement": "underwater"}, "work_arrangement", "Not a valid choice"),
        ({"role": "overlord"}, "role", "Not a valid choice"),
    ],
)
def test_stated_fields_that_do_not_add_up_get_a_clear_error(client, board, changes, field, message):
    response = preview(client, stated_fields(**changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in errors(html).get(field, ""), errors(html)
    assert "Please correct the fields marked below." in html
    if field == "salary_min" and changes.get("salary_min") == "lots":
        assert 'value="lots"' in html  # what was typed is shown again


def test_no_salary_at_all_is_fine(client):
    fields = stated_fields(salary_min="", salary_max="", salary_currency="")
    assert preview(client, fields).status_code == 200


def test_stated_fields_round_trip_to_the_approved_posting(client, editor_client, board):
    token = status_token(submit(client, stated_fields()))
    with board.session() as session:
        row = session.scalar(select(Submission))
        assert (row.work_arrangement, row.employment_type, row.role) == (
            "hybrid",
            "part_time",
            "manager",
        )
        assert (row.salary_min, row.salary_max, row.salary_currency, row.salary_period) == (
            95000,
            110000,
            "CAD",
            "year",
        )
        sid = row.id
    edit = client.get(f"/submit/status/{token}/edit").get_data(as_text=True)
    assert '<option selected value="hybrid">' in edit and 'value="95000"' in edit
    review = editor_client.get(f"/editor/submissions/{sid}").get_data(as_text=True)
    assert "CA$95,000–110,000 a year" in review and "Hybrid" in review
    data = {"csrf_token": csrf_token(review), "decision": "approve", "reason": ""}
    assert editor_client.post(f"/editor/submissions/{sid}/decide", data=data).status_code == 302
    with board.session() as session:
        posting = session.get(Posting, session.scalar(select(Submission.posting_id)))
        assert posting.remote == "hybrid"
        assert posting.location_display == "Hamilton ON CA (hybrid)"
        assert posting.employment_type == "part_time"
        assert posting.role == "manager"
        assert posting.salary == {"min": 95000, "max": 110000, "currency": "CAD", "period": "year"}
        public_id = posting.public_id
    page = client.get(f"/jobs/{public_id}").get_data(as_text=True)
    preview_facts = facts(preview(client, stated_fields()).get_data(as_text=True))
    posting_facts = facts(page)
    assert [label for label, _ in preview_facts] == [label for label, _ in posting_facts]
    assert dict(preview_facts)["Salary"] == dict(posting_facts)["Salary"]
    assert dict(preview_facts)["Location"] == dict(posting_facts)["Location"]


def test_prefill_fills_the_salary_range_and_employment_type_from_json_ld():
    from board.submissions.prefill import fields_from_page

    posting = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": "Director, Research Computing",
        "description": "<p>Lead the research computing team of twelve.</p>",
        "employmentType": "PART_TIME",
        "hiringOrganization": {"@type": "Organization", "name": "Colorado School of Mines"},
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "USD",
            "value": {"minValue": 140000, "maxValue": 170000, "unitText": "YEAR"},
        },
    }
    import json

    body = f'<script type="application/ld+json">{json.dumps(posting)}</script>'
    fields = fields_from_page(body.encode(), "https://careers.example.edu/jobs/1")
    assert fields["salary_min"] == 140000 and fields["salary_max"] == 170000
    assert (fields["salary_currency"], fields["salary_period"]) == ("USD", "year")
    assert fields["employment_type"] == "part_time"


def test_send_takes_the_preview_page_s_own_copy_of_the_form(client, board):
    page = preview(client, stated_fields()).get_data(as_text=True)
    sent = form_values(page)  # what the browser sends on "Send for review"
    assert sent["salary_min"] == "95,000" and sent["work_arrangement"] == "hybrid"
    response = client.post("/submit/send", data=sent)
    assert response.status_code == 302, response.get_data(as_text=True)
    with board.session() as session:
        row = session.scalar(select(Submission))
        assert (row.salary_min, row.salary_currency, row.work_arrangement) == (
            95000,
            "CAD",
            "hybrid",
        )
        assert row.normalized["salary"]["min"] == 95000
