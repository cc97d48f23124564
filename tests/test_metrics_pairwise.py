"""ValueDifferenceMetric: cross-checks with imbalanced-learn, SMOTEN's distance, errors."""

import subprocess
import sys
import warnings
from unittest import mock

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import OrdinalEncoder

from balancekit.exceptions import (
    DataError,
    DataTypeError,
    InvalidParameterError,
    InvalidParameterTypeError,
)
from balancekit.metrics import pairwise
from balancekit.metrics.pairwise import ValueDifferenceMetric
from balancekit.over_sampling import _smotenc
from balancekit.over_sampling._smotenc import _vdm_block, vdm_tables

imblearn_pairwise = pytest.importorskip("imblearn.metrics.pairwise")


def _as_form(codes, form):
    """The codes as a user may hold them."""
    if form == "int32":
        return codes.astype(np.int32)
    if form == "float":  # OrdinalEncoder's default output
        return codes.astype(np.float64)
    if form == "str":  # text of whole numbers, which imbalanced-learn reads as numbers
        return codes.astype(str)
    if form == "frame":
        return pd.DataFrame(codes, columns=[f"f{j}" for j in range(codes.shape[1])])
    return codes


@st.composite
def _vdm_case(draw):
    n_features = draw(st.integers(1, 4))
    n_rows = draw(st.integers(1, 30))
    X = draw(arrays(np.int64, (n_rows, n_features), elements=st.integers(0, 5)))
    n_classes = draw(st.integers(1, 4))
    y = draw(arrays(np.int64, n_rows, elements=st.integers(0, n_classes - 1)))
    if draw(st.booleans()):
        y = np.array([f"class {v}" for v in y])
    auto = draw(st.booleans())
    extra = draw(arrays(np.int64, n_features, elements=st.integers(0, 2)))
    n_levels = X.max(axis=0) + 1 + (0 if auto else extra)
    n_categories = "auto" if auto else draw(st.sampled_from([list, tuple, np.asarray]))(
        n_levels.tolist())
    # Y may hold codes that no training row holds, below n_categories.
    n_other = draw(st.integers(1, 12))
    Y = np.column_stack([draw(arrays(np.int64, n_other, elements=st.integers(0, int(n - 1))))
                         for n in n_levels])
    return X, y, n_categories, Y


@settings(max_examples=150, deadline=None)
@given(case=_vdm_case(), k=st.integers(1, 4), r=st.integers(1, 3),
       form=st.sampled_from(["int64", "int32", "float", "str", "frame"]),
       profiles=st.booleans())
def test_equals_imblearn(case, k, r, form, profiles):
    X, y, n_categories, Y = case
    X_in, Y_in = _as_form(X, form), _as_form(Y, form)
    theirs = imblearn_pairwise.ValueDifferenceMetric(n_categories=n_categories, k=k, r=r)
    theirs.fit(X_in, y)
    # profiles: the distances computed from the class profiles, as for features of many levels.
    with mock.patch.object(_smotenc, "_VDM_TABLE_LEVELS", 0 if profiles else 1024):
        ours = ValueDifferenceMetric(n_categories=n_categories, k=k, r=r).fit(X_in, y)
        np.testing.assert_array_equal(ours.n_categories_, theirs.n_categories_)
        assert len(ours.proba_per_class_) == len(theirs.proba_per_class_)
        for mine, other in zip(ours.proba_per_class_, theirs.proba_per_class_, strict=True):
            np.testing.assert_allclose(mine, other, rtol=1e-12, atol=0)
        np.testing.assert_array_equal(ours.classes_, np.unique(y))
        assert ours.n_features_in_ == theirs.n_features_in_
        if form == "frame":
            np.testing.assert_array_equal(ours.feature_names_in_, theirs.feature_names_in_)
        for args in [(X_in,), (X_in, Y_in), (Y_in,), (Y_in, X_in)]:
            expected = theirs.pairwise(*args)
            got = ours.pairwise(*args)
            assert got.shape == expected.shape
            assert got.dtype == np.float64
            np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def _coded(seed=0, n=120):
    rng = np.random.RandomState(seed)
    raw = np.column_stack([rng.choice(list("abcd"), n), rng.choice(list("xyz"), n),
                           rng.choice(list("pq"), n)])
    y = rng.choice(["fraud", "ok", "review"], size=n, p=[0.2, 0.6, 0.2])
    encoder = OrdinalEncoder(dtype=np.int64).fit(raw)
    return encoder.transform(raw), y, [len(c) for c in encoder.categories_]


