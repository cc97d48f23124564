"""Rows of huge norm among ordinary ones (an amount with outliers): the float64 values are
decided with each pair's own margin, not the margin of a block's largest row. Rows far
from the origin (an offset far larger than their distances): exact values of the rows less
a centre."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balancekit import _exact
from balancekit._exact import Points, count_closer, top_k
from balancekit.under_sampling import (
    AllKNN,
    EditedNearestNeighbours,
    NearMiss,
    NeighbourhoodCleaningRule,
    TomekLinks,
)


def _with_outliers(rng, n, p, top):
    """Normal rows, each twice (ties at distances that are not round numbers), whose last
    column is an amount of lognormal spread with a few outliers up to ``10 ** top``."""
    base = rng.randn(n // 2, p)
    base[:, -1] = rng.lognormal(3, 1, n // 2)
    outliers = rng.rand(n // 2) < 0.03
    outliers[0] = True
    base[outliers, -1] = 10.0 ** rng.uniform(6, top, outliers.sum())
    return base[rng.permutation(np.r_[np.arange(n // 2), np.arange(n // 2)])]


def _spec_order(points, queries, refs, own, farthest=False):
    """Reference rows by the library's exact values (row dot products), ties to the lower
    row, leaving out each query itself: what every search must return."""
    Q = points.exact_queries(queries, 2.0 if farthest else -2.0)
    values = np.array([_exact._row_dots(np.repeat(Q[i:i + 1], refs.size, axis=0),
                                        points.exact(refs)) for i in range(queries.size)])
    if own:
        values[queries[:, None] == refs[None, :]] = np.inf
    order = np.lexsort((np.broadcast_to(refs, values.shape), values), axis=-1)
    return np.take_along_axis(values, order, axis=1), refs[order]


def _worst_rounding(dot, rng):
    """``_exact._dot`` whose float64 products err by as much as rounding may: the
    bound ``c (|q| + |x|)^2`` each way at random (the exact query rows are
    ``[-2 q, 1]``, the exact reference rows ``[x, |x|^2]``)."""
    def noisy(A, B):
        D = dot(A, B)
        if D.dtype != np.float64:
            return D
        c = _exact._rounding(A.shape[1] - 1)[1]
        q = np.sqrt((A[:, :-1] ** 2).sum(1) / 4.0)
        bound = c * (q[:, None] + np.sqrt(B[:, -1])[None, :]) ** 2
        return D + np.where(np.isfinite(D), 0.99 * bound * rng.choice([-1.0, 1.0], D.shape), 0.0)

    return noisy


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(20, 300),
    p=st.integers(2, 6),
    top=st.sampled_from([12, 20]),
    k=st.integers(1, 5),
    block=st.sampled_from([16, 2040]),
    farthest=st.booleans(),
    worst=st.booleans(),
)
def test_searches_among_rows_of_huge_norm_follow_the_exact_values(seed, n, p, top, k, block,
                                                                  farthest, worst):
    # Also where each product errs by as much as the margins allow (``worst``).
    rng = np.random.RandomState(seed)
    X = _with_outliers(rng, n, p, top)
    n = X.shape[0]
    queries = np.sort(rng.permutation(n)[: n // 2])
    refs = np.arange(n)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_exact, "_TREE_MAX_FEATURES", 0)
        mp.setattr(_exact, "_TREE_PROBE_MAX_FEATURES", 0)
        mp.setattr(_exact, "_COPIES_MEAN", np.inf)  # row by row: every tie decided by index
        mp.setattr(_exact, "_REF_BLOCK", block)
        mp.setattr(_exact, "_MIN_PART", min(_exact._MIN_PART, block // 4))
        mp.setattr(_exact, "_COARSE_FACTOR", 0.0)  # values in float64, also on few outliers
        if worst:
            mp.setattr(_exact, "_dot", _worst_rounding(_exact._dot, rng))
        points = Points(X)
        assert not points.screened and not points.exact_screen  # values in float64
        sq, idx = top_k(points, queries, refs, k, farthest=farthest)
        values, order = _spec_order(points, queries, refs, own=True, farthest=farthest)
        np.testing.assert_array_equal(idx, order[:, :k])
        if not farthest:
            # Rows before each query's k-th row, ties by index: k - 1 exactly.
            counts = count_closer(points, queries, refs, sq[:, k - 1], idx[:, k - 1], 10**9)
            np.testing.assert_array_equal(counts, k - 1)


@pytest.mark.parametrize("sampler", [EditedNearestNeighbours, TomekLinks, NearMiss])
def test_a_few_rows_of_huge_norm_do_not_send_every_pair_to_a_second_computation(
        sampler, monkeypatch):
    # A block's margin grows with its largest norm: with amounts up to 1e20 every pair
    # of the block was computed again (millions of exact values, 60 times the time of
    # imbalanced-learn). Each pair's margin leaves only the near ties: counted, not timed.
    rng = np.random.RandomState(0)
    X = _with_outliers(rng, 3000, 8, 20)
    y = (rng.rand(3000) < 0.15).astype(int)
    computed = []
    row_dots = _exact._row_dots
    monkeypatch.setattr(_exact, "_row_dots",
                        lambda A, B: computed.append(A.shape[0]) or row_dots(A, B))
    X_res, y_res = sampler().fit_resample(X, y)
    assert sum(computed) <= 20 * X.shape[0], sum(computed)
    # The rows kept are those of the same search with a block's margin.
    monkeypatch.setattr(_exact.Points, "pair_margins", lambda self, rows: None)
    X_block, y_block = sampler().fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X_block)
    np.testing.assert_array_equal(y_res, y_block)


def _differences_order(X, queries, refs):
    """Reference rows by squared distances computed from differences, ties to the lower row,
    leaving out each query itself."""
    D = ((X[queries][:, None, :] - X[refs][None, :, :]) ** 2).sum(-1)
    D[queries[:, None] == refs[None, :]] = np.inf
    return refs[np.lexsort((np.broadcast_to(refs, D.shape), D), axis=-1)]


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(20, 300),
    p=st.integers(1, 12),
    offset=st.sampled_from([1e4, 1e7, 1.7e9, -3e12]),
    scale=st.sampled_from([1e-3, 1.0, 50.0]),
    k=st.integers(1, 5),
    tree=st.booleans(),
)
def test_rows_far_from_the_origin_are_searched_by_their_distances(seed, n, p, offset, scale, k,
                                                                  tree):
    # Coordinates in metres, times in seconds: |x|^2 - 2 q.x of the rows as they are
    # leaves no digits for distances a million times smaller than the offset.
    rng = np.random.RandomState(seed)
    X = rng.randn(n, p) * scale + offset * rng.uniform(0.5, 1.0, p)
    queries = np.sort(rng.permutation(n)[: n // 2])
    refs = np.arange(n)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_exact, "_TREE_MAX_FEATURES", 10**6 if tree else 0)
        mp.setattr(_exact, "_TREE_PROBE_MAX_FEATURES", 0)
        mp.setattr(_exact, "_TREE_MIN_PAIRS", 0)
        points = Points(X)
        _, idx = top_k(points, queries, refs, k)
        sq, nearest = top_k(points, queries, refs, 1)
        counts = count_closer(points, queries, refs, sq[:, 0], nearest[:, 0], 10**9)
    np.testing.assert_array_equal(idx, _differences_order(X, queries, refs)[:, :k])
    np.testing.assert_array_equal(counts, 0)


@pytest.mark.parametrize("offset", [1e7, 1.7e9])
@pytest.mark.parametrize("p", [2, 12])
@pytest.mark.parametrize("sampler", [TomekLinks, EditedNearestNeighbours, AllKNN,
                                     NeighbourhoodCleaningRule, NearMiss],
                         ids=lambda s: s.__name__)
def test_rules_keep_the_same_rows_whatever_the_offset(sampler, p, offset):
    rng = np.random.RandomState(1)
    y = (rng.rand(600) < 0.3).astype(int)
    X = rng.randn(600, p) + y[:, None] * 0.8 + offset
    # Less its mean, each difference of two rows is the same (exactly: Sterbenz).
    centred = X - X.mean(axis=0)
    a, b = sampler(), sampler()
    a.fit_resample(X, y)
    b.fit_resample(centred, y)
    np.testing.assert_array_equal(a.sample_indices_, b.sample_indices_)


def test_only_columns_far_from_zero_next_to_their_spread_are_centred():
    rng = np.random.RandomState(0)
    X = rng.randn(5000, 4)
    X[:, 1] += 3.0          # an offset of a few spreads: costs no digits, left alone
    X[:, 2] += 1.7e9        # timestamps in seconds: centred on the rounded median
    X[:, 3] = rng.lognormal(3, 1, 5000)
    X[rng.rand(5000) < 0.03, 3] = 1e18  # outliers move the mean, not the median
    centre = Points(X).centre
    assert centre[0] == centre[1] == centre[3] == 0.0
    assert abs(centre[2] - 1.7e9) < 1.0 and centre[2] == np.rint(centre[2])


@pytest.mark.parametrize("offset", [1e6, 1e8, -3e9])
@pytest.mark.parametrize("method", ["brute", "auto"])
def test_small_searches_of_many_features_are_not_moved_by_an_offset(offset, method):
    # Below the screened search's size, scikit-learn's brute force searches more than 15
    # features: it gets the rows less their whole-number centre.
    from sklearn.datasets import make_classification

    from balancekit._neighbors import kneighbors
    from balancekit.over_sampling import ADASYN, SMOTE, BorderlineSMOTE

    X, y = make_classification(n_samples=1200, n_features=20, n_informative=3,
                               n_redundant=0, n_clusters_per_class=1, weights=[0.9],
                               random_state=3)
    rows = np.flatnonzero(y == 1)
    np.testing.assert_array_equal(kneighbors(X + offset, 5, rows=rows, method=method),
                                  kneighbors(X, 5, rows=rows, method=method))
    for cls in (SMOTE, ADASYN, BorderlineSMOTE):
        moved, y_moved = cls(random_state=0).fit_resample(X + offset, y)
        plain, y_plain = cls(random_state=0).fit_resample(X, y)
        np.testing.assert_array_equal(y_moved, y_plain)
        np.testing.assert_allclose(moved - offset, plain, rtol=0, atol=abs(offset) * 1e-14)
