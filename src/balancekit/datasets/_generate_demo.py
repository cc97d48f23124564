"""Build the card-transactions demo data file from a fixed seed.

Run ``python -m balancekit.datasets._generate_demo`` to rebuild
``balancekit/datasets/data/transactions.csv.gz``; the output is the same on
every run, byte for byte. ``--output PATH`` writes elsewhere.
"""

import argparse
import gzip
import io
from pathlib import Path

import numpy as np
import pandas as pd

from ._demo import (
    COUNTRIES,
    DATA_FILE,
    DEVICE_TYPES,
    FEATURES,
    MERCHANT_CATEGORIES,
    SCHEMA,
    TARGET,
)

SEED = 20240611
N_SAMPLES = 6000
N_FRAUD = 180

# Share of payments by local hour: quiet at night, peaks at lunch and early evening.
_HOUR_WEIGHTS = np.array(
    [1.2, 0.8, 0.5, 0.4, 0.4, 0.6, 1.5, 3.0, 4.5, 5.0, 5.5, 6.5,
     7.5, 7.0, 6.0, 5.5, 5.8, 6.5, 7.0, 6.5, 5.0, 3.8, 2.6, 1.8]
)  # fmt: skip
# merchant category -> (share in store, share online, log-amount mean, fraud log-odds)
_CATEGORIES = {
    "grocery": (0.34, 0.08, 3.4, -0.6),
    "restaurant": (0.26, 0.05, 3.3, -0.5),
    "fuel": (0.18, 0.00, 3.7, 0.1),
    "entertainment": (0.10, 0.17, 3.6, 0.0),
    "online_retail": (0.00, 0.40, 3.9, 0.3),
    "electronics": (0.08, 0.18, 4.8, 0.8),
    "travel": (0.04, 0.12, 5.2, 0.5),
}
_COUNTRY_SHARES = np.array([0.87, 0.05, 0.03, 0.025, 0.015, 0.01])


