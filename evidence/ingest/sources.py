"""Opening record sources: paths, gzip files and binary streams, and telling formats apart.

Shared by the XML parser, the MEDLINE parser and the store, so every reader accepts the same
kinds of input and fails with the same one-line errors.
"""

from __future__ import annotations

import gzip
import io
import stat
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator, Union

from ..errors import InputError, NotARegularFileError, ParseError

Source = Union[str, Path, BinaryIO]

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
def open_binary(source: Source) -> Iterator[BinaryIO]:
    """Yield a binary stream of the *decompressed* content of ``source``.

    Paths are opened (and closed afterwards); streams are used as given and left open.
    Gzip content is recognised by its magic bytes, not by the file name.
    """
    name = source_name(source)
    owned: BinaryIO | None = None
    if isinstance(source, (str, Path)):
        path = Path(source)
        check_regular_file(path)
        try:
            owned = open(path, "rb")
        except OSError as exc:
            raise InputError(f"{name}: cannot be read ({exc.strerror})") from exc
        stream: BinaryIO = owned
    else:
        stream = source
    try:
        buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
        head = buffered.peek(2)[:2]  # type: ignore[union-attr]
        if head == GZIP_MAGIC:
            yield gzip.GzipFile(fileobj=buffered, mode="rb")  # type: ignore[arg-type]
        else:
            yield buffered  # type: ignore[misc]
    except (OSError, EOFError, zlib.error) as exc:
        # gzip raises BadGzipFile/EOFError for damaged archives, zlib.error for damaged blocks.
        raise ParseError(f"damaged or truncated gzip data ({exc})", source=name) from exc
    finally:
        if owned is not None:
            owned.close()


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
