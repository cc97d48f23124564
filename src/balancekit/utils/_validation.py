"""imbalanced-learn's public checks for samplers, on balancekit's own validation.

:func:`check_sampling_strategy` reads the strategy with
:func:`~balancekit._strategy.resolve_counts` (the resolver every balancekit
sampler uses) and restates its target counts in imbalanced-learn's convention.
"""

from collections import OrderedDict
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.neighbors import NearestNeighbors

from .._frames import split_target
from .._strategy import SAMPLING_KINDS, class_counts, resolve_counts
from .._validation import check_not_a_class, check_target, label_values
from ..exceptions import DataError, InvalidParameterError, InvalidParameterTypeError

#: The kinds of sampler imbalanced-learn knows: the strategy of the last two is
#: handed back unread.
SAMPLING_TYPES = (*SAMPLING_KINDS, "ensemble", "bypass")


def check_sampling_strategy(sampling_strategy, y, sampling_type, **kwargs):
    """Read a ``sampling_strategy`` as imbalanced-learn's samplers read it.

    The answer follows imbalanced-learn's convention, which differs from that
    of :func:`balancekit.resolve_sampling_strategy` (the count each class must
    have after resampling): for over-sampling, the number of rows to **add**
    to each class; for under-sampling, the number of rows to **keep**; for
    cleaning rules, the classes to clean, each with the size of the smallest
    class.

    Parameters
    ----------
    sampling_strategy : float, str, dict, list or callable
        What to resample.

        - ``float``, for binary targets only: the ratio
          ``n_minority / n_majority`` wanted after resampling, in (0, 1]. An
          over-sampler grows the minority class to ``int(ratio * n_majority)``
          rows, an under-sampler shrinks the majority class to
          ``int(n_minority / ratio)`` rows. Not for cleaning rules.
        - ``str``: the classes to resample: ``'minority'`` (not for
          under-sampling or cleaning), ``'majority'`` (not for over-sampling),
          ``'not minority'``, ``'not majority'``, ``'all'``, or ``'auto'``
          (``'not majority'`` for over-sampling, ``'not minority'``
          otherwise). Over- and under-samplers bring these classes to the
          size of the largest (smallest) class. Of classes of equal size, the
          first in sorted label order is the minority (majority) class.
        - ``dict``: ``{label: n_samples}`` wanted after resampling, for
          over- and under-samplers; classes left out are not resampled.
        - ``list`` (or tuple): the labels of the classes to clean, for
          cleaning rules only.
        - callable: called as ``sampling_strategy(y, **kwargs)``; it returns
          such a dict (for cleaning rules, whose keys name the classes to
          clean, or a list of them).

    y : array-like of shape (n_samples,)
        The class labels.
    sampling_type : {'over-sampling', 'under-sampling', 'clean-sampling', \
'ensemble', 'bypass'}
        The kind of sampler. With ``'ensemble'`` or ``'bypass'``,
        ``sampling_strategy`` is returned as it is, once ``y`` is checked.
    **kwargs : dict
        Keyword arguments for ``sampling_strategy`` when it is a callable.

    Returns
    -------
    sampling_strategy_converted : OrderedDict
        ``{label: n_samples}`` in sorted label order: the rows to add to each
        class (over-sampling), the rows to keep (under-sampling), or, for
        each class to clean, the size of the smallest class
        (clean-sampling). With ``sampling_type='ensemble'`` or ``'bypass'``,
        ``sampling_strategy`` itself.

    Raises
    ------
    InvalidParameterError
        When ``sampling_type`` is not one of the kinds above, or
        ``sampling_strategy`` is not supported for it: an unknown name, a
        ratio out of range or for more than two classes, a label that is not
        in ``y``, a count that would shrink a class for over-sampling (grow
        it for under-sampling).
    InvalidParameterTypeError
        When ``sampling_strategy`` is of none of the types above (``None``,
        a bool), or a callable returns something else than a dict.
    DataError
        When ``y`` is not one class label per row, or holds one class.

    See Also
    --------
    balancekit.resolve_sampling_strategy : The count each class must have
        after resampling, as balancekit's samplers read the strategy.

    Notes
    -----
    As balancekit's samplers, and unlike imbalanced-learn, this accepts a
    float that asks an over-sampler for no new rows (the answer is 0), a
    tuple of labels for cleaning rules, and a callable for cleaning rules;
    it refuses ``None`` and booleans, for which imbalanced-learn returns
    ``None`` or reads ``True`` as the ratio 1.0.

    Examples
    --------
    >>> import numpy as np
    >>> from balancekit.utils import check_sampling_strategy
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> dict(check_sampling_strategy("auto", y, "over-sampling"))
    {1: 80}
    >>> dict(check_sampling_strategy(0.5, y, "over-sampling"))
    {1: 35}
    >>> dict(check_sampling_strategy({0: 30}, y, "under-sampling"))
    {0: 30}
    >>> dict(check_sampling_strategy("all", y, "clean-sampling"))
    {0: 10, 1: 10}
    """
    if not isinstance(sampling_type, str) or sampling_type not in SAMPLING_TYPES:
        raise InvalidParameterError(
            f"sampling_type={sampling_type!r} is not supported; expected one of "
            f"{', '.join(map(repr, SAMPLING_TYPES))}."
        )
    labels = check_target(y)
    if sampling_type not in SAMPLING_KINDS:
        return sampling_strategy
    strategy = sampling_strategy
    if callable(sampling_strategy):
        # The callable is given the caller's y and keyword arguments, as imbalanced-learn
        # gives them.
        def strategy(_labels):
            return sampling_strategy(y, **kwargs)

    counts = class_counts(labels)
    targets = resolve_counts(strategy, counts, sampling_type, labels)
    if sampling_type == "over-sampling":
        converted = {label: target - counts[label] for label, target in targets.items()}
    elif sampling_type == "under-sampling":
        converted = targets
    else:
        smallest = min(counts.values())
        converted = dict.fromkeys(targets, smallest)
    return OrderedDict(converted)


