"""Reference apps for bench_http.py, served by gunicorn with rcjobs serve's worker settings.

    python benchmarks/refapps.py plain|fts5|tantivy PORT WORKERS DATA

- plain: a Flask route answering a tiny JSON document (the ceiling of Flask + gunicorn here).
- fts5: the same documents in SQLite FTS5 (benchmarks/fts5.py), a connection per thread.
- tantivy: the same documents in tantivy (the bench extra), the same eight facets counted over
  the query and every other filter (as rcjobs counts them), the first 20 hits' display fields.

Every app answers JSON serialised by orjson, like rcjobs' API.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import orjson
from flask import Flask, Response, request

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

FACETS = (
    "country",
    "region",
    "role",
    "technical",
    "sector",
    "institution",
    "institution_type",
    "remote",
)
DOC_FACETS = {
    "country": "countries",
    "region": "regions",
    "role": "role",
    "technical": "technical",
    "sector": "sector",
    "institution": "institution_slug",
    "institution_type": "institution_type",
    "remote": "remote",
}
TEXT = {"title": 3.0, "institution": 1.5, "location": 1.2, "description": 1.0}
SHOWN = ("id", "title", "institution", "location_display", "role", "summary", "posted_on")


def _json(body: Any) -> Response:
    return Response(orjson.dumps(body), mimetype="application/json")


def _filters() -> dict[str, list[str]]:
    return {name: request.args.getlist(name) for name in FACETS if request.args.getlist(name)}


def plain_app() -> Flask:
    """A route that answers at once."""
    app = Flask("plain")

    @app.get("/search")
    def search() -> Response:
        return _json({"ok": True, "q": request.args.get("q", "")})

    return app


def fts5_app(data: Path) -> Flask:
    """FTS5 search with facet counts in SQL."""
    from fts5 import Fts5Baseline

    app = Flask("fts5")
    local = threading.local()

    @app.get("/search")
    def search() -> Response:
        db = getattr(local, "db", None)
        if db is None:
            db = local.db = Fts5Baseline.__new__(Fts5Baseline)
            import sqlite3

            db.db = sqlite3.connect(str(data))
        total, ids, facets = db.search(request.args.get("q", ""), _filters())
        return _json({"total": total, "results": ids, "facets": facets})

    return app


def build_tantivy(docs: list[dict[str, Any]], folder: Path) -> None:
    """The documents in a tantivy index at folder."""
    import tantivy

    folder.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(_tantivy_schema(), path=str(folder))
    writer = index.writer(heap_size=200_000_000)
    for doc in docs:
        fields: dict[str, Any] = {
            "id": doc["id"],
            "title": doc["title"],
            "institution": doc["institution"],
            "location": doc.get("location_text") or "",
            "description": doc.get("description") or "",
            "location_display": doc.get("location_display") or "",
            "role_shown": doc.get("role") or "",
            "summary": doc.get("summary") or "",
            "posted_on": str(doc.get("posted_on") or ""),
            "posted": int(str(doc.get("posted_on") or "0000-00-00").replace("-", "") or 0),
            "f_status": doc["status"],
            "f_relevant": "true" if doc["relevant"] else "false",
        }
        for facet, key in DOC_FACETS.items():
            value = doc.get(key)
            values = value if isinstance(value, list) else [value]
            fields[f"f_{facet}"] = [str(v) for v in values if v]
        writer.add_document(tantivy.Document(**fields))
    writer.commit()
    writer.wait_merging_threads()


def _tantivy_schema() -> Any:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("institution", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("location", tokenizer_name="en_stem")
    builder.add_text_field("description", tokenizer_name="en_stem")
    for name in ("location_display", "role_shown", "summary", "posted_on"):
        builder.add_text_field(name, stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("posted", fast=True)
    for name in (*FACETS, "status", "relevant"):
        builder.add_text_field(f"f_{name}", fast=True, tokenizer_name="raw", index_option="basic")
    return builder.build()


def tantivy_app(data: Path) -> Flask:
    """tantivy search, facets by terms aggregations, opened in each worker after fork."""
    import tantivy

    app = Flask("tantivy")
    state: dict[str, Any] = {}

    def searcher() -> tuple[Any, Any]:
        if "index" not in state:
            state["index"] = tantivy.Index.open(str(data))
            state["schema"] = state["index"].schema
        return state["index"], state["index"].searcher()

    def term(schema: Any, field: str, value: str) -> Any:
        return tantivy.Query.term_query(schema, field, value)

    def both(queries: list[Any]) -> Any:
        if not queries:
            return tantivy.Query.all_query()
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in queries])

    @app.get("/search")
    def search() -> Response:
        index, found = searcher()
        schema = state["schema"]
        q = request.args.get("q", "").strip()
        page = max(int(request.args.get("page", "1") or 1), 1)
        base = [term(schema, "f_status", "open"), term(schema, "f_relevant", "true")]
        if q:
            base.append(index.parse_query(q, list(TEXT), field_boosts=TEXT))
        filters = {
            name: tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, term(schema, f"f_{name}", v)) for v in values]
            )
            for name, values in _filters().items()
        }
        hits_query = both(base + list(filters.values()))
        if q:
            result = found.search(hits_query, 20, offset=(page - 1) * 20)
        else:
            result = found.search(hits_query, 20, offset=(page - 1) * 20, order_by_field="posted")
        hits = []
        for _, address in result.hits:
            doc = found.doc(address)
            hits.append({name: doc.get_first(name) for name in SHOWN if name != "role"})
            hits[-1]["role"] = doc.get_first("role_shown")
        aggs = {
            name: {"terms": {"field": f"f_{name}", "size": 1000}}
            for name in (*FACETS, "status", "relevant")
            if name not in filters
        }
        facets = _buckets(found.aggregate(hits_query, aggs))
        for name in filters:  # a filtered facet: counted over the query and the other filters
            others = [bits for other, bits in filters.items() if other != name]
            counted = found.aggregate(
                both(base + others), {name: {"terms": {"field": f"f_{name}", "size": 1000}}}
            )
            facets.update(_buckets(counted))
        return _json({"total": result.count, "results": hits, "facets": facets})

    return app


def _buckets(answer: dict[str, Any]) -> dict[str, list[tuple[str, int]]]:
    return {
        name: [(b["key"], b["doc_count"]) for b in agg.get("buckets", [])]
        for name, agg in answer.items()
    }


def serve(app: Flask, port: int, workers: int, warm: str) -> None:
    """gunicorn with rcjobs serve's worker model, access log off, one request per worker
    before it takes traffic (as rcjobs' workers run one search in post_fork)."""
    from gunicorn.app.base import BaseApplication

    try:
        from board.serving import worker_model
    except ImportError:  # an rcjobs from before issue 15: its fixed settings

        def worker_model(workers: int | None = None) -> dict[str, Any]:
            return {"workers": workers, "worker_class": "gthread", "threads": 4}

    def post_fork(_server: Any, _worker: Any) -> None:
        with app.test_client() as client:
            client.get(warm)

    class _Gunicorn(BaseApplication):
        def load_config(self) -> None:
            options = {
                "bind": f"127.0.0.1:{port}",
                **worker_model(workers),
                "errorlog": "-",
                "loglevel": "warning",
                "preload_app": True,
                "post_fork": post_fork,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return app

    _Gunicorn().run()


def main() -> None:
    """Serve one reference app: KIND PORT WORKERS [DATA]."""
    kind, port, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    data = Path(sys.argv[4]) if len(sys.argv) > 4 else Path()
    apps = {
        "plain": plain_app,
        "fts5": lambda: fts5_app(data),
        "tantivy": lambda: tantivy_app(data),
    }
    serve(apps[kind](), port, workers, "/search?q=research")


if __name__ == "__main__":
    main()
