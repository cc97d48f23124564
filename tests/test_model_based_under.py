"""ClusterCentroids and InstanceHardnessThreshold, cross-checked against imbalanced-learn."""

import warnings
from collections import Counter

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.cluster import DBSCAN, AgglomerativeClustering, KMeans
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GroupKFold,
    KFold,
    RepeatedStratifiedKFold,
    ShuffleSplit,
    StratifiedKFold,
    cross_val_predict,
)
from sklearn.svm import SVC
from threadpoolctl import threadpool_limits

from balancekit._strategy import resolve_sampling_strategy
from balancekit.exceptions import (
    DataError,
    InvalidParameterError,
    InvalidParameterTypeError,
)
from balancekit.under_sampling import ClusterCentroids, InstanceHardnessThreshold

from .conftest import to_frame

imblearn_under = pytest.importorskip("imblearn.under_sampling")


@pytest.fixture(autouse=True)
def _one_thread_per_pool():
    """Thread pools (OpenMP, BLAS) crawl on a busy machine; one thread keeps these tests fast."""
    with threadpool_limits(limits=1):
        yield


def data(seed=0, n_samples=300):
    return make_classification(
        n_samples=n_samples, n_features=4, n_informative=3, n_redundant=0, n_classes=3,
        weights=[0.6, 0.3, 0.1], class_sep=1.0, n_clusters_per_class=1, random_state=seed,
    )


def sorted_rows(A):
    A = np.asarray(A, dtype=float)
    return A[np.lexsort(A.T[::-1])]


def row_indices(X, rows):
    """Index in X of each row of ``rows`` (rows of X, possibly repeated)."""
    match = (np.asarray(rows)[:, None, :] == X[None, :, :]).all(axis=2)
    assert match.any(axis=1).all()
    return match.argmax(axis=1)


KMEANS = KMeans(n_init=2, random_state=0)
UNDER_FORMS = ["auto", "majority", "not minority", "not majority", "all",
               {0: 40, 1: 35}, lambda y: {0: 50}]


# --- ClusterCentroids -------------------------------------------------------------------


@pytest.mark.parametrize("voting", ["soft", "hard"])
def test_cluster_centroids_counts_for_every_strategy_form(voting):
    X, y = data()
    counts = Counter(y.tolist())
    for strategy in UNDER_FORMS:
        sampler = ClusterCentroids(sampling_strategy=strategy, voting=voting, random_state=0)
        X_res, y_res = sampler.fit_resample(X, y)
        targets = resolve_sampling_strategy(strategy, y, "under-sampling")
        after = Counter(y_res.tolist())
        for label, count in counts.items():
            assert after[label] == targets.get(label, count), (strategy, label)
    X2, y2 = make_classification(n_samples=200, weights=[0.8], random_state=0)
    _, y_res = ClusterCentroids(sampling_strategy=0.5, random_state=0).fit_resample(X2, y2)
    assert np.count_nonzero(y_res == 0) == int(np.count_nonzero(y2 == 1) / 0.5)


def test_cluster_centroids_soft_gives_imbalanced_learn_centroids():
    X, y = data()
    ours = ClusterCentroids(estimator=KMEANS, voting="soft")
    X_res, y_res = ours.fit_resample(X, y)
    X_imb, y_imb = imblearn_under.ClusterCentroids(estimator=KMEANS, voting="soft").fit_resample(
        X, y
    )
    for label in np.unique(y):
        np.testing.assert_allclose(
            sorted_rows(X_res[y_res == label]), sorted_rows(X_imb[y_imb == label])
        )
    # The minority class is kept as it is; centroids are new rows: no sample_indices_.
    np.testing.assert_array_equal(X_res[y_res == 2], X[y == 2])
    assert not hasattr(ours, "sample_indices_")
    assert ours.voting_ == "soft"


