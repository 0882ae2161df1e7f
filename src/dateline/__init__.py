"""dateline: a structured, cited, queryable account of a story from many outlets' articles."""

from dateline.pipeline import analyze

__version__ = "0.1.0"
__all__ = ["__version__", "analyze"]
