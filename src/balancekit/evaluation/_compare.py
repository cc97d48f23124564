"""Leakage-safe comparison of balancing strategies with cross-validation."""

import contextlib
import threading
import time
import warnings
from collections import Counter
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    confusion_matrix,
    matthews_corrcoef,
    precision_recall_curve,
    precision_recall_fscore_support,
    roc_auc_score,
    roc_curve,
)
from sklearn.utils import check_random_state

from .._base import LOST_CLASS_WARNING
from .._exact import one_thread
from .._frames import free_name
from .._strategy import class_counts, rare_class
from .._validation import check_int, check_target, unique_labels
from ..exceptions import (
    BalancekitWarning,
    InvalidParameterError,
    InvalidParameterTypeError,
)
from ..metrics import geometric_mean_score
from ..weights import unweightable
from ._splits import check_fold_classes, check_groups, make_folds
from ._strategies import (
    BASELINE,
    CLASS_WEIGHT,
    MAX_CATEGORIES,
    ClassCounter,
    build_pipeline,
    is_smote_family,
    make_encoder,
    make_estimator,
    make_preprocessor,
    needs_non_negative,
    prepare_table,
    resolve_strategies,
)
from ._summary import (
    ALPHA,
    METRICS,
    NOISE_RULE,
    ComparisonResult,
    adjust_for_comparisons,
    check_scoring,
    jsonable,
    paired_difference,
    rank_strategies,
    recommend,
)

#: Points kept per curve in the summary (the curves are thinned evenly beyond this).
MAX_CURVE_POINTS = 200
#: Points per class and kind shown in the PCA view.
MAX_PCA_POINTS = 600
#: Warnings kept per strategy.
MAX_WARNINGS = 5
#: Up to this many cells (rows x columns), fits run with single-threaded BLAS and OpenMP:
#: many small fits gain nothing from threads, and lose much when the cores are busy.
SMALL_TABLE_CELLS = 1_000_000
#: The largest ``random_state``: numpy's legacy seeding takes 0 to 2**32 - 1.
MAX_SEED = 2**32 - 1
#: The start of the warning that names the failed strategies (the command line, which lists
#: them itself, silences it by this pattern).
FAILED_WARNING_PATTERN = r"\d+ of \d+ strategies failed and are left out of the ranking"


