"""The strategies a comparison runs, and the leakage-safe pipeline around each one.

A strategy is "how the training data is balanced": not at all (``'baseline'``),
by class weights (``'class_weight'``) or by a sampler. Each one becomes a
:func:`balancekit.pipeline.make_pipeline` of a preprocessor, the sampler and
the model, so the sampler only ever sees the training rows of a fold.

Two layouts are used:

``encoded``
    preprocessor (numeric: median imputation and scaling, the columns keep
    their names; categorical: most frequent imputation and one-hot encoding) -> sampler -> model. Every
    sampler but SMOTENC and SMOTEN runs here, on finite numbers.
``categorical``
    preprocessor (numeric: imputation and scaling; categorical: imputation
    only, the columns stay categorical) -> SMOTENC or SMOTEN -> one-hot
    encoding -> model, so synthetic categorical values are real categories.
"""

import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline as make_sklearn_pipeline
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, StandardScaler

from .. import _frames
from .._registry import available_samplers, snake_case
from .._strategy import class_counts
from .._validation import check_classifier_object, not_categories
from ..exceptions import DataError, InvalidParameterError, InvalidParameterTypeError

BASELINE = "baseline"
CLASS_WEIGHT = "class_weight"
#: Strategies every default comparison starts with, in this order.
CORE_STRATEGIES = (BASELINE, CLASS_WEIGHT, "random_over", "random_under", "smote")
#: Samplers that ``'smote'`` becomes on categorical data; not run on their own by default.
SMOTE_VARIANTS = ("smotenc", "smoten")
#: Registered samplers that are never part of the default set, and why.
NOT_DEFAULT = {
    "function_sampler": "it needs a user-supplied function",
}
#: Samplers too slow for large data: name -> (largest number of rows run by default with up to
#: ``SLOW_WIDTH`` columns, why). Wider tables get fewer rows (see :func:`slow_rows_limit`).
SLOW_WIDTH = 20
SLOW_SAMPLERS = {
    "condensed_nearest_neighbour": (
        3_000,
        "its condensing pass classifies every row with a 1-nearest-neighbour rule, "
        "again and again until nothing changes",
    ),
    "instance_hardness_threshold": (
        3_000,
        "it cross-validates a classifier inside every training fold",
    ),
    "svm_smote": (
        20_000,
        "it fits a support vector machine inside every training fold",
    ),
    "cluster_centroids": (
        50_000,
        "it runs k-means with as many clusters as the minority class has rows",
    ),
    # Both clean after SMOTE, when the classes are equal: the nearest row of the other class
    # of every row takes about n^2 / 4 pairs. On 284,807 rows x 30 columns (a card-fraud
    # table), 5-fold compare took 43 s (smote_enn) and 35 s (smote_tomek) per fold, 383 s of
    # its 605; about 7 s per fold at this limit.
    "smote_enn": (
        150_000,
        "its cleaning pass after SMOTE compares every row with every row of the other class, "
        "which SMOTE has made as large",
    ),
    "smote_tomek": (
        150_000,
        "its Tomek-link pass after SMOTE searches the nearest row of the other class for every "
        "row, which SMOTE has made as large",
    ),
}
ESTIMATORS = ("logistic", "hgb")
#: The most one-hot columns a categorical column is encoded into: its most frequent values
#: get one each, the rest share one "infrequent" column (scikit-learn's ``max_categories``).
#: A column with at most this many values is encoded exactly as with plain one-hot encoding.
MAX_CATEGORIES = 100
#: A text column is reported as an identifier when at least this share of its values are
#: distinct and it has more than ``ID_LIKE_MIN_VALUES`` of them.
ID_LIKE_SHARE = 0.9
ID_LIKE_MIN_VALUES = 50


