"""SMOTENC (mixed numeric and categorical columns) and SMOTEN (categorical only).

Neither builds a one-hot matrix: categorical columns are integer codes, and the
distances are computed from the codes block by block.
"""

import warnings
from functools import partial

import numpy as np
import scipy.sparse as sp

from .. import _frames
from .._base import BaseSampler, Resampled
from .._exact import RowSource
from .._kernels import LazyColumns, interpolate
from .._neighbors import (
    check_neighbors,
    choose_method,
    euclidean_block,
    kneighbors,
    neighbors_attribute,
    neighbors_for_class,
    self_kneighbors,
)
from .._validation import (
    check_magnitude,
    check_not_complex,
    empty_columns_advice,
    not_categories,
    unique_labels,
)
from ..exceptions import (
    BalancekitWarning,
    DataError,
    DataTypeError,
    InvalidParameterError,
    InvalidParameterTypeError,
)
from ._smote import segments_and_neighbors, stack_synthetic


def _columns(X, columns):
    """The values of each of the columns ``columns`` of ``X``, in turn (a table is wrapped
    once: narwhals takes longer to wrap a wide table than to read a column of it)."""
    frame = _frames.as_frame(X)
    for j in columns:
        yield _frames.column_values(frame, j) if frame is not None else X[:, j]


def categorical_columns(X, categorical_features):
    """Resolve ``categorical_features`` into sorted column indices of ``X``.

    ``'auto'`` takes the categorical and string columns of a dataframe, or the
    columns of a numpy array holding values that are not numbers.
    """
    n_features = X.shape[1]
    frame = _frames.as_frame(X)
    names = list(frame.columns) if frame is not None else None
    if isinstance(categorical_features, str):
        if categorical_features != "auto":
            raise InvalidParameterError(
                f"categorical_features={categorical_features!r} is not supported; expected 'auto', "
                "a list of column indices or names, or a boolean mask."
            )
        if frame is not None:
            kinds = list(_frames.column_kinds(X).values())
            return np.array([j for j, kind in enumerate(kinds) if kind == "categorical"], dtype=int)
        arr = np.asarray(X)
        if arr.dtype.kind not in "OUS":
            return np.array([], dtype=int)
        return np.array([j for j in range(n_features) if not _is_numeric(arr[:, j])], dtype=int)
    values = np.asarray(categorical_features)
    if values.ndim != 1:
        raise InvalidParameterError(
            "categorical_features must be 'auto', a 1-D list of column indices or names, or a "
            f"boolean mask; got {categorical_features!r}"
            f"{f' (an array of shape {values.shape})' if values.ndim else ''}."
        )
    if values.dtype.kind == "b":
        if values.size != n_features:
            raise InvalidParameterError(
                f"categorical_features as a boolean mask must have one entry per column "
                f"({n_features}); got {values.size}."
            )
        return np.flatnonzero(values)
    if values.size == 0:
        return np.array([], dtype=int)
    if values.dtype.kind in "OUS":
        if names is None:
            raise InvalidParameterError(
                f"categorical_features gives column names {values.tolist()!r}, but X has no column "
                "names (it is not a dataframe); pass column indices instead."
            )
        unknown = [v for v in values.tolist() if v not in names]
        if unknown:
            raise InvalidParameterError(
                f"categorical_features names column(s) {unknown!r} that are not in X; its columns "
                f"are {names!r}."
            )
        return np.array(sorted({names.index(v) for v in values.tolist()}), dtype=int)
    if values.dtype.kind not in "iu":
        raise InvalidParameterTypeError(
            "categorical_features must hold column indices (integers), column names (strings) or "
            f"booleans; got values of dtype {values.dtype}."
        )
    bad = values[(values < -n_features) | (values >= n_features)]
    if bad.size:
        named = names is not None and int(bad[0]) in names
        raise InvalidParameterError(
            f"categorical_features has column index {int(bad[0])}, out of range for X with "
            f"{n_features} columns."
            + (f" Integers are positions; the column named {int(bad[0])} is at position "
               f"{names.index(int(bad[0]))}." if named else "")
        )
    unique = np.unique(np.where(values < 0, values + n_features, values))
    if unique.size < values.size and values.size == n_features and set(values.tolist()) <= {0, 1}:
        # Repeats are fine, but 0s and 1s, one per column, are a mask written in integers: read
        # as positions, they would make column 1 (a number, maybe) a category.
        raise InvalidParameterError(
            f"categorical_features={values.tolist()!r} holds a 0 or 1 for each column, as a mask "
            "would, but integers are column positions (here columns 0 and 1 only); a mask "
            f"must hold booleans: {[bool(v) for v in values.tolist()]!r}."
        )
    return unique


