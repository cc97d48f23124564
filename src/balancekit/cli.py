"""The ``balancekit`` command: compare strategies, resample a table, inspect a target.

Every failure ends in one red line on stderr and a non-zero exit status: 2 when
the command line itself is wrong (a missing or unknown option, a value that
cannot be parsed, an unknown method or column), 1 when the command is well
formed but the files or the data do not allow it (a missing or unreadable
file, an existing output, a target with one class, a method that cannot run on
this data). A bare ``balancekit`` or a command without its arguments shows
the help and exits with 2 as well. Ctrl-C exits with 130 and SIGTERM (a
timeout, ``kill``, a cancelled job) with 143; an output being written is then
removed, not left partial. Warnings are shown once each, in yellow, after the
result and before any error line.
"""

# ruff: noqa: E402 (the libraries are imported after the Ctrl-C handler of start-up is set)
import signal
import sys


def _interrupted_while_starting(signum, frame):
    """Ctrl-C while the command loads its libraries: one line and exit 130, as later on."""
    sys.stderr.write("Error: Interrupted.\n")
    raise SystemExit(130)


# Loading the libraries below takes a moment; Ctrl-C meanwhile ends the command as it does
# later, not with a traceback. The previous handler is back at the end of this module. A
# process started with Ctrl-C ignored (a background job of a script) keeps ignoring it.
try:
    _SIGINT_BEFORE = (None if signal.getsignal(signal.SIGINT) is signal.SIG_IGN
                      else signal.signal(signal.SIGINT, _interrupted_while_starting))
except ValueError:  # not the main thread: signals are not ours to handle
    _SIGINT_BEFORE = None

import contextlib
import json
import math
import os
import re
import shlex
import time
import warnings
from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Column, Table
from rich.text import Text

from . import __version__, _frames, _io
from ._registry import available_samplers
from ._strategy import STRATEGY_NAMES, class_counts, rare_class, resolve_counts
from ._validation import check_target, label_values, unique_labels
from .exceptions import (
    BalancekitError,
    BalancekitWarning,
    DataError,
    InvalidParameterError,
    InvalidParameterTypeError,
)

__all__ = ["app", "main"]

DEMO_TARGET = "is_fraud"
MODELS = ("logistic", "hgb")
RESERVED_PARAMS = {"sampling_strategy": "--strategy", "random_state": "--seed"}


# --------------------------------------------------------------------------- output helpers


class _Stdout(Console):
    """The console of stdout. When its reader has gone (``| head``), the rest of the output
    is dropped and the command goes on, so that the files it writes (``compare --json``,
    ``--report``) are still written; rich would end the command at once, with status 1 and
    no word."""

    def print(self, *objects, **options):
        try:
            super().print(*objects, **options)
        except BrokenPipeError:  # rich 13.0 lets the error through; later versions call
            self.on_broken_pipe()  # on_broken_pipe themselves

    def on_broken_pipe(self):
        self.quiet = True
        with contextlib.suppress(OSError, ValueError):  # not a file: nothing more to close
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # what is left in its buffer goes nowhere
            os.close(devnull)


def _stdout():
    # A wide console when stdout is not a terminal, so piped tables are not squeezed.
    console = _Stdout(highlight=False)
    if not console.is_terminal:
        console = _Stdout(highlight=False, width=160)
    return console


def _stderr():
    return Console(stderr=True, highlight=False, soft_wrap=True)


_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")


def _one_line(text):
    """``text`` on one line: each line break, with the blanks around it, becomes a space
    (runs of spaces inside a line are kept: they may belong to a quoted name)."""
    return _LINE_BREAK.sub(" ", str(text)).strip()


@contextlib.contextmanager
def _working(text):
    """A spinner with ``text`` on stderr while a long step runs (on a terminal only; it
    leaves no line behind)."""
    console = _stderr()
    if not console.is_terminal:
        yield
        return
    with console.status(Text(_one_line(text))):
        yield


def _say(message, style=None):
    """Print one plain line on stderr (never parsed as markup)."""
    _stderr().print(Text(_one_line(message), style=style or ""), soft_wrap=True)


def _error_message(exc):
    """The one-line message for an exception."""
    if isinstance(exc, OSError) and exc.strerror:
        message = exc.strerror
        if exc.filename is not None and str(exc.filename) not in message:
            message = f"{message}: '{exc.filename}'"
    else:
        message = str(exc) or type(exc).__name__
    return _one_line(message)


def _print_error(message):
    line = Text("Error: ", style="bold red")
    line.append(_one_line(message), style="red")
    _stderr().print(line, soft_wrap=True)


def _show_warnings(caught):
    seen = set()
    for item in caught:
        key = (item.category, str(item.message))
        if key in seen:
            continue
        seen.add(key)
        line = Text(f"Warning ({item.category.__name__}): ", style="bold yellow")
        line.append(_one_line(item.message), style="yellow")
        _stderr().print(line, soft_wrap=True)


class _Interrupted(Exception):
    """Raised in place of KeyboardInterrupt so that it reaches the error handler."""

    def __init__(self, code=130, message="Interrupted."):
        super().__init__(message)
        self.code, self.message = code, message


class _Terminated(KeyboardInterrupt):
    """SIGTERM (a timeout, ``kill``, a cancelled job), handled as Ctrl-C is: what is being
    written is removed."""


def _on_sigterm(signum, frame):
    raise _Terminated()


