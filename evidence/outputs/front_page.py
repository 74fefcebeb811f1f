"""The report's front page (``index.html``): the answer first, then the table, then how it was found.

Order, for a reader who may stop after the first screen:

1. **Bottom line**: one plain paragraph per comparison (:mod:`evidence.outputs.bottom_line`), and the
   studies that could not be traced, listed apart.
2. **The studies**: one row per study and comparison, linked to PubMed or its DOI, with the kind
   of acupuncture, the results in words and numbers, and where the facts were seen.
3. **How much evidence** (the headline counts) and **what it does not show** (the gaps).
4. **How the review was done**: search date and query, a PRISMA-style flow, risk of bias per
   trial, and each outcome's scale, direction and minimal important difference.
5. Key figures, the notebooks and the downloads.

Everything is computed from the tables by the modules named; this module only lays it out.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .bottom_line import Paragraph, bottom_line, summary_sentence, untraced_studies
from .comparisons import (
    evidence_table, forest_sections, headline_table, traced_study_ids, undrawn_comparisons,
)
from .gaps import evidence_gaps
from .indirect import IndirectPanel, indirect_panel
from .labels import MACHINE_EXTRACTED, Outcome, is_missing, outcomes, source_rank
from .overview import corpus_flow, corpus_frame, read_search_log, search_description
from ..synthesize.risk_of_bias import DOMAINS, read_judgements, risk_of_bias_table
from ..synthesize.synthesis import Synthesis
from ..topic.model import Topic

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 76rem; margin: 2rem auto;
       padding: 0 1rem; color: #1a1a1a; line-height: 1.5; font-size: 16px; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; } h2 { font-size: 1.3rem; margin-top: 2.2rem;
     border-bottom: 1px solid #ccc; } h3 { font-size: 1.05rem; margin-bottom: .2rem; } .meta { color: #555; }
.lead { font-size: 1.08rem; } .bottom-line p { margin-top: .2rem; }
.indirect { background: #f3f3f3; border-left: 4px dashed #777; padding: .6rem 1rem; }
.notice { background: #fff8e1; border-left: 4px solid #e0a800; padding: .6rem 1rem; font-size: .9rem; }
.machine { background: #fde8e8; color: #8a1c1c; padding: 0 .3rem; border-radius: 3px; font-size: .85rem; }
table { border-collapse: collapse; font-size: .88rem; margin: .5rem 0; } th, td { border: 1px solid #ccc;
     padding: .3rem .5rem; vertical-align: top; text-align: left; } th { background: #eef2f7; }
td.seen { font-size: .8rem; color: #555; max-width: 9rem; overflow-wrap: anywhere; }
td.results { min-width: 18rem; } code { white-space: pre-wrap; word-break: break-word; }
.wide { overflow-x: auto; max-width: 100%; } figure { margin: 1.2rem 0; } figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { font-size: .95rem; color: #333; margin-top: .3rem; } .gap-list li { margin-bottom: .3rem; }
"""

HEADLINE_COLUMNS = {
    "comparison": "Comparison", "studies": "Studies",
    "randomised_trials": "Randomised trials", "participants_in_trials": "Participants in the compared arms of trials",
    "outcomes": "Outcomes", "pooled_results": "Pooled results", "certainty": "Certainty",
    "unverified_studies": "Not verified", "studies_without_pmid": "Without PMID", "studies_listed": "Which studies",
    "could_not_be_traced": "Could not be traced",
}


@dataclass(frozen=True)
class FrontContent:
    """Everything the front page shows, computed from the tables (see :func:`front_content`)."""

    summary: str
    paragraphs: list[Paragraph]
    untraced: pd.DataFrame
    evidence: pd.DataFrame
    headline: pd.DataFrame
    gaps: pd.DataFrame
    search: list[str]
    flow: pd.DataFrame
    risk_of_bias: pd.DataFrame
    outcome_scales: pd.DataFrame
    undrawn: list[str]
    intervention: str
    """The topic's intervention as a sentence names it."""
    focus_name: str
    """The comparators the report is about, in a sentence."""
    indirect: IndirectPanel | None = None
    """Two topics' results against the same control, shown apart (:mod:`evidence.outputs.indirect`)."""


