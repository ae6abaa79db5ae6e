"""`cardgen` as a command: the process's own set-up, then the command line (`cardgen.cli.core`).

Kept apart so that the set-up happens before typer, pydantic and Pillow load.
`cardgen --version` alone is answered here, without typer: the same line the app prints. A plain
`cardgen render …` or `cardgen check …` runs without typer too (`cardgen.cli.fast`); any other
line imports `cardgen.cli.app`, the typer app, when `core.run` hands it over.
"""

import os
import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from cardgen import __version__

        sys.stdout.write(f"cardgen {__version__}\n")
        return
    from cardgen.base import dataclass_code, pattern_code
    from cardgen.base.process import exit_now, tune_gc

    tune_gc()
    dataclass_code.install()  # cardgen's dataclass methods from their compiled sources (~40 ms of start-up on 3.11)
    pattern_code.install()  # the regular expressions a render meets, compiled ahead (~15 ms)
    # cardgen uses no pydantic plugins; skipping their discovery saves start-up time.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    for stream in (sys.stdout, sys.stderr):
        # The last net under every message: a file name that is not UTF-8 that escaped
        # `safe_text` prints as \udcff rather than stopping the run with UnicodeEncodeError.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    exit_now(run(sys.argv[1:]))


def run(args: list[str]) -> int:
    """The command line → its exit code, typer imported only when the line needs it."""
    from cardgen.cli import core

    return core.run(args, _typer_command)


def _typer_command(args: list[str], settings: dict[str, object]) -> int:  # no `typing`: --version stays lean
    from cardgen.cli.app import typer_command

    return typer_command(args, settings)
