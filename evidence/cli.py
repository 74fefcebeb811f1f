"""The ``evidence`` command: thin shells over library calls.

Every library error (``EvidenceError``) becomes a one-line message on stderr and a non-zero
exit code here, at this one boundary; nothing below prints or exits.

Settings are resolved here, once: this is the only module that reads environment variables
(:data:`ENVIRONMENT` lists them), and the only one that names command-line options. The library
takes every setting as an argument; an error that a setting can fix names that setting
(``EvidenceError.setting``), and :func:`option_hint` turns it into this command's option.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import click

from . import __version__
from .errors import EvidenceError

DATA_DIR_HELP = ("Data directory (default: $EVIDENCE_DATA_DIR, else ./data for the first topic and "
                 "./data-<topic> for the others).")


ENVIRONMENT = {
    "EVIDENCE_DATA_DIR": "the data directory, when --data-dir is not given",
    "EVIDENCE_SNAPSHOT_DIR": "another snapshot folder of the same shape for the first topic (tests, curators)",
    "NCBI_EMAIL": "your contact email for NCBI, when --email is not given",
    "NCBI_API_KEY": "your NCBI API key, when --api-key is not given",
    "EVIDENCE_EUTILS_URL": "the E-utilities base URL, when --eutils-url is not given",
    "EVIDENCE_LOCK_TIMEOUT": "seconds a writing command waits for another one to finish (default 600)",
    "EVIDENCE_CRASH_AT": "tests only: kill the process when a write step reaches this phase",
}
"""Every environment variable the command reads; nothing below the command line reads any."""


def option_hint(command: click.Command | None, setting: str | None) -> str:
    """' [--email or $NCBI_EMAIL]': the option of ``command`` (or of its subcommands) for a library setting."""
    if command is None or setting is None:
        return ""
    commands = [command, *getattr(command, "commands", {}).values()]
    for param in (p for c in commands for p in c.params):
        if param.name == setting and isinstance(param, click.Option):
            variable = f" or ${param.envvar}" if isinstance(param.envvar, str) else ""
            return f" [{max(param.opts, key=len)}{variable}]"
    return ""


def one_line(exc: EvidenceError, command: click.Command | None = None) -> str:
    """The error as one line, with the option that fixes it when there is one."""
    return " ".join(str(exc).split()) + option_hint(command, exc.setting)


class EvidenceGroup(click.Group):
    """A click group that turns library errors into one-line messages and exit codes."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except EvidenceError as exc:
            command = self.get_command(ctx, ctx.invoked_subcommand) if ctx.invoked_subcommand else None
            click.echo("error: " + one_line(exc, command), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted: the store is whole (a step stopped before its commit point is undone, one past it is kept); "
                       "run the command again to finish", err=True)
            ctx.exit(130)


TOPIC_HELP = ("A shipped topic name (see `evidence topics`) or a topic .toml file "
              "(default: acupuncture_sciatica).")


def topic_option(func: Callable) -> Callable:
    """The shared ``--topic`` option (the name or file as given; None for the default topic)."""
    return click.option("--topic", metavar="NAME|FILE", help=TOPIC_HELP, callback=_no_empty_topic)(func)