def test_cluster_centroids_hard_picks_the_row_nearest_each_centroid():
    X, y = data()
    ours = ClusterCentroids(estimator=KMEANS, voting="hard")
    X_res, y_res = ours.fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X[ours.sample_indices_])
    assert np.all(np.diff(ours.sample_indices_) >= 0)
    X_imb, y_imb = imblearn_under.ClusterCentroids(estimator=KMEANS, voting="hard").fit_resample(
        X, y
    )
    n_keep = np.count_nonzero(y == 2)
    for label in (0, 1):
        members = np.flatnonzero(y == label)
        canonical, expected = {}, []  # a row nearest to a centroid -> lowest row tied with it
        for centre in _class_centroids(X, y, label, n_keep):
            d = np.linalg.norm(X[members] - centre, axis=1)
            tied = members[d <= d.min() * (1 + 1e-9) + 1e-12]
            canonical.update({int(r): int(tied.min()) for r in tied})
            expected.append(int(tied.min()))
        expected.sort()
        got = ours.sample_indices_[y[ours.sample_indices_] == label]
        theirs = row_indices(X, X_imb[y_imb == label])
        # Both pick a nearest row for each centroid; they may differ only between exact ties.
        for picked in (got, theirs):
            assert len(picked) == n_keep
            assert sorted(canonical[int(r)] for r in picked) == expected


def _class_centroids(X, y, label, n_clusters):
    from sklearn.base import clone

    return clone(KMEANS).set_params(n_clusters=n_clusters).fit(X[y == label]).cluster_centers_


def test_cluster_centroids_auto_voting_sample_indices_and_weights():
    X, y = data()
    sampler = ClusterCentroids(random_state=0)
    S_res, _ = sampler.fit_resample(sp.csr_matrix(X), y)
    assert sampler.voting_ == "hard" and sp.issparse(S_res)
    np.testing.assert_array_equal(S_res.toarray(), X[sampler.sample_indices_])
    weights = np.arange(len(y)) + 1.0
    X_res, y_res = sampler.fit_resample(X, y, sample_weight=weights)
    assert sampler.voting_ == "soft" and not hasattr(sampler, "sample_indices_")
    # A centroid takes the weight of the class row nearest to it.
    n_kept = np.count_nonzero(y == 2)
    origin = np.rint(sampler.sample_weight_[n_kept:] - 1).astype(int)
    centres = X_res[n_kept:]
    assert np.all(y[origin] == y_res[n_kept:])
    for centre, row, label in zip(centres, origin, y_res[n_kept:], strict=True):
        d = np.linalg.norm(X[y == label] - centre, axis=1)
        assert np.isclose(np.linalg.norm(X[row] - centre), d.min())


def test_cluster_centroids_seed_dtype_and_dropping_a_class():
    X, y = data()
    a = ClusterCentroids(random_state=3).fit_resample(X, y)[0]
    b = ClusterCentroids(random_state=3).fit_resample(X, y)[0]
    c = ClusterCentroids(random_state=4).fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(sorted_rows(a), sorted_rows(c))
    X32, _ = ClusterCentroids(random_state=3).fit_resample(X.astype(np.float32), y)
    assert X32.dtype == np.float32
    _, y_res = ClusterCentroids(sampling_strategy={0: 0, 1: 5}, random_state=0).fit_resample(X, y)
    assert Counter(y_res.tolist()) == {1: 5, 2: np.count_nonzero(y == 2)}


