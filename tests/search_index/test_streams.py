"""The stream writer (search_index.streams) writes the bytes Whoosh's own writer writes."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.reading import SegmentReader

from search_index.bulk import FastSegmentWriter
from search_index.codec import PackedCodec
from search_index.schema import TEXT_FIELDS, make_schema, to_fields
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


def build(path: Path, docs: list[dict[str, Any]], fast: bool) -> list[tuple[int, str]]:
    path.mkdir()
    ix = whoosh_index.create_in(str(path), make_schema())
    writer = FastSegmentWriter(ix) if fast else ix.writer(codec=PackedCodec())
    for doc in docs:
        writer.add_document(**to_fields(doc))
    writer.commit()
    # a second commit deleting and adding, merged with the first (Whoosh tuples and streams)
    writer = FastSegmentWriter(ix) if fast else ix.writer(codec=PackedCodec())
    writer.delete_by_term("id", docs[1]["id"])
    for doc in docs[:4]:
        writer.add_document(**to_fields({**doc, "id": doc["id"] + "b", "title": "GPU Lead"}))
    writer.commit(optimize=True)
    return digest(path)


def test_stream_writer_writes_what_whoosh_writes(tmp_path: Path) -> None:
    docs = documents()
    assert build(tmp_path / "fast", docs, fast=True) == build(tmp_path / "whoosh", docs, False)
