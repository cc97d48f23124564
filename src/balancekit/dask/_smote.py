"""The SMOTE family on dask collections: the classes to grow are gathered into memory,
grown exactly as in memory, and their new rows appended as new partitions."""

import numpy as np

from .. import _frames, over_sampling
from .._kernels import LazyRows, segment_points
from .._neighbors import check_neighbors, estimated_recall, neighbors_attribute, search_options
from .._validation import check_option, check_seed
from ..exceptions import DataError
from ..over_sampling._adasyn import check_reference_size, smote_fallback
from ..over_sampling._borderline import KINDS, draw_toward, in_danger
from ..over_sampling._smote import grow_classes, output_rows
from ..over_sampling._smotenc import _level_distances
from ._base import DaskSamplerMixin
from ._collections import level_key


class _GrowGathered(DaskSamplerMixin):
    """The rows of the classes to grow are read into memory and grown there; the other rows
    are read only by the searches among every row (ADASYN's, BorderlineSMOTE's)."""

    def _resample_partitions(self, parts, targets, totals):
        grown = {label: n for label, n in targets.items() if n > totals[label]}
        if not grown:  # the input as it is, but y under X's index as in memory
            return parts.rebuild(parts.x_parts, parts.y_parts, parts.lengths()) \
                if parts.frame else (parts.X, parts.y)
        X_grown, y_grown, rows = parts.gather(grown)
        rng = check_seed(self.random_state, owner=type(self).__name__)
        try:
            X_checked, y_arr = self._check_X_y(X_grown, y_grown, one_class=True)
        except DataError as exc:
            if type(exc) is not DataError:  # a DataTypeError, ...: no count to qualify
                raise
            # Its counts are of the gathered rows, not of the collection: say so.
            raise DataError(
                f"among the {len(rows):,} rows of the classes to grow "
                f"({', '.join(map(repr, grown))}), gathered into memory: {exc}"
            ) from None
        # What the searches over every row read (ADASYN's, BorderlineSMOTE's): for this call.
        self._whole = _WholeData(parts, rows, totals)
        try:
            result = self._fit_resample(X_checked, y_arr, targets=grown, rng=rng)
        finally:
            del self._whole
        self._number_rows(rows)
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
                new_rows = _frames.take_x(source, none, synthetic.rows(start, stop))
            elif isinstance(X_new, np.ndarray):
                new_rows = X_new[start:stop]
            else:
                new_rows = X_new.iloc[start:stop]
            labels = _frames.take_y(y_grown, y_arr, none,
                                    None if y_synthetic is None else y_synthetic[start:stop],
                                    origin[start:stop])
            return new_rows, labels

        return parts.append(make, origin.size, sum(totals.values()))

    def _number_rows(self, rows):
        """Turn the fitted attributes that list gathered rows into rows of the collection
        (``rows``: the collection's row number of each gathered row)."""


class _WholeData:
    """The searches of the gathered rows among every row of the collection.

    Parameters
    ----------
    parts : Partitions
        The collection, counted.
    rows : ndarray of int
        The row number, in the collection, of each gathered row.
    totals : dict
        ``{label: rows}`` of the collection, in sorted label order.
    """

    def __init__(self, parts, rows, totals):
        self.parts, self.rows, self.totals = parts, rows, totals
        self.n_rows = sum(totals.values())

    def vdm_tables(self, columns, levels):
        """:func:`~balancekit.over_sampling._smotenc.vdm_tables` of the categorical columns
        ``columns`` from the class profiles of their values over every row, for the values
        ``levels`` of the gathered rows (in the order of their codes)."""
        found = self.parts.level_counts(columns)
        classes = list(self.totals)  # sorted, as np.unique(y) sorts them in memory
        tables = []
        for counts_of, values in zip(found, levels, strict=True):
            counts = np.array([[counts_of.get((level_key(value), label), 0) for label in classes]
                               for value in values], dtype=np.float64)
            totals = counts.sum(axis=1, keepdims=True)
            proba = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
            tables.append(_level_distances(proba))
        return tables

    def values(self, X, rows):
        """The rows ``rows`` of the collection (row numbers, increasing) as numbers of
        ``X``'s dtype: the gathered ones taken from ``X`` (the gathered rows, checked), the
        others read from their partitions."""
        at = np.minimum(np.searchsorted(self.rows, rows), max(self.rows.size - 1, 0))
        gathered = self.rows[at] == rows if self.rows.size else np.zeros(rows.size, bool)
        out = np.empty((rows.size, X.shape[1]), dtype=X.dtype)
        out[gathered] = X[at[gathered]]
        if not gathered.all():
            out[~gathered] = self.parts.values_at(rows[~gathered], X.dtype)
        return out

    def other_counts(self, X, members, k, label, name, estimator):
        """For the gathered rows ``members``, how many of their ``k`` nearest rows of the
        whole collection (themselves excluded) are not of class ``label``."""
        DaskSamplerMixin._refuse_estimator(name, estimator)
        check_reference_size(name, k, self.n_rows)
        labels = self.parts.nearest_labels(X[members], self.rows[members], k)
        return np.count_nonzero(labels != label, axis=1)