@pytest.mark.parametrize("voting", ["soft", "hard"])
def test_cluster_centroids_dataframes(voting, frame_lib):
    X, y = data()
    X = X.copy()
    X[:, 3] = np.round(X[:, 3] * 10)
    frame = to_frame(frame_lib, X, ["a", "b", "c", "n"])
    if frame_lib.__name__ == "pandas":
        frame["n"] = frame["n"].astype("int64")
        y_in = frame_lib.Series(y, name="label")
    else:
        frame = frame.with_columns(frame_lib.col("n").cast(frame_lib.Int64))
        y_in = frame_lib.Series("label", y)
    sampler = ClusterCentroids(voting=voting, random_state=0)
    X_res, y_res = sampler.fit_resample(frame, y_in)
    assert type(X_res) is type(frame) and type(y_res) is type(y_in)
    assert list(X_res.columns) == ["a", "b", "c", "n"]
    assert str(X_res.dtypes[3] if frame_lib.__name__ == "polars" else X_res["n"].dtype) in (
        "Int64", "int64"
    )
    assert y_res.name == "label"
    X_arr, _ = ClusterCentroids(voting=voting, random_state=0).fit_resample(X, y)
    if voting == "hard":
        np.testing.assert_array_equal(X_res.to_numpy(), X_arr)
    else:  # the integer column is rounded, the others are the centroids
        np.testing.assert_allclose(X_res.to_numpy()[:, :3], X_arr[:, :3])


@pytest.mark.parametrize(
    "sampler, error, pattern",
    [
        (ClusterCentroids(voting="medium"), InvalidParameterError, "voting='medium'"),
        (ClusterCentroids(estimator=DBSCAN()), InvalidParameterError, "n_clusters"),
        (ClusterCentroids(estimator=AgglomerativeClustering()), InvalidParameterTypeError,
         "cluster_centers_"),
        (ClusterCentroids(estimator="kmeans"), InvalidParameterTypeError, "estimator"),
        (InstanceHardnessThreshold(estimator="forest"), InvalidParameterTypeError,
         "estimator must be None or a scikit-learn classifier.*got 'forest'"),
    ],
)
def test_cluster_centroids_bad_parameters(sampler, error, pattern):
    X, y = data()
    with pytest.raises(error, match=pattern):
        sampler.fit_resample(X, y)


# --- InstanceHardnessThreshold -------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_iht_selects_the_same_rows_as_imbalanced_learn(seed):
    X, y = data(seed)
    for estimator, cv in ((LogisticRegression(), 5), (LogisticRegression(C=0.1), 3)):
        ours = InstanceHardnessThreshold(estimator=estimator, cv=cv, random_state=seed)
        X_res, _ = ours.fit_resample(X, y)
        theirs = imblearn_under.InstanceHardnessThreshold(
            estimator=estimator, cv=cv, random_state=seed
        )
        theirs.fit_resample(X, y)
        np.testing.assert_array_equal(ours.sample_indices_, np.sort(theirs.sample_indices_))
        np.testing.assert_array_equal(X_res, X[ours.sample_indices_])


def test_iht_keeps_the_easiest_rows_of_each_class():
    X, y = data(4)
    ours = InstanceHardnessThreshold(estimator=LogisticRegression(), random_state=4)
    ours.fit_resample(X, y)
    # Same folds as the sampler: the generator draws the estimator seeds, then shuffles.
    rng = np.random.RandomState(4)
    rng.randint(np.iinfo(np.int32).max)  # LogisticRegression's random_state
    folds = StratifiedKFold(5, shuffle=True, random_state=rng)
    proba = cross_val_predict(LogisticRegression(), X, y, cv=folds, method="predict_proba")
    easiness = proba[np.arange(len(y)), y]
    kept = set(ours.sample_indices_.tolist())
    n_min = np.count_nonzero(y == 2)
    for label in (0, 1):
        members = np.flatnonzero(y == label)
        order = members[np.argsort(-easiness[members])]
        assert set(order[:n_min].tolist()) <= kept
        assert not set(order[n_min:].tolist()) & kept


def test_iht_default_forest_is_seeded_like_a_user_forest_in_imbalanced_learn():
    X, y = data(5, n_samples=240)
    ours = InstanceHardnessThreshold(random_state=5)
    _, y_res = ours.fit_resample(X, y)
    theirs = imblearn_under.InstanceHardnessThreshold(
        estimator=RandomForestClassifier(n_estimators=100), random_state=5
    )
    _, y_imb = theirs.fit_resample(X, y)
    # Forest probabilities tie: imbalanced-learn keeps every tied row, we keep the target exactly.
    n_min = np.count_nonzero(y == 2)
    assert Counter(y_res.tolist()) == {0: n_min, 1: n_min, 2: n_min}
    assert set(ours.sample_indices_.tolist()) <= set(theirs.sample_indices_.tolist())
    assert len(theirs.sample_indices_) > len(ours.sample_indices_)


