"""The laws of the over-samplers' random draws, checked with chi-square and Kolmogorov-Smirnov
tests on fixed seeds: which rows the new rows start from, which neighbour they go toward, and
how far. The exact-output tests against imbalanced-learn cover one seed and one class; these
cover the cases where balancekit draws differently (several classes from one generator, the
categorical votes) and would catch a draw that is biased but still lands on a valid segment."""

import warnings

import numpy as np
import pytest
from scipy import stats
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors
from sklearn.svm import SVC

from balancekit.exceptions import BalancekitWarning
from balancekit.over_sampling import (
    ADASYN,
    SMOTE,
    SMOTEN,
    SMOTENC,
    SVMSMOTE,
    BorderlineSMOTE,
    KMeansSMOTE,
    RandomOverSampler,
)

# Generous: a sound draw fails one of these tests about once in 10,000 runs, and the seeds are
# fixed; the defects they guard against give p-values far below it.
P_MIN = 1e-4


def _data(n_classes=3, seed=0, n_samples=300, flip_y=0.05):
    weights = [0.6, 0.25, 0.15] if n_classes == 3 else [0.8, 0.2]
    return make_classification(
        n_samples=n_samples, n_features=4, n_informative=3, n_redundant=0,
        n_classes=n_classes, weights=weights, class_sep=0.8, flip_y=flip_y,
        n_clusters_per_class=1, random_state=seed,
    )


def _resample(sampler, X, y):
    """Resample; the weight of each new row names the input row it starts from."""
    n = y.shape[0]
    X_res, y_res = sampler.fit_resample(X, y, sample_weight=np.arange(n) + 1.0)
    origin = np.rint(sampler.sample_weight_[n:] - 1).astype(int)
    return X_res[n:], y_res[n:], origin


def _nearest(X, rows, k, metric="euclidean"):
    """The k nearest rows among ``rows`` of each of them (itself excluded, ties to the lower
    row), by brute force over every pair."""
    A = X[rows]
    if metric == "euclidean":
        D = ((A[:, None, :] - A[None, :, :]) ** 2).sum(axis=2)
    else:
        D = np.abs(A[:, None, :] - A[None, :, :]).sum(axis=2)
    np.fill_diagonal(D, np.inf)
    return rows[np.argsort(D, axis=1, kind="stable")[:, :k]]


def _segments(X, new, base, ends):
    """For each new row, the end (column of ``ends``) whose line through ``X[base]`` holds it,
    and its gap along that segment; asserts that one line does."""
    start = X[base][:, None, :]
    direction = X[ends] - start
    offset = (new - X[base])[:, None, :]
    length2 = np.einsum("ijk,ijk->ij", direction, direction)
    gap = np.einsum("ijk,ijk->ij", offset, direction) / np.where(length2 > 0, length2, 1)
    residual = np.linalg.norm(offset - gap[..., None] * direction, axis=2)
    column = np.argmin(residual, axis=1)
    lines = np.arange(new.shape[0])
    assert np.all(residual[lines, column] <= 1e-9 * (1 + np.sqrt(length2[lines, column])))
    return column, gap[lines, column]


def _uniform_counts(counts):
    return stats.chisquare(counts).pvalue


def _uniform_gaps(gaps, high=1.0):
    return stats.kstest(np.asarray(gaps) / high, "uniform").pvalue


@pytest.mark.parametrize(
    "k_neighbors, metric",
    [(3, "euclidean"), (NearestNeighbors(n_neighbors=4, metric="manhattan"), "manhattan")],
)
def test_smote_draws_bases_neighbours_and_gaps_uniformly_in_every_class(k_neighbors, metric):
    X, y = _data()
    k = 3
    # Many rows from one call: every class grown from the call's single generator.
    sampler = SMOTE(sampling_strategy={1: 1500, 2: 1500}, k_neighbors=k_neighbors,
                    random_state=0)
    new, y_new, origin = _resample(sampler, X, y)
    for label in (1, 2):
        members = np.flatnonzero(y == label)
        table = _nearest(X, members, k, metric)
        sel = y_new == label
        np.testing.assert_array_equal(y[origin[sel]], label)
        position = np.searchsorted(members, origin[sel])
        column, gap = _segments(X, new[sel], origin[sel], table[position])
        assert _uniform_counts(np.bincount(position, minlength=members.size)) > P_MIN
        assert _uniform_counts(np.bincount(column, minlength=k)) > P_MIN
        assert _uniform_gaps(gap) > P_MIN
        assert gap.min() >= 0 and gap.max() < 1


