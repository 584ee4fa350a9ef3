"""A relative link one directory up to a document or an image is ordinary text; a dot-dot path
to code, configuration, logs or data, one that climbs further, or one whose dots are encoded, is
still path traversal."""

from __future__ import annotations

import pytest

from eventguard.runtime.detectors import path_traversal


@pytest.mark.parametrize(
    "text",
    [
        "See ../README.md for details.",
        "The file is at ./docs/guide.pdf and ../shared/notes.txt",
        '<p>Logo: <img src="../img/logo.png"> and <a href="../about.html">about</a></p>',
        "../index.html",
        "Compare ../reports/2026-q3.xlsx with ../reports/2026-q2.xlsx",
    ],
)
def test_relative_document_links_are_not_traversal(text: str) -> None:
    assert path_traversal.detect(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "../config.php",
        "../logs/access.log",
        "../.env",
        "../../README.md",
        "../a.png.php",
        "../a.png/../../etc/passwd",
        "..%2fREADME.md",
        "%2e%2e/index.html",
        "..\\README.md",
        "&#46;&#46;/index.html",
        ".../a.txt",
        "../README.md ../config.php",
    ],
)
def test_dot_dot_paths_to_server_files_or_in_disguise_are_traversal(text: str) -> None:
    assert path_traversal.detect(text) is not None


def test_many_links_are_read_as_traversal_past_the_bound() -> None:
    """Past a few links the exemption is not worked out (each would be matched): the text is
    judged as any other."""
    text = " ".join(f"../page{i}.html" for i in range(40))
    assert path_traversal.detect(text) is not None
