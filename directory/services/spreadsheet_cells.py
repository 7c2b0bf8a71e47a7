"""Cells that a spreadsheet would run as formulas, made inert on export and restored on
import (OWASP, "CSV injection").

A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written
with a leading apostrophe (``'=1+2``), in CSV and XLSX alike; so is a cell that already
begins with apostrophes followed by one of those characters, so that the import, which
removes exactly one leading apostrophe from such a cell, gives back the value as it was.
Plain numbers (``-1.5``, a longitude) are no formulas and stay as they are.
"""

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def _quoted_trigger(value: str) -> bool:
    """Apostrophes, then a formula character (``'=x``, ``''-x``)."""
    return value.startswith(QUOTE) and value.lstrip(QUOTE).startswith(FORMULA_TRIGGERS)


def neutralise(value: str) -> str:
    """``value`` as a spreadsheet may show it without running it."""
    if value.startswith(FORMULA_TRIGGERS) and not _NUMBER.match(value):
        return QUOTE + value
    if _quoted_trigger(value):
        return QUOTE + value
    return value


def restore(value: str) -> str:
    """The inverse of ``neutralise`` (used by the import on every cell)."""
    return value[1:] if _quoted_trigger(value) else value
