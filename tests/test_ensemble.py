"""Balanced ensembles: scikit-learn's contract, balance of every member, parity with
imbalanced-learn."""

import warnings

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.datasets import make_classification
from sklearn.ensemble import AdaBoostClassifier
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils.estimator_checks import parametrize_with_checks
from sklearn.utils.validation import has_fit_parameter

from balancekit.ensemble import (
    BalancedBaggingClassifier,
    BalancedRandomForestClassifier,
    EasyEnsembleClassifier,
    RUSBoostClassifier,
)
from balancekit.exceptions import (
    BalancekitWarning,
    DataError,
    InvalidParameterError,
    InvalidParameterTypeError,
)
from balancekit.over_sampling import RandomOverSampler
from balancekit.under_sampling import RandomUnderSampler

# Stumps, RUSBoost's default learner, are often no better than chance on the whole
# skewed training set after being fitted on a balanced subset, which stops boosting.
TREE3 = DecisionTreeClassifier(max_depth=3)

SAMPLE_WEIGHT_XFAIL = (
    "sample_weight is carried by the rows the random under-sampler draws; a row repeated "
    "twice changes the class counts and the draws, so weighting a row by 2 cannot give the "
    "same model as repeating it"
)


def _expected_failures(estimator):
    if isinstance(estimator, (BalancedRandomForestClassifier, RUSBoostClassifier)):
        return {
            "check_sample_weight_equivalence_on_dense_data": SAMPLE_WEIGHT_XFAIL,
            "check_sample_weight_equivalence_on_sparse_data": SAMPLE_WEIGHT_XFAIL,
        }
    return {}


@parametrize_with_checks(
    [
        BalancedBaggingClassifier(n_estimators=4, random_state=0),
        BalancedRandomForestClassifier(n_estimators=4, random_state=0),
        EasyEnsembleClassifier(
            n_estimators=2, estimator=AdaBoostClassifier(n_estimators=3), random_state=0
        ),
        RUSBoostClassifier(n_estimators=4, random_state=0),
    ],
    expected_failed_checks=_expected_failures,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def _data(kind):
    if kind == "binary":
        return make_classification(
            n_samples=400,
            n_features=6,
            n_informative=3,
            weights=[0.9, 0.1],
            class_sep=1.2,
            random_state=0,
        )
    return make_classification(
        n_samples=450,
        n_features=6,
        n_informative=4,
        n_classes=3,
        n_clusters_per_class=1,
        weights=[0.7, 0.2, 0.1],
        class_sep=1.0,
        random_state=1,
    )


def _pairs():
    from imblearn import ensemble as imb

    return {
        "bagging": (
            lambda s: BalancedBaggingClassifier(n_estimators=8, random_state=s),
            lambda s: imb.BalancedBaggingClassifier(n_estimators=8, random_state=s),
        ),
        "forest": (
            lambda s: BalancedRandomForestClassifier(n_estimators=15, random_state=s),
            lambda s: imb.BalancedRandomForestClassifier(n_estimators=15, random_state=s),
        ),
        "easy": (
            lambda s: EasyEnsembleClassifier(
                n_estimators=4, estimator=AdaBoostClassifier(n_estimators=5), random_state=s
            ),
            lambda s: imb.EasyEnsembleClassifier(
                n_estimators=4, estimator=AdaBoostClassifier(n_estimators=5), random_state=s
            ),
        ),
        "rusboost": (
            lambda s: RUSBoostClassifier(TREE3, n_estimators=10, random_state=s),
            lambda s: imb.RUSBoostClassifier(TREE3, n_estimators=10, random_state=s),
        ),
    }


def _mean_balanced_accuracy(make, X, y, seeds=(0, 1)):
    scores = []
    for seed in seeds:
        cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=seed)
        scores.append(cross_val_score(make(seed), X, y, cv=cv, scoring="balanced_accuracy").mean())
    return float(np.mean(scores))


