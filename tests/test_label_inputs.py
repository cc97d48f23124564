"""Labels in every container: pyarrow arrays, and missing labels named before fitting."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.utils.class_weight import compute_sample_weight as sk_compute_sample_weight

from balancekit.calibration import PriorCorrectedClassifier
from balancekit.ensemble import (
    BalancedBaggingClassifier,
    BalancedRandomForestClassifier,
    EasyEnsembleClassifier,
    RUSBoostClassifier,
)
from balancekit.exceptions import DataError, InvalidParameterError, SmallClassWarning
from balancekit.metrics import classification_report_imbalanced, geometric_mean_score
from balancekit.weights import WeightedClassifier, compute_sample_weight

from ._samplers import all_sampler_classes, make_sampler

pa = pytest.importorskip("pyarrow")

SAMPLERS = all_sampler_classes()
CODES = np.repeat([0, 1, 2], [60, 30, 15])
X = np.random.RandomState(0).randn(CODES.size, 3) + CODES[:, None]
TEXT = np.array(["neg", "pos", "mid"])[CODES]


def _arrow_labels():
    return {
        "string": pa.array(TEXT.tolist()),
        "dictionary": pa.array(TEXT.tolist()).dictionary_encode(),
        "bool": pa.array((CODES > 0).tolist()),
        "int8": pa.array(CODES, type=pa.int8()),
    }


def _resample(name, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallClassWarning)
        return make_sampler(SAMPLERS[name]).fit_resample(X, y)


@pytest.mark.parametrize("kind", ["string", "dictionary", "bool", "int8"])
@pytest.mark.parametrize("name", list(SAMPLERS))
def test_a_pyarrow_array_y_gives_the_same_rows_and_an_array_back(name, kind):
    # The same labels as a numpy array give the reference: the rows and labels must agree,
    # and y comes back as a pyarrow Array of the input's type (as a ChunkedArray gives a
    # ChunkedArray).
    y = _arrow_labels()[kind]
    X_ref, y_ref = _resample(name, X, y.to_numpy(zero_copy_only=False))
    X_res, y_res = _resample(name, X, y)
    assert isinstance(y_res, pa.Array) and not isinstance(y_res, pa.ChunkedArray)
    assert y_res.type == y.type
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res.to_numpy(zero_copy_only=False), y_ref)


@pytest.mark.parametrize("kind", ["string", "dictionary", "bool"])
def test_metrics_and_weights_read_a_pyarrow_array_as_numpy(kind):
    y = _arrow_labels()[kind]
    values = y.to_numpy(zero_copy_only=False)
    predicted = np.roll(values, 7)
    assert geometric_mean_score(y, pa.array(predicted.tolist())) == geometric_mean_score(
        values, predicted)
    assert classification_report_imbalanced(y, y) == classification_report_imbalanced(
        values, values)
    np.testing.assert_allclose(compute_sample_weight("balanced", y),
                               sk_compute_sample_weight("balanced", values))


@pytest.mark.parametrize("kind", ["string", "dictionary", "bool"])
@pytest.mark.parametrize("make", [
    lambda: WeightedClassifier(LogisticRegression()),
    lambda: PriorCorrectedClassifier(LogisticRegression(), random_state=0),
], ids=["weighted", "prior-corrected"])
def test_classifiers_fit_on_a_pyarrow_array(make, kind):
    y = _arrow_labels()[kind]
    values = y.to_numpy(zero_copy_only=False)
    got = make().fit(X, y)
    expected = make().fit(X, values)
    np.testing.assert_array_equal(got.classes_, expected.classes_)
    np.testing.assert_allclose(got.predict_proba(X), expected.predict_proba(X))


MISSING = {
    "None among str": np.r_[TEXT[:-1], None].astype(object),
    "pd.NA in a string Series": pd.Series(list(TEXT[:-1]) + [None], dtype="string"),
    "NaN in a categorical": pd.Series(pd.Categorical(list(TEXT[:-1]) + [None])),
}

ESTIMATORS = {
    "BalancedBaggingClassifier": lambda: BalancedBaggingClassifier(n_estimators=2),
    "BalancedRandomForestClassifier": lambda: BalancedRandomForestClassifier(n_estimators=2),
    "EasyEnsembleClassifier": lambda: EasyEnsembleClassifier(n_estimators=2),
    "RUSBoostClassifier": lambda: RUSBoostClassifier(n_estimators=2),
    "WeightedClassifier": lambda: WeightedClassifier(LogisticRegression()),
    "PriorCorrectedClassifier": lambda: PriorCorrectedClassifier(LogisticRegression()),
}


@pytest.mark.parametrize("case", list(MISSING))
@pytest.mark.parametrize("estimator", list(ESTIMATORS))
def test_estimators_name_missing_labels_as_the_samplers_do(estimator, case):
    with pytest.raises(DataError, match=r"y has 1 missing label \(NaN/None\), at "
                                        rf"row {CODES.size - 1} "):
        ESTIMATORS[estimator]().fit(X, MISSING[case])


@pytest.mark.parametrize("seed", [-1, "abc", np.random.default_rng(0)],
                         ids=["negative", "text", "generator"])
@pytest.mark.parametrize("cls", [BalancedBaggingClassifier, EasyEnsembleClassifier])
def test_a_bad_random_state_names_the_ensemble_and_the_parameter(cls, seed):
    with pytest.raises(InvalidParameterError) as error:
        cls(n_estimators=2, random_state=seed).fit(X, CODES)
    assert str(error.value).startswith(f"{cls.__name__}: random_state=")
    assert "BaggingClassifier:" not in str(error.value).replace(cls.__name__, "")


@pytest.mark.parametrize("name", ["smote", "random_under"])
def test_bytes_labels_are_refused_with_a_data_error(name):
    # Recent scikit-learn raised its own TypeError, which the command line took for a defect;
    # scikit-learn 1.6 took bytes for labels. Refused alike, whatever the version.
    labels = np.array([b"no" if c == 0 else b"yes" for c in CODES], dtype=object)
    with pytest.raises(DataError, match=r"y holds bytes \(e\.g\. b'no'\).*decode") as error:
        make_sampler(SAMPLERS[name]).fit_resample(X, labels)
    assert isinstance(error.value, TypeError)  # the kind of error scikit-learn raises


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (np.array([1 if c == 0 else "a" for c in CODES], dtype=object), r"mixes labels of different kinds "
                                                      r"\(number 1 and text 'a'\)"),
        (np.array([True if c == 0 else "b" for c in CODES], dtype=object), r"\(bool True and text 'b'\)"),
        (CODES.astype(object), r"numbers as Python objects.*y\.astype\(int\)"),
        (pd.Series(CODES > 0, dtype=object), r"booleans as Python objects.*y\.astype\(bool\)"),
    ],
    ids=["number-and-text", "bool-and-text", "object-numbers", "object-booleans"],
)
def test_labels_scikit_learn_cannot_type_are_explained(labels, message):
    """An object y that scikit-learn's type_of_target calls 'unknown' was refused as an
    "Unknown label type 'unknown'": the error now says what is wrong with the labels."""
    for cls in (SAMPLERS["smote"], SAMPLERS["tomek_links"]):
        with pytest.raises(DataError, match=message):
            make_sampler(cls).fit_resample(X, labels)
    if "text" in message:  # labels mixed with text; object numbers are labels to weights
        with pytest.raises(DataError, match=message):
            compute_sample_weight("balanced", labels)
    else:
        np.testing.assert_array_equal(compute_sample_weight("balanced", labels),
                                      sk_compute_sample_weight("balanced", labels))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["ok", "fraud", "Fraud", "é", "", "b", "a b"]), min_size=1,
                max_size=60))
def test_unique_labels_is_numpys_unique_for_text_held_as_objects(labels):
    # Text labels held as objects (as pandas holds a text column) are factorized by hashing
    # rather than sorted one by one; every output must still be numpy's.
    from balancekit._validation import unique_labels

    y = np.array(labels, dtype=object)
    flags = {"return_index": True, "return_inverse": True, "return_counts": True}
    for ours, theirs in zip(unique_labels(y, **flags), np.unique(y, **flags), strict=True):
        np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_array_equal(unique_labels(y), np.unique(y))


def test_text_labels_as_objects_resample_as_text_labels_as_strings():
    from balancekit.over_sampling import SMOTE
    from balancekit.under_sampling import EditedNearestNeighbours, RandomUnderSampler

    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    text = np.where(rng.random(300) < 0.2, "fraud", np.where(rng.random(300) < 0.5, "ok", "b"))
    for sampler in (RandomUnderSampler(random_state=0), SMOTE(random_state=0),
                    EditedNearestNeighbours()):
        X_a, y_a = sampler.fit_resample(X, text.astype(object))
        X_b, y_b = sampler.fit_resample(X, text)
        np.testing.assert_array_equal(X_a, X_b)
        assert y_a.tolist() == y_b.tolist()


@pytest.mark.parametrize("container", ["array", "chunked", "table"])
def test_missing_labels_of_an_arrow_dictionary_are_refused(container):
    """pyarrow's conversion of a chunked dictionary column put another label where one is
    missing: the two missing labels were counted as class 'b'."""
    from balancekit.over_sampling import RandomOverSampler

    y = pa.array(["a"] * 8 + ["b", None, "b", None]).dictionary_encode()
    y = {"array": y, "chunked": pa.chunked_array([y]), "table": pa.table({"y": y})}[container]
    with pytest.raises(DataError, match="y has 2 missing labels"):
        RandomOverSampler(random_state=0).fit_resample(np.arange(12.0).reshape(-1, 1), y)


@pytest.mark.parametrize("sampler", ["SMOTEN", "SMOTENC"])
def test_missing_values_of_an_arrow_dictionary_column_stay_missing(sampler):
    from balancekit.over_sampling import SMOTEN, SMOTENC

    values = ["a"] * 8 + ["b", None, None, None]
    columns = {"c": pa.array(values).dictionary_encode(), "s": pa.array(values)}
    if sampler == "SMOTENC":
        columns["x"] = pa.array(np.arange(12.0))
        make = SMOTENC(categorical_features=[0, 1], random_state=0)
    else:
        make = SMOTEN(random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallClassWarning)
        out = make.fit_resample(pa.table(columns), np.array([0] * 8 + [1] * 4))[0]
    assert pa.types.is_dictionary(out.schema.field("c").type)
    assert out.column("c").to_pylist() == out.column("s").to_pylist()
    assert out.column("c").to_pylist()[12:].count(None) == out.column("s").to_pylist()[12:].count(
        None) > 0


@pytest.mark.parametrize("kind", ["pandas", "pandas-ordered", "pandas-int", "polars-enum"])
def test_new_labels_outside_the_categories_come_back_whole(kind):
    """A FunctionSampler's label that y's categories do not hold came back NaN (pandas) or
    failed (polars Enum)."""
    import polars as pl

    from balancekit import FunctionSampler

    codes = ["a"] * 7 + ["b"] * 3
    new = "c"
    if kind == "pandas":
        y = pd.Series(pd.Categorical(codes), name="label")
    elif kind == "pandas-ordered":
        y = pd.Series(pd.Categorical(codes, ordered=True))
    elif kind == "pandas-int":
        y, new = pd.Series(pd.Categorical([1] * 7 + [2] * 3)), 7
    else:
        y = pl.Series("label", codes, dtype=pl.Enum(["a", "b"]))

    def relabel(X, y):
        y = np.asarray(y).astype(object)
        y[0] = new
        return X, y

    y_res = FunctionSampler(func=relabel).fit_resample(np.arange(20.0).reshape(10, 2), y)[1]
    assert type(y_res) is type(y)
    assert list(y_res)[:2] == [new, list(y)[1]]
    if kind in ("pandas", "pandas-int"):  # unordered: the new label is a new category
        assert list(y_res.cat.categories) == list(y.cat.categories) + [new]
