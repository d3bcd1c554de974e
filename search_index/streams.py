"""A segment's postings kept as streams of term numbers and written with numpy.

While a segment is being filled, each indexed field keeps one stream: the term numbers of every
document's tokens in order (stop words as -1), and each document's number and token count. When
the segment is written, a field's stream is sorted by term once (numpy, stable, so documents and
positions stay in order), cut into postings, and each term's postings are written as W3 blocks:
the same bytes, block for block, that W3PostingsWriter (with the packed codec) writes from one
`add_posting` call per posting, except that a block's data is pickled at BLOCK_PROTOCOL, not 2.
Python then runs per document and per block, not per posting.

Only the rcjobs field types take this path (positional and frequency text, keywords and term
pairs); postings of anything else, and of segments merged in, keep Whoosh's (field, term, doc,
weight, value) tuples and are written by the same block writer.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Collection, Sequence
from itertools import chain
from pickle import dumps
from typing import Any

import numpy as np
from whoosh import formats
from whoosh.codec.whoosh3 import COMPRESSION_MIN_SIZE, WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import _length_byte_cache, length_to_byte

from search_index.analysis import _SYNONYM_CHECKS, chunk_terms
from search_index.codec import PACKED
from search_index.schema import CompactPositions, FastText, Keywords, PairKeywords

POSITIONS, FREQUENCY, EXISTENCE, PAIRS = "positions", "frequency", "existence", "pairs"
_H = ord("H")
_TERMINFO = W3TermInfo._struct
#: The pickle protocol of a block's data (ids, weights, values). W3 writes protocol 2, which
#: pickles each bytes value as a call of `_codecs.encode` on a latin-1 string: 4-5 times the
#: time to write and to read a block with values, and twice its size, of protocol 3. Every
#: reader unpickles either (pickle.loads reads the protocol from the data).
BLOCK_PROTOCOL = 3
#: Bytes of postings blocks joined before they are written to the postings file.
_WRITE_BUFFER = 1 << 20


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
        self.chunks: dict[str, tuple[int, ...]] = {}
        self.pairs: dict[tuple[int, int], int] = {}
        self.synonyms = [
            (
                self.number(canonical),
                [
                    (
                        None if single is None else self.number(single),
                        frozenset(self.number(w) for p in needed for w in p.split(" ")),
                        tuple(tuple(self.number(w) for w in p.split(" ")) for p in needed),
                    )
                    for single, needed in checks
                ],
            )
            for canonical, checks in _SYNONYM_CHECKS
        ]
        #: Every term number a synonym check looks at: a text without any has no synonym.
        self.synonym_words = frozenset(
            n
            for _, checks in self.synonyms
            for single, words, _ in checks
            for n in (words if single is None else (single,))
        )

    def number(self, text: str) -> int:
        """The number of a term text (a new one when unseen)."""
        found = self.numbers.get(text)
        if found is None:
            found = self.numbers[text] = len(self.texts)
            self.texts.append(text)
        return found

    def word_numbers(self, text: str) -> list[int]:
        """Term numbers of a text's words in order (-1 for a stop word).

        The same as numbering WORD.findall(text), cheaper: a word never spans white space, so
        the text's words are its white-space separated chunks' words in order, and a chunk's
        numbers are looked up whole (the regex runs once per distinct chunk, not per word)."""
        chunks = text.split()
        known = self.chunks
        try:
            return list(chain.from_iterable(map(known.__getitem__, chunks)))
        except KeyError:
            number = self.number
            for chunk in set(chunks).difference(known):
                known[chunk] = tuple(
                    -1 if indexed is None else number(indexed) for indexed in chunk_terms(chunk)
                )
            return list(chain.from_iterable(map(known.__getitem__, chunks)))

    def synonym_numbers(self, numbers: list[int]) -> list[int]:
        """Canonical tokens of the synonyms in analysed words (analysis.synonyms_in).

        Only the words the checks name are gathered (most texts have none), and a long
        form's pairs are looked for where their first word occurs, not built for every word."""
        present = self.synonym_words.intersection(numbers)
        if not present:
            return []
        out = []
        for canonical, checks in self.synonyms:
            for single, words, needed in checks:
                if single is not None:
                    if single in present:
                        out.append(canonical)
                        break
                elif words <= present and all(_follows(numbers, a, b) for a, b in needed):
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