@pytest.mark.parametrize("data", ["binary", "multiclass"])
@pytest.mark.parametrize("name", ["bagging", "forest", "easy", "rusboost"])
def test_scores_like_imbalanced_learn(name, data):
    pytest.importorskip("imblearn")
    ours, theirs = _pairs()[name]
    X, y = _data(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        ours_score = _mean_balanced_accuracy(ours, X, y)
        theirs_score = _mean_balanced_accuracy(theirs, X, y)
    assert abs(ours_score - theirs_score) < 0.03, (ours_score, theirs_score)
    # The balancing has to matter: well above the chance level.
    assert ours_score > 1.0 / len(np.unique(y)) + 0.15


def _counts(labels):
    return np.unique(labels, return_counts=True)[1]


def test_bagging_every_member_fitted_on_balanced_bag():
    X, y = _data("multiclass")
    clf = BalancedBaggingClassifier(n_estimators=5, random_state=0).fit(X, y)
    for member, bag in zip(clf.estimators_, clf.estimators_samples_, strict=True):
        bag_labels = y[bag]
        kept = bag_labels[member.sampler_.sample_indices_]
        counts = _counts(kept)
        assert len(counts) == 3 and (counts == _counts(bag_labels).min()).all()
        assert member.estimator_.tree_.weighted_n_node_samples[0] == kept.shape[0]


def test_bagging_with_other_sampler_and_string_labels():
    X, y = _data("binary")
    labels = np.where(y == 1, "fraud", "ok")
    clf = BalancedBaggingClassifier(
        estimator=KNeighborsClassifier(3),
        sampler=RandomOverSampler(),
        n_estimators=3,
        bootstrap=False,
        random_state=0,
    ).fit(X, labels)
    assert set(clf.predict(X)) <= {"fraud", "ok"}
    for member in clf.estimators_:
        # The sampler saw the original labels; over-sampling grew the minority.
        assert member.sampler_.sampling_strategy_ == {"fraud": int((labels == "ok").sum())}
        assert member.estimator_.n_samples_fit_ == 2 * int((labels == "ok").sum())


@pytest.mark.parametrize("make", [BalancedBaggingClassifier, BalancedRandomForestClassifier,
                                  EasyEnsembleClassifier, RUSBoostClassifier])
def test_text_columns_are_named_with_the_way_to_encode_them(make):
    pd = pytest.importorskip("pandas")
    from sklearn.compose import make_column_transformer
    from sklearn.preprocessing import OneHotEncoder

    X, y = _data("binary")
    frame = pd.DataFrame(X).set_axis([f"x{j}" for j in range(X.shape[1])], axis=1)
    frame["shop"] = np.array(["north", "south", "east"])[np.arange(len(y)) % 3]
    takes_pipeline = make in (BalancedBaggingClassifier, EasyEnsembleClassifier)
    pattern = (r"the column\(s\) 'shop' of X hold values that are not numbers \(could not "
               r"convert string to float: '\w+'\).*OneHotEncoder")
    with pytest.raises(DataError, match=pattern) as caught:
        make(n_estimators=2, random_state=0).fit(frame, y)
    assert ("give as estimator a pipeline" in str(caught.value)) == takes_pipeline
    # The position that the members' pipeline names the column by.
    assert (f"by position, [{X.shape[1]}], not by name" in str(caught.value)) == takes_pipeline
    if takes_pipeline:  # the way out offered works (the members see arrays: by position)
        encode = make_column_transformer((OneHotEncoder(handle_unknown="ignore"), [X.shape[1]]),
                                         remainder="passthrough")
        clf = make(estimator=make_pipeline(encode, DecisionTreeClassifier()), n_estimators=2,
                   random_state=0).fit(frame, y)
        assert clf.predict(frame).shape == y.shape


def test_rusboost_says_why_its_first_learner_failed():
    from sklearn.dummy import DummyClassifier

    rng = np.random.RandomState(0)
    X = rng.normal(size=(50, 3))
    # One rare row: each round learns from 2 rows, and the message said "stronger estimator".
    with pytest.raises(DataError, match=r"balanced subset of 2 rows, 1 of the smallest class 1 "
                                        r"\(1 row\(s\) in all\): too few to learn from"):
        RUSBoostClassifier(random_state=0).fit(X, np.array([0] * 49 + [1]))
    # Enough rows, a learner that cannot learn: a stronger estimator is the way out.
    wrong = DummyClassifier(strategy="constant", constant=1)
    with pytest.raises(DataError, match=r"weighted error 0\.8\).*balanced subset of 20 rows\. "
                                        "Use a stronger estimator"):
        RUSBoostClassifier(estimator=wrong, random_state=0).fit(X, np.array([0] * 40 + [1] * 10))


def test_bagging_dict_strategy_uses_original_labels():
    X, y = _data("binary")
    labels = np.where(y == 1, "fraud", "ok")
    clf = BalancedBaggingClassifier(
        n_estimators=3, bootstrap=False, sampling_strategy={"ok": 100}, random_state=0
    ).fit(X, labels)
    for member in clf.estimators_:
        kept = labels[member.sampler_.sample_indices_]
        assert (kept == "ok").sum() == 100
        assert (kept == "fraud").sum() == (labels == "fraud").sum()


def test_easy_ensemble_members_see_all_minority_rows():
    X, y = _data("binary")
    clf = EasyEnsembleClassifier(
        n_estimators=3, estimator=AdaBoostClassifier(n_estimators=3), random_state=0
    ).fit(X, y)
    minority = np.flatnonzero(y == 1)
    subsets = []
    for member in clf.estimators_:
        rows = member.sampler_.sample_indices_
        assert set(minority) <= set(rows)
        assert (_counts(y[rows]) == minority.shape[0]).all()
        subsets.append(frozenset(rows))
    assert len(set(subsets)) == 3  # each member draws its own subset of the majority
    assert clf.decision_function(X[:5]).shape == (5,)


def test_forest_trees_grown_on_balanced_bootstraps():
    X, y = _data("multiclass")
    n_min = _counts(y).min()
    clf = BalancedRandomForestClassifier(n_estimators=6, random_state=0).fit(X, y)
    for sampler, rows in zip(clf.samplers_, clf.estimators_samples_, strict=True):
        assert (_counts(y[rows]) == n_min).all()
        np.testing.assert_array_equal(np.sort(sampler.sample_indices_), rows)
    # replacement=True by default: some rows are drawn more than once.
    assert any(np.unique(rows).shape[0] < rows.shape[0] for rows in clf.estimators_samples_)
    assert clf.feature_importances_.shape == (X.shape[1],)
    assert clf.apply(X[:4]).shape == (4, 6)


def test_forest_oob_matches_trees_that_did_not_see_the_row():
    X, y = _data("binary")
    clf = BalancedRandomForestClassifier(
        n_estimators=20, bootstrap=True, oob_score=True, random_state=0
    ).fit(X, y)
    assert 0.5 < clf.oob_score_ <= 1.0
    for i in (0, 7, 123):
        probas = [
            tree.predict_proba(X[i : i + 1].astype(np.float32))[0]
            for tree, rows in zip(clf.estimators_, clf.estimators_samples_, strict=True)
            if i not in set(rows)
        ]
        np.testing.assert_allclose(clf.oob_decision_function_[i], np.mean(probas, axis=0))
    with pytest.raises(InvalidParameterError, match="bootstrap=True"):
        BalancedRandomForestClassifier(oob_score=True).fit(X, y)


@pytest.mark.parametrize(
    "make",
    [
        lambda n: BalancedRandomForestClassifier(n_estimators=n, random_state=3),
        lambda n: BalancedBaggingClassifier(n_estimators=n, random_state=3),
    ],
    ids=["forest", "bagging"],
)
def test_warm_start_grows_the_same_ensemble(make):
    X, y = _data("binary")
    full = make(8).fit(X, y)
    warm = make(4).set_params(warm_start=True).fit(X, y)
    first = list(warm.estimators_)
    warm.set_params(n_estimators=8).fit(X, y)
    assert warm.estimators_[:4] == first
    np.testing.assert_allclose(warm.predict_proba(X), full.predict_proba(X))


def test_same_seed_same_model_and_seed_matters():
    X, y = _data("binary")
    makers = (
        lambda seed: BalancedRandomForestClassifier(n_estimators=5, random_state=seed),
        lambda seed: RUSBoostClassifier(TREE3, n_estimators=5, random_state=seed),
        lambda seed: BalancedBaggingClassifier(n_estimators=5, random_state=seed),
    )
    for make in makers:
        a = make(1).fit(X, y).predict_proba(X)
        b = make(1).fit(X, y).predict_proba(X)
        c = make(2).fit(X, y).predict_proba(X)
        np.testing.assert_array_equal(a, b)
        assert not np.array_equal(a, c)


def test_forest_threads_give_the_same_forest():
    X, y = _data("multiclass")
    a = BalancedRandomForestClassifier(n_estimators=6, random_state=0).fit(X, y)
    b = BalancedRandomForestClassifier(n_estimators=6, random_state=0, n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))



