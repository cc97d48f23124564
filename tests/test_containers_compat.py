"""Containers and inputs as imbalanced-learn users give them: one-hot and one-column
targets, y with its own index, lists, pyarrow dictionaries, pandas sparse columns,
numpy scalars as parameters, and data too large for squared distances."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_wine, make_classification
from sklearn.exceptions import DataConversionWarning
from sklearn.preprocessing import label_binarize

from balancekit import FunctionSampler
from balancekit.exceptions import DataError, InvalidParameterError
from balancekit.over_sampling import SMOTE, SMOTEN, SMOTENC, RandomOverSampler
from balancekit.under_sampling import (
    ClusterCentroids,
    EditedNearestNeighbours,
    NeighbourhoodCleaningRule,
    RandomUnderSampler,
    TomekLinks,
)

io = pytest.importorskip("imblearn.over_sampling")


def _data(n=300, weights=(0.85,), seed=0):
    return make_classification(n, 5, n_informative=3, n_redundant=0, weights=list(weights),
                               random_state=seed)


# --------------------------------------------------------------------------- targets


def test_one_hot_y_gives_one_hot_rows_as_imbalanced_learn():
    X, y = load_wine(return_X_y=True)
    Y = label_binarize(y, classes=[0, 1, 2])
    X_res, Y_res = SMOTE(random_state=0).fit_resample(X, Y)
    _, Y_ref = io.SMOTE(random_state=0).fit_resample(X, Y)
    assert Y_res.shape == (X_res.shape[0], 3) and Y_res.dtype == Y.dtype
    np.testing.assert_array_equal(Y_res, Y_ref)
    # The same rows as with the labels themselves.
    X_lab, y_lab = SMOTE(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X_lab)
    np.testing.assert_array_equal(Y_res.argmax(axis=1), y_lab)


@pytest.mark.parametrize("kind", ["csr_matrix", "csc_array"])
def test_sparse_one_hot_y_gives_sparse_one_hot_rows(kind):
    """What LabelBinarizer(sparse_output=True) makes: read as the dense one-hot rows (the
    error said "got an array of shape ()"), and given back in y's format and class."""
    import scipy.sparse as sp

    X, y = load_wine(return_X_y=True)
    Y = getattr(sp, kind)(label_binarize(y, classes=[0, 1, 2]))
    X_res, Y_res = SMOTE(random_state=0).fit_resample(X, Y)
    X_ref, Y_ref = SMOTE(random_state=0).fit_resample(X, Y.toarray())
    assert type(Y_res) is type(Y) and Y_res.dtype == Y.dtype
    np.testing.assert_array_equal(Y_res.toarray(), Y_ref)
    np.testing.assert_array_equal(X_res, X_ref)
    if hasattr(sp, "coo_array") and sp.coo_array(y).ndim == 1:  # scipy >= 1.13: 1-D arrays
        np.testing.assert_array_equal(SMOTE(random_state=0).fit_resample(X, sp.coo_array(y))[1],
                                      SMOTE(random_state=0).fit_resample(X, y)[1])
    column = sp.csr_matrix(y.reshape(-1, 1))  # a sparse column vector of labels
    with pytest.warns(DataConversionWarning):
        np.testing.assert_array_equal(SMOTE(random_state=0).fit_resample(X, column)[1],
                                      SMOTE(random_state=0).fit_resample(X, y)[1])


@pytest.mark.parametrize("lib", ["pandas", "polars"])
def test_one_hot_table_gives_a_table_of_the_same_columns(lib):
    X, y = load_wine(return_X_y=True)
    Y = label_binarize(y, classes=[0, 1, 2]).astype(np.int8)
    module = pytest.importorskip(lib)
    Y_frame = module.DataFrame({name: Y[:, j] for j, name in enumerate(["a", "b", "c"])})
    _, Y_res = RandomUnderSampler(random_state=0).fit_resample(X, Y_frame)
    assert type(Y_res) is type(Y_frame)
    assert list(Y_res.columns) == ["a", "b", "c"]
    values = Y_res.to_numpy()
    assert values.dtype == np.int8 and (values.sum(axis=1) == 1).all()
    assert np.bincount(values.argmax(axis=1)).tolist() == [48, 48, 48]


