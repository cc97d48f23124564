"""Tests of balancekit.metrics, cross-checked against imbalanced-learn and scikit-learn."""

import inspect
import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    classification_report,
    confusion_matrix,
    f1_score,
    matthews_corrcoef,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.utils.multiclass import type_of_target, unique_labels

import balancekit.metrics as bk
from balancekit.exceptions import DataError, InvalidParameterError, InvalidParameterTypeError

imblearn_metrics = pytest.importorskip("imblearn.metrics")

pytestmark = pytest.mark.filterwarnings(
    "ignore::sklearn.exceptions.UndefinedMetricWarning",
    "ignore:Note that pos_label:UserWarning",
    "ignore:y_pred contains classes not in y_true:UserWarning",
)

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

POOLS = {
    "int": [-1, 2, 5, 9],
    "str": ["ant", "bee", "cat", "dog"],
}


@st.composite
def label_pairs(draw, min_classes=1, max_classes=4, weights=True):
    """(y_true, y_pred, integer sample weights or None) over int or str labels."""
    pool = POOLS[draw(st.sampled_from(sorted(POOLS)))]
    pool = pool[: draw(st.integers(min_classes, max_classes))]
    n = draw(st.integers(1, 30))
    labels = st.lists(st.sampled_from(pool), min_size=n, max_size=n)
    y_true, y_pred = np.array(draw(labels)), np.array(draw(labels))
    sample_weight = None
    if weights and draw(st.booleans()):
        sample_weight = np.array(draw(st.lists(st.integers(1, 3), min_size=n, max_size=n)))
    return y_true, y_pred, sample_weight


def target_kind(y_true, y_pred):
    kinds = {type_of_target(y_true), type_of_target(y_pred)}
    if kinds == {"binary"} and unique_labels(y_true, y_pred).size <= 2:
        return "binary"
    return "multiclass"


def averages_for(y_true, y_pred):
    kind = target_kind(y_true, y_pred)
    return [None, "micro", "macro", "weighted"] + (["binary"] if kind == "binary" else [])


def expand(y_true, y_pred, sample_weight):
    """Repeat each sample ``sample_weight`` times (integer weights)."""
    if sample_weight is None:
        return y_true, y_pred
    return np.repeat(y_true, sample_weight), np.repeat(y_pred, sample_weight)


def reference_rates(y_true, y_pred, labels, sample_weight=None):
    """Weighted tp, fp, fn, tn per label, counted directly."""
    w = np.ones(len(y_true)) if sample_weight is None else np.asarray(sample_weight, float)
    counts = []
    for label in labels:
        t, p = y_true == label, y_pred == label
        counts.append([w[t & p].sum(), w[~t & p].sum(), w[t & ~p].sum(), w[~t & ~p].sum()])
    return np.array(counts).T


def assert_same(ours, theirs):
    """Compare floats, arrays and tuples of them (None compares to None)."""
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs, strict=True):
            assert_same(a, b)
    elif theirs is None:
        assert ours is None
    else:
        np.testing.assert_allclose(np.asarray(ours, float), np.asarray(theirs, float), atol=1e-12)


def json_types_only(value):
    if isinstance(value, dict):
        return all(isinstance(k, str) and json_types_only(v) for k, v in value.items())
    if isinstance(value, list):
        return all(json_types_only(v) for v in value)
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or type(value) in (bool, int, str)


def binary_case(labels=(0, 1), n_neg=68, n_pos=12, seed=0):
    """Imbalanced binary labels, probabilities for labels[1] and thresholded predictions."""
    rng = np.random.RandomState(seed)
    neg, pos = labels
    y = np.array([neg] * n_neg + [pos] * n_pos, dtype=object if isinstance(neg, str) else None)
    y = np.asarray(y.tolist())
    rng.shuffle(y)
    is_pos = y == pos
    proba = np.clip(rng.normal(0.3 + 0.35 * is_pos, 0.18), 0.0, 1.0)
    pred = np.where(proba > 0.5, pos, neg)
    return y, pred, proba


def multiclass_case(seed=0, n=90):
    rng = np.random.RandomState(seed)
    labels = np.array(["high", "low", "mid"])
    y = rng.choice(labels, n, p=[0.1, 0.7, 0.2])
    logits = rng.normal(size=(n, 3)) + 1.5 * (y[:, None] == labels[None, :])
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    pred = labels[proba.argmax(axis=1)]
    return y, pred, proba, logits


# ---------------------------------------------------------------------------
# sensitivity / specificity / support
# ---------------------------------------------------------------------------


@settings(SETTINGS, max_examples=15)
@given(data=label_pairs(), choice=st.data())
def test_sensitivity_specificity_support_matches_imblearn(data, choice):
    y_true, y_pred, sample_weight = data
    present = unique_labels(y_true, y_pred).tolist()
    pos_label = choice.draw(st.sampled_from(present))
    rep_true, rep_pred = expand(y_true, y_pred, sample_weight)
    for average in averages_for(y_true, y_pred):
        ours = bk.sensitivity_specificity_support(
            y_true, y_pred, average=average, pos_label=pos_label, sample_weight=sample_weight
        )
        theirs = imblearn_metrics.sensitivity_specificity_support(
            rep_true, rep_pred, average=average, pos_label=pos_label
        )
        assert_same(ours, theirs)
        for ours_fn, theirs_fn in (
            (bk.sensitivity_score, imblearn_metrics.sensitivity_score),
            (bk.specificity_score, imblearn_metrics.specificity_score),
        ):
            assert_same(
                ours_fn(
                    y_true,
                    y_pred,
                    average=average,
                    pos_label=pos_label,
                    sample_weight=sample_weight,
                ),
                theirs_fn(rep_true, rep_pred, average=average, pos_label=pos_label),
            )


@SETTINGS
@given(data=label_pairs(min_classes=2), choice=st.data())
def test_labels_subset_and_order_match_imblearn(data, choice):
    y_true, y_pred, _ = data
    pool = sorted(set(POOLS["int"]) if y_true.dtype.kind in "iu" else set(POOLS["str"]))
    labels = choice.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4, unique=True))
    for average in (None, "micro", "macro", "weighted"):
        ours = bk.sensitivity_specificity_support(y_true, y_pred, labels=labels, average=average)
        theirs = imblearn_metrics.sensitivity_specificity_support(
            y_true, y_pred, labels=labels, average=average
        )
        if average == "weighted" and not np.isin(y_true, labels).any():
            # No label listed has a true sample, so no weight: the plain mean of the
            # labels' values, as scikit-learn averages then (imbalanced-learn gives 0).
            sens, spec, _ = bk.sensitivity_specificity_support(y_true, y_pred, labels=labels)
            theirs = (np.mean(sens), np.mean(spec), None)
        assert_same(ours, theirs)


