"""Question answering with cited sources over Chinese government work reports."""
__version__ = "0.1.0"

from .errors import RagError  # noqa: E402


def __getattr__(name):
    # Lazy: `import rag` stays cheap for the CLI's cold start; Assistant pulls in faiss and the models.
    if name == "Assistant":
        from .assistant import Assistant
        return Assistant
    if name in ("Answer", "Citation"):
        from . import answering
        return getattr(answering, name)
    if name == "Hit":
        from .retrieval import Hit
        return Hit
    raise AttributeError(name)


__all__ = ["Assistant", "Answer", "Citation", "Hit", "RagError", "__version__"]