@contextlib.contextmanager
def _sigterm_as_interrupt():
    """Within the block, SIGTERM raises :class:`_Terminated` (main thread only)."""
    try:
        # A process started with SIGTERM ignored keeps ignoring it.
        installed = signal.getsignal(signal.SIGTERM) is not signal.SIG_IGN
        previous = signal.signal(signal.SIGTERM, _on_sigterm) if installed else None
    except (ValueError, AttributeError, OSError):  # not the main thread; no SIGTERM here
        installed = False
    if not installed:
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _Group(typer.core.TyperGroup):
    """The top-level command, with the one error handler of the tool."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except _Terminated:
            raise _Interrupted(143, "Terminated.") from None
        except KeyboardInterrupt:
            raise _Interrupted() from None

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        with _sigterm_as_interrupt():
            return self._main(args, prog_name, complete_var, standalone_mode, **extra)

    def _main(self, args, prog_name, complete_var, standalone_mode, **extra):
        error = None
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            try:
                result = super().main(
                    args=args,
                    prog_name=prog_name or "balancekit",
                    complete_var=complete_var,
                    standalone_mode=False,
                    **extra,
                )
                code = result if isinstance(result, int) else 0
            except _Interrupted as exc:
                code, error = exc.code, exc.message
            except _Terminated:
                code, error = 143, "Terminated."
            except (typer.Abort, KeyboardInterrupt):
                code, error = 130, "Interrupted."
            except (BalancekitError, OSError, ValueError) as exc:
                code, error = 1, _error_message(exc)
            except MemoryError as exc:
                code, error = 1, (
                    f"out of memory ({_error_message(exc)}): the data or the result is too large "
                    "for this machine; ask for fewer rows (--strategy), use a smaller table, or "
                    "run on a machine with more memory."
                )
            except Exception as exc:
                code, error = _command_line_error(exc)
                if code is None:  # a defect: still one line, the traceback on request
                    if os.environ.get("BALANCEKIT_DEBUG"):
                        raise
                    code = 1
                    error = (
                        f"Unexpected {type(exc).__name__}: {_error_message(exc)} (set "
                        "BALANCEKIT_DEBUG=1 to see the traceback, and please report it)."
                    )
        _show_warnings(caught)
        if error is not None:
            _print_error(error)
        if standalone_mode:
            sys.exit(code)
        return code


def _command_line_error(exc):
    """``(exit code, message)`` for an error of the command-line parser, else ``(None, None)``.

    The parser's exceptions (usage errors: exit code 2) carry ``exit_code``
    and ``format_message``; they are recognised by that interface.
    """
    if not (isinstance(getattr(exc, "exit_code", None), int) and hasattr(exc, "format_message")):
        return None, None
    if type(exc).__name__ == "NoArgsIsHelpError":  # the help is already on screen
        return exc.exit_code, None
    message = _one_line(exc.format_message())
    ctx = getattr(exc, "ctx", None)
    if exc.exit_code == 2 and ctx is not None:
        message = f"{message.rstrip('.')}. See '{ctx.command_path} --help'."
    return exc.exit_code, message


def _version_callback(value: bool):
    if value:
        typer.echo(f"balancekit {__version__}")
        raise typer.Exit()


app = typer.Typer(
    cls=_Group,
    name="balancekit",
    help="Machine learning on class-imbalanced data: compare strategies, resample tables, "
    "inspect targets.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            help="Print the version of balancekit and exit.",
            callback=_version_callback,
            is_eager=True,
        ),
    ] = False,
):
    pass


def main(argv=None):
    """Run the ``balancekit`` command (the console-script entry point).

    Parameters
    ----------
    argv : list of str, default=None
        The arguments, without the program name; ``None`` reads ``sys.argv``.
    """
    try:
        command = typer.main.get_command(app)
    except KeyboardInterrupt:
        _interrupted_while_starting(signal.SIGINT, None)
    command.main(args=argv, prog_name="balancekit")


# --------------------------------------------------------------------------- value parsing


def _check_table_path(value):
    """DATA: a path that exists, with a supported extension (a usage error otherwise)."""
    if value is None:
        return None
    if not value.exists():
        raise typer.BadParameter(f"'{value}' does not exist.")
    if not (value.is_file() or value.is_dir()):
        # A named pipe or a device can be read only once, and is read twice (to look at it).
        raise typer.BadParameter(
            f"'{value}' is not a file on disk (a named pipe or a device); write the data to "
            "a file first.")
    try:
        _io.table_format(value, allow_directory=True)
    except BalancekitError as exc:
        raise typer.BadParameter(str(exc)) from None
    return value


def _check_output_path(value):
    """-o: a supported extension, in a directory that exists (usage errors otherwise)."""
    if value is None:
        return None
    try:
        _io.table_format(value)
    except BalancekitError as exc:
        raise typer.BadParameter(str(exc)) from None
    return _check_output_directory(value)


def _check_output_directory(value):
    """A usage error when the directory that file ``value`` goes in is missing or a file."""
    try:
        _io.check_output_directory(value)
    except OSError as exc:
        raise typer.BadParameter(f"{exc.strerror}.") from None
    return value


#: Names of the delimiters in messages, and how to type them on the command line.
_SEP_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "'|'"}
_SEP_ARGS = {"\t": "'\\t'"}


def _parse_sep(value):
    """``--sep``: one character; ``\\t`` or ``tab`` for a tab."""
    if value is None:
        return None
    sep = {"\\t": "\t", "tab": "\t"}.get(value, value)
    if len(sep) != 1 or sep in '"\r\n':
        raise typer.BadParameter(
            f"{value!r} is not a field delimiter; give one character such as ';' or '|', "
            "or '\\t' for a tab."
        )
    return sep


def _is_csv(path):
    return path is not None and _io.table_format(path, allow_directory=True).startswith("csv")


def _csv_only(ctx, value, what, option, paths):
    """A usage error naming ``option`` when it is given (``value``) and none of ``paths``
    is a CSV file: ``what`` (the delimiter, the decimal mark) applies to CSV files only."""
    if value is not None and not any(_is_csv(p) for p in paths):
        raise typer.BadParameter(
            f"{what} applies to CSV files only, and this command reads or writes none.",
            ctx=ctx,
            param_hint=f"'{option}'",
        )


def _check_sep(ctx, sep, *paths):
    """The CSV delimiter (',' by default); an error when none of ``paths`` is a CSV file."""
    _csv_only(ctx, sep, "the delimiter", "--sep", paths)
    return "," if sep is None else sep


def _sep_option(help_text):
    return typer.Option(
        "--sep",
        "--delimiter",
        help=help_text,
        callback=_parse_sep,
        show_default=False,
    )


_SEP_HELP = "Field delimiter of a CSV file, e.g. ';' or '\\t' (tab). Default: ','."


def _parse_decimal(value):
    if value is not None and value not in (".", ","):
        raise typer.BadParameter(f"the decimal mark is '.' or ','; got {value!r}.")
    return value


def _decimal_option(help_text):
    return typer.Option("--decimal", help=help_text, callback=_parse_decimal,
                        show_default=False)


_DECIMAL_HELP = ("Decimal mark of the numbers of a CSV file: '.' or ',' (as in '1,5', with "
                 "another --sep, e.g. ';'). Default: '.'.")


def _check_decimal(ctx, decimal, sep, *paths):
    """The decimal mark ('.' by default); an error when none of ``paths`` is a CSV file,
    or when it is the field delimiter ``sep``."""
    _csv_only(ctx, decimal, "the decimal mark", "--decimal", paths)
    if decimal is None:
        return "."
    if decimal == sep:
        raise typer.BadParameter(
            f"the decimal mark {decimal!r} is also the field delimiter; give the delimiter "
            "of the file with --sep (e.g. --sep ';').", ctx=ctx, param_hint="'--decimal'")
    return decimal


def _drop_option(help_text):
    return typer.Option(
        "--drop",
        help=help_text,
        show_default=False,
        metavar="COLUMNS",
    )


def _check_method(value):
    methods = available_samplers()
    if value not in methods:
        raise typer.BadParameter(f"unknown method {value!r}; expected one of {', '.join(methods)}.")
    return value


_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def _parse_int(value):
    """An integer option: whole numbers only, as written (``3``, ``-2``). ``3.0``, ``1e3``
    and ``3_0`` are refused, whatever the version of typer (recent ones take them)."""
    if value is None or isinstance(value, int):
        return value
    text = str(value).strip()
    if not _WHOLE_NUMBER.fullmatch(text):
        raise typer.BadParameter(f"{value!r} is not a whole number; expected an integer such "
                                 "as 3.")
    return int(text)


# typer on click's types (before its own parsing) names the option's values after the
# parser: 'INTEGER', as for an int.
_parse_int.__name__ = "integer"


def _int_option(*names, help, callback):
    """A ``typer.Option`` for an integer, read by :func:`_parse_int`."""
    return typer.Option(*names, help=help, parser=_parse_int, callback=callback)


def _int_range(low, high=None):
    """A parameter callback for an integer of at least ``low`` (and at most ``high``) whose
    error quotes the value received."""
    expected = f"an integer >= {low}" + (f" and <= {high:,}" if high is not None else "")

    def callback(value):
        if value is not None and (value < low or (high is not None and value > high)):
            raise typer.BadParameter(f"{value} is out of range; expected {expected}.")
        return value

    return callback


def _validated(parse):
    """A parameter callback that checks a value with ``parse`` and passes it on unchanged.

    The command parses the value again with the same function: callbacks only
    check, so that typer's own conversion of the returned value cannot alter it.
    """

    def callback(value):
        parse(value)
        return value

    return callback


def _unique_keys(pairs):
    """A JSON object as a dict, refusing a key given twice (``json`` keeps the last)."""
    keys = [key for key, _ in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise typer.BadParameter(f"{', '.join(map(repr, repeated))} given more than once.")
    return dict(pairs)


def _parse_strategy(value):
    """``--strategy``: a name, a ratio in (0, 1], or a JSON object/list of classes."""
    if value is None:
        return None
    text = value.strip()
    if text in STRATEGY_NAMES:
        return text
    try:
        ratio = float(text)
    except ValueError:
        pass
    else:
        if not (math.isfinite(ratio) and 0 < ratio <= 1):
            count = ("; for a number of rows of a class, give a JSON object such as "
                     "'{\"yes\": 500}'" if ratio > 1 and ratio.is_integer() else "")
            raise typer.BadParameter(
                f"{value!r} is out of range: as a number it is the ratio n_minority / n_majority "
                f"wanted after resampling, which must lie in (0, 1]{count}."
            )
        return ratio
    if text[:1] in "{[":
        try:
            parsed = json.loads(text, object_pairs_hook=_unique_keys)
        except json.JSONDecodeError as exc:
            raise typer.BadParameter(
                f"{value!r} is not valid JSON ({exc.msg} at character {exc.pos})."
            ) from None
        if isinstance(parsed, dict):
            for label, count in parsed.items():
                if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                    raise typer.BadParameter(
                        f"the count for class {label!r} must be a non-negative whole number; "
                        f"got {count!r}."
                    )
            return parsed
        return parsed
    names = ", ".join(repr(n) for n in STRATEGY_NAMES)
    raise typer.BadParameter(
        f"{value!r} is not a sampling strategy; expected one of {names}, a ratio in (0, 1] such "
        "as 0.5, or a JSON object of counts per class such as '{\"1\": 500}'."
    )


_LITERALS = {"none": None, "true": True, "false": False}


def _parse_params(values):
    """``--param key=value`` (repeatable): values are read as JSON, else kept as text."""
    params = {}
    for item in values or ():
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise typer.BadParameter(f"{item!r} is not of the form key=value (e.g. k_neighbors=3).")
        if key in params:
            raise typer.BadParameter(f"{key!r} is given more than once.")
        if key in RESERVED_PARAMS:
            raise typer.BadParameter(f"set {key} with {RESERVED_PARAMS[key]}, not --param.")
        raw = raw.strip()
        if raw.lower() in _LITERALS:
            params[key] = _LITERALS[raw.lower()]
            continue
        try:
            params[key] = json.loads(raw, object_pairs_hook=_unique_keys)
        except json.JSONDecodeError:
            params[key] = raw
    return params


def _parse_strategies(value):
    """``--strategies a,b,...``: a comma-separated list of names, without repeats (in any
    case, as ``--scoring`` and ``--model`` take theirs)."""
    if value is None:
        return None
    names = [name.strip().lower() for name in value.split(",")]
    if not all(names):
        raise typer.BadParameter(
            f"{value!r} has an empty name; give names separated by commas, e.g. "
            "'baseline,random_over,smote'."
        )
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise typer.BadParameter(f"{', '.join(repeated)} given more than once.")
    return names


def _check_jobs(value):
    if value == 0:
        raise typer.BadParameter(
            "0 is not allowed; use a positive number, or a negative one for all cores but "
            "some (-1: all cores, -2: all but one)."
        )
    return value


def _check_model(value):
    name = value.strip().lower()
    if name not in MODELS:
        raise typer.BadParameter(f"unknown model {value!r}; expected one of {', '.join(MODELS)}.")
    return name


def _match_label(key, labels):
    """The class label a command-line key names, else ``key``: one rule for --strategy,
    --param and --pos-label.

    Keys are text (JSON object keys, option values): a label matches when it is equal,
    when its text is (``'1'`` for the integer 1), a boolean by any spelling a file
    uses (``'true'``, ``'FALSE'``, ``'1'``, ``'0'``), or a number of equal value
    (``'1'`` for the label 1.0).
    """
    if key in labels and not isinstance(key, bool):
        return key
    text = str(key).strip()
    for label in labels:
        if str(label) == text:
            return label
    for label in labels:
        if isinstance(label, (bool, np.bool_)):
            spelled = {str(label).lower(), str(int(label))}
            if text.lower() in spelled or (isinstance(key, bool) and key == label):
                return label
    try:
        number = float(text)
    except ValueError:
        return key
    for label in labels:
        if isinstance(label, (int, float, np.integer, np.floating)) and not isinstance(
            label, (bool, np.bool_)
        ) and label == number:
            return label
    return key


def _labels_of(y):
    """The classes of ``y`` (missing labels left out), as Python values."""
    return [_py(v) for v in pd.unique(y.dropna())]


def _match_classes(keys, labels):
    """The target's labels that command-line ``keys`` name (see :func:`_match_label`).

    Returns ``(matched, unknown, repeat)``: the label of each key, the keys that
    name no class, and the first two keys naming one class (``None``: none).
    """
    matched = [_match_label(k, labels) for k in keys]
    unknown = [key for key, label in zip(keys, matched, strict=True) if label not in labels]
    repeat = next(((keys[matched.index(label)], keys[i], label)
                   for i, label in enumerate(matched) if matched.index(label) < i), None)
    return matched, unknown, repeat


def _strategy_for(ctx, strategy, labels):
    """``--strategy`` with its keys (or list items) mapped to the target's labels; two keys
    naming one class (``'1'`` and ``'1.0'``) are an error."""
    if not isinstance(strategy, (dict, list)):
        return strategy
    matched, unknown, repeat = _match_classes(list(strategy), labels)
    if unknown:
        raise typer.BadParameter(
            f"{', '.join(map(repr, unknown))}: no such class in the target; its classes are "
            f"{_label_list(labels)}.", ctx=ctx, param_hint="'--strategy'")
    if repeat is not None:
        first, key, label = repeat
        said = (f"{key!r} is given more than once" if first == key else
                f"{first!r} and {key!r} both name class {_label_list([label])}")
        raise typer.BadParameter(f"{said}; name each class once.", ctx=ctx,
                                 param_hint="'--strategy'")
    if isinstance(strategy, dict):
        return dict(zip(matched, strategy.values(), strict=True))
    return matched


def _split_target(ctx, table, target, sep=None, features=True):
    """Split ``table`` into features and the target column, checking the name
    (:func:`_check_target_column`); ``features=False``: the target may be the only column
    (a report of the classes needs no feature)."""
    _check_target_column(ctx, table, target, sep)
    if features and table.shape[1] == 1:
        raise DataError(
            f"the table has no feature columns besides the target {target!r}: a model needs at "
            "least one column to learn from."
        )
    _check_label_values(table[target], target)
    _warn_spaced_labels(table[target], target)
    return table.drop(columns=[target]), _fractional_labels(table[target])


def _fractional_labels(y):
    """A class column of a few fractional numbers (grades 1.5 and 2.5) as their text, which
    every classifier takes as class labels: scikit-learn reads fractional numbers as a
    continuous outcome. Any other column is returned as it is (more distinct values than
    a target of classes has are refused by the samplers as continuous)."""
    from .evaluation._compare import MANY_CLASSES

    if y.dtype.kind != "f":
        return y
    values = y.dropna().unique()
    if np.array_equal(values, np.round(values)) or values.size > MANY_CLASSES:
        return y
    return _label_text(y)


def _label_text(y):
    """The labels of ``y`` as their text, missing values kept."""
    return y.map(str, na_action="ignore").astype(object)


#: The values a Parquet column may hold that are no class labels, by pandas' name of
#: their kind, and as a message names them.
_NOT_LABELS = {"bytes": "bytes", "date": "dates", "time": "times of day"}


def _check_label_values(y, target):
    """An error naming the class column when its values cannot be class labels: bytes,
    dates, times or durations, lists, structs or maps (as a Parquet file may hold)."""
    kind = pd.api.types.infer_dtype(y, skipna=True) if y.dtype == object else None
    example = None
    if y.dtype.kind in "mM":  # datetime64, with or without a time zone; timedelta64
        what = "durations" if y.dtype.kind == "m" else "dates and times"
        example = y.dropna().iloc[0] if y.notna().any() else None
    elif kind in _NOT_LABELS:
        what = _NOT_LABELS[kind]
        example = y.dropna().iloc[0]
    elif kind == "mixed":  # nested values among others
        nested = (list, tuple, dict, np.ndarray)
        example = next((v for v in y if isinstance(v, nested)), None)
        what = "structs or maps" if isinstance(example, dict) else "lists"
    if example is None:
        return
    if isinstance(example, np.ndarray):
        example = example.tolist()
    shown = repr(example if isinstance(example, (bytes, list, tuple, dict)) else str(example))
    raise DataError(
        f"the column {target!r} holds {what} (such as {shown}), which cannot be class "
        "labels; class labels are text, whole numbers or booleans: convert the column into one "
        "of those first."
    )


def _check_target_column(ctx, table, target, sep=None):
    """A usage error when ``table`` has no column ``target``.

    ``sep`` is the delimiter a CSV file was read with (``None`` for Parquet):
    when the name is not found and the column names hold another delimiter,
    the message says how to read the file.
    """
    if target in table.columns:
        return
    message = _no_column(target, table.columns)
    other = None if sep is None else _io.guess_delimiter(table.columns, sep)
    if other is not None:
        message += (
            f" The file seems to be delimited by {_SEP_NAMES[other]}, not by "
            f"{_SEP_NAMES.get(sep, repr(sep))}: read it with --sep "
            f"{_SEP_ARGS.get(other, repr(other))}."
        )
    raise typer.BadParameter(message, ctx=ctx, param_hint="'--target'")


def _warn_spaced_labels(y, target):
    """A warning where text labels differ only by surrounding spaces (``'yes'`` and
    ``'yes '``), and one where they differ only by case (``'Yes'`` and ``'yes'``): they are
    different classes, which is rarely what the file meant."""
    labels = [label for label in pd.unique(y.dropna()) if isinstance(label, str)]
    for key, what, remedy in (
        (str.strip, "surrounding spaces", "Strip the spaces in the file"),
        (str.casefold, "case", "Write them alike in the file (e.g. all in lower case)"),
    ):
        spelled = {}
        for label in labels:
            spelled.setdefault(key(label), []).append(label)
        alike = [group for group in spelled.values() if len(group) > 1]
        if alike:
            shown = "; ".join(" and ".join(map(repr, group)) for group in alike[:3])
            warnings.warn(
                f"the labels of {target!r} include {shown}, which differ only by {what}: "
                f"they are counted as separate classes. {remedy} if they are one class.",
                BalancekitWarning,
                stacklevel=1,
            )


#: The most column names an error message lists.
_MAX_NAMES_SHOWN = 20


def _no_column(name, columns):
    """The message for a column ``name`` that is not among ``columns``: the names it may
    have meant, and the columns there are."""
    names = [str(c) for c in columns]
    shown = ", ".join(map(repr, names[:_MAX_NAMES_SHOWN]))
    if len(names) > _MAX_NAMES_SHOWN:
        shown += f", ... (and {len(names) - _MAX_NAMES_SHOWN:,} more)"
    similar = _similar_names(name, names)
    if similar:
        return (f"there is no column {name!r}; did you mean "
                f"{' or '.join(map(repr, similar))}? The columns are {shown}.")
    return f"there is no column {name!r}; the columns are {shown}."


def _similar_names(target, names):
    """Column names ``target`` may have meant: equal but for case and surrounding spaces,
    else close in spelling."""
    import difflib

    key = target.strip().casefold()
    same = [name for name in names if name.strip().casefold() == key]
    if same:
        return same[:3]
    folded = {name.strip().casefold(): name for name in names}
    close = difflib.get_close_matches(key, list(folded), n=3, cutoff=0.75)
    return [folded[name] for name in close]


def _split_groups(ctx, X, column, target):
    """``--groups``: the features without the group column, and the group of each row."""
    if column == target:
        raise typer.BadParameter(
            f"{column!r} is the target; name another column for the groups.",
            ctx=ctx, param_hint="'--groups'",
        )
    if column not in X.columns:
        raise typer.BadParameter(_no_column(column, X.columns), ctx=ctx,
                                 param_hint="'--groups'")
    if X.shape[1] == 1:
        raise DataError(
            f"the table has no feature columns besides the target {target!r} and the groups "
            f"{column!r}: a model needs at least one column to learn from."
        )
    return X.drop(columns=[column]), X[column]


def _drop_columns(ctx, table, values, target, groups=None):
    """``--drop``: ``table`` without the columns named.

    Each value holds names separated by commas; a name may hold commas itself
    (the longest run of parts that is a column's name is that column). They
    must exist and be neither the target nor the ``--groups`` column.
    """
    if not values:
        return table
    names = [str(c) for c in table.columns]
    dropped = []
    for value in values:
        for name in _comma_names(value, set(names) | {target, groups}):
            for role, column in (("the target", target), ("the --groups column", groups)):
                if name == column:
                    raise typer.BadParameter(
                        f"{name!r} is {role}, which is never a feature; leave it out of "
                        "--drop.", ctx=ctx, param_hint="'--drop'")
            if name not in names:
                raise typer.BadParameter(_no_column(name, names), ctx=ctx,
                                         param_hint="'--drop'")
            if name not in dropped:
                dropped.append(name)
    if all(name in dropped or name in (target, groups) for name in names):
        raise DataError(
            f"dropping {_label_list(dropped)} leaves no feature column: a model needs at "
            "least one column to learn from."
        )
    return table.drop(columns=[table.columns[names.index(name)] for name in dropped])


def _parquet_drop(ctx, data, values, target, groups=None):
    """``--drop`` on a Parquet input: the names of the columns to leave out, found among the
    columns of its schema (:func:`_drop_columns` checks them), so that they are not read,
    nor converted: a column balancekit cannot read (a decimal wider than a float64, times
    of day to the nanosecond) is no obstacle once dropped. ``None`` for a CSV input, or
    without ``--drop``: the columns are dropped once read."""
    if not values or _is_csv(data):
        return None
    names = _io.parquet_columns(data)
    frame = pd.DataFrame(columns=names)
    _check_target_column(ctx, frame, target)
    kept = set(_drop_columns(ctx, frame, values, target, groups).columns)
    return [name for name in names if name not in kept]


def _comma_names(value, names):
    """The names of ``value``, separated by commas, where a name of ``names`` may hold
    commas: at each part, the longest run of parts that is one of ``names`` (else the
    part)."""
    parts, found, i = value.split(","), [], 0
    while i < len(parts):
        j = next((j for j in range(len(parts), i + 1, -1) if ",".join(parts[i:j]) in names),
                 i + 1)
        found.append(",".join(parts[i:j]))
        i = j
    return found


def _check_labelled(y, target, data, sep):
    """An error naming the first row without a label (its line in a CSV file)."""
    _check_filled(y, target, data, sep, "missing labels", "give them a class")


def _check_filled(values, column, data, sep, what, remedy):
    """An error naming the first row of ``data`` with no value in ``column`` (its line in a
    CSV file)."""
    missing = pd.isna(values).to_numpy()
    if not missing.any():
        return
    first = int(np.flatnonzero(missing)[0])
    if _is_csv(data):
        where = f"line {_io.line_of_row(data, first, sep=sep)}"
    else:
        where = f"row {first:,} (counted from 0)"
    n = int(missing.sum())
    raise DataError(
        f"{_count(n, 'row')} of '{data}' {'has' if n == 1 else 'have'} no value in {column!r} "
        f"({what}), the first at {where}; drop those rows or {remedy}."
    )


def _check_cv_classes(y, cv):
    """An error when a class has fewer than two rows (no split can put it on both sides), or
    fewer rows than the ``--cv`` folds (each fold needs one)."""
    counts = pd.Series(y).value_counts()
    counts = counts[counts > 0]  # a category of the column that no row holds is no class
    if counts.empty:
        return
    label, smallest = counts.index[-1], int(counts.iloc[-1])
    if smallest < 2:
        raise DataError(
            f"class {_py(label)!r} has {_count(smallest, 'row')}: too few to "
            "cross-validate, which needs at least 2 rows in every class (one to train on, one "
            f"to test on; --cv {cv} needs {cv}). Gather more rows of that class, or drop it."
        )
    if smallest < cv:
        raise DataError(
            f"--cv {cv} needs at least {cv} rows in every class (one per fold), but class "
            f"{_py(label)!r} has {smallest:,}; lower --cv to at most {smallest:,}."
        )


def _count(n, noun, plural=None):
    """``'1 row'``, ``'2 rows'``."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {plural or noun + 's'}"


def _classes_param(ctx, key, value, labels, target):
    """A ``--param`` object keyed by class: its keys mapped to the target's labels."""
    matched, unknown, repeat = _match_classes(list(value), labels)
    if unknown:
        raise typer.BadParameter(
            f"{key} names class {unknown[0]!r}, which is not a class of {target!r}; its classes "
            f"are {_label_list(labels)}.",
            ctx=ctx,
            param_hint="'--param'",
        )
    if repeat is not None:
        raise typer.BadParameter(
            f"{key} names class {_label_list([repeat[2]])} more than once.",
            ctx=ctx,
            param_hint="'--param'",
        )
    return dict(zip(matched, value.values(), strict=True))


def _py(value):
    return value.item() if isinstance(value, np.generic) else value


def _fmt_label(label):
    """A label as shown: its text, quoted where the text would not show it whole (empty,
    or with spaces at either end)."""
    text = str(label)
    if isinstance(label, str) and (not text or text != text.strip()):
        return repr(label)
    return text


def _label_list(labels):
    """Labels in a message: text quoted, so that ``' yes'`` and ``'yes'`` differ."""
    return ", ".join(repr(str(label)) if isinstance(label, str) else _fmt_label(label)
                     for label in labels)


# --------------------------------------------------------------------------- compare

#: The metrics compare can rank by (higher is better, but for 'brier').
SCORINGS = (
    "pr_auc",
    "roc_auc",
    "f1",
    "precision",
    "recall",
    "g_mean",
    "balanced_accuracy",
    "mcc",
    "brier",
)
#: The metrics shown in the table, after the one that ranks.
TABLE_METRICS = ("pr_auc", "roc_auc", "precision", "recall", "f1", "balanced_accuracy")


def _check_strategies(value):
    names = _parse_strategies(value)
    if names is None:
        return value
    from .evaluation import available_strategies

    known = available_strategies()
    unknown = [n for n in names if n not in known]
    if unknown:
        raise typer.BadParameter(
            f"unknown strategy {', '.join(map(repr, unknown))}; expected names from "
            f"{', '.join(known)}."
        )
    return value


def _check_scoring(value):
    """A metric of :data:`SCORINGS`, or another name compare takes for one (scikit-learn's
    ``average_precision``, ``matthews_corrcoef``, ...)."""
    from .evaluation._summary import SCORING_ALIASES

    if value is not None and value.lower() not in SCORING_ALIASES:
        others = [name for name in SCORING_ALIASES if name not in SCORINGS]
        raise typer.BadParameter(
            f"unknown metric {value!r}; expected one of {', '.join(SCORINGS)} (or "
            f"{', '.join(others)})."
        )
    return value


def _check_report_path(suffixes):
    def callback(value):
        if value is None:
            return None
        if Path(value).suffix.lower() not in suffixes:
            raise typer.BadParameter(f"'{value}' should end with {' or '.join(suffixes)}.")
        return _check_output_directory(value)

    return callback


#: Seconds between the progress lines of a comparison whose stderr is not a terminal.
_LOG_EVERY = 30.0


class _ProgressBar:
    """``progress(done, total, description)`` drawing a rich progress bar on stderr: the fit
    running (told by ``starting`` when the fits run one after the other), else the last one
    finished. Where stderr is not a terminal (a log, a pipe), a plain line every
    ``_LOG_EVERY`` seconds tells how many fits are done instead."""

    def __init__(self):
        self.console = _stderr()
        self.enabled = self.console.is_terminal  # no bar in logs and pipes
        self.started = self.logged = time.monotonic()
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        # The text is cut short rather than the counts and times on a narrow terminal.
        text = Column(no_wrap=True, overflow="ellipsis", max_width=max(20, self.console.width - 35))
        self.progress = Progress(
            TextColumn("{task.description}", table_column=text),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        )
        self.task = self.progress.add_task("preparing the data", total=None)
        self.told = False  # whether each fit is announced as it starts

    def __enter__(self):
        if self.enabled:
            self.progress.start()
        return self

    def __exit__(self, *exc_info):
        if self.enabled:
            self.progress.stop()

    def starting(self, done, total, description):
        self.told = True
        self.progress.update(self.task, completed=done, total=total,
                             description=f"[bold]fitting[/bold] {escape(description)}")

    def __call__(self, done, total, description):
        now = time.monotonic()
        if not self.enabled and done < total and now - self.logged >= _LOG_EVERY:
            self.logged = now
            _say(f"compare: {done} of {total} fits done in {_minutes(now - self.started)} "
                 f"(last: {description})")
        if done == total:
            text = "summarising the results"
        elif self.told:  # the next fit is announced as it starts
            text = None
        else:  # fits in parallel: several are running, the last one finished is known
            text = f"[bold]fitting[/bold] in parallel; done {escape(description)}"
        self.progress.update(self.task, completed=done, total=total, description=text)


def _minutes(seconds):
    """``'42 s'`` or ``'3 min 05 s'``."""
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


def _mean_std(mean, std):
    if mean is None:
        return "n/a"
    return f"{mean:.3f}" if std is None else f"{mean:.3f} ± {std:.3f}"


# Characters of a strategy name the comparison table keeps on one line when the terminal
# is narrow (longer names fold).
_NAME_WIDTH = 24


def _print_comparison(summary):
    from .evaluation._summary import (
        fmt_signed,
        partial_folds,
        partial_folds_note,
        positive_role,
    )

    console = _stdout()
    labels = {m["key"]: m["label"] for m in summary.get("metrics", [])}
    settings = summary.get("settings", {})
    metric = settings.get("scoring") or summary["recommendation"].get("metric")
    candidates = [metric] + [m for m in TABLE_METRICS if m != metric and m in labels]
    undefined = {s["name"]: s.get("precision_undefined_folds") or 0
                 for s in summary.get("strategies", [])}
    # Means over fewer than all the folds: the metric is undefined on the others.
    partial = partial_folds(summary)

    def width(key):
        """Characters of a metric column: "0.123 ± 0.045", its marks, padding and border."""
        return (16 + (key in ("precision", "f1") and any(undefined.values()))
                + any(key in counts for counts in partial.values()))

    # As many metric columns as the width allows beside whole strategy names; where not even
    # one fits, long names fold onto a second line rather than squeeze the numbers.
    name_width = max([8, *(len(row["strategy"]) for row in summary["ranking"])])
    if console.width - (4 + name_width + 3 + 17 + 15 + 1) < width(metric):
        name_width = min(name_width, _NAME_WIDTH)
    room = console.width - (4 + name_width + 3 + 17 + 15 + 1)
    shown = []
    for key in candidates:
        if shown and width(key) > room:
            break
        shown.append(key)
        room -= width(key)
    data = summary.get("data", {})
    title = (
        f"{_count(len(summary['ranking']), 'strategy', 'strategies')} ranked by {labels.get(metric, metric)} "
        f"({settings.get('estimator')}, "
        + (settings.get("cv_description") or (
            f"{settings.get('cv')}-fold CV"
            + (f" x {settings['repeats']}" if settings.get("repeats", 1) > 1 else "")))
        + f", {_count(data.get('n_rows', 0), 'row')}, {positive_role(data)} "
        f"{_fmt_label(data.get('positive_label'))})"
    )
    console.print(Text(title, style="bold"))
    table = Table(show_lines=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("strategy", overflow="fold", min_width=name_width)
    for i, key in enumerate(shown):
        table.add_column(
            labels.get(key, key), justify="right", no_wrap=True, style="bold" if i == 0 else None
        )
    table.add_column("vs baseline", justify="right", no_wrap=True)
    table.add_column("fit time (s)", justify="right", no_wrap=True)
    for row in summary["ranking"]:
        means, stds = row.get("means", {}), row.get("stds", {})
        if row.get("diff_vs_baseline") is None or row["strategy"] == "baseline":
            versus = "-"
        else:
            versus = fmt_signed(row["diff_vs_baseline"])
            versus += " (noise)" if row.get("within_noise") else ""
        fit = means.get("fit_time")
        table.add_row(
            str(row["rank"]),
            Text(row["strategy"]),
            *(_mean_std(means.get(k), stds.get(k))
              + ("*" if k in ("precision", "f1") and undefined.get(row["strategy"]) else "")
              + ("†" if k in partial.get(row["strategy"], {}) else "")
              for k in shown),
            versus,
            "n/a" if fit is None else f"{fit:.2f}",
        )
    console.print(table)
    console.print(
        Text(
            f"mean ± standard deviation over the folds; vs baseline: {_versus_note(summary, metric)}"
            ", '(noise)' when not significant at the 5% level "
            "(corrected resampled t-test, Holm-adjusted for the strategies compared).",
            style="dim",
        ),
        soft_wrap=True,
    )
    if any(undefined.values()):
        console.print(
            Text("* precision undefined on some folds (no row predicted as the "
                 f"{positive_role(data)}), counted as 0 there, which lowers the mean (see the "
                 "warning below and the notes of the JSON).", style="dim"),
            soft_wrap=True,
        )
    fewer = partial_folds_note(summary, shown)
    if fewer:
        console.print(
            Text(f"† over fewer folds, where the metric is defined: {fewer}.", style="dim"),
            soft_wrap=True,
        )
    recommendation = summary["recommendation"]
    style = "bold green" if recommendation.get("within_noise") is False else "bold"
    console.print(Text(recommendation["message"], style=style), soft_wrap=True)
    for item in summary.get("failed", []):
        console.print(
            Text(f"Failed: {item['strategy']}: {_one_line(item['error'])}", style="yellow"),
            soft_wrap=True,
        )
    for item in summary.get("skipped", []):
        console.print(
            Text(f"Skipped: {item['strategy']}: {_one_line(item['reason'])}", style="dim"),
            soft_wrap=True,
        )
    if summary.get("not_run"):
        console.print(
            Text(f"Not run (interrupted): {', '.join(summary['not_run'])}", style="yellow"),
            soft_wrap=True,
        )


def _versus_note(summary, metric):
    """What the 'vs baseline' column holds: an improvement, positive when better, as in the
    HTML report."""
    info = next((m for m in summary.get("metrics", []) if m["key"] == metric), {})
    label = info.get("label", metric)
    if info.get("higher_is_better", metric != "brier"):
        return f"mean paired gain in {label} over baseline (this minus baseline; positive is better)"
    return (
        f"mean paired gain in {label} over baseline (baseline minus this, as lower {label} is "
        "better; positive is better)"
    )


@app.command()
def compare(
    ctx: typer.Context,
    data: Annotated[
        Path | None,
        typer.Argument(
            help="Input table: .csv, .csv.gz, .parquet or .pq, or a directory of Parquet files. "
            "Without it, the built-in demo data (card transactions, target is_fraud).",
            callback=_check_table_path,
            metavar="DATA",
            show_default=False,
        ),
    ] = None,
    target: Annotated[
        str | None,
        typer.Option(
            "--target",
            "-t",
            help="Name of the class column (required with DATA).",
            show_default=False,
        ),
    ] = None,
    strategies: Annotated[
        str | None,
        typer.Option(
            "--strategies",
            "-s",
            help="Comma-separated strategies to compare, e.g. baseline,class_weight,smote: "
            "'baseline' (no resampling), 'class_weight' or a method name. Default: a set "
            "suited to the data. 'baseline' is always included as the reference.",
            callback=_validated(_check_strategies),
            show_default=False,
        ),
    ] = None,
    model: Annotated[
        str,
        typer.Option(
            "--model",
            "-m",
            help=f"The classifier: {' or '.join(MODELS)} (histogram gradient boosting).",
            callback=_check_model,
        ),
    ] = "logistic",
    cv: Annotated[
        int,
        _int_option("--cv", help="Number of cross-validation folds (at least 2).",
                    callback=_int_range(2)),
    ] = 5,
    repeats: Annotated[
        int,
        _int_option("--repeats", help="Times the k-fold split is repeated (at least 1).",
                    callback=_int_range(1)),
    ] = 1,
    scoring: Annotated[
        str,
        typer.Option(
            "--scoring",
            help=f"The metric that ranks the strategies: {', '.join(SCORINGS)} (also "
            "scikit-learn's names, e.g. average_precision, matthews_corrcoef).",
            callback=_check_scoring,
        ),
    ] = "pr_auc",
    pos_label: Annotated[
        str | None,
        typer.Option(
            "--pos-label",
            help="The rare class the scores are about. Default: the smallest class.",
            show_default=False,
        ),
    ] = None,
    seed: Annotated[
        int,
        _int_option(
            "--seed",
            help="Random seed for the folds and the samplers.",
            callback=_int_range(0, 2**32 - 1),
        ),
    ] = 0,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            help="Fits run in parallel (-1: all cores, -2: all but one). Default: one after "
            "the other.",
            parser=_parse_int,
            callback=_check_jobs,
            show_default=False,
        ),
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="Write the HTML report (one self-contained file) here.",
            callback=_check_report_path((".html", ".htm")),
            show_default=False,
        ),
    ] = None,
    json_path: Annotated[
        Path | None,
        typer.Option(
            "--json",
            help="Write the full results as JSON here.",
            callback=_check_report_path((".json",)),
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", "-f", help="Overwrite the --json and --report files if they exist."
        ),
    ] = False,
    groups: Annotated[
        str | None,
        typer.Option(
            "--groups",
            help="Column holding the group of each row (a customer, a patient): the rows of a "
            "group are kept on one side of every split (stratified group k-fold), so that "
            "look-alike rows of one group do not inflate the scores. The column is not a "
            "feature.",
            show_default=False,
            metavar="COLUMN",
        ),
    ] = None,
    drop: Annotated[
        list[str] | None,
        _drop_option(
            "Columns that are not features (an identifier, a column only known after the "
            "outcome): comma-separated, or the option repeated."
        ),
    ] = None,
    sep: Annotated[str | None, _sep_option(_SEP_HELP)] = None,
    decimal: Annotated[str | None, _decimal_option(_DECIMAL_HELP)] = None,
):
    """Compare ways of handling the imbalance with leakage-safe cross-validation.

    Each strategy (no resampling, class weights, each resampling method) is
    fitted on the training folds only and scored on the same untouched
    validation folds; the table ranks them and says whether the best one
    beats training without resampling by more than the noise of the folds.
    """
    from .evaluation import ComparisonInterrupted
    from .evaluation import compare as run_comparison
    from .evaluation._compare import FAILED_WARNING_PATTERN, warn_if_measurement

    names = _parse_strategies(strategies)
    sep = _check_sep(ctx, sep, data)
    decimal = _check_decimal(ctx, decimal, sep, data)
    for path in (json_path, report):
        # Checked before the long run rather than after it.
        if path is not None:
            _io.check_new_file(path, force=force)
    if data is None:
        from .datasets import load_transactions

        if target not in (None, DEMO_TARGET):
            raise typer.BadParameter(
                f"the demo data's target is {DEMO_TARGET!r}; --target {target!r} needs DATA.",
                ctx=ctx,
                param_hint="'--target'",
            )
        _say(
            "No DATA given: comparing on the built-in demo data "
            f"(card transactions, target {DEMO_TARGET!r}).",
            style="dim",
        )
        X, y = load_transactions(return_X_y=True)
    else:
        if target is None:
            raise typer.BadParameter(
                "--target is required with DATA: name the class column.",
                ctx=ctx,
                param_hint="'--target'",
            )
        dropped = _parquet_drop(ctx, data, drop, target, groups)
        with _working(f"reading {data}"):
            table = _io.read_table(data, sep=sep, decimal=decimal, drop=dropped)
        X, y = _split_target(ctx, table, target, sep if _is_csv(data) else None)
        _check_labelled(y, target, data, sep)
        # Class labels (not a continuous value) before counting the classes.
        check_target(y, purpose="a comparison of strategies")
        drop = None if dropped is not None else drop  # left out as the file was read
    target = DEMO_TARGET if data is None else target
    X = _drop_columns(ctx, X, drop, target, groups)
    group_values = None
    if groups is not None:
        X, group_values = _split_groups(ctx, X, groups, target)
        _check_filled(group_values, groups, data, sep, "rows without a group",
                      "give each its group")
    warn_if_measurement(class_counts(check_target(y)))
    _check_cv_classes(y, cv)
    if pos_label is not None:
        labels = _labels_of(y)
        pos_label = _match_label(pos_label, labels)
        if pos_label not in labels:
            raise typer.BadParameter(
                f"{pos_label!r} is not a class of the target; its classes are "
                f"{_label_list(labels)}.", ctx=ctx, param_hint="'--pos-label'")
    try:
        # The failed strategies are listed under the table; their warning would say it twice.
        with _ProgressBar() as progress, warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=FAILED_WARNING_PATTERN)
            result = run_comparison(
                X,
                y,
                strategies=names,
                estimator=model,
                cv=cv,
                repeats=repeats,
                groups=group_values,
                scoring=scoring,
                pos_label=pos_label,
                random_state=seed,
                n_jobs=jobs,
                progress=progress,
            )
    except ComparisonInterrupted as exc:
        # The strategies finished before Ctrl-C (or SIGTERM) are shown, not written: a file
        # would hold a comparison other than the one asked for.
        _print_comparison(exc.partial.summary)
        _say("Interrupted: the table holds the strategies whose every fold was fitted; "
             "no file was written.", style="yellow")
        raise exc.__cause__ from None
    _print_comparison(result.summary)
    identifiers = result.summary["data"].get("identifier_columns")
    if identifiers:
        _say(f"To leave out the identifier-like column{'s' if len(identifiers) > 1 else ''} "
             f"(see the warning below), add --drop {shlex.quote(','.join(identifiers))}.",
             style="dim")
    # Written atomically; an existing file is replaced only with --force.
    if json_path is not None:
        _io.write_text(json_path, result.to_json() + "\n", force=force)
        _say(f"Wrote {json_path}")
    if report is not None:
        with _working(f"drawing the report {report}"):
            _io.write_text(report, result.to_html(), force=force)
        _say(f"Wrote {report}")
    failed = result.summary["failed"]
    if failed and not result.summary["ranking"]:
        # Nothing was compared: a failure for scripts too (the files above say why).
        first = failed[0]
        raise DataError(
            f"every strategy failed on this data, so nothing could be compared; the first, "
            f"{first['strategy']}: {first['error'].splitlines()[0]}"
        )


