"""Resampling of dask collections: tables larger than one machine's memory.

The samplers here take a dask DataFrame or 2-D dask Array ``X`` and a dask
Series or 1-D dask Array ``y`` split into the same partitions, and return
lazy dask collections of the same kinds. They first count the labels (one
pass over ``y``) to resolve the sampling strategy on the whole data.

- :class:`RandomUnderSampler` and :class:`RandomOverSampler` keep every row in
  its partition and draw exactly the counts of the in-memory samplers on the
  whole data.
- :class:`SMOTE`, :class:`SMOTENC`, :class:`SMOTEN`, :class:`ADASYN` and
  :class:`BorderlineSMOTE` gather the rows of the classes they grow (which
  must fit in memory) and append the new rows the in-memory samplers would
  make (made partition by partition, when they are computed, for SMOTE,
  ADASYN and BorderlineSMOTE); ADASYN and BorderlineSMOTE search the
  neighbours of the gathered rows among every row, and SMOTEN counts the
  classes of every category, partition by partition. BorderlineSMOTE's
  ``'borderline-2'`` also reads, from their partitions, the rows of other
  classes its new rows go toward (only those its draws pick).
- :class:`NearMiss` gathers the minority class and reads the rows of the
  other classes partition by partition: versions 1 and 2 score them and
  keep the best of each over the whole collection; version 3 keeps, for each
  minority row, its ``n_neighbors_ver3`` nearest rows of each class over the
  whole collection (a short list merged across partitions), and ranks the
  rows so listed by their distances to the minority.
- :class:`TomekLinks` gathers the rows outside the largest class, searches
  their nearest rows (and those of the rows they point to) among every row,
  and drops the rows of the links from their partitions.
- :class:`PartitionSampler` runs any sampler on each partition on its own (an
  approximation of it on the whole data).

This module needs dask (``pip install 'balancekit[dask]'``); importing
:mod:`balancekit` itself never imports dask.
"""

try:
    import dask.array  # noqa: F401
    import dask.dataframe  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised only without dask
    raise ImportError(
        "balancekit.dask needs dask with its DataFrame support, which is not installed. "
        "Install it with `pip install 'balancekit[dask]'`."
    ) from exc

from ._cleaning import NearMiss, TomekLinks
from ._partitions import PartitionSampler
from ._random import RandomOverSampler, RandomUnderSampler
from ._smote import ADASYN, SMOTE, SMOTEN, SMOTENC, BorderlineSMOTE

__all__ = ["ADASYN", "BorderlineSMOTE", "NearMiss", "PartitionSampler", "RandomOverSampler",
           "RandomUnderSampler", "SMOTE", "SMOTEN", "SMOTENC", "TomekLinks"]
