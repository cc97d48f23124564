"""Classification metrics for imbalanced data.

The functions keep imbalanced-learn's names and signatures
(``sensitivity_specificity_support``, ``geometric_mean_score``, ...), so that
code written for ``imblearn.metrics`` only needs its import changed. The
counts behind every score come from :func:`sklearn.metrics.multilabel_confusion_matrix`
and :func:`sklearn.metrics.precision_recall_fscore_support`.
"""

import functools
import inspect
import math
import sys
import warnings
from numbers import Real

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import (
    confusion_matrix,
    mean_absolute_error,
    multilabel_confusion_matrix,
    precision_recall_fscore_support,
)
from sklearn.utils.multiclass import type_of_target, unique_labels

from .._validation import (
    check_int,
    check_no_missing_labels,
    check_real,
    check_sample_weight,
    label_values,
)
from ..exceptions import DataError, InvalidParameterError, InvalidParameterTypeError

__all__ = [
    "sensitivity_specificity_support",
    "sensitivity_score",
    "specificity_score",
    "geometric_mean_score",
    "make_index_balanced_accuracy",
    "classification_report_imbalanced",
    "macro_averaged_mean_absolute_error",
]

_AVERAGES = (None, "binary", "micro", "macro", "weighted", "samples")
_TARGET_KINDS = ("binary", "multiclass", "multilabel-indicator")


# ---------------------------------------------------------------------------
# Input checks
# ---------------------------------------------------------------------------


