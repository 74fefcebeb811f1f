"""The synthesis a claim check reads, computed once per state of the evidence and cached.

Synthesising the whole store takes seconds; a claim only reads its rows and certainty grades.
The cache key is a hash of what the synthesis depends on: the ``studies`` and ``findings`` rows
the claim selects (so a claim about one form or one drug subclass has its own entry), the
package version, and the source of the modules that compute it. A new import, fetch, classify
or snapshot edit changes the rows and so the key; nothing stale is ever read.

Entries live under the data directory, never in the package::

    DATA_DIR/cache/claims/<key>.parquet   synthesis rows (plus each row's acupuncture form)
    DATA_DIR/cache/claims/<key>.json      certainty grade and reasons per comparison group
    DATA_DIR/cache/claims/refs-<key>.json reference text per study, for one citation style and
                                          one state of the record tables

They are written atomically and can be deleted at any time. A cache that cannot be read or
written is skipped: the synthesis is computed again, and the claim check never fails for it.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ... import __version__
from ...synthesize.certainty import Certainty, CertaintyRules
from .result import citations
from ...ingest.store import atomic_write_bytes
from ...synthesize.synthesis import GROUP_KEY, synthesize

KEEP_ENTRIES = 16
"""Entries kept on disk; older ones are removed when a new one is written."""
_CODE = ("synthesize/synthesis.py", "synthesize/certainty.py", "topic/certainty_rules.py", "synthesize/pooling.py", "synthesize/effects.py",
         "outputs/claims/cache.py")
"""The code a cached synthesis depends on, relative to the package folder: a change to any of it drops the cache."""


@dataclass(frozen=True)
class ClaimSynthesis:
    """What a claim check reads from a synthesis.

    Attributes
    ----------
    rows:
        :attr:`evidence.synthesize.synthesis.Synthesis.rows` plus ``form`` (the finding's acupuncture form)
        and ``finding_comparison`` (the finding's own comparison text), in findings order.
    certainty:
        The certainty of each comparison group, keyed by the values of
        :data:`evidence.synthesize.synthesis.GROUP_KEY` (missing values as None).
    """

    rows: pd.DataFrame
    certainty: dict[tuple, Certainty]


def _none(value):
    return None if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)) else value


def _frame_digest(frame: pd.DataFrame) -> bytes:
    text = frame.astype(str) if len(frame) else frame
    hashed = pd.util.hash_pandas_object(text, index=False).to_numpy().tobytes() if len(frame) else b""
    return hashlib.sha256(",".join(frame.columns).encode() + hashed).digest()


def _code_digest() -> bytes:
    here = Path(__file__).resolve().parents[2]  # the package folder
    return hashlib.sha256(b"".join((here / name).read_bytes() for name in _CODE)).digest()


def synthesis_key(studies: pd.DataFrame, findings: pd.DataFrame) -> str:
    """The cache key for one synthesis: rows, package version and the synthesis code."""
    h = hashlib.sha256(__version__.encode())
    for part in (_code_digest(), _frame_digest(studies), _frame_digest(findings)):
        h.update(part)
    return h.hexdigest()[:32]


def compute(studies: pd.DataFrame, findings: pd.DataFrame, rules: CertaintyRules) -> ClaimSynthesis:
    """Synthesise, and attach each row's form and comparison text (rows follow findings order).

    ``rules`` are the topic's certainty rules (its intervention labels the comparisons).
    """
    result = synthesize(studies, findings, rules=rules)
    rows = result.rows.copy()
    rows["form"] = pd.array(findings["intervention"].tolist(), dtype="string")
    rows["finding_comparison"] = pd.array(findings["comparison"].tolist(), dtype="string")
    certainty = {tuple(_none(g.key[k]) for k in GROUP_KEY): g.certainty for g in result.groups}
    return ClaimSynthesis(rows=rows, certainty=certainty)


class SynthesisCache:
    """Syntheses by key: in memory for this process, and on disk when a folder is given.

    Parameters
    ----------
    folder:
        ``DATA_DIR/cache/claims``, or None to keep entries in memory only.
    """

    def __init__(self, folder: str | Path | None = None):
        self.folder = Path(folder) if folder else None
        self._memory: dict[str, ClaimSynthesis] = {}
        self._references: dict[str, dict[str, str]] = {}  # "refs-" key -> reference text per identifier

    @classmethod
    def for_data_dir(cls, data_dir: str | Path) -> SynthesisCache:
        """The cache of a data directory (``DATA_DIR/cache/claims``)."""
        return cls(Path(data_dir) / "cache" / "claims")

    def get(self, studies: pd.DataFrame, findings: pd.DataFrame, rules: CertaintyRules) -> ClaimSynthesis:
        """The synthesis of these rows: from memory, else from disk, else computed and stored.

        ``rules`` (the topic's certainty rules and intervention) change the synthesis, so they are part of the key.
        """
        key = synthesis_key(studies, findings) + "-" + hashlib.sha256(rules.key.encode()).hexdigest()[:8]
        if key in self._memory:
            return self._memory[key]
        found = self._read(key)
        if found is None:
            found = compute(studies, findings, rules)
            self._write(key, found)
        self._memory[key] = found
        return found

    def citations(self, ids: list[str], tables: dict[str, pd.DataFrame], style: str) -> dict[str, str]:
        """Reference text per identifier, formatting only those not stored for this state of the records."""
        h = hashlib.sha256(f"{__version__} {style}".encode())
        for name in ("studies", "articles", "authors", "article_ids", "corrections"):
            if name in tables:
                h.update(_frame_digest(tables[name]))
        key = "refs-" + h.hexdigest()[:32]
        stored = self._references.setdefault(key, {})
        if self.folder is not None and not stored:
            try:
                stored.update(json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8")))
            except (OSError, ValueError):
                pass
        missing = [i for i in ids if i not in stored]
        if missing:
            stored.update(citations(missing, tables, style))
            if self.folder is not None:
                try:
                    atomic_write_bytes(self.folder / f"{key}.json", json.dumps(stored, ensure_ascii=False).encode("utf-8"))
                except OSError:
                    pass
        return {i: stored[i] for i in ids if i in stored}

    def _read(self, key: str) -> ClaimSynthesis | None:
        if self.folder is None:
            return None
        try:
            rows = pd.read_parquet(self.folder / f"{key}.parquet")
            groups = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            # Absent, half-deleted or unreadable: compute again.
            return None
        certainty = {tuple(g["key"]): Certainty(g["grade"], tuple(g["reasons"]), tuple(map(tuple, g["downgrades"])))
                     for g in groups}
        return ClaimSynthesis(rows=rows, certainty=certainty)

    def _write(self, key: str, result: ClaimSynthesis) -> None:
        if self.folder is None:
            return
        groups = [{"key": list(k), "grade": c.grade, "reasons": list(c.reasons), "downgrades": [list(d) for d in c.downgrades]}
                  for k, c in result.certainty.items()]
        try:
            buffer = io.BytesIO()
            result.rows.to_parquet(buffer, index=False)
            # The JSON goes last: an entry is read only when both files are there.
            atomic_write_bytes(self.folder / f"{key}.parquet", buffer.getvalue())
            atomic_write_bytes(self.folder / f"{key}.json", json.dumps(groups, ensure_ascii=False).encode("utf-8"))
            self._prune()
        except (OSError, ValueError, TypeError):
            # A read-only or full disk costs speed, never the answer.
            return

    def _prune(self) -> None:
        if self.folder is None:
            return
        for refs in (True, False):
            entries = sorted((p for p in self.folder.glob("*.json") if p.name.startswith("refs-") == refs),
                             key=lambda p: p.stat().st_mtime, reverse=True)
            for old in entries[KEEP_ENTRIES:]:
                old.unlink(missing_ok=True)
                old.with_suffix(".parquet").unlink(missing_ok=True)
