"""Where the notebooks and snapshots are: bundled in the installed package, else in the source checkout.

A wheel or a plain ``pip install .`` carries copies of the repository's ``notebooks/`` and
``data/snapshot/`` (and ``data/snapshots/<topic>/``) under ``evidence/_bundled/``, made by
``setup.py`` at build time. An editable install (``pip install -e .``) or a checkout on
``PYTHONPATH`` has no such copy and reads the repository's own folders, so edits there are seen
at once.
"""

from __future__ import annotations

from pathlib import Path

BUNDLED = Path(__file__).resolve().parent / "_bundled"
"""The copies a built package carries (absent in a checkout)."""
CHECKOUT = Path(__file__).resolve().parents[1]
"""The repository root when running from a checkout."""


def resource_path(relative: str) -> Path:
    """The bundled copy of ``relative`` (a path from the repository root) if there is one, else the checkout's.

    Parameters
    ----------
    relative:
        For example ``"notebooks"`` or ``"data/snapshot"``.

    Returns
    -------
    pathlib.Path
        The path; it may not exist (the caller names what is missing).
    """
    bundled = BUNDLED / relative
    return bundled if bundled.exists() else CHECKOUT / relative
