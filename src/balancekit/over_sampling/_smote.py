"""SMOTE: synthetic minority rows on segments between neighbours."""

import numpy as np

from .._base import BaseSampler, Resampled
from .._kernels import LazyRows, SparseRows, draw_segments, segment_points
from .._neighbors import (
    check_neighbors,
    estimated_recall,
    kneighbors,
    neighbors_attribute,
    neighbors_for_class,
    search_options,
)

# Search only the rows the segments start from when a class grows by at most
# this share of its size: they are then at most about half of its rows
# (1 - e**-0.7), so about as many pairs as one self-search of the class (which
# computes each pair once). At this share the two took the same time, measured.
_FEW_NEW = 0.7


def segments_and_neighbors(rng, n_points, k, n_new, search):
    """Draw ``n_new`` segments (:func:`~balancekit._kernels.draw_segments`) and search the
    neighbours they need with ``search(queries)``.

    ``search`` gets ``None`` (every point) or the positions of the points to search
    (increasing) and returns their ``k`` neighbours, one line per query. A class grown
    by at most ``_FEW_NEW`` of its size has its segments drawn first and only their
    base points searched; otherwise the search runs first, so the draws are not held
    beside it. The exact searches draw nothing from ``rng``, so the segments are the
    same in either order; the approximate search draws from it (where it runs rather
    than an exact search of fewer pairs), after the segments or before them.

    Returns
    -------
    nn : ndarray of int
        The neighbour lists ``search`` returned.
    rows, cols, gap : ndarray
        The segments: base point, neighbour column and gap.
    line : ndarray of int
        For each segment, the line of ``nn`` holding its base point's neighbours.
    """
    if n_new > _FEW_NEW * n_points:
        nn = search(None)
        rows, cols, gap = draw_segments(rng, n_points, k, n_new)
        return nn, rows, cols, gap, rows
    rows, cols, gap = draw_segments(rng, n_points, k, n_new)
    drawn = np.zeros(n_points, dtype=bool)
    drawn[rows] = True
    line = (np.cumsum(drawn) - 1)[rows]
    return search(np.flatnonzero(drawn)), rows, cols, gap, line


def smote_class(X, members, n_new, k, estimator, rng, label, n_jobs=None, name="k_neighbors",
                search=None):
    """Generate ``n_new`` SMOTE rows for one class.

    Parameters
    ----------
    X : ndarray or sparse matrix
        The whole training data.
    members : ndarray of int
        Rows of ``X`` in the class.
    n_new : int
        Number of rows to generate.
    k : int
        Neighbours per point (reduced, with a warning, for tiny classes).
    estimator : object or None
        A user-supplied neighbours estimator.
    rng : RandomState
        The call's generator.
    label : object
        The class label, for messages.
    n_jobs : int, default=None
        Threads for the neighbour search.
    name : str, default='k_neighbors'
        The parameter name, for messages.
    search : dict, default=None
        Extra keyword arguments of :func:`~balancekit._neighbors.kneighbors`
        (see :func:`~balancekit._neighbors.search_options`).

    Returns
    -------
    new : ndarray, sparse matrix or callable
        The ``(n_new, n_features)`` rows, or the function that writes them.
    origin : ndarray of int of shape (n_new,)
        The row of ``X`` each new point starts from.
    """
    k = neighbors_for_class(name, k, members.size, label)
    search = search or {}

    def neighbours(queries):
        # The class is searched inside X (no copy of its rows for the exact search).
        return kneighbors(X, k, rows=members, query_indices=queries, estimator=estimator,
                          n_jobs=n_jobs, **search)

    nn, rows, cols, gap, line = segments_and_neighbors(rng, members.size, k, n_new, neighbours)
    neighbor = members[nn[line, cols]]
    del nn, line
    base = members[rows]
    return segment_points(X, base, neighbor, gap), base


