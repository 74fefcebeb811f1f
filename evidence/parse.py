"""PubMed efetch XML -> tidy tables, streaming.

``read_pubmed`` walks the file with ``lxml.etree.iterparse``, turns each ``PubmedArticle`` or
``PubmedBookArticle`` into plain rows, then clears the element, so memory holds the growing
column lists and nothing else. Text is taken with ``itertext()`` so inline markup (``<i>``,
``<sup>``, MathML) keeps its words, a trap that cuts titles short in several peer parsers.

Safety: entities are not resolved, no DTD is loaded, nothing is fetched over the network.
"""

from __future__ import annotations

import re
from typing import Iterable

import pandas as pd
from lxml import etree

from .errors import ParseError
from .schema import RECORD_TABLES, conform
from .sources import Source, open_binary, source_name

RECORD_TAGS = ("PubmedArticle", "PubmedBookArticle", "DeleteCitation")
ROOT_TAGS = ("PubmedArticleSet", "PubmedBookArticleSet")
_YEAR = re.compile(r"(1[89]\d\d|20\d\d)")


class Rows:
    """Column-wise row buffers for every record table (plus deletions)."""

    def __init__(self) -> None:
        self.cols: dict[str, dict[str, list]] = {
            name: {c: [] for c in table.names} for name, table in RECORD_TABLES.items()
        }
        self.deleted: list[str] = []
        self._seen: set[str] = set()

    def begin(self, pmid: str) -> None:
        """Start a record. A PMID met again in the same file replaces its earlier rows (latest wins)."""
        if pmid in self._seen:
            for cols in self.cols.values():
                keep = [i for i, p in enumerate(cols["pmid"]) if p != pmid]
                for name in cols:
                    cols[name] = [cols[name][i] for i in keep]
        self._seen.add(pmid)

    def add(self, table: str, **values: object) -> None:
        cols = self.cols[table]
        for name, column in cols.items():
            column.append(values.get(name))

    def frames(self, source: str) -> dict[str, pd.DataFrame]:
        out = {}
        for name, table in RECORD_TABLES.items():
            cols = self.cols[name]
            if name == "articles":
                cols["source"] = [source] * len(cols["pmid"])
            out[name] = conform(pd.DataFrame(cols), table)
        out["deleted"] = pd.DataFrame({"pmid": pd.Series(self.deleted, dtype="string")})
        return out


def text_of(elem: etree._Element | None) -> str | None:
    """All text inside ``elem`` (markup dropped, words kept), whitespace normalised; None if empty."""
    if elem is None:
        return None
    # Only element children are walked: comments, processing instructions and unresolved entity
    # references are skipped, so an undeclared or external entity cannot inject text.
    text = " ".join("".join(_itertext(elem)).split())
    return text or None


MATHML = "{http://www.w3.org/1998/Math/MathML}"


def _itertext(elem: etree._Element) -> Iterable[str]:
    # Own walk so that the element's own tail (text after it, outside it) is not included,
    # while tails of inline children (<i>word</i> tail) are.
    if elem.text:
        yield elem.text
    for child in elem:
        if isinstance(child.tag, str):
            if child.tag.startswith(MATHML):
                # MathML is pretty-printed with indentation between tokens; the tokens themselves
                # are the formula ("V.O2max"), so join them without the layout whitespace.
                yield "".join(t.strip() for t in child.itertext())
            else:
                yield from _itertext(child)
        if child.tail:
            yield child.tail


def _child_text(parent: etree._Element | None, path: str) -> str | None:
    if parent is None:
        return None
    return text_of(parent.find(path))


