"""The leakage-safe Pipeline (samplers run in fit only) and FunctionSampler."""

import inspect
import warnings

import imblearn
import imblearn.over_sampling as imb_over
import imblearn.pipeline as imb_pipeline
import imblearn.under_sampling as imb_under
import numpy as np
import pandas as pd
import polars as pl
import pytest
import scipy.sparse as sp
import sklearn
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin, clone
from sklearn.cluster import KMeans
from sklearn.datasets import make_classification
from sklearn.decomposition import PCA
from sklearn.exceptions import DataConversionWarning, NotFittedError
from sklearn.linear_model import LogisticRegression, Perceptron
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold, cross_validate
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks
from sklearn.utils.validation import check_is_fitted

from balancekit import BaseSampler, FunctionSampler
from balancekit.exceptions import DataError, InvalidParameterError, InvalidParameterTypeError
from balancekit.over_sampling import SMOTE, RandomOverSampler
from balancekit.pipeline import Pipeline, make_pipeline
from balancekit.under_sampling import RandomUnderSampler


@pytest.fixture
def data():
    X, y = make_classification(
        n_samples=120, n_features=4, n_informative=3, n_redundant=0, weights=[0.8],
        random_state=0,
    )
    return X, y


# ----------------------------------------------------------------------------
# helpers (module level so that joblib can pickle them)

SEEN = []  # row ids seen by RecordingSampler.fit_resample, one array per call


class RecordingSampler(BaseEstimator):
    """Drops the rows of column 0 above ``cut`` and records the ids (column 0) it sees."""

    def __init__(self, cut=np.inf):
        self.cut = cut

    def fit_resample(self, X, y):
        ids = np.asarray(X)[:, 0]
        SEEN.append(ids.copy())
        keep = ids <= self.cut
        self.sample_indices_ = np.flatnonzero(keep)
        return X[keep], y[keep]


class CountingScaler(StandardScaler):
    """StandardScaler that counts its fits, to see the memory cache at work."""

    n_fits = 0

    def fit(self, X, y=None, sample_weight=None):
        type(self).n_fits += 1
        return super().fit(X, y, sample_weight=sample_weight)


class RecordingModel(ClassifierMixin, BaseEstimator):
    """Records what its fit receives."""

    def fit(self, X, y, sample_weight=None, groups=None, X_val=None):
        self.X_ = np.asarray(X)
        self.y_ = np.asarray(y)
        self.sample_weight_ = sample_weight
        self.groups_ = groups
        self.X_val_ = X_val
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


class DropFirstRow(TransformerMixin, BaseEstimator):
    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return X[1:]


class SamplerAndTransformer(BaseEstimator):
    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return X

    def fit_resample(self, X, y):
        return X, y


def sorted_rows(X):
    return X[np.lexsort(X.T[::-1])]


# ----------------------------------------------------------------------------
# same results as imbalanced-learn's Pipeline


PAIRS = {
    "under": lambda m: [StandardScaler(), m.RandomUnderSampler(random_state=0)],
    "over": lambda m: [StandardScaler(), m.RandomOverSampler(random_state=1)],
    "smote": lambda m: [StandardScaler(), m.SMOTE(random_state=2, k_neighbors=3)],
    "smote+under": lambda m: [
        m.SMOTE(sampling_strategy=0.5, random_state=3),
        m.RandomUnderSampler(random_state=4),
        StandardScaler(),
    ],
}


class _Ours:
    RandomUnderSampler = RandomUnderSampler
    RandomOverSampler = RandomOverSampler
    SMOTE = SMOTE


class _Theirs:
    RandomUnderSampler = imb_under.RandomUnderSampler
    RandomOverSampler = imb_over.RandomOverSampler
    SMOTE = imb_over.SMOTE


@pytest.mark.parametrize("kind", sorted(PAIRS))
def test_same_model_as_imblearn(kind, data):
    X, y = data
    ours = make_pipeline(*PAIRS[kind](_Ours), LogisticRegression())
    theirs = imb_pipeline.make_pipeline(*PAIRS[kind](_Theirs), LogisticRegression())
    ours.fit(X[:90], y[:90])
    theirs.fit(X[:90], y[:90])
    np.testing.assert_allclose(ours.predict_proba(X[90:]), theirs.predict_proba(X[90:]), atol=1e-8)
    np.testing.assert_array_equal(ours.predict(X[90:]), theirs.predict(X[90:]))
    assert ours.score(X[90:], y[90:]) == theirs.score(X[90:], y[90:])
    # resampling changed the model (the comparison is not vacuous)
    plain = make_pipeline(StandardScaler(), LogisticRegression()).fit(X[:90], y[:90])
    assert not np.allclose(plain.predict_proba(X[90:]), ours.predict_proba(X[90:]))

    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    np.testing.assert_allclose(
        cross_validate(ours, X, y, cv=cv)["test_score"],
        cross_validate(theirs, X, y, cv=cv)["test_score"],
    )


def test_fit_resample_with_a_final_sampler_matches_imblearn(data):
    X, y = data
    ours = make_pipeline(StandardScaler(), SMOTE(random_state=0))
    theirs = imb_pipeline.make_pipeline(StandardScaler(), imb_over.SMOTE(random_state=0))
    X_ours, y_ours = ours.fit_resample(X, y)
    X_theirs, y_theirs = theirs.fit_resample(X, y)
    np.testing.assert_allclose(X_ours, X_theirs)
    np.testing.assert_array_equal(y_ours, y_theirs)
    ours = make_pipeline(StandardScaler(), RandomUnderSampler(random_state=0))
    theirs = imb_pipeline.make_pipeline(
        StandardScaler(), imb_under.RandomUnderSampler(random_state=0)
    )
    X_ours, _ = ours.fit_resample(X, y)
    X_theirs, _ = theirs.fit_resample(X, y)
    np.testing.assert_allclose(sorted_rows(X_ours), sorted_rows(X_theirs))
    assert not hasattr(make_pipeline(SMOTE(), LogisticRegression()), "fit_resample")


def test_grid_search_over_k_neighbors(data):
    X, y = data
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    grid = {"smote__k_neighbors": [1, 3, 5]}
    ours = Pipeline([("scale", StandardScaler()), ("smote", SMOTE(random_state=0)),
                     ("model", LogisticRegression())])
    theirs = imb_pipeline.Pipeline([("scale", StandardScaler()),
                                    ("smote", imb_over.SMOTE(random_state=0)),
                                    ("model", LogisticRegression())])
    search = GridSearchCV(ours, grid, cv=cv, scoring="roc_auc").fit(X, y)
    reference = GridSearchCV(theirs, grid, cv=cv, scoring="roc_auc").fit(X, y)
    np.testing.assert_allclose(
        search.cv_results_["mean_test_score"], reference.cv_results_["mean_test_score"]
    )
    assert len(set(search.cv_results_["mean_test_score"])) > 1
    best = search.best_estimator_
    assert isinstance(best, Pipeline)
    assert best.named_steps["smote"].k_neighbors == search.best_params_["smote__k_neighbors"]


# ----------------------------------------------------------------------------
# samplers run in fit only: they never see test rows


