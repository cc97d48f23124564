"""Containers in and out: numpy, scipy.sparse, pandas, polars (any narwhals frame).

The samplers compute on numpy arrays; this module reads the caller's container
and writes the result back as the same kind of object, with the same column
names and dtypes. Rows copied from the input keep their exact values; synthetic
values are cast to each column's dtype (integers rounded, booleans thresholded,
categories kept).
"""

import sys
import warnings

import narwhals.stable.v2 as nw
import numpy as np
import scipy.sparse as sp
from narwhals.dependencies import is_polars_lazyframe
from narwhals.exceptions import DuplicateError

from ._kernels import LazyColumns, LazyRows, SparseRows, stack_rows
from .exceptions import BalancekitWarning, DataError


def native_byte_order(X):
    """``X`` in the machine's byte order: a numpy array, or a pandas DataFrame whose numpy
    columns are; anything else, and data already in that order, as given (no copy).

    Big-endian data (FITS tables, ``np.frombuffer`` of network data) then computes as
    native data does: narwhals reads such pandas columns as of unknown type, pandas
    refuses to factorize them, and scikit-learn turns big-endian float32 into float64.

    Parameters
    ----------
    X : object
        The data: an array, a dataframe, labels, or anything else.

    Returns
    -------
    X : object
        ``X`` itself, or a copy in native byte order.
    """
    if isinstance(X, np.ndarray):
        return X if X.dtype.isnative else X.astype(X.dtype.newbyteorder("="))
    if nw.dependencies.is_pandas_dataframe(X):
        swapped = {name: dtype.newbyteorder("=") for name, dtype in X.dtypes.items()
                   if isinstance(dtype, np.dtype) and not dtype.isnative}
        if swapped:
            return X.astype(swapped)
    if nw.dependencies.is_pandas_series(X):
        dtype = X.dtype
        if isinstance(dtype, np.dtype) and not dtype.isnative:
            return X.astype(dtype.newbyteorder("="))
    return X


def same(out):
    """``out`` itself."""
    return out


def record_batch_as_table(X):
    """``(X, back)``: a pyarrow RecordBatch as a one-batch Table (narwhals reads Tables,
    not batches), and the function that makes the resampled Table a RecordBatch again;
    anything else as given, with a ``back`` that returns its argument."""
    pa = sys.modules.get("pyarrow")
    if pa is None or not isinstance(X, pa.RecordBatch):
        return X, same

    def back(table):
        if not isinstance(table, pa.Table):
            return table
        columns = [column.combine_chunks() for column in table.columns]
        return pa.RecordBatch.from_arrays(columns, schema=table.schema)

    return pa.Table.from_batches([X]), back


def as_frame(X):
    """Return ``X`` as a narwhals eager DataFrame, or ``None`` if it is not a dataframe.

    A table with a column name given twice, or a polars LazyFrame (not computed),
    is a :class:`DataError`.
    """
    if isinstance(X, (np.ndarray, list, tuple)) or sp.issparse(X):
        return None
    try:
        frame = nw.from_native(X, eager_only=True, pass_through=True)
    except DuplicateError:
        names = [str(name) for name in X.columns]
        repeated = sorted({name for name in names if names.count(name) > 1})
        raise DataError(
            f"X has duplicated column names {', '.join(map(repr, repeated[:5]))}; rename them "
            "so that every column can be told apart."
        ) from None
    if isinstance(frame, nw.DataFrame):
        return frame
    if is_polars_lazyframe(X):
        raise DataError(
            "X is a polars LazyFrame, a query not yet run; call X.collect() first to pass "
            "its rows."
        )
    return None


def as_series(y):
    """Return ``y`` as a narwhals Series, or ``None`` if it is not a series."""
    if isinstance(y, (np.ndarray, list, tuple)):
        return None
    series = nw.from_native(y, series_only=True, pass_through=True)
    return series if isinstance(series, nw.Series) else None


def column_kind(dtype):
    """Classify a narwhals dtype as 'integer', 'bool', 'float', 'categorical', 'temporal'
    (dates, times, durations) or 'other'."""
    if dtype.is_temporal():
        return "temporal"
    if dtype.is_integer():
        return "integer"
    if dtype == nw.Boolean:
        return "bool"
    if dtype.is_numeric():
        return "float"
    if dtype in (nw.Categorical, nw.String, nw.Enum) or isinstance(dtype, nw.Enum):
        return "categorical"
    if dtype == nw.Object:
        return "categorical"
    return "other"