@dataclass
class Columns:
    """The prepared table's column roles."""

    numeric: list = field(default_factory=list)
    categorical: list = field(default_factory=list)
    #: Columns that look like identifiers: categorical ones of almost one value per row,
    #: numeric ones of row numbers (distinct consecutive integers).
    identifiers: list = field(default_factory=list)
    #: Text columns of numbers written with currency signs, thousands separators or
    #: percent signs ('$1,200', '12%'), with an example value of each.
    formatted_numbers: dict = field(default_factory=dict)

    @property
    def all_categorical(self):
        return bool(self.categorical) and not self.numeric

    @property
    def one_hot_prefix(self):
        """The prefix of the one-hot columns' names: ``cat``, or ``cat1``, ``cat2``, ...
        where numeric columns' names start with ``cat__`` (a table saved from a
        scikit-learn ``ColumnTransformer``), so that no name is taken twice."""
        taken = {str(name).split("__", 1)[0] for name in self.numeric if "__" in str(name)}
        return next(prefix for prefix in ("cat", *(f"cat{i}" for i in range(1, len(taken) + 2)))
                    if prefix not in taken)


@dataclass
class StrategySpec:
    """One strategy of a comparison.

    Attributes
    ----------
    name : str
        The name shown in results.
    sampler : sampler or None
        The unfitted sampler (cloned for every fold), or None.
    class_weight : bool
        Whether the model is fitted with balanced class weights.
    layout : {'encoded', 'categorical'}
        Where the sampler sits; see the module docstring.
    description : str
        A short, human-readable description.
    """

    name: str
    sampler: object = None
    class_weight: bool = False
    layout: str = "encoded"
    description: str = ""


# ----------------------------------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------------------------------


def prepare_table(X):
    """Return ``X`` as a pandas DataFrame and its column roles.

    DataFrames (pandas, polars, any narwhals-supported frame) keep their
    columns: numbers and booleans are numeric, categories and strings are
    categorical. Arrays are treated as all numeric, with columns named
    ``x0, x1, ...``.

    Parameters
    ----------
    X : array-like or dataframe of shape (n_samples, n_features)
        The features.

    Returns
    -------
    frame : pandas.DataFrame
        A copy with a fresh ``RangeIndex``, string column names, booleans and
        nullable numbers as float64.
    columns : Columns
        The numeric and categorical column names.
    """
    if X is None:
        raise DataError("X is required: pass the features as a 2-D array or dataframe.")
    if hasattr(X, "tocsr"):
        raise DataError(
            "compare needs a dense table; got a sparse matrix. Convert it with X.toarray() "
            "or pass a DataFrame."
        )
    frame = _frames.as_frame(X)
    if frame is not None:
        df = frame.to_pandas()
    else:
        arr = np.asarray(X)
        if arr.ndim != 2:
            raise DataError(
                f"X must be 2-D (n_samples, n_features); got an array of shape {arr.shape}."
            )
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            raise DataError(
                "X is an array holding values that are not numbers; arrays are treated as all "
                "numeric. Pass a pandas or polars DataFrame so that text and categorical columns "
                "are recognised."
            ) from None
        df = pd.DataFrame(arr, columns=[f"x{j}" for j in range(arr.shape[1])])
    if df.shape[0] == 0 or df.shape[1] == 0:
        raise DataError(f"X is empty: it has {df.shape[0]} rows and {df.shape[1]} columns.")
    names = [str(c) for c in df.columns]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise DataError(
            f"X has duplicated column names {', '.join(map(repr, duplicated[:5]))}; "
            "rename them so that every column can be told apart."
        )
    df = df.set_axis(names, axis=1).reset_index(drop=True)
    columns = Columns()
    converted = {}
    for name in names:
        series = df[name]
        dtype = series.dtype
        if pd.api.types.is_object_dtype(dtype) and pd.api.types.infer_dtype(
                series, skipna=True) == "decimal":
            series = series.astype("float64")  # decimal.Decimal amounts are numbers
            dtype = series.dtype
        if (pd.api.types.is_datetime64_any_dtype(dtype)
                or pd.api.types.is_timedelta64_dtype(dtype)
                or _frames.object_number_kind(df, name) == "temporal"):
            raise DataError("compare cannot use every column: "
                            + _frames.temporal_advice({name: "temporal"}, [name]))
        if pd.api.types.is_bool_dtype(dtype) or (
            pd.api.types.is_numeric_dtype(dtype) and not isinstance(dtype, pd.CategoricalDtype)
        ):
            values = series.astype("float64")
            if np.isinf(values.to_numpy()).any():
                raise DataError(
                    f"column {name!r} holds infinite values; replace them (for instance by NaN, "
                    "which is imputed) before comparing strategies."
                )
            _check_scalable(name, values)
            converted[name] = values
            columns.numeric.append(name)
            if _numbers_the_rows(values):
                columns.identifiers.append(name)
        elif (
            isinstance(dtype, pd.CategoricalDtype)
            or pd.api.types.is_object_dtype(dtype)
            or pd.api.types.is_string_dtype(dtype)
        ):
            values = series.astype(object).where(series.notna(), np.nan)
            n_present = int(values.notna().sum())
            try:
                distinct = pd.unique(values.dropna())  # one hash pass for both checks below
            except TypeError:  # values that cannot be hashed: lists, arrays, mappings
                raise DataError(not_categories(name, series)) from None
            identifier = _looks_like_identifier(len(distinct), n_present)
            if pd.api.types.infer_dtype(values, skipna=True) in ("mixed", "mixed-integer"):
                # Numbers and text in one column (codes such as 7 and 'A'): all as text, as
                # the encoders need one kind of value.
                values = values.map(str, na_action="ignore")
                distinct = np.array([str(v) for v in distinct[:_FORMAT_SAMPLE]], dtype=object)
            converted[name] = values
            columns.categorical.append(name)
            example = _formatted_number(distinct)
            if example is not None:  # numbers, not identifiers, whatever their count
                columns.formatted_numbers[name] = example
            elif identifier:
                columns.identifiers.append(name)
        else:
            raise DataError(
                f"column {name!r} has dtype {dtype}, which is neither numeric nor categorical; "
                f"convert it to numbers or categories, or leave it out (on the command line: "
                f"--drop {name})."
            )
    return pd.DataFrame(converted, columns=names), columns


