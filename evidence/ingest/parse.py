"""PubMed efetch XML -> tidy tables, streaming.

``read_pubmed`` walks the file with ``lxml.etree.iterparse``, turns each ``PubmedArticle`` or
``PubmedBookArticle`` into row tuples, then clears the element, so memory holds the growing
row lists and nothing else. Text is taken from every descendant, so inline markup (``<i>``,
``<sup>``, MathML) keeps its words: a trap that cuts titles short in several peer parsers.

Speed: this is the hot path of every import and fetch. Journal articles are read by the
compiled twin of ``_article`` (``evidence/ingest/_records.pyx``) where it was built; the Python reader
here is the fallback and the oracle the tests compare it with. Either way each record's
children are visited once with a dispatch on the tag, rows are appended as tuples in schema
column order (``COLUMNS``), and every ``Rows.FLUSH_EVERY`` records they become typed columns.

Safety: entities are not resolved, no DTD is loaded, nothing is fetched over the network.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from collections.abc import Callable, Iterator

import pandas as pd
from lxml import etree

from ..errors import InputError, ParseError
from .fields import CONTROL, article_id, int_year, orcid, pmid_problem, pub_date, without_controls
from .fields import doi as checked_doi
from .fields import pmid as checked_pmid
from ..tables.schema import RECORD_TABLES, frame_from_rows
from .sources import Source, open_binary, source_name

RECORD_TAGS = ("PubmedArticle", "PubmedBookArticle", "DeleteCitation")
ROOT_TAGS = ("PubmedArticleSet", "PubmedBookArticleSet")
MATHML = "{http://www.w3.org/1998/Math/MathML}"

# Row tuples are built positionally below; this is the order they use. A mismatch with the
# schema is a programming error, caught at import time rather than as shifted columns.
COLUMNS = {
    "articles": ("pmid", "title", "abstract", "journal", "journal_iso", "volume", "issue", "pages", "year",
                 "pub_date", "doi", "pmcid", "language", "country", "publication_types", "status",
                 "is_retracted", "has_abstract", "record_type"),
    "authors": ("pmid", "position", "last_name", "fore_name", "initials", "collective_name", "affiliations", "orcid"),
    "abstract_sections": ("pmid", "position", "label", "nlm_category", "text"),
    "mesh": ("pmid", "descriptor", "descriptor_ui", "major", "qualifiers"),
    "publication_types": ("pmid", "publication_type", "ui"),
    "article_ids": ("pmid", "id_type", "value"),
    "corrections": ("pmid", "ref_type", "ref_pmid", "ref_source"),
}
for _name, _cols in COLUMNS.items():
    assert [c for c in RECORD_TABLES[_name].names if c != "source"] == list(_cols), _name


def _compiled_article_reader() -> Callable | None:
    """The compiled twin of ``_article`` (evidence/ingest/_records.pyx), or None where it cannot be used:
    not built (no C compiler at install time), or built against another lxml release than the
    one imported now, whose node structs it must not assume."""
    try:
        from . import _records
    except ImportError:
        return None
    return _records.article if _records.BUILT_WITH_LXML == etree.__version__ else None


native_article = _compiled_article_reader()


class Rows:
    """Row buffers (lists of tuples in ``COLUMNS`` order) for every record table, plus deletions.

    Every ``FLUSH_EVERY`` records the buffered tuples become typed DataFrame chunks, which are
    far smaller than the Python objects, so peak memory stays near the size of the tables.
    The chunks are small on purpose: 2,000 records of rows (~20 MB of objects) are still in the
    processor's cache when they are turned into columns. At 10,000 they were not, and the whole
    parse ran 1.5x slower (benchmarks/bench_parse.py).
    """

    FLUSH_EVERY = 2_000

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple]] = {name: [] for name in COLUMNS}
        self.articles = self.rows["articles"]
        self.authors = self.rows["authors"]
        self.sections = self.rows["abstract_sections"]
        self.mesh = self.rows["mesh"]
        self.ptypes = self.rows["publication_types"]
        self.ids = self.rows["article_ids"]
        self.corrections = self.rows["corrections"]
        self.deleted: list[str] = []
        self._chunks: list[dict[str, pd.DataFrame]] = []
        self._chunk_of: dict[str, int] = {}  # PMID -> chunk holding its rows (len(_chunks): unflushed)
        self._stale: dict[int, set[str]] = {}  # chunk -> PMIDs whose later version replaces its rows
        self._pending = 0

    def begin(self, pmid: str) -> None:
        """Start a record. A PMID met again in the same file replaces its earlier rows (latest wins)."""
        if self._pending >= self.FLUSH_EVERY:
            self.flush()
        current = len(self._chunks)
        earlier = self._chunk_of.get(pmid)
        if earlier == current:
            for rows in self.rows.values():
                rows[:] = [r for r in rows if r[0] != pmid]
        elif earlier is not None:
            self._stale.setdefault(earlier, set()).add(pmid)
        self._chunk_of[pmid] = current
        self._pending += 1

    def add(self, table: str, **values: object) -> None:
        """Append one row given by column name (the convenient, slower path)."""
        self.rows[table].append(tuple(values.get(c) for c in COLUMNS[table]))

    def flush(self) -> None:
        """Turn the buffered rows into one chunk of typed DataFrames."""
        chunk = {}
        for name, cols in COLUMNS.items():
            chunk[name] = frame_from_rows(self.rows[name], RECORD_TABLES[name], cols)
            self.rows[name].clear()
        self._chunks.append(chunk)
        self._pending = 0

    def frames(self, source: str) -> dict[str, pd.DataFrame]:
        self.flush()
        out = {}
        for name in COLUMNS:
            # Take each chunk's frame out as it is used, so the chunks and the result do not
            # both stay in memory; the chunks are already conformed.
            parts = []
            for i, chunk in enumerate(self._chunks):
                frame = chunk.pop(name)
                if i in self._stale:
                    frame = frame[~frame["pmid"].isin(self._stale[i])]
                parts.append(frame)
            frame = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
            del parts
            if name == "articles":
                frame["source"] = pd.array([source] * len(frame), dtype="string")
            out[name] = frame.reset_index(drop=True)
        out["deleted"] = pd.DataFrame({"pmid": pd.Series(self.deleted, dtype="string")})
        return out


def text_of(elem: etree._Element | None) -> str | None:
    """All text inside ``elem`` (markup dropped, words kept), control characters removed and
    whitespace normalised; None if empty."""
    if elem is None:
        return None
    t = elem.text if len(elem) == 0 else "".join(_itertext(elem))  # a leaf: by far the most common case
    if not t:
        return None
    if CONTROL.search(t):  # NUL and other control characters go; whitespace is normalised after
        t = CONTROL.sub("", t)
    return " ".join(t.split()) or None


def _itertext(elem: etree._Element) -> Iterator[str]:
    # Only element children are walked: comments, processing instructions and unresolved entity
    # references are skipped, so an undeclared or external entity cannot inject text. The
    # element's own tail (outside it) is not included; tails of inline children are.
    if elem.text:
        yield elem.text
    for child in elem:
        tag = child.tag
        if isinstance(tag, str):
            if tag.startswith(MATHML):
                # MathML is pretty-printed with indentation between tokens; the tokens themselves
                # are the formula ("V.O2max"), so join them without the layout whitespace.
                yield "".join(t.strip() for t in child.itertext())
            else:
                yield from _itertext(child)
        if child.tail:
            yield child.tail


def read_pubmed(source: Source, *, native: bool | None = None) -> dict[str, pd.DataFrame]:
    """Read PubMed efetch XML into tables.

    Parameters
    ----------
    source:
        A path (``.xml`` or gzip-compressed), or a binary file object.
    native:
        Read journal articles with the compiled reader (``evidence.ingest._records``, about twice as
        fast) or with the pure-Python one; both give the same tables. ``None`` (the default)
        uses the compiled reader when it was built, and ``True`` fails when it was not.

    Returns
    -------
    dict[str, pandas.DataFrame]
        ``articles``, ``authors``, ``abstract_sections``, ``mesh``, ``publication_types``,
        ``article_ids``, ``corrections`` (see ``evidence.tables.schema``), and ``deleted``: PMIDs that a
        ``DeleteCitation`` element (in PubMed update files) asks to remove.

    Raises
    ------
    ParseError
        Not XML, truncated XML, empty file, or a root element other than ``PubmedArticleSet``.
    """
    name = source_name(source)
    read_article = _article_reader(native)
    rows = Rows()
    last_pmid: str | None = None
    with open_binary(source) as fh, _without_cyclic_gc():
        if not fh.peek(1):
            raise ParseError("the file is empty; give PubMed efetch XML or a PubMed-format export", source=name)
        context = etree.iterparse(
            fh, events=("end",), tag=RECORD_TAGS, resolve_entities=False, load_dtd=False,
            no_network=True, huge_tree=False, remove_comments=True, remove_pis=True,
        )
        checked_root = False
        position = 0
        try:
            for _, elem in context:
                if not checked_root:
                    _check_root(elem, name)
                    checked_root = True
                position += 1
                tag = elem.tag
                try:
                    if tag == "PubmedArticle":
                        last_pmid = read_article(elem, rows)
                    elif tag == "PubmedBookArticle":
                        last_pmid = _book(elem, rows)
                    else:
                        rows.deleted.extend(_deleted(elem))
                except ParseError as exc:
                    # Where the bad record is, so it can be found and the file fixed.
                    raise ParseError(f"record {position} ({tag} at line {elem.sourceline}): {exc}; "
                                     "the file is refused", source=name, pmid=last_pmid) from None
                # Free what has been read: the element and every earlier sibling.
                elem.clear(keep_tail=False)
                parent = elem.getparent()
                if parent is not None:
                    while elem.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as exc:
            raise ParseError(_syntax_message(exc), source=name, pmid=last_pmid) from exc
        if not checked_root:
            root = getattr(context, "root", None)
            if root is None:
                raise ParseError("no XML content; the file is empty", source=name)
            if root.tag not in ROOT_TAGS:
                raise ParseError(f"wrong root element <{root.tag}>: expected <PubmedArticleSet> (PubMed efetch XML)", source=name)
    return rows.frames(name)


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while rows pile up.

    Every row is a new tuple (and often a list), and each few hundred of them would set off a
    collection that walks all the rows buffered so far: about a tenth of the parse time, spent
    finding nothing, since rows hold only strings, numbers and lists of strings and never form
    cycles. Reference counting still frees everything; the collector is switched back on after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _article_reader(native: bool | None) -> Callable[[etree._Element, Rows], str]:
    if native is False or (native is None and native_article is None):
        return _article
    if native_article is None:
        raise InputError("the native reader (evidence.ingest._records) is not compiled for this lxml: reinstall with a "
                         "C compiler (pip install -e .), or let the Python reader stand in", setting="native")
    return native_article


def _deleted(elem: etree._Element) -> list[str]:
    """The PMIDs a DeleteCitation lists."""
    pmids = [text_of(p) for p in elem.iter("PMID")]
    for p in pmids:
        problem = pmid_problem(p)
        if problem:
            raise ParseError(problem)
    return [p for p in pmids if p is not None]  # all of them: an empty PMID is a problem above


def _check_root(record: etree._Element, name: str) -> None:
    parent = record.getparent()
    tag = parent.tag if parent is not None else record.tag
    if parent is None or tag not in ROOT_TAGS:
        raise ParseError(f"wrong root element <{tag}>: expected <PubmedArticleSet> (PubMed efetch XML)", source=name)


def _syntax_message(exc: etree.XMLSyntaxError) -> str:
    msg = str(exc.msg if getattr(exc, "msg", None) else exc)
    low = msg.lower()
    if exc.lineno in (0, 1, None) and ("document is empty" in low or "start tag expected" in low):
        return "not XML: give PubMed efetch XML or a PubMed-format export"
    if "premature end" in low or "endtag" in low or "end of data" in low or "not properly terminated" in low:
        return f"truncated XML at line {exc.lineno}: the file ends early; download or export it again"
    return f"malformed XML at line {exc.lineno}: {msg.strip()}"


def _article(elem: etree._Element, rows: Rows) -> str:
    citation = elem.find("MedlineCitation")
    if citation is None:
        raise ParseError("a PubmedArticle has no MedlineCitation")
    pmid = article = country = medline_ta = None
    mesh_list = corrections_list = None
    for child in citation:
        tag = child.tag
        if tag == "PMID":
            pmid = text_of(child)
        elif tag == "Article":
            article = child
        elif tag == "MedlineJournalInfo":
            for c in child:
                if c.tag == "Country":
                    country = text_of(c)
                elif c.tag == "MedlineTA":
                    medline_ta = text_of(c)
        elif tag == "MeshHeadingList":
            mesh_list = child
        elif tag == "CommentsCorrectionsList":
            corrections_list = child
    if not pmid:
        raise ParseError("a PubmedArticle has no PMID")
    problem = pmid_problem(pmid)
    if problem:
        raise ParseError(problem)
    rows.begin(pmid)
    ids = _article_ids(elem.find("PubmedData/ArticleIdList"), pmid, rows)
    kinds = _corrections(corrections_list, pmid, rows) if corrections_list is not None else ()
    if mesh_list is not None:
        _mesh(mesh_list, pmid, rows)

    title = vernacular = abstract = doi = language = pages = None
    journal = journal_iso = volume = issue = year = printed_date = article_year = None
    ptypes: list[str] = []
    if article is not None:
        for child in article:
            tag = child.tag
            if tag == "Journal":
                journal, journal_iso, volume, issue, year, printed_date = _journal(child)
            elif tag == "ArticleTitle":
                title = text_of(child)
            elif tag == "ELocationID":
                if doi is None and child.get("EIdType") == "doi" and child.get("ValidYN", "Y") == "Y":
                    doi = checked_doi(text_of(child))
            elif tag == "Pagination":
                pages = _pages(child)
            elif tag == "Abstract":
                abstract = _abstract(child, pmid, rows)
            elif tag == "AuthorList":
                _authors(child, pmid, rows)
            elif tag == "Language":
                if language is None:
                    language = text_of(child)
            elif tag == "PublicationTypeList":
                ptypes = _publication_types(child, pmid, rows)
            elif tag == "VernacularTitle":
                vernacular = text_of(child)
            elif tag == "ArticleDate" and article_year is None:
                article_year = int_year(text_of(child.find("Year")))
    rows.articles.append((
        pmid, title or vernacular, abstract, journal, journal_iso or medline_ta, volume, issue, pages,
        year if year is not None else article_year, printed_date, doi or ids.get("doi"), ids.get("pmc"),
        language, country, ptypes, citation.get("Status"),
        "RetractionIn" in kinds or "Retracted Publication" in ptypes, abstract is not None, "article",
    ))
    return pmid


def _journal(journal: etree._Element) -> tuple:
    title = iso = volume = issue = year = printed = None
    for child in journal:
        tag = child.tag
        if tag == "Title":
            title = text_of(child)
        elif tag == "ISOAbbreviation":
            iso = text_of(child)
        elif tag == "JournalIssue":
            for c in child:
                if c.tag == "Volume":
                    volume = text_of(c)
                elif c.tag == "Issue":
                    issue = text_of(c)
                elif c.tag == "PubDate":
                    year, printed = _date(c)
    return title, iso, volume, issue, year, printed


def _book(elem: etree._Element, rows: Rows) -> str:
    doc = elem.find("BookDocument")
    if doc is None:
        raise ParseError("a PubmedBookArticle has no BookDocument")
    pmid = text_of(doc.find("PMID"))
    if not pmid:
        raise ParseError("a PubmedBookArticle has no PMID")
    problem = pmid_problem(pmid)
    if problem:
        raise ParseError(problem)
    rows.begin(pmid)
    book = doc.find("Book")
    ids = _article_ids(doc.find("ArticleIdList"), pmid, rows)
    for key, value in _article_ids(elem.find("PubmedBookData/ArticleIdList"), pmid, rows).items():
        ids.setdefault(key, value)
    abstract_el = doc.find("Abstract")
    abstract = _abstract(abstract_el, pmid, rows) if abstract_el is not None else None
    ptypes = _publication_types(doc, pmid, rows)
    chapter_authors = doc.find("AuthorList")
    # Editors of a book are listed under Book/AuthorList; use them only when the chapter has no authors.
    author_list = chapter_authors if chapter_authors is not None else (book.find("AuthorList") if book is not None else None)
    if author_list is not None:
        _authors(author_list, pmid, rows)
    year, printed_date = _date(book.find("PubDate")) if book is not None and book.find("PubDate") is not None else (None, None)
    title = text_of(doc.find("ArticleTitle"))
    book_title = text_of(book.find("BookTitle")) if book is not None else None
    publisher = book.find("Publisher") if book is not None else None
    pagination = doc.find("Pagination")
    rows.articles.append((
        pmid, title or book_title, abstract,
        book_title if title else (text_of(publisher.find("PublisherName")) if publisher is not None else None),
        None, text_of(book.find("Volume")) if book is not None else None, None,
        _pages(pagination) if pagination is not None else None, year, printed_date,
        ids.get("doi"), ids.get("pmc"), text_of(doc.find("Language")),
        text_of(publisher.find("PublisherLocation")) if publisher is not None else None,
        ptypes, text_of(elem.find("PubmedBookData/PublicationStatus")),
        "Retracted Publication" in ptypes, abstract is not None, "book",
    ))
    return pmid


def _article_ids(id_list: etree._Element | None, pmid: str, rows: Rows) -> dict[str, str]:
    found: dict[str, str] = {}
    if id_list is None:
        return found
    for el in id_list:
        if el.tag != "ArticleId":
            continue
        value = text_of(el)
        if not value:
            continue
        id_type = el.get("IdType") or "unknown"
        value = article_id(id_type, value)  # a malformed DOI, PMC id or PMID is dropped
        if value is None:
            continue
        rows.ids.append((pmid, id_type, value))
        found.setdefault(id_type, value)
    return found


def _abstract(abstract: etree._Element, pmid: str, rows: Rows) -> str | None:
    parts = []
    position = 0
    for el in abstract:
        if el.tag != "AbstractText":
            continue
        position += 1
        text = text_of(el)
        if not text:
            continue
        # Attributes are text too: their control characters go as well.
        label = without_controls(el.get("Label") or "") or None
        rows.sections.append((pmid, position, label, without_controls(el.get("NlmCategory") or "") or None, text))
        parts.append(f"{label}: {text}" if label else text)
    return "\n".join(parts) if parts else None


def _publication_types(parent: etree._Element, pmid: str, rows: Rows) -> list[str]:
    names: list[str] = []
    for el in parent.iter("PublicationType"):
        name = text_of(el)
        if name and name not in names:
            names.append(name)
            rows.ptypes.append((pmid, name, el.get("UI")))
    return names


def _corrections(parent: etree._Element, pmid: str, rows: Rows) -> set[str]:
    kinds: set[str] = set()
    for el in parent:
        if el.tag != "CommentsCorrections":
            continue
        ref_type = el.get("RefType") or "unknown"
        kinds.add(ref_type)
        ref_pmid = ref_source = None
        for c in el:
            if c.tag == "PMID":
                ref_pmid = checked_pmid(text_of(c))
            elif c.tag == "RefSource":
                ref_source = text_of(c)
        rows.corrections.append((pmid, ref_type, ref_pmid, ref_source))
    return kinds


def _authors(author_list: etree._Element, pmid: str, rows: Rows) -> None:
    position = 0
    for el in author_list:
        if el.tag != "Author" or el.get("ValidYN", "Y") != "Y":
            continue  # PubMed keeps misspelled names as ValidYN="N" next to the corrected ones.
        position += 1
        last = fore = initials = collective = orcid_id = None
        affiliations = []
        for c in el:
            tag = c.tag
            if tag == "LastName":
                last = text_of(c)
            elif tag == "ForeName":
                fore = text_of(c)
            elif tag == "Initials":
                initials = text_of(c)
            elif tag == "CollectiveName":
                collective = text_of(c)
            elif tag == "AffiliationInfo":
                aff = text_of(c.find("Affiliation"))
                if aff:
                    affiliations.append(aff)
            elif tag == "Identifier" and (c.get("Source") or "").upper() == "ORCID":
                orcid_id = orcid(text_of(c))
        rows.authors.append((pmid, position, last, fore, initials, collective, affiliations, orcid_id))


def _mesh(mesh_list: etree._Element, pmid: str, rows: Rows) -> None:
    for heading in mesh_list:
        if heading.tag != "MeshHeading":
            continue
        desc = None
        quals = []
        major = False
        for c in heading:
            if c.tag == "DescriptorName":
                desc = c
                major = major or c.get("MajorTopicYN") == "Y"
            elif c.tag == "QualifierName":
                q = text_of(c)
                if q:
                    quals.append(q)
                major = major or c.get("MajorTopicYN") == "Y"
        name = text_of(desc)
        if name and desc is not None:  # a name comes only from a DescriptorName
            rows.mesh.append((pmid, name, desc.get("UI"), major, quals))


def _pages(pagination: etree._Element) -> str | None:
    start = end = None
    for c in pagination:
        if c.tag == "MedlinePgn":
            pgn = text_of(c)
            if pgn:
                return pgn
        elif c.tag == "StartPage":
            start = text_of(c)
        elif c.tag == "EndPage":
            end = text_of(c)
    if start and end:
        return f"{start}-{end}"
    return start


def _date(date: etree._Element) -> tuple[int | None, str | None]:
    """(year, printed date) from a PubDate: Year/Month/Day, Year/Season, or MedlineDate."""
    return pub_date({c.tag: text_of(c) for c in date})