def compare(
    X,
    y,
    *,
    strategies=None,
    estimator="logistic",
    cv=5,
    repeats=1,
    groups=None,
    scoring=None,
    pos_label=None,
    random_state=0,
    n_jobs=None,
    progress=None,
):
    """Compare ways of handling class imbalance with leakage-safe cross-validation.

    Every strategy is a pipeline ``preprocessor -> sampler -> model`` built
    with :func:`balancekit.pipeline.make_pipeline`, evaluated with
    cross-validation (by default repeated stratified k-fold,
    ``RepeatedStratifiedKFold(n_splits=cv, n_repeats=repeats,
    random_state=random_state)``): samplers and class weights only ever see
    the training rows of a fold, and every strategy is scored on the same,
    untouched validation folds.

    Shuffled folds assume that the rows are independent. When rows are
    grouped (several rows per customer, patient or device) or ordered in
    time, rows of a group, or from the future, in the training folds make
    the scores too optimistic: pass ``groups`` (a group-aware split) or a
    suitable splitter as ``cv`` (e.g. ``TimeSeriesSplit`` for rows in time
    order).

    The default preprocessor imputes numeric columns with their median and
    scales them (standard scaling; min-max scaling to [0, 1] when the model
    needs non-negative input, such as ``MultinomialNB`` or a ``chi2``
    feature selection), imputes categorical columns with their most frequent value
    and one-hot encodes them (values unseen in training are encoded as all
    zeros; a column with more than 100 distinct values gets a column for each
    of its 99 most frequent values and one shared by the others, so that an
    identifier-like column keeps the cost bounded, and a warning names the
    columns whose values are almost all distinct, and the numeric columns
    that number the rows); numpy arrays are treated
    as all numeric. Samplers run after imputation and scaling, on
    finite numbers; SMOTENC and SMOTEN run before the one-hot encoding, so
    their synthetic rows hold real categories. The model receives the
    preprocessed table: numeric columns under their own names, categorical
    columns one-hot encoded as ``cat__<column>_<value>`` (``cat1__...`` when a
    numeric column's name starts with ``cat__``), so an estimator pipeline
    may select the numeric columns by name.

    Parameters
    ----------
    X : array-like or dataframe of shape (n_samples, n_features)
        The features: a pandas or polars DataFrame (categorical and string
        columns are recognised) or a numeric array.
    y : array-like of shape (n_samples,)
        The class labels (binary or multiclass).
    strategies : list, default=None
        What to compare: strategy names (see :func:`available_strategies`),
        sampler objects (scikit-learn estimators with ``fit_resample``, cloned
        for every fold), or ``(name, sampler)`` pairs. ``'baseline'`` (no
        resampling) and ``'class_weight'`` (balanced class weights) are
        special names; ``'baseline'`` is always included as the reference.
        ``None`` runs :func:`default_strategies`: baseline, class_weight (for a
        model that takes ``class_weight`` or ``sample_weight``), random_over,
        random_under, smote (SMOTENC when there are categorical columns,
        SMOTEN when every column is categorical) and every other
        registered sampler that suits the data; the ones left out, and why,
        are listed in ``summary['skipped']``.
    estimator : {'logistic', 'hgb'} or classifier, default='logistic'
        The model: ``'logistic'`` for a LogisticRegression, ``'hgb'`` for a
        HistGradientBoostingClassifier, or any scikit-learn classifier
        (cloned for every fold). A model that weights the classes itself
        (a ``class_weight`` that is not None) makes ``'baseline'`` a weighted
        model, not an unweighted reference; a warning says so. A multiclass
        model whose decision function is one-vs-one (an ``SVC`` with
        ``decision_function_shape='ovo'`` and no probabilities) gives no
        score per class: ROC-AUC, PR-AUC and the curves are then NaN, with a
        warning, and ranking by them (``'pr_auc'``, the default scoring, or
        ``'roc_auc'``) is refused before any fit.
    cv : int, splitter, iterable of (train, test) pairs or None, default=5
        ``None`` is 5, as in scikit-learn. An integer is the number of folds
        (at least 2, at most the size of the smallest class) of a shuffled
        stratified k-fold split (with
        ``groups``: ``StratifiedGroupKFold(shuffle=True)``), repeated
        ``repeats`` times. Also accepted: a scikit-learn splitter (an object
        with ``split`` and ``get_n_splits``, such as ``GroupKFold`` or
        ``TimeSeriesSplit``; ``X`` as a pandas DataFrame, ``y`` and ``groups``
        are passed to its ``split``), or an
        iterable of ``(train, test)`` arrays of row positions.
    repeats : int, default=1
        Number of times the k-fold split of an integer ``cv`` is repeated
        with different shuffles. Must stay 1 when ``cv`` is a splitter or a
        list of splits (repeat inside it, e.g. ``RepeatedStratifiedKFold``).
    groups : array-like of shape (n_samples,), default=None
        The group of every row (a customer, a patient): rows of a group are
        never split between training and validation rows. With an integer
        ``cv``, each repeat uses ``StratifiedGroupKFold(n_splits=cv,
        shuffle=True)`` seeded from ``random_state``. With a splitter or
        given splits, a warning says when a group is on both sides of a
        split.
    scoring : str, default=None
        The metric that ranks the strategies: ``'pr_auc'`` (the default, also
        ``'average_precision'``), ``'roc_auc'``, ``'f1'``, ``'precision'``,
        ``'recall'``, ``'g_mean'``, ``'balanced_accuracy'``, ``'mcc'`` or
        ``'brier'`` (lower is better).
    pos_label : label, default=None
        The rare class whose precision, recall, F1, curves and probability are
        reported; by default the smallest class.
    random_state : int or None, default=0
        Seeds the folds and every sampler built from a name: an integer from
        0 to 2**32 - 1.
    n_jobs : int, default=None
        Fits run in parallel with joblib: a positive number of processes, or
        a negative one as in joblib (``-1`` for all cores, ``-2`` for all but
        one), in at most one process per core and per fit.
        ``None`` runs them one after the other.
    progress : callable, default=None
        Called as ``progress(done, total, description)`` after each fit. When
        the fits run one after the other, a ``progress`` with a method
        ``starting(done, total, description)`` is also told of each fit as
        it begins (``done``: the fits finished before it), so that it can
        show the fit that is running.

    Returns
    -------
    result : ComparisonResult
        ``result.summary`` (a JSON-serialisable dict), ``result.ranking``,
        ``result.recommendation``, ``result.to_json()``,
        ``result.to_html()`` and ``result.save_html(path)``.

    Raises
    ------
    ComparisonInterrupted
        On Ctrl-C (a ``KeyboardInterrupt``) during the fits, once at least
        one strategy has every fold fitted: a ``KeyboardInterrupt`` itself,
        whose ``partial`` attribute holds the comparison of those
        strategies. Before that, the interrupt goes on as it came.

    Notes
    -----
    Metrics are computed on each validation fold and reported as mean and
    standard deviation (``ddof=1``) over the folds: precision, recall and F1
    of the rare class, ROC-AUC and PR-AUC (average precision) of its score,
    G-mean, balanced accuracy, MCC, Brier score of its probability and the
    fit time. With more than two classes, the rare-class metrics take that
    class against the rest, while G-mean, balanced accuracy and MCC cover
    every class. Curves and confusion matrices use the pooled out-of-fold
    predictions of the first folds whose validation rows do not overlap
    (the first repeat of a k-fold split), so the average precision and AUC
    of a curve's legend may differ from the mean over folds in the table.
    A metric undefined on a fold (ROC-AUC and PR-AUC of a validation fold
    without the rare class) is left out of its mean and standard deviation;
    ``n_folds`` of each metric in the summary says over how many folds they
    are, and the table and the report mark a mean over fewer with †.

    Precision is undefined on a fold where the model predicts no row of
    the rare class; it is counted as 0 there, as scikit-learn does, and a
    warning and ``summary['notes']`` say on how many folds of which
    strategies.

    Each strategy is compared with the baseline on the paired per-fold
    differences of every metric with the corrected resampled t-test of
    Nadeau and Bengio (2003): the variance of the differences is multiplied
    by ``1/J + n_test/n_train`` (``J`` folds in total, ``cv * repeats``
    for an integer ``cv``, less the folds where the metric is undefined for
    either strategy and, with ``groups``, the repeats that would give the
    same folds again; ``n_test/n_train`` from the sizes of the actual
    splits: the mean number of validation rows over the mean number of
    training rows), since
    the training sets of the folds overlap, and the statistic is compared
    with Student's t distribution with ``J - 1`` degrees of freedom
    (two-sided). The p-values of the strategies are then corrected with
    Holm's method for the number of strategies compared with the baseline:
    the recommended strategy is the best of many, and the best of many
    looks better than the baseline by chance far more often than 5% of the
    time. A difference is "within noise" when its corrected p-value is
    above 0.05. With few folds (``cv=3``, one repeat) only large, consistent
    gains pass; more repeats give the test more power.

    A strategy that fails on the data (for instance a class too small for
    its neighbours) is reported with its error in ``summary['failed']``
    instead of stopping the comparison, and a ``BalancekitWarning`` names
    it.

    Examples
    --------
    >>> from balancekit.datasets import load_transactions
    >>> from balancekit.evaluation import compare
    >>> X, y = load_transactions(return_X_y=True)
    >>> result = compare(X, y, strategies=["baseline", "class_weight", "smote"])  # doctest: +SKIP
    >>> print(result.recommendation["message"])  # doctest: +SKIP
    >>> result.save_html("report.html")  # doctest: +SKIP
    """
    started = time.perf_counter()
    frame, columns = prepare_table(X)
    y_arr = check_target(y, n_samples=frame.shape[0], purpose="a comparison of strategies")
    _warn_identifiers(frame, columns)
    counts = class_counts(y_arr)
    classes = list(counts)
    warn_if_measurement(counts)
    pos = _check_pos_label(pos_label, counts)
    metric = check_scoring(scoring)
    repeats = check_int("repeats", repeats, min_value=1)
    group_column = getattr(groups, "name", None)  # a table's column, named in the summary
    groups = check_groups(groups, frame.shape[0])
    if random_state is not None and (
        isinstance(random_state, (bool, np.bool_)) or not isinstance(random_state, Integral)
    ):
        raise InvalidParameterTypeError(
            f"random_state must be an integer or None; got {random_state!r}."
        )
    if random_state is not None and not 0 <= random_state <= MAX_SEED:
        raise InvalidParameterError(
            f"random_state={random_state} is out of range; it must be an integer from 0 to "
            f"{MAX_SEED:,} (2**32 - 1), or None."
        )
    cv = 5 if cv is None else cv  # scikit-learn's default number of folds
    folds = make_folds(cv, repeats, y_arr, groups, random_state, X=frame)
    if group_column is not None:
        folds.short = f"{folds.short} by {group_column}"
    if progress is not None and not callable(progress):
        raise InvalidParameterTypeError(
            f"progress must be a callable progress(done, total, description); got {progress!r}."
        )
    if n_jobs is not None:
        n_jobs = check_int("n_jobs", n_jobs)
        if n_jobs == 0:
            raise InvalidParameterError(
                "n_jobs=0 is out of range; use None or 1 for one process, a positive number of "
                "workers, or a negative one as in joblib (-1 for all cores, -2 for all but one)."
            )
    model = make_estimator(estimator, random_state)
    score_method = _check_scores_available(model, metric, scoring)
    if score_method == "decision_function" and len(classes) > 2 and _one_vs_one(model):
        if metric in ("pr_auc", "roc_auc"):
            name = f"scoring={scoring!r}" if scoring is not None else f"the default scoring {metric!r}"
            raise InvalidParameterError(
                f"{name} ranks by a score of the rare class, but {ONE_VS_ONE_WARNING} "
                f"Or rank by a metric of the predicted labels: "
                f"{', '.join(repr(k) for k in LABEL_METRICS)}."
            )
        warnings.warn(ONE_VS_ONE_WARNING, BalancekitWarning, stacklevel=2)
        score_method = None
    weighted = _warn_if_already_balanced(model)
    n_copies, copies_note = _duplicate_rows(frame, y_arr, grouped=groups is not None)
    role = _scored_role(counts, pos)
    _check_rankable(folds, y_arr, pos, metric, scoring, role)
    fold_note = check_fold_classes(folds, y_arr, pos, grouped=groups is not None, role=role)
    scaling = "minmax" if needs_non_negative(model) else "standard"
    specs, skipped = resolve_strategies(strategies, columns, frame.shape[0], random_state)
    unweighted = unweightable(model) if strategies is None else None
    if unweighted is not None:
        # A default that would fail on every fold; named in strategies, it runs and fails.
        specs = [spec for spec in specs if not spec.class_weight]
        skipped.append({"strategy": CLASS_WEIGHT, "reason": (
            f"the model ({type(unweighted).__name__}) has no class_weight parameter and its fit "
            "does not accept sample_weight.")})

    tasks = [
        (spec, index, train, test, folds.where(index), index < folds.pooled,
         folds.where(index, compact=True))
        for spec in specs for index, (train, test) in enumerate(folds.splits)
    ]
    options = {"pos": pos, "scores": score_method is not None, "scaling": scaling}
    limits = 1 if frame.size <= SMALL_TABLE_CELLS else None
    with one_thread() if limits == 1 else contextlib.nullcontext():
        outcomes, stopped = _run(tasks, frame, y_arr, columns, model, options, n_jobs,
                                 progress)
    not_run = []
    if stopped is not None:
        # Interrupted: the strategies whose every fold was fitted are compared; the others
        # are named. Nothing was compared yet: the interrupt goes on as it came.
        not_run = [s.name for s in specs if len(outcomes.get(s.name, [])) < len(folds.splits)]
        specs = [s for s in specs if s.name not in not_run]
        if not specs:
            raise stopped

    strategy_entries = []
    curves = []
    for spec in specs:
        entry, curve = _collect(spec, outcomes.get(spec.name, []), y_arr, classes, pos,
                                len(folds.splits))
        strategy_entries.append(entry)
        if curve is not None:
            curves.append(curve)
    notes = [fold_note] if fold_note else []
    if score_method == "decision_function" and any(
        o.get("pairwise_scores") for runs in outcomes.values() for o in runs
    ):
        warnings.warn(ONE_VS_ONE_WARNING, BalancekitWarning, stacklevel=2)
        score_method = None
    if score_method is None and len(classes) > 2 and _has(model, "decision_function"):
        notes.append(ONE_VS_ONE_WARNING)
    if weighted:
        notes.append(weighted)
    if copies_note:
        notes.append(copies_note)
    failed = _failed_note(strategy_entries)
    if failed:  # not a note: summary['failed'] and the report list them already
        warnings.warn(failed, BalancekitWarning, stacklevel=2)
    lost = _lost_class_note(strategy_entries)
    if lost:
        warnings.warn(lost, BalancekitWarning, stacklevel=2)
        notes.append(lost)
    undefined = _undefined_precision_note(strategy_entries, pos, metric, role)
    if undefined:
        warnings.warn(undefined, BalancekitWarning, stacklevel=2)
        notes.append(undefined)
    if not_run:
        notes.append(
            f"interrupted: {len(specs)} of {len(specs) + len(not_run)} strategies are "
            f"compared, those whose every fold was fitted; not run: {', '.join(not_run)}."
        )
    _compare_with_baseline(strategy_entries, test_fraction=folds.test_fraction)
    ranking = rank_strategies(strategy_entries, metric)
    recommendation = recommend(
        ranking, metric, BASELINE, failed=[e["name"] for e in strategy_entries
                                           if e["status"] == "failed"],
        baseline_weighted=bool(weighted), not_run=not_run,
    )
    # Interrupted: no more fits, so no 2-D view (it fits a sampler on all the rows).
    pca = None
    if stopped is None:
        with one_thread() if limits == 1 else contextlib.nullcontext():
            pca = _pca_view(specs, frame, y_arr, columns, random_state, scaling)

    summary = {
        "kind": "balancekit.comparison",
        "version": _version(),
        "data": _data_overview(frame, columns, y_arr, counts, pos, folds.splits[0][0],
                               n_copies),
        "settings": {
            "estimator": estimator if isinstance(estimator, str) else repr(model),
            "estimator_description": repr(model),
            # The number of folds of an integer cv; None for a splitter or given splits.
            "cv": folds.per_repeat if isinstance(cv, Integral) else None,
            "repeats": repeats,
            "n_folds": len(folds.splits),
            "splitter": folds.description,
            "cv_description": folds.short,
            "groups": groups is not None,
            "groups_column": None if group_column is None else str(group_column),
            # The folds whose out-of-fold predictions make the curves and confusion matrices.
            "pooled": _pooled_description(folds, isinstance(cv, Integral)),
            "n_groups": None if groups is None else int(len(pd.unique(groups))),
            "scoring": metric,
            # Where the rare-class score comes from; None: the model only predicts labels,
            # so ROC-AUC, PR-AUC, the Brier score and the curves are not available.
            "score_method": score_method,
            "pos_label": pos,
            "random_state": random_state,
            "n_jobs": n_jobs,
            "preprocessing": _describe_preprocessing(columns, scaling),
            "noise_rule": NOISE_RULE.format(alpha=ALPHA),
            "noise_test": "corrected resampled t-test (Nadeau and Bengio, 2003), two-sided, "
            "Holm correction for the strategies compared with the baseline",
            "alpha": ALPHA,
        },
        "metrics": [
            {"key": key, "label": label, "higher_is_better": higher,
             "description": text.replace("rare class", role).replace(
                 "rare-class", role.replace(" ", "-"))}
            for key, (label, higher, text) in METRICS.items()
        ],
        "strategies": strategy_entries,
        "ranking": ranking,
        "recommendation": recommendation,
        "skipped": skipped,
        # Caveats of this comparison (also given as warnings), in words.
        "notes": notes,
        "failed": [
            {"strategy": s["name"], "error": s["error"]}
            for s in strategy_entries
            if s["status"] == "failed"
        ],
        "curves": {
            "positive_label": pos,
            "prevalence": float(np.mean(y_arr == pos)),
            "strategies": curves,
        },
        "pca": pca,
        # The strategies left out by an interrupt (see ComparisonInterrupted).
        "not_run": not_run,
        "elapsed_seconds": time.perf_counter() - started,
    }
    result = ComparisonResult(jsonable(summary))
    if stopped is not None:
        raise ComparisonInterrupted(result, not_run) from stopped
    return result


