"""A bounded, thread-safe memo of text -> vector (the extractive answerer embeds the same clauses
again and again). The web app answers several questions at once: each call works on the vectors
it looked up or computed itself, so another thread clearing the cache meanwhile cannot lose them.
A clause's vector depends only on the embedder, so ``passage_cache`` keeps one cache per embedder
that outlives index snapshots: a write does not make every following question re-embed its clauses.
"""
from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from typing import Callable, Sequence

import numpy as np


class VectorCache:
    def __init__(self, embed: Callable[[list[str]], np.ndarray], max_items: int = 20000):
        self._embed = embed
        self._max_items = max_items
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._vectors)

    def get(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, in order; texts not seen recently are embedded (outside the lock, so
        that other questions' look-ups do not wait for this embedding)."""
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for text in dict.fromkeys(texts):
                if text in self._vectors:
                    self._vectors.move_to_end(text)
                    found[text] = self._vectors[text]
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            found.update(zip(missing, self._embed(missing)))
            with self._lock:
                for text in missing:
                    self._vectors[text] = found[text]
                while len(self._vectors) > self._max_items:
                    self._vectors.popitem(last=False)  # the least recently used
        return np.array([found[t] for t in texts])


_per_embedder: "weakref.WeakKeyDictionary[object, VectorCache]" = weakref.WeakKeyDictionary()
_per_embedder_lock = threading.Lock()


def passage_cache(embedder) -> VectorCache:
    """The passage-vector cache of ``embedder``, shared by every answerer that uses it."""
    with _per_embedder_lock:
        if embedder not in _per_embedder:
            _per_embedder[embedder] = VectorCache(embedder.embed_passages)
        return _per_embedder[embedder]
