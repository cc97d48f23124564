"""A JSON-ready summary of how a classifier does on imbalanced classes."""

import math
import warnings

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    confusion_matrix,
    matthews_corrcoef,
    precision_recall_fscore_support,
    roc_auc_score,
)

from .._validation import check_int
from ..exceptions import DataError, InvalidParameterError, InvalidParameterTypeError
from ._classification import (
    MAX_DIGITS,
    _check_targets,
    geometric_mean_score,
    sensitivity_specificity_support,
)

__all__ = ["imbalance_report", "format_imbalance_report"]

# Weighting factor of the index balanced accuracy, as in classification_report_imbalanced.
_ALPHA = 0.1
# Scores of probabilities summing to one within this tolerance are read as probabilities.
_SUM_TOLERANCE = 1e-4
_CLASS_METRICS = ("precision", "recall", "specificity", "f1", "g_mean", "iba")
_SCORE_METRICS = ("roc_auc", "pr_auc")


def imbalance_report(y_true, y_pred, y_score=None, *, pos_label=None, labels=None):
    """Summarise a classifier's results on imbalanced classes in a plain dict.

    The summary puts the rare class first: its precision, recall, F1,
    specificity and G-mean, next to the accuracy and the accuracy of always
    predicting the majority class (so that the accuracy paradox is visible),
    the balanced accuracy, the Matthews correlation coefficient, the
    confusion matrix and a row of metrics per class, as in
    :func:`classification_report_imbalanced`. When ``y_score`` is given, it
    adds the ROC-AUC, the PR-AUC (average precision) and, for probabilities,
    the Brier score.

    The dict holds only Python ``int``, ``float``, ``str``, ``bool``,
    ``None``, lists and dicts, so ``json.dumps(report, allow_nan=False)``
    works; a value that is not defined (e.g. the ROC-AUC of a class absent
    from ``y_true``) is ``None``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth (correct) class labels.

    y_pred : array-like of shape (n_samples,)
        Labels predicted by the classifier.

    y_score : array-like of shape (n_samples,) or (n_samples, n_classes), \
            default=None
        Scores of the classifier: for a binary target, one column per class
        in the order of ``labels`` (e.g. ``predict_proba``), or a single
        score per sample (shape ``(n_samples,)``); for a multiclass target,
        one column per class in the order of ``labels``. When every score
        lies in [0, 1] (and, for more than two classes, each row sums to 1)
        the scores are read as probabilities and the Brier score is reported.

        A single binary score follows scikit-learn's convention: it is the
        score of ``pos_label`` when ``pos_label`` is given, and otherwise the
        score of the greater of the two labels (``classes_[1]`` of a
        scikit-learn classifier, as in ``predict_proba(X)[:, 1]`` or
        ``decision_function(X)``), *whichever class is the rare one*. The
        metrics of the rare class are computed from it (from one minus the
        probability, or minus the decision value, when the rare class is the
        other label). So ``imbalance_report(y, clf.predict(X),
        clf.predict_proba(X)[:, 1])`` is right even when the rare class is
        ``classes_[0]``; to pass the score of the rare class instead, name it
        with ``pos_label``.

    pos_label : int, float, bool or str, default=None
        The rare (positive) class. For a binary target it defaults to the
        least frequent label of ``y_true`` (the later label in ``labels``
        order on a tie). For a multiclass target, no class is singled out
        unless ``pos_label`` is given.

    labels : array-like of shape (n_classes,), default=None
        The classes, in the order used for the confusion matrix, the
        per-class rows and the columns of ``y_score``. It must list every
        label found in ``y_true`` and ``y_pred``, and may add classes absent
        from both (e.g. a classifier's ``classes_``). By default, the sorted
        labels of ``y_true`` and ``y_pred``.

    Returns
    -------
    report : dict
        With the keys:

        ``task`` : ``'binary'`` or ``'multiclass'``
        ``n_samples``, ``n_classes`` : int
        ``labels`` : list, the class order used throughout
        ``positive_label`` : the rare class, or None
        ``positive_class`` : dict or None
            ``label``, ``support``, ``prevalence`` (its share of ``y_true``),
            ``precision``, ``recall``, ``f1``, ``specificity``, ``g_mean``
            (``sqrt(recall * specificity)``), ``iba`` (index balanced
            accuracy of the G-mean, ``alpha=0.1``), ``roc_auc``, ``pr_auc``.
        ``accuracy`` : float
        ``baseline_accuracy`` : float
            The accuracy of always predicting the most frequent class of
            ``y_true``.
        ``balanced_accuracy``, ``mcc`` : float
        ``g_mean`` : float
            The root of the product of the recalls of the classes of
            ``y_true`` (:func:`geometric_mean_score`).
        ``score_kind`` : ``'probability'``, ``'decision'`` or None
        ``roc_auc``, ``pr_auc`` : float or None
            Of the positive class for a binary target; one-vs-rest, averaged
            over the classes present in ``y_true`` (macro) for a multiclass
            target.
        ``brier_score`` : float or None
            Binary: mean squared error of the positive-class probability;
            multiclass: mean over samples of the squared distance between
            the probability row and the one-hot label (range [0, 2]).
        ``confusion_matrix`` : dict
            ``labels`` and ``matrix`` (rows: true class, columns: predicted
            class, counts).
        ``per_class`` : list of dict
            One row per class: ``label``, ``precision``, ``recall``,
            ``specificity``, ``f1``, ``g_mean``, ``iba``, ``support``,
            ``roc_auc``, ``pr_auc`` (one-vs-rest).
        ``macro_avg``, ``weighted_avg`` : dict
            The unweighted and support-weighted means of the per-class rows
            (score-based values over the classes where they are defined),
            and the total ``support``.

    Raises
    ------
    DataError
        If ``y_true``, ``y_pred`` and ``y_score`` do not have the same
        length, ``y_score`` does not have a usable shape or holds NaN, or the
        targets hold fewer than two classes.
    InvalidParameterError
        If ``pos_label`` is not one of the labels, or ``labels`` misses a
        label of the data or repeats one.

    See Also
    --------
    format_imbalance_report : The same report as readable text.
    classification_report_imbalanced : The imbalanced-learn style text report.

    Notes
    -----
    Ratios without a denominator (the precision of a class that is never
    predicted, ...) are reported as 0.0, as scikit-learn does; the
    score-based metrics of a class without samples in ``y_true`` are None.

    Examples
    --------
    >>> import json
    >>> from balancekit.metrics import imbalance_report
    >>> y_true = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1]
    >>> y_pred = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    >>> y_score = [0.1, 0.2, 0.1, 0.3, 0.2, 0.1, 0.4, 0.2, 0.45, 0.9]
    >>> report = imbalance_report(y_true, y_pred, y_score)
    >>> report["positive_label"], report["accuracy"], report["positive_class"]["recall"]
    (1, 0.9, 0.5)
    >>> report["roc_auc"]
    1.0
    >>> text = json.dumps(report, allow_nan=False)
    """
    kind, present, y_true, y_pred, _ = _check_targets(y_true, y_pred)
    if kind == "multilabel-indicator":
        raise DataError(
            "imbalance_report needs one class label per sample; got a multilabel indicator matrix."
        )
    labels = _resolve_labels(labels, present)
    n_samples, n_classes = y_true.shape[0], labels.shape[0]
    binary = n_classes == 2
    matrix = confusion_matrix(y_true, y_pred, labels=labels)
    support = matrix.sum(axis=1)
    pos_index = _positive_index(pos_label, labels, support, binary)
    score_index = _single_score_index(pos_label, pos_index, labels) if binary else None
    scores, score_kind = _score_matrix(y_score, n_samples, labels, score_index, binary)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        warnings.filterwarnings("ignore", message="y_pred contains classes not in y_true")
        warnings.filterwarnings("ignore", message="A single label was found")
        precision, recall, f1, _ = precision_recall_fscore_support(
            y_true, y_pred, labels=labels, average=None, zero_division=0.0
        )
        _, specificity, _ = sensitivity_specificity_support(
            y_true, y_pred, labels=labels, average=None, zero_division=0.0
        )
        overall = {
            "accuracy": accuracy_score(y_true, y_pred),
            "baseline_accuracy": support.max() / n_samples,
            "balanced_accuracy": balanced_accuracy_score(y_true, y_pred),
            "mcc": matthews_corrcoef(y_true, y_pred),
            # Over the classes of y_true, as the balanced accuracy: a class listed in
            # ``labels`` without true samples has no recall to multiply.
            "g_mean": geometric_mean_score(y_true, y_pred, labels=labels[support > 0]),
        }

    rows = []
    for i, label in enumerate(labels):
        g_mean = math.sqrt(recall[i] * specificity[i])
        iba = (1.0 + _ALPHA * (recall[i] - specificity[i])) * g_mean**2
        rows.append(
            {
                "label": label,
                "precision": precision[i],
                "recall": recall[i],
                "specificity": specificity[i],
                "f1": f1[i],
                "g_mean": g_mean,
                "iba": iba,
                "support": support[i],
                "roc_auc": None,
                "pr_auc": None,
            }
        )

    brier = None
    if scores is not None:
        for i, label in enumerate(labels):
            is_class = _equals(y_true, label)
            if 0 < support[i] < n_samples:
                rows[i]["roc_auc"] = roc_auc_score(is_class, scores[:, i])
            if support[i] > 0:
                rows[i]["pr_auc"] = average_precision_score(is_class, scores[:, i])
        if score_kind == "probability":
            if binary:
                is_positive = _equals(y_true, labels[pos_index]).astype(int)
                brier = brier_score_loss(is_positive, scores[:, pos_index], pos_label=1)
            else:
                one_hot = np.column_stack([_equals(y_true, label) for label in labels])
                brier = float(np.mean(np.sum((one_hot - scores) ** 2, axis=1)))

    macro, weighted = _averages(rows, support)
    if binary:
        roc_auc, pr_auc = rows[pos_index]["roc_auc"], rows[pos_index]["pr_auc"]
    else:
        roc_auc, pr_auc = macro["roc_auc"], macro["pr_auc"]

    positive = None
    if pos_index is not None:
        row = rows[pos_index]
        positive = {
            "label": row["label"],
            "support": row["support"],
            "prevalence": support[pos_index] / n_samples,
            **{key: row[key] for key in ("precision", "recall", "f1", "specificity")},
            **{key: row[key] for key in ("g_mean", "iba", "roc_auc", "pr_auc")},
        }

    report = {
        "task": "binary" if binary else "multiclass",
        "n_samples": n_samples,
        "n_classes": n_classes,
        "labels": list(labels),
        "positive_label": None if pos_index is None else labels[pos_index],
        "positive_class": positive,
        **overall,
        "score_kind": score_kind,
        "roc_auc": roc_auc,
        "pr_auc": pr_auc,
        "brier_score": brier,
        "confusion_matrix": {"labels": list(labels), "matrix": matrix.tolist()},
        "per_class": rows,
        "macro_avg": macro,
        "weighted_avg": weighted,
    }
    return _to_json(report)


