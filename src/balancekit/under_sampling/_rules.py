"""The cleaning rules on top of the exact searches of :mod:`balancekit._exact`.

Each rule asks only what it needs: Tomek links the nearest row of another
class of the rows outside the largest class, edited nearest neighbours
whether enough rows of a row's class are nearer than its nearest rows of
other classes, and so on (see each function).

Data of few features are searched with a k-d tree (``points.tree``), which
finds the nearest rows of every row cheaply but is slow to find rows of
another class far away: there the rules decide from each row's nearest
rows among all the rows present, which give the same results.
"""

from collections import Counter

import numpy as np
from sklearn.base import clone

from .._exact import count_closer, nearest_across, top_k
from .._neighbors import kneighbors
from .._validation import check_not_a_class, unique_labels
from ..exceptions import DataError, InvalidParameterTypeError

# --------------------------------------------------------------------------- rules given


def cleaning_rule(name, given, default, expected):
    """A cleaning rule given as parameter ``name`` (of a combined sampler, or of the
    neighbourhood cleaning rule): a clone of the one given, or ``default``."""
    if given is None:
        return default
    check_not_a_class(name, given, expected)
    over_sampler = getattr(given, "_sampling_type", None) == "over-sampling"
    if not hasattr(given, "fit_resample") or over_sampler:
        raise InvalidParameterTypeError(
            f"{name} must be {expected} (or another sampler with fit_resample that keeps rows, "
            f"setting sample_indices_); got {given!r} of type {type(given).__name__}."
        )
    return clone(given)


def rows_kept(name, sampler, X, y):
    """The rows of ``(X, y)`` (increasing) that a cleaning rule given by the user keeps."""
    sampler.fit_resample(X, y)
    kept = getattr(sampler, "sample_indices_", None)
    if kept is None:
        raise InvalidParameterTypeError(
            f"{name} must keep rows of its input and list them in sample_indices_, as "
            f"balancekit's cleaning rules do; {type(sampler).__name__} sets no sample_indices_ "
            "(it makes new rows)."
        )
    return np.sort(np.asarray(kept, dtype=np.intp))


# --------------------------------------------------------------------------- rules


def check_enough(name, k, n_rows, extra=1):
    """Raise when ``k`` neighbours (plus the row itself) cannot be found among ``n_rows``."""
    if k + extra > n_rows:
        raise DataError(
            f"{name}={k} needs at least {k + extra} samples, but only {n_rows} are available. "
            f"Use a smaller {name}."
        )


def other_bound(points, queries, others, t, *, n_jobs=None):
    """Squared distance and index of the ``t``-th nearest row of ``others``.

    ``inf`` and ``-1`` where ``others`` has fewer than ``t`` rows.
    """
    d, i = top_k(points, queries, others, t, n_jobs=n_jobs)
    return d[:, t - 1], i[:, t - 1]


class OtherBounds:
    """Nearest rows of the other classes, kept across removals of rows.

    Each query row keeps a list of its ``size`` nearest rows of the other
    classes. While at least ``t`` of them are still present, the ``t``-th
    present one is the ``t``-th nearest among the remaining rows (the rows
    left are a subset of those searched), so no new search is needed.
    """

    def __init__(self, points, codes, size, n_jobs=None):
        self.points = points
        self.codes = codes
        self.size = size
        self.n_jobs = n_jobs
        self.idx = np.full((points.n, size), -2, dtype=np.intp)
        self.sq = np.full((points.n, size), np.inf)

    def bound(self, queries, code, alive_mask, t):
        """Bound (squared distance, index) of each query of class ``code``."""
        L = self.idx[queries]
        present = (L >= 0) & alive_mask[np.maximum(L, 0)]
        n_present = present.sum(axis=1)
        redo = (L[:, 0] == -2) | ((n_present < t) & (L[:, -1] >= 0))
        if redo.any():
            rows = queries[redo]
            others = np.flatnonzero(alive_mask & (self.codes != code))
            d, i = top_k(self.points, rows, others, self.size, n_jobs=self.n_jobs)
            self.idx[rows] = i
            self.sq[rows] = d
            L = self.idx[queries]
            present = (L >= 0) & alive_mask[np.maximum(L, 0)]
            n_present = present.sum(axis=1)
        at = np.argmax(present & (np.cumsum(present, axis=1) == t), axis=1)
        has = n_present >= t
        rows = np.arange(queries.size)
        b_sq = np.where(has, self.sq[queries[rows], at], np.inf)
        b_idx = np.where(has, L[rows, at], -1)
        return b_sq, b_idx


