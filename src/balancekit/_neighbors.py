"""k nearest neighbours: one function for every sampler, several back ends.

Back ends
---------
``'brute'``
    scikit-learn's exact brute force: BLAS distances in chunks with a compiled
    top-k, so no ``n x n`` matrix is ever held in memory.
``'tree'``
    scikit-learn's ``NearestNeighbors`` (kd-tree / ball tree), which wins in
    low dimension.
``'faiss'``
    faiss's exact flat index (float32), used when faiss-cpu is installed.
``'auto'``
    Picks one of the above from the size and dimension of the data.

:func:`topk` does the same exact blockwise search for any distance given block
by block (SMOTENC's mixed distance, SMOTEN's value difference metric).

A user-supplied estimator with ``fit`` and ``kneighbors`` (for instance a
``sklearn.neighbors.NearestNeighbors``) is cloned and used as given.

Ties between equally distant neighbours are broken by the lower row index.
"""

import importlib.util
import warnings
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.neighbors import NearestNeighbors

from .exceptions import (
    DataError,
    InvalidParameterError,
    InvalidParameterTypeError,
    SmallClassWarning,
)

METHODS = ("auto", "brute", "tree", "faiss")
# Bytes of one block of the query x reference distance matrix.
_BLOCK_BYTES = 32 * 2**20


def has_faiss():
    """Return whether faiss is importable."""
    return importlib.util.find_spec("faiss") is not None


def check_neighbors(name, value, *, min_value=1):
    """Read a ``k_neighbors``-like parameter.

    Returns ``(k, estimator)``: ``k`` the number of neighbours asked for and
    ``estimator`` a user-supplied object (or ``None``). As in imbalanced-learn,
    an estimator's ``n_neighbors`` counts the query point itself, so
    ``NearestNeighbors(n_neighbors=6)`` means 5 neighbours.
    """
    if isinstance(value, Integral) and not isinstance(value, bool):
        if value < min_value:
            raise InvalidParameterError(
                f"{name}={value} is out of range; it must be an integer >= {min_value} or an "
                "object with fit and kneighbors methods such as sklearn.neighbors.NearestNeighbors."
            )
        return int(value), None
    if hasattr(value, "kneighbors") and hasattr(value, "fit"):
        k = getattr(value, "n_neighbors", None)
        if not isinstance(k, Integral) or k - 1 < min_value:
            raise InvalidParameterError(
                f"{name}={value!r} must have an integer n_neighbors >= {min_value + 1} (it counts "
                "the point itself)."
            )
        return int(k) - 1, value
    raise InvalidParameterTypeError(
        f"{name} must be an integer or an object with fit and kneighbors methods (such as "
        f"sklearn.neighbors.NearestNeighbors); got {value!r} of type {type(value).__name__}."
    )


def neighbors_for_class(name, k, n_members, label):
    """The number of neighbours usable within a class of ``n_members`` samples.

    Warns and returns a smaller ``k`` when the class has ``k`` samples or
    fewer; raises when it has a single sample.
    """
    if n_members < 2:
        raise DataError(
            f"{name}={k} needs at least 2 samples of class {label!r} to find a neighbour, but "
            f"the training data has {n_members}. Drop that class, merge it with another, or use "
            "RandomOverSampler, which only copies rows."
        )
    if k >= n_members:
        warnings.warn(
            f"{name}={k} needs at least {k + 1} samples of class {label!r}, but the training data "
            f"has {n_members}; using {n_members - 1} neighbours for that class.",
            SmallClassWarning,
            stacklevel=3,
        )
        return n_members - 1
    return k


def choose_method(n_reference, n_features, n_queries, sparse=False):
    """Pick the back end for a search of this size.

    scikit-learn's brute force (chunked, compiled top-k on BLAS distances)
    beyond 15 dimensions and for sparse data, its kd-tree below.
    """
    if sparse or n_features > 15:
        return "brute"
    return "tree"


