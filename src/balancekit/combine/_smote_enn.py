"""SMOTE followed by edited nearest neighbours."""

import numpy as np

from .._base import BaseSampler
from .._neighbors import neighbors_attribute
from .._strategy import resolve_targets
from ..under_sampling._enn import EditedNearestNeighbours, _Editing
from ..under_sampling._rules import cleaning_rule, rows_kept
from ._common import check_noting_kinds, check_up_front, smote_then_clean


class SMOTEENN(BaseSampler):
    """Over-sample with SMOTE, then clean with edited nearest neighbours.

    SMOTE grows the classes named by ``sampling_strategy``; edited nearest
    neighbours then removes, from the original and the new rows alike, those
    whose nearest neighbours disagree with their class (by default in every
    class). The result holds the original rows kept, in their order,
    followed by the new rows kept.

    For the same ``random_state`` the rows are the ones imbalanced-learn's
    ``SMOTEENN`` returns (as a set: imbalanced-learn orders them by class) when
    one class is grown; when several are, imbalanced-learn seeds an integer
    ``random_state`` again for each, and balancekit draws them all from one
    generator (the same rows as imbalanced-learn given
    ``numpy.random.RandomState(seed)``).
    The cleaning uses the exact neighbour searches of
    :class:`~balancekit.under_sampling.EditedNearestNeighbours`.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes SMOTE grows and to what size (used when ``smote`` is
        ``None``); see :func:`balancekit.resolve_sampling_strategy`.
    random_state : int, RandomState instance or None, default=None
        Seeds the draws of SMOTE (when ``smote`` is ``None``).
    smote : sampler, default=None
        The over-sampler, cloned; ``None`` means
        ``SMOTE(sampling_strategy=sampling_strategy, random_state=random_state)``.
        Any balancekit over-sampler for numeric data works.
    enn : EditedNearestNeighbours or sampler, default=None
        The cleaning rule, cloned; ``None`` means
        ``EditedNearestNeighbours(sampling_strategy='all', n_jobs=n_jobs)``.
        Another sampler with ``fit_resample`` setting ``sample_indices_``
        also works.
    n_jobs : int, default=None
        Threads for the neighbour searches of the default cleaning rule.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each grown class has after over-sampling.
    smote_ : sampler
        The over-sampler used.
    enn_ : sampler
        The cleaning rule used, with its ``sample_indices_`` (rows of the
        over-sampled data it kept).
    sample_weight_ : ndarray of shape (n_samples_new,) or None
        The weights of the output rows when ``sample_weight`` is given to
        ``fit_resample`` (each row keeps the weight of the input row it was
        copied or generated from); ``None`` otherwise.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.
    feature_names_in_ : ndarray of str
        Column names seen in ``fit_resample``, when ``X`` has them.

    See Also
    --------
    SMOTETomek : SMOTE followed by removal of Tomek links.

    References
    ----------
    G. Batista, R. C. Prati, M. C. Monard, "A study of the behavior of several
    methods for balancing machine learning training data", ACM SIGKDD
    Explorations Newsletter 6(1), 2004.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from balancekit.combine import SMOTEENN
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> X_res, y_res = SMOTEENN(random_state=0).fit_resample(X, y)
    >>> bool((y_res == 1).sum() > (y == 1).sum())
    True
    """

    _sampling_type = "over-sampling"
    _accept_sparse = True

    def __init__(self, *, sampling_strategy="auto", random_state=None, smote=None, enn=None,
                 n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.smote = smote
        self.enn = enn
        self.n_jobs = n_jobs

    def _check_X_y(self, X, y, one_class=False):
        return check_noting_kinds(self, super()._check_X_y, X, y, one_class)

    def _fit_resample(self, X, y, *, targets, rng):
        default = EditedNearestNeighbours(sampling_strategy="all", n_jobs=self.n_jobs)
        self.enn_ = cleaning_rule("enn", self.enn, default, "an EditedNearestNeighbours")
        check_up_front(self, "enn", self.enn_, lambda rule: rule._check_params() if isinstance(
            rule, EditedNearestNeighbours) else None)
        return smote_then_clean(
            self, X, y, rng, lambda X_all, y_all: clean_edited(self.enn_, X_all, y_all)
        )


def clean_edited(enn, X, y):
    """Rows of ``(X, y)`` that the cleaning rule ``enn`` keeps (increasing)."""
    if not isinstance(enn, EditedNearestNeighbours):
        return rows_kept("enn", enn, X, y)
    k, estimator, fast, kind_sel = enn._check_params()
    targets = resolve_targets(enn.sampling_strategy, y, "clean-sampling")
    editing = _Editing(X, y, k, estimator, fast, kind_sel, enn.n_jobs)
    rows = np.arange(y.shape[0])
    kept = np.setdiff1d(rows, editing.removed(rows, list(targets)), assume_unique=True)
    enn.sampling_strategy_ = targets
    enn.nn_ = neighbors_attribute(k, estimator, enn.n_jobs)
    enn.sample_indices_ = kept
    enn.n_features_in_ = X.shape[1]
    return kept
