"""Instance hardness threshold: drop the rows a classifier finds hardest to predict."""

from collections.abc import Mapping
from numbers import Integral

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from .._base import BaseSampler, Resampled
from .._exact import check_n_jobs
from .._validation import check_int, check_not_a_class, unique_labels
from ..exceptions import DataError, InvalidParameterError, InvalidParameterTypeError


def seed_estimator(estimator, rng):
    """Give every ``random_state`` parameter of ``estimator`` an integer drawn from ``rng``.

    Parameters are visited in sorted name order (nested ones included), the
    same order as imbalanced-learn, so the same seed gives the same model.
    """
    params = estimator.get_params(deep=True)
    seeds = {
        key: rng.randint(np.iinfo(np.int32).max)
        for key in sorted(params)
        if key == "random_state" or key.endswith("__random_state")
    }
    if seeds:
        estimator.set_params(**seeds)
    return estimator


class InstanceHardnessThreshold(BaseSampler):
    """Keep the rows a cross-validated classifier predicts most confidently.

    A classifier (``estimator``) is cross-validated over the whole data set;
    each row's *hardness* is one minus the probability that the model fitted
    without it gives to its true class. Each class to shrink keeps its
    ``n_samples`` easiest rows (highest probability); the other classes are
    kept as they are. The kept rows stay in their original order.

    Parameters
    ----------
    estimator : classifier, default=None
        A classifier with ``predict_proba``; it is cloned, and each of its
        ``random_state`` parameters is set from ``random_state``. ``None``
        means ``sklearn.ensemble.RandomForestClassifier(n_estimators=100)``,
        seeded the same way.
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to shrink and to what size; see
        :func:`balancekit.resolve_sampling_strategy`. ``'auto'`` shrinks every
        class but the minority to the minority's size.
    random_state : int, RandomState instance or None, default=None
        Seeds the single random generator of each call, which seeds the
        classifier and shuffles the folds.
    cv : int, cross-validation splitter or None, default=5
        ``None`` is 5, as in scikit-learn. An integer is the number of folds (at least 2) of a shuffled
        ``StratifiedKFold``; a splitter object (with ``split``) or an
        iterable of (train, test) pairs of row positions (or boolean masks)
        is used as given, and must put every row in exactly one test fold.
    n_jobs : int, default=None
        Jobs for the cross-validation (and for the default forest).

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each resampled class has after resampling.
    estimator_ : classifier
        The classifier (unfitted) that was cross-validated.
    sample_indices_ : ndarray of shape (n_samples_new,)
        Rows of the input that were kept, in ascending order.
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
    **Exact counts.** imbalanced-learn keeps the rows whose probability is at
    least a percentile of the class, so rows tied at the threshold are all
    kept and a class may end above the requested size. Here each class keeps
    exactly its target: the rows above the threshold, then as many of the
    tied rows as needed, drawn at random. Without ties both select the same
    rows for the same seed and estimator.

    The default forest's seed is drawn from the call's generator (as for a
    user-supplied classifier), so ``InstanceHardnessThreshold(random_state=s)``
    selects the same rows as imbalanced-learn's
    ``InstanceHardnessThreshold(RandomForestClassifier(n_estimators=100),
    random_state=s)``.

    References
    ----------
    M. R. Smith, T. Martinez, C. Giraud-Carrier, "An instance level analysis
    of data complexity", Machine Learning 95(2), 2014.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from balancekit.under_sampling import InstanceHardnessThreshold
    >>> X, y = make_classification(n_samples=300, weights=[0.8], random_state=0)
    >>> iht = InstanceHardnessThreshold(estimator=LogisticRegression(), random_state=0)
    >>> X_res, y_res = iht.fit_resample(X, y)
    >>> (y_res == 0).sum() == (y_res == 1).sum()
    np.True_
    """

    _sampling_type = "under-sampling"
    _accept_sparse = True

    def __init__(
        self, *, estimator=None, sampling_strategy="auto", random_state=None, cv=5, n_jobs=None
    ):
        self.estimator = estimator
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.cv = cv
        self.n_jobs = n_jobs

    def _fit_resample(self, X, y, *, targets, rng):
        check_n_jobs(self.n_jobs)
        estimator = self._make_estimator()
        cv = 5 if self.cv is None else self.cv  # scikit-learn's default number of folds
        if isinstance(cv, Integral) and not isinstance(cv, bool):
            cv = check_int("cv", cv, min_value=2)
            if cv > y.shape[0]:
                raise DataError(
                    f"cv={cv} folds need at least {cv} samples, but X has {y.shape[0]}."
                )
        else:
            cv = _check_cv(cv, y.shape[0])
        self.estimator_ = seed_estimator(estimator, rng)
        if isinstance(cv, int):
            cv = StratifiedKFold(n_splits=cv, shuffle=True, random_state=rng)
        # The splits are described, not quoted: their repr holds every index.
        described = (f"cv={_short_repr(cv)}" if hasattr(cv, "split")
                     else f"cv ({len(cv)} given (train, test) split{'s' * (len(cv) != 1)})")
        try:
            proba = cross_val_predict(
                self.estimator_, X, y, cv=cv, n_jobs=self.n_jobs, method="predict_proba"
            )
        except ValueError as exc:
            if "partition" not in str(exc) and "groups" not in str(exc):
                raise
            # ShuffleSplit, RepeatedStratifiedKFold (rows in several or no test folds) or a
            # group splitter, which needs groups this sampler does not take.
            raise InvalidParameterError(
                f"{described} cannot give each row one out-of-fold probability: the splits must "
                "put every row in exactly one test fold, without groups (e.g. StratifiedKFold); "
                f"scikit-learn says: {exc}"
            ) from None
        classes = unique_labels(y)
        easiness = proba[np.arange(y.shape[0]), np.searchsorted(classes, y)]
        keep = []
        for label in classes:
            members = np.flatnonzero(y == label)
            label = label.item() if isinstance(label, np.generic) else label
            target = targets.get(label, members.size)
            if target < members.size:
                # Easiest first; ties in a random order.
                shuffled = rng.permutation(members.size)
                order = shuffled[np.argsort(-easiness[members][shuffled], kind="stable")]
                members = members[order[:target]]
            keep.append(members)
        return Resampled(np.sort(np.concatenate(keep)))

    def _make_estimator(self):
        if self.estimator is None:
            return RandomForestClassifier(n_estimators=100, n_jobs=self.n_jobs)
        check_not_a_class("estimator", self.estimator, "None or a classifier")
        if not (
            hasattr(self.estimator, "get_params")
            and hasattr(self.estimator, "predict_proba")
            and is_classifier(self.estimator)
        ):
            raise InvalidParameterTypeError(
                "estimator must be None or a scikit-learn classifier with predict_proba (such "
                f"as sklearn.linear_model.LogisticRegression); got {self.estimator!r} of type "
                f"{type(self.estimator).__name__}."
            )
        return clone(self.estimator)


