"""Every sampler, built with settings that suit the small data of the tests."""

import inspect

from balancekit._registry import available_samplers

# Constructor arguments a sampler needs to run on ~300 rows (keyed by class name).
SMALL_DATA_PARAMS = {}


def all_sampler_classes():
    return available_samplers()


def make_sampler(cls, random_state=0, **params):
    """An instance of ``cls`` with a seed (when it takes one) and small-data settings."""
    kwargs = dict(SMALL_DATA_PARAMS.get(cls.__name__, {}))
    kwargs.update(params)
    if "random_state" in inspect.signature(cls).parameters:
        kwargs.setdefault("random_state", random_state)
    return cls(**kwargs)


def sampler_ids():
    return list(available_samplers())
