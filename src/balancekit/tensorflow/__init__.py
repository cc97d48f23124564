"""Balanced mini-batches for TensorFlow and other deep-learning frameworks.

:func:`balanced_batch_generator` needs only numpy: importing this module never
imports TensorFlow (or Keras), and it does not stand in for the ``tensorflow``
package: ``import tensorflow`` still finds the real one.
"""

from balancekit.tensorflow._generator import balanced_batch_generator

__all__ = ["balanced_batch_generator"]
