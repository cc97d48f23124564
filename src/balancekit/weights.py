"""Class and sample weights: rebalance the loss instead of the rows.

Reweighting is the cheapest answer to class imbalance: every row is kept, and
the rows of the rare classes count more in the loss. This module gives

- :func:`compute_class_weight` and :func:`compute_sample_weight`, the
  scikit-learn functions of the same names with clearer errors (the numbers
  are scikit-learn's: they are computed by calling it);
- :class:`WeightedClassifier`, a meta-estimator that applies class weights to
  any classifier, through its ``class_weight`` parameter when it has one and
  through ``sample_weight`` otherwise.
"""

import inspect
from collections.abc import Mapping
from numbers import Real

import numpy as np
from sklearn import get_config
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.utils import get_tags
from sklearn.utils.class_weight import compute_class_weight as _sk_compute_class_weight
from sklearn.utils.class_weight import compute_sample_weight as _sk_compute_sample_weight
from sklearn.utils.metadata_routing import MetadataRequest, get_routing_for_object
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, has_fit_parameter

from ._validation import (
    check_classifier_object,
    check_no_missing_labels,
    check_sample_weight,
    label_kinds,
    label_values,
    unique_labels,
)
from .exceptions import DataError, InvalidParameterError, InvalidParameterTypeError

__all__ = ["WeightedClassifier", "compute_class_weight", "compute_sample_weight"]

_SKLEARN_CLASS_WEIGHT_TAKES_SAMPLE_WEIGHT = (
    "sample_weight" in inspect.signature(_sk_compute_class_weight).parameters
)


def _py(value):
    return value.item() if isinstance(value, np.generic) else value


