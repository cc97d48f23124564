"""BalancedSampler: class-balanced epochs for a PyTorch DataLoader."""

import subprocess
import sys

import numpy as np
import pytest

from balancekit.exceptions import DataError, InvalidParameterError, InvalidParameterTypeError

torch = pytest.importorskip("torch")
from torch.utils.data import DataLoader, TensorDataset  # noqa: E402

from balancekit.torch import BalancedSampler  # noqa: E402

LABELS = np.array([0] * 60 + [1] * 25 + [2] * 5)


def _epoch_counts(sampler, labels=LABELS):
    indices = np.fromiter(iter(sampler), dtype=np.int64)
    return indices, np.bincount(labels[indices], minlength=3)


def test_importing_balancekit_does_not_import_torch():
    code = "import sys, balancekit, balancekit.ensemble, balancekit.calibration; "
    code += "print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, [60, 60, 60]),
        ({"kind": "under-sampling"}, [5, 5, 5]),
        ({"sampling_strategy": "minority"}, [60, 25, 60]),
        ({"sampling_strategy": {1: 40}}, [60, 40, 5]),
        ({"kind": "under-sampling", "sampling_strategy": {0: 10}}, [10, 25, 5]),
        ({"replacement": False}, [60, 60, 60]),
        ({"kind": "under-sampling", "replacement": False}, [5, 5, 5]),
    ],
)
def test_counts_per_epoch_follow_the_strategy(kwargs, expected):
    sampler = BalancedSampler(LABELS, random_state=0, **kwargs)
    assert len(sampler) == sum(expected)
    assert list(sampler.class_counts_.values()) == expected
    for _ in range(3):
        indices, counts = _epoch_counts(sampler)
        assert counts.tolist() == expected
        assert indices.min() >= 0 and indices.max() < LABELS.shape[0]


def test_num_samples_rescales_keeping_proportions():
    sampler = BalancedSampler(LABELS, num_samples=100, random_state=0)
    _, counts = _epoch_counts(sampler)
    assert len(sampler) == 100 and counts.sum() == 100
    assert counts.max() - counts.min() <= 1
    under = BalancedSampler(LABELS, sampling_strategy={1: 40}, num_samples=21, random_state=0)
    assert list(under.class_counts_.values()) == [12, 8, 1]  # 60:40:5 scaled to 21


def test_without_replacement_spreads_items_evenly():
    sampler = BalancedSampler(LABELS, replacement=False, random_state=0)
    indices, _ = _epoch_counts(sampler)
    repeats = np.bincount(indices, minlength=LABELS.shape[0])
    assert (repeats[LABELS == 0] == 1).all()  # the majority class appears once
    assert set(repeats[LABELS == 1]) <= {2, 3}  # 60 draws over 25 items
    assert (repeats[LABELS == 2] == 12).all()  # 60 draws over 5 items
    under = BalancedSampler(LABELS, kind="under-sampling", replacement=False, random_state=0)
    indices, _ = _epoch_counts(under)
    assert np.unique(indices).shape[0] == indices.shape[0]


def test_with_replacement_draws_independently():
    sampler = BalancedSampler(LABELS, kind="under-sampling", random_state=0)
    # 5 draws out of 60 with replacement repeat an item sometimes; without, never.
    repeated = 0
    for _ in range(200):
        indices, _ = _epoch_counts(sampler)
        majority = indices[LABELS[indices] == 0]
        repeated += np.unique(majority).shape[0] < majority.shape[0]
    assert 0 < repeated < 200


@pytest.mark.parametrize("kind, alone", [("over-sampling", 0), ("under-sampling", 2)])
@pytest.mark.parametrize("replacement", [True, False])
def test_classes_left_alone_appear_once_each(kind, alone, replacement):
    # The majority when growing, the minority when shrinking: every item once per epoch.
    sampler = BalancedSampler(LABELS, kind=kind, replacement=replacement, random_state=0)
    assert alone not in sampler.sampling_strategy_
    for _ in range(3):
        indices, _ = _epoch_counts(sampler)
        np.testing.assert_array_equal(np.sort(indices[LABELS[indices] == alone]),
                                      np.flatnonzero(LABELS == alone))


