"""Under-samplers: shrink the common classes, at random or by cleaning rules."""

from ._random import RandomUnderSampler

__all__ = ["RandomUnderSampler"]
