"""The 27 benchmark data sets of imbalanced-learn, fetched from Zenodo and cached on disk."""

import http.client
import os
import posixpath
import shutil
import tarfile
import tempfile
import zipfile
import zlib
from collections import OrderedDict
from numbers import Integral
from urllib.request import urlopen

import numpy as np
from sklearn.datasets import get_data_home
from sklearn.utils import Bunch, check_random_state

from .._validation import check_bool, check_seed
from ..exceptions import DataError, InvalidParameterError, InvalidParameterTypeError

#: Where the archive of the 27 data sets is published.
URL = "https://zenodo.org/record/61452/files/benchmark-imbalanced-learn.tar.gz"

#: The data set names; the id of a data set is its position here plus one.
NAMES = (
    "ecoli",
    "optical_digits",
    "satimage",
    "pen_digits",
    "abalone",
    "sick_euthyroid",
    "spectrometer",
    "car_eval_34",
    "isolet",
    "us_crime",
    "yeast_ml8",
    "scene",
    "libras_move",
    "thyroid_sick",
    "coil_2000",
    "arrhythmia",
    "solar_flare_m0",
    "oil",
    "car_eval_4",
    "wine_quality",
    "letter_img",
    "yeast_me2",
    "webpage",
    "ozone_level",
    "mammography",
    "protein_homo",
    "abalone_19",
)
IDS = {name: i for i, name in enumerate(NAMES, start=1)}

#: Seconds without an answer from the server before the download gives up.
TIMEOUT = 60
_CHUNK = 1 << 20


class _DatasetNotFoundError(DataError, FileNotFoundError):
    """Some requested data sets are neither in the cache nor downloadable now.

    A :class:`FileNotFoundError` (so an :class:`OSError`, as imbalanced-learn raises) and a
    balancekit :class:`~balancekit.exceptions.DataError`.
    """


def _file_name(name):
    """The cache file of data set ``name``: ``x{id}data.npz``, as in imbalanced-learn."""
    return f"x{IDS[name]}data.npz"


def _resolve_names(filter_data):
    """The names asked for by ``filter_data``, in its order (all 27 for ``None``)."""
    if filter_data is None:
        return list(NAMES)
    if not isinstance(filter_data, (tuple, list)):
        raise InvalidParameterTypeError(
            "filter_data must be None or a tuple of data set names and ids, such as "
            f"('ecoli', 27); got {filter_data!r} of type {type(filter_data).__name__}."
        )
    valid = f"the names are {', '.join(NAMES)}; the ids run from 1 to {len(NAMES)}"
    names = []
    for item in filter_data:
        if isinstance(item, str):
            if item not in IDS:
                raise InvalidParameterError(
                    f"filter_data holds {item!r}, which is not a benchmark data set; {valid}."
                )
            names.append(item)
        elif isinstance(item, Integral) and not isinstance(item, (bool, np.bool_)):
            if not 1 <= item <= len(NAMES):
                raise InvalidParameterError(
                    f"filter_data holds the id {int(item)}, which is not a benchmark data "
                    f"set; {valid}."
                )
            names.append(NAMES[int(item) - 1])
        else:
            raise InvalidParameterTypeError(
                "filter_data must hold data set names (str) and ids (int); got "
                f"{item!r} of type {type(item).__name__}; {valid}."
            )
    return names


def _missing_error(names, directory, reason=None):
    listed = ", ".join(f"{name} ({_file_name(name)})" for name in names)
    what = f"data sets {listed} are" if len(names) > 1 else f"data set {listed} is"
    why = (f"downloading failed: {reason}" if reason is not None
           else "download_if_missing is False")
    return _DatasetNotFoundError(
        f"The benchmark {what} missing from {directory}, and {why}. Download "
        f"{URL} by hand and extract its x<id>data.npz files into that directory, or call "
        "fetch_datasets again with a network connection and download_if_missing=True."
    )