@pytest.mark.parametrize("name", ["adasyn", "kmeans"])
def test_neighbours_and_gaps_are_uniform_for_the_weighted_variants(name):
    X, y = _data(n_classes=2, n_samples=400)
    k = 4
    if name == "adasyn":
        sampler = ADASYN(n_neighbors=k, sampling_strategy={1: 2000}, random_state=0)
    else:
        sampler = KMeansSMOTE(k_neighbors=k, kmeans_estimator=1, sampling_strategy={1: 2000},
                              random_state=0)
    new, _, origin = _resample(sampler, X, y)
    members = np.flatnonzero(y == 1)
    table = _nearest(X, members, k)
    column, gap = _segments(X, new, origin, table[np.searchsorted(members, origin)])
    assert _uniform_counts(np.bincount(column, minlength=k)) > P_MIN
    assert _uniform_gaps(gap) > P_MIN


def _product_of_uniforms_cdf(s):
    """CDF of ``u * w`` for independent ``u, w`` uniform on [0, 1)."""
    s = np.clip(s, 1e-300, 1.0)
    return s - s * np.log(s)


@pytest.mark.parametrize("kind", ["borderline-1", "borderline-2"])
def test_borderline_draws_danger_rows_uniformly_and_steps_by_its_laws(kind):
    X, y = _data(flip_y=0.1)
    k, m = 5, 10
    sampler = BorderlineSMOTE(kind=kind, sampling_strategy={1: 5000, 2: 5000}, random_state=0)
    new, y_new, origin = _resample(sampler, X, y)
    everyone = np.arange(y.shape[0])
    whole = _nearest(X, everyone, max(k, m))
    toward_other = []
    for label in (1, 2):
        members = np.flatnonzero(y == label)
        n_other = (y[whole[members, :m]] != label).sum(axis=1)
        danger = members[(2 * n_other >= m) & (n_other < m)]
        np.testing.assert_array_equal(np.sort(sampler.in_danger_indices_[label]), danger)
        sel = y_new == label
        assert np.isin(origin[sel], danger).all()
        assert _uniform_counts(np.bincount(np.searchsorted(danger, origin[sel]),
                                           minlength=danger.size)) > P_MIN
        if kind == "borderline-1":
            ends = _nearest(X, members, k)[np.searchsorted(members, origin[sel])]
        else:
            ends = whole[origin[sel], :k]
        column, gap = _segments(X, new[sel], origin[sel], ends)
        assert _uniform_counts(np.bincount(column, minlength=k)) > P_MIN
        other = y[ends[np.arange(column.size), column]] != label
        # Toward the own class the gap is uniform on [0, 1); toward another class it is
        # u * v with v uniform on [0, 0.5).
        assert _uniform_gaps(gap[~other]) > P_MIN
        toward_other.append(gap[other])
    toward_other = np.concatenate(toward_other)
    if kind == "borderline-1":
        assert toward_other.size == 0
    else:
        assert toward_other.size > 2000
        assert toward_other.max() < 0.5
        assert stats.kstest(2 * toward_other, _product_of_uniforms_cdf).pvalue > P_MIN


def test_svm_smote_splits_rows_by_a_beta_share_and_steps_uniformly():
    X, y = _data(n_classes=2, flip_y=0.1)
    k, m, out_step = 5, 10, 0.5
    members = np.flatnonzero(y == 1)
    table = _nearest(X, members, k)
    support = SVC(gamma="scale").fit(X, y).support_
    vectors = np.sort(support[y[support] == 1])
    whole = _nearest(X, np.arange(y.shape[0]), m)
    n_other = (y[whole[vectors]] != 1).sum(axis=1)
    danger = vectors[(2 * n_other >= m) & (n_other < m)]
    safe = vectors[2 * n_other < m]
    assert danger.size and safe.size, "the data must have both kinds of support vectors"
    shares, inside, outside, from_safe = [], [], [], []
    for seed in range(60):
        new, _, origin = _resample(SVMSMOTE(random_state=seed), X, y)
        is_danger = np.isin(origin, danger)
        assert np.isin(origin[~is_danger], safe).all()
        _, gap = _segments(X, new, origin, table[np.searchsorted(members, origin)])
        shares.append((is_danger.sum() + 0.5) / (origin.size + 1))
        inside.append(gap[is_danger])
        outside.append(-gap[~is_danger])
        from_safe.append(np.searchsorted(safe, origin[~is_danger]))
    # int(f * (n_new + 1)) rows from the rows in danger, f ~ Beta(10, 10).
    assert stats.kstest(shares, stats.beta(10, 10).cdf).pvalue > P_MIN
    assert _uniform_gaps(np.concatenate(inside)) > P_MIN
    assert _uniform_gaps(np.concatenate(outside), high=out_step) > P_MIN
    assert _uniform_counts(np.bincount(np.concatenate(from_safe), minlength=safe.size)) > P_MIN