def _is_numeric(column):
    try:
        column.astype(np.float64)
    except (TypeError, ValueError):
        return False
    return True


def code_dtype(n_levels):
    """The smallest signed integer type that holds the codes ``0 .. n_levels - 1``."""
    for dtype in (np.int8, np.int16, np.int32):
        if n_levels <= np.iinfo(dtype).max + 1:
            return np.dtype(dtype)
    return np.dtype(np.int64)


def encode_categories(X, columns):
    """Integer codes of the categorical columns and the values behind the codes.

    The codes are of the smallest integer type that holds them all. Missing
    values (None/NaN) are a category of their own.
    """
    import pandas as pd

    column_codes, levels = [], []
    for j, values in zip(columns, _columns(X, columns), strict=True):
        values = np.asarray(values)
        if values.dtype.kind in "biuf":
            # Numeric category codes stay a typed array: synthetic columns then hold
            # numbers, not one Python object per cell.
            c, uniques = pd.factorize(values, use_na_sentinel=False)
            column_codes.append(c.astype(code_dtype(len(uniques))))
            levels.append(np.asarray(uniques, dtype=values.dtype))
            continue
        values = values.astype(object)
        try:
            c, uniques = pd.factorize(values, use_na_sentinel=False)
        except TypeError:  # values that cannot be hashed: lists, arrays, mappings
            frame = _frames.as_frame(X)
            name = frame.columns[j] if frame is not None else j
            raise DataError(not_categories(name, values)) from None
        column_codes.append(c.astype(code_dtype(len(uniques))))
        uniques = np.asarray(uniques, dtype=object)
        missing = pd.isna(uniques)
        if missing.any():
            # factorize turns None into NaN; give synthetic rows the column's own marker.
            uniques[missing] = values[np.flatnonzero(pd.isna(values))[0]]
        levels.append(uniques)
    dtype = code_dtype(max((len(lv) for lv in levels), default=1))
    codes = np.empty((X.shape[0], len(columns)), dtype=dtype)
    for out, c in enumerate(column_codes):
        codes[:, out] = c
    return codes, levels


def _as_float(values, sampler_name):
    """``values`` as floats: float32 and float64 kept, anything else as float64."""
    if values.dtype.kind in "f" and values.dtype != np.float16:
        return values
    check_not_complex(values.dtype, sampler_name)
    try:
        return values.astype(np.float64)
    except (TypeError, ValueError):
        pass
    import pandas as pd

    # Nullable columns (boolean, Int64) read as objects holding pd.NA: a missing value,
    # which check_numeric names as such, not a value that is not a number.
    missing = np.asarray(pd.isna(values), dtype=bool)
    try:
        return np.where(missing, np.nan, values).astype(np.float64)
    except (TypeError, ValueError):
        raise DataError(
            f"{sampler_name}: some columns not listed in categorical_features hold values that "
            "are not numbers; list them in categorical_features (or use 'auto')."
        ) from None


