"""Build the optional native record reader (evidence/ingest/_records.pyx) and bundle the report's resources.

Everything else is declared in pyproject.toml. The extension reads libxml2's node structs
through the headers lxml ships, so it is compiled against the lxml in the build environment.
It is optional: where no C compiler is found the build goes on without it and
``evidence.read_pubmed`` uses its pure-Python reader (same tables, about 2x slower).

The notebooks and the curated snapshots live at the repository's top level (``notebooks/``,
``data/snapshot/``, ``data/snapshots/<topic>/``), outside the package. A built package (a wheel,
or a plain ``pip install .``) gets copies of them under ``evidence/_bundled/`` so that
``evidence report``, ``claim`` and ``cite`` work from any folder; ``evidence.package_data`` finds
them there, or in the checkout for an editable install.
"""

import shutil
from pathlib import Path

import lxml
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = ("notebooks", "data/snapshot", "data/snapshots")
"""Folders (from the repository root) copied into ``evidence/_bundled/`` of a built package."""


def _bundle_ignore(folder: str, names: list[str]) -> list[str]:
    """Leave out notebook checkpoints and caches: only the files the repository tracks belong in a package."""
    return [n for n in names if n in (".ipynb_checkpoints", "__pycache__") or n.endswith(".pyc")]


class BuildPyWithBundle(build_py):
    """build_py that also copies the report's notebooks and the snapshots into the built package."""

    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads the checkout's own folders
            return
        target = Path(self.build_lib) / "evidence" / "_bundled"
        shutil.rmtree(target, ignore_errors=True)
        for relative in BUNDLED:
            source = ROOT / relative
            if source.is_dir():
                shutil.copytree(source, target / relative, ignore=_bundle_ignore)


extension = Extension(
    "evidence.ingest._records",
    ["evidence/ingest/_records.pyx"],
    include_dirs=lxml.get_include(),
    optional=True,
)
setup(ext_modules=cythonize([extension], compiler_directives={"language_level": "3"}),
      cmdclass={"build_py": BuildPyWithBundle})
