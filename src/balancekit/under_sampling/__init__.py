"""Under-samplers: shrink the common classes, at random or by cleaning rules."""

from ._cluster_centroids import ClusterCentroids
from ._condensed import CondensedNearestNeighbour, OneSidedSelection
from ._enn import AllKNN, EditedNearestNeighbours, RepeatedEditedNearestNeighbours
from ._instance_hardness import InstanceHardnessThreshold
from ._ncr import NeighbourhoodCleaningRule
from ._nearmiss import NearMiss
from ._random import RandomUnderSampler
from ._tomek import TomekLinks

__all__ = [
    "AllKNN",
    "ClusterCentroids",
    "CondensedNearestNeighbour",
    "EditedNearestNeighbours",
    "InstanceHardnessThreshold",
    "NearMiss",
    "NeighbourhoodCleaningRule",
    "OneSidedSelection",
    "RandomUnderSampler",
    "RepeatedEditedNearestNeighbours",
    "TomekLinks",
]