def check_numeric(X, columns, sampler_name):
    """Check that the columns ``columns`` of ``X`` hold finite numbers.

    The columns are read one at a time, so no copy of the whole numeric table
    is made.
    """
    frame = _frames.as_frame(X)
    if frame is not None:
        kinds = _frames.column_kinds(X)
        names = [frame.columns[j] for j in columns]
        dates = _frames.temporal_advice(kinds, names)
        if dates:
            raise DataError(f"{sampler_name} cannot use every column: {dates}")
        bad = [n for n in names if kinds[n] not in ("integer", "float", "bool")]
        if bad:
            raise DataError(
                f"{sampler_name} treats column(s) {bad!r} as numeric, but they hold non-numeric "
                "values; list them in categorical_features (on the command line: -p "
                "'categorical_features=[...]' with the names of every categorical column)."
            )
    cols, empty, largest = [], [], 0.0
    for j, values in zip(columns, _columns(X, columns), strict=True):
        values = _as_float(np.asarray(values), sampler_name)
        if not np.isfinite(values).all():
            cols.append(int(j))
            if np.isnan(values).all():
                empty.append(int(j))
        elif values.size:
            largest = max(largest, float(np.abs(values).max()))
    if cols:
        label = [frame.columns[c] for c in cols] if frame is not None else cols
        advice = empty_columns_advice(
            [frame.columns[c] for c in empty] if frame is not None else empty,
            named=frame is not None)
        if len(empty) < len(cols):  # a column without any value: no imputation fills it
            advice = ("Impute them first (e.g. sklearn.impute.SimpleImputer in a "
                      "balancekit.pipeline.make_pipeline), or drop those rows. " + advice)
        raise DataError(
            f"X has NaN or infinite values in numeric column(s) {label!r}; {sampler_name} needs "
            f"finite numbers there. {advice.strip()}"
        )
    # The distances and the class spreads square the numeric differences.
    check_magnitude(largest, len(columns), what="X", hint=sampler_name,
                    uses="computes squared distances and spreads of its numeric columns")


def numeric_block(X, columns, rows, sampler_name):
    """The numeric columns of the rows ``rows`` as a C-ordered float array (float32 kept).

    The values are checked with :func:`check_numeric` beforehand.
    """
    frame = _frames.as_frame(X)
    if frame is not None:
        # By position: pandas column names may be integers, which select() does not take.
        block = frame[np.asarray(rows), [int(j) for j in columns]].to_numpy()
    else:
        block = np.asarray(X)[np.ix_(rows, columns)]
    return np.ascontiguousarray(_as_float(block, sampler_name))


def vote(codes, rng):
    """Most frequent code of each row, ties broken at random with ``rng``."""
    counts = (codes[:, :, None] == codes[:, None, :]).sum(axis=2)
    score = counts + rng.uniform(0, 0.5, size=counts.shape)
    return codes[np.arange(codes.shape[0]), np.argmax(score, axis=1)]


# New rows voted on at a time: bounds the temporaries of vote (a row's group
# squared, in bytes and in float64 draws).
_VOTE_ROWS = 4096


def vote_columns(codes, group_of, n_rows, rng):
    """The codes of ``n_rows`` new rows: in each column of ``codes``, the most frequent
    value among each new row's group, ties broken at random (:func:`vote`).

    ``group_of(sl)`` gives the rows of ``codes`` voting for the new rows ``sl``
    (an array of shape ``(rows in sl, group size)``). Column after column, as
    one :func:`vote` per column would draw from ``rng``, but a chunk of new rows
    at a time.
    """
    out = np.empty((n_rows, codes.shape[1]), dtype=codes.dtype)
    for j in range(codes.shape[1]):
        for start in range(0, n_rows, _VOTE_ROWS):
            sl = slice(start, min(n_rows, start + _VOTE_ROWS))
            out[sl, j] = vote(codes[group_of(sl), j], rng)
    return out


# Largest dense embedding (numeric columns + scaled one-hot) built for a neighbour
# search other than the screened one, which builds the rows it reads.
_EMBEDDING_BYTES = 256 * 2**20


class _Embedding(RowSource):
    """Rows ``[numeric, one-hot of each categorical column * sqrt(penalty / 2)]``, built on
    access: their squared Euclidean distance is SMOTENC's distance."""

    def __init__(self, num, codes, n_levels, penalty):
        self.num = num
        self.codes = codes
        d = num.shape[1]
        self.offsets = d + np.concatenate([[0], np.cumsum(n_levels)[:-1]]).astype(np.intp)
        self.value = np.sqrt(penalty / 2)
        self.shape = (num.shape[0], d + int(sum(n_levels)))
        self.dtype = num.dtype

    def __getitem__(self, key):
        num = self.num[key]
        out = np.zeros((num.shape[0], self.shape[1]), dtype=self.dtype)
        out[:, :num.shape[1]] = num
        out[self._ones(key)] = self.value
        return out

    def centred(self, idx, mean, out):
        # As the base class computes it (in float64, from the values held in this
        # dtype), without building the rows first.
        d = self.num.shape[1]
        np.subtract(self.num[idx], mean[:d], out=out[:, :d], dtype=np.float64,
                    casting="unsafe")
        np.negative(mean[d:], out=out[:, d:], casting="unsafe")
        lines, columns = self._ones(idx)
        out[lines, columns] = np.float64(self.dtype.type(self.value)) - mean[columns]

    def _ones(self, key):
        """Lines and columns of the one-hot entries of the rows ``key``."""
        codes = self.codes[key]
        lines = np.repeat(np.arange(codes.shape[0]), codes.shape[1])
        return lines, (self.offsets + codes.astype(np.intp)).ravel()


