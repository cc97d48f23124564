"""Reading and writing tables for the command line (``balancekit._io``)."""

import csv
import gzip
import io
import os
import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from balancekit import _io
from balancekit.exceptions import DataError

# Cells that a reader with pandas' defaults changes or drops.
TRICKY = [
    "NA", "N/A", "null", "None", "nan", "NaN", "#N/A", "", "007", "02937", "0", "-0", "+5",
    "0.5", "1.50", "1e3", ".5", "True", "false", "a,b", 'say "hi"', " padded ", "two\nlines",
    "10", "-3", "x", "1e400",
]  # fmt: skip


def write_rows(path, rows, delimiter=","):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)


def read_rows(path, delimiter=","):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


# --------------------------------------------------------------------------- types


# The dtype of a column of text: 'str' from pandas 3 on, 'object' before.
TEXT_DTYPE = str(pd.Series(["a"]).dtype)


@pytest.mark.parametrize(
    ("cells", "dtype", "values"),
    [
        (
            ["NA", "N/A", "null", "None", "nan", ""],
            "str",
            ["NA", "N/A", "null", "None", "nan", None],
        ),
        (["02937", "10115", "00501"], "str", ["02937", "10115", "00501"]),
        (["007", "12", ""], "str", ["007", "12", None]),
        (["0.10", "1.50", "007", "1e3"], "str", ["0.10", "1.50", "007", "1e3"]),
        (["10", "", "12"], "Int64", [10, None, 12]),
        (["10", "-3", "0"], "int64", [10, -3, 0]),
        (["0", "0.5", "", "1e3"], "float64", [0.0, 0.5, None, 1000.0]),
        (["True", "false", "TRUE"], "bool", [True, False, True]),
        (["True", "", "False"], "str", ["True", None, "False"]),
        ([str(2**63 + 5), "1"], "uint64", [2**63 + 5, 1]),
        ([str(2**63 + 5), ""], "UInt64", [2**63 + 5, None]),
        ([str(2**64), "1"], "str", [str(2**64), "1"]),
        ([str(-(2**63) - 1), "1"], "str", [str(-(2**63) - 1), "1"]),
        (["", ""], "float64", [None, None]),
        (["+5", " 7 ", "-0"], "int64", [5, 7, 0]),
        (["1.", ".5", " 2 ", "+1E3"], "float64", [1.0, 0.5, 2.0, 1000.0]),
        (["1e400", "1.5"], "str", ["1e400", "1.5"]),  # not turned into infinity
    ],
)
def test_csv_columns_keep_their_values(tmp_path, cells, dtype, values):
    """Only an empty cell is missing; codes with leading zeros stay text; integers with gaps
    stay integers; numbers beyond 64 bits are not rounded through float64."""
    path = tmp_path / "t.csv"
    write_rows(path, [["col", "other"], *[[c, "z"] for c in cells]])
    column = _io.read_table(path)["col"]
    assert str(column.dtype) == (TEXT_DTYPE if dtype == "str" else dtype)
    got = [None if pd.isna(v) else v for v in column.tolist()]
    assert got == values
    assert all(type(g) is type(v) for g, v in zip(got, values, strict=True) if v is not None)


def test_na_words_are_values_not_missing(tmp_path):
    """The probe's file: 'NA' (Namibia) and friends are values, and only the empty cell is
    counted as missing."""
    path = tmp_path / "t.csv"
    path.write_text("country,code,n\nNA,null,\nFR,None,4\nNA,nan,6\n")
    table = _io.read_table(path)
    assert table["country"].tolist() == ["NA", "FR", "NA"]
    assert table["code"].tolist() == ["null", "None", "nan"]
    assert table.isna().sum().to_dict() == {"country": 0, "code": 0, "n": 1}
    assert str(table["n"].dtype) == "Int64"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.sampled_from(TRICKY),
                st.integers(-(2**70), 2**70).map(str),
                st.floats(allow_nan=False, allow_infinity=False).map(repr),
            ),
            min_size=3,
            max_size=3,
        ),
        min_size=1,
        max_size=12,
    )
)
def test_parse_column_never_changes_a_value(rows):
    """Each cell reads back as its own text, as the number that text denotes, or as missing
    when (and only when) it is empty or, in a column of numbers, a missing-value word."""
    for j in range(3):
        cells = pd.Series([row[j] for row in rows], dtype="str")
        values = _io.parse_column(cells)
        numeric = values.dtype.kind in "iuf" or str(values.dtype) in ("Int64", "UInt64")
        for text, value in zip(cells, values, strict=True):
            if text == "" or (numeric and text in _io._MISSING_WORDS):
                # Empty, or a missing-value word ('NA') in a column of numbers.
                assert pd.isna(value)
            elif isinstance(value, str):
                assert value == text
            elif isinstance(value, (bool, np.bool_)):
                assert text in ("True", "TRUE", "true", "False", "FALSE", "false")
                assert value == (text.lower() == "true")
            elif isinstance(value, (int, np.integer)):
                assert int(text) == int(value) and not text.strip().lstrip("+-").startswith("00")
            else:
                assert float(text) == float(value)
                digits = text.strip().lstrip("+-")
                assert not (len(digits) > 1 and digits[0] == "0" and digits[1].isdigit())


