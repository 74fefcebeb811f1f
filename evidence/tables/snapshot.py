"""The embedded snapshot: curated, source-verified studies and findings shipped in data/snapshot/.

Files (JSON Lines, UTF-8, one object per line; the keys are the ``studies`` and ``findings``
columns of ``evidence.tables.schema`` without the automatic-extraction columns)::

    data/snapshot/studies.jsonl    one row per study, review or guideline
    data/snapshot/findings.jsonl   one row per reported effect, linked by study_id
    data/snapshot/review_grades.jsonl   optional: a review's own GRADE certainty, one row per
                                   review x comparison x outcome (keys: :data:`REVIEW_GRADE_KEYS`)

``check_snapshot`` lists every problem at once; ``load_snapshot`` refuses a snapshot with any.
``snapshot_warnings`` lists what is allowed but should be looked at (sources on bare IP addresses).
All take another folder of the same shape as an argument.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import SnapshotError
from ..package_data import resource_path
from ..topic.matcher import sentence_mentions, vocabulary
from ..topic.model import Topic, available_topics, load_topic
from .schema import (
    DESIGNS, DIRECTIONS, FINDINGS, RECORD_TABLES, STUDIES, Table, conform, empty_frame, upgrade_legacy_row,
)

# ``outcome_text`` is the words an automatic row found for its outcome; a curated row names its outcome by the topic's code.
AUTO_ONLY = {"provenance", "rule", "confidence", "span_start", "span_end", "sentence", "main_result", "outcome_text"}
STUDY_KEYS = [c for c in STUDIES.names if c not in AUTO_ONLY]
CITATION_KEYS = ("journal_abbrev", "volume", "issue", "pages", "citation_urls")
"""Bibliographic keys a snapshot row may leave out (folders written before they existed)."""
FINDING_KEYS = [c for c in FINDINGS.names if c not in AUTO_ONLY]
_PMID = re.compile(r"\d{1,8}")
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_PMCID = re.compile(r"PMC\d+")
_URL = re.compile(r"https?://\S+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_STUDY_ID = re.compile(r"\d{1,8}|doi:10\.\d{4,9}/\S+|ref:[a-z0-9][a-z0-9_.-]*")
REVIEW_GRADE_KEYS = ["study_id", "pmid", "outcome", "comparison", "grade", "source_url", "note"]
"""Keys of a review_grades.jsonl row. ``comparison`` is written as the synthesis labels it, with
the topic's intervention ("acupuncture vs drug", "acupuncture + nerve block vs nerve block");
``outcome`` is a findings outcome label; ``grade`` one of very_low, low, moderate, high."""
REVIEW_GRADES = ("very_low", "low", "moderate", "high")
_NOT_VERIFIED = re.compile(
    r"\b(?:not|never)\s+(?:been\s+)?verified\b|\bunverified\b|\bverified\s*[=:]\s*false\b"
    r"|\bcould\s+not\s+be\s+(?:verified|confirmed)\b", re.IGNORECASE)
"""Notes that say the row is not verified. ``verified`` is true only when the PMID or DOI, the title
and the result were all seen, so a verified row whose notes say otherwise is one of the two wrong."""
_BARE_IP_URL = re.compile(r"https?://(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?(?:[/?#]|$)")
_COMBINED_ARM = re.compile(r"\+|\bplus\b|\bcombined\b|\bwith\b", re.IGNORECASE)
_VERSUS = re.compile(r"\s+(?:vs\.?|versus)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class SnapshotVocabulary:
    """The names a snapshot's rows may use, from its topic: comparator classes, intervention
    forms, and the intervention's name in a review grade's comparison."""

    comparator_classes: tuple[str, ...]
    intervention_forms: tuple[str, ...]
    interventions: tuple[str, ...]

    @classmethod
    def of(cls, topic: Topic | None) -> SnapshotVocabulary:
        """A topic's names; with no topic, those of every installed topic (a folder checked without
        its topic is held to names some topic knows)."""
        topics = [topic] if topic is not None else [load_topic(name) for name in available_topics()]
        return cls(comparator_classes=tuple(dict.fromkeys(c for t in topics for c in t.comparator_classes)),
                   intervention_forms=tuple(dict.fromkeys(f for t in topics for f in t.intervention_forms)),
                   interventions=tuple(dict.fromkeys(t.intervention for t in topics)))

    def review_comparison(self, text: str) -> re.Match | None:
        """``<intervention> vs <class>`` or ``<intervention> + <class> vs <class>``, read into its parts."""
        names = "|".join(re.escape(name) for name in self.interventions)
        return re.fullmatch(rf"(?:{names}) (?:\+ (?P<addon>[a-z ]+) )?vs (?P<comparator>[a-z ]+)", text)


def snapshot_dir() -> Path:
    """The first topic's snapshot: the copy bundled in an installed package, else data/snapshot of the checkout."""
    return resource_path("data/snapshot")


