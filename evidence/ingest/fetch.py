"""Fetch a PubMed query into the raw archive, resumably, adding each batch to the tables.

A run goes through four steps:

1. **Plan.** esearch the query over an Entrez-date range (all dates, or from ``since``, or
   from the last complete run). A result above PubMed's 9,999-id ceiling is split into date
   windows until each fits (:func:`plan_windows`). Each window keeps its History set and its
   PMIDs, so every batch knows exactly which records it must hold.
2. **Manifest.** ``raw/fetch-<run>/manifest.json`` records the query, NCBI's translation,
   the count, the plan and, as they arrive, the batches done.
3. **Batches.** efetch ``batch_size`` records at a time from the History set, a few threads
   sharing one rate limiter. Each reply is checked (well-formed, exactly the PMIDs asked
   for), gzipped and archived atomically as it arrives, then marked done in the manifest.
   An expired History set is replaced by a new one (epost of the window's PMIDs, same order).
4. **Tables.** each batch's rows join the tables when it is stored (one commit per batch);
   the run is marked complete only after its last batch is committed.

Nothing is written before NCBI has answered the first request, so a fetch without network
changes nothing stored. A run cut short (Ctrl-C, a killed process, NCBI down) is resumed by
running the same command again: batches already stored are never fetched again.
"""

from __future__ import annotations

import datetime as dt
import gzip
import logging
import secrets
import sys
import threading
import time
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..errors import EutilsError, EutilsResponseError, FetchIncompleteError, HistoryExpiredError, InputError
from .eutils import (
    ESEARCH_MAX_IDS,
    NCBI_EUTILS_URL,
    TOOL,
    EutilsClient,
    FetchedBatch,
    History,
    RetryPolicy,
    SearchResult,
    parse_efetch,
)
from .journal import phase
from .store import Store, now_iso
from ..topic.model import load_topic

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 500
DEFAULT_WORKERS = 3
EARLIEST = dt.date(1800, 1, 1)
MAX_BATCH_SIZE = 10_000  # NCBI's efetch ceiling per request
MANIFEST = "manifest.json"


# -- the plan ------------------------------------------------------------------------------------


@dataclass
class Window:
    """An Entrez-date range of the query whose result fits under the esearch ceiling."""

    mindate: str
    maxdate: str
    ids: list[str]
    webenv: str | None = None
    query_key: str | None = None

    @property
    def history(self) -> History | None:
        return History(self.webenv, self.query_key) if self.webenv and self.query_key else None


@dataclass(frozen=True)
class Batch:
    """One efetch request of the plan: records ``retstart`` onwards of a window."""

    n: int
    window: int
    retstart: int
    pmids: tuple[str, ...]

    def relpath(self, run_id: str) -> str:
        return f"fetch-{run_id}/batch-{self.n:04d}.xml.gz"


def edate(day: dt.date) -> str:
    """A date as E-utilities writes it: YYYY/MM/DD."""
    return day.strftime("%Y/%m/%d")


def plan_windows(client: EutilsClient, query: str, mindate: dt.date, maxdate: dt.date) -> tuple[SearchResult, list[Window]]:
    """esearch ``query`` over [mindate, maxdate], halving the date range until each part fits.

    PubMed's esearch reaches only the first 9,999 ids of a result
    (https://www.ncbi.nlm.nih.gov/books/NBK25499/#chapter4.ESearch), so a larger result is
    split by Entrez date (``datetype=edat``). Returns the first esearch (count, translation,
    messages) and the windows, most recent first, empty ones left out.

    Raises
    ------
    EutilsResponseError
        More than 9,999 records share one Entrez date: the query must be narrowed.
    """
    windows: list[Window] = []

    def visit(low: dt.date, high: dt.date, result: SearchResult) -> None:
        if result.count > ESEARCH_MAX_IDS:
            if low >= high:
                raise EutilsResponseError(
                    f"more than {ESEARCH_MAX_IDS:,} records have Entrez date {edate(low)}, which PubMed's esearch "
                    "cannot list; narrow the query")
            middle = low + (high - low) // 2
            later = middle + dt.timedelta(days=1)
            later_result = client.esearch(query, mindate=edate(later), maxdate=edate(high))
            visit(later, high, later_result)
            # The earlier half holds what the later half does not: when that is nothing (old,
            # empty date ranges), skip its search. New records only ever get recent Entrez dates.
            if later_result.count < result.count:
                visit(low, middle, client.esearch(query, mindate=edate(low), maxdate=edate(middle)))
        elif result.ids:
            history = result.history
            windows.append(Window(edate(low), edate(high), list(result.ids),
                                  history.webenv if history else None, history.query_key if history else None))

    first = client.esearch(query, mindate=edate(mindate), maxdate=edate(maxdate))
    visit(mindate, maxdate, first)
    return first, windows


