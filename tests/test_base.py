"""Samplers of one's own: BaseSampler subclasses written from its documentation."""

import pickle

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression

from balancekit import BaseSampler, Resampled
from balancekit.exceptions import DataError, InvalidParameterTypeError
from balancekit.pipeline import make_pipeline


class RepeatRows(BaseSampler):
    """Copies each row of the classes it grows ``k`` times."""

    _sampling_type = "over-sampling"
    _input = "any"

    def __init__(self, *, k=2, sampling_strategy="minority"):
        self.k = k
        self.sampling_strategy = sampling_strategy

    def _fit_resample(self, X, y, *, targets, rng):
        times = np.ones(y.shape[0], dtype=np.intp)
        for label in targets:
            times[y == label] = self.k
        return Resampled(np.repeat(np.arange(y.shape[0]), times))


class Jitter(BaseSampler):
    """Grows classes with noisy copies of random rows; dense or sparse numbers."""

    _sampling_type = "over-sampling"
    _input = "numeric"
    _accept_sparse = True

    def __init__(self, *, sampling_strategy="auto", scale=0.1, random_state=None):
        self.sampling_strategy = sampling_strategy
        self.scale = scale
        self.random_state = random_state

    def _fit_resample(self, X, y, *, targets, rng):
        origin = np.concatenate([
            rng.choice(np.flatnonzero(y == label), target - np.sum(y == label))
            for label, target in targets.items()])
        base = X[origin].toarray() if sp.issparse(X) else X[origin]
        new = (base + self.scale * rng.standard_normal(base.shape)).astype(X.dtype)
        self.n_new_ = origin.size
        return Resampled(None, sp.csr_matrix(new) if sp.issparse(X) else new, origin=origin)


def _data(n=40):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(n, 3))
    y = np.array([0] * (n - n // 4) + [1] * (n // 4))
    return X, y


def _sampler(hook, kind="over-sampling"):
    """A sampler whose hook returns ``hook(X, y)``."""

    class Custom(BaseSampler):
        _sampling_type = kind

        def __init__(self, *, sampling_strategy="auto"):
            self.sampling_strategy = sampling_strategy

        def _fit_resample(self, X, y, *, targets, rng):
            return hook(X, y)

    return Custom()


@pytest.mark.parametrize("hook, match", [
    # imbalanced-learn's hook returns (X_res, y_res).
    (lambda X, y: (X[:5], y[:5]), "returned a tuple; it must return a balancekit.Resampled"),
    (lambda X, y: None, "returned a NoneType"),
    # A boolean mask was read as rows 0 and 1 (30 copies of the first two rows).
    (lambda X, y: Resampled(y == 0), r"dtype bool .*np\.flatnonzero"),
    # A negative row number took a row from the end of X.
    (lambda X, y: Resampled(np.array([0, 1, -1])), "from -1 to 1; X has 40 rows"),
    (lambda X, y: Resampled(np.array([0.0, 1.5])), "dtype float64"),
    (lambda X, y: Resampled(np.array([0, 40])), "numbered 0 to 39"),
    # Rows and labels (or weights) of different lengths came back without a word.
    (lambda X, y: Resampled(None, X[:5], np.ones(3, int), np.arange(5)),
     "5 synthetic rows but 3 labels"),
    (lambda X, y: Resampled(None, X[:5], np.ones(5, int), np.arange(3)),
     "5 synthetic rows but 3 origin rows"),
    (lambda X, y: Resampled(None, X[:5]), "without their labels"),
    (lambda X, y: Resampled(None, X[:5, :2], np.ones(5, int), np.arange(5)),
     r"shape \(5, 2\); expected \(n_new, 3\)"),
    (lambda X, y: Resampled(None, X[0], np.ones(3, int), np.arange(3)), r"shape \(3,\)"),
    (lambda X, y: Resampled(None, None, None, np.arange(3)), "without synthetic rows"),
])
@pytest.mark.parametrize("container", ["numpy", "pandas"])
def test_a_wrong_hook_result_is_named(hook, match, container):
    X, y = _data()
    if container == "pandas":
        X = pd.DataFrame(X, columns=["a", "b", "c"])
    with pytest.raises(DataError, match=match):
        _sampler(hook).fit_resample(X, y, sample_weight=np.ones(y.shape[0]))


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.integers(-60, 60), max_size=30), n_new=st.integers(0, 5),
       n_labels=st.integers(0, 5), n_origin=st.integers(0, 5))
