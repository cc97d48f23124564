"""Prior correction after resampling: calibrated probabilities, unchanged ranking."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.base import clone
from sklearn.calibration import calibration_curve
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score
from sklearn.model_selection import TunedThresholdClassifierCV, train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.utils.estimator_checks import parametrize_with_checks

from balancekit import FunctionSampler
from balancekit.calibration import PriorCorrectedClassifier, correct_prior
from balancekit.exceptions import DataError, InvalidParameterError, InvalidParameterTypeError
from balancekit.over_sampling import RandomOverSampler
from balancekit.pipeline import make_pipeline
from balancekit.under_sampling import RandomUnderSampler

SAMPLE_WEIGHT_XFAIL = (
    "the sampler draws rows: a row repeated twice changes the class counts and the random "
    "draws, so weighting a row by 2 cannot give the same model as repeating it"
)


@parametrize_with_checks(
    # Seeded so that refits are reproducible (check_fit_idempotent): through the sampler
    # passed, or through random_state for the default sampler.
    [PriorCorrectedClassifier(LogisticRegression(), RandomUnderSampler(random_state=0)),
     PriorCorrectedClassifier(LogisticRegression(), random_state=0)],
    expected_failed_checks=lambda est: {
        "check_sample_weight_equivalence_on_dense_data": SAMPLE_WEIGHT_XFAIL,
        "check_sample_weight_equivalence_on_sparse_data": SAMPLE_WEIGHT_XFAIL,
    },
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


# --- correct_prior -------------------------------------------------------------------

probas = st.integers(2, 5).flatmap(
    lambda k: st.tuples(
        arrays(
            np.float64, st.tuples(st.integers(1, 20), st.just(k)), elements=st.floats(0.01, 1.0)
        ),
        arrays(np.float64, k, elements=st.floats(0.01, 100.0)),
        arrays(np.float64, k, elements=st.floats(0.01, 100.0)),
    )
)


def _normalise(p):
    return p / p.sum(axis=1, keepdims=True)


@settings(max_examples=60, deadline=None)
@given(probas)
def test_correct_prior_rows_sum_to_one_and_round_trip(case):
    proba, prior_a, prior_b = case
    proba = _normalise(proba)
    corrected = correct_prior(proba, prior_a, prior_b)
    np.testing.assert_allclose(corrected.sum(axis=1), 1.0)
    assert (corrected >= 0).all()
    # Shifting back undoes the shift.
    np.testing.assert_allclose(correct_prior(corrected, prior_b, prior_a), proba, rtol=1e-9)
    # Priors and counts give the same result.
    np.testing.assert_allclose(correct_prior(proba, 7 * prior_a, prior_b / 3), corrected)


@settings(max_examples=40, deadline=None)
@given(probas)
def test_correct_prior_is_identity_for_equal_priors(case):
    proba, prior, _ = case
    proba = _normalise(proba)
    np.testing.assert_allclose(correct_prior(proba, prior, prior), proba)
    np.testing.assert_allclose(correct_prior(proba, prior, 2.5 * prior), proba)


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.float64, st.integers(2, 30), elements=st.floats(0.001, 0.999)),
    st.floats(0.01, 0.99),
    st.floats(0.01, 0.99),
)
def test_correct_prior_keeps_binary_ranking(p1, train_pos, res_pos):
    proba = np.column_stack([1 - p1, p1])
    corrected = correct_prior(proba, [1 - train_pos, train_pos], [1 - res_pos, res_pos])
    # Non-decreasing in p1 (floating point may merge values an ulp apart, never swap them).
    order = np.argsort(p1, kind="stable")
    assert (np.diff(corrected[order, 1]) >= 0).all()
    # Strictly increasing where p1 differs clearly.
    clear = np.diff(p1[order]) > 1e-9
    assert (np.diff(corrected[order, 1])[clear] > 0).all()


def test_correct_prior_known_value_and_errors():
    # A balanced model's 0.5 becomes the training prior: p = 0.5 * 0.9 / 0.5 = 0.9.
    np.testing.assert_allclose(correct_prior([[0.5, 0.5]], [0.9, 0.1], [0.5, 0.5]), [[0.9, 0.1]])
    # Odds are multiplied by the ratio of prior odds: 0.8/0.2 * (0.1/0.9) / (0.5/0.5).
    out = correct_prior([[0.2, 0.8]], [0.9, 0.1], [0.5, 0.5])
    np.testing.assert_allclose(out[0, 1] / out[0, 0], 4 * 0.1 / 0.9)
    with pytest.raises(InvalidParameterError, match="train_prior"):
        correct_prior([[0.5, 0.5]], [1.0], [0.5, 0.5])
    with pytest.raises(InvalidParameterError, match="resampled_prior"):
        correct_prior([[0.5, 0.5]], [0.5, 0.5], [1.0, 0.0])
    with pytest.raises(DataError, match="2-D"):
        correct_prior([0.5, 0.5], [0.5, 0.5], [0.5, 0.5])
    with pytest.raises(DataError, match="non-negative"):
        correct_prior([[-0.1, 1.1]], [0.5, 0.5], [0.5, 0.5])
    with pytest.raises(DataError, match="row 1"):
        correct_prior([[0.5, 0.5], [0.0, 0.0]], [0.5, 0.5], [0.5, 0.5])
    # Not numbers (a dict of priors by class): a bare numpy TypeError before.
    with pytest.raises(InvalidParameterTypeError, match="train_prior must be an array of numbers"):
        correct_prior([[0.5, 0.5]], {0: 0.9, 1: 0.1}, [0.5, 0.5])
    with pytest.raises(InvalidParameterTypeError, match="resampled_prior must be an array"):
        correct_prior([[0.5, 0.5]], [0.9, 0.1], ["a", "b"])


# --- PriorCorrectedClassifier ------------------------------------------------------


def _split(seed, weights=(0.9, 0.1), n_classes=2):
    X, y = make_classification(
        n_samples=6000,
        n_features=5,
        n_informative=3,
        n_redundant=0,
        n_classes=n_classes,
        n_clusters_per_class=1,
        weights=list(weights),
        class_sep=0.8,
        random_state=seed,
    )
    return train_test_split(X, y, test_size=0.5, stratify=y, random_state=0)


def _calibration_error(y, p):
    observed, predicted = calibration_curve(y, p, n_bins=10, strategy="quantile")
    return float(np.abs(observed - predicted).mean())


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(
    "sampler",
    [RandomUnderSampler(random_state=0), RandomOverSampler(random_state=0)],
    ids=["under", "over"],
)
def test_corrected_probabilities_are_calibrated_and_ranking_kept(seed, sampler):
    X_train, X_test, y_train, y_test = _split(seed)
    reference = LogisticRegression().fit(X_train, y_train).predict_proba(X_test)[:, 1]
    model = PriorCorrectedClassifier(LogisticRegression(), sampler).fit(X_train, y_train)
    raw = model.estimator_.predict_proba(X_test)[:, 1]
    corrected = model.predict_proba(X_test)[:, 1]

    np.testing.assert_allclose(model.resampled_prior_, [0.5, 0.5])
    np.testing.assert_allclose(model.train_prior_, np.bincount(y_train) / y_train.size)

    brier_ref = brier_score_loss(y_test, reference)
    brier_raw = brier_score_loss(y_test, raw)
    brier_cor = brier_score_loss(y_test, corrected)
    # Resampling ruins the probabilities; the correction brings them back near a
    # model trained without resampling.
    assert brier_raw > 1.5 * brier_ref
    assert brier_cor - brier_ref < 0.15 * (brier_raw - brier_ref)
    cal_ref = _calibration_error(y_test, reference)
    cal_raw = _calibration_error(y_test, raw)
    cal_cor = _calibration_error(y_test, corrected)
    assert cal_cor < cal_ref + 0.02
    assert cal_raw > 3 * cal_cor
    # Same ranking: the correction is increasing in the positive-class probability.
    assert roc_auc_score(y_test, corrected) == pytest.approx(roc_auc_score(y_test, raw), abs=1e-12)
    order = np.argsort(raw, kind="stable")
    assert (np.diff(corrected[order]) >= 0).all()


def test_multiclass_correction_close_to_unresampled_model():
    X_train, X_test, y_train, y_test = _split(3, weights=(0.7, 0.2, 0.1), n_classes=3)
    reference = LogisticRegression().fit(X_train, y_train).predict_proba(X_test)
    model = PriorCorrectedClassifier(LogisticRegression(), RandomUnderSampler(random_state=0)).fit(
        X_train, y_train
    )
    raw = model.estimator_.predict_proba(X_test)
    corrected = model.predict_proba(X_test)
    np.testing.assert_allclose(corrected.sum(axis=1), 1.0)
    loss_ref, loss_raw, loss_cor = (log_loss(y_test, p) for p in (reference, raw, corrected))
    assert loss_raw > loss_ref + 0.1
    assert loss_cor - loss_ref < 0.15 * (loss_raw - loss_ref)
    np.testing.assert_array_equal(model.predict(X_test), model.classes_[corrected.argmax(1)])


def test_predict_threshold_and_tuned_threshold_wrapper():
    X_train, X_test, y_train, _ = _split(4)
    base = PriorCorrectedClassifier(LogisticRegression(), RandomUnderSampler(random_state=0))
    model = base.fit(X_train, y_train)
    proba = model.predict_proba(X_test)[:, 1]
    np.testing.assert_array_equal(model.predict(X_test), (proba >= 0.5).astype(int))
    low = PriorCorrectedClassifier(
        LogisticRegression(), RandomUnderSampler(random_state=0), threshold=0.2
    ).fit(X_train, y_train)
    np.testing.assert_array_equal(low.predict(X_test), (proba >= 0.2).astype(int))
    assert low.predict(X_test).sum() > model.predict(X_test).sum()

    tuned = TunedThresholdClassifierCV(base, scoring="balanced_accuracy", cv=3).fit(
        X_train, y_train
    )
    assert 0.0 < tuned.best_threshold_ < 0.5  # rare positives: a low threshold pays off
    tuned_proba = tuned.estimator_.predict_proba(X_test)[:, 1]
    np.testing.assert_array_equal(
        tuned.predict(X_test), (tuned_proba >= tuned.best_threshold_).astype(int)
    )


def test_random_state_seeds_the_default_sampler():
    X_train, X_test, y_train, _ = _split(7)

    def proba(seed):
        model = PriorCorrectedClassifier(LogisticRegression(), random_state=seed)
        return model.fit(X_train, y_train).predict_proba(X_test)

    np.testing.assert_array_equal(proba(3), proba(3))
    assert not np.allclose(proba(3), proba(4))
    model = PriorCorrectedClassifier(LogisticRegression(), random_state=3).fit(X_train, y_train)
    assert model.sampler_.random_state == 3


def test_sample_weight_weights_the_priors():
    X_train, _, y_train, _ = _split(5)
    weights = np.where(y_train == 1, 3.0, 1.0)
    model = PriorCorrectedClassifier(LogisticRegression(), RandomUnderSampler(random_state=0)).fit(
        X_train, y_train, sample_weight=weights
    )
    mass = np.bincount(y_train, weights=weights)
    np.testing.assert_allclose(model.train_prior_, mass / mass.sum())
    # Under-sampling to equal counts, the resampled minority rows keep weight 3.
    np.testing.assert_allclose(model.resampled_prior_, [0.25, 0.75])


def test_dataframe_and_string_labels():
    pd = pytest.importorskip("pandas")
    X_train, X_test, y_train, _ = _split(6)
    frame = pd.DataFrame(X_train, columns=list("abcde"))
    labels = pd.Series(np.where(y_train == 1, "yes", "no"))
    model = PriorCorrectedClassifier(LogisticRegression()).fit(frame, labels)
    assert list(model.classes_) == ["no", "yes"]
    assert list(model.feature_names_in_) == list("abcde")
    assert set(model.predict(pd.DataFrame(X_test, columns=list("abcde")))) <= {"no", "yes"}


def test_errors():
    X_train, _, y_train, _ = _split(7)
    with pytest.raises(InvalidParameterTypeError, match="predict_proba"):
        PriorCorrectedClassifier(SVC()).fit(X_train, y_train)
    with pytest.raises(InvalidParameterTypeError, match="fit_resample"):
        PriorCorrectedClassifier(LogisticRegression(), sampler=LogisticRegression()).fit(
            X_train, y_train
        )
    # The class, not an object: scikit-learn's clone error did not name the parameter.
    with pytest.raises(InvalidParameterTypeError, match="sampler must be a sampler object; got "
                       "the class RandomUnderSampler"):
        PriorCorrectedClassifier(LogisticRegression(), sampler=RandomUnderSampler).fit(
            X_train, y_train
        )
    # A scaler inside the sampler would scale the rows fitted on, never the rows predicted.
    scaled = make_pipeline(StandardScaler(), RandomUnderSampler(random_state=0))
    with pytest.raises(InvalidParameterError, match=r"sampler is a Pipeline that ends with a "
                                                    r"sampler: .*\['standardscaler'\]"):
        PriorCorrectedClassifier(LogisticRegression(), sampler=scaled).fit(X_train, y_train)
    with pytest.raises(InvalidParameterError, match="threshold"):
        PriorCorrectedClassifier(LogisticRegression(), threshold=1.5).fit(X_train, y_train)
    y3 = y_train.copy()
    y3[:50] = 2
    with pytest.raises(InvalidParameterError, match="binary"):
        PriorCorrectedClassifier(LogisticRegression(), threshold=0.3).fit(X_train, y3)


def test_sample_weight_needs_a_sampler_that_takes_it():
    # imbalanced-learn's samplers take **params and fail deep inside with a TypeError.
    iu = pytest.importorskip("imblearn.under_sampling")
    X, y = make_classification(300, 4, weights=[0.8], random_state=0)
    model = PriorCorrectedClassifier(LogisticRegression(), sampler=iu.RandomUnderSampler())
    with pytest.raises(InvalidParameterTypeError, match="does not accept sample_weight"):
        model.fit(X, y, sample_weight=np.ones(300))
    model.fit(X, y)  # without weights it fits


def test_a_continuous_target_is_a_data_error():
    X = np.random.RandomState(0).randn(50, 3)
    with pytest.raises(DataError, match="continuous.*one class label per sample"):
        PriorCorrectedClassifier(LogisticRegression()).fit(X, X[:, 0])


def test_labels_of_two_kinds_are_named_not_called_continuous():
    X = np.random.RandomState(0).randn(50, 3)
    y = np.array([1, "a"] * 25, dtype=object)
    with pytest.raises(DataError, match=r"mixes labels of different kinds \(number 1 and text"):
        PriorCorrectedClassifier(LogisticRegression()).fit(X, y)


def test_a_model_without_probabilities_gets_advice_that_runs_without_warnings():
    # SVC(probability=True), the advice before, is deprecated from scikit-learn 1.9 on.
    import warnings

    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import SVC

    from balancekit.exceptions import InvalidParameterTypeError

    X, y = make_classification(n_samples=200, weights=[0.8], random_state=0)
    with pytest.raises(InvalidParameterTypeError,
                       match=r"CalibratedClassifierCV\(SVC\(\), ensemble=False\)"):
        PriorCorrectedClassifier(SVC()).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = PriorCorrectedClassifier(CalibratedClassifierCV(SVC(), ensemble=False),
                                         random_state=0).fit(X, y)
    assert model.predict_proba(X).shape == (200, 2)


def test_sample_weight_reaches_a_pipeline_through_its_final_step():
    # Pipeline.fit refused sample_weight, with a hint (stepname__parameter) the user could
    # not follow through PriorCorrectedClassifier.
    import sklearn
    from sklearn.neighbors import KNeighborsClassifier

    X, y = make_classification(n_samples=120, weights=[0.8], random_state=0)
    weights = np.random.RandomState(0).uniform(0.5, 2.0, size=120)
    sampler = RandomUnderSampler(random_state=0)
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    model = PriorCorrectedClassifier(pipe, sampler).fit(X, y, sample_weight=weights)
    fitted = clone(sampler)
    X_res, y_res = fitted.fit_resample(X, y, sample_weight=weights)
    by_hand = clone(pipe).fit(X_res, y_res, logisticregression__sample_weight=fitted.sample_weight_)
    np.testing.assert_allclose(model.estimator_.predict_proba(X), by_hand.predict_proba(X))
    with sklearn.config_context(enable_metadata_routing=True):
        routed = make_pipeline(StandardScaler().set_fit_request(sample_weight=False),
                               LogisticRegression().set_fit_request(sample_weight=True))
        model = PriorCorrectedClassifier(routed, sampler).fit(X, y, sample_weight=weights)
        np.testing.assert_allclose(model.estimator_.predict_proba(X), by_hand.predict_proba(X))
        with pytest.raises(InvalidParameterTypeError, match=r"PriorCorrectedClassifier passes "
                           r"the weights.*set_fit_request\(sample_weight=True\)"):
            PriorCorrectedClassifier(pipe, sampler).fit(X, y, sample_weight=weights)
    with pytest.raises(InvalidParameterTypeError, match="the fit method of "
                       "KNeighborsClassifier does not accept sample_weight"):
        PriorCorrectedClassifier(make_pipeline(StandardScaler(), KNeighborsClassifier()),
                                 sampler).fit(X, y, sample_weight=weights)


def test_sample_weight_with_a_pipeline_of_samplers_is_refused_in_plain_words():
    # The error said "Use a balancekit sampler" of a balancekit Pipeline of samplers.
    X, y = make_classification(n_samples=120, weights=[0.8], random_state=0)
    sampler = make_pipeline(RandomUnderSampler(sampling_strategy=0.5, random_state=0),
                            RandomOverSampler(random_state=0))
    model = PriorCorrectedClassifier(LogisticRegression(), sampler)
    with pytest.raises(InvalidParameterTypeError, match="the sampler is a Pipeline") as info:
        model.fit(X, y, sample_weight=np.ones(120))
    assert "Use a balancekit sampler" not in str(info.value)
    assert model.fit(X, y).resampled_prior_.tolist() == [0.5, 0.5]


def test_a_class_whose_kept_rows_all_weigh_zero_is_refused_at_fit():
    """It left the estimator without the class and failed only at predict_proba, naming
    resampled_prior, a parameter the user never set."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = np.r_[np.zeros(190, int), np.ones(10, int)]
    weights = np.ones(200)
    weights[:180] = 0  # class 0 keeps weight through its last 10 rows only
    with pytest.raises(DataError, match="rows of class 0 that the sampler kept all have a "
                                        "sample_weight of 0"):
        PriorCorrectedClassifier(LogisticRegression(), random_state=0).fit(
            X, y, sample_weight=weights)