def plan_batches(windows: list[Window], batch_size: int, max_records: int | None = None) -> list[Batch]:
    """Cut the windows into batches of ``batch_size`` records, stopping at ``max_records``."""
    batches: list[Batch] = []
    left = max_records if max_records is not None else sum(len(w.ids) for w in windows)
    for w, window in enumerate(windows):
        for retstart in range(0, len(window.ids), batch_size):
            if left <= 0:
                return batches
            pmids = tuple(window.ids[retstart: retstart + min(batch_size, left)])
            batches.append(Batch(len(batches), w, retstart, pmids))
            left -= len(pmids)
    return batches


# -- the run manifest ----------------------------------------------------------------------------


class FetchRun:
    """One fetch run and its manifest, ``raw/fetch-<run_id>/manifest.json``.

    The manifest is rewritten atomically after every change, so a killed process leaves a
    manifest that lists exactly the batches that are stored. It never holds the API key.
    """

    def __init__(self, store: Store, doc: dict):
        self.store = store
        self.doc = doc
        self.windows = [Window(**w) for w in doc["windows"]]
        self.batches = plan_batches(self.windows, doc["batch_size"], doc["max_records"])
        self._lock = threading.Lock()

    @property
    def run_id(self) -> str:
        return self.doc["run_id"]

    @property
    def done(self) -> set[int]:
        return {int(n) for n in self.doc["batches_done"]}

    @property
    def records_done(self) -> int:
        return sum(b["records"] for b in self.doc["batches_done"].values())

    @property
    def planned(self) -> int:
        return sum(len(b.pmids) for b in self.batches)

    @classmethod
    def start(cls, store: Store, *, query: str, search: SearchResult, windows: list[Window], mindate: dt.date,
              maxdate: dt.date, since: dt.date | None, max_records: int | None, batch_size: int,
              base_url: str) -> FetchRun:
        """Create a new run (its manifest is written at once)."""
        now = dt.datetime.now(dt.timezone.utc)
        run_id = f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}"
        doc: dict[str, object] = {
            "run_id": run_id, "tool": TOOL, "tool_version": __version__, "status": "running",
            "query": query, "query_translation": search.query_translation, "count": search.count,
            "ncbi_errors": list(search.errors), "ncbi_warnings": list(search.warnings),
            "datetype": "edat", "mindate": edate(mindate), "maxdate": edate(maxdate),
            "since": edate(since) if since else None, "max_records": max_records, "batch_size": batch_size,
            "eutils_url": base_url, "started": now_iso(), "updated": now_iso(), "finished": None,
            "windows": [vars(w) for w in windows], "batches_done": {},
        }
        run = cls(store, doc)
        run.save()
        return run

    @classmethod
    def resumable(cls, store: Store, *, query: str, since: dt.date | None, max_records: int | None) -> FetchRun | None:
        """The latest unfinished run of the same request, if any."""
        since_text = edate(since) if since else None
        for doc in reversed(list_runs(store)):
            if (doc.get("status") == "running" and doc.get("query") == query and doc.get("since") == since_text
                    and doc.get("max_records") == max_records):
                return cls(store, doc)
        return None

    def save(self) -> None:
        self.doc["windows"] = [vars(w) for w in self.windows]
        self.doc["updated"] = now_iso()
        self.store.write_json_atomic(f"raw/fetch-{self.run_id}/{MANIFEST}", self.doc)

    def store_batch(self, batch: Batch, xml: bytes) -> None:
        """Archive a checked batch (gzip, atomic) and mark it done."""
        # mtime=0: the same reply gives the same bytes, so the archive can tell it is stored.
        data = gzip.compress(xml, mtime=0)
        with self._lock:
            self.store.add_raw(batch.relpath(self.run_id), data, source=f"fetch-{self.run_id}",
                               records=len(batch.pmids))
            self.doc["batches_done"][str(batch.n)] = {
                "path": batch.relpath(self.run_id), "records": len(batch.pmids), "window": batch.window,
                "retstart": batch.retstart, "time": now_iso(),
            }
            self.save()

    def stored_but_unmarked(self, batch: Batch) -> bytes | None:
        """The XML of a batch file a killed process wrote but did not mark done (None if absent or bad)."""
        path = self.store.raw_dir / batch.relpath(self.run_id)
        if not path.exists():
            return None
        try:
            xml = gzip.decompress(path.read_bytes())
            parse_efetch(xml, batch.pmids)
        except (OSError, EOFError, EutilsResponseError):
            return None
        return xml

    def renew_history(self, w: int, expired: History | None, client: EutilsClient) -> None:
        """Replace an expired History set by a new one holding the window's PMIDs in the same order."""
        with self._lock:
            window = self.windows[w]
            if window.history != expired:  # another thread renewed it already
                return
            log.info("History set of %s-%s expired; posting its %d PMIDs again", window.mindate, window.maxdate,
                     len(window.ids))
            fresh = client.epost(window.ids)
            window.webenv, window.query_key = fresh.webenv, fresh.query_key
            self.save()

    def finish(self) -> None:
        with self._lock:
            self.doc["status"] = "complete"
            self.doc["finished"] = now_iso()
            self.save()