# Most one-hot columns searched through the embedding; beyond, the categorical columns are
# compared code by code (about where the two cost the same).
_ONE_HOT_WIDTH = 1024


def mixed_neighbors(num, codes, n_levels, penalty, k, queries=None, copy_bytes=np.inf,
                    estimator=None):
    """The ``k`` nearest other rows under SMOTENC's distance, of every row or of the rows
    ``queries``.

    The distance is the squared Euclidean distance on the numeric columns plus
    ``penalty`` for each categorical column that differs: the Euclidean
    distance on ``[numeric, one-hot * sqrt(penalty / 2)]``. The screened search
    builds the rows of that embedding as it reads them, so it is never stored;
    it keeps its float32 screening copy when that takes at most ``copy_bytes``
    (else it builds those rows too: less memory, about a quarter slower). The
    other searches, chosen for smaller searches, get the embedding whole, up to
    ``_EMBEDDING_BYTES``; beyond, and for categorical columns of more than
    ``_ONE_HOT_WIDTH`` levels in all, the distances are computed from the codes
    block by block. A user's neighbours ``estimator`` is fitted on the whole
    embedding and searches it, as in imbalanced-learn.
    """
    if estimator is not None:
        embedding = _Embedding(num, codes, n_levels, penalty)
        return kneighbors(embedding[:], k, query_indices=queries, estimator=estimator)
    # Categorical columns of many levels: a product over their one-hot columns costs more
    # than comparing their codes (4096 levels, 10k rows: 3.4 s against 0.6 s).
    if sum(n_levels) <= _ONE_HOT_WIDTH:
        embedding = _Embedding(num, codes, n_levels, penalty)
        n, width = embedding.shape
        n_queries = n if queries is None else queries.size
        if choose_method(n, width, n_queries) == "screened":
            embedding.screen_on_access = n * (width + 2) * 4 > copy_bytes
            return kneighbors(embedding, k, query_indices=queries, method="screened")
        if n * width * num.dtype.itemsize <= _EMBEDDING_BYTES:
            return kneighbors(embedding[:], k, query_indices=queries)
    nn = self_kneighbors(_mixed_block(num, codes, penalty), num.shape[0], k)
    return nn if queries is None else nn[queries]


def _mixed_block(num, codes, penalty):
    """Block distances: squared Euclidean on numbers plus ``penalty`` per category mismatch."""
    euclidean = euclidean_block(num)

    def block(qs, qe, rs, re):
        D = euclidean(qs, qe, rs, re)
        if penalty:
            for j in range(codes.shape[1]):
                D += penalty * (codes[qs:qe, j, None] != codes[None, rs:re, j])
        return D

    return block


def _vdm_block(codes, tables):
    """Block distances of the value difference metric, from :func:`vdm_tables`."""

    def block(qs, qe, rs, re):
        D = np.zeros((qe - qs, re - rs))
        for j, distance in enumerate(tables):
            D += distance(codes[qs:qe, j], codes[rs:re, j])
        return D

    return block


# Features with more levels than this get no table of level pairs (its 8 * levels**2 bytes
# would be 8 MB here, 80 GB for an identifier-like column of 100k values): their distances
# are computed from the levels' class profiles, block by block.
_VDM_TABLE_LEVELS = 1024


def vdm_tables(codes, y, n_levels):
    """Per feature, the squared L1 distance between the class profiles of its values.

    Returns
    -------
    tables : list of callable
        ``tables[j](a, b)``: the distances between the codes ``a`` and ``b``
        of feature ``j``, of shape ``(a.size, b.size)``; looked up in a table
        of level pairs, or computed from the class profiles for a feature of
        more than ``_VDM_TABLE_LEVELS`` levels (the same values).
    """
    return [_level_distances(proba) for proba in class_profiles(codes, y, n_levels)[1]]


