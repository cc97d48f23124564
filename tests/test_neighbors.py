"""The k-nearest-neighbours layer against scikit-learn's NearestNeighbors."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.neighbors import NearestNeighbors

from balancekit import _neighbors
from balancekit._neighbors import (
    check_neighbors,
    has_faiss,
    kneighbors,
    neighbors_for_class,
    self_kneighbors,
    topk,
)
from balancekit.exceptions import (
    DataError,
    InvalidParameterError,
    InvalidParameterTypeError,
    SmallClassWarning,
)

from .conftest import traced_peak

METHODS = [
    "brute",
    "tree",
    "screened",
    pytest.param("faiss", marks=pytest.mark.skipif(not has_faiss(), reason="faiss not installed")),
    "auto",
    "estimator",
]


def _search(X, k, method, **kwargs):
    if method == "estimator":
        kwargs["estimator"] = NearestNeighbors(n_neighbors=99, algorithm="ball_tree")
    else:
        kwargs["method"] = method
    return kneighbors(X, k, return_distance=True, **kwargs)


def _tolerance(X):
    # faiss and float32 input compute in single precision.
    return {"rtol": 1e-4, "atol": 1e-4} if X.dtype == np.float32 else {"rtol": 1e-9, "atol": 1e-9}


@pytest.fixture
def points():
    rng = np.random.RandomState(0)
    return rng.randn(150, 4), rng.randn(25, 4)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("method", METHODS)
def test_same_neighbours_as_sklearn(method, dtype, points):
    X, Q = (a.astype(dtype) for a in points)
    k = 5
    ref = NearestNeighbors(n_neighbors=k).fit(X.astype(np.float64))
    tol = {"rtol": 1e-4, "atol": 1e-4} if method == "faiss" else _tolerance(X)

    # Rows of X as queries: each row excluded from its own neighbours.
    dist, idx = _search(X, k, method)
    ref_dist, ref_idx = ref.kneighbors()
    assert idx.shape == (X.shape[0], k) and idx.dtype == np.intp
    np.testing.assert_array_equal(idx, ref_idx)
    np.testing.assert_allclose(dist, ref_dist, **tol)
    assert not (idx == np.arange(X.shape[0])[:, None]).any()

    # A subset of the rows, in any order, still without themselves.
    rows = np.array([149, 3, 77, 0, 3])
    dist_q, idx_q = _search(X, k, method, query_indices=rows)
    np.testing.assert_array_equal(idx_q, ref_idx[rows])
    np.testing.assert_allclose(dist_q, ref_dist[rows], **tol)

    # Outside queries: nothing is excluded.
    dist_o, idx_o = _search(X, k, method, query=Q)
    ref_dist_o, ref_idx_o = ref.kneighbors(Q.astype(np.float64))
    np.testing.assert_array_equal(idx_o, ref_idx_o)
    np.testing.assert_allclose(dist_o, ref_dist_o, **tol)

    # Without return_distance only the indices come back.
    only = kneighbors(X, k, method=method if method != "estimator" else "auto")
    np.testing.assert_array_equal(only, ref_idx)


def test_float32_search_finds_the_float64_neighbours(points):
    X = points[0]
    idx64 = kneighbors(X, 3, method="brute")
    idx32 = kneighbors(X.astype(np.float32), 3, method="brute")
    np.testing.assert_array_equal(idx32, idx64)


@pytest.mark.parametrize("method", ["brute", "tree", "auto"])
def test_sparse_input_same_as_dense(method):
    X = sp.random(150, 8, density=0.6, random_state=5, data_rvs=np.random.RandomState(5).randn)
    X = X.toarray()
    dense_d, dense_i = kneighbors(X, 4, method="brute", return_distance=True)
    # No ties at the 4th neighbour (sparse search uses scikit-learn, which orders ties freely).
    all_d = NearestNeighbors(n_neighbors=5).fit(X).kneighbors()[0]
    assert (all_d[:, 3] < all_d[:, 4] - 1e-9).all()
    sparse_d, sparse_i = kneighbors(sp.csr_matrix(X), 4, method=method, return_distance=True)
    np.testing.assert_array_equal(sparse_i, dense_i)
    np.testing.assert_allclose(sparse_d, dense_d, atol=1e-9)


def _euclidean_blocks(X, Q, seen):
    """A squared Euclidean block function that records which blocks were computed."""

    def block(qs, qe, rs, re):
        seen.append((qs, rs))
        diff = Q[qs:qe, None, :] - X[None, rs:re, :]
        return (diff**2).sum(axis=2)

    return block


def test_topk_blocks_smaller_than_the_data(monkeypatch):
    rng = np.random.RandomState(1)
    # More than one reference block (8192 rows each) and, with a tiny block budget, many
    # query blocks.
    X = rng.rand(9000, 2)
    monkeypatch.setattr(_neighbors, "_BLOCK_BYTES", 8 * 9000 * 16)
    rows = np.concatenate(
        [
            rng.choice(8192, 40, replace=False),
            np.arange(8185, 8200),
            rng.choice(np.arange(8200, 9000), 40, replace=False),
        ]
    )
    seen = []
    dist, idx = _neighbors.topk(
        _euclidean_blocks(X, X[rows], seen), rows.size, X.shape[0], 7, query_indices=rows
    )
    assert len({qs for qs, _ in seen}) > 1 and len({rs for _, rs in seen}) > 1
    ref = NearestNeighbors(n_neighbors=7).fit(X)
    ref_dist, ref_idx = ref.kneighbors(X[rows])
    assert (ref_idx[:, 0] == rows).all() and (idx[:, 0] == rows).all()
    np.testing.assert_array_equal(idx[:, 1:], ref_idx[:, 1:])
    np.testing.assert_allclose(np.sqrt(dist[:, 1:]), ref_dist[:, 1:], atol=1e-7)

    Q = rng.rand(50, 2)
    _, idx_o = _neighbors.topk(_euclidean_blocks(X, Q, []), 50, X.shape[0], 6)
    np.testing.assert_array_equal(idx_o, ref.kneighbors(Q, n_neighbors=6)[1])


def test_query_blocks_with_self_exclusion(monkeypatch, points):
    X = points[0]
    monkeypatch.setattr(_neighbors, "_BLOCK_BYTES", 8 * X.shape[0] * 7)  # 7 queries a block
    seen = []
    idx = _neighbors.self_kneighbors(_euclidean_blocks(X, X, seen), X.shape[0], 5)
    assert len({qs for qs, _ in seen}) == int(np.ceil(X.shape[0] / 7))
    np.testing.assert_array_equal(idx, NearestNeighbors(n_neighbors=5).fit(X).kneighbors()[1])


def _lowest_other_duplicates(X, i, k):
    same = np.flatnonzero((X == X[i]).all(axis=1))
    return [j for j in same if j != i][:k]


@pytest.mark.parametrize(
    "method",
    [
        "brute",
        "auto",
        pytest.param("faiss", marks=pytest.mark.skipif(not has_faiss(), reason="no faiss")),
    ],
)
def test_ties_broken_by_lower_index(method):
    rng = np.random.RandomState(2)
    centers = rng.randn(8, 3)
    # Each point has 5 exact copies: more tied neighbours than the 3 asked for.
    X = np.repeat(centers, 6, axis=0)[rng.permutation(48)]
    idx = kneighbors(X, 3, method=method)
    expected = np.array([_lowest_other_duplicates(X, i, 3) for i in range(X.shape[0])])
    np.testing.assert_array_equal(idx, expected)
    # Outside queries on a copy pick the lowest indices of that copy.
    idx_o = kneighbors(X, 4, query=centers, method=method)
    for c, row in zip(centers, idx_o, strict=True):
        np.testing.assert_array_equal(row, np.flatnonzero((X == c).all(axis=1))[:4])


def test_copies_keep_their_index_order_whatever_the_brute_forces_rounding(monkeypatch):
    # scikit-learn's brute force computes |x|^2 - 2 x.q + |q|^2: exact copies of a row come
    # out a rounding error apart, by an amount that depends on the BLAS library (numpy 1.24's
    # OpenBLAS gave another order than newer ones). A search that rounds as another BLAS
    # might: the copies' order must still be the row order.
    class Rounding(NearestNeighbors):
        def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
            dist, idx = super().kneighbors(X, n_neighbors=self.n_samples_fit_)
            noisy = dist + 1e-9 * np.random.RandomState(0).rand(*dist.shape)
            order = np.argsort(noisy, axis=1, kind="stable")[:, :n_neighbors]
            return np.take_along_axis(noisy, order, 1), np.take_along_axis(idx, order, 1)

    monkeypatch.setattr(_neighbors, "NearestNeighbors", Rounding)
    rng = np.random.RandomState(2)
    centers = rng.randn(8, 3)
    X = np.repeat(centers, 6, axis=0)[rng.permutation(48)]
    idx = kneighbors(X, 3, method="brute")
    expected = np.array([_lowest_other_duplicates(X, i, 3) for i in range(X.shape[0])])
    np.testing.assert_array_equal(idx, expected)


def test_ties_across_reference_blocks(monkeypatch):
    rng = np.random.RandomState(3)
    X = rng.rand(9000, 2) + 10
    point = np.zeros(2)
    copies = [8700, 100, 8300, 8200, 5000]
    X[copies] = point
    monkeypatch.setattr(_neighbors, "_BLOCK_BYTES", 8 * 9000 * 4)
    idx = kneighbors(X, 3, query=point[None], method="brute")
    np.testing.assert_array_equal(idx[0], [100, 5000, 8200])
    idx_self = kneighbors(X, 3, query_indices=np.array([8300, 100]), method="brute")
    np.testing.assert_array_equal(idx_self, [[100, 5000, 8200], [5000, 8200, 8300]])


@pytest.mark.parametrize("method", ["tree", "estimator"])
def test_tree_and_estimator_order_ties_by_index(method):
    rng = np.random.RandomState(4)
    # Each point has exactly 3 copies besides itself, so the whole tie is returned.
    X = np.repeat(rng.randn(10, 2), 4, axis=0)[rng.permutation(40)]
    _, idx = _search(X, 3, method)
    expected = np.array([_lowest_other_duplicates(X, i, 3) for i in range(X.shape[0])])
    np.testing.assert_array_equal(idx, expected)


@pytest.mark.parametrize("outside", [False, True])
@pytest.mark.parametrize("side", [12, 4])
def test_tree_breaks_ties_at_the_kth_by_lower_index(outside, side, monkeypatch):
    # A grid: many rows exactly as near as a query's k-th neighbour, about 7
    # copies of each point on a side of 12, 60 on a side of 4 (longer ties than
    # the 12 candidates of a tied query here: found among the distinct rows).
    # The queries go in a spatial order (from 64 rows on here); ties are
    # resolved a few rows at a time.
    from balancekit import _exact

    monkeypatch.setattr(_exact, "_TREE_CHUNK", 64)
    monkeypatch.setattr(_neighbors, "_TIE_ROWS", 50)
    monkeypatch.setattr(_neighbors, "_TIE_WIDE", 12)
    monkeypatch.setattr(_neighbors, "_TIE_VALUES", 200)  # long ties ranked in many groups
    rng = np.random.RandomState(0)
    X = rng.randint(0, side, size=(1000, 2)).astype(float)
    k = 4
    if outside:
        Q = rng.randint(0, side, size=(300, 2)) + 0.5 * rng.randint(0, 2, size=(300, 2))
        dist, idx = kneighbors(X, k, query=Q, method="tree", return_distance=True)
        D = ((Q[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    else:
        dist, idx = kneighbors(X, k, method="tree", return_distance=True)
        D = ((X[:, None, :] - X[None, :, :]) ** 2).sum(-1)
        np.fill_diagonal(D, np.inf)
    order = np.lexsort((np.broadcast_to(np.arange(X.shape[0]), D.shape), D), axis=1)[:, :k]
    np.testing.assert_array_equal(idx, order)
    np.testing.assert_allclose(dist, np.sqrt(np.take_along_axis(D, order, axis=1)))


def test_user_estimator_is_cloned_and_used(points):
    X, Q = points
    est = NearestNeighbors(n_neighbors=4, metric="manhattan")
    idx = kneighbors(X, 6, query=Q, estimator=est)
    ref_idx = NearestNeighbors(n_neighbors=6, metric="manhattan").fit(X).kneighbors(Q)[1]
    np.testing.assert_array_equal(idx, ref_idx)
    assert est.n_neighbors == 4 and not hasattr(est, "n_samples_fit_")
    euclid = NearestNeighbors(n_neighbors=6).fit(X).kneighbors(Q)[1]
    assert not np.array_equal(idx, euclid)  # the metric really came from the estimator



class _ThreadsSeen(NearestNeighbors):
    """A NearestNeighbors that records the BLAS and OpenMP threads its queries may use."""

    seen = []

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        from threadpoolctl import threadpool_info

        _ThreadsSeen.seen.append({info["user_api"]: info["num_threads"]
                                  for info in threadpool_info()})
        return super().kneighbors(X, n_neighbors, return_distance)


def test_small_searches_run_on_one_thread():
    # Threads only wait for one another on a small search (far longer on a busy
    # machine); a large one keeps the threads it is given.
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(0)
    for n, expected in ((300, 1), (2100, 2)):  # 9e4 and 4.4e6 pairs
        X = rng.normal(size=(n, 3))
        _ThreadsSeen.seen.clear()
        with threadpool_limits(2):
            kneighbors(X, 1, estimator=_ThreadsSeen())
        assert _ThreadsSeen.seen
        assert all(set(seen.values()) == {expected} for seen in _ThreadsSeen.seen)


_LATE_POOL_SCRIPT = """
import numpy as np
from sklearn.neighbors import NearestNeighbors
from threadpoolctl import threadpool_info, threadpool_limits

