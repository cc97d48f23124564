"""Containers in and out: rows taken and synthetic rows appended keep the caller's types."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from balancekit import _frames
from balancekit._frames import column_kinds, take_x, take_y
from balancekit.exceptions import BalancekitWarning

from .conftest import traced_peak

BIG = 2**53 + 1  # not representable as a float64: must never go through floats


def _is_pandas(lib):
    return lib.__name__ == "pandas"


def _mixed_frame(lib):
    """Five rows of every column kind the frames layer knows."""
    if _is_pandas(lib):
        pd = lib
        return pd.DataFrame(
            {
                "count": np.array([1, 2, 3, BIG, 5], dtype=np.int64),
                "small": np.array([1, 2, 3, 4, 5], dtype=np.int16),
                "score": np.array([0.5, 1.25, 2.0, 0.1 + 0.2, 3.0], dtype=np.float32),
                "flag": [True, False, True, False, True],
                # 'zz' is an unused category: it must survive.
                "shop": pd.Categorical(list("abaab"), categories=["a", "b", "zz"]),
                "city": pd.array(["x", "y", "x", "y", "x"], dtype="string"),
                "note": ["p", "q", "p", "q", "p"],
                "maybe": pd.array([1, None, 3, 4, 5], dtype="Int64"),
            },
            index=[10, 11, 12, 13, 14],
        )
    pl = lib
    return pl.DataFrame(
        {
            "count": pl.Series([1, 2, 3, BIG, 5], dtype=pl.Int64),
            "small": pl.Series([1, 2, 3, 4, 5], dtype=pl.Int16),
            "score": pl.Series([0.5, 1.25, 2.0, 0.1 + 0.2, 3.0], dtype=pl.Float32),
            "flag": [True, False, True, False, True],
            "shop": pl.Series(list("abaab"), dtype=pl.Enum(["a", "b", "zz"])),
            "city": pl.Series(["x", "y", "x", "y", "x"], dtype=pl.Categorical),
            "note": ["p", "q", "p", "q", "p"],
            "maybe": pl.Series([1, None, 3, 4, 5], dtype=pl.Int64),
        }
    )


def _dtypes(frame):
    if hasattr(frame, "schema"):
        return list(frame.schema.values())
    return list(frame.dtypes)


def _values(frame, name):
    return frame[name].to_list() if hasattr(frame[name], "to_list") else frame[name].tolist()


def _synthetic_columns():
    """Two synthetic rows, one array per column (as SMOTENC produces them)."""
    return [
        np.array([2.6, 4.4]),  # count: rounded to 3 and 4
        np.array([-0.6, 1.5000001]),  # small: rounded to -1 and 2
        np.array([0.3, 1.75]),  # score
        np.array([0.7, 0.2]),  # flag: thresholded at 0.5
        np.array(["b", "a"], dtype=object),  # shop
        np.array(["y", "x"], dtype=object),  # city
        np.array(["q", "q"], dtype=object),  # note
        np.array([2.5001, 7.9]),  # maybe: rounded to 3 and 8
    ]


def test_column_kinds(frame_lib):
    kinds = column_kinds(_mixed_frame(frame_lib))
    assert kinds == {
        "count": "integer",
        "small": "integer",
        "score": "float",
        "flag": "bool",
        "shop": "categorical",
        "city": "categorical",
        "note": "categorical",
        "maybe": "integer",
    }
    assert column_kinds(np.zeros((2, 2))) is None


def test_rows_taken_keep_names_dtypes_and_exact_values(frame_lib):
    frame = _mixed_frame(frame_lib)
    rows = np.array([3, 0, 3, 1])
    out = take_x(frame, rows)
    assert type(out) is type(frame)
    assert list(out.columns) == list(frame.columns)
    assert _dtypes(out) == _dtypes(frame)
    for name in frame.columns:
        expected = _values(frame, name)
        assert _values(out, name) == [expected[i] for i in rows], name
    assert _values(out, "count")[0] == BIG
    if _is_pandas(frame_lib):
        assert list(out["shop"].cat.categories) == ["a", "b", "zz"]
        # Copied rows keep their index labels, so that they can be found in the input.
        labelled = frame.set_axis([f"r{i}" for i in range(len(frame))], axis=0)
        out = take_x(labelled, rows)
        assert list(out.index) == ["r3", "r0", "r3", "r1"]
        frame_lib.testing.assert_frame_equal(labelled.loc[out.index[:2]], out.iloc[:2])


def test_synthetic_rows_are_cast_to_each_column(frame_lib):
    frame = _mixed_frame(frame_lib)
    rows = np.array([4, 3])
    out = take_x(frame, rows, _synthetic_columns())
    assert type(out) is type(frame)
    assert list(out.columns) == list(frame.columns)
    assert _dtypes(out) == _dtypes(frame)
    assert out.shape == (4, frame.shape[1])
    # The copied rows come first, unchanged.
    for name in frame.columns:
        expected = _values(frame, name)
        assert _values(out, name)[:2] == [expected[i] for i in rows], name
    # Integers rounded to the nearest value (2.6 -> 3, not truncated to 2).
    assert _values(out, "count")[2:] == [3, 4]
    assert _values(out, "small")[2:] == [-1, 2]
    assert _values(out, "maybe")[2:] == [3, 8]
    assert _values(out, "flag")[2:] == [True, False]
    np.testing.assert_allclose(_values(out, "score")[2:], [0.3, 1.75], rtol=1e-6)
    assert _values(out, "shop")[2:] == ["b", "a"]
    assert _values(out, "city")[2:] == ["y", "x"]
    assert _values(out, "note")[2:] == ["q", "q"]
    if _is_pandas(frame_lib):
        assert list(out.index) == [0, 1, 2, 3]
        assert list(out["shop"].cat.categories) == ["a", "b", "zz"]
    else:
        assert out.schema["shop"] == frame_lib.Enum(["a", "b", "zz"])


def test_numeric_block_of_synthetic_rows(frame_lib):
    X = np.array([[1.0, 10.0, 0.0], [2.0, 20.0, 1.0], [3.0, 30.0, 1.0]])
    if _is_pandas(frame_lib):
        frame = frame_lib.DataFrame(
            {"a": X[:, 0], "n": X[:, 1].astype(np.int32), "b": X[:, 2].astype(bool)}
        )
    else:
        frame = frame_lib.DataFrame(
            {
                "a": X[:, 0],
                "n": frame_lib.Series(X[:, 1]).cast(frame_lib.Int32),
                "b": X[:, 2].astype(bool),
            }
        )
    out = take_x(frame, np.arange(3), np.array([[1.5, 12.6, 0.4], [2.5, 29.5000001, 0.9]]))
    assert _dtypes(out) == _dtypes(frame)
    assert _values(out, "a") == [1.0, 2.0, 3.0, 1.5, 2.5]
    assert _values(out, "n") == [10, 20, 30, 13, 30]
    assert _values(out, "b") == [False, True, True, False, True]


def test_empty_synthetic_block(frame_lib):
    frame = _mixed_frame(frame_lib)
    empty = [np.empty(0, dtype=c.dtype) for c in _synthetic_columns()]
    out = take_x(frame, np.array([2, 0]), empty)
    assert out.shape == (2, frame.shape[1])
    assert _dtypes(out) == _dtypes(frame)
    assert _values(out, "note") == ["p", "p"]
    none = take_x(frame, np.array([], dtype=np.intp), empty)
    assert none.shape == (0, frame.shape[1])
    assert _dtypes(none) == _dtypes(frame)


def test_y_keeps_name_and_dtype(frame_lib):
    if _is_pandas(frame_lib):
        pd = frame_lib
        series = [
            pd.Series(np.array([0, 1, 1, 0], dtype=np.int8), name="label", index=[7, 8, 9, 6]),
            pd.Series(pd.Categorical(list("abba"), categories=["a", "b", "c"]), name="label"),
            pd.Series(list("abba"), name="label"),
        ]
    else:
        pl = frame_lib
        series = [
            pl.Series("label", [0, 1, 1, 0], dtype=pl.Int8),
            pl.Series("label", list("abba"), dtype=pl.Enum(["a", "b", "c"])),
            pl.Series("label", list("abba"), dtype=pl.Categorical),
            pl.Series("label", list("abba")),
        ]
    for y in series:
        y_array = y.to_numpy()
        out = take_y(y, y_array, np.array([3, 1]), y_array[[2]])
        assert type(out) is type(y)
        assert out.name == "label"
        assert out.dtype == y.dtype
        values = out.to_list() if hasattr(out, "to_list") else out.tolist()
        original = y.to_list() if hasattr(y, "to_list") else y.tolist()
        assert values == [original[3], original[1], original[2]]
        if _is_pandas(frame_lib):
            assert list(out.index) == [0, 1, 2]
        empty = take_y(y, y_array, np.array([0]), y_array[:0])
        assert empty.dtype == y.dtype and len(empty) == 1
        # Only input rows: the same values, and for pandas the same index labels.
        kept = take_y(y, y_array, np.array([3, 1]))
        assert type(kept) is type(y) and kept.dtype == y.dtype and kept.name == "label"
        kept_values = kept.to_list() if hasattr(kept, "to_list") else kept.tolist()
        assert kept_values == [original[3], original[1]]
        if _is_pandas(frame_lib):
            assert list(kept.index) == [y.index[3], y.index[1]]


def test_pandas_categorical_y_keeps_unused_categories():
    pd = pytest.importorskip("pandas")
    y = pd.Series(
        pd.Categorical(["lo", "hi", "lo"], categories=["lo", "mid", "hi"], ordered=True),
        name="risk",
    )
    out = take_y(y, y.to_numpy(), np.array([0, 1]), np.array(["hi"], dtype=object))
    assert out.dtype == y.dtype
    assert list(out.cat.categories) == ["lo", "mid", "hi"] and out.cat.ordered
    assert out.tolist() == ["lo", "hi", "hi"]


def test_numpy_arrays():
    X_int = np.array([[1, 2], [3, 4], [5, 6]], dtype=np.int32)
    out = take_x(X_int, np.array([2, 0]), np.array([[2.6, 3.49], [-0.7, 5.5000001]]))
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, [[5, 6], [1, 2], [3, 3], [-1, 6]])

    X_bool = np.array([[True, False], [False, True]])
    out = take_x(X_bool, np.array([1]), np.array([[0.51, 0.49]]))
    assert out.dtype == bool
    np.testing.assert_array_equal(out, [[False, True], [True, False]])

    X32 = np.array([[0.1, 0.2]], dtype=np.float32)
    out = take_x(X32, np.array([0, 0]), np.array([[0.3, 0.4]]))
    assert out.dtype == np.float32
    assert out[0, 0] == X32[0, 0]

    X_big = np.array([[BIG, 1]], dtype=np.int64)
    assert take_x(X_big, np.array([0]), np.array([[2.6, 1.0]]))[0, 0] == BIG

    X_obj = np.array([["a", 1.5], ["b", 2.5]], dtype=object)
    out = take_x(X_obj, np.array([1]), [np.array(["a"], dtype=object), np.array([2.0])])
    assert out.dtype == object
    assert out.tolist() == [["b", 2.5], ["a", 2.0]]

    empty = take_x(X_int, np.array([0]), np.empty((0, 2)))
    assert empty.dtype == np.int32 and empty.tolist() == [[1, 2]]

    y = np.array(["a", "b", "a"])
    out_y = take_y(y, y, np.array([1, 2]), np.array(["b"]))
    assert isinstance(out_y, np.ndarray) and out_y.tolist() == ["b", "a", "b"]
    assert take_y(list(y), y, np.array([0]), None).tolist() == ["a"]


@pytest.mark.parametrize(
    "cls", [sp.csr_matrix, sp.csc_matrix, sp.csr_array, sp.csc_array, sp.coo_matrix, sp.lil_matrix]
)
@pytest.mark.parametrize("synthetic", ["dense", "csr", "none", "empty"])
def test_sparse_keeps_format_and_class(cls, synthetic):
    dense = np.array([[0.0, 1.5, 0.0], [2.0, 0.0, 0.0], [0.0, 0.0, 3.0]], dtype=np.float32)
    X = cls(dense)
    new = np.array([[1.0, 0.0, 0.25]])
    block = {"dense": new, "csr": sp.csr_matrix(new), "none": None, "empty": new[:0]}[synthetic]
    for indices in (np.array([2, 0]), None):  # some rows, or every row (an over-sampler)
        out = take_x(X, indices, block)
        assert type(out) is type(X)
        assert out.format == X.format and out.dtype == np.float32
        expected = dense if indices is None else dense[indices]
        if synthetic in ("dense", "csr"):
            expected = np.vstack([expected, new])
        np.testing.assert_array_equal(out.toarray(), expected)
        if hasattr(out, "data"):  # never the caller's arrays: writing to the output leaves X
            out.data[:] = -1
            np.testing.assert_array_equal(X.toarray(), dense)


def test_output_source_helpers():
    assert _frames.as_frame(np.zeros((2, 2))) is None
    assert _frames.as_frame(sp.csr_matrix((2, 2))) is None
    assert _frames.as_series(np.zeros(2)) is None
    assert _frames.n_rows([[1, 2], [3, 4], [5, 6]]) == 3


@pytest.mark.parametrize(
    "dtype", ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
)
def test_synthetic_integers_near_the_limits_never_wrap(dtype):
    # A column at the edge of its integer type: synthetic values computed in float64 may
    # round past the limit (float(2**63 - 1) == 2**63); they must stay inside the type.
    info = np.iinfo(dtype)
    X = np.zeros((4, 2), dtype=dtype)
    X[:, 0] = [info.max, info.max - 1, info.min, info.min + 1]
    synthetic = np.array([[float(info.max), 0.0], [float(info.min), 0.0], [float(info.max) * 2, 0.0]])
    out = take_x(X, np.arange(4), synthetic)
    new = out[4:, 0]
    assert out.dtype == X.dtype
    # Never wrapped around: the largest values stay near the top, the smallest at the bottom.
    assert new[0] >= info.max - 2048 and new[2] >= info.max - 2048
    assert new[1] == info.min
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"v": X[:, 0], "w": X[:, 1]})
    taken = take_x(frame, np.arange(4), synthetic)
    np.testing.assert_array_equal(taken["v"].to_numpy()[4:], new)
    pl = pytest.importorskip("polars")
    taken = take_x(pl.from_pandas(frame), np.arange(4), synthetic)
    np.testing.assert_array_equal(taken["v"].to_numpy()[4:], new)


def test_smote_on_a_column_at_the_top_of_uint64_keeps_it_there():
    from balancekit.over_sampling import SMOTE

    y = np.r_[np.zeros(24, int), np.ones(6, int)]
    X = np.zeros((30, 2), dtype=np.uint64)
    X[:, 0] = np.arange(30)
    X[:, 1] = 2**64 - 1
    X_res, _ = SMOTE(random_state=0).fit_resample(X, y)
    # Interpolated in float64 (exact to 2**53): the nearest value below 2**64 that float64
    # holds, not 0.
    assert (X_res[30:, 1] >= 2**64 - 2048).all()


def test_object_columns_holding_numbers_are_numeric_columns():
    # pandas object columns of numbers (e.g. built row by row) are numbers to SMOTE, as in
    # a numpy object array; object columns of text still need SMOTENC.
    pd = pytest.importorskip("pandas")
    from balancekit.exceptions import DataError
    from balancekit.over_sampling import SMOTE

    rng = np.random.default_rng(0)
    y = np.r_[np.zeros(40, int), np.ones(10, int)]
    plain = pd.DataFrame({"a": rng.normal(size=50), "n": rng.integers(0, 9, 50),
                          "f": rng.random(50) < 0.5})
    mixed = plain.astype(object)
    mixed.loc[3, "a"] = 2  # an int among floats
    plain.loc[3, "a"] = 2.0
    X_plain, _ = SMOTE(random_state=0).fit_resample(plain, y)
    X_mixed, _ = SMOTE(random_state=0).fit_resample(mixed, y)
    assert all(dtype.kind == "O" for dtype in X_mixed.dtypes)
    np.testing.assert_allclose(X_mixed["a"].to_numpy(float), X_plain["a"].to_numpy())
    # Integers stay Python ints (rounded), booleans stay booleans.
    assert X_mixed["n"].map(type).eq(int).all()
    assert X_mixed["n"].tolist() == X_plain["n"].tolist()
    assert X_mixed["f"].map(type).eq(bool).all()
    assert X_mixed["f"].tolist() == X_plain["f"].tolist()
    with pytest.raises(DataError, match="non-numeric column.*'s'"):
        SMOTE().fit_resample(mixed.assign(s="1.5"), y)


@pytest.mark.parametrize(
    "dtype, new_as",
    [(np.float64, "rows"), (np.float32, "rows"), (np.float64, "columns"), (np.int64, "columns")],
)
@pytest.mark.parametrize("layout", ["one block", "column by column"])
@pytest.mark.parametrize("indices", [None, [4, 0, 0, 2]])
def test_pandas_rows_written_in_place_match_the_array_output(dtype, new_as, layout, indices):
    """A pandas frame of one numeric dtype gets its copied and new rows written into one
    array, as an array does: same values (integers rounded), dtypes, column labels and a
    fresh index."""
    pd = pytest.importorskip("pandas")
    from balancekit._kernels import LazyColumns, LazyRows

    rng = np.random.RandomState(0)
    X = (rng.randn(5, 3) * 10).astype(dtype)
    columns = pd.Index([7, "b", 2.5], name="features")
    if layout == "one block":
        frame = pd.DataFrame(X, columns=columns, index=[10, 11, 12, 13, 14])
    else:
        frame = pd.concat([pd.Series(X[:, j], name=columns[j]) for j in range(3)], axis=1)
        frame.columns = columns
    new = rng.randn(2, 3) * 10

    def synthetic():
        if new_as == "columns":
            return LazyColumns(2, [lambda j=j: new[:, j] for j in range(3)])
        rows = LazyRows(3, dtype)
        rows.add(2, lambda view: view.__setitem__(Ellipsis, new))
        return rows

    index = None if indices is None else np.array(indices)
    out = take_x(frame, index, synthetic())
    np.testing.assert_array_equal(out.to_numpy(), take_x(X, index, synthetic()))
    assert list(out.dtypes) == [np.dtype(dtype)] * 3
    pd.testing.assert_index_equal(out.columns, columns)
    pd.testing.assert_index_equal(out.index, pd.RangeIndex(len(out)))


@pytest.mark.parametrize("name", ["SMOTE", "SMOTENC", "SMOTENC on text"])
def test_pandas_frame_output_of_an_over_sampler_is_written_in_place(name):
    """Over-samplers on a pandas frame peak near their output, as on an array (the new rows
    used to be held as an array, then as a frame, then concatenated: 1.6-2.0 outputs)."""
    pd = pytest.importorskip("pandas")

    from sklearn.datasets import make_classification

    from balancekit import over_sampling

    X, y = make_classification(20_000, 10, weights=[0.9], random_state=0)
    X[:, 0] = np.round(X[:, 0])  # a few levels: SMOTENC's categorical column

    def sampler():
        params = {"categorical_features": [0]} if name.startswith("SMOTENC") else {}
        return getattr(over_sampling, name.split()[0])(random_state=0, **params)

    frame = pd.DataFrame(X, columns=[f"x{j}" for j in range(10)])
    if name == "SMOTENC on text":  # a text column, then numeric ones
        X = X.astype(object)
        X[:, 0] = frame["x0"] = frame["x0"].map("level {:g}".format)
        frame = frame.copy()
    sampler().fit_resample(frame.iloc[:500], y[:500])
    peak, (X_res, y_res) = traced_peak(lambda: sampler().fit_resample(frame, y))
    output = X_res.memory_usage(index=False, deep=True).sum() + y_res.nbytes
    assert peak <= 1.3 * output, peak / output
    np.testing.assert_array_equal(X_res.to_numpy(), sampler().fit_resample(X, y)[0])
    assert list(X_res.dtypes) == list(frame.dtypes)
    pd.testing.assert_index_equal(X_res.index, pd.RangeIndex(len(X_res)))


@pytest.mark.parametrize("lib", ["polars", "pyarrow"])
def test_float32_tables_are_resampled_in_float32(lib):
    """scikit-learn reads polars and pyarrow tables as float64. A float32 table is resampled
    as a float32 array is: the same rows, and no float64 copy of the input (peak memory on
    the numpy side was 2.4-3.2 times the output, at most 1.4 now, as for the array)."""
    module = pytest.importorskip(lib)
    from sklearn.datasets import make_classification

    from balancekit.over_sampling import SMOTE
    from balancekit.under_sampling import TomekLinks

    X, y = make_classification(20_000, 10, weights=[0.9], random_state=0)
    X = X.astype(np.float32)
    names = [f"x{j}" for j in range(10)]
    table = (module.DataFrame(X, schema=names) if lib == "polars"
             else module.table(dict(zip(names, X.T, strict=True))))

    def values(out):
        return _frames.as_frame(out).to_numpy()

    SMOTE(random_state=0).fit_resample(table.slice(0, 500), y[:500])
    peak, (X_res, y_res) = traced_peak(lambda: SMOTE(random_state=0).fit_resample(table, y))
    expected = SMOTE(random_state=0).fit_resample(X, y)[0]
    assert values(X_res).dtype == np.float32
    np.testing.assert_array_equal(values(X_res), expected)
    assert peak <= 1.5 * expected.nbytes, peak / expected.nbytes
    cleaner = TomekLinks().fit(table, y)
    from sklearn.preprocessing import StandardScaler

    if hasattr(StandardScaler().fit(table), "feature_names_in_"):  # not sklearn < 1.8, polars 2
        assert list(cleaner.feature_names_in_) == names
    np.testing.assert_array_equal(values(TomekLinks().fit_resample(table, y)[0]),
                                  TomekLinks().fit_resample(X, y)[0])


def test_sparse_rows_are_stacked_in_place_as_scipy_stacks_them():
    """Chunks of new sparse rows, computed once to size the output and once to fill it."""
    from balancekit._kernels import SparseRows, stack_rows

    top = sp.random(30, 12, density=0.3, format="csr", random_state=0)
    pieces = [sp.random(n, 12, density=d, format="csr", random_state=n)
              for n, d in ((5, 0.4), (0, 0.5), (7, 0.0), (9, 0.2))]
    rows = SparseRows(12, np.float64)
    rows.add(5, lambda: iter(pieces[:2]))
    rows.add(16, lambda: iter(pieces[2:]))
    assert rows.shape == (21, 12)
    out = stack_rows(top, rows)
    expected = sp.vstack([top, *pieces], format="csr")
    assert out.format == "csr" and out.shape == expected.shape and out.nnz == expected.nnz
    np.testing.assert_array_equal(out.toarray(), expected.toarray())
    np.testing.assert_array_equal(rows.tocsr().toarray(), sp.vstack(pieces).toarray())
    empty = stack_rows(top, SparseRows(12, np.float64))
    np.testing.assert_array_equal(empty.toarray(), top.toarray())
    assert not np.shares_memory(empty.data, top.data)


# West of UTC, narwhals reads pandas' zoned stamps as objects, not UTC datetime64: SMOTEN
# failed there ("Already tz-aware").
@pytest.mark.parametrize("zone", ["Europe/Paris", "America/New_York", "Etc/GMT+5"])
def test_zoned_timestamps_keep_their_zone_as_categories(frame_lib, zone):
    import pandas as pd

    from balancekit.over_sampling import SMOTEN

    when = pd.date_range("2021-01-01", periods=12, freq="D", tz=zone)
    X = pd.DataFrame({"when": when, "c": list("ab") * 6})
    if frame_lib.__name__ == "polars":
        X = frame_lib.from_pandas(X)
    y = np.array([0] * 9 + [1] * 3)
    out, _ = SMOTEN(random_state=0, k_neighbors=2).fit_resample(X, y)
    assert out.schema == X.schema if frame_lib.__name__ == "polars" else (
        out.dtypes.to_dict() == X.dtypes.to_dict())
    new = list(out["when"])[12:]
    assert len(new) == 6 and set(new) <= set(list(X["when"])[9:])


def test_pandas_columns_of_decimals_are_numbers():
    """What pandas reads a Parquet decimal column as: objects of decimal.Decimal. SMOTE and
    TomekLinks refused them as non-numeric, SMOTENC('auto') took them for categories."""
    from decimal import Decimal

    import pandas as pd

    from balancekit.over_sampling import SMOTE, SMOTENC
    from balancekit.under_sampling import TomekLinks

    rng = np.random.default_rng(0)
    amounts = [Decimal(f"{v:.2f}") for v in rng.uniform(1, 100, 60)]
    X = pd.DataFrame({"amount": amounts, "x": rng.normal(size=60)})
    y = np.array([0] * 45 + [1] * 15)
    as_floats = X.astype({"amount": float})
    out = SMOTE(random_state=0).fit_resample(X, y)[0]
    reference = SMOTE(random_state=0).fit_resample(as_floats, y)[0]
    new = out["amount"].iloc[60:]
    assert all(isinstance(v, Decimal) and v.as_tuple().exponent == -2 for v in new)
    np.testing.assert_allclose(new.astype(float), reference["amount"].iloc[60:], atol=0.005)
    assert out["amount"].iloc[:60].tolist() == amounts
    kept = TomekLinks().fit_resample(X, y)[0]
    assert kept.index.tolist() == TomekLinks().fit_resample(as_floats, y)[0].index.tolist()
    sampler = SMOTENC(categorical_features="auto", random_state=0)
    sampler.fit_resample(X.assign(c=list("ab") * 30), y)
    assert sampler.categorical_features_.tolist() == [2]
    # Decimals made from floats (55 places) and far apart magnitudes: decimal's default
    # precision (28 digits) failed to round new values to the finest place.
    for column in ([Decimal(v) for v in rng.uniform(10, 500, 60)],
                   [Decimal("1e20")] * 30 + [Decimal("1e-12")] * 30):
        out = SMOTE(random_state=0).fit_resample(X.assign(amount=column), y)[0]
        assert all(isinstance(v, Decimal) for v in out["amount"])


@pytest.mark.parametrize("fmt", ["coo", "lil", "dok", "bsr"])
@pytest.mark.parametrize("array", [False, True])
def test_smote_family_keeps_the_sparse_format_and_class(fmt, array):
    """The new rows were stacked in CSR and given back as CSR for any other format."""
    import scipy.sparse as sp

    from balancekit.over_sampling import ADASYN, SMOTE

    rng = np.random.default_rng(0)
    dense = np.where(rng.random((60, 4)) < 0.5, 0.0, rng.normal(size=(60, 4)))
    y = np.array([0] * 45 + [1] * 15)
    X = (sp.csr_array if array else sp.csr_matrix)(dense).asformat(fmt)
    for sampler in (SMOTE(random_state=0), ADASYN(random_state=0)):
        out = sampler.fit_resample(X, y)[0]
        assert type(out) is type(X)
        reference = sampler.fit_resample(dense, y)[0]
        np.testing.assert_allclose(out.toarray(), reference)


def test_sparse_integer_rows_store_no_zeros():
    import scipy.sparse as sp

    from balancekit.over_sampling import SMOTE

    rng = np.random.default_rng(0)
    y = np.array([0] * 45 + [1] * 15)
    for values in (rng.random((60, 5)) < 0.3, rng.integers(-1, 2, (60, 5))):
        out = SMOTE(random_state=0).fit_resample(sp.csr_matrix(values), y)[0]
        assert out.dtype == values.dtype and np.all(out.data != 0)


@pytest.mark.parametrize("dtype", [np.uint64, np.int64])
@pytest.mark.parametrize("container", ["array", "pandas"])
def test_new_integers_at_the_top_of_their_type_stay_in_the_column_range(dtype, container):
    """float64 rounds 2**64 - 1 (2**63 - 1) up: the new values were set to the largest float64
    below it, 2048 (1024) below every value of the column, with a warning about a
    RandomOverSampler shrinkage."""
    import pandas as pd

    from balancekit.over_sampling import SMOTE

    top = int(np.iinfo(dtype).max)
    column = np.array([top - 3 * i for i in range(60)], dtype=dtype)
    X = np.column_stack([column, column])
    X = pd.DataFrame(X, columns=["a", "b"]) if container == "pandas" else X
    with pytest.warns(BalancekitWarning, match="beyond 2\\*\\*53") as caught:
        out = SMOTE(random_state=0).fit_resample(X, np.array([0] * 48 + [1] * 12))[0]
    assert not any("shrinkage" in str(w.message) for w in caught)
    new = np.asarray(out)[60:]
    assert new.dtype == dtype and (new >= column.min()).all() and (new <= top).all()
    # The combined samplers, which round the new rows before cleaning them, too.
    from balancekit.combine import SMOTEENN, SMOTETomek

    for combined in (SMOTEENN, SMOTETomek):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BalancekitWarning)
            out = combined(random_state=0).fit_resample(X, np.array([0] * 48 + [1] * 12))[0]
        assert (np.asarray(out) >= column.min()).all()
