"""Input and parameter checks shared by every estimator, with clear messages."""

import inspect
import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import DataConversionWarning
from sklearn.utils import check_random_state, get_tags
from sklearn.utils.multiclass import type_of_target

from ._frames import arrow_values, native_byte_order
from .exceptions import (
    DataError,
    DataTypeError,
    InvalidParameterError,
    InvalidParameterTypeError,
)


def check_int(name, value, *, min_value=None, max_value=None):
    """Return ``value`` as an ``int`` after checking its type and range."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise InvalidParameterTypeError(
            f"{name} must be an integer; got {value!r} of type {type(value).__name__}."
        )
    if min_value is not None and value < min_value:
        raise InvalidParameterError(f"{name}={value} is out of range; it must be >= {min_value}.")
    if max_value is not None and value > max_value:
        raise InvalidParameterError(f"{name}={value} is out of range; it must be <= {max_value}.")
    return int(value)


def check_bool(name, value):
    """Return ``value`` as a ``bool`` after checking that it is one (numpy's included)."""
    if not isinstance(value, (bool, np.bool_)):
        raise InvalidParameterTypeError(
            f"{name} must be True or False; got {value!r} of type {type(value).__name__}."
        )
    return bool(value)


def check_real(name, value, *, min_value=None, max_value=None, include_min=True):
    """Return ``value`` as a ``float`` after checking its type and range."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise InvalidParameterTypeError(
            f"{name} must be a number; got {value!r} of type {type(value).__name__}."
        )
    value = float(value)
    if not np.isfinite(value):
        raise InvalidParameterError(f"{name}={value} must be finite.")
    if min_value is not None and (value < min_value or (value == min_value and not include_min)):
        op = ">=" if include_min else ">"
        raise InvalidParameterError(f"{name}={value} is out of range; it must be {op} {min_value}.")
    if max_value is not None and value > max_value:
        raise InvalidParameterError(f"{name}={value} is out of range; it must be <= {max_value}.")
    return value


def accepts_parameter(method, name):
    """Whether ``method`` names a parameter ``name`` (``**kwargs`` alone does not count)."""
    try:
        parameters = inspect.signature(method).parameters
    except (TypeError, ValueError):
        return False
    return name in parameters


def check_not_a_class(name, value, expected):
    """Raise when ``value`` is a class where an object of it is expected (``KMeans`` for
    ``KMeans()``). ``expected`` says what the parameter takes, e.g. ``"an estimator"``."""
    if isinstance(value, type):
        raise InvalidParameterTypeError(
            f"{name} must be {expected}; got the class {value.__name__}, not an object: write "
            f"{value.__name__}() instead."
        )


def estimator_kind(value):
    """``'classifier'``, ``'regressor'``, ``'clusterer'``, ... as scikit-learn's tags of
    ``value`` say; ``None`` for an object without tags."""
    return get_tags(value).estimator_type if hasattr(value, "__sklearn_tags__") else None


def check_classifier_object(name, value, expected):
    """Raise unless ``value`` is an object with ``fit`` and ``predict`` (not a class), and
    not one that scikit-learn's tags call a regressor or a clusterer, whose numbers would
    be taken for classes (objects without tags pass).

    ``expected`` says what the parameter takes, e.g. ``"a classifier object or None"``.
    """
    check_not_a_class(name, value, expected)
    # A classifier by its tags may offer predict only once fitted (a StackingClassifier
    # without its final estimator: scikit-learn's available_if).
    predicts = hasattr(value, "predict") or estimator_kind(value) == "classifier"
    if not (hasattr(value, "fit") and predicts):
        raise InvalidParameterTypeError(
            f"{name} must be {expected}, with fit and predict methods; got {value!r} of type "
            f"{type(value).__name__}."
        )
    kind = estimator_kind(value)
    if kind in ("regressor", "clusterer"):
        predicts = "numbers" if kind == "regressor" else "cluster numbers"
        raise InvalidParameterTypeError(
            f"{name} must be {expected}; got the {kind} {value!r}, which predicts {predicts}, "
            "not classes."
        )


def check_option(name, value, options):
    """Check that ``value`` is one of ``options``."""
    if not isinstance(value, str) or value not in options:
        raise InvalidParameterError(
            f"{name}={value!r} is not supported; expected one of {', '.join(map(repr, options))}."
        )
    return value


def check_target(y, n_samples=None, *, one_class=False, purpose="resampling"):
    """Validate class labels and return them as a 1-D numpy array.

    ``y`` may be a list, a 1-D array, a column vector, or a pandas or polars
    Series. Labels must be discrete (integers, strings, booleans or floats
    holding whole class codes), without missing values, with at least two
    classes (``one_class=True``: at least one, for a part of the labels);
    ``purpose`` names, in that error, what needs two.
    """
    if y is None:
        raise DataError("A sampler requires y to be passed, but the target y is None: it "
                        "needs the class label of every row.")
    arr = label_values(y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        warnings.warn(
            "A column-vector y was passed when a 1d array was expected; it is read as "
            "y.ravel(), and the resampled y is 1-D.",
            DataConversionWarning,
            stacklevel=3,
        )
        arr = arr.ravel()
    if arr.ndim != 1:
        raise DataError(
            f"y must be one label per row (shape (n_samples,) or (n_samples, 1)); got an array "
            f"of shape {arr.shape}."
        )
    if arr.shape[0] == 0:
        raise DataError("y is empty: at least two classes with samples are needed.")
    if n_samples is not None and arr.shape[0] != n_samples:
        raise DataError(
            f"X and y have different lengths: X has {n_samples} rows but y has {arr.shape[0]} labels."
        )
    check_no_missing_labels(arr)
    if arr.dtype.kind in "mM":
        raise DataError(
            f"y holds dates or durations ({arr.dtype}); class labels must be integers, strings "
            "or booleans. Turn them into labels first, e.g. y.astype(str)."
        )
    if arr.dtype.kind == "f" and np.isinf(arr).any():
        raise DataError("y contains infinite values; class labels must be finite.")
    if arr.dtype.kind == "f" and not np.array_equal(arr, np.round(arr)):
        sample = plain_label(arr[np.flatnonzero(arr != np.round(arr))[0]])
        n_values = np.unique(arr).size
        raise DataError(
            f"y looks continuous: it holds fractional numbers (e.g. {sample!r}), {n_values} "
            "distinct values; balancekit, as scikit-learn, needs class labels. For a numeric "
            "outcome, cut it into classes first (e.g. numpy.digitize); if the values are "
            "classes, give them as text (e.g. y.astype(str)). (On the command line: is "
            "--target the column of classes? A numeric outcome is cut into classes in the file "
            "first.)"
        )
    distinct = arr
    if arr.dtype.kind not in "biuUSf":
        # Object arrays: scikit-learn names the kind of target; its "unknown" (numbers held
        # as objects, labels of mixed kinds) is explained first. It reads the distinct
        # labels alone, in the order they first appear (the same kind as of every label).
        if arr.dtype.kind == "O":
            distinct = distinct_objects(arr)
            _refuse_bytes(distinct)
        kind = type_of_target(distinct)
        kinds = label_kinds(arr) if kind == "unknown" else set()
        if kinds in ({"number"}, {"bool"}):
            what, dtype = {"number": ("numbers", "int"), "bool": ("booleans", "bool")}[kinds.pop()]
            raise DataError(
                f"Unknown label type: y holds {what} as Python objects (dtype object), whose "
                "kind of target scikit-learn cannot tell; give them their own dtype, e.g. "
                f"y.astype({dtype})."
            )
        if kind not in ("binary", "multiclass"):
            raise DataError(
                f"Unknown label type {kind!r}: y must hold one class label per row (binary or "
                "multiclass)."
            )
    if one_class:
        return arr
    single = (arr.min() == arr.max() if arr.dtype.kind in "biuf"
              else np.unique(distinct).size < 2)
    if single:
        raise DataError(
            f"y has only one class ({plain_label(arr[0])!r}); {purpose} needs at least two "
            "classes."
        )
    return arr


def _refuse_bytes(labels):
    """A :class:`DataTypeError` for labels of bytes: recent scikit-learn refuses them with a
    TypeError of its own, older versions take them for labels."""
    example = next((v for v in labels if isinstance(v, bytes)), None)
    if example is not None:
        raise DataTypeError(
            f"y holds bytes (e.g. {example!r}); class labels must be integers, strings or "
            "booleans. Decode them into text first, e.g. y.str.decode('utf-8')."
        )


def factorize_objects(arr):
    """``(codes, distinct values)`` of an object array, the values in the order they first
    appear, found by hashing (pandas' ``factorize``): numpy's ``unique`` sorts every value
    by Python comparisons, seconds on a million text labels. ``None`` when the values
    cannot be hashed or include a missing value."""
    import pandas as pd

    try:
        codes, uniques = pd.factorize(arr)
    except TypeError:  # lists, dicts: the callers say what they are
        return None
    if codes.size and codes.min() < 0:
        return None
    return codes, np.asarray(uniques, dtype=object)


def unique_labels(y, *, return_index=False, return_inverse=False, return_counts=False):
    """``numpy.unique`` of class labels, fast on labels held as Python objects.

    Object arrays (text labels in pandas) are factorized by hashing and only
    their distinct values sorted, in the order ``numpy.unique`` gives them:
    it sorts every label by Python comparisons (7 s for a million labels of
    two classes, against 0.3 s). Other arrays go to ``numpy.unique``.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels.
    return_index, return_inverse, return_counts : bool, default=False
        As in ``numpy.unique``.

    Returns
    -------
    labels : ndarray
        The sorted distinct labels, followed by the first indices, the
        inverse and the counts when asked for.
    """
    y = np.asarray(y)
    found = factorize_objects(y) if y.dtype.kind == "O" and y.ndim == 1 else None
    if found is None:
        return np.unique(y, return_index=return_index, return_inverse=return_inverse,
                         return_counts=return_counts)
    codes, distinct = found
    order = np.argsort(distinct, kind="stable")  # unorderable kinds raise, as in numpy
    out = [distinct[order]]
    if return_index:  # the codes number the labels in the order they first appear
        out.append(np.unique(codes, return_index=True)[1][order])
    if return_inverse:
        rank = np.empty(order.size, dtype=np.intp)
        rank[order] = np.arange(order.size)
        out.append(rank[codes])
    if return_counts:
        out.append(np.bincount(codes, minlength=distinct.size)[order])
    return out[0] if len(out) == 1 else tuple(out)


def distinct_objects(arr):
    """The distinct values of an object array (:func:`factorize_objects`), or ``arr``
    itself where they cannot be found by hashing."""
    found = factorize_objects(arr)
    return arr if found is None else found[1]


def label_kinds(arr):
    """The kinds of the labels of ``arr``, an object array (``'number'``, ``'bool'``,
    ``'text'`` or a type's name); raise a :class:`DataError` naming two labels of different
    kinds, numbers and text say, which cannot be ordered into classes."""
    kinds = {}
    for value in arr:
        if isinstance(value, (bool, np.bool_)):
            kind = "bool"
        elif isinstance(value, Real):
            kind = "number"
        else:
            kind = "text" if isinstance(value, (str, bytes)) else type(value).__name__
        kinds.setdefault(kind, value)
        if len(kinds) > 1:
            (kind_a, a), (kind_b, b) = kinds.items()
            raise DataError(
                f"Unknown label type: y mixes labels of different kinds ({kind_a} "
                f"{plain_label(a)!r} and {kind_b} {plain_label(b)!r}), which cannot be ordered "
                "into classes; give labels of one kind, e.g. y.astype(str)."
            )
    return set(kinds)


def label_values(y):
    """The values of the labels ``y`` as a numpy array, in native byte order.

    Series and tables give their ``to_numpy()``; pyarrow arrays are copied
    where they must be (strings, booleans, dictionaries: their default
    conversion refuses to copy); anything else goes through ``np.asarray``.

    Parameters
    ----------
    y : array-like, Series, pyarrow Array or ChunkedArray
        The labels.

    Returns
    -------
    values : ndarray
        The labels, of the shape ``y`` has.
    """
    if hasattr(y, "to_numpy"):
        pyarrow = type(y).__module__.startswith("pyarrow")
        values = np.asarray(arrow_values(y) if pyarrow else y.to_numpy())
    else:
        values = np.asarray(y)
    return native_byte_order(values)


def check_sample_weight(sample_weight, n_samples, *, what="X has {n} rows", non_negative=True):
    """Return ``sample_weight`` as a float64 vector of ``n_samples`` checked values, or None.

    A scalar is one weight for every row; a column vector or a Series is
    accepted. Weights must be finite and, with ``non_negative`` (samplers and
    estimators; metrics allow any sign), non-negative with a positive sum.
    Errors name the first bad row. ``what`` describes the rows (``{n}``:
    their number) in the length error.
    """
    if sample_weight is None:
        return None
    weights = sample_weight.to_numpy() if hasattr(sample_weight, "to_numpy") else sample_weight
    try:
        weights = np.asarray(weights)
        complex_values = weights.dtype.kind == "c"  # numpy would keep only the real parts
        if not complex_values:
            weights = weights.astype(np.float64, copy=False)
    except (TypeError, ValueError):
        raise InvalidParameterTypeError(
            "sample_weight must be an array of numbers; got values that are not numeric."
        ) from None
    if complex_values:
        raise InvalidParameterTypeError(
            "sample_weight must be an array of real numbers; got complex values."
        )
    if weights.ndim == 0:
        weights = np.full(n_samples, float(weights))
    if weights.ndim == 2 and weights.shape[1] == 1:
        weights = weights.ravel()
    if weights.ndim != 1:
        raise DataError(
            f"sample_weight must have shape (n_samples,); got an array of shape {weights.shape}."
        )
    if weights.shape[0] != n_samples:
        raise DataError(
            f"sample_weight has {weights.shape[0]} values but {what.format(n=n_samples)}."
        )
    bad = ~np.isfinite(weights)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"sample_weight has {int(bad.sum())} NaN or infinite value(s), the first at row "
            f"{first}; weights must be finite."
        )
    if not non_negative:
        return weights
    negative = weights < 0
    if negative.any():
        first = int(np.flatnonzero(negative)[0])
        raise DataError(
            f"sample_weight has {int(negative.sum())} negative value(s), the first "
            f"{weights[first]:g} at row {first}; weights must be >= 0."
        )
    if not weights.sum() > 0:
        raise DataError("sample_weight sums to zero; at least one row needs a positive weight.")
    return weights


def plain_label(value):
    """A numpy scalar label as the Python value it holds (for messages: 'ok', not np.str_('ok'))."""
    return value.item() if isinstance(value, np.generic) else value


def check_no_missing_labels(arr, name="y"):
    """Raise a :class:`DataError` when the 1-D labels ``arr`` hold NaN, None or ``pd.NA``.

    Missing labels otherwise fail deep inside numpy (``'<' not supported
    between instances of 'float' and 'str'``) when they sit among strings.

    Parameters
    ----------
    arr : ndarray of shape (n_samples,)
        The labels.
    name : str, default='y'
        The name of the argument, used in the message.
    """
    missing = _missing_mask(arr)
    if missing.any():
        n = int(missing.sum())
        where = "at row" if n == 1 else "the first at row"
        raise DataError(
            f"{name} has {n} missing label{'s' if n > 1 else ''} (NaN/None), {where} "
            f"{int(np.flatnonzero(missing)[0])} (counted from 0); drop "
            f"{'those rows' if n > 1 else 'that row'} or give {'them' if n > 1 else 'it'} "
            "a class."
        )


def _missing_mask(arr):
    if arr.dtype.kind == "f":
        return np.isnan(arr)
    if arr.dtype.kind == "O":
        import pandas as pd  # isna knows every missing marker: None, NaN, NaT, pd.NA

        return np.asarray(pd.isna(arr), dtype=bool)
    return np.zeros(arr.shape[0], dtype=bool)


def check_finite(X, *, what="X", hint="neighbour-based samplers", distances=False, names=None,
                 uses="compare squared distances between rows", interpolates=False):
    """Raise a :class:`DataError` naming NaN or inf entries of a numeric ``X`` (and, for
    dense ``X``, their columns: ``names`` or positions).

    With ``distances``, also when squared distances between rows could overflow
    float64 (values above about ``6.7e153 / sqrt(n_features)``): ``hint`` then
    ``uses`` them. With ``interpolates``, also when the difference of two rows
    could overflow a float32 ``X`` (values above half its largest float).
    """
    data = X.data if sp.issparse(X) else X
    if data.dtype.kind != "f" or data.size == 0:
        return
    # NaN wins both reductions and inf one of them: finite ends mean finite values.
    low, high = float(data.min()), float(data.max())
    if not (np.isfinite(low) and np.isfinite(high)):
        finite = np.isfinite(data)
        n_nan = int(np.isnan(data).sum())
        n_inf = int((~finite).sum()) - n_nan
        parts = []
        if n_nan:
            parts.append(f"{n_nan} NaN")
        if n_inf:
            parts.append(f"{n_inf} infinite")
        where, empty, only_empty = "", "", False
        if not sp.issparse(X) and data.ndim == 2:
            columns = np.flatnonzero(~finite.all(axis=0))
            labels = [repr(names[j]) if names is not None else str(j) for j in columns[:5]]
            where = (f" in column{'s' if columns.size > 1 else ''} {', '.join(labels)}"
                     f"{' ...' if columns.size > 5 else ''}")
            empty, n_empty = _empty_columns(data, names)
            only_empty = n_empty == columns.size
        drop = (f" (on the command line: fill them in the file, or leave the column"
                f"{'s' if columns.size > 1 else ''} out with "
                f"--drop {','.join(str(names[j]) for j in columns)})"
                if names is not None and where else "")
        advice = ("Impute missing values first (e.g. sklearn.impute.SimpleImputer in a "
                  "balancekit.pipeline.make_pipeline before the sampler), or drop those "
                  f"rows{drop}."
                  if n_nan else
                  "Replace infinite values with finite ones (e.g. numpy.clip to a bound of the "
                  "column), or drop those rows.")
        # A column without any value cannot be imputed, nor its rows dropped.
        advice = empty if only_empty else " ".join(filter(None, [advice, empty]))
        raise DataError(
            f"{what} contains {' and '.join(parts)} value(s){where}; {hint} need finite numbers. "
            f"{advice}"
        )
    largest = max(abs(low), abs(high))
    if interpolates and data.dtype == np.float32 and largest > np.finfo(np.float32).max / 2:
        raise DataError(
            f"{what} is float32 and has values as large as {largest:.3g} in absolute value; "
            f"{hint} compute differences of rows, which overflow float32 above "
            f"{np.finfo(np.float32).max / 2:.3g}. Cast {what} to float64 first, or scale it."
        )
    if distances:
        check_magnitude(largest, X.shape[1], what=what, hint=hint, uses=uses)


def _empty_columns(data, names):
    """``(sentence, count)`` for the columns of the 2-D float array ``data`` without any
    value (all NaN): see :func:`empty_columns_advice`."""
    empty = np.flatnonzero(np.isnan(data).all(axis=0)) if data.shape[0] else []
    labels = [names[j] if names is not None else int(j) for j in empty]
    return empty_columns_advice(labels, named=names is not None), len(labels)


def empty_columns_advice(labels, *, named=True):
    """A sentence naming the columns ``labels`` (names, or positions when not ``named``)
    that hold no value in any row, which no imputation can fill; '' when there are none."""
    if not labels:
        return ""
    one = len(labels) == 1
    shown = ", ".join(repr(str(c)) if named else str(c) for c in labels[:5])
    shown += " ..." if len(labels) > 5 else ""
    drop = f" (on the command line: --drop {','.join(map(str, labels))})" if named else ""
    return (f"Column{'' if one else 's'} {shown} hold{'s' if one else ''} no value in any row: "
            f"leave {'it' if one else 'them'} out{drop}.")


#: Below this largest absolute value, squared differences of rows are under the smallest
#: normal float64 (about 2.2e-308).
_SMALLEST_SCALE = 1e-150


def check_magnitude(largest, n_features, *, what="X", hint="neighbour-based samplers",
                    uses="compare squared distances between rows"):
    """Raise a :class:`DataError` when values as large as ``largest`` (in absolute value) in
    ``n_features`` columns make squared distances between rows overflow float64, or
    when no value is larger than ``1e-150``, whose squares fall below the smallest
    normal float64 and lose their order (every distance would read as 0 or a
    denormal). An ``X`` of zeros alone is left alone: its distances are 0."""
    if 0 < largest < _SMALLEST_SCALE:
        raise DataError(
            f"{what} has no value larger than {largest:.3g} in absolute value; {hint} {uses}, "
            f"which underflow float64 below about {_SMALLEST_SCALE:.0e}, so that rows would "
            f"all look equally near. Scale {what} first (e.g. multiply it by a power of ten, "
            "or put sklearn.preprocessing.StandardScaler before the sampler in a "
            "balancekit.pipeline.make_pipeline)."
        )
    # |a - b|^2 <= n_features * (2 * largest)^2 must stay below the largest float64.
    limit = np.sqrt(np.finfo(np.float64).max / (4.0 * max(1, n_features)))
    if largest > limit:
        raise DataError(
            f"{what} has values as large as {largest:.3g} in absolute value; {hint} {uses}, "
            f"which overflow float64 above about {limit:.3g} with {n_features} "
            f"feature{'s' if n_features != 1 else ''}. "
            f"Scale {what} first (e.g. divide it by a power of ten, or put "
            "sklearn.preprocessing.StandardScaler before the sampler in a "
            "balancekit.pipeline.make_pipeline)."
        )


def check_not_complex(dtype, owner):
    """Raise a :class:`DataTypeError` when ``dtype``, that of ``X``, is complex.

    ``owner`` (a sampler's name) computes on real numbers: numpy would drop the
    imaginary parts with a mere warning, and scikit-learn's own error prints the
    whole array. The message starts as scikit-learn's does.

    Parameters
    ----------
    dtype : dtype
        The dtype of ``X``.
    owner : str
        Who needs real numbers, for the message.
    """
    if np.dtype(dtype).kind == "c":
        raise DataTypeError(
            f"Complex data not supported: X holds complex numbers ({np.dtype(dtype)}), and "
            f"{owner} needs real numbers. Pass the parts that matter as real columns (e.g. "
            "numpy.hstack([X.real, X.imag]) or numpy.abs(X))."
        )


def check_seed(value, name="random_state", owner=None):
    """scikit-learn's ``check_random_state``, with an error naming the parameter (and its
    ``owner``, the estimator's class name, where given)."""
    try:
        return check_random_state(value)
    except (TypeError, ValueError) as exc:
        raise InvalidParameterError(
            f"{f'{owner}: ' if owner else ''}{name}={value!r} cannot seed a random generator ({exc}); expected None, an "
            "integer in [0, 2**32 - 1] or a numpy.random.RandomState."
        ) from None


def not_categories(name, values):
    """The error message for a column ``name`` whose ``values`` (an iterable) cannot be told
    apart as categories: lists, arrays or mappings, which cannot be hashed."""
    example = next((v for v in values if not isinstance(v, (str, bytes, int, float))), None)
    return (f"column {name!r} holds values that are neither numbers nor categories (such as "
            f"{example!r}, of type {type(example).__name__}); turn them into text or numbers, or "
            "drop the column.")
