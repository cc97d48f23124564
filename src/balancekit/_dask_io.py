"""Parquet tables larger than memory for the command line (``--dask``).

A table is read piece by piece (a file, or a run of its row groups) into a
dask DataFrame whose every partition is converted as :mod:`balancekit._io`
converts a whole table, so that ``--dask`` works on the columns and dtypes
the command without it works on; each partition of a result is written back
as one Parquet file in the layout of the table read.
"""

import os
from functools import partial

import pyarrow as pa

from . import _io

# Uncompressed bytes of the row groups read into one partition, at most (a single larger
# row group makes a partition of its own).
_PIECE_BYTES = 128 * 2**20


def read_parquet(path, columns=None, drop=None):
    """A Parquet file or directory as a dask DataFrame, read as :func:`_io.read_table` reads it.

    The files of a directory are checked to share one schema first (their
    footers only). Integer columns with a missing value in any row group (from
    its statistics, or from its values where it has none) are nullable integers in
    every partition, and the missing values of the floating-point columns with no
    null in any row group are written back as NaN (as :func:`_io.read_table` does for a table whose missing
    floats are all NaN).
    ``columns``: read only these columns (a pass over a few columns reads only
    them; a stored index is then not restored). ``drop``: columns not to read (nor
    convert), the stored index kept.

    Returns
    -------
    frame : dask.dataframe.DataFrame
        One partition per piece, in the order of the files and row groups.
    layout : ParquetLayout
        The schema read, for :func:`write_parts`.
    """
    import dask.dataframe as dd
    from dask.dataframe.utils import clear_known_categories

    dataset, metadata = _io.parquet_dataset(path)
    schema = dataset.schema.with_metadata(metadata) if metadata else dataset.schema
    if drop:
        schema = pa.schema([field for field in schema if field.name not in drop],
                           metadata=schema.metadata)
    fragments = list(dataset.get_fragments())
    with_nulls = _with_nulls(fragments, schema)
    nullable = [f.name for f in schema if pa.types.is_integer(f.type) and f.name in with_nulls]
    nan = [f.name for f in schema if pa.types.is_floating(f.type) and f.name not in with_nulls]
    if columns is not None:
        schema = pa.schema([schema.field(name) for name in columns])  # no pandas metadata
        nullable = [name for name in nullable if name in columns]
    convert = partial(_io.arrow_frame, path=path, nullable=nullable)
    meta, index = convert(schema.empty_table())
    # Each partition has the categories of its own piece, as dask's reader gives them.
    meta = clear_known_categories(meta, index=False)
    frame = dd.from_map(_read_piece, _pieces(fragments), schema=schema, convert=convert,
                        meta=meta, enforce_metadata=False, label="balancekit-read-parquet")
    return frame, _io.ParquetLayout(schema, index, nan=nan)


def _with_nulls(fragments, schema):
    """The integer and floating-point columns that hold a null, from the row groups'
    statistics; a row group without statistics to tell (written with
    ``write_statistics=False``) has those columns read to count their nulls."""
    names = [field.name for field in schema
             if pa.types.is_integer(field.type) or pa.types.is_floating(field.type)]
    found = set()
    for fragment in fragments:
        meta = fragment.metadata
        columns = {meta.schema.column(j).path: j for j in range(meta.num_columns)}
        for group in range(meta.num_row_groups):
            if meta.row_group(group).num_rows == 0:  # no value, so no missing one
                continue
            unknown = []
            for name in names:
                if name in found or name not in columns:
                    continue
                stats = meta.row_group(group).column(columns[name]).statistics
                if stats is None or not stats.has_null_count:
                    unknown.append(name)
                elif stats.null_count:
                    found.add(name)
            if unknown:  # these columns of this row group alone
                try:
                    values = fragment.subset(row_group_ids=[group]).to_table(columns=unknown)
                except (OSError, pa.ArrowException) as exc:
                    raise _io.damaged_parquet(fragment.path, exc) from None
                found.update(name for name in unknown if values.column(name).null_count)
    return found


def _pieces(fragments):
    """``(fragment, row group ids)`` of every partition: runs of row groups of at most
    ``_PIECE_BYTES`` (``None``: a file without row groups, read whole)."""
    pieces = []
    for fragment in fragments:
        meta = fragment.metadata
        run, size = [], 0
        for group in range(meta.num_row_groups):
            nbytes = meta.row_group(group).total_byte_size
            if run and size + nbytes > _PIECE_BYTES:
                pieces.append((fragment, run))
                run, size = [], 0
            run.append(group)
            size += nbytes
        pieces.append((fragment, run or None))
    return pieces


def _read_piece(piece, schema, convert):
    fragment, groups = piece
    if groups is not None:
        fragment = fragment.subset(row_group_ids=groups)
    try:
        arrow = fragment.to_table(schema=schema, columns=schema.names)
    except (OSError, pa.ArrowException) as exc:  # a damaged file, named among the others
        raise _io.damaged_parquet(fragment.path, exc) from None
    if schema.metadata:
        arrow = arrow.replace_schema_metadata(schema.metadata)
    return convert(arrow)[0]


def write_parts(frame, layout, path, *, force=False, count=None):
    """Write each partition of ``frame`` as one Parquet file of a new directory at ``path``.

    Each part is written in ``layout`` (:meth:`ParquetLayout.to_arrow`), atomically
    as a whole (:func:`_io.write_parts`); the parts are numbered with leading zeros,
    so that their names sort in the order of the partitions.

    Returns
    -------
    counts : dict
        ``{value: rows}`` of the column ``count`` over every part (empty without it).
    """
    import dask

    parts = frame.to_delayed()
    width = max(5, len(str(len(parts) - 1)))
    counts = {}

    def write(directory):
        names = [os.path.join(directory, f"part.{i:0{width}d}.parquet")
                 for i in range(len(parts))]
        found = dask.compute(*[dask.delayed(_write_part)(part, layout, name, count)
                               for part, name in zip(parts, names, strict=True)])
        for part_counts in found:
            for value, n in part_counts.items():
                counts[value] = counts.get(value, 0) + n

    _io.write_parts(write, path, force=force)
    return counts


def _write_part(part, layout, name, count):
    import pyarrow.parquet as pq

    pq.write_table(layout.to_arrow(part), name)
    if count is None:
        return {}
    return part[count].value_counts(dropna=False).to_dict()
