"""The Whoosh schema for postings, with fast index-time analysis, and document conversion."""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Generator, Iterator
from datetime import date, datetime
from itertools import accumulate
from typing import Any

from whoosh import columns, fields, formats
from whoosh.system import pack_uint

from search_index.analysis import (
    PostingAnalyzer,
    pairs,
    spell_words,
    terms,
    word_terms,
)

# Text fields searched by a plain query, with their BM25F boosts.
TEXT_FIELDS: dict[str, float] = {
    "title": 3.0,
    "institution": 1.5,
    "location": 1.2,
    "description": 1.0,
}
#: Changes whenever documents or fields change shape: an index of another version is rebuilt.
SCHEMA_VERSION = 4
# Short text fields where a quoted phrase matches adjacent words through a field of term pairs.
PHRASE_FIELDS = ("title", "institution", "location")
# Long text fields that keep word positions: a quoted phrase there means the words adjacent and
# in order (pairs of every description would double the postings; positions cost less).
POSITION_FIELDS = ("description",)
# Field prefixes a query may use, mapped to text fields.
FIELD_ALIASES = {
    "title": "title",
    "institution": "institution",
    "inst": "institution",
    "location": "location",
    "loc": "location",
    "where": "location",
    "description": "description",
    "desc": "description",
}
# Facet name -> (document key, index field).
FACETS: dict[str, tuple[str, str]] = {
    "country": ("countries", "f_country"),
    "region": ("regions", "f_region"),
    "role": ("role", "f_role"),
    "technical": ("technical", "f_technical"),
    "sector": ("sector", "f_sector"),
    # A centre's postings count under the institution above it too ("institution_slugs").
    "institution": ("institution_slugs", "f_institution"),
    "institution_type": ("institution_type", "f_institution_type"),
    "remote": ("remote", "f_remote"),
    "salary": ("salary_stated", "f_salary"),
    "status": ("status", "f_status"),
    "relevant": ("relevant", "f_relevant"),
}
#: The facets a search filters on by value (status and relevant have their own switches).
FILTER_FACETS = tuple(name for name in FACETS if name not in ("status", "relevant"))
STORED_KEYS = (
    "id",
    "title",
    "institution",
    "institution_slug",
    "unit",
    "location_display",
    "role",
    "posted_on",
    "closes_on",
    "summary",
    "status",
    "relevant",
    "salary",
    "location_label",
    "version",
)
#: Salary facet values: whether the posting states a salary at all.
SALARY_STATED, SALARY_NOT_STATED = "stated", "not_stated"


#: CompactPositions' encoding of a lone position, precomputed (the same bytes encode makes).
_SINGLE_POSITION = [b"H" + array("H", [p]).tobytes() for p in range(8192)]


class CompactPositions(formats.Positions):
    """Word positions as an array of 16-bit deltas (32-bit past 65,535): a few bytes a posting.

    Whoosh's own Positions pickles each posting's list; for descriptions that nearly triples the
    index. The first byte says the array's type code.
    """

    def encode(self, poslist: Any) -> bytes:
        """Deltas between positions, as a typed array."""
        if len(poslist) == 1 and 0 <= poslist[0] < len(_SINGLE_POSITION):
            return _SINGLE_POSITION[poslist[0]]  # most words occur once in a description
        deltas = [b - a for a, b in zip([0, *poslist], poslist, strict=False)]
        code = "H" if max(deltas, default=0) < 65536 else "I"
        return code.encode() + array(code, deltas).tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        """The positions back from the deltas."""
        code = chr(valuestring[0]) if valuestring else "H"
        deltas = array(code)
        deltas.frombytes(valuestring[1:])
        return list(accumulate(deltas))

    def decode_frequency(self, valuestring: bytes) -> int:
        """How many positions."""
        size = 4 if valuestring[:1] == b"I" else 2
        return max(len(valuestring) - 1, 0) // size

    def decode_weight(self, valuestring: bytes) -> float:
        """The frequency times the field boost."""
        return self.decode_frequency(valuestring) * self.field_boost


class FastText(fields.TEXT):
    """A TEXT field whose index-time analysis is analysis.terms() without Token objects."""

    def index(self, value: Any, **kwargs: Any) -> Generator[tuple[bytes, int, float, bytes]]:
        """Yield (term bytes, frequency, weight, encoded value) for each unique term."""
        tokens = value if isinstance(value, list) else terms(str(value))
        if isinstance(self.format, formats.Positions):
            positions: dict[str, list[int]] = defaultdict(list)
            for pos, word in enumerate(tokens):
                positions[word].append(pos)
            for word, poslist in positions.items():
                freq = len(poslist)
                yield word.encode("utf-8"), freq, float(freq), self.format.encode(poslist)
            return
        for word, freq in Counter(tokens).items():
            yield word.encode("utf-8"), freq, float(freq), pack_uint(freq)


