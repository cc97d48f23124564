"""SMOTE and SMOTENC on dask collections: the classes to grow are gathered into memory,
grown exactly as in memory, and their new rows appended as new partitions."""

import numpy as np

from .. import _frames, over_sampling
from .._kernels import LazyRows
from .._validation import check_seed
from ..exceptions import InvalidParameterError
from ..over_sampling._smotenc import categorical_columns
from ._base import DaskSamplerMixin


class _GrowGathered(DaskSamplerMixin):
    """The rows of the classes to grow are read into memory; the other rows are not read."""

    def _resample_partitions(self, parts, targets, totals):
        grown = {label: n for label, n in targets.items() if n > totals[label]}
        if not grown:
            return parts.X, parts.y
        X_grown, y_grown = parts.gather(grown)
        rng = check_seed(self.random_state, owner=type(self).__name__)
        X_checked, y_arr = self._check_X_y(X_grown, y_grown, one_class=True)
        result = self._fit_resample(X_checked, y_arr, targets=grown, rng=rng)
        source = self._output_source(X_grown, X_checked)
        synthetic, y_synthetic, origin = result.synthetic, result.y_synthetic, result.origin
        none = np.empty(0, dtype=np.intp)  # no input row: the new rows alone
        if not (isinstance(synthetic, LazyRows) and synthetic.sliceable()):
            # Columns of several kinds (SMOTENC): the new rows are made here, whole.
            X_new = _frames.take_x(source, none, synthetic)
            synthetic = None

        def make(start, stop):
            """The new rows ``start`` to ``stop`` and their labels, in the input's kinds."""
            if synthetic is not None:
                rows = _frames.take_x(source, none, synthetic.rows(start, stop))
            else:
                rows = X_new[start:stop] if isinstance(X_new, np.ndarray) else X_new.iloc[
                    start:stop]
            labels = _frames.take_y(y_grown, y_arr, none,
                                    None if y_synthetic is None else y_synthetic[start:stop],
                                    origin[start:stop])
            return rows, labels

        return parts.append(make, origin.size, sum(totals.values()))


class SMOTE(_GrowGathered, over_sampling.SMOTE):
    """SMOTE on a dask collection: the rows of the in-memory SMOTE, at any table size.

    SMOTE reads only the rows of the classes it grows: they are gathered into
    memory (so they must fit there), grown exactly as
    :class:`balancekit.over_sampling.SMOTE` grows them, and the new rows are
    appended to the collection as new partitions of about its mean partition
    length, each made when it is computed: memory holds the grown classes'
    rows and each new row's segment (16 bytes), not the new rows. The other
    rows are left in their partitions, unread. With the same
    ``random_state``, the new rows are those of the in-memory SMOTE on the
    whole data (whose rows of the grown classes come in the same order).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to grow and to what size, resolved on the labels of all
        partitions; see :func:`balancekit.resolve_sampling_strategy`.
    random_state : int, RandomState instance or None, default=None
        Seeds the single random generator of each call.
    k_neighbors : int or estimator, default=5
        Number of nearest neighbours (in the same class) to interpolate with.
    n_jobs : int, default=None
        Threads for the neighbour search.
    neighbors : {'exact', 'approximate'}, default='exact'
        How the nearest neighbours are found; see
        :class:`balancekit.over_sampling.SMOTE`.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each grown class has after resampling.
    neighbors_recall_ : float or None
        With ``neighbors='approximate'``, the estimated recall of the search.
    n_features_in_ : int
        Number of columns of ``X``.
    feature_names_in_ : ndarray of str
        Column names of a dask DataFrame ``X``.

    See Also
    --------
    balancekit.over_sampling.SMOTE : the same on data in memory.

    Notes
    -----
    A pandas partition's index is kept; the new rows are indexed ``n, n + 1,
    ...``, where ``n`` is the number of input rows.
    """


class SMOTENC(_GrowGathered, over_sampling.SMOTENC):
    """SMOTENC on a dask collection: the rows of the in-memory SMOTENC.

    As :class:`SMOTE` here: the rows of the classes to grow are gathered into
    memory and grown exactly as :class:`balancekit.over_sampling.SMOTENC` grows
    them, and the new rows are appended as new partitions; unlike SMOTE's, they
    are made whole in memory, so they must fit there too. ``X`` needs at least
    one numeric column: on categorical columns alone, SMOTEN's value difference
    metric reads the class profile of every row.

    Parameters
    ----------
    categorical_features : 'auto', array-like of int, str or bool
        The categorical columns: ``'auto'`` takes a dask DataFrame's category
        and string columns; or their positions, names, or a boolean mask.
    categorical_encoder : None, default=None
        Accepted for compatibility with imbalanced-learn; must stay ``None``.
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to grow and to what size, resolved on the labels of all
        partitions.
    random_state : int, RandomState instance or None, default=None
        Seeds the single random generator of each call.
    k_neighbors : int or estimator, default=5
        Number of nearest neighbours (in the same class) to interpolate with.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each grown class has after resampling.
    categorical_features_ : ndarray of int
        Positions of the categorical columns.
    continuous_features_ : ndarray of int
        Positions of the numeric columns.
    median_std_ : dict
        ``{label: median standard deviation}`` of the numeric columns per grown
        class.
    n_features_in_ : int
        Number of columns of ``X``.
    feature_names_in_ : ndarray of str
        Column names of a dask DataFrame ``X``.

    See Also
    --------
    balancekit.over_sampling.SMOTENC : the same on data in memory.
    """

    def _fit_resample(self, X, y, *, targets, rng):
        if categorical_columns(X, self.categorical_features).size == X.shape[1]:
            raise InvalidParameterError(
                "SMOTENC in balancekit.dask needs at least one numeric column, but every column "
                "of X is categorical. On categorical columns alone the distances (SMOTEN's) "
                "depend on every row of every class; run SMOTEN on the data in memory, or on "
                "each partition with balancekit.dask.PartitionSampler(SMOTEN())."
            )
        return super()._fit_resample(X, y, targets=targets, rng=rng)
