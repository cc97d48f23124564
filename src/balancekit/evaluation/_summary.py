"""Ranking, the noise test, the recommendation and :class:`ComparisonResult`."""

import errno
import json
import math
import os
import tempfile
from pathlib import Path

import numpy as np

from ..exceptions import InvalidParameterError, InvalidParameterTypeError

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
#: Significance level of the test that decides whether a strategy differs from the baseline.
ALPHA = 0.05
#: Paired fold differences all smaller than this are ties, and a spread of them smaller than
#: this is none (floating-point rounding, not a gain or a spread).
TIE_TOLERANCE = 1e-12
#: What the test does, in words (the summary's ``settings['noise_rule']`` and the reports).
NOISE_RULE = (
    "the two-sided corrected resampled t-test (Nadeau and Bengio, 2003) of its paired fold "
    "differences from the baseline (Student t with n_folds - 1 degrees of freedom, variance "
    "inflated for the overlap of the training folds) is not significant at the {alpha:.0%} "
    "level after Holm's correction for the number of strategies compared with the baseline"
)


def check_scoring(scoring):
    """Return the metric key ``scoring`` names (``None`` means ``'pr_auc'``)."""
    if scoring is None:
        return "pr_auc"
    if isinstance(scoring, (list, tuple, set, frozenset, dict)):
        raise InvalidParameterTypeError(
            f"scoring={scoring!r} names several metrics; scoring is the one metric that ranks "
            "the strategies (every metric is reported anyway): pass one name, such as "
            "'pr_auc'."
        )
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


def paired_difference(scores, reference, *, test_fraction, higher_is_better=True, alpha=ALPHA):
    """Compare two strategies on the same folds with the corrected resampled t-test.

    The per-fold differences ``d_j`` are paired (both strategies were trained
    and scored on the same rows). Cross-validation folds share most of their
    training rows, so the differences are correlated and their plain
    variance understates the uncertainty of their mean. The corrected
    resampled t-test of Nadeau and Bengio (2003) inflates it for that
    overlap::

        t = mean(d) / sqrt(var(d) * (1/J + n_test/n_train)),

    with ``J`` the number of folds in total (``cv * repeats``) on which both
    scores are defined, and compares
    ``t`` with Student's t distribution with ``J - 1`` degrees of freedom
    (two-sided). With 3 folds the 5% critical value is 4.30, not 2: an
    estimate of the variance from 3 folds is itself very uncertain.

    The p-value here is for this one comparison; when several strategies
    are compared with the same baseline, :func:`adjust_for_comparisons`
    corrects it for their number.

    Parameters
    ----------
    scores, reference : array-like of shape (n_folds,)
        The metric per fold, for the strategy and for the reference. Folds
        where either is not finite are left out.
    test_fraction : float
        ``n_test / n_train`` of one fold (``1 / (k - 1)`` for k-fold; the
        mean validation rows over the mean training rows for folds of
        unequal sizes).
    higher_is_better : bool, default=True
        The direction of the metric; the difference is signed so that a
        positive value is an improvement.
    alpha : float, default=0.05
        The significance level.

    Returns
    -------
    result : dict
        ``diff`` (mean improvement), ``se`` (its corrected standard error),
        ``t`` (the statistic, infinite when every fold differs by the same
        non-zero amount), ``df`` (``J - 1``), ``n_folds`` (``J``),
        ``p_value`` (two-sided; when every fold differs by the same amount,
        that of the exact sign test, ``2 * 0.5**J``), ``p_adjusted`` (equal to ``p_value`` until
        :func:`adjust_for_comparisons` corrects it), ``n_comparisons`` (1)
        and ``within_noise`` (``p_adjusted > alpha``). With fewer than 2
        usable folds there is no test: every value but ``n_folds`` is None.
        Differences all below ``1e-12`` in size are ties: ``p_value`` is 1.
    """
    from scipy import stats

    a = np.asarray(scores, dtype=np.float64)
    b = np.asarray(reference, dtype=np.float64)
    ok = np.isfinite(a) & np.isfinite(b)
    n = int(ok.sum())
    out = {"diff": None, "se": None, "t": None, "df": None, "n_folds": n, "p_value": None,
           "p_adjusted": None, "n_comparisons": 1, "within_noise": None}
    if n < 2:
        return out
    d = a[ok] - b[ok]
    if not higher_is_better:
        d = -d
    diff = float(d.mean())
    se = float(np.std(d, ddof=1) * math.sqrt(1.0 / n + test_fraction))
    if np.all(np.abs(d) <= TIE_TOLERANCE):
        t, p, diff = 0.0, 1.0, 0.0  # a tie, shown as +0.000 rather than -0.000
    elif se <= TIE_TOLERANCE:
        # Every fold improved (or lost) by the same amount, up to rounding: the t statistic is
        # undefined (no spread to judge the difference by). The exact sign test of n folds
        # that all agree gives 2 * 0.5**n: 0.5 with 2 folds, 0.002 with 10.
        t, p = math.copysign(math.inf, diff), min(1.0, 2.0 * 0.5**n)
    else:
        t = diff / se
        p = float(2.0 * stats.t.sf(abs(t), n - 1))
    out.update(diff=diff, se=se, t=t, df=n - 1, p_value=p, p_adjusted=p,
               within_noise=bool(p > alpha))
    return out