def column_kinds(X):
    """Return ``{column name: kind}`` for a dataframe, or ``None`` for arrays.

    The kinds are :func:`column_kind`'s, except that pandas object and sparse
    columns holding numbers, dates or times take the kind of their values
    (:func:`object_number_kind`): the same rule for every sampler.
    """
    frame = as_frame(X)
    if frame is None:
        return None
    native = frame.to_native()
    return {name: object_number_kind(native, name) or column_kind(dtype)
            for name, dtype in frame.schema.items()}


def number_categories(X):
    """The names of the columns of the pandas frame ``X`` of a categorical dtype whose
    categories are numbers (``[]`` for anything else)."""
    if not nw.dependencies.is_pandas_dataframe(X):
        return []
    import pandas as pd

    return [name for name, dtype in X.dtypes.items()
            if isinstance(dtype, pd.CategoricalDtype) and dtype.categories.dtype.kind in "iuf"]


def temporal_advice(kinds, names):
    """A sentence on the columns of ``names`` that hold dates or times (kind 'temporal' in
    ``kinds``, as :func:`column_kinds` gives them), for an error about non-numeric columns;
    '' when there are none."""
    dates = [name for name in names if kinds[name] == "temporal"]
    if not dates:
        return ""
    one = len(dates) == 1
    return (
        f"{', '.join(map(repr, dates))} hold{'s' if one else ''} dates or times, which are "
        "neither numbers to compare or interpolate nor categories: leave "
        f"{'it' if one else 'them'} out (on the command line: --drop "
        f"{','.join(map(str, dates))}), or derive numbers (e.g. days since a start date) or "
        f"categories (e.g. the month) from {'it' if one else 'them'} first."
    )


def float32_values(X):
    """The values of a polars or pyarrow table whose columns are all float32, as a float32
    array (missing values as NaN); ``None`` for anything else.

    scikit-learn reads these tables as float64: twice the memory, and float64 arithmetic
    where an array or a pandas frame of the same values stays in float32.
    """
    frame = as_frame(X)
    if frame is None or nw.dependencies.is_pandas_dataframe(frame.to_native()):
        return None
    if not all(dtype == nw.Float32 for dtype in frame.schema.values()):
        return None
    return frame.to_numpy()


def object_number_kind(X, name):
    """'integer', 'float' or 'bool' when column ``name`` of the pandas frame ``X`` holds
    numbers in a dtype narwhals does not read as numeric: object (only such numbers,
    missing values allowed) or sparse (of a numeric subtype); 'temporal' for an object
    column of dates or times (as pandas reads Parquet's date32); else ``None``."""
    if not nw.dependencies.is_pandas_dataframe(X):
        return None
    import pandas as pd

    dtype = X[name].dtype
    if isinstance(dtype, pd.SparseDtype):
        return _array_kind(np.dtype(dtype.subtype)) if dtype.subtype.kind in "biuf" else None
    if not isinstance(dtype, np.dtype) or dtype.kind != "O":
        return None
    inferred = pd.api.types.infer_dtype(X[name], skipna=True)
    return {"integer": "integer", "boolean": "bool", "floating": "float",
            "mixed-integer-float": "float", "empty": "float", "decimal": "float",
            "date": "temporal",
            "datetime": "temporal", "datetime64": "temporal", "time": "temporal",
            "timedelta": "temporal", "timedelta64": "temporal"}.get(inferred)


def arrow_values(array):
    """The values of a pyarrow Array or ChunkedArray as a numpy array (a copy where needed),
    missing values as None (NaN for floats).

    A dictionary column is decoded first: pyarrow's conversion of a chunked dictionary
    column puts another value where a value is missing.
    """
    import pyarrow as pa

    if pa.types.is_dictionary(array.type):
        array = array.cast(array.type.value_type)
    return array.to_numpy(zero_copy_only=False)


def column_values(frame, j):
    """The values of column ``j`` of the narwhals frame ``frame`` as a numpy array."""
    native = frame.to_native()
    if frame.implementation.is_pyarrow():
        return arrow_values(native.column(int(j)))
    # By the native frame's names: narwhals builds its list of names anew on each call.
    return frame.get_column(native.columns[j]).to_numpy()


def to_numpy_2d(X):
    """Return a dense or sparse 2-D array view of ``X`` without type conversion."""
    frame = as_frame(X)
    if frame is not None and frame.implementation.is_pyarrow():
        native = frame.to_native()
        return np.column_stack([arrow_values(column) for column in native.columns])
    if frame is not None:
        return frame.to_numpy()
    if sp.issparse(X):
        return X
    return np.asarray(X)


