"""ADASYN, BorderlineSMOTE, SVMSMOTE and KMeansSMOTE, checked against independent computations
and against imbalanced-learn."""

import warnings
from collections import Counter
from functools import partial

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs, make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, pairwise_distances
from sklearn.model_selection import train_test_split
from sklearn.neighbors import NearestNeighbors
from sklearn.svm import SVC
from threadpoolctl import threadpool_limits

from balancekit._neighbors import kneighbors
from balancekit._strategy import resolve_sampling_strategy
from balancekit.exceptions import (
    BalancekitWarning,
    DataError,
    InvalidParameterError,
    InvalidParameterTypeError,
)
from balancekit.over_sampling import ADASYN, SMOTE, SVMSMOTE, BorderlineSMOTE, KMeansSMOTE
from balancekit.over_sampling._adasyn import allocate_counts
from balancekit.over_sampling._borderline import class_neighbors
from balancekit.over_sampling._kmeans_smote import mean_distance
from balancekit.over_sampling._svm_smote import scale_gamma

from .conftest import to_frame, traced_peak

imblearn_over = pytest.importorskip("imblearn.over_sampling")


@pytest.fixture(autouse=True)
def _one_thread_per_pool():
    """Thread pools (OpenMP, BLAS) crawl on a busy machine; one thread keeps these tests fast."""
    with threadpool_limits(limits=1):
        yield

KMEANS = KMeans(n_clusters=6, n_init=1, random_state=0)

# Each sampler under test, with settings that suit ~300 rows.
FACTORIES = {
    "adasyn": lambda **kw: ADASYN(**kw),
    "borderline-1": lambda **kw: BorderlineSMOTE(**kw),
    "borderline-2": lambda **kw: BorderlineSMOTE(kind="borderline-2", **kw),
    "svm": lambda **kw: SVMSMOTE(**kw),
    "kmeans": lambda **kw: KMeansSMOTE(
        kmeans_estimator=KMEANS, cluster_balance_threshold=0.1, **kw
    ),
}
NAMES = list(FACTORIES)


def overlapping(n_classes=3, seed=0, n_samples=300):
    """Overlapping classes, so that every variant finds rows on the border."""
    weights = [0.7, 0.2, 0.1][:n_classes] if n_classes == 3 else [0.8, 0.2]
    return make_classification(
        n_samples=n_samples, n_features=4, n_informative=3, n_redundant=0, n_classes=n_classes,
        weights=weights, class_sep=0.8, flip_y=0.03, n_clusters_per_class=1, random_state=seed,
    )


def resample_with_origin(sampler, X, y):
    """Resample, and recover for each new row the input row it comes from (via sample_weight)."""
    n = y.shape[0]
    X_res, y_res = sampler.fit_resample(X, y, sample_weight=np.arange(n) + 1.0)
    origin = np.rint(sampler.sample_weight_[n:] - 1).astype(int)
    return X_res, y_res, origin


def own_neighbors(X, k):
    """k nearest neighbours of every row of X (itself excluded), by scikit-learn."""
    idx = NearestNeighbors(n_neighbors=k + 1).fit(X).kneighbors(X, return_distance=False)
    out = np.empty((X.shape[0], k), dtype=int)
    for i, row in enumerate(idx):
        out[i] = row[row != i][:k]
    return out


def class_table(X, y, label, k):
    """{row of X: its k nearest neighbours (rows of X) within its class}."""
    members = np.flatnonzero(y == label)
    nn = own_neighbors(X[members], k)
    return {int(m): members[row] for m, row in zip(members, nn, strict=True)}


def segment_gaps(X, new, base, candidates, tol=1e-6):
    """For each new row, the gap along each candidate segment, NaN where it is off the line.

    ``candidates[i]`` are rows of X; the segment of candidate j is
    ``X[base[i]] + g * (X[candidates[i, j]] - X[base[i]])``.
    """
    start = X[base][:, None, :]
    direction = X[candidates] - start
    offset = (new - X[base])[:, None, :]
    length2 = np.einsum("ijk,ijk->ij", direction, direction)
    gap = np.einsum("ijk,ijk->ij", offset, direction) / np.where(length2 > 0, length2, 1)
    residual = np.linalg.norm(offset - gap[..., None] * direction, axis=2)
    scale = 1 + np.linalg.norm(direction, axis=2)
    return np.where(residual <= tol * scale, gap, np.nan)


def danger_rows(X, y, label, m, kind="danger"):
    """Rows of class ``label`` in danger (or noise), recomputed with scikit-learn."""
    nn = own_neighbors(X, m)
    n_other = (y[nn] != y[:, None]).sum(axis=1)
    if kind == "danger":
        mask = (n_other >= m / 2) & (n_other < m)
    else:
        mask = n_other == m
    return set(np.flatnonzero(mask & (y == label)).tolist())


