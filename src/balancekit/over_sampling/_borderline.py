"""Borderline-SMOTE: synthetic rows only from the class rows near the border."""

import numpy as np

from .._base import BaseSampler
from .._kernels import draw_segments, segment_points
from .._neighbors import (
    check_neighbors,
    estimated_recall,
    kneighbors,
    neighbors_attribute,
    neighbors_for_class,
    search_options,
)
from .._validation import check_option
from ._adasyn import check_reference_size, count_other, smote_fallback
from ._smote import grow_classes, output_rows

KINDS = ("borderline-1", "borderline-2")


def in_danger(n_other, m):
    """Rows whose ``m`` neighbours are at least half, but not all, of other classes."""
    return (2 * n_other >= m) & (n_other < m)


def class_neighbors(X, y, label, members, query, k, nn_all=None, estimator=None, n_jobs=None,
                    search=None):
    """The ``k`` nearest neighbours within the class of the rows ``members[query]``.

    Parameters
    ----------
    X : ndarray or sparse matrix
        The whole training data.
    y : ndarray
        The labels.
    label : object
        The class.
    members : ndarray of int
        Rows of the class, in ascending order.
    query : ndarray of int
        Positions in ``members`` of the rows to search for.
    k : int
        Number of neighbours.
    nn_all : ndarray of shape (query.size, n), default=None
        Neighbours of the same rows over the whole data set, nearest first,
        when already known. A row whose list holds at least ``k`` rows of the
        class reads its neighbours from it; only the others are searched.
    estimator : object, default=None
        A user-supplied neighbours estimator.
    n_jobs : int, default=None
        Threads for the search.
    search : dict, default=None
        Extra keyword arguments of the search (see
        :func:`~balancekit._neighbors.search_options`).

    Returns
    -------
    nn : ndarray of shape (query.size, k)
        Positions in ``members`` of the neighbours, nearest first.
    """
    out = np.empty((query.size, k), dtype=np.intp)
    pending = np.ones(query.size, dtype=bool)
    if nn_all is not None and nn_all.shape[1] >= k:
        same = y[nn_all] == label
        known = np.count_nonzero(same, axis=1) >= k
        if known.any():
            # The first k rows of the class in a whole-data list are the k nearest of the class.
            order = np.argsort(~same[known], axis=1, kind="stable")[:, :k]
            picked = np.take_along_axis(nn_all[known], order, axis=1)
            out[known] = np.searchsorted(members, picked)
            pending = ~known
    if pending.any():
        out[pending] = kneighbors(
            X, k, rows=members, query_indices=query[pending], estimator=estimator,
            n_jobs=n_jobs, **(search or {}),
        )
    return out


