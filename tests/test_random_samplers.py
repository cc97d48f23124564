"""RandomOverSampler and RandomUnderSampler against imbalanced-learn."""

import warnings
from collections import Counter

import numpy as np
import pytest
from sklearn.datasets import make_classification

from balancekit.exceptions import (
    DataError,
    DataTypeError,
    InvalidParameterError,
    InvalidParameterTypeError,
)
from balancekit.over_sampling import RandomOverSampler
from balancekit.under_sampling import RandomUnderSampler

imblearn_over = pytest.importorskip("imblearn.over_sampling")
imblearn_under = pytest.importorskip("imblearn.under_sampling")


def _multiclass():
    X, y = make_classification(
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
    return X, y


def _binary():
    X, y = _multiclass()
    return X, (y == 2).astype(int)


STRATEGIES_OVER = ["auto", "minority", "not minority", "all", {1: 120, 2: 60}]
STRATEGIES_UNDER = ["auto", "majority", "not majority", "all", {0: 50, 1: 40}]


@pytest.mark.parametrize("seed", [0, 11])
@pytest.mark.parametrize("strategy", STRATEGIES_OVER, ids=str)
def test_over_sampler_selects_the_same_rows_as_imblearn(strategy, seed):
    X, y = _multiclass()
    ours = RandomOverSampler(sampling_strategy=strategy, random_state=seed)
    X_res, y_res = ours.fit_resample(X, y)
    theirs = imblearn_over.RandomOverSampler(sampling_strategy=strategy, random_state=seed)
    X_ref, y_ref = theirs.fit_resample(X, y)
    # Same draws: the same rows in the same order (originals first, then the copies).
    np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)
    np.testing.assert_array_equal(X_res, X[ours.sample_indices_])
    np.testing.assert_array_equal(ours.sample_indices_[: y.size], np.arange(y.size))


@pytest.mark.parametrize("replacement", [False, True])
@pytest.mark.parametrize("seed", [0, 11])
@pytest.mark.parametrize("strategy", STRATEGIES_UNDER, ids=str)
def test_under_sampler_selects_the_same_rows_as_imblearn(strategy, seed, replacement):
    X, y = _multiclass()
    ours = RandomUnderSampler(
        sampling_strategy=strategy, random_state=seed, replacement=replacement
    )
    X_res, y_res = ours.fit_resample(X, y)
    theirs = imblearn_under.RandomUnderSampler(
        sampling_strategy=strategy, random_state=seed, replacement=replacement
    )
    theirs.fit_resample(X, y)
    # The same multiset of rows; balancekit keeps them in their original order.
    assert (np.diff(ours.sample_indices_) >= 0).all()
    np.testing.assert_array_equal(ours.sample_indices_, np.sort(theirs.sample_indices_))
    np.testing.assert_array_equal(X_res, X[ours.sample_indices_])
    np.testing.assert_array_equal(y_res, y[ours.sample_indices_])
    assert Counter(y_res.tolist()) == Counter(y[theirs.sample_indices_].tolist())


def test_string_labels_draw_the_same_rows():
    X, y = _multiclass()
    names = np.array(["a", "b", "c"])[y]
    ros = RandomOverSampler(random_state=3)
    ros.fit_resample(X, names)
    ref = imblearn_over.RandomOverSampler(random_state=3)
    ref.fit_resample(X, names)
    np.testing.assert_array_equal(ros.sample_indices_, ref.sample_indices_)


def test_replacement():
    X, y = _multiclass()
    without = RandomUnderSampler(random_state=0).fit(X, y)
    without.fit_resample(X, y)
    assert np.unique(without.sample_indices_).size == without.sample_indices_.size
    # Drawing as many rows as a class has, with replacement: repeats appear.
    counts = Counter(y.tolist())
    sampler = RandomUnderSampler(
        sampling_strategy={0: counts[0], 1: counts[1]}, replacement=True, random_state=0
    )
    _, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res.tolist()) == counts
    assert np.unique(sampler.sample_indices_).size < sampler.sample_indices_.size
    for bad in ("yes", 1, None):
        with pytest.raises(InvalidParameterTypeError, match="replacement must be True or False"):
            RandomUnderSampler(replacement=bad).fit_resample(X, y)


