"""SMOTE against imbalanced-learn and against its own definition."""

import warnings
from collections import Counter

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

from balancekit import _kernels
from balancekit.exceptions import (
    BalancekitError,
    DataError,
    DataTypeError,
    InvalidParameterError,
    InvalidParameterTypeError,
    SmallClassWarning,
)
from balancekit.over_sampling import SMOTE
from balancekit.over_sampling import _smote as _smote_module

from .conftest import traced_peak

imblearn_over = pytest.importorskip("imblearn.over_sampling")


def _imblearn(X, y, seed, **params):
    # imbalanced-learn re-seeds an int random_state for every class; a RandomState instance
    # is drawn from in sequence, as balancekit's single generator is.
    sampler = imblearn_over.SMOTE(random_state=np.random.RandomState(seed), **params)
    return sampler.fit_resample(X, y)


def _datasets():
    X2, y2 = make_classification(
        n_samples=200, n_features=5, n_informative=3, weights=[0.85], random_state=4
    )
    X3, y3 = make_classification(
        n_samples=300,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        weights=[0.6, 0.3, 0.1],
        class_sep=1.5,
        n_clusters_per_class=1,
        random_state=0,
    )
    y_str = np.array(["alpha", "beta", "gamma"])[y3]
    return {
        "binary": (X2, y2),
        "multiclass": (X3, y3),
        "float32": (X3.astype(np.float32), y3),
        "string labels": (X3, y_str),
    }


DATASETS = _datasets()


@pytest.mark.parametrize("seed", [0, 7])
@pytest.mark.parametrize("name", list(DATASETS))
def test_same_output_as_imblearn(name, seed):
    X, y = DATASETS[name]
    for params in ({}, {"k_neighbors": 3}, {"sampling_strategy": "all"}):
        X_res, y_res = SMOTE(random_state=seed, **params).fit_resample(X, y)
        X_ref, y_ref = _imblearn(X, y, seed, **params)
        assert X_res.dtype == X_ref.dtype == X.dtype
        np.testing.assert_array_equal(y_res, y_ref)
        if X.dtype == np.float32:
            # imbalanced-learn interpolates in float64 and casts back; balancekit stays in
            # float32: the two agree to float32 precision.
            np.testing.assert_allclose(X_res, X_ref, rtol=1e-6, atol=1e-6)
        else:
            np.testing.assert_array_equal(X_res, X_ref)


def test_dict_strategy_same_as_imblearn():
    X, y = DATASETS["multiclass"]
    counts = Counter(y.tolist())
    strategy = {1: counts[1] + 40, 2: counts[2] + 5}
    X_res, y_res = SMOTE(sampling_strategy=strategy, random_state=1).fit_resample(X, y)
    X_ref, y_ref = _imblearn(X, y, 1, sampling_strategy=strategy)
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)
    assert Counter(y_res.tolist()) == Counter({0: counts[0], **strategy})


@pytest.mark.parametrize("growth", [0.05, 0.3, 0.65])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_searching_only_the_drawn_rows_gives_the_same_output(monkeypatch, growth, dtype):
    # A class grown a little has only the rows its segments start from searched. Rounded
    # values make many equal distances, so the two searches must also break ties alike.
    X, y = make_classification(n_samples=900, n_features=6, weights=[0.55], random_state=3)
    X = np.round(X, 1).astype(dtype)
    counts = np.bincount(y)
    strategy = {0: int(counts[0] * (1 + growth)), 1: int(counts[1] * (1 + growth))}
    searched = []
    original = _smote_module.kneighbors

    def spy(*args, query_indices=None, **kwargs):
        searched.append(query_indices)
        return original(*args, query_indices=query_indices, **kwargs)

    monkeypatch.setattr(_smote_module, "kneighbors", spy)
    X_res, y_res = SMOTE(sampling_strategy=strategy, random_state=5).fit_resample(X, y)
    assert all(q is not None and q.size < counts.max() for q in searched)
    monkeypatch.setattr(_smote_module, "_FEW_NEW", -1.0)  # always one self-search of the class
    searched.clear()
    X_all, y_all = SMOTE(sampling_strategy=strategy, random_state=5).fit_resample(X, y)
    assert searched == [None, None]
    np.testing.assert_array_equal(X_res, X_all)
    np.testing.assert_array_equal(y_res, y_all)


