"""What every HTTP request passes before any route, Gradio's own included (issue #19).

* ``Host`` must name the server (its bind address, ``localhost``/``127.0.0.1``/``::1``, or a name in
  ``$RAG_ALLOWED_HOSTS``): a page on another site that rebinds its DNS name to 127.0.0.1 is refused
  (DNS rebinding, OWASP).
* A request that changes something (any method but GET/HEAD/OPTIONS) sent by a browser from
  another site (its ``Origin`` names another host) is refused: a multipart POST needs no CORS
  preflight, so the browser's same-origin policy alone does not stop it (cross-site request forgery).
* Every body is limited: ``upload_limit`` bytes on the upload routes, ``body_limit`` elsewhere,
  also for bodies sent without a ``Content-Length``.

The login itself is Gradio's (``auth``): with a web password or an API key set, every Gradio route
that reads or changes the knowledge base needs a session opened with one of them (``login``).
"""
from __future__ import annotations

import hmac
import json
import os
import threading
import time
from urllib.parse import urlsplit

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
UPLOAD_PATHS = ("/gradio_api/upload", "/api/documents")


def allowed_hosts(bind: str) -> frozenset[str] | None:
    """Host names the server answers to; None (any) when bound to every interface with no list given."""
    extra = {h.strip().lower() for h in os.environ.get("RAG_ALLOWED_HOSTS", "").split(",") if h.strip()}
    if bind in ("0.0.0.0", "::", "") and not extra:
        return None  # reached by addresses we cannot know; a password is required there anyway
    return frozenset(LOOPBACK | {bind.lower()} | extra)


def _hostname(value: str) -> str:
    """'127.0.0.1:7860' -> '127.0.0.1', '[::1]:7860' -> '::1'."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class RequestGuard:
    """ASGI middleware applying the rules of the module docstring."""

    def __init__(self, app, hosts: frozenset[str] | None, body_limit: int, upload_limit: int):
        self.app = app
        self.hosts = hosts
        self.body_limit = body_limit
        self.upload_limit = upload_limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = _hostname(headers.get("host", ""))
        if self.hosts is not None and host not in self.hosts:
            return await _refuse(send, 421, "misdirected_request",
                                 f"不接受主机名“{host}”：请用启动时的地址访问，或把它加入环境变量 RAG_ALLOWED_HOSTS。")
        origin = headers.get("origin")
        if scope["method"] not in SAFE_METHODS and origin and origin != "null":
            origin_host = (urlsplit(origin).hostname or "").lower()
            if origin_host != host and (self.hosts is None or origin_host not in self.hosts):
                return await _refuse(send, 403, "cross_site_request",
                                     f"拒绝来自其他网站（{origin}）的写请求：请直接在本服务的页面上操作。")
        limit = self.upload_limit if scope["path"].rstrip("/").endswith(UPLOAD_PATHS) else self.body_limit
        try:
            declared = int(headers.get("content-length") or 0)
        except ValueError:
            return await _refuse(send, 400, "invalid_content_length", "Content-Length 不是数字：请检查请求头。")
        if declared > limit:
            return await _refuse(send, 413, "request_too_large",
                                 f"请求体超过 {limit / 1024 / 1024:g} MB 上限：请缩短内容或分批发送。")
        received = 0
        exceeded = started = False

        async def limited_receive():
            nonlocal received, exceeded
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                exceeded = True
                raise _TooLarge()
            return message

        async def tracked_send(message):
            # The route may turn the interrupted read into its own error (FastAPI answers 400):
            # what it sends is replaced by the 413 that says why.
            nonlocal started
            if exceeded:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracked_send)
        except _TooLarge:
            pass
        if exceeded and not started:
            await _refuse(send, 413, "request_too_large",
                          f"请求体超过 {limit / 1024 / 1024:g} MB 上限：请缩短内容或分批发送。")


class _TooLarge(Exception):
    pass


async def _refuse(send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"message": message, "type": "invalid_request_error", "code": code}},
                      ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class Login:
    """Gradio's ``auth`` callable: the web password (for ``user``) or the API key opens a session.

    After ``max_failures`` wrong tries within ``window`` seconds every try is refused for
    ``window`` seconds, so a password cannot be guessed at request speed (OWASP ASVS 2.2.1)."""

    def __init__(self, user: str, password: str | None, key: str | None, max_failures: int = 10,
                 window: float = 60.0):
        self.user, self.password, self.key = user, password or None, key or None
        self.max_failures, self.window = max_failures, window
        self._failures: list[float] = []
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return bool(self.password or self.key)

    def __call__(self, username: str, password: str) -> bool:
        now = time.monotonic()
        with self._lock:
            self._failures = [t for t in self._failures if now - t < self.window]
            if len(self._failures) >= self.max_failures:
                return False
        given = (password or "").encode()
        ok = bool(self.password and username == self.user and hmac.compare_digest(given, self.password.encode())) \
            or bool(self.key and hmac.compare_digest(given, self.key.encode()))
        if not ok:
            with self._lock:
                self._failures.append(now)
        return ok
