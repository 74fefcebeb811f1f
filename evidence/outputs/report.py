"""``evidence report``: execute the notebooks, convert them to HTML, and write an index page.

Output folder (``out_dir``)::

    index.html              self-contained: bottom line, study table, review basics, key figures (base64 PNG)
    NN_name.html            each notebook in notebooks/, executed, code hidden
    evidence_table.csv      every finding comparing the topic's intervention with its focus comparators
    evidence_table.xlsx     the same, with the headline table and an "about" sheet

The notebooks hold little code: they call the package and take their inputs as parameters. A
notebook's cell tagged ``parameters`` holds defaults for running it on its own; this module adds
a cell after it with the report's values (:func:`inject_parameters`, the papermill convention),
so the same notebooks run on the snapshot or on any store, and no setting travels through the
environment. Figures a
notebook marks as key (:func:`show_figure` with ``key=True``) are copied into ``index.html``.

Every failure a user can meet becomes a one-line :class:`ReportError` naming the notebook and
the cell; no traceback reaches the user.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import logging
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..tables.dataset import load
from ..errors import EvidenceError
from .front_page import front_content, index_html
from .labels import MACHINE_EXTRACTED, is_missing, measure_name
from .overview import data_source_text
from ..package_data import resource_path
from .plots import Plot
from ..ingest.store import atomic_write_bytes
from ..synthesize.synthesis import Synthesis, synthesize
from ..topic.model import Topic, load_topic

FIGURE_KEY = "evidence_figure"
"""Output metadata key that marks a figure shown by :func:`show_figure`."""
CELL_TIMEOUT = 600
"""Seconds a notebook cell may run before the report gives up on it."""
KERNEL_NAME = "evidence-python"
NCBI_POLICIES = "https://www.ncbi.nlm.nih.gov/home/about/policies/"
NOTICE = (
    "E-utilities data are from NCBI (the U.S. National Center for Biotechnology Information); see NCBI's "
    f'<a href="{NCBI_POLICIES}">disclaimer and copyright notice</a>. NCBI places no restriction on the use of '
    "PubMed data, but abstracts may be under the copyright of their publishers: quote them only as copyright "
    "allows. The curated snapshot holds facts (identifiers, numbers, short descriptions in our own words), "
    "each with the source URL of the page where it was seen."
)


class ReportError(EvidenceError):
    """A report could not be built: a notebook failed, or the output could not be written."""


@dataclass
class ReportResult:
    """What :func:`build_report` wrote.

    Attributes
    ----------
    out_dir:
        The output folder.
    index:
        ``out_dir/index.html``.
    notebooks:
        The HTML page of each executed notebook, in name order.
    tables:
        ``evidence_table.csv`` and ``evidence_table.xlsx``.
    figures:
        Number of key figures embedded in ``index.html``.
    data_source:
        One sentence naming the store and whether the snapshot was used.
    """

    out_dir: Path
    index: Path
    notebooks: list[Path] = field(default_factory=list)
    tables: list[Path] = field(default_factory=list)
    figures: int = 0
    data_source: str = ""


def figure_png(figure, dpi: int = 110) -> bytes:
    """A matplotlib figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def show_figure(plot: Plot, caption: str, *, key: bool = False) -> None:
    """Display a figure in a notebook as a PNG, with a caption the report can reuse.

    Parameters
    ----------
    plot:
        From :mod:`evidence.outputs.plots` or :mod:`evidence.outputs.overview`.
    caption:
        One line saying what the figure shows.
    key:
        Copy the figure into the report's ``index.html``.
    """
    from IPython.display import display  # only inside a kernel: the package does not need IPython

    png = base64.b64encode(figure_png(plot.figure)).decode("ascii")
    display({"image/png": png, "text/plain": caption}, raw=True,
            metadata={FIGURE_KEY: {"caption": caption, "key": key}})


def configure_display() -> None:
    """pandas display options for the report notebooks: show whole tables and whole sentences.

    Truncated cells ("...") would hide the reasons and notes a reader needs.
    """
    pd.set_option("display.max_rows", None)
    pd.set_option("display.max_columns", None)
    pd.set_option("display.max_colwidth", None)


LINK_COLUMNS = {"source_url": "source", "preferred_source": "source", "link": "PubMed or DOI",
                "mid_source": "source", "Source": "source", "Source of the MID": "source"}
"""Columns of URLs that :func:`display_table` shows as short links, with the link text."""


