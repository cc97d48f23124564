"""Plots of a comparison summary, drawn with matplotlib's SVG backend and inlined as text.

Every function takes the summary dict and returns an SVG fragment (a string
starting with ``<svg``) ready to be embedded in HTML, or ``None`` when there
is nothing to draw. Text in the SVG is escaped by matplotlib's XML writer;
the XML prologue, the DOCTYPE and the namespace URLs are removed, so the
page references nothing outside itself.

Figures are plain :class:`matplotlib.figure.Figure` objects rendered by the
SVG canvas: pyplot and its GUI back ends are never involved, and the
caller's matplotlib back end is left alone.
"""

import hashlib
import io
import math
import re
import threading
import warnings
from contextlib import contextmanager

import matplotlib
from matplotlib.figure import Figure

#: matplotlib's settings are process-wide: plots drawn in several threads at once would
#: restore each other's saved settings (leaving the report's style on the process for good)
#: and draw with the other's. One plot is styled at a time.
_RC_LOCK = threading.RLock()


@contextmanager
def _style(rc):
    """matplotlib's settings ``rc`` while a plot is drawn, one thread at a time.

    Text is written into the SVG as text (``svg.fonttype: none``) and drawn by the browser
    with its own fonts, so matplotlib's warning that a character (an emoji, a CJK name) is
    missing from its own font does not apply to the report and is not shown.
    """
    with _RC_LOCK, matplotlib.rc_context(rc), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from", category=UserWarning)
        yield

BASELINE = "baseline"
BASELINE_COLOR = "#4b5563"
#: Strategy colours: Okabe-Ito first (colour-blind friendly), then other well-separated hues.
PALETTE = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#7B3294",
    "#8C564B", "#B8860B", "#17BECF", "#E7298A", "#66A61E", "#1A1A7A", "#A6761D",
    "#FF7F7F", "#2F4F4F",
]
#: Class colours, the same as the class-share bars of the HTML report: 20 distinct colours,
#: so that up to 20 classes never share one (Okabe-Ito and grey first, then hues of
#: matplotlib's tab20 and Dark2 that stay apart from them).
CLASS_PALETTE = [
    "#9ca3af", "#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8c564b",
    "#F0E442", "#7B3294", "#17BECF", "#E7298A", "#66A61E", "#1A1A7A", "#BCBD22", "#FF9DA7",
    "#2F4F4F", "#C49C94", "#98DF8A", "#FFBB78",
]
#: How many strategies (besides the baseline) the overlay plots show.
TOP_CURVES = 5
RC = {
    "svg.fonttype": "none",
    # A fixed salt makes the ids matplotlib gives paths and clips the same on every run,
    # so the same summary always renders to the same bytes.
    "svg.hashsalt": "balancekit",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "legend.frameon": False,
    "legend.fontsize": 8,
}
_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)
_NAMESPACES = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_GID = re.compile(r'\s+id="(?:[A-Za-z0-9.]+_)+\d+"')
_SIZE = re.compile(r'<svg([^>]*?)\s+width="([\d.]+)pt"\s+height="([\d.]+)pt"')
# matplotlib's rule for every element, which inside a page would restyle every other SVG on
# it: its declarations become attributes of the figure's root (the properties inherit).
_GLOBAL_STYLE = re.compile(r'\s*<style type="text/css">\*\{([^{}]*)\}</style>')
# Ids and the references to them (clip paths, markers): prefixed per figure, since
# matplotlib gives the same marker or clip the same id in every figure of a page.
_IDS = re.compile(r'(\sid="|url\(#|href="#)')


def strategy_colors(summary):
    """``{strategy name: colour}``, stable across every plot of a report."""
    colors = {}
    others = [s["name"] for s in summary["strategies"] if s["name"] != BASELINE]
    for i, name in enumerate(others):
        colors[name] = PALETTE[i % len(PALETTE)]
    colors[BASELINE] = BASELINE_COLOR
    return colors