def _check_scalable(name, values):
    """A :class:`DataError` when standardising the column would overflow float64: its
    variance sums the squared deviations of every row (otherwise the scaler turns the
    column into NaN, and every model fails on missing values the data does not have)."""
    largest = float(np.nanmax(np.abs(values.to_numpy()), initial=0.0))
    limit = np.sqrt(np.finfo(np.float64).max / (4.0 * max(1, values.shape[0])))
    if largest > limit:
        raise DataError(
            f"column {name!r} has values as large as {largest:.3g} in absolute value; "
            f"standardising it squares them, which overflows float64 above about {limit:.3g} "
            f"with {values.shape[0]} rows. Scale the column first (e.g. divide it by a power "
            "of ten)."
        )


def _numbers_the_rows(values):
    """Whether a numeric column holds distinct consecutive integers, one per row (such as
    the index pandas writes with ``to_csv``): row numbers, not a property of the rows."""
    n_rows = int(values.count())
    if n_rows <= ID_LIKE_MIN_VALUES or values.max() - values.min() + 1 != n_rows:
        return False  # the cheap test first: only a run of n_rows integers can pass
    present = values.dropna().to_numpy()
    return bool(np.all(present == np.round(present))
                and np.unique(present).shape[0] == n_rows)


#: A number written with a currency sign, thousands separators or a percent sign (and
#: plain numbers, which such a column also holds): '$1,200', '-€3.5', '(45)', '12%'.
_FORMATTED_NUMBER = re.compile(
    r"\s*[-+(]?\s*[$€£¥]?\s*[-+]?(?:\d{1,3}(?:[,']\d{3})+|\d+)(?:\.\d+)?\s*%?\)?\s*")
_NUMBER_MARKS = re.compile(r"[$€£¥%(]|\d[,']\d{3}")


def _formatted_number(distinct):
    """An example value when every one of the ``distinct`` values of a text column (the
    first ``_FORMAT_SAMPLE``) is a number written with currency signs, thousands separators
    or percent signs (some of them at least), else None."""
    present = distinct[:_FORMAT_SAMPLE]
    if not len(present) or not all(isinstance(v, str) for v in present):
        return None
    if not all(_FORMATTED_NUMBER.fullmatch(v) for v in present):
        return None
    return next((v for v in present if _NUMBER_MARKS.search(v)), None)