def _resolve_labels(labels, present):
    """The class order of the report: ``labels`` checked against the data, or ``present``."""
    if labels is None:
        resolved = present
    else:
        resolved = labels.to_numpy() if hasattr(labels, "to_numpy") else np.asarray(labels)
        if resolved.ndim != 1:
            raise InvalidParameterError(
                f"labels must be a 1-D list of classes; got an array of shape {resolved.shape}."
            )
        values = resolved.tolist()
        repeated = sorted({repr(v) for v in values if values.count(v) > 1})
        if repeated:
            raise InvalidParameterError(
                f"labels must list each class once; {', '.join(repeated)} is repeated."
            )
        missing = [v for v in present.tolist() if v not in values]
        if missing:
            raise InvalidParameterError(
                f"labels={values!r} misses {missing!r}, found in y_true or y_pred; labels must "
                "list every class of the data."
            )
    if resolved.shape[0] < 2:
        raise DataError(
            f"y_true and y_pred hold a single class ({resolved.tolist()[0]!r}); the report needs "
            "at least two classes. Pass labels=[...] to name the classes the model can predict."
        )
    return resolved


def _positive_index(pos_label, labels, support, binary):
    """Index in ``labels`` of the positive (rare) class, or None."""
    if pos_label is None:
        if not binary:
            return None
        # The least frequent class; on a tie, the later label (1 of {0, 1}).
        return int(labels.shape[0] - 1 - np.argmin(support[::-1]))
    for i, label in enumerate(labels.tolist()):
        if label == pos_label:
            return i
    raise InvalidParameterError(
        f"pos_label={pos_label!r} is not one of the labels {labels.tolist()!r}."
    )


