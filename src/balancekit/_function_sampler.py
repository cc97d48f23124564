"""FunctionSampler: a sampler made from any function ``func(X, y) -> (X_res, y_res)``."""

import copy
from collections.abc import Mapping

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import validate_data

from . import _frames
from ._base import BaseSampler, call_lock
from ._validation import check_finite, check_sample_weight, check_target
from .exceptions import (
    DataError,
    DataTypeError,
    InvalidParameterError,
    InvalidParameterTypeError,
)

__all__ = ["FunctionSampler"]


def _identity(X, y):
    """Copies of ``X`` and ``y`` (never the caller's objects, which the output would
    otherwise share), a pandas ``y`` under the index of a pandas ``X``."""
    X_res, y_res = (copy.deepcopy(obj) if isinstance(obj, list) else
                    obj.copy() if hasattr(obj, "copy") else copy.copy(obj) for obj in (X, y))
    return X_res, _frames.match_index(X_res, y_res)


class FunctionSampler(BaseSampler):
    """Build a sampler from a function.

    ``fit_resample(X, y)`` returns ``func(X, y, **kw_args)``, which must be a
    pair ``(X_resampled, y_resampled)``, or a triple whose third value is
    passed through as it is (as in imbalanced-learn). With ``func=None`` the
    data come back unchanged. Use it to drop outliers, de-duplicate rows or wrap any custom
    resampling rule so that it runs inside a :class:`balancekit.pipeline.Pipeline`
    (on the training rows of each fit only).

    Parameters
    ----------
    func : callable or None, default=None
        Called as ``func(X, y, **kw_args)``; must return ``(X_resampled,
        y_resampled)``. ``None`` is the identity.
    accept_sparse : bool, default=True
        Whether a scipy sparse ``X`` is accepted (when ``validate=True``).
    kw_args : dict or None, default=None
        Keyword arguments passed to ``func``.
    validate : bool, default=True
        ``True``: ``X`` must be numeric and finite (a numpy array, a pandas or
        polars DataFrame of numeric columns, or a sparse matrix if
        ``accept_sparse``) and ``y`` must hold class labels (one per row, or
        one-hot rows, which ``func`` receives as the position of each row's 1);
        ``func`` receives numpy arrays (or the sparse matrix), and its output is
        returned in the caller's containers: a dataframe comes back as the same
        kind of dataframe with the same column names and dtypes, a Series as a
        Series, a list as a list, one-hot ``y`` as one-hot rows; labels that
        ``y``'s dtype cannot hold (a new, longer string, a larger integer, a
        fraction) come back whole, in a dtype that holds them. Where ``X`` or
        ``y`` is a numpy array, ``func``'s ``X`` or ``y`` comes back in the
        container ``func`` returns (a dataframe, a Series, a list), as in
        imbalanced-learn; labels returned as an array are in ``y``'s dtype
        where it holds them.
        ``False``: ``X`` and ``y`` go to ``func`` untouched and its output is
        returned as it is, so any data can be used.

    Attributes
    ----------
    sampling_strategy_ : str
        ``'auto'``: a function sampler resamples as ``func`` does, with no
        target counts (the value imbalanced-learn sets).
    sample_indices_ : ndarray of shape (n_samples,)
        With ``func=None`` only: the rows kept (all of them, in order).
    sample_weight_ : ndarray of shape (n_samples,) or None
        The weights of the output rows, with ``func=None`` when
        ``sample_weight`` was given to :meth:`fit_resample`; else ``None``.
    n_features_in_ : int
        Number of features seen (when ``validate=True``).
    feature_names_in_ : ndarray of str
        Column names seen, when ``X`` has them (when ``validate=True``).

    See Also
    --------
    sklearn.preprocessing.FunctionTransformer : the same idea for transformers.

    Examples
    --------
    >>> import numpy as np
    >>> from balancekit import FunctionSampler
    >>> X = np.arange(20.0).reshape(10, 2); y = np.array([0] * 6 + [1] * 4)
    >>> def keep_first(X, y, n):
    ...     return X[:n], y[:n]
    >>> X_res, y_res = FunctionSampler(keep_first, kw_args={"n": 3}).fit_resample(X, y)
    >>> X_res.shape, y_res.tolist()
    ((3, 2), [0, 0, 0])
    """

    _sampling_type = "bypass"

    def __init__(self, func=None, *, accept_sparse=True, kw_args=None, validate=True):
        self.func = func
        self.accept_sparse = accept_sparse
        self.kw_args = kw_args
        self.validate = validate

    def fit(self, X, y):
        """Check the data, without resampling it.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            The training data.
        y : array-like of shape (n_samples,)
            The class labels.

        Returns
        -------
        self : object
            The sampler.
        """
        self._check_params()
        if self.validate:
            self._validate(_frames.native_byte_order(X), y)
        self.sample_weight_ = None
        self.sampling_strategy_ = "auto"
        return self

    def fit_resample(self, X, y, *, sample_weight=None):
        """Resample the data set with ``func``.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            The training data.
        y : array-like of shape (n_samples,)
            The class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the input rows. Only the identity (``func=None``) can
            carry them (to ``sample_weight_``): an arbitrary ``func`` may drop,
            reorder or create rows, so its output rows have no known weight,
            and giving weights then raises an error.

        Returns
        -------
        X_resampled : {ndarray, dataframe, sparse matrix}
            The resampled data (see ``validate`` for its container).
        y_resampled : {ndarray, Series}
            The matching labels.
        """
        with call_lock(self):  # one call of this object at a time, as every sampler's
            return self._resample_with_func(X, y, sample_weight)

    def _resample_with_func(self, X, y, sample_weight):
        """The body of :meth:`fit_resample`, run under the object's call lock."""
        self._check_params()
        self.__dict__.pop("sample_indices_", None)
        as_given = _frames.same
        if self.validate:
            X = _frames.native_byte_order(X)
            X, as_given = _frames.record_batch_as_table(X)
        self.sampling_strategy_ = "auto"
        if self.validate:
            labels, give_back = _frames.split_target(y)
            X_checked, y_arr = self._validate(X, labels)
            n_samples = y_arr.shape[0]
        else:
            X_checked, y_arr = X, y
            n_samples = _frames.n_rows(X)
        weights = None
        if sample_weight is not None:
            if self.func is not None:
                raise InvalidParameterError(
                    "sample_weight cannot be used with a FunctionSampler whose func is set: func "
                    "may drop, reorder or create rows, so the weights of its output are unknown. "
                    "Write the resampling as a balancekit.BaseSampler subclass instead: its "
                    "hook returns the rows it keeps (a balancekit.Resampled), and the weights "
                    "follow them, in a Pipeline too."
                )
            weights = check_sample_weight(sample_weight, n_samples)
        if self.func is None:
            self.sample_indices_ = np.arange(n_samples)
            self.sample_weight_ = weights
            if not self.validate:
                return _identity(X, y)
            X_res = _frames.take_x(X if isinstance(X, np.ndarray) or _frames.as_frame(X) is not None
                                   or sp.issparse(X) else X_checked, None)
            y_res = _frames.match_index(X_res, give_back(_frames.take_y(labels, y_arr, None)))
            return (np.asarray(X_res).tolist() if isinstance(X, list) else as_given(X_res)), y_res
        self.sample_weight_ = None
        output = self.func(X_checked, y_arr, **(self.kw_args or {}))
        if not self.validate:
            return output
        if not isinstance(output, (tuple, list)) or len(output) not in (2, 3):
            if isinstance(output, (tuple, list)):
                got = f"{len(output)} values"
            else:
                got = f"a {type(output).__name__}"
            raise DataError(
                "func must return a pair (X_resampled, y_resampled), or a triple whose third "
                f"value is passed through; got {got}."
            )
        X_res, y_res = self._to_caller_containers(X, labels, y_arr, output[0], output[1])
        y_res = give_back(y_res)
        if labels is y and isinstance(y, np.ndarray) and not isinstance(output[1], np.ndarray):
            # Arrays given: func's containers come back as it returns them, X's as y's (a
            # Series, a list), as in imbalanced-learn.
            y_res = output[1]
        if isinstance(X, list):
            X_res = np.asarray(X_res).tolist()
        X_res = as_given(X_res)
        return (X_res, y_res) if len(output) == 2 else (X_res, y_res, output[2])

    def _check_params(self):
        if self.func is not None and not callable(self.func):
            raise InvalidParameterTypeError(
                f"func must be a callable or None; got {self.func!r} of type "
                f"{type(self.func).__name__}."
            )
        if self.kw_args is not None and not isinstance(self.kw_args, Mapping):
            raise InvalidParameterTypeError(
                f"kw_args must be a dict or None; got {self.kw_args!r} of type "
                f"{type(self.kw_args).__name__}."
            )
        if self.func is None and self.kw_args:
            raise InvalidParameterError(
                f"kw_args={dict(self.kw_args)!r} is given, but func is None: the identity "
                "that stands in for func takes no arguments. Pass the func that takes them."
            )
        for name in ("accept_sparse", "validate"):
            value = getattr(self, name)
            if not isinstance(value, (bool, np.bool_)):
                raise InvalidParameterTypeError(
                    f"{name} must be True or False; got {value!r} of type {type(value).__name__}."
                )

    def _validate(self, X, y):
        """Numeric, finite ``X`` (sparse if allowed) and class labels ``y``."""
        if X is None:
            raise DataError("X is required: pass the training data as a 2-D array or dataframe.")
        if sp.issparse(X) and not self.accept_sparse:
            # A TypeError too, as scikit-learn's (and imbalanced-learn's) error for it.
            raise DataTypeError(
                "FunctionSampler(accept_sparse=False) does not take sparse X; convert it with "
                "X.toarray() or set accept_sparse=True."
            )
        kinds = _frames.column_kinds(X)
        numeric = ("integer", "float", "bool")
        bad = [name for name, kind in (kinds or {}).items() if kind not in numeric]
        if bad:
            raise DataError(
                f"FunctionSampler(validate=True) needs numeric columns, but X has non-numeric "
                f"column(s) {', '.join(map(repr, bad[:5]))}. Set validate=False to pass any "
                "data to func unchanged."
            )
        try:
            X_checked = validate_data(
                self,
                X,
                reset=True,
                accept_sparse=["csr", "csc", "coo"] if self.accept_sparse else False,
                dtype="numeric",
                ensure_all_finite=False,
                ensure_2d=True,
            )
        except ValueError as exc:
            raise DataError(
                f"FunctionSampler(validate=True) could not read X: {exc} Set validate=False to "
                "pass any data to func unchanged."
            ) from None
        if sp.issparse(X_checked) and _frames.as_frame(X) is not None:
            X_checked = X_checked.tocsr()  # a table of sparse columns: rows func can slice
        check_finite(X_checked, hint="FunctionSampler(validate=True) and the function it calls",
                     names=getattr(self, "feature_names_in_", None))
        y_arr = check_target(y, n_samples=X_checked.shape[0])
        return X_checked, y_arr

    def _to_caller_containers(self, X, y, y_arr, X_res, y_res):
        """Write ``func``'s arrays back as ``X``'s and ``y``'s kinds of container."""
        y_values = y_res.to_numpy() if hasattr(y_res, "to_numpy") else np.asarray(y_res)
        if y_values.ndim != 1:
            y_values = y_values.ravel()
        if not (sp.issparse(X_res) or _frames.as_frame(X_res) is not None or np.ndim(X_res)):
            raise DataError(
                f"func returned X_resampled={X_res!r} of type {type(X_res).__name__}, a single "
                "value; it must return rows (an array or table like X)."
            )
        n_rows = _frames.n_rows(X_res)
        if y_values.shape[0] != n_rows:
            raise DataError(
                f"func returned {n_rows} rows of X but {y_values.shape[0]} labels; they must "
                "match."
            )
        no_rows = np.empty(0, dtype=np.intp)
        if _frames.as_frame(X) is not None:
            block = _frames.to_numpy_2d(X_res)
            if sp.issparse(block):
                block = block.toarray()
            if block.ndim != 2 or block.shape[1] != self.n_features_in_:
                raise DataError(
                    f"func returned X with shape {block.shape}, but X has "
                    f"{self.n_features_in_} columns; a sampler keeps the columns."
                )
            X_res = _frames.take_x(X, no_rows, block)
        return X_res, _frames.take_y(y, y_arr, no_rows, y_values)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = bool(self.accept_sparse)
        tags.input_tags.allow_nan = not self.validate
        tags.input_tags.string = not self.validate
        return tags