def read_pubmed(source: Source) -> dict[str, pd.DataFrame]:
    """Read PubMed efetch XML into tables.

    Parameters
    ----------
    source:
        A path (``.xml`` or gzip-compressed), or a binary file object.

    Returns
    -------
    dict[str, pandas.DataFrame]
        ``articles``, ``authors``, ``abstract_sections``, ``mesh``, ``publication_types``,
        ``article_ids``, ``corrections`` (see ``evidence.schema``), and ``deleted``: PMIDs that a
        ``DeleteCitation`` element (in PubMed update files) asks to remove.

    Raises
    ------
    ParseError
        Not XML, truncated XML, empty file, or a root element other than ``PubmedArticleSet``.
    """
    name = source_name(source)
    rows = Rows()
    last_pmid: str | None = None
    with open_binary(source) as fh:
        if not fh.peek(1):  # type: ignore[attr-defined]
            raise ParseError("the file is empty; give PubMed efetch XML or a PubMed-format export", source=name)
        context = etree.iterparse(
            fh,
            events=("end",),
            tag=RECORD_TAGS,
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,
            remove_comments=True,
        )
        checked_root = False
        try:
            for _, elem in context:
                if not checked_root:
                    _check_root(elem, name)
                    checked_root = True
                if elem.tag == "PubmedArticle":
                    last_pmid = _article(elem, rows)
                elif elem.tag == "PubmedBookArticle":
                    last_pmid = _book(elem, rows)
                else:
                    rows.deleted.extend(t for t in (text_of(p) for p in elem.iter("PMID")) if t)
                # Free what has been read: the element and every earlier sibling.
                elem.clear(keep_tail=False)
                parent = elem.getparent()
                if parent is not None:
                    while elem.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as exc:
            raise ParseError(_syntax_message(exc), source=name, pmid=last_pmid) from exc
        root = getattr(context, "root", None)
        if not checked_root:
            if root is None:
                raise ParseError("no XML content; the file is empty", source=name)
            if root.tag not in ROOT_TAGS:
                raise ParseError(
                    f"wrong root element <{root.tag}>: expected <PubmedArticleSet> (PubMed efetch XML)",
                    source=name,
                )
    return rows.frames(name)


def _check_root(record: etree._Element, name: str) -> None:
    parent = record.getparent()
    tag = parent.tag if parent is not None else record.tag
    if parent is None or tag not in ROOT_TAGS:
        raise ParseError(f"wrong root element <{tag}>: expected <PubmedArticleSet> (PubMed efetch XML)", source=name)


def _syntax_message(exc: etree.XMLSyntaxError) -> str:
    msg = str(exc.msg if hasattr(exc, "msg") and exc.msg else exc)
    if "Document is empty" in msg or "Start tag expected" in msg and exc.lineno in (1, None):
        return "not XML (or an empty file): give PubMed efetch XML or a PubMed-format export"
    if "Premature end" in msg or "EndTag" in msg or "end of data" in msg.lower() or "not properly terminated" in msg:
        return f"truncated XML at line {exc.lineno}: the file ends early; download or export it again"
    return f"malformed XML at line {exc.lineno}: {msg.strip()}"


def _article(elem: etree._Element, rows: Rows) -> str:
    citation = elem.find("MedlineCitation")
    if citation is None:
        raise ParseError("a PubmedArticle has no MedlineCitation")
    pmid = _child_text(citation, "PMID")
    if not pmid:
        raise ParseError("a PubmedArticle has no PMID")
    rows.begin(pmid)
    article = citation.find("Article")
    journal = article.find("Journal") if article is not None else None
    issue = journal.find("JournalIssue") if journal is not None else None
    pub_date = issue.find("PubDate") if issue is not None else None
    ids = _article_ids(elem.find("PubmedData/ArticleIdList"), pmid, rows)
    doi = None
    if article is not None:
        for loc in article.iterfind("ELocationID"):
            if loc.get("EIdType") == "doi" and loc.get("ValidYN", "Y") == "Y":
                doi = text_of(loc)
                break
    doi = doi or ids.get("doi")
    sections = _abstract(article.find("Abstract") if article is not None else None, pmid, rows)
    ptypes = _publication_types(article.find("PublicationTypeList") if article is not None else None, pmid, rows)
    corrections = _corrections(citation.find("CommentsCorrectionsList"), pmid, rows)
    _authors(article.find("AuthorList") if article is not None else None, pmid, rows)
    _mesh(citation.find("MeshHeadingList"), pmid, rows)
    year, printed_date = _date(pub_date)
    if year is None and article is not None:
        year = _int_year(_child_text(article, "ArticleDate/Year"))
    rows.add(
        "articles",
        pmid=pmid,
        title=_child_text(article, "ArticleTitle") or _child_text(article, "VernacularTitle"),
        abstract=sections,
        journal=_child_text(journal, "Title"),
        journal_iso=_child_text(journal, "ISOAbbreviation") or _child_text(citation, "MedlineJournalInfo/MedlineTA"),
        volume=_child_text(issue, "Volume"),
        issue=_child_text(issue, "Issue"),
        pages=_pages(article.find("Pagination") if article is not None else None),
        year=year,
        pub_date=printed_date,
        doi=doi,
        pmcid=ids.get("pmc"),
        language=_child_text(article, "Language"),
        country=_child_text(citation, "MedlineJournalInfo/Country"),
        publication_types=ptypes,
        status=citation.get("Status"),
        is_retracted="RetractionIn" in corrections or "Retracted Publication" in ptypes,
        has_abstract=sections is not None,
        record_type="article",
    )
    return pmid


