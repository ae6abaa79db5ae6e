import re

from pathlib import Path

import pytest

from cardgen.model.problems import CardgenError
from cardgen.load.theme import builtin_themes, load_theme


def test_builtin_themes_validate():
    names = builtin_themes()
    assert {"default", "midnight", "paper"} <= set(names)
    for name in names:
        theme = load_theme(name)
        assert theme.roles["body"].size > 0
        assert theme.description


def test_extends_merges_deeply(tmp_path):
    themes = tmp_path / "themes"
    themes.mkdir()
    (themes / "brand.yaml").write_text(
        "extends: midnight\ncolors:\n  accent: '#FF0000'\nroles:\n  body: {size: 44}\n", encoding="utf-8"
    )
    theme = load_theme("brand", tmp_path)
    assert theme.color("accent") == (255, 0, 0, 255)
    assert theme.roles["body"].size == 44
    assert theme.roles["body"].hyphenate is True  # kept from default, two levels up
    assert theme.background.type == "linear"  # from midnight
    assert [p.stem for p in theme.files] == ["brand", "midnight", "default"]


def test_a_themes_folder_beside_the_deck_wins_over_builtin(tmp_path):
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "midnight.yaml").write_text("extends: default\ncolors: {accent: '#00FF00'}\n")
    assert load_theme("midnight", tmp_path).color("accent") == (0, 255, 0, 255)


def test_theme_by_path(tmp_path):
    (tmp_path / "mine.yaml").write_text("extends: paper\n")
    assert load_theme("mine.yaml", tmp_path).accent.style == "highlight"


def test_cycle_is_detected(tmp_path):
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "a.yaml").write_text("extends: b\n")
    (tmp_path / "themes" / "b.yaml").write_text("# b\n\nextends: a\n")
    with pytest.raises(CardgenError, match=re.escape("cycle: a.yaml → b.yaml → a.yaml")) as info:
        load_theme("a", tmp_path)
    assert str(info.value).startswith(f"{tmp_path}/themes/b.yaml:3: extends: themes extend each other")
    for i in range(20):
        (tmp_path / "themes" / f"t{i}.yaml").write_text(f"# {i}\nextends: t{i + 1}\n")
    with pytest.raises(CardgenError, match=r"themes/t15.yaml:2: extends: more than 16 themes in an extends chain"):
        load_theme("t0", tmp_path)


def test_unknown_theme_lists_known_ones():
    with pytest.raises(CardgenError, match=r'unknown theme "midnigth" \(did you mean "midnight"\?\); known: .*default'):
        load_theme("midnigth")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("roles:\n  boddy: {size: 10}\n", 'unknown text role "boddy" (did you mean "body"?)'),
        ("colors:\n  accent: '#12'\n", "expected a color"),
        ("roles:\n  body: {color: nope}\n", 'unknown color "nope"'),
        ("roles:\n  body: {font: serif}\n", 'unknown font key "serif"'),
        ("background: {type: linear, colors: ['#000']}\n", "at least two colors"),
        ("spacing: {margins: 10}\n", 'unknown key "margins" (did you mean "margin"?)'),
        # the type scale in order: a contradiction was taken silently (a min or max never used)
        ("roles:\n  body: {size: 40, min_size: 100, max_size: 20}\n", "min_size 100 is larger than max_size 20"),
        ("roles:\n  body: {size: 40, min_size: 50}\n", "min_size 50 is larger than size 40"),
        ("roles:\n  body: {size: 44, max_size: 42}\n", "max_size 42 is smaller than size 44"),
    ],
)
def test_theme_errors(tmp_path, text, fragment):
    (tmp_path / "t.yaml").write_text("extends: default\n" + text)
    with pytest.raises(CardgenError) as info:
        load_theme("t.yaml", tmp_path)
    assert fragment in str(info.value)
    assert "t.yaml" in str(info.value)