# Distinct values of a text column looked at for formatted numbers.
_FORMAT_SAMPLE = 1000


def _looks_like_identifier(n_values, n_present):
    """Whether a text column of ``n_values`` distinct values in ``n_present`` filled cells
    holds (almost) one distinct value per row, like an ID."""
    return n_values > ID_LIKE_MIN_VALUES and n_values >= ID_LIKE_SHARE * n_present


# ----------------------------------------------------------------------------------------------
# Pipelines
# ----------------------------------------------------------------------------------------------


def make_preprocessor(columns, *, encode=True, scaling="standard"):
    """The default preprocessing: impute and scale numbers, impute (and encode) categories.

    Parameters
    ----------
    columns : Columns
        The column roles.
    encode : bool, default=True
        One-hot encode the categorical columns (see :func:`make_one_hot`).
        Without encoding they keep their names and their (imputed) values,
        for SMOTENC and SMOTEN.
    scaling : {'standard', 'minmax'}, default='standard'
        How numeric columns are scaled: to zero mean and unit variance, or
        to [0, 1] (values outside the training range are clipped), for
        models that need non-negative input (see :func:`needs_non_negative`).

    Returns
    -------
    preprocessor : sklearn.compose.ColumnTransformer
        An unfitted transformer with pandas output. Numeric columns keep
        their names, so that a model pipeline can select them by name;
        one-hot columns are named ``cat__<column>_<value>``.
    """
    transformers = []
    if columns.numeric:
        scaler = MinMaxScaler(clip=True) if scaling == "minmax" else StandardScaler()
        numeric = make_sklearn_pipeline(
            SimpleImputer(strategy="median", keep_empty_features=True), scaler
        )
        transformers.append(("num", numeric, list(columns.numeric)))
    if columns.categorical:
        steps = [SimpleImputer(strategy="most_frequent", keep_empty_features=True)]
        if encode:
            steps.append(make_one_hot())
        transformers.append((columns.one_hot_prefix, make_sklearn_pipeline(*steps),
                             list(columns.categorical)))
    # Without encoding the output keeps the input's column names (SMOTENC refers to them).
    return ColumnTransformer(
        transformers, remainder="drop",
        verbose_feature_names_out=feature_name if encode else False,
    ).set_output(transform="pandas")


def feature_name(transformer, feature):
    """The output name of a preprocessed column: numeric columns keep their input name.

    Input column names are unique, so numeric names stay unique; one-hot
    columns are prefixed (``cat__city_north``; see :attr:`Columns.one_hot_prefix`)
    so that they cannot take a numeric column's name.
    """
    if transformer in ("num", "remainder"):
        return feature
    return f"{transformer}__{feature}"


def needs_non_negative(model):
    """Whether ``model``, or an estimator inside it, needs non-negative input.

    True when the scikit-learn tags of the model or of any estimator among
    its parameters say ``input_tags.positive_only`` (``MultinomialNB``,
    ``ComplementNB``, ...), or when a parameter is the ``chi2`` score
    function (``SelectKBest(chi2)``).
    """
    from sklearn.feature_selection import chi2
    from sklearn.utils import get_tags

    try:
        params = model.get_params(deep=True)
    except Exception:  # an estimator whose get_params fails: only its own tags count
        params = {}
    for candidate in (model, *params.values()):
        if candidate is chi2:
            return True
        if isinstance(candidate, type) or not hasattr(candidate, "fit"):
            continue
        try:
            if get_tags(candidate).input_tags.positive_only:
                return True
        except Exception:  # an object without usable tags
            continue
    return False


def make_one_hot():
    """The one-hot encoder of categorical columns, of bounded width.

    A column with at most :data:`MAX_CATEGORIES` values gets one column per
    value, and values unseen in training are encoded as all zeros (as with
    ``handle_unknown='ignore'``). A column with more values (an identifier, a
    free-text field) gets one column for each of its ``MAX_CATEGORIES - 1``
    most frequent values and one shared column for all the others, unseen
    values included: the memory and time of a fit stay bounded whatever the
    number of distinct values.
    """
    return OneHotEncoder(
        handle_unknown="infrequent_if_exist", max_categories=MAX_CATEGORIES, sparse_output=False
    )


