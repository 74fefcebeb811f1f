"""Small field readers shared by the XML reader (Python and native paths) and the MEDLINE reader.

Each takes text already pulled out of a record and returns the value a table column holds, so
every reader turns the same raw text into the same value.
"""

from __future__ import annotations

import re

_YEAR = re.compile(r"(1[89]\d\d|20\d\d)", re.ASCII)  # ASCII digits only, as the native reader reads them
_ORCID = re.compile(r"(\d{4}-?\d{4}-?\d{4}-?\d{3}[\dX])", re.I | re.ASCII)


def int_year(text: str | None) -> int | None:
    """The first plausible year (1800-2099) in ``text``: '2019', '1998 Dec-1999 Jan' -> 1998."""
    m = _YEAR.search(text or "")
    return int(m.group(1)) if m else None


def orcid(raw: str | None) -> str | None:
    """An ORCID iD in its canonical 0000-0000-0000-000X form, from a bare or URL form."""
    m = _ORCID.search(raw or "")
    if not m:
        return None
    digits = m.group(1).replace("-", "").upper()
    return "-".join(digits[i:i + 4] for i in range(0, 16, 4))


def pub_date(parts: dict[str, str | None]) -> tuple[int | None, str | None]:
    """(year, printed date) from a PubDate's children by tag: Year/Month/Day, Year/Season, or MedlineDate."""
    year = parts.get("Year")
    if year:
        rest = [p for p in (parts.get("Month") or parts.get("Season"), parts.get("Day")) if p]
        return int_year(year), " ".join([year, *rest])
    medline = parts.get("MedlineDate")
    if medline:
        return int_year(medline), medline
    return None, None
