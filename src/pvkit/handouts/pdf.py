"""PDF from handout HTML with WeasyPrint: paged media, tagged PDF (PDF/UA-1) for screen readers."""

from __future__ import annotations

from pvkit.errors import PvkitError

__all__ = ["PdfUnavailable", "html_to_pdf"]


class PdfUnavailable(PvkitError):
    """WeasyPrint or the system libraries it needs are missing."""

    exit_code = 1


def html_to_pdf(html: str) -> bytes:
    """Render one self-contained handout HTML page to PDF bytes.

    Raises
    ------
    PdfUnavailable
        When WeasyPrint cannot load (usually Pango is not installed), with what to install.
    """
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(
            f"PDF output needs WeasyPrint and the Pango library ({exc}).\n"
            "  How to fix: on Debian or Ubuntu run 'apt-get install libpango-1.0-0 libpangoft2-1.0-0', "
            "or build HTML only with --format html"
        ) from exc
    # The HTML is self-contained: only inline data: URIs (the logo) are read, never a network or file URL.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf(
        pdf_variant="pdf/ua-1", pdf_identifier=b"pvkit-handout",
    )
