"""The source registry: spiders/sources.toml loads, and bad entries are refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from board.extract.workday import tenant_and_site
from spiders.platforms import PLATFORMS
from spiders.platforms.workday import WorkdaySpider
from spiders.sources import SourceError, load_sources


def test_registry_loads_with_enough_real_sources() -> None:
    """At least 40 entries, unique ids, known platforms, each with a search or a feed."""
    sources = load_sources()
    assert len(sources) >= 40
    ids = [s.id for s in sources]
    assert len(ids) == len(set(ids))
    assert {s.platform for s in sources} <= set(PLATFORMS)
    assert len({s.institution for s in sources}) >= 40


def test_every_platform_module_agrees_with_its_class_and_name() -> None:
    """File, class and `name` agree (workday.py / WorkdaySpider / "workday")."""
    for name, cls in PLATFORMS.items():
        assert cls.__module__ == f"spiders.platforms.{name}"
        assert cls.__name__.lower() == name.replace("_", "") + "spider"


def write(tmp_path: Path, body: str) -> Path:
    """A registry file with `body`."""
    path = tmp_path / "sources.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_unknown_platform_is_refused_naming_the_entry(tmp_path: Path) -> None:
    """The message names the entry's id and the platform."""
    path = write(
        tmp_path,
        '[[source]]\nid = "odd-one"\ninstitution = "X"\nplatform = "smoke-signals"\n'
        'url = "https://x.edu/jobs"\n',
    )
    with pytest.raises(SourceError, match=r"^odd-one: unknown platform 'smoke-signals'"):
        load_sources(path)


def test_missing_key_is_refused_naming_the_entry(tmp_path: Path) -> None:
    """An entry without url names itself; one without id names its position."""
    path = write(
        tmp_path,
        '[[source]]\nid = "no-url"\ninstitution = "X"\nplatform = "workday"\n',
    )
    with pytest.raises(SourceError, match=r"^no-url: missing required key\(s\): url"):
        load_sources(path)
    path = write(tmp_path, '[[source]]\ninstitution = "X"\nplatform = "feed"\nurl = "https://x"\n')
    with pytest.raises(SourceError, match=r"^sources.toml entry 1: missing required key"):
        load_sources(path)


def test_platform_key_missing_is_refused(tmp_path: Path) -> None:
    """A platform that cannot derive its key from the url refuses the entry by name."""
    path = write(
        tmp_path,
        '[[source]]\nid = "gh"\ninstitution = "X"\nplatform = "greenhouse"\n'
        'url = "https://example.org/careers"\n',
    )
    with pytest.raises(SourceError, match=r"^gh: greenhouse needs a `board` key"):
        load_sources(path)


def test_spider_from_command_line_arguments() -> None:
    """`scrapy crawl workday -a url=... -a tenant=...` builds an ad-hoc source."""
    spider = WorkdaySpider(url="http://127.0.0.1:1/en-US/Site", tenant="t", search="HPC")
    assert spider.source.id == "workday-adhoc"
    assert (*tenant_and_site(spider.source), spider.source.search) == ("t", "Site", "HPC")


def test_shards_split_the_registry_without_overlap(capsys: pytest.CaptureFixture[str]) -> None:
    """Three machines together crawl every source exactly once."""
    from spiders.sources import main, shard

    sources = load_sources()
    parts = [shard(sources, i, 3) for i in (1, 2, 3)]
    ids = [s.id for part in parts for s in part]
    assert sorted(ids) == sorted(s.id for s in sources)
    assert main(["--shard", "2/3"]) == 0
    assert capsys.readouterr().out.split() == [s.id for s in parts[1]]
    assert main(["--shard", "4/3"]) == 2