def test_palette_colors_that_name_each_other_in_a_loop_are_errors_at_their_own_lines(tmp_path):
    """They were reported as 15 errors at the built-in theme's lines (every role that uses them:
    'unknown color "accent" (did you mean "accent"?)'), none at the loop."""
    (tmp_path / "t.yaml").write_text("extends: default\ncolors: {accent: text, text: muted, muted: accent}\n")
    with pytest.raises(CardgenError) as info:
        load_theme("t.yaml", tmp_path)
    problems = info.value.problems
    assert sorted(p.field for p in problems) == ["colors.accent", "colors.muted", "colors.text"]
    assert all(Path(p.file).name == "t.yaml" and p.line == 2 for p in problems)
    assert "name each other in a loop (accent → text → muted → accent)" in str(info.value)


def test_an_error_in_a_child_theme_is_located_in_the_child_not_in_default(tmp_path):
    (tmp_path / "t.yaml").write_text("extends: default\nroles:\n  body: {color: nope}\n")
    with pytest.raises(CardgenError) as info:
        load_theme("t.yaml", tmp_path)
    assert str(info.value).startswith(f'{tmp_path / "t.yaml"}:3: roles.body.color: unknown color "nope"')
    assert "default.yaml" not in str(info.value)


def test_every_theme_error_is_reported_at_its_own_line(tmp_path):
    (tmp_path / "t.yaml").write_text(
        "extends: default\ncolors:\n  accent: '#12'\nroles:\n  body: {color: nope}\n  boddy: {size: 10}\n"
        "spacing: {margins: 10}\n"
    )
    with pytest.raises(CardgenError) as info:
        load_theme("t.yaml", tmp_path)
    errors = info.value.problems  # one problem each, not one joined message
    assert [(e.where.file.name, e.where.line, e.where.field) for e in errors] == [
        ("t.yaml", 3, "colors.accent"),
        ("t.yaml", 5, "roles.body.color"),
        ("t.yaml", 6, "roles.boddy"),
        ("t.yaml", 7, "spacing.margins"),
    ]
    assert all("\\n" not in str(e) and "\n" not in str(e) for e in errors)


@pytest.fixture
def project(tmp_path):
    """tmp/project (the root) with themes/ and assets/logo.png, and tmp/secret.png outside it."""
    from PIL import Image

    root = tmp_path / "project"
    (root / "themes").mkdir(parents=True)
    (root / "assets").mkdir()
    Image.new("RGB", (8, 8)).save(root / "assets" / "logo.png")
    Image.new("RGB", (8, 8)).save(tmp_path / "secret.png")
    return root


@pytest.mark.parametrize(
    ("theme", "fragment"),
    [
        ("background: {type: image, image: ../../secret.png}\n", ':2: background.image: "../../secret.png" is outside'),
        ("brand:\n  logo: SECRET\n", ":3: brand.logo: absolute paths are not allowed"),
        ("brand: {logo: ../assets/link.png}\n", ':2: brand.logo: "../assets/link.png" is a symbolic link to'),
    ],
)
def test_paths_in_a_theme_must_stay_inside_the_project(project, theme, fragment):
    (project / "assets" / "link.png").symlink_to(project.parent / "secret.png")
    (project / "themes" / "t.yaml").write_text(
        "extends: default\n" + theme.replace("SECRET", str(project.parent / "secret.png"))
    )
    with pytest.raises(CardgenError) as info:
        load_theme("t", project, root=project)
    assert f"themes/t.yaml{fragment}" in str(info.value)
    assert "--allow-outside-paths" in str(info.value)
    assert load_theme("t", project, root=project, allow_outside=True).files[0].name == "t.yaml"


def test_a_theme_found_by_name_that_links_outside_is_refused(project):
    (project.parent / "outside.yaml").write_text("extends: default\n")
    (project / "themes" / "linked.yaml").symlink_to(project.parent / "outside.yaml")
    with pytest.raises(CardgenError, match=r'"themes/linked.yaml" is a symbolic link to .*outside the project root'):
        load_theme("linked", project, root=project)
    assert load_theme("linked", project, root=project, trust_name=True).files[0].name == "outside.yaml"  # --theme


