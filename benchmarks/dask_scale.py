"""Time and peak memory of ``balancekit resample`` with and without ``--dask``.

Writes a synthetic Parquet data set (``--rows`` rows of ``--features`` float32 columns in
``--files`` files, ``--minority`` of them in the rare class), then runs the command on it,
each method with ``--dask`` and, unless ``--no-memory-run``, without, in fresh processes,
alternating, and reports the median wall time and the median peak resident memory of the
process (imbalanced-learn has no dask back end, so there is nothing to set beside it).

Usage::

    python benchmarks/dask_scale.py                        # 20M x 10, random_under and smote
    python benchmarks/dask_scale.py --rows 2000000 --methods random_under --repeats 3

Results go to benchmarks/results/dask-scale.md and dask-scale.json (``--output PATH``:
``PATH.md`` and ``PATH.json``). The data are written under a temporary directory,
removed at the end.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

RESULTS = Path(__file__).parent / "results"


def write_data(directory, rows, features, files, minority, seed=0):
    """The table: standard normal float32 columns, the rare rows shifted by 0.5."""
    rng = np.random.default_rng(seed)
    directory.mkdir()
    for i, part in enumerate(np.array_split(np.arange(rows), files)):
        X = rng.standard_normal((part.size, features), dtype=np.float32)
        y = (rng.random(part.size) < minority).astype(np.int8)
        X[y == 1] += 0.5
        table = pd.DataFrame(X, columns=[f"f{j}" for j in range(features)])
        table["label"] = y
        table.to_parquet(directory / f"part-{i:03d}.parquet", index=False)


def run_once(data, method, use_dask, scratch):
    """Wall time (s) and peak resident memory (bytes) of one command, in a fresh process."""
    output = scratch / f"out-{method}-{'dask' if use_dask else 'memory'}.parquet"
    command = [sys.executable, "-m", "balancekit", "resample", str(data), "--target", "label",
               "--method", method, "--output", str(output), "--force"]
    if use_dask:
        command.append("--dask")
    # The peak of this one child: wait4 reports the resources of the process it waits for.
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)  # Unix
    seconds = time.perf_counter() - start
    stderr = child.stderr.read().decode()
    child.stderr.close()
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr}")
    if output.is_dir():
        shutil.rmtree(output)
    else:
        output.unlink()
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, else KiB
    return seconds, usage.ru_maxrss * scale, stderr.strip().splitlines()[0]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--features", type=int, default=10)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--minority", type=float, default=0.01)
    parser.add_argument("--methods", default="random_under,smote")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--no-memory-run", action="store_true",
                        help="only the --dask runs (for tables larger than this machine's memory)")
    parser.add_argument("--output", type=Path, default=RESULTS / "dask-scale")
    args = parser.parse_args(argv)
    methods = args.methods.split(",")
    modes = [True] if args.no_memory_run else [True, False]
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        data = scratch / "data"
        write_data(data, args.rows, args.features, args.files, args.minority)
        size = sum(f.stat().st_size for f in data.iterdir())
        times = {(m, d): [] for m in methods for d in modes}
        memory = {(m, d): [] for m in methods for d in modes}
        summary = {}
        for _ in range(args.repeats):
            for method in methods:
                for use_dask in modes:
                    seconds, peak, line = run_once(data, method, use_dask, scratch)
                    times[method, use_dask].append(seconds)
                    memory[method, use_dask].append(peak)
                    summary[method] = line.split("; wrote")[0]
    records = [{"method": m, "dask": d, "seconds": statistics.median(times[m, d]),
                "peak_bytes": statistics.median(memory[m, d]), "runs": len(times[m, d]),
                "result": summary[m]}
               for m in methods for d in modes]
    header = (f"{args.rows:,} rows x {args.features} float32 features in {args.files} Parquet "
              f"files ({size / 2**20:,.0f} MiB), {args.minority:.0%} minority; median of "
              f"{args.repeats}; {platform.processor() or platform.machine()}, "
              f"Python {platform.python_version()}")
    lines = [f"# balancekit resample with and without --dask\n\n{header}\n",
             "| method | --dask | seconds | peak memory (GiB) |", "|---|---|---|---|"]
    lines += [f"| {r['method']} | {'yes' if r['dask'] else 'no'} | {r['seconds']:.2f} | "
              f"{r['peak_bytes'] / 2**30:.2f} |" for r in records]
    lines += ["", *[f"- {m}: {summary[m]}" for m in methods]]
    text = "\n".join(lines) + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    Path(f"{args.output}.md").write_text(text)
    Path(f"{args.output}.json").write_text(json.dumps(
        {"setup": header, "results": records}, indent=2) + "\n")
    print(text)


if __name__ == "__main__":
    main()