def _noise_std(n_samples, n_features, class_std, shrinkage):
    smoothing = (4 / ((n_features + 2) * n_samples)) ** (1 / (n_features + 4))
    return shrinkage * smoothing * class_std


def test_shrinkage_binary_same_as_imblearn():
    X, y = _binary()
    for shrinkage in (0.5, 2.0):
        ours = RandomOverSampler(shrinkage=shrinkage, random_state=4)
        X_res, y_res = ours.fit_resample(X, y)
        theirs = imblearn_over.RandomOverSampler(shrinkage=shrinkage, random_state=4)
        X_ref, y_ref = theirs.fit_resample(X, y)
        np.testing.assert_allclose(X_res, X_ref, rtol=1e-12, atol=1e-12)
        np.testing.assert_array_equal(y_res, y_ref)
        # The smoothed rows are listed by the rows they were drawn from.
        np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)


@pytest.mark.parametrize("strategy", ["auto", "all", {1: 120, 2: 60}], ids=str)
def test_shrinkage_multiclass_same_as_imblearn(strategy):
    # Each class's rows, then its noise: imbalanced-learn's draws with several classes too.
    X, y = _multiclass()
    for seed in (0, 5):
        ours = RandomOverSampler(sampling_strategy=strategy, shrinkage=0.7, random_state=seed)
        X_res, y_res = ours.fit_resample(X, y)
        theirs = imblearn_over.RandomOverSampler(
            sampling_strategy=strategy, shrinkage=0.7, random_state=seed
        )
        X_ref, y_ref = theirs.fit_resample(X, y)
        np.testing.assert_array_equal(ours.sample_indices_, theirs.sample_indices_)
        np.testing.assert_allclose(X_res, X_ref, rtol=1e-12, atol=1e-12)
        np.testing.assert_array_equal(y_res, y_ref)