def test_forest_warns_when_a_fraction_of_the_weights_leaves_one_row_a_tree():
    # As in scikit-learn's forests, a float max_samples is a fraction of the weights' sum:
    # weights summing to 1 give each tree one row, and a forest that learns nothing.
    X, y = make_classification(n_samples=400, weights=[0.8], random_state=0)
    weights = np.full(len(y), 1 / len(y))
    forest = BalancedRandomForestClassifier(n_estimators=5, max_samples=0.5, bootstrap=True,
                                            random_state=0)
    with pytest.warns(BalancekitWarning, match=r"max_samples=0.5 is a fraction of the sum of "
                      r"sample_weight \(1\).*holds 1 row"):
        forest.fit(X, y, sample_weight=weights)
    assert all(tree.tree_.node_count == 1 for tree in forest.estimators_)
    with warnings.catch_warnings():
        warnings.simplefilter("error", BalancekitWarning)
        BalancedRandomForestClassifier(n_estimators=5, max_samples=0.5, bootstrap=True,
                                       random_state=0).fit(X, y, sample_weight=weights * len(y))
        # Without the bootstrap, max_samples is not used: nothing to say.
        BalancedRandomForestClassifier(n_estimators=5, max_samples=0.5, random_state=0).fit(
            X, y, sample_weight=weights)

def test_forest_takes_a_fraction_above_one_and_caps_it_at_the_balanced_sample():
    # As scikit-learn's forests and imbalanced-learn's: max_samples=1.5 asks for more rows
    # than the balanced sample holds, so each tree gets all of them (as with None).
    X, y = _data("binary")
    capped = BalancedRandomForestClassifier(n_estimators=5, max_samples=1.5, random_state=0)
    whole = BalancedRandomForestClassifier(n_estimators=5, random_state=0)
    np.testing.assert_array_equal(capped.fit(X, y).predict_proba(X),
                                  whole.fit(X, y).predict_proba(X))
    with pytest.raises(InvalidParameterError, match="max_samples=0.0"):
        BalancedRandomForestClassifier(max_samples=0.0).fit(X, y)
    with pytest.raises(InvalidParameterError, match="max_samples=1.5"):  # bagging: (0, 1]
        BalancedBaggingClassifier(max_samples=1.5).fit(X, y)


def test_forest_class_weight_and_sample_weight():
    X, y = _data("binary")
    # Rows of weight 0 weigh in no tree: half of the majority class, none of the sample.
    weights = np.ones(y.shape[0])
    weights[np.flatnonzero(y == 0)[::2]] = 0.0
    clf = BalancedRandomForestClassifier(n_estimators=5, random_state=0).fit(
        X, y, sample_weight=weights
    )
    for sampler in clf.samplers_:
        assert (weights[sampler.sample_indices_] > 0).all()
    # Class weights multiply the rows' weights: 'balanced' on top of a balanced sample
    # pushes the trees towards the minority class.
    # (Leaves of several rows, where the weights decide the leaf's probabilities.)
    plain = BalancedRandomForestClassifier(
        n_estimators=10, min_samples_leaf=10, random_state=0
    ).fit(X, y)
    weighted = BalancedRandomForestClassifier(
        n_estimators=10, min_samples_leaf=10, class_weight="balanced", random_state=0
    ).fit(X, y)
    assert weighted.predict_proba(X)[:, 1].mean() > plain.predict_proba(X)[:, 1].mean() + 0.05
    subsample = BalancedRandomForestClassifier(
        n_estimators=10, bootstrap=True, class_weight="balanced_subsample", random_state=0
    ).fit(X, y)
    assert balanced_accuracy_score(y, subsample.predict(X)) > 0.8