def front_content(tables: dict[str, pd.DataFrame], synthesis: Synthesis, data_dir: Path,
                  snapshot_folder: Path | None, topic: Topic) -> FrontContent:
    """Compute every section of the front page.

    Parameters
    ----------
    tables:
        From :func:`evidence.load`.
    synthesis:
        ``synthesize(tables["studies"], tables["findings"])``.
    data_dir:
        The store (its fetch manifests give the search dates).
    snapshot_folder:
        The snapshot folder in use (search log, risk-of-bias judgements), or None without one.
    topic:
        The topic (query, outcome scales).
    """
    findings, studies = tables["findings"], tables["studies"]
    wording = topic.report
    focus = wording.focus
    paragraphs = bottom_line(synthesis, findings, studies, focus, topic=topic)
    evidence = evidence_table(synthesis, findings, studies, focus, topic=topic)
    traced = evidence[evidence["traceable"]]
    trials = traced[traced["design"] == "randomised trial"].assign(
        study_id=lambda t: t["pmid"].fillna(t["doi"]).fillna(t["study"]))
    scales = [outcomes(topic).get(code) for code in synthesis.rows.loc[
        synthesis.rows["comparator_class"].isin(focus).fillna(False), "outcome"].unique()]
    sections = forest_sections(synthesis, focus, traced_ids=traced_study_ids(synthesis, findings, studies), topic=topic)
    return FrontContent(
        summary=summary_sentence(paragraphs, synthesis, wording.focus_name), paragraphs=paragraphs,
        untraced=untraced_studies(synthesis, findings, studies, focus, topic=topic), evidence=evidence,
        headline=headline_table(synthesis, findings, studies, focus, topic=topic), gaps=evidence_gaps(synthesis, focus, topic=topic),
        search=search_description(tables, data_dir, snapshot_folder, topic.query),
        flow=corpus_flow(corpus_frame(tables), focus, search_log=read_search_log(snapshot_folder),
                         intervention=wording.intervention).summary_frame(),
        risk_of_bias=risk_of_bias_table(trials, read_judgements(snapshot_folder)),
        outcome_scales=outcome_scale_table([s for s in scales if s is not None]),
        undrawn=undrawn_comparisons(synthesis, sections, focus, topic=topic),
        intervention=wording.intervention, focus_name=wording.focus_name, indirect=indirect_panel(topic, tables),
    )


def outcome_scale_table(scales: list[Outcome]) -> pd.DataFrame:
    """Name, scale, direction, minimal important difference and its source, one row per outcome."""
    rows = [{"Outcome": o.name, "Scale": o.scale or "not stated", "Direction": o.direction,
             "Minimal important difference": o.mid_text, "Source of the MID": o.mid_source or None}
            for o in sorted(scales, key=lambda o: o.name.lower())]
    return pd.DataFrame(rows, columns=["Outcome", "Scale", "Direction", "Minimal important difference", "Source of the MID"])


def _e(value: object) -> str:
    """Escaped text; '—' for a missing value (never 'nan', 'NaN', '<NA>' or 'None')."""
    return "—" if is_missing(value) else html.escape(str(value))


def _link(url: object, text: str) -> str:
    return _e(text) if url is None or pd.isna(url) else f'<a href="{html.escape(str(url))}">{_e(text)}</a>'


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or url
    return f"{host} (copy of the original)" if source_rank(url) >= 2 else host


def _table(df: pd.DataFrame, links: dict[str, str] | None = None) -> str:
    """A plain HTML table; ``links`` maps a column to the text of the link its URL cells become."""
    links = links or {}
    head = "".join(f"<th>{_e(c)}</th>" for c in df.columns)
    body = "".join("<tr>" + "".join(
        f"<td>{_link(v, links[c]) if c in links and not is_missing(v) else _e(v)}</td>" for c, v in zip(df.columns, row)
    ) + "</tr>" for row in df.astype(object).itertuples(index=False))
    return f"<div class='wide'><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"


def _measure(code: object) -> str:
    return str(code).replace("_", " ").replace("pct", "%")


def _result_text(row) -> str:
    """'pain (VAS), after 1 week: favours the nerve block (p < 0.05)' or with the estimate and CI."""
    said = row.direction_reported if not is_missing(row.direction_reported) else row.direction_from_numbers
    parts = [f"{row.outcome}" + (f", {row.timepoint}" if not is_missing(row.timepoint) else "") + ":"]
    if not is_missing(row.estimate) and not is_missing(row.ci_low):
        parts.append(f"{_measure(row.measure)} {row.estimate:.2f} [{row.ci_low:.2f}, {row.ci_high:.2f}]")
    elif not is_missing(row.estimate):
        parts.append(f"{_measure(row.measure)} {row.estimate:.2f} (no CI)")
    parts.append(said if not is_missing(said) else "no between-group result seen")
    if not is_missing(row.p_value):
        parts.append(f"({row.p_value})")
    return " ".join(str(p) for p in parts)