def adjust_for_comparisons(results, alpha=ALPHA):
    """Correct the p-values of several strategies compared with one baseline (Holm).

    Picking the best of ``m`` strategies and testing it alone would call a
    gain real far more often than ``alpha`` on data where no strategy helps:
    with 16 independent tests at 5%, at least one passes by chance 56% of the
    time (``1 - 0.95**16``). Holm's step-down method (Holm, 1979) bounds the probability of
    calling *any* of the ``m`` differences real when none is by ``alpha``,
    whatever the dependence between the tests (they share the baseline's
    folds, so they are correlated). It is never less powerful than the
    Bonferroni correction (``m * p``), and its adjusted p-value for the
    smallest p is exactly Bonferroni's, so "significant after correcting
    for m comparisons" means what a reader expects.

    Parameters
    ----------
    results : list of dict
        Outputs of :func:`paired_difference`, one per strategy compared with
        the baseline (not the baseline itself); updated in place. Entries
        without a p-value (too few folds) are not counted.
    alpha : float, default=0.05
        The family-wise significance level.

    Returns
    -------
    results : list of dict
        The same dicts, with ``p_adjusted`` (Holm), ``n_comparisons`` (``m``)
        and ``within_noise`` (``p_adjusted > alpha``) set.
    """
    tested = [r for r in results if r.get("p_value") is not None]
    m = len(tested)
    running = 0.0
    for rank, r in enumerate(sorted(tested, key=lambda r: r["p_value"])):
        running = max(running, min(1.0, (m - rank) * r["p_value"]))
        r["p_adjusted"] = running
        r["n_comparisons"] = m
        r["within_noise"] = bool(running > alpha)
    for r in results:
        if r.get("p_value") is None:
            r["n_comparisons"] = m
    return results


def rank_strategies(strategies, metric, baseline="baseline"):
    """Rank the strategies that ran by the mean of ``metric``, best first.

    Of equal means, ``baseline`` comes first (the simpler choice), then the
    order of ``strategies``.

    Parameters
    ----------
    strategies : list of dict
        The ``'strategies'`` entries of a summary.
    metric : str
        The metric key.
    baseline : str, default='baseline'
        The name of the reference strategy.

    Returns
    -------
    ranking : list of dict
        One dict per strategy that did not fail: ``rank``, ``strategy``,
        ``description``, ``metric``, ``mean``, ``std``, the mean of every
        metric under ``means``, its standard deviation under ``stds`` and its
        number of folds under ``fold_counts`` (the folds where it is
        defined, which the mean and standard deviation are over), and the comparison with the baseline
        (``diff_vs_baseline``, ``se``, ``within_noise``, ``p_value``,
        ``p_adjusted``, ``df``, ``n_folds``, ``n_comparisons``; see
        :func:`paired_difference` and :func:`adjust_for_comparisons`).
    """
    higher = METRICS[metric][1]
    ran = [s for s in strategies if s["status"] == "ok"]

    def key(item):
        value = item[1]["metrics"][metric]["mean"]
        later = item[1]["name"] != baseline
        if value is None:
            return (1, 0.0, later, item[0])
        return (0, -value if higher else value, later, item[0])

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
                "fold_counts": {k: v.get("n_folds") for k, v in s["metrics"].items()},
                "diff_vs_baseline": versus.get("diff"),
                "se": versus.get("se"),
                "within_noise": versus.get("within_noise"),
                "p_value": versus.get("p_value"),
                "p_adjusted": versus.get("p_adjusted"),
                "df": versus.get("df"),
                "n_folds": versus.get("n_folds"),
                "n_comparisons": versus.get("n_comparisons"),
            }
        )
    return ranking