def edit_need(k, kind_sel):
    """``(need, t)`` of the edited-nearest-neighbours rule (see :func:`edited_removed`)."""
    if kind_sel == "all":
        return k, 1
    need = k // 2 + 1
    return need, k - need + 1


def edited_removed(points, codes, n_classes, alive, clean, k, kind_sel, *, state=None,
                   bounds=None, n_jobs=None):
    """Rows that the edited-nearest-neighbours rule removes.

    A row of a class in ``clean`` is removed when its ``k`` nearest remaining
    rows are not all of its class (``kind_sel='all'``), or when its class is
    not their most common one (``'mode'``; ties to the smallest label).

    It is decided without the full neighbour lists: a row is kept for sure
    when at least ``need`` rows of its own class are nearer than its ``t``-th
    nearest row of another class (``'all'``: ``need = k, t = 1``; ``'mode'``:
    a strict majority, ``need = k // 2 + 1, t = k - need + 1``). Only the
    other rows (``'mode'``, several classes or an even ``k``) get their full
    list of neighbours.

    Parameters
    ----------
    points : Points
    codes : ndarray of int
        Class code of every row.
    n_classes : int
    alive : ndarray of int
        The rows present, in increasing order.
    clean : iterable of int
        Codes of the classes that may lose rows.
    k : int
    kind_sel : {'all', 'mode'}
    state : EditState or NeighbourLists, default=None
        What earlier rounds on the same data found (repeated rules): the
        nearest rows of other classes and the witnesses of the kept rows
        (``NeighbourLists`` when ``points.tree``: the nearest rows of each
        row), checked against the rows present instead of searched again.
    bounds : dict, default=None
        ``{code: (sq_dist, idx)}``: the ``t``-th nearest row of another class
        for each row of class ``code`` (in the order of ``alive``), already
        found by the caller.
    n_jobs : int, default=None

    Returns
    -------
    removed : ndarray of int
        Rows removed, in increasing order.
    """
    check_enough("n_neighbors", k, alive.size)
    alive_mask = np.zeros(points.n, dtype=bool)
    alive_mask[alive] = True
    alive_codes = codes[alive]
    if points.tree:
        members = alive[np.isin(alive_codes, list(clean))]
        if state is None:
            _, nb = top_k(points, members, alive, k, n_jobs=n_jobs)
        else:
            nb = state.nearest(members, alive, alive_mask, k)
        own = codes[members]
        if kind_sel == "all":
            wrong = (codes[nb] != own[:, None]).any(axis=1)
        else:
            wrong = vote(codes[nb], n_classes) != own
        return members[wrong]
    need, t = edit_need(k, kind_sel)
    removed = []
    bounds = {} if bounds is None else bounds
    present = np.unique(alive_codes)
    if state is None and not bounds and present.size == 2 and set(present.tolist()) <= set(clean):
        # Two classes, both cleaned: one pass over the pairs gives both sides.
        A, B = (alive[alive_codes == code] for code in present)
        sides = nearest_across(points, A, B, k_a=t, k_b=t, n_jobs=n_jobs)
        bounds = {code: (sq[:, t - 1], idx[:, t - 1])
                  for code, (sq, idx) in zip(present, sides, strict=True)}
    for code in clean:
        members = alive[alive_codes == code]
        if members.size == 0:
            continue
        if state is not None:
            counts = state.counts(members, code, alive_mask, t, need)
        else:
            if code in bounds:
                b_sq, b_idx = bounds[code]
            else:
                b_sq, b_idx = other_bound(points, members, alive[alive_codes != code], t,
                                          n_jobs=n_jobs)
            counts = count_closer(points, members, members, b_sq, b_idx, need, n_jobs=n_jobs)
        undecided = members[counts < need]
        if kind_sel == "all" or undecided.size == 0 or (present.size == 2 and k % 2 == 1):
            # Fewer than a strict majority of the class: with two classes and
            # an odd k the other class is the most common.
            removed.append(undecided)
            continue
        _, nb = top_k(points, undecided, alive, k, n_jobs=n_jobs)
        removed.append(undecided[vote(codes[nb], n_classes) != code])
    return np.sort(np.concatenate(removed)) if removed else np.empty(0, dtype=np.intp)


