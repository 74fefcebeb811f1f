"""Topics: a PubMed query plus the vocabularies and claims that go with it, read from TOML.

A topic file lives in ``evidence/topic/installed/<name>.toml`` (or anywhere, given by path). No code path
depends on which topic is loaded: the classifier, extractor and claim checker read what they
need from the ``Topic`` object.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .certainty_rules import CertaintyRules
from ..errors import TopicError
from ..package_data import resource_path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

DEFAULT_TOPIC = "acupuncture_sciatica"
SHARED_COMPARATOR_CLASSES = ("none", "other")
"""Comparator classes every topic has: no comparator (a single-arm series) and one outside its classes."""


@dataclass(frozen=True)
class Topic:
    """A loaded topic. ``data`` holds the whole TOML document for sections other modules own."""

    name: str
    title: str
    query: str
    data: dict[str, Any] = field(repr=False)
    path: Path | None = None
    """The topic file when it was loaded by path; None for a shipped topic."""

    def section(self, key: str) -> dict[str, Any]:
        """A top-level table of the topic file (``{}`` when absent)."""
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            raise TopicError(f"topic {self.name}: [{key}] must be a table")
        return value

    @property
    def snapshot_folder(self) -> Path:
        """The topic's curated snapshot: ``snapshot`` of the topic file, else ``data/snapshots/<name>``.

        A shipped topic's folder is found with :func:`evidence.package_data.resource_path`, so a
        wheel's bundled copy is used when there is one; a topic file's own ``snapshot`` is relative
        to that file.
        """
        relative = self.data.get("snapshot", f"data/snapshots/{self.name}")
        return self.path.parent / relative if self.path is not None else resource_path(relative)

    @property
    def report(self) -> ReportWording:
        """The ``[report]`` section: the words the report and its notebooks use for this topic."""
        r = self.section("report")
        return ReportWording(title=r["title"], question=r["question"], intervention=r["intervention"],
                             focus=tuple(r["focus"]), focus_name=r["focus_name"],
                             example_claims=tuple(r.get("example_claims", ())))

    @property
    def intervention(self) -> str:
        """The intervention as a sentence names it ("acupuncture"): the topic file's ``intervention``."""
        return str(self.data["intervention"])

    @property
    def comparator_patterns(self) -> dict[str, list[str]]:
        """Each comparator class's patterns (``[vocab.comparator.<class>]``), in claiming order."""
        return {name: list(entry["patterns"]) for name, entry in self._comparator_entries().items()}

    @property
    def comparator_classes(self) -> tuple[str, ...]:
        """The comparator classes a study or finding of this topic may have: the topic's own, in the
        order the topic file lists them, then :data:`SHARED_COMPARATOR_CLASSES`."""
        return tuple(dict.fromkeys([*self._comparator_entries(), *SHARED_COMPARATOR_CLASSES]))

    @property
    def reported_comparators(self) -> tuple[str, ...]:
        """The comparator classes a synthesis reports on: the topic's own without "none" and "other",
        the report's focus first."""
        own = [c for c in self.comparator_classes if c not in SHARED_COMPARATOR_CLASSES]
        return tuple(dict.fromkeys([*(c for c in self.report.focus if c in own), *own]))

    @property
    def comparator_labels(self) -> dict[str, str]:
        """Readers' names of the comparator classes (each class's ``label``)."""
        return {name: str(entry.get("label", name.replace("_", " "))) for name, entry in self._comparator_entries().items()}

    @property
    def intervention_form_classes(self) -> tuple[str, ...]:
        """Comparator classes that are forms of the intervention itself (``form_of_intervention = true``):
        another form or dose of the intervention as the control arm, e.g. ``other_acupuncture``."""
        return tuple(name for name, entry in self._comparator_entries().items() if entry.get("form_of_intervention"))

    @property
    def form_labels(self) -> dict[str, str]:
        """Readers' names of the intervention's forms (``[claims.form_names]``), by form code."""
        names = self.section("claims").get("form_names", {})
        return {str(code): str(name) for code, name in names.items()} if isinstance(names, dict) else {}

    @property
    def unspecified_form(self) -> str | None:
        """The form recorded when a study does not say which (``[vocab] intervention_unspecified``)."""
        code = self.section("vocab").get("intervention_unspecified")
        return str(code) if code else None

    @property
    def blinded_control_classes(self) -> tuple[str, ...]:
        """Comparator classes that blind participants and assessors (``blinded_control = true``), e.g.
        ``sham``: the certainty grade rates down evidence that mostly lacks such a control."""
        return tuple(name for name, entry in self._comparator_entries().items() if entry.get("blinded_control"))

    @property
    def intervention_forms(self) -> tuple[str, ...]:
        """The intervention's forms a study or finding may name: ``[vocab.intervention]``, the
        default form, and the form recorded when a study does not say (``intervention_unspecified``)."""
        v = self.section("vocab")
        names = [*v.get("intervention", {}), v.get("intervention_default"), v.get("intervention_unspecified")]
        return tuple(dict.fromkeys(str(n) for n in names if n))

    def _comparator_entries(self) -> dict[str, dict[str, Any]]:
        entries = self.section("vocab").get("comparator", {})
        for name, entry in entries.items():
            if not isinstance(entry, dict) or not _strings(entry.get("patterns")):
                raise TopicError(f"topic {self.name}: [vocab.comparator.{name}] must be a table with "
                                 "'patterns' (a list of regular expressions)")
        return entries

    @property
    def certainty_rules(self) -> CertaintyRules:
        """The ``[certainty]`` section: what counts as direct evidence for this topic's condition."""
        c = self.section("certainty")
        return CertaintyRules(intervention=self.report.intervention, condition=c["condition"],
                              population=re.compile("|".join(c["population"]), re.IGNORECASE),
                              surrogates=tuple(c.get("surrogate_outcomes", ())),
                              blinded_controls=self.blinded_control_classes)

    def outcome_labels(self) -> dict[str, str]:
        """Readers' names for outcome codes: the ``name`` of each ``[outcomes.<code>]`` entry."""
        return {str(code): str(entry["name"]) for code, entry in self.section("outcomes").items()
                if isinstance(entry, dict) and "name" in entry}


