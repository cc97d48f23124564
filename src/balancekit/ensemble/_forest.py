"""Balanced random forest: every tree is grown on a class-balanced random sample."""

from collections.abc import Mapping
from numbers import Integral, Real
from warnings import warn

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils import check_random_state
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted, validate_data

from .._exact import check_n_jobs
from .._validation import (
    check_bool,
    check_int,
    check_sample_weight,
    check_seed,
    plain_label,
    unique_labels,
)
from ..exceptions import (
    BalancekitWarning,
    DataError,
    InvalidParameterError,
    InvalidParameterTypeError,
)
from ..under_sampling import RandomUnderSampler
from ..weights import _check_class_weight
from ._common import (
    MAX_INT,
    check_fraction_or_count,
    check_labels_present,
    check_strategy,
    check_two_classes,
    fitted_pipelines,
    numbers_needed,
)

_TREE_PARAMS = (
    "criterion",
    "max_depth",
    "min_samples_split",
    "min_samples_leaf",
    "min_weight_fraction_leaf",
    "max_features",
    "max_leaf_nodes",
    "min_impurity_decrease",
    "ccp_alpha",
    "monotonic_cst",
)


def _is_int(value):
    return isinstance(value, Integral) and not isinstance(value, (bool, np.bool_))


# The values scikit-learn's forests accept (booleans aside, refused as numbers here as in
# every balancekit check): name -> (accepted types, check of the value, what is expected).
_NONE = type(None)
_PARAM_VALUES = {
    "criterion": (
        (str,), lambda v: v in ("gini", "entropy", "log_loss"),
        "one of 'gini', 'entropy', 'log_loss'",
    ),
    "max_depth": ((Integral, _NONE), lambda v: v is None or v >= 1, "an integer >= 1 or None"),
    "min_samples_split": (
        (Real,), lambda v: v >= 2 if _is_int(v) else 0 < v <= 1,
        "an integer >= 2 or a float in (0, 1]",
    ),
    "min_samples_leaf": (
        (Real,), lambda v: v >= 1 if _is_int(v) else 0 < v < 1,
        "an integer >= 1 or a float in (0, 1)",
    ),
    "min_weight_fraction_leaf": ((Real,), lambda v: 0 <= v <= 0.5, "a number in [0, 0.5]"),
    "max_features": (
        (str, Real, _NONE),
        lambda v: (v in ("sqrt", "log2") if isinstance(v, str)
                   else v is None or (v >= 1 if _is_int(v) else 0 < v <= 1)),
        "'sqrt', 'log2', None, an integer >= 1 or a float in (0, 1]",
    ),
    "max_leaf_nodes": ((Integral, _NONE), lambda v: v is None or v >= 2,
                       "an integer >= 2 or None"),
    "min_impurity_decrease": ((Real,), lambda v: 0 <= v < np.inf, "a finite number >= 0"),
    "ccp_alpha": ((Real,), lambda v: 0 <= v < np.inf, "a finite number >= 0"),
    "class_weight": (
        (str, dict, list, _NONE),
        lambda v: not isinstance(v, str) or v in ("balanced", "balanced_subsample"),
        "'balanced', 'balanced_subsample', a dict {class: weight}, a list of such dicts or None",
    ),
}


def _check_forest_params(forest):
    """Check the parameters handed to the trees, with errors naming the forest, before any
    tree is grown."""
    owner = type(forest).__name__
    for name, (types, check, expected) in _PARAM_VALUES.items():
        value = getattr(forest, name)
        message = f"{owner}: {name} must be {expected}; got {value!r}"
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, types):
            raise InvalidParameterTypeError(f"{message} of type {type(value).__name__}.")
        if not check(value):
            raise InvalidParameterError(f"{message}.")


def _tree_params(forest):
    """The parameters of the trees, numpy scalars (accepted by :func:`_check_forest_params`)
    as Python numbers, which scikit-learn's trees take (they refuse ``np.float32``)."""
    params = {}
    for name in _TREE_PARAMS:
        value = getattr(forest, name)
        params[name] = value.item() if isinstance(value, np.generic) else value
    return params