def test_rusboost_rounds_balanced_and_weighted():
    X, y = _data("multiclass")
    clf = RUSBoostClassifier(TREE3, n_estimators=8, random_state=0).fit(X, y)
    assert 1 <= len(clf.estimators_) == len(clf.samplers_) <= 8
    n_min = _counts(y).min()
    for sampler in clf.samplers_:
        assert (_counts(y[sampler.sample_indices_]) == n_min).all()
    fitted = clf.estimator_weights_[: len(clf.estimators_)]
    assert (fitted > 0).all()
    # Weighted boosting moves the later rounds: not every learner makes the same first split.
    roots = {(e.tree_.feature[0], round(float(e.tree_.threshold[0]), 6)) for e in clf.estimators_}
    assert len(roots) > 1
    staged = list(clf.staged_predict(X))
    np.testing.assert_array_equal(staged[-1], clf.predict(X))


def test_rusboost_parameters():
    X, y = _data("binary")
    with pytest.warns(FutureWarning, match="algorithm"):
        RUSBoostClassifier(TREE3, n_estimators=2, algorithm="SAMME").fit(X, y)
    with pytest.raises(InvalidParameterError, match="SAMME.R"):
        RUSBoostClassifier(algorithm="SAMME.R").fit(X, y)
    with pytest.raises(InvalidParameterTypeError, match="sample_weight"):
        RUSBoostClassifier(estimator=KNeighborsClassifier()).fit(X, y)


@pytest.mark.parametrize("cls", [BalancedBaggingClassifier, EasyEnsembleClassifier])
def test_bagging_refuses_sample_weight_by_its_public_name(cls):
    X, y = _data("binary")
    with pytest.raises(TypeError, match=rf"^{cls.__name__}\.fit\(\) takes no sample_weight"):
        cls(n_estimators=2).fit(X, y, sample_weight=np.ones(len(y)))
    assert not has_fit_parameter(cls(), "sample_weight")


@pytest.mark.parametrize(
    "cls",
    [
        BalancedBaggingClassifier,
        BalancedRandomForestClassifier,
        EasyEnsembleClassifier,
        RUSBoostClassifier,
    ],
)
def test_clear_parameter_errors(cls):
    X, y = _data("binary")
    with pytest.raises(InvalidParameterError, match="n_estimators=0"):
        cls(n_estimators=0).fit(X, y)
    with pytest.raises(InvalidParameterTypeError, match="replacement"):
        cls(replacement="yes").fit(X, y)
    with pytest.raises(InvalidParameterError, match="sampling_strategy='minority'"):
        cls(sampling_strategy="minority").fit(X, y)


def test_a_sampler_pipeline_with_transformers_is_refused():
    from sklearn.preprocessing import StandardScaler

    from balancekit.pipeline import make_pipeline

    X, y = _data("binary")
    scaled = make_pipeline(StandardScaler(), RandomUnderSampler(random_state=0))
    with pytest.raises(InvalidParameterError, match=r"sampler is a Pipeline .*'standardscaler'"):
        BalancedBaggingClassifier(sampler=scaled, n_estimators=2).fit(X, y)
    # A pipeline of samplers only is fine.
    samplers = make_pipeline(RandomUnderSampler(random_state=0))
    BalancedBaggingClassifier(sampler=samplers, n_estimators=2, random_state=0).fit(X, y)


def test_dataframe_input_keeps_feature_names():
    pd = pytest.importorskip("pandas")
    X, y = _data("binary")
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    for clf in (
        BalancedBaggingClassifier(n_estimators=3, random_state=0),
        BalancedRandomForestClassifier(n_estimators=3, random_state=0),
        RUSBoostClassifier(TREE3, n_estimators=3, random_state=0),
    ):
        clf.fit(frame, y)
        assert list(clf.feature_names_in_) == list(frame.columns)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            clf.predict(frame)


def test_pipelines_attribute():
    pytest.importorskip("balancekit.pipeline")
    X, y = _data("binary")
    clf = BalancedRandomForestClassifier(n_estimators=3, random_state=0).fit(X, y)
    pipes = clf.pipelines_
    assert len(pipes) == 3
    tree = pipes[0].steps[-1][1]
    np.testing.assert_array_equal(
        tree.predict(X.astype(np.float32)), clf.estimators_[0].predict(X.astype(np.float32))
    )


def test_member_of_default_bagging_is_a_tree():
    X, y = _data("binary")
    clf = BalancedBaggingClassifier(n_estimators=2, random_state=0).fit(X, y)
    assert isinstance(clf.estimators_[0].estimator_, DecisionTreeClassifier)
    assert not hasattr(clf, "decision_function")


def test_a_bag_without_the_rare_class_is_explained():
    # One row of the rare class: some bootstrap bags miss it.
    from balancekit.exceptions import DataError

    rng = np.random.RandomState(0)
    X = rng.randn(300, 3)
    y = np.array(["ok"] * 299 + ["fraud"], dtype=object)
    with pytest.raises(DataError, match=r"bag .* no row of class\(es\) 'fraud'.*bootstrap=False"):
        BalancedBaggingClassifier(random_state=0).fit(X, y)
    with pytest.raises(DataError, match=r"y has only one class \('ok'\)"):
        BalancedBaggingClassifier(random_state=0).fit(X, np.array(["ok"] * 300, dtype=object))


def test_bags_missing_one_of_three_classes_still_fit_as_imbalanced_learn():
    ie = pytest.importorskip("imblearn.ensemble")
    rng = np.random.RandomState(0)
    X = rng.randn(300, 3)
    y = np.r_[[0] * 200, [1] * 97, [2] * 3]
    ours = BalancedBaggingClassifier(random_state=0).fit(X, y).predict_proba(X)
    theirs = ie.BalancedBaggingClassifier(random_state=0).fit(X, y).predict_proba(X)
    np.testing.assert_allclose(ours, theirs)


