"""Dask collections in and out: the partitions of X and y as matching delayed blocks."""

import math
import uuid
from functools import partial

import dask
import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
from dask import delayed
from pandas.api.types import union_categoricals

from .. import _frames
from .._exact import one_thread
from .._neighbors import kneighbors
from .._strategy import class_counts, resolve_counts
from .._validation import check_target, plain_label
from ..exceptions import DataError, DataTypeError


class Partitions:
    """``X`` and ``y`` of one call, checked, as matching lists of delayed partitions.

    Parameters
    ----------
    X : dask DataFrame or 2-D dask Array
        The training data.
    y : dask Series, one-column dask DataFrame or 1-D dask Array
        The class labels, partitioned as ``X``.
    owner : str
        The sampler's class name, for messages.

    Attributes
    ----------
    X, y : dask collections
        The data (an array's columns in one chunk; a one-column ``y`` as a Series).
    x_parts, y_parts : list of Delayed
        Their partitions, in order: pandas objects or numpy arrays.
    counts : list of dict
        ``{label: count}`` of each partition, once :meth:`count` has run.
    """

    def __init__(self, X, y, owner):
        self.owner = owner
        self.X = _check_x(X, owner)
        self.y_column = y.columns[0] if isinstance(y, dd.DataFrame) else _NO_COLUMN
        self.y = _check_y(y, owner)
        n_x, n_y = _n_partitions(self.X), _n_partitions(self.y)
        if isinstance(self.X, da.Array) and isinstance(self.y, da.Array):
            if not (math.isnan(self.X.shape[0]) or math.isnan(self.y.shape[0])):
                if self.X.shape[0] != self.y.shape[0]:
                    raise DataError(
                        f"X and y have different lengths: X has {self.X.shape[0]} rows but y "
                        f"has {self.y.shape[0]} labels."
                    )
                if self.X.chunks[0] != self.y.chunks[0]:
                    self.y = self.y.rechunk((self.X.chunks[0],))
                    n_y = n_x
        if n_x != n_y:
            raise DataError(
                f"{owner}: X has {n_x} partitions but y has {n_y}; y must be split into the "
                "partitions of X (take both from one dask DataFrame, e.g. "
                "X = df.drop(columns='label'), y = df['label'])."
            )
        self.x_parts = _blocks(self.X)
        self.y_parts = _blocks(self.y)
        self.counts = None

    @property
    def frame(self):
        """Whether ``X`` is a dask DataFrame (else a dask Array)."""
        return isinstance(self.X, dd.DataFrame)

    def count(self):
        """Count the labels of each partition (one pass over ``y``); return the totals.

        Returns
        -------
        totals : dict
            ``{label: count}`` over every partition, in sorted label order.
        """
        self.counts = list(dask.compute(
            *[delayed(_count_labels)(part, i) for i, part in enumerate(self.y_parts)]))
        totals = {}
        for counts in self.counts:
            for label, n in counts.items():
                totals[label] = totals.get(label, 0) + n
        try:
            order = sorted(totals)
        except TypeError:
            raise DataError(
                f"y mixes labels of different types across its partitions "
                f"({', '.join(sorted({type(label).__name__ for label in totals}))}); give every "
                "partition labels of one type (e.g. y.astype(str))."
            ) from None
        return {label: totals[label] for label in order}

    def targets(self, sampling_strategy, kind):
        """Count the labels and resolve ``sampling_strategy`` on the whole of ``y``.

        Returns
        -------
        targets : dict
            ``{label: n_samples}`` as :func:`balancekit.resolve_sampling_strategy`
            gives it for the labels of every partition together (a callable strategy
            is called with the dask ``y``).
        totals : dict
            ``{label: count}`` over every partition.
        """
        totals = self.count()
        if not totals:
            raise DataError("y is empty: at least two classes with samples are needed.")
        if len(totals) == 1:  # as the in-memory samplers check y
            raise DataError(
                f"y has only one class ({plain_label(next(iter(totals)))!r}); resampling "
                "needs at least two classes."
            )
        return resolve_counts(sampling_strategy, totals, kind, self.y), totals

    def per_partition(self, label):
        """How many rows of class ``label`` each partition holds, as an int64 array."""
        return np.array([counts.get(label, 0) for counts in self.counts], dtype=np.int64)

    def map(self, func, *args):
        """Apply ``func(x_part, y_part, i, *args_i)`` to every partition, lazily.

        Each element of ``args`` is a list with one value per partition. ``func``
        returns the resampled ``(x_part, y_part)``; the results are given back as
        two delayed lists.
        """
        out = [delayed(func, nout=2)(x, y, i, *(arg[i] for arg in args))
               for i, (x, y) in enumerate(zip(self.x_parts, self.y_parts, strict=True))]
        return [o[0] for o in out], [o[1] for o in out]

    def rebuild(self, x_parts, y_parts, rows=None, *, renumber=False):
        """The dask collections of ``X``'s and ``y``'s kinds made of these partitions.

        As in memory, a pandas ``y`` takes the index of a pandas ``X`` in each
        partition. ``rows``: the number of rows of each partition where known
        (arrays then have known chunks). ``renumber``: the output holds new rows,
        and its pandas objects take a fresh index, as the in-memory samplers give
        one: ``True`` (``rows`` known), their positions ``0, 1, ...`` in the whole
        output; ``'partition'``, their positions in their partition.
        """
        starts = [None] * len(x_parts)
        if renumber == "partition":
            starts = [0] * len(x_parts)
        elif renumber:
            starts = np.cumsum([0, *rows[:-1]]).tolist()
        x_meta, y_meta = _meta_of(self.X), _meta_of(self.y)
        if x_meta is not None or y_meta is not None:
            x_meta, y_meta = _one_index(x_meta, y_meta, 0 if renumber else None)
        if _joinable(x_meta, y_meta):
            return _co_aligned(x_parts, y_parts, starts, x_meta, y_meta)
        out = [delayed(_one_index, nout=2)(x, y, start)
               for x, y, start in zip(x_parts, y_parts, starts, strict=True)]
        return (_from_blocks([o[0] for o in out], self.X, rows, x_meta),
                _from_blocks([o[1] for o in out], self.y, rows, y_meta))

    def restore(self, X_res, y_res):
        """``y_res`` in the layout ``y`` came in: a one-column dask DataFrame stays one."""
        if self.y_column is not _NO_COLUMN:
            y_res = y_res.to_frame(name=self.y_column)
        return X_res, y_res

    def lengths(self):
        """The number of rows of each partition (once counted)."""
        return [sum(counts.values()) for counts in self.counts]

    def offsets(self):
        """The row number, in the whole of ``X``, of each partition's first row."""
        return np.cumsum([0, *self.lengths()[:-1]])

    def gather(self, labels):
        """The rows of the classes ``labels``, computed into memory.

        Returns
        -------
        X_part, y_part : pandas objects or numpy arrays
            The rows, in their order in ``X`` (partition after partition).
        rows : ndarray of int64
            Their row numbers in the whole of ``X``.
        """
        wanted = list(labels)
        parts = dask.compute(*[delayed(_rows_of, nout=3)(x, y, i, wanted)
                               for i, (x, y) in enumerate(zip(self.x_parts, self.y_parts,
                                                              strict=True))])
        xs, ys = [p[0] for p in parts], [p[1] for p in parts]
        rows = np.concatenate([np.zeros(0, dtype=np.int64)] + [
            p[2] + offset for p, offset in zip(parts, self.offsets(), strict=True)])
        if self.frame:
            return _concat_pandas(xs), _concat_labels(ys), rows
        return np.concatenate(xs), _concat_labels(ys), rows

    def nearest_labels(self, queries, own, k):
        """The labels of the ``k`` nearest rows of ``X`` to each query (see :meth:`nearest`)."""
        return self.nearest(queries, own, k)[1]

    def nearest(self, queries, own, k):
        """The ``k`` nearest rows of ``X`` to each query, over every partition.

        Parameters
        ----------
        queries : ndarray of shape (n_queries, n_features)
            Numeric rows, in the float type to search in.
        own : ndarray of int of shape (n_queries,)
            The row number of each query in ``X``: a row is never its own neighbour.
        k : int
            Number of neighbours.

        Returns
        -------
        rows : ndarray of int64 of shape (n_queries, k)
            Their row numbers in ``X``: nearest first, exact; of rows at equal distances,
            the lower row number first (the in-memory samplers' order).
        labels : ndarray of shape (n_queries, k)
            Their labels.
        """
        shared = delayed(queries)  # one key, which every partition's search reads
        _, rows, labels = self.map_reduce(_nearest_in_partition,
                                          partial(_merge_nearest, k=k + 1), shared, k + 1)
        others = np.argsort(rows == np.asarray(own)[:, None], axis=1, kind="stable")[:, :k]
        return np.take_along_axis(rows, others, axis=1), np.take_along_axis(labels, others, axis=1)

    def first_seen(self, labels):
        """Of ``labels``, the one whose first row comes first in ``y`` (one pass when there
        are several)."""
        if len(labels) == 1:
            return labels[0]
        firsts = dask.compute(*[delayed(_first_rows)(y, i, labels)
                                for i, y in enumerate(self.y_parts)])
        seen = {}
        for found, offset in zip(firsts, self.offsets(), strict=True):
            for label, row in found.items():
                seen.setdefault(label, row + offset)
        return min(seen, key=seen.get)

    def _where(self, rows):
        """For each partition, the positions in it of those of the row numbers ``rows``."""
        offsets = self.offsets()
        part = np.searchsorted(offsets, rows, side="right") - 1
        return [rows[part == i] - offset for i, offset in enumerate(offsets)]

    def values_at(self, rows, dtype):
        """The rows ``rows`` (row numbers of ``X``, increasing) as numbers of ``dtype``."""
        wanted = self._where(rows)
        found = dask.compute(*[delayed(numeric_rows)(x, i, local, dtype)
                               for i, (x, local) in enumerate(zip(self.x_parts, wanted,
                                                                  strict=True))
                               if local.size])
        return np.concatenate([np.empty((0, self.X.shape[1]), dtype=dtype), *found])

    def map_reduce(self, func, merge, *args):
        """``func(x_part, y_part, i, offset, *args)`` on every partition, its results merged
        two at a time with ``merge(a, b)`` (a tree), computed; the merged result."""
        found = [delayed(func)(x, y, i, offset, *args)
                 for i, (x, y, offset) in enumerate(zip(self.x_parts, self.y_parts,
                                                        self.offsets(), strict=True))]
        while len(found) > 1:  # a tree of merges: two partial results held at a time
            found = [delayed(merge)(found[j], found[j + 1]) if j + 1 < len(found) else found[j]
                     for j in range(0, len(found), 2)]
        with one_thread():  # BLAS on one thread in each of dask's workers
            return dask.compute(found[0])[0]

    def level_counts(self, columns):
        """For each column position of ``columns``: ``{(level, label): rows}`` over every
        partition (a missing value is the level :data:`MISSING`)."""
        return self.map_reduce(_level_counts, _add_level_counts, list(columns))

    def keep(self, classes, rows):
        """``X`` and ``y`` with, of the classes ``classes``, only the rows ``rows`` (row
        numbers, increasing), lazily; the rows kept stay in their partition and order."""
        wanted = self._where(rows)
        lengths = [sum(n for label, n in counts.items() if label not in classes) + local.size
                   for counts, local in zip(self.counts, wanted, strict=True)]
        x_parts, y_parts = self.map(_keep_rows, [list(classes)] * len(wanted), wanted)
        return self.rebuild(x_parts, y_parts, lengths)

    def drop(self, rows):
        """``X`` and ``y`` without the rows ``rows`` (row numbers, increasing), lazily; the
        other rows keep their partition and order."""
        dropped = self._where(rows)
        lengths = [n - local.size for n, local in zip(self.lengths(), dropped, strict=True)]
        x_parts, y_parts = self.map(_drop_rows, dropped)
        return self.rebuild(x_parts, y_parts, lengths)

    def append(self, make, n_new, n_rows):
        """``X`` and ``y`` followed by ``n_new`` new rows, made lazily in partitions.

        ``make(start, stop)`` returns the new rows ``start`` to ``stop`` and their
        labels (pandas objects or numpy arrays). The new partitions are of about the
        input's mean partition length (``n_rows`` rows in all over its partitions).
        Pandas objects take a fresh index, as in memory: the positions ``0, 1, ...``
        of the rows in the output.
        """
        size = max(1, math.ceil(n_rows / max(1, _n_partitions(self.X))))
        bounds = [(start, min(n_new, start + size)) for start in range(0, n_new, size)]
        key = uuid.uuid4().hex  # named, so that dask does not hash what make holds
        dtypes = (getattr(self.X, "dtype", None), getattr(self.y, "dtype", None))
        new = [delayed(_new_rows, pure=False, nout=2)(
                   make, start, stop, dtypes, dask_key_name=f"balancekit-new-rows-{key}-{i}")
               for i, (start, stop) in enumerate(bounds)]
        return self.rebuild(self.x_parts + [part[0] for part in new],
                            self.y_parts + [part[1] for part in new],
                            self.lengths() + [stop - start for start, stop in bounds],
                            renumber=True)


