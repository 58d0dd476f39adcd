"""Vectors already in the index, reused instead of embedding a chunk again.

A chunk's vector depends only on the text the embedder saw (``rag.chunking.search_texts``) and on
the embedder, so re-indexing (``rag index --rebuild``, ``--replace``, a changed report that keeps
most of its paragraphs) takes the vectors of unchanged chunks from the current snapshot. Vectors
are reused only from a snapshot whose manifest names the same embedder, the same dimension and the
same version of the embedded text (``EMBEDDED_TEXT_VERSION``); any other snapshot gives none.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

from .chunking import search_texts

# Raise when rag.chunking.search_texts changes what the embedder sees for a chunk: the stored
# texts are recomputed from the chunks and documents, so an older snapshot must not be reused.
EMBEDDED_TEXT_VERSION = 1


def reusable(manifest: dict | None, embedder_name: str, dim: int) -> bool:
    """Whether vectors of a snapshot with this manifest may stand for this embedder's."""
    return bool(manifest) and manifest.get("embedder") == embedder_name and manifest.get("dim") == dim \
        and manifest.get("embedded_text") == EMBEDDED_TEXT_VERSION


class StoredVectors:
    """Embedded text -> stored vector, for the given documents of ``snapshot`` (none when the
    snapshot is None or was embedded by another model)."""

    def __init__(self, snapshot, doc_ids: Iterable[str], embedder_name: str, dim: int):
        self._vectors: dict[str, np.ndarray] = {}
        if snapshot is None or not reusable(snapshot.manifest, embedder_name, dim):
            return
        for doc_id in doc_ids:
            if doc_id not in snapshot.documents:
                continue
            chunks, vectors = snapshot.chunk_vectors(doc_id)
            self._vectors.update(zip(search_texts(chunks, {doc_id: snapshot.document_text(doc_id)}), vectors))

    def __len__(self) -> int:
        return len(self._vectors)

    def lookup(self, texts: Sequence[str]) -> tuple[dict[int, np.ndarray], list[int]]:
        """(position -> stored vector for texts already embedded, positions still to embed)."""
        found = {i: self._vectors[t] for i, t in enumerate(texts) if t in self._vectors}
        return found, [i for i in range(len(texts)) if i not in found]
