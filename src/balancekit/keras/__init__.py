"""Balanced mini-batches for Keras.

:class:`BalancedBatchGenerator` is a Keras dataset (``keras.utils.PyDataset``,
or ``Sequence`` with Keras 2) to give to ``model.fit``; importing this module
imports Keras where it is installed (``pip install balancekit[keras]``).
:func:`balanced_batch_generator` is :func:`balancekit.tensorflow.balanced_batch_generator`,
which needs no Keras.
"""

from balancekit.keras._generator import BalancedBatchGenerator, balanced_batch_generator

__all__ = ["BalancedBatchGenerator", "balanced_batch_generator"]
