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
    if not X.flags.c_contiguous:
        # np.take copies a whole non-contiguous X at every call (the values of a pandas frame
        # are column-major); indexing gathers only the rows asked for.
        start = X[base]
        if out is None:
            out = X[neighbor]
        else:
            out[...] = X[neighbor]
    else:
        start = np.take(X, base, axis=0)
        if out is None:
            out = np.take(X, neighbor, axis=0)
        else:
            np.take(X, neighbor, axis=0, out=out, mode="clip")  # unbuffered: indices are ours
    out -= start
    out *= gap
    out += start
    return out


# Bytes of the rows interpolated per pass when writing into the output: bounds
# the temporaries and keeps them in cache; and at most this share of the rows
# written, so that the temporaries stay a small share of a small output.
_CHUNK_BYTES = 256 * 1024
_CHUNK_SHARE = 1 / 16
# Sparse rows interpolated per pass, at least (and at least a 16th of them).
_SPARSE_CHUNK_ROWS = 1024


class _RowParts:
    """New rows given part by part: how many rows, and what makes them."""

    def __init__(self, n_features, dtype):
        self.n_features = n_features
        self.dtype = np.dtype(dtype)
        self.parts = []

    def add(self, n_rows, make):
        """Append ``n_rows`` rows made by ``make`` (see the subclass)."""
        self.parts.append((n_rows, make))

    @property
    def shape(self):
        return (sum(n for n, _ in self.parts), self.n_features)


class LazyRows(_RowParts):
    """Synthetic rows computed straight into the output array, part by part.

    A sampler adds one part per class (how many rows, and a function that fills
    a given ``(n_rows, n_features)`` view); the container layer allocates the
    output once and lets each part write its slice, so the synthetic rows are
    never held twice.
    """

    def write(self, out):
        """Fill ``out``, of shape ``self.shape``."""
        start = 0
        for n_rows, fill in self.parts:
            fill(out[start : start + n_rows])
            start += n_rows

    def toarray(self, order="C"):
        out = np.empty(self.shape, dtype=self.dtype, order=order)
        self.write(out)
        return out

    def sliceable(self):
        """Whether :meth:`rows` can cut every part (its fill function has ``piece``)."""
        return all(hasattr(fill, "piece") for _, fill in self.parts)

    def rows(self, start, stop):
        """The rows ``start`` to ``stop`` as a :class:`LazyRows` of their own."""
        out, at = LazyRows(self.n_features, self.dtype), 0
        for n_rows, fill in self.parts:
            low, high = max(start, at), min(stop, at + n_rows)
            if low < high:
                out.add(high - low, fill.piece(low - at, high - at))
            at += n_rows
        return out


class SparseRows(_RowParts):
    """Synthetic sparse rows computed in chunks, when the output is written.

    A sampler adds one part per block of rows: how many rows, and a function
    that yields them as CSR chunks. :func:`stack_rows` computes the chunks
    twice, once to size the output and once to fill it, so that the new rows
    are never held whole next to the output (scipy's stacking holds both).
    """

    def chunks(self):
        for _, chunks in self.parts:
            yield from chunks()

    def tocsr(self):
        return sp.vstack([sp.csr_matrix((0, self.n_features), dtype=self.dtype),
                          *self.chunks()], format="csr")


def stack_rows(top, rows):
    """``top`` (sparse) with the :class:`SparseRows` ``rows`` below it, as a CSR matrix
    written in place: only one chunk of the new rows is held besides the output."""
    top = top.tocsr()
    counts = np.concatenate([np.zeros(0, dtype=np.int64)]
                            + [np.diff(chunk.indptr) for chunk in rows.chunks()])
    n_rows = top.shape[0] + counts.size
    nnz = top.nnz + int(counts.sum())
    index = np.int32 if max(nnz, n_rows, top.shape[1]) < 2**31 else np.int64
    indptr = np.empty(n_rows + 1, dtype=index)
    indptr[: top.shape[0] + 1] = top.indptr
    np.cumsum(counts, out=indptr[top.shape[0] + 1 :])
    indptr[top.shape[0] + 1 :] += top.indptr[-1]
    data = np.empty(nnz, dtype=np.result_type(top.dtype, rows.dtype))
    indices = np.empty(nnz, dtype=index)
    data[: top.nnz] = top.data
    indices[: top.nnz] = top.indices
    at = top.nnz
    for chunk in rows.chunks():
        data[at : at + chunk.nnz] = chunk.data
        indices[at : at + chunk.nnz] = chunk.indices
        at += chunk.nnz
    return sp.csr_matrix((data, indices, indptr), shape=(n_rows, top.shape[1]))


class LazyColumns:
    """Synthetic columns computed one at a time, when the output is written.

    For tables whose columns differ in kind (numbers and categories), a
    sampler gives one function per column that returns that column's
    ``n_rows`` new values; the container layer calls them in column order
    while filling the output, so at most one synthetic column is held besides
    the output.

    Parameters
    ----------
    n_rows : int
        Number of synthetic rows.
    columns : list of callable
        ``columns[j]()`` returns the 1-D array of column ``j``.
    """

    def __init__(self, n_rows, columns):
        self.n_rows = n_rows
        self.columns = list(columns)

    @property
    def shape(self):
        return (self.n_rows, len(self.columns))

    def __len__(self):
        return len(self.columns)

    def __iter__(self):
        return (column() for column in self.columns)


class Interpolation:
    """A ``fill`` function for :class:`LazyRows`: the SMOTE points ``X[base] + gap *
    (X[neighbor] - X[base])``, written in chunks; :meth:`piece` gives the same for a slice
    of the points."""

    def __init__(self, X, base, neighbor, gap):
        self.X, self.base, self.neighbor, self.gap = X, base, neighbor, gap

    def __call__(self, out):
        base, neighbor, gap = self.base, self.neighbor, self.gap
        step = max(64, min(_CHUNK_BYTES // max(1, out.shape[1] * out.itemsize),
                           int(base.size * _CHUNK_SHARE)))
        for start in range(0, base.size, step):
            stop = min(base.size, start + step)
            interpolate(self.X, base[start:stop], neighbor[start:stop], gap[start:stop],
                        out=out[start:stop])

    def piece(self, start, stop):
        """The fill function of the points ``start`` to ``stop``."""
        return Interpolation(self.X, self.base[start:stop], self.neighbor[start:stop],
                             self.gap[start:stop])


def segment_points(X, base, neighbor, gap):
    """SMOTE points: for dense ``X`` the ``fill`` function that writes them
    straight into the output (:class:`Interpolation`), for sparse ``X`` a
    :class:`SparseRows` that computes them in chunks (:func:`interpolate`)."""
    if sp.issparse(X):
        # In chunks: the sparse arithmetic holds several temporaries as large as its rows.
        X = X.tocsr()
        step = max(_SPARSE_CHUNK_ROWS, -(-base.size // 16))

        def chunks():
            for s in range(0, base.size, step):
                yield interpolate(X, base[s:s + step], neighbor[s:s + step], gap[s:s + step])

        rows = SparseRows(X.shape[1], X.dtype)
        rows.add(base.size, chunks)
        return rows
    # Held until the output is written: in X's float type (interpolate computes in it)
    # and with 32-bit row numbers where they fit.
    if X.shape[0] <= np.iinfo(np.int32).max:
        neighbor = neighbor.astype(np.int32, copy=False)
    return Interpolation(X, base, neighbor, gap.astype(X.dtype, copy=False))


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