def _check_monotonic_cst(forest, n_features, n_classes):
    """Check ``monotonic_cst`` against the data, with errors naming the forest: None, or
    one constraint (-1, 0 or 1) per feature, for two classes."""
    value = forest.monotonic_cst
    if value is None:
        return
    owner = type(forest).__name__
    expected = (f"None or an array-like of -1, 0 and 1, one per feature ({n_features} "
                "features)")
    arr = None
    if not isinstance(value, (str, bytes, Mapping, set)):
        try:
            arr = np.asarray(value)
        except (TypeError, ValueError):
            arr = None
    if arr is None or arr.ndim != 1 or arr.dtype.kind not in "iuf":
        shown = repr(value) if len(repr(value)) <= 80 else f"{type(value).__name__}(...)"
        raise InvalidParameterTypeError(
            f"{owner}: monotonic_cst must be {expected}; got {shown} of type "
            f"{type(value).__name__}."
        )
    if arr.shape[0] != n_features:
        raise InvalidParameterError(
            f"{owner}: monotonic_cst must be {expected}; got {arr.shape[0]} value(s)."
        )
    bad = arr[~np.isin(arr, (-1, 0, 1))]
    if bad.size:
        raise InvalidParameterError(
            f"{owner}: monotonic_cst must be {expected}; got the value {bad[0].item()!r}."
        )
    if n_classes > 2:
        raise InvalidParameterError(
            f"{owner}: monotonic_cst applies to two classes only (as in scikit-learn's "
            f"trees), but y has {n_classes}; leave monotonic_cst=None."
        )


def _balanced_class_weight(y_enc, n_classes, sample_weight):
    """Per-row weights of ``class_weight='balanced'``: ``total / (n_classes * class total)``,
    the totals summing ``sample_weight`` when it is given, as scikit-learn's forests do."""
    totals = np.bincount(y_enc, weights=sample_weight, minlength=n_classes)
    # A class of zero total weight has only rows of weight 0, which stay at 0.
    weight = np.divide(totals.sum(), n_classes * totals, out=np.zeros(n_classes),
                       where=totals > 0)
    return weight[y_enc]


def _n_bootstrap(n_samples, max_samples, sample_weight):
    """Rows in a tree's bootstrap, as scikit-learn's forests count them."""
    if max_samples is None:
        return n_samples
    if isinstance(max_samples, Integral):
        return int(max_samples)
    total = n_samples if sample_weight is None else float(sample_weight.sum())
    n = max(int(max_samples * total), 1)
    if sample_weight is not None and n < 2:
        warn(
            f"max_samples={max_samples} is a fraction of the sum of sample_weight "
            f"({total:g}), as in scikit-learn's forests, so each tree's bootstrap holds {n} row "
            "and the trees learn nothing; pass max_samples as a number of rows, or weights "
            "that sum to about the number of rows.",
            BalancekitWarning,
            stacklevel=3,
        )
    return n


def _grow_tree(tree, sampler, X, y, y_enc, sample_weight, bootstrap, n_bootstrap, class_weight,
               candidates=None):
    """Under-sample (among the rows ``candidates``, or all), optionally bootstrap the result,
    and fit one tree.

    Returns the fitted sampler (its ``sample_indices_`` rows of ``X``), the fitted tree and
    the rows of ``X`` the tree was trained on (with repeats).
    """
    row_ids = np.arange(y.shape[0]) if candidates is None else candidates
    sampler.fit_resample(row_ids.reshape(-1, 1), y[row_ids])
    rows = sampler.sample_indices_ = row_ids[sampler.sample_indices_]
    weight = None if sample_weight is None else sample_weight[rows]
    in_bag = rows
    if bootstrap:
        rng = check_random_state(tree.random_state)
        size = min(n_bootstrap, rows.shape[0])
        if weight is None:
            draws = rng.randint(0, rows.shape[0], size)
        else:
            draws = rng.choice(rows.shape[0], size, replace=True, p=weight / weight.sum())
        weight = np.bincount(draws, minlength=rows.shape[0]).astype(np.float64)
        if class_weight == "balanced_subsample":
            weight *= compute_sample_weight("balanced", y_enc[rows], indices=draws)
        in_bag = rows[draws]
    tree.fit(X[rows], y_enc[rows], sample_weight=weight)
    return sampler, tree, np.sort(in_bag)