def _follows(numbers: list[int], first: int, second: int) -> bool:
    """Whether `second` is the next word after some `first` (stop words, -1, skipped)."""
    size = len(numbers)
    at = -1
    while True:
        try:
            at = numbers.index(first, at + 1)
        except ValueError:
            return False
        after = at + 1
        while after < size and numbers[after] < 0:
            after += 1
        if after < size and numbers[after] == second:
            return True


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


class Postings:
    """The postings of some terms (ascending), in document order within each term: ids, weights
    and their values, as flat arrays with the terms' boundaries."""

    __slots__ = ("blob", "bounds", "fixed", "ids", "lengths", "offsets", "texts", "weights")

    def __init__(
        self,
        texts: list[bytes],
        bounds: np.ndarray,
        ids: np.ndarray,
        weights: np.ndarray,
        fixed: int | None,
        blob: bytes = b"",
        lengths: np.ndarray | None = None,
        offsets: np.ndarray | None = None,
    ) -> None:
        self.texts = texts
        self.bounds = bounds  # term k's postings are [bounds[k], bounds[k + 1])
        self.ids = ids  # int64
        self.weights = weights  # float32
        self.fixed = fixed  # the format's fixed value size (None: packed variable values)
        self.blob = blob  # every value, concatenated
        self.lengths = lengths  # packed: each value's size
        self.offsets = offsets  # packed: where each value starts in blob (one more at the end)

    @classmethod
    def from_tuples(
        cls,
        text: bytes,
        ids: Sequence[int],
        weights: Sequence[float],
        values: Sequence[bytes],
        fixed: int | None,
    ) -> Postings:
        """One term's postings from Whoosh's per-posting lists (merges, other field types)."""
        order = np.argsort(np.asarray(ids, dtype=np.int64), kind="stable")
        id_array = np.asarray(ids, dtype=np.int64)[order]
        weight_array = np.asarray(weights, dtype=np.float32)[order]
        ordered = [values[i] for i in order.tolist()]
        bounds = np.array([0, len(ordered)], dtype=np.int64)
        if fixed is not None:
            return cls([text], bounds, id_array, weight_array, fixed, b"".join(ordered))
        lengths = np.fromiter(map(len, ordered), dtype=np.int64, count=len(ordered))
        offsets = np.zeros(len(ordered) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        return cls(
            [text], bounds, id_array, weight_array, None, b"".join(ordered), lengths, offsets
        )

    def values(self, start: int, end: int) -> list[bytes]:
        """The values of postings [start, end)."""
        if self.fixed is not None:
            size = self.fixed
            return [self.blob[i * size : (i + 1) * size] for i in range(start, end)]
        assert self.offsets is not None
        edges = self.offsets[start : end + 1].tolist()
        return [self.blob[a:b] for a, b in zip(edges, edges[1:], strict=False)]

    def nbytes(self) -> int:
        """About what these postings hold in memory."""
        return self.ids.nbytes * 3 + self.weights.nbytes + len(self.blob)

    @classmethod
    def joined(cls, terms: dict[bytes, Postings], fixed: int | None) -> Postings:
        """Single terms' postings as one, terms in order."""
        texts = sorted(terms)
        parts = [terms[t] for t in texts]
        sizes = [len(p.ids) for p in parts]
        bounds = np.zeros(len(parts) + 1, dtype=np.int64)
        np.cumsum(sizes, out=bounds[1:])
        ids = np.concatenate([p.ids for p in parts]) if parts else np.zeros(0, np.int64)
        weights = np.concatenate([p.weights for p in parts]) if parts else np.zeros(0, np.float32)
        blob = b"".join(p.blob for p in parts)
        if fixed is not None:
            return cls(texts, bounds, ids, weights, fixed, blob)
        lengths = (
            np.concatenate([p.lengths for p in parts if p.lengths is not None])
            if parts
            else np.zeros(0, np.int64)
        )
        offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        return cls(texts, bounds, ids, weights, None, blob, lengths, offsets)


def _distinct(values: np.ndarray) -> np.ndarray:
    """np.unique of a 1-D array (sorted, each value once) without it: np.unique imports
    numpy.ma on its first call, 20-80 ms of a process's first segment."""
    ordered = np.sort(values)
    keep = np.ones(len(ordered), dtype=bool)
    keep[1:] = ordered[1:] != ordered[:-1]
    return ordered[keep]


def stream_postings(
    stream: Stream, kind: str, vocabulary: Vocabulary, encode: Any = None
) -> Postings:
    """Every term's postings of one field's stream (`encode`: the format's encoding of a
    position list, used when positions are too far apart for 16-bit deltas)."""
    tokens = np.frombuffer(stream.tokens, dtype=np.int32)
    counts = np.frombuffer(stream.counts, dtype=np.int32)
    docs = np.repeat(np.frombuffer(stream.docs, dtype=np.int32).astype(np.int64), counts)
    keep = tokens >= 0
    if not keep.all():
        tokens, docs = tokens[keep], docs[keep]
    if not len(tokens):
        return Postings(
            [], np.zeros(1, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32), 0
        )
    present = _distinct(tokens)
    texts = [vocabulary.texts[n].encode("utf-8") for n in present.tolist()]
    order = sorted(range(len(texts)), key=texts.__getitem__)
    if len(vocabulary.texts) <= 8 * len(tokens):  # a table over the vocabulary: one gather
        rank = np.zeros(len(vocabulary.texts), dtype=np.int64)
        rank[present[order]] = np.arange(len(order), dtype=np.int64)
        keys = rank[tokens]
    else:  # a few tokens of a large vocabulary (a long-lived writer's): look each one up
        rank = np.empty(len(present), dtype=np.int64)
        rank[order] = np.arange(len(order), dtype=np.int64)
        keys = rank[np.searchsorted(present, tokens)]
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
    sorted_texts = [texts[i] for i in order]
    bounds = np.append(term_starts, len(starts))
    if kind == POSITIONS:
        assert blob is not None
        return Postings(
            sorted_texts, bounds, post_docs, weights, None, blob.tobytes(), lengths, offsets
        )
    if kind == FREQUENCY:
        assert blob is not None
        return Postings(sorted_texts, bounds, post_docs, weights, 4, blob.tobytes())
    return Postings(sorted_texts, bounds, post_docs, weights, 0)


#: The lengths whose position length_to_byte finds by bisection (its byte is the position).
_LENGTH_BOUNDS = np.asarray(_length_byte_cache, dtype=np.int64)
_ZERO_LENGTH_BYTE = length_to_byte(0)


def length_bytes(lengths: np.ndarray) -> np.ndarray:
    """Whoosh's length_to_byte of each length (all of them at once)."""
    return np.minimum(np.searchsorted(_LENGTH_BOUNDS, lengths, side="left"), 255)


def write_postings(
    fieldwriter: Any,
    postings: Postings,
    doc_lengths: np.ndarray | None,
    compression: int | None = None,
) -> np.ndarray:
    """Every term's postings as W3 blocks, and each term's row in the terms table (the
    fieldwriter's field started): the bytes start_term, add_posting per posting and finish_term
    write. Each block's statistics come from numpy over the whole field at once. Returns where
    each term's blocks start in the postings file. `compression`: the zlib level (0: none);
    None, the postings writer's own (as Whoosh's writer compresses)."""
    count_terms = len(postings.texts)
    if not count_terms:
        return np.zeros(0, dtype=np.int64)
    postwriter = fieldwriter._postwriter
    postfile = postwriter._postfile
    limit = postwriter._blocklimit
    if compression is None:
        compression = postwriter._compression
    ids, weights, bounds = postings.ids, postings.weights, postings.bounds
    sizes = np.diff(bounds)
    blocks_per_term = (sizes + limit - 1) // limit
    term_of_block = np.repeat(np.arange(count_terms), blocks_per_term)
    first_block = np.cumsum(blocks_per_term) - blocks_per_term
    starts = bounds[:-1][term_of_block] + limit * (
        np.arange(len(term_of_block)) - first_block[term_of_block]
    )
    ends = np.minimum(starts + limit, bounds[1:][term_of_block])
    w_max = np.maximum.reduceat(weights, starts)
    w_min = np.minimum.reduceat(weights, starts)
    w_sum = np.add.reduceat(weights.astype(np.float64), starts)
    measured: list[bool] = []  # blocks with a document of a stored length
    lb_min: list[int] = []  # each block's shortest and longest such length, as W3's byte
    lb_max: list[int] = []
    if doc_lengths is not None:
        lengths = doc_lengths[ids]
        l_max = np.maximum.reduceat(lengths, starts)
        l_min = np.minimum.reduceat(np.where(lengths > 0, lengths, 1 << 40), starts)
        measured = (l_max > 0).tolist()
        lb_min, lb_max = length_bytes(l_min).tolist(), length_bytes(l_max).tolist()
    deltas = np.empty(len(ids), dtype=np.int64)
    deltas[1:] = ids[1:] - ids[:-1]
    deltas[starts] = ids[starts]
    delta_list = deltas.tolist()
    weight_list = weights.tolist()
    last_ids = ids[ends - 1].tolist()
    fixed = postings.fixed
    blob = postings.blob
    packed_lengths = b""
    offsets: list[int] = []
    filtered = False
    if fixed is None:
        assert postings.lengths is not None and postings.offsets is not None
        packed_lengths = postings.lengths.astype(np.uint32).tobytes()
        offsets = postings.offsets.tolist()
        filtered = not postings.lengths.all()  # W3 keeps only non-empty values
    w_max_list, w_min_list, w_sum_list = w_max.tolist(), w_min.tolist(), w_sum.tolist()
    id_list_first = ids[bounds[:-1]].tolist()
    block_ranges = zip(starts.tolist(), ends.tolist(), strict=True)
    block = 0
    texts = postings.texts
    tindex = fieldwriter._tindex
    prefix = pack_ushort(fieldwriter._fieldid)
    sizes_list = sizes.tolist()
    position = postfile.tell()
    pending: list[bytes] = []  # terms' blocks not yet written (one write a megabyte)
    pending_size = 0
    term_offsets = np.empty(count_terms, dtype=np.int64)
    for k, nblocks in enumerate(blocks_per_term.tolist()):
        start_offset = term_offsets[k] = position
        out = [WHOOSH3_HEADER_MAGIC]
        total_weight = 0.0
        # length_to_byte only grows with the length: the byte of the term's shortest (longest)
        # length is the least (greatest) of its blocks' bytes
        term_low: int | None = None
        term_high = _ZERO_LENGTH_BYTE
        term_weight = 0.0
        for n in range(nblocks):
            start, end = next(block_ranges)
            high, low = w_max_list[block], w_min_list[block]
            if low == high == 1.0:
                mini_weights: Any = None
            elif low == high:
                mini_weights = high
            else:
                mini_weights = tuple(weight_list[start:end])
            if fixed is None:
                if filtered:
                    values = [v for v in postings.values(start, end) if v]
                    mini_values: Any = (
                        (PACKED, array("I", map(len, values)).tobytes(), b"".join(values))
                        if values
                        else ()
                    )
                else:
                    mini_values = (
                        PACKED,
                        packed_lengths[4 * start : 4 * end],
                        blob[offsets[start] : offsets[end]],
                    )
            elif fixed:
                mini_values = blob[start * fixed : end * fixed]
            else:
                mini_values = None
            databytes = dumps(
                (tuple(delta_list[start:end]), mini_weights, mini_values), BLOCK_PROTOCOL
            )
            comp = compression if len(databytes) >= COMPRESSION_MIN_SIZE else 0
            if comp:
                databytes = zlib.compress(databytes, comp)
            maxweight = max(0.0, high)
            if measured and measured[block]:
                low_byte, high_byte = lb_min[block], lb_max[block]
                term_low = low_byte if term_low is None else min(term_low, low_byte)
                term_high = max(term_high, high_byte)
            else:  # W3's bytes of no shortest length (None) and of a longest of 0
                low_byte, high_byte = 0, _ZERO_LENGTH_BYTE
            infobytes = dumps(
                (end - start, last_ids[block], maxweight, comp, low_byte, high_byte), 2
            )
            # the terminfo's statistics, as W3TermInfo.add_block gathers them
            total_weight += w_sum_list[block]
            term_weight = max(term_weight, maxweight)
            size = len(infobytes) + len(databytes)
            out.append(pack_int(-size if n == nblocks - 1 else size))
            out.append(infobytes)
            out.append(databytes)
            block += 1
        chunk_size = sum(map(len, out))  # the magic, then each block: its size, info and data
        pending += out
        pending_size += chunk_size
        if pending_size >= _WRITE_BUFFER:
            postfile.write(b"".join(pending))
            pending.clear()
            pending_size = 0
        position += chunk_size
        # W3TermInfo.to_bytes of the term's statistics (never inlined: W3's inline limit is 1)
        row = _TERMINFO.pack(
            False,
            total_weight,
            sizes_list[k],
            0 if term_low is None else term_low,
            term_high,
            term_weight,
            id_list_first[k],
            last_ids[block - 1],
        )
        tindex.add(prefix + texts[k], row + pack_long(start_offset) + pack_int(chunk_size))
    if pending:
        postfile.write(b"".join(pending))
    return term_offsets