class ComparisonInterrupted(KeyboardInterrupt):
    """Ctrl-C (or another ``KeyboardInterrupt``) during :func:`compare`, once at least
    one strategy has every fold fitted.

    It is a ``KeyboardInterrupt``, so an interrupt still stops the program
    where nothing catches it; the interrupt that stopped the fits is its
    ``__cause__``.

    Attributes
    ----------
    partial : ComparisonResult
        The comparison of the strategies whose every fold was fitted, as
        :func:`compare` would have returned it for those strategies alone
        (without the 2-D view of the synthetic rows); its notes and
        ``summary['not_run']`` name the strategies left out.
    not_run : list of str
        The strategies left out.
    """

    def __init__(self, partial, not_run):
        super().__init__(f"compare was interrupted; not run: {', '.join(not_run)}")
        self.partial = partial
        self.not_run = list(not_run)


#: Why a multiclass one-vs-one decision function gives no ROC-AUC, PR-AUC or curves.
ONE_VS_ONE_WARNING = (
    "the estimator's decision_function is one-vs-one (decision_function_shape='ovo'): on a "
    "multiclass target its columns score pairs of classes, not one class each, so there is no "
    "score of the rare class. ROC-AUC, PR-AUC and the curves are left undefined (NaN). To get "
    "them, give the model probabilities (e.g. CalibratedClassifierCV(SVC(), ensemble=False)) "
    "or a one-vs-rest decision function (decision_function_shape='ovr')."
)
#: Above this many classes, a target of whole numbers may be a measurement (see
#: :func:`warn_if_measurement`).
MANY_CLASSES = 20
#: ... when more than half of its classes each hold less than this share of the rows (with
#: more than 20 classes, most of them do unless a few classes hold most rows).
TINY_CLASS_SHARE = 0.05


