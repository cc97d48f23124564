"""The ``balancekit`` command on awkward files and options: infinity, label spellings,
sizes, messages, exit codes and SIGTERM."""

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from balancekit import cli

from .test_cli import (
    WIDE,
    assert_clean,
    assert_error,
    assert_ok,
    exit_code,
    invoke,
    listing,
    run_module,
)
from .test_io import read_rows


def binary_table(n=60, seed=0, minority=10):
    rng = np.random.default_rng(seed)
    t = np.array(["no"] * (n - minority) + ["yes"] * minority)
    return pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n), "t": t})


@pytest.fixture
def inf_csv(tmp_path):
    frame = binary_table()
    frame.loc[2, "a"] = np.inf
    path = tmp_path / "inf.csv"
    frame.to_csv(path, index=False)
    return path


# --------------------------------------------------------------------------- infinity


def test_inspect_reads_an_infinite_cell_as_a_number(inf_csv):
    result = invoke("inspect", inf_csv, "-t", "t", "--json")
    assert_ok(result)
    assert json.loads(result.stdout)["categorical_columns"] == []


@pytest.mark.parametrize("method", ["smote", "smotenc"])
def test_neighbour_samplers_refuse_infinity_with_their_message(tmp_path, inf_csv, method):
    result = invoke("resample", inf_csv, "-t", "t", "-m", method, "-o", tmp_path / "o.csv")
    assert_error(result, 1, "infinite", "'a'")


def test_random_over_copies_infinity_as_written(tmp_path, inf_csv):
    out = tmp_path / "o.csv"
    assert_ok(invoke("resample", inf_csv, "-t", "t", "-m", "random_over", "-o", out))
    rows = read_rows(out)
    assert rows[:61] == read_rows(inf_csv) and rows[3][0] == "inf"


def test_a_stray_token_is_named_in_a_warning(tmp_path):
    frame = binary_table().astype({"a": object})
    frame.loc[4, "a"] = "?"
    path = tmp_path / "q.csv"
    frame.to_csv(path, index=False)
    result = invoke("inspect", path, "-t", "t")
    assert_ok(result)
    assert "column 'a'" in result.stderr and "'?' at line 6" in result.stderr


# --------------------------------------------------------------------------- labels


@pytest.mark.parametrize(
    ("values", "key"),
    [(["True", "False"], "true"), (["1.0", "0.0"], "1"), ([True, False], "1")],
)
def test_one_label_rule_for_strategy_and_pos_label(tmp_path, values, key):
    y = np.array([values[0]] * 10 + [values[1]] * 50)
    frame = pd.DataFrame({"a": np.random.default_rng(0).normal(size=60), "t": y})
    path = tmp_path / ("x.parquet" if isinstance(values[0], bool) else "x.csv")
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    out = tmp_path / "o.csv"
    result = invoke("resample", path, "-t", "t", "-m", "random_over", "-s", f'{{"{key}": 30}}',
                    "-o", out)
    assert_ok(result)
    assert sorted(pd.read_csv(out)["t"].value_counts()) == [30, 50]
    result = invoke("compare", path, "-t", "t", "--cv", "2", "-s", "baseline", "--pos-label",
                    key, "--json", tmp_path / "c.json")
    assert_ok(result)
    summary = json.loads((tmp_path / "c.json").read_text())
    assert str(summary["data"]["positive_label"]) == str(frame["t"].iloc[0])


def test_match_label_rules():
    assert cli._match_label("true", [False, True]) is True
    assert cli._match_label("0", [False, True]) is False
    assert cli._match_label("1", [0.0, 1.0]) == 1.0
    assert cli._match_label("1", [0, 1]) == 1
    assert cli._match_label("yes", ["no", "yes"]) == "yes"
    assert cli._match_label("maybe", ["no", "yes"]) == "maybe"
    assert cli._match_label("1", ["1", 1]) == "1"  # the text first


# --------------------------------------------------------------------------- sizes


def test_a_huge_strategy_is_refused_before_allocating(tmp_path, inf_csv):
    out = tmp_path / "o.csv"
    result = invoke("resample", inf_csv, "-t", "t", "-m", "random_over", "-s",
                    '{"yes": 100000000000}', "-o", out)
    line = assert_error(result, 1, "100,000,000,050 rows", "GiB", "fewer rows")
    assert "Unexpected" not in line
    assert listing(tmp_path) == ["inf.csv"]


@pytest.mark.parametrize(("method", "strategy", "fragment"), [
    ("random_over", '{"yes": 5}', "an over-sampler cannot remove samples"),
    ("random_under", '{"no": 80}', "an under-sampler cannot grow a class"),
    ("tomek_links", "0.5", "a number is not supported by cleaning rules"),
])
def test_a_strategy_that_does_not_fit_the_classes_is_a_usage_error(tmp_path, inf_csv, method,
                                                                     strategy, fragment):
    out = tmp_path / "o.csv"
    result = invoke("resample", inf_csv, "-t", "t", "-m", method, "-s", strategy, "-o", out)
    assert_error(result, 2, "Invalid value for '--strategy'", fragment)
    assert listing(tmp_path) == ["inf.csv"]


def test_memory_error_is_one_clear_line(tmp_path, inf_csv, monkeypatch):
    def fail(*args, **kwargs):
        raise MemoryError("Unable to allocate 745. GiB")

    monkeypatch.setattr(cli._io, "write_table", fail)
    result = invoke("resample", inf_csv, "-t", "t", "-m", "random_over", "-o", tmp_path / "o.csv")
    line = assert_error(result, 1, "out of memory", "--strategy")
    assert "please report" not in line


# --------------------------------------------------------------------------- compare


def _compare_binary(tmp_path, strategies, scoring):
    """``compare`` of a small binary table, ranked by ``scoring``: the result and summary."""
    path = tmp_path / "x.csv"
    binary_table(n=80, minority=16).to_csv(path, index=False)
    result = invoke("compare", path, "-t", "t", "--cv", "2", "-s", strategies,
                    "--scoring", scoring, "--json", tmp_path / "c.json")
    assert_ok(result)
    return result, json.loads((tmp_path / "c.json").read_text())


def test_scoring_takes_the_names_the_library_takes(tmp_path):
    _, summary = _compare_binary(tmp_path, "baseline", "average_precision")
    assert summary["settings"]["scoring"] == "pr_auc"
    assert_error(invoke("compare", tmp_path / "x.csv", "-t", "t", "--scoring", "accuracy"), 2,
                 "unknown metric 'accuracy'", "pr_auc", "matthews_corrcoef")


def test_brier_vs_baseline_says_which_sign_is_better(tmp_path):
    result, summary = _compare_binary(tmp_path, "baseline,class_weight", "brier")
    assert "baseline minus this" in result.stdout and "positive is better" in result.stdout
    row = next(r for r in summary["ranking"] if r["strategy"] == "class_weight")
    base = next(r for r in summary["ranking"] if r["strategy"] == "baseline")
    assert np.sign(row["diff_vs_baseline"]) == np.sign(base["means"]["brier"]
                                                       - row["means"]["brier"])


def test_one_strategy_title_is_singular(tmp_path):
    path = tmp_path / "x.csv"
    binary_table().to_csv(path, index=False)
    result = invoke("compare", path, "-t", "t", "--cv", "2", "-s", "baseline")
    assert_ok(result)
    assert "1 strategy ranked" in result.stdout


def test_a_one_row_class_is_too_small_to_cross_validate(tmp_path):
    path = tmp_path / "x.csv"
    frame = binary_table()
    frame.loc[:, "t"] = ["maj"] * 59 + ["one"]
    frame.to_csv(path, index=False)
    line = assert_error(invoke("compare", path, "-t", "t"), 1, "'one'", "too few to cross-validate")
    assert "at most 1" not in line


# --------------------------------------------------------------------------- messages


@pytest.mark.parametrize(("typed", "meant"), [("T", "'t'"), (" t ", "'t'"), ("lable", "'label'")])
def test_target_not_found_suggests_a_name(tmp_path, typed, meant):
    path = tmp_path / "x.csv"
    binary_table().rename(columns={"b": "label"}).to_csv(path, index=False)
    assert_error(invoke("inspect", path, "-t", typed), 2, f"did you mean {meant}")


def test_target_not_found_lists_at_most_a_few_columns(tmp_path):
    path = tmp_path / "x.csv"
    pd.DataFrame(np.zeros((3, 300)), columns=[f"f{i}" for i in range(300)]).to_csv(
        path, index=False
    )
    line = assert_error(invoke("inspect", path, "-t", "nope"), 2, "'f0'", "and 280 more")
    assert "'f299'" not in line


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_missing_label_gives_the_line(tmp_path, suffix):
    frame = binary_table()
    frame.loc[3, "t"] = None
    path = tmp_path / f"x{suffix}"
    frame.to_csv(path, index=False) if suffix == ".csv" else frame.to_parquet(path, index=False)
    where = "line 5" if suffix == ".csv" else "row 3"
    for args in (("resample", "-m", "random_over", "-o", tmp_path / "o.csv"), ("compare",)):
        result = invoke(args[0], path, "-t", "t", *args[1:])
        assert_error(result, 1, "1 row of", "has no value in 't'", where)


@pytest.mark.parametrize("args", [("compare",), ("resample", "-m", "random_over", "-o", "{out}")])
def test_only_the_target_column(tmp_path, args):
    path = tmp_path / "x.csv"
    pd.DataFrame({"t": ["a"] * 5 + ["b"] * 5}).to_csv(path, index=False)
    args = [str(tmp_path / "o.csv") if a == "{out}" else a for a in args]
    result = invoke(args[0], path, "-t", "t", *args[1:])
    assert_error(result, 1, "no feature columns besides the target 't'")


