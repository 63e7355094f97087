"""``python -m kaizen_client.server [--host H] [--port P]``: the same as ``kaizen serve``."""

from __future__ import annotations

import sys

from ..cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