def warn_if_measurement(counts):
    """Warn when numeric labels look like a measurement (an age, an amount), not classes.

    The rule: more than :data:`MANY_CLASSES` classes, all of them numbers, and
    more than half of them each holding less than :data:`TINY_CLASS_SHARE`
    of the rows.

    Parameters
    ----------
    counts : dict
        ``{label: number of rows}``.
    """
    labels = list(counts)
    numeric = all(
        isinstance(label, (int, float, np.integer, np.floating))
        and not isinstance(label, (bool, np.bool_))
        for label in labels
    )
    if len(labels) <= MANY_CLASSES or not numeric:
        return
    n = sum(counts.values())
    tiny = sum(1 for c in counts.values() if c < TINY_CLASS_SHARE * n)
    if tiny * 2 <= len(labels):
        return
    warnings.warn(
        f"the target has {len(labels)} classes, numbers from {min(labels)} to {max(labels)}, "
        f"and {tiny} of them each hold less than {TINY_CLASS_SHARE:.0%} of the rows: it looks "
        "like a measurement (an age, an amount), not class labels. Each distinct value is "
        "treated as a class; to predict a category, bin the values into a few classes first.",
        BalancekitWarning,
        stacklevel=3,
    )


def _nested_params(model):
    """Every parameter of ``model`` and of the estimators inside it, ``{name: value}``."""
    try:
        return model.get_params(deep=True)
    except Exception:  # an estimator whose get_params fails: nothing to inspect
        return {}


def _one_vs_one(model):
    """Whether a parameter named ``decision_function_shape`` of ``model`` is ``'ovo'``."""
    return any(
        key.rsplit("__", 1)[-1] == "decision_function_shape" and value == "ovo"
        for key, value in _nested_params(model).items()
    )


def _warn_if_already_balanced(model):
    """Warn when ``model`` reweights or resamples the classes itself; return the text or ''.

    ``'baseline'`` is then the model as given, not training on the data as it is.
    """
    params = _nested_params(model)
    weights = [
        f"{key}={value!r}" for key, value in params.items()
        if key.rsplit("__", 1)[-1] == "class_weight" and value is not None
    ]
    samplers = [
        type(value).__name__ for value in params.values()
        if hasattr(value, "fit_resample") and not isinstance(value, type)
    ]
    if hasattr(model, "fit_resample"):
        samplers.insert(0, type(model).__name__)
    # Balanced ensembles (BalancedRandomForestClassifier, EasyEnsembleClassifier, ...) are no
    # samplers, but resample the training rows of each of their members: a sampling_strategy
    # of an estimator that has no fit_resample.
    for key in params:
        owner = model if "__" not in key else params.get(key.rsplit("__", 1)[0])
        if (key.rsplit("__", 1)[-1] == "sampling_strategy" and owner is not None
                and not hasattr(owner, "fit_resample")):
            samplers.append(type(owner).__name__)
    if not weights and not samplers:
        return ""
    how = " and ".join(
        part for part in (
            f"weights the classes ({', '.join(weights)})" if weights else "",
            f"resamples the data ({', '.join(samplers)})" if samplers else "",
        ) if part
    )
    text = (
        f"the estimator already {how}, so 'baseline' is that balanced model, not a model "
        "trained on the data as it is; the samplers add their balancing on top of it"
        + (", and the 'class_weight' strategy replaces its class weights with 'balanced'"
           if weights else "")
        + ". For an unbalanced reference, pass the estimator without it (e.g. "
        "class_weight=None)."
    )
    warnings.warn(text, BalancekitWarning, stacklevel=3)
    return text


def _pooled_description(folds, k_fold):
    """Which folds' out-of-fold predictions the curves and confusion matrices pool."""
    if k_fold:
        return "the folds of the first repeat"
    n = len(folds.splits)
    if folds.pooled == n:
        return f"the {n} splits"
    return (f"the first {folds.pooled} of the {n} splits (the later ones validate rows "
            "already pooled)")


def _failed_note(entries):
    """Name the strategies that failed, with the first line of each error, or return ''."""
    failed = [e for e in entries if e["status"] == "failed"]
    if not failed:
        return ""
    parts = "; ".join(
        f"{e['name']} ({(str(e['error']).strip().splitlines() or [''])[0]})" for e in failed
    )
    return (f"{len(failed)} of {len(entries)} strategies failed and are left out of the "
            f"ranking: {parts}. summary['failed'] holds each error in full.")


def _lost_class_note(entries):
    """Name the strategies that removed every training row of a class on some folds (their
    model never saw that class there), or return ''."""
    parts = [
        f"{e['name']} (" + ", ".join(
            f"class {lost['label']!r} on {lost['folds']} fold{'s' if lost['folds'] > 1 else ''}"
            for lost in e["lost_class_folds"]) + ")"
        for e in entries if e.get("lost_class_folds")
    ]
    if not parts:
        return ""
    return (
        f"some strategies removed every training row of a class: {'; '.join(parts)}. Their "
        "models never saw that class on those folds and cannot predict it there, which their "
        "scores include; with more data or a smaller cv every class keeps some rows."
    )


def _scored_role(counts, pos):
    """``'rare class'`` when the scored class ``pos`` is (one of) the smallest of ``counts``,
    else ``'positive class'`` (a ``pos_label`` naming a larger class is not the rare one)."""
    return "rare class" if counts[pos] == min(counts.values()) else "positive class"


def _undefined_precision_note(entries, pos, metric, role="rare class"):
    """Say on how many folds of which strategies precision was undefined, or return ''."""
    hit = {e["name"]: e["precision_undefined_folds"] for e in entries
           if e.get("precision_undefined_folds")}
    if not hit:
        return ""
    n_folds = sum(hit.values())
    names = ", ".join(f"{name} ({n})" for name, n in hit.items())
    return (
        f"precision is undefined on {n_folds} fold{'s' if n_folds > 1 else ''} of "
        f"{len(hit)} {'strategies' if len(hit) > 1 else 'strategy'}: the model "
        f"predicted no row of the {role} {pos!r} there (folds per strategy: {names}). "
        "Precision (and F1) is counted as 0 on those folds, as scikit-learn does, which lowers "
        "the mean; "
        + ("rank by another scoring (e.g. 'pr_auc') or look at the recall."
           if metric in ("precision", "f1") else
           f"the ranking by {metric!r} does not use it, but compare precisions with care.")
    )


