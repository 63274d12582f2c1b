"""The rendered report as a reader gets it (``make render``; needs Quarto, so CI leaves these out).

Marked ``render``: they run only under ``pytest -m render`` and then fail, never skip, where the
rendered files or the render log are missing.
"""

from __future__ import annotations

import csv
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytestmark = pytest.mark.render

ROOT = Path(__file__).resolve().parents[1]
RENDERED = ROOT / "results" / "report"
# Attributes through which a browser fetches something while showing the page (links are not fetched).
LOADING_ATTRIBUTES = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "audio": ("src",),
    "video": ("src", "poster"),
    "embed": ("src",),
    "object": ("data",),
    "link": ("href",),
}
REMOTE = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
CSS_REMOTE = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*(?:https?:)?//""", re.IGNORECASE)


class _Loads(HTMLParser):
    """Every remote address the page would fetch, from its tags' attributes and its inline CSS."""

    def __init__(self):
        super().__init__()
        self.remote: list[str] = []
        self.math_elements = 0
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.math_elements += tag == "math"
        self._in_style = tag == "style"
        if tag == "link" and not {"stylesheet", "preload", "icon", "modulepreload"} & set(
            (attributes.get("rel") or "").lower().split()
        ):
            return
        for name in LOADING_ATTRIBUTES.get(tag, ()):
            value = attributes.get(name) or ""
            if REMOTE.match(value):
                self.remote.append(f"<{tag} {name}={value[:80]}>")
        if CSS_REMOTE.search(attributes.get("style") or ""):
            self.remote.append(f"<{tag} style=...>")

    def handle_endtag(self, tag):
        self._in_style = self._in_style and tag != "style"

    def handle_data(self, data):
        if self._in_style and CSS_REMOTE.search(data):
            self.remote.append("a <style> block with a remote url() or @import")


@pytest.fixture(scope="module")
def html() -> str:
    path = RENDERED / "report.html"
    assert path.is_file(), f"{path} is missing: run `make render` (needs `quarto` on PATH)"
    return path.read_text(encoding="utf-8")


def test_the_html_loads_nothing_from_the_network(html):
    page = _Loads()
    page.feed(html)
    assert not page.remote, f"the page fetches from the network: {page.remote[:10]}"


def test_the_html_math_is_mathml_not_raw_tex(html):
    page = _Loads()
    page.feed(html)
    assert page.math_elements > 50, f"only {page.math_elements} <math> elements"
    body = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.DOTALL)
    leftovers = re.findall(r"\\\(|\\\[|\$[^$<>\n]*\\(?:times|frac|lambda|eta)", body)
    assert not leftovers, f"TeX left unrendered in the page: {leftovers[:5]}"


def test_the_pdf_was_written():
    path = RENDERED / "report.pdf"
    assert path.is_file(), f"{path} is missing: run `make render`"
    assert path.read_bytes()[:5] == b"%PDF-"


def test_quarto_rendered_without_a_warning():
    log = RENDERED / "logs" / "quarto_render.log"
    assert log.is_file(), f"{log} is missing: run `make render`"
    warnings = [line for line in log.read_text(encoding="utf-8").splitlines() if re.search(r"\bWARN(ING)?\b", line)]
    assert not warnings, "Quarto warned:\n" + "\n".join(warnings[:20])


NUMBER_SPAN = re.compile(r'<span class="number-source" data-source="(\d+)">')
SOURCES_SCRIPT = re.compile(r'<script type="application/json" id="number-sources">(.*?)</script>', re.DOTALL)


def test_every_number_the_html_marks_leads_to_a_line_that_holds_it(html):
    """Each marked number opens a source whose result exists beside the report, was written by a
    known rule, and whose line and column hold the value read (checked against the CSV itself)."""
    (data,) = SOURCES_SCRIPT.findall(html)
    registry = json.loads(data)
    keys = {int(key) for key in NUMBER_SPAN.findall(html)}
    assert len(keys) > 300 and keys <= set(range(len(registry["sources"])))
    assert re.fullmatch(r"[0-9a-f]{40}( with uncommitted changes)?", registry["commit"])
    for key in keys:
        for source in registry["sources"][key]:
            if source["how"] == "code" or not source["link"]:
                continue
            path = RENDERED / source["link"]
            assert path.is_file(), f"number {key} names {source['link']}, which is not beside the report"
            assert source["rule"] not in ("", "unknown"), f"number {key}: no rule wrote {source['table']}"
            if source["how"] != "cell":
                continue
            with path.open(newline="", encoding="utf-8") as file:
                lines = list(csv.reader(file))
            column = lines[0].index(source["column"])
            for line in source["lines"]:
                written = lines[line - 1][column]
                assert written == source["value"] or _same_number(written, source["value"]), (
                    f"number {key}: line {line} of {source['table']} holds {written!r} in {source['column']}, "
                    f"not the {source['value']!r} read"
                )


def _same_number(written: str, read: str) -> bool:
    try:
        return float(written) == float(read)
    except ValueError:
        return False
