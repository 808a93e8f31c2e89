"""No template served to a browser holds what the Content Security Policy blocks: an inline
<script> or <style>, an on*= handler, a style= attribute or htmx's hx-on (it needs eval).
PDF templates are read by WeasyPrint, not a browser, and may style themselves inline."""

from __future__ import annotations

import re
from pathlib import Path

import sasaeai

ROOT = Path(sasaeai.__file__).resolve().parent
BLOCKED = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "inline style element": re.compile(r"<style\b", re.I),
    "style= attribute": re.compile(r"\sstyle\s*=", re.I),
    "on*= handler": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "hx-on": re.compile(r"\shx-on", re.I),
    "javascript: URL": re.compile(r"=\s*[\"']\s*javascript:", re.I),
}


def is_pdf_template(path: Path) -> bool:
    return path.name.endswith("_pdf.html") or "pdf" in path.parent.parts


def browser_templates() -> list[Path]:
    found = [
        path
        for path in ROOT.rglob("templates/**/*.html")
        if "vendor" not in path.parts and not is_pdf_template(path)
    ]
    assert len(found) > 100, "the templates were not found"
    return found


def offences(text: str) -> list[str]:
    return [name for name, pattern in BLOCKED.items() if pattern.search(text)]


def test_the_check_finds_each_blocked_construct():
    assert offences('<p style="color:red">') == ["style= attribute"]
    assert offences("<script>alert(1)</script>") == ["inline script"]
    assert offences('<script src="/static/x.js"></script>') == []
    assert offences('<select onchange="go()">') == ["on*= handler"]
    assert offences("<style>p{}</style>") == ["inline style element"]
    assert offences('<input hx-on::before-request="x()">') == ["hx-on"]
    assert offences('<a href="javascript:void(0)">') == ["javascript: URL"]
    assert offences('<input data-clears-before-request="id_as_of">') == []


def test_no_browser_template_holds_what_the_policy_blocks():
    found = {
        str(path.relative_to(ROOT)): names
        for path in browser_templates()
        if (names := offences(path.read_text(encoding="utf-8")))
    }
    assert found == {}, found
