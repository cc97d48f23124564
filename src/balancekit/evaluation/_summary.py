"""Ranking, the noise test, the recommendation and :class:`ComparisonResult`."""

import json
import math
import os
import tempfile
from pathlib import Path

import numpy as np

from ..exceptions import InvalidParameterError

#: key -> (label, higher is better, description). The order is the table's order.
METRICS = {
    "pr_auc": ("PR-AUC", True, "average precision of the rare class (area under the PR curve)"),
    "roc_auc": ("ROC-AUC", True, "area under the ROC curve, rare class vs the rest"),
    "precision": ("Precision", True, "precision of the rare class"),
    "recall": ("Recall", True, "recall (sensitivity) of the rare class"),
    "f1": ("F1", True, "F1 score of the rare class"),
    "g_mean": ("G-mean", True, "geometric mean of the per-class recalls"),
    "balanced_accuracy": ("Balanced acc.", True, "mean of the per-class recalls"),
    "mcc": ("MCC", True, "Matthews correlation coefficient"),
    "brier": ("Brier", False, "Brier score of the rare-class probability (lower is better)"),
    "fit_time": (
        "Fit time (s)",
        False,
        "seconds to fit the pipeline (preprocessing, resampling, model) on one training fold",
    ),
}
#: Metrics ``scoring`` may rank by, with the other names they go by.
SCORING_ALIASES = {
    "pr_auc": "pr_auc",
    "average_precision": "pr_auc",
    "roc_auc": "roc_auc",
    "precision": "precision",
    "recall": "recall",
    "sensitivity": "recall",
    "f1": "f1",
    "g_mean": "g_mean",
    "geometric_mean": "g_mean",
    "balanced_accuracy": "balanced_accuracy",
    "mcc": "mcc",
    "matthews_corrcoef": "mcc",
    "brier": "brier",
    "brier_score": "brier",
}
#: A difference from the baseline smaller than this many standard errors is "within noise".
NOISE_Z = 2.0


def check_scoring(scoring):
    """Return the metric key ``scoring`` names (``None`` means ``'pr_auc'``)."""
    if scoring is None:
        return "pr_auc"
    if not isinstance(scoring, str) or scoring.lower() not in SCORING_ALIASES:
        raise InvalidParameterError(
            f"scoring={scoring!r} is not supported; expected one of "
            f"{', '.join(repr(k) for k in SCORING_ALIASES)}."
        )
    return SCORING_ALIASES[scoring.lower()]


