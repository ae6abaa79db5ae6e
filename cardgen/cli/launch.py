"""`cardgen` as a command: the process's own set-up, then `cardgen.cli.app`.

Kept apart from `cli.app` so that the set-up happens before typer, pydantic and Pillow load.
"""

from cardgen.base.process import tune_gc


def main() -> None:
    tune_gc()
    from cardgen.cli.app import main as run

    run()