def _read_jsonl(path: Path, problems: list[str]) -> list[dict]:
    if not path.exists():
        problems.append(f"{path}: missing (a source checkout ships data/snapshot/; give another snapshot folder otherwise)")
        return []
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path.name}:{n}: not valid JSON ({exc.msg})")
            continue
        if not isinstance(row, dict):
            problems.append(f"{path.name}:{n}: a line must hold one JSON object")
            continue
        row = upgrade_legacy_row(row)
        row["_line"] = n
        rows.append(row)
    return rows


def _check_keys(rows: list[dict], keys: list[str], name: str, problems: list[str],
                optional: tuple[str, ...] = ()) -> None:
    for row in rows:
        have = set(row) - {"_line"}
        missing, extra = sorted(set(keys) - have - set(optional)), sorted(have - set(keys))
        if missing or extra:
            problems.append(f"{name}:{row['_line']}: keys differ from the schema (missing {missing}, unknown {extra})")


def _frame(rows: list[dict], table: Table) -> pd.DataFrame:
    if not rows:
        return empty_frame(table)
    df = pd.DataFrame([{k: v for k, v in r.items() if k != "_line"} for r in rows])
    df = df.replace({"": None})
    return conform(df, table)


def check_snapshot(folder: str | Path | None = None, topic: Topic | None = None) -> list[str]:
    """Every problem in the snapshot, as one line each (empty when it passes).

    Checks: the schema (keys and types), unique study ids and PMIDs, a source URL on every
    row, PMIDs of 1 to 8 digits, well-formed DOIs and PMCIDs, plausible years, known designs,
    comparator classes, intervention forms and directions, every finding's study present,
    estimates inside CIs, volume, issue, pages and journal abbreviation as one-line text with the
    page that showed them (``citation_urls``), and no ``verified`` row whose notes say it is not
    verified.

    Comparator classes, forms and the intervention's name are the ``topic``'s
    (:class:`SnapshotVocabulary`); without one, any installed topic's. With a ``topic`` (the
    snapshot's own), also: a comparator that is a form of the topic's intervention
    (hydro-acupuncture against acupuncture) must carry a comparator class the topic marks as such
    (``Topic.intervention_form_classes``), so it never counts as the intervention against another
    treatment.
    """
    folder = Path(folder) if folder else snapshot_dir()
    names = SnapshotVocabulary.of(topic)
    problems: list[str] = []
    studies = _read_jsonl(folder / "studies.jsonl", problems)
    findings = _read_jsonl(folder / "findings.jsonl", problems)
    _check_keys(studies, STUDY_KEYS, "studies.jsonl", problems, optional=CITATION_KEYS)
    _check_keys(findings, FINDING_KEYS, "findings.jsonl", problems)
    grades_path = folder / "review_grades.jsonl"
    grades = _read_jsonl(grades_path, problems) if grades_path.exists() else []
    _check_keys(grades, REVIEW_GRADE_KEYS, "review_grades.jsonl", problems)
    if problems:
        return problems
    try:
        s = _frame(studies, STUDIES)
        f = _frame(findings, FINDINGS)
    except (TypeError, ValueError, OverflowError) as exc:  # pandas casts; a number too big for int64
        return [f"a value has the wrong type for its column ({exc})"]
    this_year = dt.date.today().year
    for i, row in s.iterrows():
        where = f"studies.jsonl:{studies[i]['_line']}"
        _check_ids(row, where, problems)
        _check_citation(studies[i], where, problems)
        if pd.isna(row["study_id"]) or not _STUDY_ID.fullmatch(row["study_id"]):
            problems.append(f"{where}: study_id must be the PMID, 'doi:<doi>' or 'ref:<name>'")
        elif not pd.isna(row["pmid"]) and row["study_id"] != row["pmid"]:
            problems.append(f"{where}: study_id must equal the PMID when there is one")
        if not row["source_urls"] or not all(isinstance(u, str) and _URL.fullmatch(u) for u in row["source_urls"]):
            problems.append(f"{where}: needs at least one source URL (http/https) in source_urls")
        if not pd.isna(row["year"]) and not 1950 <= row["year"] <= this_year + 1:
            problems.append(f"{where}: implausible year {row['year']}")
        if pd.isna(row["design"]) or row["design"] not in DESIGNS:
            problems.append(f"{where}: design {row['design']!r} is not one of {', '.join(DESIGNS)}")
        for c in row["comparator_class"]:
            if c not in names.comparator_classes:
                problems.append(f"{where}: comparator_class {c!r} is not one of {', '.join(names.comparator_classes)}")
        for c in row["interventions"]:
            if c not in names.intervention_forms:
                problems.append(f"{where}: intervention {c!r} is not one of {', '.join(names.intervention_forms)}")
        if pd.isna(row["title"]) and (row["verified"] or pd.isna(row["notes"])):
            # A title not seen on any source stays empty, but then the row cannot be verified
            # and its notes must say what was seen instead.
            problems.append(f"{where}: title is empty: a row without a title needs notes and verified=false")
        verified = not pd.isna(row["verified"]) and bool(row["verified"])
        said = _NOT_VERIFIED.search(row["notes"]) if verified and not pd.isna(row["notes"]) else None
        if said:
            problems.append(f"{where}: verified is true but the notes say {said.group(0)!r}: "
                            "set verified=false or correct the notes")
    for label, col in (("study_id", "study_id"), ("PMID", "pmid"), ("DOI", "doi")):
        values = s[col].dropna().str.lower()
        for dup in sorted(values[values.duplicated()].unique()):
            problems.append(f"studies.jsonl: duplicate {label} {dup}")
    known = set(s["study_id"].dropna())
    for i, row in f.iterrows():
        where = f"findings.jsonl:{findings[i]['_line']}"
        if row["study_id"] not in known:
            problems.append(f"{where}: study_id {row['study_id']!r} has no row in studies.jsonl")
        if not pd.isna(row["pmid"]) and row["pmid"] != row["study_id"]:
            problems.append(f"{where}: pmid and study_id disagree")
        if pd.isna(row["source_url"]) or not _URL.fullmatch(row["source_url"]):
            problems.append(f"{where}: needs a source_url (http/https)")
        if not pd.isna(row["direction"]) and row["direction"] not in DIRECTIONS:
            problems.append(f"{where}: direction {row['direction']!r} is not one of {', '.join(DIRECTIONS)}")
        if not pd.isna(row["comparator_class"]) and row["comparator_class"] not in names.comparator_classes:
            problems.append(f"{where}: comparator_class {row['comparator_class']!r} is unknown")
        est, lo, hi = row["estimate"], row["ci_low"], row["ci_high"]
        if not pd.isna(lo) and not pd.isna(hi) and lo > hi:
            problems.append(f"{where}: ci_low {lo} is above ci_high {hi}")
        elif not pd.isna(est) and not pd.isna(lo) and not pd.isna(hi) and not lo <= est <= hi:
            problems.append(f"{where}: estimate {est} lies outside its CI [{lo}, {hi}]")
        if not pd.isna(row["p_value"]) and not 0 <= row["p_value"] <= 1:
            problems.append(f"{where}: p_value {row['p_value']} is not a probability")
    _check_review_grades(grades, s, problems, names)
    if topic is not None:
        _check_intervention_forms(studies, findings, topic, problems)
    return problems