def recommend(ranking, metric, baseline="baseline", alpha=ALPHA, *, failed=None,
              baseline_weighted=False, not_run=()):
    """Pick the best strategy and say whether it beats the baseline beyond noise.

    The best strategy is the one with the best mean; its gain over the
    baseline is "beyond noise" when the corrected resampled t-test of the
    paired fold differences (:func:`paired_difference`) is significant at
    level ``alpha`` after Holm's correction for the number of strategies
    compared with the baseline (:func:`adjust_for_comparisons`), since the
    best of many is likely to look better by chance.

    Parameters
    ----------
    ranking : list of dict
        The output of :func:`rank_strategies`.
    metric : str
        The metric key the ranking used.
    baseline : str, default='baseline'
        The name of the reference strategy.
    alpha : float, default=0.05
        The significance level the ranking's ``within_noise`` flags used
        (only quoted in the message).
    failed : list of str, default=None
        The names of the strategies that failed, when known: the message
        then says whether the baseline stands alone because the others
        failed or because it was the only strategy asked for.
    baseline_weighted : bool, default=False
        Whether the baseline's model already weights or resamples the
        classes itself: the message then does not call it training on the
        data as it is.
    not_run : sequence of str, default=()
        The strategies an interrupt left out: the message says that the
        baseline stands alone because of it.

    Returns
    -------
    recommendation : dict
        ``strategy`` (None when every strategy failed), ``metric``,
        ``within_noise`` (None when there is nothing to compare with, or too
        few folds for a test), ``diff_vs_baseline``, ``se``, ``p_value``
        (the test of the best strategy alone), ``p_adjusted`` (corrected
        for the comparisons), ``df``, ``n_folds``, ``n_comparisons``,
        ``alpha`` and a one-paragraph ``message``.
    """
    label = METRICS[metric][0]
    out = {"strategy": None, "metric": metric, "within_noise": None, "diff_vs_baseline": None,
           "se": None, "p_value": None, "p_adjusted": None, "df": None, "n_folds": None,
           "n_comparisons": None, "alpha": alpha, "message": ""}
    if not ranking:
        out["message"] = "Every strategy failed on this data; see the errors of each strategy."
        return out
    best = ranking[0]
    if best["mean"] is None:
        # The ranking puts undefined means last: none of the strategies has the metric.
        out["message"] = (
            f"No strategy has a {label}: it could not be computed on any fold (see the "
            "warnings of each strategy). Rank by another scoring."
        )
        return out
    out["strategy"] = best["strategy"]
    base = next((r for r in ranking if r["strategy"] == baseline), None)
    value = _fmt(best["mean"])
    if best["strategy"] == baseline:  # the reference itself: nothing tested
        out["diff_vs_baseline"] = 0.0
        if len(ranking) == 1:
            if not_run:
                out["message"] = (
                    f"Only {baseline} was evaluated ({label} {value}): the comparison was "
                    f"interrupted before {', '.join(not_run)} had every fold fitted, so there "
                    "is nothing to compare it with. Run it again to the end."
                )
            elif failed:
                names = ", ".join(failed)
                out["message"] = (
                    f"Only {baseline} ran ({label} {value}); every other strategy failed on "
                    f"this data ({names}), so there is nothing to compare it with. See the "
                    "errors of each strategy."
                )
            elif failed is None:
                out["message"] = (
                    f"Only {baseline} has a result ({label} {value}), so there is nothing to "
                    "compare it with."
                )
            else:
                out["message"] = (
                    f"Only {baseline} was evaluated ({label} {value}): there is no other "
                    "strategy to compare it with. Add strategies (e.g. 'class_weight', "
                    "'random_under', 'smote') to see whether any of them improves on it."
                )
            return out
        if baseline_weighted:
            out["message"] = (
                f"The estimator as given ({baseline}) has the best {label} ({value}), but it "
                "already weights or resamples the classes itself, so it is not training on the "
                "data as it is: no strategy added on top of it improved on it. Keep the "
                "estimator as it is; compare with an unweighted estimator to see whether its "
                "own balancing helps."
            )
            return out
        out["message"] = (
            f"Training on the data as it is ({baseline}) has the best {label} ({value}): no "
            "resampling or class-weighting strategy improved on it. Keep the data unbalanced "
            "and, if the rare class matters more, tune the decision threshold instead."
        )
        return out
    if base is None or best["diff_vs_baseline"] is None:
        if base is not None and best.get("n_folds") is not None:
            out["n_folds"] = best["n_folds"]
            out["message"] = (
                f"{best['strategy']} has the best {label} ({value} vs {_fmt(base['mean'])} for "
                f"{baseline}), but {_count(best['n_folds'], 'fold')} scored both it and "
                f"{baseline}: too few for a test of the difference, which needs at least 2. "
                "Use more folds or repeats to tell whether it helps."
            )
        else:
            out["message"] = (
                f"{best['strategy']} has the best {label} ({value}). There is no {baseline} "
                "result to compare it with, so whether it helps at all is unknown."
            )
        return out
    for key in ("within_noise", "se", "p_value", "p_adjusted", "df", "n_folds", "n_comparisons"):
        out[key] = best.get(key)
    out["diff_vs_baseline"] = best["diff_vs_baseline"]
    diff = best["diff_vs_baseline"]
    m = best.get("n_comparisons") or 1
    level = f"{alpha:.0%}"
    if m > 1:
        picked = f"of the {m} strategies compared with {baseline}, {best['strategy']} has"
        corrected = f"after correcting for the {m} comparisons"
        p_words = "adjusted p"
    else:
        picked = f"compared with {baseline}, {best['strategy']} has"
        corrected = ""
        p_words = "p"
    test = (
        f"corrected resampled t-test over {best['n_folds']} folds, "
        f"{p_words} {_fmt_p(best['p_adjusted'])}"
    )
    higher = METRICS[metric][1]
    versus = f"{value} vs {_fmt(base['mean'])} for {baseline} ({_change(diff, higher)})"
    if best["within_noise"]:
        others = [
            r for r in ranking
            if r["strategy"] != baseline and r["within_noise"] is False
            and (r["diff_vs_baseline"] or 0) > 0
        ]
        message = (
            f"{_capitalize(picked)} the best {label}, {versus}, but the gain is within noise: "
            f"it is not significant at the {level} level{' ' + corrected if corrected else ''} "
            f"({test}). On this data it is not reliably better than "
            + ("the estimator as given, which already balances the classes itself"
               if baseline_weighted else "training without resampling")
            + ", which stays the simpler choice."
        )
        if others:
            other = others[0]
            message += (
                f" {other['strategy']}, with a smaller gain "
                f"({_change(other['diff_vs_baseline'], higher)}), "
                f"is significantly better than {baseline} (adjusted p "
                f"{_fmt_p(other['p_adjusted'])})."
            )
        out["message"] = message
    else:
        out["message"] = (
            f"Use {best['strategy']}: {picked} the best {label}, {versus}. The gain over "
            f"{baseline} is significant at the {level} level"
            f"{' ' + corrected if corrected else ''} ({test})."
        )
    return out