def display_table(df: pd.DataFrame):
    """A table for reading in a notebook or its HTML: no index, headers in words ("source url", not
    "source_url"), two decimals, "—" for missing, text left-aligned, URLs as short links.

    Returns
    -------
    pandas.io.formats.style.Styler
    """
    def link(text: str):
        return lambda url: "—" if pd.isna(url) else f'<a href="{html.escape(str(url))}">{text}</a>'

    # Readers see words, not codes: measures by name, flags as yes/no (the CSV keeps the codes).
    df = df.copy()
    if "measure" in df.columns:
        df["measure"] = df["measure"].map(lambda code: measure_name(code) if isinstance(code, str) else code)
    for column in df.columns:
        if str(df[column].dtype) in ("bool", "boolean"):
            df[column] = df[column].map({True: "yes", False: "no"})
    links = {c: t for c, t in LINK_COLUMNS.items() if c in df.columns}
    floats = [c for c in df.columns if str(df[c].dtype) in ("Float64", "float64")]
    styler = df.style.hide(axis="index").format(precision=2, na_rep="—", escape="html", subset=floats or None)
    others = [c for c in df.columns if c not in floats and c not in links]
    styler = styler.format(na_rep="—", escape="html", subset=others or None)
    for column, text in links.items():
        styler = styler.format(link(text), subset=[column])
    styler = styler.format_index(lambda c: str(c).replace("_", " "), axis="columns")
    return styler.set_properties(**{"text-align": "left", "vertical-align": "top"}).set_table_styles(
        [{"selector": "th", "props": [("text-align", "left")]}])


COMPUTED_FILE = "computed.pickle"
"""The report's one load and synthesis, saved for its notebooks (in a temporary work folder)."""


class ReportInputs:
    """The tables and their synthesis, computed once per report and read by every notebook.

    Parameters
    ----------
    tables:
        From :func:`evidence.load`.
    synthesis:
        :func:`topic_synthesis` of the tables; None computes it when first asked for.
    topic:
        The topic reported on (default: the first topic).
    snapshot_folder:
        The curated snapshot folder the tables include (None: the snapshot was left out).
    """

    def __init__(self, tables: dict[str, pd.DataFrame], synthesis: Synthesis | None = None,
                 topic: Topic | None = None, snapshot_folder: Path | None = None):
        self.tables = tables
        self._synthesis = synthesis
        self.topic = topic or load_topic()
        self.snapshot_folder = snapshot_folder

    @property
    def synthesis(self) -> Synthesis:
        """The synthesis of all studies and findings (computed on first use when not given)."""
        if self._synthesis is None:
            self._synthesis = topic_synthesis(self.tables, self.topic)
        return self._synthesis


def topic_synthesis(tables: dict[str, pd.DataFrame], topic: Topic) -> Synthesis:
    """The synthesis of a topic's tables, labelled with its intervention, over its comparator classes."""
    return synthesize(tables["studies"], tables["findings"], rules=topic.certainty_rules,
                      comparators=topic.reported_comparators)


def report_inputs(computed: str | Path | None, data_dir: str | Path, snapshot: bool,
                  topic: str | None = None, snapshot_folder: str | Path | None = None) -> ReportInputs:
    """A notebook's inputs: those ``evidence report`` saved (``computed``), else loaded here.

    Parameters
    ----------
    computed:
        The file :func:`build_report` saved (the ``COMPUTED`` parameter of its notebooks), or None
        when the notebook runs on its own.
    data_dir, snapshot:
        What to load when ``computed`` is None (see :func:`evidence.load`).
    topic:
        The topic's name or file when ``computed`` is None (default: the first topic).
    snapshot_folder:
        Another snapshot folder of the same shape when ``computed`` is None (default: the topic's own).
    """
    if computed:
        # Written by build_report a moment ago into its own private work folder, for these kernels only.
        with open(computed, "rb") as f:
            return pickle.load(f)
    chosen = load_topic(topic) if topic else load_topic()
    folder = (Path(snapshot_folder) if snapshot_folder else chosen.snapshot_folder) if snapshot else None
    return ReportInputs(load(data_dir, snapshot=snapshot, snapshot_folder=folder, topic=chosen), topic=chosen,
                        snapshot_folder=folder)


def default_notebooks_dir() -> Path:
    """The notebooks bundled in an installed package, else notebooks/ of the source checkout."""
    return resource_path("notebooks")