from balancekit._neighbors import kneighbors

seen = []


class ThreadsSeen(NearestNeighbors):
    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        seen.append({i["filepath"]: i["num_threads"] for i in threadpool_info()})
        return super().kneighbors(X, n_neighbors, return_distance)


X = np.random.default_rng(0).normal(size=(300, 3))
kneighbors(X, 1, estimator=NearestNeighbors())  # a first search, before torch is imported
before = {i["filepath"] for i in threadpool_info()}
import torch  # noqa: E402,F401 (its own OpenMP)

late = {i["filepath"] for i in threadpool_info()} - before
with threadpool_limits(2):
    kneighbors(X, 1, estimator=ThreadsSeen())
print(repr((sorted(late), {path: seen[0][path] for path in late})))
"""


def test_thread_pools_loaded_after_the_first_search_are_limited_too():
    # The libraries are looked up again after an import: torch's own OpenMP, loaded after
    # a first search, ran small searches on every thread.
    import ast
    import subprocess
    import sys

    pytest.importorskip("torch")
    result = subprocess.run([sys.executable, "-c", _LATE_POOL_SCRIPT], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    late, threads = ast.literal_eval(result.stdout.strip())
    if not late:
        pytest.skip("torch loads no thread pool of its own here")
    assert set(threads.values()) == {1}, threads


_THREADS_SCRIPT = """
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from balancekit.over_sampling import SMOTE
from balancekit.under_sampling import NearMiss, TomekLinks


