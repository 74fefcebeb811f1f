"""Citations: AMA, Vancouver and APA text, and BibTeX, RIS, CSL-JSON and PubMed (nbib) exports.

Everything starts from CSL-JSON items built from the record tables (:func:`csl_items`), so every
format says the same thing about an article::

    tables = evidence.load()
    print(cite(["39401008", "34489268"], tables))                 # AMA reference list
    print(cite(["39401008"], tables, style="apa"))
    open("refs.ris", "w").write(cite(["39401008"], tables, fmt="ris"))
    cite_comparison(synthesis.group("sham", "leg_pain_vas"), tables, fmt="bibtex")

Identifiers are PMIDs, or the ``study_id`` of a curated study without one (``doi:...``,
``ref:...``), which is cited from the ``studies`` table. :func:`cite` refuses a list with an
unknown identifier; :func:`cite_available` cites the known ones and names the rest, and the
citations that lack a title or a year (:func:`missing_parts`), which are never given a
placeholder title.

What a publishable reference needs: volume, issue and pages, and the NLM journal abbreviation
(``articles.journal_iso``; for the snapshot, ``studies.journal_abbrev`` with the page that showed
it) in AMA and Vancouver (APA spells the journal out); the PMID at the end of AMA and Vancouver
references; a year never seen is "[date unknown]" (Vancouver, as Citing Medicine writes it),
"(date unknown)" (APA) or left out (AMA), never "n.d.", which would say the work is undated.

Who formats what:

* text: citeproc-py with the CSL styles shipped in ``evidence/outputs/csl/`` (CC BY-SA, see the README
  there); BibTeX: bibtexparser; RIS: rispy; CSL-JSON: :mod:`json`; nbib: written here, in the
  tag order of PubMed's own export, and read back by :func:`evidence.read_medline`.
* Safety: every value is made one line of text (:func:`clean_text`) before any format sees it,
  so a title or name cannot start a RIS or nbib record or a field; BibTeX values are also
  LaTeX-escaped (:func:`bibtex_text`: braces as ``\\textbraceleft``/``\\textbraceright``, which
  keep BibTeX's brace count balanced) and the DOI, a verbatim field, is percent-encoded where
  it holds ``{``, ``}``, ``\\`` or ``%``.
* Names: a surname with lower-case leading words ("van der Berg", "de la Cruz") keeps them as
  the CSL ``non-dropping-particle`` (BibTeX "von" part), so styles print and sort them as the
  Dutch and Spanish conventions want; a group author is a CSL ``literal`` (braced in BibTeX).

Retractions, errata and expressions of concern (``corrections`` table, ``articles.is_retracted``)
are never silent: text citations end with a visible marker such as ``[RETRACTED: ...]``; BibTeX,
RIS and CSL-JSON carry it in a note; nbib carries PubMed's own ``RIN``/``EIN``/``ECI`` lines.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

import bibtexparser
import pandas as pd
import rispy
from bibtexparser import model as bibmodel
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from ..errors import InputError
from ..ingest.medline import CORRECTION_TAGS
from ..tables.schema import RECORD_TABLES, empty_frame
from ..tables.snapshot import snapshot_records

STYLES = {"ama": "american-medical-association", "vancouver": "nlm-citation-sequence", "apa": "apa"}
"""Style names accepted by :func:`cite`, and the CSL file (in ``evidence/outputs/csl/``) each uses."""
FORMATS = ("text", "bibtex", "ris", "csljson", "nbib")
"""Output formats accepted by :func:`cite`."""

FLAGGED_CORRECTIONS = {
    "RetractionIn": "RETRACTED",
    "PartialRetractionIn": "PARTIALLY RETRACTED",
    "ExpressionOfConcernIn": "Expression of concern",
    "ErratumIn": "Erratum",
}
"""Correction types a citation must show, with the word its marker starts with."""

_TAG_FOR_CORRECTION = {ref_type: tag for tag, ref_type in CORRECTION_TAGS.items()}


@dataclass(frozen=True)
class Flag:
    """One correction that a citation must show.

    Attributes
    ----------
    kind:
        ``RetractionIn``, ``PartialRetractionIn``, ``ExpressionOfConcernIn`` or ``ErratumIn``.
    ref_source:
        Citation of the notice as PubMed gives it (may be None).
    ref_pmid:
        PMID of the notice (may be None).
    """

    kind: str
    ref_source: str | None = None
    ref_pmid: str | None = None

    @property
    def marker(self) -> str:
        """The visible marker, e.g. ``[RETRACTED: Invent Rev. 2020;5:1 (PMID 99000009)]``."""
        where = " ".join(p for p in (self.ref_source, f"(PMID {self.ref_pmid})" if self.ref_pmid else None) if p)
        return f"[{FLAGGED_CORRECTIONS[self.kind]}: {where or 'see the PubMed record'}]"


def correction_flags(ids: Iterable[str], tables: dict[str, pd.DataFrame]) -> dict[str, list[Flag]]:
    """Correction flags per identifier (retraction first), for identifiers that have any.

    An article marked ``is_retracted`` without a ``RetractionIn`` row (a record typed
    "Retracted Publication") still gets a retraction flag.
    """
    ids = [str(i) for i in ids]
    corrections = tables.get("corrections", empty_frame(RECORD_TABLES["corrections"]))
    corrections = corrections[corrections["pmid"].isin(ids) & corrections["ref_type"].isin(list(FLAGGED_CORRECTIONS))]
    order = list(FLAGGED_CORRECTIONS)
    flags: dict[str, list[Flag]] = {}
    for row in corrections.itertuples(index=False):
        flags.setdefault(row.pmid, []).append(Flag(row.ref_type, _text(row.ref_source), _text(row.ref_pmid)))
    articles = tables.get("articles", empty_frame(RECORD_TABLES["articles"]))
    retracted = articles.loc[articles["pmid"].isin(ids) & articles["is_retracted"].fillna(False).astype(bool), "pmid"]
    for pmid in retracted:
        if not any(f.kind == "RetractionIn" for f in flags.get(pmid, [])):
            flags.setdefault(pmid, []).append(Flag("RetractionIn"))
    return {k: sorted(v, key=lambda f: order.index(f.kind)) for k, v in flags.items()}


def _text(value) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def clean_text(value) -> str | None:
    """One line of text: control characters dropped, each run of whitespace one space.

    Every value a citation carries passes through here, so no title, name or DOI can end a
    line: a line break followed by ``TY  - `` or ``PMID- `` cannot start a RIS or nbib record,
    and a text reference list keeps one reference per line. None when nothing is left.
    """
    text = _text(value)
    if text is None:
        return None
    text = " ".join(_CONTROL.sub("", text).split())
    return text or None


def _csl_name(last, fore, initials, collective) -> dict:
    """A CSL name: literal for a group, particles split off the family name."""
    if clean_text(collective):
        return {"literal": clean_text(collective)}
    name: dict[str, str] = {}
    tokens = (clean_text(last) or "").split()
    # Leading lower-case words of a surname are a non-dropping particle ("van der Berg"); a
    # surname made only of lower-case words is kept whole rather than left without a family.
    lead = 0
    while lead < len(tokens) - 1 and tokens[lead][:1].islower():
        lead += 1
    if lead:
        name["non-dropping-particle"] = " ".join(tokens[:lead])
    name["family"] = " ".join(tokens[lead:])
    initials = clean_text(initials)
    given = clean_text(fore) or (" ".join(f"{c}." for c in initials) if initials else None)
    if given:
        name["given"] = given
    return name


def _record_tables(ids: list[str], tables: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Articles and authors for every known id (the record tables, then curated studies
    without a record), and the ids found in neither."""
    articles = tables.get("articles", empty_frame(RECORD_TABLES["articles"]))
    authors = tables.get("authors", empty_frame(RECORD_TABLES["authors"]))
    studies = tables.get("studies")
    missing = [i for i in ids if i not in set(articles["pmid"])]
    if missing and studies is not None:
        # Studies without a PMID are keyed by study_id; snapshot_records builds their record
        # rows the same way it does for studies with one, so both are cited alike.
        extra = studies[studies["study_id"].isin(missing) | studies["pmid"].isin(missing)]
        extra = extra.assign(pmid=extra["study_id"].where(extra["study_id"].isin(missing), extra["pmid"]))
        built = snapshot_records(extra)
        articles = pd.concat([articles, built["articles"]], ignore_index=True)
        authors = pd.concat([authors, built["authors"]], ignore_index=True)
    unknown = [i for i in ids if i not in set(articles["pmid"])]
    return {"articles": articles, "authors": authors}, unknown


