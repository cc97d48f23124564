"""Resolve ``sampling_strategy`` into target counts per class.

One pure function, :func:`resolve_sampling_strategy`, gives every sampler the
same reading of the parameter, with the meaning imbalanced-learn gives it.
"""

import math
from collections.abc import Callable, Mapping
from numbers import Integral, Real

import numpy as np

from ._validation import check_target, unique_labels
from .exceptions import InvalidParameterError, InvalidParameterTypeError

SAMPLING_KINDS = ("over-sampling", "under-sampling", "clean-sampling")
STRATEGY_NAMES = ("auto", "minority", "majority", "not minority", "not majority", "all")


def class_counts(y):
    """Return ``{label: count}`` for a 1-D label array, in sorted label order."""
    y = np.asarray(y)
    if y.dtype.kind in "iub" and y.size and y.min() >= 0 and y.max() < 2**20:
        # Small non-negative integer codes: a bincount is several times faster than unique.
        counts = np.bincount(y.astype(np.intp, copy=False))
        labels = np.flatnonzero(counts)
        return {_py(y.dtype.type(label)): int(counts[label]) for label in labels}
    labels, counts = unique_labels(y, return_counts=True)
    return {_py(label): int(count) for label, count in zip(labels, counts, strict=True)}


def rare_class(counts):
    """The rare class of ``{label: count}`` (in sorted label order): the smallest, on ties
    the last label (1 over 0, as scikit-learn's ``pos_label=1``)."""
    smallest = min(counts.values())
    return [label for label, n in counts.items() if n == smallest][-1]


def _py(value):
    """Turn a numpy scalar label into the matching Python scalar."""
    return value.item() if isinstance(value, np.generic) else value


def _ceil4(ratio):
    """A ratio rounded up to 4 decimals, so that the suggestion itself is accepted."""
    return math.ceil(ratio * 10_000) / 10_000


def _fmt(label):
    return repr(label)


def resolve_sampling_strategy(sampling_strategy, y, kind):
    """Turn a ``sampling_strategy`` into the number of samples wanted per class.

    Parameters
    ----------
    sampling_strategy : float, str, dict, list or callable
        What to resample. ``float``: for binary targets only, the ratio
        ``n_minority / n_majority`` wanted after resampling. ``str``: one of
        ``'auto'``, ``'minority'``, ``'majority'``, ``'not minority'``,
        ``'not majority'``, ``'all'``. ``dict``: ``{label: n_samples}`` wanted
        after resampling; classes not named are left alone. ``list``: for
        cleaning rules only, the labels to clean. ``callable``: called with
        ``y``, must return such a dict (for cleaning rules, whose keys are the
        labels to clean, or a list of them).
    y : array-like of shape (n_samples,)
        The target labels.
    kind : {'over-sampling', 'under-sampling', 'clean-sampling'}
        The family of the sampler. ``'auto'`` means ``'not majority'`` for
        over-sampling and ``'not minority'`` otherwise.

    Returns
    -------
    targets : dict
        ``{label: n_samples}``: the count each listed class must have after
        resampling, in sorted label order. Classes not listed are left as
        they are. For cleaning rules the value is the current count, an upper
        bound: the rule decides how many samples it removes.

    Raises
    ------
    InvalidParameterError
        When the strategy is unknown, out of range, names a class that is not
        in ``y``, or asks an over-sampler to shrink (an under-sampler to grow)
        a class.
    DataError
        When ``y`` does not hold one class label per sample, as the samplers
        check it: missing labels, continuous values, a table of several
        columns, or a single class.
    """
    _check_kind(kind)
    return resolve_targets(sampling_strategy, check_target(y), kind)


def _check_kind(kind):
    if kind not in SAMPLING_KINDS:
        raise InvalidParameterError(f"kind={kind!r} is not supported; expected one of {SAMPLING_KINDS}.")


def resolve_targets(sampling_strategy, y, kind):
    """:func:`resolve_sampling_strategy` for labels ``y`` already checked (a 1-D array of
    class labels, as :func:`~balancekit._validation.check_target` returns them)."""
    y = np.asarray(y)
    return resolve_counts(sampling_strategy, class_counts(y), kind, y)