def class_profiles(codes, y, n_levels):
    """Per feature, the share of each class among the rows holding each of its levels.

    Parameters
    ----------
    codes : ndarray of int of shape (n_samples, n_features)
        The level of each row in each feature, ``0 <= codes[:, j] < n_levels[j]``.
    y : ndarray of shape (n_samples,)
        The class labels.
    n_levels : sequence of int
        The number of levels of each feature.

    Returns
    -------
    classes : ndarray
        The sorted distinct labels of ``y``.
    profiles : list of ndarray of shape (n_levels[j], n_classes)
        ``profiles[j][v, c]``: the share of class ``classes[c]`` among the
        rows holding the level ``v`` of feature ``j``; a row of zeros for a
        level that no row holds.
    """
    classes, y_codes = unique_labels(y, return_inverse=True)
    profiles = []
    for j, n in enumerate(n_levels):
        counts = np.zeros((n, classes.size))
        np.add.at(counts, (codes[:, j], y_codes), 1)
        totals = counts.sum(axis=1, keepdims=True)
        profiles.append(np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0))
    return classes, profiles


def _level_distances(proba, k=1, r=2):
    """``distance(a, b)`` for codes of one feature whose levels have class profiles ``proba``:
    the Minkowski distance of order ``k`` between their profiles, to the power ``r``."""
    if len(proba) <= _VDM_TABLE_LEVELS:
        table = _profile_distances(proba, proba, k) ** r
        return lambda a, b: table[a[:, None], b[None, :]]
    return lambda a, b: _profile_distances(proba[a], proba[b], k) ** r


def _profile_distances(P, Q, k=1):
    """Minkowski distances of order ``k`` between the rows of ``P`` and of ``Q``, summed
    class after class (``k=1``: the L1 distances)."""
    total = np.zeros((len(P), len(Q)))
    for c in range(P.shape[1]):
        diff = np.abs(P[:, c, None] - Q[None, :, c])
        total += diff if k == 1 else diff**k
    return total if k == 1 else total ** (1 / k)


class _CategoricalMixin:
    """Checks shared by SMOTENC and SMOTEN."""

    _sampling_type = "over-sampling"
    _input = "any"

    def fit_resample(self, X, y, *, sample_weight=None):
        """Resample the data set; see :meth:`balancekit.BaseSampler.fit_resample`.

        A sparse ``X`` (numbers) is made dense for the call, with a warning (the
        categorical columns are read as codes), and the output is given back in
        ``X``'s sparse format, as imbalanced-learn does.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            The training data.
        y : array-like of shape (n_samples,)
            The class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the input rows, carried to the output rows.

        Returns
        -------
        X_resampled : same kind as X
            The resampled data.
        y_resampled : same kind as y
            The matching labels.
        """
        if isinstance(X, np.matrix):
            # As scikit-learn's check, which the other samplers run.
            raise DataTypeError(
                "np.matrix is not supported. Please convert to a numpy array with np.asarray "
                f"(X is a numpy.matrix of shape {X.shape})."
            )
        if not sp.issparse(X):
            return super().fit_resample(X, y, sample_weight=sample_weight)
        warnings.warn(
            f"{type(self).__name__} works on dense rows: the sparse X of shape {X.shape} is "
            "made dense for the call, and its output made sparse again.",
            BalancekitWarning,
            stacklevel=2,
        )
        X_res, y_res = super().fit_resample(X.toarray(), y, sample_weight=sample_weight)
        return type(X)(sp.csr_matrix(X_res)).asformat(X.format), y_res

    def _vdm_tables(self, columns, codes, levels, y):
        """The value difference metric of the categorical columns ``columns`` of ``X``
        (their ``codes`` and ``levels``), from the labels ``y``: see :func:`vdm_tables`."""
        return vdm_tables(codes, y, [len(lv) for lv in levels])

    def _check_common(self, X):
        if self.categorical_encoder is not None:
            raise InvalidParameterError(
                f"categorical_encoder={self.categorical_encoder!r} is not used: "
                f"{type(self).__name__} works on category codes directly, without an encoder. "
                "Leave it as None."
            )
        k, estimator = check_neighbors("k_neighbors", self.k_neighbors)
        self.nn_k_ = neighbors_attribute(k, estimator)
        return k, estimator


