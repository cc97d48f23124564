"""k nearest neighbours: one function for every sampler, several back ends.

Back ends
---------
``'brute'``
    scikit-learn's exact brute force: BLAS distances in chunks with a compiled
    top-k, so no ``n x n`` matrix is ever held in memory.
``'tree'``
    scipy's k-d tree (``cKDTree``, queries on every core) for dense data,
    scikit-learn's ``NearestNeighbors`` for sparse data; it wins in low
    dimension.
``'screened'``
    balancekit's own exact search (:mod:`balancekit._exact`): distances
    screened in float32 blocks on BLAS, with every near-tie decided in
    float64, so the neighbours are those of a float64 search; threads over
    blocks of queries; a search of every row among the rows computes each
    pair once. On dense data in 10 or more dimensions it is several times
    faster than scikit-learn's brute force (100k points x 20 features, 5
    neighbours each: about 3 s, against 33 s for scikit-learn and 14 s for
    faiss's flat search on one thread). On sparse data it multiplies a sparse
    block by a dense copy of the other where that copy is small.
``'faiss'``
    faiss's exact flat search in float32 (on centred data), when faiss-cpu
    is installed; near-ties may flip at float32 precision.
``'approximate'``
    faiss's inverted-file index (k-means cells, 4-bit product-quantised
    codes scanned with fast-scan kernels, candidates re-ranked by exact
    distance), probing as many cells as hold 97% of the true neighbours of a
    sample of queries; the recall of the whole search is then estimated on
    another sample.
``'auto'``
    Picks one of the exact back ends from the size and dimension of the
    data: ``'screened'`` for large dense searches in 10 dimensions or more
    and for sparse rows searched among themselves (from 4e6 pairs), the
    tree below 16 dimensions, else scikit-learn's brute force (on sparse data
    in chunks of about 64 query rows).

:func:`topk` does the same exact blockwise search for any distance given block
by block (SMOTENC's mixed distance, SMOTEN's value difference metric).

A user-supplied estimator with ``fit`` and ``kneighbors`` (for instance a
``sklearn.neighbors.NearestNeighbors``) is cloned and used as given.

Ties between equally distant neighbours are broken by the lower row index.
scikit-learn's brute force computes ``|x|^2 - 2 x.q + |q|^2``: rows equally
distant in exact arithmetic may come out of it a unit in the last place apart,
and then in that order (as in imbalanced-learn, which uses it too).
"""

import importlib.util
import math
import os
import warnings
from contextlib import contextmanager
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn import config_context
from sklearn.base import clone
from sklearn.metrics.pairwise import euclidean_distances
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor, NearestNeighbors
from sklearn.utils import check_random_state
from threadpoolctl import threadpool_limits

from ._exact import (
    _TREE_MAX_FEATURES,
    ArrayRows,
    MainThreadSetting,
    Points,
    _exact_bound,
    _integral,
    centre_sample,
    check_n_jobs,
    first_copies,
    group_rows,
    many_copies,
    n_threads,
    offset_centre,
    one_thread,
    one_thread_when_small,
    spatial_order,
    top_k,
)
from ._validation import check_not_a_class, check_option
from .exceptions import (
    DataError,
    InvalidParameterError,
    InvalidParameterTypeError,
    SmallClassWarning,
)

METHODS = ("auto", "brute", "tree", "screened", "faiss", "approximate")
# The ``neighbors`` parameter of the SMOTE family.
NEIGHBORS = ("exact", "approximate")
# Bytes of one block of the query x reference distance matrix, at most; topk's
# blocks also hold at most _BLOCK_VALUES_PER_QUERY values per query row (and at
# least _MIN_BLOCK_VALUES).
_BLOCK_BYTES = 32 * 2**20
_BLOCK_VALUES_PER_QUERY = 16
_MIN_BLOCK_VALUES = 1 << 15
# The SMOTE family's exact searches may hold up to this share of the output's size
# (their screening copy of X included; the target is 1.5x, the rest is a margin).
_SEARCH_SHARE = 1.3
# Sparse rows searched among themselves go to the blockwise search from this many query x
# reference pairs, where its sparse x dense products win (SMOTE-family searches of 2k-35k
# rows of 50-2,000 columns: 1.2-2.6x faster than scikit-learn's). On wider rows it multiplies
# sparse blocks, and still wins: scikit-learn converts all the reference rows for each chunk
# of 64 queries (ADASYN and BorderlineSMOTE on 20k-50k rows of 10k-50k columns: 2-7x faster;
# level on 5k rows of 200k columns). Below, a single block of the blockwise search would hold
# more than scikit-learn's chunks (1,000 rows among themselves: 13 MB against 2.5).
_SPARSE_SCREENED_MIN_PAIRS = 4 * 10**6
# Query rows per chunk of scikit-learn's search of sparse data: its chunk is a dense block of
# distances to every reference row, as large as its 1 GiB working memory allows by default
# (657 MB for ADASYN on 20k x 2,000 rows, 60 times the output). From about 50 rows on a
# chunk is as fast as larger ones (20k reference rows: 64 rows 0.8 s, 840 rows 0.7 s, one
# 2,000-row chunk 1.4 s).
_SPARSE_CHUNK_ROWS = 64
# Queries searched at a time (at least) by the other back ends when only a
# reduction of their lists is kept (see kneighbors' reduce).
_REDUCE_ROWS = 4096
# Candidates the tree gives a query whose k-th neighbour is tied, and the rows
# given them at a time.
_TIE_WIDE = 64
_TIE_ROWS = 4096
# Candidates (query x distinct row) ranked at a time among long ties.
_TIE_VALUES = 1 << 21
# Rows beyond k that scikit-learn's brute force is asked for, to see whether a tie at the
# k-th distance runs on (see _brute_with_ties): one tells; more spare the exact pass some
# queries but cost every search (8: SMOTE 10-25% slower on 200-8,000 rows).
_TIE_EXTRA = 1
# 'auto' uses the screened search from this many query x reference pairs and this many
# features on (below, scikit-learn's brute force or kd-tree wins).
_SCREENED_MIN_PAIRS = 4 * 10**7
_SCREENED_MIN_FEATURES = 10
# scikit-learn's brute force computes |x|^2 - 2 x.q + |q|^2, whose rounding grows with the
# norms: rows far from the centre and near one another (a missing-value code such as 99999999
# in a column, groups far apart) lose the digits of their distances. Where a row (less the
# centre) has a squared norm above _FAR_NORMS times the squared distance to its nearest row,
# 'auto' takes the screened search, which decides on differences, at any size. Checked on
# the _FAR_TOP rows of largest norm and up to _FAR_DRAWN drawn among those above
# _FAR_CANDIDATE times the median squared norm, against _FAR_SAMPLE rows and themselves
# (about 1 ms on the public sets' shapes of 2k-10k rows, 11 ms on 50k x 100).
_FAR_NORMS = 1e8
_FAR_CANDIDATE = 1e4
_FAR_TOP = 4
_FAR_DRAWN = 16
_FAR_SAMPLE = 2048
# Below this many query x reference pairs the exact screened search is faster than building
# and tuning an approximate index (measured: 1e9 pairs, 0.65 s exact against 1.1 s
# approximate; 1e10 pairs, 6.8 s against about 4 s), so 'approximate' searches exactly.
# A search of every row among the rows screens each pair once: exact below this many rows
# (measured: 100k x 20 rows, 3.2 s exact against 4.6 s approximate), and so are rows of at
# most _TREE_MAX_FEATURES features, which a k-d tree searches faster (SMOTE of a 210k-row
# class, medians of 2: 6 features 0.78 s exact against 1.3 s approximate; 8 features 2.2 s
# against 1.3 s).
_APPROXIMATE_MIN_PAIRS = 3 * 10**9
_APPROXIMATE_MIN_SELF_ROWS = 200_000
# The approximate search: recall@k aimed at when choosing the number of probed cells,
# queries per recall sample, and the number and size of cells.
_RECALL_TARGET = 0.97
_RECALL_QUERIES = 200
_POINTS_PER_CELL = 39
_CELLS_PER_ROOT = 2  # about 2 sqrt(n) cells for n points
_REFINE_FACTOR = 8  # candidates re-ranked exactly, per neighbour asked for
_REFINE_FACTOR_MAX = 128


