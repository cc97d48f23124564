"""The HTML report: self-contained, escaped, and rendered by a real browser."""

import html
import os
import re
import shutil
import subprocess
import warnings
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from balancekit.evaluation import ComparisonResult, compare
from balancekit.report import save_html

HOSTILE_COLUMN = "<script>alert(1)</script>"
HOSTILE_CATEGORY_COLUMN = '<img src=x onerror="alert(2)">'
HOSTILE_LABEL = "<b>fraud</b> & co"


@pytest.fixture(scope="module")
def result():
    rng = np.random.RandomState(0)
    n = 240
    rare = rng.rand(n) < 0.15
    X = pd.DataFrame(
        {
            HOSTILE_COLUMN: rng.normal(size=n) + 1.5 * rare,
            "amount": rng.lognormal(size=n),
            HOSTILE_CATEGORY_COLUMN: pd.Categorical(rng.choice(["x", "y", "$z$"], size=n)),
        }
    )
    X.loc[::19, "amount"] = np.nan
    y = np.where(rare, HOSTILE_LABEL, "legit")
    strategies = ["baseline", "class_weight", "random_over", "random_under", "smote",
                  ("$mathtext$ <i>name</i>", "random_over")]
    return compare(X, y, strategies=strategies, cv=3)


@pytest.fixture(scope="module")
def page(result):
    return result.to_html()


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.attrs = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def _parse(text):
    parser = _Collector()
    parser.feed(text)
    return parser


def test_report_is_self_contained(page):
    assert page.startswith("<!DOCTYPE html>")
    parsed = _parse(page)
    # No scripts, frames, links to style sheets, images or anything that fetches.
    for tag in ("script", "iframe", "link", "img", "object", "embed", "base"):
        assert tag not in parsed.tags, tag
    for name, value in parsed.attrs:
        if name in ("src", "href", "xlink:href", "action", "srcset"):
            assert not re.match(r"\s*(https?:)?//", value or ""), (name, value)
            assert (value or "").startswith("#"), (name, value)
    assert "http://" not in page and "https://" not in page
    assert "@import" not in page
    assert all(ref.startswith("#") for ref in re.findall(r"url\(\s*['\"]?([^)]*)\)", page))
    assert parsed.tags.count("svg") >= 5  # bars, PR, ROC, both grids, PCA
    assert "<?xml" not in page and "<!DOCTYPE svg" not in page


def test_inline_figures_are_well_formed_and_style_nothing_else(page):
    import xml.etree.ElementTree as ET

    figures = re.findall(r"<svg\b.*?</svg>", page, flags=re.S)
    assert len(figures) >= 5
    for figure in figures:
        root = ET.fromstring(figure)  # XML tools (and .svg files) read it: no unbound prefix
        # A style sheet inside an inline SVG applies to the whole page: none, or scoped.
        for style in root.iter("style"):
            assert not re.search(r"(^|[},])\s*\*\s*\{", style.text or ""), style.text
    assert "xlink:" not in page


def test_report_sections_and_content(result, page):
    for anchor in ("bk-ranking", "bk-data", "bk-counts", "bk-curves", "bk-confusion", "bk-pca",
                   "bk-method"):
        assert f'id="{anchor}"' in page
    text = html.unescape(" ".join(_parse(page).text))
    rec = result.recommendation
    assert rec["message"] in text
    for entry in result.summary["strategies"]:
        assert entry["name"] in text
    assert "SMOTENC" in text  # the categorical column made smote use SMOTENC
    assert "PR-AUC" in text and "ROC-AUC" in text and "G-mean" in text


def test_hostile_names_are_escaped(page):
    assert HOSTILE_COLUMN not in page
    assert HOSTILE_CATEGORY_COLUMN not in page
    assert "<b>fraud</b>" not in page
    assert "<i>name</i>" not in page
    assert html.escape(HOSTILE_COLUMN, quote=False) in page
    assert "&lt;b&gt;fraud&lt;/b&gt; &amp; co" in page
    parsed = _parse(page)
    assert "b" not in parsed.tags and "i" not in parsed.tags
    text = " ".join(parsed.text)
    assert HOSTILE_COLUMN in text and HOSTILE_LABEL in text  # shown as text, not lost
    # Dollar signs reach the plots as text, not as mathtext.
    assert "$mathtext$ &lt;i&gt;name&lt;/i&gt;" in page


def test_fragment_for_notebooks(result, page):
    fragment = result._repr_html_()
    assert "<html" not in fragment and "<body" not in fragment and "<!DOCTYPE" not in fragment
    assert "<style>" in fragment and ".bk-report" in fragment
    # Styles are scoped to the report, so a notebook's own styles are untouched.
    css = re.search(r"<style>(.*?)</style>", fragment, re.S).group(1)
    for rule in re.findall(r"(?:^|})\s*([^{}@]+)\{", css):
        for selector in rule.split(","):
            assert selector.strip().startswith((".bk-report", ".bk-page")), selector