def _smoten_class(codes, y, members, n_new, k, tables, rng, label):
    """SMOTEN rows for one class: per feature, the commonest value among a row and its neighbours."""
    k = neighbors_for_class("k_neighbors", k, members.size, label)
    cc = codes[members]
    nn = self_kneighbors(_vdm_block(cc, tables), members.size, k)
    rows = rng.randint(0, members.size, size=n_new)
    new = vote_columns(cc, lambda sl: np.concatenate([rows[sl, None], nn[rows[sl]]], axis=1),
                       n_new, rng)
    return new, members[rows]


class SMOTEN(_CategoricalMixin, BaseSampler):
    """SMOTE for categorical data only (SMOTE-N).

    Distances use the value difference metric: two values of a feature are
    close when the classes are distributed alike among the rows holding
    them. Each new row copies, feature by feature, the most frequent value
    among a randomly drawn row of the class and its ``k_neighbors`` nearest
    neighbours (ties broken at random). Missing values are a category of their
    own. Numbers are treated as category labels.

    Parameters
    ----------
    categorical_encoder : None, default=None
        Accepted for compatibility with imbalanced-learn; must stay ``None``
        (categories are encoded internally).
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to grow and to what size.
    random_state : int, RandomState instance or None, default=None
        Seeds the single random generator of each call.
    k_neighbors : int or estimator, default=5
        Number of nearest neighbours that vote (with the drawn row itself). An
        estimator gives its ``n_neighbors``, which counts the row itself; the
        distance stays the value difference metric whatever the estimator's
        metric (imbalanced-learn likewise sets it to ``'precomputed'``).

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each grown class has after resampling.
    nn_k_ : estimator object
        The neighbours estimator of ``k_neighbors``, not fitted (balancekit searches
        with its own search): ``NearestNeighbors(n_neighbors=k_neighbors + 1)``, or a
        clone of the estimator given.
    categories_ : list of ndarray
        The values of each column, in code order.
    sample_weight_ : ndarray of shape (n_samples_new,) or None
        The weights of the output rows when ``sample_weight`` is given to
        ``fit_resample`` (each row keeps the weight of the input row it was
        copied or generated from); ``None`` otherwise.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.
    feature_names_in_ : ndarray of str
        Column names seen in ``fit_resample``, when ``X`` has them.

    References
    ----------
    N. V. Chawla et al., "SMOTE: synthetic minority over-sampling technique", JAIR 16, 2002
    (section 6.2); C. Stanfill and D. Waltz, "Toward memory-based reasoning", CACM 29, 1986.
    """

    def __init__(self, categorical_encoder=None, *, sampling_strategy="auto", random_state=None,
                 k_neighbors=5):
        self.categorical_encoder = categorical_encoder
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors

    def _fit_resample(self, X, y, *, targets, rng):
        k, _ = self._check_common(X)
        columns = np.arange(X.shape[1])
        codes, self.categories_ = encode_categories(X, columns)
        _warn_measurements(X, self.categories_)
        tables = self._vdm_tables(columns, codes, self.categories_, y)
        return _resample_categorical(codes, self.categories_, y, targets, k, rng, tables)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return tags


#: SMOTEN warns about a column of numbers with more distinct values than this and than
#: half its rows: a measurement, whose values as categories are all strangers.
MANY_LEVELS = 20


def _warn_measurements(X, levels):
    """Warn when SMOTEN, which takes every column as categories, is given columns of
    numbers with almost one value per row (amounts, measurements): between categories
    there is no 'near', so those columns only set rows apart and are copied, never
    interpolated."""
    import pandas as pd

    n_rows = X.shape[0]
    found = [j for j, lv in enumerate(levels) if len(lv) > max(MANY_LEVELS, n_rows / 2) and (
        lv.dtype.kind in "iuf" or pd.api.types.infer_dtype(lv, skipna=True) in (
            "integer", "floating", "mixed-integer-float", "decimal"))]
    if not found:
        return
    frame = _frames.as_frame(X)
    names = [frame.columns[j] if frame is not None else j for j in found]
    shown = ", ".join(f"{name!r} ({len(levels[j])} values)"
                      for name, j in zip(names[:5], found, strict=False))
    warnings.warn(
        f"SMOTEN takes every column as categories, but column(s) {shown}{' ...' if len(found) > 5 else ''} "
        f"of {n_rows} rows hold numbers with almost one value per row: as categories their "
        "values are all equally far apart, so new rows copy them and never fall between "
        "them. Use SMOTENC, which interpolates numeric columns, or bin them first.",
        BalancekitWarning,
        stacklevel=6,  # SMOTEN.fit_resample, the base's, its check, _fit_resample, here
    )


