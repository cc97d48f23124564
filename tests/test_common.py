"""The shared battery: every sampler in the registry goes through every check here."""

import ast
import importlib
import inspect
import re
import time
import warnings
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.exceptions import DataConversionWarning
from sklearn.utils.estimator_checks import parametrize_with_checks

from balancekit._strategy import resolve_sampling_strategy
from balancekit.exceptions import (
    BalancekitError,
    DataError,
    DataTypeError,
    InvalidParameterError,
    InvalidParameterTypeError,
    SmallClassWarning,
)

from ._samplers import all_sampler_classes, make_sampler
from .conftest import to_frame

SAMPLERS = all_sampler_classes()
NAMES = list(SAMPLERS)


def _fit(name, X, y, **params):
    sampler = make_sampler(SAMPLERS[name], **params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallClassWarning)
        X_res, y_res = sampler.fit_resample(X, y)
    return sampler, X_res, y_res


def _kind(name):
    return SAMPLERS[name]._sampling_type


def _is_combined(name):
    """Over-samplers followed by a cleaning rule: counts are upper bounds, rows may go."""
    return SAMPLERS[name].__module__.startswith("balancekit.combine")


def _is_numeric_only(name):
    return SAMPLERS[name]._input == "numeric"


def _check_counts(name, y, y_res, targets):
    before, after = Counter(np.asarray(y).tolist()), Counter(np.asarray(y_res).tolist())
    for label, count in before.items():
        if _is_combined(name):
            assert 0 < after[label] <= max(count, targets.get(label, count))
        elif label not in targets:
            assert after[label] == count, f"untargeted class {label!r} changed"
        elif _kind(name) == "clean-sampling":
            assert after[label] <= count
        else:
            assert after[label] == targets[label], (label, after[label], targets[label])


STRATEGIES = {
    "over-sampling": ["auto", "minority", "not majority", "not minority", "all"],
    "under-sampling": ["auto", "majority", "not minority", "not majority", "all"],
    "clean-sampling": ["auto", "majority", "not minority", "not majority", "all"],
}


@pytest.mark.parametrize("name", NAMES)
def test_samplers_are_tagged_samplers_as_in_imbalanced_learn(name):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler
    from sklearn.utils import get_tags

    from balancekit.pipeline import make_pipeline

    sampler = make_sampler(SAMPLERS[name])
    assert get_tags(sampler).estimator_type == "sampler"
    assert get_tags(sampler).target_tags.required  # as imbalanced-learn's samplers say
    # A pipeline ending in a sampler is one too; a classifier after it decides.
    assert get_tags(make_pipeline(StandardScaler(), sampler)).estimator_type == "sampler"
    assert get_tags(make_pipeline(sampler, LogisticRegression())).estimator_type == "classifier"


@pytest.mark.parametrize("name", NAMES)
def test_counts_for_every_strategy_form(name, multiclass_data):
    X, y = multiclass_data
    counts = Counter(y.tolist())
    kind = _kind(name)
    forms = list(STRATEGIES[kind])
    if kind == "over-sampling":
        forms += [{2: counts[0] + 7, 1: counts[1]}, lambda y: {2: 150}]
    elif kind == "under-sampling":
        forms += [{0: 40, 1: 35}, lambda y: {0: 50}]
    else:
        forms += [[0]]
    for strategy in forms:
        sampler, X_res, y_res = _fit(name, X, y, sampling_strategy=strategy)
        targets = resolve_sampling_strategy(strategy, y, kind)
        assert sampler.sampling_strategy_ == targets
        assert X_res.shape[0] == y_res.shape[0]
        assert X_res.shape[1] == X.shape[1]
        _check_counts(name, y, y_res, targets)


@pytest.mark.parametrize("name", NAMES)
def test_float_strategy_on_binary_target(name, binary_data):
    X, y = binary_data
    kind = _kind(name)
    if kind == "clean-sampling":
        pytest.skip("cleaning rules take no float strategy")
    ratio = 0.6 if kind == "over-sampling" else 0.9
    _, _, y_res = _fit(name, X, y, sampling_strategy=ratio)
    counts = Counter(y_res.tolist())
    minority, majority = sorted(Counter(y.tolist()), key=Counter(y.tolist()).get)
    if _is_combined(name):
        assert counts[minority] <= int(Counter(y.tolist())[majority] * ratio)
    elif kind == "over-sampling":
        assert counts[minority] == int(Counter(y.tolist())[majority] * ratio)
    else:
        assert counts[majority] == int(Counter(y.tolist())[minority] / ratio)


