"""The examples of the docstrings run, and print what they show."""

import doctest
import importlib
import pkgutil
import re

import pytest

import balancekit

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(balancekit.__path__, "balancekit.")
    if not info.name.endswith("__main__")  # running it is the command line
)
#: Modules that need an optional dependency.
NEEDS = {"balancekit.torch": "torch", "balancekit.dask": "dask.dataframe",
         "balancekit._dask_io": "dask.dataframe"}


#: numpy 2 writes scalars as ``np.float64(0.5)`` and ``np.True_``, numpy 1 as ``0.5`` and
#: ``True``: both are read as the plain value.
_NUMPY_SCALAR = re.compile(r"np\.(?:True_|False_|[a-z]+\d*_?\((?P<value>[^()]*)\))")


def _plain(text):
    return _NUMPY_SCALAR.sub(
        lambda m: m["value"] if m["value"] is not None else m[0][3:-1], text)


class _Checker(doctest.OutputChecker):
    def check_output(self, want, got, optionflags):
        return super().check_output(_plain(want), _plain(got), optionflags)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    needed = next((NEEDS[prefix] for prefix in NEEDS if name.startswith(prefix)), None)
    if needed:
        pytest.importorskip(needed)
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(checker=_Checker())
    examples = 0
    for test in doctest.DocTestFinder().find(module, name):
        runner.run(test)
        examples += len(test.examples)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {examples} examples of {name} failed"
