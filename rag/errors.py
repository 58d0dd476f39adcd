"""The one exception type for problems a user can cause and fix."""


class RagError(Exception):
    """A user-facing error: the message names the input and says how to fix it (in Chinese)."""