def test_samplers_are_skipped_outside_fit(data):
    X, y = data
    X = np.column_stack([np.arange(len(y)), X])
    pipe = Pipeline([("rec", RecordingSampler(cut=80)), ("scale", StandardScaler()),
                     ("model", LogisticRegression())])
    SEEN.clear()
    pipe.fit(X, y)
    assert len(SEEN) == 1 and len(SEEN[0]) == len(y)
    assert len(pipe[-1].coef_) == 1
    for method in ("predict", "predict_proba", "predict_log_proba", "decision_function"):
        out = getattr(pipe, method)(X)
        assert len(out) == len(y)  # no row dropped at prediction time
    pipe.score(X, y)
    head = pipe[:-1]
    assert head.transform(X).shape == X.shape
    np.testing.assert_allclose(head.inverse_transform(head.transform(X)), X)
    assert len(SEEN) == 1  # none of these resampled


def test_inverse_transform_takes_imbalanced_learn_keyword_xt(data):
    """imbalanced-learn names the argument ``Xt``: ``inverse_transform(Xt=...)`` must work."""
    X, y = data
    pipe = Pipeline([("scale", StandardScaler()), ("over", RandomOverSampler(random_state=0)),
                     ("pca", PCA(3))]).fit(X, y)
    imb = imb_pipeline.Pipeline([("scale", StandardScaler()),
                                 ("over", imb_over.RandomOverSampler(random_state=0)),
                                 ("pca", PCA(3))]).fit(X, y)
    Z = pipe.transform(X)
    np.testing.assert_allclose(pipe.inverse_transform(Xt=Z), imb.inverse_transform(Xt=Z))
    np.testing.assert_allclose(pipe.inverse_transform(Xt=Z), pipe.inverse_transform(Z))
    with pytest.raises(InvalidParameterError, match="not both"):
        pipe.inverse_transform(Z, Xt=Z)
    with pytest.raises(InvalidParameterTypeError, match="Xt"):
        pipe.inverse_transform()


def test_sampler_sees_only_training_folds_in_cross_validate(data):
    X, y = data
    X = np.column_stack([np.arange(len(y)), X])
    pipe = make_pipeline(RecordingSampler(cut=100), StandardScaler(), LogisticRegression())
    SEEN.clear()
    result = cross_validate(pipe, X, y, cv=KFold(4, shuffle=True, random_state=0),
                            return_indices=True)
    train, test = result["indices"]["train"], result["indices"]["test"]
    assert len(SEEN) == 4
    for seen, train_idx, test_idx in zip(SEEN, train, test, strict=True):
        assert set(seen.astype(int)) == set(train_idx)
        assert not set(seen.astype(int)) & set(test_idx)


def test_sampler_sees_only_training_folds_in_grid_search(data):
    X, y = data
    X = np.column_stack([np.arange(len(y)), X])
    pipe = make_pipeline(RecordingSampler(), LogisticRegression())
    cv = list(KFold(3, shuffle=True, random_state=1).split(X))
    SEEN.clear()
    GridSearchCV(pipe, {"recordingsampler__cut": [60, 200]}, cv=cv).fit(X, y)
    allowed = [set(train) for train, _ in cv] + [set(range(len(y)))]  # + the final refit
    assert len(SEEN) == 2 * 3 + 1
    for seen in SEEN:
        assert set(seen.astype(int)) in allowed


def test_transform_and_fit_transform(data):
    X, y = data
    pipe = make_pipeline(StandardScaler(), RandomOverSampler(random_state=0), PCA(n_components=4))
    Xt = pipe.fit_transform(X, y)
    n_res = len(pipe[1].sample_indices_)
    assert Xt.shape == (n_res, 4) and n_res > len(y)  # fit_transform: the resampled rows
    assert pipe.transform(X).shape == (len(y), 4)  # transform: every row, none resampled
    np.testing.assert_allclose(pipe.inverse_transform(pipe.transform(X)), X, atol=1e-8)
    labels = make_pipeline(RandomOverSampler(random_state=0), KMeans(2, n_init=1, random_state=0))
    assert labels.fit_predict(X, y).shape == (n_res,)
    assert not hasattr(make_pipeline(RandomOverSampler(), LogisticRegression()), "transform")
    assert not hasattr(make_pipeline(RandomOverSampler(), LogisticRegression()), "fit_transform")


def test_methods_follow_the_last_step(data):
    X, y = data
    pipe = make_pipeline(RandomUnderSampler(random_state=0), Perceptron())
    assert not hasattr(pipe, "predict_proba")
    assert hasattr(pipe, "decision_function")
    assert not hasattr(pipe, "score_samples")
    assert not hasattr(pipe, "fit_predict")
    with pytest.raises(NotFittedError):
        pipe.predict(X)
    pipe.fit(X, y)
    check_is_fitted(pipe)
    np.testing.assert_array_equal(pipe.classes_, [0, 1])


# ----------------------------------------------------------------------------
# parameters, slicing, memory, verbose


def test_get_set_params_and_slicing(data):
    X, y = data
    pipe = Pipeline([("scale", StandardScaler()), ("smote", SMOTE(random_state=0)),
                     ("model", LogisticRegression())])
    params = pipe.get_params()
    assert params["smote__k_neighbors"] == 5 and params["model__C"] == 1.0
    pipe.set_params(smote__k_neighbors=2, model__C=0.5)
    assert pipe.named_steps["smote"].k_neighbors == 2 and pipe["model"].C == 0.5
    copy = clone(pipe)
    assert copy.get_params()["smote__k_neighbors"] == 2
    assert copy.named_steps["smote"] is not pipe.named_steps["smote"]

    head = pipe[:2]
    assert isinstance(head, Pipeline) and [n for n, _ in head.steps] == ["scale", "smote"]
    assert pipe[-1] is pipe.named_steps["model"]
    assert pipe["smote"] is pipe.steps[1][1]

    pipe.fit(X, y)
    X_res, y_res = pipe[:2].fit_resample(X, y)  # the fitted head, refitted
    assert len(X_res) > len(y) and np.bincount(y_res)[0] == np.bincount(y_res)[1]
    assert pipe["smote"].k_neighbors == 2
    pipe.set_params(smote="passthrough").fit(X, y)
    plain = make_pipeline(StandardScaler(), LogisticRegression(C=0.5)).fit(X, y)
    np.testing.assert_allclose(pipe.predict_proba(X), plain.predict_proba(X))


def test_memory_caches_transformers_not_samplers(data, tmp_path):
    X, y = data
    X = np.column_stack([np.arange(len(y)), X])
    scaler = CountingScaler()
    pipe = Pipeline([("rec", RecordingSampler(cut=90)), ("scale", scaler),
                     ("model", LogisticRegression())], memory=str(tmp_path))
    CountingScaler.n_fits = 0
    SEEN.clear()
    pipe.fit(X, y)
    first = pipe.predict_proba(X)
    with pytest.raises(NotFittedError):
        check_is_fitted(scaler)  # with memory, a clone is fitted
    check_is_fitted(pipe.named_steps["scale"])
    again = clone(pipe).fit(X, y)
    assert CountingScaler.n_fits == 1  # the scaler was loaded from the cache
    assert len(SEEN) == 2  # the sampler ran both times
    np.testing.assert_allclose(again.predict_proba(X), first)
    nocache = clone(pipe).set_params(memory=None).fit(X, y)
    assert CountingScaler.n_fits == 2
    np.testing.assert_allclose(nocache.predict_proba(X), first)


def test_verbose(data, capsys):
    X, y = data
    make_pipeline(StandardScaler(), RandomUnderSampler(random_state=0), LogisticRegression(),
                  verbose=True).fit(X, y)
    out = capsys.readouterr().out
    assert "(step 2 of 3) Processing randomundersampler" in out
    assert "(step 3 of 3) Processing logisticregression" in out
    assert out.count("[Pipeline]") == 3


