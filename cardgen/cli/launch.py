"""`cardgen` as a command: the process's own set-up, then `cardgen.cli.app`.

Kept apart from `cli` so that the set-up happens before typer, pydantic and Pillow load.
"""

import gc


def main() -> None:
    tune_gc()
    from cardgen.cli.app import main as run

    run()


def tune_gc() -> None:
    # Starting cardgen creates some 65 000 objects that live as long as the process (modules,
    # classes, pydantic schemas) and almost no garbage cycles. With the default threshold (a
    # collection every 700 new objects) the cyclic collector runs ~100 times during start-up
    # and walks them again and again: 30-40 ms of a 0.7 s render. Every 100 000 objects it
    # still runs, so a long `cardgen watch` session keeps its memory bounded.
    gc.set_threshold(100_000, 50, 100)