def test_multilabel_y_is_refused_with_the_row():
    X, y = _data()
    Y = np.zeros((len(y), 3), dtype=int)
    Y[np.arange(len(y)), y] = 1
    Y[7, 2] = 1
    with pytest.raises(DataError, match=r"row 7 has 2 ones.*multilabel"):
        SMOTE().fit_resample(X, Y)


@pytest.mark.parametrize("lib", ["pandas", "polars"])
def test_one_column_table_y_gives_a_one_column_table(lib):
    module = pytest.importorskip(lib)
    X, y = _data()
    y_frame = module.DataFrame({"target": y})
    if lib == "pandas":  # a column named by an integer, which narwhals would read as a row
        _, y_res = SMOTE(random_state=0).fit_resample(X, module.DataFrame({5: y}))
        assert list(y_res.columns) == [5] and len(y_res) == 2 * (y == 0).sum()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no column-vector warning: the intent is clear
        _, y_res = SMOTE(random_state=0).fit_resample(X, y_frame)
    _, y_ref = SMOTE(random_state=0).fit_resample(X, y)
    assert type(y_res) is type(y_frame) and list(y_res.columns) == ["target"]
    np.testing.assert_array_equal(y_res.to_numpy().ravel(), y_ref)


@pytest.mark.parametrize("sampler", [RandomUnderSampler(random_state=0), EditedNearestNeighbours(),
                                     SMOTE(random_state=0), RandomOverSampler(random_state=0)],
                         ids=lambda s: type(s).__name__)
def test_y_takes_the_index_of_X(sampler):
    X, y = _data()
    X_frame = pd.DataFrame(X, index=np.arange(1000, 1000 + len(y)))
    X_res, y_res = sampler.fit_resample(X_frame, pd.Series(y, name="t"))
    assert y_res.index.equals(X_res.index)
    joined = pd.concat([X_res, y_res], axis=1)
    assert len(joined) == len(X_res) and not joined.isna().any().any()
    # Each row copied from the input keeps its label.
    copied = X_res.index.isin(X_frame.index)
    np.testing.assert_array_equal(y_res.to_numpy()[copied], y[X_res.index[copied] - 1000])


def test_lists_give_lists_as_imbalanced_learn():
    X, y = _data()
    X_res, y_res = SMOTE(random_state=0).fit_resample(X.tolist(), y.tolist())
    X_ref, y_ref = io.SMOTE(random_state=0).fit_resample(X.tolist(), y.tolist())
    assert type(X_res) is list and type(y_res) is list
    np.testing.assert_allclose(X_res, X_ref)
    assert y_res == y_ref


@pytest.mark.parametrize("cls", [SMOTE, TomekLinks, EditedNearestNeighbours])
def test_lists_of_integers_stay_integers_as_arrays_of_them_do(cls):
    X, y = _data()
    X = np.round(X * 10).astype(np.int64)
    make = (lambda: cls(random_state=0)) if cls is SMOTE else cls
    X_res, y_res = make().fit_resample(X.tolist(), y.tolist())
    X_arr, y_arr = make().fit_resample(X, y)
    assert {type(value) for row in X_res for value in row} == {int}
    assert X_res == X_arr.tolist() and y_res == y_arr.tolist()
    if cls is TomekLinks:  # imbalanced-learn gives integers back too
        iu = pytest.importorskip("imblearn.under_sampling")
        assert X_res == iu.TomekLinks().fit_resample(X.tolist(), y.tolist())[0]