def _as_target(y, name):
    """Return ``y`` as a numpy array (or a CSR matrix for indicator input)."""
    if y is None:
        raise DataError(f"{name} is required; got None.")
    if sp.issparse(y):
        return sp.csr_matrix(y)
    arr = label_values(y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr.ravel()
    if arr.ndim not in (1, 2):
        raise DataError(
            f"{name} must be one label per sample (shape (n_samples,)) or a label indicator "
            f"matrix (shape (n_samples, n_labels)); got an array of shape {arr.shape}."
        )
    if arr.ndim == 1:
        check_no_missing_labels(arr, name)
    return arr


def _check_targets(y_true, y_pred, sample_weight=None):
    """Validate a pair of targets the way scikit-learn's classification metrics do.

    Returns
    -------
    kind : {'binary', 'multiclass', 'multilabel-indicator'}
    present : ndarray
        The sorted labels found in ``y_true`` and ``y_pred``.
    y_true, y_pred : ndarray or sparse matrix
    sample_weight : ndarray or None
    """
    y_true = _as_target(y_true, "y_true")
    y_pred = _as_target(y_pred, "y_pred")
    n_true, n_pred = y_true.shape[0], y_pred.shape[0]
    if n_true != n_pred:
        raise DataError(
            f"y_true and y_pred have different lengths: y_true has {n_true} samples but "
            f"y_pred has {n_pred}."
        )
    if n_true == 0:
        raise DataError("y_true and y_pred are empty; at least one sample is needed.")
    kinds = []
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        try:
            kind = type_of_target(y, input_name=name)
        except ValueError as exc:
            raise DataError(f"{name} cannot be read as class labels: {exc}") from None
        if kind not in _TARGET_KINDS:
            raise DataError(
                f"{name} must hold class labels (binary or multiclass) or a multilabel "
                f"indicator matrix; got a target of type {kind!r}."
            )
        kinds.append(kind)
    if set(kinds) == {"binary", "multiclass"}:
        kind = "multiclass"
    elif kinds[0] != kinds[1]:
        raise DataError(
            f"y_true and y_pred mix target types: y_true is {kinds[0]!r} and y_pred is "
            f"{kinds[1]!r}."
        )
    else:
        kind = kinds[0]
    try:
        present = unique_labels(y_true, y_pred)
    except ValueError as exc:
        raise DataError(f"y_true and y_pred cannot be compared: {exc}") from None
    if kind == "binary" and present.shape[0] > 2:
        kind = "multiclass"
    sample_weight = check_sample_weight(
        sample_weight, n_true, non_negative=False,
        what="y_true and y_pred have {n} samples; give one weight per sample",
    )
    if sample_weight is not None and not np.any(sample_weight):
        raise DataError(
            "sample_weight is zero for every sample; at least one needs a nonzero weight."
        )
    return kind, present, y_true, y_pred, sample_weight


def _check_average(average, options):
    if average not in options:
        shown = ", ".join(repr(option) for option in options)
        raise InvalidParameterError(
            f"average={average!r} is not supported; expected one of {shown}."
        )
    return average


def _check_warn_for(warn_for):
    """Refuse a ``warn_for`` that is no collection of 'sensitivity' and 'specificity'."""
    metrics = {"sensitivity", "specificity"}
    if isinstance(warn_for, str) or not isinstance(
            warn_for, (tuple, list, set, frozenset, np.ndarray)) or not set(warn_for) <= metrics:
        raise InvalidParameterError(
            "warn_for must be a tuple, list or set of 'sensitivity' and 'specificity' (the "
            f"metrics to warn about when undefined); got {warn_for!r}."
        )


def _check_zero_division(zero_division):
    """Return the value used for undefined ratios (0.0 for ``'warn'``)."""
    if isinstance(zero_division, str):
        if zero_division == "warn":
            return 0.0
    elif isinstance(zero_division, Real) and not isinstance(zero_division, bool):
        value = float(zero_division)
        if value in (0.0, 1.0) or math.isnan(value):
            return value
    raise InvalidParameterError(
        f"zero_division={zero_division!r} is not supported; expected 'warn', 0.0, 1.0 or np.nan."
    )


def _as_list(values):
    """``values`` as a list of Python scalars, each of its own type: a numpy array of
    numbers and text would have turned the numbers into text."""
    return values.tolist() if isinstance(values, np.ndarray) else list(values)


def _is_scalar(value):
    """Whether ``value`` is one value rather than a collection of them (``5``,
    ``np.int64(5)``, a 0-d array): ``list(value)`` would fail with a bare TypeError."""
    return not hasattr(value, "__iter__") or (isinstance(value, np.ndarray) and value.ndim == 0)


def _contains(values, item):
    """Whether ``item`` equals one of ``values`` (no numpy broadcasting surprises)."""
    return any(value == item for value in _as_list(values))


def _check_labels(labels, present, kind):
    """``labels`` checked (a flat list of labels), each of the kind the targets hold.

    A label of another kind (the text ``'0'`` among the numbers ``0`` and
    ``1``) stands for the label present that has its text, as scikit-learn
    compares them (as text); without one, it is a label absent from the data.
    """
    if labels is None:
        return None
    if isinstance(labels, (str, bytes)) or _is_scalar(labels):
        what = "the string" if isinstance(labels, (str, bytes)) else "the single label"
        label = labels.item() if isinstance(labels, (np.generic, np.ndarray)) else labels
        raise InvalidParameterTypeError(
            f"labels must be a list of labels; got {what} {label!r}. Give "
            f"labels=[{label!r}] for that one label."
        )
    if isinstance(labels, (set, frozenset, dict)):
        unordered = ", which has no order" if not isinstance(labels, dict) else ""
        raise InvalidParameterTypeError(
            f"labels must be a list of labels, in the order of the scores; got a "
            f"{type(labels).__name__}{unordered}: {labels!r}. Give a list, e.g. "
            "sorted(labels)."
        )
    values = _as_list(labels.to_numpy() if hasattr(labels, "to_numpy") else labels)
    nested = [v for v in values if np.ndim(v) != 0 or isinstance(v, (set, frozenset, dict))]
    if nested:
        raise InvalidParameterError(
            f"labels must be a flat list of labels; got {nested[0]!r} among them."
        )
    if any(v is None for v in values):
        raise InvalidParameterError(
            f"labels holds None ({values!r}); a label is a class of y_true or y_pred."
        )
    if kind == "multilabel-indicator":
        n_columns = present.shape[0]
        outside = [v for v in values if not _is_position(v, n_columns)]
        if outside:
            raise InvalidParameterError(
                "labels of a multilabel indicator matrix are column positions, whole numbers "
                f"from 0 to {n_columns - 1}; got {outside[0]!r}."
            )
        return labels
    known = present.tolist()
    text = all(isinstance(v, str) for v in known)
    if all(isinstance(v, str) == text for v in values):
        return labels
    as_text = {str(v): v for v in known}
    return [as_text.get(str(v), v) if isinstance(v, str) != text else v for v in values]


def _is_position(value, n):
    """Whether ``value`` is a whole number from 0 to ``n - 1`` (``1.0`` and ``True`` are
    ``1``, as scikit-learn reads them)."""
    return (isinstance(value, (Real, np.bool_)) and float(value).is_integer()
            and 0 <= value < n)


def _set_wise_labels(kind, present, average, labels, pos_label):
    """Resolve the labels to score, following scikit-learn's rules for ``pos_label``."""
    if average == "binary":
        _check_labels(labels, present, kind)  # not used, but checked as scikit-learn does
        if kind != "binary":
            raise InvalidParameterError(
                f"average='binary' needs a binary target, but the target is {kind}; "
                "use average=None, 'micro', 'macro' or 'weighted' instead"
                + (", or 'samples'." if kind == "multilabel-indicator" else ".")
            )
        # With one class present, pos_label may name the absent one, but not a label of
        # another kind (text among numbers): it would be compared as text with them.
        text_labels = all(isinstance(v, str) for v in present.tolist())
        other_kind = isinstance(pos_label, str) != text_labels
        if not _contains(present, pos_label) and (present.shape[0] >= 2 or other_kind):
            raise InvalidParameterError(
                f"pos_label={pos_label!r} is not a valid label; expected one of "
                f"{present.tolist()!r}."
            )
        return [pos_label]
    if pos_label not in (None, 1):
        warnings.warn(
            f"Note that pos_label (set to {pos_label!r}) is ignored when average != 'binary' "
            f"(got {average!r}). You may use labels=[pos_label] to specify a single positive "
            "class.",
            UserWarning,
            stacklevel=_outside_level(),
        )
    return _check_labels(labels, present, kind)


# ---------------------------------------------------------------------------
# Counting and dividing
# ---------------------------------------------------------------------------


def _confusion_counts(y_true, y_pred, *, labels, sample_weight, samplewise=False,
                      present=None):
    """Return ``tp, fp, fn, tn`` per label (or per sample when ``samplewise``); ``present``:
    the labels of the targets, sorted, where the caller has them.

    For one label per sample, the counts come from the full confusion matrix
    by sums and differences of its rows and columns (linear in the number of
    cells); with weights, a count no row of nonzero weight falls in is set to
    exactly 0 (the differences of fractional sums leave rounding residues
    there, which would make a ratio defined that is not).
    """
    if not sp.issparse(y_true) and y_true.ndim == 1:
        if present is None:
            present = unique_labels(y_true, y_pred)
        # The rows of nonzero weight in each cell: a cell of none sums to exactly 0 (a row
        # of weight 0 is no sample), whatever the differences below leave.
        cm = _confusion(y_true, y_pred, present, sample_weight)
        counts = cm if sample_weight is None else _confusion(
            y_true, y_pred, present, (sample_weight != 0).astype(np.int64))
        tp, fp, fn, tn = _cells(cm)
        if counts is not cm:
            for values, n in zip((tp, fp, fn, tn), _cells(counts), strict=True):
                values[n == 0] = 0
        # Each label wanted, of its own type (a label 0 beside a label 'a'), by its place
        # among the labels present; a label named twice is scored twice, the same, as in
        # scikit-learn. A label absent from both targets has only true negatives.
        at = _positions(present, labels)
        known = at >= 0
        zero = np.zeros(at.shape[0], dtype=cm.dtype)
        picked = [np.where(known, values[np.where(known, at, 0)], zero)
                  for values in (tp, fp, fn)]
        return (*picked, np.where(known, tn[np.where(known, at, 0)], cm.sum()))
    mcm = multilabel_confusion_matrix(
        y_true, y_pred, sample_weight=sample_weight, labels=labels, samplewise=samplewise
    )
    return mcm[:, 1, 1], mcm[:, 0, 1], mcm[:, 1, 0], mcm[:, 0, 0]


def _confusion(y_true, y_pred, present, sample_weight):
    """The confusion matrix of ``y_true`` and ``y_pred`` over the sorted labels ``present``
    (all of theirs), weighted by ``sample_weight``: scikit-learn's, counted with one
    ``bincount`` where the labels are numbers or text of one kind (scikit-learn maps text
    labels to their positions one by one: 0.2 s for 100,000 labels)."""
    kinds = {y_true.dtype.kind, y_pred.dtype.kind}
    if kinds <= set("biuf") or kinds <= set("US"):
        both = np.concatenate([y_true, y_pred])
        codes = np.searchsorted(present, both)
        k = present.shape[0]
        if (codes < k).all() and (present[codes] == both).all():
            n = y_true.shape[0]
            cells = np.bincount(codes[:n] * k + codes[n:], weights=sample_weight,
                                minlength=k * k)
            return cells.reshape(k, k) if sample_weight is not None else (
                cells.astype(np.int64).reshape(k, k))
    with warnings.catch_warnings():
        # One label only is fine here: the labels wanted are picked by the caller.
        warnings.filterwarnings("ignore", message="A single label was found")
        return confusion_matrix(y_true, y_pred, labels=present, sample_weight=sample_weight)


def _cells(cm):
    """``tp, fp, fn, tn`` of each label of the confusion matrix ``cm``."""
    tp = np.diagonal(cm).copy()
    rows, cols = cm.sum(axis=1), cm.sum(axis=0)
    return tp, cols - tp, rows - tp, cm.sum() - rows - cols + tp


def _positions(present, labels):
    """The place of each label of ``labels`` (all of ``present`` when None) among
    ``present``, -1 for a label not there: by equality, as Python compares them (``1``,
    ``1.0`` and ``True`` are one label)."""
    known = present.tolist()
    if labels is None:
        return np.arange(len(known))
    place = {}
    for i, label in enumerate(known):
        place.setdefault(label, i)
    return np.array([place.get(label.item() if isinstance(label, np.ndarray) else label, -1)
                     for label in _as_list(labels)], dtype=np.intp)


#: The most digits a report prints (a float64 holds about 17 significant ones; far more fail
#: in Python's formatting with "precision too big").
MAX_DIGITS = 20

#: What the warning of an undefined ratio advises, for a function that has ``zero_division``.
_ZERO_DIVISION_HINT = "Use `zero_division` parameter to control this behavior."


def _divide(numerator, denominator, metric, modifier, average, warn_for, zero_division,
            hint=_ZERO_DIVISION_HINT):
    """Divide elementwise, setting ``0/0`` entries to the ``zero_division`` value; the
    warning ends with ``hint``."""
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    undefined = denominator == 0
    result = numerator / np.where(undefined, 1.0, denominator)
    if not undefined.any():
        return result
    result[undefined] = _check_zero_division(zero_division)
    if zero_division == "warn" and metric in warn_for:
        axis0, axis1 = ("label", "sample") if average == "samples" else ("sample", "label")
        where = "due to" if result.shape[0] == 1 else f"in {axis1}s with"
        warnings.warn(
            f"{metric.capitalize()} is ill-defined and being set to 0.0 {where} no {modifier} "
            f"{axis0}s. {hint}",
            UndefinedMetricWarning,
            stacklevel=_outside_level(),
        )
    return result


def _outside_level():
    """The ``stacklevel`` that makes a warning issued by its caller point at the first
    frame outside this module (the metrics call each other at various depths)."""
    level, frame = 1, sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame, level = frame.f_back, level + 1
    return level


def _average(values, weights=None):
    """Weighted mean ignoring NaN entries (NaN when nothing is left); the plain mean when
    the weights left sum to 0 (no true sample of any label scored), as scikit-learn
    averages then."""
    values = np.asarray(values, dtype=np.float64)
    keep = ~np.isnan(values)
    if not keep.any():
        return math.nan
    if weights is None:
        return float(np.mean(values[keep]))
    weights = np.asarray(weights, dtype=np.float64)[keep]
    if weights.sum() == 0:
        return float(np.mean(values[keep]))
    return float(np.average(values[keep], weights=weights))


# ---------------------------------------------------------------------------
# Public metrics
# ---------------------------------------------------------------------------


def sensitivity_specificity_support(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label=1,
    average=None,
    warn_for=("sensitivity", "specificity"),
    sample_weight=None,
    zero_division="warn",
):
    """Compute sensitivity, specificity and support for each class.

    The sensitivity is the ratio ``tp / (tp + fn)``, where ``tp`` is the
    number of true positives and ``fn`` the number of false negatives: the
    ability to avoid false negatives. The specificity is the ratio
    ``tn / (tn + fp)``, where ``tn`` is the number of true negatives and
    ``fp`` the number of false positives: the ability to avoid false
    positives. The support is the number of occurrences of each class in
    ``y_true`` (the sum of their weights when ``sample_weight`` is given).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or label indicator matrix
        Ground truth (correct) target values.

    y_pred : array-like of shape (n_samples,) or label indicator matrix
        Estimated targets as returned by a classifier.

    labels : array-like, default=None
        The set of labels to include when ``average != 'binary'``, and their
        order if ``average is None``. Labels present in the data can be
        excluded, for example to compute a multiclass average ignoring a
        majority negative class, while labels not present in the data give
        0 components in a macro average. For multilabel targets, labels are
        column indices. By default, all labels in ``y_true`` and ``y_pred``
        are used in sorted order.

    pos_label : int, float, bool or str, default=1
        The class to report if ``average='binary'`` and the data is binary.
        If the data are multiclass, it is ignored (with a warning when it is
        not the default); set ``labels=[pos_label]`` and
        ``average != 'binary'`` to report scores for that label only.

    average : {'binary', 'micro', 'macro', 'weighted', 'samples'} or None, \
            default=None
        If ``None``, the scores of each class are returned. Otherwise, this
        sets the averaging performed on the data:

        ``'binary'``:
            Only report results for the class specified by ``pos_label``.
            This applies only if the targets are binary.
        ``'micro'``:
            Compute the metrics globally by counting the total true
            positives, false negatives, true negatives and false positives.
        ``'macro'``:
            Compute the metrics for each label and take their unweighted
            mean. This does not take label imbalance into account.
        ``'weighted'``:
            Compute the metrics for each label and take their average,
            weighted by support (the number of true instances of each label).
        ``'samples'``:
            Compute the metrics for each sample and take their average
            (weighted by ``sample_weight``); only meaningful for multilabel
            targets.

    warn_for : tuple or set of {'sensitivity', 'specificity'}, \
            default=('sensitivity', 'specificity')
        The metrics for which an :class:`~sklearn.exceptions.UndefinedMetricWarning`
        is issued on a zero division, when ``zero_division='warn'``. Used by
        the functions that return only one of the metrics.

    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    zero_division : {'warn', 0.0, 1.0, np.nan}, default='warn'
        The value returned for a ratio whose denominator is zero (a class
        with no true samples for the sensitivity, a class covering every
        sample for the specificity). ``'warn'`` acts as 0 and also issues a
        warning. With ``np.nan``, such values are left out of the averages.

    Returns
    -------
    sensitivity : float or ndarray of shape (n_labels,)
        The sensitivity of each label, or their average if ``average`` is
        not None.

    specificity : float or ndarray of shape (n_labels,)
        The specificity of each label, or their average if ``average`` is
        not None.

    support : ndarray of shape (n_labels,) or None
        The number of occurrences of each label in ``y_true``; None if
        ``average`` is not None.

    See Also
    --------
    sensitivity_score : The sensitivity alone.
    specificity_score : The specificity alone.
    sklearn.metrics.precision_recall_fscore_support : Precision, recall and F-score.

    Notes
    -----
    The counts come from scikit-learn's confusion matrix (weighted when
    ``sample_weight`` is given), so sample weights are used consistently in
    every count (true negatives included). When ``average='binary'`` and ``pos_label`` is absent from a
    target holding a single class, the sensitivity is undefined (set by
    ``zero_division``) and the specificity is computed normally, as
    scikit-learn does for the recall.

    References
    ----------
    .. [1] `Wikipedia entry for the Sensitivity and specificity
           <https://en.wikipedia.org/wiki/Sensitivity_and_specificity>`_

    Examples
    --------
    >>> import numpy as np
    >>> from balancekit.metrics import sensitivity_specificity_support
    >>> y_true = np.array(['cat', 'dog', 'pig', 'cat', 'dog', 'pig'])
    >>> y_pred = np.array(['cat', 'pig', 'dog', 'cat', 'cat', 'dog'])
    >>> sen, spe, _ = sensitivity_specificity_support(y_true, y_pred, average='macro')
    >>> print(round(sen, 4), round(spe, 4))
    0.3333 0.6667
    >>> sen, spe, support = sensitivity_specificity_support(y_true, y_pred)
    >>> sen
    array([1., 0., 0.])
    >>> support
    array([2, 2, 2])
    """
    return _sensitivity_specificity_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        warn_for=warn_for, sample_weight=sample_weight, zero_division=zero_division,
    )


