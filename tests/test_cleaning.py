"""Cleaning and selection under-samplers: the same rows as imbalanced-learn, exact searches."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_breast_cancer, load_wine, make_classification
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor, NearestNeighbors
from sklearn.preprocessing import StandardScaler

from balancekit import _exact
from balancekit._exact import (
    Points,
    as_rows,
    count_closer,
    nearest_across,
    top_k,
    top_k_positions,
)
from balancekit.combine import SMOTEENN, SMOTETomek
from balancekit.exceptions import (
    BalancekitWarning,
    DataError,
    InvalidParameterError,
    InvalidParameterTypeError,
    SmallClassWarning,
)
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

iu = pytest.importorskip("imblearn.under_sampling")


@pytest.fixture(autouse=True, scope="module")
def _tree_on_small_searches():
    """Searches as small as these tests' use the k-d tree where the data allow it
    (by default they run in blocks, as fast there)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_exact, "_TREE_MIN_PAIRS", 0)
        mp.setattr(_exact, "_TREE_MIN_PAIRS_FEW", 0)
        yield


def _classification(n, weights, sep, flip, seed, n_features=8):
    return make_classification(
        n_samples=n, n_features=n_features, n_informative=5, n_redundant=1,
        n_classes=len(weights), weights=list(weights), class_sep=sep, flip_y=flip,
        random_state=seed,
    )


def _datasets():
    X_bc, y_bc = load_breast_cancer(return_X_y=True)
    X_w, y_w = load_wine(return_X_y=True)
    return {
        "binary": _classification(600, [0.85, 0.15], 0.8, 0.03, 0),
        "binary-overlap": _classification(600, [0.7, 0.3], 0.4, 0.1, 1),
        "three-class": _classification(600, [0.6, 0.3, 0.1], 0.8, 0.05, 2),
        "breast-cancer": (StandardScaler().fit_transform(X_bc), y_bc),
        "wine": (StandardScaler().fit_transform(X_w), y_w),
    }


DATA = _datasets()
DATA_NAMES = list(DATA)


def _same_rows(ours, theirs, X, y):
    """Fit both samplers; assert they keep the same rows (as sets)."""
    X_res, y_res = ours.fit_resample(X, y)
    theirs.fit_resample(X, y)
    mine = ours.sample_indices_
    assert np.all(np.diff(mine) > 0), "kept rows must be in increasing order"
    np.testing.assert_array_equal(mine, np.unique(theirs.sample_indices_))
    np.testing.assert_array_equal(X_res, X[mine])
    np.testing.assert_array_equal(y_res, y[mine])
    return ours, theirs


# --------------------------------------------------------------------------- rules vs imblearn


@pytest.mark.parametrize("data", DATA_NAMES)
@pytest.mark.parametrize("strategy", ["auto", "all", "not majority"])
def test_tomek_links_match(data, strategy):
    X, y = DATA[data]
    _same_rows(TomekLinks(sampling_strategy=strategy), iu.TomekLinks(sampling_strategy=strategy),
               X, y)


@pytest.mark.parametrize("data", DATA_NAMES)
@pytest.mark.parametrize("kind_sel", ["all", "mode"])
def test_edited_nearest_neighbours_match(data, kind_sel):
    X, y = DATA[data]
    for k, strategy in [(1, "auto"), (3, "auto"), (4, "all")]:
        _same_rows(
            EditedNearestNeighbours(sampling_strategy=strategy, n_neighbors=k, kind_sel=kind_sel),
            iu.EditedNearestNeighbours(sampling_strategy=strategy, n_neighbors=k,
                                       kind_sel=kind_sel),
            X, y,
        )


@pytest.mark.parametrize("data", DATA_NAMES)
@pytest.mark.parametrize("kind_sel", ["all", "mode"])
def test_repeated_edited_nearest_neighbours_match(data, kind_sel):
    X, y = DATA[data]
    for k, strategy, max_iter in [(3, "auto", 100), (2, "all", 100), (3, "auto", 2)]:
        ours, theirs = _same_rows(
            RepeatedEditedNearestNeighbours(sampling_strategy=strategy, n_neighbors=k,
                                            kind_sel=kind_sel, max_iter=max_iter),
            iu.RepeatedEditedNearestNeighbours(sampling_strategy=strategy, n_neighbors=k,
                                               kind_sel=kind_sel, max_iter=max_iter),
            X, y,
        )
        assert ours.n_iter_ == theirs.n_iter_
        assert ours.n_iter_ <= max_iter


@pytest.mark.parametrize("data", DATA_NAMES)
@pytest.mark.parametrize("kind_sel", ["all", "mode"])
def test_all_knn_match(data, kind_sel):
    X, y = DATA[data]
    for k, strategy, allow_minority in [(3, "auto", False), (5, "all", True)]:
        _same_rows(
            AllKNN(sampling_strategy=strategy, n_neighbors=k, kind_sel=kind_sel,
                   allow_minority=allow_minority),
            iu.AllKNN(sampling_strategy=strategy, n_neighbors=k, kind_sel=kind_sel,
                      allow_minority=allow_minority),
            X, y,
        )


