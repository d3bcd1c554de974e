"""The submission form: field limits, plain-text checks, closing date bounds, a honeypot."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from board.clock import today
from board.submissions import stated
from board.submissions.text import looks_like_markup, strip_control

MAX_AHEAD = timedelta(days=366)


def one_line(value: Any) -> Any:
    """Strip control characters, line breaks and surrounding space from a one-line field."""
    return " ".join(strip_control(value).split()) if isinstance(value, str) else value


def multi_line(value: Any) -> Any:
    """Strip control characters and surrounding space from a text area."""
    return strip_control(value).replace("\r\n", "\n").strip() if isinstance(value, str) else value


def plain_text(_form: FlaskForm, field: Any) -> None:
    """Refuse HTML in a one-line field."""
    if field.data and looks_like_markup(field.data):
        raise ValidationError("Plain text only: please remove the HTML tags.")


def http_url(_form: FlaskForm, field: Any) -> None:
    """Only absolute http(s) URLs with a host name."""
    parts = urlsplit(field.data or "")
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in field.data:
        raise ValidationError("Enter a full web address starting with https:// or http://.")


def closing_date(_form: FlaskForm, field: Any) -> None:
    """A closing date from today up to a year ahead."""
    if field.data is None:
        return
    if field.data < today():
        raise ValidationError("The closing date is in the past.")
    if field.data > today() + MAX_AHEAD:
        raise ValidationError("The closing date is more than a year away.")


def _text(label: str, low: int, high: int, *extra: Any, **kw: Any) -> StringField:
    return StringField(
        label,
        [InputRequired(), Length(low, high), plain_text, *extra],
        filters=[one_line],
        render_kw={"maxlength": high},
        **kw,
    )


class AmountField(StringField):
    """An amount typed as figures ("120,000"); data is a float or None, a clear error otherwise."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Parse the typed amount (the typed text is shown again when it is wrong)."""
        self.data = None
        if valuelist:
            self.data = stated.parse_amount(strip_control(str(valuelist[0]))[:40])

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return stated.format_amount(self.data)


def _choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, text) for value, text in pairs]


def _choice(label: str, pairs: list[tuple[str, str]], **kw: Any) -> SelectField:
    return SelectField(label, [Optional()], choices=_choices(pairs), default="", **kw)


class SubmissionForm(FlaskForm):
    """What an institution tells us about a posting."""

    title = _text("Job title", 3, 200)
    institution = _text("Institution", 2, 200)
    location = _text("Location", 2, 200, description="City, region, country; or Remote")
    url = URLField(
        "Application URL",
        [InputRequired(), Length(max=2000), http_url],
        filters=[one_line],
        render_kw={"maxlength": 2000},
    )
    description = TextAreaField(
        "Description",
        [InputRequired(), Length(50, 20000)],
        filters=[multi_line],
        description="Plain text or Markdown (paragraphs, lists, links, emphasis).",
        render_kw={"maxlength": 20000, "rows": 14},
    )
    closes_on = DateField("Closing date", [InputRequired(), closing_date])
    work_arrangement = _choice("Work arrangement", stated.WORK_ARRANGEMENTS)
    employment_type = _choice("Employment type", stated.EMPLOYMENT_TYPES)
    role = _choice(
        "Kind of role",
        stated.ROLES,
        description="Director, manager, team lead...: what the person will lead.",
    )
    salary_min = AmountField("Lowest", render_kw={"inputmode": "decimal", "maxlength": 40})
    salary_max = AmountField("Highest", render_kw={"inputmode": "decimal", "maxlength": 40})
    salary_currency = _choice("Currency", stated.CURRENCIES)
    salary_period = SelectField(
        "Per", [Optional()], choices=_choices(stated.PERIODS), default="year"
    )
    salary = StringField(
        "Salary as advertised (optional)",
        [Optional(), Length(max=120), plain_text],
        filters=[one_line],
        render_kw={"maxlength": 120},
        description='Grade, band or wording, e.g. "Grade 8, £45,585–£54,395".',
    )
    contact_name = _text("Contact name", 2, 120)
    contact_email = EmailField(
        "Contact email",
        [InputRequired(), Length(max=254), Email(check_deliverability=False)],
        filters=[one_line],
        render_kw={"maxlength": 254},
        description=(
            "We email the private status link only to an address at the posting's own domain"
            " (you@example.edu for a job at careers.example.edu) or one already confirmed on"
            " rcjobs; otherwise keep the link the form shows after sending."
        ),
    )
    #: A honeypot: hidden from people by CSS, filled in by bots.
    homepage = StringField("Leave this field empty", filters=[one_line])

    def validate(self, extra_validators: Any = None) -> bool:
        """Each field's own checks, then whether the salary's amounts, currency and period agree."""
        valid = super().validate(extra_validators)
        for name, message in stated.salary_problems(self.fields()).items():
            getattr(self, name).errors = [*getattr(self, name).errors, message]
            valid = False
        return valid

    def is_spam(self) -> bool:
        """Whether the honeypot was filled in."""
        return bool(self.homepage.data)

    def fields(self) -> dict[str, Any]:
        """The submission's fields (without CSRF, honeypot or helpers)."""
        from board.submissions.models import FIELDS

        return {name: getattr(self, name).data for name in FIELDS}


class NewSubmissionForm(SubmissionForm):
    """The public form: also the prefill URL and the preview token."""

    prefill_url = URLField(
        "Posting page to prefill from",
        [Optional(), Length(max=2000), http_url],
        filters=[one_line],
        render_kw={"maxlength": 2000},
    )
    preview_token = HiddenField()