def _new_rows(make, start, stop, dtypes):
    """New rows ``start`` to ``stop``; numpy ones in the dtypes of the collections' arrays
    (``dtypes``: X's and y's; the index is set by :meth:`Partitions.rebuild`)."""
    return tuple(part.astype(dtype, copy=False) if isinstance(part, np.ndarray) else part
                 for part, dtype in zip(make(start, stop), dtypes, strict=True))


#: ``Partitions.y_column`` of a ``y`` that is not a one-column DataFrame.
_NO_COLUMN = object()


def _meta_of(collection):
    return collection._meta if isinstance(collection, (dd.DataFrame, dd.Series)) else None


def _one_index(x, y, start):
    """A partition's ``x`` and ``y`` under one index: a pandas ``x``'s, given to a pandas
    ``y``; with ``start``, positions ``start, start + 1, ...`` for both."""
    if start is not None:
        index = pd.RangeIndex(start, start + len(x if y is None else y))
        x = _with_index(x, index)
    elif isinstance(x, pd.DataFrame):
        index = x.index
    else:
        return x, y
    return x, _with_index(y, index)


def _joinable(x_meta, y_meta):
    """Whether a result's ``X`` and ``y`` can be one dask DataFrame underneath: a pandas
    DataFrame of flat column names and a pandas Series."""
    return (isinstance(x_meta, pd.DataFrame) and isinstance(y_meta, pd.Series)
            and not isinstance(x_meta.columns, pd.MultiIndex))


