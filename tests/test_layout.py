"""The package reads as the data flows: a stage imports only the stages before it.

Stages, in order: topic -> ingest -> tables -> extract -> baseline -> synthesize -> outputs (baseline:
the same ingest and extract steps over the whole PubMed baseline, on Dask). Any module may use
the shared foundation: the error tree, where bundled files are, the table contract
(``tables/schema.py``) and the version. The CLI at the top level may use every stage; the library
never imports the CLI.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "evidence"
STAGES = ("topic", "ingest", "tables", "extract", "baseline", "synthesize", "outputs")
FOUNDATION = {"evidence", "evidence.errors", "evidence.package_data", "evidence.tables.schema"}


def _module_name(path: Path, root: Path = PACKAGE) -> list[str]:
    parts = ["evidence", *path.relative_to(root).with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def imported_modules(path: Path, root: Path = PACKAGE) -> set[str]:
    """Every ``evidence`` module a source file imports, absolute and relative imports alike."""
    name = _module_name(path, root)
    package = name if path.name == "__init__.py" else name[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.split(".")[0] == "evidence":
                target = node.module.split(".")
            else:
                continue
            found.add(".".join(target))
            # "from evidence.outputs import overview" imports the module evidence.outputs.overview
            found.update(".".join([*target, alias.name]) for alias in node.names
                         if root.joinpath(*target[1:], alias.name + ".py").exists())
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "evidence")
    return found


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "_bundled" not in p.parts)


def test_the_layout_has_every_stage():
    assert all((PACKAGE / stage / "__init__.py").is_file() for stage in STAGES)
    top_level = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert top_level == ["__init__", "__main__", "cli", "errors", "package_data"]


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_stage_imports_only_earlier_stages(path):
    source = ".".join(_module_name(path))
    own = stage_of(source)
    late = []
    for module in imported_modules(path):
        if module in FOUNDATION or module == "evidence.cli" and own is None:
            continue
        assert module != "evidence.cli", f"{source} imports the CLI: the library must not know its flags"
        target = stage_of(module)
        if own is None or target is None or target == own:
            continue
        if STAGES.index(target) > STAGES.index(own):
            late.append(module)
    assert not late, f"{source} ({own}) imports later stages: {sorted(late)}"


def test_the_checker_sees_a_late_import(tmp_path):
    """The layering check must be able to fail: a topic module importing the report is caught."""
    fake = tmp_path / "evidence" / "topic" / "bad.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("from ..outputs.report import build_report\nfrom ..errors import TopicError\n", encoding="utf-8")
    modules = imported_modules(fake, tmp_path / "evidence")
    assert modules == {"evidence.outputs.report", "evidence.errors"}
    late = [m for m in modules if stage_of(m) and STAGES.index(stage_of(m)) > STAGES.index("topic")]
    assert late == ["evidence.outputs.report"]