# --- counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_counts_exact_for_every_strategy_form(name):
    X, y = overlapping()
    counts = Counter(y.tolist())
    forms = [
        "auto", "minority", "not majority", "not minority", "all",
        {2: counts[0] + 11, 1: counts[1] + 1}, lambda y: {2: 150},
    ]
    for strategy in forms:
        sampler = FACTORIES[name](sampling_strategy=strategy, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BalancekitWarning)
            X_res, y_res = sampler.fit_resample(X, y)
        targets = resolve_sampling_strategy(strategy, y, "over-sampling")
        after = Counter(y_res.tolist())
        for label, count in counts.items():
            assert after[label] == targets.get(label, count), (strategy, label)
        np.testing.assert_array_equal(X_res[: len(y)], X)  # originals kept, first, in order
    X2, y2 = overlapping(n_classes=2, seed=3)
    for ratio in (0.5, 0.77, 1.0):
        sampler = FACTORIES[name](sampling_strategy=ratio, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BalancekitWarning)
            _, y_res = sampler.fit_resample(X2, y2)
        n_major = np.count_nonzero(y2 == 0)
        assert np.count_nonzero(y_res == 1) == int(n_major * ratio)


# --- where the synthetic rows lie ---------------------------------------------------------


def test_adasyn_rows_and_allocation_match_an_independent_computation():
    X, y = overlapping()
    k = 5
    X_res, y_res, origin = resample_with_origin(ADASYN(random_state=1), X, y)
    new, y_new = X_res[len(y):], y_res[len(y):]
    np.testing.assert_array_equal(y_new, y[origin])
    whole = own_neighbors(X, k)
    imb = imblearn_over.ADASYN(random_state=1).fit_resample(X, y)
    for label in (1, 2):
        n_new = np.count_nonzero(y == 0) - np.count_nonzero(y == label)
        members = np.flatnonzero(y == label)
        hardness = (y[whole[members]] != label).sum(axis=1)
        raw = hardness / hardness.sum() * n_new
        got = np.bincount(origin[y_new == label], minlength=len(y))[members]
        assert got.sum() == n_new
        assert np.all(np.abs(got - raw) < 1)
        assert np.all(got[hardness == 0] == 0)
        # imbalanced-learn rounds each share on its own: its class size may miss the target.
        assert abs(np.count_nonzero(imb[1] == label) - (n_new + members.size)) <= members.size
        # Every new row is on a segment toward one of the k nearest class neighbours.
        table = class_table(X, y, label, k)
        sel = y_new == label
        cands = np.array([table[o] for o in origin[sel]])
        gaps = segment_gaps(X, new[sel], origin[sel], cands)
        assert np.all(np.nansum((gaps >= 0) & (gaps < 1), axis=1) >= 1)


@pytest.mark.parametrize("kind", ["borderline-1", "borderline-2"])
def test_borderline_in_danger_indices_under_imbalanced_learn_name(kind):
    """Code written for imbalanced-learn reads ``in_danger_indices`` (no underscore)."""
    X, y = overlapping()
    sampler = BorderlineSMOTE(kind=kind, random_state=0)
    assert not hasattr(sampler, "in_danger_indices")
    sampler.fit_resample(X, y)
    imb = imblearn_over.BorderlineSMOTE(kind=kind, random_state=0)
    imb.fit_resample(X, y)
    assert sampler.in_danger_indices is sampler.in_danger_indices_
    assert sampler.in_danger_indices.keys() == imb.in_danger_indices.keys()
    for label, rows in imb.in_danger_indices.items():
        np.testing.assert_array_equal(np.sort(sampler.in_danger_indices[label]), np.sort(rows))
    assert "in_danger_indices" not in clone(sampler).get_params()


def test_borderline_1_generates_from_danger_rows_toward_class_neighbours():
    X, y = overlapping()
    k, m = 5, 10
    sampler = BorderlineSMOTE(random_state=2)
    X_res, y_res, origin = resample_with_origin(sampler, X, y)
    new, y_new = X_res[len(y):], y_res[len(y):]
    imb = imblearn_over.BorderlineSMOTE(random_state=2)
    imb.fit_resample(X, y)
    for label in (1, 2):
        danger = danger_rows(X, y, label, m)
        assert danger, "the data must have rows in danger for this test to mean anything"
        assert set(sampler.in_danger_indices_[label].tolist()) == danger
        assert set(imb.in_danger_indices[label].tolist()) == danger
        sel = y_new == label
        assert set(origin[sel].tolist()) <= danger
        table = class_table(X, y, label, k)
        cands = np.array([table[o] for o in origin[sel]])
        gaps = segment_gaps(X, new[sel], origin[sel], cands)
        assert np.all(np.nansum((gaps >= 0) & (gaps < 1), axis=1) >= 1)


