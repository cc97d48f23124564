"""RUSBoost: AdaBoost (SAMME) with random under-sampling before every round."""

import warnings

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import AdaBoostClassifier
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, has_fit_parameter, validate_data

from .._validation import (
    check_bool,
    check_int,
    check_real,
    check_sample_weight,
    check_seed,
    plain_label,
    unique_labels,
)
from ..exceptions import DataError, InvalidParameterError, InvalidParameterTypeError
from ..under_sampling import RandomUnderSampler
from ._common import (
    check_labels_present,
    check_member_classifier,
    check_strategy,
    check_two_classes,
    fitted_pipelines,
    numbers_needed,
    seed_params,
)


class RUSBoostClassifier(AdaBoostClassifier):
    """AdaBoost with random under-sampling of the training set at every round.

    At each boosting round a
    :class:`~balancekit.under_sampling.RandomUnderSampler` draws a balanced
    subset of the training set, which keeps the current boosting weights of
    its rows; the weak learner is fitted on it, and its weighted error on the
    whole training set drives the update of the weights (SAMME, the
    multi-class AdaBoost) [1]_. Predictions, ``decision_function``,
    ``staged_*`` methods and ``feature_importances_`` are those of
    scikit-learn's :class:`~sklearn.ensemble.AdaBoostClassifier`.

    Parameters
    ----------
    estimator : estimator object, default=None
        The weak learner; it must accept ``sample_weight`` in ``fit``.
        ``None`` means ``DecisionTreeClassifier(max_depth=1)``.
    n_estimators : int, default=50
        The maximum number of boosting rounds; boosting stops early on a
        perfect fit.
    learning_rate : float, default=1.0
        Shrinks the weight of each learner; must be > 0.
    algorithm : {'deprecated', 'SAMME'}, default='deprecated'
        Kept so that code written for imbalanced-learn runs unchanged: SAMME
        is always used. ``'SAMME'`` gives a ``FutureWarning``; ``'SAMME.R'``,
        which scikit-learn removed, is refused.
    sampling_strategy : float, str, dict or callable, default='auto'
        How each round's subset is drawn; see
        :func:`balancekit.resolve_sampling_strategy` (under-sampling).
    replacement : bool, default=False
        Whether the under-sampler draws with replacement.
    random_state : int, RandomState instance or None, default=None
        Seeds the samplers and the weak learners.

    Attributes
    ----------
    estimator_ : estimator
        The weak learner template.
    estimators_ : list of classifiers
        The fitted weak learners.
    base_sampler_ : RandomUnderSampler
        The under-sampler template.
    samplers_ : list of RandomUnderSampler
        The fitted under-sampler of each round (fitted on the rows of
        positive ``sample_weight`` when some rows have weight 0).
    pipelines_ : list of Pipeline
        ``make_pipeline(sampler, learner)`` for each round (copies, built on
        access).
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    n_classes_ : int
        The number of classes.
    estimator_weights_ : ndarray of shape (n_estimators,)
        The weight of each learner (0 for rounds not run).
    estimator_errors_ : ndarray of shape (n_estimators,)
        The weighted training error of each learner (1 for rounds not run).
    feature_importances_ : ndarray of shape (n_features,)
        Weighted mean of the learners' feature importances.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of str
        Column names seen in ``fit``, when ``X`` has them.

    See Also
    --------
    EasyEnsembleClassifier : Bag of AdaBoost learners trained on balanced samples.
    BalancedBaggingClassifier : Bagging with any sampler and any estimator.

    References
    ----------
    .. [1] C. Seiffert, T. M. Khoshgoftaar, J. Van Hulse and A. Napolitano,
           "RUSBoost: A hybrid approach to alleviating class imbalance", IEEE
           Transactions on Systems, Man, and Cybernetics, Part A, 40(1),
           185-197, 2010.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from balancekit.ensemble import RUSBoostClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9, 0.1], random_state=0)
    >>> clf = RUSBoostClassifier(n_estimators=20, random_state=0).fit(X, y)
    >>> clf.predict(X[:3]).shape
    (3,)
    """

    def __init__(
        self,
        estimator=None,
        *,
        n_estimators=50,
        learning_rate=1.0,
        algorithm="deprecated",
        sampling_strategy="auto",
        replacement=False,
        random_state=None,
    ):
        super().__init__(
            estimator=estimator,
            n_estimators=n_estimators,
            learning_rate=learning_rate,
            random_state=random_state,
        )
        self.algorithm = algorithm
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement

    def _check_params(self):
        n_estimators = check_int("n_estimators", self.n_estimators, min_value=1)
        learning_rate = check_real(
            "learning_rate", self.learning_rate, min_value=0.0, include_min=False
        )
        if self.algorithm == "SAMME":
            warnings.warn(
                "algorithm is deprecated and has no effect: SAMME is always used. Remove the "
                "parameter.",
                FutureWarning,
                stacklevel=3,
            )
        elif self.algorithm != "deprecated":
            raise InvalidParameterError(
                f"algorithm={self.algorithm!r} is not supported; only SAMME is available "
                "(SAMME.R was removed from scikit-learn). Leave algorithm unset."
            )
        estimator = (
            DecisionTreeClassifier(max_depth=1) if self.estimator is None else self.estimator
        )
        check_member_classifier(estimator)
        if not has_fit_parameter(estimator, "sample_weight"):
            raise InvalidParameterTypeError(
                f"estimator={estimator!r} does not accept sample_weight in fit, which boosting "
                "needs."
            )
        return n_estimators, learning_rate, clone(estimator)

    def fit(self, X, y, sample_weight=None):
        """Build the boosted ensemble from the training set ``(X, y)``.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            The training data.
        y : array-like of shape (n_samples,)
            The class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Initial weights of the rows; ``None`` gives every row ``1 / n_samples``.
            Rows of weight 0 have no influence, as if they were left out:
            each round's subset is under-sampled from the rows of positive
            weight (``sampling_strategy`` counts only those rows, and
            ``samplers_[i].sample_indices_`` index them), and their weight
            stays 0 through the boosting. ``classes_`` still holds every
            class of ``y``, and each class needs a row of positive weight.

        Returns
        -------
        self : object
            The fitted ensemble.
        """
        n_estimators, learning_rate, self.estimator_ = self._check_params()
        check_labels_present(y)
        X_given = X  # its columns' kinds name the text columns in an error
        X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"], ensure_2d=True, dtype=None)
        check_classification_targets(y)
        weights = check_sample_weight(sample_weight, y.shape[0])
        weights = np.ones(y.shape[0]) if weights is None else weights.copy()
        weights /= weights.sum()

        self.base_sampler_ = RandomUnderSampler(
            sampling_strategy=self.sampling_strategy,
            replacement=check_bool("replacement", self.replacement),
        )
        self.classes_ = unique_labels(y)
        check_two_classes(self.classes_)
        # Rows of weight 0 stay at 0 and take no part in any round: the under-samples
        # are drawn among the others.
        positive = None if (weights > 0).all() else np.flatnonzero(weights > 0)
        if positive is not None:
            empty = np.setdiff1d(self.classes_, y[positive])
            if empty.size:
                raise DataError(
                    f"sample_weight is 0 for every row of class {plain_label(empty[0])!r}; "
                    "RUSBoostClassifier draws each round's balanced subset among the rows of "
                    "positive weight, so every class needs at least one. Give some of its rows "
                    "a positive weight, or leave the class out of X and y."
                )
        check_strategy(self.base_sampler_, y if positive is None else y[positive])
        self.n_classes_ = self.classes_.shape[0]
        self.estimators_ = []
        self.samplers_ = []
        self.estimator_weights_ = np.zeros(n_estimators, dtype=np.float64)
        self.estimator_errors_ = np.ones(n_estimators, dtype=np.float64)

        rng = check_seed(self.random_state)
        epsilon = np.finfo(np.float64).eps
        zero_weight = weights == 0.0
        # A pipeline as estimator takes no sample_weight: encoding ahead is the way out.
        with numbers_needed(self, X_given, takes_estimator=False):
            for iboost in range(n_estimators):
                # Avoid vanishing weights, but keep the rows given a weight of exactly 0 at 0.
                weights = np.clip(weights, epsilon, None)
                weights[zero_weight] = 0.0
                result = self._boost_round(
                    iboost, n_estimators, learning_rate, X, y, weights, rng, positive
                )
                if result is None:
                    break
                weights, estimator_weight, estimator_error = result
                self.estimator_weights_[iboost] = estimator_weight
                self.estimator_errors_[iboost] = estimator_error
                if estimator_error == 0:
                    break
                total = weights.sum()
                if not np.isfinite(total):
                    warnings.warn(
                        f"Sample weights have reached infinite values at iteration {iboost}, "
                        "causing overflow. Iterations stopped. Try lowering the learning rate.",
                        stacklevel=2,
                    )
                    break
                if total <= 0:
                    break
                if iboost < n_estimators - 1:
                    weights = weights / total
        return self

    def _boost_round(self, iboost, n_estimators, learning_rate, X, y, weights, rng, positive):
        """One SAMME round on a subset under-sampled from the rows ``positive`` (all rows
        when None); None when boosting must stop."""
        estimator = seed_params(clone(self.estimator_), rng)
        sampler = seed_params(clone(self.base_sampler_), rng)
        if positive is None:
            X_res, y_res = sampler.fit_resample(X, y, sample_weight=weights)
        else:
            X_res, y_res = sampler.fit_resample(
                X[positive], y[positive], sample_weight=weights[positive]
            )
        estimator.fit(X_res, y_res, sample_weight=sampler.sample_weight_)
        self.estimators_.append(estimator)
        self.samplers_.append(sampler)

        incorrect = estimator.predict(X) != y
        error = float(np.average(incorrect, weights=weights))
        if error <= 0:
            return weights, 1.0, 0.0
        if error >= 1.0 - 1.0 / self.n_classes_:
            self.estimators_.pop()
            self.samplers_.pop()
            if not self.estimators_:
                raise DataError(_no_better_than_chance(error, y, y_res))
            return None
        estimator_weight = learning_rate * (
            np.log((1.0 - error) / error) + np.log(self.n_classes_ - 1.0)
        )
        if iboost < n_estimators - 1:
            weights = weights * np.exp(estimator_weight * incorrect * (weights > 0))
        return weights, estimator_weight, error

    @property
    def pipelines_(self):
        """``make_pipeline(sampler, learner)`` for each round (copies)."""
        check_is_fitted(self)
        return fitted_pipelines(self.samplers_, self.estimators_)


#: Fewer rows of a class than this in the balanced subset of a round are named as the
#: likely reason why its learner is no better than chance.
FEW_ROWS = 5


def _no_better_than_chance(error, y, y_subset):
    """The message for a first round whose learner, fitted on the balanced subset of
    labels ``y_subset`` of the training labels ``y``, is no better than chance (weighted
    ``error``) on every row."""
    labels, counts = unique_labels(y, return_counts=True)
    rare = labels[np.argmin(counts)]
    in_subset = int(np.sum(y_subset == rare))
    start = (
        "The first weak learner of RUSBoostClassifier is no better than chance on the "
        f"training rows (weighted error {error:.3g}); the ensemble cannot be fitted. It was "
        f"fitted on a balanced subset of {len(y_subset)} rows"
    )
    if in_subset < FEW_ROWS:
        return (
            f"{start}, {in_subset} of the smallest class {plain_label(rare)!r} ({counts.min()} "
            "row(s) in all): too few to learn from. Gather more rows of that class, "
            "under-sample less (sampling_strategy, e.g. 0.5), or use a class-weighted model "
            "instead."
        )
    return f"{start}. Use a stronger estimator, e.g. DecisionTreeClassifier(max_depth=3)."
