"""Balanced mini-batches from a sampler's kept rows: the batching that
:mod:`balancekit.tensorflow` and :mod:`balancekit.keras` share.

A sampler that selects rows (``sample_indices_``) is fitted once; its rows are
shuffled once with the same generator and cut into batches of ``batch_size``.
Only numpy (and scipy for sparse ``X``) is needed here.
"""

import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone

from balancekit._frames import as_frame, as_series, n_rows, take_x
from balancekit._validation import check_int, check_not_a_class, check_sample_weight, check_seed
from balancekit.exceptions import (
    BalancekitWarning,
    InvalidParameterError,
    InvalidParameterTypeError,
)
from balancekit.under_sampling import RandomUnderSampler


def check_batch_options(batch_size, keep_sparse):
    """``batch_size`` as an ``int`` >= 1 and ``keep_sparse`` as a ``bool``, or a clear error."""
    batch_size = check_int("batch_size", batch_size, min_value=1)
    if not isinstance(keep_sparse, (bool, np.bool_)):
        raise InvalidParameterTypeError(
            f"keep_sparse must be True or False; got {keep_sparse!r} of type "
            f"{type(keep_sparse).__name__}."
        )
    return batch_size, bool(keep_sparse)


def balanced_rows(X, y, sampler, random_state):
    """Fit (a clone of) ``sampler`` on ``X, y`` and return it with its kept rows, shuffled.

    ``sampler=None`` is a :class:`~balancekit.under_sampling.RandomUnderSampler`
    drawing from the same generator as the shuffle (as imbalanced-learn's
    default does). The sampler's own ``sample_indices_`` are left in its order:
    the shuffled rows are a copy.
    """
    rng = check_seed(random_state)
    if sampler is None:
        sampler_ = RandomUnderSampler(random_state=rng)
    else:
        check_not_a_class("sampler", sampler, "a sampler object or None")
        if not hasattr(sampler, "fit_resample"):
            raise InvalidParameterTypeError(
                "sampler must be a sampler object (with a fit_resample method) or None; got "
                f"{sampler!r} of type {type(sampler).__name__}."
            )
        sampler_ = clone(sampler)
    sampler_.fit_resample(X, y)
    rows = getattr(sampler_, "sample_indices_", None)
    if rows is None:
        raise InvalidParameterError(
            f"sampler={sampler!r} has no sample_indices_ after fit_resample: the batches are "
            "taken from the rows a sampler keeps, so it must only select rows (e.g. "
            "RandomUnderSampler, RandomOverSampler, NearMiss, TomekLinks), not make new ones."
        )
    if any((getattr(sampler_, "shrinkage_", None) or {}).values()):
        # A smoothed bootstrap sets sample_indices_ too, but its rows are perturbed copies.
        raise InvalidParameterError(
            f"sampler={sampler!r} makes new rows (perturbed copies, with shrinkage), but the "
            "batches are taken from the rows of X it draws, which would leave the shrinkage "
            "out; use shrinkage=None (or 0) to draw the rows themselves."
        )
    rows = np.array(rows, dtype=np.intp)  # a copy: the sampler's attribute stays as it was
    if rows.shape[0] == 0:
        raise InvalidParameterError(
            f"sampler={sampler!r} kept no row of X, so there is no batch to make; it must "
            "keep at least one row."
        )
    rng.shuffle(rows)
    return sampler_, rows


def count_batches(n_rows_kept, batch_size, stacklevel):
    """The number of whole batches of ``batch_size`` in ``n_rows_kept`` rows, with a warning
    (at ``stacklevel``) when there is none."""
    steps = n_rows_kept // batch_size
    if steps == 0:
        warnings.warn(
            f"batch_size={batch_size} is larger than the {n_rows_kept} rows the sampler "
            "keeps, so an epoch has 0 whole batches and trains on nothing; choose a "
            f"batch_size of at most {n_rows_kept}.",
            BalancekitWarning,
            stacklevel=stacklevel,
        )
    return steps


def prepare_batches(X, y, sample_weight, sampler, batch_size, keep_sparse, random_state,
                    stacklevel):
    """Check the options, fit the sampler and return ``(sampler_, rows, batches,
    n_whole_batches)``; the warning of :func:`count_batches` is raised at ``stacklevel`` as
    the caller counts it.

    ``sample_weight`` is checked once the sampler has checked ``X``, whose rows it counts.
    """
    batch_size, keep_sparse = check_batch_options(batch_size, keep_sparse)
    sampler_, rows = balanced_rows(X, y, sampler, random_state)
    weights = check_sample_weight(sample_weight, n_rows(X))
    batches = Batches(X, y, weights, batch_size, keep_sparse)
    return sampler_, rows, batches, count_batches(rows.shape[0], batch_size, stacklevel + 2)


class RowTaker:
    """``take(rows)``: rows ``rows`` of ``values`` in its container (numpy, scipy.sparse,
    pandas, polars or pyarrow; a list as a numpy array). The container is examined once, not
    at every batch, and the object pickles (for Keras' worker processes)."""

    def __init__(self, values):
        if sp.issparse(values) or as_frame(values) is not None:
            self.kind = "table"
        elif as_series(values) is not None:
            self.kind = "series"
        else:
            self.kind = "array"
            values = np.asarray(values)
        self.values = values

    def __call__(self, rows):
        if self.kind == "table":
            return take_x(self.values, rows)
        if self.kind == "series":
            return as_series(self.values)[rows].to_native()
        return np.take(self.values, rows, axis=0)