#: Metrics computed from the predicted labels only (available for any classifier).
LABEL_METRICS = ("f1", "precision", "recall", "g_mean", "balanced_accuracy", "mcc")


def _check_rankable(folds, y, pos, metric, scoring, role):
    """Refuse, before any fit, a ranking by ROC-AUC or PR-AUC when no validation fold holds
    both the scored class ``pos`` and another: the metric is undefined on every fold."""
    if metric not in ("pr_auc", "roc_auc") or any(
            (y[test] == pos).any() and (y[test] != pos).any() for _, test in folds.splits):
        return
    name = f"scoring={scoring!r}" if scoring is not None else f"the default scoring {metric!r}"
    raise InvalidParameterError(
        f"{name} needs validation folds with rows of both the {role} {pos!r} and another "
        f"class, but none of the {len(folds.splits)} folds of cv has both (a leave-one-out "
        "split validates one row at a time), so it is undefined on every fold. Use folds of "
        "several rows of each class (an integer cv), or rank by a metric of the predicted "
        f"labels: {', '.join(repr(k) for k in LABEL_METRICS)}."
    )


def _has(model, method):
    """Whether the unfitted ``model`` offers ``method`` (``available_if`` aware)."""
    try:
        return hasattr(model, method)
    except Exception:  # a property that fails before fit: assume the method is there
        return True


def _check_scores_available(model, metric, scoring):
    """Check that ``model`` gives what the ranking metric needs; return the score method.

    ROC-AUC and PR-AUC need a score of the rare class (``predict_proba`` or
    ``decision_function``), the Brier score a probability (``predict_proba``).
    The other metrics need the predicted labels only. Returns
    ``'predict_proba'``, ``'decision_function'`` or None (labels only: the
    score-based metrics and the curves are then reported as unavailable). A
    model without ``predict`` before it is fitted gets ``'predict_proba'``:
    each fold scores with what the fitted model offers.
    """
    if _has(model, "predict_proba") or not _has(model, "predict"):
        # Without predict, the model's methods are known once it is fitted (a
        # StackingClassifier's are its final estimator's): each fold asks the fitted model.
        return "predict_proba"
    method = "decision_function" if _has(model, "decision_function") else None
    name = f"scoring={scoring!r}" if scoring is not None else f"the default scoring {metric!r}"
    labels_only = ", ".join(repr(k) for k in LABEL_METRICS)
    if metric == "brier":
        other = f"'pr_auc', 'roc_auc', {labels_only}" if method else labels_only
        raise InvalidParameterError(
            f"{name} needs probabilities of the rare class, but the estimator {model!r} has "
            "no predict_proba (a scikit-learn SVC, for one, has none). Give the model "
            "probabilities (e.g. CalibratedClassifierCV(SVC(), ensemble=False)) or rank by "
            f"{other}."
        )
    if method is None and metric in ("pr_auc", "roc_auc"):
        raise InvalidParameterError(
            f"{name} ranks by a score of the rare class, but the estimator {model!r} has "
            "neither predict_proba nor decision_function: it only predicts labels. Rank by a "
            f"metric of the predicted labels instead: {labels_only}."
        )
    return method


def _warn_identifiers(frame, columns):
    """Warn about columns that look like identifiers: text columns of almost one value per
    row, numeric columns of row numbers."""
    if columns.formatted_numbers:
        parts = [f"{name!r} (such as {example!r})"
                 for name, example in columns.formatted_numbers.items()]
        many = len(parts) > 1
        warnings.warn(
            f"the text column{'s' if many else ''} {', '.join(parts)} hold{'' if many else 's'} "
            "numbers written with currency signs, thousands separators or percent signs, "
            f"which compare takes as categories, one column per value. Convert "
            f"{'them' if many else 'it'} to numbers first (in pandas: "
            "column.str.replace(r'[$€£¥%,()]', '', regex=True).astype(float), minding "
            "negative amounts in parentheses).",
            BalancekitWarning,
            stacklevel=3,
        )
    text = [name for name in columns.identifiers if name not in columns.numeric]
    numbers = [name for name in columns.identifiers if name in columns.numeric]
    if text:
        parts = [
            f"{name!r} ({frame[name].nunique():,} distinct values in "
            f"{frame[name].notna().sum():,} rows)"
            for name in text
        ]
        many = len(parts) > 1
        warnings.warn(
            f"the text column{'s' if many else ''} {', '.join(parts)} look{'' if many else 's'} "
            f"like {'identifiers' if many else 'an identifier'}: almost every value is "
            f"distinct, so {'they' if many else 'it'} cannot help a model predict rows it has "
            f"not seen. Drop {'them' if many else 'it'} from X. Only the {MAX_CATEGORIES - 1} "
            "most frequent values of a text column are one-hot encoded; the others share one "
            "column.",
            BalancekitWarning,
            stacklevel=3,
        )
    if numbers:
        many = len(numbers) > 1
        warnings.warn(
            f"the numeric column{'s' if many else ''} {', '.join(map(repr, numbers))} "
            f"number{'' if many else 's'} the rows (distinct consecutive integers, such as the "
            "index pandas writes with to_csv): a model learns the order of the table from "
            f"{'them' if many else 'it'}, which gives the labels away when the rows are sorted "
            f"by class, and nothing about new rows. Drop {'them' if many else 'it'} from X.",
            BalancekitWarning,
            stacklevel=3,
        )


#: Warn when at least this share of the rows repeat an earlier row, label included.
DUPLICATE_SHARE = 0.01


def _duplicate_rows(frame, y, *, grouped):
    """The number of rows that repeat an earlier row exactly, label included, and the
    warning given (also a note of the summary) when they are at least
    ``DUPLICATE_SHARE`` of the rows and no groups keep the copies together."""
    n_copies = int(frame.assign(**{free_name(frame.columns): y}).duplicated().sum())
    if grouped or n_copies == 0 or n_copies < DUPLICATE_SHARE * frame.shape[0]:
        return n_copies, ""
    note = (
        f"{n_copies:,} of the {frame.shape[0]:,} rows ({n_copies / frame.shape[0]:.1%}) repeat "
        "an earlier row exactly, label included: a copy in a validation fold whose twin is in "
        "the training fold is a row the model has seen, which inflates every score. Drop the "
        "copies first (pandas' drop_duplicates), or keep them on one side of every split with "
        "groups."
    )
    warnings.warn(note, BalancekitWarning, stacklevel=3)
    return n_copies, note


def _data_overview(frame, columns, y, counts, pos, first_train, n_copies):
    """The ``'data'`` part of the summary."""
    n_rows = frame.shape[0]
    return {
        "n_rows": int(n_rows),
        "n_columns": int(frame.shape[1]),
        "numeric_columns": list(columns.numeric),
        "categorical_columns": list(columns.categorical),
        "identifier_columns": list(columns.identifiers),
        "missing_values": {name: int(n) for name, n in frame.isna().sum().items() if int(n) > 0},
        "duplicate_rows": n_copies,
        "classes": [
            {"label": label, "count": n, "share": n / n_rows} for label, n in counts.items()
        ],
        "positive_label": pos,
        # Whether pos is the (or a) smallest class: the reports call it the rare class then.
        "positive_is_rare": _scored_role(counts, pos) == "rare class",
        # Class counts of the first training fold, before any resampling.
        "train_fold_counts": [int(np.count_nonzero(y[first_train] == c)) for c in counts],
        "imbalance_ratio": max(counts.values()) / min(counts.values()),
    }