def check_neighbors_object(nn_name, nn_object, additional_neighbor=0):
    """Turn a ``k_neighbors``-like parameter into a nearest-neighbours estimator.

    A sampler that searches neighbours takes an integer or a
    nearest-neighbours estimator under such a parameter; this gives it the
    estimator to search with.

    Parameters
    ----------
    nn_name : str
        The name of the parameter, for the error messages.
    nn_object : int or estimator
        An integer: the number of neighbours, to which ``additional_neighbor``
        is added. An estimator with a ``kneighbors`` method, such as
        :class:`sklearn.neighbors.NearestNeighbors`: it is cloned, and its
        ``n_neighbors`` left as it is.
    additional_neighbor : int, default=0
        Neighbours to add to an integer ``nn_object``, e.g. 1 for a search
        that finds each row itself first.

    Returns
    -------
    nn_object : estimator
        A new ``NearestNeighbors(n_neighbors=nn_object + additional_neighbor)``
        for an integer, an unfitted clone of the estimator otherwise.

    Raises
    ------
    InvalidParameterError
        When an integer ``nn_object`` plus ``additional_neighbor`` is below 1,
        or ``additional_neighbor`` is negative.
    InvalidParameterTypeError
        When ``nn_object`` is neither an integer nor an object with a
        ``kneighbors`` method that scikit-learn can clone (a class rather
        than an object, a float, a string, ``None``, a boolean).

    Notes
    -----
    imbalanced-learn returns a ``NearestNeighbors`` of fewer than one
    neighbour (refused when it is fitted) and clones any estimator, with or
    without ``kneighbors``; here both are refused at once.

    Examples
    --------
    >>> from sklearn.neighbors import NearestNeighbors
    >>> from balancekit.utils import check_neighbors_object
    >>> check_neighbors_object("k_neighbors", 5, additional_neighbor=1)
    NearestNeighbors(n_neighbors=6)
    >>> check_neighbors_object("k_neighbors", NearestNeighbors(n_neighbors=3, p=1))
    NearestNeighbors(n_neighbors=3, p=1)
    """
    if isinstance(additional_neighbor, bool) or not isinstance(additional_neighbor, Integral):
        raise InvalidParameterTypeError(
            f"additional_neighbor must be an integer >= 0; got {additional_neighbor!r} of type "
            f"{type(additional_neighbor).__name__}."
        )
    if additional_neighbor < 0:
        raise InvalidParameterError(
            f"additional_neighbor={additional_neighbor} is out of range; it must be an integer "
            ">= 0."
        )
    if isinstance(nn_object, Integral) and not isinstance(nn_object, bool):
        n_neighbors = int(nn_object) + int(additional_neighbor)
        if n_neighbors < 1:
            raise InvalidParameterError(
                f"{nn_name}={nn_object} is out of range: it must be an integer >= "
                f"{1 - additional_neighbor} (with additional_neighbor={additional_neighbor}, "
                "for at least 1 neighbour) or a nearest-neighbours object such as "
                "sklearn.neighbors.NearestNeighbors()."
            )
        return NearestNeighbors(n_neighbors=n_neighbors)
    check_not_a_class(nn_name, nn_object, "an integer or a nearest-neighbours object")
    if not hasattr(nn_object, "kneighbors"):
        raise InvalidParameterTypeError(
            f"{nn_name} must be an integer or an object with a kneighbors method (such as "
            f"sklearn.neighbors.NearestNeighbors()); got {nn_object!r} of type "
            f"{type(nn_object).__name__}."
        )
    if not hasattr(nn_object, "get_params"):
        raise InvalidParameterTypeError(
            f"{nn_name} must be a scikit-learn estimator (with get_params, so that it can be "
            f"cloned); got an object of type {type(nn_object).__name__} without it. Derive it "
            "from sklearn.base.BaseEstimator."
        )
    return clone(nn_object)