@pytest.mark.parametrize("name", NAMES)
def test_rows_kept_or_selected(name, multiclass_data):
    X, y = multiclass_data
    sampler, X_res, y_res = _fit(name, X, y)
    if hasattr(sampler, "sample_indices_"):
        idx = sampler.sample_indices_
        np.testing.assert_array_equal(X_res, X[idx])
        np.testing.assert_array_equal(y_res, y[idx])
    if _kind(name) == "over-sampling" and not _is_combined(name):
        # Over-samplers keep every original row, first and in order.
        np.testing.assert_array_equal(X_res[: X.shape[0]], X)
        np.testing.assert_array_equal(y_res[: y.shape[0]], y)


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_output_and_input_untouched(name, multiclass_data):
    X, y = multiclass_data
    X_copy, y_copy = X.copy(), y.copy()
    _, X1, y1 = _fit(name, X, y, random_state=3)
    _, X2, y2 = _fit(name, X, y, random_state=3)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(y, y_copy)


def _fitted_state(sampler):
    """The fitted arrays and counts of ``sampler`` that a call sets, comparable."""
    state = {"sampling_strategy_": sampler.sampling_strategy_}
    if hasattr(sampler, "sample_indices_"):
        state["sample_indices_"] = sampler.sample_indices_.tolist()
    return state


@pytest.mark.parametrize("name", NAMES)
def test_one_sampler_called_from_several_threads_at_once(name):
    # README: samplers may be called from several threads at once. The same object, called
    # from 4 threads on 4 data sets, gives each caller what a call of its own gives, and
    # keeps the attributes of one whole call (SMOTEN gave other rows; SMOTEENN raised an
    # AttributeError; sampling_strategy_ came from one call and sample_indices_ from another).
    data = []
    for seed in range(4):
        X, y = make_classification(
            n_samples=200 + 40 * seed, n_features=4, n_informative=3, n_redundant=0,
            n_classes=3, weights=[0.6, 0.3, 0.1], n_clusters_per_class=1, random_state=seed,
        )
        data.append((X, y))
    alone = [_fit(name, X, y) for X, y in data]
    shared = make_sampler(SAMPLERS[name])

    def call(Xy):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SmallClassWarning)
            return shared.fit_resample(*Xy)

    for _ in range(3):
        with ThreadPoolExecutor(4) as pool:
            futures = [pool.submit(call, Xy) for Xy in data]
            together = [future.result(timeout=120) for future in futures]
        for (_, X_alone, y_alone), (X_res, y_res) in zip(alone, together, strict=True):
            np.testing.assert_array_equal(X_res, X_alone)
            np.testing.assert_array_equal(y_res, y_alone)
        assert _fitted_state(shared) in [_fitted_state(s) for s, _, _ in alone]


def test_calls_of_one_sampler_from_two_threads_do_not_mix_attributes(monkeypatch):
    # A slow first call and a quick second one, overlapping: the attributes are those of
    # one call (they were sampling_strategy_ of the second and sample_indices_ of the first).
    from balancekit.under_sampling import RandomUnderSampler

    X_a, y_a = np.zeros((30, 2)), np.repeat([0, 1], [20, 10])
    X_b, y_b = np.zeros((12, 2)), np.repeat([0, 1], [8, 4])
    sampler = RandomUnderSampler(random_state=0)
    hook = RandomUnderSampler._fit_resample

    def slow_for_a(self, X, y, **kwargs):
        if len(y) == len(y_a):
            time.sleep(0.5)
        return hook(self, X, y, **kwargs)

    monkeypatch.setattr(RandomUnderSampler, "_fit_resample", slow_for_a)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(sampler.fit_resample, X_a, y_a)
        time.sleep(0.1)
        second = pool.submit(sampler.fit_resample, X_b, y_b)
        first.result(timeout=60), second.result(timeout=60)
    counts = sampler.sampling_strategy_
    assert counts in ({0: 10}, {0: 4})
    assert len(sampler.sample_indices_) == 2 * counts[0]


@pytest.mark.parametrize("name", NAMES)
def test_string_labels_and_column_vector(name, multiclass_data):
    X, y = multiclass_data
    # Names sorting like the integer codes, so classes are processed in the same order.
    names = np.array(["a_normal", "b_suspect", "c_fraud"])[y]
    _, X_num, y_num = _fit(name, X, y)
    _, X_str, y_str = _fit(name, X, names)
    np.testing.assert_allclose(X_str, X_num)
    np.testing.assert_array_equal(y_str, np.array(["a_normal", "b_suspect", "c_fraud"])[y_num])
    with pytest.warns(DataConversionWarning, match="column-vector y"):
        _, X_col, y_col = _fit(name, X, y.reshape(-1, 1))
    np.testing.assert_allclose(X_col, X_num)
    np.testing.assert_array_equal(np.ravel(y_col), y_num)


