"""Data sets: the built-in card-transactions demo data and ``make_imbalance``."""

from ._demo import demo_data_path, load_transactions
from ._imbalance import make_imbalance

__all__ = ["demo_data_path", "load_transactions", "make_imbalance"]
