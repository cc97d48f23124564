"""Data made of copies of a few rows: searched through their distinct rows, exactly."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from balancekit import _exact
from balancekit._exact import Points, count_closer, nearest_across, top_k_positions
from balancekit.combine import SMOTEENN, SMOTETomek
from balancekit.exceptions import BalancekitWarning
from balancekit.over_sampling import ADASYN, SMOTE, BorderlineSMOTE
from balancekit.under_sampling import (
    AllKNN,
    CondensedNearestNeighbour,
    EditedNearestNeighbours,
    NearMiss,
    NeighbourhoodCleaningRule,
    OneSidedSelection,
    RepeatedEditedNearestNeighbours,
    TomekLinks,
)


@pytest.fixture(autouse=True)
def _tree_on_small_searches(monkeypatch):
    """Searches as small as these tests' may use the k-d tree."""
    monkeypatch.setattr(_exact, "_TREE_MIN_PAIRS", 0)
    monkeypatch.setattr(_exact, "_TREE_MIN_PAIRS_FEW", 0)


def _copies(rng, n, distinct, n_features, kind="grid"):
    """``n`` rows drawn from ``distinct`` rows: copies of each row. The rows of a small
    integer grid also tie distinct rows at equal distances (exact in float64); normal
    rows tie only copies, at distances that are not round numbers, as do rows with an
    unscaled amount in their first column (``'amount'``: screened in float64)."""
    if kind == "grid":
        base = rng.randint(0, 3, size=(distinct, n_features)).astype(float)
    else:
        base = rng.randn(distinct, n_features)
        if kind == "amount":
            base[:, 0] = rng.lognormal(10, 1, distinct)
    return base[rng.randint(0, distinct, n)]


def _sq_dist(X, rows, refs):
    return ((X[rows][:, None, :] - X[refs][None, :, :]) ** 2).sum(-1)


