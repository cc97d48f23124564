"""Edited nearest neighbours and its repeated forms (RENN, AllKNN)."""

from collections import Counter

import numpy as np

from .._base import BaseSampler, Resampled
from .._exact import Points, check_n_jobs
from .._neighbors import check_neighbors, neighbors_attribute
from .._strategy import resolve_targets
from .._validation import check_int, check_option
from ..exceptions import InvalidParameterTypeError
from ._rules import (
    EditState,
    NeighbourLists,
    edited_removed,
    encode,
    estimator_edited_removed,
    is_euclidean,
    label_codes,
    minority_label,
)

KIND_SEL = ("all", "mode")


def read_neighbors(value):
    """``(k, estimator, fast)`` for an ``n_neighbors`` parameter of the ENN family.

    ``k`` counts the neighbours of a row, itself excluded (an estimator's
    ``n_neighbors`` counts the row itself, as in imbalanced-learn). ``fast``
    says whether the exact Euclidean searches of this package can stand in
    for the estimator.
    """
    k, estimator = check_neighbors("n_neighbors", value)
    if estimator is None:
        return k, None, True
    return k, estimator, is_euclidean(estimator)


class _Editing:
    """One edited-nearest-neighbours pass at a time over a shrinking data set."""

    def __init__(self, X, y, k, estimator, fast, kind_sel, n_jobs, repeated=False):
        self.X = X
        self.codes, self.labels = encode(y)
        self.y = y
        self.k = k
        self.estimator = estimator
        self.fast = fast
        self.kind_sel = kind_sel
        self.n_jobs = n_jobs
        self.points = Points(X) if fast else None
        self.state = None
        if fast and repeated:
            # A row has at most n - 1 neighbours: a larger n_neighbors (which a round refuses
            # once it needs more) must not size the state.
            k = min(k, self.points.n - 1)
            self.state = (NeighbourLists(self.points, k + 2, n_jobs=n_jobs) if self.points.tree
                          else EditState(self.points, self.codes, kind_sel, k, n_jobs=n_jobs))

    def removed(self, alive, clean_labels, k=None):
        """Rows of ``alive`` the rule removes, cleaning the classes ``clean_labels``."""
        k = self.k if k is None else k
        clean = label_codes(self.labels, clean_labels)
        if self.fast:
            return edited_removed(
                self.points, self.codes, self.labels.size, alive, clean, k, self.kind_sel,
                state=self.state, n_jobs=self.n_jobs,
            )
        return estimator_edited_removed(
            self.X, self.codes, self.labels.size, alive, clean, k, self.kind_sel,
            self.estimator, n_jobs=self.n_jobs,
        )


def _stop_checks(y, alive, n_classes, minority, n_minority):
    """imbalanced-learn's stopping tests after a round: a class became smaller
    than the minority class was, or a class disappeared."""
    counts = Counter(y[alive].tolist())
    became_minority = any(n < n_minority for label, n in counts.items() if label != minority)
    lost_class = len(counts) < n_classes
    return became_minority, lost_class


