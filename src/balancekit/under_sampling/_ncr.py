"""Neighbourhood cleaning rule."""

from collections import Counter
from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

from .._base import BaseSampler, Resampled
from .._exact import (
    Points,
    _pick_smallest,
    as_rows,
    check_n_jobs,
    nearest_across_positions,
    top_k,
    top_k_positions,
)
from .._neighbors import check_neighbors
from .._validation import check_real
from ..exceptions import InvalidParameterError, InvalidParameterTypeError
from ._enn import EditedNearestNeighbours
from ._rules import (
    check_enough,
    cleaning_rule,
    edit_need,
    edited_removed,
    encode,
    estimator_edited_removed,
    is_euclidean,
    label_codes,
    minority_label,
    rows_kept,
    vote,
)


def _shared_search(points, codes, minority_rows, clean, k_enn, k, n_jobs):
    """The searches of both steps on two classes, from one pass over their pairs.

    The edit (A1) needs, for each row of a cleaned class, its ``t``-th
    nearest row of the other class; the vote (A2) needs the ``k`` nearest
    rows of each minority row, which are the ``k`` nearest of its nearest
    minority rows and its nearest rows of the other class.

    Returns
    -------
    bounds : dict
        For :func:`edited_removed`.
    neighbors : ndarray of shape (n_minority, k)
        The ``k`` nearest rows of each minority row (``-1`` pads).
    """
    m = codes[minority_rows[0]]
    other_rows = np.flatnonzero(codes != m)
    _, t = edit_need(k_enn, "mode")
    k_b = max(k, t)
    sides = nearest_across_positions(points, other_rows, minority_rows, t, k_b, n_jobs=n_jobs)
    bounds = {}
    for code, refs, (raw, pos) in ((1 - m, minority_rows, sides[0]), (m, other_rows, sides[1])):
        if code in clean:
            sq, idx = as_rows(refs, raw[:, t - 1:t], pos[:, t - 1:t])
            bounds[code] = (sq[:, 0], idx[:, 0])
    # The k nearest of each minority row: among the minority rows and the others.
    n_min = minority_rows.size
    own_raw, own_pos = top_k_positions(points, minority_rows, minority_rows, k,
                                       self_pos=np.arange(n_min), n_jobs=n_jobs)
    raw_b, pos_b = sides[1]
    lists = [(own_raw, own_pos, minority_rows), (raw_b, pos_b, other_rows)]
    keep = [pos >= 0 for _, pos, _ in lists]
    _, neighbors = _pick_smallest(n_min, k, [
        (np.nonzero(ok)[0], raw[ok], refs[pos[ok]])
        for (raw, pos, refs), ok in zip(lists, keep, strict=True)
    ])
    return bounds, neighbors


