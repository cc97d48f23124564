"""The fast neighbour back ends: the screened exact search, faiss exact and approximate."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

from balancekit import _exact, _neighbors
from balancekit._neighbors import choose_method, has_faiss, kneighbors
from balancekit.exceptions import InvalidParameterError, InvalidParameterTypeError
from balancekit.over_sampling import ADASYN, SMOTE, BorderlineSMOTE

needs_faiss = pytest.mark.skipif(not has_faiss(), reason="faiss not installed")

SAMPLERS = {
    "smote": SMOTE,
    "adasyn": ADASYN,
    "borderline-1": BorderlineSMOTE,
    "borderline-2": lambda **kw: BorderlineSMOTE(kind="borderline-2", **kw),
}


def _data(n_samples=3000, n_features=20, weights=(0.75,), seed=0):
    X, y = make_classification(
        n_samples=n_samples, n_features=n_features, n_informative=10, n_redundant=0,
        weights=list(weights), flip_y=0.05, random_state=seed,
    )
    return X, y


def _sklearn(X, k, query=None):
    nn = NearestNeighbors(n_neighbors=k + (query is None)).fit(X)
    return nn.kneighbors(X if query is None else query)


def _clear_rows(dist, rtol=1e-4):
    """Rows whose sorted neighbour distances are all clearly apart (no near-ties)."""
    return (np.diff(dist, axis=1) > rtol * (1 + dist[:, 1:])).all(axis=1)


def _true_recall(X, idx, k, query=None, query_rows=None):
    """Fraction of the true k nearest (scikit-learn, self excluded for rows of X) in ``idx``."""
    ref = _sklearn(X, k, query)[1]
    if query is None:
        ref = ref[:, 1:] if query_rows is None else ref[query_rows, 1:]
    return np.mean([len(set(a) & set(b)) / k for a, b in zip(idx, ref, strict=True)])


@pytest.fixture
def faiss_calls(monkeypatch):
    """Records each exact faiss search."""
    calls = []
    real = _neighbors._faiss

    def spy(X, Q, k, n_jobs=None):
        calls.append((X.shape[0], Q.shape[0], k))
        return real(X, Q, k, n_jobs)

    monkeypatch.setattr(_neighbors, "_faiss", spy)
    return calls


@pytest.fixture
def approximate_calls(monkeypatch):
    """Records each approximate search: its data, queries and results."""
    calls = []
    real = _neighbors._approximate

    def spy(X, Q, k, query_indices, n_jobs, rng):
        dist, idx, found = real(X, Q, k, query_indices, n_jobs, rng)
        calls.append({"X": X, "Q": Q, "k": k, "own": query_indices, "idx": idx, "found": found})
        return dist, idx, found

    monkeypatch.setattr(_neighbors, "_approximate", spy)
    return calls


def _without_self(call):
    """The neighbour lists of a recorded search, each query's own row removed."""
    k = call["k"] - (call["own"] is not None)
    if call["own"] is None:
        return call["idx"][:, :k]
    return np.array(
        [[j for j in row if j != own][:k] for row, own in zip(call["idx"], call["own"], strict=True)]
    )


def _call_recall(call):
    k = call["k"] - (call["own"] is not None)
    Q = None if call["own"] is not None else call["Q"]
    return _true_recall(call["X"], _without_self(call), k, query=Q, query_rows=call["own"])


# --- the exact faiss search ----------------------------------------------------------------


