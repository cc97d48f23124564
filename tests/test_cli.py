"""The ``balancekit`` command, through its real entry point and through typer's test runner."""

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.dummy import DummyClassifier
from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score, recall_score
from typer.testing import CliRunner

import balancekit
from balancekit import _io
from balancekit._registry import available_samplers
from balancekit.cli import app

from .test_io import read_rows, write_rows

WIDE = {"COLUMNS": "200", "TERMINAL_WIDTH": "200", "NO_COLOR": "1"}
runner = CliRunner()


def invoke(*args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], env=WIDE, **kwargs)


def run_module(*args, cwd, timeout=120):
    """Run ``python -m balancekit ARGS`` in a fresh interpreter."""
    env = dict(os.environ, **WIDE)
    return subprocess.run(
        [sys.executable, "-m", "balancekit", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
    )


def exit_code(result):
    return result.exit_code if hasattr(result, "exit_code") else result.returncode


def assert_clean(result):
    """No traceback anywhere, and no exception escaped the command."""
    assert "Traceback" not in result.stdout + result.stderr
    exception = getattr(result, "exception", None)
    assert exception is None or isinstance(exception, SystemExit), repr(exception)


def assert_error(result, code, *fragments):
    """Exit ``code`` and exactly one 'Error: ...' line on stderr holding every fragment."""
    assert exit_code(result) == code, (exit_code(result), result.stdout, result.stderr)
    assert_clean(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def assert_ok(result):
    assert exit_code(result) == 0, (result.stdout, result.stderr)
    assert_clean(result)


# --------------------------------------------------------------------------- data


def mixed_table(n_major=40, n_minor=10, seed=0):
    """Integer, string, float and boolean columns; a string target in the middle."""
    rng = np.random.default_rng(seed)
    n = n_major + n_minor
    return pd.DataFrame(
        {
            "age": rng.integers(18, 80, n),
            "city": rng.choice(["paris", "rome", "oslo"], n),
            "label": rng.permutation(np.array(["no"] * n_major + ["yes"] * n_minor)),
            "income": rng.normal(50, 10, n).round(3),
            "member": rng.random(n) > 0.5,
        }
    )


def numeric_table(n_major=40, n_minor=10, seed=1):
    """Numeric only, an integer target first, an int32 column."""
    rng = np.random.default_rng(seed)
    n = n_major + n_minor
    y = rng.permutation(np.array([0] * n_major + [1] * n_minor))
    return pd.DataFrame(
        {
            "target": y,
            "x1": rng.normal(size=n) + y,
            "x2": rng.normal(size=n),
            "visits": rng.integers(0, 20, n).astype(np.int32),
        }
    )


@pytest.fixture
def mixed_csv(tmp_path):
    path = tmp_path / "mixed.csv"
    mixed_table().to_csv(path, index=False)
    return path


@pytest.fixture
def numeric_parquet(tmp_path):
    path = tmp_path / "numeric.parquet"
    numeric_table().to_parquet(path, index=False)
    return path


def rows_as_tuples(table):
    return [tuple(row) for row in table.itertuples(index=False)]


def listing(directory):
    return sorted(p.name for p in directory.iterdir())


# --------------------------------------------------------------------------- the real entry point


def test_version_through_python_m(tmp_path):
    result = run_module("--version", cwd=tmp_path)
    assert_ok(result)
    assert result.stdout.strip() == f"balancekit {balancekit.__version__}"


def test_resample_smotenc_end_to_end(tmp_path, mixed_csv):
    out = tmp_path / "balanced.csv"
    result = run_module(
        "resample", mixed_csv, "--target", "label", "--method", "smotenc", "-o", out, cwd=tmp_path
    )
    assert_ok(result)
    assert result.stdout == ""  # the summary goes to stderr
    assert "no: 40 -> 40, yes: 10 -> 40" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    before, after = pd.read_csv(mixed_csv), pd.read_csv(out)
    assert list(after.columns) == list(before.columns)
    assert after.dtypes.equals(before.dtypes)
    assert after["label"].value_counts().to_dict() == {"no": 40, "yes": 40}
    # The input rows come first, unchanged; new rows take cities that exist.
    pd.testing.assert_frame_equal(after.iloc[: len(before)], before)
    assert set(after["city"]) <= set(before["city"])


def test_missing_file_through_python_m(tmp_path):
    result = run_module(
        "resample", "absent.csv", "-t", "label", "-m", "smote", "-o", "out.csv", cwd=tmp_path
    )
    assert_error(result, 2, "'DATA'", "does not exist", "absent.csv")
    assert listing(tmp_path) == []


def test_compare_demo_data_default(tmp_path, monkeypatch):
    """The main job: ``balancekit compare`` on the built-in demo data."""
    monkeypatch.chdir(tmp_path)
    result = invoke("compare", "--cv", "2", "--json", "out.json", "--report", "out.html")
    assert_ok(result)
    summary = json.loads((tmp_path / "out.json").read_text())
    names = [row["strategy"] for row in summary["ranking"]]
    assert "baseline" in names and len(names) >= 3
    assert summary["data"]["n_rows"] == 6000
    assert summary["settings"]["cv"] == 2 and summary["settings"]["estimator"] == "logistic"
    html = (tmp_path / "out.html").read_text()
    assert "<html" in html.lower()
    # The table lists every ranked strategy; the recommendation is printed in full.
    for name in names:
        assert name in result.stdout
    assert summary["recommendation"]["message"] in result.stdout
    for item in summary["skipped"]:
        assert f"Skipped: {item['strategy']}" in result.stdout
    assert "demo data" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.html", "out.json"]


# --------------------------------------------------------------------------- resample


def test_resample_csv_round_trip_random_over(tmp_path, mixed_csv):
    out = tmp_path / "out.csv"
    result = invoke("resample", mixed_csv, "-t", "label", "-m", "random_over", "-o", out)
    assert_ok(result)
    before, after = pd.read_csv(mixed_csv), pd.read_csv(out)
    assert list(after.columns) == ["age", "city", "label", "income", "member"]
    assert after.dtypes.equals(before.dtypes)
    assert str(after["city"].dtype) == str(before["city"].dtype)
    assert after["age"].dtype.kind == "i" and after["member"].dtype == bool
    assert after["label"].value_counts().to_dict() == {"no": 40, "yes": 40}
    # Random over-sampling only copies rows: every output row is an input row.
    assert set(rows_as_tuples(after)) <= set(rows_as_tuples(before))
    assert sorted(rows_as_tuples(after[after["label"] == "no"])) == sorted(
        rows_as_tuples(before[before["label"] == "no"])
    )



def test_resample_says_each_step_on_a_terminal_only(tmp_path, mixed_csv, monkeypatch):
    import io

    from rich.console import Console

    import balancekit.cli as cli

    screens = []

    def terminal():
        screens.append(io.StringIO())
        return Console(file=screens[-1], force_terminal=True, width=100)

    monkeypatch.setattr(cli, "_stderr", terminal)
    out = tmp_path / "out.csv"
    assert_ok(invoke("resample", mixed_csv, "-t", "label", "-m", "smotenc", "-o", out))
    drawn = "".join(screen.getvalue() for screen in screens)
    for step in (f"reading {mixed_csv}", "smotenc: resampling 50 rows", f"writing {out}"):
        assert step in drawn
    # Not on a log or a pipe: only the closing line.
    monkeypatch.undo()
    result = invoke("resample", mixed_csv, "-t", "label", "-m", "smotenc", "-o", out, "--force")
    assert_ok(result)
    assert "reading" not in result.stderr and "resampling" not in result.stderr

def test_resample_parquet_smote_keeps_dtypes(tmp_path, numeric_parquet):
    out = tmp_path / "out.pq"
    result = invoke(
        "resample", numeric_parquet, "-t", "target", "-m", "smote", "-p", "k_neighbors=3", "-o", out
    )
    assert_ok(result)
    before, after = pd.read_parquet(numeric_parquet), pd.read_parquet(out)
    assert list(after.columns) == list(before.columns)
    assert after.dtypes.equals(before.dtypes)  # int32 stays int32, the target stays int64
    assert after["target"].value_counts().to_dict() == {0: 40, 1: 40}
    pd.testing.assert_frame_equal(after.iloc[: len(before)], before)
    # Synthetic rows lie within the range of the minority class.
    minority = before[before["target"] == 1]
    new = after.iloc[len(before) :]
    assert (new["x1"] >= minority["x1"].min() - 1e-12).all()
    assert (new["x1"] <= minority["x1"].max() + 1e-12).all()


def test_resample_parquet_directory_to_gzipped_csv(tmp_path):
    table = numeric_table()
    parts = tmp_path / "parts"
    parts.mkdir()
    table.iloc[:25].to_parquet(parts / "part-0.parquet", index=False)
    table.iloc[25:].to_parquet(parts / "part-1.parquet", index=False)
    out = tmp_path / "under.csv.gz"
    result = invoke("resample", parts, "-t", "target", "-m", "random_under", "-o", out)
    assert_ok(result)
    after = pd.read_csv(out, float_precision="round_trip")  # exact on pandas 2 too
    assert after["target"].value_counts().to_dict() == {0: 10, 1: 10}
    assert list(after.columns) == list(table.columns)
    assert set(rows_as_tuples(after.astype(float))) <= set(rows_as_tuples(table.astype(float)))


@pytest.mark.parametrize(
    ("method", "strategy", "expected"),
    [
        ("random_under", "0.5", {"no": 20, "yes": 10}),
        ("random_over", '{"yes": 25}', {"no": 40, "yes": 25}),
        ("random_under", '{"no": 15}', {"no": 15, "yes": 10}),
        ("random_over", "not majority", {"no": 40, "yes": 40}),
    ],
)
def test_strategy_forms(tmp_path, mixed_csv, method, strategy, expected):
    out = tmp_path / "out.csv"
    result = invoke("resample", mixed_csv, "-t", "label", "-m", method, "-s", strategy, "-o", out)
    assert_ok(result)
    assert pd.read_csv(out)["label"].value_counts().to_dict() == expected


def test_strategy_dict_keys_match_integer_labels(tmp_path, numeric_parquet):
    out = tmp_path / "out.parquet"
    result = invoke(
        "resample",
        numeric_parquet,
        "-t",
        "target",
        "-m",
        "random_over",
        "-s",
        '{"1": 30}',
        "-o",
        out,
    )
    assert_ok(result)
    assert pd.read_parquet(out)["target"].value_counts().to_dict() == {0: 40, 1: 30}


def test_seed_makes_the_output_reproducible(tmp_path, numeric_parquet):
    def run(seed, name):
        out = tmp_path / name
        result = invoke(
            "resample", numeric_parquet, "-t", "target", "-m", "smote", "--seed", seed, "-o", out
        )
        assert_ok(result)
        return pd.read_parquet(out)

    first, again, other = run(3, "a.parquet"), run(3, "b.parquet"), run(4, "c.parquet")
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)


def test_smote_on_string_columns_gives_the_sampler_error(tmp_path, mixed_csv):
    out = tmp_path / "out.csv"
    result = invoke("resample", mixed_csv, "-t", "label", "-m", "smote", "-o", out)
    assert_error(result, 1, "SMOTE", "'city'", "SMOTENC")
    assert not out.exists()


def test_warnings_are_one_line_each(tmp_path):
    path = tmp_path / "tiny.parquet"
    numeric_table(n_major=20, n_minor=3).to_parquet(path, index=False)
    out = tmp_path / "out.parquet"
    result = invoke("resample", path, "-t", "target", "-m", "smote", "-o", out)
    assert_ok(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2, result.stderr
    assert any(line.startswith("Warning (SmallClassWarning): k_neighbors=5") for line in lines)
    assert pd.read_parquet(out)["target"].value_counts().to_dict() == {0: 20, 1: 20}


def test_resample_help_lists_every_method():
    result = invoke("resample", "--help")
    assert_ok(result)
    methods = available_samplers()
    assert len(methods) >= 4
    for name in methods:
        assert name in result.stdout, name


# --------------------------------------------------------------------------- overwriting and atomic writes


def test_existing_output_needs_force(tmp_path, mixed_csv):
    out = tmp_path / "out.csv"
    out.write_text("old content\n")
    stamp = out.stat().st_mtime_ns
    args = ("resample", mixed_csv, "-t", "label", "-m", "random_over", "-o", out)
    assert_error(invoke(*args), 1, "already exists", "--force")
    assert out.read_text() == "old content\n" and out.stat().st_mtime_ns == stamp
    assert_ok(invoke(*args, "--force"))
    assert pd.read_csv(out)["label"].value_counts().to_dict() == {"no": 40, "yes": 40}
    assert listing(tmp_path) == ["mixed.csv", "out.csv"]


@pytest.mark.parametrize(
    ("error", "code", "fragment"),
    [
        (OSError(28, "No space left on device"), 1, "No space left on device"),
        (KeyboardInterrupt(), 130, "Interrupted"),
        (RuntimeError("writer crashed"), 1, "could not write"),
    ],
)
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_failed_write_leaves_old_output_and_no_temporary_file(
    tmp_path, mixed_csv, monkeypatch, error, code, fragment, suffix
):
    out = tmp_path / f"out{suffix}"
    out.write_bytes(b"the previous output")
    files = listing(tmp_path)
    written = []
    real_write = _io._write_frame

    def failing_write(table, path, fmt, **kwargs):
        real_write(table.iloc[:5], path, fmt, **kwargs)  # part of the table reaches the disk
        written.append(path)
        raise error

    monkeypatch.setattr(_io, "_write_frame", failing_write)
    result = invoke("resample", mixed_csv, "-t", "label", "-m", "random_over", "-o", out, "-f")
    assert_error(result, code, fragment)
    assert written and not os.path.exists(written[0])
    assert out.read_bytes() == b"the previous output"
    assert listing(tmp_path) == files


# --------------------------------------------------------------------------- errors


def _bad_csv(directory):
    path = directory / "bad.csv"
    path.write_text('a,b\n1,2\n3,4,5,6\n"unterminated\n')
    return path


def _bad_parquet(directory):
    path = directory / "bad.parquet"
    path.write_text("this is not parquet")
    return path


def _one_class(directory):
    path = directory / "one.csv"
    pd.DataFrame({"x": [1.0, 2.0, 3.0], "label": ["a", "a", "a"]}).to_csv(path, index=False)
    return path


def _text_file(directory):
    path = directory / "data.txt"
    path.write_text("x,label\n1,a\n")
    return path


RESAMPLE = ("resample", "{data}", "-t", "label", "-m", "random_over", "-o", "{out}")


@pytest.mark.parametrize(
    ("args", "make", "code", "fragments"),
    [
        (RESAMPLE, "missing", 2, ["'DATA'", "does not exist", "nothing.csv"]),
        (RESAMPLE, _bad_csv, 1, ["line 3 of", "has 4 field(s) but the header has 2",
                                 "needs quotes"]),
        (RESAMPLE, _bad_parquet, 1, ["could not read", "as Parquet"]),
        (RESAMPLE, _one_class, 1, ["only one class", "resampling needs"]),
        (("compare", "{data}", "-t", "label", "-s", "baseline"), _one_class, 1,
         ["only one class", "a comparison of strategies needs at least two classes"]),
        (RESAMPLE, _text_file, 2, ["'DATA'", "unsupported extension (.txt)", ".parquet"]),
        (
            ("resample", "{data}", "-t", "nope", "-m", "random_over", "-o", "{out}"),
            None,
            2,
            ["'--target'", "no column 'nope'", "'age', 'city', 'label', 'income', 'member'"],
        ),
        (
            ("resample", "{data}", "-t", "label", "-m", "smot", "-o", "{out}"),
            None,
            2,
            ["'--method'", "unknown method 'smot'", "random_over", "smotenc"],
        ),
        (
            ("resample", "{data}", "-t", "label", "-m", "random_over", "-o", "{dir}/out.xlsx"),
            None,
            2,
            ["'--output'", "unsupported extension (.xlsx)"],
        ),
        (
            ("resample", "{data}", "-t", "label", "-m", "random_over", "-o", "{dir}/no/out.csv"),
            None,
            2,
            ["'--output'", "output directory", "does not exist"],
        ),
        (("resample", "{data}", "-m", "random_over", "-o", "{out}"), None, 2, ["Missing option"]),
        ((*RESAMPLE, "-s", "abc"), None, 2, ["'--strategy'", "not a sampling strategy"]),
        ((*RESAMPLE, "-s", "1.5"), None, 2, ["'--strategy'", "out of range", "(0, 1]"]),
        ((*RESAMPLE, "-s", '{"yes": -1}'), None, 2, ["'--strategy'", "non-negative"]),
        ((*RESAMPLE, "-s", '{"yes": 5'), None, 2, ["'--strategy'", "not valid JSON"]),
        ((*RESAMPLE, "-s", '{"maybe": 50}'), None, 2,
         ["'--strategy'", "'maybe': no such class in the target", "'no', 'yes'"]),
        (("compare", "{data}", "-t", "label", "--pos-label", "maybe"), None, 2,
         ["'--pos-label'", "'maybe' is not a class of the target", "its classes are"]),
        ((*RESAMPLE, "-p", "shrinkage"), None, 2, ["'--param'", "key=value"]),
        ((*RESAMPLE, "-p", "foo=1"), None, 2, ["'--param'", "no parameter 'foo'", "shrinkage"]),
        ((*RESAMPLE, "-p", "random_state=1"), None, 2, ["'--param'", "--seed"]),
        ((*RESAMPLE, "-p", "shrinkage=-1"), None, 2, ["'--param'", "shrinkage"]),
        ((*RESAMPLE, "--bogus"), None, 2, ["No such option", "--bogus"]),
        (("inspect", "{data}", "-t", "nope"), None, 2, ["'--target'", "no column 'nope'"]),
        (("compare", "{data}"), None, 2, ["'--target'", "required with DATA"]),
        (("compare", "-t", "label", "{data}", "--model", "svm"), None, 2, ["'--model'", "svm"]),
        (
            ("compare", "{data}", "-t", "label", "-s", "baseline,nope"),
            None,
            2,
            ["'--strategies'", "unknown strategy 'nope'", "class_weight"],
        ),
        (("compare", "{data}", "-t", "label", "--cv", "1"), None, 2, ["'--cv'"]),
        (("compare", "{data}", "-t", "label", "--json", "{dir}/r.txt"), None, 2, ["'--json'"]),
        (
            ("compare", "{data}", "-t", "label", "--report", "{dir}/no/r.html"),
            None,
            2,
            ["'--report'", "output directory", "does not exist"],
        ),
        (("compare", "{data}", "-t", "label", "-j", "0"), None, 2, ["'--jobs'", "-1"]),
        # The output's directory is a file: said so, not that it does not exist.
        (("compare", "{data}", "-t", "label", "--json", "{data}/r.json"), None, 2,
         ["'--json'", "is a file, not a directory"]),
        (("resample", "{data}", "-t", "label", "-m", "random_over", "-o", "{data}/o.csv"), None,
         2, ["'--output'", "is a file, not a directory"]),
        (("frobnicate",), None, 2, ["No such command"]),
    ],
)
def test_errors_are_one_clear_line(tmp_path, mixed_csv, args, make, code, fragments):
    if make == "missing":
        data = tmp_path / "nothing.csv"
    elif make is not None:
        data = make(tmp_path)
    else:
        data = mixed_csv
    out = tmp_path / "out.csv"
    values = {"{data}": str(data), "{out}": str(out), "{dir}": str(tmp_path)}

    def fill(arg):
        for key, value in values.items():
            arg = arg.replace(key, value)
        return arg

    result = invoke(*map(fill, args))
    assert_error(result, code, *fragments)
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_unexpected_errors_are_one_line_too(tmp_path, mixed_csv, monkeypatch):
    import balancekit.cli as cli

    def broken(*args, **kwargs):
        raise TypeError("something broke")

    monkeypatch.setattr(cli, "_inspect_report", broken)
    result = invoke("inspect", mixed_csv, "-t", "label")
    assert_error(result, 1, "Unexpected TypeError: something broke", "BALANCEKIT_DEBUG")


def test_no_command_shows_the_help():
    result = invoke()
    assert "resample" in result.stdout and "inspect" in result.stdout
    assert "compare" in result.stdout
    assert "Error" not in result.stderr
    assert_clean(result)


# --------------------------------------------------------------------------- inspect


def test_inspect_matches_a_majority_classifier(tmp_path):
    table = mixed_table()
    table.loc[[3, 7], "income"] = np.nan
    path = tmp_path / "t.parquet"
    table.to_parquet(path, index=False)
    result = invoke("inspect", path, "-t", "label", "--json")
    assert_ok(result)
    report = json.loads(result.stdout)
    assert report["rows"] == 50 and report["columns"] == 5
    assert report["classes"] == [
        {"label": "no", "count": 40, "share": 0.8},
        {"label": "yes", "count": 10, "share": 0.2},
    ]
    assert report["imbalance_ratio"] == 4.0
    assert report["categorical_columns"] == ["city"]
    assert report["missing_values"] == {"income": 2}
    # The baseline is what scikit-learn's most-frequent dummy classifier scores.
    X, y = table.drop(columns="label"), table["label"]
    predicted = DummyClassifier(strategy="most_frequent").fit(X, y).predict(X)
    base = report["majority_baseline"]
    assert base["predicts"] == "no"
    assert base["accuracy"] == pytest.approx(accuracy_score(y, predicted))
    assert base["balanced_accuracy"] == pytest.approx(balanced_accuracy_score(y, predicted))
    assert base["minority_recall"] == pytest.approx(
        recall_score(y, predicted, pos_label="yes", zero_division=0)
    )
    assert base["minority_f1"] == pytest.approx(
        f1_score(y, predicted, pos_label="yes", zero_division=0)
    )


@pytest.mark.parametrize("sizes", [(100, 50, 50), (30, 30, 30), (10, 40, 40, 10)])
def test_inspect_names_the_classes_compare_and_a_majority_classifier_take(tmp_path, sizes):
    # Ties: the rare class is the one compare scores (the last label of the smallest), and
    # the majority the one a most-frequent classifier predicts (the first of the largest).
    labels = ["x", "y", "z", "w"][:len(sizes)]
    y = np.repeat(labels, sizes)
    np.random.default_rng(0).shuffle(y)
    table = pd.DataFrame({"a": np.arange(y.size), "label": y})
    path = tmp_path / "t.csv"
    table.to_csv(path, index=False)
    result = invoke("inspect", path, "-t", "label", "--json")
    assert_ok(result)
    report = json.loads(result.stdout)
    counts = Counter(y.tolist())
    smallest = min(counts.values())
    assert report["minority_class"] == sorted(k for k, n in counts.items() if n == smallest)[-1]
    predicted = DummyClassifier(strategy="most_frequent").fit(table[["a"]], y).predict([[0]])
    assert report["majority_class"] == report["majority_baseline"]["predicts"] == predicted[0]
    assert report["imbalance_ratio"] == counts[report["majority_class"]] / smallest


def test_inspect_table(tmp_path, numeric_parquet):
    result = invoke("inspect", numeric_parquet, "-t", "target")
    assert_ok(result)
    text = result.stdout
    assert "4.0 : 1" in text
    assert "80.00%" in text and "20.00%" in text
    assert "Missing values: none" in text
    assert "Categorical columns: none" in text
    assert "accuracy paradox" in text and "0.800" in text and "0.500" in text


# --------------------------------------------------------------------------- compare


def test_compare_small_table(tmp_path, mixed_csv, monkeypatch):
    import balancekit.cli as cli

    calls = []
    monkeypatch.setattr(cli._ProgressBar, "__call__", lambda self, *args: calls.append(args))
    out = tmp_path / "result.json"
    result = invoke(
        "compare",
        mixed_csv,
        "-t",
        "label",
        "--cv",
        "2",
        "-s",
        "baseline,random_over",
        "--json",
        out,
    )
    assert_ok(result)
    summary = json.loads(out.read_text())
    assert {row["strategy"] for row in summary["ranking"]} == {"baseline", "random_over"}
    assert summary["data"]["positive_label"] == "yes"
    assert summary["settings"]["cv"] == 2
    best = summary["ranking"][0]
    # The table shows the ranking metric as mean ± std, best first.
    lines = [line for line in result.stdout.splitlines() if "±" in line and "│" in line]
    assert len(lines) == 2
    assert best["strategy"] in lines[0]
    assert f"{best['mean']:.3f} ± {best['std']:.3f}" in lines[0]
    assert summary["recommendation"]["message"] in result.stdout
    assert "fitting" not in result.stdout  # the progress bar never touches stdout
    # The progress bar hears of every fit: 2 strategies x 2 folds.
    assert [(done, total) for done, total, _ in calls] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert all(isinstance(text, str) and text for _, _, text in calls)


def test_compare_progress_names_the_fit_that_is_running(mixed_csv, monkeypatch):
    # The bar said "fitting" of the fit just finished: the previous strategy's last fold
    # while the next one ran (for minutes with a slow one).
    from rich.text import Text

    import balancekit.cli as cli
    from balancekit.over_sampling import RandomOverSampler

    bars, shown = [], []
    start = cli._ProgressBar.__init__

    def recorded(self, *args, **kwargs):
        start(self, *args, **kwargs)
        bars.append(self)

    fit_resample = RandomOverSampler.fit_resample

    def fitting(self, *args, **kwargs):
        shown.append(Text.from_markup(bars[-1].progress.tasks[0].description).plain)
        return fit_resample(self, *args, **kwargs)

    monkeypatch.setattr(cli._ProgressBar, "__init__", recorded)
    monkeypatch.setattr(RandomOverSampler, "fit_resample", fitting)
    result = invoke("compare", mixed_csv, "-t", "label", "--cv", "2", "-s",
                    "baseline,random_over")
    assert_ok(result)
    assert shown and all("fitting random_over: fold" in text for text in shown), shown
    assert "fold 1/2" in shown[0] and "fold 2/2" in shown[-1]
    assert bars[-1].progress.tasks[0].description == "summarising the results"


def test_compare_logs_a_line_of_progress_where_stderr_is_no_terminal(mixed_csv, monkeypatch):
    # No bar in a log or a pipe: a long comparison said nothing there until its table.
    import balancekit.cli as cli

    monkeypatch.setattr(cli, "_LOG_EVERY", 0.0)  # a line after every fit but the last
    result = invoke("compare", mixed_csv, "-t", "label", "--cv", "2", "-s",
                    "baseline,random_over")
    assert_ok(result)
    lines = [line for line in result.stderr.splitlines() if line.startswith("compare: ")]
    assert [line.split(" fits done")[0] for line in lines] == [
        "compare: 1 of 4", "compare: 2 of 4", "compare: 3 of 4"]
    assert lines[0].endswith("(last: baseline: fold 1/2)")
    assert lines[2].endswith("(last: random_over: fold 1/2)")
    monkeypatch.setattr(cli, "_LOG_EVERY", 3600.0)
    result = invoke("compare", mixed_csv, "-t", "label", "--cv", "2", "-s", "baseline")
    assert not [line for line in result.stderr.splitlines() if line.startswith("compare: ")]


def test_compare_takes_model_and_strategy_names_in_any_case(tmp_path, mixed_csv):
    # As --scoring already did: 'HGB' and 'Random_Over' were unknown names.
    out = tmp_path / "result.json"
    result = invoke("compare", mixed_csv, "-t", "label", "--cv", "2", "--model", " HGB",
                    "-s", "Baseline, Random_Over", "--json", out)
    assert_ok(result)
    summary = json.loads(out.read_text())
    assert summary["settings"]["estimator"] == "hgb"
    assert [s["name"] for s in summary["strategies"]] == ["baseline", "random_over"]


# --------------------------------------------------------------------------- CSV values kept as read


PROBE_CSV = (
    "country,zip,n,target\nNA,02937,10,0\nFR,01862,,0\nNA,00501,12,0\nDE,10115,13,0\n"
    "NA,02101,14,1\nFR,60601,15,1\n"
)


@pytest.mark.parametrize("method", ["random_over", "random_under"])
def test_copied_rows_keep_their_text(tmp_path, method):
    """'NA' stays 'NA', '02937' keeps its zero, 10 does not become 10.0."""
    source, out = tmp_path / "t.csv", tmp_path / "out.csv"
    source.write_text(PROBE_CSV)
    assert_ok(invoke("resample", source, "-t", "target", "-m", method, "-o", out))
    rows = read_rows(source)
    written = read_rows(out)
    assert written[0] == rows[0]
    assert set(map(tuple, written[1:])) <= set(map(tuple, rows[1:]))
    if method == "random_over":
        assert Counter(map(tuple, rows[1:])) <= Counter(map(tuple, written[1:]))
    # inspect sees the same table: 'NA' is a country, only the empty cell is missing.
    report = json.loads(invoke("inspect", source, "-t", "target", "--json").stdout)
    assert report["missing_values"] == {"n": 1}
    assert report["categorical_columns"] == ["country", "zip"]


CELLS = st.one_of(
    st.sampled_from(
        [
            "NA",
            "N/A",
            "null",
            "None",
            "nan",
            "",
            "007",
            "02937",
            "0",
            "0.5",
            "1.50",
            "1e3",
            "-0",
            "+5",
            "True",
            "a,b",
            'say "hi"',
            " x ",
            "two\nlines",
            "10",
            "-3",
        ]
    ),  # fmt: skip
    st.text(
        st.characters(exclude_categories=["Cs", "Cc"], exclude_characters="\ufeff"), max_size=5
    ),
    st.integers(-1000, 1000).map(str),
)
LABELS = st.sampled_from([("NA", "007"), ("0", "1"), ("+1", "-1"), ("1.0", "2.0"), ("a,b", "c")])


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.lists(CELLS, min_size=3, max_size=3), min_size=4, max_size=12),
    LABELS,
    st.lists(st.booleans(), min_size=12, max_size=12),
    st.sampled_from(["random_under", "random_over"]),
)
def test_resample_copies_cells_byte_for_byte(rows, labels, picks, method):
    """Property: whatever the cells hold, a method that copies rows writes only input rows,
    cell for cell, and the header unchanged."""
    header = ["a", "b", "target", "c"]
    data = [
        [a, b, labels[i % 2 if i < 2 else int(picks[i])], c] for i, (a, b, c) in enumerate(rows)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "in.csv", Path(tmp) / "out.csv"
        write_rows(source, [header, *data])
        assert_ok(invoke("resample", source, "-t", "target", "-m", method, "-o", out))
        written = read_rows(out)
    assert written[0] == header
    before, after = Counter(map(tuple, data)), Counter(map(tuple, written[1:]))
    assert set(after) <= set(before)
    if method == "random_under":
        assert after <= before
    else:
        assert before <= after
    counts = Counter(row[2] for row in written[1:])
    assert set(counts) == set(labels) and len(set(counts.values())) == 1  # balanced


def test_integer_column_with_a_gap_stays_integer(tmp_path):
    source, out = tmp_path / "t.csv", tmp_path / "out.csv"
    rows = [["a", "b", "target"]] + [
        [str(i), "" if i == 2 else str(10 + i), str(int(i in (5, 6)))] for i in range(1, 9)
    ]
    write_rows(source, rows)
    assert_ok(invoke("resample", source, "-t", "target", "-m", "random_over", "-o", out))
    written = read_rows(out)
    assert not any(cell.endswith(".0") for row in written for cell in row)
    assert set(map(tuple, written[1:])) <= set(map(tuple, rows[1:]))
    assert str(_io.read_table(out)["b"].dtype) == "Int64"
    # A numeric sampler still gives its clear missing-value error.
    result = invoke("resample", source, "-t", "target", "-m", "smote", "-o", tmp_path / "s.csv")
    assert_error(result, 1, "1 NaN value", "Impute")


@pytest.mark.parametrize("method", ["smote", "smotenc"])
def test_a_column_without_any_value_is_named_with_drop(tmp_path, method):
    # Imputing it, or dropping its rows, as the message advised, cannot help.
    source = tmp_path / "t.csv"
    rows = [["a", "empty", "c", "target"]] + [
        [str(i * 1.5), "", "xy"[i % 2] if method == "smotenc" else str(i % 3),
         str(int(i % 4 == 0))] for i in range(1, 17)]
    write_rows(source, rows)
    result = invoke("resample", source, "-t", "target", "-m", method, "-o", tmp_path / "o.csv")
    line = assert_error(result, 1, "Column 'empty' holds no value in any row: leave it out "
                                   "(on the command line: --drop empty)")
    assert "Impute" not in line
    # Beside a column with a gap: both pieces of advice.
    rows[3][0] = ""
    write_rows(source, rows)
    result = invoke("resample", source, "-t", "target", "-m", method, "-o", tmp_path / "o.csv")
    assert_error(result, 1, "Impute", "Column 'empty' holds no value")
    # Left out, it resamples.
    rows[3][0] = "4.5"
    write_rows(source, rows)
    assert_ok(invoke("resample", source, "-t", "target", "-m", method, "--drop", "empty",
                     "-o", tmp_path / "o.csv"))


def test_synthetic_rows_write_copied_values_and_labels_as_read(tmp_path):
    """SMOTENC: the input rows come back as written (floats as '1.50', labels '+1'), codes
    with leading zeros stay codes, integers stay whole, new labels have the input's text."""
    rng = np.random.default_rng(0)
    n = 24
    labels = ["+1"] * 18 + ["-1"] * 6
    rows = [["x", "count", "zip", "y"]] + [
        [
            f"{rng.normal():.2f}0",
            str(int(rng.integers(0, 9))),
            str(rng.choice(["02937", "00501", "10115"])),
            labels[i],
        ]
        for i in range(n)
    ]
    source, out = tmp_path / "t.csv", tmp_path / "out.csv"
    write_rows(source, rows)
    assert_ok(
        invoke("resample", source, "-t", "y", "-m", "smotenc", "-p", "k_neighbors=3", "-o", out)
    )
    written = read_rows(out)
    assert written[: n + 1] == rows
    new = written[n + 1 :]
    assert len(new) == 12
    assert {row[3] for row in new} == {"-1"}
    assert {row[2] for row in new} <= {"02937", "00501", "10115"}
    assert all(row[1].lstrip("-").isdigit() for row in new)


# --------------------------------------------------------------------------- --param objects


def test_param_object_keys_are_matched_to_integer_labels(tmp_path, numeric_parquet):
    out = tmp_path / "out.parquet"
    result = invoke(
        "resample", numeric_parquet, "-t", "target", "-m", "random_over",
        "-p", 'shrinkage={"1": 0.5}', "-o", out,
    )  # fmt: skip
    assert_ok(result)
    before, after = pd.read_parquet(numeric_parquet), pd.read_parquet(out)
    assert after["target"].value_counts().to_dict() == {0: 40, 1: 40}
    # The new minority rows are smoothed (not copies): shrinkage reached class 1.
    new = after.iloc[len(before) :]
    assert not set(new["x1"]) & set(before["x1"])


@pytest.mark.parametrize(
    ("value", "fragments"),
    [
        ('shrinkage={"7": 0.5}', ["'--param'", "shrinkage", "'7'", "0, 1"]),
        ('shrinkage={"1": 0.5, "1.0": 0.2}', ["'--param'", "shrinkage", "more than once"]),
    ],
)
def test_param_object_with_unknown_class(tmp_path, numeric_parquet, value, fragments):
    out = tmp_path / "out.parquet"
    result = invoke(
        "resample", numeric_parquet, "-t", "target", "-m", "random_over", "-p", value, "-o", out
    )
    assert_error(result, 2, *fragments)
    assert not out.exists()


# --------------------------------------------------------------------------- inspect: one class, missing labels


def test_inspect_describes_a_single_class(tmp_path):
    path = tmp_path / "one.csv"
    pd.DataFrame({"x": [1.0, 2.0, 3.0], "label": ["a", "a", "a"]}).to_csv(path, index=False)
    result = invoke("inspect", path, "-t", "label", "--json")
    assert_ok(result)
    report = json.loads(result.stdout)
    assert report["classes"] == [{"label": "a", "count": 3, "share": 1.0}]
    assert report["missing_labels"] == 0
    assert report["minority_class"] is None and report["majority_baseline"] is None
    text = invoke("inspect", path, "-t", "label")
    assert_ok(text)
    assert "Only one class (a)" in text.stdout
    # The commands that need two classes keep their error.
    out = tmp_path / "out.csv"
    assert_error(
        invoke("resample", path, "-t", "label", "-m", "random_over", "-o", out),
        1,
        "only one class",
    )


def test_inspect_counts_missing_labels(tmp_path):
    table = mixed_table()
    table["label"] = table["label"].astype(object)
    table.loc[[0, 5, 9], "label"] = None
    path = tmp_path / "t.csv"
    table.to_csv(path, index=False)
    result = invoke("inspect", path, "-t", "label", "--json")
    assert_ok(result)
    report = json.loads(result.stdout)
    labelled = table["label"].dropna()
    assert report["missing_labels"] == 3
    assert report["missing_values"]["label"] == 3
    assert report["classes"] == [
        {"label": str(k), "count": int(v), "share": v / len(labelled)}
        for k, v in labelled.value_counts().items()
    ]
    assert report["majority_baseline"]["accuracy"] == pytest.approx(
        labelled.value_counts().max() / len(labelled)
    )
    text = invoke("inspect", path, "-t", "label")
    assert_ok(text)
    assert "Missing labels: 3 row(s)" in text.stdout


def test_inspect_one_class_with_missing_labels(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("x,target\n1,0\n2,\n3,0\n")
    report = json.loads(invoke("inspect", path, "-t", "target", "--json").stdout)
    assert report["missing_labels"] == 1
    assert report["classes"] == [{"label": 0, "count": 2, "share": 1.0}]


# --------------------------------------------------------------------------- compare: no silent overwrite


@pytest.mark.parametrize("option", ["--json", "--report"])
def test_compare_refuses_to_overwrite_before_running(tmp_path, mixed_csv, monkeypatch, option):
    import balancekit.evaluation as evaluation

    out = tmp_path / ("r.json" if option == "--json" else "r.html")
    out.write_text("old")

    def never(*args, **kwargs):
        raise AssertionError("the comparison ran although the output exists")

    monkeypatch.setattr(evaluation, "compare", never)
    args = ("compare", mixed_csv, "-t", "label", "--cv", "2", "-s", "baseline", option, out)
    assert_error(invoke(*args), 1, "already exists", "--force")
    assert out.read_text() == "old"
    monkeypatch.undo()
    assert_ok(invoke(*args, "--force"))
    assert out.read_text() != "old"
    assert listing(tmp_path) == sorted(["mixed.csv", out.name])


def test_compare_refuses_an_output_it_cannot_write_before_running(tmp_path, mixed_csv,
                                                                  monkeypatch):
    import balancekit.evaluation as evaluation

    def never(*args, **kwargs):
        raise AssertionError("the comparison ran although its output cannot be written")

    def read_only(*args, **kwargs):  # as a read-only file system answers
        raise OSError(30, "Read-only file system", kwargs.get("dir"))

    monkeypatch.setattr(evaluation, "compare", never)
    monkeypatch.setattr(_io.tempfile, "mkstemp", read_only)
    out = tmp_path / "r.json"
    assert_error(invoke("compare", mixed_csv, "-t", "label", "--json", out), 1,
                 "Read-only file system", "r.json")
    assert listing(tmp_path) == ["mixed.csv"]


def test_compare_fails_when_every_strategy_failed(tmp_path, mixed_csv, monkeypatch):
    from sklearn.linear_model import LogisticRegression

    import balancekit.evaluation._compare as compare_module

    class Broken(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            raise ValueError("this model cannot be fitted")

    monkeypatch.setattr(compare_module, "make_estimator", lambda *args: Broken())
    out = tmp_path / "r.json"
    result = invoke("compare", mixed_csv, "-t", "label", "--cv", "2", "-s",
                    "baseline,random_under", "--json", out)
    assert exit_code(result) == 1
    assert_clean(result)
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: every strategy failed on this data, so nothing could be compared; the first, "
        "baseline: ValueError: this model cannot be fitted (on fold 1 of 2)")
    # The summary of the failures is still written, for the errors of each strategy.
    assert json.loads(out.read_text())["ranking"] == []


def test_compare_lists_a_failed_strategy_once(tmp_path):
    # One rare row per training fold: SMOTE cannot find a neighbour, the baseline runs.
    rng = np.random.RandomState(0)
    path = tmp_path / "tiny.csv"
    table = pd.DataFrame(rng.normal(size=(40, 3)), columns=["a", "b", "c"])
    table.assign(label=[0] * 38 + [1] * 2).to_csv(path, index=False)
    result = invoke("compare", path, "-t", "label", "--cv", "2", "-s", "baseline,smote")
    assert_ok(result)
    output = result.stdout + result.stderr
    assert output.count("smote (DataError") + output.count("smote: DataError") == 1, output
    assert "Failed: smote: DataError: k_neighbors=5 needs at least 2 samples" in output


# --------------------------------------------------------------------------- delimiters


@pytest.mark.parametrize(("delimiter", "shown"), [(";", "--sep ';'"), ("\t", "--sep '\\t'")])
def test_other_delimiter_is_named(tmp_path, mixed_csv, delimiter, shown):
    path = tmp_path / "semi.csv"
    mixed_table().to_csv(path, index=False, sep=delimiter)
    for args in (("inspect", path), ("compare", path)):
        assert_error(invoke(*args, "-t", "label"), 2, "'--target'", "delimited by", shown)
    result = invoke("inspect", path, "-t", "label", "--json", "--sep", shown.split()[1].strip("'"))
    assert_ok(result)
    assert json.loads(result.stdout)["classes"][0] == {"label": "no", "count": 40, "share": 0.8}


def test_resample_reads_and_writes_with_the_delimiter(tmp_path):
    path, out = tmp_path / "semi.csv", tmp_path / "out.csv"
    rows = [["x", "name", "label"]] + [
        [f"{i}.5", f"a,{i}", "no" if i < 8 else "yes"] for i in range(10)
    ]
    write_rows(path, rows, ";")
    assert_ok(
        invoke("resample", path, "-t", "label", "-m", "random_under", "--sep", ";", "-o", out)
    )
    written = read_rows(out, ";")
    assert written[0] == rows[0]
    assert set(map(tuple, written[1:])) <= set(map(tuple, rows[1:])) and len(written) == 5


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("inspect", "{parquet}", "-t", "target", "--sep", ";"), ["'--sep'", "CSV files only"]),
        (("inspect", "{csv}", "-t", "label", "--sep", ";;"), ["'--sep'", "one character"]),
    ],
)
def test_bad_delimiter_options(tmp_path, mixed_csv, numeric_parquet, args, fragments):
    values = {"{parquet}": str(numeric_parquet), "{csv}": str(mixed_csv)}
    assert_error(invoke(*(values.get(a, a) for a in args)), 2, *fragments)