def test_render_from_json_and_atomic_save(result, page, tmp_path):
    strip = re.compile(r"<svg.*?</svg>", re.S)
    again = ComparisonResult.from_json(result.to_json())
    path = tmp_path / "report.html"
    path.write_text("old")
    assert again.save_html(path) == path
    assert os.listdir(tmp_path) == ["report.html"]  # replaced in place, no temporary file left
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    # The same report from the result and from its JSON; plots differ only by random ids.
    assert strip.sub("", text) == strip.sub("", page)


def test_save_html_refuses_a_missing_directory(result, tmp_path):
    with pytest.raises(FileNotFoundError):
        save_html(result.summary, tmp_path / "missing" / "report.html")
    assert os.listdir(tmp_path) == []


def test_report_with_failures_and_without_pca(tmp_path):
    rng = np.random.RandomState(1)
    X = rng.normal(size=(40, 3))
    y = np.array([0] * 38 + [1] * 2)
    result = compare(X, y, strategies=["baseline", "random_under", "smote"], cv=2)
    assert result.summary["failed"]
    page = result.to_html()
    assert 'id="bk-issues"' in page and "failed" in page
    assert result.summary["failed"][0]["error"].split(":")[0] in page


def _chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _run_chromium(binary, tmp_path, url, *extra):
    args = [
        binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr",
        "--v=0", *extra, url,
    ]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(_chromium() is None, reason="no chromium binary found")
def test_report_renders_in_headless_chromium(page, tmp_path):
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    url = path.as_uri()
    run = _run_chromium(_chromium(), tmp_path, url, "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    dom = run.stdout
    assert "Imbalance strategy comparison" in dom
    assert dom.count("<svg") >= 5
    # The hostile strings are text nodes of the DOM, never elements.
    assert html.escape(HOSTILE_COLUMN, quote=False) in dom
    assert "<script" not in dom.lower()
    assert "<img" not in dom.lower() and "<b>" not in dom
    errors = [
        line for line in run.stderr.splitlines()
        if "Uncaught" in line or ("CONSOLE" in line.upper() and "error" in line.lower())
    ]
    assert not errors, errors

    shot = tmp_path / "shot.png"
    run = _run_chromium(_chromium(), tmp_path, url, "--hide-scrollbars",
                        "--window-size=1280,2000", f"--screenshot={shot}")
    assert run.returncode == 0, run.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a rendered, non-blank page


@pytest.mark.skipif(_chromium() is None, reason="no chromium binary found")
def test_ranking_table_fits_1300_pixels_without_a_horizontal_scroll(tmp_path):
    # Long snake_case names and one-line headers made the table 65 px wider than the page at
    # 1300 px: its last column (the fit time) was behind a horizontal scroll.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    y = (rng.random(300) < 0.15).astype(int)
    X[y == 1] += 1.0
    strategies = ["repeated_edited_nearest_neighbours", "neighbourhood_cleaning_rule",
                  "random_over"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        page = compare(X, y, strategies=strategies, cv=3).to_html()
    assert "repeated_<wbr>edited_<wbr>nearest_<wbr>neighbours" in page
    probe = (
        "<script>var box = document.querySelector('.bk-ranking').parentElement;"
        "document.body.setAttribute('data-overflow', box.scrollWidth - box.clientWidth);"
        "</script></body>"
    )
    path = tmp_path / "report.html"
    path.write_text(page.replace("</body>", probe), encoding="utf-8")
    run = _run_chromium(_chromium(), tmp_path, path.as_uri(), "--window-size=1300,5200",
                        "--dump-dom")
    assert run.returncode == 0, run.stderr[-2000:]
    overflow = re.search(r'data-overflow="(-?\d+)"', run.stdout)
    assert overflow is not None and int(overflow.group(1)) <= 0, run.stdout[-500:]


def test_means_over_fewer_folds_are_marked_with_their_count():
    from sklearn.model_selection import GroupKFold

    from .test_evaluation import _rare_in_few_groups

    X, y, groups = _rare_in_few_groups()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = compare(X, y, strategies=["random_over"], cv=GroupKFold(5), groups=groups)
    page = result.to_html()
    assert "Mean over 5 validation folds (fewer where marked †)" in page
    assert 'title="mean over 4 of the 5 folds">†</span>' in page
    assert ("PR-AUC and ROC-AUC over 4 of the 5 folds (every strategy)" in page)
    # Every fold defined: no mark, and the plain sentence.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        page = compare(X, y, strategies=["random_over"], cv=5).to_html()
    assert "†" not in page and "Mean over 5 validation folds (standard" in page


def test_reports_rendered_in_several_threads_are_the_same_and_leave_matplotlib_alone(result):
    # matplotlib's settings are process-wide: threads drawing at once restored each
    # other's saved settings, drew with the other's, and left the report's style behind.
    from concurrent.futures import ThreadPoolExecutor

    import matplotlib

    before = dict(matplotlib.rcParams)
    alone = result.to_html()
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda _: result.to_html(), range(8)))
    assert all(page == alone for page in together)
    assert dict(matplotlib.rcParams) == before