@SETTINGS
@given(data=label_pairs(weights=False), weights=st.data())
def test_float_sample_weight_matches_direct_counts(data, weights):
    y_true, y_pred, _ = data
    w = np.array(
        weights.draw(st.lists(st.floats(0.01, 10.0), min_size=len(y_true), max_size=len(y_true)))
    )
    labels = unique_labels(y_true, y_pred)
    tp, fp, fn, tn = reference_rates(y_true, y_pred, labels, w)
    sens, spec, support = bk.sensitivity_specificity_support(
        y_true, y_pred, sample_weight=w, zero_division=np.nan
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        np.testing.assert_allclose(sens, tp / (tp + fn), rtol=1e-10)
        np.testing.assert_allclose(spec, tn / (tn + fp), rtol=1e-10)
    np.testing.assert_allclose(support, tp + fn, rtol=1e-10)
    assert np.all((spec[~np.isnan(spec)] >= 0) & (spec[~np.isnan(spec)] <= 1))
    micro_sens, micro_spec, _ = bk.sensitivity_specificity_support(
        y_true, y_pred, sample_weight=w, average="micro"
    )
    assert micro_sens == pytest.approx(tp.sum() / (tp + fn).sum())
    assert micro_spec == pytest.approx(tn.sum() / (tn + fp).sum() if (tn + fp).sum() else 0.0)


def test_specificity_with_sample_weight_is_a_rate():
    # imbalanced-learn mixes a sample count with weighted sums here (its issue #1180).
    y_true, y_pred, w = [0, 0, 1, 1], [0, 1, 1, 1], [1.0, 2.0, 3.0, 4.0]
    _, spec, _ = bk.sensitivity_specificity_support(y_true, y_pred, sample_weight=w)
    np.testing.assert_allclose(spec, [7.0 / 7.0, 1.0 / 3.0])


def test_sensitivity_is_sklearn_recall_and_specificity_its_complement():
    rng = np.random.RandomState(1)
    y_true, y_pred = rng.randint(0, 4, 50), rng.randint(0, 4, 50)
    w = rng.rand(50)
    for average in (None, "micro", "macro", "weighted"):
        assert_same(
            bk.sensitivity_score(y_true, y_pred, average=average, sample_weight=w),
            recall_score(y_true, y_pred, average=average, sample_weight=w),
        )
    # specificity of class c == recall of "not c" in the one-vs-rest problem
    spec = bk.specificity_score(y_true, y_pred, average=None, sample_weight=w)
    for i, label in enumerate(range(4)):
        expected = recall_score(y_true != label, y_pred != label, sample_weight=w)
        assert spec[i] == pytest.approx(expected)


def test_multilabel_targets_follow_sklearn():
    rng = np.random.RandomState(2)
    y_true, y_pred = rng.randint(0, 2, (30, 4)), rng.randint(0, 2, (30, 4))
    w = rng.rand(30)
    for average in (None, "micro", "macro", "weighted", "samples"):
        assert_same(
            bk.sensitivity_score(
                y_true, y_pred, average=average, sample_weight=w, zero_division=0.0
            ),
            recall_score(y_true, y_pred, average=average, sample_weight=w, zero_division=0.0),
        )
        if average == "weighted":
            continue  # weighted by the positives of each label, not by the negatives
        assert_same(
            bk.specificity_score(
                y_true, y_pred, average=average, sample_weight=w, zero_division=0.0
            ),
            recall_score(
                1 - y_true, 1 - y_pred, average=average, sample_weight=w, zero_division=0.0
            ),
        )
    spec, support = bk.sensitivity_specificity_support(y_true, y_pred, sample_weight=w)[1:]
    assert bk.specificity_score(
        y_true, y_pred, average="weighted", sample_weight=w
    ) == pytest.approx(np.average(spec, weights=support))
    np.testing.assert_allclose(support, (y_true * w[:, None]).sum(axis=0))


def test_zero_division_values_and_warning():
    y_true, y_pred = [0, 0, 1], [0, 0, 0]
    with pytest.warns(UndefinedMetricWarning, match="Sensitivity is ill-defined"):
        sens = bk.sensitivity_score(y_true, y_pred, labels=[0, 1, 7], average=None)
    np.testing.assert_allclose(sens, [1.0, 0.0, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ones = bk.sensitivity_score(
            y_true, y_pred, labels=[0, 1, 7], average=None, zero_division=1.0
        )
        nans = bk.sensitivity_score(
            y_true, y_pred, labels=[0, 1, 7], average=None, zero_division=np.nan
        )
        macro = bk.sensitivity_score(
            y_true, y_pred, labels=[0, 1, 7], average="macro", zero_division=np.nan
        )
    np.testing.assert_allclose(ones, [1.0, 0.0, 1.0])
    assert np.isnan(nans[2]) and nans[1] == 0.0
    assert macro == pytest.approx(0.5)  # NaN entries are left out of the average


def test_pos_label_absent_from_single_class_target():
    # As scikit-learn's recall: undefined sensitivity, specificity computed normally.
    sens, spec, support = bk.sensitivity_specificity_support(
        [0, 0, 0], [0, 0, 0], average="binary", zero_division=0.0
    )
    assert (sens, spec, support) == (0.0, 1.0, None)
    assert sens == recall_score([0, 0, 0], [0, 0, 0], zero_division=0.0)
    # A pos_label of another kind than the labels (text among numbers) is no class at all.
    with pytest.raises(InvalidParameterError, match=r"pos_label='a' is not a valid label"):
        bk.specificity_score([1, 1, 1], [1, 1, 1], pos_label="a")
    assert bk.specificity_score(["b", "b"], ["b", "b"], pos_label="a") == 1.0


def test_report_averages_leave_out_undefined_values():
    y_true, y_pred = ["a", "b", "b", "a", "c"], ["a", "b", "a", "a", "b"]  # 'c' never predicted
    ours = bk.classification_report_imbalanced(y_true, y_pred, zero_division=np.nan,
                                               output_dict=True)
    theirs = classification_report(y_true, y_pred, zero_division=np.nan, output_dict=True)
    assert np.isnan(ours["c"]["pre"])
    assert ours["avg_pre"] == pytest.approx(theirs["weighted avg"]["precision"])
    assert ours["avg_rec"] == pytest.approx(theirs["weighted avg"]["recall"])


def test_inputs_pandas_polars_and_column_vectors():
    y_true, y_pred, _ = binary_case(labels=("no", "yes"))
    expected = bk.sensitivity_specificity_support(y_true, y_pred, pos_label="yes", average="binary")
    assert_same(
        bk.sensitivity_specificity_support(
            pd.Series(y_true), pd.Series(y_pred), pos_label="yes", average="binary"
        ),
        expected,
    )
    assert_same(
        bk.sensitivity_specificity_support(
            y_true[:, None], list(y_pred), pos_label="yes", average="binary"
        ),
        expected,
    )
    pl = pytest.importorskip("polars")
    assert_same(
        bk.sensitivity_specificity_support(
            pl.Series(y_true), pl.Series(y_pred), pos_label="yes", average="binary"
        ),
        expected,
    )


# ---------------------------------------------------------------------------
# geometric mean and index balanced accuracy
# ---------------------------------------------------------------------------


@SETTINGS
@given(data=label_pairs(), correction=st.sampled_from([0.0, 0.001, 0.3]), choice=st.data())
def test_geometric_mean_matches_imblearn(data, correction, choice):
    y_true, y_pred, sample_weight = data
    pos_label = choice.draw(st.sampled_from(unique_labels(y_true, y_pred).tolist()))
    rep_true, rep_pred = expand(y_true, y_pred, sample_weight)
    ours = bk.geometric_mean_score(
        y_true, y_pred, correction=correction, sample_weight=sample_weight
    )
    theirs = imblearn_metrics.geometric_mean_score(rep_true, rep_pred, correction=correction)
    assert ours == pytest.approx(theirs, abs=1e-12)
    # Multiclass G-mean needs no true negatives: imbalanced-learn is right with weights too.
    assert ours == pytest.approx(
        imblearn_metrics.geometric_mean_score(
            y_true, y_pred, correction=correction, sample_weight=sample_weight
        ),
        abs=1e-12,
    )
    for average in averages_for(y_true, y_pred):
        assert_same(
            bk.geometric_mean_score(
                y_true, y_pred, average=average, pos_label=pos_label, sample_weight=sample_weight
            ),
            imblearn_metrics.geometric_mean_score(
                rep_true, rep_pred, average=average, pos_label=pos_label
            ),
        )


def test_geometric_mean_with_labels_and_correction():
    y_true = [0, 1, 2, 0, 1, 2]
    y_pred = [0, 2, 1, 0, 0, 1]
    for labels in ([0, 1], [2, 0], [0, 1, 2, 3]):
        for correction in (0.0, 0.01):
            assert bk.geometric_mean_score(
                y_true, y_pred, labels=labels, correction=correction
            ) == pytest.approx(
                imblearn_metrics.geometric_mean_score(
                    y_true, y_pred, labels=labels, correction=correction
                )
            )
    # a perfect classifier scores 1, one that ignores a class scores 0
    assert bk.geometric_mean_score(y_true, y_true) == 1.0
    assert bk.geometric_mean_score([0, 0, 0, 1], [0, 0, 0, 0]) == 0.0


@SETTINGS
@given(
    data=label_pairs(min_classes=2, weights=False),
    alpha=st.sampled_from([0.0, 0.1, 0.5]),
    squared=st.booleans(),
)
def test_index_balanced_accuracy_matches_imblearn(data, alpha, squared):
    y_true, y_pred, _ = data
    ours_iba = bk.make_index_balanced_accuracy(alpha=alpha, squared=squared)
    theirs_iba = imblearn_metrics.make_index_balanced_accuracy(alpha=alpha, squared=squared)
    ours_gmean = ours_iba(bk.geometric_mean_score)
    theirs_gmean = theirs_iba(imblearn_metrics.geometric_mean_score)
    for average in ("multiclass", None, "macro", "weighted", "micro"):
        assert_same(
            ours_gmean(y_true, y_pred, average=average),
            theirs_gmean(y_true, y_pred, average=average),
        )
    assert_same(
        ours_iba(bk.sensitivity_score)(y_true, y_pred, average=None),
        theirs_iba(imblearn_metrics.sensitivity_score)(y_true, y_pred, average=None),
    )
    if target_kind(y_true, y_pred) == "binary":
        pos = unique_labels(y_true, y_pred)[-1]
        for func in (accuracy_score, f1_score, precision_score):
            kwargs = {} if func is accuracy_score else {"pos_label": pos}
            if func is accuracy_score and pos != 1:
                continue  # the dominance then needs pos_label, which accuracy_score lacks
            assert ours_iba(func)(y_true, y_pred, **kwargs) == pytest.approx(
                theirs_iba(func)(y_true, y_pred, **kwargs)
            )


def test_index_balanced_accuracy_keeps_signature_and_rejects_scores():
    decorated = bk.make_index_balanced_accuracy()(bk.geometric_mean_score)
    assert decorated.__name__ == "geometric_mean_score"
    assert inspect.signature(decorated) == inspect.signature(bk.geometric_mean_score)
    with pytest.raises(InvalidParameterTypeError, match="y_score"):
        bk.make_index_balanced_accuracy()(roc_auc_score)
    with pytest.raises(InvalidParameterTypeError, match="alpha"):
        bk.make_index_balanced_accuracy(alpha="0.1")


@pytest.mark.parametrize(
    "metric, named",
    [
        (brier_score_loss, "y_prob"),  # y_proba (y_prob before scikit-learn 1.7)
        (lambda labels, predicted: 1.0, "y_true and no y_pred"),
    ],
)
def test_index_balanced_accuracy_rejects_metrics_without_y_pred(metric, named):
    # such a metric used to be accepted, and its first call failed with a KeyError
    with pytest.raises(InvalidParameterTypeError, match=named):
        bk.make_index_balanced_accuracy()(metric)([0, 1, 1, 0], [0, 1, 0, 0])
    with pytest.raises(InvalidParameterTypeError, match="squared"):
        bk.make_index_balanced_accuracy(squared="yes")


# ---------------------------------------------------------------------------
# classification_report_imbalanced
# ---------------------------------------------------------------------------


@SETTINGS
@given(
    data=label_pairs(weights=False),
    digits=st.integers(0, 5),
    zero_division=st.sampled_from(["warn", 0]),
)
def test_classification_report_text_and_dict_match_imblearn(data, digits, zero_division):
    y_true, y_pred, _ = data
    kwargs = {"digits": digits, "zero_division": zero_division}
    assert bk.classification_report_imbalanced(y_true, y_pred, **kwargs) == (
        imblearn_metrics.classification_report_imbalanced(y_true, y_pred, **kwargs)
    )
    ours = bk.classification_report_imbalanced(y_true, y_pred, output_dict=True, **kwargs)
    theirs = imblearn_metrics.classification_report_imbalanced(
        y_true, y_pred, output_dict=True, **kwargs
    )
    assert ours.keys() == theirs.keys()
    for key, value in theirs.items():
        if isinstance(value, dict):
            assert ours[key].keys() == value.keys()
            for name in value:
                assert ours[key][name] == pytest.approx(value[name], abs=1e-12)
        else:
            assert ours[key] == pytest.approx(value, abs=1e-12)
    assert json_types_only(ours)


def test_classification_report_labels_target_names_alpha():
    y_true, y_pred, _, _ = multiclass_case()
    kwargs = {
        "labels": ["mid", "high", "none"],
        "target_names": ["middle", "high", "absent"],
        "alpha": 0.3,
        "digits": 3,
        "zero_division": 0,
    }
    assert bk.classification_report_imbalanced(y_true, y_pred, **kwargs) == (
        imblearn_metrics.classification_report_imbalanced(y_true, y_pred, **kwargs)
    )
    ours = bk.classification_report_imbalanced(y_true, y_pred, output_dict=True, **kwargs)
    theirs = imblearn_metrics.classification_report_imbalanced(
        y_true, y_pred, output_dict=True, **kwargs
    )
    assert ours["middle"] == pytest.approx(theirs["middle"])
    assert ours["absent"] == pytest.approx(theirs["absent"])
    assert ours["avg_iba"] == pytest.approx(theirs["avg_iba"])


def test_classification_report_with_sample_weight_matches_repeated_rows():
    rng = np.random.RandomState(3)
    y_true, y_pred = rng.choice(list("abc"), 40), rng.choice(list("abc"), 40)
    w = rng.randint(1, 4, 40)
    ours = bk.classification_report_imbalanced(y_true, y_pred, sample_weight=w, output_dict=True)
    theirs = imblearn_metrics.classification_report_imbalanced(
        *expand(y_true, y_pred, w), output_dict=True
    )
    for key, value in theirs.items():
        assert ours[key] == pytest.approx(value)


def test_classification_report_precision_recall_follow_sklearn_zero_division():
    y_true, y_pred = [0, 0, 1, 1, 2], [0, 0, 0, 0, 0]
    ours = bk.classification_report_imbalanced(y_true, y_pred, output_dict=True, zero_division=1)
    sk = classification_report(y_true, y_pred, output_dict=True, zero_division=1)
    for label in ("0", "1", "2"):
        assert ours[label]["pre"] == pytest.approx(sk[label]["precision"])
        assert ours[label]["rec"] == pytest.approx(sk[label]["recall"])
        assert ours[label]["f1"] == pytest.approx(sk[label]["f1-score"])


# ---------------------------------------------------------------------------
# macro-averaged MAE
# ---------------------------------------------------------------------------


@SETTINGS
@given(data=st.data())
def test_macro_averaged_mae_matches_imblearn(data):
    n = data.draw(st.integers(1, 25))
    y_true = np.array(data.draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)))
    # labels predicted only where they exist in y_true (imbalanced-learn fails otherwise)
    y_pred = np.array([data.draw(st.sampled_from(sorted(set(y_true)))) for _ in range(n)])
    w = np.array(data.draw(st.lists(st.floats(0.1, 5.0), min_size=n, max_size=n)))
    assert bk.macro_averaged_mean_absolute_error(y_true, y_pred) == pytest.approx(
        imblearn_metrics.macro_averaged_mean_absolute_error(y_true, y_pred)
    )
    assert bk.macro_averaged_mean_absolute_error(y_true, y_pred, sample_weight=w) == pytest.approx(
        imblearn_metrics.macro_averaged_mean_absolute_error(y_true, y_pred, sample_weight=w)
    )


# ---------------------------------------------------------------------------
# imbalance_report
# ---------------------------------------------------------------------------


def check_rows_against_imblearn(report, y_true, y_pred, labels):
    theirs = imblearn_metrics.classification_report_imbalanced(
        y_true, y_pred, labels=labels, output_dict=True, zero_division=0
    )
    names = {
        "precision": "pre",
        "recall": "rec",
        "specificity": "spe",
        "f1": "f1",
        "g_mean": "geo",
        "iba": "iba",
        "support": "sup",
    }
    assert [row["label"] for row in report["per_class"]] == list(labels)
    for row, label in zip(report["per_class"], labels, strict=True):
        for ours_key, their_key in names.items():
            assert row[ours_key] == pytest.approx(theirs[str(label)][their_key], abs=1e-12)
    for ours_key, their_key in names.items():
        if ours_key != "support":
            assert report["weighted_avg"][ours_key] == pytest.approx(
                theirs[f"avg_{their_key}"], abs=1e-12
            )
            assert report["macro_avg"][ours_key] == pytest.approx(
                np.mean([row[ours_key] for row in report["per_class"]])
            )
    assert report["weighted_avg"]["support"] == theirs["total_support"]


@pytest.mark.parametrize("labels", [(0, 1), ("ham", "spam"), (-1, 1), (1, 2)])
def test_imbalance_report_binary_matches_sklearn(labels):
    y, pred, proba = binary_case(labels=labels)
    neg, pos = labels
    report = bk.imbalance_report(y, pred, proba)
    assert report["task"] == "binary" and report["n_samples"] == len(y)
    assert report["labels"] == list(labels) and report["positive_label"] == pos
    positive = report["positive_class"]
    assert positive["label"] == pos and positive["support"] == int(np.sum(y == pos))
    assert positive["prevalence"] == pytest.approx(np.mean(y == pos))
    assert positive["precision"] == pytest.approx(precision_score(y, pred, pos_label=pos))
    assert positive["recall"] == pytest.approx(recall_score(y, pred, pos_label=pos))
    assert positive["f1"] == pytest.approx(f1_score(y, pred, pos_label=pos))
    assert positive["specificity"] == pytest.approx(recall_score(y, pred, pos_label=neg))
    assert positive["g_mean"] == pytest.approx(
        imblearn_metrics.geometric_mean_score(y, pred, pos_label=pos, average="binary")
    )
    assert report["g_mean"] == pytest.approx(imblearn_metrics.geometric_mean_score(y, pred))
    assert report["accuracy"] == pytest.approx(accuracy_score(y, pred))
    assert report["baseline_accuracy"] == pytest.approx(np.mean(y == neg))
    assert report["balanced_accuracy"] == pytest.approx(balanced_accuracy_score(y, pred))
    assert report["mcc"] == pytest.approx(matthews_corrcoef(y, pred))
    assert report["score_kind"] == "probability"
    assert report["roc_auc"] == pytest.approx(roc_auc_score(y == pos, proba))
    assert report["pr_auc"] == pytest.approx(average_precision_score(y == pos, proba))
    assert positive["roc_auc"] == report["roc_auc"] and positive["pr_auc"] == report["pr_auc"]
    assert report["brier_score"] == pytest.approx(brier_score_loss(y, proba, pos_label=pos))
    assert report["confusion_matrix"]["labels"] == list(labels)
    assert report["confusion_matrix"]["matrix"] == confusion_matrix(y, pred, labels=labels).tolist()
    check_rows_against_imblearn(report, y, pred, labels)
    assert report["per_class"][0]["roc_auc"] == pytest.approx(roc_auc_score(y == neg, 1 - proba))
    assert report["per_class"][0]["pr_auc"] == pytest.approx(
        average_precision_score(y == neg, 1 - proba)
    )
    assert json.loads(json.dumps(report, allow_nan=False)) == report
    assert json_types_only(report)


def test_imbalance_report_binary_score_forms():
    y, pred, proba = binary_case(labels=("a", "b"), seed=4)
    base = bk.imbalance_report(y, pred, proba)
    matrix = bk.imbalance_report(y, pred, np.column_stack([1 - proba, proba]))
    assert matrix == base
    assert bk.imbalance_report(y, pred, proba[:, None]) == base
    assert bk.imbalance_report(pd.Series(y), pd.Series(pred), pd.Series(proba)) == base
    clipped = np.clip(proba, 1e-6, 1 - 1e-6)
    decision = bk.imbalance_report(y, pred, np.log(clipped / (1 - clipped)) + 5.0)
    assert decision["score_kind"] == "decision" and decision["brier_score"] is None
    assert decision["roc_auc"] == pytest.approx(roc_auc_score(y == "b", clipped))
    assert decision["pr_auc"] == pytest.approx(average_precision_score(y == "b", clipped))
    without = bk.imbalance_report(y, pred)
    assert without["score_kind"] is None
    assert without["roc_auc"] is None and without["pr_auc"] is None
    assert without["brier_score"] is None
    assert without["per_class"][1]["roc_auc"] is None
    assert without["accuracy"] == base["accuracy"]


def test_imbalance_report_pos_label_choice():
    y, pred, proba = binary_case(labels=(0, 1), n_neg=12, n_pos=68)
    report = bk.imbalance_report(y, pred)
    assert report["positive_label"] == 0  # the least frequent label
    majority = bk.imbalance_report(y, pred, 1 - proba, pos_label=1)
    assert majority["positive_label"] == 1
    assert majority["positive_class"]["recall"] == pytest.approx(recall_score(y, pred))
    # 1 - proba is the score of the positive class 1 here
    assert majority["roc_auc"] == pytest.approx(roc_auc_score(y, 1 - proba))
    # a tie goes to the later label
    assert bk.imbalance_report([0, 1, 0, 1], [0, 1, 1, 1])["positive_label"] == 1
    assert bk.imbalance_report(["y", "n"], ["y", "y"])["positive_label"] == "y"


def test_imbalance_report_multiclass_matches_sklearn():
    y, pred, proba, logits = multiclass_case()
    labels = ["high", "low", "mid"]
    report = bk.imbalance_report(y, pred, proba)
    assert report["task"] == "multiclass" and report["n_classes"] == 3
    assert report["positive_label"] is None and report["positive_class"] is None
    assert report["labels"] == labels
    assert report["accuracy"] == pytest.approx(accuracy_score(y, pred))
    assert report["balanced_accuracy"] == pytest.approx(balanced_accuracy_score(y, pred))
    assert report["mcc"] == pytest.approx(matthews_corrcoef(y, pred))
    assert report["g_mean"] == pytest.approx(imblearn_metrics.geometric_mean_score(y, pred))
    assert report["roc_auc"] == pytest.approx(roc_auc_score(y, proba, multi_class="ovr"))
    assert report["weighted_avg"]["roc_auc"] == pytest.approx(
        roc_auc_score(y, proba, multi_class="ovr", average="weighted")
    )
    assert report["pr_auc"] == pytest.approx(average_precision_score(y, proba))
    assert report["weighted_avg"]["pr_auc"] == pytest.approx(
        average_precision_score(y, proba, average="weighted")
    )
    if "labels" in inspect.signature(brier_score_loss).parameters:  # scikit-learn >= 1.7
        assert report["brier_score"] == pytest.approx(brier_score_loss(y, proba, labels=labels))
    one_hot = (y[:, None] == np.array(labels)[None, :]).astype(float)
    assert report["brier_score"] == pytest.approx(np.mean(np.sum((one_hot - proba) ** 2, 1)))
    assert report["confusion_matrix"]["matrix"] == confusion_matrix(y, pred).tolist()
    check_rows_against_imblearn(report, y, pred, labels)
    for i, label in enumerate(labels):
        assert report["per_class"][i]["roc_auc"] == pytest.approx(
            roc_auc_score(y == label, proba[:, i])
        )

    rare = bk.imbalance_report(y, pred, proba, pos_label="high")
    assert rare["positive_label"] == "high"
    row = rare["per_class"][0]
    assert rare["positive_class"] == {
        "label": "high",
        "support": row["support"],
        "prevalence": np.mean(y == "high"),
        **{
            k: row[k]
            for k in (
                "precision",
                "recall",
                "f1",
                "specificity",
                "g_mean",
                "iba",
                "roc_auc",
                "pr_auc",
            )
        },
    }
    assert rare["positive_class"]["specificity"] == pytest.approx(
        bk.specificity_score(y, pred, labels=["high"], average=None)[0]
    )

    decision = bk.imbalance_report(y, pred, logits)
    assert decision["score_kind"] == "decision" and decision["brier_score"] is None
    assert decision["per_class"][2]["roc_auc"] == pytest.approx(
        roc_auc_score(y == "mid", logits[:, 2])
    )


def test_imbalance_report_absent_classes_give_none():
    y, pred, proba, _ = multiclass_case(seed=5)
    labels = ["high", "low", "mid", "unseen"]
    scores = np.column_stack([proba * 0.9, np.full(len(y), 0.1)])
    report = bk.imbalance_report(y, pred, scores, labels=labels)
    unseen = report["per_class"][3]
    assert unseen["label"] == "unseen" and unseen["support"] == 0
    assert unseen["roc_auc"] is None and unseen["pr_auc"] is None
    assert report["roc_auc"] == pytest.approx(
        np.mean([roc_auc_score(y == label, scores[:, i]) for i, label in enumerate(labels[:3])])
    )
    assert report["brier_score"] is not None
    assert json.loads(json.dumps(report, allow_nan=False)) == report
    # binary labels where y_true holds one class: no ROC-AUC
    single = bk.imbalance_report([0, 0, 0, 0], [0, 1, 0, 0], [0.1, 0.7, 0.2, 0.3])
    assert single["positive_label"] == 1 and single["roc_auc"] is None
    assert single["pr_auc"] is None and single["positive_class"]["recall"] == 0.0
    assert single["brier_score"] == pytest.approx(np.mean(np.square([0.1, 0.7, 0.2, 0.3])))


@SETTINGS
@given(data=label_pairs(min_classes=2, weights=False), choice=st.data())
def test_imbalance_report_is_json_and_consistent(data, choice):
    y_true, y_pred, _ = data
    labels = unique_labels(y_true, y_pred)
    if labels.size < 2:
        y_true = np.append(
            y_true,
            [
                label
                for label in POOLS["int"] + POOLS["str"]
                if type(label) is type(labels[0].item()) and label != labels[0]
            ][:1],
        )
        y_pred = np.append(y_pred, y_true[-1])
        labels = unique_labels(y_true, y_pred)
    n, k = len(y_true), labels.size
    with_scores = choice.draw(st.booleans())
    y_score = None
    if with_scores:
        rng = np.random.RandomState(choice.draw(st.integers(0, 1000)))
        y_score = rng.dirichlet(np.ones(k), n)
        if k == 2 and choice.draw(st.booleans()):
            y_score = y_score[:, 1]
    report = bk.imbalance_report(y_true, y_pred, y_score)
    assert json_types_only(report)
    assert json.loads(json.dumps(report, allow_nan=False)) == report
    matrix = np.array(report["confusion_matrix"]["matrix"])
    assert matrix.sum() == n and matrix.shape == (k, k)
    supports = [row["support"] for row in report["per_class"]]
    assert supports == [int(np.sum(y_true == label)) for label in labels]
    assert report["accuracy"] == pytest.approx(np.trace(matrix) / n)
    if report["task"] == "binary":
        positive = report["positive_class"]
        assert positive["support"] == min(supports)
        if with_scores and 0 < positive["support"] < n:
            pos = labels[report["labels"].index(report["positive_label"])]
            if y_score.ndim == 2:
                column = y_score[:, report["labels"].index(pos)]
            else:  # scikit-learn's convention: a 1-D score is that of the greater label
                column = y_score if pos == labels[1] else 1.0 - y_score
            assert report["roc_auc"] == pytest.approx(roc_auc_score(y_true == pos, column))
    text = bk.format_imbalance_report(report)
    assert f"{n} samples" in text
    assert bk.format_imbalance_report(json.loads(json.dumps(report))) == text


def test_format_imbalance_report_content():
    y, pred, proba = binary_case(labels=("legit", "fraud"))
    report = bk.imbalance_report(y, pred, proba)
    text = bk.format_imbalance_report(report)
    assert text.startswith(f"Imbalance report: binary target, {len(y)} samples, 2 classes\n")
    assert "Positive (rare) class 'fraud'" in text
    assert f"{report['accuracy']:.3f}" in text
    assert f"majority class alone: {report['baseline_accuracy']:.3f}" in text
    assert f"{report['roc_auc']:.3f}" in text and "Brier score" in text
    matrix = report["confusion_matrix"]["matrix"]
    assert any(
        line.split() == ["legit", *map(str, matrix[report["labels"].index("legit")])]
        for line in text.splitlines()
    )
    per_class = text.split("Per class\n")[1].splitlines()
    assert per_class[0].split()[:3] == ["class", "precision", "recall"]
    assert per_class[-1].split()[:2] == ["weighted", "avg"]
    assert f"{report['weighted_avg']['f1']:.5f}" in bk.format_imbalance_report(report, digits=5)
    no_scores = bk.format_imbalance_report(bk.imbalance_report(y, pred))
    assert "ROC-AUC" not in no_scores and "roc-auc" not in no_scores


# ---------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------


def test_errors_of_the_classification_metrics():
    with pytest.raises(DataError, match="y_true has 3 samples but y_pred has 2"):
        bk.sensitivity_score([0, 1, 0], [0, 1])
    with pytest.raises(DataError, match="sample_weight has 2 values"):
        bk.specificity_score([0, 1, 0], [0, 1, 1], sample_weight=[1, 2])
    with pytest.raises(InvalidParameterError, match="average='average'"):
        bk.sensitivity_score([0, 1], [0, 1], average="average")
    with pytest.raises(InvalidParameterError, match="average='binary' needs a binary target"):
        bk.sensitivity_score([0, 1, 2], [0, 1, 2])
    with pytest.raises(InvalidParameterError, match="pos_label='x' is not a valid label"):
        bk.specificity_score([0, 1], [0, 1], pos_label="x")
    with pytest.raises(InvalidParameterError, match="average='samples'"):
        bk.sensitivity_specificity_support([0, 1, 2], [0, 1, 2], average="samples")
    with pytest.raises(InvalidParameterError, match="zero_division=2"):
        bk.sensitivity_score([0, 1], [0, 1], zero_division=2)
    with pytest.raises(InvalidParameterError, match="correction=-1.0"):
        bk.geometric_mean_score([0, 1], [0, 1], correction=-1)
    with pytest.raises(DataError, match="continuous"):
        bk.geometric_mean_score([0.5, 1.5], [0.5, 1.5])
    with pytest.raises(DataError, match="Mix"):
        bk.sensitivity_score(["a", "b"], [0, 1], average=None)
    with pytest.raises(InvalidParameterError, match="target_names has 1 names"):
        bk.classification_report_imbalanced([0, 1], [0, 1], target_names=["zero"])
    with pytest.raises(InvalidParameterError, match="digits=-1"):
        bk.classification_report_imbalanced([0, 1], [0, 1], digits=-1)
    with pytest.raises(DataError, match="numeric"):
        bk.macro_averaged_mean_absolute_error(["a", "b"], ["a", "a"])
    # the errors stay ValueErrors for code written against scikit-learn
    with pytest.raises(ValueError):
        bk.sensitivity_score([0, 1, 0], [0, 1])


def test_errors_of_imbalance_report():
    y, pred, proba = binary_case()
    with pytest.raises(DataError, match="different lengths"):
        bk.imbalance_report(y, pred[:-1])
    with pytest.raises(DataError, match="one row per sample"):
        bk.imbalance_report(y, pred, proba[:-1])
    with pytest.raises(DataError, match="binary target"):
        bk.imbalance_report(y, pred, np.ones((len(y), 3)) / 3)
    with pytest.raises(DataError, match="NaN"):
        bk.imbalance_report(y, pred, np.where(np.arange(len(y)) == 3, np.nan, proba))
    with pytest.raises(DataError, match="numbers"):
        bk.imbalance_report(y, pred, ["high"] * len(y))
    with pytest.raises(InvalidParameterError, match="pos_label=7 is not one of the labels"):
        bk.imbalance_report(y, pred, pos_label=7)
    with pytest.raises(InvalidParameterError, match="pos_label='1'"):
        bk.imbalance_report(y, pred, pos_label="1")
    with pytest.raises(DataError, match="single class"):
        bk.imbalance_report([1, 1, 1], [1, 1, 1])
    assert bk.imbalance_report([1, 1, 1], [1, 1, 1], labels=[0, 1])["positive_label"] == 0
    with pytest.raises(InvalidParameterError, match="misses"):
        bk.imbalance_report(y, pred, labels=[0])
    with pytest.raises(InvalidParameterError, match="repeated"):
        bk.imbalance_report(y, pred, labels=[0, 1, 1])
    with pytest.raises(DataError, match="multilabel"):
        bk.imbalance_report(np.eye(3, dtype=int), np.eye(3, dtype=int))
    ym, pm, proba_m, _ = multiclass_case()
    with pytest.raises(DataError, match="one column per class"):
        bk.imbalance_report(ym, pm, proba_m[:, 0])
    with pytest.raises(DataError, match="one column per class"):
        bk.imbalance_report(ym, pm, proba_m[:, :2])
    with pytest.raises(InvalidParameterTypeError, match="report must be the dict"):
        bk.format_imbalance_report("report")
    with pytest.raises(InvalidParameterError, match="lacks"):
        bk.format_imbalance_report({"task": "binary"})


def test_public_names():
    assert set(bk.__all__) == set(imblearn_metrics.__all__) | {
        "imbalance_report",
        "format_imbalance_report",
    }
    for name in imblearn_metrics.__all__:
        ours = inspect.signature(getattr(bk, name)).parameters
        theirs = inspect.signature(getattr(imblearn_metrics, name)).parameters
        # every imbalanced-learn parameter exists, with the same default
        for param, spec in theirs.items():
            assert param in ours, (name, param)
            assert ours[param].default == spec.default, (name, param)


# ---------------------------------------------------------------------------
# A 1-D binary score follows scikit-learn's convention; missing labels
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("rare", [0, 1])
def test_imbalance_report_1d_score_is_the_score_of_the_greater_label(rare):
    # predict_proba(X)[:, 1] scores classes_[1]; the report reads it that way whichever class
    # is the rare one, and gives the rare class's ROC/PR/Brier from it.
    rng = np.random.RandomState(0)
    y = np.where(rng.rand(300) < 0.15, rare, 1 - rare)
    p1 = np.clip(0.5 * (y == 1) + 0.25 + 0.3 * rng.normal(size=y.size), 0.0, 1.0)
    pred = (p1 > 0.5).astype(int)
    one_column = bk.imbalance_report(y, pred, p1)
    two_columns = bk.imbalance_report(y, pred, np.column_stack([1 - p1, p1]))
    assert one_column["positive_label"] == rare
    for key in ("roc_auc", "pr_auc", "brier_score"):
        assert one_column[key] == pytest.approx(two_columns[key])
    assert one_column["roc_auc"] == pytest.approx(roc_auc_score(y, p1))
    rare_score = p1 if rare == 1 else 1 - p1
    assert one_column["pr_auc"] == pytest.approx(average_precision_score(y == rare, rare_score))
    assert one_column["brier_score"] == pytest.approx(brier_score_loss(y == rare, rare_score))
    # Decision values too: the score of the greater label, negated for the other one.
    logit = np.log(np.clip(p1, 1e-3, 1 - 1e-3) / np.clip(1 - p1, 1e-3, 1 - 1e-3)) + 3.0
    decision = bk.imbalance_report(y, pred, logit)
    assert decision["score_kind"] == "decision"
    assert decision["roc_auc"] == pytest.approx(roc_auc_score(y, logit))
    # String labels: the greater label in sorted order ('ok' > 'fraud').
    names = np.where(y == 1, "ok", "fraud")
    named = bk.imbalance_report(names, np.where(pred == 1, "ok", "fraud"), p1)
    assert named["roc_auc"] == pytest.approx(roc_auc_score(y, p1))


def test_imbalance_report_1d_score_of_pos_label():
    rng = np.random.RandomState(1)
    y = np.where(rng.rand(200) < 0.2, 0, 1)
    p0 = np.clip(0.5 * (y == 0) + 0.25 + 0.3 * rng.normal(size=y.size), 0.0, 1.0)
    pred = np.where(p0 > 0.5, 0, 1)
    report = bk.imbalance_report(y, pred, p0, pos_label=0)
    assert report["roc_auc"] == pytest.approx(roc_auc_score(y == 0, p0))
    assert report["brier_score"] == pytest.approx(brier_score_loss(y == 0, p0))


@pytest.mark.parametrize(
    "name",
    ["imbalance_report", "classification_report_imbalanced", "geometric_mean_score",
     "sensitivity_specificity_support", "specificity_score", "sensitivity_score"],
)
@pytest.mark.parametrize("missing", [None, np.nan, pd.NA])
def test_missing_labels_are_named(name, missing):
    y_true = pd.Series(["fraud", "ok", missing, "ok", "ok"], dtype=object)
    y_pred = pd.Series(["fraud", "ok", "ok", "ok", "fraud"])
    kwargs = {"pos_label": "fraud"} if name in ("specificity_score", "sensitivity_score") else {}
    with pytest.raises(DataError, match=r"y_true has 1 missing label \(NaN/None\), at "
                       "row 2"):
        getattr(bk, name)(y_true, y_pred, **kwargs)
    with pytest.raises(DataError, match="y_pred has 1 missing label "):
        getattr(bk, name)(y_pred, y_true, **kwargs)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), n_labels=st.integers(1, 6), weighted=st.booleans())