def check_target_type(y, indicate_one_vs_all=False):
    """Turn a target into one label per row, as samplers take it.

    Binary and multiclass labels are returned as a 1-D array (a column
    vector is flattened); one-hot rows (an array or table of 0 and 1 with
    one 1 per row, as :func:`sklearn.preprocessing.label_binarize` makes)
    become the position of each row's 1.

    Parameters
    ----------
    y : array-like of shape (n_samples,), (n_samples, 1) or (n_samples, n_classes)
        The target: labels, a column vector, or one-hot rows (a numpy
        array, a sparse matrix, a pandas or polars table, a list).
    indicate_one_vs_all : bool, default=False
        Whether to return, as well, whether ``y`` was one-hot rows.

    Returns
    -------
    y : ndarray of shape (n_samples,)
        The labels; for one-hot rows, the column of each row's 1.
    is_one_vs_all : bool
        Whether ``y`` was one-hot rows. Only returned when
        ``indicate_one_vs_all=True``.

    Raises
    ------
    DataError
        When ``y`` holds several labels per row (a multilabel table with
        more than one 1 in a row, or one without any), or has more than two
        dimensions or several columns of other values (multioutput).

    Notes
    -----
    As imbalanced-learn's, this checks the layout only: continuous values or
    a single class are returned as they are. Where imbalanced-learn takes a
    row of zeros for the first class, it is refused here; one-hot tables and
    lists, which imbalanced-learn fails on, are read.

    Examples
    --------
    >>> import numpy as np
    >>> from balancekit.utils import check_target_type
    >>> check_target_type([0, 2, 1])
    array([0, 2, 1])
    >>> check_target_type(np.array([[0, 1, 0], [1, 0, 0]]), indicate_one_vs_all=True)
    (array([1, 0]), True)
    """
    if sp.issparse(y):
        y = y.toarray()
    elif isinstance(y, (list, tuple)):
        y = np.asarray(y)
    labels, restore = split_target(y)
    one_vs_all = hasattr(restore, "columns")
    values = label_values(labels)
    if values.ndim == 2 and values.shape[1] == 1:
        values = values.ravel()
    if values.ndim != 1:
        raise DataError(
            "y must hold one class label per row: a 1-D array, a column vector, or one-hot "
            f"rows (0 and 1, one 1 per row); got an array of shape {values.shape}"
            f"{' (several outputs per row are not supported)' if values.ndim == 2 else ''}."
        )
    return (values, one_vs_all) if indicate_one_vs_all else values
