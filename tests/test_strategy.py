"""resolve_sampling_strategy: property tests and a cross-check with imbalanced-learn.

imbalanced-learn's ``check_sampling_strategy`` returns the number of samples to
generate for over-sampling, the target count for under-sampling and the
minority count for cleaning; ``resolve_sampling_strategy`` always returns the
count wanted after resampling (the current count for cleaning rules).
"""

from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from balancekit._strategy import STRATEGY_NAMES, class_counts, resolve_sampling_strategy
from balancekit.exceptions import (
    BalancekitError,
    DataError,
    InvalidParameterError,
    InvalidParameterTypeError,
)

imblearn_validation = pytest.importorskip("imblearn.utils")
check_sampling_strategy = imblearn_validation.check_sampling_strategy

KINDS = ("over-sampling", "under-sampling", "clean-sampling")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def label_vectors(draw, min_classes=2, max_classes=6):
    """Shuffled label vectors: int or str labels, skewed counts, frequent ties."""
    n_classes = draw(st.integers(min_classes, max_classes))
    size = st.one_of(st.integers(1, 6), st.sampled_from([5, 8, 13]), st.integers(30, 120))
    counts = draw(st.lists(size, min_size=n_classes, max_size=n_classes))
    labels = draw(
        st.lists(st.integers(-3, 40), min_size=n_classes, max_size=n_classes, unique=True)
    )
    if draw(st.booleans()):
        # "c10" sorts before "c9": sorted string order differs from numeric order.
        labels = [f"c{v}" for v in labels]
    y = np.repeat(np.array(labels), counts)
    seed = draw(st.integers(0, 2**31 - 1))
    return np.random.RandomState(seed).permutation(y)


def _theirs(strategy, y, kind):
    """imbalanced-learn's answer, or the exception it raises."""
    try:
        return dict(check_sampling_strategy(strategy, y, kind))
    except ValueError as exc:
        return exc


def _ours(strategy, y, kind):
    try:
        return resolve_sampling_strategy(strategy, y, kind)
    except BalancekitError as exc:
        return exc


def _assert_same_as_imblearn(strategy, y, kind, *, noop_allowed=False):
    """Compare both answers, translating imbalanced-learn's convention into target counts."""
    counts = class_counts(y)
    theirs, ours = _theirs(strategy, y, kind), _ours(strategy, y, kind)
    if isinstance(theirs, Exception):
        if isinstance(ours, Exception):
            assert "sampling_strategy" in str(ours)
            return
        # imbalanced-learn refuses a float ratio that asks for no new sample; it is a no-op here.
        assert noop_allowed, (strategy, kind, ours, theirs)
        assert all(ours[c] == counts[c] for c in ours), ours
        return
    assert not isinstance(ours, Exception), (strategy, kind, ours, theirs)
    assert list(ours) == sorted(ours), "keys must come in sorted label order"
    assert set(ours) == set(theirs)
    for label, value in ours.items():
        if kind == "over-sampling":
            assert value - counts[label] == theirs[label]
        elif kind == "under-sampling":
            assert value == theirs[label]
        else:
            assert value == counts[label]
    _assert_invariants(ours, counts, kind)


def _assert_invariants(targets, counts, kind):
    assert set(targets) <= set(counts)
    for label, value in targets.items():
        assert isinstance(value, int) and not isinstance(value, bool)
        if kind == "over-sampling":
            assert value >= counts[label]
        elif kind == "under-sampling":
            assert 0 <= value <= counts[label]
        else:
            assert value == counts[label]


@SETTINGS
@given(y=label_vectors(), kind=st.sampled_from(KINDS), name=st.sampled_from(STRATEGY_NAMES))
def test_named_strategies_match_imblearn(y, kind, name):
    _assert_same_as_imblearn(name, y, kind)