def _sensitivity_specificity_support(
    y_true, y_pred, *, labels, pos_label, average, warn_for, sample_weight, zero_division,
    hint=_ZERO_DIVISION_HINT,
):
    """:func:`sensitivity_specificity_support`; ``hint`` ends the warning of an undefined
    ratio (a caller without ``zero_division`` gives its own advice)."""
    _check_average(average, _AVERAGES)
    _check_zero_division(zero_division)
    _check_warn_for(warn_for)
    kind, present, y_true, y_pred, sample_weight = _check_targets(y_true, y_pred, sample_weight)
    labels = _set_wise_labels(kind, present, average, labels, pos_label)
    samplewise = average == "samples"
    if samplewise and kind != "multilabel-indicator":
        raise InvalidParameterError(
            f"average='samples' is only meaningful for multilabel targets; got a {kind} "
            "target. Use average='micro', 'macro' or 'weighted' instead."
        )
    tp, fp, fn, tn = _confusion_counts(
        y_true, y_pred, labels=labels, sample_weight=sample_weight, samplewise=samplewise,
        present=present,
    )
    if average == "micro":
        tp, fp, fn, tn = (np.array([counts.sum()]) for counts in (tp, fp, fn, tn))

    sensitivity = _divide(tp, tp + fn, "sensitivity", "true", average, warn_for, zero_division,
                          hint)
    specificity = _divide(tn, tn + fp, "specificity", "negative", average, warn_for,
                          zero_division, hint)
    support = tp + fn
    if average is None:
        return sensitivity, specificity, support

    if average == "weighted":
        weights = support
    elif average == "samples":
        weights = sample_weight
    else:
        weights = None
    return _average(sensitivity, weights), _average(specificity, weights), None


