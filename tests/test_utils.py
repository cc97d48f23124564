"""balancekit.utils and exceptions.raise_isinstance_error, cross-checked with imbalanced-learn."""

import inspect
from collections import Counter, OrderedDict

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

import balancekit
from balancekit._strategy import STRATEGY_NAMES
from balancekit.exceptions import (
    BalancekitError,
    DataError,
    InvalidParameterError,
    InvalidParameterTypeError,
    raise_isinstance_error,
)
from balancekit.utils import check_neighbors_object, check_sampling_strategy, check_target_type
from tests.test_common import _check_parameters

imblearn_utils = pytest.importorskip("imblearn.utils")
imblearn_exceptions = pytest.importorskip("imblearn.exceptions")

KINDS = ("over-sampling", "under-sampling", "clean-sampling")
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def label_vectors(draw, min_classes=2, max_classes=5):
    """Shuffled labels (integers or strings) with skewed counts and frequent ties."""
    n_classes = draw(st.integers(min_classes, max_classes))
    size = st.one_of(st.integers(1, 6), st.sampled_from([5, 8]), st.integers(20, 90))
    counts = draw(st.lists(size, min_size=n_classes, max_size=n_classes))
    labels = draw(st.lists(st.integers(-3, 30), min_size=n_classes, max_size=n_classes,
                           unique=True))
    if draw(st.booleans()):
        labels = [f"c{v}" for v in labels]  # "c10" sorts before "c9"
    y = np.repeat(np.array(labels), counts)
    return np.random.RandomState(draw(st.integers(0, 2**31 - 1))).permutation(y)