# --------------------------------------------------------------------------- resample

_METHODS = available_samplers()
# The methods of balancekit.dask that resample the whole table exactly.
_DASK_METHODS = ("random_under", "random_over", "smote", "smotenc", "smoten", "adasyn",
                 "borderline_smote", "tomek_links", "near_miss")
_METHOD_LINES = "\n\n".join(
    f"[bold]{name}[/bold]: {((cls.__doc__ or '').strip().splitlines() or [''])[0]}"
    for name, cls in _METHODS.items()
)


@app.command(
    epilog="[bold]Methods[/bold]\n\n" + _METHOD_LINES,
    no_args_is_help=True,
)
def resample(
    ctx: typer.Context,
    data: Annotated[
        Path,
        typer.Argument(
            help="Input table: .csv, .csv.gz, .parquet or .pq, or a directory of Parquet files.",
            callback=_check_table_path,
            metavar="DATA",
            show_default=False,
        ),
    ],
    target: Annotated[
        str,
        typer.Option("--target", "-t", help="Name of the class column.", show_default=False),
    ],
    method: Annotated[
        str,
        typer.Option(
            "--method",
            "-m",
            help=f"Resampling method, one of: {', '.join(_METHODS)}.",
            callback=_check_method,
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Output table; its extension (.csv, .csv.gz, .parquet, .pq) sets the format.",
            callback=_check_output_path,
            show_default=False,
        ),
    ],
    strategy: Annotated[
        str | None,
        typer.Option(
            "--strategy",
            "-s",
            help="What to resample: one of "
            + ", ".join(repr(n) for n in STRATEGY_NAMES)
            + "; a ratio n_minority/n_majority in (0, 1] (binary targets); or a JSON object of "
            "counts per class, e.g. '{\"yes\": 500}'. Default: the method's own ('auto').",
            callback=_validated(_parse_strategy),
            show_default=False,
        ),
    ] = None,
    seed: Annotated[
        int,
        _int_option(
            "--seed",
            help="Random seed: the same seed gives the same output.",
            callback=_int_range(0, 2**32 - 1),
        ),
    ] = 0,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            help="A parameter of the method as key=value (repeatable), e.g. -p k_neighbors=3. "
            "Values are read as JSON (numbers, true/false, lists), else as text; a JSON object "
            "is per class, its keys matched to the labels as in --strategy, e.g. "
            "-p 'shrinkage={\"1\": 0.5}'.",
            callback=_validated(_parse_params),
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", "-f", help="Overwrite the output file if it exists."),
    ] = False,
    sep: Annotated[
        str | None,
        _sep_option(
            "Field delimiter of a CSV input, also used for a CSV output, e.g. ';' or '\\t' "
            "(tab). Default: ','."
        ),
    ] = None,
    decimal: Annotated[
        str | None,
        _decimal_option(
            "Decimal mark of the numbers of a CSV input, also used for a CSV output: '.' or "
            "',' (as in '1,5', with another --sep, e.g. ';'). Default: '.'."
        ),
    ] = None,
    drop: Annotated[
        list[str] | None,
        _drop_option(
            "Columns to leave out, of the resampling and of the output (an identifier that "
            "would be read as a category): comma-separated, or the option repeated."
        ),
    ] = None,
    use_dask: Annotated[
        bool,
        typer.Option(
            "--dask",
            help="Resample with dask, partition by partition, for tables larger than memory "
            "(needs the dask extra): DATA is a Parquet file or directory, and the output a "
            "directory of Parquet files. Methods: " + ", ".join(_DASK_METHODS) + ".",
        ),
    ] = False,
):
    """Resample a table and write it in the same layout (columns, order, dtypes).

    The class column is written back under its name, at its place. Cells
    copied from a CSV input keep their text exactly (only an empty cell is a
    missing value; codes with leading zeros stay text). The output is written
    atomically: it either appears complete or not at all.
    """
    strategy, param = _parse_strategy(strategy), _parse_params(param)
    _check_not_input(ctx, output, data)
    if use_dask:
        _resample_with_dask(ctx, data, target, method, output, strategy, seed, param, force, sep,
                            decimal, drop)
        return
    sep = _check_sep(ctx, sep, data, output)
    decimal = _check_decimal(ctx, decimal, sep, data, output)
    _io.check_output(output, force=force)
    dropped = _parquet_drop(ctx, data, drop, target)
    with _working(f"reading {data}"):
        table, text = _io.read_table(data, sep=sep, keep_text=True, decimal=decimal,
                                     drop=dropped)
    if drop and dropped is None:  # a CSV file: its columns dropped once read
        _check_target_column(ctx, table, target, sep if _is_csv(data) else None)
        table = _drop_columns(ctx, table, drop, target)
        text = text.keep(table.columns)
    X, y = _split_target(ctx, table, target, sep if _is_csv(data) else None)
    _check_labelled(y, target, data, sep)
    position = table.columns.get_loc(target)
    sampler = _make_sampler(ctx, method, X, y, strategy, seed, param, target)
    with _working(f"{method}: resampling {_count(len(table), 'row')}"), _param_errors(ctx, param):
        X_res, y_res = sampler.fit_resample(X, y)
    result = X_res.reset_index(drop=True)
    column = y_res.reset_index(drop=True)
    if y.dtype != table[target].dtype:  # fractional class codes as text: numbers again
        column = column.astype(table[target].dtype)
    result.insert(position, target, column)
    # A sampler says which input rows its output starts with (all its rows, or those before
    # its new rows): their cells are written as they were read.
    head = getattr(sampler, "_head_rows_", None)
    rows, head = (head, None) if head is not None and len(head) == len(result) else (None, head)
    # Counted before writing: once the file is in place, nothing is left that an interrupt
    # (Ctrl-C) could report as a failure.
    before, after = class_counts(check_target(y)), class_counts(np.asarray(y_res))
    copied = len(result) if rows is not None else len(X) if head is None else len(head)
    _warn_identifiers_in_new_rows(X, method, len(result) - copied)
    gone = [label for label in before if label not in after]
    if gone:
        warnings.warn(
            f"{method} removed every row of class(es) {_label_list(gone)}: the "
            f"output holds {len(after)} class(es). A classifier needs at least two; try "
            "another method or a --strategy that keeps more rows.",
            BalancekitWarning,
            stacklevel=1,
        )
    changes = ", ".join(
        f"{_fmt_label(label)}: {before[label]:,} -> {after.get(label, 0):,}" for label in before
    )
    with _working(f"writing {output}"):
        _io.write_table(result, output, force=force, sep=sep, text=text, rows=rows, head=head,
                        decimal=decimal)
    _say(f"{method}: {len(table):,} -> {_count(len(result), 'row')} ({changes}); wrote {output}")


