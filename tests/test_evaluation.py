"""The comparison engine: leakage safety, metrics, ranking, failures, JSON."""

import json
import math
import os
import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.compose import ColumnTransformer
from sklearn.datasets import make_classification
from sklearn.ensemble import StackingClassifier
from sklearn.feature_selection import SelectKBest, chi2
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    f1_score,
    matthews_corrcoef,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.model_selection import (
    GroupKFold,
    RepeatedStratifiedKFold,
    StratifiedGroupKFold,
    StratifiedKFold,
    StratifiedShuffleSplit,
    TimeSeriesSplit,
)
from sklearn.naive_bayes import ComplementNB, GaussianNB, MultinomialNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline as make_sklearn_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.svm import SVC, LinearSVC
from sklearn.utils import check_random_state

from balancekit import BaseSampler, FunctionSampler
from balancekit._base import Resampled
from balancekit._registry import available_samplers
from balancekit.ensemble import (
    BalancedRandomForestClassifier,
    EasyEnsembleClassifier,
    RUSBoostClassifier,
)
from balancekit.evaluation import (
    ComparisonInterrupted,
    ComparisonResult,
    available_strategies,
    compare,
    default_strategies,
)
from balancekit.evaluation._compare import _compare_with_baseline
from balancekit.evaluation._strategies import (
    SLOW_SAMPLERS,
    Columns,
    _default_names,
    build_pipeline,
    make_estimator,
    prepare_table,
    resolve_strategies,
    slow_rows_limit,
)
from balancekit.evaluation._summary import (
    adjust_for_comparisons,
    paired_difference,
    rank_strategies,
    recommend,
)
from balancekit.exceptions import (
    BalancekitWarning,
    DataError,
    InvalidParameterError,
    InvalidParameterTypeError,
)
from balancekit.metrics import geometric_mean_score
from balancekit.under_sampling import RandomUnderSampler


@pytest.fixture(scope="module")
def numeric_data():
    X, y = make_classification(
        n_samples=240, n_features=4, n_informative=3, n_redundant=0, weights=[0.85],
        class_sep=0.8, flip_y=0.02, random_state=3,
    )
    return pd.DataFrame(X, columns=["a", "b", "c", "d"]), y


@pytest.fixture(scope="module")
def mixed_data():
    rng = np.random.RandomState(0)
    n = 240
    y = (rng.rand(n) < 0.15).astype(int)
    frame = pd.DataFrame(
        {
            "amount": rng.normal(size=n) + 1.5 * y,
            "age": rng.randint(18, 80, size=n),
            "online": rng.rand(n) < 0.3 + 0.4 * y,
            "city": pd.Categorical(rng.choice(["north", "south", "east"], size=n)),
            "kind": rng.choice(["a", "b"], size=n).astype(object),
        }
    )
    frame.loc[::17, "amount"] = np.nan
    frame.loc[::23, "city"] = np.nan
    return frame, y


# ----------------------------------------------------------------------------------------------
# Leakage safety
# ----------------------------------------------------------------------------------------------


def test_sampler_only_ever_sees_training_rows(numeric_data):
    X, y = numeric_data
    seen = []

    def record(X_fold, y_fold):
        seen.append(np.asarray(X_fold.index))
        return X_fold, y_fold

    recorder = FunctionSampler(func=record, validate=False)
    compare(X, y, strategies=[("recorder", recorder)], cv=3, repeats=2, random_state=7)

    splitter = RepeatedStratifiedKFold(n_splits=3, n_repeats=2, random_state=7)
    trains = [frozenset(train.tolist()) for train, _ in splitter.split(X, y)]
    calls = [frozenset(rows.tolist()) for rows in seen]
    # Every call saw exactly the training rows of one fold (so never a validation row),
    # and every training fold was resampled.
    assert all(call in trains for call in calls)
    assert set(trains) <= set(calls)
    assert len(calls) >= len(trains)


class _RowRecorder(BaseSampler):
    """Records the input rows (by index) of every fit_resample call, keeps them all."""

    _sampling_type = "over-sampling"
    _input = "any"
    calls = []

    def __init__(self, *, sampling_strategy="auto"):
        self.sampling_strategy = sampling_strategy

    def _fit_resample(self, X, y, *, targets, rng):
        type(self).calls.append(np.asarray(X.index))
        return Resampled(np.arange(y.shape[0]))


def test_base_sampler_subclass_sees_training_rows_only(numeric_data):
    X, y = numeric_data
    _RowRecorder.calls = []
    result = compare(X, y, strategies=[_RowRecorder()], cv=4, random_state=1)
    assert result.summary["strategies"][1]["status"] == "ok"
    splitter = RepeatedStratifiedKFold(n_splits=4, n_repeats=1, random_state=1)
    trains = [set(train.tolist()) for train, _ in splitter.split(X, y)]
    assert {frozenset(c.tolist()) for c in _RowRecorder.calls} == {frozenset(t) for t in trains}


# ----------------------------------------------------------------------------------------------
# Metrics
# ----------------------------------------------------------------------------------------------


def _reference_fold_metrics(X, y, train, test, sampler=None):
    pre = make_sklearn_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    Xt = pre.fit_transform(X.iloc[train])
    yt = y[train]
    if sampler is not None:
        Xt, yt = sampler.fit_resample(Xt, yt)
    model = LogisticRegression(max_iter=1000).fit(Xt, yt)
    Xv = pre.transform(X.iloc[test])
    y_true = y[test]
    pred = model.predict(Xv)
    proba = model.predict_proba(Xv)[:, 1]
    recalls = recall_score(y_true, pred, average=None)
    return {
        "pr_auc": average_precision_score(y_true, proba),
        "roc_auc": roc_auc_score(y_true, proba),
        "precision": precision_score(y_true, pred, zero_division=0),
        "recall": recall_score(y_true, pred),
        "f1": f1_score(y_true, pred),
        "g_mean": math.sqrt(recalls[0] * recalls[1]),
        "balanced_accuracy": balanced_accuracy_score(y_true, pred),
        "mcc": matthews_corrcoef(y_true, pred),
        "brier": brier_score_loss(y_true, proba),
    }


def test_metrics_equal_sklearn_on_the_same_folds(numeric_data):
    X, y = numeric_data
    result = compare(X, y, strategies=["baseline", "random_under"], cv=3, random_state=0)
    by_name = {s["name"]: s for s in result.summary["strategies"]}
    splitter = RepeatedStratifiedKFold(n_splits=3, n_repeats=1, random_state=0)
    for name, sampler in (("baseline", None), ("random_under", RandomUnderSampler(random_state=0))):
        expected = [
            _reference_fold_metrics(X, y, train, test, sampler)
            for train, test in splitter.split(X, y)
        ]
        for key in expected[0]:
            got = by_name[name]["metrics"][key]
            want = [e[key] for e in expected]
            np.testing.assert_allclose(got["folds"], want, rtol=1e-6, atol=1e-9, err_msg=key)
            assert got["mean"] == pytest.approx(np.mean(want))
            assert got["std"] == pytest.approx(np.std(want, ddof=1))
        assert all(t > 0 for t in by_name[name]["metrics"]["fit_time"]["folds"])


def test_class_counts_after_resampling_first_fold(numeric_data):
    X, y = numeric_data
    result = compare(X, y, strategies=["class_weight", "random_over", "random_under"], cv=3)
    train = next(RepeatedStratifiedKFold(n_splits=3, n_repeats=1, random_state=0).split(X, y))[0]
    n0, n1 = np.bincount(y[train])
    assert result.summary["data"]["train_fold_counts"] == [n0, n1]
    after = {s["name"]: s["class_counts_after"] for s in result.summary["strategies"]}
    assert after["baseline"] == [n0, n1]
    assert after["class_weight"] == [n0, n1]
    assert after["random_over"] == [n0, n0]
    assert after["random_under"] == [n1, n1]


def test_class_counts_after_need_no_second_fit_of_a_sampler_that_lists_its_rows(
        numeric_data, monkeypatch):
    # The counts of the first fold came from fitting the sampler a second time: minutes more
    # for the slow cleaning rules (instance_hardness_threshold on 30,000 rows).
    X, y = numeric_data
    calls = []
    fit_resample = RandomUnderSampler.fit_resample

    def counted(self, *args, **kwargs):
        calls.append(1)
        return fit_resample(self, *args, **kwargs)

    monkeypatch.setattr(RandomUnderSampler, "fit_resample", counted)
    result = compare(X, y, strategies=["random_under"], cv=3)
    assert len(calls) == 3  # one fit per fold
    train = next(RepeatedStratifiedKFold(n_splits=3, n_repeats=1, random_state=0).split(X, y))[0]
    n1 = np.bincount(y[train])[1]
    after = {s["name"]: s["class_counts_after"] for s in result.summary["strategies"]}
    assert after["random_under"] == [n1, n1]


def _halve_class_0(X, y):
    keep = np.flatnonzero(y != 0)
    keep = np.sort(np.concatenate([keep, np.flatnonzero(y == 0)[::2]]))
    return X.iloc[keep], y[keep]


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_class_counts_after_come_from_the_fits_of_the_folds(numeric_data, n_jobs):
    # A sampler without sample_indices_ was fitted once more, on the first training fold, only
    # to count its classes: one extra fit per strategy.
    X, y = numeric_data
    calls = []

    def halve(X_fold, y_fold):
        calls.append(1)
        return _halve_class_0(X_fold, y_fold)

    sampler = FunctionSampler(func=halve, validate=False)
    result = compare(X, y, strategies=[("halve", sampler)], cv=3, n_jobs=n_jobs)
    if n_jobs is None:  # the calls of joblib's processes are not seen here
        assert len(calls) == 3  # one fit per fold
    train = next(RepeatedStratifiedKFold(n_splits=3, n_repeats=1, random_state=0).split(X, y))[0]
    n0, n1 = np.bincount(y[train])
    after = {s["name"]: s["class_counts_after"] for s in result.summary["strategies"]}
    assert after["halve"] == [len(range(0, n0, 2)), n1]
    assert after["baseline"] == [n0, n1]


@pytest.mark.parametrize("n_classes", [2, 3])
def test_class_counts_after_equal_a_replay_of_the_first_fold(n_classes):
    X, y = _three_classes(n_classes=n_classes, n=240)
    names = ["smote", "adasyn", "random_over", "random_under", "tomek_links", "smote_enn",
             "cluster_centroids", "near_miss"]
    result = compare(X, y, strategies=names, cv=3, random_state=5)
    train = next(RepeatedStratifiedKFold(n_splits=3, n_repeats=1, random_state=5).split(X, y))[0]
    frame, columns = prepare_table(X)
    specs, _ = resolve_strategies(names, columns, frame.shape[0], 5)
    after = {s["name"]: s["class_counts_after"] for s in result.summary["strategies"]}
    for spec in specs:
        if spec.sampler is None:
            continue
        pipeline, _ = build_pipeline(spec, columns, LogisticRegression())
        Xt = pipeline.steps[0][1].fit_transform(frame.iloc[train], y[train])
        _, y_res = clone(spec.sampler).fit_resample(Xt, y[train])
        assert after[spec.name] == np.bincount(y_res, minlength=n_classes).tolist(), spec.name