class NeighbourhoodCleaningRule(BaseSampler):
    """Edited nearest neighbours, then the neighbours of misclassified minority rows.

    Two groups of rows of the cleaned classes are removed:

    * A1, the rows that edited nearest neighbours removes (by default with
      ``kind_sel='mode'`` and ``n_neighbors`` neighbours);
    * A2, the ``n_neighbors`` nearest neighbours of each minority row that a
      ``n_neighbors``-NN vote misclassifies (the row itself voting with its
      ``n_neighbors - 1`` nearest neighbours), when they belong to a class
      being cleaned that is larger than ``threshold_cleaning`` times the
      minority class.

    The kept rows stay in their original order. The rows removed are the
    ones imbalanced-learn's ``NeighbourhoodCleaningRule`` removes; both steps
    share the exact neighbour searches of balancekit.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        The classes to clean: ``'auto'`` (every class but the minority),
        ``'majority'``, ``'not minority'``, ``'not majority'``, ``'all'``, a
        list of labels, or a callable returning a dict whose keys are the
        labels.
    edited_nearest_neighbours : sampler, default=None
        The sampler of the first step, cloned. ``None`` means
        ``EditedNearestNeighbours(sampling_strategy=sampling_strategy,
        n_neighbors=n_neighbors, kind_sel='mode')``. Any object with
        ``fit_resample`` setting ``sample_indices_`` works.
    n_neighbors : int or estimator, default=3
        Size of the neighbourhoods. A ``NearestNeighbors`` object counts the
        row itself (``NearestNeighbors(n_neighbors=4)`` means 3, as in
        imbalanced-learn); a ``KNeighborsClassifier`` is the vote of the
        second step, its ``n_neighbors`` also used by the first.
    threshold_cleaning : float, default=0.5
        A class is cleaned in the second step only when it has more than
        ``threshold_cleaning`` times as many rows as the minority class.
    n_jobs : int, default=None
        Threads for the neighbour searches (``None`` or ``-1``: all cores).

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` of the classes that may be cleaned, with their
        size before cleaning.
    edited_nearest_neighbours_ : sampler
        The sampler of the first step (fitted when one was given; the
        default one is applied without being fitted).
    nn_ : KNeighborsClassifier
        The vote of the second step (not fitted).
    classes_to_clean_ : list
        The classes cleaned in the second step.
    sample_indices_ : ndarray of shape (n_samples_new,)
        Rows of the input that were kept, in increasing order.
    sample_weight_ : ndarray of shape (n_samples_new,) or None
        The weights of the output rows when ``sample_weight`` is given to
        ``fit_resample`` (each row keeps the weight of the input row it was
        copied or generated from); ``None`` otherwise.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.
    feature_names_in_ : ndarray of str
        Column names seen in ``fit_resample``, when ``X`` has them.

    See Also
    --------
    EditedNearestNeighbours : the first step alone.

    Notes
    -----
    The minority class is the smallest class of ``y``; among equally small
    classes, the one seen first in ``y``. Distances are Euclidean; of two
    equally distant rows, the one with the lower row index is the nearer.

    References
    ----------
    J. Laurikkala, "Improving identification of difficult small classes by
    balancing class distribution", Springer, 2001.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from balancekit.under_sampling import NeighbourhoodCleaningRule
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], class_sep=0.8,
    ...                            random_state=0)
    >>> ncr = NeighbourhoodCleaningRule()
    >>> X_res, y_res = ncr.fit_resample(X, y)
    >>> bool((y_res == 1).sum() == (y == 1).sum())
    True
    """

    _sampling_type = "clean-sampling"
    _accept_sparse = True

    def __init__(
        self, *, sampling_strategy="auto", edited_nearest_neighbours=None, n_neighbors=3,
        threshold_cleaning=0.5, n_jobs=None,
    ):
        self.sampling_strategy = sampling_strategy
        self.edited_nearest_neighbours = edited_nearest_neighbours
        self.n_neighbors = n_neighbors
        self.threshold_cleaning = threshold_cleaning
        self.n_jobs = n_jobs

    def _read_neighbors(self):
        """``(k_vote, classifier, k_enn, enn_estimator)`` from ``n_neighbors``."""
        value = self.n_neighbors
        if isinstance(value, KNeighborsClassifier):
            k = int(value.n_neighbors)
            if k < 1:
                raise InvalidParameterError(
                    f"n_neighbors={value!r} must have n_neighbors >= 1."
                )
            params = value.get_params()
            search = NearestNeighbors(
                n_neighbors=k + 1, algorithm=params["algorithm"], leaf_size=params["leaf_size"],
                metric=params["metric"], p=params["p"], metric_params=params["metric_params"],
            )
            return k, clone(value), k, search
        if isinstance(value, Integral) and not isinstance(value, bool):
            k, _ = check_neighbors("n_neighbors", value)
            return k, KNeighborsClassifier(n_neighbors=k, n_jobs=self.n_jobs), k, None
        if hasattr(value, "kneighbors") and hasattr(value, "fit"):
            k, estimator = check_neighbors("n_neighbors", value)
            # The vote is a plain Euclidean k-NN of that size, as in imbalanced-learn.
            return k, KNeighborsClassifier(n_neighbors=k, n_jobs=self.n_jobs), k, estimator
        raise InvalidParameterTypeError(
            "n_neighbors must be an integer, a NearestNeighbors-like object or a "
            f"KNeighborsClassifier; got {value!r} of type {type(value).__name__}."
        )

    def _fit_resample(self, X, y, *, targets, rng):
        threshold = check_real(
            "threshold_cleaning", self.threshold_cleaning, min_value=0, include_min=False
        )
        check_n_jobs(self.n_jobs)
        k, classifier, k_enn, enn_estimator = self._read_neighbors()
        self.nn_ = classifier
        codes, labels = encode(y)
        rows = np.arange(y.shape[0])
        points = Points(X)
        clean = label_codes(labels, targets)

        minority = minority_label(y)
        minority_rows = np.flatnonzero(y == minority)
        euclidean = is_euclidean(classifier)
        shared = None
        if (labels.size == 2 and self.edited_nearest_neighbours is None and euclidean
                and not points.tree
                and (enn_estimator is None or is_euclidean(enn_estimator))):
            check_enough("n_neighbors", k_enn, rows.size)
            check_enough("n_neighbors", k, rows.size)
            shared = _shared_search(points, codes, minority_rows, clean, k_enn, k, self.n_jobs)

        # A1: the rows edited nearest neighbours removes.
        if self.edited_nearest_neighbours is None:
            self.edited_nearest_neighbours_ = EditedNearestNeighbours(
                sampling_strategy=self.sampling_strategy,
                n_neighbors=k_enn if enn_estimator is None else enn_estimator,
                kind_sel="mode", n_jobs=self.n_jobs,
            )
            if enn_estimator is None or is_euclidean(enn_estimator):
                a1 = edited_removed(
                    points, codes, labels.size, rows, clean, k_enn, "mode",
                    bounds=None if shared is None else shared[0], n_jobs=self.n_jobs,
                )
            else:
                a1 = estimator_edited_removed(
                    X, codes, labels.size, rows, clean, k_enn, "mode", enn_estimator,
                    n_jobs=self.n_jobs,
                )
        else:
            name = "edited_nearest_neighbours"
            enn = cleaning_rule(name, self.edited_nearest_neighbours, None,
                                "a cleaning rule such as EditedNearestNeighbours")
            a1 = np.setdiff1d(rows, rows_kept(name, enn, X, y))
            self.edited_nearest_neighbours_ = enn

        # A2: neighbours of the minority rows the k-NN vote gets wrong.
        counts = Counter(y.tolist())
        targets_set = set(targets)
        self.classes_to_clean_ = [
            label for label, n in counts.items()
            if label in targets_set and n > counts[minority] * threshold
        ]
        if euclidean:
            check_enough("n_neighbors", k, rows.size)
            if shared is None:
                _, nb = top_k(points, minority_rows, rows, k, n_jobs=self.n_jobs)
            else:
                nb = shared[1]
            own = codes[minority_rows][:, None]
            # The vote of a row of the training set counts the row itself.
            voters = np.concatenate([own, codes[nb[:, : k - 1]]], axis=1)
            wrong = vote(voters, labels.size) != own[:, 0]
        else:
            model = clone(classifier).fit(X, y)
            wrong = model.predict(X[minority_rows]) != y[minority_rows]
            nb = model.kneighbors(X[minority_rows], n_neighbors=k + 1, return_distance=False)
            nb = nb[:, 1:]
        a2 = np.unique(nb[wrong].ravel())
        a2 = a2[a2 >= 0]
        a2 = a2[np.isin(codes[a2], label_codes(labels, self.classes_to_clean_))]
        removed = np.union1d(a1, a2)
        return Resampled(np.setdiff1d(rows, removed, assume_unique=True))