@pytest.mark.parametrize("levels", [1024, 0])
def test_defaults_are_the_distance_smoten_searches_with(levels, monkeypatch):
    monkeypatch.setattr(_smotenc, "_VDM_TABLE_LEVELS", levels)
    codes, y, n_levels = _coded()
    n = codes.shape[0]
    smoten = _vdm_block(codes, vdm_tables(codes, y, n_levels))(0, n, 0, n)
    np.testing.assert_array_equal(ValueDifferenceMetric().fit(codes, y).pairwise(codes), smoten)


def test_unseen_categories():
    codes, y, n_levels = _coded(seed=1)
    new = np.array([[0, 0, 0], [4, 0, 1]])  # code 4 of the first feature: no training row has it
    fitted = ValueDifferenceMetric().fit(codes, y)
    assert fitted.n_categories_.tolist() == n_levels
    with pytest.raises(DataError, match=r"code 4 \(row 1\) in column 0.*n_categories_\[0\]=4"):
        fitted.pairwise(new)
    with pytest.raises(DataError, match=r"Y holds the code 4"):
        fitted.pairwise(codes, new)
    with pytest.raises(IndexError):  # imbalanced-learn fails there too, less clearly
        imblearn_pairwise.ValueDifferenceMetric().fit(codes, y).pairwise(new)
    # Declared in n_categories: a class profile of zeros, as in imbalanced-learn.
    declared = [n_levels[0] + 1] + n_levels[1:]
    ours = ValueDifferenceMetric(n_categories=declared).fit(codes, y)
    theirs = imblearn_pairwise.ValueDifferenceMetric(n_categories=declared).fit(codes, y)
    assert ours.proba_per_class_[0][4].tolist() == [0.0, 0.0, 0.0]
    np.testing.assert_allclose(ours.pairwise(new, codes), theirs.pairwise(new, codes),
                               rtol=1e-12, atol=1e-12)
    # Its distance to a seen code is the squared L1 norm of that code's profile: 1.
    one = ValueDifferenceMetric(n_categories=declared[:1]).fit(codes[:, :1], y)
    np.testing.assert_allclose(one.pairwise([[4]], codes[:, :1]), 1.0, rtol=1e-12)


def test_text_categories_are_refused_as_by_imblearn():
    X = np.array([["red"], ["blue"], ["red"]])
    with pytest.raises(ValueError):
        imblearn_pairwise.ValueDifferenceMetric().fit(X, [0, 1, 1])
    with pytest.raises(DataTypeError, match="got the value 'red'.*OrdinalEncoder"):
        ValueDifferenceMetric().fit(X, [0, 1, 1])
    frame = pd.DataFrame({"colour": pd.Categorical(["red", "blue", "red"])})
    with pytest.raises(DataTypeError, match="category codes"):
        ValueDifferenceMetric().fit(frame, [0, 1, 1])


def test_feature_names_are_checked_in_pairwise():
    codes, y, _ = _coded()
    frame = pd.DataFrame(codes, columns=["shop", "day", "channel"])
    fitted = ValueDifferenceMetric().fit(frame, y)
    assert fitted.feature_names_in_.tolist() == ["shop", "day", "channel"]
    np.testing.assert_array_equal(fitted.pairwise(frame),
                                  ValueDifferenceMetric().fit(codes, y).pairwise(codes))
    with pytest.raises(ValueError, match="feature names"):
        fitted.pairwise(frame[["day", "shop", "channel"]])


def test_parameters_are_read_in_pairwise_and_kept_by_clone():
    codes, y, _ = _coded()
    vdm = ValueDifferenceMetric(k=2).fit(codes, y)
    theirs = imblearn_pairwise.ValueDifferenceMetric(k=2).fit(codes, y)
    vdm.set_params(r=1)
    theirs.set_params(r=1)
    np.testing.assert_allclose(vdm.pairwise(codes), theirs.pairwise(codes), rtol=1e-12,
                               atol=1e-12)
    assert clone(vdm).get_params() == {"n_categories": "auto", "k": 2, "r": 1}
    assert vdm.__sklearn_tags__().input_tags.positive_only
    assert pairwise.__all__ == ["ValueDifferenceMetric"]


_X = np.array([[0, 1], [1, 0], [2, 1], [0, 0]])
_Y = [0, 1, 1, 0]