class BorderlineSMOTE(BaseSampler):
    """Borderline-SMOTE: SMOTE from the rows in danger only.

    A row of the class being grown is *in danger* when, among its
    ``m_neighbors`` nearest neighbours in the whole data set (itself
    excluded), at least half but not all belong to other classes: it sits on
    the border between classes. A row whose neighbours all belong to other
    classes is taken for noise, and a row with fewer than half for safe;
    neither generates. Each new row starts from a row in danger, drawn
    uniformly, and lies on the segment toward one of its ``k_neighbors``
    nearest neighbours:

    - ``'borderline-1'``: neighbours within the class, ``x + u * (n - x)``
      with ``u`` uniform on [0, 1).
    - ``'borderline-2'``: neighbours in the whole data set. Toward a
      neighbour of another class the step is shortened to ``u * v`` with
      ``v`` uniform on [0, 0.5), so the new row stays closer to its own class.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to grow and to what size; see
        :func:`balancekit.resolve_sampling_strategy`.
    random_state : int, RandomState instance or None, default=None
        Seeds the single random generator of each call.
    k_neighbors : int or estimator, default=5
        Number of nearest neighbours to interpolate with, or an object with
        ``fit`` and ``kneighbors`` whose ``n_neighbors`` counts the point
        itself (as in imbalanced-learn). For ``'borderline-1'``, a class with
        ``k_neighbors`` samples or fewer uses all of its other samples, with
        a :class:`~balancekit.exceptions.SmallClassWarning`.
    n_jobs : int, default=None
        Threads for the neighbour search (``None``: every core for the exact
        search on large dense data, one thread for faiss's approximate
        search; ``-1``: every core).
    m_neighbors : int or estimator, default=10
        Number of nearest neighbours (in the whole data set) that decide
        whether a row is in danger, or a neighbours estimator as for
        ``k_neighbors``.
    kind : {'borderline-1', 'borderline-2'}, default='borderline-1'
        Where the interpolation neighbours come from (see above).
    neighbors : {'exact', 'approximate'}, default='exact'
        How the nearest neighbours are found (a balancekit extension, not in
        imbalanced-learn). ``'exact'``: exact search, the neighbours of a
        float64 search with ties to the lower row index (on large dense data,
        distances are screened in float32 blocks and near-ties decided in
        float64). ``'approximate'`` (needs faiss-cpu and dense
        ``X``): faiss's inverted-file index, tuned on each search to return
        about 97% of the true nearest neighbours, several times faster again
        on large data (searches of fewer than 3e9 query x reference pairs,
        and of data of at most 6 features, where the exact search is faster,
        run exactly); the estimated recall
        is kept in ``neighbors_recall_``. An estimator passed as ``k_neighbors``
        or ``m_neighbors`` is used as given.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each grown class has after resampling.
    nn_k_ : estimator object
        The neighbours estimator of ``k_neighbors``, not fitted (balancekit searches
        with its own search): ``NearestNeighbors(n_neighbors=k_neighbors + 1)``, or a
        clone of the estimator given.
    nn_m_ : estimator object
        The neighbours estimator of ``m_neighbors``, not fitted (balancekit searches
        with its own search): ``NearestNeighbors(n_neighbors=m_neighbors + 1)``, or a
        clone of the estimator given.
    neighbors_recall_ : float or None
        With ``neighbors='approximate'``, the fraction of the true nearest
        neighbours that the searches returned, estimated on a sample of 200
        rows per search checked against exact search; ``None`` with exact
        search.
    in_danger_indices_ : dict
        ``{label: rows of X in danger}`` for each grown class.
    in_danger_indices : dict
        The same dict, under imbalanced-learn's name (read-only).
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
    SMOTE : every row of the class generates.
    SVMSMOTE : the border is found by a support vector machine.

    Notes
    -----
    **Exact counts.** Every grown class has exactly the size asked for.
    When a class has no row in danger, imbalanced-learn silently leaves it
    as it is; here the class is grown by plain SMOTE from all its rows
    instead, with a :class:`~balancekit.exceptions.BalancekitWarning`.

    **One search.** With integer ``k_neighbors`` and ``m_neighbors``, the
    neighbour lists of the danger test are reused for generation:
    ``'borderline-2'`` needs a single search of ``max(m, k)`` neighbours over
    the whole data set; ``'borderline-1'`` reads the class neighbours of a
    row from its list when it holds ``k`` rows of the class, and searches
    the class only for the others.

    **Random draws.** All draws of a call come from one generator seeded by
    ``random_state``. imbalanced-learn seeds an integer ``random_state`` again
    for groups of new rows within a class, so the new rows are imbalanced-learn's
    for the same ``numpy.random.RandomState(seed)``, not always for the same
    integer seed.

    ``n_jobs`` is accepted for compatibility with older imbalanced-learn
    releases, which had it.

    References
    ----------
    H. Han, W.-Y. Wang, B.-H. Mao, "Borderline-SMOTE: a new over-sampling
    method in imbalanced data sets learning", ICIC 2005.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from balancekit.over_sampling import BorderlineSMOTE
    >>> X, y = make_classification(n_samples=500, weights=[0.9], flip_y=0.05, random_state=0)
    >>> X_res, y_res = BorderlineSMOTE(random_state=0).fit_resample(X, y)
    >>> (y_res == 0).sum() == (y_res == 1).sum()
    np.True_
    """

    _sampling_type = "over-sampling"
    _accept_sparse = True

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        k_neighbors=5,
        n_jobs=None,
        m_neighbors=10,
        kind="borderline-1",
        neighbors="exact",
    ):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs
        self.m_neighbors = m_neighbors
        self.kind = kind
        self.neighbors = neighbors

    @property
    def in_danger_indices(self):
        """``in_danger_indices_`` under imbalanced-learn's name, without the underscore."""
        return self.in_danger_indices_

    def _fit_resample(self, X, y, *, targets, rng):
        k, k_estimator = check_neighbors("k_neighbors", self.k_neighbors)
        m, m_estimator = check_neighbors("m_neighbors", self.m_neighbors)
        self.nn_k_ = neighbors_attribute(k, k_estimator, self.n_jobs)
        self.nn_m_ = neighbors_attribute(m, m_estimator, self.n_jobs)
        kind = check_option("kind", self.kind, KINDS)
        search = search_options(self.neighbors, X, rng, output_rows(y, targets))
        share = k_estimator is None and m_estimator is None
        n_samples = y.shape[0]
        self.in_danger_indices_ = {}

        def generate(label, members, n_new):
            width = m
            if kind == "borderline-2":
                check_reference_size("k_neighbors", k, n_samples)
                width = max(m, k) if share else m
            danger, nn = self._danger(X, y, label, members, m, width, m_estimator, search)
            self.in_danger_indices_[label] = members[danger]
            if danger.size == 0:
                new, origin = smote_fallback(
                    "BorderlineSMOTE",
                    f"no sample is in danger (at least half, but not all, of its {m} nearest "
                    "neighbours of another class)",
                    X, members, n_new, k, k_estimator, rng, label, self.n_jobs, search=search,
                )
            elif kind == "borderline-1":
                k_class = neighbors_for_class("k_neighbors", k, members.size, label)
                ends = class_neighbors(
                    X, y, label, members, danger, k_class,
                    nn_all=nn if share else None,
                    estimator=k_estimator, n_jobs=self.n_jobs, search=search,
                )
                new, origin = self._generate(X, y, label, members[danger], members[ends], n_new, rng)
            else:
                if share:
                    ends = nn[:, :k]
                else:
                    ends = kneighbors(
                        X, k, query_indices=members[danger], estimator=k_estimator,
                        n_jobs=self.n_jobs, **search,
                    )
                new, origin = self._generate(X, y, label, members[danger], ends, n_new, rng)
            return new, origin

        result = grow_classes(X, y, targets, generate)
        self.neighbors_recall_ = estimated_recall(search)
        return result

    def _danger(self, X, y, label, members, m, width, estimator, search):
        """Positions in ``members`` of the rows in danger (among their ``m`` nearest rows of
        ``X``), and the lists of their ``width`` nearest rows of ``X``, nearest first."""
        check_reference_size("m_neighbors", m, y.shape[0])

        def keep_danger(nn):
            # Block by block, only the lists of the rows in danger are kept.
            flags = in_danger(count_other(y, nn[:, :m], label), m)
            return flags, nn[flags]

        found = kneighbors(
            X, width, query_indices=members, estimator=estimator, n_jobs=self.n_jobs,
            reduce=keep_danger, **search,
        )
        danger = np.flatnonzero(np.concatenate([flags for flags, _ in found]))
        return danger, np.concatenate([lists for _, lists in found])  # the rows in danger only

    def _generate(self, X, y, label, base_rows, ends, n_new, rng):
        """``n_new`` rows from ``X[base_rows]`` toward their neighbours ``ends`` (rows of X)."""
        other = y[ends] != label if self.kind == "borderline-2" else None
        rows, neighbor, gap = draw_toward(rng, ends, n_new, other)
        base = base_rows[rows]
        return segment_points(X, base, neighbor, gap), base


def draw_toward(rng, ends, n_new, other=None):
    """Borderline-SMOTE's draws of ``n_new`` segments from base rows toward their neighbours.

    ``ends[i]`` lists the neighbours of base row ``i``. Each segment takes a
    base row and one of its neighbours (:func:`~balancekit._kernels.draw_segments`)
    and a gap along it; with ``other`` (booleans like ``ends``: the neighbour
    is of another class, ``'borderline-2'``), the gaps toward those are then
    multiplied by a draw from uniform(0, 0.5).

    Returns the positions of the base rows, the neighbours (entries of
    ``ends``) and the gaps, one per new row.
    """
    rows, cols, gap = draw_segments(rng, ends.shape[0], ends.shape[1], n_new)
    if other is not None:
        shorter = other[rows, cols]
        gap[shorter] *= rng.uniform(0.0, 0.5, size=np.count_nonzero(shorter))
    return rows, ends[rows, cols], gap