def test_the_output_rows_labels_and_weights_match_or_an_error_says_why(
        rows, n_new, n_labels, n_origin):
    X, y = _data()

    def hook(X, y):
        return Resampled(np.array(rows, dtype=np.intp), X[:n_new] if n_new else None,
                         y[:n_labels] if n_labels else None,
                         np.arange(n_origin) if n_origin else None)

    weights = np.arange(y.shape[0], dtype=float)
    try:
        sampler = _sampler(hook)
        X_res, y_res = sampler.fit_resample(X, y, sample_weight=weights)
    except DataError:
        valid = (all(0 <= r < 40 for r in rows) and (
            (n_new == 0 and n_labels == 0 and n_origin == 0)
            or (n_new > 0 and n_origin == n_new and n_labels in (0, n_new))))
        assert not valid
        return
    assert X_res.shape[0] == y_res.shape[0] == sampler.sample_weight_.shape[0]
    assert X_res.shape[0] == len(rows) + n_new
    np.testing.assert_array_equal(X_res[:len(rows)], X[rows])
    np.testing.assert_array_equal(sampler.sample_weight_[:len(rows)], weights[rows])


def test_a_sampler_without_sampling_strategy_is_told_to_take_it():
    class DropMissing(BaseSampler):
        _sampling_type = "clean-sampling"
        _input = "any"

        def _fit_resample(self, X, y, *, targets, rng):
            return Resampled(np.flatnonzero(~pd.isna(X).any(axis=1)))

    X, y = _data()
    for call in (DropMissing().fit_resample, DropMissing().fit):
        # It failed with "'DropMissing' object has no attribute 'sampling_strategy'".
        with pytest.raises(InvalidParameterTypeError, match="takes sampling_strategy in __init__"):
            call(X, y)


@pytest.mark.parametrize("attribute, value, match", [
    ("_sampling_type", "oversampling", r"_sampling_type='oversampling' is not supported"),
    ("_input", "dense", r"_input='dense' is not supported"),
])
def test_a_wrong_class_attribute_is_named(attribute, value, match):
    X, y = _data()
    sampler = _sampler(lambda X, y: Resampled(None))
    setattr(type(sampler), attribute, value)
    with pytest.raises(InvalidParameterTypeError, match=match):
        sampler.fit_resample(X, y)


def test_a_hook_cannot_write_into_the_callers_array():
    def center(X, y):
        X -= X.mean(axis=0)
        return Resampled(None)

    X, y = _data()
    before = X.copy()
    with pytest.raises(ValueError, match="read-only"):
        _sampler(center).fit_resample(X, y)
    np.testing.assert_array_equal(X, before)


def test_the_documented_samplers_work_as_balancekit_samplers():
    X, y = _data()
    frame = pd.DataFrame({"a": X[:, 0], "n": np.arange(40),
                          "c": pd.Categorical(list("xyz") * 13 + ["x"])}, index=np.arange(40) * 10)
    weights = np.arange(40, dtype=float)
    sampler = RepeatRows(k=3)
    X_res, y_res = sampler.fit_resample(frame, pd.Series(y, index=frame.index), sample_weight=weights)
    assert X_res.dtypes.equals(frame.dtypes) and np.bincount(y_res).tolist() == [30, 30]
    assert X_res.index.equals(frame.index[sampler.sample_indices_])
    np.testing.assert_array_equal(sampler.sample_weight_, weights[sampler.sample_indices_])
    assert clone(sampler).get_params() == {"k": 3, "sampling_strategy": "minority"}
    assert pickle.loads(pickle.dumps(sampler)).k == 3

    for data in (X, X.astype(np.float32), sp.csr_matrix(X)):
        jitter = Jitter(random_state=0)
        X_res, y_res = jitter.fit_resample(data, y, sample_weight=weights)
        assert type(X_res) is type(data) and X_res.dtype == data.dtype
        assert jitter.n_new_ == 20 and X_res.shape == (60, 3) and y_res.shape == (60,)
        assert not hasattr(jitter, "sample_indices_") and jitter.sample_weight_.shape == (60,)
    pipe = make_pipeline(Jitter(random_state=0), LogisticRegression()).fit(X, y)
    assert pipe.predict(X).shape == (40,)