def _remove(path):
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def _download(path, verbose):
    """Copy the archive at :data:`URL` to ``path``, checking its announced length."""
    if verbose:
        print(f"Downloading {URL}")
    with urlopen(URL, timeout=TIMEOUT) as response, open(path, "wb") as out:
        length = response.headers.get("Content-Length") if response.headers else None
        total = int(length) if length and length.isdigit() else None
        done, reported = 0, 0
        while True:
            chunk = response.read(_CHUNK)
            if not chunk:
                break
            out.write(chunk)
            done += len(chunk)
            if verbose and (total is None or done == total or done - reported >= total / 10):
                reported = done
                of = f" of {total / 1e6:.1f}" if total else ""
                print(f"  {done / 1e6:.1f}{of} MB")
    if total is not None and done != total:
        raise OSError(f"the connection closed after {done} of {total} bytes")


def _extract(archive, directory, verbose):
    """Write the ``x{id}data.npz`` files of ``archive`` that ``directory`` lacks into it.

    Each file is written to a temporary file of ``directory``, checked to be a readable npz
    archive holding ``data`` and ``label``, then renamed into place: an error or an
    interruption leaves no half-written data set behind.
    """
    wanted = {_file_name(name): name for name in NAMES
              if not os.path.isfile(os.path.join(directory, _file_name(name)))}
    with tarfile.open(archive, "r:*") as tar:
        for member in tar:
            file_name = posixpath.basename(member.name)
            if not member.isfile() or file_name not in wanted:
                continue
            fd, part = tempfile.mkstemp(prefix=f".{file_name}.", suffix=".part",
                                        dir=directory)
            try:
                with os.fdopen(fd, "wb") as out:
                    shutil.copyfileobj(tar.extractfile(member), out)
                with np.load(part) as npz:
                    keys = set(npz.files)
                if not {"data", "label"} <= keys:
                    raise DataError(
                        f"{member.name} in the archive holds the arrays {sorted(keys)}; "
                        "expected 'data' and 'label'."
                    )
                os.chmod(part, 0o644)
                os.replace(part, os.path.join(directory, file_name))
            except BaseException:
                _remove(part)
                raise
            if verbose:
                print(f"  extracted {file_name} ({wanted[file_name]})")


def _fetch_missing(directory, names, verbose):
    """Download the archive once and extract from it every data set not yet cached, as
    imbalanced-learn does (``names``, those asked for and missing, are named in errors)."""
    os.makedirs(directory, exist_ok=True)
    fd, archive = tempfile.mkstemp(prefix=".benchmark-imbalanced-learn.",
                                   suffix=".tar.gz.part", dir=directory)
    os.close(fd)
    try:
        try:
            _download(archive, verbose)
        except (OSError, http.client.HTTPException) as exc:
            raise _missing_error(names, directory, reason=exc) from exc
        try:
            _extract(archive, directory, verbose)
        except (tarfile.TarError, zipfile.BadZipFile, EOFError, zlib.error, ValueError) as exc:
            if isinstance(exc, DataError):
                raise DataError(f"The archive downloaded from {URL}: {exc}") from exc
            raise DataError(
                f"The archive downloaded from {URL} could not be read ({exc}); no partly "
                f"written file was left in {directory}. Try again, or download it by hand "
                "and extract its x<id>data.npz files into that directory."
            ) from exc
    finally:
        _remove(archive)


def _load(path, name):
    try:
        with np.load(path) as npz:
            return npz["data"], npz["label"]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise DataError(
            f"The cached file {path} of the data set {name!r} cannot be read ({exc}); "
            "delete it and call fetch_datasets again to download it afresh."
        ) from exc