def _change(gain, higher_is_better):
    """The change of the metric from the baseline, signed as the two values it follows:
    ``+0.012``, or ``-0.012, lower is better`` for a gain in a lower-is-better metric (the
    gain of :func:`paired_difference` is positive when better); ``±0.000`` when it rounds to
    zero."""
    text = fmt_signed(gain if higher_is_better else -gain)
    return text if higher_is_better else f"{text}, lower is better"


def _fmt_p(p):
    """``= 0.034``, ``< 0.001`` or ``= n/a``."""
    if p is None:
        return "= n/a"
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def _count(n, word):
    return f"{'no' if n == 0 else n} {word}{'' if n == 1 else 's'}"


def _capitalize(text):
    return text[:1].upper() + text[1:]


def _fmt(value):
    return "n/a" if value is None else f"{value:.3f}"


def positive_role(data):
    """How the reports call the class a summary's ``data`` scores: ``'rare class'``, or
    ``'positive class'`` for a ``pos_label`` naming a larger class."""
    return "rare class" if data.get("positive_is_rare", True) else "positive class"


def fmt_signed(value, digits=3):
    """``+0.012``; a value that rounds to zero is ``±0.000``, never ``-0.000`` (the table,
    the report and the recommendation write a gain alike); an en dash for a missing one."""
    if value is None:
        return "–"
    if round(value, digits) == 0:
        return f"±{0:.{digits}f}"
    return f"{value:+.{digits}f}"


