"""Every exception the package raises, in one place.

The CLI turns each of these into a one-line message and a non-zero exit code at a single
boundary (``evidence.cli``). Third-party errors (lxml, requests, pyarrow, ...) are mapped to
these where they are caught, always with ``raise ... from exc`` so the cause is kept.

::

    EvidenceError                     base: "something the user can fix or should know"
    ├── InputError                    bad input file or argument
    │   ├── ParseError                a record file could not be read (carries source, pmid)
    │   ├── TopicError                a topic file is missing or malformed
    │   └── NotARegularFileError      a FIFO, device or socket given as a record file
    ├── StoreError                    the data directory cannot be read or written
    │   ├── ManifestError             the raw listing cannot be read or has a damaged line
    │   ├── StoreBusyError            another command kept the writer lock too long
    │   └── DiskFullError             the disk or a file-size limit filled up during a write
    ├── SnapshotError                 the embedded snapshot fails its schema checks
    ├── ClusterError                  the Dask cluster cannot be reached or started (evidence.baseline)
    ├── EutilsError                   talking to NCBI E-utilities failed
    │   ├── NetworkUnavailableError   no route to the server at all
    │   ├── RateLimitError            429s beyond the retry budget
    │   ├── EutilsServerError         5xx beyond the retry budget
    │   ├── FetchIncompleteError      a fetch ended with records missing (exit 3; re-run to resume)
    │   └── EutilsResponseError       a reply that is not what the protocol promises
    │       ├── NotEutilsServerError  the server is not E-utilities (a web page, other content)
    │       ├── QueryError            esearch refused the query (ErrorList)
    │       ├── HistoryExpiredError   the History server forgot the WebEnv (retried with a new one)
    │       └── IncompleteReplyError  a reply cut short or malformed (the batch is fetched again)
    ├── SynthesisError                a pooling or conversion request that cannot be met
    └── ClaimError                    a claim that cannot be analysed
"""

from __future__ import annotations


class EvidenceError(Exception):
    """Base class. ``str(err)`` is a complete one-line message for the user.

    Parameters
    ----------
    setting:
        The name of the library parameter the user should change to fix this (``"email"``,
        ``"since"``), or None. The message never names a command-line option: the command line
        adds its own option (and variable) for that parameter.
    """

    exit_code = 1
    setting: str | None = None

    def __init__(self, *args: object, setting: str | None = None):
        super().__init__(*args)
        if setting is not None:
            self.setting = setting


class InputError(EvidenceError):
    """The user gave a file or argument that cannot be used."""

    exit_code = 2


class ParseError(InputError):
    """A PubMed XML or MEDLINE file could not be parsed.

    Parameters
    ----------
    message:
        What went wrong and what to do about it.
    source:
        The file (or stream name) being read.
    pmid:
        The last PMID read before the failure, if any.
    """

    def __init__(self, message: str, source: str | None = None, pmid: str | None = None):
        self.source = source
        self.pmid = pmid
        where = f"{source}: " if source else ""
        after = f" (after PMID {pmid})" if pmid else ""
        # One line always: libxml2 messages can carry newlines.
        super().__init__(" ".join(f"{where}{message}{after}".split()))


class TopicError(InputError):
    """A topic file is missing or malformed."""


class NotARegularFileError(InputError):
    """A FIFO, device or socket was given where a record file belongs (refused before opening)."""


class StoreError(EvidenceError):
    """The data directory cannot be read or written."""


class ManifestError(StoreError):
    """The raw listing (``manifest.jsonl``) cannot be read, is not UTF-8, or has a damaged line."""


class StoreBusyError(StoreError):
    """Another evidence command held the data directory's writer lock beyond the wait limit."""


class DiskFullError(StoreError):
    """The disk or a file-size limit filled up during a write; the step was undone."""


class ClusterError(EvidenceError):
    """The Dask scheduler given cannot be reached, or a local cluster cannot be started."""


class SnapshotError(EvidenceError):
    """The embedded snapshot fails its checks. ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        head = problems[0] if problems else "unknown problem"
        more = f" (and {len(problems) - 1} more; run `evidence snapshot check`)" if len(problems) > 1 else ""
        super().__init__(f"snapshot check failed: {head}{more}")


class EutilsError(EvidenceError):
    """Talking to NCBI E-utilities failed."""


class FetchIncompleteError(EutilsError):
    """A fetch stopped with records missing; the batches stored are kept and a re-run resumes.

    Parameters
    ----------
    missing, planned:
        Records not stored, of the records the run planned.
    cause:
        Why it stopped (the last error's message).
    """

    exit_code = 3

    def __init__(self, missing: int, planned: int, cause: str):
        self.missing = missing
        self.planned = planned
        super().__init__(
            f"fetch incomplete: {missing:,} of {planned:,} records are missing ({cause}); the "
            f"{planned - missing:,} stored are kept: run the same command again to fetch the rest")


class NetworkUnavailableError(EutilsError):
    """The E-utilities server cannot be reached at all."""


class RateLimitError(EutilsError):
    """NCBI kept answering 429 beyond the retry budget."""


class EutilsServerError(EutilsError):
    """NCBI kept answering 5xx beyond the retry budget."""


class EutilsResponseError(EutilsError):
    """A reply that does not follow the E-utilities protocol (malformed, truncated, missing fields)."""


class NotEutilsServerError(EutilsResponseError):
    """The server answered with something that is not E-utilities (an HTML page, other XML or JSON)."""


class QueryError(EutilsResponseError):
    """esearch refused the query; ``errors`` holds NCBI's ErrorList entries."""

    def __init__(self, message: str, errors: list[str] | None = None):
        self.errors = list(errors or [])
        super().__init__(message)


class HistoryExpiredError(EutilsResponseError):
    """The History server no longer knows this WebEnv/query_key (they live some hours)."""


class IncompleteReplyError(EutilsResponseError):
    """A reply cut short or malformed (not well-formed XML, fewer records than asked for)."""


class SynthesisError(EvidenceError):
    """A pooling or effect-conversion request that cannot be met."""


class ClaimError(EvidenceError):
    """A claim that cannot be analysed."""