@pytest.mark.parametrize("name", NAMES)
def test_dataframe_round_trip(name, multiclass_data, frame_lib):
    X, y = multiclass_data
    X = X.copy()
    X[:, 3] = np.round(X[:, 3] * 10)
    frame = to_frame(frame_lib, X, ["amount", "score", "delta", "count"])
    if frame_lib.__name__ == "pandas":
        frame["count"] = frame["count"].astype("int64")
        y_in = frame_lib.Series(y, name="label")
    else:
        frame = frame.with_columns(frame_lib.col("count").cast(frame_lib.Int64))
        y_in = frame_lib.Series("label", y)
    frame = frame.rename({"score": "score32"}) if frame_lib.__name__ == "polars" else frame.rename(
        columns={"score": "score32"})
    if frame_lib.__name__ == "pandas":
        frame["score32"] = frame["score32"].astype("float32")
    else:
        frame = frame.with_columns(frame_lib.col("score32").cast(frame_lib.Float32))
    sampler, X_res, y_res = _fit(name, frame, y_in)
    assert type(X_res) is type(frame)
    assert type(y_res) is type(y_in)
    assert list(X_res.columns) == list(frame.columns)
    assert dict(zip(X_res.columns, map(str, X_res.dtypes), strict=False)) == dict(
        zip(frame.columns, map(str, frame.dtypes), strict=False)
    )
    assert y_res.name == "label"
    counts = np.asarray(X_res["count"]).astype(float)
    np.testing.assert_array_equal(counts, np.round(counts))
    _, X_arr, y_arr = _fit(name, frame.to_numpy(), np.asarray(y))
    if hasattr(sampler, "sample_indices_"):
        # Rows selected from a frame are the same rows as selected from the array.
        np.testing.assert_allclose(np.asarray(X_res, dtype=float), X_arr, rtol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_float32_stays_float32(name, multiclass_data):
    X, y = multiclass_data
    _, X_res, _ = _fit(name, X.astype(np.float32), y)
    assert X_res.dtype == np.float32


@pytest.mark.parametrize("name", NAMES)
def test_nan_and_inf_rejected_by_numeric_samplers(name, multiclass_data):
    X, y = multiclass_data
    if not _is_numeric_only(name):
        pytest.skip("samplers that only select rows accept missing values")
    for bad in (np.nan, np.inf):
        X_bad = X.copy()
        X_bad[5, 1] = bad
        with pytest.raises(DataError, match="(?i)impute|finite"):
            _fit(name, X_bad, y)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("sparse", [False, True])
def test_complex_values_are_refused_where_rows_are_computed(name, sparse, multiclass_data):
    """Samplers that compute on X refuse complex values with a clear error (numpy would drop
    the imaginary parts with a mere warning); those that only select rows keep them."""
    import scipy.sparse as sp
    X, y = multiclass_data
    X_complex = X + 1j * X[:, ::-1]
    if sparse:
        X_complex = sp.csr_matrix(X_complex)
    computes = _is_numeric_only(name) or name == "smotenc"
    if not computes:
        if sparse and not make_sampler(SAMPLERS[name]).__sklearn_tags__().input_tags.sparse:
            pytest.skip("no sparse input")
        _, X_res, _ = _fit(name, X_complex, y)
        assert X_res.dtype == np.complex128
        return
    if sparse and not make_sampler(SAMPLERS[name]).__sklearn_tags__().input_tags.sparse:
        pytest.skip("refuses sparse input")
    copy = X_complex.copy()
    with pytest.raises(DataTypeError, match=r"X holds complex numbers \(complex128\).*real numbers"):
        _fit(name, X_complex, y)
    assert (abs(X_complex - copy)).max() == 0


@pytest.mark.parametrize("name", NAMES)
def test_sparse_cells_stored_as_several_entries_resample_as_their_sum(name, multiclass_data):
    """scipy reads a cell stored as several entries as their sum: the samplers see that sum
    (scikit-learn's row norms, and so its distances, count each entry on its own)."""
    import scipy.sparse as sp
    if not make_sampler(SAMPLERS[name]).__sklearn_tags__().input_tags.sparse:
        pytest.skip("no sparse input")
    X, y = multiclass_data
    S = sp.csr_matrix(X)
    # every entry stored twice, as two halves (x / 2 + x / 2 == x exactly)
    counts = np.diff(S.indptr)
    order = np.argsort(np.tile(np.repeat(np.arange(S.shape[0]), counts), 2), kind="stable")
    D = sp.csr_matrix(
        (np.tile(S.data / 2, 2)[order], np.tile(S.indices, 2)[order],
         np.concatenate([[0], np.cumsum(2 * counts)])),
        shape=S.shape,
    )
    assert not D.has_canonical_format and np.array_equal(D.toarray(), X)
    stored = D.data.copy()
    _, X_dup, y_dup = _fit(name, D, y)
    _, X_one, y_one = _fit(name, S, y)
    np.testing.assert_array_equal(X_dup.toarray(), X_one.toarray())
    np.testing.assert_array_equal(y_dup, y_one)
    np.testing.assert_array_equal(D.data, stored)  # the input is left as it was


@pytest.mark.parametrize("name", NAMES)
def test_bad_targets_have_clear_errors(name, multiclass_data):
    X, y = multiclass_data
    cases = [
        (X, np.zeros(len(y)), "only one class"),
        (X, y[:-1], "different lengths"),
        (X, np.where(np.arange(len(y)) == 3, np.nan, y), "missing"),
        (X, np.linspace(0, 1, len(y)), "continuous"),
        (X[:, 0], y, "2-D"),
        (X[:0], y[:0], "empty|0 rows"),
    ]
    for X_bad, y_bad, pattern in cases:
        with pytest.raises(BalancekitError, match=pattern):
            _fit(name, X_bad, y_bad)


@pytest.mark.parametrize("name", NAMES)
def test_missing_labels_of_every_kind_and_dates_have_clear_errors(name, multiclass_data):
    pd = pytest.importorskip("pandas")
    X, y = multiclass_data
    labels = np.array(["a", "b", "c"])[y]
    cases = [
        (pd.Series(np.where(np.arange(len(y)) == 5, None, labels), dtype="string"), "missing.*row 5"),
        (pd.Series(np.where(np.arange(len(y)) == 7, None, y == 0), dtype="boolean"), "missing.*row 7"),
        (pd.Series(np.where(np.arange(len(y)) == 2, None, y), dtype="Int64"), "missing.*row 2"),
        (pd.Series(pd.to_datetime(y * 86_400_000_000_000)), "dates or durations"),
        (np.where(np.arange(len(y)) == 0, 0.5, y),
         r"fractional numbers \(e\.g\. 0\.5\), 4 distinct values.*y\.astype\(str\)"),
    ]
    for y_bad, pattern in cases:
        with pytest.raises(BalancekitError, match=pattern):
            _fit(name, X, y_bad)


@pytest.mark.parametrize("name", NAMES)
def test_bad_sample_weights_are_rejected(name, multiclass_data):
    X, y = multiclass_data
    sampler = make_sampler(SAMPLERS[name])
    for value, pattern in [(np.nan, "NaN or infinite.*row 4"), (np.inf, "NaN or infinite"),
                           (-1.0, "negative.*row 4")]:
        weights = np.ones(len(y))
        weights[4] = value
        with pytest.raises(DataError, match=pattern):
            sampler.fit_resample(X, y, sample_weight=weights)
    with pytest.raises(DataError, match="sums to zero"):
        sampler.fit_resample(X, y, sample_weight=np.zeros(len(y)))
    # numpy would keep the real parts of complex weights with a mere warning.
    with pytest.raises(InvalidParameterTypeError, match="real numbers; got complex"):
        sampler.fit_resample(X, y, sample_weight=np.ones(len(y)) + 5j)


@pytest.mark.parametrize(
    "name", [n for n in NAMES if "n_jobs" in inspect.signature(SAMPLERS[n]).parameters]
)
def test_bad_n_jobs_is_a_clear_error(name, multiclass_data):
    X, y = multiclass_data
    with pytest.raises(InvalidParameterError, match=r"n_jobs=0 is out of range"):
        _fit(name, X, y, n_jobs=0)
    with pytest.raises(InvalidParameterTypeError, match=r"n_jobs must be an integer or None"):
        _fit(name, X, y, n_jobs="2")


@pytest.mark.parametrize("name", NAMES)
def test_a_strategy_of_the_wrong_type_is_caught_as_a_value_error(name, multiclass_data):
    # Code written for imbalanced-learn catches its parameter errors as ValueError (scikit-
    # learn's InvalidParameterError is both a ValueError and a TypeError).
    X, y = multiclass_data
    with pytest.raises(ValueError, match="sampling_strategy") as caught:
        _fit(name, X, y, sampling_strategy=object())
    assert isinstance(caught.value, TypeError)


@pytest.mark.parametrize("name", NAMES)
def test_unknown_strategy_is_rejected(name, multiclass_data):
    X, y = multiclass_data
    with pytest.raises(BalancekitError, match="sampling_strategy"):
        _fit(name, X, y, sampling_strategy="most")
    with pytest.raises(BalancekitError, match="not in y"):
        strategy = [7] if _kind(name) == "clean-sampling" else {7: 10}
        _fit(name, X, y, sampling_strategy=strategy)


@pytest.mark.parametrize("name", NAMES)
def test_tiny_minority_class(name):
    rng = np.random.RandomState(0)
    X = np.vstack([rng.randn(40, 3), rng.randn(3, 3) + 2])
    y = np.array([0] * 40 + [1] * 3)
    sampler = make_sampler(SAMPLERS[name])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallClassWarning)
        X_res, y_res = sampler.fit_resample(X, y)
    assert X_res.shape[0] == y_res.shape[0] > 0
    assert set(np.unique(y_res)) <= {0, 1}


