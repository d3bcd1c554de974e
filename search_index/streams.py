"""A segment's postings kept as streams of term numbers and written with numpy.

While a segment is being filled, each indexed field keeps one stream: the term numbers of every
document's tokens in order (stop words as -1), and each document's number and token count. When
the segment is written, a field's stream is sorted by term once (numpy, stable, so documents and
positions stay in order), cut into postings, and each term's postings are written as W3 blocks:
the same bytes, block for block, that W3PostingsWriter (with the packed codec) writes from one
`add_posting` call per posting. Python then runs per document and per block, not per posting.

Only the rcjobs field types take this path (positional and frequency text, keywords and term
pairs); postings of anything else, and of segments merged in, keep Whoosh's (field, term, doc,
weight, value) tuples and are written by the same block writer.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Collection, Sequence
from pickle import dumps
from typing import Any

import numpy as np
from whoosh import formats
from whoosh.codec.whoosh3 import COMPRESSION_MIN_SIZE, WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.system import pack_ushort
from whoosh.util.numeric import length_to_byte

from search_index.analysis import _SYNONYM_CHECKS, WORD, term
from search_index.codec import PACKED
from search_index.schema import CompactPositions, FastText, Keywords, PairKeywords

POSITIONS, FREQUENCY, EXISTENCE, PAIRS = "positions", "frequency", "existence", "pairs"
_H = ord("H")


def stream_kind(field: Any) -> str | None:
    """How a field's postings are kept as a stream (None: as Whoosh tuples)."""
    if type(field) is FastText:
        if type(field.format) is CompactPositions:
            return POSITIONS
        if type(field.format) is formats.Frequency:
            return FREQUENCY
        return None
    if type(field) is PairKeywords:
        return PAIRS
    if type(field) is Keywords:
        return EXISTENCE
    return None


class Vocabulary:
    """Term numbers of one segment: term text <-> number, surface word -> number (-1: stop)."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.texts: list[str] = []
        self.words: dict[str, int] = {}
        self.pairs: dict[tuple[int, int], int] = {}
        self.synonyms = [
            (
                self.number(canonical),
                [
                    (
                        None if single is None else self.number(single),
                        frozenset(self.number(w) for p in needed for w in p.split(" ")),
                        frozenset(tuple(self.number(w) for w in p.split(" ")) for p in needed),
                    )
                    for single, needed in checks
                ],
            )
            for canonical, checks in _SYNONYM_CHECKS
        ]

    def number(self, text: str) -> int:
        """The number of a term text (a new one when unseen)."""
        found = self.numbers.get(text)
        if found is None:
            found = self.numbers[text] = len(self.texts)
            self.texts.append(text)
        return found

    def word_numbers(self, text: str) -> list[int]:
        """Term numbers of a text's words in order (-1 for a stop word)."""
        found = WORD.findall(text)
        words = self.words
        try:
            return list(map(words.__getitem__, found))
        except KeyError:
            for word in set(found).difference(words):
                indexed = term(word)
                words[word] = -1 if indexed is None else self.number(indexed)
            return list(map(words.__getitem__, found))

    def synonym_numbers(self, numbers: list[int]) -> list[int]:
        """Canonical tokens of the synonyms in analysed words (analysis.synonyms_in)."""
        present = set(numbers)
        adjacent: set[tuple[int, int]] | None = None
        out = []
        for canonical, checks in self.synonyms:
            for single, words, needed in checks:
                if single is not None:
                    if single in present:
                        out.append(canonical)
                        break
                elif words <= present:
                    if adjacent is None:
                        kept = [n for n in numbers if n >= 0]
                        adjacent = set(zip(kept, kept[1:], strict=False))
                    if needed <= adjacent:
                        out.append(canonical)
                        break
        return out

    def pair_numbers(self, numbers: list[int]) -> set[int]:
        """Numbers of the adjacent term pairs ("research comput") of analysed words."""
        kept = [n for n in numbers if n >= 0]
        pairs = self.pairs
        out = set()
        for pair in zip(kept, kept[1:], strict=False):
            found = pairs.get(pair)
            if found is None:
                texts = self.texts
                found = pairs[pair] = self.number(f"{texts[pair[0]]} {texts[pair[1]]}")
            out.add(found)
        return out

    def value_numbers(self, value: Any) -> list[int]:
        """Numbers of keyword values (a string or a list of them)."""
        values = [value] if isinstance(value, str) else value
        number = self.number
        return [number(v) for v in set(values)]