def n_rows(X):
    frame = as_frame(X)
    if frame is not None:
        return frame.shape[0]
    return X.shape[0] if hasattr(X, "shape") else len(X)


def _cast_values(values, kind, dtype=None, name=None):
    """Prepare synthetic values for a column of the given kind (and ``dtype``).

    Integers are rounded to the nearest value and kept inside the range of
    ``dtype`` (a numpy or narwhals integer dtype), so that a value near the
    limit never wraps around. They are computed in float64: exact up to 2**53;
    beyond, a warning names the column (``name``, where known): its new values
    are only as exact as float64 (identifiers such as 2**63 + 5 all become 2**63).
    """
    values = np.asarray(values)
    if kind == "integer":
        rounded = np.rint(values.astype(np.float64))
        column = "a column" if name is None else f"column {name!r}"
        bounds = None if getattr(dtype, "kind", None) == "O" else _integer_bounds(dtype)
        # The type's largest value, as float64 rounds it (2**64 - 1 is 2**64): a value there
        # is the float64 rounding of values near the limit, not out of range.
        top = None if bounds is None else np.nextafter(bounds[1], np.inf)
        if bounds is not None and rounded.size and (
                rounded.min() < bounds[0] or rounded.max() > top):
            # Interpolation stays within the values a column holds; noise added to copies
            # (RandomOverSampler's shrinkage) may not.
            warnings.warn(
                f"new values of {column} fall outside the range of its type {dtype} and are "
                "set to its limits: noise far larger than the column's values (a "
                "RandomOverSampler shrinkage much above 1) makes such values.",
                BalancekitWarning,
                stacklevel=2,
            )
        elif rounded.size and np.abs(rounded).max() > _EXACT_INTEGERS:
            warnings.warn(
                f"{column} holds integers beyond 2**53, which the new rows' values, computed "
                "in float64, hold only to the nearest float64 (2**63 + 5 is 2**63). If it is "
                "an identifier, drop it before resampling.",
                BalancekitWarning,
                stacklevel=2,
            )
        if getattr(dtype, "kind", None) == "O":
            return rounded.astype(np.int64).astype(object)  # a column of Python ints
        if bounds is None:
            return rounded
        at_top = rounded > bounds[1]
        clipped = np.clip(rounded, *bounds, out=rounded)
        info = _integer_info(dtype)
        if not at_top.any() or bounds[1] == float(info.max):
            return clipped
        # The largest float64 below 2**64 (or 2**63) is 2048 (1024) below the type's largest
        # value, itself beyond float64: such values are the largest value, in the type.
        exact = clipped.astype(info.dtype)
        exact[at_top] = info.max
        return exact
    if kind == "bool":
        return values.astype(np.float64) >= 0.5 if values.dtype.kind in "fiu" else values
    return values


def written_kinds(X):
    """How each column of ``X`` (the container an output is built from, as
    :func:`take_x` gets it) holds a new value computed in floats: a list of ``(kind,
    bounds)``, kind ``'integer'`` (rounded, kept within ``bounds``) or ``'bool'`` (0.5 and
    above is True); None when every column holds the values as computed."""
    frame = as_frame(X)
    if frame is not None:
        native, schema = frame.to_native(), frame.schema
        kinds = [(object_number_kind(native, name) or column_kind(dtype),
                  _integer_bounds(dtype)) for name, dtype in schema.items()]
    else:
        dtype = X.dtype if hasattr(X, "dtype") else np.asarray(X).dtype
        kinds = [(_array_kind(dtype), _integer_bounds(dtype))] * X.shape[1]
    if not any(kind in ("integer", "bool") for kind, _ in kinds):
        return None
    return kinds


def as_written(block, kinds):
    """Set the float rows ``block`` (an array, or a sparse matrix: one dtype, so one kind)
    in place to the values the columns of :func:`written_kinds` ``kinds`` will hold
    (without the warnings of :func:`take_x`)."""
    if kinds is None:
        return
    if sp.issparse(block):
        block.data[:] = _written(block.data, *kinds[0])
        return
    for j, (kind, bounds) in enumerate(kinds):
        block[:, j] = _written(block[:, j], kind, bounds)


def _written(values, kind, bounds):
    if kind == "integer":
        rounded = np.rint(values)
        # Up to the float64 rounding of the type's largest value, which take_x writes as
        # that value (:func:`_cast_values`).
        return rounded if bounds is None else np.clip(
            rounded, bounds[0], np.nextafter(bounds[1], np.inf), out=rounded)
    if kind == "bool":
        return values >= 0.5
    return values


