"""Benchmark balancekit against imbalanced-learn, side by side, in one run.

Each case builds one data set, then times balancekit and imbalanced-learn on it
alternately, several repetitions each, and reports the median time, the ratio
imbalanced-learn / balancekit, and the peak extra memory of one call (measured
with tracemalloc in a separate call, so timing runs carry no tracing overhead).
For selection rules it also checks that both libraries keep the same rows.

Usage::

    python benchmarks/run.py                 # the default grid (minutes)
    python benchmarks/run.py --quick         # 10k rows only (a smoke run)
    python benchmarks/run.py --full          # 10k/100k/1M rows, 20/100 features, ...
    python benchmarks/run.py --samplers smote,tomek_links --rows 100000
    python benchmarks/run.py --data multiclass --rows 30000   # other kinds of data
    python benchmarks/run.py --data sparse --rows 35000 --features 300 --minority 0.028

Results go to benchmarks/results/latest.md and latest.json.
"""

import argparse
import gc
import json
import platform
import statistics
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.datasets import make_classification

RESULTS = Path(__file__).parent / "results"


def _bk(name):
    from balancekit._registry import available_samplers

    return available_samplers()[name]


def _imb(module, name):
    import importlib

    return getattr(importlib.import_module(f"imblearn.{module}"), name)


# name -> (balancekit factory, imbalanced-learn factory, compare selected rows?, needs categorical)
def _cases():
    seed = 0
    cases = {
        "random_over": (lambda: _bk("random_over")(random_state=seed),
                        lambda: _imb("over_sampling", "RandomOverSampler")(random_state=seed), False),
        "random_under": (lambda: _bk("random_under")(random_state=seed),
                         lambda: _imb("under_sampling", "RandomUnderSampler")(random_state=seed), False),
        "smote": (lambda: _bk("smote")(random_state=seed),
                  lambda: _imb("over_sampling", "SMOTE")(random_state=seed), False),
        "smotenc": (lambda: _bk("smotenc")(categorical_features=CATEGORICAL, random_state=seed),
                    lambda: _imb("over_sampling", "SMOTENC")(categorical_features=CATEGORICAL,
                                                            random_state=seed), False),
    }
    optional = {
        "adasyn": ("over_sampling", "ADASYN", False),
        "borderline_smote": ("over_sampling", "BorderlineSMOTE", False),
        "near_miss": ("under_sampling", "NearMiss", True),
        "tomek_links": ("under_sampling", "TomekLinks", True),
        "edited_nearest_neighbours": ("under_sampling", "EditedNearestNeighbours", True),
        "repeated_edited_nearest_neighbours": ("under_sampling", "RepeatedEditedNearestNeighbours", True),
        "all_knn": ("under_sampling", "AllKNN", True),
        "neighbourhood_cleaning_rule": ("under_sampling", "NeighbourhoodCleaningRule", True),
        "one_sided_selection": ("under_sampling", "OneSidedSelection", True),
        "smote_enn": ("combine", "SMOTEENN", False),
        "smote_tomek": ("combine", "SMOTETomek", False),
    }
    from balancekit._registry import available_samplers

    have = available_samplers()
    for name, (module, cls, same_rows) in optional.items():
        if name not in have:
            continue
        takes_seed = "random_state" in have[name]().get_params()

        def ours(name=name, takes_seed=takes_seed):
            return _bk(name)(random_state=seed) if takes_seed else _bk(name)()

        def theirs(module=module, cls=cls, takes_seed=takes_seed):
            c = _imb(module, cls)
            return c(random_state=seed) if takes_seed else c()

        cases[name] = (ours, theirs, same_rows)
    from balancekit._neighbors import has_faiss

    if has_faiss():
        # balancekit's approximate neighbours (recall reported) against the same exact reference.
        for name in ("smote", "adasyn", "borderline_smote"):
            if name in cases:
                cases[f"{name}_approximate"] = (
                    lambda name=name: _bk(name)(random_state=seed, neighbors="approximate"),
                    cases[name][1],
                    False,
                )
    return cases


CATEGORICAL = None  # set per data set for SMOTENC


