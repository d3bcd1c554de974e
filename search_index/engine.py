"""A view over Whoosh segments: bitset query evaluation, BM25F ranking, facet counts, sorting.

Whoosh stores and parses; this layer answers from per-segment arrays. A query's matching set is
a Python int used as a bitset (one bit per document of the view), so filters and every facet's
count are a few big-integer ANDs and popcounts instead of per-request grouping, and ranking is a
vectorised BM25F over the postings of the query's terms.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from typing import Any, Generic, TypeVar

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from search_index.analysis import pairs
from search_index.schema import PHRASE_FIELDS, POSITION_FIELDS, TEXT_FIELDS, pair_field
from search_index.segments import (
    PostingCache,
    SegmentData,
    bits_from_ids,
    flags_from_bits,
    ids_from_bits,
    read_position_pairs,
)

K1 = 1.2
B = 0.75
FRESHNESS = 0.1  # at most +10% for a posting from today, fading over about two months
FRESH_DAYS = 60.0
MAX_EXPANSIONS = 256
SCORED_EXPANSIONS = 8
NO_DATE = (1 << 20) - 1
# Title tiers: a title that is the query is ranked first, then titles holding it as a phrase.
EXACT_TITLE, PHRASE_TITLE = 2, 1
TIER_WEIGHT = 1e6  # above any BM25F score: tiers order first, scores within a tier
MAX_TIER_TERMS = 8
#: Bytes of composed term bitsets and of term score contributions a view keeps (each kind):
#: a view is one index version, so they stay right until the index changes.
VIEW_TERM_BYTES = 8 * 1024 * 1024
#: Prefixes whose expansions a view keeps.
MAX_PREFIXES_KEPT = 4096
_MISSING = object()


_BYTE_BITS = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


def popcounts(rows: np.ndarray) -> np.ndarray:
    """The set bits of each row of a 2-D array of 64-bit words (numpy 2's bitwise_count; a
    byte table with numpy 1)."""
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(rows).sum(axis=1, dtype=np.int64)
    per_byte = rows.view(np.uint8).reshape(len(rows), -1)
    return _BYTE_BITS[per_byte].sum(axis=1, dtype=np.int64)


_K = TypeVar("_K")
_V = TypeVar("_V")


class SizedMemo(Generic[_K, _V]):
    """A view's memo of values whose sizes its caller counts, emptied when the next value
    would take it past the limit given with it (VIEW_TERM_BYTES, read at each put)."""

    def __init__(self) -> None:
        self.items: dict[_K, _V] = {}
        self.size = 0

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, key: _K) -> _V:
        return self.items[key]

    def get(self, key: _K, default: Any = None) -> Any:
        """The kept value, or default."""
        return self.items.get(key, default)

    def put(self, key: _K, value: _V, size: int, limit: int) -> None:
        """Keep value (of `size` bytes), first emptying the memo if it would pass `limit`."""
        if self.size + size > limit:
            self.items.clear()
            self.size = 0
        self.items[key] = value
        self.size += size


class FacetRows:
    """A view's facet bitsets as the rows of one matrix of 64-bit words (values of a field in
    sorted order, fields in FACETS order): counting a set's documents under every value is
    one AND and one popcount over the matrix, not a Python AND and bit_count per value."""

    def __init__(self, view: View) -> None:
        from search_index.schema import FACETS

        self.words = (view.size + 63) // 64
        self.fields: dict[str, tuple[int, list[str]]] = {}  # field -> (first row, values)
        rows: list[bytes] = []
        for _, field in FACETS.values():
            values = view.facet(field)
            names = sorted(values)
            self.fields[field] = (len(rows), names)
            rows.extend(self.pack(values[name]) for name in names)
        self.matrix = np.frombuffer(b"".join(rows), dtype="<u8").reshape(len(rows), self.words)
        self.row_fields = [field for field, (_, names) in self.fields.items() for _ in names]
        self.row_names = [name for _, names in self.fields.values() for name in names]

    def pack(self, bits: int) -> bytes:
        """A bitset as this matrix's row bytes."""
        return bits.to_bytes(self.words * 8, "little")

    def counts(self, bits: int, field: str | None = None) -> np.ndarray:
        """How many documents of `bits` each row (of one field, or all) holds."""
        scope = np.frombuffer(self.pack(bits), dtype="<u8")
        matrix = self.matrix
        if field is not None:
            first, names = self.fields[field]
            matrix = matrix[first : first + len(names)]
        return popcounts(matrix & scope)

    def values(self, field: str, bits: int) -> list[tuple[str, int]]:
        """(value, count) of one field's values holding documents of `bits`, by value."""
        first, names = self.fields[field]
        counts = self.counts(bits, field)
        return [(names[i], int(counts[i])) for i in counts.nonzero()[0].tolist()]

    def listing(self, bits: int) -> dict[str, list[tuple[str, int]]]:
        """values() of every field (one count over the whole matrix)."""
        out: dict[str, list[tuple[str, int]]] = {field: [] for field in self.fields}
        counts = self.counts(bits)
        flat = counts.tolist()
        for i in counts.nonzero()[0].tolist():
            out[self.row_fields[i]].append((self.row_names[i], flat[i]))
        return out