@pytest.mark.parametrize("dask", [False, True])
def test_inspect_reports_the_classes_of_a_table_of_the_target_alone(tmp_path, dask):
    # The class balance needs no feature column.
    if dask:
        pytest.importorskip("dask.dataframe")
    path = tmp_path / ("x.parquet" if dask else "x.csv")
    frame = pd.DataFrame({"t": ["a"] * 7 + ["b"] * 3})
    frame.to_parquet(path, index=False) if dask else frame.to_csv(path, index=False)
    result = invoke("inspect", path, "-t", "t", *(["--dask"] if dask else []))
    assert_ok(result)
    assert ": 10 rows, 1 column, target 't'" in result.stdout
    report = json.loads(invoke("inspect", path, "-t", "t", "--json",
                               *(["--dask"] if dask else [])).stdout)
    assert [c["count"] for c in report["classes"]] == [7, 3]
    assert report["imbalance_ratio"] == pytest.approx(7 / 3)


def test_resample_summary_grammar(tmp_path):
    path = tmp_path / "x.csv"
    pd.DataFrame({"a": [1.0, 2.0, 3.0], "t": ["x", "x", "y"]}).to_csv(path, index=False)
    result = invoke("resample", path, "-t", "t", "-m", "random_under", "-s", '{"x": 0}', "-o",
                    tmp_path / "o.csv")
    assert "3 -> 1 row (" in result.stderr


@pytest.mark.parametrize("args", [(), ("resample",), ("inspect",)])
def test_a_bare_command_shows_the_help_and_exits_2(args):
    result = invoke(*args)
    assert result.exit_code == 2
    assert "Usage" in result.stdout


# --------------------------------------------------------------------------- SIGTERM

_TERM_SCRIPT = """
import os, signal, sys, time
from balancekit import _io, cli

def write(table, path, fmt, **kwargs):
    with open(path, "w") as handle:
        handle.write("partial")
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(5)

_io._write_frame = write
cli.main(sys.argv[1:])
"""


def test_sigterm_during_the_write_leaves_nothing(tmp_path):
    path = tmp_path / "x.csv"
    binary_table().to_csv(path, index=False)
    out = tmp_path / "o.csv.gz"
    result = subprocess.run(
        [sys.executable, "-c", _TERM_SCRIPT, "resample", str(path), "-t", "t", "-m",
         "random_over", "-o", str(out)],
        capture_output=True, text=True, cwd=tmp_path, env=dict(os.environ, **WIDE), timeout=60,
    )  # fmt: skip
    assert result.returncode == 143, result.stderr
    assert result.stderr.strip() == "Error: Terminated."
    assert listing(tmp_path) == ["x.csv"]


_COMPARE_STOP_SCRIPT = """
import os, signal, sys
from balancekit import cli
from balancekit.evaluation import _compare

fit, calls = _compare._fit_fold, []

def stopping_fit(*args):
    calls.append(1)
    if len(calls) == 5:  # two folds each: baseline and random_over are done
        if sys.argv[1] == "term":
            os.kill(os.getpid(), signal.SIGTERM)
        raise KeyboardInterrupt
    return fit(*args)

_compare._fit_fold = stopping_fit
cli.main(sys.argv[2:])
"""


@pytest.mark.parametrize(("stop", "code", "error"),
                         [("int", 130, "Interrupted."), ("term", 143, "Terminated.")])
def test_compare_stopped_shows_the_strategies_done_and_writes_nothing(tmp_path, stop, code,
                                                                        error):
    path = tmp_path / "x.csv"
    binary_table(n=80, minority=16).to_csv(path, index=False)
    result = subprocess.run(
        [sys.executable, "-c", _COMPARE_STOP_SCRIPT, stop, "compare", str(path), "-t", "t",
         "--cv", "2", "-s", "baseline,random_over,smote", "--json", "out.json",
         "--report", "out.html"],
        capture_output=True, text=True, cwd=tmp_path, env=dict(os.environ, **WIDE), timeout=120,
    )  # fmt: skip
    assert result.returncode == code, result.stderr
    assert "2 strategies ranked" in result.stdout
    assert "random_over" in result.stdout and "Not run (interrupted): smote" in result.stdout
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == f"Error: {error}"
    assert any(line.startswith("Interrupted: the table holds") for line in lines)
    assert listing(tmp_path) == ["x.csv"]


def test_compare_writes_its_files_when_the_reader_of_stdout_has_gone(tmp_path):
    # `compare ... --json out.json | head -3`: the table met a closed pipe, and the command
    # ended at once, with status 1, no word and no JSON, after the whole comparison.
    path = tmp_path / "x.csv"
    binary_table().to_csv(path, index=False)
    out = tmp_path / "out.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "balancekit", "compare", str(path), "-t", "t", "--cv", "2",
         "-s", "baseline,random_over", "--json", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        env=dict(os.environ, **WIDE),
    )  # fmt: skip
    process.stdout.close()  # the reader is gone before the table is printed
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert f"Wrote {out}" in stderr and "Error" not in stderr
    assert json.loads(out.read_text())["kind"] == "balancekit.comparison"


def test_python_m_still_runs(tmp_path):
    assert run_module("--version", cwd=tmp_path).returncode == 0


# --------------------------------------------------------------------------- combined samplers


@pytest.mark.parametrize("method", ["smote_enn", "smote_tomek", "cluster_centroids"])
def test_combined_samplers_write_kept_rows_as_read(tmp_path, method):
    # Also ClusterCentroids, whose output starts with the rows of the classes it leaves alone.
    rng = np.random.default_rng(0)

    def spell(v):  # one value, several spellings: '0.35', '+0.350', '0.30'
        return rng.choice([f"{v:.2f}", f"{v:+.3f}", f"{v:.1f}0"])

    lines = [f"{spell(rng.normal())},{spell(rng.normal())},{'B' if rng.random() < 0.2 else 'A'}"
             for _ in range(300)]  # fmt: skip
    path, out = tmp_path / "x.csv", tmp_path / "o.csv"
    path.write_text("x,y,lab\n" + "\n".join(lines) + "\n")
    assert_ok(invoke("resample", path, "-t", "lab", "-m", method, "-o", out))
    source = read_rows(path)[1:]
    texts = {tuple(row) for row in source}
    values = {(float(a), float(b), c) for a, b, c in source}
    written = [tuple(row) for row in read_rows(out)[1:]]
    kept = [row for row in written if (float(row[0]), float(row[1]), row[2]) in values]
    assert kept and all(row in texts for row in kept)
    if method == "cluster_centroids":  # every row of the rare class, as read
        assert sorted(row for row in written if row[2] == "B") == sorted(
            row for row in map(tuple, source) if row[2] == "B")


# --------------------------------------------------------------------------- Parquet types