def _single_score_index(pos_label, pos_index, labels):
    """Index in ``labels`` of the class a 1-D binary score is the score of.

    ``pos_label`` when it is given, else the greater label (scikit-learn's
    convention: ``predict_proba(X)[:, 1]`` and ``decision_function(X)`` score
    ``classes_[1]``, the greater of the two sorted labels).
    """
    if pos_label is not None:
        return pos_index
    try:
        return 0 if labels[0] > labels[1] else 1
    except TypeError:  # labels of types that do not compare: keep their order
        return 1


def _equals(y, label):
    """Boolean mask of the samples of ``y`` equal to ``label``."""
    return np.asarray([value == label for value in y.tolist()], dtype=bool)


def _score_matrix(y_score, n_samples, labels, score_index, binary):
    """Return ``y_score`` as one column per label and its kind ('probability' or 'decision').

    A 1-D binary score is the score of ``labels[score_index]``.
    """
    if y_score is None:
        return None, None
    raw = y_score.to_numpy() if hasattr(y_score, "to_numpy") else y_score
    try:
        scores = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError):
        raise DataError(
            "y_score must hold numbers (probabilities or decision values); got values that "
            "cannot be read as numbers."
        ) from None
    if scores.ndim == 2 and scores.shape[1] == 1:
        scores = scores.ravel()
    n_classes = labels.shape[0]
    if scores.ndim not in (1, 2) or scores.shape[0] != n_samples:
        raise DataError(
            f"y_score must have one row per sample ({n_samples}); got an array of shape "
            f"{scores.shape}."
        )
    if binary:
        if scores.ndim == 2 and scores.shape[1] != 2:
            raise DataError(
                "y_score for a binary target must be one score per sample (shape "
                f"({n_samples},)) or one column per class (shape ({n_samples}, 2)); got shape "
                f"{scores.shape}."
            )
    elif scores.ndim != 2 or scores.shape[1] != n_classes:
        raise DataError(
            f"y_score for a multiclass target must have one column per class, in the order of "
            f"labels {labels.tolist()!r} (shape ({n_samples}, {n_classes})); got shape "
            f"{scores.shape}. Pass labels= (e.g. the classifier's classes_) when the model "
            "knows classes absent from this data."
        )
    if not np.isfinite(scores).all():
        raise DataError("y_score contains NaN or infinite values; scores must be finite.")

    in_unit = bool(scores.min() >= 0.0 and scores.max() <= 1.0)
    if scores.ndim == 1:
        other = 1.0 - scores if in_unit else -scores
        columns = [other, scores] if score_index == 1 else [scores, other]
        return np.column_stack(columns), "probability" if in_unit else "decision"
    sums_to_one = bool(np.allclose(scores.sum(axis=1), 1.0, atol=_SUM_TOLERANCE))
    return scores, "probability" if in_unit and (binary or sums_to_one) else "decision"


