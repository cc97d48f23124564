"""The sampler base class: one public ``fit_resample`` and one algorithm hook."""

import functools
import inspect
import threading
import warnings
import weakref
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, OneToOneFeatureMixin
from sklearn.utils.validation import check_array, validate_data

from . import _frames
from ._strategy import SAMPLING_KINDS, resolve_targets
from ._validation import (
    check_finite,
    check_not_complex,
    check_sample_weight,
    check_seed,
    check_target,
    unique_labels,
)
from .exceptions import (
    BalancekitWarning,
    DataError,
    DataTypeError,
    InvalidParameterError,
    InvalidParameterTypeError,
)


def _check_hook(sampler):
    """Refuse, with a clear error, a subclass whose ``_fit_resample(X, y)`` follows
    imbalanced-learn's contract (it returns ``(X_res, y_res)`` and reads
    ``sampling_strategy_`` as counts of rows to add): it would fail on the keywords this
    base class passes, or on its output."""
    if _takes_targets(type(sampler)):
        return
    name = type(sampler).__name__
    raise InvalidParameterTypeError(
        f"{name}._fit_resample(X, y) is written for imbalanced-learn's BaseSampler; "
        "balancekit.BaseSampler calls _fit_resample(X, y, *, targets, rng) instead, so it "
        f"cannot run {name}. Wrap the resampling in a function func(X, y) -> (X_res, y_res) "
        "and use balancekit.FunctionSampler(func=func), which runs in a balancekit Pipeline "
        "like any sampler."
    )


_CALL_LOCKS = weakref.WeakKeyDictionary()
_CALL_LOCKS_GUARD = threading.Lock()


def call_lock(sampler):
    """The lock that runs the calls of one sampler object one at a time.

    A call sets the fitted attributes (``sampling_strategy_``, ``sample_indices_``, an
    algorithm's ``nn_k_``...) as it goes and reads some of them back, so two calls of the
    same object from two threads would mix their data and their attributes. Calls of
    separate objects (clones) still run at once.
    """
    with _CALL_LOCKS_GUARD:
        lock = _CALL_LOCKS.get(sampler)
        if lock is None:
            lock = _CALL_LOCKS[sampler] = threading.RLock()
    return lock


@functools.cache
def _takes_targets(cls):
    """Whether the hook of sampler class ``cls`` takes balancekit's keywords (checked once
    per class: fit_resample of small data should not pay for a signature each call)."""
    try:
        params = inspect.signature(cls._fit_resample).parameters
    except (AttributeError, TypeError, ValueError):
        return True
    return "targets" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


@dataclass
class Resampled:
    """What the hook ``_fit_resample`` of a :class:`balancekit.BaseSampler` returns.

    Attributes
    ----------
    indices : ndarray of int or None
        Rows of the input copied to the output, in output order (numbers
        ``0 <= i < n_samples``, repeated for copies; not a boolean mask:
        ``np.flatnonzero(mask)``); ``None``: every row, in order (what an
        over-sampler keeps, with no array of row numbers).
    synthetic : None, ndarray, sparse matrix, list of 1-D arrays or LazyRows
        New rows appended after the copied ones: a numeric block of shape
        ``(n_new, n_features)``, or one array of ``n_new`` values per column
        (for tables of mixed types; a category column takes its categories'
        values), or, within balancekit, a
        :class:`~balancekit._kernels.LazyRows` that writes them straight into
        the output.
    y_synthetic : ndarray or None
        Labels of the new rows; ``None``: those of the rows in ``origin``.
    origin : ndarray of int or None
        For each new row, the input row it was generated from (its sample
        weight is inherited from there). Needed with ``synthetic`` unless
        ``y_synthetic`` is given and no ``sample_weight`` is.
    """

    indices: np.ndarray | None
    synthetic: object = None
    y_synthetic: np.ndarray | None = None
    origin: np.ndarray | None = None


def _read_only(X):
    """A read-only view of an array ``X`` (which may be the caller's own): a hook that
    writes into its ``X`` fails at once instead of changing the caller's data."""
    if isinstance(X, np.ndarray) and X.flags.writeable:
        X = X.view()
        X.flags.writeable = False
    return X