def make_encoder(columns):
    """One-hot encoding of the categorical columns after SMOTENC/SMOTEN; numbers pass through.

    The model gets the table of :func:`make_preprocessor`: the numeric
    columns first, under their names, then ``cat__<column>_<value>``, so
    that a model selecting columns by name or by position sees the same
    columns in every strategy.
    """
    transformers = []
    if columns.numeric:
        transformers.append(("num", "passthrough", list(columns.numeric)))
    transformers.append((columns.one_hot_prefix, make_one_hot(), list(columns.categorical)))
    return ColumnTransformer(
        transformers, remainder="drop", verbose_feature_names_out=feature_name,
    ).set_output(transform="pandas")


def make_estimator(estimator, random_state):
    """Return an unfitted classifier for ``estimator``.

    ``'logistic'`` is a :class:`~sklearn.linear_model.LogisticRegression`
    (``max_iter=1000``), ``'hgb'`` a
    :class:`~sklearn.ensemble.HistGradientBoostingClassifier`; any object with
    ``fit`` and ``predict`` is cloned.
    """
    if isinstance(estimator, str):
        if estimator == "logistic":
            return LogisticRegression(max_iter=1000)
        if estimator == "hgb":
            return HistGradientBoostingClassifier(random_state=random_state)
        raise InvalidParameterError(
            f"estimator={estimator!r} is not supported; expected 'logistic', 'hgb' or a "
            "scikit-learn classifier object."
        )
    check_classifier_object("estimator", estimator, "'logistic', 'hgb' or a classifier object")
    return clone(estimator)


class ClassCounter(BaseEstimator):
    """A step that passes its input through and records the class counts it is fitted on.

    Placed after the sampler, it sees the resampled training rows, so the
    counts come from the fit itself, with no second fit of the sampler.

    Attributes
    ----------
    counts_ : dict
        ``{label: number of rows}`` of the ``y`` given to :meth:`fit`.
    """

    def fit(self, X, y=None):
        """Record the class counts of ``y``; return self."""
        self.counts_ = class_counts(np.asarray(y))
        return self

    def transform(self, X):
        """Return ``X`` unchanged."""
        return X


def build_pipeline(spec, columns, model, *, scaling="standard", count_classes=False):
    """The leakage-safe pipeline of one strategy.

    Parameters
    ----------
    spec : StrategySpec
        The strategy.
    columns : Columns
        The column roles of the data.
    model : classifier
        The unfitted model (cloned here).
    scaling : {'standard', 'minmax'}, default='standard'
        The scaling of numeric columns (see :func:`make_preprocessor`).
    count_classes : bool, default=False
        Put a :class:`ClassCounter` just before the model of a strategy with
        a sampler, to record the class counts the model is fitted on.

    Returns
    -------
    pipeline : balancekit.pipeline.Pipeline
        preprocessor -> [sampler] -> [one-hot encoding] -> [class counter] ->
        model. The sampler runs in ``fit`` only, on the training rows.
    sampler_step : int or None
        The position of the sampler in the pipeline.
    """
    from ..pipeline import make_pipeline
    from ..weights import WeightedClassifier

    model = clone(model)
    if spec.class_weight:
        model = WeightedClassifier(model, class_weight="balanced")
    if spec.layout == "categorical":
        steps = [make_preprocessor(columns, encode=False, scaling=scaling), clone(spec.sampler)]
        steps.append(make_encoder(columns))
        sampler_step = 1
    else:
        steps = [make_preprocessor(columns, encode=True, scaling=scaling)]
        sampler_step = None
        if spec.sampler is not None:
            sampler_step = len(steps)
            steps.append(clone(spec.sampler))
    if count_classes and sampler_step is not None:
        steps.append(ClassCounter())
    steps.append(model)
    return make_pipeline(*steps), sampler_step


