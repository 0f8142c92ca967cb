"""The fast embedding backend: an ONNX graph of all-MiniLM-L6-v2 run by onnxruntime.

No package ships the ONNX file and torch is not installed, so the BERT graph is written here with
`onnx.helper` from the same sha256-checked safetensors arrays the numpy backend uses, saved once
to the models cache (atomically) and reused. Plain opset-17 ops; onnxruntime's ALL optimisation
level fuses them (GELU, LayerNorm, MatMul+Add) on load.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

from knowledge.minilm_model import MASKED_SCORE, MiniLMWeights, mean_pool_normalise

log = logging.getLogger(__name__)

OPSET = 17
IR_VERSION = 8
# Bump when the graph below changes, so cached files from older code are rebuilt.
GRAPH_VERSION = "1"
META_GRAPH_VERSION = "townhall_graph_version"
META_WEIGHTS_SHA256 = "townhall_weights_sha256"


def cache_file(cache_dir: Path, weights_sha256: str) -> Path:
    return Path(cache_dir) / f"minilm-l6-v2-{weights_sha256[:12]}.onnx"


class _GraphWriter:
    """Collects nodes and initializers with unique names."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._count = 0

    def const(self, name: str, value: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def op(self, op_type: str, *inputs: str, **attrs: object) -> str:
        self._count += 1
        out = f"{op_type.lower()}_{self._count}"
        self.nodes.append(helper.make_node(op_type, list(inputs), [out], **attrs))
        return out

    def linear(self, x: str, weight: np.ndarray, bias: np.ndarray, name: str) -> str:
        """x @ weight.T + bias, with torch's (out, in) weight layout transposed once here."""
        w = self.const(name + ".weight_t", weight.T.astype(np.float32))
        b = self.const(name + ".bias", bias.astype(np.float32))
        return self.op("Add", self.op("MatMul", x, w), b)

    def layer_norm(self, x: str, weights: MiniLMWeights, name: str) -> str:
        t = weights.tensors
        gamma = self.const(name + ".weight", t[name + ".weight"])
        beta = self.const(name + ".bias", t[name + ".bias"])
        return self.op(
            "LayerNormalization", x, gamma, beta, axis=-1, epsilon=weights.config.layer_norm_eps
        )


def build_graph(weights: MiniLMWeights) -> onnx.ModelProto:
    """BERT encoder: (input_ids, attention_mask, token_type_ids) -> last_hidden_state."""
    cfg, t = weights.config, weights.tensors
    g = _GraphWriter()
    heads, head_size, hidden = cfg.num_heads, cfg.head_size, cfg.hidden_size
    i64 = np.int64

    # Embeddings: word + position[:seq] + token type, then LayerNorm.
    word = g.op(
        "Gather", g.const("word_embeddings", t["embeddings.word_embeddings.weight"]), "input_ids"
    )
    types = g.op(
        "Gather",
        g.const("type_embeddings", t["embeddings.token_type_embeddings.weight"]),
        "token_type_ids",
    )
    seq_len = g.op("Shape", "input_ids", start=1, end=2)
    positions = g.op(
        "Slice",
        g.const("position_embeddings", t["embeddings.position_embeddings.weight"]),
        g.const("zero_1d", np.array([0], dtype=i64)),
        seq_len,
        g.const("axis0_1d", np.array([0], dtype=i64)),
    )
    x = g.op("Add", g.op("Add", word, positions), types)
    x = g.layer_norm(x, weights, "embeddings.LayerNorm")

    # Padding keys get a large negative score: (1 - mask) * MASKED_SCORE, shaped (B, 1, 1, S).
    mask = g.op("Cast", "attention_mask", to=TensorProto.FLOAT)
    mask = g.op("Sub", g.const("one", np.array(1.0, dtype=np.float32)), mask)
    mask = g.op("Mul", mask, g.const("masked_score", np.array(MASKED_SCORE, dtype=np.float32)))
    score_bias = g.op("Unsqueeze", mask, g.const("axes_1_2", np.array([1, 2], dtype=i64)))

    split_heads = g.const("split_heads_shape", np.array([0, 0, heads, head_size], dtype=i64))
    merge_heads = g.const("merge_heads_shape", np.array([0, 0, hidden], dtype=i64))
    scale = g.const("score_scale", np.array(1.0 / np.sqrt(head_size), dtype=np.float32))
    sqrt2 = g.const("sqrt2", np.array(np.sqrt(2.0), dtype=np.float32))
    half = g.const("half", np.array(0.5, dtype=np.float32))

    for i in range(cfg.num_layers):
        p = f"encoder.layer.{i}."
        s = p + "attention.self."

        def project(x: str, part: str, perm: list[int], s: str = s) -> str:
            y = g.linear(x, t[f"{s}{part}.weight"], t[f"{s}{part}.bias"], s + part)
            return g.op("Transpose", g.op("Reshape", y, split_heads), perm=perm)

        q = project(x, "query", [0, 2, 1, 3])  # (B, H, S, D)
        k = project(x, "key", [0, 2, 3, 1])  # (B, H, D, S)
        v = project(x, "value", [0, 2, 1, 3])
        scores = g.op("Add", g.op("Mul", g.op("MatMul", q, k), scale), score_bias)
        probs = g.op("Softmax", scores, axis=-1)
        context = g.op("Transpose", g.op("MatMul", probs, v), perm=[0, 2, 1, 3])
        context = g.op("Reshape", context, merge_heads)
        o = p + "attention.output."
        attn = g.linear(context, t[o + "dense.weight"], t[o + "dense.bias"], o + "dense")
        x = g.layer_norm(g.op("Add", attn, x), weights, o + "LayerNorm")

        inner = p + "intermediate.dense"
        h = g.linear(x, t[inner + ".weight"], t[inner + ".bias"], inner)
        # Exact (erf) GELU in the pattern onnxruntime fuses: x * 0.5 * (1 + erf(x / sqrt 2)).
        erf = g.op("Erf", g.op("Div", h, sqrt2))
        h = g.op(
            "Mul",
            g.op("Mul", h, g.op("Add", erf, g.const(f"one_{i}", np.array(1.0, dtype=np.float32)))),
            half,
        )
        out = p + "output."
        f = g.linear(h, t[out + "dense.weight"], t[out + "dense.bias"], out + "dense")
        x = g.layer_norm(g.op("Add", f, x), weights, out + "LayerNorm")

    g.nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"]))
    token_input = ["batch", "sequence"]
    graph = helper.make_graph(
        g.nodes,
        "all-MiniLM-L6-v2",
        [
            helper.make_tensor_value_info(name, TensorProto.INT64, token_input)
            for name in ("input_ids", "attention_mask", "token_type_ids")
        ],
        [
            helper.make_tensor_value_info(
                "last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", hidden]
            )
        ],
        g.initializers,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        ir_version=IR_VERSION,
        producer_name="townhall",
    )
    helper.set_model_props(
        model, {META_GRAPH_VERSION: GRAPH_VERSION, META_WEIGHTS_SHA256: weights.sha256}
    )
    onnx.checker.check_model(model)
    return model


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        os.fchmod(fd, 0o644)  # public weights: readable by the service user too
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class OnnxMiniLM:
    """Runs the cached graph; builds and saves it first when it is missing or stale."""

    def __init__(self, weights: MiniLMWeights, cache_dir: Path, threads: int) -> None:
        self.path = cache_file(cache_dir, weights.sha256)
        self.options = ort.SessionOptions()
        self.options.intra_op_num_threads = threads
        self.options.inter_op_num_threads = 1
        self.options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.options.log_severity_level = 3
        self.built = False
        self.session = self._cached_session(weights.sha256) or self._build(weights)

    def _session(self, model: str | bytes) -> ort.InferenceSession:
        return ort.InferenceSession(model, self.options, providers=["CPUExecutionProvider"])

    def _cached_session(self, weights_sha256: str) -> ort.InferenceSession | None:
        if not self.path.is_file():
            return None
        try:
            session = self._session(str(self.path))
        except Exception as exc:  # a truncated or foreign file: rebuild it
            log.warning("Rebuilding the embedding graph: cannot load %s (%s)", self.path, exc)
            return None
        meta = session.get_modelmeta().custom_metadata_map
        if (
            meta.get(META_GRAPH_VERSION) != GRAPH_VERSION
            or meta.get(META_WEIGHTS_SHA256) != weights_sha256
        ):
            log.info("Rebuilding the embedding graph %s: it is from another version", self.path)
            return None
        return session

    def _build(self, weights: MiniLMWeights) -> ort.InferenceSession:
        data = build_graph(weights).SerializeToString()
        self.built = True
        try:
            _write_atomically(self.path, data)
        except OSError as exc:
            log.warning(
                "Cannot cache the embedding graph at %s (%s); using it in memory", self.path, exc
            )
            return self._session(data)
        log.info("Built the embedding graph %s", self.path)
        return self._session(str(self.path))

    def embed_batch(
        self, input_ids: np.ndarray, attention_mask: np.ndarray, token_type_ids: np.ndarray
    ) -> np.ndarray:
        (hidden,) = self.session.run(
            ["last_hidden_state"],
            {
                "input_ids": input_ids,
                "attention_mask": attention_mask,
                "token_type_ids": token_type_ids,
            },
        )
        return mean_pool_normalise(hidden, attention_mask)
