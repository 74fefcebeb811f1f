"""Opening record sources: paths, gzip files and binary streams, and telling formats apart.

Shared by the XML parser, the MEDLINE parser and the store, so every reader accepts the same
kinds of input and fails with the same one-line errors.
"""

from __future__ import annotations

import gzip
import io
import stat
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import BinaryIO, Protocol

from ..errors import InputError, NotARegularFileError, ParseError

Source = str | Path | BinaryIO


class RecordStream(Protocol):
    """What the readers use of a decompressed record stream: reads by size or by line, and a look ahead
    that leaves the bytes unread (a buffered file, or a gzip file over one)."""

    def read(self, size: int = -1, /) -> bytes: ...

    def readline(self, size: int = -1, /) -> bytes: ...

    def peek(self, size: int, /) -> bytes: ...

    def seek(self, offset: int, whence: int = 0, /) -> int: ...  # gzip.GzipFile asks its file object for it

GZIP_MAGIC = b"\x1f\x8b"


def source_name(source: Source) -> str:
    """A short name for messages: the file name, or the stream's name, or '<stream>'."""
    if isinstance(source, (str, Path)):
        return str(source)
    return str(getattr(source, "name", "<stream>"))


FILE_KINDS = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
              stat.S_IFSOCK: "a socket"}


def check_regular_file(path: Path) -> None:
    """Refuse, before opening it, anything but a regular file: opening a FIFO would wait forever.

    Raises
    ------
    InputError
        No such file, a folder, or unreadable metadata.
    NotARegularFileError
        A FIFO, device or socket.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
    if stat.S_ISDIR(mode):
        raise InputError(f"{path}: is a folder, not a file")
    if not stat.S_ISREG(mode):
        kind = FILE_KINDS.get(stat.S_IFMT(mode), "not a regular file")
        raise NotARegularFileError(f"{path}: is {kind}, not a record file; give a PubMed XML or .nbib file")


@contextmanager
def open_binary(source: Source) -> Iterator[RecordStream]:
    """Yield a binary stream of the *decompressed* content of ``source``.

    Paths are opened (and closed afterwards); streams are used as given and left open.
    Gzip content is recognised by its magic bytes, not by the file name.
    """
    name = source_name(source)
    with ExitStack() as opened_here:  # closes a file opened from a path, never a stream the caller gave
        if isinstance(source, (str, Path)):
            path = Path(source)
            check_regular_file(path)
            try:
                stream: BinaryIO = opened_here.enter_context(open(path, "rb"))
            except OSError as exc:
                raise InputError(f"{name}: cannot be read ({exc.strerror})") from exc
        else:
            stream = source
        try:
            buffered = _peekable(stream, name)
            head = buffered.peek(2)[:2]
            if head == GZIP_MAGIC:
                yield gzip.GzipFile(fileobj=buffered, mode="rb")
            else:
                yield buffered
        except (OSError, EOFError, zlib.error) as exc:
            # gzip raises BadGzipFile/EOFError for damaged archives, zlib.error for damaged blocks.
            raise ParseError(f"damaged or truncated gzip data ({exc})", source=name) from exc


def _peekable(stream: BinaryIO, name: str) -> RecordStream:
    """The stream itself when it can look ahead, else a buffered reader over it."""
    if hasattr(stream, "peek"):
        return stream
    if hasattr(stream, "readinto"):  # what io.BufferedReader reads a raw stream with
        return io.BufferedReader(stream)
    raise InputError(f"{name}: not a binary stream; give a file path or a stream opened in binary mode ('rb')")


def _utf16_text(head: bytes) -> str | None:
    """The start of a UTF-16 file (told by its byte-order mark, or by "<" with a zero byte beside
    it, as XML in UTF-16 must begin), decoded; None for other files."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    elif head[:2] == b"<\x00":
        encoding = "utf-16-le"
    elif head[:2] == b"\x00<":
        encoding = "utf-16-be"
    else:
        return None
    return head[: len(head) // 2 * 2].decode(encoding, "replace")


def sniff_format(source: Source) -> str:
    """Tell 'pubmed_xml' from 'medline' by content, not by file name.

    Raises
    ------
    ParseError
        The file is empty or is neither PubMed XML nor a MEDLINE/.nbib export.
    """
    name = source_name(source)
    with open_binary(source) as fh:
        head = fh.read(4096)
    if not head.strip():
        raise ParseError("the file is empty; give a PubMed XML file or a PubMed-format (.nbib/MEDLINE) export", source=name)
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):
        return "pubmed_xml"
    if b"PMID-" in head:
        return "medline"
    wide = _utf16_text(head)
    if wide is not None and wide.lstrip().startswith("<"):
        return "pubmed_xml"  # the XML reader detects UTF-16 itself
    if wide is not None and "PMID-" in wide:
        raise ParseError("a PubMed-format export in UTF-16: save it as UTF-8 text and import it again", source=name)
    raise ParseError(
        "not a PubMed record file: expected PubMed XML (efetch, or 'Save as XML') or a "
        "PubMed-format export (.nbib/MEDLINE text starting with 'PMID- ')",
        source=name,
    )