class SMOTE(BaseSampler):
    """Synthetic Minority Over-sampling TEchnique.

    Each new row lies on the segment between a row of the class being grown
    and one of its ``k_neighbors`` nearest neighbours in that class (itself
    excluded): ``x + u * (neighbour - x)`` with ``u`` uniform on [0, 1). Base
    rows and neighbours are drawn uniformly. The original rows are kept, and
    the new ones appended after them.

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
        itself (as in imbalanced-learn). A class with ``k_neighbors`` samples
        or fewer uses all of its other samples, with a
        :class:`~balancekit.exceptions.SmallClassWarning`.
    n_jobs : int, default=None
        Threads for the neighbour search (``None``: every core for the exact
        search on large dense data, one thread for faiss's approximate
        search; ``-1``: every core).
    neighbors : {'exact', 'approximate'}, default='exact'
        How the nearest neighbours are found (a balancekit extension, not in
        imbalanced-learn). ``'exact'``: exact search, the neighbours of a
        float64 search with ties to the lower row index (on large dense data,
        distances are screened in float32 blocks and near-ties decided in
        float64). ``'approximate'`` (needs faiss-cpu and dense
        ``X``): faiss's inverted-file index, tuned on each search to return
        about 97% of the true nearest neighbours, several times faster again
        on large data (classes of fewer than 200,000 rows, and data of at
        most 6 features, where the exact search is faster, are searched
        exactly); the estimated recall
        is kept in ``neighbors_recall_``. An estimator passed as ``k_neighbors`` is used
        as given.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each grown class has after resampling.
    nn_k_ : estimator object
        The neighbours estimator of ``k_neighbors``, not fitted (balancekit searches
        with its own search): ``NearestNeighbors(n_neighbors=k_neighbors + 1)``, or a
        clone of the estimator given.
    neighbors_recall_ : float or None
        With ``neighbors='approximate'``, the fraction of the true
        ``k_neighbors`` nearest neighbours that the search returned,
        estimated on a sample of 200 rows per search checked against exact
        search; ``None`` with exact search.
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
    SMOTENC : for mixed numeric and categorical columns.
    SMOTEN : for categorical columns only.

    References
    ----------
    N. V. Chawla, K. W. Bowyer, L. O. Hall, W. P. Kegelmeyer, "SMOTE: synthetic
    minority over-sampling technique", JAIR 16, 2002.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from balancekit.over_sampling import SMOTE
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
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
        neighbors="exact",
    ):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs
        self.neighbors = neighbors

    def _fit_resample(self, X, y, *, targets, rng):
        k, estimator = check_neighbors("k_neighbors", self.k_neighbors)
        self.nn_k_ = neighbors_attribute(k, estimator, self.n_jobs)
        search = search_options(self.neighbors, X, rng, output_rows(y, targets))

        def generate(label, members, n_new):
            return smote_class(
                X, members, n_new, k, estimator, rng, label, self.n_jobs,
                search=search,
            )

        result = grow_classes(X, y, targets, generate)
        self.neighbors_recall_ = estimated_recall(search)
        return result


def stack_synthetic(X, blocks, origins):
    """Keep every input row and append the generated blocks.

    ``blocks`` holds dense or sparse blocks, or ``fill`` functions (see
    :class:`~balancekit._kernels.LazyRows`) that write their rows straight
    into the output; ``origins`` the input row each new row comes from.
    """
    if not origins:
        return Resampled(None)
    if callable(blocks[0]):
        synthetic = LazyRows(X.shape[1], X.dtype)
        for fill, origin in zip(blocks, origins, strict=True):
            synthetic.add(origin.size, fill)
    elif isinstance(blocks[0], SparseRows):
        synthetic = SparseRows(X.shape[1], X.dtype)
        for block in blocks:
            synthetic.parts.extend(block.parts)
    else:
        synthetic = np.concatenate(blocks, axis=0)
    origin = np.concatenate(origins)
    # Every input row kept (no array of row numbers); the new rows' labels are their origins'.
    return Resampled(None, synthetic=synthetic, origin=origin)


def output_rows(y, targets):
    """Rows an over-sampler returns: every input row and the new rows of each class."""
    return y.shape[0] + sum(max(0, target - int(np.count_nonzero(y == label)))
                            for label, target in targets.items())


def grow_classes(X, y, targets, generate):
    """Grow each class to its target with ``generate(label, members, n_new) -> (new, origin)``."""
    blocks, origins = [], []
    for label, target in targets.items():
        members = np.flatnonzero(y == label)
        n_new = target - members.size
        if n_new <= 0:
            continue
        new, origin = generate(label, members, n_new)
        blocks.append(new)
        origins.append(origin)
    return stack_synthetic(X, blocks, origins)