@pytest.mark.parametrize("data", DATA_NAMES)
@pytest.mark.parametrize("version", [1, 2, 3])
def test_near_miss_match(data, version):
    X, y = DATA[data]
    strategies = ["auto", "all", "not minority"]
    if np.unique(y).size == 2:
        strategies.append(0.8)
    else:
        counts = np.bincount(y)
        strategies.append({0: counts[0] // 2, 1: counts[1] - 3})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # version 3 may keep fewer rows than asked
        for strategy, k in zip(strategies, [3, 1, 3, 2], strict=True):
            _same_rows(
                NearMiss(sampling_strategy=strategy, version=version, n_neighbors=k,
                         n_neighbors_ver3=k + 1),
                iu.NearMiss(sampling_strategy=strategy, version=version, n_neighbors=k,
                            n_neighbors_ver3=k + 1),
                X, y,
            )


@pytest.mark.parametrize("data", DATA_NAMES)
def test_neighbourhood_cleaning_rule_match(data):
    X, y = DATA[data]
    for k, threshold, strategy in [(3, 0.5, "auto"), (5, 0.5, "all"), (2, 2.0, "auto"),
                                   (3, 0.1, "not majority")]:
        ours, theirs = _same_rows(
            NeighbourhoodCleaningRule(sampling_strategy=strategy, n_neighbors=k,
                                      threshold_cleaning=threshold),
            iu.NeighbourhoodCleaningRule(sampling_strategy=strategy, n_neighbors=k,
                                         threshold_cleaning=threshold),
            X, y,
        )
        assert ours.classes_to_clean_ == [int(c) for c in theirs.classes_to_clean_]


def test_neighbourhood_cleaning_rule_with_given_enn():
    X, y = DATA["three-class"]
    _same_rows(
        NeighbourhoodCleaningRule(
            edited_nearest_neighbours=EditedNearestNeighbours(n_neighbors=2, kind_sel="all")
        ),
        iu.NeighbourhoodCleaningRule(
            edited_nearest_neighbours=iu.EditedNearestNeighbours(n_neighbors=2, kind_sel="all")
        ),
        X, y,
    )
    # A k-NN classifier with distance weights is used as given for the vote.
    knc = KNeighborsClassifier(n_neighbors=3, weights="distance")
    _same_rows(
        NeighbourhoodCleaningRule(n_neighbors=knc,
                                  edited_nearest_neighbours=EditedNearestNeighbours()),
        iu.NeighbourhoodCleaningRule(n_neighbors=knc,
                                     edited_nearest_neighbours=iu.EditedNearestNeighbours()),
        X, y,
    )


SMALL = {
    "binary": _classification(250, [0.8, 0.2], 0.7, 0.05, 3),
    "three-class": _classification(250, [0.5, 0.35, 0.15], 0.7, 0.05, 4),
    "wine": DATA["wine"],
}


@pytest.mark.parametrize("data", list(SMALL))
@pytest.mark.parametrize("k", [None, 4])
def test_condensed_nearest_neighbour_match(data, k):
    X, y = SMALL[data]
    for seed, n_seeds, strategy in [(0, 1, "auto"), (1, 3, "auto"), (2, 1, "all")]:
        ours, theirs = _same_rows(
            CondensedNearestNeighbour(sampling_strategy=strategy, n_neighbors=k,
                                      n_seeds_S=n_seeds, random_state=seed),
            iu.CondensedNearestNeighbour(sampling_strategy=strategy, n_neighbors=k,
                                         n_seeds_S=n_seeds, random_state=seed),
            X, y,
        )
        assert len(ours.estimators_) == len(theirs.estimators_)


@pytest.mark.parametrize("data", list(SMALL))
@pytest.mark.parametrize("k", [None, 3])
def test_one_sided_selection_match(data, k):
    X, y = SMALL[data]
    for seed, n_seeds, strategy in [(0, 1, "auto"), (1, 3, "auto"), (5, 6, "all")]:
        _same_rows(
            OneSidedSelection(sampling_strategy=strategy, n_neighbors=k, n_seeds_S=n_seeds,
                              random_state=seed),
            iu.OneSidedSelection(sampling_strategy=strategy, n_neighbors=k, n_seeds_S=n_seeds,
                                 random_state=seed),
            X, y,
        )


def test_condensed_and_one_sided_with_a_classifier():
    X, y = SMALL["three-class"]
    knc = KNeighborsClassifier(n_neighbors=3, weights="distance")
    _same_rows(CondensedNearestNeighbour(n_neighbors=knc, random_state=0),
               iu.CondensedNearestNeighbour(n_neighbors=knc, random_state=0), X, y)
    _same_rows(OneSidedSelection(n_neighbors=knc, random_state=0),
               iu.OneSidedSelection(n_neighbors=knc, random_state=0), X, y)


@pytest.mark.parametrize("metric", ["euclidean", "manhattan"])
def test_n_neighbors_as_an_estimator(metric):
    X, y = DATA["three-class"]
    nn = NearestNeighbors(n_neighbors=4, metric=metric)
    pairs = [
        (EditedNearestNeighbours, iu.EditedNearestNeighbours, {}),
        (EditedNearestNeighbours, iu.EditedNearestNeighbours, {"kind_sel": "mode"}),
        (RepeatedEditedNearestNeighbours, iu.RepeatedEditedNearestNeighbours, {}),
        (AllKNN, iu.AllKNN, {}),
        (NeighbourhoodCleaningRule, iu.NeighbourhoodCleaningRule, {}),
    ]
    for ours, theirs, kw in pairs:
        _same_rows(ours(n_neighbors=nn, **kw), theirs(n_neighbors=nn, **kw), X, y)
    # NearMiss searches other rows than the query: n_neighbors is the count itself.
    for version in (1, 2, 3):
        nm = NearestNeighbors(n_neighbors=3, metric=metric)
        _same_rows(NearMiss(version=version, n_neighbors=nm, n_neighbors_ver3=nm),
                   iu.NearMiss(version=version, n_neighbors=nm, n_neighbors_ver3=nm), X, y)


@pytest.mark.parametrize("estimator", [KNeighborsClassifier, KNeighborsRegressor])
def test_n_neighbors_as_a_k_neighbors_model_searches_as_its_nearest_neighbors(estimator):
    # Such a model needs labels to be fitted; its neighbours are those of the
    # NearestNeighbors of the same search, whatever its weights.
    X, y = DATA["three-class"]
    model = estimator(n_neighbors=4, metric="manhattan", weights="distance")
    nn = NearestNeighbors(n_neighbors=4, metric="manhattan")
    for cls in (EditedNearestNeighbours, RepeatedEditedNearestNeighbours, AllKNN):
        ours, plain = cls(n_neighbors=model), cls(n_neighbors=nn)
        ours.fit_resample(X, y)
        plain.fit_resample(X, y)
        np.testing.assert_array_equal(ours.sample_indices_, plain.sample_indices_)
    for version in (1, 2, 3):
        ours = NearMiss(version=version, n_neighbors=model, n_neighbors_ver3=model)
        _same_rows(ours, iu.NearMiss(version=version, n_neighbors=nn, n_neighbors_ver3=nn), X, y)


def test_near_miss_2_with_more_neighbours_than_minority_rows_takes_them_all():
    rng = np.random.RandomState(0)
    X = rng.randn(40, 2)
    y = np.array([0] * 37 + [1] * 3)
    with pytest.warns(SmallClassWarning, match="version 2 averages the distances to all"):
        _same_rows(NearMiss(version=2, n_neighbors=5), iu.NearMiss(version=2, n_neighbors=5),
                   X, y)
    for version in (1, 3):  # the nearest 5 of 3 rows: refused, as imbalanced-learn fails
        with pytest.raises(DataError, match="n_neighbors=5 needs at least 5 samples"):
            NearMiss(version=version, n_neighbors=5).fit_resample(X, y)


def test_list_and_callable_strategies():
    X, y = DATA["three-class"]
    for strategy in ([0, 1], [2], lambda y: {0: 1, 2: 1}):
        for ours, theirs in [(TomekLinks, iu.TomekLinks),
                             (EditedNearestNeighbours, iu.EditedNearestNeighbours),
                             (RepeatedEditedNearestNeighbours,
                              iu.RepeatedEditedNearestNeighbours)]:
            try:
                theirs(sampling_strategy=strategy).fit_resample(X, y)
            except ValueError:
                continue  # a form imbalanced-learn refuses for cleaning rules
            _same_rows(ours(sampling_strategy=strategy), theirs(sampling_strategy=strategy),
                       X, y)


# --------------------------------------------------------------------------- exact searches


def _brute_order(X, q, refs, exclude_self=True):
    """Rows of ``refs`` by (squared distance, index) from each query: the reference order."""
    D = ((X[q][:, None, :] - X[refs][None, :, :]) ** 2).sum(-1)
    if exclude_self:
        D[q[:, None] == refs[None, :]] = np.inf
    keys = np.broadcast_to(refs, D.shape)
    order = np.lexsort((keys, D), axis=-1)
    return np.take_along_axis(D, order, axis=1), refs[order]


@pytest.fixture(params=[None, "narrow", 2040, 16, 56],
                ids=["tree", "tree-short-lists", "one-block", "many-blocks", "uneven-parts"])
def search(request, monkeypatch):
    """The k-d tree (with lists of tied candidates so short that ties send rows
    to the blocks), or the blockwise search with the default reference blocks
    or blocks small enough that the data span many of them (any width)."""
    if request.param in (None, "narrow"):
        monkeypatch.setattr(_exact, "_TREE_MAX_FEATURES", 10**6)
        if request.param == "narrow":
            monkeypatch.setattr(_exact, "_TREE_WIDE", 3)
            monkeypatch.setattr(_exact, "_TIE_SHARE", 2.0)  # never the blocks for all
    else:
        monkeypatch.setattr(_exact, "_TREE_MAX_FEATURES", 0)
        monkeypatch.setattr(_exact, "_REF_BLOCK", request.param)
        monkeypatch.setattr(_exact, "_MIN_PART", min(_exact._MIN_PART, request.param // 4))
    return request.param


@pytest.fixture(params=["tree", "blocks"])
def engine(request, monkeypatch):
    """Either search, whatever the width of the data."""
    monkeypatch.setattr(_exact, "_TREE_MAX_FEATURES", 10**6 if request.param == "tree" else 0)
    return request.param


@pytest.fixture(params=["grouped", "row-by-row"])
def copies(request, monkeypatch):
    """Data with many copies of rows searched through their distinct rows (the
    default), or row by row as other data (the search such data took before)."""
    if request.param == "row-by-row":
        monkeypatch.setattr(_exact, "_COPIES_MEAN", np.inf)
    return request.param


@pytest.mark.parametrize("offset", [0.0, 1e4])
@pytest.mark.parametrize("kind", ["normal", "integer", "duplicated"])
def test_top_k_and_count_closer_are_exact(offset, kind, search, copies):
    rng = np.random.RandomState(0)
    if kind == "integer":
        # Small integers: many exactly tied distances, decided by row index.
        X = rng.randint(0, 3, size=(700, 3)).astype(float)
    elif kind == "duplicated":
        # Each row twice: ties at distances that are not round numbers.
        X = np.repeat(rng.randn(350, 6), 2, axis=0)[rng.permutation(700)]
    else:
        X = rng.randn(700, 6)
    X = X + offset
    points = Points(X)
    assert points.tree == (search in (None, "narrow"))
    # 27 distinct rows, each about 26 times, or each row twice: grouped unless switched off.
    assert (points.groups is not None) == (kind != "normal" and copies == "grouped")
    q = np.arange(0, 700, 3)
    refs = np.arange(1, 700, 2)
    D, order = _brute_order(X, q, refs)
    sq, idx = top_k(points, q, refs, 5)
    np.testing.assert_array_equal(idx, order[:, :5])
    np.testing.assert_allclose(sq, D[:, :5], rtol=1e-6, atol=1e-6 * (1 + offset**2) * 1e-6)
    far_sq, far = top_k(points, q, refs, 3, farthest=True)
    # Farthest first; equally far rows by lower index.
    ranked = np.lexsort((order, np.where(np.isfinite(D), -D, np.inf)), axis=-1)
    np.testing.assert_array_equal(far, np.take_along_axis(order, ranked, axis=1)[:, :3])
    # Count the rows before the 4th neighbour: exactly 3, ties included.
    bound_sq, bound_idx = D[:, 3], order[:, 3]
    counts = count_closer(points, q, refs, bound_sq, bound_idx, 10**9)
    np.testing.assert_array_equal(counts, 3)
    capped = count_closer(points, q, refs, bound_sq, bound_idx, 2)
    assert np.all(capped >= 2)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(2, 300),
    grid=st.booleans(),
    offset=st.sampled_from([0.0, 1e3]),
    block=st.sampled_from([8, 16, 40, 2040]),
    k_a=st.integers(1, 4),
    k_b=st.integers(1, 4),
    groups=st.sampled_from([2, 3, 32]),
    held=st.sampled_from([10**9, 16]),
)
def test_nearest_across_equals_two_searches(seed, n, grid, offset, block, k_a, k_b, groups, held):
    rng = np.random.RandomState(seed)
    X = (rng.randint(0, 3, size=(n, 2)).astype(float) if grid else rng.randn(n, 4)) + offset
    in_a = rng.rand(n) < 0.4
    A, B = np.flatnonzero(in_a), np.flatnonzero(~in_a)
    if A.size == 0 or B.size == 0:
        return
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_exact, "_TREE_MAX_FEATURES", 0)
        mp.setattr(_exact, "_REF_BLOCK", block)
        mp.setattr(_exact, "_MIN_PART", 2)
        mp.setattr(_exact, "_QUERY_BLOCK", block)
        # Few groups: several parts and slices share one minimum.
        mp.setattr(_exact, "_MAX_GROUPS", groups)
        # 16: the candidates are cut down to each row's best as they come (many ties).
        mp.setattr(_exact, "_HITS_HELD", held)
        (sq_a, i_a), (sq_b, i_b) = nearest_across(Points(X), A, B, k_a=k_a, k_b=k_b)
    # The k nearest rows of the other set by brute force, ties to the lower
    # row index; -1 and inf where the other set is smaller than k.
    for rows, others, k, sq, idx in ((A, B, k_a, sq_a, i_a), (B, A, k_b, sq_b, i_b)):
        D, order = _brute_order(X, rows, others, exclude_self=False)
        m = min(k, others.size)
        np.testing.assert_array_equal(idx[:, :m], order[:, :m])
        np.testing.assert_allclose(sq[:, :m], D[:, :m], rtol=1e-9, atol=1e-9 * (1 + offset**2))
        assert np.all(idx[:, m:] == -1) and np.all(np.isinf(sq[:, m:]))


def test_nearest_across_a_few_rows_computes_few_exact_values(monkeypatch):
    # 72 rows on one side make one part, fewer than the neighbours wanted: its minima
    # bound nothing, and every pair got its exact value (NCR on a 2,536-row table: 0.17
    # times imbalanced-learn's speed). Counted, not timed; the same neighbours.
    rng = np.random.RandomState(0)
    X = rng.randn(3000, 20)
    A, B = np.arange(72, 3000), np.arange(72)
    computed = []
    pair_sq = _exact.pair_sq
    monkeypatch.setattr(_exact, "pair_sq",
                        lambda points, a, b: computed.append(a.size) or pair_sq(points, a, b))
    (_, a_idx), (_, b_idx) = nearest_across(Points(X), A, B, k_a=2, k_b=3)
    assert sum(computed) <= 20 * X.shape[0], sum(computed)
    np.testing.assert_array_equal(a_idx, _brute_order(X, A, B)[1][:, :2])
    np.testing.assert_array_equal(b_idx, _brute_order(X, B, A)[1][:, :3])


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(40, 400),
    grid=st.booleans(),
    offset=st.sampled_from([0.0, 1e3]),
    tile=st.sampled_from([4, 16, 32]),
    parts=st.sampled_from([4, 64]),
    k=st.integers(1, 6),
    exclude_self=st.booleans(),
    share=st.sampled_from([1.0, 0.6]),
    strips=st.booleans(),
    held=st.sampled_from([10**9, 16]),
)
def test_self_search_screens_each_pair_once_and_stays_exact(
    seed, n, grid, offset, tile, parts, k, exclude_self, share, strips, held
):
    # Small tiles: the symmetric self-search runs on small data, its parts
    # either cut each tile (many parts) or gather whole tiles (few parts).
    # The queries are every row, or most of them in any order (searched
    # through the set among itself all the same).
    rng = np.random.RandomState(seed)
    X = (rng.randint(0, 3, size=(n, 2)).astype(float) if grid else rng.randn(n, 4)) + offset
    refs = np.arange(n)
    rows = refs if share == 1.0 else rng.permutation(n)[:int(np.ceil(share * n))]
    self_pos = rows if exclude_self else None
    calls = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_exact, "_TREE_MAX_FEATURES", 0)
        mp.setattr(_exact, "_TILE", tile)
        mp.setattr(_exact, "_SELF_PARTS", parts)
        mp.setattr(_exact, "_ROW_CHUNK", 7)  # the k-th minima in several chunks
        mp.setattr(_exact, "_SELF_MIN_TILES", 1)
        mp.setattr(_exact, "_HITS_HELD", held)
        mp.setattr(_exact, "_COPIES_MEAN", np.inf)  # grids row by row: many ties
        search = _exact._self_top_k
        mp.setattr(_exact, "_self_top_k", lambda *a: calls.append(a) or search(*a))
        points = Points(X)
        # A tiny budget: each tile is computed in two strips of rows.
        raw, pos = top_k_positions(points, rows, refs, k, self_pos=self_pos,
                                   budget=1 if strips else None)
    assert calls, "the symmetric search did not run"
    D, order = _brute_order(X, rows, refs, exclude_self=exclude_self)
    m = min(k, n - 1 if exclude_self else n)
    sq, idx = as_rows(refs, raw, pos)
    np.testing.assert_array_equal(idx[:, :m], order[:, :m])
    np.testing.assert_allclose(sq[:, :m], D[:, :m], rtol=1e-9, atol=1e-9 * (1 + offset**2))


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(
        st.floats(-(2.0**-10), 2.0**120, width=32) | st.sampled_from([0.0, np.inf]),
        min_size=1, max_size=40,
    ),
    limits=st.lists(st.floats(0, 1e38), min_size=1, max_size=5),
    top=st.floats(1e-30, 1e30),
)
def test_minimum_codes_bound_the_values_they_stand_for(values, limits, top):
    """The self-search's 16-bit minima: order kept, ceilings above, fine near the data's scale."""
    base = _exact._code_base(top)
    v = np.sort(np.array(values, dtype=np.float32))
    codes = _exact._min_codes(v, base)
    assert codes.dtype == np.uint16
    assert (np.diff(codes.astype(np.int64)) >= 0).all()  # the minimum of codes is the code of the minimum
    ceiling = _exact._code_ceiling(codes, base)
    finite = np.isfinite(v)
    assert (v[finite] < ceiling[finite]).all()  # the k-th code bounds the k-th value
    assert (ceiling[~finite] == np.inf).all()
    # Within the range below top, a ceiling is at most 2**-10 above its values
    # (normal floats: subnormal ones carry fewer than 10 bits of mantissa).
    inside = (v >= max(top * 2.0**-50, np.finfo(np.float32).tiny)) & (v <= top)
    assert (ceiling[inside] <= v[inside].astype(np.float64) * (1 + 2.0**-9)).all()
    for limit in limits:
        # A part whose minimum is within the limit is never skipped.
        limit_code = _exact._min_codes(np.array([limit]).astype(np.float32), base)[0]
        assert (codes[v <= limit] <= limit_code).all()


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    nq=st.integers(1, 40),
    k=st.integers(1, 5),
    crowd=st.integers(0, 300),
    n_lists=st.integers(1, 4),
    by_row=st.booleans(),
)
def test_pick_smallest_orders_by_value_then_position(seed, nq, k, crowd, n_lists, by_row):
    # Candidates with many ties, in several lists and any order; ``crowd``
    # extra candidates on one row make its line too long for the padded
    # layout, so that row takes the three-key sort and the others the lines.
    # Lists sorted by row (``by_row``) are picked a few rows at a time.
    rng = np.random.RandomState(seed)
    size = rng.randint(0, 4 * nq * k + 1)
    rows = np.concatenate([rng.randint(0, nq, size), np.zeros(crowd, dtype=int)])
    vals = rng.randint(0, 4, rows.size).astype(float)
    pos = rng.permutation(rows.size)
    cuts = np.sort(rng.randint(0, rows.size + 1, n_lists - 1))
    lists = [np.split(a, cuts) for a in (rows, vals, pos)]
    hits = list(zip(*lists, strict=True))
    if by_row:
        hits = [tuple(a[np.argsort(r, kind="stable")] for a in (r, v, p)) for r, v, p in hits]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_exact, "_ROW_CHUNK", 3)  # rows picked in several chunks
        mp.setattr(_exact, "_PICK_CHUNK", 4)
        best_d, best_i = _exact._pick_smallest(nq, k, hits)
    for r in range(nq):
        mine = sorted(zip(vals[rows == r], pos[rows == r], strict=True))[:k]
        mine += [(np.inf, -1)] * (k - len(mine))
        assert list(zip(best_d[r], best_i[r], strict=True)) == mine


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(30, 300),
    grid=st.booleans(),
    need=st.integers(1, 5),
    witnesses=st.integers(0, 6),
)
def test_count_closer_from_the_self_search_is_exact(seed, n, grid, need, witnesses):
    # Rows counted among their own set, most of them left after the nearest
    # blocks: the counts come from one search of the set among itself.
    rng = np.random.RandomState(seed)
    X = rng.randint(0, 3, size=(n, 2)).astype(float) if grid else rng.randn(n, 3)
    own = np.flatnonzero(rng.rand(n) < 0.7)
    other = np.setdiff1d(np.arange(n), own)
    if own.size <= need or other.size == 0:
        return
    # Each row's bound: a random row of the other set.
    bound_idx = other[rng.randint(0, other.size, own.size)]
    bound_sq = ((X[own] - X[bound_idx]) ** 2).sum(1)
    calls = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_exact, "_TREE_MAX_FEATURES", 0)
        mp.setattr(_exact, "_TILE", 16)
        mp.setattr(_exact, "_SELF_MIN_TILES", 1)
        mp.setattr(_exact, "_SELF_COUNT_SHARE", 0.0)
        mp.setattr(_exact, "_NEAR_BLOCKS", 1)
        mp.setattr(_exact, "_REF_BLOCK", 8)
        mp.setattr(_exact, "_COPIES_MEAN", np.inf)  # grids row by row: many ties
        search = _exact._count_from_neighbours
        mp.setattr(_exact, "_count_from_neighbours", lambda *a: calls.append(1) or search(*a))
        out = count_closer(Points(X), own, own, bound_sq, bound_idx, need, witnesses=witnesses)
    counts, found = out if witnesses else (out, np.full((own.size, 0), -1))
    D, order = _brute_order(X, own, own)
    # Rows before the bound in the order (distance, index).
    before = (D < bound_sq[:, None]) | ((D == bound_sq[:, None]) & (order < bound_idx[:, None]))
    expected = before.sum(1)
    if own.size >= 16 and (expected < need).any():
        # A full tile of rows in several blocks, and rows short of need after the
        # first block: they were searched.
        assert calls
    np.testing.assert_array_equal(np.minimum(counts, need), np.minimum(expected, need))
    assert np.all(counts[expected < need] == expected[expected < need])
    for i in range(own.size):
        w = found[i][found[i] >= 0]
        # Up to `witnesses` of the rows counted, each once.
        assert len(w) <= witnesses and len(set(w)) == len(w)
        assert set(w) <= set(order[i][before[i]])


