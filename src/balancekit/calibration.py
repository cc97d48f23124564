"""Prior correction: calibrated probabilities from a model trained on resampled data.

Resampling changes the class priors the model learns: a classifier trained on
a balanced sample predicts as if every class were equally common, so its
probabilities overstate the rare classes. When the sampler only changes how
many rows of each class there are (random under- or over-sampling), the
model's class-conditional view of the data is unchanged and Bayes' rule undoes
the shift in closed form:

.. math::

    p_{true}(c \\mid x) \\propto p_{res}(c \\mid x)\\,
    \\frac{\\pi_{true}(c)}{\\pi_{res}(c)}

where :math:`\\pi_{true}` are the class priors of the training data and
:math:`\\pi_{res}` those of the resampled data. No held-out data are needed,
unlike :class:`~sklearn.calibration.CalibratedClassifierCV`, and for binary
targets the correction is a strictly increasing map of the positive-class
probability, so the ranking (ROC-AUC, precision-recall curve) is unchanged.
"""

import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.pipeline import Pipeline as _SkPipeline
from sklearn.utils import get_tags
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d

from ._validation import (
    accepts_parameter,
    check_no_missing_labels,
    check_not_a_class,
    check_real,
    check_sample_weight,
    check_target,
    estimator_kind,
    label_kinds,
    label_values,
    plain_label,
    unique_labels,
)
from .exceptions import (
    BalancekitWarning,
    DataError,
    DataTypeError,
    InvalidParameterError,
    InvalidParameterTypeError,
)
from .pipeline import check_sampler
from .weights import _sample_weight_key, _takes_sample_weight, _weighted_part

__all__ = ["PriorCorrectedClassifier", "correct_prior"]


