"""Text analysis for postings: tokens, stop words, stemming, synonyms and highlighting."""

from __future__ import annotations

import html
import re
import unicodedata
from array import array
from collections.abc import Iterable, Iterator
from itertools import chain

from whoosh.analysis import Composable, Token
from whoosh.analysis.filters import STOP_WORDS
from whoosh.lang.porter import stem as porter_stem

WORD = re.compile(r"\w+(?:[.+#]\w+)*[+#]*", re.UNICODE)
STOP = frozenset(STOP_WORDS) - {"it", "us"}

# Multi-word forms of the field's vocabulary and the one token each is indexed and searched as.
# The short form is the canonical token; it is a word that stems to itself.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "hpc": (
        r"high[\s-]+performance[\s-]+comput(?:ing|ers?|ation)",
        r"super[\s-]?comput(?:ing|ers?)",
    ),
    "htc": (r"high[\s-]+throughput[\s-]+comput(?:ing|ers?)",),
    "rse": (r"research[\s-]+software[\s-]+engineer(?:s|ing)?",),
    "ml": (r"machine[\s-]+learning",),
    "ai": (r"artificial[\s-]+intelligence",),
    "nlp": (r"natural[\s-]+language[\s-]+processing",),
    "gpu": (r"graphics?[\s-]+processing[\s-]+units?",),
    "cto": (r"chief[\s-]+technology[\s-]+officers?",),
    "cio": (r"chief[\s-]+information[\s-]+officers?",),
    "arc": (r"advanced[\s-]+research[\s-]+computing",),
}
# The same long forms as analysed terms, for index time (matched through adjacent pairs).
SYNONYM_FORMS: dict[str, tuple[str, ...]] = {
    "hpc": (
        "high performance computing",
        "high performance computer",
        "supercomputing",
        "supercomputer",
        "super computing",
    ),
    "htc": ("high throughput computing",),
    "rse": ("research software engineering", "research software engineer"),
    "ml": ("machine learning",),
    "ai": ("artificial intelligence",),
    "nlp": ("natural language processing",),
    "gpu": ("graphics processing unit", "graphic processing unit"),
    "cto": ("chief technology officer",),
    "cio": ("chief information officer",),
    "arc": ("advanced research computing",),
}
_SYNONYM_RE = re.compile(
    "|".join(
        f"(?P<{canonical}>\\b(?:{'|'.join(patterns)})\\b)"
        for canonical, patterns in SYNONYMS.items()
    ),
    re.IGNORECASE,
)


def fold(word: str) -> str:
    """Lower-case a word and strip accents (Montréal -> montreal)."""
    word = word.lower()
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_TERM_CACHE: dict[str, str | None] = {}
_TERM_CACHE_MAX = 500_000


def _analyze_word(word: str) -> str | None:
    folded = fold(word)
    if folded in STOP:
        return None
    return porter_stem(folded)


def term(word: str) -> str | None:
    """The indexed term for one surface word, or None for a stop word."""
    try:
        return _TERM_CACHE[word]
    except KeyError:
        pass
    if len(_TERM_CACHE) > _TERM_CACHE_MAX:
        _TERM_CACHE.clear()
    indexed = _TERM_CACHE[word] = _analyze_word(word)
    return indexed


_CHUNK_TERMS: dict[str, tuple[str | None, ...]] = {}
_CHUNK_TERMS_MAX = 500_000


def chunk_terms(chunk: str) -> tuple[str | None, ...]:
    """The terms (None for a stop word) of the words of one chunk of text without white space
    (cached: the index writer numbers a text's chunks, see streams.Vocabulary.word_numbers)."""
    found = _CHUNK_TERMS.get(chunk)
    if found is None:
        if len(_CHUNK_TERMS) > _CHUNK_TERMS_MAX:
            _CHUNK_TERMS.clear()
        found = _CHUNK_TERMS[chunk] = tuple(map(term, WORD.findall(chunk)))
    return found


def words(text: str) -> list[str]:
    """The surface words of a text, in order."""
    return WORD.findall(text)


def canonical_synonyms(text: str) -> list[str]:
    """Canonical tokens for the multi-word synonyms a text contains."""
    found = word_terms(text)
    return synonyms_in(found, pairs(found))


