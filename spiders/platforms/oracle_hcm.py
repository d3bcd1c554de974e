"""Oracle Recruiting Cloud (Fusion HCM) Candidate Experience sites.

Pages are read by board.extract.oracle_hcm.
"""

from __future__ import annotations

from spiders.base import PlatformSpider


class OracleHcmSpider(PlatformSpider):
    """The oracle_hcm platform (URL forms and source keys: board.extract.oracle_hcm)."""

    name = "oracle_hcm"
