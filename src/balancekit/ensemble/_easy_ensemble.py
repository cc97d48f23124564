"""EasyEnsemble: a bag of AdaBoost learners, each trained on a balanced random subset."""

from sklearn.ensemble import AdaBoostClassifier

from .._validation import check_bool
from ..under_sampling import RandomUnderSampler
from ._bagging import _ResampledBagging


class EasyEnsembleClassifier(_ResampledBagging):
    """Bag of boosted learners trained on balanced random subsets (EasyEnsemble).

    Every member is an :class:`~sklearn.ensemble.AdaBoostClassifier` (or the
    given ``estimator``) fitted on the whole training set shrunk by a
    :class:`~balancekit.under_sampling.RandomUnderSampler`: each member sees
    all the minority rows and a different random subset of the other
    classes. Predictions average the members' probabilities.

    Parameters
    ----------
    n_estimators : int, default=10
        The number of members.
    estimator : estimator object, default=None
        The classifier fitted on each balanced subset. ``None`` means
        ``AdaBoostClassifier()``.
    warm_start : bool, default=False
        Keep the fitted members on the next ``fit`` and add members until
        there are ``n_estimators``.
    sampling_strategy : float, str, dict or callable, default='auto'
        How each subset is drawn; see :func:`balancekit.resolve_sampling_strategy`
        (under-sampling). Dict keys are the original class labels.
    replacement : bool, default=False
        Whether the under-sampler draws with replacement.
    n_jobs : int, default=None
        Members fitted and evaluated in parallel (joblib); ``-1`` uses every core.
    random_state : int, RandomState instance or None, default=None
        Seeds the subsets and the estimators.
    verbose : int, default=0
        Verbosity of the fitting.

    Attributes
    ----------
    estimator_ : estimator
        The template member: the under-sampler followed by the estimator.
    estimators_ : list of estimators
        The fitted members. Each has ``sampler_`` and ``estimator_``, and
        reads as imbalanced-learn's pipelines do (``named_steps['classifier']``,
        ``member[-1]``...); like scikit-learn's bagging, the members work on
        labels encoded as ``0..n_classes-1``.
    sampler_ : RandomUnderSampler
        The under-sampler template.
    estimators_samples_ : list of ndarray
        The rows given to each member before under-sampling (all of them).
    estimators_features_ : list of ndarray
        The features given to each member (all of them).
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    n_classes_ : int
        The number of classes.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of str
        Column names seen in ``fit``, when ``X`` has them.

    See Also
    --------
    BalancedBaggingClassifier : Bagging with any sampler and any estimator.
    RUSBoostClassifier : AdaBoost with random under-sampling at every round.

    References
    ----------
    .. [1] X. Y. Liu, J. Wu and Z. H. Zhou, "Exploratory undersampling for
           class-imbalance learning", IEEE Transactions on Systems, Man, and
           Cybernetics, Part B, 39(2), 539-550, 2009.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from balancekit.ensemble import EasyEnsembleClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9, 0.1], random_state=0)
    >>> clf = EasyEnsembleClassifier(n_estimators=5, random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    def __init__(
        self,
        n_estimators=10,
        estimator=None,
        *,
        warm_start=False,
        sampling_strategy="auto",
        replacement=False,
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        self.n_estimators = n_estimators
        self.estimator = estimator
        self.warm_start = warm_start
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def _default_estimator(self):
        return AdaBoostClassifier()

    def _make_sampler(self):
        return RandomUnderSampler(
            sampling_strategy=self.sampling_strategy,
            replacement=check_bool("replacement", self.replacement),
        )

    def _bagging_params(self):
        return {
            "n_estimators": self.n_estimators,
            "max_samples": 1.0,
            "max_features": 1.0,
            "bootstrap": False,
            "bootstrap_features": False,
            "oob_score": False,
            "n_jobs": self.n_jobs,
            "random_state": self.random_state,
            "verbose": self.verbose,
        }