_RULES = [
    (TomekLinks, iu.TomekLinks, {"sampling_strategy": "all"}),
    (EditedNearestNeighbours, iu.EditedNearestNeighbours, {"sampling_strategy": "all"}),
    (EditedNearestNeighbours, iu.EditedNearestNeighbours, {"kind_sel": "mode"}),
    (RepeatedEditedNearestNeighbours, iu.RepeatedEditedNearestNeighbours, {}),
    (AllKNN, iu.AllKNN, {"sampling_strategy": "all"}),
    (NeighbourhoodCleaningRule, iu.NeighbourhoodCleaningRule, {}),
    (NearMiss, iu.NearMiss, {"version": 1}),
    (NearMiss, iu.NearMiss, {"version": 2}),
    (OneSidedSelection, iu.OneSidedSelection, {"random_state": 0}),
]


@pytest.mark.parametrize("data", ["binary-overlap", "three-class"])
@pytest.mark.parametrize("ours, theirs, params", _RULES,
                         ids=[f"{a.__name__}-{p}" for a, _, p in _RULES])
def test_rules_on_many_blocks_match(data, ours, theirs, params, monkeypatch):
    # Blocks of 16 rows: the scan orders by region, the block plans and the
    # early stops all come into play on small data.
    monkeypatch.setattr(_exact, "_TREE_MAX_FEATURES", 0)
    monkeypatch.setattr(_exact, "_REF_BLOCK", 16)
    monkeypatch.setattr(_exact, "_MIN_PART", 4)
    monkeypatch.setattr(_exact, "_QUERY_BLOCK", 32)
    monkeypatch.setattr(_exact, "_MAX_GROUPS", 3)
    X, y = DATA[data]
    _same_rows(ours(**params), theirs(**params), X, y)