def _labels_1d(y, name="y"):
    """Return ``y`` as a 1-D numpy array of labels (column vectors accepted)."""
    if y is None:
        raise DataError(f"{name} is required: pass one class label per sample.")
    arr = label_values(y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr.ravel()
    if arr.ndim != 1:
        raise DataError(
            f"{name} must hold one label per sample (shape (n_samples,) or (n_samples, 1)); "
            f"got an array of shape {arr.shape}. Multi-output targets are not supported."
        )
    if arr.shape[0] == 0:
        raise DataError(f"{name} is empty: at least one labelled sample is needed.")
    check_no_missing_labels(arr, name)
    return arr


def _classes(labels):
    """The sorted classes of ``labels``; labels of different kinds are named."""
    try:
        return unique_labels(labels)
    except TypeError:  # e.g. 1 and 'a', which do not sort
        label_kinds(labels)
        raise


def _cannot_weight_message(estimator):
    """Why ``estimator`` cannot be weighted, and what to write instead."""
    name = type(estimator).__name__
    steps = _pipeline_steps(estimator)
    if steps is not None:
        # Resample before the final step. The steps are named, not written as calls: their
        # constructors may need arguments.
        before = [type(step).__name__ for _, step in steps[:-1]
                  if step is not None and step != "passthrough"]
        final = type(steps[-1][1]).__name__
        return (
            f"WeightedClassifier cannot weight this {name}: its final step, {final}, has no "
            "class_weight parameter and its fit method does not accept sample_weight. "
            "Resample the training data instead: balancekit.pipeline.make_pipeline("
            f"{''.join(f'<its {step}>, ' for step in before)}RandomOverSampler(), "
            f"<its {final}>)."
        )
    return (
        f"WeightedClassifier cannot weight {name}: it has no class_weight parameter and its "
        "fit method does not accept sample_weight. Resample the training data instead: "
        f"balancekit.pipeline.make_pipeline(RandomOverSampler(), <your {name}>)."
    )


def _pipeline_steps(estimator):
    """The ``(name, step)`` pairs of a pipeline (an object with a list of them as
    ``steps``), or None."""
    steps = getattr(estimator, "steps", None)
    if isinstance(steps, list) and steps and all(
        isinstance(step, tuple) and len(step) == 2 for step in steps
    ):
        return steps
    return None


def _weighted_part(estimator):
    """The classifier the weights are for, and the prefix of its parameters: the final
    step of a pipeline (of a pipeline's final pipeline, ...), which alone takes weights,
    or ``estimator`` itself with ``''``."""
    prefix = ""
    while (steps := _pipeline_steps(estimator)) is not None:
        name, estimator = steps[-1]
        prefix += f"{name}__"
    return estimator, prefix


def unweightable(estimator):
    """The classifier :class:`WeightedClassifier` has no way to weight in ``estimator`` (its
    final step, for a pipeline), or None: weights go to a ``class_weight`` parameter or to
    a ``fit`` that takes ``sample_weight`` or any keyword argument (which may still refuse
    it when fitted)."""
    target, _ = _weighted_part(estimator)
    return None if _has_class_weight(target) or _takes_sample_weight(target) else target


def _has_class_weight(estimator):
    """Whether ``estimator`` has a ``class_weight`` parameter."""
    return "class_weight" in getattr(estimator, "get_params", dict)(deep=False)


def _takes_sample_weight(estimator):
    """Whether ``fit`` of ``estimator`` names ``sample_weight`` (``'named'``), or takes any
    keyword argument (``'keywords'``, as the fit of a scikit-learn search, stacking or voting
    classifier, which pass ``sample_weight`` on; some refuse it without metadata routing), or
    neither (``None``)."""
    if has_fit_parameter(estimator, "sample_weight"):
        return "named"
    try:
        parameters = inspect.signature(estimator.fit).parameters.values()
    except (AttributeError, TypeError, ValueError):
        return None
    return "keywords" if any(p.kind is p.VAR_KEYWORD for p in parameters) else None


def _sample_weight_key(estimator, target, prefix, owner="WeightedClassifier"):
    """The name of the fit parameter that carries weights through ``estimator`` to
    ``target``, its part from :func:`_weighted_part` (``prefix`` being that part's prefix);
    ``owner`` names the meta-estimator that passes them, for the error.

    Without metadata routing a pipeline takes them by the final step's name
    (``<step>__sample_weight``). With routing enabled it takes ``sample_weight`` (or the
    alias the final step requests it by) and routes it to the steps that request it, so the
    final step must request it: a pipeline would otherwise refuse the weights, or, with
    ``set_fit_request(sample_weight=False)``, fit that step unweighted.
    """
    if not prefix or not get_config().get("enable_metadata_routing", False):
        return f"{prefix}sample_weight"
    request = get_routing_for_object(target)
    if not isinstance(request, MetadataRequest):
        return "sample_weight"  # a router of its own, which routes the weights on
    wanted = request.fit.requests.get("sample_weight")
    if wanted is True:
        return "sample_weight"
    if isinstance(wanted, str) and wanted.isidentifier():
        return wanted  # the step requests sample_weight under this alias
    name, final = type(estimator).__name__, type(target).__name__
    how = (
        "Call set_fit_request(sample_weight=True) on it, e.g. "
        f"{final}().set_fit_request(sample_weight=True) as the final step."
        if hasattr(target, "set_fit_request")
        else f"{final} has no set_fit_request method to request them; disable metadata "
        "routing (sklearn.set_config(enable_metadata_routing=False)) to weight it."
    )
    state = "is set not to request it" if wanted is False else "has not requested it"
    raise InvalidParameterTypeError(
        f"{owner} passes the weights to the final step of this {name}, {final}, "
        f"as sample_weight; with metadata routing enabled the {name} routes sample_weight "
        f"only to the steps that request it, and {final}.fit {state} (its request is "
        f"{wanted!r}). {how}"
    )


def _check_class_weight(class_weight, classes):
    """Validate ``class_weight`` against the known ``classes``.

    Returns ``'balanced'``, ``None`` or a dict with Python-scalar keys and float
    values (the form scikit-learn's functions expect).
    """
    if class_weight is None:
        return None
    if isinstance(class_weight, str):
        if class_weight != "balanced":
            raise InvalidParameterError(
                f"class_weight={class_weight!r} is not supported; expected 'balanced', a dict "
                "{label: weight} or None."
            )
        return class_weight
    if not isinstance(class_weight, Mapping):
        raise InvalidParameterTypeError(
            "class_weight must be 'balanced', a dict {label: weight} or None; got "
            f"{class_weight!r} of type {type(class_weight).__name__}."
        )
    known = [_py(c) for c in classes]
    known_set = set(known)
    unknown = [_py(key) for key in class_weight if _py(key) not in known_set]
    named = {_py(key) for key in class_weight}
    # As in scikit-learn, a dict that weights every class may also weight classes absent
    # from these data (a cross-validation fold without the rarest class).
    if unknown and not known_set <= named:
        raise InvalidParameterError(
            f"class_weight names class(es) {unknown!r} that are not in the data; the classes "
            f"are {known!r}. A dict may name other classes only when it names each of these."
        )
    checked = {}
    for key, value in class_weight.items():
        if isinstance(value, bool) or not isinstance(value, Real):
            raise InvalidParameterTypeError(
                f"class_weight[{_py(key)!r}] must be a number; got {value!r} of type "
                f"{type(value).__name__}."
            )
        value = float(value)
        if not np.isfinite(value):
            raise InvalidParameterError(f"class_weight[{_py(key)!r}]={value} must be finite.")
        if value < 0:
            raise InvalidParameterError(
                f"class_weight[{_py(key)!r}]={value} is out of range; weights must be >= 0."
            )
        checked[_py(key)] = value
    return checked


def _check_sample_weight(sample_weight, n_samples):
    """``sample_weight`` as checked by the samplers: numbers (a scalar is one weight for every
    sample), one per label of ``y``, finite, non-negative, with a positive sum."""
    if isinstance(sample_weight, (str, bytes, Mapping)) or not (
            isinstance(sample_weight, Real) or hasattr(sample_weight, "__len__")
            or hasattr(sample_weight, "__array__")):
        shown = repr(sample_weight)
        shown = shown if len(shown) <= 80 else f"{type(sample_weight).__name__}(...)"
        raise InvalidParameterTypeError(
            f"sample_weight must be an array of numbers, one per sample (or one number for "
            f"every sample); got {shown} of type {type(sample_weight).__name__}."
        )
    return check_sample_weight(sample_weight, n_samples, what="y has {n} labels")


def compute_class_weight(class_weight, *, classes, y, sample_weight=None):
    """Weight of each class, for unbalanced data sets.

    The same numbers as :func:`sklearn.utils.class_weight.compute_class_weight`
    (which this function calls), with errors that say what is wrong.

    Parameters
    ----------
    class_weight : 'balanced', dict or None
        ``'balanced'``: ``n_samples / (n_classes * n_c)`` for a class with
        ``n_c`` samples (the sums of ``sample_weight`` replace the counts when
        it is given). A dict ``{label: weight}``: the given weights, 1 for the
        classes it does not name; every weight must be a finite number >= 0,
        and a key that is not one of ``classes`` is allowed only in a dict that
        names every class (as in scikit-learn). ``None``: 1 for every class.
    classes : array-like of shape (n_classes,)
        The class labels, as given by ``np.unique(y)``. Every label of ``y``
        must be among them; with ``'balanced'`` every class must occur in ``y``.
    y : array-like of shape (n_samples,)
        The class label of each sample.
    sample_weight : array-like of shape (n_samples,) or float, default=None
        Weights of the samples (a number: the same weight for every sample),
        checked as the samplers check them: finite, >= 0, with a positive
        sum; only used with ``'balanced'``.

    Returns
    -------
    class_weight_vect : ndarray of shape (n_classes,)
        ``class_weight_vect[i]`` is the weight of ``classes[i]``.

    Raises
    ------
    InvalidParameterError
        For an unknown string, a dict naming a class that is not in
        ``classes`` (and not every class that is), or a negative or
        non-finite weight.
    DataError
        When ``y`` holds labels missing from ``classes``, or ``'balanced'`` is
        asked for a class absent from ``y``.

    Examples
    --------
    >>> import numpy as np
    >>> from balancekit.weights import compute_class_weight
    >>> y = [1, 1, 1, 1, 0, 0]
    >>> compute_class_weight("balanced", classes=np.unique(y), y=y).tolist()
    [1.5, 0.75]
    """
    y_arr = _labels_1d(y)
    classes = np.asarray(classes)
    if classes.ndim != 1 or classes.shape[0] == 0:
        raise DataError(
            f"classes must be a non-empty 1-D array of labels; got an array of shape "
            f"{classes.shape}."
        )
    if np.unique(classes).shape[0] != classes.shape[0]:
        raise DataError(f"classes must not repeat a label; got {classes.tolist()!r}.")
    present = _classes(y_arr)
    missing = sorted(set(map(_py, present)) - set(map(_py, classes)), key=repr)
    if missing:
        raise DataError(
            f"y holds label(s) {missing!r} that are not in classes {classes.tolist()!r}; "
            "classes must include every label of y."
        )
    checked = _check_class_weight(class_weight, classes)
    weights = None
    if sample_weight is not None:
        weights = _check_sample_weight(sample_weight, y_arr.shape[0])
    if checked == "balanced":
        absent = sorted(set(map(_py, classes)) - set(map(_py, present)), key=repr)
        if absent:
            raise DataError(
                f"class_weight='balanced' needs every class in y, but class(es) {absent!r} "
                "have no samples."
            )
        if weights is not None:
            totals = np.array([weights[y_arr == c].sum() for c in present])
            if not (totals > 0).all():
                empty = [_py(c) for c in present[totals <= 0]]
                raise DataError(
                    f"class_weight='balanced' needs a positive total sample_weight in every "
                    f"class, but class(es) {empty!r} have zero total weight."
                )
        if weights is not None and not _SKLEARN_CLASS_WEIGHT_TAKES_SAMPLE_WEIGHT:
            # scikit-learn < 1.7 has no sample_weight here: the weighted form of
            # n_samples / (n_classes * n_c).
            codes = np.searchsorted(present, y_arr)
            totals = np.bincount(codes, weights=weights, minlength=present.shape[0])
            per_class = weights.sum() / (present.shape[0] * totals)
            return per_class[np.searchsorted(present, classes)]
    if checked is None or isinstance(checked, dict):
        return _dict_weights(checked, classes)
    if weights is not None and _SKLEARN_CLASS_WEIGHT_TAKES_SAMPLE_WEIGHT:
        return _sk_compute_class_weight(checked, classes=classes, y=y_arr, sample_weight=weights)
    return _sk_compute_class_weight(checked, classes=classes, y=y_arr)


def compute_sample_weight(class_weight, y, *, indices=None):
    """Weight of each sample, from the weight of its class.

    The same numbers as :func:`sklearn.utils.class_weight.compute_sample_weight`
    (which this function calls) for a single target, with errors that say what
    is wrong.

    Parameters
    ----------
    class_weight : 'balanced', dict or None
        ``'balanced'``: each sample of a class with ``n_c`` samples gets
        ``n_samples / (n_classes * n_c)``. A dict ``{label: weight}``: the
        given weight, 1 for the classes it does not name; every weight must be
        a finite number >= 0, and a key that is not a label of ``y`` is
        allowed only in a dict that names every label of ``y`` (as in
        scikit-learn). ``None``: 1 for every sample.
    y : array-like of shape (n_samples,)
        The class label of each sample (a column vector is accepted).
    indices : array-like of int of shape (n_subsample,), default=None
        Rows of a subsample (a bootstrap may repeat rows). ``'balanced'`` is
        then computed on ``y[indices]``; classes absent from the subsample get
        weight 0. Only ``'balanced'`` is allowed with ``indices``.

    Returns
    -------
    sample_weight : ndarray of shape (n_samples,)
        The weight of each sample of ``y``.

    Raises
    ------
    InvalidParameterError
        For an unknown string, a dict naming a class absent from ``y`` (and
        not every class of ``y``), a negative or non-finite weight, or
        ``indices`` with a dict.

    Examples
    --------
    >>> from balancekit.weights import compute_sample_weight
    >>> compute_sample_weight("balanced", [1, 1, 1, 1, 0, 0]).tolist()
    [0.75, 0.75, 0.75, 0.75, 1.5, 1.5]
    """
    y_arr = _labels_1d(y)
    classes = _classes(y_arr)
    checked = _check_class_weight(class_weight, classes)
    if indices is not None:
        if checked != "balanced":
            raise InvalidParameterError(
                f"indices can only be used with class_weight='balanced'; got class_weight="
                f"{class_weight!r}."
            )
        idx = np.asarray(indices)
        if idx.ndim != 1 or (idx.size and idx.dtype.kind not in "iu"):
            raise InvalidParameterTypeError(
                f"indices must be a 1-D array of integer row positions; got an array of dtype "
                f"{idx.dtype} and shape {idx.shape}."
            )
        if idx.size == 0:
            raise DataError("indices is empty: the subsample must hold at least one row.")
        if idx.min() < 0 or idx.max() >= y_arr.shape[0]:
            raise DataError(
                f"indices must be row positions in [0, {y_arr.shape[0] - 1}]; got values from "
                f"{int(idx.min())} to {int(idx.max())}."
            )
        return _sk_compute_sample_weight(checked, y_arr, indices=idx)
    if checked is None or isinstance(checked, dict):
        return _dict_weights(checked, classes)[np.searchsorted(classes, y_arr)]
    return _sk_compute_sample_weight(checked, y_arr)


def _sklearn_reads(checked, classes, estimator=None):
    """Whether scikit-learn's own ``class_weight`` handling takes ``checked``: its dict
    branch converts text classes such as ``'10'`` to numbers and then misses them, and
    :class:`~sklearn.ensemble.HistGradientBoostingClassifier` (``estimator``) reads a
    dict on its encoded classes ``0, 1, ...``, not on the labels: the weight of label
    ``2`` of the classes ``[1, 2, 3]`` would go to the class ``3``. ``'balanced'`` counts
    as the dict it becomes: scikit-learn's forests turn it into one, then miss the classes
    ``'0'`` and ``'1'`` in it."""
    if isinstance(checked, str) and checked == "balanced":
        checked = {_py(c): 1.0 for c in classes}
    if not isinstance(checked, dict) or not checked:
        return True
    if isinstance(estimator, HistGradientBoostingClassifier) and not _are_positions(classes):
        return False
    try:
        _sk_compute_class_weight(checked, classes=classes, y=classes)
    except ValueError:
        return False
    return True


def _are_positions(classes):
    """Whether the sorted ``classes`` are ``0, 1, ..., n_classes - 1`` (their own codes)."""
    classes = np.asarray(classes)
    if classes.dtype.kind not in "biuf":
        return False
    return bool(np.array_equal(classes, np.arange(classes.shape[0])))


def _dict_weights(checked, classes):
    """The weight of each of ``classes`` under a checked dict (1 where it names none; every
    weight 1 for ``None``). Built here: scikit-learn's dict branch converts each class with
    ``int`` when it can, and then misses text classes such as ``'10'``."""
    checked = checked or {}
    return np.array([checked.get(_py(c), 1.0) for c in classes], dtype=np.float64)


def _check_some_weight(class_weight, vector, classes, y, sample_weight):
    """Refuse class weights (``vector``, one per class) that, with ``sample_weight``, leave
    every row of ``y`` a weight of 0: classifiers fail on them deep inside (a
    ``ZeroDivisionError``, or worse), as on a ``sample_weight`` that sums to 0."""
    per_row = vector[np.searchsorted(classes, y)]
    if not per_row.sum() > 0:
        labels = ", ".join(repr(_py(c)) for c in classes)
        raise InvalidParameterError(
            f"class_weight={class_weight!r} gives every class of y ({labels}) weight 0, "
            "so the classifier would learn from no row; give at least one class of y a "
            "positive weight."
        )
    if sample_weight is not None and not (per_row * sample_weight).sum() > 0:
        positive = [_py(c) for c, w in zip(classes, vector, strict=True) if w > 0]
        raise DataError(
            f"class_weight={class_weight!r} and sample_weight together give every row weight "
            f"0: sample_weight is 0 on every row of the class(es) {positive!r} that "
            "class_weight weights, so the classifier would learn from no row; give some of "
            "their rows a positive sample_weight."
        )


def _inner_has(attr):
    """For ``available_if``: the fitted (or else the given) estimator has ``attr``."""

    def check(self):
        inner = self.estimator_ if hasattr(self, "estimator_") else self.estimator
        getattr(inner, attr)
        return True

    return check


class WeightedClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Apply class weights to any classifier.

    The weights reach the classifier the best way it offers:

    1. if it has a ``class_weight`` parameter, a clone of it is fitted with
       that parameter set (its own, exact handling of the weights), unless
       the weights are a dict that scikit-learn's handling misreads (text
       labels such as ``'10'``, which it converts to numbers, or, for a
       :class:`~sklearn.ensemble.HistGradientBoostingClassifier`, any labels
       other than ``0, 1, ...``, which it matches with its encoded classes);
    2. otherwise, if its ``fit`` accepts ``sample_weight``, a clone is fitted
       with one weight per sample, the weight of the sample's class
       (multiplied by the ``sample_weight`` given to :meth:`fit`, if any;
       ``'balanced'`` then uses the total weight of each class instead of its
       count, as scikit-learn's :class:`~sklearn.linear_model.LogisticRegression`
       does, so that an integer weight means the same as repeating the row);
    3. otherwise it cannot be reweighted, and :meth:`fit` raises
       :class:`~balancekit.exceptions.InvalidParameterTypeError`; resample
       the data instead (a :func:`balancekit.pipeline.make_pipeline` with a
       sampler before the classifier).

    A pipeline is weighted through its final step, by that step's parameter
    names (``<step>__class_weight`` or ``<step>__sample_weight``); with
    metadata routing enabled, per-row weights go to the pipeline as
    ``sample_weight``, which it routes to the steps that request it, so the
    final step must request them (``set_fit_request(sample_weight=True)``),
    and the other steps whose ``fit`` takes ``sample_weight`` must say
    whether they want them too, as scikit-learn's routing requires. A ``fit``
    that takes any keyword argument (a search, a stacking or voting
    classifier) counts as accepting ``sample_weight``, which such models pass
    on to the models they fit; one that refuses it (scikit-learn's
    one-vs-rest and threshold classifiers, without metadata routing) gets
    the error of case 3.

    Parameters
    ----------
    estimator : classifier
        The classifier to fit. It is cloned, never modified.
    class_weight : 'balanced', dict or None, default='balanced'
        ``'balanced'`` gives a class with ``n_c`` of the ``n_samples`` training
        samples the weight ``n_samples / (n_classes * n_c)``; a dict
        ``{label: weight}`` gives the named classes these weights (1 for the
        others; it may name classes absent from the training labels only if
        it names each class present, as in scikit-learn, so that one dict
        serves every cross-validation fold; at least one class of the training
        labels must get a positive weight); ``None`` fits the classifier
        unweighted (its own ``class_weight`` parameter, if it has one, is set
        to ``None``).

    Attributes
    ----------
    estimator_ : classifier
        The fitted clone of ``estimator``.
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    class_weight_ : dict
        ``{label: weight}`` of every class, as computed by
        :func:`compute_class_weight` from the training labels (and the
        ``sample_weight`` given to :meth:`fit`). With the ``class_weight``
        route the classifier computes its own weights, which are these ones
        unless ``sample_weight`` is given to a classifier that uses class
        counts rather than class totals.
    weighting_ : {'class_weight', 'sample_weight', 'none'}
        How the weights reached the classifier: its ``class_weight``
        parameter, per-sample weights, or not at all (``class_weight=None``
        and a classifier without a ``class_weight`` parameter).
    n_features_in_ : int
        Number of features seen in :meth:`fit` (from ``estimator_``).
    feature_names_in_ : ndarray of str
        Column names seen in :meth:`fit`, when ``X`` has string column names
        and ``estimator_`` records them.

    See Also
    --------
    compute_sample_weight : the per-sample weights used in case 2.
    balancekit.pipeline.Pipeline : resample the training rows instead.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from balancekit.weights import WeightedClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(60, 2)); y = np.array([0] * 50 + [1] * 10)
    >>> model = WeightedClassifier(GaussianNB()).fit(X, y)
    >>> model.weighting_
    'sample_weight'
    >>> {k: round(v, 2) for k, v in model.class_weight_.items()}
    {0: 0.6, 1: 3.0}
    """

    def __init__(self, estimator, *, class_weight="balanced"):
        self.estimator = estimator
        self.class_weight = class_weight

    def fit(self, X, y, sample_weight=None, **fit_params):
        """Fit a clone of the classifier with class weights.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            The training data, passed to the classifier as given.
        y : array-like of shape (n_samples,)
            The class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples, multiplied with the class weights. The
            classifier's ``fit`` must accept ``sample_weight``.
        **fit_params : dict
            Other parameters passed to the classifier's ``fit``.

        Returns
        -------
        self : object
            The fitted meta-estimator.
        """
        estimator = self.estimator
        check_classifier_object("estimator", estimator, "a classifier instance")
        if y is None:
            raise DataError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        y_arr = _labels_1d(y)  # missing labels get a clear error before the checks below sort
        try:
            check_classification_targets(y_arr)
        except ValueError as exc:
            if y_arr.dtype.kind == "O":
                label_kinds(y_arr)  # numbers and text mixed: say so, not "continuous values"
            raise DataError(f"{exc} WeightedClassifier needs one class label per sample.") from None
        classes = unique_labels(y_arr)
        checked = _check_class_weight(self.class_weight, classes)
        inner = clone(estimator)
        # A pipeline's final step gets the weights, by its own parameter names.
        target, prefix = _weighted_part(inner)
        takes_sample_weight = _takes_sample_weight(target)
        user = None
        if sample_weight is not None:
            if takes_sample_weight is None:
                raise InvalidParameterTypeError(
                    f"sample_weight was given, but the fit method of {type(target).__name__} "
                    "does not accept sample_weight."
                )
            user = _check_sample_weight(sample_weight, y_arr.shape[0])
        vector = compute_class_weight(checked, classes=classes, y=y_arr, sample_weight=user)
        _check_some_weight(self.class_weight, vector, classes, y_arr, user)

        given = checked
        if (checked == "balanced" and user is not None
                and not _SKLEARN_CLASS_WEIGHT_TAKES_SAMPLE_WEIGHT):
            # scikit-learn < 1.7 balances the unweighted class counts: give the classifier
            # the weights of the weighted ones (class_weight_), as 1.7 and later compute.
            given = {_py(c): float(w) for c, w in zip(classes, vector, strict=True)}
        has_class_weight = _has_class_weight(target)
        # Asked for only when weights are passed: a step weighted through class_weight
        # needs no request.
        key = None
        if has_class_weight and _sklearn_reads(given, classes, target):
            weighting = "class_weight"
            inner.set_params(**{f"{prefix}class_weight": given})
            if user is not None:
                key = _sample_weight_key(inner, target, prefix)
                fit_params[key] = user  # checked: a column vector or a scalar as 1-D
        elif checked is None:
            weighting = "none"
            if user is not None:
                key = _sample_weight_key(inner, target, prefix)
                fit_params[key] = user  # checked: a column vector or a scalar as 1-D
        elif takes_sample_weight is not None:
            weighting = "sample_weight"
            weights = vector[np.searchsorted(classes, y_arr)]
            key = _sample_weight_key(inner, target, prefix)
            fit_params[key] = weights if user is None else weights * user
        elif has_class_weight:
            raise InvalidParameterError(
                f"class_weight={self.class_weight!r} names classes that scikit-learn's "
                f"class_weight handling misreads (it converts text such as '10' to a number), "
                f"and the fit method of {type(target).__name__} does not accept "
                "sample_weight to receive the weights otherwise; use class labels that are "
                "not numbers written as text."
            )
        else:
            raise InvalidParameterTypeError(_cannot_weight_message(estimator))
        try:
            inner.fit(X, y, **fit_params)
        except (TypeError, ValueError) as exc:
            # A fit that takes keyword arguments but not sample_weight (scikit-learn's
            # one-vs-rest and threshold classifiers without metadata routing).
            if (takes_sample_weight != "keywords" or key is None
                    or "sample_weight" not in str(exc) and "metadata" not in str(exc)):
                raise
            raise InvalidParameterTypeError(
                f"{_cannot_weight_message(estimator)} ({type(target).__name__}.fit refused "
                f"sample_weight: {exc})"
            ) from exc
        self.estimator_ = inner
        self.weighting_ = weighting
        self.classes_ = getattr(inner, "classes_", classes)
        self.class_weight_ = {_py(c): float(w) for c, w in zip(classes, vector, strict=True)}
        return self

    @property
    def n_features_in_(self):
        """Number of features seen in :meth:`fit`."""
        return self.estimator_.n_features_in_

    @property
    def feature_names_in_(self):
        """Column names seen in :meth:`fit`."""
        return self.estimator_.feature_names_in_

    @available_if(_inner_has("predict"))
    def predict(self, X, **params):
        """Predict class labels with the fitted classifier.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            The samples.
        **params : dict
            Parameters passed to the classifier's ``predict``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            The predicted labels.
        """
        check_is_fitted(self)
        return self.estimator_.predict(X, **params)

    @available_if(_inner_has("predict_proba"))
    def predict_proba(self, X, **params):
        """Class probabilities from the fitted classifier.

        The classifier was trained on reweighted classes, so these are the
        probabilities of a balanced problem, not calibrated to the original
        class frequencies.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            The samples.
        **params : dict
            Parameters passed to the classifier's ``predict_proba``.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities, columns in the order of ``classes_``.
        """
        check_is_fitted(self)
        return self.estimator_.predict_proba(X, **params)

    @available_if(_inner_has("predict_log_proba"))
    def predict_log_proba(self, X, **params):
        """Log of the class probabilities from the fitted classifier.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            The samples.
        **params : dict
            Parameters passed to the classifier's ``predict_log_proba``.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probabilities, columns in the order of ``classes_``.
        """
        check_is_fitted(self)
        return self.estimator_.predict_log_proba(X, **params)

    @available_if(_inner_has("decision_function"))
    def decision_function(self, X, **params):
        """Decision scores from the fitted classifier.

        Parameters
        ----------
        X : {array-like, sparse matrix, dataframe} of shape (n_samples, n_features)
            The samples.
        **params : dict
            Parameters passed to the classifier's ``decision_function``.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            The classifier's decision scores.
        """
        check_is_fitted(self)
        return self.estimator_.decision_function(X, **params)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.input_tags.sparse = inner.input_tags.sparse
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.input_tags.pairwise = inner.input_tags.pairwise
        tags.input_tags.categorical = inner.input_tags.categorical
        tags.input_tags.string = inner.input_tags.string
        tags.classifier_tags.poor_score = inner.classifier_tags is not None and (
            inner.classifier_tags.poor_score
        )
        tags.classifier_tags.multi_class = inner.classifier_tags is None or (
            inner.classifier_tags.multi_class
        )
        return tags
