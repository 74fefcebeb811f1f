"""A local E-utilities server for tests and benchmarks: real HTTP on 127.0.0.1.

It speaks the parts of the protocol the fetcher uses (esearch with the History server,
efetch from a History set or an id list, epost), with PubMed's rules:

* esearch gives access to the first 9,999 ids only; efetch refuses ``retstart > 9998``;
* ``mindate``/``maxdate`` (YYYY[/MM[/DD]]) limit the Entrez date, both ends inclusive;
* more than ``rate_limit`` requests in any sliding second (``rate_limit_with_key`` per API
  key) are answered 429 with NCBI's JSON body, ``{"error":"API rate limit exceeded",...}``;
* an unknown or expired WebEnv gets HTTP 400 ``<eFetchResult><ERROR>Unable to obtain query #1``.

Records are synthetic (PMIDs from 99,000,000, invented text) in the PubMed DTD's shape, each
with an Entrez date. Faults are injected on demand (:meth:`EutilsTestServer.inject`), every
request is logged (:attr:`EutilsTestServer.log`), and the server answers at most
``max_requests`` requests so a runaway client cannot loop forever.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import socket
import struct
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

FIRST_PMID = 99_000_000
MAX_RETSTART = 9998
FAULTS = ("429", "500", "502", "503", "reset", "slow", "truncate", "cut", "short", "expire", "html")
HTML_PAGE = (b"<!DOCTYPE html>\n<html><head><title>Welcome to nginx!</title></head>\n<body>\n<h1>Welcome</h1>\n"
             b"<p>If you see this page, the web server is working.</p>\n</body></html>\n")
RATE_LIMIT_BODY = b'{"error":"API rate limit exceeded","count":"%d"}'


@dataclass(frozen=True)
class Record:
    """A synthetic PubMed record: its PMID and Entrez date."""

    pmid: str
    edat: dt.date


@dataclass
class LoggedRequest:
    """One request as the server saw it: ``endpoint`` is "esearch", "efetch", "epost".

    ``status`` is None when the connection was reset.
    """

    time: float
    endpoint: str
    params: dict[str, str]
    status: int | None = None
    fault: str | None = None


@dataclass
class _Fault:
    endpoint: str
    kind: str
    remaining: int
    delay: float
    status: int = 200
    skip: int = 0


@dataclass
class _State:
    corpora: dict[str, list[Record]] = field(default_factory=dict)
    histories: dict[str, list[str]] = field(default_factory=dict)  # "webenv/query_key" -> pmids
    edats: dict[str, dt.date] = field(default_factory=dict)
    phrases_not_found: dict[str, str] = field(default_factory=dict)
    faults: list[_Fault] = field(default_factory=list)
    log: list[LoggedRequest] = field(default_factory=list)
    arrivals: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))


class EutilsTestServer:
    """A threaded E-utilities server on 127.0.0.1 (use as a context manager).

    Parameters
    ----------
    rate_limit, rate_limit_with_key:
        Requests allowed in any sliding second, without and with an ``api_key``.
    retry_after:
        Seconds sent in ``Retry-After`` with a 429, or None to send no header.
    max_requests:
        Requests answered before the server refuses everything with 503.
    """

    def __init__(self, *, rate_limit: float = 3, rate_limit_with_key: float = 10,
                 retry_after: float | None = 1, max_requests: int = 2000):
        self.rate_limit = rate_limit
        self.rate_limit_with_key = rate_limit_with_key
        self.retry_after = retry_after
        self.max_requests = max_requests
        self._state = _State()
        self._lock = threading.Lock()
        self._webenv_ids = itertools.count(1)
        handler = type("Handler", (_Handler,), {"owner": self})
        self._httpd = _Server(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="eutils-test-server", daemon=True)

    # -- lifecycle -----------------------------------------------------------------------------
    def __enter__(self) -> EutilsTestServer:  # noqa: PYI034 (typing.Self needs Python 3.11)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.hang_up()
        self._httpd.server_close()  # joins the handler threads
        self._thread.join()

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/entrez/eutils/"

    # -- set-up --------------------------------------------------------------------------------
    def add_corpus(self, term: str, n: int, *, first: dt.date = dt.date(2001, 1, 1),
                   last: dt.date = dt.date(2024, 12, 31), phrase_not_found: str | None = None) -> list[str]:
        """Make ``term`` match ``n`` new records with Entrez dates spread from ``first`` to ``last``.

        Calling again with the same term adds records to it (as PubMed grows). With
        ``phrase_not_found``, esearch lists that phrase in its ErrorList, as PubMed does when it
        drops part of a query that still finds records. Returns the new PMIDs.
        """
        with self._lock:
            if phrase_not_found:
                self._state.phrases_not_found[term] = phrase_not_found
            start = FIRST_PMID + len(self._state.edats)
            span = (last - first).days
            records = [Record(str(start + i), first + dt.timedelta(days=(span * i) // max(n - 1, 1)))
                       for i in range(n)]
            corpus = self._state.corpora.setdefault(term, [])
            corpus.extend(records)
            # PubMed's default order: most recent first.
            corpus.sort(key=lambda r: (r.edat, int(r.pmid)), reverse=True)
            self._state.edats.update((r.pmid, r.edat) for r in records)
        return [r.pmid for r in records]

    def inject(self, endpoint: str, kind: str, times: int = 1, delay: float = 0.0, *, status: int = 200,
               after: int = 0) -> None:
        """Make the next ``times`` requests to ``endpoint`` ("esearch", "efetch", "epost") fail,
        after letting ``after`` of them through.

        ``kind`` is one of: "429", "500", "502", "503" (that status), "reset" (connection reset,
        no reply), "slow" (reply after ``delay`` seconds), "truncate" (Content-Length promises
        more than is sent), "cut" (XML cut mid-way, consistent headers), "short" (well-formed
        XML missing a record), "expire" (every History set expires first), "html" (a web server's
        HTML page with HTTP ``status``, as a wrong ``--eutils-url`` gets).
        """
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r}; one of {FAULTS}")
        with self._lock:
            self._state.faults.append(_Fault(endpoint, kind, times, delay, status, after))

    def clear_faults(self) -> None:
        """Drop every fault not yet used."""
        with self._lock:
            self._state.faults.clear()

    def expire_histories(self) -> None:
        """Forget every WebEnv, as NCBI does after some hours."""
        with self._lock:
            self._state.histories.clear()

    @property
    def log(self) -> list[LoggedRequest]:
        """A copy of the request log, in arrival order."""
        with self._lock:
            return list(self._state.log)

    def requests_to(self, endpoint: str) -> list[LoggedRequest]:
        return [r for r in self.log if r.endpoint == endpoint]

    def max_requests_in_window(self, window: float = 1.0) -> int:
        """The most requests that arrived within any ``window`` seconds (half-open), from the log."""
        times = [r.time for r in self.log]
        best, lo = 0, 0
        for hi, t in enumerate(times):
            while times[lo] <= t - window:
                lo += 1
            best = max(best, hi - lo + 1)
        return best

    # -- the protocol --------------------------------------------------------------------------
    def count_between(self, term: str, mindate: str | None, maxdate: str | None) -> int:
        """How many records of ``term`` have an Entrez date in [mindate, maxdate] (what esearch counts)."""
        low, high = _date(mindate, False), _date(maxdate, True)
        return sum(1 for r in self._state.corpora.get(term, ()) if low <= r.edat <= high)

    def _take_fault(self, endpoint: str) -> _Fault | None:
        for fault in self._state.faults:
            if fault.endpoint == endpoint and fault.remaining > 0:
                if fault.skip > 0:
                    fault.skip -= 1
                    return None
                fault.remaining -= 1
                return fault
        return None

    def _over_rate(self, params: dict[str, str], now: float) -> int:
        """Requests in the last second for this caller, this one included (0 when within the limit)."""
        key = params.get("api_key", "")
        limit = self.rate_limit_with_key if key else self.rate_limit
        seen = self._state.arrivals[key]
        seen.append(now)
        while seen and seen[0] <= now - 1.0:
            seen.popleft()
        return len(seen) if len(seen) > limit else 0

    def handle(self, endpoint: str, params: dict[str, str]) -> tuple[LoggedRequest, _Fault | None, int, dict, bytes]:
        """Answer one request: (log entry, fault, status, headers, body)."""
        now = time.monotonic()
        with self._lock:
            entry = LoggedRequest(now, endpoint, params)
            self._state.log.append(entry)
            if len(self._state.log) > self.max_requests:
                return entry, None, 503, {}, b"test server request budget exhausted"
            over = self._over_rate(params, now)
            if over:
                headers = {"Content-Type": "application/json"}
                if self.retry_after is not None:
                    headers["Retry-After"] = str(int(self.retry_after))
                return entry, None, 429, headers, RATE_LIMIT_BODY % over
            fault = self._take_fault(endpoint)
            if fault and fault.kind == "429":
                return entry, fault, 429, {"Content-Type": "application/json", "Retry-After": "1"}, RATE_LIMIT_BODY % 11
            if fault and fault.kind == "html":
                return entry, fault, fault.status, {"Content-Type": "text/html"}, HTML_PAGE
            if fault and fault.kind in ("500", "502", "503"):
                return entry, fault, int(fault.kind), {"Content-Type": "text/html"}, b"<html><body>Backend error</body></html>"
            if fault and fault.kind == "expire":
                self._state.histories.clear()
            if params.get("tool") is None or params.get("email") is None:
                return entry, fault, 400, {}, b"tool and email are required"
            answer = {"esearch": self._esearch, "efetch": self._efetch, "epost": self._epost}.get(endpoint)
            if answer is None:
                return entry, fault, 404, {}, b"no such E-utility"
            status, body = answer(params, fault)
            return entry, fault, status, {"Content-Type": "text/xml; charset=UTF-8"}, body

    def _new_history(self, pmids: list[str]) -> tuple[str, str]:
        webenv = f"MCID_{next(self._webenv_ids):08d}_test"
        self._state.histories[f"{webenv}/1"] = pmids
        return webenv, "1"

    def _esearch(self, params: dict[str, str], fault: _Fault | None) -> tuple[int, bytes]:
        term = params.get("term", "").strip()
        retstart, retmax = int(params.get("retstart", 0)), min(int(params.get("retmax", 20)), 10_000)
        if term.count("(") != term.count(")"):
            return 200, _esearch_xml(error="Invalid query: unbalanced parentheses")
        if term not in self._state.corpora:
            return 200, _esearch_xml(count=0, translation=f"({term}[All Fields])", errors={"PhraseNotFound": term},
                                     warnings={"OutputMessage": "No items found."})
        if retstart > MAX_RETSTART:
            return 200, _esearch_xml(error=f"Search Backend failed: retstart cannot be larger than {MAX_RETSTART}")
        low, high = _date(params.get("mindate"), False), _date(params.get("maxdate"), True)
        pmids = [r.pmid for r in self._state.corpora[term] if low <= r.edat <= high]
        webenv = query_key = None
        if params.get("usehistory") == "y":
            webenv, query_key = self._new_history(pmids)
        ids = pmids[: MAX_RETSTART + 1][retstart: retstart + retmax]
        warnings = {"OutputMessage": "No items found."} if not pmids else {}
        missing = self._state.phrases_not_found.get(term)
        return 200, _esearch_xml(count=len(pmids), ids=ids, webenv=webenv, query_key=query_key,
                                 translation=f"{term}[All Fields]", warnings=warnings,
                                 errors={"PhraseNotFound": missing} if missing else None)

    def _efetch(self, params: dict[str, str], fault: _Fault | None) -> tuple[int, bytes]:
        retstart, retmax = int(params.get("retstart", 0)), int(params.get("retmax", 20))
        if "id" in params:
            pmids = [p for p in params["id"].split(",") if p in self._state.edats]
        else:
            pmids = self._state.histories.get(f"{params.get('WebEnv')}/{params.get('query_key')}")
            if pmids is None:
                return 400, (b'<?xml version="1.0" encoding="UTF-8" ?>\n<eFetchResult>\n'
                             b"\t<ERROR>Unable to obtain query #1</ERROR>\n</eFetchResult>\n")
            if retstart > MAX_RETSTART:
                return 400, b'{"error":"Search Backend failed: retstart cannot be larger than 9998"}'
            pmids = pmids[: MAX_RETSTART + 1][retstart: retstart + retmax]
        if fault and fault.kind == "short" and pmids:
            pmids = pmids[:-1]
        return 200, pubmed_xml([(p, self._state.edats[p]) for p in pmids])

    def _epost(self, params: dict[str, str], fault: _Fault | None) -> tuple[int, bytes]:
        pmids = [p for p in params.get("id", "").split(",") if p]
        webenv, query_key = self._new_history(pmids)
        return 200, (f'<?xml version="1.0" encoding="UTF-8" ?>\n<ePostResult>\n\t<QueryKey>{query_key}</QueryKey>\n'
                     f"\t<WebEnv>{webenv}</WebEnv>\n</ePostResult>\n").encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # so server_close() waits for every handler and leaks no socket

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.open_connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def process_request(self, request: socket.socket, client_address: object) -> None:
        with self._connections_lock:
            self.open_connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket) -> None:
        with self._connections_lock:
            self.open_connections.discard(request)
        super().shutdown_request(request)

    def hang_up(self) -> None:
        """End idle keep-alive connections, so their handler threads return at once."""
        with self._connections_lock:
            for connection in self.open_connections:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


class _Handler(BaseHTTPRequestHandler):
    owner: EutilsTestServer
    protocol_version = "HTTP/1.1"  # keep-alive, as NCBI's servers allow
    timeout = 5  # an idle keep-alive connection is closed after this

    def log_message(self, format: str, *args: object) -> None:  # quiet: the server keeps its own log
        pass

    def do_GET(self) -> None:
        self._answer(urlsplit(self.path).query)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._answer(self.rfile.read(length).decode("utf-8"))

    def _answer(self, query: str) -> None:
        endpoint = urlsplit(self.path).path.rsplit("/", 1)[-1].removesuffix(".fcgi")
        params = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
        entry, fault, status, headers, body = self.owner.handle(endpoint, params)
        entry.fault = fault.kind if fault else None
        kind = fault.kind if fault else None
        if kind == "reset":
            # SO_LINGER 0: close() sends RST, as a dropped connection does.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        if kind == "slow":
            time.sleep(fault.delay)
        if kind == "cut":
            body = body[: len(body) // 2]
        entry.status = status
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            if kind == "truncate":
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.close_connection = True
                return
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            self.close_connection = True


# -- documents ------------------------------------------------------------------------------------


def _date(text: str | None, end: bool) -> dt.date:
    if not text:
        return dt.date.max if end else dt.date.min
    parts = [int(p) for p in re.split(r"[/-]", text.strip())]
    year, month, day = (parts + [None, None])[:3]
    if month is None:
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    if day is None:
        if not end:
            return dt.date(year, month, 1)
        return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return dt.date(year, month, day)


def _esearch_xml(*, count: int = 0, ids: list[str] = (), webenv: str | None = None, query_key: str | None = None,
                 translation: str = "", errors: dict[str, str] | None = None,
                 warnings: dict[str, str] | None = None, error: str | None = None) -> bytes:
    head = ('<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
            '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n')
    if error:
        return (head + f"<eSearchResult><ERROR>{escape(error)}</ERROR></eSearchResult>\n").encode()
    parts = [f"<Count>{count}</Count><RetMax>{len(ids)}</RetMax><RetStart>0</RetStart>"]
    if webenv:
        parts.append(f"<QueryKey>{query_key}</QueryKey><WebEnv>{webenv}</WebEnv>")
    parts.append("<IdList>" + "".join(f"\n<Id>{i}</Id>" for i in ids) + "\n</IdList>")
    parts.append(f"<TranslationSet/><QueryTranslation>{escape(translation)}</QueryTranslation>")
    for name, entries in (("ErrorList", errors), ("WarningList", warnings)):
        if entries:
            parts.append(f"<{name}>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in entries.items()) + f"</{name}>")
    return (head + "<eSearchResult>" + "".join(parts) + "</eSearchResult>\n").encode()


def pubmed_xml(records: list[tuple[str, dt.date]]) -> bytes:
    """A PubmedArticleSet document holding synthetic records for ``(pmid, entrez_date)`` pairs."""
    head = ('<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
            '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n')
    return (head + "".join(_article(p, d) for p, d in records) + "</PubmedArticleSet>\n").encode()


def _article(pmid: str, edat: dt.date) -> str:
    n = int(pmid) - FIRST_PMID
    y, m, d = edat.year, edat.month, edat.day
    return (
        f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{pmid}</PMID>'
        f'<Article PubModel="Print"><Journal><ISSN IssnType="Print">0000-000X</ISSN>'
        f'<JournalIssue CitedMedium="Print"><Volume>{n % 40 + 1}</Volume><Issue>{n % 12 + 1}</Issue>'
        f"<PubDate><Year>{y}</Year><Month>{m:02d}</Month></PubDate></JournalIssue>"
        f"<Title>Journal of Synthetic Test Records</Title><ISOAbbreviation>J Synth Test Rec</ISOAbbreviation></Journal>"
        f"<ArticleTitle>Synthetic record {n}: <i>needle</i> stimulation compared with a placebo procedure in invented leg pain.</ArticleTitle>"
        f"<Pagination><MedlinePgn>{n % 90 + 1}-{n % 90 + 9}</MedlinePgn></Pagination>"
        f'<Abstract><AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">Invented background text number {n}.</AbstractText>'
        f'<AbstractText Label="RESULTS" NlmCategory="RESULTS">Invented result: {n % 97} of 100 made-up participants improved.</AbstractText></Abstract>'
        f'<AuthorList CompleteYN="Y"><Author ValidYN="Y"><LastName>Tester</LastName><ForeName>Ada</ForeName><Initials>A</Initials></Author>'
        f'<Author ValidYN="Y"><LastName>Fixture{n % 7}</LastName><ForeName>Bo</ForeName><Initials>B</Initials></Author></AuthorList>'
        f"<Language>eng</Language><PublicationTypeList>"
        f'<PublicationType UI="D016449">Randomized Controlled Trial</PublicationType></PublicationTypeList></Article>'
        f"<MedlineJournalInfo><Country>Nowhere</Country><MedlineTA>J Synth Test Rec</MedlineTA></MedlineJournalInfo>"
        f'<MeshHeadingList><MeshHeading><DescriptorName UI="D015670" MajorTopicYN="Y">Acupuncture Therapy</DescriptorName></MeshHeading></MeshHeadingList>'
        f"</MedlineCitation><PubmedData><History>"
        f'<PubMedPubDate PubStatus="entrez"><Year>{y}</Year><Month>{m}</Month><Day>{d}</Day><Hour>6</Hour><Minute>0</Minute></PubMedPubDate>'
        f"</History><PublicationStatus>ppublish</PublicationStatus><ArticleIdList>"
        f'<ArticleId IdType="pubmed">{pmid}</ArticleId><ArticleId IdType="doi">10.99999/synthetic.{n}</ArticleId>'
        f"</ArticleIdList></PubmedData></PubmedArticle>\n"
    )