class EditedNearestNeighbours(BaseSampler):
    """Remove the rows whose nearest neighbours disagree with their class.

    A row of a class being cleaned is removed when its ``n_neighbors``
    nearest rows (itself excluded) are not all of its class
    (``kind_sel='all'``), or when its class is not the most common among
    them (``kind_sel='mode'``; a tie goes to the smallest label). Rows of the
    other classes are all kept. The kept rows stay in their original order.

    The rows removed are the ones imbalanced-learn's
    ``EditedNearestNeighbours`` removes. The search is exact and much
    cheaper than a neighbour query of every row: a row is kept as soon as
    ``n_neighbors`` rows of its own class are found nearer than its nearest
    row of another class, which for most rows takes one block of distances.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        The classes to clean: ``'auto'`` (every class but the minority),
        ``'majority'``, ``'not minority'``, ``'not majority'``, ``'all'``, a
        list of labels, or a callable returning a dict whose keys are the
        labels.
    n_neighbors : int or estimator, default=3
        Size of the neighbourhood examined. An object with ``fit`` and
        ``kneighbors`` (such as ``sklearn.neighbors.NearestNeighbors``) is
        used to find the neighbours instead; its ``n_neighbors`` counts the
        row itself, so ``NearestNeighbors(n_neighbors=4)`` examines 3
        neighbours. A Euclidean ``NearestNeighbors`` is replaced by the
        exact search of balancekit, which finds the same neighbours.
    kind_sel : {'all', 'mode'}, default='all'
        ``'all'``: remove a row unless all of its neighbours share its class.
        ``'mode'``: remove it unless its class is the most common among its
        neighbours. ``'all'`` removes more rows.
    n_jobs : int, default=None
        Threads for the neighbour searches (``None`` or ``-1``: all cores).

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` of the classes that were cleaned, with their
        size before cleaning.
    nn_ : estimator object
        The neighbours estimator the rule stands for (not fitted): a
        ``NearestNeighbors(n_neighbors=n_neighbors + 1)``, or a clone of the
        one given.
    sample_indices_ : ndarray of shape (n_samples_new,)
        Rows of the input that were kept, in increasing order.
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
    RepeatedEditedNearestNeighbours : repeat the rule until nothing changes.
    AllKNN : repeat the rule with a growing neighbourhood.
    NeighbourhoodCleaningRule : this rule plus the neighbours of misclassified
        minority rows.

    Notes
    -----
    Distances are Euclidean; of two equally distant rows, the one with the
    lower row index is the nearer. A row duplicated in the data has its copy
    as a neighbour (at distance 0), never itself.

    References
    ----------
    D. Wilson, "Asymptotic properties of nearest neighbor rules using edited
    data", IEEE Transactions on Systems, Man, and Cybernetics 2(3), 1972.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from balancekit.under_sampling import EditedNearestNeighbours
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], class_sep=0.8,
    ...                            random_state=0)
    >>> enn = EditedNearestNeighbours()
    >>> X_res, y_res = enn.fit_resample(X, y)
    >>> bool((y_res == 0).sum() < (y == 0).sum()), bool((y_res == 1).sum() == (y == 1).sum())
    (True, True)
    """

    _sampling_type = "clean-sampling"
    _accept_sparse = True

    def __init__(self, *, sampling_strategy="auto", n_neighbors=3, kind_sel="all", n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.n_jobs = n_jobs

    def _check_params(self):
        kind_sel = check_option("kind_sel", self.kind_sel, KIND_SEL)
        check_n_jobs(self.n_jobs)
        k, estimator, fast = read_neighbors(self.n_neighbors)
        return k, estimator, fast, kind_sel

    def _fit_resample(self, X, y, *, targets, rng):
        k, estimator, fast, kind_sel = self._check_params()
        self.nn_ = neighbors_attribute(k, estimator, self.n_jobs)
        editing = _Editing(X, y, k, estimator, fast, kind_sel, self.n_jobs)
        alive = np.arange(y.shape[0])
        removed = editing.removed(alive, list(targets))
        return Resampled(np.setdiff1d(alive, removed, assume_unique=True))


class RepeatedEditedNearestNeighbours(BaseSampler):
    """Apply edited nearest neighbours again and again, until it stops changing.

    Each round removes, from the rows left by the previous round, those that
    :class:`EditedNearestNeighbours` would remove. The rounds stop when a
    round removes nothing, after ``max_iter`` rounds, when a class other
    than the minority one falls below the minority's original size, or when
    a class disappears (the round that triggers a stop is kept). The classes
    to clean are resolved again from the remaining rows at each round.

    The rows kept are the ones imbalanced-learn's
    ``RepeatedEditedNearestNeighbours`` keeps. A round does not search the
    data again: each row keeps its nearest row of another class and a few
    rows of its class found nearer than it (enough to keep the row); while
    they are still present the row is decided without any search, so after
    the first round only the rows near what was removed are searched.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        The classes to clean, as for :class:`EditedNearestNeighbours`.
    n_neighbors : int or estimator, default=3
        Size of the neighbourhood examined at each round, as for
        :class:`EditedNearestNeighbours`.
    max_iter : int, default=100
        Maximum number of rounds.
    kind_sel : {'all', 'mode'}, default='all'
        ``'all'``: remove a row unless all of its neighbours share its class.
        ``'mode'``: remove it unless its class is the most common among its
        neighbours.
    n_jobs : int, default=None
        Threads for the neighbour searches (``None`` or ``-1``: all cores).

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` of the classes cleaned at the first round.
    nn_ : estimator object
        The neighbours estimator the rule stands for (not fitted).
    enn_ : EditedNearestNeighbours
        The rule applied at each round (not fitted).
    n_iter_ : int
        Number of rounds run.
    sample_indices_ : ndarray of shape (n_samples_new,)
        Rows of the input that were kept, in increasing order.
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
    EditedNearestNeighbours : a single round.
    AllKNN : rounds with a growing neighbourhood.

    Notes
    -----
    The minority class of the stopping test is the smallest class of ``y``;
    among equally small classes, the one seen first in ``y``.

    References
    ----------
    I. Tomek, "An experiment with the edited nearest-neighbor rule", IEEE
    Transactions on Systems, Man, and Cybernetics 6(6), 1976.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from balancekit.under_sampling import RepeatedEditedNearestNeighbours
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], class_sep=0.8,
    ...                            random_state=0)
    >>> renn = RepeatedEditedNearestNeighbours()
    >>> X_res, y_res = renn.fit_resample(X, y)
    >>> renn.n_iter_ >= 1
    True
    """

    _sampling_type = "clean-sampling"
    _accept_sparse = True

    def __init__(
        self, *, sampling_strategy="auto", n_neighbors=3, max_iter=100, kind_sel="all",
        n_jobs=None,
    ):
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.max_iter = max_iter
        self.kind_sel = kind_sel
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y, *, targets, rng):
        kind_sel = check_option("kind_sel", self.kind_sel, KIND_SEL)
        max_iter = check_int("max_iter", self.max_iter, min_value=1)
        check_n_jobs(self.n_jobs)
        k, estimator, fast = read_neighbors(self.n_neighbors)
        self.nn_ = neighbors_attribute(k, estimator, self.n_jobs)
        self.enn_ = EditedNearestNeighbours(
            sampling_strategy=self.sampling_strategy, n_neighbors=self.nn_, kind_sel=kind_sel,
            n_jobs=self.n_jobs,
        )
        editing = _Editing(X, y, k, estimator, fast, kind_sel, self.n_jobs, repeated=True)
        n_classes = editing.labels.size
        minority = minority_label(y)
        n_minority = int(np.sum(y == minority))
        alive = np.arange(y.shape[0])
        clean = list(targets)
        for n_iter in range(max_iter):
            if n_iter:
                clean = list(
                    resolve_targets(self.sampling_strategy, y[alive], "clean-sampling")
                )
            removed = editing.removed(alive, clean)
            alive = np.setdiff1d(alive, removed, assume_unique=True)
            became_minority, lost_class = _stop_checks(y, alive, n_classes, minority, n_minority)
            if removed.size == 0 or became_minority or lost_class:
                break
        self.n_iter_ = n_iter + 1
        return Resampled(alive)