@pytest.mark.parametrize("ensemble", [BalancedBaggingClassifier, EasyEnsembleClassifier],
                         ids=lambda c: c.__name__)
@pytest.mark.parametrize("estimator, match", [
    ("tree", "got 'tree' of type str"),
    (42, "got 42 of type int"),
    (StandardScaler(), "fit and predict"),
    (DecisionTreeClassifier, r"write DecisionTreeClassifier\(\)"),
])
def test_an_estimator_that_is_not_a_classifier_object_is_named(ensemble, estimator, match):
    # Raised AttributeError from scikit-learn's tags ('str' object has no attribute
    # '__sklearn_tags__') or from the members ('StandardScaler' has no 'classes_').
    X, y = make_classification(100, 4, weights=[0.8], random_state=0)
    with pytest.raises(InvalidParameterTypeError, match=match):
        ensemble(estimator=estimator, n_estimators=2).fit(X, y)


@pytest.mark.parametrize("ensemble", [BalancedBaggingClassifier, EasyEnsembleClassifier,
                                      RUSBoostClassifier], ids=lambda c: c.__name__)
@pytest.mark.parametrize("estimator", [DecisionTreeRegressor(),
                                       make_pipeline(StandardScaler(), DecisionTreeRegressor()),
                                       KMeans(2, n_init=1)],
                         ids=["tree", "pipeline", "clusterer"])
def test_a_regressor_as_estimator_is_named(ensemble, estimator):
    # The bagging ensembles raised AttributeError ('DecisionTreeRegressor' has no 'classes_'),
    # and RUSBoostClassifier boosted the regressor's numbers as if they were classes.
    X, y = make_classification(100, 4, weights=[0.8], random_state=0)
    kind = "clusterer" if isinstance(estimator, KMeans) else "regressor"
    with pytest.raises(InvalidParameterTypeError, match=f"got the {kind}"):
        ensemble(estimator=estimator, n_estimators=2).fit(X, y)


@pytest.mark.parametrize("ensemble", [BalancedBaggingClassifier, EasyEnsembleClassifier,
                                      BalancedRandomForestClassifier], ids=lambda c: c.__name__)
@pytest.mark.parametrize("param", ["verbose", "n_jobs"])
def test_verbose_and_n_jobs_of_the_wrong_type_are_named(ensemble, param):
    # BalancedRandomForestClassifier(verbose='x') raised "'>=' not supported between
    # instances of 'str' and 'int'"; the bagging ensembles named BaggingClassifier.
    X, y = make_classification(60, 4, weights=[0.8], random_state=0)
    with pytest.raises(InvalidParameterTypeError, match=f"^{param} must be"):
        ensemble(n_estimators=2, **{param: "x"}).fit(X, y)
    ensemble(n_estimators=2, verbose=False).fit(X, y)  # a bool is a verbosity level


@pytest.mark.parametrize("ensemble", [BalancedBaggingClassifier, EasyEnsembleClassifier],
                         ids=lambda c: c.__name__)
def test_members_read_as_imbalanced_learn_pipelines(ensemble):
    # imbalanced-learn's members are Pipelines of ('sampler', 'classifier'): code reading
    # member.named_steps['classifier'], member[-1] or member[0].sample_indices_ failed.
    X, y = make_classification(300, 4, weights=[0.8], random_state=0)
    model = ensemble(n_estimators=2, random_state=0).fit(X, y)
    for member in model.estimators_:
        assert member.named_steps["classifier"] is member.estimator_ is member[-1]
        assert member.named_steps["sampler"] is member.sampler_ is member[0] is member["sampler"]
        assert len(member) == 2 and [name for name, _ in member.steps] == ["sampler",
                                                                           "classifier"]
        assert member[0].sample_indices_.size < X.shape[0]
        assert member[:1].steps[0][1] is member.sampler_
    template = model.estimator_
    assert template.named_steps["classifier"] is template.estimator  # not fitted: the template


@pytest.mark.parametrize("ensemble", ["BalancedBaggingClassifier", "EasyEnsembleClassifier"])
def test_members_score_as_imbalanced_learn_pipelines(ensemble):
    # Code scoring each member (``[m.score(X, y) for m in model.estimators_]``) failed: the
    # members had no score method, where imbalanced-learn's Pipeline members have one.
    ie = pytest.importorskip("imblearn.ensemble")
    from balancekit import ensemble as be

    X, y = make_classification(300, 4, weights=[0.8], random_state=0)
    ours = getattr(be, ensemble)(n_estimators=3, random_state=0).fit(X, y)
    theirs = getattr(ie, ensemble)(n_estimators=3, random_state=0).fit(X, y)
    weights = np.linspace(0.5, 2.0, y.size)
    for member, reference in zip(ours.estimators_, theirs.estimators_, strict=True):
        assert member.score(X, y) == pytest.approx(reference.score(X, y))
        assert member.score(X, y, sample_weight=weights) == pytest.approx(
            reference.score(X, y, sample_weight=weights))


@pytest.mark.parametrize("ensemble", ["BalancedBaggingClassifier", "EasyEnsembleClassifier",
                                      "BalancedRandomForestClassifier", "RUSBoostClassifier"])
def test_ensembles_are_sequences_of_members_as_in_imbalanced_learn(ensemble):
    # len(model), model[i] and iterating over the members failed for the two bagging
    # ensembles, which imbalanced-learn's (scikit-learn ensembles) all support.
    ie = pytest.importorskip("imblearn.ensemble")
    from balancekit import ensemble as be

    X, y = make_classification(300, 4, weights=[0.8], random_state=0)
    ours = getattr(be, ensemble)(n_estimators=3, random_state=0).fit(X, y)
    theirs = getattr(ie, ensemble)(n_estimators=3, random_state=0).fit(X, y)
    assert len(ours) == len(theirs) == 3
    assert ours[0] is ours.estimators_[0] and ours[-1] is ours.estimators_[-1]
    assert ours[1:] == ours.estimators_[1:]
    assert list(ours) == ours.estimators_