def fetch_datasets(
    *,
    data_home=None,
    filter_data=None,
    download_if_missing=True,
    random_state=None,
    shuffle=False,
    verbose=False,
):
    """Load imbalanced-learn's 27 benchmark data sets, downloading them if necessary.

    The data sets (Ding, 2011) are binary problems from the UCI, LIBSVM and KDD collections,
    with a minority class of 1 in 8.6 to 1 in 130. The archive holding them is downloaded
    once from Zenodo and its files are kept under
    ``get_data_home(data_home)/zenodo/x{id}data.npz``, where imbalanced-learn keeps them:
    data sets fetched by either library are read by both without a new download.

    ==  ==============  ==============================  =======  =======  ===
    ID  Name            Repository & target             Ratio    #S       #F
    ==  ==============  ==============================  =======  =======  ===
    1   ecoli           UCI, target: imU                8.6:1    336      7
    2   optical_digits  UCI, target: 8                  9.1:1    5,620    64
    3   satimage        UCI, target: 4                  9.3:1    6,435    36
    4   pen_digits      UCI, target: 5                  9.4:1    10,992   16
    5   abalone         UCI, target: 7                  9.7:1    4,177    10
    6   sick_euthyroid  UCI, target: sick euthyroid     9.8:1    3,163    42
    7   spectrometer    UCI, target: >=44               11:1     531      93
    8   car_eval_34     UCI, target: good, v good       12:1     1,728    21
    9   isolet          UCI, target: A, B               12:1     7,797    617
    10  us_crime        UCI, target: >0.65              12:1     1,994    100
    11  yeast_ml8       LIBSVM, target: 8               13:1     2,417    103
    12  scene           LIBSVM, target: >one label      13:1     2,407    294
    13  libras_move     UCI, target: 1                  14:1     360      90
    14  thyroid_sick    UCI, target: sick               15:1     3,772    52
    15  coil_2000       KDD, CoIL, target: minority     16:1     9,822    85
    16  arrhythmia      UCI, target: 06                 17:1     452      278
    17  solar_flare_m0  UCI, target: M->0               19:1     1,389    32
    18  oil             UCI, target: minority           22:1     937      49
    19  car_eval_4      UCI, target: vgood              26:1     1,728    21
    20  wine_quality    UCI, wine, target: <=4          26:1     4,898    11
    21  letter_img      UCI, target: Z                  26:1     20,000   16
    22  yeast_me2       UCI, target: ME2                28:1     1,484    8
    23  webpage         LIBSVM, w7a, target: minority   33:1     34,780   300
    24  ozone_level     UCI, ozone, data                34:1     2,536    72
    25  mammography     UCI, target: minority           42:1     11,183   6
    26  protein_homo    KDD CUP 2004, minority          111:1    145,751  74
    27  abalone_19      UCI, target: 19                 130:1    4,177    10
    ==  ==============  ==============================  =======  =======  ===

    Parameters
    ----------
    data_home : str or path-like, default=None
        The folder that holds scikit-learn's downloaded data; the data sets are cached in its
        ``zenodo`` subfolder. ``None`` means scikit-learn's default, the environment variable
        ``SCIKIT_LEARN_DATA`` or else ``~/scikit_learn_data``.

    filter_data : tuple of str and int, default=None
        The data sets to return, by name or by id (see the table above), in the order wanted;
        ``None`` returns all 27. A list is accepted as well.

    download_if_missing : bool, default=True
        Whether to download the archive when a requested data set is not in the cache. With
        ``False``, a missing data set raises an error instead.

    random_state : int, RandomState instance or None, default=None
        The seed of the shuffle when ``shuffle=True``. As in imbalanced-learn, an integer
        seeds the shuffle of each data set afresh, and a ``RandomState`` instance is drawn
        from by each data set in turn.

    shuffle : bool, default=False
        Whether to shuffle the rows of each data set (rows and targets together).

    verbose : bool, default=False
        Whether to print the progress of the download and of the extraction.

    Returns
    -------
    datasets : OrderedDict of str to Bunch
        The data sets by name, in the order of ``filter_data``. Each
        :class:`~sklearn.utils.Bunch` has:

        data : ndarray of shape (n_samples, n_features)
            The features.

        target : ndarray of shape (n_samples,)
            The class of each row.

        DESCR : str
            The name of the data set.

    Raises
    ------
    FileNotFoundError
        A requested data set is not in the cache and ``download_if_missing=False``, or the
        download failed (no network). The error is also a
        :class:`~balancekit.exceptions.DataError`; its message names the missing data sets,
        the folder looked in and the address to download the archive from by hand.

    DataError
        The downloaded archive or a cached file cannot be read. A failed download or
        extraction leaves no partly written file in the cache.

    See Also
    --------
    make_imbalance : Make a data set imbalanced by taking fewer rows of some classes.

    Notes
    -----
    The archive is written next to the cache files under a temporary name, and each data
    set is extracted to a temporary file and renamed into place once complete, so that an
    interrupted download or extraction never leaves a truncated ``x{id}data.npz`` for a
    later call to read. Only the Python standard library (``urllib``) is used to download.

    References
    ----------
    .. [1] Ding, Zejin, "Diversified Ensemble Classifiers for Highly Imbalanced Data
       Learning and their Application in Bioinformatics." Dissertation, Georgia State
       University, (2011).

    Examples
    --------
    >>> from balancekit.datasets import fetch_datasets
    >>> datasets = fetch_datasets(filter_data=("ecoli", 27))  # doctest: +SKIP
    >>> list(datasets)  # doctest: +SKIP
    ['ecoli', 'abalone_19']
    >>> datasets["ecoli"].data.shape  # doctest: +SKIP
    (336, 7)

    Without the data in the cache and without a download, the error says what is missing
    and where to get it:

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as home:
    ...     try:
    ...         fetch_datasets(data_home=home, filter_data=("ecoli",),
    ...                        download_if_missing=False)
    ...     except FileNotFoundError as exc:
    ...         print(str(exc).replace(home, "<home>"))  # doctest: +ELLIPSIS, +NORMALIZE_WHITESPACE
    The benchmark data set ecoli (x1data.npz) is missing from <home>...zenodo, and
    download_if_missing is False. Download https://zenodo.org/.../benchmark-imbalanced-learn.tar.gz
    by hand ...
    """
    if data_home is not None and not isinstance(data_home, (str, os.PathLike)):
        raise InvalidParameterTypeError(
            "data_home must be None, a str or a path; got "
            f"{data_home!r} of type {type(data_home).__name__}."
        )
    names = _resolve_names(filter_data)
    download_if_missing = check_bool("download_if_missing", download_if_missing)
    shuffle = check_bool("shuffle", shuffle)
    verbose = check_bool("verbose", verbose)
    check_seed(random_state)

    directory = os.path.join(get_data_home(data_home=data_home), "zenodo")
    paths = {name: os.path.join(directory, _file_name(name)) for name in names}
    missing = [name for name in dict.fromkeys(names) if not os.path.isfile(paths[name])]
    if missing:
        if not download_if_missing:
            raise _missing_error(missing, directory)
        _fetch_missing(directory, missing, verbose)
        still = [name for name in missing if not os.path.isfile(paths[name])]
        if still:
            raise DataError(
                f"The archive downloaded from {URL} holds no "
                f"{', '.join(_file_name(name) for name in still)}; the data sets "
                f"{', '.join(still)} cannot be loaded."
            )

    datasets = OrderedDict()
    for name in names:
        if verbose:
            print(f"Loading {name} from {paths[name]}")
        X, y = _load(paths[name], name)
        if shuffle:
            # Drawn as imbalanced-learn does, so that a seed gives its rows in its order.
            order = np.arange(X.shape[0])
            check_random_state(random_state).shuffle(order)
            X, y = X[order], y[order]
        datasets[name] = Bunch(data=X, target=y, DESCR=name)
    return datasets