# --------------------------------------------------------------------------- round trips


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.lists(st.sampled_from(TRICKY), min_size=4, max_size=4),
        min_size=1,
        max_size=10,
    ),
    st.sampled_from([",", ";", "\t"]),
)
def test_cells_written_back_as_read(tmp_path, rows, delimiter):
    """read_table then write_table with the cells' text: every cell comes back as read, both
    for copied rows (``rows``) and through the value-to-text lookup."""
    source, copied, looked_up = tmp_path / "in.csv", tmp_path / "a.csv", tmp_path / "b.csv"
    header = ["a", "b", "c", "d"]
    write_rows(source, [header, *rows], delimiter)
    table, text = _io.read_table(source, sep=delimiter, keep_text=True)
    order = np.arange(len(rows))[::-1]
    _io.write_table(table.iloc[order], copied, force=True, sep=delimiter, text=text, rows=order)
    assert read_rows(copied, delimiter) == [header, *[rows[i] for i in order]]
    # The rows read, then more (an over-sampler's output): the rows read come back as read.
    grown = pd.concat([table, table.iloc[order]], ignore_index=True)
    _io.write_table(grown, copied, force=True, sep=delimiter, text=text)
    assert read_rows(copied, delimiter)[: len(rows) + 1] == [header, *rows]
    # Without the row numbers: values map back to their text, unless a value was read from
    # two texts in the column ('1.50' and '1.5'); the values themselves never change.
    _io.write_table(table.iloc[order], looked_up, force=True, sep=delimiter, text=text)
    again = _io.read_table(looked_up, sep=delimiter)
    pd.testing.assert_frame_equal(again, table.iloc[order].reset_index(drop=True))
    written = read_rows(looked_up, delimiter)[1:]
    for j in range(4):
        keys = [None if pd.isna(v) else v for v in table.iloc[:, j]]
        texts = {}
        for row, key in zip(rows, keys, strict=True):
            texts.setdefault(key, set()).add(row[j])
        for i, out in zip(order, written, strict=True):
            if len(texts[keys[i]]) == 1:
                assert out[j] == rows[i][j]


def test_lookup_gives_synthetic_rows_the_input_text(tmp_path):
    """Values equal to an input value are written with its text; new values as pandas writes
    them; a value read from two different texts is written as pandas writes it."""
    path = tmp_path / "t.csv"
    path.write_text("x,label\n1.50,+1\n2.25,-1\n1e3,+1\n1.5,-1\n")
    table, text = _io.read_table(path, keep_text=True)
    assert table["label"].tolist() == [1, -1, 1, -1]
    new = pd.DataFrame({"x": [2.25, 0.125, 1000.0, 1.5], "label": [1, -1, -1, 1]})
    out = tmp_path / "out.csv"
    _io.write_table(pd.concat([table, new], ignore_index=True), out, text=text)
    # The rows read come first, as read; 1.5 was read as '1.50' and as '1.5': a new 1.5 gets
    # pandas' '1.5'.
    synthetic = [["2.25", "+1"], ["0.125", "-1"], ["1e3", "-1"], ["1.5", "+1"]]
    assert read_rows(out)[1:] == [
        ["1.50", "+1"], ["2.25", "-1"], ["1e3", "+1"], ["1.5", "-1"], *synthetic,
    ]  # fmt: skip
    # Not the rows read (one value changed): every row goes through the lookup.
    changed = table.copy()
    changed.loc[1, "x"] = 0.125
    _io.write_table(pd.concat([changed, new], ignore_index=True), out, text=text, force=True)
    assert read_rows(out)[1:] == [
        ["1.5", "+1"], ["0.125", "-1"], ["1e3", "+1"], ["1.5", "-1"], *synthetic,
    ]  # fmt: skip