def _co_aligned(x_parts, y_parts, starts, x_meta, y_meta):
    """``X_res`` and ``y_res`` taken from one dask DataFrame of ``X``'s partitions with the
    labels as one more column: dask then knows they hold the same rows in the same
    partitions, so ``X_res.assign(label=y_res)`` or ``X_res[y_res == 1]`` works partition
    by partition (separate collections are aligned by a shuffle on the index, which fails
    on the repeated labels of copied rows)."""
    key = _frames.free_name(x_meta.columns)
    joined = dd.from_delayed(
        [delayed(_with_labels)(x, y, start, key)
         for x, y, start in zip(x_parts, y_parts, starts, strict=True)],
        meta=_with_labels(x_meta, y_meta, None, key), verify_meta=False)
    return joined.drop(columns=[key]), joined[key].rename(y_meta.name)


def _with_labels(x, y, start, key):
    """A partition's rows under one index (see :func:`_one_index`), its labels as column
    ``key`` (taken by position, in their own dtype)."""
    x, y = _one_index(x, y, start)
    return x.assign(**{key: y.array})


def _with_index(part, index):
    """A pandas object under ``index`` without copying its values (others as they are)."""
    if not isinstance(part, (pd.DataFrame, pd.Series)) or part.index is index:
        return part
    part = part.copy(deep=False)
    part.index = index
    return part


