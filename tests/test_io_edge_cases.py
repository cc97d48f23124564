"""Reading and writing tables: infinity, stray tokens, short rows, header names, Parquet
indexes, schemas and types, and the paths named in errors (``balancekit._io``)."""

import datetime
import decimal
import errno
import gzip
import json
import tempfile
import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balancekit import _io
from balancekit.exceptions import BalancekitWarning, DataError

from .test_io import read_rows, write_rows


def numbers(n=30, seed=0):
    rng = np.random.default_rng(seed)
    return [f"{v:.3f}" for v in rng.normal(size=n)]


def labels(n=30):
    return ["yes" if i % 5 == 0 else "no" for i in range(n)]


def read_quietly(path, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = _io.read_table(path, **kwargs)
    return result, [w for w in caught if issubclass(w.category, BalancekitWarning)]


# --------------------------------------------------------------------------- decimal commas


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=64), min_size=2,
                max_size=20))
def test_decimal_commas_read_as_the_numbers_written(values):
    with tempfile.TemporaryDirectory() as directory:
        path = f"{directory}/d.csv"
        texts = [repr(v).replace(".", ",") for v in values]
        write_rows(path, [["x", "t"], *zip(texts, labels(len(texts)), strict=True)], delimiter=";")
        table, _ = read_quietly(path, sep=";", decimal=",")
        assert table["x"].dtype == np.float64 and table["x"].tolist() == values


def test_with_decimal_commas_points_may_group_thousands(tmp_path):
    path = tmp_path / "d.csv"
    cells = ["1.234,5", "-12.000", "12,25", "7", "1.000.000,125", ""]
    write_rows(path, [["x", "t"], *zip(cells, labels(6), strict=True)], delimiter=";")
    table, caught = read_quietly(path, sep=";", decimal=",")
    assert table["x"].tolist()[:5] == [1234.5, -12000.0, 12.25, 7.0, 1000000.125]
    assert np.isnan(table["x"].iloc[5]) and not caught
    # Not groups of three: no number ('1.5' is no number with decimal commas).
    write_rows(path, [["x", "t"], *zip(["1.23,5", "2,5"] * 3, labels(6), strict=True)],
               delimiter=";")
    table, _ = read_quietly(path, sep=";", decimal=",")
    assert table["x"].tolist() == ["1.23,5", "2,5"] * 3


def test_with_decimal_commas_a_point_is_no_decimal_mark(tmp_path):
    path = tmp_path / "d.csv"
    cells = [f"{i},5" for i in range(29)] + ["7.5"]
    write_rows(path, [["x", "name", "t"],
                      *zip(cells, ["a.b,c"] * 30, labels(30), strict=True)], delimiter=";")
    table, caught = read_quietly(path, sep=";", decimal=",")
    # '7.5' is not a number there: the column stays text, the cell named with the mark.
    assert table["x"].tolist() == cells and table["name"].tolist() == ["a.b,c"] * 30
    assert len(caught) == 1 and "'7.5'" in str(caught[0].message)
    assert "with a ',' for the decimal mark" in str(caught[0].message)


# --------------------------------------------------------------------------- infinity
# --------------------------------------------------------------------------- infinity


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("inf", np.inf), ("-inf", -np.inf), ("+inf", np.inf), ("Infinity", np.inf),
        ("-Infinity", -np.inf), ("Inf", np.inf), ("nan", np.nan), ("NaN", np.nan),
    ],
)  # fmt: skip
def test_infinity_and_nan_spellings_are_numbers(tmp_path, cell, value):
    cells = numbers()
    cells[2] = cell
    path = tmp_path / "x.csv"
    write_rows(path, [["a", "t"], *zip(cells, labels(), strict=True)])
    table, caught = read_quietly(path)
    assert table["a"].dtype == np.float64
    assert np.array_equal(table["a"].iloc[2], value, equal_nan=True)
    assert table["a"].drop(index=2).tolist() == [float(c) for i, c in enumerate(cells) if i != 2]
    assert not caught