def _averages(rows, support):
    """Macro and support-weighted means of the per-class rows."""
    macro, weighted = {}, {}
    for key in _CLASS_METRICS + _SCORE_METRICS:
        values = np.array([np.nan if row[key] is None else row[key] for row in rows], float)
        defined = ~np.isnan(values)
        if not defined.any():
            macro[key] = weighted[key] = None
            continue
        macro[key] = float(np.mean(values[defined]))
        weights = support[defined]
        weighted[key] = (
            float(np.average(values[defined], weights=weights)) if weights.sum() else None
        )
    macro["support"] = weighted["support"] = int(support.sum())
    return macro, weighted


def _to_json(value):
    """Convert numpy scalars and arrays to Python values, NaN and infinities to None."""
    if isinstance(value, dict):
        return {str(key): _to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_to_json(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def _fmt(value, digits):
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _table(header, rows, align=None):
    """Align a header and rows of strings.

    ``align`` holds one letter per column, ``'l'`` or ``'r'``; by default the
    first column is aligned left and the others right.
    """
    align = align or "l" + "r" * (len(header) - 1)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [
            cell.ljust(width) if side == "l" else cell.rjust(width)
            for cell, width, side in zip(row, widths, align, strict=True)
        ]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def format_imbalance_report(report, *, digits=3):
    """Lay out an :func:`imbalance_report` as a readable block of text.

    Parameters
    ----------
    report : dict
        A dict returned by :func:`imbalance_report` (or read back from its
        JSON).

    digits : int, default=3
        Number of digits after the decimal point.

    Returns
    -------
    text : str
        The rare class and its metrics, the overall metrics with the
        majority-class baseline, the confusion matrix and the per-class table.

    Raises
    ------
    InvalidParameterTypeError
        If ``report`` is not a dict.
    InvalidParameterError
        If ``report`` lacks the keys of an :func:`imbalance_report`.

    Examples
    --------
    >>> from balancekit.metrics import imbalance_report, format_imbalance_report
    >>> report = imbalance_report([0, 0, 0, 1], [0, 0, 1, 1])
    >>> print(format_imbalance_report(report).splitlines()[0])
    Imbalance report: binary target, 4 samples, 2 classes
    """
    digits = check_int("digits", digits, min_value=0, max_value=MAX_DIGITS)
    if not isinstance(report, dict):
        raise InvalidParameterTypeError(
            f"report must be the dict returned by imbalance_report; got {type(report).__name__}."
        )
    needed = ("task", "n_samples", "n_classes", "positive_class", "confusion_matrix", "per_class")
    missing = [key for key in needed if key not in report]
    if missing:
        raise InvalidParameterError(
            f"report is not an imbalance_report result: it lacks {', '.join(missing)}."
        )

    lines = [
        f"Imbalance report: {report['task']} target, {report['n_samples']} samples, "
        f"{report['n_classes']} classes"
    ]
    positive = report["positive_class"]
    if positive is not None:
        share = positive["prevalence"]
        share = "n/a" if share is None else f"{100 * share:.1f}%"
        lines += [
            "",
            f"Positive (rare) class {positive['label']!r}: {positive['support']} "
            f"sample{'' if positive['support'] == 1 else 's'} "
            f"({share} of y_true)",
        ]
        pairs = [
            ("precision", positive["precision"]),
            ("recall (sensitivity)", positive["recall"]),
            ("f1", positive["f1"]),
            ("specificity", positive["specificity"]),
            ("G-mean", positive["g_mean"]),
            ("index balanced accuracy", positive["iba"]),
        ]
        if positive["roc_auc"] is not None or positive["pr_auc"] is not None:
            pairs += [("ROC-AUC", positive["roc_auc"]), ("PR-AUC", positive["pr_auc"])]
        lines += _table(["", ""], [[name, _fmt(value, digits)] for name, value in pairs])[1:]

    baseline = _fmt(report.get("baseline_accuracy"), digits)
    overall = [
        ["accuracy", _fmt(report.get("accuracy"), digits), f"(majority class alone: {baseline})"],
        ["balanced accuracy", _fmt(report.get("balanced_accuracy"), digits), ""],
        ["MCC", _fmt(report.get("mcc"), digits), ""],
        ["G-mean (all classes)", _fmt(report.get("g_mean"), digits), ""],
    ]
    if report.get("score_kind") is not None:
        macro = "" if report["task"] == "binary" else "(one-vs-rest, macro)"
        chance = ""
        if report["task"] == "binary" and positive is not None:
            chance = f"(chance level: {_fmt(positive['prevalence'], digits)})"
        overall += [
            ["ROC-AUC", _fmt(report.get("roc_auc"), digits), macro],
            ["PR-AUC (average precision)", _fmt(report.get("pr_auc"), digits), chance or macro],
            ["Brier score", _fmt(report.get("brier_score"), digits), ""],
        ]
    lines += ["", "Overall"] + _table(["", "", ""], overall, align="lrl")[1:]

    cm = report["confusion_matrix"]
    names = [str(label) for label in cm["labels"]]
    lines += ["", "Confusion matrix (rows: true class, columns: predicted class)"]
    lines += _table(
        ["", *names],
        [
            [name, *[str(count) for count in counts]]
            for name, counts in zip(names, cm["matrix"], strict=True)
        ],
    )

    keys = list(_CLASS_METRICS) + ["support"]
    headers = ["precision", "recall", "specificity", "f1", "g-mean", "iba", "support"]
    if report.get("score_kind") is not None:
        keys += list(_SCORE_METRICS)
        headers += ["roc-auc", "pr-auc"]
    body = [
        [str(row["label"]), *[_fmt(row.get(key), digits) for key in keys]]
        for row in report["per_class"]
    ]
    for name in ("macro_avg", "weighted_avg"):
        if report.get(name) is not None:
            row = report[name]
            body.append([name.replace("_", " "), *[_fmt(row.get(key), digits) for key in keys]])
    lines += ["", "Per class"] + _table(["class", *headers], body)
    return "\n".join(lines) + "\n"
