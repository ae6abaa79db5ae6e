"""`cardgen` as a command: the process's own set-up, then `cardgen.cli.app`.

Kept apart from `cli.app` so that the set-up happens before typer, pydantic and Pillow load.
`cardgen --version` alone is answered here, without typer: the same line the app prints.
"""

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from cardgen import __version__

        sys.stdout.write(f"cardgen {__version__}\n")
        return
    from cardgen.base.process import tune_gc

    tune_gc()
    from cardgen.cli.app import main as run

    run()
