"""Cadences in sources.toml: daily by default, per platform in [schedule], per source."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from board.extract.registry import load_registry
from spiders.sources import SourceError, load_sources

ENTRIES = """
[[source]]
id = "a-feed"
institution = "A University"
platform = "feed"
url = "https://a.example.edu/jobs.rss"

[[source]]
id = "b-greenhouse"
institution = "B Institute"
platform = "greenhouse"
url = "https://boards-api.greenhouse.io/v1/boards/b/jobs"
board = "b"

[[source]]
id = "c-feed"
institution = "C College"
platform = "feed"
url = "https://c.example.edu/jobs.rss"
cadence = "6h"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_source_is_daily_without_a_schedule_table(tmp_path):
    registry = load_registry(write(tmp_path, ENTRIES.replace('cadence = "6h"', "")))
    assert {registry.cadence(s.id) for s in registry.sources} == {timedelta(days=1)}


def test_platform_and_source_overrides(tmp_path):
    text = '[schedule]\ndefault = "weekly"\n[schedule.platforms]\nfeed = "12h"\n' + ENTRIES
    registry = load_registry(write(tmp_path, text))
    assert registry.cadence("a-feed") == timedelta(hours=12)  # its platform's
    assert registry.cadence("b-greenhouse") == timedelta(weeks=1)  # the default
    assert registry.cadence("c-feed") == timedelta(hours=6)  # its own


def test_the_cadence_key_is_not_handed_to_the_spider(tmp_path):
    sources = load_sources(write(tmp_path, ENTRIES))
    assert "cadence" not in next(s for s in sources if s.id == "c-feed").extra


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[schedule]\ndefault = "often"\n', "cadence 'often' is not hourly, daily, weekly"),
        ('[schedule]\ndefault = "5m"\n', "shorter than 15 minutes"),
        ('[schedule.platforms]\nnosuch = "1d"\n', "unknown platform 'nosuch'"),
        ('[schedule]\nevery = "1d"\n', "unknown key(s) in [schedule]: every"),
    ],
)
def test_a_bad_schedule_is_one_clear_error(tmp_path, text, message):
    with pytest.raises(SourceError, match=re.escape(message)):
        load_registry(write(tmp_path, text + ENTRIES))


def test_a_bad_source_cadence_names_the_source(tmp_path):
    with pytest.raises(SourceError, match="c-feed: cadence '6 hours'"):
        load_registry(write(tmp_path, ENTRIES.replace('"6h"', '"6 hours"')))


def test_the_shipped_registry_parses_with_cadences():
    registry = load_registry()
    assert registry.sources and all(registry.cadence(s.id) for s in registry.sources)