@pytest.mark.parametrize("cls", [SMOTE, TomekLinks, EditedNearestNeighbours])
def test_numpy_objects_holding_numbers_give_floats_as_imbalanced_learn(cls):
    # As df.to_numpy() of a frame of mixed dtypes gives them: read as numbers, given back
    # as the float array the numeric samplers read (not objects np.isnan cannot take).
    X, y = _data()
    X_obj = X.astype(object)
    X_obj[:, 0] = np.round(X[:, 0] * 10).astype(int)
    make = (lambda: cls(random_state=0)) if cls is SMOTE else cls
    X_res, y_res = make().fit_resample(X_obj, y)
    X_ref, y_ref = make().fit_resample(X_obj.astype(np.float64), y)
    assert X_res.dtype == np.float64
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)
    # A sampler that reads any table keeps the objects as they were given.
    X_any, _ = RandomOverSampler(random_state=0).fit_resample(X_obj, y)
    assert X_any.dtype == object and type(X_any[0, 0]) is int


# --------------------------------------------------------------------------- frames


@pytest.mark.parametrize("cls", [SMOTENC, SMOTEN])
def test_pyarrow_dictionary_columns_keep_their_type(cls):
    pa = pytest.importorskip("pyarrow")
    rng = np.random.RandomState(0)
    y = np.r_[np.zeros(170, int), np.ones(30, int)]
    frame = pd.DataFrame({"a": rng.randn(200), "c": pd.Categorical(rng.choice(list("xyz"), 200))})
    if cls is SMOTEN:
        frame = frame[["c"]]
    table = pa.Table.from_pandas(frame, preserve_index=False)
    out, _ = cls(random_state=0).fit_resample(table, y)
    ref, _ = cls(random_state=0).fit_resample(frame, y)
    assert out.schema.types == table.schema.types
    np.testing.assert_array_equal(out.column("c").to_numpy(zero_copy_only=False).astype(str),
                                  ref["c"].astype(str).to_numpy())


@pytest.mark.parametrize(("make", "text"), [
    (lambda: SMOTENC(random_state=0), True), (lambda: RandomUnderSampler(random_state=0), False),
    (FunctionSampler, False), (lambda: FunctionSampler(func=lambda X, y: (X[::2], y[::2])), False),
], ids=["SMOTENC", "RandomUnderSampler", "FunctionSampler", "func"])
def test_pyarrow_record_batch_gives_a_record_batch(make, text):
    # A batch was read as an array: numpy came out, the names and types lost.
    pa = pytest.importorskip("pyarrow")
    rng = np.random.RandomState(0)
    y = np.r_[np.zeros(170, int), np.ones(30, int)]
    columns = {"a": rng.randn(200), "n": rng.randint(0, 9, 200).astype(np.int16)}
    if text:
        columns["c"] = rng.choice(list("xyz"), 200)
    batch = pa.RecordBatch.from_pydict(columns)
    out, y_out = make().fit_resample(batch, y)
    table, _ = make().fit_resample(pa.Table.from_batches([batch]), y)
    assert isinstance(out, pa.RecordBatch) and out.schema == batch.schema
    assert out.to_pydict() == table.to_pydict() and out.num_rows == len(y_out)


@pytest.mark.parametrize("sampler", [SMOTE(random_state=0), TomekLinks()],
                         ids=lambda s: type(s).__name__)
def test_pandas_sparse_columns_are_resampled_as_numbers(sampler):
    X, y = _data()
    X[np.abs(X) < 1] = 0
    frame = pd.DataFrame(X, columns=[f"c{j}" for j in range(X.shape[1])])
    sparse = frame.astype(pd.SparseDtype(float, 0))
    out, y_out = sampler.fit_resample(sparse, y)
    ref, y_ref = sampler.fit_resample(frame, y)
    assert all(isinstance(dtype, pd.SparseDtype) for dtype in out.dtypes)
    np.testing.assert_allclose(out.sparse.to_dense().to_numpy(), ref.to_numpy())
    np.testing.assert_array_equal(y_out, y_ref)


# --------------------------------------------------------------------------- parameters, values