class Stream:
    """One field's tokens in one segment: term numbers, and each document's number and count."""

    __slots__ = ("counts", "docs", "tokens")

    def __init__(self) -> None:
        self.tokens = array("i")
        self.docs = array("i")
        self.counts = array("i")

    def add(self, docnum: int, numbers: Collection[int], extra: Collection[int] = ()) -> None:
        """A document's term numbers (then `extra` ones: synonyms after the words)."""
        self.tokens.extend(numbers)
        if extra:
            self.tokens.extend(extra)
        self.docs.append(docnum)
        self.counts.append(len(numbers) + len(extra))


class TermPostings:
    """One term's postings in document order: ids, weights and their values."""

    __slots__ = ("blob", "fixed", "ids", "lengths", "offsets", "weights")

    def __init__(
        self,
        ids: np.ndarray,
        weights: np.ndarray,
        fixed: int | None,
        blob: bytes | np.ndarray = b"",
        lengths: np.ndarray | None = None,
        offsets: np.ndarray | None = None,
    ) -> None:
        self.ids = ids  # int64, ascending
        self.weights = weights  # float32
        self.fixed = fixed  # the format's fixed value size (None: packed variable values)
        self.blob = blob  # every value, concatenated
        self.lengths = lengths  # packed: each value's size
        self.offsets = offsets  # packed: where each value starts in blob (one more at the end)

    @classmethod
    def from_tuples(
        cls,
        ids: Sequence[int],
        weights: Sequence[float],
        values: Sequence[bytes],
        fixed: int | None,
    ) -> TermPostings:
        """From Whoosh's per-posting lists (merged segments, other field types)."""
        order = np.argsort(np.asarray(ids, dtype=np.int64), kind="stable")
        id_array = np.asarray(ids, dtype=np.int64)[order]
        weight_array = np.asarray(weights, dtype=np.float32)[order]
        ordered = [values[i] for i in order.tolist()]
        if fixed is not None:
            return cls(id_array, weight_array, fixed, b"".join(ordered))
        lengths = np.fromiter(map(len, ordered), dtype=np.int64, count=len(ordered))
        offsets = np.zeros(len(ordered) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        return cls(id_array, weight_array, None, b"".join(ordered), lengths, offsets)

    def merged(self, other: TermPostings) -> TermPostings:
        """Both postings lists as one, in document order."""
        ids = np.concatenate([self.ids, other.ids])
        weights = np.concatenate([self.weights, other.weights])
        order = np.argsort(ids, kind="stable")
        if self.fixed is not None:
            size = self.fixed
            blob = bytes(self._as_bytes()) + bytes(other._as_bytes())
            values = [blob[i * size : (i + 1) * size] for i in range(len(ids))]
        else:
            values = self._values() + other._values()
        return TermPostings.from_tuples(
            ids[order].tolist(),
            weights[order].tolist(),
            [values[i] for i in order.tolist()],
            self.fixed,
        )

    def _as_bytes(self) -> bytes:
        return self.blob if isinstance(self.blob, bytes) else self.blob.tobytes()

    def _values(self) -> list[bytes]:
        assert self.offsets is not None
        blob = self._as_bytes()
        edges = self.offsets.tolist()
        return [blob[a:b] for a, b in zip(edges, edges[1:], strict=False)]

    def block_values(self, start: int, end: int) -> Any:
        """The packed codec's value data of postings [start, end)."""
        if self.fixed is None:
            assert self.lengths is not None and self.offsets is not None
            lengths = self.lengths[start:end]
            if not lengths.all():  # W3 keeps only non-empty values
                lengths = lengths[lengths > 0]
            if not len(lengths):
                return ()
            a, b = int(self.offsets[start]), int(self.offsets[end])
            blob = self.blob[a:b]
            return (
                PACKED,
                lengths.astype(np.uint32).tobytes(),
                blob if isinstance(blob, bytes) else blob.tobytes(),
            )
        if self.fixed == 0:
            return None
        blob = self.blob[start * self.fixed : end * self.fixed]
        return blob if isinstance(blob, bytes) else blob.tobytes()


def stream_postings(
    stream: Stream, kind: str, vocabulary: Vocabulary, encode: Any = None
) -> dict[bytes, TermPostings]:
    """Every term's postings of one field's stream (`encode`: the format's encoding of a
    position list, used when positions are too far apart for 16-bit deltas)."""
    tokens = np.frombuffer(stream.tokens, dtype=np.int32)
    counts = np.frombuffer(stream.counts, dtype=np.int32)
    docs = np.repeat(np.frombuffer(stream.docs, dtype=np.int32).astype(np.int64), counts)
    keep = tokens >= 0
    if not keep.all():
        tokens, docs = tokens[keep], docs[keep]
    if not len(tokens):
        return {}
    present = np.unique(tokens)
    texts = [vocabulary.texts[n].encode("utf-8") for n in present.tolist()]
    order = sorted(range(len(texts)), key=texts.__getitem__)
    rank = np.zeros(len(vocabulary.texts), dtype=np.int64)
    rank[present[order]] = np.arange(len(order), dtype=np.int64)
    keys = rank[tokens]
    perm = np.argsort(keys, kind="stable")  # term order; documents and positions stay in order
    keys_s, docs_s = keys[perm], docs[perm]
    count = len(keys_s)
    new_posting = np.ones(count, dtype=bool)
    new_posting[1:] = (keys_s[1:] != keys_s[:-1]) | (docs_s[1:] != docs_s[:-1])
    starts = np.flatnonzero(new_posting)
    freqs = np.diff(np.append(starts, count))
    post_keys = keys_s[starts]
    post_docs = docs_s[starts]
    term_starts = np.flatnonzero(np.append(True, post_keys[1:] != post_keys[:-1]))
    term_ends = np.append(term_starts[1:], len(starts))
    if kind in (EXISTENCE, PAIRS):
        weights = np.ones(len(starts), dtype=np.float32)
    else:
        weights = freqs.astype(np.float32)
    blob: np.ndarray | None = None
    offsets: np.ndarray | None = None
    lengths: np.ndarray | None = None
    if kind == POSITIONS:
        # Each kept token's position in its document, then deltas within each posting.
        run = np.ones(len(docs), dtype=bool)
        run[1:] = docs[1:] != docs[:-1]
        run_starts = np.flatnonzero(run)
        positions = np.arange(len(docs), dtype=np.int64) - np.repeat(
            run_starts, np.diff(np.append(run_starts, len(docs)))
        )
        pos_s = positions[perm]
        deltas = np.empty(count, dtype=np.int64)
        deltas[0] = pos_s[0]
        deltas[1:] = pos_s[1:] - pos_s[:-1]
        deltas[starts] = pos_s[starts]
        if int(deltas.max()) < 65536:
            lengths = 1 + 2 * freqs
            offsets = np.zeros(len(starts) + 1, dtype=np.int64)
            np.cumsum(lengths, out=offsets[1:])
            blob = np.empty(int(offsets[-1]), dtype=np.uint8)
            blob[offsets[:-1]] = _H  # CompactPositions' type code, then native 16-bit deltas
            posting_of = np.cumsum(new_posting) - 1
            within = np.arange(count, dtype=np.int64) - starts[posting_of]
            at = offsets[posting_of] + 1 + 2 * within
            halves = deltas.astype("=u2").view(np.uint8).reshape(-1, 2)
            blob[at] = halves[:, 0]
            blob[at + 1] = halves[:, 1]
        else:  # a document of more than 65,535 words: 32-bit deltas, encoded one by one
            assert encode is not None
            values = [encode(p.tolist()) for p in np.split(pos_s, starts[1:])]
            lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
            offsets = np.zeros(len(values) + 1, dtype=np.int64)
            np.cumsum(lengths, out=offsets[1:])
            blob = np.frombuffer(b"".join(values), dtype=np.uint8)
    elif kind == FREQUENCY:
        blob = freqs.astype(">u4").view(np.uint8)
    out: dict[bytes, TermPostings] = {}
    sorted_texts = [texts[i] for i in order]
    for k, (a, b) in enumerate(zip(term_starts.tolist(), term_ends.tolist(), strict=True)):
        ids = post_docs[a:b]
        if kind == POSITIONS:
            assert offsets is not None and lengths is not None and blob is not None
            base = int(offsets[a])
            out[sorted_texts[k]] = TermPostings(
                ids,
                weights[a:b],
                None,
                blob[base : int(offsets[b])],
                lengths[a:b],
                offsets[a : b + 1] - base,
            )
        elif kind == FREQUENCY:
            assert blob is not None
            out[sorted_texts[k]] = TermPostings(ids, weights[a:b], 4, blob[a * 4 : b * 4])
        else:
            out[sorted_texts[k]] = TermPostings(ids, weights[a:b], 0)
    return out


def write_term(
    fieldwriter: Any, btext: bytes, postings: TermPostings, doc_lengths: np.ndarray | None
) -> None:
    """One term's postings as W3 blocks, and its row in the terms table (fieldwriter's field
    started): what start_term, add_posting per posting and finish_term write."""
    postwriter = fieldwriter._postwriter
    postfile = postwriter._postfile
    limit = postwriter._blocklimit
    compression = postwriter._compression
    ids, weights = postings.ids, postings.weights
    count = len(ids)
    lengths = doc_lengths[ids] if doc_lengths is not None else None
    info = W3TermInfo()
    start_offset = postfile.tell()
    postfile.write(WHOOSH3_HEADER_MAGIC)
    total_weight = 0.0
    for start in range(0, count, limit):
        end = min(start + limit, count)
        block_ids = ids[start:end]
        block_weights = weights[start:end]
        id_list = block_ids.tolist()
        if (block_weights == 1.0).all():
            mini_weights: Any = None
        elif (block_weights == block_weights[0]).all():
            mini_weights = float(block_weights[0])
        else:
            mini_weights = tuple(block_weights.tolist())
        deltas = [id_list[0], *np.diff(block_ids).tolist()]
        data = (tuple(deltas), mini_weights, postings.block_values(start, end))
        databytes = dumps(data, 2)
        comp = compression if len(databytes) >= COMPRESSION_MIN_SIZE else 0
        if comp:
            databytes = zlib.compress(databytes, comp)
        maxweight = max(0.0, float(block_weights.max()))
        minlength: int | None = None
        maxlength = 0
        if lengths is not None:
            found = lengths[start:end]
            found = found[found > 0]
            if len(found):
                minlength, maxlength = int(found.min()), int(found.max())
        infobytes = dumps(
            (
                end - start,
                id_list[-1],
                maxweight,
                comp,
                length_to_byte(minlength),
                length_to_byte(maxlength),
            ),
            2,
        )
        # the terminfo's statistics, as W3TermInfo.add_block gathers them
        total_weight += float(block_weights.sum(dtype=np.float64))
        if start == 0:
            info._minid = id_list[0]
        if info._minlength is None:
            info._minlength = minlength
        elif minlength is not None:
            info._minlength = min(info._minlength, minlength)
        info._maxlength = max(info._maxlength, maxlength)
        info._maxweight = max(info._maxweight, maxweight)
        info._maxid = id_list[-1]
        size = len(infobytes) + len(databytes)
        postfile.write_int(-size if end == count else size)
        postfile.write(infobytes)
        postfile.write(databytes)
    info._weight = total_weight
    info._df = count
    info.set_extent(start_offset, postfile.tell() - start_offset)
    fieldwriter._tindex.add(pack_ushort(fieldwriter._fieldid) + btext, info.to_bytes())