def _rare_in_few_groups(n=200, n_groups=10, positive_groups=4, seed=0):
    """Rows in groups of 20; the rare class only in the first groups, so that a GroupKFold
    validation fold can hold none of it."""
    rng = np.random.RandomState(seed)
    X = pd.DataFrame(rng.normal(size=(n, 3)), columns=["a", "b", "c"])
    groups = np.repeat(np.arange(n_groups), n // n_groups)
    y = np.zeros(n, dtype=int)
    for g in range(positive_groups):
        y[np.flatnonzero(groups == g)[:5]] = 1
    X.loc[y == 1, "a"] += 1.5
    return X, y, groups


def test_means_over_fewer_folds_say_how_many():
    # A validation fold without the rare class has no PR-AUC or ROC-AUC: the mean is over
    # the other folds, and the summary says over how many.
    X, y, groups = _rare_in_few_groups()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = compare(X, y, strategies=["random_over"], cv=GroupKFold(5), groups=groups)
    for entry in result.summary["strategies"]:
        for key, values in entry["metrics"].items():
            defined = [v for v in values["folds"] if v is not None]
            assert values["n_folds"] == len(defined), key
            if defined:
                assert values["mean"] == pytest.approx(np.mean(defined))
        assert entry["metrics"]["pr_auc"]["n_folds"] == 4
        assert entry["metrics"]["f1"]["n_folds"] == 5
    for row in result.ranking:
        assert row["fold_counts"]["pr_auc"] == row["fold_counts"]["roc_auc"] == 4
        assert row["fold_counts"]["recall"] == 5


def test_a_larger_pos_label_is_not_called_the_rare_class_in_the_notes():
    X, y, groups = _rare_in_few_groups()
    # A smaller class 2, in every group: the positive class 1, missing from a validation fold,
    # is not the rare one.
    y[np.flatnonzero(np.diff(groups, prepend=-1)) + 10] = 2
    X.loc[y == 2, "b"] += 1.5
    with pytest.warns(BalancekitWarning) as record:
        result = compare(X, y, strategies=["baseline"], cv=GroupKFold(5), groups=groups,
                         pos_label=1)
    note = _messages(record, "validation folds hold no row")
    assert note and "of the positive class 1" in note[0] and "rare" not in note[0]
    assert all("rare" not in m["description"] for m in result.summary["metrics"])


def test_pooled_curves_and_confusion_cover_every_row_once(numeric_data):
    X, y = numeric_data
    result = compare(X, y, strategies=["baseline"], cv=3, repeats=2)
    curve = result.summary["curves"]["strategies"][0]
    matrix = np.array(curve["confusion"]["matrix"])
    assert matrix.sum() == len(y)  # first repeat only: each row predicted once
    assert matrix.sum(axis=1).tolist() == np.bincount(y).tolist()
    assert curve["pr"]["recall"][0] == 1.0 and curve["pr"]["recall"][-1] == 0.0
    assert len(result.summary["strategies"][0]["metrics"]["pr_auc"]["folds"]) == 6


def test_decision_function_models_have_no_brier(numeric_data):
    X, y = numeric_data
    result = compare(X, y, strategies=["baseline"], estimator=LinearSVC(), cv=3)
    metrics = result.summary["strategies"][0]["metrics"]
    assert metrics["brier"]["mean"] is None
    assert metrics["roc_auc"]["mean"] > 0.5
    json.loads(result.to_json())


# ----------------------------------------------------------------------------------------------
# Ranking, noise and the recommendation
# ----------------------------------------------------------------------------------------------


def test_paired_difference_noise_threshold():
    base = np.array([0.50, 0.52, 0.48, 0.51, 0.49])
    spread = np.array([-1.0, 1.0, -1.0, 1.0, 0.0])
    test_fraction = 0.25
    # sd(d) of mean_shift + 0.01 * spread; choose shifts just inside and just outside the
    # two-sided 5% critical value of Student t with 4 degrees of freedom (2.776, not 2).
    sd = np.std(0.01 * spread, ddof=1)
    se = sd * math.sqrt(1 / 5 + test_fraction)
    critical = stats.t.ppf(0.975, 4)
    inside = paired_difference(base + 0.99 * critical * se + 0.01 * spread, base,
                               test_fraction=test_fraction)
    outside = paired_difference(base + 1.01 * critical * se + 0.01 * spread, base,
                                test_fraction=test_fraction)
    assert inside["se"] == pytest.approx(se)
    assert inside["df"] == 4 and inside["n_folds"] == 5
    assert inside["within_noise"] is True and inside["p_value"] > 0.05
    assert outside["within_noise"] is False and outside["diff"] > 0 and outside["p_value"] < 0.05
    # What the old rule (|diff| > 2 se) called real is within noise with 4 degrees of freedom.
    old_rule = paired_difference(base + 2.2 * se + 0.01 * spread, base, test_fraction=test_fraction)
    assert old_rule["within_noise"] is True
    worse = paired_difference(base - 0.1 + 0.001 * spread, base, test_fraction=test_fraction)
    assert worse["diff"] == pytest.approx(-0.1) and worse["within_noise"] is False
    # Lower is better: a lower score is an improvement.
    lower = paired_difference(base - 0.1 + 0.001 * spread, base, test_fraction=test_fraction,
                              higher_is_better=False)
    assert lower["diff"] == pytest.approx(0.1) and lower["within_noise"] is False
    # The correction makes the same differences noisier with a larger test fraction.
    assert (paired_difference(base + 0.01 + 0.01 * spread, base, test_fraction=1.0)["se"]
            > paired_difference(base + 0.01 + 0.01 * spread, base, test_fraction=0.0)["se"])
    # Identical scores are a tie, not a gain (and not a loss of -0.000).
    tie = paired_difference(base, base, test_fraction=test_fraction)
    assert tie["p_value"] == 1.0 and tie["within_noise"] is True
    tie = paired_difference(base, base, test_fraction=test_fraction, higher_is_better=False)
    assert math.copysign(1.0, tie["diff"]) == 1.0
    # Every fold gains exactly the same: no spread for a t-test; the exact sign test of folds
    # that all agree decides (2 folds prove nothing, 10 do).
    for n_folds, expected in ((2, 0.5), (10, 2 * 0.5**10)):
        zeros, ones = np.zeros(n_folds), np.ones(n_folds)
        same = paired_difference(ones, zeros, test_fraction=1 / (n_folds - 1))
        assert same["se"] == 0.0 and same["p_value"] == pytest.approx(expected)
        assert same["within_noise"] is (expected > 0.05)
    # The same up to rounding (0.1 taken from scores that are not round) counts as the same.
    rounded = paired_difference(base - 0.1, base, test_fraction=test_fraction)
    assert rounded["p_value"] == pytest.approx(2 * 0.5**5) and rounded["within_noise"] is True


def _entry(name, folds, base_folds=None, metric="pr_auc", higher=True, status="ok"):
    folds = np.asarray(folds, dtype=float)
    entry = {
        "name": name,
        "description": name,
        "status": status,
        "metrics": {metric: {"mean": np.nanmean(folds), "std": None, "folds": folds.tolist()}},
    }
    if base_folds is not None:
        entry["vs_baseline"] = {
            metric: paired_difference(folds, base_folds, test_fraction=0.25,
                                      higher_is_better=higher)
        }
    return entry


def _entries(*entries, metric="pr_auc", baseline="baseline"):
    """The entries, with the comparisons with the baseline corrected together (Holm)."""
    adjust_for_comparisons([e["vs_baseline"][metric] for e in entries
                            if e["name"] != baseline and "vs_baseline" in e])
    return list(entries)


def test_ranking_and_recommendation_beyond_noise():
    base = [0.30, 0.32, 0.28, 0.31, 0.29]
    strong = [0.40, 0.43, 0.37, 0.41, 0.40]
    weak = [0.31, 0.30, 0.30, 0.33, 0.29]
    entries = _entries(_entry("baseline", base, base), _entry("weak", weak, base),
                       _entry("strong", strong, base), _entry("broken", base, status="failed"))
    ranking = rank_strategies(entries, "pr_auc")
    assert [r["strategy"] for r in ranking] == ["strong", "weak", "baseline"]
    assert [r["rank"] for r in ranking] == [1, 2, 3]
    rec = recommend(ranking, "pr_auc")
    assert rec["strategy"] == "strong" and rec["within_noise"] is False
    assert "strong" in rec["message"] and "PR-AUC" in rec["message"]
    assert ranking[1]["within_noise"] is True  # 'weak' is indistinguishable from baseline


def test_recommendation_within_noise_and_baseline_best():
    base = [0.30, 0.32, 0.28, 0.31, 0.29]
    noisy = [0.36, 0.27, 0.33, 0.30, 0.31]
    ranking = rank_strategies(_entries(_entry("baseline", base, base),
                                       _entry("noisy", noisy, base)), "pr_auc")
    rec = recommend(ranking, "pr_auc")
    assert rec["strategy"] == "noisy" and rec["within_noise"] is True
    assert "within noise" in rec["message"]
    # The strategy's name is written as it is (not 'Noisy').
    assert "compared with baseline, noisy has" in rec["message"].lower()
    assert "noisy has" in rec["message"]
    # Only the baseline ran: nothing was compared, which the message says.
    alone = recommend(rank_strategies(_entries(_entry("baseline", base, base),
                                               _entry("broken", base, status="failed")),
                                      "pr_auc"), "pr_auc", failed=["broken"])
    assert alone["strategy"] == "baseline" and "every other strategy failed" in alone["message"]
    assert "broken" in alone["message"]

    worse = [0.20, 0.22, 0.18, 0.21, 0.19]
    ranking = rank_strategies(_entries(_entry("worse", worse, base),
                                       _entry("baseline", base, base)), "pr_auc")
    rec = recommend(ranking, "pr_auc")
    # The reference itself: nothing was tested.
    assert rec["strategy"] == "baseline" and rec["within_noise"] is None
    assert recommend([], "pr_auc")["strategy"] is None
    # A tie with the baseline goes to the baseline, whatever the order asked.
    for order in ((_entry("same", base, base), _entry("baseline", base, base)),
                  (_entry("baseline", base, base), _entry("same", base, base))):
        ranking = rank_strategies(_entries(*order), "pr_auc")
        assert [r["strategy"] for r in ranking] == ["baseline", "same"]
        assert recommend(ranking, "pr_auc")["strategy"] == "baseline"


def test_a_tie_with_the_baseline_is_the_baseline_whatever_the_order():
    from sklearn.datasets import load_wine

    X, y = load_wine(return_X_y=True)  # separable: every strategy scores 1.0
    for order in (["baseline", "random_over"], ["random_over", "baseline"]):
        result = compare(X, y, cv=3, strategies=order)
        assert [r["strategy"] for r in result.ranking] == ["baseline", "random_over"]
        assert result.ranking[0]["mean"] == result.ranking[1]["mean"]
        assert result.recommendation["strategy"] == "baseline"
        # Nothing tested for the reference, in its row as in the recommendation.
        assert result.ranking[0]["within_noise"] is None
        assert result.recommendation["within_noise"] is None


def test_awkward_inputs_of_compare_are_read_or_named():
    import polars as pl
    import pyarrow as pa
    from sklearn.datasets import load_breast_cancer

    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    X = X.iloc[:, :4].copy()
    # groups as a pyarrow Array (which refuses numpy's default copy); with a gap, named.
    groups = [f"p{i % 40}" for i in range(len(y))]
    from_arrow = compare(X, y, groups=pa.array(groups), cv=3, strategies=["baseline"])
    from_list = compare(X, y, groups=groups, cv=3, strategies=["baseline"])
    assert from_arrow.ranking[0]["mean"] == from_list.ranking[0]["mean"]
    with pytest.raises(DataError, match="groups has 1 missing value"):
        compare(X, y, groups=pa.array([None] + groups[1:]), cv=3, strategies=["baseline"])
    # A column of numbers and text (codes): read as text, not a failure of every strategy.
    coded = X.assign(code=[7 if i % 3 == 0 else ("A" if i % 3 == 1 else None)
                           for i in range(len(X))])
    result = compare(coded, y, cv=3, strategies=["baseline", "class_weight"])
    assert result.summary["failed"] == [] and len(result.ranking) == 2
    with pytest.raises(DataError, match="duplicated column names 'mean radius'"):
        compare(pd.concat([X, X.iloc[:, :1]], axis=1), y, cv=3)
    with pytest.raises(DataError, match="LazyFrame.*collect"):
        compare(pl.from_pandas(X).lazy(), y, cv=3)


def test_lower_is_better_metric_ranks_ascending():
    base = [0.10, 0.11, 0.09, 0.10, 0.10]
    better = [0.05, 0.06, 0.05, 0.04, 0.05]
    entries = _entries(_entry("baseline", base, base, "brier", False),
                       _entry("better", better, base, "brier", False), metric="brier")
    ranking = rank_strategies(entries, "brier")
    assert ranking[0]["strategy"] == "better"
    assert ranking[0]["diff_vs_baseline"] > 0 and ranking[0]["within_noise"] is False


@pytest.mark.parametrize("metric", ["brier", "pr_auc"])
def test_recommendation_signs_the_change_as_the_values_it_follows(metric):
    # "0.050 vs 0.100 for baseline (-0.050, ...)": the number in brackets is the change of the
    # metric, whichever direction is better; the gain (positive when better) stays in the
    # summary's diff_vs_baseline.
    higher = metric != "brier"
    base = [0.10, 0.11, 0.09, 0.10, 0.10]
    step = 0.05 if higher else -0.05
    better = [v + step + 0.001 * i for i, v in enumerate(base)]
    runner = [v + step / 2 + 0.03 * (-1) ** i for i, v in enumerate(base)]
    ranking = rank_strategies(_entries(_entry("baseline", base, base, metric, higher),
                                       _entry("better", better, base, metric, higher),
                                       _entry("runner", runner, base, metric, higher),
                                       metric=metric), metric)
    rec = recommend(ranking, metric)
    assert rec["strategy"] == "better" and rec["diff_vs_baseline"] > 0
    change = ranking[0]["mean"] - next(r["mean"] for r in ranking
                                       if r["strategy"] == "baseline")
    assert f"for baseline ({change:+.3f}" in rec["message"]
    assert ("lower is better" in rec["message"]) is not higher


def _noise_data(seed, n=90):
    """y independent of X: no strategy can truly beat the baseline's PR-AUC or ROC-AUC."""
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 3))
    y = np.r_[np.ones(n // 5, dtype=int), np.zeros(n - n // 5, dtype=int)]
    return X, y


def test_compare_rarely_calls_noise_a_gain():
    # On data with no signal the expected PR-AUC (the prevalence) and ROC-AUC (0.5) are the
    # same for every strategy, so any "beyond noise" flag is a false alarm. Eight random
    # under-samplers (different seeds) stand for picking the best of several strategies.
    # 12 data sets x 2 metrics = 24 decisions: at a 5% family-wise level about 1 of them may
    # flag a difference by chance, and fewer recommend a strategy (a gain is one side of a
    # two-sided test). The former rule (|mean difference| > 2 corrected standard errors, the
    # best of 8 picked without correction) flagged 9 of the 24 and recommended in 4.
    strategies = ["baseline"] + [
        (f"under_{i}", RandomUnderSampler(random_state=i)) for i in range(8)
    ]
    decisions = recommended = flagged = 0
    for seed in range(12):
        X, y = _noise_data(seed)
        result = compare(X, y, strategies=strategies, cv=3, random_state=seed)
        for metric in ("pr_auc", "roc_auc"):
            ranking = rank_strategies(result.summary["strategies"], metric)
            rec = recommend(ranking, metric)
            decisions += 1
            recommended += rec["strategy"] != "baseline" and rec["within_noise"] is False
            flagged += any(r["within_noise"] is False for r in ranking
                           if r["strategy"] != "baseline")
            if rec["strategy"] != "baseline":
                assert rec["n_comparisons"] == 8 and rec["df"] == 2 and rec["n_folds"] == 3
                assert "within noise" in rec["message"] or rec["message"].startswith("Use ")
    assert decisions == 24
    assert recommended <= 1
    assert flagged <= 2


def test_compare_recommends_rebalancing_when_it_clearly_helps():
    # A heavily regularised logistic regression on 7% positives predicts the majority class
    # for nearly every row: its balanced accuracy stays near 0.5. Rebalancing fixes that.
    X, y = make_classification(
        n_samples=300, n_features=4, n_informative=3, n_redundant=0, weights=[0.93],
        class_sep=1.5, random_state=1,
    )
    result = compare(
        X, y, strategies=["baseline", "class_weight", "random_under"],
        estimator=LogisticRegression(C=0.005), cv=3, scoring="balanced_accuracy",
    )
    rec = result.recommendation
    assert rec["strategy"] in {"class_weight", "random_under"}
    assert rec["within_noise"] is False and rec["p_adjusted"] <= 0.05
    assert rec["n_comparisons"] == 2 and rec["df"] == 2 and rec["n_folds"] == 3
    assert rec["message"].startswith(f"Use {rec['strategy']}:")
    assert "significant at the 5% level after correcting for the 2 comparisons" in rec["message"]
    assert "corrected resampled t-test over 3 folds" in rec["message"]
    base = next(r for r in result.ranking if r["strategy"] == "baseline")
    assert rec["diff_vs_baseline"] > 0.2 and base["mean"] < 0.6


def test_compare_p_values_match_a_hand_computation():
    # A fixed table of fold scores, 3 folds x 2 repeats: test_fraction = n_test / n_train = 1/2.
    base = [0.30, 0.34, 0.28, 0.31, 0.27, 0.33]
    scores = {
        "baseline": base,
        "a": [0.36, 0.38, 0.33, 0.36, 0.32, 0.38],
        "b": [0.33, 0.33, 0.31, 0.36, 0.27, 0.35],
        "c": [0.29, 0.35, 0.30, 0.30, 0.28, 0.33],
    }
    entries = [
        {"name": name, "description": name, "status": "ok",
         "metrics": {key: {"mean": float(np.mean(folds)), "std": float(np.std(folds, ddof=1)),
                           "folds": list(folds)}
                     for key in ("pr_auc", "roc_auc", "precision", "recall", "f1", "g_mean",
                                 "balanced_accuracy", "mcc", "brier", "fit_time")}}
        for name, folds in scores.items()
    ]
    _compare_with_baseline(entries, test_fraction=0.5)
    ranking = rank_strategies(entries, "pr_auc")
    assert [r["strategy"] for r in ranking] == ["a", "b", "c", "baseline"]

    raw = {}
    for name in ("a", "b", "c"):
        # scipy's paired t statistic uses sd / sqrt(J); the corrected test uses
        # sd * sqrt(1/J + n_test/n_train) and J - 1 = 5 degrees of freedom.
        plain = stats.ttest_rel(scores[name], base).statistic
        t = plain * math.sqrt(1 / 6) / math.sqrt(1 / 6 + 0.5)
        raw[name] = 2 * stats.t.sf(abs(t), df=5)
        row = next(r for r in ranking if r["strategy"] == name)
        assert row["p_value"] == pytest.approx(raw[name], rel=1e-9)
        assert row["df"] == 5 and row["n_folds"] == 6 and row["n_comparisons"] == 3
        assert entries[list(scores).index(name)]["vs_baseline"]["pr_auc"]["t"] == pytest.approx(t)
    # Holm: sort the p-values, multiply the i-th smallest by (m - i), keep the running maximum.
    order = sorted(raw, key=raw.get)
    adjusted, running = {}, 0.0
    for i, name in enumerate(order):
        running = max(running, min(1.0, (3 - i) * raw[name]))
        adjusted[name] = running
    for r in ranking[:3]:
        assert r["p_adjusted"] == pytest.approx(adjusted[r["strategy"]], rel=1e-9)
        assert r["within_noise"] is bool(adjusted[r["strategy"]] > 0.05)
    # The smallest p-value is corrected exactly as Bonferroni would (3 x p).
    assert adjusted[order[0]] == pytest.approx(3 * raw[order[0]])
    assert ranking[0]["p_adjusted"] < 0.05 < ranking[1]["p_adjusted"]

    rec = recommend(ranking, "pr_auc")
    assert rec["strategy"] == "a" and rec["within_noise"] is False
    assert rec["p_value"] == pytest.approx(raw["a"]) and rec["p_adjusted"] == pytest.approx(
        adjusted["a"])
    assert (rec["df"], rec["n_folds"], rec["n_comparisons"], rec["alpha"]) == (5, 6, 3, 0.05)
    assert "of the 3 strategies compared with baseline" in rec["message"]
    assert "over 6 folds" in rec["message"]
    # A lower-is-better metric flips the sign of the difference, not the p-value.
    brier = rank_strategies(entries, "brier")
    assert brier[0]["strategy"] == "baseline"
    a_brier = next(r for r in brier if r["strategy"] == "a")
    assert a_brier["diff_vs_baseline"] < 0 and a_brier["p_value"] == pytest.approx(raw["a"])
    json.dumps(rec, allow_nan=False)


def test_compare_with_too_few_folds_for_a_test_says_so():
    base = [0.30, np.nan, np.nan]
    best = [0.40, np.nan, 0.50]
    ranking = rank_strategies(_entries(_entry("baseline", base, base), _entry("best", best, base)),
                              "pr_auc")
    rec = recommend(ranking, "pr_auc")
    assert rec["strategy"] == "best" and rec["within_noise"] is None
    assert rec["n_folds"] == 1 and rec["p_value"] is None
    assert "too few for a test" in rec["message"] and "1 fold" in rec["message"]


def test_scoring_changes_the_ranking_metric(numeric_data):
    X, y = numeric_data
    result = compare(X, y, strategies=["baseline", "random_under"], cv=3, scoring="recall")
    assert result.recommendation["metric"] == "recall"
    recalls = [r["means"]["recall"] for r in result.ranking]
    assert recalls == sorted(recalls, reverse=True)
    assert result.ranking[0]["strategy"] == "random_under"  # balancing raises recall


# ----------------------------------------------------------------------------------------------
# Failures
# ----------------------------------------------------------------------------------------------


def _explode(X, y):
    raise ValueError("this sampler cannot cope with the data")


def test_failing_strategy_is_reported_not_raised(numeric_data):
    X, y = numeric_data
    with pytest.warns(BalancekitWarning, match=r"1 of 3 strategies failed and are left out of "
                      r"the ranking: exploding \(ValueError: this sampler cannot cope"):
        result = compare(
            X, y, strategies=["baseline", ("exploding", FunctionSampler(_explode)),
                              "random_under"],
            cv=3,
        )
    assert "3 strategies (1 failed)" in repr(result)
    failed = result.summary["failed"]
    assert [f["strategy"] for f in failed] == ["exploding"]
    assert "cannot cope" in failed[0]["error"] and failed[0]["error"].startswith("ValueError")
    assert {r["strategy"] for r in result.ranking} == {"baseline", "random_under"}
    assert result.recommendation["strategy"] in {"baseline", "random_under"}
    json.dumps(result.summary, allow_nan=False)


def test_class_too_small_for_smote_is_a_failure():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 3))
    y = np.array([0] * 38 + [1] * 2)  # one rare row per training fold with cv=2
    result = compare(X, y, strategies=["baseline", "smote"], cv=2)
    smote = next(s for s in result.summary["strategies"] if s["name"] == "smote")
    assert smote["status"] == "failed" and smote["error"]
    assert result.summary["failed"][0]["strategy"] == "smote"
    assert result.recommendation["strategy"] == "baseline"
    # The fields of a strategy that ran, null where they have no value.
    baseline = result.summary["strategies"][0]
    assert smote.keys() == baseline.keys()
    assert [smote[key] for key in ("class_counts_after", "precision_undefined_folds",
                                   "lost_class_folds", "vs_baseline")] == [None] * 4