# Integers that float64 holds exactly: every whole number up to 2**53 in magnitude.
_EXACT_INTEGERS = 2.0**53


def _integer_info(dtype):
    """``np.iinfo`` of an integer ``dtype`` (numpy, pandas or narwhals), or None."""
    if dtype is None:
        return None
    try:
        return np.iinfo(np.dtype(getattr(dtype, "numpy_dtype", None) or str(dtype).lower()))
    except (TypeError, ValueError):
        return None


def _integer_bounds(dtype):
    """The smallest and largest float64 values that fit an integer ``dtype`` (or None)."""
    info = _integer_info(dtype)
    if info is None:
        return None
    high = float(info.max)
    if high > info.max:  # 2**63 and 2**64 do not fit: the float64 just below them
        high = np.nextafter(high, 0.0)
    return float(info.min), high


def take_x(X, indices, synthetic=None):
    """Rows ``indices`` of ``X`` followed by the synthetic rows, in ``X``'s container.

    Parameters
    ----------
    X : ndarray, sparse matrix, list or dataframe
        The caller's input, as given.
    indices : ndarray of int or None
        Rows of ``X`` to copy, in output order (``None``: every row, in order).
    synthetic : None, 2-D ndarray, sparse matrix, list of 1-D arrays, LazyColumns, LazyRows or
        SparseRows
        New rows appended after the copied ones: a numeric block with one column
        per feature, one array per column (mixed types), columns computed one at
        a time as they are written, or rows written straight into the output.
    """
    frame = as_frame(X)
    dense = frame is None and not sp.issparse(X)
    pandas = frame is not None and nw.dependencies.is_pandas_dataframe(frame.to_native())
    if (isinstance(synthetic, SparseRows) or sp.issparse(synthetic)) and frame is not None:
        # A table of sparse columns (read as a sparse matrix): its new columns are
        # made dense one at a time, and cast back to each column's sparse dtype.
        new = synthetic.tocsr().tocsc()
        synthetic = LazyColumns(new.shape[0], [
            lambda j=j: new[:, j].toarray().ravel() for j in range(new.shape[1])])
    if isinstance(synthetic, LazyRows) and pandas and all(
            dtype == synthetic.dtype for dtype in frame.to_native().dtypes):
        # One numeric block of the rows' dtype: they are written straight into it.
        return _pandas_columns(frame, indices, synthetic)
    if isinstance(synthetic, LazyRows) and not (dense and np.asarray(X).dtype == synthetic.dtype):
        # Column-major for frames: each new column is contiguous, and polars and pyarrow
        # wrap such a column without copying it.
        synthetic = synthetic.toarray(order="F" if frame is not None else "C")
    if synthetic is not None and pandas:
        return _pandas_columns(frame, indices, synthetic)
    if isinstance(synthetic, LazyColumns) and not dense:
        synthetic = list(synthetic)
    if frame is not None:
        return _take_frame(frame, indices, synthetic)
    if sp.issparse(X):
        # Rows are taken in CSR/CSC (COO, DIA, BSR cannot be indexed); the output is in X's
        # format and class (sparse matrix or sparse array).
        source = X if X.format in ("csr", "csc") else X.tocsr()
        if synthetic is None:
            taken = source.copy() if indices is None else source[indices]
            return taken.asformat(X.format)
        # Stacking makes the output: the rows kept need no copy of their own first.
        taken = source if indices is None else source[indices]
        kind = _array_kind(X.dtype)
        if isinstance(synthetic, SparseRows):
            stacked = stack_rows(taken, synthetic)
            if kind in ("integer", "bool"):  # the rows taken are already whole: unchanged
                stacked.data = _cast_values(stacked.data, kind, X.dtype)
                stacked.eliminate_zeros()  # new values rounded (or thresholded) to 0
            return type(X)(stacked.astype(X.dtype, copy=False).asformat(X.format))
        new = sp.csr_matrix(synthetic)
        if kind in ("integer", "bool"):
            new.data = _cast_values(new.data, kind, X.dtype)
            new.eliminate_zeros()
        out = sp.vstack([taken, type(source)(new, dtype=X.dtype)], format=X.format)
        # scipy < 1.12 stacks sparse arrays into a sparse matrix: give X's class back.
        return out if type(out) is type(X) else type(X)(out)
    X = np.asarray(X)
    if synthetic is None:
        return X.copy() if indices is None else np.take(X, indices, axis=0)
    n_taken = X.shape[0] if indices is None else len(indices)
    n_new = len(synthetic[0]) if isinstance(synthetic, list) else synthetic.shape[0]
    # One output array, filled in place: the copied rows, then the new ones.
    dtype = X.dtype
    if dtype.kind in "US":
        # Text: the new rows first, as text as wide as their longest value (categories
        # taken from X fit X's width; numbers held as text may need more).
        synthetic = _as_text(synthetic, n_new, X.shape[1], dtype.kind)
        dtype = np.promote_types(dtype, synthetic.dtype)
    out = np.empty((n_taken + n_new, X.shape[1]), dtype=dtype)
    if indices is None:
        out[:n_taken] = X
    elif out.dtype == X.dtype:
        np.take(X, indices, axis=0, out=out[:n_taken], mode="clip")  # unbuffered: ours
    else:  # text widened for the new rows: take cannot write into another dtype
        out[:n_taken] = np.take(X, indices, axis=0)
    new = out[n_taken:]
    kind = _array_kind(X.dtype)
    if isinstance(synthetic, LazyRows):
        synthetic.write(new)
    elif isinstance(synthetic, (list, LazyColumns)):
        for j, col in enumerate(synthetic):
            new[:, j] = _cast_values(col, kind, X.dtype)
    else:
        new[...] = _cast_values(synthetic, kind, X.dtype)
    return out


