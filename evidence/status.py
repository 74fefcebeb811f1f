"""A summary of what a data directory holds, for ``evidence status``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


from .store import Store


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


def store_status(data_dir: str | Path) -> StoreStatus:
    """Count what the store at ``data_dir`` holds."""
    store = Store(data_dir)
    tables = store.tables()
    st = StoreStatus(Path(data_dir), raw_files=len(store.manifest()))
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