@SETTINGS
@given(y=label_vectors(), kind=st.sampled_from(KINDS))
def test_named_strategies_cover_the_right_classes(y, kind):
    counts = class_counts(y)
    labels = list(counts)
    # Ties between equally sized classes go to the first label in sorted order.
    majority = max(labels, key=counts.get)
    minority = min(labels, key=counts.get)
    expected = {
        "all": set(labels),
        "not minority": set(labels) - {minority},
        "not majority": set(labels) - {majority},
        "minority": {minority},
        "majority": {majority},
    }
    expected["auto"] = expected["not majority" if kind == "over-sampling" else "not minority"]
    for name in STRATEGY_NAMES:
        refused = "majority" if kind == "over-sampling" else "minority"
        if name == refused:
            with pytest.raises(InvalidParameterError, match=f"sampling_strategy='{refused}'"):
                resolve_sampling_strategy(name, y, kind)
            continue
        targets = resolve_sampling_strategy(name, y, kind)
        assert set(targets) == expected[name], name
        _assert_invariants(targets, counts, kind)
        if kind == "over-sampling":
            assert set(targets.values()) == {max(counts.values())}
        elif kind == "under-sampling":
            assert set(targets.values()) == {min(counts.values())}


@pytest.mark.parametrize("labels", [[1, 0, 2], ["b", "a", "c"]])
def test_ties_go_to_first_label_in_sorted_order(labels):
    # The first label seen in y is not the first in sorted order.
    y = np.array([labels[0]] * 3 + [labels[1]] * 3 + [labels[2]])
    first_sorted = sorted(labels[:2])[0]
    other = labels[0] if first_sorted == labels[1] else labels[1]
    over = resolve_sampling_strategy("auto", y, "over-sampling")
    assert set(over) == {other, labels[2]}  # the majority (first sorted) is left alone
    under = resolve_sampling_strategy("majority", y, "under-sampling")
    assert set(under) == {first_sorted}
    y_min = np.array([labels[2]] * 5 + [labels[0]] + [labels[1]])
    assert set(resolve_sampling_strategy("minority", y_min, "over-sampling")) == {first_sorted}
    for kind in KINDS:
        for name in ("auto", "not minority", "not majority", "all"):
            _assert_same_as_imblearn(name, y, kind)
            _assert_same_as_imblearn(name, y_min, kind)


@SETTINGS
@given(
    y=label_vectors(max_classes=2),
    kind=st.sampled_from(KINDS),
    ratio=st.one_of(st.floats(0.01, 1.0), st.sampled_from([0.5, 1.0, 1 / 3, 0.25])),
)
def test_float_ratio_matches_imblearn(y, kind, ratio):
    _assert_same_as_imblearn(ratio, y, kind, noop_allowed=kind == "over-sampling")
    targets = _ours(ratio, y, kind)
    if isinstance(targets, Exception):
        return
    counts = class_counts(y)
    (minority, n_min), (majority, n_maj) = sorted(counts.items(), key=lambda kv: kv[1])
    if kind == "over-sampling":
        assert targets == {minority: int(n_maj * ratio)}
    else:
        assert targets == {majority: int(n_min / ratio)}


@SETTINGS
@given(y=label_vectors(), kind=st.sampled_from(KINDS), data=st.data())
def test_dict_and_callable_match_imblearn(y, kind, data):
    counts = class_counts(y)
    chosen = data.draw(st.lists(st.sampled_from(list(counts)), min_size=1, unique=True))
    strategy = {}
    for label in chosen:
        if kind == "over-sampling":
            strategy[label] = counts[label] + data.draw(st.integers(0, 50))
        else:
            strategy[label] = data.draw(st.integers(0, counts[label]))
    _assert_same_as_imblearn(strategy, y, kind)
    if kind != "clean-sampling":  # imbalanced-learn refuses a callable for cleaning (see below)
        _assert_same_as_imblearn(lambda y: dict(strategy), y, kind)
        assert resolve_sampling_strategy(strategy, y, kind) == {
            c: strategy[c] for c in sorted(strategy)
        }
    else:  # the keys name the classes to clean, as the cleaning rules document
        assert resolve_sampling_strategy(lambda y: dict(strategy), y, kind) == {
            c: counts[c] for c in sorted(strategy)
        }