def _as_text(synthetic, n_rows, n_columns, kind):
    """The new rows ``synthetic`` (any form :func:`take_x` takes) as one 2-D array of text of
    numpy kind ``kind`` ('U' or 'S'), no wider than its longest value."""
    if isinstance(synthetic, LazyRows):
        values = np.empty((n_rows, n_columns))
        synthetic.write(values)
        synthetic = values
    if not isinstance(synthetic, (list, LazyColumns)):
        synthetic = np.asarray(synthetic).T
    text = np.column_stack([np.asarray(column).astype(kind) for column in synthetic])
    return text.astype(f"{kind}{max(int(np.char.str_len(text).max(initial=1)), 1)}")


def _array_kind(dtype):
    if dtype.kind in "iu":
        return "integer"
    if dtype.kind == "b":
        return "bool"
    return "float" if dtype.kind in "fc" else "other"


def _pandas_columns(frame, indices, synthetic):
    """Rows ``indices`` of a pandas frame followed by the new rows, built column by column.

    Each run of adjacent columns of one numeric numpy dtype is one column-major array that
    the copied and the new values are written into (the frame wraps it without a copy); any
    other column is built on its own. So the new rows are never held twice, and the output
    has as few blocks as the input's runs.
    """
    import pandas as pd

    native = frame.to_native()
    schema = frame.schema
    n_taken = len(native) if indices is None else len(indices)
    n_new = synthetic.shape[0] if hasattr(synthetic, "shape") else len(synthetic[0])
    if isinstance(synthetic, LazyRows):
        new_columns = None
    elif isinstance(synthetic, (list, LazyColumns)):
        new_columns = iter(synthetic)  # computed one at a time as they are written
    else:
        new_columns = (synthetic[:, j] for j in range(synthetic.shape[1]))
    dtypes = list(native.dtypes)
    pieces, start = [], 0
    while start < len(dtypes):
        dtype = dtypes[start]
        stop = start + 1
        numeric = isinstance(dtype, np.dtype) and dtype.kind in "biuf"
        while numeric and stop < len(dtypes) and dtypes[stop] == dtype:
            stop += 1
        names = native.columns[start:stop]
        if numeric:
            out = np.empty((n_taken + n_new, stop - start), dtype, order="F")
            for j in range(start, stop):  # column by column: no copy of the whole input
                column = native.iloc[:, j].to_numpy()
                if indices is None:
                    out[:n_taken, j - start] = column
                else:
                    np.take(column, indices, out=out[:n_taken, j - start], mode="clip")
                if new_columns is not None:
                    out[n_taken:, j - start] = _cast_values(next(new_columns),
                                                            _array_kind(dtype), dtype, names[j - start])
            if new_columns is None:
                synthetic.write(out[n_taken:])
            pieces.append(pd.DataFrame(out, columns=names, copy=False))
        else:  # one column of its own kind (text, categories, nullable numbers, objects)
            name = names[0]
            column = native.iloc[:, start]
            taken = column if indices is None else column.take(indices)
            values = _cast_values(next(new_columns),
                                  object_number_kind(native, name) or column_kind(schema[name]),
                                  dtype, name)
            if isinstance(dtype, pd.DatetimeTZDtype):
                # Values read as UTC without a zone, or (narwhals, for some zones) as
                # stamps with their zone: both to UTC, then to the column's zone.
                new = pd.Series(pd.to_datetime(values, utc=True)).astype(dtype)
            elif getattr(dtype, "kind", None) == "O" and pd.api.types.infer_dtype(column, skipna=True) == "decimal":
                new = pd.Series(_as_decimals(values, column), dtype=object)
            else:
                new = pd.Series(values).astype(dtype)
            pieces.append(pd.concat([taken, new], ignore_index=True).to_frame(name))
        start = stop
    # pandas 3 concatenates without copying; before, only when told to.
    no_copy = {"copy": False} if int(pd.__version__.split(".")[0]) < 3 else {}
    out = pieces[0] if len(pieces) == 1 else pd.concat(pieces, axis=1, **no_copy)
    out.columns = native.columns
    return out