def test_builtin_themes_and_their_pictures_are_trusted_whatever_the_root(project):
    theme = load_theme("photo", project, root=project)  # its picture lives in cardgen's own folder
    assert theme.background.image is not None and not theme.background.image.is_relative_to(project)
    (project / "themes" / "mine.yaml").write_text("extends: photo\nbrand: {logo: ../assets/logo.png}\n")
    assert load_theme("mine", project, root=project).brand.logo == project / "assets" / "logo.png"


def test_a_theme_named_with_theme_option_brings_the_files_beside_it(project):
    brand = project.parent / "brand"
    brand.mkdir()
    (brand / "logo.png").write_bytes((project / "assets" / "logo.png").read_bytes())
    (brand / "acme.yaml").write_text("extends: default\nbrand: {logo: logo.png}\n")
    theme = load_theme(str(brand / "acme.yaml"), project, root=project, trust_name=True)
    assert theme.brand.logo == brand / "logo.png"
    with pytest.raises(CardgenError, match="outside the project root"):
        load_theme("../brand/acme.yaml", project, root=project)  # named by a deck: checked


def test_theme_file_errors_and_an_unknown_font_family_are_reported_together(project):
    from cardgen.run.pipeline import layout_deck

    (project / "themes" / "t.yaml").write_text(
        "extends: default\nbackground: {type: image, image: none.jpg}\nbrand: {logo: none.png}\n"
        "fonts:\n  body: {family: Helvetica}\n"
    )
    (project / "d.yaml").write_text("title: T\ntheme: t\ncards:\n  - title: a\n")
    with pytest.raises(CardgenError) as info:
        layout_deck(project / "d.yaml")
    lines = str(info.value).splitlines()
    assert [line.split(": ")[0:2] for line in lines] == [
        [f"{project}/themes/t.yaml:2", "background.image"],
        [f"{project}/themes/t.yaml:3", "brand.logo"],
        [f"{project}/themes/t.yaml:5", "fonts.body.family"],
    ]
    assert 'unknown font family "Helvetica"' in lines[2]


def test_schema_errors_in_two_layers_do_not_hide_an_unknown_font_family(project):
    """A bad value and an unknown role take two validation passes to find; the font family is
    checked only once the theme validates, so it needs a third."""
    from cardgen.run.pipeline import layout_deck

    (project / "themes" / "t.yaml").write_text(
        "extends: default\nroles:\n  body:\n    size: big\n  titel:\n    size: 40\n"
        "fonts:\n  heading:\n    family: NoSuchFont\n"
    )
    (project / "d.yaml").write_text("title: T\ntheme: t\ncards:\n  - title: a\n    text: b\n")
    with pytest.raises(CardgenError) as info:
        layout_deck(project / "d.yaml")
    lines = str(info.value).splitlines()
    assert [line.split(": ")[1] for line in lines] == ["roles.body.size", "roles.titel", "fonts.heading.family"]


def test_a_path_in_extends_resolves_against_the_theme_files_own_folder(project):
    (project / "themes" / "base.yaml").write_text("extends: default\ncolors: {accent: '#2255AA'}\n")
    (project / "themes" / "child.yaml").write_text("extends: base.yaml\n")
    theme = load_theme("child", project, root=project)
    assert [p.name for p in theme.files] == ["child.yaml", "base.yaml", "default.yaml"]
    assert theme.color("accent") == (0x22, 0x55, 0xAA, 255)
    # ../../ from themes/ leaves the project: refused, then allowed by the flag (and found there).
    (project.parent / "secret").mkdir()
    (project.parent / "secret" / "t.yaml").write_text("extends: paper\n")
    (project / "themes" / "out.yaml").write_text("extends: ../../secret/t.yaml\n")
    with pytest.raises(CardgenError, match=r'themes/out.yaml:1: extends: "../../secret/t.yaml" is outside the project'):
        load_theme("out", project, root=project)
    assert load_theme("out", project, root=project, allow_outside=True).files[1] == project.parent / "secret" / "t.yaml"