def test_borderline_2_may_step_toward_other_classes_but_less_than_half_way():
    X, y = overlapping()
    k, m = 5, 10
    X_res, y_res, origin = resample_with_origin(
        BorderlineSMOTE(kind="borderline-2", random_state=3), X, y
    )
    new, y_new = X_res[len(y):], y_res[len(y):]
    whole = own_neighbors(X, k)
    toward_other = 0
    for label in (1, 2):
        sel = y_new == label
        assert set(origin[sel].tolist()) <= danger_rows(X, y, label, m)
        cands = whole[origin[sel]]
        gaps = segment_gaps(X, new[sel], origin[sel], cands)
        same = y[cands] == label
        ok = (gaps >= 0) & (gaps < 1) & (same | (gaps < 0.5))
        assert np.all(ok.any(axis=1))
        only_other = ~(ok & same).any(axis=1)
        toward_other += int(only_other.sum())
    assert toward_other > 0, "no row was generated toward another class"


def test_svm_smote_interpolates_from_danger_and_extrapolates_from_safe_support_vectors():
    X, y = overlapping()
    k, m, out_step = 5, 10, 0.4
    X_res, y_res, origin = resample_with_origin(
        SVMSMOTE(out_step=out_step, random_state=4), X, y
    )
    new, y_new = X_res[len(y):], y_res[len(y):]
    support = SVC(gamma="scale").fit(X, y).support_
    seen = Counter()
    for label in (1, 2):
        vectors = set(support[y[support] == label].tolist())
        noise = danger_rows(X, y, label, m, kind="noise")
        danger = danger_rows(X, y, label, m)
        sel = y_new == label
        assert set(origin[sel].tolist()) <= vectors - noise
        table = class_table(X, y, label, k)
        cands = np.array([table[o] for o in origin[sel]])
        gaps = segment_gaps(X, new[sel], origin[sel], cands)
        from_danger = np.isin(origin[sel], sorted(danger))
        inside = np.nansum((gaps >= 0) & (gaps < 1), axis=1) >= 1
        outside = np.nansum((gaps <= 0) & (gaps > -out_step), axis=1) >= 1
        assert np.all(inside[from_danger])
        assert np.all(outside[~from_danger])
        seen["danger"] += int(from_danger.sum())
        seen["safe"] += int((~from_danger).sum())
    assert seen["danger"] > 0 and seen["safe"] > 0


def test_kmeans_smote_stays_in_valid_clusters_and_splits_by_sparsity():
    X, y = make_blobs(
        n_samples=[250, 30, 30, 20], centers=[[0, 0], [3, 3], [-3, 3], [0, -3]],
        cluster_std=[2.0, 0.6, 1.0, 0.5], random_state=0,
    )
    y = (y > 0).astype(int)  # class 1 lives in three blobs
    k = 2
    estimator = KMeans(n_clusters=5, n_init=1, random_state=0)
    sampler = KMeansSMOTE(kmeans_estimator=estimator, cluster_balance_threshold=0.3, random_state=0)
    X_res, y_res, origin = resample_with_origin(sampler, X, y)
    new = X_res[len(y):]
    clusters = clone(estimator).fit_predict(X)
    n_new = np.count_nonzero(y == 0) - np.count_nonzero(y == 1)
    assert new.shape[0] == n_new
    valid, sparsity = [], []
    for c in np.unique(clusters):
        rows = np.flatnonzero((clusters == c) & (y == 1))
        share = rows.size / np.count_nonzero(clusters == c)
        if share >= 0.3 and rows.size >= k + 1:
            valid.append(c)
            d = pairwise_distances(X[rows])
            mean = d.sum() / (rows.size**2 - rows.size)
            exponent = (np.log(rows.size) / np.log(1.6)) ** 1.8 * 0.16
            sparsity.append(mean**exponent / rows.size)
    assert len(valid) >= 2
    weights = np.array(sparsity) / np.sum(sparsity)
    got = np.array([np.count_nonzero(clusters[origin] == c) for c in valid])
    assert got.sum() == n_new
    assert np.all(np.abs(got - weights * n_new) < 1)
    for c in valid:
        rows = np.flatnonzero((clusters == c) & (y == 1))
        sel = clusters[origin] == c
        nn = own_neighbors(X[rows], k)
        table = {int(r): rows[t] for r, t in zip(rows, nn, strict=True)}
        cands = np.array([table[o] for o in origin[sel]])
        gaps = segment_gaps(X, new[sel], origin[sel], cands)
        assert np.all(np.nansum((gaps >= 0) & (gaps < 1), axis=1) >= 1)


@pytest.mark.parametrize("offset", [0.0, 1e6])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_mean_distance_in_blocks_is_the_mean_of_all_pairs(offset, dtype):
    rng = np.random.RandomState(2)
    X = (rng.randn(2000, 3) * [1.0, 5.0, 0.2] + offset).astype(dtype)  # about 30 blocks
    exact = X.astype(np.float64)
    d = pairwise_distances(exact - exact.mean(axis=0))
    assert mean_distance(X) == pytest.approx(d.sum() / (2000 * 1999), rel=1e-9)
    assert mean_distance(sp.csr_matrix(X[:500])) == pytest.approx(
        d[:500, :500].sum() / (500 * 499), rel=1e-6)
    assert mean_distance(X[:1]) == 0.0
    assert mean_distance(X[:2]) == pytest.approx(d[0, 1], rel=1e-9)


