"""``evidence baseline select``: a topic's PubMed query run over a built dataset, the matches imported into a store.

Two kinds of Dask task: one per partition runs the query (:mod:`evidence.baseline.evaluate`)
over its title, abstract, MeSH and publication-type columns; one per input file that holds a
match reads the matching records' XML back out of that file (checked against its sha256 in the
manifest). The records are joined into one PubMed XML file, which is imported into the store
like any export (``Store.add_raw``): raw file kept, tables by the same parser, so ``classify``,
``report`` and ``claim`` work unchanged, and selecting again with the same result adds nothing.
"""

from __future__ import annotations

import gzip
import io
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, StoreError
from ..ingest.sources import open_binary
from ..ingest.store import Store, named_stream, sha256_bytes
from ..topic.model import Topic, load_topic
from .dataset import partitions, read_partition
from .evaluate import QUERY_TABLES, evaluate
from .manifest import read_manifest
from .mesh_tree import MeshTree, read_mesh_tree
from .query import Node, parse_query

# A record, from its opening tag to its closing one; and a PMID element's digits.
_RECORD = re.compile(rb"<(PubmedArticle|PubmedBookArticle)>.*?</\1>", re.DOTALL)
_PMID = re.compile(rb"<PMID(?:\s[^>]*)?>\s*([0-9]+)\s*</PMID>")
HEADER = b'<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>\n'
FOOTER = b"</PubmedArticleSet>\n"


@dataclass
class SelectResult:
    """What one selection did."""

    matched: int           # PMIDs the query matched in the dataset
    files_read: int        # input files read again for the matching records
    imported: bool         # False: the store held these exact records already
    raw_file: str          # where the selected records are kept in the store (raw/...)
    store_pmids: int       # PMIDs in the store after
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each step: query, read, import


def select_topic(topic: Topic | str, dataset: str | Path, data_dir: str | Path, client: Any, *,
                 mesh_tree: str | Path | None = None, query: str | None = None,
                 progress: Callable[[str], Callable[[Iterable], Iterable] | None] | None = None) -> SelectResult:
    """Run ``topic``'s query (or ``query``) over the dataset in ``dataset``; import the matches into ``data_dir``.

    Parameters
    ----------
    mesh_tree:
        NLM's ``mtreesYYYY.bin``: ``[MeSH]`` then includes narrower headings, as PubMed does.
        Without it a ``[MeSH]`` term matches its exact heading only.
    progress:
        Given a step's name, returns a wrapper for the iterable of its finished tasks.

    Raises
    ------
    InputError
        The query cannot be parsed, the dataset is not built, or an input file is gone or changed.
    """
    from .cluster import run_tasks

    topic = topic if isinstance(topic, Topic) else load_topic(topic)
    node = parse_query(query or topic.query)
    tree = read_mesh_tree(mesh_tree) if mesh_tree else None
    names = partitions(dataset)
    dataset = Path(dataset).resolve()
    wrap: Callable[[str], Callable[[Iterable], Iterable] | None] = progress or (lambda _step: None)
    clock = time.perf_counter()
    matches = run_tasks(client, match_partition, [(str(dataset), p, node, tree) for p in names], progress=wrap("query"))
    files = {f.partition: f for f in read_manifest(dataset).files}
    reads = [(files[p].path, files[p].sha256, hits) for p, hits in zip(names, matches) if hits]
    seconds = {"query": time.perf_counter() - clock}
    clock = time.perf_counter()
    chunks = run_tasks(client, records_xml, reads, progress=wrap("read records"))
    seconds["read"] = time.perf_counter() - clock
    clock = time.perf_counter()
    # Deterministic bytes (fixed gzip time, file order): the same selection is the same raw file.
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=6) as gz:  # zlib's default level: faster than gzip's 9
        gz.write(HEADER)
        for chunk in chunks:
            gz.write(chunk)
        gz.write(FOOTER)
    data = buffer.getvalue()
    source = f"baseline-{topic.name}-{sha256_bytes(data)[:12]}.xml.gz"
    relpath = f"baseline/{source}"
    store = Store(data_dir)
    imported = store.add_raw(relpath, data, source=source, records=sum(len(m) for m in matches))
    wanted = {p for m in matches for p in m}
    stored = set(store.tables()["articles"]["pmid"])
    if not wanted <= stored:
        raise StoreError(f"{len(wanted - stored)} selected records did not arrive in {store.root} "
                         f"(e.g. PMID {min(wanted - stored, key=int)}); report this with the file {relpath}")
    seconds["import"] = time.perf_counter() - clock
    return SelectResult(matched=sum(len(m) for m in matches), files_read=len(reads), imported=imported,
                        raw_file=f"raw/{relpath}", store_pmids=store.table_counts().get("articles", 0), seconds=seconds)


# -- the tasks (run on the workers) ---------------------------------------------------------------


def match_partition(dataset: str, partition: str, node: Node, tree: MeshTree | None) -> list[str]:
    """The PMIDs of one partition that the query matches, in ascending order."""
    tables = read_partition(dataset, partition, QUERY_TABLES)
    return sorted(evaluate(node, tables, tree), key=int)


def records_xml(path: str, sha256: str, pmids: list[str]) -> bytes:
    """The XML of the records ``pmids`` in the file at ``path``, byte for byte as they stand in it
    (the last copy when a PMID comes twice: the one the dataset holds).

    The records are found by their tags in the decompressed bytes, without building elements:
    several times faster than parsing, which matters because a topic's matches are spread over
    nearly every baseline file. That is safe for NLM's files, whose records hold no comments or
    CDATA (a tag name inside text is escaped as ``&lt;``), and it is checked: the store parses
    the joined file with ``read_pubmed`` and :func:`select_topic` compares the PMIDs it holds.

    Raises
    ------
    InputError
        The file is gone, is not the file that was built (sha256 differs), or lacks a PMID.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}); selection reads the matching records from the "
                         "built files: put it back, or build again from where it is now") from exc
    if sha256_bytes(data) != sha256:
        raise InputError(f"{path} has changed since it was built (sha256 differs); build the dataset again")
    with open_binary(named_stream(data, Path(path).name)) as fh:
        text = fh.read()
    del data
    wanted = set(pmids)
    found: dict[str, bytes] = {}
    for record in _RECORD.finditer(text):
        first = _PMID.search(record.group(0))  # MedlineCitation/PMID, or BookDocument/PMID: the first in a record
        pmid = first.group(1).decode("ascii") if first else ""
        if pmid in wanted:
            found[pmid] = record.group(0) + b"\n"  # a later copy in the same file replaces the earlier
    missing = wanted - found.keys()
    if missing:
        raise InputError(f"{path} lacks PMID {min(missing, key=int)} that the dataset holds from it; build the dataset again")
    return b"".join(found[p] for p in pmids)