def _take_frame(frame, indices, synthetic):
    """Rows ``indices`` of a frame followed by the new rows (pandas frames with new rows go
    through :func:`_pandas_columns`)."""
    native = frame.to_native()
    if indices is None and synthetic is None:
        indices = np.arange(len(frame))  # a copy, never the caller's frame itself
    if indices is None:
        taken = frame
    else:
        taken = frame[indices] if len(indices) else frame.head(0)
    if synthetic is None:
        # Only input rows: they keep their index labels (pandas), so that
        # ``df.loc[X_res.index]`` finds them in the caller's table.
        return taken.to_native()
    schema = frame.schema
    columns = list(schema)
    if isinstance(synthetic, list):
        arrays = synthetic
    else:
        arrays = [synthetic[:, j] for j in range(synthetic.shape[1])]
    data = {
        name: _cast_values(values, object_number_kind(native, name) or column_kind(schema[name]),
                           schema[name], name)
        for name, values in zip(columns, arrays, strict=True)
    }
    backend = nw.get_native_namespace(frame)
    new = nw.from_dict(
        {name: _python_values(values) for name, values in data.items()}, backend=backend
    )
    new = new.with_columns(*[nw.col(name).cast(dtype) for name, dtype in schema.items()])
    new = new.select(columns)
    if nw.dependencies.is_pyarrow_table(native):
        # pyarrow concatenates identical schemas only, and narwhals' casts do not always
        # give the input's exact types (dictionaries get uint32 indices, pandas' int32).
        import pyarrow as pa

        taken = taken.to_native()
        return pa.concat_tables([taken, new.to_native().cast(taken.schema)])
    return nw.concat([taken, new]).to_native()


def _as_decimals(values, column):
    """The float ``values`` as :class:`decimal.Decimal` at the finest place the decimals of
    ``column`` are written to (``12.30`` and ``4.5``: hundredths), as a Parquet decimal
    column keeps its scale; NaN stays NaN."""
    from decimal import Decimal, localcontext

    places = min((value.as_tuple().exponent for value in column.dropna()
                  if value.is_finite()), default=0)
    floats = np.asarray(values, dtype=np.float64).tolist()
    if places < -17:
        # Decimals of floats (Decimal(0.1) has 55 places): no scale to keep, the value of
        # each float as written (17 significant digits at most).
        return [Decimal(repr(v)) if np.isfinite(v) else v for v in floats]
    step = Decimal(1).scaleb(places)
    with localcontext() as context:
        context.prec = 400  # room for 1e300 to 17 places
        return [Decimal(repr(v)).quantize(step) if np.isfinite(v) else v for v in floats]


def _python_values(values):
    # Object arrays of mixed Python scalars pass through as lists; numbers stay arrays.
    return values.tolist() if values.dtype.kind == "O" else values


def free_name(columns, name="__balancekit_label__"):
    """``name``, with underscores around it until no name of ``columns`` is the same: a
    column of one's own beside a table's (its labels, say)."""
    while name in columns:
        name = f"_{name}_"
    return name


def label_dtype(dtype, values):
    """A dtype that holds the labels ``values`` exactly: ``dtype`` when it does, else one
    that holds both ``dtype``'s labels and ``values`` (``object`` across kinds)."""
    if values.dtype == dtype or dtype.kind == "O":
        return dtype
    try:
        with np.errstate(all="ignore"):
            exact = bool(np.array_equal(values.astype(dtype), values))
    except (TypeError, ValueError, OverflowError):
        exact = False
    if exact:
        return dtype
    kinds = {dtype.kind, values.dtype.kind}
    if kinds <= set("biuf") or kinds <= set("US"):
        return np.promote_types(dtype, values.dtype)
    return np.dtype(object)


