"""Forest plots and evidence maps (matplotlib). No statistics here: numbers come from synthesis.

Figures are built on the Agg canvas directly (no pyplot, no display, no global state), so they
work in notebooks, tests and headless report runs alike. Each function returns a :class:`Plot`:
the figure and a DataFrame of exactly the numbers drawn, so a test (or a sceptical reader) can
check the picture against the findings table.
"""

from __future__ import annotations

import re
import textwrap
from typing import NamedTuple

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Polygon
from matplotlib.ticker import FuncFormatter

from ..synthesize.effects import RATIO_MEASURES
from .labels import MACHINE_EXTRACTED, comparator_names, name_of, outcome_name, outcomes, reader_label, sides
from ..synthesize.synthesis import ComparisonGroup, Synthesis, comparison_label
from ..topic.model import Topic

NO_STUDIES = "No studies"
FOREST_COLUMNS = ("y", "kind", "label", "pmid", "timepoint", "estimate", "ci_low", "ci_high",
                  "weight_percent", "marker_size", "in_pool", "note")
MIN_MARKER, MAX_EXTRA_MARKER = 20.0, 280.0


class Plot(NamedTuple):
    """A figure and the numbers drawn on it."""

    figure: Figure
    data: pd.DataFrame


def _new_figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height))
    FigureCanvasAgg(figure)
    return figure


def _no_studies(title: str, detail: str | None, columns) -> Plot:
    figure = _new_figure(6, 2.5)
    ax = figure.add_subplot()
    ax.set_axis_off()
    ax.set_title(title, fontsize=11)
    ax.text(0.5, 0.55, NO_STUDIES, ha="center", va="center", fontsize=18, weight="bold", transform=ax.transAxes)
    if detail:
        ax.text(0.5, 0.25, detail, ha="center", va="center", fontsize=10, wrap=True, transform=ax.transAxes)
    return Plot(figure, pd.DataFrame(columns=list(columns)))


FONT = 11
"""Base font size in points: figures are scaled down in a browser, so nothing is drawn smaller."""


def _favours_label(group: ComparisonGroup, intervention: str, names: dict[str, str]) -> str:
    """Which side of the axis favours which arm, from the findings' ``lower_is_better``."""
    ours, theirs = sides(str(group.key["comparator_class"]), group.key["design_kind"], intervention, names)
    directions = set(group.rows["lower_is_better"].dropna().tolist())
    if len(directions) != 1:
        return f"which side favours {intervention} is not stated in the findings"
    left, right = (ours, theirs) if directions.pop() else (theirs, ours)
    return f"\u2190 favours {left}        favours {right} \u2192"


_INNER_BRACKETS = re.compile(r"\s*\(([^)]*)\)")


def _row_label(label: object, pmid: object, timepoint: object, machine: bool) -> str:
    """'Lee 2024 (week 4)', with the machine-extraction label when the row is not curated."""
    text = reader_label(label, pmid)
    if isinstance(timepoint, str) and timepoint:
        flat = _INNER_BRACKETS.sub(r", \1", timepoint)  # "post-treatment, as pooled": no nested brackets
        text += f" ({flat})"
    return f"{text}\n[{MACHINE_EXTRACTED}]" if machine else text


def _forest_data(group: ComparisonGroup) -> pd.DataFrame:
    rows = group.rows.sort_values(["year", "label", "timepoint_weeks"], na_position="last", kind="stable")
    inverse_variance = 1 / rows["vi"].astype(float)
    iv_share = 100 * inverse_variance / inverse_variance.sum() if inverse_variance.notna().any() else inverse_variance
    weights = rows["weight_percent"].astype(float).where(rows["in_pool"].fillna(False).astype(bool), iv_share)
    machine = (rows["provenance"] != "curated").fillna(True).astype(bool)
    data = pd.DataFrame({
        "y": np.arange(len(rows), 0, -1, dtype=float), "kind": "study",
        "label": [_row_label(*v) for v in zip(rows["label"], rows["pmid"], rows["timepoint"], machine)],
        "pmid": rows["pmid"].astype(object), "timepoint": rows["timepoint"].astype(object),
        "estimate": rows["estimate"].astype(float), "ci_low": rows["ci_low"].astype(float),
        "ci_high": rows["ci_high"].astype(float), "weight_percent": weights,
        "in_pool": rows["in_pool"].fillna(False).astype(bool), "note": rows["row_note"].astype(object),
    })
    if group.pooled is not None:
        est, low, high = group.pooled.reported()
        data.loc[len(data)] = {
            "y": 0.0, "kind": "pooled", "label": f"Pooled ({group.pooled.method}), k = {group.pooled.k}, "
            f"I\u00b2 = {group.pooled.i2:.0f}%", "pmid": None, "timepoint": group.key["window"], "estimate": est,
            "ci_low": low, "ci_high": high, "weight_percent": 100.0, "in_pool": True, "note": None,
        }
    data["marker_size"] = MIN_MARKER + MAX_EXTRA_MARKER * data["weight_percent"].fillna(0) / 100
    return data[list(FOREST_COLUMNS)].reset_index(drop=True)


