"""InstanceHardnessCV: imbalanced-learn's folds, scikit-learn's splitter contract, clear errors."""

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_classification
from sklearn.exceptions import DataConversionWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict, cross_validate
from sklearn.naive_bayes import GaussianNB
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from balancekit.evaluation import compare
from balancekit.exceptions import (
    BalancekitWarning,
    DataError,
    InvalidParameterError,
    InvalidParameterTypeError,
)
from balancekit.model_selection import InstanceHardnessCV
from balancekit.pipeline import make_pipeline

from .conftest import to_frame

imblearn_split = pytest.importorskip("imblearn.model_selection")

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ESTIMATORS = {
    "logistic": lambda: LogisticRegression(),
    # A shallow tree gives many rows the same probability: the ties keep their row order.
    "tree": lambda: DecisionTreeClassifier(max_depth=2, random_state=0),
    "bayes": lambda: GaussianNB(),
}
LABELS = {
    "int": (0, 1),
    "codes": (7, 3),
    "str": ("no", "yes"),
    "bool": (False, True),
    "float": (2.0, -1.0),
}


def _as_lists(splits):
    return [(train.tolist(), test.tolist()) for train, test in splits]


def _data(n, n_features, minority, noise, seed, kind):
    rng = np.random.RandomState(seed)
    codes = (rng.rand(n) < minority).astype(int)
    codes[:2] = [0, 1]  # both classes
    X = rng.randn(n, n_features) + codes[:, None] * 1.5
    flip = rng.rand(n) < noise
    codes = np.where(flip, 1 - codes, codes)
    codes[:2] = [0, 1]
    return X, np.asarray(LABELS[kind], dtype=object if kind == "str" else None)[codes]


@SETTINGS
@given(
    n=st.integers(20, 150),
    n_features=st.integers(1, 4),
    minority=st.floats(0.1, 0.5),
    noise=st.sampled_from([0.0, 0.05, 0.2]),
    seed=st.integers(0, 2**16),
    n_splits=st.integers(2, 6),
    kind=st.sampled_from(sorted(LABELS)),
    pos=st.sampled_from([None, 0, 1]),
    model=st.sampled_from(sorted(ESTIMATORS)),
)
def test_the_folds_are_imbalanced_learns(n, n_features, minority, noise, seed, n_splits, kind,
                                         pos, model):
    X, y = _data(n, n_features, minority, noise, seed, kind)
    pos_label = None if pos is None else LABELS[kind][pos]
    ours = InstanceHardnessCV(ESTIMATORS[model](), n_splits=n_splits, pos_label=pos_label)
    theirs = imblearn_split.InstanceHardnessCV(ESTIMATORS[model](), n_splits=n_splits,
                                               pos_label=pos_label)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # classes smaller than n_splits
        expected = _as_lists(theirs.split(X, y))
        got = list(ours.split(X, y))
    assert _as_lists(got) == expected
    # Each row is in one test fold; the training rows are the others.
    tests = np.concatenate([test for _, test in got])
    assert np.array_equal(np.sort(tests), np.arange(n))
    for train, test in got:
        assert train.dtype == test.dtype == np.intp
        assert np.array_equal(np.union1d(train, test), np.arange(n))
    assert ours.get_n_splits() == theirs.get_n_splits() == n_splits


def test_each_fold_gets_an_even_share_of_each_class_and_of_its_hard_rows():
    X, y = make_classification(n_samples=400, n_features=5, weights=[0.85], flip_y=0.08,
                               class_sep=0.7, random_state=4)
    model = LogisticRegression()
    cv = InstanceHardnessCV(model, n_splits=4)
    splits = list(cv.split(X, y))
    # The same probabilities, out of fold, as the splitter estimates them.
    proba = cross_val_predict(model, X, y, cv=StratifiedKFold(4), method="predict_proba")[:, 1]
    hardness = np.where(y == 1, 1 - proba, proba)
    for label in (0, 1):
        members = np.flatnonzero(y == label)
        per_fold = [np.isin(test, members).sum() for _, test in splits]
        assert max(per_fold) - min(per_fold) <= 1
        # The hardest quarter of the class is shared out evenly too.
        hard = members[hardness[members] >= np.quantile(hardness[members], 0.75)]
        per_fold = [np.isin(test, hard).sum() for _, test in splits]
        assert max(per_fold) - min(per_fold) <= 1


def test_pos_label_orders_the_rows_by_the_probability_of_that_class():
    X, y = make_classification(n_samples=90, weights=[0.7], flip_y=0.1, random_state=2)
    by_default = _as_lists(InstanceHardnessCV(LogisticRegression()).split(X, y))
    assert _as_lists(InstanceHardnessCV(LogisticRegression(), pos_label=1).split(X, y)) == (
        by_default)
    by_zero = _as_lists(InstanceHardnessCV(LogisticRegression(), pos_label=0).split(X, y))
    assert by_zero != by_default