def test_a_theme_path_that_is_no_file_says_what_it_is(tmp_path):
    import os

    (tmp_path / "folder.yaml").mkdir()
    (tmp_path / "file").write_text("x")
    with pytest.raises(CardgenError, match=re.escape('"folder.yaml": expected a YAML file, found a folder')):
        load_theme("folder.yaml", tmp_path)
    with pytest.raises(CardgenError, match=r'theme file not found: "nope/t.yaml" \(looked in .*nope\)'):
        load_theme("nope/t.yaml", tmp_path)
    with pytest.raises(
        CardgenError, match=re.escape('theme file not found: "file/t.yaml": a part of the path is a file')
    ):
        load_theme("file/t.yaml", tmp_path)
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.yaml")
        with pytest.raises(CardgenError, match=r'"pipe.yaml": expected a YAML file, found a named pipe \(FIFO\)'):
            load_theme("pipe.yaml", tmp_path)
        (tmp_path / "themes").mkdir()
        os.mkfifo(tmp_path / "themes" / "piped.yaml")  # found by name: said, not skipped for a built-in
        with pytest.raises(
            CardgenError, match=re.escape('"themes/piped.yaml": expected a YAML file, found a named pipe')
        ):
            load_theme("piped", tmp_path)
    if os.path.exists("/dev/zero"):
        with pytest.raises(CardgenError, match='"/dev/zero": expected a YAML file, found a device'):
            load_theme("/dev/zero", tmp_path)


def test_theme_values_are_strict_about_booleans_and_infinite_numbers(tmp_path):
    (tmp_path / "t.yaml").write_text(
        "extends: default\nroles:\n  body: {size: .inf, uppercase: 1, line_height: true}\n"
        "background: {type: radial, colors: [accent, text], center: [.nan, 0.5]}\n"
    )
    with pytest.raises(CardgenError) as info:
        load_theme("t.yaml", tmp_path)
    lines = str(info.value).splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == [
        "roles.body.size: expected a number, found .inf (infinity)",
        "roles.body.line_height: expected a number, found true",
        "roles.body.uppercase: expected true or false, found the number 1",
        "background.center[0]: expected a number, found .nan (not a number)",
    ]


def test_keys_cardgen_never_drew_are_refused_at_their_line_with_what_to_do(tmp_path):
    """`tracking` and `brand.logo_height` were accepted and ignored: now each is an error at its line."""
    (tmp_path / "t.yaml").write_text(
        "extends: default\nroles:\n  title:\n    tracking: 0.02\nbrand:\n  logo_height: 60\n"
    )
    with pytest.raises(CardgenError) as info:
        load_theme("t.yaml", tmp_path)
    problems = info.value.problems
    assert [(p.line, p.field) for p in problems] == [(4, "roles.title.tracking"), (6, "brand.logo_height")]
    assert problems[0].message.startswith('"tracking" is not supported: letter spacing is not drawn')
    assert "footer role's size" in problems[1].message and "unknown key" not in str(info.value)


@pytest.mark.parametrize(("text", "key", "line"), [("extends: default\nfiles: [x.yaml]\n", "files", 2)])
def test_a_key_the_loader_sets_is_an_unknown_key_not_silently_replaced(tmp_path, text, key, line):
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "mine.yaml").write_text(text)
    with pytest.raises(CardgenError) as info:
        load_theme("mine", tmp_path)
    (problem,) = info.value.problems
    assert f'unknown key "{key}"' in problem.message and problem.line == line
    assert problem.file is not None and problem.file.endswith("mine.yaml")


def test_a_deck_key_the_loader_sets_is_an_unknown_key(tmp_path):
    from cardgen.load.deck import load_deck

    (tmp_path / "d.yaml").write_text("title: t\nlimits: 5\ncards: [{title: a}]\n")
    with pytest.raises(CardgenError) as info:
        load_deck(tmp_path / "d.yaml")
    assert [(p.line, p.message.split(";")[0]) for p in info.value.problems] == [(2, 'unknown key "limits"')]