def _intervention_form_named(text: str, topic: Topic) -> str | None:
    """The intervention form a comparator's text names (its vocabulary label), else None.

    Read by the topic's shared matcher, in its claiming order: a phrase that names another
    comparator class ("sham acupuncture", "usual care (acupuncture as add-on)") belongs to that
    class, and an arm that combines the intervention with something else ("acupuncture + nerve
    block") is left to the other checks.
    """
    forms = set(topic.intervention_form_classes)
    mentions = sentence_mentions(text, vocabulary(topic))
    if any(m.kind == "comparator" and m.label not in forms for m in mentions) or _COMBINED_ARM.search(text):
        return None
    named = next((m for m in mentions if m.kind in ("intervention", "generic")), None)
    if named is None:
        return None
    return named.label if named.kind == "intervention" else topic.intervention


def _check_intervention_forms(studies: list[dict], findings: list[dict], topic: Topic, problems: list[str]) -> None:
    forms = topic.intervention_form_classes
    if not forms:
        return
    wanted = " or ".join(forms)
    for row in studies:
        classes = set(row.get("comparator_class") or ())
        for text in row.get("comparators") or ():
            form = _intervention_form_named(str(text), topic)
            if form and not classes & set(forms):
                problems.append(f"studies.jsonl:{row['_line']}: comparator {text!r} is a form of the intervention "
                                f"({form}) but comparator_class {sorted(classes)} lacks {wanted}")
    for row in findings:
        sides = _VERSUS.split(str(row.get("comparison") or ""))
        form = _intervention_form_named(sides[-1], topic) if len(sides) > 1 else None
        if form and row.get("comparator_class") not in forms:
            problems.append(f"findings.jsonl:{row['_line']}: the comparator of {row['comparison']!r} is a form of the "
                            f"intervention ({form}), so its comparator_class must be {wanted}, "
                            f"not {row.get('comparator_class')!r}")


