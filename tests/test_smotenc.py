"""SMOTENC and SMOTEN: column selection, errors, and cross-checks with imbalanced-learn."""

import warnings
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import OrdinalEncoder

from balancekit import _frames, _neighbors
from balancekit._exact import Points
from balancekit._neighbors import kneighbors
from balancekit.exceptions import (
    BalancekitWarning,
    DataError,
    InvalidParameterError,
    InvalidParameterTypeError,
    SmallClassWarning,
)
from balancekit.over_sampling import SMOTE, SMOTEN, SMOTENC, _smote, _smotenc
from balancekit.over_sampling._smotenc import _vdm_block, vdm_tables

from .conftest import traced_peak

imblearn_over = pytest.importorskip("imblearn.over_sampling")
imblearn_pairwise = pytest.importorskip("imblearn.metrics.pairwise")


def _mixed(n_major=150, n_minor=50, seed=0, n_classes=2):
    """Three numeric columns and one categorical column (object array), skewed classes."""
    rng = np.random.RandomState(seed)
    sizes = [n_major, n_minor, n_minor // 2][:n_classes]
    y = np.repeat(np.arange(n_classes), sizes)
    num = rng.randn(y.size, 3) + y[:, None] * np.array([1.0, -0.5, 0.3])
    probs = np.array([[0.5, 0.3, 0.2], [0.2, 0.3, 0.5], [0.1, 0.8, 0.1]])
    cat = np.array([rng.choice(["a", "b", "c"], p=probs[label]) for label in y], dtype=object)
    X = np.empty((y.size, 4), dtype=object)
    X[:, :3] = num
    X[:, 3] = cat
    return X, y


def _frame(lib):
    """Numeric, integer, categorical, string and enum columns."""
    rng = np.random.RandomState(1)
    n = 60
    y = np.array([0] * 45 + [1] * 15)
    amount = rng.randn(n) + y
    count = rng.randint(0, 20, size=n)
    shop = rng.choice(["s1", "s2", "s3"], size=n)
    city = rng.choice(["x", "y"], size=n)
    tier = rng.choice(["gold", "silver"], size=n)
    if lib.__name__ == "pandas":
        X = lib.DataFrame(
            {
                "amount": amount,
                "shop": lib.Categorical(shop, categories=["s1", "s2", "s3", "unused"]),
                "count": count.astype(np.int64),
                "city": city,  # pandas str
                "tier": lib.Categorical(tier),
            }
        )
    else:
        X = lib.DataFrame(
            {
                "amount": amount,
                "shop": lib.Series(shop, dtype=lib.Categorical),
                "count": lib.Series(count, dtype=lib.Int64),
                "city": lib.Series(city, dtype=lib.String),
                "tier": lib.Series(tier, dtype=lib.Enum(["gold", "silver", "unused"])),
            }
        )
    return X, y


def _same(a, b):
    """Equal tables of any kind, compared row by row as Python values."""

    def as_rows(table):
        return (
            table.to_numpy().tolist() if hasattr(table, "to_numpy") else np.asarray(table).tolist()
        )

    assert as_rows(a) == as_rows(b)


def test_categorical_features_forms_agree(frame_lib):
    X, y = _frame(frame_lib)
    auto = SMOTENC(categorical_features="auto", random_state=0)
    X_auto, y_auto = auto.fit_resample(X, y)
    np.testing.assert_array_equal(auto.categorical_features_, [1, 3, 4])
    np.testing.assert_array_equal(auto.continuous_features_, [0, 2])
    forms = [
        [1, 3, 4],
        [4, 1, 3, 1],  # order and repeats do not matter
        [-4, -2, -1],
        ["shop", "city", "tier"],
        np.array([False, True, False, True, True]),
    ]
    for form in forms:
        sampler = SMOTENC(categorical_features=form, random_state=0)
        X_res, y_res = sampler.fit_resample(X, y)
        np.testing.assert_array_equal(sampler.categorical_features_, [1, 3, 4])
        _same(X_res, X_auto)
        np.testing.assert_array_equal(np.asarray(y_res), np.asarray(y_auto))
    assert list(X_auto.columns) == list(X.columns)
    if frame_lib.__name__ == "pandas":
        assert X_auto.dtypes.equals(X.dtypes)
        assert list(X_auto["shop"].cat.categories) == ["s1", "s2", "s3", "unused"]
    else:
        assert X_auto.schema == X.schema


def test_auto_on_object_arrays_finds_text_columns():
    X, y = _mixed()
    sampler = SMOTENC(random_state=0)
    X_res, _ = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(sampler.categorical_features_, [3])
    assert set(X_res[:, 3]) <= {"a", "b", "c"}
    # A purely numeric array has no categorical column: SMOTENC is SMOTE then.
    X_num = X[:, :3].astype(float)
    sampler.fit_resample(X_num, y)
    assert sampler.categorical_features_.size == 0


@pytest.mark.parametrize(
    "value, error, pattern",
    [
        (
            ["shop", "nope"],
            InvalidParameterError,
            r"categorical_features names column\(s\) \['nope'\] that are not in X",
        ),
        (
            [5],
            InvalidParameterError,
            r"categorical_features has column index 5, out of range for X with 5 columns",
        ),
        ([-6], InvalidParameterError, r"categorical_features has column index -6, out of range"),
        (
            [True, False],
            InvalidParameterError,
            r"categorical_features as a boolean mask must have one entry per column \(5\); got 2",
        ),
        (
            "all",
            InvalidParameterError,
            r"categorical_features='all' is not supported; expected 'auto'",
        ),
        (
            [[1, 2]],
            InvalidParameterError,
            r"categorical_features must be 'auto', a 1-D list.*shape \(1, 2\)",
        ),
        (
            None,
            InvalidParameterError,
            r"categorical_features must be 'auto', a 1-D list.*; got None\.$",
        ),
        (
            [1.5],
            InvalidParameterTypeError,
            r"categorical_features must hold column indices.*float64",
        ),
    ],
)
def test_bad_categorical_features(frame_lib, value, error, pattern):
    X, y = _frame(frame_lib)
    with pytest.raises(error, match=pattern):
        SMOTENC(categorical_features=value).fit_resample(X, y)


def test_names_need_a_dataframe_and_encoder_must_be_none():
    X, y = _mixed()
    with pytest.raises(
        InvalidParameterError,
        match=r"categorical_features gives column names \['c3'\], but X has no column names",
    ):
        SMOTENC(categorical_features=["c3"]).fit_resample(X, y)
    for cls in (SMOTENC, SMOTEN):
        with pytest.raises(
            InvalidParameterError, match="categorical_encoder=.* is not used.*Leave it as None"
        ):
            cls(categorical_encoder=OrdinalEncoder()).fit_resample(X, y)
    with pytest.raises(DataError, match="list them in categorical_features"):
        SMOTENC(categorical_features=[0]).fit_resample(X, y)  # column 3 holds text


def _onehot(values):
    levels = sorted(set(values))
    return np.array([[v == lv for lv in levels] for v in values], dtype=float)


def _reference_neighbours(num, cat, k):
    """imbalanced-learn's SMOTENC distance, built by hand: numbers plus one-hot * median_std / sqrt(2)."""
    median_std = np.median(np.std(num, axis=0))
    encoded = np.hstack([num, _onehot(cat) * median_std / np.sqrt(2)])
    return NearestNeighbors(n_neighbors=k).fit(encoded).kneighbors()[1], median_std


@pytest.mark.parametrize("embedded", [True, False])
@pytest.mark.parametrize("growth", [10, 120])
def test_searching_only_the_drawn_rows_gives_the_same_output(monkeypatch, embedded, growth):
    # A class grown a little has only the rows its segments start from searched; the
    # neighbours, segments and votes must be those of the search of every row.
    X, y = _mixed(n_major=400, n_minor=200, seed=4)
    X[:, :3] = np.round(X[:, :3].astype(float), 1)  # equal distances: ties broken alike
    if not embedded:
        monkeypatch.setattr(_smotenc, "_EMBEDDING_BYTES", 0)
    searched = []
    original = _smotenc.mixed_neighbors

    def spy(*args, **kwargs):
        searched.append(args[5])
        return original(*args, **kwargs)

    monkeypatch.setattr(_smotenc, "mixed_neighbors", spy)
    strategy = {0: 400, 1: 200 + growth}
    X_res, y_res = SMOTENC(categorical_features=[3], sampling_strategy=strategy,
                           random_state=2).fit_resample(X, y)
    assert searched[0] is not None and searched[0].size < 200
    monkeypatch.setattr(_smote, "_FEW_NEW", -1.0)  # every row searched
    X_all, y_all = SMOTENC(categorical_features=[3], sampling_strategy=strategy,
                           random_state=2).fit_resample(X, y)
    assert searched[1] is None
    np.testing.assert_array_equal(X_res, X_all)
    np.testing.assert_array_equal(y_res, y_all)


@pytest.mark.parametrize("screen_on_access", [True, False])
@pytest.mark.parametrize("n_queries", [None, 700])
def test_embedding_built_on_access_gives_the_stored_embeddings_neighbours(
    screen_on_access, n_queries
):
    # The screened search on rows built as it reads them (the embedding, and with
    # screen_on_access its screening rows) must find exactly what it finds on the stored
    # embedding: every row among all (tiles of the self-search) or a subset of queries.
    rng = np.random.RandomState(3)
    num = np.round(rng.randn(3500, 6), 1).astype(np.float32)  # equal distances
    codes = rng.randint(0, 4, size=(3500, 3)).astype(np.uint8)
    embedding = _smotenc._Embedding(num, codes, [4, 4, 4], penalty=0.7)
    embedding.screen_on_access = screen_on_access
    stored = embedding[:]
    assert stored.shape == (3500, 18) and stored.dtype == np.float32
    np.testing.assert_array_equal(embedding[np.array([5, 1, 5])], stored[[5, 1, 5]])
    # The screening rows hold what the stored copy holds.
    lazy, copied = Points(embedding), Points(stored)
    for key in (np.array([7, 0, 3499]), slice(10, 30), (slice(None), slice(None, -1))):
        np.testing.assert_array_equal(np.asarray(lazy.pair[key]), copied.pair[key])
        np.testing.assert_array_equal(np.asarray(lazy.low[key]), copied.low[key])
    queries = None if n_queries is None else np.sort(rng.choice(3500, n_queries, replace=False))
    built = kneighbors(embedding, 5, query_indices=queries, method="screened")
    np.testing.assert_array_equal(built,
                                  kneighbors(stored, 5, query_indices=queries, method="screened"))


def test_votes_and_block_searches_in_small_pieces_give_the_same_output(monkeypatch):
    # Votes are taken a chunk of new rows at a time and block searches in blocks that
    # follow the number of rows: the draws and the neighbours must not depend on either.
    X, y = _mixed(n_major=300, n_minor=120, seed=5, n_classes=3)
    sign = np.where(X[:, 0].astype(float) > 0, "p", "n")
    X = np.column_stack([X, sign])  # two categorical columns: votes column after column
    X_cat = X[:, 3:]
    monkeypatch.setattr(_smotenc, "_EMBEDDING_BYTES", 0)  # SMOTENC's block search too

    def both():
        return [SMOTEN(random_state=1).fit_resample(X_cat, y),
                SMOTENC(categorical_features=[3, 4], random_state=1).fit_resample(X, y)]

    default = both()
    monkeypatch.setattr(_smotenc, "_VOTE_ROWS", 7)
    monkeypatch.setattr(_neighbors, "_MIN_BLOCK_VALUES", 64)
    monkeypatch.setattr(_neighbors, "_BLOCK_VALUES_PER_QUERY", 1)
    small = both()
    for (X_a, y_a), (X_b, y_b) in zip(default, small, strict=True):
        np.testing.assert_array_equal(X_a, X_b)
        np.testing.assert_array_equal(y_a, y_b)


def test_smoten_peak_memory_stays_near_the_output_size():
    """SMOTEN's output rows are narrow (one value per categorical column), so its block
    distances follow the number of rows (before, fixed 32 MiB blocks and their
    temporaries: 39 outputs here), its votes are taken a chunk of rows at a time and
    its new columns decoded as the output is written."""
    rng = np.random.RandomState(0)
    n = 20_000
    y = (rng.rand(n) < 0.1).astype(int)
    X = (rng.randint(0, 10, size=(n, 5)) + y[:, None]).astype(np.float64)
    peak, X_res, y_res = _peak_of_one_call(SMOTEN(random_state=0), X, y)
    output = X_res.nbytes + y_res.nbytes
    assert peak <= 1.5 * output, (peak / 2**20, output / 2**20)


def test_smoten_column_of_many_levels_needs_no_table_of_level_pairs(monkeypatch):
    """A column of thousands of levels (an identifier, a zip code) would need a table of
    8 * levels**2 bytes (200 MB here, 80 GB at 100k levels): its distances come from the
    levels' class profiles instead, with the same rows out."""
    rng = np.random.RandomState(0)
    n = 5_000
    y = (rng.rand(n) < 0.2).astype(int)
    X = np.column_stack([rng.permutation(n), rng.randint(0, 3, n) + y]).astype(np.int64)
    peak, X_res, y_res = _peak_of_one_call(SMOTEN(random_state=0), X, y)
    assert peak < 8 * n**2 / 20, peak / 2**20  # a small share of the table
    monkeypatch.setattr(_smotenc, "_VDM_TABLE_LEVELS", 10**9)  # every feature by its table
    X_table, y_table = SMOTEN(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X_table)
    np.testing.assert_array_equal(y_res, y_table)


def test_smotenc_column_of_many_levels_is_compared_code_by_code(monkeypatch):
    """A categorical column of thousands of levels is compared code by code rather than
    through a one-hot embedding as wide as its levels (at 100k rows with a 10k-level
    column: 262 s and 3 GB before, 0.7 s and 33 MB after), with the same rows out."""
    rng = np.random.RandomState(0)
    y = rng.permutation(np.repeat([0, 1], [3000, 1500]))
    X = np.empty((y.size, 4), dtype=object)
    X[:, :3] = rng.randn(y.size, 3) + y[:, None]
    X[:, 3] = rng.permutation(y.size).astype(str)  # an identifier: 4,500 levels
    sampler = SMOTENC(categorical_features=[3], random_state=0)
    peak, X_res, y_res = _peak_of_one_call(sampler, X, y)
    embedding = 1500 * (3 + 4500) * 8  # the minority class's one-hot embedding
    assert peak < embedding / 4, peak / 2**20
    monkeypatch.setattr(_smotenc, "_ONE_HOT_WIDTH", 10**9)  # through the embedding
    X_embedded, y_embedded = SMOTENC(categorical_features=[3], random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X_embedded)
    np.testing.assert_array_equal(y_res, y_embedded)


def _peak_of_one_call(sampler, X, y):
    """Peak traced memory of one ``fit_resample`` (after a first call on a few rows),
    and its output."""
    sampler.fit_resample(X[:200], y[:200])  # first-call set-up out of the measure
    peak, (X_res, y_res) = traced_peak(lambda: sampler.fit_resample(X, y))
    return peak, X_res, y_res


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_same_numeric_values_as_imblearn(seed):
    X, y = _mixed(seed=seed)
    n = y.size
    ours = SMOTENC(categorical_features=[3], random_state=seed)
    X_res, y_res = ours.fit_resample(X, y)
    theirs = imblearn_over.SMOTENC(categorical_features=[3], random_state=seed)
    X_ref, y_ref = theirs.fit_resample(X, y)
    np.testing.assert_array_equal(y_res, y_ref)
    np.testing.assert_array_equal(X_res[:n], X)
    # Same neighbours and the same draws: the numeric columns are identical.
    np.testing.assert_allclose(
        X_res[n:, :3].astype(float), X_ref[n:, :3].astype(float), rtol=1e-12, atol=1e-12
    )
    assert ours.median_std_[1] == pytest.approx(theirs.median_std_[1])
    # Categories agree wherever the neighbours' vote has a single winner (ties are drawn at
    # random, from different random streams).
    members = np.flatnonzero(y == 1)
    nn, _ = _reference_neighbours(X[members, :3].astype(float), X[members, 3], 5)
    weights = SMOTENC(categorical_features=[3], random_state=seed)
    weights.fit_resample(X, y, sample_weight=np.arange(n))
    origin = weights.sample_weight_[n:].astype(int)
    position = {row: i for i, row in enumerate(members)}
    unique_winner = 0
    for i, o in enumerate(origin):
        top = Counter(X[members[nn[position[o]]], 3]).most_common()
        if len(top) == 1 or top[0][1] > top[1][1]:
            unique_winner += 1
            assert X_res[n + i, 3] == X_ref[n + i, 3] == top[0][0]
    assert unique_winner > 0.5 * origin.size


@pytest.mark.parametrize("k", [3, 5])
def test_categories_are_the_neighbours_vote_and_numbers_on_segments(k):
    X, y = _mixed(n_classes=3, seed=5)
    n = y.size
    sampler = SMOTENC(categorical_features=[3], k_neighbors=k, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y, sample_weight=np.arange(n))
    origin = sampler.sample_weight_[n:].astype(int)
    for label in (1, 2):
        members = np.flatnonzero(y == label)
        num, cat = X[members, :3].astype(float), X[members, 3]
        nn, median_std = _reference_neighbours(num, cat, k)
        assert sampler.median_std_[label] == pytest.approx(median_std)
        position = {row: i for i, row in enumerate(members)}
        new = np.flatnonzero(y_res[n:] == label)
        assert new.size == sampler.sampling_strategy_[label] - members.size
        for i in new:
            o = position[origin[i]]
            votes = Counter(cat[nn[o]])
            best = max(votes.values())
            assert X_res[n + i, 3] in {c for c, v in votes.items() if v == best}
            s, x = X_res[n + i, :3].astype(float), num[o]
            d = num[nn[o]] - x
            u = (d @ (s - x)) / np.einsum("ij,ij->i", d, d)
            residual = np.linalg.norm(x + u[:, None] * d - s, axis=1)
            assert ((residual < 1e-9) & (u >= 0) & (u < 1)).any()


def test_statistically_like_imblearn_on_multiclass():
    X, y = _mixed(n_major=200, n_minor=80, n_classes=3, seed=7)
    n = y.size
    ours, theirs = [], []
    for seed in range(6):
        X_res, y_res = SMOTENC(categorical_features=[3], random_state=seed).fit_resample(X, y)
        X_ref, y_ref = imblearn_over.SMOTENC(
            categorical_features=[3], random_state=seed
        ).fit_resample(X, y)
        ours.append((X_res[n:], y_res[n:]))
        theirs.append((X_ref[n:], y_ref[n:]))
    for label in (1, 2):
        a = np.vstack([x[yy == label] for x, yy in ours])
        b = np.vstack([x[yy == label] for x, yy in theirs])
        assert a.shape == b.shape
        num_a, num_b = a[:, :3].astype(float), b[:, :3].astype(float)
        spread = num_b.std(axis=0)
        np.testing.assert_array_less(np.abs(num_a.mean(axis=0) - num_b.mean(axis=0)), 0.15 * spread)
        np.testing.assert_allclose(num_a.std(axis=0), spread, rtol=0.12)
        for level in ("a", "b", "c"):
            assert abs(np.mean(a[:, 3] == level) - np.mean(b[:, 3] == level)) < 0.05, (label, level)


def test_integer_columns_rounded_and_categories_kept():
    pd = pytest.importorskip("pandas")
    X, y = _frame(pd)
    X_res, _ = SMOTENC(random_state=3).fit_resample(X, y)
    assert X_res["count"].dtype == np.int64
    assert list(X_res["shop"].cat.categories) == ["s1", "s2", "s3", "unused"]
    # The same resampling on a float copy of the column, rounded, gives the integers.
    X_float = X.assign(count=X["count"].astype(float))
    X_res_f, _ = SMOTENC(random_state=3).fit_resample(X_float, y)
    np.testing.assert_array_equal(X_res["count"].to_numpy(), np.rint(X_res_f["count"].to_numpy()))
    assert not np.array_equal(X_res_f["count"], np.rint(X_res_f["count"]))  # interpolation happened
    np.testing.assert_array_equal(X_res["amount"], X_res_f["amount"])
    assert set(X_res["city"]) <= {"x", "y"}
    assert set(X_res["tier"]) <= {"gold", "silver"}


def _categorical_table(seed=0, n=300):
    rng = np.random.RandomState(seed)
    y = np.array([0] * (2 * n // 3) + [1] * (n - 2 * n // 3))
    X = np.empty((n, 3), dtype=object)
    X[:, 0] = np.where(
        y == 1,
        rng.choice(list("abc"), n, p=[0.6, 0.3, 0.1]),
        rng.choice(list("abc"), n, p=[0.2, 0.3, 0.5]),
    )
    X[:, 1] = rng.choice(list("wxyz"), n)
    X[:, 2] = np.where(
        y == 1, rng.choice(list("pq"), n, p=[0.8, 0.2]), rng.choice(list("pq"), n, p=[0.3, 0.7])
    )
    return X, y


def test_smoten_warns_about_measurements_taken_as_categories(frame_lib):
    rng = np.random.RandomState(0)
    n = 100
    columns = {"amount": rng.normal(size=n).round(3),  # almost one value per row
               "age": rng.randint(18, 30, n),  # 12 values: categories are plausible
               "shop": rng.choice(["a", "b", "c"], n)}
    y = np.array([0] * 90 + [1] * 10)
    rows = np.array(list(zip(*columns.values(), strict=True)), dtype=object)
    for X in (frame_lib.DataFrame(columns), rows):
        name = "'amount'" if not isinstance(X, np.ndarray) else "0"
        with pytest.warns(BalancekitWarning, match=rf"column\(s\) {name} \(\d+ values\) of 100 "
                                                   r"rows hold numbers.*Use SMOTENC") as caught:
            SMOTEN(random_state=0).fit_resample(X, y)
        assert len(caught) == 1 and caught[0].filename == __file__  # the caller's line
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kept = {name: values for name, values in columns.items() if name != "amount"}
        SMOTEN(random_state=0).fit_resample(frame_lib.DataFrame(kept), y)


def test_without_numeric_columns_it_is_smoten(frame_lib):
    X, y = _categorical_table(n=90)
    X_nc, y_nc = SMOTENC(categorical_features=[0, 1, 2], random_state=4).fit_resample(X, y)
    X_n, y_n = SMOTEN(random_state=4).fit_resample(X, y)
    np.testing.assert_array_equal(X_nc, X_n)
    np.testing.assert_array_equal(y_nc, y_n)
    assert X_nc.shape[0] > X.shape[0]
    frame = frame_lib.DataFrame({f"c{j}": X[:, j].astype(str) for j in range(3)})
    F_nc, _ = SMOTENC(random_state=4).fit_resample(frame, y)
    F_n, _ = SMOTEN(random_state=4).fit_resample(frame, y)
    _same(F_nc, F_n)
    _same(F_nc, X_n)


@pytest.mark.parametrize("no_categories", [[], np.zeros(4, dtype=bool)])
def test_without_categorical_columns_it_is_smote(no_categories):
    X, y = _mixed(n_classes=3)
    X = np.hstack([X[:, :3].astype(float), np.random.RandomState(0).randn(y.size, 1)])
    X_nc, y_nc = SMOTENC(categorical_features=no_categories, random_state=6).fit_resample(X, y)
    X_s, y_s = SMOTE(random_state=6).fit_resample(X, y)
    np.testing.assert_allclose(X_nc.astype(float), X_s, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(y_nc, y_s)


def test_missing_categories_allowed_missing_numbers_rejected(frame_lib):
    X, y = _frame(frame_lib)
    city = ["x", None, "y"] * 20
    if frame_lib.__name__ == "pandas":
        # Inferred text: the str dtype on pandas 3, object on pandas 2 (both with None).
        X_missing = X.assign(city=frame_lib.Series(city, index=X.index))
    else:
        X_missing = X.with_columns(frame_lib.Series("city", city, dtype=frame_lib.String))
    # Make the missing value frequent in the minority class so it is drawn.
    X_res, y_res = SMOTENC(random_state=0).fit_resample(X_missing, y)
    values = (
        X_res["city"].to_list() if hasattr(X_res["city"], "to_list") else X_res["city"].tolist()
    )
    assert len(values) == len(y_res) > len(y)
    kept = {"x", "y"}
    assert all(v in kept or v is None or v != v for v in values)
    assert any(v is None or v != v for v in values[len(y) :])  # missing is a category of its own

    amount = X["amount"].to_numpy().copy()
    amount[3] = np.nan
    if frame_lib.__name__ == "pandas":
        X_bad = X.assign(amount=amount)
    else:
        X_bad = X.with_columns(frame_lib.Series("amount", amount))
    with pytest.raises(
        DataError, match=r"NaN or infinite values in numeric column\(s\) \['amount'\].*Impute"
    ):
        SMOTENC(random_state=0).fit_resample(X_bad, y)


@pytest.mark.parametrize("values", ["dates", "timestamps", "durations"])
def test_date_columns_are_refused_alike_in_every_table_with_the_way_out(frame_lib, values):
    import datetime

    X, y = _frame(frame_lib)
    days = [datetime.date(2024, 1, 1) + datetime.timedelta(days=i) for i in range(len(y))]
    column = {"dates": days,  # pandas reads Parquet's date32 as objects like these
              "timestamps": [datetime.datetime.combine(d, datetime.time(6)) for d in days],
              "durations": [d - days[0] for d in days]}[values]
    if frame_lib.__name__ == "pandas":
        X_dated = X.assign(seen=frame_lib.Series(column, index=X.index, dtype=object)
                           if values == "dates" else column)
    else:
        X_dated = X.with_columns(frame_lib.Series("seen", column))
    assert _frames.column_kinds(X_dated)["seen"] == "temporal"
    message = r"'seen' holds dates or times.*--drop seen.*days since a start date"
    with pytest.raises(DataError, match="SMOTENC cannot use every column: " + message):
        SMOTENC(random_state=0).fit_resample(X_dated, y)
    # A non-numeric column next to it: both pieces of advice.
    with pytest.raises(DataError, match=message + ".*Use SMOTENC"):
        SMOTE(random_state=0).fit_resample(X_dated, y)
    # Named as categories, they are copied from the neighbours as any category is.
    named = SMOTENC(categorical_features=["shop", "city", "tier", "seen"], random_state=0)
    X_res, _ = named.fit_resample(X_dated, y)
    assert set(list(X_res["seen"])) <= set(column)


def test_missing_values_in_object_arrays():
    X, y = _mixed()
    X[np.flatnonzero(y == 1)[::3], 3] = None
    X_res, _ = SMOTENC(categorical_features=[3], random_state=0).fit_resample(X, y)
    assert set(X_res[:, 3]) <= {"a", "b", "c", None}
    X[0, 1] = np.nan
    with pytest.raises(DataError, match=r"numeric column\(s\) \[1\]"):
        SMOTENC(categorical_features=[3]).fit_resample(X, y)


def test_small_class_warns_and_singleton_errors():
    X, y = _mixed(n_minor=4)
    with pytest.warns(SmallClassWarning, match="k_neighbors=5 needs at least 6 samples of class 1"):
        SMOTENC(categorical_features=[3], random_state=0).fit_resample(X, y)
    X1, y1 = X[:151], y[:151]
    with pytest.raises(DataError, match="k_neighbors=5 needs at least 2 samples of class 1"):
        SMOTENC(categorical_features=[3]).fit_resample(X1, y1)
    with pytest.raises(DataError, match="at least 2 samples"):
        SMOTEN().fit_resample(X1[:, 3:], y1)


def test_smoten_statistically_like_imblearn():
    X, y = _categorical_table()
    n = y.size
    ours, theirs = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for seed in range(5):
            ours.append(SMOTEN(random_state=seed).fit_resample(X, y)[0][n:])
            theirs.append(imblearn_over.SMOTEN(random_state=seed).fit_resample(X, y)[0][n:])
    ours, theirs = np.vstack(ours), np.vstack(theirs)
    assert ours.shape == theirs.shape
    for j in range(X.shape[1]):
        for level in np.unique(X[:, j]):
            assert abs(np.mean(ours[:, j] == level) - np.mean(theirs[:, j] == level)) < 0.05, (
                j,
                level,
            )


def test_smoten_frames_keep_types(frame_lib):
    X, y = _categorical_table(n=60)
    if frame_lib.__name__ == "pandas":
        frame = frame_lib.DataFrame(
            {
                "a": frame_lib.Categorical(X[:, 0], categories=["a", "b", "c", "d"]),
                "b": X[:, 1].astype(str),
                "c": X[:, 2].astype(str),
            }
        )
    else:
        frame = frame_lib.DataFrame(
            {
                "a": frame_lib.Series(X[:, 0].tolist(), dtype=frame_lib.Enum(["a", "b", "c", "d"])),
                "b": frame_lib.Series(X[:, 1].tolist(), dtype=frame_lib.Categorical),
                "c": X[:, 2].tolist(),
            }
        )
    sampler = SMOTEN(random_state=0)
    X_res, y_res = sampler.fit_resample(frame, y)
    assert list(X_res.columns) == ["a", "b", "c"]
    if frame_lib.__name__ == "pandas":
        assert X_res.dtypes.equals(frame.dtypes)
    else:
        assert X_res.schema == frame.schema
    assert Counter(np.asarray(y_res).tolist()) == {0: 40, 1: 40}
    assert [set(lv.tolist()) for lv in sampler.categories_] == [set("abc"), set("wxyz"), set("pq")]


@pytest.mark.parametrize("kind", ["U", "S"])
def test_numpy_text_keeps_its_width_unless_new_numbers_need_more(kind):
    X, y = _categorical_table(n=60)
    text = X.astype(f"{kind}1")
    X_res, _ = SMOTEN(random_state=0).fit_resample(text, y)
    assert X_res.dtype == text.dtype  # categories are taken from X: they fit its width
    assert X_res.shape[0] > text.shape[0]
    # Numbers held as text: the new ones are written in full, copied rows as they were.
    rng = np.random.default_rng(0)
    mixed = np.column_stack([X[:, 0], rng.random(60).round(2)]).astype(f"{kind}4")
    X_res, _ = SMOTENC(categorical_features=[0], random_state=0).fit_resample(mixed, y)
    assert X_res.dtype.kind == kind
    assert np.array_equal(X_res[:60], mixed)
    # As wide as the longest value, which holds every digit: the numbers of a float table.
    assert np.char.str_len(X_res).max() == X_res.dtype.itemsize // np.dtype(f"{kind}1").itemsize
    floats = pd.DataFrame({"c": X[:, 0], "v": mixed[:, 1].astype(np.float64)})
    expected, _ = SMOTENC(categorical_features=[0], random_state=0).fit_resample(floats, y)
    assert np.array_equal(X_res[60:, 1].astype(np.float64), expected["v"].to_numpy()[60:])


@pytest.mark.parametrize("tables", ["level pairs", "class profiles"])
@pytest.mark.parametrize("seed", [0, 1])
def test_vdm_distances_equal_imblearn(monkeypatch, seed, tables):
    if tables == "class profiles":  # as for features of many levels
        monkeypatch.setattr(_smotenc, "_VDM_TABLE_LEVELS", 0)
    rng = np.random.RandomState(seed)
    n = 80
    y = rng.choice([0, 1, 2], size=n, p=[0.5, 0.3, 0.2])
    raw = np.column_stack(
        [rng.choice(list("abcd"), n), rng.choice(list("xy"), n), rng.choice(list("pqrst"), n)]
    )
    encoder = OrdinalEncoder(dtype=np.int32)
    codes = encoder.fit_transform(raw).astype(np.int64)
    n_levels = [len(c) for c in encoder.categories_]
    # One extra level that no row has, on the last feature.
    n_levels[-1] += 1
    tables = vdm_tables(codes, y, n_levels)
    ours = _vdm_block(codes, tables)(0, n, 0, n)
    vdm = imblearn_pairwise.ValueDifferenceMetric(n_categories=n_levels, k=1, r=2).fit(codes, y)
    np.testing.assert_allclose(ours, vdm.pairwise(codes), rtol=1e-12, atol=1e-12)
    # Any block of the matrix, as the block-wise search asks for it.
    np.testing.assert_allclose(
        _vdm_block(codes, tables)(5, 17, 40, 80),
        vdm.pairwise(codes[5:17], codes[40:80]),
        rtol=1e-12,
        atol=1e-12,
    )
    assert (np.diag(ours) == 0).all()


def test_many_categories_keep_their_codes():
    """More levels than a small code type holds: each new row takes its cluster's category."""
    rng = np.random.RandomState(0)
    n_clusters = 150  # minority: pairs of close rows, one category per pair
    centres = np.repeat(np.arange(n_clusters) * 100.0, 2)
    minority = np.column_stack([centres + rng.rand(centres.size) * 0.01,
                                np.repeat(np.arange(n_clusters), 2)])
    majority = np.column_stack([rng.randn(400), 1000 + np.arange(400) % 200])
    X = np.vstack([majority, minority])
    y = np.array([0] * 400 + [1] * minority.shape[0])
    sampler = SMOTENC(categorical_features=[1], k_neighbors=1, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    new = X_res[X.shape[0]:]
    assert new.shape[0] == 100
    # The category is the cluster's (350 levels in all: codes beyond int8).
    np.testing.assert_array_equal(new[:, 1], np.floor(new[:, 0] / 100))


@pytest.mark.parametrize(
    ("n", "minority", "dtype"),
    [(20_000, 0.1, np.float64), (100_000, 0.3, np.float32), (100_000, 0.45, np.float32)],
    ids=["10pct-float64", "30pct-float32", "near-balanced-float32"],
)
def test_peak_memory_stays_near_the_output_size(n, minority, dtype):
    """Peak extra memory stays within 1.5 times the output: the numeric table is not
    copied whole and the new rows are computed column by column as the output is
    written (holding whole-table copies and all new rows took it to 2). A large class
    is searched on its embedding built row by row as the search reads it, and its
    screening rows too when a stored copy would take more than a third of the output
    (with the embedding and its copy stored, 2.2 and 3.2 outputs with a 30% and a 45%
    minority in float32)."""
    rng = np.random.RandomState(0)
    y = (rng.rand(n) < minority).astype(int)
    X = np.hstack([rng.randn(n, 20) + y[:, None], rng.randint(0, 10, size=(n, 5))])
    X = X.astype(dtype)
    sampler = SMOTENC(categorical_features=np.arange(20, 25), random_state=0)
    peak, X_res, y_res = _peak_of_one_call(sampler, X, y)
    output = X_res.nbytes + y_res.nbytes
    assert X_res.shape == (2 * (y == 0).sum(), 25)
    assert peak <= 1.5 * output + 2**18, (peak / 2**20, output / 2**20)


def test_integer_column_names_of_a_pandas_frame():
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(1)
    n = 200
    frame = pd.DataFrame({10: rng.randn(n), 11: rng.randint(0, 100, n),
                          12: pd.Categorical(rng.choice(list("abc"), n))})
    y = np.r_[np.ones(20, int), np.zeros(n - 20, int)]
    by_position, _ = SMOTENC(categorical_features=[2], random_state=0).fit_resample(frame, y)
    auto, _ = SMOTENC(random_state=0).fit_resample(frame, y)
    named = frame.set_axis(["a", "b", "c"], axis=1)
    reference, _ = SMOTENC(categorical_features=["c"], random_state=0).fit_resample(named, y)
    for out in (by_position, auto):
        assert list(out.columns) == [10, 11, 12]
        np.testing.assert_array_equal(out.to_numpy(), reference.to_numpy())
    # An integer is a position, also when a column has that name: the message says where it is.
    with pytest.raises(InvalidParameterError, match="column named 12 is at position 2"):
        SMOTENC(categorical_features=[12]).fit_resample(frame, y)


class _Counted(NearestNeighbors):
    calls = 0

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        type(self).calls += 1
        return super().kneighbors(X, n_neighbors, return_distance)


def test_smotenc_searches_with_the_estimator_given():
    X, y = _mixed(seed=2, n_classes=3)
    X_int, y_int = SMOTENC(categorical_features=[3], random_state=0).fit_resample(X, y)
    _Counted.calls = 0
    X_est, y_est = SMOTENC(categorical_features=[3], k_neighbors=_Counted(n_neighbors=6),
                           random_state=0).fit_resample(X, y)
    assert _Counted.calls >= 2  # two grown classes
    np.testing.assert_array_equal(X_est, X_int)
    np.testing.assert_array_equal(y_est, y_int)
    # Another metric: other neighbours, as imbalanced-learn's with the same estimator (on
    # two classes: the two libraries' random draws part after the first grown class).
    X, y = _mixed(seed=2)
    n = y.size
    X_int, _ = SMOTENC(categorical_features=[3], random_state=0).fit_resample(X, y)
    l1 = NearestNeighbors(n_neighbors=6, metric="manhattan")
    X_l1, _ = SMOTENC(categorical_features=[3], k_neighbors=l1,
                      random_state=0).fit_resample(X, y)
    assert not np.array_equal(X_l1, X_int)
    X_ref, _ = imblearn_over.SMOTENC(categorical_features=[3], k_neighbors=l1,
                                     random_state=0).fit_resample(X, y)
    np.testing.assert_allclose(X_l1[n:, :3].astype(float), X_ref[n:, :3].astype(float),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo"])
@pytest.mark.parametrize("cls", [SMOTEN, SMOTENC])
def test_sparse_rows_are_resampled_as_their_dense_copy(cls, fmt):
    # Refused ("does not support sparse X"), where imbalanced-learn takes them.
    sp = pytest.importorskip("scipy.sparse")
    rng = np.random.RandomState(0)
    X = rng.randint(0, 3, size=(200, 3)).astype(float)
    X[:, 2] += rng.rand(200)  # a numeric column for SMOTENC
    y = (rng.rand(200) < 0.2).astype(int)
    params = {"categorical_features": [0, 1]} if cls is SMOTENC else {}
    sparse = sp.csr_matrix(X).asformat(fmt)
    with pytest.warns(BalancekitWarning, match="made dense"):
        X_sparse, y_sparse = cls(random_state=0, **params).fit_resample(sparse, y)
    X_dense, y_dense = cls(random_state=0, **params).fit_resample(X, y)
    assert X_sparse.format == fmt
    np.testing.assert_array_equal(X_sparse.toarray(), X_dense)
    np.testing.assert_array_equal(y_sparse, y_dense)


def test_smotenc_has_imbalanced_learns_n_features():
    rng = np.random.RandomState(0)
    X = np.c_[rng.randn(60, 2), rng.randint(0, 3, 60)]
    y = np.r_[[0] * 45, [1] * 15]
    sampler = SMOTENC([2], random_state=0)
    assert not hasattr(sampler, "n_features_")
    sampler.fit_resample(X, y)
    assert sampler.n_features_ == sampler.n_features_in_ == 3


def _frame_with_number_objects():

    rng = np.random.RandomState(0)
    y = np.repeat([0, 1], [120, 30])
    X = pd.DataFrame({"cat": rng.choice(["a", "b"], y.size),
                      "amount": rng.randn(y.size) + y,
                      "score": rng.randn(y.size) * 3})
    as_objects = X.assign(amount=X["amount"].astype(object))
    return X, as_objects, y


@pytest.mark.parametrize("categorical_features", ["auto", [0], ["cat"], [True, False, False]])
def test_object_columns_of_numbers_are_numeric_as_float_columns(categorical_features):
    # A column of floats stored as object (read from JSON, df.astype(object)) is a numeric
    # column, as for every other sampler: interpolated exactly as the same float64 column,
    # and its dtype kept.
    X, as_objects, y = _frame_with_number_objects()
    X_ref, y_ref = SMOTENC(categorical_features, random_state=0).fit_resample(X, y)
    sampler = SMOTENC(categorical_features, random_state=0)
    X_res, y_res = sampler.fit_resample(as_objects, y)
    assert sampler.categorical_features_.tolist() == [0]
    assert X_res["amount"].dtype == object
    np.testing.assert_array_equal(X_res["amount"].astype(float), X_ref["amount"])
    np.testing.assert_array_equal(X_res.drop(columns="amount"), X_ref.drop(columns="amount"))
    np.testing.assert_array_equal(y_res, y_ref)
    # The new values lie between input values, not copies of them.
    new = X_res["amount"].iloc[len(y):].astype(float)
    assert not np.isin(new, X["amount"]).any()


def test_object_columns_of_numbers_read_as_imbalanced_learn_reads_them():
    # imbalanced-learn interpolates the same column: the same number of rows, none copied.
    X, as_objects, y = _frame_with_number_objects()
    X_ref, _ = imblearn_over.SMOTENC(categorical_features=[0], random_state=0).fit_resample(
        as_objects, y)
    X_res, _ = SMOTENC("auto", random_state=0).fit_resample(as_objects, y)
    assert X_res.shape == X_ref.shape
    assert not np.isin(X_res["amount"].iloc[len(y):].astype(float), X["amount"]).any()


@pytest.mark.parametrize("dtype", ["Float64", "Int64", "boolean"])
def test_missing_values_in_nullable_numeric_columns_are_named_as_missing(dtype):
    # pd.NA in a nullable numeric column is a missing value, whatever the column's dtype:
    # the message asks to impute it, and names the column.

    rng = np.random.RandomState(0)
    y = np.repeat([0, 1], [40, 12])
    values = rng.randn(y.size)
    X = pd.DataFrame({"c": rng.choice(["a", "b"], y.size),
                      "v": pd.array(values > 0 if dtype == "boolean" else np.rint(values * 10),
                                    dtype=dtype),
                      "w": rng.randn(y.size)})
    X.loc[3, "v"] = pd.NA
    with pytest.raises(DataError, match=r"NaN or infinite values in numeric column\(s\) \['v'\]"):
        SMOTENC(categorical_features=["c"], random_state=0).fit_resample(X, y)


@pytest.mark.parametrize("make", [lambda: SMOTEN(random_state=0),
                                  lambda: SMOTENC([0], random_state=0)], ids=["SMOTEN", "SMOTENC"])
def test_np_matrix_gets_the_message_of_the_other_samplers(make):
    X = np.random.RandomState(0).randint(0, 3, size=(40, 3)).astype(float)
    y = np.repeat([0, 1], [30, 10])
    with pytest.raises(TypeError, match="np.matrix is not supported") as expected:
        SMOTE(random_state=0).fit_resample(np.matrix(X), y)
    with pytest.raises(TypeError) as got:
        make().fit_resample(np.matrix(X), y)
    assert str(got.value).startswith(str(expected.value).split(" For more")[0].rstrip("."))


def test_numeric_values_whose_squares_overflow_are_refused_by_name():
    # Distances and class spreads square the differences: at 1e300 they overflow, and the
    # neighbours (and the new rows) came from infinite distances, with a RuntimeWarning.

    rng = np.random.RandomState(0)
    y = np.array([0] * 90 + [1] * 10)
    frame = pd.DataFrame({"amount": rng.normal(1, 0.2, 100) * 1e300,
                          "city": rng.choice(["rome", "oslo"], 100)})
    with pytest.raises(DataError, match=r"values as large as 1\.\d+e\+300.*SMOTENC.*Scale X"):
        SMOTENC(categorical_features=["city"]).fit_resample(frame, y)
    # Just below the bound (two numeric columns): resampled, every new value finite.
    X = np.column_stack([rng.normal(size=100) * 1e150, rng.randint(0, 3, 100)])
    X_res, _ = SMOTENC(categorical_features=[1], random_state=0).fit_resample(X, y)
    assert np.isfinite(X_res).all()
    with pytest.raises(DataError, match=r"about 4\.74e\+153 with 2 features"):
        SMOTENC(categorical_features=[1]).fit_resample(np.column_stack([X[:, 0] * 1e10, X]), y)


def test_auto_finding_no_categorical_column_warns():
    """categorical_features='auto' on numbers (category codes in an array, say) finds no
    categorical column and interpolates the codes as SMOTE does: that is said, not silent."""
    rng = np.random.default_rng(0)
    X = np.c_[rng.normal(size=(40, 2)), rng.integers(0, 3, (40, 1))]
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    with pytest.warns(BalancekitWarning, match=r"'auto' found no categorical column.*as SMOTE"):
        X_res, _ = SMOTENC(categorical_features="auto", random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(X_res, SMOTE(random_state=0).fit_resample(X, y)[0])
    with warnings.catch_warnings():  # named columns, or a table with categories: no warning
        warnings.simplefilter("error", BalancekitWarning)
        SMOTENC(categorical_features=[2], random_state=0).fit_resample(X, y)
        pd = pytest.importorskip("pandas")
        frame = pd.DataFrame(X, columns=["a", "b", "c"]).astype({"c": "category"})
        SMOTENC(categorical_features="auto", random_state=0).fit_resample(frame, y)


def test_a_mask_written_in_integers_is_refused():
    """[1, 0, 0, 0, 0], meant as a mask, was read as the columns 0 and 1: a continuous column
    became a category, without a word."""
    X = np.random.default_rng(0).normal(size=(60, 5))
    X[:, 0] = np.arange(60) % 3
    y = np.array([0] * 45 + [1] * 15)
    with pytest.raises(InvalidParameterError, match=r"holds a 0 or 1 for each column.*must "
                                                    r"hold booleans: \[True, False"):
        SMOTENC(categorical_features=[1, 0, 0, 0, 0]).fit_resample(X, y)
    kept = SMOTENC(categorical_features=[True, False, False, False, False], random_state=0)
    kept.fit_resample(X, y)
    assert kept.categorical_features_.tolist() == [0]