@needs_faiss
@pytest.mark.parametrize("offset", [0.0, 1e6])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_faiss_flat_gives_the_neighbours_of_sklearn(dtype, offset):
    rng = np.random.RandomState(0)
    # A large common offset: float32 distances would be noise without centring first.
    X = (rng.randn(2000, 12) + offset).astype(dtype)
    Q = (rng.randn(150, 12) + offset).astype(dtype)
    k = 5
    ref_dist, ref_idx = _sklearn(X.astype(np.float64), k + 1)  # self, k, and the next one
    clear = _clear_rows(ref_dist)
    assert clear.mean() > 0.95
    ref_dist, ref_idx = ref_dist[:, : k + 1], ref_idx[:, : k + 1]
    dist, idx = kneighbors(X, k, method="faiss", return_distance=True)
    np.testing.assert_array_equal(idx[clear], ref_idx[clear, 1:])
    np.testing.assert_allclose(dist[clear], ref_dist[clear, 1:], rtol=1e-3)
    assert not (idx == np.arange(X.shape[0])[:, None]).any()

    ref_dist_q, ref_idx_q = _sklearn(X.astype(np.float64), k + 1, Q.astype(np.float64))
    clear_q = _clear_rows(ref_dist_q)
    assert clear_q.mean() > 0.95
    idx_q = kneighbors(X, k, query=Q, method="faiss")
    np.testing.assert_array_equal(idx_q[clear_q], ref_idx_q[clear_q, :k])


@needs_faiss
def test_faiss_threads_are_restored_and_n_jobs_accepted(index_always):
    import faiss

    X = np.random.RandomState(1).randn(300, 12)
    before = faiss.omp_get_max_threads()
    ref = kneighbors(X, 4, method="brute")
    for n_jobs in (None, 1, 2, -1):
        np.testing.assert_array_equal(kneighbors(X, 4, method="faiss", n_jobs=n_jobs), ref)
        np.testing.assert_array_equal(
            kneighbors(X, 4, method="approximate", n_jobs=n_jobs, random_state=0), ref
        )
        assert faiss.omp_get_max_threads() == before


def test_auto_picks_the_screened_search_for_large_dense_data():
    big = dict(n_reference=100_000, n_features=20, n_queries=100_000)
    assert choose_method(**big) == "screened"
    assert choose_method(100_000, 12, 100_000) == "screened"
    # Small searches, low dimension and sparse data stay on scikit-learn.
    assert choose_method(2000, 20, 2000) == "brute"
    assert choose_method(100_000, 8, 100_000) == "tree"
    assert choose_method(100_000, 20, 100_000, True) == "brute"


@pytest.mark.parametrize("sparse", [False, True])
def test_auto_breaks_ties_by_row_index_in_small_searches_of_many_columns(sparse):
    # Small integers in 20 columns: many rows at equal distances. scikit-learn's brute force
    # returned rows tied at the k-th distance in its own order (385 of 1,800 searches).
    rng = np.random.default_rng(11)
    X = rng.integers(0, 3, size=(1800, 20)).astype(float)
    if sparse:
        X[X == 1] = 0
        X = sp.csr_matrix(X)
    dense = X.toarray() if sparse else X
    sq = (dense**2).sum(axis=1)
    D = sq[:, None] + sq[None, :] - 2.0 * dense @ dense.T  # exact: small integers
    np.fill_diagonal(D, np.inf)
    expected = np.argsort(D, axis=1, kind="stable")[:, :5]  # ties to the lower row
    np.testing.assert_array_equal(kneighbors(X, 5), expected)


@pytest.fixture
def screened_calls(monkeypatch):
    """Records each screened search."""
    calls = []
    real = _neighbors._screened

    def spy(X, Q, query_indices, k, n_jobs=None, rows=None, *args):
        n_refs = X.shape[0] if rows is None else len(rows)
        calls.append((n_refs, len(query_indices) if Q is None else Q.shape[0], k))
        return real(X, Q, query_indices, k, n_jobs, rows, *args)

    monkeypatch.setattr(_neighbors, "_screened", spy)
    return calls


