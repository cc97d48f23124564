"""Benchmark balancekit against imbalanced-learn on tables shaped like public imbalanced sets.

The public benchmark sets of imbalanced learning (ecoli, optical digits, car
evaluation, thyroid, letter, ...) are mostly small tables of a few thousand rows, of
kinds the main grid (``run.py``) does not hold: integer pixel counts, one-hot
categories, flags next to an unscaled lab value. This script builds, offline, a
synthetic table of each one's shape (rows, columns, imbalance ratio) and kind of
columns -- not the data themselves -- and times both libraries on it, alternating,
median of the repetitions, with the ratio imbalanced-learn / balancekit and, for the
selection rules, whether both keep the same rows (ties between equally distant rows
may be broken differently: see the README).

Usage::

    python benchmarks/shapes.py                       # every shape (minutes)
    python benchmarks/shapes.py --shapes car_eval_34,thyroid_sick --samplers TomekLinks

Results go to benchmarks/results/shapes.md and shapes.json.
"""

import argparse
import importlib
import json
import platform
import statistics
import time
import warnings
from itertools import product
from pathlib import Path

import numpy as np
from sklearn.datasets import make_classification

RESULTS = Path(__file__).parent / "results"

#: name, rows, columns, imbalance ratio (majority / minority), kind of columns:
#: 'unit' continuous in [0, 1]; 'cont' continuous; 'int16' / 'int100' integers 0-16 / 0-100
#: (pixel and pen counts); 'binary' 0/1 flags; 'onehot' every combination of six categories
#: (4, 4, 4, 3, 3, 3 levels) one-hot encoded (21 columns, like the car evaluation set);
#: 'mixed' half flags, three counts, an age, continuous lab values and one unscaled value
#: with 3% outliers from 1e6 to 1e20 (a data error). Sparse binary rows like the webpage set
#: are measured by ``run.py --data sparse``.
SHAPES = [
    ("ecoli", 336, 7, 8.6, "unit"),
    ("optical_digits", 5620, 64, 9.1, "int16"),
    ("satimage", 6435, 36, 9.3, "int100"),
    ("pen_digits", 10992, 16, 9.4, "int100"),
    ("abalone", 4177, 10, 9.7, "cont"),
    ("sick_euthyroid", 3163, 42, 9.8, "mixed"),
    ("car_eval_34", 1728, 21, 12, "onehot"),
    ("isolet", 7797, 617, 12, "cont"),
    ("us_crime", 1994, 100, 12, "unit"),
    ("scene", 2407, 294, 13, "cont"),
    ("thyroid_sick", 3772, 52, 15, "mixed"),
    ("coil_2000", 9822, 85, 16, "int16"),
    ("solar_flare_m0", 1389, 32, 19, "binary"),
    ("wine_quality", 4898, 11, 26, "cont"),
    ("letter_img", 20000, 16, 26, "int16"),
    ("yeast_me2", 1484, 8, 28, "unit"),
    ("ozone_level", 2536, 72, 34, "cont"),
    ("mammography", 11183, 6, 42, "cont"),
    ("abalone_19", 4177, 10, 130, "cont"),
]

SAMPLERS = {
    "RandomOverSampler": "over_sampling", "RandomUnderSampler": "under_sampling",
    "SMOTE": "over_sampling", "ADASYN": "over_sampling", "BorderlineSMOTE": "over_sampling",
    "NearMiss": "under_sampling", "TomekLinks": "under_sampling",
    "EditedNearestNeighbours": "under_sampling", "RepeatedEditedNearestNeighbours": "under_sampling",
    "AllKNN": "under_sampling", "OneSidedSelection": "under_sampling",
    "NeighbourhoodCleaningRule": "under_sampling", "SMOTEENN": "combine", "SMOTETomek": "combine",
}
#: Selection rules: both libraries should keep the same rows.
RULES = {"NearMiss", "TomekLinks", "EditedNearestNeighbours", "RepeatedEditedNearestNeighbours",
         "AllKNN", "OneSidedSelection", "NeighbourhoodCleaningRule"}