def _check_on_segments(X, y, X_res, y_res, origin, k):
    """Each new row is x + u (n - x), u in [0, 1), n one of x's k nearest in-class neighbours."""
    n = X.shape[0]
    new, new_y = X_res[n:], y_res[n:]
    assert (y[origin] == new_y).all()
    for label in np.unique(new_y):
        members = np.flatnonzero(y == label)
        nn = NearestNeighbors(n_neighbors=k).fit(X[members]).kneighbors()[1]
        position = {row: i for i, row in enumerate(members)}
        for s, o in zip(new[new_y == label], origin[new_y == label], strict=True):
            x = X[o]
            neighbours = X[members[nn[position[o]]]]
            d = neighbours - x
            u = (d @ (s - x)) / np.einsum("ij,ij->i", d, d)
            residual = np.linalg.norm(x + u[:, None] * d - s, axis=1)
            ok = (residual < 1e-5 * (1 + np.abs(x).max())) & (u >= -1e-7) & (u < 1)
            assert ok.any(), (label, o, residual.min())


@pytest.mark.parametrize("k", [1, 3, 5])
@pytest.mark.parametrize("name", ["binary", "multiclass", "float32"])
def test_new_rows_lie_on_segments_to_listed_neighbours(name, k):
    X, y = DATASETS[name]
    weights = np.arange(X.shape[0], dtype=float)  # the weight of a new row names its origin
    sampler = SMOTE(k_neighbors=k, random_state=2)
    X_res, y_res = sampler.fit_resample(X, y, sample_weight=weights)
    origin = sampler.sample_weight_[X.shape[0] :].astype(int)
    np.testing.assert_array_equal(X_res[: X.shape[0]], X)
    _check_on_segments(X.astype(np.float64), y, X_res.astype(np.float64), y_res, origin, k)
    # The bases are drawn over the whole class, not from a few rows.
    for label in np.unique(y_res[X.shape[0] :]):
        n_new = np.count_nonzero(y_res[X.shape[0] :] == label)
        drawn = np.unique(origin[y_res[X.shape[0] :] == label]).size
        assert drawn > 0.5 * min(n_new, np.count_nonzero(y == label))


def test_sample_weight_is_copied_and_inherited():
    X, y = DATASETS["binary"]
    rng = np.random.RandomState(0)
    weights = rng.uniform(0.5, 2.0, size=y.shape[0])
    sampler = SMOTE(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y, sample_weight=weights)
    n = X.shape[0]
    assert sampler.sample_weight_.shape == (X_res.shape[0],)
    np.testing.assert_array_equal(sampler.sample_weight_[:n], weights)
    # Each synthetic row carries the weight of one minority row...
    new_w = sampler.sample_weight_[n:]
    minority = y_res[n:][0]
    assert np.isin(new_w, weights[y == minority]).all()
    # ...the row it was built from: same draws with the row numbers as weights.
    ids = SMOTE(random_state=0)
    ids.fit_resample(X, y, sample_weight=np.arange(n))
    np.testing.assert_array_equal(new_w, weights[ids.sample_weight_[n:].astype(int)])
    # Weights do not change the rows.
    X_plain, _ = SMOTE(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X_plain, X_res)
    assert SMOTE(random_state=0).fit(X, y).sampling_strategy_ == sampler.sampling_strategy_
    plain = SMOTE(random_state=0)
    plain.fit_resample(X, y)
    assert plain.sample_weight_ is None
    with pytest.raises(DataError, match="sample_weight has 5 values but X has 200 rows"):
        SMOTE().fit_resample(X, y, sample_weight=weights[:5])