def stored_of(segment: SegmentData, local: int) -> dict[str, Any]:
    """The stored display fields of one document of a segment (its local number)."""
    with segment.lock:
        return dict(segment.reader.stored_fields(local).get("doc") or {})


class View:
    """Segments of one or both partitions at one index version, with composed arrays."""

    def __init__(self, parts: list[tuple[SegmentData, int, Any]], cache: PostingCache) -> None:
        self.cache = cache
        self.segments: list[tuple[SegmentData, int, Any]] = []
        self.size = 0
        alive = 0
        for segment, alive_bits, key in parts:
            self.segments.append((segment, self.size, key))
            alive |= alive_bits << self.size
            self.size += segment.size
        self.alive = alive
        self.count = alive.bit_count()
        self.starts = [offset for _, offset, _ in self.segments]
        self._facets: dict[str, dict[str, int]] = {}
        self._arrays: dict[str, np.ndarray] = {}
        self._avg: dict[str, float] = {}
        self._spelling: tuple[list[str], list[int]] | None = None
        self._bits: SizedMemo[tuple[str, str], int] = SizedMemo()
        self._contributions: SizedMemo[
            tuple[str, str], tuple[np.ndarray | None, np.ndarray] | None
        ] = SizedMemo()
        self._expansions: dict[tuple[str, str], list[str]] = {}
        self._title_lengths: np.ndarray | None = None
        self._facet_rows: FacetRows | None = None

    # composed per-view data

    def facet(self, field: str) -> dict[str, int]:
        """value -> bitset over the view, for one facet field."""
        found = self._facets.get(field)
        if found is None:
            found = {}
            for segment, offset, _ in self.segments:
                for value, bits in segment.facets.get(field, {}).items():
                    found[value] = found.get(value, 0) | (bits << offset)
            self._facets[field] = found
        return found

    def facet_rows(self) -> FacetRows:
        """Every facet field's values as rows of one packed bit matrix (see FacetRows)."""
        found = self._facet_rows
        if found is None:
            found = self._facet_rows = FacetRows(self)
        return found

    def array(self, name: str) -> np.ndarray:
        """A per-document array over the view: posted, closes, newest, closing, fresh."""
        found = self._arrays.get(name)
        if found is not None:
            return found
        if name in ("posted", "closes", "salary_usd"):
            parts = [getattr(s, name) for s, _, _ in self.segments]
            found = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
        elif name == "newest":
            posted = self.array("posted").astype(np.int64)
            docs = np.arange(self.size, dtype=np.int64)
            found = ((NO_DATE - posted) << 24) | docs
        elif name == "closing":
            closes = self.array("closes").astype(np.int64)
            closes = np.where(closes > 0, closes, NO_DATE)
            found = (closes << 44) | self.array("newest")
        elif name in ("newest_order", "closing_order"):
            found = np.argsort(self.array(name.partition("_")[0]), kind="stable").astype(np.int32)
        elif name == "fresh":
            posted = self.array("posted").astype(np.float32)
            ref = float(posted.max()) if len(posted) else 0.0
            age = np.clip(ref - posted, 0, None)
            found = 1.0 + FRESHNESS * np.exp(-age / FRESH_DAYS) * (posted > 0)
        else:
            raise KeyError(name)
        self._arrays[name] = found
        return found

    def avg_length(self, field: str) -> float:
        """Average token count of a field over the view."""
        found = self._avg.get(field)
        if found is None:
            total = sum(s.reader.field_length(field) for s, _, _ in self.segments)
            found = self._avg[field] = max(total / max(self.count, 1), 1.0)
        return found

    def spelling(self) -> tuple[list[str], list[int]]:
        """The spelling vocabulary of the view and document counts."""
        if self._spelling is None:
            merged: dict[str, int] = {}
            for segment, _, _ in self.segments:
                for word, freq in segment.spelling().items():
                    merged[word] = merged.get(word, 0) + freq
            self._spelling = (list(merged), list(merged.values()))
        return self._spelling

    def locate(self, docnum: int) -> tuple[SegmentData, int]:
        """The segment holding a view document number, and its local number."""
        segment, local, _ = self.locate_key(docnum)
        return segment, local

    def locate_key(self, docnum: int) -> tuple[SegmentData, int, Any]:
        """The segment holding a view document number, its local number and the segment's key
        (generation, partition, segment id: a segment never changes once written)."""
        index = bisect.bisect_right(self.starts, docnum) - 1
        segment, offset, key = self.segments[index]
        return segment, docnum - offset, key

    def stored(self, docnum: int) -> dict[str, Any]:
        """The stored display fields of one document."""
        segment, local = self.locate(docnum)
        return stored_of(segment, local)

    # query evaluation

    def term_bits(self, field: str, text: str) -> int:
        """Documents (deleted included) containing a term (kept per view, VIEW_TERM_BYTES)."""
        memo = (field, text)
        bits = self._bits.get(memo)
        if bits is not None:
            return bits
        bits = 0
        for segment, offset, key in self.segments:
            _, _, local = self.cache.get(segment, key, field, text)
            if local:
                bits |= local << offset
        self._bits.put(memo, bits, (bits.bit_length() + 7) // 8 + 100, VIEW_TERM_BYTES)
        return bits

    def expand(self, field: str, prefix: str) -> list[str]:
        """Terms of a field starting with prefix, most frequent first, bounded (kept per view:
        at most MAX_EXPANSIONS words for each of MAX_PREFIXES_KEPT prefixes)."""
        memo = (field, prefix)
        found = self._expansions.get(memo)
        if found is None:
            if len(self._expansions) >= MAX_PREFIXES_KEPT:
                self._expansions.clear()
            found = self._expansions[memo] = self._expand(field, prefix)
        return found

    def _expand(self, field: str, prefix: str) -> list[str]:
        counts: dict[str, int] = {}
        for segment, _, _ in self.segments:
            with segment.lock:
                for raw in segment.reader.expand_prefix(field, prefix):
                    word = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                    counts[word] = counts.get(word, 0) + segment.reader.doc_frequency(field, word)
                    if len(counts) >= MAX_EXPANSIONS * 4:
                        break
        return sorted(counts, key=lambda w: -counts[w])[:MAX_EXPANSIONS]

    def evaluate(self, node: wq.Query) -> int:
        """The bitset of documents matching a Whoosh query tree (deleted not yet removed)."""
        if node is wq.NullQuery:
            return 0
        if isinstance(node, wq.Term):
            return self.term_bits(node.fieldname, node.text)
        if isinstance(node, wq.And):
            result = -1
            for child in node.children():
                result &= self.evaluate(child)
                if not result:
                    return 0
            return result if result != -1 else 0
        if isinstance(node, wq.Or):
            result = 0
            for child in node.children():
                result |= self.evaluate(child)
            return result
        if isinstance(node, wq.AndNot):
            return self.evaluate(node.a) & ~self.evaluate(node.b)
        if isinstance(node, wq.AndMaybe):
            return self.evaluate(node.a)
        if isinstance(node, wq.Not):
            return self.alive & ~self.evaluate(node.query)
        if isinstance(node, wq.Prefix):
            bits = 0
            for word in self.expand(node.fieldname, node.text):
                bits |= self.term_bits(node.fieldname, word)
            return bits
        if isinstance(node, wq.Every):
            return self.alive
        if isinstance(node, wq.Phrase):
            return self.phrase_bits(node)
        return self._whoosh_docs(node)

    def phrase_bits(self, node: wq.Phrase) -> int:
        """Documents with the words adjacent: every adjacent pair of the phrase is present."""
        words = [w for w in node.words if isinstance(w, str)]
        if not words:
            return 0
        if len(words) == 1:
            return self.term_bits(node.fieldname, words[0])
        if node.fieldname in POSITION_FIELDS:
            return self.positional_phrase_bits(node.fieldname, words)
        if node.fieldname not in PHRASE_FIELDS:  # no pairs kept: every word must be there
            bits = -1
            for word in words:
                bits &= self.term_bits(node.fieldname, word)
                if not bits:
                    return 0
            return bits
        field = pair_field(node.fieldname)
        bits = -1
        for pair in sorted(pairs(words)):
            bits &= self.term_bits(field, pair)
            if not bits:
                return 0
        return bits

    def positional_phrase_bits(self, field: str, words: list[str]) -> int:
        """Documents with the terms at consecutive positions, in order, in a positional field."""
        bits = 0
        phrase = tuple(words)
        for segment, offset, key in self.segments:
            memo = (key, field, phrase)
            local = self.cache.phrase(memo)
            if local is None:
                local = self._phrase_in_segment(segment, key, field, words)
                self.cache.remember_phrase(memo, local)
            bits |= local << offset
        return bits

    def _phrase_in_segment(
        self, segment: SegmentData, key: Any, field: str, words: list[str]
    ) -> int:
        candidates: np.ndarray | None = None
        for word in dict.fromkeys(words):  # documents with every word first
            ids, _, _ = self.cache.get(segment, key, field, word)
            candidates = ids if candidates is None else np.intersect1d(candidates, ids, True)
            if not len(candidates):
                return 0
        assert candidates is not None
        with segment.lock:
            where = {
                word: read_position_pairs(segment.reader, field, word, candidates)
                for word in dict.fromkeys(words)
            }
        # (document, start) pairs as one int64 each: a start is kept while every later word of
        # the phrase is at start + its offset in the same document. The start is stored plus
        # the phrase's length, so it stays positive below bit 33 for every offset.
        # Each word's keys ascend (documents, then positions, ascending), so do the kept ones.
        span = len(words)
        starts: np.ndarray | None = None
        for offset, word in enumerate(words):
            docs, positions = where[word]
            keys = (docs << 33) | (positions - offset + span)
            if starts is None:
                starts = keys
            elif len(keys):
                at = np.searchsorted(keys, starts).clip(max=len(keys) - 1)
                starts = starts[keys[at] == starts]
            else:
                return 0
            if not len(starts):
                return 0
        assert starts is not None
        found = starts >> 33
        found = found[np.concatenate(([True], found[1:] != found[:-1]))]  # each document once
        return bits_from_ids(np.asarray(found, dtype=np.int32), segment.size)

    def ids_bits(self, ids: Iterable[str]) -> int:
        """Documents with these posting ids."""
        bits = 0
        for ident in ids:
            bits |= self.term_bits("id", ident)
        return bits

    def salary_at_least(self, usd_a_year: int) -> int:
        """Documents whose salary range reaches this much a year (in US dollars)."""
        salary = self.array("salary_usd")
        return bits_from_ids(np.flatnonzero(salary >= max(usd_a_year, 1)), self.size)

    def title_tiers(self, terms: list[str], hits: int) -> np.ndarray | None:
        """Per document: 2 when the title is the query, 1 when it holds it as a phrase, else 0."""
        if not terms or len(terms) > MAX_TIER_TERMS:
            return None
        if len(terms) == 1:
            contains = self.term_bits("title", terms[0])
        else:
            contains = -1
            for pair in pairs(terms):
                contains &= self.term_bits(pair_field("title"), pair)
                if not contains:
                    return None
        contains &= hits
        if not contains:
            return None
        tiers = np.zeros(self.size, dtype=np.int8)
        docs = ids_from_bits(contains, self.size)
        tiers[docs] = PHRASE_TITLE
        lengths = self._title_lengths
        if lengths is None:
            lengths = np.concatenate([s.lengths("title") for s, _, _ in self.segments])
            self._title_lengths = lengths
        exact = docs[np.abs(lengths[docs] - len(terms)) < 0.5]
        tiers[exact] = EXACT_TITLE
        return tiers

    def _whoosh_docs(self, node: wq.Query) -> int:
        """Anything else (phrases): ask Whoosh, segment by segment."""
        bits = 0
        for segment, offset, _ in self.segments:
            with segment.lock:
                searcher = Searcher(segment.reader, closereader=False)
                try:
                    ids = np.fromiter(node.docs(searcher), dtype=np.int32)
                except Exception:  # noqa: BLE001 - an unanswerable clause matches nothing
                    ids = np.zeros(0, dtype=np.int32)
            bits |= bits_from_ids(ids, segment.size) << offset
        return bits

    # ranking

    def scores(
        self, scoring: Iterable[tuple[str, str]], prefixes: Iterable[tuple[str, str]]
    ) -> np.ndarray:
        """BM25F over the view for the query's positive terms, times the freshness boost."""
        total = np.zeros(self.size, dtype=np.float32)
        terms = list(dict.fromkeys(scoring))
        for field, prefix in prefixes:
            terms.extend((field, w) for w in self.expand(field, prefix)[:SCORED_EXPANSIONS])
        for field, text in terms:
            found = self.contribution(field, text)
            if found is not None:
                docs, values = found
                if docs is None:
                    total += values  # + 0.0 elsewhere: the same sums
                else:
                    total[docs] += values
        return total * self.array("fresh")

    def contribution(self, field: str, text: str) -> tuple[np.ndarray | None, np.ndarray] | None:
        """A term's BM25F part of the score: (view documents, their values), or (None, a value
        per view document, 0 where absent) for a term in an eighth of the view or more (adding
        the whole array costs less than adding at the documents); None when no document has
        it. Kept per view (VIEW_TERM_BYTES): it only depends on the view."""
        memo = (field, text)
        kept = self._contributions.get(memo, _MISSING)
        if kept is not _MISSING:
            return kept
        boost = TEXT_FIELDS.get(field, 1.0)
        postings = [
            (segment, offset, self.cache.get(segment, key, field, text))
            for segment, offset, key in self.segments
        ]
        df = sum(len(ids) for _, _, (ids, _, _) in postings)
        found: tuple[np.ndarray | None, np.ndarray] | None = None
        if df:
            n = max(self.count, 1)
            idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
            avg = self.avg_length(field)
            docs, values = [], []
            for segment, offset, (ids, weights, _) in postings:
                if not len(ids):
                    continue
                lengths = segment.lengths(field)[ids]
                norm = K1 * (1.0 - B + B * lengths / avg)
                docs.append(ids + offset)
                values.append((boost * idf) * weights * (K1 + 1.0) / (weights + norm))
            # Segments hold disjoint documents: one addition per document either way.
            where, value = np.concatenate(docs), np.concatenate(values)
            if len(where) * 8 >= self.size:
                dense = np.zeros(self.size, dtype=value.dtype)
                dense[where] = value
                found = (None, dense)
            else:
                found = (where, value)
        size = sum(a.nbytes for a in found if a is not None) if found is not None else 0
        self._contributions.put(memo, found, size + 100, VIEW_TERM_BYTES)
        return found

    def top(
        self,
        hits: int,
        order: str,
        want: int,
        scores: np.ndarray | None,
        tiers: np.ndarray | None = None,
    ) -> tuple[list[int], list[float]]:
        """The first `want` hits (docnums and scores) in the requested order (tiers first)."""
        if not hits or want <= 0:
            return [], []
        if order == "relevance" and scores is not None:
            docs = ids_from_bits(hits, self.size)
            want = min(want, len(docs))
            values = -scores[docs].astype(np.float64)
            if tiers is not None:
                values -= tiers[docs] * TIER_WEIGHT
            tie = self.array("newest")[docs]
            if want < len(docs):
                keep = np.argpartition(values, want - 1)[:want]
                # Every document scored like the last one kept competes on the date too: the
                # partition alone would keep an arbitrary few of them.
                keep = np.flatnonzero(values <= values[keep].max())
                docs, values, tie = docs[keep], values[keep], tie[keep]
            picked = np.lexsort((tie, values))[:want]
            chosen = docs[picked]
            return chosen.tolist(), scores[chosen].astype(np.float64).tolist()
        # Every document's key is its own (its number is in the low bits): the view's
        # documents in key order, kept, are the hits in that order.
        ranked = self.array("closing_order" if order == "closing" else "newest_order")
        flags = flags_from_bits(hits, self.size)
        found: list[np.ndarray] = []
        start, step, count = 0, max(4 * want, 512), 0
        while start < len(ranked) and count < want:  # the first documents of the order first
            part = ranked[start : start + step]
            kept = part[flags[part]]
            found.append(kept)
            count += len(kept)
            start, step = start + step, step * 4
        chosen = np.concatenate(found)[:want] if found else ranked[:0]
        return chosen.tolist(), [0.0] * len(chosen)

    def since(self, ordinal: int) -> int:
        """Documents posted on or after a date (as an ordinal)."""
        return bits_from_ids(np.flatnonzero(self.array("posted") >= ordinal), self.size)