def generate_transactions(*, n_samples=N_SAMPLES, n_fraud=N_FRAUD, seed=SEED):
    """Generate the demo table of card payments with a rare fraud target.

    Parameters
    ----------
    n_samples : int, default=6000
        Number of payments.
    n_fraud : int, default=180
        Number of fraudulent payments (exact).
    seed : int, default=20240611
        Seed of the random generator; the same seed gives the same table.

    Returns
    -------
    frame : pandas.DataFrame of shape (n_samples, 12)
        The features and the ``is_fraud`` column, with the dtypes of
        :func:`balancekit.datasets.load_transactions`.
    """
    rng = np.random.default_rng(seed)
    n = n_samples

    online = rng.random(n) < 0.32
    # A few offline payments are card-not-present (phone and mail orders).
    card_present = ~online & (rng.random(n) < 0.96)

    shares = np.array([v[:2] for v in _CATEGORIES.values()])
    store_p, web_p = shares[:, 0] / shares[:, 0].sum(), shares[:, 1] / shares[:, 1].sum()
    n_cat = len(MERCHANT_CATEGORIES)
    category = np.where(
        online, rng.choice(n_cat, size=n, p=web_p), rng.choice(n_cat, size=n, p=store_p)
    )
    log_mean = np.array([v[2] for v in _CATEGORIES.values()])[category]
    cat_risk = np.array([v[3] for v in _CATEGORIES.values()])[category]

    country = rng.choice(len(COUNTRIES), size=n, p=_COUNTRY_SHARES)
    foreign = country != 0

    web_device = rng.choice([1, 2, 3], size=n, p=[0.58, 0.34, 0.08])
    device = np.where(card_present, 0, web_device)

    amount = np.round(rng.lognormal(log_mean, 0.85), 2)
    amount = np.maximum(amount, 0.5)
    distance = np.where(
        foreign,
        rng.lognormal(7.6, 0.5, size=n),
        rng.lognormal(1.9, 1.2, size=n),
    )
    distance = np.round(np.minimum(distance, 15000.0), 2)
    hours_since = np.round(rng.gamma(0.8, 22.0, size=n), 2)
    hour = rng.choice(24, size=n, p=_HOUR_WEIGHTS / _HOUR_WEIGHTS.sum())
    # Most accounts are years old; a few were opened in the last three months.
    account_age = np.where(
        rng.random(n) < 0.08,
        rng.integers(1, 91, size=n),
        np.minimum(np.floor(rng.gamma(1.6, 600.0, size=n)).astype(np.int64) + 30, 7300),
    )
    # The previous payment counts in the last 24 hours when it is that recent.
    n_txn = np.where(hours_since < 24.0, 1 + rng.poisson(1.2, size=n), 0)

    # Fraud log-odds: partly linear, partly not, plus unobserved noise for overlap.
    log_amount = np.log(amount)
    night = (hour <= 5).astype(float)
    logit = (
        cat_risk
        + 1.0 * ~card_present
        + 0.45 * (log_amount - 3.8)
        + 0.6 * np.maximum(log_amount - 5.5, 0.0) * online
        + 1.8 * night
        + 0.8 * foreign
        + 0.6 * (~foreign & (distance > 60.0))
        + 2.2 * np.exp(-account_age / 40.0)
        + 0.6 * np.maximum(n_txn - 2, 0)
        + 0.9 * np.exp(-hours_since / 0.4)
        + rng.normal(0.0, 0.7, size=n)
    )
    # Draw exactly n_fraud payments, each with a chance that grows with its odds.
    weights = np.exp(logit - logit.max())
    fraud = np.zeros(n, dtype=np.int64)
    fraud[rng.choice(n, size=n_fraud, replace=False, p=weights / weights.sum())] = 1

    # Missing values: location not always known, device not always recorded.
    distance[rng.random(n) < 0.03] = np.nan
    device_missing = rng.random(n) < 0.02

    frame = pd.DataFrame(
        {
            "amount": amount,
            "distance_from_home_km": distance,
            "hours_since_last_txn": hours_since,
            "hour_of_day": hour.astype(np.int64),
            "account_age_days": account_age,
            "n_txn_last_24h": n_txn.astype(np.int64),
            "card_present": card_present,
            "online": online,
            "merchant_category": np.asarray(MERCHANT_CATEGORIES, dtype=object)[category],
            "country": np.asarray(COUNTRIES, dtype=object)[country],
            "device_type": np.where(
                device_missing, None, np.asarray(DEVICE_TYPES, dtype=object)[device]
            ),
            TARGET: fraud,
        }
    )
    frame = frame.astype(SCHEMA)
    return frame[[*FEATURES, TARGET]]


def to_csv_bytes(frame):
    """Encode the table as gzip-compressed CSV bytes, identical on every run."""
    out = frame.copy()
    for name in ("card_present", "online"):
        out[name] = out[name].astype(np.int64)
    text = out.to_csv(index=False, float_format="%.2f", lineterminator="\n")
    buffer = io.BytesIO()
    # Fixed header (no file name, mtime 0) so the bytes do not depend on when they were built.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))
    return buffer.getvalue()


def write_transactions(path):
    """Generate the demo table and write it to ``path`` as a gzip-compressed CSV.

    Parameters
    ----------
    path : str or os.PathLike
        Where to write the file.

    Returns
    -------
    path : pathlib.Path
        The path written.
    """
    path = Path(path)
    path.write_bytes(to_csv_bytes(generate_transactions()))
    return path


def main(argv=None):
    """Command-line entry point: rebuild the shipped demo data file."""
    parser = argparse.ArgumentParser(
        prog="python -m balancekit.datasets._generate_demo",
        description="Rebuild the card-transactions demo data file.",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=Path(__file__).resolve().parent / "data" / DATA_FILE,
        help="file to write (default: the file shipped in the package)",
    )
    args = parser.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    path = write_transactions(args.output)
    print(f"wrote {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
