"""Provides the entry point: `microgpt-tui` and `python -m microgpt_tui`."""

import sys


def main() -> None:
    from microgpt_tui.cli.main import main as cli_main

    sys.exit(cli_main())


if __name__ == "__main__":
    main()