def _book(elem: etree._Element, rows: Rows) -> str:
    doc = elem.find("BookDocument")
    if doc is None:
        raise ParseError("a PubmedBookArticle has no BookDocument")
    pmid = _child_text(doc, "PMID")
    if not pmid:
        raise ParseError("a PubmedBookArticle has no PMID")
    rows.begin(pmid)
    book = doc.find("Book")
    ids = _article_ids(doc.find("ArticleIdList"), pmid, rows)
    ids.update({k: v for k, v in _article_ids(elem.find("PubmedBookData/ArticleIdList"), pmid, rows).items() if k not in ids})
    sections = _abstract(doc.find("Abstract"), pmid, rows)
    ptypes = _publication_types(doc, pmid, rows)
    _authors(doc.find("AuthorList"), pmid, rows)
    if book is not None:
        # Editors of a book are listed under Book/AuthorList; keep them only when the chapter has no authors.
        if doc.find("AuthorList") is None:
            _authors(book.find("AuthorList"), pmid, rows)
    year, printed_date = _date(book.find("PubDate") if book is not None else None)
    title = _child_text(doc, "ArticleTitle")
    book_title = _child_text(book, "BookTitle")
    rows.add(
        "articles",
        pmid=pmid,
        title=title or book_title,
        abstract=sections,
        journal=book_title if title else _child_text(book, "Publisher/PublisherName"),
        journal_iso=None,
        volume=_child_text(book, "Volume"),
        issue=None,
        pages=_pages(doc.find("Pagination")),
        year=year,
        pub_date=printed_date,
        doi=ids.get("doi"),
        pmcid=ids.get("pmc"),
        language=_child_text(doc, "Language"),
        country=_child_text(book, "Publisher/PublisherLocation"),
        publication_types=ptypes,
        status=_child_text(elem, "PubmedBookData/PublicationStatus"),
        is_retracted="Retracted Publication" in ptypes,
        has_abstract=sections is not None,
        record_type="book",
    )
    return pmid


def _article_ids(id_list: etree._Element | None, pmid: str, rows: Rows) -> dict[str, str]:
    found: dict[str, str] = {}
    if id_list is None:
        return found
    for el in id_list.iterfind("ArticleId"):
        value = text_of(el)
        id_type = el.get("IdType") or "unknown"
        if not value:
            continue
        rows.add("article_ids", pmid=pmid, id_type=id_type, value=value)
        found.setdefault(id_type, value)
    return found


def _abstract(abstract: etree._Element | None, pmid: str, rows: Rows) -> str | None:
    if abstract is None:
        return None
    parts = []
    for position, el in enumerate(abstract.iterfind("AbstractText"), start=1):
        text = text_of(el)
        if not text:
            continue
        label = el.get("Label") or None
        rows.add(
            "abstract_sections", pmid=pmid, position=position, label=label,
            nlm_category=el.get("NlmCategory") or None, text=text,
        )
        parts.append(f"{label}: {text}" if label else text)
    return "\n".join(parts) if parts else None


