# cython: language_level=3, boundscheck=False, wraparound=False
"""Native reading of one ``PubmedArticle``: the hot loop of ``evidence.ingest.parse.read_pubmed``.

The pure-Python reader in ``parse.py`` spends most of its time making a Python proxy object for
every element it visits and asking it for ``.tag``, ``.text`` and ``.get``. Here the same record
is read straight from libxml2's node structs (the tree lxml has already built), comparing tag
names as C strings, so Python objects are made only for the values that end up in the tables.

It is a drop-in twin of ``parse._article``: same arguments, same rows, same errors. The Python
version stays as the fallback where this module is not compiled and as the oracle the tests
compare it with (``tests/test_native_parse.py``); a change to one needs the same change in the
other. Only struct fields are read (no libxml2 function is called), so nothing links against
libxml2; the struct layout comes from the headers lxml ships (``lxml.get_include()``).
"""

from cpython.unicode cimport PyUnicode_DecodeUTF8
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memcpy, strcmp, strlen

from lxml.includes cimport tree
from lxml.includes.etreepublic cimport _Element
from lxml.includes.tree cimport xmlAttr, xmlNode

from ..errors import ParseError
from .fields import article_id, pmid_problem, without_controls
from .fields import doi as checked_doi
from .fields import pmid as checked_pmid

cdef extern from "lxml-version.h":
    const char* LXML_VERSION_STRING

# The lxml whose headers this module was compiled against; parse.py uses the module only when
# the lxml imported at run time is the same release (so the node structs are laid out alike).
BUILT_WITH_LXML = LXML_VERSION_STRING.decode("ascii")

cdef const char* MATHML = b"http://www.w3.org/1998/Math/MathML"


cdef inline bint is_named(xmlNode* node, const char* name) noexcept:
    """An element without a namespace whose name is ``name`` (what ``elem.tag == name`` tests)."""
    # The first letters differ for most of the names tested against, so look at them first.
    return (node.type == tree.XML_ELEMENT_NODE and node.ns is NULL and node.name[0] == name[0]
            and strcmp(<const char*>node.name, name) == 0)


cdef inline xmlNode* first_child(xmlNode* parent, const char* name) noexcept:
    """``parent.find(name)``: the first child element called ``name``, or NULL."""
    cdef xmlNode* c
    if parent is NULL:
        return NULL
    c = parent.children
    while c is not NULL:
        if is_named(c, name):
            return c
        c = c.next
    return NULL


cdef inline bint is_text(xmlNode* node) noexcept:
    return node.type == tree.XML_TEXT_NODE or node.type == tree.XML_CDATA_SECTION_NODE


cdef inline str decode(const char* s):
    return PyUnicode_DecodeUTF8(s, strlen(s), NULL)


cdef inline bint is_tidy(const char* s) noexcept:
    """True when ``" ".join(s.split()) == s``: printable ASCII with single inner spaces only.

    Anything else (empty, non-ASCII, control characters, runs or edges of spaces) is copied
    through ``feed``, which treats Unicode whitespace as ``str.split`` does.
    """
    cdef size_t i = 0
    cdef unsigned char c, prev = 32
    while s[i] != 0:
        c = <unsigned char>s[i]
        if c == 32:
            if prev == 32:
                return False
        elif c < 33 or c > 126:
            return False
        prev = c
        i += 1
    return prev != 32


cdef struct Text:
    # Normalised text being built as UTF-8: runs of whitespace become one space, none at the
    # ends, as " ".join(s.split()) makes them. It starts in a buffer on the C stack.
    char* data
    size_t length
    size_t capacity
    bint gap  # whitespace seen since the last character written
    bint on_heap


