"""Tomek links: remove pairs of mutual nearest neighbours of different classes."""

from collections.abc import Mapping, Set

import numpy as np

from .._base import BaseSampler, Resampled
from .._exact import Points, check_n_jobs
from ..exceptions import DataError
from ._rules import encode, label_codes, tomek_removed


class TomekLinks(BaseSampler):
    """Remove the rows of Tomek links.

    Two rows of different classes form a Tomek link when each is the other's
    nearest neighbour: they sit on the class boundary, or one of them is
    noise. The member of each link that belongs to a class being cleaned is
    removed (both members when both classes are cleaned). The kept rows stay
    in their original order.

    The rows removed are the ones imbalanced-learn's ``TomekLinks`` removes.
    Every link has a member outside the largest class, so only the nearest
    neighbours of those rows are searched, then, for the rows they point to,
    whether anything lies nearer: far fewer distances than a nearest
    neighbour query of every row.

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        The classes to clean: ``'auto'`` (every class but the minority),
        ``'majority'``, ``'not minority'``, ``'not majority'``, ``'all'``, a
        list of labels, or a callable returning a dict whose keys are the
        labels.
    n_jobs : int, default=None
        Threads for the neighbour searches (``None`` or ``-1``: all cores).

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` of the classes that were cleaned, with their
        size before cleaning.
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
    EditedNearestNeighbours : remove rows whose neighbours disagree with them.
    OneSidedSelection : condensation followed by Tomek links.
    balancekit.combine.SMOTETomek : SMOTE followed by Tomek links.

    Notes
    -----
    Distances are Euclidean; of two equally distant rows, the one with the
    lower row index is the nearer. A row duplicated in the data has its copy
    as nearest neighbour, so it is never in a link.

    With several classes, a link joins any two classes (one class against
    the rest), as proposed by Tomek.

    References
    ----------
    I. Tomek, "Two modifications of CNN", IEEE Transactions on Systems, Man,
    and Cybernetics 6, 1976.

    Examples
    --------
    >>> import numpy as np
    >>> from balancekit.under_sampling import TomekLinks
    >>> X = np.array([[0.0], [1.0], [1.1], [3.0], [5.0]])
    >>> y = np.array([0, 0, 1, 0, 0])
    >>> tl = TomekLinks()
    >>> X_res, y_res = tl.fit_resample(X, y)
    >>> tl.sample_indices_.tolist()
    [0, 2, 3, 4]
    """

    _sampling_type = "clean-sampling"
    _accept_sparse = True

    def __init__(self, *, sampling_strategy="auto", n_jobs=None):
        self.sampling_strategy = sampling_strategy
        self.n_jobs = n_jobs

    @staticmethod
    def is_tomek(y, nn_index, class_type):
        """Which rows are in a Tomek link and of a class to clean (imbalanced-learn's helper).

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            The class labels.
        nn_index : array-like of int of shape (n_samples,)
            The index of each row's nearest neighbour (another row).
        class_type : label, list of labels or dict
            The classes whose rows may be marked (a dict's keys, such as a
            fitted sampler's ``sampling_strategy_``).

        Returns
        -------
        links : ndarray of bool of shape (n_samples,)
            True for each row of a class in ``class_type`` whose nearest
            neighbour is of another class and has that row as its own nearest
            neighbour.
        """
        y = np.asarray(y)
        nn_index = np.asarray(nn_index, dtype=np.intp)
        if nn_index.shape != y.shape:
            raise DataError(
                f"nn_index must hold one neighbour per label, of shape {y.shape}; got shape "
                f"{nn_index.shape}."
            )
        mutual = nn_index[nn_index] == np.arange(y.shape[0])
        if isinstance(class_type, (Mapping, Set)):
            class_type = list(class_type)
        return mutual & (y[nn_index] != y) & np.isin(y, np.atleast_1d(class_type))

    def _fit_resample(self, X, y, *, targets, rng):
        check_n_jobs(self.n_jobs)
        codes, labels = encode(y)
        rows = np.arange(y.shape[0])
        removed = tomek_removed(
            Points(X), codes, rows, label_codes(labels, targets), n_jobs=self.n_jobs
        )
        return Resampled(np.setdiff1d(rows, removed, assume_unique=True))
