"""The validation folds of a comparison: from a number of folds, a splitter or given splits."""

import warnings
from dataclasses import dataclass
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.model_selection import RepeatedStratifiedKFold, StratifiedGroupKFold
from sklearn.utils import check_random_state

from .._strategy import class_counts
from .._validation import check_not_a_class, label_values, unique_labels
from ..exceptions import (
    BalancekitWarning,
    DataError,
    InvalidParameterError,
    InvalidParameterTypeError,
)

#: The longest ``repr`` of a splitter quoted in a message or in the summary.
MAX_REPR = 120


@dataclass
class Folds:
    """The (train, test) splits of a comparison and how to talk about them.

    Attributes
    ----------
    splits : list of (ndarray, ndarray)
        The training and validation row indices of every fold.
    per_repeat : int
        Folds per repeat: fold ``i`` is fold ``i % per_repeat + 1`` of repeat
        ``i // per_repeat + 1``.
    pooled : int
        The first ``pooled`` folds have disjoint validation rows: their
        predictions are pooled for the curves and confusion matrices.
    description : str
        How the splits were made, e.g. ``RepeatedStratifiedKFold(...)``.
    short : str
        A few words for titles, e.g. ``5-fold CV x 2 repeats``.
    test_fraction : float
        ``n_test / n_train`` (mean validation rows over mean training rows),
        for the corrected resampled t-test.
    """

    splits: list
    per_repeat: int
    pooled: int
    description: str
    short: str
    test_fraction: float

    def where(self, index, *, compact=False):
        """``'fold 2 of 5'``, with ``' (repeat 3)'`` after the first repeat.

        ``compact``: ``'fold 2/5'``, with ``', repeat 3'`` (for progress bars).
        """
        repeat, fold = divmod(index, self.per_repeat)
        if compact:
            return f"fold {fold + 1}/{self.per_repeat}" + (f", repeat {repeat + 1}" if repeat
                                                           else "")
        return f"fold {fold + 1} of {self.per_repeat}" + (f" (repeat {repeat + 1})" if repeat
                                                          else "")


def short_repr(obj):
    """``repr(obj)``, or its type name when the repr is long (it may hold index arrays)."""
    text = repr(obj)
    return text if len(text) <= MAX_REPR and "\n" not in text else f"{type(obj).__name__}(...)"


def check_groups(groups, n_rows):
    """Return ``groups`` as a 1-D array of ``n_rows`` values without missing ones, or None.

    Parameters
    ----------
    groups : array-like of shape (n_samples,) or None
        The group of every row (a customer, a patient, a day).
    n_rows : int
        The number of rows of X.

    Returns
    -------
    groups : ndarray of shape (n_samples,) or None
    """
    if groups is None:
        return None
    if isinstance(groups, (str, bytes)) or not hasattr(groups, "__len__"):
        raise InvalidParameterTypeError(
            f"groups must be array-like with one value per row; got {short_repr(groups)} of type "
            f"{type(groups).__name__}."
        )
    values = label_values(groups)  # pyarrow Arrays too, which refuse to copy by default
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim != 1:
        raise DataError(
            f"groups must be 1-D with one value per row; got an array of shape {values.shape}."
        )
    if values.shape[0] != n_rows:
        raise DataError(
            f"groups must have one value per row of X ({n_rows:,}); got {values.shape[0]:,}."
        )
    missing = pd.isna(values)
    if missing.any():
        first = int(np.flatnonzero(missing)[0])
        raise DataError(
            f"groups has {int(missing.sum()):,} missing value(s), the first at row {first:,}; "
            "every row needs a group."
        )
    return values