@pytest.mark.parametrize("chunk", [None, 7])
@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_input_same_values_as_dense(fmt, chunk, monkeypatch):
    if chunk is not None:  # the new rows interpolated in several chunks
        monkeypatch.setattr(_kernels, "_SPARSE_CHUNK_ROWS", chunk)
    rng = np.random.RandomState(3)
    X = rng.rand(120, 6)
    X[X < 0.55] = 0
    y = np.array([0] * 90 + [1] * 30)
    X_sparse = sp.csr_matrix(X).asformat(fmt)
    X_res, y_res = SMOTE(random_state=5).fit_resample(X_sparse, y)
    assert sp.issparse(X_res) and X_res.format == fmt
    X_dense, y_dense = SMOTE(random_state=5).fit_resample(X, y)
    np.testing.assert_allclose(X_res.toarray(), X_dense, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(y_res, y_dense)
    X_ref, _ = _imblearn(sp.csr_matrix(X), y, 5)
    np.testing.assert_allclose(X_res.toarray(), X_ref.toarray(), rtol=1e-12, atol=1e-12)


def test_k_neighbors_as_an_estimator():
    X, y = DATASETS["multiclass"]
    est = NearestNeighbors(n_neighbors=4)  # the point itself and 3 neighbours
    X_est, y_est = SMOTE(k_neighbors=est, random_state=0).fit_resample(X, y)
    X_int, y_int = SMOTE(k_neighbors=3, random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X_est, X_int)
    np.testing.assert_array_equal(y_est, y_int)
    X_ref, _ = _imblearn(X, y, 0, k_neighbors=NearestNeighbors(n_neighbors=4))
    np.testing.assert_array_equal(X_est, X_ref)
    assert est.n_neighbors == 4 and not hasattr(est, "n_samples_fit_")
    # A different metric in the estimator changes the neighbours, hence the output.
    X_l1, _ = SMOTE(
        k_neighbors=NearestNeighbors(n_neighbors=4, metric="manhattan"), random_state=0
    ).fit_resample(X, y)
    assert not np.array_equal(X_l1, X_int)


@pytest.mark.parametrize(
    "value, error, pattern",
    [
        (0, InvalidParameterError, r"k_neighbors=0 is out of range; it must be an integer >= 1"),
        (-2, InvalidParameterError, r"k_neighbors=-2 is out of range"),
        (2.5, InvalidParameterTypeError, r"k_neighbors must be an integer or an object.*float"),
        ("five", InvalidParameterTypeError, r"k_neighbors must be an integer.*'five'"),
        (None, InvalidParameterTypeError, r"k_neighbors must be an integer.*NoneType"),
        (NearestNeighbors(n_neighbors=1), InvalidParameterError, r"k_neighbors=.*n_neighbors >= 2"),
    ],
)
def test_bad_k_neighbors(value, error, pattern):
    X, y = DATASETS["binary"]
    with pytest.raises(error, match=pattern):
        SMOTE(k_neighbors=value).fit_resample(X, y)


def test_small_class_uses_all_its_other_rows():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.randn(30, 2), rng.randn(4, 2) + 3])
    y = np.array([0] * 30 + [1] * 4)
    sampler = SMOTE(k_neighbors=5, random_state=0)
    with pytest.warns(SmallClassWarning, match="using 3 neighbours"):
        X_res, y_res = sampler.fit_resample(X, y, sample_weight=np.arange(34))
    assert Counter(y_res.tolist()) == {0: 30, 1: 30}
    origin = sampler.sample_weight_[34:].astype(int)
    _check_on_segments(X, y, X_res, y_res, origin, 3)


def test_non_numeric_data_points_to_smotenc():
    X = np.array([["a", 1.0], ["b", 2.0]] * 10, dtype=object)
    y = np.array([0] * 15 + [1] * 5)
    with pytest.raises(DataTypeError, match="SMOTE needs numeric data.*Use SMOTENC"):
        SMOTE().fit_resample(X, y)
    with pytest.raises(BalancekitError, match="SMOTENC"):
        SMOTE().fit_resample([["a", 1.0], ["b", 2.0]] * 10, y)


def test_non_numeric_columns_point_to_smotenc(frame_lib):
    data = {"amount": np.linspace(0, 1, 20), "shop": ["a", "b"] * 10}
    frame = frame_lib.DataFrame(data)
    y = np.array([0] * 15 + [1] * 5)
    with pytest.raises(DataError, match=r"non-numeric column\(s\) 'shop'.*Use SMOTENC"):
        SMOTE().fit_resample(frame, y)


def test_numeric_frame_matches_array(frame_lib):
    X, y = DATASETS["binary"]
    frame = frame_lib.DataFrame({f"f{j}": X[:, j] for j in range(X.shape[1])})
    X_frame, _ = SMOTE(random_state=0).fit_resample(frame, y)
    X_arr, _ = SMOTE(random_state=0).fit_resample(X, y)
    assert list(X_frame.columns) == list(frame.columns)
    np.testing.assert_array_equal(X_frame.to_numpy(), X_arr)