def _no_empty_topic(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    # `--topic ""` (an unset shell variable) means the default topic in every command, the same
    # as leaving the option out; without this, commands that pass it on would call it unknown.
    return value or None


def topic_data_dir(topic: str | None) -> Path:
    """The default data directory of a topic: ./data for the first topic, ./data-<name> for others.

    Each topic keeps its own store, so a fetch for one topic never mixes into another's report.
    """
    from .topic.model import DEFAULT_TOPIC, load_topic

    name = load_topic(topic).name if topic else DEFAULT_TOPIC
    return Path("data") if name == DEFAULT_TOPIC else Path(f"data-{name}")


def data_dir_option(func: Callable) -> Callable:
    """The shared ``--data-dir`` and ``--topic`` options; the data directory is resolved here, once.

    A command that declares a ``topic`` parameter receives the topic as given (None: the default).
    """
    wants_topic = "topic" in inspect.signature(func).parameters

    @functools.wraps(func)
    def command(*args, data_dir: Path | None, topic: str | None, **kwargs):
        if data_dir is None:
            data_dir = topic_data_dir(topic)
        if wants_topic:
            kwargs["topic"] = topic
        return func(*args, data_dir=data_dir, **kwargs)

    command = click.option(
        "--data-dir", type=click.Path(file_okay=False, path_type=Path), envvar="EVIDENCE_DATA_DIR",
        default=None, help=DATA_DIR_HELP,
    )(command)
    return topic_option(command)


def lock_timeout() -> float | None:
    """``$EVIDENCE_LOCK_TIMEOUT`` in seconds (None: the library's default)."""
    value = os.environ.get("EVIDENCE_LOCK_TIMEOUT")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:  # also refuses nan
        raise click.UsageError(f"EVIDENCE_LOCK_TIMEOUT must be a number of seconds, not {value!r}")
    return seconds


def snapshot_folder(topic: str | None) -> Path | None:
    """``$EVIDENCE_SNAPSHOT_DIR`` for the first topic (no --topic); None: the topic's own snapshot."""
    value = os.environ.get("EVIDENCE_SNAPSHOT_DIR")
    return Path(value) if value and not topic else None


def echo_err(message: str) -> None:
    """A library notice (waiting for the lock, recovery done) as one line on stderr."""
    click.echo(" ".join(message.split()), err=True)


def progress_bar(desc: str, unit: str) -> Callable[[Iterable], Iterable]:
    """A tqdm wrapper for library calls that accept a ``progress`` callable."""
    from tqdm import tqdm

    return functools.partial(tqdm, desc=desc, unit=unit, file=sys.stderr, disable=None, leave=False)


@click.group(cls=EvidenceGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog="\b\nEnvironment:\n" + "\n".join(f"  {name:<22} {meaning}" for name, meaning in ENVIRONMENT.items()))
@click.version_option(__version__, prog_name="evidence")
def cli() -> None:
    """Research-evidence aggregator: PubMed records to tables, syntheses, reports and claim checks.

    \b
    Typical use:
      evidence report                      # offline report from the embedded snapshot
      evidence import export.nbib          # add a PubMed export to ./data
      evidence fetch --email you@example.org   # pull the topic's records from NCBI
      evidence status                      # what the store holds
    """
    from .ingest.journal import set_crash_point

    set_crash_point(os.environ.get("EVIDENCE_CRASH_AT"))


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@data_dir_option
def import_cmd(files: tuple[Path, ...], data_dir: Path) -> None:
    """Import PubMed XML or PubMed-format (.nbib/MEDLINE) FILES into the store.

    \b
    Each file is kept unchanged under DATA_DIR/raw/ with its sha256 in raw/manifest.jsonl,
    and the tables in DATA_DIR/tables/ are updated. The format is told by content, and
    .gz files are read directly. Importing the same file again adds nothing; when a PMID
    comes again, its latest version wins. A bad file stops the import before anything is
    written. Only the new files are parsed; the stored tables are kept as they are. While
    another import or fetch writes to DATA_DIR, this one waits (and says so).

    \b
    Example:
      evidence import pubmed-acupunctur-set.nbib efetch.xml.gz --data-dir data
    """
    from .ingest.store import Store

    result = Store(data_dir, notify=echo_err, lock_timeout=lock_timeout()).import_files(files, progress=progress_bar("reading", "file"))
    click.echo(
        f"imported {len(result.files_added)} file(s) ({len(result.files_already_stored)} already stored), "
        f"{result.records_read} records read, {result.new_pmids} new PMIDs; "
        f"the store now holds {result.total_pmids} records in {data_dir}"
    )


@cli.command()
@data_dir_option
def rebuild(data_dir: Path) -> None:
    """Derive the tables again from every raw file in DATA_DIR/raw/ (latest version wins).

    \b
    Also the repair for what `evidence status` reports: it finishes or undoes an interrupted
    step, keeps the good lines of a damaged listing, lists whole raw files again (damaged
    unlisted ones go to DATA_DIR/lost+found), and replaces a dangling or missing tables link
    (a plain `tables` folder is moved aside).

    \b
    Example:
      evidence status || evidence rebuild
    """
    from .ingest.store import Store

    counts = Store(data_dir, notify=echo_err, lock_timeout=lock_timeout()).rebuild_tables(progress=progress_bar("parsing", "file"))
    click.echo("rebuilt: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@cli.command()
@data_dir_option
def status(data_dir: Path) -> None:
    """Check the store, then summarise it: records, years, designs, where the records came from.

    \b
    Checks that the tables open, the raw listing parses, every raw file is listed, and every
    listed file exists with its sha256. When something is wrong it lists each problem on
    stderr with the repair (`evidence rebuild`) and exits 1.

    \b
    Example:
      evidence status --data-dir data
    """
    from .ingest.status import store_status

    st = store_status(data_dir)
    if st.problems:
        for problem in st.problems:
            click.echo("problem: " + " ".join(problem.split()), err=True)
        if st.repair:
            click.echo(f"{data_dir} needs repair: {st.repair}", err=True)
        raise SystemExit(1)
    if st.busy:
        click.echo(st.busy, err=True)
    click.echo(st.text())


def ncbi_options(func: Callable) -> Callable:
    """The options every command that talks to NCBI shares."""
    options = [
        click.option("--email", envvar="NCBI_EMAIL", help="Your contact email; NCBI requires one ($NCBI_EMAIL)."),
        click.option("--api-key", envvar="NCBI_API_KEY",
                     help="NCBI API key: 10 requests/s instead of 3 ($NCBI_API_KEY). Never logged or stored."),
        click.option("--eutils-url", envvar="EVIDENCE_EUTILS_URL",
                     help="E-utilities base URL (default NCBI's; a mirror or test server can stand in) ($EVIDENCE_EUTILS_URL)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@cli.command()
@click.option("--query", help="A PubMed query to use instead of a topic's.")
@ncbi_options
@click.option("--since", metavar="YYYY/MM/DD", help="Only records with an Entrez date on or after this day.")
@click.option("--max-records", type=click.IntRange(min=1), help="Fetch at most this many records (most recent first).")
@click.option("--batch-size", type=click.IntRange(1, 10000), default=500, show_default=True, help="Records per efetch request.")
@click.option("--workers", type=click.IntRange(1, 10), default=3, show_default=True,
              help="Parallel requests; all share one rate limit.")
@click.option("--retry-budget", type=click.FloatRange(min=0), default=600, show_default=True, metavar="SECONDS",
              help="How long to keep retrying a failing request (backoff with jitter) before giving up.")
@data_dir_option
def fetch(topic: str | None, query: str | None, email: str | None, api_key: str | None, eutils_url: str | None,
          since: str | None, max_records: int | None, batch_size: int, workers: int, retry_budget: float,
          data_dir: Path) -> None:
    """Fetch a topic's PubMed records from NCBI E-utilities into the store.

    \b
    Records go to DATA_DIR/raw/ batch by batch as they arrive, then the tables are rebuilt.
    An interrupted fetch resumes when the same command is run again, and a re-run fetches
    only records added since the last one (by Entrez date; or give --since).

    \b
    Exit codes: 0 when every record is stored; 3 when some are missing because NCBI kept
    failing for the retry budget (the batches stored are kept: run the same command again
    to fetch the rest); 1 or 2 for other errors (nothing fetched is lost).

    \b
    NCBI requires a contact email (--email or NCBI_EMAIL). An API key (--api-key or
    NCBI_API_KEY, from https://account.ncbi.nlm.nih.gov/settings/) allows 10 requests/s
    instead of 3. Please run large jobs on weekends or between 9 pm and 5 am US Eastern time.
    Data come from NCBI: see NCBI's disclaimer and copyright notice at
    https://www.ncbi.nlm.nih.gov/home/about/policies/ ; abstracts may be under publishers'
    copyright. Offline? Use `evidence report` (embedded snapshot) or `evidence import FILE`.

    \b
    Example:
      evidence fetch --email you@example.org --since 2024/01/01
    """
    from .ingest.eutils import RetryPolicy
    from .ingest.fetch import fetch as fetch_records

    if topic and query:
        raise click.UsageError("give --topic or --query, not both")
    summary = fetch_records(query, topic=topic, email=email, api_key=api_key, since=since, max_records=max_records,
                            data_dir=data_dir, eutils_url=eutils_url, batch_size=batch_size, workers=workers,
                            progress=sys.stderr.isatty(), retry=RetryPolicy(budget=retry_budget),
                            lock_timeout=lock_timeout())
    for notice in summary.notices:
        click.echo(notice, err=True)
    click.echo(summary.line())


@cli.command()
@data_dir_option
def classify(topic: str | None, data_dir: Path) -> None:
    """Classify stored records (design, PICO, sample size) and extract their effect statements.

    
    Writes DATA_DIR/tables/studies.parquet and findings.parquet with provenance 'auto' and
    the rule that fired; every finding keeps the character span of its sentence. Curated
    snapshot rows win over these for the same PMID in reports and claim checks. Run it again
    after each import or fetch.
    Example:
      evidence fetch --email you@example.org && evidence classify && evidence report
    """
    from .extract.annotate import annotate_store

    result = annotate_store(data_dir, topic, progress=progress_bar("classifying", "chunk"), notify=echo_err,
                            lock_timeout=lock_timeout())
    designs = ", ".join(f"{k}: {v}" for k, v in result.by_design.items())
    click.echo(f"classified {result.studies} of {result.records} records ({designs}); {result.findings} findings extracted")


@cli.command()
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--topic", metavar="NAME|FILE", help="Read the outcomes this topic knows with its polarity: a shipped "
              "topic name (see `evidence topics`) or a topic .toml file (default: none, the polarity is guessed).", callback=_no_empty_topic)
def infer(file, topic: str | None) -> None:
    """Say what each abstract reports for an outcome: increased, decreased or no difference.

    \b
    FILE is JSON Lines ("-" reads stdin), one prompt per line:
      {"text": "<abstract>", "intervention": "acupuncture", "comparator": "sham acupuncture",
       "outcome": "leg pain"}
    Other fields (an "id", say) are copied to the output.

    \b
    For each prompt one JSON line goes to stdout, in input order, with "line" (its line
    number), "label" ("increased", "decreased", "no_difference", or null when the abstract
    does not say; the outcome in the intervention arm against the comparator arm), the
    "sentence" that decided with its "start"/"end" offsets in "text", the "rule" that
    decided, a "confidence", the "estimate", "ci_low"/"ci_high" and "p_value"/"p_value_text"
    stated in that sentence, and "machine_extracted": true (not verified by a person).
    A bad line gets a one-line error on stderr with its line number; the other lines are
    still answered, and the exit code is 2.

    \b
    With --topic, an outcome the topic's vocabulary knows ("VAS", "JOA score") is read
    with the topic's polarity (is lower better?); without it, or for an outcome the topic
    does not know, the polarity is guessed from the outcome's words (pain: lower is better).

    \b
    Example:
      evidence infer prompts.jsonl > results.jsonl
      evidence infer --topic acupuncture_sciatica prompts.jsonl
    """
    import json

    from .errors import InputError
    from .extract.findings import outcome_polarity
    from .extract.infer import PROMPT_FIELDS, infer_prompt, parse_prompt
    from .topic.model import load_topic

    chosen = load_topic(topic) if topic else None

    bad = 0
    try:
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                prompt = parse_prompt(line)
            except InputError as exc:
                bad += 1
                click.echo(f"error: {file.name} line {number}: {exc}", err=True)
                continue
            extra = {k: v for k, v in prompt.items() if k not in PROMPT_FIELDS}
            polarity = outcome_polarity(prompt["outcome"], chosen) if chosen else None
            answer = infer_prompt(prompt, lower_is_better=polarity).to_dict()
            click.echo(json.dumps({**extra, "line": number, **answer}, ensure_ascii=False))
    except UnicodeDecodeError as exc:
        raise InputError(f"{file.name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    if bad:
        raise InputError(f"{bad} bad line(s) in {file.name} were skipped")


@cli.command()
@data_dir_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("reports"),
              show_default=True, help="Folder for index.html, the notebook pages and the evidence tables.")
@click.option("--no-snapshot", is_flag=True, help="Report on the store alone, without the embedded curated snapshot.")
@click.option("--notebooks", "notebooks_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Folder of report notebooks run in name order (default: notebooks/ of this checkout).")
def report(data_dir: Path, topic: str | None, out_dir: Path, no_snapshot: bool, notebooks_dir: Path | None) -> None:
    """Build a topic's evidence report (default: acupuncture against nerve blocks and injections), as people read it.

    
    Runs the report notebooks on the store and the topic's embedded snapshot, and writes
    OUT/index.html (self-contained: the bottom line in plain words, the studies linked to
    PubMed, how much evidence, what it does not show, the search, flow, risk of bias and
    outcome scales, forest plots), one HTML page per notebook, evidence_table.csv and
    evidence_table.xlsx (cells that could start a formula are written as text). Works
    offline: with an empty store it reports on the snapshot.
    Example:
      evidence report --out reports && xdg-open reports/index.html
      evidence report --topic epidural_steroid_sciatica --out esi-report
    """
    from .outputs.report import build_report
    from .topic.model import load_topic

    result = build_report(data_dir, out_dir, snapshot=not no_snapshot, notebooks_dir=notebooks_dir,
                          snapshot_folder=snapshot_folder(topic), topic=load_topic(topic) if topic else None,
                          progress=progress_bar("notebooks", "notebook"))
    click.echo(f"report written: {result.index}")


@cli.command()
@click.argument("ids", nargs=-1, required=True)
@click.option("--style", type=click.Choice(["ama", "vancouver", "apa"]), default="ama", show_default=True,
              help="Citation style for --format text.")
@click.option("--format", "fmt", type=click.Choice(["text", "bibtex", "ris", "csljson", "nbib"]), default="text",
              show_default=True, help="Formatted text, or an export for a reference manager.")
@data_dir_option
def cite(ids: tuple[str, ...], style: str, fmt: str, data_dir: Path, topic: str | None) -> None:
    """Cite articles by PMID (or a curated study id such as doi:... or ref:...).

    
    Formats AMA, Vancouver or APA text with CSL styles, or exports BibTeX, RIS, CSL-JSON or
    PubMed (.nbib), with volume, issue, pages, the NLM journal abbreviation and the PMID where
    they are known. Retracted or corrected articles are flagged in every format. Records
    come from the store and the topic's embedded snapshot.
    The references go to stdout. Identifiers in no table, and references without a title or
    a year, are named on stderr and the exit code is 1; the others are still printed.
    Examples:
      evidence cite 39401008 26425130 --style vancouver
      evidence cite 39401008 --format ris > tu2024.ris
    """
    import evidence

    from .outputs.cite import cite_available

    tables = evidence.load(data_dir, topic=topic, snapshot_folder=snapshot_folder(topic))
    result = cite_available(list(ids), tables, style=style, fmt=fmt)
    click.echo(result.text, nl=False)
    for problem in result.problems():
        click.echo(problem, err=True)
    if not result.complete:
        raise SystemExit(1)


@cli.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True,
              help="Print the verdict as one JSON object (schema: evidence/outputs/claims/verdict.schema.json); "
                   "an unreadable claim prints {\"claim\": ..., \"error\": ...} and exits 1.")
@click.option("--style", type=click.Choice(["ama", "vancouver", "apa"]), default="ama", show_default=True,
              help="Citation style for the studies listed.")
@data_dir_option
def claim(text: str, topic: str | None, as_json: bool, style: str, data_dir: Path) -> None:
    """Check a health claim against the evidence, without overstating it.

    \b
    Answers with a verdict (supported, partly supported, not supported, contradicted,
    insufficient evidence), the certainty, the studies for and against with their key
    numbers, PMIDs, citations and the form of acupuncture studied, and the wording the
    evidence would support. Claims are read in their direction ("yoga is better than
    acupuncture" is judged for yoga), and "proven", "cures", cost, sessions, safety,
    long-term and "NICE recommends" claims each get the answer their evidence allows.
    The synthesis is cached under DATA_DIR/cache/claims, so checks after the first are fast.
    Examples:
      evidence claim "Acupuncture outperforms epidural steroid injections for sciatica"
      evidence claim "Painkillers work better than acupuncture"
      evidence claim "Acupuncture has fewer side effects than nerve blocks" --json
    """
    import json

    import evidence

    from .outputs.claims.check import SynthesisCache, check_claim
    from .topic.model import load_topic

    try:
        chosen = load_topic(topic) if topic else load_topic()
        tables = evidence.load(data_dir, topic=chosen, snapshot_folder=snapshot_folder(topic))
        verdict = check_claim(text, tables, chosen, style=style, cache=SynthesisCache.for_data_dir(data_dir))
    except EvidenceError as exc:
        if not as_json:
            raise
        # --json promises one JSON object on stdout, errors included.
        click.echo(json.dumps({"claim": text, "error": one_line(exc, claim)}, ensure_ascii=False))
        raise SystemExit(exc.exit_code) from None
    click.echo(verdict.to_json() if as_json else verdict.to_text())


@cli.group()
def snapshot() -> None:
    """The embedded snapshot: curated, source-verified studies and findings (data/snapshot/)."""


@snapshot.command("check")
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Snapshot folder to check (default: the topic's; for the first topic $EVIDENCE_SNAPSHOT_DIR "
                   "when set).")
@topic_option
def snapshot_check(folder: Path | None, topic: str | None) -> None:
    """Check the snapshot: schema, unique PMIDs, source URLs, identifiers, years, CIs.

    \b
    Also: a verified row whose notes say it is not verified, and (with the topic, so not
    with --folder) a comparator that is a form of the topic's intervention but carries
    another class. Sources on a bare IP address are printed as warnings; they do not fail.
    Every problem is listed, one per line; the exit code is 1 when there is any.
    Example:
      evidence snapshot check
      evidence snapshot check --topic epidural_steroid_sciatica
    """
    from .tables.snapshot import check_snapshot, load_snapshot, snapshot_warnings
    from .topic.model import load_topic

    if folder and topic:
        raise click.UsageError("give --folder or --topic, not both")
    # The topic's vocabularies add the intervention-form check; a bare --folder has no topic.
    loaded = None
    if not folder:
        loaded = load_topic(topic) if topic else load_topic()
        folder = snapshot_folder(topic) or loaded.snapshot_folder

    problems = check_snapshot(folder, loaded)
    if problems:
        for p in problems:
            click.echo(p, err=True)
        raise SystemExit(1)
    tables = load_snapshot(folder, loaded)
    s, f = tables["studies"], tables["findings"]
    click.echo(
        f"snapshot ok: {len(s)} studies ({int(s['verified'].sum())} verified, {int(s['pmid'].notna().sum())} with a PMID), "
        f"{len(f)} findings"
    )
    for warning in snapshot_warnings(folder):
        click.echo(f"warning: {warning}", err=True)


@snapshot.command("counts")
@click.option("--folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Snapshot folder to count (default: the topic's).")
@click.option("--before", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="An earlier copy of the snapshot; each cell then reads 'now (before)'.")
@topic_option
def snapshot_counts_command(folder: Path | None, before: Path | None, topic: str | None) -> None:
    """Count the snapshot's studies by design and by comparator class (Markdown tables).

    \b
    The snapshot README quotes these. Example, against the copy before a curation pass:
      mkdir -p /tmp/before && git show HEAD~5:data/snapshot/studies.jsonl > /tmp/before/studies.jsonl
      evidence snapshot counts --before /tmp/before
    """
    from .tables.snapshot import snapshot_dir
    from .tables.snapshot_counts import counts_markdown, snapshot_counts
    from .topic.model import load_topic

    if folder and topic:
        raise click.UsageError("give --folder or --topic, not both")
    folder = folder or snapshot_folder(topic) or (load_topic(topic).snapshot_folder if topic else snapshot_dir())
    click.echo(counts_markdown(snapshot_counts(folder), snapshot_counts(before) if before else None), nl=False)


@cli.command()
def topics() -> None:
    """List the installed topics: name, whether a curated snapshot ships with it, and title.

    \b
    Give a name to any command's --topic, or give the path of your own topic file.
    Example:
      evidence topics && evidence report --topic epidural_steroid_sciatica --out esi-report
    """
    from .topic.model import available_topics, load_topic

    for name in available_topics():
        t = load_topic(name)
        shipped = "snapshot" if (t.snapshot_folder / "studies.jsonl").is_file() else "no snapshot"
        click.echo(f"{name}\t{shipped}\t{t.title}")


# -- evidence baseline: the PubMed baseline on Dask (evidence.baseline) ------------------------------


def cluster_options(func: Callable) -> Callable:
    """The shared ``--scheduler`` and ``--workers`` options of the baseline commands."""
    func = click.option("--workers", type=click.IntRange(min=1), default=None,
                        help="Worker processes of the local cluster (default: one per CPU core).")(func)
    return click.option("--scheduler", metavar="ADDRESS",
                        help="A running Dask scheduler (tcp://host:8786) to use instead of a local cluster.")(func)


def step_progress(unit: str) -> Callable[[str], Callable[[Iterable], Iterable]]:
    """A progress bar per step of a baseline command (shown on a terminal only)."""
    return lambda step: progress_bar(step, unit)


@cli.group()
def baseline() -> None:
    """The whole PubMed baseline on Dask: build a Parquet dataset, select a topic, classify.

    \b
    NLM's annual baseline (ftp.ncbi.nlm.nih.gov/pubmed/baseline/) and daily update files
    (.../pubmed/updatefiles/) are downloaded by you; these commands read them from disk.
    The same command runs on this machine (a local Dask cluster) or on a cluster (--scheduler).
    """


@baseline.command("build")
@click.argument("files", nargs=-1, required=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The dataset folder (created when missing; reachable by every worker).")
@cluster_options
def baseline_build(files: tuple[str, ...], out_dir: Path, scheduler: str | None, workers: int | None) -> None:
    """Parse PubMed baseline and update FILES (paths or quoted globs) into a partitioned Parquet dataset.

    \b
    Files apply in the order given (baseline, then updates): the latest version of a PMID wins
    and DeleteCitation removes it. A run resumes: files already built (same sha256) are not
    parsed again, and a second run of the same command writes nothing.
    Example:
      evidence baseline build 'baseline/pubmed25n*.xml.gz' 'updatefiles/pubmed25n*.xml.gz' --out pubmed
    """
    from .baseline.build import build_baseline, expand_inputs
    from .baseline.cluster import dask_client

    paths = expand_inputs(files)  # before the cluster starts: a typo fails at once
    with dask_client(scheduler, workers) as client:
        r = build_baseline(paths, out_dir, client, progress=step_progress("file"),
                           notify=lambda line: click.echo(line, err=True))
    click.echo(f"{r.files} files built into {r.out} ({r.parsed} parsed now, {r.published} partitions written); "
               f"{r.records:,} records, {r.superseded:,} replaced or deleted by a later file")


@baseline.command("select")
@click.option("--from", "dataset", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="A dataset built by `evidence baseline build`.")
@click.option("--mesh-tree", type=click.Path(dir_okay=False, path_type=Path),
              help="NLM's MeSH tree file (mtreesYYYY.bin): [MeSH] then includes narrower headings, as in PubMed.")
@click.option("--query", help="A PubMed query to run instead of the topic's.")
@cluster_options
@data_dir_option
def baseline_select(dataset: Path, mesh_tree: Path | None, query: str | None, scheduler: str | None,
                    workers: int | None, topic: str | None, data_dir: Path) -> None:
    """Run the topic's PubMed query over a built dataset and import the matches into the store.

    \b
    The query runs locally ([MeSH], [tiab], [pt], AND/OR/NOT, parentheses, phrases, trailing *),
    without PubMed's automatic term mapping: see the README for the differences. Afterwards
    classify, report and claim work on the store as after a fetch.
    Example:
      evidence baseline select --from pubmed --topic epidural_steroid_sciatica --mesh-tree mtrees2025.bin
    """
    from .baseline.cluster import dask_client
    from .baseline.dataset import partitions
    from .baseline.select import select_topic

    partitions(dataset)  # before the cluster starts: a wrong --from fails at once
    with dask_client(scheduler, workers) as client:
        r = select_topic(topic or "acupuncture_sciatica", dataset, data_dir, client, mesh_tree=mesh_tree, query=query,
                         progress=step_progress("partition"))
    added = "imported" if r.imported else "already in the store"
    click.echo(f"{r.matched:,} records matched (read from {r.files_read} files), {added} as {data_dir / r.raw_file}; "
               f"the store holds {r.store_pmids:,} records")


@baseline.command("classify")
@click.option("--from", "dataset", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="A dataset built by `evidence baseline build`.")
@click.option("--extract", is_flag=True, help="Also extract findings (effect statements): several times slower.")
@cluster_options
@topic_option
def baseline_classify(dataset: Path, extract: bool, scheduler: str | None, workers: int | None, topic: str | None) -> None:
    """Classify study design (and, with --extract, extract findings) for every record of a dataset.

    \b
    One Dask task per partition; writes DIR/studies/ (and DIR/findings/) beside the record tables.
    Example:
      evidence baseline classify --from pubmed --workers 2
    """
    from .baseline.classify import classify_dataset
    from .baseline.cluster import dask_client
    from .baseline.dataset import partitions

    partitions(dataset)  # before the cluster starts: a wrong --from fails at once
    with dask_client(scheduler, workers) as client:
        r = classify_dataset(dataset, topic or "acupuncture_sciatica", client, extract=extract,
                             progress=progress_bar("classifying", "partition"))
    designs = ", ".join(f"{k}: {v:,}" for k, v in sorted(r.by_design.items()))
    found = f"; {r.findings:,} findings" if r.findings is not None else ""
    click.echo(f"classified {r.studies:,} records in {r.partitions} partitions ({designs}){found}")


def main() -> None:
    """Console-script entry point."""
    import signal

    # Past a file-size limit (ulimit -f) the kernel kills the writer with SIGXFSZ mid-write;
    # ignored, the write fails with EFBIG instead, and the store undoes the step cleanly.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    cli(prog_name="evidence")
