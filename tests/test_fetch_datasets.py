"""Tests of balancekit.datasets.fetch_datasets, offline: a small archive laid out as the
Zenodo one (a tar.gz of x{id}data.npz files holding ``data`` and ``label``) is served through
a file:// address, and imbalanced-learn's fetch_datasets reads the same cache."""

import io
import os
import shutil
import socket
import tarfile
from collections import OrderedDict

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from imblearn.datasets import _zenodo as imb_zenodo
from imblearn.datasets import fetch_datasets as imb_fetch_datasets
from sklearn.utils import Bunch

from balancekit.datasets import _zenodo, fetch_datasets
from balancekit.exceptions import (
    BalancekitError,
    DataError,
    InvalidParameterError,
    InvalidParameterTypeError,
)

NAMES = list(imb_zenodo.MAP_NAME_ID_KEYS)
IMB_URL = imb_zenodo.URL


def _arrays(i):
    """Small data of data set id ``i``: its own shape, with a rare class of 1 among -1."""
    rng = np.random.default_rng(i)
    n, d = 20 + 3 * i, 1 + i % 7
    X = rng.normal(size=(n, d))
    if i % 3 == 0:
        X = rng.integers(0, 5, size=(n, d)).astype(np.float64)
    y = np.full(n, -1)
    y[rng.choice(n, size=2 + i % 4, replace=False)] = 1
    return X, y


