"""Under-samplers: shrink the common classes, at random or by cleaning rules."""

from ._cluster_centroids import ClusterCentroids
from ._instance_hardness import InstanceHardnessThreshold
from ._random import RandomUnderSampler

__all__ = ["ClusterCentroids", "InstanceHardnessThreshold", "RandomUnderSampler"]