@SETTINGS
@given(y=label_vectors(), kind=st.sampled_from(KINDS), data=st.data())
def test_list_for_cleaning_matches_imblearn(y, kind, data):
    counts = class_counts(y)
    chosen = data.draw(st.lists(st.sampled_from(list(counts)), min_size=1, unique=True))
    _assert_same_as_imblearn(chosen, y, kind)
    if kind == "clean-sampling":
        expected = {c: counts[c] for c in sorted(chosen)}
        assert resolve_sampling_strategy(chosen, y, kind) == expected
        # A callable names the classes to clean by the keys of a dict, or by a list.
        assert resolve_sampling_strategy(lambda y: dict.fromkeys(chosen, 1), y, kind) == expected
        assert resolve_sampling_strategy(lambda y: list(chosen), y, kind) == expected
    else:
        with pytest.raises(InvalidParameterError, match="sampling_strategy.*list"):
            resolve_sampling_strategy(chosen, y, kind)


@SETTINGS
@given(y=label_vectors(), kind=st.sampled_from(("over-sampling", "under-sampling")), data=st.data())
def test_dict_in_the_wrong_direction_is_rejected(y, kind, data):
    counts = class_counts(y)
    label = data.draw(st.sampled_from(list(counts)))
    if kind == "over-sampling":
        wanted = counts[label] - data.draw(st.integers(1, counts[label]))
        pattern = "over-sampler cannot remove"
    else:
        wanted = counts[label] + data.draw(st.integers(1, 20))
        pattern = "under-sampler cannot grow"
    with pytest.raises(InvalidParameterError, match=rf"sampling_strategy\[.*{pattern}"):
        resolve_sampling_strategy({label: wanted}, y, kind)
    assert isinstance(_theirs({label: wanted}, y, kind), ValueError)


def test_labels_are_python_scalars_and_class_counts_sorted():
    y = np.array([3, 1, 1, 2, 3, 3])
    assert list(class_counts(y).items()) == [(1, 2), (2, 1), (3, 3)]
    targets = resolve_sampling_strategy("auto", y, "over-sampling")
    assert all(type(k) is int for k in targets)
    targets = resolve_sampling_strategy("auto", np.array(list("abbccc")), "under-sampling")
    assert all(type(k) is str for k in targets)
    assert Counter(targets) == Counter({"b": 1, "c": 1})


Y3 = np.array([0] * 10 + [1] * 5 + [2] * 2)
Y2 = np.array(["neg"] * 10 + ["pos"] * 4)


