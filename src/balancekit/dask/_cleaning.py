"""Selection rules on dask collections: the small classes are gathered into memory, the
distances that decide are computed partition by partition, and rows are dropped in place."""

import warnings
from functools import partial

import numpy as np
from dask import delayed

from .. import under_sampling
from .._exact import Points, top_k
from .._neighbors import check_neighbors
from .._validation import check_int
from ..exceptions import DataError, InvalidParameterError, SmallClassWarning
from ..under_sampling._nearmiss import _score
from ._base import DaskSamplerMixin
from ._collections import labels_of, numeric_rows


class TomekLinks(DaskSamplerMixin, under_sampling.TomekLinks):
    """Remove the rows of Tomek links from a dask collection: the in-memory rows.

    Two rows of different classes form a Tomek link when each is the other's
    nearest neighbour. Every link has a row outside the largest class, so
    those rows are gathered into memory (they must fit there), their nearest
    rows searched exactly among every row, partition by partition, and then
    the nearest rows of the rows they point to; the rows of the links that
    belong to the classes cleaned are dropped from their partitions, the
    others kept in their partition and order, with their index. The rows
    removed are those of :class:`balancekit.under_sampling.TomekLinks` on the
    whole data (of two equally near rows, the lower row is the nearer).

    Parameters
    ----------
    sampling_strategy : str, list or callable, default='auto'
        The classes to clean, resolved on the labels of all partitions:
        ``'auto'`` (every class but the minority), ``'majority'``, ``'not
        minority'``, ``'not majority'``, ``'all'``, a list of labels, or a
        callable returning a dict whose keys are the labels.
    n_jobs : int, default=None
        Not used here: dask runs the partitions' searches side by side, each
        on one thread.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` of the classes cleaned, with their size before
        cleaning.
    removed_indices_ : ndarray of int64
        The row numbers, in the whole collection, of the rows removed.
    n_features_in_ : int
        Number of columns of ``X``.
    feature_names_in_ : ndarray of str
        Column names of a dask DataFrame ``X``.

    See Also
    --------
    balancekit.under_sampling.TomekLinks : the same on data in memory.
    """

    def _resample_partitions(self, parts, targets, totals):
        largest = max(totals, key=totals.get)  # the first of equal sizes, in label order
        X_rows, y_rows, rows = parts.gather([label for label in totals if label != largest])
        X_checked, labels = self._check_X_y(X_rows, y_rows, one_class=True)
        if not isinstance(X_checked, np.ndarray):
            raise DataError("TomekLinks in balancekit.dask needs dense numeric X.")
        nn, nn_labels = (a[:, 0] for a in parts.nearest(X_checked, rows, 1))
        # The rows pointed to across classes, and their own nearest rows: known for the
        # gathered ones (rows is increasing), searched for the others.
        across = nn_labels != labels
        partners = np.unique(nn[across])
        gathered = np.isin(partners, rows)
        partner_nn = np.empty(partners.size, dtype=np.int64)
        partner_nn[gathered] = nn[np.searchsorted(rows, partners[gathered])]
        others = partners[~gathered]
        if others.size:
            values = parts.values_at(others, X_checked.dtype)
            partner_nn[~gathered] = parts.nearest(values, others, 1)[0][:, 0]
        linked = across.copy()
        linked[across] = partner_nn[np.searchsorted(partners, nn[across])] == rows[across]
        clean = list(targets)
        removed = np.union1d(rows[linked & np.isin(labels, clean)],
                             nn[linked & np.isin(nn_labels, clean)])
        self.removed_indices_ = removed
        return parts.drop(removed)