@pytest.mark.parametrize("minority", [0.1, 0.45])
def test_kmeans_smote_peak_memory_on_float32(minority):
    """The sparsity of each cluster averages its pairwise distances in small float64 tiles.
    With scikit-learn's chunked distances and their 1 GiB working memory, whole distance
    matrices took KMeansSMOTE to 4.5 outputs (10% minority); with a float64 copy of each
    cluster and blocks of at least 1 MiB, to 2.8 outputs on near-balanced classes, whose
    output is hardly larger than the input."""
    X, y = make_classification(10_000, 20, n_informative=5, n_redundant=0,
                               n_clusters_per_class=1, weights=[1 - minority], random_state=0)
    sampler = partial(KMeansSMOTE, cluster_balance_threshold=0.01)
    peak, X_res, y_res = _peak_of_one_call(sampler, X.astype(np.float32), y)
    output = X_res.nbytes + y_res.nbytes
    assert peak <= 1.5 * output, (peak / 2**20, output / 2**20)


# --- shared neighbour search --------------------------------------------------------------


@pytest.mark.parametrize("name", ["borderline-1", "borderline-2", "svm"])
def test_shared_search_gives_the_same_rows_as_separate_searches(name):
    X, y = overlapping()
    shared = FACTORIES[name](random_state=5).fit_resample(X, y)[0]
    separate = FACTORIES[name](
        random_state=5,
        k_neighbors=NearestNeighbors(n_neighbors=6),
        m_neighbors=NearestNeighbors(n_neighbors=11),
    ).fit_resample(X, y)[0]
    np.testing.assert_allclose(shared, separate)


def test_class_neighbors_read_from_whole_data_lists_match_a_class_search():
    rng = np.random.RandomState(0)
    X = rng.randn(200, 3)
    y = rng.randint(0, 3, 200)
    members = np.flatnonzero(y == 1)
    query = np.arange(members.size)
    for width in (4, 12, 40):
        nn_all = kneighbors(X, width, query_indices=members)
        got = class_neighbors(X, y, 1, members, query, 4, nn_all=nn_all)
        np.testing.assert_array_equal(got, kneighbors(X[members], 4))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 20), min_size=1, max_size=30).filter(lambda w: sum(w) > 0),
    st.integers(0, 500),
)
def test_allocate_counts_is_exact_and_proportional(weights, total):
    weights = np.array(weights, dtype=float)
    counts = allocate_counts(weights, total)
    raw = weights / weights.sum() * total
    assert counts.sum() == total
    assert np.all(np.abs(counts - raw) < 1)
    assert np.all(counts[weights == 0] == 0)


# --- reproducibility, dtypes and containers -----------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_output_float32_and_sparse(name):
    X, y = overlapping()
    a = FACTORIES[name](random_state=7).fit_resample(X, y)[0]
    b = FACTORIES[name](random_state=7).fit_resample(X, y)[0]
    c = FACTORIES[name](random_state=8).fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)
    assert a.shape == c.shape and not np.allclose(a, c)
    state = FACTORIES[name](random_state=np.random.RandomState(7)).fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, state)
    X32 = FACTORIES[name](random_state=7).fit_resample(X.astype(np.float32), y)[0]
    assert X32.dtype == np.float32
    np.testing.assert_allclose(X32, a, rtol=1e-4, atol=1e-4)
    S = FACTORIES[name](random_state=7).fit_resample(sp.csr_matrix(X), y)[0]
    assert sp.issparse(S)
    np.testing.assert_allclose(S.toarray(), a, atol=1e-10)


@pytest.mark.parametrize("name", NAMES)
def test_dataframes_in_dataframes_out(name, frame_lib):
    X, y = overlapping()
    frame = to_frame(frame_lib, X, ["a", "b", "c", "d"])
    y_in = frame_lib.Series("label", y) if frame_lib.__name__ == "polars" else frame_lib.Series(
        y, name="label"
    )
    X_res, y_res = FACTORIES[name](random_state=0).fit_resample(frame, y_in)
    X_arr, y_arr = FACTORIES[name](random_state=0).fit_resample(X, y)
    assert type(X_res) is type(frame) and type(y_res) is type(y_in)
    assert list(X_res.columns) == ["a", "b", "c", "d"]
    assert y_res.name == "label"
    np.testing.assert_allclose(X_res.to_numpy(), X_arr)
    np.testing.assert_array_equal(np.asarray(y_res), y_arr)


# --- no rows to select: documented fallback -----------------------------------------------


