"""The per-host limit holds in one crawl process: no download delay, two sources on one host,
and the host never has more than CONCURRENT_REQUESTS_PER_DOMAIN requests in flight."""

from __future__ import annotations

from pathlib import Path

from demo.farm import Farm
from tests.spiders.loopback import rcjobs


def test_two_sources_of_one_host_in_one_crawl_share_the_hosts_two_places(board, tmp_path: Path):
    with Farm(hosts=1, per_host=2, postings=10, latency=0.2) as farm:
        registry = farm.registry(tmp_path / "sources.toml")
        result = rcjobs(
            "crawl", "--sources", str(registry),
            "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "RETRY_TIMES=0",
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr[-3000:]
        assert result.stdout.count("— success") == 2
        assert farm.total_requests() >= 2 * 11  # both listings, every detail page
        assert farm.peaks() == {farm.sources[0].host: 2}