def test_infinity_as_pandas_writes_it_round_trips(tmp_path):
    frame = pd.DataFrame({"a": [1.5, np.inf, -np.inf, 2.0], "t": list("xyxy")})
    path = tmp_path / "x.csv"
    frame.to_csv(path, index=False)
    table, text = _io.read_table(path, keep_text=True)
    pd.testing.assert_frame_equal(table[["a"]], frame[["a"]])
    out = tmp_path / "out.csv"
    _io.write_table(table, out, text=text)
    assert read_rows(out) == read_rows(path)


def test_number_beyond_float64_still_keeps_its_column_as_text():
    assert _io.parse_column(pd.Series(["1", "1e400"])).dtype.kind not in "f"
    assert _io.parse_column(pd.Series(["1", "inf"])).dtype == np.float64


# --------------------------------------------------------------------------- stray tokens


@pytest.mark.parametrize(("token", "sep"), [("?", ","), ("6,5", ";"), ("n.a.", ",")])
def test_a_stray_token_in_a_numeric_column_is_named(tmp_path, token, sep):
    cells = [str(i) for i in range(40)]
    cells[6] = token
    path = tmp_path / "x.csv"
    write_rows(path, [["a", "b", "t"], *zip(cells, numbers(40), labels(40), strict=True)], delimiter=sep)
    table, caught = read_quietly(path, sep=sep)
    assert table["a"].tolist() == cells  # read as text, no value changed
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "'a'" in message and repr(token) in message and "line 8" in message


def test_the_line_counts_blank_lines_and_quoted_line_breaks(tmp_path):
    path = tmp_path / "x.csv"
    cells = numbers(20)
    cells[10] = "?"
    rows = [["a", "note", "t"]] + [[c, "two\nlines" if i == 3 else "x", "y"]
                                   for i, c in enumerate(cells)]
    write_rows(path, rows)
    text = path.read_text().replace("\n", "\n\n", 1)  # a blank line after the header
    path.write_text(text)
    _, caught = read_quietly(path)
    assert "line 14" in str(caught[0].message)  # 1 header + 1 blank + 10 rows + 1 break + 1


@pytest.mark.parametrize(
    "cells",
    [
        ["02937", "10115", "00501"] + [str(10000 + i) for i in range(30)],  # codes
        ["paris", "rome"] * 10 + ["1"],  # text with a number
        ["1", "2", "x", "y"],  # half numbers: not a stray token
        ["NA", "1", "2", "3"],  # a missing-value word: a number column
    ],
)
def test_genuine_text_columns_give_no_warning(tmp_path, cells):
    path = tmp_path / "x.csv"
    write_rows(path, [["a", "t"], *zip(cells, labels(len(cells)), strict=True)])
    _, caught = read_quietly(path)
    assert not caught


# --------------------------------------------------------------------------- short rows


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz"])
def test_a_row_with_too_few_fields_is_refused_with_its_line(tmp_path, suffix):
    lines = ["a,b,t"] + [f"{i}.5,{i},{'yes' if i % 5 == 0 else 'no'}" for i in range(20)]
    lines[6] = "0.5,yes"
    path = tmp_path / f"x{suffix}"
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
    with pytest.raises(DataError, match=r"line 7 of .* has 2 field\(s\) but the header has 3"):
        _io.read_table(path)


@pytest.mark.parametrize(("row", "fields"), [("0.5,1,yes,9", 4), ('1,000.5,2,"no"', 4),
                                             ("0.5,1,no,x,y", 5)])
def test_a_row_with_too_many_fields_is_refused_with_its_line(tmp_path, row, fields):
    # pandas' own words were "Error tokenizing data. C error: Expected 3 fields in line 9".
    lines = ["a,b,t"] + [f"{i}.5,{i},{'yes' if i % 5 == 0 else 'no'}" for i in range(20)]
    lines[8] = row
    path = tmp_path / "x.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=rf"line 9 of .* has {fields} field\(s\) but the header "
                                        r"has 3\. A value that holds the delimiter ',' needs "
                                        "quotes"):
        _io.read_table(path)
    # Every row one field longer: the first fields would be an index; refused as such.
    path.write_text("a,b,t\n" + "".join(f"{i},{i}.5,{i},no\n" for i in range(5)))
    with pytest.raises(DataError, match="have more fields than its header"):
        _io.read_table(path)