def _resample_categorical(codes, levels, y, targets, k, rng, tables):
    blocks, origins = [], []
    for label, target in targets.items():
        members = np.flatnonzero(y == label)
        if target <= members.size:
            continue
        new, origin = _smoten_class(codes, y, members, target - members.size, k, tables, rng, label)
        blocks.append(new)
        origins.append(origin)
    result = stack_synthetic(codes, blocks, origins)
    if result.synthetic is not None:
        # Decoded column by column as the output is written (as SMOTENC's columns).
        new = result.synthetic
        result.synthetic = LazyColumns(new.shape[0], [partial(np.take, levels[j], new[:, j])
                                                      for j in range(len(levels))])
    return result


def _interpolated_column(X, j, name, parts):
    """Numeric column ``j`` of the new rows, class part after class part.

    Each part is ``(members, base, neighbor, gap)``: a class's rows of ``X``
    and its segments, as positions in ``members`` (see
    :func:`~balancekit._kernels.interpolate`). The column is read from ``X``
    one class at a time, so no numeric block of the classes is held while the
    output is written.
    """
    n_rows = sum(base.size for _, base, _, _ in parts)
    out = None
    start = 0
    for members, base, neighbor, gap in parts:
        values = numeric_block(X, [j], members, name)
        if out is None:
            out = np.empty(n_rows, dtype=values.dtype)
        stop = start + base.size
        interpolate(values, base, neighbor, gap, out=out[start:stop, None])
        start = stop
    return out


