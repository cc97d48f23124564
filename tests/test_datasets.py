"""Tests of balancekit.datasets: the demo data set and make_imbalance."""

import gzip
import socket
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from imblearn.datasets import make_imbalance as imb_make_imbalance
from sklearn.compose import make_column_selector, make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.utils import Bunch

from balancekit.datasets import demo_data_path, load_transactions, make_imbalance
from balancekit.datasets._demo import read_transactions
from balancekit.datasets._generate_demo import write_transactions
from balancekit.exceptions import InvalidParameterError, InvalidParameterTypeError

FLOATS = ["amount", "distance_from_home_km", "hours_since_last_txn"]
INTEGERS = ["hour_of_day", "account_age_days", "n_txn_last_24h"]
BOOLEANS = ["card_present", "online"]
CATEGORIES = ["merchant_category", "country", "device_type"]


@pytest.fixture(scope="module")
def bunch():
    return load_transactions()


# --------------------------------------------------------------------------- demo data


def test_loads_offline(monkeypatch):
    def no_network(*args, **kwargs):
        raise OSError("network access is disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    X, y = load_transactions(return_X_y=True)
    assert X.shape == (6000, 11)
    assert y.shape == (6000,)


def test_data_file_is_shipped_and_small():
    path = demo_data_path()
    assert path.is_file()
    assert path.name == "transactions.csv.gz"
    assert path.stat().st_size < 300_000
    raw = pd.read_csv(path)  # the file reads with plain pandas defaults too
    assert raw.shape == (6000, 12)
    assert set(raw["card_present"].unique()) <= {0, 1}


def test_bunch_fields(bunch):
    assert isinstance(bunch, Bunch)
    assert bunch.feature_names == FLOATS + INTEGERS + BOOLEANS + CATEGORIES
    assert bunch.categorical_features == CATEGORIES
    assert bunch.target_names == ["legitimate", "fraud"]
    assert list(bunch.data.columns) == bunch.feature_names
    assert list(bunch.frame.columns) == [*bunch.feature_names, "is_fraud"]
    assert isinstance(bunch.DESCR, str) and "is_fraud" in bunch.DESCR
    pd.testing.assert_frame_equal(bunch.frame[bunch.feature_names], bunch.data)
    pd.testing.assert_series_equal(bunch.frame["is_fraud"], bunch.target)


def test_dtypes(bunch):
    X, y = bunch.data, bunch.target
    for name in FLOATS:
        assert X[name].dtype == np.float64, name
    for name in INTEGERS:
        assert X[name].dtype == np.int64, name
    for name in BOOLEANS:
        assert X[name].dtype == np.bool_, name
    for name in CATEGORIES:
        assert isinstance(X[name].dtype, pd.CategoricalDtype), name
        assert 3 <= len(X[name].cat.categories) <= 8, name
        # every declared level is actually used
        assert X[name].value_counts().min() > 0, name
    assert y.name == "is_fraud"
    assert y.dtype == np.int64
    assert set(y.unique()) == {0, 1}


def test_values_are_plausible(bunch):
    X = bunch.data
    assert (X["amount"] > 0).all()
    assert X["amount"].median() < X["amount"].mean()  # right-skewed, like a log-normal
    assert X["hour_of_day"].between(0, 23).all()
    assert X["hour_of_day"].nunique() == 24
    assert (X["account_age_days"] >= 1).all()
    assert (X["n_txn_last_24h"] >= 0).all()
    assert (X["hours_since_last_txn"] >= 0).all()
    assert (X["distance_from_home_km"].dropna() >= 0).all()
    # an online payment never reads the physical card
    assert not (X["online"] & X["card_present"]).any()
    # nothing in the last 24 hours when the previous payment is older than that
    assert (X.loc[X["hours_since_last_txn"] >= 24, "n_txn_last_24h"] == 0).all()


def test_class_ratio(bunch):
    counts = bunch.target.value_counts()
    assert counts[1] == 180
    assert 0.02 <= counts[1] / counts.sum() <= 0.04


def test_missing_values(bunch):
    n_missing = bunch.data.isna().sum()
    assert set(n_missing[n_missing > 0].index) == {"distance_from_home_km", "device_type"}
    assert 0 < n_missing["distance_from_home_km"] < 0.1 * len(bunch.data)
    assert 0 < n_missing["device_type"] < 0.1 * len(bunch.data)
    assert not bunch.target.isna().any()


def test_return_X_y_and_as_frame_agree(bunch):
    X, y = load_transactions(return_X_y=True)
    pd.testing.assert_frame_equal(X, bunch.data)
    pd.testing.assert_series_equal(y, bunch.target)

    arrays = load_transactions(as_frame=False)
    assert arrays.frame is None
    assert isinstance(arrays.data, np.ndarray) and arrays.data.dtype == object
    assert arrays.data.shape == (6000, 11)
    assert isinstance(arrays.target, np.ndarray) and arrays.target.dtype == np.int64
    np.testing.assert_array_equal(arrays.target, bunch.target.to_numpy())
    assert arrays.feature_names == bunch.feature_names
    assert arrays.categorical_features == bunch.categorical_features

    X_np, y_np = load_transactions(as_frame=False, return_X_y=True)
    np.testing.assert_array_equal(y_np, arrays.target)
    for j, name in enumerate(bunch.feature_names):
        expected = bunch.data[name].astype(object)
        got = pd.Series(X_np[:, j])
        assert got.isna().equals(expected.isna()), name
        mask = ~expected.isna()
        assert (got[mask] == expected[mask]).all(), name


@pytest.mark.parametrize("param", ["as_frame", "return_X_y"])
def test_loader_rejects_non_bool(param):
    with pytest.raises(InvalidParameterTypeError, match=param):
        load_transactions(**{param: "yes"})


def test_logistic_regression_finds_signal_but_not_perfect(bunch):
    numeric = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    categorical = make_pipeline(
        SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")
    )
    model = make_pipeline(
        make_column_transformer(
            (numeric, make_column_selector(dtype_include=["number", "bool"])),
            (categorical, make_column_selector(dtype_include="category")),
        ),
        LogisticRegression(max_iter=1000),
    )
    scores = cross_validate(
        model,
        bunch.data,
        bunch.target,
        cv=StratifiedKFold(5, shuffle=True, random_state=0),
        scoring=["roc_auc", "average_precision"],
    )
    roc_auc = scores["test_roc_auc"].mean()
    pr_auc = scores["test_average_precision"].mean()
    assert 0.7 <= roc_auc <= 0.97, roc_auc
    assert 0.06 < pr_auc < 0.6, pr_auc  # well above the 3% base rate, far below 1


def test_no_single_feature_separates_the_classes(bunch):
    from sklearn.metrics import roc_auc_score

    y = bunch.target
    for name in FLOATS + INTEGERS + BOOLEANS:
        values = bunch.data[name].astype(float)
        values = values.fillna(values.median())
        auc = roc_auc_score(y, values)
        assert max(auc, 1 - auc) < 0.9, name


def test_generator_reproduces_shipped_file(tmp_path):
    path = write_transactions(tmp_path / "transactions.csv.gz")
    rebuilt = read_transactions(path)
    shipped = read_transactions(demo_data_path())
    pd.testing.assert_frame_equal(rebuilt, shipped, check_exact=True)
    # the CSV text itself is identical (the gzip bytes may differ with the zlib build)
    assert gzip.decompress(path.read_bytes()) == gzip.decompress(demo_data_path().read_bytes())


def test_generator_command_line(tmp_path):
    from balancekit.datasets._generate_demo import main

    out = tmp_path / "sub" / "demo.csv.gz"
    main(["--output", str(out)])
    pd.testing.assert_frame_equal(read_transactions(out), load_transactions().frame)


# --------------------------------------------------------------------------- make_imbalance


def _three_classes(n=60, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(3 * n, 3))
    y = np.repeat([0, 1, 2], n)
    return X, y


def _ratio_func(y, multiplier, minority_class):
    counts = Counter(y)
    return {minority_class: int(multiplier * counts[minority_class])}


@pytest.mark.parametrize(
    "strategy, kwargs",
    [
        ({0: 10, 1: 25, 2: 60}, {}),
        ({1: 7}, {}),
        ({0: 0, 2: 5}, {}),
        (_ratio_func, {"multiplier": 0.5, "minority_class": 1}),
        (lambda y: {label: count // 3 for label, count in Counter(y).items()}, {}),
    ],
)
def test_make_imbalance_matches_imblearn_counts(strategy, kwargs):
    X, y = _three_classes()
    X_ref, y_ref = imb_make_imbalance(X, y, sampling_strategy=strategy, random_state=0, **kwargs)
    X_res, y_res = make_imbalance(X, y, sampling_strategy=strategy, random_state=0, **kwargs)
    assert Counter(y_res.tolist()) == Counter(y_ref.tolist())
    assert X_res.shape == X_ref.shape
    # every kept row is an input row with its own label, and none is repeated
    position = {tuple(row): i for i, row in enumerate(X)}
    rows = [position[tuple(row)] for row in X_res]
    assert len(set(rows)) == len(rows)
    np.testing.assert_array_equal(y[rows], y_res)
    assert rows == sorted(rows)


def test_make_imbalance_is_reproducible_and_seed_dependent():
    X, y = _three_classes()
    a, _ = make_imbalance(X, y, sampling_strategy={0: 10}, random_state=3)
    b, _ = make_imbalance(X, y, sampling_strategy={0: 10}, random_state=3)
    c, _ = make_imbalance(X, y, sampling_strategy={0: 10}, random_state=4)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_make_imbalance_pandas_keeps_columns_and_dtypes(bunch):
    X, y = bunch.data, bunch.target
    X_res, y_res = make_imbalance(X, y, sampling_strategy={0: 500}, random_state=0)
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert y_res.name == "is_fraud"
    assert y_res.value_counts().to_dict() == {0: 500, 1: 180}
    assert list(X_res.columns) == list(X.columns)
    pd.testing.assert_series_equal(X_res.dtypes, X.dtypes)
    assert X_res["device_type"].cat.categories.equals(X["device_type"].cat.categories)


def test_make_imbalance_polars():
    pl = pytest.importorskip("polars")
    X, y = _three_classes()
    X_pl = pl.DataFrame({"a": X[:, 0], "b": X[:, 1], "c": (X[:, 2] > 0).astype(np.int64)})
    X_pl = X_pl.with_columns(pl.Series("k", np.array(["u", "v", "w"])[y]).cast(pl.Categorical))
    y_pl = pl.Series("label", y)
    X_res, y_res = make_imbalance(X_pl, y_pl, sampling_strategy={1: 5, 2: 12}, random_state=0)
    assert isinstance(X_res, pl.DataFrame) and isinstance(y_res, pl.Series)
    assert X_res.schema == X_pl.schema
    assert y_res.name == "label"
    assert Counter(y_res.to_list()) == {0: 60, 1: 5, 2: 12}
    # labels still match their rows (column k encodes the class)
    assert (
        X_res["k"].cast(pl.String) == pl.Series(np.array(["u", "v", "w"])[y_res.to_numpy()])
    ).all()


def test_make_imbalance_string_labels_and_lists():
    X = [[i, i * 2] for i in range(40)]
    y = ["a"] * 30 + ["b"] * 10
    X_res, y_res = make_imbalance(X, y, sampling_strategy={"a": 12}, random_state=0)
    # Lists in, lists out (as imbalanced-learn), each row as it was given.
    assert isinstance(X_res, list) and all(row in X for row in X_res)
    assert isinstance(y_res, list) and Counter(y_res) == {"a": 12, "b": 10}
    assert all(y[X.index(row)] == label for row, label in zip(X_res, y_res, strict=True))


def test_make_imbalance_verbose(capsys):
    X, y = _three_classes()
    make_imbalance(X, y, sampling_strategy={0: 10}, random_state=0, verbose=True)
    out = capsys.readouterr().out
    assert "{0: 60, 1: 60, 2: 60}" in out
    assert "{0: 10, 1: 60, 2: 60}" in out


def test_make_imbalance_rejects_growing_a_class():
    X, y = _three_classes()
    with pytest.raises(InvalidParameterError, match=r"sampling_strategy\[1\]=61.*cannot grow"):
        make_imbalance(X, y, sampling_strategy={1: 61})
    with pytest.raises(InvalidParameterError, match="cannot grow"):
        make_imbalance(X, y, sampling_strategy=lambda y: {0: 100})


@pytest.mark.parametrize(
    "strategy, error, match",
    [
        (None, InvalidParameterError, "sampling_strategy is required"),
        ("auto", InvalidParameterTypeError, "dict.*or a callable"),
        (0.5, InvalidParameterTypeError, "dict.*or a callable"),
        ({5: 3}, InvalidParameterError, "not in y"),
        ({0: -1}, InvalidParameterError, "non-negative"),
        (lambda y: [1, 2], InvalidParameterTypeError, "must return a dict.*returned a list\\.$"),
        # The type is named, not the object (its repr held the whole of y).
        (lambda y: np.asarray(y), InvalidParameterTypeError, "but it returned a ndarray\\.$"),
    ],
)
def test_make_imbalance_bad_strategy(strategy, error, match):
    X, y = _three_classes()
    with pytest.raises(error, match=match):
        make_imbalance(X, y, sampling_strategy=strategy)


def test_make_imbalance_bad_keywords():
    X, y = _three_classes()
    with pytest.raises(InvalidParameterTypeError, match="random_sate"):
        make_imbalance(X, y, sampling_strategy={0: 5}, random_sate=0)
    with pytest.raises(InvalidParameterTypeError, match="verbose"):
        make_imbalance(X, y, sampling_strategy={0: 5}, verbose="yes")


def test_make_imbalance_does_not_mutate_input(bunch):
    X, y = bunch.data.copy(), bunch.target.copy()
    make_imbalance(X, y, sampling_strategy={0: 100}, random_state=0)
    pd.testing.assert_frame_equal(X, bunch.data)
    pd.testing.assert_series_equal(y, bunch.target)