def _version():
    from .. import __version__

    return __version__


def _check_pos_label(pos_label, counts):
    if pos_label is None:
        return rare_class(counts)
    for label in counts:
        if label == pos_label:
            return label
    if isinstance(pos_label, str):  # typed on a command line: '1' for the integer label 1
        matches = [label for label in counts if str(label) == pos_label]
        if len(matches) == 1:
            return matches[0]
    raise InvalidParameterError(
        f"pos_label={pos_label!r} is not a class of y; the classes are "
        f"{', '.join(repr(c) for c in counts)}."
    )


def _describe_preprocessing(columns, scaling="standard"):
    parts = []
    if columns.numeric:
        scaled = ("min-max scaling to [0, 1] (the model needs non-negative input)"
                  if scaling == "minmax" else "standard scaling")
        parts.append(f"{len(columns.numeric)} numeric columns: median imputation, {scaled}")
    if columns.categorical:
        parts.append(
            f"{len(columns.categorical)} categorical columns: most frequent imputation, one-hot "
            f"encoding (a column of more than {MAX_CATEGORIES} values: its "
            f"{MAX_CATEGORIES - 1} most frequent, the others pooled), after SMOTENC/SMOTEN, which "
            "see the categories"
        )
    return "; ".join(parts)


# ----------------------------------------------------------------------------------------------
# Running the fits
# ----------------------------------------------------------------------------------------------


def _run(tasks, frame, y, columns, model, options, n_jobs, progress):
    """Run every (strategy, fold) fit.

    Returns ``{strategy name: [fold outcome, ...]}`` and ``None``, or, when a
    ``KeyboardInterrupt`` stops the fits, the outcomes so far and that interrupt.
    """
    outcomes = {}
    try:
        _run_fits(tasks, frame, y, columns, model, options, n_jobs, progress, outcomes)
    except KeyboardInterrupt as exc:
        return outcomes, exc
    return outcomes, None


def _run_fits(tasks, frame, y, columns, model, options, n_jobs, progress, outcomes):
    """The fits of :func:`_run`, each outcome added to ``outcomes`` as it comes."""
    total = len(tasks)
    if n_jobs is not None:
        from joblib import cpu_count

        # At most one process per core and per fit: more only add start-up time and memory.
        # Negative counts as in joblib: -1 is every core, -2 all but one, ...
        n_jobs = min(max(1, cpu_count() + 1 + n_jobs) if n_jobs < 0 else n_jobs, cpu_count(),
                     max(1, total))
    if n_jobs is None or n_jobs == 1:
        failed = set()
        starting = getattr(progress, "starting", None)
        for done, task in enumerate(tasks, start=1):
            spec, index = task[0], task[1]
            if starting is not None and spec.name not in failed:
                starting(done - 1, total, f"{spec.name}: {task[6]}")
            if spec.name in failed:
                # The strategy already failed on an earlier fold; the others would fail alike.
                outcome = {"name": spec.name, "fold": index, "error": None, "not_run": True}
            else:
                outcome = _fit_fold(*task[:6], frame, y, columns, model, options)
                if outcome["error"] is not None:
                    failed.add(spec.name)
            outcomes.setdefault(spec.name, []).append(outcome)
            _report(progress, done, total, spec.name, task[6])
        return
    from joblib import Parallel, delayed

    where = {(task[0].name, task[1]): task[6] for task in tasks}
    jobs = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
        delayed(_fit_fold)(*task[:6], frame, y, columns, model, options) for task in tasks
    )
    try:
        for done, outcome in enumerate(jobs, start=1):
            outcomes.setdefault(outcome["name"], []).append(outcome)
            _report(progress, done, total, outcome["name"],
                    where[outcome["name"], outcome["fold"]])
    except KeyboardInterrupt:
        # The pending fits are cancelled now, without joblib's warning that some finished
        # fits were not used: an interrupt leaves them out on purpose.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            jobs.close()
        raise


def _report(progress, done, total, name, where):
    if progress is not None:
        progress(done, total, f"{name}: {where}")


def _fit_fold(spec, index, train, test, where, pooled, frame, y, columns, model, options):
    """Fit one strategy on one training fold and score it on the validation fold."""
    # Warnings are recorded per fit in the main thread only: the warnings filters are
    # process-wide, so a thread-based joblib back end must leave them alone.
    record = threading.current_thread() is threading.main_thread()
    context = warnings.catch_warnings(record=True) if record else contextlib.nullcontext([])
    with context as caught:
        if record:
            warnings.simplefilter("always")
        outcome = _fit_fold_unguarded(spec, index, train, test, where, pooled, frame, y,
                                      columns, model, options)
    # On a validation fold without the rare class, scikit-learn's metrics warn about what
    # the fold note of the summary already says, once per strategy: left out. So is a
    # sampler's warning about a class it removed, which lost_class_folds and a note say.
    explained = not np.any(y[test] == options["pos"])
    outcome["warnings"] = [f"{w.category.__name__}: {w.message}" for w in caught
                           if not (explained and _about_a_fold_without_the_class(w))
                           and not (outcome.get("lost_classes")
                                    and LOST_CLASS_WARNING in str(w.message))]
    return outcome


#: The starts of scikit-learn's metric warnings on labels of one class.
ONE_CLASS_METRIC_WARNINGS = ("y_pred contains classes not in y_true",
                             "A single label was found in 'y_true' and 'y_pred'",
                             "No positive class found in y_true",
                             "No positive samples in y_true",
                             "Only one class is present in y_true")


def _about_a_fold_without_the_class(caught):
    """Whether the recorded warning ``caught`` is a metric's about labels of one class."""
    return (issubclass(caught.category, UndefinedMetricWarning)
            or str(caught.message).startswith(ONE_CLASS_METRIC_WARNINGS))


def _fit_fold_unguarded(spec, index, train, test, where, pooled, frame, y, columns, model,
                        options):
    pos, scaling = options["pos"], options["scaling"]
    outcome = {"name": spec.name, "fold": index, "error": None}
    X_train, X_test = frame.iloc[train], frame.iloc[test]
    y_train, y_test = y[train], y[test]
    try:
        pipeline, sampler_step = build_pipeline(spec, columns, model, scaling=scaling,
                                                count_classes=index == 0)
        start = time.perf_counter()
        pipeline.fit(X_train, y_train)
        fit_time = time.perf_counter() - start
        y_pred, score, proba = _predict(pipeline, X_test, pos, scores=options["scores"])
        if score is _PAIRWISE:
            outcome["pairwise_scores"] = True
            score = None
        outcome["metrics"] = fold_metrics(y_test, y_pred, score, proba, pos)
        outcome["metrics"]["fit_time"] = fit_time
        outcome["precision_undefined"] = not np.any(np.asarray(y_pred) == pos)
        outcome["lost_classes"] = _lost_classes(pipeline, sampler_step, y_train)
        if pooled:  # validation rows not seen by an earlier fold: pooled predictions
            outcome["test"] = test
            outcome["pred"] = y_pred
            outcome["score"] = score
        if index == 0:
            outcome["counts_after"] = _counts_after(pipeline, y_train)
    except Exception as exc:  # a strategy that cannot run on this data is reported
        outcome["error"] = _lost_class_error(spec, where, columns, model, X_train, y_train,
                                             scaling)
        if outcome["error"] is None:
            outcome["error"] = f"{type(exc).__name__}: {exc} (on {where})"
            if "column" in str(exc).lower() and spec.sampler is None:
                outcome["error"] += (
                    " The model receives compare's preprocessed table: numeric columns under "
                    "their own names, categorical columns one-hot encoded as "
                    "cat__<column>_<value>."
                )
    return outcome