class BalancedRandomForestClassifier(RandomForestClassifier):
    """A random forest whose every tree is grown on a class-balanced sample.

    Before growing each tree, a
    :class:`~balancekit.under_sampling.RandomUnderSampler` draws a balanced
    sample of the training set: by default (``sampling_strategy='all'``,
    ``replacement=True``) a bootstrap of the size of the minority class from
    every class [1]_. With ``bootstrap=True`` the tree is then grown on a
    bootstrap of that sample, as in a plain random forest. Predictions,
    ``apply``, ``decision_path`` and ``feature_importances_`` are those of
    scikit-learn's :class:`~sklearn.ensemble.RandomForestClassifier`.

    Parameters
    ----------
    n_estimators : int, default=100
        The number of trees.
    criterion : {'gini', 'entropy', 'log_loss'}, default='gini'
        The split quality measure.
    max_depth : int, default=None
        Maximum depth of the trees; ``None`` grows them until the leaves are
        pure or smaller than ``min_samples_split``.
    min_samples_split : int or float, default=2
        Minimum number (int) or fraction (float) of samples to split a node.
    min_samples_leaf : int or float, default=1
        Minimum number (int) or fraction (float) of samples in a leaf.
    min_weight_fraction_leaf : float, default=0.0
        Minimum weighted fraction of the total sample weight in a leaf.
    max_features : {'sqrt', 'log2'}, int, float or None, default='sqrt'
        Features considered at each split.
    max_leaf_nodes : int, default=None
        Grow trees with at most this many leaves, best first.
    min_impurity_decrease : float, default=0.0
        Split a node only if the impurity decreases by at least this much.
    bootstrap : bool, default=False
        Grow each tree on a bootstrap of its balanced sample.
    oob_score : bool or callable, default=False
        Score the forest on the rows each tree did not see (needs
        ``bootstrap=True``): accuracy, or ``oob_score(y_true, y_pred)``.
    sampling_strategy : float, str, dict or callable, default='all'
        How the balanced sample of each tree is drawn; see
        :func:`balancekit.resolve_sampling_strategy` (under-sampling).
    replacement : bool, default=True
        Whether the under-sampler draws with replacement.
    n_jobs : int, default=None
        Trees grown and evaluated in parallel (threads); ``-1`` uses every core.
    random_state : int, RandomState instance or None, default=None
        Seeds the samples, the bootstraps and the trees.
    verbose : int, default=0
        Verbosity of the fitting.
    warm_start : bool, default=False
        Keep the grown trees on the next ``fit`` and add trees until there are
        ``n_estimators``.
    class_weight : {'balanced', 'balanced_subsample'}, dict, list of dicts or None, default=None
        Class weights, as in scikit-learn's random forest; they multiply
        ``sample_weight``. ``'balanced'`` (and ``'balanced_subsample'`` with
        ``bootstrap=False``) gives class ``c`` the weight
        ``total / (n_classes * total_c)``, the totals summing ``sample_weight``
        when it is given (as in scikit-learn's forests, from the releases whose
        ``compute_class_weight`` takes ``sample_weight``).
    ccp_alpha : float, default=0.0
        Cost-complexity pruning parameter of the trees.
    max_samples : int or float, default=None
        With ``bootstrap=True``, the size of each tree's bootstrap: ``None``
        the balanced sample's size, an int a number of rows, a float > 0 a
        fraction of ``n_samples`` (of the sum of ``sample_weight`` when it is
        given, as in scikit-learn's forests); never more than the balanced
        sample's size.
    monotonic_cst : array-like of int of shape (n_features,), default=None
        Monotonicity constraint of each feature (1, 0 or -1).

    Attributes
    ----------
    estimator_ : DecisionTreeClassifier
        The tree template.
    estimators_ : list of DecisionTreeClassifier
        The grown trees (trained on labels encoded as ``0..n_classes-1``).
    base_sampler_ : RandomUnderSampler
        The under-sampler template.
    samplers_ : list of RandomUnderSampler
        The fitted under-sampler of each tree; ``samplers_[i].sample_indices_``
        are the rows of tree ``i``'s balanced sample.
    pipelines_ : list of Pipeline
        ``make_pipeline(sampler, tree)`` for each tree (copies, built on access).
    estimators_samples_ : list of ndarray
        The rows each tree was trained on, with repeats, in ascending order.
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    n_classes_ : int
        The number of classes.
    n_outputs_ : int
        The number of outputs (always 1).
    feature_importances_ : ndarray of shape (n_features,)
        Impurity-based feature importances.
    oob_score_ : float
        Score of the out-of-bag predictions (when ``oob_score`` is set).
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
        Out-of-bag class probabilities (when ``oob_score`` is set). A row is
        out of bag for a tree when the tree was not trained on it, including
        the rows its under-sampler left out (imbalanced-learn counts only the
        rows its under-sampler drew, so its ``oob_score_`` differs).
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of str
        Column names seen in ``fit``, when ``X`` has them.

    See Also
    --------
    BalancedBaggingClassifier : Bagging with any sampler and any estimator.
    EasyEnsembleClassifier : Bag of AdaBoost learners trained on balanced samples.

    References
    ----------
    .. [1] C. Chen, A. Liaw and L. Breiman, "Using random forest to learn
           imbalanced data", University of California, Berkeley, 110, 2004.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from balancekit.ensemble import BalancedRandomForestClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9, 0.1], random_state=0)
    >>> clf = BalancedRandomForestClassifier(n_estimators=20, random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    def __init__(
        self,
        n_estimators=100,
        *,
        criterion="gini",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        min_weight_fraction_leaf=0.0,
        max_features="sqrt",
        max_leaf_nodes=None,
        min_impurity_decrease=0.0,
        bootstrap=False,
        oob_score=False,
        sampling_strategy="all",
        replacement=True,
        n_jobs=None,
        random_state=None,
        verbose=0,
        warm_start=False,
        class_weight=None,
        ccp_alpha=0.0,
        max_samples=None,
        monotonic_cst=None,
    ):
        super().__init__(
            n_estimators=n_estimators,
            criterion=criterion,
            max_depth=max_depth,
            min_samples_split=min_samples_split,
            min_samples_leaf=min_samples_leaf,
            min_weight_fraction_leaf=min_weight_fraction_leaf,
            max_features=max_features,
            max_leaf_nodes=max_leaf_nodes,
            min_impurity_decrease=min_impurity_decrease,
            bootstrap=bootstrap,
            oob_score=oob_score,
            n_jobs=n_jobs,
            random_state=random_state,
            verbose=verbose,
            warm_start=warm_start,
            class_weight=class_weight,
            ccp_alpha=ccp_alpha,
            max_samples=max_samples,
            monotonic_cst=monotonic_cst,
        )
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement

    def fit(self, X, y, sample_weight=None):
        """Grow the forest from the training set ``(X, y)``.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            The training data, converted to float32 (sparse: CSR).
        y : array-like of shape (n_samples,)
            The class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the rows: each tree's balanced sample keeps the weights
            of its rows (with ``bootstrap=True`` they are the drawing
            probabilities of the bootstrap, as in scikit-learn's forests). The
            balanced samples are drawn among the rows of positive weight, so
            every class needs one.

        Returns
        -------
        self : object
            The fitted forest.
        """
        n_estimators = check_int("n_estimators", self.n_estimators, min_value=1)
        bootstrap = check_bool("bootstrap", self.bootstrap)
        replacement = check_bool("replacement", self.replacement)
        warm_start = check_bool("warm_start", self.warm_start)
        if not isinstance(self.verbose, bool):  # True and False are verbosity levels too
            check_int("verbose", self.verbose, min_value=0)
        check_n_jobs(self.n_jobs)
        # Fractions above 1 are allowed, as scikit-learn's forests allow them: each tree's
        # bootstrap is still capped at the balanced sample's size.
        max_samples = check_fraction_or_count("max_samples", self.max_samples, allow_none=True,
                                              max_fraction=None)
        if not (isinstance(self.oob_score, (bool, np.bool_)) or callable(self.oob_score)):
            raise InvalidParameterError(
                f"oob_score must be True, False or a callable (y_true, y_pred) -> score; got "
                f"{self.oob_score!r}."
            )
        if self.oob_score and not bootstrap:
            raise InvalidParameterError(
                "oob_score=True needs bootstrap=True: without a bootstrap the out-of-bag "
                "estimate is not available."
            )
        _check_forest_params(self)
        check_labels_present(y)
        with numbers_needed(self, X, takes_estimator=False):
            X, y = validate_data(
                self,
                X,
                y,
                accept_sparse=["csr", "csc"],
                dtype=np.float32,
                ensure_all_finite=False,
            )
        if sp.issparse(X):
            X = X.tocsr()
            X.sort_indices()
        check_classification_targets(y)
        classes, y_enc = unique_labels(y, return_inverse=True)
        check_two_classes(classes)
        _check_monotonic_cst(self, X.shape[1], classes.shape[0])
        if isinstance(self.class_weight, Mapping):
            # An error naming the class the dict names and y lacks (scikit-learn's names the
            # classes of y the dict lacks, "The classes, [0, 1], are not in class_weight").
            _check_class_weight(self.class_weight, classes)
        sample_weight = check_sample_weight(sample_weight, y.shape[0])
        if self.class_weight is not None:
            class_weight = self.class_weight
            if class_weight == "balanced_subsample" and not bootstrap:
                class_weight = "balanced"
            expanded = None  # 'balanced_subsample' weighs each tree's sample instead
            if class_weight == "balanced":
                expanded = _balanced_class_weight(y_enc, classes.shape[0], sample_weight)
            elif class_weight != "balanced_subsample":
                expanded = compute_sample_weight(class_weight, y)
            if expanded is not None:
                sample_weight = expanded if sample_weight is None else sample_weight * expanded

        self.base_sampler_ = RandomUnderSampler(
            sampling_strategy=self.sampling_strategy, replacement=replacement
        )
        # Rows of weight 0 take no part in a tree: the balanced samples are drawn among the
        # others (as RUSBoostClassifier's), or a tree could get none of positive weight.
        positive = None
        if sample_weight is not None and not (sample_weight > 0).all():
            positive = np.flatnonzero(sample_weight > 0)
            empty = np.setdiff1d(np.arange(classes.shape[0]), y_enc[positive])
            if empty.size:
                raise DataError(
                    f"sample_weight is 0 for every row of class "
                    f"{plain_label(classes[empty[0]])!r}; BalancedRandomForestClassifier draws "
                    "each tree's balanced sample among the rows of positive weight, so every "
                    "class needs at least one. Give some of its rows a positive weight, or "
                    "leave the class out of X and y."
                )
        check_strategy(self.base_sampler_, y if positive is None else y[positive])
        self.estimator_ = DecisionTreeClassifier(**_tree_params(self))

        if not warm_start or not hasattr(self, "estimators_"):
            self.estimators_ = []
            self.samplers_ = []
            self._in_bag = []
        n_grown = len(self.estimators_)
        if n_estimators < n_grown:
            raise InvalidParameterError(
                f"n_estimators={n_estimators} must be >= the {n_grown} trees already grown "
                "when warm_start=True."
            )
        if n_estimators == n_grown:
            warn(
                "Warm-start fitting without increasing n_estimators does not fit new trees.",
                UserWarning,
                stacklevel=2,
            )
        else:
            rng = check_seed(self.random_state)
            # Seeds of the trees grown before are drawn again, so a warm start
            # grows the same trees as one fit with the final n_estimators.
            seeds = rng.randint(MAX_INT, size=(n_estimators, 2))[n_grown:]
            trees = [
                clone(self.estimator_).set_params(random_state=int(tree_seed))
                for tree_seed, _ in seeds
            ]
            samplers = [
                clone(self.base_sampler_).set_params(random_state=int(sampler_seed))
                for _, sampler_seed in seeds
            ]
            n_bootstrap = (_n_bootstrap(y.shape[0], max_samples, sample_weight)
                           if self.bootstrap else None)
            grown = Parallel(n_jobs=self.n_jobs, verbose=self.verbose, prefer="threads")(
                delayed(_grow_tree)(
                    tree,
                    sampler,
                    X,
                    y,
                    y_enc,
                    sample_weight,
                    bootstrap,
                    n_bootstrap,
                    self.class_weight,
                    positive,
                )
                for tree, sampler in zip(trees, samplers, strict=True)
            )
            for sampler, tree, in_bag in grown:
                self.samplers_.append(sampler)
                self.estimators_.append(tree)
                self._in_bag.append(in_bag)

        self.classes_ = classes
        self.n_classes_ = classes.shape[0]
        self.n_outputs_ = 1
        for name in ("oob_score_", "oob_decision_function_"):
            if name in vars(self):
                delattr(self, name)
        if self.oob_score:
            self._set_oob(X, y_enc)
        return self

    def _set_oob(self, X, y_enc):
        """Out-of-bag probabilities: for each row, the trees not trained on it."""
        n_samples = y_enc.shape[0]
        proba = np.zeros((n_samples, self.n_classes_))
        n_votes = np.zeros(n_samples)
        for tree, in_bag in zip(self.estimators_, self._in_bag, strict=True):
            out = np.ones(n_samples, dtype=bool)
            out[in_bag] = False
            if out.any():
                proba[out] += tree.predict_proba(X[out])
                n_votes[out] += 1
        if (n_votes == 0).any():
            warn(
                "Some inputs do not have OOB scores. This probably means too few trees were "
                "used to compute any reliable OOB estimates.",
                UserWarning,
                stacklevel=3,
            )
        proba /= np.maximum(n_votes, 1)[:, np.newaxis]
        self.oob_decision_function_ = proba
        y_pred = np.argmax(proba, axis=1)
        if callable(self.oob_score):
            self.oob_score_ = self.oob_score(self.classes_[y_enc], self.classes_[y_pred])
        else:
            self.oob_score_ = accuracy_score(y_enc, y_pred)

    @property
    def estimators_samples_(self):
        """The rows each tree was trained on, with repeats, in ascending order."""
        check_is_fitted(self)
        return list(self._in_bag)

    @property
    def pipelines_(self):
        """``make_pipeline(sampler, tree)`` for each tree (copies)."""
        check_is_fitted(self)
        return fitted_pipelines(self.samplers_, self.estimators_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = False
        tags.classifier_tags.multi_label = False
        return tags