def make_folds(cv, repeats, y, groups, random_state, X=None):
    """The validation folds for ``cv``, ``repeats`` and ``groups`` (see :func:`compare`).

    Parameters
    ----------
    cv : int, splitter or iterable of (train, test) pairs
        The number of folds, a scikit-learn splitter (``split`` and
        ``get_n_splits``), or the splits themselves.
    repeats : int
        Repeats of an integer ``cv``; must be 1 otherwise.
    y : ndarray of shape (n_samples,)
        The labels (stratification).
    groups : ndarray of shape (n_samples,) or None
        Checked groups (:func:`check_groups`).
    random_state : int or None
        Seeds the shuffles of an integer ``cv``.
    X : dataframe of shape (n_samples, n_features), default=None
        The features, given to a splitter's ``split`` (one that estimates
        something from them, such as
        :class:`~balancekit.model_selection.InstanceHardnessCV`, needs them);
        ``None`` gives it a column of zeros.

    Returns
    -------
    folds : Folds
    """
    n = y.shape[0]
    # Integer codes of the groups (labels of mixed types, such as 7 and 'a', cannot be
    # sorted); a splitter given by the user gets the groups as they are.
    codes = None if groups is None else pd.factorize(groups)[0]
    if isinstance(cv, Integral) and not isinstance(cv, bool):
        return _k_fold(int(cv), repeats, y, codes, random_state)
    check_not_a_class("cv", cv, "an integer, a scikit-learn splitter or (train, test) pairs")
    if isinstance(cv, (str, bytes, dict, float, bool)) or not (
        hasattr(cv, "split") or hasattr(cv, "__iter__")
    ):
        raise InvalidParameterTypeError(
            "cv must be an integer (the number of folds), a scikit-learn splitter (an object "
            "with split and get_n_splits) or an iterable of (train, test) index pairs; got "
            f"{short_repr(cv)} of type {type(cv).__name__}."
        )
    given = "a splitter" if hasattr(cv, "split") else "the splits"
    if repeats != 1:
        raise InvalidParameterError(
            f"repeats={repeats} applies to an integer cv only, but cv={short_repr(cv)} gives "
            f"{given}: leave repeats=1 and repeat inside cv (e.g. RepeatedStratifiedKFold)."
        )
    if hasattr(cv, "split"):
        if not hasattr(cv, "get_n_splits"):
            raise InvalidParameterTypeError(
                f"cv={short_repr(cv)} has split but no get_n_splits; a splitter needs both."
            )
        try:
            splits = list(cv.split(np.zeros((n, 1)) if X is None else X, y, groups))
        except (ValueError, TypeError) as exc:
            hint = " Pass groups= (one value per row)." if groups is None and "group" in str(
                exc).lower() else ""
            if getattr(cv, "estimator", None) is not None and X is not None:
                hint += (
                    f" The splitter's estimator is fitted on X as given (text columns, "
                    f"missing values included): give it one that takes them, such as a "
                    f"pipeline that encodes and imputes before "
                    f"{type(cv.estimator).__name__}."
                )
            raise InvalidParameterError(
                f"cv={short_repr(cv)} could not split the {n:,} rows: {exc}{hint}"
            ) from None
        description = short_repr(cv)
    else:
        splits = list(cv)
        description = f"{len(splits)} given (train, test) splits"
    splits = [_check_split(i, split, n) for i, split in enumerate(splits)]
    if not splits:
        raise InvalidParameterError(f"cv={short_repr(cv)} gave no (train, test) split.")
    if codes is not None:
        _check_groups_apart(splits, codes)
    short = f"{len(splits)} splits ({type(cv).__name__})" if hasattr(cv, "split") else (
        f"{len(splits)} given splits")
    return Folds(splits, len(splits), _disjoint_prefix(splits), description, short,
                 _test_fraction(splits))