def test_a_truncated_file_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    pd.DataFrame({"a": np.arange(50) / 3, "b": np.arange(50), "t": labels(50)}).to_csv(
        path, index=False
    )
    text = path.read_text()
    path.write_text(text[: text.rindex(",") - 2])  # cut inside the last row
    with pytest.raises(DataError, match="line 51 .* cut short"):
        _io.read_table(path)


def test_a_header_ending_with_a_delimiter_is_explained(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b,t,\n" + "".join(f"{i},{i},y\n" for i in range(5)))
    with pytest.raises(DataError, match="header ends with a delimiter"):
        _io.read_table(path)


# --------------------------------------------------------------------------- header names


def test_an_empty_header_name_is_kept_and_written_back(tmp_path):
    path = tmp_path / "x.csv"
    pd.DataFrame({"a": [0.5, 1.5, 2.5], "t": list("xyx")}).to_csv(path)  # index, no name
    table, text = _io.read_table(path, keep_text=True)
    assert list(table.columns) == ["", "a", "t"]
    out = tmp_path / "out.csv"
    _io.write_table(table.iloc[[2, 0]], out, text=text, rows=[2, 0])
    assert read_rows(out)[0] == ["", "a", "t"]


def test_an_empty_trailing_column_is_left_out_with_a_warning(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b,t,\n" + "".join(f"{i},{i}.5,y,\n" for i in range(5)))
    table, caught = read_quietly(path)
    assert list(table.columns) == ["a", "b", "t"]
    assert len(caught) == 1 and "no name and no value" in str(caught[0].message)


# --------------------------------------------------------------------------- encodings


def test_latin1_is_named_as_not_utf8(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes("a,ville\n1,Orléans\n2,Nîmes\n".encode("latin-1"))
    with pytest.raises(DataError, match="not UTF-8 text.*convert it") as info:
        _io.read_table(path)
    assert "codec" not in str(info.value)


def test_gzip_named_csv_and_text_named_gz(tmp_path):
    data = b"a,t\n1,x\n2,y\n"
    (tmp_path / "x.csv").write_bytes(gzip.compress(data))
    with pytest.raises(DataError, match=r"gzip-compressed.*'x\.csv\.gz'"):
        _io.read_table(tmp_path / "x.csv")
    (tmp_path / "y.csv.gz").write_bytes(data)
    with pytest.raises(DataError, match=r"not gzip-compressed.*'y\.csv'"):
        _io.read_table(tmp_path / "y.csv.gz")


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz"])
def test_binary_data_is_named_as_not_text(tmp_path, suffix):
    data = bytes(np.random.default_rng(0).integers(0, 256, 2000, dtype=np.uint8)) + b"\x00"
    path = tmp_path / f"x{suffix}"
    path.write_bytes(gzip.compress(data) if suffix == ".csv.gz" else data)
    with pytest.raises(DataError, match="holds binary data.*not CSV text") as info:
        _io.read_table(path)
    assert "iconv" not in str(info.value)


@pytest.mark.parametrize("name", ["x.csv", "x.csv.gz", "X.CSV"])
def test_parquet_named_csv_is_named_as_parquet(tmp_path, name):
    pd.DataFrame({"a": numbers(), "t": labels()}).to_parquet(tmp_path / name)
    with pytest.raises(DataError, match=r"is a Parquet file, not CSV text.*'[xX]\.parquet'"):
        _io.read_table(tmp_path / name)


@pytest.mark.parametrize("content", [b"", b"\n", b"\xef\xbb\xbf", b"  \r\n\r\n"])
@pytest.mark.parametrize("suffix", [".csv", ".csv.gz"])
def test_an_empty_csv_file_is_named_as_empty(tmp_path, content, suffix):
    path = tmp_path / f"x{suffix}"
    path.write_bytes(gzip.compress(content) if suffix == ".csv.gz" else content)
    with pytest.raises(DataError, match=r"'.*x\.csv(\.gz)?' is empty: it holds no header"):
        _io.read_table(path)


# --------------------------------------------------------------------------- Parquet


def test_a_named_parquet_index_is_a_column_and_written_back(tmp_path):
    frame = pd.DataFrame(
        {"a": [0.5, 1.5, 2.5], "t": list("xyx")},
        index=pd.Index(["c1", "c2", "c3"], name="customer_id"),
    )
    path, out = tmp_path / "x.parquet", tmp_path / "out.parquet"
    frame.to_parquet(path)
    table, layout = _io.read_table(path, keep_text=True)
    assert list(table.columns) == ["a", "t", "customer_id"]
    assert table["customer_id"].tolist() == ["c1", "c2", "c3"]
    _io.write_table(table.iloc[[2, 0]], out, text=layout)
    back = pd.read_parquet(out)
    assert back.index.name == "customer_id" and back.index.tolist() == ["c3", "c1"]
    assert pq.read_schema(out).names == pq.read_schema(path).names


def test_an_unnamed_range_index_stays_absent(tmp_path):
    path = tmp_path / "x.parquet"
    pd.DataFrame({"a": [0.5, 1.5], "t": list("xy")}).to_parquet(path)
    pd.DataFrame({"a": [0.5, 1.5], "t": list("xy")}, index=[7, 9]).to_parquet(tmp_path / "y.pq")
    assert list(_io.read_table(path).columns) == ["a", "t"]
    assert list(_io.read_table(tmp_path / "y.pq").columns) == ["a", "t"]


def test_parquet_decimal_keeps_its_arrow_type(tmp_path):
    path, out = tmp_path / "x.parquet", tmp_path / "out.parquet"
    kind = pa.decimal128(5, 2)
    pq.write_table(pa.table({"d": pa.array([decimal.Decimal("1.10")] * 4, kind),
                             "s": pa.array(["a", "b", "c", "d"], pa.string()),
                             "t": pa.array(list("xyxy"))}), path)
    table, layout = _io.read_table(path, keep_text=True)
    _io.write_table(pd.concat([table, table.iloc[[1]]], ignore_index=True), out, text=layout)
    assert pq.read_schema(out).field("d").type == kind
    assert pq.read_schema(out).field("s").type == pa.string()


def test_parquet_decimals_under_a_stored_index_keep_every_value(tmp_path):
    # The values were once put in place by index label: under a stored index other than
    # 0, 1, ... most of them came out missing.
    path = tmp_path / "x.parquet"
    amounts = [decimal.Decimal(f"{v}.25") for v in range(6)]
    frame = pd.DataFrame({"amount": amounts, "t": list("xyxyxy")},
                         index=pd.Index([10, 3, 7, 0, 99, 5], name="customer"))
    pq.write_table(pa.Table.from_pandas(frame), path, row_group_size=2)
    table = _io.read_table(path)
    assert table["amount"].tolist() == [float(v) for v in amounts]
    assert table["customer"].tolist() == [10, 3, 7, 0, 99, 5]


def test_new_values_the_input_type_cannot_hold_stay_as_they_are(tmp_path):
    path, out = tmp_path / "x.parquet", tmp_path / "out.parquet"
    pq.write_table(pa.table({"i": pa.array([1, 2], pa.int32()), "t": ["x", "y"]}), path)
    table, layout = _io.read_table(path, keep_text=True)
    table["i"] = [1.5, 2.0]  # a synthetic value between two integers
    _io.write_table(table, out, text=layout)
    assert pq.read_table(out).column("i").to_pylist() == [1.5, 2.0]


def test_map_columns_are_written_back(tmp_path):
    # pyarrow infers no map from the (key, value) pairs pandas holds: the command resampled
    # the table, then failed to write it ("Expected bytes, got a 'int' object").
    path, out = tmp_path / "x.parquet", tmp_path / "out.parquet"
    tags = pa.map_(pa.string(), pa.int64())
    source = pa.table({"m": pa.array([[("a", 1)], [("b", 2), ("c", 3)], []], tags),
                       "s": pa.array([{"m": [("k", 1)]}] * 3, pa.struct([("m", tags)])),
                       "t": list("xyx")})
    pq.write_table(source, path)
    table, layout = _io.read_table(path, keep_text=True)
    _io.write_table(table.iloc[[2, 0, 1, 1]], out, text=layout)
    assert pq.read_table(out).equals(source.take([2, 0, 1, 1]))


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.lists(st.integers(-(2**63), 2**63 - 1), max_size=1500) | st.none(),
             min_size=1, max_size=4),
    st.lists(st.text(max_size=5), min_size=1, max_size=4),
)
def test_nested_parquet_values_are_written_to_csv_as_json(lists, words):
    # numpy abbreviates a long array in its text ("[0 1 2 ... 1199]"): pandas wrote that into
    # the CSV file, losing the values without a word.
    n = min(len(lists), len(words))
    source = pa.table({
        "l": pa.array(lists[:n], pa.list_(pa.int64())),
        "s": pa.array([{"w": w, "d": datetime.date(2020, 1, 2)} for w in words[:n]]),
        "m": pa.array([[(w, 1.5)] for w in words[:n]], pa.map_(pa.string(), pa.float64())),
    })
    with tempfile.TemporaryDirectory() as tmp:
        path, out = f"{tmp}/x.parquet", f"{tmp}/out.csv"
        pq.write_table(source, path)
        _io.write_table(_io.read_table(path), out)
        rows = read_rows(out)
    assert rows[0] == ["l", "s", "m"]
    for row, value, word in zip(rows[1:], lists, words, strict=False):
        assert row[0] == ("" if value is None else json.dumps(value, separators=(",", ":")))
        assert json.loads(row[1]) == {"w": word, "d": "2020-01-02"}
        assert json.loads(row[2]) == [[word, 1.5]]


def test_binary_columns_are_refused_for_csv_with_the_way_out(tmp_path):
    path, out = tmp_path / "x.parquet", tmp_path / "out.csv"
    pq.write_table(pa.table({"raw": pa.array([b"\x00\xff", None]), "x": [1, 2]}), path)
    with pytest.raises(DataError, match=r"column 'raw' .*bytes.*\.parquet.*--drop raw"):
        _io.write_table(_io.read_table(path), out)
    assert not out.exists()


def test_parquet_fields_keep_their_metadata_and_not_null(tmp_path):
    # polars keeps the categories of an Enum in its field's metadata: without it, polars
    # read the output's column as a Categorical.
    path, out = tmp_path / "x.parquet", tmp_path / "out.parquet"
    schema = pa.schema([
        pa.field("e", pa.dictionary(pa.int32(), pa.string(), ordered=True),
                 metadata={b"_PL_ENUM_VALUES2": b"1;a1;b1;c"}),
        pa.field("i", pa.int64(), nullable=False, metadata={b"unit": b"cm"}),
        pa.field("f", pa.float64(), metadata={b"unit": b"kg"}),  # as pandas writes it
        pa.field("t", pa.string()),
    ])
    source = pa.table({"e": pa.array(["a", "b", "a"]).dictionary_encode(),
                       "i": [1, 2, 3], "f": [0.5, 1.5, 2.5], "t": list("xyx")}).cast(schema)
    pq.write_table(source, path)
    table, layout = _io.read_table(path, keep_text=True)
    _io.write_table(table.iloc[[0, 1, 1]], out, text=layout)
    assert pq.read_schema(out).remove_metadata().equals(schema, check_metadata=True)
    table["i"] = table["i"].astype("Int64").where(table["i"] > 1)  # a missing value now
    _io.write_table(table, out, text=layout, force=True)
    assert pq.read_schema(out).field("i").nullable


@pytest.mark.parametrize("kind", [pa.float32(), pa.float64()])
def test_parquet_nan_stays_nan_and_null_stays_null(tmp_path, kind):
    # pandas reads a NaN and a null alike; pyarrow wrote both back as null, so a NaN that
    # numpy, pyarrow or polars wrote (a value to polars, DuckDB or Spark) became missing.
    path, out = tmp_path / "x.parquet", tmp_path / "out.parquet"
    source = pa.table({
        "nan": pa.array(np.array([1.0, np.nan, 3.0]), kind),
        "null": pa.array([1.0, None, 3.0], kind),
        "t": list("xyx"),
    })
    pq.write_table(source, path)
    table, layout = _io.read_table(path, keep_text=True)
    _io.write_table(table.iloc[[1, 0, 1]], out, text=layout)
    written = pq.read_table(out)
    assert written.schema.remove_metadata() == source.schema
    # repr: NaN == NaN is false
    assert repr(written.to_pydict()) == repr(source.take([1, 0, 1]).to_pydict())
    assert written.column("nan").null_count == 0 and written.column("null").null_count == 2


def _directory(tmp_path, first, second):
    directory = tmp_path / "parts"
    directory.mkdir()
    pq.write_table(first, directory / "a.parquet")
    pq.write_table(second, directory / "b.parquet")
    return directory


@pytest.mark.parametrize(
    ("second", "fragments"),
    [
        (pa.table({"x": [1.0], "t": ["n"]}), ["b.parquet", "no column 'y'"]),
        (pa.table({"x": [1.0], "y": [1.0], "z": [1.0], "t": ["n"]}), ["b.parquet", "'z'"]),
        (
            pa.table({"x": pa.array([1.0], pa.float32()), "y": [1.0], "t": ["n"]}),
            ["b.parquet", "'x'", "float", "double"],
        ),
    ],
)
def test_parquet_files_of_a_directory_must_share_a_schema(tmp_path, second, fragments):
    first = pa.table({"x": [0.5, 1.5], "y": [2.0, 3.0], "t": ["y", "n"]})
    directory = _directory(tmp_path, first, second)
    with pytest.raises(DataError) as info:
        _io.read_table(directory)
    for fragment in fragments:
        assert fragment in str(info.value)


@pytest.mark.parametrize("empty_first", [True, False])
@pytest.mark.parametrize(("values", "dtype"), [([1, 2], "Int64"), (["a", "b"], None)])
def test_a_column_without_values_in_one_file_takes_the_type_of_the_others(
    tmp_path, empty_first, values, dtype
):
    empty = pa.table({"x": [0.5, 1.5], "g": pa.nulls(2), "t": ["y", "n"]})
    full = pa.table({"x": [2.5, 3.5], "g": values, "t": ["n", "n"]})
    directory = _directory(tmp_path, *((empty, full) if empty_first else (full, empty)))
    table = _io.read_table(directory)
    assert len(table) == 4 and table["g"].isna().sum() == 2
    assert sorted(table["g"].dropna().unique().tolist()) == values
    if dtype is not None:
        assert table["g"].dtype == dtype


def test_other_files_of_a_directory_are_left_out_with_a_note(tmp_path):
    first = pa.table({"x": [0.5, 1.5], "t": ["y", "n"]})
    directory = _directory(tmp_path, first, first)
    (directory / "README.txt").write_text("notes")
    (directory / "_SUCCESS").write_text("")
    (directory / "part-3").write_bytes(open(directory / "a.parquet", "rb").read())
    table, caught = read_quietly(directory)
    assert len(table) == 6  # a Parquet file without extension is read
    assert len(caught) == 1 and "README.txt" in str(caught[0].message)
    assert "_SUCCESS" not in str(caught[0].message)


def test_a_repeated_parquet_column_name_is_named(tmp_path):
    path = tmp_path / "x.parquet"
    pq.write_table(pa.table([[1.0], [2.0], ["y"]], names=["a", "a", "t"]), path)
    with pytest.raises(DataError, match="names column\\(s\\) 'a' more than once"):
        _io.read_table(path)


# --------------------------------------------------------------------------- writing


def test_an_unwritable_directory_names_the_output(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / ".o.csv.x.tmp"))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(PermissionError) as info:
        _io.write_text(tmp_path / "o.csv", "x")
    assert info.value.filename == str(tmp_path / "o.csv")