@pytest.mark.parametrize("scale", [1e-12, 1e16])
def test_badly_scaled_data_is_searched_in_float64(scale):
    # Squared norms outside 1e-20 .. 1e30: no float32 screening, the same neighbours.
    X = np.random.RandomState(0).randn(300, 4)
    D, order = _brute_order(X, np.arange(300), np.arange(300))
    points = Points(X * scale)
    assert not points.screened
    _, idx = top_k(points, np.arange(300), np.arange(300), 3)
    np.testing.assert_array_equal(idx, order[:, :3])
    X_res, _ = EditedNearestNeighbours().fit_resample(X * scale, (X[:, 0] > 1).astype(int))
    X_ref, _ = EditedNearestNeighbours().fit_resample(X, (X[:, 0] > 1).astype(int))
    np.testing.assert_array_equal(X_res, X_ref * scale)


def test_exact_search_on_sparse_and_float32_input():
    X, y = DATA["binary"]
    Xs = X.copy()
    Xs[np.abs(Xs) < 0.7] = 0
    dense = EditedNearestNeighbours().fit(Xs, y)
    for cls, kw in [(TomekLinks, {}), (EditedNearestNeighbours, {"kind_sel": "mode"}),
                    (AllKNN, {}), (NearMiss, {"version": 2}),
                    (NeighbourhoodCleaningRule, {}),
                    (OneSidedSelection, {"random_state": 0}),
                    (CondensedNearestNeighbour, {"random_state": 0})]:
        a, b = cls(**kw), cls(**kw)
        a.fit_resample(Xs, y)
        X_sp, _ = b.fit_resample(sp.csr_matrix(Xs), y)
        assert sp.issparse(X_sp)
        np.testing.assert_array_equal(a.sample_indices_, b.sample_indices_)
    assert dense.sampling_strategy_ == {0: int((y == 0).sum())}
    # float32 input is searched in float64: same rows as imbalanced-learn on it.
    X32 = X.astype(np.float32)
    _same_rows(EditedNearestNeighbours(), iu.EditedNearestNeighbours(), X32, y)