@contextlib.contextmanager
def _param_errors(ctx, params):
    """A usage error naming ``--param`` for a sampler's refusal of a value given with it
    (the samplers check their parameters when they resample, and name the parameter
    first: ``k_neighbors=0 is out of range; ...``)."""
    try:
        yield
    except (InvalidParameterError, InvalidParameterTypeError) as exc:
        message = str(exc)
        if not any(re.match(rf"{re.escape(key)}\b", message) for key in params):
            raise
        raise typer.BadParameter(message, ctx=ctx, param_hint="'--param'") from None


def _warn_identifiers_in_new_rows(X, method, n_new):
    """Warn when a method that made ``n_new`` new rows gave them columns that look like
    identifiers: text of almost one value per row, or numbers of the rows. A new row takes
    such a value from a real row (or between two), so it repeats or mimics their IDs."""
    if n_new <= 0:
        return
    from .evaluation._strategies import _looks_like_identifier, _numbers_the_rows

    found = []
    for name, kind in _frames.column_kinds(X).items():
        values = X[name]
        if kind == "categorical":
            try:
                present = values.dropna()
                found += [name] if _looks_like_identifier(present.nunique(), len(present)) else []
            except TypeError:  # values that cannot be hashed: not identifiers
                continue
        elif kind in ("integer", "float") and _numbers_the_rows(values.astype("float64")):
            found.append(name)
    if found:
        many = len(found) > 1
        warnings.warn(
            f"the column{'s' if many else ''} {', '.join(map(repr, found))} look"
            f"{'' if many else 's'} like {'identifiers' if many else 'an identifier'} (almost "
            f"every value distinct, or row numbers): {method}'s {_count(n_new, 'new row')} "
            f"take values of {'them' if many else 'it'} from real rows, or between them, so "
            f"they repeat or mimic real rows' IDs. Leave {'them' if many else 'it'} out with "
            f"--drop {shlex.quote(','.join(found))}.",
            BalancekitWarning,
            stacklevel=1,
        )