# ----------------------------------------------------------------------------------------------
# Strategy resolution
# ----------------------------------------------------------------------------------------------


def available_strategies():
    """Every strategy name :func:`compare` accepts.

    Returns
    -------
    names : list of str
        ``'baseline'``, ``'class_weight'`` and the snake_case name of every
        registered sampler.
    """
    return [BASELINE, CLASS_WEIGHT, *available_samplers()]


def default_strategies(X=None, y=None):
    """The strategies :func:`compare` runs when none are given.

    ``baseline``, ``class_weight``, ``random_over``, ``random_under`` and
    ``smote`` (SMOTENC on mixed numeric and categorical data, SMOTEN on
    categorical data), then every other registered sampler that suits the
    data.

    Parameters
    ----------
    X : array-like or dataframe, default=None
        The features. Without them, every candidate name is returned.
    y : array-like, default=None
        Unused; accepted for symmetry with :func:`compare`.

    Returns
    -------
    names : list of str
        The strategy names, in the order they are run.
    """
    if X is None:
        registry = available_samplers()
        others = [n for n in registry if n not in CORE_STRATEGIES]
        others = [n for n in others if n not in SMOTE_VARIANTS and n not in NOT_DEFAULT]
        return [*CORE_STRATEGIES, *others]
    frame, columns = prepare_table(X)
    names, _ = _default_names(columns, frame.shape[0])
    return names


def _default_names(columns, n_rows):
    """Default strategy names for the data, and ``[{'strategy', 'reason'}]`` of those skipped."""
    registry = available_samplers()
    n_columns = len(columns.numeric) + len(columns.categorical)
    names = [n for n in CORE_STRATEGIES if n in (BASELINE, CLASS_WEIGHT) or n in registry]
    skipped = []
    for name, cls in registry.items():
        if name in CORE_STRATEGIES or name in SMOTE_VARIANTS:
            continue
        if name in NOT_DEFAULT:
            skipped.append({"strategy": name, "reason": NOT_DEFAULT[name]})
            continue
        if name in SLOW_SAMPLERS and n_rows > slow_rows_limit(name, n_columns):
            limit, why = slow_rows_limit(name, n_columns), SLOW_SAMPLERS[name][1]
            width = (f" of {n_columns:,} columns ({SLOW_SAMPLERS[name][0]:,} of {SLOW_WIDTH})"
                     if n_columns > SLOW_WIDTH else "")
            skipped.append(
                {
                    "strategy": name,
                    "reason": f"slow on large data: {why}. Skipped above {limit:,} rows{width} "
                    f"(this data has {n_rows:,}); name it in strategies to run it anyway.",
                }
            )
            continue
        if columns.all_categorical and _interpolates(cls):
            skipped.append(
                {
                    "strategy": name,
                    "reason": "it interpolates numbers, and every column is categorical "
                    "(smote uses SMOTEN here).",
                }
            )
            continue
        names.append(name)
    return names, skipped


def slow_rows_limit(name, n_columns):
    """The most rows the slow sampler ``name`` runs on by default, for ``n_columns`` columns.

    Up to ``SLOW_WIDTH`` columns it is the limit in ``SLOW_SAMPLERS``; wider tables keep the
    work of that many rows at ``SLOW_WIDTH`` columns. The work grows with rows² x columns
    for the SVM, k-means and nearest-neighbour passes, and with rows x sqrt(columns) for the
    random forest of instance hardness: either way, the limit times sqrt(SLOW_WIDTH /
    columns) rows keeps it (an SVM on 4,100 rows x 300 columns took as long as on 16,000 x
    20: 0.6 s).
    """
    limit = SLOW_SAMPLERS[name][0]
    return int(limit * math.sqrt(SLOW_WIDTH / max(n_columns, SLOW_WIDTH)))


def _interpolates(cls):
    """Whether a sampler class makes synthetic rows from numbers (the SMOTE family)."""
    if snake_case(cls.__name__) in ("smote_enn", "smote_tomek"):
        return True
    numeric = getattr(cls, "_input", "any") == "numeric"
    return numeric and getattr(cls, "_sampling_type", "") == "over-sampling"


