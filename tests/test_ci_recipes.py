"""The CI recipes in docs/ci/ (and .pre-commit-hooks.yaml) are valid YAML, and every cardgen
command and option they run exists in the installed command."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
RECIPES = [ROOT / "docs" / "ci" / "github-actions.yml", ROOT / "docs" / "ci" / "pre-commit-config.yaml",
           ROOT / ".pre-commit-hooks.yaml"]


def shell_lines(path: Path) -> list[str]:
    """The shell a recipe runs: workflow `run:` steps, and hook `entry:` with its `args`."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and "jobs" in data:
        return [line for job in data["jobs"].values() for step in job["steps"]
                for line in step.get("run", "").splitlines()]
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
                for arg in words[i + 1:]:
                    if arg in {">", "|", "&&", ";", "||"} or arg.startswith(">"):
                        break
                    rest.append(arg)
                found.append(rest)
    return found


@cache
def help_text(command: str) -> str:
    result = subprocess.run([sys.executable, "-m", "cardgen", command, "--help"], capture_output=True, text=True,
                            timeout=60)
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
