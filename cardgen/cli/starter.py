"""A name → a starter deck file (cover, three steps, a closing card) that renders as it is.

Input: the deck's file name, its folder and language (ru or en). Output: NAME.yaml, written only
when no such file exists (a starter never replaces someone's work). The text explains the
format while showing it: markup, paragraphs, defaults, the author block.
"""

from __future__ import annotations

from pathlib import Path
from cardgen.base.files import write_file
from cardgen.model.problems import safe_text

STARTERS = {
    "ru": """\
# {name}: карусель из пяти карточек. Отрисовать: cardgen render {file}
title: {title}
theme: default
size: portrait                  # portrait | square | telegram | story | "1080x1350"
lang: ru
author:
  name: Ваше имя
  handle: "@your_handle"
defaults:
  footer: "@your_handle"        # у каждой карточки, где нет своего footer
cards:
  - layout: cover
    title: Три шага к ==первой карусели==
    subtitle: Замените этот текст своим

  - layout: step
    title: Напишите заголовок
    text: |
      Короткий заголовок в одну-две строки читается с первого взгляда.

      Пустая строка начинает новый абзац. **Жирный**, *курсив* и ==акцент== работают в любом тексте.

  - layout: step
    title: Добавьте по одной мысли на карточку
    text: |
      Одна карточка — одна мысль. Если текст не помещается, cardgen скажет, на сколько он длиннее, и ничего не обрежет.

  - layout: step
    title: Отрисуйте и проверьте
    text: |
      Команда cardgen check покажет ошибки и предупреждения, cardgen watch перерисует слайды при каждом сохранении.

  - layout: cta
    title: Сохраните, чтобы не потерять
    text: Подписывайтесь, чтобы не пропустить следующие посты
    hints: [save, share]
""",
    "en": """\
# {name}: a five-card carousel. Render it: cardgen render {file}
title: {title}
theme: default
size: portrait                  # portrait | square | telegram | story | "1080x1350"
lang: en
author:
  name: Your Name
  handle: "@your_handle"
defaults:
  footer: "@your_handle"        # on every card without a footer of its own
cards:
  - layout: cover
    title: Three steps to ==your first carousel==
    subtitle: Replace this text with your own

  - layout: step
    title: Write a headline
    text: |
      A short headline of one or two lines reads at a glance.

      A blank line starts a new paragraph. **Bold**, *italic* and ==accent== work in any text.

  - layout: step
    title: Keep one idea per card
    text: |
      One card, one idea. When a text does not fit, cardgen says by how much it is too long and never cuts it.

  - layout: step
    title: Render and check
    text: |
      cardgen check lists errors and warnings; cardgen watch renders the slides again each time you save.

  - layout: cta
    title: Save this post for later
    text: Follow for the next ones
    hints: [save, share]
""",
}


def starter_text(name: str, lang: str = "ru") -> str:
    file = f"{name}.yaml"
    title = name.replace("-", " ").replace("_", " ").strip().capitalize() or name
    return STARTERS[lang].format(name=name, file=file, title=_yaml_scalar(title))


def _yaml_scalar(text: str) -> str:
    """Quoted when YAML would read the name as something else (a number, a boolean, "a: b")."""
    plain = text.replace(" ", "").isalpha()
    return text if plain else '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_starter(name: str, folder: Path, lang: str = "ru") -> Path:
    """Write FOLDER/NAME.yaml → its path; an existing file is an error (nothing is replaced)."""
    if lang not in STARTERS:
        raise ValueError(f'--lang: expected "ru" or "en", found "{lang}"')
    stem = name.removesuffix(".yaml").removesuffix(".yml")
    # Control characters (an escape sequence pasted from a terminal) make a file no one can type.
    if not stem or "/" in stem or "\\" in stem or stem.startswith(".") or not stem.isprintable():
        raise ValueError(f'NAME: expected a plain file name such as "my-post", found "{safe_text(name)}"')
    # Created exclusively: an existing file (or a link, even a dangling one) is never replaced.
    return write_file(
        folder / f"{stem}.yaml",
        starter_text(stem, lang),
        new=True,
        exists="already exists; cardgen new never replaces a file (choose another NAME or --dir)",
    )