def synonyms_in(found: list[str], adjacent: set[str]) -> list[str]:
    """Canonical tokens whose long form occurs in analysed words (given their pairs)."""
    present = set(found)
    out = []
    for canonical, checks in _SYNONYM_CHECKS:
        for single, needed in checks:
            if (single in present) if single else needed <= adjacent:
                out.append(canonical)
                break
    return out


def _synonym_terms() -> dict[str, list[tuple[str, ...]]]:
    return {
        canonical: [tuple(word_terms(form)) for form in forms]
        for canonical, forms in SYNONYM_FORMS.items()
    }


def _synonym_checks() -> list[tuple[str, list[tuple[str | None, frozenset[str]]]]]:
    """Per canonical token: (single term, or None and the pairs a long form needs)."""
    out = []
    for canonical, forms in _synonym_terms().items():
        checks = [
            (form[0], frozenset()) if len(form) == 1 else (None, frozenset(pairs(list(form))))
            for form in forms
        ]
        out.append((canonical, checks))
    return out


def word_terms(text: str) -> list[str]:
    """Indexed terms of a text's words, in order (no synonyms)."""
    found = WORD.findall(text)
    cache = _TERM_CACHE
    for word in set(found).difference(cache):
        term(word)
    return [t for t in map(cache.__getitem__, found) if t]


def terms(text: str) -> list[str]:
    """Indexed terms of a text in order, then the canonical tokens of its synonyms."""
    found = word_terms(text)
    return found + synonyms_in(found, pairs(found))


def pairs(words: list[str]) -> set[str]:
    """Adjacent term pairs ("research comput"): phrases are matched through these."""
    return {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}


_SYNONYM_CHECKS = _synonym_checks()


def rewrite_synonyms(text: str) -> str:
    """Replace multi-word synonyms in a query by their canonical token."""
    return _SYNONYM_RE.sub(lambda m: f" {m.lastgroup} ", text)


def spell_words(text: str) -> set[str]:
    """Unstemmed folded words of a text, for did-you-mean suggestions."""
    return {w for w in map(fold, WORD.findall(text)) if w not in STOP and not w.isdigit()}