def _check_x(X, owner):
    if isinstance(X, dd.DataFrame):
        return X
    if isinstance(X, da.Array):
        if X.ndim != 2:
            raise DataError(
                f"X must be 2-D (n_samples, n_features); got a dask Array of shape {X.shape}."
            )
        if len(X.chunks[1]) > 1:
            X = X.rechunk({1: -1})  # whole rows in each block
        return X
    raise DataTypeError(
        f"{owner} in balancekit.dask takes a dask DataFrame or a 2-D dask Array as X; got "
        f"{_type_name(X)}. For data in memory, use the sampler of the same name in "
        "balancekit.over_sampling or balancekit.under_sampling; to make a dask collection, "
        "see dask.dataframe.from_pandas or dask.array.from_array."
    )


def _check_y(y, owner):
    if isinstance(y, dd.DataFrame):
        if len(y.columns) != 1:
            raise DataError(
                f"y must be one label per row; got a dask DataFrame of {len(y.columns)} columns."
            )
        return y[y.columns[0]]
    if isinstance(y, dd.Series):
        return y
    if isinstance(y, da.Array):
        if y.ndim == 2 and y.shape[1] == 1:
            return y[:, 0]
        if y.ndim != 1:
            raise DataError(
                f"y must be one label per row (shape (n_samples,)); got a dask Array of shape "
                f"{y.shape}."
            )
        return y
    raise DataTypeError(
        f"{owner} in balancekit.dask takes y as a dask Series or a 1-D dask Array, partitioned "
        f"as X; got {_type_name(y)}."
    )


