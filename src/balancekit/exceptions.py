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
    "raise_isinstance_error",
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


def raise_isinstance_error(variable_name, possible_type, variable):
    """Raise the error for a value of a type that is not accepted.

    For samplers of your own, as imbalanced-learn's function of the same name:
    call it where an ``isinstance`` check fails.

    Parameters
    ----------
    variable_name : str
        The name of the parameter, as the user wrote it.
    possible_type : type or list of types
        The type, or the types, the parameter accepts.
    variable : object
        The value received.

    Raises
    ------
    InvalidParameterTypeError
        Always: the message names ``variable_name``, the types accepted and
        the type received. It is a :class:`TypeError` and, as
        imbalanced-learn's error is, a :class:`ValueError`.

    Examples
    --------
    >>> from balancekit.exceptions import raise_isinstance_error
    >>> try:
    ...     raise_isinstance_error("k_neighbors", [int], "five")
    ... except ValueError as exc:
    ...     print(exc)
    k_neighbors must be an instance of int; got 'five' of type str.
    """
    if isinstance(possible_type, (list, tuple, set, frozenset)):
        types = list(possible_type)
        if isinstance(possible_type, (set, frozenset)):
            types.sort(key=_type_name)
    else:
        types = [possible_type]
    names = [_type_name(t) for t in types] or ["one of the types of possible_type, which is empty"]
    expected = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    shown = repr(variable)
    shown = f"{shown} " if len(shown) <= 60 else "a value "
    raise InvalidParameterTypeError(
        f"{variable_name} must be an instance of {expected}; got {shown}of type "
        f"{type(variable).__name__}."
    )


def _type_name(possible_type):
    return possible_type.__name__ if isinstance(possible_type, type) else str(possible_type)