def test_an_estimator_that_balances_the_classes_itself_is_warned_about():
    """Its corrected probabilities are off by the ratio of the prior it learns to the
    resampled one (mean probability 0.117 for a rate of 0.052)."""
    from balancekit.ensemble import EasyEnsembleClassifier
    from balancekit.exceptions import BalancekitWarning
    from balancekit.weights import WeightedClassifier

    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 2))
    y = (rng.random(300) < 0.2).astype(int)
    half = RandomUnderSampler(sampling_strategy=0.5, random_state=0)  # rows left unbalanced
    for estimator, how in ((LogisticRegression(class_weight="balanced"), "class_weight"),
                           (LogisticRegression(class_weight={0: 1, 1: 3}), "class_weight"),
                           (WeightedClassifier(LogisticRegression()), "WeightedClassifier"),
                           (EasyEnsembleClassifier(n_estimators=2), "EasyEnsembleClassifier"),
                           (make_pipeline(RandomUnderSampler(), LogisticRegression()),
                            "resamples again")):
        with pytest.warns(BalancekitWarning, match=f"balances the classes itself.*{how}"):
            PriorCorrectedClassifier(estimator, sampler=half, random_state=0).fit(X, y)
    # On the balanced rows of the default sampler, 'balanced' weights are all alike: they
    # change nothing, and nothing is said.
    with warnings.catch_warnings():
        warnings.simplefilter("error", BalancekitWarning)
        for estimator in (LogisticRegression(class_weight="balanced"),
                          WeightedClassifier(LogisticRegression()),
                          EasyEnsembleClassifier(n_estimators=2),
                          LogisticRegression(class_weight={0: 2, 1: 2})):
            PriorCorrectedClassifier(estimator, random_state=0).fit(X, y)