def _lost_classes(pipeline, sampler_step, y_train):
    """The classes of ``y_train`` that the fitted sampler of ``pipeline`` kept no row of
    (known from its ``sample_indices_``: under-samplers and cleaning rules)."""
    if sampler_step is None:
        return []
    kept = getattr(pipeline.steps[sampler_step][1], "sample_indices_", None)
    if kept is None:
        return []
    left = set(unique_labels(y_train[kept]).tolist())
    return [label for label in unique_labels(y_train).tolist() if label not in left]


def _lost_class_error(spec, where, columns, model, X_train, y_train, scaling="standard"):
    """Explain a failed fit whose sampler removed a whole class, or return None.

    A cleaning rule or an under-sampler can remove every row of a class from a
    small training fold; the model then fails with an error about its own
    input (scikit-learn's "needs samples of at least 2 classes"), which does
    not say why. The sampler is replayed on the same training rows to check.
    """
    if spec.sampler is None:
        return None
    try:
        pipeline, sampler_step = build_pipeline(spec, columns, model, scaling=scaling)
        Xt = X_train
        for _, step in pipeline.steps[:sampler_step]:
            Xt = step.fit_transform(Xt, y_train)
        _, y_res = pipeline.steps[sampler_step][1].fit_resample(Xt, y_train)
    except Exception:  # the sampler itself failed: its own error says why
        return None
    before = class_counts(y_train)
    after = class_counts(np.asarray(y_res))
    lost = [label for label in before if after.get(label, 0) == 0]
    if not lost:
        return None
    names = " and ".join(f"class {label!r} ({before[label]} rows)" for label in lost)
    left = [label for label in after if after[label] > 0]
    if len(left) == 1:
        consequence = (
            f"only class {left[0]!r} is left, and the model cannot be trained on a single class"
        )
    else:
        consequence = "the model never saw it, so it cannot predict or score it"
    return (
        f"{spec.name} removed every row of {names} from the training rows of {where}: "
        f"{consequence}. The data is too small for this strategy; use more data, a smaller "
        "cv, or another strategy."
    )


#: Returned by :func:`_predict` as the score of a decision function with a column per pair of
#: classes (one-vs-one), which has no score per class.
_PAIRWISE = "pairwise"


def _predict(pipeline, X_test, pos, *, scores=True):
    """Predicted labels, the score of ``pos`` and its probability.

    The probability is None without ``predict_proba``; the score is None when
    the model has neither ``predict_proba`` nor ``decision_function`` or when
    ``scores`` is False, and :data:`_PAIRWISE` when the decision function
    does not have one column per class (one-vs-one on 3 or more classes).
    """
    y_pred = pipeline.predict(X_test)
    classes = list(pipeline.classes_)
    column = classes.index(pos)
    if hasattr(pipeline, "predict_proba"):
        proba = pipeline.predict_proba(X_test)[:, column]
        return y_pred, proba, proba
    if not scores or not hasattr(pipeline, "decision_function"):
        return y_pred, None, None
    decision = np.asarray(pipeline.decision_function(X_test))
    if decision.ndim == 1:
        score = decision if column == 1 else -decision
    elif decision.shape[1] != len(classes):
        score = _PAIRWISE
    else:
        score = decision[:, column]
    return y_pred, score, None


def fold_metrics(y_true, y_pred, score, proba, pos):
    """The metrics of one validation fold.

    Parameters
    ----------
    y_true, y_pred : ndarray of shape (n_samples,)
        True and predicted labels.
    score : ndarray of shape (n_samples,) or None
        The score of the positive class (probability or decision value);
        None when the model only predicts labels.
    proba : ndarray of shape (n_samples,) or None
        The probability of the positive class, when the model has one.
    pos : label
        The positive (rare) class.

    Returns
    -------
    metrics : dict
        Every key of :data:`METRICS` but ``fit_time``; NaN where undefined.
    """
    p, r, f, _ = precision_recall_fscore_support(
        y_true, y_pred, labels=[pos], average=None, zero_division=0.0
    )
    y_bin = y_true == pos
    both = 0 < y_bin.sum() < y_bin.size
    scored = both and score is not None
    return {
        "pr_auc": float(average_precision_score(y_bin, score)) if scored else np.nan,
        "roc_auc": float(roc_auc_score(y_bin, score)) if scored else np.nan,
        "precision": float(p[0]),
        "recall": float(r[0]),
        "f1": float(f[0]),
        # Over the classes of the fold, as the balanced accuracy: a class only predicted
        # there has no recall to multiply. The rare class stays in: a fold without it
        # scores 0 for every strategy (noted), not the recall of the others.
        "g_mean": float(geometric_mean_score(
            y_true, y_pred, labels=np.union1d(np.unique(y_true), [pos]))),
        "balanced_accuracy": float(balanced_accuracy_score(y_true, y_pred)),
        "mcc": float(matthews_corrcoef(y_true, y_pred)),
        "brier": float(brier_score_loss(y_bin, proba)) if proba is not None else np.nan,
    }


def _counts_after(pipeline, y_train):
    """Class counts of the training data the model saw (after the sampler), first fold only:
    recorded by the pipeline's :class:`ClassCounter` during its fit, so that they travel
    back with the fold's results (also from a joblib process) at no extra fit."""
    counter = next((step for _, step in pipeline.steps if isinstance(step, ClassCounter)), None)
    return class_counts(y_train) if counter is None else counter.counts_


# ----------------------------------------------------------------------------------------------
# Collecting results
# ----------------------------------------------------------------------------------------------


