"""The alert forms: subscribe (email, frequency, the search) and change the frequency."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length

FREQUENCY_CHOICES = [SelectChoice("daily", "Daily"), SelectChoice("weekly", "Weekly")]


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class AlertForm(FlaskForm):
    """Email me new jobs like these."""

    email = EmailField(
        "Your email address",
        [InputRequired(), Length(max=254), Email(check_deliverability=False)],
        filters=[_strip],
        render_kw={"maxlength": 254, "autocomplete": "email"},
    )
    frequency = RadioField("How often", choices=FREQUENCY_CHOICES, default="weekly")
    query = HiddenField(validators=[Length(max=2000)])


class FrequencyForm(FlaskForm):
    """Change how often an alert mails."""

    frequency = RadioField("How often", choices=FREQUENCY_CHOICES, default="weekly")
