"""The HTML report on awkward summaries: no variance, many classes, no scores; byte-for-byte
reproducible output."""

import copy
import re
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

from balancekit.evaluation import ComparisonResult, compare
from balancekit.report import _plots, render_html


def _quiet_compare(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compare(*args, **kwargs)


@pytest.fixture(scope="module")
def small_result():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 3))
    y = (rng.random(90) < 0.2).astype(int)
    X[y == 1] += 1.0
    return _quiet_compare(X, y, strategies=["baseline", "smote"], cv=3)


def test_report_renders_when_the_pca_view_has_no_variance():
    X = np.ones((40, 2))
    y = np.array([0] * 34 + [1] * 6)
    result = _quiet_compare(X, y, strategies=["baseline", "smote"], cv=3)
    assert "no variance" in result.summary["pca"]["error"]
    page = result.to_html()
    assert "Confusion matrices" in page and "Ranking" in page
    assert "The view could not be drawn: the preprocessed features have no variance" in page


def test_report_survives_a_pca_view_without_explained_variance(small_result):
    # A summary written before the check (explained_variance None, as NaN becomes in JSON).
    summary = copy.deepcopy(small_result.summary)
    summary["pca"]["explained_variance"] = [None, None]
    assert _plots.pca_scatter(summary) is None
    page = render_html(summary)
    assert "could not be drawn: the preprocessed features have no variance" in page
    # One known share: the other axis is labelled without one.
    summary["pca"]["explained_variance"] = [0.7, None]
    svg = _plots.pca_scatter(summary)
    assert "PC 1 (70% of variance)" in svg and "PC 2" in svg


def test_class_palette_has_twenty_distinct_colours():
    palette = [c.lower() for c in _plots.CLASS_PALETTE]
    assert len(palette) >= 20 and len(set(palette)) == len(palette)


def _many_classes_summary(base, n_classes):
    """``base`` with a confusion matrix and class list of ``n_classes`` classes."""
    summary = copy.deepcopy(base)
    labels = list(range(n_classes))
    summary["data"]["classes"] = [
        {"label": c, "count": 10 + c, "share": 1.0 / n_classes} for c in labels
    ]
    summary["data"]["positive_label"] = 0
    summary["data"]["train_fold_counts"] = [10 + c for c in labels]
    for entry in summary["strategies"]:
        if entry["status"] == "ok":
            entry["class_counts_after"] = [10 + c for c in labels]
    matrix = (np.eye(n_classes, dtype=int) * 1234 + 7).tolist()
    for curve in summary["curves"]["strategies"]:
        curve["confusion"] = {"labels": labels, "matrix": matrix}
    return summary


@pytest.mark.parametrize("n_classes", [10, 20])
def test_many_classes_get_distinct_colours_and_readable_matrices(small_result, n_classes):
    page = render_html(_many_classes_summary(small_result.summary, n_classes))
    styles = dict(re.findall(r"\.bk-c(\d+) \{ background: (#[0-9A-Fa-f]{6}); \}", page))
    used = set(re.findall(r'class="bk-c(\d+)"', page))
    assert len(used) == n_classes
    assert len({styles[i].lower() for i in used}) == n_classes  # no two classes share a colour
    # The matrices get the page's width, smaller type past 10 classes, and no share line
    # crammed under every count; each header keeps its full label in a tooltip.
    size = "medium" if n_classes <= 10 else "large"
    assert f'class="bk-cm bk-cm-{size}"' in page
    card = "bk-card-half" if n_classes <= 10 else "bk-card-wide"
    assert f'class="bk-card {card}"' in page
    cm = page[page.index('id="bk-confusion"'):page.index('id="bk-pca"')]
    assert "1,241<span>" not in cm and "1,241" in cm
    assert f'<th title="{n_classes - 1}"><code>{n_classes - 1}</code></th>' in cm


def test_few_classes_keep_the_compact_matrix(small_result):
    page = render_html(small_result.summary)
    cm = page[page.index('id="bk-confusion"'):page.index('id="bk-pca"')]
    assert 'class="bk-cm bk-cm-small"' in cm and 'class="bk-card"' in cm
    assert "bk-card-wide" not in cm and "bk-card-half" not in cm
    assert re.search(r"\d<span>\d+%</span>", cm)


def test_report_is_reproducible_byte_for_byte(small_result):
    first = small_result.to_html()
    again = ComparisonResult.from_json(small_result.to_json()).to_html()
    assert first == again
    assert re.search(r'id="bk[0-9a-f]{8}-m', first)  # matplotlib's marker ids, stable
    # The salt is set for the report's figures only, never for the caller.
    assert matplotlib.rcParams["svg.hashsalt"] is None


