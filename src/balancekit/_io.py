"""Read and write tables for the command line: CSV, gzipped CSV and Parquet.

The format is chosen by the file's extension (``.csv``, ``.csv.gz``,
``.parquet``, ``.pq``); a directory is read as a Parquet data set. Tables are
pandas DataFrames, and a table written by :func:`write_table` reads back with
the same columns and dtypes.

CSV cells are read as text first, then each column gets a type only when no
value can change on the way (:func:`parse_column`):

- an empty cell is a missing value; ``NA``, ``N/A``, ``null``, ``None``,
  ``nan`` (pandas' missing-value words) are missing values only in a column
  whose other values are numbers (as R writes them): among text they are
  text like any other (``NA`` for Namibia);
- a column of whole numbers is ``int64``, or pandas' nullable ``Int64`` when
  some cells are empty (``UInt64``/``uint64`` above the ``int64`` range);
- a column of decimal numbers is ``float64`` (missing cells are NaN);
  ``inf``, ``-inf``, ``+inf``, ``Infinity`` (as pandas, numpy, R and JSON
  write infinity) are infinite numbers, while a number beyond the float64
  range (``1e400``) keeps its column as text;
- a column of ``True``/``False`` (also ``TRUE``/``true``, ...) without gaps is
  ``bool``;
- everything else stays text, in particular a column with a leading zero in
  one of its values (``007``, ``02937``: codes, not quantities), numbers
  too large for 64 bits, and a column of decimal numbers with a whole number
  float64 would round (``9007199254740993``). A column read as text although
  nearly all its cells are numbers (a stray ``?``, a decimal comma), or
  although its cells are decimal numbers, or ``True``/``False`` but for empty
  cells, is named in a warning, with the first cell that is the cause and its
  line in the file.

A quoted value whose quote is never closed would take in every line after it:
the file is refused, the line of the quote named.

:class:`CellText` keeps the text of every cell, so that values read from a CSV
file are written back as they were read (:func:`write_table`).

Parquet files carry their own types; an integer column with missing values is
read as a nullable integer (``Int64``, ...) rather than as floats, as in CSV.

Writes are atomic: the table goes to a temporary file next to the target,
which then replaces the target in one step. A failure or an interruption
leaves neither a partial output nor the temporary file behind.
"""

import contextlib
import csv
import gzip
import io
import itertools
import json
import os
import re
import shutil
import tempfile
import warnings
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .exceptions import BalancekitWarning, DataError

__all__ = [
    "EXTENSIONS",
    "DELIMITERS",
    "CellText",
    "ParquetLayout",
    "table_format",
    "read_table",
    "parquet_columns",
    "parse_column",
    "guess_delimiter",
    "line_of_row",
    "check_new_file",
    "check_output",
    "write_table",
    "write_text",
    "check_new_parts",
    "write_parts",
]

#: Supported file extensions and the format each one means.
EXTENSIONS = {".csv": "csv", ".csv.gz": "csv.gz", ".parquet": "parquet", ".pq": "parquet"}

_EXPECTED = ", ".join(EXTENSIONS)


def table_format(path, *, allow_directory=False):
    """Return the format of ``path`` from its extension.

    Parameters
    ----------
    path : str or path-like
        The file name.
    allow_directory : bool, default=False
        Whether an existing directory is accepted (read as a Parquet data set).

    Returns
    -------
    fmt : {'csv', 'csv.gz', 'parquet', 'parquet-dir'}
        The format.

    Raises
    ------
    DataError
        When the extension is not one of ``.csv``, ``.csv.gz``, ``.parquet``,
        ``.pq``.
    """
    path = Path(path)
    if allow_directory and path.is_dir():
        return "parquet-dir"
    name = path.name.lower()
    for extension in sorted(EXTENSIONS, key=len, reverse=True):
        if name.endswith(extension) and len(name) > len(extension):
            return EXTENSIONS[extension]
    suffix = "".join(path.suffixes[-2:]) or "no extension"
    where = " (or a directory of Parquet files)" if allow_directory else ""
    raise DataError(
        f"'{path}' has an unsupported extension ({suffix}); expected one of {_EXPECTED}{where}."
    )


#: Field delimiters that :func:`guess_delimiter` recognises in column names.
DELIMITERS = (",", ";", "\t", "|")

# The text of a whole number without a leading zero ('0' and '-12' are numbers; '007' is a
# code), and of a decimal number in the same spirit ('0.5' and '.5', not '00.5').
_INTEGER = r"\s*[+-]?(?:0|[1-9][0-9]*)\s*"
_DECIMAL = (
    r"\s*[+-]?(?:(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
    r"|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?)\s*"
)
# Infinity as pandas, numpy, R and JSON write it ('inf', '-inf', '+inf', 'Inf', 'Infinity').
_INFINITY = r"\s*[+-]?[iI][nN][fF](?:[iI][nN][iI][tT][yY])?\s*"
# A code written with a leading zero ('007', '02937'): text by design, never a stray token.
_CODE = r"\s*[+-]?0[0-9]+(?:\.[0-9]*)?\s*"
#: The share of a column's cells that must be numbers for its other cells to be named in a
#: warning when the column is read as text (a stray '?', a decimal comma).
MOSTLY_NUMBERS = 0.9
# The words that mark a missing value in a column of numbers (pandas' defaults but '').
_MISSING_WORDS = [
    "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
]  # fmt: skip
# The words pandas reads as booleans by default.
_BOOLEANS = {
    **dict.fromkeys(("True", "TRUE", "true"), True),
    **dict.fromkeys(("False", "FALSE", "false"), False),
}