def test_labels_are_named_plainly_in_errors():
    X = np.random.default_rng(0).normal(size=(30, 2))
    y = np.repeat(["a", "b", "c"], 10)
    drop_c = FunctionSampler(func=lambda X, y: (X[y != "c"], y[y != "c"]))
    with pytest.raises(DataError, match="every sample of class 'c';"):
        PriorCorrectedClassifier(LogisticRegression(), sampler=drop_c).fit(X, y)


def test_an_estimator_class_is_refused_with_advice():
    # scikit-learn's clone TypeError did not name the parameter.
    from sklearn.neighbors import KNeighborsClassifier

    X, y = make_classification(n_samples=200, weights=[0.8], random_state=0)
    with pytest.raises(InvalidParameterTypeError, match=r"^estimator must be a classifier with "
                       r"predict_proba; got the class KNeighborsClassifier, not an object: "
                       r"write KNeighborsClassifier\(\) instead\.$"):
        PriorCorrectedClassifier(KNeighborsClassifier).fit(X, y)


def test_a_regressor_is_refused_as_not_a_classifier():
    # The advice was to wrap it in CalibratedClassifierCV(SVC()), which takes classifiers.
    from sklearn.linear_model import LinearRegression

    X, y = make_classification(n_samples=200, weights=[0.8], random_state=0)
    for estimator, shown in [(LinearRegression(), r"LinearRegression\(\)"),
                             (make_pipeline(StandardScaler(), LinearRegression()),
                              r"Pipeline\(\.\.\.\)")]:
        with pytest.raises(InvalidParameterTypeError, match=rf"got the regressor {shown}, which "
                                                            r"predicts numbers") as info:
            PriorCorrectedClassifier(estimator).fit(X, y)
        assert "CalibratedClassifierCV" not in str(info.value)


@pytest.mark.parametrize("proba, shown", [
    ("abc", r"'abc' \(text\) of type str"),
    ([["0.5", "0.5"]], r"\[\['0.5', '0.5'\]\] \(text\) of type list"),
    ({"a": 1}, r"\{'a': 1\} \(values that are not numbers\) of type dict"),
    (np.array([[object(), 0.5]], dtype=object),
     r"array\(.*dtype=object\) \(values that are not numbers\) of type ndarray"),
])
def test_correct_prior_proba_that_is_not_numbers(proba, shown):
    # A raw ValueError ("could not convert string to float") or TypeError.
    from balancekit.exceptions import DataTypeError

    with pytest.raises(DataTypeError, match=r"^proba must be an array of probabilities "
                                            rf"\(numbers\) of shape \(n_samples, n_classes\); "
                                            rf"got {shown}\.$"):
        correct_prior(proba, [0.8, 0.2], [0.5, 0.5])
    # Numbers held as objects are read.
    np.testing.assert_allclose(correct_prior(np.array([[0.5, 0.5]], dtype=object), [0.8, 0.2],
                                             [0.5, 0.5]), [[0.8, 0.2]])