def test_pandas_in_and_feature_names(data):
    X, y = data
    frame = pd.DataFrame(X, columns=list("abcd"))
    pipe = make_pipeline(RandomOverSampler(random_state=0), StandardScaler(), LogisticRegression())
    pipe.fit(frame, pd.Series(y, name="target"))
    np.testing.assert_array_equal(pipe.feature_names_in_, list("abcd"))
    assert pipe.n_features_in_ == 4
    np.testing.assert_array_equal(pipe[:-1].get_feature_names_out(), list("abcd"))
    assert pipe.predict(frame).shape == (len(y),)


@pytest.mark.parametrize("frame", [False, True])
def test_feature_names_out_of_a_pipeline_that_starts_with_samplers(frame, data):
    # With no transformer before the model, the names came back as None: the samplers,
    # which saw the columns, were skipped. They are the names of a scaler in their place.
    X, y = data
    X = pd.DataFrame(X, columns=list("abcd")) if frame else X
    scaled = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    expected = scaled[:-1].get_feature_names_out()
    for steps in ([SMOTE(random_state=0)], [RandomUnderSampler(random_state=0), "passthrough"],
                  [make_pipeline(SMOTE(random_state=0)), FunctionSampler()]):
        pipe = make_pipeline(*steps, LogisticRegression()).fit(X, y)
        np.testing.assert_array_equal(pipe[:-1].get_feature_names_out(), expected)
        np.testing.assert_array_equal(make_pipeline(*steps).get_feature_names_out(), expected)
    # input_features are checked as a transformer checks them
    with pytest.raises(ValueError, match="input_features"):
        pipe[:-1].get_feature_names_out(["a", "b"])


# ----------------------------------------------------------------------------
# fit parameters and sample_weight after resampling


def test_fit_params_reach_their_step(data):
    X, y = data
    w = np.random.RandomState(0).uniform(0.5, 2, size=len(y))
    pipe = Pipeline([("scale", StandardScaler()), ("model", RecordingModel())])
    pipe.fit(X, y, scale__sample_weight=w, model__groups="g")
    np.testing.assert_allclose(
        pipe["scale"].mean_, StandardScaler().fit(X, sample_weight=w).mean_
    )
    assert pipe["model"].sample_weight_ is None and pipe["model"].groups_ == "g"
    with pytest.raises(InvalidParameterError, match="stepname__parameter"):
        pipe.fit(X, y, sample_weight=w)
    with pytest.raises(InvalidParameterError, match="'smote__k' names no step"):
        pipe.fit(X, y, smote__k=3)
    pipe.set_params(scale="passthrough")
    with pytest.raises(InvalidParameterError, match="'passthrough' and takes no parameters"):
        pipe.fit(X, y, scale__sample_weight=w)


