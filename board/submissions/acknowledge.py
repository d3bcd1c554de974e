"""Who gets the acknowledgement mail: only addresses that cannot be someone else's by a typo.

The form could otherwise mail anyone: type a stranger's address, send. So the status link is
mailed only when the contact address
- is at the posting's own domain: its registrable domain (example.edu, ox.ac.uk) is the
  application URL's, as for an institution's recruiter, or
- was confirmed on rcjobs before (it confirmed an alert that is still on).
Otherwise nothing is mailed; the status page, which the form opens after sending, carries the
same private link, and says to keep it.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

from sqlalchemy.orm import Session


@cache
def _extractor():  # noqa: ANN202 - a tldextract.TLDExtract
    import tldextract

    # The public suffix list bundled with tldextract: never fetched over the network.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registrable_domain(host: str) -> str:
    """The domain under the public suffix ("careers.example.edu" -> "example.edu"), or ""."""
    host = (host or "").strip().lower().rstrip(".")
    if not host:
        return ""
    return _extractor()(host).top_domain_under_public_suffix or ""


def same_domain(email: str, url: str) -> bool:
    """Whether an address is at the registrable domain of a URL's host."""
    _, at, domain = (email or "").rpartition("@")
    mine = registrable_domain(domain) if at else ""
    return bool(mine) and mine == registrable_domain(urlsplit(url or "").hostname or "")


def may_acknowledge(session: Session, email: str, url: str) -> bool:
    """Whether the acknowledgement may be mailed to this contact (see the module's rule)."""
    if same_domain(email, url):
        return True
    from board.alerts.services import is_confirmed_address

    return is_confirmed_address(session, email)
