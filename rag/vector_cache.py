"""A bounded, thread-safe memo of text -> vector (the extractive answerer embeds the same clauses
again and again). The web app answers several questions at once: each call works on the vectors
it looked up or computed itself, so another thread clearing the cache meanwhile cannot lose them.
"""
from __future__ import annotations

import threading
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

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
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