cdef int put(Text* t, const char* s, size_t n) except -1:
    """Append ``n`` bytes of non-whitespace, led by one space if whitespace came before them."""
    cdef size_t need = t.length + n + 1
    cdef char* grown
    if need > t.capacity:
        t.capacity = need * 2
        if t.on_heap:
            grown = <char*>realloc(t.data, t.capacity)
        else:
            grown = <char*>malloc(t.capacity)
            if grown is not NULL:
                memcpy(grown, t.data, t.length)
        if grown is NULL:
            raise MemoryError()
        t.data = grown
        t.on_heap = True
    if t.gap and t.length:
        t.data[t.length] = 32
        t.length += 1
    t.gap = False
    memcpy(t.data + t.length, s, n)
    t.length += n
    return 0


cdef inline size_t unicode_space(const unsigned char* s) noexcept:
    """Byte length of the UTF-8 whitespace character at ``s`` (U+0085, U+00A0, U+1680,
    U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000: the non-ASCII ones ``str.split``
    splits on), else 0. Bytes are tested in order, so nothing past a NUL is read."""
    if s[0] == 0xC2:
        return 2 if s[1] == 0x85 or s[1] == 0xA0 else 0
    if s[0] == 0xE1:
        return 3 if s[1] == 0x9A and s[2] == 0x80 else 0
    if s[0] == 0xE2:
        if s[1] == 0x80:
            return 3 if (0x80 <= s[2] <= 0x8A or s[2] == 0xA8 or s[2] == 0xA9 or s[2] == 0xAF) else 0
        return 3 if s[1] == 0x81 and s[2] == 0x9F else 0
    if s[0] == 0xE3:
        return 3 if s[1] == 0x80 and s[2] == 0x80 else 0
    return 0


cdef inline size_t control(const unsigned char* s) noexcept:
    """Byte length of the control character at ``s`` that text drops (``fields.CONTROL``: C0
    controls other than whitespace, DEL, C1 controls other than U+0085), else 0."""
    if s[0] < 9 or 14 <= s[0] <= 27 or s[0] == 127:
        return 1
    if s[0] == 0xC2 and 0x80 <= s[1] <= 0x9F and s[1] != 0x85:
        return 2
    return 0


cdef int feed(Text* t, const unsigned char* s) except -1:
    """Append one text node's content, normalising whitespace and dropping control characters
    on the way (as ``parse.text_of`` removes them first, then splits)."""
    cdef size_t i = 0, run = 0, k, drop
    cdef unsigned char c
    while s[i] != 0:
        c = s[i]
        if c == 32 or 9 <= c <= 13 or 28 <= c <= 31:
            k = 1
        elif c >= 0xC2:
            k = unicode_space(s + i)
        else:
            k = 0
        drop = control(s + i) if not k else 0
        if drop:
            # Removed without a trace: the text on either side joins, and a gap before it stays.
            if i > run:
                put(t, <const char*>s + run, i - run)
            i += drop
            run = i
        elif k:
            if i > run:
                put(t, <const char*>s + run, i - run)
            t.gap = True
            i += k
            run = i
        else:
            i += 1
    if i > run:
        put(t, <const char*>s + run, i - run)
    return 0


cdef int feed_node(Text* t, xmlNode* node) except -1:
    """Every text piece inside ``node`` in document order (``parse._itertext``): element children
    are walked, entity references, comments and processing instructions are skipped, and MathML
    keeps its tokens without the layout whitespace between them."""
    cdef xmlNode* c = node.children
    cdef bytes tokens
    while c is not NULL:
        if is_text(c):
            if c.content is not NULL:
                feed(t, c.content)
        elif c.type == tree.XML_ELEMENT_NODE:
            if c.ns is not NULL and c.ns.href is not NULL and strcmp(<const char*>c.ns.href, MATHML) == 0:
                tokens = mathml_tokens(c).encode("utf-8")
                feed(t, <const unsigned char*><const char*>tokens)
            else:
                feed_node(t, c)
        c = c.next
    return 0


cdef str mathml_tokens(xmlNode* node):
    """``"".join(t.strip() for t in node.itertext())``: each run of text stripped, then joined."""
    cdef list runs = []
    cdef list run = []
    mathml_runs(node, runs, run)
    if run:
        runs.append("".join(run).strip())
    return "".join(runs)


