"""Random over-sampling: duplicate rows of the classes to grow."""

from collections.abc import Mapping
from numbers import Real

import numpy as np
import scipy.sparse as sp
from sklearn.utils.sparsefuncs import mean_variance_axis

from .._base import BaseSampler, Resampled
from .._validation import check_real, unique_labels
from ..exceptions import InvalidParameterError, InvalidParameterTypeError


class RandomOverSampler(BaseSampler):
    """Grow classes by drawing their rows at random, with replacement.

    Works on any table (strings, categories, missing values), since it only
    copies rows. With ``shrinkage`` it draws a smoothed bootstrap instead:
    each drawn row is moved by Gaussian noise (numeric data only).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to grow and to what size; see
        :func:`balancekit.resolve_sampling_strategy`. ``'auto'`` grows every
        class but the majority to the majority's size.
    random_state : int, RandomState instance or None, default=None
        Seeds the single random generator of each call.
    shrinkage : float, dict or None, default=None
        ``None`` copies rows exactly. A float >= 0 (or ``{label: float}``)
        scales the noise of the smoothed bootstrap, as in imbalanced-learn:
        each feature of a drawn row gets Gaussian noise of standard deviation
        ``shrinkage * (4 / ((n_features + 2) * n_samples)) ** (1 / (n_features + 4))
        * std``, with ``n_samples`` the number of rows of ``X`` and ``std``
        the feature's standard deviation within the class. A dict needs every
        resampled class and may name other classes of ``y`` (ignored); a label
        that is no class of ``y`` is an error. For the same seed the rows and
        their noise are those of imbalanced-learn (float64 data), class after
        class.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each resampled class has after resampling.
    sample_indices_ : ndarray of shape (n_samples_new,)
        Rows of the input making up the output; with ``shrinkage``, the row
        each output row was drawn from (the smoothed rows are not copies), as in
        imbalanced-learn.
    shrinkage_ : dict or None
        The shrinkage used per class.
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
    >>> from balancekit.over_sampling import RandomOverSampler
    >>> X = np.arange(20).reshape(10, 2); y = np.array([0] * 8 + [1] * 2)
    >>> X_res, y_res = RandomOverSampler(random_state=0).fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [8, 8]
    """

    _sampling_type = "over-sampling"
    _input = "any"
    _accept_sparse = True  # read by _check_numeric for shrinkage
    # The smoothed rows are listed in sample_indices_ by their origins, as in imbalanced-learn.
    _origins_as_indices = True
    _numeric_hint = "RandomOverSampler(shrinkage=...) and its columns' standard deviations"
    _numeric_uses = "square the values"

    def _non_numeric_hint(self):
        return ("With shrinkage it adds noise to numbers; leave shrinkage=None to copy rows of "
                "any type, or encode those columns first.")

    def __init__(self, *, sampling_strategy="auto", random_state=None, shrinkage=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.shrinkage = shrinkage

    def _fit_resample(self, X, y, *, targets, rng):
        # The classes of y are needed only to check a dict (a sort of every label).
        classes = unique_labels(y) if isinstance(self.shrinkage, Mapping) else ()
        self.shrinkage_ = self._check_shrinkage(targets, classes)
        grow = {c: n for c, n in targets.items() if n > np.count_nonzero(y == c)}
        keep = np.arange(y.shape[0])
        if self.shrinkage_ is None:
            draws = [_draw(np.flatnonzero(y == label), target, rng)
                     for label, target in grow.items()]
            drawn = np.concatenate(draws) if draws else np.empty(0, dtype=np.intp)
            return Resampled(np.concatenate([keep, drawn]))
        X_num = self._check_numeric(X)
        n_features = X_num.shape[1]
        members = {label: np.flatnonzero(y == label) for label in grow}
        n_new = sum(target - members[label].size for label, target in grow.items())
        new = np.empty((n_new, n_features), dtype=X_num.dtype)
        drawn = np.empty(n_new, dtype=np.intp)
        # The bandwidth of imbalanced-learn: all rows of X, the class's population std.
        smoothing = (4 / ((n_features + 2) * X_num.shape[0])) ** (1 / (n_features + 4))
        start = 0
        for label, target in grow.items():
            # Each class's rows, then its noise, as imbalanced-learn draws them: the same
            # rows and values for the same seed with several classes too.
            rows = _draw(members[label], target, rng)
            stop = start + rows.size
            drawn[start:stop] = rows
            block = new[start:stop]
            # Sparse X: only the rows drawn are made dense (their noise fills every column).
            block[...] = X_num[rows].toarray() if sp.issparse(X_num) else X_num[rows]
            scale = self.shrinkage_[label] * smoothing * _class_std(X_num, members[label])
            with np.errstate(over="ignore", invalid="ignore"):  # checked below
                block += rng.standard_normal(size=block.shape).astype(block.dtype) * scale
            if not np.isfinite(block).all():
                raise InvalidParameterError(
                    f"shrinkage={self.shrinkage_[label]!r} for class {label!r} makes noise "
                    f"beyond the largest {block.dtype} value (the class's standard deviations "
                    "times the shrinkage overflow); a shrinkage of the order of 1 adds noise "
                    "of the order of the data's spread."
                )
            start = stop
        return Resampled(keep, synthetic=new, y_synthetic=y[drawn], origin=drawn)

    def _check_shrinkage(self, targets, classes):
        if self.shrinkage is None:
            return None
        if isinstance(self.shrinkage, Mapping):
            # Classes of y that are not resampled may be named (as in imbalanced-learn, one
            # dict can serve several strategies); a label that is no class is a mistake.
            classes = set(np.asarray(classes).tolist())
            unknown = [c for c in self.shrinkage if c not in targets and c not in classes]
            if unknown:
                raise InvalidParameterError(
                    f"shrinkage names label(s) {unknown!r} that are not classes of y; the classes "
                    f"are {sorted(classes, key=str)!r} and the resampled ones {list(targets)!r}."
                )
            missing = [c for c in targets if c not in self.shrinkage]
            if missing:
                raise InvalidParameterError(
                    f"shrinkage must give a value for every resampled class; missing {missing!r}."
                )
            return {c: check_real(f"shrinkage[{c!r}]", v, min_value=0) for c, v in self.shrinkage.items()}
        if isinstance(self.shrinkage, Real) and not isinstance(self.shrinkage, (bool, np.bool_)):
            value = check_real("shrinkage", self.shrinkage, min_value=0)
            return dict.fromkeys(targets, value)
        raise InvalidParameterTypeError(
            f"shrinkage must be None, a float >= 0 or a dict {{label: float}}; got "
            f"{self.shrinkage!r}."
        )


def _draw(members, target, rng):
    """The rows copied to grow the class of rows ``members`` to ``target`` rows, drawn with
    replacement (imbalanced-learn's draw)."""
    return members[rng.randint(0, members.size, size=target - members.size)]


def _class_std(X, members):
    """Population standard deviation of each column over the rows ``members`` (sparse too)."""
    if sp.issparse(X):
        return np.sqrt(mean_variance_axis(X[members].tocsc(), axis=0)[1])
    return np.std(X[members], axis=0)
