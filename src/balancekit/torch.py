"""A PyTorch sampler that draws class-balanced epochs without copying the data.

This module needs PyTorch (``pip install balancekit[torch]``); importing
:mod:`balancekit` itself never imports PyTorch.
"""

import numpy as np

from ._strategy import resolve_targets
from ._validation import check_int, check_option, check_seed, check_target, unique_labels
from .exceptions import InvalidParameterError, InvalidParameterTypeError

try:
    import torch
    from torch.utils.data import Sampler
except ImportError as exc:  # pragma: no cover - exercised only without PyTorch
    raise ImportError(
        "balancekit.torch needs PyTorch, which is not installed. Install it with "
        "`pip install balancekit[torch]` (or see https://pytorch.org for your platform)."
    ) from exc

__all__ = ["BalancedSampler"]


def _labels_array(labels):
    """Class labels as a 1-D numpy array (accepts tensors, Series, lists, arrays)."""
    if hasattr(labels, "detach") and hasattr(labels, "cpu"):
        labels = labels.detach().cpu().numpy()
    return check_target(labels)


def _scale_counts(counts, total):
    """Scale ``counts`` to sum to ``total`` exactly (largest remainders get the extra ones)."""
    counts = np.asarray(counts, dtype=np.float64)
    exact = counts * (total / counts.sum())
    scaled = np.floor(exact).astype(np.int64)
    short = total - int(scaled.sum())
    if short:
        order = np.argsort(-(exact - scaled), kind="stable")
        scaled[order[:short]] += 1
    return scaled


