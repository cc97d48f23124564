"""Plain functions and one small composite shared by the balanced ensembles."""

import contextlib
from collections.abc import Mapping
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.utils import Bunch
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from .. import _frames
from .._strategy import SAMPLING_KINDS, resolve_targets
from .._validation import (
    check_classifier_object,
    check_int,
    check_no_missing_labels,
    check_real,
    label_values,
    plain_label,
    unique_labels,
)
from ..exceptions import (
    BalancekitError,
    DataError,
    InvalidParameterError,
    InvalidParameterTypeError,
)

MAX_INT = np.iinfo(np.int32).max


def seed_params(estimator, rng):
    """Give every ``*random_state`` parameter of ``estimator`` a fresh seed from ``rng``.

    Parameters are visited in sorted order, so the same generator state gives
    the same seeds (the behaviour scikit-learn's ensembles have).
    """
    seeds = {
        key: int(rng.randint(MAX_INT))
        for key in sorted(estimator.get_params(deep=True))
        if key == "random_state" or key.endswith("__random_state")
    }
    if seeds:
        estimator.set_params(**seeds)
    return estimator


@contextlib.contextmanager
def numbers_needed(ensemble, X, *, takes_estimator=True):
    """Explain numpy's "could not convert string to float" when ``ensemble`` (or one of
    its members) reads text in ``X`` as numbers: which columns, and how to encode them.

    The kinds of the columns are read on entry, before a validation that drops the names.
    ``takes_estimator``: whether a member estimator that encodes the text is a way out.
    """
    kinds = _frames.column_kinds(X) or {}
    try:
        yield
    except ValueError as exc:
        if isinstance(exc, BalancekitError) or "could not convert" not in str(exc):
            raise
        bad = [name for name, kind in kinds.items() if kind not in ("integer", "float", "bool")]
        what = (f"the column(s) {', '.join(map(repr, bad[:5]))}{' ...' if len(bad) > 5 else ''}"
                " of X hold" if bad else "X holds")
        positions = [j for j, name in enumerate(kinds) if name in bad][:5]
        member = (", or give as estimator a pipeline that encodes them before its model (its "
                  "members get X as an array: name the columns by position, "
                  f"{positions or 'e.g. [0]'}, not by name)" if takes_estimator else "")
        raise DataError(
            f"{type(ensemble).__name__}: {what} values that are not numbers ({exc}), and its "
            "models need numbers. Encode them first: e.g. a sklearn.compose.ColumnTransformer "
            "with a OneHotEncoder for those columns, ahead of the ensemble in a pipeline"
            f"{member}."
        ) from None


def check_fraction_or_count(name, value, *, allow_none=False, max_fraction=1.0):
    """Check a ``max_samples``/``max_features`` style value: int >= 1 or float in (0,
    ``max_fraction``] (``None``: any positive float)."""
    if value is None and allow_none:
        return None
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return check_int(name, value, min_value=1)
    if isinstance(value, (float, np.floating)):
        return check_real(name, value, min_value=0.0, max_value=max_fraction, include_min=False)
    expected = "None, " if allow_none else ""
    fraction = "a float > 0" if max_fraction is None else f"a float in (0, {max_fraction:g}]"
    raise InvalidParameterTypeError(
        f"{name} must be {expected}an integer >= 1 or {fraction}; got {value!r} of type "
        f"{type(value).__name__}."
    )


def check_labels_present(y):
    """Raise a clear error when ``y`` (one label per row, or a column vector) has missing
    labels, before scikit-learn's checks fail on them while sorting the labels."""
    values = label_values(y)
    if values.ndim == 2 and values.shape[1] == 1:
        values = values.ravel()
    if values.ndim == 1:
        check_no_missing_labels(values)


def check_member_classifier(estimator):
    """Check the estimator of the members: a classifier object (not a class, nor a regressor,
    whose numbers the ensemble would take for classes, nor a clusterer)."""
    check_classifier_object("estimator", estimator, "a classifier object, or None for the default")


def check_two_classes(classes):
    """Raise a clear error when ``y`` holds fewer than two classes."""
    if classes.shape[0] < 2:
        raise DataError(
            f"y has only one class ({plain_label(classes[0])!r}); a classifier needs at least two "
            "classes."
        )


def check_strategy(sampler, y):
    """Resolve the sampler's strategy once on the full ``y``, so mistakes surface early."""
    kind = getattr(sampler, "_sampling_type", None)
    if kind not in SAMPLING_KINDS or not hasattr(sampler, "get_params"):
        return None
    strategy = sampler.get_params().get("sampling_strategy")
    if strategy is None:
        return None
    targets = resolve_targets(strategy, y, kind)
    empty = [label for label, count in targets.items() if count == 0]
    if empty:
        raise InvalidParameterError(
            f"sampling_strategy asks for 0 samples of class {empty[0]!r}; every member of the "
            "ensemble needs at least one sample of each class."
        )
    return targets


