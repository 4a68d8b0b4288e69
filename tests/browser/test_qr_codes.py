"""QR codes decode back to their URLs: drawn by Chromium from the SVG, read by a real decoder (zxing-cpp)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from pvkit.kitfolder import load_kit
from pvkit.links import learner_links, write_qr_codes
from tests.browser.conftest import new_page
from tests.conftest import REPO

pytestmark = pytest.mark.browser


def test_every_qr_code_decodes_to_its_link(chromium, tmp_path: Path):
    """Each SVG written by pvkit links, rendered in Chromium, decodes to exactly its URL."""
    import zxingcpp
    from PIL import Image

    links = learner_links(load_kit(REPO), "my-agency/pvkit-kit", "main", "https://hub.example.org")
    paths = write_qr_codes(links, tmp_path)
    page = new_page(chromium)
    try:
        for link, path in zip(links, paths, strict=True):
            page.set_content(f'<body style="margin:20px;background:#fff">{path.read_text()}</body>')
            png = page.locator("svg").screenshot()
            [result] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
            assert result.text == link.url
    finally:
        page.context.close()