def test_labels_named_twice_are_scored_the_same_each_time(seed, n_labels, weighted):
    # confusion_matrix maps a label named twice to its last place: the first got no counts
    # (labels=[0, 0, 1] gave sensitivities [0, 1, 0] where scikit-learn gives [1, 1, 0]).
    rng = np.random.RandomState(seed)
    y_true, y_pred = rng.randint(0, 4, 40), rng.randint(0, 4, 40)
    labels = rng.randint(0, 5, n_labels).tolist()  # repeats, and a label 4 of no row
    w = rng.rand(40) if weighted else None
    sen, spe, sup = bk.sensitivity_specificity_support(y_true, y_pred, labels=labels,
                                                       average=None, sample_weight=w)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        np.testing.assert_allclose(sen, recall_score(y_true, y_pred, labels=labels, average=None,
                                                     sample_weight=w, zero_division=0.0))
        ref = imblearn_metrics.sensitivity_specificity_support(
            y_true, y_pred, labels=labels, average=None)
    if w is None:  # imbalanced-learn's weighted specificity is wrong: see above
        np.testing.assert_allclose(spe, ref[1])
        np.testing.assert_array_equal(sup, ref[2])
    first = {label: i for i, label in reversed(list(enumerate(labels)))}
    for i, label in enumerate(labels):
        assert (sen[i], spe[i], sup[i]) == (sen[first[label]], spe[first[label]], sup[first[label]])


