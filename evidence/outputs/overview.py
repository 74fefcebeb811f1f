"""What the corpus holds, and how records flow from the query to the synthesis (PRISMA-style).

A *record* is one row of the corpus: a PubMed record (``articles``) or a curated study without
one (a guideline, a trial found outside PubMed). ``corpus_frame`` builds that one-row-per-record
view from the tables ``evidence.load`` returns; ``counts_by`` and ``corpus_flow`` count it.

The flow is honest about what each count is. On a store, "identified" means records the
PubMed query returned (fetched) or that were imported from PubMed exports. On the snapshot
alone there are no raw query results: "identified" counts the curated studies the snapshot's
own manual search found (data/snapshot/README.md), so the step says so, plus the records its
search log names as found and left out (``read_search_log``), which leave again at screening.
``search_description`` says when and how the records were searched, with the topic's query.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch
from matplotlib.ticker import MaxNLocator

from ..errors import InputError
from .labels import DESIGN_NAMES, comparator_names, name_of
from .plots import Plot
from ..topic.model import Topic

CORPUS_COLUMNS = ("record_id", "pmid", "year", "country", "country_source", "design", "comparator_class",
                  "in_store", "curated", "screened", "retracted", "has_findings", "finding_comparators")
"""Columns of :func:`corpus_frame`; ``comparator_class`` and ``finding_comparators`` hold lists."""

COUNT_DIMENSIONS = {
    "year": "Publication year",
    "design": "Study design (curated, else automatic classification; 'not classified' when neither)",
    "country": "Country where the study was done (curated rows); else the journal's country of publication",
    "comparator_class": "Comparator class (a study comparing with several counts once in each)",
}
"""The dimensions :func:`counts_by` accepts, with what each one means."""

NOT_STATED = "not stated"
NOT_CLASSIFIED = "not classified"


def _figure(width: float, height: float) -> Figure:
    # Agg canvas, no pyplot: no global state, works in kernels, tests and headless runs alike.
    figure = Figure(figsize=(width, height))
    FigureCanvasAgg(figure)
    return figure


def _flag(values: pd.Series) -> pd.Series:
    return values.astype("boolean").fillna(False).astype(bool)


def corpus_frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per record: a PubMed record, or a curated study without one.

    Parameters
    ----------
    tables:
        As returned by :func:`evidence.load` (``articles``, ``studies`` and ``findings`` are used).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CORPUS_COLUMNS`. ``in_store`` is true for records fetched or imported
        (not built from the snapshot); ``screened`` for records with a row in ``studies``;
        ``has_findings`` for records with at least one row in ``findings``, and
        ``finding_comparators`` lists the comparator classes of those findings.
    """
    articles, studies, findings = tables["articles"], tables["studies"], tables["findings"]
    records = pd.DataFrame({
        "record_id": articles["pmid"].astype(object), "pmid": articles["pmid"].astype(object),
        "year": articles["year"], "journal_country": articles["country"].astype(object),
        "in_store": articles["source"].astype(object) != "snapshot",
        "retracted": _flag(articles["is_retracted"]),
    })
    study_rows = pd.DataFrame({
        "record_id": studies["study_id"].astype(object), "pmid": studies["pmid"].astype(object),
        "study_year": studies["year"], "study_country": studies["country"].astype(object),
        "design": studies["design"].astype(object), "comparator_class": studies["comparator_class"],
        "curated": studies["provenance"].astype(object) == "curated",
    }).drop_duplicates("record_id")
    corpus = records.merge(study_rows.drop(columns="pmid"), on="record_id", how="outer", indicator=True)
    corpus["screened"] = corpus.pop("_merge").isin(["both", "right_only"])
    corpus["in_store"] = corpus["in_store"].astype("boolean").fillna(False).astype(bool)
    corpus["retracted"] = corpus["retracted"].astype("boolean").fillna(False).astype(bool)
    corpus["curated"] = corpus["curated"].astype("boolean").fillna(False).astype(bool)
    corpus["pmid"] = corpus["record_id"].where(corpus["record_id"].astype(str).str.isdigit())
    corpus["year"] = corpus["study_year"].astype("Int64").fillna(corpus["year"].astype("Int64"))
    has_study_country = corpus["study_country"].notna()
    corpus["country"] = corpus["study_country"].where(has_study_country, corpus["journal_country"])
    corpus["country_source"] = pd.Series(
        ["study" if s else "journal" if j else None for s, j in zip(has_study_country, corpus["journal_country"].notna())],
        index=corpus.index, dtype=object)
    corpus["comparator_class"] = corpus["comparator_class"].map(lambda v: list(v) if isinstance(v, list) else [])
    finding_ids = findings["study_id"].fillna(findings["pmid"])
    compared = findings.assign(_id=finding_ids).dropna(subset=["_id", "comparator_class"])
    classes = compared.groupby("_id")["comparator_class"].agg(lambda v: sorted(set(v))).to_dict()
    corpus["has_findings"] = corpus["record_id"].isin(set(finding_ids.dropna()))
    corpus["finding_comparators"] = corpus["record_id"].map(lambda r: classes.get(r, []))
    corpus = corpus.sort_values(["year", "record_id"], na_position="last", kind="stable").reset_index(drop=True)
    return corpus[list(CORPUS_COLUMNS)]


