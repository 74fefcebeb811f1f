"""What a data directory holds and whether it is whole, for ``evidence status``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import StoreError
from .journal import Journal, writer_active
from .recovery import raw_files
from .store import GENERATION_FILE, LISTING_FILE, Store, check_raw_file, parse_listing, read_generation, read_listing

REPAIR = "run `evidence rebuild` to repair the store from its raw files"


@dataclass
class StoreStatus:
    data_dir: Path
    records: int = 0
    raw_files: int = 0
    year_min: int | None = None
    year_max: int | None = None
    by_decade: dict[str, int] = field(default_factory=dict)
    by_source: dict[str, int] = field(default_factory=dict)
    by_design: dict[str, int] = field(default_factory=dict)
    retracted: int = 0
    problems: list[str] = field(default_factory=list)
    busy: str | None = None
    repair: str | None = REPAIR  # None when rebuild cannot help (the data dir itself is unusable)

    def text(self) -> str:
        if not self.records:
            return f"{self.data_dir}: empty store (run `evidence import FILE` or `evidence fetch`)"
        lines = [
            f"{self.data_dir}: {self.records} records from {self.raw_files} raw file(s)",
            f"years: {self.year_min}-{self.year_max}  " + ", ".join(f"{k}: {v}" for k, v in self.by_decade.items()),
            "sources: " + ", ".join(f"{k}: {v}" for k, v in self.by_source.items()),
        ]
        if self.by_design:
            lines.append("designs: " + ", ".join(f"{k}: {v}" for k, v in self.by_design.items()))
        else:
            lines.append("designs: not classified yet (run `evidence classify`)")
        if self.retracted:
            lines.append(f"retracted: {self.retracted} record(s) flagged")
        return "\n".join(lines)


def verify_store(store: Store) -> list[str]:
    """Every problem of the store, one line each ([] when it is whole).

    Checks that the data directory resolves, no step was left half done, the tables open, the
    listing parses (and its copy in raw/ matches it), every listed raw file exists with its
    sha256, and every raw file is listed.
    """
    try:
        store.check_root()
    except StoreError as exc:
        return [str(exc)]
    if not store.root.exists():
        return []
    problems = []
    pending = Journal(store.root).read()
    if pending is not None:
        problems.append(f"an interrupted {pending.get('step', 'write')} was left half done; any writing command "
                        "(e.g. `evidence rebuild`) finishes or undoes it")
    try:
        gen = store.generation()
        if gen is not None:
            read_generation(gen)
        listing_path = store.listing_path(gen)
    except StoreError as exc:
        problems.append(f"the tables do not open: {exc}")
        gen, listing_path = None, store.manifest_path  # the copy in raw/ still tells what is stored
    try:
        listing = read_listing(listing_path)
    except StoreError as exc:
        problems.append(f"the raw listing does not parse: {exc}")
        listing = None
    if gen is not None and (gen / GENERATION_FILE).exists():
        try:
            copy = store.manifest_path.read_bytes()
            if copy != (gen / LISTING_FILE).read_bytes():
                parse_listing(copy, store.manifest_path)
                problems.append(f"{store.manifest_path} differs from the committed listing {gen / LISTING_FILE}")
        except FileNotFoundError:
            problems.append(f"{store.manifest_path} is missing")
        except (OSError, StoreError) as exc:
            problems.append(f"the copy of the listing is damaged: {exc}")
    if listing is None:
        return problems
    if listing and not store.tables_dir.is_symlink() and not problems:
        problems.append(f"{len(listing)} raw file(s) are listed but there are no tables")
    for entry in listing:
        try:
            check_raw_file(store.raw_dir / entry["path"], entry)
        except StoreError as exc:
            problems.append(str(exc))
    listed = {e["path"] for e in listing}
    unlisted = [rel for rel in raw_files(store) if rel not in listed]
    if unlisted:
        more = f" and {len(unlisted) - 1} more" if len(unlisted) > 1 else ""
        problems.append(f"raw/{unlisted[0]}{more} not listed in the manifest")
    return problems


def store_status(data_dir: str | Path) -> StoreStatus:
    """Count what the store at ``data_dir`` holds, after checking that it is whole.

    ``problems`` lists what is wrong (then nothing is counted); ``busy`` names a writer at work,
    whose half-done step is expected and not a problem.
    """
    store = Store(data_dir)
    st = StoreStatus(Path(data_dir))
    if writer_active(store.root):
        # A step in flight leaves files the checks would flag; what readers see is still whole.
        st.busy = f"{store.root} is being written right now; these counts are the last committed state"
    else:
        st.problems = verify_store(store)
        try:
            store.check_root()
        except StoreError:
            st.repair = None
        if st.problems:
            return st
    tables = store.tables()
    st.raw_files = len(store.manifest())
    articles = tables.get("articles")
    if articles is None or articles.empty:
        return st
    st.records = len(articles)
    years = articles["year"].dropna()
    if len(years):
        st.year_min, st.year_max = int(years.min()), int(years.max())
        decades = (years // 10 * 10).astype(int).value_counts().sort_index()
        st.by_decade = {f"{d}s": int(n) for d, n in decades.items()}
    st.by_source = {str(k): int(v) for k, v in articles["source"].value_counts().items()}
    studies = tables.get("studies")
    if studies is not None and not studies.empty:
        st.by_design = {str(k): int(v) for k, v in studies["design"].value_counts().items()}
    st.retracted = int(articles["is_retracted"].sum())
    return st