def _calls(monkeypatch, name):
    """Count the calls of ``_exact.<name>``."""
    calls = []
    original = getattr(_exact, name)
    monkeypatch.setattr(_exact, name, lambda *a, **kw: calls.append(1) or original(*a, **kw))
    return calls


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(2, 400),
    distinct=st.integers(1, 30),
    kind=st.sampled_from(["float64", "float32", "sparse", "subset"]),
    collide=st.booleans(),
)
def test_groups_hold_equal_rows_only(seed, n, distinct, kind, collide):
    rng = np.random.RandomState(seed)
    X = _copies(rng, n, distinct, 4)
    rows = None
    if kind == "float32":
        X = X.astype(np.float32)
    elif kind == "subset":
        rows = rng.permutation(n)[: max(1, n // 2)]
    data = sp.csr_matrix(X) if kind == "sparse" else X
    with pytest.MonkeyPatch.context() as mp:
        if collide:
            # A hash that many different rows share: the check against each
            # group's first row must split them.
            mp.setattr(_exact, "_row_hash", lambda rows_of, idx, n_features: np.zeros(idx.size))
        groups = Points(data, rows=rows).groups
    values = X if rows is None else X[rows]
    if groups is None:
        # Only where rows have few copies: fewer than 4 rows equal a row, on average.
        _, counts = np.unique(values, axis=0, return_counts=True)
        assert (counts**2).sum() / values.shape[0] < _exact._COPIES_MEAN or collide
        return
    assert groups.shape == (values.shape[0],)
    for g in np.unique(groups):
        members = values[groups == g]
        assert (members == members[0]).all()
    if not collide:
        # The hash is the same for equal rows: one group for each distinct row.
        assert np.unique(groups).size == np.unique(values, axis=0).shape[0]


@pytest.mark.parametrize("n_features", [20, 9001])
def test_a_pair_gets_one_value_and_a_row_one_hash_in_any_chunk(n_features):
    # numpy's einsum sums a row of more than 8,192 values in an order that depends on how
    # many rows it is given: copies of a row then hashed apart, and a pair's distance
    # depended on the chunk it fell in.
    rng = np.random.RandomState(0)
    row = (rng.randn(n_features) * rng.rand(n_features) * 10).astype(np.float32)
    X = np.vstack([row, row + 1])
    points = Points(X)
    values = [_exact.pair_sq(points, np.full(m, a), np.full(m, 1 - a))
              for m in (1, 2, 3, 5, 257) for a in (0, 1)]
    assert np.unique(np.concatenate(values)).size == 1
    n = 2 * _exact._build_step(n_features) + 1  # a last chunk of one row
    hashes = _exact._row_hash(lambda rows: X[np.zeros(rows.size, dtype=int)], np.arange(n),
                              n_features)
    assert np.unique(hashes).size == 1


def test_data_without_copies_are_not_grouped():
    rng = np.random.RandomState(0)
    assert Points(rng.randn(5000, 6)).groups is None
    # One row in five has one copy: sum(c^2) / n = 1.2.
    assert Points(np.r_[rng.randn(4000, 6), np.repeat(rng.randn(500, 6), 2, axis=0)]).groups is None
    assert Points(np.repeat(rng.randn(2500, 6), 2, axis=0)).groups is not None  # 2.0
    assert Points(np.repeat(rng.randn(500, 6), 20, axis=0)).groups is not None


@settings(max_examples=120, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(2, 300),
    distinct=st.integers(1, 12),
    n_features=st.integers(1, 5),
    sparse=st.booleans(),
    k=st.integers(1, 8),
    farthest=st.booleans(),
    own=st.booleans(),
    repeats=st.booleans(),
    tree=st.booleans(),
    kind=st.sampled_from(["grid", "normal", "amount"]),
    grouped=st.booleans(),
)
def test_top_k_on_copies_is_exact(seed, n, distinct, n_features, sparse, k, farthest, own,
                                  repeats, tree, kind, grouped):
    # Queries in any order, references in any order (with repeats), each query's
    # own position left out or not, nearest or farthest, through the distinct
    # rows or row by row: the order (distance, position) of brute force.
    rng = np.random.RandomState(seed)
    X = _copies(rng, n, distinct, n_features, kind)
    queries = rng.permutation(n)[: rng.randint(n // 2, n) + 1]
    refs = rng.randint(0, n, n) if repeats else rng.permutation(n)[: rng.randint(n // 2, n) + 1]
    self_pos = np.full(queries.size, -1)
    if own:
        for i, q in enumerate(queries):
            at = np.flatnonzero(refs == q)
            self_pos[i] = at[0] if at.size else -1
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_exact, "_TREE_MAX_FEATURES", 10**6 if tree else 0)
        if not grouped:
            mp.setattr(_exact, "_COPIES_MEAN", np.inf)
        calls = _calls(mp, "_distinct_top_k")
        points = Points(sp.csr_matrix(X) if sparse else X)
        raw, pos = top_k_positions(points, queries, refs, k, farthest=farthest,
                                   self_pos=self_pos)
    if n >= 8 * distinct and grouped:
        assert calls, "the distinct rows were not searched"
    D = _sq_dist(X, queries, refs)
    D[np.flatnonzero(self_pos >= 0), self_pos[self_pos >= 0]] = np.nan
    key = -D if farthest else D
    key = np.where(np.isnan(key), np.inf, key)
    order = np.lexsort((np.broadcast_to(np.arange(refs.size), D.shape), key), axis=1)
    # Each query has its references less its own position; -1 beyond them.
    available = refs.size - (self_pos >= 0)
    expected = np.where(np.arange(k) < available[:, None], order[:, :k] if refs.size >= k
                        else np.pad(order, ((0, 0), (0, k - refs.size))), -1)
    np.testing.assert_array_equal(pos, expected)
    # The values are the squared distances of the positions found, negated when farthest.
    found = pos >= 0
    rows = np.broadcast_to(np.arange(queries.size)[:, None], pos.shape)[found]
    value = D[rows, pos[found]]
    np.testing.assert_allclose(raw[found], -value if farthest else value, atol=1e-9)


@settings(max_examples=100, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(10, 300),
    distinct=st.integers(1, 10),
    need=st.integers(1, 6),
    witnesses=st.integers(0, 5),
    tree=st.booleans(),
    sparse=st.booleans(),
    grouped=st.booleans(),
    kind=st.sampled_from(["grid", "normal", "amount"]),
)
def test_count_closer_on_copies_is_exact(seed, n, distinct, need, witnesses, tree, sparse,
                                         grouped, kind):
    # Through the distinct rows or row by row; ties at distances that are not
    # round numbers are decided by row index all the same, also where the rows
    # are screened exactly (sparse data, an unscaled amount).
    rng = np.random.RandomState(seed)
    X = _copies(rng, n, distinct, 3, kind)
    own = np.flatnonzero(rng.rand(n) < 0.7)
    other = np.setdiff1d(np.arange(n), own)
    if own.size < 2 or other.size == 0:
        return
    # Each row's bound: a random row of the other set, or of its own (then not counted).
    pool = np.r_[other, own]
    bound_idx = pool[rng.randint(0, pool.size, own.size)]
    bound_sq = ((X[own] - X[bound_idx]) ** 2).sum(1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_exact, "_TREE_MAX_FEATURES", 10**6 if tree else 0)
        if not grouped:
            mp.setattr(_exact, "_COPIES_MEAN", np.inf)
        calls = _calls(mp, "_distinct_top_k")
        out = count_closer(Points(sp.csr_matrix(X) if sparse else X), own, own, bound_sq,
                           bound_idx, need, witnesses=witnesses)
    if n >= 8 * distinct and grouped:
        assert calls, "the distinct rows were not searched"
    counts, found = out if witnesses else (out, np.full((own.size, 0), -1))
    D = _sq_dist(X, own, own)
    before = (D < bound_sq[:, None]) | ((D == bound_sq[:, None]) & (own < bound_idx[:, None]))
    before &= (own[None, :] != own[:, None]) & (own[None, :] != bound_idx[:, None])
    expected = before.sum(1)
    np.testing.assert_array_equal(np.minimum(counts, need), np.minimum(expected, need))
    assert np.all(counts[expected < need] == expected[expected < need])
    for i in range(own.size):
        w = found[i][found[i] >= 0]
        # Up to `witnesses` of the rows counted, each once.
        assert len(w) <= min(witnesses, counts[i]) and len(set(w)) == len(w)
        assert set(w) <= set(own[before[i]])


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 300), distinct=st.integers(1, 10),
       k_a=st.integers(1, 4), k_b=st.integers(1, 4))
def test_nearest_across_on_copies_is_exact(seed, n, distinct, k_a, k_b):
    rng = np.random.RandomState(seed)
    X = _copies(rng, n, distinct, 3)
    in_a = rng.rand(n) < 0.4
    A, B = np.flatnonzero(in_a), np.flatnonzero(~in_a)
    if A.size == 0 or B.size == 0:
        return
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_exact, "_TREE_MAX_FEATURES", 0)
        (_, i_a), (_, i_b) = nearest_across(Points(X), A, B, k_a=k_a, k_b=k_b)
    for rows, others, k, idx in ((A, B, k_a, i_a), (B, A, k_b, i_b)):
        D = _sq_dist(X, rows, others)
        order = others[np.lexsort((np.broadcast_to(others, D.shape), D), axis=1)]
        m = min(k, others.size)
        np.testing.assert_array_equal(idx[:, :m], order[:, :m])


_SAMPLERS = [
    TomekLinks, EditedNearestNeighbours, RepeatedEditedNearestNeighbours, AllKNN,
    NeighbourhoodCleaningRule, NearMiss,
    lambda: NearMiss(version=2), lambda: NearMiss(version=3),
    lambda: EditedNearestNeighbours(sampling_strategy="all", kind_sel="mode", n_neighbors=4),
    lambda: OneSidedSelection(random_state=0),
    lambda: CondensedNearestNeighbour(random_state=0),
    lambda: SMOTE(random_state=0), lambda: ADASYN(random_state=0),
    lambda: BorderlineSMOTE(random_state=0),
    lambda: SMOTEENN(random_state=0), lambda: SMOTETomek(random_state=0),
]


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(200, 600), distinct=st.integers(4, 40),
       n_classes=st.integers(2, 3), tree=st.booleans(), sparse=st.booleans())
def test_samplers_on_copies_keep_the_rows_of_the_row_by_row_search(seed, n, distinct, n_classes,
                                                                     tree, sparse):
    rng = np.random.RandomState(seed)
    X = _copies(rng, n, distinct, 5)
    # Labels that depend on the row, with noise: copies of a row in several classes.
    y = ((X[:, 0] + rng.rand(n) * 1.5).astype(int) % n_classes)
    if np.bincount(y, minlength=n_classes).min() < 8:
        return
    data = sp.csr_matrix(X) if sparse else X
    for make in _SAMPLERS:
        outputs = []
        for mean in (_exact._COPIES_MEAN, np.inf):
            with pytest.MonkeyPatch.context() as mp, warnings.catch_warnings():
                warnings.simplefilter("ignore", BalancekitWarning)
                mp.setattr(_exact, "_TREE_MAX_FEATURES", 10**6 if tree else 0)
                mp.setattr(_exact, "_COPIES_MEAN", mean)
                X_res, y_res = make().fit_resample(data, y)
            outputs.append((X_res.toarray() if sp.issparse(X_res) else X_res, y_res))
        (X_a, y_a), (X_b, y_b) = outputs
        np.testing.assert_array_equal(X_a, X_b)
        np.testing.assert_array_equal(y_a, y_b)


@pytest.mark.parametrize("sampler", [TomekLinks, EditedNearestNeighbours, AllKNN,
                                     NeighbourhoodCleaningRule, OneSidedSelection],
                         ids=lambda c: c.__name__)
def test_copies_cost_exact_values_in_proportion_to_the_rows(sampler, monkeypatch):
    # 6,000 rows, 16 distinct: searched row by row, every pair of copies tied
    # with a query's nearest got its exact value (millions); now a few per row.
    rng = np.random.RandomState(0)
    X = rng.randint(0, 2, size=(6000, 4)).astype(float)
    y = (X[:, 0] + rng.rand(6000) > 1.7).astype(int)
    values = []
    pair_sq = _exact.pair_sq
    monkeypatch.setattr(_exact, "pair_sq",
                        lambda points, a, b: values.append(a.size) or pair_sq(points, a, b))
    sampler().fit_resample(X, y)
    assert sum(values) <= 20 * X.shape[0], sum(values)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 400), distinct=st.integers(1, 30),
       n_features=st.integers(1, 4), k=st.integers(1, 8), decimal=st.booleans(),
       outside=st.booleans())
