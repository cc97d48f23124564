"""Balanced mini-batches for deep learning: balancekit.tensorflow and balancekit.keras, checked
against imbalanced-learn's batch generators."""

import importlib.util
import math
import pickle
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator

from balancekit.exceptions import (
    BalancekitWarning,
    DataError,
    InvalidParameterError,
    InvalidParameterTypeError,
)
from balancekit.keras import BalancedBatchGenerator
from balancekit.keras import balanced_batch_generator as keras_bbg
from balancekit.over_sampling import SMOTE, RandomOverSampler
from balancekit.tensorflow import balanced_batch_generator
from balancekit.under_sampling import (
    NearMiss,
    RandomUnderSampler,
    TomekLinks,
)

imblearn_tf = pytest.importorskip("imblearn.tensorflow")
from imblearn.under_sampling import RandomUnderSampler as ImbRandomUnderSampler  # noqa: E402

SETTINGS = settings(max_examples=25, deadline=None)


def _data(seed, n_samples=120, counts=None):
    """Rows numbered in column 0 (to tell them apart in a batch), 3 classes of unequal size."""
    rng = np.random.RandomState(seed)
    counts = counts or [n_samples * 6 // 10, n_samples * 3 // 10]
    counts = [*counts, n_samples - sum(counts)]
    y = np.repeat(np.arange(len(counts)), counts)
    rng.shuffle(y)
    X = np.column_stack([np.arange(y.shape[0], dtype=float), rng.normal(size=(y.shape[0], 3))])
    return X, y


@st.composite
def problems(draw):
    n_samples = draw(st.integers(20, 150))
    n_small = draw(st.integers(4, n_samples // 4))
    n_middle = draw(st.integers(4, n_samples // 3))
    X, y = _data(draw(st.integers(0, 10_000)), n_samples, [n_samples - n_small - n_middle,
                                                          n_middle])
    return X, y, draw(st.integers(1, 40)), draw(st.integers(0, 2**31 - 1))


def _batches(generator, n):
    return [next(generator) for _ in range(n)]


def _assert_same_batches(ours, theirs):
    assert len(ours) == len(theirs)
    for mine, other in zip(ours, theirs, strict=True):
        assert len(mine) == len(other)
        for a, b in zip(mine, other, strict=True):
            assert type(a) is type(b)
            if sp.issparse(a):
                assert a.format == b.format
                a, b = a.toarray(), b.toarray()
            np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


# -- imports ----------------------------------------------------------------------------------


def test_importing_the_tensorflow_module_imports_no_framework():
    code = ("import sys, balancekit.tensorflow; "
            "print('tensorflow' in sys.modules, 'keras' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_balancekit_tensorflow_does_not_stand_in_for_tensorflow():
    code = (
        "import balancekit.tensorflow, balancekit\n"
        "from balancekit import tensorflow as ours\n"
        "assert ours.__name__ == 'balancekit.tensorflow'\n"
        "try:\n"
        "    import tensorflow\n"
        "except ImportError as exc:\n"
        "    print('absent', exc.name)\n"
        "else:\n"
        "    print('real', tensorflow.__name__, 'balancekit' in tensorflow.__file__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    words = out.stdout.split()
    if importlib.util.find_spec("tensorflow") is None:
        assert words == ["absent", "tensorflow"]
    else:
        assert words == ["real", "tensorflow", "False"]


def test_the_keras_function_is_the_tensorflow_one():
    assert keras_bbg is balanced_batch_generator


# -- the default sampler ----------------------------------------------------------------------


@SETTINGS
@given(problems())
def test_random_under_sampler_keeps_imblearns_rows_and_draws(problem):
    X, y, _, seed = problem
    ours_rng, their_rng = np.random.RandomState(seed), np.random.RandomState(seed)
    ours = RandomUnderSampler(random_state=ours_rng)
    ours.fit_resample(X, y)
    theirs = ImbRandomUnderSampler(random_state=their_rng)
    theirs.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, np.sort(theirs.sample_indices_))
    # The generator is left in the same state: the shuffle that follows draws the same.
    assert ours_rng.randint(2**31) == their_rng.randint(2**31)


@SETTINGS
@given(problems())
def test_default_sampler_gives_imblearns_rows_per_pass(problem):
    X, y, batch_size, seed = problem
    generator, steps = balanced_batch_generator(X, y, batch_size=batch_size, random_state=seed)
    their_generator, their_steps = imblearn_tf.balanced_batch_generator(
        X, y, batch_size=batch_size, random_state=seed)
    assert steps == their_steps
    n_batches = math.ceil(3 * np.bincount(y).min() / batch_size)  # one pass
    ours, theirs = _batches(generator, n_batches), _batches(their_generator, n_batches)
    assert [len(b[1]) for b in ours] == [len(b[1]) for b in theirs]
    rows = np.concatenate([b[0][:, 0] for b in ours])
    np.testing.assert_array_equal(np.sort(rows), np.sort(np.concatenate(
        [b[0][:, 0] for b in theirs])))
    assert np.bincount(np.concatenate([b[1] for b in ours])).tolist() == [
        np.bincount(y).min()] * 3


# -- the same batches as imbalanced-learn for the same sampler ----------------------------------


SAMPLERS = {
    "random_under": lambda seed: RandomUnderSampler(random_state=seed),
    "random_over": lambda seed: RandomOverSampler(random_state=seed),
    "near_miss": lambda seed: NearMiss(),
    "tomek": lambda seed: TomekLinks(),
    "imblearn_random_under": lambda seed: ImbRandomUnderSampler(random_state=seed),
}


@SETTINGS
@given(problems(), st.sampled_from(sorted(SAMPLERS)), st.booleans(), st.booleans())
def test_batches_are_imblearns_for_the_same_sampler(problem, name, weighted, state_object):
    X, y, batch_size, seed = problem
    sampler = SAMPLERS[name](seed % 97)
    weights = np.random.RandomState(seed).uniform(0.5, 2.0, size=y.shape[0]) if weighted else None

    def seeded():
        return np.random.RandomState(seed) if state_object else seed

    generator, steps = balanced_batch_generator(
        X, y, sample_weight=weights, sampler=sampler, batch_size=batch_size,
        random_state=seeded())
    their_generator, their_steps = imblearn_tf.balanced_batch_generator(
        X, y, sample_weight=weights, sampler=sampler, batch_size=batch_size,
        random_state=seeded())
    assert steps == their_steps
    # Two passes and a bit: the generator runs on, with a shorter last batch per pass.
    n_batches = 2 * steps + 3
    _assert_same_batches(_batches(generator, n_batches), _batches(their_generator, n_batches))
    assert not hasattr(sampler, "sample_indices_")  # a clone was fitted


@pytest.mark.parametrize("fmt", ["csr", "csc"])
@pytest.mark.parametrize("keep_sparse", [False, True])
def test_sparse_batches_are_imblearns(fmt, keep_sparse):
    X, y = _data(3, 200)
    X_sparse = sp.random(200, 6, density=0.3, format=fmt, random_state=0)
    X_sparse = sp.hstack([sp.csr_matrix(X[:, :1]), X_sparse], format=fmt)
    for sampler in (None, RandomOverSampler(random_state=1)):
        generator, steps = balanced_batch_generator(
            X_sparse, y, sampler=sampler if sampler is not None else ImbRandomUnderSampler(
                random_state=5), batch_size=16, keep_sparse=keep_sparse, random_state=2)
        their_generator, _ = imblearn_tf.balanced_batch_generator(
            X_sparse, y, sampler=sampler if sampler is not None else ImbRandomUnderSampler(
                random_state=5), batch_size=16, keep_sparse=keep_sparse, random_state=2)
        ours = _batches(generator, steps + 2)
        _assert_same_batches(ours, _batches(their_generator, steps + 2))
        assert all(sp.issparse(b[0]) == keep_sparse for b in ours)


def test_coo_and_sparse_arrays_give_batches_in_their_format():
    X, y = _data(4, 90)
    for X_sparse in (sp.coo_matrix(X), sp.csr_array(X)):
        generator, steps = balanced_batch_generator(X_sparse, y, batch_size=7, keep_sparse=True,
                                                    random_state=0)
        X_batch, y_batch = next(generator)
        assert type(X_batch) is type(X_sparse) and X_batch.format == X_sparse.format
        np.testing.assert_array_equal(X_batch.toarray(), X[X_batch.toarray()[:, 0].astype(int)])
        dense, _ = next(balanced_batch_generator(X_sparse, y, batch_size=7, random_state=0)[0])
        assert isinstance(dense, np.ndarray)
        np.testing.assert_array_equal(dense, X_batch.toarray())


def test_pandas_batches_are_imblearns():
    X, y = _data(5, 150)
    frame = pd.DataFrame(X, columns=["row", "a", "b", "c"], index=np.arange(150) * 3 + 7)
    labels = pd.Series(y, index=frame.index, name="label")
    weights = pd.Series(np.linspace(1, 2, 150), index=frame.index)
    sampler = RandomUnderSampler(random_state=0)
    ours, steps = balanced_batch_generator(frame, labels, sample_weight=weights, sampler=sampler,
                                           batch_size=10, random_state=1)
    theirs, _ = imblearn_tf.balanced_batch_generator(
        frame, labels, sample_weight=weights, sampler=sampler, batch_size=10, random_state=1)
    for _ in range(steps + 1):
        (X_b, y_b, w_b), (X_t, y_t, w_t) = next(ours), next(theirs)
        pd.testing.assert_frame_equal(X_b, X_t)
        pd.testing.assert_series_equal(y_b, y_t)
        np.testing.assert_array_equal(w_b, w_t.to_numpy())  # weights come as float64 arrays


def test_polars_and_lists_give_their_rows():
    pl = pytest.importorskip("polars")
    X, y = _data(6, 80)
    frame = pl.DataFrame({"row": X[:, 0], "a": X[:, 1]})
    labels = pl.Series("label", y)
    generator, steps = balanced_batch_generator(frame, labels, batch_size=9, random_state=0)
    for _ in range(steps):
        X_b, y_b = next(generator)
        assert isinstance(X_b, pl.DataFrame) and isinstance(y_b, pl.Series)
        rows = X_b["row"].to_numpy().astype(int)
        np.testing.assert_array_equal(y_b.to_numpy(), y[rows])
    lists, _ = balanced_batch_generator(X.tolist(), y.tolist(), batch_size=9, random_state=0)
    X_b, y_b = next(lists)
    np.testing.assert_array_equal(y_b, y[X_b[:, 0].astype(int)])


def test_one_hot_targets_keep_their_layout():
    X, y = _data(7, 120)
    one_hot = np.eye(3)[y]
    generator, steps = balanced_batch_generator(X, one_hot, batch_size=12, random_state=0)
    their_generator, _ = imblearn_tf.balanced_batch_generator(
        X, one_hot, sampler=RandomUnderSampler(random_state=4), batch_size=12, random_state=0)
    ours = _batches(generator, steps)
    assert all(b[1].shape[1] == 3 for b in ours)
    np.testing.assert_array_equal(np.vstack([b[1] for b in ours]).sum(axis=0),
                                  [np.bincount(y).min()] * 3)
    mine, _ = balanced_batch_generator(X, one_hot, sampler=RandomUnderSampler(random_state=4),
                                       batch_size=12, random_state=0)
    _assert_same_batches(_batches(mine, steps), _batches(their_generator, steps))


def test_the_generator_repeats_its_passes_and_leaves_inputs_alone():
    X, y = _data(8, 100)
    X_copy, y_copy = X.copy(), y.copy()
    sampler = NearMiss()
    generator, steps = balanced_batch_generator(X, y, sampler=sampler, batch_size=8,
                                                random_state=0)
    n_kept = 3 * np.bincount(y).min()
    per_pass = math.ceil(n_kept / 8)
    first, second = _batches(generator, per_pass), _batches(generator, per_pass)
    _assert_same_batches(first, second)
    assert [len(b[1]) for b in first][-1] == n_kept - 8 * (per_pass - 1)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(y, y_copy)
    assert not hasattr(sampler, "sample_indices_")


def test_an_int_seed_repeats_and_different_seeds_differ():
    X, y = _data(9, 200)

    def rows(seed):
        generator, steps = balanced_batch_generator(X, y, batch_size=10, random_state=seed)
        return np.concatenate([b[0][:, 0] for b in _batches(generator, steps)])

    np.testing.assert_array_equal(rows(3), rows(3))
    assert not np.array_equal(rows(3), rows(4))


# -- Keras ------------------------------------------------------------------------------------


@SETTINGS
@given(problems(), st.sampled_from(sorted(SAMPLERS)), st.booleans())
def test_keras_generator_serves_the_generators_batches(problem, name, weighted):
    # The same batches by index as the tensorflow generator yields in turn, with or without
    # Keras installed.
    X, y, batch_size, seed = problem
    weights = np.linspace(0.1, 1, y.shape[0]) if weighted else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BalancekitWarning)
        batches = BalancedBatchGenerator(X, y, sample_weight=weights,
                                         sampler=SAMPLERS[name](seed % 97),
                                         batch_size=batch_size, random_state=seed)
        generator, steps = balanced_batch_generator(
            X, y, sample_weight=weights, sampler=SAMPLERS[name](seed % 97),
            batch_size=batch_size, random_state=seed)
    assert len(batches) == steps
    _assert_same_batches([batches[i] for i in range(steps)], _batches(generator, steps))
    _assert_same_batches(list(batches), [batches[i] for i in range(steps)])  # iteration ends
    np.testing.assert_array_equal(np.sort(batches.indices_),
                                  np.sort(batches.sampler_.sample_indices_))


def test_keras_generator_attributes_and_indexing():
    X, y = _data(10, 100)
    sampler = RandomUnderSampler(random_state=0)
    batches = BalancedBatchGenerator(X, y, sampler=sampler, batch_size=7, random_state=1)
    assert batches.sampler is sampler and batches.batch_size == 7
    assert batches.sampler_ is not sampler and not hasattr(sampler, "sample_indices_")
    # The sampler's own attribute is left in its order; indices_ is the shuffled copy.
    assert np.all(np.diff(batches.sampler_.sample_indices_) > 0)
    assert len(batches) == batches.indices_.shape[0] // 7
    np.testing.assert_array_equal(batches[-1][0], batches[len(batches) - 1][0])
    np.testing.assert_array_equal(batches[np.int64(2)][1], y[batches.indices_[14:21]])
    with pytest.raises(IndexError, match=f"batch index {len(batches)} is out of range"):
        batches[len(batches)]
    with pytest.raises(IndexError, match="out of range"):
        batches[-len(batches) - 1]
    with pytest.raises(TypeError, match="batch index must be an integer; got 1.5"):
        batches[1.5]


def test_keras_generator_pickles():
    # Keras' worker processes may receive the dataset pickled.
    X, y = _data(15, 90)
    frame = pd.DataFrame(X)
    for X_in, y_in in ((X, y), (frame, pd.Series(y)), (sp.csr_matrix(X), y.tolist())):
        batches = BalancedBatchGenerator(X_in, y_in, sample_weight=np.ones(90), batch_size=8,
                                         random_state=0)
        copy = pickle.loads(pickle.dumps(batches))
        assert len(copy) == len(batches)
        for i in range(len(batches)):
            for a, b in zip(copy[i], batches[i], strict=True):
                np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def _imblearn_keras():
    module = pytest.importorskip("imblearn.keras._generator")
    if not module.HAS_KERAS:
        pytest.skip("imbalanced-learn finds no Keras")
    return module


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("sparse_X", [False, True])
def test_keras_generator_is_imblearns(weighted, sparse_X):
    pytest.importorskip("keras")
    imblearn_keras = _imblearn_keras()
    X, y = _data(11, 240)
    X_in = sp.csr_matrix(X) if sparse_X else X
    weights = np.linspace(1, 3, 240) if weighted else None
    for sampler in (NearMiss(), RandomOverSampler(random_state=0)):
        for keep_sparse in (False, True):
            ours = BalancedBatchGenerator(X_in, y, sample_weight=weights, sampler=sampler,
                                          batch_size=13, keep_sparse=keep_sparse,
                                          random_state=3)
            theirs = imblearn_keras.BalancedBatchGenerator(
                X_in, y, sample_weight=weights, sampler=sampler, batch_size=13,
                keep_sparse=keep_sparse, random_state=3)
            assert len(ours) == len(theirs)
            _assert_same_batches([ours[i] for i in range(len(ours))],
                                 [theirs[i] for i in range(len(theirs))])
            np.testing.assert_array_equal(ours.indices_, theirs.indices_)


def test_keras_trains_on_the_generator():
    keras = pytest.importorskip("keras")
    import balancekit.keras._generator as module

    assert module.HAS_KERAS
    assert isinstance(BalancedBatchGenerator(*_data(12, 60), batch_size=5, random_state=0),
                      keras.utils.PyDataset)
    X, y = _data(12, 300)
    one_hot = keras.utils.to_categorical(y, 3)
    model = keras.Sequential([keras.Input((X.shape[1],)), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    batches = BalancedBatchGenerator(X.astype("float32"), one_hot, sampler=NearMiss(),
                                     batch_size=10, random_state=42)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        history = model.fit(batches, epochs=2, verbose=0)
        assert len(history.history["loss"]) == 2
        generator, steps = balanced_batch_generator(X.astype("float32"), one_hot, batch_size=10,
                                                    random_state=42)
        history = model.fit(generator, steps_per_epoch=steps, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


# -- errors -----------------------------------------------------------------------------------


class _KeepsNothing(BaseEstimator):
    def fit_resample(self, X, y):
        self.sample_indices_ = np.array([], dtype=int)
        return X[:0], y[:0]


@pytest.mark.parametrize("make", [balanced_batch_generator, BalancedBatchGenerator])
@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"batch_size": 0}, InvalidParameterError, r"batch_size=0 is out of range; it must be >= 1"),
        ({"batch_size": -3}, InvalidParameterError, r"batch_size=-3 is out of range"),
        ({"batch_size": 2.5}, InvalidParameterTypeError, r"batch_size must be an integer; got 2.5"),
        ({"batch_size": True}, InvalidParameterTypeError, r"batch_size must be an integer; got True"),
        ({"keep_sparse": "yes"}, InvalidParameterTypeError,
         r"keep_sparse must be True or False; got 'yes' of type str"),
        ({"sampler": SMOTE()}, InvalidParameterError,
         r"sampler=SMOTE\(\) has no sample_indices_ after fit_resample: .* must only select rows"),
        ({"sampler": RandomUnderSampler}, InvalidParameterTypeError,
         r"sampler must be a sampler object or None; got the class RandomUnderSampler"),
        ({"sampler": "random_under"}, InvalidParameterTypeError,
         r"sampler must be a sampler object \(with a fit_resample method\) or None; got "
         r"'random_under' of type str"),
        ({"sampler": _KeepsNothing()}, InvalidParameterError, r"kept no row of X"),
        ({"sample_weight": np.ones(5)}, DataError, r"sample_weight has 5 values but X has 60 rows"),
        ({"sample_weight": -np.ones(60)}, DataError, r"sample_weight has 60 negative value"),
        ({"random_state": "seed"}, InvalidParameterError,
         r"random_state='seed' cannot seed a random generator"),
    ],
)
def test_bad_parameters_are_named(make, kwargs, error, match):
    X, y = _data(13, 60)
    with pytest.raises(error, match=match):
        make(X, y, **kwargs)


@pytest.mark.parametrize("weighted", [False, True])
def test_keras_generator_serves_the_rows_given_to_indices_(weighted):
    # A subclass reshuffling each epoch as imbalanced-learn's allows: assigning indices_ (a new
    # order, or fewer rows) changes the batches and their number, as it does there.
    imblearn_keras = _imblearn_keras()
    X, y = _data(16, 90)
    weights = np.linspace(1, 2, 90) if weighted else None
    sampler = RandomOverSampler(random_state=0)
    ours = BalancedBatchGenerator(X, y, sample_weight=weights, sampler=sampler, batch_size=7,
                                  random_state=0)
    theirs = imblearn_keras.BalancedBatchGenerator(X, y, sample_weight=weights, sampler=sampler,
                                                   batch_size=7, random_state=0)
    for generator in (ours, theirs):
        generator.indices_ = np.random.RandomState(1).permutation(generator.indices_)[:-8]
    assert len(ours) == len(theirs) == (3 * np.bincount(y).max() - 8) // 7
    _assert_same_batches([ours[i] for i in range(len(ours))],
                         [theirs[i] for i in range(len(theirs))])


@pytest.mark.parametrize("make", [balanced_batch_generator, BalancedBatchGenerator])
@pytest.mark.parametrize("X", [None, 5, "abc"])
def test_sample_weight_is_checked_after_X(make, X):
    # The sampler's error about X, not one about counting the rows of X for the weights.
    y = np.array([0] * 20 + [1] * 10)
    with pytest.raises(DataError, match=r"^X (is required|must be 2-D)"):
        make(X, y, sample_weight=np.ones(30))


@pytest.mark.parametrize("make", [balanced_batch_generator, BalancedBatchGenerator])
@pytest.mark.parametrize("shrinkage", [1.0, {0: 0.0, 1: 0.5, 2: 2.0}])
def test_a_smoothed_bootstrap_is_refused(make, shrinkage):
    # Its sample_indices_ name the rows drawn, not the perturbed rows it returns: batches
    # taken from X would silently drop the shrinkage.
    X, y = _data(15, 60)
    sampler = RandomOverSampler(shrinkage=shrinkage, random_state=0)
    assert not np.allclose(sampler.fit_resample(X, y)[0], X[sampler.sample_indices_])
    with pytest.raises(InvalidParameterError, match=r"makes new rows \(perturbed copies, with "
                                                    r"shrinkage\).*shrinkage=None"):
        make(X, y, sampler=sampler, random_state=0)
    make(X, y, sampler=RandomOverSampler(shrinkage=0.0, random_state=0), random_state=0)


@pytest.mark.parametrize("make", [balanced_batch_generator, BalancedBatchGenerator])
def test_a_batch_size_above_the_kept_rows_warns(make):
    X, y = _data(14, 60, counts=[50, 7])  # 3 rows of the smallest class: 9 rows kept
    with pytest.warns(BalancekitWarning, match=r"batch_size=10 is larger than the 9 rows .* "
                                               r"0 whole batches") as record:
        result = make(X, y, batch_size=10, random_state=0)
    assert record[0].filename == __file__  # the warning points at the caller
    steps = result[1] if isinstance(result, tuple) else len(result)
    assert steps == 0
    if isinstance(result, tuple):
        assert len(next(result[0])[1]) == 9  # the one short batch of a pass
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        make(X, y, batch_size=9, random_state=0)
