"""What the dask samplers share: checks, the whole-data targets and the random streams."""

import numpy as np

from .._base import call_lock
from .._validation import check_seed
from ..exceptions import InvalidParameterError
from ._collections import Partitions


class DaskSamplerMixin:
    """Put before a balancekit sampler class: its ``fit`` and ``fit_resample`` take dask
    collections, and subclasses implement ``_resample_partitions(parts, targets, totals)``.

    The parameters, their checks and the algorithm hook are the in-memory sampler's.
    """

    def fit(self, X, y):
        """Count the classes and resolve the sampling strategy.

        Parameters
        ----------
        X : dask DataFrame or 2-D dask Array of shape (n_samples, n_features)
            The training data.
        y : dask Series or 1-D dask Array of shape (n_samples,)
            The class labels, in the partitions of ``X``.

        Returns
        -------
        self : object
            The sampler, with ``sampling_strategy_`` set.
        """
        with call_lock(self):  # one call of this object at a time, as in memory
            self._targets(Partitions(X, y, type(self).__name__))
        return self

    def fit_resample(self, X, y, *, sample_weight=None):
        """Resample a dask collection.

        The labels are counted first (a pass over ``y``, computed at once;
        for a ``y`` taken from a table read from files, a pass over the
        files); the resampled data are returned as lazy dask collections.

        Parameters
        ----------
        X : dask DataFrame or 2-D dask Array of shape (n_samples, n_features)
            The training data.
        y : dask Series or 1-D dask Array of shape (n_samples,)
            The class labels, in the partitions of ``X`` (e.g. ``X =
            df.drop(columns='label')`` and ``y = df['label']``).
        sample_weight : None, default=None
            Not supported on dask collections; must stay ``None``.

        Returns
        -------
        X_resampled : same kind as X
            The resampled data. Compute it together with ``y_resampled``
            (``dask.compute(X_resampled, y_resampled)``), so that each
            partition is read once.
        y_resampled : same kind as y
            The matching labels, in the partitions of ``X_resampled``.
        """
        if sample_weight is not None:
            raise InvalidParameterError(
                f"{type(self).__name__} in balancekit.dask does not take sample_weight; pass "
                "sample_weight=None, or put the weights in a column of X."
            )
        # One call of this object at a time, as in memory: a call sets the fitted attributes
        # (and the SMOTE family the rows it gathered) while it builds its collections.
        with call_lock(self):
            parts = Partitions(X, y, type(self).__name__)
            targets, totals = self._targets(parts)
            return parts.restore(*self._resample_partitions(parts, targets, totals))

    def _targets(self, parts):
        """Resolve the strategy on the counts of all partitions; set the fitted attributes."""
        targets, totals = parts.targets(self.sampling_strategy, self._sampling_type)
        self.sampling_strategy_ = targets
        self.n_features_in_ = parts.X.shape[1] if not parts.frame else len(parts.X.columns)
        names = list(parts.X.columns) if parts.frame else []
        if names and all(isinstance(name, str) for name in names):
            self.feature_names_in_ = np.asarray(names, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        return targets, totals

    @staticmethod
    def _refuse_estimator(name, estimator):
        """An error for a neighbours estimator given as ``name``: the searches over every
        partition are balancekit's own."""
        if estimator is not None:
            raise InvalidParameterError(
                f"{name} must be an int in balancekit.dask, whose search over every partition "
                f"is its own; got {type(estimator).__name__}."
            )

    def _streams(self, n_parts):
        """One generator for the whole-data draws and one seed per partition, all from
        the call's single ``random_state``."""
        rng = check_seed(self.random_state, owner=type(self).__name__)
        root = np.random.SeedSequence(rng.randint(0, 2**32, size=4, dtype=np.uint64))
        return np.random.default_rng(root), root.spawn(n_parts)

