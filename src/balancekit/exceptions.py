"""Errors and warnings raised by balancekit.

Every error is a subclass of :class:`ValueError`, and errors about types also
of :class:`TypeError` (as scikit-learn's ``InvalidParameterError`` is both),
so code written for scikit-learn's and imbalanced-learn's conventions keeps
working; every message names the parameter, what was expected and what was
received.
"""

__all__ = [
    "BalancekitError",
    "DataError",
    "DataTypeError",
    "InvalidParameterError",
    "InvalidParameterTypeError",
    "BalancekitWarning",
    "SmallClassWarning",
]


class BalancekitError(Exception):
    """Base class of every error raised by balancekit."""


class InvalidParameterError(BalancekitError, ValueError):
    """A parameter has a value outside what it accepts."""


class InvalidParameterTypeError(BalancekitError, TypeError, ValueError):
    """A parameter or an input has a type that is not accepted.

    Also a :class:`ValueError`: imbalanced-learn's parameter checks raise
    scikit-learn's ``InvalidParameterError`` for any bad value, which is both.
    """


class DataError(BalancekitError, ValueError):
    """The data (``X``, ``y`` or a file) cannot be used as given."""


class DataTypeError(DataError, TypeError):
    """The data holds values of a type the method cannot use (e.g. text for SMOTE)."""


class BalancekitWarning(UserWarning):
    """Base class of every warning emitted by balancekit."""


class SmallClassWarning(BalancekitWarning):
    """A class has too few samples for the requested number of neighbours."""
