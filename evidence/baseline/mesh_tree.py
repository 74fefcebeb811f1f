"""The MeSH tree: a heading's narrower headings, so ``"Acupuncture Therapy"[MeSH]`` explodes as in PubMed.

NLM publishes the tree as ``mtreesYYYY.bin`` (https://www.nlm.nih.gov/databases/download/mesh.html):
one ``Heading;TreeNumber`` line per place a heading has in the tree, e.g. a heading under
``E02.190`` has a tree number ``E02.190.NNN``. A heading's narrower headings are those with a tree
number below any of its own. Without the file, ``[MeSH]`` matches the exact heading only.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ..errors import InputError


class MeshTree:
    """Headings by tree number, read from an NLM ``mtrees`` file."""

    def __init__(self, numbers: dict[str, list[str]]) -> None:
        self._numbers = {h.lower(): ns for h, ns in numbers.items()}
        self._by_number = sorted((n, h.lower()) for h, ns in numbers.items() for n in ns)

    def __len__(self) -> int:
        return len(self._numbers)

    def narrower(self, heading: str) -> set[str]:
        """``heading`` and every heading below it (lower case); just ``heading`` when not in the tree."""
        import bisect

        heading = heading.lower()
        found = {heading}
        for number in self._numbers.get(heading, []):
            start = bisect.bisect_left(self._by_number, (number + ".", ""))
            for n, h in self._by_number[start:]:
                if not n.startswith(number + "."):
                    break
                found.add(h)
        return found


def read_mesh_tree(path: str | Path) -> MeshTree:
    """Read an NLM ``mtrees`` file (``Heading;TreeNumber`` per line).

    Raises
    ------
    InputError
        The file cannot be read, or a line is not ``Heading;TreeNumber``.
    """
    path = Path(path)
    numbers: dict[str, list[str]] = defaultdict(list)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read as a MeSH tree file ({exc}); give NLM's mtreesYYYY.bin") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        heading, sep, tree_number = line.rpartition(";")
        if not sep or not heading.strip() or not tree_number.strip():
            raise InputError(f"{path} line {number}: expected 'Heading;TreeNumber' as in NLM's mtreesYYYY.bin")
        numbers[heading.strip()].append(tree_number.strip())
    if not numbers:
        raise InputError(f"{path} holds no MeSH tree lines; give NLM's mtreesYYYY.bin")
    return MeshTree(dict(numbers))