def sensitivity_score(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label=1,
    average="binary",
    sample_weight=None,
    zero_division="warn",
):
    """Compute the sensitivity (the recall, or true positive rate).

    The sensitivity is the ratio ``tp / (tp + fn)`` where ``tp`` is the number
    of true positives and ``fn`` the number of false negatives. It quantifies
    the ability to avoid false negatives. The best value is 1 and the worst
    value is 0.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or label indicator matrix
        Ground truth (correct) target values.

    y_pred : array-like of shape (n_samples,) or label indicator matrix
        Estimated targets as returned by a classifier.

    labels : array-like, default=None
        The set of labels to include when ``average != 'binary'``, and their
        order if ``average is None``. By default, all labels in ``y_true``
        and ``y_pred`` are used in sorted order.

    pos_label : int, float, bool or str, default=1
        The class to report if ``average='binary'`` and the data is binary.
        Ignored for other averages (set ``labels=[pos_label]`` instead).

    average : {'binary', 'micro', 'macro', 'weighted', 'samples'} or None, \
            default='binary'
        If ``None``, the score of each class is returned; otherwise the
        averaging described in :func:`sensitivity_specificity_support`.

    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    zero_division : {'warn', 0.0, 1.0, np.nan}, default='warn'
        The value returned for a class without true samples; ``'warn'`` acts
        as 0 and also issues a warning.

    Returns
    -------
    sensitivity : float or ndarray of shape (n_labels,)
        The sensitivity of the positive class, the average sensitivity, or
        the sensitivity of each class when ``average=None``.

    See Also
    --------
    specificity_score : The true negative rate.
    sensitivity_specificity_support : Both rates and the support at once.

    Examples
    --------
    >>> from balancekit.metrics import sensitivity_score
    >>> y_true = [0, 1, 2, 0, 1, 2]
    >>> y_pred = [0, 2, 1, 0, 0, 1]
    >>> print(round(sensitivity_score(y_true, y_pred, average='macro'), 4))
    0.3333
    >>> sensitivity_score(y_true, y_pred, average=None)
    array([1., 0., 0.])
    """
    sensitivity, _, _ = sensitivity_specificity_support(
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        warn_for=("sensitivity",),
        sample_weight=sample_weight,
        zero_division=zero_division,
    )
    return sensitivity