@pytest.mark.parametrize(
    "strategy, y, kind, error, pattern",
    [
        (
            "most",
            Y3,
            "over-sampling",
            InvalidParameterError,
            r"sampling_strategy='most' is not supported",
        ),
        ("", Y3, "under-sampling", InvalidParameterError, r"sampling_strategy='' is not supported"),
        (
            0.0,
            Y2,
            "over-sampling",
            InvalidParameterError,
            r"sampling_strategy=0.0 is out of range.*\(0, 1\]",
        ),
        (
            -0.5,
            Y2,
            "under-sampling",
            InvalidParameterError,
            r"sampling_strategy=-0.5 is out of range",
        ),
        (1.5, Y2, "over-sampling", InvalidParameterError, r"sampling_strategy=1.5 is out of range"),
        # A whole number is shown as given and read as the count it probably meant.
        (
            3,
            Y2,
            "over-sampling",
            InvalidParameterError,
            r"sampling_strategy=3 is out of range.*give a dict \{label: n_samples\}",
        ),
        (
            np.int64(0),
            Y2,
            "under-sampling",
            InvalidParameterError,
            r"sampling_strategy=0 is out of range.*\(0, 1\]\.$",
        ),
        (
            0.5,
            Y3,
            "over-sampling",
            InvalidParameterError,
            r"sampling_strategy=0.5.*binary targets only",
        ),
        (0.5, Y3, "under-sampling", InvalidParameterError, r"sampling_strategy=0.5.*3 classes"),
        (
            0.5,
            Y2,
            "clean-sampling",
            InvalidParameterError,
            r"sampling_strategy=0.5.*cleaning rules",
        ),
        # 10 * 0.3 = 3 < 4 samples of 'pos': the over-sampler would shrink it.
        (
            0.3,
            Y2,
            "over-sampling",
            InvalidParameterError,
            r"sampling_strategy=0.3 asks for 3 .*cannot remove",
        ),
        # 4 / 0.3 = 13 > 10 samples of 'neg': the under-sampler would grow it.
        (
            0.3,
            Y2,
            "under-sampling",
            InvalidParameterError,
            r"sampling_strategy=0.3 asks for 13 .*cannot grow",
        ),
        (
            {7: 3},
            Y3,
            "over-sampling",
            InvalidParameterError,
            r"sampling_strategy names 7, which is not in y",
        ),
        (
            {"x": 3, "y": 1},
            Y2,
            "under-sampling",
            InvalidParameterError,
            r"sampling_strategy names 'x', 'y', which are not in y",
        ),
        (
            {1: -1},
            Y3,
            "under-sampling",
            InvalidParameterError,
            r"sampling_strategy\[1\] must be a non-negative integer",
        ),
        (
            {1: 2.5},
            Y3,
            "under-sampling",
            InvalidParameterError,
            r"sampling_strategy\[1\] must be a non-negative integer",
        ),
        (
            {1: True},
            Y3,
            "over-sampling",
            InvalidParameterError,
            r"sampling_strategy\[1\] must be a non-negative integer",
        ),
        (
            {1: "6"},
            Y3,
            "over-sampling",
            InvalidParameterError,
            r"sampling_strategy\[1\] must be a non-negative integer",
        ),
        (
            {2: 1},
            Y3,
            "over-sampling",
            InvalidParameterError,
            r"sampling_strategy\[2\]=1 is below the 2 samples",
        ),
        (
            {2: 3},
            Y3,
            "under-sampling",
            InvalidParameterError,
            r"sampling_strategy\[2\]=3 is above the 2 samples",
        ),
        (
            {0: 3},
            Y3,
            "clean-sampling",
            InvalidParameterError,
            r"sampling_strategy as a dict is not supported by cleaning",
        ),
        (
            "majority",
            Y3,
            "over-sampling",
            InvalidParameterError,
            r"sampling_strategy='majority' cannot be used with an over-sampler",
        ),
        (
            "minority",
            Y3,
            "under-sampling",
            InvalidParameterError,
            r"sampling_strategy='minority' cannot be used with an under-sampler",
        ),
        (
            "minority",
            Y3,
            "clean-sampling",
            InvalidParameterError,
            r"sampling_strategy='minority' cannot be used with a cleaning rule",
        ),
        (
            [0, 1],
            Y3,
            "over-sampling",
            InvalidParameterError,
            r"sampling_strategy as a list is only supported by cleaning",
        ),
        (
            [0],
            Y3,
            "under-sampling",
            InvalidParameterError,
            r"sampling_strategy as a list is only supported by cleaning",
        ),
        (
            [5],
            Y3,
            "clean-sampling",
            InvalidParameterError,
            r"sampling_strategy names 5, which is not in y",
        ),
        (
            lambda y: [0],
            Y3,
            "over-sampling",
            InvalidParameterTypeError,
            r"sampling_strategy as a callable must return a dict.*list",
        ),
        (
            lambda y: None,
            Y3,
            "under-sampling",
            InvalidParameterTypeError,
            r"sampling_strategy as a callable must return a dict.*NoneType",
        ),
        (
            lambda y: {9: 1},
            Y3,
            "under-sampling",
            InvalidParameterError,
            r"sampling_strategy names 9",
        ),
        (
            "auto",
            np.zeros(5),
            "over-sampling",
            DataError,
            r"y has only one class \(0\.0\); resampling needs at least two classes",
        ),
        (
            {0: 3},
            np.array(["a"] * 4),
            "under-sampling",
            DataError,
            r"y has only one class \('a'\)",
        ),
        (
            None,
            Y3,
            "over-sampling",
            InvalidParameterTypeError,
            r"sampling_strategy must be a float.*NoneType",
        ),
        (
            True,
            Y2,
            "over-sampling",
            InvalidParameterTypeError,
            r"sampling_strategy must be a float.*bool",
        ),
        (
            {0, 1},
            Y3,
            "clean-sampling",
            InvalidParameterTypeError,
            r"sampling_strategy must be.*set",
        ),
    ],
)
def test_error_paths_name_the_parameter(strategy, y, kind, error, pattern):
    with pytest.raises(error, match=pattern):
        resolve_sampling_strategy(strategy, y, kind)
    # Every error is also a ValueError / TypeError, like imbalanced-learn's.
    assert issubclass(error, (ValueError, TypeError))