def resolve_counts(sampling_strategy, counts, kind, y):
    """:func:`resolve_targets` from the class counts ``counts`` (``{label: count}`` in sorted
    label order); ``y``, the labels they count, is only handed to a callable strategy."""
    _check_kind(kind)
    if len(counts) < 2:
        raise InvalidParameterError(
            f"sampling_strategy needs at least 2 classes in y, but y has only one class "
            f"({list(counts)[0]!r})."
        )
    if isinstance(sampling_strategy, str):
        return _from_name(sampling_strategy, counts, kind)
    if isinstance(sampling_strategy, Mapping):
        return _from_dict(sampling_strategy, counts, kind)
    if isinstance(sampling_strategy, (list, tuple)):
        return _from_list(sampling_strategy, counts, kind)
    if isinstance(sampling_strategy, Real) and not isinstance(sampling_strategy, bool):
        return _from_float(sampling_strategy, counts, kind)
    if isinstance(sampling_strategy, Callable):
        result = sampling_strategy(y)
        if kind == "clean-sampling" and isinstance(result, (Mapping, list, tuple)):
            # A cleaning rule decides how many samples go: the keys name the classes to clean
            # (their counts, if given, must still be counts).
            if isinstance(result, Mapping):
                bad = {k: v for k, v in result.items()
                       if not isinstance(v, Integral) or isinstance(v, bool) or v < 0}
                if bad:
                    raise InvalidParameterError(
                        "sampling_strategy as a callable returned a dict whose values are not "
                        f"numbers of samples (whole numbers >= 0): {bad!r}. A cleaning rule "
                        "uses only its keys, the classes to clean: return a list of them."
                    )
            return _from_list(list(result), counts, kind)
        if not isinstance(result, Mapping):
            raise InvalidParameterTypeError(
                "sampling_strategy as a callable must return a dict {label: n_samples}"
                f"{' (or, for a cleaning rule, a list of labels)' if kind == 'clean-sampling' else ''}"
                f", but it returned {type(result).__name__}."
            )
        return _from_dict(result, counts, kind)
    raise InvalidParameterTypeError(
        "sampling_strategy must be a float, one of "
        f"{', '.join(repr(n) for n in STRATEGY_NAMES)}, a dict, a list (cleaning rules) or a "
        f"callable; got {sampling_strategy!r} of type {type(sampling_strategy).__name__}."
    )


def _from_name(name, counts, kind):
    if name not in STRATEGY_NAMES:
        raise InvalidParameterError(
            f"sampling_strategy={name!r} is not supported; expected one of "
            f"{', '.join(repr(n) for n in STRATEGY_NAMES)}, a float, a dict or a callable."
        )
    if name == "auto":
        name = "not majority" if kind == "over-sampling" else "not minority"
    if kind == "over-sampling" and name == "majority":
        raise InvalidParameterError(
            "sampling_strategy='majority' cannot be used with an over-sampler: it would only grow "
            "the largest class. Use 'minority', 'not majority', 'not minority', 'all' or 'auto'."
        )
    if kind != "over-sampling" and name == "minority":
        raise InvalidParameterError(
            f"sampling_strategy='minority' cannot be used with "
            f"{'an under-sampler' if kind == 'under-sampling' else 'a cleaning rule'}: it "
            "would only shrink the smallest class. Use 'majority', 'not minority', 'not majority', "
            "'all' or 'auto'."
        )
    labels = list(counts)
    sizes = np.array(list(counts.values()))
    # Ties go to the first class in sorted label order, as in imbalanced-learn.
    majority = max(labels, key=counts.__getitem__)
    minority = min(labels, key=counts.__getitem__)
    chosen = {
        "minority": [minority],
        "majority": [majority],
        "not minority": [c for c in labels if c != minority],
        "not majority": [c for c in labels if c != majority],
        "all": labels,
    }[name]
    if kind == "over-sampling":
        target = int(sizes.max())
    elif kind == "under-sampling":
        target = int(sizes.min())
    else:
        return {c: counts[c] for c in chosen}
    return {c: target for c in chosen}


