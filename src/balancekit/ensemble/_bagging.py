"""Bagging whose every bag is rebalanced by a sampler before its estimator is fitted."""

from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import BaggingClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from .._exact import check_n_jobs
from .._validation import check_bool, check_int, check_seed, unique_labels
from ..exceptions import InvalidParameterError
from ..pipeline import check_sampler
from ..under_sampling import RandomUnderSampler
from ._common import (
    ResampledEstimator,
    check_fraction_or_count,
    check_labels_present,
    check_member_classifier,
    check_strategy,
    check_two_classes,
    numbers_needed,
)


def _ensemble_has(attr):
    """``available_if`` check: does the member estimator offer ``attr``?"""

    def check(self):
        if hasattr(self, "estimators_"):
            return hasattr(self.estimators_[0], attr)
        estimator = self.estimator if self.estimator is not None else self._default_estimator()
        return hasattr(estimator, attr)

    return check


def _check_draws(owner, params, shape):
    """Check the counts of rows and features each member draws against ``X`` of ``shape``,
    before fitting, with errors naming ``owner`` (scikit-learn's bagging raises a bare
    ``ValueError`` while fitting)."""
    n_samples, n_features = shape
    max_features = params["max_features"]
    if isinstance(max_features, int) and max_features > n_features:
        raise InvalidParameterError(
            f"{owner}: max_features={max_features} is more features than X has ("
            f"{n_features}); give at most {n_features}, or a fraction in (0, 1]."
        )
    max_samples = params["max_samples"]
    if isinstance(max_samples, int) and max_samples > n_samples and not params["bootstrap"]:
        raise InvalidParameterError(
            f"{owner}: max_samples={max_samples} is more rows than X has ({n_samples}), which "
            "bags drawn without replacement (bootstrap=False) cannot hold; give at most "
            f"{n_samples}, a fraction in (0, 1], or bootstrap=True."
        )