class BalancedSampler(Sampler):
    """Yield dataset indices whose class counts follow a sampling strategy, fresh each epoch.

    Use it as the ``sampler`` of a :class:`torch.utils.data.DataLoader`: each
    epoch draws, for every class, the number of indices the strategy asks for
    (e.g. as many as the majority class for ``'auto'`` over-sampling) and
    shuffles them together. Only indices are drawn; the dataset is never
    copied or resampled in memory.

    Parameters
    ----------
    labels : array-like or tensor of shape (n_samples,)
        The class label of every item of the dataset, in dataset order.
    sampling_strategy : float, str, dict or callable, default='auto'
        The number of items of each class per epoch; see
        :func:`balancekit.resolve_sampling_strategy`. Classes the strategy
        leaves alone appear once each per epoch.
    kind : {'over-sampling', 'under-sampling'}, default='over-sampling'
        How the strategy is read: ``'auto'`` grows every class to the
        majority's size when over-sampling and shrinks every class to the
        minority's size when under-sampling.
    replacement : bool, default=True
        ``True``: the items of a class are drawn independently, with
        replacement. ``False``: as evenly as possible, each item of a class
        appears ``floor(count / n_class)`` or ``ceil(count / n_class)`` times
        (without replacement when shrinking a class).
    num_samples : int, default=None
        Items per epoch. ``None`` means the total the strategy gives; an int
        rescales the class counts to this total, keeping their proportions.
    random_state : int, RandomState instance or None, default=None
        Seeds the sampler's one generator; each epoch continues from where
        the previous one left off, so epochs differ but a seeded sampler
        replays the same sequence of epochs. ``None``: each epoch is seeded
        from PyTorch's random numbers instead (``generator``), as PyTorch's
        own samplers are, so ``torch.manual_seed`` makes a run reproducible.
    generator : torch.Generator, default=None
        With ``random_state=None``, the PyTorch generator each epoch takes its
        seed from; ``None`` means PyTorch's global one. Give ``random_state``
        or ``generator``, not both.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    sampling_strategy_ : dict
        ``{label: count}`` of the classes the strategy resamples.
    class_counts_ : dict
        ``{label: count}`` of items drawn per epoch, for every class.

    Examples
    --------
    >>> import torch
    >>> from torch.utils.data import DataLoader, TensorDataset
    >>> from balancekit.torch import BalancedSampler
    >>> y = torch.tensor([0] * 90 + [1] * 10)
    >>> dataset = TensorDataset(torch.randn(100, 3), y)
    >>> sampler = BalancedSampler(y, random_state=0)
    >>> len(sampler)
    180
    >>> loader = DataLoader(dataset, batch_size=30, sampler=sampler)
    >>> sum(int(yb.sum()) for _, yb in loader)
    90
    """

    def __init__(
        self,
        labels,
        *,
        sampling_strategy="auto",
        kind="over-sampling",
        replacement=True,
        num_samples=None,
        random_state=None,
        generator=None,
    ):
        self.labels = labels
        self.sampling_strategy = sampling_strategy
        self.kind = check_option("kind", kind, ("over-sampling", "under-sampling"))
        if not isinstance(replacement, (bool, np.bool_)):
            raise InvalidParameterTypeError(
                f"replacement must be True or False; got {replacement!r}."
            )
        self.replacement = bool(replacement)
        if num_samples is not None:
            num_samples = check_int("num_samples", num_samples, min_value=1)
        self.num_samples = num_samples
        self.random_state = random_state
        if generator is not None and not isinstance(generator, torch.Generator):
            raise InvalidParameterTypeError(
                f"generator must be a torch.Generator or None; got {type(generator).__name__}."
            )
        if generator is not None and random_state is not None:
            raise InvalidParameterError(
                "give random_state (a numpy seed) or generator (a torch.Generator), not both; "
                f"got random_state={random_state!r} and a generator."
            )
        self.generator = generator

        y = _labels_array(labels)
        self.classes_, codes = unique_labels(y, return_inverse=True)
        self.sampling_strategy_ = resolve_targets(sampling_strategy, y, kind)
        order = np.argsort(codes, kind="stable")
        bounds = np.cumsum(np.bincount(codes, minlength=self.classes_.shape[0]))[:-1]
        self._members = np.split(order, bounds)
        labels = [c.item() if isinstance(c, np.generic) else c for c in self.classes_]
        counts = [
            self.sampling_strategy_.get(label, members.shape[0])
            for label, members in zip(labels, self._members, strict=True)
        ]
        if num_samples is not None:
            if sum(counts) == 0:
                raise InvalidParameterError(
                    f"num_samples={num_samples} cannot rescale the class counts: "
                    f"sampling_strategy={sampling_strategy!r} draws no item of any class, so "
                    "there are no proportions to keep. Ask for at least one item of some class."
                )
            counts = _scale_counts(counts, num_samples)
        self._counts = np.asarray(counts, dtype=np.int64)
        # Classes the strategy leaves alone (and num_samples does not rescale): each item
        # once per epoch, whatever replacement says.
        self._whole = [label not in self.sampling_strategy_ and count == members.shape[0]
                       for label, count, members in zip(labels, self._counts, self._members,
                                                        strict=True)]
        self.class_counts_ = {
            label: int(count) for label, count in zip(labels, self._counts, strict=True)
        }
        self._rng = None if random_state is None else check_seed(random_state)

    def __len__(self):
        return int(self._counts.sum())

    def _epoch_rng(self):
        """The numpy generator of an epoch: the sampler's own, or one seeded from PyTorch's
        random numbers (as PyTorch's samplers seed their epochs)."""
        if self._rng is not None:
            return self._rng
        seed = torch.randint(0, 2**32, (), dtype=torch.int64, generator=self.generator)
        return np.random.RandomState(int(seed))

    def _draw(self, rng, members, count):
        if self.replacement:
            return members[rng.randint(0, members.shape[0], size=count)]
        full, rest = divmod(int(count), members.shape[0])
        parts = [members] * full
        if rest:
            parts.append(rng.choice(members, size=rest, replace=False))
        return np.concatenate(parts) if parts else members[:0]

    def __iter__(self):
        rng = self._epoch_rng()
        drawn = [
            members if whole else self._draw(rng, members, count)
            for members, count, whole in zip(self._members, self._counts, self._whole,
                                             strict=True)
        ]
        indices = np.concatenate(drawn)
        indices = indices[rng.permutation(indices.shape[0])]
        return iter(indices.tolist())

    def __repr__(self):
        return (
            f"{type(self).__name__}(n_items={sum(m.shape[0] for m in self._members)}, "
            f"sampling_strategy={self.sampling_strategy!r}, kind={self.kind!r}, "
            f"replacement={self.replacement}, num_samples={self.num_samples!r})"
        )