def test_fallback_to_smote_with_a_warning_when_nothing_is_selected():
    X, y = make_blobs(n_samples=[200, 40], centers=[[0, 0], [20, 20]], random_state=0)
    cases = {
        "ADASYN": ADASYN(random_state=0),
        "BorderlineSMOTE": BorderlineSMOTE(random_state=0),
        "KMeansSMOTE": KMeansSMOTE(kmeans_estimator=4, cluster_balance_threshold=1.5, random_state=0),
    }
    for name, sampler in cases.items():
        with pytest.warns(BalancekitWarning, match=f"{name}: .*plain SMOTE"):
            _, y_res = sampler.fit_resample(X, y)
        assert np.count_nonzero(y_res == 1) == 200
    # imbalanced-learn gives up here instead.
    with pytest.raises(RuntimeError):
        imblearn_over.ADASYN(random_state=0).fit_resample(X, y)
    _, y_imb = imblearn_over.BorderlineSMOTE(random_state=0).fit_resample(X, y)
    assert np.count_nonzero(y_imb == 1) == 40


def test_kmeans_smote_fallback_names_a_class_too_small_for_any_cluster():
    # With 2 rows and k_neighbors=2 no cluster can qualify: the warning said to lower
    # cluster_balance_threshold (shown as -inf with one cluster) or use more clusters.
    rng = np.random.RandomState(0)
    X = np.r_[rng.randn(50, 2), rng.randn(2, 2) + 2]
    y = np.r_[np.zeros(50, int), np.ones(2, int)]
    with pytest.warns(BalancekitWarning) as record:
        _, y_res = KMeansSMOTE(kmeans_estimator=1, random_state=0).fit_resample(X, y)
    message = next(str(w.message) for w in record if "KMeansSMOTE" in str(w.message))
    assert "the class has 2 samples, fewer than the k_neighbors + 1 = 3" in message
    assert "-inf" not in message and "cluster_balance_threshold" not in message
    assert np.count_nonzero(y_res == 1) == 50


def test_svm_smote_fallback_when_every_support_vector_is_noise():
    rng = np.random.RandomState(0)
    X = rng.randn(200, 2)
    y = np.zeros(200, dtype=int)
    y[rng.choice(200, 12, replace=False)] = 1  # isolated minority rows, all noise
    with pytest.warns(BalancekitWarning, match="SVMSMOTE: .*noise"):
        _, y_res = SVMSMOTE(m_neighbors=3, random_state=0).fit_resample(X, y)
    assert np.count_nonzero(y_res == 1) == 188


# --- parameters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sampler, error, pattern",
    [
        (ADASYN(n_neighbors=0), InvalidParameterError, "n_neighbors=0"),
        (ADASYN(n_neighbors="5"), InvalidParameterTypeError, "n_neighbors"),
        (ADASYN(n_neighbors=400), DataError, "n_neighbors=400 needs at least 401"),
        (BorderlineSMOTE(kind="borderline-3"), InvalidParameterError, "kind='borderline-3'"),
        (BorderlineSMOTE(m_neighbors=0), InvalidParameterError, "m_neighbors=0"),
        (BorderlineSMOTE(k_neighbors=1.5), InvalidParameterTypeError, "k_neighbors"),
        (SVMSMOTE(out_step=1.5), InvalidParameterError, "out_step=1.5"),
        (SVMSMOTE(out_step="big"), InvalidParameterTypeError, "out_step"),
        (SVMSMOTE(svm_estimator=LogisticRegression()), InvalidParameterTypeError, "support_"),
        (SVMSMOTE(svm_estimator="svc"), InvalidParameterTypeError, "svm_estimator"),
        (KMeansSMOTE(kmeans_estimator=0), InvalidParameterError, "kmeans_estimator=0"),
        (KMeansSMOTE(kmeans_estimator="km"), InvalidParameterTypeError, "kmeans_estimator"),
        # A classifier is no clustering: its fit failed for want of y, naming no parameter.
        (KMeansSMOTE(kmeans_estimator=LogisticRegression()), InvalidParameterTypeError,
         "kmeans_estimator must be .* a classifier"),
        (KMeansSMOTE(kmeans_estimator=SVC()), InvalidParameterTypeError, "kmeans_estimator"),
        (KMeansSMOTE(kmeans_estimator=301), InvalidParameterError,
         "301 clusters, but X has only 300 rows"),
        (KMeansSMOTE(cluster_balance_threshold="high"), InvalidParameterError,
         "cluster_balance_threshold='high'"),
        (KMeansSMOTE(density_exponent=[2]), InvalidParameterTypeError, "density_exponent"),
        (KMeansSMOTE(density_exponent=np.inf), InvalidParameterError, "density_exponent"),
    ],
)
def test_bad_parameters_have_clear_errors(sampler, error, pattern):
    X, y = overlapping()
    with pytest.raises(error, match=pattern):
        sampler.fit_resample(X, y)


def test_parameters_and_defaults_follow_imbalanced_learn():
    pairs = [
        (ADASYN(), imblearn_over.ADASYN()),
        (BorderlineSMOTE(), imblearn_over.BorderlineSMOTE()),
        (SVMSMOTE(), imblearn_over.SVMSMOTE()),
        (KMeansSMOTE(), imblearn_over.KMeansSMOTE()),
    ]
    for ours, theirs in pairs:
        ours_params = ours.get_params()
        for key, value in theirs.get_params().items():
            assert ours_params[key] == value, (type(ours).__name__, key)


