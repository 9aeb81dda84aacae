"""The reader's encoder as an ONNX graph, written from the installed MiniLM weights (no torch).

all-MiniLM-L6-v2 is a 6-layer BERT (hidden 384, 12 heads, GELU feed-forward of 1536) followed
by mean pooling over the text's tokens and L2 normalisation (the sentence-transformers folder's
``modules.json``). ``build_graph`` reads ``model.safetensors`` with numpy and writes the BERT
as standard ONNX operators, so ONNX Runtime serves it without torch or transformers in the
process; the pooling is done by the caller. ``tests/extraction/test_encoder.py`` checks the result against
sentence-transformers' own output.

Two exact rewrites make the graph smaller than a literal transcription: the query projection
carries the attention scale ``1/sqrt(head_size)``, and the token-type embedding (always type 0:
one segment) is added into the position table. ``GRAPH_VERSION`` is part of the cache key
(``encoder.onnx_path``): bump it whenever this file changes what the graph computes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

GRAPH_VERSION = 1
OPSET = 20  # LayerNormalization (17) and Gelu (20) as single operators
HIDDEN = 384
HEADS = 12
LAYERS = 6
EPSILON = 1e-12  # config.json's layer_norm_eps
MASKED = -10000.0  # the attention bias between tokens of different texts (exp underflows to 0)
OUTPUT = "token_states"


def build_graph(weights_file: Path) -> bytes:
    """The serialized ONNX model of the encoder over packed rows: int64 ``input_ids`` and
    ``position_ids`` [batch, tokens] and a float ``attention_bias`` [batch, tokens, tokens]
    (0 where a token may attend to another, ``MASKED`` elsewhere) in, the last layer's float
    ``token_states`` [batch, tokens, 384] out. A row holds several texts side by side, each
    with its own positions from 0 and attending only to itself, so one run computes them all
    with no padding; mean pooling and normalisation are the caller's (``encoder.Encoder``)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    from safetensors.numpy import load_file

    w = {k.removeprefix("bert."): v for k, v in load_file(str(weights_file)).items()}
    head_size = HIDDEN // HEADS
    nodes: list[onnx.NodeProto] = []
    inits: list[onnx.TensorProto] = []

    def const(name: str, value: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output

    def linear(x: str, prefix: str, out: str, scale: float = 1.0) -> str:
        weight = w[f"{prefix}.weight"].T.astype(np.float32) * scale  # torch stores [out, in]
        bias = w[f"{prefix}.bias"].astype(np.float32) * scale
        y = node("MatMul", [x, const(f"{out}.w", weight)], f"{out}.mm")
        return node("Add", [y, const(f"{out}.b", bias)], out)

    def layer_norm(x: str, prefix: str, out: str) -> str:
        gamma = const(f"{out}.g", w[f"{prefix}.weight"].astype(np.float32))
        beta = const(f"{out}.beta", w[f"{prefix}.bias"].astype(np.float32))
        return node("LayerNormalization", [x, gamma, beta], out, axis=-1, epsilon=EPSILON)

    # embeddings: word + (position + token type 0), then LayerNorm
    positions = (w["embeddings.position_embeddings.weight"]
                 + w["embeddings.token_type_embeddings.weight"][0]).astype(np.float32)
    words = node("Gather", [const("words", w["embeddings.word_embeddings.weight"]), "input_ids"],
                 "word_vectors")
    pos = node("Gather", [const("positions", positions), "position_ids"], "position_vectors")
    x = node("Add", [words, pos], "embedded")
    x = layer_norm(x, "embeddings.LayerNorm", "h0")
    bias = node("Unsqueeze", ["attention_bias", const("axis1", np.array([1], np.int64))],
                "attn_bias")  # [batch, 1 (every head), tokens, tokens]
    split_heads = const("split_heads", np.array([0, 0, HEADS, head_size], np.int64))
    merge_heads = const("merge_heads", np.array([0, 0, HIDDEN], np.int64))

    for i in range(LAYERS):
        p, o = f"encoder.layer.{i}", f"l{i}"
        q = linear(x, f"{p}.attention.self.query", f"{o}.q", scale=head_size ** -0.5)
        k = linear(x, f"{p}.attention.self.key", f"{o}.k")
        v = linear(x, f"{p}.attention.self.value", f"{o}.v")
        q = node("Transpose", [node("Reshape", [q, split_heads], f"{o}.q4")], f"{o}.qh",
                 perm=[0, 2, 1, 3])
        k = node("Transpose", [node("Reshape", [k, split_heads], f"{o}.k4")], f"{o}.kh",
                 perm=[0, 2, 3, 1])
        v = node("Transpose", [node("Reshape", [v, split_heads], f"{o}.v4")], f"{o}.vh",
                 perm=[0, 2, 1, 3])
        scores = node("Add", [node("MatMul", [q, k], f"{o}.qk"), bias], f"{o}.scores")
        probs = node("Softmax", [scores], f"{o}.probs", axis=-1)
        context = node("Transpose", [node("MatMul", [probs, v], f"{o}.ctxh")], f"{o}.ctxt",
                       perm=[0, 2, 1, 3])
        context = node("Reshape", [context, merge_heads], f"{o}.ctx")
        attended = linear(context, f"{p}.attention.output.dense", f"{o}.ao")
        x = layer_norm(node("Add", [attended, x], f"{o}.res1"),
                       f"{p}.attention.output.LayerNorm", f"{o}.h1")
        inner = node("Gelu", [linear(x, f"{p}.intermediate.dense", f"{o}.fi")], f"{o}.gelu")
        out = linear(inner, f"{p}.output.dense", f"{o}.fo")
        x = layer_norm(node("Add", [out, x], f"{o}.res2"), f"{p}.output.LayerNorm", f"{o}.h2")

    node("Identity", [x], OUTPUT)

    tokens = ["batch", "tokens"]
    graph = helper.make_graph(
        nodes, "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, tokens),
         helper.make_tensor_value_info("position_ids", TensorProto.INT64, tokens),
         helper.make_tensor_value_info("attention_bias", TensorProto.FLOAT, [*tokens, "tokens"])],
        [helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, [*tokens, HIDDEN])],
        initializer=inits,
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="advisor",
        producer_version=str(GRAPH_VERSION),
    )
    model.ir_version = 9  # what ONNX Runtime >= 1.17 reads
    onnx.checker.check_model(model)
    return model.SerializeToString()
