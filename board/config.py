"""Configuration from RCJOBS_* environment variables, with embedded defaults under ./instance."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

#: Every variable rcjobs reads, with what it means (the README table is made from this).
VARIABLES: dict[str, str] = {
    "RCJOBS_INSTANCE_DIR": (
        "Folder for the embedded database, index, mail and secret key (./instance)"
    ),
    "RCJOBS_DATABASE_URL": (
        "SQLAlchemy URL (sqlite:///instance/rcjobs.db; postgresql+psycopg://...)"
    ),
    "RCJOBS_INDEX_DIR": "Whoosh index folder (instance/index)",
    "RCJOBS_SECRET_KEY": "Flask secret key (generated once into instance/secret_key)",
    "RCJOBS_BASE_URL": "Public base URL used in feeds, exports and mail (http://127.0.0.1:8000)",
    "RCJOBS_CONTACT_URL": "Contact URL in the crawler's user agent",
    "RCJOBS_CLOSE_AFTER_MISSING": "Complete crawls a posting may be missing before it closes (3)",
    "RCJOBS_HTTPCACHE": "1 to replay crawls from Scrapy's HTTP cache (development)",
    "RCJOBS_REDIS_URL": "Redis URL for rate limits (a SQLite file in the instance when unset)",
    "RCJOBS_PROXY_COUNT": (
        "Trusted reverse proxies in front of the site; the client's address and scheme are"
        " read from their X-Forwarded-For/-Proto (0)"
    ),
    "RCJOBS_MAIL_DIR": "Folder the file mailer writes to (instance/mail)",
    "RCJOBS_SMTP_HOST": "SMTP server; when set, mail goes out by SMTP instead of to files",
    "RCJOBS_SMTP_PORT": "SMTP port (587)",
    "RCJOBS_SMTP_USER": "SMTP user name",
    "RCJOBS_SMTP_PASSWORD": "SMTP password",
    "RCJOBS_SMTP_FROM": "From address of outgoing mail",
    "RCJOBS_SMTP_STARTTLS": "1 to use STARTTLS (default 1)",
    "RCJOBS_DEMO_DIR": (
        "The demo's own instance folder (instance/demo); `rcjobs demo` keeps it across starts"
        " (`--reset` starts afresh)"
    ),
    "RCJOBS_PREFILL_ALLOW": (
        "Private or loopback addresses (IP:port, comma-separated) the submission form's prefill"
        " may read; `rcjobs demo` sets its own sites' (empty: public addresses only)"
    ),
    "RCJOBS_ACCESS_LOG": "0 to switch `rcjobs serve`'s access log off (on: a line a request)",
    "RCJOBS_WORKER_THREADS": (
        "Threads per `rcjobs serve` worker process (2; 1 for sync workers behind a proxy)"
    ),
    "RCJOBS_CRAWL_LOG_LEVEL": "Scrapy log level of `rcjobs crawl` (WARNING)",
    "RCJOBS_CACHE_DIR": "Where the normalizer caches its gazetteer table (~/.cache/rcjobs)",
    "RCJOBS_GAZETTEER_CACHE": "0 to build the gazetteer table in memory each run, not cache it",
    "RCJOBS_FOLLOW_INTERVAL": (
        "Seconds between a web node's look at the change log for its index (1; 0 turns it off)"
    ),
    "RCJOBS_METRICS": "1 to serve Prometheus metrics at /metrics (404 when off)",
    "RCJOBS_METRICS_TOKEN": (
        "A bearer token /metrics asks every scrape for (401 without it; unset: none asked)"
    ),
    "RCJOBS_LOG_FORMAT": "text (default) or json: one JSON object a log line",
    "RCJOBS_HEALTH_MAX_LAG": "Seconds of index lag before /healthz answers 503 (60)",
    "RCJOBS_BROKER_URL": (
        "Celery broker of `rcjobs schedule` and `rcjobs worker`"
        " (amqp://guest:guest@127.0.0.1:5672// or redis://...); /healthz checks it"
    ),
    "RCJOBS_QUEUE": "Queue the crawl tasks go to (rcjobs-crawl)",
    "RCJOBS_LEASE_SECONDS": "How long a crawl's source and host leases last without renewal (600)",
    "RCJOBS_BUSY_RETRY_SECONDS": (
        "Seconds before a worker tries again a source whose lease or host is busy (15, plus jitter)"
    ),
    "RCJOBS_CRAWL_TIME_LIMIT": "Soft time limit of a worker's crawl (s), then SIGTERM (3600)",
    "RCJOBS_CRAWL_GRACE": "Seconds after the soft limit before the crawl is killed (120)",
    "RCJOBS_WORKER_CRAWL_SETTINGS": "Scrapy settings of the workers' crawls (NAME=VALUE,...)",
    "RCJOBS_WORKER_LOG_DIR": "A folder where a worker keeps each crawl attempt's output",
    "RCJOBS_TEST_POSTGRES_URL": "Tests only: also run storage tests on this PostgreSQL database",
    "RCJOBS_TEST_REDIS_URL": "Tests only: test the rate limiter against this Redis",
    "RCJOBS_TEST_BROKER_URL": "Tests only: the worker and /healthz broker tests use this broker",
    "RCJOBS_CHROMIUM": "Tests only: the Chromium the browser tests drive (/usr/bin/chromium)",
    "RCJOBS_SCREENSHOTS": "Tests only: a folder where the browser tests keep page screenshots",
    "RCJOBS_AXE": (
        "Tests only: axe-core's axe.min.js for the accessibility tests"
        " (default: node_modules/axe-core/axe.min.js or ~/.cache/rcjobs/axe-core/axe.min.js)"
    ),
}


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


@dataclass
class Settings:
    """Resolved settings for one process."""

    instance_dir: Path
    database_url: str
    index_dir: Path
    base_url: str
    close_after_missing: int
    redis_url: str | None
    mail_dir: Path
    proxy_count: int = 0
    #: (IP, port) pairs the prefill may reach although they are not public addresses.
    prefill_allow: frozenset[tuple[str, int]] = frozenset()
    secret_key: str = field(repr=False, default="")

    def ensure_dirs(self) -> None:
        """Create the instance folder (and what lives in it) when missing."""
        self.instance_dir.mkdir(parents=True, exist_ok=True)
        self.index_dir.parent.mkdir(parents=True, exist_ok=True)


def load_settings() -> Settings:
    """Settings from the environment, defaults under ./instance."""
    instance = Path(_env("RCJOBS_INSTANCE_DIR") or "instance").resolve()
    database_url = _env("RCJOBS_DATABASE_URL") or f"sqlite:///{instance / 'rcjobs.db'}"
    settings = Settings(
        instance_dir=instance,
        database_url=database_url,
        index_dir=Path(_env("RCJOBS_INDEX_DIR") or instance / "index").resolve(),
        base_url=(_env("RCJOBS_BASE_URL", "http://127.0.0.1:8000") or "").rstrip("/"),
        close_after_missing=whole_number(
            "RCJOBS_CLOSE_AFTER_MISSING", _env("RCJOBS_CLOSE_AFTER_MISSING"), default=3, minimum=1
        ),
        redis_url=_env("RCJOBS_REDIS_URL"),
        mail_dir=Path(_env("RCJOBS_MAIL_DIR") or instance / "mail").resolve(),
        proxy_count=proxy_count(_env("RCJOBS_PROXY_COUNT")),
        prefill_allow=address_list("RCJOBS_PREFILL_ALLOW", _env("RCJOBS_PREFILL_ALLOW")),
    )
    settings.secret_key = _env("RCJOBS_SECRET_KEY") or _instance_secret(instance)
    return settings


class ConfigError(ValueError):
    """An RCJOBS_* variable with a value rcjobs cannot use; the message names it."""


def whole_number(name: str, value: object, default: int = 0, minimum: int = 0) -> int:
    """A whole-number setting (default when unset); ConfigError naming it when it is not one."""
    if value in (None, ""):
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        number = minimum - 1
    if number < minimum:
        raise ConfigError(f"{name} must be a whole number {minimum} or more, not {value!r}")
    return number


def proxy_count(value: object) -> int:
    """A number of trusted proxies (0 when unset); a clear ConfigError when it is not one."""
    return whole_number("RCJOBS_PROXY_COUNT", value)


def address_list(name: str, value: str | None) -> frozenset[tuple[str, int]]:
    """ "127.0.0.1:8001, [::1]:8002" as {(ip, port)}; ConfigError naming the variable when an
    entry is not an IP address with a port (names are not resolved: that would invite rebinding)."""
    import ipaddress

    pairs: set[tuple[str, int]] = set()
    for entry in (value or "").split(","):
        entry = entry.strip()
        if not entry:
            continue
        host, _, port = entry.rpartition(":")
        try:
            address = ipaddress.ip_address(host.strip("[]"))
            number = int(port)
        except ValueError:
            raise ConfigError(f"{name} takes IP:port entries, not {entry[:60]!r}") from None
        if not 0 < number < 65536:
            raise ConfigError(f"{name} takes IP:port entries, not {entry[:60]!r}")
        pairs.add((str(address), number))
    return frozenset(pairs)


def _instance_secret(instance: Path) -> str:
    """A random key kept in instance/secret_key, so sessions survive restarts."""
    path = instance / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        instance.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        path.write_text(key)
        path.chmod(0o600)
        return key