@pytest.mark.parametrize("labels", [[0, "a"], ["a", 2, 0], [0, 1.5], ["0", "1"], ["2", 0]])
def test_labels_of_another_type_do_not_turn_the_others_into_text(labels):
    # np.asarray([0, 'a']) is ['0', 'a']: no row matched label 0 any more (support 0).
    y_true, y_pred = [0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1]
    ours = bk.sensitivity_specificity_support(y_true, y_pred, labels=labels, average=None)
    theirs = imblearn_metrics.sensitivity_specificity_support(y_true, y_pred, labels=labels,
                                                              average=None)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b)
    # A label of another kind stands for the label of its text ('0' for 0), as in sklearn.
    assert ours[2].sum() == sum(str(v) == str(label) for v in y_true for label in labels)


@pytest.mark.parametrize("y_true, y_pred, labels", [
    ([0, 1, 1, 0, 2], [0, 1, 0, 0, 1], ["0", "1", "2"]),
    (["0", "1", "1", "0"], ["0", "1", "0", "0"], [0, 1]),
])
def test_labels_as_text_of_the_targets_score_the_same_everywhere(y_true, y_pred, labels):
    """'0' for the label 0 (as scikit-learn compares them): the report's rows, which take
    precision and recall from scikit-learn and the specificity from balancekit, agree."""
    ours = bk.classification_report_imbalanced(y_true, y_pred, labels=labels, output_dict=True)
    theirs = imblearn_metrics.classification_report_imbalanced(
        y_true, y_pred, labels=labels, output_dict=True)
    for name in map(str, labels):
        row = ours[name]
        assert row["geo"] == pytest.approx(math.sqrt(row["rec"] * row["spe"]))
        assert row == pytest.approx({key: float(value) for key, value in theirs[name].items()})
    np.testing.assert_allclose(
        bk.sensitivity_score(y_true, y_pred, labels=labels, average=None),
        recall_score(y_true, y_pred, labels=labels, average=None, zero_division=0))
    # The multiclass G-mean too: the same labels given as the targets hold them.
    same = [y_true[0].__class__(label) for label in labels]
    assert bk.geometric_mean_score(y_true, y_pred, labels=labels) == pytest.approx(
        bk.geometric_mean_score(y_true, y_pred, labels=same))