def make_table(n_rows, n_columns, ratio, kind, seed=0):
    """A synthetic table of the given shape and kind of columns (see ``SHAPES``)."""
    rng = np.random.RandomState(seed)
    minority = 1.0 / (1.0 + ratio)
    if kind == "onehot":
        levels = [4, 4, 4, 3, 3, 3]
        codes = np.array(list(product(*[range(m) for m in levels])))
        X = np.hstack([np.eye(m)[codes[:, j]] for j, m in enumerate(levels)])
        score = codes @ rng.uniform(0.5, 1.5, len(levels)) + rng.normal(0, 0.5, len(codes))
        return X, (score > np.quantile(score, 1.0 - minority)).astype(int)
    informative = min(n_columns, max(2, n_columns // 3))
    X, y = make_classification(
        n_samples=n_rows, n_features=n_columns, n_informative=informative,
        n_redundant=min(n_columns - informative, n_columns // 5), weights=[1.0 - minority],
        flip_y=0.01, class_sep=0.8, random_state=seed,
    )
    span = X.max(axis=0) - X.min(axis=0) + 1e-9
    unit = (X - X.min(axis=0)) / span
    if kind == "unit":
        X = unit
    elif kind in ("int16", "int100"):
        X = np.round(unit * (16 if kind == "int16" else 100))
    elif kind == "binary":
        X = (X > 0.3).astype(float)
    elif kind == "mixed":
        half = n_columns // 2
        X[:, :half] = X[:, :half] > 0
        X[:, half:half + 3] = np.round(np.abs(X[:, half:half + 3]) * 10)
        X[:, half + 3] = np.round(unit[:, half + 3] * 90) + 1
        value = rng.lognormal(3.0, 1.0, n_rows)
        outliers = rng.random_sample(n_rows) < 0.03
        value[outliers] = 10.0 ** rng.uniform(6, 20, outliers.sum())
        X[:, -1] = value
    return X, y


def _sampler(library, name):
    cls = getattr(importlib.import_module(f"{library}.{SAMPLERS[name]}"), name)
    try:
        return cls(random_state=0)
    except TypeError:  # no random_state
        return cls()


def _run(library, name, X, y):
    sampler = _sampler(library, name)
    start = time.perf_counter()
    sampler.fit_resample(X, y)
    return time.perf_counter() - start, sampler


def measure(shape, names, repeats):
    """Median times of both libraries on one shape, alternating, and whether the rules agree."""
    X, y = make_table(*shape[1:])
    rows = []
    for name in names:
        times = {"balancekit": [], "imblearn": []}
        fitted = {}
        for _ in range(repeats):
            for library in times:
                elapsed, fitted[library] = _run(library, name, X, y)
                times[library].append(elapsed)
        ours, theirs = (statistics.median(times[lib]) for lib in times)
        same = None
        if name in RULES:
            same = bool(np.array_equal(np.sort(fitted["balancekit"].sample_indices_),
                                       np.sort(fitted["imblearn"].sample_indices_)))
        rows.append({"shape": shape[0], "rows": X.shape[0], "columns": X.shape[1],
                     "kind": shape[4], "sampler": name, "balancekit_s": ours,
                     "imbalanced_learn_s": theirs, "ratio": theirs / ours, "same_rows": same})
        print(f"{shape[0]:16s} {name:32s} {ours:8.4f} s {theirs:8.4f} s {theirs / ours:6.2f}x"
              f" {'' if same is None else ('same rows' if same else 'other rows')}", flush=True)
    return rows


def write(results, output):
    meta = {"python": platform.python_version(), "date": time.strftime("%Y-%m-%d")}
    for package in ("balancekit", "imblearn", "sklearn", "numpy"):
        meta[package] = importlib.import_module(package).__version__
    Path(f"{output}.json").write_text(json.dumps({"meta": meta, "results": results}, indent=1))
    lines = [f"Medians; ratio = imbalanced-learn time / balancekit time. {meta}", "",
             "| shape | rows x columns | kind | sampler | balancekit s | imbalanced-learn s "
             "| ratio | same rows |", "|---|---|---|---|---|---|---|---|"]
    for r in results:
        same = "" if r["same_rows"] is None else ("yes" if r["same_rows"] else "NO")
        lines.append(f"| {r['shape']} | {r['rows']:,} x {r['columns']} | {r['kind']} | "
                     f"{r['sampler']} | {r['balancekit_s']:.4f} | {r['imbalanced_learn_s']:.4f} | "
                     f"{r['ratio']:.2f}x | {same} |")
    ratios = [r["ratio"] for r in results]
    lines += ["", f"{len(ratios)} cases: median ratio {statistics.median(ratios):.2f}x, "
              f"{sum(x < 1 for x in ratios)} below 1x (min {min(ratios):.2f}x)."]
    Path(f"{output}.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {output}.md and {output}.json")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shapes", default=None, help="comma-separated shape names")
    parser.add_argument("--samplers", default=None, help="comma-separated sampler class names")
    parser.add_argument("--repeats", type=int, default=3, help="repetitions per library")
    parser.add_argument("--output", default=str(RESULTS / "shapes"),
                        help="output path without suffix")
    args = parser.parse_args(argv)
    names = args.samplers.split(",") if args.samplers else list(SAMPLERS)
    unknown = sorted(set(names) - set(SAMPLERS))
    if unknown:
        parser.error(f"--samplers: unknown {unknown}; choose among {sorted(SAMPLERS)}")
    shapes = SHAPES if not args.shapes else [s for s in SHAPES if s[0] in args.shapes.split(",")]
    if not shapes:
        parser.error(f"--shapes: none of {args.shapes!r}; choose among {[s[0] for s in SHAPES]}")
    warnings.filterwarnings("ignore")
    results = []
    for shape in shapes:
        results += measure(shape, names, args.repeats)
    write(results, args.output)


if __name__ == "__main__":
    main()
