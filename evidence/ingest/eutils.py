"""NCBI E-utilities over HTTP: one polite, fault-tolerant client.

What NCBI asks of every program (https://www.ncbi.nlm.nih.gov/books/NBK25497/):

* send ``tool`` and ``email`` with every request;
* at most 3 requests per second, or 10 with an API key, counted per user, whatever the
  number of threads;
* fetch large sets from the History server (esearch ``usehistory=y`` then efetch with
  ``WebEnv`` + ``query_key``), and POST long requests;
* run large jobs on weekends or between 9 pm and 5 am US Eastern time.

Every request goes through :meth:`EutilsClient.request`, which waits at the shared
:class:`RateLimiter` before *each* attempt, so retries are rate limited too. Failures NCBI
really produces are retried with jittered exponential backoff, for a time budget (10 minutes
by default) rather than a number of tries: 429 (honouring ``Retry-After``), 5xx, connection
resets, timeouts, and replies cut short or malformed. A server that answers with a web page or
other content is not E-utilities, and is named at once instead of retried. Everything else is
mapped to :mod:`evidence.errors` here, in one place.

The API key travels only in POST bodies, is never logged, and is scrubbed from every
message this module builds.
"""

from __future__ import annotations

import email.utils
import logging
import random
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import requests
import urllib3
from lxml import etree

from .. import __version__
from ..errors import (
    EutilsError,
    EutilsResponseError,
    EutilsServerError,
    HistoryExpiredError,
    IncompleteReplyError,
    InputError,
    NetworkUnavailableError,
    NotEutilsServerError,
    QueryError,
    RateLimitError,
)

log = logging.getLogger(__name__)

NCBI_EUTILS_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
TOOL = "evidence"
RATE_WITHOUT_KEY = 3.0
RATE_WITH_KEY = 10.0
# PubMed's esearch gives access to the first 9,999 ids of a result only: retstart > 9998 is
# refused (https://www.ncbi.nlm.nih.gov/books/NBK25499/#chapter4.ESearch). Larger results
# are split by date (see evidence.ingest.fetch.plan_windows).
ESEARCH_MAX_IDS = 9999
USER_AGENT = f"evidence/{__version__} (E-utilities client)"

OFFLINE_ADVICE = (
    "check your internet connection, or work offline: `evidence report` uses the embedded "
    "snapshot, and `evidence import FILE` reads a PubMed export (.nbib or XML)"
)


# -- rate limiting -----------------------------------------------------------------------------