def _enn_reference(X, y, clean, k, kind_sel):
    """Edited nearest neighbours by brute force, ties to the lower row index."""
    rows = np.arange(len(y))
    _, order = _brute_order(X, rows, rows)
    keep = []
    for i in rows:
        labels = y[order[i, :k]]
        if y[i] not in clean:
            keep.append(i)
        elif kind_sel == "all" and np.all(labels == y[i]):
            keep.append(i)
        elif kind_sel == "mode" and np.argmax(np.bincount(labels, minlength=y.max() + 1)) == y[i]:
            keep.append(i)
    return np.array(keep)


def _tomek_reference(X, y, clean):
    rows = np.arange(len(y))
    _, order = _brute_order(X, rows, rows)
    nn = order[:, 0]
    linked = (y[nn] != y) & (nn[nn] == rows)
    return rows[~(linked & np.isin(y, list(clean)))]


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(12, 80),
    n_classes=st.integers(2, 3),
    k=st.integers(1, 5),
    kind_sel=st.sampled_from(["all", "mode"]),
    data=st.sampled_from(["grid", "normal", "duplicated"]),
    tree=st.booleans(),
    grouped=st.booleans(),
)
def test_rules_on_tied_data_follow_the_lower_index_rule(seed, n, n_classes, k, kind_sel, data,
                                                        tree, grouped):
    rng = np.random.RandomState(seed)
    if data == "grid":
        X = rng.randint(0, 4, size=(n, 2)).astype(float)
    elif data == "duplicated":
        # Rows present twice: ties at distances that are not round numbers.
        X = np.repeat(rng.randn(n // 2 + 1, 3), 2, axis=0)[rng.permutation(n)]
    else:
        X = rng.randn(n, 3)
    y = rng.randint(0, n_classes, size=n)
    if np.unique(y).size < 2 or k >= n:
        return
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_exact, "_TREE_MAX_FEATURES", 10**6 if tree else 0)
        if not grouped:
            mp.setattr(_exact, "_COPIES_MEAN", np.inf)
        enn = EditedNearestNeighbours(sampling_strategy="all", n_neighbors=k, kind_sel=kind_sel)
        enn.fit_resample(X, y)
        tl = TomekLinks(sampling_strategy="all")
        tl.fit_resample(X, y)
    expected = _enn_reference(X, y, set(np.unique(y)), k, kind_sel)
    np.testing.assert_array_equal(enn.sample_indices_, expected)
    np.testing.assert_array_equal(tl.sample_indices_, _tomek_reference(X, y, set(np.unique(y))))


_EVERY_RULE = [
    TomekLinks, EditedNearestNeighbours, RepeatedEditedNearestNeighbours, AllKNN,
    NeighbourhoodCleaningRule, NearMiss,
    lambda: OneSidedSelection(random_state=0),
    lambda: NearMiss(version=2),
    lambda: NearMiss(version=3),
    lambda: EditedNearestNeighbours(sampling_strategy="all", kind_sel="mode", n_neighbors=4),
    lambda: RepeatedEditedNearestNeighbours(sampling_strategy="all", kind_sel="mode"),
    lambda: AllKNN(kind_sel="mode", allow_minority=True),
    lambda: SMOTEENN(random_state=0),
    lambda: SMOTETomek(random_state=0),
]


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(40, 300),
    n_features=st.integers(1, _exact._TREE_MAX_FEATURES),
    n_classes=st.integers(2, 3),
    data=st.sampled_from(["grid", "normal", "duplicated"]),
)
def test_tree_and_blocks_keep_the_same_rows(seed, n, n_features, n_classes, data):
    # Every rule, on data of few features (searched with the k-d tree by
    # default): the same output as with the blockwise search.
    rng = np.random.RandomState(seed)
    if data == "grid":
        X = rng.randint(0, 3, size=(n, n_features)).astype(float)
    elif data == "duplicated":
        X = np.repeat(rng.randn(n // 2 + 1, n_features), 2, axis=0)[rng.permutation(n)]
    else:
        X = rng.randn(n, n_features)
    y = rng.choice(n_classes, size=n, p=[0.6, 0.3, 0.1][:n_classes] / np.sum(
        [0.6, 0.3, 0.1][:n_classes]))
    if np.bincount(y).min() < 7 or not Points(X).tree:
        return
    for make in _EVERY_RULE:
        outputs = []
        for limit in (_exact._TREE_MAX_FEATURES, 0):
            with pytest.MonkeyPatch.context() as mp, warnings.catch_warnings():
                warnings.simplefilter("ignore", BalancekitWarning)
                mp.setattr(_exact, "_TREE_MAX_FEATURES", limit)
                outputs.append(make().fit_resample(X, y))
        (X_a, y_a), (X_b, y_b) = outputs
        np.testing.assert_array_equal(X_a, X_b)
        np.testing.assert_array_equal(y_a, y_b)


def test_data_with_many_rows_tied_are_searched_in_blocks():
    # More than 64 rows tied with their nearest: a tree would gather long lists.
    # Copies of rows are grouped instead, where most rows have some: their
    # distinct rows are searched, with the tree.
    rng = np.random.RandomState(0)
    assert Points(rng.randn(2000, 3)).tree
    for X in (np.repeat(rng.randn(20, 3), 100, axis=0),
              rng.randint(0, 2, size=(2000, 3)).astype(float)):
        points = Points(X)
        assert points.groups is not None and points.tree
    # One row 70 times among 2930 others, rows not grouped (sum(c^2) / n = 2.6, here
    # below the bar): too many ties for the tree.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_exact, "_COPIES_MEAN", 3.0)
        points = Points(np.r_[rng.randn(2930, 3), np.repeat(rng.randn(1, 3), 70, axis=0)])
        assert points.groups is None and not points.tree
    assert not Points(rng.randn(2000, 8)).tree  # too many features


def test_threads_do_not_change_the_result(monkeypatch, engine):
    # Small searches run on one thread: make every search use the pool here.
    monkeypatch.setattr(_exact, "_SMALL_WORK", 0)
    monkeypatch.setattr(_exact, "_QUERY_BLOCK", 64)
    X, y = DATA["binary-overlap"]
    for cls in (TomekLinks, EditedNearestNeighbours, RepeatedEditedNearestNeighbours, AllKNN,
                NearMiss, NeighbourhoodCleaningRule):
        a = cls(n_jobs=1)
        b = cls(n_jobs=2)
        a.fit_resample(X, y)
        b.fit_resample(X, y)
        np.testing.assert_array_equal(a.sample_indices_, b.sample_indices_)


# --------------------------------------------------------------------------- containers


def test_pandas_in_pandas_out():
    pd = pytest.importorskip("pandas")
    X, y = DATA["three-class"]
    frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])],
                         index=np.arange(len(y)) * 10)
    target = pd.Series(y, name="target", index=frame.index)
    for sampler in (TomekLinks(), EditedNearestNeighbours(), AllKNN(), NearMiss(version=3),
                    NeighbourhoodCleaningRule(), OneSidedSelection(random_state=0)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BalancekitWarning)
            X_res, y_res = sampler.fit_resample(frame, target)
        assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
        assert list(X_res.columns) == list(frame.columns)
        np.testing.assert_array_equal(X_res.to_numpy(), X[sampler.sample_indices_])
        np.testing.assert_array_equal(y_res.to_numpy(), y[sampler.sample_indices_])
        np.testing.assert_array_equal(sampler.feature_names_in_, frame.columns)