def _row_numbers(values, what, name, n_samples):
    """``values`` as an array of row numbers of the input (``0 <= i < n_samples``), or a
    :class:`DataError` saying what ``name``'s hook gave as ``what`` instead."""
    rows = np.asarray(values)
    if rows.ndim != 1 or (rows.size and rows.dtype.kind not in "iu"):
        hint = (" (a boolean mask: give np.flatnonzero(mask))" if rows.dtype.kind == "b"
                else "")
        raise DataError(
            f"{name}._fit_resample returned {what} of dtype {rows.dtype} and shape "
            f"{rows.shape}{hint}; expected a 1-D array of integer row numbers of X."
        )
    if rows.size and (rows.min() < 0 or rows.max() >= n_samples):
        raise DataError(
            f"{name}._fit_resample returned {what} from {rows.min()} to {rows.max()}; X has "
            f"{n_samples} rows, numbered 0 to {n_samples - 1}."
        )
    return rows.astype(np.intp, copy=False)


#: The start of the warning of a sampler that removed every row of a class it was not asked
#: to remove (``compare`` notes those classes itself).
LOST_CLASS_WARNING = "removed every row of class"

#: Where the classes a combined sampler's cleaning step may clean are set (its own
#: sampling_strategy is that of the over-sampling).
_RULE_STRATEGY = {
    "SMOTEENN": "The sampling_strategy of its cleaning rule "
                "(enn=EditedNearestNeighbours(sampling_strategy=...))",
    "SMOTETomek": "The sampling_strategy of its cleaning rule "
                  "(tomek=TomekLinks(sampling_strategy=...))",
}


def _warn_lost_classes(name, y, indices, result):
    """Warn when the rows ``indices`` of ``y`` and the new rows of ``result`` hold no row of
    a class of ``y``: a cleaning rule (alone or after SMOTE) removed it."""
    n = y.shape[0]
    if indices is None or (indices.size >= n and np.array_equal(indices[:n], np.arange(n))):
        return  # every row kept (an over-sampler's copies follow them)
    if y.dtype.kind in "iu" and y.min() >= 0 and y.max() < 2**20:
        # Small non-negative integer labels are their own codes: counted without a sort.
        codes, slots = y, np.flatnonzero(np.bincount(y))
        labels, counts = slots.astype(y.dtype), np.bincount(y)[slots]
    else:
        labels, codes, counts = unique_labels(y, return_inverse=True, return_counts=True)
        slots = np.arange(labels.size)

    def seen(rows):  # which labels the rows hold
        return (np.bincount(np.take(codes, rows), minlength=slots[-1] + 1) > 0)[slots]

    present = seen(indices)
    if result.synthetic is not None:
        if result.y_synthetic is None:
            present |= seen(result.origin)
        else:
            present |= np.isin(labels, unique_labels(np.asarray(result.y_synthetic)))
    lost = ~present
    if not lost.any():
        return
    if lost.all():
        said = "removed every row: the output is empty"
    else:
        named = ", ".join(f"{label!r} ({count:,} rows)" for label, count in
                          zip(labels[lost].tolist(), counts[lost].tolist(), strict=True))
        said = (f"{LOST_CLASS_WARNING}{'es' if lost.sum() > 1 else ''} {named}: a model "
                "fitted on the output can never predict "
                f"{'them' if lost.sum() > 1 else 'it'}")
    warnings.warn(
        f"{name} {said}. A cleaning rule removes the rows that lie among (or, condensing, "
        "next to) rows of other classes: a class it may clean that is small or scattered "
        "can go whole, as can classes that overlap (tied rows, or features that do not tell "
        f"them apart). {_RULE_STRATEGY.get(name, 'Its sampling_strategy')} names the classes "
        "it may remove rows of: leave the smaller classes out of it (e.g. 'majority' or 'not "
        "minority'), or check the features.",
        BalancekitWarning,
        stacklevel=4,
    )