def _drop_class(label):
    def drop(X, y):
        keep = y != label
        return X[keep], y[keep]

    return FunctionSampler(func=drop)


def test_compare_of_one_class_says_a_comparison_needs_two(numeric_data):
    X, _ = numeric_data
    with pytest.raises(DataError, match=r"only one class \(0\); a comparison of strategies "
                                        r"needs at least two classes"):
        compare(X, np.zeros(len(X), dtype=int))


def test_compare_explains_a_training_fold_left_with_one_class():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 3))
    y = np.array([0] * 45 + [1] * 15)
    result = compare(X, y, strategies=["baseline", ("drop_common", _drop_class(0))], cv=3)
    error = result.summary["failed"][0]["error"]
    assert result.summary["failed"][0]["strategy"] == "drop_common"
    assert error.startswith("drop_common removed every row of class 0 (30 rows)")
    assert "fold 1 of 3" in error and "only class 1 is left" in error
    assert "at least 2 classes" not in error

    # Multiclass: the rare class is gone but two classes are left; the model cannot score it.
    y3 = np.array([0] * 30 + [1] * 15 + [2] * 15)
    result = compare(X, y3, strategies=[("drop_rare", _drop_class(2))], cv=3, pos_label=2)
    error = result.summary["failed"][0]["error"]
    assert error.startswith("drop_rare removed every row of class 2 (10 rows)")
    assert "never saw it" in error

    # A cleaning rule on a tiny table: scikit-learn's "This solver needs samples of at least
    # 2 classes" is replaced with what happened, and an error of the sampler itself is kept.
    X = rng.normal(size=(12, 3))
    y = np.array([0] * 9 + [1] * 3)
    result = compare(X, y, strategies=["edited_nearest_neighbours", "near_miss"], cv=3)
    errors = {f["strategy"]: f["error"] for f in result.summary["failed"]}
    assert errors["edited_nearest_neighbours"].startswith(
        "edited_nearest_neighbours removed every row of class 0"
    )
    assert "at least 2 classes" not in errors["edited_nearest_neighbours"]
    assert errors["near_miss"].startswith("DataError: n_neighbors=3")