def _k_fold(cv, repeats, y, groups, random_state):
    if cv < 2:
        raise InvalidParameterError(f"cv={cv} is out of range; it must be >= 2.")
    counts = class_counts(y)
    smallest = min(counts, key=counts.__getitem__)
    n_smallest = counts[smallest]
    if n_smallest < cv:
        raise DataError(
            f"cv={cv} needs at least {cv} samples in every class, but class {smallest!r} has "
            f"{n_smallest}; "
            + (f"lower cv to at most {n_smallest}." if n_smallest >= 2 else
               "a class of one row cannot be cross-validated (it would be in the training "
               "folds or in a test fold, not both): gather more rows of it, or drop it.")
        )
    several = f" x {repeats} repeats" if repeats > 1 else ""
    if groups is None:
        splitter = RepeatedStratifiedKFold(n_splits=cv, n_repeats=repeats,
                                           random_state=random_state)
        splits = list(splitter.split(np.zeros((y.shape[0], 1)), y))
        description = (f"RepeatedStratifiedKFold(n_splits={cv}, n_repeats={repeats}, "
                       f"random_state={random_state})")
        short = f"{cv}-fold CV{several}"
    else:
        n_groups = int(groups.max()) + 1
        if n_groups < cv:
            advice = (f"lower cv to at most {n_groups}." if n_groups >= 2 else
                      "every row is in one group, so no split can keep the groups apart: "
                      "give each row its group (a customer, a patient), or leave groups out.")
            raise DataError(
                f"cv={cv} needs at least {cv} groups, one per fold, but groups has {n_groups} "
                f"distinct value{'s' if n_groups > 1 else ''}; {advice}"
            )
        splits, distinct = _grouped_repeats(cv, repeats, y, groups, random_state)
        if distinct < repeats:
            warnings.warn(
                f"repeats={repeats}: the groups allow {distinct} distinct "
                f"split{'s' if distinct > 1 else ''} into {cv} folds. A stratified group "
                "split reshuffles only groups whose classes are spread alike, so the other "
                "repeats would give the same folds again, and count them twice in the t-test; "
                f"the comparison uses the {distinct} distinct one{'s' if distinct > 1 else ''}.",
                BalancekitWarning,
                stacklevel=4,
            )
        description = (f"StratifiedGroupKFold(n_splits={cv}, shuffle=True) on {n_groups:,} "
                       f"groups, {distinct} distinct repeat{'s' if distinct > 1 else ''} seeded "
                       f"from random_state={random_state}")
        several = f" x {distinct} repeats" if distinct > 1 else ""
        short = f"{cv}-fold grouped CV{several}"
    return Folds(splits, cv, cv, description, short, _test_fraction(splits))


def _grouped_repeats(cv, repeats, y, codes, random_state):
    """Up to ``repeats`` distinct stratified group k-fold splits, and how many were found.

    Each repeat is a shuffled ``StratifiedGroupKFold`` with a seed drawn from
    ``random_state`` (as ``RepeatedStratifiedKFold`` draws its seeds). It only
    reshuffles groups whose classes are spread alike, so some seeds give a
    split already found: they are skipped, and at most ``4 * repeats`` seeds
    are tried.
    """
    rng = check_random_state(random_state)
    X = np.zeros((y.shape[0], 1))
    splits, seen = [], set()
    for seed in rng.randint(np.iinfo(np.int32).max, size=4 * repeats):
        found = StratifiedGroupKFold(n_splits=cv, shuffle=True, random_state=seed).split(
            X, y, codes)
        found = [_check_split(len(splits) + i, split, y.shape[0])
                 for i, split in enumerate(found)]
        key = frozenset(frozenset(np.unique(codes[test]).tolist()) for _, test in found)
        if key in seen:
            continue
        seen.add(key)
        splits += found
        if len(seen) == repeats:
            break
    return splits, len(seen)


def check_fold_classes(folds, y, pos, grouped, role="rare class"):
    """Check the classes of each split; return a note on validation rows without ``pos``.

    A split whose training rows lack a class makes every strategy fail (a
    model cannot learn a class it never sees): an error before any fit says
    which split. A split whose validation rows hold no row of the rare
    class ``pos`` leaves its recall, F1, MCC, G-mean, ROC-AUC and PR-AUC
    undefined or degenerate: a warning and the returned note say how many.

    Parameters
    ----------
    folds : Folds
    y : ndarray of shape (n_samples,)
    pos : label
        The rare class.
    grouped : bool
        Whether the splits keep groups apart (for the advice of the error).
    role : str, default='rare class'
        What the note calls ``pos``: ``'positive class'`` for a ``pos_label``
        naming a larger class.

    Returns
    -------
    note : str
        ``''`` when every validation fold holds the rare class.
    """
    classes = unique_labels(y)
    without = []
    for i, (train, test) in enumerate(folds.splits):
        missing = np.setdiff1d(classes, y[train])
        if missing.size:
            advice = (
                "with groups, a class held by few groups can fall into one fold: use fewer "
                "folds, or groups that spread it" if grouped else
                "choose splits whose training rows hold every class (a time-ordered "
                "splitter's first windows can end before a rare class first appears)")
            raise DataError(
                f"cv: {folds.where(i)} has no row of class {missing.tolist()[0]!r} in its "
                f"training rows, so no strategy can learn that class there; {advice}."
            )
        if not (y[test] == pos).any():
            without.append(folds.where(i))
    if not without:
        return ""
    shown = ", ".join(without[:5]) + (", ..." if len(without) > 5 else "")
    note = (
        f"{len(without)} of the {len(folds.splits)} validation folds hold no row of the {role} "
        f"{np.asarray(pos).tolist()!r} ({shown}): their recall, F1, MCC and G-mean are "
        "degenerate and their ROC-AUC and PR-AUC undefined, which moves the means; use fewer "
        f"folds, or groups or splits that spread the {role}."
    )
    warnings.warn(note, BalancekitWarning, stacklevel=3)
    return note


