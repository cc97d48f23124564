"""Over-samplers: grow the rare classes, by copying rows or making new ones."""

from ._random import RandomOverSampler
from ._smote import SMOTE
from ._smotenc import SMOTEN, SMOTENC

__all__ = ["RandomOverSampler", "SMOTE", "SMOTEN", "SMOTENC"]