#: Unicode's explicit direction controls (embeddings, overrides, isolates, marks). In a name
#: from the data, one would reverse or reorder the text that follows it in the report.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def show_controls(text):
    """``text`` with each direction control written out as ``[U+202E]``, so that a name
    from the data shows what it holds and cannot reorder the text around it."""
    return _BIDI_CONTROLS.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def plain_text(value):
    """``value`` as text matplotlib draws literally: no mathtext, direction controls written
    out (:func:`show_controls`), and a name starting with ``_`` (which matplotlib leaves out
    of legends) behind a zero-width space."""
    text = show_controls(str(value)).replace("$", r"\$")
    return "\u200b" + text if text.startswith("_") else text


# Longest class or strategy name shown whole in a plot or a table header (the full name is in
# a tooltip or in the ranking table).
LABEL_CHARS = 32


def short_label(value):
    """A class or strategy name cut to ``LABEL_CHARS`` characters, with an ellipsis where it
    was cut."""
    text = str(value)
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + "\u2026"


def to_svg(fig):
    """Render a figure as an inline SVG fragment: no prologue, no namespace URLs, well-formed
    XML, no style rule that reaches outside it."""
    buffer = io.StringIO()
    fig.savefig(
        buffer,
        format="svg",
        metadata={"Creator": None, "Date": None, "Format": None, "Type": None},
    )
    svg = _PROLOGUE.sub("", buffer.getvalue(), count=1)
    svg = _NAMESPACES.sub("", svg)
    # SVG 2's plain href: the xlink prefix would need its namespace URL to be well-formed.
    svg = svg.replace(' xlink:href="', ' href="')
    rules = _GLOBAL_STYLE.search(svg)
    if rules is not None:
        attributes = "".join(
            f' {name.strip()}="{value.strip()}"'
            for name, value in (rule.split(":", 1) for rule in rules.group(1).split(";")
                                if ":" in rule))
        svg = _GLOBAL_STYLE.sub("", svg, count=1).replace("<svg", f"<svg{attributes}", 1)
    svg = _GID.sub("", svg)
    # From the figure's own content: unique on a page, the same bytes on every run.
    prefix = "bk" + hashlib.sha1(svg.encode()).hexdigest()[:8] + "-"
    svg = _IDS.sub(lambda m: m.group() + prefix, svg)

    def responsive(match):
        width = float(match.group(2)) * 4 / 3  # points to CSS pixels
        return (
            f'<svg{match.group(1)} class="bk-svg" width="{width:.0f}" '
            f'style="max-width: 100%; height: auto" role="img"'
        )

    return _SIZE.sub(responsive, svg, count=1).strip()


def _figure(width, height, layout="constrained"):
    return Figure(figsize=(width, height), layout=layout)


def metric_bars(summary):
    """Mean of the ranking metric per strategy with its standard deviation, best on top."""
    ranking = summary["ranking"]
    if not ranking:
        return None
    metric = summary["recommendation"]["metric"]
    label = next(m["label"] for m in summary["metrics"] if m["key"] == metric)
    colors = strategy_colors(summary)
    with _style(RC):
        n = len(ranking)
        fig = _figure(7.0, 0.9 + 0.27 * n)
        ax = fig.add_subplot()
        # Long strategy names are cut (the ranking table shows them whole): a name of many
        # characters would leave the bars no room.
        names = [plain_text(short_label(r["strategy"])) for r in ranking][::-1]
        means = [r["mean"] if r["mean"] is not None else math.nan for r in ranking][::-1]
        stds = [r["std"] or 0.0 for r in ranking][::-1]
        bar_colors = []
        for r in ranking[::-1]:
            if r["strategy"] == BASELINE:
                bar_colors.append(BASELINE_COLOR)
            elif r["within_noise"] is False and (r["diff_vs_baseline"] or 0) > 0:
                bar_colors.append(colors[r["strategy"]])
            else:
                bar_colors.append("#c7cdd6")
        y = range(n)
        ax.barh(y, means, xerr=stds, color=bar_colors, height=0.65,
                error_kw={"elinewidth": 1, "capsize": 2, "ecolor": "#374151"})
        ax.set_yticks(list(y), names)
        base = next((r for r in ranking if r["strategy"] == BASELINE), None)
        if base is not None and base["mean"] is not None:
            ax.axvline(base["mean"], color=BASELINE_COLOR, linestyle="--", linewidth=1)
        finite = [m + s for m, s in zip(means, stds, strict=True) if not math.isnan(m)]
        lows = [m - s for m, s in zip(means, stds, strict=True) if not math.isnan(m)]
        if finite:
            low = min(0.0, min(lows))
            high = max(finite)
            ax.set_xlim(low, high + 0.05 * (high - low or 1.0))
        ax.set_xlabel(f"{label} (mean ± standard deviation over folds)")
        ax.grid(axis="x", color="#e5e7eb", linewidth=0.8)
        ax.set_axisbelow(True)
        ax.tick_params(axis="y", length=0)
        return to_svg(fig)