@pytest.mark.parametrize("name", ["binary", "float32"])
def test_column_major_input_gives_the_same_rows(monkeypatch, name):
    # A pandas frame's values are column-major; the new rows are written in chunks of 64.
    monkeypatch.setattr(_kernels, "_CHUNK_BYTES", 1)
    X, y = DATASETS[name]
    X_f, y_f = SMOTE(random_state=0).fit_resample(np.asfortranarray(X), y)
    X_c, y_c = SMOTE(random_state=0).fit_resample(np.ascontiguousarray(X), y)
    assert len(X_c) - len(X) > 2 * 64
    np.testing.assert_array_equal(X_f, X_c)
    np.testing.assert_array_equal(y_f, y_c)


def test_nothing_to_generate_returns_the_input():
    X, y = DATASETS["binary"]
    counts = Counter(y.tolist())
    sampler = SMOTE(sampling_strategy={0: counts[0], 1: counts[1]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X)
    np.testing.assert_array_equal(y_res, y)


def test_sparse_smote_peak_memory():
    """The sparse rows are interpolated in chunks and written straight into the output:
    scipy's arithmetic holds several temporaries as large as the rows it combines (1.9
    outputs here), and its stacking the new rows next to the output (1.56)."""
    rng = np.random.default_rng(0)
    X = sp.random(20_000, 300, density=0.04, format="csr", random_state=0)
    y = (rng.random(20_000) < 0.05).astype(int)
    SMOTE(random_state=0).fit_resample(X[:2000], y[:2000])
    peak, (X_res, y_res) = traced_peak(lambda: SMOTE(random_state=0).fit_resample(X, y))
    output = X_res.data.nbytes + X_res.indices.nbytes + X_res.indptr.nbytes + y_res.nbytes
    assert peak <= 1.35 * output, peak / output


def test_sparse_search_of_the_whole_data_peak_memory():
    """ADASYN and BorderlineSMOTE search the minority rows among all the rows: with
    scikit-learn's search, a chunk of 64 rows' distances to every row took them to 3.0
    outputs on such data; the blockwise search's blocks follow the stored values."""
    from balancekit.over_sampling import ADASYN, BorderlineSMOTE

    rng = np.random.default_rng(0)
    y = (rng.random(35_000) < 0.028).astype(int)
    X = sp.random(35_000, 300, density=0.04, format="csr", random_state=0)
    for sampler in (ADASYN, BorderlineSMOTE):
        sampler(random_state=0).fit_resample(X[:3000], y[:3000])
        peak, (X_res, y_res) = traced_peak(lambda s=sampler: s(random_state=0).fit_resample(X, y))
        output = X_res.data.nbytes + X_res.indices.nbytes + X_res.indptr.nbytes + y_res.nbytes
        assert peak <= 1.5 * output, (sampler.__name__, peak / output)


class _ReturnDistanceOnly(NearestNeighbors):
    """A neighbours estimator whose kneighbors takes no n_neighbors, as imbalanced-learn
    calls it (its own n_neighbors sets the size)."""

    def kneighbors(self, X=None, return_distance=True):
        return super().kneighbors(X, return_distance=return_distance)


class _TooFew(NearestNeighbors):
    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        return super().kneighbors(X, 2, return_distance)


class _NotAnEstimator:
    n_neighbors = 6

    def fit(self, X):
        return self

    def kneighbors(self, X, n_neighbors=None, return_distance=True):
        raise AssertionError("not called")


def test_k_neighbors_estimator_called_as_imblearn_calls_it():
    X, y = DATASETS["multiclass"]
    X_own, _ = SMOTE(k_neighbors=_ReturnDistanceOnly(n_neighbors=4),
                     random_state=0).fit_resample(X, y)
    X_int, _ = SMOTE(k_neighbors=3, random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X_own, X_int)
    X_ref, _ = _imblearn(X, y, 0, k_neighbors=_ReturnDistanceOnly(n_neighbors=4))
    np.testing.assert_array_equal(X_own, X_ref)
    with pytest.raises(InvalidParameterError, match=r"returned \[\(\d+, 2\), \(\d+, 2\)\].*"
                                                    r"expected.*\(\d+, 4\) each"):
        SMOTE(k_neighbors=_TooFew(n_neighbors=4), random_state=0).fit_resample(X, y)
    with pytest.raises(InvalidParameterTypeError,
                       match=r"k_neighbors must be a scikit-learn estimator.*_NotAnEstimator"):
        SMOTE(k_neighbors=_NotAnEstimator()).fit_resample(X, y)