def test_iht_counts_for_every_strategy_form_and_ties_drawn_at_random():
    X, y = data()
    counts = Counter(y.tolist())
    for strategy in UNDER_FORMS:
        sampler = InstanceHardnessThreshold(
            estimator=LogisticRegression(), sampling_strategy=strategy, random_state=0
        )
        _, y_res = sampler.fit_resample(X, y)
        targets = resolve_sampling_strategy(strategy, y, "under-sampling")
        after = Counter(y_res.tolist())
        for label, count in counts.items():
            assert after[label] == targets.get(label, count), (strategy, label)
    # Every row of a class equally easy: the rows kept are drawn by the seed.
    prior = DummyClassifier(strategy="prior")
    for seed in (0, 1):
        _, y_res = InstanceHardnessThreshold(estimator=prior, random_state=seed).fit_resample(X, y)
        assert y_res.size == 3 * counts[2]
    a = InstanceHardnessThreshold(estimator=prior, random_state=0)
    b = InstanceHardnessThreshold(estimator=prior, random_state=0)
    c = InstanceHardnessThreshold(estimator=prior, random_state=1)
    for s in (a, b, c):
        s.fit_resample(X, y)
    np.testing.assert_array_equal(a.sample_indices_, b.sample_indices_)
    assert not np.array_equal(a.sample_indices_, c.sample_indices_)
    theirs = imblearn_under.InstanceHardnessThreshold(estimator=prior, random_state=0)
    _, y_imb = theirs.fit_resample(X, y)
    assert y_imb.size > 3 * counts[2]  # imbalanced-learn keeps every row tied at the threshold


def test_iht_cross_validation_objects_and_containers(frame_lib):
    X, y = data()
    splitter = KFold(4, shuffle=True, random_state=0)
    sampler = InstanceHardnessThreshold(estimator=LogisticRegression(), cv=splitter, random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [np.count_nonzero(y == 2)] * 3
    splits = list(splitter.split(X, y))
    same = InstanceHardnessThreshold(estimator=LogisticRegression(), cv=splits, random_state=0)
    same.fit_resample(X, y)
    np.testing.assert_array_equal(sampler.sample_indices_, same.sample_indices_)
    frame = to_frame(frame_lib, X.astype(np.float32), ["a", "b", "c", "d"])
    y_in = frame_lib.Series("label", y) if frame_lib.__name__ == "polars" else frame_lib.Series(
        y, name="label"
    )
    sampler = InstanceHardnessThreshold(estimator=LogisticRegression(), random_state=0)
    X_res, y_res = sampler.fit_resample(frame, y_in)
    assert type(X_res) is type(frame) and type(y_res) is type(y_in)
    assert list(X_res.columns) == ["a", "b", "c", "d"]
    assert all("32" in str(dtype) for dtype in X_res.dtypes)
    np.testing.assert_array_equal(
        X_res.to_numpy(), X.astype(np.float32)[sampler.sample_indices_]
    )
    S_res, _ = InstanceHardnessThreshold(estimator=LogisticRegression(), random_state=0).fit_resample(
        sp.csr_matrix(X), y
    )
    assert sp.issparse(S_res) and S_res.shape[0] == y_res.shape[0]


def test_iht_string_labels():
    X, y = data()
    names = np.array(["a", "b", "c"])[y]
    ours = InstanceHardnessThreshold(estimator=LogisticRegression(), random_state=0)
    _, y_res = ours.fit_resample(X, names)
    ref = InstanceHardnessThreshold(estimator=LogisticRegression(), random_state=0)
    ref.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, ref.sample_indices_)
    assert set(y_res) == {"a", "b", "c"}


