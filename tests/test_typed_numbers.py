"""No number is typed into the report: every number a reader sees is computed from the results or the
configuration by an inline ``{python}`` expression or a cell.

What a reader sees is checked in four places: the prose (the markdown once inline code, cells,
cross-references, citations and attributes are taken out), the math in it, the captions of the
cells (``#| fig-cap:`` / ``#| tbl-cap:`` options and ``fig-cap=`` attributes), and the text the
cells write: their string constants and the literal parts of their f-strings, and the first
argument of a number formatter. Numbers that are code values, not text (``digits=3``,
``round(x, 2)``, ``pct(CONFIDENCE, 0)``, an index), never reach the page as themselves and may stay.

What may stay is listed once, in :data:`allowed_numbers.ALLOWED`, each pattern with its reason. Everything else
with a digit in it fails, naming where it stands.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

import pytest
from allowed_numbers import ALLOWED
from test_report import CELL, INLINE, MAIN, expand

RAW_BLOCK = re.compile(r"^```\{=\w+\}.*?^```[ \t]*$", re.MULTILINE | re.DOTALL)
MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.DOTALL)
CAPTION_OPTION = re.compile(r"^#\|\s*(?:fig|tbl)-(?:sub)?cap:\s*\"?(.*?)\"?\s*$", re.MULTILINE)
CAPTION_ATTRIBUTE = re.compile(r"""\b(?:fig|tbl)-(?:sub)?cap\s*=\s*(?:"([^"]*)"|'([^']*)')""")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:[eE][-+]?\d+)?")
# a string that starts with a letter and holds only word characters, dots, hyphens and slashes is a
# key the code looks up (a column, a table, a file, a grid cell), never text on the page
KEY = re.compile(r"[A-Za-z_][\w.\-/]*")
# the report's formatters: their first argument is the number the reader sees
FORMATTERS = frozenset({"integer", "counted", "num", "sci", "pct", "fixed", "ratio", "spread_factor"})


@dataclass(frozen=True)
class Shown:
    """One piece of what a reader sees, and where it stands in the report."""

    where: str
    text: str


def markdown_and_cells(document: str) -> tuple[str, list[str], list[str]]:
    """The markdown alone, the code of the cells and the inline expressions, in reading order."""
    cells = CELL.findall(document)
    markdown = CELL.sub("", document)
    return markdown, cells, [code.strip() for code in INLINE.findall(markdown)]


def _docstrings(tree: ast.AST) -> set[int]:
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def strings_shown(code: str, mode: str = "exec") -> list[str]:
    """The string constants and f-string literal parts of ``code`` that can reach the page: not
    docstrings (never rendered), not format specs (``:.3f`` is how, not what), not keys."""
    tree = ast.parse(code, mode=mode)
    hidden = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            hidden |= {id(part) for part in ast.walk(node.format_spec)}
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in hidden
        and not KEY.fullmatch(node.value)
    ]


def numbers_formatted(code: str, mode: str = "exec") -> list[str]:
    """Numeric literals handed to a formatter as the number to show (``integer(25)``): typed numbers
    dressed as computed ones."""
    found = []
    for node in ast.walk(ast.parse(code, mode=mode)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FORMATTERS and node.args:
            shown = node.args[0]
            if isinstance(shown, ast.UnaryOp):
                shown = shown.operand
            is_number = isinstance(shown, ast.Constant) and type(shown.value) in (int, float)
            if is_number:
                found.append(ast.unparse(node))
    return found


def without_code(text: str) -> str:
    """Text as the reader reads it, less what is not written there by hand: inline code (computed),
    raw Typst/HTML blocks (layout) and comments."""
    text = RAW_BLOCK.sub("", text)
    text = INLINE.sub("", text)
    return re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)


def without_markup(text: str) -> str:
    """Prose less its markup: attributes and shortcodes, cross-references, citations, div fences."""
    text = re.sub(r"\{[^}\n]*\}", "", text)
    text = re.sub(r"@[\w-]+", "", text)
    return re.sub(r"^(?::::|#\|).*$", "", text, flags=re.MULTILINE)