def test_parquet_integers_with_gaps_stay_integers(tmp_path):
    big = 2**62 + 1  # not representable in float64
    arrow = pa.table(
        {
            "n": pa.array([1, None, big], pa.int64()),
            "small": pa.array([1, 2, None], pa.uint8()),
            "full": pa.array([1, 2, 3], pa.int32()),
        }
    )
    source, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pq.write_table(arrow, source)
    table = _io.read_table(source)
    assert [str(t) for t in table.dtypes] == ["Int64", "UInt8", "int32"]
    assert table["n"].tolist()[2] == big
    _io.write_table(table, out)
    written = pq.read_table(out)
    assert [str(f.type) for f in written.schema] == ["int64", "uint8", "int32"]
    assert written.column("n").to_pylist() == [1, None, big]
    # A directory of parts is read the same way.
    parts = tmp_path / "parts"
    parts.mkdir()
    pq.write_table(arrow.slice(0, 2), parts / "p0.parquet")
    pq.write_table(arrow.slice(2), parts / "p1.parquet")
    pd.testing.assert_frame_equal(_io.read_table(parts), table)


# --------------------------------------------------------------------------- delimiters


@pytest.mark.parametrize(
    ("columns", "sep", "expected"),
    [
        (["x1;x2;target"], ",", ";"),
        (["x1\tx2\ttarget"], ",", "\t"),
        (["x1|x2|target"], ",", "|"),
        (["x1,x2,target"], ";", ","),
        (["x1", "x2", "target"], ",", None),
        (["a;b", "c"], ";", None),
    ],
)
def test_guess_delimiter(columns, sep, expected):
    assert _io.guess_delimiter(columns, sep) == expected


# --------------------------------------------------------------------------- writing


def test_write_text_refuses_to_overwrite_without_force(tmp_path):
    path = tmp_path / "r.json"
    _io.write_text(path, "first\n")
    with pytest.raises(FileExistsError, match="--force"):
        _io.write_text(path, "second\n")
    assert path.read_text() == "first\n"
    path.chmod(0o640)
    _io.write_text(path, "second\n", force=True)
    assert path.read_text() == "second\n"
    assert oct(path.stat().st_mode & 0o777) == oct(0o640)  # the replaced file's permissions
    assert sorted(os.listdir(tmp_path)) == ["r.json"]
    with pytest.raises(FileNotFoundError, match="does not exist"):
        _io.write_text(tmp_path / "no" / "r.json", "x")


def test_rows_longer_than_the_header_are_an_error(tmp_path):
    # pandas would take the first field as an index and shift every column by one.
    path = tmp_path / "shifted.csv"
    path.write_text("a,target\n1,2,0\n3,4,1\n")
    with pytest.raises(DataError, match="more fields than its header"):
        _io.read_table(path)


@pytest.mark.parametrize(
    "body",
    [
        # A comma in a free-text field of the first row: pandas takes it for an index.
        'id;note;label\r\n1;"call back, later";no\r\n2;ok;yes\r\n',
        # ... of a later row: pandas' tokenizer fails.
        'id;note;label\r\n1;ok;no\r\n2;"call back, later";yes\r\n',
        # Decimal commas, as a European spreadsheet exports them.
        "x;y;label\n1,5;2,1;no\n2,5;3,25;yes\n",
    ],
)
def test_a_file_read_on_the_wrong_delimiter_names_the_right_one(tmp_path, body):
    # A semicolon-delimited export read on commas: the header is one name holding ';', and
    # the commas inside its fields make rows of more than one field.
    path = tmp_path / "export.csv"
    path.write_text(body, newline="")
    with pytest.raises(DataError, match="delimited by ';', not by ',': read the file with "
                                        "--sep ';'"):
        _io.read_table(path)
    assert _io.read_table(path, sep=";").columns[-1] == "label"