@pytest.mark.parametrize("labels, match", [
    ("01", "got the string '01'"),
    ([[0, 1]], "flat list of labels; got \\[0, 1\\]"),
    ([0, {1}], "flat list"),
    # A set has no order to give the scores in (the report got "an array of shape ()").
    ({2, 0}, "got a set, which has no order"),
    ([None], "labels holds None"),
    # One label where a list is expected: a bare "'int' object is not iterable" before.
    (1, "got the single label 1. Give labels=\\[1\\]"),
    (np.int64(1), "got the single label 1"),
    (np.array(1), "got the single label 1"),
])
def test_labels_that_are_not_a_list_of_labels_are_refused(labels, match):
    y_true, y_pred = [0, 1, 1, 0], [0, 1, 0, 0]
    for metric in (bk.sensitivity_score, bk.specificity_score, bk.geometric_mean_score):
        with pytest.raises((InvalidParameterError, InvalidParameterTypeError), match=match):
            metric(y_true, y_pred, labels=labels, average=None)
    with pytest.raises((InvalidParameterError, InvalidParameterTypeError), match=match):
        bk.geometric_mean_score(y_true, y_pred, labels=labels)  # average='multiclass'
    with pytest.raises((InvalidParameterError, InvalidParameterTypeError), match=match):
        bk.classification_report_imbalanced(y_true, y_pred, labels=labels)