class SMOTE(_GrowGathered, over_sampling.SMOTE):
    """SMOTE on a dask collection: the in-memory SMOTE's rows, on tables larger than memory.

    SMOTE reads only the rows of the classes it grows: they are gathered into
    memory (so they must fit there), grown exactly as
    :class:`balancekit.over_sampling.SMOTE` grows them, and the new rows are
    appended to the collection as new partitions of about its mean partition
    length, each made when it is computed: memory holds the grown classes'
    rows and each new row's segment (16-20 bytes), not the new rows. The other
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
    nn_k_ : estimator object
        The neighbours estimator of ``k_neighbors``, not fitted (balancekit searches
        with its own search): ``NearestNeighbors(n_neighbors=k_neighbors + 1)``, or a
        clone of the estimator given.
    neighbors_recall_ : float or None
        With ``neighbors='approximate'``, the estimated recall of the search;
        ``None`` with exact search.
    n_features_in_ : int
        Number of columns of ``X``.
    feature_names_in_ : ndarray of str
        Column names of a dask DataFrame ``X``.

    See Also
    --------
    balancekit.over_sampling.SMOTE : the same on data in memory.

    Notes
    -----
    As in memory, an output with new rows takes a fresh index: pandas rows are
    indexed by their positions ``0, 1, ...`` in the output, the input rows
    first (each partition's index is replaced by its rows' positions), then
    the new ones.
    """


class _CategoricalGathered(_GrowGathered):
    """The value difference metric from the class profiles of every row."""

    def _vdm_tables(self, columns, codes, levels, y):
        return self._whole.vdm_tables(columns, levels)


class SMOTENC(_CategoricalGathered, over_sampling.SMOTENC):
    """SMOTENC on a dask collection: the rows of the in-memory SMOTENC.

    As :class:`SMOTE` here: the rows of the classes to grow are gathered into
    memory and grown exactly as :class:`balancekit.over_sampling.SMOTENC` grows
    them, and the new rows are appended as new partitions; unlike SMOTE's, they
    are made whole in memory, so they must fit there too. On categorical
    columns alone it works as :class:`SMOTEN` here.

    Parameters
    ----------
    categorical_features : 'auto', array-like of int, str or bool, default='auto'
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
    nn_k_ : estimator object
        The neighbours estimator of ``k_neighbors``, not fitted (balancekit searches
        with its own search): ``NearestNeighbors(n_neighbors=k_neighbors + 1)``, or a
        clone of the estimator given.
    n_features_in_ : int
        Number of columns of ``X``.
    feature_names_in_ : ndarray of str
        Column names of a dask DataFrame ``X``.

    See Also
    --------
    balancekit.over_sampling.SMOTENC : the same on data in memory.
    """


class SMOTEN(_CategoricalGathered, over_sampling.SMOTEN):
    """SMOTEN on a dask collection: the rows of the in-memory SMOTEN.

    The rows of the classes to grow are gathered into memory (they must fit
    there, with their new rows); the value difference metric between the
    categories is computed from the classes of every row, counted partition
    by partition (a pass over ``X``); the new rows are those
    :class:`balancekit.over_sampling.SMOTEN` makes on the whole data with the
    same ``random_state``, appended as new partitions.

    Parameters
    ----------
    categorical_encoder : None, default=None
        Accepted for compatibility with imbalanced-learn; must stay ``None``.
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to grow and to what size, resolved on the labels of all
        partitions.
    random_state : int, RandomState instance or None, default=None
        Seeds the single random generator of each call.
    k_neighbors : int or estimator, default=5
        Number of nearest neighbours (in the same class) to vote with, or a
        neighbours estimator as in :class:`balancekit.over_sampling.SMOTEN`.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each grown class has after resampling.
    categories_ : list of ndarray
        The categories of each column among the gathered rows.
    nn_k_ : estimator object
        The neighbours estimator of ``k_neighbors``, not fitted (balancekit searches
        with its own search): ``NearestNeighbors(n_neighbors=k_neighbors + 1)``, or a
        clone of the estimator given.
    n_features_in_ : int
        Number of columns of ``X``.
    feature_names_in_ : ndarray of str
        Column names of a dask DataFrame ``X``.

    See Also
    --------
    balancekit.over_sampling.SMOTEN : the same on data in memory.
    """


