"""SMOTEENN and SMOTETomek: SMOTE, then the exact cleaning rules."""


import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import make_classification

from balancekit.combine import SMOTEENN, SMOTETomek
from balancekit.combine._common import over_sample
from balancekit.exceptions import InvalidParameterTypeError
from balancekit.over_sampling import SMOTE
from balancekit.under_sampling import (
    ClusterCentroids,
    EditedNearestNeighbours,
    RandomUnderSampler,
    RepeatedEditedNearestNeighbours,
    TomekLinks,
)

from .conftest import traced_peak

ic = pytest.importorskip("imblearn.combine")
io = pytest.importorskip("imblearn.over_sampling")
iu = pytest.importorskip("imblearn.under_sampling")


def _data(seed, weights=(0.85,), sep=0.8, n=600):
    return make_classification(
        n_samples=n, n_features=6, n_informative=4, n_redundant=1, n_classes=len(weights) + 1,
        weights=list(weights), class_sep=sep, flip_y=0.03, random_state=seed,
    )


def _rows(X, y):
    """The rows of (X, y) as a sorted table, to compare outputs as sets of rows."""
    table = np.column_stack([np.asarray(X, dtype=float), y])
    return table[np.lexsort(table.T[::-1])]


def _same_points(ours, theirs, X, y):
    X_a, y_a = ours.fit_resample(X, y)
    X_b, y_b = theirs.fit_resample(X, y)
    np.testing.assert_array_equal(_rows(X_a, y_a), _rows(X_b, y_b))
    return X_a, y_a


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_same_points_as_imblearn_on_binary_data(seed):
    X, y = _data(seed)
    _same_points(SMOTEENN(random_state=seed), ic.SMOTEENN(random_state=seed), X, y)
    _same_points(SMOTETomek(random_state=seed), ic.SMOTETomek(random_state=seed), X, y)
    _same_points(
        SMOTEENN(sampling_strategy=0.6, random_state=seed),
        ic.SMOTEENN(sampling_strategy=0.6, random_state=seed), X, y,
    )


def test_same_points_with_given_samplers():
    X, y = _data(5, sep=0.5)
    _same_points(
        SMOTEENN(smote=SMOTE(k_neighbors=3, random_state=4),
                 enn=EditedNearestNeighbours(kind_sel="mode", n_neighbors=4,
                                             sampling_strategy="auto")),
        ic.SMOTEENN(smote=io.SMOTE(k_neighbors=3, random_state=4),
                    enn=iu.EditedNearestNeighbours(kind_sel="mode", n_neighbors=4,
                                                   sampling_strategy="auto")),
        X, y,
    )
    _same_points(
        SMOTETomek(smote=SMOTE(random_state=7), tomek=TomekLinks(sampling_strategy="majority")),
        ic.SMOTETomek(smote=io.SMOTE(random_state=7),
                      tomek=iu.TomekLinks(sampling_strategy="majority")),
        X, y,
    )


def test_multiclass_cleans_the_smote_output():
    # balancekit's SMOTE draws from one generator for all classes (imbalanced-learn
    # re-seeds per class), so compare the cleaning of the same over-sampled data.
    X, y = _data(3, weights=(0.6, 0.3))
    X_s, y_s = SMOTE(random_state=0).fit_resample(X, y)
    X_a, y_a = SMOTEENN(random_state=0).fit_resample(X, y)
    X_b, y_b = iu.EditedNearestNeighbours(sampling_strategy="all").fit_resample(X_s, y_s)
    np.testing.assert_array_equal(_rows(X_a, y_a), _rows(X_b, y_b))
    X_a, y_a = SMOTETomek(random_state=0).fit_resample(X, y)
    X_b, y_b = iu.TomekLinks(sampling_strategy="all").fit_resample(X_s, y_s)
    np.testing.assert_array_equal(_rows(X_a, y_a), _rows(X_b, y_b))
    # imbalanced-learn given a RandomState draws every class from it in turn, as
    # balancekit does from an integer seed: the same rows.
    _same_points(SMOTEENN(random_state=3), ic.SMOTEENN(random_state=np.random.RandomState(3)),
                 X, y)
    _same_points(SMOTETomek(random_state=3),
                 ic.SMOTETomek(random_state=np.random.RandomState(3)), X, y)


