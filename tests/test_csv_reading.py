"""Reading CSV files: quotes left open, text that is not UTF-8, decimal commas, big whole
numbers among decimals and booleans with empty cells (``balancekit._io.read_table``)."""

import gzip
import warnings

import numpy as np
import pytest

from balancekit import _io
from balancekit.exceptions import BalancekitWarning, DataError


def read_quietly(path, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = _io.read_table(path, **kwargs)
    return result, [str(w.message) for w in caught if issubclass(w.category, BalancekitWarning)]


# --------------------------------------------------------------------------- quotes left open


def test_a_quote_left_open_in_the_last_column_is_refused_with_its_line(tmp_path):
    # The rest of the file was read as one value of row 2: 2 rows instead of 7.
    path = tmp_path / "f.csv"
    path.write_text('a,label,txt\n1,yes,abc\n2,no,"def\n3,no,plain\n4,no,x\n5,yes,y\n6,no,z\n'
                    "7,yes,w\n")
    with pytest.raises(DataError, match=r"line 3 of .*f\.csv' opens a quoted value that is "
                                        r'never closed \("def\.\.\.\)'):
        _io.read_table(path)


def test_a_quote_left_open_in_another_column_is_refused_with_its_line(tmp_path):
    # It was refused for its number of fields ("line 3 ... has 2 field(s)").
    path = tmp_path / "f.csv"
    path.write_text('a,txt,label\n1,abc,yes\n2,"def,no\n3,plain,no\n4,x,yes\n')
    with pytest.raises(DataError, match=r"line 3 of .* opens a quoted value that is never "
                                        "closed") as info:
        _io.read_table(path)
    assert "field(s)" not in str(info.value)


def test_a_ragged_line_before_a_quote_left_open_is_named_first(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text('a,b\n1,2\n3,4,5,6\n"unterminated\n')
    with pytest.raises(DataError, match=r"line 3 of .* has 4 field\(s\) but the header has 2"):
        _io.read_table(path)


def test_a_quote_left_open_on_the_last_line_is_refused(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text('a,label,txt\n1,yes,abc\n2,no,"def')  # no line break at the end
    with pytest.raises(DataError, match="line 3 of .* opens a quoted value"):
        _io.read_table(path)


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz"])
@pytest.mark.parametrize("column", [0, 2])
def test_a_quote_left_open_in_a_large_file_loses_no_rows(tmp_path, suffix, column):
    # pyarrow reads a file in blocks cut at line breaks: the rest of the block went missing,
    # without an error, wherever the quote was.
    lines = [f"{i},{'yes' if i % 3 else 'no'},t{i}" for i in range(120_000)]
    fields = lines[999].split(",")
    fields[column] = '"' + fields[column]
    lines[999] = ",".join(fields)
    data = ("a,label,txt\n" + "\n".join(lines) + "\n").encode()
    path = tmp_path / f"f{suffix}"
    path.write_bytes(gzip.compress(data, 1) if suffix == ".csv.gz" else data)
    with pytest.raises(DataError, match="line 1001 of .* opens a quoted value"):
        _io.read_table(path)


@pytest.mark.parametrize("end", ["\n", "\r\n", ""])
def test_quoted_values_with_line_breaks_are_read(tmp_path, end):
    path = tmp_path / "f.csv"
    rows = ['a,label,txt', '1,yes,"two\nlines"', '2,"n""o",plain', '3,no,"say ""hi""\n"',
            '4,yes,"last\nrow ""quoted"""']
    path.write_bytes((end or "\n").join(rows).encode() + end.encode())
    table = _io.read_table(path)
    assert table["txt"].tolist() == ["two\nlines", "plain", 'say "hi"\n', 'last\nrow "quoted"']
    assert table["label"].tolist() == ["yes", 'n"o', "no", "yes"]


# --------------------------------------------------------------------------- not UTF-8


def test_windows_1252_text_is_told_to_convert_from_cp1252(tmp_path):
    # 'iconv -f latin1' turned the curly quotes and the euro sign into control characters.
    path = tmp_path / "f.csv"
    path.write_bytes("a,txt,label\n1,\u201cquoted\u201d \u20ac5,yes\n2,x,no\n".encode("cp1252"))
    with pytest.raises(DataError, match="byte 0x93") as info:
        _io.read_table(path)
    message = str(info.value)
    assert "iconv -f cp1252 -t utf-8" in message and "save it as 'CSV UTF-8'" in message
    assert "latin1" not in message
    converted = path.read_bytes().decode("cp1252")  # what the advice gives
    assert "\u201cquoted\u201d \u20ac5" in converted


# --------------------------------------------------------------------------- decimal commas


@pytest.mark.parametrize(
    ("cells", "first", "line"),
    [
        (["12", "12,5", "3,25", "7", "8,75"], "12,5", 3),  # whole numbers among them
        (["1.234,5", "12,5", "3,25"], "1.234,5", 2),  # points grouping the thousands
        (["1,234", "7", "0,5", ""], "0,5", 4),  # '1,234' alone could be 1234
    ],
)
def test_decimal_commas_among_whole_numbers_and_thousands_are_named(tmp_path, cells, first,
                                                                     line):
    path = tmp_path / "f.csv"
    labels = ["ja" if i % 2 else "nein" for i in range(len(cells))]
    path.write_text("price;label\n" + "".join(f"{c};{t}\n" for c, t in zip(cells, labels,
                                                                              strict=True)))
    table, caught = read_quietly(path, sep=";")
    assert table["price"].dtype.kind not in "if"  # text, as before
    assert len(caught) == 1
    assert caught[0].startswith("column 'price' of ")
    assert "decimal comma" in caught[0] and "--decimal ','" in caught[0]
    assert f"the first {first!r} at line {line}" in caught[0]
    # The advice works.
    table, caught = read_quietly(path, sep=";", decimal=",")
    assert table["price"].dtype == np.float64 and not caught


@pytest.mark.parametrize(
    "cells",
    [
        ["Smith, John", "Doe, Jane", "Roe, Richard"],  # text
        ["1,234", "5,678", "12"],  # thousands separators, or decimals: unknown
        ["1,234.5", "2,500", "12.25"],  # thousands separators in a file of decimal points
        ["1,234,567", "12", "7"],
    ],
)
def test_commas_that_are_no_decimal_commas_are_not_named(tmp_path, cells):
    path = tmp_path / "f.csv"
    path.write_text("x,label\n" + "".join(f'"{c}",{i % 2}\n' for i, c in enumerate(cells)))
    table, caught = read_quietly(path)
    assert table["x"].tolist() == cells
    assert not any("decimal comma" in message for message in caught)


# --------------------------------------------------------------------------- big whole numbers


def test_a_whole_number_float64_would_round_among_decimals_is_named(tmp_path):
    # The column became text without a word.
    path = tmp_path / "f.csv"
    path.write_text("amount,label\n0.5,yes\n1.25,no\n9007199254740993,no\n2.75,yes\n")
    table, caught = read_quietly(path)
    assert table["amount"].tolist() == ["0.5", "1.25", "9007199254740993", "2.75"]
    assert len(caught) == 1
    assert caught[0].startswith("column 'amount' of ")
    assert "'9007199254740993' at line 4" in caught[0]
    assert "only to its precision (as 9007199254740992)" in caught[0]


def test_big_whole_numbers_without_decimals_are_not_named(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text(f"id,big,label\n{2**63 - 1},{2**64},yes\n7,1,no\n")
    table, caught = read_quietly(path)
    assert table["id"].dtype == np.int64 and table["id"].tolist() == [2**63 - 1, 7]
    assert table["big"].tolist() == [str(2**64), "1"]  # beyond 64 bits: text, as documented
    assert not caught


# --------------------------------------------------------------------------- booleans


@pytest.mark.parametrize(("true", "false"), [("True", "False"), ("true", "false")])
def test_booleans_with_an_empty_cell_are_named(tmp_path, true, false):
    # Without the gap the column is bool; with it, it became text without a word.
    path = tmp_path / "f.csv"
    text = f"flag,label\n{true},yes\n{false},no\n,no\n{true},yes\n"
    path.write_text(text)
    (table, cells), caught = read_quietly(path, keep_text=True)
    assert len(caught) == 1
    assert caught[0].startswith("column 'flag' of ")
    assert "True/False values and 1 empty cell(s), the first at line 4" in caught[0]
    out = tmp_path / "out.csv"
    _io.write_table(table, out, text=cells)
    assert out.read_text() == text