def snapshot_warnings(folder: str | Path | None = None) -> list[str]:
    """What a snapshot may hold but a curator should look at, one line each (empty when nothing).

    A source URL on a bare IP address (a mirror of PubMed on a numeric host, say) is kept only
    when no PubMed, PMC, publisher or registry copy was found, and the row's notes should say so.
    """
    folder = Path(folder) if folder else snapshot_dir()
    warnings: list[str] = []
    for name, keys in (("studies.jsonl", ("source_urls", "citation_urls")), ("findings.jsonl", ("source_url",)),
                       ("review_grades.jsonl", ("source_url",))):
        path = folder / name
        for row in _read_jsonl(path, []) if path.exists() else []:
            urls = [u for k in keys for v in [row.get(k)] for u in (v if isinstance(v, list) else [v])]
            for url in dict.fromkeys(u for u in urls if isinstance(u, str) and _BARE_IP_URL.match(u)):
                warnings.append(f"{name}:{row['_line']}: source {url} is on a bare IP address: prefer a PubMed, PMC, "
                                "publisher or registry copy, or say in the notes that no other copy was found")
    return warnings


def _check_review_grades(rows: list[dict], studies: pd.DataFrame, problems: list[str], names: SnapshotVocabulary) -> None:
    """A grade belongs to a review in studies.jsonl, names a comparison the synthesis can label,
    and carries the URL of the page where it was seen."""
    designs = dict(zip(studies["study_id"], studies["design"]))
    seen = set()
    for row in rows:
        where = f"review_grades.jsonl:{row['_line']}"
        design = designs.get(row["study_id"])
        if design is None:
            problems.append(f"{where}: study_id {row['study_id']!r} has no row in studies.jsonl")
        elif design not in ("systematic_review", "meta_analysis"):
            problems.append(f"{where}: {row['study_id']} is a {design}, not a review: only a review's own grades go here")
        if row["pmid"] is not None and row["pmid"] != row["study_id"]:
            problems.append(f"{where}: pmid and study_id disagree")
        if row["grade"] not in REVIEW_GRADES:
            problems.append(f"{where}: grade {row['grade']!r} is not one of {', '.join(REVIEW_GRADES)}")
        match = names.review_comparison(str(row["comparison"]))
        if not match or (match["addon"] and match["addon"] != match["comparator"]) or \
                match["comparator"].replace(" ", "_") not in names.comparator_classes:
            said = " or ".join(repr(n) for n in names.interventions)
            problems.append(f"{where}: comparison {row['comparison']!r} must read '<intervention> vs <class>' or "
                            f"'<intervention> + <class> vs <class>' with the intervention named as {said} "
                            "and a known comparator class")
        if not isinstance(row["outcome"], str) or not row["outcome"]:
            problems.append(f"{where}: outcome must name a findings outcome label")
        if not isinstance(row["source_url"], str) or not _URL.fullmatch(row["source_url"]):
            problems.append(f"{where}: needs a source_url (http/https), the page where the grade was seen")
        key = (row["study_id"], row["comparison"], row["outcome"])
        if key in seen:
            problems.append(f"{where}: a second grade for {row['study_id']}, {row['comparison']}, {row['outcome']}")
        seen.add(key)


def empty_review_grades() -> pd.DataFrame:
    """A review-grades table with no rows (a snapshot without review_grades.jsonl, or none at all)."""
    return pd.DataFrame({k: pd.Series(dtype="string") for k in REVIEW_GRADE_KEYS})


def _review_grades_frame(folder: Path) -> pd.DataFrame:
    path = folder / "review_grades.jsonl"
    rows = _read_jsonl(path, []) if path.exists() else []
    if not rows:
        return empty_review_grades()
    frame = pd.DataFrame([{k: r[k] for k in REVIEW_GRADE_KEYS} for r in rows])
    return frame.astype({k: "string" for k in REVIEW_GRADE_KEYS})