def test_epochs_differ_and_seeds_reproduce():
    a = BalancedSampler(LABELS, random_state=7)
    b = BalancedSampler(LABELS, random_state=7)
    c = BalancedSampler(LABELS, random_state=8)
    epochs_a = [list(a) for _ in range(3)]
    epochs_b = [list(b) for _ in range(3)]
    assert epochs_a == epochs_b
    assert epochs_a[0] != epochs_a[1] != epochs_a[2]
    assert list(c) != epochs_a[0]
    # Classes are shuffled together, not yielded one block after the other.
    first = LABELS[np.array(epochs_a[0][:30])]
    assert len(set(first.tolist())) == 3


def test_without_random_state_torch_seeds_the_epochs():
    # As PyTorch's own samplers: torch.manual_seed (or a torch.Generator) replays a run,
    # which numpy's global seed alone did not.
    torch.manual_seed(3)
    first = [list(BalancedSampler(LABELS)) for _ in range(2)]
    torch.manual_seed(3)
    again = [list(BalancedSampler(LABELS)) for _ in range(2)]
    assert first == again and first[0] != first[1]
    seeded = [list(BalancedSampler(LABELS, generator=torch.Generator().manual_seed(5)))
              for _ in range(2)]
    assert seeded[0] == seeded[1] != first[0]
    sampler = BalancedSampler(LABELS, generator=torch.Generator().manual_seed(5))
    assert list(sampler) == seeded[0] and list(sampler) != seeded[0]  # epochs differ
    assert _epoch_counts(sampler)[1].tolist() == [60, 60, 60]


def test_dataloader_integration_with_tensor_labels():
    X = torch.arange(LABELS.shape[0], dtype=torch.float32).reshape(-1, 1)
    y = torch.as_tensor(LABELS)
    dataset = TensorDataset(X, y)
    sampler = BalancedSampler(y, random_state=0)
    loader = DataLoader(dataset, batch_size=16, sampler=sampler)
    seen_labels, seen_rows = [], []
    for xb, yb in loader:
        assert xb.shape[0] <= 16
        seen_rows.append(xb[:, 0].long())
        seen_labels.append(yb)
    rows = torch.cat(seen_rows).numpy()
    labels = torch.cat(seen_labels).numpy()
    np.testing.assert_array_equal(LABELS[rows], labels)  # rows and labels stay paired
    assert np.bincount(labels).tolist() == [60, 60, 60]
    assert len(loader) == int(np.ceil(180 / 16))


def test_string_labels_and_lists():
    labels = ["spam"] * 8 + ["ham"] * 2
    sampler = BalancedSampler(labels, sampling_strategy={"ham": 6}, random_state=0)
    picked = [labels[i] for i in sampler]
    assert picked.count("ham") == 6 and picked.count("spam") == 8


def test_errors():
    with pytest.raises(InvalidParameterError, match="kind"):
        BalancedSampler(LABELS, kind="both")
    with pytest.raises(InvalidParameterTypeError, match="replacement"):
        BalancedSampler(LABELS, replacement="no")
    with pytest.raises(InvalidParameterError, match="num_samples=0"):
        BalancedSampler(LABELS, num_samples=0)
    with pytest.raises(InvalidParameterError, match="sampling_strategy"):
        BalancedSampler(LABELS, sampling_strategy={1: 10})  # over-sampling cannot shrink
    with pytest.raises(DataError, match="class"):
        BalancedSampler([1, 1, 1])
    with pytest.raises(InvalidParameterTypeError, match="generator must be a torch.Generator"):
        BalancedSampler(LABELS, generator=np.random.default_rng(0))
    with pytest.raises(InvalidParameterError, match="not both"):
        BalancedSampler(LABELS, random_state=0, generator=torch.Generator())


def test_num_samples_with_a_strategy_that_draws_nothing_is_a_clear_error():
    # Was accepted, then len() failed with "__len__() should return >= 0" (0/0 counts).
    nothing = {0: 0, 1: 0, 2: 0}
    with pytest.raises(InvalidParameterError, match="num_samples=10 cannot rescale"):
        BalancedSampler(LABELS, kind="under-sampling", sampling_strategy=nothing, num_samples=10)
    empty = BalancedSampler(LABELS, kind="under-sampling", sampling_strategy=nothing)
    assert len(empty) == 0 and list(empty) == []
