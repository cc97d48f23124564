"""SMOTE followed by removal of Tomek links."""

import numpy as np

from .._base import BaseSampler
from .._exact import Points, check_n_jobs
from .._strategy import resolve_sampling_strategy
from ..under_sampling._rules import cleaning_rule, encode, label_codes, rows_kept, tomek_removed
from ..under_sampling._tomek import TomekLinks
from ._common import check_noting_kinds, check_up_front, smote_then_clean


class SMOTETomek(BaseSampler):
    """Over-sample with SMOTE, then remove Tomek links.

    SMOTE grows the classes named by ``sampling_strategy``; the rows of
    Tomek links (pairs of mutual nearest neighbours of different classes)
    are then removed from the original and new rows alike (by default in
    every class). The result holds the original rows kept, in their order,
    followed by the new rows kept.

    For the same ``random_state`` the rows are the ones imbalanced-learn's
    ``SMOTETomek`` returns (as a set: imbalanced-learn orders them by class) when
    one class is grown; when several are, imbalanced-learn seeds an integer
    ``random_state`` again for each, and balancekit draws them all from one
    generator (the same rows as imbalanced-learn given
    ``numpy.random.RandomState(seed)``). The cleaning uses the search of
    :class:`~balancekit.under_sampling.TomekLinks`, which only looks for the
    nearest neighbours of rows outside the largest class.

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
    tomek : TomekLinks or sampler, default=None
        The cleaning rule, cloned; ``None`` means
        ``TomekLinks(sampling_strategy='all', n_jobs=n_jobs)``. Another
        sampler with ``fit_resample`` setting ``sample_indices_`` also works.
    n_jobs : int, default=None
        Threads for the neighbour searches of the default cleaning rule.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each grown class has after over-sampling.
    smote_ : sampler
        The over-sampler used.
    tomek_ : sampler
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
    SMOTEENN : SMOTE followed by edited nearest neighbours.

    References
    ----------
    G. Batista, B. Bazzan, M. Monard, "Balancing training data for automated
    annotation of keywords: a case study", WOB, 2003.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from balancekit.combine import SMOTETomek
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> X_res, y_res = SMOTETomek(random_state=0).fit_resample(X, y)
    >>> bool((y_res == 1).sum() > (y == 1).sum())
    True
    """

    _sampling_type = "over-sampling"
    _accept_sparse = True

    def __init__(self, *, sampling_strategy="auto", random_state=None, smote=None, tomek=None,
                 n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.smote = smote
        self.tomek = tomek
        self.n_jobs = n_jobs

    def _check_X_y(self, X, y, one_class=False):
        return check_noting_kinds(self, super()._check_X_y, X, y, one_class)

    def _fit_resample(self, X, y, *, targets, rng):
        default = TomekLinks(sampling_strategy="all", n_jobs=self.n_jobs)
        self.tomek_ = cleaning_rule("tomek", self.tomek, default, "a TomekLinks")
        check_up_front(self, "tomek", self.tomek_, lambda rule: check_n_jobs(
            rule.n_jobs) if isinstance(rule, TomekLinks) else None)
        return smote_then_clean(
            self, X, y, rng, lambda X_all, y_all: clean_tomek(self.tomek_, X_all, y_all)
        )


def clean_tomek(tomek, X, y):
    """Rows of ``(X, y)`` that the cleaning rule ``tomek`` keeps (increasing)."""
    if not isinstance(tomek, TomekLinks):
        return rows_kept("tomek", tomek, X, y)
    check_n_jobs(tomek.n_jobs)
    targets = resolve_sampling_strategy(tomek.sampling_strategy, y, "clean-sampling")
    codes, labels = encode(y)
    rows = np.arange(y.shape[0])
    removed = tomek_removed(Points(X), codes, rows, label_codes(labels, targets),
                            n_jobs=tomek.n_jobs)
    kept = np.setdiff1d(rows, removed, assume_unique=True)
    tomek.sampling_strategy_ = targets
    tomek.sample_indices_ = kept
    tomek.n_features_in_ = X.shape[1]
    return kept