def test_frames_and_a_column_vector_give_the_folds_of_arrays(frame_lib):
    X, y = make_classification(n_samples=120, weights=[0.8], random_state=5)
    cv = InstanceHardnessCV(LogisticRegression(), n_splits=3)
    expected = _as_lists(cv.split(X, y))
    series = (frame_lib.Series(y, name="y") if frame_lib.__name__ == "pandas" else
              frame_lib.Series("y", y))
    assert _as_lists(cv.split(to_frame(frame_lib, X), series)) == expected
    assert _as_lists(cv.split(sp.csr_matrix(X), y.tolist())) == expected
    with pytest.warns(DataConversionWarning, match="column-vector y"):
        assert _as_lists(cv.split(X, y.reshape(-1, 1))) == expected
    # imbalanced-learn fails on a column vector.
    with pytest.raises(IndexError), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        list(imblearn_split.InstanceHardnessCV(LogisticRegression(), n_splits=3).split(
            X, y.reshape(-1, 1)))


def test_it_is_a_cv_for_cross_validate_with_imbalanced_learns_scores():
    X, y = make_classification(n_samples=300, weights=[0.9], flip_y=0.05, random_state=10)
    model = LogisticRegression()
    ours = cross_validate(model, X, y, cv=InstanceHardnessCV(model), scoring="roc_auc",
                          return_indices=True)
    theirs = cross_validate(model, X, y, cv=imblearn_split.InstanceHardnessCV(model),
                            scoring="roc_auc", return_indices=True)
    np.testing.assert_array_equal(ours["test_score"], theirs["test_score"])
    for got, want in zip(ours["indices"]["test"], theirs["indices"]["test"], strict=True):
        np.testing.assert_array_equal(got, want)
    # A balancekit pipeline, sampler included, estimates the hardness too.
    from balancekit.under_sampling import RandomUnderSampler

    pipe = make_pipeline(StandardScaler(), RandomUnderSampler(random_state=0),
                         LogisticRegression())
    scores = cross_validate(pipe, X, y, cv=InstanceHardnessCV(pipe, n_splits=3))
    assert scores["test_score"].shape == (3,)


def test_compare_takes_it_as_cv_and_splits_by_the_hardness_of_the_rows():
    X, y = make_classification(n_samples=240, n_features=4, weights=[0.85], flip_y=0.02,
                               random_state=3)
    X = pd.DataFrame(X, columns=list("abcd"))
    cv = InstanceHardnessCV(LogisticRegression(), n_splits=4)
    with warnings.catch_warnings():
        warnings.simplefilter("error", BalancekitWarning)
        result = compare(X, y, strategies=["baseline", "random_under"], cv=cv)
    settings_ = result.summary["settings"]
    assert settings_["n_folds"] == 4 and settings_["cv"] is None
    assert settings_["splitter"].startswith("InstanceHardnessCV(")
    assert not result.summary["failed"]
    # The folds are those the splitter makes from X itself: the baseline's scores are
    # scikit-learn's on them.
    want = []
    for train, test in cv.split(X, y):
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        model.fit(X.iloc[train], y[train])
        want.append(roc_auc_score(y[test], model.predict_proba(X.iloc[test])[:, 1]))
    np.testing.assert_allclose(result.summary["strategies"][0]["metrics"]["roc_auc"]["folds"],
                               want)


def test_compare_names_the_estimator_of_a_splitter_that_cannot_read_the_table():
    X, y = make_classification(n_samples=120, n_features=4, weights=[0.8], random_state=0)
    X = pd.DataFrame(X, columns=list("abcd")).assign(kind=np.where(y == 1, "x", "y"))
    cv = InstanceHardnessCV(LogisticRegression(), n_splits=3)
    with pytest.raises(InvalidParameterError, match="could not split") as info:
        compare(X, y, strategies=["baseline"], cv=cv)
    assert "encodes and imputes before LogisticRegression" in str(info.value)


def test_a_feature_less_x_is_named():
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    with pytest.warns(BalancekitWarning, match="X has no feature that varies"):
        splits = list(InstanceHardnessCV(LogisticRegression(), n_splits=2).split(
            np.ones((40, 3)), y))
    assert [int(y[test].sum()) for _, test in splits] == [5, 5]
    with warnings.catch_warnings():
        warnings.simplefilter("error", BalancekitWarning)
        list(InstanceHardnessCV(LogisticRegression(), n_splits=2).split(
            np.c_[np.ones(40), np.arange(40.0)], y))