def test_tree_of_distinct_rows_finds_the_neighbours_of_the_tree_of_all_rows(
        seed, n, distinct, n_features, k, decimal, outside):
    # The SMOTE family's k-d tree, on copies of rows: built on the distinct rows
    # alone, it gives the neighbours and distances of the tree of every row, ties
    # to the lower index; decimal values tie some distances in one way of computing
    # them and not in another (the same computation is kept).
    from balancekit import _neighbors
    from balancekit._neighbors import kneighbors

    rng = np.random.RandomState(seed)
    X = _copies(rng, n, distinct, n_features)
    if decimal:
        X = X * 0.1 + 0.3
    k = min(k, n - 1) if not outside else min(k, n)
    if k < 1:
        return
    query = X[rng.randint(0, n, 20)] + (rng.rand(20, n_features) < 0.5) * 0.1 if outside else None
    found, calls = [], []
    for mean in (_exact._COPIES_MEAN, np.inf):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(_exact, "_COPIES_MEAN", mean)
            mp.setattr(_neighbors._TreeSearch, "_query_distinct",
                       lambda *a, mean=mean, search=_neighbors._TreeSearch._query_distinct:
                       calls.append(mean) or search(*a))
            found.append(kneighbors(X, k, query=query, method="tree", return_distance=True))
    np.testing.assert_array_equal(found[0][1], found[1][1])
    np.testing.assert_array_equal(found[0][0], found[1][0])
    assert np.inf not in calls
    if n >= 8 * distinct:
        assert calls, "the tree of the distinct rows was not used"