@pytest.mark.parametrize(
    "params, X, error, match",
    [
        ({"k": 0}, _X, InvalidParameterError, r"k=0 is out of range; it must be >= 1"),
        ({"k": 1.5}, _X, InvalidParameterTypeError, "k must be an integer; got 1.5"),
        ({"r": 0}, _X, InvalidParameterError, r"r=0 is out of range; it must be >= 1"),
        ({"r": "2"}, _X, InvalidParameterTypeError, "r must be an integer; got '2'"),
        ({"n_categories": "all"}, _X, InvalidParameterError, "n_categories='all'.*'auto'"),
        ({"n_categories": [3]}, _X, InvalidParameterError, "n_categories has 1 entries, but X "
         "has 2 features"),
        ({"n_categories": [3, 1]}, _X, InvalidParameterError,
         r"n_categories\[1\]=1 is too small: column 1 of X holds the code 1"),
        ({"n_categories": [3.0, 2.0]}, _X, InvalidParameterTypeError,
         "n_categories must be 'auto' or a 1-D list of integers"),
        ({"n_categories": [[3, 2]]}, _X, InvalidParameterTypeError, r"shape \(1, 2\)"),
        ({}, _X + 0.5, DataError, r"holds 0.5 \(row 0, column 0\), which is not a whole"),
        ({}, np.where(_X == 2, np.inf, _X), DataError, "holds inf"),
        ({}, np.where(_X == 2, np.nan, _X), DataError, r"missing value \(row 2, column 0\)"),
        ({}, np.where(_X == 2, None, _X), DataError, r"missing value \(row 2, column 0\)"),
        ({}, _X - 1, DataError, r"negative code -1 \(row 0, column 0\)"),
        ({}, _X * 2**40, DataError, "must be at most 2147483647"),
        ({}, _X.astype(complex), DataTypeError, "got values of dtype complex128"),
        ({}, sp.csr_matrix(_X), DataTypeError, r"sparse matrix.*X.toarray\(\)"),
        ({}, _X[:, 0], DataError, r"shape \(4,\). Reshape a single feature"),
        ({}, _X[:0], DataError, r"shape \(0, 2\)"),
    ],
)
def test_fit_errors(params, X, error, match):
    with pytest.raises(error, match=match):
        ValueDifferenceMetric(**params).fit(X, _Y[: X.shape[0]])


def test_fit_refuses_labels_that_are_not_classes():
    with pytest.raises(DataError, match="different lengths"):
        ValueDifferenceMetric().fit(_X, [0, 1])
    with pytest.raises(DataError, match="continuous"):
        ValueDifferenceMetric().fit(_X, [0.5, 1.5, 0.5, 1.0])


def test_pairwise_errors():
    with pytest.raises(NotFittedError):
        ValueDifferenceMetric().pairwise(_X)
    fitted = ValueDifferenceMetric().fit(_X, _Y)
    with pytest.raises(DataError, match="X has 1 features, but ValueDifferenceMetric was "
                                        "fitted on 2"):
        fitted.pairwise(_X[:, :1])
    with pytest.raises(DataError, match="Y has 3 features"):
        fitted.pairwise(_X, np.c_[_X, _X[:, 0]])
    with pytest.raises(DataError, match=r"Y holds the negative code -1"):
        fitted.pairwise(_X, _X - 1)
    fitted.set_params(k=0)
    with pytest.raises(InvalidParameterError, match="k=0"):
        fitted.pairwise(_X)


def test_one_class_gives_zero_distances():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        vdm = ValueDifferenceMetric().fit(_X, [1, 1, 1, 1])
    assert (vdm.pairwise(_X) == 0).all()


def test_module_is_an_attribute_of_metrics_as_in_imblearn():
    code = ("import balancekit.metrics as m; print(m.pairwise.ValueDifferenceMetric.__name__); "
            "import imblearn.metrics as i; print(i.pairwise.ValueDifferenceMetric.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["ValueDifferenceMetric", "ValueDifferenceMetric"]
    import balancekit.metrics

    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        balancekit.metrics.nothing  # noqa: B018


def test_feature_name_checks_of_pairwise_name_the_argument():
    X = np.array([[0, 1], [1, 0], [1, 1], [0, 0]])
    frame = pd.DataFrame(X, columns=["a", "b"])
    metric = ValueDifferenceMetric().fit(frame, [0, 1, 1, 0])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        metric.pairwise(frame, X)  # Y without names
    assert [str(w.message).split(" does")[0] for w in caught] == ["Y"]
    with pytest.raises(ValueError, match=r"^Y: The feature names should match"):
        metric.pairwise(frame, frame.rename(columns={"a": "c"}))
    with pytest.raises(ValueError, match=r"^X: The feature names should match"):
        metric.pairwise(frame.rename(columns={"a": "c"}))