def test_imblearn_also_rejects_the_error_cases():
    # A sample of the same inputs, to be sure the two libraries agree these are errors.
    cases = [
        ("most", Y3, "over-sampling"),
        (1.5, Y2, "over-sampling"),
        (0.5, Y3, "over-sampling"),
        (0.3, Y2, "over-sampling"),
        (0.3, Y2, "under-sampling"),
        ({7: 3}, Y3, "over-sampling"),
        ({1: -1}, Y3, "under-sampling"),
        ({2: 1}, Y3, "over-sampling"),
        ({2: 3}, Y3, "under-sampling"),
        ({0: 3}, Y3, "clean-sampling"),
        ("majority", Y3, "over-sampling"),
        ("minority", Y3, "under-sampling"),
        ([0, 1], Y3, "over-sampling"),
        ("auto", np.zeros(5), "over-sampling"),
    ]
    for strategy, y, kind in cases:
        assert isinstance(_theirs(strategy, y, kind), ValueError), (strategy, kind)
        assert isinstance(_ours(strategy, y, kind), BalancekitError), (strategy, kind)


def test_unknown_kind_is_rejected():
    with pytest.raises(InvalidParameterError, match="kind='bypass' is not supported"):
        resolve_sampling_strategy("auto", Y3, "bypass")


def test_callable_receives_y_and_tuple_behaves_as_list():
    seen = []

    def strategy(y):
        seen.append(np.asarray(y).copy())
        return {2: 10}

    assert resolve_sampling_strategy(strategy, Y3, "over-sampling") == {2: 10}
    np.testing.assert_array_equal(seen[0], Y3)
    assert resolve_sampling_strategy((2, 0), Y3, "clean-sampling") == {0: 10, 2: 2}
    assert resolve_sampling_strategy(np.float64(1.0), Y2, "under-sampling") == {"neg": 4}
    assert resolve_sampling_strategy({np.int64(2): np.int64(7)}, Y3, "over-sampling") == {2: 7}
    # A cleaning rule takes the keys of a callable's dict; values that are no counts (a
    # negative one was ignored) are refused, as imbalanced-learn refuses them.
    assert resolve_sampling_strategy(lambda y: {2: 5}, Y3, "clean-sampling") == {2: 2}
    for value in (-1, 0.5, "x"):
        with pytest.raises(InvalidParameterError, match="not numbers of samples"):
            resolve_sampling_strategy(lambda y, v=value: {2: v}, Y3, "clean-sampling")


@pytest.mark.parametrize(
    "y",
    [
        np.r_[np.repeat([1.0, 2.0], 30), np.nan],  # a missing label
        np.eye(3)[np.repeat([0, 1, 2], [30, 20, 10])],  # a one-hot table, not one label per row
        np.repeat([0.5, 1.0, 1.5], [30, 20, 10]),  # continuous values
        np.array(["a"] * 30 + ["b"] * 20 + [None], dtype=object),  # None among strings
    ],
    ids=["nan", "2-d", "continuous", "none-among-str"],
)
@pytest.mark.parametrize("kind", ["over-sampling", "under-sampling", "clean-sampling"])
def test_public_resolver_checks_y_as_the_samplers_do(y, kind):
    # The public resolver refuses the labels a sampler refuses, with the sampler's own error,
    # instead of counting NaN as a class or flattening a table.
    from balancekit._validation import check_target

    with pytest.raises(DataError) as expected:
        check_target(y)
    with pytest.raises(DataError) as got:
        resolve_sampling_strategy("auto", y, kind)
    assert str(got.value) == str(expected.value)


def test_an_absurd_ratio_is_shown_short():
    # The message printed a 300-digit count.
    with pytest.raises(InvalidParameterError, match=r"asks for 4e\+301 samples"):
        resolve_sampling_strategy(1e-300, np.array([0] * 160 + [1] * 40), "under-sampling")