def specificity_score(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label=1,
    average="binary",
    sample_weight=None,
    zero_division="warn",
):
    """Compute the specificity (the true negative rate).

    The specificity is the ratio ``tn / (tn + fp)`` where ``tn`` is the number
    of true negatives and ``fp`` the number of false positives. It quantifies
    the ability to avoid false positives. The best value is 1 and the worst
    value is 0.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or label indicator matrix
        Ground truth (correct) target values.

    y_pred : array-like of shape (n_samples,) or label indicator matrix
        Estimated targets as returned by a classifier.

    labels : array-like, default=None
        The set of labels to include when ``average != 'binary'``, and their
        order if ``average is None``. By default, all labels in ``y_true``
        and ``y_pred`` are used in sorted order.

    pos_label : int, float, bool or str, default=1
        The class to report if ``average='binary'`` and the data is binary.
        Ignored for other averages (set ``labels=[pos_label]`` instead).

    average : {'binary', 'micro', 'macro', 'weighted', 'samples'} or None, \
            default='binary'
        If ``None``, the score of each class is returned; otherwise the
        averaging described in :func:`sensitivity_specificity_support`.

    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    zero_division : {'warn', 0.0, 1.0, np.nan}, default='warn'
        The value returned for a class whose complement is empty; ``'warn'``
        acts as 0 and also issues a warning.

    Returns
    -------
    specificity : float or ndarray of shape (n_labels,)
        The specificity of the positive class, the average specificity, or
        the specificity of each class when ``average=None``.

    See Also
    --------
    sensitivity_score : The true positive rate.
    sensitivity_specificity_support : Both rates and the support at once.

    Examples
    --------
    >>> from balancekit.metrics import specificity_score
    >>> y_true = [0, 1, 2, 0, 1, 2]
    >>> y_pred = [0, 2, 1, 0, 0, 1]
    >>> print(round(specificity_score(y_true, y_pred, average='macro'), 4))
    0.6667
    >>> specificity_score(y_true, y_pred, average=None)
    array([0.75, 0.5 , 0.75])
    """
    _, specificity, _ = sensitivity_specificity_support(
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        warn_for=("specificity",),
        sample_weight=sample_weight,
        zero_division=zero_division,
    )
    return specificity