def _curve_axes(ax, kind, prevalence, ticks=(0.0, 0.25, 0.5, 0.75, 1.0)):
    if kind == "pr":
        ax.set_xlabel("Recall")
        ax.set_ylabel("Precision")
        if prevalence is not None:
            ax.axhline(prevalence, color="#9ca3af", linestyle=":", linewidth=1)
    else:
        ax.plot([0, 1], [0, 1], color="#9ca3af", linestyle=":", linewidth=1)
        ax.set_xlabel("False positive rate")
        ax.set_ylabel("True positive rate")
    ax.set_xlim(-0.01, 1.01)
    ax.set_ylim(-0.01, 1.01)
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    ax.set_aspect("equal", adjustable="box")
    ax.grid(color="#f1f5f9", linewidth=0.8)


def _with_curve(summary, kind):
    """``{strategy: curve}`` of the strategies that have a ``kind`` curve (scored models)."""
    return {c["strategy"]: c for c in summary["curves"]["strategies"] if c.get(kind)}


def _xy(curve, kind):
    if kind == "pr":
        return curve["pr"]["recall"], curve["pr"]["precision"], curve["pr"]["average_precision"]
    return curve["roc"]["fpr"], curve["roc"]["tpr"], curve["roc"]["auc"]


def curves_overlay(summary, kind):
    """PR (``kind='pr'``) or ROC (``'roc'``) curves of the baseline and the best strategies."""
    curves = _with_curve(summary, kind)
    if not curves:
        return None
    order = [r["strategy"] for r in summary["ranking"] if r["strategy"] in curves]
    shown = [n for n in order if n != BASELINE][:TOP_CURVES]
    if BASELINE in curves:
        shown.append(BASELINE)
    colors = strategy_colors(summary)
    score_name = "AP" if kind == "pr" else "AUC"
    with _style(RC):
        fig = _figure(4.6, 4.4)
        ax = fig.add_subplot()
        for name in shown:
            x, y, value = _xy(curves[name], kind)
            base = name == BASELINE
            ax.plot(
                x,
                y,
                color=colors[name],
                linewidth=1.8 if not base else 1.4,
                linestyle="--" if base else "-",
                drawstyle="steps-post" if kind == "pr" else "default",
                label=f"{plain_text(short_label(name))} ({score_name} {value:.3f})",
                zorder=3 if base else 2,
            )
        _curve_axes(ax, kind, summary["curves"].get("prevalence"))
        ax.set_title("Precision-recall" if kind == "pr" else "ROC")
        ax.legend(loc="upper right" if kind == "pr" else "lower right", fontsize=7.5)
        return to_svg(fig)