@pytest.mark.parametrize(
    "sampler, error, pattern",
    [
        (InstanceHardnessThreshold(estimator=KMeans()), InvalidParameterTypeError, "predict_proba"),
        (InstanceHardnessThreshold(estimator=SVC()), InvalidParameterTypeError, "predict_proba"),
        (InstanceHardnessThreshold(cv=1), InvalidParameterError, "cv=1"),
        (InstanceHardnessThreshold(cv="five"), InvalidParameterTypeError, "cv"),
        (InstanceHardnessThreshold(cv=1000), DataError, "cv=1000"),
    ],
)
def test_iht_bad_parameters(sampler, error, pattern):
    X, y = data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(error, match=pattern):
            sampler.fit_resample(X, y)


def test_parameters_and_defaults_follow_imbalanced_learn():
    for ours, theirs in (
        (ClusterCentroids(), imblearn_under.ClusterCentroids()),
        (InstanceHardnessThreshold(), imblearn_under.InstanceHardnessThreshold()),
    ):
        assert ours.get_params() == theirs.get_params()


def test_soft_centroids_of_a_table_of_sparse_columns():
    # "setting an array element with a sequence": the centres came as a sparse matrix,
    # which the table's columns were built from as if dense.
    pd = pytest.importorskip("pandas")
    X, y = make_classification(300, 4, weights=[0.8], random_state=0)
    X[X < 0] = 0
    sparse = pd.DataFrame(X, columns=list("abcd")).astype(pd.SparseDtype(float, 0.0))
    # The same rows as a CSR matrix (KMeans on sparse input finds other centres than on dense).
    matrix_res, y_matrix = ClusterCentroids(random_state=0, voting="soft").fit_resample(
        sp.csr_matrix(X), y)
    sparse_res, y_sparse = ClusterCentroids(random_state=0, voting="soft").fit_resample(sparse, y)
    assert all(isinstance(t, pd.SparseDtype) for t in sparse_res.dtypes)
    np.testing.assert_allclose(sparse_res.sparse.to_dense().to_numpy(), matrix_res.toarray())
    np.testing.assert_array_equal(y_sparse, y_matrix)


def test_cluster_centroids_keeps_no_earlier_clustering_when_no_class_shrinks():
    X, y = make_classification(200, 4, weights=[0.7], random_state=0)
    sampler = ClusterCentroids(random_state=0)
    sampler.fit_resample(X, y)
    assert sampler.estimator_.n_features_in_ == 4
    sampler.set_params(sampling_strategy={0: int((y == 0).sum())})
    X_res, _ = sampler.fit_resample(X[:, :3], y)
    assert X_res.shape == (200, 3)
    assert not hasattr(sampler.estimator_, "cluster_centers_")


@pytest.mark.parametrize("make", [
    lambda: ClusterCentroids(estimator=KMeans),
    lambda: InstanceHardnessThreshold(estimator=LogisticRegression),
], ids=["cluster_centroids", "instance_hardness"])
def test_an_estimator_class_instead_of_an_object_is_named(make):
    X, y = make_classification(200, 4, weights=[0.8], random_state=0)
    with pytest.raises(InvalidParameterTypeError, match=r"estimator must be None or a \w+.*; "
                                                        r"got the class \w+, not an object"):
        make().fit_resample(X, y)


def test_iht_cv_none_is_five_folds_as_in_scikit_learn():
    # imbalanced-learn passes cv=None on to scikit-learn (5 folds); balancekit refused it.
    X, y = make_classification(200, 5, weights=[0.8], random_state=0)
    default, none = InstanceHardnessThreshold(random_state=0), InstanceHardnessThreshold(
        cv=None, random_state=0)
    default.fit_resample(X, y)
    none.fit_resample(X, y)
    np.testing.assert_array_equal(none.sample_indices_, default.sample_indices_)