PARAMETERS_TAG = "parameters"
"""The tag of the notebook cell that holds the parameters' defaults (papermill's convention)."""
INJECTED_TAG = "injected-parameters"
"""The tag of the cell :func:`inject_parameters` adds."""


def notebook_parameters(data_dir: Path, snapshot: bool, snapshot_folder: Path | None,
                        computed: Path | None = None, topic: Topic | None = None) -> dict[str, str | bool | None]:
    """The values a report gives its notebooks' parameters.

    ``TOPIC`` is the topic's file for a topic loaded from a path, else its name; ``COMPUTED`` the
    saved :class:`ReportInputs`.
    """
    return {
        "DATA_DIR": str(data_dir),
        "USE_SNAPSHOT": snapshot,
        "SNAPSHOT_DIR": str(snapshot_folder) if snapshot_folder is not None else None,
        "COMPUTED": str(computed) if computed is not None else None,
        "TOPIC": (str(topic.path) if topic.path is not None else topic.name) if topic is not None else None,
    }


def inject_parameters(nb, parameters: dict[str, str | bool | None]) -> None:
    """Add a cell with ``parameters`` right after the notebook's ``parameters`` cell (else first).

    The cell also puts the folder holding this ``evidence`` package first on the kernel's
    ``sys.path``, so the kernel imports the same code as the caller even when it is not
    installed. Values are written with ``repr``, so a path is a Python string whatever it holds.
    """
    import nbformat

    package_root = str(Path(__file__).resolve().parents[2])
    lines = ["# Parameters of this run, added by `evidence report`.", "import sys", "",
             f"sys.path.insert(0, {package_root!r})"]
    lines += [f"{name} = {value!r}" for name, value in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines), metadata={"tags": [INJECTED_TAG]})
    after = next((i + 1 for i, c in enumerate(nb.cells) if PARAMETERS_TAG in c.get("metadata", {}).get("tags", [])), 0)
    nb.cells.insert(after, cell)


def _kernel_manager_class():
    """A kernel manager class that starts ipykernel on this very interpreter (never another python3).

    Given as a class, not an instance, so nbclient owns the manager and shuts the kernel down.
    """
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import KernelManager
    from traitlets import default

    class ThisInterpreterSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            return KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                              display_name=f"Python ({sys.executable})", language="python")

    class ThisInterpreterKernelManager(KernelManager):
        @default("kernel_spec_manager")
        def _default_specs(self) -> KernelSpecManager:
            return ThisInterpreterSpecs(parent=self)

    return ThisInterpreterKernelManager


def _failed_cell(nb, path: Path) -> str:
    """'01_corpus_overview.ipynb, cell 3 (`tables = evidence.load(...)`)' for the cell that raised."""
    # Numbered as in the notebook file: the cell of parameters the report added is not counted.
    cells = [c for c in nb.cells if INJECTED_TAG not in c.get("metadata", {}).get("tags", [])]
    for number, cell in enumerate(cells, start=1):
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            first_line = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
            return f"{path.name}, cell {number} (`{first_line[:60]}`)"
    return f"{path.name} (cell unknown)"