class Keywords(fields.FieldType):
    """Exact, unscored values (facets, ids, spelling words): one posting per distinct value."""

    def __init__(self, unique: bool = False) -> None:
        self.format = formats.Existence()
        self.analyzer = None
        self.scorable = False
        self.stored = False
        self.unique = unique
        self.indexed = True
        self.column_type = None

    def index(self, value: Any, **kwargs: Any) -> Generator[tuple[bytes, int, float, bytes]]:
        """Yield each distinct value once."""
        values = [value] if isinstance(value, str) else value
        for item in set(values):
            yield item.encode("utf-8"), 1, 1.0, b""

    def process_text(self, qstring: str, mode: str = "", **kwargs: Any) -> Iterator[str]:
        """A query value is the value itself."""
        yield qstring

    def separate_spelling(self) -> bool:
        """No separate spelling field."""
        return False


class PairKeywords(Keywords):
    """Adjacent term pairs of a text (given as text, or as the pairs themselves)."""

    def index(self, value: Any, **kwargs: Any) -> Generator[tuple[bytes, int, float, bytes]]:
        """Yield each distinct pair once."""
        found = pairs(word_terms(value)) if isinstance(value, str) else set(value)
        for item in found:
            yield item.encode("utf-8"), 1, 1.0, b""


def make_schema() -> fields.Schema:
    """The posting schema: text fields, facet keywords, date and length columns, one stored dict."""
    analyzer = PostingAnalyzer()
    schema: dict[str, fields.FieldType] = {
        "id": Keywords(unique=True),
        "spell": Keywords(),
        "doc": fields.STORED(),
        "posted": fields.COLUMN(columns.NumericColumn("i")),
        "closes": fields.COLUMN(columns.NumericColumn("i")),
        # The top of the salary range, a year, in US dollars at the board's fixed rates (0: none).
        "salary_usd": fields.COLUMN(columns.NumericColumn("i")),
    }
    for name in TEXT_FIELDS:
        # Short fields answer phrases from their adjacent-pair field, long ones from positions.
        text = FastText(analyzer=analyzer, phrase=name in POSITION_FIELDS)  # type: ignore[arg-type]
        if name in POSITION_FIELDS and text.format is not None:
            text.format = CompactPositions(field_boost=text.format.field_boost)
        schema[name] = text
        if name in PHRASE_FIELDS:
            schema[pair_field(name)] = PairKeywords()
    for _, field in FACETS.values():
        schema[field] = Keywords()
    return fields.Schema(**schema)


def pair_field(name: str) -> str:
    """The field holding a text field's adjacent term pairs."""
    return f"{name}_pairs"


def is_live(doc: dict[str, Any]) -> bool:
    """Whether a posting belongs to the default view (open and relevant)."""
    return doc.get("status", "open") != "closed" and bool(doc.get("relevant", True))


def _ordinal(value: Any) -> int:
    if isinstance(value, datetime):
        return value.date().toordinal()
    if isinstance(value, date):
        return value.toordinal()
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10]).toordinal()
        except ValueError:
            return 0
    return 0


def _whole(value: Any) -> int:
    """A non-negative whole number for an int32 column (0 when unknown)."""
    try:
        return max(0, min(int(value or 0), 2**31 - 1))
    except (TypeError, ValueError):
        return 0


def _facet_values(doc: dict[str, Any], key: str) -> list[str]:
    value = doc.get(key)
    if key == "salary_stated":
        value = bool(doc.get("salary")) if value is None else value
        return [SALARY_STATED if value in (True, SALARY_STATED) else SALARY_NOT_STATED]
    if key == "relevant":
        return ["true" if value else "false"]
    if key == "status":
        return ["closed" if value == "closed" else "open"]
    if key == "institution_slugs" and not value:
        value = doc.get("institution_slug")  # a document without the hierarchy
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if v not in (None, "")]


def _iso(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if value else None


def to_fields(doc: dict[str, Any]) -> dict[str, Any]:
    """Whoosh add_document keyword arguments for one posting document."""
    title = str(doc.get("title") or "")
    institution = str(doc.get("institution") or "")
    location = " ".join(
        [str(doc.get("location_text") or ""), str(doc.get("location_display") or "")]
        + [str(c) for c in doc.get("cities") or []]
    )
    texts = {
        "title": title,
        "institution": institution,
        "location": location,
        "description": str(doc.get("description") or ""),
    }
    out: dict[str, Any] = {"id": str(doc["id"])}
    for name, text in texts.items():
        # Raw text: the fields analyse it where add_document runs (a build's worker processes).
        out[name] = text
        if name in PHRASE_FIELDS:
            out[pair_field(name)] = text
    stored = {key: doc.get(key) for key in STORED_KEYS}
    stored["id"] = str(doc["id"])
    stored["posted_on"] = _iso(doc.get("posted_on"))
    stored["closes_on"] = _iso(doc.get("closes_on"))
    stored["status"] = "closed" if doc.get("status") == "closed" else "open"
    stored["relevant"] = bool(doc.get("relevant", True))
    stored["salary"] = doc.get("salary") or None
    stored["location_label"] = doc.get("location_label") or doc.get("location_display") or ""
    stored["version"] = int(doc.get("version") or 0)
    out["doc"] = stored
    out["posted"] = _ordinal(doc.get("posted_on")) or _ordinal(doc.get("updated_at"))
    out["closes"] = _ordinal(doc.get("closes_on"))
    out["salary_usd"] = _whole(doc.get("salary_usd_year"))
    out["spell"] = sorted(spell_words(" ".join([title, institution, location])))
    for key, field in FACETS.values():
        values = _facet_values(doc, key)
        if values:
            out[field] = values
    return out
