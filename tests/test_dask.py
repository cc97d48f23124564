"""balancekit.dask: the samplers on dask collections, checked against the in-memory ones."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.datasets import make_classification

from balancekit import over_sampling, under_sampling
from balancekit.exceptions import (
    BalancekitWarning,
    DataError,
    DataTypeError,
    InvalidParameterError,
    InvalidParameterTypeError,
)

dask = pytest.importorskip("dask")
da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")

from balancekit.dask import (  # noqa: E402
    SMOTE,
    SMOTEN,
    SMOTENC,
    NearMiss,
    PartitionSampler,
    RandomOverSampler,
    RandomUnderSampler,
    TomekLinks,
)

# dask's Parquet reader and writer call pandas' deprecated reset_index(inplace=True).
pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword:DeprecationWarning")


def _data(n=1200, weights=(0.85, 0.15), dtype=np.float64, seed=0, n_features=6):
    X, y = make_classification(n_samples=n, n_features=n_features, n_informative=3,
                               n_classes=len(weights), weights=list(weights)[:-1],
                               random_state=seed)
    return X.astype(dtype), y


def _frame(X, y):
    df = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])])
    df["label"] = y
    return df


def _partition_lengths(collection):
    return [len(part) for part in dask.compute(*collection.to_delayed().ravel()
                                                if isinstance(collection, da.Array)
                                                else collection.to_delayed())]


# --- SMOTE and SMOTENC: the rows of the in-memory samplers --------------------------------


@pytest.mark.parametrize("chunks", [1200, 500, 97])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_smote_appends_the_rows_of_in_memory_smote(chunks, dtype):
    X, y = _data(dtype=dtype)
    X_mem, y_mem = over_sampling.SMOTE(random_state=3).fit_resample(X, y)
    X_res, y_res = SMOTE(random_state=3).fit_resample(da.from_array(X, chunks=(chunks, 3)),
                                                      da.from_array(y, chunks=chunks))
    X_res, y_res = dask.compute(X_res, y_res)
    assert X_res.dtype == dtype
    np.testing.assert_array_equal(X_res, X_mem)
    np.testing.assert_array_equal(y_res, y_mem)


def test_smote_on_three_classes_with_a_dict_strategy():
    X, y = _data(n=1500, weights=(0.7, 0.2, 0.1))
    strategy = {1: 600, 2: 400}
    X_mem, y_mem = over_sampling.SMOTE(sampling_strategy=strategy, k_neighbors=3,
                                       random_state=0).fit_resample(X, y)
    sampler = SMOTE(sampling_strategy=strategy, k_neighbors=3, random_state=0)
    X_res, y_res = sampler.fit_resample(da.from_array(X, chunks=400), da.from_array(y, chunks=400))
    X_res, y_res = dask.compute(X_res, y_res)
    np.testing.assert_array_equal(X_res, X_mem)
    np.testing.assert_array_equal(y_res, y_mem)
    assert sampler.sampling_strategy_ == {1: 600, 2: 400}


_INDEXES = {
    "named": lambda n: pd.Index(np.arange(n) * 10, name="row_id"),
    "dates": lambda n: pd.date_range("2020-01-01", periods=n, freq="D"),
    "text": lambda n: pd.Index([f"id{i}" for i in range(n)], name="key"),
}


def _indexed_frame(index):
    X, y = _data(n=600)
    df = _frame(X, y).set_axis(_INDEXES[index](len(y)), axis=0)
    return df, dd.from_pandas(df, npartitions=4, sort=False)


def _check_meta(collection, computed):
    """The index a dask result declares is the one its partitions have."""
    assert collection._meta.index.dtype == computed.index.dtype
    assert collection._meta.index.name == computed.index.name


@pytest.mark.parametrize("index", sorted(_INDEXES))
@pytest.mark.parametrize("sampler", ["SMOTE", "ADASYN", "BorderlineSMOTE"])
def test_new_rows_give_the_in_memory_fresh_index_and_the_index_they_declare(
        index, sampler, tmp_path):
    from balancekit import dask as bk_dask

    df, ddf = _indexed_frame(index)
    X_res, y_res = getattr(bk_dask, sampler)(random_state=1).fit_resample(
        ddf.drop(columns="label"), ddf["label"])
    assert isinstance(X_res, dd.DataFrame) and isinstance(y_res, dd.Series)
    assert _partition_lengths(X_res) == _partition_lengths(y_res)
    X_out, y_out = dask.compute(X_res, y_res)
    X_mem, y_mem = getattr(over_sampling, sampler)(random_state=1).fit_resample(
        df.drop(columns="label"), df["label"])
    # As in memory: every row, the input ones too, indexed by its position in the output.
    pd.testing.assert_frame_equal(X_out, X_mem, check_index_type=False)
    pd.testing.assert_series_equal(y_out, y_mem, check_index_type=False)
    _check_meta(X_res, X_out)
    _check_meta(y_res, y_out)
    X_res.to_parquet(tmp_path / "out")
    back = pd.read_parquet(tmp_path / "out")
    np.testing.assert_array_equal(back.to_numpy(), X_mem.to_numpy())
    np.testing.assert_array_equal(back.index, X_mem.index)


@pytest.mark.parametrize("index", sorted(_INDEXES))
def test_rows_kept_keep_their_index_and_y_takes_the_index_of_x(index):
    df, ddf = _indexed_frame(index)
    # y under an index of its own: as in memory, the result's y takes X's index.
    y = dd.from_pandas(df["label"].reset_index(drop=True) + 0, npartitions=4, sort=False)
    X = ddf.drop(columns="label")
    for sampler in (RandomUnderSampler(random_state=0), RandomOverSampler(random_state=0),
                    TomekLinks(), NearMiss()):
        X_res, y_res = sampler.fit_resample(X, y)
        X_out, y_out = dask.compute(X_res, y_res)
        assert y_out.index.equals(X_out.index)
        assert set(X_out.index) <= set(df.index)
        _check_meta(X_res, X_out)
        _check_meta(y_res, y_out)
        # (dask stores a text index as Arrow strings)
        pd.testing.assert_frame_equal(X_out, df.loc[X_out.index].drop(columns="label"),
                                      check_index_type=False)
        np.testing.assert_array_equal(y_out.to_numpy(), df.loc[X_out.index, "label"])


@pytest.mark.parametrize("index", sorted(_INDEXES))
def test_smoothed_copies_give_a_fresh_index_to_every_row(index):
    df, ddf = _indexed_frame(index)
    X_res, y_res = RandomOverSampler(shrinkage=1.0, random_state=0).fit_resample(
        ddf.drop(columns="label"), ddf["label"])
    X_out, y_out = dask.compute(X_res, y_res)
    pd.testing.assert_index_equal(X_out.index, pd.RangeIndex(len(X_out)), exact=False)
    assert y_out.index.equals(X_out.index)
    _check_meta(X_res, X_out)
    _check_meta(y_res, y_out)


@pytest.mark.parametrize("sampler", [over_sampling.SMOTE(k_neighbors=3),
                                     under_sampling.EditedNearestNeighbours()])
def test_partition_sampler_declares_the_index_its_sampler_gives(sampler):
    df, ddf = _indexed_frame("dates")
    X_res, y_res = PartitionSampler(sampler, random_state=0).fit_resample(
        ddf.drop(columns="label"), ddf["label"])
    X_out, y_out = dask.compute(X_res, y_res)
    _check_meta(X_res, X_out)
    _check_meta(y_res, y_out)
    assert y_out.index.equals(X_out.index)


def test_a_one_column_frame_y_stays_a_frame():
    X, y = _data()
    ddf = dd.from_pandas(_frame(X, y), npartitions=3)
    for sampler in (SMOTE(random_state=0), RandomUnderSampler(random_state=0),
                    PartitionSampler(under_sampling.RandomUnderSampler(), random_state=0)):
        _, y_res = sampler.fit_resample(ddf.drop(columns="label"), ddf[["label"]])
        assert isinstance(y_res, dd.DataFrame)
        assert list(y_res.compute().columns) == ["label"]


def test_smote_reads_only_the_rows_of_the_classes_it_grows():
    # A NaN in a majority row: the in-memory SMOTE refuses the whole table, the dask one
    # never reads that row's class into memory, and leaves the row as it was.
    X, y = _data()
    X[np.flatnonzero(y == 0)[5], 2] = np.nan
    X_res, y_res = SMOTE(random_state=0).fit_resample(da.from_array(X, chunks=300),
                                                      da.from_array(y, chunks=300))
    X_res = X_res.compute()
    np.testing.assert_array_equal(X_res[: len(X)], X)
    assert np.isfinite(X_res[len(X):]).all()
    with pytest.raises(DataError):
        over_sampling.SMOTE(random_state=0).fit_resample(X, y)
    X[np.flatnonzero(y == 1)[5], 2] = np.nan
    with pytest.raises(DataError, match="NaN|missing"):
        SMOTE(random_state=0).fit_resample(da.from_array(X, chunks=300),
                                           da.from_array(y, chunks=300))


def test_smote_with_nothing_to_grow_gives_the_data_back():
    X, y = _data(weights=(0.5, 0.5))
    counts = np.bincount(y)
    Xd, yd = da.from_array(X, chunks=500), da.from_array(y, chunks=500)
    X_res, y_res = SMOTE(sampling_strategy={0: counts[0], 1: counts[1]}).fit_resample(Xd, yd)
    assert X_res is Xd and y_res is yd


def test_smotenc_appends_the_rows_of_in_memory_smotenc():
    X, y = _data(n=900)
    df = pd.DataFrame(X[:, :4], columns=list("abcd"))
    rng = np.random.RandomState(0)
    df["colour"] = pd.Categorical(rng.choice(["red", "green", "blue"], len(df)))
    df["size"] = rng.choice(["s", "m", "l", "xl"], len(df)).astype(object)
    ddf = dd.from_pandas(df, npartitions=3)
    yd = dd.from_pandas(pd.Series(y, name="y"), npartitions=3)
    sampler = SMOTENC(categorical_features=["colour", "size"], random_state=4)
    X_res, y_res = dask.compute(*sampler.fit_resample(ddf, yd))
    # dask may hold text columns in another dtype than pandas: the table as dask holds it.
    X_mem, y_mem = over_sampling.SMOTENC(categorical_features=["colour", "size"],
                                         random_state=4).fit_resample(ddf.compute(),
                                                                      pd.Series(y, name="y"))
    pd.testing.assert_frame_equal(X_res.reset_index(drop=True), X_mem.reset_index(drop=True))
    np.testing.assert_array_equal(y_res.to_numpy(), y_mem.to_numpy())
    assert set(sampler.median_std_) == {1}


@pytest.mark.parametrize("name", ["SMOTEN", "SMOTENC"])
@pytest.mark.parametrize("n_classes", [2, 3])
def test_categorical_columns_alone_make_the_rows_of_in_memory_smoten(name, n_classes):
    # The value difference metric reads the classes of every row, across partitions.
    from balancekit import dask as bk_dask

    rng = np.random.RandomState(0)
    n = 1200
    table = pd.DataFrame({"a": rng.choice(list("xyzw"), n),
                          "b": pd.Categorical(rng.choice(["p", "q", None], n)),  # a missing level
                          "c": rng.choice([1, 2, 3, 4, 5], n)})
    y = np.where(rng.rand(n) < 0.15, "rare", "common").astype(object)
    y[(table["a"] == "x").to_numpy() & (rng.rand(n) < 0.5)] = "rare"
    if n_classes == 3:
        y[rng.rand(n) < 0.1] = "third"
    y = pd.Series(y, name="y")
    frame, labels = dd.from_pandas(table, npartitions=4), dd.from_pandas(y, npartitions=4)
    params = {"categorical_features": [0, 1, 2]} if name == "SMOTENC" else {}
    X_res, y_res = dask.compute(*getattr(bk_dask, name)(random_state=3, **params).fit_resample(
        frame, labels))
    X_mem, y_mem = getattr(over_sampling, name)(random_state=3, **params).fit_resample(
        frame.compute(), y)
    pd.testing.assert_frame_equal(X_res.reset_index(drop=True), X_mem.reset_index(drop=True))
    assert y_res.tolist() == y_mem.tolist()


def test_smoten_on_an_array_of_fixed_width_text_makes_the_in_memory_rows():
    rng = np.random.RandomState(0)
    X = rng.choice(["a", "b", "c"], size=(300, 2))  # dtype <U1
    y = (rng.rand(300) < 0.15).astype(int)
    X_mem, y_mem = over_sampling.SMOTEN(random_state=0).fit_resample(X, y)
    X_res, y_res = dask.compute(*SMOTEN(random_state=0).fit_resample(
        da.from_array(X, chunks=100), da.from_array(y, chunks=100)))
    np.testing.assert_array_equal(X_res, X_mem)
    np.testing.assert_array_equal(y_res, y_mem)


# --- random samplers: the counts and draws of the whole data ------------------------------


@pytest.mark.parametrize("strategy", ["auto", 0.5, "all"])
def test_random_under_keeps_the_targets_of_the_whole_data(strategy):
    X, y = _data(n=2000, weights=(0.8, 0.2))
    Xd, yd = da.from_array(X, chunks=(300, 6)), da.from_array(y, chunks=300)
    sampler = RandomUnderSampler(sampling_strategy=strategy, random_state=0)
    X_res, y_res = sampler.fit_resample(Xd, yd)
    # The output's partition lengths are known before anything is computed.
    assert not np.isnan(X_res.shape[0]) and X_res.chunks[0] == y_res.chunks[0]
    X_res, y_res = dask.compute(X_res, y_res)
    expected = under_sampling.RandomUnderSampler(sampling_strategy=strategy).fit(X, y)
    assert sampler.sampling_strategy_ == expected.sampling_strategy_
    counts = dict(zip(*np.unique(y_res, return_counts=True), strict=True))
    for label, n in np.ndenumerate(np.bincount(y)):
        assert counts[label[0]] == sampler.sampling_strategy_.get(label[0], n)
    # Rows of the input, each once, in their input order, with their labels.
    rows = np.array([np.flatnonzero((X == row).all(axis=1))[0] for row in X_res])
    assert np.all(np.diff(rows) > 0)
    np.testing.assert_array_equal(y[rows], y_res)


def test_random_under_draws_from_every_partition_as_a_draw_from_the_whole():
    # 400 majority rows: 300 in the first partition, 100 in the second; 100 kept. A draw
    # from the whole data keeps from the first partition a hypergeometric count (mean 75,
    # variance 100 * 0.75 * 0.25 * 300 / 399 = 14.1); a split in proportion would always
    # keep 75.
    y = np.array([0] * 300 + [1] * 100 + [0] * 100)
    X = np.arange(y.size, dtype=float)[:, None]
    Xd, yd = da.from_array(X, chunks=400), da.from_array(y, chunks=400)
    kept = []
    for seed in range(300):
        X_res, _ = RandomUnderSampler(random_state=seed).fit_resample(Xd, yd)
        kept.append(np.count_nonzero(X_res.compute()[:, 0] < 300))
    kept = np.array(kept)
    assert abs(kept.mean() - 75) < 1.0
    assert 10 < kept.var() < 19


def test_random_under_with_replacement_and_a_dataframe():
    X, y = _data()
    df = _frame(X, y)
    ddf = dd.from_pandas(df, npartitions=5)
    X_res, y_res = RandomUnderSampler(replacement=True, random_state=2).fit_resample(
        ddf.drop(columns="label"), ddf["label"])
    X_res, y_res = dask.compute(X_res, y_res)
    n_min = np.bincount(y).min()
    assert y_res.value_counts().tolist() == [n_min, n_min]
    # Index labels kept: each output row is the input row of its label.
    pd.testing.assert_frame_equal(X_res, df.drop(columns="label").loc[X_res.index])
    assert y_res.index.equals(X_res.index)
    # With replacement, some majority row is drawn twice in 1000 runs of this size.
    assert X_res.index.duplicated().any()


def test_random_under_is_reproducible_and_seeds_matter():
    X, y = _data()
    Xd, yd = da.from_array(X, chunks=250), da.from_array(y, chunks=250)
    first = RandomUnderSampler(random_state=5).fit_resample(Xd, yd)[0].compute()
    again = RandomUnderSampler(random_state=5).fit_resample(Xd, yd)[0].compute()
    other = RandomUnderSampler(random_state=6).fit_resample(Xd, yd)[0].compute()
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_random_over_copies_rows_within_their_partition():
    X, y = _data(n=1000)
    Xd, yd = da.from_array(X, chunks=200), da.from_array(y, chunks=200)
    sampler = RandomOverSampler(random_state=0)
    X_res, y_res = sampler.fit_resample(Xd, yd)
    assert X_res.chunks[0] == y_res.chunks[0]
    n_major = np.bincount(y).max()
    assert np.bincount(y_res.compute()).tolist() == [n_major, n_major]
    start = 0
    for i, (xp, yp) in enumerate(zip(X_res.to_delayed().ravel(), y_res.to_delayed(),
                                     strict=True)):
        xp, yp = dask.compute(xp, yp)
        own = X[200 * i: 200 * (i + 1)]
        own_y = y[200 * i: 200 * (i + 1)]
        np.testing.assert_array_equal(xp[:200], own)  # the partition's rows, then copies
        for row, label in zip(xp[200:], yp[200:], strict=True):
            match = np.flatnonzero((own == row).all(axis=1))
            assert match.size == 1 and own_y[match[0]] == label == 1
        start += len(xp)
    assert start == X_res.shape[0]


def test_random_over_spreads_copies_as_a_draw_from_the_whole():
    # 10 minority rows in the first partition, 30 in the second: 360 copies, of which
    # the first partition makes a binomial count (mean 90, variance 67.5).
    y = np.array([1] * 10 + [0] * 200 + [1] * 30 + [0] * 200)
    X = np.arange(y.size, dtype=float)[:, None]
    Xd, yd = da.from_array(X, chunks=210), da.from_array(y, chunks=210)
    made = []
    for seed in range(200):
        X_res, _ = RandomOverSampler(random_state=seed).fit_resample(Xd, yd)
        made.append(X_res.chunks[0][0] - 210)
    made = np.array(made)
    assert abs(made.mean() - 90) < 2
    assert 50 < made.var() < 88


def test_random_over_shrinkage_adds_the_noise_of_the_in_memory_sampler():
    # 2,000 rare rows grown to 18,000: each copy moves by noise of the in-memory scale
    # (shrinkage * smoothing * the class's std, over the whole data), so the new rows'
    # variance is the class's variance plus the scale squared, feature by feature.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(20_000, 3)) * np.array([1.0, 3.0, 0.5])
    y = np.array([0] * 18_000 + [1] * 2_000)
    rng.shuffle(y)
    sampler = RandomOverSampler(shrinkage=2.0, random_state=0)
    X_res, y_res = dask.compute(*sampler.fit_resample(da.from_array(X, chunks=3000),
                                                      da.from_array(y, chunks=3000)))
    assert np.bincount(y_res).tolist() == [18_000, 18_000] and sampler.shrinkage_ == {1: 2.0}
    smoothing = (4 / (5 * 20_000)) ** (1 / 7)
    scale = 2.0 * smoothing * X[y == 1].std(axis=0)
    original, rare = X[y == 1], X_res[y_res == 1]
    # The rare rows are the 2,000 originals and 16,000 new ones, none a copy.
    new = rare[~(rare[:, None, 0] == original[None, :, 0]).any(axis=1)]
    assert len(new) == 16_000
    expected = np.sqrt(original.var(axis=0) + scale**2)
    np.testing.assert_allclose(new.std(axis=0), expected, rtol=0.03)
    assert (np.abs(new.mean(axis=0) - original.mean(axis=0)) < 0.05 * expected).all()
    again = RandomOverSampler(shrinkage=2.0, random_state=0).fit_resample(
        da.from_array(X, chunks=3000), da.from_array(y, chunks=3000))[0].compute()
    np.testing.assert_array_equal(again, X_res)


def test_random_over_shrinkage_rounds_integer_columns_and_refuses_text():
    rng = np.random.RandomState(1)
    table = pd.DataFrame({"count": rng.randint(0, 50, 600), "amount": rng.normal(size=600)})
    y = pd.Series([0] * 500 + [1] * 100, name="y")
    frame, labels = dd.from_pandas(table, npartitions=3), dd.from_pandas(y, npartitions=3)
    X_res, y_res = dask.compute(*RandomOverSampler(shrinkage={1: 1.0}, random_state=0)
                                .fit_resample(frame, labels))
    assert X_res["count"].dtype == table["count"].dtype and len(X_res) == 1000
    assert y_res.tolist().count(1) == 500 and y_res.index.equals(X_res.index)
    with pytest.raises(InvalidParameterError, match="shrinkage"):
        RandomOverSampler(shrinkage={0: 1.0}).fit_resample(frame, labels)
    text = frame.assign(city="rome", day=pd.Timestamp("2024-01-01"))
    # Named at once, from the columns' types, as in memory.
    with pytest.raises(DataError, match="non-numeric column\\(s\\) 'city', 'day'"):
        RandomOverSampler(shrinkage=1.0).fit_resample(text, labels)
    array = da.from_array(np.array([["1.5"], ["x"]] * 300, dtype=object), chunks=200)
    with pytest.raises(DataError, match="not numbers"):
        dask.compute(*RandomOverSampler(shrinkage=1.0).fit_resample(
            array, da.from_array(y.to_numpy(), chunks=200)))


def test_the_labels_are_counted_without_reading_x():
    # X whose every block fails when read: fit_resample must only build the graph.
    def unreadable(block):
        raise RuntimeError("X was read")

    X, y = _data()
    Xd = da.from_array(X, chunks=300).map_blocks(unreadable, dtype=float)
    yd = da.from_array(y, chunks=300)
    for sampler in (RandomUnderSampler(random_state=0), RandomOverSampler(random_state=0)):
        X_res, y_res = sampler.fit_resample(Xd, yd)
        with pytest.raises(RuntimeError, match="X was read"):
            X_res.compute()


def test_string_labels_and_a_callable_strategy_on_the_dask_labels():
    X, y = _data()
    labels = np.where(y == 1, "fraud", "normal").astype(object)
    ddf = dd.from_pandas(_frame(X, labels), npartitions=3)
    seen = []

    def strategy(y_all):
        seen.append(type(y_all))
        return {"fraud": 100}

    sampler = RandomUnderSampler(sampling_strategy=strategy, random_state=0)
    X_res, y_res = sampler.fit_resample(ddf.drop(columns="label"), ddf["label"])
    assert seen == [dd.Series]
    assert y_res.compute().value_counts().to_dict() == {
        "normal": int((labels == "normal").sum()), "fraud": 100}


def test_fit_resolves_the_strategy_and_the_column_names():
    X, y = _data()
    ddf = dd.from_pandas(_frame(X, y), npartitions=2)
    sampler = SMOTE().fit(ddf.drop(columns="label"), ddf["label"])
    n_major = np.bincount(y).max()
    assert sampler.sampling_strategy_ == {1: n_major}
    assert list(sampler.feature_names_in_) == [f"f{j}" for j in range(6)]
    assert sampler.n_features_in_ == 6


# --- bad input -----------------------------------------------------------------------------


def test_data_in_memory_is_refused_with_the_sampler_to_use():
    X, y = _data()
    with pytest.raises(DataTypeError, match=r"dask DataFrame or a 2-D dask Array as X.*"
                                            r"numpy\.ndarray.*balancekit\.over_sampling"):
        SMOTE().fit_resample(X, y)
    with pytest.raises(DataTypeError, match="y as a dask Series"):
        SMOTE().fit_resample(da.from_array(X, chunks=300), y)


def test_partitions_that_do_not_match_are_refused():
    X, y = _data()
    with pytest.raises(DataError, match="X has 1200 rows but y has 1000"):
        RandomUnderSampler().fit_resample(da.from_array(X, chunks=300),
                                          da.from_array(y[:1000], chunks=300))
    ddf = dd.from_pandas(_frame(X, y), npartitions=4)
    with pytest.raises(DataError, match="X has 4 partitions but y has 2"):
        RandomUnderSampler().fit_resample(ddf.drop(columns="label"),
                                          dd.from_pandas(pd.Series(y), npartitions=2))
    # As many partitions, of other lengths: found when the partitions are read.
    other = dd.from_pandas(pd.Series(y), npartitions=4).repartition(
        divisions=[0, 100, 600, 900, 1199])
    X_res, _ = RandomUnderSampler(random_state=0).fit_resample(ddf.drop(columns="label"), other)
    with pytest.raises(DataError, match=r"partition \d: X has \d+ rows but y has \d+ labels"):
        X_res.compute()


def test_arrays_whose_chunks_differ_are_aligned():
    X, y = _data()
    X_res, y_res = RandomOverSampler(random_state=0).fit_resample(
        da.from_array(X, chunks=(300, 2)), da.from_array(y, chunks=170))
    X_res, y_res = dask.compute(X_res, y_res)
    assert len(X_res) == len(y_res) == 2 * np.bincount(y).max()
    # Each partition of X (300 rows) comes first in its output partition, and every output
    # row carries the label of the input row it is.
    np.testing.assert_array_equal(X_res[:300], X[:300])
    rows = np.array([np.flatnonzero((X == row).all(axis=1))[0] for row in X_res])
    np.testing.assert_array_equal(y[rows], y_res)
    assert np.unique(rows).size == len(X)


def test_bad_labels_name_their_partition():
    X, y = _data()
    labels = y.astype(float)
    labels[1000] = np.nan
    with pytest.raises(DataError, match="partition 3 of y"):
        RandomUnderSampler().fit_resample(da.from_array(X, chunks=300),
                                          da.from_array(labels, chunks=300))
    with pytest.raises(DataError, match="y has only one class"):
        RandomUnderSampler().fit_resample(da.from_array(X, chunks=300),
                                          da.from_array(np.zeros(len(y)), chunks=300))


@pytest.mark.parametrize("name, params", [("RandomOverSampler", {"shrinkage": 1.0}),
                                          ("TomekLinks", {}), ("NearMiss", {})])
def test_missing_values_of_nullable_columns_are_called_missing(name, params):
    # pd.NA in a nullable column, in a row of the largest class: the in-memory sampler
    # refuses it as a missing value, and so does the pass over every partition here (numpy
    # cannot make a number of pd.NA, which is not a value that "is not a number").
    X, y = _data(n=600)
    table = _frame(X, y)
    table["f1"] = table["f1"].astype("Float64")
    table.loc[np.flatnonzero(y == 0)[5], "f1"] = pd.NA
    from balancekit import dask as bk_dask

    memory = getattr(over_sampling, name, None) or getattr(under_sampling, name)
    with pytest.raises(DataError, match="NaN"):
        memory(**params).fit_resample(table.drop(columns="label"), table["label"])
    frame = dd.from_pandas(table, npartitions=3)
    with pytest.raises(DataError, match="partition 0 of X holds missing or infinite values"):
        dask.compute(*getattr(bk_dask, name)(**params).fit_resample(frame.drop(columns="label"),
                                                                      frame["label"]))


def test_sample_weight_and_bad_parameters_are_refused():
    X, y = _data()
    Xd, yd = da.from_array(X, chunks=300), da.from_array(y, chunks=300)
    with pytest.raises(InvalidParameterError, match="sample_weight"):
        SMOTE().fit_resample(Xd, yd, sample_weight=np.ones(len(y)))
    with pytest.raises(InvalidParameterTypeError, match="replacement"):
        RandomUnderSampler(replacement="yes").fit_resample(Xd, yd)
    with pytest.raises(InvalidParameterError, match="random_state"):
        RandomUnderSampler(random_state="x").fit_resample(Xd, yd)
    with pytest.raises(InvalidParameterError, match="sampling_strategy"):
        SMOTE(sampling_strategy="majority").fit_resample(Xd, yd)


# --- any sampler, partition by partition --------------------------------------------------


def test_partition_sampler_resamples_each_partition_on_its_own():
    X, y = _data(n=1600)
    Xd, yd = da.from_array(X, chunks=400), da.from_array(y, chunks=400)
    X_res, y_res = PartitionSampler(under_sampling.EditedNearestNeighbours()).fit_resample(Xd, yd)
    X_res, y_res = dask.compute(X_res, y_res)
    expected = [under_sampling.EditedNearestNeighbours().fit_resample(X[i:i + 400], y[i:i + 400])
                for i in range(0, 1600, 400)]
    np.testing.assert_array_equal(X_res, np.concatenate([e[0] for e in expected]))
    np.testing.assert_array_equal(y_res, np.concatenate([e[1] for e in expected]))


def test_partition_sampler_seeds_each_partition_from_its_random_state():
    X, y = _data()
    ddf = dd.from_pandas(_frame(X, y), npartitions=3)
    args = ddf.drop(columns="label"), ddf["label"]
    runs = [dask.compute(*PartitionSampler(over_sampling.SMOTE(random_state=0),
                                           random_state=seed).fit_resample(*args))[0]
            for seed in (1, 1, 2)]
    pd.testing.assert_frame_equal(runs[0], runs[1])
    assert not runs[0].equals(runs[2])
    # Each partition is grown to its own balance.
    parts = dask.compute(*PartitionSampler(over_sampling.SMOTE(), random_state=1).fit_resample(
        *args)[1].to_delayed())
    for part in parts:
        counts = part.value_counts()
        assert counts.nunique() == 1


@pytest.mark.parametrize("sampler", [under_sampling.RandomUnderSampler(),
                                     under_sampling.EditedNearestNeighbours(),
                                     over_sampling.SMOTE()])
def test_partition_sampler_gives_empty_partitions_back_empty(sampler):
    # A filter empties some partitions: they have nothing to resample, and the others are
    # resampled as the sampler resamples them in memory.
    X, y = _data(n=600)
    table = _frame(X, y).sort_values("f0").reset_index(drop=True)
    frame = dd.from_pandas(table, npartitions=6)
    kept = frame[frame["f0"] > table["f0"].median()]
    X_res, y_res = PartitionSampler(sampler, random_state=0).fit_resample(
        kept.drop(columns="label"), kept["label"])
    x_parts = dask.compute(*X_res.to_delayed())
    assert [len(part) for part in x_parts[:3]] == [0, 0, 0]
    seeds = np.random.RandomState(0).randint(0, 2**32, size=6, dtype=np.int64)
    for part, seed, start in zip(x_parts[3:], seeds[3:], (300, 400, 500), strict=True):
        rows = table.iloc[start:start + 100]
        memory = clone(sampler)
        if "random_state" in memory.get_params():
            memory.set_params(random_state=int(seed))
        X_mem, _ = memory.fit_resample(rows.drop(columns="label"), rows["label"])
        np.testing.assert_array_equal(part.to_numpy(), X_mem.to_numpy())
    assert len(y_res.compute()) == sum(len(part) for part in x_parts)


def test_partition_sampler_errors_name_the_partition():
    y = np.array([0] * 300 + [0] * 250 + [1] * 50)
    X = np.random.RandomState(0).normal(size=(600, 3))
    X_res, _ = PartitionSampler(under_sampling.RandomUnderSampler()).fit_resample(
        da.from_array(X, chunks=300), da.from_array(y, chunks=300))
    with pytest.raises(DataError, match="partition 0: y has only one class"):
        X_res.compute()
    with pytest.raises(InvalidParameterTypeError, match="sampler must be a sampler"):
        PartitionSampler(object()).fit_resample(da.from_array(X, chunks=300),
                                                da.from_array(y, chunks=300))


def test_classes_beyond_the_exact_draw_are_refused_without_replacement(monkeypatch):
    from balancekit.dask import _random

    monkeypatch.setattr(_random, "_HYPERGEOMETRIC_LIMIT", 500)
    X, y = _data()
    Xd, yd = da.from_array(X, chunks=300), da.from_array(y, chunks=300)
    with pytest.raises(DataError, match="class 0 has 1,0\\d\\d rows.*replacement=True"):
        RandomUnderSampler().fit_resample(Xd, yd)
    X_res, y_res = RandomUnderSampler(replacement=True, random_state=0).fit_resample(Xd, yd)
    assert np.bincount(y_res.compute()).tolist() == [np.bincount(y).min()] * 2


# --- the command line: balancekit resample --dask -------------------------------------------


def _parquet_dir(path, table, n_files=3):
    path.mkdir()
    for i, part in enumerate(np.array_split(np.arange(len(table)), n_files)):
        table.iloc[part].to_parquet(path / f"part-{i}.parquet", index=False)
    return path


def _cli_table(n=900, seed=0):
    X, y = _data(n=n, seed=seed, n_features=5)
    X = X[:, :4]
    table = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    table.insert(2, "label", np.where(y == 1, "fraud", "ok"))
    table["city"] = np.random.RandomState(seed).choice(["rome", "oslo"], n)
    return table


def test_cli_random_under_with_dask_writes_parquet_parts(tmp_path):
    from .test_cli import assert_ok, invoke

    table = _cli_table()
    data = _parquet_dir(tmp_path / "data", table)
    out = tmp_path / "out.parquet"
    result = invoke("resample", data, "-t", "label", "-m", "random_under", "-o", out, "--dask")
    assert_ok(result)
    n_fraud = int((table["label"] == "fraud").sum())
    assert f"ok: {len(table) - n_fraud:,} -> {n_fraud:,}" in result.stderr
    written = pd.read_parquet(out)
    assert list(written.columns) == list(table.columns)  # the label at its place
    assert written["label"].value_counts().to_dict() == {"fraud": n_fraud, "ok": n_fraud}
    # Every written row is a row of the input, once.
    merged = written.astype({"label": object, "city": object}).merge(
        table, how="left", indicator=True)
    assert (merged["_merge"] == "both").all() and len(merged) == len(written)
    assert not written.duplicated().any()


def test_cli_smote_with_dask_writes_the_rows_of_the_command_without_it(tmp_path):
    from .test_cli import assert_ok, invoke

    table = _cli_table().drop(columns="city")
    data = tmp_path / "data.parquet"
    table.to_parquet(data, index=False)
    dask_out, memory_out = tmp_path / "dask.parquet", tmp_path / "memory.parquet"
    for out, extra in ((dask_out, ["--dask"]), (memory_out, [])):
        assert_ok(invoke("resample", data, "-t", "label", "-m", "smote", "-o", out,
                         "--seed", "3", "-p", "k_neighbors=4", *extra))
    from_dask, from_memory = pd.read_parquet(dask_out), pd.read_parquet(memory_out)
    np.testing.assert_array_equal(from_dask.drop(columns="label").to_numpy(),
                                  from_memory.drop(columns="label").to_numpy())
    assert from_dask["label"].tolist() == from_memory["label"].tolist()


def test_cli_dask_output_is_replaced_only_with_force_and_never_a_foreign_directory(tmp_path):
    from .test_cli import assert_error, assert_ok, invoke

    data = tmp_path / "data.parquet"
    _cli_table().to_parquet(data, index=False)
    out = tmp_path / "out.parquet"
    args = ["resample", data, "-t", "label", "-m", "random_over", "-o", out, "--dask"]
    assert_ok(invoke(*args))
    first = pd.read_parquet(out)
    assert_error(invoke(*args), 1, "already exists", "--force")
    assert_ok(invoke(*args, "--seed", "9", "--force"))
    assert not pd.read_parquet(out).equals(first)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    foreign = tmp_path / "notes.parquet"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    assert_error(invoke(*args[:-2], foreign, "--dask", "--force"), 1, "other files than Parquet")
    assert (foreign / "notes.txt").read_text() == "keep me"


def test_cli_dask_refuses_what_it_cannot_do(tmp_path):
    from .test_cli import assert_error, invoke

    table = _cli_table()
    data = tmp_path / "data.parquet"
    table.to_parquet(data, index=False)
    csv = tmp_path / "data.csv"
    table.to_csv(csv, index=False)
    out = tmp_path / "out.parquet"
    base = ["-t", "label", "-o", out, "--dask"]
    assert_error(invoke("resample", data, "-m", "edited_nearest_neighbours", *base), 2,
                 "'--method'",
                 "random_under, random_over, smote, smotenc, smoten, adasyn, "
                 "borderline_smote, tomek_links, near_miss")
    assert_error(invoke("resample", csv, "-m", "smote", *base), 2, "must be Parquet")
    assert_error(invoke("resample", data, "-m", "smote", "-t", "label", "-o",
                        tmp_path / "out.csv", "--dask"), 2, "must be Parquet",
                 "directory of Parquet parts")
    assert_error(invoke("resample", data, "-m", "smote", "-t", "lable", "-o", out, "--dask"),
                 2, "did you mean 'label'")
    # A text column: the message of SMOTE itself.
    assert_error(invoke("resample", data, "-m", "smote", *base), 1, "'city'", "SMOTENC")
    assert not out.exists()


@pytest.mark.parametrize("change", ["extra column", "missing column", "other type"])
def test_cli_dask_refuses_files_that_differ(tmp_path, change):
    from .test_cli import assert_error, invoke

    table = _cli_table()
    data = _parquet_dir(tmp_path / "data", table.iloc[:450])
    other = table.iloc[450:]
    other = {"extra column": other.assign(e=1.0), "missing column": other.drop(columns="d"),
             "other type": other.assign(label=np.where(other["label"] == "ok", 0, 1))}[change]
    other.to_parquet(data / "part-9.parquet", index=False)
    out = tmp_path / "out.parquet"
    for command in (["resample", data, "-m", "random_over", "-o", out], ["inspect", data]):
        assert_error(invoke(*command, "-t", "label", "--dask"), 1,
                     f"the Parquet files of '{data}' differ", "part-9.parquet")
    assert not out.exists()


def _typed_table(n=600):
    """A table as pyarrow writes one: decimals, integers with gaps, dictionary-encoded text,
    zoned times, text, and a named index stored by pandas."""
    import decimal

    import pyarrow as pa

    rng = np.random.RandomState(0)
    label = np.where(rng.rand(n) < 0.1, "fraud", "ok")
    frame = pd.DataFrame({"x": rng.normal(size=n), "label": label},
                         index=pd.Index(np.arange(n) * 7, name="customer"))
    arrow = pa.Table.from_pandas(frame)
    extra = {
        "amount": pa.array([decimal.Decimal(f"{v:.2f}") for v in rng.normal(100, 10, n)],
                           pa.decimal128(7, 2)),
        "visits": pa.array([None if i % 17 == 0 else i for i in range(n)], pa.int64()),
        "seen": pa.array(pd.date_range("2024-01-01", periods=n, freq="h", tz="UTC")),
        "kind": pa.array(rng.choice(["web", "shop"], n)).dictionary_encode(),
        "note": pa.array(rng.choice(["a", "b"], n)),
    }
    for name, column in extra.items():
        arrow = arrow.add_column(1, name, column)
    return arrow


def test_cli_dask_reads_and_writes_the_types_the_command_without_it_does(tmp_path):
    import pyarrow.parquet as pq

    from .test_cli import assert_ok, invoke

    data = tmp_path / "data.parquet"
    pq.write_table(_typed_table(), data, row_group_size=100)
    dask_out, memory_out = tmp_path / "dask.parquet", tmp_path / "memory.parquet"
    for out, extra in ((dask_out, ["--dask"]), (memory_out, [])):
        assert_ok(invoke("resample", data, "-t", "label", "-m", "random_over", "-o", out,
                         "--seed", "0", *extra))
    from_dask, from_memory = pd.read_parquet(dask_out), pd.read_parquet(memory_out)
    # The same Arrow types, the same pandas dtypes, the stored index back as the index.
    schema = pq.read_schema(data)
    for part in sorted(dask_out.iterdir()):
        assert pq.read_schema(part).remove_metadata().equals(schema.remove_metadata())
    assert from_dask.index.name == from_memory.index.name == "customer"
    assert from_dask.dtypes.to_dict() == from_memory.dtypes.to_dict()
    assert len(from_dask) == len(from_memory)
    # Every row is a row of the input (the random copies differ from those in memory).
    source = pd.read_parquet(data).astype({"visits": "Int64"})  # gaps: nullable, not floats
    pd.testing.assert_frame_equal(from_dask, source.loc[from_dask.index])
    inspected = [invoke("inspect", data, "-t", "label", "--json", *extra).stdout
                 for extra in ([], ["--dask"])]
    assert inspected[0] == inspected[1] and '"columns": 8' in inspected[0]


def test_cli_dask_reads_runs_of_row_groups_as_partitions(tmp_path, monkeypatch):
    from balancekit import _dask_io

    from .test_cli import assert_ok, invoke

    table = _cli_table(n=1200).drop(columns="city").set_axis(
        pd.Index(np.arange(1200) * 3, name="row"), axis=0)
    data = tmp_path / "data.parquet"
    table.to_parquet(data, row_group_size=100)
    monkeypatch.setattr(_dask_io, "_PIECE_BYTES", 1)  # every row group a partition
    with dask.config.set({"dataframe.convert-string": False}):  # as the command reads
        frame, _ = _dask_io.read_parquet(data)
        assert frame.npartitions == 12
        pd.testing.assert_frame_equal(frame.compute().set_index("row"), table)
    dask_out, memory_out = tmp_path / "dask.parquet", tmp_path / "memory.parquet"
    for out, extra in ((dask_out, ["--dask"]), (memory_out, [])):
        assert_ok(invoke("resample", data, "-t", "label", "-m", "smote", "-o", out,
                         "--seed", "1", *extra))
    assert len(list(dask_out.iterdir())) > 12  # 12 partitions, then those of the new rows
    pd.testing.assert_frame_equal(pd.read_parquet(dask_out), pd.read_parquet(memory_out))


def test_write_parts_leaves_nothing_behind_when_writing_fails(tmp_path):
    from balancekit import _io

    out = tmp_path / "out.parquet"

    def fails(directory):
        (tmp_path / "started").write_text("")
        pd.DataFrame({"a": [1]}).to_parquet(f"{directory}/part.0.parquet")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _io.write_parts(fails, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["started"]
    _io.write_parts(lambda d: pd.DataFrame({"a": [2]}).to_parquet(f"{d}/part.0.parquet"), out)
    with pytest.raises(KeyboardInterrupt):
        _io.write_parts(fails, out, force=True)
    assert pd.read_parquet(out)["a"].tolist() == [2]  # the earlier output, untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.parquet", "started"]


def test_label_column_of_a_parquet_directory_keeps_the_partitions_of_the_table(tmp_path):
    # dask's optimizer merges the small files of one column into fewer partitions than
    # those of the whole table; y must still be split as X is.
    table = _cli_table()
    frame = dd.read_parquet(_parquet_dir(tmp_path / "data", table, n_files=4))
    X, y = frame.drop(columns=["label", "city"]), frame["label"]
    X_res, y_res = RandomUnderSampler(random_state=0).fit_resample(X, y)
    X_res, y_res = dask.compute(X_res, y_res)
    n_fraud = int((table["label"] == "fraud").sum())
    assert y_res.value_counts().to_dict() == {"fraud": n_fraud, "ok": n_fraud}
    original = table.drop(columns=["label", "city"])
    np.testing.assert_array_equal(
        table["label"].to_numpy()[[np.flatnonzero((original.to_numpy() == row).all(axis=1))[0]
                                   for row in X_res.to_numpy()]], y_res.to_numpy())


def test_smote_makes_its_new_rows_partition_by_partition():
    X, y = _data(n=2000, dtype=np.float32)
    X_mem, _ = over_sampling.SMOTE(random_state=7).fit_resample(X, y)
    X_res, y_res = SMOTE(random_state=7).fit_resample(da.from_array(X, chunks=250),
                                                      da.from_array(y, chunks=250))
    n_new = len(X_mem) - len(X)
    # New partitions of the input's mean length, with known lengths, each computed alone.
    assert X_res.chunks[0][8:] == tuple([250] * (n_new // 250) + [n_new % 250] * (n_new % 250 > 0))
    assert X_res.chunks[0] == y_res.chunks[0]
    last = X_res.blocks[-1].compute()
    np.testing.assert_array_equal(last, X_mem[len(X_mem) - len(last):])
    np.testing.assert_array_equal(X_res.blocks[9].compute(), X_mem[len(X) + 250:len(X) + 500])


def test_data_that_change_between_the_passes_are_refused(tmp_path):
    # A directory of Parquet files that changes after the labels were counted.
    table = _cli_table()
    path = _parquet_dir(tmp_path / "data", table, n_files=2)
    frame = dd.read_parquet(path)
    X_res, _ = RandomUnderSampler(random_state=0).fit_resample(
        frame.drop(columns=["label", "city"]), frame["label"])
    changed = table.iloc[: len(table) // 2].copy()
    changed["label"] = "ok"
    changed.to_parquet(path / "part-0.parquet", index=False)
    with pytest.raises(DataError, match="partition 0 holds 450 rows of class 'ok' now, but "
                                        r"held \d+ when the labels were counted"):
        X_res.compute()


# --- properties over random partitions ----------------------------------------------------


@st.composite
def _partitioned_labels(draw):
    """Labels of 2-4 classes in 1-6 partitions of 0-40 rows (some possibly empty)."""
    n_classes = draw(st.integers(2, 4))
    sizes = draw(st.lists(st.integers(0, 40), min_size=1, max_size=6))
    labels = draw(st.lists(st.integers(0, n_classes - 1), min_size=sum(sizes),
                           max_size=sum(sizes)))
    y = np.array(labels, dtype=np.int64)
    if np.unique(y).size < 2:
        y = np.concatenate([y, [0, 1]])
        sizes = [*sizes[:-1], sizes[-1] + 2]
    return y, sizes


@settings(max_examples=30, deadline=None)
@given(data=_partitioned_labels(), seed=st.integers(0, 2**32 - 1),
       replacement=st.booleans())
@example(data=(np.array([0, 0, 0, 1]), [1, 3]), seed=0, replacement=False)  # a partition left empty
@example(data=(np.array([0, 1, 1, 0]), [0, 4, 0]), seed=1, replacement=True)  # empty ones given
def test_random_samplers_hit_the_targets_on_any_partitions(data, seed, replacement):
    y, sizes = data
    # Each row holds its position; partitions of exactly these sizes (dask DataFrames keep
    # empty partitions, where dask arrays may drop empty blocks).
    table = pd.DataFrame({"row": np.arange(y.size), "label": y})
    starts = np.concatenate([[0], np.cumsum(sizes)])
    frame = dd.from_delayed([dask.delayed(table.iloc.__getitem__)(slice(a, b))
                             for a, b in zip(starts[:-1], starts[1:], strict=True)],
                            meta=table.iloc[:0], verify_meta=False)
    counts = np.bincount(y)
    for sampler in (RandomUnderSampler(random_state=seed, replacement=replacement),
                    RandomOverSampler(random_state=seed)):
        X_res, y_res = sampler.fit_resample(frame[["row"]], frame["label"])
        parts = dask.compute(*X_res.to_delayed(), *y_res.to_delayed())
        x_parts, y_parts = parts[:len(sizes)], parts[len(sizes):]
        rows = np.concatenate([part["row"].to_numpy() for part in x_parts])
        labels = np.concatenate([part.to_numpy() for part in y_parts])
        np.testing.assert_array_equal(y[rows], labels)  # each row keeps its label
        got = np.bincount(labels, minlength=counts.size)
        for label, n in enumerate(counts):
            assert got[label] == sampler.sampling_strategy_.get(label, n)
        for i, part in enumerate(x_parts):  # no row leaves its partition
            assert part["row"].between(starts[i], starts[i + 1] - 1).all()
        if isinstance(sampler, RandomUnderSampler) and not replacement:
            assert np.unique(rows).size == rows.size


def test_empty_partitions_are_resampled_as_empty():
    X, y = _data(n=600)
    table = _frame(X, y)
    frame = dd.concat([dd.from_pandas(table.iloc[:0], npartitions=1),
                       dd.from_pandas(table, npartitions=2),
                       dd.from_pandas(table.iloc[:0], npartitions=1)])
    assert frame.npartitions == 4
    X_big, y_big = frame.drop(columns="label"), frame["label"]
    for sampler in (RandomUnderSampler(random_state=0), RandomOverSampler(random_state=0),
                    SMOTE(random_state=0)):
        X_res, y_res = sampler.fit_resample(X_big, y_big)
        lengths = _partition_lengths(X_res)
        assert lengths[0] == lengths[3] == 0 and lengths == _partition_lengths(y_res)
        counts = y_res.compute().value_counts()
        assert counts.nunique() == 1 and counts.index.tolist() != []


# --- ADASYN and BorderlineSMOTE: neighbours searched over every partition -----------------


@pytest.mark.parametrize("name, params", [
    ("ADASYN", {}),
    ("ADASYN", {"n_neighbors": 3}),
    ("BorderlineSMOTE", {}),
    ("BorderlineSMOTE", {"m_neighbors": 7, "k_neighbors": 3}),
    ("BorderlineSMOTE", {"kind": "borderline-2"}),
    ("BorderlineSMOTE", {"kind": "borderline-2", "m_neighbors": 7, "k_neighbors": 3}),
    ("BorderlineSMOTE", {"kind": "borderline-2", "m_neighbors": 4, "k_neighbors": 12}),
])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_adasyn_and_borderline_make_the_rows_of_the_in_memory_samplers(name, params, dtype):
    from balancekit import dask as bk_dask

    X, y = _data(n=1500, weights=(0.75, 0.15, 0.1), dtype=dtype)
    X[::7] = X[1::7][: len(X[::7])]  # exact duplicates across partitions: ties to the lower row
    memory = getattr(over_sampling, name)(random_state=2, **params)
    X_mem, y_mem = memory.fit_resample(X, y)
    sampler = getattr(bk_dask, name)(random_state=2, **params)
    X_res, y_res = sampler.fit_resample(da.from_array(X, chunks=400), da.from_array(y, chunks=400))
    X_res, y_res = dask.compute(X_res, y_res)
    np.testing.assert_array_equal(X_res, X_mem)
    np.testing.assert_array_equal(y_res, y_mem)
    if name == "BorderlineSMOTE":  # row numbers of the whole collection
        assert sampler.in_danger_indices_.keys() == memory.in_danger_indices_.keys()
        for label, rows in memory.in_danger_indices_.items():
            np.testing.assert_array_equal(sampler.in_danger_indices_[label], rows)


def test_borderline_on_a_dataframe_from_parquet_files(tmp_path):
    from balancekit.dask import BorderlineSMOTE

    table = _cli_table(n=1200).drop(columns="city")
    frame = dd.read_parquet(_parquet_dir(tmp_path / "data", table, n_files=3))
    X_res, y_res = BorderlineSMOTE(random_state=0).fit_resample(frame.drop(columns="label"),
                                                                frame["label"])
    X_res, y_res = dask.compute(X_res, y_res)
    X_mem, y_mem = over_sampling.BorderlineSMOTE(random_state=0).fit_resample(
        table.drop(columns="label"), table["label"])
    np.testing.assert_array_equal(X_res.to_numpy(), X_mem.to_numpy())
    assert y_res.tolist() == y_mem.tolist()


def test_adasyn_and_borderline_refuse_what_they_cannot_do_here():
    from sklearn.neighbors import NearestNeighbors

    from balancekit.dask import ADASYN, BorderlineSMOTE

    X, y = _data()
    Xd, yd = da.from_array(X, chunks=300), da.from_array(y, chunks=300)
    with pytest.raises(InvalidParameterError, match="k_neighbors must be an int"):
        BorderlineSMOTE(kind="borderline-2",
                        k_neighbors=NearestNeighbors(n_neighbors=6)).fit_resample(Xd, yd)
    with pytest.raises(InvalidParameterError, match="m_neighbors must be an int"):
        BorderlineSMOTE(kind="borderline-2",
                        m_neighbors=NearestNeighbors(n_neighbors=6)).fit_resample(Xd, yd)
    with pytest.raises(InvalidParameterError, match="kind"):
        BorderlineSMOTE(kind="borderline-3").fit_resample(Xd, yd)
    with pytest.raises(DataError, match="k_neighbors=1200 needs at least 1201 samples in X"):
        BorderlineSMOTE(kind="borderline-2", k_neighbors=1200).fit_resample(Xd, yd)
    with pytest.raises(InvalidParameterError, match="n_neighbors must be an int"):
        ADASYN(n_neighbors=NearestNeighbors(n_neighbors=6)).fit_resample(Xd, yd)
    # A NaN in a row of the class not grown: its partition is named.
    X[np.flatnonzero(y == 0)[400], 1] = np.nan
    with pytest.raises(DataError, match="partition 1 of X holds missing or infinite values"):
        ADASYN().fit_resample(da.from_array(X, chunks=300), da.from_array(y, chunks=300))


# --- TomekLinks: links found over every partition ------------------------------------------


@pytest.mark.parametrize("weights", [(0.85, 0.15), (0.6, 0.25, 0.15)])
@pytest.mark.parametrize("strategy", ["auto", "all", "not majority"])
def test_tomek_links_removes_the_rows_of_in_memory_tomek_links(weights, strategy):
    from balancekit.dask import TomekLinks

    X, y = _data(n=1800, weights=weights)
    X[::9] = X[3::9][: len(X[::9])]  # exact duplicates, some across classes
    X[5::11] = np.round(X[5::11], 1)  # and ties
    memory = under_sampling.TomekLinks(sampling_strategy=strategy)
    X_mem, y_mem = memory.fit_resample(X, y)
    sampler = TomekLinks(sampling_strategy=strategy)
    X_res, y_res = sampler.fit_resample(da.from_array(X, chunks=500), da.from_array(y, chunks=500))
    assert not np.isnan(X_res.shape[0])  # the lengths of the partitions are known
    X_res, y_res = dask.compute(X_res, y_res)
    np.testing.assert_array_equal(X_res, X_mem)
    np.testing.assert_array_equal(y_res, y_mem)
    np.testing.assert_array_equal(sampler.removed_indices_,
                                  np.setdiff1d(np.arange(len(y)), memory.sample_indices_))
    assert sampler.removed_indices_.size > 0


def test_tomek_links_on_a_dataframe_keeps_the_index_of_the_rows_kept():
    from balancekit.dask import TomekLinks

    X, y = _data(n=900)
    table = _frame(X, y)
    table.index = table.index + 1000
    frame = dd.from_pandas(table, npartitions=3)
    X_res, y_res = TomekLinks().fit_resample(frame.drop(columns="label"), frame["label"])
    X_res, y_res = dask.compute(X_res, y_res)
    X_mem, _ = under_sampling.TomekLinks().fit_resample(table.drop(columns="label"),
                                                         table["label"])
    pd.testing.assert_frame_equal(X_res, X_mem)
    assert y_res.index.equals(X_res.index)


# --- NearMiss: scores over every partition, the best rows over the whole ------------------


@pytest.mark.parametrize("weights, strategy, version, params", [
    ((0.85, 0.15), "auto", 1, {}),
    ((0.85, 0.15), "auto", 2, {}),
    ((0.6, 0.25, 0.15), "auto", 1, {"n_neighbors": 4}),
    ((0.6, 0.25, 0.15), "all", 2, {}),
    ((0.6, 0.25, 0.15), {0: 300, 1: 200}, 1, {}),
])
def test_near_miss_keeps_the_rows_of_in_memory_near_miss(weights, strategy, version, params):
    from balancekit.dask import NearMiss

    X, y = _data(n=1800, weights=weights)
    X[5::11] = np.round(X[5::11], 1)  # ties in the scores
    memory = under_sampling.NearMiss(sampling_strategy=strategy, version=version, **params)
    X_mem, y_mem = memory.fit_resample(X, y)
    sampler = NearMiss(sampling_strategy=strategy, version=version, **params)
    X_res, y_res = sampler.fit_resample(da.from_array(X, chunks=450), da.from_array(y, chunks=450))
    assert not np.isnan(X_res.shape[0])
    X_res, y_res = dask.compute(X_res, y_res)
    np.testing.assert_array_equal(X_res, X_mem)
    np.testing.assert_array_equal(y_res, y_mem)


def test_near_miss_takes_the_minority_seen_first_among_equally_small_classes():
    from balancekit.dask import NearMiss

    rng = np.random.RandomState(0)
    X = rng.normal(size=(400, 3))
    y = np.array([2] * 300 + [1] * 50 + [0] * 50)  # classes 0 and 1 tie; 1 comes first
    rng.shuffle(y[:320])
    X_mem, y_mem = under_sampling.NearMiss().fit_resample(X, y)
    X_res, y_res = dask.compute(*NearMiss().fit_resample(da.from_array(X, chunks=100),
                                                         da.from_array(y, chunks=100)))
    np.testing.assert_array_equal(X_res, X_mem)
    np.testing.assert_array_equal(y_res, y_mem)


def test_near_miss_refuses_what_it_cannot_do_here():
    from sklearn.neighbors import NearestNeighbors

    from balancekit.dask import NearMiss

    X, y = _data()
    Xd, yd = da.from_array(X, chunks=300), da.from_array(y, chunks=300)
    with pytest.raises(InvalidParameterError, match="n_neighbors_ver3 must be an int"):
        NearMiss(version=3, n_neighbors_ver3=NearestNeighbors(n_neighbors=3)).fit_resample(Xd, yd)
    with pytest.raises(InvalidParameterError, match="version"):
        NearMiss(version=4).fit_resample(Xd, yd)
    with pytest.raises(InvalidParameterError, match="n_neighbors must be an int"):
        NearMiss(n_neighbors=NearestNeighbors(n_neighbors=3)).fit_resample(Xd, yd)
    with pytest.raises(DataError, match="n_neighbors=500 needs at least 500 samples"):
        NearMiss(n_neighbors=500).fit_resample(Xd, yd)


# --- NearMiss version 3 and 'borderline-2': lists reduced over partitions of any layout -----


def _partitioned(X, y, layout):
    """``X`` and ``y`` as a dask DataFrame and Series in partitions of the sizes ``layout``
    names, and the rows in their order there (for ``'no minority'``, the first partition
    holds none of the smallest class; ``'uneven'`` has an empty partition)."""
    n = len(y)
    if layout == "no minority":
        smallest = np.argmin(np.bincount(y))
        first = np.flatnonzero(y != smallest)[: n // 4]
        order = np.concatenate([first, np.setdiff1d(np.arange(n), first)])
        X, y = X[order], y[order]
        sizes = [n // 4, n // 2, n - n // 4 - n // 2]
    else:
        sizes = {"one": [n], "even": [n // 4] * 3 + [n - 3 * (n // 4)],
                 "uneven": [37, 0, n - 450, 13, 400]}[layout]
    Xd, yd = _split(_frame(X, y), sizes)
    return Xd, yd, X, y


def _split(table, sizes):
    """A dask DataFrame ``X`` and Series ``y`` (column ``'label'``) in partitions of exactly
    ``sizes`` rows (empty ones kept)."""
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
    frame = dd.from_delayed([dask.delayed(table.iloc.__getitem__)(slice(a, b))
                             for a, b in zip(starts[:-1], starts[1:], strict=True)],
                            meta=table.iloc[:0], verify_meta=False)
    return frame.drop(columns="label"), frame["label"]


def _with_warnings(run):
    """``run()``'s result (or the DataError it raised) and the messages of its warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = run()
        except DataError as exc:
            result = exc
    return result, [str(w.message) for w in caught if issubclass(w.category, BalancekitWarning)]


