import gc
import importlib.util
import os
import tracemalloc

import numpy as np
import pytest
from sklearn.datasets import make_classification
from threadpoolctl import threadpool_limits

# Keras 3 needs a back end; PyTorch is the one the test environment may have. Set before any
# test module imports Keras (through balancekit.keras); a value already set wins.
if importlib.util.find_spec("torch") is not None:
    os.environ.setdefault("KERAS_BACKEND", "torch")


@pytest.fixture(autouse=True)
def _one_thread_per_worker():
    """Tests run in parallel workers on small data: nested thread pools only add contention."""
    with threadpool_limits(1):
        yield


@pytest.fixture
def multiclass_data():
    X, y = make_classification(
        n_samples=300, n_features=4, n_informative=3, n_redundant=0, n_classes=3,
        weights=[0.6, 0.3, 0.1], class_sep=1.5, n_clusters_per_class=1, random_state=0,
    )
    return X, y


@pytest.fixture
def binary_data():
    X, y = make_classification(
        n_samples=300, n_features=4, n_informative=3, n_redundant=0, weights=[0.8, 0.2],
        class_sep=1.0, n_clusters_per_class=1, random_state=1,
    )
    return X, y


@pytest.fixture(params=["pandas", "polars"])
def frame_lib(request):
    """One test body run over pandas and polars."""
    return pytest.importorskip(request.param)


def to_frame(lib, X, columns=None):
    columns = columns or [f"x{j}" for j in range(X.shape[1])]
    data = {c: X[:, j] for j, c in enumerate(columns)}
    return lib.DataFrame(data)


def traced_peak(call):
    """Run ``call()`` under tracemalloc: ``(peak traced bytes, its result)``.

    Warm the call up on a little data first, so that one-time set-up (imports, caches)
    stays out of the measure.
    """
    gc.collect()
    tracemalloc.start()
    try:
        result = call()
        return tracemalloc.get_traced_memory()[1], result
    finally:
        tracemalloc.stop()


def rows_as_set(X):
    return {tuple(np.round(row, 10)) for row in np.asarray(X, dtype=float)}
