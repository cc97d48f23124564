"""Exact Euclidean neighbour queries: float32 screening, float64 decisions.

The cleaning rules (Tomek links, edited nearest neighbours and its repeated
forms, the neighbourhood cleaning rule, NearMiss, condensed nearest
neighbours and one-sided selection) only need a few facts about each row:
its nearest rows of some classes, or whether enough rows of its own class
are nearer than its nearest row of another class; the SMOTE family needs
the k nearest rows of a class. This module answers exactly those questions,
with far fewer distance evaluations than a full neighbour query where the
question allows:

:func:`top_k`
    The ``k`` nearest (or farthest) reference rows of each query row, in two
    passes: the first keeps only the smallest screened value of each row in
    each part of the references, the second computes again the few parts
    that can hold the ``k`` nearest. A set of rows searched among itself
    screens each pair once, for both of its rows.
:func:`nearest_across`
    The ``k`` nearest rows of the other set for each row of two disjoint sets
    (two classes), from one pass over the pairs.
:func:`count_closer`
    How many reference rows lie nearer to each query than a given row,
    stopping for a query as soon as the count reaches ``need``. References
    are grouped by region and each block of queries scans the nearest
    regions first, so rows far from the other classes stop early.

How the distances are computed
------------------------------
Distances are Euclidean. What decides every comparison is the squared
distance of the pair summed from the differences of its two rows in float64
(:func:`pair_sq`): exact to a few units in its last place wherever the rows
lie, even far from any one centre (a missing-value code such as 99999999,
groups of rows far apart, a million values of one feature). Of two equally
distant rows, the one with the lower row index is the nearer.

Those values are computed only for the few pairs a screening leaves in
doubt. A row ``x`` is screened as ``[x, |x|^2]`` (built from the data when
needed, never stored in float64 for the whole data) and a query ``q`` as
``[-2 q, 1]``, so one matrix product gives ``|x|^2 - 2 q.x = d(q, x)^2 - |q|^2``
for a block of pairs: the order of the squared distances, without a pass to
add norms, but with a rounding that grows with the norms of the rows rather
than with their distance.

Dense blocks are screened in float32 (faster), on the data centred on its
mean. A screened entry is within ``eps`` of the squared distance less
``|q'|^2``, where
``eps = 1.2 (p + 4) u32 (2 |q'| M' + M'^2) + 4 (p + 4) u64 (2 |q| M + M^2 + |q|^2)``
(``p`` features, ``u32 = 2**-24``, ``u64 = 2**-53``, primes for norms of the
rows centred on their mean, the others of the rows less :attr:`Points.centre`,
``M`` the largest norm of the block). Entries clearly below or above a
threshold are decided at once; those within ``eps`` of it get their squared
distances. Rows of integers (counts, pixel values, flags, one-hot categories)
small enough that every product sums exactly in float32 are screened as the
rows less their centre: their screened values are exact, and the searches
take them without computing them again (:attr:`Points.exact_screen`).
Sparse data, data whose squared norms leave 1e-20 .. 1e30, and data where
``eps`` would not be small next to the distance of a row to its nearest
neighbour (a column of far larger spread than the others, such as an
unscaled amount: see :meth:`Points._coarse`) are screened in float64, dense
rows less a centre of whole numbers (:attr:`Points.centre`: an offset far
larger than the distances, such as coordinates in metres or times in
seconds, then leaves the screening its digits), each pair with its own margin
(:meth:`Points.pair_margins`).

The searches run on a pool of threads over blocks of queries; ``n_jobs``
sets its size (``None`` or ``-1``: every available core). BLAS is kept to
one thread per worker while they run (the products are thin).

Few features
------------
Dense data of at most ``_TREE_MAX_FEATURES`` features, or of few effective
dimensions (up to ``_TREE_PROBE_MAX_FEATURES`` features, where a tree of a
sample computes few distances per query: see :func:`_tree_pays`), are
searched with a k-d tree (in searches of at least ``_TREE_MIN_PAIRS`` pairs,
``_TREE_MIN_PAIRS_FEW`` of at most ``_TREE_FEW_FEATURES`` features, data without many
copies of rows) instead (scipy's ``cKDTree``, queries on the same threads, in an
order that keeps near queries together): there a tree visits a few dozen
rows per query where the blocks would screen them all. The tree proposes
candidates and the exact float64 values above decide, with the same ties,
so both searches give the same results (see :class:`_Tree`). A tree finds
the nearest rows of a row cheaply but is slow to find rows of another class
far away, so the rules ask it for each row's nearest rows among all the
rows instead (:mod:`balancekit.under_sampling._rules`).

Copies of rows
--------------
Data made of copies of rows (binary or categorical features) tie every pair
of copies, and deciding each tie by row index would take time in the square
of the copies. Where a row has copies on average (see :func:`many_copies`),
the rows are grouped (:attr:`Points.groups`) and each search whose distinct
rows leave at most half its pairs runs on the distinct queries and
references, then hands every query its distinct query's results, in the
order (value, index): the same results (see :func:`_distinct_top_k`).
"""

import math
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from numbers import Integral

import numpy as np
import scipy.sparse as sp

from .exceptions import InvalidParameterError, InvalidParameterTypeError

# Reference rows per block (a multiple of 8, at most 2040: see _count_less),
# and the narrower block of top_k under a memory budget (not a power of two:
# a product against 1024 rows is half as fast on some machines).
_REF_BLOCK = 2040
_HALF_REF_BLOCK = 1016
# Query rows per task, and the fewest a memory budget may leave (see _top_k_layout).
_QUERY_BLOCK = 512
_MIN_QUERY_ROWS = 64
# Fewest references in a part of top_k (each part its second pass computes
# again costs a few numpy calls).
_MIN_PART = 128
# Blocks of references a block of queries scans before its rows left are gathered.
_NEAR_BLOCKS = 4
# Rows of the sample whose median centres the exact rows, and how many interquartile
# ranges from 0 that median must lie for its column to be centred (see Points).
_CENTRE_ROWS = 257
_OFFSET_SPREADS = 16
# Most minima kept per row on each side of nearest_across (bounds its memory).
_MAX_GROUPS = 32
# Side of the square tiles of the symmetric self-search (a multiple of 16, not
# of a large power of two: rows 2**k floats apart share cache sets), and the
# most parts (minima) it keeps per row; it runs from _SELF_MIN_TILES tiles.
_TILE = 720
_SELF_PARTS = 128
_SELF_MIN_TILES = 4
# Sets of at least _WIDE_TILE_ROWS rows are cut into tiles twice as wide when
# the working memory allows (see _self_tile): the reductions of a tile cost
# less per pair on wider tiles (5-10% faster searches of 100k-1M rows).
_WIDE_TILE_ROWS = 32768
# Rows of at least this many features get their float32 screening copy only once
# float32 screening is chosen: see Points.
_WIDE_FEATURES = 2048
# count_closer searches the references among themselves instead of scanning
# them when more than this share of the rows is left after the nearest blocks.
_SELF_COUNT_SHARE = 0.6
# Bytes of the float64 rows converted at a time when the data are prepared
# (small next to the data, large enough for fast numpy calls), and at most
# this share of the rows (small data: two such chunks live at once).
_BUILD_BYTES = 512 * 1024
_BUILD_SHARE = 1 / 16
# Rows handled at a time by the steps that copy what they sort (the partition
# of per-part minima, the lines of candidates of _pick_smallest).
_ROW_CHUNK = 8192
# Places (rows x longest line) of the padded lines _pick_smallest sorts at a
# time, and about how many candidates it gathers at a time from lists sorted by row.
_PICK_VALUES = 1 << 14
_PICK_CHUNK = 1 << 15
# Exact values of candidate pairs held at most before they are cut down to each
# query's best (see _exact_hits).
_HITS_HELD = 1 << 21
_U32 = 2.0**-24
_U64 = 2.0**-53
# Dense data of at most this many features are searched with a k-d tree
# (scipy's cKDTree), which then beats any scan of the pairs; each query asks
# it for _TREE_EXTRA more neighbours than it needs, so that the last one
# usually proves the list complete, a chunk of _TREE_CHUNK queries at a time.
_TREE_MAX_FEATURES = 6
# Searches of fewer query x reference pairs run in blocks all the same (as fast
# there); from _TREE_LAZY_ROWS rows on, such data keep no float32 screening copy.
# Of at most _TREE_FEW_FEATURES features, a block's products are thin and the tree
# wins from _TREE_MIN_PAIRS_FEW pairs (10,000 rows of one feature: TomekLinks 84 ms
# in blocks, 36 ms with the tree; NearMiss-1 165 ms, 26 ms).
_TREE_MIN_PAIRS = 2 * 10**7
_TREE_FEW_FEATURES = 4
_TREE_MIN_PAIRS_FEW = 2 * 10**6
_TREE_LAZY_ROWS = 65536
_TREE_EXTRA = 1
_TREE_CHUNK = 16384
# Candidates a query gets when its first ones end in a tie, and the rows
# given them at a time; ties beyond (many copies of a row) go to the blocks.
_TREE_WIDE = 64
_TIE_ROWS = 4096
# Data where more than _TIE_SHARE of a sample of _TIE_SAMPLE rows have more
# than _TREE_WIDE rows tied with their nearest are searched in blocks.
_TIE_SAMPLE = 1024
_TIE_SHARE = 0.01
# Data of more features (up to _TREE_PROBE_MAX_FEATURES, and at least
# _TREE_PROBE_MIN_ROWS rows) take the tree when a k-d tree of a sample of
# _TREE_PROBE_ROWS rows computes distances to at most _TREE_PROBE_VISITS of it
# per query (counted, not timed): data of few effective dimensions, such as an
# unscaled amount next to a few scaled columns, or rows on a low-dimensional
# subspace. Noise-like data of 8 or more features visit 10-100% and stay in blocks.
_TREE_PROBE_MAX_FEATURES = 32
_TREE_PROBE_MIN_ROWS = 32768
_TREE_PROBE_ROWS = 8192
_TREE_PROBE_QUERIES = 128
_TREE_PROBE_VISITS = 0.03
# float32 screening is dropped for float64 when its margin would let more than
# _COARSE_FACTOR times the true neighbours through (see Points._coarse), judged
# on the nearest-neighbour distances of _COARSE_QUERIES rows of a sample of
# _COARSE_ROWS rows (the median of 32 estimates it well enough: a wrong call costs
# time, never a neighbour, and more queries made the check cost as much as the search
# on tables of a few thousand rows of many features).
_COARSE_FACTOR = 2.0
_COARSE_ROWS = 2048
_COARSE_QUERIES = 32
# On wide rows the sample holds at most about _COARSE_VALUES values: its nearest-neighbour
# distances then scale to all the rows by a factor near 1 (see Points._coarse).
_COARSE_VALUES = 1 << 23
# Rows are grouped with their copies when a row drawn at random equals, on average,
# at least _COPIES_MEAN rows (itself included: 1.5 when half the rows come in pairs;
# estimated on _COPIES_SAMPLE rows drawn at random, see many_copies); a search then
# runs on the distinct rows when that computes at most 1 / _DISTINCT_GAIN of its
# pairs (see _distinct_top_k), and count_closer counts from such a search up to a
# need of _DISTINCT_MAX_NEED. Even rows in pairs search 1.4-2x faster so.
_COPIES_SAMPLE = 8192
_COPIES_MEAN = 1.5
_DISTINCT_GAIN = 2.0
_DISTINCT_MAX_NEED = 64