def _answer(func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except ValueError as exc:  # imbalanced-learn's errors, and every one of balancekit's
        return exc


def _float_asks_for_nothing(strategy, y, kind):
    """A ratio that asks an over-sampler for no new row: refused by imbalanced-learn,
    0 rows to add here (README: where balancekit deliberately differs)."""
    counts = sorted(Counter(y.tolist()).values())
    return (isinstance(strategy, (int, float)) and not isinstance(strategy, bool) and kind == "over-sampling" and len(counts) == 2
            and 0 < strategy <= 1 and int(counts[1] * strategy) == counts[0])


def _assert_same_as_imblearn(strategy, y, kind, **kwargs):
    theirs = _answer(imblearn_utils.check_sampling_strategy, strategy, y, kind, **kwargs)
    ours = _answer(check_sampling_strategy, strategy, y, kind, **kwargs)
    if isinstance(theirs, Exception):
        if _float_asks_for_nothing(strategy, y, kind):
            assert dict(ours) == dict.fromkeys(ours, 0) and len(ours) == 1
            return
        # Both refuse it, with a ValueError naming the parameter.
        assert isinstance(ours, BalancekitError), (strategy, kind, ours, theirs)
        assert "sampling_strategy" in str(ours)
        return
    assert not isinstance(ours, Exception), (strategy, kind, ours, theirs)
    assert type(ours) is OrderedDict
    assert list(ours.items()) == list(theirs.items()), (strategy, kind)
    for value in ours.values():
        assert type(value) is int


@SETTINGS
@given(y=label_vectors(), kind=st.sampled_from(KINDS), name=st.sampled_from(STRATEGY_NAMES))
def test_named_strategies_match_imblearn(y, kind, name):
    _assert_same_as_imblearn(name, y, kind)


@SETTINGS
@given(y=label_vectors(max_classes=3), kind=st.sampled_from(KINDS),
       ratio=st.one_of(st.floats(0.01, 1.0), st.sampled_from([1.0, 0.5, 0.25, 1, 0.0, -0.5,
                                                                1.5, 2])))
def test_float_ratios_match_imblearn(y, kind, ratio):
    # Three classes too: imbalanced-learn and balancekit both refuse a float there.
    _assert_same_as_imblearn(ratio, y, kind)


@SETTINGS
@given(y=label_vectors(), kind=st.sampled_from(KINDS), data=st.data())
def test_dicts_match_imblearn(y, kind, data):
    counts = Counter(y.tolist())
    chosen = data.draw(st.lists(st.sampled_from(sorted(counts)), unique=True))
    # Counts below, at and above each class's size: over- and under-samplers refuse one side.
    strategy = {label: data.draw(st.integers(0, 2 * counts[label] + 3)) for label in chosen}
    if data.draw(st.booleans()):
        strategy = {label: np.int64(n) for label, n in strategy.items()}
    _assert_same_as_imblearn(strategy, y, kind)


@SETTINGS
@given(y=label_vectors(), kind=st.sampled_from(KINDS))
def test_unknown_labels_are_refused_as_imblearn_refuses_them(y, kind):
    unknown = "nope" if y.dtype.kind == "U" else 1000
    strategy = [unknown] if kind == "clean-sampling" else {unknown: 3}
    _assert_same_as_imblearn(strategy, y, kind)
    with pytest.raises(InvalidParameterError, match=repr(unknown)):
        check_sampling_strategy(strategy, y, kind)


@SETTINGS
@given(y=label_vectors(), kind=st.sampled_from(KINDS), data=st.data())
def test_lists_match_imblearn(y, kind, data):
    labels = sorted(Counter(y.tolist()))
    chosen = data.draw(st.lists(st.sampled_from(labels)))  # repeated labels too
    _assert_same_as_imblearn(chosen, y, kind)
    if kind == "clean-sampling":
        # A tuple is a list of labels here; imbalanced-learn returns None for it.
        assert check_sampling_strategy(tuple(chosen), y, kind) == check_sampling_strategy(
            chosen, y, kind)


@SETTINGS
@given(y=label_vectors(), kind=st.sampled_from(KINDS[:2]), extra=st.integers(0, 4))
def test_callables_get_y_and_the_keyword_arguments_as_in_imblearn(y, kind, extra):
    seen = []

    def strategy(labels, *, extra):
        seen.append(labels)
        counts = Counter(labels.tolist())
        majority, minority = counts.most_common()[0][0], counts.most_common()[-1][0]
        if kind == "over-sampling":
            return {minority: counts[majority] + extra}
        return {majority: max(counts[minority] - extra, 0)}

    _assert_same_as_imblearn(strategy, y, kind, extra=extra)
    assert seen[-1] is y  # the caller's y, as imbalanced-learn gives it


@pytest.mark.parametrize("returned", [{"a": 2}, ["a"]])
def test_a_callable_names_the_classes_to_clean(returned):
    # balancekit's cleaning rules take a callable (imbalanced-learn refuses a dict there and
    # fails with an AttributeError on a list).
    y = np.array(["a"] * 9 + ["b"] * 4 + ["c"] * 6)
    assert check_sampling_strategy(lambda y: returned, y, "clean-sampling") == {"a": 4}


def test_a_callable_that_returns_no_dict_is_refused():
    y = np.array([0] * 9 + [1] * 4)
    with pytest.raises(InvalidParameterTypeError, match="returned int"):
        check_sampling_strategy(lambda y: 3, y, "over-sampling")


@pytest.mark.parametrize("kind", ["ensemble", "bypass"])
def test_ensemble_and_bypass_return_the_strategy_unread(kind):
    y = np.array([0] * 9 + [1] * 4)
    strategy = object()
    assert imblearn_utils.check_sampling_strategy(strategy, y, kind) is strategy
    assert check_sampling_strategy(strategy, y, kind) is strategy
    with pytest.raises(ValueError, match="more than 1 class"):
        imblearn_utils.check_sampling_strategy(strategy, np.zeros(5), kind)
    with pytest.raises(DataError, match="only one class"):
        check_sampling_strategy(strategy, np.zeros(5), kind)


@pytest.mark.parametrize("sampling_type", ["oversampling", "", None, 3])
def test_an_unknown_sampling_type_is_named(sampling_type):
    y = np.array([0] * 9 + [1] * 4)
    with pytest.raises(ValueError):
        imblearn_utils.check_sampling_strategy("auto", y, sampling_type)
    with pytest.raises(InvalidParameterError, match=rf"sampling_type={sampling_type!r} .*'bypass'"):
        check_sampling_strategy("auto", y, sampling_type)


@pytest.mark.parametrize("kind", KINDS)
def test_a_single_class_is_refused_as_imblearn_refuses_it(kind):
    with pytest.raises(ValueError):
        imblearn_utils.check_sampling_strategy("auto", np.ones(6), kind)
    with pytest.raises(DataError, match="only one class"):
        check_sampling_strategy("auto", np.ones(6), kind)


@pytest.mark.parametrize("strategy", [None, True, {1, 2}, "Auto"])
def test_strategies_of_no_known_type_are_refused(strategy):
    y = np.array([0] * 9 + [1] * 4)
    with pytest.raises(BalancekitError, match="sampling_strategy"):
        check_sampling_strategy(strategy, y, "under-sampling")


def test_labels_from_a_series_and_a_list():
    y = ["b"] * 3 + ["a"] * 8 + ["c"] * 5
    expected = imblearn_utils.check_sampling_strategy("not majority", np.array(y), "over-sampling")
    for labels in (y, pd.Series(y, index=range(100, 116))):
        assert list(check_sampling_strategy("not majority", labels, "over-sampling").items()) == (
            list(expected.items()))


# check_neighbors_object


@SETTINGS
@given(n=st.integers(-2, 40), extra=st.integers(0, 3), numpy=st.booleans())
def test_integers_give_imblearn_nearest_neighbors(n, extra, numpy):
    n = np.int64(n) if numpy else n
    if n + extra < 1:
        with pytest.raises(InvalidParameterError, match=rf"k_neighbors={n} is out of range"):
            check_neighbors_object("k_neighbors", n, additional_neighbor=extra)
        return
    theirs = imblearn_utils.check_neighbors_object("k_neighbors", n, additional_neighbor=extra)
    ours = check_neighbors_object("k_neighbors", n, additional_neighbor=extra)
    assert type(ours) is type(theirs) is NearestNeighbors
    assert ours.get_params() == theirs.get_params()
    assert type(ours.n_neighbors) is int


@pytest.mark.parametrize("estimator", [NearestNeighbors(n_neighbors=4, metric="manhattan"),
                                       KNeighborsClassifier(n_neighbors=2, weights="distance")])
def test_estimators_are_cloned_as_imblearn_clones_them(estimator):
    theirs = imblearn_utils.check_neighbors_object("m_neighbors", estimator, 1)
    ours = check_neighbors_object("m_neighbors", estimator, 1)
    assert ours is not estimator
    assert type(ours) is type(theirs)
    assert ours.get_params() == theirs.get_params() == estimator.get_params()


class _NoParams:
    def kneighbors(self, X):
        return X


@pytest.mark.parametrize("value", ["five", None, 2.0, _NoParams()])
def test_objects_imblearn_cannot_clone_are_refused_with_a_type_error(value):
    with pytest.raises(TypeError):
        imblearn_utils.check_neighbors_object("k_neighbors", value)
    with pytest.raises(InvalidParameterTypeError, match=r"^k_neighbors must be"):
        check_neighbors_object("k_neighbors", value)


@pytest.mark.parametrize("value, match", [
    (NearestNeighbors, "got the class NearestNeighbors"),
    (LogisticRegression(), "kneighbors method"),
    (True, "of type bool"),
])
def test_objects_that_search_no_neighbors_are_refused(value, match):
    with pytest.raises(InvalidParameterTypeError, match=match):
        check_neighbors_object("n_neighbors", value)


@pytest.mark.parametrize("extra, error", [(-1, InvalidParameterError), (1.0, InvalidParameterTypeError),
                                          (True, InvalidParameterTypeError)])
def test_additional_neighbor_is_checked(extra, error):
    with pytest.raises(error, match="additional_neighbor"):
        check_neighbors_object("k_neighbors", 5, additional_neighbor=extra)


# check_target_type


def _assert_target_like_imblearn(y):
    for flag in (False, True):
        theirs = imblearn_utils.check_target_type(y, indicate_one_vs_all=flag)
        ours = check_target_type(y, indicate_one_vs_all=flag)
        if flag:
            assert isinstance(ours, tuple) and ours[1] is theirs[1]
            theirs, ours = theirs[0], ours[0]
        assert isinstance(ours, np.ndarray) and ours.ndim == 1
        np.testing.assert_array_equal(ours, theirs)
        assert ours.dtype == theirs.dtype


@SETTINGS
@given(y=label_vectors(min_classes=1), layout=st.sampled_from(["1d", "column", "one-hot"]))
def test_targets_match_imblearn(y, layout):
    if layout == "column":
        y = y.reshape(-1, 1)
    elif layout == "one-hot":
        codes = np.unique(y, return_inverse=True)[1].ravel()
        n_columns = max(codes.max() + 1, 2)
        y = np.eye(n_columns, dtype=int)[codes]
    _assert_target_like_imblearn(y)


def test_one_hot_tables_sparse_rows_and_lists_are_read():
    rows = np.array([[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    expected = imblearn_utils.check_target_type(rows)
    _assert_target_like_imblearn(sp.csr_matrix(rows)[:, :3].toarray())
    for y in (pd.DataFrame(rows, columns=["x", "y", "z"], index=[5, 6, 7, 8]),
              sp.csr_matrix(rows), rows.tolist()):
        labels, one_vs_all = check_target_type(y, indicate_one_vs_all=True)
        np.testing.assert_array_equal(labels, expected)
        assert isinstance(labels, np.ndarray) and one_vs_all is True
    series = pd.Series(["b", "a", "b"], index=[3, 1, 2])
    _assert_target_like_imblearn(series)
    assert check_target_type(series).tolist() == ["b", "a", "b"]


@pytest.mark.parametrize("y, match", [
    (np.array([[1, 1, 0], [0, 1, 0]]), "row 0 has 2 ones"),  # multilabel
    (np.array([[1, 2], [3, 4], [5, 6]]), r"shape \(3, 2\) \(several outputs"),  # multioutput
])
def test_targets_imblearn_refuses_are_refused(y, match):
    with pytest.raises(ValueError):
        imblearn_utils.check_target_type(y)
    with pytest.raises(DataError, match=match):
        check_target_type(y)


def test_a_row_without_a_class_is_refused():
    # imbalanced-learn takes a row of zeros for the first class.
    with pytest.raises(DataError, match="row 1 has 0 ones"):
        check_target_type(np.array([[0, 1], [0, 0], [1, 0]]))


def test_labels_are_not_judged():
    # As imbalanced-learn's: the layout is checked, the values are not.
    for y in (np.array([0.5, 1.5, 2.25]), np.ones(4)):
        _assert_target_like_imblearn(y)


# raise_isinstance_error


@pytest.mark.parametrize("possible_type, expected", [
    (int, "int"), ([int], "int"), ([int, NearestNeighbors], "int or NearestNeighbors"),
    ((int, float, str), "int, float or str"),
])
def test_raise_isinstance_error_names_the_parameter_and_the_types(possible_type, expected):
    with pytest.raises(ValueError):
        imblearn_exceptions.raise_isinstance_error("k_neighbors", possible_type, "five")
    with pytest.raises(InvalidParameterTypeError) as info:
        raise_isinstance_error("k_neighbors", possible_type, "five")
    assert isinstance(info.value, ValueError) and isinstance(info.value, TypeError)
    assert str(info.value) == (
        f"k_neighbors must be an instance of {expected}; got 'five' of type str.")


def test_raise_isinstance_error_does_not_print_long_values():
    with pytest.raises(InvalidParameterTypeError, match=r"got a value of type ndarray\.$"):
        raise_isinstance_error("X", [list], np.arange(1000))


@pytest.mark.parametrize("possible_type", [[], (), set()])
def test_raise_isinstance_error_with_no_type_still_raises_its_error(possible_type):
    with pytest.raises(ValueError):
        imblearn_exceptions.raise_isinstance_error("k_neighbors", possible_type, 5)
    with pytest.raises(InvalidParameterTypeError,
                       match=r"^k_neighbors must be an instance of .*possible_type, which is "
                             r"empty; got 5 of type int\.$"):
        raise_isinstance_error("k_neighbors", possible_type, 5)


# the public names


def test_the_names_signatures_and_docstrings_are_imblearn_s():
    import imblearn

    assert set(balancekit.utils.__all__) == set(imblearn.utils.__all__) - {"Substitution"}
    assert "raise_isinstance_error" in balancekit.exceptions.__all__
    assert "utils" in dir(balancekit) and balancekit.utils.check_target_type is check_target_type
    pairs = [(getattr(balancekit.utils, n), getattr(imblearn.utils, n))
             for n in balancekit.utils.__all__]
    pairs.append((raise_isinstance_error, imblearn_exceptions.raise_isinstance_error))
    for ours, theirs in pairs:
        assert inspect.signature(ours) == inspect.signature(theirs), ours.__name__
        _check_parameters(ours.__name__, ours.__doc__, inspect.signature(ours).parameters)
