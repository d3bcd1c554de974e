"""The stream writer (search_index.streams) writes the bytes Whoosh's own writer writes."""

from __future__ import annotations

import contextlib
import hashlib
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.codec import whoosh3
from whoosh.reading import SegmentReader

from search_index.analysis import SYNONYM_FORMS, WORD, canonical_synonyms, term
from search_index.bulk import FastSegmentWriter
from search_index.codec import PackedCodec
from search_index.schema import TEXT_FIELDS, make_schema, to_fields
from search_index.streams import BLOCK_PROTOCOL, Vocabulary
from tests.search_index.conftest import posting


def documents() -> list[dict[str, Any]]:
    """Synonyms, stop words, accents, repeats, an empty text, and a description whose
    repeated word is more than 65,535 positions from its previous occurrence."""
    far = " ".join(["alpha"] + [f"w{n % 5000}" for n in range(70_000)] + ["alpha"])
    texts = [
        "High performance computing and machine learning for the supercomputer team",
        "Research software engineering: Python, C++ and C# at Montréal, the HPC centre",
        "",
        "the of and to",  # stop words only
        "data data data storage data cluster cluster",
        far,
    ]
    docs = []
    for n, text in enumerate(texts * 3):
        docs.append(
            posting(
                f"s{n:03d}",
                ["Director of Research Computing", "HPC Lead", "Data Lead", ""][n % 4],
                description=text,
                countries=[["CA"], ["US", "CA"], []][n % 3],
                status="closed" if n % 4 == 0 else "open",
            )
        )
    return docs


def digest(path: Path) -> list[tuple[int, str]]:
    """Every segment's term table rows, posting bytes, stored fields and field lengths."""
    ix = whoosh_index.open_dir(str(path))
    out = []
    for segment in ix._segments():
        reader = SegmentReader(ix.storage, ix.schema, segment)
        terms = reader._terms
        found = hashlib.sha256()
        for key, value in terms._tindex.items():
            found.update(key + b"=" + value)
        terms._postfile.seek(0)
        found.update(terms._postfile.read())
        for docnum, stored in reader.iter_docs():
            found.update(repr((docnum, sorted(stored.items()))).encode())
        for field in TEXT_FIELDS:
            lengths = [reader.doc_field_length(d, field) for d in range(reader.doc_count_all())]
            found.update(repr((lengths, reader.field_length(field))).encode())
        out.append((segment.doc_count_all(), found.hexdigest()))
        reader.close()
    return out


@contextlib.contextmanager
def whoosh_blocks_at(protocol: int) -> Iterator[None]:
    """Whoosh's own writer with each block's data tuple (ids, weights, values) pickled at
    `protocol` instead of W3's 2, and everything else as it writes it."""
    real = whoosh3.dumps

    def dumps(obj: Any, given: int) -> bytes:
        return real(obj, protocol if isinstance(obj, tuple) and len(obj) == 3 else given)

    whoosh3.dumps = dumps
    try:
        yield
    finally:
        whoosh3.dumps = real


def build(
    path: Path,
    docs: list[dict[str, Any]],
    fast: bool,
    vocabulary: Vocabulary | None = None,
    plain: bool = False,
) -> list[tuple[int, str]]:
    """`plain`: the fast writer told to leave these small segments uncompressed, and Whoosh's
    writer given a codec that never compresses."""
    path.mkdir()
    ix = whoosh_index.create_in(str(path), make_schema())
    with contextlib.nullcontext() if fast else whoosh_blocks_at(BLOCK_PROTOCOL):
        return _build(ix, path, docs, fast, vocabulary, plain)


def _build(
    ix: Any,
    path: Path,
    docs: list[dict[str, Any]],
    fast: bool,
    vocabulary: Vocabulary | None,
    plain: bool,
) -> list[tuple[int, str]]:
    def writer_() -> Any:
        if fast:
            return FastSegmentWriter(ix, vocabulary, plain_below=1_000 if plain else 0)
        return ix.writer(codec=PackedCodec(compression=0) if plain else PackedCodec())

    writer = writer_()
    for doc in docs:
        writer.add_document(**to_fields(doc))
    writer.commit()
    # a second commit deleting and adding, merged with the first (Whoosh tuples and streams)
    writer = writer_()
    writer.delete_by_term("id", docs[1]["id"])
    for doc in docs[:4]:
        writer.add_document(**to_fields({**doc, "id": doc["id"] + "b", "title": "GPU Lead"}))
    writer.commit(optimize=True)
    return digest(path)


def test_stream_writer_writes_what_whoosh_writes(tmp_path: Path) -> None:
    docs = documents()
    assert build(tmp_path / "fast", docs, fast=True) == build(tmp_path / "whoosh", docs, False)


def test_small_segments_left_uncompressed_are_what_whoosh_writes_without_zlib(
    tmp_path: Path,
) -> None:
    docs = documents()
    plain = build(tmp_path / "plain", docs, fast=True, plain=True)
    assert plain == build(tmp_path / "whoosh", docs, fast=False, plain=True)
    assert plain != build(tmp_path / "compressed", docs, fast=True)  # zlib did change bytes


def postings_bytes(path: Path, fast: bool) -> bytes:
    """The postings file of one segment of documents() written by either writer."""
    path.mkdir()
    ix = whoosh_index.create_in(str(path), make_schema())
    writer = FastSegmentWriter(ix) if fast else ix.writer(codec=PackedCodec())
    for doc in documents():
        writer.add_document(**to_fields(doc))
    writer.commit()
    (segment,) = ix._segments()
    reader = SegmentReader(ix.storage, ix.schema, segment)
    terms = reader._terms
    terms._postfile.seek(0)
    found: bytes = terms._postfile.read()
    reader.close()
    return found


