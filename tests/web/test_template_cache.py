"""`rcjobs serve` keeps compiled templates in the instance (Jinja's bytecode cache): a start
after the first loads them instead of compiling, and pages are the same either way."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from board.serving import WARM_TEMPLATES, use_template_cache


def test_the_cache_is_written_then_read_and_pages_are_unchanged(app: Flask, tmp_path: Path) -> None:
    # A page rendered from templates (the listing is written in Python: board.web.listing_page)
    plain = app.test_client().get("/salaries").data
    folder = tmp_path / "template-cache"
    use_template_cache(app, folder)
    app.jinja_env.cache.clear()  # type: ignore[union-attr]
    for name in WARM_TEMPLATES:
        app.jinja_env.get_template(name)
    written = sorted(folder.iterdir())
    assert written and all(p.name.endswith(".cache") for p in written)
    assert app.test_client().get("/salaries").data == plain

    loaded: list[str] = []
    cache = app.jinja_env.bytecode_cache
    assert cache is not None
    original = cache.load_bytecode

    def spy(bucket):  # type: ignore[no-untyped-def]
        original(bucket)
        if bucket.code is not None:
            loaded.append(bucket.key)

    cache.load_bytecode = spy  # type: ignore[method-assign]
    app.jinja_env.cache.clear()  # type: ignore[union-attr]
    assert app.test_client().get("/salaries").data == plain
    assert loaded  # compiled code came from the folder


def test_other_settings_do_not_share_entries(app: Flask, tmp_path: Path) -> None:
    folder = tmp_path / "template-cache"
    use_template_cache(app, folder)
    app.jinja_env.cache.clear()  # type: ignore[union-attr]
    app.jinja_env.get_template("base.html")
    first = {p.name for p in folder.iterdir()}
    app.jinja_env.trim_blocks = not app.jinja_env.trim_blocks
    use_template_cache(app, folder)
    app.jinja_env.cache.clear()  # type: ignore[union-attr]
    app.jinja_env.get_template("base.html")
    assert {p.name for p in folder.iterdir()} - first  # a second entry, not the first reused


def test_a_folder_that_cannot_be_made_means_no_cache(app: Flask, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    app.jinja_env.bytecode_cache = None
    use_template_cache(app, blocker / "template-cache")
    assert app.jinja_env.bytecode_cache is None


def test_entries_that_cannot_be_written_or_read_cost_only_the_compile(
    app: Flask, tmp_path: Path
) -> None:
    """A full disk (or a folder gone under a running site) never breaks a page."""
    plain = app.test_client().get("/jobs?q=director").data
    folder = tmp_path / "template-cache"
    use_template_cache(app, folder)
    folder.rmdir()
    folder.write_text("")  # every write and read of an entry now fails with an OSError
    app.jinja_env.cache.clear()  # type: ignore[union-attr]
    page = app.test_client().get("/jobs?q=director")
    assert page.status_code == 200 and page.data == plain
