"""Shared test configuration.

Under CI (``CI`` set) hypothesis runs derandomized: the same generated examples every run, so
a landing is never decided by a lucky or unlucky draw. Locally it explores new examples each
run (and keeps failures in its database), which is how the property tests find bugs.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")