def test_classification_report_checks_its_options():
    y_true, y_pred = [0, 1, 1, 0], [0, 1, 0, 0]
    for value in ("no", 1, None):
        with pytest.raises(InvalidParameterTypeError, match="output_dict must be a boolean"):
            bk.classification_report_imbalanced(y_true, y_pred, output_dict=value)
    with pytest.raises(InvalidParameterTypeError, match="got the string 'ab'"):
        bk.classification_report_imbalanced(y_true, y_pred, target_names="ab")
    with pytest.raises(InvalidParameterTypeError, match="target_names must be a list"):
        bk.classification_report_imbalanced(y_true, y_pred, target_names=5)
    # Two rows of one name: the dict would have kept one of them.
    with pytest.raises(InvalidParameterError, match="'a' names more than one label"):
        bk.classification_report_imbalanced(y_true, y_pred, target_names=["a", "a"])
    assert set(bk.classification_report_imbalanced(
        y_true, y_pred, target_names=["a", "b"], output_dict=True)) >= {"a", "b"}


def test_imbalance_report_g_mean_is_over_the_classes_of_y_true():
    y_true, y_pred = [0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 1, 2]
    plain = bk.imbalance_report(y_true, y_pred)
    wider = bk.imbalance_report(y_true, y_pred, labels=[0, 1, 2, 3])
    assert wider["g_mean"] == pytest.approx(plain["g_mean"])
    assert plain["g_mean"] == pytest.approx(bk.geometric_mean_score(y_true, y_pred))
    assert wider["balanced_accuracy"] == pytest.approx(plain["balanced_accuracy"])