def test_random_over_sampler_draws_uniformly_with_the_documented_noise():
    X, y = _data(flip_y=0.0)
    n, p = X.shape
    sampler = RandomOverSampler(shrinkage={1: 0.5, 2: 2.0}, sampling_strategy={1: 2000, 2: 2000},
                                random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    drawn = sampler.sample_indices_[n:]
    noise = X_res[n:] - X[drawn]
    smoothing = (4 / ((p + 2) * n)) ** (1 / (p + 4))
    for label, shrinkage in sampler.shrinkage_.items():
        members = np.flatnonzero(y == label)
        sel = y_res[n:] == label
        assert np.isin(drawn[sel], members).all()
        assert _uniform_counts(np.bincount(np.searchsorted(members, drawn[sel]),
                                           minlength=members.size)) > P_MIN
        z = noise[sel] / (shrinkage * smoothing * X[members].std(axis=0))
        for j in range(p):
            assert stats.kstest(z[:, j], "norm").pvalue > P_MIN
        # The scale itself: the sum of squares of standard normal values is chi-square.
        total = stats.chi2(z.size)
        assert 2 * min(total.cdf(np.sum(z**2)), total.sf(np.sum(z**2))) > P_MIN


def _mixed(n=300, seed=0):
    rng = np.random.RandomState(seed)
    X = np.empty((n, 4), dtype=object)
    X[:, 0] = rng.randn(n)
    X[:, 1] = np.array(list("abc"))[rng.randint(0, 3, n)]
    X[:, 2] = rng.randn(n) * 3
    X[:, 3] = np.array(list("pqrst"))[rng.randint(0, 5, n)]
    y = (rng.rand(n) < 0.25).astype(int)
    return X, y


def _modes(values):
    levels, counts = np.unique(values, return_counts=True)
    return levels[counts == counts.max()]


def test_smotenc_takes_a_most_frequent_neighbour_category_ties_at_random():
    X, y = _mixed()
    k, numeric, categorical = 5, [0, 2], [1, 3]
    members = np.flatnonzero(y == 1)
    values = X[:, numeric].astype(float)
    median_std = np.median(values[members].std(axis=0))
    D = ((values[members, None] - values[None, members]) ** 2).sum(axis=2) + median_std**2 * (
        X[members][:, None, categorical] != X[members][None, :, categorical]).sum(axis=2)
    np.fill_diagonal(D, np.inf)
    table = members[np.argsort(D, axis=1, kind="stable")[:, :k]]
    sampler = SMOTENC(categorical_features=categorical, sampling_strategy={1: 2000},
                      random_state=0)
    new, _, origin = _resample(sampler, X, y)
    ends = table[np.searchsorted(members, origin)]
    column, gap = _segments(values, new[:, numeric].astype(float), origin, ends)
    assert _uniform_counts(np.bincount(column, minlength=k)) > P_MIN
    assert _uniform_gaps(gap) > P_MIN
    _assert_votes(X, new, ends, categorical)


def test_smoten_takes_the_most_frequent_value_of_the_row_and_its_neighbours_ties_at_random():
    rng = np.random.RandomState(1)
    n = 300
    y = rng.choice(2, n, p=[0.75, 0.25])
    # Values whose frequencies depend on the class, so the metric tells values apart.
    profiles = [rng.dirichlet(np.ones(size), size=2) for size in (3, 4, 5)]
    codes = np.array([[rng.choice(len(p[c]), p=p[c]) for p in profiles] for c in y])
    X = np.array(list("abcde"), dtype=object)[codes]
    # The value difference metric: squared L1 distance between the class profiles of values.
    D = np.zeros((n, n))
    for j in range(X.shape[1]):
        counts = np.array([[np.sum((codes[:, j] == v) & (y == c)) for c in (0, 1)]
                           for v in range(codes[:, j].max() + 1)], dtype=float)
        proba = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
        l1 = np.abs(proba[:, None, :] - proba[None, :, :]).sum(axis=2)
        D += l1[codes[:, j][:, None], codes[:, j][None, :]] ** 2
    k = 5
    members = np.flatnonzero(y == 1)
    within = D[np.ix_(members, members)]
    np.fill_diagonal(within, np.inf)
    table = members[np.argsort(within, axis=1, kind="stable")[:, :k]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BalancekitWarning)
        new, _, origin = _resample(SMOTEN(sampling_strategy={1: 2000}, random_state=0), X, y)
    position = np.searchsorted(members, origin)
    assert _uniform_counts(np.bincount(position, minlength=members.size)) > P_MIN
    groups = [np.r_[members[p], table[p]] for p in position]
    _assert_votes(X, new, groups, range(X.shape[1]))


def _assert_votes(X, new, groups, columns):
    """Each new row's value of each of ``columns`` is a most frequent value of that column
    among the rows ``groups[i]`` that voted for it; ties are broken uniformly."""
    picks = {}
    for i, group in enumerate(groups):
        for j in columns:
            modes = _modes(X[group, j])
            assert new[i, j] in modes
            if modes.size > 1:
                picks.setdefault(modes.size, []).append(np.flatnonzero(modes == new[i, j])[0])
    assert picks, "the data must have tied votes for this test to mean anything"
    for n_modes, chosen in picks.items():
        assert _uniform_counts(np.bincount(chosen, minlength=n_modes)) > P_MIN