def _check_not_input(ctx, output, data):
    """A usage error when ``--output`` is the input, lies in the input directory, or holds
    the input: writing it would replace or change the table read, even with ``--force``."""
    out, source = output.resolve(), data.resolve()
    same = out == source
    with contextlib.suppress(OSError):  # another name of the same file (a link)
        same = same or os.path.samefile(output, data)
    if same:
        where = "is the input DATA"
    elif data.is_dir() and source in out.parents:
        where = (f"is inside the input directory '{data}', whose Parquet files are all read "
                 "as the table")
    elif out in source.parents:
        where = f"holds the input DATA '{data}'"
    else:
        return
    raise typer.BadParameter(
        f"'{output}' {where}; write the output to another path (the input is never replaced, "
        "even with --force).", ctx=ctx, param_hint="'--output'")


@contextlib.contextmanager
def _dask_settings():
    """Columns of text keep the dtype the command without ``--dask`` gives them (dask would
    make them Arrow strings), and dask's calls of pandas' ``reset_index(inplace=True)``,
    deprecated in pandas 3.1, do not show a warning the user can do nothing about."""
    try:
        import dask
    except ImportError:  # the command says how to install it
        settings = contextlib.nullcontext()
    else:
        settings = dask.config.set({"dataframe.convert-string": False})
    with warnings.catch_warnings(), settings:
        warnings.filterwarnings("ignore", message="The inplace keyword",
                                category=DeprecationWarning)
        yield