def counts_by(corpus: pd.DataFrame, dimension: str, topic: Topic | None = None) -> pd.DataFrame:
    """Records per value of one dimension of :data:`COUNT_DIMENSIONS`.

    Missing values are counted under "not stated" (or "not classified" for design), never
    dropped, so the counts add up to the corpus (except ``comparator_class``, where one study
    may count under several classes and records with none count under "not stated"). Designs
    and comparator classes are given by their names ("randomised trial", "nerve block"): a
    comparator class by its ``label`` in ``topic`` (without a topic, its code in words).

    Returns
    -------
    pandas.DataFrame
        Columns ``dimension``'s name and ``records``; years in order, others by count.
    """
    if dimension not in COUNT_DIMENSIONS:
        raise InputError(f"unknown dimension {dimension!r}; use one of {', '.join(COUNT_DIMENSIONS)}")
    values = corpus[dimension]
    if dimension == "comparator_class":
        values = corpus[dimension].map(lambda v: v or [NOT_STATED]).explode()
    missing = NOT_CLASSIFIED if dimension == "design" else NOT_STATED
    values = values.astype(object).where(values.notna(), missing)
    names = {"design": DESIGN_NAMES, "comparator_class": comparator_names(topic)}.get(dimension)
    if names:
        values = values.map(lambda v: names.get(v, str(v).replace("_", " ")))
    counts = values.value_counts().rename("records").rename_axis(dimension).reset_index()
    if dimension == "year":
        known = counts[counts["year"] != missing].astype({"year": int}).sort_values("year")
        counts = pd.concat([known, counts[counts["year"] == missing]], ignore_index=True)
    return counts.astype({"records": int}).reset_index(drop=True)


@dataclass(frozen=True)
class FlowStep:
    """One box of the flow: how many records reached it, what that means, who left before it.

    Attributes
    ----------
    step:
        Short name of the step.
    records:
        Records that reached this step.
    meaning:
        What the count means, in plain words.
    excluded:
        Records that left between the previous step and this one, by reason.
    """

    step: str
    records: int
    meaning: str
    excluded: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Flow:
    """A PRISMA-style flow from the records identified to the studies in the synthesis."""

    steps: tuple[FlowStep, ...]

    def summary_frame(self) -> pd.DataFrame:
        """One row per step: ``step``, ``records``, ``meaning``, ``excluded_before`` (text)."""
        return pd.DataFrame([{
            "step": s.step, "records": s.records, "meaning": s.meaning,
            "excluded_before": "; ".join(f"{reason}: {n}" for reason, n in s.excluded) or "none",
        } for s in self.steps])