def geometric_mean_score(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label=1,
    average="multiclass",
    sample_weight=None,
    correction=0.0,
):
    """Compute the geometric mean (G-mean) of the class-wise sensitivities.

    With the default ``average='multiclass'``, the G-mean is the
    ``n_classes``-th root of the product of the sensitivity (recall) of every
    class; for a binary problem, that is the square root of the product of
    the sensitivity and the specificity. It is high only when every class is
    recognised, so a classifier that ignores the rare class scores 0.

    For compatibility with other imbalance measures, the G-mean can also be
    computed one-vs-rest for each class, ``sqrt(sensitivity * specificity)``,
    when ``average != 'multiclass'``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth (correct) target values.

    y_pred : array-like of shape (n_samples,)
        Estimated targets as returned by a classifier.

    labels : array-like, default=None
        The set of labels to include, and their order if ``average is None``.
        By default, all labels in ``y_true`` and ``y_pred`` are used in
        sorted order. With ``average='multiclass'``, a listed label without
        true samples has a sensitivity of 0 (or ``correction``).

    pos_label : int, float, bool or str, default=1
        The class to report if ``average='binary'`` and the data is binary.
        Ignored for other averages.

    average : {'multiclass', 'binary', 'micro', 'macro', 'weighted', \
            'samples'} or None, default='multiclass'
        ``'multiclass'``:
            The root of the product of the class sensitivities (one number).
        ``None``:
            ``sqrt(sensitivity * specificity)`` of each class, one-vs-rest.
        ``'binary'``, ``'micro'``, ``'macro'``, ``'weighted'``, ``'samples'``:
            ``sqrt(sensitivity * specificity)`` where the sensitivity and the
            specificity are averaged as in
            :func:`sensitivity_specificity_support`.

    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    correction : float, default=0.0
        Replaces a sensitivity of zero (an unrecognised class) by this value,
        so that one missed class among many does not make the score 0. Only
        used when ``average='multiclass'``.

    Returns
    -------
    geometric_mean : float or ndarray of shape (n_labels,)
        The geometric mean, or its value for each class when ``average=None``.

    See Also
    --------
    sensitivity_specificity_support : The rates the G-mean is built from.
    make_index_balanced_accuracy : Corrects the G-mean for dominance.

    References
    ----------
    .. [1] Kubat, M. and Matwin, S. "Addressing the curse of imbalanced
       training sets: one-sided selection", ICML (1997).

    .. [2] Barandela, R., Sánchez, J. S., García, V., & Rangel, E. "Strategies
       for learning in class imbalance problems", Pattern Recognition,
       36(3), (2003), pp 849-851.

    Examples
    --------
    >>> from balancekit.metrics import geometric_mean_score
    >>> y_true = [0, 1, 2, 0, 1, 2]
    >>> y_pred = [0, 2, 1, 0, 0, 1]
    >>> geometric_mean_score(y_true, y_pred)
    0.0
    >>> print(round(geometric_mean_score(y_true, y_pred, correction=0.001), 4))
    0.01
    >>> print(round(geometric_mean_score(y_true, y_pred, average='macro'), 4))
    0.4714
    """
    _check_average(average, ("multiclass",) + _AVERAGES)
    if average != "multiclass":
        sensitivity, specificity, _ = _sensitivity_specificity_support(
            y_true,
            y_pred,
            labels=labels,
            pos_label=pos_label,
            average=average,
            warn_for=("sensitivity", "specificity"),
            sample_weight=sample_weight,
            zero_division="warn",
            hint="The G-mean of such a label is 0.",
        )
        if average is None:
            return np.sqrt(sensitivity * specificity)
        return math.sqrt(sensitivity * specificity)

    correction = check_real("correction", correction, min_value=0.0)
    kind, present, y_true, y_pred, sample_weight = _check_targets(y_true, y_pred, sample_weight)
    if kind == "multilabel-indicator":
        raise InvalidParameterError(
            "average='multiclass' is not defined for multilabel targets; use average=None, "
            "'micro', 'macro', 'weighted' or 'samples' instead."
        )
    labels = _check_labels(labels, present, kind)
    tp, _, fn, _ = _confusion_counts(y_true, y_pred, labels=labels, sample_weight=sample_weight,
                                     present=present)
    recall = _divide(tp, tp + fn, "recall", "true", None, ("recall",), "warn",
                     "Set `correction` to count a recall of 0 as that small value instead.")
    recall[recall == 0] = correction
    if recall.size == 0:
        return math.nan
    with np.errstate(divide="ignore"):
        return float(np.exp(np.mean(np.log(recall))))


