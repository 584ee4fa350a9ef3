"""``python -m eventguard`` is the ``eventguard`` command."""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
