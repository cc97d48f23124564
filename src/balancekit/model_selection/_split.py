"""Instance-hardness cross-validation: folds that share out the hard rows evenly."""

import warnings

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import DataConversionWarning
from sklearn.model_selection import BaseCrossValidator, cross_val_predict

from .._validation import (
    check_classifier_object,
    check_int,
    check_target,
    label_values,
    unique_labels,
)
from ..exceptions import (
    BalancekitWarning,
    DataError,
    InvalidParameterError,
    InvalidParameterTypeError,
)


class InstanceHardnessCV(BaseCrossValidator):
    """K-fold splitter that spreads the hard rows of each class evenly over the folds.

    The probability of the positive class is estimated for every row with
    ``estimator``, out of fold (scikit-learn's ``cross_val_predict`` with
    ``n_splits`` stratified, unshuffled folds). Within each class the rows are
    then ranked by that probability and dealt to the folds in turn (the
    first row to fold 1, the second to fold 2, ...): every fold receives the
    same share of each class, and of its rows from the easiest to the
    hardest. The scores of the folds then vary less than with folds drawn at
    random, where one fold may get most of the rows near the class boundary
    or mislabelled.

    Parameters
    ----------
    estimator : classifier
        A scikit-learn classifier with ``predict_proba`` (it may be a
        pipeline), used to estimate the instance hardness. It is cloned
        before each fit; give it a ``random_state`` to get the same folds on
        every call.
    n_splits : int, default=5
        Number of folds, at least 2 and at most the number of rows. It is
        also the number of folds of the cross-validation that estimates the
        probabilities.
    pos_label : int, float, bool or str, default=None
        The class whose predicted probability ranks the rows. ``None`` takes
        the second class in sorted order (``estimator.classes_[1]``).

    See Also
    --------
    sklearn.model_selection.StratifiedKFold : Folds with the class
        proportions of the data, drawn without regard to hardness.
    balancekit.under_sampling.InstanceHardnessThreshold : Drops the hardest
        rows instead of sharing them out.

    Notes
    -----
    Only binary targets are supported. The probabilities of the positive
    class order the rows of both classes: within the negative class the
    hardest rows come last, within the positive class first, and dealing
    them out in turn spreads either way evenly. Rows with equal
    probabilities keep their order in the data. The splits are those of
    imbalanced-learn's ``InstanceHardnessCV`` for the same data and
    estimator.

    Each call to :meth:`split` fits the estimator ``n_splits`` times on the
    data it is given. ``groups`` is not used: rows of one group may fall in
    both the training and the test rows of a split (a warning says so).

    References
    ----------
    M. R. Smith, T. Martinez, C. Giraud-Carrier, "An instance level analysis
    of data complexity", Machine Learning 95(2), 2014.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_validate
    >>> from balancekit.model_selection import InstanceHardnessCV
    >>> X, y = make_classification(n_samples=500, weights=[0.9], flip_y=0.05,
    ...                            random_state=10)
    >>> cv = InstanceHardnessCV(LogisticRegression(), n_splits=4)
    >>> cv.get_n_splits()
    4
    >>> [int(np.sum(y[test] == 1)) for _, test in cv.split(X, y)]
    [15, 15, 15, 16]
    >>> scores = cross_validate(LogisticRegression(), X, y, cv=cv)["test_score"]
    >>> scores.shape
    (4,)
    """

    def __init__(self, estimator, *, n_splits=5, pos_label=None):
        self.estimator = estimator
        self.n_splits = n_splits
        self.pos_label = pos_label

    def split(self, X, y, groups=None):
        """Generate the row positions of the training and test rows of each fold.

        Parameters
        ----------
        X : array-like, sparse matrix or dataframe of shape (n_samples, n_features)
            The features, as ``estimator`` takes them.
        y : array-like of shape (n_samples,)
            The binary class labels (a column vector is read as 1-D).
        groups : array-like of shape (n_samples,), default=None
            Not used; a warning says so when given.

        Yields
        ------
        train : ndarray of shape (n_train_samples,)
            The positions of the training rows of the fold, in ascending order.
        test : ndarray of shape (n_test_samples,)
            The positions of the test rows of the fold, in ascending order.
        """
        n_splits = check_int("n_splits", self.n_splits, min_value=2)
        estimator = self._check_estimator()
        if groups is not None:
            warnings.warn(
                f"groups is ignored by {type(self).__name__}: its folds follow the instance "
                "hardness of the rows, so rows of one group can be in both the training and "
                "the test rows of a split.",
                BalancekitWarning,
                stacklevel=2,
            )
        n_samples = X.shape[0] if hasattr(X, "shape") else len(X)
        labels = self._check_labels(y, n_samples)
        classes, codes = unique_labels(labels, return_inverse=True)
        if classes.size != 2:
            raise DataError(
                f"{type(self).__name__} only supports binary classification; y has "
                f"{classes.size} classes."
            )
        positive = self._positive_column(classes)
        if n_splits > n_samples:
            raise DataError(
                f"n_splits={n_splits} folds need at least {n_splits} samples, but X has "
                f"{n_samples}."
            )
        if _no_feature_varies(X):
            warnings.warn(
                "X has no feature that varies between rows, so estimator cannot tell hard rows "
                "from easy ones: the folds keep the class proportions, but do not follow the "
                "instance hardness.",
                BalancekitWarning,
                stacklevel=2,
            )
        proba = cross_val_predict(estimator, X, labels, cv=n_splits, method="predict_proba")
        # Rank within each class by the probability of the positive class (ties in row
        # order), then deal the ranked rows to the folds in turn.
        ranked = np.lexsort((proba[:, positive], codes))
        fold = np.empty(n_samples, dtype=np.intp)
        fold[ranked] = np.arange(n_samples) % n_splits
        for k in range(n_splits):
            yield np.flatnonzero(fold != k), np.flatnonzero(fold == k)

    def get_n_splits(self, X=None, y=None, groups=None):
        """Return the number of splits, ``n_splits``.

        Parameters
        ----------
        X : object, default=None
            Not used, present for scikit-learn's splitter interface.
        y : object, default=None
            Not used, present for scikit-learn's splitter interface.
        groups : object, default=None
            Not used, present for scikit-learn's splitter interface.

        Returns
        -------
        n_splits : int
            The number of (train, test) splits :meth:`split` yields.
        """
        return self.n_splits

    def _check_estimator(self):
        expected = "a classifier object with predict_proba"
        check_classifier_object("estimator", self.estimator, expected)
        if not (hasattr(self.estimator, "get_params") and hasattr(self.estimator,
                                                                     "predict_proba")):
            raise InvalidParameterTypeError(
                f"estimator must be {expected} (such as "
                "sklearn.linear_model.LogisticRegression), to estimate the instance hardness; "
                f"got {self.estimator!r} of type {type(self.estimator).__name__}."
            )
        return clone(self.estimator)

    def _check_labels(self, y, n_samples):
        """``y`` as a checked 1-D array of labels (a column vector is read as 1-D)."""
        if y is None:
            raise DataError(
                f"y is required: {type(self).__name__} needs the class label of every row to "
                "estimate the instance hardness."
            )
        labels = label_values(y)
        if labels.ndim == 2 and labels.shape[1] == 1:
            warnings.warn(
                "A column-vector y was passed when a 1d array was expected; it is read as "
                "y.ravel().",
                DataConversionWarning,
                stacklevel=3,
            )
            labels = labels.ravel()
        return check_target(labels, n_samples=n_samples, purpose="instance hardness")

    def _positive_column(self, classes):
        """The column of ``predict_proba`` that holds the probability of ``pos_label``."""
        if self.pos_label is None:
            return 1
        found = np.flatnonzero(classes == self.pos_label)
        if found.size == 0:
            shown = ", ".join(repr(c.item() if isinstance(c, np.generic) else c)
                              for c in classes)
            raise InvalidParameterError(
                f"pos_label={self.pos_label!r} is not a class of y; expected one of {shown} "
                "or None."
            )
        return int(found[0])


def _no_feature_varies(X):
    """Whether ``X``, a numeric array with rows, holds the same value in every row (other
    containers are not checked)."""
    if not isinstance(X, np.ndarray) or X.ndim != 2 or X.shape[0] < 2 or X.shape[1] == 0:
        return False
    if X.dtype.kind not in "biuf":
        return False
    return bool(np.all(X.min(axis=0) == X.max(axis=0)))
