"""The ``dateline`` command line: one module per command group, all registered on ``app``."""

from __future__ import annotations

import importlib
import pkgutil

from dateline.cli.app import app

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "app" and not _module.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_module.name}")


def main() -> None:
    """Entry point of the ``dateline`` script."""
    app()


__all__ = ["app", "main"]