def test_string_labels():
    X, y = DATA["three-class"]
    names = np.array(["cat", "dog", "eel"])[y]
    for cls in (TomekLinks, EditedNearestNeighbours, RepeatedEditedNearestNeighbours, AllKNN,
                NeighbourhoodCleaningRule):
        a, b = cls(), cls()
        a.fit_resample(X, y)
        b.fit_resample(X, names)
        np.testing.assert_array_equal(a.sample_indices_, b.sample_indices_)
    # 'mode' breaks ties by the smallest label, for strings too.
    a = EditedNearestNeighbours(kind_sel="mode", n_neighbors=4)
    b = EditedNearestNeighbours(kind_sel="mode", n_neighbors=4)
    a.fit_resample(X, y)
    b.fit_resample(X, names)
    np.testing.assert_array_equal(a.sample_indices_, b.sample_indices_)


def test_fitted_attributes():
    X, y = DATA["binary"]
    renn = RepeatedEditedNearestNeighbours()
    renn.fit_resample(X, y)
    assert isinstance(renn.enn_, EditedNearestNeighbours)
    assert renn.nn_.n_neighbors == 4 and renn.n_iter_ >= 1
    nm = NearMiss(version=3)
    nm.fit_resample(X, y)
    assert nm.nn_.n_neighbors == 3 and nm.nn_ver3_.n_neighbors == 3
    cnn = CondensedNearestNeighbour(random_state=0)
    cnn.fit_resample(X, y)
    assert len(cnn.estimators_) == 1 and cnn.estimators_[0].n_neighbors == 1
    ncr = NeighbourhoodCleaningRule()
    ncr.fit_resample(X, y)
    assert isinstance(ncr.edited_nearest_neighbours_, EditedNearestNeighbours)
    assert ncr.nn_.n_neighbors == 3


def test_near_miss_refit_with_another_version_drops_the_version_3_estimator():
    X, y = DATA["binary"]
    nm = NearMiss(version=3)
    nm.fit_resample(X, y)
    nm.set_params(version=1).fit_resample(X, y)
    fresh = NearMiss(version=1)
    fresh.fit_resample(X, y)
    assert not hasattr(nm, "nn_ver3_") and not hasattr(fresh, "nn_ver3_")
    np.testing.assert_array_equal(nm.sample_indices_, fresh.sample_indices_)


def test_sampling_types():
    for cls in (TomekLinks, EditedNearestNeighbours, RepeatedEditedNearestNeighbours, AllKNN,
                CondensedNearestNeighbour, OneSidedSelection, NeighbourhoodCleaningRule):
        assert cls._sampling_type == "clean-sampling"
    assert NearMiss._sampling_type == "under-sampling"


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "sampler, error, match",
    [
        (EditedNearestNeighbours(n_neighbors=0), InvalidParameterError, "n_neighbors=0"),
        (EditedNearestNeighbours(n_neighbors="3"), InvalidParameterTypeError, "n_neighbors"),
        (EditedNearestNeighbours(kind_sel="most"), InvalidParameterError, "kind_sel='most'"),
        (AllKNN(kind_sel="any"), InvalidParameterError, "kind_sel"),
        (AllKNN(allow_minority="yes"), InvalidParameterTypeError, "allow_minority"),
        (RepeatedEditedNearestNeighbours(max_iter=0), InvalidParameterError, "max_iter=0"),
        (NearMiss(version=4), InvalidParameterError, "version=4"),
        (NearMiss(version=2.0), InvalidParameterTypeError, "version"),
        (NearMiss(n_neighbors=0), InvalidParameterError, "n_neighbors=0"),
        (NearMiss(n_neighbors=10_000), DataError, "minority class"),
        (NearMiss(version=3, n_neighbors_ver3=-1), InvalidParameterError, "n_neighbors_ver3"),
        # Checked in every version, as imbalanced-learn does.
        (NearMiss(version=1, n_neighbors_ver3=0), InvalidParameterError, "n_neighbors_ver3"),
        (NearMiss(version=2, n_neighbors_ver3="3"), InvalidParameterTypeError,
         "n_neighbors_ver3"),
        (TomekLinks(n_jobs=0), InvalidParameterError, "n_jobs=0"),
        (CondensedNearestNeighbour(n_neighbors=NearestNeighbors()), InvalidParameterTypeError,
         "KNeighborsClassifier"),
        (CondensedNearestNeighbour(n_seeds_S=0), InvalidParameterError, "n_seeds_S=0"),
        (OneSidedSelection(n_neighbors=0), InvalidParameterError, "n_neighbors=0"),
        (NeighbourhoodCleaningRule(threshold_cleaning=0), InvalidParameterError,
         "threshold_cleaning"),
        (NeighbourhoodCleaningRule(n_neighbors=2.5), InvalidParameterTypeError, "n_neighbors"),
        (EditedNearestNeighbours(n_neighbors=10_000), DataError, "n_neighbors=10000"),
        (TomekLinks(sampling_strategy=0.5), InvalidParameterError, "a number is not supported"),
    ],
)
def test_errors(sampler, error, match):
    X, y = DATA["binary"]
    with pytest.raises(error, match=match):
        sampler.fit_resample(X, y)


def test_near_miss_3_warns_when_it_keeps_fewer_rows():
    X, y = _classification(300, [0.9, 0.1], 2.0, 0.0, 0)
    with pytest.warns(BalancekitWarning, match="fewer than"):
        NearMiss(version=3, n_neighbors_ver3=1).fit_resample(X, y)


# --------------------------------------------------------------------------- unscaled columns


@pytest.fixture
def probe_small_data(monkeypatch):
    """The tree probe on data of a few thousand rows (it starts at 32,768 by default)."""
    monkeypatch.setattr(_exact, "_TREE_PROBE_MIN_ROWS", 1000)


def _amount_table(n=5000, seed=0):
    """Rows like a transactions table: an unscaled amount next to scaled columns and flags."""
    rng = np.random.RandomState(seed)
    y = (rng.rand(n) < 0.1).astype(int)
    X = np.c_[rng.lognormal(10, 1, n), rng.randn(n, 5) + 0.5 * y[:, None],
              rng.randint(0, 2, (n, 4))]
    return X, y


def test_an_unscaled_column_is_screened_in_float64_and_searched_with_the_tree(
        probe_small_data):
    X, y = _amount_table()
    points = Points(X)
    # float32 cannot resolve the scaled columns next to amounts of 1e4-1e6.
    assert not points.screened
    # Few effective dimensions: the k-d tree pays, although X has 10 features.
    assert points.tree
    noise = make_classification(5000, 10, random_state=0)[0]
    points = Points(noise)
    assert points.screened and not points.tree
    # The same noise with an unscaled column: coarse, but still no tree for it.
    assert not Points(np.c_[noise, 1e6 * noise[:, 0]]).screened


@pytest.mark.parametrize("make", [
    TomekLinks, EditedNearestNeighbours, NeighbourhoodCleaningRule, NearMiss,
    lambda: OneSidedSelection(random_state=0), lambda: SMOTEENN(random_state=0),
], ids=["tomek", "enn", "ncr", "nearmiss", "oss", "smote_enn"])
def test_rules_on_an_unscaled_column_keep_the_same_rows_with_every_search(
        make, probe_small_data):
    X, y = _amount_table()
    outputs = [make().fit_resample(X, y)]
    for settings_ in ({"_TREE_PROBE_MAX_FEATURES": 0},  # blocks, float64 screening
                      {"_TREE_PROBE_MAX_FEATURES": 0, "_COARSE_FACTOR": np.inf}):  # float32
        with pytest.MonkeyPatch.context() as mp:
            for name, value in settings_.items():
                mp.setattr(_exact, name, value)
            assert Points(X).tree is False and Points(X).screened == ("_COARSE_FACTOR" in settings_)
            outputs.append(make().fit_resample(X, y))
    for X_b, y_b in outputs[1:]:
        np.testing.assert_array_equal(outputs[0][0], X_b)
        np.testing.assert_array_equal(outputs[0][1], y_b)


def test_rules_on_an_unscaled_column_keep_the_rows_of_imbalanced_learn(probe_small_data):
    X, y = _amount_table()
    _same_rows(TomekLinks(), iu.TomekLinks(), X, y)
    _same_rows(EditedNearestNeighbours(), iu.EditedNearestNeighbours(), X, y)