# ----------------------------------------------------------------------------------------------
# Data, strategies and parameters
# ----------------------------------------------------------------------------------------------


def test_smotenc_is_chosen_for_categorical_columns(mixed_data):
    X, y = mixed_data
    frame, columns = prepare_table(X)
    assert columns.categorical == ["city", "kind"]
    assert columns.numeric == ["amount", "age", "online"]
    specs, _ = resolve_strategies(["smote"], columns, len(y), 0)
    smote = next(s for s in specs if s.name == "smote")
    assert type(smote.sampler).__name__ == "SMOTENC" and smote.layout == "categorical"

    # The sampler runs before one-hot encoding: synthetic rows hold real categories.
    pipeline, step = build_pipeline(smote, columns, make_estimator("logistic", 0))
    Xt = pipeline.steps[0][1].fit_transform(frame)
    X_res, y_res = pipeline.steps[step][1].fit_resample(Xt, y)
    assert len(X_res) > len(frame)
    assert set(X_res["city"]) <= {"north", "south", "east"}
    assert set(X_res["kind"]) <= {"a", "b"}
    assert np.isfinite(X_res["amount"].to_numpy(dtype=float)).all()

    result = compare(X, y, strategies=["smote"], cv=3)
    entry = next(s for s in result.summary["strategies"] if s["name"] == "smote")
    assert entry["status"] == "ok", entry["error"]
    assert entry["description"].startswith("SMOTENC(")
    assert entry["class_counts_after"][0] == entry["class_counts_after"][1]
    assert result.summary["data"]["categorical_columns"] == ["city", "kind"]
    assert result.summary["pca"]["n_synthetic"] > 0 and "error" not in result.summary["pca"]


def test_smoten_for_all_categorical_and_smote_for_arrays():
    specs, skipped = resolve_strategies(["smote", "smotenc"], Columns([], ["a", "b"]), 100, 0)
    assert type(specs[1].sampler).__name__ == "SMOTEN"
    assert [s["strategy"] for s in skipped] == []
    specs, skipped = resolve_strategies(["smote", "smotenc"], Columns(["x0"], []), 100, 0)
    assert type(specs[1].sampler).__name__ == "SMOTE"
    assert [s["strategy"] for s in skipped] == ["smotenc"]


def test_default_strategies_and_skips():
    names = default_strategies()
    assert names[:5] == ["baseline", "class_weight", "random_over", "random_under", "smote"]
    assert "smotenc" not in names and "smoten" not in names
    assert set(names) <= set(available_strategies())
    slow = list(SLOW_SAMPLERS)
    assert set(slow) <= set(available_samplers())
    big, skipped = _default_names(Columns(["a"], []), 10**6)
    reasons = {s["strategy"]: s["reason"] for s in skipped}
    for name in slow:
        assert name not in big and "rows" in reasons[name]
    small, _ = _default_names(Columns(["a"], []), 500)
    for name in slow:
        assert name in small


def test_slow_samplers_run_on_fewer_rows_of_wide_tables():
    """Their work grows with rows² x columns: 20,000 rows of 20 columns cost an SVM about what
    5,164 rows of 300 columns cost."""
    assert "svm_smote" in available_samplers()
    narrow = Columns([f"x{j}" for j in range(20)], [])
    wide = Columns([f"x{j}" for j in range(250)], [f"c{j}" for j in range(50)])
    assert slow_rows_limit("svm_smote", 3) == slow_rows_limit("svm_smote", 20) == 20_000
    assert slow_rows_limit("svm_smote", 300) == 5_163
    names, _ = _default_names(narrow, 6_000)
    assert "svm_smote" in names
    names, skipped = _default_names(wide, 6_000)
    reasons = {s["strategy"]: s["reason"] for s in skipped}
    assert "svm_smote" not in names
    assert "Skipped above 5,163 rows of 300 columns (20,000 of 20)" in reasons["svm_smote"]
    assert "svm_smote" in _default_names(wide, 5_000)[0]


def test_progress_is_called_after_each_fit(numeric_data):
    X, y = numeric_data
    calls = []
    compare(X, y, strategies=["baseline", "random_over"], cv=3,
            progress=lambda done, total, text: calls.append((done, total, text)))
    assert [c[0] for c in calls] == list(range(1, 7))
    assert {c[1] for c in calls} == {6}
    assert calls[0][2].startswith("baseline") and "fold 1/3" in calls[0][2]


def test_progress_is_told_of_each_fit_as_it_starts(numeric_data):
    # A progress bar told only after each fit showed the fit just finished as running.
    X, y = numeric_data
    events = []

    class Progress:
        def starting(self, done, total, text):
            events.append(("starting", done, total, text))

        def __call__(self, done, total, text):
            events.append(("done", done, total, text))

    compare(X, y, strategies=["baseline", "random_over"], cv=3, progress=Progress())
    assert [e[0] for e in events] == ["starting", "done"] * 6
    for start, end in zip(events[::2], events[1::2], strict=True):
        assert start[1:] == (end[1] - 1, end[2], end[3])
    assert events[0][3].startswith("baseline") and "fold 1/3" in events[0][3]


def test_polars_numpy_and_pandas_agree(numeric_data):
    pl = pytest.importorskip("polars")
    X, y = numeric_data
    kwargs = {"strategies": ["baseline", "random_over"], "cv": 3}
    a = compare(X, y, **kwargs).ranking
    b = compare(pl.from_pandas(X), pl.Series("target", y), **kwargs).ranking
    c = compare(X.to_numpy(), list(y), **kwargs).ranking
    for r in (b, c):
        assert [x["strategy"] for x in r] == [x["strategy"] for x in a]
        assert [x["mean"] for x in r] == pytest.approx([x["mean"] for x in a])


def test_parallel_matches_sequential(numeric_data):
    X, y = numeric_data
    kwargs = {"strategies": ["baseline", "random_under"], "cv": 2}
    calls = []
    # The thread back end exercises the same code path without starting processes.
    with joblib.parallel_config(backend="threading"):
        parallel = compare(X, y, n_jobs=2, progress=lambda *a: calls.append(a), **kwargs)
    sequential = compare(X, y, **kwargs)
    assert len(calls) == 4
    for p, s in zip(parallel.summary["strategies"], sequential.summary["strategies"], strict=True):
        assert p["metrics"]["pr_auc"]["folds"] == pytest.approx(s["metrics"]["pr_auc"]["folds"])


def test_string_labels_and_pos_label(numeric_data):
    X, y = numeric_data
    labels = np.where(y == 1, "rare", "common")
    result = compare(X, labels, strategies=["baseline"], cv=3)
    assert result.summary["data"]["positive_label"] == "rare"
    flipped = compare(X, labels, strategies=["baseline"], cv=3, pos_label="common")
    assert flipped.summary["data"]["positive_label"] == "common"
    assert (flipped.ranking[0]["means"]["recall"] > result.ranking[0]["means"]["recall"])
    assert compare(X, y, strategies=["baseline"], cv=3, pos_label="1").summary["settings"][
        "pos_label"] == 1


class _Regressor:
    """A regressor by mistake: fit and predict, tagged a regressor."""

    _estimator_type = "regressor"

    def fit(self, X, y):
        return self

    def predict(self, X):
        return np.zeros(len(X))

    def __sklearn_tags__(self):
        from sklearn.utils import RegressorTags, Tags, TargetTags

        return Tags(estimator_type="regressor", target_tags=TargetTags(required=True),
                    regressor_tags=RegressorTags())


class _PlainSampler:
    """fit_resample alone: not a scikit-learn estimator, so not clonable for each fold."""

    def fit_resample(self, X, y):
        return X, y


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"strategies": ["no_such_sampler"]}, InvalidParameterError, "unknown strategy"),
        ({"strategies": "smote"}, InvalidParameterTypeError, "list"),
        ({"strategies": []}, InvalidParameterError, "empty"),
        ({"strategies": ["baseline", "baseline"]}, InvalidParameterError, "twice"),
        ({"strategies": [42]}, InvalidParameterTypeError, "sampler"),
        ({"scoring": "accuracy"}, InvalidParameterError, "scoring"),
        ({"estimator": "forest"}, InvalidParameterError, "estimator"),
        ({"estimator": object()}, InvalidParameterTypeError, "estimator"),
        ({"estimator": LogisticRegression}, InvalidParameterTypeError, r"LogisticRegression\(\)"),
        ({"estimator": _Regressor()}, InvalidParameterTypeError, "got the regressor"),
        ({"strategies": [RandomUnderSampler]}, InvalidParameterTypeError, "not a sampler object"),
        ({"strategies": [("plain", _PlainSampler())]}, InvalidParameterTypeError, "get_params"),
        ({"cv": 1}, InvalidParameterError, "cv"),
        ({"cv": 500}, DataError, "cv=500"),
        ({"repeats": 0}, InvalidParameterError, "repeats"),
        ({"pos_label": 7}, InvalidParameterError, "pos_label"),
        ({"progress": "yes"}, InvalidParameterTypeError, "progress"),
        ({"n_jobs": 0}, InvalidParameterError, "n_jobs"),
        ({"n_jobs": 1.5}, InvalidParameterTypeError, "n_jobs"),
        ({"n_jobs": 0}, InvalidParameterError, r"n_jobs=0 is out of range.*-2 for all but one"),
        ({"random_state": -1}, InvalidParameterError,
         r"random_state=-1 is out of range; it must be an integer from 0 to 4,294,967,295"),
        ({"random_state": 2**32}, InvalidParameterError, "random_state=4294967296 is out of range"),
        ({"random_state": True}, InvalidParameterTypeError, "random_state must be an integer"),
        ({"strategies": [("baseline", RandomUnderSampler())]}, InvalidParameterError,
         r"'baseline' is the reference without resampling.*another name"),
        ({"strategies": [("baseline", "class_weight")]}, InvalidParameterError,
         r"'baseline' is the reference without resampling"),
        # An unnamed strategy would win the ranking unnamed ("No recommendation" in the report).
        ({"strategies": [("", RandomUnderSampler())]}, InvalidParameterError,
         r"must not be empty or blank; got \(''"),
        ({"strategies": [(" \n", "random_over")]}, InvalidParameterError, "empty or blank"),
        # scikit-learn takes a list of metrics; compare ranks by one and reports them all.
        ({"scoring": ["pr_auc", "f1"]}, InvalidParameterTypeError,
         r"scoring=\['pr_auc', 'f1'\] names several metrics; .*pass one name"),
        ({"scoring": {"f1": "f1"}}, InvalidParameterTypeError, "names several metrics"),
    ],
)
def test_invalid_parameters(numeric_data, kwargs, error, match):
    X, y = numeric_data
    with pytest.raises(error, match=match):
        compare(X, y, **kwargs)


def test_unusable_data_is_rejected():
    with pytest.raises(DataError, match="not numbers"):
        compare(np.array([["a", 1], ["b", 2]], dtype=object), [0, 1])
    frame = pd.DataFrame({"t": pd.date_range("2024-01-01", periods=4), "x": [1.0, 2, 3, 4]})
    # Timestamps, and dates as pandas reads them from Parquet (objects): refused alike.
    for dates in (frame, frame.assign(t=frame["t"].dt.date)):
        with pytest.raises(DataError, match="'t' holds dates or times.*--drop t"):
            compare(dates, [0, 1, 0, 1])
    with pytest.raises(DataError, match="infinite"):
        compare(pd.DataFrame({"x": [1.0, np.inf, 3, 4]}), [0, 1, 0, 1])
    # Standardising squares the values: at 1e300 the scaler made NaN of the column, and
    # every strategy failed on "missing values" the data did not have.
    with pytest.raises(DataError, match=r"column 'amount' has values as large as 4e\+300"):
        compare(pd.DataFrame({"amount": [1e300, 2e300, 3e300, 4e300], "x": [1.0, 2, 3, 4]}),
                [0, 1, 0, 1])