class EditState:
    """What the edited-nearest-neighbours rule learnt about each row, kept across rounds.

    A row is kept for sure when ``need`` rows of its class are nearer than its
    bound (its ``t``-th nearest row of another class). A few of the rows found
    nearer (its witnesses) are kept: while ``need`` of them remain, the row is
    still kept for sure, since removing rows only moves its bound farther. A
    row found short of ``need`` keeps its count, which cannot grow while its
    bound stays. Only the rows these two facts do not decide are searched
    again.

    Parameters
    ----------
    points : Points
    codes : ndarray of int
    kind_sel : {'all', 'mode'}
    k_max : int
        Largest neighbourhood of the rounds.
    n_jobs : int, default=None
    """

    def __init__(self, points, codes, kind_sel, k_max, n_jobs=None):
        self.points = points
        self.codes = codes
        self.n_jobs = n_jobs
        self.need_max, t_max = edit_need(k_max, kind_sel)
        self.bounds = OtherBounds(points, codes, t_max, n_jobs=n_jobs)
        n = points.n
        self.width = self.need_max + 3
        self.witness = np.full((n, self.width), -1, dtype=np.intp)
        self.short = np.zeros(n, dtype=bool)
        self.count = np.zeros(n, dtype=np.intp)
        self.bound_idx = np.full(n, -2, dtype=np.intp)

    def counts(self, members, code, alive_mask, t, need):
        """Counts of the rows ``members`` of class ``code``: exact below ``need``."""
        b_sq, b_idx = self.bounds.bound(members, code, alive_mask, t)
        W = self.witness[members]
        alive_w = ((W >= 0) & alive_mask[np.maximum(W, 0)]).sum(axis=1)
        # Witnesses left: a lower bound of the count. A count found short
        # with the same bound: an upper bound (rows only go away).
        upper = np.where(self.short[members] & (self.bound_idx[members] == b_idx),
                         self.count[members], np.iinfo(np.intp).max)
        counts = np.where(alive_w >= need, alive_w, upper)
        redo = (alive_w < need) & (upper >= need)
        if redo.any():
            rows = members[redo]
            goal = max(need, self.need_max)
            found, wit = count_closer(
                self.points, rows, members, b_sq[redo], b_idx[redo], goal,
                witnesses=self.width, n_jobs=self.n_jobs,
            )
            self.witness[rows] = wit
            self.short[rows] = found < goal
            self.count[rows] = found
            self.bound_idx[rows] = b_idx[redo]
            counts[redo] = found
        return counts


class NeighbourLists:
    """The nearest rows of each row, kept across removals of rows (data of few features).

    Each searched row keeps a list of its ``size`` nearest rows present at
    the time. Rows only go away: while ``k`` of them are still present, the
    first ``k`` present are its ``k`` nearest among the remaining rows, and
    only the other rows are searched again.

    Parameters
    ----------
    points : Points
    size : int
        Rows kept in each list: the largest neighbourhood of the rounds, or more.
    n_jobs : int, default=None
    """

    def __init__(self, points, size, n_jobs=None):
        self.points = points
        self.size = size
        self.n_jobs = n_jobs
        self.idx = np.full((points.n, size), -2, dtype=np.intp)

    def nearest(self, queries, alive, alive_mask, k):
        """The ``k`` nearest rows of ``alive`` of each query (a row of ``alive``, not its own)."""
        L = self.idx[queries]
        present = (L >= 0) & alive_mask[np.maximum(L, 0)]
        # A list shorter than ``size`` (-1 pads) held every other row.
        redo = (L[:, 0] == -2) | ((present.sum(axis=1) < k) & (L[:, -1] >= 0))
        if redo.any():
            rows = queries[redo]
            _, self.idx[rows] = top_k(self.points, rows, alive, self.size, n_jobs=self.n_jobs)
            L = self.idx[queries]
            present = (L >= 0) & alive_mask[np.maximum(L, 0)]
        first = np.argsort(~present, axis=1, kind="stable")[:, :k]
        return np.take_along_axis(L, first, axis=1)