def test_block_data_is_pickled_without_protocol_2s_bytes_calls(tmp_path: Path) -> None:
    # W3 pickles a block's data at protocol 2: each bytes value becomes a call of
    # _codecs.encode on latin-1 text, slow to write and to read and twice the size
    assert b"_codecs" in postings_bytes(tmp_path / "w3", fast=False)
    assert b"_codecs" not in postings_bytes(tmp_path / "fast", fast=True)
    assert BLOCK_PROTOCOL >= 3


def test_a_shared_vocabulary_writes_the_same_bytes(tmp_path: Path) -> None:
    # term numbers carried over from other segments (IndexWriter's shared vocabulary) leave
    # out nothing and add nothing: only the terms a segment holds are written, in text order
    vocabulary = Vocabulary()
    for text in ("Zebra quantum chemistry, cluster admin", "data steward; the HPC lead"):
        vocabulary.word_numbers(text)
    docs = documents()
    shared = build(tmp_path / "shared", docs, fast=True, vocabulary=vocabulary)
    assert shared == build(tmp_path / "whoosh", docs, fast=False)


def test_word_numbers_number_the_regex_words() -> None:
    # white-space chunks looked up whole give the words WORD.findall gives, in order
    texts = [
        "C++ and C#, node.js; e.g. U.S.A. foo..bar ++x #y x+ y#z a.b.c. Montréal",
        "tabs\tnew\nlines\r\n\x0bvt\x0cff\x1cfs\x85nel\xa0nbsp\u2003em\u3000ideo end",
        "(HPC) [GPU]: {ML}/AI—arc... the and of to ; -- 3.14 v2.0 2,000 £5 naïve café",
        "",
        "   ",
        "x" * 300 + " repeated repeated, repeated. REPEATED",
    ]
    vocabulary = Vocabulary()
    for text in texts * 2:
        found = vocabulary.word_numbers(text)
        expected = [term(word) for word in WORD.findall(text)]
        assert [vocabulary.texts[n] if n >= 0 else None for n in found] == expected


def test_synonym_numbers_find_the_synonyms_the_query_analysis_finds() -> None:
    # long forms split by stop words, cut short, out of order, repeated and at the ends
    pieces = [w for forms in SYNONYM_FORMS.values() for form in forms for w in form.split()]
    pieces += ["the", "of", "and", "a", "data", "lead", "HPC", "engineer", "research", "."]
    rng = random.Random(15)
    texts = [" ".join(form.split()[::-1]) for forms in SYNONYM_FORMS.values() for form in forms]
    texts += [form for forms in SYNONYM_FORMS.values() for form in forms]
    texts += ["high the performance of computing", "high performance", "computing high"]
    texts += [" ".join(rng.choices(pieces, k=rng.randint(0, 40))) for _ in range(3000)]
    vocabulary = Vocabulary()
    found_any = 0
    for text in texts:
        numbers = vocabulary.word_numbers(text)
        found = [vocabulary.texts[n] for n in vocabulary.synonym_numbers(numbers)]
        assert found == canonical_synonyms(text), text
        found_any += bool(found)
    assert found_any > 1000  # the texts do hold synonyms, not only misses


def test_blocks_written_in_many_small_writes_are_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from search_index import streams

    monkeypatch.setattr(streams, "_WRITE_BUFFER", 100)  # a write every few terms
    docs = documents()
    assert build(tmp_path / "fast", docs, fast=True) == build(tmp_path / "whoosh", docs, False)


def test_distinct_is_numpys_unique_without_importing_numpy_ma() -> None:
    import subprocess
    import sys

    import numpy as np

    from search_index.streams import _distinct

    rng = np.random.default_rng(7)
    for size in (0, 1, 2, 50, 5000):
        values = rng.integers(-1, 40, size=size).astype(np.int32)
        assert np.array_equal(_distinct(values), np.unique(values))
    code = (
        "import sys, numpy as np; from search_index.streams import _distinct; "
        "_distinct(np.array([3, 1, 3], dtype=np.int32)); print('numpy.ma' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_length_bytes_are_whooshs_length_to_byte() -> None:
    import numpy as np
    from whoosh.util.numeric import length_to_byte

    from search_index.streams import length_bytes

    values = list(range(0, 2_000)) + list(range(2_000, 220_000, 37)) + [106_373, 106_374, 10**9]
    found = length_bytes(np.asarray(values, dtype=np.int64)).tolist()
    assert found == [length_to_byte(v) for v in values]


def test_terms_of_many_blocks_and_lengths_write_what_whoosh_writes(tmp_path: Path) -> None:
    # more than 128 postings a term (several blocks), and descriptions of many lengths
    rng = random.Random(5)
    words = ["cluster", "storage", "data", "research", "computing", "the", "lead", "gpu"]
    docs = [
        posting(
            f"m{n:04d}",
            rng.choice(["HPC Lead", "Director of Research Computing", "Data Lead"]),
            description=" ".join(rng.choice(words) for _ in range(rng.randint(1, 400))),
        )
        for n in range(300)
    ]
    assert build(tmp_path / "fast", docs, fast=True) == build(tmp_path / "whoosh", docs, False)


def test_a_large_shared_vocabulary_writes_the_same_bytes(tmp_path: Path) -> None:
    # a long-lived writer's vocabulary far larger than a small segment's tokens: its terms
    # are ranked by looking each token up, not through a table over the whole vocabulary
    vocabulary = Vocabulary()
    for n in range(60_000):
        vocabulary.number(f"zz{n}")
    docs = documents()[:6]
    shared = build(tmp_path / "shared", docs, fast=True, vocabulary=vocabulary)
    assert shared == build(tmp_path / "whoosh", docs, fast=False)