def list_runs(store: Store) -> list[dict]:
    """Every fetch run manifest in the store, oldest first."""
    docs = [store.read_json(str(p.relative_to(store.root))) for p in sorted(store.raw_dir.glob(f"fetch-*/{MANIFEST}"))]
    return sorted((d for d in docs if isinstance(d, dict)), key=lambda d: d.get("started", ""))


def next_mindate(store: Store, query: str) -> dt.date | None:
    """Where a plain re-run starts: one day before the last complete run's end, or None.

    Entrez dates are whole days in US Eastern time and a run's end is a UTC date, so the new
    range starts a day early: records added after the last run on its last day are not
    missed. The few records fetched twice are harmless (the tables keep one row per PMID).
    """
    ends = [d["maxdate"] for d in list_runs(store)
            if d.get("status") == "complete" and d.get("query") == query and d.get("max_records") is None]
    if not ends:
        return None
    return parse_date(max(ends)) - dt.timedelta(days=1)


# -- the fetch -----------------------------------------------------------------------------------


@dataclass
class FetchSummary:
    """What a fetch did. ``line()`` is the closing summary; ``notices`` are NCBI's messages."""

    query: str
    query_translation: str | None
    count: int
    mindate: str
    maxdate: str
    run_id: str | None = None
    planned: int = 0
    fetched: int = 0
    already_stored: int = 0
    batches: int = 0
    requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    seconds: float = 0.0
    resumed: bool = False
    notices: list[str] = field(default_factory=list)
    data_dir: Path | None = None
    tables: dict[str, int] | None = None

    def line(self) -> str:
        span = f"Entrez dates {self.mindate}-{self.maxdate}"
        cost = f"{self.requests} requests, {self.retries} retries, {self.seconds:.1f} s"
        if self.run_id is None:
            return f"nothing to fetch: PubMed lists 0 records for the query in {span} ({cost})"
        tables = f"; tables rebuilt ({self.tables.get('articles', 0):,} articles)" if self.tables is not None else ""
        resumed = f", resuming run {self.run_id} ({self.already_stored:,} records already stored)" if self.resumed else ""
        return (f"fetched {self.fetched:,} records in {self.batches} batches ({cost}){resumed}; "
                f"{self.already_stored + self.fetched:,} of {self.planned:,} records for {span} "
                f"are in {self.data_dir}/raw/fetch-{self.run_id}{tables}")