def curves_grid(summary, kind, columns=4):
    """One small PR or ROC panel per strategy, each over the baseline (grey, dashed)."""
    curves = _with_curve(summary, kind)
    order = [r["strategy"] for r in summary["ranking"] if r["strategy"] in curves]
    if not order:
        return None
    colors = strategy_colors(summary)
    rows = math.ceil(len(order) / columns)
    score_name = "AP" if kind == "pr" else "AUC"
    with _style({**RC, "font.size": 7.5, "axes.titlesize": 8}):
        height = 2.05 * rows + 0.5
        # A fixed layout: constrained layout is slow for many panels.
        fig = _figure(7.6, height, layout=None)
        fig.subplots_adjust(left=0.08, right=0.99, bottom=0.5 / height,
                            top=1 - 0.36 / height, wspace=0.3, hspace=0.75)
        axes = fig.subplots(rows, columns, squeeze=False)
        for i, ax in enumerate(axes.flat):
            if i >= len(order):
                ax.set_axis_off()
                continue
            name = order[i]
            if name != BASELINE and BASELINE in curves:
                x, y, _ = _xy(curves[BASELINE], kind)
                ax.plot(x, y, color="#9ca3af", linestyle="--", linewidth=1,
                        drawstyle="steps-post" if kind == "pr" else "default")
            x, y, value = _xy(curves[name], kind)
            ax.plot(x, y, color=colors[name], linewidth=1.5,
                    drawstyle="steps-post" if kind == "pr" else "default")
            _curve_axes(ax, kind, summary["curves"].get("prevalence"), ticks=(0.0, 0.5, 1.0))
            ax.set_xlabel("")
            ax.set_ylabel("")
            title = plain_text(name)
            if len(title) > 24:
                title = title[:23] + "…"
            ax.set_title(f"{title}\n{score_name} {value:.3f}", fontsize=7.5)
        fig.supxlabel("Recall" if kind == "pr" else "False positive rate", fontsize=8,
                      y=0.08 / height, va="bottom")
        fig.supylabel("Precision" if kind == "pr" else "True positive rate", fontsize=8, x=0.01)
        return to_svg(fig)


def _component_label(view, index):
    """``'PC 1 (42% of variance)'``, or ``'PC 1'`` when the share is unknown."""
    variance = view.get("explained_variance") or []
    share = variance[index] if index < len(variance) else None
    if share is None or not math.isfinite(share):
        return f"PC {index + 1}"
    return f"PC {index + 1} ({share:.0%} of variance)"


def pca_unavailable(view):
    """Why the PCA view of ``view`` cannot be drawn, or None when it can."""
    if not view:
        return None
    if view.get("error"):
        return view["error"]
    if not view.get("groups"):
        return "there are no rows to show"
    variance = view.get("explained_variance") or []
    if not any(v is not None and math.isfinite(v) and v > 0 for v in variance):
        return (
            "the preprocessed features have no variance (every column is constant), so "
            "there is no direction to project the rows on"
        )
    return None


def pca_scatter(summary):
    """Original and synthetic rows of one SMOTE-family sampler in 2 principal components."""
    view = summary.get("pca")
    if not view or pca_unavailable(view):
        return None
    labels = []
    for group in view["groups"]:
        if group["label"] not in labels:
            labels.append(group["label"])
    classes = [c["label"] for c in summary["data"]["classes"]]
    class_colors = {
        label: CLASS_PALETTE[(classes.index(label) if label in classes else i) % len(CLASS_PALETTE)]
        for i, label in enumerate(labels)
    }
    with _style(RC):
        fig = _figure(7.6, 4.6)
        ax = fig.add_subplot()
        # Synthetic points first, originals on top with a thin outline: both stay visible.
        for group in sorted(view["groups"], key=lambda g: g["kind"] == "original"):
            original = group["kind"] == "original"
            if group["shown"] < group["n"]:
                shown = f" ({group['shown']:,} of {group['n']:,} shown)"
            else:
                shown = f" ({group['n']:,})"
            ax.scatter(
                group["x"],
                group["y"],
                s=13 if original else 16,
                marker="o" if original else "x",
                linewidths=0.35 if original else 0.9,
                alpha=0.8 if original else 0.7,
                color=class_colors[group["label"]],
                edgecolors="#1f2937" if original else None,
                label=f"{plain_text(short_label(group['label']))}, {group['kind']}{shown}",
            )
        ax.set_xlabel(_component_label(view, 0))
        ax.set_ylabel(_component_label(view, 1))
        ax.grid(color="#f1f5f9", linewidth=0.8)
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), markerscale=1.6,
                  title="class, rows")
        return to_svg(fig)