def _check_labels(keys, counts):
    unknown = [k for k in keys if k not in counts]
    if unknown:
        raise InvalidParameterError(
            f"sampling_strategy names {', '.join(_fmt(k) for k in unknown)}, which "
            f"{'is' if len(unknown) == 1 else 'are'} not in y; the classes in y are "
            f"{', '.join(_fmt(c) for c in counts)}."
        )


def _from_dict(strategy, counts, kind):
    if kind == "clean-sampling":
        raise InvalidParameterError(
            "sampling_strategy as a dict is not supported by cleaning rules, which decide how many "
            "samples to remove; pass a list of the labels to clean instead, e.g. "
            f"{list(counts)[:1]!r}."
        )
    _check_labels(strategy, counts)
    targets = {}
    for label, count in counts.items():
        if label not in strategy:
            continue
        wanted = strategy[label]
        if isinstance(wanted, bool) or not isinstance(wanted, Integral) or wanted < 0:
            raise InvalidParameterError(
                f"sampling_strategy[{_fmt(label)}] must be a non-negative integer number of "
                f"samples; got {wanted!r}."
            )
        wanted = int(wanted)
        if kind == "over-sampling" and wanted < count:
            raise InvalidParameterError(
                f"sampling_strategy[{_fmt(label)}]={wanted} is below the {count} samples class "
                f"{_fmt(label)} already has; an over-sampler cannot remove samples. Ask for at "
                f"least {count}, or use an under-sampler."
            )
        if kind == "under-sampling" and wanted > count:
            raise InvalidParameterError(
                f"sampling_strategy[{_fmt(label)}]={wanted} is above the {count} samples class "
                f"{_fmt(label)} has; an under-sampler cannot grow a class. Ask for at most "
                f"{count}, or use an over-sampler."
            )
        targets[label] = wanted
    return targets


def _from_list(labels, counts, kind):
    if kind != "clean-sampling":
        raise InvalidParameterError(
            "sampling_strategy as a list is only supported by cleaning rules; for "
            f"{kind} use a dict {{label: n_samples}}, a float or a string; got {labels!r}."
        )
    _check_labels(labels, counts)
    return {c: counts[c] for c in counts if c in labels}


def _from_float(given, counts, kind):
    # Messages show the value as given (3, not 3.0), numpy scalars as plain numbers.
    whole = isinstance(given, Integral)
    ratio = int(given) if whole else float(given)
    if len(counts) != 2:
        raise InvalidParameterError(
            f"sampling_strategy={ratio!r}: a float applies to binary targets only, but y has "
            f"{len(counts)} classes. Use a dict {{label: n_samples}} or a string such as 'auto'."
        )
    if kind == "clean-sampling":
        raise InvalidParameterError(
            f"sampling_strategy={ratio!r}: a number is not supported by cleaning rules; use a "
            "string such as 'auto' or a list of labels."
        )
    if not 0 < ratio <= 1:
        raise InvalidParameterError(
            f"sampling_strategy={ratio!r} is out of range: as a number it is the ratio "
            "n_minority / n_majority wanted after resampling, which must lie in (0, 1]"
            + (". For a number of samples, give a dict {label: n_samples}." if whole and ratio > 1
               else ".")
        )
    (minority, n_min), (majority, n_maj) = sorted(counts.items(), key=lambda kv: kv[1])
    if kind == "over-sampling":
        wanted = int(n_maj * ratio)
        if wanted < n_min:
            raise InvalidParameterError(
                f"sampling_strategy={ratio!r} asks for {wanted} samples of the minority class "
                f"{_fmt(minority)}, which already has {n_min}; an over-sampler cannot remove "
                f"samples. Use a ratio of at least {_ceil4(n_min / n_maj)}."
            )
        return {minority: wanted}
    wanted = int(n_min / ratio)
    if wanted > n_maj:
        raise InvalidParameterError(
            f"sampling_strategy={ratio!r} asks for "
            f"{wanted if wanted < 10**15 else f'{float(wanted):.3g}'} samples of the majority class "
            f"{_fmt(majority)}, which has only {n_maj}; an under-sampler cannot grow a class. "
            f"Use a ratio of at least {_ceil4(n_min / n_maj)}."
        )
    return {majority: wanted}