@_dask_settings()
def _resample_with_dask(ctx, data, target, method, output, strategy, seed, param, force, sep,
                        decimal, drop):
    """``resample --dask``: read Parquet with dask, resample lazily, write Parquet parts."""
    if method not in _DASK_METHODS:
        raise typer.BadParameter(
            f"{method!r} does not run with --dask, which resamples the whole table exactly "
            f"with {', '.join(_DASK_METHODS)}; the other methods need every row's neighbours "
            "at once (in Python, balancekit.dask.PartitionSampler runs them partition by "
            "partition).", ctx=ctx, param_hint="'--method'")
    advice = {"DATA": "Convert a CSV file first, e.g. with "
                      "dask.dataframe.read_csv(...).to_parquet(...).",
              "--output": "It is written as a directory of Parquet parts; name it e.g. "
                          "'out.parquet'."}
    for path, what in ((data, "DATA"), (output, "--output")):
        if _io.table_format(path, allow_directory=True) not in ("parquet", "parquet-dir"):
            raise typer.BadParameter(
                f"with --dask, {what} must be Parquet (a .parquet or .pq file or directory); "
                f"got '{path}'. {advice[what]}", ctx=ctx, param_hint=what)
    for option, value in (("--sep", sep), ("--decimal", decimal)):
        if value is not None:
            raise typer.BadParameter(f"{option} applies to CSV files, and --dask reads and "
                                     "writes Parquet.", ctx=ctx, param_hint=f"'{option}'")
    _io.check_new_parts(output, force=force)
    _, dd = _import_dask()
    from . import _dask_io
    from . import dask as bk_dask

    # The columns dropped are not read, nor converted.
    table, layout = _dask_io.read_parquet(data, drop=_parquet_drop(ctx, data, drop, target))
    # Columns' kinds from values: pandas 2 gives text an object dtype, whose empty meta
    # narwhals reads as numbers; dates, times and nulls from the files' Arrow types.
    X_meta, _ = _split_target(ctx, table._meta_nonempty, target)
    X_meta = _kinds_as_read(X_meta, layout.schema)
    X, y = table.drop(columns=[target]), table[target]
    with _working(f"reading the column {target!r} of {data}"):
        # That column alone: the sampler reads the whole table once it is made.
        before = _dask_io.read_parquet(data, columns=[target])[0][target].value_counts()
        before = before.compute()
    # A categorical column counts its unused categories too (and dask its placeholder of
    # the categories of a Hive partition key, '__UNKNOWN_CATEGORIES__'): not classes.
    before = {_py(label): int(n) for label, n in sorted(before.items()) if n}
    # Dates, bytes, ...: refused as without --dask, before a partition does it in its words.
    _check_label_values(pd.Series(list(before), dtype=object).infer_objects(), target)
    # Only floats may be fractional class codes (a categorical y's categories are unknown).
    as_text = y.dtype.kind == "f" and _fractional_labels(
        pd.Series(list(before), dtype=y.dtype)).dtype != y.dtype
    if as_text:  # grades 1.5 and 2.5: class labels as their text, numbers again when written
        y = y.map_partitions(_label_text, meta=(target, object))
        before = {str(label): n for label, n in before.items()}
    sampler = _make_sampler(ctx, method, X_meta, pd.Series(list(before)), strategy, seed, param,
                            target, check_size=False, counts=before)
    sampler = getattr(bk_dask, type(sampler).__name__)(**sampler.get_params(deep=False))
    # The labels are counted, and the rows a method gathers or searches are read, at once.
    with _working(f"{method}: reading {data} to prepare the resampling"), _param_errors(
            ctx, param):
        X_res, y_res = sampler.fit_resample(X, y)
    position = list(table.columns).index(target)
    if as_text:
        y_res = y_res.astype(table[target].dtype)
    result = dd.map_partitions(_insert_column, X_res, y_res, position, target,
                               align_dataframes=False,
                               meta=_insert_column(X_res._meta, y_res._meta, position, target))

    with _working(f"{method}: resampling {_count(sum(before.values()), 'row')} into {output}"):
        after = _dask_io.write_parts(result, layout, output, force=force, count=target)
    after = {(str if as_text else _py)(label): int(n) for label, n in after.items()}
    changes = ", ".join(f"{_fmt_label(label)}: {n:,} -> {after.get(label, 0):,}"
                        for label, n in before.items())
    _say(f"{method}: {sum(before.values()):,} -> {_count(sum(after.values()), 'row')} "
         f"({changes}); wrote {output} (dask, {_count(result.npartitions, 'partition')})")


