"""Over-samplers: grow the rare classes, by copying rows or making new ones."""

from ._adasyn import ADASYN
from ._borderline import BorderlineSMOTE
from ._kmeans_smote import KMeansSMOTE
from ._random import RandomOverSampler
from ._smote import SMOTE
from ._smotenc import SMOTEN, SMOTENC
from ._svm_smote import SVMSMOTE

__all__ = [
    "ADASYN",
    "BorderlineSMOTE",
    "KMeansSMOTE",
    "SVMSMOTE",
    "RandomOverSampler",
    "SMOTE",
    "SMOTEN",
    "SMOTENC",
]
