"""Random under-sampling: keep a random subset of the classes to shrink."""

import numpy as np

from .._base import BaseSampler, Resampled
from ..exceptions import InvalidParameterTypeError


class RandomUnderSampler(BaseSampler):
    """Shrink classes by keeping a random subset of their rows.

    Works on any table (strings, categories, missing values), since it only
    selects rows. The kept rows stay in their original order.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to shrink and to what size; see
        :func:`balancekit.resolve_sampling_strategy`. ``'auto'`` shrinks every
        class but the minority to the minority's size.
    random_state : int, RandomState instance or None, default=None
        Seeds the single random generator of each call.
    replacement : bool, default=False
        Draw with replacement (a bootstrap) instead of without.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each resampled class has after resampling.
    sample_indices_ : ndarray of shape (n_samples_new,)
        Rows of the input that were kept.
    sample_weight_ : ndarray of shape (n_samples_new,) or None
        The weights of the output rows when ``sample_weight`` is given to
        ``fit_resample`` (each row keeps the weight of the input row it was
        copied or generated from); ``None`` otherwise.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.
    feature_names_in_ : ndarray of str
        Column names seen in ``fit_resample``, when ``X`` has them.

    Examples
    --------
    >>> import numpy as np
    >>> from balancekit.under_sampling import RandomUnderSampler
    >>> X = np.arange(20).reshape(10, 2); y = np.array([0] * 8 + [1] * 2)
    >>> X_res, y_res = RandomUnderSampler(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [2, 2]
    """

    _sampling_type = "under-sampling"
    _input = "any"

    def __init__(self, *, sampling_strategy="auto", random_state=None, replacement=False):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.replacement = replacement

    def _fit_resample(self, X, y, *, targets, rng):
        if not isinstance(self.replacement, (bool, np.bool_)):
            raise InvalidParameterTypeError(
                f"replacement must be True or False; got {self.replacement!r}."
            )
        # Count how often each row is kept (0 or 1; more with replacement), then list the rows
        # in their original order: O(n), no sort.
        n = y.shape[0]
        times = np.ones(n, dtype=np.intp)
        for label, target in targets.items():
            members = np.flatnonzero(y == label)
            chosen = members[rng.choice(members.size, size=target, replace=self.replacement)]
            times[members] = 0
            times += np.bincount(chosen, minlength=n)
        return Resampled(np.repeat(np.arange(n), times))
