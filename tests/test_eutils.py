"""The E-utilities client: rate limiting, retries, error mapping, reply checks.

Unit tests use a fake clock (no sleeping). Client tests talk real HTTP to the local test
server (tests/eutils_server.py) on 127.0.0.1; they inject the client's clock too, so backoff
and Retry-After waits are recorded rather than slept.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import socket
import time

import pytest

from tests.eutils_server import EutilsTestServer, pubmed_xml
from evidence.errors import (
    EutilsResponseError,
    EutilsServerError,
    HistoryExpiredError,
    IncompleteReplyError,
    InputError,
    NetworkUnavailableError,
    QueryError,
    RateLimitError,
)
from evidence.ingest.eutils import (
    EutilsClient,
    RateLimiter,
    RetryPolicy,
    parse_efetch,
    parse_esearch,
    parse_retry_after,
)

TERM = "needle AND leg pain"
SECRET = "K3Y-do-not-show-0123456789abcdef"


class FakeClock:
    """A clock whose sleep advances time instantly and records each wait."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


# -- rate limiter and retry policy -----------------------------------------------------------------


def window_counts(starts: list[float], window: float = 1.0) -> int:
    """The most starts in any half-open window of ``window`` seconds."""
    return max(sum(1 for t in starts if s - window < t <= s) for s in starts)


def test_rate_limiter_never_lets_more_than_rate_start_in_a_window_plus_margin():
    clock = FakeClock()
    limiter = RateLimiter(3, clock=clock, sleep=clock.sleep)
    starts = []
    for _ in range(10):
        limiter.acquire()
        starts.append(clock.now)
    # Bursts of 3, each a full window (1 s + margin) after the burst before.
    assert starts[:3] == [1000.0] * 3 and starts[3] == pytest.approx(1000 + 1 + RateLimiter.MARGIN)
    assert window_counts(starts, 1.0 + RateLimiter.MARGIN) == 3
    # Any arrival delay up to the margin cannot put a 4th request in one server second.
    delayed = [t + (RateLimiter.MARGIN * 0.99 if i % 3 == 0 else 0.0) for i, t in enumerate(starts)]
    assert window_counts(delayed) == 3


def test_rate_limiter_counts_a_late_waker_from_when_it_started():
    # A thread that wakes later than its turn (a busy CPU) is stamped when it really starts,
    # so the next window is counted from there, not from the turn it was given.
    clock = FakeClock()
    limiter = RateLimiter(1, margin=0.1, clock=clock, sleep=lambda s: setattr(clock, "now", clock.now + s + 0.3))
    starts = []
    for _ in range(3):
        limiter.acquire()
        starts.append(clock.now)
    assert [b - a for a, b in itertools.pairwise(starts)] == [pytest.approx(1.4), pytest.approx(1.4)]


def test_rate_limiter_shared_by_threads():
    import threading

    clock = FakeClock()
    lock = threading.Lock()

    def sleep(seconds: float) -> None:
        with lock:  # threads that sleep at once each move the clock: time runs fast, never back
            clock.now += seconds

    limiter = RateLimiter(10, clock=clock, sleep=sleep)
    starts: list[float] = []

    def worker() -> None:
        for _ in range(25):
            limiter.acquire()
            with lock:
                starts.append(clock.now)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(starts) == 100
    assert window_counts(sorted(starts), 1.0 + RateLimiter.MARGIN - 1e-9) <= 10