def test_boolean_classes_are_named_as_the_file_spells_them():
    from balancekit.cli import _match_label

    labels = [False, True]
    for key, label in (("true", True), ("FALSE", False), ("True", True)):
        assert _match_label(key, labels) is label
    assert _match_label("yes", labels) == "yes"  # not a class: left for the error message


def test_resample_that_removes_a_whole_class_writes_it_and_warns(tmp_path):
    # Each 'a' row sits among 'b' rows: ENN cleaning every class removes all of them. The
    # output is what the method gives; the command says so instead of failing after writing.
    x = np.r_[np.arange(21.0), [0.4, 5.4, 10.4, 15.4]]
    path, out = tmp_path / "in.csv", tmp_path / "out.csv"
    pd.DataFrame({"x": x, "label": ["b"] * 21 + ["a"] * 4}).to_csv(path, index=False)
    result = invoke("resample", path, "-t", "label", "-m", "edited_nearest_neighbours",
                    "--strategy", "all", "-o", out)
    assert_ok(result)
    assert "removed every row of class(es) 'a'" in result.stderr
    assert "a: 4 -> 0" in result.stderr
    written = pd.read_csv(out)
    assert set(written["label"]) == {"b"} and 0 < len(written) < 21


def test_inspect_shows_labels_and_column_names_as_text_not_markup(tmp_path):
    # rich reads '[...]' in a table cell as markup: a label was shown without its brackets,
    # and a closing tag with nothing to close ('[/x]', a column '[/]') stopped the command.
    rng = np.random.default_rng(0)
    table = pd.DataFrame({"x": rng.normal(size=40), "[/]": rng.normal(size=40)})
    table.loc[:2, "[/]"] = np.nan
    for rare in ("[bold]rare[/bold]", "[/x]"):
        table["label"] = ["common"] * 34 + [rare] * 6
        path = tmp_path / "t.csv"
        table.to_csv(path, index=False)
        result = invoke("inspect", path, "-t", "label")
        assert_ok(result)
        assert f"│ {rare} " in result.stdout
        assert f"recall of class {rare}" in result.stdout
        assert "│ [/]    │" in result.stdout
