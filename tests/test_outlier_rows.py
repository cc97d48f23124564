"""Rows of huge norm among ordinary ones (an amount with outliers): the float64 values are
screened with each pair's own margin, not the margin of a block's largest row. Rows far
from the origin (an offset far larger than their distances), or far from any one centre
(a missing-value code, groups far apart): the distances that decide are summed from
differences."""

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from balancekit import _exact
from balancekit._exact import Points, count_closer, nearest_across, top_k
from balancekit.under_sampling import (
    AllKNN,
    CondensedNearestNeighbour,
    EditedNearestNeighbours,
    NearMiss,
    NeighbourhoodCleaningRule,
    OneSidedSelection,
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


def _spec_order(X, queries, refs, own, farthest=False):
    """Reference rows by their squared distances summed from differences in float64 (negated
    for the farthest), ties to the lower row, leaving out each query itself: what every
    search must return."""
    values = np.array([np.einsum("ij,ij->i", X[q] - X[refs], X[q] - X[refs]) for q in queries])
    if farthest:
        values = -values
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
        values, order = _spec_order(X, queries, refs, own=True, farthest=farthest)
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
    pair_sq = _exact.pair_sq
    monkeypatch.setattr(_exact, "pair_sq",
                        lambda points, a, b: computed.append(a.size) or pair_sq(points, a, b))
    X_res, y_res = sampler().fit_resample(X, y)
    assert sum(computed) <= 20 * X.shape[0], sum(computed)
    # The rows kept are those of the same search with a block's margin.
    monkeypatch.setattr(_exact.Points, "pair_margins", lambda self, rows: None)
    X_block, y_block = sampler().fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X_block)
    np.testing.assert_array_equal(y_res, y_block)


def _differences_order(points, queries, refs, farthest=False):
    """Reference rows by the squared distances of :func:`~balancekit._exact.pair_sq`, summed
    from differences (farthest first with ``farthest``), ties to the lower row, leaving out
    each query itself: brute force over every pair."""
    D = _exact.pair_sq(points, np.repeat(queries, refs.size),
                       np.tile(refs, queries.size)).reshape(queries.size, refs.size)
    if farthest:
        D = -D
    D[queries[:, None] == refs[None, :]] = np.inf
    return refs[np.lexsort((np.broadcast_to(refs, D.shape), D), axis=-1)]


# The ways of searching the module chooses by data and size, forced on small data: the
# k-d tree; blocks screened in float64, each pair with its margin; blocks screened in
# float32, with the self-search of a set among itself in small tiles.
_MODES = {
    "tree": {"_TREE_MAX_FEATURES": 10**6, "_TREE_MIN_PAIRS": 0, "_TREE_MIN_PAIRS_FEW": 0},
    "float64": {"_TREE_MAX_FEATURES": 0, "_COARSE_FACTOR": 0.0, "_REF_BLOCK": 64,
                "_MIN_PART": 16},
    "float32": {"_TREE_MAX_FEATURES": 0, "_COARSE_FACTOR": np.inf, "_TILE": 16,
                "_SELF_MIN_TILES": 1, "_SELF_PARTS": 4, "_REF_BLOCK": 64, "_MIN_PART": 16},
}