class NearMiss(DaskSamplerMixin, under_sampling.NearMiss):
    """NearMiss (versions 1 and 2) on a dask collection: the rows the in-memory one keeps.

    The minority class is gathered into memory (it must fit there); each row
    of the classes shrunk is scored, partition by partition, by its distances
    to its ``n_neighbors`` nearest (version 1) or farthest (version 2)
    minority rows, and each partition hands on only its best rows of each
    class, merged two partitions at a time. Each class keeps the rows of the
    best scores over the whole collection (ties to the row that comes first):
    those :class:`balancekit.under_sampling.NearMiss` keeps, in their
    partition and order, with their index. ``version=3`` is not available here.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to shrink and to what size, resolved on the labels of
        all partitions.
    version : {1, 2}, default=1
        The rule; see :class:`balancekit.under_sampling.NearMiss`.
    n_neighbors : int, default=3
        Number of minority rows whose distances score a row.
    n_neighbors_ver3 : int, default=3
        Not used (version 3 only).
    n_jobs : int, default=None
        Not used here: dask runs the partitions' searches side by side, each
        on one thread.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each shrunk class has after resampling.
    n_features_in_ : int
        Number of columns of ``X``.
    feature_names_in_ : ndarray of str
        Column names of a dask DataFrame ``X``.

    See Also
    --------
    balancekit.under_sampling.NearMiss : the same on data in memory.
    """

    def _resample_partitions(self, parts, targets, totals):
        version = check_int("version", self.version, min_value=1, max_value=3)
        if version == 3:
            raise InvalidParameterError(
                "version=3 is not available in balancekit.dask; use version 1 or 2, or NearMiss "
                "from balancekit.under_sampling on data in memory."
            )
        k, estimator = check_neighbors("n_neighbors", self.n_neighbors, counts_itself=False)
        self._refuse_estimator("n_neighbors", estimator)
        check_neighbors("n_neighbors_ver3", self.n_neighbors_ver3, counts_itself=False)
        smallest = min(totals.values())
        minority = parts.first_seen([label for label, n in totals.items() if n == smallest])
        X_min, y_min, _ = parts.gather([minority])
        minority_rows, _ = self._check_X_y(X_min, y_min, one_class=True)
        if not isinstance(minority_rows, np.ndarray):
            raise DataError("NearMiss in balancekit.dask needs dense numeric X.")
        if k > minority_rows.shape[0]:
            if version == 1:
                raise DataError(
                    f"n_neighbors={k} needs at least {k} samples of the minority class "
                    f"{minority!r}, but the training data has {minority_rows.shape[0]}. Use a "
                    "smaller n_neighbors."
                )
            warnings.warn(
                f"n_neighbors={k} is more than the {minority_rows.shape[0]} samples of the "
                f"minority class {minority!r}; NearMiss version 2 averages the distances to "
                "all of them.",
                SmallClassWarning,
                stacklevel=3,
            )
            k = minority_rows.shape[0]
        wanted = dict(targets)
        best = parts.map_reduce(_best_scores, partial(_merge_best, wanted=wanted),
                                delayed(minority_rows), k, version == 2, wanted)
        chosen = np.sort(np.concatenate([np.zeros(0, dtype=np.int64)]
                                        + [rows for _, rows in best.values()]))
        return parts.keep(list(wanted), chosen)


def _best_scores(x_part, y_part, i, offset, minority_rows, k, farthest, wanted):
    """Of each class in ``wanted``, the ``wanted[label]`` rows of the partition with the
    best scores: ``{label: (scores, row numbers)}``, best first."""
    labels = labels_of(y_part, i, len(x_part))
    values = numeric_rows(x_part, i, None, minority_rows.dtype)
    stacked = np.concatenate([minority_rows, values])  # minority first: their positions 0..
    points = Points(stacked)
    refs = np.arange(minority_rows.shape[0])
    best = {}
    for label, n in wanted.items():
        members = np.flatnonzero(labels == label)
        if members.size == 0:
            best[label] = (np.zeros(0), np.zeros(0, dtype=np.int64))
            continue
        sq, _ = top_k(points, members + refs.size, refs, k, farthest=farthest,
                      exclude_self=False, n_jobs=1)
        scores = _score(np.sqrt(sq))
        order = np.argsort(scores, kind="stable")[:n]
        best[label] = (scores[order], members[order].astype(np.int64) + offset)
    return best


def _merge_best(first, second, *, wanted):
    """The best ``wanted[label]`` of two partial results of :func:`_best_scores`, class by
    class: by score, then by row number (the row that comes first)."""
    merged = {}
    for label, n in wanted.items():
        scores = np.concatenate([first[label][0], second[label][0]])
        rows = np.concatenate([first[label][1], second[label][1]])
        order = np.lexsort((rows, scores))[:n]
        merged[label] = (scores[order], rows[order])
    return merged
