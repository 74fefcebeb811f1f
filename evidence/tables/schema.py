"""The contract of every table, stated once.

Each table is a long, tidy pandas DataFrame keyed by ``pmid`` (a string). Missing values are
``pd.NA`` (never ``""``), lists are Python lists in an ``object`` column (never ``;``-joined
strings). ``conform`` brings a frame to its contract; ``validate`` lists every breach so a
test or a check can report them together.

dtype names used below:

* ``string``  pandas ``StringDtype`` (nullable)
* ``Int64``   nullable integer
* ``Float64`` nullable float
* ``boolean`` nullable boolean (but columns marked not-nullable never hold NA)
* ``list``    ``object`` column of Python lists (empty list when nothing, never NA)
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str
    nullable: bool = True
    doc: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ("pmid",)
    doc: str = ""

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _t(name: str, doc: str, *cols: tuple, key: tuple[str, ...] = ("pmid",)) -> Table:
    return Table(name, tuple(Column(*c) for c in cols), key=key, doc=doc)


ARTICLES = _t(
    "articles",
    "One row per PubMed record (journal article or book record).",
    ("pmid", "string", False, "PubMed identifier, digits as text"),
    ("title", "string", True, "ArticleTitle (BookTitle/ArticleTitle for books); inline markup kept as text"),
    ("abstract", "string", True, "Abstract sections joined by blank lines, each led by 'LABEL: '"),
    ("journal", "string", True, "Journal title (publisher for books)"),
    ("journal_iso", "string", True, "ISO abbreviation (MEDLINE TA)"),
    ("volume", "string", True, ""),
    ("issue", "string", True, ""),
    ("pages", "string", True, "MedlinePgn, else StartPage-EndPage"),
    ("year", "Int64", True, "PubDate Year, else first year in MedlineDate, else ArticleDate year"),
    ("pub_date", "string", True, "Publication date as printed: '2019 Mar 5', '1990 Spring', MedlineDate text"),
    ("doi", "string", True, "DOI without 'doi:' or URL prefix"),
    ("pmcid", "string", True, "PMC identifier, 'PMC' + digits"),
    ("language", "string", True, "First Language code (eng, chi, ...)"),
    ("country", "string", True, "MedlineJournalInfo Country (place of publication)"),
    ("publication_types", "list", False, "Publication type names"),
    ("status", "string", True, "MedlineCitation Status (MEDLINE, PubMed-not-MEDLINE, In-Process, ...)"),
    ("is_retracted", "boolean", False, "True when a RetractionIn correction is listed, or the record is a Retracted Publication"),
    ("has_abstract", "boolean", False, "True when the record carries abstract text"),
    ("record_type", "string", False, "'article' or 'book'"),
    ("source", "string", False, "Where the row came from: a raw file name, a fetch run, or 'snapshot'"),
)

AUTHORS = _t(
    "authors",
    "One row per author, in the order printed.",
    ("pmid", "string", False, ""),
    ("position", "Int64", False, "1-based author position"),
    ("last_name", "string", True, ""),
    ("fore_name", "string", True, ""),
    ("initials", "string", True, ""),
    ("collective_name", "string", True, "Group author name; last/fore name are NA then"),
    ("affiliations", "list", False, "Affiliation strings"),
    ("orcid", "string", True, "ORCID as 0000-0000-0000-0000"),
    key=("pmid", "position"),
)

ABSTRACT_SECTIONS = _t(
    "abstract_sections",
    "One row per AbstractText element (one row, label NA, for an unstructured abstract).",
    ("pmid", "string", False, ""),
    ("position", "Int64", False, "1-based section order"),
    ("label", "string", True, "Label attribute as printed (BACKGROUND, METHODS, ...)"),
    ("nlm_category", "string", True, "NlmCategory attribute (BACKGROUND, OBJECTIVE, METHODS, RESULTS, CONCLUSIONS, UNASSIGNED)"),
    ("text", "string", False, "Section text, markup kept as text, whitespace normalised"),
    key=("pmid", "position"),
)

MESH = _t(
    "mesh",
    "One row per MeSH heading (descriptor).",
    ("pmid", "string", False, ""),
    ("descriptor", "string", False, ""),
    ("descriptor_ui", "string", True, "D000000-style identifier"),
    ("major", "boolean", False, "Descriptor or any qualifier is a major topic"),
    ("qualifiers", "list", False, "Qualifier names"),
    key=("pmid", "descriptor"),
)

PUBLICATION_TYPES = _t(
    "publication_types",
    "One row per publication type.",
    ("pmid", "string", False, ""),
    ("publication_type", "string", False, ""),
    ("ui", "string", True, "D000000-style identifier"),
    key=("pmid", "publication_type"),
)

ARTICLE_IDS = _t(
    "article_ids",
    "One row per identifier (pubmed, doi, pmc, pii, mid, ...).",
    ("pmid", "string", False, ""),
    ("id_type", "string", False, "IdType attribute: pubmed, doi, pmc, pii, mid, ..."),
    ("value", "string", False, ""),
    key=("pmid", "id_type", "value"),
)

CORRECTIONS = _t(
    "corrections",
    "One row per CommentsCorrections entry (retractions, errata, comments, ...).",
    ("pmid", "string", False, ""),
    ("ref_type", "string", False, "RetractionIn, RetractionOf, ErratumIn, CommentIn, ExpressionOfConcernIn, ..."),
    ("ref_pmid", "string", True, ""),
    ("ref_source", "string", True, "Citation text of the referenced item"),
    key=("pmid", "ref_type", "ref_pmid"),
)

RECORD_TABLES: dict[str, Table] = {
    t.name: t
    for t in (ARTICLES, AUTHORS, ABSTRACT_SECTIONS, MESH, PUBLICATION_TYPES, ARTICLE_IDS, CORRECTIONS)
}

DESIGNS = (
    "rct", "systematic_review", "meta_analysis", "non_randomized_trial", "cohort", "case_control",
    "case_series", "case_report", "protocol", "narrative_review", "guideline", "animal_or_lab", "other",
)

DIRECTIONS = ("favours_intervention", "favours_comparator", "no_difference")
# A findings outcome the topic's vocabulary has no key for: its rows carry the sentence's own words in
# ``outcome_text``; comparison rows name it "other: <words>". Such rows are shown, never pooled.
OTHER_OUTCOME = "other"


def other_outcome_name(code: object) -> str | None:
    """A reader's name for a comparison row's outcome outside the vocabulary ("other: procedure time"),
    marked as the abstract's own, machine-extracted words; None for any other code."""
    prefix = f"{OTHER_OUTCOME}: "
    if not isinstance(code, str) or not code.startswith(prefix):
        return None
    return f"{code[len(prefix):]} (as the abstract words it; outcome outside the topic's vocabulary, machine-extracted)"


