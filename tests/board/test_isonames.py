"""board.isonames gives pycountry's names for every country and subdivision code."""

from __future__ import annotations

import pycountry

from board.isonames import country_names, subdivision_name
from board.normalize.gazetteer import country_name


def test_every_country_s_name_is_the_gazetteer_s():
    names = country_names()
    assert len(names) == len(pycountry.countries)
    for country in pycountry.countries:
        assert names[country.alpha_2] == country_name(country.alpha_2)


def test_every_subdivision_s_name_is_pycountry_s_in_any_case():
    codes = {sub.code for sub in pycountry.subdivisions}
    assert len(codes) > 4000
    for code in codes:
        expected = pycountry.subdivisions.get(code=code).name
        for spelled in (code, code.lower(), code.upper(), code.swapcase()):
            assert subdivision_name(spelled) == expected


def test_unknown_codes_have_no_name():
    for code in ("", "CA", "XX-YY", "CA-ON-", "ca_on", "-"):
        assert subdivision_name(code) is None
        assert subdivision_name(code) == pycountry.subdivisions.get(code=code)


def test_the_listing_s_region_and_country_labels_are_pycountry_s():
    from board.places import country_name as place_country
    from board.web.display import facet_label

    for sub in pycountry.subdivisions:
        for spelled in (sub.code, sub.code.lower()):
            expected = f"{pycountry.subdivisions.get(code=sub.code).name} "
            expected += f"({place_country(spelled.split('-')[0])})"
            assert facet_label(spelled, "region") == expected
    for code in ("XX-YY", "ca-zz", "<b>"):
        assert facet_label(code, "region") == code
    for country in pycountry.countries:
        for spelled in (country.alpha_2, country.alpha_2.lower()):
            assert facet_label(spelled, "country") == place_country(spelled)
    assert facet_label("zz", "country") == place_country("zz") == "ZZ"