cdef void mathml_runs(xmlNode* node, list runs, list run):
    # A run is a stretch of adjacent text and CDATA nodes, as lxml's .text and .tail merge them.
    cdef xmlNode* c = node.children
    while c is not NULL:
        if is_text(c):
            if c.content is not NULL:
                run.append(decode(<const char*>c.content))
        else:
            if run:
                runs.append("".join(run).strip())
                del run[:]
            if c.type == tree.XML_ELEMENT_NODE:
                mathml_runs(c, runs, run)
                if run:
                    runs.append("".join(run).strip())
                    del run[:]
        c = c.next


cdef object text_of(xmlNode* node):
    """``parse.text_of``: all text inside ``node``, whitespace normalised; None if empty."""
    cdef xmlNode* c
    cdef char stack[1024]
    cdef Text t
    if node is NULL:
        return None
    c = node.children
    if c is NULL:
        return None
    # A leaf with one tidy text node, by far the most common case, needs no copying.
    if c.next is NULL and is_text(c) and c.content is not NULL and is_tidy(<const char*>c.content):
        return decode(<const char*>c.content)
    t.data = stack
    t.length = 0
    t.capacity = sizeof(stack)
    t.gap = False
    t.on_heap = False
    try:
        feed_node(&t, node)
        return PyUnicode_DecodeUTF8(t.data, t.length, NULL) if t.length else None
    finally:
        if t.on_heap:
            free(t.data)


cdef xmlAttr* find_attr(xmlNode* node, const char* name) noexcept:
    """The attribute ``name`` without a namespace, or NULL (the one ``elem.get(name)`` reads)."""
    cdef xmlAttr* a = node.properties
    while a is not NULL:
        if a.ns is NULL and strcmp(<const char*>a.name, name) == 0:
            return a
        a = a.next
    return NULL


cdef object attr(xmlNode* node, const char* name):
    """``elem.get(name)``: the value, joined when an entity reference splits it; None if absent."""
    cdef xmlAttr* a = find_attr(node, name)
    cdef xmlNode* c
    cdef list parts
    if a is NULL:
        return None
    c = a.children
    if c is not NULL and c.next is NULL and c.content is not NULL:
        return decode(<const char*>c.content)
    parts = []
    while c is not NULL:
        if c.content is not NULL:
            parts.append(decode(<const char*>c.content))
        c = c.next
    return "".join(parts)


cdef bint attr_is(xmlNode* node, const char* name, const char* value, bint if_absent):
    """``elem.get(name) == value`` without making a string; ``if_absent`` when there is no such
    attribute (``elem.get(name, default) == value`` with a default that does or does not match)."""
    cdef xmlAttr* a = find_attr(node, name)
    cdef xmlNode* c
    if a is NULL:
        return if_absent
    c = a.children
    if c is NULL:
        return value[0] == 0
    if c.next is NULL and c.content is not NULL:
        return strcmp(<const char*>c.content, value) == 0
    return attr(node, name) == value.decode("utf-8")  # split by an entity reference: join first