def test_ids_are_unique_on_the_page_and_every_reference_finds_its_id(small_result):
    # matplotlib gives the same marker or clip path the same id in every figure: the page
    # held each such id several times.
    page = small_result.to_html()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)) and any(i.startswith("bk") for i in ids)
    references = set(re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', page))
    assert references and {r for pair in references for r in pair if r} <= set(ids)


class _LabelsOnly(ClassifierMixin, BaseEstimator):
    """A classifier with fit and predict only: no scores at all."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def test_report_without_scores_has_no_curves_but_the_rest(small_result):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 2))
    y = np.array([0] * 48 + [1] * 12)
    result = _quiet_compare(X, y, strategies=["baseline", "random_over"], cv=3,
                            estimator=_LabelsOnly(), scoring="f1")
    page = result.to_html()
    assert "No curves: the model only predicts labels" in page
    assert "Confusion matrices" in page and 'class="bk-cm' in page


def test_long_class_names_are_cut_in_legends_and_headers_not_in_tooltips():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 3))
    rare, common = "fraud_" + "x" * 120, "ok_" + "y" * 90
    y = np.where(rng.random(90) < 0.2, rare, common)
    X[y == rare] += 1.0
    result = _quiet_compare(X, y, strategies=["baseline", "smote"], cv=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # constrained_layout gave up on a legend of 126 characters
        page = result.to_html()
    cut = _plots.short_label(rare)
    assert len(cut) == _plots.LABEL_CHARS and cut.endswith("\u2026") and rare.startswith(cut[:-1])
    assert f"<code>{cut}</code>" in page and f'title="{rare}"' in page
    assert f"<code>{rare}</code>" in page  # the table of classes keeps the whole name
    assert _plots.short_label("short name") == "short name"


def test_names_starting_with_an_underscore_keep_their_legend_entries():
    # matplotlib leaves labels starting with '_' out of legends: the rare class vanished
    # from the PCA view, and a strategy from the curves.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    y = np.where(rng.random(120) < 0.25, "_rare", "common")
    X[y == "_rare"] += 1.0
    result = _quiet_compare(X, y, strategies=["baseline", ("_under", "random_under"), "smote"],
                            cv=3)
    svgs = re.findall(r"<svg.*?</svg>", result.to_html(), re.S)
    texts = [" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)) for svg in svgs]
    assert any("_under" in text for text in texts[:2])  # the curves' legend
    assert "_rare, original" in texts[-1] and "_rare, synthetic" in texts[-1]  # the PCA view


def _callout_tone(page):
    return re.search(r'class="bk-callout bk-(\w+)"', page).group(1)


def test_a_gain_that_was_not_tested_is_not_shown_as_a_success(small_result):
    # The best strategy is not the baseline, but there was no test of its gain (too few folds
    # with a score, or no baseline result): the message says whether it helps is unknown, so
    # the callout must not be the green one of a significant gain.
    summary = copy.deepcopy(small_result.summary)
    rec = summary["recommendation"]
    rec.update(strategy="smote", within_noise=None, diff_vs_baseline=None, p_value=None,
               p_adjusted=None, message="smote has the best PR-AUC, but 1 fold scored both it "
               "and baseline: too few for a test of the difference.")
    assert _callout_tone(render_html(summary)) == "neutral"
    rec.update(within_noise=True)
    assert _callout_tone(render_html(summary)) == "neutral"
    rec.update(within_noise=False, diff_vs_baseline=0.1, p_adjusted=0.01)
    assert _callout_tone(render_html(summary)) == "good"
    rec.update(strategy=None, within_noise=None)
    assert _callout_tone(render_html(summary)) == "bad"


def test_a_gain_on_too_few_scored_folds_is_not_shown_as_a_success():
    # Given splits where only the first validation fold holds the rare class: ROC-AUC has one
    # fold, so no strategy can be tested against the baseline.
    rng = np.random.default_rng(6)
    y = np.array([1] * 30 + [0] * 270)
    X = rng.normal(size=(300, 3)) + 1.5 * y[:, None]
    rows = np.arange(300)
    tests = [np.r_[0:15, 100:185], np.r_[185:300]]
    splits = [(np.setdiff1d(rows, test), test) for test in tests]
    result = _quiet_compare(X, y, strategies=["baseline", "random_under"], cv=splits,
                            scoring="roc_auc")
    rec = result.recommendation
    assert rec["strategy"] == "random_under" and rec["within_noise"] is None
    assert "too few for a test" in rec["message"]
    assert _callout_tone(result.to_html()) == "neutral"


def test_long_strategy_names_are_cut_in_the_plots():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 3))
    y = (rng.random(90) < 0.2).astype(int)
    X[y == 1] += 1.0
    long_name = "under_" + "n" * 90
    result = _quiet_compare(X, y, strategies=["baseline", (long_name, "random_under")], cv=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # constrained_layout gave up on a name of 96 characters
        page = result.to_html()
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    texts = " ".join(" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)) for svg in svgs)
    assert long_name not in texts and _plots.short_label(long_name) in texts
    # The ranking table keeps the whole name, free to wrap after its underscore.
    assert f"<strong>{long_name.replace('_', '_<wbr>')}</strong>" in page


def test_direction_controls_in_names_are_written_out():
    # A right-to-left override in a label would reverse the rest of every line it is shown
    # in (the header, the help under the curves, the notes).
    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 3))
    rare = "fraud\u202e"
    y = np.where(rng.random(90) < 0.2, rare, "ok")
    X[y == rare] += 1.0
    result = _quiet_compare(X, y, strategies=["baseline", ("under\u2067", "random_under")],
                            cv=3)
    page = result.to_html()
    assert "\u202e" not in page and "\u2067" not in page
    assert "<code>fraud[U+202E]</code>" in page and "<strong>under[U+2067]</strong>" in page
    assert result.summary["data"]["positive_label"] == rare  # the data keep the label as it is


def test_characters_missing_from_matplotlibs_font_raise_no_warning(small_result):
    # The SVG keeps its text as text (svg.fonttype 'none'): the browser draws an emoji or a
    # CJK name with its own fonts, so matplotlib's "Glyph ... missing from font" is noise.
    summary = copy.deepcopy(small_result.summary)
    emoji, cjk = "fraud \U0001f389", "\u8a50\u6b3a"
    for c in summary["data"]["classes"]:
        c["label"] = emoji if c["label"] == 1 else cjk
    summary["data"]["positive_label"] = summary["curves"]["positive_label"] = emoji
    for group in summary["pca"]["groups"]:
        group["label"] = emoji if group["label"] == 1 else cjk
    rocket = "smote \U0001f680"
    for entry in [*summary["strategies"], *summary["curves"]["strategies"], *summary["ranking"]]:
        key = "name" if "name" in entry else "strategy"
        if entry[key] == "smote":
            entry[key] = rocket
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        page = render_html(summary)
    assert emoji in page and cjk in page and rocket in page


def test_writing_under_a_file_says_it_is_not_a_directory(small_result, tmp_path):
    (tmp_path / "table.csv").write_text("x\n")
    target = tmp_path / "table.csv" / "out.json"
    for write in (small_result.to_json, small_result.save_html):
        with pytest.raises(NotADirectoryError, match="'.*table.csv' is a file, not a directory"):
            write(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]


def test_from_json_reads_a_path_whose_name_starts_with_a_brace(small_result, tmp_path,
                                                              monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = Path("{run 1}.json")  # relative: its text starts with the brace
    small_result.to_json(path)
    assert ComparisonResult.from_json(path).summary == small_result.summary
    assert ComparisonResult.from_json(path.read_text()).summary == small_result.summary


@pytest.mark.parametrize("pos_label, role", [(None, "rare class"), (0, "positive class")])
def test_a_pos_label_naming_a_larger_class_is_not_called_the_rare_class(pos_label, role):
    # --pos-label may name the majority (the class of interest need not be the rare one);
    # the title, the badge, the curves and the metric descriptions called it "rare class".
    rng = np.random.default_rng(1)
    X = rng.normal(size=(90, 2))
    y = (rng.random(90) < 0.2).astype(int)
    result = _quiet_compare(X, y, strategies=["baseline"], cv=3, pos_label=pos_label)
    data = result.summary["data"]
    assert data["positive_is_rare"] is (role == "rare class")
    assert all(role in m["description"] for m in result.summary["metrics"]
               if m["key"] in ("precision", "recall", "f1", "pr_auc", "roc_auc"))
    page = result.to_html()
    shown = data["positive_label"]
    assert f"{role} <code>{shown}</code>" in page and f'bk-badge">{role}</span>' in page
    other = "positive class" if role == "rare class" else "rare class"
    assert f"{other} <code>" not in page
    assert "precision of the " + role in page