def test_groups_are_ignored_with_a_warning_as_in_imbalanced_learn():
    X, y = make_classification(n_samples=100, weights=[0.8], random_state=0)
    groups = np.arange(100) // 10
    cv = InstanceHardnessCV(LogisticRegression())
    expected = _as_lists(cv.split(X, y))
    with pytest.warns(UserWarning, match="groups is ignored by InstanceHardnessCV"):
        assert _as_lists(cv.split(X, y, groups)) == expected
    with pytest.warns(UserWarning, match="groups parameter is ignored"):
        list(imblearn_split.InstanceHardnessCV(LogisticRegression()).split(X, y, groups))


def test_multiclass_and_continuous_targets_are_refused_as_in_imbalanced_learn():
    X, y = make_classification(n_samples=90, n_classes=3, n_informative=3, random_state=0)
    for target in (y, np.linspace(0, 1, 90)):
        with pytest.raises(ValueError, match="binary"):
            list(imblearn_split.InstanceHardnessCV(LogisticRegression()).split(X, target))
    with pytest.raises(DataError, match="only supports binary classification; y has 3 classes"):
        list(InstanceHardnessCV(LogisticRegression()).split(X, y))
    with pytest.raises(DataError, match="y looks continuous"):
        list(InstanceHardnessCV(LogisticRegression()).split(X, np.linspace(0, 1, 90)))


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"n_splits": 1}, InvalidParameterError, r"n_splits=1 is out of range; it must be >= 2"),
        ({"n_splits": 5.0}, InvalidParameterTypeError, r"n_splits must be an integer; got 5\.0"),
        ({"n_splits": 61}, DataError, r"n_splits=61 folds need at least 61 samples, but X has 60"),
        ({"pos_label": 2}, InvalidParameterError,
         r"pos_label=2 is not a class of y; expected one of 0, 1 or None"),
        ({"pos_label": "1"}, InvalidParameterError, r"pos_label='1' is not a class of y"),
        ({"estimator": SVC()}, InvalidParameterTypeError,
         r"estimator must be a classifier object with predict_proba .*got SVC\(\)"),
        ({"estimator": LogisticRegression}, InvalidParameterTypeError,
         r"got the class LogisticRegression, not an object"),
        ({"estimator": StandardScaler()}, InvalidParameterTypeError,
         r"estimator must be a classifier object"),
    ],
)
def test_bad_parameters_are_named(kwargs, error, message):
    X, y = make_classification(n_samples=60, weights=[0.8], random_state=0)
    params = {"estimator": LogisticRegression(), **kwargs}
    cv = InstanceHardnessCV(**params)
    with pytest.raises(error, match=message):
        next(cv.split(X, y))
    # imbalanced-learn refuses them too, with other errors (IndexError for pos_label).
    with pytest.raises((ValueError, IndexError, AttributeError, TypeError)):
        next(imblearn_split.InstanceHardnessCV(**params).split(X, y))


def test_bad_targets_are_named():
    X, y = make_classification(n_samples=60, weights=[0.8], random_state=0)
    cv = InstanceHardnessCV(LogisticRegression())
    with pytest.raises(DataError, match="y is required: InstanceHardnessCV needs the class"):
        next(cv.split(X, None))
    with pytest.raises(DataError, match="y has only one class"):
        next(cv.split(X, np.zeros(60, int)))
    with pytest.raises(DataError, match="X has 60 rows but y has 50 labels"):
        next(cv.split(X, y[:50]))
    with pytest.raises(DataError, match="missing"):
        next(cv.split(X, np.where(np.arange(60) == 3, np.nan, y)))


def test_parameters_are_stored_as_given():
    model = LogisticRegression()
    cv = InstanceHardnessCV(model, n_splits=3, pos_label="yes")
    assert cv.estimator is model and cv.n_splits == 3 and cv.pos_label == "yes"
    assert repr(cv) == repr(imblearn_split.InstanceHardnessCV(model, n_splits=3,
                                                             pos_label="yes"))
    assert cv.get_n_splits(np.zeros((10, 1)), np.zeros(10)) == 3
    with pytest.raises(TypeError):
        InstanceHardnessCV(model, 3)  # n_splits and pos_label are keyword-only


def test_the_docstrings_document_every_parameter_with_its_default():
    import inspect

    from .test_common import _check_parameters

    _check_parameters("InstanceHardnessCV", InstanceHardnessCV.__doc__,
                      inspect.signature(InstanceHardnessCV).parameters)
    for name in ("split", "get_n_splits"):
        method = getattr(InstanceHardnessCV, name)
        _check_parameters(f"InstanceHardnessCV.{name}", method.__doc__,
                          inspect.signature(method).parameters)
