"""cardgen: a YAML deck file → numbered PNG carousel slides for VK and Telegram.

The pipeline (see the README): load → resolve → typeset/layout → paint → export.
`render_deck` in `cardgen.run.pipeline` runs it; the CLI in `cardgen.cli.app` is a thin layer over it.
"""

__version__ = "0.1.0"