def _type_name(obj):
    kind = type(obj)
    return f"{kind.__module__}.{kind.__qualname__}"


def _n_partitions(collection):
    if isinstance(collection, da.Array):
        return len(collection.chunks[0])
    return collection.npartitions


def _blocks(collection):
    """The partitions of a collection as a list of Delayed, in order.

    A dask DataFrame's graph is not optimized first: the optimizer may merge the small
    partitions of a few columns (``df['label']`` read from Parquet) into fewer than those
    of the whole table, and then y's partitions would no longer be X's.
    """
    if isinstance(collection, da.Array):
        return list(collection.to_delayed().ravel())
    return list(collection.to_delayed(optimize_graph=False))


def labels_of(y_part, i, n_rows=None):
    """The labels of one partition as a checked 1-D numpy array (any number of classes)."""
    try:
        if len(y_part) == 0:
            labels = np.asarray(y_part)
        else:
            labels = check_target(y_part, one_class=True)
    except DataError as exc:
        raise DataError(f"partition {i} of y: {exc}") from None
    if n_rows is not None and labels.shape[0] != n_rows:
        raise DataError(
            f"partition {i}: X has {n_rows} rows but y has {labels.shape[0]} labels; y must be "
            "split into the partitions of X (take both from one dask DataFrame)."
        )
    return labels


def _count_labels(y_part, i):
    return class_counts(labels_of(y_part, i))


def take(part, rows):
    """Rows ``rows`` (positions) of a pandas object or numpy array, index labels kept."""
    return part.iloc[rows] if hasattr(part, "iloc") else part[rows]


def _rows_of(x_part, y_part, i, wanted):
    labels = labels_of(y_part, i, len(x_part))
    mask = np.zeros(labels.shape[0], dtype=bool)
    for label in wanted:
        mask |= labels == label
    rows = np.flatnonzero(mask)
    return take(x_part, rows), take(y_part, rows), rows


def numeric_rows(x_part, i, rows, dtype):
    """Rows ``rows`` of a partition (all: ``None``) as a finite array of ``dtype``."""
    values = np.asarray(x_part.to_numpy() if hasattr(x_part, "to_numpy") else x_part)
    if rows is not None:
        values = values[rows]
    try:
        values = values.astype(dtype, copy=False)
    except (TypeError, ValueError) as exc:
        values = _numbers_with_nan(x_part, rows, dtype)
        if values is None:
            raise DataError(f"partition {i} of X holds values that are not numbers ({exc}).") \
                from None
    if not np.isfinite(values).all():
        raise DataError(
            f"partition {i} of X holds missing or infinite values, and this method computes "
            "on the numbers of every row: fill or drop them first."
        )
    return values


def _numbers_with_nan(x_part, rows, dtype):
    """Rows ``rows`` of a pandas partition as ``dtype``, its nullable columns' missing
    values (``pd.NA``, which numpy cannot convert) as NaN; ``None`` where some values are
    not numbers."""
    if not hasattr(x_part, "iloc"):
        return None
    try:
        part = x_part if rows is None else x_part.iloc[rows]
        return part.to_numpy(dtype=dtype, na_value=np.nan)
    except (TypeError, ValueError):
        return None


#: The level of a missing value (None, NaN, NA) in :meth:`Partitions.level_counts`.
MISSING = ("balancekit", "missing")


def level_key(value):
    """The key of a categorical value in :meth:`Partitions.level_counts`."""
    return MISSING if pd.isna(value) else value


def _level_counts(x_part, y_part, i, offset, columns):
    labels = labels_of(y_part, i, len(x_part))
    found = []
    for j in columns:
        values = x_part.iloc[:, j] if hasattr(x_part, "iloc") else x_part[:, j]
        pairs = pd.DataFrame({"level": np.asarray(values, dtype=object), "label": labels})
        counts = pairs.value_counts(dropna=False)
        found.append({(level_key(level), label): int(n)
                      for (level, label), n in counts.items()})
    return found


