"""Selection rules on dask collections: the small classes are gathered into memory, the
distances that decide are computed partition by partition, and rows are dropped in place."""

import warnings
from functools import partial

import numpy as np
from dask import delayed
from sklearn.neighbors import NearestNeighbors

from .. import under_sampling
from .._exact import Points, check_n_jobs, top_k
from .._neighbors import check_neighbors
from .._validation import check_int
from ..exceptions import BalancekitWarning, DataError, SmallClassWarning
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
        check_n_jobs(self.n_jobs)  # not used, but refused as the in-memory sampler refuses it
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
    """NearMiss on a dask collection: the rows the in-memory one keeps.

    The minority class is gathered into memory (it must fit there), and the
    rows of the classes shrunk are read partition by partition, each
    partition handing on a little of its rows, merged two partitions at a
    time:

    * ``version=1`` and ``version=2``: each row is scored by its distances to
      its ``n_neighbors`` nearest (version 1) or farthest (version 2)
      minority rows, and each partition hands on only its best rows of each
      class;
    * ``version=3``: each partition hands on, for each minority row, its
      ``n_neighbors_ver3`` nearest rows of each class in the partition, with
      the scores of those rows (their distances to their ``n_neighbors``
      nearest minority rows); the merges keep the nearest of each list over
      the partitions seen, so memory holds at most ``n_neighbors_ver3`` rows
      per minority row and class. The rows in some list at the end are
      ranked by their scores, the farthest first.

    Each class keeps the rows of the best scores over the whole collection
    (ties to the row that comes first; of equally near rows in a list of
    version 3, the lower row is the nearer): those
    :class:`balancekit.under_sampling.NearMiss` keeps on the whole data, in
    their partition and order, with their index. As in memory, version 3
    may keep fewer rows than asked, with a warning.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to shrink and to what size, resolved on the labels of
        all partitions.
    version : {1, 2, 3}, default=1
        The rule; see :class:`balancekit.under_sampling.NearMiss`.
    n_neighbors : int, default=3
        Number of minority rows whose distances score a row.
    n_neighbors_ver3 : int, default=3
        For version 3: number of nearest rows of each class taken around
        each minority row.
    n_jobs : int, default=None
        Not used here: dask runs the partitions' searches side by side, each
        on one thread.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each shrunk class has after resampling.
    nn_ : estimator object
        ``NearestNeighbors(n_neighbors=n_neighbors)``, not fitted (the
        searches over every partition are balancekit's own).
    nn_ver3_ : estimator object
        ``NearestNeighbors(n_neighbors=n_neighbors_ver3)``, not fitted
        (version 3 only).
    n_features_in_ : int
        Number of columns of ``X``.
    feature_names_in_ : ndarray of str
        Column names of a dask DataFrame ``X``.

    See Also
    --------
    balancekit.under_sampling.NearMiss : the same on data in memory.

    Examples
    --------
    >>> import dask
    >>> import dask.array as da
    >>> from sklearn.datasets import make_classification
    >>> from balancekit.dask import NearMiss
    >>> X, y = make_classification(n_samples=2000, weights=[0.9], random_state=0)
    >>> X, y = da.from_array(X, chunks=500), da.from_array(y, chunks=500)
    >>> X_res, y_res = NearMiss(version=3).fit_resample(X, y)
    >>> X_res, y_res = dask.compute(X_res, y_res)
    >>> int((y_res == 0).sum()) == int((y_res == 1).sum())
    True
    """

    def _resample_partitions(self, parts, targets, totals):
        check_n_jobs(self.n_jobs)  # not used, but refused as the in-memory sampler refuses it
        version = check_int("version", self.version, min_value=1, max_value=3)
        k, estimator = check_neighbors("n_neighbors", self.n_neighbors, counts_itself=False)
        self._refuse_estimator("n_neighbors", estimator)
        k3, estimator3 = check_neighbors("n_neighbors_ver3", self.n_neighbors_ver3,
                                         counts_itself=False)
        self.nn_ = NearestNeighbors(n_neighbors=k, n_jobs=self.n_jobs)
        if version == 3:
            self._refuse_estimator("n_neighbors_ver3", estimator3)
            self.nn_ver3_ = NearestNeighbors(n_neighbors=k3, n_jobs=self.n_jobs)
        elif hasattr(self, "nn_ver3_"):
            del self.nn_ver3_  # stale from an earlier call with version=3
        smallest = min(totals.values())
        minority = parts.first_seen([label for label, n in totals.items() if n == smallest])
        X_min, y_min, _ = parts.gather([minority])
        minority_rows, _ = self._check_X_y(X_min, y_min, one_class=True)
        if not isinstance(minority_rows, np.ndarray):
            raise DataError("NearMiss in balancekit.dask needs dense numeric X.")
        if k > minority_rows.shape[0]:
            if version != 2:
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
        if version == 3:
            return parts.keep(list(wanted), self._version_3(parts, minority_rows, k, k3, wanted,
                                                            totals))
        best = parts.map_reduce(_best_scores, partial(_merge_best, wanted=wanted),
                                delayed(minority_rows), k, version == 2, wanted)
        chosen = np.sort(np.concatenate([np.zeros(0, dtype=np.int64)]
                                        + [rows for _, rows in best.values()]))
        return parts.keep(list(wanted), chosen)

    @staticmethod
    def _version_3(parts, minority_rows, k, k3, wanted, totals):
        """The row numbers version 3 keeps of the classes of ``wanted``, in increasing order."""
        for label in wanted:
            if k3 > totals[label]:
                raise DataError(
                    f"n_neighbors_ver3={k3} needs at least {k3} samples of class {label!r}, "
                    f"but the training data has {totals[label]}. Use a smaller "
                    "n_neighbors_ver3."
                )
        lists = parts.map_reduce(_short_lists, partial(_merge_short_lists, k3=k3),
                                 delayed(minority_rows), k, k3, list(wanted))
        chosen = [np.zeros(0, dtype=np.int64)]
        for label, n_samples in wanted.items():
            _, _, candidates, scores = lists[label]
            if candidates.size < n_samples:
                warnings.warn(
                    f"NearMiss version 3 keeps {candidates.size} samples of class {label!r}, "
                    f"fewer than the {n_samples} asked: only that many are among the "
                    f"n_neighbors_ver3={k3} nearest of a minority sample.",
                    BalancekitWarning,
                    stacklevel=4,
                )
            # The farthest from the minority first; of equal scores, the row that comes first.
            chosen.append(candidates[np.lexsort((candidates, -scores))[:n_samples]])
        return np.sort(np.concatenate(chosen))