@pytest.mark.parametrize("layout", ["one", "even", "uneven", "no minority"])
@pytest.mark.parametrize("weights, strategy, params", [
    ((0.85, 0.15), "auto", {}),
    ((0.6, 0.25, 0.15), "all", {"n_neighbors": 2, "n_neighbors_ver3": 5}),
    ((0.6, 0.25, 0.15), {0: 400, 1: 100}, {"n_neighbors_ver3": 1}),
])
def test_near_miss_version_3_keeps_the_rows_of_in_memory_near_miss(weights, strategy, params,
                                                                   layout):
    X, y = _data(n=1200, weights=weights)
    X[5::11] = np.round(X[5::11], 1)  # ties in the distances and the scores
    X[1::7] = X[::7][: len(X[1::7])]  # exact copies, in other partitions too
    Xd, yd, X, y = _partitioned(X, y, layout)
    memory = under_sampling.NearMiss(version=3, sampling_strategy=strategy, **params)
    (X_mem, y_mem), expected = _with_warnings(lambda: memory.fit_resample(X, y))
    sampler = NearMiss(version=3, sampling_strategy=strategy, **params)
    (X_res, y_res), found = _with_warnings(lambda: sampler.fit_resample(Xd, yd))
    X_res, y_res = dask.compute(X_res, y_res)
    np.testing.assert_array_equal(X_res.to_numpy(), X_mem)
    np.testing.assert_array_equal(y_res.to_numpy(), y_mem)
    np.testing.assert_array_equal(X_res.index, memory.sample_indices_)  # rows and index kept
    assert found == expected  # fewer rows than asked: the same warning
    assert sampler.nn_ver3_.n_neighbors == params.get("n_neighbors_ver3", 3)
    sampler.set_params(version=1).fit_resample(Xd, yd)
    assert not hasattr(sampler, "nn_ver3_")  # not left from the call of version 3


