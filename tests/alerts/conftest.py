"""Fixtures of the alert tests (the account tests' app, client and frozen clock)."""

from tests.accounts.support import app, client, frozen  # noqa: F401 - fixtures