def shown_pieces(document: str) -> list[Shown]:
    """Every piece of the report a reader sees, from the prose, its math, the captions and the cells."""
    markdown, cells, inline = markdown_and_cells(document)
    texts = [("prose", markdown)]
    texts += [("caption", caption) for cell in cells for caption in CAPTION_OPTION.findall(cell)]
    texts += [("caption", a or b) for a, b in CAPTION_ATTRIBUTE.findall(markdown)]
    for code, mode in [(cell, "exec") for cell in cells] + [(expr, "eval") for expr in inline]:
        texts += [("cell text", string) for string in strings_shown(code, mode)]
    pieces = []
    for where, text in texts:
        text = without_code(text)
        pieces += [Shown(f"{where} math", math) for math in MATH.findall(text)]
        pieces.append(Shown(where, without_markup(MATH.sub(" ", text))))
    return pieces


def typed_numbers(piece: Shown) -> list[str]:
    """The numbers of one piece that no entry of :data:`ALLOWED` accounts for, each in its context."""
    kind = "math" if piece.where.endswith("math") else "text"
    allowed_at = set()
    for allowed in ALLOWED:
        if allowed.where in (kind, "all"):
            allowed_at |= {i for match in re.finditer(allowed.pattern, piece.text) for i in range(*match.span())}
    return [
        f"{piece.where}: {number.group()!r} in {piece.text[max(0, number.start() - 40) : number.end() + 40]!r}"
        for number in NUMBER.finditer(piece.text)
        if not set(range(*number.span())) <= allowed_at
    ]


def offenders(document: str) -> list[str]:
    found = [offence for piece in shown_pieces(document) for offence in typed_numbers(piece)]
    _, cells, inline = markdown_and_cells(document)
    found += [
        f"formatted literal: {call}"
        for code, mode in [(cell, "exec") for cell in cells] + [(expr, "eval") for expr in inline]
        for call in numbers_formatted(code, mode)
    ]
    return found


@pytest.fixture(scope="module")
def document() -> str:
    return expand(MAIN)


def test_every_allowance_says_why():
    for allowed in ALLOWED:
        assert allowed.where in ("text", "math", "all", "shown"), allowed
        assert len(allowed.reason.split()) >= 8, f"say why {allowed.pattern!r} may stay"
        re.compile(allowed.pattern)


def test_no_number_is_typed_into_the_report(document):
    """Numbers in sentences, equations, captions and the cells' text come from the results or the
    configuration; only what :data:`ALLOWED` lists, with its reason, is written as it stands."""
    found = offenders(document)
    assert not found, "numbers typed into the report:\n" + "\n".join(found)


PLANTED = {
    "a sentence": ("prose", "The network reached an accuracy of 89 on the test images.\n"),
    "an equation": ("prose math", "$$\n\\eta = 0.05, \\qquad \\lambda = 3\n$$\n"),
    "a caption option": (
        "caption",
        '```{python}\n#| label: tbl-planted\n#| tbl-cap: "Accuracy after 60 epochs."\nx = 1\n```\n',
    ),
    "a caption attribute": ("caption", '![Planted](planted.png){#fig-planted fig-cap="Loss after 60 epochs"}\n'),
    "a cell's f-string": ("cell text", '```{python}\nprint(f"{name} trained for 60 epochs")\n```\n'),
    "a formatter's literal": ("formatted literal", "Trained for `{python} integer(60)` epochs.\n"),
}


@pytest.mark.parametrize("place", sorted(PLANTED))
def test_a_number_planted_anywhere_a_reader_looks_is_found(place):
    where, planted = PLANTED[place]
    found = offenders("Nothing typed here; see @fig-x and the study's Fig. 13 [@ruud2025].\n\n" + planted)
    assert found and all(line.startswith(where) for line in found), found


@pytest.mark.parametrize(
    "allowed",
    [
        "its Figs. 3 and 13, Table VI, Sec. III.B.5, Eq. (3), Figures 8, 9 and 10, Figs. 24-28, Algorithm 1",
        "the $L_2$ and L1 penalties, F1, float32, FYS-STK3155, SHA-256",
        "$f(x) = 1/(1+25x^2)$ on $[-1, 1]$, $(1-\\beta_1) g_t^2$, $\\frac{1}{2n}$, $2\\lambda W$",
        "```{python}\nshown = table['test_mse_ci_low']\nf'{value:.3f}'\nround(x, 2)\n```\n",
    ],
)
def test_what_the_allowlist_names_stays(allowed):
    assert not offenders(allowed)


def test_a_power_of_ten_in_math_is_still_typed():
    assert offenders("$\\lambda = 10^{-5}$")