def _add_level_counts(first, second):
    merged = []
    for a, b in zip(first, second, strict=True):
        total = dict(a)
        for key, n in b.items():
            total[key] = total.get(key, 0) + n
        merged.append(total)
    return merged


def _first_rows(y_part, i, labels):
    """``{label: position of its first row}`` in a partition, for those of ``labels`` in it."""
    found = labels_of(y_part, i)
    return {label: int(np.argmax(found == label)) for label in labels
            if (found == label).any()}


def _keep_rows(x_part, y_part, i, classes, rows):
    labels = labels_of(y_part, i, len(x_part))
    keep = np.ones(len(x_part), dtype=bool)
    for label in classes:
        keep[labels == label] = False
    keep[rows] = True
    kept = np.flatnonzero(keep)
    return take(x_part, kept), take(y_part, kept)


def _drop_rows(x_part, y_part, i, rows):
    labels_of(y_part, i, len(x_part))  # the partition's labels, checked against its rows
    keep = np.ones(len(x_part), dtype=bool)
    keep[rows] = False
    kept = np.flatnonzero(keep)
    return take(x_part, kept), take(y_part, kept)


def _nearest_in_partition(x_part, y_part, i, offset, queries, k):
    """The ``k`` nearest rows of one partition to each query: distances, row numbers in
    the whole of ``X`` (``offset`` + position), labels."""
    labels = labels_of(y_part, i, len(x_part))
    values = numeric_rows(x_part, i, None, queries.dtype)
    k = min(k, values.shape[0])
    if k == 0:
        empty = np.empty((queries.shape[0], 0))
        return empty, empty.astype(np.int64), np.empty((queries.shape[0], 0), labels.dtype)
    # One thread: dask runs the partitions' searches side by side, one per worker (each on
    # every core, they fought over them: 35 s instead of 15 s, 2M rows on two cores).
    # BLAS is limited to one thread by the caller, from the main thread.
    dist, idx = kneighbors(values, k, query=queries, return_distance=True, n_jobs=1)
    return dist, idx.astype(np.int64) + offset, labels[idx]


def _merge_nearest(first, second, *, k):
    """The ``k`` nearest of two partial lists: by distance, then by row number."""
    dist, rows, labels = (np.concatenate([a, b], axis=1)
                          for a, b in zip(first, second, strict=True))
    order = np.lexsort((rows, dist), axis=1)[:, :k]
    return tuple(np.take_along_axis(a, order, axis=1) for a in (dist, rows, labels))


def _concat_labels(parts):
    if isinstance(parts[0], pd.Series):
        return _concat_pandas(parts)
    return np.concatenate(parts)


def _concat_pandas(parts):
    """``pd.concat`` of partitions, with categorical columns kept categorical where their
    categories differ from partition to partition (Parquet files read with unknown
    categories), as dask's own concatenation keeps them: their categories united, in the
    order they come in."""
    out = pd.concat(parts)
    if isinstance(out, pd.Series):
        united = None if _is_category(out) else _united_categories(parts)
        return out if united is None else pd.Series(united, index=out.index, name=out.name)
    for j, dtype in enumerate(parts[0].dtypes):
        if isinstance(dtype, pd.CategoricalDtype) and not _is_category(out.iloc[:, j]):
            united = _united_categories([part.iloc[:, j] for part in parts])
            if united is not None:
                out.isetitem(j, pd.Series(united, index=out.index, name=out.columns[j]))
    return out


def _is_category(series):
    return isinstance(series.dtype, pd.CategoricalDtype)


def _united_categories(columns):
    """The categorical columns ``columns`` as one, their categories united (``None`` where
    one is not categorical, or ordered categories differ: no order for their union)."""
    if not all(_is_category(column) for column in columns):
        return None
    try:
        return union_categoricals(columns)
    except TypeError:
        return None


def _from_blocks(parts, like, rows, meta=None):
    if isinstance(like, (dd.DataFrame, dd.Series)):
        return dd.from_delayed(parts, meta=like._meta if meta is None else meta,
                               verify_meta=False)
    shape_rest = like.shape[1:]
    arrays = [da.from_delayed(part, shape=(np.nan if rows is None else int(rows[i]),)
                              + shape_rest, dtype=like.dtype)
              for i, part in enumerate(parts)]
    return da.concatenate(arrays, axis=0, allow_unknown_chunksizes=True)

