"""PubMed-format exports (MEDLINE text, ``.nbib``) -> the same tables as ``read_pubmed``.

Fields are read with ``Bio.Medline``. That reader collects repeated tags into lists and so
loses which ``AD`` (affiliation) and ``AUID`` (ORCID) line belongs to which author; the author
block is therefore read again here in file order, a few lines of work per record.
Fields the format lacks (NlmCategory, descriptor UIs, publication type UIs) stay empty.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pandas as pd
from Bio import Medline

from ..errors import ParseError
from .fields import article_id, int_year, orcid, pmid_problem, without_controls
from .fields import pmcid as checked_pmcid
from .fields import pmid as checked_pmid
from .parse import Rows
from .sources import RecordStream, Source, open_binary, source_name

# MEDLINE comment/correction tags -> the XML RefType names, so both formats fill one vocabulary.
CORRECTION_TAGS = {
    "CIN": "CommentIn", "CON": "CommentOn", "EIN": "ErratumIn", "EFR": "ErratumFor",
    "RIN": "RetractionIn", "ROF": "RetractionOf", "RPI": "RepublishedIn", "RPF": "RepublishedFrom",
    "UIN": "UpdateIn", "UOF": "UpdateOf", "SPIN": "SummaryForPatientsIn", "ORI": "OriginalReportIn",
    "ECI": "ExpressionOfConcernIn", "ECF": "ExpressionOfConcernFor", "RRI": "RetractedandRepublishedIn",
    "RRF": "RetractedandRepublishedFrom",
}
_TAG_LINE = re.compile(r"^([A-Z]{2,4})\s*-\s?(.*)$")
_REF_PMID = re.compile(r"PMID:\s*(\d+)", re.ASCII)
_LABEL = re.compile(r"(?:(?<=^)|(?<=\.\s))([A-Z][A-Z ,&/-]{2,40}):\s")


# PubMed-format lines are wrapped at 80 characters; even unwrapped abstracts are a few KB. A
# longer line means the file is something else, and reading it whole could take gigabytes.
MAX_LINE_BYTES = 1 << 20


def read_medline(source: Source) -> dict[str, pd.DataFrame]:
    """Read a PubMed-format export (MEDLINE text, ``.nbib``, ``.txt``) into tables.

    The file is read line by line, one record at a time; a line longer than
    ``MAX_LINE_BYTES`` is refused before it is read whole. Control characters other than
    whitespace are removed from the text.

    Parameters
    ----------
    source:
        A path (plain or gzip-compressed) or a binary file object.

    Returns
    -------
    dict[str, pandas.DataFrame]
        The same tables as :func:`evidence.read_pubmed`.

    Raises
    ------
    ParseError
        Empty, not UTF-8 text, a line over ``MAX_LINE_BYTES``, not in PubMed format (no
        ``PMID-`` line starting each record), or a record whose PMID is not valid (with the
        record's number and line).
    """
    name = source_name(source)
    rows = Rows()
    last_pmid: str | None = None
    position = 0
    with open_binary(source) as fh:
        for line_number, block in _blocks(fh, name):
            position += 1
            if not block.startswith("PMID-"):
                raise ParseError(
                    f"not in PubMed format at line {line_number}: each record must start with a 'PMID- ' line "
                    "(on PubMed use Save -> Format: PubMed)", source=name, pmid=last_pmid,
                )
            try:
                record = Medline.read(io.StringIO(block + "\n"))
            except Exception as exc:  # Bio.Medline raises bare ValueError/KeyError on damaged records
                raise ParseError(f"damaged PubMed-format record at line {line_number} ({exc})", source=name,
                                 pmid=last_pmid) from exc
            problem = pmid_problem(str(record.get("PMID", "")).strip())
            if problem:
                raise ParseError(f"record {position} (line {line_number}): {problem}; the file is refused",
                                 source=name, pmid=last_pmid)
            _record(record, block, rows)
            last_pmid = str(record["PMID"]).strip()
    if not position:
        raise ParseError("the file is empty; give a PubMed-format (.nbib/MEDLINE) export", source=name)
    return rows.frames(name)


def _blocks(fh: RecordStream, name: str) -> Iterator[tuple[int, str]]:
    """The records of a PubMed-format stream: (number of its first line, its text), split at blank lines."""
    lines: list[str] = []
    start = 0
    for number, raw in enumerate(iter(lambda: fh.readline(MAX_LINE_BYTES + 1), b""), start=1):
        if len(raw) > MAX_LINE_BYTES:
            raise ParseError(f"line {number} is longer than {MAX_LINE_BYTES:,} bytes, which no PubMed-format export "
                             "has; give a PubMed-format (.nbib/MEDLINE) export", source=name)
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(f"line {number} is not UTF-8 text; give a PubMed-format (.nbib/MEDLINE) export",
                             source=name) from exc
        line = without_controls(line.rstrip("\r\n"))
        if not line.strip():
            if lines:
                yield start, "\n".join(lines)
                lines = []
            continue
        if not lines:
            start = number
            line = line.lstrip()
        lines.append(line)
    if lines:
        yield start, "\n".join(lines)


def _list(record: dict, tag: str) -> list[str]:
    value = record.get(tag, [])
    values = [value] if isinstance(value, str) else list(value)
    return [v for v in (_clean(x) for x in values) if v]


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _ids(record: dict) -> dict[str, list[str]]:
    """AID/LID lines look like '10.1093/x [doi]'; group the values by their bracketed type.

    Malformed DOIs, PMC ids and PMIDs are dropped (``fields.article_id``)."""
    ids: dict[str, list[str]] = {}
    for raw in _list(record, "AID") + _list(record, "LID"):
        m = re.match(r"(.+?)\s*\[(\w+)\]\s*$", raw)
        if m is None:
            continue
        id_type, value = m.group(2), article_id(m.group(2), m.group(1).strip())
        if value is not None and value not in ids.get(id_type, []):
            ids.setdefault(id_type, []).append(value)
    return ids


def _record(record: dict, block: str, rows: Rows) -> None:
    pmid = str(record["PMID"]).strip()
    rows.begin(pmid)
    ids = _ids(record)
    pmcid = checked_pmcid(_clean(record.get("PMC")))
    rows.add("article_ids", pmid=pmid, id_type="pubmed", value=pmid)
    for id_type, values in ids.items():
        for v in values:
            rows.add("article_ids", pmid=pmid, id_type=id_type, value=v)
    if pmcid:
        rows.add("article_ids", pmid=pmid, id_type="pmc", value=pmcid)

    abstract = _clean(record.get("AB"))
    if abstract:
        for position, (label, text) in enumerate(_split_labels(abstract), start=1):
            rows.add("abstract_sections", pmid=pmid, position=position, label=label, nlm_category=None, text=text)
        abstract = "\n".join(f"{label}: {text}" if label else text for label, text in _split_labels(abstract))

    ptypes = []
    for pt in _list(record, "PT"):  # already cleaned, none empty
        if pt not in ptypes:
            ptypes.append(pt)
            rows.add("publication_types", pmid=pmid, publication_type=pt, ui=None)

    kinds = set()
    for tag, ref_type in CORRECTION_TAGS.items():
        for ref in _list(record, tag):
            kinds.add(ref_type)
            m = _REF_PMID.search(ref)
            rows.add("corrections", pmid=pmid, ref_type=ref_type, ref_pmid=checked_pmid(m.group(1)) if m else None, ref_source=_clean(_REF_PMID.sub("", ref).rstrip(" .")))

    for mh in _list(record, "MH"):
        descriptor, *quals = [p.strip() for p in mh.split("/")]
        if not descriptor.lstrip("*"):
            continue
        major = descriptor.startswith("*") or any(q.startswith("*") for q in quals)
        rows.add(
            "mesh", pmid=pmid, descriptor=descriptor.lstrip("*"), descriptor_ui=None, major=major,
            qualifiers=[q.lstrip("*") for q in quals if q.lstrip("*")],
        )

    _authors(block, pmid, rows)
    dp = _clean(record.get("DP"))
    year = int_year(dp) or int_year(_clean(record.get("DEP")))
    languages = _list(record, "LA")
    rows.add(
        "articles",
        pmid=pmid,
        title=_clean(record.get("TI")) or _clean(record.get("BTI")),
        abstract=abstract,
        journal=_clean(record.get("JT")) or _clean(record.get("BTI")),
        journal_iso=_clean(record.get("TA")),
        volume=_clean(record.get("VI")),
        issue=_clean(record.get("IP")),
        pages=_clean(record.get("PG")),
        year=year,
        pub_date=dp,
        doi=ids["doi"][0] if ids.get("doi") else None,
        pmcid=pmcid,
        language=languages[0] if languages else None,
        country=_clean(record.get("PL")),
        publication_types=ptypes,
        status=_clean(record.get("STAT")),
        is_retracted="RetractionIn" in kinds or "Retracted Publication" in ptypes,
        has_abstract=abstract is not None,
        record_type="book" if record.get("BTI") and not record.get("JT") else "article",
    )


def _split_labels(abstract: str) -> list[tuple[str | None, str]]:
    """MEDLINE text flattens structured abstracts to 'LABEL: text LABEL: text'; split them back."""
    marks = list(_LABEL.finditer(abstract))
    if not marks or marks[0].start() != 0:
        return [(None, abstract)]
    parts = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(abstract)
        text = abstract[m.end():end].strip()
        if text:
            parts.append((m.group(1).strip(), text))
    return parts


def _authors(block: str, pmid: str, rows: Rows) -> None:
    """Read FAU/AU/CN/AD/AUID in file order, so each affiliation stays with its author."""
    authors: list[dict] = []
    last_tag = None
    for line in block.split("\n"):
        m = _TAG_LINE.match(line)
        if not m:
            if last_tag == "AD" and authors and line.startswith("      "):
                authors[-1]["affiliations"][-1] += " " + line.strip()
            continue
        tag, value = m.group(1), m.group(2).strip()
        last_tag = tag
        if not value:
            continue  # an empty field (e.g. a cut-off export) names no author
        if tag == "FAU":
            last, _, fore = value.partition(",")
            authors.append({"last_name": last.strip() or None, "fore_name": fore.strip() or None,
                            "initials": None, "collective_name": None, "affiliations": [], "orcid": None, "au": False})
        elif tag == "AU":
            if authors and not authors[-1]["au"] and authors[-1]["collective_name"] is None:
                authors[-1]["initials"] = value.rpartition(" ")[2] or None
                authors[-1]["au"] = True
            else:  # an AU with no FAU before it (older exports)
                last, _, initials = value.rpartition(" ")
                authors.append({"last_name": last or value, "fore_name": None, "initials": initials or None,
                                "collective_name": None, "affiliations": [], "orcid": None, "au": True})
        elif tag == "CN":
            authors.append({"last_name": None, "fore_name": None, "initials": None, "collective_name": value,
                            "affiliations": [], "orcid": None, "au": True})
        elif tag == "AD" and authors:
            authors[-1]["affiliations"].append(value)
        elif tag == "AUID" and authors and "ORCID" in value.upper():
            authors[-1]["orcid"] = orcid(value)
    for position, a in enumerate(authors, start=1):
        a.pop("au")
        a["affiliations"] = [_clean(x) for x in a["affiliations"] if _clean(x)]
        rows.add("authors", pmid=pmid, position=position, **a)