def article(_Element elem, rows):
    """Read one ``PubmedArticle`` into ``rows`` (a ``parse.Rows``); return its PMID."""
    cdef xmlNode* record = elem._c_node
    cdef xmlNode* citation = first_child(record, b"MedlineCitation")
    cdef xmlNode* child
    cdef xmlNode* c
    cdef xmlNode* art = NULL
    cdef xmlNode* mesh_list = NULL
    cdef xmlNode* corrections_list = NULL
    cdef xmlNode* id_list = NULL
    if citation is NULL:
        raise ParseError("a PubmedArticle has no MedlineCitation")
    pmid = country = medline_ta = None
    child = citation.children
    while child is not NULL:
        if is_named(child, b"PMID"):
            pmid = text_of(child)
        elif is_named(child, b"Article"):
            art = child
        elif is_named(child, b"MedlineJournalInfo"):
            c = child.children
            while c is not NULL:
                if is_named(c, b"Country"):
                    country = text_of(c)
                elif is_named(c, b"MedlineTA"):
                    medline_ta = text_of(c)
                c = c.next
        elif is_named(child, b"MeshHeadingList"):
            mesh_list = child
        elif is_named(child, b"CommentsCorrectionsList"):
            corrections_list = child
        child = child.next
    if not pmid:
        raise ParseError("a PubmedArticle has no PMID")
    problem = pmid_problem(pmid)
    if problem:
        raise ParseError(problem)
    rows.begin(pmid)
    # elem.find("PubmedData/ArticleIdList"): the first ArticleIdList under any PubmedData.
    child = record.children
    while child is not NULL and id_list is NULL:
        if is_named(child, b"PubmedData"):
            id_list = first_child(child, b"ArticleIdList")
        child = child.next
    ids = article_ids(id_list, pmid, rows.ids)
    kinds = corrections(corrections_list, pmid, rows.corrections) if corrections_list is not NULL else ()
    if mesh_list is not NULL:
        mesh(mesh_list, pmid, rows.mesh)

    title = vernacular = abstract = doi = language = pages = None
    journal = journal_iso = volume = issue = year = printed_date = article_year = None
    ptypes = []
    if art is not NULL:
        child = art.children
        while child is not NULL:
            if child.type != tree.XML_ELEMENT_NODE or child.ns is not NULL:
                pass
            elif is_named(child, b"Journal"):
                journal, journal_iso, volume, issue, year, printed_date = journal_fields(child)
            elif is_named(child, b"ArticleTitle"):
                title = text_of(child)
            elif is_named(child, b"ELocationID"):
                if doi is None and attr_is(child, b"EIdType", b"doi", False) and attr_is(child, b"ValidYN", b"Y", True):
                    doi = checked_doi(text_of(child))
            elif is_named(child, b"Pagination"):
                pages = pagination(child)
            elif is_named(child, b"Abstract"):
                abstract = abstract_text(child, pmid, rows.sections)
            elif is_named(child, b"AuthorList"):
                authors(child, pmid, rows.authors)
            elif is_named(child, b"Language"):
                if language is None:
                    language = text_of(child)
            elif is_named(child, b"PublicationTypeList"):
                ptypes = publication_types(child, pmid, rows.ptypes)
            elif is_named(child, b"VernacularTitle"):
                vernacular = text_of(child)
            elif is_named(child, b"ArticleDate") and article_year is None:
                year_text = text_of(first_child(child, b"Year"))
                article_year = first_year(year_text) if year_text is not None else None
            child = child.next
    rows.articles.append((
        pmid, title or vernacular, abstract, journal, journal_iso or medline_ta, volume, issue, pages,
        year if year is not None else article_year, printed_date, doi or ids.get("doi"), ids.get("pmc"),
        language, country, ptypes, attr(citation, b"Status"),
        "RetractionIn" in kinds or "Retracted Publication" in ptypes, abstract is not None, "article",
    ))
    return pmid


cdef tuple journal_fields(xmlNode* journal):
    cdef xmlNode* child = journal.children
    cdef xmlNode* c
    title = iso = volume = issue = year = printed = None
    while child is not NULL:
        if is_named(child, b"Title"):
            title = text_of(child)
        elif is_named(child, b"ISOAbbreviation"):
            iso = text_of(child)
        elif is_named(child, b"JournalIssue"):
            c = child.children
            while c is not NULL:
                if is_named(c, b"Volume"):
                    volume = text_of(c)
                elif is_named(c, b"Issue"):
                    issue = text_of(c)
                elif is_named(c, b"PubDate"):
                    year, printed = date_fields(c)
                c = c.next
        child = child.next
    return title, iso, volume, issue, year, printed