def test_near_miss_version_3_keeps_the_rows_of_imbalanced_learn():
    imblearn = pytest.importorskip("imblearn")

    X, y = _data(n=1500, weights=(0.6, 0.25, 0.15), seed=3)
    expected = imblearn.under_sampling.NearMiss(version=3, n_neighbors_ver3=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected.fit_resample(X, y)
        X_res, y_res = dask.compute(*NearMiss(version=3, n_neighbors_ver3=4).fit_resample(
            da.from_array(X, chunks=(400, -1)), da.from_array(y, chunks=400)))
    rows = np.sort(expected.sample_indices_)  # imbalanced-learn's in another order
    np.testing.assert_array_equal(X_res, X[rows])
    np.testing.assert_array_equal(y_res, y[rows])


@st.composite
def _small_tables(draw):
    """Small tables of few integer values (many ties and copies), two or three classes, in
    partitions of any sizes (empty ones too)."""
    n = draw(st.integers(12, 60))
    n_classes = draw(st.integers(2, 3))
    y = np.array(draw(st.lists(st.integers(0, n_classes - 1), min_size=n, max_size=n)))
    y[:2] = [0, 1]  # at least two classes
    n_features = draw(st.integers(1, 3))
    X = np.array(draw(st.lists(st.integers(-3, 3), min_size=n * n_features,
                               max_size=n * n_features)), dtype=np.float64)
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=4)))
    sizes = np.diff([0, *cuts, n]).tolist()
    return X.reshape(n, n_features), y, sizes


