"""SVM-SMOTE: synthetic rows around the support vectors of a class."""

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.svm import SVC

from .._base import BaseSampler
from .._exact import check_n_jobs
from .._kernels import draw_segments, segment_points
from .._neighbors import check_neighbors, kneighbors, neighbors_attribute, neighbors_for_class
from .._validation import check_not_a_class, check_real
from ..exceptions import InvalidParameterTypeError
from ._adasyn import check_reference_size, count_other, smote_fallback
from ._borderline import class_neighbors
from ._smote import stack_synthetic

# Values of X read at a time by scale_gamma.
_GAMMA_CHUNK = 1 << 16


def scale_gamma(X):
    """``SVC(gamma='scale')``'s kernel coefficient, ``1 / (n_features * X.var())``, for
    dense ``X``, computed in float64 a chunk of rows at a time.

    The SVC computes ``X.var()`` on a float64 temporary the size of ``X`` (beside its
    float64 copy of float32 data); the result differs from it by rounding only.
    Returns ``'scale'`` for sparse ``X`` (whose variance the SVC computes without a
    dense temporary).
    """
    if sp.issparse(X):
        return "scale"
    X = np.asarray(X)
    n, p = X.shape
    step = max(1, _GAMMA_CHUNK // max(1, p))
    size = max(1, n * p)
    mean = sum(float(X[s:s + step].sum(dtype=np.float64)) for s in range(0, n, step)) / size
    squares = 0.0
    for s in range(0, n, step):
        centred = np.subtract(X[s:s + step], mean, dtype=np.float64)
        squares += float(np.einsum("ij,ij->", centred, centred))
    var = squares / size
    return 1.0 / (p * var) if var != 0 else 1.0


class SVMSMOTE(BaseSampler):
    """SVM-SMOTE: SMOTE from the support vectors of a support vector machine.

    A support vector machine (``svm_estimator``) is fitted on the whole data
    set; its support vectors of the class being grown approximate the class
    border. Among them, a support vector whose ``m_neighbors`` nearest
    neighbours in the whole data set (itself excluded) all belong to other
    classes is taken for noise and dropped. The others generate:

    - a support vector *in danger* (at least half of its ``m_neighbors``
      neighbours of other classes) interpolates toward one of its
      ``k_neighbors`` nearest neighbours in the class: ``x + u * (n - x)``
      with ``u`` uniform on [0, 1);
    - a *safe* support vector extrapolates away from it:
      ``x - out_step * u * (n - x)``, which widens the class region.

    A fraction ``f`` drawn from Beta(10, 10) of the new rows comes from the
    support vectors in danger (``int(f * (n_new + 1))`` rows), the rest from
    the safe ones; base rows and neighbours are drawn uniformly in each
    group.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to grow and to what size; see
        :func:`balancekit.resolve_sampling_strategy`.
    random_state : int, RandomState instance or None, default=None
        Seeds the single random generator of each call.
    k_neighbors : int or estimator, default=5
        Number of nearest neighbours in the class to interpolate or
        extrapolate with, or an object with ``fit`` and ``kneighbors`` whose
        ``n_neighbors`` counts the point itself (as in imbalanced-learn). A
        class with ``k_neighbors`` samples or fewer uses all of its other
        samples, with a :class:`~balancekit.exceptions.SmallClassWarning`.
    n_jobs : int, default=None
        Threads for the neighbour search.
    m_neighbors : int or estimator, default=10
        Number of nearest neighbours (in the whole data set) that decide
        whether a support vector is noise, in danger or safe, or a neighbours
        estimator as for ``k_neighbors``.
    svm_estimator : estimator, default=None
        A support vector classifier exposing ``support_`` after ``fit``; it is
        cloned. ``None`` means ``sklearn.svm.SVC(gamma='scale')``, seeded from
        ``random_state``. For dense data balancekit computes that scale,
        ``1 / (n_features * X.var())``, itself a chunk of rows at a time and
        passes the number (``svm_estimator_.gamma`` holds it): the SVC would
        compute it on a temporary copy of the data.
    out_step : float, default=0.5
        Largest step, in [0, 1], of the extrapolation from safe support
        vectors.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each grown class has after resampling.
    nn_k_ : estimator object
        The neighbours estimator of ``k_neighbors``, not fitted (balancekit searches
        with its own search): ``NearestNeighbors(n_neighbors=k_neighbors + 1)``, or a
        clone of the estimator given.
    nn_m_ : estimator object
        The neighbours estimator of ``m_neighbors``, not fitted (balancekit searches
        with its own search): ``NearestNeighbors(n_neighbors=m_neighbors + 1)``, or a
        clone of the estimator given.
    svm_estimator_ : estimator
        The fitted support vector machine (not fitted when no class grows).
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
    BorderlineSMOTE : the border is found by nearest neighbours only.

    Notes
    -----
    **Exact counts.** imbalanced-learn generates only the share of the group
    that exists when the support vectors of a class are all in danger or all
    safe, so the class ends below the requested size. Here the missing
    group's share goes to the other one, and every grown class has exactly
    the size asked for. When a class has no support vector, or all of them
    are noise (imbalanced-learn raises a ``ValueError``), the class is grown
    by plain SMOTE from all its rows, with a
    :class:`~balancekit.exceptions.BalancekitWarning`.

    **Random draws.** All draws of a call come from one generator seeded by
    ``random_state``. imbalanced-learn seeds an integer ``random_state`` again
    for groups of new rows within a class, so the new rows are imbalanced-learn's
    for the same ``numpy.random.RandomState(seed)``, not always for the same
    integer seed.

    The support vector machine is fitted once per call (imbalanced-learn
    refits the same model for each grown class, drawing a seed each time;
    the default model's draws are made here too, so that the new rows of
    several classes are imbalanced-learn's as well). ``n_jobs`` is accepted for
    compatibility with older imbalanced-learn releases, which had it.

    References
    ----------
    H. M. Nguyen, E. W. Cooper, K. Kamei, "Borderline over-sampling for
    imbalanced data classification", IJKESDP 3(1), 2011.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from balancekit.over_sampling import SVMSMOTE
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> X_res, y_res = SVMSMOTE(random_state=0).fit_resample(X, y)
    >>> (y_res == 0).sum() == (y_res == 1).sum()
    np.True_
    """

    _sampling_type = "over-sampling"
    _accept_sparse = True

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        k_neighbors=5,
        n_jobs=None,
        m_neighbors=10,
        svm_estimator=None,
        out_step=0.5,
    ):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.n_jobs = n_jobs
        self.m_neighbors = m_neighbors
        self.svm_estimator = svm_estimator
        self.out_step = out_step

    def _fit_resample(self, X, y, *, targets, rng):
        k, k_estimator = check_neighbors("k_neighbors", self.k_neighbors)
        m, m_estimator = check_neighbors("m_neighbors", self.m_neighbors)
        self.nn_k_ = neighbors_attribute(k, k_estimator, self.n_jobs)
        self.nn_m_ = neighbors_attribute(m, m_estimator, self.n_jobs)
        out_step = check_real("out_step", self.out_step, min_value=0.0, max_value=1.0)
        check_n_jobs(self.n_jobs)  # before the SVM is fitted
        share = k_estimator is None and m_estimator is None
        svm = self._make_svm(X, rng)
        grow = {c: n for c, n in targets.items() if n > np.count_nonzero(y == c)}
        if not grow:
            self.svm_estimator_ = svm  # not fitted, as no class needed it (not an earlier model)
            return stack_synthetic(X, [], [])
        check_reference_size("m_neighbors", m, y.shape[0])
        svm.fit(X, y)
        support = getattr(svm, "support_", None)
        if support is None:
            raise InvalidParameterTypeError(
                "svm_estimator must be a support vector machine exposing support_ after fit "
                f"(such as sklearn.svm.SVC); got {type(self.svm_estimator).__name__}, which has "
                "no support_."
            )
        self.svm_estimator_ = svm
        support = np.sort(np.asarray(support, dtype=np.intp))
        blocks, origins = [], []
        for i, (label, target) in enumerate(grow.items()):
            if i and self.svm_estimator is None:
                # imbalanced-learn fits its model again for each grown class, and each fit
                # draws libsvm's seed from this generator: the same draw keeps the rows equal.
                rng.randint(np.iinfo("i").max)
            members = np.flatnonzero(y == label)
            n_new = target - members.size
            vectors = support[y[support] == label]
            n_other = nn = None
            if vectors.size:
                nn = kneighbors(
                    X, m, query_indices=vectors, estimator=m_estimator, n_jobs=self.n_jobs
                )
                n_other = count_other(y, nn, label)
                kept = n_other < m
                vectors, nn, n_other = vectors[kept], nn[kept], n_other[kept]
            if not vectors.size:
                reason = (
                    "the support vector machine has no support vector of this class"
                    if n_other is None
                    else f"every support vector is noise (all of its {m} nearest neighbours of "
                    "another class)"
                )
                new, origin = smote_fallback(
                    "SVMSMOTE", reason, X, members, n_new, k, k_estimator, rng, label,
                    self.n_jobs,
                )
                blocks.append(new)
                origins.append(origin)
                continue
            danger = 2 * n_other >= m
            k_class = neighbors_for_class("k_neighbors", k, members.size, label)
            ends = members[
                class_neighbors(
                    X, y, label, members, np.searchsorted(members, vectors), k_class,
                    nn_all=nn if share else None, estimator=k_estimator, n_jobs=self.n_jobs,
                )
            ]
            n_danger = int(rng.beta(10, 10) * (n_new + 1))
            if not danger.any():
                n_danger = 0
            elif danger.all():
                n_danger = n_new
            for group, count, step in ((danger, n_danger, 1.0), (~danger, n_new - n_danger, -out_step)):
                if count == 0:
                    continue
                which = np.flatnonzero(group)
                rows, cols, gap = draw_segments(rng, which.size, k_class, count)
                gap *= step
                base = vectors[which[rows]]
                blocks.append(segment_points(X, base, ends[which[rows], cols], gap))
                origins.append(base)
        return stack_synthetic(X, blocks, origins)

    def _make_svm(self, X, rng):
        if self.svm_estimator is None:
            return SVC(gamma=scale_gamma(X), random_state=rng)
        check_not_a_class("svm_estimator", self.svm_estimator, "None or a support vector classifier")
        if not (hasattr(self.svm_estimator, "fit") and hasattr(self.svm_estimator, "get_params")):
            raise InvalidParameterTypeError(
                "svm_estimator must be None or a scikit-learn support vector classifier such as "
                f"sklearn.svm.SVC; got {self.svm_estimator!r} of type "
                f"{type(self.svm_estimator).__name__}."
            )
        return clone(self.svm_estimator)
