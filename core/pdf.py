"""Printable documents (letters, notices, opinions) as PDF, made by WeasyPrint.

A PDF is offered only when WeasyPrint loads and a Chinese font is installed; every document
also has an HTML print view that works without them.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from flask import Response, current_app, flash, redirect, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup


@functools.cache
def cjk_font_available() -> bool:
    """Tell whether fontconfig knows a font that can draw Chinese."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    try:
        found = subprocess.run(
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(found.stdout.strip())


@functools.cache
def weasyprint_loads() -> bool:
    """Tell whether WeasyPrint and the Pango libraries it needs are installed."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def sheet_css() -> Markup:
    """The printed sheets' style (static/report.css), written into a PDF's HTML: the PDF maker
    fetches nothing over the network."""
    return Markup((Path(current_app.static_folder) / "report.css").read_text(encoding="utf-8"))


def pdf_available() -> bool:
    """Tell whether a PDF can be made with real Chinese characters."""
    return cjk_font_available() and weasyprint_loads()


def render_pdf(html: str, base_url: str) -> bytes:
    """Turn a document's HTML into a PDF."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()


def pdf_response(html: str, base_url: str, filename: str) -> Response:
    """The document as a PDF shown inline in the browser."""
    return Response(
        render_pdf(html, base_url),
        mimetype="application/pdf",
        headers={"Content-Disposition": f"inline; filename={filename}"},
    )


def document_response(template: str, print_url: str, filename: str, **context) -> Response:
    """A printed document's PDF (its sheet rendered with `for_pdf`); when the server cannot
    make one, back to the document's print page with the reason and what to install."""
    if not pdf_available():
        return back_to_print(print_url)
    html = render_template(template, for_pdf=True, **context)
    return pdf_response(html, request.url_root, filename)


def back_to_print(print_url: str) -> Response:
    """No PDF can be made here: back to the print page, saying why and what to install."""
    flash(
        _(
            "The PDF cannot be made: the server lacks a Chinese font or the PDF "
            "library (install fonts-noto-cjk and libpangoft2-1.0-0). Print this page instead."
        ),
        "warning",
    )
    return redirect(print_url)