# Stores and snapshots written before the tables were neutral named arm 1 "acupuncture". They are
# still read: the old names are renamed on load (columns, and the direction value).
LEGACY_NAMES = {"favours_acupuncture": "favours_intervention", "n_acupuncture": "n_intervention",
                "acu_mean": "int_mean", "acu_sd": "int_sd", "acu_events": "int_events"}


def upgrade_legacy_row(row: dict) -> dict:
    """One snapshot row (a JSON object) with the old arm-1 names replaced by the neutral ones."""
    out = {LEGACY_NAMES.get(k, k): v for k, v in row.items()}
    if out.get("direction") in LEGACY_NAMES:
        out["direction"] = LEGACY_NAMES[out["direction"]]
    return out


def upgrade_legacy_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A stored table with the old arm-1 names replaced by the neutral ones (unchanged when it has none)."""
    df = df.rename(columns={k: v for k, v in LEGACY_NAMES.items() if k in df.columns})
    if "direction" in df.columns and df["direction"].isin(list(LEGACY_NAMES)).any():
        df = df.assign(direction=df["direction"].replace(LEGACY_NAMES))
    return df

STUDIES = _t(
    "studies",
    "One row per study (curated snapshot rows and automatic classification rows share this shape).",
    ("study_id", "string", False, "The PMID when there is one, else 'doi:<doi>', else 'ref:<short-name>'"),
    ("pmid", "string", True, "PMID; NA only for a guideline or page without one (then doi or source_urls identify it)"),
    ("doi", "string", True, ""),
    ("pmcid", "string", True, ""),
    ("title", "string", True, ""),
    ("authors", "list", False, "Author names as printed, 'Last Initials'"),
    ("journal", "string", True, ""),
    ("journal_abbrev", "string", True, "NLM journal abbreviation (MedlineTA) as a PubMed page prints it"),
    ("volume", "string", True, ""),
    ("issue", "string", True, ""),
    ("pages", "string", True, "As PubMed prints them (MedlinePgn), or the article number"),
    ("citation_urls", "list", False, "Stored pages where journal_abbrev, volume, issue and pages were seen"),
    ("year", "Int64", True, ""),
    ("design", "string", True, "One of DESIGNS"),
    ("population", "string", True, "Short description; facts, not copied sentences"),
    ("interventions", "list", False, "Acupuncture forms studied (manual, electroacupuncture, warm_needle, ...)"),
    ("comparators", "list", False, "Comparators as named by the study"),
    ("comparator_class", "list", False, "Comparator classes (the topic's: Topic.comparator_classes)"),
    ("add_on", "boolean", True, "True when the design is acupuncture + X against X"),
    ("n_randomized", "Int64", True, "Participants randomized (trials)"),
    ("n_analysed", "Int64", True, "Participants analysed (trials)"),
    ("n_arms", "Int64", True, ""),
    ("n_studies", "Int64", True, "Included studies (reviews)"),
    ("n_participants", "Int64", True, "Participants across included studies (reviews)"),
    ("country", "string", True, ""),
    ("outcomes", "list", False, ""),
    ("follow_up", "string", True, ""),
    ("funding", "string", True, ""),
    ("conflicts", "string", True, ""),
    ("source_urls", "list", False, "Stored pages where the facts were seen"),
    ("verified", "boolean", False, "PMID/DOI, title and result all seen on a source page"),
    ("notes", "string", True, ""),
    ("provenance", "string", False, "'curated' (snapshot) or 'auto' (classify/extract)"),
    ("rule", "string", True, "For auto rows: the rule or model that fired"),
    ("confidence", "Float64", True, "For auto rows: confidence of the design call"),
    key=("study_id",),
)

FINDINGS = _t(
    "findings",
    "One row per reported effect.",
    ("study_id", "string", False, "Links the finding to its row in studies"),
    ("pmid", "string", True, ""),
    ("comparison", "string", True, "Label such as 'electroacupuncture vs epidural steroid injection'"),
    ("intervention", "string", True, "Acupuncture form; 'none' for data on a comparator alone (e.g. injection safety series)"),
    ("comparator_class", "string", True, "One of the topic's comparator classes (Topic.comparator_classes)"),
    ("add_on", "boolean", True, "Acupuncture + X against X"),
    ("package", "boolean", True, "Acupuncture, or the comparator, is one part of a package of treatments: never pooled with direct comparisons"),
    ("outcome", "string", True, "Outcome label: leg_pain_vas, back_pain_vas, odi, joa, rmdq, effective_rate, cure_rate, adverse_events, ...; 'other' for an outcome outside the topic's vocabulary (named in outcome_text)"),
    ("outcome_text", "string", True, "The outcome as the sentence words it (auto rows); for outcome 'other' (an outcome the topic's vocabulary has no key for) its only name: such rows are shown as machine-extracted and never pooled"),
    ("timepoint", "string", True, "As reported: 'end of treatment', '4 weeks', ..."),
    ("timepoint_weeks", "Float64", True, "Timepoint in weeks after randomisation, when stated"),
    ("measure", "string", True, "MD, SMD, RR, OR, RD, HR, responder_rate, mean_per_arm, ..."),
    ("estimate", "Float64", True, ""),
    ("ci_low", "Float64", True, ""),
    ("ci_high", "Float64", True, ""),
    ("p_value", "Float64", True, ""),
    ("p_value_text", "string", True, "As reported, e.g. '<0.05'"),
    ("n_intervention", "Int64", True, ""),
    ("n_comparator", "Int64", True, ""),
    ("int_mean", "Float64", True, "Arm summaries, when reported, for pooling"),
    ("int_sd", "Float64", True, ""),
    ("int_events", "Int64", True, ""),
    ("comp_mean", "Float64", True, ""),
    ("comp_sd", "Float64", True, ""),
    ("comp_events", "Int64", True, ""),
    ("lower_is_better", "boolean", True, "Direction of the scale (pain scores: True)"),
    ("direction", "string", True, "One of DIRECTIONS, as the source reports it"),
    ("main_result", "boolean", True, "Auto rows: the primary outcome (at the primary time point) the abstract names; NA when it names none"),
    ("source_url", "string", True, "Stored page where the numbers were seen (curated rows)"),
    ("span_start", "Int64", True, "Character span of the sentence in title + abstract (auto rows)"),
    ("span_end", "Int64", True, ""),
    ("sentence", "string", True, "The sentence the numbers came from (auto rows only; never stored in the snapshot)"),
    ("provenance", "string", False, "'curated' or 'auto'"),
    ("rule", "string", True, "For auto rows: the rule that fired"),
    ("confidence", "Float64", True, "For auto rows: confidence of the rule that fired (0-1)"),
    ("notes", "string", True, ""),
    key=("study_id", "comparison", "outcome", "timepoint", "measure"),
)

ALL_TABLES: dict[str, Table] = {**RECORD_TABLES, "studies": STUDIES, "findings": FINDINGS}

_PANDAS_DTYPE = {"string": "string", "Int64": "Int64", "Float64": "Float64", "boolean": "boolean", "list": "object"}


def empty_frame(table: Table) -> pd.DataFrame:
    """An empty DataFrame with the table's columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series([], dtype=_PANDAS_DTYPE[c.dtype]) for c in table.columns})