def partial_folds(summary):
    """``{strategy: {metric key: folds}}`` of the means of the ranking that are over fewer
    than all the folds, because the metric is undefined on the others (a validation fold
    without the positive class has no PR-AUC or ROC-AUC)."""
    total = summary.get("settings", {}).get("n_folds")
    out = {}
    for row in summary.get("ranking", []):
        for key, n in (row.get("fold_counts") or {}).items():
            if total and n and n < total:
                out.setdefault(row["strategy"], {})[key] = n
    return out


def partial_folds_note(summary, keys=None):
    """The metrics whose means are over fewer than all the folds, and of which strategies, in
    words (``'PR-AUC and ROC-AUC over 4 of the 5 folds (every strategy)'``, parts joined by
    ``'; '``), or ''. With ``keys``, only those metrics are named."""
    labels = {m["key"]: m["label"] for m in summary.get("metrics", [])}
    total = summary.get("settings", {}).get("n_folds")
    partial = partial_folds(summary)
    groups = {}  # (folds, metric labels) -> strategies
    for name, counts in partial.items():
        by_count = {}
        for key, n in counts.items():
            if keys is None or key in keys:
                by_count.setdefault(n, []).append(labels.get(key, key))
        for n, names in by_count.items():
            groups.setdefault((n, tuple(names)), []).append(name)
    ranked = len(summary.get("ranking", []))
    parts = []
    for (n, names), strategies in groups.items():
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        which = ("every strategy" if len(strategies) == ranked > 1
                 else ", ".join(strategies))
        parts.append(f"{listed} over {n} of the {total} folds ({which})")
    return "; ".join(parts)


