"""A Keras dataset of class-balanced mini-batches (the batching of
:mod:`balancekit.tensorflow`, served by index)."""

import operator

from balancekit.tensorflow._generator import balanced_batch_generator, prepare_batches


def _keras_dataset_class():
    """Keras' base class of datasets given to ``fit`` (``PyDataset`` in Keras 3, ``Sequence``
    in Keras 2, from ``keras`` or else from ``tensorflow.keras``), or ``None`` without Keras."""
    try:
        import keras
    except ImportError:
        try:
            from tensorflow import keras
        except ImportError:
            return None
    utils = keras.utils
    return getattr(utils, "PyDataset", None) or utils.Sequence


_KerasDataset = _keras_dataset_class()
HAS_KERAS = _KerasDataset is not None

__all__ = ["BalancedBatchGenerator", "balanced_batch_generator"]


class BalancedBatchGenerator(*((_KerasDataset,) if HAS_KERAS else ())):
    """A Keras dataset of class-balanced mini-batches, for ``model.fit``.

    A sampler that selects rows (one with ``sample_indices_``: an under-sampler,
    a cleaning rule or :class:`~balancekit.over_sampling.RandomOverSampler`) is
    fitted once on ``X, y`` when the object is made; the rows it keeps are
    shuffled once and cut into batches of ``batch_size``, served by index and
    taken from ``X``, ``y`` and ``sample_weight`` without building the
    resampled table. With Keras installed it is a ``keras.utils.PyDataset``
    (``Sequence`` with Keras 2): ``model.fit(generator, epochs=10)``. Without
    Keras it is a plain sequence of batches (``len`` and indexing), the same
    batches.

    Parameters
    ----------
    X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
        The imbalanced data. Batches are in its container: numpy arrays,
        sparse matrices (made dense unless ``keep_sparse``), or pandas,
        polars or pyarrow tables; a list gives numpy arrays.
    y : array-like of shape (n_samples,) or (n_samples, n_classes)
        The labels, or one-hot rows such as ``keras.utils.to_categorical``
        makes (the classes are the column positions). Batches are in its
        container, one-hot rows included.
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

    Attributes
    ----------
    sampler_ : sampler object
        The fitted clone of ``sampler`` (or the default sampler).
    indices_ : ndarray of shape (n_kept,)
        The rows of ``X`` the sampler keeps, in the shuffled order the batches
        take them in: batch ``i`` is rows ``indices_[i * batch_size:(i + 1) *
        batch_size]``. Rows assigned to it (e.g. reshuffled in ``on_epoch_end``)
        are the ones served.

    See Also
    --------
    balancekit.keras.balanced_batch_generator : the same batches as an endless generator.
    balancekit.torch.BalancedSampler : balanced epochs for a PyTorch ``DataLoader``.

    Notes
    -----
    ``len(generator)`` is ``n_kept // batch_size``, the number of whole
    batches; a :class:`~balancekit.exceptions.BalancekitWarning` says when it
    is 0. The batches are imbalanced-learn's
    (``imblearn.keras.BalancedBatchGenerator``) for the same sampler object
    and ``random_state``; an index outside ``range(-len(generator),
    len(generator))`` raises an ``IndexError`` (imbalanced-learn gives the
    last, shorter batch or an empty one there), so that iterating over the
    object ends. With balancekit's under-samplers and cleaning rules, the
    default sampler included, the batches hold the rows imbalanced-learn's
    sampler of the same name keeps, in another order (they list their kept
    rows in their original order, most of imbalanced-learn's class by
    class). A ``RandomOverSampler`` with ``shrinkage`` is refused (its rows
    are perturbed copies, not rows of ``X``).
    ``sampler_.sample_indices_`` is left in the sampler's order
    (imbalanced-learn shuffles it in place).

    Examples
    --------
    >>> import numpy as np
    >>> from balancekit.keras import BalancedBatchGenerator
    >>> from balancekit.under_sampling import NearMiss
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(100, 2))
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> batches = BalancedBatchGenerator(X, y, sampler=NearMiss(), batch_size=5,
    ...                                  random_state=42)
    >>> len(batches)
    4
    >>> X_batch, y_batch = batches[0]
    >>> X_batch.shape
    (5, 2)
    >>> np.bincount(np.concatenate([batches[i][1] for i in range(len(batches))])).tolist()
    [10, 10]
    """

    # Keras 2 recognises its sequences by this flag as well as by their class.
    use_sequence_api = True

    def __init__(
        self,
        X,
        y,
        *,
        sample_weight=None,
        sampler=None,
        batch_size=32,
        keep_sparse=False,
        random_state=None,
    ):
        super().__init__()
        self.X = X
        self.y = y
        self.sample_weight = sample_weight
        self.sampler = sampler
        self.batch_size = batch_size
        self.keep_sparse = keep_sparse
        self.random_state = random_state
        self._sample()

    def _sample(self):
        """Fit the sampler and prepare the batches."""
        self.sampler_, self.indices_, self._batches, _ = prepare_batches(
            self.X, self.y, self.sample_weight, self.sampler, self.batch_size,
            self.keep_sparse, self.random_state, stacklevel=3)

    def __len__(self):
        # Read from indices_ at each call, as imbalanced-learn does, so that rows assigned to
        # indices_ (say, reshuffled at the end of an epoch) are the ones served.
        return len(self.indices_) // self._batches.batch_size

    def __getitem__(self, index):
        try:
            position = operator.index(index)
        except TypeError:
            raise TypeError(
                f"a batch index must be an integer; got {index!r} of type "
                f"{type(index).__name__}."
            ) from None
        n = len(self)
        if not -n <= position < n:
            valid = f"indices 0 to {n - 1}, or -1 to -{n}" if n else "no index is valid"
            raise IndexError(
                f"batch index {position} is out of range: there are {n} whole batches "
                f"({valid})."
            )
        start = (position % n) * self._batches.batch_size
        return self._batches(self.indices_[start:start + self._batches.batch_size])
