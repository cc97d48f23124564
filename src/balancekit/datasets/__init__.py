"""Data sets: the built-in card-transactions demo data, imbalanced-learn's benchmark data
sets (``fetch_datasets``, downloaded once and cached) and ``make_imbalance``."""

from ._demo import demo_data_path, load_transactions
from ._imbalance import make_imbalance
from ._zenodo import fetch_datasets

__all__ = ["demo_data_path", "fetch_datasets", "load_transactions", "make_imbalance"]
