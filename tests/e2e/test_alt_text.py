"""alt.txt: a line of alt text per slide, from the card's own typographed text, within the
platform's limit; written with the slides (staged and swapped in as caption.txt is)."""

from __future__ import annotations

from pathlib import Path

from batchkit import age, cardgen

from cardgen.publish.plan import Publish
from cardgen.publish.albums import Album
from cardgen.publish.alttext import alt_files, fit
from cardgen.run.pipeline import render_deck
from cardgen.text.typograph import typograph

DECK = """title: Как работать с негативом
size: 400x500
cards:
  - layout: cover
    title: Как работать с негативом
    subtitle: 7 шагов для SMM-щика
  - layout: step
    title: Не удаляйте сразу
    text: "Сначала ответьте - спокойно и по делу.\\n\\nПотом решайте."
  - layout: list
    title: Что проверить
    items: [Тон, "**Факты**", Сроки]
  - layout: quote
    text: Клиент всегда прав
    author: Кто-то
  - layout: image
    image: pic.png
"""


def make_deck(tmp_path: Path, text: str = DECK) -> Path:
    from PIL import Image

    Image.new("RGB", (400, 500), (90, 120, 200)).save(tmp_path / "pic.png")
    (tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "d.yaml"


def test_one_line_per_slide_from_the_cards_own_typographed_text(tmp_path: Path) -> None:
    result = cardgen("render", str(make_deck(tmp_path)), "--alt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = (tmp_path / "out" / "d" / "alt.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5 == len(list((tmp_path / "out" / "d").glob("*.png")))
    assert lines[0] == "Как\u00a0работать с\u00a0негативом. 7\u00a0шагов для\u00a0SMM-щика"  # as on the slide
    step = typograph("Сначала ответьте - спокойно и по делу.\n\nПотом решайте.", "ru").replace("\n\n", " ")
    assert lines[1] == f"{typograph('Не удаляйте сразу', 'ru')}. {step}" and "\u00a0— спокойно" in step  # typographed
    assert lines[2] == f"{typograph('Что проверить', 'ru')}. Тон. Факты. Сроки"  # markup gone
    assert lines[3] == f"{typograph('Клиент всегда прав', 'ru')}. — Кто-то"
    assert lines[4] == "Как работать с негативом (5/5)"  # a picture alone: which slide of which deck


def test_instagram_and_linkedin_always_get_it_and_other_renders_only_on_request(tmp_path: Path) -> None:
    deck = make_deck(tmp_path)
    assert cardgen("render", str(deck), "-o", "plain", cwd=tmp_path).returncode == 0
    assert not (tmp_path / "plain" / "d" / "alt.txt").exists()
    assert cardgen("render", str(deck), "-o", "ig", "--for", "instagram", cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in (tmp_path / "ig" / "d").iterdir())[-1] == "alt.txt"
    assert cardgen("render", str(deck), "-o", "li", "--for", "linkedin", cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in (tmp_path / "li" / "d").iterdir()) == ["alt.txt", "d.pdf"]  # a line per page


def test_a_deck_split_into_albums_gets_an_alt_file_per_album(tmp_path: Path) -> None:
    cards = "".join(f"  - title: Карточка {i}\n" for i in range(1, 13))
    (tmp_path / "d.yaml").write_text(f"title: T\nsize: 400x500\ncards:\n{cards}", encoding="utf-8")
    result = render_deck(tmp_path / "d.yaml", tmp_path / "out", publish=Publish("instagram"))
    first = (tmp_path / "out" / "d" / "album-1" / "alt.txt").read_text(encoding="utf-8").splitlines()
    second = (tmp_path / "out" / "d" / "album-2" / "alt.txt").read_text(encoding="utf-8").splitlines()
    assert (
        len(first) + len(second) == 12 and first[0] == "Карточка\u00a01" and second[-1] == "Карточка\u00a012"
    )  # the typograph binds a short last number
    assert {p.name for p in result.captions} == {"alt.txt"}


def test_a_long_line_is_cut_after_a_whole_word_within_the_limit() -> None:
    text = "слово " * 400
    cut = fit(text.strip(), 1000)
    assert len(cut) <= 1000 and cut.endswith("слово…")
    assert fit("коротко", 1000) == "коротко"
    files = alt_files(["a" * 50, "b"], [Album(1, range(1)), Album(2, range(1, 2))], 20)
    assert files == {"album-1/alt.txt": "a" * 19 + "…\n", "album-2/alt.txt": "b\n"}


def test_the_limit_is_the_platforms(tmp_path: Path) -> None:
    text = "Довольно длинный текст карточки, в котором есть о чём сказать. " * 8  # about 500 characters
    (tmp_path / "d.yaml").write_text(
        f"title: T\ncards:\n  - title: A\n    text: {text.strip()}\n  - title: B\n", encoding="utf-8"
    )
    assert cardgen("render", "d.yaml", "-o", "li", "--for", "linkedin", cwd=tmp_path).returncode == 0
    assert cardgen("render", "d.yaml", "-o", "ig", "--for", "instagram", cwd=tmp_path).returncode == 0
    linkedin = (tmp_path / "li" / "d" / "alt.txt").read_text(encoding="utf-8").splitlines()[0]
    instagram = (tmp_path / "ig" / "d" / "alt.txt").read_text(encoding="utf-8").splitlines()[0]
    assert len(linkedin) <= 300 < len(instagram) <= 1000 and linkedin.endswith("…") and not instagram.endswith("…")
    assert instagram.startswith(linkedin[:-1])


def test_alt_text_is_recorded_and_a_stale_one_removed_with_the_slides(tmp_path: Path) -> None:
    deck = make_deck(tmp_path)
    age(deck)  # saved before the run: its manifest is written
    assert cardgen("render", str(deck), "--alt", cwd=tmp_path).returncode == 0
    again = cardgen("render", str(deck), "--alt", cwd=tmp_path)
    assert "unchanged" in again.stdout  # the manifest knows alt.txt
    assert cardgen("render", str(deck), cwd=tmp_path).returncode == 0  # without --alt: rendered again, no alt.txt
    assert not (tmp_path / "out" / "d" / "alt.txt").exists()