@pytest.mark.parametrize("ensemble", [BalancedBaggingClassifier, EasyEnsembleClassifier],
                         ids=lambda c: c.__name__)
def test_a_member_refitted_from_its_bag_is_the_same_member(ensemble):
    # Refitting a member on its bag (estimators_samples_) must give the same member; given
    # the labels themselves rather than their codes, the error said the bag had no row of a
    # class (or failed to convert text labels to integers).
    from sklearn.linear_model import LogisticRegression

    X, y = make_classification(200, 5, weights=[0.7], random_state=1)
    y = np.where(y == 1, "yes", "no").astype(object) if ensemble is EasyEnsembleClassifier \
        else np.where(y == 1, 1.0, -1.0)
    model = ensemble(estimator=LogisticRegression(), n_estimators=2, random_state=1).fit(X, y)
    member, rows = model.estimators_[0], model.estimators_samples_[0]
    columns = getattr(model, "estimators_features_", [np.arange(X.shape[1])])[0]
    coef = member[-1].coef_.copy()
    X_bag = X[rows][:, columns]
    with pytest.raises(DataError, match="numpy.searchsorted"):
        member.fit(X_bag, y[rows])
    member.fit(X_bag, np.searchsorted(model.classes_, y[rows]))
    np.testing.assert_allclose(member[-1].coef_, coef)


@pytest.mark.parametrize("class_weight", ["balanced", "balanced_subsample"])
def test_forest_balanced_class_weight_counts_sample_weight(class_weight):
    # 'balanced' (and 'balanced_subsample' without bootstrap) divides by the classes' totals
    # of sample_weight, as scikit-learn's forests and imbalanced-learn do: it used the
    # counts of rows, so doubling the weight of every minority row changed the trees.
    import inspect

    from sklearn.utils.class_weight import compute_class_weight

    X, y = make_classification(n_samples=1000, weights=[0.8], random_state=0)

    def fit(cls, sample_weight, n_estimators=1):
        clf = cls(n_estimators=n_estimators, class_weight=class_weight, random_state=0)
        return clf.fit(X, y, sample_weight=sample_weight)

    doubled = np.where(y == 1, 2.0, 1.0)
    np.testing.assert_allclose(
        fit(BalancedRandomForestClassifier, doubled).estimators_[0].tree_.value[0],
        fit(BalancedRandomForestClassifier, None).estimators_[0].tree_.value[0],
    )
    if "sample_weight" not in inspect.signature(compute_class_weight).parameters:
        pytest.skip("this scikit-learn's forests count rows, not weights, for 'balanced'")
    ie = pytest.importorskip("imblearn.ensemble")
    weights = np.random.RandomState(0).uniform(0.0, 3.0, y.shape[0])
    np.testing.assert_allclose(
        fit(BalancedRandomForestClassifier, weights, 5).predict_proba(X),
        fit(ie.BalancedRandomForestClassifier, weights, 5).predict_proba(X),
    )


@pytest.mark.parametrize("param, value, expected", [
    ("criterion", "foo", "one of 'gini', 'entropy', 'log_loss'"),
    ("max_depth", -1, "an integer >= 1 or None"),
    ("max_features", "foo", "'sqrt', 'log2', None, an integer >= 1 or a float in \\(0, 1\\]"),
    ("min_samples_leaf", 0, "an integer >= 1 or a float in \\(0, 1\\)"),
    ("min_samples_split", 1.5, "an integer >= 2 or a float in \\(0, 1\\]"),
    ("min_weight_fraction_leaf", 0.6, "a number in \\[0, 0.5\\]"),
    ("max_leaf_nodes", 1, "an integer >= 2 or None"),
    ("min_impurity_decrease", -1.0, "a finite number >= 0"),
    ("ccp_alpha", -1.0, "a finite number >= 0"),
    ("class_weight", "foo", "'balanced', 'balanced_subsample', a dict"),
])
def test_forest_tree_parameter_errors_name_the_forest(monkeypatch, param, value, expected):
    # The errors named DecisionTreeClassifier (class_weight: compute_sample_weight, without
    # 'balanced_subsample'), and came from growing the first tree.
    import balancekit.ensemble._forest as forest

    def no_tree(*args, **kwargs):
        raise AssertionError("a tree was grown before the parameters were checked")

    monkeypatch.setattr(forest, "_grow_tree", no_tree)
    X, y = _data("binary")
    with pytest.raises(InvalidParameterError,
                       match=rf"^BalancedRandomForestClassifier: {param} must be {expected}.*; "
                             rf"got {value!r}\.$"):
        BalancedRandomForestClassifier(n_estimators=2, **{param: value}).fit(X, y)


def test_forest_accepts_the_tree_parameters_scikit_learn_accepts():
    X, y = _data("binary")
    BalancedRandomForestClassifier(
        n_estimators=2, criterion="log_loss", max_depth=np.int64(3), max_features=None,
        min_samples_split=0.1, min_samples_leaf=0.05, min_weight_fraction_leaf=0,
        max_leaf_nodes=8, min_impurity_decrease=0, ccp_alpha=0.001,
        class_weight="balanced_subsample", bootstrap=True, random_state=0,
    ).fit(X, y)


