"""The C library's functions are reached without running ldconfig."""

from __future__ import annotations

import subprocess
import sys

import pytest

from board.libc import libc

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="glibc's mallopt and prctl")


def test_the_c_library_is_reached_without_a_subprocess(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a subprocess was started: {args}")

    monkeypatch.setattr(subprocess, "Popen", refuse)  # what find_library("c") would run
    libc.cache_clear()
    from board.serving import reuse_large_blocks

    assert reuse_large_blocks()
    library = libc()
    assert library is not None and library is libc()  # loaded once
    assert hasattr(library, "prctl") and hasattr(library, "mallopt")