def test_smote_family_warns_on_small_class_and_errors_on_singleton():
    from balancekit.over_sampling import SMOTE

    rng = np.random.RandomState(0)
    X = np.vstack([rng.randn(40, 3), rng.randn(3, 3)])
    y = np.array([0] * 40 + [1] * 3)
    with pytest.warns(SmallClassWarning, match="k_neighbors=5 needs at least 6 samples of class 1"):
        SMOTE(random_state=0).fit_resample(X, y)
    with pytest.raises(DataError, match="k_neighbors=5 needs at least 2 samples of class 1"):
        SMOTE().fit_resample(X[:41], y[:41])


def _checks_instances():
    return [make_sampler(cls) for cls in SAMPLERS.values()]


# Checks that assume every estimator is a predictor or transformer do not apply to samplers,
# which only have fit and fit_resample.
@parametrize_with_checks(_checks_instances())
def test_sklearn_compatible(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallClassWarning)
        check(estimator)


# --- Docstrings: every public estimator documents its parameters and fitted attributes -------

_ESTIMATOR_MODULES = [
    "balancekit", "balancekit.over_sampling", "balancekit.under_sampling",
    "balancekit.combine", "balancekit.ensemble", "balancekit.weights",
    "balancekit.calibration", "balancekit.pipeline", "balancekit.dask",
    "balancekit.metrics.pairwise",
]
_NEEDS = {"balancekit.dask": "dask.dataframe"}