class RateLimiter:
    """Let at most ``rate`` requests start in any sliding window, across all threads.

    NCBI counts requests per second as they arrive, and a request can reach the server a
    little later than it left the limiter (a busy CPU, the GIL, a new connection), so two
    starts a whole window apart may arrive less than a second apart. The window is therefore
    one second *plus* ``margin``: any ``rate + 1`` starts span at least ``1 + margin`` seconds,
    and a delay of up to ``margin`` between start and arrival cannot put ``rate + 1`` in one
    second of the server's clock. (Even spacing at ``1.02 / rate`` left only 20 ms of slack for
    the same job, and a loaded machine went over.) The price is throughput: at most ``rate``
    requests per ``1 + margin`` seconds, 2.4/s instead of 3/s with the default margin. Starts are stamped under the lock at the
    moment they are allowed, from a monotonic clock, so a thread that wakes late is counted
    from when it really left.

    Parameters
    ----------
    rate:
        Requests per second. A whole number is the count per window; a fraction below 1
        (0.5 = one request per 2 s) widens the window instead.
    margin:
        Seconds added to the window (default ``MARGIN``).
    clock, sleep:
        Injectable so unit tests need not wait (``time.monotonic`` / ``time.sleep``).
    """

    # Measured: under a loaded CPU (tests/test_fetch.py, a fault storm beside a spinning thread
    # and process) requests reached the local test server up to 0.18 s after their start.
    MARGIN = 0.25

    def __init__(self, rate: float, *, margin: float | None = None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        if rate <= 0:
            raise InputError(f"the request rate must be positive, not {rate}", setting="rate")
        margin = self.MARGIN if margin is None else margin
        if margin < 0:
            raise InputError(f"the rate limiter's margin must not be negative, not {margin}", setting="margin")
        self.limit = max(1, int(rate))
        self.window = self.limit / rate + margin
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._starts: deque[float] = deque()
        self._paused_until = float("-inf")

    def acquire(self) -> None:
        """Block until this caller may start a request, and count its start."""
        while True:
            with self._lock:
                now = self._clock()
                starts = self._starts
                # Compared as ``start + window <= now`` both here and in the wait below, so a
                # wait is never rounded to zero while its start still counts.
                while starts and starts[0] + self.window <= now:
                    starts.popleft()
                if self._paused_until > now:
                    wait = self._paused_until - now
                elif len(starts) < self.limit:
                    starts.append(now)
                    return
                else:
                    wait = starts[0] + self.window - now
            self._sleep(wait)

    def hold(self, seconds: float) -> None:
        """Let no request start for ``seconds`` from now (after a 429 or a failure)."""
        with self._lock:
            self._paused_until = max(self._paused_until, self._clock() + seconds)


# -- retry policy ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    """How patiently to retry: for a time budget, not a number of attempts.

    After failed attempt ``k`` (1-based) the client waits ``min(backoff_max, backoff_base *
    2 ** (k - 1))`` seconds, cut by a random part of up to ``jitter`` of it so that clients
    (and threads) that failed together do not come back together; or exactly the server's
    ``Retry-After``, when it gives one. It gives up on a request only when the next wait would
    end more than ``budget`` seconds after its first attempt.
    """

    budget: float = 600.0
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    jitter: float = 0.5

    def __post_init__(self) -> None:
        if self.budget < 0 or self.backoff_base <= 0 or self.backoff_max <= 0 or not 0 <= self.jitter <= 1:
            raise InputError("the retry budget and backoff must be positive, the jitter between 0 and 1",
                             setting="retry_budget")

    def delay(self, attempt: int, retry_after: float | None = None, draw: float = 0.0) -> float:
        """Seconds to wait after failed attempt ``attempt``; ``draw`` is a random number in [0, 1)."""
        if retry_after is not None:
            return retry_after
        return min(self.backoff_max, self.backoff_base * 2 ** (attempt - 1)) * (1.0 - self.jitter * draw)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP-date), None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


# -- replies -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class History:
    """A result set on NCBI's History server."""

    webenv: str
    query_key: str


@dataclass(frozen=True)
class SearchResult:
    """What esearch said about a query.

    ``errors`` and ``warnings`` are NCBI's ErrorList and WarningList entries as readable
    text ("phrase not found: abcXYZ"); ``ids`` holds at most ``retmax`` PMIDs, most recent first.
    """

    count: int
    history: History | None
    query_translation: str | None
    ids: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class FetchedBatch:
    """One efetch reply that passed its checks: the XML bytes and the PMIDs in it."""

    data: bytes
    pmids: tuple[str, ...]


_SAFE_XML = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": True}


def _xml_root(body: bytes, what: str) -> etree._Element:
    try:
        return etree.fromstring(body, etree.XMLParser(**_SAFE_XML))
    except etree.XMLSyntaxError as exc:
        raise IncompleteReplyError(f"{what} reply is not well-formed XML ({exc.msg})") from exc


def _readable(tag: str) -> str:
    # "PhraseNotFound" -> "phrase not found"
    return "".join(" " + c.lower() if c.isupper() else c for c in tag).strip()


def parse_esearch(body: bytes) -> SearchResult:
    """Read an eSearchResult document.

    Raises
    ------
    QueryError
        NCBI refused the query (an ``ERROR`` element), or found nothing and said why (ErrorList).
    IncompleteReplyError
        The reply is cut short or not an eSearchResult.
    """
    root = _xml_root(body, "esearch")
    if root.tag != "eSearchResult":
        raise NotEutilsServerError(f"esearch replied with <{root.tag}>, not <eSearchResult>")
    errors = tuple(f"{_readable(e.tag)}: {e.text or ''}".strip() for e in root.iterfind("ErrorList/*"))
    warnings = tuple(f"{_readable(e.tag)}: {e.text or ''}".strip() for e in root.iterfind("WarningList/*"))
    fatal = root.findtext("ERROR")
    if fatal:
        raise QueryError(f"PubMed refused the query: {fatal.strip()}; check its syntax", [fatal.strip(), *errors])
    count_text = root.findtext("Count")
    if count_text is None or not count_text.strip().isdigit():
        raise IncompleteReplyError("esearch reply has no Count")
    count = int(count_text)
    if count == 0 and errors:
        raise QueryError(f"PubMed found nothing and could not use part of the query ({'; '.join(errors)}); "
                         "check spelling and field tags", list(errors))
    webenv, query_key = root.findtext("WebEnv"), root.findtext("QueryKey")
    history = History(webenv, query_key) if webenv and query_key else None
    ids = tuple(i.text.strip() for i in root.iterfind("IdList/Id") if i.text)
    return SearchResult(count, history, root.findtext("QueryTranslation"), ids, errors, warnings)


def parse_efetch(body: bytes, expected: Sequence[str]) -> FetchedBatch:
    """Check a PubMed efetch reply holds exactly the ``expected`` PMIDs.

    Raises
    ------
    HistoryExpiredError
        NCBI no longer holds the History set (``Unable to obtain query``).
    IncompleteReplyError
        The XML is not well formed, or PMIDs are missing (a reply cut short).
    EutilsResponseError
        Any other error reply, or PMIDs that were not asked for.
    """
    root = _xml_root(body, "efetch")
    if root.tag == "eFetchResult":
        _raise_efetch_error(root.findtext("ERROR") or "empty eFetchResult")
    if root.tag != "PubmedArticleSet":
        raise NotEutilsServerError(f"efetch replied with <{root.tag}>, not <PubmedArticleSet>")
    pmids = tuple((p.text or "").strip() for path in ("PubmedArticle/MedlineCitation/PMID", "PubmedBookArticle/BookDocument/PMID")
                  for p in root.iterfind(path))
    got, want = set(pmids), set(expected)
    if want - got:
        raise IncompleteReplyError(f"efetch reply holds {len(got & want)} of {len(want)} records asked for")
    if got - want:
        raise EutilsResponseError(f"efetch returned {len(got - want)} records not asked for "
                                  f"(e.g. PMID {min(got - want)}); the History set changed")
    return FetchedBatch(body, pmids)


def _raise_efetch_error(message: str) -> None:
    # NCBI answers an expired or unknown WebEnv with "Unable to obtain query #1"
    # (https://www.ncbi.nlm.nih.gov/books/NBK25499/, History server).
    if "unable to obtain query" in message.lower() or "webenv" in message.lower():
        raise HistoryExpiredError(f"the History server no longer holds the result set ({message.strip()})")
    raise EutilsResponseError(f"efetch refused the request: {message.strip()}")


# -- the client --------------------------------------------------------------------------------


class EutilsClient:
    """An E-utilities client: rate limited, retrying, safe to share between threads.

    Parameters
    ----------
    email:
        Contact address sent with every request, as NCBI requires.
    api_key:
        Optional NCBI API key; raises the default rate from 3 to 10 requests per second.
        Sent only in POST bodies; never logged or shown.
    base_url:
        The E-utilities base URL (``.../entrez/eutils/``); a mirror or test server may stand in.
    rate:
        Requests per second; defaults to NCBI's limit (3, or 10 with a key). Do not raise it
        above NCBI's limit for NCBI's servers.
    retry:
        Retry time budget, backoff and jitter.
    timeout:
        (connect, read) timeouts in seconds.
    clock, sleep, draw:
        Injectable time source for the rate limiter and backoff, and the random numbers in
        [0, 1) that jitter the backoff.
    """

    def __init__(self, email: str, *, api_key: str | None = None, base_url: str = NCBI_EUTILS_URL,
                 rate: float | None = None, retry: RetryPolicy = RetryPolicy(),
                 timeout: tuple[float, float] = (10.0, 120.0), tool: str = TOOL,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                 draw: Callable[[], float] = random.random):
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.email = email
        self.tool = tool
        self._api_key = api_key or None
        self.rate = rate or (RATE_WITH_KEY if self._api_key else RATE_WITHOUT_KEY)
        self.limiter = RateLimiter(self.rate, clock=clock, sleep=sleep)
        self.retry = retry
        self._clock = clock
        self._random = draw
        self.timeout = timeout
        self.stats: Counter[str] = Counter()
        self._stats_lock = threading.Lock()
        # requests.Session is not documented as thread-safe: one per thread.
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()
        self._reached_server = False

    def __repr__(self) -> str:  # never show the key
        return f"EutilsClient(base_url={self.base_url!r}, rate={self.rate}, api_key={'set' if self._api_key else 'none'})"

    def __enter__(self) -> EutilsClient:  # noqa: PYI034 (typing.Self needs Python 3.11)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close every HTTP session this client opened."""
        with self._sessions_lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["User-Agent"] = USER_AGENT
            self._local.session = session
            with self._sessions_lock:
                self._sessions.append(session)
        return session

    def _count(self, key: str) -> None:
        with self._stats_lock:
            self.stats[key] += 1

    def redact(self, text: str) -> str:
        """``text`` with the API key replaced by ``***``."""
        return text.replace(self._api_key, "***") if self._api_key else text

    # -- transport ---------------------------------------------------------------------------

    def request(self, endpoint: str, params: dict[str, str], parse: Callable[[bytes], object]) -> object:
        """POST ``params`` to ``endpoint`` and return ``parse(body)``, retrying what can be retried.

        ``parse`` may raise :class:`IncompleteReplyError` to have the request sent again.
        Retries go on until the retry policy's time budget is spent.

        Raises
        ------
        NetworkUnavailableError
            The server cannot be reached at all (first contact failed), or connections kept
            failing for the whole budget.
        NotEutilsServerError
            The server answered with a web page or other content that is not E-utilities XML.
        RateLimitError, EutilsServerError, EutilsResponseError
            429s, 5xx or bad replies for the whole budget, or a reply that cannot be used.
        """
        data = {**params, "tool": self.tool, "email": self.email}
        if self._api_key:
            data["api_key"] = self._api_key
        url = self.base_url + endpoint
        what = _describe(endpoint, params)
        started = self._clock()
        attempt = 0
        while True:
            attempt += 1
            self.limiter.acquire()
            self._count("requests")
            if attempt > 1:
                self._count("retries")
            reply, last, retry_after = self._attempt(url, data, what, parse)
            if last is None:
                return reply
            delay = self.retry.delay(attempt, retry_after, self._random())
            spent = self._clock() - started
            if spent + delay > self.retry.budget:
                waited = f"after {attempt} attempts in {spent:.0f} s" if attempt > 1 else "at once"
                asked = f"; the server asked to wait {delay:.0f} s" if retry_after is not None else ""
                raise type(last)(f"{last} (gave up {waited}, retry budget {self.retry.budget:.0f} s{asked})")
            log.warning("%s; retrying in %.1f s (attempt %d, giving up after %.0f s)", last, delay, attempt + 1,
                        self.retry.budget)
            # Hold every thread, not only this one: a 429 or 5xx means the server wants less.
            self.limiter.hold(delay)

    def _attempt(self, url: str, data: dict[str, str], what: str,
                 parse: Callable[[bytes], object]) -> tuple[object, EutilsError | None, float | None]:
        """Send one request: (parsed reply, None, None), or (None, the retryable error, Retry-After).

        Errors that a retry cannot cure are raised.
        """
        try:
            response = self._session().post(url, data=data, timeout=self.timeout)
            body = response.content  # reads the whole body: a cut-off body raises here
        except (requests.exceptions.Timeout, requests.exceptions.ConnectionError,
                requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as exc:
            if not self._reached_server and _is_connect_failure(exc):
                raise NetworkUnavailableError(
                    f"cannot reach NCBI E-utilities at {self.base_url} ({self.redact(_short(exc))}); {OFFLINE_ADVICE}"
                ) from exc
            self._count("connection_errors")
            return None, NetworkUnavailableError(f"{what}: {self.redact(_short(exc))}"), None
        except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                requests.exceptions.InvalidSchema) as exc:
            # requests raises these as ValueErrors: a malformed base URL is the user's setting.
            raise InputError(f"the E-utilities URL {self.redact(self.base_url)!r} is not a usable URL "
                             f"({self.redact(_short(exc))})", setting="eutils_url") from None
        self._reached_server = True
        status = response.status_code
        log.debug("POST %s -> %s (%d bytes)", what, status, len(body))
        if status == 429:
            self._count("http_429")
            return None, RateLimitError(
                f"{what}: NCBI kept answering 429 (rate limit exceeded: {self.redact(_snippet(body))}); "
                "wait a minute, use an NCBI API key, or run at night or at the weekend (US Eastern time)",
                setting="api_key"), parse_retry_after(response.headers.get("Retry-After"))
        if status >= 500:
            self._count("http_5xx")
            return None, EutilsServerError(
                f"{what}: NCBI answered HTTP {status} ({self.redact(_snippet(body))}); NCBI may be busy or down"), None
        try:
            foreign = _foreign_content(body, status)
            if foreign is not None:
                raise NotEutilsServerError(f"{what} got {foreign}")
            if status >= 400 and not _is_eutils_xml(body):
                raise EutilsResponseError(f"{what}: HTTP {status} ({self.redact(_snippet(body))})")
            return parse(body), None, None
        except NotEutilsServerError as exc:
            # One line that names the server and the status, instead of retrying a web page.
            raise NotEutilsServerError(
                f"the server at {self.redact(self.base_url)} is not an NCBI E-utilities server: HTTP {status}, "
                f"{self.redact(str(exc))}; check the E-utilities URL (NCBI's is {NCBI_EUTILS_URL})",
                setting="eutils_url") from None
        except IncompleteReplyError as exc:
            self._count("bad_replies")
            # A new exception, not ``exc``: its traceback would hold this frame, and through it
            # the HTTP connection, in a reference cycle.
            return None, IncompleteReplyError(f"{what}: {exc}"), None

    def time_left(self, since: float) -> float:
        """Seconds of the retry budget left for work that started at ``since`` (this client's clock)."""
        return self.retry.budget - (self._clock() - since)

    def now(self) -> float:
        """This client's clock (monotonic seconds, or the injected clock)."""
        return self._clock()

    # -- E-utilities -------------------------------------------------------------------------

    def esearch(self, term: str, *, mindate: str | None = None, maxdate: str | None = None,
                retmax: int = ESEARCH_MAX_IDS, db: str = "pubmed") -> SearchResult:
        """Run esearch with ``usehistory=y``; dates (YYYY/MM/DD) limit the Entrez date (edat).

        Raises
        ------
        QueryError
            NCBI refused the query or found nothing and listed errors.
        """
        params = {"db": db, "term": term, "usehistory": "y", "retmax": str(retmax), "retmode": "xml"}
        if mindate or maxdate:
            # NCBI needs both ends of a date range.
            params.update(datetype="edat", mindate=mindate or "1800/01/01", maxdate=maxdate or "3000/12/31")
        result = self.request("esearch.fcgi", params, parse_esearch)
        assert isinstance(result, SearchResult)
        return result

    def efetch(self, history: History, retstart: int, expected: Sequence[str], db: str = "pubmed") -> FetchedBatch:
        """Fetch ``len(expected)`` PubMed XML records from a History set, from ``retstart``.

        The reply is checked to hold exactly the ``expected`` PMIDs, and fetched again if not.

        Raises
        ------
        HistoryExpiredError
            The History set expired; make a new one (:meth:`epost`) and call again.
        """
        params = {"db": db, "WebEnv": history.webenv, "query_key": history.query_key,
                  "retstart": str(retstart), "retmax": str(len(expected)), "retmode": "xml"}
        result = self.request("efetch.fcgi", params, lambda body: parse_efetch(body, expected))
        assert isinstance(result, FetchedBatch)
        return result

    def epost(self, ids: Sequence[str], db: str = "pubmed") -> History:
        """Upload PMIDs to the History server, keeping their order; returns the new set."""
        result = self.request("epost.fcgi", {"db": db, "id": ",".join(ids)}, parse_epost)
        assert isinstance(result, History)
        return result


def parse_epost(body: bytes) -> History:
    """Read an ePostResult document."""
    root = _xml_root(body, "epost")
    error = root.findtext("ERROR")
    if error:
        raise EutilsResponseError(f"epost refused the request: {error.strip()}")
    if root.tag != "ePostResult":
        raise NotEutilsServerError(f"epost replied with <{root.tag}>, not <ePostResult>")
    webenv, query_key = root.findtext("WebEnv"), root.findtext("QueryKey")
    if not webenv or not query_key:
        raise IncompleteReplyError("epost reply has no WebEnv/QueryKey")
    return History(webenv, query_key)


def _describe(endpoint: str, params: dict[str, str]) -> str:
    # A log/error label made of harmless parameters only (never the key, never the whole term).
    keys = ("retstart", "retmax", "mindate", "maxdate")
    shown = " ".join(f"{k}={params[k]}" for k in keys if k in params)
    return f"{endpoint.split('.')[0]}{' ' + shown if shown else ''}"


def _is_connect_failure(exc: Exception) -> bool:
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, urllib3.exceptions.NewConnectionError)