cdef tuple date_fields(xmlNode* date):
    """``fields.pub_date`` of a PubDate, without building the dict of its children."""
    cdef xmlNode* c = date.children
    year = month = season = day = medline = None
    while c is not NULL:  # the last of each tag wins, as in the dict parse._date builds
        if is_named(c, b"Year"):
            year = text_of(c)
        elif is_named(c, b"Month"):
            month = text_of(c)
        elif is_named(c, b"Season"):
            season = text_of(c)
        elif is_named(c, b"Day"):
            day = text_of(c)
        elif is_named(c, b"MedlineDate"):
            medline = text_of(c)
        c = c.next
    if year:
        printed = year
        if month or season:
            printed = f"{printed} {month or season}"
        if day:
            printed = f"{printed} {day}"
        return first_year(year), printed
    if medline:
        return first_year(medline), medline
    return None, None


cdef object orcid_of(str text):
    """``fields.orcid``: the first ``\\d{4}-?\\d{4}-?\\d{4}-?\\d{3}[\\dX]`` in ``text`` (ASCII
    digits, X in either case) as 0000-0000-0000-000X. Each optional hyphen is taken when present:
    leaving it out could only help if a digit stood where the hyphen is, so no backtracking."""
    cdef Py_ssize_t start, i, n
    cdef int group, k
    cdef Py_UCS4 ch
    cdef char digits[16]
    cdef char formatted[19]
    if text is None:
        return None
    n = len(text)
    for start in range(n):
        i = start
        k = 0
        for group in range(4):
            if group and i < n and text[i] == u"-":
                i += 1
            while k < 4 * (group + 1):
                if i >= n:
                    break
                ch = text[i]
                if u"0" <= ch <= u"9" or (k == 15 and (ch == u"X" or ch == u"x")):
                    digits[k] = b"X" if ch == u"x" else <char>ch
                    k += 1
                    i += 1
                else:
                    break
            if k < 4 * (group + 1):
                break
        if k == 16:
            for k in range(16):
                formatted[k + k // 4] = digits[k]
            formatted[4] = formatted[9] = formatted[14] = b"-"
            return PyUnicode_DecodeUTF8(formatted, 19, NULL)
    return None


cdef object first_year(str text):
    """``fields.int_year``: the first 1800-2099 year in ``text`` (regex ``(1[89]\\d\\d|20\\d\\d)``)."""
    cdef Py_ssize_t i, n = len(text)
    cdef long a, b, c, d
    for i in range(n - 3):
        a = <long>text[i] - 48
        b = <long>text[i + 1] - 48
        c = <long>text[i + 2] - 48
        d = <long>text[i + 3] - 48
        if ((a == 1 and (b == 8 or b == 9)) or (a == 2 and b == 0)) and 0 <= c <= 9 and 0 <= d <= 9:
            return a * 1000 + b * 100 + c * 10 + d
    return None


cdef dict article_ids(xmlNode* id_list, pmid, list out):
    cdef dict found = {}
    cdef xmlNode* el
    if id_list is NULL:
        return found
    el = id_list.children
    while el is not NULL:
        if is_named(el, b"ArticleId"):
            value = text_of(el)
            if value:
                id_type = attr(el, b"IdType") or "unknown"
                value = article_id(id_type, value)  # a malformed DOI, PMC id or PMID is dropped
                if value is not None:
                    out.append((pmid, id_type, value))
                    found.setdefault(id_type, value)
        el = el.next
    return found


cdef object abstract_text(xmlNode* abstract, pmid, list out):
    cdef list parts = []
    cdef xmlNode* el = abstract.children
    cdef long position = 0
    while el is not NULL:
        if is_named(el, b"AbstractText"):
            position += 1
            text = text_of(el)
            if text:
                label = without_controls(attr(el, b"Label") or "") or None
                out.append((pmid, position, label, without_controls(attr(el, b"NlmCategory") or "") or None, text))
                parts.append(f"{label}: {text}" if label else text)
        el = el.next
    return "\n".join(parts) if parts else None


cdef list publication_types(xmlNode* parent, pmid, list out):
    cdef list names = []
    collect_publication_types(parent, pmid, out, names)
    return names


cdef void collect_publication_types(xmlNode* node, pmid, list out, list names):
    # parent.iter("PublicationType"): the node itself and its descendants, in document order.
    cdef xmlNode* c
    if is_named(node, b"PublicationType"):
        name = text_of(node)
        if name and name not in names:
            names.append(name)
            out.append((pmid, name, attr(node, b"UI")))
    c = node.children
    while c is not NULL:
        if c.type == tree.XML_ELEMENT_NODE:
            collect_publication_types(c, pmid, out, names)
        c = c.next


cdef set corrections(xmlNode* parent, pmid, list out):
    cdef set kinds = set()
    cdef xmlNode* el = parent.children
    cdef xmlNode* c
    while el is not NULL:
        if is_named(el, b"CommentsCorrections"):
            ref_type = attr(el, b"RefType") or "unknown"
            kinds.add(ref_type)
            ref_pmid = ref_source = None
            c = el.children
            while c is not NULL:
                if is_named(c, b"PMID"):
                    ref_pmid = checked_pmid(text_of(c))
                elif is_named(c, b"RefSource"):
                    ref_source = text_of(c)
                c = c.next
            out.append((pmid, ref_type, ref_pmid, ref_source))
        el = el.next
    return kinds


cdef void authors(xmlNode* author_list, pmid, list out):
    cdef xmlNode* el = author_list.children
    cdef xmlNode* c
    cdef long position = 0
    while el is not NULL:
        # PubMed keeps misspelled names as ValidYN="N" next to the corrected ones.
        if is_named(el, b"Author") and attr_is(el, b"ValidYN", b"Y", True):
            position += 1
            last = fore = initials = collective = found_orcid = None
            affiliations = []
            c = el.children
            while c is not NULL:
                if is_named(c, b"LastName"):
                    last = text_of(c)
                elif is_named(c, b"ForeName"):
                    fore = text_of(c)
                elif is_named(c, b"Initials"):
                    initials = text_of(c)
                elif is_named(c, b"CollectiveName"):
                    collective = text_of(c)
                elif is_named(c, b"AffiliationInfo"):
                    aff = text_of(first_child(c, b"Affiliation"))
                    if aff:
                        affiliations.append(aff)
                elif is_named(c, b"Identifier") and (attr(c, b"Source") or "").upper() == "ORCID":
                    found_orcid = orcid_of(text_of(c))
                c = c.next
            out.append((pmid, position, last, fore, initials, collective, affiliations, found_orcid))
        el = el.next


cdef void mesh(xmlNode* mesh_list, pmid, list out):
    cdef xmlNode* heading = mesh_list.children
    cdef xmlNode* c
    cdef xmlNode* desc
    cdef bint major
    while heading is not NULL:
        if is_named(heading, b"MeshHeading"):
            desc = NULL
            quals = []
            major = False
            c = heading.children
            while c is not NULL:
                if is_named(c, b"DescriptorName"):
                    desc = c
                    major = major or attr_is(c, b"MajorTopicYN", b"Y", False)
                elif is_named(c, b"QualifierName"):
                    q = text_of(c)
                    if q:
                        quals.append(q)
                    major = major or attr_is(c, b"MajorTopicYN", b"Y", False)
                c = c.next
            name = text_of(desc)
            if name:
                out.append((pmid, name, attr(desc, b"UI"), major, quals))
        heading = heading.next


cdef object pagination(xmlNode* node):
    cdef xmlNode* c = node.children
    start = end = None
    while c is not NULL:
        if is_named(c, b"MedlinePgn"):
            pgn = text_of(c)
            if pgn:
                return pgn
        elif is_named(c, b"StartPage"):
            start = text_of(c)
        elif is_named(c, b"EndPage"):
            end = text_of(c)
        c = c.next
    if start and end:
        return f"{start}-{end}"
    return start
