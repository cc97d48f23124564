"""The value difference metric between rows of category codes.

It is the distance SMOTEN searches its neighbours with, and is computed by the
same functions (:func:`balancekit.over_sampling._smotenc.class_profiles`).
"""

import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted, validate_data

from .. import _frames
from .._validation import check_int, check_option, check_target, plain_label
from ..exceptions import DataError, DataTypeError, InvalidParameterError, InvalidParameterTypeError
from ..over_sampling._smotenc import _level_distances, class_profiles

__all__ = ["ValueDifferenceMetric"]

# The largest code taken: imbalanced-learn reads the codes as int32.
_MAX_CODE = np.iinfo(np.int32).max


class ValueDifferenceMetric(BaseEstimator):
    r"""Distances between rows of categorical features: the value difference metric.

    Two values of a feature are close when the classes are distributed alike
    among the training rows that hold them. With :math:`P(c \mid v)` the share
    of class :math:`c` among the rows whose feature :math:`f` holds :math:`v`,
    the distance between two values of :math:`f` is the Minkowski distance of
    order ``k`` between their class profiles,

    .. math::
       \delta_f(u, v) = \Big(\sum_{c} |P(c \mid u) - P(c \mid v)|^{k}\Big)^{1/k},

    and the distance between two rows :math:`x` and :math:`z` sums these over
    the features, each to the power ``r``:

    .. math::
       \Delta(x, z) = \sum_{f} \delta_f(x_f, z_f)^{r}.

    This is imbalanced-learn's ``ValueDifferenceMetric`` (the same parameters,
    attributes and values); with the defaults ``k=1, r=2`` it is the distance
    :class:`~balancekit.over_sampling.SMOTEN` uses. The features must be
    integer category codes ``0, 1, ...``, as
    :class:`sklearn.preprocessing.OrdinalEncoder` gives them.

    Parameters
    ----------
    n_categories : 'auto' or array-like of int of shape (n_features,), default='auto'
        The number of categories of each feature: its codes run from 0 to
        ``n_categories[j] - 1``. ``'auto'`` takes one more than the largest
        code of each feature in the training data. A count larger than that
        leaves room for categories that no training row holds (for instance
        ``[len(c) for c in encoder.categories_]`` of an ``OrdinalEncoder``
        fitted on more data): their class profile is all zeros.
    k : int, default=1
        The order (>= 1) of the Minkowski distance between the class profiles
        of two values of a feature.
    r : int, default=2
        The power (>= 1) each feature's distance is raised to before they are
        summed.

    Attributes
    ----------
    n_categories_ : ndarray of int of shape (n_features,)
        The number of categories of each feature.
    proba_per_class_ : list of ndarray of shape (n_categories_[j], n_classes)
        For each feature, the share of each class (columns, in the order of
        ``classes_``) among the training rows holding each of its codes
        (rows); a row of zeros for a code that no training row holds.
    classes_ : ndarray of shape (n_classes,)
        The sorted class labels seen in ``fit``.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of str of shape (n_features_in_,)
        Column names seen in ``fit``, when ``X`` has them all as strings.

    See Also
    --------
    balancekit.over_sampling.SMOTEN : Over-sampling of categorical data with this metric.

    Notes
    -----
    Where balancekit is stricter than imbalanced-learn: ``k`` and ``r`` must
    be at least 1 (imbalanced-learn takes any integer: ``k=0`` fails
    there with a division by zero, ``r=0`` makes every distance the number of
    features); codes that are not whole numbers are refused rather than
    truncated; and ``pairwise`` refuses a code of ``n_categories_[j]`` or more
    (imbalanced-learn fails with an ``IndexError``), rows of another
    number of features (imbalanced-learn fails with an ``IndexError`` for
    fewer and ignores the columns beyond for more) and, as scikit-learn's
    estimators do, a dataframe whose column names differ from those seen in
    ``fit``.

    References
    ----------
    C. Stanfill and D. Waltz, "Toward memory-based reasoning", Communications of
    the ACM 29(12), 1986.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.preprocessing import OrdinalEncoder
    >>> from balancekit.metrics.pairwise import ValueDifferenceMetric
    >>> weather = np.array([["sun"]] * 3 + [["rain"]] * 3 + [["snow"]] * 2)
    >>> y = ["walk", "walk", "bus", "walk", "bus", "bus", "bus", "bus"]
    >>> encoder = OrdinalEncoder(dtype=np.int64).fit(weather)
    >>> encoder.categories_[0].tolist()
    ['rain', 'snow', 'sun']
    >>> vdm = ValueDifferenceMetric().fit(encoder.transform(weather), y)
    >>> vdm.n_categories_.tolist(), vdm.classes_.tolist()
    ([3], ['bus', 'walk'])
    >>> vdm.proba_per_class_[0].round(3).tolist()
    [[0.667, 0.333], [1.0, 0.0], [0.333, 0.667]]
    >>> X_new = encoder.transform([["sun"], ["rain"], ["snow"]])
    >>> vdm.pairwise(X_new).round(3).tolist()
    [[0.0, 0.444, 1.778], [0.444, 0.0, 0.444], [1.778, 0.444, 0.0]]
    """

    def __init__(self, *, n_categories="auto", k=1, r=2):
        self.n_categories = n_categories
        self.k = k
        self.r = r

    def fit(self, X, y):
        """Count the classes of the training rows holding each code of each feature.

        Parameters
        ----------
        X : array-like or dataframe of shape (n_samples, n_features)
            Category codes: whole numbers from 0 (integers, or floats and text
            holding whole numbers), as ``OrdinalEncoder`` gives them.
        y : array-like of shape (n_samples,)
            The class labels.

        Returns
        -------
        self : ValueDifferenceMetric
            The fitted metric.
        """
        self._check_exponents()
        codes = self._codes(X, "X", reset=True)
        y = check_target(y, codes.shape[0], one_class=True)
        if isinstance(self.n_categories, str):
            check_option("n_categories", self.n_categories, ("auto",))
            n_categories = codes.max(axis=0).astype(np.int64) + 1
        else:
            n_categories = self._check_n_categories(codes)
        self.classes_, self.proba_per_class_ = class_profiles(codes, y, n_categories)
        self.n_categories_ = n_categories
        return self

    def pairwise(self, X, Y=None):
        """The distances between the rows of ``X`` and those of ``Y``.

        Parameters
        ----------
        X : array-like or dataframe of shape (n_samples_X, n_features)
            Category codes, as in ``fit``: the codes of feature ``j`` must be
            below ``n_categories_[j]``.
        Y : array-like or dataframe of shape (n_samples_Y, n_features), default=None
            Category codes, as ``X``; ``None`` compares the rows of ``X``
            with each other.

        Returns
        -------
        distances : ndarray of shape (n_samples_X, n_samples_Y)
            ``distances[i, j]``: the distance between the row ``i`` of ``X``
            and the row ``j`` of ``Y`` (of ``X`` when ``Y`` is ``None``).
        """
        check_is_fitted(self)
        k, r = self._check_exponents()
        X_codes = self._codes(X, "X", reset=False)
        Y_codes = X_codes if Y is None else self._codes(Y, "Y", reset=False)
        distances = np.zeros((X_codes.shape[0], Y_codes.shape[0]))
        for j, proba in enumerate(self.proba_per_class_):
            distances += _level_distances(proba, k, r)(X_codes[:, j], Y_codes[:, j])
        return distances

    def _check_exponents(self):
        return check_int("k", self.k, min_value=1), check_int("r", self.r, min_value=1)

    def _check_n_categories(self, codes):
        """``n_categories`` as an int64 array, checked against the codes of the training data."""
        values = np.asarray(self.n_categories)
        if values.ndim != 1 or values.dtype.kind not in "iu":
            raise InvalidParameterTypeError(
                "n_categories must be 'auto' or a 1-D list of integers, one per feature; got "
                f"{self.n_categories!r}"
                f"{f' (an array of dtype {values.dtype} and shape {values.shape})' if values.ndim else ''}."
            )
        if values.size != codes.shape[1]:
            raise InvalidParameterError(
                f"n_categories has {values.size} entries, but X has {codes.shape[1]} features: "
                "give one number of categories per feature."
            )
        largest = codes.max(axis=0)
        short = np.flatnonzero(largest >= values)
        if short.size:
            j = int(short[0])
            raise InvalidParameterError(
                f"n_categories[{j}]={int(values[j])} is too small: {self._column(j)} of X holds "
                f"the code {int(largest[j])}, and the codes of a feature run from 0 to its "
                "number of categories - 1."
            )
        return values.astype(np.int64)

    def _column(self, j):
        names = getattr(self, "feature_names_in_", None)
        return f"column {j}" + (f" ({names[j]!r})" if names is not None else "")

    def _codes(self, X, name, *, reset):
        """``X`` as a 2-D array of category codes (``np.intp``), checked.

        ``reset=True`` (in ``fit``) records the number and names of the
        features; else ``X`` must have those, and codes below ``n_categories_``.
        """
        if sp.issparse(X):
            raise DataTypeError(
                f"{name} is a sparse matrix; ValueDifferenceMetric needs dense category codes: "
                f"pass {name}.toarray()."
            )
        arr = _frames.native_byte_order(np.asarray(_frames.to_numpy_2d(X)))
        if arr.ndim != 2 or 0 in arr.shape:
            raise DataError(
                f"{name} must be a 2-D array of category codes with at least one row and one "
                f"column; got an array of shape {arr.shape}."
                + (f" Reshape a single feature with {name}.reshape(-1, 1)." if arr.ndim == 1
                   else "")
            )
        if not reset and arr.shape[1] != self.n_features_in_:
            raise DataError(
                f"{name} has {arr.shape[1]} features, but ValueDifferenceMetric was fitted on "
                f"{self.n_features_in_}."
            )
        self._check_names(X, name, reset)
        codes = _whole_numbers(arr, name)
        negative = np.argwhere(codes < 0)
        if negative.size:
            i, j = negative[0]
            raise DataError(
                f"{name} holds the negative code {codes[i, j]} (row {i}, column {j}); category "
                "codes start at 0. (OrdinalEncoder's unknown_value=-1 marks categories the "
                "encoder did not see: this metric has no class profile for them.)"
            )
        if not reset:
            above = np.argwhere(codes >= self.n_categories_)
            if above.size:
                i, j = above[0]
                raise DataError(
                    f"{name} holds the code {codes[i, j]} (row {i}) in {self._column(j)}, but "
                    f"the metric was fitted with n_categories_[{j}]={self.n_categories_[j]} "
                    f"categories there (codes 0 to {self.n_categories_[j] - 1}). Fit it with a "
                    "larger n_categories to compare categories that no training row holds."
                )
        return codes

    def _check_names(self, X, name, reset):
        """scikit-learn's check of the feature names of ``X``, its warning and error naming
        the argument ``name`` (``'Y'`` of :meth:`pairwise` too), not always ``X``."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                validate_data(self, X, reset=reset, skip_check_array=True)
            except ValueError as exc:
                raise DataError(f"{name}: {exc}") from None
        for warning in caught:
            message = str(warning.message)
            if message.startswith("X ") and name != "X":
                message = name + message[1:]
            warnings.warn(message, warning.category, stacklevel=4)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.positive_only = True  # category codes, from 0
        return tags


def _whole_numbers(arr, name):
    """The values of ``arr`` as ``np.intp``, when they are all whole numbers."""
    if arr.dtype.kind in "biu":
        if arr.dtype.kind != "b" and arr.max() > _MAX_CODE:
            raise DataError(_too_large(name, arr.max()))
        return arr.astype(np.intp)
    if arr.dtype.kind == "O":
        import pandas as pd

        missing = np.asarray(pd.isna(arr), dtype=bool)
        if missing.any():
            i, j = np.argwhere(missing)[0]
            raise DataError(_missing(name, i, j))
    if arr.dtype.kind in "OUSf":
        try:
            values = arr.astype(np.float64)
        except (TypeError, ValueError):
            bad = next(v for v in arr.ravel() if not _is_number(v))
            raise DataTypeError(
                f"{name} must hold category codes (whole numbers from 0); got the value "
                f"{plain_label(bad)!r}. Encode the categories first, e.g. with "
                "sklearn.preprocessing.OrdinalEncoder."
            ) from None
    else:
        raise DataTypeError(
            f"{name} must hold category codes (whole numbers from 0); got values of dtype "
            f"{arr.dtype}."
        )
    if np.isnan(values).any():
        i, j = np.argwhere(np.isnan(values))[0]
        raise DataError(_missing(name, i, j))
    fraction = np.argwhere(np.isinf(values) | (values != np.round(values)))
    if fraction.size:
        i, j = fraction[0]
        raise DataError(
            f"{name} holds {plain_label(arr[i, j])!r} (row {i}, column {j}), which is not a "
            "whole number; category codes are the whole numbers 0, 1, ..."
        )
    if values.max() > _MAX_CODE:
        raise DataError(_too_large(name, values.max()))
    return values.astype(np.intp)


def _is_number(value):
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _missing(name, i, j):
    return (
        f"{name} has a missing value (row {i}, column {j}); the metric needs a category code in "
        "every cell. Encode missing values as a category of their own (e.g. OrdinalEncoder's "
        "encoded_missing_value), or drop those rows."
    )


def _too_large(name, value):
    return (
        f"{name} holds the code {plain_label(value)!r}; category codes must be at most "
        f"{_MAX_CODE} (number the categories of each feature 0, 1, ..., e.g. with "
        "OrdinalEncoder)."
    )
