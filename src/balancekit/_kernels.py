"""Vectorised kernels that build synthetic rows, shared by the SMOTE family."""

import numpy as np
import scipy.sparse as sp


def interpolate(X, base, neighbor, gap, out=None):
    """Points on the segments between ``X[base]`` and ``X[neighbor]``.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        The points.
    base, neighbor : ndarray of int of shape (n_new,)
        Row indices of the two ends of each segment.
    gap : ndarray of shape (n_new,)
        Position on each segment, ``0`` at ``X[base]`` and ``1`` at
        ``X[neighbor]``.
    out : ndarray of shape (n_new, n_features), default=None
        Where to write the result (dense only).

    Returns
    -------
    new : ndarray or sparse matrix of shape (n_new, n_features)
        ``X[base] + gap * (X[neighbor] - X[base])``, in ``X``'s dtype.
    """
    if sp.issparse(X):
        X = X.tocsr()
        start = X[base]
        scale = sp.diags(gap.astype(X.dtype))
        return (start + scale @ (X[neighbor] - start)).tocsr()
    gap = gap.astype(X.dtype, copy=False)[:, None]
    start = np.take(X, base, axis=0)
    if out is None:
        out = np.take(X, neighbor, axis=0)
    else:
        np.take(X, neighbor, axis=0, out=out)
    out -= start
    out *= gap
    out += start
    return out


def draw_segments(rng, n_points, n_neighbors, n_new):
    """Draw ``n_new`` (row, neighbour column, gap) triples uniformly.

    One flat draw over the ``n_points x n_neighbors`` neighbour table picks the
    base row and which of its neighbours ends the segment; the gap is uniform
    on [0, 1).
    """
    flat = rng.randint(0, n_points * n_neighbors, size=n_new)
    rows, cols = np.divmod(flat, n_neighbors)
    gap = rng.uniform(size=n_new)
    return rows, cols, gap