class _ResampledBagging(ClassifierMixin, BaseEstimator):
    """What the two balanced bagging ensembles share.

    The bagging itself is scikit-learn's :class:`~sklearn.ensemble.BaggingClassifier`,
    used through its public API: its members are :class:`ResampledEstimator`
    objects (sampler, then estimator), so every bag drawn by bagging is
    rebalanced before its estimator is fitted. The fitted bagging object is
    kept to serve predictions, ``estimators_samples_`` and warm starts.
    """

    def _default_estimator(self):
        raise NotImplementedError

    def _member_estimator(self):
        """The estimator of the members (the default one for ``None``), checked."""
        estimator = self.estimator if self.estimator is not None else self._default_estimator()
        check_member_classifier(estimator)
        return estimator

    def _bagging_params(self):
        raise NotImplementedError

    def _make_sampler(self):
        raise NotImplementedError

    def fit(self, X, y, **fit_params):
        """Build the ensemble from the training set ``(X, y)``.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            The training data. Sparse matrices are accepted when the estimator
            and the sampler accept them.
        y : array-like of shape (n_samples,)
            The class labels.
        **fit_params : dict
            Not supported: a ``TypeError`` names them. Sample weights in
            particular are not carried through the resampling of each bag;
            :class:`BalancedRandomForestClassifier` and
            :class:`RUSBoostClassifier` take ``sample_weight``.

        Returns
        -------
        self : object
            The fitted ensemble.

        Raises
        ------
        TypeError
            When ``fit_params`` are given.
        """
        if fit_params:
            raise TypeError(
                f"{type(self).__name__}.fit() takes no {', '.join(sorted(fit_params))}: each "
                "bag is rebalanced by its sampler and the rows' weights are not carried through "
                "it. BalancedRandomForestClassifier and RUSBoostClassifier take sample_weight."
            )
        check_int("n_estimators", self.n_estimators, min_value=1)
        check_bool("warm_start", self.warm_start)
        if not isinstance(self.verbose, bool):  # True and False are verbosity levels too
            check_int("verbose", self.verbose, min_value=0)
        check_n_jobs(self.n_jobs)
        # Checked here, so that an error names this class rather than the BaggingClassifier
        # it delegates to.
        check_seed(self.random_state, owner=type(self).__name__)
        check_labels_present(y)
        with numbers_needed(self, X):
            self._fit_members(X, y)
        return self

    def _fit_members(self, X, y):
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            dtype=None,
            ensure_all_finite=False,
        )
        check_classification_targets(y)
        classes = unique_labels(y)
        check_two_classes(classes)
        sampler = self._make_sampler()
        check_strategy(sampler, y)
        estimator = self._member_estimator()
        member = ResampledEstimator(sampler=sampler, estimator=clone(estimator), classes=classes)
        bagging = getattr(self, "_bagging", None)
        if not self.warm_start or bagging is None:
            bagging = BaggingClassifier()
        params = self._bagging_params()
        _check_draws(type(self).__name__, params, X.shape)
        bagging.set_params(estimator=member, warm_start=self.warm_start, **params)
        bagging.fit(X, y)
        self._bagging = bagging
        self.sampler_ = sampler
        self.estimator_ = bagging.estimator_
        self.estimators_ = bagging.estimators_
        self.estimators_features_ = bagging.estimators_features_
        self.classes_ = bagging.classes_
        self.n_classes_ = bagging.n_classes_
        for name in ("oob_score_", "oob_decision_function_"):
            if hasattr(bagging, name):
                setattr(self, name, getattr(bagging, name))
            elif name in vars(self):
                delattr(self, name)

    def __len__(self):
        """The number of members fitted, as scikit-learn's ensembles give it."""
        return len(self.estimators_)

    def __getitem__(self, index):
        """The fitted member(s) at ``index``, as scikit-learn's ensembles give them."""
        return self.estimators_[index]

    def __iter__(self):
        """The fitted members, in order."""
        return iter(self.estimators_)

    @property
    def estimators_samples_(self):
        """The rows drawn for each member before resampling (the in-bag rows)."""
        check_is_fitted(self)
        return self._bagging.estimators_samples_

    def _check_predict_X(self, X):
        check_is_fitted(self)
        return validate_data(
            self, X, accept_sparse=["csr", "csc"], dtype=None, ensure_all_finite=False, reset=False
        )

    def predict(self, X):
        """Predict the class of each row: the most probable class of the ensemble.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            The rows to predict.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            The predicted classes.
        """
        X = self._check_predict_X(X)
        return self._bagging.predict(X)

    def predict_proba(self, X):
        """Class probabilities: the mean of the members' probabilities (or votes).

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            The rows to predict.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities in the order of ``classes_``.
        """
        X = self._check_predict_X(X)
        return self._bagging.predict_proba(X)

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            The rows to predict.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probabilities in the order of ``classes_``.
        """
        X = self._check_predict_X(X)
        return self._bagging.predict_log_proba(X)

    @available_if(_ensemble_has("decision_function"))
    def decision_function(self, X):
        """Average of the members' decision functions.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            The rows to score.

        Returns
        -------
        score : ndarray of shape (n_samples,) or (n_samples, n_classes)
            One column for binary targets, one per class otherwise.
        """
        X = self._check_predict_X(X)
        return self._bagging.decision_function(X)

    def __sklearn_tags__(self):
        # The estimator decides what X may hold: the default sampler only selects rows,
        # and any other sampler raises its own clear error for input it cannot take.
        tags = super().__sklearn_tags__()
        estimator = self.estimator if self.estimator is not None else self._default_estimator()
        if isinstance(estimator, type) or not hasattr(estimator, "__sklearn_tags__"):
            return tags  # not an estimator: fit says so
        est_tags = get_tags(estimator)
        tags.input_tags.sparse = est_tags.input_tags.sparse
        tags.input_tags.allow_nan = est_tags.input_tags.allow_nan
        return tags


class BalancedBaggingClassifier(_ResampledBagging):
    """A bagging classifier that rebalances every bag before fitting its estimator.

    Each member of the ensemble is trained on a bag drawn from the training
    set (a bootstrap by default) and then resampled by ``sampler`` (by default
    a :class:`~balancekit.under_sampling.RandomUnderSampler`), so every
    estimator sees balanced classes. Predictions average the members'
    probabilities, as in scikit-learn's
    :class:`~sklearn.ensemble.BaggingClassifier`, which does the bagging.

    With the default sampler this is Exactly Balanced Bagging; with
    ``replacement=True`` a variant of Roughly Balanced Bagging; with an
    over-sampler (e.g. ``SMOTE``) Over-Bagging / SMOTE-Bagging.

    Parameters
    ----------
    estimator : estimator object, default=None
        The classifier fitted on each resampled bag. ``None`` means a
        :class:`~sklearn.tree.DecisionTreeClassifier`.
    n_estimators : int, default=10
        The number of members.
    max_samples : int, float or None, default=1.0
        Rows drawn from the training set for each bag, before resampling: an
        int is a number of rows, a float a fraction of ``n_samples``, ``None``
        ``n_samples`` rows (scikit-learn's default).
    max_features : int or float, default=1.0
        Features drawn for each member: an int is a number of features, a
        float a fraction of ``n_features``.
    bootstrap : bool, default=True
        Draw the rows of a bag with replacement.
    bootstrap_features : bool, default=False
        Draw the features with replacement.
    oob_score : bool, default=False
        Score the ensemble on the rows left out of each bag (needs
        ``bootstrap=True``).
    warm_start : bool, default=False
        Keep the fitted members on the next ``fit`` and add members until
        there are ``n_estimators``.
    sampling_strategy : float, str, dict or callable, default='auto'
        How each bag is resampled; see
        :func:`balancekit.resolve_sampling_strategy`. It replaces the
        ``sampling_strategy`` of ``sampler`` when one is given. Dict keys are
        the original class labels.
    replacement : bool, default=False
        Whether the default :class:`~balancekit.under_sampling.RandomUnderSampler`
        draws with replacement; ignored when ``sampler`` is given.
    n_jobs : int, default=None
        Members fitted and evaluated in parallel (joblib); ``-1`` uses every core.
    random_state : int, RandomState instance or None, default=None
        Seeds the bags, the samplers and the estimators.
    verbose : int, default=0
        Verbosity of the fitting.
    sampler : sampler object, default=None
        The sampler applied to every bag; any object with ``fit_resample``.
        ``None`` means a :class:`~balancekit.under_sampling.RandomUnderSampler`.

    Attributes
    ----------
    estimator_ : estimator
        The template member: the sampler followed by the estimator.
    estimators_ : list of estimators
        The fitted members. Each has ``sampler_`` and ``estimator_`` (the
        fitted sampler and estimator), and reads as imbalanced-learn's
        pipelines do: ``named_steps['sampler']``, ``named_steps['classifier']``,
        ``member[0]``, ``member[-1]``. Like scikit-learn's bagging, the
        members work on labels encoded as ``0..n_classes-1``.
    sampler_ : sampler object
        The sampler template built from ``sampler``, ``sampling_strategy`` and
        ``replacement``.
    estimators_samples_ : list of ndarray
        The rows drawn for each member (before resampling).
    estimators_features_ : list of ndarray
        The features drawn for each member.
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    n_classes_ : int
        The number of classes.
    oob_score_ : float
        Accuracy of the out-of-bag predictions (when ``oob_score=True``).
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
        Out-of-bag class probabilities (when ``oob_score=True``).
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of str
        Column names seen in ``fit``, when ``X`` has them.

    See Also
    --------
    BalancedRandomForestClassifier : Random forest of trees grown on balanced samples.
    EasyEnsembleClassifier : Bag of AdaBoost learners trained on balanced samples.
    RUSBoostClassifier : AdaBoost with random under-sampling at every round.

    References
    ----------
    .. [1] L. Breiman, "Bagging predictors", Machine Learning, 24(2), 123-140, 1996.
    .. [2] R. Maclin and D. Opitz, "An empirical evaluation of bagging and
           boosting", AAAI/IAAI, 546-551, 1997.
    .. [3] S. Hido, H. Kashima and Y. Takahashi, "Roughly balanced bagging for
           imbalanced data", Statistical Analysis and Data Mining, 2(5-6),
           412-426, 2009.
    .. [4] S. Wang and X. Yao, "Diversity analysis on imbalanced data sets by
           using ensemble models", IEEE CIDM, 2009.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from balancekit.ensemble import BalancedBaggingClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9, 0.1], random_state=0)
    >>> clf = BalancedBaggingClassifier(random_state=0).fit(X, y)
    >>> clf.predict(X[:3]).shape
    (3,)
    """

    def __init__(
        self,
        estimator=None,
        n_estimators=10,
        *,
        max_samples=1.0,
        max_features=1.0,
        bootstrap=True,
        bootstrap_features=False,
        oob_score=False,
        warm_start=False,
        sampling_strategy="auto",
        replacement=False,
        n_jobs=None,
        random_state=None,
        verbose=0,
        sampler=None,
    ):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.bootstrap_features = bootstrap_features
        self.oob_score = oob_score
        self.warm_start = warm_start
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.sampler = sampler

    def _default_estimator(self):
        return DecisionTreeClassifier()

    def _make_sampler(self):
        if self.sampler is None:
            return RandomUnderSampler(
                sampling_strategy=self.sampling_strategy,
                replacement=check_bool("replacement", self.replacement),
            )
        check_sampler("sampler", self.sampler)
        sampler = clone(self.sampler)
        if "sampling_strategy" in sampler.get_params():
            sampler.set_params(sampling_strategy=self.sampling_strategy)
        return sampler

    def _bagging_params(self):
        return {
            "n_estimators": self.n_estimators,
            # None draws n_samples rows, as in scikit-learn's bagging, whose default it is in
            # recent releases (a float is there a fraction of the sum of the sample weights,
            # which this ensemble does not take): the bags of 1.0, in every release.
            "max_samples": 1.0 if self.max_samples is None else check_fraction_or_count(
                "max_samples", self.max_samples, allow_none=True),
            "max_features": check_fraction_or_count("max_features", self.max_features),
            "bootstrap": check_bool("bootstrap", self.bootstrap),
            "bootstrap_features": check_bool("bootstrap_features", self.bootstrap_features),
            "oob_score": check_bool("oob_score", self.oob_score),
            "n_jobs": self.n_jobs,
            "random_state": self.random_state,
            "verbose": self.verbose,
        }