def is_smote_family(sampler):
    """Whether ``sampler`` makes synthetic rows by interpolation (SMOTE and its variants)."""
    return sampler is not None and _interpolates(type(sampler))


def resolve_strategies(strategies, columns, n_rows, random_state):
    """Turn the ``strategies`` parameter into a list of :class:`StrategySpec`.

    Parameters
    ----------
    strategies : None or list
        Names, sampler objects or ``(name, sampler)`` pairs; None for the
        defaults. ``'baseline'`` is added first when missing: it is the
        reference every strategy is compared with.
    columns : Columns
        The column roles of the data.
    n_rows : int
        The number of rows.
    random_state : int or None
        Given to every sampler built from a name.

    Returns
    -------
    specs : list of StrategySpec
    skipped : list of dict
        ``{'strategy', 'reason'}`` of the defaults left out for this data.
    """
    skipped = []
    if strategies is None:
        entries, skipped = _default_names(columns, n_rows)
    elif isinstance(strategies, (str, bytes)) or not hasattr(strategies, "__iter__"):
        raise InvalidParameterTypeError(
            "strategies must be None or a list of names, sampler objects or (name, sampler) "
            f"pairs; got {strategies!r}. For a single strategy, pass a list: [{strategies!r}]."
        )
    else:
        entries = list(strategies)
        if not entries:
            raise InvalidParameterError(
                "strategies is empty; pass None for the default set or at least one strategy."
            )
    registry = available_samplers()
    specs = []
    for entry in entries:
        spec = _resolve_entry(entry, columns, registry, random_state, skipped)
        if spec is None:
            continue
        if any(s.name == spec.name for s in specs):
            raise InvalidParameterError(
                f"strategies names {spec.name!r} twice; give each strategy a distinct name with "
                "(name, sampler) pairs."
            )
        specs.append(spec)
    if not any(s.name == BASELINE for s in specs):
        specs.insert(0, _named(BASELINE, columns, registry, random_state, skipped))
    return specs, skipped


def _resolve_entry(entry, columns, registry, random_state, skipped):
    if isinstance(entry, str):
        return _named(entry, columns, registry, random_state, skipped)
    if isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], str):
        name, sampler = entry
        if not name.strip():
            # A blank name would leave the strategy unnamed in the ranking, the terminal
            # table and the report, which would then read as if there were no recommendation.
            raise InvalidParameterError(
                f"strategies: a strategy name must not be empty or blank; got ({name!r}, "
                f"{sampler!r}). Give the strategy a name that says what it is."
            )
        if name == BASELINE and sampler not in (None, BASELINE):
            raise InvalidParameterError(
                f"strategies: the name {BASELINE!r} is the reference without resampling, "
                f"which every strategy is compared with; got ({name!r}, {sampler!r}). Give "
                f"this strategy another name, or pass ({BASELINE!r}, None)."
            )
        if sampler is None:
            return StrategySpec(name, description="no resampling")
        if isinstance(sampler, str):
            spec = _named(sampler, columns, registry, random_state, skipped)
            if spec is not None:
                spec.name = name
            return spec
        return _from_object(name, sampler, columns, skipped)
    if hasattr(entry, "fit_resample"):
        kind = entry if isinstance(entry, type) else type(entry)
        return _from_object(snake_case(kind.__name__), entry, columns, skipped)
    raise InvalidParameterTypeError(
        "each entry of strategies must be a strategy name, a sampler (an object with "
        f"fit_resample) or a (name, sampler) pair; got {entry!r} of type {type(entry).__name__}."
    )


def _with_random_state(sampler, random_state):
    if "random_state" in sampler.get_params(deep=False):
        sampler.set_params(random_state=random_state)
    return sampler


