"""The comparison report: summary dict -> jinja2 templates -> one self-contained HTML file.

The HTML has its CSS inline and its plots inline as SVG (drawn with
matplotlib's SVG canvas), no scripts and no external resources, so it opens
offline and can be sent as a single file. Templates autoescape: every string
from the data (column names, class labels) appears as text.
"""

from ._html import render_html, save_html

__all__ = ["render_html", "save_html"]