def _check_result(result, name, n_samples, n_features, weighted):
    """Check what the hook of sampler ``name`` returned for ``n_samples`` rows of
    ``n_features`` columns; return its ``indices`` as an array of ``intp`` (or ``None``).
    A mistake in a sampler of one's own is named here, rather than met later as rows and
    labels (or weights) of different lengths, or as rows taken from the wrong end of X."""
    if not isinstance(result, Resampled):
        raise DataError(
            f"{name}._fit_resample returned a {type(result).__name__}; it must return a "
            "balancekit.Resampled(indices, synthetic, y_synthetic, origin): the rows of X to "
            "keep and any new rows, from which fit_resample builds (X_resampled, y_resampled)."
        )
    indices = None if result.indices is None else _row_numbers(
        result.indices, "indices", name, n_samples)
    if result.synthetic is None:
        if result.y_synthetic is not None or result.origin is not None:
            raise DataError(
                f"{name}._fit_resample returned y_synthetic or origin without synthetic rows; "
                "give the new rows as synthetic."
            )
        return indices
    synthetic = result.synthetic
    if isinstance(synthetic, list):
        lengths = {len(column) for column in synthetic}
        shape = (lengths.pop() if len(lengths) == 1 else None, len(synthetic))
    else:
        shape = getattr(synthetic, "shape", None)
    if shape is None or len(shape) != 2 or shape[0] is None or shape[1] != n_features:
        raise DataError(
            f"{name}._fit_resample returned synthetic rows of shape {shape}; expected "
            f"(n_new, {n_features}): a 2-D array with X's {n_features} columns, or a list of "
            f"{n_features} columns of n_new values each."
        )
    n_new = shape[0]
    if result.origin is None:
        if result.y_synthetic is None:
            raise DataError(
                f"{name}._fit_resample returned synthetic rows without their labels: give "
                "y_synthetic, or origin (the row each new row was made from, whose label it "
                "takes)."
            )
        if weighted:
            raise DataError(
                f"{name}._fit_resample returned synthetic rows without origin, so the new rows "
                "have no sample_weight: give origin (the row each new row was made from, whose "
                "weight it takes)."
            )
    else:
        origin = result.origin = _row_numbers(result.origin, "origin", name, n_samples)
        if origin.size != n_new:
            raise DataError(
                f"{name}._fit_resample returned {n_new} synthetic rows but {origin.size} "
                "origin rows; give one origin row for each new row."
            )
    if result.y_synthetic is not None and len(result.y_synthetic) != n_new:
        raise DataError(
            f"{name}._fit_resample returned {n_new} synthetic rows but "
            f"{len(result.y_synthetic)} labels in y_synthetic; give one label for each new row."
        )
    return indices


