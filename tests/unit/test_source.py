from pathlib import Path

import pytest

from cardgen.model.problems import CardgenError
from cardgen.load.reader import format_path, parse_yaml, read_yaml


def test_lines_are_recorded_for_every_field_path():
    source = parse_yaml("title: x\ncards:\n  - layout: cover\n    title: Hi\n  - text: |\n      a\n", Path("d.yaml"))
    assert source.data == {"title": "x", "cards": [{"layout": "cover", "title": "Hi"}, {"text": "a\n"}]}
    assert source.line_of(("cards", 0, "title")) == 4
    assert source.line_of(("cards", 1, "text")) == 5
    assert source.line_of(("cards", 1, "nothing", "deeper")) == 5  # nearest ancestor


def test_where_names_file_line_field_and_card_number():
    source = parse_yaml("cards:\n  - title: a\n  - title: b\n", Path("d.yaml"))
    assert str(source.where(("cards", 1, "title"))) == "d.yaml:3: cards[1].title (card 2)"


def test_format_path():
    assert format_path(("cards", 3, "items", 0)) == "cards[3].items[0] (card 4)"
    assert format_path(("author", "name")) == "author.name"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("title: x\ncards: [\n", 3, "invalid YAML"),
        ("title: x\n  bad: indent\n", 2, "invalid YAML"),
        ("a: 1\na: 2\n", 2, 'duplicate key "a"'),
        ("", None, "the file is empty"),
        ("a: &x [1]\nb: {<<: *x}\n", None, ""),
    ],
)
def test_yaml_errors_carry_the_line(text, line, fragment):
    with pytest.raises(CardgenError) as info:
        parse_yaml(text, Path("d.yaml"))
    assert fragment in str(info.value)
    if line:
        assert info.value.where.line == line


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        # The quote opens on line 3; YAML only notices at the end of the file (line 6).
        (
            'title: x\ncards:\n  - title: "open\n  - title: b\n  - title: c\n',
            3,
            "a quoted value starts here (column 12) and is never closed: found the end of the file at line 6",
        ),
        ("title: x\ncards:\n  - title: 'open\n  - title: b\n", 3, "(column 12) and is never closed"),
        ("title: x\ncards\n  - title: a\n", 2, "a key starts here (column 1): could not find expected ':' at line 3"),
        ("title: x\ncards:\n  - title: [open\n  - title: b\n", 4, "the [ list opens at line 3, column 12"),
    ],
)
def test_yaml_errors_point_where_the_problem_starts(text, line, fragment):
    with pytest.raises(CardgenError) as info:
        parse_yaml(text, Path("d.yaml"))
    assert info.value.where.line == line
    assert fragment in str(info.value)


def test_encoding_and_binary_errors(tmp_path):
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("title: Привет".encode("cp1251"))
    with pytest.raises(CardgenError, match="expected UTF-8"):
        read_yaml(latin)
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\x89PNG\x00\x00")
    with pytest.raises(CardgenError, match="binary"):
        read_yaml(binary)
    bom = tmp_path / "bom.yaml"
    bom.write_bytes("\ufefftitle: ок\n".encode())
    assert read_yaml(bom).data == {"title": "ок"}
    with pytest.raises(CardgenError, match="file not found"):
        read_yaml(tmp_path / "missing.yaml")


def test_alias_bomb_fails_fast():
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    with pytest.raises(CardgenError, match="expands to more than"):
        parse_yaml("\n".join(lines), Path("bomb.yaml"))


def test_a_colon_inside_a_plain_value_says_to_quote_it():
    """«text: Шаблон: utm…» is the YAML mistake post writers make most: the error says what to do."""
    with pytest.raises(CardgenError) as info:
        parse_yaml("title: x\ncards:\n  - text: Шаблон: utm_source=vk\n", Path("d.yaml"))
    (problem,) = info.value.problems
    assert problem.line == 3 and problem.column == 17
    assert problem.hint is not None and 'in quotes (text: "Шаблон: …")' in problem.hint and "text: |" in problem.hint
    with pytest.raises(CardgenError) as other:
        parse_yaml("title: x\n  bad: indent\n", Path("d.yaml"))
    assert other.value.problems[0].hint is None  # only where the advice is right