def _check_prior(name, prior, n_classes):
    try:
        prior = np.asarray(prior, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidParameterTypeError(
            f"{name} must be an array of numbers, one per class in the column order of proba; "
            f"got {prior!r} of type {type(prior).__name__}."
        ) from None
    if prior.ndim != 1 or prior.shape[0] != n_classes:
        raise InvalidParameterError(
            f"{name} must hold one value per class ({n_classes}, the columns of proba); got "
            f"shape {prior.shape}."
        )
    if not np.isfinite(prior).all() or (prior <= 0).any():
        raise InvalidParameterError(
            f"{name} must hold positive, finite class priors (or class counts); got "
            f"{prior.tolist()}."
        )
    return prior / prior.sum()


def _warn_if_reweighted(estimator, target, resampled_prior):
    """Warn when ``estimator`` (``target``: the part of it that is weighted, its final step
    for a pipeline) shifts the class prior of the resampled rows (``resampled_prior``,
    ``{label: share}``) further: it then learns the prior its weights or rows
    imply, not the resampled one the correction divides out. Weights that are alike for
    every class, as ``'balanced'`` is on balanced rows, change nothing."""
    from .ensemble import (
        BalancedBaggingClassifier,
        BalancedRandomForestClassifier,
        EasyEnsembleClassifier,
        RUSBoostClassifier,
    )
    from .weights import WeightedClassifier

    balancing = (BalancedBaggingClassifier, BalancedRandomForestClassifier,
                 EasyEnsembleClassifier, RUSBoostClassifier)
    how, weight = None, None
    if isinstance(estimator, balancing):
        # By default it balances each member's rows: nothing to change on balanced rows.
        how = f"{type(estimator).__name__} balances the rows of each of its members"
        weight = "balanced"
    elif isinstance(estimator, _SkPipeline) and any(
            hasattr(step, "fit_resample") for _, step in estimator.steps):
        how = "its pipeline resamples again"
    elif isinstance(estimator, WeightedClassifier):
        how, weight = "it is a WeightedClassifier", estimator.class_weight
    elif getattr(target, "class_weight", None) is not None:
        weight = target.class_weight
        how = f"class_weight={weight!r}"
    if weight is not None and _alike(weight, resampled_prior):
        return
    if how is not None:
        warnings.warn(
            f"the estimator balances the classes itself ({how}): it learns the class prior "
            "its weights (or rows) imply, not the resampled one the correction divides out, "
            "so the corrected probabilities are off by the ratio of the two. Leave the "
            "balancing to the sampler (e.g. class_weight=None).",
            BalancekitWarning,
            stacklevel=3,
        )


def _alike(class_weight, prior):
    """Whether ``class_weight`` (``'balanced'`` or a dict; anything else counts as not)
    weighs every class alike on rows whose class shares are ``prior`` (``{label: share}``)."""
    if isinstance(class_weight, str):  # 'balanced' (or 'balanced_subsample'): n / (k n_c)
        shares = np.array(list(prior.values()))
        return bool(np.allclose(shares, shares[0]))
    if isinstance(class_weight, dict):
        weights = [float(class_weight.get(label, 1.0)) for label in prior]
        return bool(np.allclose(weights, weights[0]))
    return False


def correct_prior(proba, train_prior, resampled_prior):
    """Shift class probabilities from the resampled priors back to the training priors.

    Computes ``p_true(c|x) = p_res(c|x) * w_c / sum_k p_res(k|x) * w_k`` with
    ``w_c = train_prior[c] / resampled_prior[c]``: Bayes' rule for a change of
    class priors that leaves ``p(x|c)`` unchanged.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Probabilities predicted by a model trained on resampled data (each
        row sums to 1).
    train_prior : array-like of shape (n_classes,)
        Class priors of the data the predictions should follow (the training
        data before resampling, or the deployment population), in the column
        order of ``proba``. Class counts work too: they are normalised.
    resampled_prior : array-like of shape (n_classes,)
        Class priors (or counts) of the data the model was trained on.

    Returns
    -------
    corrected : ndarray of shape (n_samples, n_classes)
        The corrected probabilities; each row sums to 1. When both priors are
        equal this is ``proba`` (renormalised).

    Raises
    ------
    InvalidParameterError
        When a prior has the wrong length or a value that is not positive.
    DataError
        When ``proba`` is not a 2-D array of finite, non-negative values with a
        positive sum in every row (a ``DataTypeError`` when it does not hold
        numbers).

    Examples
    --------
    >>> from balancekit.calibration import correct_prior
    >>> correct_prior([[0.5, 0.5]], train_prior=[0.9, 0.1], resampled_prior=[0.5, 0.5])
    array([[0.9, 0.1]])
    """
    proba = _proba_values(proba)
    if proba.ndim != 2:
        raise DataError(
            f"proba must be a 2-D array (n_samples, n_classes); got shape {proba.shape}."
        )
    if not np.isfinite(proba).all() or (proba < 0).any():
        raise DataError("proba must hold finite, non-negative probabilities.")
    n_classes = proba.shape[1]
    weights = _check_prior("train_prior", train_prior, n_classes) / _check_prior(
        "resampled_prior", resampled_prior, n_classes
    )
    corrected = proba * weights
    totals = corrected.sum(axis=1, keepdims=True)
    if (totals <= 0).any():
        row = int(np.flatnonzero(totals.ravel() <= 0)[0])
        raise DataError(f"proba row {row} sums to 0; it is not a probability distribution.")
    return corrected / totals


def _short(value):
    """``repr(value)``, or its type name when the repr is long or spans lines."""
    text = repr(value)
    return text if len(text) <= 80 and "\n" not in text else f"{type(value).__name__}(...)"


def _proba_values(proba):
    """``proba`` as a float64 array; text, booleans, dates, complex numbers or objects that
    are not numbers (a dict, a string) get an error that names ``proba``."""
    given = type(proba).__name__
    values = proba.to_numpy() if hasattr(proba, "to_numpy") else proba
    try:
        arr = np.asarray(values)
        if arr.dtype.kind not in "biufcmMUSV":  # objects: numbers held as Python objects
            arr = arr.astype(np.float64)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.dtype.kind not in "biuf":
        what = ("values that are not numbers" if arr is None else "text"
                if arr.dtype.kind in "US" else f"values of dtype {arr.dtype}")
        shown = _short(proba)
        shown = what if shown.endswith("(...)") else f"{shown} ({what})"
        raise DataTypeError(
            "proba must be an array of probabilities (numbers) of shape (n_samples, "
            f"n_classes); got {shown} of type {given}."
        )
    return arr.astype(np.float64, copy=False)


def _class_prior(y, classes, sample_weight=None):
    """Share of each class in ``y`` (weighted by ``sample_weight`` when given)."""
    codes = np.searchsorted(classes, y)
    mass = np.bincount(codes, weights=sample_weight, minlength=classes.shape[0])
    return mass / mass.sum()


class PriorCorrectedClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Fit a classifier on resampled data, then correct its probabilities to the true priors.

    ``fit`` resamples the training data with ``sampler``, fits ``estimator``
    on the result and records the class priors before (``train_prior_``) and
    after (``resampled_prior_``) resampling. ``predict_proba`` applies
    :func:`correct_prior`, so the probabilities are calibrated again for data
    with the training priors, while the ranking of the estimator is kept
    (identical for binary targets). ``predict`` takes the most probable class
    of the corrected probabilities, or compares the positive-class
    probability with ``threshold``.

    The name says what the model does to the probabilities: it corrects the
    prior shift that resampling introduces. It is a meta-estimator rather
    than a calibrator applied after the fact because the correction needs the
    priors the sampler produced, which only exist at fit time, and because it
    needs no held-out data (unlike
    :class:`~sklearn.calibration.CalibratedClassifierCV`, which can still be
    stacked on top).

    The correction is exact when the sampler only changes the number of rows
    per class (random under- or over-sampling); for samplers that also move
    the data (SMOTE and its variants, cleaning rules) it is an approximation.

    To tune the decision threshold by cross-validation for a metric, wrap the
    model in scikit-learn's :class:`~sklearn.model_selection.TunedThresholdClassifierCV`,
    which uses the corrected probabilities::

        from sklearn.model_selection import TunedThresholdClassifierCV
        tuned = TunedThresholdClassifierCV(
            PriorCorrectedClassifier(LogisticRegression()), scoring="balanced_accuracy"
        ).fit(X, y)
        tuned.best_threshold_

    Parameters
    ----------
    estimator : estimator object
        A classifier with ``predict_proba``.
    sampler : sampler object, default=None
        The sampler applied to the training data: any balancekit sampler (or
        object with ``fit_resample``). ``None`` means a
        :class:`~balancekit.under_sampling.RandomUnderSampler`.
    threshold : float, default=None
        For binary targets, predict the positive class (``classes_[1]``) when
        its corrected probability is at least ``threshold``. ``None`` predicts
        the most probable class.
    random_state : int, RandomState instance or None, default=None
        Seeds the default sampler (``sampler=None``), so that two fits give the
        same model. A sampler you pass keeps its own ``random_state``.

    Attributes
    ----------
    estimator_ : estimator object
        The estimator fitted on the resampled data.
    sampler_ : sampler object
        The fitted sampler.
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    train_prior_ : ndarray of shape (n_classes,)
        Share of each class in the training data (weighted by
        ``sample_weight`` when given).
    resampled_prior_ : ndarray of shape (n_classes,)
        Share of each class in the resampled data the estimator was fitted on.
    n_features_in_ : int
        Number of features seen in ``fit`` (when the estimator records it).
    feature_names_in_ : ndarray of str
        Column names seen in ``fit``, when ``X`` has them and the estimator
        records them.

    See Also
    --------
    correct_prior : The correction as a plain function.

    References
    ----------
    .. [1] M. Saerens, P. Latinne and C. Decaestecker, "Adjusting the outputs of
           a classifier to new a priori probabilities: a simple procedure",
           Neural Computation, 14(1), 21-41, 2002.
    .. [2] A. Dal Pozzolo, O. Caelen, R. A. Johnson and G. Bontempi,
           "Calibrating probability with undersampling for unbalanced
           classification", IEEE SSCI, 2015.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from balancekit.calibration import PriorCorrectedClassifier
    >>> X, y = make_classification(n_samples=1000, weights=[0.9, 0.1], random_state=0)
    >>> clf = PriorCorrectedClassifier(LogisticRegression()).fit(X, y)
    >>> clf.resampled_prior_.tolist()
    [0.5, 0.5]
    >>> clf.predict_proba(X[:2]).sum(axis=1).round(6).tolist()
    [1.0, 1.0]
    """

    def __init__(self, estimator, sampler=None, *, threshold=None, random_state=None):
        self.estimator = estimator
        self.sampler = sampler
        self.threshold = threshold
        self.random_state = random_state

    def _make_sampler(self):
        if self.sampler is None:
            from .under_sampling import RandomUnderSampler

            return RandomUnderSampler(random_state=self.random_state)
        check_sampler("sampler", self.sampler)
        return clone(self.sampler)

    def fit(self, X, y, sample_weight=None):
        """Resample ``(X, y)``, fit the estimator and record the class priors.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            The training data, in any container the sampler accepts.
        y : array-like of shape (n_samples,)
            The class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the rows. The sampler carries them over to the
            resampled rows, the estimator is fitted with them (a pipeline
            through its final step: ``<step>__sample_weight``, or with metadata
            routing enabled ``sample_weight``, which that step must request
            with ``set_fit_request(sample_weight=True)``) and the priors are
            weighted by them.

        Returns
        -------
        self : object
            The fitted model.
        """
        check_not_a_class("estimator", self.estimator, "a classifier with predict_proba")
        kind = estimator_kind(self.estimator)
        if kind in ("regressor", "clusterer"):
            raise InvalidParameterTypeError(
                f"estimator must be a classifier with predict_proba; got the {kind} "
                f"{_short(self.estimator)}, which predicts "
                f"{'numbers' if kind == 'regressor' else 'cluster numbers'}, not class "
                "probabilities. Use a classifier, such as LogisticRegression()."
            )
        if not hasattr(self.estimator, "fit") or not hasattr(self.estimator, "predict_proba"):
            raise InvalidParameterTypeError(
                f"estimator must be a classifier with predict_proba; got {self.estimator!r}. "
                "Wrap it in scikit-learn's CalibratedClassifierCV, e.g. "
                "CalibratedClassifierCV(SVC(), ensemble=False) instead of SVC()."
            )
        if self.threshold is not None:
            check_real("threshold", self.threshold, min_value=0.0, max_value=1.0)
        if y is None:
            raise DataError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        y_arr = column_or_1d(label_values(y), warn=True)
        check_no_missing_labels(y_arr)
        if y_arr.shape[0] == 0:
            raise DataError("y is empty: at least two classes with samples are needed.")
        try:
            check_classification_targets(y_arr)
        except ValueError as exc:
            if y_arr.dtype.kind == "O":
                label_kinds(y_arr)  # numbers and text mixed: say so, not "continuous values"
            raise DataError(f"{exc} {type(self).__name__} needs one class label per "
                            "sample.") from None
        self.classes_ = unique_labels(y_arr)
        if self.classes_.shape[0] < 2:
            raise DataError(
                f"y has only one class ({plain_label(self.classes_[0])!r}); a classifier needs at least two "
                "classes."
            )
        y_arr = check_target(y_arr)
        if self.threshold is not None and self.classes_.shape[0] != 2:
            raise InvalidParameterError(
                f"threshold={self.threshold!r} applies to binary targets only, but y has "
                f"{self.classes_.shape[0]} classes; leave threshold=None."
            )
        weights = None
        if sample_weight is not None:
            weights = check_sample_weight(sample_weight, y_arr.shape[0],
                                          what="y has {n} labels")
        self.train_prior_ = _class_prior(y_arr, self.classes_, weights)
        if not (self.train_prior_ > 0).all():
            raise DataError(
                "sample_weight gives a class a total weight of zero; every class needs a "
                "positive weight."
            )

        # A pipeline is fitted with the weights through its final step, by that step's
        # parameter names (as WeightedClassifier does).
        estimator = clone(self.estimator)
        target, prefix = _weighted_part(estimator)
        if weights is not None and _takes_sample_weight(target) is None:
            raise InvalidParameterTypeError(
                f"sample_weight was given, but the fit method of {type(target).__name__} "
                "does not accept sample_weight; the estimator is fitted with the weights of "
                "the resampled rows. Use an estimator that takes sample_weight, or fit "
                "without sample_weight."
            )
        key = None
        if weights is not None:
            key = _sample_weight_key(estimator, target, prefix, owner=type(self).__name__)
        if sp.issparse(X):
            X = X.tocsr()
        self.sampler_ = self._make_sampler()
        if weights is not None and isinstance(self.sampler_, _SkPipeline):
            raise InvalidParameterTypeError(
                "sample_weight was given, but the sampler is a Pipeline, which does not "
                "report the weights of the rows it resamples (it has no sample_weight_); the "
                "estimator needs them. Pass a single sampler as sampler, or fit without "
                "sample_weight."
            )
        if weights is not None and not accepts_parameter(self.sampler_.fit_resample,
                                                       "sample_weight"):
            raise InvalidParameterTypeError(
                f"sample_weight was given, but the fit_resample of the sampler "
                f"({type(self.sampler_).__name__}) does not accept sample_weight; the "
                "resampled rows need their weights. Use a balancekit sampler, or fit without "
                "sample_weight."
            )
        if weights is None:
            X_res, y_res = self.sampler_.fit_resample(X, y_arr)
            weights_res = None
        else:
            X_res, y_res = self.sampler_.fit_resample(X, y_arr, sample_weight=weights)
            weights_res = self.sampler_.sample_weight_
        y_res = label_values(y_res)
        resampled_classes = unique_labels(y_res)
        if not np.array_equal(resampled_classes, self.classes_):
            missing = [c for c in self.classes_ if c not in set(resampled_classes.tolist())]
            raise DataError(
                f"The sampler removed every sample of class {plain_label(missing[0])!r}; the "
                "prior correction needs each class in the resampled data."
            )
        self.resampled_prior_ = _class_prior(y_res, self.classes_, weights_res)
        _warn_if_reweighted(estimator, target, dict(zip(
            [plain_label(c) for c in self.classes_], self.resampled_prior_, strict=True)))
        if not (self.resampled_prior_ > 0).all():
            lost = self.classes_[np.flatnonzero(self.resampled_prior_ == 0)[0]]
            raise DataError(
                f"The rows of class {plain_label(lost)!r} that the sampler kept all have a "
                "sample_weight of 0, so the estimator would learn without that class and the "
                "prior correction could not divide by its share. Drop the rows of weight 0 "
                "before fitting (the sampler then draws among the others)."
            )

        fit_params = {} if weights_res is None else {key: weights_res}
        self.estimator_ = estimator.fit(X_res, y_res, **fit_params)
        if not np.array_equal(np.asarray(self.estimator_.classes_), self.classes_):
            raise DataError(
                f"The estimator learned the classes {list(self.estimator_.classes_)}, but y has "
                f"{list(self.classes_)}."
            )
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(self.estimator_, name):
                setattr(self, name, getattr(self.estimator_, name))
        return self

    def predict_proba(self, X):
        """Class probabilities corrected to the training priors.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            The rows to predict.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities in the order of ``classes_``; each row sums to 1.
        """
        check_is_fitted(self)
        return correct_prior(
            self.estimator_.predict_proba(X), self.train_prior_, self.resampled_prior_
        )

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
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Predict the class of each row from the corrected probabilities.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            The rows to predict.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            The most probable class or, with ``threshold`` set, the positive
            class wherever its probability reaches the threshold.
        """
        proba = self.predict_proba(X)
        if self.threshold is None:
            return self.classes_[np.argmax(proba, axis=1)]
        return self.classes_[(proba[:, 1] >= self.threshold).astype(np.intp)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # The estimator decides what X may hold: the default sampler only selects rows,
        # and any other sampler raises its own clear error for input it cannot take.
        est_tags = get_tags(self.estimator)
        tags.input_tags.sparse = est_tags.input_tags.sparse
        tags.input_tags.allow_nan = est_tags.input_tags.allow_nan
        tags.input_tags.string = est_tags.input_tags.string
        return tags