def _publication_types(parent: etree._Element | None, pmid: str, rows: Rows) -> list[str]:
    names: list[str] = []
    if parent is None:
        return names
    for el in parent.iter("PublicationType"):
        name = text_of(el)
        if name and name not in names:
            names.append(name)
            rows.add("publication_types", pmid=pmid, publication_type=name, ui=el.get("UI"))
    return names


def _corrections(parent: etree._Element | None, pmid: str, rows: Rows) -> set[str]:
    kinds: set[str] = set()
    if parent is None:
        return kinds
    for el in parent.iterfind("CommentsCorrections"):
        ref_type = el.get("RefType") or "unknown"
        kinds.add(ref_type)
        rows.add(
            "corrections", pmid=pmid, ref_type=ref_type,
            ref_pmid=_child_text(el, "PMID"), ref_source=_child_text(el, "RefSource"),
        )
    return kinds


def _authors(author_list: etree._Element | None, pmid: str, rows: Rows) -> None:
    if author_list is None:
        return
    position = 0
    for el in author_list.iterfind("Author"):
        if el.get("ValidYN", "Y") != "Y":
            continue  # PubMed keeps misspelled names as ValidYN="N" next to the corrected ones.
        position += 1
        orcid = None
        for ident in el.iterfind("Identifier"):
            if (ident.get("Source") or "").upper() == "ORCID":
                orcid = _orcid(text_of(ident))
        rows.add(
            "authors", pmid=pmid, position=position,
            last_name=_child_text(el, "LastName"), fore_name=_child_text(el, "ForeName"),
            initials=_child_text(el, "Initials"), collective_name=_child_text(el, "CollectiveName"),
            affiliations=[t for t in (text_of(a) for a in el.iterfind("AffiliationInfo/Affiliation")) if t],
            orcid=orcid,
        )


_ORCID = re.compile(r"(\d{4}-?\d{4}-?\d{4}-?\d{3}[\dX])", re.I)


def _orcid(raw: str | None) -> str | None:
    m = _ORCID.search(raw or "")
    if not m:
        return None
    digits = m.group(1).replace("-", "").upper()
    return "-".join(digits[i:i + 4] for i in range(0, 16, 4))


def _mesh(mesh_list: etree._Element | None, pmid: str, rows: Rows) -> None:
    if mesh_list is None:
        return
    for heading in mesh_list.iterfind("MeshHeading"):
        desc = heading.find("DescriptorName")
        name = text_of(desc)
        if not name:
            continue
        quals = heading.findall("QualifierName")
        major = desc.get("MajorTopicYN") == "Y" or any(q.get("MajorTopicYN") == "Y" for q in quals)
        rows.add(
            "mesh", pmid=pmid, descriptor=name, descriptor_ui=desc.get("UI"), major=major,
            qualifiers=[t for t in (text_of(q) for q in quals) if t],
        )


def _pages(pagination: etree._Element | None) -> str | None:
    if pagination is None:
        return None
    pgn = _child_text(pagination, "MedlinePgn")
    if pgn:
        return pgn
    start, end = _child_text(pagination, "StartPage"), _child_text(pagination, "EndPage")
    if start and end:
        return f"{start}-{end}"
    return start


def _date(pub_date: etree._Element | None) -> tuple[int | None, str | None]:
    """(year, printed date) from a PubDate: Year/Month/Day, Year/Season, or MedlineDate."""
    if pub_date is None:
        return None, None
    year = _child_text(pub_date, "Year")
    if year:
        rest = [p for p in (_child_text(pub_date, "Month") or _child_text(pub_date, "Season"), _child_text(pub_date, "Day")) if p]
        return _int_year(year), " ".join([year, *rest])
    medline = _child_text(pub_date, "MedlineDate")
    if medline:
        return _int_year(medline), medline
    return None, None


def _int_year(text: str | None) -> int | None:
    m = _YEAR.search(text or "")
    return int(m.group(1)) if m else None
