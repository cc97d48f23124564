"""Turn a data set into an imbalanced one by random under-sampling."""

from collections.abc import Mapping

import numpy as np

from .._strategy import class_counts
from .._validation import check_target
from ..exceptions import InvalidParameterError, InvalidParameterTypeError
from ..under_sampling import RandomUnderSampler


def make_imbalance(X, y, *, sampling_strategy=None, random_state=None, verbose=False, **kwargs):
    """Turn a data set into an imbalanced one with a given number of samples per class.

    Keeps a random subset of the rows of each class named in
    ``sampling_strategy`` (without replacement, original row order kept);
    classes not named are kept whole. It is a thin wrapper around
    :class:`balancekit.under_sampling.RandomUnderSampler`.

    Parameters
    ----------
    X : {array-like, dataframe} of shape (n_samples, n_features)
        The data to make imbalanced: a numpy array, a pandas or polars
        DataFrame, a scipy sparse matrix or a list of rows.
    y : array-like of shape (n_samples,)
        The class label of each row (list, array, pandas or polars Series).
    sampling_strategy : dict or callable
        How many samples each class keeps (required).

        - ``dict``: ``{label: n_samples}`` for the classes to shrink; each
          count must be at most the size of the class.
        - ``callable``: called as ``sampling_strategy(y, **kwargs)`` with ``y``
          as given; it must return such a dict.
    random_state : int, RandomState instance or None, default=None
        Seeds the random choice of the kept rows.
    verbose : bool, default=False
        Print the class counts before and after.
    **kwargs : dict
        Extra keyword arguments passed to ``sampling_strategy`` when it is a
        callable.

    Returns
    -------
    X_resampled : same kind as X, of shape (n_samples_new, n_features)
        The kept rows, in their original order and in ``X``'s container
        (column names and dtypes kept).
    y_resampled : same kind as y, of shape (n_samples_new,)
        The matching labels.

    Raises
    ------
    InvalidParameterError
        If ``sampling_strategy`` is missing, names a class that is not in
        ``y``, or asks for more samples than a class has.
    InvalidParameterTypeError
        If ``sampling_strategy`` is neither a dict nor a callable, or
        ``verbose`` is not a boolean.

    See Also
    --------
    balancekit.under_sampling.RandomUnderSampler : The sampler used here.

    Examples
    --------
    >>> import numpy as np
    >>> from balancekit.datasets import make_imbalance
    >>> X = np.arange(300).reshape(150, 2); y = np.repeat([0, 1, 2], 50)
    >>> X_res, y_res = make_imbalance(
    ...     X, y, sampling_strategy={0: 10, 1: 20, 2: 30}, random_state=42
    ... )
    >>> np.bincount(y_res).tolist()
    [10, 20, 30]
    """
    if not isinstance(verbose, (bool, np.bool_)):
        raise InvalidParameterTypeError(
            f"verbose must be True or False; got {verbose!r} of type {type(verbose).__name__}."
        )
    if sampling_strategy is None:
        raise InvalidParameterError(
            "sampling_strategy is required: pass a dict {label: n_samples} of the classes to "
            "shrink, or a callable that takes y and returns such a dict."
        )
    if isinstance(sampling_strategy, Mapping):
        strategy = dict(sampling_strategy)
    elif callable(sampling_strategy):
        strategy = sampling_strategy(y, **kwargs)
        if not isinstance(strategy, Mapping):
            raise InvalidParameterTypeError(
                "sampling_strategy as a callable must return a dict {label: n_samples}, but it "
                f"returned a {type(strategy).__name__}."
            )
        strategy = dict(strategy)
    else:
        raise InvalidParameterTypeError(
            "sampling_strategy must be a dict {label: n_samples} or a callable returning one; "
            f"got {sampling_strategy!r} of type {type(sampling_strategy).__name__}."
        )
    if kwargs and not callable(sampling_strategy):
        raise InvalidParameterTypeError(
            f"make_imbalance got unexpected keyword argument(s) {', '.join(sorted(kwargs))}; "
            "extra keyword arguments are only passed to a callable sampling_strategy."
        )
    if verbose:
        print(
            f"The original target distribution in the dataset is: {class_counts(check_target(y))}"
        )
    sampler = RandomUnderSampler(
        sampling_strategy=strategy, random_state=random_state, replacement=False
    )
    X_resampled, y_resampled = sampler.fit_resample(X, y)
    if verbose:
        print(f"Make the dataset imbalanced: {class_counts(check_target(y_resampled))}")
    return X_resampled, y_resampled
