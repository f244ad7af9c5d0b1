"""`python -m plaudit` is the same as the `plaudit` command."""

import sys

from plaudit.cli import main

sys.exit(main())