def counts():
    return sorted((i["user_api"], i["filepath"], i["num_threads"]) for i in threadpool_info())


rng = np.random.default_rng(0)
X = rng.normal(size=(3000, 20))
y = (rng.random(3000) < 0.1).astype(int)
before = counts()
samplers = [TomekLinks(), NearMiss(), SMOTE(random_state=0)] * 8
alone = [len(s.fit_resample(X, y)[1]) for s in samplers]
assert counts() == before, ("main thread", before, counts())
# From several threads at once: the same rows. (scikit-learn's brute force, which small
# searches use, sets and restores limits in each thread itself, racing as it does under
# imbalanced-learn: the limits after such a run are not checked here.)
with ThreadPoolExecutor(4) as pool:
    together = list(pool.map(lambda s: len(s.fit_resample(X, y)[1]), samplers))
assert together == alone
# Another thread can still limit BLAS after the main thread's searches.
seen = []
def limited():
    with threadpool_limits(limits=1, user_api="blas"):
        seen.append({i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"})
worker = threading.Thread(target=limited)
worker.start()
worker.join()
assert seen == [{1}], seen
print("ok")
"""


def test_samplers_leave_the_process_thread_limits_as_they_were():
    # Thread limits are process-wide: balancekit's own limits, set and restored from
    # several threads at once, left BLAS on one thread for good, and a limit left held
    # kept other threads from limiting OpenBLAS. Only the main thread sets them now. Run
    # in a fresh process: the tests here hold a limit themselves.
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", _THREADS_SCRIPT], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]


def _manhattan_block(A, B):
    def block(qs, qe, rs, re):
        return np.abs(A[qs:qe, None, :] - B[None, rs:re, :]).sum(axis=2)

    return block


def test_topk_and_self_kneighbors_with_a_custom_distance(monkeypatch, points):
    X, Q = points
    monkeypatch.setattr(_neighbors, "_BLOCK_BYTES", 8 * X.shape[0] * 10)
    ref = NearestNeighbors(n_neighbors=5, metric="manhattan").fit(X)

    idx = self_kneighbors(_manhattan_block(X, X), X.shape[0], 5)
    np.testing.assert_array_equal(idx, ref.kneighbors()[1])

    dist, idx_o = topk(_manhattan_block(Q, X), Q.shape[0], X.shape[0], 5)
    ref_dist, ref_idx = ref.kneighbors(Q)
    np.testing.assert_array_equal(idx_o, ref_idx)
    np.testing.assert_allclose(dist, ref_dist)

    rows = np.array([5, 140, 0])
    dist_s, idx_s = topk(_manhattan_block(X[rows], X), 3, X.shape[0], 3, query_indices=rows)
    # Each query finds itself first, at distance 0.
    np.testing.assert_array_equal(idx_s[:, 0], rows)
    np.testing.assert_array_equal(dist_s[:, 0], 0)
    np.testing.assert_array_equal(idx_s[:, 1:], ref.kneighbors()[1][rows, :2])


def test_topk_ties_to_lower_index_with_a_custom_distance():
    codes = np.array([[0], [1], [0], [1], [0], [0]])

    def block(qs, qe, rs, re):
        return (codes[qs:qe, None, 0] != codes[None, rs:re, 0]).astype(float)

    np.testing.assert_array_equal(
        self_kneighbors(block, 6, 3),
        [[2, 4, 5], [3, 0, 2], [0, 4, 5], [1, 0, 2], [0, 2, 5], [0, 2, 4]],
    )


def test_self_kneighbors_needs_more_points_than_neighbours():
    with pytest.raises(
        InvalidParameterError, match="n_neighbors=4 needs at least 5 points, but there are 4"
    ):
        self_kneighbors(_manhattan_block(np.eye(4), np.eye(4)), 4, 4)


def test_kneighbors_errors(points, monkeypatch):
    X, _ = points
    with pytest.raises(
        InvalidParameterError, match="n_neighbors=150 needs at least 151 reference points"
    ):
        kneighbors(X, 150)
    with pytest.raises(
        InvalidParameterError,
        match="n_neighbors=11 needs at least 11 reference points, but there are 10",
    ):
        kneighbors(X[:10], 11, query=X[:2])
    with pytest.raises(
        InvalidParameterError, match="method='kd_tree' is not supported; expected one of 'auto'"
    ):
        kneighbors(X, 3, method="kd_tree")
    monkeypatch.setattr(_neighbors, "has_faiss", lambda: False)
    with pytest.raises(InvalidParameterError, match="method='faiss' needs faiss-cpu"):
        kneighbors(X, 3, method="faiss")


class _FitKneighbors:
    """An object with fit and kneighbors but without n_neighbors."""

    def fit(self, X):
        return self

    def kneighbors(self, X, n_neighbors=None, return_distance=True):
        raise AssertionError("not called")


def test_check_neighbors_accepts_ints_and_estimators():
    assert check_neighbors("k_neighbors", 5) == (5, None)
    k, est = check_neighbors("k_neighbors", np.int64(3))
    assert (k, est) == (3, None) and type(k) is int
    nn = NearestNeighbors(n_neighbors=6)
    assert check_neighbors("k_neighbors", nn) == (5, nn)
    assert check_neighbors("n_neighbors", 0, min_value=0) == (0, None)


@pytest.mark.parametrize(
    "value, error, pattern",
    [
        (0, InvalidParameterError, r"k_neighbors=0 is out of range; it must be an integer >= 1"),
        (-3, InvalidParameterError, r"k_neighbors=-3 is out of range"),
        (
            True,
            InvalidParameterTypeError,
            r"k_neighbors must be an integer or an object with fit and kneighbors.*bool",
        ),
        (2.5, InvalidParameterTypeError, r"k_neighbors must be an integer.*got 2.5 of type float"),
        ("5", InvalidParameterTypeError, r"k_neighbors must be an integer.*got '5' of type str"),
        (None, InvalidParameterTypeError, r"k_neighbors must be an integer.*NoneType"),
        (
            NearestNeighbors(n_neighbors=1),
            InvalidParameterError,
            r"k_neighbors=NearestNeighbors\(n_neighbors=1\) must have an integer n_neighbors >= 2",
        ),
        (
            _FitKneighbors(),
            InvalidParameterError,
            r"k_neighbors=.* must have an integer n_neighbors >= 2 \(it counts the point itself\)",
        ),
    ],
)
def test_check_neighbors_rejects_bad_values(value, error, pattern):
    with pytest.raises(error, match=pattern):
        check_neighbors("k_neighbors", value)


def test_neighbors_for_class():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert neighbors_for_class("k_neighbors", 5, 6, "fraud") == 5
        assert neighbors_for_class("k_neighbors", 1, 2, "fraud") == 1
    with pytest.warns(
        SmallClassWarning,
        match=(
            r"k_neighbors=5 needs at least 6 samples of class 'fraud', but the training data has 5; "
            r"using 4 neighbours"
        ),
    ):
        assert neighbors_for_class("k_neighbors", 5, 5, "fraud") == 4
    with pytest.warns(SmallClassWarning, match="using 1 neighbour for"):
        assert neighbors_for_class("n_neighbors", 3, 2, 7) == 1
    for n_members in (0, 1):
        with pytest.raises(
            DataError,
            match=(
                rf"k_neighbors=5 needs at least 2 samples of class 'fraud'.*has {n_members}\. "
                "Drop that class.*RandomOverSampler"
            ),
        ):
            neighbors_for_class("k_neighbors", 5, n_members, "fraud")


def test_sparse_search_holds_small_chunks_of_distances():
    """scikit-learn searches sparse rows through dense chunks of distances to every reference
    row, as large as its working memory (1 GiB by default): all 2,000 queries at once here
    (96 MB). The search asks for chunks of about 64 rows (3 MB), with the same neighbours."""
    import sklearn

    X = sp.random(6000, 500, density=0.02, format="csr", random_state=0)
    queries = np.arange(0, 6000, 3)
    kneighbors(X[:200], 3, query_indices=np.arange(50), method="brute")  # set-up out of it
    peak, idx = traced_peak(lambda: kneighbors(X, 3, query_indices=queries, method="brute"))
    assert peak < 12 * 2**20, peak / 2**20
    with sklearn.config_context(working_memory=4096):
        fitted = NearestNeighbors(n_neighbors=4).fit(X)
        expected = fitted.kneighbors(X[queries], return_distance=False)[:, 1:]
    np.testing.assert_array_equal(np.sort(idx, axis=1), np.sort(expected, axis=1))


def test_sparse_rows_among_themselves_take_the_blockwise_search(monkeypatch):
    """From 4e6 pairs, sparse rows searched among themselves go to the blockwise search,
    narrow (its sparse x dense products) or wide (sparse x sparse; scikit-learn converts all
    the references for each chunk of queries): the same neighbours as scikit-learn's."""
    calls = []
    real = _neighbors._screened
    monkeypatch.setattr(_neighbors, "_screened", lambda *a, **k: calls.append(1) or real(*a, **k))
    rng = np.random.default_rng(0)
    for width in (300, 5000):
        X = sp.random(8000, width, density=0.05, format="csr", random_state=4)
        queries = np.sort(rng.choice(8000, 600, replace=False))
        calls.clear()
        dist, idx = kneighbors(X, 4, query_indices=queries, return_distance=True)
        assert calls
        ref_dist, ref_idx = kneighbors(X, 4, query_indices=queries, return_distance=True,
                                       method="brute")
        np.testing.assert_array_equal(idx, ref_idx)
        np.testing.assert_allclose(dist, ref_dist, rtol=1e-9)
    calls.clear()
    kneighbors(X[:1500], 4, query_indices=np.arange(1500))  # 2.2e6 pairs: scikit-learn's
    assert not calls


def _one_hot_rows(rng, n, columns, levels):
    """``n`` rows of ``columns`` categories of ``levels`` levels each, one-hot encoded."""
    codes = rng.randint(0, levels, size=(n, columns))
    return np.hstack([np.eye(levels)[codes[:, j]] for j in range(columns)])


@pytest.mark.parametrize("kind", ["one-hot", "counts", "halves", "large"])
@pytest.mark.parametrize("outside", [False, True])
def test_brute_force_ties_from_exact_products_keep_the_order_of_differences(kind, outside,
                                                                           monkeypatch):
    # Integer rows tie each query with dozens of rows at its k-th distance: those queries
    # are ranked against every row, from products where every value is a whole number
    # (one-hot categories, counts), from differences otherwise (halves; integers too
    # large for exact products). Either way: by (distance, row), as the differences give.
    rng = np.random.RandomState(5)
    if kind == "one-hot":
        X = _one_hot_rows(rng, 400, columns=4, levels=3)
    else:
        X = rng.randint(0, 4, size=(400, 3)).astype(float)
        X = X / 2 if kind == "halves" else X * 2.0**25 if kind == "large" else X
    used = []
    products = _neighbors._exact_products
    monkeypatch.setattr(_neighbors, "_exact_products",
                        lambda Q, R: used.append(products(Q, R) is not None) or products(Q, R))
    query = X[::7] + (0.0 if kind != "counts" else 1.0) if outside else None
    dist, idx = kneighbors(X, 5, method="brute", query=query, return_distance=True)
    assert used and all(used) == (kind in ("one-hot", "counts"))
    Q = X if query is None else query
    D = ((Q[:, None, :] - X[None, :, :]) ** 2).sum(-1)
    if query is None:
        np.fill_diagonal(D, np.inf)
    order = np.lexsort((np.broadcast_to(np.arange(X.shape[0]), D.shape), D), axis=-1)[:, :5]
    np.testing.assert_array_equal(idx, order)
    np.testing.assert_array_equal(dist, np.sqrt(np.take_along_axis(D, order, axis=1)))


@pytest.mark.parametrize("kind", ["one-hot", "counts", "floats"])
def test_small_searches_of_whole_numbers_take_the_screened_search(kind, monkeypatch):
    """Below the screened search's size, rows of whole numbers in more than 15 columns (which
    tie most queries at their k-th distance) still go to it, not to scikit-learn's brute force;
    other rows do not. Either way the neighbours come by (distance, row)."""
    calls = []
    real = _neighbors._screened
    monkeypatch.setattr(_neighbors, "_screened", lambda *a, **k: calls.append(1) or real(*a, **k))
    rng = np.random.RandomState(6)
    if kind == "one-hot":
        X = _one_hot_rows(rng, 500, columns=5, levels=4)
    else:
        X = rng.randint(0, 3, size=(500, 18)).astype(float)
        X = X + rng.rand(*X.shape) / 10 if kind == "floats" else X
    queries = np.arange(0, 500, 4)
    dist, idx = kneighbors(X, 5, query_indices=queries, return_distance=True)
    assert bool(calls) == (kind != "floats")
    D = ((X[queries, None, :] - X[None, :, :]) ** 2).sum(-1)
    D[np.arange(queries.size), queries] = np.inf
    order = np.lexsort((np.broadcast_to(np.arange(500), D.shape), D), axis=-1)[:, :5]
    np.testing.assert_array_equal(idx, order)
    np.testing.assert_allclose(dist, np.sqrt(np.take_along_axis(D, order, axis=1)), rtol=1e-12)