# ----------------------------------------------------------------------------------------------
# JSON
# ----------------------------------------------------------------------------------------------


def test_json_round_trip_is_strict_and_atomic(mixed_data, tmp_path):
    X, y = mixed_data
    result = compare(X, y, strategies=["baseline", "class_weight", "smote"], cv=3)
    text = json.dumps(result.summary, allow_nan=False)  # no NaN or numpy types anywhere
    assert json.loads(text) == result.summary
    assert json.loads(result.to_json()) == result.summary

    path = tmp_path / "result.json"
    path.write_text("old")
    returned = result.to_json(path)
    assert json.loads(path.read_text()) == result.summary == json.loads(returned)
    assert os.listdir(tmp_path) == ["result.json"]  # no temporary file left behind
    again = ComparisonResult.from_json(path)
    assert again.summary == result.summary
    assert again.ranking == result.ranking and again.recommendation == result.recommendation
    assert ComparisonResult.from_json(returned).summary == result.summary
    assert repr(result.recommendation["strategy"]) in repr(result)


# ----------------------------------------------------------------------------------------------
# Text columns of many values, models without scores, messages
# ----------------------------------------------------------------------------------------------


def _id_table(n=400, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({
        "amount": rng.gamma(2.0, 50.0, n),
        "customer_id": [f"C{i:06d}" for i in range(n)],
        "channel": rng.choice(["web", "shop", "phone"], n),
    })
    y = (rng.random(n) < 0.15).astype(int)
    X.loc[y == 1, "amount"] += 60.0
    return X, y


def test_identifier_column_is_named_in_a_warning_and_encoded_with_bounded_width():
    from balancekit.evaluation._strategies import MAX_CATEGORIES
    from balancekit.exceptions import BalancekitWarning

    X, y = _id_table()
    with pytest.warns(BalancekitWarning, match="'customer_id'.*identifier"):
        result = compare(X, y, strategies=["baseline", "smote"], cv=3)
    assert result.summary["data"]["identifier_columns"] == ["customer_id"]
    assert result.summary["failed"] == []
    frame, columns = prepare_table(X)
    assert columns.identifiers == ["customer_id"]
    for name in ("baseline", "smote"):  # one-hot before the model, and after SMOTENC
        spec = next(s for s in resolve_strategies([name], columns, len(y), 0)[0]
                    if s.name == name)
        pipeline, _ = build_pipeline(spec, columns, LogisticRegression())
        pipeline.fit(frame, y)
        width = pipeline[-1].coef_.shape[1]
        assert width <= 1 + MAX_CATEGORIES + 3, (name, width)


def test_no_identifier_warning_for_ordinary_categories(recwarn):
    X, y = _id_table()
    X = X.drop(columns="customer_id")
    result = compare(X, y, strategies=["baseline"], cv=3)
    assert result.summary["data"]["identifier_columns"] == []
    assert not [w for w in recwarn if "identifier" in str(w.message)]


def test_amounts_written_as_text_are_named_as_numbers_not_identifiers(recwarn):
    from balancekit.evaluation._strategies import prepare_table

    X, y = _id_table()
    X = X.drop(columns="customer_id")
    rng = np.random.RandomState(0)
    X["amount"] = [f"${v:,}" for v in rng.randint(100, 90_000, size=len(y))]
    X["share"] = [f"{v}%" for v in rng.randint(0, 10, size=len(y))]  # few values: no ID
    X["zip"] = [f"{v:05d}" for v in rng.randint(0, 99_999, size=len(y))]  # codes, no marks
    _, columns = prepare_table(X)
    assert columns.formatted_numbers == {"amount": X["amount"].iloc[0],
                                         "share": X["share"].iloc[0]}
    assert columns.identifiers == ["zip"]
    compare(X, y, strategies=["baseline"], cv=3)
    said = [str(w.message) for w in recwarn if "currency signs" in str(w.message)]
    assert len(said) == 1 and "'amount'" in said[0] and "'share'" in said[0]
    assert not [w for w in recwarn if "'amount'" in str(w.message) and "identifier" in
                str(w.message)]


def test_a_column_of_row_numbers_is_named_in_a_warning(tmp_path):
    """pandas' to_csv writes the index as a first, unnamed column: on a table sorted by its
    label, those row numbers give the label away (on the demo data, PR-AUC 0.205 became
    0.921), and nothing said so."""
    from balancekit.exceptions import BalancekitWarning

    X, y = _id_table()
    X = X.drop(columns="customer_id")
    order = np.argsort(y, kind="stable")  # sorted by class, then saved with its index
    path = tmp_path / "sorted.csv"
    X.iloc[order].assign(label=y[order]).reset_index(drop=True).to_csv(path)
    table = pd.read_csv(path)
    labels = table.pop("label")
    with pytest.warns(BalancekitWarning, match=r"'Unnamed: 0' numbers the rows.*Drop it"):
        result = compare(table, labels, strategies=["baseline"], cv=3)
    assert result.summary["data"]["identifier_columns"] == ["Unnamed: 0"]
    # Numbers that repeat, skip or are not whole are no row numbers.
    for values in (np.arange(len(y)) // 2, np.arange(len(y)) * 2, np.arange(len(y)) + 0.5):
        assert prepare_table(table.assign(**{"Unnamed: 0": values}))[1].identifiers == []
    shuffled = table.assign(**{"Unnamed: 0": np.random.default_rng(0).permutation(len(y)) + 1})
    assert prepare_table(shuffled)[1].identifiers == ["Unnamed: 0"]


def test_repeated_rows_are_counted_and_named_in_a_warning(numeric_data, recwarn):
    """Exact copies of rows (a table exported twice, say) on both sides of a split are rows
    the model has seen, which inflates every score: compare says so, unless groups keep
    the copies together."""
    from balancekit.exceptions import BalancekitWarning
    from balancekit.report import render_html

    X, y = numeric_data
    X, y = pd.DataFrame(X).add_prefix("f"), np.asarray(y)
    copies = np.arange(0, len(y), 10)  # 10% of the rows twice
    X2, y2 = pd.concat([X, X.iloc[copies]], ignore_index=True), np.r_[y, y[copies]]
    with pytest.warns(BalancekitWarning, match=rf"{copies.size} of the {len(y2)} rows .* repeat"):
        result = compare(X2, y2, strategies=["baseline"], cv=3)
    assert result.summary["data"]["duplicate_rows"] == copies.size
    assert any("repeat an earlier row" in note for note in result.summary["notes"])
    assert "Repeated rows" in render_html(result.summary)
    # The same features under another label are no copy; groups keep copies together.
    relabelled = np.r_[y, 1 - y[copies]]
    recwarn.clear()
    quiet = compare(X2, relabelled, strategies=["baseline"], cv=3)
    assert quiet.summary["data"]["duplicate_rows"] == 0
    grouped = compare(X2, y2, strategies=["baseline"], cv=3,
                      groups=np.r_[np.arange(len(y)), copies])
    assert grouped.summary["data"]["duplicate_rows"] == copies.size
    assert not [w for w in recwarn if "repeat an earlier row" in str(w.message)]


def test_a_strategy_that_removes_a_class_is_named(recwarn):
    """A cleaning rule can take every training row of a small class away on some folds; the
    fit succeeds (other classes are left), and nothing said the model never saw it."""
    from balancekit.exceptions import BalancekitWarning

    X, y = make_classification(300, 5, n_informative=3, n_classes=3, weights=[0.6, 0.3],
                               random_state=0)
    labels = np.array(["a", "b", "c"])[y]
    drop_b = RandomUnderSampler(sampling_strategy={"b": 0}, random_state=0)
    with pytest.warns(BalancekitWarning, match=r"drop_b \(class 'b' on 3 folds\)"):
        result = compare(X, labels, strategies=["baseline", ("drop_b", drop_b)], cv=3)
    entries = {e["name"]: e for e in result.summary["strategies"]}
    assert entries["drop_b"]["lost_class_folds"] == [{"label": "b", "folds": 3}]
    assert entries["baseline"]["lost_class_folds"] == []
    assert any("removed every training row" in note for note in result.summary["notes"])
    json.loads(result.to_json())  # strict JSON still


def test_low_cardinality_one_hot_is_unchanged():
    # A column of few values is encoded exactly as by OneHotEncoder(handle_unknown='ignore'),
    # unseen values included (all zeros).
    from sklearn.preprocessing import OneHotEncoder

    from balancekit.evaluation._strategies import make_preprocessor

    X, _ = _id_table()
    X = X.drop(columns="customer_id")
    frame, columns = prepare_table(X)
    pre = make_preprocessor(columns).fit(frame.iloc[:300])
    test = frame.iloc[300:].copy()
    test.loc[test.index[:5], "channel"] = "unseen"
    got = pre.transform(test).filter(like="channel").to_numpy()
    reference = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    reference.fit(frame[["channel"]].iloc[:300])
    np.testing.assert_array_equal(got, reference.transform(test[["channel"]]))
    assert not got[:5].any()


class _LabelsOnly(ClassifierMixin, BaseEstimator):
    """A valid classifier with fit and predict only: no predict_proba, no decision_function."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        counts = [np.sum(np.asarray(y) == c) for c in self.classes_]
        self.majority_ = self.classes_[int(np.argmax(counts))]
        return self

    def predict(self, X):
        return np.full(len(X), self.majority_)


def _small_binary(n=120, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = (rng.random(n) < 0.2).astype(int)
    X[y == 1] += 1.0
    return X, y


def test_model_without_scores_needs_a_label_based_scoring():
    X, y = _small_binary()
    with pytest.raises(InvalidParameterError, match="default scoring 'pr_auc'.*neither "
                       "predict_proba nor decision_function.*'f1'"):
        compare(X, y, strategies=["baseline"], estimator=_LabelsOnly(), cv=3)
    with pytest.raises(InvalidParameterError, match="scoring='roc_auc'"):
        compare(X, y, strategies=["baseline"], estimator=_LabelsOnly(), cv=3, scoring="roc_auc")


def test_model_without_scores_reports_label_metrics_and_no_curves():
    X, y = _small_binary()
    result = compare(X, y, strategies=["baseline", "random_over"], estimator=_LabelsOnly(),
                     cv=3, scoring="f1")
    s = result.summary
    assert s["failed"] == [] and s["settings"]["score_method"] is None
    for entry in s["strategies"]:
        assert entry["status"] == "ok"
        for key in ("pr_auc", "roc_auc", "brier"):
            assert entry["metrics"][key]["mean"] is None
        assert entry["metrics"]["balanced_accuracy"]["mean"] == pytest.approx(0.5)
    for curve in s["curves"]["strategies"]:
        assert curve["pr"] is None and curve["roc"] is None
        assert np.sum(curve["confusion"]["matrix"]) == len(y)
    json.dumps(s, allow_nan=False)


def test_brier_scoring_needs_predict_proba():
    from sklearn.svm import SVC

    X, y = _small_binary()
    with pytest.raises(InvalidParameterError, match=r"scoring='brier'.*SVC\(\).*predict_proba"):
        compare(X, y, strategies=["baseline", "class_weight"], estimator=SVC(), scoring="brier",
                cv=3)
    # Without probabilities the decision values still give ROC/PR; only Brier is missing.
    result = compare(X, y, strategies=["baseline"], estimator=SVC(), cv=3)
    assert result.summary["settings"]["score_method"] == "decision_function"
    means = result.ranking[0]["means"]
    assert means["pr_auc"] is not None and means["brier"] is None


def test_recommendation_when_no_strategy_has_the_metric():
    entries = [_entry("baseline", [0.1, 0.2, 0.3]), _entry("other", [0.1, 0.2, 0.3])]
    for entry in entries:  # as compare writes a metric undefined on every fold
        entry["metrics"]["pr_auc"] = {"mean": None, "std": None, "folds": [None] * 3}
    ranking = rank_strategies(entries, "pr_auc")
    rec = recommend(ranking, "pr_auc", failed=[])
    assert rec["strategy"] is None and "No strategy has a PR-AUC" in rec["message"]


def test_baseline_alone_is_not_reported_as_a_failure():
    X, y = _small_binary()
    rec = compare(X, y, strategies=["baseline"], cv=3).recommendation
    assert rec["strategy"] == "baseline"
    assert "failed" not in rec["message"]
    assert "no other strategy to compare it with" in rec["message"]


def test_a_class_of_one_row_is_too_small_to_cross_validate(numeric_data):
    X, y = numeric_data
    y = y.copy()
    y[np.flatnonzero(y == 1)[1:]] = 0  # one row left in the rare class
    with pytest.raises(DataError, match=r"class 1 has 1;.*cannot be cross-validated") as info:
        compare(X, y, cv=3, strategies=["baseline"])
    assert "at most 1" not in str(info.value)


def test_decimal_objects_are_numbers_and_lists_are_named():
    import decimal

    rng = np.random.default_rng(0)
    amounts = rng.lognormal(3, 1, 200).round(2)
    X = pd.DataFrame({"amount": [decimal.Decimal(f"{a:.2f}") for a in amounts],
                      "b": rng.normal(size=200)})
    frame, columns = prepare_table(X)
    assert columns.numeric == ["amount", "b"] and columns.categorical == []
    np.testing.assert_array_equal(frame["amount"].to_numpy(), amounts)
    X["tags"] = [[1, 2]] * 200
    with pytest.raises(DataError, match=r"column 'tags' holds values that are neither numbers "
                                        r"nor categories \(such as \[1, 2\], of type list\)"):
        prepare_table(X)


def test_n_jobs_is_capped_by_the_cores_and_the_fits(monkeypatch):
    import joblib

    asked = []
    real = joblib.Parallel

    class Recording(real):
        def __init__(self, n_jobs=None, **kwargs):
            asked.append(n_jobs)
            super().__init__(n_jobs=n_jobs, **kwargs)

    monkeypatch.setattr(joblib, "Parallel", Recording)
    X, y = make_classification(200, 4, weights=[0.8], random_state=0)
    result = compare(X, y, strategies=["baseline"], cv=2, n_jobs=200)
    expected = min(joblib.cpu_count(), 2)
    assert asked == ([expected] if expected > 1 else [])
    assert result.summary["failed"] == []
    # Negative counts as in joblib: -2 is all cores but one (it meant all cores once).
    monkeypatch.setattr(joblib, "cpu_count", lambda: 3)
    asked.clear()
    compare(X, y, strategies=["baseline", "class_weight"], cv=2, n_jobs=-2)
    assert asked == [2]
    asked.clear()
    compare(X, y, strategies=["baseline"], cv=2, n_jobs=-3)  # one process: no Parallel
    assert asked == []


# ----------------------------------------------------------------------------------------------
# One-vs-one decision functions
# ----------------------------------------------------------------------------------------------


def _three_classes(n_classes=3, n=180):
    X, y = make_classification(
        n_samples=n, n_features=4, n_informative=3, n_redundant=0, n_classes=n_classes,
        n_clusters_per_class=1, weights=[0.5, 0.3, 0.15][: n_classes - 1], random_state=4,
    )
    return pd.DataFrame(X, columns=["a", "b", "c", "d"]), y


def _messages(record, fragment):
    return [str(w.message) for w in record if fragment in str(w.message)]


@pytest.mark.parametrize(
    "estimator",
    [SVC(decision_function_shape="ovo"),
     make_sklearn_pipeline(StandardScaler(), SVC(decision_function_shape="ovo"))],
    ids=["svc", "pipeline"],
)
def test_one_vs_one_decision_function_gives_no_class_scores(estimator):
    X, y = _three_classes()
    with pytest.warns(BalancekitWarning, match="one-vs-one.*CalibratedClassifierCV.*'ovr'"):
        result = compare(X, y, strategies=["baseline"], estimator=estimator, cv=3,
                         scoring="balanced_accuracy")
    metrics = result.summary["strategies"][0]["metrics"]
    for key in ("roc_auc", "pr_auc"):
        assert metrics[key]["mean"] is None and metrics[key]["folds"] == [None] * 3
    assert result.summary["curves"]["strategies"][0]["roc"] is None
    assert result.summary["settings"]["score_method"] is None
    assert any("one-vs-one" in note for note in result.summary["notes"])
    # The labels are still scored, as scikit-learn scores them.
    splits = RepeatedStratifiedKFold(n_splits=3, n_repeats=1, random_state=0).split(X, y)
    expected = []
    for train, test in splits:
        model = make_sklearn_pipeline(StandardScaler(), SVC(decision_function_shape="ovo"))
        model.fit(X.iloc[train], y[train])
        expected.append(balanced_accuracy_score(y[test], model.predict(X.iloc[test])))
    np.testing.assert_allclose(metrics["balanced_accuracy"]["folds"], expected)


def test_one_vs_rest_decision_function_scores_the_rare_class():
    X, y = _three_classes()
    result = compare(X, y, strategies=["baseline"], estimator=SVC(), cv=3)
    pos = int(np.argmin(np.bincount(y)))
    expected = []
    for train, test in RepeatedStratifiedKFold(n_splits=3, n_repeats=1,
                                               random_state=0).split(X, y):
        model = make_sklearn_pipeline(StandardScaler(), SVC()).fit(X.iloc[train], y[train])
        score = model.decision_function(X.iloc[test])[:, list(model.classes_).index(pos)]
        expected.append(roc_auc_score(y[test] == pos, score))
    np.testing.assert_allclose(result.summary["strategies"][0]["metrics"]["roc_auc"]["folds"],
                               expected)
    assert result.summary["notes"] == []


class _HiddenOneVsOne(ClassifierMixin, BaseEstimator):
    """One-vs-one scores without a decision_function_shape parameter to find."""

    def fit(self, X, y):
        self.model_ = SVC(decision_function_shape="ovo").fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(X)

    def decision_function(self, X):
        return self.model_.decision_function(X)


def test_pairwise_decision_columns_are_caught_by_their_number():
    X, y = _three_classes(n_classes=4, n=240)
    with pytest.warns(BalancekitWarning, match="one-vs-one"):
        result = compare(X, y, strategies=["baseline"], estimator=_HiddenOneVsOne(), cv=3,
                         scoring="f1")
    metrics = result.summary["strategies"][0]["metrics"]
    assert metrics["roc_auc"]["mean"] is None and metrics["pr_auc"]["mean"] is None
    assert result.summary["strategies"][0]["status"] == "ok"


# ----------------------------------------------------------------------------------------------
# Groups, splitters and given splits
# ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def grouped_data():
    # Rows of a customer look alike and share a label; the label is unrelated to the features.
    rng = np.random.RandomState(0)
    n_groups, per = 60, 4
    groups = np.repeat(np.arange(n_groups), per)
    label = (rng.rand(n_groups) < 0.25).astype(int)
    X = rng.normal(size=(n_groups, 3))[groups] + 0.05 * rng.normal(size=(n_groups * per, 3))
    return pd.DataFrame(X, columns=["a", "b", "c"]), label[groups], groups


def _reference_auc(X, y, splits, estimator):
    out = []
    for train, test in splits:
        model = make_sklearn_pipeline(StandardScaler(), clone(estimator))
        model.fit(X.iloc[train], y[train])
        out.append(roc_auc_score(y[test], model.predict_proba(X.iloc[test])[:, 1]))
    return out


def test_groups_keep_each_group_on_one_side_and_match_scikit_learn(grouped_data):
    X, y, groups = grouped_data
    knn = KNeighborsClassifier(n_neighbors=3)
    result = compare(X, y, strategies=["baseline"], estimator=knn, cv=3, repeats=2,
                     groups=groups, random_state=5)
    seeds = check_random_state(5).randint(np.iinfo(np.int32).max, size=2)
    splits = [split for seed in seeds for split in StratifiedGroupKFold(
        n_splits=3, shuffle=True, random_state=seed).split(X, y, groups)]
    for train, test in splits:
        assert not set(groups[train]) & set(groups[test])
    folds = result.summary["strategies"][0]["metrics"]["roc_auc"]["folds"]
    np.testing.assert_allclose(folds, _reference_auc(X, y, splits, knn))
    assert result.summary["settings"]["n_folds"] == 6
    assert result.summary["settings"]["groups"] is True
    assert "StratifiedGroupKFold" in result.summary["settings"]["splitter"]
    # Without groups, rows of a customer are on both sides and the score is far too good.
    leaky = compare(X, y, strategies=["baseline"], estimator=knn, cv=3)
    assert leaky.summary["strategies"][0]["metrics"]["roc_auc"]["mean"] > np.mean(folds) + 0.2


def test_a_splitter_and_given_splits_are_used_as_they_are(numeric_data):
    X, y = numeric_data
    splitter = TimeSeriesSplit(n_splits=3)
    splits = list(splitter.split(X))
    by_splitter = compare(X, y, strategies=["baseline", "random_over"], cv=splitter)
    by_list = compare(X, y, strategies=["baseline", "random_over"], cv=splits)
    want = _reference_auc(X, y, splits, LogisticRegression(max_iter=1000))
    for result in (by_splitter, by_list):
        summary = result.summary
        base = summary["strategies"][0]
        np.testing.assert_allclose(base["metrics"]["roc_auc"]["folds"], want)
        assert summary["settings"]["n_folds"] == 3 and summary["settings"]["cv"] is None
        # The curves pool the validation rows of the splits, each row once.
        matrix = np.array(summary["curves"]["strategies"][0]["confusion"]["matrix"])
        assert matrix.sum() == sum(len(test) for _, test in splits)
        # The t-test uses the sizes of these splits, not 1 / (k - 1).
        fraction = np.mean([len(t) for _, t in splits]) / np.mean([len(t) for t, _ in splits])
        other = summary["strategies"][1]
        expected = paired_difference(other["metrics"]["pr_auc"]["folds"],
                                     base["metrics"]["pr_auc"]["folds"], test_fraction=fraction)
        assert other["vs_baseline"]["pr_auc"]["se"] == pytest.approx(expected["se"])
    assert by_splitter.summary["settings"]["splitter"].startswith("TimeSeriesSplit(")


def test_a_group_splitter_gets_the_groups(grouped_data):
    X, y, groups = grouped_data
    result = compare(X, y, strategies=["baseline"], cv=GroupKFold(n_splits=3), groups=groups)
    splits = list(GroupKFold(n_splits=3).split(X, y, groups))
    np.testing.assert_allclose(result.summary["strategies"][0]["metrics"]["roc_auc"]["folds"],
                               _reference_auc(X, y, splits, LogisticRegression(max_iter=1000)))
    with pytest.raises(InvalidParameterError, match=r"cv=GroupKFold.*groups="):
        compare(X, y, strategies=["baseline"], cv=GroupKFold(n_splits=3))


def test_groups_split_by_a_splitter_that_ignores_them_are_named(grouped_data):
    X, y, groups = grouped_data
    with pytest.warns(BalancekitWarning, match="groups: 3 of the 3 splits"):
        compare(X, y, strategies=["baseline"], cv=StratifiedKFold(3), groups=groups)



def _customers(sizes, rare_per_group=2, seed=0):
    """Rows of customers of the given sizes, ``rare_per_group`` rare rows in each."""
    rng = np.random.RandomState(seed)
    groups = np.concatenate([np.full(size, g) for g, size in enumerate(sizes)])
    y = np.concatenate([np.r_[np.ones(rare_per_group), np.zeros(size - rare_per_group)]
                        for size in sizes]).astype(int)
    X = rng.normal(size=(y.size, 3))
    X[:, 0] += y
    return pd.DataFrame(X, columns=["a", "b", "c"]), y, groups


def test_grouped_repeats_that_give_the_same_folds_are_counted_once():
    # Customers of 30 different sizes spread their classes each differently: a shuffled
    # stratified group split then gives the same folds for every seed. Counting them
    # once per repeat would give the t-test 15 "folds" of 5 distinct ones.
    X, y, groups = _customers(range(10, 40))
    keys = set()
    for seed in check_random_state(0).randint(np.iinfo(np.int32).max, size=12):
        folds = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=seed).split(
            X, y, groups)
        keys.add(frozenset(frozenset(np.unique(groups[test])) for _, test in folds))
    if len(keys) > 1:  # the data is made for scikit-learn 1.9's split
        pytest.skip("this scikit-learn's StratifiedGroupKFold reshuffles these groups")
    with pytest.warns(BalancekitWarning, match="repeats=3: the groups allow 1 distinct split"):
        result = compare(X, y, strategies=["baseline", "random_under"], cv=5, repeats=3,
                         groups=groups, random_state=0)
    assert result.summary["settings"]["n_folds"] == 5
    # Groups of equal sizes are reshuffled: the repeats differ and all are kept.
    X, y, groups = _customers([12] * 30)
    with warnings.catch_warnings():
        warnings.simplefilter("error", BalancekitWarning)
        result = compare(X, y, strategies=["baseline"], cv=5, repeats=3, groups=groups,
                         random_state=0)
    assert result.summary["settings"]["n_folds"] == 15


def test_groups_of_mixed_types_split_as_their_values():
    X, y, groups = _customers([12] * 30)
    mixed = np.array([g if g % 2 else f"c{g}" for g in groups], dtype=object)
    as_given = compare(X, y, strategies=["baseline"], cv=3, groups=mixed, random_state=1)
    as_numbers = compare(X, y, strategies=["baseline"], cv=3, groups=pd.factorize(mixed)[0],
                         random_state=1)
    assert (as_given.summary["strategies"][0]["metrics"]["roc_auc"]["folds"]
            == as_numbers.summary["strategies"][0]["metrics"]["roc_auc"]["folds"])


class _CountingModel(ClassifierMixin, BaseEstimator):
    """A logistic regression that counts its fits and records the columns it gets."""

    fits = []

    def fit(self, X, y):
        _CountingModel.fits.append(list(X.columns))
        self.model_ = LogisticRegression(max_iter=1000).fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(X)

    def predict_proba(self, X):
        return self.model_.predict_proba(X)


def test_a_training_fold_without_a_class_is_an_error_before_any_fit(numeric_data):
    X, y = numeric_data
    rare = np.flatnonzero(y == 1)
    others = np.flatnonzero(y == 0)
    # The first split trains on majority rows only (as an early time window can).
    splits = [(others[:100], np.r_[others[100:], rare]), (np.r_[others[:150], rare[:10]],
                                                           np.r_[others[150:], rare[10:]])]
    _CountingModel.fits.clear()
    with pytest.raises(DataError, match=r"fold 1 of 2 has no row of class 1 in its training"):
        compare(X, y, strategies=["baseline", "smote"], estimator=_CountingModel(), cv=splits)
    assert _CountingModel.fits == []


def test_validation_folds_without_the_rare_class_are_named(numeric_data):
    X, y = numeric_data
    rare = np.flatnonzero(y == 1)
    others = np.flatnonzero(y == 0)
    splits = [(np.r_[others[:150], rare], others[150:]),
              (np.r_[others[50:], rare[:20]], np.r_[others[:50], rare[20:]])]
    with pytest.warns(BalancekitWarning, match=r"1 of the 2 validation folds hold no row of "
                      r"the rare class 1 \(fold 1 of 2\)"):
        result = compare(X, y, strategies=["baseline", "random_under"], cv=splits, n_jobs=1)
    assert any("hold no row of the rare class" in note for note in result.summary["notes"])
    # scikit-learn's metrics say the same on that fold ("Recall is ill-defined", "y_pred
    # contains classes not in y_true"), in every strategy's warnings: left out there.
    for entry in result.summary["strategies"]:
        assert not [w for w in entry["warnings"]
                    if "UndefinedMetricWarning" in w or "not in y_true" in w
                    or "single label" in w], entry["warnings"]


def test_every_strategy_gives_the_model_the_same_columns(mixed_data):
    # SMOTENC and SMOTEN encode the categories after resampling: the model still gets the
    # numeric columns first, under their names, then cat__<column>_<value>, as elsewhere.
    X, y = mixed_data
    _CountingModel.fits.clear()
    compare(X, y, strategies=["baseline", "smotenc", "random_under", "class_weight"],
            estimator=_CountingModel(), cv=3)
    assert len({tuple(columns) for columns in _CountingModel.fits}) == 1
    assert len(_CountingModel.fits) >= 9


def test_numeric_columns_named_like_one_hot_columns_keep_every_column(mixed_data):
    # A table saved from a ColumnTransformer can hold a number named cat__city_north
    # beside the column city: the one-hot columns then take another prefix.
    X, y = mixed_data
    X = X.assign(cat__city_north=np.arange(len(y), dtype=float), cat1__kind_a=1.0)
    _CountingModel.fits.clear()
    result = compare(X, y, strategies=["baseline", "smotenc"], estimator=_CountingModel(),
                     cv=3)
    assert result.summary["failed"] == []
    columns = {tuple(columns) for columns in _CountingModel.fits}
    assert len(columns) == 1
    (columns,) = columns
    assert len(set(columns)) == len(columns)
    assert {"cat__city_north", "cat1__kind_a", "cat2__city_north", "cat2__kind_a"} <= set(columns)

def test_overlapping_splits_pool_the_first_disjoint_ones(numeric_data):
    X, y = numeric_data
    splitter = StratifiedShuffleSplit(n_splits=4, test_size=0.25, random_state=0)
    result = compare(X, y, strategies=["baseline"], cv=splitter)
    summary = result.summary
    assert summary["settings"]["pooled"] == (
        "the first 1 of the 4 splits (the later ones validate rows already pooled)")
    matrix = np.array(summary["curves"]["strategies"][0]["confusion"]["matrix"])
    assert matrix.sum() == 60
    assert "the first 1 of the 4 splits" in result.to_html()


def test_ranking_by_a_score_with_one_vs_one_scores_fails_before_any_fit():
    X, y = make_classification(n_samples=300, n_classes=3, n_informative=4,
                               weights=[0.6, 0.3, 0.1], random_state=0)
    with pytest.raises(InvalidParameterError, match="one-vs-one.*rank by a metric of the "
                       "predicted labels"):
        compare(X, y, strategies=["baseline"], cv=3,
                estimator=SVC(decision_function_shape="ovo"))

def test_cv_none_is_five_folds_as_in_scikit_learn(numeric_data):
    X, y = numeric_data
    result = compare(X, y, strategies=["baseline"], cv=None)
    assert result.summary["settings"]["cv"] == 5
    default = compare(X, y, strategies=["baseline"]).summary
    assert result.summary["settings"] == default["settings"]
    assert result.summary["ranking"][0]["mean"] == default["ranking"][0]["mean"]


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"cv": 3.0}, InvalidParameterTypeError, "cv must be an integer.*splitter.*float"),
        ({"cv": True}, InvalidParameterTypeError, "cv must be an integer.*bool"),
        ({"cv": "5"}, InvalidParameterTypeError, "cv must be an integer.*str"),
        # The class itself: "could not split the 200 rows: Input should have at least 1
        # dimension" before.
        ({"cv": StratifiedKFold}, InvalidParameterTypeError, "write StratifiedKFold\\(\\) instead"),
        ({"cv": StratifiedKFold(3), "repeats": 2}, InvalidParameterError,
         r"repeats=2 applies to an integer cv only.*StratifiedKFold"),
        ({"cv": [], }, InvalidParameterError, "no \\(train, test\\) split"),
        ({"cv": [(np.arange(100), np.arange(90, 240))]}, InvalidParameterError,
         "split 1 has 10 row"),
        ({"cv": [(np.arange(100), np.arange(100, 300))]}, InvalidParameterError,
         r"split 1: the test rows must be positions in 0..239"),
        ({"cv": [(np.arange(100),)]}, InvalidParameterTypeError, "not a \\(train, test\\) pair"),
        ({"cv": [(np.arange(100), np.r_[np.arange(100, 240), np.arange(200, 240)])]},
         InvalidParameterError, "split 1 repeats 40 of its test rows"),
        ({"groups": np.arange(10)}, DataError, "groups must have one value per row"),
        ({"groups": np.r_[np.nan, np.arange(239.0)]}, DataError,
         "groups has 1 missing value.*row 0"),
        ({"groups": np.arange(240) % 2}, DataError, "cv=3 needs at least 3 groups.*2 distinct"),
    ],
)
def test_invalid_cv_and_groups(numeric_data, kwargs, error, match):
    X, y = numeric_data
    kwargs = {"cv": 3, **kwargs}
    with pytest.raises(error, match=match) as info:
        compare(X, y, strategies=["baseline"], **kwargs)
    assert "array(" not in str(info.value) and len(str(info.value)) < 400


def test_a_ranking_metric_undefined_on_every_fold_is_refused_before_any_fit(numeric_data):
    from sklearn.model_selection import LeaveOneOut

    X, y = numeric_data
    X, y = X.iloc[:40], y[:40]
    fits = []
    sampler = FunctionSampler(func=lambda X, y: (fits.append(1), (X, y))[1], validate=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and before the note on folds without the rare class
        with pytest.raises(InvalidParameterError,
                           match=r"default scoring 'pr_auc'.*none of the 40 folds.*'recall'"):
            compare(X, y, strategies=["baseline", ("mine", sampler)], cv=LeaveOneOut())
    assert fits == []
    with pytest.warns(BalancekitWarning, match="hold no row of the rare class"):
        result = compare(X, y, strategies=["baseline"], cv=LeaveOneOut(), scoring="recall")
    assert result.recommendation["strategy"] == "baseline"


def test_given_splits_may_repeat_training_rows(numeric_data):
    # A bootstrap draws training rows with replacement; only validation rows must be unique.
    X, y = numeric_data
    rows = np.arange(len(y))
    result = compare(X, y, strategies=["baseline"], cv=[(np.r_[rows[:120], rows[:40]],
                                                         rows[120:])])
    assert result.summary["strategies"][0]["status"] == "ok"
    assert "1 strategy," in repr(result)


# ----------------------------------------------------------------------------------------------
# The preprocessing the model receives
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "estimator",
    [MultinomialNB(), ComplementNB(),
     make_sklearn_pipeline(SelectKBest(chi2, k=2), LogisticRegression())],
    ids=["multinomial", "complement", "chi2"],
)
def test_models_that_need_non_negative_input_run_on_min_max_scaled_data(estimator):
    rng = np.random.RandomState(0)
    y = (rng.rand(150) < 0.2).astype(int)
    X = pd.DataFrame(rng.poisson(np.where(y[:, None] == 1, 3.0, 1.0), size=(150, 4)),
                     columns=list("abcd"))
    result = compare(X, y, strategies=["baseline", "random_over"], estimator=estimator, cv=3)
    assert [s["status"] for s in result.summary["strategies"]] == ["ok", "ok"]
    assert "min-max scaling" in result.summary["settings"]["preprocessing"]
    expected = []
    for train, test in RepeatedStratifiedKFold(n_splits=3, n_repeats=1,
                                               random_state=0).split(X, y):
        model = make_sklearn_pipeline(SimpleImputer(strategy="median"), MinMaxScaler(clip=True),
                                      clone(estimator)).fit(X.iloc[train], y[train])
        expected.append(average_precision_score(y[test], model.predict_proba(X.iloc[test])[:, 1]))
    np.testing.assert_allclose(result.summary["strategies"][0]["metrics"]["pr_auc"]["folds"],
                               expected)


def test_a_model_pipeline_can_select_numeric_columns_by_name(mixed_data):
    X, y = mixed_data
    select = ColumnTransformer([("keep", "passthrough", ["amount", "age"])])
    estimator = make_sklearn_pipeline(select, LogisticRegression())
    result = compare(X, y, strategies=["baseline", "class_weight", "random_over", "smote"],
                     estimator=estimator, cv=3)
    # class_weight weights the pipeline's final step.
    assert {s["name"]: s["status"] for s in result.summary["strategies"]} == {
        "baseline": "ok", "class_weight": "ok", "random_over": "ok", "smote": "ok"}
    assert "SMOTENC" in result.summary["strategies"][3]["description"]


def test_class_weight_is_skipped_by_default_for_a_model_that_takes_no_weights(numeric_data):
    X, y = numeric_data
    knn = KNeighborsClassifier(n_neighbors=3)
    result = compare(X, y, estimator=knn, cv=2)
    names = [s["name"] for s in result.summary["strategies"]]
    assert "class_weight" not in names and "random_over" in names
    assert result.summary["failed"] == []
    assert {"strategy": "class_weight", "reason": "the model (KNeighborsClassifier) has no "
            "class_weight parameter and its fit does not accept sample_weight."} in (
        result.summary["skipped"])
    # Named, it runs and fails with the advice to resample.
    with pytest.warns(BalancekitWarning, match="1 of 2 strategies failed"):
        named = compare(X, y, estimator=knn, cv=2, strategies=["baseline", "class_weight"])
    assert "RandomOverSampler()" in named.summary["failed"][0]["error"]


def test_a_classifier_whose_predict_appears_once_fitted_is_compared(numeric_data):
    # A StackingClassifier without its final estimator offers predict and predict_proba
    # only once fitted: compare asks the fitted model on each fold.
    X, y = numeric_data
    model = StackingClassifier([("lr", LogisticRegression()), ("nb", GaussianNB())], cv=2)
    result = compare(X, y, strategies=["baseline", "class_weight"], estimator=model, cv=3)
    assert result.summary["failed"] == []
    assert result.summary["settings"]["score_method"] == "predict_proba"
    expected = []
    for train, test in RepeatedStratifiedKFold(n_splits=3, n_repeats=1,
                                               random_state=0).split(X, y):
        fitted = make_sklearn_pipeline(StandardScaler(), clone(model)).fit(X.iloc[train],
                                                                           y[train])
        expected.append(average_precision_score(y[test], fitted.predict_proba(X.iloc[test])[:, 1]))
    np.testing.assert_allclose(result.summary["strategies"][0]["metrics"]["pr_auc"]["folds"],
                               expected)


def test_every_default_strategy_still_runs_on_mixed_data(mixed_data):
    X, y = mixed_data
    result = compare(X, y, cv=2)
    assert result.summary["failed"] == []


# ----------------------------------------------------------------------------------------------
# A baseline that already balances, undefined precision
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "estimator",
    [LogisticRegression(class_weight="balanced"),
     make_sklearn_pipeline(StandardScaler(), LogisticRegression(class_weight={0: 1, 1: 5}))],
    ids=["plain", "pipeline"],
)
def test_a_model_that_weights_the_classes_is_not_called_unweighted(numeric_data, estimator):
    X, y = numeric_data
    with pytest.warns(BalancekitWarning, match="already weights the classes.*class_weight="):
        result = compare(X, y, strategies=["baseline"], estimator=estimator, cv=3)
    assert any("already weights" in note for note in result.summary["notes"])
    # The class_weight strategy replaces the model's weights; it adds nothing on top.
    note = next(note for note in result.summary["notes"] if "already weights" in note)
    assert "'class_weight' strategy replaces its class weights" in note
    ranking = [{"rank": 1, "strategy": "baseline", "mean": 0.5, "within_noise": None,
                "diff_vs_baseline": None},
               {"rank": 2, "strategy": "smote", "mean": 0.4, "within_noise": True,
                "diff_vs_baseline": -0.1}]
    weighted = recommend(ranking, "pr_auc", baseline_weighted=True)["message"]
    assert "Training on the data as it is" not in weighted and "already weights" in weighted
    assert "Training on the data as it is" in recommend(ranking, "pr_auc")["message"]


@pytest.mark.parametrize(
    "estimator",
    [
        BalancedRandomForestClassifier(n_estimators=5, random_state=0),
        EasyEnsembleClassifier(n_estimators=2, random_state=0),
        make_sklearn_pipeline(StandardScaler(), RUSBoostClassifier(n_estimators=5,
                                                                   random_state=0)),
    ],
    ids=["balanced-random-forest", "easy-ensemble", "pipeline-rusboost"],
)
def test_a_balanced_ensemble_is_not_called_training_without_resampling(numeric_data, estimator):
    # The balanced ensembles resample the training rows of each member without being
    # samplers: 'baseline' is then a balanced model, which the recommendation must not call
    # training on the data as it is.
    X, y = numeric_data
    name = type(estimator.steps[-1][1] if hasattr(estimator, "steps") else estimator).__name__
    with pytest.warns(BalancekitWarning, match=f"already resamples the data \\({name}\\)"):
        result = compare(X, y, strategies=["baseline", "random_under"], estimator=estimator,
                         cv=2)
    assert any("already resamples" in note for note in result.summary["notes"])
    assert "without resampling" not in result.recommendation["message"]
    assert "Training on the data as it is" not in result.recommendation["message"]


def test_an_unweighted_model_gives_no_balancing_warning(numeric_data, recwarn):
    X, y = numeric_data
    result = compare(X, y, strategies=["baseline", "class_weight"], cv=3)
    assert not _messages(recwarn, "already")
    assert not any("already" in note for note in result.summary["notes"])


def test_undefined_precision_is_counted_and_said_once():
    X, y = make_classification(n_samples=300, n_features=4, n_informative=2, n_redundant=0,
                               weights=[0.95], class_sep=0.3, random_state=0)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        result = compare(X, y, strategies=["baseline", "random_over"], cv=3, repeats=2)
    said = _messages(record, "precision is undefined")
    entry = result.summary["strategies"][0]
    splits = RepeatedStratifiedKFold(n_splits=3, n_repeats=2, random_state=0).split(X, y)
    none_predicted, precision = 0, []
    for train, test in splits:
        model = make_sklearn_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        pred = model.fit(X[train], y[train]).predict(X[test])
        none_predicted += int(not (pred == 1).any())
        precision.append(precision_score(y[test], pred, zero_division=0.0))
    assert none_predicted > 0  # the data is made for it
    assert entry["precision_undefined_folds"] == none_predicted
    assert result.summary["strategies"][1]["precision_undefined_folds"] == 0
    np.testing.assert_allclose(entry["metrics"]["precision"]["folds"], precision)
    folds = f"{none_predicted} fold{'s' if none_predicted > 1 else ''}"
    assert len(said) == 1 and f"on {folds} of 1 strategy:" in said[0]
    # Ranked by PR-AUC, which precision does not enter: no advice to rank by PR-AUC.
    assert "does not use it" in said[0] and "rank by another scoring" not in said[0]
    assert said[0] in result.summary["notes"]


def test_a_failure_names_its_fold(numeric_data):
    X, y = numeric_data
    X, y = X.iloc[:238], y[:238]
    folds = list(RepeatedStratifiedKFold(n_splits=3, n_repeats=1, random_state=0).split(X, y))
    sizes = [len(train) for train, _ in folds]
    first_size = sizes[0]
    failing = next(i for i, n in enumerate(sizes) if n != first_size)

    class FailsOnAnotherFold(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            if len(y) != first_size:
                raise RuntimeError("boom")
            return super().fit(X, y, sample_weight=sample_weight)

    result = compare(X, y, strategies=["baseline"], estimator=FailsOnAnotherFold(), cv=3)
    assert result.summary["failed"][0]["error"] == f"RuntimeError: boom (on fold {failing + 1} of 3)"


def test_many_whole_number_classes_are_called_a_measurement():
    rng = np.random.RandomState(0)
    y = np.repeat(np.arange(18, 48), 4)
    X = rng.normal(size=(y.size, 2))
    with pytest.warns(BalancekitWarning, match="30 classes.*looks like a measurement"):
        compare(X, y, strategies=["baseline"], cv=2, scoring="f1")
    labels = np.array([f"c{v}" for v in y])  # text labels are class names, whatever their number
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        compare(X, labels, strategies=["baseline"], cv=2, scoring="f1")
    assert not _messages(record, "measurement")


def test_the_report_shows_the_splits_and_the_notes(grouped_data):
    X, y, groups = grouped_data
    result = compare(X, y, strategies=["baseline"], cv=TimeSeriesSplit(n_splits=3),
                     estimator=LogisticRegression(class_weight="balanced"), scoring="f1")
    page = result.to_html()
    assert "3 splits (TimeSeriesSplit)" in page and "None-fold" not in page
    assert "already weights the classes" in page


class _InterruptAfter:
    """A progress callback that presses Ctrl-C once ``fits`` fits are done."""

    def __init__(self, fits):
        self.fits = fits

    def __call__(self, done, total, description):
        if done == self.fits:
            raise KeyboardInterrupt


@pytest.mark.parametrize("n_jobs", [None, 2])
def test_an_interrupt_keeps_the_strategies_whose_every_fold_was_fitted(numeric_data, n_jobs):
    X, y = numeric_data
    names = ["baseline", "random_under", "smote", "class_weight"]
    # Ctrl-C after 7 fits of 3 folds: the first two strategies are complete, the third is not.
    with joblib.parallel_config(backend="threading"):
        with pytest.raises(ComparisonInterrupted) as info:
            compare(X, y, strategies=names, cv=3, n_jobs=n_jobs, progress=_InterruptAfter(7))
    assert isinstance(info.value, KeyboardInterrupt)
    assert isinstance(info.value.__cause__, KeyboardInterrupt)
    partial = info.value.partial.summary
    done = [s["name"] for s in partial["strategies"]]
    if n_jobs is None:  # one after the other: the first two, in order
        assert done == names[:2]
    assert done and set(done) | set(info.value.not_run) == set(names)
    assert partial["not_run"] == info.value.not_run == [n for n in names if n not in done]
    assert any("interrupted" in note and "not run" in note for note in partial["notes"])
    assert partial["pca"] is None
    # Those strategies are compared as a run of them alone compares them.
    alone = compare(X, y, strategies=done, cv=3).summary
    assert [r["strategy"] for r in partial["ranking"]] == [r["strategy"] for r in alone["ranking"]]
    for a, b in zip(partial["strategies"], alone["strategies"], strict=True):
        assert a["metrics"]["pr_auc"]["folds"] == pytest.approx(b["metrics"]["pr_auc"]["folds"])
    assert partial["recommendation"]["message"] == alone["recommendation"]["message"]
    json.loads(info.value.partial.to_json())
    assert f"not run: {', '.join(partial['not_run'])}" in info.value.partial.to_html()


def test_an_interrupt_that_leaves_the_baseline_alone_says_so(numeric_data):
    X, y = numeric_data
    with pytest.raises(ComparisonInterrupted) as info:
        compare(X, y, strategies=["baseline", "smote", "random_under"], cv=3,
                progress=_InterruptAfter(4))
    message = info.value.partial.recommendation["message"]
    assert "interrupted before smote, random_under had every fold fitted" in message
    assert "Add strategies" not in message


def test_an_interrupt_before_any_strategy_is_complete_goes_on_as_it_came(numeric_data):
    X, y = numeric_data
    with pytest.raises(KeyboardInterrupt) as info:
        compare(X, y, strategies=["baseline", "smote"], cv=3, progress=_InterruptAfter(2))
    assert type(info.value) is KeyboardInterrupt


def test_fold_g_mean_leaves_out_a_class_only_predicted():
    """A validation fold without class 'b' in which the model predicts 'b': its G-mean is over
    the fold's classes, as the balanced accuracy (it was 0, with no note)."""
    rng = np.random.default_rng(0)
    y = np.array(["a"] * 60 + ["b"] * 30 + ["c"] * 10)
    X = pd.DataFrame({"x": np.r_[rng.normal(0, 1, 60), rng.normal(3, 1, 30),
                                 rng.normal(6, 0.5, 10)], "z": rng.normal(size=100)})
    test = np.r_[0:10, 90:93]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = compare(X, y, strategies=["baseline"], scoring="g_mean",
                         cv=[(np.setdiff1d(np.arange(100), test), test)])
    curves = result.summary["curves"]["strategies"][0]["confusion"]
    matrix = np.array(curves["matrix"])
    assert matrix[:, curves["labels"].index("b")].sum() > 0  # 'b' predicted, none there
    y_true = np.repeat(curves["labels"], matrix.sum(axis=1))
    y_pred = np.concatenate([np.repeat(curves["labels"], row) for row in matrix])
    fold = result.summary["strategies"][0]["metrics"]["g_mean"]["folds"][0]
    assert fold > 0
    assert fold == pytest.approx(geometric_mean_score(y_true, y_pred, labels=["a", "c"]))