def has_faiss():
    """Return whether faiss is importable."""
    return importlib.util.find_spec("faiss") is not None


def check_neighbors(name, value, *, min_value=1, counts_itself=True):
    """Read a ``k_neighbors``-like parameter.

    Returns ``(k, estimator)``: ``k`` the number of neighbours asked for and
    ``estimator`` a user-supplied object (or ``None``). As in imbalanced-learn,
    an estimator's ``n_neighbors`` counts the query point itself, so
    ``NearestNeighbors(n_neighbors=6)`` means 5 neighbours (not with
    ``counts_itself=False``: searches among other rows than the queries). A
    ``KNeighborsClassifier`` or ``KNeighborsRegressor`` stands for the
    ``NearestNeighbors`` of the same search.
    """
    if isinstance(value, Integral) and not isinstance(value, bool):
        if value < min_value:
            raise InvalidParameterError(
                f"{name}={value} is out of range; it must be an integer >= {min_value} or an "
                "object with fit and kneighbors methods such as sklearn.neighbors.NearestNeighbors."
            )
        return int(value), None
    check_not_a_class(name, value, "an integer or a nearest-neighbours object")
    if isinstance(value, (KNeighborsClassifier, KNeighborsRegressor)):
        # Its neighbours are those of a NearestNeighbors of the same search (fitted without
        # labels); its weights only matter to its predictions.
        params = value.get_params()
        value = NearestNeighbors(**{key: params[key] for key in NearestNeighbors().get_params()
                                    if key in params})
    if hasattr(value, "kneighbors") and hasattr(value, "fit"):
        k = getattr(value, "n_neighbors", None)
        itself = int(counts_itself)
        if isinstance(k, bool) or not isinstance(k, Integral) or k - itself < min_value:
            raise InvalidParameterError(
                f"{name}={value!r} must have an integer n_neighbors >= {min_value + itself}"
                f"{' (it counts the point itself)' if counts_itself else ''}."
            )
        if not hasattr(value, "get_params") or not hasattr(value, "set_params"):
            raise InvalidParameterTypeError(
                f"{name} must be a scikit-learn estimator (with get_params and set_params, so "
                f"that it can be cloned and given its n_neighbors); got an object of type "
                f"{type(value).__name__} without them. Derive it from sklearn.base.BaseEstimator."
            )
        return int(k) - itself, value
    raise InvalidParameterTypeError(
        f"{name} must be an integer or an object with fit and kneighbors methods (such as "
        f"sklearn.neighbors.NearestNeighbors); got {value!r} of type {type(value).__name__}."
    )


def neighbors_attribute(k, estimator, n_jobs=None):
    """The neighbours estimator a sampler stands for, as its ``nn_*_`` attribute.

    imbalanced-learn fits such an estimator and searches with it; balancekit
    searches with its own exact or approximate search (or with ``estimator``
    when one is given), so the attribute is not fitted: a
    ``NearestNeighbors(n_neighbors=k + 1)`` (it counts the point itself), or a
    clone of the estimator given.
    """
    if estimator is None:
        return NearestNeighbors(n_neighbors=k + 1, n_jobs=n_jobs)
    return clone(estimator)


def neighbors_for_class(name, k, n_members, label):
    """The number of neighbours usable within a class of ``n_members`` samples.

    Warns and returns a smaller ``k`` when the class has ``k`` samples or
    fewer; raises when it has a single sample.
    """
    if n_members < 2:
        raise DataError(
            f"{name}={k} needs at least 2 samples of class {label!r} to find a neighbour, but "
            f"the training data has {n_members}. Drop that class, merge it with another, or use "
            "RandomOverSampler, which only copies rows (on the command line: random_over, as -m "
            "or in --strategies)."
        )
    if k >= n_members:
        warnings.warn(
            f"{name}={k} needs at least {k + 1} samples of class {label!r}, but the training data "
            f"has {n_members}; using {n_members - 1} neighbour{'s' if n_members > 2 else ''} for "
            "that class.",
            SmallClassWarning,
            stacklevel=3,
        )
        return n_members - 1
    return k


def choose_method(n_reference, n_features, n_queries, sparse=False):
    """Pick the exact back end for a search of this size.

    The screened search for dense data of at least ``4e7`` query x reference
    pairs in 10 dimensions or more; below, scikit-learn's brute force
    (chunked, compiled top-k on BLAS distances) beyond 15 dimensions and for
    sparse data, scipy's k-d tree otherwise.
    """
    if (
        not sparse
        and n_features >= _SCREENED_MIN_FEATURES
        and n_reference * n_queries >= _SCREENED_MIN_PAIRS
    ):
        return "screened"
    if sparse or n_features > 15:
        return "brute"
    return "tree"


def search_options(neighbors, X, random_state=None, output_rows=None):
    """Read the ``neighbors`` parameter of the SMOTE family for the data ``X``.

    Returns the keyword arguments of :func:`kneighbors` for that choice:
    for ``'approximate'``, the approximate search, drawing its samples from
    ``random_state`` and collecting its recall checks in a ``recall`` list
    (see :func:`estimated_recall`). With ``output_rows``, the number of rows
    the sampler returns, the exact search's blocks may also hold what keeps
    the search below ``_SEARCH_SHARE`` times the output's size
    (``work_memory``): wider blocks are faster on small data.
    """
    neighbors = check_option("neighbors", neighbors, NEIGHBORS)
    options = {}
    # Sparse searches keep their default blocks (half the stored values of X): a block of
    # sparse products takes several times the memory of its float32 values, which the
    # share below counts (SMOTE on 50,000 x 20,000 rows, 0.1% filled: 46 MB, now 34; output 28).
    if output_rows is not None and not sp.issparse(X):
        n, p = X.shape
        output_bytes = output_rows * (p * X.dtype.itemsize + 8)  # the rows and their labels
        # Less the screening copy; the blocks' masks and second pass take about as much
        # again as their values.
        copy = n * (p + 1) * 4
        work = (int(_SEARCH_SHARE * output_bytes) - copy) // 2
        if work > 0:
            options["work_memory"] = work
        if 1.5 * copy > _SEARCH_SHARE * output_bytes:
            # The copy and the default blocks (half its size) would exceed the share: the
            # output is hardly larger than X (float32 X, near-balanced classes). No stored
            # screening copy then; slower (a third or so), and within the memory target.
            options["screen_on_access"] = True
    if neighbors == "exact":
        return options
    if not has_faiss():
        raise InvalidParameterError(
            "neighbors='approximate' needs faiss-cpu, which is not installed; install it with "
            "pip install 'balancekit[fast]', or use neighbors='exact'."
        )
    if sp.issparse(X):
        raise InvalidParameterError(
            "neighbors='approximate' needs dense X (faiss indexes dense vectors), but X is a "
            "sparse matrix; use neighbors='exact'."
        )
    return {**options, "method": "approximate", "random_state": random_state, "recall": []}