def test_rate_limiter_does_not_wait_after_idle_time():
    clock = FakeClock()
    limiter = RateLimiter(10, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    clock.now += 5
    limiter.acquire()
    assert clock.sleeps == []


def test_rate_limiter_fractional_rate_widens_the_window():
    clock = FakeClock()
    limiter = RateLimiter(0.5, margin=0.0, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    limiter.acquire()
    assert clock.sleeps == [pytest.approx(2.0)]


def test_rate_limiter_hold_delays_next_start():
    clock = FakeClock()
    limiter = RateLimiter(3, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    limiter.hold(7.5)
    limiter.acquire()
    assert clock.sleeps == [pytest.approx(7.5)]


def test_retry_policy_backs_off_exponentially_with_jitter_and_honours_retry_after():
    policy = RetryPolicy(budget=600, backoff_base=1.0, backoff_max=10.0, jitter=0.5)
    assert [policy.delay(k) for k in range(1, 6)] == [1, 2, 4, 8, 10]
    assert [policy.delay(k, draw=0.5) for k in range(1, 6)] == [0.75, 1.5, 3, 6, 7.5]
    assert policy.delay(3, draw=0.999) > 2.0  # never below half the exponential wait
    assert policy.delay(1, retry_after=3.0, draw=0.9) == 3.0
    assert policy.delay(1, retry_after=600.0) == 600.0  # the server's word, not capped
    with pytest.raises(InputError):
        RetryPolicy(jitter=1.5)


def test_parse_retry_after_forms():
    assert parse_retry_after("2") == 2.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    future = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 30))
    assert 25 <= parse_retry_after(future) <= 31


# -- replies ---------------------------------------------------------------------------------------


def test_parse_esearch_real_reply(peer_data):
    result = parse_esearch((peer_data / "biopython" / "esearch1.xml").read_bytes())
    assert result.count == 63
    assert len(result.ids) == 20 and result.ids[0] == "41282813"
    assert result.query_translation == '"biopython"[All Fields]'


def test_parse_esearch_phrase_not_found_with_nothing_found_is_a_query_error(peer_data):
    with pytest.raises(QueryError, match="phrase not found: abcXYZ") as info:
        parse_esearch((peer_data / "biopython" / "esearch8.xml").read_bytes())
    assert info.value.errors == ["phrase not found: abcXYZ"]


def test_parse_esearch_keeps_errors_and_warnings_when_records_are_found():
    body = (b"<eSearchResult><Count>2</Count><QueryKey>1</QueryKey><WebEnv>W</WebEnv><IdList><Id>1</Id><Id>2</Id>"
            b"</IdList><QueryTranslation>x</QueryTranslation><ErrorList><PhraseNotFound>zzq</PhraseNotFound></ErrorList>"
            b"<WarningList><QuotedPhraseNotFound>\"a b\"</QuotedPhraseNotFound></WarningList></eSearchResult>")
    result = parse_esearch(body)
    assert result.count == 2 and result.history.webenv == "W"
    assert result.errors == ("phrase not found: zzq",)
    assert result.warnings == ('quoted phrase not found: "a b"',)


def test_parse_esearch_cut_reply_is_incomplete():
    with pytest.raises(IncompleteReplyError):
        parse_esearch(b"<eSearchResult><Count>2</Count><IdList><Id>1</")


def test_parse_efetch_checks_the_pmids():
    xml = pubmed_xml([("99000001", dt.date(2020, 1, 2)), ("99000002", dt.date(2020, 1, 3))])
    assert parse_efetch(xml, ["99000001", "99000002"]).pmids == ("99000001", "99000002")
    with pytest.raises(IncompleteReplyError, match="1 of 2"):
        parse_efetch(pubmed_xml([("99000001", dt.date(2020, 1, 2))]), ["99000001", "99000002"])
    with pytest.raises(IncompleteReplyError, match="not well-formed"):
        parse_efetch(xml[: len(xml) // 2], ["99000001", "99000002"])
    with pytest.raises(EutilsResponseError, match="not asked for"):
        parse_efetch(xml, ["99000001"])


def test_parse_efetch_counts_book_records():
    xml = (b"<PubmedArticleSet><PubmedBookArticle><BookDocument><PMID Version=\"1\">20301295</PMID></BookDocument>"
           b"</PubmedBookArticle></PubmedArticleSet>")
    assert parse_efetch(xml, ["20301295"]).pmids == ("20301295",)


def test_parse_efetch_expired_history():
    body = b'<?xml version="1.0" ?><eFetchResult><ERROR>Unable to obtain query #1</ERROR></eFetchResult>'
    with pytest.raises(HistoryExpiredError):
        parse_efetch(body, ["1"])


# -- the client over HTTP ----------------------------------------------------------------------------


@pytest.fixture
def server():
    with EutilsTestServer(rate_limit=1000, rate_limit_with_key=1000) as srv:
        srv.add_corpus(TERM, 120)
        yield srv


@pytest.fixture
def clock():
    return FakeClock()


def make_client(server: EutilsTestServer, clock: FakeClock, **kwargs) -> EutilsClient:
    options = {"base_url": server.base_url, "rate": 1000, "retry": RetryPolicy(budget=5, backoff_base=0.5, jitter=0),
               "timeout": (2.0, 0.4), "clock": clock, "sleep": clock.sleep}
    options.update(kwargs)
    return EutilsClient("tester@example.org", **options)


def test_esearch_then_efetch_with_tool_and_email(server, clock):
    with make_client(server, clock) as client:
        result = client.esearch(TERM, retmax=50)
        batch = client.efetch(result.history, 0, result.ids)
    assert result.count == 120 and len(batch.pmids) == 50
    assert [r.endpoint for r in server.log] == ["esearch", "efetch"]
    for request in server.log:
        assert request.params["tool"] == "evidence" and request.params["email"] == "tester@example.org"
    fetch_params = server.log[1].params
    assert fetch_params["WebEnv"] == result.history.webenv and fetch_params["query_key"] == "1"
    assert fetch_params["retmode"] == "xml"


@pytest.mark.parametrize("kind", ["500", "502", "503", "reset", "slow", "truncate", "cut", "short", "429"])
def test_efetch_recovers_from_each_fault(server, clock, kind):
    with make_client(server, clock) as client:
        result = client.esearch(TERM, retmax=40)
        server.inject("efetch", kind, times=2, delay=1.0)
        batch = client.efetch(result.history, 0, result.ids)
    assert set(batch.pmids) == set(result.ids)
    efetches = server.requests_to("efetch")
    assert len(efetches) == 3 and [r.fault for r in efetches] == [kind, kind, None]
    assert client.stats["retries"] == 2
    waits = [s for s in clock.sleeps if s >= 0.4]
    if kind == "429":
        assert waits == [pytest.approx(1.0), pytest.approx(1.0)]  # the server's Retry-After
    else:
        assert waits == [pytest.approx(0.5), pytest.approx(1.0)]  # exponential backoff


def test_5xx_beyond_budget_is_a_server_error(server, clock):
    with make_client(server, clock) as client:
        server.inject("esearch", "503", times=10)
        with pytest.raises(EutilsServerError, match="HTTP 503"):
            client.esearch(TERM)
    assert len(server.log) == 4


def test_429_beyond_budget_is_a_rate_limit_error(server, clock):
    with make_client(server, clock) as client:
        server.inject("esearch", "429", times=10)
        with pytest.raises(RateLimitError, match="API rate limit exceeded"):
            client.esearch(TERM)


def test_server_enforced_rate_limit_is_recovered_with_real_time():
    # The client is set to 8/s against a server allowing 4/s: NCBI's 429s come back, and the
    # client waits as Retry-After says, every thread held, until all requests are answered.
    with EutilsTestServer(rate_limit=4, retry_after=1) as srv:
        srv.add_corpus(TERM, 10)
        with EutilsClient("tester@example.org", base_url=srv.base_url, rate=8) as client:
            for _ in range(8):
                assert client.esearch(TERM).count == 10
        statuses = [r.status for r in srv.log]
    assert statuses.count(200) == 8 and 429 in statuses
    assert client.stats["http_429"] == statuses.count(429)


def test_default_rate_is_three_per_second_measured_by_the_server():
    with EutilsTestServer(rate_limit=3) as srv:
        srv.add_corpus(TERM, 10)
        started = time.monotonic()
        with EutilsClient("tester@example.org", base_url=srv.base_url) as client:
            for _ in range(7):
                client.esearch(TERM)
        elapsed = time.monotonic() - started
        assert srv.max_requests_in_window(1.0) <= 3
        assert all(r.status == 200 for r in srv.log)
    # Bursts of three, a window (1 s + margin) apart: the 7th request starts after two windows.
    assert 2 * (1 + RateLimiter.MARGIN) <= elapsed < 2 * (1 + RateLimiter.MARGIN) + 0.5


def test_api_key_raises_the_rate_and_never_shows(server, clock, caplog):
    caplog.set_level(logging.DEBUG, logger="evidence")
    with make_client(server, clock, api_key=SECRET, rate=None) as client:
        assert client.rate == 10
        assert SECRET not in repr(client)
        server.inject("esearch", "503", times=10)
        with pytest.raises(EutilsServerError) as info:
            client.esearch(TERM)
    assert server.log[0].params["api_key"] == SECRET  # it was sent...
    assert SECRET not in str(info.value)  # ...and shown nowhere
    assert caplog.records and SECRET not in caplog.text


def test_unreachable_server_fails_fast_with_advice(clock):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with EutilsClient("tester@example.org", base_url=f"http://127.0.0.1:{port}/entrez/eutils/",
                      api_key=SECRET, clock=clock, sleep=clock.sleep) as client, pytest.raises(NetworkUnavailableError) as info:
        client.esearch(TERM)
    message = str(info.value)
    assert "cannot reach NCBI E-utilities" in message and "evidence import" in message
    assert "\n" not in message and SECRET not in message
    assert client.stats["requests"] == 1


def test_bad_query_is_a_query_error(server, clock):
    with make_client(server, clock) as client:
        with pytest.raises(QueryError, match="unbalanced parentheses"):
            client.esearch("needle AND (leg pain")
        with pytest.raises(QueryError, match="phrase not found"):
            client.esearch("qqqzzz")
    assert len(server.log) == 2  # refused queries are not retried


def test_expired_history_then_epost(server, clock):
    with make_client(server, clock) as client:
        result = client.esearch(TERM, retmax=30)
        server.expire_histories()
        with pytest.raises(HistoryExpiredError):
            client.efetch(result.history, 0, result.ids)
        fresh = client.epost(result.ids)
        batch = client.efetch(fresh, 10, result.ids[10:20])
    assert set(batch.pmids) == set(result.ids[10:20])
    assert [r.endpoint for r in server.log] == ["esearch", "efetch", "epost", "efetch"]


def test_gives_up_after_the_time_budget_not_a_count(server, clock):
    # Waits of 0.5, 1, 2, then 4 s (the cap): the 28th attempt would end its wait past 100 s.
    retry = RetryPolicy(budget=100, backoff_base=0.5, backoff_max=4, jitter=0)
    with make_client(server, clock, retry=retry) as client:
        server.inject("esearch", "reset", times=1000)
        with pytest.raises(NetworkUnavailableError, match="gave up after 28 attempts in 100 s, retry budget 100 s"):
            client.esearch(TERM)
    assert len(server.log) == 28 and sum(clock.sleeps) == pytest.approx(99.5)


def test_backoff_is_jittered_by_the_injected_draw(server, clock):
    retry = RetryPolicy(budget=5, backoff_base=0.5, jitter=0.5)
    with make_client(server, clock, retry=retry, draw=lambda: 0.5) as client:
        server.inject("esearch", "503", times=2)
        assert client.esearch(TERM).count == 120
    assert [s for s in clock.sleeps if s > 0.01] == [pytest.approx(0.375), pytest.approx(0.75)]


def test_a_retry_after_beyond_the_budget_gives_up_at_once(clock):
    with EutilsTestServer(rate_limit=1, retry_after=30) as srv:
        srv.add_corpus(TERM, 5)
        with make_client(srv, clock) as client:
            client.esearch(TERM)
            with pytest.raises(RateLimitError, match="gave up at once, retry budget 5 s; the server asked to wait 30 s"):
                client.esearch(TERM)
        assert len(srv.log) == 2


def test_html_error_pages_are_retried_in_short_lines(server, clock, caplog):
    with make_client(server, clock) as client:
        server.inject("esearch", "html", times=2, status=502)
        assert client.esearch(TERM).count == 120
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 2
    assert all("HTTP 502 (an HTML page titled 'Welcome to nginx!')" in w and "<" not in w for w in warnings)