#: Kinds of data (--data): the issue's binary make_classification; five classes whose larger
#: ones overlap (--minority is ignored); 0/1/2 integer features with many exact duplicates and
#: labels drawn independently of them; sparse binary rows (4% filled, CSR), the minority rows
#: marked in 3 of the first 20 columns (a bag of words, like imbalanced-learn's `webpage` set).
#: Samplers that take no sparse data, and approximate neighbours, are left out of a sparse run.
#: 'amounts' is a transactions-like table: an unscaled lognormal amount (1e4-1e6) next to
#: scaled columns (shifted for the minority), 0/1 flags and a count (at least 4 features).
#: 'flags' holds 0/1 features only (a table of flags or one-hot categories: with few features,
#: few distinct rows, each copied many times), the minority drawn among rows whose first flag is set.
#: 'outliers' is the 'amounts' table whose amount is small (lognormal about 20) but holds 3% of
#: outliers from 1e6 to 1e20 (data errors, sums in the wrong unit): a few rows of huge norm.
DATA_KINDS = ("classification", "multiclass", "ties", "sparse", "amounts", "flags", "outliers")


def make_data(n_rows, n_features, minority, dtype, n_categorical=0, seed=0, kind="classification"):
    if kind == "multiclass":
        X, y = make_classification(
            n_samples=n_rows, n_features=n_features, n_informative=min(n_features, 6),
            n_redundant=0, n_classes=5, weights=[0.5, 0.3, 0.1, 0.07, 0.03], random_state=seed,
        )
    elif kind == "ties":
        rng = np.random.RandomState(seed)
        X = rng.randint(0, 3, size=(n_rows, n_features)).astype(np.float64)
        y = (rng.random_sample(n_rows) < minority).astype(int)
    elif kind == "sparse":
        rng = np.random.RandomState(seed)
        y = (rng.random_sample(n_rows) < minority).astype(int)
        X = sp.random(n_rows, n_features, density=0.04, format="csr", random_state=seed)
        marked = np.repeat(np.flatnonzero(y), 3)
        columns = rng.randint(0, min(20, n_features), size=marked.size)
        X = X + sp.csr_matrix((np.ones(marked.size), (marked, columns)), shape=X.shape)
        X.data[:] = 1.0
        return X.astype(dtype).tocsr(), y
    elif kind == "flags":
        rng = np.random.RandomState(seed)
        X = rng.randint(0, 2, size=(n_rows, n_features)).astype(np.float64)
        y = (rng.random_sample(n_rows) < 2 * minority * X[:, 0]).astype(int)
    elif kind in ("amounts", "outliers"):
        rng = np.random.RandomState(seed)
        y = (rng.random_sample(n_rows) < minority).astype(int)
        n_scaled = max(1, (n_features - 2) // 2)
        n_flags = max(1, n_features - 2 - n_scaled)
        if kind == "amounts":
            amount = rng.lognormal(10, 1, n_rows)
        else:
            amount = rng.lognormal(3, 1, n_rows)
            outliers = rng.random_sample(n_rows) < 0.03
            amount[outliers] = 10.0 ** rng.uniform(6, 20, outliers.sum())
        X = np.c_[amount,
                  rng.randn(n_rows, n_scaled) + 0.5 * y[:, None],
                  rng.randint(0, 2, (n_rows, n_flags)),
                  rng.poisson(3, n_rows) + 3 * y]
    else:
        X, y = make_classification(
            n_samples=n_rows, n_features=n_features, n_informative=min(n_features, 10),
            n_redundant=0, weights=[1 - minority], flip_y=0.01, random_state=seed,
        )
    X = X.astype(dtype)
    if n_categorical:
        rng = np.random.RandomState(seed)
        cats = rng.randint(0, 10, size=(n_rows, n_categorical)).astype(dtype)
        X = np.hstack([X, cats])
    return X, y


def _time(factory, X, y):
    sampler = factory()
    gc.collect()
    start = time.perf_counter()
    out = sampler.fit_resample(X, y)
    elapsed = time.perf_counter() - start
    return elapsed, sampler, out


def _peak_memory(factory, X, y):
    sampler = factory()
    gc.collect()
    tracemalloc.start()
    try:
        out = sampler.fit_resample(X, y)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, sum(_nbytes(a) for a in out)


def _nbytes(a):
    """Bytes of an array, sparse matrix, Series or DataFrame."""
    if sp.issparse(a):
        return a.data.nbytes + a.indices.nbytes + a.indptr.nbytes
    if hasattr(a, "memory_usage") and getattr(a, "ndim", 1) == 2:
        return int(a.memory_usage(index=False, deep=True).sum())
    return getattr(a, "nbytes", 0)


def run_case(name, factories, X, y, repeats, skip_reference_over):
    ours, theirs, same_rows = factories
    times = {"balancekit": [], "imbalanced-learn": []}
    samplers = {}
    run_reference = True
    for rep in range(repeats):
        for lib, factory in (("balancekit", ours), ("imbalanced-learn", theirs)):
            if lib == "imbalanced-learn" and not run_reference:
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                elapsed, sampler, _ = _time(factory, X, y)
            times[lib].append(elapsed)
            samplers[lib] = sampler
            if lib == "imbalanced-learn" and rep == 0 and elapsed > skip_reference_over:
                run_reference = False  # one slow reference run is enough
    row = {"sampler": name}
    for lib, values in times.items():
        row[f"{lib}_median_s"] = statistics.median(values) if values else None
        row[f"{lib}_runs"] = len(values)
    if row["imbalanced-learn_median_s"] and row["balancekit_median_s"]:
        row["speedup"] = row["imbalanced-learn_median_s"] / row["balancekit_median_s"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        row["balancekit_peak_mb"], out_bytes = (v / 2**20 for v in _peak_memory(ours, X, y))
        row["output_mb"] = out_bytes
        if run_reference:
            row["imbalanced-learn_peak_mb"] = _peak_memory(theirs, X, y)[0] / 2**20
    if name in ("random_over", "random_under"):
        # The floor for samplers that only copy rows: a bare numpy.take of the same rows.
        idx = samplers["balancekit"].sample_indices_
        takes = []
        for _ in range(repeats):
            gc.collect()
            start = time.perf_counter()
            X[idx] if sp.issparse(X) else np.take(X, idx, axis=0), np.take(np.asarray(y), idx)
            takes.append(time.perf_counter() - start)
        row["numpy_take_s"] = statistics.median(takes)
        row["vs_take"] = row["balancekit_median_s"] / row["numpy_take_s"]
    recall = getattr(samplers["balancekit"], "neighbors_recall_", None)
    if recall is not None:
        row["neighbors_recall"] = recall
    if same_rows:
        a = np.sort(samplers["balancekit"].sample_indices_)
        b = np.sort(samplers["imbalanced-learn"].sample_indices_)
        row["same_rows"] = bool(a.shape == b.shape and np.array_equal(a, b))
    return row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10k rows only")
    parser.add_argument("--full", action="store_true", help="the whole grid (long)")
    parser.add_argument("--samplers", default=None, help="comma-separated sampler names")
    parser.add_argument("--rows", default=None, help="comma-separated row counts")
    parser.add_argument("--features", default="20", help="comma-separated feature counts")
    parser.add_argument("--minority", default="0.1", help="comma-separated minority shares")
    parser.add_argument("--dtype", default="float64", help="float32, float64 or both (comma-separated)")
    parser.add_argument("--data", default="classification", choices=DATA_KINDS,
                        help="kind of data: binary make_classification (default), five classes, "
                        "integer features with many ties, sparse binary rows, a transactions-"
                        "like table with an unscaled amount, 0/1 flags, or that table with a few "
                        "outliers of huge amount")
    parser.add_argument("--frame", action="store_true",
                        help="give both libraries X as a pandas DataFrame (the usual container)")
    parser.add_argument("--text-labels", action="store_true",
                        help="give both libraries y as a pandas Series of text labels ('class_0', "
                        "'class_1', ...: object dtype, as pandas reads a text column)")
    parser.add_argument("--repeats", type=int, default=3, help="repetitions per library")
    parser.add_argument("--skip-reference-over", type=float, default=120.0,
                        help="run imbalanced-learn only once when one run takes longer (seconds)")
    parser.add_argument("--output", default=str(RESULTS / "latest"), help="output path without suffix")
    args = parser.parse_args(argv)

    rows = [10_000] if args.quick else [10_000, 100_000]
    features, minority, dtypes = [int(v) for v in args.features.split(",")], \
        [float(v) for v in args.minority.split(",")], args.dtype.split(",")
    if args.full:
        rows, features, minority, dtypes = [10_000, 100_000, 1_000_000], [20, 100], [0.1, 0.01], \
            ["float32", "float64"]
    if args.rows:
        rows = [int(v) for v in args.rows.split(",")]
    cases = _cases()
    if args.samplers:
        wanted = args.samplers.split(",")
        unknown = [w for w in wanted if w not in cases]
        if unknown:
            parser.error(f"unknown sampler(s) {unknown}; choose from {sorted(cases)}")
        cases = {k: cases[k] for k in wanted}

    global CATEGORICAL
    results = []
    for n_rows in rows:
        for n_features in features:
            for share in minority:
                for dtype in dtypes:
                    for name, factories in cases.items():
                        if args.data == "sparse" and (name.endswith("_approximate") or not
                                                      factories[0]().__sklearn_tags__()
                                                      .input_tags.sparse):
                            continue  # no sparse input; faiss indexes dense vectors only
                        n_cat = 5 if name == "smotenc" else 0
                        X, y = make_data(n_rows, n_features, share, dtype, n_cat, kind=args.data)
                        CATEGORICAL = list(range(n_features, n_features + n_cat))
                        if args.frame:
                            X = pd.DataFrame(X, columns=[f"x{j}" for j in range(X.shape[1])])
                        if args.text_labels:
                            y = pd.Series(np.char.add("class_", y.astype(str)), dtype=object)
                        row = run_case(name, factories, X, y, args.repeats, args.skip_reference_over)
                        row.update(rows=n_rows, features=n_features + n_cat, minority=share, dtype=dtype,
                                   data=args.data, container="DataFrame" if args.frame else "ndarray",
                                   labels="text" if args.text_labels else "integers")
                        results.append(row)
                        print(_format_row(row), flush=True)
    write(results, Path(args.output))


def _fmt(value, spec):
    return "-" if value is None else format(value, spec)


def _format_row(r):
    same = {True: "yes", False: "NO"}.get(r.get("same_rows"), "")
    if "vs_take" in r:
        same = f"{r['vs_take']:.2f}x numpy.take"
    if "neighbors_recall" in r:
        same = f"recall@k {r['neighbors_recall']:.3f}"
    return (f"| {r['sampler']} | {r['rows']:,} | {r['features']} | {r['minority']:g} | {r['dtype']} | "
            f"{_fmt(r['balancekit_median_s'], '.3f')} | {_fmt(r['imbalanced-learn_median_s'], '.3f')} | "
            f"{_fmt(r.get('speedup'), '.1f')}x | {_fmt(r.get('balancekit_peak_mb'), '.0f')} | "
            f"{_fmt(r.get('imbalanced-learn_peak_mb'), '.0f')} | {_fmt(r.get('output_mb'), '.0f')} | {same} |")


HEADER = ("| sampler | rows | features | minority | dtype | balancekit s | imbalanced-learn s | ratio | "
          "balancekit peak MB | imbalanced-learn peak MB | output MB | same rows / note |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|---|")


def write(results, output):
    import imblearn
    import sklearn

    import balancekit

    output.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "python": sys.version.split()[0], "platform": platform.platform(),
        "balancekit": balancekit.__version__, "imbalanced-learn": imblearn.__version__,
        "scikit-learn": sklearn.__version__, "numpy": np.__version__,
        "date": time.strftime("%Y-%m-%d"),
        "data": sorted({r.get("data", "classification") for r in results}),
        "container": sorted({r.get("container", "ndarray") for r in results}),
    }
    output.with_suffix(".json").write_text(json.dumps({"meta": meta, "results": results}, indent=2))
    lines = [f"Medians of the runs; ratio = imbalanced-learn time / balancekit time. {meta}", "",
             HEADER] + [_format_row(r) for r in results]
    output.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print(f"\nwrote {output.with_suffix('.md')} and {output.with_suffix('.json')}")


if __name__ == "__main__":
    main()