class SMOTENC(_CategoricalMixin, BaseSampler):
    """SMOTE for data with numeric and categorical columns (SMOTE-NC).

    Neighbours are found within the class with the Euclidean distance on the
    numeric columns plus, for each categorical column that differs, the
    squared median of the class's numeric standard deviations. Each new row
    interpolates the numeric columns between a drawn row and one of its
    ``k_neighbors`` nearest neighbours (as :class:`SMOTE`) and takes, for each
    categorical column, the most frequent value among the drawn row's
    neighbours (ties broken at random).

    Unlike imbalanced-learn, it works on any mix: with no categorical column it
    behaves as :class:`SMOTE`, with no numeric column as :class:`SMOTEN`. No
    one-hot matrix is built, so memory stays proportional to the output. When
    the median standard deviation is 0 (constant numeric columns), each
    categorical mismatch costs 1. Missing values in categorical columns are a
    category of their own; numeric columns must be finite.

    Parameters
    ----------
    categorical_features : 'auto', array-like of int, str or bool, default='auto'
        The categorical columns: ``'auto'`` takes the categorical and string
        columns of a pandas or polars DataFrame (or the non-numeric columns of
        an object array); else column indices, column names or a boolean mask.
    categorical_encoder : None, default=None
        Accepted for compatibility with imbalanced-learn; must stay ``None``.
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to grow and to what size.
    random_state : int, RandomState instance or None, default=None
        Seeds the single random generator of each call.
    k_neighbors : int or estimator, default=5
        Number of nearest neighbours to interpolate with. An estimator (such as
        ``NearestNeighbors(n_neighbors=6, metric='manhattan')``, whose
        ``n_neighbors`` counts the row itself) is fitted on each grown class's
        numeric columns beside a one-hot of its categorical columns, scaled so
        that each differing category adds ``median_std_ ** 2`` to the squared
        Euclidean distance, and searches them, as in imbalanced-learn.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each grown class has after resampling.
    nn_k_ : estimator object
        The neighbours estimator of ``k_neighbors``, not fitted (balancekit searches
        with its own search): ``NearestNeighbors(n_neighbors=k_neighbors + 1)``, or a
        clone of the estimator given.
    categorical_features_ : ndarray of int
        Indices of the categorical columns.
    continuous_features_ : ndarray of int
        Indices of the numeric columns.
    median_std_ : dict
        ``{label: median standard deviation}`` of the numeric columns per grown
        class.
    n_features_ : int
        The same as ``n_features_in_`` (imbalanced-learn's name for it).
    sample_weight_ : ndarray of shape (n_samples_new,) or None
        The weights of the output rows when ``sample_weight`` is given to
        ``fit_resample`` (each row keeps the weight of the input row it was
        copied or generated from); ``None`` otherwise.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.
    feature_names_in_ : ndarray of str
        Column names seen in ``fit_resample``, when ``X`` has them.

    Examples
    --------
    >>> import pandas as pd
    >>> from balancekit.over_sampling import SMOTENC
    >>> X = pd.DataFrame({"amount": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
    ...                   "shop": pd.Categorical(list("aabbabab"))})
    >>> y = [0, 0, 0, 0, 0, 1, 1, 1]
    >>> X_res, y_res = SMOTENC(categorical_features="auto", k_neighbors=2,
    ...                        random_state=0).fit_resample(X, y)
    >>> X_res.shape, str(X_res["shop"].dtype)
    ((10, 2), 'category')
    """

    def __init__(self, categorical_features="auto", *, categorical_encoder=None,
                 sampling_strategy="auto", random_state=None, k_neighbors=5):
        self.categorical_features = categorical_features
        self.categorical_encoder = categorical_encoder
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors

    @property
    def n_features_(self):
        """Number of features seen in ``fit_resample`` (imbalanced-learn's name)."""
        return self.n_features_in_

    def _fit_resample(self, X, y, *, targets, rng):
        k, estimator = self._check_common(X)
        cat = categorical_columns(X, self.categorical_features)
        if cat.size == 0 and isinstance(self.categorical_features, str):
            warnings.warn(
                "SMOTENC: categorical_features='auto' found no categorical column (of a "
                "dataframe: category and string columns; numbers are never taken for "
                "categories), so it interpolates every column, as SMOTE does. Columns of "
                "category codes must be named in categorical_features.",
                BalancekitWarning,
                stacklevel=3,
            )
        cont = np.setdiff1d(np.arange(X.shape[1]), cat)
        self.categorical_features_, self.continuous_features_ = cat, cont
        codes, levels = encode_categories(X, cat)
        self.median_std_ = {}
        if cont.size == 0:
            tables = self._vdm_tables(cat, codes, levels, y)
            return _resample_categorical(codes, levels, y, targets, k, rng, tables)
        name = type(self).__name__
        check_numeric(X, cont, name)
        # The search's screening copy of a class may take a third of the output.
        n_out = y.shape[0] + sum(max(0, t - np.count_nonzero(y == label))
                                 for label, t in targets.items())
        parts, new_cat, origins = [], [], []
        for label, target in targets.items():
            members = np.flatnonzero(y == label)
            if target <= members.size:
                continue
            kk = neighbors_for_class("k_neighbors", k, members.size, label)
            num_c, codes_c = numeric_block(X, cont, members, name), codes[members]
            median_std = float(np.median(np.std(num_c, axis=0)))
            self.median_std_[label] = median_std
            penalty = median_std**2 if median_std > 0 else 1.0
            n_new = target - members.size
            copy_bytes = n_out * X.shape[1] * num_c.dtype.itemsize / 3
            # As SMOTE: a class grown a little has only the rows its segments start from
            # searched.
            search = partial(mixed_neighbors, num_c, codes_c, [len(lv) for lv in levels],
                             penalty, kk, copy_bytes=copy_bytes, estimator=estimator)
            nn, rows, cols, gap, line = segments_and_neighbors(rng, members.size, kk, n_new,
                                                               search)
            del search, num_c  # the numeric columns are read from X again when written
            parts.append((members, rows, nn[line, cols], gap))
            new_cat.append(vote_columns(codes_c, lambda sl, nn=nn, line=line: nn[line[sl]], n_new,
                                        rng))
            del nn, line
            origins.append(members[rows])
        if not parts:
            return Resampled(np.arange(y.shape[0]))
        new_cat = np.concatenate(new_cat)
        origin = np.concatenate(origins)
        # The new rows are computed column by column as the output is written, so they
        # are never held in full beside it.
        columns = [None] * X.shape[1]
        for j in cont:
            columns[j] = partial(_interpolated_column, X, j, name, parts)
        for pos, j in enumerate(cat):
            columns[j] = partial(np.take, levels[pos], new_cat[:, pos])
        return Resampled(None, synthetic=LazyColumns(origin.size, columns), origin=origin)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return tags