def _public_estimator_names():
    from sklearn.base import BaseEstimator

    names = []
    for module_name in _ESTIMATOR_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:  # an optional dependency; the test is skipped below
            names.append(f"{module_name}.*")
            continue
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) and issubclass(obj, BaseEstimator) and obj.__init__ is not (
                    BaseEstimator.__init__):
                names.append(f"{module_name}.{name}")
    return names


def _doc_sections(doc):
    """``{section: [(name, type), ...]}`` of a numpydoc docstring's entry sections."""
    lines = inspect.cleandoc(doc).splitlines()
    sections, current = {}, None
    for i, line in enumerate(lines):
        if i + 1 < len(lines) and lines[i + 1].strip() and set(lines[i + 1].strip()) == {"-"}:
            current = sections.setdefault(line.strip(), [])
        elif current is not None and line and not line[0].isspace() and set(line) != {"-"}:
            name, _, type_ = line.partition(" : ")
            current.extend((n.strip(), type_.strip()) for n in name.split(","))
    return sections


def _documented_default(type_):
    match = re.search(r"default\s*=\s*(.+)$", type_)
    return None if match is None else match.group(1).strip()


def _fitted(cls, module_name):
    """An instance of ``cls`` fitted (or resampled) on small data with sample weights."""
    import pandas as pd
    from sklearn.linear_model import LogisticRegression

    from balancekit.under_sampling import EditedNearestNeighbours

    rng = np.random.RandomState(0)
    X = pd.DataFrame(rng.randn(120, 4), columns=list("abcd"))
    y = (rng.rand(120) < 0.2).astype(int) + (X["a"] > 1.5)
    y = pd.Series(np.minimum(y, 1))
    weight = np.linspace(0.5, 2.0, 120)
    if cls.__name__ == "SMOTEN":
        X = pd.DataFrame(rng.choice(list("xyz"), size=(120, 3)), columns=list("abc"),
                         dtype="category")
    if cls.__name__ == "ValueDifferenceMetric":  # category codes
        X = pd.DataFrame(rng.randint(0, 3, size=(120, 3)), columns=list("abc"))
    kwargs = {}
    params = inspect.signature(cls).parameters
    if "estimator" in params and params["estimator"].default is inspect.Parameter.empty:
        kwargs["estimator"] = LogisticRegression()
    if "steps" in params:
        kwargs["steps"] = [("sampler", make_sampler(SAMPLERS["random_under"])),
                           ("model", LogisticRegression())]
    if "sampler" in params and params["sampler"].default is inspect.Parameter.empty:
        kwargs["sampler"] = EditedNearestNeighbours()
    if "n_estimators" in params:
        kwargs["n_estimators"] = 3
    if "random_state" in params:
        kwargs["random_state"] = 0
    estimator = cls(**kwargs)
    if module_name == "balancekit.dask":
        dd = pytest.importorskip("dask.dataframe")
        frame = dd.from_pandas(X.assign(label=y), npartitions=2)
        estimator.fit_resample(frame.drop(columns="label"), frame["label"])
        return estimator
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if hasattr(estimator, "fit_resample") and not hasattr(estimator, "predict"):
            estimator.fit_resample(X, y, sample_weight=weight)
        else:
            estimator.fit(X, y)
    return estimator