@pytest.mark.parametrize("value", [np.float32(0.5), np.int64(1), np.float64(0.5)])
def test_shrinkage_takes_numpy_numbers(value):
    X, y = _data()
    out, _ = RandomOverSampler(shrinkage=value, random_state=0).fit_resample(X, y)
    ref, _ = RandomOverSampler(shrinkage=float(value), random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(out, ref)


@pytest.mark.parametrize("sampler", [SMOTE(random_state=0), EditedNearestNeighbours()],
                         ids=lambda s: type(s).__name__)
def test_values_too_large_for_squared_distances_are_refused(sampler):
    X, y = _data()
    with pytest.raises(DataError, match=r"overflow float64.*Scale X"):
        sampler.fit_resample(X * 1e160, y)
    # Below the limit, the neighbours do not change with the scale.
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        big, y_big = sampler.fit_resample(X * 1e150, y)
    small, y_small = sampler.fit_resample(X, y)
    np.testing.assert_allclose(big / 1e150, small, rtol=1e-12)
    np.testing.assert_array_equal(y_big, y_small)


@pytest.mark.parametrize("sampler", [SMOTE(random_state=0), EditedNearestNeighbours(),
                                     TomekLinks()], ids=lambda s: type(s).__name__)
def test_values_too_small_for_squared_distances_are_refused(sampler):
    """Squares below the smallest normal float64 lose their order: every row would look
    as near as every other (EditedNearestNeighbours dropped the whole majority)."""
    X, y = _data()
    scale = 2.0 ** -540  # about 2.8e-163: exact, so the rows keep their order
    with pytest.raises(DataError, match=r"no value larger than .*underflow float64.*Scale X"):
        sampler.fit_resample(X * scale, y)
    # Above the limit, the neighbours do not change with the scale; zeros are no error.
    tiny, y_tiny = sampler.fit_resample(X * 2.0 ** -480, y)
    plain, y_plain = sampler.fit_resample(X, y)
    np.testing.assert_allclose(tiny / 2.0 ** -480, plain, rtol=1e-12)
    np.testing.assert_array_equal(y_tiny, y_plain)
    if not isinstance(sampler, SMOTE):
        zeros, _ = sampler.fit_resample(np.zeros_like(X), y)
        assert zeros.shape[1] == X.shape[1]


def test_a_one_row_class_raises_no_floating_point_warning():
    X, y = make_classification(500, 8, weights=[0.9], random_state=0)
    y[np.flatnonzero(y == 1)[1:]] = 0  # the minority class has one row
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        NeighbourhoodCleaningRule().fit_resample(X, y)


# --------------------------------------------------------------------------- attributes


def _over_samplers():
    from balancekit.over_sampling import ADASYN, SVMSMOTE, BorderlineSMOTE, KMeansSMOTE

    return [(SMOTE, {"nn_k_": "k_neighbors"}), (ADASYN, {"nn_": "n_neighbors"}),
            (BorderlineSMOTE, {"nn_k_": "k_neighbors", "nn_m_": "m_neighbors"}),
            (SVMSMOTE, {"nn_k_": "k_neighbors", "nn_m_": "m_neighbors"}),
            (KMeansSMOTE, {"nn_k_": "k_neighbors"})]


@pytest.mark.parametrize(("cls", "attributes"), _over_samplers(),
                         ids=lambda v: getattr(v, "__name__", ""))
def test_neighbours_attributes_as_imbalanced_learn(cls, attributes):
    from sklearn.neighbors import NearestNeighbors

    X, y = _data(400, (0.7,))
    reference = getattr(io, cls.__name__)(random_state=0)
    kwargs = {"cluster_balance_threshold": 0.01} if cls.__name__ == "KMeansSMOTE" else {}
    reference.set_params(**kwargs).fit_resample(X, y)
    sampler = cls(random_state=0, **kwargs).fit(X, y)
    assert not any(hasattr(sampler, name) for name in attributes)  # set by fit_resample
    sampler.fit_resample(X, y)
    for name in attributes:
        ours, theirs = getattr(sampler, name), getattr(reference, name)
        assert isinstance(ours, NearestNeighbors)
        assert ours.n_neighbors == theirs.n_neighbors
    # An estimator given is cloned, with its parameters.
    given = NearestNeighbors(n_neighbors=4, p=1)
    attr, param = next(iter(attributes.items()))
    sampler = cls(random_state=0, **kwargs).set_params(**{param: given})
    sampler.fit_resample(X, y)
    assert getattr(sampler, attr) is not given
    assert getattr(sampler, attr).get_params() == given.get_params()


@pytest.mark.parametrize("sampler", [SMOTE(random_state=0), TomekLinks(),
                                     RandomUnderSampler(random_state=0)],
                         ids=lambda s: type(s).__name__)
def test_feature_names_out_as_imbalanced_learn(sampler):
    from sklearn.exceptions import NotFittedError

    X, y = _data()
    iu = pytest.importorskip("imblearn.under_sampling")
    reference = getattr(iu, type(sampler).__name__, None) or getattr(io, type(sampler).__name__)
    with pytest.raises(NotFittedError):
        sampler.get_feature_names_out()
    for data in (X, pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])])):
        sampler.fit_resample(data, y)
        theirs = reference()
        theirs.fit_resample(data, y)
        np.testing.assert_array_equal(sampler.get_feature_names_out(),
                                      theirs.get_feature_names_out())