def test_order_and_fitted_attributes():
    X, y = _data(0)
    sampler = SMOTEENN(random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    X_s, y_s = SMOTE(random_state=0).fit_resample(X, y)
    kept = sampler.enn_.sample_indices_
    # The enn_ kept rows of the over-sampled data, original rows first, in order.
    np.testing.assert_array_equal(X_res, X_s[kept])
    np.testing.assert_array_equal(y_res, y_s[kept])
    assert sampler.sampling_strategy_ == {1: int((y == 0).sum())}
    assert sampler.smote_.sampling_strategy_ == sampler.sampling_strategy_
    assert sampler.enn_.sampling_strategy == "all"
    assert sampler.n_features_in_ == X.shape[1]
    tomek = SMOTETomek(random_state=0)
    tomek.fit_resample(X, y)
    assert isinstance(tomek.tomek_, TomekLinks)
    assert tomek.tomek_.sample_indices_.size <= X_s.shape[0]


def test_sample_weight_follows_the_rows():
    X, y = _data(1)
    weights = np.arange(1, len(y) + 1, dtype=float)
    sampler = SMOTETomek(random_state=0)
    X_res, _ = sampler.fit_resample(X, y, sample_weight=weights)
    kept = sampler.tomek_.sample_indices_
    n_orig = int((kept < len(y)).sum())
    np.testing.assert_array_equal(sampler.sample_weight_[:n_orig], weights[kept[:n_orig]])
    # A synthetic row takes the weight of the minority row it starts from.
    assert np.all(np.isin(sampler.sample_weight_[n_orig:], weights[y == 1]))
    assert sampler.sample_weight_.shape[0] == X_res.shape[0]


def test_another_cleaning_sampler_is_used_as_given():
    X, y = _data(2)
    renn = RepeatedEditedNearestNeighbours(sampling_strategy="all")
    X_a, y_a = SMOTEENN(random_state=0, enn=renn).fit_resample(X, y)
    X_s, y_s = SMOTE(random_state=0).fit_resample(X, y)
    X_b, y_b = RepeatedEditedNearestNeighbours(sampling_strategy="all").fit_resample(X_s, y_s)
    np.testing.assert_array_equal(_rows(X_a, y_a), _rows(X_b, y_b))


def test_sparse_and_pandas():
    pd = pytest.importorskip("pandas")
    X, y = _data(4)
    X[np.abs(X) < 0.5] = 0
    for cls in (SMOTEENN, SMOTETomek):
        X_d, y_d = cls(random_state=0).fit_resample(X, y)
        X_s, y_s = cls(random_state=0).fit_resample(sp.csr_matrix(X), y)
        assert sp.issparse(X_s)
        np.testing.assert_allclose(X_s.toarray(), X_d)
        np.testing.assert_array_equal(y_s, y_d)
        frame = pd.DataFrame(X, columns=[f"c{j}" for j in range(X.shape[1])])
        X_f, y_f = cls(random_state=0).fit_resample(frame, pd.Series(y, name="label"))
        assert isinstance(X_f, pd.DataFrame) and list(X_f.columns) == list(frame.columns)
        assert isinstance(y_f, pd.Series) and y_f.name == "label"
        np.testing.assert_allclose(X_f.to_numpy(), X_d)


def test_same_seed_same_output():
    X, y = _data(6)
    a = SMOTEENN(random_state=11).fit_resample(X, y)
    b = SMOTEENN(random_state=11).fit_resample(X, y)
    c = SMOTEENN(random_state=12).fit_resample(X, y)
    np.testing.assert_array_equal(a[0], b[0])
    assert a[0].shape != c[0].shape or not np.array_equal(a[0], c[0])


@pytest.mark.parametrize(
    "sampler, match",
    [
        (SMOTEENN(smote=RandomUnderSampler()), "over-sampler"),
        (SMOTEENN(smote="smote"), "over-sampler"),
        (SMOTEENN(enn=3), "fit_resample"),
        (SMOTETomek(tomek=object()), "fit_resample"),
        (SMOTEENN(enn=SMOTE()), r"enn must be .* keeps rows, setting sample_indices_.*SMOTE"),
        (SMOTETomek(tomek=SMOTE()), r"tomek must be .* keeps rows"),
        (SMOTEENN(sampling_strategy=0.5, enn=ClusterCentroids(random_state=0)),
         r"enn must keep rows .* ClusterCentroids sets no sample_indices_"),
    ],
)
def test_errors(sampler, match):
    X, y = _data(0)
    with pytest.raises(InvalidParameterTypeError, match=match):
        sampler.fit_resample(X, y)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_over_sampling_step_builds_the_stacked_data_once(dtype):
    """The new rows are written straight into the stacked data, which the cleaning step
    searches, and stay a view of it; before, the new rows, a copy of the kept rows and
    the stacked data were all held (3.6 times the input for a 10% minority)."""
    X, y = make_classification(20_000, 20, weights=[0.9, 0.1], random_state=0)
    X = X.astype(dtype)
    over_sample(SMOTE(random_state=0), X[:500], y[:500], np.random.RandomState(0))
    peak, (result, X_all, y_all) = traced_peak(
        lambda: over_sample(SMOTE(random_state=0), X, y, np.random.RandomState(0)))
    assert X_all.shape == (2 * (y == 0).sum(), 20)
    assert np.shares_memory(result.synthetic, X_all)
    np.testing.assert_array_equal(X_all[:y.size], X)
    assert peak <= 1.3 * (X_all.nbytes + y_all.nbytes), (peak / 2**20, X_all.nbytes / 2**20)


@pytest.mark.parametrize("container", ["int64", "uint8", "bool", "pandas", "sparse"])
@pytest.mark.parametrize("combined, rule", [
    (SMOTEENN, EditedNearestNeighbours), (SMOTETomek, TomekLinks)])
def test_cleaning_judges_the_rows_it_returns(container, combined, rule):
    """On integer or boolean X the new rows are written rounded (thresholded): the cleaning
    step judged them as the floats they were computed as, so the output held rows that
    ENN removes from it, and missed rows it keeps."""
    import pandas as pd

    y = np.array([0] * 60 + [1] * 20)
    for seed in range(4):
        noise = np.random.RandomState(seed).normal(size=(80, 3)) * 3 + y[:, None] * 2
        if container == "bool":
            X = noise > 1
        elif container == "uint8":
            X = np.clip(np.round(noise + 5), 0, None).astype(np.uint8)
        else:
            X = np.round(noise).astype(np.int64)
        if container == "pandas":
            X = pd.DataFrame(X, columns=list("abc"))
        elif container == "sparse":
            X = sp.csr_matrix(X)
        X_res, y_res = combined(random_state=seed).fit_resample(X, y)
        X_smote, y_smote = SMOTE(random_state=seed).fit_resample(X, y)
        expected = rule(sampling_strategy="all").fit_resample(X_smote, y_smote)
        dense = (lambda M: M.toarray()) if container == "sparse" else np.asarray
        np.testing.assert_array_equal(_rows(dense(X_res), y_res),
                                      _rows(dense(expected[0]), expected[1]))


@pytest.mark.parametrize("combined, match", [
    (lambda: SMOTEENN(n_jobs="abc"), "^n_jobs must be an integer"),
    (lambda: SMOTETomek(n_jobs=0), "^n_jobs=0 is out of range"),
    (lambda: SMOTEENN(enn=EditedNearestNeighbours(n_jobs="abc")), "^enn: n_jobs must be"),
    (lambda: SMOTETomek(tomek=TomekLinks(n_jobs=0)), "^tomek: n_jobs=0"),
])
def test_n_jobs_is_checked_before_the_over_sampling(combined, match, monkeypatch):
    """It was checked by the cleaning step, after SMOTE had run (1.3 s at 200,000 rows), and
    the rule's own n_jobs was not told from the combined sampler's."""
    from balancekit.combine import _common
    from balancekit.exceptions import InvalidParameterError

    def fail(*args, **kwargs):
        raise AssertionError("over-sampled before the parameters were checked")

    monkeypatch.setattr(_common, "over_sample", fail)
    X, y = _data(0, n=200)
    with pytest.raises((InvalidParameterError, InvalidParameterTypeError), match=match):
        combined().fit_resample(X, y)
