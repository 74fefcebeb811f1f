"""Forest plots and evidence maps (matplotlib). No statistics here: numbers come from synthesis.

Figures are built on the Agg canvas directly (no pyplot, no display, no global state), so they
work in notebooks, tests and headless report runs alike. Each function returns a :class:`Plot`:
the figure and a DataFrame of exactly the numbers drawn, so a test (or a sceptical reader) can
check the picture against the findings table.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Polygon
from matplotlib.ticker import FuncFormatter

from .effects import RATIO_MEASURES
from .synthesis import REPORTED_COMPARATORS, ComparisonGroup, Synthesis, comparison_label

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
    ax.set_title(title, fontsize=10)
    ax.text(0.5, 0.55, NO_STUDIES, ha="center", va="center", fontsize=18, weight="bold", transform=ax.transAxes)
    if detail:
        ax.text(0.5, 0.25, detail, ha="center", va="center", fontsize=9, wrap=True, transform=ax.transAxes)
    return Plot(figure, pd.DataFrame(columns=list(columns)))


def _favours_label(group: ComparisonGroup) -> str:
    """Which side of the axis favours which arm, from the findings' ``lower_is_better``."""
    comparator = str(group.key["comparator_class"]).replace("_", " ")
    if group.key["design_kind"] == "add_on":
        comparator += " alone"
    directions = set(group.rows["lower_is_better"].dropna().tolist())
    if len(directions) != 1:
        return "which side favours acupuncture is not stated in the findings"
    left, right = ("acupuncture", comparator) if directions.pop() else (comparator, "acupuncture")
    return f"\u2190 favours {left}        favours {right} \u2192"


def _forest_data(group: ComparisonGroup) -> pd.DataFrame:
    rows = group.rows.sort_values(["year", "label", "timepoint_weeks"], na_position="last", kind="stable")
    inverse_variance = 1 / rows["vi"].astype(float)
    iv_share = 100 * inverse_variance / inverse_variance.sum() if inverse_variance.notna().any() else inverse_variance
    weights = rows["weight_percent"].astype(float).where(rows["in_pool"].fillna(False).astype(bool), iv_share)
    data = pd.DataFrame({
        "y": np.arange(len(rows), 0, -1, dtype=float), "kind": "study", "label": rows["label"].astype(object),
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


def forest_plot(group: ComparisonGroup, title: str | None = None) -> Plot:
    """Forest plot of one comparison group (one comparison x outcome x measure x window).

    One row per study result, squares sized by weight, 95% CIs, a pooled diamond only when the
    group was pooled, the no-effect line, and an axis label saying which side favours which arm.

    Parameters
    ----------
    group:
        From :meth:`evidence.synthesis.Synthesis.group` (an empty group draws "No studies").
    title:
        Figure title; defaults to comparison, outcome, time window and design family.

    Returns
    -------
    Plot
        The figure and a DataFrame with columns :data:`FOREST_COLUMNS` (reporting scale).
    """
    key = group.key
    comparison = comparison_label(str(key["comparator_class"]), key["design_kind"])
    title = title or comparison + "\n" + " | ".join(str(v) for v in (key["outcome"], key["window"], key["design_group"]) if v)
    if len(group.rows) == 0:
        return _no_studies(title, group.reason, FOREST_COLUMNS)
    data = _forest_data(group)
    measure = key["measure"]
    ratio = measure in RATIO_MEASURES
    figure = _new_figure(8, 1.6 + 0.45 * len(data))
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
    for row in studies[~has_ci].itertuples():
        note = "no CI reported" if no_ci[row.Index] else "not estimable"
        ax.text(1.01, row.y, note, va="center", fontsize=8, color="grey", transform=ax.get_yaxis_transform())
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
    ax.set_yticks(data["y"], [f"{lab} ({tp})" if isinstance(tp, str) and kind == "study" else lab
                              for lab, tp, kind in zip(data["label"], data["timepoint"], data["kind"])])
    ax.set_ylim(data["y"].min() - 1, data["y"].max() + 1)
    ax.set_xlabel(f"{measure}{' (log scale)' if ratio else ''}\n{_favours_label(group)}")
    ax.set_title(title, fontsize=10)
    if group.reason:
        figure.text(0.01, 0.01, f"Not pooled: {group.reason}", fontsize=7, wrap=True)
    figure.tight_layout()
    return Plot(figure, data)


def evidence_map(synthesis: Synthesis, comparators: tuple[str, ...] = REPORTED_COMPARATORS) -> Plot:
    """Bubble chart of comparator class x outcome; bubble area = number of distinct studies.

    Every comparator class in ``comparators`` gets a row even when empty, so gaps (for example
    no trial against nerve blocks) are visible rather than silently missing.

    Returns
    -------
    Plot
        The figure and a DataFrame with ``comparator_class``, ``outcome``, ``n_studies`` (one row
        per non-empty cell).
    """
    rows = synthesis.rows
    title = "Evidence map: studies per comparator and outcome"
    counts = (rows.groupby(["comparator_class", "outcome"])["study_id"].nunique().rename("n_studies").reset_index()
              .astype({"comparator_class": object, "outcome": object, "n_studies": int}))
    if counts.empty:
        return _no_studies(title, "The findings table is empty.", ("comparator_class", "outcome", "n_studies"))
    y_labels = list(comparators) + sorted(set(counts["comparator_class"]) - set(comparators))
    x_labels = sorted(counts["outcome"].unique())
    figure = _new_figure(max(6, 1.0 + 0.9 * len(x_labels)), 1.5 + 0.45 * len(y_labels))
    ax = figure.add_subplot()
    xs = counts["outcome"].map(x_labels.index)
    ys = counts["comparator_class"].map(y_labels.index)
    ax.scatter(xs, ys, s=80 + 120 * counts["n_studies"], alpha=0.6, color="#1f4e79")
    for x, y, n in zip(xs, ys, counts["n_studies"]):
        ax.text(x, y, str(n), ha="center", va="center", fontsize=8, color="white", weight="bold")
    ax.set_xticks(range(len(x_labels)), [o.replace("_", " ") for o in x_labels], rotation=45, ha="right")
    ax.set_yticks(range(len(y_labels)), [c.replace("_", " ") for c in y_labels])
    ax.set_xlim(-0.7, len(x_labels) - 0.3)
    ax.set_ylim(-0.7, len(y_labels) - 0.3)
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    figure.tight_layout()
    return Plot(figure, counts)