@pytest.mark.parametrize("seed", ["a", -1, 2**32, 1.5])
def test_a_bad_random_state_is_named(seed):
    from balancekit.exceptions import InvalidParameterError

    X, y = _data()
    with pytest.raises(InvalidParameterError, match=r"random_state=.* cannot seed"):
        SMOTE(random_state=seed).fit_resample(X, y)


def test_missing_values_name_their_columns():
    X, y = _data()
    frame = pd.DataFrame(X, columns=list("abcde"))
    frame["c"] = frame["c"].astype("Float64")
    frame.loc[3, "c"] = pd.NA
    with pytest.raises(DataError, match=r"1 NaN value\(s\) in column 'c';"):
        SMOTE().fit_resample(frame, y)
    X[[1, 2], [4, 0]] = np.inf
    with pytest.raises(DataError, match=r"2 infinite value\(s\) in columns 0, 4;"):
        SMOTE().fit_resample(X, y)


@pytest.mark.parametrize("sampler", [TomekLinks(), EditedNearestNeighbours()],
                         ids=lambda s: type(s).__name__)
def test_rules_on_text_columns_point_to_encoding_not_to_an_over_sampler(sampler):
    X, y = _data()
    frame = pd.DataFrame(X).assign(shop="x")
    with pytest.raises(DataError, match=r"'shop'.*OneHotEncoder.*RandomUnderSampler") as info:
        sampler.fit_resample(frame, y)
    assert "SMOTENC" not in str(info.value)


def test_infinite_values_get_advice_for_infinities():
    X, y = _data()
    X[5, 1] = np.inf
    with pytest.raises(DataError, match=r"1 infinite value\(s\) in column 1;.*numpy.clip") as info:
        SMOTE().fit_resample(X, y)
    assert "Impute" not in str(info.value)


def test_a_class_of_two_rows_gets_one_neighbour_in_the_singular():
    from balancekit.exceptions import SmallClassWarning

    X, y = _data()
    y[np.flatnonzero(y == 1)[2:]] = 0
    with pytest.warns(SmallClassWarning, match=r"using 1 neighbour for that class"):
        SMOTE(random_state=0).fit_resample(X, y)


# --------------------------------------------------------------------------- numbers as text


@pytest.mark.parametrize("dtype", ["U5", "S6"])
def test_numbers_held_as_short_text_are_written_in_full(dtype):
    # A fixed-width text array: the new values get room for any float64 as text, and read
    # back as the values SMOTE computes on the numbers.
    rng = np.random.RandomState(0)
    numbers = rng.randint(1, 10, size=(60, 2)) * 1e-5
    X = numbers.astype(dtype)
    assert X.dtype.itemsize <= 6 * (4 if dtype[0] == "U" else 1)
    y = np.array([0] * 40 + [1] * 20)
    out, y_out = SMOTE(random_state=0).fit_resample(X, y)
    ref, y_ref = SMOTE(random_state=0).fit_resample(X.astype(float), y)
    assert out.dtype.kind == X.dtype.kind
    np.testing.assert_array_equal(out[:60], X)
    np.testing.assert_array_equal(out.astype(float), ref)
    np.testing.assert_array_equal(y_out, y_ref)


