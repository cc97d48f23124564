"""Tomek links on dask collections: the rows outside the largest class are gathered, their
nearest rows searched over every partition, and the rows of the links dropped in place."""

import numpy as np

from .. import under_sampling
from ..exceptions import DataError
from ._base import DaskSamplerMixin


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