def test_shrinkage_dict_may_name_classes_not_resampled():
    # As in imbalanced-learn: one dict for every class serves any strategy; the majority's
    # value is not used when only the others grow.
    X, y = _multiclass()
    shrinkage = {0: 5.0, 1: 0.5, 2: 2.0}
    ours = RandomOverSampler(shrinkage=shrinkage, random_state=3)
    X_res, y_res = ours.fit_resample(X, y)
    theirs = imblearn_over.RandomOverSampler(shrinkage=shrinkage, random_state=3)
    X_ref, y_ref = theirs.fit_resample(X, y)
    assert ours.shrinkage_ == theirs.shrinkage_ == shrinkage
    np.testing.assert_allclose(X_res, X_ref, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(y_res, y_ref)


def test_shrinkage_has_the_documented_spread():
    X, y = _multiclass()
    n = y.size
    shrinkage = {1: 0.5, 2: 2.0}
    noise = {1: [], 2: []}
    for seed in range(4):
        sampler = RandomOverSampler(shrinkage=shrinkage, random_state=seed)
        X_res, y_res = sampler.fit_resample(X, y, sample_weight=np.arange(n))
        assert sampler.shrinkage_ == shrinkage
        origin = sampler.sample_weight_[n:].astype(int)
        assert (y[origin] == y_res[n:]).all()
        for label in noise:
            new = y_res[n:] == label
            noise[label].append(X_res[n:][new] - X[origin[new]])
    for label, parts in noise.items():
        eps = np.vstack(parts)
        expected = _noise_std(n, X.shape[1], X[y == label].std(axis=0), shrinkage[label])
        np.testing.assert_allclose(eps.std(axis=0), expected, rtol=0.12)
        np.testing.assert_array_less(np.abs(eps.mean(axis=0)), 0.15 * expected)


def test_shrinkage_statistically_like_imblearn():
    X, y = _multiclass()
    n = y.size
    ours, theirs = [], []
    for seed in range(5):
        X_res, y_res = RandomOverSampler(shrinkage=1.0, random_state=seed).fit_resample(X, y)
        X_ref, y_ref = imblearn_over.RandomOverSampler(
            shrinkage=1.0, random_state=seed
        ).fit_resample(X, y)
        ours.append((X_res[n:], y_res[n:]))
        theirs.append((X_ref[n:], y_ref[n:]))
    for label in (1, 2):
        a = np.vstack([x[yy == label] for x, yy in ours])
        b = np.vstack([x[yy == label] for x, yy in theirs])
        assert a.shape == b.shape
        spread = b.std(axis=0)
        np.testing.assert_allclose(a.std(axis=0), spread, rtol=0.1)
        np.testing.assert_array_less(np.abs(a.mean(axis=0) - b.mean(axis=0)), 0.15 * spread)


def test_zero_shrinkage_copies_rows_and_keeps_float32():
    X, y = _multiclass()
    n = y.size
    sampler = RandomOverSampler(shrinkage=0, random_state=0)
    X_res, _ = sampler.fit_resample(X, y, sample_weight=np.arange(n))
    np.testing.assert_array_equal(X_res[n:], X[sampler.sample_weight_[n:].astype(int)])
    X32, _ = RandomOverSampler(shrinkage=1.0, random_state=0).fit_resample(X.astype(np.float32), y)
    assert X32.dtype == np.float32


@pytest.mark.parametrize(
    "shrinkage, error, pattern",
    [
        (-1.0, InvalidParameterError, r"shrinkage=-1.0 is out of range; it must be >= 0"),
        (
            {1: 1.0},
            InvalidParameterError,
            r"shrinkage must give a value for every resampled class; missing \[2\]",
        ),
        (
            {1: 1.0, 2: 1.0, 7: 1.0},
            InvalidParameterError,
            r"shrinkage names label\(s\) \[7\] that are not classes of y",
        ),
        ({1: 1.0, 2: -0.5}, InvalidParameterError, r"shrinkage\[2\]=-0.5 is out of range"),
        ({1: 1.0, 2: "big"}, InvalidParameterTypeError, r"shrinkage\[2\] must be a number"),
        ("big", InvalidParameterTypeError, r"shrinkage must be None, a float >= 0 or a dict"),
        (True, InvalidParameterTypeError, r"shrinkage must be None, a float >= 0 or a dict"),
        (float("inf"), InvalidParameterError, r"shrinkage=inf must be finite"),
    ],
)
def test_bad_shrinkage(shrinkage, error, pattern):
    X, y = _multiclass()
    with pytest.raises(error, match=pattern):
        RandomOverSampler(shrinkage=shrinkage).fit_resample(X, y)


def test_shrinkage_needs_numbers():
    X = np.array([["a", 1.0], ["b", 2.0], ["c", 3.0], ["d", 4.0]], dtype=object)
    with pytest.raises(DataTypeError, match="RandomOverSampler needs numeric data.*With "
                                            "shrinkage it adds noise to numbers; leave "
                                            "shrinkage=None to copy rows of any type"):
        RandomOverSampler(shrinkage=1.0).fit_resample(X, [0, 0, 0, 1])
    # Its errors on values say what it does with them (no distances).
    X, y = _binary()
    for bad, pattern in ((np.where(X > 1.5, np.nan, X), r"NaN value.*RandomOverSampler\(shrink"),
                         (X * 1e200, r"RandomOverSampler\(shrinkage=...\) and its columns' "
                                     r"standard deviations square the values")):
        with pytest.raises(DataError, match=pattern):
            RandomOverSampler(shrinkage=1.0).fit_resample(bad, y)


def _object_table():
    rng = np.random.RandomState(0)
    n = 40
    X = np.empty((n, 3), dtype=object)
    X[:, 0] = rng.choice(["red", "green", None], size=n)
    X[:, 1] = np.where(rng.rand(n) < 0.2, np.nan, rng.randn(n))
    X[:, 2] = rng.randint(0, 5, size=n)
    y = np.array([0] * 30 + [1] * 10)
    return X, y


def _same_cells(a, b):
    assert a.shape == b.shape
    for u, v in zip(a.ravel().tolist(), b.ravel().tolist(), strict=True):
        assert u is v or u == v or (u != u and v != v), (u, v)


@pytest.mark.parametrize("cls", [RandomOverSampler, RandomUnderSampler])
def test_text_and_missing_values_pass_through(cls):
    X, y = _object_table()
    X_copy = X.copy()
    sampler = cls(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert X_res.dtype == object
    _same_cells(X_res, X[sampler.sample_indices_])
    _same_cells(X, X_copy)  # input untouched
    np.testing.assert_array_equal(y_res, y[sampler.sample_indices_])
    assert abs(Counter(y_res.tolist())[0] - Counter(y_res.tolist())[1]) == 0


@pytest.mark.parametrize("cls", [RandomOverSampler, RandomUnderSampler])
def test_frames_with_text_and_missing_values_pass_through(cls, frame_lib):
    X, y = _object_table()
    if frame_lib.__name__ == "pandas":
        frame = frame_lib.DataFrame(
            {
                "colour": frame_lib.Series(X[:, 0].tolist(), dtype="str"),
                "amount": X[:, 1].astype(float),
                "shop": frame_lib.Categorical(X[:, 2].astype(str), categories=list("012345")),
            }
        )
    else:
        frame = frame_lib.DataFrame(
            {
                "colour": frame_lib.Series(X[:, 0].tolist(), dtype=frame_lib.String),
                "amount": frame_lib.Series(X[:, 1].astype(float).tolist()).fill_nan(None),
                "shop": frame_lib.Series(X[:, 2].astype(str).tolist(), dtype=frame_lib.Categorical),
            }
        )
    sampler = cls(random_state=0)
    X_res, _ = sampler.fit_resample(frame, y)
    idx = sampler.sample_indices_
    if frame_lib.__name__ == "pandas":
        # Only input rows: they keep their index labels (as in imbalanced-learn).
        frame_lib.testing.assert_frame_equal(X_res, frame.iloc[idx])
    else:
        from polars.testing import assert_frame_equal

        assert_frame_equal(X_res, frame[idx])
    # The same rows as drawn from the plain array.
    plain = cls(random_state=0)
    plain.fit_resample(X, y)
    np.testing.assert_array_equal(plain.sample_indices_, idx)


@pytest.mark.parametrize("cls", [RandomOverSampler, RandomUnderSampler])
def test_lists_of_rows_give_lists_of_numbers(cls):
    # Lists in, lists out (as imbalanced-learn), of numbers rather than their text.
    X = [[1, 2.5], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12]]
    y = [0, 0, 0, 0, 1, 1]
    sampler = cls(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert isinstance(X_res, list) and all(isinstance(v, float) for row in X_res for v in row)
    assert X_res == np.asarray(X, dtype=float)[sampler.sample_indices_].tolist()
    assert isinstance(y_res, list) and all(type(v) is int for v in y_res)
    assert Counter(y_res)[0] == Counter(y_res)[1]


@pytest.mark.parametrize(
    "make",
    [
        lambda: RandomUnderSampler(random_state=0),
        lambda: RandomOverSampler(random_state=0),
        lambda: __import__("balancekit.under_sampling", fromlist=["x"]).TomekLinks(),
        lambda: __import__("balancekit.under_sampling", fromlist=["x"]).NearMiss(),
    ],
)
def test_selected_rows_keep_their_pandas_index_labels(make):
    # Code that joins the kept rows back to the source table (df.loc[X_res.index]) must
    # find the rows that were selected, not the first n rows of the table.
    pd = pytest.importorskip("pandas")
    X, y = make_classification(300, 4, weights=[0.8], random_state=2)
    frame = pd.DataFrame(X, columns=list("abcd"), index=np.arange(300) * 3 + 1000)
    target = pd.Series(y, index=frame.index, name="t")
    sampler = make()
    X_res, y_res = sampler.fit_resample(frame, target)
    rows = sampler.sample_indices_
    assert list(X_res.index) == list(frame.index[rows])
    assert list(y_res.index) == list(X_res.index)
    pd.testing.assert_frame_equal(frame.loc[X_res.index[~X_res.index.duplicated()]],
                                  X_res[~X_res.index.duplicated()])


def test_index_labels_match_imbalanced_learn():
    # imbalanced-learn's RandomUnderSampler keeps the labels too (its other samplers reset them).
    pd = pytest.importorskip("pandas")
    X, y = make_classification(200, 4, weights=[0.85], random_state=4)
    frame = pd.DataFrame(X, index=[f"id{i}" for i in range(200)])
    ours, _ = RandomUnderSampler(random_state=1).fit_resample(frame, y)
    theirs, _ = imblearn_under.RandomUnderSampler(random_state=1).fit_resample(frame, y)
    # The same rows, each with its input label (balancekit keeps the input order).
    assert sorted(ours.index) == sorted(theirs.index)


@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_shrinkage_on_sparse_data_as_on_dense(fmt):
    import scipy.sparse as sp

    X, y = _multiclass()
    X = np.where(X > 0, X, 0.0)
    sampler = RandomOverSampler(shrinkage={1: 0.5, 2: 2.0}, random_state=3)
    dense, y_dense = sampler.fit_resample(X, y)
    out, y_out = sampler.fit_resample(sp.csr_matrix(X).asformat(fmt), y)
    assert sp.issparse(out) and out.format == fmt
    np.testing.assert_allclose(out.toarray(), dense, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(y_out, y_dense)
    ref, _ = imblearn_over.RandomOverSampler(shrinkage=0.5, random_state=3).fit_resample(
        sp.csr_matrix(X), y)
    assert ref.shape == out.shape


@pytest.mark.parametrize("make", [lambda: RandomOverSampler(random_state=0),
                                  lambda: RandomUnderSampler(random_state=0)],
                         ids=["RandomOverSampler", "RandomUnderSampler"])
def test_np_matrix_is_refused_as_by_imbalanced_learn_and_with_shrinkage(make):
    # Taken as an array without shrinkage, refused with it (and by imbalanced-learn, and by
    # every other sampler): a hook given a matrix gets 2-D rows from X[i].
    X, y = make_classification(40, 3, n_informative=2, n_redundant=0, weights=[0.75],
                               random_state=0)
    theirs = (imblearn_over.RandomOverSampler if isinstance(make(), RandomOverSampler)
              else imblearn_under.RandomUnderSampler)(random_state=0)
    with pytest.raises(TypeError, match="np.matrix is not supported") as expected:
        theirs.fit_resample(np.matrix(X), y)
    with pytest.raises(TypeError, match="np.matrix is not supported"):
        RandomOverSampler(shrinkage=1.0).fit_resample(np.matrix(X), y)
    with pytest.raises(DataTypeError) as got:
        make().fit_resample(np.matrix(X), y)
    assert str(got.value).startswith(str(expected.value).split(" For more")[0].rstrip("."))
    assert make().fit_resample(np.asarray(X), y)[0].shape[1] == 3


def test_shrinkage_too_large_for_the_values_is_named():
    import pandas as pd

    from balancekit.exceptions import BalancekitWarning

    rng = np.random.RandomState(0)
    X = pd.DataFrame({"x": rng.normal(size=40), "n": rng.randint(0, 9, size=40)})
    y = np.array([0] * 30 + [1] * 10)
    # Noise beyond float64: refused, naming the parameter, with no overflow warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(InvalidParameterError, match=r"shrinkage=1e\+308 for class 1 makes "
                           "noise beyond the largest float64"):
            RandomOverSampler(shrinkage=1e308, random_state=0).fit_resample(X, y)
    # Finite, but beyond an integer column's type: its new values are set to the limits,
    # and the warning says why instead of blaming the column's values.
    with pytest.warns(BalancekitWarning, match="new values of column 'n' fall outside the "
                      "range of its type int64"):
        X_res, _ = RandomOverSampler(shrinkage=1e300, random_state=0).fit_resample(X, y)
    assert X_res["n"].dtype == np.int64
    assert (np.abs(X_res["n"].to_numpy(float)[40:]) > 2**62).all()  # at the limits, no wrap