# --------------------------------------------------------------------------- sparse integers


def _int_data(dtype, low, high, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randint(low, high, size=(90, 4)).astype(dtype)
    X[rng.rand(*X.shape) < 0.3] = 0
    return X, np.array([0] * 60 + [1] * 30)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize("dtype, low, high", [(np.int64, -50, 50), (np.int16, -9, 9),
                                              (np.uint8, 0, 255)])
def test_sparse_integers_are_rounded_as_dense_ones(fmt, dtype, low, high):
    import scipy.sparse as sp

    X, y = _int_data(dtype, low, high)
    out, _ = SMOTE(random_state=0).fit_resample(sp.csr_matrix(X).asformat(fmt), y)
    floats, _ = SMOTE(random_state=0).fit_resample(sp.csr_matrix(X.astype(float)), y)
    assert out.dtype == dtype and out.format == fmt
    np.testing.assert_array_equal(out.toarray(), np.rint(floats.toarray()).astype(dtype))


def test_sparse_booleans_are_rounded_and_unsigned_integers_never_wrap():
    import scipy.sparse as sp

    from balancekit.over_sampling import SVMSMOTE

    X, y = _int_data(np.int64, 0, 2)
    B = X.astype(bool)
    out, _ = SMOTE(random_state=0).fit_resample(sp.csr_matrix(B), y)
    floats, _ = SMOTE(random_state=0).fit_resample(sp.csr_matrix(B.astype(float)), y)
    assert out.dtype == bool
    np.testing.assert_array_equal(out.toarray(), floats.toarray() >= 0.5)
    # SVMSMOTE steps away from safe support vectors, below 0 here: clipped, never wrapped.
    rng = np.random.RandomState(0)
    U = np.r_[rng.randint(0, 30, size=(80, 2)), rng.randint(40, 100, size=(40, 2))]
    U[80:, 1] = rng.randint(0, 25, 40)
    U = U.astype(np.uint8)
    yu = np.r_[np.zeros(80, int), np.ones(40, int)]
    sampler = SVMSMOTE(random_state=0, out_step=1.0)
    floats, _ = sampler.fit_resample(sp.csr_matrix(U.astype(float)), yu)
    assert floats.toarray().min() < -0.5  # the case: a value below the dtype's range
    out, _ = sampler.fit_resample(sp.csr_matrix(U), yu)
    np.testing.assert_array_equal(out.toarray(), np.clip(np.rint(floats.toarray()), 0, 255))


def test_float32_values_whose_differences_overflow_are_refused():
    from balancekit.over_sampling import ADASYN

    X, y = _data()
    X = (X / np.abs(X).max() * 3e38).astype(np.float32)
    with pytest.raises(DataError, match=r"float32.*overflow float32 above 1\.7e\+38.*float64"):
        ADASYN(random_state=0).fit_resample(X, y)
    out, _ = ADASYN(random_state=0).fit_resample(X.astype(np.float64), y)
    assert np.isfinite(out).all()
    # Rules only compare distances (in float64): they take such data.
    kept, _ = TomekLinks().fit_resample(X, y)
    assert kept.dtype == np.float32


def _one_hot_frame(dtype="int64"):
    codes = np.repeat([0, 1, 2], [60, 25, 10])
    X = np.random.RandomState(0).randn(codes.size, 2) + codes[:, None]
    index = np.arange(codes.size) + 1000
    Y = pd.DataFrame(np.eye(3, dtype=int)[codes], columns=["a", "m", "z"], index=index)
    return X, Y.astype(dtype), pd.Series(codes, index=index)


@pytest.mark.parametrize("dtype", ["Int64", "Int8", "bool", "boolean", "int64", "float32"])
@pytest.mark.parametrize("sampler", [RandomOverSampler(random_state=0),
                                     RandomUnderSampler(random_state=0), TomekLinks()],
                         ids=["over", "under", "tomek"])
def test_one_hot_frame_y_keeps_dtypes_and_index_as_a_series_y(sampler, dtype):
    # The one-hot table comes back with its columns' dtypes, and with the same rows and index
    # labels as the same classes given as a Series of codes.
    X, Y, codes = _one_hot_frame(dtype)
    _, y_ref = sampler.fit_resample(X, codes)
    _, Y_res = sampler.fit_resample(X, Y)
    assert Y_res.dtypes.to_dict() == Y.dtypes.to_dict()
    pd.testing.assert_index_equal(Y_res.index, y_ref.index)
    np.testing.assert_array_equal(Y_res.to_numpy(dtype=np.int64).argmax(axis=1), y_ref)


@pytest.mark.parametrize("dtype", ["boolean", "Int64", "float64"])
def test_one_hot_frame_y_with_a_missing_value_is_refused_by_its_cell(dtype):
    X, Y, _ = _one_hot_frame(dtype)
    Y.iloc[7, 1] = pd.NA if dtype != "float64" else np.nan
    with pytest.raises(DataError, match=r"one-hot table with a missing value \(row 7, column 'm'\)"):
        RandomOverSampler().fit_resample(X, Y)


def test_one_hot_frame_y_strategy_by_column_name_explains_positions():
    X, Y, _ = _one_hot_frame()
    with pytest.raises(InvalidParameterError,
                       match=r"names 'm', which is not in y.*one-hot.*1 for 'm'"):
        RandomOverSampler(sampling_strategy={"m": 80}).fit_resample(X, Y)
    _, Y_res = RandomOverSampler(sampling_strategy={1: 80}).fit_resample(X, Y)
    assert Y_res.sum().to_dict() == {"a": 60, "m": 80, "z": 10}


def test_tables_a_sampler_cannot_read_are_named():
    pl = pytest.importorskip("polars")

    X = pd.DataFrame(np.random.RandomState(0).rand(60, 3), columns=["a", "b", "a"])
    y = [0] * 50 + [1] * 10
    for sampler in (SMOTE(k_neighbors=3), RandomUnderSampler()):
        with pytest.raises(DataError, match="duplicated column names 'a'"):
            sampler.fit_resample(X, y)
        with pytest.raises(DataError, match="LazyFrame.*collect"):
            sampler.fit_resample(pl.from_pandas(X.set_axis(["a", "b", "c"], axis=1)).lazy(), y)


@pytest.mark.parametrize("sampler", [TomekLinks, EditedNearestNeighbours,
                                     NeighbourhoodCleaningRule])
def test_a_category_of_numbers_is_measured_by_its_numbers_by_rules_that_select_rows(sampler):
    """imbalanced-learn reads a pandas category of numbers as the numbers; balancekit refused
    it as non-numeric. The rows kept are copied, category and all."""
    iu = pytest.importorskip("imblearn.under_sampling")
    rng = np.random.RandomState(0)
    y = np.array([0] * 45 + [1] * 15)
    X = pd.DataFrame({"x": rng.normal(size=60) + y,
                      "rooms": pd.Categorical(rng.randint(1, 5, 60))})
    ours = sampler()
    X_res, _ = ours.fit_resample(X, y)
    theirs = getattr(iu, sampler.__name__)()
    theirs.fit_resample(X, y)
    assert sorted(ours.sample_indices_) == sorted(theirs.sample_indices_)
    assert X_res.dtypes.to_dict() == X.dtypes.to_dict()
    for maker in (SMOTE(), ClusterCentroids(random_state=0)):  # rows of their own values
        with pytest.raises(DataError, match="non-numeric column\\(s\\) 'rooms'"):
            maker.fit_resample(X, y)