def _check_ids(row: pd.Series, where: str, problems: list[str]) -> None:
    if not pd.isna(row["pmid"]) and not _PMID.fullmatch(row["pmid"]):
        problems.append(f"{where}: PMID {row['pmid']!r} must be 1 to 8 digits")
    if not pd.isna(row["doi"]) and not _DOI.fullmatch(row["doi"]):
        problems.append(f"{where}: DOI {row['doi']!r} is not of the form 10.NNNN/suffix")
    if not pd.isna(row["pmcid"]) and not _PMCID.fullmatch(row["pmcid"]):
        problems.append(f"{where}: PMCID {row['pmcid']!r} is not of the form PMC<digits>")
    if pd.isna(row["pmid"]) and pd.isna(row["doi"]) and not row["source_urls"]:
        problems.append(f"{where}: a row needs a PMID, a DOI or a source URL")


def _check_citation(raw: dict, where: str, problems: list[str]) -> None:
    """Volume, issue, pages and abbreviation: one-line text, and the page that showed them."""
    seen = [k for k in CITATION_KEYS[:-1] if raw.get(k) not in (None, "")]
    for key in seen:
        value = raw[key]
        if not isinstance(value, str) or not value.strip() or _CONTROL.search(value):
            problems.append(f"{where}: {key} must be one line of text as the source prints it, not {value!r}")
    urls = raw.get("citation_urls") or []
    if not isinstance(urls, list) or not all(isinstance(u, str) and _URL.fullmatch(u) for u in urls):
        problems.append(f"{where}: citation_urls must be a list of http/https URLs")
    elif seen and not urls:
        problems.append(f"{where}: {', '.join(seen)} need the page where they were seen in citation_urls")


def load_snapshot(folder: str | Path | None = None, topic: Topic | None = None) -> dict[str, pd.DataFrame]:
    """The snapshot as ``studies``, ``findings`` (provenance='curated') and ``review_grades`` tables.

    ``topic`` names the comparator classes and forms its rows may use (:func:`check_snapshot`).

    Raises
    ------
    SnapshotError
        The snapshot fails ``check_snapshot``; ``.problems`` lists every problem.
    """
    folder = Path(folder) if folder else snapshot_dir()
    problems = check_snapshot(folder, topic)
    if problems:
        raise SnapshotError(problems)
    studies = _frame(_read_jsonl(folder / "studies.jsonl", []), STUDIES)
    findings = _frame(_read_jsonl(folder / "findings.jsonl", []), FINDINGS)
    studies["provenance"] = pd.array(["curated"] * len(studies), dtype="string")
    findings["provenance"] = pd.array(["curated"] * len(findings), dtype="string")
    return {"studies": studies, "findings": findings, "review_grades": _review_grades_frame(folder)}


def snapshot_records(studies: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Record tables (articles, authors, article_ids) built from curated studies that have a PMID.

    These let every later step (citations, the corpus overview) work offline; fetched records
    replace them for the same PMID.
    """
    with_pmid = studies[studies["pmid"].notna()]
    articles = pd.DataFrame({
        "pmid": with_pmid["pmid"], "title": with_pmid["title"], "journal": with_pmid["journal"],
        "journal_iso": with_pmid["journal_abbrev"], "volume": with_pmid["volume"], "issue": with_pmid["issue"],
        "pages": with_pmid["pages"],
        "year": with_pmid["year"], "doi": with_pmid["doi"], "pmcid": with_pmid["pmcid"],
        "country": with_pmid["country"], "source": "snapshot", "record_type": "article",
        "publication_types": [[] for _ in range(len(with_pmid))],
    })
    authors, ids = [], []
    initials: str | None  # None when the name has no initials part
    for _, row in with_pmid.iterrows():
        for position, name in enumerate(row["authors"], start=1):
            last, _, initials = str(name).rpartition(" ")
            if not last or not initials.isupper():
                last, initials = str(name), None
            authors.append({"pmid": row["pmid"], "position": position, "last_name": last, "initials": initials})
        ids.append({"pmid": row["pmid"], "id_type": "pubmed", "value": row["pmid"]})
        for id_type, col in (("doi", "doi"), ("pmc", "pmcid")):
            if not pd.isna(row[col]):
                ids.append({"pmid": row["pmid"], "id_type": id_type, "value": row[col]})
    out = {name: empty_frame(t) for name, t in RECORD_TABLES.items()}
    out["articles"] = conform(articles, RECORD_TABLES["articles"])
    if authors:
        out["authors"] = conform(pd.DataFrame(authors), RECORD_TABLES["authors"])
    if ids:
        out["article_ids"] = conform(pd.DataFrame(ids), RECORD_TABLES["article_ids"])
    return out