class BaseSampler(OneToOneFeatureMixin, BaseEstimator):
    """Base class of every balancekit sampler, and of samplers of your own.

    :meth:`fit_resample` checks ``X`` and ``y``, resolves ``sampling_strategy``
    into target counts, calls the one algorithm hook and builds the output in
    the caller's containers (pandas, polars, numpy, sparse, with column names
    and dtypes kept), carrying ``sample_weight``. A subclass:

    - takes ``sampling_strategy`` (and ``random_state`` if it draws at random)
      as keyword arguments of ``__init__``, stored under the same names, with
      its own parameters; ``__init__`` does nothing else, so that ``clone``,
      ``get_params`` and ``set_params`` work;
    - sets the class attribute ``_sampling_type`` to ``'over-sampling'``,
      ``'under-sampling'`` or ``'clean-sampling'`` (how ``sampling_strategy``
      is read: see :func:`balancekit.resolve_sampling_strategy`);
    - sets ``_input`` to ``'numeric'`` (the hook receives a finite float
      ndarray, float32 kept; also a CSR or CSC matrix when ``_accept_sparse =
      True``; text or category columns, NaN and inf are refused with an error)
      or ``'any'`` (the hook receives the caller's table as given: a pandas,
      polars or pyarrow table, an array, or a sparse matrix; a list comes as an
      array; any values, missing ones included);
    - implements ``_fit_resample(self, X, y, *, targets, rng)``, which must
      not modify ``X`` (it may be the caller's own data; a numpy ``X`` is
      given read-only) and returns a :class:`balancekit.Resampled`. ``y`` is a
      1-D ndarray of the labels (one-hot rows as the position of their 1);
      ``targets`` the resolved strategy, ``{label: n_samples}`` wanted after
      resampling (for cleaning rules the current count, an upper bound); ``rng``
      a ``numpy.random.RandomState`` seeded by ``random_state``, or ``None``
      when the sampler has no ``random_state`` parameter.

    The output holds the rows of ``X`` listed in ``Resampled.indices`` (all of
    them, in order, for ``None``), then the new rows of
    ``Resampled.synthetic``. An output of input rows alone keeps their pandas
    index labels and sets ``sample_indices_``. Fitted attributes of a sampler's
    own end with ``_``.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}``: the resolved ``targets`` of the last call.
    sample_indices_ : ndarray of shape (n_samples_new,)
        The input rows of the output, when it holds no new rows.
    sample_weight_ : ndarray of shape (n_samples_new,) or None
        The weights of the output rows when ``sample_weight`` is given to
        :meth:`fit_resample`; ``None`` otherwise.
    n_features_in_ : int
        Number of features seen in :meth:`fit_resample`.
    feature_names_in_ : ndarray of str
        Column names seen in :meth:`fit_resample`, when ``X`` has them.

    See Also
    --------
    balancekit.FunctionSampler : a sampler made from a function, without a class.

    Examples
    --------
    A sampler that copies each row of the classes it grows ``k`` times:

    >>> import numpy as np
    >>> from balancekit import BaseSampler, Resampled
    >>> class RepeatRows(BaseSampler):
    ...     _sampling_type = "over-sampling"
    ...     _input = "any"
    ...
    ...     def __init__(self, *, k=2, sampling_strategy="minority"):
    ...         self.k = k
    ...         self.sampling_strategy = sampling_strategy
    ...
    ...     def _fit_resample(self, X, y, *, targets, rng):
    ...         times = np.ones(y.shape[0], dtype=np.intp)
    ...         for label in targets:
    ...             times[y == label] = self.k
    ...         return Resampled(np.repeat(np.arange(y.shape[0]), times))
    >>> X = np.arange(10).reshape(5, 2); y = np.array([0, 0, 0, 1, 1])
    >>> X_res, y_res = RepeatRows(k=3).fit_resample(X, y)
    >>> y_res.tolist()
    [0, 0, 0, 1, 1, 1, 1, 1, 1]
    >>> RepeatRows(k=3).get_params()
    {'k': 3, 'sampling_strategy': 'minority'}
    """

    _sampling_type = "over-sampling"
    _input = "numeric"
    _accept_sparse = False

    def fit(self, X, y):
        """Check the data and resolve the sampling strategy.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            The training data.
        y : array-like of shape (n_samples,)
            The class labels.

        Returns
        -------
        self : object
            The sampler, with ``sampling_strategy_`` set.
        """
        _check_hook(self)
        X = _frames.native_byte_order(X)
        y, give_back = _frames.split_target(y)
        with call_lock(self):
            X_checked, y_arr = self._check_X_y(X, y)
            self.sampling_strategy_ = self._resolve(y_arr, give_back)
        return self

    def fit_resample(self, X, y, *, sample_weight=None):
        """Resample the data set.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            The training data: a numpy array, a pandas or polars DataFrame or,
            where the method allows it, a scipy sparse matrix.
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            The class labels (list, array, column vector, pandas or polars Series
            or one-column table), or one-hot rows (one 1 per row).
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the input rows, carried through the resampling: copied
            rows keep their weight; synthetic rows take the weight of the row
            they were generated from. The resampled weights are stored in
            ``sample_weight_``. The weights do not steer the resampling: the
            strategy counts rows, not weight, and rows are chosen (and
            neighbours found) as without weights. To balance weight, balance
            with :mod:`balancekit.weights` instead.

        Returns
        -------
        X_resampled : same kind as X, of shape (n_samples_new, n_features)
            The resampled data, with the input's column names and dtypes.
        y_resampled : same kind as y, of shape (n_samples_new,) or (n_samples_new, n_classes)
            The matching labels, in ``y``'s layout (one-hot rows for one-hot
            ``y``). A pandas ``y`` takes the index of a pandas ``X_resampled``.
        """
        _check_hook(self)
        with call_lock(self):  # one call of this object at a time: see call_lock
            return self._fit_resample_checked(X, y, sample_weight)

    def _fit_resample_checked(self, X, y, sample_weight):
        """The body of :meth:`fit_resample`, run under the object's call lock."""
        X = _frames.native_byte_order(X)
        X, as_given = _frames.record_batch_as_table(X)
        y, give_back = _frames.split_target(_frames.native_byte_order(y))
        X_checked, y_arr = self._check_X_y(X, y)
        weights = check_sample_weight(sample_weight, y_arr.shape[0])
        self.sampling_strategy_ = self._resolve(y_arr, give_back)
        rng = check_seed(self.random_state) if hasattr(self, "random_state") else None
        result = self._fit_resample(_read_only(X_checked), y_arr,
                                    targets=self.sampling_strategy_, rng=rng)
        indices = _check_result(result, type(self).__name__, y_arr.shape[0],
                                self.n_features_in_, weighted=weights is not None)
        if self._sampling_type != "under-sampling":  # an under-sampler keeps the counts asked
            _warn_lost_classes(type(self).__name__, y_arr, indices, result)
        if result.synthetic is None:
            self.sample_indices_ = np.arange(y_arr.shape[0]) if indices is None else indices
        elif self._origins_as_indices:
            self.sample_indices_ = np.concatenate(
                [np.arange(y_arr.shape[0]) if indices is None else indices, result.origin])
        elif hasattr(self, "sample_indices_"):
            del self.sample_indices_  # stale from an earlier call that only selected rows
        # The input rows the output starts with, before any new rows (None: every row, in
        # order): the command line writes their cells as they were read.
        self._head_rows_ = self.sample_indices_ if result.synthetic is None else indices
        if weights is not None:
            parts = [weights if indices is None else weights[indices]]
            if result.origin is not None:
                parts.append(weights[result.origin])
            self.sample_weight_ = np.concatenate(parts)
        else:
            self.sample_weight_ = None
        X_out = _frames.take_x(self._output_source(X, X_checked), indices, result.synthetic)
        result.synthetic = None  # what wrote the new rows, freed before the labels are built
        y_out = _frames.take_y(y, y_arr, indices, result.y_synthetic, result.origin)
        y_out = _frames.match_index(X_out, give_back(y_out))
        if isinstance(X, list):
            X_out = X_out.tolist()
        return as_given(X_out), y_out

    def _resolve(self, y_arr, give_back):
        """The target counts of ``sampling_strategy`` for the labels ``y_arr``; for one-hot
        ``y`` (``give_back`` has ``columns``), an error says that the classes are the
        column positions."""
        name = type(self).__name__
        if self._sampling_type not in SAMPLING_KINDS:
            raise InvalidParameterTypeError(
                f"{name}._sampling_type={self._sampling_type!r} is not supported; a sampler of "
                f"balancekit.BaseSampler sets it to one of {', '.join(map(repr, SAMPLING_KINDS))}."
            )
        if not hasattr(self, "sampling_strategy"):
            raise InvalidParameterTypeError(
                f"{name} has no sampling_strategy: a balancekit.BaseSampler takes "
                "sampling_strategy in __init__ and stores it as self.sampling_strategy (e.g. "
                "def __init__(self, *, sampling_strategy='auto'): self.sampling_strategy = "
                "sampling_strategy); fit_resample resolves it into the targets of _fit_resample."
            )
        try:
            return resolve_targets(self.sampling_strategy, y_arr, self._sampling_type)
        except InvalidParameterError as exc:
            columns = getattr(give_back, "columns", None)
            if columns is None or "not in y" not in str(exc):
                raise
            positions = ", ".join(f"{j} for {name!r}" for j, name in enumerate(columns[:10]))
            raise InvalidParameterError(
                f"{exc} y is one-hot, so its classes are the positions of its columns "
                f"({positions}{', ...' if len(columns) > 10 else ''}); name the classes in "
                "sampling_strategy by these positions."
            ) from None

    def _output_source(self, X, X_checked):
        """The container the output is built from: the caller's, or the checked array
        (the array of a list of integers or booleans, which keeps their kind, as an array
        of them does; the float array a numeric sampler read from a numpy array of
        objects, as scikit-learn and imbalanced-learn read it)."""
        if isinstance(X, np.ndarray) and X.dtype == object and self._input == "numeric":
            return X_checked
        if _frames.as_frame(X) is not None or sp.issparse(X) or isinstance(X, np.ndarray):
            return X
        values = np.asarray(X)
        return values if values.dtype.kind in "biu" else X_checked

    def _check_X_y(self, X, y, one_class=False):
        """Validate ``X`` and ``y``; return what the hook works on and the 1-D labels
        (``one_class=True``: labels of one class are accepted, for a part of the data)."""
        if X is None:
            raise DataError("X is required: pass the training data as a 2-D array or dataframe.")
        if sp.issparse(X) and not self.__sklearn_tags__().input_tags.sparse:
            raise DataError(
                f"{type(self).__name__} does not support sparse X; convert it with X.toarray()."
            )
        if self._input == "any":
            X_checked = self._check_any(X)
        elif self._input == "numeric":
            X_checked = self._check_numeric(X)
        else:
            raise InvalidParameterTypeError(
                f"{type(self).__name__}._input={self._input!r} is not supported; a sampler of "
                "balancekit.BaseSampler sets it to 'numeric' or 'any'."
            )
        y_arr = check_target(y, n_samples=_frames.n_rows(X_checked), one_class=one_class)
        return X_checked, y_arr

    def _check_shape(self, X):
        shape = getattr(X, "shape", None)
        if shape is None or len(shape) != 2:
            got = f"shape {shape}" if shape is not None else type(X).__name__
            raise DataError(
                f"X must be 2-D (n_samples, n_features); got {got}. Reshape a single feature "
                "with X.reshape(-1, 1), or a single sample with X.reshape(1, -1)."
            )
        if shape[0] == 0:
            raise DataError("X is empty: it has 0 rows.")
        if shape[1] == 0:
            raise DataError(
                f"X has 0 feature(s) (shape={tuple(shape)}) while a minimum of 1 is required."
            )

    def _check_any(self, X):
        """Accept any 2-D table (strings, NaN, mixed types): rows are only selected."""
        if isinstance(X, np.matrix):
            # As scikit-learn's check, which the numeric samplers run: a matrix keeps its
            # rows 2-D, X[i] included.
            raise DataTypeError(
                "np.matrix is not supported. Please convert to a numpy array with np.asarray "
                f"(X is a numpy.matrix of shape {X.shape})."
            )
        if _frames.as_frame(X) is None and not sp.issparse(X):
            if not isinstance(X, np.ndarray):
                arr = np.asarray(X)
                # Mixed lists: keep numbers as numbers rather than as their text.
                X = np.asarray(X, dtype=object) if arr.dtype.kind in "US" else arr
        self._check_shape(X)
        validate_data(self, X, skip_check_array=True, reset=True)
        return X

    def _refuse_non_numeric(self, kinds):
        """A :class:`DataError` naming the columns of ``kinds`` (``{name: kind}``, as
        :func:`balancekit._frames.column_kinds` gives them) that are not numbers."""
        bad = [name for name, kind in kinds.items() if kind not in ("integer", "float", "bool")]
        if bad:
            advice = [_frames.temporal_advice(kinds, bad)]
            if any(kinds[name] != "temporal" for name in bad):
                advice.append(self._non_numeric_hint())
            raise DataError(
                f"{type(self).__name__} needs numeric columns, but X has non-numeric "
                f"column(s) {', '.join(map(repr, bad[:5]))}{' ...' if len(bad) > 5 else ''}. "
                + " ".join(filter(None, advice))
            )

    def _check_numeric(self, X):
        """Return a finite float array (float32 kept) or raise a helpful error."""
        kinds = _frames.column_kinds(X)
        if kinds is not None:
            self._check_shape(X)
            if self._sampling_type != "over-sampling" and not self._makes_rows:
                # Rows are only selected, so a pandas category of numbers is measured by its
                # numbers (as imbalanced-learn reads it) and copied as a category; new rows
                # could not be written to it.
                kinds.update(dict.fromkeys(_frames.number_categories(X), "float"))
            self._refuse_non_numeric(kinds)
        elif not sp.issparse(X):
            arr = np.asarray(X) if not isinstance(X, np.ndarray) else X
            if arr.dtype.kind in "mM":
                # As a table's column of dates is refused: numbers by accident of encoding.
                raise DataError(
                    f"{type(self).__name__} needs numeric data, but X is an array of dates or "
                    f"times (dtype {arr.dtype}), which are neither numbers to compare or "
                    "interpolate nor categories: derive numbers from them first (e.g. days "
                    "since a start date: (X - X.min()) / np.timedelta64(1, 'D')), or leave "
                    "them out."
                )
            if arr.dtype.kind in "OUS":
                try:
                    arr.astype(np.float64)
                except (TypeError, ValueError) as exc:
                    raise DataTypeError(
                        f"{type(self).__name__} needs numeric data, but X holds values that are "
                        f"not numbers ({exc}). {self._non_numeric_hint()}"
                    ) from None
            self._check_shape(arr)
            check_not_complex(arr.dtype, type(self).__name__)
        else:
            check_not_complex(X.dtype, type(self).__name__)
        accept_sparse = ["csr", "csc"] if self._accept_sparse else False
        options = {"accept_sparse": accept_sparse, "dtype": [np.float64, np.float32],
                   "ensure_all_finite": False, "ensure_2d": True, "ensure_min_samples": 1}
        values = _frames.float32_values(X)
        if values is not None:
            validate_data(self, X, reset=True, skip_check_array=True)  # the names, the width
            X_checked = check_array(values, **options)
        else:
            X_checked = validate_data(self, X, reset=True, **options)
        if sp.issparse(X_checked) and not X_checked.has_canonical_format:
            # A value stored as several entries of one cell is their sum for scipy, but not
            # for scikit-learn's row norms (and so its distances): one entry per cell.
            X_checked = X_checked.copy()
            X_checked.sum_duplicates()
        hint = self._numeric_hint or f"{type(self).__name__} and other neighbour-based samplers"
        check_finite(X_checked, hint=hint, uses=self._numeric_uses, distances=True,
                     interpolates=self._sampling_type == "over-sampling",
                     names=getattr(self, "feature_names_in_", None))
        return X_checked

    # In _check_numeric's errors: who needs finite numbers (None: this sampler and the other
    # neighbour-based ones), and what they do with them (overflowing float64 when huge).
    _numeric_hint = None
    _numeric_uses = "compare squared distances between rows"
    # Whether sample_indices_ lists new rows by their origin rows (RandomOverSampler's
    # smoothed copies); else it is set only when the output holds input rows only.
    _origins_as_indices = False
    # Whether an under-sampler makes rows of its own (cluster centres) rather than only
    # selecting rows: a pandas category of numbers cannot hold their values.
    _makes_rows = False

    def _non_numeric_hint(self):
        """What to use instead on data with text or category columns."""
        if self._sampling_type == "over-sampling":
            return ("Use SMOTENC for mixed numeric and categorical data (SMOTEN for all-"
                    "categorical), or encode those columns first (on the command line: "
                    "-m smotenc, or --drop those columns).")
        return ("Encode those columns first (e.g. sklearn.preprocessing.OneHotEncoder), or use "
                "RandomUnderSampler, which takes columns of any type (on the command line: "
                "-m random_under, or --drop those columns).")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # As imbalanced-learn marks its samplers (code that tells them apart reads this).
        tags.estimator_type = "sampler"
        tags.input_tags.sparse = self._accept_sparse or self._input == "any"
        tags.input_tags.allow_nan = self._input == "any"
        tags.input_tags.string = self._input == "any"
        tags.target_tags.required = True  # every sampler needs the class of each row
        return tags