def _check_split(i, split, n):
    """One (train, test) pair as integer index arrays, checked; errors quote no indices."""
    where = f"cv: split {i + 1}"
    try:
        train, test = split
    except (TypeError, ValueError):
        raise InvalidParameterTypeError(
            f"{where} is not a (train, test) pair of index arrays; got a "
            f"{type(split).__name__}."
        ) from None
    out = []
    for name, idx in (("train", train), ("test", test)):
        arr = np.asarray(idx)
        if arr.dtype == bool and arr.ndim == 1 and arr.shape[0] == n:
            arr = np.flatnonzero(arr)
        if arr.ndim != 1 or not (arr.size == 0 or np.issubdtype(arr.dtype, np.integer)):
            raise InvalidParameterTypeError(
                f"{where}: the {name} rows must be a 1-D array of integer row positions; got "
                f"an array of shape {arr.shape} and dtype {arr.dtype}."
            )
        if arr.size == 0:
            raise InvalidParameterError(f"{where} has no {name} rows.")
        if arr.min() < 0 or arr.max() >= n:
            raise InvalidParameterError(
                f"{where}: the {name} rows must be positions in 0..{n - 1}; got values from "
                f"{arr.min()} to {arr.max()}."
            )
        out.append(arr.astype(np.intp))
    # Training rows may repeat (a bootstrap); a repeated validation row would be scored, and
    # pooled into the curves, more than once.
    repeated = out[1].size - np.unique(out[1]).size
    if repeated:
        raise InvalidParameterError(
            f"{where} repeats {repeated:,} of its test rows: each validation row is scored "
            "once; give each position once."
        )
    shared = np.intersect1d(out[0], out[1]).size
    if shared:
        raise InvalidParameterError(
            f"{where} has {shared:,} row(s) in both its train and test rows: a model would be "
            "scored on rows it was trained on."
        )
    return out[0], out[1]


def _check_groups_apart(splits, groups):
    """Warn when a group has rows on both sides of a split (the leak groups are for)."""
    leaky = [
        i for i, (train, test) in enumerate(splits)
        if np.intersect1d(groups[train], groups[test]).size
    ]
    if leaky:
        warnings.warn(
            f"groups: {len(leaky)} of the {len(splits)} splits of cv have rows of one group in "
            "both their training and validation rows, so the scores can be too optimistic. Use "
            "a group-aware splitter (GroupKFold, StratifiedGroupKFold) or an integer cv.",
            BalancekitWarning,
            stacklevel=4,
        )


def _disjoint_prefix(splits):
    """How many leading splits have validation rows that do not overlap."""
    seen = np.zeros(max(int(max(t.max() for _, t in splits)) + 1, 1), dtype=bool)
    for count, (_, test) in enumerate(splits):
        if seen[test].any():
            return count
        seen[test] = True
    return len(splits)


def _test_fraction(splits):
    """``n_test / n_train`` of the splits (means over the folds)."""
    n_test = np.mean([test.size for _, test in splits])
    n_train = np.mean([train.size for train, _ in splits])
    return float(n_test / n_train)
