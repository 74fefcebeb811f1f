"""Small field readers shared by the XML reader (Python and native paths) and the MEDLINE reader.

Each takes text already pulled out of a record and returns the value a table column holds, so
every reader turns the same raw text into the same value.
"""

from __future__ import annotations

import re

_YEAR = re.compile(r"(1[89]\d\d|20\d\d)", re.ASCII)
# A PMID is 1-8 ASCII digits without a leading zero (PubMed's are below 100,000,000); not
# str.isdigit(), which takes superscript and Arabic-Indic digits.
_PMID = re.compile(r"[1-9][0-9]{0,7}", re.ASCII)
# A DOI is "10.", a registrant code of digits (maybe dotted), "/", and a suffix without spaces
# (https://www.doi.org/the-identifier/resources/handbook/2_numbering).
_DOI = re.compile(r"10\.[0-9]{4,9}(?:\.[0-9]+)*/\S+", re.ASCII)
_DOI_PREFIX = re.compile(r"(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE | re.ASCII)
_PMCID = re.compile(r"PMC[0-9]{1,9}", re.ASCII)
# Control characters (Unicode category Cc) that are not whitespace to str.split(): they are
# removed from text. Tab, newlines and \x1c-\x1f, \x85 are whitespace and become one space.
CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")  # ASCII digits only, as the native reader reads them
_ORCID = re.compile(r"(\d{4}-?\d{4}-?\d{4}-?\d{3}[\dX])", re.IGNORECASE | re.ASCII)


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


def without_controls(text: str) -> str:
    """``text`` with NUL and the other non-whitespace control characters removed."""
    return CONTROL.sub("", text) if CONTROL.search(text) else text


def pmid_problem(text: str | None) -> str | None:
    """Why ``text`` is not a PMID (a one-line reason), or None when it is one."""
    if text is not None and _PMID.fullmatch(text):
        return None
    shown = f"PMID {text[:40] + ('...' if len(text) > 40 else '')!r} is not valid" if text else "the PMID is empty"
    return f"{shown} (a PMID is 1-8 ASCII digits, no leading zero)"


def pmid(text: str | None) -> str | None:
    """``text`` when it is a PMID, else None (for PMIDs a record cites, not its own)."""
    return text if text is not None and _PMID.fullmatch(text) else None


def doi(text: str | None) -> str | None:
    """A DOI of the right shape ("doi:" or a doi.org URL in front is taken off), else None."""
    if not text:
        return None
    text = _DOI_PREFIX.sub("", text, count=1) if text[:1] in "dDhH" else text
    return text if _DOI.fullmatch(text) else None


def pmcid(text: str | None) -> str | None:
    """A PMC id of the right shape (PMC and 1-9 ASCII digits), else None."""
    return text if text is not None and _PMCID.fullmatch(text) else None


# Identifiers of the article_ids table whose shape is checked; other kinds are kept as given.
CHECKED_IDS = {"doi": doi, "pmc": pmcid, "pubmed": pmid}


def article_id(id_type: str, value: str) -> str | None:
    """``value`` as kept in the article_ids table: checked for DOIs, PMC ids and PMIDs (None when
    malformed), as given for the other kinds."""
    check = CHECKED_IDS.get(id_type)
    return value if check is None else check(value)