def _check_parameters(where, doc, signature):
    """The Parameters of ``doc`` are those of ``signature``, in order, typed, with its defaults."""
    documented = _doc_sections(doc or "").get("Parameters", [])
    names = [n for n in signature if n not in ("self", "cls")]
    assert [n.lstrip("*") for n, _ in documented] == names, (
        f"{where}: Parameters {[n for n, _ in documented]} differ from the signature {names}")
    for param, type_ in documented:
        parameter = signature[param.lstrip("*")]
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        written = _documented_default(type_)
        assert type_, f"{where}: {param} has no type"
        if parameter.default is inspect.Parameter.empty:
            assert written is None, f"{where}: {param} has no default but documents {written}"
            continue
        assert written is not None, f"{where}: {param}: default={parameter.default!r} not documented"
        try:
            same = written == repr(parameter.default) or ast.literal_eval(written) == parameter.default
        except (ValueError, SyntaxError):
            same = False
        assert same, f"{where}: {param}: documented default={written}, signature {parameter.default!r}"


@pytest.mark.parametrize("qualname", _public_estimator_names())
def test_docstring_documents_parameters_defaults_and_fitted_attributes(qualname):
    """The docstrings of the class and of its public methods list every parameter of the
    signature, in order, with a type and the signature's default, and the class docstring
    lists every public attribute that fitting sets (numpydoc)."""
    module_name, _, name = qualname.rpartition(".")
    if module_name in _NEEDS:
        pytest.importorskip(_NEEDS[module_name])
    cls = getattr(importlib.import_module(module_name), name)
    _check_parameters(qualname, cls.__doc__, inspect.signature(cls).parameters)
    for method_name, method in inspect.getmembers(cls, inspect.isfunction):
        if not method_name.startswith("_") and method.__module__.startswith("balancekit"):
            _check_parameters(f"{qualname}.{method_name}", method.__doc__,
                              inspect.signature(method).parameters)
    estimator = _fitted(cls, module_name)
    attributes = {n for n, _ in _doc_sections(cls.__doc__).get("Attributes", [])}
    learned = {a for a in vars(estimator) if a.endswith("_") and not a.startswith("_")}
    assert learned <= attributes, f"fitted attributes not documented: {sorted(learned - attributes)}"


@pytest.mark.parametrize("name", [n for n in NAMES if SAMPLERS[n]._input == "numeric"])
def test_arrays_of_dates_are_refused_as_a_column_of_dates_is(name, multiclass_data):
    """numpy datetime64/timedelta64 arrays were measured and interpolated as their integer
    encoding, where a table's column of dates is refused."""
    X, y = multiclass_data
    start = np.datetime64("2020-01-01T00:00")
    for dates in (start + (X * 1e6).astype("timedelta64[s]"),
                  (X * 1e6).astype("timedelta64[s]")):
        with pytest.raises(DataError, match=r"an array of dates or times \(dtype "):
            _fit(name, dates, y)