def check_bag_strategy(sampler, y):
    """Check a dict ``sampling_strategy`` against the class counts of one bag ``y``.

    :func:`check_strategy` checked it on the whole training set; a bag drawn by
    bagging (with replacement, or fewer rows than the training set) holds a
    different number of rows of each class, which a fixed count may not fit.
    """
    kind = getattr(sampler, "_sampling_type", None)
    if kind not in ("over-sampling", "under-sampling") or not hasattr(sampler, "get_params"):
        return
    strategy = sampler.get_params().get("sampling_strategy")
    if not isinstance(strategy, Mapping):
        return
    labels, counts = unique_labels(y, return_counts=True)
    for label, count in zip(labels, counts, strict=True):
        wanted = strategy.get(plain_label(label))
        if isinstance(wanted, bool) or not isinstance(wanted, Integral):
            continue  # the sampler's own checks explain it
        if kind == "under-sampling" and wanted > count:
            problem, advice = "above", "Ask for fewer"
        elif kind == "over-sampling" and wanted < count:
            problem, advice = "below", "Ask for more"
        else:
            continue
        raise InvalidParameterError(
            f"sampling_strategy[{plain_label(label)!r}]={wanted} is {problem} the {count} "
            f"samples of class {plain_label(label)!r} in the bag of {y.shape[0]} rows drawn for "
            "one member of the ensemble: each bag is a random draw from the training set "
            "(with replacement when bootstrap=True), so it holds a varying number of each "
            f"class, not the training set's. {advice} samples, draw every row into each bag "
            "(bootstrap=False, max_samples=1.0), or give sampling_strategy as a float or a "
            "string, which adapt to each bag."
        )


def fitted_pipelines(samplers, estimators):
    """``[make_pipeline(sampler, estimator), ...]`` of the fitted pairs (copies)."""
    try:
        from ..pipeline import make_pipeline
    except ImportError as exc:  # pragma: no cover - the pipeline module ships with balancekit
        raise AttributeError(
            "pipelines_ needs balancekit.pipeline, which could not be imported."
        ) from exc
    from copy import deepcopy

    return [
        make_pipeline(deepcopy(sampler), deepcopy(estimator))
        for sampler, estimator in zip(samplers, estimators, strict=True)
    ]


def _label_codes(y, classes):
    """``y`` as the integer codes ``0..len(classes)-1`` a member is fitted on, with a clear
    error for labels that are not such codes (the classes themselves, say)."""
    values = np.asarray(y)
    codes = None
    if values.dtype.kind in "iub":
        codes = values.astype(np.intp)
    elif values.dtype.kind == "f" and np.all(np.isfinite(values)) and np.all(values % 1 == 0):
        codes = values.astype(np.intp)
    if codes is None or (codes.size and (codes.min() < 0 or codes.max() >= classes.size)):
        outside = values.ravel()[:1] if codes is None else values[(codes < 0) |
                                                                   (codes >= classes.size)][:1]
        raise DataError(
            f"a member of the ensemble is fitted on the labels encoded as 0..{classes.size - 1}, "
            f"the positions of its classes {[plain_label(c) for c in classes]}, as bagging "
            f"gives them; got the label {plain_label(outside[0])!r}. To fit a member yourself, "
            "encode the labels with numpy.searchsorted(model.classes_, y)."
        )
    return codes


def _delegate_has(attr):
    def check(self):
        fitted = getattr(self, "estimator_", None)
        return hasattr(fitted if fitted is not None else self.estimator, attr)

    return check