@pytest.mark.parametrize("far", [[0, 4], [4, 0]], ids=["lower-left", "lower-right"])
def test_tree_of_distinct_rows_breaks_a_tie_at_the_kth_row_by_index(far):
    # One feature: the query 2, then 1 and 3, then 0 and 4 at equal distance, the
    # k-th nearest being one of those two: the one of lower index (row 3), whichever
    # side it is on. Rows 5-7 come in copies, so the tree of distinct rows is used.
    from balancekit._neighbors import kneighbors

    X = np.array([2, 1, 3] + far + [5, 6, 7] * 5, dtype=float)[:, None]
    assert _exact.many_copies(X.__getitem__, X.shape[0], 1)
    np.testing.assert_array_equal(kneighbors(X, 4, query=X[:1], method="tree")[0], [0, 1, 2, 3])


@pytest.mark.parametrize("sampler", [SMOTE, ADASYN, BorderlineSMOTE], ids=lambda c: c.__name__)
def test_smote_family_searches_the_distinct_rows_of_copies(sampler, monkeypatch):
    # Few features take the k-d tree, whose leaves copies fill with ties (0.7x
    # imbalanced-learn's time on 40k rows of 5 flags): a tree of the distinct rows
    # instead, with the same neighbours.
    from balancekit import _neighbors

    rng = np.random.RandomState(0)
    X = rng.randint(0, 2, size=(3000, 5)).astype(float)
    y = (rng.rand(3000) < 0.2 * X[:, 0]).astype(int)
    calls = []
    query_distinct = _neighbors._TreeSearch._query_distinct
    monkeypatch.setattr(_neighbors._TreeSearch, "_query_distinct",
                        lambda *a: calls.append(1) or query_distinct(*a))
    got = sampler(random_state=0).fit_resample(X, y)
    assert calls
    monkeypatch.setattr(_exact, "_COPIES_MEAN", np.inf)  # as other data: the tree of all rows
    calls.clear()
    by_tree = sampler(random_state=0).fit_resample(X, y)
    assert not calls
    np.testing.assert_array_equal(got[0], by_tree[0])
    np.testing.assert_array_equal(got[1], by_tree[1])


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 10_000), nq=st.integers(1, 20), m=st.integers(1, 12),
       n_groups=st.integers(1, 15), k=st.integers(1, 30))
