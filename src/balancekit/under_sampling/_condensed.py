"""Condensed nearest neighbours and one-sided selection."""

from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.neighbors import KNeighborsClassifier

from .._base import BaseSampler, Resampled
from .._exact import (
    Points,
    _merge,
    _rounding,
    as_rows,
    check_n_jobs,
    nearest_across_positions,
    nonzero_2d,
    pair_sq,
    top_k_positions,
)
from .._validation import check_int, plain_label
from ..exceptions import DataError, InvalidParameterError, InvalidParameterTypeError
from ._rules import encode, is_euclidean, label_codes, minority_label, tomek_removed, vote


def read_classifier(value, n_jobs):
    """``(k, classifier, fast)`` for the ``n_neighbors`` of CNN and OSS."""
    if value is None:
        return 1, KNeighborsClassifier(n_neighbors=1, n_jobs=n_jobs), True
    if isinstance(value, Integral) and not isinstance(value, bool):
        if value < 1:
            raise InvalidParameterError(
                f"n_neighbors={value} is out of range; it must be None, an integer >= 1 or a "
                "sklearn.neighbors.KNeighborsClassifier."
            )
        return int(value), KNeighborsClassifier(n_neighbors=int(value), n_jobs=n_jobs), True
    if isinstance(value, KNeighborsClassifier):
        return int(value.n_neighbors), clone(value), is_euclidean(value)
    raise InvalidParameterTypeError(
        "n_neighbors must be None, an integer or a sklearn.neighbors.KNeighborsClassifier; got "
        f"{value!r} of type {type(value).__name__}."
    )


def _store_neighbors(points, queries, store, k, n_jobs=None):
    """Top-k of each query row among the rows ``store`` (in store order, repeats allowed).

    Returns the squared distances and store positions, nearest first; ties
    go to the earlier store position.
    """
    return top_k_positions(points, queries, store, k, n_jobs=n_jobs)


def _one_nn_wrong(points, members, others, minority_rows, seeds, n_jobs=None):
    """Rows of ``others`` whose nearest row of the store (minority rows, then seeds) is a minority row.

    One pass over the pairs of the class and the minority class
    (:func:`~balancekit._exact.nearest_across_positions`) gives each row of the class its nearest
    minority row, and each minority row its nearest row of the class: the
    search the Tomek step needs next. Of a minority row and a seed equally
    near, the minority row (earlier in the store) is the nearest.

    Returns
    -------
    wrong : ndarray of bool of shape (len(others),)
    nearest : tuple of two ndarrays of shape (n,) or None
        Squared distance and index of the nearest row of the class for each
        minority row (index ``-1`` elsewhere), for :func:`tomek_removed`;
        ``None`` on data searched with a k-d tree, where the Tomek step does
        not use it.
    """
    if points.tree:
        raw_min, _ = top_k_positions(points, members, minority_rows, 1, n_jobs=n_jobs)
    else:
        (raw_min, _), (raw_back, pos_back) = nearest_across_positions(
            points, members, minority_rows, 1, 1, n_jobs=n_jobs
        )
    raw_seed, _ = top_k_positions(points, others, seeds, 1, n_jobs=n_jobs)
    wrong = ~(raw_seed[:, 0] < raw_min[np.searchsorted(members, others), 0])
    if points.tree:
        return wrong, None
    sq = np.full(points.n, np.inf)
    idx = np.full(points.n, -1, dtype=np.intp)
    back_sq, back_idx = as_rows(members, raw_back, pos_back)
    sq[minority_rows], idx[minority_rows] = back_sq[:, 0], back_idx[:, 0]
    return wrong, (sq, idx)


def _products(points, Q, store):
    """The products of the query rows ``Q`` with the exact rows of ``store``, dense."""
    D = Q @ points.exact(store).T
    return D.toarray() if sp.issparse(D) else D


def _margin(points):
    """Share of the squared norms of a pair that bounds the rounding of its product:
    ``2 c (|q|^2 + |x|^2)``, taken twice (``c`` of :func:`~balancekit._exact._rounding`,
    as in ``Points.pair_margins``)."""
    return 4.0 * _rounding(points.n_features)[1]


def _nearer(points, Q, low, rows, store, thr):
    """Pairs of ``rows`` and ``store`` rows nearer than each row's ``thr``.

    ``Q`` holds the rows' query rows ``[-2 q, 1]``, whose products with the
    store's exact rows screen the pairs: ``d^2 - |q|^2`` within the margin
    of :func:`_margin`; ``low`` holds ``|q|^2`` less its part of the
    margin. The pairs that may be nearer get their squared distances
    (:func:`~balancekit._exact.pair_sq`), which decide, as in the searches.

    Returns the positions in ``rows`` and in ``store`` of the pairs nearer
    than ``thr`` (strictly) and their squared distances.
    """
    D = _products(points, Q, store)
    D += low[:, None]
    D -= _margin(points) * points.sq[store]
    r, s = nonzero_2d(D < thr[:, None])
    d = pair_sq(points, rows[r], store[s])
    keep = d < thr[r]
    return r[keep], s[keep], d[keep]