def test_index_balanced_accuracy_through_partials_and_wrappers():
    import functools

    y_true, y_pred = [0, 1, 2, 0, 2, 1], [0, 1, 1, 0, 2, 2]
    iba = bk.make_index_balanced_accuracy(alpha=0.2)
    direct = iba(bk.geometric_mean_score)(y_true, y_pred, correction=0.001)
    assert iba(functools.partial(bk.geometric_mean_score, correction=0.001))(
        y_true, y_pred) == pytest.approx(direct)

    @functools.wraps(bk.geometric_mean_score)
    def wrapped(*args, **kwargs):
        return bk.geometric_mean_score(*args, **kwargs)

    assert iba(wrapped)(y_true, y_pred, correction=0.001) == pytest.approx(direct)


def test_index_balanced_accuracy_of_a_metric_without_average():
    """On a multiclass target the dominance of such a metric is the macro one; on a binary
    target, that of the positive class."""
    iba = bk.make_index_balanced_accuracy(alpha=0.1, squared=True)(balanced_accuracy_score)
    for y_true, y_pred, average in (([0, 1, 2, 0, 2, 1], [0, 1, 1, 0, 2, 2], "macro"),
                                    ([0, 1, 1, 0, 0, 1], [0, 1, 0, 0, 1, 1], "binary")):
        sen, spe, _ = bk.sensitivity_specificity_support(y_true, y_pred, average=average)
        expected = (1 + 0.1 * (sen - spe)) * balanced_accuracy_score(y_true, y_pred) ** 2
        assert iba(y_true, y_pred) == pytest.approx(expected)


@pytest.mark.parametrize("metric", [accuracy_score, balanced_accuracy_score, matthews_corrcoef])
def test_index_balanced_accuracy_of_a_metric_without_pos_label_on_text_labels(metric):
    """A metric without pos_label cannot be told the positive class: on labels without 1,
    it is the greater label, so text labels score as the 0/1 labels they stand for."""
    codes_true, codes_pred = [0, 1, 1, 0, 0, 1, 0], [0, 1, 0, 0, 1, 1, 1]
    names = np.array(["no", "yes"])
    iba = bk.make_index_balanced_accuracy(alpha=0.1, squared=True)(metric)
    assert iba(names[codes_true], names[codes_pred]) == pytest.approx(
        iba(codes_true, codes_pred))


def test_weights_that_are_all_zero():
    with pytest.raises(DataError, match="zero for every sample"):
        bk.sensitivity_score([0, 1, 1, 0], [0, 1, 0, 0], sample_weight=[0, 0, 0, 0])
    with pytest.raises(DataError, match="zero for every sample"):
        bk.classification_report_imbalanced([0, 1, 1, 0], [0, 1, 0, 0], sample_weight=[0] * 4)
    # A class weighed as no sample at all is left out of the macro average, as an absent one.
    y_true, y_pred = [1, 2, 2, 2, 3], [1, 2, 1, 2, 1]
    weights = [0, 1, 2, 1, 1]
    assert bk.macro_averaged_mean_absolute_error(y_true, y_pred, sample_weight=weights) == (
        pytest.approx(bk.macro_averaged_mean_absolute_error(
            y_true[1:], y_pred[1:], sample_weight=weights[1:])))