def read_table(path, *, sep=None, keep_text=False, decimal=".", drop=None):
    """Read a CSV or Parquet file, or a directory of Parquet files, into a DataFrame.

    Parameters
    ----------
    path : str or path-like
        The file, by extension ``.csv``, ``.csv.gz``, ``.parquet`` or ``.pq``,
        or a directory holding ``.parquet``/``.pq`` files.
    sep : str, default=None
        The field delimiter of a CSV file (``None``: a comma). Not used for
        Parquet.
    keep_text : bool, default=False
        Whether to return the text of every cell of a CSV file as well, so
        that :func:`write_table` can write the values back as they were read.
    decimal : {'.', ','}, default='.'
        The decimal mark of the numbers of a CSV file. With ``','`` a cell
        such as ``-1,25`` or ``1.234,5`` is a number (a point may group the
        digits by thousands), and ``1.25`` is not. Text columns keep their
        text as written.
    drop : list of str, default=None
        Columns to leave out (names of the table returned: see
        :func:`parquet_columns` for a Parquet table). Those of a Parquet table
        are not read, so that a column that could not be converted (see
        :func:`arrow_frame`) is no obstacle once left out.

    Returns
    -------
    table : pandas.DataFrame
        The table, with a fresh ``RangeIndex``. CSV columns are typed as
        described in the module's documentation (:func:`parse_column`), under
        the names of the header as written (an empty one stays empty; a last
        column without name nor value, from a delimiter at the end of every
        line, is left out with a warning). The named index levels of a
        Parquet table written by pandas are columns.
    text : CellText or ParquetLayout
        Only with ``keep_text=True``: the text of the cells of a CSV file, or
        the schema of a Parquet table (for :func:`write_table`).

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    DataError
        When the extension is not supported, or the file cannot be read in
        its format, or it holds no rows.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    fmt = table_format(path, allow_directory=True)
    if fmt != "parquet-dir" and path.is_dir():
        raise DataError(f"'{path}' is a directory, not a {fmt} file.")
    kind = "CSV" if fmt.startswith("csv") else "Parquet"
    sep = "," if sep is None else sep
    compression = "gzip" if fmt == "csv.gz" else None
    if kind == "CSV" and _starts_with(path, b"PAR1"):
        stem = path.name[: -len(".csv.gz" if fmt == "csv.gz" else ".csv")]
        raise DataError(
            f"'{path}' is a Parquet file, not CSV text: name it '{stem}.parquet' instead."
        )
    try:
        if kind == "CSV":
            names, cells = _read_csv_text(path, sep, compression)
        else:
            table, layout = _read_parquet(path, drop)
    except (PermissionError, IsADirectoryError, DataError):
        raise
    except UnicodeDecodeError as exc:
        raise DataError(_not_utf8(path, fmt, exc)) from exc
    except pd.errors.EmptyDataError as exc:  # not even a header
        raise DataError(f"'{path}' is empty: it holds no header and no rows.") from exc
    except Exception as exc:  # pandas, pyarrow, gzip and codecs all raise their own types
        reason = " ".join(str(exc).split()) or type(exc).__name__
        if kind == "CSV" and "utf8" in reason.lower().replace("-", ""):
            raise DataError(_not_utf8(path, fmt, exc)) from exc
        if fmt == "csv.gz" and isinstance(exc, gzip.BadGzipFile):
            raise DataError(
                f"'{path}' is not gzip-compressed although its name ends with .gz: name it "
                f"'{path.name[:-3]}' instead."
            ) from exc
        raise DataError(f"could not read '{path}' as {kind}: {reason}") from exc
    shape = cells.shape if kind == "CSV" else table.shape
    if shape[1] == 0 or shape[0] == 0:
        raise DataError(f"'{path}' holds no data ({shape[0]} rows, {shape[1]} columns).")
    if kind == "CSV":
        if not isinstance(cells.index, pd.RangeIndex):
            # pandas takes the first field(s) as an index when rows have more fields than the
            # header: the columns would silently shift.
            raise DataError(
                f"the rows of '{path}' have more fields than its header ({cells.shape[1]} "
                "names); check the delimiter (--sep) or a trailing delimiter at line ends."
                + _delimiter_hint(names, sep)
            )
        # The names as written: pandas calls an empty one 'Unnamed: 0'.
        cells = cells.reset_index(drop=True).set_axis(list(names), axis=1)
        if cells.shape[1] > 1 and names.iloc[-1] == "" and (cells.iloc[:, -1] == "").all():
            # A delimiter at the end of every line: a column without name nor value.
            warnings.warn(
                f"the last column of '{path}' has no name and no value (a delimiter at the end "
                "of every line); it is left out.",
                BalancekitWarning,
                stacklevel=2,
            )
            cells = cells.iloc[:, :-1]
        # Built at once: inserting columns one by one fragments a wide frame.
        columns = [cells.iloc[:, j] for j in range(cells.shape[1])]
        # The numbers are read from their text with the marks swapped ('1,5' -> '1.5', and
        # '1.5' -> '1,5', no number); a column that is text keeps its text as written.
        view = columns if decimal == "." else [_swap_marks(c) for c in columns]
        whole, number = _number_texts(view)
        table = pd.concat([_typed(parse_column(shown, whole[j], number[j]), columns[j])
                           for j, shown in enumerate(view)], axis=1)
        # One block per dtype: a frame of one block per column makes pandas warn (and crawl)
        # when a column is inserted later, as the command line does with the class column.
        table = table.set_axis(cells.columns, axis=1).copy()
        _warn_mostly_numbers(path, sep, compression, cells, table, whole, number, decimal)
        text = CellText(cells, table)
        if drop:
            table = table.drop(columns=list(drop))
            text = text.keep(table.columns)
    else:
        text = layout
    return (table, text) if keep_text else table


def _read_csv_text(path, sep, compression):
    """The names of the header, and every cell of a CSV file as text (``''`` for an empty
    cell).

    pyarrow's reader is several times faster than pandas' own; pandas' reader
    takes the files it refuses (a multi-character delimiter, ragged rows), once
    rows with fewer fields than the header are refused: pandas would fill them
    from the left, moving values to other columns.
    """
    options = {"sep": sep, "compression": compression, "dtype": str, "keep_default_na": False}
    # Both readers rename a repeated column name ('v', 'v.1'): read the names as they are.
    names = pd.read_csv(path, header=None, nrows=1, na_filter=False, **options).iloc[0]
    repeated = sorted(set(names[names.duplicated()]))
    if repeated:
        raise DataError(
            f"'{path}' names column(s) {', '.join(map(repr, repeated))} more than once; give "
            "every column its own name."
        )
    try:
        cells = _read_csv_arrow(path, sep, compression, names)
    except Exception:  # its own errors for what it does not parse; pandas says why
        opened = _open_quote(path, sep, compression)
        ragged = _ragged_record(path, sep, compression, len(names))
        if opened is not None and (ragged is None or ragged[0] >= opened[0]):
            # No ragged line before the record of the quote left open: the quote is the cause.
            raise _open_quote_error(path, opened) from None
        if ragged is not None and ragged[1] > len(names) and _delimiter_hint(names, sep):
            ragged = None  # a header of names joined by another delimiter: said below
        if ragged is not None:
            line, fields = ragged
            if fields > len(names):
                hint = (f" A value that holds the delimiter {sep!r} needs quotes (\"...\"); or "
                        "is a name missing from the header?")
            elif names.iloc[-1] == "" and fields == len(names) - 1:
                hint = (" The header ends with a delimiter: remove it, or add one at the end "
                        "of every line.")
            else:
                hint = " Is the file cut short, or a delimiter missing?"
            raise DataError(
                f"line {line} of '{path}' has {fields} field(s) but the header has "
                f"{len(names)}.{hint}"
            ) from None
        try:
            return names, pd.read_csv(path, na_filter=False, **options)
        except pd.errors.ParserError as exc:
            hint = _delimiter_hint(names, sep)
            if not hint:
                raise
            reason = " ".join(str(exc).split())
            raise DataError(f"could not read '{path}' as CSV: {reason}.{hint}") from exc
    if _may_end_in_open_quote(path, compression, cells):
        opened = _open_quote(path, sep, compression)
        if opened is not None:
            raise _open_quote_error(path, opened)
    return names, cells


def _may_end_in_open_quote(path, compression, cells):
    """Whether the last value read may be a quoted value whose quote is never closed.

    Such a value runs to the end of the file, over the lines after its quote:
    the file then ends with a quote and the value's text (its quotes doubled),
    where a closed one ends with its closing quote. Only the end of a file is
    read. A compressed file is read through to its end, which is done only when
    its last value holds a line break (a quote left open on the last line takes
    no line with it).
    """
    if cells.shape[0] == 0 or cells.shape[1] == 0:
        return False
    last = cells.iloc[-1, -1]
    if not isinstance(last, str) or (
        compression is not None and "\n" not in last and "\r" not in last
    ):
        return False
    end = ('"' + last.replace('"', '""')).encode("utf-8")
    try:
        if compression is None:
            with open(path, "rb") as handle:
                size = handle.seek(0, os.SEEK_END)
                if size < len(end):
                    return False
                handle.seek(size - len(end))
                return handle.read() == end
        tail = b""
        with gzip.open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                tail = (tail + chunk)[-len(end):]
        return tail == end
    except (OSError, EOFError):
        return False


def _open_quote_error(path, opened):
    """The ``DataError`` about a quoted value whose quote is never closed (``opened``, as
    :func:`_open_quote` gives it), naming the line of the quote."""
    _, line, text = opened
    start = text.splitlines()[0][:20] if text.strip() else ""
    return DataError(
        f"line {line} of '{path}' opens a quoted value that is never closed (\"{start}...): "
        "the lines after it would be read as that one value. Close the quote, or write a "
        "quote that is part of a value as two (\"\")."
    )


def _open_quote(path, sep, compression):
    """``(record, line, text)`` of a quoted value whose quote is never closed: the line where
    its record starts, the line of its quote and the rest of that line; ``None`` when every
    quoted value is closed, or when the delimiter is not one character.

    A quote opens a quoted value at the start of a value only, a doubled quote (``""``)
    inside it is a quote, and the value may go on after its closing quote (``"a"b``), as
    the csv module and pyarrow read CSV text. The file is read line by line, each line
    matched as a whole by a regular expression: nothing is kept but where a quote is left
    open.
    """
    if len(sep) != 1 or sep in '"\r\n':
        return None
    d = re.escape(sep)
    body = r'(?:[^"]|"")*'  # the text of a quoted value, up to its closing quote
    after = rf'(?:[^"{d}\r\n][^{d}\r\n]*)?'  # text after the closing quote
    value = rf'(?:"{body}"{after}|[^"{d}\r\n][^{d}\r\n]*)?'
    # A line started outside quotes whose last value is a quoted value left open.
    opens = re.compile(rf'(?:{value}{d})*"({body})')
    # A line started inside a quoted value, which it closes, then opens another.
    reopens = re.compile(rf'{body}"{after}{d}(?:{value}{d})*"({body})')
    inside = re.compile(body)  # a line started inside a quoted value, all of it inside
    opened = None
    opener = gzip.open if compression == "gzip" else open
    try:
        with opener(path, "rt", newline="", encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, 1):
                if opened is None:  # a line outside quotes starts a record
                    found = '"' in line and opens.fullmatch(line)
                    opened = (number, number, found.group(1)) if found else None
                elif '"' in line and not inside.fullmatch(line):
                    found = reopens.fullmatch(line)
                    opened = (opened[0], number, found.group(1)) if found else None
    except (OSError, EOFError, UnicodeDecodeError):  # the reader says why
        return None
    return opened


def _delimiter_hint(names, sep):
    """`` The header seems to be delimited by ';', not ','...`` when the names of the header
    hold another delimiter than ``sep`` (see :func:`guess_delimiter`), else ``''``."""
    other = guess_delimiter(names, sep)
    if other is None:
        return ""
    return (f" The header seems to be delimited by {other!r}, not by {sep!r}: read the file "
            f"with --sep {other!r}.")


def _read_csv_arrow(path, sep, compression, names):
    """Every cell of a CSV file as text (``''`` for an empty cell), read by pyarrow.

    Each column is typed as text before it is parsed. ``pd.read_csv(engine="pyarrow",
    dtype=str)`` does so only from pandas 3.1 with pyarrow 25; before, pyarrow infers
    the types and the text is made from the values afterwards (pandas GH#57666):
    '02937' came back as '2937', 'NaN' as 'nan', '+1' as '1', 9007199254740993 as
    '9007199254740992.0'. Where pyarrow reads other column names than pandas did (a
    column would then escape the text type), the ``ValueError`` hands the file to
    pandas' own reader.

    Line breaks are looked for inside quoted values (``newlines_in_values``): else
    pyarrow cuts the file into blocks at line breaks, and a quote left open drops
    the rest of its block without an error.
    """
    import pyarrow.csv as pa_csv

    names = [str(name) for name in names]
    with pa.input_stream(str(path), compression=compression) as stream:
        arrow = pa_csv.read_csv(
            stream,
            parse_options=pa_csv.ParseOptions(delimiter=sep, newlines_in_values=True),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[],
                strings_can_be_null=False,
            ),
        )
    if arrow.column_names != names or not all(
        pa.types.is_string(field.type) for field in arrow.schema
    ):
        raise ValueError("pyarrow read other column names than pandas")
    return arrow.to_pandas()


def _records(path, sep, compression):
    """``(line number, fields)`` of each record of a CSV file, the header first, blank lines
    left out as pandas does; ``None`` when the csv module cannot read the delimiter."""
    if len(sep) != 1:
        return None

    def records():
        opener = gzip.open if compression == "gzip" else open
        with opener(path, "rt", newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle, delimiter=sep)
            line = 0
            for fields in reader:
                if fields:
                    yield line + 1, fields
                line = reader.line_num

    return records()


def _starts_with(path, magic):
    """Whether the file ``path`` starts with the bytes ``magic``."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(magic)) == magic
    except OSError:  # the reader says why
        return False


def _ragged_record(path, sep, compression, width):
    """``(line, number of fields)`` of the first record without ``width`` fields; ``None``
    when there is none, or when every data row has the same larger number (pandas reads
    the extra first fields as an index, which the caller refuses in its own words)."""
    records = _records(path, sep, compression)
    if records is None:
        return None
    first = None  # the first record of another width
    widths = set()
    try:
        for line, fields in itertools.islice(records, 1, None):  # after the header
            widths.add(len(fields))
            if first is None and len(fields) != width:
                first = line, len(fields)
            if len(fields) < width or len(widths) > 1:
                return first
    except (csv.Error, UnicodeDecodeError):
        return None
    return None


def line_of_row(path, row, *, sep=","):
    """The line of a CSV file where a data row starts.

    Parameters
    ----------
    path : str or path-like
        The CSV file (``.csv`` or ``.csv.gz``).
    row : int
        The row of the table read, counted from 0.
    sep : str, default=','
        The field delimiter.

    Returns
    -------
    line : int
        The line number, counted from 1 (the header is line 1); blank lines
        and line breaks inside quoted cells are counted.
    """
    compression = "gzip" if table_format(path) == "csv.gz" else None
    return _line_of_row(path, "," if sep is None else sep, compression, row)


def _line_of_row(path, sep, compression, row):
    """The line of a CSV file where data row ``row`` (counted from 0) starts."""
    records = _records(path, sep, compression)
    if records is not None:
        try:
            for i, (line, _) in enumerate(records):
                if i == row + 1:
                    return line
        except (csv.Error, UnicodeDecodeError):
            pass
    return row + 2  # one line per row after the header


#: A number with a decimal comma whose points group the digits by thousands (``1.234,5``).
_THOUSANDS = r"^\s*[+-]?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]*)?\s*$"


def _swap_marks(column):
    """The text of ``column`` with '.' and ',' swapped: numbers written with a decimal comma
    as Python and Arrow read them. Points that group the digits by thousands (``1.234,5``,
    ``-12.000``) are removed first; any other point is then no number's."""
    text = pa.array(column, type=pa.string())
    grouped = pc.match_substring_regex(text, _THOUSANDS)
    text = pc.if_else(grouped, pc.replace_substring(text, ".", ""), text)
    # Swapped through a character no cell of a CSV text holds.
    for old, new in ((".", "\0"), (",", "."), ("\0", ",")):
        text = pc.replace_substring(text, old, new)
    return pd.Series(text.to_pandas(), index=column.index, name=column.name)


def _typed(values, cells):
    """A column parsed from text with swapped marks (:func:`_swap_marks`): its numbers, or,
    where it is text, the text of ``cells`` as written."""
    if values.dtype == bool or pd.api.types.is_numeric_dtype(values):
        return values
    return cells.where(cells != "")


def _warn_mostly_numbers(path, sep, compression, cells, table, whole, number, decimal="."):
    """Warn about each column read as text although its cells are numbers: numbers with the
    other decimal mark (:func:`_other_mark`), numbers but for a few cells (a stray ``?``),
    or decimal numbers with a whole number float64 would round; and about each column of
    booleans read as text for its empty cells.

    ``whole`` and ``number`` mark the cells written as a whole number, and as a number,
    with the decimal mark ``decimal`` (:func:`_number_texts`).
    """
    mark = "," if decimal == "." else "."
    way_out = "with --decimal ','" if mark == "," else "without --decimal ','"
    for j in range(cells.shape[1]):
        if pd.api.types.is_numeric_dtype(table.iloc[:, j]) or table.iloc[:, j].dtype == bool:
            continue
        name, column = cells.columns[j], cells.iloc[:, j]
        counted = ((column != "") & ~column.isin(_MISSING_WORDS)).to_numpy()
        if not counted.any():
            continue
        numbers = number[j] & counted
        first = _other_mark(column, counted, numbers, mark)
        if first is not None:
            line = _line_of_row(path, sep, compression, first)
            warnings.warn(
                f"column {name!r} of '{path}' holds numbers written with a decimal "
                f"{'comma' if mark == ',' else 'point'} (the first {column.iloc[first]!r} at "
                f"line {line}): it is read as text (a categorical column). Read the file "
                f"{way_out} to use them as numbers.",
                BalancekitWarning,
                stacklevel=3,
            )
            continue
        present = (column != "").to_numpy()
        if not present.all() and column.iloc[int(np.argmax(present))] in _BOOLEANS and (
            column[present].isin(list(_BOOLEANS)).all()
        ):
            gaps = np.flatnonzero(~present)
            line = _line_of_row(path, sep, compression, int(gaps[0]))
            warnings.warn(
                f"column {name!r} of '{path}' holds True/False values and {gaps.size} empty "
                f"cell(s), the first at line {line}: it is read as text (a categorical column). "
                "Fill the empty cells to use it as booleans.",
                BalancekitWarning,
                stacklevel=3,
            )
            continue
        if not numbers.any() or numbers.sum() < MOSTLY_NUMBERS * counted.sum():
            continue
        rest = counted & ~numbers
        if not rest.any():
            # Numbers only: a whole number beyond 64 bits in a column of whole numbers, or a
            # number beyond the float64 range, are text as documented; a whole number among
            # decimals that float64 would round is named.
            shown = column if decimal == "." else _swap_marks(column)
            big = _rounded_whole(shown, whole[j] & counted, numbers)
            if big is not None:
                cell, rounded = column.iloc[big].strip(), int(float(shown.iloc[big]))
                line = _line_of_row(path, sep, compression, big)
                warnings.warn(
                    f"column {name!r} of '{path}' holds decimal numbers and the whole number "
                    f"{cell!r} at line {line}, beyond 2**53: a float64 holds it only to its "
                    f"precision (as {rounded}), so the column is read as text (a categorical "
                    "column) to keep every value. If it holds quantities, write that number "
                    f"with a decimal mark ({cell + decimal + '0'!r}) to read the column as "
                    "float64 numbers.",
                    BalancekitWarning,
                    stacklevel=3,
                )
            continue
        codes = pc.match_substring_regex(pa.array(column, type=pa.string()), f"^(?:{_CODE})$")
        if codes.to_numpy(zero_copy_only=False).any():
            continue  # codes with leading zeros: text by design
        first = int(np.flatnonzero(rest)[0])
        line = _line_of_row(path, sep, compression, first)
        warnings.warn(
            f"column {name!r} of '{path}' holds numbers but for {int(rest.sum())} "
            f"cell(s), the first {column.iloc[first]!r} at line {line}: it is read as text (a "
            "categorical column). If it holds quantities, empty those cells (an empty cell is a "
            f"missing value) or write them as numbers with a {decimal!r} for the decimal mark.",
            BalancekitWarning,
            stacklevel=3,
        )


def _other_mark(column, counted, numbers, mark):
    """The row of the first cell written with the decimal mark ``mark`` when the ``counted``
    cells of ``column`` (those not ``numbers`` with the other mark) are all numbers with
    that mark; else ``None``.

    With ``','``, whole numbers and points grouping the thousands (``1.234,5``) are
    numbers, as with ``--decimal ','``. A cell whose mark may group the thousands in the
    other convention (``1,234``: one to three digits, the mark, three digits) shows
    nothing alone: one cell at least must have the mark elsewhere (``12,5``, ``1234,5``,
    ``0,125``, ``1.234,5``). Text such as ``Smith, John`` is no number.
    """
    rest = counted & ~numbers
    if not rest.any() or mark not in column.iloc[int(np.flatnonzero(rest)[0])]:
        return None  # the first cell that is no number has no such mark: no hint (cheap)
    shown = column[counted]
    _, readable = _number_texts([_swap_marks(shown) if mark == "," else shown])
    if not readable.all():
        return None
    text = pa.array(shown, type=pa.string())
    marked = pc.match_substring(text, mark).to_numpy(zero_copy_only=False)
    grouping = pc.match_substring_regex(
        text, rf"^\s*[+-]?[1-9][0-9]{{0,2}}{re.escape(mark)}[0-9]{{3}}\s*$"
    ).to_numpy(zero_copy_only=False)
    shows = np.flatnonzero(marked & ~grouping)
    if not shows.size:
        return None
    return int(np.flatnonzero(counted)[shows[0]])


def _rounded_whole(column, whole, numbers):
    """The row of the first ``whole`` cell of ``column`` (text with a decimal point) at or
    beyond 2**53, which float64 would round, when the other ``numbers`` cells include
    decimals; else ``None``."""
    if not whole.any() or not (numbers & ~whole).any():
        return None
    values = np.abs(column[whole].to_numpy(dtype=object).astype(np.float64))
    big = np.flatnonzero(values >= 2**53)
    return int(np.flatnonzero(whole)[big[0]]) if big.size else None


def _not_utf8(path, fmt, exc):
    """The message for a CSV file that is not UTF-8 text."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(2)
    except OSError:
        start = b""
    if start == b"\x1f\x8b" and fmt == "csv":
        return f"'{path}' is gzip-compressed, not CSV text: name it '{path.name}.gz' instead."
    if start in (b"\xff\xfe", b"\xfe\xff"):  # the byte-order mark of UTF-16
        return (
            f"'{path}' is UTF-16 text, not UTF-8; convert it to UTF-8 first, e.g. with "
            "iconv -f utf-16 -t utf-8 (or save it as 'CSV UTF-8')."
        )
    try:
        with (gzip.open if fmt == "csv.gz" else open)(path, "rb") as handle:
            binary = b"\x00" in handle.read(8192)
    except (OSError, EOFError):
        binary = False
    if binary:  # no text in any encoding but UTF-16 (above) holds NUL bytes
        return f"'{path}' holds binary data (NUL bytes), not CSV text; is it the file you meant?"
    where = ""
    if isinstance(exc, UnicodeDecodeError):
        where = f" (it holds the byte 0x{exc.object[exc.start]:02x})"
    # Windows-1252 (Excel's encoding on Windows) reads Latin-1's letters alike, and its own
    # characters (curly quotes, the euro sign: bytes 0x80-0x9f), which Latin-1 would turn
    # into control characters.
    return (
        f"'{path}' is not UTF-8 text{where}; convert it to UTF-8 first, e.g. with "
        f"iconv -f cp1252 -t utf-8 (Windows-1252; or save it as 'CSV UTF-8')."
    )


def parse_column(cells, whole=None, number=None):
    """Give one column of CSV text its type, without changing any value.

    Parameters
    ----------
    cells : pandas.Series of str
        The text of each cell, ``''`` for an empty cell.
    whole, number : ndarray of bool, default=None
        Which cells are written as a whole number, and as a number
        (:func:`_number_texts`), when already known for the whole table.

    Returns
    -------
    values : pandas.Series
        The column: ``int64`` (``Int64`` with gaps; ``uint64``/``UInt64``
        above the ``int64`` range), ``float64``, ``bool`` or text, as
        described in the module's documentation. A number too large for
        float64 (``1e400``), or a whole number it would round, keeps its
        column as text.
    """
    present = (cells != "").to_numpy()
    if not present.any():  # no value at all: a float column of NaN, as pandas reads it
        return pd.Series(np.nan, index=cells.index, name=cells.name)
    text = cells[present]
    values = None
    if present.all() and text.isin(list(_BOOLEANS)).all():
        values = text.map(_BOOLEANS).astype(bool)
    else:
        # In a column of numbers, the words that mark a missing value (R writes 'NA') are
        # missing too; among text ('NA' for Namibia) they are values.
        numbers = present & ~cells.isin(_MISSING_WORDS).to_numpy()
        if numbers.any():
            if whole is None:
                whole, number = (found[0] for found in _number_texts([cells]))
            text = cells[numbers]
            arrow = pa.array(text, type=pa.string())  # no copy when pandas holds Arrow text
            if whole[numbers].all():
                values = _integers(arrow, text, numbers, cells)
            elif number[numbers].all():
                values = _decimals(arrow, text, numbers, cells, whole[numbers])
    if values is None:  # text: an empty cell is missing, every other cell is kept as is
        return cells.where(present)
    return values


def _number_texts(columns):
    """Which cells of ``columns`` (Series of text, all of one length) are written as a whole
    number, and as a number: two boolean arrays, one row per column.

    One regular-expression pass over the cells of every column together (each call
    compiles its pattern, which costs more than a column of a few thousand cells).
    """
    chunks = []
    for column in columns:
        text = pa.array(column, type=pa.string())
        chunks.extend(_chunks(text))
    # One array: the kernels prepare their pattern once per chunk.
    cells = pa.concat_arrays(chunks) if chunks else pa.array([], type=pa.string())
    shape = (len(columns), len(columns[0]) if len(columns) else 0)

    def matches(pattern):
        found = pc.match_substring_regex(cells, f"^(?:{pattern})$")
        return found.to_numpy(zero_copy_only=False).reshape(shape)

    return matches(_INTEGER), matches(_DECIMAL)


def _integers(arrow, text, present, cells):
    """Whole numbers as ``int64``/``uint64``, nullable when cells are missing; ``None`` when
    a value does not fit in 64 bits (the column then stays text)."""
    try:
        numbers = pc.cast(pc.utf8_trim_whitespace(arrow), pa.int64()).to_numpy()
    except pa.ArrowInvalid:  # a '+' sign, or beyond the int64 range
        big = [int(v) for v in text]
        if min(big) >= -(2**63) and max(big) < 2**63:
            numbers = np.array(big, dtype=np.int64)
        elif min(big) >= 0 and max(big) < 2**64:
            numbers = np.array(big, dtype=np.uint64)
        else:
            return None
    if present.all():
        return pd.Series(numbers, index=cells.index, name=cells.name)
    full = np.zeros(cells.shape[0], dtype=numbers.dtype)
    full[present] = numbers
    return pd.Series(pd.arrays.IntegerArray(full, ~present), index=cells.index, name=cells.name)


def _decimals(arrow, text, present, cells, whole):
    """Decimal numbers as float64 (NaN where cells are missing); ``None`` when one is too
    large for float64, or a whole number (``whole`` marks them) float64 would round."""
    try:
        numbers = pc.cast(pc.utf8_trim_whitespace(arrow), pa.float64()).to_numpy()
    except pa.ArrowInvalid:  # forms the Arrow parser does not take; Python's float() does
        numbers = text.to_numpy(dtype=object).astype(np.float64)
    infinite = np.isinf(numbers)
    if infinite.any():
        # 'inf' written as such is a number; '1e400' overflowing to it is not float64's.
        word = pc.match_substring_regex(arrow, f"^(?:{_INFINITY})$")
        if (infinite & ~word.to_numpy(zero_copy_only=False)).any():
            return None
    if whole.any() and (np.abs(numbers[whole]) >= 2**53).any():
        return None  # a whole number float64 would round (9007199254740993): text
    full = np.full(cells.shape[0], np.nan)
    full[present] = numbers
    return pd.Series(full, index=cells.index, name=cells.name)


def _read_texts(values, cells, column):
    """For each value of ``column``: the text it was read from in a typed column of the
    table read (``values``, read from ``cells``), when that value was read from one text
    only; else ``None``.
    """
    text = np.full(len(column), None, dtype=object)
    present = values.notna().to_numpy()
    codes, uniques = pd.factorize(values[present])
    position = pd.Index(uniques).get_indexer(column)
    found = position >= 0
    if not found.any():  # new values only (SMOTE's, in a column of decimals): no pairing
        return text
    texts, words = pd.factorize(cells[present])
    width = len(words)
    pairs = np.unique(codes.astype(np.int64) * width + texts)  # (value, text) pairs read
    value, word = np.divmod(pairs, width)
    single = np.bincount(value, minlength=len(uniques)) == 1  # values read from one text
    word_of = np.full(len(uniques), -1)
    word_of[value[single[value]]] = word[single[value]]
    word = word_of[position[found]]
    hit = np.flatnonzero(found)[word >= 0]
    text[hit] = words.take(word[word >= 0]).to_numpy(dtype=object)
    return text


def _read_parquet(path, drop=None):
    """Read a Parquet file or directory: the table and its :class:`ParquetLayout`.

    In a directory, files whose names start with ``.`` or ``_`` are left out
    (as Spark and Hive write them), other files that are not Parquet are left
    out with a warning, and the Parquet files must share one schema (see
    :func:`parquet_dataset`). The table is converted as :func:`arrow_frame`
    converts it; the columns of ``drop`` are not read.
    """
    import pyarrow.parquet as pq

    if path.is_dir():
        dataset, metadata = parquet_dataset(path)
        columns = [name for name in dataset.schema.names if name not in (drop or ())]
        try:
            arrow = dataset.to_table(columns=columns)
        except (OSError, pa.ArrowException) as exc:
            _name_damaged_file(dataset, exc)
            raise
        if metadata:  # pandas' metadata (index, dtypes) of the first file
            arrow = arrow.replace_schema_metadata(metadata)
    else:
        schema = _file_schema(path)
        arrow = pq.read_table(path, columns=[name for name in schema.names
                                             if name not in (drop or ())])
    table, index = arrow_frame(arrow, path)
    unnamed = {level: arrow.column(name)
               for level, name in _unnamed_levels(arrow.schema).items()}
    return table, ParquetLayout(arrow.schema, index, nan=_nan_columns(arrow),
                                nulls=_null_cells(arrow), unnamed=unnamed)


def _name_damaged_file(dataset, exc):
    """Raise a :class:`DataError` naming the file of ``dataset`` that cannot be read (the
    error ``exc`` of reading them all), found by reading them one by one."""
    for fragment in dataset.get_fragments():
        try:
            fragment.to_table(schema=dataset.schema)
        except (OSError, pa.ArrowException):
            raise damaged_parquet(fragment.path, exc) from exc


def damaged_parquet(path, exc):
    """The :class:`DataError` about the Parquet file at ``path`` that pyarrow could not read
    (its error ``exc``)."""
    return DataError(f"could not read '{path}' as Parquet: {' '.join(str(exc).split())}")


def _nan_columns(arrow):
    """The floating-point columns of ``arrow`` whose missing values are all NaN, not null
    (as numpy, pyarrow and polars write a NaN): pandas reads both as NaN."""
    names = []
    for field in arrow.schema:
        column = arrow.column(field.name)
        if not pa.types.is_floating(field.type) or column.null_count:
            continue
        try:
            if pc.any(pc.is_nan(column)).as_py():
                names.append(field.name)
        except pa.ArrowNotImplementedError:  # is_nan of float16 in older pyarrow
            continue
    return names


def _null_cells(arrow):
    """``{name: mask}`` for the floating-point columns of ``arrow`` that hold both NaN and
    null (pandas reads both as NaN): ``mask`` is true where the value is null."""
    cells = {}
    for field in arrow.schema:
        column = arrow.column(field.name)
        if not pa.types.is_floating(field.type) or not column.null_count:
            continue
        try:
            if pc.any(pc.is_nan(column)).as_py():
                cells[field.name] = column.is_null().to_numpy(zero_copy_only=False)
        except pa.ArrowNotImplementedError:  # is_nan of float16 in older pyarrow
            continue
    return cells


def _nan_or_null(column, nulls, sources):
    """A floating-point ``column`` whose missing values are NaN, but null where the row
    read that a row copies held null (``nulls``, by row read; ``sources``: the row read of
    each row, -1 for a new row) and in new rows; all null when ``sources`` is ``None``."""
    if sources is None:
        return column
    missing = column.is_null().to_numpy(zero_copy_only=False)
    null = np.ones(len(column), dtype=bool)
    copied = sources >= 0
    null[copied] = nulls[sources[copied]]
    return pa.array(column.to_numpy(), type=column.type, mask=missing & null)


def _unnamed_levels(schema):
    """``{level: field name}``: the index levels that pandas stored without a name in a
    table of Arrow ``schema`` (``__index_level_0__``), by their position among the levels
    (a ``RangeIndex`` stores no values, and is left out)."""
    meta = schema.pandas_metadata or {}
    names = {c.get("field_name"): c.get("name") for c in meta.get("columns", [])}
    # Positions among the levels read (a named level left out with --drop is not one).
    stored = [field for field in meta.get("index_columns", [])
              if isinstance(field, str) and field in schema.names]
    return {level: field for level, field in enumerate(stored)
            if names.get(field, field) is None}


def parquet_columns(path):
    """The names of the columns of the table :func:`read_table` reads from a Parquet file or
    directory, from its schema alone (the values are not read): named index levels stored
    by pandas among them, unnamed ones not; the keys of Hive-style directories last.

    Raises
    ------
    DataError
        As :func:`parquet_dataset`.
    """
    path = Path(path)
    if path.is_dir():
        dataset, metadata = parquet_dataset(path)
        schema = dataset.schema.with_metadata(metadata) if metadata else dataset.schema
    else:
        schema = _file_schema(path)
    unnamed = set(_unnamed_levels(schema).values())
    return [name for name in schema.names if name not in unnamed]


def parquet_dataset(path):
    """The pyarrow dataset of a Parquet file or directory, checked as :func:`read_table`
    checks it, and the schema metadata of its first file (pandas' index and dtypes).

    A directory's Parquet files (see :func:`_parquet_files`) must share one schema;
    Hive-style directories (``key=value``) add their keys as dictionary columns.
    """
    import pyarrow.dataset as ds

    path = Path(path)
    if not path.is_dir():  # its schema checked first: a repeated name is named
        schema = _file_schema(path)
        return ds.dataset(str(path), format="parquet"), schema.metadata
    files = _parquet_files(path)
    schemas = [_file_schema(f) for f in files]
    _check_same_schema(files, schemas)
    partitioning = ds.HivePartitioning.discover(infer_dictionary=True)
    dataset = ds.dataset([str(f) for f in files], format="parquet",
                         partitioning=partitioning, partition_base_dir=str(path))
    # The dataset takes the schema of its first file: a column without any value there
    # (Arrow's null type) takes its type from the other files, whose values it could not hold.
    unified = pa.unify_schemas(schemas)
    schema = pa.schema(
        [unified.field(f.name) if pa.types.is_null(f.type) and f.name in unified.names else f
         for f in dataset.schema], metadata=dataset.schema.metadata)
    if not schema.equals(dataset.schema):
        dataset = ds.dataset([str(f) for f in files], format="parquet", schema=schema,
                             partitioning=partitioning, partition_base_dir=str(path))
    return dataset, schemas[0].metadata


def arrow_frame(arrow, path, nullable=None):
    """An Arrow table read from ``path`` as the pandas table the command line works on.

    Decimal columns are float64 (refused where a float64 cannot hold their
    digits); a ``time64[ns]`` column is refused where a value has nanoseconds
    (pandas holds times of day to the microsecond). Integer columns with missing values are nullable integers
    (pandas turns them into float64, which rounds values above 2**53 and would
    write them back as floating point); ``nullable`` names the integer columns
    to read so instead (``None``: those with a missing value in ``arrow``), so
    that the parts of one table read apart get the same dtypes. Named index
    levels stored by pandas are columns, unnamed ones are left out.

    Returns
    -------
    table : pandas.DataFrame
        With a fresh ``RangeIndex``.
    index : list of str
        The names of the index levels read as columns.
    """
    for field in arrow.schema:
        if field.type == pa.time64("ns"):
            _check_microseconds(path, field, arrow.column(field.name))
    table = arrow.to_pandas()
    for field in arrow.schema:
        if pa.types.is_decimal(field.type) and field.name in table.columns:
            # By position: the table may be under a stored index, which the values are not.
            table[field.name] = _decimal_as_float(path, field,
                                                  arrow.column(field.name)).to_numpy()
    if nullable is None:
        nullable = [field.name for field in arrow.schema
                    if pa.types.is_integer(field.type) and field.name in table.columns
                    and table[field.name].dtype.kind == "f"]
    if nullable:
        exact = arrow.select(list(nullable)).to_pandas(types_mapper=_nullable_integer_dtype)
        for name in nullable:
            table[name] = exact[name].array
    index = [name for name in table.index.names if name is not None]
    if index:
        clash = [name for name in index if name in table.columns]
        if clash:
            raise DataError(
                f"'{path}' stores an index named {clash[0]!r} and a column of that name; "
                "rename one of them."
            )
        unnamed = [level for level, name in enumerate(table.index.names) if name is None]
        table = table.reset_index(level=unnamed or None, drop=True) if unnamed else table
        table = table.reset_index()
        # In the order of the file (pandas stores the index after the columns).
        stored = [name for name in arrow.schema.names if name in table.columns]
        table = table[stored + [name for name in table.columns if name not in stored]]
    else:
        table = table.reset_index(drop=True)
    return table, index


def _check_microseconds(path, field, column):
    """An error naming the file, the column and a value where a ``time64[ns]`` column holds
    a time of day with nanoseconds, which pandas cannot hold (its ``datetime.time`` keeps
    microseconds): pyarrow refuses to convert it, naming neither."""
    nanoseconds = pc.fill_null(pc.cast(column, pa.int64()), 0).to_numpy()
    lost = np.flatnonzero(nanoseconds % 1000)
    if not lost.size:
        return
    value = int(nanoseconds[lost[0]])
    hours, rest = divmod(value, 3600 * 10**9)
    minutes, rest = divmod(rest, 60 * 10**9)
    seconds, fraction = divmod(rest, 10**9)
    raise DataError(
        f"'{path}': column {field.name!r} ({field.type}) holds "
        f"{hours:02d}:{minutes:02d}:{seconds:02d}.{fraction:09d}, a time of day with "
        "nanoseconds, which pandas cannot hold (it keeps times of day to the microsecond). "
        "Store the column as time64[us] or as whole nanoseconds (int64), or leave it out "
        f"(resample and compare: --drop {field.name})."
    )


def _parquet_files(path):
    """The Parquet files of a directory, in order; a warning names the other files."""
    files, others = [], []
    for item in sorted(path.rglob("*")):
        parts = item.relative_to(path).parts
        if item.is_dir() or any(part.startswith((".", "_")) for part in parts):
            continue
        with open(item, "rb") as handle:
            magic = handle.read(4)
        (files if magic == b"PAR1" else others).append(item)
    if not files:
        raise DataError(f"'{path}' is a directory without Parquet files.")
    if others:
        shown = ", ".join(f"'{f.relative_to(path)}'" for f in others[:5])
        more = f" and {len(others) - 5} more" if len(others) > 5 else ""
        warnings.warn(
            f"'{path}' holds {len(others)} file(s) that are not Parquet ({shown}{more}); "
            "they are left out.",
            BalancekitWarning,
            stacklevel=4,
        )
    return files


def _file_schema(path):
    """The Arrow schema of a Parquet file; an error when it names a column more than once."""
    import pyarrow.parquet as pq

    schema = pq.read_schema(path)
    seen, repeated = set(), []
    for name in schema.names:
        if name in seen and name not in repeated:
            repeated.append(name)
        seen.add(name)
    if repeated:
        raise DataError(
            f"'{path}' names column(s) {', '.join(map(repr, repeated))} more than once; give "
            "every column its own name."
        )
    return schema


def _check_same_schema(files, schemas):
    """An error naming the file and the column when the files of a directory differ."""
    def fields(schema):
        return {f.name: f.type for f in schema if not f.name.startswith("__index_level_")}

    first = fields(schemas[0])
    for file, schema in zip(files[1:], schemas[1:], strict=True):
        other = fields(schema)
        for name, kind in first.items():
            if name not in other:
                raise DataError(
                    f"the Parquet files of '{file.parent}' differ: '{file}' has no column "
                    f"{name!r}, which '{files[0]}' has. Give every file the same columns."
                )
            if kind != other[name] and not pa.types.is_null(kind) and not (
                pa.types.is_null(other[name])
            ):
                raise DataError(
                    f"the Parquet files of '{file.parent}' differ: column {name!r} is "
                    f"{other[name]} in '{file}' but {kind} in '{files[0]}'. Give it one type "
                    "in every file."
                )
        extra = [name for name in other if name not in first]
        if extra:
            raise DataError(
                f"the Parquet files of '{file.parent}' differ: '{file}' has a column "
                f"{extra[0]!r}, which '{files[0]}' has not. Give every file the same columns."
            )


class ParquetLayout:
    """The Arrow schema of a Parquet table read, to write a table derived from it alike.

    Parameters
    ----------
    schema : pyarrow.Schema
        The schema of the table read.
    index : list of str
        The names of the index levels stored by pandas, read as columns.
    nan : list of str, default=()
        The floating-point columns whose missing values were all NaN, not null:
        they are written with NaN again (pandas holds both as NaN, which pyarrow
        writes as null).
    nulls : dict, default=None
        ``{name: mask}`` for the floating-point columns that held both NaN and
        null: ``mask`` is true at the rows read whose value was null. The missing
        values of the rows copied from those rows are written as they were read,
        NaN or null, cell by cell.
    unnamed : dict, default=None
        ``{level: values}``: the values (a pyarrow array, one per row read) of the
        index levels stored by pandas without a name, by their position among the
        levels. They are not columns of the table read; an output of copied rows
        is written with the labels of those rows again.

    Attributes
    ----------
    schema : pyarrow.Schema
    index : list of str
    nan : list of str
    nulls : dict
    unnamed : dict
    """

    def __init__(self, schema, index, nan=(), nulls=None, unnamed=None):
        self.schema = schema
        self.index = list(index)
        self.nan = list(nan)
        self.nulls = dict(nulls or {})
        self.unnamed = dict(unnamed or {})

    def keep(self, columns):
        """The layout of a table of some of the columns: this one, as :meth:`to_arrow` finds
        each column by name."""
        return self

    def to_arrow(self, table, rows=None, head=None):
        """``table`` as an Arrow table: the index levels read stored as an index again, and
        each column of the table read with its Arrow type when its values allow, and then
        with its field's metadata (such as the categories of a polars ``Enum``) and, where
        it has no missing value, its ``not null``; the missing values of the columns of
        ``nan`` are NaN, those of the columns of ``nulls`` NaN or null as in the row each
        copies (null in a new row, as pandas writes a missing value).

        Parameters
        ----------
        table : pandas.DataFrame
            A table with columns of the one read (such as a sampler's output).
        rows : array-like of int, default=None
            The row read that each row of ``table`` copies, when all of them are copies
            (a sampler's ``sample_indices_``).
        head : array-like of int, default=None
            The row read that each of the first ``len(head)`` rows of ``table`` copies,
            when new rows follow them. Without ``rows`` nor ``head``, ``table`` starts
            with the rows read, in order (an over-sampler's output).

        Returns
        -------
        arrow : pyarrow.Table
        """
        sources = self._sources(len(table), rows, head)
        keep_index = bool(self.index) and all(name in table.columns for name in self.index)
        frame = table.set_index(self.index) if keep_index else table
        if self.unnamed and (keep_index or not self.index):
            frame, unnamed_kept = self._with_unnamed_index(frame, sources, keep_index)
            keep_index = keep_index or unnamed_kept
        arrow = pa.Table.from_pandas(frame, schema=self._nested_schema(frame, keep_index),
                                     preserve_index=keep_index)
        for i, field in enumerate(arrow.schema):
            j = self.schema.get_field_index(field.name)
            if j < 0:
                continue
            source = self.schema.field(j)
            column = original = arrow.column(i)
            if source.type != field.type:
                target = source.type
                try:  # a column copied from the input: its type (decimal128(5, 2), string, ...)
                    if pa.types.is_decimal(target) and pa.types.is_floating(field.type):
                        column = _float_as_decimal(column, target)
                    else:
                        column = pc.cast(column, target, safe=True)
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
                    continue  # new values the type cannot hold (fractions in integers): as they are
            if column.null_count and pa.types.is_floating(column.type):
                if field.name in self.nan:
                    column = pc.fill_null(column, pa.scalar(float("nan"), column.type))
                elif field.name in self.nulls:
                    column = _nan_or_null(column, self.nulls[field.name], sources)
            field = field.with_type(column.type)
            if column.type == source.type:
                field = field.with_metadata(source.metadata)
                if not source.nullable and column.null_count == 0:
                    field = field.with_nullable(False)
            if column is not original or not field.equals(arrow.schema.field(i),
                                                          check_metadata=True):
                arrow = arrow.set_column(i, field, column)
        return arrow

    def decimal_text(self, table, decimal="."):
        """``table`` with each column read from a Parquet decimal as the text of its values at
        the column's scale (``0.00`` for a ``decimal128(10, 2)``; new values rounded to it
        half to even, as :meth:`to_arrow` stores them), with the decimal mark ``decimal``,
        ``''`` where missing: for a CSV output, where a float64 would lose the scale
        (``0.0``). A column the type cannot hold (new values too large) is left as it is.
        """
        table = table.copy(deep=False)
        for name in table.columns:
            j = self.schema.get_field_index(name) if isinstance(name, str) else -1
            if j < 0 or table[name].dtype.kind != "f":
                continue
            kind = self.schema.field(j).type
            if not pa.types.is_decimal(kind):
                continue
            values = table[name].to_numpy(dtype=np.float64)
            try:
                exact = _float_as_decimal(
                    pa.chunked_array([pa.array(values, mask=np.isnan(values))]), kind)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                continue
            text = pc.fill_null(pc.cast(exact, pa.string()), "")
            if decimal != ".":
                text = pc.replace_substring(text, ".", decimal)
            table[name] = text.to_numpy(zero_copy_only=False).astype(object)
        return table

    def _sources(self, n, rows, head):
        """The row read that each of ``n`` rows copies (-1: a new row), as :meth:`to_arrow`
        describes ``rows`` and ``head``; ``None`` where unknown (fewer rows than were read,
        without ``rows``) or where nothing needs it."""
        if not self.nulls and not self.unnamed:
            return None
        if rows is not None:
            rows = np.asarray(rows, dtype=np.intp)
            return rows if len(rows) == n else None
        if head is not None:
            head = np.asarray(head, dtype=np.intp)
        else:
            read = next(iter(self.nulls.values() or self.unnamed.values()))
            if n < len(read):
                return None
            head = np.arange(len(read), dtype=np.intp)
        if len(head) > n:
            return None
        return np.concatenate([head, np.full(n - len(head), -1, dtype=np.intp)])

    def _with_unnamed_index(self, frame, sources, named):
        """``frame`` with the unnamed index levels read (and its named ones, when ``named``),
        the labels of the rows each row copies; when some rows are new (no label) or their
        rows read are not known, ``frame`` as it is, with a warning: pandas then reads the
        output with a fresh index (0, 1, ...), as the samplers give a table with new rows.
        Also whether the index was set."""
        if sources is None or (sources < 0).any():
            reads = (f"the output's index holds the named level(s) {self.index!r} only"
                     if named and self.index else
                     "pandas reads the output with a fresh index (0, 1, ...)")
            warnings.warn(
                f"the {len(self.unnamed)} index level(s) that the input stores without a "
                "name (pandas' __index_level_N__) are not written: the output has rows that "
                "are no copies of input rows, which have no label there; "
                f"{reads}. Name the level(s) in the input to keep them.",
                BalancekitWarning,
                stacklevel=4,
            )
            return frame, False
        depth = len(self.index) + len(self.unnamed)
        named = iter(frame.index.get_level_values(k) for k in range(len(self.index))) if (
            named) else iter(())
        levels = []
        for level in range(depth):
            if level in self.unnamed:
                values = self.unnamed[level].take(pa.array(sources)).to_pandas()
                levels.append(pd.Index(values, name=None))
            else:
                levels.append(next(named))
        index = levels[0] if depth == 1 else pd.MultiIndex.from_arrays(levels)
        return frame.set_axis(index, axis=0), True

    def _nested_schema(self, frame, keep_index):
        """The schema for ``pyarrow.Table.from_pandas(frame)`` when ``frame`` has columns of
        nested values (lists, structs, maps) as Python objects: with their Arrow types read,
        as pyarrow does not infer a map from the ``(key, value)`` pairs pandas holds; else
        ``None`` (pyarrow infers every type)."""
        nested = {}
        for name in frame.columns:
            j = self.schema.get_field_index(name) if isinstance(name, str) else -1
            if j >= 0 and pa.types.is_nested(self.schema.field(j).type) and (
                frame[name].dtype == object
            ):
                nested[name] = self.schema.field(j).type
        if not nested:
            return None
        inferred = pa.Schema.from_pandas(frame.drop(columns=list(nested)),
                                         preserve_index=keep_index)
        fields = [pa.field(name, nested[name]) if name in nested else inferred.field(name)
                  for name in frame.columns]
        index = [inferred.field(k) for k in range(frame.shape[1] - len(nested), len(inferred))]
        return pa.schema(fields + index)


def _decimal_as_float(path, field, column):
    """A decimal column as float64 values: numbers for the samplers and the models.

    Each value must come back from its float64 as the same decimal (the
    shortest text of the float, at the column's scale), so that copied rows
    are written back exactly: 15 significant digits always do. A column with
    a value that does not is refused.
    """
    values = _decimal_floats(column)
    back = _text_as_decimal(pc.cast(values, pa.string()), field.type)
    differ = pc.fill_null(pc.not_equal(back, column), False)
    if pc.any(differ).as_py():
        at = pc.index(differ, True).as_py()
        raise DataError(
            f"'{path}': column {field.name!r} ({field.type}) holds {column[at].as_py()}, which "
            "has more significant digits than a float64 keeps (15); balancekit computes on "
            "float64 values. Round the column or store it as float64."
        )
    return values.to_pandas()


def _decimal_floats(column):
    """The float64 nearest each decimal (read from its text: Arrow's own cast of a
    ``decimal128(38, 18)`` can miss it by one unit in the last place)."""
    return pc.cast(pc.cast(column, pa.string()), pa.float64())


def _float_as_decimal(column, decimal):
    """float64 values as the Arrow ``decimal`` type, rounded to its scale.

    A value whose shortest text fits the scale (every value read from such a
    column, see :func:`_decimal_as_float`) is that text; the others (new
    values) are rounded half to even. Raises ``pyarrow.ArrowInvalid`` where
    the type cannot hold them.
    """
    values = column.to_numpy()
    present = values[~np.isnan(values)]
    if present.size and np.abs(present).max() >= 10.0 ** (decimal.precision - decimal.scale):
        raise pa.ArrowInvalid(f"values too large for {decimal}")
    exact = _text_as_decimal(pc.cast(column, pa.string()), decimal)  # cut where longer
    fits = pc.fill_null(pc.equal(_decimal_floats(exact), column), True)
    if pc.all(fits).as_py():
        return exact
    unit = Decimal(1).scaleb(-decimal.scale)
    keep = fits.to_numpy(zero_copy_only=False)
    rounded = pa.array([None if kept else Decimal(repr(float(v))).quantize(unit, ROUND_HALF_EVEN)
                        for kept, v in zip(keep, values, strict=True)], type=decimal)
    # if_else gives decimal32 and decimal64 values back as decimal128.
    return pc.cast(pc.if_else(fits, exact, rounded), decimal)


def _text_as_decimal(text, decimal):
    """Decimal text as the Arrow ``decimal`` type, the digits beyond its scale cut.

    Parsed as a decimal128 (decimal256) of 38 (76) digits first: Arrow parses
    text into a ``decimal32`` or ``decimal64`` only when all its digits fit the
    narrow type, which the 17 digits of a float's text (``0.9830011293144411``)
    do not.
    """
    wide = (pa.decimal256(76, decimal.scale) if pa.types.is_decimal256(decimal)
            else pa.decimal128(38, decimal.scale))
    return pc.cast(pc.cast(text, wide, safe=False), decimal)


def _nullable_integer_dtype(arrow_type):
    """pandas' nullable integer dtype for an Arrow integer type (``None`` for other types)."""
    if pa.types.is_integer(arrow_type):
        name = str(arrow_type)  # 'int64', 'uint8', ...
        return pd.api.types.pandas_dtype(name[0].upper() + name[1:].replace("int", "Int"))
    return None


class CellText:
    """The text of every cell of a CSV table, to write values back as they were read.

    Parameters
    ----------
    cells : pandas.DataFrame
        Every cell as read, ``''`` for an empty cell.
    table : pandas.DataFrame
        The same table with its columns typed (:func:`parse_column`).

    Attributes
    ----------
    cells : pandas.DataFrame
    table : pandas.DataFrame
    """

    def __init__(self, cells, table):
        self.cells = cells
        self.table = table

    def keep(self, columns):
        """The text of the cells of ``columns`` alone (the others dropped), in that order."""
        columns = list(columns)
        return CellText(self.cells[columns], self.table[columns])

    def render(self, table, rows=None, head=None, decimal="."):
        """Return ``table`` ready to be written as CSV, with the text the values were read from.

        Parameters
        ----------
        table : pandas.DataFrame
            A table with the columns of the one read (same names, same order),
            such as the output of a sampler.
        rows : array-like of int, default=None
            When every row of ``table`` is a copy of an input row: the input
            row of each (a sampler's ``sample_indices_``). Their cells are then
            written exactly as they were read.
        head : array-like of int, default=None
            When ``table`` starts with copies of input rows followed by new
            rows (a combined sampler's output): the input row of each of the
            first ``len(head)`` rows. Without it, the first rows are taken for
            the input rows, all of them in order, when they are equal to them.
        decimal : {'.', ','}, default='.'
            The decimal mark of the numbers not written as they were read.

        Returns
        -------
        frame : pandas.DataFrame
            With ``rows``: the cells of those rows. Else, when ``table``
            starts with the rows read, in order and unchanged (an
            over-sampler's output; or with the rows of ``head``), their cells
            as read; then, for the other
            rows, in each column typed as numbers or booleans, a value read
            from a single text in that column is written as that text
            (``'1.50'``, ``'+1'``, ``'1e3'``), and other values (new ones, or
            one read as both ``'1.5'`` and ``'1.50'``) as pandas writes them.
            Text columns are text already.
        """
        same_columns = list(table.columns) == list(self.cells.columns)
        if rows is not None and same_columns and len(rows) == len(table):
            return self.cells.take(np.asarray(rows, dtype=np.intp)).reset_index(drop=True)
        if not same_columns:
            return table
        # An over-sampler's output starts with the input rows, in order (a combined sampler's
        # with those of ``head``): their cells as read.
        cells, source = self.cells, self.table
        if head is not None:
            head = np.asarray(head, dtype=np.intp)
            cells = cells.take(head).reset_index(drop=True)
            source = source.take(head).reset_index(drop=True)
        copied = len(source)
        if len(table) < copied or not table.iloc[:copied].reset_index(drop=True).equals(source):
            copied = 0
        new = table.iloc[copied:]
        # Held as Arrow text: the cells read are shared, not copied into Python strings.
        return _text_frame(
            ([cells.iloc[:, j]] if copied else [])
            + [self._column_text(j, new.iloc[:, j], decimal)]
            for j in range(table.shape[1])
        ).set_axis(table.columns, axis=1)

    def _column_text(self, j, column, decimal="."):
        """The text of the values ``column`` holds for column ``j`` of the table read, as an
        object array (numbers not read from a single text with the mark ``decimal``)."""
        source = self.table.iloc[:, j]
        if source.dtype.kind not in "biuf" or not source.notna().any():
            return _as_text(column)  # text columns are text already; empty cells stay empty
        cells, read = self.cells.iloc[:, j], source.notna().to_numpy()
        text = _read_texts(source, cells, column)
        present = column.notna().to_numpy()
        new = present & np.equal(text, None)
        if new.any():  # values not read from a single text: as pandas writes them
            text[new] = _as_text(column[new], decimal)
        # Missing values as they were written, when that was one word ('NA'); else empty.
        words = pd.unique(cells[~read])
        text[~present] = words[0] if len(words) == 1 else ""
        return text


def _text_frame(columns):
    """A frame of Arrow text, one column per item of ``columns``: each a list of parts (text
    Series or object arrays of str), stacked."""
    series = []
    for parts in columns:
        chunks = [chunk for part in parts for chunk in _chunks(pa.array(part, type=pa.string()))]
        text = pa.chunked_array(chunks, type=pa.string())
        series.append(pd.Series(pd.arrays.ArrowExtensionArray(text), copy=False))
    return pd.concat(series, axis=1)  # at once: column by column fragments wide frames


def _chunks(array):
    """The chunks of a pyarrow array, chunked or not."""
    return array.chunks if isinstance(array, pa.ChunkedArray) else [array]


def _as_text(column, decimal="."):
    """The values of ``column`` as pandas' ``to_csv`` writes them, ``''`` where missing: an
    object array; the numbers of a float column with the decimal mark ``decimal``."""
    missing = column.isna().to_numpy()
    if column.dtype in (np.float64, np.int64):  # repr is str for these, and faster by far
        text = np.array(list(map(repr, column.to_numpy().tolist())), dtype=object)
    else:
        text = column.astype(object).astype(str).to_numpy(dtype=object)
    if decimal != "." and column.dtype.kind == "f":
        text = np.array([t.replace(".", decimal) for t in text.tolist()], dtype=object)
    text[missing] = ""
    return text


def _with_decimal(table, decimal):
    """``table`` with its float columns as text written with the decimal mark ``decimal``."""
    floats = [name for name, dtype in table.dtypes.items()
              if isinstance(dtype, np.dtype) and dtype.kind == "f"]
    if floats:
        table = table.copy()
        for name in floats:
            table[name] = _as_text(table[name], decimal)
    return table


def guess_delimiter(columns, sep=","):
    """The delimiter a file seems to use when the column names hold another one.

    Parameters
    ----------
    columns : iterable of str
        The column names as read.
    sep : str, default=','
        The delimiter the file was read with.

    Returns
    -------
    delimiter : str or None
        The one of :data:`DELIMITERS` (other than ``sep``) found most often in
        the column names, or ``None`` when there is none.
    """
    names = [str(c) for c in columns]
    counts = {d: sum(name.count(d) for name in names) for d in DELIMITERS if d != sep}
    best = max(counts, key=counts.get, default=None)
    return best if best is not None and counts[best] > 0 else None


def check_output_directory(path):
    """Return the directory the output ``path`` goes in, after checking that it is one.

    Raises
    ------
    FileNotFoundError
        When it does not exist.
    NotADirectoryError
        When it is a file.
    """
    directory = Path(path).parent
    if directory.exists() and not directory.is_dir():
        raise NotADirectoryError(
            20, f"The output's directory '{directory}' is a file, not a directory", str(directory)
        )
    if not directory.is_dir():
        raise FileNotFoundError(
            2, f"The output directory '{directory}' does not exist; create it first", str(directory)
        )
    return directory


def check_new_file(path, *, force=False):
    """Check that a file can be created (or, with ``force``, replaced) at ``path``.

    Parameters
    ----------
    path : str or path-like
        The output file.
    force : bool, default=False
        Whether an existing file may be replaced.

    Raises
    ------
    FileNotFoundError
        When the directory of ``path`` does not exist.
    NotADirectoryError
        When what should be the directory of ``path`` is a file.
    FileExistsError
        When ``path`` exists and ``force`` is false, or ``path`` is a directory.
    OSError
        When no file can be created in its directory (no permission, a read-only
        file system): the temporary file the output is written to goes there.
    """
    path = Path(path)
    directory = check_output_directory(path)
    if path.is_dir():
        raise FileExistsError(17, f"The output '{path}' is an existing directory", str(path))
    if path.exists() and not force:
        raise FileExistsError(
            17, f"'{path}' already exists; pass --force to overwrite it", str(path)
        )
    try:
        handle, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise _about(exc, path) from None
    os.close(handle)
    os.remove(probe)


def check_output(path, *, force=False):
    """Check that a table can be written to ``path``; return its format.

    Parameters
    ----------
    path : str or path-like
        The output file.
    force : bool, default=False
        Whether an existing file may be replaced.

    Returns
    -------
    fmt : {'csv', 'csv.gz', 'parquet'}
        The output format, from the extension.

    Raises
    ------
    DataError
        When the extension is not supported.
    FileNotFoundError, FileExistsError
        As :func:`check_new_file`.
    """
    fmt = table_format(path)
    check_new_file(path, force=force)
    return fmt


def write_table(table, path, *, force=False, sep=",", text=None, rows=None, head=None,
                decimal="."):
    """Write ``table`` to ``path`` atomically, in the format given by its extension.

    Parameters
    ----------
    table : pandas.DataFrame
        The table. Its index is not written.
    path : str or path-like
        The output file: ``.csv``, ``.csv.gz``, ``.parquet`` or ``.pq``.
    force : bool, default=False
        Whether an existing file may be replaced.
    sep : str, default=','
        The field delimiter of a CSV output.
    text : CellText or ParquetLayout, default=None
        What :func:`read_table` returned with ``keep_text=True`` for the
        table ``table`` comes from. The text of a CSV table: values read from
        it are written back as they were read (CSV output only; see
        :meth:`CellText.render`). The layout of a Parquet table: its index
        levels and Arrow types are kept (Parquet output only; see
        :meth:`ParquetLayout.to_arrow`).
    rows : array-like of int, default=None
        With ``text``: the input row each row of ``table`` copies, when all
        of them are copies.
    head : array-like of int, default=None
        With ``text``: the input row each of the first ``len(head)`` rows of
        ``table`` copies, when new rows follow them (see
        :meth:`CellText.render` and :meth:`ParquetLayout.to_arrow`).
    decimal : {'.', ','}, default='.'
        The decimal mark of the numbers written to a CSV output (values
        written back as they were read keep their text).

    Raises
    ------
    DataError, FileNotFoundError, FileExistsError
        As :func:`check_output`; ``DataError`` also when the table cannot be
        stored in the format.
    """
    path = Path(path)
    fmt = check_output(path, force=force)
    layout = text if isinstance(text, ParquetLayout) else None
    if isinstance(text, CellText) and fmt != "parquet":
        table = text.render(table, rows, head, decimal=decimal)
    if layout is not None and fmt != "parquet":  # decimals at their scale, not as floats
        table = layout.decimal_text(table, decimal)
    if fmt != "parquet":
        table = _flat_cells(table, path)
        if decimal != ".":
            table = _with_decimal(table, decimal)

    def write(tmp):
        try:
            _write_frame(table, tmp, fmt, sep=sep, layout=layout, name=path.name,
                         rows=rows if layout is not None else None,
                         head=head if layout is not None else None)
        except (OSError, KeyboardInterrupt):
            raise
        except Exception as exc:  # pyarrow refuses some column types
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise DataError(f"could not write '{path}' as {fmt}: {reason}") from exc

    _write_atomically(path, write, force=force)


def write_text(path, text, *, force=False):
    """Write ``text`` (UTF-8) to ``path`` atomically.

    Parameters
    ----------
    path : str or path-like
        The output file.
    text : str
        The content.
    force : bool, default=False
        Whether an existing file may be replaced.

    Raises
    ------
    FileNotFoundError, FileExistsError
        As :func:`check_new_file`.
    """
    path = Path(path)
    check_new_file(path, force=force)

    def write(tmp):
        with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)

    _write_atomically(path, write, force=force)


def _write_atomically(path, write, *, force):
    """Call ``write(temporary path)``, then move the file to ``path`` in one step."""
    mode = _new_file_mode(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # named after the output asked for, not the temporary file
        raise _about(exc, path) from None
    try:
        try:
            os.close(fd)
            write(tmp)
            os.chmod(tmp, mode)
            if not force and path.exists():  # created by someone else while we wrote
                raise FileExistsError(
                    17, f"'{path}' already exists; pass --force to overwrite it", str(path)
                )
            os.replace(tmp, path)
        except OSError as exc:
            raise _about(exc, path, tmp) from exc
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def check_new_parts(path, *, force=False):
    """Check that a directory of Parquet parts can be created (or replaced) at ``path``.

    Only a file, or a directory that holds nothing but Parquet files (an earlier output),
    is replaced with ``force``: a directory of other files is never removed.

    Raises
    ------
    FileNotFoundError, NotADirectoryError
        When the directory above ``path`` does not exist, or is a file.
    FileExistsError
        When ``path`` exists and ``force`` is false, or is a directory of other files.
    """
    path = Path(path)
    check_output_directory(path)
    if not path.exists():
        return
    if not force:
        raise FileExistsError(17, f"'{path}' already exists; pass --force to overwrite it",
                              str(path))
    if path.is_dir():
        other = [p.name for p in path.iterdir() if not _parquet_part(p)]
        if other:
            raise FileExistsError(
                17, f"'{path}' is a directory holding other files than Parquet parts "
                f"({', '.join(sorted(other)[:3])}{', ...' if len(other) > 3 else ''}), which "
                "--force does not remove; choose another output", str(path))


def _parquet_part(path):
    return path.is_file() and (path.suffix in (".parquet", ".pq")
                               or path.name in ("_metadata", "_common_metadata"))


def write_parts(write, path, *, force=False):
    """Call ``write(temporary directory)``, then put the directory at ``path`` in one step.

    An existing output (see :func:`check_new_parts`) is replaced only once the new one is
    complete; on any error or interrupt, the temporary directory is removed and ``path``
    is left as it was.
    """
    path = Path(path)
    check_new_parts(path, force=force)
    mode = _new_file_mode(path, directory=True)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    except OSError as exc:
        raise _about(exc, path) from None
    old = None
    try:
        write(str(tmp))
        os.chmod(tmp, mode)  # mkdtemp's directory is private
        if path.exists() or path.is_symlink():
            check_new_parts(path, force=force)  # as it is now, after the writing
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old",
                                        dir=path.parent))
            os.replace(path, old / path.name)
        os.replace(tmp, path)
    except BaseException:
        if old is not None and not path.exists():
            os.replace(old / path.name, path)  # the earlier output back in place
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _flat_cells(table, path):
    """``table`` with every nested value (an Arrow list, struct or map read from Parquet)
    as JSON text, for a CSV output: pandas would write a long list as numpy abbreviates it
    (``[0 1 2 ... 1199]``), losing values. A map is a JSON list of ``[key, value]`` pairs
    (its keys need not be text); a date inside a nested value is its text, NaN and
    infinities ``null``.

    Raises
    ------
    DataError
        When a column holds bytes (an Arrow binary column), which CSV text cannot hold.
    """
    flat = {}
    for j, (name, column) in enumerate(table.items()):
        if column.dtype != object or pd.api.types.infer_dtype(column, skipna=True) in (
            "string", "empty", "boolean", "integer", "floating", "decimal", "date",
            "datetime", "time",
        ):
            continue
        present = column[column.notna()]
        if any(isinstance(value, bytes | bytearray) for value in present):
            raise DataError(
                f"column '{name}' of the table holds bytes (binary data), which a CSV file "
                f"cannot hold as they are: write a .parquet file instead of '{path}', or "
                f"leave the column out (--drop {name})"
            )
        nested = (list, tuple, dict, np.ndarray)
        if any(isinstance(value, nested) for value in present):
            flat[j] = column.map(_json_text, na_action="ignore")
    if not flat:
        return table
    table = table.copy(deep=False)
    for j, column in flat.items():
        table.isetitem(j, column)
    return table


def _json_text(value):
    """A nested value read from Parquet as compact JSON text (see :func:`_flat_cells`)."""
    from .metrics._report import _to_json

    return json.dumps(_to_json(value), ensure_ascii=False, separators=(",", ":"))


def _about(exc, path, tmp=None):
    """``exc`` about ``path``: an error of the temporary file names the output instead."""
    if exc.errno is None or (tmp is not None and exc.filename not in (None, tmp, str(tmp))):
        return exc
    return type(exc)(exc.errno, exc.strerror, str(path))


def _write_frame(table, path, fmt, *, sep=",", layout=None, name=None, rows=None, head=None):
    """Write ``table`` to ``path`` in ``fmt`` (no atomicity: see :func:`write_table`);
    ``name``: the output's file name, which a gzip header records (``path`` may be a
    temporary file); ``rows`` and ``head``: the rows read that the rows copy, for
    :meth:`ParquetLayout.to_arrow`."""
    if fmt == "parquet":
        if layout is None:
            table.to_parquet(path, index=False)
        else:
            import pyarrow.parquet as pq

            pq.write_table(layout.to_arrow(table, rows=rows, head=head), path)
        return
    opener = _gzip_opener(name or os.path.basename(path)) if fmt == "csv.gz" else open
    if table.shape[1] and all(dtype in (np.float64, np.int64) for dtype in table.dtypes):
        # Numbers only: their text as pandas writes it, then written as text (below): faster.
        names = table.columns
        table = _text_frame([_as_text(table.iloc[:, j])] for j in range(table.shape[1]))
        table = table.set_axis(names, axis=1)
    if all(pd.api.types.is_string_dtype(dtype) for dtype in table.dtypes) and not (
        table.isna().to_numpy().any()
    ):
        # Text only: the bytes of the csv module (pandas' quoting and line ends), written by
        # pyarrow when no cell needs quotes; several times faster than to_csv on wide tables.
        if _write_unquoted(table, path, opener, sep):
            return
        with opener(path, "wt", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, delimiter=sep, lineterminator=os.linesep)
            writer.writerow([str(column) for column in table.columns])
            writer.writerows(table.to_numpy(dtype=object).tolist())
    else:
        with opener(path, "wt", newline="", encoding="utf-8") as handle:
            table.to_csv(handle, index=False, sep=sep)


def _gzip_opener(name):
    """``open`` for a gzip-compressed output whose header names ``name`` (``gunzip -N``
    restores it), not the temporary file written."""

    @contextlib.contextmanager
    def opener(path, mode, newline=None, encoding=None):
        with open(path, "wb") as raw, gzip.GzipFile(filename=name, mode="wb",
                                                    fileobj=raw) as compressed:
            if "t" not in mode:
                yield compressed
                return
            with io.TextIOWrapper(compressed, encoding=encoding, newline=newline) as handle:
                yield handle

    return opener


def _write_unquoted(table, path, opener, sep):
    """Write a table of text with pyarrow, when no cell needs quotes; ``False`` when one does.

    What the csv module writes for such a table, many times faster. Quotes are needed for a
    cell holding the delimiter, a quote or a line break (pyarrow then refuses the table), and
    for an empty cell alone on its row (an empty line), hence two columns at least.
    """
    from pyarrow import csv as arrow_csv

    if table.shape[1] < 2:
        return False
    try:
        options = arrow_csv.WriteOptions(
            delimiter=sep, quoting_style="none", quoting_header="none",
            **({} if os.linesep == "\n" else {"eol": os.linesep}),
        )  # fmt: skip
        arrow = pa.Table.from_arrays(
            [pa.array(table.iloc[:, j], type=pa.string()) for j in range(table.shape[1])],
            names=[str(name) for name in table.columns],
        )
        with opener(path, "wb") as handle:
            arrow_csv.write_csv(arrow, handle, options)
    except (TypeError, ValueError, pa.ArrowInvalid):  # a cell needing quotes; an old pyarrow
        return False
    return True


def _new_file_mode(path, directory=False):
    """Permissions for the output: those of the file (or ``directory``) it replaces, else
    the umask's default."""
    try:
        if os.path.isdir(path) == directory:
            return os.stat(path).st_mode & 0o7777
    except OSError:
        pass
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if directory else 0o666) & ~umask