def execute_notebook(path: Path, parameters: dict[str, str | bool | None], cwd: Path):
    """Run a notebook top to bottom in a fresh kernel, with ``parameters``, and return it with its outputs.

    Raises
    ------
    ReportError
        The notebook cannot be read, a cell raised, timed out, or the kernel died.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError) as exc:  # nbformat raises ValueError subclasses for bad JSON/schema
        raise ReportError(f"{path}: cannot read the notebook ({exc})") from exc
    inject_parameters(nb, parameters)
    client = NotebookClient(nb, kernel_manager_class=_kernel_manager_class(), kernel_name=KERNEL_NAME,
                            timeout=CELL_TIMEOUT, allow_errors=False, resources={"metadata": {"path": str(cwd)}})
    # The kernel's own stderr (start-up chatter, warnings) goes to a temporary file, not the
    # user's terminal; its last line explains a kernel that would not start or died.
    with tempfile.TemporaryFile(mode="w+") as kernel_log:
        try:
            client.execute(stderr=kernel_log)
        except (CellExecutionError, CellTimeoutError, DeadKernelError, RuntimeError) as exc:
            raise _execution_error(exc, nb, path, _last_line(kernel_log)) from exc
    return nb


def _last_line(log) -> str:
    log.seek(0)
    lines = [line.strip() for line in log.read().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _execution_error(exc: Exception, nb, path: Path, kernel_said: str) -> ReportError:
    """The one-line error for a notebook that could not run to the end."""
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    if isinstance(exc, CellExecutionError):
        return ReportError(f"{_failed_cell(nb, path)} failed: {exc.ename}: {' '.join(str(exc.evalue).split())}")
    if isinstance(exc, CellTimeoutError):
        return ReportError(f"{path.name}: a cell ran longer than {CELL_TIMEOUT} s")
    said = f" (kernel said: {kernel_said})" if kernel_said else ""
    if isinstance(exc, DeadKernelError):
        return ReportError(f"{path.name}: the kernel died while running the notebook{said}")
    # RuntimeError: the kernel could not start (missing ipykernel, ...).
    return ReportError(f"{path.name}: the notebook kernel could not run ({' '.join(str(exc).split())}){said}")


def notebook_html(nb) -> str:
    """HTML of an executed notebook: outputs only, no prompts, no code; figures carry their captions as alt text."""
    from bs4 import BeautifulSoup  # installed with nbconvert, which parses its own output with it
    from nbconvert import HTMLExporter

    # nbconvert logs a warning for every image without alt text (its template cannot set one);
    # the captions are added below, so that warning is noise for our users.
    quiet = logging.getLogger(f"{__name__}.nbconvert")
    quiet.setLevel(logging.ERROR)
    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, log=quiet)
    body, _ = exporter.from_notebook_node(nb)
    captions = {png: caption for caption, png in notebook_figures(nb)}
    soup = BeautifulSoup(body, features="html.parser")
    for img in soup.select('img[src^="data:image/png;base64,"]'):
        caption = captions.get(str(img["src"]).removeprefix("data:image/png;base64,"))
        if caption:
            img["alt"] = caption
    return str(soup)


def notebook_figures(nb, *, key_only: bool = False) -> list[tuple[str, str]]:
    """(caption, base64 PNG) of the figures shown with :func:`show_figure`, in order."""
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            mark = output.get("metadata", {}).get(FIGURE_KEY)
            if mark and (mark.get("key") or not key_only) and "image/png" in output.get("data", {}):
                found.append((mark["caption"], output["data"]["image/png"]))
    return found


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV injection")."""


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula, with a leading apostrophe (the OWASP rule).

    Only text is changed: numbers stay numbers (a negative estimate is not a formula).
    """
    def neutral(value: object) -> object:
        return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value

    out = df.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]) and not pd.api.types.is_bool_dtype(out[column]):
            out[column] = out[column].map(neutral, na_action="ignore")
    return out


def _write_sheet(sheet, df: pd.DataFrame) -> None:
    """Header and rows into an openpyxl sheet; every text cell is an explicit (inline) string.

    openpyxl turns a value starting with "=" into a formula; setting the cell's type to string
    afterwards writes it as text, so an imported title or a p-value such as "= 0.21" can never
    run in a reader's spreadsheet. Missing values stay empty cells.
    """
    sheet.append([str(c) for c in df.columns])
    for values in df.astype(object).itertuples(index=False):
        sheet.append([None if is_missing(v) else (v.item() if hasattr(v, "item") else v) for v in values])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def write_tables(evidence: pd.DataFrame, headline: pd.DataFrame, out_dir: Path, about: list[str]) -> list[Path]:
    """Write ``evidence_table.csv`` and ``evidence_table.xlsx`` (sheets: evidence, headline, about).

    Cells that would start a formula are written as text in both (see :func:`csv_safe` and
    :func:`_write_sheet`).
    """
    from openpyxl import Workbook

    csv_path, xlsx_path = out_dir / "evidence_table.csv", out_dir / "evidence_table.xlsx"
    # utf-8-sig: spreadsheet programs read the byte-order mark and show CJK titles and URLs correctly.
    _write_bytes(csv_path, csv_safe(evidence).to_csv(index=False).encode("utf-8-sig"))
    book = Workbook()
    book.active.title = "evidence"
    _write_sheet(book.active, evidence)
    _write_sheet(book.create_sheet("headline"), headline)
    _write_sheet(book.create_sheet("about"), pd.DataFrame({"about": about}))
    buffer = io.BytesIO()
    book.save(buffer)
    _write_bytes(xlsx_path, buffer.getvalue())
    return [csv_path, xlsx_path]


def build_report(data_dir: str | Path | None, out_dir: str | Path, *, snapshot: bool = True,
                 notebooks_dir: str | Path | None = None, snapshot_folder: str | Path | None = None,
                 topic: Topic | None = None, progress: Callable[[Iterable], Iterable] | None = None) -> ReportResult:
    """Execute every notebook, convert each to HTML, and write ``index.html`` and the evidence tables.

    Parameters
    ----------
    data_dir:
        The store (``None``: ./data); a missing folder is an empty store.
    out_dir:
        Output folder (created; files in it are replaced).
    snapshot:
        Include the embedded, curated snapshot.
    notebooks_dir:
        Folder of ``*.ipynb`` run in name order (default: notebooks/ of the source checkout).
    snapshot_folder:
        Another snapshot folder of the same shape (default: the topic's own).
    topic:
        The topic reported on: its snapshot, wording and comparators (default: the first topic).
    progress:
        Wraps the iterable of notebooks (a progress bar); called once.

    Returns
    -------
    ReportResult

    Raises
    ------
    ReportError
        No notebooks, a notebook failed (the message names the cell), or output not writable.
    SnapshotError, StoreError
        The data cannot be loaded (raised before any notebook runs).
    """
    from ..ingest.store import default_data_dir

    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    data_dir, out_dir = data_dir.resolve(), Path(out_dir).resolve()
    folder = Path(notebooks_dir) if notebooks_dir else default_notebooks_dir()
    notebooks = sorted(folder.glob("*.ipynb"))
    if not notebooks:
        raise ReportError(f"no notebooks (*.ipynb) in {folder}")
    topic = topic or load_topic()
    snapshot_folder = Path(snapshot_folder or topic.snapshot_folder).resolve() if snapshot else None
    tables = load(data_dir, snapshot=snapshot, snapshot_folder=snapshot_folder, topic=topic)
    synthesis = topic_synthesis(tables, topic)
    content = front_content(tables, synthesis, data_dir, snapshot_folder, topic)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"cannot create the output folder {out_dir} ({exc.strerror})") from exc
    source = data_source_text(tables, str(data_dir), snapshot)
    result = ReportResult(out_dir=out_dir, index=out_dir / "index.html", data_source=source)
    figures: list[tuple[str, str]] = []
    page_titles: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="evidence-report-") as work:
        computed = Path(work) / COMPUTED_FILE
        _write_bytes(computed, pickle.dumps(ReportInputs(tables, synthesis, topic, snapshot_folder), protocol=pickle.HIGHEST_PROTOCOL))
        parameters = notebook_parameters(data_dir, snapshot, snapshot_folder, computed, topic)
        for path in progress(notebooks) if progress else notebooks:
            nb = execute_notebook(path, parameters, out_dir)
            page = out_dir / f"{path.stem}.html"
            _write_text(page, notebook_html(nb))
            result.notebooks.append(page)
            page_titles[page.name] = notebook_title(nb)
            figures.extend(notebook_figures(nb, key_only=True))
    built = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    about = [f"Built {built}.", source, html.unescape(_strip_tags(NOTICE)),
             "One row per finding; estimate and CI on the reporting scale (ratios as ratios).",
             "p_value is as the source printed it; direction_reported is the source's own statement.",
             f"extraction: 'curated', or '{MACHINE_EXTRACTED}' for rows found by evidence classify.",
             "traceable: false for a study with no title, PMID or DOI (listed apart in the report).",
             ("Cells that began with =, +, -, @, a tab or a carriage return are written as text "
             "(with a leading apostrophe in the CSV).")]
    result.tables = write_tables(content.evidence, content.headline, out_dir, about)
    result.figures = len(figures)
    _write_text(result.index, index_html(
        title=topic.report.title,
        built=built, source=source, notice=NOTICE, pages=result.notebooks, figures=figures,
        tables=result.tables, content=content, page_titles=page_titles,
    ))
    return result


def notebook_title(nb) -> str:
    """The first Markdown heading of a notebook ("" when it has none)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def _strip_tags(text: str) -> str:
    """The notice as plain text for the spreadsheet: the link's address in brackets."""
    return text.replace(f'<a href="{NCBI_POLICIES}">', "").replace("</a>", f" ({NCBI_POLICIES})")


def _write_bytes(path: Path, data: bytes) -> None:
    try:
        atomic_write_bytes(path, data)
        path.chmod(0o644)  # a report is for sharing; the atomic writer's temporary file is private
    except OSError as exc:
        raise ReportError(f"cannot write {path} ({exc.strerror})") from exc


def _write_text(path: Path, text: str) -> None:
    _write_bytes(path, text.encode("utf-8"))