_CV_EXPECTED = (
    "an integer number of folds, a cross-validation splitter such as "
    "sklearn.model_selection.StratifiedKFold(), or an iterable of (train, test) splits"
)


def _short_repr(value):
    from ..evaluation._splits import short_repr  # imported late: evaluation imports samplers

    return short_repr(value)


def _check_cv(cv, n_samples):
    """Check a ``cv`` that is not a number of folds: a splitter object, returned as it is,
    or an iterable of (train, test) pairs, returned as a list of checked index arrays (the
    checks of :func:`balancekit.evaluation.compare`, whose errors quote no indices)."""
    from ..evaluation._splits import _check_split

    check_not_a_class("cv", cv, _CV_EXPECTED)
    if isinstance(cv, (str, bytes, Mapping)) or not (hasattr(cv, "split") or _is_iterable(cv)):
        raise InvalidParameterTypeError(
            f"cv must be {_CV_EXPECTED}; got {_short_repr(cv)} of type {type(cv).__name__}."
        )
    if hasattr(cv, "split"):
        return cv
    splits = [_check_split(i, split, n_samples) for i, split in enumerate(cv)]
    if not splits:
        raise InvalidParameterError(
            "cv gave no (train, test) split; give splits that put every row in exactly one "
            "test fold, or an integer number of folds."
        )
    return splits


def _is_iterable(value):
    try:
        iter(value)
    except TypeError:
        return False
    return True