def _kinds_as_read(meta, schema):
    """The non-empty meta of a dask table read from Parquet (``meta``: made-up values, text
    in every column of objects) with, in the columns pandas reads as objects of dates,
    times of day or nothing (Arrow's null type), values of that Python type, so that
    :func:`_frames.column_kinds` gives the kinds the command without --dask gives, from the
    Arrow ``schema`` of the files."""
    import datetime

    import pyarrow as pa

    meta = meta.copy()
    for name in meta.columns:
        if meta[name].dtype != object or name not in schema.names:
            continue
        kind = schema.field(name).type
        if pa.types.is_date(kind):
            value = datetime.date(2000, 1, 1)
        elif pa.types.is_time(kind):
            value = datetime.time(0)
        elif pa.types.is_null(kind):
            value = None
        else:
            continue
        meta[name] = pd.Series([value] * len(meta), index=meta.index, dtype=object)
    return meta


def _insert_column(frame, column, position, name):
    """``frame`` with ``column``'s values inserted as column ``name`` at ``position``."""
    frame = frame.copy()
    frame.insert(position, name, column.array)  # by position, in its dtype
    return frame


def _memory_bytes():
    """The physical memory of this machine in bytes (``None`` when unknown)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def _check_size(X, y, counts):
    """An error when the counts of a --strategy object ask for a table larger than memory."""
    current = pd.Series(y).value_counts()
    rows = sum(int(counts.get(label, n)) for label, n in current.items())
    rows = max(rows, int(sum(v for v in counts.values() if isinstance(v, int))))
    per_row = max(int(X.memory_usage(index=False).sum()) // max(len(X), 1), 8) + 8
    needed, memory = rows * per_row, _memory_bytes()
    if memory is not None and needed > memory:
        raise DataError(
            f"--strategy asks for {rows:,} rows, which need about {needed / 2**30:,.0f} GiB of "
            f"memory (about {per_row:,} bytes a row), but this machine has "
            f"{memory / 2**30:,.0f} GiB; ask for fewer rows per class."
        )


def _make_sampler(ctx, method, X, y, strategy, seed, params, target, check_size=True,
                  counts=None):
    sampler = available_samplers()[method]()
    known = sampler.get_params(deep=False)
    unknown = [key for key in params if key not in known]
    if unknown:
        allowed = [k for k in known if k not in RESERVED_PARAMS]
        raise typer.BadParameter(
            f"{method} has no parameter {', '.join(map(repr, unknown))}; its parameters are "
            f"{', '.join(allowed) if allowed else '(none)'}.",
            ctx=ctx,
            param_hint="'--param'",
        )
    settings = dict(params)
    if "random_state" in known:
        settings["random_state"] = seed
    labels = None
    if strategy is not None or any(isinstance(v, dict) for v in params.values()):
        y_arr = check_target(y)
        labels = [_py(v) for v in unique_labels(y_arr)]
    if strategy is not None:
        settings["sampling_strategy"] = _strategy_for(ctx, strategy, labels)
        _check_strategy(ctx, sampler, settings["sampling_strategy"],
                        class_counts(y_arr) if counts is None else counts, y)
        if isinstance(strategy, dict) and check_size:
            _check_size(X, y, settings["sampling_strategy"])
    for key, value in params.items():
        if isinstance(value, dict):  # per-class values, keyed by JSON text like --strategy
            settings[key] = _classes_param(ctx, key, value, labels, target)
    if "categorical_features" in known and "categorical_features" not in params:
        # The string and categorical columns, by name.
        kinds = _frames.column_kinds(X)
        settings["categorical_features"] = [c for c in X.columns if kinds[c] == "categorical"]
    return sampler.set_params(**settings)


def _check_strategy(ctx, sampler, strategy, counts, y):
    """A usage error naming ``--strategy`` when ``strategy`` does not fit the classes
    counted (``counts``: ``{label: rows}``), e.g. an over-sampler asked to shrink a class;
    a target of one class is left to the sampler's own check."""
    if len(counts) < 2:
        return
    try:
        resolve_counts(strategy, counts, sampler._sampling_type, y)
    except InvalidParameterError as exc:
        raise typer.BadParameter(str(exc), ctx=ctx, param_hint="'--strategy'") from None


# --------------------------------------------------------------------------- inspect


def _inspect_report(ctx, table, target, source, sep=None):
    X, y = _split_target(ctx, table, target, sep, features=False)
    # Rows without a label are counted and left out; one class is described, not refused.
    unlabelled = pd.isna(y).to_numpy()
    # A Parquet column of booleans with nulls is read as Python objects: without the nulls,
    # booleans again.
    labelled = y[~unlabelled].infer_objects()
    if labelled.nunique() >= 2:
        y_arr = check_target(labelled)  # the checks of the samplers: class labels, not values
    else:
        y_arr = labelled.to_numpy()
    if y.dtype != table[target].dtype:  # fractional class codes: reported as the numbers
        y_arr = table[target][~unlabelled].to_numpy()
    labels, first, counts = unique_labels(y_arr, return_index=True, return_counts=True)
    return _report(source, table.shape, target, int(unlabelled.sum()), labels, first, counts,
                   table.isna().sum(), _frames.column_kinds(X))


def _report(source, shape, target, unlabelled, labels, first, counts, missing, kinds):
    """The report of ``inspect`` from the counts of the labels (``first``: the position of
    each label's first row) and the missing cells of each column (a Series)."""
    # Largest class first; equal counts in order of first appearance.
    order = sorted(range(len(labels)), key=lambda i: (-counts[i], first[i]))
    n = int(np.sum(counts))
    classes = [
        {"label": _py(labels[i]), "count": int(counts[i]), "share": float(counts[i] / n)}
        for i in order
    ]
    report = {
        "source": source,
        "rows": int(shape[0]),
        "columns": int(shape[1]),
        "target": str(target),
        "missing_labels": int(unlabelled),
        "classes": classes,
        "majority_class": _py(labels[order[0]]) if order else None,
        "minority_class": None,
        "imbalance_ratio": None,
        "categorical_columns": [str(c) for c, kind in kinds.items() if kind == "categorical"],
        "missing_values": {str(c): int(v) for c, v in missing.items() if v > 0},
        "majority_baseline": None,
    }
    if len(order) < 2:
        return report
    # The class compare scores as the rare one (labels are sorted); the majority is the
    # largest other class, on ties the first label (what a most-frequent classifier predicts).
    minority = rare_class(dict(enumerate(counts)))
    others = [i for i in range(len(labels)) if i != minority]
    majority = min(others, key=lambda i: -counts[i])
    report["majority_class"] = _py(labels[majority])
    report["minority_class"] = _py(labels[minority])
    report["imbalance_ratio"] = float(counts[majority] / counts[minority])
    # Always the majority: every row of it right, none of the others; the rare class is
    # never predicted, so its recall and F1 are 0.
    report["majority_baseline"] = {
        "predicts": _py(labels[majority]),
        "accuracy": float(counts[majority] / n),
        "balanced_accuracy": 1.0 / len(order),
        "minority_recall": 0.0,
        "minority_f1": 0.0,
    }
    return report