def estimate_text(estimate: float, low: float, high: float) -> str:
    """'-0.79 [-1.05, -0.53]'; 'no CI reported' or 'not estimable' when numbers are missing."""
    if pd.isna(estimate):
        return "not estimable"
    if pd.isna(low) or pd.isna(high):
        return f"{estimate:.2f} (no CI reported)"
    return f"{estimate:.2f} [{low:.2f}, {high:.2f}]"


def forest_plot(group: ComparisonGroup, title: str | None = None, intervention: str = "the intervention",
                topic: Topic | None = None) -> Plot:
    """Forest plot of one comparison group (one comparison x outcome x measure x window).

    One row per study result, squares sized by weight, 95% CIs, each estimate and CI written
    beside its row, a pooled diamond only when the group was pooled, the no-effect line, and an
    axis label saying which side favours which arm.

    Parameters
    ----------
    group:
        From :meth:`evidence.synthesize.synthesis.Synthesis.group` (an empty group draws "No studies").
    title:
        Figure title; defaults to comparison, outcome, time window and design family.
    intervention:
        The topic's intervention as a sentence names it (``Synthesis.intervention``).
    topic:
        Whose outcome and comparator names label the figure (without a topic: the codes in words).

    Returns
    -------
    Plot
        The figure and a DataFrame with columns :data:`FOREST_COLUMNS` (reporting scale).
    """
    key = group.key
    comparison = comparison_label(str(key["comparator_class"]), key["design_kind"], intervention)
    described = (outcome_name(key["outcome"], outcomes(topic)), key["window"], str(key["design_group"] or "").replace("_", " "))
    title = title or comparison + "\n" + " | ".join(str(v) for v in described if v)
    if len(group.rows) == 0:
        return _no_studies(title, group.reason, FOREST_COLUMNS)
    data = _forest_data(group)
    measure = key["measure"]
    ratio = measure in RATIO_MEASURES
    figure = _new_figure(10, 2.2 + 0.55 * len(data))
    ax = figure.add_subplot()
    studies = data[data["kind"] == "study"]
    drawable = studies["estimate"].notna() & (studies["estimate"] > 0 if ratio else True)
    has_ci = drawable & studies["ci_low"].notna() & studies["ci_high"].notna()
    ax.hlines(studies.loc[has_ci, "y"], studies.loc[has_ci, "ci_low"], studies.loc[has_ci, "ci_high"], color="black", lw=1)
    ax.scatter(studies.loc[has_ci, "estimate"], studies.loc[has_ci, "y"], s=studies.loc[has_ci, "marker_size"],
               marker="s", color="#1f4e79", zorder=3)
    # An estimate without a CI is drawn hollow, so it cannot be mistaken for a precise result.
    no_ci = drawable & ~has_ci
    ax.scatter(studies.loc[no_ci, "estimate"], studies.loc[no_ci, "y"], s=MIN_MARKER * 2, marker="s",
               facecolors="none", edgecolors="grey", zorder=3)
    # Each row's estimate and CI as text, right of the axes: a reader can quote the number.
    # The header sits inside the axes' top margin (one row above the first), never on the title.
    ax.text(1.02, data["y"].max() + 0.75, "Estimate [95% CI]", weight="bold", fontsize=FONT, va="center",
            transform=ax.get_yaxis_transform())
    for row in data.itertuples():
        ax.text(1.02, row.y, estimate_text(row.estimate, row.ci_low, row.ci_high), va="center", fontsize=FONT,
                color="black" if pd.notna(row.ci_low) else "grey", transform=ax.get_yaxis_transform())
    pooled = data[data["kind"] == "pooled"]
    if len(pooled):
        p = pooled.iloc[0]
        ax.add_patch(Polygon([(p.ci_low, p.y), (p.estimate, p.y + 0.3), (p.ci_high, p.y), (p.estimate, p.y - 0.3)],
                             closed=True, color="#b22222", zorder=3))
    ax.axvline(1.0 if ratio else 0.0, color="grey", ls="--", lw=1)
    if ratio:
        ax.set_xscale("log")
        plain = FuncFormatter(lambda value, _: f"{value:g}")
        ax.xaxis.set_major_formatter(plain)
        ax.xaxis.set_minor_formatter(plain)
    ax.set_yticks(data["y"], data["label"], fontsize=FONT)
    ax.tick_params(axis="x", labelsize=FONT)
    ax.set_ylim(data["y"].min() - 1, data["y"].max() + 1)
    ax.set_xlabel(f"{measure}{' (log scale)' if ratio else ''}\n{_favours_label(group, intervention, comparator_names(topic))}", fontsize=FONT)
    ax.set_title(title, fontsize=FONT + 1)
    if group.reason:
        # Anchored under the axis label, so the note can never overlap it, however long it is.
        ax.annotate("\n".join(textwrap.wrap(f"Not pooled: {group.reason}", 110)), xy=(0, 0), xycoords=ax.xaxis.label,
                    xytext=(0, -8), textcoords="offset points", va="top", ha="left", fontsize=FONT - 1,
                    annotation_clip=False)
    figure.tight_layout()
    return Plot(figure, data)