def _wide_table(n=400, n_features=2500, seed=0):
    """Rows of far more features than rows, as gene expressions: their float32 products
    are too coarse for the distances (see Points._coarse)."""
    rng = np.random.RandomState(seed)
    y = (rng.rand(n) < 0.15).astype(int)
    X = rng.randn(n, n_features).astype(np.float32)
    X[y == 1, :20] += 1.0
    return X, y


def test_the_screening_check_of_wide_rows_of_tiny_distances_warns_of_nothing():
    # Copies of a few rows, each moved by a unit in one column of 2,400: the check's power
    # overflowed, with a RuntimeWarning the user saw.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(15, 2400))[rng.integers(0, 15, 300)]
    X[np.arange(300), rng.integers(0, 2400, 300)] += rng.choice([-1.0, 1.0, 2.0], 300)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not Points(X).screened


def test_wide_rows_get_a_float32_copy_only_when_screened_in_float32():
    X, _ = _wide_table()
    points = Points(X)
    assert not points.screened and points.pair is None
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_exact, "_COARSE_FACTOR", np.inf)
        late = Points(X)  # copied once float32 screening is chosen
        mp.setattr(_exact, "_WIDE_FEATURES", X.shape[1] + 1)
        early = Points(X)  # copied as the norms are computed
    assert late.screened and early.screened
    np.testing.assert_array_equal(late.pair, early.pair)
    np.testing.assert_array_equal(late.low_sq, early.low_sq)


@pytest.mark.parametrize("witnesses", [0, 3])
def test_counts_among_wide_rows_from_their_products_equal_the_counts_of_the_blocks(
        witnesses, monkeypatch):
    X, y = _wide_table()
    # Copies of some rows: ties with the bound and between references.
    X, y = np.vstack([X, X[:40]]), np.r_[y, y[:40]]
    points = Points(X)
    assert not points.screened
    members, others = np.flatnonzero(y == 0), np.flatnonzero(y == 1)
    b_sq, b_idx = top_k(points, members, others, 1)
    made = []
    real = _exact._GramRows.of
    monkeypatch.setattr(_exact._GramRows, "of", lambda R: made.append(R.shape) or real(R))
    found = [count_closer(points, members, members, b_sq[:, 0], b_idx[:, 0], need,
                          witnesses=witnesses) for need in (3, members.size)]
    assert made == [(members.size, X.shape[1] + 1)] * 2
    monkeypatch.setattr(_exact._GramRows, "of", lambda R: None)
    for need, ours in zip((3, members.size), found, strict=True):
        blocks = count_closer(points, members, members, b_sq[:, 0], b_idx[:, 0], need,
                              witnesses=witnesses)
        if not witnesses:
            ours, blocks = (ours,), (blocks,)
        for a, b in zip(ours, blocks, strict=True):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("ours, theirs", [
    (TomekLinks, iu.TomekLinks), (EditedNearestNeighbours, iu.EditedNearestNeighbours),
    (NeighbourhoodCleaningRule, iu.NeighbourhoodCleaningRule), (NearMiss, iu.NearMiss),
], ids=["tomek", "enn", "ncr", "nearmiss"])
def test_rules_on_wide_rows_keep_the_rows_of_imbalanced_learn_with_every_screening(
        ours, theirs):
    X, y = _wide_table()
    expected = _same_rows(ours(), theirs(), X, y)[0].sample_indices_

    def kept(sampler):
        sampler.fit_resample(X, y)
        return sampler.sample_indices_

    # float32 screening, and the search split between threads (wide rows count for
    # more work per pair): the same rows.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_exact, "_COARSE_FACTOR", np.inf)
        np.testing.assert_array_equal(kept(ours()), expected)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_exact, "_SMALL_WORK", 1)
        np.testing.assert_array_equal(kept(ours(n_jobs=2)), expected)


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
def test_top_k_against_fewer_references_than_k_parts(sparse):
    # 120 references and k=5: fewer than k parts of _MIN_PART, searched in one pass.
    # Every row twice: exact ties, decided by the lower index.
    rng = np.random.RandomState(0)
    X = np.repeat(rng.randint(0, 3, size=(300, 40)) * (rng.rand(300, 40) < 0.2), 2, axis=0)
    X = X[rng.permutation(600)].astype(float)
    points = Points(sp.csr_matrix(X) if sparse else X)
    q, refs = np.arange(0, 600, 3), np.arange(1, 600, 5)
    D, order = _brute_order(X, q, refs)
    sq, idx = top_k(points, q, refs, 5)
    np.testing.assert_array_equal(idx, order[:, :5])
    np.testing.assert_allclose(sq, D[:, :5], rtol=1e-9, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 40).flatmap(lambda n: st.tuples(
    st.lists(st.sampled_from(["a", "b", "c"]), min_size=n, max_size=n),
    st.lists(st.integers(0, n - 1), min_size=n, max_size=n),
    st.sampled_from([["a"], ["a", "b"], "b", ["c", "a"]]))))
def test_is_tomek_marks_the_rows_imbalanced_learn_marks(case):
    imblearn = pytest.importorskip("imblearn.under_sampling")
    labels, nn_index, class_type = case
    y, nn_index = np.array(labels), np.array(nn_index)
    expected = imblearn.TomekLinks.is_tomek(
        y, nn_index, [class_type] if isinstance(class_type, str) else class_type)
    np.testing.assert_array_equal(TomekLinks.is_tomek(y, nn_index, class_type), expected)
    # As imbalanced-learn calls it, with a sampling_strategy_ dict; or a set.
    classes = [class_type] if isinstance(class_type, str) else class_type
    for other_form in (dict.fromkeys(classes, 1), set(classes)):
        np.testing.assert_array_equal(TomekLinks.is_tomek(y, nn_index, other_form), expected)
    with pytest.raises(DataError, match="nn_index"):
        TomekLinks.is_tomek(y, nn_index[:-1], class_type)


@pytest.mark.parametrize("sampler", [CondensedNearestNeighbour, OneSidedSelection])
def test_a_store_too_small_names_the_class_as_the_data_holds_it(sampler):
    X, y = make_classification(300, weights=[0.95], random_state=0)
    with pytest.raises(DataError, match=r"the seeds of class 0 make 18\. Use a smaller"):
        sampler(n_neighbors=40).fit_resample(X, y)


def test_cleaning_rules_given_as_parameters_are_checked_by_name():
    from balancekit.over_sampling import SMOTE, SMOTENC

    X, y = make_classification(300, weights=[0.8], random_state=0)
    cases = [
        (NeighbourhoodCleaningRule(edited_nearest_neighbours=SMOTE()),
         "edited_nearest_neighbours must be a cleaning rule.*got SMOTE"),
        (NeighbourhoodCleaningRule(edited_nearest_neighbours="enn"),
         "edited_nearest_neighbours must be a cleaning rule.*got 'enn' of type str"),
        (NeighbourhoodCleaningRule(edited_nearest_neighbours=EditedNearestNeighbours),
         "got the class EditedNearestNeighbours, not an object"),
        (SMOTETomek(tomek=TomekLinks), "tomek must be .*got the class TomekLinks"),
        (SMOTEENN(enn=EditedNearestNeighbours), "enn must be .*got the class"),
        (SMOTEENN(smote=SMOTE), "smote must be .*got the class SMOTE"),
        (SMOTEENN(smote=SMOTENC(categorical_features=[3])), "SMOTENC makes rows holding "
                                                           "categories"),
    ]
    for sampler, match in cases:
        with pytest.raises(InvalidParameterTypeError, match=match):
            sampler.fit_resample(X, y)
    # A rule given as such is the one used: the same rows as the default's.
    named = NeighbourhoodCleaningRule(
        edited_nearest_neighbours=EditedNearestNeighbours(kind_sel="mode", n_neighbors=3))
    named.fit_resample(X, y)
    default = NeighbourhoodCleaningRule()
    default.fit_resample(X, y)
    np.testing.assert_array_equal(named.sample_indices_, default.sample_indices_)