# --- models trained on the output ---------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_models_trained_on_our_output_score_like_on_imbalanced_learn_output(name):
    theirs_factory = {
        "adasyn": lambda s: imblearn_over.ADASYN(random_state=s),
        "borderline-1": lambda s: imblearn_over.BorderlineSMOTE(random_state=s),
        "borderline-2": lambda s: imblearn_over.BorderlineSMOTE(
            kind="borderline-2", random_state=s
        ),
        "svm": lambda s: imblearn_over.SVMSMOTE(random_state=s),
        "kmeans": lambda s: imblearn_over.KMeansSMOTE(
            kmeans_estimator=KMEANS, cluster_balance_threshold=0.1, random_state=s
        ),
    }[name]
    ours_scores, theirs_scores, plain_scores = [], [], []
    for data_seed in (0, 1, 2):
        X, y = make_classification(
            n_samples=500, n_features=5, n_informative=3, n_redundant=1, weights=[0.9, 0.1],
            flip_y=0.01, n_clusters_per_class=2, random_state=data_seed,
        )
        X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.4, stratify=y, random_state=0)
        model = LogisticRegression().fit(X_tr, y_tr)
        plain_scores.append(balanced_accuracy_score(y_te, model.predict(X_te)))
        for seed in range(4):
            for sampler, scores in (
                (FACTORIES[name](random_state=seed), ours_scores),
                (theirs_factory(seed), theirs_scores),
            ):
                X_res, y_res = sampler.fit_resample(X_tr, y_tr)
                model = LogisticRegression().fit(X_res, y_res)
                scores.append(balanced_accuracy_score(y_te, model.predict(X_te)))
    assert abs(np.mean(ours_scores) - np.mean(theirs_scores)) < 0.02
    # The comparison means something: resampling changes the model a lot on these data.
    assert np.mean(ours_scores) > np.mean(plain_scores) + 0.05


def _peak_of_one_call(sampler, X, y):
    """Peak traced memory of one ``fit_resample`` on two threads, and its output."""
    sampler(random_state=0, n_jobs=2).fit_resample(X[:3000], y[:3000])  # set-up out of the measure
    peak, (X_res, y_res) = traced_peak(
        lambda: sampler(random_state=0, n_jobs=2).fit_resample(X, y))
    return peak, X_res, y_res


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_default_svm_uses_the_scale_svc_computes(dtype):
    rng = np.random.RandomState(5)
    X = (rng.randn(3000, 6) * [1, 10, 0.1, 3, 1, 1] + 1e3).astype(dtype)  # an offset, spreads
    y = (rng.rand(3000) < 0.2).astype(int)
    svc = SVC(gamma="scale").fit(X, y)
    assert scale_gamma(X) == pytest.approx(svc._gamma, rel=1e-9)
    assert scale_gamma(np.full((50, 3), 2.0, dtype=dtype)) == 1.0  # no variance, as SVC
    assert scale_gamma(sp.csr_matrix(X)) == "scale"
    fitted = SVMSMOTE(random_state=0)
    fitted.fit_resample(X, y)
    assert fitted.svm_estimator_.gamma == scale_gamma(X)
    np.testing.assert_array_equal(np.sort(fitted.svm_estimator_.support_), np.sort(svc.support_))


def test_svm_smote_peak_memory_on_float32():
    """SVC(gamma='scale') computes X.var() on a float64 temporary beside its float64
    copy of float32 data: SVMSMOTE peaked at 2.1 outputs. With the scale computed by
    chunks the SVC's copy and its support vectors remain (1.46-1.57 outputs measured at
    10k-50k rows), so the bound here is looser than the other over-samplers'."""
    X, y = make_classification(20_000, 20, weights=[0.9, 0.1], random_state=0)
    peak, X_res, y_res = _peak_of_one_call(SVMSMOTE, X.astype(np.float32), y)
    output = X_res.nbytes + y_res.nbytes
    assert peak <= 1.6 * output, (peak / 2**20, output / 2**20)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("sampler", [SMOTE, ADASYN, BorderlineSMOTE], ids=lambda c: c.__name__)
def test_peak_memory_stays_within_one_and_a_half_outputs(sampler, dtype):
    """The searches' working memory follows the size of the data (data prepared in
    small chunks, blocks of distances bounded by the size of the references) and the
    new rows are written into the output in small chunks. At this size fixed 16k-row
    chunks and 512-row blocks on two threads took float32 data to 2.5 outputs."""
    X, y = make_classification(20_000, 20, weights=[0.9, 0.1], random_state=0)
    peak, X_res, y_res = _peak_of_one_call(sampler, X.astype(dtype), y)
    output = X_res.nbytes + y_res.nbytes
    assert X_res.shape[0] == 2 * (y == 0).sum()
    assert peak <= 1.5 * output, (peak / 2**20, output / 2**20)


