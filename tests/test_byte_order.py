"""Big-endian data resamples as the same data in the machine's byte order."""

import warnings

import numpy as np
import pandas as pd
import pytest

from balancekit import FunctionSampler
from balancekit.exceptions import SmallClassWarning

from ._samplers import all_sampler_classes, make_sampler

SAMPLERS = all_sampler_classes()


def _data():
    rng = np.random.RandomState(0)
    y = np.repeat([0, 1, 2], [90, 40, 20])
    X = rng.randn(y.size, 3) + y[:, None]
    return X, y


def _resample(name, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SmallClassWarning)
        return make_sampler(SAMPLERS[name]).fit_resample(X, y)


def _swapped(dtype):
    return np.dtype(dtype).newbyteorder(">" if np.little_endian else "<")


@pytest.mark.parametrize("dtype", ["f8", "f4", "i4"])
@pytest.mark.parametrize("name", list(SAMPLERS))
def test_big_endian_arrays_resample_as_native_ones(name, dtype):
    # Same rows and the same values, bit for bit: float32 is computed in float32 whatever
    # its byte order.
    X, y = _data()
    native = (X * 10).astype(dtype) if dtype == "i4" else X.astype(dtype)
    X_ref, y_ref = _resample(name, native, y)
    X_res, y_res = _resample(name, native.astype(_swapped(dtype)), y.astype(_swapped("i8")))
    assert X_res.dtype.kind == native.dtype.kind and X_res.dtype.itemsize == native.dtype.itemsize
    np.testing.assert_array_equal(X_res, X_ref)
    np.testing.assert_array_equal(y_res, y_ref)


@pytest.mark.parametrize("name", list(SAMPLERS))
def test_big_endian_frames_resample_as_native_ones(name):
    X, y = _data()
    native = pd.DataFrame(X, columns=["a", "b", "c"])
    X_ref, y_ref = _resample(name, native, y)
    X_res, y_res = _resample(name, native.astype(_swapped("f8")), y)
    assert list(X_res.columns) == ["a", "b", "c"]
    np.testing.assert_array_equal(X_res.to_numpy(dtype=np.float64), X_ref.to_numpy())
    np.testing.assert_array_equal(y_res, y_ref)
    # A big-endian Series of labels: the samplers that only select rows failed ("Big-endian
    # buffer not supported"), SMOTE gave the labels back big-endian.
    y_ref = _resample(name, native, pd.Series(y))[1]
    y_res = _resample(name, native, pd.Series(y.astype(_swapped("i4"))))[1]
    assert y_res.dtype == np.dtype("i4")
    np.testing.assert_array_equal(y_res, y_ref)


def test_function_sampler_reads_big_endian_frames():
    X, y = _data()
    frame = pd.DataFrame(X, columns=["a", "b", "c"]).astype(_swapped("f8"))
    X_res, _ = FunctionSampler(lambda X, y: (X[::2], y[::2])).fit_resample(frame, y)
    np.testing.assert_array_equal(X_res.to_numpy(dtype=np.float64), X[::2])
