"""``python -m pvkit``."""

import sys

from pvkit.cli import main

sys.exit(main())