def evidence_map(synthesis: Synthesis, comparators: tuple[str, ...] | None = None,
                 topic: Topic | None = None) -> Plot:
    """Bubble chart of outcome x comparator class; bubble area = number of distinct studies.

    Outcomes run down the rows (there are many, and their names are long) and comparator classes
    across the columns, so the chart stays narrow enough to be read at page width. Every
    comparator class in ``comparators`` (default: those the synthesis reports on) gets a column
    even when empty, so gaps (for example no trial against nerve blocks) are visible rather than
    silently missing.

    Returns
    -------
    Plot
        The figure and a DataFrame with ``comparator_class``, ``outcome``, ``n_studies`` (one row
        per non-empty cell).
    """
    rows = synthesis.rows
    comparators = synthesis.comparators if comparators is None else comparators
    title = "Evidence map: studies per comparator and outcome"
    counts = (rows.groupby(["comparator_class", "outcome"])["study_id"].nunique().rename("n_studies").reset_index()
              .astype({"comparator_class": object, "outcome": object, "n_studies": int}))
    if counts.empty:
        return _no_studies(title, "The findings table is empty.", ("comparator_class", "outcome", "n_studies"))
    names = outcomes(topic)
    x_labels = list(comparators) + sorted(set(counts["comparator_class"]) - set(comparators))
    # groupby dropped missing codes, so every code here has a name
    shown = {o: outcome_name(o, names) or str(o) for o in counts["outcome"].unique()}
    y_labels = sorted(shown, key=lambda o: shown[o].lower())
    figure = _new_figure(3.5 + 0.75 * len(x_labels), 1.8 + 0.38 * len(y_labels))
    ax = figure.add_subplot()
    xs = counts["comparator_class"].map(x_labels.index)
    ys = counts["outcome"].map(y_labels.index)
    ax.scatter(xs, ys, s=90 + 110 * counts["n_studies"], alpha=0.6, color="#1f4e79")
    for x, y, n in zip(xs, ys, counts["n_studies"]):
        ax.text(x, y, str(n), ha="center", va="center", fontsize=FONT - 1, color="white", weight="bold")
    ax.set_xticks(range(len(x_labels)), [name_of(c, comparator_names(topic)) or str(c) for c in x_labels], rotation=40, ha="right",
                  fontsize=FONT)
    ax.set_yticks(range(len(y_labels)), [shown[o] for o in y_labels], fontsize=FONT)
    ax.set_xlim(-0.7, len(x_labels) - 0.3)
    ax.set_ylim(len(y_labels) - 0.3, -0.7)
    ax.set_title(title, fontsize=FONT + 1)
    ax.grid(alpha=0.3)
    figure.tight_layout()
    return Plot(figure, counts)