class ADASYN(_GrowGathered, over_sampling.ADASYN):
    """ADASYN on a dask collection: the rows of the in-memory ADASYN.

    The rows of the classes to grow are gathered into memory (they must fit
    there); the neighbours that weight them are searched exactly among every
    row of the collection, partition by partition (a pass over ``X``, which
    holds only the gathered rows and ``n_neighbors + 1`` neighbours of each at
    a time); the new rows are made as :class:`SMOTE` here makes them, partition
    by partition. With the same ``random_state``, they are those of
    :class:`balancekit.over_sampling.ADASYN` on the whole data (ties between
    equally near rows broken alike: to the lower row).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to grow and to what size, resolved on the labels of all
        partitions.
    random_state : int, RandomState instance or None, default=None
        Seeds the single random generator of each call.
    n_neighbors : int, default=5
        Number of nearest neighbours, to weight the rows (among every row) and
        to interpolate with (within the class).
    n_jobs : int, default=None
        Threads for the neighbour searches.
    neighbors : {'exact', 'approximate'}, default='exact'
        How the neighbours within the class are found; the search among every
        row is exact.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each grown class has after resampling.
    nn_ : estimator object
        The neighbours estimator of ``n_neighbors``, not fitted (balancekit searches
        with its own search): ``NearestNeighbors(n_neighbors=n_neighbors + 1)``.
    neighbors_recall_ : float or None
        With ``neighbors='approximate'``, the estimated recall of the search
        within the class; ``None`` with exact search.
    n_features_in_ : int
        Number of columns of ``X``.
    feature_names_in_ : ndarray of str
        Column names of a dask DataFrame ``X``.

    See Also
    --------
    balancekit.over_sampling.ADASYN : the same on data in memory.
    """

    def _hardness(self, X, y, label, members, k, estimator, search):
        return self._whole.other_counts(X, members, k, label, "n_neighbors", estimator)