def _decimal_table(path, type_, amounts, seed=0):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    n = len(amounts)
    label = np.where(np.arange(n) < n // 10, "yes", "no")
    table = pa.table({"amount": pa.array(amounts, type_),
                      "b": rng.normal(size=n) + (label == "yes"), "t": label})
    pq.write_table(table, path)
    return table


@pytest.mark.parametrize(("kind", "type_args"), [
    ("decimal128", (10, 2)), ("decimal128", (38, 18)), ("decimal256", (40, 4)),
    # Arrow parses the text of a float (17 digits) into these only through a wider decimal,
    # and pyarrow.compute.if_else makes them decimal128: the new values came out as
    # float64, or as decimal128.
    ("decimal32", (9, 2)), ("decimal64", (18, 2)),
])
def test_parquet_decimals_are_numbers_written_back_as_decimals(tmp_path, kind, type_args):
    import decimal

    import pyarrow as pa
    import pyarrow.parquet as pq

    if not hasattr(pa, kind):
        pytest.skip(f"pyarrow {pa.__version__} has no {kind}")
    type_ = getattr(pa, kind)(*type_args)
    rng = np.random.default_rng(1)
    amounts = [decimal.Decimal(f"{x:.2f}") for x in rng.lognormal(3, 1, 200)]
    path = tmp_path / "d.parquet"
    table = _decimal_table(path, type_, amounts)
    if pq.read_schema(path).field("amount").type != type_:
        pytest.skip(f"pyarrow {pa.__version__} reads {kind} back as another type")
    result = invoke("inspect", path, "-t", "t", "--json")
    assert_ok(result)
    assert json.loads(result.stdout)["categorical_columns"] == []
    out = tmp_path / "o.parquet"
    assert_ok(invoke("resample", path, "-t", "t", "-m", "smote", "--seed", "0", "-o", out))
    written = pq.read_table(out)
    assert written.schema.field("amount").type == type_
    assert written.slice(0, 200).select(table.column_names).equals(table)  # as read
    # The new amounts lie between the rare class's own, at the column's scale.
    rare = [a for a, t in zip(amounts, table["t"].to_pylist(), strict=True) if t == "yes"]
    new = written["amount"].to_pylist()[200:]
    assert len(new) == 160 and all(min(rare) <= a <= max(rare) for a in new)
    assert all(a == a.quantize(decimal.Decimal(1).scaleb(-type_args[1])) for a in new)
    assert len({a.quantize(decimal.Decimal("0.01")) for a in new}) > 100  # not only copies


def test_parquet_decimals_beyond_float64_are_refused(tmp_path):
    import decimal

    import pyarrow as pa

    amounts = [decimal.Decimal("0.123456789012345678")] * 100
    path = tmp_path / "d.parquet"
    _decimal_table(path, pa.decimal128(38, 18), amounts)
    result = invoke("resample", path, "-t", "t", "-m", "smote", "-o", tmp_path / "o.parquet")
    assert_error(result, 1, "'amount'", "0.123456789012345678", "more significant digits")
    assert not (tmp_path / "o.parquet").exists()


def test_parquet_lists_are_named_not_crashed_on(tmp_path):
    frame = binary_table()
    frame["tags"] = [[i % 3, 1] for i in range(len(frame))]
    path = tmp_path / "l.parquet"
    frame.to_parquet(path, index=False)
    for args in (("resample", path, "-t", "t", "-m", "smotenc", "-o", tmp_path / "o.parquet"),
                 ("compare", path, "-t", "t", "--cv", "3", "-s", "baseline")):
        assert_error(invoke(*args), 1, "column 'tags' holds values that are neither numbers nor "
                                       "categories", "ndarray")


def test_zoned_timestamps_keep_their_zone_through_smoten(tmp_path):
    frame = pd.DataFrame({
        "when": pd.date_range("2021-01-01", periods=60, freq="D", tz="Europe/Paris"),
        "t": ["no"] * 48 + ["yes"] * 12,
    })
    path = tmp_path / "z.parquet"
    frame.to_parquet(path, index=False)
    out = tmp_path / "o.parquet"
    assert_ok(invoke("resample", path, "-t", "t", "-m", "smoten", "--seed", "0", "-o", out))
    written = pd.read_parquet(out)
    assert written["when"].dtype == frame["when"].dtype and len(written) == 96
    assert set(written["when"][60:]) <= set(frame["when"][frame["t"] == "yes"])


# --------------------------------------------------------------------------- messages


def test_messages_keep_runs_of_spaces_inside_names(tmp_path):
    frame = binary_table()
    frame["t"] = frame["t"].map({"no": "common", "yes": "rare   one"})
    frame = frame.rename(columns={"a": "is  fraud"})
    path = tmp_path / "s.csv"
    frame.to_csv(path, index=False)
    assert_error(invoke("inspect", path, "-t", "is fraud"), 2, "did you mean 'is  fraud'?")
    result = invoke("resample", path, "-t", "t", "-m", "random_over", "-o", tmp_path / "o.csv")
    assert_ok(result)
    assert "rare   one: 10 -> 50" in result.stderr
    assert cli._one_line("a\n   b  c\r\n d") == "a b  c d"


@pytest.mark.parametrize("strategy, said", [
    ('{"yes": 30, " yes": 40}', "'yes' and ' yes' both name class 'yes'"),
    ('{"yes": 30, "yes": 40}', "'yes' given more than once"),
    ('["yes", "yes"]', "'yes' is given more than once"),
])
def test_two_strategy_keys_naming_one_class_are_refused(tmp_path, strategy, said):
    path = tmp_path / "b.csv"
    binary_table().to_csv(path, index=False)
    method = "random_over" if strategy.startswith("{") else "tomek_links"
    result = invoke("resample", path, "-t", "t", "-m", method, "-s", strategy,
                    "-o", tmp_path / "o.csv")
    assert_error(result, 2, said, "--strategy")
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize("args, shown", [
    (("compare", "--cv", "1"), "'--cv': 1 is out of range; expected an integer >= 2"),
    (("compare", "--repeats", "0"), "'--repeats': 0 is out of range; expected an integer >= 1"),
    (("compare", "--seed", "-1"), "'--seed': -1 is out of range; expected an integer >= 0 and"),
    (("resample", "-m", "smote", "--seed", "4294967296", "-o", "o.csv"),
     "'--seed': 4294967296 is out of range"),
])
def test_range_errors_quote_the_value(tmp_path, args, shown):
    path = tmp_path / "b.csv"
    binary_table().to_csv(path, index=False)
    assert_error(invoke(args[0], path, "-t", "t", *args[1:]), 2, shown)


@pytest.mark.parametrize("args", [
    ("compare", "--cv", "3.0"), ("compare", "--repeats", "1e0"), ("compare", "--seed", "1.5"),
    ("compare", "--jobs", "2.0"), ("compare", "--jobs", "-1.0"), ("compare", "--cv", "3_0"),
    ("resample", "-m", "random_over", "--seed", "7.0"),
])
def test_integer_options_refuse_numbers_that_are_not_written_whole(tmp_path, args):
    # Recent typer read '3.0' as 3 and '3_0' as 30 (older ones refused '3.0'); the samplers'
    # integer parameters refuse 3.0 too (-p k_neighbors=3.0).
    path = tmp_path / "b.csv"
    binary_table().to_csv(path, index=False)
    option, value = args[-2:]
    output = ("-o", tmp_path / "o.csv") if args[0] == "resample" else ()
    result = invoke(args[0], path, "-t", "t", *args[1:], *output)
    assert_error(result, 2, f"'{option}'", f"'{value}' is not a whole number")
    assert listing(tmp_path) == ["b.csv"]
    assert_ok(invoke("compare", path, "-t", "t", "-s", "baseline", "--cv", " 3",
                     "--jobs", "-1", "--seed", "+2"))


def test_compare_names_cv_when_a_class_has_fewer_rows_than_folds(tmp_path):
    path = tmp_path / "b.csv"
    binary_table(minority=10).to_csv(path, index=False)
    result = invoke("compare", path, "-t", "t", "--cv", "12", "-s", "baseline")
    assert_error(result, 1, "--cv 12 needs at least 12 rows in every class", "class 'yes' has 10",
                 "lower --cv to at most 10")


def test_compare_groups_naming_the_demo_target_says_it_is_the_target():
    result = invoke("compare", "--groups", "is_fraud", "--cv", "2", "-s", "baseline")
    assert exit_code(result) == 2, (result.stdout, result.stderr)
    assert_clean(result)
    error = result.stderr.strip().splitlines()[-1]
    assert "'--groups'" in error and "'is_fraud' is the target" in error, error


def test_compare_on_a_continuous_target_says_so(tmp_path):
    frame = binary_table()
    frame["t"] = np.random.default_rng(0).random(len(frame))
    path = tmp_path / "c.csv"
    frame.to_csv(path, index=False)
    assert_error(invoke("compare", path, "-t", "t", "--cv", "3", "-s", "baseline"), 1,
                 "looks continuous")


@pytest.mark.parametrize("fmt", ["csv", "parquet", "dask"])
def test_fractional_class_codes_are_classes_and_stay_numbers(tmp_path, fmt):
    if fmt == "dask":
        pytest.importorskip("dask.dataframe")
    frame = binary_table()
    frame["t"] = np.where(frame["t"] == "yes", 2.5, 1.5)  # grades, not a measurement
    path = tmp_path / f"g.{'csv' if fmt == 'csv' else 'parquet'}"
    if fmt == "csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    dask = ["--dask"] if fmt == "dask" else []
    out = tmp_path / f"o.{'csv' if fmt == 'csv' else 'parquet'}"
    result = invoke("resample", path, "-t", "t", "-m", "random_over", "-s", '{"2.5": 30}',
                    *dask, "-o", out)
    assert_ok(result)
    assert "(1.5: 50 -> 50, 2.5: 10 -> 30)" in result.stderr + result.stdout
    written = pd.read_csv(out) if fmt == "csv" else pd.read_parquet(out)
    assert written["t"].dtype == np.float64
    assert written["t"].value_counts().to_dict() == {1.5: 50, 2.5: 30}
    shown = invoke("inspect", path, "-t", "t", "--json", *dask)
    assert_ok(shown)
    assert [c["count"] for c in json.loads(shown.stdout)["classes"]] == [50, 10]
    if fmt != "dask":
        assert_ok(invoke("compare", path, "-t", "t", "--cv", "3", "-s", "baseline,random_over"))


def test_inspect_names_the_accuracy_paradox_only_where_a_class_dominates(tmp_path):
    path = tmp_path / "b.csv"
    frame = binary_table(minority=28)  # 32 against 28
    frame.to_csv(path, index=False)
    result = invoke("inspect", path, "-t", "t")
    assert_ok(result)
    assert "accuracy paradox" not in result.stdout and "no class dominates" in result.stdout
    binary_table(minority=6).to_csv(path, index=False)
    assert "(the accuracy paradox)" in invoke("inspect", path, "-t", "t").stdout
    # Eight classes, the largest 30% of the rows: right 30% of the time fools nobody,
    # although balanced accuracy (1/8) is further below.
    labels = np.repeat(list("abcdefgh"), [30, 10, 10, 10, 10, 10, 10, 10])
    pd.DataFrame({"x": np.arange(labels.size) % 7, "t": labels}).to_csv(path, index=False)
    result = invoke("inspect", path, "-t", "t")
    assert_ok(result)
    assert "accuracy paradox" not in result.stdout and "no class dominates" in result.stdout


def _printed_table(monkeypatch, width, names, means, diff):
    """The terminal table of a two-strategy summary, as ``compare`` prints it."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    monkeypatch.setattr(cli, "_stdout", lambda: Console(file=buffer, width=width, highlight=False))
    summary = {
        "metrics": [{"key": "pr_auc", "label": "PR-AUC"}],
        "settings": {"scoring": "pr_auc", "estimator": "logistic", "cv": 3},
        "data": {"n_rows": 300, "positive_label": "fraud"},
        "recommendation": {"message": "Keep it.", "metric": "pr_auc"},
        "ranking": [
            {"rank": r, "strategy": name, "means": means, "stds": {"pr_auc": 0.25},
             "diff_vs_baseline": None if name == "baseline" else diff, "within_noise": True}
            for r, name in enumerate(names, 1)
        ],
    }
    cli._print_comparison(summary)
    return buffer.getvalue()


def test_a_narrow_table_folds_long_names_and_keeps_numbers_whole(monkeypatch):
    text = _printed_table(monkeypatch, 80, ["baseline", "repeated_edited_nearest_neighbours"],
                          {"pr_auc": 0.5, "fit_time": 12.34}, -0.016)
    assert text.count("12.34") == 2 and text.count("0.500 ± 0.250") == 2
    assert "-0.016 (noise)" in text and "…" not in text
    assert max(len(line) for line in text.splitlines()[:8]) <= 80


@pytest.mark.parametrize("diff", [-0.0004, -1e-17, 0.0, 0.0004])
def test_a_gain_that_rounds_to_zero_reads_as_in_the_report(monkeypatch, diff):
    from balancekit.evaluation._summary import fmt_signed

    text = _printed_table(monkeypatch, 160, ["baseline", "smote"], {"pr_auc": 0.5}, diff)
    # The HTML report's "±0.000", never "-0.000" for a loss too small to show.
    assert f"{fmt_signed(diff)} (noise)" in text and "-0.000" not in text


def test_shrinkage_rows_are_new_values_and_input_rows_are_written_as_read(tmp_path):
    # sample_indices_ lists the smoothed rows by their origins: they must not be written
    # with their origins' text.
    rng = np.random.default_rng(0)
    lines = [f"{rng.normal():+.3f},{rng.normal():.2f},{'y' if i >= 50 else 'x'}" for i in range(60)]
    path, out = tmp_path / "s.csv", tmp_path / "o.csv"
    path.write_text("a,b,t\n" + "\n".join(lines) + "\n")
    assert_ok(invoke("resample", path, "-t", "t", "-m", "random_over", "-p", "shrinkage=1.0",
                     "-o", out))
    source, written = read_rows(path), read_rows(out)
    assert written[:61] == source
    assert len(written) == 101 and not {tuple(r) for r in written[61:]} & {tuple(r) for r in source}



def test_a_repeated_key_in_a_param_object_is_refused(tmp_path):
    path = tmp_path / "b.csv"
    binary_table().to_csv(path, index=False)
    result = invoke("resample", path, "-t", "t", "-m", "random_over", "-p",
                    'shrinkage={"yes": 1.0, "yes": 2.0}', "-o", tmp_path / "o.csv")
    assert_error(result, 2, "'--param'", "'yes' given more than once")


# --------------------------------------------------------------------------- files, round 3


def test_the_output_is_written_last_so_an_interrupt_cannot_follow_it(tmp_path, monkeypatch):
    # Counting 540k labels took a second after the file was in place: a Ctrl-C then said
    # "Interrupted" (exit 130) with the complete file written.
    path, out = tmp_path / "in.csv", tmp_path / "out.csv"
    binary_table().to_csv(path, index=False)
    seen = []
    counts = cli.class_counts
    monkeypatch.setattr(cli, "class_counts", lambda y: seen.append(out.exists()) or counts(y))
    assert_ok(invoke("resample", path, "-t", "t", "-m", "random_over", "-o", out))
    assert seen and not any(seen) and out.exists()


def test_new_values_of_integers_beyond_float64_are_named_in_a_warning(tmp_path):
    # Ids 2**63 + i all became 2**63 in the new rows, silently.
    frame = binary_table()
    frame.insert(0, "id", [str(2**63 + i) for i in range(len(frame))])
    path = tmp_path / "ids.csv"
    frame.to_csv(path, index=False)
    result = invoke("resample", path, "-t", "t", "-m", "smote", "-o", tmp_path / "o.csv")
    assert_ok(result)
    assert "column 'id' holds integers beyond 2**53" in result.stderr
    plain = invoke("resample", path, "-t", "t", "-m", "random_over", "-o", tmp_path / "c.csv")
    assert "2**53" not in plain.stderr  # copies keep their text


def test_labels_differing_only_by_spaces_are_named_in_a_warning(tmp_path):
    frame = binary_table()
    frame.loc[:4, "t"] = frame.loc[:4, "t"] + " "  # 'no ' beside 'no'; 'yes' alone
    path = tmp_path / "sp.csv"
    frame.to_csv(path, index=False)
    result = invoke("inspect", path, "-t", "t")
    assert_ok(result)
    assert "differ only by surrounding spaces" in result.stderr and "'no '" in result.stderr


def test_compare_quotes_a_rare_class_with_surrounding_spaces_in_its_title(tmp_path):
    # A spreadsheet export's ' yes': shown bare, the title read "rare class  yes" and the
    # label looked like 'yes', which --pos-label then refuses.
    frame = binary_table()
    frame["t"] = frame["t"].map({"no": "no", "yes": " yes"})
    path = tmp_path / "sp.csv"
    frame.to_csv(path, index=False)
    result = invoke("compare", path, "-t", "t", "-s", "baseline", "--cv", "2")
    assert_ok(result)
    assert "rare class ' yes')" in result.stdout


def test_a_utf16_file_is_named_as_such(tmp_path):
    # The message said "holds the byte 0xff" and suggested converting from Latin-1.
    path = tmp_path / "u16.csv"
    binary_table().to_csv(path, index=False, encoding="utf-16")
    assert_error(invoke("inspect", path, "-t", "t"), 1, "UTF-16", "iconv -f utf-16")


def test_a_missing_input_is_a_usage_error_naming_data(tmp_path):
    assert_error(invoke("inspect", tmp_path / "none.csv", "-t", "t"), 2, "'DATA'",
                 "does not exist")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_rather_than_waited_on(tmp_path):
    # It would be opened twice (to look at it, then to read it): the second open waits.
    path = tmp_path / "pipe.csv"
    os.mkfifo(path)
    assert_error(invoke("inspect", path, "-t", "t"), 2, "'DATA'", "not a file on disk",
                 "named pipe")


def test_decimal_commas_are_named_in_a_warning(tmp_path):
    frame = binary_table()
    path = tmp_path / "semi.csv"
    frame.assign(a=frame["a"].map(lambda v: f"{v:.4f}".replace(".", ","))).to_csv(
        path, index=False, sep=";")
    result = invoke("inspect", path, "-t", "t", "--sep", ";")
    assert_ok(result)
    assert "column 'a'" in result.stderr and "decimal comma" in result.stderr
    assert "--decimal ','" in result.stderr  # the way out, which works:
    result = invoke("inspect", path, "-t", "t", "--sep", ";", "--decimal", ",", "--json")
    assert_ok(result)
    # 'b' is written with points: with decimal commas, text, and said so.
    assert json.loads(result.stdout)["categorical_columns"] == ["b"]
    assert "column 'b'" in result.stderr and "column 'a'" not in result.stderr


def test_decimal_commas_are_read_and_written_back(tmp_path):
    frame = binary_table()
    frame["note"] = ["St. Louis, MO"] * len(frame)  # text keeps both marks as written
    path = tmp_path / "semi.csv"
    commas = {name: frame[name].map(lambda v: f"{v:.4f}".replace(".", ",")) for name in "ab"}
    frame.assign(**commas).to_csv(path, index=False, sep=";")
    out = tmp_path / "o.csv"
    assert_ok(invoke("resample", path, "-t", "t", "--sep", ";", "--decimal", ",", "-m", "smote",
                     "--drop", "note", "--seed", "0", "-o", out))
    lines = out.read_text().splitlines()
    original = path.read_text().splitlines()
    # Copied rows as they were read; new rows' numbers with the same mark, none with '.'.
    assert [line.rsplit(";", 1)[0] for line in lines[1:61]] == [
        line.split(";St. Louis")[0].rsplit(";", 1)[0] for line in original[1:]]
    assert all("." not in line and line.count(",") == 2 for line in lines[61:])
    written = pd.read_csv(out, sep=";", decimal=",")
    assert (written.dtypes[["a", "b"]] == np.float64).all() and len(written) == 100
    # The same mark for the delimiter and the decimals, or a mark for no CSV: refused.
    assert_error(invoke("inspect", path, "-t", "t", "--decimal", ","), 2, "'--decimal'",
                 "also the field delimiter", "--sep")
    parquet = tmp_path / "p.parquet"
    frame.to_parquet(parquet)
    assert_error(invoke("inspect", parquet, "-t", "t", "--decimal", ","), 2, "'--decimal'",
                 "CSV files only")


# --------------------------------------------------------------------------- Ctrl-C on start-up

_START_SCRIPT = """
import importlib.abc, os, signal, sys

class CtrlCOnImport(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == MODULE:  # one of the libraries the command loads when it starts
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, CtrlCOnImport())
from balancekit.cli import main
main(["--version"])
"""


@pytest.mark.parametrize("module", ["rich.table", "sklearn"])
def test_ctrl_c_while_the_command_starts_is_one_line_and_exit_130(tmp_path, module):
    # scikit-learn is the longest to load (about 1.5 s): `import balancekit` loads none of it.
    script = f"MODULE = {module!r}\n" + _START_SCRIPT
    result = subprocess.run([sys.executable, "-c", script], capture_output=True,
                            text=True, cwd=tmp_path, env=dict(os.environ, **WIDE), timeout=60)
    assert result.returncode == 130, (result.returncode, result.stderr[-500:])
    assert result.stderr == "Error: Interrupted.\n"
    assert result.stdout == ""


def test_a_command_started_with_ctrl_c_ignored_keeps_ignoring_it(tmp_path):
    # As a background job of a script starts: Ctrl-C meant for the script passes it by.
    script = ("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
              f"MODULE = 'sklearn'\n{_START_SCRIPT}")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True,
                            text=True, cwd=tmp_path, env=dict(os.environ, **WIDE), timeout=60)
    assert result.returncode == 0, (result.returncode, result.stderr[-500:])
    assert result.stdout.startswith("balancekit")


def test_importing_the_command_leaves_the_ctrl_c_handler_alone():
    import signal

    assert signal.getsignal(signal.SIGINT) is not cli._interrupted_while_starting


# --------------------------------------------------------------------------- --groups


def grouped_table(n_groups=24, per=4, seed=0):
    rng = np.random.default_rng(seed)
    groups = np.repeat([f"c{i}" for i in range(n_groups)], per)
    label = np.where(np.arange(n_groups) % 4 == 0, "yes", "no")[np.repeat(range(n_groups), per)]
    x = rng.normal(size=n_groups)[np.repeat(range(n_groups), per)]
    return pd.DataFrame({"customer": groups, "x": x + 0.01 * rng.normal(size=x.size),
                         "z": rng.normal(size=x.size), "t": label})


def test_compare_groups_keeps_customers_apart_and_out_of_the_features(tmp_path):
    path = tmp_path / "g.csv"
    grouped_table().to_csv(path, index=False)
    out = tmp_path / "r.json"
    result = invoke("compare", path, "-t", "t", "-s", "baseline", "--cv", "3", "--groups",
                    "customer", "--json", out)
    assert_ok(result)
    summary = json.loads(out.read_text())
    assert summary["settings"]["groups"] is True and summary["settings"]["n_groups"] == 24
    assert "StratifiedGroupKFold" in summary["settings"]["splitter"]
    assert summary["data"]["n_columns"] == 2  # x and z; not the customer
    assert "3-fold grouped CV by customer" in result.stdout
    # The outputs name the column the rows were grouped by.
    assert summary["settings"]["groups_column"] == "customer"
    page = tmp_path / "r.html"
    assert_ok(invoke("compare", path, "-t", "t", "-s", "baseline", "--cv", "3", "--groups",
                     "customer", "--report", page))
    assert "rows grouped by <code>customer</code>" in page.read_text()


def test_compare_groups_names_the_line_of_a_row_without_a_group(tmp_path):
    table = grouped_table()
    table.loc[[5, 9], "customer"] = np.nan
    path = tmp_path / "g.csv"
    table.to_csv(path, index=False)
    result = invoke("compare", path, "-t", "t", "--groups", "customer")
    assert_error(result, 1, "2 rows", "no value in 'customer'", "the first at line 7")
    one = grouped_table().assign(customer="all")
    one.to_csv(path, index=False)
    result = invoke("compare", path, "-t", "t", "--groups", "customer", "--cv", "3")
    assert_error(result, 1, "1 distinct value", "every row is in one group")
    assert "at most 1" not in result.stderr


def test_compare_groups_names_an_unknown_column(tmp_path):
    path = tmp_path / "g.csv"
    grouped_table().to_csv(path, index=False)
    result = invoke("compare", path, "-t", "t", "--groups", "customr")
    assert_error(result, 2, "'--groups'", "'customr'", "did you mean 'customer'")
    result = invoke("compare", path, "-t", "t", "--groups", "t")
    assert_error(result, 2, "'--groups'", "is the target")


# --------------------------------------------------------------------------- --drop


def id_table(n=60, seed=0):
    """A target that one column predicts, beside an identifier and a text column with a comma
    in its name."""
    rng = np.random.default_rng(seed)
    y = np.where(np.arange(n) % 5 == 0, "yes", "no")
    return pd.DataFrame({"id": [f"r{i:03d}" for i in range(n)], "x": (y == "yes") + rng.normal(
        scale=0.3, size=n), "a,b": rng.choice(["p", "q"], n), "t": y})


def test_compare_drop_leaves_columns_out_of_the_features(tmp_path):
    path, out = tmp_path / "d.csv", tmp_path / "r.json"
    id_table().to_csv(path, index=False)
    result = invoke("compare", path, "-t", "t", "-s", "baseline", "--cv", "3", "--json", out)
    assert_ok(result)
    assert "--drop id" in result.stderr  # the identifier is named, with the way to leave it out
    assert json.loads(out.read_text())["data"]["n_columns"] == 3
    # Comma-separated or repeated; a name holding a comma is that column.
    for args in (["--drop", "id,a,b"], ["--drop", "id", "--drop", "a,b"]):
        result = invoke("compare", path, "-t", "t", "-s", "baseline", "--cv", "3", "--json", out,
                        "--force", *args)
        assert_ok(result)
        data = json.loads(out.read_text())["data"]
        assert data["n_columns"] == 1 and data["identifier_columns"] == []
        assert "--drop" not in result.stderr


def test_compare_and_resample_drop_name_bad_columns(tmp_path):
    path = tmp_path / "d.csv"
    id_table().to_csv(path, index=False)
    for command in (["compare", "-s", "baseline"], ["resample", "-m", "random_under", "-o",
                                                    tmp_path / "o.csv"]):
        result = invoke(*command, path, "-t", "t", "--drop", "idd")
        assert_error(result, 2, "'--drop'", "'idd'", "did you mean 'id'")
        result = invoke(*command, path, "-t", "t", "--drop", "id,t")
        assert_error(result, 2, "'--drop'", "'t' is the target")
        result = invoke(*command, path, "-t", "t", "--drop", "id,x,a,b")
        assert_error(result, 1, "leaves no feature column")
        result = invoke(*command, path, "-t", "tt", "--drop", "id")
        assert_error(result, 2, "'--target'", "'tt'")
        assert not (tmp_path / "o.csv").exists()
    result = invoke("compare", path, "-t", "t", "--groups", "id", "--drop", "id")
    assert_error(result, 2, "'--drop'", "'id' is the --groups column")


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_resample_drop_leaves_columns_out_of_the_output(tmp_path, suffix):
    table = id_table()
    path, out = tmp_path / f"d{suffix}", tmp_path / f"o{suffix}"
    if suffix == ".csv":
        table.to_csv(path, index=False)
    else:
        table.to_parquet(path, index=False)
    assert_ok(invoke("resample", path, "-t", "t", "-m", "smotenc", "--drop", "id", "-o", out))
    result = pd.read_csv(out) if suffix == ".csv" else pd.read_parquet(out)
    assert list(result.columns) == ["x", "a,b", "t"]
    assert set(result["a,b"]) <= {"p", "q"}
    assert (result["t"] == "yes").sum() == (result["t"] == "no").sum() == 48
    # The rows copied keep their cells as read.
    kept = table.drop(columns="id")
    assert_frame_equal = pd.testing.assert_frame_equal
    assert_frame_equal(result.iloc[:len(kept)], kept, check_dtype=False)


@pytest.mark.parametrize("method, warned", [
    ("smotenc", True), ("random_over", False), ("random_under", False),
])
def test_resample_warns_when_new_rows_get_identifiers(tmp_path, method, warned):
    # A new row takes its ID from a neighbour (or, for row numbers, a number between two),
    # so the output repeats or mimics real rows' IDs; copies and kept rows are real rows.
    path, out = tmp_path / "d.csv", tmp_path / "o.csv"
    table = id_table().assign(row=np.arange(60))
    table.to_csv(path, index=False)
    result = invoke("resample", path, "-t", "t", "-m", method, "-o", out)
    assert_ok(result)
    lines = [line for line in result.stderr.splitlines() if "like identifiers" in line]
    assert len(lines) == int(warned)
    if warned:
        assert "'id', 'row'" in lines[0] and "36 new rows" in lines[0]
        assert "--drop id,row" in lines[0]
        result = invoke("resample", path, "-t", "t", "-m", method, "--drop", "id,row",
                        "-o", out, "--force")
        assert_ok(result)
        assert "identifier" not in result.stderr


def test_resample_dask_drop(tmp_path):
    pytest.importorskip("dask.dataframe")
    path, out = tmp_path / "d.parquet", tmp_path / "o.parquet"
    id_table().to_parquet(path, index=False)
    assert_ok(invoke("resample", path, "-t", "t", "-m", "random_under", "--drop", "id,a,b",
                     "--dask", "-o", out))
    result = pd.read_parquet(out)
    assert list(result.columns) == ["x", "t"]
    assert (result["t"] == "yes").sum() == (result["t"] == "no").sum() == 12
    result = invoke("resample", path, "-t", "t", "-m", "random_under", "--drop", "t", "--dask",
                    "-o", tmp_path / "p.parquet")
    assert_error(result, 2, "'--drop'", "is the target")


@pytest.mark.parametrize("method", ["random_over", "random_under"])
def test_resample_dask_keeps_nan_apart_from_null(tmp_path, method):
    # A NaN written by numpy, pyarrow or polars is a value to them; --dask wrote it back as
    # a null, where the command without --dask keeps it a NaN.
    pytest.importorskip("dask.dataframe")
    pa, pq = pytest.importorskip("pyarrow"), pytest.importorskip("pyarrow.parquet")
    path, out = tmp_path / "d.parquet", tmp_path / "o.parquet"
    n = 40
    nan = np.where(np.arange(n) % 4 == 0, np.nan, np.arange(n, dtype=float))
    null = pa.array([None if i % 5 == 0 else float(i) for i in range(n)])
    labels = ["yes" if i % 4 else "no" for i in range(n)]
    pq.write_table(pa.table({"nan": nan, "null": null, "t": labels}), path, row_group_size=10)
    assert_ok(invoke("resample", path, "-t", "t", "-m", method, "--seed", "0", "--dask",
                     "-o", out))
    written = pq.read_table(out)
    assert written.column("nan").null_count == 0
    assert pa.compute.sum(pa.compute.is_nan(written.column("nan"))).as_py() > 0
    assert written.column("null").null_count > 0


# --------------------------------------------------------------------------- whole-number targets


def test_a_whole_number_target_of_many_values_is_called_a_measurement(tmp_path):
    rng = np.random.default_rng(0)
    ages = np.repeat(np.arange(18, 48), 4)  # 30 ages, 4 rows each
    path = tmp_path / "ages.csv"
    pd.DataFrame({"x": rng.normal(size=ages.size), "age": ages}).to_csv(path, index=False)
    result = invoke("compare", path, "-t", "age", "-s", "baseline", "--cv", "2",
                    "--scoring", "f1")
    assert_ok(result)
    warned = [line for line in result.stderr.splitlines() if "looks like a measurement" in line]
    assert len(warned) == 1 and "30 classes, numbers from 18 to 47" in warned[0]


def test_a_few_numeric_classes_are_not_called_a_measurement(tmp_path):
    path = tmp_path / "few.csv"
    numeric = binary_table()
    numeric["t"] = np.arange(len(numeric)) % 3
    numeric.to_csv(path, index=False)
    result = invoke("compare", path, "-t", "t", "-s", "baseline", "--cv", "2")
    assert_ok(result)
    assert "measurement" not in result.stderr


# --------------------------------------------------------------------------- inspect --json


@pytest.mark.parametrize("label", ["inf", "-inf"])
def test_inspect_json_is_standard_json(tmp_path, label):
    path = tmp_path / "one.csv"
    path.write_text(f"a,t\n1,{label}\n2,{label}\n3,\n")
    result = invoke("inspect", path, "-t", "t", "--json")
    assert_ok(result)

    def refuse(constant):
        raise ValueError(f"non-standard JSON constant {constant}")

    report = json.loads(result.stdout, parse_constant=refuse)
    assert [c["label"] for c in report["classes"]] == [None]


@pytest.mark.parametrize("use_dask", [False, True], ids=["pandas", "dask"])
def test_inspect_counts_a_parquet_boolean_target_with_nulls(tmp_path, use_dask):
    # pyarrow, polars and Spark write booleans with nulls as a nullable boolean column, which
    # pandas reads as Python objects: inspect refused them as "booleans as Python objects".
    if use_dask:
        pytest.importorskip("dask.dataframe")
    import pyarrow as pa
    import pyarrow.parquet as pq

    labels = [True] * 40 + [None] * 5 + [False] * 15
    path = tmp_path / "b.parquet"
    pq.write_table(pa.table({"a": np.arange(60.0), "t": pa.array(labels)}), path)
    result = invoke("inspect", path, "-t", "t", "--json", *(["--dask"] if use_dask else []))
    assert_ok(result)
    report = json.loads(result.stdout)
    assert report["missing_labels"] == 5
    assert report["classes"] == [{"label": True, "count": 40, "share": 40 / 55},
                                 {"label": False, "count": 15, "share": 15 / 55}]
    assert report["minority_class"] is False


@pytest.mark.parametrize("parts", [
    [[np.inf] * 6], [[1.5] * 6], [[np.inf] * 3, [0.0, 1.0, 0.0]], [[1.5] * 3, [2.5] * 3],
    [[b"a"] * 6], [[b"a", b"b"] * 3], [[[0]] * 6],
    [list(pd.to_datetime(["2020-01-01"] * 6, utc=True))],
    [list(pd.to_timedelta([1, 2, 1], unit="s"))], [["yes"] * 4, ["no", None]],
    [["no", "yes ", "no"], [" no", "yes", None]],
], ids=["inf", "fraction", "inf-among-labels", "fractions", "bytes", "two-bytes", "lists",
        "dates-and-times", "durations", "labels", "spaced-labels"])
def test_inspect_with_and_without_dask_agree(tmp_path, parts):
    # A single class that is no label (every value inf) was described without --dask and
    # refused with it; dates and durations were named with the made-up values of dask's
    # meta (1970-01-01) instead of the table's; labels differing only by spaces were not
    # named in a warning.
    pytest.importorskip("dask.dataframe")
    import pyarrow as pa
    import pyarrow.parquet as pq

    directory = tmp_path / "parts"
    directory.mkdir()
    for k, values in enumerate(parts):
        timed = isinstance(values[0], (pd.Timestamp, pd.Timedelta))
        labels = pa.array(pd.Series(values)) if timed else pa.array(values)
        pq.write_table(pa.table({"a": np.arange(len(values), dtype=float), "t": labels}),
                       directory / f"p{k}.parquet")
    plain = invoke("inspect", directory, "-t", "t", "--json")
    with_dask = invoke("inspect", directory, "-t", "t", "--json", "--dask")
    assert_clean(with_dask)
    assert (exit_code(with_dask), with_dask.stdout, with_dask.stderr) == (
        exit_code(plain), plain.stdout, plain.stderr)


def test_labels_that_differ_by_spaces_are_told_apart_in_messages(tmp_path):
    # ' yes' and 'no' were listed as " yes, no": the leading space did not show.
    data = tmp_path / "l.csv"
    pd.DataFrame({"x": np.arange(300.0),
                  "label": np.where(np.arange(300) >= 270, " yes", "no")}).to_csv(data,
                                                                                   index=False)
    result = invoke("resample", data, "-t", "label", "-m", "random_over", "-s",
                    '{"yes": 100}', "-o", tmp_path / "o.csv")
    assert_error(result, 2, "its classes are ' yes', 'no'")
    result = invoke("compare", data, "-t", "label", "--pos-label", "maybe")
    assert_error(result, 2, "its classes are 'no', ' yes'")
    result = invoke("resample", data, "-t", "label", "-m", "random_under", "-o",
                    tmp_path / "o.csv")
    assert "' yes': 30 -> 30" in result.stderr


# --------------------------------------------------------------------------- output and input


@pytest.mark.parametrize("force", [[], ["--force"]])
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_the_output_never_replaces_the_input(tmp_path, suffix, force):
    path = tmp_path / f"in{suffix}"
    table = binary_table()
    table.to_csv(path, index=False) if suffix == ".csv" else table.to_parquet(path)
    before = path.read_bytes()
    link = tmp_path / f"link{suffix}"
    link.symlink_to(path.name)
    for output in (path, link, tmp_path / "." / path.name):
        result = invoke("resample", path, "-t", "t", "-m", "random_over", "-o", output, *force)
        assert_error(result, 2, "'--output'", "is the input DATA")
        assert path.read_bytes() == before
    assert listing(tmp_path) == sorted([path.name, link.name])


def test_the_output_is_not_written_into_an_input_directory(tmp_path):
    directory = tmp_path / "parts"
    directory.mkdir()
    table = binary_table()
    table.iloc[:30].to_parquet(directory / "a.parquet")
    table.iloc[30:].to_parquet(directory / "b.parquet")
    result = invoke("resample", directory, "-t", "t", "-m", "random_over", "-o",
                    directory / "c.parquet", "--force")
    assert_error(result, 2, "'--output'", "inside the input directory")
    assert listing(directory) == ["a.parquet", "b.parquet"]


def test_resample_dask_never_replaces_its_input(tmp_path):
    pytest.importorskip("dask")
    directory = tmp_path / "parts.parquet"
    directory.mkdir()
    binary_table().to_parquet(directory / "a.parquet")
    before = (directory / "a.parquet").read_bytes()
    for data in (directory, directory / "a.parquet"):
        result = invoke("resample", data, "-t", "t", "-m", "random_over", "-o", directory,
                        "--force", "--dask")
        assert_error(result, 2, "'--output'")
        assert listing(directory) == ["a.parquet"]
        assert (directory / "a.parquet").read_bytes() == before


@pytest.mark.parametrize(("values", "what"), [
    ([b"a", b"b"], "bytes"),
    ([[0], [1, 2]], "lists"),
    ([{"k": 0}, {"k": 1}], "structs or maps"),
    (pd.to_datetime(["2020-01-01", "2020-01-02"]).date.tolist(), "dates"),
    (pd.to_datetime(["2020-01-01", "2020-01-02"]).tz_localize("UTC"), "dates and times"),
    (pd.to_timedelta([1, 2], unit="s"), "durations"),
])
@pytest.mark.parametrize("command", ["inspect", "compare", "resample"])
def test_a_target_of_values_that_are_no_labels_is_named(tmp_path, values, what, command):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    y = pa.array(list(values) * 10) if isinstance(values, list) else pa.array(
        pd.Series(values).repeat(10))
    path = tmp_path / "x.parquet"
    pq.write_table(pa.table({"a": np.arange(20.0), "t": y}), path)
    args = {"inspect": (), "compare": ("-s", "baseline"),
            "resample": ("-m", "random_over", "-o", tmp_path / "o.csv")}[command]
    result = invoke(command, path, "-t", "t", *args)
    assert_error(result, 1, "column 't' holds", what, "cannot be class labels")
    assert listing(tmp_path) == ["x.parquet"]


@pytest.mark.parametrize("param, fragment", [
    ("k_neighbors=0", "k_neighbors=0 is out of range"),
    ("k_neighbors=abc", "k_neighbors must be an integer"),
])
def test_a_param_value_the_method_refuses_is_a_usage_error_naming_param(tmp_path, param,
                                                                        fragment):
    # The samplers check their values when they resample: the refusal ended with exit code
    # 1 and without naming the option it came from.
    path, out = tmp_path / "d.csv", tmp_path / "o.csv"
    binary_table().to_csv(path, index=False)
    result = invoke("resample", path, "-t", "t", "-m", "smote", "--param", param, "-o", out)
    assert_error(result, 2, "'--param'", fragment)
    assert not out.exists()


def test_compare_table_marks_means_over_fewer_folds(tmp_path):
    # The rare class lies in two groups of six: with 3 group folds, one validation fold has
    # none of it, so its PR-AUC is undefined and the mean is over 2 folds, not "the folds".
    rng = np.random.default_rng(0)
    n = 120
    group = np.repeat(np.arange(6), n // 6)
    t = np.where(np.isin(group, [0, 1]) & (np.arange(n) % 20 < 6), "yes", "no")
    table = pd.DataFrame({"a": rng.normal(size=n) + (t == "yes"), "b": rng.normal(size=n),
                          "g": group, "t": t})
    path = tmp_path / "grouped.csv"
    table.to_csv(path, index=False)
    result = invoke("compare", path, "-t", "t", "--groups", "g", "--cv", "3", "-s",
                    "baseline,random_over")
    assert result.exit_code == 0, result.output
    assert "†" in result.output
    assert "over 2 of the 3 folds (every strategy)" in " ".join(result.output.split())


def test_compare_table_with_marks_fits_the_terminal(monkeypatch, capsys):
    # The columns were budgeted at 16 characters each, without the marks "*" and "†": at
    # some widths the last column was cut off.
    import warnings

    from sklearn.model_selection import GroupKFold

    from balancekit.evaluation import compare

    from .test_evaluation import _rare_in_few_groups

    X, y, groups = _rare_in_few_groups()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        summary = compare(X, y, strategies=["random_over"], cv=GroupKFold(5),
                          groups=groups).summary
    assert summary["strategies"][0]["precision_undefined_folds"]  # baseline: "*" marks too
    for width in range(80, 150):
        monkeypatch.setattr(cli, "_stdout", lambda w=width: cli._Stdout(highlight=False,
                                                                         width=w))
        cli._print_comparison(summary)
        rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("│")]
        assert rows and all(len(row) <= width and row.endswith("│") for row in rows), width


@pytest.mark.parametrize("kind", ["null", "string", "int64", "bool", "dictionary", "timestamp",
                                  "decimal"])
def test_inspect_with_and_without_dask_agree_on_feature_kinds(tmp_path, kind):
    # A feature column of Parquet's null type (a column of None written by pandas) was
    # named categorical with --dask, from the text dask's meta makes up for it, and not
    # without --dask.
    pytest.importorskip("dask.dataframe")
    import decimal

    import pyarrow as pa
    import pyarrow.parquet as pq

    column = {
        "null": pa.array([None] * 6, type=pa.null()),
        "string": pa.array([None] * 6, type=pa.string()),
        "int64": pa.array([1, None, 3, 4, 5, 6], type=pa.int64()),
        "bool": pa.array([True, None, False] * 2),
        "dictionary": pa.array(["u", "v", None] * 2).dictionary_encode(),
        "timestamp": pa.array(pd.Series(pd.to_datetime(["2020-01-01", None] * 3))),
        "decimal": pa.array([decimal.Decimal("1.5"), None] * 3),
    }[kind]
    directory = tmp_path / "parts"
    directory.mkdir()
    for k in range(2):
        pq.write_table(pa.table({"a": np.arange(6.0), "f": column,
                                 "t": ["no", "no", "yes", "no", "yes", "no"]}),
                       directory / f"p{k}.parquet")
    plain = invoke("inspect", directory, "-t", "t", "--json")
    with_dask = invoke("inspect", directory, "-t", "t", "--json", "--dask")
    assert_clean(with_dask)
    assert exit_code(plain) == 0
    assert (exit_code(with_dask), with_dask.stdout) == (exit_code(plain), plain.stdout)


# --------------------------------------------------------------------------- unused categories


def test_compare_ignores_a_category_of_the_target_that_no_row_holds(tmp_path):
    # pandas keeps the categories of rows filtered away: 'maybe' is no class of the rows.
    frame = binary_table()
    frame["t"] = pd.Categorical(frame["t"], categories=["no", "yes", "maybe"])
    path = tmp_path / "unused.parquet"
    frame.to_parquet(path, index=False)
    out = tmp_path / "r.json"
    result = invoke("compare", path, "-t", "t", "--cv", "2", "--strategies", "baseline",
                    "--json", out)
    assert_ok(result)
    assert [c["label"] for c in json.loads(out.read_text())["data"]["classes"]] == ["no", "yes"]
    assert_error(invoke("compare", path, "-t", "t", "--cv", "2", "--pos-label", "maybe"), 2,
                 "'maybe' is not a class of the target")


def test_inspect_with_dask_refuses_a_table_without_rows_as_without(tmp_path):
    pytest.importorskip("dask.dataframe")
    path = tmp_path / "zero.parquet"
    binary_table().iloc[:0].to_parquet(path, index=False)
    for extra in ([], ["--dask"]):
        assert_error(invoke("inspect", path, "-t", "t", *extra), 1,
                     "zero.parquet' holds no data (0 rows, 3 columns)")


@pytest.mark.parametrize("dask", [False, True])
def test_a_damaged_file_of_a_parquet_directory_is_named(tmp_path, dask):
    if dask:
        pytest.importorskip("dask.dataframe")
    folder = tmp_path / "parts"
    folder.mkdir()
    for i in range(2):
        binary_table(seed=i).to_parquet(folder / f"p{i}.parquet", index=False)
    damaged = bytearray((folder / "p1.parquet").read_bytes())
    damaged[8:200] = b"\xff" * 192  # the data pages; the footer (and the schema) intact
    (folder / "p1.parquet").write_bytes(bytes(damaged))
    assert_error(invoke("inspect", folder, "-t", "t", *(["--dask"] if dask else [])), 1,
                 f"could not read '{folder / 'p1.parquet'}' as Parquet")


# --------------------------------------------------------------------------- advice in options


def test_errors_of_the_library_give_the_command_line_way_out(tmp_path):
    frame = binary_table()
    frame.loc[3, "b"] = np.nan
    path = tmp_path / "gap.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "o.csv"
    assert_error(invoke("resample", path, "-t", "t", "-m", "smote", "-o", out), 1,
                 "NaN value(s) in column 'b'", "leave the column out with --drop b")
    lone = binary_table(minority=1)
    lone.to_csv(path, index=False)
    assert_error(invoke("resample", path, "-t", "t", "-m", "smote", "-o", out), 1,
                 "class 'yes'", "(on the command line: random_over, as -m")
    text = binary_table().assign(c=list("xyz") * 20)
    text.to_csv(path, index=False)
    assert_error(invoke("resample", path, "-t", "t", "-m", "tomek_links", "-o", out), 1,
                 "'c'", "-m random_under, or --drop those columns")
    assert_error(invoke("resample", path, "-t", "a", "-m", "random_over", "-o", out), 1,
                 "y looks continuous", "is --target the column of classes?")
    assert_error(invoke("resample", path, "-t", "t", "-m", "smote", "-s", "50", "-o", out), 2,
                 "'--strategy'", "give a JSON object such as '{\"yes\": 500}'")
    assert not out.exists()


# --------------------------------------------------------------------------- Parquet cells kept


def _nan_and_null(n=30):
    """A float column of NaN at rows 5, 15, 25 and nulls at rows 0, 10, 20, and labels."""
    pa = pytest.importorskip("pyarrow")
    values = [None if i % 10 == 0 else float("nan") if i % 10 == 5 else float(i)
              for i in range(n)]
    labels = ["no"] * (n - 6) + ["yes"] * 6
    return pa.table({"x": np.arange(n, dtype=float), "f": pa.array(values, pa.float64()),
                     "t": labels})


def _null_and_nan_cells(column):
    pa = pytest.importorskip("pyarrow")
    nulls = column.is_null().to_pylist()
    nans = pa.compute.fill_null(pa.compute.is_nan(column), False).to_pylist()
    return nulls, nans


@pytest.mark.parametrize("method", ["random_over", "random_under"])
def test_resample_keeps_nan_and_null_apart_cell_by_cell(tmp_path, method):
    # A float column holding both NaN and null came back with every NaN as null: copied rows
    # were not written back as they were read.
    pq = pytest.importorskip("pyarrow.parquet")
    path, out = tmp_path / "nn.parquet", tmp_path / "o.parquet"
    pq.write_table(_nan_and_null(), path)
    assert_ok(invoke("resample", path, "-t", "t", "-m", method, "--seed", "0", "-o", out))
    written, read = pq.read_table(out), pq.read_table(path)
    rows = pd.read_parquet(out)["x"].astype(int).to_numpy()  # x numbers the rows read
    nulls, nans = _null_and_nan_cells(read.column("f"))
    out_nulls, out_nans = _null_and_nan_cells(written.column("f"))
    assert out_nulls == [nulls[i] for i in rows]
    assert out_nans == [nans[i] for i in rows]
    assert sum(out_nulls) and sum(out_nans)


def test_resample_writes_back_an_unnamed_pandas_index(tmp_path):
    # An index pandas stores without a name (__index_level_0__) was left out of the output,
    # while a named one was kept.
    pq = pytest.importorskip("pyarrow.parquet")
    path, out = tmp_path / "ix.parquet", tmp_path / "o.parquet"
    frame = binary_table(n=30, minority=6).set_axis(np.arange(1000, 1030), axis=0)
    frame.to_parquet(path)
    assert_ok(invoke("resample", path, "-t", "t", "-m", "random_under", "--seed", "0",
                     "-o", out))
    written = pd.read_parquet(out)
    assert "__index_level_0__" in pq.read_schema(out).names
    assert written.index.name is None and written.index.dtype == np.int64
    pd.testing.assert_frame_equal(written, frame.loc[written.index])
    assert_ok(invoke("resample", path, "-t", "t", "-m", "random_over", "--seed", "0",
                     "-o", out, "--force"))
    written = pd.read_parquet(out)
    pd.testing.assert_frame_equal(written, frame.loc[written.index])
    # New rows have no label: a fresh index, said in a warning.
    result = invoke("resample", path, "-t", "t", "-m", "smote", "-o", out, "--force")
    assert_ok(result)
    assert "__index_level_N__" in result.stderr and "not written" in result.stderr
    assert "fresh index" in result.stderr
    assert isinstance(pd.read_parquet(out).index, pd.RangeIndex)


@pytest.mark.parametrize("method", ["random_under", "random_over", "smote"])
def test_an_unnamed_level_beside_a_named_one_dropped(tmp_path, method):
    """--drop of the named level of a two-level index: the unnamed level was looked up by
    its position among every level, and writing failed with "StopIteration"."""
    path, out = tmp_path / "multi.parquet", tmp_path / "o.parquet"
    frame = binary_table(n=30, minority=6)
    frame.index = pd.MultiIndex.from_arrays([np.arange(30), np.arange(30) % 3],
                                            names=["k", None])
    frame.to_parquet(path)
    assert_ok(invoke("resample", path, "-t", "t", "-m", method, "--drop", "k", "-o", out))
    written = pd.read_parquet(out)
    assert "k" not in written.columns and written.index.names == [None]
    if method == "random_under":  # rows only: their labels of the unnamed level
        assert set(written.index) <= {0, 1, 2}
    # Kept, the named level is the output's index, which the warning says.
    result = invoke("resample", path, "-t", "t", "-m", "smote", "-o", out, "--force")
    assert_ok(result)
    assert "the output's index holds the named level(s) ['k'] only" in result.stderr
    assert pd.read_parquet(out).index.names == ["k"]


def test_resample_dask_keeps_nan_of_a_file_without_statistics(tmp_path):
    # Without statistics (write_statistics=False), --dask took a float column for one that
    # may hold nulls, and wrote its NaN back as nulls; the command without --dask kept them.
    pytest.importorskip("dask.dataframe")
    pa, pq = pytest.importorskip("pyarrow"), pytest.importorskip("pyarrow.parquet")
    path, out = tmp_path / "ns.parquet", tmp_path / "o.parquet"
    values = [float("nan") if i % 4 == 0 else float(i) for i in range(40)]
    pq.write_table(pa.table({"f": values, "n": list(range(40)),
                             "t": ["no"] * 32 + ["yes"] * 8}), path, write_statistics=False,
                   row_group_size=10)
    assert_ok(invoke("resample", path, "-t", "t", "-m", "random_over", "--seed", "0",
                     "--dask", "-o", out))
    written = pq.read_table(out).column("f")
    assert written.null_count == 0
    assert pa.compute.sum(pa.compute.is_nan(written)).as_py() >= 10  # 10 read, some copied


@pytest.mark.parametrize("use_dask", [False, True])
def test_drop_leaves_out_columns_before_they_are_converted(tmp_path, use_dask):
    # --drop could not get around the refusal of a decimal wider than a float64, nor of
    # times of day to the nanosecond: the file was refused as it was read, before --drop.
    if use_dask:
        pytest.importorskip("dask.dataframe")
    pa, pq = pytest.importorskip("pyarrow"), pytest.importorskip("pyarrow.parquet")
    import decimal

    path, out = tmp_path / "w.parquet", tmp_path / "o.parquet"
    n = 30
    pq.write_table(pa.table({
        "x": np.arange(n, dtype=float) % 7,
        "amount": pa.array([decimal.Decimal(f"12345678901234567.{i:02d}") for i in range(n)],
                           pa.decimal128(20, 2)),
        "t": pa.array([i * 1_000_000_007 for i in range(n)], pa.int64()).cast(pa.time64("ns")),
        "y": ["a"] * 24 + ["b"] * 6,
    }), path)
    dask = ["--dask"] if use_dask else []
    assert_error(invoke("resample", path, "-t", "y", "-m", "random_under", "--drop", "amount",
                        "-o", out, *dask), 1, f"'{path}'", "column 't' (time64[ns])",
                 "--drop t")
    assert_ok(invoke("resample", path, "-t", "y", "-m", "random_under", "--drop", "amount,t",
                     "-o", out, *dask))
    assert pq.read_table(out).column_names == ["x", "y"]
    if not use_dask:
        assert_ok(invoke("compare", path, "-t", "y", "--drop", "amount", "--drop", "t",
                         "--cv", "2", "-s", "baseline"))


def test_dask_reads_the_kinds_of_dates_times_and_nulls_from_the_files(tmp_path):
    # --dask took dates, times and a column of Arrow's null type for categories (from the
    # text dask makes up for columns of objects): inspect listed them as categorical, and
    # smotenc made categories of dates the command without --dask refuses.
    pytest.importorskip("dask.dataframe")
    pa, pq = pytest.importorskip("pyarrow"), pytest.importorskip("pyarrow.parquet")
    import datetime

    path = tmp_path / "dd.parquet"
    n = 30
    pq.write_table(pa.table({
        "x": np.arange(n, dtype=float) % 7,
        "d": pa.array([datetime.date(2020, 1, 1 + i % 28) for i in range(n)], pa.date32()),
        "h": pa.array([datetime.time(i % 24) for i in range(n)], pa.time32("s")),
        "z": pa.nulls(n),
        "c": ["p", "q", "r"] * 10,
        "y": ["a"] * 24 + ["b"] * 6,
    }), path)
    reports = [json.loads(invoke("inspect", path, "-t", "y", "--json", *dask).stdout)
               for dask in ([], ["--dask"])]
    assert reports[0]["categorical_columns"] == reports[1]["categorical_columns"] == ["c"]
    for dask in ([], ["--dask"]):
        assert_error(invoke("resample", path, "-t", "y", "-m", "smotenc", "--drop", "z", "-o",
                            tmp_path / f"o{len(dask)}.parquet", *dask), 1,
                     "'d', 'h' hold dates or times")


def test_dask_names_the_file_and_column_of_a_repeated_name(tmp_path):
    # --dask said "Can't unify schema with duplicate field names", naming neither.
    pytest.importorskip("dask.dataframe")
    pa, pq = pytest.importorskip("pyarrow"), pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "dup.parquet"
    pq.write_table(pa.table([[1.0] * 6, [2.0] * 6, ["a", "b"] * 3], names=["x", "x", "y"]),
                   path)
    for dask in ([], ["--dask"]):
        assert_error(invoke("inspect", path, "-t", "y", *dask), 1,
                     f"'{path}' names column(s) 'x' more than once")


def test_dask_refuses_a_target_of_dates_in_the_words_of_the_command_without_it(tmp_path):
    # --dask said "partition 0 of y: Unknown label type 'unknown' ...".
    pytest.importorskip("dask.dataframe")
    pa, pq = pytest.importorskip("pyarrow"), pytest.importorskip("pyarrow.parquet")
    import datetime

    path = tmp_path / "dt.parquet"
    days = [datetime.date(2020, 1, 1 + (i >= 24)) for i in range(30)]
    pq.write_table(pa.table({"x": np.arange(30.0), "y": pa.array(days, pa.date32())}), path)
    for i, dask in enumerate(([], ["--dask"])):
        assert_error(invoke("resample", path, "-t", "y", "-m", "random_under", "-o",
                            tmp_path / f"o{i}.parquet", *dask), 1,
                     "the column 'y' holds dates (such as '2020-01-01'), which cannot be "
                     "class labels")


def test_dask_with_a_categorical_target_shows_no_pandas_warning(tmp_path):
    # pd.Series(labels, dtype=y.dtype) with dask's categories unknown: a Pandas4Warning.
    pytest.importorskip("dask.dataframe")
    path, out = tmp_path / "ct.parquet", tmp_path / "o.parquet"
    pd.DataFrame({"x": np.arange(30.0),
                  "y": pd.Categorical(["a"] * 24 + ["b"] * 6)}).to_parquet(path)
    result = invoke("resample", path, "-t", "y", "-m", "random_under", "--dask", "-o", out)
    assert_ok(result)
    assert "Warning" not in result.stderr, result.stderr


def test_labels_differing_only_by_case_are_named_in_a_warning(tmp_path):
    # 'Yes' and 'yes' became two classes silently, where ' yes' and 'yes' had a warning.
    path, out = tmp_path / "case.csv", tmp_path / "o.csv"
    frame = binary_table(n=30, minority=8)
    frame.loc[:3, "t"] = "Yes"
    frame.loc[4:5, "t"] = "yes "
    frame.to_csv(path, index=False)
    result = invoke("resample", path, "-t", "t", "-m", "random_over", "-o", out)
    assert_ok(result)
    assert "'yes' and 'Yes'" in result.stderr or "'Yes' and 'yes'" in result.stderr
    assert "differ only by case" in result.stderr
    assert "differ only by surrounding spaces" in result.stderr
    assert result.stderr.count("differ only by") == 2
