"""Layouts for numbers and contrasts: `stat` (a big number, a label, a short explanation) and
`compare` (two columns: «было / стало», «Цель» vs «Задача»)."""

from __future__ import annotations

from cardgen.layout.flow import Columns, FixedBlock, Flow, TextBlock, prepare
from cardgen.layout.layouts.text import flow, title_blocks, with_alpha
from cardgen.text.markup import Span
from cardgen.model.page import Box, FillBox, Rect, Solid
from cardgen.resolve.cards import CardSpec


def stat(card: CardSpec, area: Rect) -> Flow:
    s = card.scale
    # The figure never wraps («+38 %» is one thing): no-break spaces, so a figure too wide for the
    # card makes its role smaller instead (see cardgen.layout.scale).
    value = ((Span((card.number or "").replace(" ", "\u00a0")),),)
    blocks: list = [
        TextBlock("number", card.styles["stat"], prepare(card, "number", "stat", value)),
        TextBlock("title", card.styles["title"], prepare(card, "title", "title"), 56 * s),
        TextBlock("text", card.styles["body"], prepare(card, "text", "body"), card.gap * 1.3),
    ]
    return flow(card, area, blocks)  # the figure and its label stay together


def compare(card: CardSpec, area: Rect) -> Flow:
    """Two columns, set row by row: the bars, the column titles, their texts, then each pair of
    items side by side, so item i of «было» and item i of «стало» start at one height and the
    reader compares them across (each row as tall as its taller side)."""
    s = card.scale
    # Two columns are narrow: their items a little smaller than a list's (`column_item`; a theme
    # without it sets them as `item`).
    item = card.styles.get("column_item") or card.styles["item"]
    columns = card.columns
    rows: list[tuple[float, tuple[tuple, ...]]] = [
        (0.0, tuple((FixedBlock(f"columns[{side}].bar", 5 * s, 0, paint=None),) for side in range(len(columns))))
    ]
    if any(column.title for column in columns):
        rows.append(
            (
                36 * s,
                tuple(
                    (
                        TextBlock(
                            f"{_side(side)}.title",
                            card.styles["column_title"],
                            prepare(card, "title", "column_title", column.title),
                        ),
                    )
                    if column.title
                    else ()
                    for side, column in enumerate(columns)
                ),
            )
        )
    texts = any(column.text for column in columns)
    if texts:
        rows.append(
            (
                card.gap,
                tuple(
                    (TextBlock(f"{_side(side)}.text", item, prepare(card, "text", item.role, column.text)),)
                    if column.text
                    else ()
                    for side, column in enumerate(columns)
                ),
            )
        )
    item_rows = len(rows)  # rows from here on are item pairs
    for i in range(max((len(column.items) for column in columns), default=0)):
        gap = card.gap * (1.0 if i == 0 and not texts else 0.55 if i else 0.8)
        rows.append(
            (
                gap,
                tuple(
                    (
                        TextBlock(
                            f"{_side(side)}.items[{i}]",
                            item,
                            prepare(card, "items", item.role, column.items[i]),
                            0.0,
                            0.75,
                            "bullet",
                        ),
                    )
                    if i < len(column.items)
                    else ()
                    for side, column in enumerate(columns)
                ),
            )
        )
    blocks: list = title_blocks(card)
    if columns:
        first = card.gap * (1.6 if card.title_rule is None else 1.1) if blocks else 0.0
        # A hairline between item pairs, as between a list's items: a row where one side is
        # shorter reads as a row of a table, not as a missing line.
        rule = Solid(with_alpha(item.color, 40))
        for n, (gap, stacks) in enumerate(rows):
            if n > item_rows:
                blocks.append(FixedBlock(f"columns.divider[{n - item_rows}]", max(1.0, 2 * s), 0, gap, paint=rule))
            blocks.append(
                Columns("columns" if not n else f"columns.row[{n}]", stacks, first if not n else gap, spacing=44 * s)
            )
    # A sparse comparison (three short items a side) steps up the scale like any card: at the
    # reading size it sat over a third of an empty card (the roles' max_size keep narrow columns
    # from growing past what their measure holds).
    return flow(card, area, blocks)


def _side(index: int) -> str:
    return "left" if index == 0 else "right"


def column_bars(card: CardSpec, boxes: list[Box]) -> list[Box]:
    """Each column opens with a colored bar: muted for the first («было»), accent for the second."""
    out: list[Box] = []
    muted = card.styles["cover_subtitle"].color
    accent = card.styles["number"].color
    for box in boxes:
        if isinstance(box, FillBox) and box.field.startswith("columns[") and box.field.endswith(".bar"):
            color = accent if box.field.startswith("columns[1]") or len(card.columns) == 1 else muted
            out.append(FillBox(box.rect, Solid(color), box.rect.h / 2, field=box.field + ".fill"))
    return out