def conform(df: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Return ``df`` with exactly the table's columns, in order, cast to their dtypes.

    Missing columns are added (NA, or empty lists for list columns); extra columns are dropped.
    """
    out = {}
    for c in table.columns:
        s = df[c.name] if c.name in df.columns else _absent_column(c, df.index)
        if c.dtype == "list":
            s = s.map(_as_list).astype("object")
        elif c.dtype == "boolean" and not c.nullable:
            s = s.astype("boolean").fillna(False)
        else:
            s = s.astype(_PANDAS_DTYPE[c.dtype])
        out[c.name] = s
    return pd.DataFrame(out, index=df.index).reset_index(drop=True)


def frame_from_rows(rows: Sequence[tuple], table: Table, names: Sequence[str]) -> pd.DataFrame:
    """A frame in the table's contract from row tuples whose cells already hold the right Python
    types: ``str``/``int``/``float`` or None, ``bool``, and ``list`` for list columns.

    ``names`` gives the tuples' column order; table columns it lacks are filled as ``conform``
    fills them. The result equals ``conform(pd.DataFrame(rows, columns=names), table)``, built
    column by column through pyarrow, several times faster: the parsers' rows take this path.
    """
    n = len(rows)
    columns = dict(zip(names, zip(*rows))) if n else {name: () for name in names}
    out = {}
    for c in table.columns:
        values = columns.get(c.name)
        if values is None:
            out[c.name] = _absent_column(c, pd.RangeIndex(n))
        elif c.dtype == "list":
            cells = np.empty(n, dtype=object)
            for i, v in enumerate(values):  # element by element: assigning a sequence of lists would broadcast
                cells[i] = v
            out[c.name] = cells
        elif c.dtype == "boolean" and not c.nullable:
            out[c.name] = pd.arrays.BooleanArray(np.array(values, dtype=bool), np.zeros(n, dtype=bool))
        else:
            out[c.name] = _typed_array(values, c.dtype)
    return pd.DataFrame(out, copy=False)


def _absent_column(c: Column, index: pd.Index) -> pd.Series:
    """What a column the data lacks holds: empty lists for list columns, False for required
    flags, else NA."""
    if c.dtype == "list":
        return pd.Series([[] for _ in range(len(index))], index=index, dtype="object")
    if c.dtype == "boolean" and not c.nullable:
        return pd.Series(False, index=index, dtype="boolean")
    return pd.Series([pd.NA] * len(index), index=index, dtype=_PANDAS_DTYPE[c.dtype])


# Nullable dtype -> (arrow type of the values, pandas array built from values + null mask).
_MASKED = {
    "Int64": (pa.int64(), pd.arrays.IntegerArray),
    "Float64": (pa.float64(), pd.arrays.FloatingArray),
    "boolean": (pa.bool_(), pd.arrays.BooleanArray),
}
_ARROW_STRINGS = pd.StringDtype().storage == "pyarrow"  # pandas >= 3 stores strings in arrow by default


def _typed_array(values: Sequence, dtype: str) -> pd.api.extensions.ExtensionArray:
    if dtype == "string":
        if _ARROW_STRINGS:
            return pd.arrays.ArrowStringArray(pa.array(values, type=pa.large_string()))
        return pd.array(values, dtype="string")
    arrow_type, kind = _MASKED[dtype]
    arrow = pa.array(values, type=arrow_type)
    mask = arrow.is_null().to_numpy(zero_copy_only=False)
    data = arrow.fill_null(False if dtype == "boolean" else 0).to_numpy(zero_copy_only=False)
    return kind(data, mask)


def _as_list(v: object) -> list:
    """A list cell: lists as they are, arrays read back from Parquet as lists, missing as []."""
    if isinstance(v, list):
        return v
    if hasattr(v, "tolist"):
        return list(v.tolist())
    if isinstance(v, (tuple, set)):
        return list(v)
    if v is None or pd.isna(v):
        return []
    return [v]


def validate(df: pd.DataFrame, table: Table) -> list[str]:
    """List every breach of the table's contract (empty when the frame conforms)."""
    problems: list[str] = []
    missing = [c for c in table.names if c not in df.columns]
    if missing:
        problems.append(f"{table.name}: missing columns {missing}")
    for c in table.columns:
        if c.name not in df.columns:
            continue
        s = df[c.name]
        want = _PANDAS_DTYPE[c.dtype]
        if str(s.dtype) != want:
            problems.append(f"{table.name}.{c.name}: dtype {s.dtype}, expected {want}")
        if c.dtype == "list":
            bad = s.map(lambda v: not isinstance(v, list)).sum()
            if bad:
                problems.append(f"{table.name}.{c.name}: {bad} values are not lists")
        elif not c.nullable and s.isna().any():
            problems.append(f"{table.name}.{c.name}: {int(s.isna().sum())} missing values in a required column")
        if c.dtype == "string":
            empties = (s.dropna() == "").sum()
            if empties:
                problems.append(f"{table.name}.{c.name}: {empties} empty strings (use NA)")
    return problems