def jsonable(value):
    """Return ``value`` with numpy types made plain Python and NaN/inf made ``None``."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def paired_difference(scores, reference, *, test_fraction, higher_is_better=True):
    """Compare two strategies on the same folds.

    The per-fold differences are paired (both strategies saw the same rows).
    Their standard error uses the correction of Nadeau and Bengio for the
    overlap between training sets of cross-validation folds:
    ``se = sd(d) * sqrt(1/J + n_test/n_train)`` over the ``J`` folds, so a
    difference is not called real because the folds share most of their rows.

    Parameters
    ----------
    scores, reference : array-like of shape (n_folds,)
        The metric per fold, for the strategy and for the reference.
    test_fraction : float
        ``n_test / n_train`` of one fold (``1 / (k - 1)`` for k-fold).
    higher_is_better : bool, default=True
        The direction of the metric; the difference is signed so that a
        positive value is an improvement.

    Returns
    -------
    result : dict
        ``{'diff': mean improvement, 'se': standard error, 'within_noise':
        bool}``; ``within_noise`` is true when ``|diff| <= 2 * se``.
    """
    a = np.asarray(scores, dtype=np.float64)
    b = np.asarray(reference, dtype=np.float64)
    ok = np.isfinite(a) & np.isfinite(b)
    if ok.sum() < 2:
        return {"diff": None, "se": None, "within_noise": None}
    d = a[ok] - b[ok]
    if not higher_is_better:
        d = -d
    n = d.size
    se = float(np.std(d, ddof=1) * math.sqrt(1.0 / n + test_fraction))
    diff = float(d.mean())
    return {"diff": diff, "se": se, "within_noise": bool(abs(diff) <= NOISE_Z * se)}


def rank_strategies(strategies, metric):
    """Rank the strategies that ran by the mean of ``metric``, best first.

    Parameters
    ----------
    strategies : list of dict
        The ``'strategies'`` entries of a summary.
    metric : str
        The metric key.

    Returns
    -------
    ranking : list of dict
        One dict per strategy that did not fail: ``rank``, ``strategy``,
        ``description``, ``metric``, ``mean``, ``std``, the mean of every
        metric under ``means``, and the comparison with the baseline
        (``diff_vs_baseline``, ``se``, ``within_noise``).
    """
    higher = METRICS[metric][1]
    ran = [s for s in strategies if s["status"] == "ok"]

    def key(item):
        value = item[1]["metrics"][metric]["mean"]
        if value is None:
            return (1, 0.0, item[0])
        return (0, -value if higher else value, item[0])

    ordered = [s for _, s in sorted(enumerate(ran), key=key)]
    ranking = []
    for rank, s in enumerate(ordered, start=1):
        stats = s["metrics"][metric]
        versus = s.get("vs_baseline", {}).get(metric, {})
        ranking.append(
            {
                "rank": rank,
                "strategy": s["name"],
                "description": s["description"],
                "metric": metric,
                "mean": stats["mean"],
                "std": stats["std"],
                "means": {k: v["mean"] for k, v in s["metrics"].items()},
                "stds": {k: v["std"] for k, v in s["metrics"].items()},
                "diff_vs_baseline": versus.get("diff"),
                "se": versus.get("se"),
                "within_noise": versus.get("within_noise"),
            }
        )
    return ranking


def recommend(ranking, metric, baseline="baseline"):
    """Pick the best strategy and say whether it beats the baseline beyond noise.

    Parameters
    ----------
    ranking : list of dict
        The output of :func:`rank_strategies`.
    metric : str
        The metric key the ranking used.
    baseline : str, default='baseline'
        The name of the reference strategy.

    Returns
    -------
    recommendation : dict
        ``strategy`` (None when every strategy failed), ``metric``,
        ``within_noise`` (None when there is nothing to compare with),
        ``diff_vs_baseline``, ``se`` and a one-paragraph ``message``.
    """
    label = METRICS[metric][0]
    out = {"strategy": None, "metric": metric, "within_noise": None, "diff_vs_baseline": None,
           "se": None, "message": ""}
    if not ranking:
        out["message"] = "Every strategy failed on this data; see the errors of each strategy."
        return out
    best = ranking[0]
    out["strategy"] = best["strategy"]
    base = next((r for r in ranking if r["strategy"] == baseline), None)
    value = _fmt(best["mean"])
    if best["strategy"] == baseline:
        out["within_noise"] = False
        out["diff_vs_baseline"] = 0.0
        out["message"] = (
            f"Training on the data as it is ({baseline}) has the best {label} ({value}): no "
            "resampling or class-weighting strategy improved on it. Keep the data unbalanced "
            "and, if the rare class matters more, tune the decision threshold instead."
        )
        return out
    if base is None or best["within_noise"] is None:
        out["message"] = (
            f"{best['strategy']} has the best {label} ({value}). There is no {baseline} result "
            "to compare it with, so whether it helps at all is unknown."
        )
        return out
    out["within_noise"] = best["within_noise"]
    out["diff_vs_baseline"] = best["diff_vs_baseline"]
    out["se"] = best["se"]
    diff = best["diff_vs_baseline"]
    margin = f"{diff:+.3f} ± {NOISE_Z * best['se']:.3f}"
    if best["within_noise"]:
        out["message"] = (
            f"{best['strategy']} has the best {label} ({value} vs {_fmt(base['mean'])} for "
            f"{baseline}), but the difference ({margin}) is within noise: on this data it is "
            f"not reliably better than training without resampling, which stays the simpler "
            "choice."
        )
    else:
        out["message"] = (
            f"Use {best['strategy']}: it has the best {label}, {value} vs {_fmt(base['mean'])} "
            f"for {baseline} ({margin}, beyond {NOISE_Z:g} standard errors of the paired "
            "fold differences)."
        )
    return out


def _fmt(value):
    return "n/a" if value is None else f"{value:.3f}"


def check_output_path(path):
    """Return ``path`` as a Path, raising early if its directory does not exist."""
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(
            2, f"the output directory '{path.parent}' does not exist; create it first",
            str(path.parent),
        )
    if path.is_dir():
        raise IsADirectoryError(21, f"the output '{path}' is a directory", str(path))
    return path


def write_text_atomic(path, text):
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and ``os.replace``."""
    path = check_output_path(path)
    directory = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def _file_mode(path):
    """The permissions of the file ``path`` replaces, or the umask's default for a new one."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


class ComparisonResult:
    """The outcome of :func:`~balancekit.evaluation.compare`.

    Everything is read from one plain, JSON-serialisable summary dict, so
    the JSON file, the HTML report and the notebook view always agree.

    Parameters
    ----------
    summary : dict
        The summary built by :func:`~balancekit.evaluation.compare` (or read
        back with :meth:`from_json`).

    Attributes
    ----------
    summary : dict
        Data overview (class counts, rows, columns, categorical columns),
        settings, per-strategy metrics (mean, standard deviation and the
        value of every fold), ranking, recommendation, skipped and failed
        strategies, curves, confusion matrices and the PCA view.

    Examples
    --------
    >>> from balancekit.datasets import load_transactions
    >>> from balancekit.evaluation import compare
    >>> X, y = load_transactions(return_X_y=True)
    >>> result = compare(X, y, strategies=["baseline", "smote"], cv=3)  # doctest: +SKIP
    >>> result.recommendation["strategy"]  # doctest: +SKIP
    'baseline'
    """

    def __init__(self, summary):
        self.summary = summary

    @property
    def ranking(self):
        """list of dict: one entry per strategy that ran, best first."""
        return self.summary["ranking"]

    @property
    def recommendation(self):
        """dict: ``strategy``, ``metric``, ``within_noise`` and ``message``."""
        return self.summary["recommendation"]

    def to_json(self, path=None, *, indent=2):
        """Return the summary as JSON text; with ``path``, also write it there atomically.

        Parameters
        ----------
        path : str or path-like, default=None
            Where to write the JSON. The file is written to a temporary file in
            the same directory first, then moved into place.
        indent : int, default=2
            Indentation of the JSON text.

        Returns
        -------
        text : str
            The JSON document (strict: no NaN or infinity).
        """
        text = json.dumps(self.summary, indent=indent, allow_nan=False, ensure_ascii=False)
        if path is not None:
            write_text_atomic(path, text + "\n")
        return text

    @classmethod
    def from_json(cls, source):
        """Read a result back from JSON text or from a file written by :meth:`to_json`.

        Parameters
        ----------
        source : str or path-like
            The JSON text, or the path of a JSON file.

        Returns
        -------
        result : ComparisonResult
        """
        text = str(source)
        if not text.lstrip().startswith("{"):
            text = Path(source).read_text(encoding="utf-8")
        return cls(json.loads(text))

    def to_html(self):
        """Return the report as one self-contained HTML document (str)."""
        from ..report import render_html

        return render_html(self.summary)

    def save_html(self, path):
        """Write the HTML report to ``path`` atomically and return the path.

        Parameters
        ----------
        path : str or path-like
            The output file.

        Returns
        -------
        path : pathlib.Path
        """
        path = check_output_path(path)  # fail before the report is rendered
        return write_text_atomic(path, self.to_html())

    def _repr_html_(self):
        from ..report import render_html

        return render_html(self.summary, standalone=False)

    def __repr__(self):
        rec = self.recommendation
        n = len(self.summary.get("strategies", []))
        return (
            f"<ComparisonResult: {n} strategies, best {rec['strategy']!r} by {rec['metric']}, "
            f"within_noise={rec['within_noise']}>"
        )
