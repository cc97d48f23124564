"""Cluster centroids: replace a class by the centres of as many clusters as it should keep."""

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.cluster import KMeans

from .._base import BaseSampler, Resampled
from .._neighbors import kneighbors
from .._validation import check_not_a_class, check_option, unique_labels
from ..exceptions import InvalidParameterError, InvalidParameterTypeError

VOTING = ("auto", "hard", "soft")


class ClusterCentroids(BaseSampler):
    """Under-sample by clustering: each class to shrink becomes the centres of its clusters.

    The rows of each class to shrink are clustered into as many clusters as
    the class should keep (``n_clusters`` of ``estimator`` is set to the
    target count), and the class is replaced by the cluster centres
    (``voting='soft'``) or by the real row nearest to each centre
    (``voting='hard'``). The other classes are kept as they are.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to shrink and to what size; see
        :func:`balancekit.resolve_sampling_strategy`. ``'auto'`` shrinks every
        class but the minority to the minority's size.
    random_state : int, RandomState instance or None, default=None
        Seeds the single random generator of each call, which seeds the
        default ``KMeans``.
    estimator : estimator, default=None
        A clustering estimator with an ``n_clusters`` parameter and a fitted
        ``cluster_centers_`` attribute (``KMeans``, ``MiniBatchKMeans``, ...);
        it is cloned. ``None`` means ``sklearn.cluster.KMeans()``.
    voting : {'auto', 'hard', 'soft'}, default='auto'
        ``'soft'``: the centres themselves (new, synthetic rows, in ``X``'s
        dtype: rounded in integer and boolean columns, where imbalanced-learn
        returns float64; use ``'hard'`` or cast ``X`` to float for exact
        centres). ``'hard'``:
        the nearest real row of the class to each centre. ``'auto'``: hard
        for sparse input, soft otherwise.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each resampled class has after resampling.
    estimator_ : estimator
        The clustering, fitted on the last class that was shrunk (not fitted
        when no class is shrunk).
    voting_ : str
        The voting used (``'hard'`` or ``'soft'``).
    sample_indices_ : ndarray of shape (n_samples_new,)
        With ``voting_='hard'`` only: the rows of the input making up the
        output, in ascending order. A row nearest to two centres appears
        twice, as in imbalanced-learn, so each shrunk class has exactly its
        target count. With soft voting the output holds new rows and this
        attribute is not set (imbalanced-learn never sets it).
    sample_weight_ : ndarray of shape (n_samples_new,) or None
        The weights of the output rows when ``sample_weight`` is given to
        ``fit_resample`` (each row keeps the weight of the input row it was
        copied or generated from); ``None`` otherwise.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.
    feature_names_in_ : ndarray of str
        Column names seen in ``fit_resample``, when ``X`` has them.

    Notes
    -----
    With soft voting the output holds the kept rows of the other classes
    first, then the centres. With ``sample_weight``, a centre takes the weight
    of the class row nearest to it.

    A class whose target equals its size is kept as it is (clustering it
    into one cluster per row gives the same rows back); a target of 0 drops
    the class.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from balancekit.under_sampling import ClusterCentroids
    >>> X, y = make_classification(n_samples=300, weights=[0.8], random_state=0)
    >>> X_res, y_res = ClusterCentroids(random_state=0).fit_resample(X, y)
    >>> (y_res == 0).sum() == (y_res == 1).sum()
    np.True_
    """

    _sampling_type = "under-sampling"
    _accept_sparse = True
    _makes_rows = True

    def __init__(self, *, sampling_strategy="auto", random_state=None, estimator=None, voting="auto"):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.estimator = estimator
        self.voting = voting

    def _fit_resample(self, X, y, *, targets, rng):
        voting = check_option("voting", self.voting, VOTING)
        if voting == "auto":
            voting = "hard" if sp.issparse(X) else "soft"
        self.voting_ = voting
        # Checked before any work; not fitted unless a class shrinks (not an earlier model).
        self.estimator_ = self._make_estimator(rng, None)
        keep, centres, nearest, labels = [], [], [], []
        for label in unique_labels(y):
            members = np.flatnonzero(y == label)
            label = label.item() if isinstance(label, np.generic) else label
            target = targets.get(label, members.size)
            if target >= members.size:
                keep.append(members)
                continue
            if target == 0:
                continue
            estimator = self._make_estimator(rng, target)
            estimator.fit(X[members])
            found = getattr(estimator, "cluster_centers_", None)
            if found is None:
                raise InvalidParameterTypeError(
                    "estimator must expose cluster_centers_ after fit (such as "
                    f"sklearn.cluster.KMeans); {type(estimator).__name__} does not."
                )
            self.estimator_ = estimator
            found = np.asarray(found, dtype=X.dtype)
            nn = kneighbors(X[members], 1, query=found)
            centres.append(found)
            nearest.append(members[nn[:, 0]])
            labels.append(np.full(found.shape[0], label, dtype=y.dtype))
        kept = np.concatenate(keep) if keep else np.empty(0, dtype=np.intp)
        if not centres:
            return Resampled(np.sort(kept))
        nearest = np.concatenate(nearest)
        if voting == "hard":
            return Resampled(np.sort(np.concatenate([kept, nearest])))
        synthetic = np.concatenate(centres, axis=0)
        if sp.issparse(X):
            synthetic = sp.csr_matrix(synthetic)
        return Resampled(
            np.sort(kept), synthetic=synthetic, y_synthetic=np.concatenate(labels), origin=nearest
        )

    def _make_estimator(self, rng, n_clusters):
        if self.estimator is None:
            return KMeans(**({} if n_clusters is None else {"n_clusters": n_clusters}),
                          random_state=rng)
        check_not_a_class("estimator", self.estimator, "None or a clustering estimator")
        if not (hasattr(self.estimator, "fit") and hasattr(self.estimator, "get_params")):
            raise InvalidParameterTypeError(
                "estimator must be None or a scikit-learn clustering estimator such as "
                f"sklearn.cluster.KMeans; got {self.estimator!r} of type "
                f"{type(self.estimator).__name__}."
            )
        if "n_clusters" not in self.estimator.get_params():
            raise InvalidParameterError(
                "estimator must be a clustering estimator with an n_clusters parameter and a "
                f"fitted cluster_centers_ attribute (such as sklearn.cluster.KMeans); "
                f"{type(self.estimator).__name__} has no n_clusters parameter."
            )
        estimator = clone(self.estimator)
        return estimator if n_clusters is None else estimator.set_params(n_clusters=n_clusters)
