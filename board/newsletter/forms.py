"""Forms of the issue builder."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from board.newsletter.services import BLURB_MAX
from board.submissions.forms import multi_line


class IssueForm(FlaskForm):
    """A new issue: its number and date."""

    number = IntegerField("Issue number", [InputRequired(), NumberRange(1, 1_000_000)])
    issued_on = DateField("Date", [InputRequired()])


class BlurbForm(FlaskForm):
    """One highlight's blurb."""

    blurb = TextAreaField("Blurb", [Length(max=BLURB_MAX)], filters=[multi_line])
