"""Integer rows (counts, pixels, flags, one-hot categories) are screened exactly."""

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from balancekit import _exact
from balancekit._exact import Points, count_closer, nearest_across, top_k
from balancekit.under_sampling import EditedNearestNeighbours, NearMiss, TomekLinks


def _lattice(rng, n, p, magnitude):
    """Integer rows near a point whose coordinates are +-magnitude, on a grid of step 1: many
    rows tie at equal distances, and the values are as large as the magnitude."""
    centre = magnitude * rng.choice([-1, 1], size=p)
    return (centre + rng.randint(-2, 3, size=(n, p))).astype(float)


def _int_sq_dist(X, rows, refs):
    """Squared distances in integer arithmetic: exact at any magnitude used here."""
    Xi = X.astype(np.int64)
    return ((Xi[rows][:, None, :] - Xi[refs][None, :, :]) ** 2).sum(-1)


def _order(D, refs):
    """Reference rows by (distance, row index), and their distances."""
    order = np.lexsort((np.broadcast_to(refs, D.shape), D), axis=-1)
    return np.take_along_axis(D, order, axis=1), refs[order]


def test_integer_rows_small_enough_are_screened_exactly():
    rng = np.random.RandomState(0)
    X = rng.randint(0, 17, size=(3000, 16)).astype(float)  # like digits' pixel counts
    assert Points(X).exact_screen
    assert Points(X.astype(np.float32)).exact_screen
    assert Points(sp.csr_matrix(X)).exact_screen
    # Screened as they are: the screened values are the exact ones, with no margin.
    points = Points(X)
    assert points.screened and np.array_equal(points.low_sq, points.sq)
    assert np.all(points.slack(np.arange(5), points.block_norms(np.arange(3000), 1000)) == 0)
    # One value off the integers, in the last rows read: screened with a margin.
    X[-1, -1] = 0.5
    assert not Points(X).exact_screen
    assert not Points(sp.csr_matrix(X)).exact_screen
    # Integers with an offset: exact once less their (whole) centre.
    offset = rng.randint(0, 3, size=(3000, 4)).astype(float) + 3000.0
    points = Points(offset)
    assert points.exact_screen and points.screened
    np.testing.assert_array_equal(points.centre, 3001.0)
    # Integers too large for exact float32 sums: the centred screening with its margin.
    big = rng.randint(0, 3000, size=(3000, 4)).astype(float)
    assert Points(big).screened and not Points(big).exact_screen
    # An unscaled integer amount, screened in float64, where its sums are exact.
    amount = np.c_[rng.lognormal(10, 1, 3000).round(), rng.randint(0, 2, size=(3000, 5))]
    points = Points(amount)
    assert not points.screened and points.exact_screen


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(8, 300),
    p=st.integers(1, 6),
    magnitude=st.sampled_from([1, 300, 1400, 3000, 6000, 10**5]),
    k=st.integers(1, 6),
    sparse=st.booleans(),
    block=st.sampled_from([16, 2040]),
)
def test_searches_of_integer_rows_are_exact_at_any_magnitude(seed, n, p, magnitude, k, sparse,
                                                             block):
    # Ties everywhere, at magnitudes on both sides of what float32 sums hold
    # exactly: every search returns the order (distance, row) of integer
    # arithmetic, whether it takes its screened values or computes them again.
    rng = np.random.RandomState(seed)
    X = _lattice(rng, n, p, magnitude)
    queries = np.sort(rng.permutation(n)[: n // 2])
    refs = np.setdiff1d(np.arange(n), queries)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_exact, "_TREE_MAX_FEATURES", 0)
        mp.setattr(_exact, "_COPIES_MEAN", np.inf)  # row by row: every tie decided by index
        mp.setattr(_exact, "_REF_BLOCK", block)
        mp.setattr(_exact, "_MIN_PART", min(_exact._MIN_PART, block // 4))
        mp.setattr(_exact, "_SELF_MIN_TILES", 1)
        mp.setattr(_exact, "_TILE", 24)
        points = Points(sp.csr_matrix(X) if sparse else X)
        sq, idx = top_k(points, queries, refs, k)
        (a_sq, a_idx), (b_sq, b_idx) = nearest_across(points, queries, refs, k_a=k, k_b=k)
        self_sq, self_idx = top_k(points, np.arange(n), np.arange(n), k)
        D, order = _order(_int_sq_dist(X, queries, refs), refs)
        bound = min(k, refs.size) - 1
        counts = count_closer(points, queries, refs, D[:, bound], order[:, bound], 10**9)
    m = min(k, refs.size)
    np.testing.assert_array_equal(idx[:, :m], order[:, :m])
    np.testing.assert_array_equal(sq[:, :m], D[:, :m])
    np.testing.assert_array_equal(a_idx[:, :m], order[:, :m])
    np.testing.assert_array_equal(a_sq[:, :m], D[:, :m])
    _, order_b = _order(_int_sq_dist(X, refs, queries), queries)
    np.testing.assert_array_equal(b_idx[:, :min(k, queries.size)],
                                  order_b[:, :min(k, queries.size)])
    D_self = _int_sq_dist(X, np.arange(n), np.arange(n))
    np.fill_diagonal(D_self, np.iinfo(np.int64).max)
    D_self, order_self = _order(D_self, np.arange(n))
    np.testing.assert_array_equal(self_idx, order_self[:, :k])
    np.testing.assert_array_equal(self_sq, D_self[:, :k])
    # Rows before the bound, ties by row index: exactly the bound's rank.
    np.testing.assert_array_equal(counts, bound)


@pytest.mark.parametrize("sampler", [EditedNearestNeighbours, TomekLinks, NearMiss])
def test_rules_on_integer_rows_keep_the_rows_of_the_search_with_a_margin(sampler, monkeypatch):
    # One-hot categories (all distances tie in steps of 2): the same rows
    # screened exactly as with the margin of other data.
    rng = np.random.RandomState(0)
    levels = rng.randint(0, 4, size=(1500, 6))
    X = np.hstack([np.eye(4)[levels[:, j]] for j in range(6)])
    y = (levels.sum(1) + rng.randint(0, 3, 1500) > 14).astype(int)
    exact = sampler().fit_resample(X, y)
    assert Points(X).exact_screen
    monkeypatch.setattr(_exact, "_exact_bound", lambda dtype: 0.0)
    assert not Points(X).exact_screen
    margin = sampler().fit_resample(X, y)
    np.testing.assert_array_equal(exact[0], margin[0])
    np.testing.assert_array_equal(exact[1], margin[1])
