"""The QR codes on link cards read back as their addresses, with a real decoder (zxing-cpp),
at the full size and at the smallest canvas a deck can ask for."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp

from cardgen.model.page import QRBox
from cardgen.paint.draw import paint_page
from cardgen.run.pipeline import layout_deck

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("size", [None, "540x675", "360x450"])
def test_every_qr_code_on_the_photostocks_cards_decodes_to_its_link(size: str | None) -> None:
    laid = layout_deck(ROOT / "decks" / "photostocks.yaml", size=size)
    checked = 0
    for page in laid.pages:
        codes = [b for b in page.boxes if isinstance(b, QRBox)]
        if not codes:
            continue
        image = paint_page(page)
        found = zxingcpp.read_barcodes(image)
        assert [(r.format, r.text) for r in found] == [(zxingcpp.BarcodeFormat.QRCode, codes[0].data)], codes[0].data
        checked += 1
    assert checked == 9  # one per stock


def test_a_qr_code_of_a_long_tracking_link_still_decodes(tmp_path: Path) -> None:
    url = "https://www.canva.com/design/play?utm_source=vk&utm_medium=post&utm_campaign=carousel-2026-11"
    deck = tmp_path / "d.yaml"
    deck.write_text(
        f"title: T\ncards:\n  - layout: link\n    title: Canva\n    text: Редактор\n    url: {url}\n    qr: true\n",
        encoding="utf-8",
    )
    laid = layout_deck(deck)
    (found,) = zxingcpp.read_barcodes(paint_page(laid.pages[0]))
    assert found.text == url