def _named(name, columns, registry, random_state, skipped):
    if name == BASELINE:
        return StrategySpec(BASELINE, description="no resampling")
    if name == CLASS_WEIGHT:
        return StrategySpec(
            CLASS_WEIGHT, class_weight=True, description="balanced class weights, no resampling"
        )
    if name not in registry:
        known = available_strategies()
        raise InvalidParameterError(
            f"strategies: unknown strategy {name!r}; expected one of {', '.join(known)}, a "
            "sampler object or a (name, sampler) pair."
        )
    if name == "smote" and columns.categorical:
        variant = "smoten" if columns.all_categorical else "smotenc"
        if variant in registry:
            sampler = _categorical_sampler(variant, registry, columns, random_state)
            return StrategySpec(
                "smote",
                sampler,
                layout="categorical",
                description=_describe(sampler, columns)
                + " (chosen for the categorical columns)",
            )
    if name in SMOTE_VARIANTS:
        reason = _categorical_unsuitable(name, columns)
        if reason:
            skipped.append({"strategy": name, "reason": reason})
            return None
        sampler = _categorical_sampler(name, registry, columns, random_state)
        return StrategySpec(
            name, sampler, layout="categorical", description=_describe(sampler, columns)
        )
    sampler = _with_random_state(registry[name](), random_state)
    return StrategySpec(name, sampler, description=_describe(sampler, columns))


def _categorical_unsuitable(name, columns):
    if not columns.categorical:
        return f"{name} needs categorical columns, and this data has none (use smote)."
    if name == "smoten" and columns.numeric:
        return "smoten treats every column as categorical, and this data has numeric columns (use smotenc)."
    return None


def _categorical_sampler(name, registry, columns, random_state):
    sampler = _with_random_state(registry[name](), random_state)
    if "categorical_features" in sampler.get_params(deep=False):
        sampler.set_params(categorical_features=list(columns.categorical))
    return sampler


def _from_object(name, sampler, columns, skipped):
    if isinstance(sampler, type):
        raise InvalidParameterTypeError(
            f"strategy {name!r}: got the class {sampler.__name__}, not a sampler object; write "
            f"{sampler.__name__}() instead."
        )
    if not hasattr(sampler, "fit_resample"):
        raise InvalidParameterTypeError(
            f"strategy {name!r}: the sampler must have a fit_resample method; got {sampler!r}."
        )
    if not (hasattr(sampler, "get_params") and hasattr(sampler, "set_params")):
        raise InvalidParameterTypeError(
            f"strategy {name!r}: the sampler {type(sampler).__name__} has fit_resample but no "
            "get_params/set_params; it is cloned for each fold as a scikit-learn estimator, so "
            "it must be one (subclass sklearn.base.BaseEstimator, or wrap a function in "
            "balancekit.FunctionSampler)."
        )
    kind = snake_case(type(sampler).__name__)
    if kind in SMOTE_VARIANTS:
        reason = _categorical_unsuitable(kind, columns)
        if reason:
            skipped.append({"strategy": name, "reason": reason})
            return None
        sampler = clone(sampler)
        if "categorical_features" in sampler.get_params(deep=False):
            # The preprocessor decides the column order; name the columns instead.
            sampler.set_params(categorical_features=list(columns.categorical))
        return StrategySpec(
            name, sampler, layout="categorical", description=_describe(sampler, columns)
        )
    return StrategySpec(name, sampler, description=_describe(sampler, columns))


def _describe(sampler, columns):
    """``SMOTE(k_neighbors=3)``: the class and the parameters that differ from the defaults."""
    params = sampler.get_params(deep=False)
    try:
        defaults = type(sampler)().get_params(deep=False)
    except TypeError:  # a sampler with required parameters
        defaults = {}
    parts = []
    for key, value in params.items():
        if key in ("random_state", "n_jobs"):
            continue
        if key == "categorical_features" and isinstance(value, list):
            shown = ", ".join(map(str, value[:4])) + (", ..." if len(value) > 4 else "")
            parts.append(f"categorical_features=[{shown}]")
        elif key not in defaults or not _same(defaults[key], value):
            parts.append(f"{key}={value!r}")
    return f"{type(sampler).__name__}({', '.join(parts)})"


def _same(a, b):
    try:
        return repr(a) == repr(b) if hasattr(a, "get_params") else bool(a == b)
    except (TypeError, ValueError):
        return False
