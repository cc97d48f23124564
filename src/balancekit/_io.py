"""Read and write tables for the command line: CSV, gzipped CSV and Parquet.

The format is chosen by the file's extension (``.csv``, ``.csv.gz``,
``.parquet``, ``.pq``); a directory is read as a Parquet data set. Tables are
pandas DataFrames: CSV is read with pandas' own type inference, so text columns
come back as strings and whole numbers as integers, and a table written by
:func:`write_table` reads back with the same columns and dtypes.

Writes are atomic: the table goes to a temporary file next to the target,
which then replaces the target in one step. A failure or an interruption
leaves neither a partial output nor the temporary file behind.
"""

import os
import tempfile
from pathlib import Path

import pandas as pd

from .exceptions import DataError

__all__ = ["EXTENSIONS", "table_format", "read_table", "check_output", "write_table"]

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


def read_table(path):
    """Read a CSV or Parquet file, or a directory of Parquet files, into a DataFrame.

    Parameters
    ----------
    path : str or path-like
        The file, by extension ``.csv``, ``.csv.gz``, ``.parquet`` or ``.pq``,
        or a directory holding ``.parquet``/``.pq`` files.

    Returns
    -------
    table : pandas.DataFrame
        The table, with a fresh ``RangeIndex``.

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
    if fmt == "parquet-dir":
        parts = [p for p in path.rglob("*") if p.suffix.lower() in (".parquet", ".pq")]
        if not parts:
            raise DataError(f"'{path}' is a directory without .parquet or .pq files.")
    elif path.is_dir():
        raise DataError(f"'{path}' is a directory, not a {fmt} file.")
    kind = "CSV" if fmt.startswith("csv") else "Parquet"
    try:
        if kind == "CSV":
            table = pd.read_csv(path, compression="gzip" if fmt == "csv.gz" else None)
        else:
            table = pd.read_parquet(path)
    except (PermissionError, IsADirectoryError):
        raise
    except Exception as exc:  # pandas, pyarrow, gzip and codecs all raise their own types
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise DataError(f"could not read '{path}' as {kind}: {reason}") from exc
    if table.shape[1] == 0 or table.shape[0] == 0:
        raise DataError(
            f"'{path}' holds no data ({table.shape[0]} rows, {table.shape[1]} columns)."
        )
    return table.reset_index(drop=True)


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
    FileNotFoundError
        When the directory of ``path`` does not exist.
    FileExistsError
        When ``path`` exists and ``force`` is false, or ``path`` is a directory.
    """
    path = Path(path)
    fmt = table_format(path)
    directory = path.parent
    if not directory.is_dir():
        raise FileNotFoundError(
            2, f"The output directory '{directory}' does not exist; create it first", str(directory)
        )
    if path.is_dir():
        raise FileExistsError(17, f"The output '{path}' is an existing directory", str(path))
    if path.exists() and not force:
        raise FileExistsError(
            17, f"'{path}' already exists; pass --force to overwrite it", str(path)
        )
    return fmt


def write_table(table, path, *, force=False):
    """Write ``table`` to ``path`` atomically, in the format given by its extension.

    Parameters
    ----------
    table : pandas.DataFrame
        The table. Its index is not written.
    path : str or path-like
        The output file: ``.csv``, ``.csv.gz``, ``.parquet`` or ``.pq``.
    force : bool, default=False
        Whether an existing file may be replaced.

    Raises
    ------
    DataError, FileNotFoundError, FileExistsError
        As :func:`check_output`; ``DataError`` also when the table cannot be
        stored in the format.
    """
    path = Path(path)
    fmt = check_output(path, force=force)
    mode = _new_file_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        try:
            _write_frame(table, tmp, fmt)
        except (OSError, KeyboardInterrupt):
            raise
        except Exception as exc:  # pyarrow refuses some column types
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise DataError(f"could not write '{path}' as {fmt}: {reason}") from exc
        os.chmod(tmp, mode)
        if not force and path.exists():  # created by someone else while we wrote
            raise FileExistsError(
                17, f"'{path}' already exists; pass --force to overwrite it", str(path)
            )
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _write_frame(table, path, fmt):
    """Write ``table`` to ``path`` in ``fmt`` (no atomicity: see :func:`write_table`)."""
    if fmt == "parquet":
        table.to_parquet(path, index=False)
    else:
        table.to_csv(path, index=False, compression="gzip" if fmt == "csv.gz" else None)


def _new_file_mode(path):
    """Permissions for the output: those of the file it replaces, else the umask's default."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