class AllKNN(BaseSampler):
    """Apply edited nearest neighbours with 1, 2, ..., ``n_neighbors`` neighbours in turn.

    Round ``i`` removes, from the rows left by the previous rounds, those
    that :class:`EditedNearestNeighbours` with ``i`` neighbours would
    remove. The rounds stop early when a class other than the minority one
    falls below the minority's original size (unless ``allow_minority``) or
    when a class disappears (the round that triggers a stop is kept).

    The rows kept are the ones imbalanced-learn's ``AllKNN`` keeps. The
    first round searches for what the largest neighbourhood needs (the
    neighbours of a smaller neighbourhood are the first ones of a larger),
    and later rounds reuse it while the rows it found are still present,
    instead of searching the data at every round.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        The classes to clean, as for :class:`EditedNearestNeighbours`,
        resolved again from the remaining rows at each round.
    n_neighbors : int or estimator, default=3
        Size of the largest neighbourhood. Of an estimator only its
        ``n_neighbors`` is used (it counts the row itself, so
        ``NearestNeighbors(n_neighbors=4)`` means rounds of 1, 2 and 3
        neighbours), as in imbalanced-learn.
    kind_sel : {'all', 'mode'}, default='all'
        ``'all'``: remove a row unless all of its neighbours share its class.
        ``'mode'``: remove it unless its class is the most common among its
        neighbours.
    allow_minority : bool, default=False
        Go on with the rounds even when a cleaned class becomes smaller than
        the minority class was.
    n_jobs : int, default=None
        Threads for the neighbour searches (``None`` or ``-1``: all cores).

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` of the classes cleaned at the first round.
    nn_ : estimator object
        The neighbours estimator of the largest neighbourhood (not fitted).
    enn_ : EditedNearestNeighbours
        The rule applied at the rounds (not fitted).
    sample_indices_ : ndarray of shape (n_samples_new,)
        Rows of the input that were kept, in increasing order.
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
    EditedNearestNeighbours : a single round.
    RepeatedEditedNearestNeighbours : rounds with a fixed neighbourhood.

    References
    ----------
    I. Tomek, "An experiment with the edited nearest-neighbor rule", IEEE
    Transactions on Systems, Man, and Cybernetics 6(6), 1976.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from balancekit.under_sampling import AllKNN
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], class_sep=0.8,
    ...                            random_state=0)
    >>> X_res, y_res = AllKNN().fit_resample(X, y)
    >>> bool(len(y_res) < len(y))
    True
    """

    _sampling_type = "clean-sampling"
    _accept_sparse = True

    def __init__(
        self, *, sampling_strategy="auto", n_neighbors=3, kind_sel="all", allow_minority=False,
        n_jobs=None,
    ):
        self.sampling_strategy = sampling_strategy
        self.n_neighbors = n_neighbors
        self.kind_sel = kind_sel
        self.allow_minority = allow_minority
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y, *, targets, rng):
        kind_sel = check_option("kind_sel", self.kind_sel, KIND_SEL)
        if not isinstance(self.allow_minority, (bool, np.bool_)):
            raise InvalidParameterTypeError(
                f"allow_minority must be True or False; got {self.allow_minority!r}."
            )
        check_n_jobs(self.n_jobs)
        k_max, estimator = check_neighbors("n_neighbors", self.n_neighbors)
        self.nn_ = neighbors_attribute(k_max, estimator, self.n_jobs)
        self.enn_ = EditedNearestNeighbours(
            sampling_strategy=self.sampling_strategy, n_neighbors=self.nn_, kind_sel=kind_sel,
            n_jobs=self.n_jobs,
        )
        # Only the size of a given estimator matters, as in imbalanced-learn:
        # each round is a plain Euclidean edited-nearest-neighbours pass.
        editing = _Editing(X, y, k_max, None, True, kind_sel, self.n_jobs, repeated=True)
        n_classes = editing.labels.size
        minority = minority_label(y)
        n_minority = int(np.sum(y == minority))
        alive = np.arange(y.shape[0])
        clean = list(targets)
        for k in range(1, k_max + 1):
            if k > 1:
                clean = list(
                    resolve_targets(self.sampling_strategy, y[alive], "clean-sampling")
                )
            removed = editing.removed(alive, clean, k)
            alive = np.setdiff1d(alive, removed, assume_unique=True)
            became_minority, lost_class = _stop_checks(y, alive, n_classes, minority, n_minority)
            if self.allow_minority:
                became_minority = False
            if became_minority or lost_class:
                break
        return Resampled(alive)