class Batches:
    """``batches(rows)``: the batch of rows ``rows`` (at most ``batch_size`` of the shuffled
    kept rows), as ``(X, y)`` or ``(X, y, sample_weight)``."""

    def __init__(self, X, y, weights, batch_size, keep_sparse):
        self.batch_size = batch_size
        self.keep_sparse = keep_sparse
        self._take_X = RowTaker(X)
        self._take_y = RowTaker(y)
        self._weights = weights

    def __call__(self, rows):
        X_batch = self._take_X(rows)
        if sp.issparse(X_batch) and not self.keep_sparse:
            X_batch = X_batch.toarray()
        y_batch = self._take_y(rows)
        if self._weights is None:
            return X_batch, y_batch
        return X_batch, y_batch, self._weights[rows]


def balanced_batch_generator(
    X,
    y,
    *,
    sample_weight=None,
    sampler=None,
    batch_size=32,
    keep_sparse=False,
    random_state=None,
):
    """Make an endless generator of class-balanced mini-batches, and the steps of an epoch.

    A sampler that selects rows (one with ``sample_indices_``: an under-sampler,
    a cleaning rule or :class:`~balancekit.over_sampling.RandomOverSampler`) is
    fitted once on ``X, y``; the rows it keeps are shuffled once and cut into
    batches of ``batch_size``, taken from ``X``, ``y`` and ``sample_weight``
    without building the resampled table. Give the generator and
    ``steps_per_epoch`` to a training loop, e.g. Keras'
    ``model.fit(generator, steps_per_epoch=steps_per_epoch)``. Only numpy is
    needed: this function never imports TensorFlow.

    Parameters
    ----------
    X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
        The imbalanced data. Batches are in its container: numpy arrays,
        sparse matrices (made dense unless ``keep_sparse``), or pandas,
        polars or pyarrow tables; a list gives numpy arrays.
    y : array-like of shape (n_samples,) or (n_samples, n_classes)
        The labels, or one-hot rows (the classes are the column positions).
        Batches are in its container, one-hot rows included.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights of the rows. When given, each batch is ``(X_batch, y_batch,
        sample_weight_batch)``, the weights as a float64 array; they are
        carried to the batches, not given to the sampler.
    sampler : sampler object, default=None
        The sampler that chooses the rows; it must set ``sample_indices_``.
        It is cloned, and the clone is fitted. ``None`` means
        :class:`~balancekit.under_sampling.RandomUnderSampler` drawing from the
        generator of ``random_state``.
    batch_size : int, default=32
        Rows per batch.
    keep_sparse : bool, default=False
        Keep the batches of a sparse ``X`` sparse (in ``X``'s format); by
        default they are dense arrays.
    random_state : int, RandomState instance or None, default=None
        Seeds the one generator that shuffles the kept rows (and that the
        default sampler draws from): an int for a repeatable order, a
        ``numpy.random.RandomState`` to draw from it, ``None`` for numpy's
        global generator.

    Returns
    -------
    generator : generator of tuple
        Endlessly yields ``(X_batch, y_batch)``, or ``(X_batch, y_batch,
        sample_weight_batch)`` with ``sample_weight``. Each pass over the kept
        rows yields ``ceil(n_kept / batch_size)`` batches, the last one
        shorter when ``batch_size`` does not divide ``n_kept``; the next pass
        repeats the same batches.
    steps_per_epoch : int
        ``n_kept // batch_size``, the number of whole batches. A
        :class:`~balancekit.exceptions.BalancekitWarning` says when it is 0.

    See Also
    --------
    balancekit.keras.BalancedBatchGenerator : the same batches as a Keras dataset.
    balancekit.torch.BalancedSampler : balanced epochs for a PyTorch ``DataLoader``.

    Notes
    -----
    The batches are imbalanced-learn's
    (``imblearn.tensorflow.balanced_batch_generator``) for the same sampler
    object and ``random_state``. balancekit's under-samplers and cleaning
    rules list their kept rows in their original order, most of
    imbalanced-learn's class by class (``RandomUnderSampler`` in the order
    drawn, ``NearMiss`` by distance), and the shuffle permutes that list: with
    them, the default sampler included, each pass holds the rows
    imbalanced-learn's sampler of the same name keeps, in another order.
    A ``RandomOverSampler`` with ``shrinkage`` is refused: its rows are
    perturbed copies, not rows of ``X`` (imbalanced-learn's batches leave
    the shrinkage out).

    Examples
    --------
    >>> import numpy as np
    >>> from balancekit.tensorflow import balanced_batch_generator
    >>> X = np.arange(200.0).reshape(100, 2)
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> generator, steps_per_epoch = balanced_batch_generator(
    ...     X, y, batch_size=5, random_state=0)
    >>> steps_per_epoch
    4
    >>> epoch = [next(generator) for _ in range(steps_per_epoch)]
    >>> epoch[0][0].shape
    (5, 2)
    >>> np.bincount(np.concatenate([y_batch for _, y_batch in epoch])).tolist()
    [10, 10]
    """
    _, rows, batches, steps_per_epoch = prepare_batches(
        X, y, sample_weight, sampler, batch_size, keep_sparse, random_state, stacklevel=2)
    batch_size = batches.batch_size

    def generate():
        while True:
            for start in range(0, rows.shape[0], batch_size):
                yield batches(rows[start:start + batch_size])

    return generate(), steps_per_epoch