def make_index_balanced_accuracy(*, alpha=0.1, squared=True):
    """Balance any scoring function with the index balanced accuracy (IBA).

    This factory returns a decorator: the decorated scoring function returns
    ``(1 + alpha * dominance) * score`` (``score ** 2`` when ``squared``),
    where the dominance is ``sensitivity - specificity``, computed with the
    same ``labels``, ``pos_label``, ``average`` and ``sample_weight`` as the
    score. It penalises a score obtained by favouring one class.

    Only metrics computed from ``y_pred`` can be corrected: the dominance
    cannot be computed from ``y_score``.

    Parameters
    ----------
    alpha : float, default=0.1
        Weighting factor of the dominance.

    squared : bool, default=True
        If True, the score is squared before being weighted.

    Returns
    -------
    iba_scoring_func : callable
        A decorator; applied to a scoring function, it returns a function
        with the same signature that computes the index balanced accuracy.

    Raises
    ------
    InvalidParameterTypeError
        If the decorated function takes ``y_score``, ``y_prob`` or ``y2``.

    Notes
    -----
    When ``geometric_mean_score`` is decorated with its default
    ``average='multiclass'``, the dominance uses ``average='macro'``. For
    scoring functions without an ``average`` parameter (and for
    ``accuracy_score`` and ``jaccard_score``), the dominance is computed with
    ``average='binary'`` on a binary target and ``average='macro'`` on a
    multiclass one. The positive class of a binary target is then
    ``pos_label`` (1 by default); for a scoring function without a
    ``pos_label`` parameter, on labels without 1 (e.g. ``'no'`` and
    ``'yes'``), it is the greater label, as ``classes_[1]`` of a
    scikit-learn classifier.

    References
    ----------
    .. [1] García, Vicente, Javier Salvador Sánchez, and Ramón Alberto
       Mollineda. "On the effectiveness of preprocessing methods when dealing
       with different levels of class imbalance." Knowledge-Based Systems 25.1
       (2012): 13-21.

    Examples
    --------
    >>> from balancekit.metrics import geometric_mean_score as gmean
    >>> from balancekit.metrics import make_index_balanced_accuracy as iba
    >>> gmean = iba(alpha=0.1, squared=True)(gmean)
    >>> y_true = [1, 0, 0, 1, 0, 1]
    >>> y_pred = [0, 0, 1, 1, 0, 1]
    >>> gmean(y_true, y_pred, average=None).round(4)
    array([0.4444, 0.4444])
    """
    alpha = check_real("alpha", alpha)
    if not isinstance(squared, (bool, np.bool_)):
        raise InvalidParameterTypeError(
            f"squared must be a boolean; got {squared!r} of type {type(squared).__name__}."
        )

    def decorate(scoring_func):
        signature = inspect.signature(scoring_func)
        name = _function_name(scoring_func)
        forbidden = {"y_score", "y_prob", "y_proba", "y2"}.intersection(signature.parameters)
        if forbidden:
            raise InvalidParameterTypeError(
                f"make_index_balanced_accuracy needs a metric computed from y_pred; "
                f"{name} takes {sorted(forbidden)[0]}, from which the dominance cannot be "
                "computed."
            )
        missing = [key for key in ("y_true", "y_pred") if key not in signature.parameters]
        if missing:
            raise InvalidParameterTypeError(
                f"make_index_balanced_accuracy needs a metric with the parameters y_true and "
                f"y_pred, from which it computes the dominance; {name} has no "
                f"{' and no '.join(missing)} (its parameters: {list(signature.parameters)})."
            )
        shared = set(inspect.signature(sensitivity_specificity_support).parameters)

        @functools.wraps(scoring_func)
        def compute_score(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            score = scoring_func(*bound.args, **bound.kwargs)
            if squared:
                score = np.power(score, 2)
            params = {key: value for key, value in bound.arguments.items() if key in shared}
            if params.get("average") == "multiclass":  # geometric_mean_score's default
                params["average"] = "macro"
            elif name in ("accuracy_score", "jaccard_score") or "average" not in params:
                kind, present = _check_targets(params["y_true"], params["y_pred"])[:2]
                params["average"] = "binary" if kind == "binary" else "macro"
                if kind == "binary" and "pos_label" not in params and not _contains(present, 1):
                    # The metric takes no pos_label to name the positive class, and the
                    # default 1 is not a label: take the greater one, scikit-learn's classes_[1].
                    params["pos_label"] = present.tolist()[-1]
            sensitivity, specificity, _ = sensitivity_specificity_support(**params)
            iba = (1.0 + alpha * (sensitivity - specificity)) * score
            return float(iba) if np.ndim(iba) == 0 else iba

        return compute_score

    return decorate


def _function_name(func):
    """The name of the function ``func`` calls in the end, through ``functools.partial``
    objects and ``functools.wraps`` wrappers."""
    while True:
        if isinstance(func, functools.partial):
            func = func.func
        elif hasattr(func, "__wrapped__"):
            func = func.__wrapped__
        else:
            return getattr(func, "__name__", type(func).__name__)


def _text_report(rows, headers, last_line, digits):
    """Lay out a report: one line per class, then the averages line."""
    name_width = max([len(row[0]) for row in rows] + [len(last_line[0])])
    width = max(name_width, digits)
    fmt = f"%{width}s  " + " ".join(["% 9s"] * len(headers)) + "\n"
    report = fmt % ("", *headers) + "\n"
    for row in rows:
        report += fmt % row
    report += "\n"
    report += fmt % last_line
    return report


def classification_report_imbalanced(
    y_true,
    y_pred,
    *,
    labels=None,
    target_names=None,
    sample_weight=None,
    digits=2,
    alpha=0.1,
    output_dict=False,
    zero_division="warn",
):
    """Build a classification report with the metrics used on imbalanced data.

    For each class, the report lists the precision (``pre``), the recall
    (``rec``), the specificity (``spe``), the F1 score (``f1``), the geometric
    mean (``geo``), the index balanced accuracy of the geometric mean
    (``iba``) and the support (``sup``); then their average weighted by
    support (``avg / total``).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or label indicator matrix
        Ground truth (correct) target values.

    y_pred : array-like of shape (n_samples,) or label indicator matrix
        Estimated targets as returned by a classifier.

    labels : array-like of shape (n_labels,), default=None
        The labels to include in the report, in order. By default, all labels
        in ``y_true`` and ``y_pred`` in sorted order.

    target_names : list of str of shape (n_labels,), default=None
        Display names matching the labels (same order).

    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    digits : int, default=2
        Number of digits for formatting floating point values. Ignored when
        ``output_dict=True``: the values are then not rounded.

    alpha : float, default=0.1
        Weighting factor of the index balanced accuracy.

    output_dict : bool, default=False
        If True, return the report as a dict.

    zero_division : {'warn', 0.0, 1.0, np.nan}, default='warn'
        The value of a ratio whose denominator is zero (the precision of a
        class never predicted, the recall of a class without true samples,
        ...). ``'warn'`` acts as 0 and also issues a warning.

    Returns
    -------
    report : str or dict
        The text summary, or, if ``output_dict=True``, a dict of the form::

            {'label 1': {'pre': 0.5, 'rec': 1.0, 'spe': 0.75, 'f1': 0.67,
                         'geo': 0.87, 'iba': 0.77, 'sup': 1},
             'label 2': {...},
             ...,
             'avg_pre': 0.7, 'avg_rec': 0.6, ..., 'avg_iba': 0.54,
             'total_support': 5}

    See Also
    --------
    imbalance_report : A JSON-ready summary focused on the rare class, with
        score-based metrics (ROC-AUC, average precision, Brier score).

    Examples
    --------
    >>> from balancekit.metrics import classification_report_imbalanced
    >>> y_true = [0, 1, 2, 2, 2]
    >>> y_pred = [0, 0, 2, 2, 1]
    >>> target_names = ['class 0', 'class 1', 'class 2']
    >>> print(classification_report_imbalanced(
    ...     y_true, y_pred, target_names=target_names, zero_division=0))  # doctest: +NORMALIZE_WHITESPACE
                       pre       rec       spe        f1       geo       iba       sup
    <BLANKLINE>
        class 0       0.50      1.00      0.75      0.67      0.87      0.77         1
        class 1       0.00      0.00      0.75      0.00      0.00      0.00         1
        class 2       1.00      0.67      1.00      0.80      0.82      0.64         3
    <BLANKLINE>
    avg / total       0.70      0.60      0.90      0.61      0.66      0.54         5
    <BLANKLINE>
    """
    digits = check_int("digits", digits, min_value=0, max_value=MAX_DIGITS)
    alpha = check_real("alpha", alpha)
    _check_zero_division(zero_division)
    if not isinstance(output_dict, (bool, np.bool_)):
        raise InvalidParameterTypeError(
            f"output_dict must be a boolean; got {output_dict!r} of type "
            f"{type(output_dict).__name__}."
        )
    kind, present, y_true, y_pred, sample_weight = _check_targets(y_true, y_pred, sample_weight)
    labels = present if labels is None else np.asarray(_check_labels(labels, present, kind))
    if labels.ndim != 1 or labels.shape[0] == 0:
        raise InvalidParameterError(
            f"labels must be a non-empty list of labels; got an array of shape {labels.shape}."
        )
    if target_names is None:
        target_names = [f"{label}" for label in labels]
    else:
        if isinstance(target_names, (str, bytes)) or _is_scalar(target_names):
            raise InvalidParameterTypeError(
                f"target_names must be a list of names, one per label; got "
                f"{'the string' if isinstance(target_names, (str, bytes)) else 'the value'} "
                f"{target_names!r}."
            )
        target_names = [f"{name}" for name in target_names]
        if len(target_names) != labels.shape[0]:
            raise InvalidParameterError(
                f"target_names has {len(target_names)} names but the report has "
                f"{labels.shape[0]} labels ({labels.tolist()!r}); give one name per label."
            )
    repeated = sorted({name for name in target_names if target_names.count(name) > 1})
    if repeated:
        raise InvalidParameterError(
            f"the rows of the report must have distinct names; {', '.join(map(repr, repeated))} "
            "names more than one label (in target_names, or the labels as text)."
        )

    precision, recall, f1, support = precision_recall_fscore_support(
        y_true,
        y_pred,
        labels=labels,
        average=None,
        sample_weight=sample_weight,
        zero_division=zero_division,
    )
    # The recall warning, if any, already came from scikit-learn.
    sensitivity, specificity, _ = sensitivity_specificity_support(
        y_true,
        y_pred,
        labels=labels,
        average=None,
        warn_for=("specificity",),
        sample_weight=sample_weight,
        zero_division=zero_division,
    )
    geo_mean = np.sqrt(sensitivity * specificity)
    iba = (1.0 + alpha * (sensitivity - specificity)) * geo_mean**2

    headers = ["pre", "rec", "spe", "f1", "geo", "iba"]
    columns = [precision, recall, specificity, f1, geo_mean, iba]
    support = [_python_number(value) for value in support]
    total = _python_number(np.sum(support))

    report_dict = {}
    rows = []
    for i, name in enumerate(target_names):
        values = [float(column[i]) for column in columns]
        report_dict[name] = dict(zip(headers + ["sup"], values + [support[i]], strict=True))
        rows.append((name, *[f"{value:0.{digits}f}" for value in values], f"{support[i]}"))

    averages = []
    for header, column in zip(headers, columns, strict=True):
        # Weighted by support, leaving out classes whose value is undefined (NaN with
        # zero_division=np.nan), as scikit-learn's report does; their plain mean when no
        # class listed has a true sample.
        value = _average(column, weights=support)
        report_dict[f"avg_{header}"] = value
        averages.append(f"{value:0.{digits}f}")
    report_dict["total_support"] = total

    if output_dict:
        return report_dict
    return _text_report(rows, headers + ["sup"], ("avg / total", *averages, f"{total}"), digits)


def _python_number(value):
    """A numpy scalar as the matching plain Python ``int`` or ``float``."""
    return np.asarray(value).item()


def macro_averaged_mean_absolute_error(y_true, y_pred, *, sample_weight=None):
    """Compute the macro-averaged mean absolute error for ordinal classes.

    The mean absolute error is computed separately on the samples of each
    class of ``y_true``, then averaged with the same weight for every class,
    so that the frequent classes do not hide the errors on the rare ones.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground truth (correct) ordinal target values.

    y_pred : array-like of shape (n_samples,)
        Estimated ordinal targets as returned by a classifier.

    sample_weight : array-like of shape (n_samples,), default=None
        Sample weights.

    Returns
    -------
    loss : float
        The macro-averaged mean absolute error; the best value is 0.0.

    Notes
    -----
    The classes averaged are those of ``y_true``: a label that only appears
    in ``y_pred`` has no samples on which to compute an error, nor has a
    class whose samples all have a zero weight.

    Examples
    --------
    >>> from balancekit.metrics import macro_averaged_mean_absolute_error
    >>> y_true_imbalanced = [1, 2, 2, 2]
    >>> y_pred = [1, 2, 1, 2]
    >>> print(round(macro_averaged_mean_absolute_error(y_true_imbalanced, y_pred), 4))
    0.1667
    """
    kind, _, y_true, y_pred, sample_weight = _check_targets(y_true, y_pred, sample_weight)
    if kind == "multilabel-indicator":
        raise DataError(
            "macro_averaged_mean_absolute_error needs one ordinal label per sample; got a "
            "multilabel indicator matrix."
        )
    if y_true.dtype.kind not in "biuf" or y_pred.dtype.kind not in "biuf":
        raise DataError(
            "macro_averaged_mean_absolute_error needs numeric (ordinal) labels; got labels of "
            f"dtype {y_true.dtype} and {y_pred.dtype}."
        )
    if sample_weight is None:
        sample_weight = np.ones(y_true.shape[0])
    errors = []
    for label in np.unique(y_true):
        rows = np.flatnonzero(y_true == label)
        if not np.any(sample_weight[rows]):
            continue  # weighed as no sample at all
        if sample_weight[rows].sum() == 0:
            raise DataError(
                f"the sample weights of the {rows.size} rows of class {label.item()!r} in "
                "y_true sum to 0 (negative weights cancel the positive ones): the mean "
                "absolute error of the class is undefined."
            )
        errors.append(
            mean_absolute_error(y_true[rows], y_pred[rows], sample_weight=sample_weight[rows])
        )
    return float(np.mean(errors))