def _collect(spec, outcomes, y, classes, pos, n_folds):
    """The summary entry of one strategy, and its curves (None when it failed)."""
    outcomes = sorted(outcomes, key=lambda o: o["fold"])
    entry = {
        "name": spec.name,
        "description": spec.description,
        "kind": _kind(spec),
        "status": "ok",
        "error": None,
        "warnings": _unique_warnings(outcomes),
        "metrics": {},
        "class_counts_after": None,
        # Set below and by _compare_with_baseline for a strategy that ran; null if it failed.
        "precision_undefined_folds": None,
        "lost_class_folds": None,
        "vs_baseline": None,
    }
    errors = [o["error"] for o in outcomes if o.get("error")]
    if errors or len(outcomes) < n_folds:
        entry["status"] = "failed"
        entry["error"] = errors[0] if errors else "the strategy did not run on every fold"
        return entry, None
    entry["precision_undefined_folds"] = sum(bool(o.get("precision_undefined"))
                                             for o in outcomes)
    lost = Counter(label for o in outcomes for label in o.get("lost_classes", []))
    entry["lost_class_folds"] = [{"label": label, "folds": n} for label, n in lost.items()]
    for key in METRICS:
        values = np.array([o["metrics"][key] for o in outcomes], dtype=np.float64)
        finite = values[np.isfinite(values)]
        entry["metrics"][key] = {
            "mean": float(finite.mean()) if finite.size else None,
            "std": float(finite.std(ddof=1)) if finite.size > 1 else None,
            "folds": values.tolist(),
            # The folds the mean and std are over: those where the metric is defined.
            "n_folds": int(finite.size),
        }
    first = outcomes[0]
    after = first["counts_after"]
    entry["class_counts_after"] = [after.get(c, 0) for c in classes]

    pooled = [o for o in outcomes if "test" in o]
    test = np.concatenate([o["test"] for o in pooled])
    pred = np.concatenate([np.asarray(o["pred"]) for o in pooled])
    y_true = y[test]
    y_bin = y_true == pos
    # No curves for a model that only predicts labels (None: not available).
    pr = roc = None
    if all(o["score"] is not None for o in pooled):
        score = np.concatenate([o["score"] for o in pooled])
        precision, recall, _ = precision_recall_curve(y_bin, score)
        fpr, tpr, _ = roc_curve(y_bin, score)
        pr = {
            "recall": _thin(recall),
            "precision": _thin(precision),
            "average_precision": float(average_precision_score(y_bin, score)),
        }
        roc = {"fpr": _thin(fpr), "tpr": _thin(tpr), "auc": float(roc_auc_score(y_bin, score))}
    curve = {
        "strategy": spec.name,
        "pr": pr,
        "roc": roc,
        "confusion": {
            "labels": classes,
            "matrix": confusion_matrix(y_true, pred, labels=classes).tolist(),
        },
    }
    return entry, curve


def _kind(spec):
    if spec.class_weight:
        return "weighting"
    if spec.sampler is None:
        return "none"
    return getattr(spec.sampler, "_sampling_type", "resampling")


def _unique_warnings(outcomes):
    seen = []
    for o in outcomes:
        for text in o.get("warnings", []):
            text = text if len(text) <= 300 else text[:297] + "..."
            if text not in seen:
                seen.append(text)
    return seen[:MAX_WARNINGS]


def _thin(values, limit=MAX_CURVE_POINTS):
    values = np.asarray(values, dtype=np.float64)
    if values.size > limit:
        keep = np.unique(np.linspace(0, values.size - 1, limit).round().astype(int))
        values = values[keep]
    return [round(float(v), 5) for v in values]


def _compare_with_baseline(entries, test_fraction):
    """Add ``vs_baseline`` (paired fold differences, tested) to every strategy that ran.

    Every strategy is tested against the baseline with the corrected
    resampled t-test, then, metric by metric, the p-values of the strategies
    are corrected together for their number with Holm's method.
    """
    base = next((e for e in entries if e["name"] == BASELINE and e["status"] == "ok"), None)
    ran = [e for e in entries if e["status"] == "ok"]
    for entry in ran:
        entry["vs_baseline"] = {}
    if base is None:
        return
    others = [e for e in ran if e is not base]
    for key, (_, higher, _) in METRICS.items():
        if key == "fit_time":
            continue
        results = [
            paired_difference(
                entry["metrics"][key]["folds"],
                base["metrics"][key]["folds"],
                test_fraction=test_fraction,
                higher_is_better=higher,
            )
            for entry in others
        ]
        adjust_for_comparisons(results)
        for entry, result in zip(others, results, strict=True):
            entry["vs_baseline"][key] = result
        # The reference itself: no difference, nothing tested (within_noise None, as the
        # recommendation of the baseline says).
        base["vs_baseline"][key] = {
            "diff": 0.0, "se": 0.0, "t": None, "df": None, "n_folds": None, "p_value": None,
            "p_adjusted": None, "n_comparisons": results[0]["n_comparisons"] if results else 0,
            "within_noise": None,
        }


# ----------------------------------------------------------------------------------------------
# PCA view of synthetic rows
# ----------------------------------------------------------------------------------------------


def _pca_view(specs, frame, y, columns, random_state, scaling="standard"):
    """Original vs SMOTE rows in the first two principal components of the preprocessed data."""
    spec = next((s for s in specs if s.name == "smote" and s.sampler is not None), None)
    if spec is None:
        spec = next((s for s in specs if is_smote_family(s.sampler) or s.layout == "categorical"),
                    None)
    if spec is None:
        return None
    from sklearn.base import clone

    view = {"strategy": spec.name, "sampler": spec.description}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if spec.layout == "categorical":
                pre = make_preprocessor(columns, encode=False, scaling=scaling)
                X_pre = pre.fit_transform(frame)
                X_res, y_res = clone(spec.sampler).fit_resample(X_pre, y)
                encoder = make_encoder(columns).fit(X_pre)
                Z_orig = np.asarray(encoder.transform(X_pre), dtype=np.float64)
                Z_all = np.asarray(encoder.transform(X_res), dtype=np.float64)
            else:
                pre = make_preprocessor(columns, encode=True, scaling=scaling)
                X_pre = pre.fit_transform(frame)
                X_res, y_res = clone(spec.sampler).fit_resample(X_pre, y)
                Z_orig = np.asarray(X_pre, dtype=np.float64)
                Z_all = np.asarray(X_res, dtype=np.float64)
    except Exception as exc:  # the view is an extra; its failure is reported, not raised
        view["error"] = f"{type(exc).__name__}: {exc}"
        return view
    n = Z_orig.shape[0]
    y_res = np.asarray(y_res)
    if Z_all.shape[0] < n or Z_orig.shape[1] < 2:
        view["error"] = "the sampler did not keep the original rows first, or there is 1 column"
        return view
    if not np.any(np.ptp(Z_orig, axis=0) > 0):
        view["error"] = (
            "the preprocessed features have no variance (every column is constant), so there "
            "is no direction to project the rows on"
        )
        return view
    # Over-samplers of the SMOTE family keep the original rows first and append new ones.
    Z_syn, y_syn = Z_all[n:], y_res[n:]
    pca = PCA(n_components=2, random_state=random_state).fit(Z_orig)
    P_orig, P_syn = pca.transform(Z_orig), pca.transform(Z_syn) if len(Z_syn) else None
    rng = check_random_state(random_state)
    groups = []
    for label in unique_labels(y):
        for kind, P, labels in (("original", P_orig, y), ("synthetic", P_syn, y_syn)):
            if P is None:
                continue
            rows = np.flatnonzero(labels == label)
            if rows.size == 0:
                continue
            total = rows.size
            if rows.size > MAX_PCA_POINTS:
                rows = np.sort(rng.choice(rows, MAX_PCA_POINTS, replace=False))
            groups.append(
                {
                    "label": label,
                    "kind": kind,
                    "n": int(total),
                    "shown": int(rows.size),
                    "x": np.round(P[rows, 0], 4).tolist(),
                    "y": np.round(P[rows, 1], 4).tolist(),
                }
            )
    view.update(
        {
            "explained_variance": pca.explained_variance_ratio_.tolist(),
            "n_original": int(n),
            "n_synthetic": int(Z_syn.shape[0]),
            "groups": groups,
        }
    )
    return view