@pytest.mark.parametrize("cv", [ShuffleSplit(3, random_state=0), GroupKFold(3),
                                RepeatedStratifiedKFold(n_splits=2, n_repeats=2, random_state=0)],
                         ids=lambda cv: type(cv).__name__)
def test_iht_cv_that_is_no_partition_is_named(cv):
    # scikit-learn's "cross_val_predict only works for partitions" (or "The 'groups'
    # parameter should not be None") did not say which parameter was wrong.
    X, y = make_classification(200, 5, weights=[0.8], random_state=0)
    with pytest.raises(InvalidParameterError, match=r"cv=.* every row in exactly one test fold"):
        InstanceHardnessThreshold(cv=cv, random_state=0).fit_resample(X, y)


_IDX = np.arange(200)


@pytest.mark.parametrize("cv, error, match", [
    (["a"], InvalidParameterTypeError, r"^cv: split 1 is not a \(train, test\) pair of index "
                                       r"arrays; got a str\.$"),
    ([(_IDX[:100], _IDX[100:], _IDX[:3])], InvalidParameterTypeError,
     r"^cv: split 1 is not a \(train, test\) pair.*got a tuple"),
    ([(0, 1)], InvalidParameterTypeError, r"^cv: split 1: the train rows must be a 1-D array"),
    ([], InvalidParameterError, r"^cv gave no \(train, test\) split"),
    ({"zz": 1}, InvalidParameterTypeError, r"^cv must be an integer number of folds.*got "
                                           r"\{'zz': 1\} of type dict"),
    (StratifiedKFold, InvalidParameterTypeError, r"got the class StratifiedKFold, not an "
                                                 r"object: write StratifiedKFold\(\) instead"),
    ([(_IDX[:100], _IDX[100:] + 150)], InvalidParameterError,
     r"^cv: split 1: the test rows must be positions in 0\.\.199; got values from 250 to 349"),
], ids=["str", "3-tuple", "scalars", "empty", "dict", "class", "out-of-range"])
def test_iht_malformed_cv_is_named(cv, error, match):
    # Raw errors from deep inside: "not enough values to unpack", "need at least one array to
    # concatenate", "split() missing 1 required positional argument: 'y'", ...
    X, y = make_classification(200, n_features=5, weights=[0.8], random_state=0)
    with pytest.raises(error, match=match):
        InstanceHardnessThreshold(estimator=LogisticRegression(), cv=cv).fit_resample(X, y)


def test_iht_error_on_given_splits_quotes_no_indices():
    # The message embedded the repr of every index array (kilobytes of numbers).
    X, y = make_classification(200, n_features=5, weights=[0.8], random_state=0)
    with pytest.raises(InvalidParameterError) as info:
        InstanceHardnessThreshold(estimator=LogisticRegression(),
                                  cv=[(_IDX[:100], _IDX[100:])]).fit_resample(X, y)
    message = str(info.value)
    assert message.startswith("cv (1 given (train, test) split) cannot give each row one "
                              "out-of-fold probability")
    assert "array" not in message and len(message) < 400


def test_iht_boolean_mask_splits_are_read_as_rows():
    # Masks, which compare(cv=...) takes, were refused with the masks' full repr.
    X, y = make_classification(200, n_features=5, weights=[0.8], random_state=0)
    masks = [(_IDX % 2 == 0, _IDX % 2 == 1), (_IDX % 2 == 1, _IDX % 2 == 0)]
    rows = [(np.flatnonzero(a), np.flatnonzero(b)) for a, b in masks]
    ours = InstanceHardnessThreshold(estimator=LogisticRegression(), cv=masks, random_state=0)
    same = InstanceHardnessThreshold(estimator=LogisticRegression(), cv=rows, random_state=0)
    ours.fit_resample(X, y)
    same.fit_resample(X, y)
    np.testing.assert_array_equal(ours.sample_indices_, same.sample_indices_)
