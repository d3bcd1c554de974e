"""Editor forms: a moderation decision and posting corrections."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from board.corrections import CORRECTABLE
from board.submissions.forms import multi_line, one_line
from board.vocabulary import ROLES, label


class DecisionForm(FlaskForm):
    """Approve or reject a submission, with a reason the submitter reads."""

    decision = RadioField(
        "Decision",
        choices=[SelectChoice("approve", "Approve"), SelectChoice("reject", "Reject")],
        validators=[InputRequired()],
    )
    reason = TextAreaField(
        "Reason (sent to the submitter)", [Length(max=2000)], filters=[multi_line]
    )


class CorrectionForm(FlaskForm):
    """Corrected normalized fields (kept across re-crawls)."""

    title = StringField(
        "Title", [InputRequired(), Length(max=CORRECTABLE["title"])], filters=[one_line]
    )
    institution = StringField(
        "Institution", [InputRequired(), Length(max=CORRECTABLE["institution"])], filters=[one_line]
    )
    location_display = StringField(
        "Location", [Optional(), Length(max=CORRECTABLE["location_display"])], filters=[one_line]
    )
    role = SelectField("Role", choices=[SelectChoice(r, label("role", r)) for r in ROLES])
    closes_on = DateField("Closes on", [Optional()])
    summary = TextAreaField("Summary", [Length(max=CORRECTABLE["summary"])], filters=[multi_line])