def _brute(X, Q, k, exclude=None):
    """k nearest rows of X by brute force in float64, ties to the lower index."""
    X, Q = X.astype(np.float64), Q.astype(np.float64)
    D = ((Q[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    if exclude is not None:
        D[np.arange(len(Q)), exclude] = np.inf
    order = np.lexsort((np.broadcast_to(np.arange(X.shape[0]), D.shape), D), axis=-1)[:, :k]
    return np.sqrt(np.take_along_axis(D, order, axis=1)), order


@pytest.fixture(params=[None, 32, 16], ids=["default-tiles", "small-tiles", "wide-tiles"])
def small_tiles(request, monkeypatch):
    """With small tiles, self-searches of a few hundred rows take the symmetric path;
    with ``wide-tiles``, in tiles twice as wide (as large sets are searched).

    Returns the list of its calls (``None`` with the default tiles).
    """
    if request.param is None:
        return None
    calls = []
    real = _exact._self_top_k
    real_tile = _exact._self_tile
    monkeypatch.setattr(_exact, "_TILE", request.param)
    monkeypatch.setattr(_exact, "_SELF_MIN_TILES", 1)
    wide = request.param == 16
    if wide:
        monkeypatch.setattr(_exact, "_WIDE_TILE_ROWS", 1)

    def tile(*args):
        side, strip = real_tile(*args)
        assert side == (2 if wide else 1) * request.param
        return side, strip

    monkeypatch.setattr(_exact, "_self_tile", tile)
    monkeypatch.setattr(_exact, "_self_top_k", lambda *a: calls.append(a[2]) or real(*a))
    return calls


@pytest.mark.parametrize(("grid", "offset"), [(False, 0.0), (False, 1e3), (True, 0.0), (True, 1e6)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_screened_search_gives_the_exact_neighbours(grid, offset, dtype, screened_calls,
                                                    monkeypatch, small_tiles):
    monkeypatch.setattr(_neighbors, "_SCREENED_MIN_PAIRS", 1000)
    rng = np.random.RandomState(3)
    # Small integers: many exactly tied distances, decided by the lower index.
    X = rng.randint(0, 3, size=(600, 12)) if grid else rng.randn(600, 12)
    Q = rng.randint(0, 3, size=(90, 12)) if grid else rng.randn(90, 12)
    X, Q = (X + offset).astype(dtype), (Q + offset).astype(dtype)
    k = 6
    rows = np.array([5, 0, 599, 5])
    for kwargs, (ref_dist, ref_idx) in [
        ({}, _brute(X, X, k, exclude=np.arange(600))),
        ({"query": Q}, _brute(X, Q, k)),
        ({"query_indices": rows}, _brute(X, X[rows], k, exclude=rows)),
    ]:
        dist, idx = kneighbors(X, k, return_distance=True, **kwargs)
        np.testing.assert_array_equal(idx, ref_idx)
        np.testing.assert_allclose(dist, ref_dist, rtol=1e-6, atol=1e-6)
    assert len(screened_calls) == 3
    assert small_tiles is None or small_tiles  # the self-search took the symmetric path


@pytest.mark.parametrize(
    "method",
    ["auto", "brute", "tree", "estimator",
     pytest.param("faiss", marks=pytest.mark.skipif(not has_faiss(), reason="no faiss"))],
)
def test_rows_search_a_subset_as_if_it_were_the_data(method, monkeypatch, screened_calls,
                                                     small_tiles):
    monkeypatch.setattr(_neighbors, "_SCREENED_MIN_PAIRS", 1000)
    rng = np.random.RandomState(4)
    X = rng.randn(900, 12)
    rows = rng.permutation(900)[:500]  # in any order
    Q = rng.randn(40, 12)
    options = ({"estimator": NearestNeighbors()} if method == "estimator"
               else {"method": method})
    for kwargs in ({}, {"query": Q}, {"query_indices": np.array([3, 0, 499, 3])}):
        dist, idx = kneighbors(X, 5, rows=rows, return_distance=True, **options, **kwargs)
        ref_dist, ref_idx = kneighbors(X[rows], 5, return_distance=True, **options, **kwargs)
        np.testing.assert_array_equal(idx, ref_idx)
        np.testing.assert_allclose(dist, ref_dist, rtol=1e-6, atol=1e-6)
        np.testing.assert_array_equal(kneighbors(X, 5, rows=rows, **options, **kwargs), idx)
    # Only the default picks the screened search here, and it reads the rows in place.
    assert len(screened_calls) == (9 if method == "auto" else 0)
    assert not screened_calls or {c[0] for c in screened_calls} == {500}


@pytest.mark.parametrize(
    "method",
    ["auto", "brute", pytest.param("faiss", marks=pytest.mark.skipif(not has_faiss(),
                                                                     reason="no faiss"))],
)
def test_reduce_sees_the_lists_block_by_block_in_order(method, monkeypatch, screened_calls):
    monkeypatch.setattr(_neighbors, "_SCREENED_MIN_PAIRS", 1000)
    monkeypatch.setattr(_exact, "_SMALL_WORK", 0)  # two threads, so several blocks
    monkeypatch.setattr(_neighbors, "_REDUCE_ROWS", 64)  # and blocks for the others
    rng = np.random.RandomState(6)
    X = np.round(rng.randn(900, 12), 1)  # many equal distances
    rows = rng.permutation(900)[:700]
    for kwargs in ({}, {"rows": rows}, {"query": rng.randn(300, 12)},
                   {"query_indices": rng.permutation(700)[:500], "rows": rows}):
        whole = kneighbors(X, 4, method=method, n_jobs=2, **kwargs)
        seen = []

        def reduce(nn, seen=seen):
            seen.append(nn.shape[0])
            return nn.copy(), np.count_nonzero(nn % 2, axis=1)

        blocks = kneighbors(X, 4, method=method, n_jobs=2, reduce=reduce, **kwargs)
        assert len(blocks) == len(seen)
        np.testing.assert_array_equal(np.concatenate([b[0] for b in blocks]), whole)
        np.testing.assert_array_equal(np.concatenate([b[1] for b in blocks]),
                                      np.count_nonzero(whole % 2, axis=1))
        # Only faiss hands over the whole lists at once.
        assert (seen == [whole.shape[0]]) if method == "faiss" else (len(seen) > 1)
    assert len(screened_calls) == (8 if method == "auto" else 0)
    with pytest.raises(ValueError, match="reduce"):
        kneighbors(X, 4, reduce=len, return_distance=True)


def test_screening_on_access_and_wider_blocks_give_the_same_neighbours(monkeypatch,
                                                                       screened_calls):
    # Without a stored float32 copy (rows built as they are read) and with more working
    # memory (wider blocks), the search returns exactly the same lists, ties included.
    monkeypatch.setattr(_neighbors, "_SCREENED_MIN_PAIRS", 1000)
    monkeypatch.setattr(_exact, "_SMALL_WORK", 0)
    rng = np.random.RandomState(8)
    X = np.round(rng.randn(1500, 12), 1).astype(np.float32) + 100  # ties, and an offset
    rows = rng.permutation(1500)[:1200]
    for kwargs in ({}, {"rows": rows}, {"query_indices": rng.permutation(1200)[:700], "rows": rows}):
        plain = kneighbors(X, 5, n_jobs=2, return_distance=True, **kwargs)
        for options in ({"screen_on_access": True}, {"work_memory": 10**8},
                        {"screen_on_access": True, "work_memory": 10**8}):
            other = kneighbors(X, 5, n_jobs=2, return_distance=True, **options, **kwargs)
            np.testing.assert_array_equal(other[1], plain[1])
            np.testing.assert_array_equal(other[0], plain[0])
    assert screened_calls


def test_search_options_follow_the_output_size():
    X = np.zeros((10_000, 20), dtype=np.float32)
    # Output twice the data: a stored copy, and room for wide blocks.
    options = _neighbors.search_options("exact", X, output_rows=20_000)
    assert options["work_memory"] > X.shape[0] * 21 * 2 and "screen_on_access" not in options
    # Output hardly larger than float32 data: the copy alone is near its size.
    assert _neighbors.search_options("exact", X, output_rows=11_000).get("screen_on_access")
    # Without the output's size, the defaults.
    assert _neighbors.search_options("exact", X) == {}
    assert not _neighbors.search_options("exact", X.astype(np.float64), output_rows=11_000).get(
        "screen_on_access")
    # Sparse searches keep their default blocks: a dense row count says nothing of them.
    wide = sp.random(10_000, 20_000, density=0.001, format="csr", random_state=0)
    assert _neighbors.search_options("exact", wide, output_rows=20_000) == {}


def test_smote_family_on_wide_sparse_rows_uses_the_screened_search(monkeypatch,
                                                                   screened_calls):
    """Sparse rows of many columns (text-like) go to the blockwise search: the output of
    scikit-learn's brute force, on rows of ties (counts) too."""
    X = sp.random(500, 5000, density=0.006, format="csr", random_state=0)
    X.data = np.round(X.data * 3) + 1
    y = (np.random.default_rng(0).random(500) < 0.3).astype(int)
    monkeypatch.setattr(_neighbors, "_SPARSE_SCREENED_MIN_PAIRS", 10_000)  # small data
    for name, make in SAMPLERS.items():
        ours = make(random_state=0).fit_resample(X, y)
        assert screened_calls, name
        screened_calls.clear()
        with monkeypatch.context() as mp:
            mp.setattr(_neighbors, "_SPARSE_SCREENED_MIN_PAIRS", np.inf)
            theirs = make(random_state=0).fit_resample(X, y)
        assert not screened_calls, name
        np.testing.assert_array_equal(ours[0].toarray(), theirs[0].toarray())
        np.testing.assert_array_equal(ours[1], theirs[1])


@pytest.mark.parametrize("name", list(SAMPLERS))
def test_exact_smote_family_on_the_screened_search_matches_the_sklearn_path(
    name, monkeypatch, screened_calls, small_tiles
):
    X, y = _data(1200, 16, weights=(0.7,))
    monkeypatch.setattr(_neighbors, "_SCREENED_MIN_PAIRS", 10**18)
    reference = SAMPLERS[name](random_state=0).fit_resample(X, y)
    assert screened_calls == []
    monkeypatch.setattr(_neighbors, "_SCREENED_MIN_PAIRS", 1000)
    sampler = SAMPLERS[name](random_state=0)
    fast = sampler.fit_resample(X, y)
    assert screened_calls
    assert sampler.neighbors_recall_ is None
    for a, b in zip(fast, reference, strict=True):
        np.testing.assert_array_equal(a, b)
    # SMOTE searches every row of the class among the class: the symmetric path
    # (the others take it when their queries are at least half of the class).
    assert small_tiles is None or name != "smote" or small_tiles


# --- the approximate search ----------------------------------------------------------------


@pytest.fixture
def index_always(monkeypatch):
    """Build the approximate index even for the small data of these tests."""
    monkeypatch.setattr(_neighbors, "_APPROXIMATE_MIN_PAIRS", 0)
    monkeypatch.setattr(_neighbors, "_APPROXIMATE_MIN_SELF_ROWS", 0)


@needs_faiss
@pytest.mark.parametrize("name", list(SAMPLERS))
def test_approximate_runs_exactly_where_exact_is_faster(name, approximate_calls):
    X, y = _data(2000)
    sampler = SAMPLERS[name](random_state=0, neighbors="approximate")
    result = sampler.fit_resample(X, y)
    assert approximate_calls == []
    assert sampler.neighbors_recall_ == 1.0
    exact = SAMPLERS[name](random_state=0).fit_resample(X, y)
    for a, b in zip(result, exact, strict=True):
        np.testing.assert_array_equal(a, b)


@needs_faiss
def test_approximate_searches_every_row_among_the_rows_exactly_below_the_row_limit(
    approximate_calls, monkeypatch
):
    # Any number of pairs calls for the index, but a class searched among itself is small
    # enough for the exact search (which screens each of its pairs once).
    monkeypatch.setattr(_neighbors, "_APPROXIMATE_MIN_PAIRS", 0)
    X, _ = _data(2000)
    checks = []
    idx = kneighbors(X, 5, method="approximate", random_state=0, recall=checks)
    assert approximate_calls == [] and checks[0][0] == checks[0][1]
    np.testing.assert_array_equal(idx, kneighbors(X, 5))
    # A subset of the rows as queries is a search of pairs: the index is used.
    kneighbors(X, 5, query_indices=np.arange(0, 2000, 2), method="approximate", random_state=0)
    assert len(approximate_calls) == 1
    monkeypatch.setattr(_neighbors, "_APPROXIMATE_MIN_SELF_ROWS", 1000)
    kneighbors(X, 5, method="approximate", random_state=0)
    assert len(approximate_calls) == 2


@needs_faiss
def test_approximate_searches_rows_of_few_features_exactly(approximate_calls, index_always):
    # A k-d tree searches rows of at most 6 features faster than the index (a 210k-row class
    # of 5 features: 0.4 s exact against 1.1 s approximate): exact, whatever the size.
    X, _ = _data(2000)
    checks = []
    idx = kneighbors(X[:, :6], 5, method="approximate", random_state=0, recall=checks)
    assert approximate_calls == [] and checks[0][0] == checks[0][1]
    np.testing.assert_array_equal(idx, kneighbors(X[:, :6], 5))
    kneighbors(X[:, :7], 5, method="approximate", random_state=0)
    assert len(approximate_calls) == 1


@needs_faiss
def test_approximate_smote_growing_a_class_a_little_searches_only_the_drawn_rows(
    approximate_calls, monkeypatch
):
    # A large class (here: above a lowered row limit) grown by a few rows: only the rows
    # its segments start from are searched, few pairs, which the exact search takes.
    monkeypatch.setattr(_neighbors, "_APPROXIMATE_MIN_SELF_ROWS", 100)
    X, y = _data(2000)
    counts = np.bincount(y)
    strategy = {int(np.argmin(counts)): int(counts.min() * 1.05)}
    sampler = SMOTE(random_state=0, neighbors="approximate", sampling_strategy=strategy)
    result = sampler.fit_resample(X, y)
    assert approximate_calls == [] and sampler.neighbors_recall_ == 1.0
    exact = SMOTE(random_state=0, sampling_strategy=strategy).fit_resample(X, y)
    for a, b in zip(result, exact, strict=True):
        np.testing.assert_array_equal(a, b)


@needs_faiss
@pytest.mark.parametrize("target", [0.97, 0.9])
def test_approximate_recall_and_its_estimate(target, monkeypatch, index_always):
    # The number of probed cells follows the recall aimed at, and the estimate follows the truth.
    monkeypatch.setattr(_neighbors, "_RECALL_TARGET", target)
    X, _ = _data(4000)
    k = 5
    checks = []
    idx = kneighbors(X, k, method="approximate", random_state=0, recall=checks)
    assert idx.shape == (4000, k) and not (idx == np.arange(4000)[:, None]).any()
    true = _true_recall(X, idx, k)
    assert true >= 0.88
    assert abs(true - target) < 0.04
    [(hits, checked)] = checks
    assert checked == 200 * k
    assert abs(hits / checked - true) < 0.03

    Q = X[:300] + 0.05
    checks = []
    idx_q = kneighbors(X, k, query=Q, method="approximate", random_state=0, recall=checks)
    true_q = _true_recall(X, idx_q, k, query=Q)
    assert true_q >= 0.88
    assert abs(checks[0][0] / checks[0][1] - true_q) < 0.05


@needs_faiss
def test_approximate_finds_what_exact_finds_on_separated_clusters(index_always):
    rng = np.random.RandomState(3)
    centers = rng.uniform(-50, 50, size=(30, 8))
    X = np.repeat(centers, 100, axis=0) + rng.randn(3000, 8)
    checks = []
    idx = kneighbors(X, 5, method="approximate", random_state=1, recall=checks)
    assert _true_recall(X, idx, 5) >= 0.97
    assert checks[0][0] / checks[0][1] >= 0.97


@needs_faiss
@pytest.mark.parametrize("name", list(SAMPLERS))
def test_neighbors_recall_matches_the_recall_of_the_searches(name, approximate_calls, monkeypatch, index_always):
    monkeypatch.setattr(_neighbors, "_RECALL_TARGET", 0.9)  # imperfect searches
    X, y = _data(4000, weights=(0.7,))
    sampler = SAMPLERS[name](random_state=0, neighbors="approximate")
    sampler.fit_resample(X, y)
    assert approximate_calls
    hits = sum(c["found"][0] for c in approximate_calls)
    checked = sum(c["found"][1] for c in approximate_calls)
    assert sampler.neighbors_recall_ == pytest.approx(hits / checked)
    for call in approximate_calls:
        true = _call_recall(call)
        assert true >= 0.85
        assert abs(call["found"][0] / call["found"][1] - true) < 0.05
    exact = SAMPLERS[name](random_state=0)
    exact.fit_resample(X, y)
    assert exact.neighbors_recall_ is None


@needs_faiss
def test_approximate_smote_interpolates_toward_the_returned_neighbours(
    approximate_calls, monkeypatch, index_always
):
    monkeypatch.setattr(_neighbors, "_RECALL_TARGET", 0.9)
    X, y = _data(4000, weights=(0.8,))
    n = X.shape[0]
    weights = np.arange(n, dtype=float)  # the weight of a new row names its origin
    sampler = SMOTE(random_state=0, neighbors="approximate")
    X_res, y_res = sampler.fit_resample(X, y, sample_weight=weights)
    origin = sampler.sample_weight_[n:].astype(int)
    new = X_res[n:]
    [call] = approximate_calls
    members = np.flatnonzero(y == 1)
    returned = members[_without_self(call)]
    exact = members[_sklearn(X[members], 5)[1][:, 1:]]
    # The approximate lists differ from the exact ones for some rows ...
    assert (np.sort(returned, axis=1) != np.sort(exact, axis=1)).any(axis=1).sum() > 10
    position = np.searchsorted(members, origin)
    start = X[origin][:, None, :]
    direction = X[returned[position]] - start
    offset = (new - X[origin])[:, None, :]
    gap = np.einsum("ijk,ijk->ij", offset, direction) / np.einsum("ijk,ijk->ij", direction, direction)
    residual = np.linalg.norm(offset - gap[..., None] * direction, axis=2)
    on_segment = (residual < 1e-8 * (1 + np.abs(X).max())) & (gap >= 0) & (gap < 1)
    # ... and every new row lies on a segment toward one of the returned neighbours.
    assert on_segment.any(axis=1).all()
    assert np.all(y_res[n:] == 1)


@needs_faiss
@pytest.mark.parametrize("name", list(SAMPLERS))
def test_approximate_same_seed_same_output(name, index_always):
    X, y = _data(2000)
    a = SAMPLERS[name](random_state=4, neighbors="approximate").fit_resample(X, y)
    b = SAMPLERS[name](random_state=4, neighbors="approximate").fit_resample(X, y)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)


@needs_faiss
def test_approximate_float32_keeps_the_dtype(index_always):
    X, y = _data(2000)
    X_res, _ = SMOTE(random_state=0, neighbors="approximate").fit_resample(X.astype(np.float32), y)
    assert X_res.dtype == np.float32


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SAMPLERS))
@pytest.mark.parametrize(("n_jobs", "error", "match"), [
    (0, InvalidParameterError, r"n_jobs=0 is out of range; it must be None, >= 1, or negative \(-1 for every core"),
    ("2", InvalidParameterTypeError, r"n_jobs must be an integer or None; got '2' of type str"),
    (1.5, InvalidParameterTypeError, r"n_jobs must be an integer or None; got 1.5 of type float"),
])
def test_bad_n_jobs_values(name, n_jobs, error, match):
    X, y = _data(300)
    with pytest.raises(error, match=match):
        SAMPLERS[name](n_jobs=n_jobs).fit_resample(X, y)


@pytest.mark.parametrize("name", list(SAMPLERS))
@pytest.mark.parametrize("value", ["fast", "Exact", "", None, 1, True])
def test_bad_neighbors_values(name, value):
    X, y = _data(300)
    with pytest.raises(
        InvalidParameterError,
        match=rf"neighbors={value!r} is not supported; expected one of 'exact', 'approximate'",
    ):
        SAMPLERS[name](neighbors=value).fit_resample(X, y)


@pytest.mark.parametrize("name", list(SAMPLERS))
def test_approximate_without_faiss_names_the_parameter_and_the_extra(name, monkeypatch):
    monkeypatch.setattr(_neighbors, "has_faiss", lambda: False)
    X, y = _data(300)
    with pytest.raises(
        InvalidParameterError,
        match=r"neighbors='approximate' needs faiss-cpu.*balancekit\[fast\].*neighbors='exact'",
    ):
        SAMPLERS[name](neighbors="approximate").fit_resample(X, y)
    # The exact default does not need faiss.
    SAMPLERS[name](random_state=0).fit_resample(X, y)


@needs_faiss
@pytest.mark.parametrize("name", list(SAMPLERS))
def test_approximate_needs_dense_data(name):
    X, y = _data(300)
    with pytest.raises(InvalidParameterError, match=r"neighbors='approximate' needs dense X"):
        SAMPLERS[name](neighbors="approximate").fit_resample(sp.csr_matrix(X), y)


def test_kneighbors_approximate_errors(monkeypatch):
    X = np.random.RandomState(0).randn(50, 3)
    if has_faiss():
        with pytest.raises(InvalidParameterError, match="method='approximate' needs dense X"):
            kneighbors(sp.csr_matrix(X), 3, method="approximate")
    monkeypatch.setattr(_neighbors, "has_faiss", lambda: False)
    with pytest.raises(InvalidParameterError, match=r"method='approximate' needs faiss-cpu"):
        kneighbors(X, 3, method="approximate")


@pytest.mark.parametrize(("rows_a", "rows_b", "width"),
                         [(50, 20, 30), (20, 50, 30), (20, 25, 40)])
def test_products_of_sparse_blocks_equal_the_dense_product(rows_a, rows_b, width):
    """Of two sparse blocks, the one whose dense copy is no larger than the result is made
    dense (the second, the first, neither); the product is the same."""
    A = sp.random(rows_a, width, density=0.2, format="csr", random_state=1)
    B = sp.random(rows_b, width, density=0.2, format="csr", random_state=2)
    expected = A.toarray() @ B.toarray().T
    for left, right in ((A, B), (A, B.toarray()), (A.toarray(), B)):
        out = _exact._dot(left, right)
        assert isinstance(out, np.ndarray) and out.shape == (rows_a, rows_b)
        np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)


def test_cleaning_rules_on_wide_sparse_rows_select_the_dense_rows():
    """Sparse blocks narrower and wider than the blocks of rows give the rows of dense X."""
    from balancekit.under_sampling import EditedNearestNeighbours, NearMiss, TomekLinks

    rng = np.random.default_rng(0)
    y = (rng.random(400) < 0.2).astype(int)
    for width in (30, 600):
        X = sp.random(400, width, density=0.1, format="csr", random_state=3)
        for sampler in (TomekLinks(), EditedNearestNeighbours(), NearMiss()):
            a, b = clone(sampler), clone(sampler)
            a.fit_resample(X.toarray(), y)
            b.fit_resample(X, y)
            np.testing.assert_array_equal(a.sample_indices_, b.sample_indices_)


@pytest.mark.parametrize("n_jobs", [1, 2, 3])
@pytest.mark.parametrize("n_refs", [None, 300])
def test_query_blocks_cover_every_query_once_in_order(n_jobs, n_refs):
    # A few queries are cut into as many equal blocks as threads (none for no query);
    # many into blocks of at most the full size.
    for n in (0, 1, 5, 83, 657, 1500, 4096, 20_000):
        slices = _exact._query_slices(n, n_jobs, n_refs)
        assert [i for sl in slices for i in range(sl.start, sl.stop)] == list(range(n))
        sizes = [sl.stop - sl.start for sl in slices]
        assert all(size >= 1 for size in sizes) and len(set(sizes[:-1])) <= 1
        workers = _exact.n_threads(n_jobs)
        if workers > 1 and 0 < n < sizes[0] * workers * 4:
            assert len(slices) % workers == 0 or len(slices) < workers