def _npz_bytes(**arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _write_archive(path, ids=range(1, 28), prefix="", extra=None):
    with tarfile.open(path, "w:gz") as tar:
        for i in ids:
            X, y = _arrays(i)
            payload = _npz_bytes(data=X, label=y)
            info = tarfile.TarInfo(f"{prefix}x{i}data.npz")
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
        for name, payload in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    return path


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access is disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(imb_zenodo, "URL", "https://zenodo.invalid/none.tar.gz")


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return _write_archive(tmp_path_factory.mktemp("served") / "benchmark.tar.gz")


@pytest.fixture
def served(archive, monkeypatch):
    monkeypatch.setattr(_zenodo, "URL", archive.as_uri())
    return archive


@pytest.fixture(scope="module")
def cache(archive, tmp_path_factory):
    """A data home with all 27 fake data sets, filled by balancekit's download."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_zenodo, "URL", archive.as_uri())
        fetch_datasets(data_home=str(home))
    return str(home)


def _zenodo_files(home):
    return sorted(os.listdir(os.path.join(home, "zenodo")))


def _assert_same(ours, theirs):
    assert isinstance(ours, OrderedDict)
    assert list(ours) == list(theirs)
    for name in theirs:
        assert isinstance(ours[name], Bunch)
        assert set(ours[name]) == set(theirs[name]) == {"data", "target", "DESCR"}
        np.testing.assert_array_equal(ours[name].data, theirs[name].data)
        np.testing.assert_array_equal(ours[name].target, theirs[name].target)
        assert ours[name].data.dtype == theirs[name].data.dtype
        assert ours[name].target.dtype == theirs[name].target.dtype
        assert ours[name].DESCR == theirs[name].DESCR


def test_download_writes_imbalanced_learn_cache_layout(cache):
    assert _zenodo_files(cache) == sorted(f"x{i}data.npz" for i in range(1, 28))
    ours = fetch_datasets(data_home=cache, download_if_missing=False)
    assert list(ours) == NAMES
    for i, name in enumerate(NAMES, start=1):
        X, y = _arrays(i)
        np.testing.assert_array_equal(ours[name].data, X)
        np.testing.assert_array_equal(ours[name].target, y)
        assert ours[name].DESCR == name
    _assert_same(ours, imb_fetch_datasets(data_home=cache, download_if_missing=False))


def test_names_and_ids_are_imbalanced_learn_ones():
    assert list(_zenodo.NAMES) == NAMES
    assert dict(_zenodo.IDS) == dict(imb_zenodo.MAP_NAME_ID)
    assert _zenodo.URL == IMB_URL


filter_items = st.sampled_from(NAMES) | st.integers(1, 27)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    filter_data=st.none() | st.lists(filter_items, max_size=6).map(tuple),
    shuffle=st.booleans(),
    seed=st.none() | st.integers(0, 2**32 - 1),
    instance=st.booleans(),
)
def test_same_arrays_as_imbalanced_learn(cache, filter_data, shuffle, seed, instance):
    if seed is None:
        seed = 0 if instance else None
    if shuffle and seed is None:  # the global generator: both draw from the same state
        np.random.seed(12345)  # noqa: NPY002 (imbalanced-learn's None)
        theirs = imb_fetch_datasets(data_home=cache, filter_data=filter_data,
                                    download_if_missing=False, shuffle=True)
        np.random.seed(12345)  # noqa: NPY002 (imbalanced-learn's None)
        ours = fetch_datasets(data_home=cache, filter_data=filter_data,
                              download_if_missing=False, shuffle=True)
    else:
        def rs():
            return np.random.RandomState(seed) if instance else seed

        theirs = imb_fetch_datasets(data_home=cache, filter_data=filter_data,
                                    download_if_missing=False, shuffle=shuffle,
                                    random_state=rs())
        ours = fetch_datasets(data_home=cache, filter_data=filter_data,
                              download_if_missing=False, shuffle=shuffle, random_state=rs())
    _assert_same(ours, theirs)


def test_shuffle_keeps_rows_and_targets_together(cache):
    plain = fetch_datasets(data_home=cache, filter_data=("ecoli", 27))
    shuffled = fetch_datasets(data_home=cache, filter_data=("ecoli", 27), shuffle=True,
                              random_state=0)
    for name in ("ecoli", "abalone_19"):
        rows = np.column_stack([plain[name].data, plain[name].target])
        moved = np.column_stack([shuffled[name].data, shuffled[name].target])
        assert sorted(map(tuple, rows)) == sorted(map(tuple, moved))
        assert not np.array_equal(plain[name].data, shuffled[name].data)


def test_reads_what_imbalanced_learn_downloaded(archive, tmp_path, monkeypatch):
    monkeypatch.setattr(imb_zenodo, "URL", archive.as_uri())
    theirs = imb_fetch_datasets(data_home=str(tmp_path), filter_data=(3, "oil"))
    # balancekit has nowhere to download from: it must read imbalanced-learn's files.
    monkeypatch.setattr(_zenodo, "URL", (tmp_path / "nothing-here.tar.gz").as_uri())
    ours = fetch_datasets(data_home=tmp_path, filter_data=(3, "oil"))
    _assert_same(ours, theirs)


def test_downloads_once_for_several_missing(served, tmp_path, monkeypatch):
    calls = []
    real = _zenodo.urlopen

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(_zenodo, "urlopen", counting)
    fetch_datasets(data_home=tmp_path, filter_data=("ecoli", "oil", 27))
    assert calls == [served.as_uri()]
    fetch_datasets(data_home=tmp_path, filter_data=("ecoli", "oil", 27))
    fetch_datasets(data_home=tmp_path, filter_data=("webpage",))
    assert len(calls) == 1  # the first download cached all 27, as in imbalanced-learn
    assert len(_zenodo_files(str(tmp_path))) == 27
    assert not [f for f in _zenodo_files(str(tmp_path)) if not f.endswith("data.npz")]


def test_data_home_default_follows_scikit_learn(served, tmp_path, monkeypatch):
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(tmp_path / "skdata"))
    fetch_datasets(filter_data=(2,))
    assert os.path.isfile(tmp_path / "skdata" / "zenodo" / "x2data.npz")


def test_filter_data_order_duplicates_and_list(cache):
    order = ("oil", 1, "ecoli", 5)
    ours = fetch_datasets(data_home=cache, filter_data=order)
    assert list(ours) == ["oil", "ecoli", "abalone"]
    _assert_same(ours, imb_fetch_datasets(data_home=cache, filter_data=order))
    as_list = fetch_datasets(data_home=cache, filter_data=list(order))
    _assert_same(as_list, ours)
    assert fetch_datasets(data_home=cache, filter_data=()) == OrderedDict()
    ids = fetch_datasets(data_home=cache, filter_data=(np.int64(27),))
    assert list(ids) == ["abalone_19"]


@pytest.mark.parametrize("bad, error, words", [
    (("ecoli", "e_coli"), InvalidParameterError, ["'e_coli'", "ecoli, optical_digits", "1 to 27"]),
    ((0,), InvalidParameterError, ["id 0", "abalone_19", "1 to 27"]),
    ((28,), InvalidParameterError, ["id 28", "1 to 27"]),
    ((-1,), InvalidParameterError, ["id -1"]),
    ((True,), InvalidParameterTypeError, ["True", "bool"]),
    ((1.0,), InvalidParameterTypeError, ["1.0", "float"]),
    ("ecoli", InvalidParameterTypeError, ["filter_data", "tuple", "'ecoli'"]),
    (5, InvalidParameterTypeError, ["filter_data", "tuple", "int"]),
])
def test_filter_data_errors(bad, error, words, tmp_path):
    with pytest.raises(error, match="filter_data") as info:
        fetch_datasets(data_home=tmp_path, filter_data=bad, download_if_missing=False)
    for word in words:
        assert word in str(info.value)
    assert not os.path.exists(tmp_path / "zenodo")


@pytest.mark.parametrize("name, value", [
    ("download_if_missing", "yes"), ("shuffle", 1), ("verbose", None),
    ("data_home", 3), ("random_state", "seed"), ("random_state", -1),
])
def test_parameter_errors(name, value, tmp_path):
    kwargs = {"data_home": tmp_path, "filter_data": (1,), "download_if_missing": False}
    kwargs[name] = value
    with pytest.raises((InvalidParameterError, InvalidParameterTypeError), match=name):
        fetch_datasets(**kwargs)


def test_offline_error_names_missing_sets_directory_and_url(cache, tmp_path):
    home = tmp_path / "home"
    (home / "zenodo").mkdir(parents=True)
    shutil.copy(os.path.join(cache, "zenodo", "x1data.npz"), home / "zenodo")
    with pytest.raises(FileNotFoundError) as info:
        fetch_datasets(data_home=home, filter_data=("ecoli", "oil", 27),
                       download_if_missing=False)
    message = str(info.value)
    assert isinstance(info.value, OSError) and isinstance(info.value, DataError)
    assert isinstance(info.value, BalancekitError)
    assert "oil (x18data.npz)" in message and "abalone_19 (x27data.npz)" in message
    assert "ecoli" not in message  # it is in the cache
    assert str(home / "zenodo") in message
    assert _zenodo.URL in message
    assert "download_if_missing is False" in message
    # imbalanced-learn raises an OSError in the same case
    with pytest.raises(OSError):
        imb_fetch_datasets(data_home=str(home), filter_data=("oil",), download_if_missing=False)


def test_failed_download_says_what_is_missing_and_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(_zenodo, "URL", (tmp_path / "absent.tar.gz").as_uri())
    home = tmp_path / "home"
    with pytest.raises(FileNotFoundError) as info:
        fetch_datasets(data_home=home, filter_data=("wine_quality",))
    message = str(info.value)
    assert "wine_quality (x20data.npz)" in message
    assert "downloading failed" in message
    assert str(home / "zenodo") in message and _zenodo.URL in message
    assert _zenodo_files(str(home)) == []


def test_no_network_error(tmp_path):
    # the real address, with the network refused by the fixture
    with pytest.raises(FileNotFoundError, match="zenodo.org/record/61452") as info:
        fetch_datasets(data_home=tmp_path, filter_data=("ecoli",))
    assert "network access is disabled" in str(info.value)
    assert _zenodo_files(str(tmp_path)) == []


def test_truncated_archive_leaves_no_partial_file(archive, tmp_path, monkeypatch):
    cut = tmp_path / "cut.tar.gz"
    data = archive.read_bytes()
    cut.write_bytes(data[: len(data) * 2 // 3])
    monkeypatch.setattr(_zenodo, "URL", cut.as_uri())
    home = tmp_path / "home"
    with pytest.raises(DataError, match="could not be read"):
        fetch_datasets(data_home=home)
    files = _zenodo_files(str(home))
    # the data sets read in full before the archive broke off are complete and usable
    assert all(f.endswith("data.npz") for f in files)
    assert len(files) < 27
    names = [n for i, n in enumerate(NAMES, start=1) if f"x{i}data.npz" in files]
    _assert_same(fetch_datasets(data_home=home, filter_data=tuple(names)),
                 imb_fetch_datasets(data_home=str(home), filter_data=tuple(names),
                                    download_if_missing=False))


def test_interrupted_extraction_leaves_no_partial_file(served, tmp_path, monkeypatch):
    real = shutil.copyfileobj

    def interrupted(src, dst, *args, **kwargs):
        dst.write(src.read(100))
        raise KeyboardInterrupt

    monkeypatch.setattr(shutil, "copyfileobj", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fetch_datasets(data_home=tmp_path, filter_data=("ecoli",))
    assert _zenodo_files(str(tmp_path)) == []
    monkeypatch.setattr(shutil, "copyfileobj", real)
    X, y = _arrays(1)
    np.testing.assert_array_equal(
        fetch_datasets(data_home=tmp_path, filter_data=("ecoli",))["ecoli"].data, X)


def test_interrupted_download_leaves_no_partial_file(served, tmp_path, monkeypatch):
    real_write = _zenodo._download

    def interrupted(path, verbose):
        with open(path, "wb") as out:
            out.write(served.read_bytes()[:500])
        raise KeyboardInterrupt

    monkeypatch.setattr(_zenodo, "_download", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fetch_datasets(data_home=tmp_path, filter_data=("ecoli",))
    assert _zenodo_files(str(tmp_path)) == []
    monkeypatch.setattr(_zenodo, "_download", real_write)
    assert list(fetch_datasets(data_home=tmp_path, filter_data=("ecoli",))) == ["ecoli"]


def test_short_download_is_refused(served, tmp_path, monkeypatch):
    payload = served.read_bytes()

    class Short(io.BytesIO):
        headers = {"Content-Length": str(len(payload))}

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(_zenodo, "urlopen", lambda *a, **k: Short(payload[:-100]))
    with pytest.raises(FileNotFoundError, match="closed after"):
        fetch_datasets(data_home=tmp_path, filter_data=(1,))
    assert _zenodo_files(str(tmp_path)) == []


def test_archive_without_the_data_set(tmp_path, monkeypatch):
    small = _write_archive(tmp_path / "small.tar.gz", ids=[1, 2])
    monkeypatch.setattr(_zenodo, "URL", small.as_uri())
    with pytest.raises(DataError, match=r"holds no x5data\.npz.*abalone"):
        fetch_datasets(data_home=tmp_path / "home", filter_data=(1, 5))
    assert _zenodo_files(str(tmp_path / "home")) == ["x1data.npz", "x2data.npz"]


def test_archive_member_without_label(tmp_path, monkeypatch):
    bad = _write_archive(tmp_path / "bad.tar.gz", ids=[],
                         extra={"x1data.npz": _npz_bytes(data=np.ones((3, 2)))})
    monkeypatch.setattr(_zenodo, "URL", bad.as_uri())
    with pytest.raises(DataError, match="'data' and 'label'"):
        fetch_datasets(data_home=tmp_path / "home", filter_data=(1,))
    assert _zenodo_files(str(tmp_path / "home")) == []


def test_members_in_a_folder_and_other_files_are_handled(tmp_path, monkeypatch):
    nested = _write_archive(tmp_path / "nested.tar.gz", ids=[4], prefix="./",
                            extra={"../x7data.npz": _npz_bytes(data=np.ones((2, 1)),
                                                               label=np.ones(2)),
                                   "docs/README": b"text", "x8data.npz/": b""})
    monkeypatch.setattr(_zenodo, "URL", nested.as_uri())
    ours = fetch_datasets(data_home=tmp_path / "home", filter_data=("pen_digits",))
    np.testing.assert_array_equal(ours["pen_digits"].data, _arrays(4)[0])
    assert _zenodo_files(str(tmp_path / "home")) == ["x4data.npz", "x7data.npz"]
    assert not (tmp_path / "x7data.npz").exists()  # never outside the cache


def test_corrupt_cached_file_names_it(tmp_path):
    (tmp_path / "zenodo").mkdir()
    (tmp_path / "zenodo" / "x9data.npz").write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(DataError, match=r"x9data\.npz.*'isolet'.*delete it"):
        fetch_datasets(data_home=tmp_path, filter_data=("isolet",))


def test_verbose_prints_progress(served, tmp_path, capsys):
    fetch_datasets(data_home=tmp_path, filter_data=("ecoli",), verbose=True)
    out = capsys.readouterr().out
    assert f"Downloading {served.as_uri()}" in out
    assert "MB" in out
    assert "extracted x1data.npz (ecoli)" in out
    assert "Loading ecoli from" in out
    fetch_datasets(data_home=tmp_path, filter_data=("ecoli",))
    assert capsys.readouterr().out == ""


def test_docstring_documents_the_parameters():
    import inspect

    from tests.test_common import _check_parameters

    _check_parameters("fetch_datasets", fetch_datasets.__doc__,
                      inspect.signature(fetch_datasets).parameters)
    assert inspect.signature(fetch_datasets) == inspect.signature(imb_fetch_datasets)