def test_first_copies_ranks_the_rows_of_distinct_rows_by_value_then_row(seed, nq, m, n_groups,
                                                                         k):
    # Each query's distinct rows (smallest value first, values often equal, some
    # places empty) and their rows: the k best rows by (value, row) of brute force.
    rng = np.random.RandomState(seed)
    count = rng.randint(1, 6, n_groups)
    start = np.r_[0, np.cumsum(count)[:-1]]
    members = rng.permutation(200)[:count.sum()]  # distinct rows across groups
    for g in range(n_groups):  # each group's rows in increasing order
        members[start[g]:start[g] + count[g]].sort()
    m = min(m, n_groups)
    groups = np.array([rng.permutation(n_groups)[:m] for _ in range(nq)])
    values = np.sort(rng.randint(0, 4, (nq, m)).astype(float), axis=1)
    valid = rng.rand(nq, m) < 0.9
    values[~valid] = np.inf
    values = np.sort(values, axis=1)
    valid = np.isfinite(values)
    got_v, got_i = _exact.first_copies(values, groups, valid, count, start, members, k)
    for q in range(nq):
        cand = [(values[q, j], r) for j in range(m) if valid[q, j]
                for r in members[start[groups[q, j]]:start[groups[q, j]] + count[groups[q, j]]]]
        cand.sort()
        best = cand[:k]
        np.testing.assert_array_equal(got_i[q, :len(best)], [r for _, r in best])
        np.testing.assert_array_equal(got_v[q, :len(best)], [v for v, _ in best])
        assert np.all(got_i[q, len(best):] == -1) and np.all(np.isinf(got_v[q, len(best):]))


def test_sparse_rows_stored_in_any_order_give_the_results_of_sorted_rows():
    # The same matrix, each odd row's entries stored in reverse column order:
    # copies of a row stored in different orders summed their entries in different
    # orders, and ties were decided by the last bit.
    rng = np.random.RandomState(0)
    X = np.round(rng.randn(6, 5), 2)[rng.randint(0, 6, 400)]
    y = (rng.rand(400) < 0.35).astype(int)
    S = sp.csr_matrix(X)
    data, ind = S.data.copy(), S.indices.copy()
    for i in range(1, S.shape[0], 2):
        s, e = S.indptr[i], S.indptr[i + 1]
        data[s:e], ind[s:e] = data[s:e][::-1], ind[s:e][::-1]
    U = sp.csr_matrix((data, ind, S.indptr.copy()), shape=S.shape)
    assert not U.has_sorted_indices and (U != S).nnz == 0
    stored = U.indices.copy()
    for make in (lambda: EditedNearestNeighbours(n_neighbors=1), EditedNearestNeighbours,
                 TomekLinks, lambda: SMOTEENN(random_state=0)):
        kept = []
        for data in (U, S, X):
            for mean in (_exact._COPIES_MEAN, np.inf):
                with pytest.MonkeyPatch.context() as mp:
                    mp.setattr(_exact, "_COPIES_MEAN", mean)
                    X_res, _ = make().fit_resample(data, y)
                kept.append(X_res.toarray() if sp.issparse(X_res) else X_res)
        for other in kept[1:]:
            np.testing.assert_array_equal(kept[0], other)
    np.testing.assert_array_equal(U.indices, stored)  # the input is left as it was