def _same_outcome(memory, sampler, X, y, sizes):
    """The in-memory sampler and the dask one give the same rows, warnings and errors."""
    expected, expected_warnings = _with_warnings(lambda: memory.fit_resample(X, y))
    Xd, yd = _split(_frame(X, y), sizes)
    found, found_warnings = _with_warnings(
        lambda: dask.compute(*sampler.fit_resample(Xd, yd)))
    if isinstance(expected, DataError):
        assert isinstance(found, DataError) and str(found) == str(expected)
        return
    assert not isinstance(found, DataError), found
    np.testing.assert_array_equal(found[0].to_numpy(), expected[0])
    np.testing.assert_array_equal(found[1].to_numpy(), expected[1])
    assert found_warnings == expected_warnings


@settings(max_examples=40, deadline=None)
@given(table=_small_tables(), k=st.integers(1, 4), k3=st.integers(1, 4))
def test_near_miss_version_3_on_any_partitions_and_ties(table, k, k3):
    X, y, sizes = table
    params = {"version": 3, "n_neighbors": k, "n_neighbors_ver3": k3}
    _same_outcome(under_sampling.NearMiss(**params), NearMiss(**params), X, y, sizes)


@settings(max_examples=40, deadline=None)
@given(table=_small_tables(), k=st.integers(1, 6), m=st.integers(1, 8),
       seed=st.integers(0, 2**32 - 1))
