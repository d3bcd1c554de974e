"""The single index writer: incremental update and delete; rebuild beside the live one, swap."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import pickle
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from search_index.codec import PackedCodec
from search_index.layout import BUILDING, PARTS, Layout
from search_index.schema import SCHEMA_VERSION, is_live, make_schema, to_fields

log = logging.getLogger(__name__)
JOURNAL = "journal.pickle"
Progress = Callable[[int, int | None], None]


class IndexWriter:
    """Every write to one index directory goes through here, under one cross-process lock."""

    def __init__(
        self,
        layout: Layout,
        lock_timeout: float = 60.0,
        limitmb: int = 128,
        procs: int | None = None,
    ) -> None:
        self.layout = layout
        self.lock_timeout = lock_timeout
        self.limitmb = limitmb
        self.procs = procs or min(2, os.cpu_count() or 1)

    # incremental

    def update(self, docs: Iterable[dict[str, Any]], stamp: str | None = None) -> None:
        """Add or replace postings by id (creates the index when missing)."""
        batch = [doc for doc in docs if doc.get("id")]
        with self.layout.lock(self.lock_timeout):
            generation = self._ensure()
            self._journal("update", batch, stamp)
            self._apply(generation, batch, [])
            self._finish_write(generation, stamp)

    def delete(self, ids: Iterable[str], stamp: str | None = None) -> None:
        """Remove postings by id."""
        doomed = [str(i) for i in ids if i]
        with self.layout.lock(self.lock_timeout):
            generation = self._ensure()
            self._journal("delete", doomed, stamp)
            self._apply(generation, [], doomed)
            self._finish_write(generation, stamp)

    def _ensure(self) -> Path:
        """The live generation, creating an empty one when there is none (lock held)."""
        generation = self.layout.current()
        if generation is not None:
            return generation
        name = self.layout.new_generation_name()
        generation = self.layout.root / name
        _create_parts(generation)
        self.layout.write_meta(
            generation, {"stamp": None, "built_at": time.time(), "schema": SCHEMA_VERSION}
        )
        self.layout.set_current(name)
        return generation

    def _apply(self, generation: Path, docs: list[dict[str, Any]], deletes: list[str]) -> None:
        """Write one batch into a generation's two indexes (lock held)."""
        latest = {str(doc["id"]): doc for doc in docs}
        ids = set(latest) | set(deletes)
        if not ids:
            return
        routed: dict[str, list[dict[str, Any]]] = {part: [] for part in PARTS}
        for ident, doc in latest.items():
            if not doc.get("hidden"):  # a hidden posting is removed from the index
                routed["live" if is_live(doc) else "archive"].append({**doc, "id": ident})
        for part in ("archive", "live"):
            ix = whoosh_index.open_dir(str(generation / part))
            with ix.reader() as reader:
                present = [i for i in ids if reader.doc_frequency("id", i)]
            if not present and not routed[part]:
                continue
            writer = ix.writer(timeout=self.lock_timeout, limitmb=64, codec=PackedCodec())
            try:
                for ident in present:
                    writer.delete_by_term("id", ident)
                for doc in routed[part]:
                    writer.add_document(**to_fields(doc))
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    def _finish_write(self, generation: Path, stamp: str | None) -> None:
        meta = self.layout.read_meta(generation)
        if stamp is not None:
            meta["stamp"] = stamp
        meta["updated_at"] = time.time()
        self.layout.write_meta(generation, meta)
        self.layout.bump_version()

    def _journal(self, op: str, payload: list[Any], stamp: str | None) -> None:
        """Record a write made during a rebuild so the new index replays it before the swap."""
        building = self.layout.building()
        if building is None:
            return
        with open(self.layout.root / building["dir"] / JOURNAL, "ab") as handle:
            pickle.dump((op, payload, stamp), handle)

    # rebuild

    def rebuild(
        self,
        docs: Iterable[dict[str, Any]],
        total: int | None = None,
        progress: Progress | None = None,
        stamp: str | None = None,
    ) -> int:
        """Build a fresh index beside the live one, then swap it in; the number indexed."""
        with self.layout.build_lock():
            return self._rebuild(docs, total, progress, stamp)

    def _rebuild(
        self,
        docs: Iterable[dict[str, Any]],
        total: int | None,
        progress: Progress | None,
        stamp: str | None,
    ) -> int:
        root = self.layout.root
        root.mkdir(parents=True, exist_ok=True)
        name = self.layout.new_generation_name()
        build = root / f"{name}.building"
        with self.layout.lock(self.lock_timeout):
            self._clean_stale_builds()
            build.mkdir()
            (root / BUILDING).write_text(
                json.dumps({"dir": build.name, "pid": os.getpid()}), encoding="utf-8"
            )
        try:
            count = self._build(build, docs, total, progress)
            with self.layout.lock(self.lock_timeout):
                stamp = self._replay(build, stamp)
                self.layout.write_meta(
                    build, {"stamp": stamp, "built_at": time.time(), "schema": SCHEMA_VERSION}
                )
                final = root / name
                os.rename(build, final)
                self.layout.set_current(name)
                with contextlib.suppress(FileNotFoundError):
                    (root / BUILDING).unlink()
                self.layout.bump_version()
                self._clean_old_generations(keep=name)
        except BaseException:
            with contextlib.suppress(Exception), self.layout.lock(self.lock_timeout):
                marker = root / BUILDING
                if marker.exists() and build.name in marker.read_text(encoding="utf-8"):
                    marker.unlink()
            shutil.rmtree(build, ignore_errors=True)
            raise
        return count

    def _build(
        self,
        build: Path,
        docs: Iterable[dict[str, Any]],
        total: int | None,
        progress: Progress | None,
    ) -> int:
        """Index every document into build/live and build/archive."""
        _create_parts(build)
        procs = self.procs if total is None or total >= 2000 else 1
        writers = {
            "live": _bulk_writer(build / "live", procs, self.limitmb),
            "archive": _bulk_writer(build / "archive", procs, self.limitmb),
        }
        count = 0
        try:
            for doc in docs:
                if not doc.get("id"):
                    continue
                count += 1
                if doc.get("hidden"):
                    continue
                part = "live" if is_live(doc) else "archive"
                writers[part].add_document(**to_fields(doc))
                if progress is not None and count % 250 == 0:
                    progress(count, total)
        except BaseException:
            for writer in writers.values():
                with contextlib.suppress(Exception):
                    writer.cancel()
            raise
        for writer in writers.values():
            writer.commit()
        if progress is not None:
            progress(count, total)
        return count

    def _replay(self, build: Path, stamp: str | None) -> str | None:
        """Apply the writes journaled during the build (lock held); the newest stamp."""
        journal = build / JOURNAL
        if not journal.exists():
            return stamp
        with open(journal, "rb") as handle:
            while True:
                try:
                    op, payload, entry_stamp = pickle.load(handle)  # noqa: S301 - our own file
                except EOFError:
                    break
                if op == "update":
                    self._apply(build, payload, [])
                else:
                    self._apply(build, [], payload)
                stamp = entry_stamp if entry_stamp is not None else stamp
        journal.unlink()
        return stamp

    def _clean_stale_builds(self) -> None:
        """Remove leftovers of rebuilds whose process died (both locks held)."""
        with contextlib.suppress(FileNotFoundError):
            (self.layout.root / BUILDING).unlink()
        for leftover in self.layout.root.glob("gen-*.building"):
            shutil.rmtree(leftover, ignore_errors=True)

    def _clean_old_generations(self, keep: str) -> None:
        """Drop generations older than the previous one (readers may still hold that)."""
        old = [p for p in self.layout.generations() if p.name != keep]
        for path in old[:-1]:
            shutil.rmtree(path, ignore_errors=True)


def _create_parts(generation: Path) -> None:
    schema = make_schema()
    for part in PARTS:
        (generation / part).mkdir(parents=True, exist_ok=True)
        whoosh_index.create_in(str(generation / part), schema)


def _bulk_writer(path: Path, procs: int, limitmb: int) -> Any:
    """A writer for a full build: one segment per process, not merged (multisegment)."""
    ix = whoosh_index.open_dir(str(path))
    if procs <= 1:
        return ix.writer(limitmb=limitmb, codec=PackedCodec())
    return ix.writer(
        procs=procs, multisegment=True, batchsize=250, limitmb=limitmb, codec=PackedCodec()
    )