@pytest.mark.parametrize(("n_features", "dtype"), [(5, np.float64), (2, np.float32)])
def test_peak_memory_on_narrow_data(n_features, dtype):
    """A row of a narrow output (2 float32 values, 8 bytes) is no larger than the label and
    the row numbers kept for it. The output labels are filled in place, what wrote the
    new rows is freed before them, the rows kept are "every row" rather than an array of
    row numbers, and the new labels are taken from the rows they come from when the
    output is written (before: 1.53 and 2.45 outputs)."""
    X, y = make_classification(20_000, n_features, n_informative=2, n_redundant=0,
                               n_repeated=0, weights=[0.9, 0.1], random_state=0)
    peak, X_res, y_res = _peak_of_one_call(SMOTE, X.astype(dtype), y)
    output = X_res.nbytes + y_res.nbytes
    assert peak <= 1.5 * output, (peak / 2**20, output / 2**20)


@pytest.mark.parametrize(
    ("sampler", "n_samples", "weight", "dtype"),
    [
        (SMOTE, 40_000, 0.7, np.float32),
        (ADASYN, 40_000, 0.7, np.float32),
        (BorderlineSMOTE, 40_000, 0.7, np.float32),
        (SMOTE, 30_000, 0.545, np.float64),
        (SMOTE, 30_000, 0.545, np.float32),
        (ADASYN, 30_000, 0.545, np.float32),
        (BorderlineSMOTE, 30_000, 0.545, np.float32),
    ],
    ids=["30pct-minority-float32-SMOTE", "30pct-minority-float32-ADASYN",
         "30pct-minority-float32-BorderlineSMOTE", "near-balanced-float64-SMOTE",
         "near-balanced-float32-SMOTE", "near-balanced-float32-ADASYN",
         "near-balanced-float32-BorderlineSMOTE"],
)
def test_peak_memory_when_the_output_is_hardly_larger_than_the_data(
    sampler, n_samples, weight, dtype
):
    """The output is barely larger than the data. With a 30% minority SMOTE searches
    the class among itself: inside X (no copy), its minima 16-bit and freed before
    the second pass, its candidates picked a chunk of rows at a time and its tiles
    computed in strips (before, 3.1 outputs). ADASYN and BorderlineSMOTE search the
    class among all rows and keep, block by block, only the counts they need (and
    BorderlineSMOTE the lists of the rows in danger): before, 1.6 and 1.8 outputs.
    A near-balanced class, grown by a fifth, has only the rows its segments start
    from searched (before, 3.3 outputs in float64 and 2.4 in float32). ADASYN and
    BorderlineSMOTE search a near-balanced class among all rows without a stored
    float32 copy of float32 data, which alone is about the output's size (before,
    1.9 outputs)."""
    X, y = make_classification(n_samples, 20, weights=[weight], random_state=0)
    peak, X_res, y_res = _peak_of_one_call(sampler, X.astype(dtype), y)
    output = X_res.nbytes + y_res.nbytes
    assert X_res.shape[0] < 1.5 * n_samples  # the output is hardly larger than the data
    assert peak <= 1.5 * output, (peak / 2**20, output / 2**20)


@pytest.mark.parametrize("sampler", [ADASYN, BorderlineSMOTE], ids=lambda c: c.__name__)
def test_peak_memory_on_an_unscaled_column_searched_with_the_tree(sampler):
    """An unscaled amount beside scaled columns: float64 screening rows are built as
    they are read, and the k-d tree of all the rows keeps no copy of float64 data. With
    a stored float64 copy and the tree's own copy, these took 1.6 and 1.9 outputs."""
    from balancekit._exact import Points

    rng = np.random.RandomState(0)
    n = 40_000
    y = (rng.rand(n) < 0.05).astype(int)
    X = np.c_[rng.lognormal(10, 1, n), rng.randn(n, 5) + 0.5 * y[:, None],
              rng.randint(0, 2, (n, 6)), rng.poisson(3, n)]
    points = Points(X)
    assert not points.screened and points.tree  # the path this test is about
    sampler(random_state=0).fit_resample(X[:2000], y[:2000])  # warm-up
    peak, (X_res, y_res) = traced_peak(lambda: sampler(random_state=0).fit_resample(X, y))
    output = X_res.nbytes + y_res.nbytes
    assert peak <= 1.5 * output, (peak / 2**20, output / 2**20)


def test_kmeans_smote_negative_density_exponent_with_a_cluster_of_copies():
    # 0 ** -1: a cluster whose rows coincide has an infinite density weight; the clusters
    # then share the new rows equally instead of failing.
    rng = np.random.RandomState(0)
    X = rng.randn(60, 2)
    X[40:] = [5.0, 5.0]
    y = np.array([0] * 40 + [1] * 20)
    sampler = KMeansSMOTE(density_exponent=-1, cluster_balance_threshold=0.0, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res.tolist()) == {0: 40, 1: 40}
    np.testing.assert_array_equal(X_res[60:], np.full((20, 2), 5.0))