def _condense_class(points, codes, n_classes, members, store, k, seeds, n_jobs=None):
    """Scan the rows of one class in order, adding to the store those it misclassifies.

    Parameters
    ----------
    points : Points
    codes : ndarray of int
        Class codes of every row.
    n_classes : int
    members : ndarray of int
        Rows of the class, in increasing order (scanned in that order).
    store : ndarray of int
        The starting store: the minority rows, then the seeds.
    k : int
        Neighbours of the k-NN rule.
    seeds : ndarray of int
        Rows of the class drawn as seeds (repeats allowed).

    Returns
    -------
    selected : list of int
        The seeds, then each row added, in order.
    store : ndarray of int
        The final store.
    """
    target = codes[members[0]]
    n_s = members.size
    n_start = store.size
    store = np.concatenate([store, np.empty(n_s, dtype=np.intp)])
    store_codes = np.concatenate([codes[store[:n_start]], np.full(n_s, target, dtype=np.intp)])
    size = n_start
    selected = [int(s) for s in seeds]
    # A row is not examined when its position within the class equals the
    # index of a selected row, as in imbalanced-learn's scan.
    skip = set(selected)
    # Nearest store members of every row of the class; a block of rows is
    # brought up to date with the members added since, when the scan reaches it.
    best_d, best_c = _store_neighbors(points, members, store[:n_start], k, n_jobs)
    block = 1024
    seen = np.full(-(-n_s // block), n_start, dtype=np.intp)
    Q = points.exact_queries(members)  # [-2 q, 1]; sparse rows stay sparse
    low = (1.0 - _margin(points)) * points.sq[members]
    last = -1
    for b, cs in enumerate(range(0, n_s, block)):
        ce = min(n_s, cs + block)
        view_d, view_c = best_d[cs:ce], best_c[cs:ce]
        if seen[b] < size:
            hit_r, hit_c, hit_d = _nearer(points, Q[cs:ce], low[cs:ce], members[cs:ce],
                                          store[seen[b]:size], view_d[:, -1])
            if hit_r.size:
                _merge(view_d, view_c, hit_r, hit_d, hit_c + seen[b], k)
        pos = max(last + 1, cs)
        while pos < ce:
            wrong = vote(store_codes[best_c[pos:ce]], n_classes) != target
            q = next((int(c) for c in np.flatnonzero(wrong) + pos if c not in skip), None)
            if q is None:
                break
            row = int(members[q])
            selected.append(row)
            skip.add(row)
            store[size] = row
            size += 1
            if q + 1 < ce:
                rest_d, rest_c = best_d[q + 1:ce], best_c[q + 1:ce]
                closer, _, d = _nearer(points, Q[q + 1:ce], low[q + 1:ce], members[q + 1:ce],
                                       store[size - 1:size], rest_d[:, -1])
                if closer.size:
                    _merge(rest_d, rest_c, closer, d,
                           np.full(closer.size, size - 1, dtype=np.intp), k)
            last = q
            pos = q + 1
        seen[b] = size
    return selected, store[:size]


class CondensedNearestNeighbour(BaseSampler):
    """Keep a subset of each class on which a k-NN rule classifies the class correctly.

    For each class being cleaned, a store starts with every row of the
    minority class and ``n_seeds_S`` rows of the class drawn at random. The
    rows of the class are then scanned in order: a row that the k-NN rule on
    the store misclassifies is added to the store. The rows kept are the
    seeds and the rows added, plus every row of the classes not cleaned. The
    kept rows stay in their original order.

    The scan is the one of imbalanced-learn's ``CondensedNearestNeighbour``:
    for the same ``random_state`` the same rows are kept (when the k-NN rule
    is a Euclidean ``KNeighborsClassifier`` with uniform weights, as by
    default; with another classifier, its own predictions are used). That
    includes a detail of imbalanced-learn's scan: a row is not examined when
    its position within its class equals the row index of a row already
    selected. Instead of refitting the classifier after each addition, the
    nearest store members of each row are kept and brought up to date as the
    scan reaches them, so the cost is about that of one neighbour search.
    Of store members equally near a row, the one added first counts: with
    distance ties (integer-valued features), imbalanced-learn's choice
    depends on scikit-learn's search (a k-d tree at few features), so the
    rows kept can differ there; they are the same as its rows with a
    brute-force search.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        The classes to clean: ``'auto'`` (every class but the minority),
        ``'majority'``, ``'not minority'``, ``'not majority'``, ``'all'``, a
        list of labels, or a callable returning a dict whose keys are the
        labels.
    random_state : int, RandomState instance or None, default=None
        Seeds the draw of the seeds.
    n_neighbors : int, KNeighborsClassifier or None, default=None
        The k-NN rule: ``None`` for 1 neighbour, an integer number of
        neighbours, or a ``KNeighborsClassifier``.
    n_seeds_S : int, default=1
        Number of rows of the class drawn (with replacement) to start the
        store.
    n_jobs : int, default=None
        Threads for the neighbour searches (``None`` or ``-1``: all cores).

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` of the classes that were cleaned, with their
        size before cleaning.
    estimators_ : list of KNeighborsClassifier
        For each class cleaned, the k-NN rule fitted on its final store.
    sample_indices_ : ndarray of shape (n_samples_new,)
        Rows of the input that were kept, in increasing order (a seed drawn
        twice is kept once).
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
    OneSidedSelection : a single pass, then Tomek links.
    EditedNearestNeighbours : remove rows whose neighbours disagree.

    Notes
    -----
    The minority class is the smallest class of ``y``; among equally small
    classes, the one seen first in ``y``. Of two equally distant store
    members, the one added to the store first is the nearer.

    References
    ----------
    P. Hart, "The condensed nearest neighbor rule", IEEE Transactions on
    Information Theory 14(3), 1968.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from balancekit.under_sampling import CondensedNearestNeighbour
    >>> X, y = make_classification(n_samples=500, weights=[0.8], random_state=0)
    >>> cnn = CondensedNearestNeighbour(random_state=0)
    >>> X_res, y_res = cnn.fit_resample(X, y)
    >>> bool(len(y_res) < len(y))
    True
    """

    _sampling_type = "clean-sampling"
    _accept_sparse = True

    def __init__(
        self, *, sampling_strategy="auto", random_state=None, n_neighbors=None, n_seeds_S=1,
        n_jobs=None,
    ):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_seeds_S = n_seeds_S
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y, *, targets, rng):
        n_seeds = check_int("n_seeds_S", self.n_seeds_S, min_value=1)
        check_n_jobs(self.n_jobs)
        k, classifier, fast = read_classifier(self.n_neighbors, self.n_jobs)
        codes, labels = encode(y)
        minority = minority_label(y)
        minority_rows = np.flatnonzero(y == minority)
        clean = set(label_codes(labels, targets).tolist())
        points = Points(X) if fast else None
        keep = []
        self.estimators_ = []
        for code, label in enumerate(labels):
            members = np.flatnonzero(codes == code)
            if code not in clean:
                keep.append(members)
                continue
            seeds = members[rng.randint(low=0, high=members.size, size=n_seeds)]
            store = np.append(minority_rows, seeds)
            if k > store.size:
                raise DataError(
                    f"n_neighbors={k} needs a store of at least {k} samples, but the minority "
                    f"class and the seeds of class {plain_label(label)!r} make {store.size}. Use a "
                    "smaller n_neighbors or a larger n_seeds_S."
                )
            if fast:
                selected, store = _condense_class(
                    points, codes, labels.size, members, store, k, seeds, self.n_jobs
                )
            else:
                selected, store = _condense_with(classifier, X, y, members, store, seeds)
            store = np.asarray(store, dtype=np.intp)
            self.estimators_.append(clone(classifier).fit(X[store], y[store]))
            keep.append(np.asarray(selected, dtype=np.intp))
        return Resampled(np.unique(np.concatenate(keep)))


def _condense_with(classifier, X, y, members, store, seeds):
    """The scan of :func:`_condense_class` with any classifier, refitted at each addition."""
    store = list(store)
    selected = [int(s) for s in seeds]
    S_x, S_y = X[members], y[members]
    model = clone(classifier).fit(X[np.asarray(store)], y[np.asarray(store)])
    good = set(selected)
    for pos in range(members.size):
        if pos in good:
            continue
        if model.predict(S_x[pos:pos + 1])[0] != S_y[pos]:
            row = int(members[pos])
            selected.append(row)
            store.append(row)
            model = clone(classifier).fit(X[np.asarray(store)], y[np.asarray(store)])
            correct = np.flatnonzero(model.predict(S_x) == S_y)
            good = set(selected) | set(correct.tolist())
    return selected, store


class OneSidedSelection(BaseSampler):
    """One pass of condensation, then removal of Tomek links.

    For each class being cleaned, ``n_seeds_S`` rows are drawn at random;
    the k-NN rule fitted on the minority class plus those seeds classifies
    the other rows of the class, and only the seeds and the misclassified
    rows are kept. Tomek links are then removed from the kept rows (members
    of the cleaned classes only). Rows of the other classes are kept. The
    kept rows stay in their original order.

    For the same ``random_state`` the rows kept are the ones imbalanced-
    learn's ``OneSidedSelection`` keeps.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        The classes to clean: ``'auto'`` (every class but the minority),
        ``'majority'``, ``'not minority'``, ``'not majority'``, ``'all'``, a
        list of labels, or a callable returning a dict whose keys are the
        labels.
    random_state : int, RandomState instance or None, default=None
        Seeds the draw of the seeds.
    n_neighbors : int, KNeighborsClassifier or None, default=None
        The k-NN rule: ``None`` for 1 neighbour, an integer number of
        neighbours, or a ``KNeighborsClassifier``.
    n_seeds_S : int, default=1
        Number of rows of the class drawn (with replacement) as seeds.
    n_jobs : int, default=None
        Threads for the neighbour searches (``None`` or ``-1``: all cores).

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` of the classes that were cleaned, with their
        size before cleaning.
    estimators_ : list of KNeighborsClassifier
        For each class cleaned, the k-NN rule fitted on the minority class
        and the seeds.
    sample_indices_ : ndarray of shape (n_samples_new,)
        Rows of the input that were kept, in increasing order (a seed drawn
        twice is kept once).
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
    CondensedNearestNeighbour : the full condensation.
    TomekLinks : the second step alone.

    Notes
    -----
    A seed drawn twice counts as two rows for the Tomek step (each copy is
    the other's nearest neighbour, so it is never in a link), as in
    imbalanced-learn. The minority class is the smallest class of ``y``;
    among equally small classes, the one seen first in ``y``.

    References
    ----------
    M. Kubat, S. Matwin, "Addressing the curse of imbalanced training sets:
    one-sided selection", ICML, 1997.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from balancekit.under_sampling import OneSidedSelection
    >>> X, y = make_classification(n_samples=500, weights=[0.8], random_state=0)
    >>> oss = OneSidedSelection(random_state=0)
    >>> X_res, y_res = oss.fit_resample(X, y)
    >>> bool(len(y_res) < len(y))
    True
    """

    _sampling_type = "clean-sampling"
    _accept_sparse = True

    def __init__(
        self, *, sampling_strategy="auto", random_state=None, n_neighbors=None, n_seeds_S=1,
        n_jobs=None,
    ):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_seeds_S = n_seeds_S
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y, *, targets, rng):
        n_seeds = check_int("n_seeds_S", self.n_seeds_S, min_value=1)
        check_n_jobs(self.n_jobs)
        k, classifier, fast = read_classifier(self.n_neighbors, self.n_jobs)
        codes, labels = encode(y)
        minority = minority_label(y)
        minority_rows = np.flatnonzero(y == minority)
        clean = label_codes(labels, targets)
        points = Points(X)
        keep, repeated = [], []
        nearest = None
        self.estimators_ = []
        for code, label in enumerate(labels):
            members = np.flatnonzero(codes == code)
            if code not in clean:
                keep.append(members)
                continue
            drawn = rng.randint(low=0, high=members.size, size=n_seeds)
            seeds = members[drawn]
            store = np.append(minority_rows, seeds)
            if k > store.size:
                raise DataError(
                    f"n_neighbors={k} needs at least {k} samples to fit on, but the minority "
                    f"class and the seeds of class {plain_label(label)!r} make {store.size}. Use a "
                    "smaller n_neighbors or a larger n_seeds_S."
                )
            others = np.delete(members, drawn)
            model = clone(classifier).fit(X[store], y[store])
            self.estimators_.append(model)
            if fast and k == 1 and label != minority:
                wrong, hints = _one_nn_wrong(points, members, others, minority_rows, seeds,
                                             self.n_jobs)
                if labels.size == 2:
                    nearest = hints
            elif fast:
                _, near = _store_neighbors(points, others, store, k, self.n_jobs)
                wrong = vote(codes[store][near], labels.size) != code
            else:
                wrong = model.predict(X[others]) != y[others]
            unique_seeds, times = np.unique(seeds, return_counts=True)
            repeated.append(unique_seeds[times > 1])
            keep.append(seeds)
            keep.append(others[wrong])
        kept = np.unique(np.concatenate(keep))
        pinned = np.concatenate(repeated) if repeated else np.empty(0, dtype=np.intp)
        removed = tomek_removed(points, codes, kept, clean, pinned=pinned, nearest=nearest,
                                n_jobs=self.n_jobs)
        return Resampled(np.setdiff1d(kept, removed, assume_unique=True))
