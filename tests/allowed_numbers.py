"""The numbers the report may show as they are, each with its reason: the one list that
``test_typed_numbers`` (nothing typed in) and ``test_report`` (every number shown names its source) read."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Allowed:
    where: str  # "text" (prose, captions, the cells' strings), "math", "all" of these, or "shown": what
    # the report prints from results may show it without a source (tests/test_report.py)
    pattern: str
    reason: str


# Everything a number may stand in without coming from the results, in one place, with why.
ALLOWED = (
    Allowed(
        "text",
        r"\b(?:Fig(?:ure)?s?\.?|Tables?|Sec(?:tion)?s?\.?|Eqs?\.?|Algorithms?)\s*"
        r"\(?[\dIVX]+(?:\.[\dA-Za-z]+)*\)?(?:(?:,\s*|\s+and\s+|\s*[-–]\s*)\(?[\dIVX]+(?:\.[\dA-Za-z]+)*\)?)*",
        "a reference to the study's numbered figures, tables, sections, equations and algorithms "
        "('its Fig. 25', 'Sec. III.B.5', 'Figures 8, 9 and 10'): the report refers to its own only "
        "through @-cross-references, which Quarto numbers",
    ),
    Allowed(
        "all",
        r"\b[A-Za-z]+\d+[A-Za-z\d]*\b|\b[A-Z]{2,}-\d+\b",
        "digits inside a name are part of the name, not a quantity: the L1 and L2 penalties, F1, "
        "float32, log10, Conv2D, the study's FFNN1 and FFNN2, the course FYS-STK3155, SHA-256",
    ),
    Allowed(
        "text",
        r"\bseed 0\b",
        "training seed 0 names a run, the study's own random stream (ffnn.selection.training_rng adds "
        "a training seed to the stream only above zero); the study's data seed comes from the config",
    ),
    Allowed(
        "math",
        r"[_^]\s*(?:\{(?:[^{}]|\{[^{}]*\})*\}|\\?\w)",
        "a subscript or superscript indexes a layer, a step, a class or a norm (W^{(l-1)}, beta_1, "
        "sum_{i=1}, ||.||_2, L_2, F_1) or is a power that defines the formula (x^2, g_t^2, e^{-z}); "
        "a power of ten still fails on its 10",
    ),
    Allowed(
        "math",
        r"1\s*/\s*\(1\s*\+\s*25\s*x\^2\)",
        "the 25 of Runge's function 1/(1 + 25x^2) defines the problem the study fits",
    ),
    Allowed(
        "math",
        r"(?<![\d.])[012](?!\.?\d)",
        "zero, one and two in an equation are the arithmetic of a definition, never a result: the "
        "1 - beta of a moving average, the 1/(2n) of the MSE, the 2 lambda W of the L2 penalty's "
        "gradient, max(0, z), a mean of zero, nu = n - 1, the interval (0, 1] of a ratio, r = 1 for "
        "uniform width, the domain [-1, 1] of Runge's function, n = 1 for a single fit",
    ),
    # names the report prints from its results, which need no source span (test_report's check that
    # every number shown names its source); typed text never holds them
    Allowed(
        "shown",
        r"[\w./-]+\.(?:csv|json|png|py)\b|\b[a-z]+(?:_[a-z0-9]+)+\b",
        "the names of result files, of the library's files, of rules and of settings, which the "
        "provenance appendix and the figures' captions print as names",
    ),
    Allowed(
        "shown",
        r"\b[0-9a-f]{40}\b|\b[0-9a-f]{64}\b",
        "a commit and the SHA-256 hashes of the configuration files identify the build; they measure nothing",
    ),
    Allowed(
        "shown",
        r"\[\d+(?:-\d+)+\]|\bArch \d\b",
        "a network named by its layer sizes, or by the number of the study's Table II, as the study's findings name it",
    ),
    Allowed(
        "shown",
        r"\$?\b[LF]_?[12]\b\$?",
        "the L1 and L2 penalties and the F1 score, also where math writes them with a subscript",
    ),
)


def without_allowed(text: str, places: tuple[str, ...]) -> str:
    """``text`` with every stretch that an entry for one of ``places`` allows blanked out."""
    for allowed in ALLOWED:
        if allowed.where in places:
            text = re.sub(allowed.pattern, " ", text)
    return text