def test_borderline_2_on_any_partitions_and_ties(table, k, m, seed):
    from balancekit.dask import BorderlineSMOTE

    X, y, sizes = table
    params = {"kind": "borderline-2", "k_neighbors": k, "m_neighbors": m, "random_state": seed}
    _same_outcome(over_sampling.BorderlineSMOTE(**params), BorderlineSMOTE(**params), X, y,
                  sizes)


@pytest.mark.parametrize("layout", ["one", "even", "uneven", "no minority"])
def test_borderline_2_makes_the_rows_of_the_in_memory_sampler_on_any_layout(layout):
    from balancekit.dask import BorderlineSMOTE

    X, y = _data(n=1200, weights=(0.6, 0.25, 0.15), seed=1)
    X[1::7] = X[::7][: len(X[1::7])]
    Xd, yd, X, y = _partitioned(X, y, layout)
    memory = over_sampling.BorderlineSMOTE(kind="borderline-2", random_state=5)
    X_mem, y_mem = memory.fit_resample(X, y)
    sampler = BorderlineSMOTE(kind="borderline-2", random_state=5)
    X_res, y_res = dask.compute(*sampler.fit_resample(Xd, yd))
    np.testing.assert_array_equal(X_res.to_numpy(), X_mem)
    np.testing.assert_array_equal(y_res.to_numpy(), y_mem)
    for label, rows in memory.in_danger_indices_.items():
        np.testing.assert_array_equal(sampler.in_danger_indices_[label], rows)