class PostingAnalyzer(Composable):
    """A whoosh analyzer giving the same terms as terms() (synonyms are rewritten earlier)."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: object,
    ) -> Iterator[Token]:
        """Yield one token per indexed term."""
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        source = value if tokenize else None
        matches = WORD.finditer(source) if source is not None else iter(())
        for match in matches:
            indexed = term(match.group())
            if indexed is None:
                continue
            token.text = indexed
            token.original = match.group()  # type: ignore[attr-defined] # whoosh sets it ad hoc
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            pos += 1
            yield token
        if source is None and value:
            indexed = term(value)
            if indexed:
                token.text = indexed
                token.boost = 1.0
                token.stopped = False
                if positions:
                    token.pos = pos
                yield token

    def has_morph(self) -> bool:
        """Stemming changes word forms."""
        return True

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PostingAnalyzer)

    def __hash__(self) -> int:
        return hash(PostingAnalyzer)


class _Words:
    """A text's words' terms (None for a stop word), whether html.escape leaves the text as
    it is (no & < > " or '), and, found the first time a word of it is marked, where each
    word starts and ends (most texts a search shows have none of its words: their terms are
    found by one findall, about half the time of reading every word's place)."""

    __slots__ = ("_places", "plain", "terms", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.terms: tuple[str | None, ...] = tuple(map(term, WORD.findall(text)))
        self.plain = _ESCAPED.search(text) is None
        self._places: array[int] | None = None

    def places(self) -> array[int]:
        """Where each word starts and ends, in the order of terms: word i spans
        places[2 * i] to places[2 * i + 1]."""
        places = self._places
        if places is None:
            places = self._places = array(
                "I", chain.from_iterable(map(_span, WORD.finditer(self.text)))
            )
        return places


_span = re.Match.span
_TERMS_AT: dict[str, _Words] = {}
#: Texts whose words' terms and places are remembered (the same postings' summaries are
#: highlighted search after search; about 1 KB each).
TERMS_AT_MAX = 8_000
#: The characters html.escape changes: a text without any is its own escape.
_ESCAPED = re.compile("[&<>\"']")


def _terms_at(text: str) -> _Words:
    """The words of text (see _Words), remembered."""
    found = _TERMS_AT.get(text)
    if found is None:
        found = _Words(text)
        if len(_TERMS_AT) >= TERMS_AT_MAX:
            _TERMS_AT.clear()
        _TERMS_AT[text] = found
    return found


_SYNONYMS_AT: dict[str, tuple[tuple[str | None, tuple[int, int]], ...]] = {}


def _first_word(pattern: str) -> str:
    """The letters every match of a synonym's pattern starts with ("graphics?" -> "graphic")."""
    found = re.match(r"[a-z]+", pattern)
    word = found.group() if found else ""
    if pattern[len(word) : len(word) + 1] in ("?", "*", "{"):
        word = word[:-1]
    if not word:
        raise ValueError(f"a synonym's pattern must start with letters: {pattern!r}")
    return word


#: Where a synonym phrase may start: a word starting with one of the patterns' first letters
#: (a phrase starts at a word's start, and no word boundary falls inside those letters).
_SYNONYM_FIRST_WORDS = sorted({_first_word(p) for patterns in SYNONYMS.values() for p in patterns})
_SYNONYM_START = re.compile(rf"\b(?:{'|'.join(_SYNONYM_FIRST_WORDS)})", re.IGNORECASE)


def _synonym_matches(text: str) -> Iterator[re.Match[str]]:
    """_SYNONYM_RE.finditer(text), found faster: the whole alternation is tried only where a
    phrase may start (about a sixth of the time of trying it at every character)."""
    start = _SYNONYM_START.search
    match = _SYNONYM_RE.match
    position = 0
    while (candidate := start(text, position)) is not None:
        found = match(text, candidate.start())
        if found is None:
            position = candidate.end()
        else:
            yield found
            position = found.end()


def _synonyms_at(text: str) -> tuple[tuple[str | None, tuple[int, int]], ...]:
    """Each synonym phrase found in text: its group (the term it stands for) and its span,
    remembered like _terms_at (at most TERMS_AT_MAX texts; most summaries have none)."""
    found = _SYNONYMS_AT.get(text)
    if found is None:
        found = tuple((match.lastgroup, match.span()) for match in _synonym_matches(text))
        if len(_SYNONYMS_AT) >= TERMS_AT_MAX:
            _SYNONYMS_AT.clear()
        _SYNONYMS_AT[text] = found
    return found


def _places(terms: tuple[str | None, ...], wanted: str) -> Iterator[int]:
    """Where wanted is in terms (it is there at least once)."""
    at = terms.index(wanted)
    while True:
        yield at
        try:
            at = terms.index(wanted, at + 1)
        except ValueError:
            return


def highlight(text: str, wanted: set[str], prefixes: Iterable[str] = ()) -> str:
    """HTML of text with words whose term is wanted wrapped in <mark>, the rest escaped.

    A text with no character to escape (most summaries) is sliced without escaping its
    pieces, and given back as it is when nothing is marked: the same string html.escape
    would make."""
    prefixes = tuple(prefixes)
    spans: list[tuple[int, int]] = []
    plain = False
    if wanted or prefixes:
        words = _terms_at(text)
        terms, plain = words.terms, words.plain
        if prefixes:
            chosen = [
                i for i, t in enumerate(terms) if t and (t in wanted or t.startswith(prefixes))
            ]
        else:  # each wanted term looked for in the tuple (a scan in C, most often not found)
            chosen = [i for t in wanted if t in terms for i in _places(terms, t)]
        if chosen:
            places = words.places()
            spans = [(places[2 * i], places[2 * i + 1]) for i in chosen]
        if not wanted.isdisjoint(SYNONYMS):
            spans += [span for group, span in _synonyms_at(text) if group in wanted]
    if not spans:
        return text if plain else html.escape(text)
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[str] = []
    last = 0
    if plain:
        for start, end in merged:
            out.append(f"{text[last:start]}<mark>{text[start:end]}</mark>")
            last = end
        out.append(text[last:])
        return "".join(out)
    for start, end in merged:
        out.append(html.escape(text[last:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)