def fetch(query: str | None = None, *, topic: str | None = None, email: str | None = None,
          api_key: str | None = None, since: str | dt.date | None = None, max_records: int | None = None,
          data_dir: str | Path | None = None, eutils_url: str | None = None,
          batch_size: int = DEFAULT_BATCH_SIZE, workers: int = DEFAULT_WORKERS, progress: bool = False,
          rebuild: bool = True, rate: float | None = None, retry: RetryPolicy = RetryPolicy(),
          timeout: tuple[float, float] = (10.0, 120.0), lock_timeout: float | None = None) -> FetchSummary:
    """Fetch PubMed records for a query into the store's raw archive and its tables, batch by batch.

    Parameters
    ----------
    query, topic:
        A PubMed query, or a topic name/path whose query to use (default: the acupuncture
        for sciatica topic). Give at most one.
    email, api_key:
        Contact address NCBI requires, and an optional API key, which allows 10 requests per
        second instead of 3.
    since:
        Fetch records with an Entrez date on or after this day (``YYYY/MM/DD``). Without it, a
        re-run starts where the last complete run of the same query ended (a day's overlap).
    max_records:
        Fetch at most this many records (the most recent first); such a run is not a base
        for later re-runs.
    data_dir, eutils_url:
        The store (default ``./data``) and E-utilities base URL (default NCBI's).
    batch_size, workers:
        Records per efetch request (up to 10,000) and parallel requests (all share one rate limit).
    progress:
        Show a progress bar on stderr.
    rebuild:
        Report the tables' row counts (each batch's rows are added to the tables as it is stored).
    rate, retry, timeout:
        Requests per second (default NCBI's limit), retry policy (a time budget, default
        10 minutes per request), (connect, read) timeouts.
    lock_timeout:
        Seconds to wait for another writer of the store to finish (default 600).

    Returns
    -------
    FetchSummary

    Raises
    ------
    InputError
        A bad argument (no email, a bad date, both query and topic).
    NetworkUnavailableError
        NCBI cannot be reached; nothing stored was changed.
    QueryError
        PubMed refused the query.
    FetchIncompleteError
        Records are missing after NCBI kept failing for the retry budget (exit code 3); the
        batches stored are kept, and running the same fetch again resumes.
    EutilsError
        The search itself failed (nothing was stored).
    """
    started = time.monotonic()
    query = _resolve_query(query, topic)
    email = _resolve_email(email)
    since_day = parse_date(since) if since is not None else None
    if max_records is not None and max_records < 1:
        raise InputError(f"the most records to fetch must be at least 1, not {max_records}", setting="max_records")
    if not 1 <= batch_size <= MAX_BATCH_SIZE:
        raise InputError(f"batch size must be between 1 and {MAX_BATCH_SIZE:,} (NCBI's efetch limit)", setting="batch_size")
    base_url = eutils_url or NCBI_EUTILS_URL
    if not base_url.startswith(("http://", "https://")):
        raise InputError(f"the E-utilities URL must start with http:// or https://, not {base_url!r}", setting="eutils_url")
    store = Store(data_dir, lock_timeout=lock_timeout)
    # The writer lock is held from the first write to the end: imports wait, fetches take turns.
    # It is taken only once there is something to write, so a fetch that fails first changes nothing.
    with ExitStack() as writing, EutilsClient(email, api_key=api_key,
                                              base_url=base_url, rate=rate, retry=retry, timeout=timeout) as client:
        run = FetchRun.resumable(store, query=query, since=since_day, max_records=max_records)
        resumed = run is not None
        if resumed:
            writing.enter_context(store.writing("fetch"))
        if run is None:
            maxdate = dt.datetime.now(dt.timezone.utc).date()
            mindate = since_day or next_mindate(store, query) or EARLIEST
            if mindate > maxdate:
                raise InputError(f"the first day to fetch, {edate(mindate)}, is in the future", setting="since")
            search, windows = plan_windows(client, query, mindate, maxdate)
            notices = [f"PubMed: {m}" for m in (*search.errors, *search.warnings)]
            for notice in notices:
                log.warning("%s", notice)
            if not windows:
                return FetchSummary(query, search.query_translation, 0, edate(mindate), edate(maxdate),
                                    requests=client.stats["requests"], retries=client.stats["retries"],
                                    seconds=time.monotonic() - started, notices=notices, data_dir=store.root)
            writing.enter_context(store.writing("fetch"))
            run = FetchRun.start(store, query=query, search=search, windows=windows, mindate=mindate, maxdate=maxdate,
                                 since=since_day, max_records=max_records, batch_size=batch_size, base_url=base_url)
        summary = FetchSummary(query, run.doc["query_translation"], run.doc["count"], run.doc["mindate"],
                               run.doc["maxdate"], run_id=run.run_id, planned=run.planned, resumed=resumed,
                               already_stored=run.records_done, data_dir=store.root,
                               notices=[f"PubMed: {m}" for m in (*run.doc["ncbi_errors"], *run.doc["ncbi_warnings"])])
        new = fetch_batches(client, run, workers=workers, progress=progress)
        # Each batch was committed with its rows (Store.add_raw), so the run is complete only now.
        if rebuild and (new or resumed):
            summary.tables = store.table_counts()
        phase("fetch-complete")
        run.finish()
        summary.batches = len(new)
        summary.fetched = sum(len(b.pmids) for b in new)
        summary.requests, summary.retries = client.stats["requests"], client.stats["retries"]
        summary.rate_limited = client.stats["http_429"]
    summary.seconds = time.monotonic() - started
    return summary


