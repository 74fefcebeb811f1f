"""Risk of bias per trial: the five RoB 2 domains, from curated judgements or "not assessed".

A judgement is shown only when someone recorded it from a source (a review's RoB 2 table, a
trial's own assessment) in ``risk_of_bias.jsonl`` beside the snapshot, one line per trial::

    {"study_id": "...", "randomisation": "low", "deviations": "some concerns", "missing_data": "low",
     "measurement": "high", "selection": "low", "overall": "high", "assessed_by": "Lee 2025 review",
     "source_url": "https://..."}

Every other trial shows "not assessed" in every domain: this module never infers a judgement
from a trial's description, because a guessed risk of bias looks exactly like a real one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..errors import SnapshotError

DOMAINS = {
    "randomisation": "Randomisation process",
    "deviations": "Deviations from intended interventions",
    "missing_data": "Missing outcome data",
    "measurement": "Measurement of the outcome",
    "selection": "Selection of the reported result",
}
"""The five RoB 2 domains: key in the file, and the name a reader sees."""
JUDGEMENTS = ("low", "some concerns", "high")
NOT_ASSESSED = "not assessed"
RISK_OF_BIAS_FILE = "risk_of_bias.jsonl"


def read_judgements(snapshot_folder: str | Path | None) -> dict[str, dict]:
    """The recorded judgements by study id ({} when the folder or the file is absent).

    Raises
    ------
    SnapshotError
        A line is not JSON, lacks ``study_id`` or ``source_url``, or holds a judgement outside
        :data:`JUDGEMENTS`.
    """
    path = Path(snapshot_folder) / RISK_OF_BIAS_FILE if snapshot_folder is not None else None
    if path is None or not path.is_file():
        return {}
    found = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SnapshotError([f"{path}, line {number}: not JSON ({exc.msg})"]) from exc
        if not row.get("study_id") or not row.get("source_url"):
            raise SnapshotError([f"{path}, line {number}: a judgement needs study_id and source_url"])
        bad = [k for k in (*DOMAINS, "overall") if row.get(k) not in (None, *JUDGEMENTS)]
        if bad:
            raise SnapshotError([f"{path}, line {number}: {', '.join(bad)} must be one of {', '.join(JUDGEMENTS)}"])
        found[str(row["study_id"])] = row
    return found


def risk_of_bias_table(trials: pd.DataFrame, judgements: dict[str, dict]) -> pd.DataFrame:
    """One row per trial: the five domains, overall, who assessed it and where it was seen.

    Parameters
    ----------
    trials:
        One row per trial with ``study_id`` and ``study`` (the name a reader sees).
    judgements:
        From :func:`read_judgements`.

    Returns
    -------
    pandas.DataFrame
        ``Study``, one column per domain name of :data:`DOMAINS`, ``Overall``, ``Assessed by``,
        ``Source``; "not assessed" wherever nothing was recorded.
    """
    out = []
    for row in trials.drop_duplicates("study_id").itertuples():
        recorded = judgements.get(str(row.study_id), {})
        entry = {"Study": row.study}
        entry.update({name: recorded.get(key) or NOT_ASSESSED for key, name in DOMAINS.items()})
        entry["Overall"] = recorded.get("overall") or NOT_ASSESSED
        entry["Assessed by"] = recorded.get("assessed_by") or ("not stated" if recorded else "nobody yet")
        entry["Source"] = recorded.get("source_url")
        out.append(entry)
    return pd.DataFrame(out, columns=["Study", *DOMAINS.values(), "Overall", "Assessed by", "Source"])