class ResampledEstimator(BaseEstimator):
    """Resample with ``sampler``, then fit ``estimator``: one member of a bagging ensemble.

    scikit-learn's bagging hands its members labels encoded as ``0..n_classes-1``.
    The sampler sees the original labels (``classes[y]``), so a ``sampling_strategy``
    written with the user's labels keeps its meaning; the estimator is fitted on
    encoded labels, as bagging expects.

    Parameters
    ----------
    sampler : sampler object
        Any object with ``fit_resample(X, y)``.
    estimator : estimator object
        The classifier fitted on the resampled data.
    classes : ndarray of shape (n_classes,)
        The sorted class labels; ``classes[y]`` decodes the labels ``fit`` gets.

    Attributes
    ----------
    sampler_ : sampler object
        The fitted copy of ``sampler``.
    estimator_ : estimator object
        The fitted copy of ``estimator``.
    classes_ : ndarray
        The encoded classes the estimator saw.
    steps, named_steps : list and Bunch
        ``('sampler', ...)`` then ``('classifier', ...)``, fitted once the member
        is: imbalanced-learn's members are such pipelines, so that
        ``member.named_steps['classifier']``, ``member[-1]``,
        ``member[0].sample_indices_`` and ``member.score(X, y)`` read the same.
    """

    def __init__(self, sampler, estimator, classes):
        self.sampler = sampler
        self.estimator = estimator
        self.classes = classes

    @property
    def steps(self):
        """``[('sampler', sampler), ('classifier', estimator)]``, the fitted copies once fitted."""
        fitted = hasattr(self, "estimator_")
        return [("sampler", self.sampler_ if fitted else self.sampler),
                ("classifier", self.estimator_ if fitted else self.estimator)]

    @property
    def named_steps(self):
        """The steps by name, as a pipeline's."""
        return Bunch(**dict(self.steps))

    def __len__(self):
        return 2

    def __getitem__(self, ind):
        """A step by position or name, or a pipeline of a slice of them, as a pipeline's."""
        if isinstance(ind, slice):
            from ..pipeline import Pipeline

            return Pipeline(self.steps[ind])
        if isinstance(ind, str):
            return self.named_steps[ind]
        return self.steps[ind][1]

    def fit(self, X, y):
        """Resample ``(X, classes[y])`` and fit the estimator on the result.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The bag drawn by the ensemble.
        y : ndarray of int of shape (n_samples,)
            Encoded labels: the positions ``0..n_classes-1`` of the labels in
            ``classes``, as bagging gives them (``numpy.searchsorted(classes, y)``).

        Returns
        -------
        self : object
            The fitted member.
        """
        classes = np.asarray(self.classes)
        codes = _label_codes(y, classes)
        missing = np.setdiff1d(np.arange(classes.size), codes)
        if classes.size - missing.size < 2:
            # Without a second class the sampler would say that y has one class.
            labels = ", ".join(repr(plain_label(label)) for label in classes[missing])
            raise DataError(
                f"a bag drawn for one member of the ensemble has no row of class(es) {labels}: "
                "a class with very few rows is easily left out of a bootstrap sample. Gather "
                "more rows of it, or draw bags without replacement (bootstrap=False, or a "
                "larger max_samples)."
            )
        self.sampler_ = clone(self.sampler)
        check_bag_strategy(self.sampler_, classes[codes])
        try:
            X_res, y_res = self.sampler_.fit_resample(X, classes[codes])
        except DataError as exc:  # its counts are the bag's, not the training data's
            raise type(exc)(
                f"{exc} (This is the bag of one member of the ensemble, a sample of the "
                "training rows: bootstrap=False or a larger max_samples gives each member "
                "more of them.)"
            ) from exc
        y_res = np.searchsorted(classes, np.asarray(y_res))
        self.estimator_ = clone(self.estimator).fit(X_res, y_res)
        self.classes_ = self.estimator_.classes_
        return self

    def predict(self, X, **params):
        """Encoded class predictions of the fitted estimator."""
        check_is_fitted(self)
        return self.estimator_.predict(X, **params)

    @available_if(_delegate_has("predict_proba"))
    def predict_proba(self, X, **params):
        """Class probabilities of the fitted estimator."""
        check_is_fitted(self)
        return self.estimator_.predict_proba(X, **params)

    @available_if(_delegate_has("predict_log_proba"))
    def predict_log_proba(self, X, **params):
        """Class log-probabilities of the fitted estimator."""
        check_is_fitted(self)
        return self.estimator_.predict_log_proba(X, **params)

    @available_if(_delegate_has("decision_function"))
    def decision_function(self, X, **params):
        """Decision function of the fitted estimator, one column per class of the ensemble.

        A member whose bag lacked some classes scores each of them as the lowest of its
        scores for the row (the ensemble adds the members' columns up class by class); a
        member that saw two classes of several scores the first as minus the second.
        """
        check_is_fitted(self)
        scores = self.estimator_.decision_function(X, **params)
        n_classes, seen = len(self.classes), np.asarray(self.estimator_.classes_)
        if seen.size == n_classes:
            return scores
        scores = np.asarray(scores, dtype=np.float64)
        if scores.ndim == 1:
            scores = np.column_stack([-scores, scores])
        full = np.repeat(scores.min(axis=1, keepdims=True), n_classes, axis=1)
        full[:, seen] = scores
        return full

    @available_if(_delegate_has("score"))
    def score(self, X, y, sample_weight=None):
        """Score of the fitted estimator on ``(X, y)``, ``y`` encoded as the labels ``fit``
        gets (what the member pipelines of imbalanced-learn return)."""
        check_is_fitted(self)
        kwargs = {} if sample_weight is None else {"sample_weight": sample_weight}
        return self.estimator_.score(X, y, **kwargs)

    def __sklearn_tags__(self):
        from sklearn.utils import get_tags

        tags = super().__sklearn_tags__()
        est_tags = get_tags(self.estimator)
        tags.input_tags.sparse = est_tags.input_tags.sparse
        tags.input_tags.allow_nan = est_tags.input_tags.allow_nan
        return tags