def test_rusboost_rows_of_zero_weight_are_left_out():
    # Each round's subset was under-sampled from every row, so it could hold only rows of
    # weight 0 and the learner refused it ("Sample weights must contain at least one
    # non-zero number"); it is drawn among the rows of positive weight, as if the others
    # were not there.
    X, y = _data("multiclass")
    rng = np.random.RandomState(0)
    weights = rng.uniform(0.5, 2.0, y.shape[0])
    weights[rng.rand(y.shape[0]) < 0.7] = 0.0
    kept = weights > 0

    def fit(X, y, weights):
        return RUSBoostClassifier(TREE3, n_estimators=6, random_state=0).fit(
            X, y, sample_weight=weights
        )

    ours, left_out = fit(X, y, weights), fit(X[kept], y[kept], weights[kept])
    np.testing.assert_array_equal(ours.classes_, left_out.classes_)
    np.testing.assert_allclose(ours.estimator_weights_, left_out.estimator_weights_)
    np.testing.assert_allclose(ours.predict_proba(X), left_out.predict_proba(X))


def test_rusboost_class_without_positive_weight_is_named():
    from balancekit.exceptions import DataError

    X, y = make_classification(n_samples=500, n_features=5, weights=[0.8], random_state=0)
    for n_weighted in (1, 50):
        weights = np.zeros(y.shape[0])
        weights[np.flatnonzero(y == 0)[:n_weighted]] = 1.0
        with pytest.raises(DataError, match="sample_weight is 0 for every row of class 1"):
            RUSBoostClassifier(n_estimators=10, random_state=0).fit(X, y, sample_weight=weights)


def test_a_sampler_class_is_named():
    # sampler=RandomUnderSampler (the class): scikit-learn's clone error did not say which
    # parameter, where estimator=LogisticRegression already got this message.
    X, y = _data("binary")
    with pytest.raises(InvalidParameterTypeError, match="sampler must be a sampler object; got "
                       "the class RandomUnderSampler, not an object"):
        BalancedBaggingClassifier(sampler=RandomUnderSampler, n_estimators=2).fit(X, y)


def test_a_sampler_pipeline_ending_with_passthrough_is_named():
    # make_pipeline(StandardScaler(), 'passthrough') was taken for a pipeline ending with a
    # sampler; it is a transformer.
    from balancekit.pipeline import make_pipeline

    X, y = _data("binary")
    with pytest.raises(InvalidParameterTypeError,
                       match=r"(?s)sampler must have a fit_resample method.*last step other than "
                             r"'passthrough'"):
        BalancedBaggingClassifier(
            sampler=make_pipeline(StandardScaler(), "passthrough"), n_estimators=2
        ).fit(X, y)
    # A pipeline whose last step other than 'passthrough' is a sampler is one.
    sampler = make_pipeline(RandomUnderSampler(), "passthrough")
    BalancedBaggingClassifier(sampler=sampler, n_estimators=2, random_state=0).fit(X, y)


@pytest.mark.parametrize("sampler, strategy, problem", [
    (None, {0: 235}, "above"),
    (RandomOverSampler(), {1: 62}, "below"),
])
def test_a_count_that_does_not_fit_a_bag_is_explained(sampler, strategy, problem):
    # The data has 238 rows of class 0 and 62 of class 1; a bootstrap bag of 300 rows holds
    # other counts, and the message spoke of the class's samples as if they were the data's.
    X, y = make_classification(n_samples=300, n_features=5, weights=[0.8], random_state=1)
    (label, count), = strategy.items()
    assert (y == label).sum() == count + (3 if problem == "above" else 0)
    clf = BalancedBaggingClassifier(n_estimators=10, sampler=sampler, sampling_strategy=strategy,
                                    random_state=0)
    with pytest.raises(InvalidParameterError,
                       match=rf"^sampling_strategy\[{label}\]={count} is {problem} the \d+ "
                             rf"samples of class {label} in the bag of 300 rows drawn for one "
                             r"member .*\(bootstrap=False, max_samples=1.0\)"):
        clf.fit(X, y)
    clf.set_params(bootstrap=False).fit(X, y)  # every bag is the training set


def test_decision_function_of_members_whose_bags_lack_a_class():
    # A class of one row is in some bags only: every member still gives a column per class.
    from sklearn.svm import SVC

    X, y = make_classification(n_samples=300, n_features=5, n_classes=3, n_informative=3,
                               weights=[0.6, 0.3, 0.1], random_state=0)
    y[0] = 7
    model = BalancedBaggingClassifier(estimator=SVC(), n_estimators=5, random_state=0).fit(X, y)
    sizes = [len(member.estimator_.classes_) for member in model.estimators_]
    assert min(sizes) < 4 == max(sizes)
    scores = model.decision_function(X[:20])
    assert scores.shape == (20, 4)
    for member, features in zip(model.estimators_, model.estimators_features_, strict=True):
        own = member.estimator_.decision_function(X[:20][:, features])
        columns = member.decision_function(X[:20][:, features])
        seen = member.estimator_.classes_
        np.testing.assert_allclose(columns[:, seen], own)
        # A class the member never saw scores no higher than the others of the row.
        unseen = np.setdiff1d(np.arange(4), seen)
        assert (columns[:, unseen] <= own.min(axis=1, keepdims=True)).all()


