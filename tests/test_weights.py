"""Class and sample weights, and the WeightedClassifier meta-estimator."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.cluster import KMeans
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression, Perceptron
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC
from sklearn.utils import class_weight as sk_cw
from sklearn.utils.estimator_checks import parametrize_with_checks
from sklearn.utils.validation import check_is_fitted

from balancekit.exceptions import DataError, InvalidParameterError, InvalidParameterTypeError
from balancekit.weights import (
    _SKLEARN_CLASS_WEIGHT_TAKES_SAMPLE_WEIGHT,
    WeightedClassifier,
    _sklearn_reads,
    compute_class_weight,
    compute_sample_weight,
)


@pytest.fixture
def data():
    rng = np.random.RandomState(0)
    y = np.array([0] * 70 + [1] * 20 + [2] * 10)
    X = rng.normal(size=(100, 3)) + y[:, None] * 0.8
    return X, y


# ----------------------------------------------------------------------------
# compute_class_weight / compute_sample_weight agree with scikit-learn


@pytest.mark.parametrize(
    "class_weight", ["balanced", None, {0: 2.0}, {0: 1.0, 1: 3.5, 2: 0.0}, {}]
)
def test_class_weight_matches_sklearn(class_weight, data):
    _, y = data
    classes = np.unique(y)
    ours = compute_class_weight(class_weight, classes=classes, y=y)
    theirs = sk_cw.compute_class_weight(class_weight, classes=classes, y=y)
    np.testing.assert_allclose(ours, theirs)


def test_class_weight_balanced_formula_and_string_labels():
    y = np.array(["a"] * 6 + ["b"] * 2 + ["c"] * 4)
    classes = np.unique(y)
    weights = compute_class_weight("balanced", classes=classes, y=y)
    counts = np.array([6, 2, 4])
    np.testing.assert_allclose(weights, 12 / (3 * counts))
    np.testing.assert_allclose(
        weights, sk_cw.compute_class_weight("balanced", classes=classes, y=y)
    )


def test_class_weight_dict_with_class_absent_from_y():
    # A dict may weight a class that this y does not hold (e.g. a CV fold).
    y = np.array([0, 0, 1, 1, 1])
    classes = np.array([0, 1, 2])
    ours = compute_class_weight({2: 5.0, 0: 2.0}, classes=classes, y=y)
    np.testing.assert_allclose(
        ours, sk_cw.compute_class_weight({2: 5.0, 0: 2.0}, classes=classes, y=y)
    )


def test_class_weight_with_sample_weight_matches_sklearn(data):
    _, y = data
    w = np.random.RandomState(1).uniform(0.1, 3.0, size=y.shape[0])
    classes = np.unique(y)
    ours = compute_class_weight("balanced", classes=classes, y=y, sample_weight=w)
    if _SKLEARN_CLASS_WEIGHT_TAKES_SAMPLE_WEIGHT:  # scikit-learn 1.7 and later
        theirs = sk_cw.compute_class_weight("balanced", classes=classes, y=y, sample_weight=w)
        np.testing.assert_allclose(ours, theirs)
    totals = np.array([w[y == c].sum() for c in classes])
    # every class ends up with the same total weight
    np.testing.assert_allclose(ours * totals, np.full(3, w.sum() / 3))


@pytest.mark.parametrize("class_weight", ["balanced", None, {1: 4.0}, {0: 0.5, 2: 2.0}])
def test_sample_weight_matches_sklearn(class_weight, data):
    _, y = data
    np.testing.assert_allclose(
        compute_sample_weight(class_weight, y), sk_cw.compute_sample_weight(class_weight, y)
    )


def test_sample_weight_column_vector_and_series(data):
    _, y = data
    expected = sk_cw.compute_sample_weight("balanced", y)
    np.testing.assert_allclose(compute_sample_weight("balanced", y.reshape(-1, 1)), expected)
    np.testing.assert_allclose(compute_sample_weight("balanced", pd.Series(y)), expected)


def test_sample_weight_with_indices_matches_sklearn(data):
    _, y = data
    rng = np.random.RandomState(3)
    bootstrap = rng.randint(0, y.shape[0], size=y.shape[0])
    np.testing.assert_allclose(
        compute_sample_weight("balanced", y, indices=bootstrap),
        sk_cw.compute_sample_weight("balanced", y, indices=bootstrap),
    )
    # a subsample without class 2: its rows get weight 0
    subsample = np.flatnonzero(y != 2)
    ours = compute_sample_weight("balanced", y, indices=subsample)
    np.testing.assert_allclose(ours, sk_cw.compute_sample_weight("balanced", y, indices=subsample))
    assert (ours[y == 2] == 0).all()


@settings(max_examples=40, deadline=None)
@given(
    labels=st.lists(st.integers(0, 4), min_size=1, max_size=60),
    weights=st.dictionaries(st.integers(0, 4), st.floats(0, 10), max_size=5),
)
def test_property_weights_match_sklearn(labels, weights):
    y = np.array(labels)
    present = set(labels)
    weights = {k: v for k, v in weights.items() if k in present}
    classes = np.unique(y)
    for class_weight in ("balanced", weights):
        np.testing.assert_allclose(
            compute_class_weight(class_weight, classes=classes, y=y),
            sk_cw.compute_class_weight(class_weight, classes=classes, y=y),
        )
        np.testing.assert_allclose(
            compute_sample_weight(class_weight, y), sk_cw.compute_sample_weight(class_weight, y)
        )
    balanced = compute_sample_weight("balanced", y)
    for c in classes:  # each class carries n_samples / n_classes in total
        assert balanced[y == c].sum() == pytest.approx(len(y) / len(classes))


@settings(max_examples=60, deadline=None)
@given(
    labels=st.lists(st.integers(0, 3), min_size=1, max_size=40),
    weights=st.dictionaries(st.integers(0, 5), st.floats(0, 10), max_size=6),
)
def test_dict_naming_absent_classes_is_read_as_sklearn_reads_it(labels, weights):
    # scikit-learn takes a dict naming classes absent from y when it names every class of y
    # (one dict for every cross-validation fold), and refuses it otherwise.
    y = np.array(labels)
    classes = np.unique(y)
    try:
        expected = sk_cw.compute_class_weight(weights, classes=classes, y=y)
    except ValueError:
        with pytest.raises(InvalidParameterError, match="not in the data"):
            compute_class_weight(weights, classes=classes, y=y)
        with pytest.raises(InvalidParameterError, match="not in the data"):
            compute_sample_weight(weights, y)
        return
    np.testing.assert_allclose(compute_class_weight(weights, classes=classes, y=y), expected)
    np.testing.assert_allclose(
        compute_sample_weight(weights, y), sk_cw.compute_sample_weight(weights, y)
    )


def test_one_dict_serves_folds_without_the_rarest_class(data):
    X, y = data
    class_weight = {0: 1.0, 1: 2.0, 2: 5.0}
    train = y != 2  # a fold without class 2
    for estimator in (LogisticRegression(), GaussianNB()):
        model = WeightedClassifier(estimator, class_weight=class_weight).fit(X[train], y[train])
        assert model.class_weight_ == {0: 1.0, 1: 2.0}
    model = WeightedClassifier(GaussianNB(), class_weight=class_weight).fit(X[train], y[train])
    expected = GaussianNB().fit(
        X[train], y[train], sample_weight=np.where(y[train] == 1, 2.0, 1.0)
    )
    np.testing.assert_allclose(model.predict_proba(X), expected.predict_proba(X))


@pytest.mark.parametrize(
    "class_weight, error, match",
    [
        ({5: 2.0}, InvalidParameterError, r"class_weight names class\(es\) \[5\]"),
        ({0: -1.0}, InvalidParameterError, r"class_weight\[0\]=-1.0 is out of range"),
        ({0: float("nan")}, InvalidParameterError, r"must be finite"),
        ({0: "high"}, InvalidParameterTypeError, r"class_weight\[0\] must be a number"),
        ({0: True}, InvalidParameterTypeError, r"must be a number"),
        ("balance", InvalidParameterError, r"class_weight='balance' is not supported"),
        ([1.0, 2.0], InvalidParameterTypeError, r"class_weight must be 'balanced', a dict"),
    ],
)
def test_bad_class_weight(class_weight, error, match, data):
    _, y = data
    with pytest.raises(error, match=match):
        compute_sample_weight(class_weight, y)
    with pytest.raises(error, match=match):
        compute_class_weight(class_weight, classes=np.unique(y), y=y)
    X, _ = data
    with pytest.raises(error, match=match):
        WeightedClassifier(LogisticRegression(), class_weight=class_weight).fit(X, y)


def test_bad_data_errors(data):
    _, y = data
    with pytest.raises(DataError, match=r"label\(s\) \[2\] that are not in classes"):
        compute_class_weight("balanced", classes=np.array([0, 1]), y=y)
    with pytest.raises(DataError, match=r"class\(es\) \[3\] have no samples"):
        compute_class_weight("balanced", classes=np.array([0, 1, 2, 3]), y=y)
    with pytest.raises(DataError, match="2 missing labels"):
        compute_sample_weight("balanced", np.array([0.0, np.nan, 1.0, np.nan]))
    with pytest.raises(DataError, match="Multi-output"):
        compute_sample_weight("balanced", np.zeros((4, 2)))
    with pytest.raises(InvalidParameterError, match="indices can only be used"):
        compute_sample_weight({0: 1.0}, y, indices=[0, 1])
    with pytest.raises(DataError, match=r"row positions in \[0, 99\]"):
        compute_sample_weight("balanced", y, indices=[0, 100])
    with pytest.raises(DataError, match="negative"):
        compute_class_weight("balanced", classes=np.unique(y), y=y, sample_weight=-np.ones(100))
    with pytest.raises(DataError, match="zero total weight"):
        w = (y != 1).astype(float)
        compute_class_weight("balanced", classes=np.unique(y), y=y, sample_weight=w)


# ----------------------------------------------------------------------------
# WeightedClassifier


def test_same_model_as_class_weight_parameter(data):
    X, y = data
    for class_weight in ("balanced", {0: 1.0, 1: 3.0, 2: 6.0}):
        ours = WeightedClassifier(LogisticRegression(), class_weight=class_weight).fit(X, y)
        direct = LogisticRegression(class_weight=class_weight).fit(X, y)
        assert ours.weighting_ == "class_weight"
        np.testing.assert_allclose(ours.estimator_.coef_, direct.coef_)
        np.testing.assert_allclose(ours.predict_proba(X), direct.predict_proba(X))
        np.testing.assert_array_equal(ours.predict(X), direct.predict(X))
    # reweighting changes the model (the comparison above is not vacuous)
    plain = LogisticRegression().fit(X, y)
    assert not np.allclose(plain.coef_, ours.estimator_.coef_)


def test_user_sample_weight_with_class_weight_route(data):
    X, y = data
    w = np.random.RandomState(2).uniform(0.5, 2.0, size=y.shape[0])
    ours = WeightedClassifier(LogisticRegression()).fit(X, y, sample_weight=w)
    # 'balanced' of the weighted class totals, on every scikit-learn (1.7 and later do the same
    # with class_weight='balanced'; before, they balanced the unweighted counts).
    totals = np.array([w[y == c].sum() for c in np.unique(y)])
    assert ours.class_weight_ == pytest.approx(dict(enumerate(w.sum() / (3 * totals))))
    direct = LogisticRegression(class_weight=ours.class_weight_).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.estimator_.coef_, direct.coef_)
    if _SKLEARN_CLASS_WEIGHT_TAKES_SAMPLE_WEIGHT:
        direct = LogisticRegression(class_weight="balanced").fit(X, y, sample_weight=w)
        np.testing.assert_allclose(ours.estimator_.coef_, direct.coef_)


def test_same_model_as_sample_weight(data):
    X, y = data
    ours = WeightedClassifier(GaussianNB()).fit(X, y)
    assert ours.weighting_ == "sample_weight"
    direct = GaussianNB().fit(X, y, sample_weight=sk_cw.compute_sample_weight("balanced", y))
    np.testing.assert_allclose(ours.predict_proba(X), direct.predict_proba(X))
    np.testing.assert_allclose(ours.estimator_.theta_, direct.theta_)
    assert not np.allclose(GaussianNB().fit(X, y).class_prior_, ours.estimator_.class_prior_)


def test_sample_weight_route_multiplies_user_weights(data):
    X, y = data
    w = np.random.RandomState(4).uniform(0.5, 2.0, size=y.shape[0])
    ours = WeightedClassifier(GaussianNB(), class_weight={2: 5.0}).fit(X, y, sample_weight=w)
    direct = GaussianNB().fit(X, y, sample_weight=sk_cw.compute_sample_weight({2: 5.0}, y) * w)
    np.testing.assert_allclose(ours.predict_proba(X), direct.predict_proba(X))
    # 'balanced' with weights uses the weighted class totals (as LogisticRegression does)
    ours = WeightedClassifier(GaussianNB()).fit(X, y, sample_weight=w)
    per_class = w.sum() / (3 * np.array([w[y == c].sum() for c in np.unique(y)]))
    direct = GaussianNB().fit(X, y, sample_weight=per_class[y] * w)
    np.testing.assert_allclose(ours.predict_proba(X), direct.predict_proba(X))
    assert ours.class_weight_ == pytest.approx(dict(enumerate(per_class)))


def test_class_weight_route_equals_sample_weight(data):
    # HistGradientBoosting turns class_weight into per-sample weights: the
    # meta-estimator must give the model that those weights give.
    X, y = data
    ours = WeightedClassifier(HistGradientBoostingClassifier(max_iter=15, random_state=0))
    ours.fit(X, y)
    assert ours.weighting_ == "class_weight"
    direct = HistGradientBoostingClassifier(max_iter=15, random_state=0).fit(
        X, y, sample_weight=sk_cw.compute_sample_weight("balanced", y)
    )
    np.testing.assert_allclose(ours.predict_proba(X), direct.predict_proba(X))


@pytest.mark.parametrize("labels", [[1, 2, 3], ["a", "b", "c"], [-1, 0, 1]])
def test_hist_gradient_boosting_dict_weights_reach_the_named_class(data, labels):
    # HistGradientBoostingClassifier reads a class_weight dict on its encoded classes
    # 0, 1, ...: the weight of label 2 of [1, 2, 3] went to label 3, and other dicts
    # failed with "The classes, [0, 1, 2], are not in class_weight".
    X, codes = data
    y = np.asarray(labels)[codes]
    weights = {labels[1]: 7.0}
    model = WeightedClassifier(
        HistGradientBoostingClassifier(max_iter=15, random_state=0), class_weight=weights
    ).fit(X, y)
    reference = HistGradientBoostingClassifier(max_iter=15, random_state=0).fit(
        X, y, sample_weight=np.where(y == labels[1], 7.0, 1.0)
    )
    assert model.weighting_ == "sample_weight"
    np.testing.assert_allclose(model.predict_proba(X), reference.predict_proba(X))
    assert model.class_weight_ == {labels[0]: 1.0, labels[1]: 7.0, labels[2]: 1.0}
    # Classes that are their own codes are read right through class_weight.
    model = WeightedClassifier(
        HistGradientBoostingClassifier(max_iter=15, random_state=0), class_weight={1: 7.0}
    ).fit(X, codes)
    assert model.weighting_ == "class_weight"
    np.testing.assert_allclose(model.predict_proba(X), reference.predict_proba(X))


def test_perceptron_gets_its_class_weight(data):
    X, y = data
    ours = WeightedClassifier(Perceptron(random_state=0)).fit(X, y)
    direct = Perceptron(random_state=0, class_weight="balanced").fit(X, y)
    np.testing.assert_allclose(ours.decision_function(X), direct.decision_function(X))
    plain = Perceptron(random_state=0).fit(X, y)
    assert not np.allclose(ours.decision_function(X), plain.decision_function(X))


def test_clear_error_without_weights(data):
    X, y = data
    with pytest.raises(InvalidParameterTypeError, match="cannot weight KNeighborsClassifier"):
        WeightedClassifier(KNeighborsClassifier()).fit(X, y)
    # class_weight=None does not need any weighting
    model = WeightedClassifier(KNeighborsClassifier(), class_weight=None).fit(X, y)
    assert model.weighting_ == "none"
    np.testing.assert_array_equal(model.predict(X), KNeighborsClassifier().fit(X, y).predict(X))
    with pytest.raises(InvalidParameterTypeError, match="fit method of KNeighborsClassifier"):
        WeightedClassifier(KNeighborsClassifier(), class_weight=None).fit(
            X, y, sample_weight=np.ones(len(y))
        )
    with pytest.raises(InvalidParameterTypeError, match="estimator must be a classifier"):
        WeightedClassifier(LogisticRegression).fit(X, y)
    with pytest.raises(DataError, match="Unknown label type"):
        WeightedClassifier(LogisticRegression()).fit(X, np.linspace(0, 1, len(y)))



def test_the_advice_without_weights_writes_no_call_that_cannot_run(data):
    # OneVsOneClassifier() and ColumnTransformer() need arguments: the advice names the
    # user's objects instead of writing constructor calls without them.
    from sklearn.compose import ColumnTransformer
    from sklearn.multiclass import OneVsOneClassifier
    from sklearn.pipeline import make_pipeline as sklearn_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = data
    models = [OneVsOneClassifier(KNeighborsClassifier()),
              sklearn_pipeline(ColumnTransformer([("scale", StandardScaler(), [0])]),
                               KNeighborsClassifier())]
    for model in models:
        with pytest.raises(InvalidParameterTypeError) as info:
            WeightedClassifier(model).fit(X, y)
        message = str(info.value)
        for name in ("OneVsOneClassifier", "ColumnTransformer", "KNeighborsClassifier"):
            assert f"{name}()" not in message
        assert type(model).__name__ in message

class _ClassWeightOnly(ClassifierMixin, BaseEstimator):
    """Has class_weight but a fit without sample_weight."""

    def __init__(self, class_weight=None):
        self.class_weight = class_weight

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        self.seen_class_weight_ = self.class_weight
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def test_class_weight_route_without_sample_weight(data):
    X, y = data
    model = WeightedClassifier(_ClassWeightOnly(), class_weight={1: 2}).fit(X, y)
    assert model.estimator_.seen_class_weight_ == {1: 2.0}
    assert model.estimator.class_weight is None  # the given estimator is left alone
    with pytest.raises(InvalidParameterTypeError, match="does not accept sample_weight"):
        model.fit(X, y, sample_weight=np.ones(len(y)))


def test_methods_follow_the_inner_estimator(data):
    X, y = data
    assert hasattr(WeightedClassifier(LogisticRegression()), "predict_proba")
    assert not hasattr(WeightedClassifier(Perceptron()), "predict_proba")
    assert not hasattr(WeightedClassifier(SVC()).fit(X, y), "predict_proba")
    assert hasattr(WeightedClassifier(SVC(probability=True)), "predict_proba")
    model = WeightedClassifier(LogisticRegression()).fit(X, y)
    np.testing.assert_allclose(model.predict_log_proba(X), np.log(model.predict_proba(X)))
    np.testing.assert_allclose(model.decision_function(X), model.estimator_.decision_function(X))
    assert model.score(X, y) == pytest.approx(np.mean(model.predict(X) == y))
    np.testing.assert_array_equal(model.classes_, [0, 1, 2])
    assert model.n_features_in_ == 3


def test_estimator_is_not_modified_and_clone_works(data):
    X, y = data
    inner = LogisticRegression(C=0.5)
    model = WeightedClassifier(inner)
    model.fit(X, y)
    with pytest.raises(Exception, match="not fitted"):
        check_is_fitted(inner)
    assert inner.class_weight is None
    fresh = clone(model)
    assert not hasattr(fresh, "estimator_")
    assert fresh.get_params()["estimator__C"] == 0.5


def test_pandas_feature_names(data):
    X, y = data
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    model = WeightedClassifier(LogisticRegression()).fit(frame, pd.Series(y))
    np.testing.assert_array_equal(model.feature_names_in_, ["a", "b", "c"])
    assert not hasattr(WeightedClassifier(LogisticRegression()), "n_features_in_")


def test_cross_validate_and_grid_search(data):
    X, y = data
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    ours = cross_validate(WeightedClassifier(LogisticRegression()), X, y, cv=cv)
    direct = cross_validate(LogisticRegression(class_weight="balanced"), X, y, cv=cv)
    np.testing.assert_allclose(ours["test_score"], direct["test_score"])

    grid = {"estimator__C": [0.01, 1.0]}
    search = GridSearchCV(WeightedClassifier(LogisticRegression()), grid, cv=cv).fit(X, y)
    reference = GridSearchCV(
        LogisticRegression(class_weight="balanced"), {"C": [0.01, 1.0]}, cv=cv
    ).fit(X, y)
    np.testing.assert_allclose(
        search.cv_results_["mean_test_score"], reference.cv_results_["mean_test_score"]
    )
    assert search.cv_results_["mean_test_score"][0] != search.cv_results_["mean_test_score"][1]
    assert search.best_estimator_.estimator_.C == search.best_params_["estimator__C"]


@parametrize_with_checks(
    [WeightedClassifier(LogisticRegression()), WeightedClassifier(GaussianNB())]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("nested", [False, True])
def test_a_pipeline_is_weighted_through_its_final_step(nested):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    rng = np.random.RandomState(0)
    X = rng.normal(size=(80, 2))
    y = np.array([0] * 64 + [1] * 16)
    final = make_pipeline(StandardScaler(), LogisticRegression()) if nested else LogisticRegression()
    model = WeightedClassifier(make_pipeline(StandardScaler(), final)).fit(X, y)
    assert model.weighting_ == "class_weight"
    by_hand = make_pipeline(StandardScaler(), LogisticRegression(class_weight="balanced"))
    np.testing.assert_allclose(model.predict_proba(X), by_hand.fit(X, y).predict_proba(X))
    # A final step that takes sample_weight only gets one weight per row, by its name.
    model = WeightedClassifier(make_pipeline(StandardScaler(), GaussianNB())).fit(X, y)
    assert model.weighting_ == "sample_weight"
    by_hand = make_pipeline(StandardScaler(), GaussianNB()).fit(
        X, y, gaussiannb__sample_weight=compute_sample_weight("balanced", y))
    np.testing.assert_allclose(model.predict_proba(X), by_hand.predict_proba(X))


def test_a_pipeline_whose_final_step_cannot_be_weighted_is_told_to_resample():
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X = np.random.RandomState(0).normal(size=(30, 2))
    y = np.array([0] * 24 + [1] * 6)
    with pytest.raises(InvalidParameterTypeError) as info:
        WeightedClassifier(make_pipeline(StandardScaler(), KNeighborsClassifier())).fit(X, y)
    message = str(info.value)
    assert "its final step, KNeighborsClassifier" in message
    assert ("make_pipeline(<its StandardScaler>, RandomOverSampler(), "
            "<its KNeighborsClassifier>)" in message)
    with pytest.raises(InvalidParameterTypeError, match=r"RandomOverSampler\(\), "
                       r"<your KNeighborsClassifier>\)"):
        WeightedClassifier(KNeighborsClassifier()).fit(X, y)


def test_meta_estimators_that_pass_sample_weight_on_are_weighted(data):
    from sklearn.ensemble import StackingClassifier, VotingClassifier
    from sklearn.multiclass import OneVsRestClassifier

    X, y = data
    weights = compute_sample_weight("balanced", y)
    for model in (GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=2),
                  VotingClassifier([("lr", LogisticRegression()), ("nb", GaussianNB())],
                                   voting="soft")):
        ours = WeightedClassifier(model).fit(X, y)
        assert ours.weighting_ == "sample_weight"
        by_hand = clone(model).fit(X, y, sample_weight=weights)
        np.testing.assert_allclose(ours.predict_proba(X), by_hand.predict_proba(X))
    # predict appears once fitted (no final estimator given): still a classifier.
    stacking = StackingClassifier([("lr", LogisticRegression()), ("nb", GaussianNB())], cv=2)
    assert WeightedClassifier(stacking).fit(X, y).weighting_ == "sample_weight"
    # Takes keyword arguments but refuses sample_weight without metadata routing: said so.
    with pytest.raises(InvalidParameterTypeError,
                       match=r"cannot weight OneVsRestClassifier.*refused sample_weight"):
        WeightedClassifier(OneVsRestClassifier(GaussianNB())).fit(X, y)


@pytest.mark.parametrize("labels", [["1", "2", "10"], [0.5, 1.5, 2.5]])
def test_dict_weights_of_labels_that_read_as_numbers(labels):
    # scikit-learn's dict branch converts each class with int() where it can: text labels
    # '1', '10' and float labels were "not in class_weight", for a valid dict.
    y = np.array([labels[0], labels[1], labels[1], labels[2], labels[2], labels[2]] * 3)
    weights = {labels[0]: 2.0, labels[2]: 0.5}
    classes = np.unique(y)
    expected = np.array([weights.get(c, 1.0) for c in classes.tolist()])
    np.testing.assert_array_equal(compute_class_weight(weights, classes=classes, y=y), expected)
    per_row = np.array([weights.get(v, 1.0) for v in y.tolist()])
    np.testing.assert_array_equal(compute_sample_weight(weights, y), per_row)
    if isinstance(labels[0], str):
        # A classifier with a class_weight parameter (which would misread them the same
        # way) gets them as per-row weights instead.
        X = np.random.RandomState(0).randn(y.size, 2)
        model = WeightedClassifier(LogisticRegression(), class_weight=weights).fit(X, y)
        reference = LogisticRegression().fit(X, y, sample_weight=per_row)
        np.testing.assert_allclose(model.predict_proba(X), reference.predict_proba(X))
        # Through class_weight where this scikit-learn reads them right (before 1.9).
        assert model.weighting_ == (
            "class_weight" if _sklearn_reads(weights, classes) else "sample_weight")


@pytest.mark.parametrize("estimator", [LinearRegression(), KMeans(2, n_init=1)],
                         ids=["regressor", "clusterer"])
def test_a_regressor_or_clusterer_is_not_weighted_as_a_classifier(data, estimator):
    # WeightedClassifier fitted them and predicted continuous values or cluster numbers.
    X, y = data
    kind = "clusterer" if isinstance(estimator, KMeans) else "regressor"
    with pytest.raises(InvalidParameterTypeError, match=f"estimator must be a classifier "
                                                        f"instance; got the {kind}"):
        WeightedClassifier(estimator).fit(X, y)


def test_labels_of_two_kinds_are_named_not_called_continuous(data):
    X, _ = data
    y = np.array([1, "a"] * 50, dtype=object)
    with pytest.raises(DataError, match=r"mixes labels of different kinds \(number 1 and text"):
        WeightedClassifier(GaussianNB()).fit(X, y)


@pytest.mark.parametrize("kind", ["balancekit", "sklearn"])
def test_a_pipeline_is_weighted_through_metadata_routing(kind):
    # With routing enabled, a Pipeline refused <step>__sample_weight ("not routed to any
    # object"): it now gets sample_weight, routed to the final step that requests it.
    import sklearn
    from sklearn.preprocessing import StandardScaler

    if kind == "sklearn":
        from sklearn.pipeline import make_pipeline
    else:
        from balancekit.pipeline import make_pipeline

    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 2))
    y = np.array([0] * 48 + [1] * 12)
    user = rng.uniform(0.5, 2.0, size=60)
    expected = compute_sample_weight("balanced", y)
    with sklearn.config_context(enable_metadata_routing=True):
        def pipe(final):
            return make_pipeline(StandardScaler().set_fit_request(sample_weight=False), final)

        model = WeightedClassifier(pipe(GaussianNB().set_fit_request(sample_weight=True)))
        assert model.fit(X, y).weighting_ == "sample_weight"
        by_hand = pipe(GaussianNB().set_fit_request(sample_weight=True)).fit(
            X, y, sample_weight=expected)
        np.testing.assert_allclose(model.predict_proba(X), by_hand.predict_proba(X))
        # The user's weights reach a step weighted through class_weight, and an alias works.
        lr = pipe(LogisticRegression().set_fit_request(sample_weight=True))
        assert WeightedClassifier(lr).fit(X, y, sample_weight=user).weighting_ == "class_weight"
        alias = WeightedClassifier(pipe(GaussianNB().set_fit_request(sample_weight="w")))
        np.testing.assert_allclose(alias.fit(X, y).predict_proba(X), by_hand.predict_proba(X))
        cross_validate(model, X, y, cv=2, params={})  # scikit-learn 1.6 needs the {}
        # A final step that has not requested the weights is told how to.
        for final in (GaussianNB(), GaussianNB().set_fit_request(sample_weight=False)):
            with pytest.raises(InvalidParameterTypeError,
                               match=r"final step of this Pipeline, GaussianNB.*"
                                     r"set_fit_request\(sample_weight=True\)"):
                WeightedClassifier(pipe(final)).fit(X, y)


@pytest.mark.parametrize("forest", ["RandomForestClassifier", "ExtraTreesClassifier"])
def test_balanced_forests_on_numbers_written_as_text(forest):
    """scikit-learn's forests turn 'balanced' into a dict and then miss the classes '0' and
    '1' in it ("The classes, [0, 1], are not in class_weight"): weighted per row instead, the
    same model."""
    from sklearn import ensemble

    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 3))
    y = np.where(rng.random(100) < 0.2, "1", "0")
    make = getattr(ensemble, forest)
    model = WeightedClassifier(make(n_estimators=5, random_state=0)).fit(X, y)
    reference = make(n_estimators=5, random_state=0).fit(
        X, y, sample_weight=sk_cw.compute_sample_weight("balanced", y))
    np.testing.assert_allclose(model.predict_proba(X), reference.predict_proba(X))


def _skewed():
    from sklearn.datasets import make_classification

    return make_classification(200, n_features=5, weights=[0.8], random_state=0)


@pytest.mark.parametrize("estimator", [LogisticRegression(), HistGradientBoostingClassifier(),
                                       GaussianNB()], ids=lambda e: type(e).__name__)
def test_weighted_classifier_refuses_a_zero_weight_for_every_class(estimator):
    # A raw ZeroDivisionError (LogisticRegression), "window shape cannot be larger than
    # input array shape" (HistGradientBoosting) from deep inside the classifier.
    X, y = _skewed()
    with pytest.raises(InvalidParameterError, match=r"^class_weight=\{0: 0, 1: 0\} gives "
                                                    r"every class of y \(0, 1\) weight 0"):
        WeightedClassifier(estimator, class_weight={0: 0, 1: 0}).fit(X, y)


def test_weighted_classifier_refuses_weights_that_leave_every_row_zero():
    X, y = _skewed()
    with pytest.raises(DataError, match=r"class_weight=\{0: 0\} and sample_weight together "
                                        r"give every row weight 0.*class\(es\) \[1\]"):
        WeightedClassifier(GaussianNB(), class_weight={0: 0}).fit(
            X, y, sample_weight=(y == 0).astype(float))
    WeightedClassifier(GaussianNB(), class_weight={0: 0}).fit(X, y)  # class 1 has weight 1


@pytest.mark.parametrize("sample_weight, match", [
    ("abc", r"got 'abc' of type str"),
    (["a"] * 200, r"got values that are not numeric"),
    ({"a": 1}, r"got \{'a': 1\} of type dict"),
    (object(), r"of type object"),
])
def test_compute_class_weight_sample_weight_that_is_not_numbers(sample_weight, match):
    # A raw ValueError ("could not convert string to float") or TypeError (a dict, an object).
    _, y = _skewed()
    with pytest.raises(InvalidParameterTypeError, match=rf"^sample_weight must be an array of "
                                                        rf"numbers.*{match}"):
        compute_class_weight("balanced", classes=np.array([0, 1]), y=y,
                             sample_weight=sample_weight)


def test_compute_class_weight_sample_weight_checked_as_the_samplers_check_it():
    _, y = _skewed()
    expected = compute_class_weight("balanced", classes=np.array([0, 1]), y=y)
    # A column vector and a scalar, which the samplers take, were refused.
    for weights in (np.ones((200, 1)), 2.0):
        np.testing.assert_allclose(compute_class_weight(
            "balanced", classes=np.array([0, 1]), y=y, sample_weight=weights), expected)
    with pytest.raises(DataError, match="sample_weight sums to zero"):
        compute_class_weight(None, classes=np.array([0, 1]), y=y, sample_weight=np.zeros(200))
    X, _ = _skewed()
    model = WeightedClassifier(LogisticRegression()).fit(X, y, sample_weight=np.ones((200, 1)))
    reference = WeightedClassifier(LogisticRegression()).fit(X, y, sample_weight=np.ones(200))
    np.testing.assert_allclose(model.predict_proba(X), reference.predict_proba(X))