def studies_html(evidence: pd.DataFrame, intervention: str, focus_name: str) -> str:
    """One row per study and comparison: linked name, kind of intervention, results, status, where seen."""
    traced = evidence[evidence["traceable"]]
    if traced.empty:
        return f"<p>No traceable study compares {_e(intervention)} with {_e(focus_name)}.</p>"
    key = traced["pmid"].fillna(traced["doi"]).fillna(traced["study"])
    rows = []
    for (comparison, _), group in traced.groupby([traced["comparison"], key], sort=False):
        first = group.iloc[0]
        status = ["verified" if bool(first["verified"]) else "not verified against a source page"]
        if (group["extraction"] == MACHINE_EXTRACTED).any():
            status.append(f'<span class="machine">{MACHINE_EXTRACTED}</span>')
        identifier = f"PMID {first['pmid']}" if not is_missing(first["pmid"]) else (
            f"DOI {first['doi']}" if not is_missing(first["doi"]) else "no PMID or DOI")
        results = "<br>".join(_e(_result_text(r)) for r in group.itertuples())
        seen = "<br>".join(_link(u, _host(u)) for u in dict.fromkeys(group["preferred_source"].dropna()))
        rows.append(
            f"<tr><td>{_e(comparison)}</td><td>{_link(first['link'], first['study'])}<br>"
            f"<small>{_e(identifier)}</small></td><td>{_e(first['intervention_form'])}</td><td>{_e(first['design'])}</td>"
            f"<td>{_e(None if is_missing(first['n']) else int(group['n'].max()))}</td><td class='results'>{results}</td>"
            f"<td>{' · '.join(status)}</td><td class='seen'>{seen}</td></tr>")
    head = (f"<tr><th>Comparison</th><th>Study</th><th>Kind of {_e(intervention)}</th><th>Design</th><th>Participants</th>"
            f"<th>Results ({_e(intervention)} against the comparator)</th><th>Status</th><th>Source page (provenance)</th></tr>")
    return f"<div class='wide'><table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table></div>"


def indirect_html(panel: IndirectPanel | None) -> str:
    """The indirect panel as its own section, labelled on the heading and above the table ("" without one)."""
    if panel is None:
        return ""
    treatments = list(dict.fromkeys(panel.rows["treatment"]))
    shown = panel.rows.assign(verified=panel.rows["verified"].map({True: "yes", False: "no"})).rename(columns={
        "md": "Mean difference", "ci_low": "95% CI low", "ci_high": "95% CI high", "source_url": "Seen at"})
    shown.columns = [c[:1].upper() + c[1:] if c.islower() else c for c in shown.columns]
    return (f"<h2>{_e(panel.label)}</h2><p class='indirect'><strong>{_e(panel.label)}.</strong> Each row is a trial or "
            f"review of one treatment against its own control ({_e(' and '.join(treatments))}, each against sham or "
            f"placebo), on one scale: {_e(panel.outcome)}. The trials differ in patients, doses, timing and controls, "
            "so the rows cannot be set against each other; no verdict, pooled result or certainty grade uses them.</p>"
            + _table(shown, links={"Seen at": "page where it was seen"}))


def bottom_line_html(content: FrontContent) -> str:
    """The summary sentence, one paragraph per comparison, and the untraceable studies apart."""
    parts = [f'<p class="lead">{_e(content.summary)}</p><div class="bottom-line">']
    parts += [f"<h3>{_e(p.heading)}</h3><p>{_e(p.text)}</p>" for p in content.paragraphs]
    parts.append("</div>")
    if len(content.untraced):
        parts.append("<h3>Could not be traced</h3><p>These studies have no title, PMID or DOI, so a reader cannot "
                     "find them again; they support none of the statements above.</p>")
        untraced = content.untraced.rename(columns=lambda c: c.replace("_", " ").capitalize())
        parts.append(_table(untraced.rename(columns={"Source url": "Seen at"}), links={"Seen at": "page where it was seen"}))
    return "".join(parts)