def kneighbors(
    X,
    n_neighbors,
    *,
    query=None,
    query_indices=None,
    method="auto",
    estimator=None,
    n_jobs=None,
    return_distance=False,
):
    """Indices of the ``n_neighbors`` nearest rows of ``X`` for each query.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        The reference points.
    n_neighbors : int
        How many neighbours to return per query.
    query : ndarray of shape (n_queries, n_features), default=None
        Outside points to search for. When ``None``, the queries are rows of
        ``X`` (``query_indices``, or all of them), and each row is excluded
        from its own neighbours.
    query_indices : ndarray of int, default=None
        Rows of ``X`` to use as queries when ``query`` is ``None``.
    method : {'auto', 'brute', 'tree', 'faiss'}, default='auto'
        The back end (see the module docstring).
    estimator : object, default=None
        A user-supplied neighbours estimator; overrides ``method``.
    n_jobs : int, default=None
        Threads for the tree and faiss back ends.
    return_distance : bool, default=False
        Also return the Euclidean distances.

    Returns
    -------
    distances : ndarray of shape (n_queries, n_neighbors)
        Only when ``return_distance`` is true.
    indices : ndarray of shape (n_queries, n_neighbors)
        Rows of ``X``, nearest first.
    """
    n = X.shape[0]
    exclude_self = query is None
    if exclude_self:
        query_indices = np.arange(n) if query_indices is None else np.asarray(query_indices)
        query = X[query_indices]
    k = n_neighbors + (1 if exclude_self else 0)
    if k > n:
        raise InvalidParameterError(
            f"n_neighbors={n_neighbors} needs at least {k} reference points, but there are {n}."
        )
    if estimator is not None:
        est = clone(estimator)
        if hasattr(est, "n_neighbors"):
            est.set_params(n_neighbors=k)
        est.fit(X)
        dist, idx = _index_order(*est.kneighbors(query, n_neighbors=k, return_distance=True))
    else:
        if method not in METHODS:
            raise InvalidParameterError(
                f"method={method!r} is not supported; expected one of {', '.join(map(repr, METHODS))}."
            )
        if method == "auto":
            method = choose_method(n, X.shape[1], query.shape[0], sp.issparse(X))
        if method == "faiss" and not has_faiss():
            raise InvalidParameterError(
                "method='faiss' needs faiss-cpu, which is not installed; install it with "
                "pip install 'balancekit[fast]', or use method='auto'."
            )
        if method == "faiss" and not sp.issparse(X):
            dist, idx = _faiss(X, query, k, n_jobs)
        else:
            algorithm = "brute" if method == "brute" else "auto"
            nn = NearestNeighbors(n_neighbors=k, algorithm=algorithm, n_jobs=n_jobs).fit(X)
            dist, idx = _index_order(*nn.kneighbors(query, return_distance=True))
    dist = np.asarray(dist)
    idx = np.asarray(idx, dtype=np.intp)
    if exclude_self:
        dist, idx = _drop_self(dist, idx, query_indices)
    return (dist, idx) if return_distance else idx


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
    block_q = int(max(1, min(n_queries, _BLOCK_BYTES // (itemsize * block_ref))))
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


def self_kneighbors(block_distances, n, k):
    """Indices of the ``k`` nearest other rows of each of ``n`` rows, given block distances."""
    if k >= n:
        raise InvalidParameterError(
            f"n_neighbors={k} needs at least {k + 1} points, but there are {n}."
        )
    own = np.arange(n)
    dist, idx = topk(block_distances, n, n, k + 1, query_indices=own)
    return _drop_self(dist, idx, own)[1]


def _faiss(X, Q, k, n_jobs=None):
    import faiss

    if n_jobs is not None and n_jobs > 0:
        faiss.omp_set_num_threads(int(n_jobs))
    Xf = np.ascontiguousarray(X, dtype=np.float32)
    index = faiss.IndexFlatL2(Xf.shape[1])
    index.add(Xf)
    d2, idx = index.search(np.ascontiguousarray(Q, dtype=np.float32), k)
    return np.sqrt(np.maximum(d2, 0)), idx