def _check_by_differences(X, data, rng, k, mode):
    """Every search of ``data`` (``X`` or a sparse copy), in one of :data:`_MODES`, against
    orders by squared distances from differences: top_k of half the rows and of every row
    (nearest and farthest), nearest_across two halves, count_closer."""
    n = X.shape[0]
    queries = np.sort(rng.permutation(n)[: n // 2])
    rest = np.setdiff1d(np.arange(n), queries)
    refs = np.arange(n)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_exact, "_TREE_PROBE_MAX_FEATURES", 0)
        for name, value in _MODES[mode].items():
            mp.setattr(_exact, name, value)
        points = Points(data)
        _, idx = top_k(points, queries, refs, k)
        _, every = top_k(points, refs, refs, k)
        _, far = top_k(points, queries, refs, k, farthest=True)
        sq, nearest = top_k(points, queries, refs, 1)
        counts = count_closer(points, queries, refs, sq[:, 0], nearest[:, 0], 10**9)
        (_, across_a), (_, across_b) = nearest_across(points, queries, rest, k_a=k, k_b=k)
    np.testing.assert_array_equal(idx, _differences_order(points, queries, refs)[:, :k])
    np.testing.assert_array_equal(every, _differences_order(points, refs, refs)[:, :k])
    np.testing.assert_array_equal(far, _differences_order(points, queries, refs, True)[:, :k])
    np.testing.assert_array_equal(counts, 0)
    m = min(k, rest.size)
    np.testing.assert_array_equal(across_a[:, :m],
                                  _differences_order(points, queries, rest)[:, :m])
    np.testing.assert_array_equal(across_b[:, :k],
                                  _differences_order(points, rest, queries)[:, :k])
    # The distances returned are those of the rows found, to their last digits (the
    # values of pair_sq, which the orders above take as given).
    np.testing.assert_allclose(sq[:, 0], ((X[queries] - X[nearest[:, 0]]) ** 2).sum(1),
                               rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(20, 300),
    p=st.integers(1, 12),
    offset=st.sampled_from([1e4, 1e7, 1.7e9, -3e12]),
    scale=st.sampled_from([1e-3, 1.0, 50.0]),
    k=st.integers(1, 5),
    mode=st.sampled_from(sorted(_MODES)),
)
def test_rows_far_from_the_origin_are_searched_by_their_distances(seed, n, p, offset, scale, k,
                                                                  mode):
    # Coordinates in metres, times in seconds: |x|^2 - 2 q.x of the rows as they are
    # leaves no digits for distances a million times smaller than the offset.
    rng = np.random.RandomState(seed)
    X = rng.randn(n, p) * scale + offset * rng.uniform(0.5, 1.0, p)
    _check_by_differences(X, X, rng, k, mode)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(20, 300),
    p=st.integers(1, 8),
    far=st.sampled_from([1e7, 1e9, -3e12]),
    kind=st.sampled_from(["groups", "code", "sparse"]),
    k=st.integers(1, 5),
    mode=st.sampled_from(sorted(_MODES)),
)
def test_rows_far_from_any_one_centre_are_searched_by_their_distances(seed, n, p, far, kind, k,
                                                                      mode):
    # No one centre brings every row near 0: two groups far apart, a missing-value code
    # such as 99999999 in some rows of a column, sparse rows of large values (never
    # centred). The rows far from the centre are near one another, and |x|^2 - 2 q.x
    # of those rows has no digits left for their distances.
    rng = np.random.RandomState(seed)
    X = rng.randn(n, p)
    if kind == "groups":
        X[rng.rand(n) < 0.5] += far
    elif kind == "code":
        X[rng.rand(n) < 0.2, 0] = far
    else:
        X = np.where(rng.rand(n, p) < 0.3, 0.0, X + far)
    _check_by_differences(X, sp.csr_matrix(X) if kind == "sparse" else X, rng, k, mode)


def test_many_rows_of_one_feature_find_their_nearest_rows():
    # 300,000 values of one feature: their distances are a millionth of their norms, and
    # |x|^2 - 2 q.x gave two rows another pair of nearest rows than their differences.
    rng = np.random.default_rng(1)
    n = 300_000
    X = rng.normal(size=(n, 1)) * 3 + 0.5
    _, idx = top_k(Points(X), np.arange(n), np.arange(n), 2)
    # The two nearest of each row are among the two rows on each side in sorted order.
    order = np.argsort(X[:, 0], kind="stable")
    at = np.empty(n, dtype=np.intp)
    at[order] = np.arange(n)
    near = np.stack([order[np.clip(at + s, 0, n - 1)] for s in (-2, -1, 1, 2)], axis=1)
    d = (X[near, 0] - X[:, :1]) ** 2
    d[near == np.arange(n)[:, None]] = np.inf
    expected = np.take_along_axis(near, np.lexsort((near, d), axis=1)[:, :2], axis=1)
    np.testing.assert_array_equal(idx, expected)


@pytest.mark.parametrize("sampler", [TomekLinks, EditedNearestNeighbours, AllKNN,
                                     NeighbourhoodCleaningRule, NearMiss, OneSidedSelection,
                                     CondensedNearestNeighbour],
                         ids=lambda s: s.__name__)