def test_a_sampler_error_on_a_bag_says_it_is_the_bag():
    # The bag holds one row of the class, the training data three.
    from balancekit.over_sampling import SMOTE

    X, y = make_classification(n_samples=300, n_features=5, n_classes=3, n_informative=3,
                               weights=[0.6, 0.3, 0.1], random_state=0)
    y = np.r_[y[:-3], 9, 9, 9]
    with pytest.raises(DataError, match=r"class 9 .*This is the bag of one member of the "
                       r"ensemble.*bootstrap=False"):
        BalancedBaggingClassifier(sampler=SMOTE(), n_estimators=3, random_state=0).fit(X, y)
    # Bags of every row: SMOTE finds its neighbours.
    BalancedBaggingClassifier(sampler=SMOTE(k_neighbors=2), n_estimators=3, bootstrap=False,
                              random_state=0).fit(X, y)


@pytest.mark.parametrize("bootstrap", [True, False])
def test_forest_draws_its_balanced_samples_among_rows_of_positive_weight(bootstrap):
    # One row of positive weight per class: a sample drawn among all rows held none (NaN
    # probabilities, or a tree refusing weights that are all 0).
    X, y = make_classification(n_samples=200, n_features=4, weights=[0.9, 0.1], random_state=0)
    weight = np.zeros(200)
    kept = [np.flatnonzero(y == 0)[0], np.flatnonzero(y == 1)[0]]
    weight[kept] = 1
    model = BalancedRandomForestClassifier(n_estimators=5, bootstrap=bootstrap,
                                           random_state=0).fit(X, y, sample_weight=weight)
    for sampler in model.samplers_:
        assert set(sampler.sample_indices_) == set(kept)  # rows of X, of positive weight
    assert np.isfinite(model.predict_proba(X)).all()
    weight = np.where(y == 1, 0.0, 1.0)
    with pytest.raises(DataError, match="sample_weight is 0 for every row of class 1"):
        BalancedRandomForestClassifier(n_estimators=5, random_state=0).fit(
            X, y, sample_weight=weight)


@pytest.mark.parametrize("param, value", [
    ("min_samples_split", np.float32(0.5)),
    ("min_samples_leaf", np.float32(0.1)),
    ("max_features", np.float32(0.5)),
    ("ccp_alpha", np.float32(0.001)),
])
def test_forest_passes_numpy_scalars_to_the_trees_as_python_numbers(param, value):
    # The forest's check accepted them, then the trees refused np.float32 with scikit-learn's
    # error naming DecisionTreeClassifier.
    X, y = _data("binary")
    model = BalancedRandomForestClassifier(n_estimators=2, random_state=0, **{param: value})
    model.fit(X, y)
    assert model.estimator_.get_params()[param] == pytest.approx(float(value))


@pytest.mark.parametrize("value, error, match", [
    ("abc", InvalidParameterTypeError, "got 'abc' of type str"),
    ({"a": 1}, InvalidParameterTypeError, "got {'a': 1} of type dict"),
    ([1, 0], InvalidParameterError, r"one per feature \(6 features\); got 2 value"),
    ([2, 0, 0, 0, 0, 0], InvalidParameterError, "got the value 2"),
])
def test_forest_checks_monotonic_cst(value, error, match):
    # 'abc' gave scikit-learn's error naming DecisionTreeClassifier, a dict a raw IndexError.
    X, y = _data("binary")
    with pytest.raises(error, match=rf"^BalancedRandomForestClassifier: monotonic_cst must "
                                    rf"be None or an array-like of -1, 0 and 1.*{match}"):
        BalancedRandomForestClassifier(n_estimators=2, monotonic_cst=value).fit(X, y)
    BalancedRandomForestClassifier(n_estimators=2, monotonic_cst=[1, 0, 0, 0, 0, -1],
                                   random_state=0).fit(X, y)


def test_forest_class_weight_dict_naming_an_unknown_class():
    # A raw scikit-learn ValueError: "The classes, [0, 1], are not in class_weight".
    X, y = _data("binary")
    with pytest.raises(InvalidParameterError, match=r"class_weight names class\(es\) \['zz'\] "
                                                    r"that are not in the data"):
        BalancedRandomForestClassifier(n_estimators=2, class_weight={"zz": 1}).fit(X, y)


def test_forest_monotonic_cst_needs_two_classes():
    # A raw ValueError from the first tree ("not supported with multiclass classification").
    X, y = _data("multiclass")
    with pytest.raises(InvalidParameterError, match="monotonic_cst applies to two classes only"):
        BalancedRandomForestClassifier(n_estimators=2, monotonic_cst=[1] + [0] * 5).fit(X, y)


def test_bagging_max_samples_none_draws_every_row_count():
    # Refused ("max_samples must be an integer >= 1 or a float in (0, 1]; got None"), though
    # it is scikit-learn's default: n_samples rows per bag, the bags of max_samples=1.0.
    X, y = _data("binary")
    ours = BalancedBaggingClassifier(n_estimators=3, max_samples=None, random_state=0).fit(X, y)
    same = BalancedBaggingClassifier(n_estimators=3, max_samples=1.0, random_state=0).fit(X, y)
    np.testing.assert_array_equal(ours.predict_proba(X), same.predict_proba(X))
    assert all(rows.shape[0] == X.shape[0] for rows in ours.estimators_samples_)


@pytest.mark.parametrize("params, match", [
    ({"max_features": 10**12}, r"max_features=1000000000000 is more features than X has \(6\)"),
    ({"max_samples": 401, "bootstrap": False},
     r"max_samples=401 is more rows than X has \(400\).*bootstrap=False"),
])
def test_bagging_draws_larger_than_X_are_refused_before_fitting(params, match):
    # scikit-learn's bagging raised a bare ValueError ("max_features must be <= n_features").
    X, y = _data("binary")
    with pytest.raises(InvalidParameterError, match=rf"^BalancedBaggingClassifier: {match}"):
        BalancedBaggingClassifier(n_estimators=2, **params).fit(X, y)
