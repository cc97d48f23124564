"""Cross-validation splitters for class-imbalanced data.

:class:`InstanceHardnessCV` spreads the rows a classifier finds hardest to
predict evenly over the folds, so that no fold is scored on an unusually hard
(or easy) share of the data.
"""

from ._split import InstanceHardnessCV

__all__ = ["InstanceHardnessCV"]