def _categories_hold(series, values):
    """Whether the categories of the narwhals ``series`` (a pandas categorical, a polars
    Enum: a fixed set) hold every label of ``values``; True for any other dtype."""
    native = series.to_native()
    categories = None
    if nw.dependencies.is_pandas_series(native):
        categories = getattr(native.dtype, "categories", None)
    elif series.dtype == nw.Enum:
        categories = series.dtype.categories
    if categories is None:
        return True
    return bool(np.isin(values, np.asarray(list(categories), dtype=object)).all())


def take_y(y, y_array, indices, y_synthetic=None, origin=None):
    """Labels ``indices`` of ``y`` (``None``: all) followed by the synthetic labels
    (``None``: those of the rows ``origin``), in ``y``'s container: in ``y``'s dtype, or
    where the synthetic labels do not fit it (a :class:`FunctionSampler`'s new labels), in
    one that holds them (:func:`label_dtype`)."""
    n_kept = y_array.shape[0] if indices is None else len(indices)
    n_new = len(y_synthetic) if y_synthetic is not None else 0 if origin is None else len(origin)
    dtype = (y_array.dtype if y_synthetic is None
             else label_dtype(y_array.dtype, np.asarray(y_synthetic)))
    kept = dtype == y_array.dtype
    # One array, filled in place (no copies of the labels to concatenate); mode="clip"
    # takes unbuffered (the row numbers are ours).
    new = np.empty(n_kept + n_new, dtype=dtype)
    if indices is None:
        new[:n_kept] = y_array
    elif kept:
        np.take(y_array, indices, out=new[:n_kept], mode="clip")
    else:  # take writes only into its own dtype
        new[:n_kept] = y_array[indices]
    if y_synthetic is not None:
        new[n_kept:] = y_synthetic
    elif origin is not None:
        np.take(y_array, origin, out=new[n_kept:], mode="clip")
    series = as_series(y)
    if series is None:
        return new
    native = series.to_native()
    if kept and y_synthetic is not None:
        kept = _categories_hold(series, np.asarray(y_synthetic))
    if nw.dependencies.is_pandas_series(native):
        import pandas as pd

        if y_synthetic is None and origin is None:
            # Only input rows: their index labels are kept, as in take_x.
            return native.copy() if indices is None else native.iloc[indices]
        out = pd.Series(new, name=native.name)
        if kept:
            return out.astype(native.dtype)
        if isinstance(native.dtype, pd.CategoricalDtype) and not native.dtype.ordered:
            # New labels as new categories, after the old ones (an order has no place
            # for them).
            added = pd.unique(out[~out.isin(native.dtype.categories)])
            return out.astype(pd.CategoricalDtype(
                native.dtype.categories.append(pd.Index(added)), ordered=False))
        return out
    if kept and nw.dependencies.is_pyarrow_chunked_array(native):
        import pyarrow as pa

        if pa.types.is_dictionary(native.type):
            # Built here: pyarrow < 26 gives pa.array(values, type=<a dictionary type>) int32
            # indices whatever the type asks, and narwhals' new_series then fails ("Array
            # chunks must all be same type").
            out = pa.array(_python_values(new), type=native.type.value_type).dictionary_encode()
            return pa.chunked_array([out if out.type == native.type else out.cast(native.type)])
    backend = nw.get_native_namespace(series)
    out = nw.new_series(series.name, _python_values(new), series.dtype if kept else None,
                        backend=backend)
    out = out.to_native()
    if kept and nw.dependencies.is_pyarrow_chunked_array(native) and out.type != native.type:
        out = out.cast(native.type)  # narwhals gives dictionaries uint32 indices
    return out