@pytest.mark.parametrize("table", [
    pd.DataFrame({"a": [1.5, 2.5], "b": [1, 2]}),             # numbers
    pd.DataFrame({"a": ["x", "y"], "b": ["p", "q"]}),         # text, written by pyarrow
    pd.DataFrame({"a": ["x,1", "y"], "b": ["p", "q"]}),       # text needing quotes
    pd.DataFrame({"a": ["x", None], "b": [1.5, 2.0]}),        # anything else
])
def test_gzip_header_names_the_output_not_the_temporary_file(tmp_path, table):
    # gunzip -N restores the name in the header: it was the hidden temporary file's.
    out = tmp_path / "out.csv.gz"
    _io.write_table(table, out)
    header = out.read_bytes()
    assert header[:2] == b"\x1f\x8b" and header[3] & 0x08  # gzip, with a file name
    assert header[10:header.index(b"\x00", 10)] == b"out.csv"
    pd.testing.assert_frame_equal(_io.read_table(out), _io.read_table(_plain(tmp_path, table)))


def _plain(tmp_path, table):
    path = tmp_path / "plain.csv"
    _io.write_table(table, path)
    return path


# --------------------------------------------------------------------------- columns left out


def _unreadable_columns(path):
    """A Parquet file with a decimal wider than a float64 and times to the nanosecond."""
    wide = [decimal.Decimal(f"12345678901234567.{i:02d}") for i in range(6)]
    table = pa.table({
        "x": [float(i) for i in range(6)],
        "amount": pa.array(wide, pa.decimal128(20, 2)),
        "t": pa.array([i * 1_000_000_007 for i in range(6)], pa.int64()).cast(pa.time64("ns")),
        "y": ["a", "b"] * 3,
    })
    pq.write_table(table, path)