def test_borderline_2_interpolates_toward_rows_of_other_partitions_and_classes():
    """The new rows' law: on the segment from a row in danger to one of its k nearest rows
    of the whole data, at most half way toward a row of another class, which lives in
    another partition; and the rows of imbalanced-learn for the same RandomState."""
    from balancekit.dask import BorderlineSMOTE

    imblearn = pytest.importorskip("imblearn")
    rng = np.random.RandomState(0)
    # Minority in the last partition only: every neighbour of another class is elsewhere.
    X = np.vstack([rng.normal(0, 1, size=(900, 2)), rng.normal(0.5, 1, size=(100, 2))])
    y = np.array([0] * 900 + [1] * 100)
    Xd, yd = da.from_array(X, chunks=((300, 300, 300, 100), -1)), da.from_array(y, chunks=300)
    sampler = BorderlineSMOTE(kind="borderline-2", k_neighbors=4,
                              random_state=np.random.RandomState(7))
    X_res, y_res = dask.compute(*sampler.fit_resample(Xd, yd))
    new = X_res[1000:]
    assert new.shape == (800, 2) and (y_res[1000:] == 1).all()
    danger = sampler.in_danger_indices_[1]
    # Each new row: base + g * (neighbour - base), base in danger, neighbour among its 4
    # nearest rows of X (itself excluded); g < 0.5 toward the majority.
    from sklearn.neighbors import NearestNeighbors
    nn = NearestNeighbors(n_neighbors=5).fit(X).kneighbors(X[danger], return_distance=False)
    toward_other = 0
    for row in new:
        fits = []
        for base, ends in zip(danger, nn[:, 1:], strict=True):
            step = X[ends] - X[base]
            g = ((row - X[base]) @ step.T) / np.einsum("ij,ij->i", step, step)
            close = np.abs(X[base] + g[:, None] * step - row).max(axis=1) < 1e-9
            fits += [(g[j], y[ends[j]]) for j in np.flatnonzero(close)]
        assert fits
        assert any(0 <= g < (0.5 if label == 0 else 1) for g, label in fits)
        toward_other += all(label == 0 for _, label in fits)
    assert toward_other > 100  # many segments end in the majority's partitions
    expected = imblearn.over_sampling.BorderlineSMOTE(
        kind="borderline-2", k_neighbors=4, random_state=np.random.RandomState(7))
    X_imb, y_imb = expected.fit_resample(X, y)
    np.testing.assert_allclose(X_res, X_imb, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(y_res, y_imb)


def test_borderline_2_grows_a_class_smaller_than_its_neighbours_as_in_memory():
    """k_neighbors counts the rows of the whole data, not those of the class gathered."""
    from balancekit.dask import BorderlineSMOTE

    rng = np.random.RandomState(2)
    # Five rows of class 1 close together amid class 0: each in danger (4 of its 10 nearest
    # rows of its class), and fewer than the 12 neighbours each new row may go toward.
    X = np.vstack([rng.normal(size=(300, 2)), rng.normal(scale=0.01, size=(5, 2))])
    y = np.array([0] * 300 + [1] * 5)
    params = {"kind": "borderline-2", "k_neighbors": 12, "random_state": 0}
    X_mem, y_mem = over_sampling.BorderlineSMOTE(**params).fit_resample(X, y)
    sampler = BorderlineSMOTE(**params)
    X_res, y_res = dask.compute(*sampler.fit_resample(da.from_array(X, chunks=(200, -1)),
                                                      da.from_array(y, chunks=200)))
    np.testing.assert_array_equal(X_res, X_mem)
    np.testing.assert_array_equal(y_res, y_mem)
    np.testing.assert_array_equal(sampler.in_danger_indices_[1], np.arange(300, 305))


def test_borderline_2_reads_only_the_rows_it_interpolates_toward(monkeypatch):
    """Memory holds the gathered rows and the neighbours the draws picked, not the rows of
    the other classes."""
    from balancekit.dask import BorderlineSMOTE, _collections

    read = []
    values_at = _collections.Partitions.values_at

    def spy(self, rows, dtype):
        read.append(rows)
        return values_at(self, rows, dtype)

    monkeypatch.setattr(_collections.Partitions, "values_at", spy)
    X, y = _data(n=3000, weights=(0.95, 0.05), seed=4)
    X_res, _ = BorderlineSMOTE(kind="borderline-2", random_state=0, k_neighbors=3) \
        .fit_resample(da.from_array(X, chunks=(500, -1)), da.from_array(y, chunks=500))
    n_new = X_res.shape[0] - 3000
    assert len(read) == 1 and read[0].size <= n_new  # one pass, only rows drawn
    assert (y[read[0]] == 0).all() and np.unique(read[0]).size == read[0].size


def test_near_miss_version_3_refuses_what_in_memory_refuses():
    X, y = _data(n=600)
    Xd, yd = da.from_array(X, chunks=(200, -1)), da.from_array(y, chunks=200)
    n_minority = int((y == 1).sum())
    with pytest.raises(DataError, match=f"n_neighbors={n_minority + 1} needs at least"):
        NearMiss(version=3, n_neighbors=n_minority + 1).fit_resample(Xd, yd)
    n_majority = int((y == 0).sum())
    with pytest.raises(DataError, match=f"n_neighbors_ver3={n_majority + 1} needs at least "
                                        f"{n_majority + 1} samples of class 0"):
        NearMiss(version=3, n_neighbors_ver3=n_majority + 1).fit_resample(Xd, yd)


@pytest.mark.parametrize("name, params", [
    ("NearMiss", {}), ("NearMiss", {"version": 3}), ("TomekLinks", {}),
    ("ADASYN", {"random_state": 0}), ("BorderlineSMOTE", {"random_state": 0}),
    ("BorderlineSMOTE", {"random_state": 0, "kind": "borderline-2"}),
])
def test_searching_samplers_on_partitions_of_one_class_and_empty_ones(name, params):
    from balancekit import dask as bk_dask

    X, y = _data(n=900)
    table = _frame(X, y)
    # Partitions of one class each, and empty ones, around them.
    frame = dd.concat([dd.from_pandas(table.iloc[:0], npartitions=1),
                       dd.from_pandas(table[table["label"] == 0], npartitions=2),
                       dd.from_pandas(table[table["label"] == 1], npartitions=1),
                       dd.from_pandas(table.iloc[:0], npartitions=1)])
    in_order = pd.concat([table[table["label"] == 0], table[table["label"] == 1]])
    memory = getattr(under_sampling, name, None) or getattr(over_sampling, name)
    X_mem, _ = memory(**params).fit_resample(in_order.drop(columns="label"), in_order["label"])
    X_res, y_res = getattr(bk_dask, name)(**params).fit_resample(frame.drop(columns="label"),
                                                                 frame["label"])
    X_res, y_res = dask.compute(X_res, y_res)
    np.testing.assert_array_equal(X_res.to_numpy(), X_mem.to_numpy())


def test_categories_that_differ_between_files_stay_categories(tmp_path):
    # Parquet files read with dask have categories of their own (unknown in the meta): the
    # rows gathered from them, and the new rows, stay categorical as dask concatenates them.
    rng = np.random.RandomState(0)
    for i, (levels, labels) in enumerate([(["x", "y"], ["a"] * 33 + ["b"] * 7),
                                          (["y", "z"], ["a"] * 30 + ["c"] * 10)]):
        pd.DataFrame({"v": rng.normal(size=40), "cat": pd.Categorical(rng.choice(levels, 40)),
                      "label": pd.Categorical(labels)}).to_parquet(tmp_path / f"{i}.parquet")
    frame = dd.read_parquet(tmp_path)
    whole = frame.compute()
    for sampler, memory, columns in ((SMOTENC(categorical_features=[1], random_state=0),
                                      over_sampling.SMOTENC(categorical_features=[1],
                                                            random_state=0), ["v", "cat"]),
                                     (SMOTEN(random_state=0),
                                      over_sampling.SMOTEN(random_state=0), ["cat"])):
        X_res, y_res = dask.compute(*sampler.fit_resample(frame[columns], frame["label"]))
        X_mem, y_mem = memory.fit_resample(whole[columns], whole["label"])
        pd.testing.assert_frame_equal(X_res, X_mem)
        pd.testing.assert_series_equal(y_res, y_mem)


@pytest.mark.parametrize("name", ["SMOTE", "RandomUnderSampler", "TomekLinks", "NearMiss"])
def test_one_class_is_refused_as_in_memory(name):
    from balancekit import dask as bk_dask

    X, y = _data(n=300)
    frame = dd.from_pandas(_frame(X, y)[y == 0], npartitions=2)
    with pytest.raises(DataError, match=r"y has only one class \(0\); resampling needs"):
        getattr(bk_dask, name)().fit_resample(frame.drop(columns="label"), frame["label"])


def test_cli_dask_keeps_integers_beside_an_empty_file(tmp_path):
    from .test_cli import assert_ok, invoke

    table = _cli_table(n=300).assign(visits=np.arange(300, dtype=np.int32))
    data = _parquet_dir(tmp_path / "data", table)
    table.iloc[:0].to_parquet(data / "part-9.parquet", index=False)  # no rows: no missing value
    outs = {extra: tmp_path / f"out{len(extra)}.parquet" for extra in ((), ("--dask",))}
    for extra, out in outs.items():
        assert_ok(invoke("resample", data, "-t", "label", "-m", "smote", "--drop", "city",
                         "-o", out, *extra))
    from_dask, from_memory = (pd.read_parquet(out) for out in outs.values())
    assert from_dask["visits"].dtype == from_memory["visits"].dtype == np.int32
    pd.testing.assert_frame_equal(from_dask, from_memory)


def test_cli_dask_strategy_that_does_not_fit_the_classes_is_a_usage_error(tmp_path):
    from .test_cli import assert_error, invoke

    data = _parquet_dir(tmp_path / "data", _cli_table(n=300))
    out = tmp_path / "out.parquet"
    result = invoke("resample", data, "-t", "label", "-m", "random_over", "-s", '{"fraud": 1}',
                    "-o", out, "--dask")
    assert_error(result, 2, "Invalid value for '--strategy'", "cannot remove samples")
    assert not out.exists()


@pytest.mark.parametrize("layout", ["unused category", "hive partitions"])
def test_cli_dask_counts_no_class_without_rows(tmp_path, layout):
    # A categorical target's value counts list its unused categories, and dask's those of a
    # Hive partition key as '__UNKNOWN_CATEGORIES__': each was counted as a class of 0 rows,
    # named in the summary, and a binary target's --strategy 0.5 was refused ("y has 3
    # classes").
    from .test_cli import assert_ok, invoke

    rng = np.random.default_rng(0)
    label = np.where(np.arange(60) % 6 == 0, "yes", "no")
    table = pd.DataFrame({"a": rng.normal(size=60), "t": label})
    if layout == "unused category":
        data = tmp_path / "data.parquet"
        table.assign(t=pd.Categorical(label, categories=["no", "yes", "maybe"])).to_parquet(data)
    else:
        data = tmp_path / "data"
        for value in ("no", "yes"):
            (data / f"t={value}").mkdir(parents=True)
            table[label == value].drop(columns="t").to_parquet(data / f"t={value}" / "p.parquet")
    outs = {extra: tmp_path / f"out{len(extra)}.parquet" for extra in ((), ("--dask",))}
    for extra, out in outs.items():
        result = invoke("resample", data, "-t", "t", "-m", "random_over", "-s", "0.5",
                        "-o", out, *extra)
        assert_ok(result)
        assert "(no: 50 -> 50, yes: 10 -> 25)" in result.stderr
    from_dask, from_memory = (pd.read_parquet(out) for out in outs.values())
    for written in (from_dask, from_memory):
        assert written["t"].astype(str).value_counts().to_dict() == {"no": 50, "yes": 25}


def test_write_parts_gives_the_directory_the_usual_permissions(tmp_path):
    import os

    from balancekit import _io

    out = tmp_path / "out.parquet"
    umask = os.umask(0o022)
    try:
        _io.write_parts(lambda d: pd.DataFrame({"a": [1]}).to_parquet(f"{d}/part.0.parquet"),
                        out)
    finally:
        os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o755  # not mkdtemp's private 0o700


# --- balancekit inspect --dask ----------------------------------------------------------------


def _inspect_json(*args):
    from .test_cli import assert_ok, invoke

    result = invoke("inspect", *args, "--json")
    assert_ok(result)
    return json.loads(result.stdout)


@pytest.mark.parametrize("case", ["plain", "missing", "tie", "one_class"])
def test_cli_inspect_with_dask_reports_what_inspect_reports(tmp_path, case):
    table = _cli_table(n=600)
    if case == "missing":  # missing labels and cells, in several files
        table.loc[[3, 250, 590], "label"] = None
        table.loc[[7, 8, 400], "b"] = np.nan
    elif case == "tie":  # equal counts: the class seen first comes first, across files
        table["label"] = ["ok"] * 250 + ["fraud"] * 300 + ["ok"] * 50
    elif case == "one_class":
        table["label"] = "ok"
    data = _parquet_dir(tmp_path / "data", table, n_files=3)
    with_dask, in_memory = (_inspect_json(data, "-t", "label", *extra)
                            for extra in (["--dask"], []))
    assert with_dask == in_memory


def test_cli_inspect_with_dask_refuses_labels_that_are_values(tmp_path):
    from .test_cli import assert_error, invoke

    table = _cli_table(n=300)
    table["label"] = np.linspace(0, 1, len(table))
    data = _parquet_dir(tmp_path / "data", table, n_files=2)
    # Checked once the labels of every partition are known: the message of inspect.
    line = assert_error(invoke("inspect", data, "-t", "label", "--dask"), 1, "continuous")
    assert line == assert_error(invoke("inspect", data, "-t", "label"), 1, "continuous")
    assert_error(invoke("inspect", data, "-t", "labels", "--dask"), 2, "did you mean 'label'")


@pytest.mark.parametrize("sampler", [
    RandomOverSampler(random_state=0), RandomUnderSampler(random_state=0),
    RandomUnderSampler(replacement=True, random_state=0), SMOTE(random_state=0), TomekLinks(),
    NearMiss(), PartitionSampler(under_sampling.EditedNearestNeighbours()),
], ids=lambda s: type(s).__name__ + ("(replacement)" if getattr(s, "replacement", 0) else ""))
def test_labels_join_the_resampled_rows_partition_by_partition(sampler):
    """X_res.assign(label=y_res) is how one writes the labels back with the rows: built as
    separate collections, dask aligned them by a shuffle on the index, which failed on the
    repeated index labels of copied rows ("cannot reindex on an axis with duplicate
    labels") and reordered the others."""
    X, y = _data(600)
    frame = dd.from_pandas(_frame(X, y), npartitions=3)
    X_res, y_res = sampler.fit_resample(frame.drop(columns="label"), frame["label"])
    joined = X_res.assign(target=y_res)
    assert joined.npartitions == X_res.npartitions
    rows, labels = dask.compute(X_res, y_res)
    out = joined.compute()
    pd.testing.assert_frame_equal(out.drop(columns="target"), rows)
    np.testing.assert_array_equal(out["target"].to_numpy(), labels.to_numpy())
    pd.testing.assert_frame_equal(X_res[y_res == 1].compute(), rows[labels.to_numpy() == 1])


# --------------------------------------------------------------------------- threads, pipelines


def test_one_sampler_called_from_several_threads_gives_each_call_its_result():
    # The calls of one object run one at a time, as in memory (the SMOTE family keeps the
    # rows it gathers on the object while it builds its collections).
    import threading

    X, y = _data()
    ddf = dd.from_pandas(_frame(X, y), npartitions=4)
    X_d, y_d = ddf.drop(columns="label"), ddf["label"]
    sampler = SMOTE(random_state=0)
    expected = dask.compute(*sampler.fit_resample(X_d, y_d))
    results, errors = [], []

    def call():
        try:
            results.append(dask.compute(*sampler.fit_resample(X_d, y_d)))
        except Exception as exc:  # collected: a thread's exception would be lost
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for X_res, y_res in results:
        pd.testing.assert_frame_equal(X_res, expected[0])
        pd.testing.assert_series_equal(y_res, expected[1])


@pytest.mark.parametrize("array", [False, True])
def test_a_pipeline_with_steps_around_a_dask_sampler_fits(array):
    # Row counts not known before a computation (lazy, or NaN chunks) are not compared.
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import FunctionTransformer

    from balancekit.pipeline import make_pipeline

    X, y = _data()
    ddf = dd.from_pandas(_frame(X, y), npartitions=4)
    X_d, y_d = ddf.drop(columns="label"), ddf["label"]
    if array:
        X_d, y_d = X_d.to_dask_array(), y_d.to_dask_array()  # chunks of unknown size
    compute = FunctionTransformer(lambda data: data.compute() if hasattr(data, "compute")
                                  else data)
    pipe = make_pipeline(FunctionTransformer(), RandomUnderSampler(random_state=0), compute,
                         LogisticRegression())
    pipe.fit(X_d, y_d)
    assert pipe[-1].n_features_in_ == X.shape[1]
    assert pipe.score(X if array else _frame(X, y).drop(columns="label"), y) > 0.5


def test_missing_values_among_the_gathered_rows_are_counted_as_such():
    """The count is of the rows gathered into memory (those of the classes to grow), not of
    the collection: the message said '2 NaN' of a column holding 10."""
    X, y = _data(n=600)
    df = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])])
    df.loc[::60, "f0"] = np.nan
    n_grown = int((df["f0"].isna() & (y == 1)).sum())
    ddf = dd.from_pandas(df, npartitions=3)
    yd = dd.from_pandas(pd.Series(y, name="y"), npartitions=3)
    with pytest.raises(DataError, match=rf"among the {(y == 1).sum()} rows of the classes to "
                                        rf"grow \(1\), gathered into memory: X contains "
                                        rf"{n_grown} NaN"):
        SMOTE(random_state=0).fit_resample(ddf, yd)
    # An error of another kind (no count in it) keeps its kind and words.
    import dask.array as da

    with pytest.raises(DataTypeError) as raised:
        SMOTE(random_state=0).fit_resample(da.from_array(X + 1j, chunks=200),
                                           da.from_array(y, chunks=200))
    assert "gathered" not in str(raised.value)


@pytest.mark.parametrize("sampler", [TomekLinks, NearMiss])
def test_cleaning_samplers_refuse_a_bad_n_jobs_as_in_memory(sampler):
    X, y = _data(n=300)
    ddf = dd.from_pandas(pd.DataFrame(X), npartitions=2)
    yd = dd.from_pandas(pd.Series(y), npartitions=2)
    with pytest.raises(InvalidParameterTypeError, match="n_jobs must be an integer"):
        sampler(n_jobs="abc").fit_resample(ddf, yd)