@_dask_settings()
def _inspect_with_dask(ctx, data, target):
    """``inspect --dask``: the report from one pass over the table, partition by partition
    (the classes of the target column and the missing cells of every column)."""
    if _io.table_format(data, allow_directory=True) not in ("parquet", "parquet-dir"):
        raise typer.BadParameter(
            f"with --dask, DATA must be Parquet (a .parquet or .pq file or directory); got "
            f"'{data}'.", ctx=ctx, param_hint="DATA")
    dask, _ = _import_dask()
    from . import _dask_io

    table, layout = _dask_io.read_parquet(data)
    # The names (the values of the empty meta are none, those of the non-empty one made up:
    # the partitions' own are checked in describe). Columns' kinds from values: pandas 2
    # gives text an object dtype, whose empty meta narwhals reads as numbers; dates, times
    # and nulls from the files' Arrow types.
    _split_target(ctx, table._meta, target, features=False)
    X_meta = _kinds_as_read(table._meta_nonempty, layout.schema).drop(columns=[target])

    def describe(part, i):
        column = part[target]
        _check_label_values(column, target)  # bytes, dates, lists: no labels, one or more
        known = column[column.notna()].infer_objects()  # booleans with nulls: see above
        # Checked as class labels below, once the classes of every partition are known: one
        # class is described, not refused, as without --dask.
        found, first, counts = unique_labels(label_values(known), return_index=True,
                                             return_counts=True)
        # First rows as positions among the labelled rows of the partition.
        return len(part), len(part) - len(known), found, first, counts, part.isna().sum()

    with _working(f"reading {data}"):
        parts = dask.compute(*[dask.delayed(describe)(part, i)
                               for i, part in enumerate(table.to_delayed())])
    missing = pd.concat([part[-1] for part in parts], axis=1).sum(axis=1)
    seen, rows, unlabelled = {}, 0, 0
    for n_rows, n_missing, found, first, counts, _ in parts:
        for label, at, count in zip(found, first, counts, strict=True):
            label = _py(label)
            position, total = seen.get(label, (rows - unlabelled + at, 0))
            seen[label] = (position, total + int(count))
        rows, unlabelled = rows + n_rows, unlabelled + n_missing
    if rows == 0:  # as read without --dask
        raise DataError(f"'{data}' holds no data (0 rows, {len(table.columns)} columns).")
    try:
        labels = sorted(seen)
    except TypeError:
        raise DataError(f"the column {target!r} mixes labels of different types across "
                        "the files or row groups of the table.") from None
    if len(labels) >= 2:
        # The checks of the samplers, on the distinct labels of the partitions (they look at
        # values, not at counts): class labels, not measurements, as without --dask.
        check_target(np.asarray(_fractional_labels(pd.Series(labels))))
    _warn_spaced_labels(pd.Series(sorted(labels, key=lambda label: seen[label][0]),
                                  dtype=object), target)
    for name in X_meta.columns:
        if X_meta[name].dtype == object and missing.get(name, 0) == rows:
            # No value in any row (Parquet's null type, or text on pandas 2): a column of
            # None, as read without --dask, where the non-empty meta makes text up.
            X_meta[name] = pd.Series(None, index=X_meta.index, dtype=object)
    return _report(str(data), (rows, len(table.columns)), target, unlabelled, labels,
                   [seen[label][0] for label in labels], [seen[label][1] for label in labels],
                   missing, _frames.column_kinds(X_meta))


def _import_dask():
    """``(dask, dask.dataframe)``, or an error saying how to install them."""
    try:
        import dask
        import dask.dataframe as dd
    except ImportError as exc:
        raise BalancekitError(
            f"--dask needs dask, which cannot be imported here ({exc}); install it with "
            "pip install 'balancekit[dask]'."
        ) from None
    return dask, dd


@app.command(no_args_is_help=True)
def inspect(
    ctx: typer.Context,
    data: Annotated[
        Path,
        typer.Argument(
            help="Input table: .csv, .csv.gz, .parquet or .pq, or a directory of Parquet files.",
            callback=_check_table_path,
            metavar="DATA",
            show_default=False,
        ),
    ],
    target: Annotated[
        str,
        typer.Option("--target", "-t", help="Name of the class column.", show_default=False),
    ],
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the report as JSON on stdout instead of tables."),
    ] = False,
    sep: Annotated[str | None, _sep_option(_SEP_HELP)] = None,
    decimal: Annotated[str | None, _decimal_option(_DECIMAL_HELP)] = None,
    use_dask: Annotated[
        bool,
        typer.Option(
            "--dask",
            help="Read a Parquet file or directory with dask, partition by partition, for "
            "tables larger than memory (needs the dask extra).",
        ),
    ] = False,
):
    """Describe the class balance of a table and what ignoring it would score.

    Shows the count and share of each class, the imbalance ratio, the
    categorical columns, the missing values, and the scores of a model that
    always predicts the majority class: high accuracy, no rare class found.
    Rows without a label are counted and left out of the class counts; a
    target with a single class is described as such.
    """
    sep = _check_sep(ctx, sep, data)
    decimal = _check_decimal(ctx, decimal, sep, data)
    if use_dask:
        report = _inspect_with_dask(ctx, data, target)
    else:
        with _working(f"reading {data}"):
            table = _io.read_table(data, sep=sep, decimal=decimal)
        report = _inspect_report(ctx, table, target, str(data), sep if _is_csv(data) else None)
    if as_json:
        from .evaluation._summary import jsonable

        # Standard JSON as compare --json writes it: NaN and infinity become null.
        typer.echo(json.dumps(jsonable(report), indent=2, allow_nan=False))
        return
    _print_inspection(report)


def _print_inspection(report):
    console = _stdout()

    def line(text, style=""):
        console.print(Text(text, style=style), soft_wrap=True)

    line(
        f"{report['source']}: {_count(report['rows'], 'row')}, "
        f"{_count(report['columns'], 'column')}, target {report['target']!r}",
        "bold",
    )
    unlabelled = report["missing_labels"]
    if unlabelled:
        line(
            f"Missing labels: {unlabelled:,} row(s) ({unlabelled / report['rows']:.2%}) have no "
            f"value in {report['target']!r}; the class counts and scores below leave them out.",
            "yellow",
        )
    if report["classes"]:
        classes = Table()
        classes.add_column("class")
        classes.add_column("count", justify="right")
        classes.add_column("share", justify="right")
        for item in report["classes"]:
            # Labels and column names are data, shown as text: never read as rich markup.
            classes.add_row(Text(_fmt_label(item["label"])), f"{item['count']:,}",
                            f"{item['share']:.2%}")
        console.print(classes)
    if len(report["classes"]) == 1:
        line(
            f"Only one class ({_fmt_label(report['classes'][0]['label'])}): there is nothing to "
            "balance; resampling and comparing strategies need at least two classes.",
            "yellow",
        )
    elif not report["classes"]:
        line(
            f"No labels: every value of {report['target']!r} is missing; resampling and "
            "comparing strategies need at least two classes.",
            "yellow",
        )
    else:
        line(f"Imbalance ratio (majority / minority): {report['imbalance_ratio']:.1f} : 1", "bold")
    categorical = report["categorical_columns"]
    line(f"Categorical columns: {', '.join(categorical) if categorical else 'none'}")
    if report["missing_values"]:
        line("Missing values:")
        missing = Table()
        missing.add_column("column")
        missing.add_column("missing", justify="right")
        missing.add_column("share", justify="right")
        for column, count in report["missing_values"].items():
            missing.add_row(Text(column), f"{count:,}", f"{count / report['rows']:.2%}")
        console.print(missing)
    else:
        line("Missing values: none")
    base = report["majority_baseline"]
    if base is None:
        return
    rare = _fmt_label(report["minority_class"])
    line(f"A model that always predicts the majority class {_fmt_label(base['predicts'])}:")
    scores = Table()
    scores.add_column("metric")
    scores.add_column("score", justify="right")
    scores.add_row("accuracy", f"{base['accuracy']:.3f}")
    scores.add_row("balanced accuracy", f"{base['balanced_accuracy']:.3f}")
    scores.add_row(Text(f"recall of class {rare}"), f"{base['minority_recall']:.3f}")
    scores.add_row(Text(f"F1 of class {rare}"), f"{base['minority_f1']:.3f}")
    console.print(scores)
    if (base["accuracy"] - base["balanced_accuracy"] < _PARADOX_GAP
            or base["accuracy"] < _PARADOX_ACCURACY):
        line(f"It is right {base['accuracy']:.1%} of the time without finding a single case of "
             f"class {rare}; no class dominates enough for accuracy to hide that.")
        return
    line(
        f"It is right {base['accuracy']:.1%} of the time without finding a single case of class "
        f"{rare} (the accuracy paradox): judge models by balanced accuracy, recall, F1 or PR-AUC.",
        "yellow",
    )


# How far the majority baseline's accuracy must exceed its balanced accuracy for inspect to
# call it the accuracy paradox (a 60/40 split: 0.6 against 0.5), and how high it must be:
# with many classes balanced accuracy is 1/k, and a largest class of 30% in 8 is no
# accuracy to be fooled by.
_PARADOX_GAP = 0.1
_PARADOX_ACCURACY = 0.5


if _SIGINT_BEFORE is not None:
    signal.signal(signal.SIGINT, _SIGINT_BEFORE)
