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
    "RCJOBS_REDIS_URL": "Redis URL for rate-limit storage (memory when unset)",
    "RCJOBS_MAIL_DIR": "Folder the file mailer writes to (instance/mail)",
    "RCJOBS_SMTP_HOST": "SMTP server; when set, mail goes out by SMTP instead of to files",
    "RCJOBS_SMTP_PORT": "SMTP port (587)",
    "RCJOBS_SMTP_USER": "SMTP user name",
    "RCJOBS_SMTP_PASSWORD": "SMTP password",
    "RCJOBS_SMTP_FROM": "From address of outgoing mail",
    "RCJOBS_SMTP_STARTTLS": "1 to use STARTTLS (default 1)",
    "RCJOBS_TEST_POSTGRES_URL": "Tests only: also run storage tests on this PostgreSQL database",
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
    secret_key: str = field(repr=False, default="")

    def ensure_dirs(self) -> None:
        """Create the instance folder (and what lives in it) when missing."""
        self.instance_dir.mkdir(parents=True, exist_ok=True)
        self.index_dir.parent.mkdir(parents=True, exist_ok=True)


def load_settings() -> Settings:
    """Settings from the environment, defaults under ./instance."""
    instance = Path(_env("RCJOBS_INSTANCE_DIR", "instance")).resolve()
    database_url = _env("RCJOBS_DATABASE_URL") or f"sqlite:///{instance / 'rcjobs.db'}"
    settings = Settings(
        instance_dir=instance,
        database_url=database_url,
        index_dir=Path(_env("RCJOBS_INDEX_DIR") or instance / "index").resolve(),
        base_url=(_env("RCJOBS_BASE_URL", "http://127.0.0.1:8000") or "").rstrip("/"),
        close_after_missing=int(_env("RCJOBS_CLOSE_AFTER_MISSING", "3") or 3),
        redis_url=_env("RCJOBS_REDIS_URL"),
        mail_dir=Path(_env("RCJOBS_MAIL_DIR") or instance / "mail").resolve(),
    )
    settings.secret_key = _env("RCJOBS_SECRET_KEY") or _instance_secret(instance)
    return settings


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