def _with_minority(x_part, y_part, i, minority_rows):
    """The labels of partition ``i``, and the :class:`Points` of the minority rows followed
    by the partition's rows, with the minority's positions in them (``0..``)."""
    values = numeric_rows(x_part, i, None, minority_rows.dtype)
    points = Points(np.concatenate([minority_rows, values]))
    return labels_of(y_part, i, len(x_part)), points, np.arange(minority_rows.shape[0])


def _best_scores(x_part, y_part, i, offset, minority_rows, k, farthest, wanted):
    """Of each class in ``wanted``, the ``wanted[label]`` rows of the partition with the
    best scores: ``{label: (scores, row numbers)}``, best first."""
    labels, points, refs = _with_minority(x_part, y_part, i, minority_rows)
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


def _short_lists(x_part, y_part, i, offset, minority_rows, k, k3, labels):
    """Of each class of ``labels``, for each minority row, its ``k3`` nearest rows of the
    class in the partition (fewer where the partition has fewer), and the scores of the
    rows in those lists: ``{label: (squared distances, row numbers, listed rows, their
    scores)}``, the lists nearest first, the listed rows in increasing order."""
    found, points, refs = _with_minority(x_part, y_part, i, minority_rows)
    lists = {}
    for label in labels:
        members = np.flatnonzero(found == label) + refs.size
        width = min(k3, members.size)
        if width == 0:
            lists[label] = (np.zeros((refs.size, 0)), np.zeros((refs.size, 0), dtype=np.int64),
                            np.zeros(0, dtype=np.int64), np.zeros(0))
            continue
        sq, near = top_k(points, refs, members, width, exclude_self=False, n_jobs=1)
        listed = np.unique(near)
        sq_min, _ = top_k(points, listed, refs, k, exclude_self=False, n_jobs=1)
        lists[label] = (sq, near.astype(np.int64) - refs.size + offset,
                        listed.astype(np.int64) - refs.size + offset, _score(np.sqrt(sq_min)))
    return lists


def _merge_short_lists(first, second, *, k3):
    """The lists of two partial results of :func:`_short_lists`, merged minority row by
    minority row (the ``k3`` nearest: by squared distance, then by row number), and the
    scores of the rows still listed."""
    merged = {}
    for label in first:
        sq, rows = (np.concatenate([a, b], axis=1)
                    for a, b in zip(first[label][:2], second[label][:2], strict=True))
        order = np.lexsort((rows, sq), axis=1)[:, :k3]
        sq, rows = np.take_along_axis(sq, order, axis=1), np.take_along_axis(rows, order, axis=1)
        listed = np.concatenate([first[label][2], second[label][2]])
        scores = np.concatenate([first[label][3], second[label][3]])
        still = np.isin(listed, rows)
        merged[label] = (sq, rows, listed[still], scores[still])
    return merged