_FIRST_ELEMENT = re.compile(rb"<([A-Za-z][\w:.-]*)")
_TITLE = re.compile(rb"<title[^>]*>([^<]{1,200})", re.IGNORECASE)


def _html_page(body: bytes) -> str | None:
    """"an HTML page titled '...'" when ``body`` is a web page, else None."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    first = _FIRST_ELEMENT.search(head)
    if not (head[:14].lower() == b"<!doctype html"
            or (head.startswith(b"<") and first is not None and first.group(1).lower() == b"html")):
        return None
    m = _TITLE.search(body[:8192])
    title = " ".join(m.group(1).decode("utf-8", "replace").split()) if m else ""
    return f"an HTML page titled {title!r}" if title else "an HTML page"


def _foreign_content(body: bytes, status: int) -> str | None:
    """What a reply holds when it plainly is not E-utilities ("an HTML page titled 'Not Found'").

    None for E-utilities XML (cut short or not, which is retried), for NCBI's JSON error
    bodies, for an empty body (a reply cut short), and for short plain-text errors with a 4xx.
    """
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        return None
    page = _html_page(body)
    if page is not None or head.startswith(b"<"):
        return page
    if head.startswith((b"{", b"[")):
        return None if b'"error"' in head else "JSON that is not an E-utilities reply"
    return "text that is not XML" if status < 400 else None


def _is_eutils_xml(body: bytes) -> bool:
    # NCBI reports some errors (an expired WebEnv, a bad id) as HTTP 400 with an XML body the
    # parser understands; other 4xx replies are plain failures.
    head = body[:400].lstrip()
    return head.startswith((b"<?xml", b"<e"))


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) <= 200 else text[:200] + "..."


def _snippet(body: bytes) -> str:
    """A short one-line description of a reply body for messages (never a whole web page)."""
    return _html_page(body) or " ".join(body[:200].decode("utf-8", "replace").split()) or "empty body"