def test_times_of_day_to_the_nanosecond_are_refused_naming_file_column_and_type(tmp_path):
    # pyarrow's own error named neither the file nor the column.
    path = tmp_path / "t.parquet"
    _unreadable_columns(path)
    with pytest.raises(DataError, match=r"t.parquet': column 't' \(time64\[ns\]\) holds "
                                        r"00:00:01.000000007.*--drop t"):
        _io.read_table(path, drop=["amount"])


def test_columns_left_out_are_not_read_nor_converted(tmp_path):
    # --drop came after the conversion that refused the column: it could not get around it.
    path = tmp_path / "w.parquet"
    _unreadable_columns(path)
    with pytest.raises(DataError, match="'amount'"):
        _io.read_table(path, drop=["t"])
    table, layout = _io.read_table(path, drop=["amount", "t"], keep_text=True)
    assert list(table.columns) == ["x", "y"]
    out = tmp_path / "o.parquet"
    _io.write_table(table, out, text=layout)
    assert pq.read_schema(out).names == ["x", "y"]
    directory = tmp_path / "dir"
    directory.mkdir()
    path.rename(directory / "w.parquet")
    assert list(_io.read_table(directory, drop=["amount", "t"]).columns) == ["x", "y"]


def test_parquet_columns_are_the_columns_read(tmp_path):
    path = tmp_path / "ix.parquet"
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "k": [5, 1, 3]}, index=[7, 3, 9])
    frame.to_parquet(path)
    assert _io.parquet_columns(path) == ["a", "k"] == list(_io.read_table(path).columns)
    frame.set_index("k").to_parquet(path)
    assert _io.parquet_columns(path) == ["a", "k"] == list(_io.read_table(path).columns)


def test_parquet_decimals_are_written_to_csv_at_their_scale(tmp_path):
    # decimal128(10, 2) values were written to CSV as float64 text: 0.00 as 0.0, 1.10 as 1.1.
    path, out = tmp_path / "d.parquet", tmp_path / "o.csv"
    amounts = [decimal.Decimal(v) for v in ("0.00", "1.10", "-2.05")] + [None]
    pq.write_table(pa.table({"m": pa.array(amounts, pa.decimal128(10, 2)),
                             "y": ["a", "b", "a", "b"]}), path)
    table, layout = _io.read_table(path, keep_text=True)
    _io.write_table(table, out, text=layout)
    assert out.read_text().splitlines() == ["m,y", "0.00,a", "1.10,b", "-2.05,a", ",b"]
    _io.write_table(table, out, text=layout, sep=";", decimal=",", force=True)
    assert out.read_text().splitlines()[1:3] == ["0,00;a", "1,10;b"]