@pytest.mark.parametrize("seed", [0, 3])
@pytest.mark.parametrize("weights", [[0.85], [0.6, 0.3]], ids=["binary", "3-classes"])
def test_borderline_2_and_svm_smote_draw_as_imblearn_from_one_generator(seed, weights):
    # imbalanced-learn seeds an integer random_state again within a class; given a
    # RandomState it draws in sequence, as balancekit does from its one generator.
    X, y = make_classification(400, 5, n_informative=3, n_redundant=0, weights=weights,
                               n_classes=len(weights) + 1, n_clusters_per_class=1,
                               random_state=seed)
    pairs = [(BorderlineSMOTE(kind="borderline-2", random_state=seed),
              imblearn_over.BorderlineSMOTE(kind="borderline-2",
                                            random_state=np.random.RandomState(seed))),
             (SVMSMOTE(random_state=seed),
              imblearn_over.SVMSMOTE(random_state=np.random.RandomState(seed)))]
    for ours, theirs in pairs:
        X_a, y_a = ours.fit_resample(X, y)
        X_b, y_b = theirs.fit_resample(X, y)
        np.testing.assert_allclose(X_a, X_b, rtol=1e-12, atol=1e-12)
        np.testing.assert_array_equal(y_a, y_b)


def test_kmeans_smote_keeps_this_calls_clustering_when_no_class_grows():
    # kmeans_estimator_ was never set when no class needed rows (imbalanced-learn sets it),
    # and after an earlier call it kept that call's clustering.
    X, y = make_classification(200, 4, weights=[0.7], random_state=0)
    sampler = KMeansSMOTE(kmeans_estimator=3, random_state=0)
    sampler.fit_resample(X, y)
    assert sampler.kmeans_estimator_.n_clusters == 3
    sampler.set_params(kmeans_estimator=5, sampling_strategy={0: int((y == 0).sum())})
    X_res, _ = sampler.fit_resample(X, y)
    assert X_res.shape == X.shape
    assert sampler.kmeans_estimator_.n_clusters == 5
    assert hasattr(sampler.kmeans_estimator_, "cluster_centers_")


def test_kmeans_smote_leaves_the_noise_of_a_density_clustering_out():
    # DBSCAN labels scattered rows -1 (noise): taken for a cluster, it was the sparsest and
    # got nearly every new row, spread between the scattered points.
    from sklearn.cluster import DBSCAN

    rng = np.random.RandomState(0)
    X = np.r_[rng.randn(200, 2) * 0.1, rng.randn(30, 2) * 0.1 + 5, rng.uniform(-20, 20, (20, 2))]
    y = np.r_[np.zeros(200, int), np.ones(50, int)]
    sampler = KMeansSMOTE(kmeans_estimator=DBSCAN(eps=0.5), random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res.tolist()) == {0: 200, 1: 200}
    dense = X[200:230]  # the one cluster of the class
    low, high = dense.min(axis=0), dense.max(axis=0)
    assert ((X_res[250:] >= low) & (X_res[250:] <= high)).all()
    # Every row noise: the fallback says so, not to lower the balance threshold.
    with pytest.warns(BalancekitWarning, match=r"labelled every sample of the class as noise "
                      r"\(-1\).*eps and min_samples"):
        KMeansSMOTE(kmeans_estimator=DBSCAN(eps=1e-6), random_state=0).fit_resample(X, y)


@pytest.mark.parametrize("make", [
    lambda: SVMSMOTE(svm_estimator=SVC),
    lambda: KMeansSMOTE(kmeans_estimator=KMeans),
    lambda: SMOTE(k_neighbors=NearestNeighbors),
], ids=["svm_estimator", "kmeans_estimator", "k_neighbors"])
def test_an_estimator_class_instead_of_an_object_is_named(make):
    X, y = make_classification(200, 4, weights=[0.8], random_state=0)
    with pytest.raises(InvalidParameterTypeError, match=r"got the class \w+, not an object: "
                                                        r"write \w+\(\) instead"):
        make().fit_resample(X, y)


def test_svm_smote_keeps_no_earlier_model_when_no_class_grows():
    X, y = make_classification(200, 4, weights=[0.7], random_state=0)
    sampler = SVMSMOTE(random_state=0)
    sampler.fit_resample(X, y)
    assert sampler.svm_estimator_.n_features_in_ == 4
    sampler.set_params(sampling_strategy={1: int((y == 1).sum())})
    X_res, _ = sampler.fit_resample(X[:, :3], y)
    assert X_res.shape == (200, 3)
    assert not hasattr(sampler.svm_estimator_, "support_")  # this call's model, not fitted


def test_svm_smote_checks_n_jobs_before_fitting_its_svm():
    class Refuses(SVC):
        def fit(self, X, y, sample_weight=None):
            raise AssertionError("the SVM was fitted before n_jobs was checked")

    X, y = make_classification(200, n_features=5, weights=[0.8], random_state=0)
    with pytest.raises(InvalidParameterTypeError, match="n_jobs must be an integer"):
        SVMSMOTE(svm_estimator=Refuses(), n_jobs="abc").fit_resample(X, y)