def _unknown_message(unknown: list[str]) -> str:
    shown = ", ".join(unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
    first = unknown[0] if unknown[0].isdigit() else "<PMID>"
    return (f"cannot cite {shown}: not in the tables; add its record with `evidence fetch` (the query "
            f"\"{first}[uid]\"), or export it from PubMed (Send to > Citation manager, .nbib) and run "
            "`evidence import <file>`")


_ITEM_FIELDS = {"title": "title", "container-title": "journal", "container-title-short": "journal_iso",
                "volume": "volume", "issue": "issue", "page": "pages", "DOI": "doi", "PMCID": "pmcid"}
"""CSL-JSON variable -> articles column."""


def _items(ids: Iterable[str], tables: dict[str, pd.DataFrame]) -> tuple[list[dict], list[str]]:
    """CSL-JSON items for the known ids, in the order given, and the unknown ids."""
    ids = list(dict.fromkeys(str(i).strip() for i in ids))
    records, unknown = _record_tables(ids, tables)
    articles = records["articles"].drop_duplicates("pmid").set_index("pmid")
    authors = records["authors"].sort_values(["pmid", "position"])
    known = [i for i in ids if i not in unknown]
    flags = correction_flags(known, tables)
    items = []
    for record_id in known:
        a = articles.loc[record_id]
        item: dict = {"id": record_id, "type": "book" if a["record_type"] == "book" else "article-journal"}
        names = authors[authors["pmid"] == record_id]
        if len(names):
            item["author"] = [_csl_name(r.last_name, r.fore_name, r.initials, r.collective_name)
                              for r in names.itertuples(index=False)]
        for csl_key, column in _ITEM_FIELDS.items():
            value = clean_text(a.get(column))
            if value:
                item[csl_key] = value
        if item["type"] == "book" and "container-title" in item:
            item["publisher"] = item.pop("container-title")
        if record_id.isdigit():
            item["PMID"] = record_id
        if not pd.isna(a.get("year")):
            item["issued"] = {"date-parts": [[int(a["year"])]]}
        if record_id in flags:
            item["note"] = clean_text(" ".join(f.marker for f in flags[record_id]))
        items.append(item)
    return items, unknown


def csl_items(ids: Iterable[str], tables: dict[str, pd.DataFrame]) -> list[dict]:
    """CSL-JSON items, in the order given (duplicates dropped).

    Parameters
    ----------
    ids:
        PMIDs, or study ids of curated studies without a PMID.
    tables:
        Tables from :func:`evidence.load` or :func:`evidence.read_pubmed`.

    Returns
    -------
    list of dict
        One CSL-JSON item per identifier. Missing fields are left out, never empty or filled
        with a placeholder (a title never seen stays out: see :func:`missing_parts`). Text
        values are one line each (:func:`clean_text`). A flagged correction adds a ``note``
        (e.g. ``[RETRACTED: ...]``).

    Raises
    ------
    InputError
        An identifier is in no table; the message names it and says how to add it.
    """
    items, unknown = _items(ids, tables)
    if unknown:
        raise InputError(_unknown_message(unknown))
    return items


REQUIRED_PARTS = {"title": "title", "issued": "year"}
"""CSL variables a citation cannot be published without, and the word that names each."""


def missing_parts(item: dict) -> list[str]:
    """What a CSL item lacks to be a complete citation (``["title", "year"]`` at most)."""
    return [word for key, word in REQUIRED_PARTS.items() if key not in item]


def _style(style: str) -> CitationStylesStyle:
    if style not in STYLES:
        raise InputError(f"unknown citation style {style!r}; use one of {', '.join(STYLES)}")
    path = resources.files("evidence.outputs") / "csl" / f"{STYLES[style]}.csl"
    with resources.as_file(path) as csl:
        return CitationStylesStyle(str(csl), validate=False)


UNKNOWN_DATE = {"vancouver": "[date unknown]", "apa": "date unknown"}
"""What each style prints for a year never seen. Citing Medicine (NLM) writes "[date unknown]";
APA's "n.d." would claim the work is undated, so APA says "date unknown"; AMA leaves it out."""

PMID_LABEL = {"ama": "PMID: {}"}
"""Styles whose CSL file does not print the PMID, and how it is added (Vancouver's does)."""

_NUMBER = re.compile(r"^(\d+)\.(?=\S)")
_LEADING_NUMBER = re.compile(r"^\d+\.")
_IDENTIFYING = ("title", "author", "container-title", "publisher")


def format_references(items: list[dict], style: str = "ama") -> list[str]:
    """One plain-text reference per item, each followed by its correction markers.

    Numbered styles (AMA, Vancouver) keep the order given and citeproc's number ("1. ...");
    APA references come in the style's own alphabetical order, unnumbered. The journal is
    abbreviated where the NLM abbreviation is known; AMA and Vancouver end with the PMID. A
    year never seen is said as :data:`UNKNOWN_DATE` gives it, never as "n.d.". The markers
    are appended here rather than left to the style, because not every style prints a note.
    """
    csl = _style(style)
    styled = []
    for item in items:
        item = {k: v for k, v in item.items() if k != "note"}
        if "issued" not in item and style in UNKNOWN_DATE:
            item["issued"] = {"literal": UNKNOWN_DATE[style]}
        styled.append(item)
    bibliography = CitationStylesBibliography(csl, CiteProcJSON(styled), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    bibliography.sort()
    # citeproc-py keys items by their lower-cased id.
    by_key = {item["id"].lower(): item for item in items}
    out = []
    for key, entry in zip(bibliography.keys, bibliography.bibliography()):
        item = by_key[key]
        text = _NUMBER.sub(r"\1. ", str(entry).strip())
        if not any(item.get(k) for k in _IDENTIFYING):
            # Nothing a reader could look the work up by: say so under its study id.
            number = _LEADING_NUMBER.match(text)
            text = f"{number.group() + ' ' if number else ''}{item['id']}: no title, authors or journal recorded"
        elif item.get("title") and not item.get("author"):
            text = _drop_repeated_title(text, item["title"])
        if style in PMID_LABEL and item.get("PMID"):
            text = f"{text} {PMID_LABEL[style].format(item['PMID'])}"
        out.append(f"{text} {item['note']}" if item.get("note") else text)
    return out


def _drop_repeated_title(text: str, title: str) -> str:
    """Print a title that stands in for a missing author once, as the CSL specification says.

    citeproc-py does not suppress a variable after ``<substitute>`` has used it, so an
    authorless reference would show its title twice.
    """
    first = text.find(title)
    second = text.find(title, first + len(title)) if first >= 0 else -1
    if second < 0:
        return text
    rest = re.sub(r"^\.?\s*", "", text[second + len(title):])
    return (text[:second] + rest).rstrip()


# BibTeX: every text value is LaTeX, so the characters LaTeX or a BibTeX parser read as syntax
# are written as LaTeX escapes. Braces become \textbraceleft/\textbraceright, never "\{": BibTeX
# counts every brace, escaped or not, so one unbalanced "\{" in a name would end the field.
_LATEX = {"\\": r"\textbackslash{}", "{": r"{\textbraceleft}", "}": r"{\textbraceright}",
          "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
          "~": r"{\textasciitilde}", "^": r"{\textasciicircum}"}
_LATEX_SPECIAL = re.compile("[" + re.escape("".join(_LATEX)) + "]")
# TeX ligatures ("--" is a dash, "``" a quote, "?`" an inverted question mark) are broken by an
# empty group, so the characters print as typed.
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=[`'])(?=[`'])|(?<=[?!])(?=`)")
# A name part BibTeX would split or reorder: a comma, or the word "and" between authors.
_NAME_SEPARATOR = re.compile(r",|\band\b", re.IGNORECASE)
# Verbatim fields (doi) are not LaTeX: characters that would unbalance braces are
# percent-encoded, as in a DOI's URL form, and read back with urllib.parse.unquote.
_VERBATIM_SPECIAL = re.compile(r"[%{}\\]")


def bibtex_text(text: str) -> str:
    """``text`` as a LaTeX string that reads back, after LaTeX decoding, as ``text``."""
    return _LIGATURE.sub("{}", _LATEX_SPECIAL.sub(lambda m: _LATEX[m.group()], text))


def _bibtex_verbatim(text: str) -> str:
    return _VERBATIM_SPECIAL.sub(lambda m: f"%{ord(m.group()):02X}", text)


def _bibtex_pages(pages: str) -> str:
    """A page range with BibTeX's en dash ("101--110"); other text as written."""
    start, dash, end = pages.partition("-")
    if not dash:
        return bibtex_text(pages)
    return bibtex_text(start) + "--" + ("{}" if end.startswith("-") else "") + bibtex_text(end)


def _bibtex_name_part(text: str) -> str:
    latex = bibtex_text(text)
    return "{" + latex + "}" if _NAME_SEPARATOR.search(text) else latex


def _bibtex_name(name: dict) -> str:
    if "literal" in name:
        return "{" + bibtex_text(name["literal"]) + "}"
    last = " ".join(_bibtex_name_part(p) for p in (name.get("non-dropping-particle"), name["family"]) if p)
    return f"{last}, {_bibtex_name_part(name['given'])}" if name.get("given") else last


def _bibtex_key(item: dict) -> str:
    if item.get("PMID"):
        return f"pmid{item['PMID']}"
    return re.sub(r"[^A-Za-z0-9]+", "_", item["id"]).strip("_")


def _to_bibtex(items: list[dict]) -> str:
    library = bibtexparser.Library()
    for item in items:
        latex = {key: bibtex_text(item[csl]) for key, csl in (
            ("journal", "container-title"), ("shortjournal", "container-title-short"), ("publisher", "publisher"),
            ("volume", "volume"), ("number", "issue"), ("pmid", "PMID"), ("pmcid", "PMCID"), ("note", "note"),
        ) if item.get(csl)}
        fields = {
            "author": " and ".join(_bibtex_name(n) for n in item.get("author", [])) or None,
            # Double braces keep the title's capitals as they are.
            "title": "{" + bibtex_text(item["title"]) + "}" if item.get("title") else None,
            "journal": latex.get("journal"), "shortjournal": latex.get("shortjournal"),
            "publisher": latex.get("publisher"),
            "year": str(item["issued"]["date-parts"][0][0]) if item.get("issued") else None,
            "volume": latex.get("volume"), "number": latex.get("number"),
            "pages": _bibtex_pages(item["page"]) if item.get("page") else None,
            "doi": _bibtex_verbatim(item["DOI"]) if item.get("DOI") else None,
            "pmid": latex.get("pmid"), "pmcid": latex.get("pmcid"), "note": latex.get("note"),
        }
        entry_type = "book" if item["type"] == "book" else "article"
        library.add(bibmodel.Entry(entry_type, _bibtex_key(item),
                                   [bibmodel.Field(k, v) for k, v in fields.items() if v]))
    return bibtexparser.write_string(library)


def _ris_name(name: dict) -> str:
    if "literal" in name:
        return name["literal"]
    last = " ".join(p for p in (name.get("non-dropping-particle"), name["family"]) if p)
    return f"{last}, {name['given']}" if name.get("given") else last


class _RisWriter(rispy.RisWriter):
    """rispy's writer without its "1." line before each record, which RIS itself does not have."""

    def set_header(self, count: int) -> str:
        return ""


def _to_ris(items: list[dict]) -> str:
    entries = []
    for item in items:
        start, _, end = (item.get("page") or "").partition("-")
        entry = {
            "type_of_reference": "BOOK" if item["type"] == "book" else "JOUR",
            "authors": [_ris_name(n) for n in item.get("author", [])],
            "title": item.get("title"), "journal_name": item.get("container-title"),
            "alternate_title1": item.get("container-title-short"), "publisher": item.get("publisher"),
            "year": str(item["issued"]["date-parts"][0][0]) if item.get("issued") else None,
            "volume": item.get("volume"), "number": item.get("issue"),
            "start_page": start or None, "end_page": end or None, "doi": item.get("DOI"),
            "accession_number": item.get("PMID"),
            "name_of_database": "PubMed" if item.get("PMID") else None,
            "urls": [f"https://pubmed.ncbi.nlm.nih.gov/{item['PMID']}/"] if item.get("PMID") else [],
            "notes": [item["note"]] if item.get("note") else [],
        }
        entries.append({k: v for k, v in entry.items() if v})
    return rispy.dumps(entries, implementation=_RisWriter)


def _nbib_author_lines(name: dict) -> list[str]:
    if "literal" in name:
        return [f"CN  - {name['literal']}"]
    last = " ".join(p for p in (name.get("non-dropping-particle"), name["family"]) if p)
    given = name.get("given")
    initials = "".join(w[0] for w in re.split(r"[\s.-]+", given) if w) if given else ""
    lines = [f"FAU - {last}, {given}" if given else f"FAU - {last}"]
    lines.append(f"AU  - {last} {initials}".rstrip())
    return lines


def _to_nbib(items: list[dict], tables: dict[str, pd.DataFrame]) -> str:
    """PubMed ("MEDLINE") format, as PubMed's "Citation manager" export writes it."""
    flags = correction_flags([i["id"] for i in items], tables)
    records = []
    for item in items:
        lines = [f"PMID- {item['PMID']}"] if item.get("PMID") else []
        year = str(item["issued"]["date-parts"][0][0]) if item.get("issued") else None
        for tag, value in (("DP  ", year), ("TI  ", item.get("title")), ("VI  ", item.get("volume")),
                           ("IP  ", item.get("issue")), ("PG  ", item.get("page"))):
            if value:
                lines.append(f"{tag}- {value}")
        if item.get("DOI"):
            lines.append(f"LID - {item['DOI']} [doi]")
        for name in item.get("author", []):
            lines.extend(_nbib_author_lines(name))
        if any(f.kind == "RetractionIn" for f in flags.get(item["id"], [])):
            lines.append("PT  - Retracted Publication")
        for tag, value in (("TA  ", item.get("container-title-short")), ("JT  ", item.get("container-title") or item.get("publisher"))):
            if value:
                lines.append(f"{tag}- {value}")
        if item.get("DOI"):
            lines.append(f"AID - {item['DOI']} [doi]")
        if item.get("PMCID"):
            lines.append(f"PMC - {item['PMCID']}")
        for flag in flags.get(item["id"], []):
            correction_tag = _TAG_FOR_CORRECTION.get(flag.kind)
            if correction_tag:
                pmid = f" PMID: {flag.ref_pmid}" if flag.ref_pmid else ""
                lines.append(f"{correction_tag:<4}- {flag.ref_source or 'notice'}.{pmid}".replace("..", "."))
        records.append("\n".join(lines))
    return "\n\n".join(records) + "\n"


@dataclass(frozen=True)
class Citations:
    """References for the identifiers that could be cited, and what kept the rest back.

    Attributes
    ----------
    text:
        The references in the requested style or export format.
    unknown:
        Identifiers in no table (not cited).
    incomplete:
        Identifier -> the parts its citation lacks (:func:`missing_parts`); these are cited
        with what is known, but are not fit for publication as they stand.
    """

    text: str
    unknown: tuple[str, ...] = ()
    incomplete: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """True when every identifier was cited with a title and a year."""
        return not self.unknown and not self.incomplete

    def problems(self) -> list[str]:
        """One line per problem, for the user: the unknown identifiers, then the incomplete ones."""
        lines = [f"not cited: {_unknown_message(list(self.unknown))}"] if self.unknown else []
        for record_id, parts in self.incomplete.items():
            lines.append(f"incomplete citation: {record_id} has no {' and no '.join(parts)} in the tables; "
                         "find it on the source before publishing this reference")
        return lines


def cite_available(ids: Iterable[str], tables: dict[str, pd.DataFrame], style: str = "ama",
                   fmt: str = "text") -> Citations:
    """Cite the identifiers that can be cited, and say which cannot, or only in part.

    Parameters
    ----------
    ids, tables, style, fmt:
        As for :func:`cite`.

    Returns
    -------
    Citations
        The references of the known identifiers, in the order given, with the unknown ones
        and the incomplete ones (no title or no year) named.

    Raises
    ------
    InputError
        None of the identifiers is known (the message says how to add them), or the style or
        format is unknown.
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown citation format {fmt!r}; use one of {', '.join(FORMATS)}")
    items, unknown = _items(ids, tables)
    if unknown and not items:
        raise InputError(_unknown_message(unknown))
    if fmt == "text":
        text = "\n".join(format_references(items, style)) + ("\n" if items else "")
    elif fmt == "csljson":
        text = json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "bibtex":
        text = _to_bibtex(items)
    elif fmt == "ris":
        text = _to_ris(items)
    else:
        text = _to_nbib(items, tables)
    incomplete = {item["id"]: tuple(missing_parts(item)) for item in items if missing_parts(item)}
    return Citations(text, tuple(unknown), incomplete)


def cite(ids: Iterable[str], tables: dict[str, pd.DataFrame], style: str = "ama", fmt: str = "text") -> str:
    """Cite articles by PMID (or curated study id) in one style or export format.

    Parameters
    ----------
    ids:
        PMIDs, or ``study_id`` values of curated studies without a PMID. Order is kept;
        duplicates are dropped.
    tables:
        Tables from :func:`evidence.load` (or :func:`evidence.read_pubmed`).
    style:
        ``"ama"`` (default), ``"vancouver"`` or ``"apa"``; used by ``fmt="text"``.
    fmt:
        ``"text"`` (a reference list, one per line), ``"bibtex"``, ``"ris"``, ``"csljson"``
        or ``"nbib"`` (PubMed format).

    Returns
    -------
    str
        The references. Retracted or corrected articles carry a visible flag in every format.
        Every value is one line of text, and BibTeX values are LaTeX-escaped, so no title,
        name or DOI can add a field or a record to an export.

    Raises
    ------
    InputError
        Unknown identifier (the message says how to add it), style or format.
        :func:`cite_available` cites the known identifiers of a list and names the others.
    """
    result = cite_available(ids, tables, style=style, fmt=fmt)
    if result.unknown:
        raise InputError(_unknown_message(list(result.unknown)))
    return result.text


def cited_ids(source) -> list[str]:
    """The citable identifiers behind a comparison or a report, in table order.

    Parameters
    ----------
    source:
        A :class:`~evidence.synthesize.synthesis.ComparisonGroup`, a :class:`~evidence.synthesize.synthesis.Synthesis`,
        or a DataFrame with ``study_id`` and/or ``pmid`` columns (the evidence table, the
        studies or findings table, ``Synthesis.rows``).

    Returns
    -------
    list of str
        The PMID of each study, else its study id (curated studies without a PMID).
    """
    frame = source if isinstance(source, pd.DataFrame) else source.rows
    pmid = frame["pmid"] if "pmid" in frame else pd.Series(pd.NA, index=frame.index)
    study = frame["study_id"] if "study_id" in frame else pd.Series(pd.NA, index=frame.index)
    ids = pmid.astype("string").fillna(study.astype("string")).dropna()
    return list(dict.fromkeys(ids.tolist()))


def cite_comparison(source, tables: dict[str, pd.DataFrame], style: str = "ama", fmt: str = "text") -> str:
    """Cite every study of a comparison group, a synthesis or an evidence table.

    Parameters
    ----------
    source:
        See :func:`cited_ids`.
    tables, style, fmt:
        As for :func:`cite`.

    Returns
    -------
    str
        The references (empty string when the source has no studies).
    """
    ids = cited_ids(source)
    return cite(ids, tables, style=style, fmt=fmt) if ids else ""