def check_output_path(path):
    """Return ``path`` as a Path, raising early if its directory does not exist."""
    path = Path(path)
    if path.parent.exists() and not path.parent.is_dir():
        raise NotADirectoryError(
            errno.ENOTDIR, f"the output's directory '{path.parent}' is a file, not a directory",
            str(path.parent),
        )
    if not path.parent.is_dir():
        raise FileNotFoundError(
            errno.ENOENT, f"the output directory '{path.parent}' does not exist; create it first",
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
        What the JSON file holds (missing or undefined values are ``null``):

        - ``kind`` (``'balancekit.comparison'``), ``version`` (of balancekit),
          ``elapsed_seconds``.
        - ``data``: ``n_rows``, ``n_columns``, ``numeric_columns``,
          ``categorical_columns``, ``identifier_columns`` (text columns of
          almost one value per row, numeric columns of row numbers),
          ``missing_values`` (per column), ``duplicate_rows`` (rows that
          repeat an earlier row, label included), ``classes`` (``label``,
          ``count``, ``share``), ``positive_label`` (the rare class, or
          ``pos_label``), ``positive_is_rare`` (whether it is the smallest
          class; the reports call it the positive class otherwise),
          ``train_fold_counts`` (the
          class counts of the first training fold) and ``imbalance_ratio``
          (largest class / smallest).
        - ``settings``: the estimator, folds (``cv``, ``repeats``,
          ``n_folds``, ``splitter``, groups), ``scoring``, ``score_method``
          (``predict_proba`` or ``decision_function``, the scores of the
          curves and AUCs), ``pos_label``, ``random_state``, ``n_jobs``,
          ``preprocessing``, the noise rule and test, ``alpha``.
        - ``metrics``: ``key``, ``label``, ``higher_is_better`` and
          ``description`` of each metric.
        - ``strategies``: per strategy, ``name``, ``description``, ``kind``,
          ``status`` (``'ok'`` or ``'failed'``), ``error``, ``warnings``;
          ``metrics`` (per metric: ``mean``, ``std``, the value of each
          fold under ``folds`` and ``n_folds``, the number of folds where it
          is defined, which ``mean`` and ``std`` are over); ``class_counts_after`` (the class counts the
          model was fitted on in the first training fold, after resampling);
          ``precision_undefined_folds`` (folds where no row was predicted as
          the rare class, precision counted 0); ``lost_class_folds`` (the
          classes whose every training row the sampler removed, ``label`` and
          number of ``folds``); ``vs_baseline`` (per metric,
          the paired comparison with the baseline over the folds: ``diff``,
          ``se``, ``t``, ``df``, ``n_folds``, ``p_value``, ``p_adjusted``
          (Holm), ``n_comparisons``, ``within_noise``; ``null`` where there
          is nothing to test, for the baseline itself among others). A
          failed strategy has these fields too: ``class_counts_after``,
          ``precision_undefined_folds``, ``lost_class_folds`` and
          ``vs_baseline`` are ``null``, ``metrics`` is empty.
        - ``ranking``: the strategies that ran, best first, with ``rank``,
          ``mean``, ``std``, ``means``, ``stds`` and ``fold_counts`` of every
          metric and the
          ``vs_baseline`` values of the ranking metric (``diff_vs_baseline``,
          ...).
        - ``recommendation``: ``strategy`` (``null`` when every strategy
          failed), ``metric``, ``within_noise``, the test's values and a
          ``message``.
        - ``skipped`` and ``failed`` (``strategy`` and ``reason`` or
          ``error``), ``notes`` (sentences about the whole run), ``not_run``
          (the strategies an interrupt left out, empty otherwise: see
          :class:`~balancekit.evaluation.ComparisonInterrupted`).
        - ``curves``: ``positive_label``, ``prevalence`` and, per strategy,
          its PR and ROC curves and confusion matrix over the pooled folds of
          the first repeat (for a splitter or given splits, the first splits
          whose validation rows do not overlap; ``settings['pooled']`` says
          which).
        - ``pca``: the 2-D view of original and synthetic rows of the best
          SMOTE-family strategy (``null`` when there is none, and after an
          interrupt).

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
            The result, with the summary read back.
        """
        text = str(source)
        # A path is always a file, even one whose name starts with '{'.
        if isinstance(source, os.PathLike) or not text.lstrip().startswith("{"):
            text = Path(source).read_text(encoding="utf-8")
        return cls(json.loads(text))

    def to_html(self):
        """Return the report as one self-contained HTML document.

        Returns
        -------
        html : str
            The HTML document, with no network access needed to view it.
        """
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
            The path of the written file.
        """
        path = check_output_path(path)  # fail before the report is rendered
        return write_text_atomic(path, self.to_html())

    def _repr_html_(self):
        from ..report import render_html

        return render_html(self.summary, standalone=False)

    def __repr__(self):
        rec = self.recommendation
        n = len(self.summary.get("strategies", []))
        failed = len(self.summary.get("failed", []))
        count = f"{n} strateg{'y' if n == 1 else 'ies'}" + (f" ({failed} failed)" if failed else "")
        return (
            f"<ComparisonResult: {count}, best {rec['strategy']!r} by {rec['metric']}, "
            f"within_noise={rec['within_noise']}>"
        )