@dataclass(frozen=True)
class ReportWording:
    """What the report calls the topic's parts (the ``[report]`` section of a topic file).

    Attributes
    ----------
    title:
        The report's title.
    question:
        The question in plain words, as the report's first line.
    intervention:
        The intervention as a sentence names it ("acupuncture").
    focus:
        The comparator classes the report is about (the bottom line, evidence table and forest plots).
    focus_name:
        Those classes in a sentence, with an article ("a nerve block or an injection").
    example_claims:
        Claims the report's claims page checks, written in the project's own words.
    """

    title: str
    question: str
    intervention: str
    focus: tuple[str, ...]
    focus_name: str
    example_claims: tuple[str, ...] = ()


def available_topics() -> list[str]:
    """Names of the topics shipped with the package."""
    folder = resources.files("evidence.topic") / "installed"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_topic(name_or_path: str | Path = DEFAULT_TOPIC) -> Topic:
    """Load a shipped topic by name, or a topic file by path.

    Raises
    ------
    TopicError
        The topic does not exist or its file is malformed.
    """
    path: Path | None = Path(name_or_path)
    if path is not None and path.suffix == ".toml" and path.exists():
        source = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise TopicError(f"topic {source}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
        except OSError as exc:
            raise TopicError(f"topic {source}: cannot be read ({exc.strerror or exc})") from exc
    else:
        path = None
        source = f"topic/installed/{name_or_path}.toml"
        res = resources.files("evidence.topic") / "installed" / f"{name_or_path}.toml"
        if not res.is_file():
            known = ", ".join(available_topics())
            raise TopicError(f"unknown topic {name_or_path!r}; known topics: {known}, or give a path to a .toml file")
        text = res.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TopicError(f"topic {source}: not valid TOML ({exc})") from exc
    validate_topic(data, source)
    q = data["query"]
    query = f"({_squash(q['intervention'])}) AND ({_squash(q['condition'])})"
    return Topic(name=data["name"], title=data["title"], query=query, data=data,
                 path=path.resolve() if path is not None else None)


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


# What a topic file must hold, as dotted key -> (test, what the test asks for). Sections owned by
# other modules ([vocab], [claims], [outcomes]) are checked here only for their shape; the
# modules that read them name a bad entry inside.
_REQUIRED: dict[str, tuple[Any, str]] = {
    "name": (str, "a string"),
    "title": (str, "a string"),
    "intervention": (str, "a string"),
    "query": (dict, "a table"),
    "query.intervention": (str, "a string (PubMed syntax)"),
    "query.condition": (str, "a string (PubMed syntax)"),
    "vocab": (dict, "a table"),
    "vocab.comparator": (dict, "a table of comparator classes (each a table with label and patterns)"),
    "vocab.outcome": (dict, "a table of outcomes"),
    "claims": (dict, "a table"),
    "outcomes": (dict, "a table"),
    "certainty": (dict, "a table"),
    "certainty.condition": (str, "a string"),
    "certainty.population": (_strings, "a list of regular expressions"),
    "report": (dict, "a table"),
    "report.title": (str, "a string"),
    "report.question": (str, "a string"),
    "report.intervention": (str, "a string"),
    "report.focus": (_strings, "a list of comparator classes"),
    "report.focus_name": (str, "a string"),
}
_OPTIONAL: dict[str, tuple[Any, str]] = {
    "snapshot": (str, "a folder path (relative to the topic file)"),
    "vocab.intervention_default": (str, "a form name"),
    "vocab.intervention_unspecified": (str, "a form name"),
    "report.example_claims": (_strings, "a list of strings"),
    "certainty.surrogate_outcomes": (_strings, "a list of outcome codes"),
    "report.indirect": (dict, "a table (other_topic, comparators, outcome, scale)"),
    "report.indirect.other_topic": (str, "a topic name"),
    "report.indirect.comparators": (_strings, "a list of comparator classes"),
    "report.indirect.scale": (dict, "a table of outcome code = factor"),
}


def validate_topic(data: dict[str, Any], source: str) -> None:
    """Check a topic document's sections and their types.

    Parameters
    ----------
    data:
        The parsed TOML document.
    source:
        The file, for the message.

    Raises
    ------
    TopicError
        One message naming the first bad key and the file.
    """
    for key, (test, wanted) in {**_REQUIRED, **_OPTIONAL}.items():
        value: Any = data
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            if key in _REQUIRED:
                raise TopicError(f"topic {source}: missing key {key!r} ({wanted})")
            continue
        ok = isinstance(value, test) if isinstance(test, type) else test(value)
        if not ok:
            raise TopicError(f"topic {source}: key {key!r} must be {wanted}, not {type(value).__name__}")
    for section in _PATTERN_SECTIONS:
        _check_patterns(data.get(section), section, source)


_PATTERN_SECTIONS = ("vocab", "claims", "certainty")
"""Sections whose lists of strings are regular expressions (or class names, which compile as such)."""


def _check_patterns(value: object, key: str, source: str) -> None:
    """Every list of strings under ``key`` compiles as a regular expression; every ``lower_is_better`` is true or false.

    A bad pattern found here is one message naming the key; found later, it would stop a
    classification or a claim check half-way with the regex engine's own words.
    """
    if isinstance(value, dict):
        for name, item in value.items():
            if name == "lower_is_better" and not isinstance(item, bool):
                raise TopicError(f"topic {source}: key '{key}.{name}' must be true or false, not {item!r}")
            _check_patterns(item, f"{key}.{name}", source)
    elif isinstance(value, list) and _strings(value):
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise TopicError(f"topic {source}: key {key!r} has a pattern that is not a regular expression: "
                                 f"{pattern!r} ({exc})") from exc


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