def _reasons(pairs: list[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    return tuple((reason, int(n)) for reason, n in pairs if n)


@dataclass(frozen=True)
class SearchLog:
    """What the snapshot's search logs (``search_log/*.md``) say about the manual search.

    Attributes
    ----------
    dates:
        The dates the logs give (``Date: YYYY-MM-DD`` lines), oldest first.
    queries:
        Logged query rows (table rows starting with a query number).
    excluded:
        Logged query rows that name a record found and left out ("excluded", "not recorded",
        "not in scope"): at least that many records were screened out, perhaps more.
    """

    dates: tuple[str, ...] = ()
    queries: int = 0
    excluded: int = 0


_LOG_DATE = re.compile(r"^Date:\s*(\d{4}-\d{2}-\d{2})", re.MULTILINE)
_LOG_QUERY_ROW = re.compile(r"^\|\s*\d+(?:\s*-\s*\d+)?\s*\|.*$", re.MULTILINE)
_LOG_EXCLUSION = re.compile(r"excluded|not recorded|not in scope", re.IGNORECASE)


def read_search_log(snapshot_folder: str | Path | None) -> SearchLog:
    """Count the snapshot's logged queries and exclusions; an absent folder gives an empty log."""
    folder = Path(snapshot_folder) / "search_log" if snapshot_folder is not None else None
    if folder is None or not folder.is_dir():
        return SearchLog()
    dates, queries, excluded = set(), 0, 0
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        dates.update(_LOG_DATE.findall(text))
        rows = _LOG_QUERY_ROW.findall(text)
        queries += len(rows)
        excluded += sum(bool(_LOG_EXCLUSION.search(row)) for row in rows)
    return SearchLog(tuple(sorted(dates)), queries, excluded)


def search_description(tables: dict[str, pd.DataFrame], data_dir: str | Path, snapshot_folder: str | Path | None,
                       query: str) -> list[str]:
    """Plain sentences saying how the records were searched: when, with what query, how many found.

    Parameters
    ----------
    tables:
        From :func:`evidence.load`.
    data_dir:
        The store; its fetch manifests give the PubMed searches run (date, count, query).
    snapshot_folder:
        The snapshot folder whose ``search_log/`` describes the manual search (None: no snapshot).
    query:
        The topic's PubMed query, shown in full.
    """
    from ..ingest.fetch import list_runs  # the fetcher owns the manifest format
    from ..ingest.store import Store

    lines = []
    runs = list_runs(Store(data_dir)) if Path(data_dir).is_dir() else []
    for run in runs:
        when = str(run.get("finished") or run.get("started") or "date not recorded")[:10]
        lines.append(f"PubMed search (E-utilities) on {when}: {run.get('count', 'an unknown number of')} records matched "
                     f"the query, status {run.get('status', 'unknown')}; Entrez dates {run.get('mindate')} to {run.get('maxdate')}.")
    imported = int((tables["articles"]["source"] != "snapshot").sum())
    if imported and not runs:
        lines.append(f"{imported} PubMed records were imported from PubMed exports (no search run by this tool).")
    log = read_search_log(snapshot_folder)
    if snapshot_folder is not None and log.queries:
        lines.append(f"Curated snapshot: a manual search of stored public pages (PubMed, PMC, journals, registries, "
                     f"guidelines) on {', '.join(log.dates) or 'a date not logged'}, {log.queries} logged queries; "
                     f"{log.excluded} of them name a record found and left out. The queries are listed in "
                     "data/snapshot/search_log/.")
    if not lines:
        lines.append("No search is recorded: the store is empty and no snapshot is loaded.")
    lines.append(f"The topic's PubMed query (used by `evidence fetch`): {query}")
    return lines


def corpus_flow(corpus: pd.DataFrame, focus: tuple[str, ...], search_log: SearchLog | None = None,
                intervention: str = "the intervention") -> Flow:
    """Count records from identified to screened, included, included for the focus, and its trials.

    Parameters
    ----------
    corpus:
        From :func:`corpus_frame`.
    focus:
        Comparator classes of the last steps (the topic's ``Topic.report.focus``).
    search_log:
        The snapshot's logged search (:func:`read_search_log`): the records its queries found
        and left out are counted as identified and excluded at screening.
    intervention:
        The topic's intervention as a sentence names it.

    Returns
    -------
    Flow
    """
    log = search_log or SearchLog()
    in_store = int(corpus["in_store"].sum())
    from_snapshot = len(corpus) - in_store
    if in_store:
        identified_meaning = (f"{in_store} records in the store (PubMed records fetched with the topic query or "
                              f"imported from PubMed exports), plus {from_snapshot} curated snapshot studies not in it")
    elif from_snapshot:
        identified_meaning = ("No records from a PubMed query (the store is empty): the curated snapshot's studies, "
                              "found by its manual search (its search_log/ folder)")
    else:
        identified_meaning = "Nothing to count: the store is empty and no snapshot is loaded"
    if log.excluded:
        identified_meaning += f", plus at least {log.excluded} records its search log names as found and left out"
    live = corpus[~corpus["retracted"]]
    screened = live[live["screened"]]
    included = screened[screened["has_findings"] & screened["design"].notna()]
    focused = included[included["finding_comparators"].map(lambda classes: bool(set(classes) & set(focus))).astype(bool)]
    trials = focused[focused["design"] == "rct"]
    no_findings = screened[~screened["has_findings"]]["design"].fillna(NOT_CLASSIFIED).value_counts()
    focus_names = ", ".join(c.replace("_", " ") for c in focus)
    steps = (
        FlowStep("identified", len(corpus) + log.excluded, identified_meaning + "."),
        FlowStep("screened and recorded", len(screened),
                 "Records with a row in the studies table: read for design and comparison, by a curator "
                 "(snapshot) or by `evidence classify` (automatic).",
                 _reasons([("left out at screening (search log)", log.excluded),
                           ("retracted", corpus["retracted"].sum()),
                           ("not screened yet (no studies row; run `evidence classify`)", (~live["screened"]).sum())])),
        FlowStep("included in the synthesis", len(included),
                 "Studies with a design and at least one reported effect in the findings table.",
                 _reasons([(f"no reported effect ({name_of(design, DESIGN_NAMES)})", n)
                           for design, n in no_findings.items()]
                          + [("design could not be told", (screened["has_findings"] & screened["design"].isna()).sum())])),
        FlowStep(f"compare with {focus_names}", len(focused),
                 f"Included studies with a finding comparing {intervention} with {focus_names} "
                 "(head-to-head, add-on or package).",
                 _reasons([("other comparators only", len(included) - len(focused))])),
        FlowStep("randomised trials among them", len(trials),
                 "Of those, the randomised trials.", _reasons([("other designs", len(focused) - len(trials))])),
    )
    return Flow(steps)


def flow_figure(flow: Flow) -> Plot:
    """The flow as boxes and arrows, exclusions to the right of each arrow.

    Returns
    -------
    Plot
        The figure and :meth:`Flow.summary_frame` (the numbers drawn).
    """
    steps = flow.steps
    figure = _figure(12, 1.3 * len(steps) + 0.3)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, 12)
    ax.set_ylim(0, 1.3 * len(steps))
    for i, step in enumerate(steps):
        y = 1.3 * (len(steps) - i) - 1.1
        ax.add_patch(FancyBboxPatch((0.2, y), 6.0, 0.8, boxstyle="round,pad=0.05", fc="#e8eef5", ec="#1f4e79"))
        label = "\n".join(textwrap.wrap(f"{step.step}: {step.records} records", 52))
        ax.text(3.2, y + 0.4, label, ha="center", va="center", fontsize=12)
        if i:
            ax.annotate("", xy=(3.2, y + 0.86), xytext=(3.2, y + 1.24), arrowprops={"arrowstyle": "->"})
        if step.excluded:
            # At most four reasons beside a box; the rest are summed, so no text runs into the next box.
            shown = list(step.excluded[:3]) + ([("other reasons", sum(n for _, n in step.excluded[3:]))]
                                               if len(step.excluded) > 3 else [])
            text = "\n".join(f"{reason}: {n}" for reason, n in shown)
            ax.text(6.5, y + 1.05, "left before this step:\n" + text, va="center", fontsize=10, color="#333333")
    return Plot(figure, flow.summary_frame())


MAX_BARS = 12
"""Bars per chart in :func:`corpus_figure`; the rest are summed into one "others" bar."""


def corpus_figure(corpus: pd.DataFrame) -> Plot:
    """Bar charts of records by year, design, country and comparator class.

    Years run on a continuous axis, so a year without records shows as a gap. Designs,
    countries and comparators keep their :data:`MAX_BARS` largest values; the rest are summed
    into one "others" bar.

    Returns
    -------
    Plot
        The figure and the counts drawn (columns ``dimension``, ``value``, ``records``).
    """
    figure = _figure(11, 9)
    grid = figure.add_gridspec(2, 3, height_ratios=(1, 1.6))
    drawn = []
    for dimension, cell in zip(COUNT_DIMENSIONS, (grid[0, :], grid[1, 0], grid[1, 1], grid[1, 2])):
        counts = counts_by(corpus, dimension)
        ax = figure.add_subplot(cell)
        if dimension == "year":
            known = counts[counts["year"] != NOT_STATED]
            ax.bar(known["year"].astype(int), known["records"], color="#1f4e79")
            years = ax.xaxis.get_major_locator()
            if isinstance(years, MaxNLocator):  # the default (AutoLocator) is one: ticks on whole years only
                years.set_params(integer=True)
            undated = int(counts.loc[counts["year"] == NOT_STATED, "records"].sum())
            ax.set_title(f"Publication year ({undated} without a year)" if undated else "Publication year", fontsize=10)
        else:
            if len(counts) > MAX_BARS:
                rest = counts.iloc[MAX_BARS - 1:]
                others = pd.DataFrame({dimension: [f"{len(rest)} others"], "records": [int(rest["records"].sum())]})
                counts = pd.concat([counts.iloc[:MAX_BARS - 1], others], ignore_index=True)
            labels = [str(v)[:28] for v in counts[dimension]]
            ax.barh(range(len(counts)), counts["records"], color="#1f4e79")
            ax.set_yticks(range(len(counts)), labels, fontsize=10)
            ax.invert_yaxis()
            ax.set_title(dimension.replace("_", " ").capitalize(), fontsize=10)
        ax.set_xlabel("records" if dimension != "year" else "")
        drawn.append(counts.rename(columns={dimension: "value"}).assign(dimension=dimension))
    figure.suptitle(f"{len(corpus)} records", fontsize=11)
    figure.tight_layout()
    return Plot(figure, pd.concat(drawn, ignore_index=True)[["dimension", "value", "records"]])


def data_source_text(tables: dict[str, pd.DataFrame], data_dir: str, snapshot: bool) -> str:
    """One sentence naming where the tables came from, for notebooks and the report."""
    articles = tables["articles"]
    in_store = int((articles["source"] != "snapshot").sum())
    curated = int((tables["studies"]["provenance"] == "curated").sum())
    # The folder's name only: a report is shared, and a local build path means nothing to its reader.
    store = Path(str(data_dir)).name or "data"
    parts = [f"store (folder {store}): {in_store} PubMed records" if in_store else f"store (folder {store}): empty"]
    if snapshot:
        parts.append(f"curated snapshot: {curated} studies, {int((tables['findings']['provenance'] == 'curated').sum())} findings")
    else:
        parts.append("snapshot not used")
    return "Data source: " + "; ".join(parts) + "."