def tomek_removed(points, codes, alive, clean, *, pinned=None, nearest=None, n_jobs=None):
    """Rows of the classes in ``clean`` that belong to a Tomek link.

    A Tomek link is a pair of rows of different classes that are each other's
    nearest neighbour. Every link has a row outside the largest class, so only
    those rows are searched: first their nearest row of another class, then
    whether a row of their own class is nearer (a search that stops at the
    first one found). The rows they point to are then checked the same way.

    Parameters
    ----------
    points : Points
    codes : ndarray of int
    alive : ndarray of int
        The rows present, in increasing order.
    clean : iterable of int
        Codes of the classes that may lose rows.
    pinned : ndarray of int, default=None
        Rows that are never part of a link (they stand for rows present
        twice, whose nearest neighbour is their copy).
    nearest : tuple of two ndarrays of shape (n,), default=None
        Squared distance and index of each row's nearest row of the other
        class among a superset of ``alive`` (index ``-1``: not known); only
        for two classes. Where that row is still present it is the nearest,
        and the row is not searched again.
    n_jobs : int, default=None

    Returns
    -------
    removed : ndarray of int
        Rows removed, in increasing order.
    """
    clean = np.asarray(list(clean), dtype=np.intp)
    empty = np.empty(0, dtype=np.intp)
    if alive.size < 2 or clean.size == 0:
        return empty
    alive_codes = codes[alive]
    present, sizes = np.unique(alive_codes, return_counts=True)
    if present.size < 2:
        return empty
    largest = present[np.argmax(sizes)]
    pinned = empty if pinned is None else np.asarray(pinned, dtype=np.intp)
    if points.tree:
        return _tree_tomek(points, codes, alive, alive_codes != largest, clean, pinned, n_jobs)
    # For each searched row: its nearest row, when that row is of another class.
    cross = np.full(points.n, -1, dtype=np.intp)
    cross_sq = np.full(points.n, np.inf)
    searched = np.zeros(points.n, dtype=bool)
    for code in present:
        if code == largest:
            continue
        rows = alive[alive_codes == code]
        rows = rows[~np.isin(rows, pinned)]
        searched[rows] = True
        if rows.size == 0:
            continue
        sq, nn = _nearest_other(points, rows, alive, alive_codes != code, nearest, n_jobs)
        own_class = alive[alive_codes == code]
        nearer = count_closer(points, rows, own_class, sq, nn, 1, n_jobs=n_jobs)
        hit = (nearer == 0) & (nn >= 0)
        cross[rows[hit]] = nn[hit]
        cross_sq[rows[hit]] = sq[hit]
    cand = np.flatnonzero(cross >= 0)
    partner = cross[cand]
    linked = np.zeros(cand.size, dtype=bool)
    # Partners searched above: linked when they point back.
    known = searched[partner]
    linked[known] = cross[partner[known]] == cand[known]
    # Partners of the largest class: their nearest row can only be the
    # nearest of the rows pointing at them, and only if nothing is nearer.
    unknown = np.flatnonzero(~known & ~np.isin(partner, pinned))
    if unknown.size:
        order = np.lexsort((cand[unknown], cross_sq[cand[unknown]], partner[unknown]))
        ordered = unknown[order]
        first = np.r_[True, partner[ordered][1:] != partner[ordered][:-1]]
        best = ordered[first]
        nearer = count_closer(points, partner[best], alive, cross_sq[cand[best]], cand[best], 1,
                              n_jobs=n_jobs)
        linked[best[nearer == 0]] = True
    ends = np.unique(np.concatenate([cand[linked], partner[linked]]))
    return ends[np.isin(codes[ends], clean)]


def _tree_tomek(points, codes, alive, outside, clean, pinned, n_jobs):
    """:func:`tomek_removed` from nearest rows among all those present (``points.tree``).

    The rows ``alive[outside]`` (outside the largest class) get their
    nearest row; where it is of another class, that row's own nearest row
    tells whether the pair is a link.
    """
    rows = alive[outside]
    nearest = np.full(points.n, -1, dtype=np.intp)
    nearest[rows] = top_k(points, rows, alive, 1, n_jobs=n_jobs)[1][:, 0]
    cand = rows[codes[nearest[rows]] != codes[rows]]
    partner = nearest[cand]
    unknown = np.unique(partner[nearest[partner] < 0])
    if unknown.size:
        nearest[unknown] = top_k(points, unknown, alive, 1, n_jobs=n_jobs)[1][:, 0]
    linked = (nearest[partner] == cand) & ~np.isin(cand, pinned) & ~np.isin(partner, pinned)
    ends = np.unique(np.concatenate([cand[linked], partner[linked]]))
    return ends[np.isin(codes[ends], clean)]