def fetch_batches(client: EutilsClient, run: FetchRun, *, workers: int = DEFAULT_WORKERS,
                  progress: bool = False) -> list[Batch]:
    """Fetch and archive every batch of ``run`` not stored yet; returns the batches fetched now.

    Each request is retried for the client's retry budget. When a batch still fails, no new
    batch is started; batches already in flight finish and are stored, and
    :class:`FetchIncompleteError` says how many records are missing (the run resumes from there
    next time). Errors that are not about talking to NCBI (a full disk) are raised as they are.
    """
    pending = []
    for batch in run.batches:
        if batch.n in run.done:
            continue
        xml = run.stored_but_unmarked(batch)
        if xml is not None:  # written by a process killed before it updated the manifest
            run.store_batch(batch, xml)
        else:
            pending.append(batch)
    bar = _progress_bar("fetching", "rec")(total=run.planned, initial=run.records_done) if progress else None

    stop = threading.Event()  # set by the first failure: no worker starts another batch

    def fetch_one(batch: Batch) -> Batch | None:
        if stop.is_set():
            return None
        try:
            fetched = _efetch_with_renewal(client, run, batch)
            run.store_batch(batch, fetched.data)
        except BaseException:
            stop.set()
            raise
        if bar is not None:
            bar.update(len(batch.pmids))
        return batch

    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="efetch")
    try:
        futures = [pool.submit(fetch_one, b) for b in pending]
        finished, _ = wait(futures, return_when=FIRST_EXCEPTION)
        failed = next((f.exception() for f in futures if f in finished and f.exception() is not None), None)
        if failed is not None:
            for future in futures:
                future.cancel()
            wait(futures)  # the batches in flight finish and are stored
            if isinstance(failed, EutilsError):
                raise FetchIncompleteError(run.planned - run.records_done, run.planned, str(failed)) from failed
            raise failed
        return [b for b in (f.result() for f in futures) if b is not None]  # all of them: none was skipped
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if bar is not None:
            bar.close()


def _efetch_with_renewal(client: EutilsClient, run: FetchRun, batch: Batch) -> FetchedBatch:
    """efetch a batch, posting its window's PMIDs again whenever the History set has expired,
    for as long as the client's retry budget lasts."""
    started = client.now()
    while True:
        history = run.windows[batch.window].history
        if history is not None:
            try:
                return client.efetch(history, batch.retstart, batch.pmids)
            except HistoryExpiredError:
                if client.time_left(started) <= 0:
                    raise
        run.renew_history(batch.window, history, client)


def _progress_bar(desc: str, unit: str):
    from functools import partial

    from tqdm import tqdm

    # disable=None: shown only when stderr is a terminal, never as control characters in a log.
    return partial(tqdm, desc=desc, unit=unit, leave=False, dynamic_ncols=True, file=sys.stderr, disable=None)


# -- settings ------------------------------------------------------------------------------------


def _resolve_query(query: str | None, topic: str | None) -> str:
    if query and topic:
        raise InputError("give either a query or a topic, not both", setting="query")
    if query is not None:
        if not query.strip():
            raise InputError("the query is empty; give a PubMed query, e.g. 'acupuncture AND sciatica'", setting="query")
        return query.strip()
    return load_topic(topic).query if topic else load_topic().query


def _resolve_email(email: str | None) -> str:
    email = (email or "").strip()
    if "@" not in email:
        raise InputError("NCBI asks for a contact email with every request: give yours (e.g. you@example.org)",
                         setting="email")
    return email


def parse_date(value: str | dt.date) -> dt.date:
    """A day from ``YYYY/MM/DD`` (or ``YYYY-MM-DD``, ``YYYY/MM``, ``YYYY``: the first day)."""
    if isinstance(value, dt.date):
        return value
    parts = value.strip().replace("-", "/").split("/")
    problem = InputError(f"{value!r} is not a date; write YYYY/MM/DD, e.g. 2024/01/31", setting="since")
    if len(parts) > 3 or len(parts[0]) != 4:
        raise problem
    try:
        return dt.date(*([int(p) for p in parts] + [1] * (3 - len(parts))))
    except ValueError as exc:  # not a number, or no such day
        raise problem from exc


__all__ = ["FetchRun", "FetchSummary", "fetch", "fetch_batches", "parse_date", "plan_batches", "plan_windows"]