class BorderlineSMOTE(_GrowGathered, over_sampling.BorderlineSMOTE):
    """Borderline-SMOTE on a dask collection: the rows of the in-memory one.

    The rows of the classes to grow are gathered into memory (they must fit
    there); whether each is in danger is decided from its ``m_neighbors``
    nearest rows, searched exactly among every row of the collection,
    partition by partition. The new rows go from a row in danger toward one
    of its ``k_neighbors`` nearest neighbours:

    - ``'borderline-1'``: neighbours within the class, found among the
      gathered rows; the new rows are made as :class:`SMOTE` here makes them,
      partition by partition.
    - ``'borderline-2'``: neighbours among every row, found in the same search
      as the ``m_neighbors`` (of ``max(m_neighbors, k_neighbors)`` rows); the
      neighbours outside the gathered rows (of the other classes) lie in
      their partitions, so those the draws pick (at most one per new row,
      each read once) are read from them in one more pass per class grown,
      and kept in memory with the rows in danger they start from; the new
      rows are then made partition by partition.

    With the same ``random_state``, the new rows are those of
    :class:`balancekit.over_sampling.BorderlineSMOTE` on the whole data (ties
    between equally near rows broken alike: to the lower row).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Which classes to grow and to what size, resolved on the labels of all
        partitions.
    random_state : int, RandomState instance or None, default=None
        Seeds the single random generator of each call.
    k_neighbors : int or estimator, default=5
        Number of nearest neighbours to interpolate with: within the class
        (``'borderline-1'``, where an estimator may find them among the
        gathered rows), or among every row (``'borderline-2'``, an int only).
    n_jobs : int, default=None
        Threads for the neighbour searches.
    m_neighbors : int, default=10
        Number of nearest neighbours, among every row, that decide whether a
        row is in danger.
    kind : {'borderline-1', 'borderline-2'}, default='borderline-1'
        Where the neighbours to interpolate with come from (see above).
    neighbors : {'exact', 'approximate'}, default='exact'
        How the neighbours within the class are found (for ``'borderline-1'``,
        and for plain SMOTE on a class without rows in danger); the searches
        among every row are exact.

    Attributes
    ----------
    sampling_strategy_ : dict
        ``{label: n_samples}`` each grown class has after resampling.
    nn_k_ : estimator object
        The neighbours estimator of ``k_neighbors``, not fitted (balancekit searches
        with its own search): ``NearestNeighbors(n_neighbors=k_neighbors + 1)``, or a
        clone of the estimator given.
    nn_m_ : estimator object
        The neighbours estimator of ``m_neighbors``, not fitted (balancekit searches
        with its own search): ``NearestNeighbors(n_neighbors=m_neighbors + 1)``.
    neighbors_recall_ : float or None
        With ``neighbors='approximate'``, the estimated recall of the search
        within the class; ``None`` with exact search.
    in_danger_indices_ : dict
        ``{label: ndarray}``: the row numbers, in the whole collection, of the
        rows in danger of each grown class.
    n_features_in_ : int
        Number of columns of ``X``.
    feature_names_in_ : ndarray of str
        Column names of a dask DataFrame ``X``.

    See Also
    --------
    balancekit.over_sampling.BorderlineSMOTE : the same on data in memory.

    Examples
    --------
    >>> import dask
    >>> import dask.array as da
    >>> from sklearn.datasets import make_classification
    >>> from balancekit.dask import BorderlineSMOTE
    >>> X, y = make_classification(n_samples=2000, weights=[0.9], flip_y=0.05, random_state=0)
    >>> X, y = da.from_array(X, chunks=500), da.from_array(y, chunks=500)
    >>> sampler = BorderlineSMOTE(kind="borderline-2", random_state=0)
    >>> X_res, y_res = dask.compute(*sampler.fit_resample(X, y))
    >>> int((y_res == 0).sum()) == int((y_res == 1).sum())
    True
    """

    def _fit_resample(self, X, y, *, targets, rng):
        if check_option("kind", self.kind, KINDS) == "borderline-1":
            return super()._fit_resample(X, y, targets=targets, rng=rng)
        # 'borderline-2': the rows of the in-memory sampler, with the same draws from rng.
        k, k_estimator = check_neighbors("k_neighbors", self.k_neighbors)
        m, m_estimator = check_neighbors("m_neighbors", self.m_neighbors)
        self._refuse_estimator("k_neighbors", k_estimator)
        self._refuse_estimator("m_neighbors", m_estimator)
        self.nn_k_ = neighbors_attribute(k, None, self.n_jobs)
        self.nn_m_ = neighbors_attribute(m, None, self.n_jobs)
        if not isinstance(X, np.ndarray):
            raise DataError("BorderlineSMOTE with kind='borderline-2' in balancekit.dask needs "
                            "dense numeric X.")
        search = search_options(self.neighbors, X, rng, output_rows(y, targets))
        whole = self._whole
        check_reference_size("k_neighbors", k, whole.n_rows)
        check_reference_size("m_neighbors", m, whole.n_rows)
        self.in_danger_indices_ = {}

        def generate(label, members, n_new):
            near, near_labels = whole.parts.nearest(X[members], whole.rows[members], max(m, k))
            danger = np.flatnonzero(in_danger(
                np.count_nonzero(near_labels[:, :m] != label, axis=1), m))
            self.in_danger_indices_[label] = members[danger]
            if danger.size == 0:
                return smote_fallback(
                    "BorderlineSMOTE",
                    f"no sample is in danger (at least half, but not all, of its {m} nearest "
                    "neighbours of another class)",
                    X, members, n_new, k, None, rng, label, self.n_jobs, search=search,
                )
            # The draws of the in-memory sampler.
            rows, neighbor, gap = draw_toward(rng, near[danger, :k], n_new,
                                              near_labels[danger, :k] != label)
            base = members[danger][rows]
            # Only the rows the segments join, read once each (the others from their
            # partitions), in a table of their own.
            ends, at = np.unique(np.concatenate([whole.rows[base], neighbor]),
                                 return_inverse=True)
            table = whole.values(X, ends)
            return segment_points(table, at[:n_new], at[n_new:], gap), base

        result = grow_classes(X, y, targets, generate)
        self.neighbors_recall_ = estimated_recall(search)
        return result

    def _danger(self, X, y, label, members, m, width, estimator, search):
        n_other = self._whole.other_counts(X, members, m, label, "m_neighbors", estimator)
        # The positions in the class of the rows in danger, and no lists: the neighbours to
        # interpolate with ('borderline-1') are searched within the class.
        return np.flatnonzero(in_danger(n_other, m)), None

    def _number_rows(self, rows):
        self.in_danger_indices_ = {label: rows[found] for label, found
                                   in self.in_danger_indices_.items()}