def _gaps_html(gaps: pd.DataFrame) -> str:
    if gaps.empty:
        return "<p>The checks found no gaps (read the certainty grades before relying on any result).</p>"
    parts = []
    for comparison, rows in gaps.groupby("comparison", sort=False):
        items = "".join(f"<li>{_e(s)}</li>" for s in rows["statement"])
        parts.append(f"<h3>{_e(comparison)}</h3><ul class='gap-list'>{items}</ul>")
    return "".join(parts)


def review_html(content: FrontContent) -> str:
    """Search, flow, risk of bias and outcome scales."""
    search = "".join(f"<li>{_e(line)}</li>" for line in content.search)
    flow = content.flow.rename(columns={"step": "Step", "records": "Records", "meaning": "What the count means",
                                        "excluded_before": "Left before this step"})
    rob_note = ("No risk-of-bias judgement per domain has been recorded from a source for these trials, so every "
                "domain reads \"not assessed\"; the certainty grades use stated proxies instead (see notebook 02)."
                if (content.risk_of_bias[list(DOMAINS.values())] == "not assessed").all().all()
                else "Judgements as recorded from the source named in each row; \"not assessed\" where none was.")
    return (f"<h3>Search</h3><ul>{search}</ul>"
            f"<h3>From records to synthesis (PRISMA-style flow)</h3>{_table(flow)}"
            f"<h3>Risk of bias per randomised trial (RoB 2 domains)</h3><p>{_e(rob_note)}</p>"
            f"{_table(content.risk_of_bias, links={'Source': 'source'})}"
            f"<h3>Outcomes: scale, direction and minimal important difference</h3>"
            "<p>The minimal important differences are minimal important changes for one patient; a difference "
            "between groups is usually smaller, so they are a yardstick, not a threshold for benefit.</p>"
            f"{_table(content.outcome_scales, links={'Source of the MID': 'source'})}")


def index_html(*, title: str, built: str, source: str, notice: str, pages: list[Path],
               figures: list[tuple[str, str]], tables: list[Path], content: FrontContent,
               page_titles: dict[str, str] | None = None) -> str:
    """The report's front page, one self-contained HTML document (figures inlined as base64 PNG).

    ``page_titles`` names the notebook pages by file name (default: from the file name).
    """
    titles = page_titles or {}
    links = "".join(f'<li><a href="{html.escape(p.name)}">'
                    f'{html.escape(titles.get(p.name) or p.stem.split("_", 1)[-1].replace("_", " ").capitalize())}</a></li>'
                    for p in pages)
    downloads = " and ".join(f'<a href="{html.escape(p.name)}">{html.escape(p.name)}</a>' for p in tables)
    figure_html = "".join(
        f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{png}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>" for caption, png in figures
    ) or "<p>No figure with numbers to draw.</p>"
    undrawn = (f"<p>No forest plot for {_e('; '.join(content.undrawn))}: none of their results has an estimate "
               "with a confidence interval (see the table above).</p>" if content.undrawn else "")
    headline = content.headline.rename(columns={**HEADLINE_COLUMNS, "intervention_forms": f"Kind of {content.intervention}"})
    headline = headline.astype(object).where(
        content.headline.notna().to_numpy(), "not stated")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>
<h1>{html.escape(title)}</h1>
<p class="meta">Built {html.escape(built)}. {html.escape(source)}</p>
<h2>Bottom line</h2>{bottom_line_html(content)}
<h2>The studies</h2>
<p>Each study links to its PubMed record (or its DOI). "Source page" is a page where the study was seen,
shown as provenance: a first-hand page (PubMed, the publisher, a registry) is preferred, and copies of the
original on other sites are marked; the exact page behind each number is in the evidence table download. Head-to-head ({_e(content.intervention)} instead of the
comparator) and add-on ({_e(content.intervention)} added to it, against it alone) are different questions and are kept apart.</p>
{studies_html(content.evidence, content.intervention, content.focus_name)}
<h2>How much evidence</h2>{_table(headline)}
{indirect_html(content.indirect)}
<h2>What the evidence does not show</h2>{_gaps_html(content.gaps)}
<h2>How the review was done</h2>{review_html(content)}
<h2>Key figures</h2>{undrawn}{figure_html}
<h2>Notebooks and downloads</h2><ul>{links}</ul>
<p>Every finding with its PMID or DOI and source URL: {downloads}.</p>
<p class="notice">{notice}</p>
</body></html>
"""