def test_weighted_average_without_true_samples_is_the_plain_mean():
    """No label listed has a true sample, so every weight is 0: the plain mean of the
    labels' values, as scikit-learn averages then, not the zero_division value over
    values that are defined."""
    y_true, y_pred = [0, 0, 1], [2, 2, 1]
    sens, spec, _ = bk.sensitivity_specificity_support(
        y_true, y_pred, labels=[2], average=None, zero_division=1)
    assert spec[0] == pytest.approx(1 / 3)
    assert bk.sensitivity_specificity_support(
        y_true, y_pred, labels=[2], average="weighted", zero_division=1
    )[:2] == pytest.approx((sens[0], spec[0]))
    report = bk.classification_report_imbalanced(
        y_true, y_pred, labels=[2], zero_division=1, output_dict=True)
    for key in ("pre", "rec", "spe", "f1", "geo", "iba"):
        assert report[f"avg_{key}"] == pytest.approx(report["2"][key])
    theirs = classification_report(
        y_true, y_pred, labels=[2], zero_division=1, output_dict=True)["weighted avg"]
    assert report["avg_pre"] == pytest.approx(theirs["precision"])
    assert report["avg_f1"] == pytest.approx(theirs["f1-score"])


def test_counts_of_no_sample_are_exactly_zero_with_fractional_weights():
    # Class 0's true negatives are those of no row: found by differences of sums of
    # fractional weights, they were 2.2e-16, and its specificity 1e-15 instead of 0.
    _, spec, _ = bk.sensitivity_specificity_support(
        [0, 0, 1, 2], [0, 1, 0, 0], sample_weight=[0.7, 0.4, 0.1, 0.1])
    assert spec[0] == 0.0


def test_many_classes_match_sklearn():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 300, 3000), rng.integers(0, 300, 3000)
    weights = rng.random(3000)
    for average in (None, "macro", "weighted"):
        np.testing.assert_allclose(
            bk.sensitivity_score(y_true, y_pred, average=average, sample_weight=weights),
            recall_score(y_true, y_pred, average=average, sample_weight=weights))
    cm = confusion_matrix(y_true, y_pred, sample_weight=weights)
    tn = cm.sum() - cm.sum(axis=0) - cm.sum(axis=1) + np.diag(cm)
    np.testing.assert_allclose(
        bk.specificity_score(y_true, y_pred, average=None, sample_weight=weights),
        tn / (cm.sum() - cm.sum(axis=1)))


def test_multilabel_labels_are_column_positions():
    y = np.eye(3, dtype=int)
    with pytest.raises(InvalidParameterError, match="column positions, whole numbers from 0 "
                                                    "to 2; got 5"):
        bk.sensitivity_score(y, y, labels=[5], average="macro")
    with pytest.raises(InvalidParameterError, match="or 'samples'"):
        bk.sensitivity_score(y, y)  # average='binary'
    assert bk.sensitivity_score(y, y, labels=[np.int64(2), 0], average=None).tolist() == [1, 1]


def test_macro_mae_refuses_a_class_whose_weights_cancel():
    with pytest.raises(DataError, match="rows of class 0 in y_true sum to 0"):
        bk.macro_averaged_mean_absolute_error([0, 0, 1], [1, 0, 1], sample_weight=[-1, 1, 1])


def test_index_balanced_accuracy_of_one_score_is_a_float():
    iba = bk.make_index_balanced_accuracy()(bk.geometric_mean_score)
    assert type(iba([0, 1, 1], [0, 1, 0])) is float
    assert isinstance(iba([0, 1, 1], [0, 1, 0], average=None), np.ndarray)


def test_undefined_metric_warnings_advise_what_the_function_takes():
    """geometric_mean_score has no zero_division to advise; every warning points at the
    caller's line, whichever metric calls which inside."""
    with pytest.warns(UndefinedMetricWarning) as caught:
        bk.geometric_mean_score([0, 1, 1], [0, 2, 2], average="macro")
        bk.geometric_mean_score([0, 1, 1], [0, 2, 2])
        bk.sensitivity_score([0, 1, 1], [0, 2, 2], average="macro")
    messages = [str(w.message) for w in caught]
    assert "zero_division" not in messages[0] and "G-mean of such a label is 0" in messages[0]
    assert "Set `correction`" in messages[1]
    assert "zero_division" in messages[2]
    assert {w.filename for w in caught} == {__file__}


def test_parameters_checked_whatever_the_average():
    y_true, y_pred = [0, 1, 1, 0], [0, 1, 0, 0]
    # labels is not used with average='binary', but was accepted whatever it was.
    with pytest.raises(InvalidParameterTypeError, match="got the string 'abc'"):
        bk.sensitivity_score(y_true, y_pred, labels="abc")
    with pytest.raises(InvalidParameterTypeError, match="got a dict: "):
        bk.specificity_score(y_true, y_pred, labels={"zz": 1})
    assert bk.sensitivity_score(y_true, y_pred, labels=[0, 1]) == 0.5
    with pytest.raises(InvalidParameterError, match="warn_for must be a tuple, list or set"):
        bk.sensitivity_specificity_support(y_true, y_pred, warn_for="abc")
    # Python's formatting failed with "precision too big".
    with pytest.raises(InvalidParameterError, match="digits=1000000000000 is out of range"):
        bk.classification_report_imbalanced(y_true, y_pred, digits=10**12)
    with pytest.raises(InvalidParameterError, match="digits=1000000000000 is out of range"):
        bk.format_imbalance_report(bk.imbalance_report(y_true, y_pred), digits=10**12)


@SETTINGS
@given(data=label_pairs(weights=False), choice=st.data())
def test_rows_of_weight_zero_count_as_no_rows(data, choice):
    """A count of rows that all weigh 0 is 0, so a ratio it alone defines stays undefined: as
    if those rows were not there (the differences of weighted sums made it 1e-17)."""
    y_true, y_pred, _ = data
    weights = np.array(choice.draw(st.lists(st.sampled_from([0.0, 0.24, 0.48, 0.66, 0.99]),
                                            min_size=len(y_true), max_size=len(y_true))))
    if not weights.any():
        return
    labels = list(unique_labels(y_true, y_pred))
    kept = weights != 0
    ours = bk.sensitivity_specificity_support(y_true, y_pred, labels=labels,
                                              sample_weight=weights, zero_division=np.nan)
    without = bk.sensitivity_specificity_support(y_true[kept], y_pred[kept], labels=labels,
                                                 sample_weight=weights[kept],
                                                 zero_division=np.nan)
    for a, b in zip(ours[:2], without[:2], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)  # NaN where undefined


def test_a_label_whose_negatives_all_weigh_zero_has_no_specificity():
    with pytest.warns(UndefinedMetricWarning, match="Specificity is ill-defined"):
        spec = bk.specificity_score([1, 1, 1, 2], [1, 0, 2, 0], labels=[0, 1, 2], average=None,
                                    sample_weight=[0.99, 0.24, 0.66, 0.0])
    assert spec[1] == 0.0  # zero_division='warn': no negative row of weight (it was 1.0)
    spec = bk.specificity_score([2, 1, 1], [1, 2, 0], labels=[0, 1, 2], average=None,
                                sample_weight=[0.88, 0.48, 0.0])
    assert spec[2] == 0.0  # not -2.3e-16


def test_multilabel_labels_as_whole_floats_and_booleans():
    Y = np.eye(3, dtype=int)
    P = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 0]])
    for labels in ([1.0], np.array([1.0]), [True]):  # column 1, as scikit-learn reads them
        assert bk.sensitivity_score(Y, P, labels=labels, average="macro") == 1.0
    assert bk.sensitivity_specificity_support(
        [0, 1], [0, 1], warn_for=np.array(["sensitivity"]))[0].tolist() == [1, 1]
