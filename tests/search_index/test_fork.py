"""A searcher loaded before fork: the child keeps the parent's arrays and reopens its files."""

from __future__ import annotations

import json
import os
from pathlib import Path

from search_index import SearchIndex, SearchRequest
from tests.search_index.conftest import sample_postings

REQUESTS = [
    SearchRequest(q="research computing"),
    SearchRequest(q="director", filters={"country": ["CA"]}),
    SearchRequest(status="all", relevant="all", sort="newest"),
]


def answers(index: SearchIndex) -> list[list[str]]:
    return [[hit.id for hit in index.search(request).hits] for request in REQUESTS]


def test_a_forked_child_answers_the_same_from_what_the_parent_loaded(tmp_path: Path):
    index = SearchIndex(tmp_path / "index")
    docs = sample_postings()
    index.rebuild(docs, total=len(docs))
    index.warm()
    expected = answers(index)
    segments = {key: id(data.posted) for key, data in index.searcher._segments.items()}
    readers = {key: id(data.reader) for key, data in index.searcher._segments.items()}
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        try:
            index.after_fork()
            found = {
                "answers": answers(index),
                "kept": {
                    str(key): id(data.posted) == segments.get(key)
                    for key, data in index.searcher._segments.items()
                },
                "reopened": all(
                    id(data.reader) != readers[key]
                    for key, data in index.searcher._segments.items()
                ),
            }
            os.write(write, json.dumps(found).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        found = json.loads(pipe.read())
    os.waitpid(child, 0)
    assert found["answers"] == expected
    assert found["kept"] and all(found["kept"].values())  # arrays not read again
    assert found["reopened"]  # no Whoosh reader (open file) shared with the parent
    assert answers(index) == expected  # the parent is unaffected


def test_warm_leaves_the_result_cache_empty_and_a_missing_index_alone(tmp_path: Path):
    missing = SearchIndex(tmp_path / "none")
    missing.warm()  # nothing to load: no error
    assert missing.search(SearchRequest()).total == 0
    index = SearchIndex(tmp_path / "index")
    docs = sample_postings()
    index.rebuild(docs, total=len(docs))
    index.warm()
    assert not index.searcher._results