def test_missing_value_words_are_missing_only_among_numbers(tmp_path):
    # R writes 'NA' for a missing number; a country column holds 'NA' for Namibia.
    path = tmp_path / "r.csv"
    path.write_text("amount,count,country,target\n1.5,3,NA,0\nNA,NA,FR,1\n2.25,null,NA,0\n")
    table, text = _io.read_table(path, keep_text=True)
    assert table["amount"].dtype == np.float64 and np.isnan(table["amount"][1])
    assert str(table["count"].dtype) == "Int64"
    assert table["count"].isna().tolist() == [False, True, True]
    assert table["country"].tolist() == ["NA", "FR", "NA"]
    # Written back, every cell is the text that was read.
    out = tmp_path / "out.csv"
    _io.write_table(table, out, text=text, rows=np.arange(3))
    assert read_rows(out) == read_rows(path)
    # A column of nothing but such words stays text.
    only = tmp_path / "only.csv"
    only.write_text("code,target\nNA,0\nnull,1\n")
    assert _io.read_table(only)["code"].tolist() == ["NA", "null"]


def test_repeated_column_names_are_an_error(tmp_path):
    # pandas would rename the second 'v' to 'v.1' (a repeated target would become a feature).
    path = tmp_path / "dup.csv"
    path.write_text("v,v,target\n1,2,0\n3,4,1\n")
    with pytest.raises(DataError, match="names column\\(s\\) 'v' more than once"):
        _io.read_table(path)


def test_whole_numbers_float64_would_round_keep_their_column_as_text(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("x,y,target\n9007199254740993,9007199254740993,0\n1.5,7,1\n")
    table = _io.read_table(path)
    assert table["x"].tolist() == ["9007199254740993", "1.5"]  # text: no value changes
    assert table["y"].tolist() == [9007199254740993, 7]  # whole numbers: int64, exact


def test_wide_tables_read_and_write_without_fragmenting(tmp_path):
    # 150 columns: building the frame column by column made pandas warn (and slowed it).
    path, out = tmp_path / "wide.csv", tmp_path / "out.csv"
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(20, 150)).round(3), columns=[f"c{i}" for i in range(150)])
    frame.to_csv(path, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table, text = _io.read_table(path, keep_text=True)
        _io.write_table(table, out, text=text)
        _io.write_table(table.iloc[::-1], tmp_path / "copied.csv", text=text,
                        rows=np.arange(20)[::-1])
        table.insert(3, "label", 0)  # as the command line puts the class column back
    assert out.read_text() == path.read_text()
    assert read_rows(tmp_path / "copied.csv")[1:] == read_rows(path)[1:][::-1]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.integers(1, 4).flatmap(
        lambda width: st.lists(
            st.lists(st.text(alphabet='ab,;"\n\r 1.', max_size=4), min_size=width,
                     max_size=width),
            min_size=1,
            max_size=6,
        )
    ),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from(["csv", "csv.gz"]),
)
def test_text_tables_are_written_as_the_csv_module_writes_them(tmp_path, rows, sep, fmt):
    """Tables of text (copied cells) go through pyarrow when no cell needs quotes, else
    through the csv module: the bytes are the csv module's either way."""
    header = [f"c{j}" for j in range(len(rows[0]))]
    table = pd.DataFrame(rows, columns=header, dtype=object)
    path = tmp_path / f"out.{fmt}"
    _io.write_table(table, path, force=True, sep=sep)
    handle = io.StringIO(newline="")
    csv.writer(handle, delimiter=sep, lineterminator=os.linesep).writerows([header, *rows])
    written = path.read_bytes()
    if fmt == "csv.gz":
        written = gzip.decompress(written)
    assert written == handle.getvalue().encode("utf-8")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.floats(width=64), min_size=1, max_size=8),
    st.lists(st.integers(-(2**63), 2**63 - 1), min_size=1, max_size=8),
    st.sampled_from([["x", "n"], ["a,b", 'say "hi"'], [1, 2.5]]),
    st.sampled_from([",", ";"]),
)
def test_tables_of_numbers_are_written_as_pandas_writes_them(tmp_path, floats, ints, names, sep):
    """Float64 and int64 columns are written through their text (faster): the bytes are
    pandas' to_csv's, NaN, infinities and -0.0 included."""
    n = min(len(floats), len(ints))
    table = pd.DataFrame({names[0]: np.array(floats[:n]), names[1]: np.array(ints[:n])})
    path = tmp_path / "out.csv"
    _io.write_table(table, path, force=True, sep=sep)
    expected = table.to_csv(index=False, sep=sep, lineterminator=os.linesep)
    assert path.read_bytes() == expected.encode("utf-8")
