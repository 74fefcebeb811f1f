"""Topics: a PubMed query plus the vocabularies and claims that go with it, read from TOML.

A topic file lives in ``evidence/topics/<name>.toml`` (or anywhere, given by path). No code path
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

from .errors import TopicError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

DEFAULT_TOPIC = "acupuncture_sciatica"


@dataclass(frozen=True)
class Topic:
    """A loaded topic. ``data`` holds the whole TOML document for sections other modules own."""

    name: str
    title: str
    query: str
    data: dict[str, Any] = field(repr=False)

    def section(self, key: str) -> dict[str, Any]:
        """A top-level table of the topic file (``{}`` when absent)."""
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            raise TopicError(f"topic {self.name}: [{key}] must be a table")
        return value

    def outcome_labels(self) -> dict[str, str]:
        """Readers' names for outcome codes: the ``name`` of each ``[outcomes.<code>]`` entry."""
        return {str(code): str(entry["name"]) for code, entry in self.section("outcomes").items()
                if isinstance(entry, dict) and "name" in entry}


def available_topics() -> list[str]:
    """Names of the topics shipped with the package."""
    folder = resources.files("evidence") / "topics"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_topic(name_or_path: str | Path = DEFAULT_TOPIC) -> Topic:
    """Load a shipped topic by name, or a topic file by path.

    Raises
    ------
    TopicError
        The topic does not exist or its file is malformed.
    """
    path = Path(name_or_path)
    if path.suffix == ".toml" and path.exists():
        text = path.read_text(encoding="utf-8")
    else:
        res = resources.files("evidence") / "topics" / f"{name_or_path}.toml"
        if not res.is_file():
            known = ", ".join(available_topics())
            raise TopicError(f"unknown topic {name_or_path!r}; known topics: {known}, or give a path to a .toml file")
        text = res.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TopicError(f"topic {name_or_path}: not valid TOML ({exc})") from exc
    try:
        q = data["query"]
        query = f"({_squash(q['intervention'])}) AND ({_squash(q['condition'])})"
        return Topic(name=data["name"], title=data.get("title", data["name"]), query=query, data=data)
    except (KeyError, TypeError) as exc:
        raise TopicError(f"topic {name_or_path}: missing required key {exc}; it needs name and [query] intervention/condition") from exc


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
