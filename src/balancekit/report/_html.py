"""Summary dict -> jinja2 template (autoescaped) -> one self-contained HTML document."""

import jinja2
import markupsafe

from ..evaluation._summary import (
    fmt_signed,
    partial_folds,
    partial_folds_note,
    positive_role,
)
from . import _plots

_ENV = None


def _environment():
    global _ENV
    if _ENV is None:
        env = jinja2.Environment(
            loader=jinja2.PackageLoader("balancekit.report", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=_finalize,
        )
        env.filters["num"] = fmt_number
        env.filters["pct"] = fmt_percent
        env.filters["count"] = fmt_count
        env.filters["signed"] = fmt_signed
        env.filters["short"] = _plots.short_label
        env.filters["breakable"] = breakable
        env.filters["words"] = words
        _ENV = env
    return _ENV


def _finalize(value):
    """Every value the templates print: text from the data with its direction controls
    written out (markup built by the report, such as the plots, is left as it is)."""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return _plots.show_controls(value)
    return value


def breakable(value):
    """``value`` escaped, with a line-break opportunity (``<wbr>``) after each underscore, so
    that a long snake_case name can wrap in a narrow column."""
    parts = _plots.show_controls(str(value)).split("_")
    return markupsafe.Markup("_<wbr>").join(markupsafe.escape(part) for part in parts)


def words(value):
    """``value`` escaped, each word kept whole (``PR-AUC`` does not wrap at its hyphen): a
    heading wraps between its words only."""
    parts = _plots.show_controls(str(value)).split(" ")
    return markupsafe.Markup(" ").join(
        markupsafe.Markup('<span class="bk-word">{}</span>').format(part) for part in parts
    )


def fmt_number(value, digits=3):
    """``0.123`` for numbers, an en dash for missing values."""
    if value is None:
        return "–"
    return f"{value:.{digits}f}"


def fmt_percent(value, digits=1):
    """``12.5%`` for a share of 0.125."""
    if value is None:
        return "–"
    return f"{100 * value:.{digits}f}%"


def fmt_count(value):
    """``12,345``."""
    if value is None:
        return "–"
    return f"{int(value):,}"


def render_html(summary, *, standalone=True):
    """Render a comparison summary as HTML.

    Parameters
    ----------
    summary : dict
        The ``summary`` of a :class:`~balancekit.evaluation.ComparisonResult`
        (or the same dict read back from its JSON).
    standalone : bool, default=True
        A complete document (``<!DOCTYPE html>`` ...). With False, a fragment
        whose styles are scoped to the report, for notebooks.

    Returns
    -------
    html : str
        The report: inline CSS, plots inline as SVG, no scripts and no
        external resources. Every string from the data (column names, class
        labels, strategy names, error messages) is escaped.
    """
    context = _context(summary)
    template = _environment().get_template("report.html.j2")
    return template.render(standalone=standalone, **context)


def save_html(summary, path):
    """Write the HTML report of ``summary`` to ``path`` atomically; return the path.

    Parameters
    ----------
    summary : dict
        A comparison summary.
    path : str or path-like
        The output file; written to a temporary file in the same directory,
        then moved into place.

    Returns
    -------
    path : pathlib.Path
        The path of the written file.
    """
    from ..evaluation._summary import check_output_path, write_text_atomic

    path = check_output_path(path)  # fail before the report is rendered
    return write_text_atomic(path, render_html(summary))


def _context(summary):
    data = summary["data"]
    settings = summary["settings"]
    metrics = summary["metrics"]
    metric_key = summary["recommendation"]["metric"]
    labels = {m["key"]: m["label"] for m in metrics}
    classes = data["classes"]
    colors = _plots.strategy_colors(summary)
    by_name = {s["name"]: s for s in summary["strategies"]}

    counts_rows = []
    before = data.get("train_fold_counts")
    if before:
        counts_rows.append(_counts_row("training fold (before)", before, classes, None))
    for s in summary["strategies"]:
        if s["status"] == "ok" and s.get("class_counts_after") is not None:
            counts_rows.append(_counts_row(s["name"], s["class_counts_after"], classes,
                                           colors.get(s["name"])))

    confusion = []
    for curve in summary["curves"]["strategies"]:
        confusion.append(_confusion(curve, data["positive_label"]))
    rank_order = {r["strategy"]: r["rank"] for r in summary["ranking"]}
    confusion.sort(key=lambda c: rank_order.get(c["strategy"], 10**6))

    warnings = [
        {"strategy": s["name"], "messages": s["warnings"]}
        for s in summary["strategies"]
        if s.get("warnings")
    ]
    rec = summary["recommendation"]
    if rec["strategy"] is None:
        tone = "bad"
    elif rec["strategy"] != "baseline" and rec["within_noise"] is False:
        tone = "good"  # a gain over the baseline that the test found significant
    else:
        # The baseline itself, a gain within noise, or one that could not be tested (too few
        # folds, no baseline result): nothing shown as a success.
        tone = "neutral"
    return {
        "summary": summary,
        "data": data,
        "role": positive_role(data),
        "settings": settings,
        "metrics": metrics,
        "metric_key": metric_key,
        "metric_label": labels[metric_key],
        "other_metrics": [m for m in metrics if m["key"] != metric_key],
        "ranking": summary["ranking"],
        # Means over fewer than all the folds (the metric undefined on some), marked with a
        # dagger and named below the table.
        "partial": partial_folds(summary),
        "partial_note": partial_folds_note(summary),
        "recommendation": rec,
        "tone": tone,
        "by_name": by_name,
        "colors": colors,
        "counts_rows": counts_rows,
        "confusion": confusion,
        "warnings": warnings,
        "skipped": summary.get("skipped", []),
        "notes": summary.get("notes", []),
        "failed": summary.get("failed", []),
        "pca": summary.get("pca"),
        "pca_reason": _plots.pca_unavailable(summary.get("pca")),
        "class_colors": _plots.CLASS_PALETTE,
        "n_class_colors": len(_plots.CLASS_PALETTE),
        "plots": {
            "bars": _plots.metric_bars(summary),
            "pr": _plots.curves_overlay(summary, "pr"),
            "roc": _plots.curves_overlay(summary, "roc"),
            "pr_grid": _plots.curves_grid(summary, "pr"),
            "roc_grid": _plots.curves_grid(summary, "roc"),
            "pca": _plots.pca_scatter(summary),
        },
        "top_curves": _plots.TOP_CURVES,
    }


def _counts_row(name, counts, classes, color):
    total = sum(counts)
    shares = [c / total if total else 0.0 for c in counts]
    return {
        "name": name,
        "counts": counts,
        "total": total,
        "shares": shares,
        "color": color,
        "labels": [c["label"] for c in classes],
    }


def _confusion(curve, positive):
    labels = curve["confusion"]["labels"]
    matrix = curve["confusion"]["matrix"]
    rows = []
    for label, row in zip(labels, matrix, strict=True):
        total = sum(row)
        cells = []
        for predicted, value in zip(labels, row, strict=True):
            share = value / total if total else 0.0
            cells.append(
                {
                    "value": value,
                    "share": share,
                    "correct": predicted == label,
                    # Row-normalised shading: the share of the true class predicted as this one.
                    "alpha": round(0.08 + 0.82 * share, 3),
                }
            )
        rows.append({"label": label, "cells": cells, "total": total,
                     "positive": label == positive})
    return {"strategy": curve["strategy"], "labels": labels, "rows": rows,
            "size": _matrix_size(len(labels))}


#: Confusion matrices up to this many classes show counts and shares in a card of their own.
SMALL_MATRIX = 4
#: Up to this many classes they show counts in normal type (on the full width of the page).
MEDIUM_MATRIX = 10
#: Up to this many, counts in small type; above, shading only (the numbers are in tooltips).
LARGE_MATRIX = 20


def _matrix_size(n_classes):
    """How a confusion matrix of ``n_classes`` is laid out: 'small' ... 'huge'."""
    if n_classes <= SMALL_MATRIX:
        return "small"
    if n_classes <= MEDIUM_MATRIX:
        return "medium"
    return "large" if n_classes <= LARGE_MATRIX else "huge"