def test_rules_on_a_missing_value_code_keep_the_rows_of_imbalanced_learn(sampler):
    # A code such as 99999999 in 15% of a column of values near 1: imbalanced-learn's k-d
    # tree computes differences; TomekLinks kept 14 other rows, NearMiss-1 up to 134.
    iu = pytest.importorskip("imblearn.under_sampling")
    rng = np.random.RandomState(0)
    y = (rng.rand(2000) < 0.25).astype(int)
    X = rng.randn(2000, 4) + 1.0 + 0.5 * y[:, None]
    X[rng.rand(2000) < 0.15, 1] = 99999999.0
    params = {"random_state": 0} if sampler in (OneSidedSelection,
                                                CondensedNearestNeighbour) else {}
    ours, theirs = sampler(**params), getattr(iu, sampler.__name__)(**params)
    ours.fit_resample(X, y)
    theirs.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, np.sort(theirs.sample_indices_))


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


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 300), p=st.integers(1, 6), scale=st.integers(-8, 15),
       kind=st.sampled_from(["normal", "integers", "lognormal"]), seed=st.integers(0, 2**16))
def test_the_centre_takes_numpys_quartiles_to_the_last_bit(n, p, scale, kind, seed):
    # The centre comes from one sort of the sampled columns; numpy.quantile is the reference.
    rng = np.random.default_rng(seed)
    sample = {"normal": lambda: rng.normal(size=(n, p)) * 10.0**scale,
              "integers": lambda: rng.integers(-3, 4, size=(n, p)).astype(float),
              "lognormal": lambda: rng.lognormal(3, 2, size=(n, p))}[kind]()
    expected = np.quantile(sample, [0.25, 0.5, 0.75], axis=0)
    np.testing.assert_array_equal(np.array(_exact._quartiles(sample)), expected)


@pytest.mark.parametrize("n", [1500, 3000])
@pytest.mark.parametrize("kind", ["code", "groups"])
def test_small_searches_of_many_features_find_the_neighbours_of_rows_far_apart(kind, n):
    # A missing-value code in a column, or two groups far apart: no centre brings the rows
    # near 0, and scikit-learn's brute force gave 280 of 1,500 rows another 5-NN list.
    # Such rows go to the search that decides on differences.
    from balancekit._neighbors import kneighbors
    from balancekit.over_sampling import SMOTE

    # Up to 2,048 rows, every row is checked for a near one; above, a sample of them.
    rng = np.random.RandomState(0)
    X = rng.randn(n, 20)
    if kind == "code":
        X[rng.rand(n) < 0.2, 3] = 99999999.0
    else:
        X[rng.rand(n) < 0.5] += 1e9
    refs = np.arange(n)
    points = Points(X)
    np.testing.assert_array_equal(kneighbors(X, 5), _differences_order(points, refs, refs)[:, :5])
    rows = np.flatnonzero(rng.rand(n) < 0.3)
    found = kneighbors(X, 4, rows=rows)
    np.testing.assert_array_equal(rows[found], _differences_order(points, rows, rows)[:, :4])
    queries = X[:50] + 1e-3
    _, idx = kneighbors(X, 3, query=queries, return_distance=True)
    D = np.array([np.einsum("ij,ij->i", X - q, X - q) for q in queries])
    np.testing.assert_array_equal(idx, np.argsort(D, axis=1, kind="stable")[:, :3])
    # SMOTE's new rows then lie on segments to true neighbours: within the code rows, each
    # new row is as near its base as the base's fifth neighbour at most.
    y = (rng.rand(n) < 0.2).astype(int)
    X_res, _ = SMOTE(k_neighbors=5, random_state=0).fit_resample(X, y)
    minority = np.flatnonzero(y == 1)
    fifth = _differences_order(points, minority, minority)[:, 4]
    limit = ((X[minority] - X[fifth]) ** 2).sum(1)
    new = X_res[X.shape[0]:]
    nearest_base = np.array([np.argmin(((X[minority] - r) ** 2).sum(1)) for r in new])
    assert np.all(((new - X[minority[nearest_base]]) ** 2).sum(1) <= limit[nearest_base] * 1.0001)