def _build_step(p):
    """Rows of ``p`` features converted to float64 at a time (``_BUILD_BYTES``)."""
    return max(64, _BUILD_BYTES // (8 * max(1, p)))


def _rounding(p):
    """The coefficients ``(a, c)`` of the screening margin of ``p`` features (see the
    module docstring): ``a`` bounds the rounding of float32 products of centred rows,
    ``c`` that of float64 products, each per squared norm."""
    return 1.2 * (p + 4) * _U32, 4.0 * (p + 4) * _U64


def _integral(values):
    """Whether every value is a whole number."""
    return bool(np.array_equal(np.rint(values), values))


def _exact_bound(dtype):
    """Squared norms below which products of integer rows are exact in ``dtype``.

    A value ``|x|^2 - 2 q.x`` (or a squared distance, ``|q|^2 + |x|^2 - 2 q.x``)
    sums integer terms whose magnitudes add up to at most ``(|q| + |x|)^2``:
    four times the largest squared norm. While that is below the integers the
    type holds exactly (``2**24`` in float32, ``2**53`` in float64), every
    partial sum is exact, in whatever order BLAS adds the terms.
    """
    return 2.0 ** (np.finfo(dtype).nmant + 1) / 4.0


def centre_sample(n):
    """Positions of the rows, out of ``n``, whose :func:`offset_centre` centres them."""
    return np.linspace(0, n - 1, min(n, _CENTRE_ROWS)).astype(np.intp)


def offset_centre(sample):
    """The whole-number centre that rows take off before their float64 products (see
    :class:`Points`): in each column of ``sample`` (some of the rows) whose median
    lies more than ``_OFFSET_SPREADS`` interquartile ranges from 0, that median,
    rounded; 0 in the others."""
    low, mid, high = _quartiles(sample)
    return np.where(np.abs(mid) > _OFFSET_SPREADS * (high - low), np.rint(mid), 0.0)


def _quartiles(sample):
    """The quartiles of each column of ``sample``: ``numpy.quantile(sample, [0.25, 0.5,
    0.75], axis=0)`` to the last bit (its linear interpolation, written out), from one
    sort of the columns, which takes a quarter of its time (257 x 294 rows: 0.5 ms
    against 2.1; two searches of a small table each take one)."""
    ordered = np.sort(np.asarray(sample, dtype=np.float64), axis=0)
    last = ordered.shape[0] - 1
    quartiles = []
    for q in (0.25, 0.5, 0.75):
        position = q * last
        below = math.floor(position)
        t = position - below
        a, b = ordered[below], ordered[min(below + 1, last)]
        # numpy's lerp: from the nearer end, so that t = 0 and t = 1 give a and b exactly.
        quartiles.append(b - (b - a) * (1.0 - t) if t >= 0.5 else a + (b - a) * t)
    return quartiles


# --------------------------------------------------------------------------- data


class RowSource:
    """Rows computed on access, which :class:`Points` reads instead of an array.

    A subclass has ``shape`` and ``dtype`` attributes, and ``source[key]``,
    for a slice or an array of row indices, returns those rows as a 2-D
    array. Data derived from a table (an embedding of its categories) then
    need not be stored whole: the search builds the rows it reads. With
    ``screen_on_access`` false, the search still keeps its float32 screening
    copy (faster) and builds only the exact rows it rechecks.
    """

    ndim = 2
    screen_on_access = True

    def centred(self, idx, mean, out):
        """Write the rows ``idx`` less ``mean``, computed in float64, into ``out``."""
        np.subtract(self[idx], mean, out=out, dtype=np.float64, casting="unsafe")


class ArrayRows(RowSource):
    """The rows of a dense array as a :class:`RowSource`: searched without a stored
    float32 screening copy (its rows are built as they are read)."""

    def __init__(self, X):
        self.X = X
        self.shape, self.dtype = X.shape, X.dtype

    def __getitem__(self, key):
        return self.X[key]


class Points:
    """The rows a rule searches, prepared for blockwise distances.

    Dense data are not copied in float64: the float64 rows ``[x, |x|^2]``
    (:meth:`exact`) and the squared distances that decide (:func:`pair_sq`)
    are computed from ``X`` when they are needed; only the float32 screening
    copy is stored.

    Parameters
    ----------
    X : ndarray, sparse matrix or RowSource of shape (n_samples, n_features)
        The data.
    rows : ndarray of int, default=None
        Search only these rows of ``X``, without copying them: row ``i`` of
        the points is ``X[rows[i]]``. ``None``: every row.

    Attributes
    ----------
    aug : sparse matrix of shape (n, p + 1) or None
        ``[x, |x|^2]`` in float64 for sparse data (``None`` for dense data:
        their exact rows are built from ``X`` when they are needed).
    low : ndarray, sparse matrix or row source of shape (n, p + 1)
        The screening copy: ``[x', |x'|^2]`` in float32 for the centred rows
        ``x'``; when screening is exact, ``aug`` itself (sparse data) or the
        exact rows built as they are read (dense data, :class:`_ExactScreening`).
    pair : ndarray of shape (n, p + 2) or None
        ``[x', |x'|^2, 1]``, the screening copy with a column of ones (``low``
        is a view of it): the reference side of :func:`_pair_rows`.
    centre : ndarray of shape (n_features,)
        What the exact rows of dense data are less: whole numbers, the rounded
        median of a sample of the rows in columns where it lies far from 0
        next to their spread (a few outliers move the mean away from every
        other row), else 0.
    mean : ndarray of shape (n_features,)
        What the screening rows are less: the mean (the centre when screening
        is exact).
    sq, low_sq : ndarray of shape (n,)
        Squared norms of the exact rows and of the screening rows (float64).
    tree : bool
        Whether the searches use a k-d tree: dense data of at most
        ``_TREE_MAX_FEATURES`` features, or of up to
        ``_TREE_PROBE_MAX_FEATURES`` where a tree of a sample pays (see
        :func:`_tree_pays`), without many rows tied with their nearest
        (checked on first use) unless those are copies (:attr:`groups`), in
        searches of at least ``_TREE_MIN_PAIRS`` pairs; see the module
        docstring.
    groups : ndarray of int of shape (n,) or None
        The groups of copies of rows, where rows have copies: see :func:`_copy_groups`.
    exact_screen : bool
        Whether the screened values are the exact values themselves: data of
        integers small enough, less :attr:`centre`, that every product sums
        exactly (see :func:`_exact_bound`). The rows are then screened as
        their exact rows, with no margin, and the searches take the values
        they screened.
    """

    def __init__(self, X, rows=None):
        self.sparse = sp.issparse(X)
        self._tree = False
        self.full_tree = None
        self.rows = None if rows is None else np.asarray(rows, dtype=np.intp)
        self.n = X.shape[0] if rows is None else self.rows.size
        self.n_features = X.shape[1]
        self.screened = False
        self.pair = None
        self._groups = None
        if self.sparse:
            X = sp.csr_matrix(X if rows is None else X[self.rows], dtype=np.float64)
            if not X.has_canonical_format:
                # Entries in column order: equal rows then give equal exact values (a
                # row dot product sums the entries in their stored order).
                X = X.copy()
                X.sum_duplicates()
            self.rows = None
            self.sq = np.asarray(X.multiply(X).sum(axis=1)).ravel()
            self.exact_screen = bool(_integral(X.data)
                                     and self.sq.max(initial=0.0) < _exact_bound(np.float64))
            self.aug = sp.hstack([X, sp.csr_matrix(self.sq[:, None])], format="csr")
            self._set_exact_screening()
            return
        few = self.n_features <= _TREE_MAX_FEATURES
        self._probe_tree = (not few and self.n_features <= _TREE_PROBE_MAX_FEATURES
                            and self.n >= _TREE_PROBE_MIN_ROWS)
        if few and self.n >= _TREE_LAZY_ROWS and not isinstance(X, RowSource):
            # Searched with a k-d tree: screening rows only if a blockwise search reads them.
            X = ArrayRows(np.asarray(X))
        # A row source may be screened from rows built on access, not from a stored copy.
        source = isinstance(X, RowSource)
        lazy = source and X.screen_on_access
        self.X = X if source else np.asarray(X)
        self.aug = None
        # Wide rows are almost always screened in float64 (see _coarse): their float32
        # copy is made once float32 screening is chosen, not before.
        copy_now = not lazy and self.n_features < _WIDE_FEATURES
        low_sq = np.empty(self.n)
        # In chunks of rows: no float64 copy of the whole data is made.
        step = min(_build_step(self.n_features), max(64, int(self.n * _BUILD_SHARE)))
        starts = range(0, self.n, step)
        mean = np.zeros(self.n_features)
        integral = True
        top = np.full(self.n_features, -np.inf)
        bottom = np.full(self.n_features, np.inf)
        for s in starts:
            chunk = self._chunk(s, step)
            mean += chunk.sum(axis=0, dtype=np.float64)
            if integral and chunk.size:
                integral = _integral(chunk)
                np.maximum(top, chunk.max(axis=0), out=top)
                np.minimum(bottom, chunk.min(axis=0), out=bottom)
        mean /= max(1, self.n)
        # The exact rows are the rows less a centre, of whole numbers: an offset far larger
        # than the distances (coordinates in metres, times in seconds) would leave the
        # float64 screening |x|^2 - 2 q.x no digits for them (every pair would then need
        # its distance), and whole numbers keep rows on a grid of integers (or of halves,
        # quarters...) on it, with their products exact. A column is
        # centred where the median of a sample of the rows (not the mean, which a few
        # outliers move away from every other row) lies more than _OFFSET_SPREADS times
        # their interquartile range from 0; elsewhere it costs nothing to leave it.
        centre = np.zeros(self.n_features)
        far = np.flatnonzero(np.abs(mean) >= 0.5)
        if far.size:
            sample = np.asarray(self.values(centre_sample(self.n)))
            centre[far] = offset_centre(sample[:, far])
        # A bound of the squared norms of centred integer rows (p times the largest value squared).
        largest_value = float(np.max(np.maximum(top - centre, centre - bottom), initial=0.0))
        sq_bound = self.n_features * largest_value**2 if integral else np.inf
        # Integer rows whose float32 products are exact are screened as their exact rows,
        # with no margin; other rows are screened centred on their mean.
        self.exact_screen = sq_bound < _exact_bound(np.float32)
        self.centre = centre
        self.mean = centre if self.exact_screen else mean
        self.sq = np.empty(self.n)

        def rows_of(s):
            """The exact and the screening rows of the chunk at ``s`` (float64)."""
            chunk = np.asarray(self._chunk(s, step), dtype=np.float64)
            exact = chunk - centre if centre.any() else chunk
            return exact, exact if self.exact_screen else chunk - mean

        def fill(pair, s, centred):
            # Values beyond float32 (the copy is then dropped below) are no error.
            with np.errstate(over="ignore"):
                pair[s:s + step, :-2] = centred

        # The float32 screening rows [x', |x'|^2, 1] (the last two columns filled below).
        pair = np.empty((self.n, self.n_features + 2), dtype=np.float32) if copy_now else None
        for s in starts:
            exact, centred = rows_of(s)
            self.sq[s:s + step] = np.einsum("ij,ij->i", exact, exact)
            low_sq[s:s + step] = np.einsum("ij,ij->i", centred, centred)
            if pair is not None:
                fill(pair, s, centred)
        largest = float(max(low_sq.max(), self.sq.max())) if self.n else 0.0
        if self.exact_screen or (1e-20 < largest < 1e30 and not self._coarse(low_sq)):
            self.low_sq = low_sq
            if lazy:
                self.pair = _ScreeningRows(self, ones=True)
                self.low = _ScreeningRows(self, ones=False)
            else:
                if pair is None:  # wide rows: copied now float32 screening is chosen
                    pair = np.empty((self.n, self.n_features + 2), dtype=np.float32)
                    for s in starts:
                        fill(pair, s, rows_of(s)[1])
                pair[:, -2] = low_sq
                pair[:, -1] = 1.0
                self.pair = pair
                self.low = pair[:, :-1]
            self.screened = True
        else:
            # Screened with the exact rows, built as they are read: a tree (which
            # needs none) or a few blocks hold no float64 copy of all the rows.
            del pair
            self.low = _ExactScreening(self)
            self.low_sq = self.sq
            self.exact_screen = sq_bound < _exact_bound(np.float64)
        # Few features (or few effective ones, see tree): a k-d tree finds the
        # candidates (see _tree_top_k).
        self._tree = None if ((few or self._probe_tree)
                              and (not source or isinstance(X, ArrayRows))) else False

    def _coarse(self, low_sq):
        """Whether float32 screening would be too coarse for these rows.

        Its margin (:meth:`slack`: at a row of median norm, against the
        largest norm) is compared with the squared distance of a row to its
        nearest neighbour, estimated on a sample and scaled to all the rows
        (as ``(m / n) ** (2 / p)``). When the margin would let more than
        ``_COARSE_FACTOR`` times as many rows through as a ball of the true
        radius holds (``(1 + 2 margin / d) ** (p / 2)``), most pairs would
        need their exact values: the rows are screened in float64 instead.
        This is data with one column of far larger spread than the others,
        such as an unscaled amount next to scaled features.
        """
        n, p = self.n, self.n_features
        m = min(n, _COARSE_ROWS, max(_COARSE_QUERIES, _COARSE_VALUES // p))
        if m < 2:
            return False
        sample = np.linspace(0, n - 1, m).astype(np.intp)

        def centred(rows):
            return np.subtract(self.values(rows), self.mean, dtype=np.float64)

        queries = centred(sample[::max(1, m // _COARSE_QUERIES)])
        q_sq = np.einsum("ij,ij->i", queries, queries)
        d = np.empty((len(queries), m))
        # A chunk of the sample at a time: no float64 copy of it (wide rows: 2,048 x 20,000
        # took 0.7 s to check).
        step = _build_step(p)
        with one_thread():  # small products: threads only wait for each other
            for s in range(0, m, step):
                rows = centred(sample[s:s + step])
                norms = q_sq[:, None] + np.einsum("ij,ij->i", rows, rows)
                block = d[:, s:s + step]
                np.subtract(norms, 2.0 * (queries @ rows.T), out=block)
                # Copies of a row come out within rounding of 0: left out, as the row itself.
                block[block <= 4.0 * (p + 2) * _U64 * norms] = np.inf
        nearest = d.min(axis=1)
        nearest = nearest[np.isfinite(nearest)]
        if nearest.size == 0:  # copies of rows everywhere: nothing to compare with
            return False
        d = float(np.median(nearest)) * (m / n) ** (2.0 / p)
        margin = _rounding(p)[0] * (np.sqrt(np.median(low_sq)) + np.sqrt(low_sq.max())) ** 2
        # In logarithms: the power overflows on wide rows (a warning, not an answer). A
        # factor of 0 (every data coarse) has the logarithm -inf.
        with np.errstate(divide="ignore"):
            return bool(p / 2.0 * math.log1p(2.0 * margin / d) > np.log(_COARSE_FACTOR))

    @property
    def tree(self):
        """Whether the searches use a k-d tree (decided on first use: see :func:`_tree_pays`
        and :func:`_many_copies`)."""
        if self._tree is None:
            # Data with copies of rows search their distinct rows (see _distinct_top_k),
            # which the tree serves well.
            self._tree = ((not self._probe_tree or _tree_pays(self))
                          and (self.groups is not None or not _many_copies(self)))
        return self._tree

    @property
    def groups(self):
        """Group of each row (rows of a group are copies of one row), or ``None``
        where rows have few copies (computed on first use: see :func:`_copy_groups`)."""
        if self._groups is None:
            self._groups = _copy_groups(self)
        return self._groups if self._groups is not False else None

    def pair_margins(self, rows):
        """Each row's part of the margin of its pairs' float64 values, or ``None`` where the
        values are screened in float32 or exactly.

        A float64 value of the pair ``(q, x)`` computed by two products differs
        by at most ``c (|q| + |x|)^2 <= 2 c (|q|^2 + |x|^2)`` (``c`` of
        :func:`_rounding`): ``pair_margins(q) + pair_margins(x)``, at twice
        that bound, also covers the rounding of adding the margins to the
        values. A block's margin (:meth:`slack`) takes its largest norm
        instead, which a few rows of huge norm (an amount with outliers) make
        far wider than most pairs need.
        """
        if self.screened or self.exact_screen:
            return None
        return 4.0 * _rounding(self.n_features)[1] * self.sq[rows]

    def _chunk(self, start, step):
        """Rows ``start:start + step`` of the points (a view of ``X`` when they are all its rows)."""
        if self.rows is None:
            return self.X[start:start + step]
        return self.X[self.rows[start:start + step]]

    def _set_exact_screening(self):
        """Screen sparse data with the exact values themselves."""
        self.low = self.aug
        self.low_sq = self.sq

    def exact(self, idx):
        """The exact rows ``[x, |x|^2]`` (float64) of the rows ``idx``: for dense data,
        ``x`` is the row less :attr:`centre`."""
        if self.aug is not None:
            return self.aug[idx]
        rows = np.empty((len(idx), self.n_features + 1))
        np.subtract(self.values(idx), self.centre, out=rows[:, :-1])
        rows[:, -1] = self.sq[idx]
        return rows

    def values(self, idx):
        """The rows ``idx`` of dense data, as stored (no float64 copy is made)."""
        return self.X[idx if self.rows is None else self.rows[idx]]

    def exact_queries(self, idx, scale=-2.0):
        """The exact query rows ``[scale * q, -scale / 2]`` (float64, or sparse)."""
        if self.sparse:
            Q = self.aug[idx]
            weights = np.full(Q.shape[1], scale)
            weights[-1] = 0.0
            return sp.hstack(
                [(Q @ sp.diags(weights))[:, :-1],
                 sp.csr_matrix(np.full((Q.shape[0], 1), -scale / 2))],
                format="csr",
            )
        Q = self.exact(idx)  # a new array
        Q[:, :-1] *= scale
        Q[:, -1] = -scale / 2
        return Q

    def queries(self, idx, scale=-2.0):
        """The screening query rows ``[scale * q', -scale / 2]`` of the rows ``idx``."""
        if not self.screened:
            return self.exact_queries(idx, scale)
        Q_low = self.low[idx].copy()
        Q_low[:, :-1] *= np.float32(scale)
        Q_low[:, -1] = -scale / 2
        return Q_low

    def shift(self, rows):
        """``-|q'|^2`` of ``rows``: a query's screened values are its squared distances
        plus its shift (within the screening margin)."""
        return -self.low_sq[rows]

    def block_norms(self, refs, block):
        """Largest centred and plain norm in each run of ``block`` entries of ``refs``."""
        starts = np.arange(0, len(refs), block)
        # sqrt is monotonic: the root of the largest square is the largest root.
        return (np.sqrt(np.maximum.reduceat(self.low_sq[refs], starts)),
                np.sqrt(np.maximum.reduceat(self.sq[refs], starts)))

    def slack(self, queries, block_norms):
        """Screening margin ``eps`` of each query against each block of references.

        ``queries`` are row indices; ``block_norms`` is :meth:`block_norms` of
        the references. Returns an array of shape ``(len(queries), number of
        blocks)``. When screening is exact, the margin still covers float64
        rounding: two products of the same pair may differ in their last bits
        (BLAS sums in an order that depends on the shapes).
        """
        M_low, M = block_norms
        if self.exact_screen:
            return np.zeros((len(queries), len(M)))
        a, c = _rounding(self.n_features)
        a = a if self.screened else 0.0
        q_low = np.sqrt(self.low_sq[queries])
        q = np.sqrt(self.sq[queries])
        # a (2 q' M' + M'^2) + c (2 q M + M^2 + q^2), as outer products.
        out = np.multiply.outer(2.0 * a * q_low, M_low)
        out += np.multiply.outer(2.0 * c * q, M)
        out += a * M_low * M_low + c * M * M
        out += (c * q * q)[:, None]
        return out


class _RowsOnAccess:
    """Rows of :class:`Points` built on access: ``rows[key]`` takes a slice, an array
    of positions, or either with a column key, and :meth:`build` makes the rows."""

    ndim = 2

    def __getitem__(self, key):
        if isinstance(key, tuple):
            rows, columns = key
            return self[rows][:, columns]
        return self.build(np.arange(*key.indices(self.shape[0])) if isinstance(key, slice)
                          else np.asarray(key, dtype=np.intp))


class _ExactScreening(_RowsOnAccess):
    """The exact rows ``[x, |x|^2]`` (float64) of dense :class:`Points`: their
    screening rows when screening is exact (see :meth:`Points._coarse`). It holds
    what it needs of the points, not the points.
    """

    dtype = np.dtype(np.float64)

    def __init__(self, points):
        self.source, self.rows, self.sq = points.X, points.rows, points.sq
        self.centre = points.centre
        self.shape = (points.n, points.n_features + 1)

    def build(self, idx):
        out = np.empty((idx.size, self.shape[1]))
        np.subtract(self.source[idx if self.rows is None else self.rows[idx]], self.centre,
                    out=out[:, :-1])
        out[:, -1] = self.sq[idx]
        return out


class _ScreeningRows(_RowsOnAccess):
    """The screening rows of :class:`Points` on a :class:`RowSource`, built on access.

    ``rows[key]`` (a slice, an array of positions, or either with a column
    key) holds exactly what the stored copy would: ``[x', |x'|^2]`` in
    float32, and with ``ones`` a last column of ones. It holds what it needs
    of the points, not the points (no reference cycle to keep them alive).
    """

    dtype = np.dtype(np.float32)

    def __init__(self, points, ones):
        self.source, self.rows, self.mean = points.X, points.rows, points.mean
        self.low_sq = points.low_sq
        self.n_features = points.n_features
        self.ones = ones
        self.shape = (points.n, points.n_features + (2 if ones else 1))

    def build(self, idx):
        out = np.empty((idx.size, self.shape[1]), dtype=np.float32)
        self.source.centred(idx if self.rows is None else self.rows[idx], self.mean,
                            out[:, :self.n_features])
        out[:, self.n_features] = self.low_sq[idx]
        if self.ones:
            out[:, -1] = 1.0
        return out


class _GramRows:
    """Rows of a set, as screening rows of :func:`_dot` against each other,
    whose products come from one product of the set with itself.

    ``_GramRows.of(R)``, for the float64 screening rows ``R = [x, |x|^2]`` of
    the set, computes ``G = X X^T`` once: BLAS computes a product of rows with
    themselves as a symmetric product, half the work of a product of two sets.
    Indexing gives some of the rows; :func:`_dot` of two such selections, the
    first as queries ``[-2 q, 1]``, is ``|x|^2 - 2 q.x`` taken from ``G``:
    each entry of ``G`` is a dot product of the two rows, within the margin
    of the product of the screening rows themselves.
    """

    dtype = np.dtype(np.float64)

    def __init__(self, gram, sq, pos, width):
        self.gram, self.sq, self.pos = gram, sq, pos
        self.shape = (pos.size, width)

    @classmethod
    def of(cls, R):
        """The set of rows ``R`` (``[x, |x|^2]``, float64), in its order."""
        X = R[:, :-1]
        return cls(X @ X.T, R[:, -1].copy(), np.arange(R.shape[0]), R.shape[1])

    def __getitem__(self, key):
        return _GramRows(self.gram, self.sq, self.pos[key], self.shape[1])

    def values(self, refs):
        """``|x|^2 - 2 q.x`` of these rows, as queries, against the rows ``refs``."""
        out = self.gram[np.ix_(self.pos, refs.pos)]
        out *= -2.0
        out += self.sq[refs.pos]
        return out


def _dot(A, B):
    """``A @ B.T`` as a dense array (of :class:`_GramRows`: their screened values).

    Of two sparse operands, one is made dense when its dense copy is no larger than the
    result: a sparse x dense product is several times faster than a sparse x sparse one
    (NearMiss on 35k x 300 binary rows, 4% filled: 0.6 s -> 0.25 s).
    """
    if isinstance(A, _GramRows):
        return A.values(B)
    if sp.issparse(A) and sp.issparse(B):
        if A.shape[1] <= A.shape[0]:
            B = B.toarray()
        elif A.shape[1] <= B.shape[0]:
            A = A.toarray()
    if sp.issparse(A) or sp.issparse(B):
        out = A @ B.T
        return out.toarray() if sp.issparse(out) else np.asarray(out)
    return A @ B.T


def pair_sq(points, a, b):
    """Squared distances of the pairs of rows ``(a[i], b[i])`` of ``points``.

    Summed from the differences of the rows as given, in float64: exact to a
    few units in the last place of the distance itself, wherever the rows
    lie. These values decide every search; the products only screen (their
    rounding grows with the norms of the rows, not with their distances).
    The same pair, either way round, always gets the same value, in whatever
    chunk it is computed: each row's squares are summed alone, pairwise
    (``np.einsum`` sums rows of more than 8,192 values in an order that
    depends on how many rows it is given).
    """
    out = np.empty(a.size)
    # Both gathered sides (float64) take about _BUILD_BYTES at a time: on wide rows a
    # few pairs, whose differences stay in cache (20,000 features: 3x faster than 256).
    step = max(4, _BUILD_BYTES // (16 * max(1, points.n_features)))
    for s in range(0, a.size, step):
        i, j = a[s:s + step], b[s:s + step]
        if points.sparse:
            D = points.aug[i][:, :-1] - points.aug[j][:, :-1]
            out[s:s + step] = np.asarray(D.multiply(D).sum(axis=1)).ravel()
        else:
            D = np.subtract(points.values(i), points.values(j), dtype=np.float64)
            np.square(D, out=D)
            D.sum(axis=1, out=out[s:s + step])
    return out


class _Values:
    """The values that decide a search of ``queries`` among ``refs``.

    ``values(rows, pos)`` gives the squared distances of the pairs
    ``(queries[rows], refs[pos])`` (:func:`pair_sq`), negated for the
    farthest rows; :meth:`of_screened` turns exactly screened values (see
    :attr:`Points.exact_screen`) into the same units.
    """

    def __init__(self, points, queries, refs, farthest=False):
        self.points, self.queries, self.refs = points, queries, refs
        self.farthest = farthest

    def __call__(self, rows, pos):
        d = pair_sq(self.points, self.queries[rows], self.refs[pos])
        return np.negative(d, out=d) if self.farthest else d

    def of_screened(self, rows, D):
        """Values of the exactly screened entries ``D`` of the queries ``rows``:
        ``d^2 - |q|^2`` (``|q|^2 - d^2`` for the farthest), both exact."""
        sq = self.points.sq[self.queries[rows]]
        return D.astype(np.float64) + (-sq if self.farthest else sq)


def nonzero_2d(mask):
    """``np.nonzero`` of a 2-D boolean array, as (rows, columns): several times faster."""
    return divmod(np.flatnonzero(mask), mask.shape[1])


def _at_most(limit, dtype):
    """``limit`` in ``dtype``, finite: ``D <= result`` for ``D`` of ``dtype`` keeps every entry
    ``D <= limit`` keeps (rounding to nearest adds at most the next value) and never ``+inf``."""
    return np.minimum(limit, np.finfo(dtype).max).astype(dtype)


def n_threads(n_jobs):
    """Number of worker threads for ``n_jobs`` (``None`` and ``-1``: all cores)."""
    if n_jobs is None or n_jobs == -1:
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # pragma: no cover - not on Linux
            return max(1, os.cpu_count() or 1)
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, Integral):
        raise InvalidParameterTypeError(
            f"n_jobs must be an integer or None; got {n_jobs!r} of type {type(n_jobs).__name__}."
        )
    if n_jobs == 0:
        raise InvalidParameterError(
            "n_jobs=0 is out of range; it must be None, >= 1, or negative (-1 for every core, "
            "-2 for all but one, ...)."
        )
    if n_jobs < 0:
        return max(1, n_threads(None) + 1 + int(n_jobs))
    return int(n_jobs)


def check_n_jobs(n_jobs):
    """Validate ``n_jobs`` (``None``, ``-1`` or a non-zero integer), with a clear error."""
    if n_jobs is not None:
        n_threads(n_jobs)
    return n_jobs


_CONTROLLER = []


def _blas_controller():
    """The threadpoolctl controller of the libraries loaded in the process.

    Finding the libraries takes milliseconds, so the controller is kept while no module
    is imported: a thread pool loaded later (faiss's own OpenBLAS, torch's OpenMP) comes
    with an import, and is then found and limited too.
    """
    if not _CONTROLLER or _CONTROLLER[0][0] != len(sys.modules):
        from threadpoolctl import ThreadpoolController

        controller = ThreadpoolController()
        _CONTROLLER[:] = [(len(sys.modules), controller)]  # counted after its own imports
    return _CONTROLLER[0][1]


class MainThreadSetting:
    """A process-wide setting (a thread limit) applied around searches of the main thread.

    Thread limits are process-wide, so a thread that sets one and restores what it
    found races with every other thread doing the same: two searches run from two
    threads at once left BLAS on one thread for the rest of the process, and a
    limit set from a worker thread kept threadpoolctl from letting other threads
    change OpenBLAS's. So only the main thread applies the setting, with
    ``make()`` (a context manager, entered and left in that thread), and nested
    entries change nothing; searches run from other threads (a caller's thread
    pool, a web server) leave the limits as they are.
    """

    def __init__(self, make):
        self._make = make
        self._active = False  # read and written by the main thread only

    @contextmanager
    def __call__(self):
        if self._active or threading.current_thread() is not threading.main_thread():
            yield
            return
        self._active = True
        try:
            with self._make():
                yield
        finally:
            self._active = False


#: BLAS and OpenMP on one thread while any of balancekit's searches runs that needs it.
one_thread = MainThreadSetting(lambda: _blas_controller().limit(limits=1))


def blas_threads(n_jobs):
    """A context in which BLAS uses the threads of ``n_jobs`` (see :func:`n_threads`).

    ``None`` leaves BLAS as the process has it; one thread is :data:`one_thread`.
    """
    if n_jobs is None:
        return nullcontext()
    threads = n_threads(n_jobs)
    if threads == 1:
        return one_thread()
    return _blas_controller().limit(limits=threads, user_api="blas")


def _run(tasks, n_jobs):
    """Run ``tasks`` (callables) on a pool of threads, BLAS on one thread each.

    Returns their results, in order.
    """
    workers = min(n_threads(n_jobs), len(tasks))
    with one_thread():
        if workers <= 1:
            return [task() for task in tasks]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return [future.result() for future in [pool.submit(task) for task in tasks]]


# Below this many query-reference pairs of at most _SMALL_FEATURES features a search
# runs on one thread; a pair of more features counts for more (NearMiss on 2,000 rows of
# 20,000 features: 376,000 pairs, whose product took 0.34 s on one thread).
_SMALL_WORK = 4_000_000
_SMALL_FEATURES = 32


def _threads_for(points, n_queries, n_refs, n_jobs):
    """``n_jobs``, or 1 when the search of ``points`` is too small to gain from threads."""
    work = n_queries * n_refs * max(points.n_features, _SMALL_FEATURES)
    return 1 if work < _SMALL_WORK * _SMALL_FEATURES else n_jobs


def one_thread_when_small(n_queries, n_refs):
    """A context in which BLAS and OpenMP (scikit-learn's brute force) run on one thread
    when a search of ``n_queries`` x ``n_refs`` pairs is too small to gain from threads.

    Their threads then only wait for one another, and far longer on a busy machine:
    SMOTE on 2,400 rows of 294 features took 0.1 s instead of 0.01 s while two other
    processes ran.
    """
    if n_queries * n_refs < _SMALL_WORK:
        return one_thread()
    return nullcontext()


def _query_slices(n, n_jobs, n_refs=None):
    """Split ``n`` query rows into blocks, small enough to spread over the threads.

    Against fewer than ``_REF_BLOCK`` references (``n_refs``) the blocks
    grow, up to 8 times, to keep about as many pairs per block. A search of
    fewer queries than four full blocks per thread takes as many blocks as
    the threads need (a multiple of their number, of equal size): four
    blocks per thread cost each block's fixed work four times over, which
    made a few hundred queries slower on two threads than on one
    (BorderlineSMOTE on 5,620 x 64 whole numbers: 41 ms, now 27; one thread
    26 ms).
    """
    size = _QUERY_BLOCK
    if n_refs:
        size = int(np.clip(_QUERY_BLOCK * _REF_BLOCK // n_refs, size, 8 * size))
    workers = n_threads(n_jobs)
    if workers > 1 and n < size * workers * 4:
        blocks = workers * max(1, -(-n // (workers * size)))
        size = max(1, -(-n // blocks))
    return [slice(s, min(n, s + size)) for s in range(0, n, size)]


def _top_k_layout(n, n_jobs, n_refs, k, budget):
    """Blocks of :func:`top_k_positions`: the query slices and the reference block width.

    When the references fill whole blocks, the blocks of all threads
    together hold at most ``budget`` screened values, so that the working
    memory of a search stays below the size of its data: first with
    reference blocks of about half the width (about as fast), then with
    fewer query rows (at least ``_MIN_QUERY_ROWS``; slower, as the second
    pass makes a numpy call per part for each block of queries). Against
    fewer references the blocks keep their grown size: such searches (many
    majority rows against a small minority) are slow in small blocks.
    """
    wide = -(-2 * k // 8) * 8  # at least 2 k references a block
    block = max(_REF_BLOCK, wide)
    slices = _query_slices(n, n_jobs, n_refs)
    size = slices[0].stop
    workers = n_threads(n_jobs)
    if n_refs >= _REF_BLOCK and workers * size * block > budget:
        block = max(_HALF_REF_BLOCK, wide)
        rows = max(_MIN_QUERY_ROWS, budget // (workers * block))
        if rows < size:
            slices = [slice(s, min(n, s + rows)) for s in range(0, n, rows)]
    return slices, block


def _positions(refs, rows):
    """Position of each of ``rows`` in the sorted ``refs`` (``-1`` when absent)."""
    if refs.size == 0:
        return np.full(np.shape(rows), -1, dtype=np.intp)
    pos = np.minimum(np.searchsorted(refs, rows), refs.size - 1)
    return np.where(refs[pos] == rows, pos, -1)


def _count_less(D, thr, buf, strict):
    """Per-row count of entries of ``D`` below ``thr`` (``<`` or ``<=``).

    The comparison goes into a byte buffer whose rows are added eight bytes
    at a time as 64-bit words: each byte lane sums at most 2040 / 8 = 255
    ones, so none overflows. The eight lanes of each row are then added up.
    """
    n, w = D.shape
    out = buf[:n]
    if strict:
        np.less(D, thr, out=out[:, :w])
    else:
        np.less_equal(D, thr, out=out[:, :w])
    if out.shape[1] > w:
        out[:, w:] = False
    lanes = out.view(np.uint64).sum(axis=1, dtype=np.uint64)
    return lanes.view(np.uint8).reshape(n, 8).sum(axis=1, dtype=np.intp)


# --------------------------------------------------------------------------- top k


def top_k(points, queries, refs, k, *, farthest=False, exclude_self=True, n_jobs=None,
          budget=None, reduce=None):
    """The ``k`` nearest (or farthest) reference rows of each query row.

    Parameters
    ----------
    points : Points
        The data.
    queries : ndarray of int of shape (n_queries,)
        Rows whose neighbours are wanted.
    refs : ndarray of int of shape (n_refs,)
        Candidate neighbours, in increasing order.
    k : int
        Neighbours per query. Rows with fewer candidates get ``-1`` indices
        (and infinite distances) in the missing places.
    farthest : bool, default=False
        Return the ``k`` farthest rows instead.
    exclude_self : bool, default=True
        A query that is itself a reference row is not its own neighbour.
        When false, it is its own nearest neighbour (distance 0).
    n_jobs : int, default=None
        Threads.
    budget : int, default=None
        Working memory, in float32 values: the most the distance blocks of
        all threads hold at once (when the references fill whole blocks; see
        :func:`_top_k_layout`); a search of a set of rows among itself
        computes its tiles in strips when whole tiles would hold more (see
        :func:`_self_screen`). ``None``: as many values as the screening copy
        of the data holds, and whole tiles.
    reduce : callable, default=None
        ``reduce(sq_dist, idx)``, called on the results of each block of
        consecutive queries as soon as it is searched (from the search's
        threads). ``top_k`` then returns the list of its results, in the
        order of the queries, and never holds the lists of all the queries.

    Returns
    -------
    sq_dist : ndarray of shape (n_queries, k)
        Squared distances, nearest first (with ``farthest``: farthest first).
    idx : ndarray of int of shape (n_queries, k)
        Row indices of the neighbours, in the same order; of two equally
        distant rows the lower index comes first.
    """
    queries = np.asarray(queries, dtype=np.intp)
    refs = np.asarray(refs, dtype=np.intp)
    self_pos = _positions(refs, queries) if exclude_self else None

    def finish(sl, raw, pos):
        # Back from the negated distances of the farthest rows.
        if farthest:
            np.negative(raw, out=raw)
        sq, idx = as_rows(refs, raw, pos, in_place=True)
        if not exclude_self and not farthest:
            # A query found among the references is its own nearest neighbour,
            # whatever rounding says about its distance to itself.
            own = _positions(refs, queries[sl]) >= 0
            if own.any():
                sq[own], idx[own] = _self_first(sq[own], idx[own], queries[sl][own])
        return (sq, idx) if reduce is None else reduce(sq, idx)

    found = top_k_positions(points, queries, refs, k, farthest=farthest, self_pos=self_pos,
                            n_jobs=n_jobs, budget=budget,
                            each=None if reduce is None else finish)
    return found if reduce is not None else finish(slice(None), *found)


def top_k_positions(points, queries, refs, k, *, farthest=False, self_pos=None, n_jobs=None,
                    budget=None, each=None, tree=True, distinct=True):
    """:func:`top_k` on references in any order (repeats allowed), in positions.

    Returns the squared distances (negated with ``farthest``) and the
    positions in ``refs`` of the ``k`` best, ties to the lower position;
    ``self_pos`` gives each query's own position in ``refs`` to leave out
    (``-1``: none). With ``each``, returns instead the list of
    ``each(sl, values, positions)`` over consecutive slices ``sl`` of the
    queries, each called as soon as its slice is searched. ``tree=False``
    searches in blocks even where ``points.tree`` is set; ``distinct=False``
    searches every row even where rows have many copies (see
    :func:`_distinct_top_k`).
    """
    nq = queries.size

    def done(raw, pos):
        # Results of every query at once.
        return (raw, pos) if each is None else [each(slice(None), raw, pos)]

    if nq == 0 or k == 0 or refs.size == 0:
        return done(np.full((nq, k), np.inf), np.full((nq, k), -1, dtype=np.intp))
    if self_pos is None:
        self_pos = np.full(nq, -1, dtype=np.intp)
    plan = _distinct_plan(points, queries, refs) if distinct else None
    if plan is not None:
        return done(*_distinct_top_k(points, plan, queries, refs, k, farthest, self_pos,
                                     n_jobs, budget))
    if tree and not farthest and nq * refs.size >= _tree_min_pairs(points) and points.tree:
        return _tree_top_k(points, queries, refs, k, self_pos, n_jobs, each)
    n_jobs = _threads_for(points, nq, refs.size, n_jobs)
    if (not farthest and points.screened and refs.size >= _SELF_MIN_TILES * _TILE
            and 2 * nq >= refs.size and (refs[1:] > refs[:-1]).all()):
        # Queries taken from a set of distinct rows (at least half of it), each
        # its own neighbour or none: one search of the set among itself
        # screens fewer pairs than the queries against the set.
        pos = _positions(refs, queries)
        exclude = np.array_equal(self_pos, pos)
        if (pos >= 0).all() and (exclude or not (self_pos >= 0).any()):
            raw, found = _self_top_k(points, refs, k, exclude, n_jobs, budget)
            if nq == refs.size and (pos[1:] > pos[:-1]).all():
                return done(raw, found)  # the queries are the set, in its order
            return done(raw[pos], found[pos])
    # By default the blocks of the threads together hold at most as many
    # values as the screening copy of the data (in float32, that copy's size).
    if budget is None:
        budget = points.n * (points.n_features + 1)
    slices, block = _top_k_layout(nq, n_jobs, refs.size, k, budget)
    R_low = points.low if _every_row(points, refs) else points.low[refs]
    # Float64 values: each pair's margin. Otherwise each query's margin against the
    # largest norms of all the references: at least its margin against any block (all
    # the search uses), and no array of queries x blocks.
    col_margins = points.pair_margins(refs)
    norms = points.block_norms(refs, refs.size) if col_margins is None else None
    if each is None:
        out_d = np.full((nq, k), np.inf)
        out_i = np.full((nq, k), -1, dtype=np.intp)
    results = [None] * len(slices)

    def task(j, sl):
        rows = queries[sl]
        Q_low = points.queries(rows, 2.0 if farthest else -2.0)
        margins = None if col_margins is None else (points.pair_margins(rows), col_margins)
        slack = points.slack(rows, norms) if margins is None else None
        raw, pos = _top_k_block(_Values(points, rows, refs, farthest), Q_low, R_low, k,
                                self_pos[sl], block, slack, points.exact_screen, margins)
        if each is None:
            out_d[sl], out_i[sl] = raw, pos
        else:
            results[j] = each(sl, raw, pos)

    _run([lambda j=j, sl=sl: task(j, sl) for j, sl in enumerate(slices)], n_jobs)
    return (out_d, out_i) if each is None else results


def _every_row(points, rows):
    """Whether ``rows`` are all the rows of ``points``, in order."""
    return rows.size == points.n and np.array_equal(rows, np.arange(points.n))


def _self_first(d, i, own):
    """Move each row's own index to the front (distance 0)."""
    is_self = i == own[:, None]
    has = is_self.any(axis=1)
    # Rows where rounding pushed the query out of its own top-k: drop the last.
    drop = np.where(has, np.argmax(is_self, axis=1), i.shape[1] - 1)
    keep = np.ones(i.shape, dtype=bool)
    keep[np.arange(i.shape[0]), drop] = False
    rest_d = d[keep].reshape(i.shape[0], -1)
    rest_i = i[keep].reshape(i.shape[0], -1)
    d = np.concatenate([np.zeros((i.shape[0], 1)), rest_d], axis=1)
    i = np.concatenate([own[:, None], rest_i], axis=1)
    return d, i


def _top_k_block(values, Q_low, R_low, k, own, block, slack, exact, margins=None):
    """The ``k`` smallest values of each query against the references, in two passes.

    ``values`` is the :class:`_Values` of the search, which decide; the
    screening rows of the queries and the references are ``Q_low`` and
    ``R_low``. ``own`` gives each row's position to leave out (``-1``: none). The
    references are cut into parts (several per block of ``block``
    references). The first pass screens every block (``Q_low @ R_low.T``:
    the squared distances less an offset of the row, within ``slack``) and keeps
    only the smallest entry of each row in each part: the product and one
    reduction. The ``k`` smallest of these part minima are ``k`` entries, so
    the ``k``-th smallest exact value is at most the ``k``-th smallest part
    minimum ``S`` less the offset plus the slack: every entry that can be
    among the ``k`` smallest is screened within ``S + 2 * slack``. The
    second pass computes again only the parts whose minimum is that low and
    takes the exact values of their entries below the limit (``exact``: from
    the screened values, which are exact, see :attr:`Points.exact_screen`).
    Ties go to the lower position. ``margins``: float64 values with each
    pair's margin, ``(rows, references)`` (see :meth:`Points.pair_margins`), instead of
    ``slack``: the minima are taken of the highest exact value each entry may
    stand for, and the candidates are the entries whose lowest is in reach.
    """
    nq = Q_low.shape[0]
    n_ref = R_low.shape[0]
    width, per_block, bounds = _parts(n_ref, block, k)
    if n_ref <= block and (len(bounds) >= k or margins is not None):
        # References in one block: one pass (few references with float64 values too, whose
        # highest values, of rows of huge norm, are slow to partition whole).
        return _one_block_top_k(values, Q_low, R_low, k, own, slack, exact, margins)
    if len(bounds) < k:
        # Fewer parts than neighbours: their minima cannot bound the k-th value, and
        # every entry would go to the second pass. The references are few (less than
        # k parts of _MIN_PART): their exact values at once.
        return _few_refs_top_k(values, Q_low, R_low, k, own, slack, exact, margins)
    part_min = np.empty((nq, len(bounds)), dtype=Q_low.dtype)
    col = None if margins is None else margins[1]
    # With margins: the minima of the highest values bound the k-th value, those of the
    # lowest tell which parts can hold a candidate.
    part_low = part_min if col is None else np.empty_like(part_min)

    def screen(rows, s, e):
        """Screened values of ``rows`` against references ``s:e``."""
        D = _dot(Q_low[rows], R_low[s:e])
        inside = np.flatnonzero((own[rows] >= s) & (own[rows] < e))
        if inside.size:
            D[inside, own[rows[inside]] - s] = np.inf
        return D

    all_rows = np.arange(nq)
    # References in one block: its values are kept for the second pass, not computed again.
    kept = None
    for b, s in enumerate(range(0, n_ref, block)):
        D = screen(all_rows, s, min(n_ref, s + block))
        at = slice(b * per_block, b * per_block + -(-D.shape[1] // width))
        if col is not None:
            D -= col[s:s + block]
            part_low[:, at] = _part_minima(D, width)
            D += 2.0 * col[s:s + block]
        part_min[:, at] = _part_minima(D, width)
        if n_ref <= block:
            kept = D
        del D  # freed before the next block is computed
    if len(bounds) >= k:
        kth = np.partition(part_min, k - 1, axis=1)[:, k - 1].astype(np.float64)
    else:
        kth = np.full(nq, np.inf)
    # Finite, so that left-out entries (+inf) are never candidates.
    reach = 2.0 * (slack.max(axis=1) if margins is None else margins[0])
    limit = np.minimum(kth + reach, np.finfo(np.float64).max)
    pairs = []
    for j, (s, e) in enumerate(bounds):
        rows = np.flatnonzero(part_low[:, j] <= limit)
        if rows.size == 0:
            continue
        if kept is not None:
            D = kept[rows, s:e] if col is None else kept[rows, s:e] - 2.0 * col[s:e]
        else:
            D = screen(rows, s, e)
            if col is not None:
                D -= col[s:e]
        r, c = nonzero_2d(D <= _at_most(limit[rows, None], D.dtype))
        pairs.append((rows[r], values.of_screened(rows[r], D[r, c]), s + c) if exact
                     else (rows[r], s + c))
        del D  # freed before the next block is computed
    return _pick_smallest(nq, k, pairs if exact else _with_values(values, pairs))


def _with_values(values, pairs):
    """The candidate lists ``(rows, values, positions)`` of the pairs ``(rows, positions)``
    of ``pairs`` (emptied), with their :class:`_Values`, computed for many lists at once
    (a call per list costs more than its values where the lists are short)."""
    if not pairs:
        return []
    sizes = np.cumsum([rows.size for rows, _ in pairs])
    rows, pos = _concatenated(pairs)
    found = values(rows, pos)
    return [(r, v, p) for r, v, p in zip(np.split(rows, sizes[:-1]), np.split(found, sizes[:-1]),
                                          np.split(pos, sizes[:-1]), strict=True)]


def _few_refs_top_k(values, Q_low, R_low, k, own, slack, exact, margins=None):
    """:func:`_top_k_block` against few references, in one pass.

    Every value is screened at once, as one product (within ``slack`` of the
    exact value plus the row's offset, as in :func:`_top_k_block`); the
    entries within twice the slack of each row's ``k``-th smallest get their
    exact values, which decide (the screened ones with ``exact``; with
    ``margins``, as in :func:`_top_k_block`).
    """
    n_ref = R_low.shape[0]
    D = _dot(Q_low, R_low[np.arange(n_ref)])
    has = np.flatnonzero(own >= 0)
    D[has, own[has]] = np.inf
    highest, lowest = (D, D) if margins is None else (D + margins[1], D - margins[1])
    kth = np.partition(highest, min(k, n_ref) - 1, axis=1)[:, min(k, n_ref) - 1]
    limit = kth + 2.0 * (slack.max(axis=1) if margins is None else margins[0])
    rows, pos = nonzero_2d(np.isfinite(D) & (lowest <= _at_most(limit[:, None], D.dtype)))
    found = ([(rows, values.of_screened(rows, D[rows, pos]), pos)] if exact
             else _with_values(values, [(rows, pos)]))
    return _pick_smallest(Q_low.shape[0], k, found)


def _one_block_top_k(values, Q_low, R_low, k, own, slack, exact, margins=None):
    """:func:`_top_k_block` against references that fit in one block, in one pass.

    The block is screened once and kept. The ``k``-th smallest of the minima
    of about ``4 k`` narrow parts of each row bounds its ``k``-th value (as
    the parts of :func:`_top_k_block`, but without a numpy call per part
    afterwards, so parts may be narrow and the bound close), and the entries
    in reach are taken from the whole block at once. The values that decide
    are those of :func:`_top_k_block`, so are the results; on small searches
    (a few thousand rows against a few hundred) the part minima of
    :func:`_top_k_block`, at least ``_MIN_PART`` wide, bound the ``k``-th
    value loosely (at ``k`` parts, by the largest minimum) and its second
    pass reads the block again part by part.
    """
    nq, n_ref = Q_low.shape[0], R_low.shape[0]
    D = _dot(Q_low, R_low[0:n_ref])
    has = np.flatnonzero(own >= 0)
    D[has, own[has]] = np.inf
    if margins is None:
        highest = D
    else:
        # The highest and the lowest value each entry may stand for (see _top_k_block).
        highest = D + margins[1]
        D -= margins[1]
    minima = _narrow_minima(highest, 4 * k)
    m = min(k, minima.shape[1])
    kth = np.partition(minima, m - 1, axis=1)[:, m - 1].astype(np.float64)
    del highest, minima
    reach = 2.0 * (slack.max(axis=1) if margins is None else margins[0])
    limit = np.minimum(kth + reach, np.finfo(np.float64).max)
    rows, pos = nonzero_2d(D <= _at_most(limit[:, None], D.dtype))
    found = ([(rows, values.of_screened(rows, D[rows, pos]), pos)] if exact
             else _with_values(values, [(rows, pos)]))
    return _pick_smallest(nq, k, found)


def _narrow_minima(D, parts):
    """Minimum of each row of ``D`` in each of about ``parts`` runs of equal width
    (and the columns left over), as one reduction of a reshaped view."""
    n, w = D.shape
    width = max(1, w // parts)
    whole = (w // width) * width
    minima = D[:, :whole].reshape(n, w // width, width).min(axis=2)
    if whole == w:
        return minima
    return np.concatenate([minima, D[:, whole:].min(axis=1)[:, None]], axis=1)


def _parts(n_ref, block, k):
    """Parts of ``n_ref`` references in blocks of ``block``.

    Each block is cut into parts of one width (the last part of a block may
    be shorter), at least ``_MIN_PART`` references wide, and at least ``2 k``
    parts in all where that width allows.

    Returns
    -------
    width : int
    per_block : int
        Parts in a full block: block ``b`` starts at part ``b * per_block``.
    bounds : list of (start, stop)
        The parts, block after block.
    """
    # The second pass computes again about k parts per row, one numpy call
    # per part for each block of queries: a width near sqrt(n_ref * 200 / k)
    # balances the two (a call costs about 200 references of a block's product).
    width = max(_MIN_PART, min(np.sqrt(n_ref * 200 / k), n_ref / (2 * k)))
    span = min(n_ref, block)
    width = -(-span // -(-span // int(width)))  # equal parts of a block
    bounds = [(p, min(e, p + width)) for s in range(0, n_ref, block)
              for e in [min(n_ref, s + block)] for p in range(s, e, width)]
    return width, -(-block // width), bounds


def _part_minima(D, width):
    """Minimum of each row of ``D`` in each part of ``width`` columns."""
    if D.shape[1] <= width:
        return D.min(axis=1)[:, None]
    return np.minimum.reduceat(D, np.arange(0, D.shape[1], width), axis=1)


def _pick_smallest(nq, k, hits):
    """The ``k`` smallest values of each row among candidate lists, ties to the lower position.

    ``hits`` is a list of candidate lists ``(rows, values, positions)``. It
    is emptied: when every list is sorted by row (the searches' lists are),
    its candidates are picked a chunk of rows at a time; otherwise they are
    gathered, and the arrays of each field dropped once concatenated (freed
    when the caller holds no other reference to them).

    Returns ``(values, positions)`` of shape ``(nq, k)``, smallest first:
    ``inf`` and ``-1`` in the places a row has no candidate for.
    """
    best_d = np.full((nq, k), np.inf)
    best_i = np.full((nq, k), -1, dtype=np.intp)
    total = sum(hit[0].size for hit in hits)
    if total > _PICK_CHUNK and all((hit[0][1:] >= hit[0][:-1]).all() for hit in hits):
        # A chunk of rows at a time, without gathering all the candidates.
        step = min(_ROW_CHUNK, max(64, nq * _PICK_CHUNK // total))
        for r0 in range(0, nq, step):
            r1 = min(nq, r0 + step)
            chunk = []
            for rows, vals, pos in hits:
                a, b = np.searchsorted(rows, (r0, r1))
                if b > a:
                    chunk.append((rows[a:b] - r0, vals[a:b], pos[a:b]))
            if chunk:
                _pick_into(best_d[r0:r1], best_i[r0:r1], chunk)
        hits.clear()
    elif hits:
        _pick_into(best_d, best_i, hits)
    return best_d, best_i


def _pick_into(best_d, best_i, hits):
    """:func:`_pick_smallest` into ``best_d`` and ``best_i``, gathering all candidates ``hits``.

    Each row's candidates go into one line, padded with ``(inf, no position)``,
    and the lines are sorted a chunk of rows at a time: sorting many short
    lines is several times faster than one sort of all by three keys. Rows
    with far more candidates than the others (ties, or rows whose huge values
    leave every pair in doubt) would make every line as long as theirs: they
    take the sort by three keys instead.
    """
    nq, k = best_d.shape
    rows, vals, pos = _concatenated(hits)
    counts = np.bincount(rows, minlength=nq)
    long = counts > max(k, 2 * max(rows.size, nq * k) // max(1, nq))
    if long.any():
        apart = long[rows]
        _pick_sorted(best_d, best_i, rows[apart], vals[apart], pos[apart])
        keep = ~apart
        rows, vals, pos = rows[keep], vals[keep], pos[keep]
        counts[long] = 0
    if rows.size == 0:
        return
    order = np.argsort(rows, kind="stable")  # grouped by row: a cheap integer sort
    starts = np.cumsum(counts) - counts
    none = np.iinfo(np.intp).max
    step = min(_ROW_CHUNK, max(64, _PICK_VALUES // max(int(counts.max()), k)))
    for r0 in range(0, nq, step):
        r1 = min(nq, r0 + step)
        sel = order[starts[r0]:starts[r1 - 1] + counts[r1 - 1]]
        if sel.size == 0:
            continue
        r = rows[sel]
        col = starts[r0] + np.arange(sel.size) - starts[r]
        V = np.full((r1 - r0, max(int(counts[r0:r1].max()), k)), np.inf)
        P = np.full(V.shape, none, dtype=np.intp)
        V[r - r0, col] = vals[sel]
        P[r - r0, col] = pos[sel]
        best = np.lexsort((P, V), axis=1)[:, :k]
        # Only the rows with candidates here: the long rows were written above.
        lines = np.flatnonzero(counts[r0:r1])
        best_d[r0 + lines] = np.take_along_axis(V[lines], best[lines], axis=1)
        best_i[r0 + lines] = np.take_along_axis(P[lines], best[lines], axis=1)
    best_i[best_i == none] = -1


def _pick_sorted(best_d, best_i, rows, vals, pos):
    """The ``k`` best candidates of each of ``rows``, by one sort by three keys."""
    k = best_d.shape[1]
    order = np.lexsort((pos, vals, rows))
    rows = rows[order]
    counts = np.bincount(rows, minlength=best_d.shape[0])
    rank = np.arange(rows.size) - (np.cumsum(counts) - counts)[rows]
    keep = rank < k
    best_d[rows[keep], rank[keep]] = vals[order[keep]]
    best_i[rows[keep], rank[keep]] = pos[order[keep]]


def _concatenated(hits):
    """The fields of the candidate lists ``hits``, each concatenated; ``hits`` is emptied.

    One field at a time, dropping its pieces: the candidates are held at
    most about one and a third times.
    """
    fields = [list(field) for field in zip(*hits, strict=True)]
    hits.clear()
    out = []
    for pieces in fields:
        out.append(np.concatenate(pieces))
        pieces.clear()
    return out


def nearest_across(points, A, B, *, k_a=1, k_b=1, n_jobs=None):
    """Nearest rows of ``B`` for each row of ``A``, and of ``A`` for each row of ``B``.

    The same as ``top_k(points, A, B, k_a)`` and ``top_k(points, B, A, k_b)``
    for disjoint sets of rows, with half the work: see
    :func:`nearest_across_positions`.

    Parameters
    ----------
    points : Points
    A, B : ndarray of int
        Disjoint sets of rows, in increasing order.
    k_a, k_b : int, default=1
        Neighbours wanted for each row of ``A`` and of ``B``.
    n_jobs : int, default=None

    Returns
    -------
    (sq_dist, idx), (sq_dist, idx)
        For the rows of ``A`` and of ``B``, as :func:`top_k` returns them.
    """
    A = np.asarray(A, dtype=np.intp)
    B = np.asarray(B, dtype=np.intp)
    sides = nearest_across_positions(points, A, B, k_a, k_b, n_jobs=n_jobs)
    return as_rows(B, *sides[0]), as_rows(A, *sides[1])


def nearest_across_positions(points, A, B, k_a, k_b, *, n_jobs=None):
    """:func:`nearest_across` in positions (with the squared distances).

    Each pair is screened once, as a squared distance
    (``[-2 a', 1, |a'|^2] . [b', |b'|^2, 1]``), so that one block of pairs
    gives the minima of its rows (per part of the block) and of its columns
    (per block of ``A``). Each side then takes, as :func:`_top_k_block`
    does, the exact values of the entries within twice its screening margin
    of its ``k``-th smallest minimum.

    Returns
    -------
    (raw, pos), (raw, pos)
        For the rows of ``A`` (positions in ``B``, shape ``(len(A), k_a)``)
        and of ``B`` (positions in ``A``); ``inf`` and ``-1`` where a row has
        fewer candidates. Ties go to the lower position.
    """
    def two_searches():
        return (top_k_positions(points, A, B, k_a, n_jobs=n_jobs),
                top_k_positions(points, B, A, k_b, n_jobs=n_jobs))

    if (not points.screened or points.tree or A.size == 0 or B.size == 0
            or _distinct_plan(points, A, B) is not None):
        return two_searches()
    slices = _query_slices(A.size, _threads_for(points, A.size, B.size, n_jobs))
    width, per_block, parts = _parts(B.size, _REF_BLOCK, k_a)
    if len(parts) < k_a or len(slices) < k_b:
        # Fewer minima than neighbours on a side (few rows there): they bound nothing,
        # and every pair would get its exact value. Two searches take few references
        # at once (see _few_refs_top_k).
        return two_searches()
    n_jobs = _threads_for(points, A.size, B.size, n_jobs)
    QA, RB = _pair_rows(points, A, B)
    # At most _MAX_GROUPS minima per row on each side: consecutive parts (of B)
    # and slices (of A) are gathered into groups.
    part_group = np.arange(len(parts)) // -(-len(parts) // _MAX_GROUPS)
    slice_group = np.arange(len(slices)) // -(-len(slices) // _MAX_GROUPS)
    part_min = np.full((A.size, part_group[-1] + 1), np.inf, dtype=np.float32)
    col_min = np.full((B.size, slice_group[-1] + 1), np.inf, dtype=np.float32)

    def screen(h):
        # One task per group of slices: no other task writes its column of col_min.
        for sl in (sl for i, sl in enumerate(slices) if slice_group[i] == h):
            queries = QA[sl]
            for b, s in enumerate(range(0, B.size, _REF_BLOCK)):
                D = queries @ RB[s:s + _REF_BLOCK].T
                cols = col_min[s:s + _REF_BLOCK, h]
                np.minimum(cols, D.min(axis=0), out=cols)
                mins = _part_minima(D, width)
                for j in range(mins.shape[1]):
                    rows = part_min[sl, part_group[b * per_block + j]]
                    np.minimum(rows, mins[:, j], out=rows)
                del D  # freed before the next block is computed

    _run([lambda h=h: screen(h) for h in range(col_min.shape[1])], n_jobs)
    limit_a = _limits(points, part_min, k_a, A, B)
    limit_b = _limits(points, col_min, k_b, B, A)

    def confirm_a(g):
        span = [bounds for j, bounds in enumerate(parts) if part_group[j] == g]
        rows = np.flatnonzero(part_min[:, g] <= limit_a)
        cols = np.arange(span[0][0], span[-1][1])
        return _exact_hits(points, A, B, _screened_pairs(QA, RB, rows, cols, limit_a), k_a)

    def confirm_b(h):
        group = [sl for i, sl in enumerate(slices) if slice_group[i] == h]
        rows = np.arange(group[0].start, group[-1].stop)
        cols = np.flatnonzero(col_min[:, h] <= limit_b)
        pairs = _screened_pairs(QA, RB, rows, cols, limit_b, by_row=False)
        return _exact_hits(points, B, A, ((c, r, v) for r, c, v in pairs), k_b)

    found_a = _run([lambda g=g: confirm_a(g) for g in range(part_min.shape[1])], n_jobs)
    found_b = _run([lambda h=h: confirm_b(h) for h in range(col_min.shape[1])], n_jobs)
    return _pick_smallest(A.size, k_a, found_a), _pick_smallest(B.size, k_b, found_b)


def _pair_rows(points, A, B):
    """Screening rows whose products are squared distances: ``[-2 a', 1, |a'|^2] . [b', |b'|^2, 1]``."""
    return _PairQueries(_pair_refs(points, A)), _pair_refs(points, B)


def _pair_refs(points, B):
    """The reference side ``[b', |b'|^2, 1]`` of :func:`_pair_rows`, in float32
    (no copy when ``B`` is every row)."""
    return points.pair if _every_row(points, B) else points.pair[B]


class _PairQueries:
    """The query side ``[-2 a', 1, |a'|^2]`` of :func:`_pair_rows`, built on access
    from the reference side of the same rows (no second copy of the rows is held)."""

    def __init__(self, refs):
        self.refs = refs
        self.dtype = refs.dtype

    def __getitem__(self, idx):
        ref = self.refs[idx]
        out = np.empty_like(ref)
        out[:, :-2] = -2.0 * ref[:, :-2]
        out[:, -2] = 1.0
        out[:, -1] = ref[:, -2]
        return out


def _limits(points, minima, k, rows, others, base=None):
    """Largest screened squared distance of the ``k`` nearest of each row, from its minima.

    ``minima`` holds screened squared distances (see :func:`_pair_rows`) from
    each of ``rows`` to parts of ``others``, each the value of one pair, or
    their codes (:func:`_min_codes` with ``base``). The
    ``k``-th smallest is at most ``eps`` above the exact distance of ``k``
    distinct pairs, so every pair that can be among the ``k`` nearest is
    screened within ``2 eps`` of it. ``eps`` bounds the rounding of a
    screened distance (float32, centred rows) and of an exact one (float64):
    the bound of :meth:`Points.slack`, for sums of norms.
    """
    p = points.n_features
    kth = np.full(rows.size, np.inf)
    if minima.shape[1] >= k:
        # In chunks of rows: partition copies what it sorts.
        for s in range(0, rows.size, _ROW_CHUNK):
            chunk = minima[s:s + _ROW_CHUNK]
            low = np.partition(chunk, k - 1, axis=1)[:, k - 1]
            kth[s:s + _ROW_CHUNK] = low if base is None else _code_ceiling(low, base)
    low_norm = np.sqrt(points.low_sq[rows]) + np.sqrt(points.low_sq[others].max())
    norm = np.sqrt(points.sq[rows]) + np.sqrt(points.sq[others].max())
    a, c = _rounding(p)
    eps = 0.0 if points.exact_screen else a * low_norm**2 + c * norm**2
    return np.minimum(kth + 2.0 * eps, np.finfo(np.float64).max)


def _screened_pairs(QA, RB, rows, cols, limit, by_row=True):
    """The pairs of ``rows`` x ``cols`` screened at most at their limit, block by block.

    Yields ``(r, c, v)``, the rows and columns of the pairs found in one
    block and their screened squared distances; ``limit`` is indexed by row
    (``by_row``) or by column.
    """
    limit = _at_most(limit, QA.dtype)
    for r0 in range(0, rows.size, _QUERY_BLOCK):
        rr = rows[r0:r0 + _QUERY_BLOCK]
        queries = QA[rr]
        for c0 in range(0, cols.size, _REF_BLOCK):
            cc = cols[c0:c0 + _REF_BLOCK]
            D = queries @ RB[cc].T
            r, c = nonzero_2d(D <= (limit[rr, None] if by_row else limit[cc]))
            v = D[r, c]
            del D  # freed before the next block is computed
            yield rr[r], cc[c], v


def _exact_hits(points, queries, refs, pairs, k):
    """Exact raw values of pairs ``(positions in queries, positions in refs, screened squared
    distances)``, given in batches (see :func:`_screened_pairs`).

    Returns the query positions, the squared distances (:func:`pair_sq`) and
    the reference positions, each concatenated. When more than ``_HITS_HELD``
    are held (data whose rows are mostly copies of a few: every pair ties),
    they are cut down to the ``k`` best of each query, ties to the lower
    position, which is all :func:`_pick_smallest` takes from them.
    """
    out = [(np.empty(0, dtype=np.intp), np.empty(0), np.empty(0, dtype=np.intp))]
    held = 0
    for q, r, v in pairs:
        if q.size:
            if points.exact_screen:  # the screened squared distances are exact
                values = v.astype(np.float64)
            else:
                values = pair_sq(points, queries[q], refs[r])
            out.append((q, values, r))
            held += q.size
            if held > _HITS_HELD:
                best_d, best_i = _pick_smallest(queries.size, k, out)
                rows, cols = nonzero_2d(best_i >= 0)
                out = [(rows, best_d[rows, cols], best_i[rows, cols])]
                held = rows.size
    return tuple(np.concatenate(part) for part in zip(*out, strict=True))


def _self_top_k(points, rows, k, exclude_self, n_jobs, budget=None):
    """:func:`top_k_positions` of ``rows`` among themselves, each pair screened once.

    The candidates come from :func:`_self_candidates`, whose minima are
    freed before the candidates are sorted.
    """
    found = _self_candidates(points, rows, k, exclude_self, n_jobs, budget)
    return _pick_smallest(rows.size, k, found)


def _self_candidates(points, rows, k, exclude_self, n_jobs, budget=None):
    """Candidate lists ``(rows, values, positions)`` of :func:`_self_top_k`, one per part.

    The first pass (:func:`_self_screen`) gives the parts each row must
    screen again and its limit; as in :func:`nearest_across_positions`, those
    parts are screened again and their pairs below the limit get exact
    values.
    """
    n = rows.size
    RB = _pair_refs(points, rows)
    QA = _PairQueries(RB)
    width, flagged, limit = _self_screen(points, rows, RB, QA, k, exclude_self, n_jobs, budget)

    def confirm(j):
        cols = np.arange(j * width, min(n, (j + 1) * width))
        pairs = _screened_pairs(QA, RB, flagged[j], cols, limit)
        if exclude_self:
            pairs = ((r[r != c], c[r != c], v[r != c]) for r, c, v in pairs)
        return _exact_hits(points, rows, rows, pairs, k)

    return _run([lambda j=j: confirm(j) for j in range(len(flagged))], n_jobs)


def _self_screen(points, rows, RB, QA, k, exclude_self, n_jobs, budget=None):
    """First pass of the self-search: the part width, the rows to screen again in each part
    and the limits of :func:`_limits`.

    The pairs are cut into square tiles (of :func:`_self_tile`); only the tiles on
    and above the diagonal are screened, as squared distances (``QA`` and
    ``RB``, see :func:`_pair_rows`). A tile gives the minima of its rows per
    part of its columns and, above the diagonal, those of its columns per
    part of its rows, so that every row gets its minimum in each part of
    ``rows`` for half the products of :func:`top_k_positions`. A row screens
    a part again when the part's minimum is within its limit. The minima
    (16-bit codes, see :func:`_min_codes`) are freed on return: the rows of
    each part (int32) take far less memory.
    """
    n = rows.size
    tile, strip = _self_tile(n, n_threads(n_jobs), budget)
    n_tiles = -(-n // tile)
    # About _SELF_PARTS parts (fewer for very large n: the minima take 2 bytes
    # each), either whole groups of tiles or an equal cut of each tile.
    n_parts = min(_SELF_PARTS, max(16, (64 << 20) // (2 * n)))
    if n_tiles >= n_parts:
        width = tile * max(1, round(n_tiles / n_parts))
    else:
        width = tile // min(16, 1 << int(np.log2(n_parts // n_tiles)))
    base = _code_base(4.0 * points.low_sq[rows].max())  # squared distances are at most this
    part_min = np.full((n, -(-n // width)), _CODE_TOP, dtype=np.uint16)
    tiles_per_task = max(1, width // tile)

    def screen(h):
        # The tasks own whole parts of rows: the minima of the columns of
        # their tiles go to the parts no other task writes.
        for t in range(h * tiles_per_task, min(n_tiles, (h + 1) * tiles_per_task)):
            r0, r1 = t * tile, min(n, (t + 1) * tile)
            queries = QA[r0:r1]
            for u in range(t, n_tiles):
                c0, c1 = u * tile, min(n, (u + 1) * tile)
                refs = RB[c0:c1]
                for s0 in range(r0, r1, strip):
                    D = queries[s0 - r0:s0 - r0 + strip] @ refs.T
                    if u == t and exclude_self:
                        np.fill_diagonal(D[:, s0 - r0:], np.inf)
                    _fold_minima(part_min[s0:s0 + D.shape[0]], D, c0, width, 1, base)
                    if u != t:
                        _fold_minima(part_min[c0:c1], D, s0, width, 0, base)
                    del D  # freed before the next one is computed: one a thread

    _run([lambda h=h: screen(h) for h in range(-(-n_tiles // tiles_per_task))], n_jobs)
    limit = _limits(points, part_min, k, rows, rows, base)
    # A part is screened again when the least value of its code is within the
    # limit (rounding the limit to float32 only adds parts).
    limit_code = _min_codes(_at_most(limit, np.float32), base)
    flagged = [np.flatnonzero(part_min[:, j] <= limit_code).astype(np.int32)
               for j in range(part_min.shape[1])]
    return width, flagged, limit


def _self_tile(n, workers, budget):
    """Side of the tiles of :func:`_self_screen` and the rows of a tile computed at once.

    ``_TILE``, or twice that for sets of at least ``_WIDE_TILE_ROWS`` rows
    whose working memory (``budget`` values; ``None``: no limit) holds a wide
    tile a thread. A tile is computed in two strips of rows when the tiles of
    all threads would hold more values than the budget: half the memory,
    slower (twice the numpy calls).
    """
    def fits(side):
        return budget is None or budget >= workers * side**2

    if n >= _WIDE_TILE_ROWS and fits(2 * _TILE):
        return 2 * _TILE, 2 * _TILE
    return _TILE, _TILE if fits(_TILE) else _TILE // 2


def _fold_minima(part_min, D, start, width, axis, base):
    """Fold into ``part_min`` the codes of the minima of ``D`` along ``axis`` per part of ``width``.

    The codes are those of :func:`_min_codes` with ``base``. Each line of
    ``D`` across ``axis`` has a row of ``part_min``; index 0 along ``axis``
    is index ``start`` of the parts: a multiple of ``width``, or inside a
    part that holds all the lines of ``D``.
    """
    if axis == 1:
        mins = _part_minima(D, width)
    elif width >= D.shape[0]:
        mins = D.min(axis=0)[:, None]
    else:
        # Along the rows of a full tile or strip (whose rows are a multiple of
        # width; the last, shorter tile never folds its columns); reduceat
        # would be several times slower here.
        mins = D.reshape(-1, width, D.shape[1]).min(axis=1).T
    view = part_min[:, start // width:start // width + mins.shape[1]]
    np.minimum(view, _min_codes(mins, base), out=view)


# The self-search keeps the minimum of each row in each part as a 16-bit code
# (half the memory of float32): the exponent and the first 10 bits of the
# mantissa of a non-negative float32, less a base that puts the largest
# possible value near the top of the range (64 powers of two below it).
_CODE_TOP = 0xFFFF


def _code_base(top):
    """The base of the codes of values up to ``top`` (the range reaches twice ``top``)."""
    top = np.float32(min(top, np.finfo(np.float32).max))
    return max(0, (int(top.view(np.uint32)) >> 13) + 1024 - _CODE_TOP)


def _min_codes(values, base):
    """16-bit codes of float32 ``values``, rounded down.

    Codes compare as the values do up to 1/1024 of a power of two: a value
    is at least the least value of its code (0 for code 0) and below
    :func:`_code_ceiling` of it. Negative values (rounding near 0) get code
    0, values above the range and ``inf`` the top code.
    """
    bits = (np.maximum(values, np.float32(0)).view(np.uint32) >> 13).astype(np.int32)
    return np.clip(bits - base, 0, _CODE_TOP).astype(np.uint16)


def _code_ceiling(codes, base):
    """A float64 above every value of code ``codes`` (``inf`` for the top code)."""
    bits = (codes.astype(np.uint32) + np.uint32(base + 1)) << np.uint32(13)
    out = bits.view(np.float32).astype(np.float64)
    out[codes == _CODE_TOP] = np.inf
    return out


def as_rows(refs, raw, pos, in_place=False):
    """Squared distances and row indices from raw values and positions in ``refs``.

    ``raw`` holds the squared distances of each query (a row of ``raw``);
    missing places (position ``-1``) get ``inf`` and ``-1``. With
    ``in_place``, the distances are written over ``raw``.
    """
    missing = pos < 0
    sq = raw if in_place else raw.copy()
    sq[missing] = np.inf
    idx = refs[np.maximum(pos, 0)] if refs.size else np.empty(pos.shape, dtype=np.intp)
    idx[missing] = -1
    return sq, idx


def _merge(best_d, best_i, hit_r, hit_d, hit_i, k):
    """Merge new candidates (grouped by row, rows increasing) into the running top-k."""
    bounds = np.flatnonzero(np.diff(hit_r)) + 1
    u = hit_r[np.r_[0, bounds]]
    n_hits = np.diff(np.r_[0, bounds, hit_r.size])
    rows = np.concatenate([np.repeat(u, k), hit_r])
    d = np.concatenate([best_d[u].ravel(), hit_d])
    i = np.concatenate([best_i[u].ravel(), hit_i])
    # Empty places (index -1, distance inf) sort last.
    i_key = np.where(i < 0, np.iinfo(np.intp).max, i)
    order = np.lexsort((i_key, d, rows))
    sizes = n_hits + k
    starts = np.cumsum(sizes) - sizes
    take = order[(starts[:, None] + np.arange(k)).ravel()]
    best_d[u] = d[take].reshape(-1, k)
    best_i[u] = i[take].reshape(-1, k)


# --------------------------------------------------------------------------- counting


def count_closer(points, queries, refs, bound_sq, bound_idx, need, *, witnesses=0,
                 n_jobs=None, tree=True):
    """Count reference rows nearer to each query than a bound row.

    A reference row ``p`` counts for query ``q`` when
    ``(d(q, p), p) < (bound, bound_idx)`` in lexicographic order: when it is
    nearer than the bound, or as near and of lower row index. Neither the
    query nor the bound row itself counts.

    Parameters
    ----------
    points : Points
        The data.
    queries : ndarray of int of shape (n_queries,)
        Query rows.
    refs : ndarray of int of shape (n_refs,)
        Reference rows, in increasing order.
    bound_sq : ndarray of shape (n_queries,)
        Squared distance from each query to its bound (``inf``: every
        reference counts).
    bound_idx : ndarray of int of shape (n_queries,)
        Row index of the bound (``-1`` when there is none).
    need : int
        Counting stops for a query once it reaches ``need``.
    witnesses : int, default=0
        Also return, for each query, up to this many of the rows counted.
    n_jobs : int, default=None
        Threads.
    tree : bool, default=True
        ``False``: count in blocks even where ``points.tree`` is set.

    Returns
    -------
    counts : ndarray of int of shape (n_queries,)
        The count, exact when below ``need``; at least ``need`` otherwise.
    found : ndarray of int of shape (n_queries, witnesses)
        Only when ``witnesses``: rows counted for each query (``-1`` pads).
    """
    queries = np.asarray(queries, dtype=np.intp)
    refs = np.asarray(refs, dtype=np.intp)
    nq = queries.size
    counts = np.zeros(nq, dtype=np.intp)
    found = np.full((nq, witnesses), -1, dtype=np.intp)
    result = (counts, found) if witnesses else counts
    if need <= 0:
        counts[:] = max(need, 0)
        return result
    if nq == 0 or refs.size == 0:
        return result
    bound_idx = np.asarray(bound_idx, dtype=np.intp)
    thr_all = _bound_values(points, queries, bound_sq, bound_idx)
    plan = _distinct_plan(points, queries, refs) if need <= _DISTINCT_MAX_NEED else None
    if plan is not None:
        # The need nearest references hold every one counted while the count is below need.
        raw, pos = _distinct_top_k(points, plan, queries, refs, need, False,
                                   _positions(refs, queries), n_jobs, None)
        counts[:], found[:] = _counted(raw, np.where(pos < 0, refs.size, pos), refs, queries,
                                       thr_all, bound_idx, witnesses)
        return result
    if tree and nq * refs.size >= _tree_min_pairs(points) and points.tree:
        _tree_count_closer(points, queries, refs, bound_sq, thr_all, bound_idx, need, counts,
                           found, n_jobs)
        return result
    n_jobs = _threads_for(points, nq, refs.size, n_jobs)
    # The order of the scan does not change the result, only how soon a
    # query can stop: references are grouped by region and each block of
    # queries scans the blocks of references nearest to it first.
    order, q_order = _scan_orders(points, queries, refs)
    scan = refs[order]
    R_low = points.low[scan]
    inv = np.empty_like(order)
    inv[order] = np.arange(order.size)
    # Wide rows, screened in float64, counted among themselves: the products of every
    # pair come from one symmetric product, at most the work of the first block each row
    # scans (up to two blocks of rows) and no larger than the rows (as many features).
    gram = (_GramRows.of(R_low) if not points.screened and not points.sparse
            and refs.size <= min(2 * _REF_BLOCK, points.n_features + 1)
            and np.array_equal(queries, refs) else None)

    def scan_pos(rows):
        pos = _positions(refs, rows)
        return np.where(pos >= 0, inv[np.maximum(pos, 0)], -1)

    q = queries[q_order]
    bidx = bound_idx[q_order]
    skip = np.stack([scan_pos(q), scan_pos(bidx)], axis=1)
    thr = thr_all[q_order]
    q_counts = np.zeros(nq, dtype=np.intp)
    q_found = np.full((nq, witnesses), -1, dtype=np.intp)
    slices = _query_slices(nq, n_jobs)
    n_blocks = -(-scan.size // _REF_BLOCK)
    block_mean = _block_means(points, R_low)
    plans = _block_plans(points, q, block_mean, n_blocks, slices)
    col_margins = points.pair_margins(scan)  # float64 values: each pair's margin
    norms = points.block_norms(scan, _REF_BLOCK) if col_margins is None else None

    def task(idx, plan, done=None):
        rows = q[idx]
        Q_low = points.queries(rows) if gram is None else gram[inv[q_order[idx]]]
        margins = None if col_margins is None else (points.pair_margins(rows), col_margins)
        slack = points.slack(rows, norms) if margins is None else None
        found_rows = q_found[idx]
        q_counts[idx] = _count_block(
            _Values(points, rows, scan), Q_low, R_low if gram is None else gram, scan, thr[idx],
            bidx[idx], skip[idx], need,
            points.shift(rows), slack, points.screened, points.exact_screen, q_counts[idx],
            found_rows, plan, done, margins,
        )
        q_found[idx] = found_rows

    # Each block of queries first scans the regions nearest to it; most rows
    # stop there. The rows left are gathered into full blocks again for the
    # rest of the scan, skipping the regions each has seen.
    n_near = min(_NEAR_BLOCKS, len(plans[0]))
    _run([lambda sl=sl, plan=plan: task(np.arange(sl.start, sl.stop), plan[:n_near])
          for sl, plan in zip(slices, plans, strict=True)], n_jobs)
    # The rows left after their nearest blocks (none when those were all).
    rest = np.flatnonzero(q_counts < need) if n_near < n_blocks else np.empty(0, dtype=np.intp)
    if (rest.size and points.screened and rest.size > _SELF_COUNT_SHARE * refs.size
            and refs.size >= _SELF_MIN_TILES * _TILE and need < refs.size
            and np.array_equal(queries, refs) and (skip[rest, 1] < 0).all()):
        # Most rows would scan every reference: one search of the references
        # among themselves (each pair screened once) is cheaper.
        _count_from_neighbours(points, refs, q_order[rest], thr[rest], bidx[rest], need,
                               q_counts, q_found, rest, n_jobs)
    elif rest.size:
        near = np.empty((nq, n_near), dtype=np.intp)
        for sl, plan in zip(slices, plans, strict=True):
            near[sl] = plan[:n_near]

        def seen(idx):
            done = np.zeros((idx.size, n_blocks), dtype=bool)
            done[np.arange(idx.size)[:, None], near[idx]] = True
            return done

        slices = _query_slices(rest.size, n_jobs)
        plans = _block_plans(points, q[rest], block_mean, n_blocks, slices)
        _run([lambda idx=rest[sl], plan=plan: task(idx, plan, seen(idx))
              for sl, plan in zip(slices, plans, strict=True)], n_jobs)
    counts[q_order] = q_counts
    found[q_order] = q_found
    return result


def _bound_values(points, queries, bound_sq, bound_idx):
    """Each query's bound as the values that decide (squared distances, :func:`pair_sq`).

    Where the bound is a row, its own value: a row as near as the bound
    then compares equal to it (``bound_sq`` may have been computed
    otherwise, or rounded).
    """
    thr = np.array(bound_sq, dtype=np.float64)
    row = (bound_idx >= 0) & np.isfinite(thr)
    if row.any():
        thr[row] = pair_sq(points, queries[row], bound_idx[row])
    return thr


def _count_from_neighbours(points, rows, pos, thr, bidx, need, counts, found, at, n_jobs):
    """:func:`count_closer` of ``rows[pos]`` among ``rows`` from their ``need`` nearest.

    The ``need`` nearest rows of each (ties to the lower index) hold every
    row counted while the count is below ``need``: the count is the number
    of them before the bound in the order (distance, index). The bound rows
    are not among ``rows``. Writes the counts and the witnesses at ``at`` of
    ``counts`` and ``found``.
    """
    raw, nb = _self_top_k(points, rows, need, True, n_jobs)
    raw, nb = raw[pos], nb[pos]
    idx = rows[np.maximum(nb, 0)]
    t = thr[:, None]
    counted = (nb >= 0) & ((raw < t) | ((raw == t) & (idx < bidx[:, None])))
    counts[at] = counted.sum(axis=1)
    if found.shape[1]:
        witnesses = np.full((pos.size, max(need, found.shape[1])), -1, dtype=np.intp)
        witnesses[:, :need] = np.where(counted, idx, -1)
        found[at] = witnesses[:, :found.shape[1]]


def _scan_orders(points, queries, refs):
    """Orders of the references and of the queries that keep nearby rows together.

    Dense rows are assigned to the nearest of one random centre per block of
    references and sorted by centre; sparse rows and small searches are only
    scrambled, so that a query meets rows from everywhere early.
    """
    rng = np.random.default_rng(0)
    n_blocks = -(-refs.size // _REF_BLOCK)
    if points.sparse or n_blocks < 3:
        return rng.permutation(refs.size), np.arange(queries.size)
    centres = points.low[rng.choice(refs, n_blocks, replace=False), :-1]
    c_sq = np.einsum("ij,ij->i", centres, centres)

    def region(rows):
        region = np.empty(rows.size, dtype=np.intp)
        for s in range(0, rows.size, 8 * _REF_BLOCK):
            part = rows[s:s + 8 * _REF_BLOCK]
            region[s:s + part.size] = np.argmin(c_sq - 2.0 * (points.low[part, :-1] @ centres.T),
                                                axis=1)
        return region

    return np.argsort(region(refs), kind="stable"), np.argsort(region(queries), kind="stable")


def _block_means(points, R_low):
    """Mean of each block of the screening rows ``R_low`` (``None``: sparse, or under 3 blocks)."""
    starts = np.arange(0, R_low.shape[0], _REF_BLOCK)
    if points.sparse or starts.size < 3:
        return None
    # Summed in float64 without a float64 copy of the rows.
    sums = np.add.reduceat(R_low[:, :-1], starts, axis=0, dtype=np.float64)
    return sums / np.diff(np.r_[starts, R_low.shape[0]])[:, None]


def _block_plans(points, queries, block_mean, n_blocks, slices):
    """For each slice of ``queries``, the blocks of references nearest to it first.

    Blocks are ranked by the distance between the mean of the slice and
    the mean of the block (``block_mean``; ``None``: in order).
    """
    if block_mean is None:
        return [np.arange(n_blocks)] * len(slices)
    plans = []
    for sl in slices:
        mean = points.low[queries[sl], :-1].mean(axis=0, dtype=np.float64)
        plans.append(np.argsort(((block_mean - mean) ** 2).sum(axis=1), kind="stable"))
    return plans


def _count_block(values, Q_low, R_low, scan, thr, bidx, skip, need, shift, slack, screened,
                 exact, counts, found, plan, done=None, margins=None):
    """Per-row count of references nearer than the bound, stopping at ``need``.

    ``values`` (a :class:`_Values` of the queries against ``scan``) decide
    the entries the screening leaves in doubt; ``thr`` holds each row's
    bound in their units and ``shift`` what takes it to the screened ones.

    The blocks of references are scanned in the order ``plan``, leaving out
    for each row the blocks ``done`` marks (rows x blocks; ``None``: none).
    ``counts`` holds the counts so far; ``found`` (rows x witnesses)
    receives the first rows counted for sure after those it holds. With
    ``exact`` the screened values are the exact ones (see
    :attr:`Points.exact_screen`): the entries are decided from them
    (:func:`_count_exact`). ``margins``: float64 values decided with each
    pair's margin, ``(rows, references)`` (see :meth:`Points.pair_margins`),
    instead of ``slack``, each row's margin against a whole block.
    """
    nq = Q_low.shape[0]
    counts = counts.copy()
    n_found = (found >= 0).sum(axis=1)
    width = found.shape[1]
    n_ref = R_low.shape[0]
    buf = np.empty((nq, _REF_BLOCK), dtype=bool)
    low_dtype = R_low.dtype
    # Thresholds stay finite so that the left-out entries (+inf) never count.
    top = np.finfo(low_dtype).max
    pending = np.flatnonzero(counts < need)
    for b in plan:
        active = pending if done is None else pending[~done[pending, b]]
        if active.size == 0:
            continue
        s = b * _REF_BLOCK
        e = min(n_ref, s + _REF_BLOCK)
        Qa = Q_low if active.size == nq else Q_low[active]
        D = _dot(Qa, R_low[s:e])
        sk = skip[active]
        for col in (0, 1):
            inside = (sk[:, col] >= s) & (sk[:, col] < e)
            if inside.any():
                D[np.flatnonzero(inside), sk[inside, col] - s] = np.inf
        t = thr[active] + shift[active]
        if exact:
            _count_exact(D, np.minimum(t, top).astype(low_dtype), active, scan[s:e], bidx, buf,
                         counts, found, n_found)
            pending = pending[counts[pending] < need]
            if pending.size == 0:
                break
            continue
        if margins is None:
            eps = slack[active, b]
            lo_t = np.minimum(t - eps, top).astype(low_dtype)
            hi_t = np.minimum(t + eps, top).astype(low_dtype)
            upper = D
        else:
            # Each value within the margins of its row and of its reference: the lowest
            # and the highest exact value it may stand for.
            eps = margins[0][active]
            lo_t, hi_t = np.minimum(t - eps, top), np.minimum(t + eps, top)
            col = margins[1][s:e]
            upper = D + col
            D -= col
        if screened:
            # float32 thresholds: widen by one rounding step each way (the step
            # above the largest float32, for a row with no bound, is inf: back to top).
            with np.errstate(over="ignore"):
                lo_t = np.nextafter(lo_t, np.float32(-np.inf))
                hi_t = np.minimum(np.nextafter(hi_t, np.float32(np.inf)), top)
        # Rows with no entry below the upper threshold gain nothing here.
        rows = np.flatnonzero(D.min(axis=1) <= hi_t)
        if rows.size:
            if 2 * rows.size > active.size:
                sub, sub_up, rows = D, upper, np.arange(active.size)
            else:
                sub = D[rows]
                sub_up = sub if upper is D else upper[rows]
            lo_r, hi_r = lo_t[rows, None], hi_t[rows, None]
            maybe = _count_less(sub, hi_r, buf, strict=False)
            sure = _count_less(sub_up, lo_r, buf, strict=True)
            if width:
                _keep_witnesses(buf[: sub.shape[0]], sure, active[rows], scan[s:e], found,
                                n_found)
            counts[active[rows]] += sure
            band = np.flatnonzero(maybe > sure)
            if band.size:
                part = sub[band]
                part_up = part if sub_up is sub else sub_up[band]
                in_r, in_c = nonzero_2d((part_up >= lo_r[band]) & (part <= hi_r[band]))
                pick = active[rows[band[in_r]]]
                exact_values = values(pick, s + in_c)
                tr = thr[pick]
                near = (exact_values < tr) | ((exact_values == tr) & (scan[s + in_c] < bidx[pick]))
                np.add.at(counts, pick[near], 1)
        pending = pending[counts[pending] < need]
        if pending.size == 0:
            break
    return counts


# Ties per row of a block of exact values, on average, up to which _count_exact lists them
# (flags of 1,389 x 32 rows: listed faster; one-hot categories of 1,728 x 21: counted 2x
# faster).
_LISTED_TIES = 64


def _count_exact(D, t, active, refs, bidx, buf, counts, found, n_found):
    """One block of :func:`_count_block` whose values ``D`` are exact (thresholds ``t`` in
    their type): the entries below a row's threshold count, and those equal to it where
    their row comes before the bound."""
    t = t[:, None]
    sure = _count_less(D, t, buf, strict=True)
    if found.shape[1]:
        _keep_witnesses(buf[: D.shape[0]], sure, active, refs, found, n_found)
    counts[active] += sure
    # The ties count where their row comes before the bound. A few are listed; many (on
    # integer rows such as one-hot categories a row ties with dozens of rows at its
    # bound) are counted in the byte buffer, as above, for the rows that have them.
    n, w = D.shape
    tied = buf[:n]
    np.equal(D, t, out=tied[:, :w])
    tied[:, w:] = False
    per_row = _lane_sums(tied)
    if per_row.sum() <= _LISTED_TIES * n:
        tie_r, tie_c = nonzero_2d(tied[:, :w])
        if tie_r.size:
            pick = active[tie_r]
            np.add.at(counts, pick[refs[tie_c] < bidx[pick]], 1)
        return
    rows = np.flatnonzero(per_row)
    tied = tied[rows]
    tied[:, :w] &= refs[None, :] < bidx[active[rows]][:, None]
    counts[active[rows]] += _lane_sums(tied)


def _lane_sums(mask):
    """Per-row count of the ``True`` entries of a boolean array whose rows are a multiple of
    8 bytes wide, at most 2040 (see :func:`_count_less`)."""
    lanes = mask.view(np.uint64).sum(axis=1, dtype=np.uint64)
    return lanes.view(np.uint8).reshape(mask.shape[0], 8).sum(axis=1, dtype=np.intp)


def _keep_witnesses(mask, sure, rows, refs, found, n_found):
    """Append to ``found`` the first rows of ``refs`` that ``mask`` marks, per row.

    ``mask`` is a byte buffer whose width is a multiple of 8 (unused columns
    False). Marks are few, so the buffer is searched eight bytes at a time.
    """
    width = found.shape[1]
    want = (sure > 0) & (n_found[rows] < width)
    if not want.any():
        return
    words = mask.view(np.uint64)
    word_r, word_c = nonzero_2d(words)
    keep = want[word_r]
    word_r, word_c = word_r[keep], word_c[keep]
    if word_r.size == 0:
        return
    lanes = words[word_r, word_c].view(np.uint8).reshape(-1, 8)
    lane_i, lane_b = nonzero_2d(lanes)
    hit_r = word_r[lane_i]
    hit_c = word_c[lane_i] * 8 + lane_b
    firsts = np.flatnonzero(np.r_[True, hit_r[1:] != hit_r[:-1]])
    rank = np.arange(hit_r.size) - np.repeat(firsts, np.diff(np.r_[firsts, hit_r.size]))
    target = rows[hit_r]
    slot = n_found[target] + rank
    ok = slot < width
    found[target[ok], slot[ok]] = refs[hit_c[ok]]
    n_found += np.bincount(target[ok], minlength=n_found.size)


# --------------------------------------------------------------------------- few features


class _Tree:
    """A k-d tree over the reference rows, giving candidates that exact values then decide.

    The tree's distances are not the module's values (:func:`pair_sq`), but
    within :meth:`reach` of them: both are summed from the same differences,
    in other orders. A list of candidates therefore holds every reference
    whose value can beat its ``k``-th best when its farthest candidate is
    beyond the reach of that value. The other queries (ties) get a longer
    list, of ``_TREE_WIDE`` candidates; those whose ties reach beyond it (many copies
    of a row) are searched in blocks, which bound the work and the memory by
    the number of references. The results are those of the blockwise
    search, which the tests check.
    """

    def __init__(self, points, refs, n_jobs):
        from scipy.spatial import cKDTree

        self.points = points
        self.refs = refs
        self.workers = n_threads(n_jobs)
        if points.full_tree is not None and _every_row(points, refs):
            self.tree = points.full_tree
        else:
            self.tree = cKDTree(np.asarray(points.values(refs), dtype=np.float64))
        # Each sums p squared differences (relative error at most p u64; the
        # tree also takes a root and it is squared again): 8 (p + 4) u64 of the
        # value covers both, with a factor of two to spare.
        self.c = 8.0 * (points.n_features + 4) * _U64

    def reach(self, values):
        """The largest squared tree distance a row of these ``values`` may have."""
        return values * (1.0 + self.c)

    def nearest(self, queries, m):
        """Exact values, positions in the references and tree distances of the ``m``
        nearest candidates of each query (``inf`` and ``refs.size`` where missing)."""
        dist, pos = self.tree.query(self.points.values(queries), k=m, workers=self.workers)
        dist = dist.reshape(queries.size, m)
        pos = pos.reshape(queries.size, m)
        return self.values(queries, pos), pos, dist

    def values(self, queries, pos):
        """Values of each query (row of ``pos``) against its references ``pos``."""
        n_ref = self.refs.size
        valid = pos < n_ref
        rows = np.repeat(queries, pos.shape[1])[valid.ravel()]
        raw = np.full(pos.shape, np.inf)
        raw[valid] = pair_sq(self.points, rows, self.refs[pos[valid]])
        return raw

    def search(self, queries, m, decide):
        """Give each query its candidates, a chunk of queries at a time in a spatial order.

        ``decide(at, raw, pos)`` writes the results of the queries at
        positions ``at`` from their candidates and returns the reach (a
        squared distance) the candidates must cover for those results to
        hold. Queries whose ``m`` candidates fall short get ``_TREE_WIDE``
        (at least ``2 m``); the positions of those still short are returned,
        to be searched in blocks.
        """
        n_ref = self.refs.size
        wide = min(n_ref, max(_TREE_WIDE, 2 * m))
        order = spatial_order(self.points.values(queries))
        short = []
        for s in range(0, queries.size, _TREE_CHUNK):
            at = order[s:s + _TREE_CHUNK]
            raw, pos, dist = self.nearest(queries[at], m)
            reach = decide(at, raw, pos)
            open_ = at[(m < n_ref) & ~(dist[:, -1] ** 2 > reach)]
            for w in range(0, open_.size, _TIE_ROWS):
                again = open_[w:w + _TIE_ROWS]
                raw, pos, dist = self.nearest(queries[again], wide)
                reach = decide(again, raw, pos)
                short.append(again[(wide < n_ref) & ~(dist[:, -1] ** 2 > reach)])
        return np.concatenate(short) if short else np.empty(0, dtype=np.intp)


def _tree_min_pairs(points):
    """The fewest query x reference pairs a search of ``points`` takes the tree for."""
    if points.n_features <= _TREE_FEW_FEATURES:
        return _TREE_MIN_PAIRS_FEW
    return _TREE_MIN_PAIRS


def _tree_pays(points):
    """Whether a k-d tree searches these rows (of more than ``_TREE_MAX_FEATURES``
    features) with few distances: it computes at most ``_TREE_PROBE_VISITS`` of a
    sample per query, counted by scikit-learn's ``KDTree.get_n_calls``."""
    from sklearn.neighbors import KDTree

    m = min(points.n, _TREE_PROBE_ROWS)  # at most a quarter of the rows (_TREE_PROBE_MIN_ROWS)
    sample = np.asarray(points.values(np.linspace(0, points.n - 1, m).astype(np.intp)),
                        dtype=np.float64)
    tree = KDTree(sample)
    queries = sample[::max(1, m // _TREE_PROBE_QUERIES)]
    budget = _TREE_PROBE_VISITS * queries.shape[0] * m
    tree.reset_n_calls()
    # A few queries at a time: on noise-like data the budget is spent after a few.
    for s in range(0, queries.shape[0], 8):
        tree.query(queries[s:s + 8], k=4)
        if tree.get_n_calls() > budget:
            return False
    return True


def _many_copies(points):
    """Whether many rows have more than ``_TREE_WIDE`` rows as near as their nearest.

    Such data (many copies of each row, or a coarse grid) would give the
    tree's queries long lists of tied candidates, which the blocks handle
    without gathering them; the blocks are used instead. A sample of rows is
    checked on a tree of all the rows, kept for the searches among all rows.
    """
    from scipy.spatial import cKDTree

    n = points.n
    if n <= _TREE_WIDE + 1:
        return False
    # Every row in order: the data itself where it is float64 (the tree keeps no copy).
    every = slice(None) if points.rows is None else np.arange(n)
    points.full_tree = cKDTree(np.asarray(points.values(every), dtype=np.float64))
    sample = np.arange(0, n, max(1, n // _TIE_SAMPLE))
    # The first is the row itself (or a copy). Only rows whose second and
    # third are tied get the long query: tied when its last is as near as the second.
    dist, _ = points.full_tree.query(points.values(sample), k=3)
    tied = sample[dist[:, 2] <= dist[:, 1]]
    if tied.size <= _TIE_SHARE * sample.size:
        return False
    dist, _ = points.full_tree.query(points.values(tied), k=_TREE_WIDE + 1)
    many = np.count_nonzero(dist[:, -1] <= dist[:, 1]) > _TIE_SHARE * sample.size
    if many:
        points.full_tree = None
    return many


def spatial_order(Q):
    """An order of the rows of ``Q`` (dense) that keeps near rows together.

    A tree answers queries several times faster in such an order (their
    walks share nodes in the cache) than in the order of a table, where near
    rows are usually far apart. The order is that of the leaves of a quickly
    built k-d tree of the queries.
    """
    from scipy.spatial import cKDTree

    if Q.shape[0] <= _TREE_CHUNK:
        return np.arange(Q.shape[0])
    return cKDTree(np.asarray(Q, dtype=np.float64), leafsize=256, balanced_tree=False,
                   compact_nodes=False).indices


def _tree_top_k(points, queries, refs, k, self_pos, n_jobs, each):
    """:func:`top_k_positions` (nearest) on a k-d tree of ``refs``: see :class:`_Tree`."""
    tree = _Tree(points, refs, n_jobs)
    n_ref = refs.size
    out_d = np.full((queries.size, k), np.inf)
    out_i = np.full((queries.size, k), -1, dtype=np.intp)

    def best(at, raw, pos):
        raw[pos == self_pos[at, None]] = np.inf
        out_d[at], out_i[at] = _best_of(raw, pos, k, n_ref)
        # Complete when every reference left out is farther than the k-th best.
        return tree.reach(out_d[at, -1])

    m = min(n_ref, k + _TREE_EXTRA + int((self_pos >= 0).any()))
    short = tree.search(queries, m, best)
    if short.size:
        out_d[short], out_i[short] = top_k_positions(
            points, queries[short], refs, k, self_pos=self_pos[short], n_jobs=n_jobs, tree=False)
    if each is None:
        return out_d, out_i
    return [each(sl, out_d[sl], out_i[sl])
            for sl in (slice(s, s + _TREE_CHUNK) for s in range(0, queries.size, _TREE_CHUNK))]


def _best_of(raw, pos, k, n_ref):
    """The ``k`` smallest values of each row and their positions, ties to the lower
    position; ``inf`` and ``-1`` where a row has fewer than ``k`` finite values."""
    if raw.shape[1] < k:
        pad = k - raw.shape[1]
        raw = np.pad(raw, ((0, 0), (0, pad)), constant_values=np.inf)
        pos = np.pad(pos, ((0, 0), (0, pad)), constant_values=n_ref)
    order = np.lexsort((pos, raw), axis=1)[:, :k]
    best_d = np.take_along_axis(raw, order, axis=1)
    best_i = np.take_along_axis(pos, order, axis=1)
    best_i[~np.isfinite(best_d)] = -1
    return best_d, best_i


def _tree_count_closer(points, queries, refs, bound_sq, thr, bound_idx, need, counts, found,
                       n_jobs):
    """:func:`count_closer` on a k-d tree of ``refs``, into ``counts`` and ``found``.

    ``thr`` holds the bounds as squared distances (see :func:`_bound_values`).
    Each query's ``need`` nearest references (and two more, for the query
    and its bound row, which do not count) hold every reference counted while
    the count is below ``need``; as in :func:`_tree_top_k`, a query whose last
    candidate is not clearly beyond its bound gets more candidates, or is
    counted in blocks.
    """
    tree = _Tree(points, refs, n_jobs)

    def tally(at, raw, pos):
        counts[at], found[at] = _counted(raw, pos, refs, queries[at], thr[at], bound_idx[at],
                                         found.shape[1])
        # A count that reached need is done: nothing to cover.
        return np.where(counts[at] >= need, -np.inf, tree.reach(thr[at]))

    m = min(refs.size, need + _TREE_EXTRA + 2)
    short = tree.search(queries, m, tally)
    if short.size:
        out = count_closer(points, queries[short], refs, np.asarray(bound_sq)[short],
                           bound_idx[short], need, witnesses=found.shape[1], n_jobs=n_jobs,
                           tree=False)
        counts[short], found[short] = out if found.shape[1] else (out, found[short])


def _counted(raw, pos, refs, queries, thr, bidx, witnesses):
    """How many candidates count for each query (nearer than its bound, see
    :func:`count_closer`), and up to ``witnesses`` of them, nearest first."""
    valid = pos < refs.size
    idx = np.where(valid, refs[np.minimum(pos, refs.size - 1)], -1)
    t = thr[:, None]
    counted = (valid & (idx != queries[:, None]) & (idx != bidx[:, None])
               & ((raw < t) | ((raw == t) & (idx < bidx[:, None]))))
    out = np.full((queries.size, witnesses), -1, dtype=np.intp)
    if witnesses:
        order = np.argsort(np.where(counted, raw, np.inf), axis=1, kind="stable")
        first = np.take_along_axis(np.where(counted, idx, -1), order, axis=1)[:, :witnesses]
        out[:, :first.shape[1]] = first
    return counted.sum(axis=1), out


# --------------------------------------------------------------------------- copies


def _row_hash(rows_of, idx, n_features):
    """Each row's product with a fixed random vector: equal for copies of a row,
    almost never for different rows. ``rows_of(positions)`` gives rows (dense or
    sparse) of ``idx``; computed a chunk at a time, each row alone (the same sums
    for equal rows, in any chunk: see :func:`pair_sq`)."""
    probe = np.random.default_rng(0).standard_normal(n_features)
    out = np.empty(idx.size)
    step = _build_step(n_features)
    for s in range(0, idx.size, step):
        block = rows_of(idx[s:s + step])
        if sp.issparse(block):
            out[s:s + step] = np.asarray(block @ probe).ravel()
        else:
            terms = np.multiply(block, probe, dtype=np.float64)
            terms.sum(axis=1, out=out[s:s + step])
    return out


def many_copies(rows_of, n, n_features):
    """Whether a row drawn at random has, on average, at least ``_COPIES_MEAN``
    rows equal to it (itself included): ``sum(c^2) / n`` over groups of ``c``
    copies, estimated from the pairs of equal hashes (:func:`_row_hash`) among
    ``_COPIES_SAMPLE`` rows drawn at random. ``rows_of(positions)`` gives rows.
    """
    m = min(n, _COPIES_SAMPLE)
    if m < 2:
        return False
    sample = (np.arange(n) if m == n
              else np.sort(np.random.default_rng(0).choice(n, m, replace=False)))
    _, c = np.unique(_row_hash(rows_of, sample, n_features), return_counts=True)
    return 1.0 + float((c * (c - 1.0)).sum()) * (n - 1) / (m * (m - 1)) >= _COPIES_MEAN


def _copy_groups(points):
    """The groups of copies of the rows of ``points``, or ``False`` where rows have few.

    Data made of copies of a few rows (binary or categorical features) tie
    every pair of copies, and a search would compute the exact value of each
    such pair to order them by row index: their time grows as the square of
    the copies. Their searches run on the distinct rows instead
    (:func:`_distinct_top_k`).

    Where :func:`many_copies` says so, the rows are grouped (:func:`group_rows`).
    Rows of a group are equal, so their exact values against any row are equal
    too; equal rows in different groups (never, but for a hash shared by
    different rows) only cost time.

    Returns
    -------
    groups : ndarray of int of shape (n,) or False
    """
    n = points.n
    rows_of = points.aug.__getitem__ if points.sparse else points.values
    width = points.n_features + (1 if points.sparse else 0)
    if not many_copies(rows_of, n, width):
        return False
    return group_rows(rows_of, n, width)[0]


def group_rows(rows_of, n, n_features):
    """Groups of equal rows among ``n`` rows (``rows_of(positions)`` gives them).

    The rows are grouped by hash (:func:`_row_hash`), and each row is checked
    equal to the first row of its group; the rare row that is not (another
    row of the same hash) is a group of its own. A sort of one number a row:
    far faster than sorting the rows themselves.

    Returns
    -------
    groups : ndarray of int of shape (n,)
        Each row's group, numbered from 0.
    first : ndarray of int of shape (n_groups,)
        The first row of each group.
    """
    h = _row_hash(rows_of, np.arange(n), n_features)
    order = np.argsort(h, kind="stable")
    new = np.ones(n, dtype=bool)
    new[1:] = h[order[1:]] != h[order[:-1]]
    groups = np.empty(n, dtype=np.intp)
    groups[order] = np.cumsum(new) - 1
    first = [order[new]]  # the first row of each group: the sort is stable
    n_groups = first[0].size
    step = _build_step(n_features)
    for s in range(0, n, step):
        rows = np.arange(s, min(n, s + step))
        a, b = rows_of(rows), rows_of(first[0][groups[rows]])
        differ = ((a != b).getnnz(axis=1) > 0) if sp.issparse(a) else (a != b).any(axis=1)
        rows = rows[differ]
        groups[rows] = n_groups + np.arange(rows.size)
        first.append(rows)
        n_groups += rows.size
    return groups, np.concatenate(first)


def _distinct_plan(points, queries, refs):
    """The distinct rows of a search, where searching them saves enough; else ``None``.

    Returns ``(order, start, q_first, q_group)``: the positions of ``refs``
    sorted by group (in order within each), where each group starts in
    ``order``, the position of each distinct query's first copy in
    ``queries``, and each query's distinct query. ``None`` where rows have
    few copies, or where the distinct rows would leave more than
    ``1 / _DISTINCT_GAIN`` of the pairs.
    """
    groups = points.groups
    if groups is None or queries.size == 0 or refs.size == 0:
        return None
    g_ref = groups[refs]
    order = np.argsort(g_ref, kind="stable")
    g_sorted = g_ref[order]
    start = np.flatnonzero(np.concatenate([[True], g_sorted[1:] != g_sorted[:-1]]))
    _, q_first, q_group = np.unique(groups[queries], return_index=True, return_inverse=True)
    if queries.size * refs.size < _DISTINCT_GAIN * q_first.size * start.size:
        return None
    return order, start, q_first, q_group.ravel()


def _distinct_top_k(points, plan, queries, refs, k, farthest, self_pos, n_jobs, budget):
    """:func:`top_k_positions` of data with many copies, from a search of their distinct rows.

    ``plan`` is :func:`_distinct_plan` of the search. The distinct queries
    are searched among the distinct references, each reference at the
    position of its first copy in ``refs`` (``k + 1`` of them where queries
    leave their own position out). Copies have equal values, so the ``k``
    best references of a query, in the order (value, position), are among
    the first ``k`` copies of its ``k`` best distinct references: each
    distinct reference ranked before the one holding the ``k``-th best has a
    copy ranked before that best. Those candidates are ranked, and each
    query takes its distinct query's list less its own position. The
    results are those of the search of every row, in a time that grows with
    the distinct rows.
    """
    order, start, q_first, q_group = plan
    count = np.diff(np.append(start, refs.size))
    first = order[start]  # each distinct reference's first position in refs
    by_first = np.argsort(first)
    kk = k + int((self_pos >= 0).any())
    raw, sub = top_k_positions(points, queries[q_first], refs[first[by_first]], kk,
                               farthest=farthest, n_jobs=n_jobs, budget=budget, distinct=False)
    lists_raw, lists_pos = first_copies(raw, by_first[np.maximum(sub, 0)], sub >= 0, count,
                                        start, order, kk)
    out_raw = lists_raw[q_group]
    out_pos = lists_pos[q_group]
    if kk > k:
        own = (out_pos == self_pos[:, None]) & (out_pos >= 0)
        keep = np.argsort(own, axis=1, kind="stable")[:, :k]
        out_raw = np.take_along_axis(out_raw, keep, axis=1)
        out_pos = np.take_along_axis(out_pos, keep, axis=1)
    return out_raw, out_pos


def first_copies(values, groups, valid, count, start, members, k):
    """The ``k`` best rows of each query from its best distinct rows, in the order
    (value, row); ``inf`` and ``-1`` where a query has fewer.

    ``values`` (queries x m) holds each query's values of its distinct rows,
    smallest first; ``groups`` their groups and ``valid`` whether each is one.
    The rows of group ``g`` are ``members[start[g]:start[g] + count[g]]``, in
    increasing order. Of a run of equal values, each group gives only its
    first ``k`` less the rows of smaller values, so that a query gathers about
    ``k`` candidates, not ``k`` per distinct row; queries go a chunk at a time.
    """
    nq, m = values.shape
    out_v = np.full((nq, k), np.inf)
    out_i = np.full((nq, k), -1, dtype=np.intp)
    step = max(1, _PICK_CHUNK // k)
    for r0 in range(0, nq, step):
        sl = slice(r0, r0 + step)
        _first_copies_into(out_v[sl], out_i[sl], values[sl], groups[sl], valid[sl], count,
                           start, members)
    return out_v, out_i


def _first_copies_into(out_v, out_i, values, groups, valid, count, start, members):
    """:func:`first_copies` of a chunk of queries, written into ``out_v`` and ``out_i``."""
    m = values.shape[1]
    k = out_v.shape[1]
    cnt = np.where(valid, count[groups], 0)
    new_run = np.ones(values.shape, dtype=bool)
    new_run[:, 1:] = values[:, 1:] != values[:, :-1]
    before = np.cumsum(cnt, axis=1) - cnt
    before_run = np.maximum.accumulate(np.where(new_run, before, 0), axis=1)
    take = np.clip(k - before_run, 0, cnt).ravel()
    at = np.repeat(np.arange(take.size), take)  # one entry per candidate: its (query, column)
    offset = np.arange(at.size) - np.repeat(np.cumsum(take) - take, take)
    rows = at // m
    cand_v = values.ravel()[at]
    cand_i = members[start[groups.ravel()[at]] + offset]
    order = np.lexsort((cand_i, cand_v, rows))
    rows, cand_v, cand_i = rows[order], cand_v[order], cand_i[order]
    rank = np.arange(rows.size) - np.searchsorted(rows, rows)
    keep = rank < k
    out_v[rows[keep], rank[keep]] = cand_v[keep]
    out_i[rows[keep], rank[keep]] = cand_i[keep]