def split_target(y):
    """The labels of ``y`` as one column, and the function that gives resampled labels
    back in ``y``'s layout.

    A list gives back a list, a pyarrow Array an Array; a one-column table gives its column and back a
    one-column table; a one-hot array or table (one 1 per row, as scikit-learn's
    ``label_binarize`` makes) gives the position of each row's 1 as its label, and
    back one-hot rows of the same columns and dtype (a pandas table's codes are a
    Series under its index); the function then has a ``columns`` attribute, the
    columns whose positions are the classes. Anything else is returned as is (and
    checked by :func:`~balancekit._validation.check_target`).
    """
    if isinstance(y, list):
        return y, lambda out: out.tolist()
    pa = sys.modules.get("pyarrow")
    if pa is not None and isinstance(y, pa.Array):
        # Resampled as a one-chunk ChunkedArray (a series to narwhals), given back as an Array.
        return pa.chunked_array([y]), lambda out: out.combine_chunks()
    frame = as_frame(y)
    if frame is not None and frame.shape[1] == 1:
        name = frame.columns[0]
        return frame.get_column(name).to_native(), lambda out: nw.from_native(
            out, series_only=True).to_frame().to_native()
    if sp.issparse(y) and y.ndim == 1:  # a 1-D sparse array of labels: its values
        return y.toarray(), lambda out: out
    sparse = sp.issparse(y) and y.ndim == 2  # one-hot rows, as LabelBinarizer(sparse_output)
    if frame is None and not sparse and getattr(y, "ndim", 1) != 2:
        return y, lambda out: out  # labels (a Series, a 1-D array) are not converted here
    values = (frame.to_numpy() if frame is not None
              else y.toarray() if sparse else np.asarray(y))
    columns = list(range(values.shape[-1])) if frame is None else list(frame.columns)
    if (values.dtype == object and frame is not None
            and all(dtype == nw.Boolean for dtype in frame.schema.values())):
        # pandas' nullable booleans come out as objects (a missing value as pd.NA).
        _refuse_missing(columns, frame.select(nw.all().is_null()).to_numpy())
        values = values.astype(bool)
    if values.ndim != 2 or values.shape[1] < 2 or values.dtype.kind not in "biuf":
        return values if sparse else y, lambda out: out
    ones = values == 1
    zeros = values == 0
    if not (ones | zeros).all():
        if values.dtype.kind == "f" and (ones | zeros | np.isnan(values)).all():
            _refuse_missing(columns, np.isnan(values))  # a nullable integer table's NA
        return values if sparse else y, lambda out: out
    per_row = ones.sum(axis=1)
    if (per_row != 1).any():
        row = int(np.flatnonzero(per_row != 1)[0])
        raise DataError(
            f"y is a 0/1 table of {values.shape[1]} columns, but row {row} has "
            f"{int(per_row[row])} ones: balancekit resamples one class per row (a one-hot "
            "table has exactly one 1 per row); multilabel targets are not supported."
        )
    codes = ones.argmax(axis=1)
    native = None if frame is None else frame.to_native()
    pandas = nw.dependencies.is_pandas_dataframe(native)
    if pandas:
        # A Series of the codes under the table's index: rows only selected keep their index
        # labels, as for a Series y.
        import pandas as pd

        codes = pd.Series(codes, index=native.index)

    def one_hot(out):
        rows = np.zeros((len(out), values.shape[1]), dtype=values.dtype)
        rows[np.arange(len(out)), np.asarray(out, dtype=np.intp)] = 1
        if sparse:  # y's format and class
            return type(y)(sp.csr_matrix(rows).asformat(y.format))
        if frame is None:
            return rows
        if pandas:  # the columns' own dtypes (nullable Int64 stays Int64)
            return pd.DataFrame(rows, columns=native.columns, index=getattr(out, "index", None)).astype(
                native.dtypes.to_dict())
        backend = nw.get_native_namespace(frame)
        return nw.from_dict({name: rows[:, j] for j, name in enumerate(frame.columns)},
                            schema=frame.schema, backend=backend).to_native()

    one_hot.columns = columns
    return codes, one_hot


def _refuse_missing(columns, missing):
    """Refuse a one-hot ``y`` with a missing value (``missing``: a mask of its cells)."""
    if missing.any():
        row, column = (int(i[0]) for i in np.nonzero(missing))
        raise DataError(
            f"y is a one-hot table with a missing value (row {row}, column {columns[column]!r}); "
            "every row needs its class: fill or drop the rows without one."
        )


def match_index(X_out, y_out):
    """``y_out`` under the index of ``X_out`` when both are pandas objects: the labels
    follow the rows of X, whatever index ``y`` came with."""
    if (nw.dependencies.is_pandas_dataframe(X_out)
            and (nw.dependencies.is_pandas_series(y_out)
                 or nw.dependencies.is_pandas_dataframe(y_out))
            and len(y_out) == len(X_out) and not y_out.index.equals(X_out.index)):
        return y_out.set_axis(X_out.index, axis=0)
    return y_out