def test_condensing_wide_sparse_rows_keeps_them_sparse():
    # The scan held a dense copy of the class's rows: 2.4 GB for 6,000 rows of 50,000
    # features (0.1% filled), where the data take 12 MB.
    from .conftest import traced_peak

    rng = np.random.RandomState(0)
    X = sp.random(600, 20000, density=0.002, format="csr", random_state=rng)
    X.data = np.round(X.data * 5) + 1
    y = (rng.rand(600) < 0.15).astype(int)
    dense = CondensedNearestNeighbour(random_state=0)
    dense.fit_resample(X.toarray(), y)
    CondensedNearestNeighbour(random_state=0).fit_resample(X[:60], y[:60])  # warm-up
    sampler = CondensedNearestNeighbour(random_state=0)
    peak, _ = traced_peak(lambda: sampler.fit_resample(X, y))
    assert peak < 0.1 * X.shape[0] * X.shape[1] * 8, peak / 2**20
    np.testing.assert_array_equal(sampler.sample_indices_, dense.sample_indices_)


@pytest.mark.parametrize("n_features", [3, 8])  # the k-d tree's state and the blockwise one
def test_repeated_rules_with_n_neighbors_above_the_rows(n_features):
    # The rounds' state was sized by n_neighbors: AllKNN(n_neighbors=10**9) asked numpy for
    # hundreds of GiB (MemoryError) on 60 rows, where imbalanced-learn stops as usual.
    rng = np.random.RandomState(1)
    X = rng.randn(60, n_features)
    y = np.repeat([0, 1, 2], [30, 18, 12])
    X[y == 1] += 0.7
    X[y == 2] -= 0.7
    for k in (59, 10**9):
        _same_rows(AllKNN(n_neighbors=k), iu.AllKNN(n_neighbors=k), X, y)
    with pytest.raises(DataError, match="n_neighbors=1000000000 needs"):
        RepeatedEditedNearestNeighbours(n_neighbors=10**9).fit_resample(X, y)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(100, 400),
    kind=st.sampled_from(["normal", "integer", "duplicated", "huge", "float32"]),
    k=st.integers(1, 6),
    farthest=st.booleans(),
    disjoint=st.booleans(),
)
def test_top_k_against_one_block_of_references_is_exact(seed, n, kind, k, farthest, disjoint):
    # References in one block, cut into at least k parts: searched in one pass, bounded by
    # the minima of narrow parts. Integers (exact values, many ties), copies of rows, a few
    # rows of huge norm (float64 values with each pair's margin) and float32 rows; queries
    # among the references (each left out of its own neighbours) or apart from them.
    rng = np.random.RandomState(seed)
    if kind == "integer":
        X = rng.randint(0, 3, size=(n, 4)).astype(float)
    elif kind == "duplicated":
        X = np.repeat(rng.randn(-(-n // 2), 5), 2, axis=0)[rng.permutation(n)]
    else:
        X = rng.randn(n, 5)
    if kind == "huge":
        X[rng.rand(n) < 0.05, -1] = 10.0 ** rng.uniform(6, 20)
    if kind == "float32":
        X = X.astype(np.float32)
    rows = rng.permutation(n)
    q = np.sort(rows[: n // 2])
    refs = np.sort(rows[n // 2:] if disjoint else rows[n // 4:])
    calls = []
    one_block = _exact._one_block_top_k
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_exact, "_TREE_MAX_FEATURES", 0)
        mp.setattr(_exact, "_COPIES_MEAN", np.inf)  # row by row: every tie decided by index
        mp.setattr(_exact, "_MIN_PART", 4)  # at least k parts: not the few-references pass
        mp.setattr(_exact, "_one_block_top_k",
                   lambda *a, **kw: calls.append(1) or one_block(*a, **kw))
        sq, idx = top_k(Points(X), q, refs, k, farthest=farthest)
    assert calls
    D, order = _brute_order(np.asarray(X, dtype=np.float64), q, refs)
    if farthest:
        ranked = np.lexsort((order, np.where(np.isfinite(D), -D, np.inf)), axis=-1)
        order = np.take_along_axis(order, ranked, axis=1)
    np.testing.assert_array_equal(idx, order[:, :k])


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(20, 400),
    levels=st.sampled_from([2, 3, 5]),
    listed=st.sampled_from([0, 10**9]),
)
def test_count_closer_counts_ties_by_index_on_one_hot_rows(seed, n, levels, listed):
    # One-hot categories: exact values, each row tied with dozens of rows at its bound.
    # Ties are listed, or counted in place (listed=0); either way those before the bound
    # row by index count, and the count before each row's j-th neighbour is j.
    rng = np.random.RandomState(seed)
    codes = rng.randint(0, levels, size=(n, 4))
    X = np.hstack([np.eye(levels)[codes[:, j]] for j in range(4)])
    q, refs = np.arange(0, n, 2), np.arange(n)
    D, order = _brute_order(X, q, refs)
    j = rng.randint(0, n - 1, size=q.size)
    rows = np.arange(q.size)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_exact, "_TREE_MAX_FEATURES", 0)
        mp.setattr(_exact, "_COPIES_MEAN", np.inf)  # row by row: every tie decided by index
        mp.setattr(_exact, "_LISTED_TIES", listed)
        points = Points(X)
        assert points.exact_screen
        counts = count_closer(points, q, refs, D[rows, j], order[rows, j], 10**9)
    np.testing.assert_array_equal(counts, j)


# ---------------------------------------------------------------------------- a class removed


def test_a_rule_that_removes_a_whole_class_says_so():
    # Uninformative features: every row ties with rows of the other class.
    X = np.zeros((40, 2))
    y = np.array([0, 1] * 10 + [0] * 20)
    with pytest.warns(BalancekitWarning, match=r"EditedNearestNeighbours removed every row of "
                      r"class 0 \(30 rows\): a model fitted on the output can never predict"):
        _, y_res = EditedNearestNeighbours().fit_resample(X, y)
    assert set(y_res.tolist()) == {1}
    # Labels of every kind: codes with gaps, text.
    for labels, lost in ((y * 5 + 2, "2"), (np.array(["b", "a"])[y], "'b'")):
        with pytest.warns(BalancekitWarning, match=rf"every row of class {lost} \(30 rows\)"):
            EditedNearestNeighbours().fit_resample(X, labels)
    with pytest.warns(BalancekitWarning, match=r"SMOTEENN removed every row: the output is "
                      r"empty.*sampling_strategy of its cleaning rule \(enn=Edited"):
        X_res, _ = SMOTEENN(random_state=0).fit_resample(X, y)
    assert X_res.shape == (0, 2)
    # Separable classes (iris setosa and versicolor) that one-sided selection with 'all'
    # condenses to their seeds, a Tomek link: no overlap to blame (it said "the classes
    # overlap completely").
    from sklearn.datasets import load_iris

    from balancekit.under_sampling import OneSidedSelection

    iris = load_iris()
    with pytest.warns(BalancekitWarning, match="small or scattered") as caught:
        OneSidedSelection(sampling_strategy="all", random_state=0).fit_resample(
            iris.data[:80], iris.target[:80])
    assert not any("overlap completely" in str(w.message) for w in caught)
    # Rows removed as asked (an under-sampler's counts) or a class kept: no warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from balancekit.under_sampling import RandomUnderSampler

        RandomUnderSampler(sampling_strategy={0: 0, 1: 10}).fit_resample(X, y)
        X2, y2 = make_classification(200, 4, weights=[0.8], random_state=0)
        for sampler in (EditedNearestNeighbours(), AllKNN(), SMOTEENN(random_state=0),
                        TomekLinks()):
            sampler.fit_resample(X2, y2)


def test_compare_names_a_removed_class_once():
    from balancekit.evaluation import compare

    rng = np.random.RandomState(0)
    X = np.zeros((90, 2))
    X[50:, 0] = rng.normal(size=40) + 3
    # Class 0 ties, at the origin, with the 10 rows of class 2 before it: every row of
    # class 0 has a row of class 2 among its nearest (ties go to the lower row).
    y = np.array([2] * 10 + [0] * 40 + [1] * 40)
    with pytest.warns(BalancekitWarning, match="removed every training row"):
        result = compare(X, y, strategies=["baseline", "edited_nearest_neighbours"], cv=2,
                         scoring="recall")
    enn = next(e for e in result.summary["strategies"]
               if e["name"] == "edited_nearest_neighbours")
    assert enn["lost_class_folds"]
    assert not [w for w in enn["warnings"] if "removed every row of class" in w]
