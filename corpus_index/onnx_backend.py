"""The embedding model exported to ONNX: the same vectors without importing torch.

sentence-transformers on torch is the reference: its import alone costs 8-10 s
here and a query ~20 ms. The same all-MiniLM-L6-v2 exported with
`torch.onnx.export` (opset 17, dynamic batch and sequence) and run with
onnxruntime and the `tokenizers` library, mean-pooled over the attention mask
and L2-normalised, gives the same vectors (cosine ≥ 0.9999, tested) in ~7 ms,
and a process is ready in well under a second. The export runs once, at
ingest, from the packaged model folder; nothing is downloaded.

An int8 copy (`quantise_model`: dynamic quantisation, per-channel QInt8 weights)
embeds in ~0.6 of the time from a quarter of the file size, but its vectors drift
(cosine ≥ 0.98 to the float model); it is made from the export on first use,
beside it, and only when asked for.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from .errors import EmbedderUnavailable

EXPORT_FORMAT = 1
OPSET = 17
BATCH_SIZE = 32
ONNX_FOLDER = "onnx"  # inside the index folder; kept across generations
FLOAT_MODEL = "model.onnx"
INT8_MODEL = "model.int8.onnx"  # derived from FLOAT_MODEL, so an export is whole without it


def export_folder(index_dir: Path, model: str) -> Path:
    """Where the ONNX export of `model` lives for an index."""
    slug = hashlib.sha256(model.encode()).hexdigest()[:12]
    return index_dir / ONNX_FOLDER / slug


def read_export(folder: Path, model: str) -> dict | None:
    """The export's description if `folder` holds a usable export of `model`."""
    try:
        info = json.loads((folder / "export.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    wanted = {"format": EXPORT_FORMAT, "model": model}
    if any(info.get(key) != value for key, value in wanted.items()):
        return None
    if not (folder / FLOAT_MODEL).is_file() or not (folder / "tokenizer.json").is_file():
        return None
    return info


def export_model(model: str, source: Path, folder: Path) -> dict:
    """Export the sentence-transformers model in `source` to ONNX in `folder`.

    Needs torch and onnx (ingest only). Written to a temporary folder and renamed,
    so a killed export leaves nothing half-written.

    Raises:
        EmbedderUnavailable: the model is not a mean-pooled, normalised BERT-style model.
    """
    pooling = json.loads((source / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
    modules = json.loads((source / "modules.json").read_text(encoding="utf-8"))
    if not pooling.get("pooling_mode_mean_tokens") or not any(
        module["type"].endswith("Normalize") for module in modules
    ):
        raise EmbedderUnavailable(f"{model}: only mean-pooled, normalised models export to ONNX")
    max_length = json.loads((source / "sentence_bert_config.json").read_text())["max_seq_length"]

    import torch
    from transformers import AutoModel

    from .log_routing import adopt_transformers_logs

    adopt_transformers_logs()
    encoder = AutoModel.from_pretrained(str(source)).eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=folder.parent))
    try:
        ids = torch.ones((1, 8), dtype=torch.long)
        names = ["input_ids", "attention_mask", "token_type_ids"]
        with torch.no_grad():
            torch.onnx.export(
                LastHiddenState(encoder), (ids, torch.ones_like(ids), torch.zeros_like(ids)),
                str(staging / FLOAT_MODEL), input_names=names,
                output_names=["last_hidden_state"],
                dynamic_axes={name: {0: "batch", 1: "sequence"}
                              for name in [*names, "last_hidden_state"]},
                opset_version=OPSET, dynamo=False,
            )
        shutil.copyfile(source / "tokenizer.json", staging / "tokenizer.json")
        info = {"format": EXPORT_FORMAT, "model": model, "opset": OPSET,
                "max_length": int(max_length), "torch": torch.__version__}
        (staging / "export.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return info


def quantise_model(folder: Path) -> Path:
    """Write the int8 copy of the export in `folder` beside it, and return its path.

    Per-channel weight scales: one scale per tensor lets a few large weights
    flatten the rest (cosine to the float model down to 0.92 on the evaluation
    questions, against 0.98). Written under a temporary name and renamed.
    """
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    target = folder / INT8_MODEL
    handle, staging = tempfile.mkstemp(prefix=".int8-", suffix=".onnx", dir=folder)
    os.close(handle)
    # It warns on the root logger that the graph was not pre-processed; measured, that
    # changes neither the vectors nor, beyond noise, the speed of this model.
    logging.disable(logging.WARNING)
    try:
        quantize_dynamic(str(folder / FLOAT_MODEL), staging, weight_type=QuantType.QInt8,
                         per_channel=True)
        shutil.copymode(folder / FLOAT_MODEL, staging)  # mkstemp's 0600 would lock out readers
        os.replace(staging, target)
    finally:
        logging.disable(logging.NOTSET)
        Path(staging).unlink(missing_ok=True)
    return target


def int8_model(folder: Path) -> str:
    """The int8 copy's file name in `folder`, quantised from the export first if missing.

    Raises:
        EmbedderUnavailable: the copy cannot be made (say, a read-only index folder).
    """
    if not (folder / INT8_MODEL).is_file():
        try:
            quantise_model(folder)
        except (ImportError, RuntimeError, OSError, ValueError) as exc:
            raise EmbedderUnavailable(
                f"cannot make the int8 copy of {folder / FLOAT_MODEL}: {exc}") from None
    return INT8_MODEL


class OnnxEmbedder:
    """onnxruntime + tokenizers; loads in a fraction of a second, no torch."""

    def __init__(self, name: str, folder: Path, max_length: int,
                 model_file: str = FLOAT_MODEL) -> None:
        self.name = name
        self.model_file = model_file  # FLOAT_MODEL or INT8_MODEL, inside `folder`
        self._folder = folder
        self._max_length = max_length
        self._session = None
        self._tokenizer = None
        self._lock = threading.Lock()

    def _loaded(self):
        with self._lock:
            if self._session is None:
                import onnxruntime
                from tokenizers import Tokenizer

                tokenizer = Tokenizer.from_file(str(self._folder / "tokenizer.json"))
                tokenizer.enable_truncation(max_length=self._max_length)
                tokenizer.enable_padding()
                options = onnxruntime.SessionOptions()
                options.log_severity_level = 3
                # Idle worker threads would otherwise spin after each run and steal
                # the cores from the search that follows the embedding.
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")
                self._session = onnxruntime.InferenceSession(
                    str(self._folder / self.model_file), options,
                    providers=["CPUExecutionProvider"])
                self._tokenizer = tokenizer
            return self._session, self._tokenizer

    @property
    def dimension(self) -> int:
        """Length of the vectors."""
        return int(self.embed(["dimension"]).shape[1])

    def embed(self, texts: Sequence[str], *, progress: Callable[[int], None] | None = None,
              ) -> np.ndarray:
        """Embed `texts` as normalised float32 rows, in batches."""
        session, tokenizer = self._loaded()
        # Batches of similar length waste little on padding; order is restored at the end.
        order = sorted(range(len(texts)), key=lambda at: len(texts[at]))
        rows = []
        for start in range(0, len(order), BATCH_SIZE):
            batch = [texts[at] for at in order[start:start + BATCH_SIZE]]
            encoded = tokenizer.encode_batch(batch)
            ids = np.array([item.ids for item in encoded], dtype=np.int64)
            mask = np.array([item.attention_mask for item in encoded], dtype=np.int64)
            hidden = session.run(None, {"input_ids": ids, "attention_mask": mask,
                                        "token_type_ids": np.zeros_like(ids)})[0]
            rows.append(mean_pool_normalised(hidden, mask))
            if progress:
                progress(len(batch))
        if not rows:
            return np.zeros((0, 0), dtype=np.float32)
        vectors = np.empty((len(texts), rows[0].shape[1]), dtype=np.float32)
        vectors[order] = np.vstack(rows)
        return vectors


def mean_pool_normalised(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean of the token vectors the attention mask keeps, scaled to unit length."""
    weights = mask[..., None].astype(np.float32)
    summed = (hidden * weights).sum(axis=1)
    pooled = summed / np.clip(weights.sum(axis=1), 1e-9, None)
    return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