class _IgnoresX(TransformerMixin, BaseEstimator):
    """A transformer that reads neither X nor y (as in scikit-learn's own pipeline tests)."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return X


class _ConstantModel(ClassifierMixin, BaseEstimator):
    def fit(self, X, y=None, should_succeed=False):
        self.successful_ = should_succeed
        return self

    def predict(self, X):
        return self.successful_

    def fit_predict(self, X, y=None, should_succeed=False):
        return self.fit(X, y, should_succeed=should_succeed).predict(X)


@pytest.mark.parametrize("method", ["fit", "fit_predict"])
def test_x_none_reaches_steps_that_do_not_read_it(method):
    # scikit-learn's Pipeline passes X=None on to its steps; counting its rows used to
    # raise an IndexError
    from sklearn.pipeline import Pipeline as SkPipeline

    results = []
    for cls in (Pipeline, SkPipeline):
        pipe = cls([("transf", _IgnoresX()), ("clf", _ConstantModel())])
        out = getattr(pipe, method)(None, None, clf__should_succeed=True)
        results.append((out if method == "fit_predict" else None, pipe.predict(None)))
    assert results[0] == results[1] and results[0][1] is True


def test_held_out_data_passes_a_sampler_unchanged_whatever_its_length(data):
    # A validation set as long as the training rows is not training data: it must not be
    # under-sampled with them (imbalanced-learn passes it through too).
    X, y = data
    X_val = X[::-1].copy()
    pipe = make_pipeline(RandomUnderSampler(random_state=0), RecordingModel())
    pipe.fit(X, y, recordingmodel__X_val=X_val, recordingmodel__groups=np.arange(len(y)))
    assert pipe[-1].X_val_ is X_val
    np.testing.assert_array_equal(pipe[-1].groups_, pipe[0].sample_indices_)  # per-row: indexed
    from sklearn.ensemble import HistGradientBoostingClassifier

    if "X_val" not in inspect.signature(HistGradientBoostingClassifier.fit).parameters:
        return  # scikit-learn < 1.7 takes no validation set
    model = HistGradientBoostingClassifier(max_iter=5, early_stopping=True)
    pipe = make_pipeline(SMOTE(random_state=0), model)
    pipe.fit(X, y, histgradientboostingclassifier__X_val=X_val,
             histgradientboostingclassifier__y_val=y[::-1],
             histgradientboostingclassifier__sample_weight_val=np.ones(len(y)))
    assert pipe[-1].validation_score_.size > 0


def test_sample_weight_follows_an_under_sampler(data):
    X, y = data
    w = np.random.RandomState(0).uniform(0.5, 2, size=len(y))
    groups = np.arange(len(y)) % 7
    pipe = make_pipeline(RandomUnderSampler(random_state=0), RecordingModel())
    pipe.fit(X, y, recordingmodel__sample_weight=w, recordingmodel__groups=groups)
    kept = pipe[0].sample_indices_
    assert len(kept) < len(y)
    model = pipe[-1]
    np.testing.assert_allclose(model.X_, X[kept])
    np.testing.assert_allclose(model.sample_weight_, w[kept])
    np.testing.assert_array_equal(model.groups_, groups[kept])
    pipe.fit(X, y, recordingmodel__groups=pd.Series(groups))
    np.testing.assert_array_equal(pipe[-1].groups_, groups[kept])
    assert pipe[-1].sample_weight_ is None


def test_per_row_fit_parameters_given_as_lists_follow_the_resampled_rows(data):
    # A list is array-like to scikit-learn (cross-validation splits it by row): it must
    # follow the resampled rows as an array does, not reach the model misaligned.
    X, y = data
    groups = np.arange(len(y)) % 7
    reference = make_pipeline(RandomUnderSampler(random_state=0), RecordingModel())
    reference.fit(X, y, recordingmodel__groups=groups)
    for form in (groups.tolist(), tuple(groups.tolist())):
        pipe = make_pipeline(RandomUnderSampler(random_state=0), RecordingModel())
        pipe.fit(X, y, recordingmodel__groups=form)
        assert type(pipe[-1].groups_) is type(form)
        np.testing.assert_array_equal(pipe[-1].groups_, reference[-1].groups_)
    rows = np.arange(len(y))
    X_rows = np.c_[rows, X]  # column 0: the row's position, to check what the model got
    pipe = make_pipeline(RandomUnderSampler(random_state=0), RecordingModel())
    result = cross_validate(pipe, X_rows, y, cv=3, return_estimator=True, error_score="raise",
                            params={"recordingmodel__groups": rows.tolist()})
    for fitted in result["estimator"]:
        np.testing.assert_array_equal(fitted[-1].groups_, fitted[-1].X_[:, 0])
    with pytest.raises(DataError, match="does not report sample_indices_"):
        make_pipeline(SMOTE(random_state=0), RecordingModel()).fit(
            X, y, recordingmodel__groups=groups.tolist())


def test_sample_weight_follows_smote(data):
    X, y = data
    w = np.random.RandomState(1).uniform(0.5, 2, size=len(y))
    pipe = make_pipeline(StandardScaler(), SMOTE(random_state=0), LogisticRegression())
    pipe.fit(X, y, logisticregression__sample_weight=w)
    smote = pipe[1]
    assert len(smote.sample_weight_) > len(y)
    np.testing.assert_allclose(smote.sample_weight_[: len(y)], w)  # originals keep theirs

    # the same as resampling by hand and fitting on the resampled weights
    Xs = StandardScaler().fit_transform(X)
    manual = SMOTE(random_state=0)
    X_res, y_res = manual.fit_resample(Xs, y, sample_weight=w)
    np.testing.assert_allclose(manual.sample_weight_, smote.sample_weight_)
    model = LogisticRegression().fit(X_res, y_res, sample_weight=manual.sample_weight_)
    np.testing.assert_allclose(pipe[-1].coef_, model.coef_)
    unweighted = LogisticRegression().fit(X_res, y_res)
    assert not np.allclose(unweighted.coef_, model.coef_)

    with pytest.raises(DataError, match="recordingmodel__groups has one value per row"):
        make_pipeline(SMOTE(random_state=0), RecordingModel()).fit(
            X, y, recordingmodel__groups=np.arange(len(y))
        )


def test_sample_weight_of_the_sampler_itself(data):
    X, y = data
    w = np.random.RandomState(2).uniform(0.5, 2, size=len(y))
    pipe = make_pipeline(RandomOverSampler(random_state=0), RecordingModel())
    pipe.fit(X, y, randomoversampler__sample_weight=w)
    np.testing.assert_allclose(pipe[0].sample_weight_, w[pipe[0].sample_indices_])
    assert pipe[-1].sample_weight_ is None  # routed to the sampler only
    pipe.fit(X, y, randomoversampler__sample_weight=w, recordingmodel__sample_weight=w)
    np.testing.assert_allclose(pipe[-1].sample_weight_, w[pipe[0].sample_indices_])
    with pytest.raises(InvalidParameterError, match="differs from the sample_weight"):
        pipe.fit(X, y, randomoversampler__sample_weight=w, recordingmodel__sample_weight=w * 2)
    # a final sampler is fitted with its weights too
    head = make_pipeline(StandardScaler(), RandomOverSampler(random_state=0))
    head.fit(X, y, randomoversampler__sample_weight=w)
    np.testing.assert_allclose(head[-1].sample_weight_, w[head[-1].sample_indices_])


def test_different_weights_after_a_sampler_are_refused(data):
    X, y = data
    w = np.ones(len(y))
    pipe = make_pipeline(RandomOverSampler(random_state=0), StandardScaler(), RecordingModel())
    with pytest.raises(InvalidParameterError, match="different sample_weight arrays"):
        pipe.fit(X, y, standardscaler__sample_weight=w, recordingmodel__sample_weight=2 * w)
    pipe.fit(X, y, standardscaler__sample_weight=w, recordingmodel__sample_weight=w.copy())
    assert len(pipe[-1].sample_weight_) == len(pipe[0].sample_indices_)


def test_sample_weight_with_third_party_samplers(data):
    X, y = data
    w = np.random.RandomState(3).uniform(0.5, 2, size=len(y))
    # imbalanced-learn's samplers take no sample_weight; sample_indices_ realigns it
    pipe = make_pipeline(imb_under.RandomUnderSampler(random_state=0), RecordingModel())
    pipe.fit(X, y, recordingmodel__sample_weight=w)
    np.testing.assert_allclose(pipe[-1].sample_weight_, w[pipe[0].sample_indices_])
    with pytest.raises(DataError, match="neither sample_weight_ nor sample_indices_"):
        make_pipeline(imb_over.SMOTE(random_state=0), RecordingModel()).fit(
            X, y, recordingmodel__sample_weight=w
        )
    with pytest.raises(InvalidParameterError, match="the sample_weight given to the steps "
                       "after sampler 'functionsampler' goes through it.*FunctionSampler whose "
                       "func is set"):
        make_pipeline(FunctionSampler(lambda X, y: (X, y)), RecordingModel()).fit(
            X, y, recordingmodel__sample_weight=w
        )
    pipe = make_pipeline(FunctionSampler(), RecordingModel()).fit(
        X, y, recordingmodel__sample_weight=w
    )
    np.testing.assert_allclose(pipe[-1].sample_weight_, w)


def test_sample_weight_of_the_wrong_length_is_refused_before_a_third_party_sampler(data):
    # Without a sample_weight parameter, the sampler cannot check the weights itself: too
    # few must not end in an IndexError, too many must not be silently cut to the kept rows.
    X, y = data
    for n in (len(y) // 2, len(y) + 30):
        pipe = make_pipeline(imb_under.RandomUnderSampler(random_state=0), RecordingModel())
        with pytest.raises(DataError, match=f"has {n} values, but {len(y)} rows reach"):
            pipe.fit(X, y, recordingmodel__sample_weight=np.ones(n))
    # one weight for every row needs no realignment
    pipe = make_pipeline(imb_over.SMOTE(random_state=0), RecordingModel())
    pipe.fit(X, y, recordingmodel__sample_weight=2.0)
    assert pipe[-1].sample_weight_ == 2.0


def test_metadata_routing(data):
    X, y = data
    w = np.random.RandomState(4).uniform(0.5, 2, size=len(y))
    reference = make_pipeline(StandardScaler(), RandomUnderSampler(random_state=0),
                              LogisticRegression())
    reference.fit(X, y, logisticregression__sample_weight=w)
    with sklearn.config_context(enable_metadata_routing=True):
        pipe = make_pipeline(
            StandardScaler().set_fit_request(sample_weight=False),
            RandomUnderSampler(random_state=0),
            LogisticRegression().set_fit_request(sample_weight=True),
        )
        pipe.fit(X, y, sample_weight=w)
        np.testing.assert_allclose(pipe[-1].coef_, reference[-1].coef_)
        np.testing.assert_allclose(pipe.predict_proba(X), reference.predict_proba(X))
        unweighted = clone(reference).fit(X, y)
        np.testing.assert_allclose(pipe.fit(X, y).predict_proba(X), unweighted.predict_proba(X))

        X_val = X * 3  # as many rows as X, but not per-row training data: never resampled
        model = RecordingModel().set_fit_request(X_val=True)
        pipe = Pipeline([("scale", StandardScaler()), ("rus", RandomUnderSampler(random_state=0)),
                         ("model", model)], transform_input=["X_val"])
        pipe.fit(X, y, X_val=X_val)
        np.testing.assert_allclose(pipe["model"].X_val_, pipe["scale"].transform(X_val))
    with pytest.raises(InvalidParameterError, match="metadata routing is enabled"):
        pipe.fit(X, y)


@pytest.mark.parametrize("routing", [False, True])
def test_per_row_fit_parameters_follow_the_rows_through_a_nested_pipeline_of_samplers(
    routing, data
):
    # A Pipeline of samplers at a step reports neither sample_weight_ nor sample_indices_:
    # a sample_weight for the model after it was refused. It is fitted as its samplers
    # would be at its place.
    X, y = data
    w = np.random.RandomState(2).uniform(0.5, 2, size=len(y))

    def build(nested):
        samplers = [SMOTE(random_state=0), "passthrough", RandomUnderSampler(random_state=1)]
        model = RecordingModel()
        if routing:
            model.set_fit_request(sample_weight=True, groups=True)
        return make_pipeline(make_pipeline(*samplers), model) if nested else make_pipeline(
            *samplers, model)

    with sklearn.config_context(enable_metadata_routing=routing):
        params = ({"sample_weight": w} if routing else
                  {"recordingmodel__sample_weight": w})
        nested = build(True).fit(X, y, **params)
        flat = build(False).fit(X, y, **params)
        np.testing.assert_array_equal(nested[-1].X_, flat[-1].X_)
        np.testing.assert_array_equal(nested[-1].sample_weight_, flat[-1].sample_weight_)
        # rows of the input only (no SMOTE): other per-row parameters follow them too
        groups = list(range(len(y)))
        params = {"groups": groups} if routing else {"recordingmodel__groups": groups}
        pipe = make_pipeline(make_pipeline(RandomUnderSampler(random_state=0)), build(False)[-1])
        pipe.fit(X, y, **params)
        np.testing.assert_array_equal(pipe[-1].groups_, pipe[0][0].sample_indices_)


@pytest.mark.parametrize("method", ["fit", "fit_resample"])
def test_routed_metadata_reach_the_steps_of_a_pipeline_that_ends_a_pipeline(method, data):
    # The last step is a Pipeline ending with a sampler: the metadata its steps request are
    # routed to it as to its fit, and must reach them, as stepname__parameter does without
    # routing.
    X, y = data
    w = np.random.RandomState(1).uniform(0.5, 2, size=len(y))

    def outer(scaler):
        inner = Pipeline([("scale", scaler), ("smote", SMOTE(random_state=0))])
        return Pipeline([("skip", "passthrough"), ("inner", inner)])

    reference = outer(StandardScaler())
    getattr(reference, method)(X, y, inner__scale__sample_weight=w)
    np.testing.assert_allclose(reference["inner"]["scale"].mean_, np.average(X, 0, weights=w))
    with sklearn.config_context(enable_metadata_routing=True):
        pipe = outer(StandardScaler().set_fit_request(sample_weight=True))
        getattr(pipe, method)(X, y, sample_weight=w)
    np.testing.assert_allclose(pipe["inner"]["scale"].mean_, reference["inner"]["scale"].mean_)


# ----------------------------------------------------------------------------
# errors


@pytest.mark.parametrize(
    "steps, error, match",
    [
        ([], InvalidParameterError, "steps is empty"),
        ("scale", InvalidParameterTypeError, "list of"),
        ([("model", LogisticRegression()), ("last", LogisticRegression())],
         InvalidParameterTypeError, "step 'model' .* must be a transformer .* a sampler"),
        ([("a", StandardScaler()), ("a", LogisticRegression())],
         InvalidParameterError, "names must be unique"),
        ([("a__b", StandardScaler()), ("m", LogisticRegression())],
         InvalidParameterError, "contains '__'"),
        ([("memory", StandardScaler()), ("m", LogisticRegression())],
         InvalidParameterError, "also a parameter of Pipeline"),
        ([("s", SMOTE), ("m", LogisticRegression())],
         InvalidParameterTypeError, "the class SMOTE, not an instance"),
        ([("both", SamplerAndTransformer()), ("m", LogisticRegression())],
         InvalidParameterTypeError, "both fit_resample and transform"),
        ([("s", StandardScaler()), ("m", object())],
         InvalidParameterTypeError, "last step 'm' .* must implement fit"),
        ([(1, StandardScaler()), ("m", LogisticRegression())],
         InvalidParameterTypeError, "string names"),
    ],
)
def test_bad_steps(steps, error, match, data):
    X, y = data
    with pytest.raises(error, match=match):
        Pipeline(steps).fit(X, y)


def test_more_errors(data):
    X, y = data
    sampler = RandomUnderSampler()
    with pytest.raises(InvalidParameterError, match="same RandomUnderSampler object"):
        Pipeline([("a", sampler), ("b", sampler), ("m", LogisticRegression())]).fit(X, y)
    with pytest.raises(DataError, match="requires y to be passed, but the target y is None"):
        make_pipeline(RandomUnderSampler(), StandardScaler()).fit(X)
    with pytest.raises(DataError, match="changed the number of rows from 120 to 119"):
        make_pipeline(DropFirstRow(), LogisticRegression()).fit(X, y)
    with pytest.raises(InvalidParameterTypeError, match="memory must be"):
        make_pipeline(StandardScaler(), LogisticRegression(), memory=3).fit(X, y)
    with pytest.raises(InvalidParameterTypeError, match="verbose must be True or False"):
        make_pipeline(StandardScaler(), LogisticRegression(), verbose="yes").fit(X, y)
    inner = make_pipeline(StandardScaler(), RandomUnderSampler())
    with pytest.raises(InvalidParameterError, match=r"transformer step\(s\) \['standardscaler'\]"):
        make_pipeline(inner, LogisticRegression()).fit(X, y)
    nested = make_pipeline(make_pipeline(RandomUnderSampler(random_state=0)), LogisticRegression())
    flat = make_pipeline(RandomUnderSampler(random_state=0), LogisticRegression())
    np.testing.assert_allclose(
        nested.fit(X, y).predict_proba(X), flat.fit(X, y).predict_proba(X)
    )
    # None and 'passthrough' are fine anywhere
    pipe = Pipeline([("a", None), ("b", "passthrough"), ("m", LogisticRegression())]).fit(X, y)
    assert pipe.predict(X).shape == (len(y),)
    assert make_pipeline(StandardScaler(), None).fit_transform(X, y).shape == X.shape


# ----------------------------------------------------------------------------
# FunctionSampler


def _drop_first_rows(X, y, n=5):
    return X[n:], y[n:]


def test_function_sampler_identity_and_kw_args(data):
    X, y = data
    sampler = FunctionSampler()
    X_res, y_res = sampler.fit_resample(X, y, sample_weight=np.arange(len(y)))
    np.testing.assert_array_equal(X_res, X)
    np.testing.assert_array_equal(y_res, y)
    np.testing.assert_array_equal(sampler.sample_indices_, np.arange(len(y)))
    np.testing.assert_array_equal(sampler.sample_weight_, np.arange(len(y)))

    ours = FunctionSampler(func=_drop_first_rows, kw_args={"n": 7})
    theirs = imblearn.FunctionSampler(func=_drop_first_rows, kw_args={"n": 7})
    for a, b in zip(ours.fit_resample(X, y), theirs.fit_resample(X, y), strict=True):
        np.testing.assert_array_equal(a, b)
    assert len(ours.fit_resample(X, y)[0]) == len(y) - 7
    assert not hasattr(ours, "sample_indices_")
    assert clone(ours).get_params() == {
        "func": _drop_first_rows, "accept_sparse": True, "kw_args": {"n": 7}, "validate": True
    }


def test_function_sampler_containers():
    X = pd.DataFrame({"i": np.arange(10, dtype="int32"), "f": np.linspace(0, 1, 10)})
    y = pd.Series([0] * 6 + [1] * 4, name="t")
    seen = {}

    def func(X, y):
        seen["type"] = type(X)
        return X[::2], y[::2]

    X_res, y_res = FunctionSampler(func).fit_resample(X, y)
    assert seen["type"] is np.ndarray  # func works on arrays
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == ["i", "f"]
    assert X_res.dtypes.to_dict() == X.dtypes.to_dict()
    pd.testing.assert_frame_equal(X_res, X.iloc[::2].reset_index(drop=True))
    assert isinstance(y_res, pd.Series) and y_res.name == "t"
    np.testing.assert_array_equal(y_res, y.to_numpy()[::2])

    X_pl, y_pl = FunctionSampler(func).fit_resample(pl.from_pandas(X), pl.from_pandas(y))
    assert isinstance(X_pl, pl.DataFrame) and X_pl.schema == pl.from_pandas(X).schema
    assert isinstance(y_pl, pl.Series) and y_pl.to_list() == y.to_list()[::2]

    X_sp = sp.csr_matrix(X.to_numpy(dtype=float))
    X_res, _ = FunctionSampler(func).fit_resample(X_sp, y)
    assert sp.issparse(X_res) and X_res.shape == (5, 2)
    with pytest.raises(DataError, match="accept_sparse=False"):
        FunctionSampler(func, accept_sparse=False).fit_resample(X_sp, y)


def test_function_sampler_validate():
    X = np.array([[0.0, np.nan], [1.0, 2.0], [2.0, 3.0], [3.0, 1.0]])
    y = np.array([0, 0, 1, 1])
    with pytest.raises(DataError, match="NaN"):
        FunctionSampler().fit_resample(X, y)
    frame = pd.DataFrame({"a": ["x", "y", "z", "w"], "b": [1, 2, 3, 4]})
    with pytest.raises(DataError, match="validate=False"):
        FunctionSampler().fit_resample(frame, y)
    # validate=False: anything goes, untouched, both ways
    got = {}

    def keep(X, y):
        got["X"] = X
        return X, y

    X_res, y_res = FunctionSampler(keep, validate=False).fit_resample(frame, ["a", None, 1, 2])
    assert got["X"] is frame and X_res is frame and y_res == ["a", None, 1, 2]


def test_function_sampler_errors(data):
    X, y = data
    with pytest.raises(DataError, match="got 4 values"):
        FunctionSampler(lambda X, y: (X, y, None, None)).fit_resample(X, y)
    with pytest.raises(DataError, match="rows of X but"):
        FunctionSampler(lambda X, y: (X, y[:-1])).fit_resample(X, y)
    with pytest.raises(DataError, match="X_resampled=1 of type int, a single value"):
        FunctionSampler(lambda X, y: (1, y)).fit_resample(X, y)  # was len()'s TypeError
    with pytest.raises(InvalidParameterTypeError, match="func must be a callable"):
        FunctionSampler(func="drop").fit_resample(X, y)
    with pytest.raises(InvalidParameterTypeError, match="kw_args must be a dict"):
        FunctionSampler(kw_args=[1]).fit_resample(X, y)
    # Dropped without a word (imbalanced-learn's identity fails on them).
    with pytest.raises(InvalidParameterError, match="kw_args=\\{'n': 1\\} is given, but func is None"):
        FunctionSampler(kw_args={"n": 1}).fit_resample(X, y)
    assert FunctionSampler(kw_args={}).fit_resample(X, y)[0].shape == X.shape
    with pytest.raises(InvalidParameterTypeError, match="validate must be True or False"):
        FunctionSampler(validate="no").fit(X, y)
    with pytest.raises(InvalidParameterError, match="func is set"):
        FunctionSampler(_drop_first_rows).fit_resample(X, y, sample_weight=np.ones(len(y)))


def test_imbalanced_learn_style_sampler_subclass_gets_a_clear_error(data):
    # imbalanced-learn's custom samplers subclass its BaseSampler with a hook
    # _fit_resample(X, y) -> (X_res, y_res). balancekit's BaseSampler passes targets= and
    # rng= to its hook: such a subclass failed with "'FakeSampler' object has no attribute
    # 'sampling_strategy'" or "got an unexpected keyword argument 'targets'".
    class FakeSampler(BaseSampler):
        _sampling_type = "bypass"

        def _fit_resample(self, X, y):
            return X[:50], y[:50]

    X, y = data
    for call in (lambda: FakeSampler().fit_resample(X, y), lambda: FakeSampler().fit(X, y),
                 lambda: make_pipeline(FakeSampler(), LogisticRegression()).fit(X, y)):
        with pytest.raises(InvalidParameterTypeError,
                           match=r"_fit_resample\(X, y\) is written for imbalanced-learn"):
            call()
    # The way the message points to runs the same resampling.
    X_res, y_res = FunctionSampler(func=lambda X, y: (X[:50], y[:50])).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X[:50])
    np.testing.assert_array_equal(y_res, y[:50])


def test_function_sampler_in_a_pipeline_drops_training_rows_only(data):
    X, y = data

    def drop_outliers(X, y):
        keep = np.abs(X).max(axis=1) < 2
        return X[keep], y[keep]

    pipe = make_pipeline(FunctionSampler(drop_outliers), StandardScaler(), LogisticRegression())
    pipe.fit(X, y)
    keep = np.abs(X).max(axis=1) < 2
    assert 0 < keep.sum() < len(y)
    manual = make_pipeline(StandardScaler(), LogisticRegression()).fit(X[keep], y[keep])
    np.testing.assert_allclose(pipe.predict_proba(X), manual.predict_proba(X))
    assert pipe.predict(X).shape == (len(y),)


# ----------------------------------------------------------------------------
# scikit-learn's estimator checks

_FITS_STEPS_IN_PLACE = (
    "a Pipeline fits the estimators of its steps in place (scikit-learn's own Pipeline "
    "does the same), so `steps` holds fitted estimators after fit"
)


def _expected_failed_checks(estimator):
    if isinstance(estimator, Pipeline):
        return {
            "check_estimators_overwrite_params": _FITS_STEPS_IN_PLACE,
            "check_dont_overwrite_parameters": _FITS_STEPS_IN_PLACE,
        }
    return {}


@parametrize_with_checks(
    [make_pipeline(StandardScaler(), RandomUnderSampler(random_state=0), LogisticRegression())],
    expected_failed_checks=_expected_failed_checks,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def test_make_pipeline_names_a_class_given_instead_of_an_instance():
    from balancekit.exceptions import InvalidParameterTypeError
    from balancekit.pipeline import make_pipeline as bk_make_pipeline
    from balancekit.under_sampling import RandomUnderSampler as BkRUS

    with pytest.raises(InvalidParameterTypeError) as info:
        bk_make_pipeline(BkRUS, LogisticRegression())
    message = str(info.value)
    assert "step 1 is the class RandomUnderSampler" in message
    assert "RandomUnderSampler() instead" in message and "'type'" not in message


@pytest.mark.parametrize("store", ["object", "sparse"])
def test_function_sampler_takes_numbers_stored_as_objects_or_sparse_columns(store):
    # Called "non-numeric" where every other sampler (and imbalanced-learn's) takes them.
    X, y = make_classification(60, 3, n_informative=2, n_redundant=0, random_state=0)
    plain = pd.DataFrame(X, columns=list("abc"))
    stored = plain.astype(object) if store == "object" else plain.astype(
        pd.SparseDtype(float, 0.0))
    keep = FunctionSampler(lambda X, y: (X[::2], y[::2]))
    X_res, y_res = keep.fit_resample(stored, y)
    np.testing.assert_array_equal(np.asarray(X_res, dtype=float), X[::2])
    np.testing.assert_array_equal(y_res, y[::2])


def test_function_sampler_gives_one_hot_y_back_as_one_hot_rows():
    # Refused with "y must be one label per row"; imbalanced-learn and the other samplers
    # take one-hot y, give func its labels and return one-hot rows.
    X = np.arange(24.0).reshape(12, 2)
    labels = np.array([0, 1, 2] * 4)
    onehot = np.eye(3, dtype=int)[labels]
    seen = []

    def first_half(X, y):
        seen.append(y)
        return X[:6], y[:6]

    X_res, y_res = FunctionSampler(first_half).fit_resample(X, onehot)
    np.testing.assert_array_equal(seen[0], labels)
    np.testing.assert_array_equal(y_res, onehot[:6])
    assert y_res.dtype == onehot.dtype
    np.testing.assert_array_equal(FunctionSampler().fit_resample(X, onehot)[1], onehot)


def test_function_sampler_returns_lists_as_lists_and_passes_a_third_value_through():
    X = np.arange(12.0).reshape(6, 2)
    y = [0, 1, 0, 1, 0, 1]

    def with_kept(X, y):
        return X[:4], y[:4], np.arange(4)

    for validate in (True, False):
        X_res, y_res, kept = FunctionSampler(with_kept, validate=validate).fit_resample(
            X.tolist() if validate else X, y)
        np.testing.assert_array_equal(kept, np.arange(4))
    assert isinstance(X_res, np.ndarray)  # validate=False: func's output as it is
    X_res, y_res = FunctionSampler(lambda X, y: (X[:4], y[:4])).fit_resample(X.tolist(), y)
    assert isinstance(X_res, list) and X_res == X[:4].tolist()
    assert isinstance(y_res, list) and y_res == y[:4]


@pytest.mark.parametrize("kind", ["numpy", "list", "pandas", "polars"])
def test_function_sampler_gives_back_labels_that_the_dtype_of_y_cannot_hold(kind):
    # Were cut to y's dtype: 'other' came back as 'oth' from a '<U3' y, 1000 as -24 from
    # an int8 y, 0.5 as 0 (imbalanced-learn gives func's labels back as they are).
    X = np.arange(20.0).reshape(10, 2)
    words = np.array(["cat"] * 6 + ["dog"] * 3 + ["eel"])
    codes = np.array([0] * 6 + [1] * 4, dtype=np.int8)

    def wrap(y):
        return {"numpy": y, "list": y.tolist(), "pandas": pd.Series(y, name="t"),
                "polars": pl.Series("t", y)}[kind]

    def values(y_res):
        return y_res if kind == "list" else list(y_res)

    merged = FunctionSampler(lambda X, y: (X, np.where(y == "eel", "other", y)))
    assert values(merged.fit_resample(X, wrap(words))[1])[-2:] == ["dog", "other"]
    wider = FunctionSampler(lambda X, y: (X, y.astype(np.int64) * 1000))
    assert values(wider.fit_resample(X, wrap(codes))[1])[-2:] == [1000, 1000]
    fractions = FunctionSampler(lambda X, y: (X, y + 0.5))
    assert values(fractions.fit_resample(X, wrap(codes))[1])[-2:] == [1.5, 1.5]
    # Labels that y's dtype holds keep it.
    same = FunctionSampler(lambda X, y: (X[:4], y[:4].astype(np.int64)))
    y_res = same.fit_resample(X, wrap(codes))[1]
    if kind == "numpy":
        assert y_res.dtype == np.int8
    elif kind == "pandas":
        assert y_res.dtype == np.int8 and y_res.name == "t"
    elif kind == "polars":
        assert y_res.dtype == pl.Int8 and y_res.name == "t"


def test_the_submodules_are_reached_from_the_package():
    # import imblearn as imb; imb.over_sampling.SMOTE works: so does it here.
    import balancekit

    assert balancekit.over_sampling.SMOTE is SMOTE
    assert balancekit.pipeline.make_pipeline is make_pipeline
    assert callable(balancekit.metrics.geometric_mean_score)
    assert "under_sampling" in dir(balancekit)
    # Only the public names and balancekit's own modules are listed, not the modules the
    # package imports for itself.
    import types

    for name in dir(balancekit):
        if name.startswith("_") or name in balancekit.__all__:
            continue
        module = getattr(balancekit, name)
        assert isinstance(module, types.ModuleType), name
        assert module.__name__ == f"balancekit.{name}", name
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = balancekit.nope


def test_function_sampler_refuses_sparse_rows_with_a_type_error():
    # scikit-learn's (and imbalanced-learn's) error here is a TypeError.
    import scipy.sparse as sp

    X, y = make_classification(40, 3, n_informative=2, n_redundant=0, random_state=0)
    with pytest.raises(TypeError, match="accept_sparse=False"):
        FunctionSampler(accept_sparse=False).fit_resample(sp.csr_matrix(X), y)


def test_function_sampler_sets_the_sampling_strategy_imbalanced_learn_sets():
    imblearn = pytest.importorskip("imblearn")
    X, y = make_classification(40, 3, n_informative=2, n_redundant=0, random_state=0)
    ours, theirs = FunctionSampler(), imblearn.FunctionSampler()
    ours.fit_resample(X, y)
    theirs.fit_resample(X, y)
    assert ours.sampling_strategy_ == theirs.sampling_strategy_ == "auto"
    assert FunctionSampler().fit(X, y).sampling_strategy_ == "auto"


def _identity_inputs():
    X = np.arange(40.0).reshape(20, 2)
    y = np.array([0] * 14 + [1] * 6)
    frame = pd.DataFrame({"a": X[:, 0], "b": X[:, 1].astype("int32")}, index=np.arange(20) + 1000)
    return {
        "numpy": (X, y),
        "pandas": (frame, pd.Series(y, name="t")),  # y under its own RangeIndex
        "polars": (pl.from_pandas(frame), pl.Series("t", y)),
        "sparse": (sp.csr_matrix(X), y),
        "list": (X.tolist(), y.tolist()),
    }


@pytest.mark.parametrize("validate", [True, False])
@pytest.mark.parametrize("kind", ["numpy", "pandas", "polars", "sparse", "list"])
def test_function_sampler_identity_returns_new_aligned_objects(kind, validate):
    # func=None returns copies (changing the output leaves the input alone) in the caller's
    # containers, and a pandas y_res under X_res's index, as every sampler's output.
    X, y = _identity_inputs()[kind]
    X_res, y_res = FunctionSampler(validate=validate).fit_resample(X, y)
    assert X_res is not X and y_res is not y
    assert type(X_res) is type(X) and type(y_res) is type(y)
    dense = X_res.toarray() if sp.issparse(X_res) else np.asarray(X_res)
    np.testing.assert_array_equal(dense, X.toarray() if sp.issparse(X) else np.asarray(X))
    np.testing.assert_array_equal(np.asarray(y_res), np.asarray(y))
    if kind == "pandas":
        assert X_res.dtypes.to_dict() == X.dtypes.to_dict()
        pd.testing.assert_index_equal(y_res.index, X.index)
        assert pd.concat([X_res, y_res], axis=1).shape == (len(y), 3)
    if kind in ("numpy", "pandas", "list"):
        before = np.asarray(X).copy()
        if kind == "pandas":
            X_res.iloc[0, 0] = -1.0
        else:
            X_res[0][0] = -1.0
        np.testing.assert_array_equal(np.asarray(X), before)


def test_function_sampler_names_the_column_with_nan():
    frame = pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0], "score": [1.0, np.nan, 2.0, 3.0]})
    with pytest.raises(DataError, match=r"1 NaN value\(s\) in column 'score'"):
        FunctionSampler().fit_resample(frame, [0, 0, 1, 1])


def test_a_trailing_passthrough_keeps_a_pipeline_a_transformer(data):
    # make_pipeline(StandardScaler(), 'passthrough') offered fit_resample, so an outer
    # pipeline took it for a sampler: fit_transform scaled, transform did not.
    from sklearn import pipeline as sk_pipeline

    X, y = data
    X = X * 10 + 5
    inner = make_pipeline(StandardScaler(), "passthrough")
    assert not hasattr(inner, "fit_resample")
    ours = Pipeline([("inner", inner)])
    theirs = sk_pipeline.Pipeline(
        [("inner", sk_pipeline.make_pipeline(StandardScaler(), "passthrough"))]
    )
    np.testing.assert_allclose(ours.fit_transform(X, y), theirs.fit_transform(X, y))
    np.testing.assert_allclose(ours.transform(X), theirs.transform(X))
    # Its last step other than 'passthrough' decides: a sampler makes it a sampler.
    sampler = make_pipeline(RandomUnderSampler(random_state=0), "passthrough")
    assert hasattr(sampler, "fit_resample") and not hasattr(sampler, "transform")
    X_res, y_res = sampler.fit_resample(X, y)
    X_ref, y_ref = RandomUnderSampler(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)
    identity = make_pipeline("passthrough")
    assert hasattr(identity, "transform") and not hasattr(identity, "fit_resample")


def test_a_nested_step_set_to_passthrough_in_a_grid_search(data):
    # Setting the last step of a nested pipeline to 'passthrough' was refused ("has both
    # fit_resample and transform").
    X, y = data
    model = make_pipeline(make_pipeline(StandardScaler(), PCA(2)), SMOTE(random_state=0),
                          LogisticRegression())
    search = GridSearchCV(model, {"pipeline__pca": ["passthrough", PCA(2)]}, cv=3,
                          error_score="raise").fit(X, y)
    assert len(search.cv_results_["params"]) == 2
    flat = make_pipeline(StandardScaler(), SMOTE(random_state=0), LogisticRegression())
    model.set_params(pipeline__pca="passthrough")
    np.testing.assert_allclose(model.fit(X, y).predict_proba(X), flat.fit(X, y).predict_proba(X))


def test_function_sampler_calls_from_two_threads_do_not_mix():
    # The call of a second thread, started while func of the first ran, reset the fitted
    # columns: the first call then refused its own output ("X has 2 columns").
    import time
    from concurrent.futures import ThreadPoolExecutor

    A = pd.DataFrame(np.zeros((30, 3)), columns=list("abc"))
    B = pd.DataFrame(np.ones((12, 2)), columns=list("de"))
    y_a, y_b = np.repeat([0, 1], [20, 10]), np.repeat([0, 1], [8, 4])

    def slow_for_a(X, y):
        if len(y) == len(y_a):
            time.sleep(0.5)
        return X, y

    sampler = FunctionSampler(func=slow_for_a)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(sampler.fit_resample, A, y_a)
        time.sleep(0.1)
        second = pool.submit(sampler.fit_resample, B, y_b)
        X_a, _ = first.result(timeout=60)
        X_b, _ = second.result(timeout=60)
    pd.testing.assert_frame_equal(X_a, A)
    pd.testing.assert_frame_equal(X_b, B)


@pytest.mark.parametrize("y_kind", ["numpy", "column"])
@pytest.mark.parametrize("out", ["pandas", "polars", "list"])
def test_function_sampler_on_arrays_gives_back_the_containers_func_returns(out, y_kind):
    # From arrays, func's dataframe X came back as it was but its Series y as an array,
    # where imbalanced-learn gives both back as func returns them.
    X = np.arange(20.0).reshape(10, 2)
    y = np.array([0] * 6 + [1] * 4)

    def tables(X, y):
        if out == "pandas":
            return pd.DataFrame(X, columns=["a", "b"]), pd.Series(y, name="t")
        if out == "polars":
            return pl.DataFrame(X, schema=["a", "b"]), pl.Series("t", y)
        return X.tolist(), y.tolist()

    given = y if y_kind == "numpy" else y.reshape(-1, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataConversionWarning)  # the column vector
        ours = FunctionSampler(tables).fit_resample(X, given)
        theirs = imblearn.FunctionSampler(func=tables).fit_resample(X, given)
    for a, b in zip(ours, theirs, strict=True):
        assert type(a) is type(b)
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    if out != "list":
        assert ours[1].name == "t"


def test_a_nested_pipeline_holding_a_sampler_is_refused_before_the_last_step():
    """Its fit_transform returns the resampled rows: the outer model learnt from labels that
    no longer matched them (300 rows in, 300 out, every prediction the majority class)."""
    X, y = make_classification(n_samples=300, n_features=5, weights=[0.8], random_state=0)
    balance = make_pipeline(RandomUnderSampler(sampling_strategy=0.4, random_state=0),
                            RandomOverSampler(random_state=0), StandardScaler())
    with pytest.raises(InvalidParameterError, match=r"holding the sampler step\(s\) "
                                                    r"\['randomundersampler', 'randomoversampler'\]"):
        make_pipeline(balance, LogisticRegression()).fit(X, y)
    deeper = make_pipeline(make_pipeline(StandardScaler(), clone(balance)), StandardScaler())
    with pytest.raises(InvalidParameterError, match="'pipeline__pipeline__randomundersampler'"):
        make_pipeline(deeper, LogisticRegression()).fit(X, y)
    # As the last step it fits as a whole: the same model as the flat pipeline.
    nested = make_pipeline(StandardScaler(), make_pipeline(
        RandomOverSampler(random_state=0), LogisticRegression())).fit(X, y)
    flat = make_pipeline(StandardScaler(), RandomOverSampler(random_state=0),
                         LogisticRegression()).fit(X, y)
    np.testing.assert_allclose(nested.predict_proba(X), flat.predict_proba(X))


class _RequestingOverSampler(RandomOverSampler):
    # A sampler with a fit request for sample_weight, as BaseSampler has none yet.
    __metadata_request__fit = {"sample_weight": None}


@pytest.mark.parametrize("method", ["fit", "fit_resample"])
def test_routed_sample_weight_for_a_final_sampler_is_explained(method, data):
    # With routing on, fit_resample(X, y, sample_weight=w) failed with "Pipeline.fit got
    # unexpected argument(s)", naming the wrong method and no way to give the weights.
    X, y = data
    w = np.random.RandomState(3).uniform(0.5, 2, size=len(y))
    with sklearn.config_context(enable_metadata_routing=True):
        pipe = make_pipeline(StandardScaler().set_fit_request(sample_weight=False),
                             RandomOverSampler(random_state=0))
        with pytest.raises(InvalidParameterTypeError,
                           match=rf"Pipeline.{method} got sample_weight.* no step requests "
                                 r"sample_weight.*randomoversampler__sample_weight=\.\.\. "
                                 r"with metadata routing disabled"):
            getattr(pipe, method)(X, y, sample_weight=w)
        with pytest.raises(TypeError, match="Pipeline.fit_resample routes its parameters"):
            pipe.fit_resample(X, y, groups=w)
        requesting = make_pipeline(StandardScaler().set_fit_request(sample_weight=False),
                                   _RequestingOverSampler(random_state=0))
        with pytest.raises(InvalidParameterTypeError, match=r"set_fit_request\(sample_weight"):
            getattr(requesting, method)(X, y, sample_weight=w)
        # A sampler that requests the weights gets them, through fit_resample.
        requesting[-1].set_fit_request(sample_weight=True)
        getattr(requesting, method)(X, y, sample_weight=w)
        weighted = requesting[-1].sample_weight_
    # The way the message gives.
    getattr(pipe, method)(X, y, randomoversampler__sample_weight=w)
    np.testing.assert_array_equal(pipe[-1].sample_weight_, weighted)