def _nearest_other(points, rows, alive, other, nearest, n_jobs):
    """Nearest row of ``alive[other]`` for each of ``rows``: from ``nearest`` where it is present."""
    sq = np.full(rows.size, np.inf)
    nn = np.full(rows.size, -1, dtype=np.intp)
    todo = np.ones(rows.size, dtype=bool)
    if nearest is not None:
        present = np.zeros(points.n, dtype=bool)
        present[alive[other]] = True
        known_sq, known = nearest[0][rows], nearest[1][rows]
        hit = (known >= 0) & present[np.maximum(known, 0)]
        sq[hit], nn[hit] = known_sq[hit], known[hit]
        todo = ~hit
    if todo.any():
        found_sq, found = top_k(points, rows[todo], alive[other], 1, n_jobs=n_jobs)
        sq[todo], nn[todo] = found_sq[:, 0], found[:, 0]
    return sq, nn


# --------------------------------------------------------------------------- labels


def encode(y):
    """Integer class codes of ``y`` in sorted label order, and the labels."""
    labels, codes = unique_labels(y, return_inverse=True)
    return codes.astype(np.intp), labels


def py(label):
    """A numpy scalar label as the matching Python scalar."""
    return label.item() if isinstance(label, np.generic) else label


def minority_label(y):
    """The smallest class; among equally small ones, the one seen first in ``y``."""
    counts = Counter(y.tolist())
    return min(counts, key=counts.get)


def label_codes(labels, wanted):
    """Codes (positions in ``labels``) of the labels in ``wanted``."""
    lookup = {py(label): code for code, label in enumerate(labels)}
    return np.array(sorted(lookup[py(w)] for w in wanted if py(w) in lookup), dtype=np.intp)


def vote(codes, n_classes):
    """Most frequent code of each row of ``codes``; ties to the smallest code."""
    counts = np.zeros((codes.shape[0], n_classes), dtype=np.intp)
    rows = np.repeat(np.arange(codes.shape[0]), codes.shape[1])
    np.add.at(counts, (rows, codes.ravel()), 1)
    return np.argmax(counts, axis=1)


# --------------------------------------------------------------------------- estimators


def is_euclidean(estimator):
    """Whether a user's neighbours estimator is a plain exact Euclidean search.

    Such an estimator (scikit-learn's ``NearestNeighbors`` or
    ``KNeighborsClassifier`` with the Euclidean metric and uniform weights)
    gives the same neighbours as the searches of this module, which are used
    instead. Any other estimator is used as given.
    """
    from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors

    if not isinstance(estimator, (NearestNeighbors, KNeighborsClassifier)):
        return False
    params = estimator.get_params()
    metric = params.get("metric")
    if params.get("metric_params"):
        return False
    if params.get("weights", "uniform") != "uniform":
        return False
    if metric in ("euclidean", "l2"):
        return True
    return metric == "minkowski" and params.get("p", 2) in (2, 2.0, None)


def estimator_neighbors(X, alive, queries, k, estimator, *, n_jobs=None):
    """The ``k`` nearest rows of ``alive`` for each query, found by ``estimator``.

    Each query (a row of ``alive``) is left out of its own neighbours, and
    equally distant rows are ordered by row index.
    """
    positions = np.searchsorted(alive, queries)
    idx = kneighbors(X[alive], k, query_indices=positions, estimator=estimator, n_jobs=n_jobs)
    return alive[idx]


def estimator_edited_removed(X, codes, n_classes, alive, clean, k, kind_sel, estimator, *,
                             n_jobs=None):
    """:func:`edited_removed` with the neighbours of a user's estimator."""
    check_enough("n_neighbors", k, alive.size)
    queries = alive[np.isin(codes[alive], np.asarray(list(clean), dtype=np.intp))]
    if queries.size == 0:
        return queries
    nb = estimator_neighbors(X, alive, queries, k, estimator, n_jobs=n_jobs)
    found = codes[nb]
    own = codes[queries]
    if kind_sel == "all":
        keep = (found == own[:, None]).all(axis=1)
    else:
        keep = vote(found, n_classes) == own
    return queries[~keep]