def estimated_recall(search):
    """The recall@k estimated over the approximate searches run with ``search``.

    ``search`` is the dictionary returned by :func:`search_options`;
    the result is ``None`` when no approximate search ran.
    """
    checks = search.get("recall")
    if not checks:
        return None
    hits = sum(h for h, _ in checks)
    checked = sum(c for _, c in checks)
    return hits / checked if checked else None


def kneighbors(
    X,
    n_neighbors,
    *,
    rows=None,
    query=None,
    query_indices=None,
    method="auto",
    estimator=None,
    n_jobs=None,
    return_distance=False,
    random_state=None,
    recall=None,
    reduce=None,
    work_memory=None,
    screen_on_access=False,
):
    """Indices of the ``n_neighbors`` nearest rows of ``X`` for each query.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        The reference points.
    n_neighbors : int
        How many neighbours to return per query.
    rows : ndarray of int, default=None
        Search among ``X[rows]`` only, as if that were ``X``: the returned
        indices and ``query_indices`` are positions in ``rows``. The
        screened search reads these rows in place; the other back ends get
        a copy of them.
    query : ndarray of shape (n_queries, n_features), default=None
        Outside points to search for. When ``None``, the queries are rows of
        ``X`` (``query_indices``, or all of them), and each row is excluded
        from its own neighbours.
    query_indices : ndarray of int, default=None
        Rows of ``X`` to use as queries when ``query`` is ``None``.
    method : {'auto', 'brute', 'tree', 'faiss', 'approximate'}, default='auto'
        The back end (see the module docstring). ``'approximate'`` needs
        faiss and dense data.
    estimator : object, default=None
        A user-supplied neighbours estimator; overrides ``method``.
    n_jobs : int, default=None
        Threads for the tree, screened and faiss back ends. The tree and the
        screened search use every core when ``None``; faiss one thread when
        ``None`` and every core when ``-1``.
    return_distance : bool, default=False
        Also return the Euclidean distances.
    random_state : int, RandomState instance or None, default=None
        Draws the training and recall samples of ``method='approximate'``.
    recall : list, default=None
        With ``method='approximate'``, a ``(hits, checked)`` pair is appended
        to it: of ``checked`` true neighbours of a sample of queries (found
        by exact search), ``hits`` were returned. Searches of fewer than
        ``3e9`` query x reference pairs, searches of every row among fewer
        than 200,000 rows, and searches of at most 6 features (a k-d tree's)
        run exactly (faster there) and count as perfect.
    reduce : callable, default=None
        ``reduce(indices)`` of consecutive blocks of the queries (called from
        the search's threads): ``kneighbors`` then returns the list of its
        results, in the order of the queries, instead of the indices. The
        screened search calls it on each block as soon as it is searched, so
        that the lists of all the queries are never held at once; the tree,
        brute-force and estimator searches take the queries in blocks (faiss's
        searches take them all at once). Not with ``return_distance``.
    work_memory : int, default=None
        Bytes the screened search's blocks may hold at once (``None``: half
        the size of its float32 copy of ``X``). More is faster on small data.
    screen_on_access : bool, default=False
        Whether the screened search builds its float32 rows of dense ``X`` as
        it reads them instead of storing a copy (slower; for callers whose
        output is hardly larger than ``X``).

    Returns
    -------
    distances : ndarray of shape (n_queries, n_neighbors)
        Only when ``return_distance`` is true.
    indices : ndarray of shape (n_queries, n_neighbors)
        Rows of ``X``, nearest first.
    """
    if reduce is not None and return_distance:
        raise ValueError("kneighbors: reduce and return_distance cannot be used together.")
    check_n_jobs(n_jobs)  # a clear error for a bad value, whatever the back end
    n = X.shape[0] if rows is None else len(rows)
    exclude_self = query is None
    if exclude_self:
        query_indices = np.arange(n) if query_indices is None else np.asarray(query_indices)
        n_queries = query_indices.size
    else:
        n_queries = query.shape[0]

    # scikit-learn's brute force and faiss compute |x|^2 - 2 x.q + |q|^2 on the rows they
    # get: dense rows far from the origin go to them less a whole-number centre (as the
    # exact rows of the screened search), which leaves the Euclidean neighbours as they
    # are and keeps the digits of the distances. A user's estimator gets the rows as given.
    centre = []

    def reference_sample():
        # The reference rows that decide the centre, and whether rows are whole numbers.
        sample = centre_sample(n)
        return X[sample if rows is None else np.asarray(rows)[sample]]

    def shifted(A):
        if not centre:  # computed on first use, from a sample of the reference rows
            centre.append(offset_centre(reference_sample()))
        return (A - centre[0]).astype(A.dtype, copy=False) if centre[0].any() else A

    def reference_rows():
        # The screened search reads the rows in place; the others get a copy.
        return X if rows is None else X[rows]

    def query_rows(sel=slice(None)):
        if not exclude_self:
            return query[sel]
        picked = query_indices[sel]
        return X[picked if rows is None else np.asarray(rows)[picked]]

    k = n_neighbors + (1 if exclude_self else 0)
    if k > n:
        raise InvalidParameterError(
            f"n_neighbors={n_neighbors} needs at least {k} reference points, but there are {n}."
        )
    fitted = None  # an estimator to query
    if estimator is not None:
        fitted = clone(estimator)
        if hasattr(fitted, "n_neighbors"):
            fitted.set_params(n_neighbors=k)
        fitted.fit(reference_rows())
    else:
        if method not in METHODS:
            raise InvalidParameterError(
                f"method={method!r} is not supported; expected one of {', '.join(map(repr, METHODS))}."
            )
        if method == "auto":
            method = choose_method(n, X.shape[1], n_queries, sp.issparse(X))
            if sp.issparse(X) and exclude_self and n * n_queries >= _SPARSE_SCREENED_MIN_PAIRS:
                method = "screened"
            elif method == "brute" and not sp.issparse(X) and (
                    _whole_numbers(reference_sample()) or _far_apart(X, rows, shifted)):
                method = "screened"
        if method in ("faiss", "approximate") and not has_faiss():
            raise InvalidParameterError(
                f"method={method!r} needs faiss-cpu, which is not installed; install it with "
                "pip install 'balancekit[fast]', or use method='auto'."
            )
        if method == "approximate" and sp.issparse(X):
            raise InvalidParameterError(
                "method='approximate' needs dense X (faiss indexes dense vectors), but X is a "
                "sparse matrix; use method='auto'."
            )
        every_row = exclude_self and n_queries == n
        if method == "approximate" and (
            (n < _APPROXIMATE_MIN_SELF_ROWS if every_row
             else n * n_queries < _APPROXIMATE_MIN_PAIRS)
            or X.shape[1] <= _TREE_MAX_FEATURES  # the exact k-d tree is faster there
        ):
            # Small enough to search exactly in less time: a perfect recall.
            method = choose_method(n, X.shape[1], n_queries, sp.issparse(X))
            if recall is not None:
                checked = min(n_queries, _RECALL_QUERIES) * n_neighbors
                recall.append((checked, checked))
        if method == "approximate":
            dist, idx, checked = _approximate(
                shifted(reference_rows()), shifted(query_rows()), k,
                query_indices if exclude_self else None, n_jobs,
                check_random_state(random_state),
            )
            if recall is not None:
                recall.append(checked)
        elif method == "screened":
            # Leaves each query row out of its own neighbours itself.
            dist, idx = _screened(X, query, query_indices if exclude_self else None,
                                  n_neighbors, n_jobs, rows, return_distance, reduce, work_memory,
                                  screen_on_access)
            return (dist, idx) if return_distance else idx
        elif method == "faiss" and not sp.issparse(X):
            dist, idx = _faiss(shifted(reference_rows()), shifted(query_rows()), k, n_jobs)
        elif method == "tree" and not sp.issparse(X):
            fitted = _TreeSearch(reference_rows(), n_jobs)
        else:
            algorithm = "brute" if method == "brute" else "auto"
            fitted = NearestNeighbors(n_neighbors=k, algorithm=algorithm, n_jobs=n_jobs)
            fitted_rows = reference_rows() if sp.issparse(X) else shifted(reference_rows())
            fitted.fit(fitted_rows)

    def finish(dist, idx, sel=slice(None)):
        dist = np.asarray(dist)
        idx = np.asarray(idx, dtype=np.intp)
        if exclude_self:
            dist, idx = _drop_self(dist, idx, query_indices[sel])
        return dist, idx

    if fitted is None:  # faiss: one search of all the queries
        dist, idx = finish(dist, idx)
        return [reduce(idx)] if reduce is not None else (dist, idx) if return_distance else idx
    # With reduce, the queries go in blocks, each reduced before the next is searched.
    step = max(1, n_queries if reduce is None else max(_REDUCE_ROWS, -(-n_queries // 16)))
    # Chunks of distances to every reference row: _SPARSE_CHUNK_ROWS rows of them (MiB).
    working_memory = max(1.0, _SPARSE_CHUNK_ROWS * 8 * n / 2**20)
    reduced = []
    for start in range(0, max(1, n_queries), step):
        sel = slice(start, start + step)
        with (config_context(working_memory=working_memory if sp.issparse(X) else None),
              one_thread_when_small(n_queries, n)):
            if isinstance(fitted, NearestNeighbors) and estimator is None:
                Q = query_rows(sel)
                found = _brute_with_ties(fitted, fitted_rows,
                                         Q if sp.issparse(X) else shifted(Q), k)
            elif estimator is None:  # the k-d tree, which takes differences itself
                found = fitted.kneighbors(query_rows(sel), n_neighbors=k, return_distance=True)
            else:  # as imbalanced-learn calls it: its n_neighbors was set to k above
                found = _estimator_neighbors(fitted, query_rows(sel), k)
        dist, idx = finish(*_index_order(*found), sel)
        if reduce is not None:
            reduced.append(reduce(idx))
    if reduce is not None:
        return reduced
    return (dist, idx) if return_distance else idx


def _brute_with_ties(fitted, R, Q, k):
    """scikit-learn's brute-force search of ``Q`` among ``R`` (``fitted`` on them), with the
    rows tied at the ``k``-th distance decided by row index.

    scikit-learn keeps tied rows in the order of its chunks: it is asked for
    ``_TIE_EXTRA`` more rows, and each query whose tie at the ``k``-th distance
    runs into them gets its distances to every row of ``R`` (from differences for
    dense rows), sorted by distance, then row (1,800 rows of 20 small integers:
    385 queries had another list). The distances of the dense rows found are
    summed from differences too: scikit-learn's ``|x|^2 - 2 x.q + |q|^2`` leaves
    exact copies of a row a rounding error apart, by an amount that depends on
    the BLAS library, so their order did too.
    """
    n = R.shape[0]
    wide = min(n, k + _TIE_EXTRA)
    dist, idx = fitted.kneighbors(Q, n_neighbors=wide, return_distance=True)
    if not sp.issparse(R):
        dist = _distances_by_differences(Q, R, idx, out=np.asarray(dist, dtype=np.float64))
    dist, idx = _index_order(dist, idx)
    long = np.flatnonzero(dist[:, -1] <= dist[:, k - 1]) if wide < n else np.zeros(0, int)
    dist, idx = dist[:, :k].copy(), idx[:, :k].copy()
    step = max(1, _BLOCK_BYTES // (8 * n * max(1, R.shape[1])))
    products = _exact_products(Q[long], R) if long.size and not sp.issparse(R) else None
    for start in range(0, long.size, step):
        rows = long[start:start + step]
        if sp.issparse(R):
            sq = euclidean_distances(Q[rows], R, squared=True)
        elif products is not None:
            sq = products(slice(start, start + step))
        else:
            diff = np.asarray(Q[rows], dtype=np.float64)[:, None, :] - R[None, :, :]
            sq = np.einsum("qnd,qnd->qn", diff, diff)
        if products is not None and products.keys_exact:
            order = _first_by_value_and_row(sq, k)
        else:
            order = np.argsort(sq, axis=1, kind="stable")[:, :k]  # equal: the lower row first
        idx[rows] = order
        dist[rows] = np.sqrt(np.take_along_axis(sq, order, axis=1))
    return dist, idx


def _exact_products(Q, R):
    """Squared distances of rows of ``Q`` to every row of ``R`` from products, where those
    are exact: rows of whole numbers whose squared norms are below
    :func:`~balancekit._exact._exact_bound` (counts, flags, one-hot categories). Every
    value is then the whole number the differences sum to, so the order is the same.

    Returns ``squared(sel)``, of the rows ``Q[sel]``, or ``None`` where the products
    may round. One product replaces the differences of every pair (queries tied with
    dozens of rows, as one-hot rows are, each take all of ``R``: BorderlineSMOTE on
    1,728 x 21 such rows spent most of its time there).
    """
    Q = np.asarray(Q, dtype=np.float64)
    R = np.asarray(R, dtype=np.float64)
    q_sq, r_sq = np.einsum("ij,ij->i", Q, Q), np.einsum("ij,ij->i", R, R)
    largest = max(q_sq.max(initial=0.0), r_sq.max(initial=0.0))
    if not (largest < _exact_bound(np.float64) and _integral(Q) and _integral(R)):
        return None

    def squared(sel):
        return q_sq[sel, None] - 2.0 * (Q[sel] @ R.T) + r_sq

    # Whole squared distances: value * rows + row is exact too (see _first_by_value_and_row).
    squared.keys_exact = (4.0 * largest + 1.0) * R.shape[0] < 2.0 ** 53
    return squared


def _first_by_value_and_row(sq, k):
    """Columns of the ``k`` smallest entries of each row of ``sq`` by (value, column): the
    first ``k`` of a stable sort, for whole-number values such that ``value * columns +
    column`` is exact, without sorting whole rows."""
    key = sq * sq.shape[1] + np.arange(sq.shape[1])
    part = np.argpartition(key, k - 1, axis=1)[:, :k]
    ranked = np.argsort(np.take_along_axis(key, part, axis=1), axis=1)
    return np.take_along_axis(part, ranked, axis=1)


def _distances_by_differences(Q, R, idx, out):
    """The distance of each query of ``Q`` to its rows ``idx`` of ``R``, summed from the
    differences of the two rows in float64, written to ``out`` (float64, the shape of
    ``idx``). In blocks of 256 KiB of differences: few rows are read, so small blocks
    cost no time and keep the samplers' peak memory near their output's size."""
    step = max(1, (1 << 15) // max(1, idx.shape[1] * R.shape[1]))
    for start in range(0, idx.shape[0], step):
        block = slice(start, start + step)
        diff = np.asarray(Q[block], dtype=np.float64)[:, None, :] - R[idx[block]]
        out[block] = np.sqrt(np.einsum("qwd,qwd->qw", diff, diff))
    return out


def _whole_numbers(sample):
    """Whether a sample of dense reference rows holds whole numbers only.

    Counts, flags and one-hot categories tie at the ``k``-th distance for most
    queries: scikit-learn's brute force then hands almost every query to the
    exact pass of :func:`_brute_with_ties`, and the screened search, which
    ranks ties itself, is 1.2-2.5x faster (BorderlineSMOTE on 20,000 rows of 16
    counts: 137 ms against 55). A sample of rows decides: both searches give the
    same neighbours, so a wrong guess costs only time.
    """
    return _integral(np.asarray(sample))


def _far_apart(X, rows, shifted):
    """Whether some rows of ``X`` (``X[rows]``) lie too far from the centre next to their
    distance to their nearest row for ``|x|^2 - 2 x.q + |q|^2``: see ``_FAR_NORMS``.

    Sparse rows are not centred, and their search by scikit-learn is kept.
    """
    if sp.issparse(X):
        return False
    picked = np.arange(X.shape[0]) if rows is None else np.asarray(rows)
    # At most _FAR_SAMPLE rows: every row is a reference, and one float64 copy of them
    # serves the norms and the product (a small table's search took 1-5 ms less).
    every = picked.size <= _FAR_SAMPLE
    if every:
        R = shifted(np.asarray(X if rows is None else X[picked], dtype=np.float64))
        sq = np.einsum("ij,ij->i", R, R)
    else:
        sq = np.empty(picked.size)
        step = max(1, (1 << 16) // max(1, X.shape[1]))  # float64 chunks of 512 KiB
        for s in range(0, picked.size, step):
            chunk = X[s:s + step] if rows is None else X[picked[s:s + step]]
            part = shifted(np.asarray(chunk, dtype=np.float64))
            sq[s:s + step] = np.einsum("ij,ij->i", part, part)
    top = min(_FAR_TOP, picked.size)
    candidates = np.argpartition(sq, picked.size - top)[picked.size - top:]
    large = np.flatnonzero(sq > _FAR_CANDIDATE * np.median(sq))
    if large.size > _FAR_DRAWN:
        large = np.random.default_rng(0).choice(large, _FAR_DRAWN, replace=False)
    chosen = np.zeros(picked.size, dtype=bool)
    chosen[candidates] = chosen[large] = True
    candidates = np.flatnonzero(chosen)
    if every:
        refs = np.arange(picked.size)
        C = R[candidates]
    else:
        chosen[np.linspace(0, picked.size - 1, _FAR_SAMPLE).astype(np.intp)] = True
        refs = np.flatnonzero(chosen)
        C = shifted(np.asarray(X[picked[candidates]], dtype=np.float64))
        R = shifted(np.asarray(X[picked[refs]], dtype=np.float64))
    # One product screens the pairs: its rounding, about 1e-14 of the squared norms, is far
    # below the 1e-8 of them the test is about. The few pairs it finds that near (copies
    # among them) get their squared distances from differences, which decide.
    # On one BLAS thread: threads left spinning after a threaded product slow down the
    # OpenMP threads of the search that follows (scikit-learn's brute force took 2x).
    with one_thread():
        product = C @ R.T
    screened = sq[candidates, None] + sq[refs] - 2.0 * product
    near_c, near_r = np.nonzero(screened <= 2.0 * sq[candidates, None] / _FAR_NORMS)
    D = np.subtract(X[picked[candidates[near_c]]], X[picked[refs[near_r]]], dtype=np.float64)
    d = np.einsum("ij,ij->i", D, D)
    # d == 0: a row and its copies tie, whatever the rounding.
    return bool(np.any((d > 0) & (sq[candidates[near_c]] > _FAR_NORMS * d)))


def _estimator_neighbors(fitted, Q, k):
    """``(distances, indices)`` of a user's fitted neighbours estimator, checked."""
    found = fitted.kneighbors(Q, return_distance=True)
    shapes = [np.shape(part) for part in found] if isinstance(found, tuple) else []
    if len(shapes) != 2 or any(shape != (Q.shape[0], k) for shape in shapes):
        raise InvalidParameterError(
            f"The neighbours estimator {fitted!r} returned {shapes or type(found).__name__} from "
            f"kneighbors(X, return_distance=True) for {Q.shape[0]} queries; expected "
            f"(distances, indices) of shape ({Q.shape[0]}, {k}) each, from its n_neighbors={k}."
        )
    return found


class _TreeSearch:
    """scipy's k-d tree of dense rows, queried like a fitted ``NearestNeighbors``.

    Its queries run on the threads of ``n_jobs`` (``None``: every core).
    Rows as near as a query's ``k``-th neighbour go by lower row index: a
    longer list of candidates holds them, or, when more than ``_TIE_WIDE``
    rows tie (many copies of a row), a tree of the distinct rows, each with
    its rows in increasing order. Data whose rows have copies (see
    :func:`balancekit._exact.many_copies`), whose leaves would be full of
    ties, are searched on that tree of distinct rows alone
    (:meth:`_query_distinct`), with the same distances.
    """

    def __init__(self, X, n_jobs):
        from scipy.spatial import cKDTree

        X = np.asarray(X, dtype=np.float64)
        self.n = X.shape[0]
        self.workers = n_threads(n_jobs)
        self._distinct = None
        self.tree = None
        if many_copies(X.__getitem__, self.n, X.shape[1]):
            self._copies(X)
        else:
            self.tree = cKDTree(X)

    def _copies(self, X=None):
        """A k-d tree of the distinct rows, and the rows of each in increasing order
        (``rows[starts[j]:starts[j + 1]]`` for distinct row ``j``); built once, from
        ``X`` or the rows of the tree of all rows."""
        from scipy.spatial import cKDTree

        if self._distinct is None:
            data = self.tree.data if X is None else X
            groups, first = group_rows(data.__getitem__, *data.shape)
            starts = np.concatenate([[0], np.cumsum(np.bincount(groups, minlength=first.size))])
            self._distinct = (cKDTree(data[first]), np.argsort(groups, kind="stable"), starts)
        return self._distinct

    def _long_ties(self, Q, kth, k):
        """The ``k`` nearest rows of each query, ties to the lower index, from the
        distinct rows within its ``k``-th distance ``kth`` (a hair beyond it)."""
        tree, rows, starts = self._copies()
        near = tree.query_ball_point(Q, kth * (1 + 1e-9), workers=self.workers)
        dist, idx = np.empty((len(Q), k)), np.empty((len(Q), k), dtype=np.intp)
        # One distinct row within reach: its k first rows, all at the k-th distance.
        one = np.array([len(f) == 1 for f in near], dtype=bool)
        if one.any():
            u = np.array([f[0] for f, o in zip(near, one, strict=True) if o], dtype=np.intp)
            dist[one] = kth[one, None]
            idx[one] = rows[starts[u, None] + np.arange(k)]
        # Queries of about as many distinct rows within reach go together: each group is
        # asked for as many as its longest list holds.
        many = np.flatnonzero(~one)
        lengths = np.array([len(near[r]) for r in many], dtype=np.intp)
        many, lengths = many[np.argsort(lengths, kind="stable")], np.sort(lengths)
        start = 0
        while start < many.size:
            stop = min(many.size, start + _TIE_ROWS)
            while stop > start + 1 and (stop - start) * lengths[stop - 1] > _TIE_VALUES:
                stop = start + (stop - start) // 2
            at = many[start:stop]
            dist[at], idx[at] = self._first_rows(Q[at], lengths[start:stop], k)
            start = stop
        return dist, idx

    def _first_rows(self, Q, lengths, k):
        """The ``k`` first rows by (distance, row index) of each query among up to ``k``
        rows of each of its ``lengths[i]`` nearest distinct rows, for the queries at once;
        distances from the tree itself, as every other search of it."""
        tree, rows, starts = self._copies()
        m = int(lengths[-1])
        d, j = (np.reshape(a, (len(Q), m)) for a in tree.query(Q, k=m, workers=self.workers))
        within = np.arange(m) < lengths[:, None]
        d, distinct = d[within], j[within].astype(np.intp)
        query = np.repeat(np.arange(len(Q)), lengths)
        # Up to k rows of each distinct row, in increasing order.
        take = np.minimum(np.diff(starts)[distinct], k)
        first = np.repeat(starts[distinct] - (np.cumsum(take) - take), take)
        cand_i = rows[first + np.arange(take.sum())]
        cand_d, cand_q = np.repeat(d, take), np.repeat(query, take)
        # The tree gives each query's distinct rows by distance: the candidates are in order
        # of (query, distance) already, and only runs of equal ones need their rows sorted.
        run = np.ones(cand_q.size, dtype=np.int64)
        run[1:] = (cand_q[1:] != cand_q[:-1]) | (cand_d[1:] != cand_d[:-1])
        order = np.argsort((np.cumsum(run) - 1) * self.n + cand_i, kind="stable")
        # Each query has at least k candidates: its k-th row lies within reach.
        best = np.searchsorted(cand_q[order], np.arange(len(Q)))[:, None] + np.arange(k)
        return cand_d[order][best], cand_i[order][best]

    def kneighbors(self, Q, n_neighbors, return_distance=True):
        Q = np.asarray(Q, dtype=np.float64)
        if self.tree is None:
            return self._query_distinct(Q, n_neighbors)
        order = spatial_order(Q)  # near queries together: several times faster
        shape = (Q.shape[0], n_neighbors)
        dist, idx = np.empty(shape), np.empty(shape, dtype=np.intp)
        dist[order], idx[order] = self._query(Q[order], n_neighbors)
        return dist, idx

    def _query(self, Q, k):
        m = min(k + 1, self.n)  # one more, to see ties at the k-th
        dist, idx = (np.reshape(a, (Q.shape[0], m))
                     for a in self.tree.query(Q, k=m, workers=self.workers))
        tied = np.flatnonzero(dist[:, -1] == dist[:, k - 1]) if m > k else []
        wide = min(self.n, max(_TIE_WIDE, 2 * m))
        for s in range(0, len(tied), _TIE_ROWS):
            # A longer list holds every row as near as the k-th, unless that tie
            # is longer still (many copies of a row).
            rows = tied[s:s + _TIE_ROWS]
            d, i = (np.reshape(a, (rows.size, wide))
                    for a in self.tree.query(Q[rows], k=wide, workers=self.workers))
            fits = (wide == self.n) | (d[:, -1] > dist[rows, k - 1])
            d, i = _index_order(d[fits], i[fits])
            dist[rows[fits], :k], idx[rows[fits], :k] = d[:, :k], i[:, :k]
            long = rows[~fits]
            if long.size:
                # A hair beyond the k-th distance: the same rows, whatever the rounding.
                dist[long, :k], idx[long, :k] = self._long_ties(Q[long], dist[long, k - 1], k)
        return dist[:, :k], idx[:, :k]

    def _query_distinct(self, Q, k):
        """The ``k`` nearest rows of each query from the tree of the distinct rows.

        The distinct rows no farther than a query's ``k``-th nearest distinct
        row hold its ``k`` nearest rows (each distinct row holds at least one);
        the first ``k`` rows of each, ranked by (distance, row index), give
        them. Equal queries are searched once. Where the ``k``-th distinct row
        ties with the next, every distinct row within its distance is taken
        (:meth:`_long_ties`).
        """
        tree, rows, starts = self._copies()
        counts = np.diff(starts)
        inverse, first = group_rows(Q.__getitem__, *Q.shape)
        order = spatial_order(Q[first])  # near queries together, as in kneighbors
        rank = np.empty_like(order)
        rank[order] = np.arange(order.size)
        distinct, inverse = Q[first[order]], rank[inverse]
        kd = min(k, tree.n)
        m = min(tree.n, kd + 1)
        d, j = (np.reshape(a, (distinct.shape[0], m))
                for a in tree.query(distinct, k=m, workers=self.workers))
        clean = d[:, -1] > d[:, kd - 1] if m > kd else np.ones(d.shape[0], dtype=bool)
        dist = np.empty((distinct.shape[0], k))
        idx = np.empty((distinct.shape[0], k), dtype=np.intp)
        dist[clean], idx[clean] = first_copies(d[clean, :kd], j[clean, :kd],
                                               np.ones((clean.sum(), kd), dtype=bool), counts,
                                               starts, rows, k)
        tied = np.flatnonzero(~clean)
        if tied.size:
            dist[tied], idx[tied] = self._long_ties(distinct[tied], d[tied, kd - 1], k)
        return dist[inverse], idx[inverse]


def _index_order(dist, idx):
    """Sort each row by distance, equally distant neighbours by row index.

    Tree searches and user estimators return ties in no set order.
    """
    dist, idx = np.asarray(dist), np.asarray(idx, dtype=np.intp)
    order = np.lexsort((idx, dist), axis=-1)
    return np.take_along_axis(dist, order, axis=1), np.take_along_axis(idx, order, axis=1)


def _drop_self(dist, idx, query_indices):
    """Remove each query's own index from its row (else the farthest column)."""
    is_self = idx == query_indices[:, None]
    has_self = is_self.any(axis=1)
    first_self = np.argmax(is_self, axis=1)
    drop = np.where(has_self, first_self, idx.shape[1] - 1)
    keep = np.ones(idx.shape, dtype=bool)
    keep[np.arange(idx.shape[0]), drop] = False
    shape = (idx.shape[0], idx.shape[1] - 1)
    return dist[keep].reshape(shape), idx[keep].reshape(shape)


def topk(block_distances, n_queries, n_reference, k, *, query_indices=None, itemsize=8):
    """Exact top-k over a distance given block by block, ties to the lower index.

    Parameters
    ----------
    block_distances : callable
        ``block_distances(qs, qe, rs, re)`` returns the ``(qe - qs, re - rs)``
        array of distances (any monotone transform, e.g. squared) between
        queries ``qs:qe`` and reference rows ``rs:re``.
    n_queries, n_reference : int
        Number of queries and of reference rows.
    k : int
        Neighbours per query.
    query_indices : ndarray of int, default=None
        When the queries are reference rows, their indices: each query then
        finds itself first (so the caller can drop it).
    itemsize : int, default=8
        Bytes per distance, to size the blocks.

    Returns
    -------
    distances, indices : ndarray of shape (n_queries, k)
        Nearest first.
    """
    block_ref = int(min(n_reference, max(k, 8192)))
    # The working memory follows the number of rows (whose outputs may be narrow),
    # not the number of pairs.
    values = min(_BLOCK_BYTES // itemsize,
                 max(_MIN_BLOCK_VALUES, _BLOCK_VALUES_PER_QUERY * n_queries))
    block_q = int(max(1, min(n_queries, values // block_ref)))
    out_d = None
    out_i = np.empty((n_queries, k), dtype=np.intp)
    for qs in range(0, n_queries, block_q):
        qe = min(n_queries, qs + block_q)
        best_d = best_i = None
        for rs in range(0, n_reference, block_ref):
            re = min(n_reference, rs + block_ref)
            D = block_distances(qs, qe, rs, re)
            if query_indices is not None:
                rows = np.arange(qe - qs)
                own = query_indices[qs:qe]
                inside = (own >= rs) & (own < re)
                D[rows[inside], own[inside] - rs] = -np.inf
            kk = min(k, re - rs)
            part, cand_d = _smallest(D, kk)
            cand_i = part + rs
            if best_d is not None:
                cand_d = np.concatenate([best_d, cand_d], axis=1)
                cand_i = np.concatenate([best_i, cand_i], axis=1)
            order = np.lexsort((cand_i, cand_d), axis=-1)[:, :k]
            best_d = np.take_along_axis(cand_d, order, axis=1)
            best_i = np.take_along_axis(cand_i, order, axis=1)
        if out_d is None:
            out_d = np.empty((n_queries, k), dtype=best_d.dtype)
        out_d[qs:qe] = best_d
        out_i[qs:qe] = best_i
    if query_indices is not None:
        # A query's own entry was forced first; its distance to itself is 0.
        out_d[out_i == query_indices[:, None]] = 0
    return out_d, out_i


def _smallest(D, k):
    """The ``k`` smallest entries of each row: column indices and values, lower index first on ties.

    For the small k of neighbour sampling, k passes of ``argmin`` (vectorised, and
    first-index on ties) beat a partition. ``D`` is overwritten.
    """
    if k > 16:
        cols = np.argsort(D, axis=1, kind="stable")[:, :k]
        return cols, np.take_along_axis(D, cols, axis=1)
    rows = np.arange(D.shape[0])
    cols = np.empty((D.shape[0], k), dtype=np.intp)
    values = np.empty((D.shape[0], k), dtype=D.dtype)
    for j in range(k):
        col = np.argmin(D, axis=1)
        cols[:, j] = col
        values[:, j] = D[rows, col]
        D[rows, col] = np.inf
    return cols, values


def squared_distances(A, sq_a, B, sq_b):
    """Squared Euclidean distances between the rows of ``A`` and of ``B``, given their
    squared norms: the expansion ``|a|^2 - 2 a.b + |b|^2`` on BLAS, clipped at 0."""
    D = A @ B.T
    D *= -2
    D += sq_b
    D += sq_a[:, None]
    np.maximum(D, 0, out=D)
    return D


def euclidean_block(A):
    """``block(qs, qe, rs, re)``: squared Euclidean distances between rows ``qs:qe`` and
    ``rs:re`` of ``A`` (:func:`squared_distances`), for :func:`topk` and block-wise sums."""
    sq = np.einsum("ij,ij->i", A, A)

    def block(qs, qe, rs, re):
        return squared_distances(A[qs:qe], sq[qs:qe], A[rs:re], sq[rs:re])

    return block


def self_kneighbors(block_distances, n, k):
    """Indices of the ``k`` nearest other rows of each of ``n`` rows, given block distances."""
    if k >= n:
        raise InvalidParameterError(
            f"n_neighbors={k} needs at least {k + 1} points, but there are {n}."
        )
    own = np.arange(n)
    dist, idx = topk(block_distances, n, n, k + 1, query_indices=own)
    return _drop_self(dist, idx, own)[1]


@contextmanager
def _faiss_threads(n_jobs):
    """Run faiss, and the BLAS it calls, on ``n_jobs`` threads: one when ``None``, all cores at -1.

    One thread by default: faiss's OpenMP threads spin while they wait, and
    on cores busy with other work two threads can run several times slower
    than one.
    """
    import faiss

    if n_jobs is None:
        threads = 1
    elif n_jobs < 0:
        threads = max(1, (os.cpu_count() or 1) + 1 + n_jobs)
    else:
        threads = max(1, int(n_jobs))
    if threads == 1:
        # Set by the main thread only (see MainThreadSetting).
        with _faiss_one_thread(), one_thread():
            yield faiss
        return
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(threads)
    try:
        with threadpool_limits(limits=threads, user_api="blas"):
            yield faiss
    finally:
        faiss.omp_set_num_threads(before)


@contextmanager
def _faiss_on_one_thread():
    """faiss's OpenMP on one thread, as it was afterwards."""
    import faiss

    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


_faiss_one_thread = MainThreadSetting(_faiss_on_one_thread)


def _centered_float32(A, mean):
    """``A - mean`` as a C-contiguous float32 array, the subtraction done in float64.

    Centring first keeps float32 distances accurate when the columns have a
    large offset (amounts, timestamps).
    """
    out = np.empty(A.shape, dtype=np.float32)
    step = max(1, _BLOCK_BYTES // (8 * max(1, A.shape[1])))
    for start in range(0, A.shape[0], step):
        stop = min(A.shape[0], start + step)
        np.subtract(A[start:stop], mean, out=out[start:stop], dtype=np.float64, casting="unsafe")
    return out


def _screened(X, Q, query_indices, k, n_jobs=None, rows=None, return_distance=True,
              reduce=None, work_memory=None, screen_on_access=False):
    """Exact search with :func:`balancekit._exact.top_k` among ``X[rows]`` (or all of ``X``).

    Queries that are rows of the references (``query_indices``, with ``Q``
    unused) are left out of their own ``k`` neighbours; outside queries
    ``Q`` are stacked under the references for the search. Returns the
    distances (``None`` without ``return_distance``) and the positions, or
    with ``reduce``, ``None`` and the list of its results (see
    :func:`kneighbors`).
    """
    if query_indices is None:
        R = np.asarray(X if rows is None else X[rows])
        points = Points(np.concatenate([R, np.asarray(Q)]))
        n, queries = R.shape[0], R.shape[0] + np.arange(Q.shape[0])
        del R
    else:
        source = ArrayRows(X) if screen_on_access and not sp.issparse(X) else X
        points = Points(source, rows=rows)
        n, queries = points.n, np.asarray(query_indices, dtype=np.intp)
    # Working memory of at most half the screening copy of X (float32 values; of sparse X,
    # half its stored values): the SMOTE family's output may be hardly larger than X. The
    # caller may allow more (the cleaning rules keep top_k's default: wider blocks, whole
    # tiles, faster).
    size = X.nnz if sp.issparse(X) else X.shape[0] * (X.shape[1] + 1)
    budget = max(size // 2, (work_memory or 0) // 4)
    found = top_k(points, queries, np.arange(n), k, exclude_self=query_indices is not None,
                  n_jobs=n_jobs, budget=budget,
                  reduce=None if reduce is None else lambda sq, idx: reduce(idx))
    if reduce is not None:
        return None, found
    sq, idx = found
    return (np.sqrt(sq, out=sq) if return_distance else None), idx


def _faiss(X, Q, k, n_jobs=None):
    """Exact search with faiss's flat L2 kernel, in float32 on centred data."""
    mean = X.mean(axis=0, dtype=np.float64)
    Xf = _centered_float32(X, mean)
    Qf = _centered_float32(Q, mean)
    with _faiss_threads(n_jobs) as faiss:
        d2, idx = faiss.knn(Qf, Xf, k)
    return _index_order(np.sqrt(np.maximum(d2, 0)), idx)


def _approximate(X, Q, k, query_indices, n_jobs, rng):
    """Approximate search with a faiss inverted-file index; returns ``dist, idx, (hits, checked)``.

    The reference points are split into about ``2 sqrt(n)`` cells by k-means
    (at least 39 points a cell), and each query looks at the points of the
    ``n_probe`` cells with the nearest centres: first by their 4-bit
    product-quantised codes (faiss's fast-scan kernels), then the best
    ``8 k`` of those by their exact distances. The search is tuned on a
    calibration sample of 200 queries (see :func:`_tune`), and its recall
    measured on another sample. A returned neighbour counts as found when it
    is no farther than the true ``k``-th nearest (so equally distant points
    are interchangeable). ``query_indices`` (queries that are rows of ``X``)
    leaves each query out of its own neighbours in the count.
    """
    n, n_features = X.shape
    n_queries = Q.shape[0]
    mean = X.mean(axis=0, dtype=np.float64)
    Xf = _centered_float32(X, mean)
    Qf = _centered_float32(Q, mean)
    sample = rng.choice(n_queries, min(n_queries, 2 * _RECALL_QUERIES), replace=False)
    n_cells = min(int(_CELLS_PER_ROOT * math.sqrt(n)), n // _POINTS_PER_CELL)
    with _faiss_threads(n_jobs) as faiss:
        truth, kth = _true_kth(faiss, X, Q, Xf, Qf, sample, k, query_indices)
        if sample.size > _RECALL_QUERIES:  # two halves: one to tune, one to measure
            tune, check = slice(0, _RECALL_QUERIES), slice(_RECALL_QUERIES, None)
        else:
            tune = check = slice(None)
        if n_cells < 8:  # too few points to index: search them all
            d2, idx = faiss.knn(Qf, Xf, k)
        else:
            index = faiss.index_factory(n_features, f"IVF{n_cells},PQ{n_features}x4fs,RFlat")
            faiss.extract_index_ivf(index).cp.seed = int(rng.randint(2**31 - 1))
            index.train(Xf[np.sort(rng.choice(n, min(n, 64 * n_cells), replace=False))])
            index.add(Xf)
            index.k_factor = _REFINE_FACTOR
            index = _tune(
                faiss, index, X, Q, Xf, Qf, sample[tune], truth[tune], kth[tune], k,
                query_indices,
            )
            d2, idx = index.search(Qf, k)
            del index
            missing = np.flatnonzero((idx < 0).any(axis=1))
            if missing.size:  # the probed cells held fewer than k points: search exactly
                d2[missing], idx[missing] = faiss.knn(Qf[missing], Xf, k)
    found = _count_hits(X, Q, idx[sample[check]], sample[check], query_indices, kth[check])
    return (*_index_order(np.sqrt(np.maximum(d2, 0)), idx), found)


def _tune(faiss, index, X, Q, Xf, Qf, rows, truth, kth, k, query_indices):
    """Set how many cells the queries probe, and how many candidates are re-ranked.

    A true neighbour can only be found when its cell is probed, so the
    number of cells starts at the fewest nearest cells that hold 97% of the
    true neighbours ``truth`` of the calibration queries ``rows``. While a
    search of those queries finds fewer than 97%: if the codes ranked out
    neighbours that were in probed cells, 4 times more candidates are
    re-ranked (up to ``128 k``), after which the codes are dropped for exact
    distances (an IVF-flat index on the same cells); otherwise a quarter
    more cells are probed. Returns the index to search with.
    """
    ivf = faiss.extract_index_ivf(index)
    n_cells = ivf.nlist
    if truth.size == 0:
        ivf.nprobe = 1
        return index
    quantizer = ivf.quantizer
    cell = quantizer.assign(Xf[truth.ravel()], 1).reshape(truth.shape)
    by_distance = quantizer.search(Qf[rows], n_cells)[1]
    rank = np.empty_like(by_distance)
    np.put_along_axis(rank, by_distance, np.arange(n_cells)[None, :], axis=1)
    needed = np.take_along_axis(rank, cell, axis=1).ravel() + 1  # cells to probe for each
    n_probe = int(np.sort(needed)[max(0, math.ceil(_RECALL_TARGET * needed.size) - 1)])
    flat = False
    while True:
        ivf.nprobe = n_probe
        found = index.search(Qf[rows], k)[1]
        hits, checked = _count_hits(X, Q, found, rows, query_indices, kth)
        if hits >= _RECALL_TARGET * checked:
            return index
        if hits < np.count_nonzero(needed <= n_probe) - 0.01 * checked and not flat:
            if index.k_factor < _REFINE_FACTOR_MAX:
                index.k_factor = 4 * index.k_factor
                continue
            centres = faiss.IndexFlatL2(Xf.shape[1])
            centres.add(quantizer.reconstruct_n(0, n_cells))
            index = ivf = faiss.IndexIVFFlat(centres, Xf.shape[1], n_cells)
            index.add(Xf)
            flat = True
            continue
        if n_probe >= n_cells:
            return index
        n_probe = min(n_cells, math.ceil(1.25 * n_probe))


def _without_self(idx, rows, query_indices):
    """Neighbour lists of queries ``rows`` without the query itself (when queries are rows)."""
    if query_indices is None:
        return idx
    return _drop_self(np.zeros(idx.shape), idx, query_indices[rows])[1]


def _distances64(X, Q, idx, rows):
    """Euclidean distances, in float64, from queries ``rows`` to the rows ``idx`` of ``X``."""
    q = np.asarray(Q[rows], dtype=np.float64)[:, None, :]
    return np.sqrt(((np.asarray(X[idx], dtype=np.float64) - q) ** 2).sum(axis=2))


def _true_kth(faiss, X, Q, Xf, Qf, rows, k, query_indices):
    """The true neighbours of the queries ``rows`` (self excluded), and the farthest's distance."""
    truth = _without_self(faiss.knn(Qf[rows], Xf, k)[1], rows, query_indices)
    return truth, _distances64(X, Q, truth, rows).max(axis=1)


def _count_hits(X, Q, found, rows, query_indices, kth):
    """``(hits, checked)``: returned neighbours of queries ``rows`` within the true ``k``-th distance."""
    found = _without_self(found, rows, query_indices)
    valid = found >= 0
    dist = _distances64(X, Q, np.where(valid, found, 0), rows)
    hits = np.count_nonzero(valid & (dist <= kth[:, None] * (1 + 1e-6) + 1e-12))
    return int(hits), int(found.size)
