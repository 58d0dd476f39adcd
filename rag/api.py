"""The machine interfaces beside the web chat, on the same port and over the same ``Assistant``:

* the OpenAI protocol, so existing chat clients and the ``openai`` package connect:
  ``POST /v1/chat/completions`` (streamed as server-sent events, or not), ``GET /v1/models``,
  ``POST /v1/embeddings``;
* REST for scripts: ``GET /api/search``, ``POST /api/ask`` (the CLI's ``--json`` object),
  ``GET/POST /api/documents``, ``DELETE /api/documents/{doc_id}``;
* the OpenAPI description of both at ``/openapi.json``, browsable at ``/docs``.

Every API route checks the bearer key (``RAG_API_KEY``), limits the request size, and answers
errors in the OpenAI error format with a Chinese message: ``{"error": {"message", "type", "code"}}``.
The routes are plain FastAPI routes; ``rag.web.serve`` puts them in front of Gradio's own.
"""
from __future__ import annotations

import asyncio
import base64
import hmac
import json
import os
import sys
import tempfile
import time
import traceback
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Iterator, Literal

import numpy as np
from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException  # FastAPI's own is a subclass of it

from . import __version__
from .answering import Answer
from .assistant import Assistant
from .documents import SUPPORTED_SUFFIXES
from .errors import RagError

MAX_JSON_BYTES = 1024 * 1024  # a long chat history is a few hundred KB; anything bigger is a mistake
MAX_MESSAGES = 200
MAX_HISTORY = 50
MAX_K = 20
MAX_EMBED_INPUTS = 256
MAX_EMBED_CHARS = 8000
CITATION_FIELDS = ("n", "title", "section", "quote", "doc_id", "start", "end", "year")
OWNER = "rag"


def sources_wanted(requested: bool | None) -> bool:
    """Whether the 「来源」 list goes into the answer text: the request's ``sources`` field, else
    ``$RAG_API_SOURCES`` (0/false/no/off turns it off), else on."""
    if requested is not None:
        return requested
    return os.environ.get("RAG_API_SOURCES", "1").strip().lower() not in ("0", "false", "no", "off")


# ---- errors ---------------------------------------------------------------------------------

_ERROR_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
                404: "not_found_error", 413: "invalid_request_error", 500: "server_error"}


class ApiError(Exception):
    """An error answered in the OpenAI format: ``{"error": {"message", "type", "param", "code"}}``."""

    def __init__(self, status: int, code: str, message: str, param: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.param = status, code, message, param

    def body(self) -> dict:
        return {"error": {"message": self.message, "type": _ERROR_TYPES.get(self.status, "invalid_request_error"),
                          "param": self.param, "code": self.code}}

    def response(self) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if self.status == 401 else None
        return JSONResponse(self.body(), status_code=self.status, headers=headers)


def _validation_error(exc: RequestValidationError) -> ApiError:
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")) or None
    if first.get("type") == "json_invalid":
        return ApiError(400, "invalid_json", "请求体不是有效的 JSON：请发送 UTF-8 编码的 JSON 对象（Content-Type: application/json）。")
    kind, ctx = first.get("type"), first.get("ctx") or {}
    if kind == "missing":
        return ApiError(400, "missing_field", f"缺少必填字段 {field}：请求格式见 /docs。", field)
    if kind == "too_short":
        return ApiError(400, "invalid_field", f"字段 {field} 不能为空：请求格式见 /docs。", field)
    if kind == "too_long":
        return ApiError(400, "invalid_field", f"字段 {field} 过长：最多 {ctx.get('max_length')} 项。", field)
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = f"不小于 {ctx['ge']}" if "ge" in ctx else f"不大于 {ctx.get('le')}"
        return ApiError(400, "invalid_field", f"字段 {field} 应{bound}（收到 {first.get('input')}）。", field)
    return ApiError(400, "invalid_field", f"字段 {field or '请求体'} 不符合要求（{first.get('msg')}）：请求格式见 /docs。", field)


class ApiRoute(APIRoute):
    """Every API route: the request body limited to ``body_limit`` bytes (413 beyond it, also for
    bodies sent without a Content-Length), and every error answered in the OpenAI format."""

    body_limit = MAX_JSON_BYTES

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            limit = self.body_limit
            too_large = ApiError(413, "request_too_large",
                                 f"请求体超过 {limit / 1024 / 1024:g} MB 上限：请缩短内容或分批发送。")
            received = 0

            async def receive():
                nonlocal received
                message = await request.receive()
                received += len(message.get("body", b""))
                if received > limit:
                    raise too_large
                return message

            try:
                if int(request.headers.get("content-length") or 0) > limit:
                    raise too_large
                return await handler(Request(request.scope, receive))
            except ApiError as exc:
                return exc.response()
            except HTTPException as exc:  # FastAPI wraps errors raised while it reads the body
                if isinstance(exc.__cause__, ApiError):
                    return exc.__cause__.response()
                return ApiError(exc.status_code, "http_error", str(exc.detail)).response()
            except RequestValidationError as exc:
                return _validation_error(exc).response()
            except RagError as exc:
                return ApiError(400, "invalid_request", str(exc)).response()
            except Exception as exc:  # one answer in the protocol's format; the traceback to the log
                traceback.print_exc(file=sys.stderr)
                return ApiError(500, "internal_error", f"内部错误：{type(exc).__name__}，请查看服务端日志。").response()

        return guarded


# ---- the bearer key -------------------------------------------------------------------------

class KeyCheck:
    """``Authorization: Bearer <RAG_API_KEY>`` on every API route.

    * a key is set: it is required, on 127.0.0.1 too (other users of the machine reach loopback);
    * no key, bound to 127.0.0.1: open, like the web chat there;
    * no key, exposed (another host or --share): the API is closed (403) and says how to open it.
    """

    scheme = HTTPBearer(auto_error=False, description="RAG_API_KEY 的值（服务对外开放或设置了密钥时必填）")

    def __init__(self, key: str | None, exposed: bool):
        self.key = key or None
        self.exposed = exposed

    def __call__(self, credentials: HTTPAuthorizationCredentials | None = Depends(scheme)) -> None:
        if self.key is None:
            if self.exposed:
                raise ApiError(403, "api_disabled", "服务对外开放，但没有设置 API 密钥，API 已关闭：请设置环境变量 "
                                                   "RAG_API_KEY 后重启，并在请求头带上 Authorization: Bearer <密钥>。")
            return
        if credentials is None:
            raise ApiError(401, "missing_api_key", "缺少 API 密钥：请在请求头带上 Authorization: Bearer <RAG_API_KEY 的值>。")
        if not hmac.compare_digest(credentials.credentials.encode(), self.key.encode()):
            raise ApiError(401, "invalid_api_key", "API 密钥不正确：请使用服务端环境变量 RAG_API_KEY 的值。")


# ---- request bodies -------------------------------------------------------------------------

class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: str
    content: str | list[dict] | None = None

    def text(self) -> str:
        """Plain text of the message; content parts other than text (images) are left out."""
        if isinstance(self.content, list):
            texts = [p.get("text") for p in self.content if p.get("type") == "text"]
            if not all(isinstance(t, str) for t in texts):
                raise ApiError(400, "invalid_content", "消息内容中 type 为 text 的部分，其 text 必须是字符串。", "messages")
            return "".join(texts)
        return self.content or ""


class Filters(BaseModel):
    k: int = Field(5, ge=1, le=MAX_K, description="检索段落数")
    doc_ids: list[str] | None = Field(None, description="只在这些文档中查找")
    years: list[Annotated[int, Field(ge=1900, le=2100)]] | None = Field(None, description="只在这些年份的报告中查找")


class ChatRequest(Filters):
    model_config = ConfigDict(extra="allow")  # temperature, top_p, … are accepted and ignored
    model: str | None = Field(None, description="extractive（摘录式）或 llm（配置了大模型时）；默认服务端的回答方式")
    messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_MESSAGES,
                                        description="最后一条是问题，之前的用户消息作为追问的上下文")
    stream: bool = False
    sources: bool | None = Field(None, description="在回答末尾附「来源」列表（默认开，或 $RAG_API_SOURCES）")


class AskRequest(Filters):
    question: str
    history: list[str] = Field(default_factory=list, max_length=MAX_HISTORY, description="之前的问题，用于追问")
    mode: str | None = Field(None, description="extractive 或 llm")


class EmbeddingRequest(BaseModel):
    model_config = ConfigDict(extra="allow")
    input: str | list[str] = Field(description=f"一段或多段文字（最多 {MAX_EMBED_INPUTS} 段，每段 {MAX_EMBED_CHARS} 字以内）")
    model: str | None = None
    encoding_format: Literal["float", "base64"] = "float"
    input_type: Literal["query", "passage"] = Field("passage", description="query：检索用的问题；passage：被检索的段落")
    dimensions: int | None = None


# ---- answers in the chat protocol -----------------------------------------------------------

def _source_name(title: str, year: int | None, section: str) -> str:
    section = section.rsplit(" > ", 1)[-1]
    return title + (f"（{year}年报告）" if year else "") + (f" · {section}" if section and section != title else "")


def sources_text(answer: Answer) -> str:
    """The 「来源」 list that plain chat clients show under the answer (a Markdown list); for a
    refusal, the closest passages, marked as not being the answer's source (as the web chat does)."""
    if answer.citations:
        return "\n\n来源：\n" + "\n".join(f"- [{c.n}] {_source_name(c.title, c.year, c.section)}：“{c.quote}”"
                                          for c in answer.citations)
    if not answer.answered and answer.related:
        return "\n\n可能相关（并非答案出处）：\n" + "\n".join(
            f"- {_source_name(h.title, h.year, h.section)}：{h.text[:80]}{'…' if len(h.text) > 80 else ''}"
            for h in answer.related[:3])
    return ""


def notes_text(answer: Answer) -> str:
    return "".join(f"\n\n提示：{n}" for n in answer.notes)


def answer_fields(answer: Answer) -> dict:
    """What a chat response carries beside the text: ``citations`` (the fields a client needs to
    show and locate each source) and the rest of ``Answer.to_dict()`` (answered, kind, computed,
    notes, and whatever it gains later), minus what the protocol already says."""
    fields = {k: v for k, v in answer.to_dict().items() if k not in _IN_THE_PROTOCOL}
    return {"citations": [{k: getattr(c, k) for k in CITATION_FIELDS} for c in answer.citations], **fields}


_IN_THE_PROTOCOL = {"question", "answer", "citations", "related", "resolved_question", "mode"}


class ChatCompletions:
    """``messages`` in, the cited answer out, in the OpenAI chat completion format."""

    def __init__(self, assistant: Assistant):
        self.assistant = assistant

    def models(self) -> list[str]:
        return ["extractive", "llm"] if self.assistant.llm_available else ["extractive"]

    def _question(self, request: ChatRequest) -> tuple[str, list[str], str]:
        model = request.model or self.assistant.config.answerer
        if model not in self.models():
            raise ApiError(404, "model_not_found", f"没有模型“{model}”：可选 {', '.join(self.models())}"
                                                   "（llm 需要服务端配置 RAG_LLM_BASE_URL 或 RAG_LLM_MODEL_PATH）。", "model")
        last = request.messages[-1]
        if last.role != "user":
            raise ApiError(400, "invalid_messages", f"最后一条消息必须是用户的问题（收到角色 {last.role}）。", "messages")
        history = [m.text() for m in request.messages[:-1] if m.role == "user"]
        return last.text(), history, model

    def start(self, request: ChatRequest) -> tuple[Iterator[str | Answer], str | Answer]:
        """The answer stream and its first piece: producing it checks the question, so a bad
        question is an HTTP error before any event is sent."""
        question, history, model = self._question(request)
        pieces = self.assistant.ask_stream(question, history, k=request.k, doc_ids=request.doc_ids,
                                           years=request.years, mode=model)
        return pieces, next(pieces)

    @staticmethod
    def _envelope(kind: str, model: str, completion_id: str, created: int) -> dict:
        return {"id": completion_id, "object": kind, "created": created, "model": model}

    def complete(self, request: ChatRequest) -> dict:
        pieces, first = self.start(request)
        answer = first if isinstance(first, Answer) else next(p for p in pieces if isinstance(p, Answer))
        text = answer.text + notes_text(answer) + (sources_text(answer) if sources_wanted(request.sources) else "")
        return {**self._envelope("chat.completion", answer.mode, f"chatcmpl-{uuid.uuid4().hex}", int(time.time())),
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": usage(request, text), **answer_fields(answer)}

    def stream(self, request: ChatRequest, pieces: Iterator[str | Answer], first: str | Answer) -> Iterator[str]:
        """Server-sent events: a role chunk, text deltas, the final chunk with ``citations``, [DONE].

        With ``llm`` the model's raw text is checked (citations renumbered, unsupported numbers
        marked) only once it is complete, so that answer is sent in one piece at the end: a
        client never shows a marker or a number the check would have changed."""
        model = request.model or self.assistant.config.answerer
        head = self._envelope("chat.completion.chunk", model, f"chatcmpl-{uuid.uuid4().hex}", int(time.time()))

        def event(delta: dict, finish: str | None = None, **extra) -> str:
            chunk = {**head, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
            return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"

        yield event({"role": "assistant", "content": ""})
        live = model != "llm"
        sent = ""
        try:
            for piece in _chain(first, pieces):
                if not isinstance(piece, Answer):
                    if live:
                        sent += piece
                        yield event({"content": piece})
                    continue
                head["model"] = piece.mode
                text = piece.text
                # Send what the stream has not said yet; should the final text differ from the
                # streamed pieces, the checked text follows in full.
                rest = text[len(sent):] if text.startswith(sent) else ("\n\n" if sent else "") + text
                rest += notes_text(piece) + (sources_text(piece) if sources_wanted(request.sources) else "")
                if rest:
                    yield event({"content": rest})
                yield event({}, "stop", usage=usage(request, sent + rest), **answer_fields(piece))
        except RagError as exc:
            yield f"data: {json.dumps(ApiError(400, 'invalid_request', str(exc)).body(), ensure_ascii=False)}\n\n"
        except Exception as exc:  # the response has started: the error travels as an event
            traceback.print_exc(file=sys.stderr)
            error = ApiError(500, "internal_error", f"内部错误：{type(exc).__name__}，请查看服务端日志。")
            yield f"data: {json.dumps(error.body(), ensure_ascii=False)}\n\n"
        yield "data: [DONE]\n\n"


def usage(request: "ChatRequest", completion: str) -> dict:
    """Token counts as clients expect them (numbers, never null), counted in characters: the
    extractive answerer has no tokeniser, and a Chinese character is about one token."""
    prompt = sum(len(m.text()) for m in request.messages)
    return {"prompt_tokens": prompt, "completion_tokens": len(completion), "total_tokens": prompt + len(completion)}


def _chain(first, rest):
    yield first
    yield from rest


# ---- embeddings -----------------------------------------------------------------------------

def embeddings(assistant: Assistant, request: EmbeddingRequest) -> dict:
    embedder = assistant.embedder
    if request.model not in (None, embedder.name):
        raise ApiError(404, "model_not_found", f"没有向量模型“{request.model}”：本索引用的是 {embedder.name}。", "model")
    if request.dimensions not in (None, embedder.dim):
        raise ApiError(400, "invalid_dimensions", f"{embedder.name} 的向量是 {embedder.dim} 维，不能改为 {request.dimensions} 维。",
                       "dimensions")
    texts = [request.input] if isinstance(request.input, str) else request.input
    if not texts or len(texts) > MAX_EMBED_INPUTS:
        raise ApiError(400, "invalid_input", f"input 应有 1 到 {MAX_EMBED_INPUTS} 段文字（收到 {len(texts)} 段）。", "input")
    for i, text in enumerate(texts):
        if not text.strip() or len(text) > MAX_EMBED_CHARS:
            raise ApiError(400, "invalid_input", f"input 第 {i + 1} 段{'为空' if not text.strip() else f'超过 {MAX_EMBED_CHARS} 字'}："
                                                 "请去掉空段或把长文分段。", "input")
    embed = embedder.embed_queries if request.input_type == "query" else embedder.embed_passages
    vectors = np.asarray(embed(texts), dtype="<f4")

    def encode(vector: np.ndarray):
        return base64.b64encode(vector.tobytes()).decode() if request.encoding_format == "base64" else vector.tolist()

    chars = sum(len(t) for t in texts)  # usage counts characters: embedders differ in tokenisers
    return {"object": "list", "model": embedder.name,
            "data": [{"object": "embedding", "index": i, "embedding": encode(v)} for i, v in enumerate(vectors)],
            "usage": {"prompt_tokens": chars, "total_tokens": chars}}


# ---- uploads --------------------------------------------------------------------------------

UPLOAD_COLUMNS = ("file", "result", "doc_id", "chunks", "message")  # the knowledge base tab's columns


def upload(assistant: Assistant, files: list[UploadFile]) -> list[dict]:
    """Index uploaded files exactly as the knowledge base tab does (same checks, same storage)."""
    from .web import MAX_UPLOAD_FILES, ChatApp

    if len(files) > MAX_UPLOAD_FILES:
        raise ApiError(400, "too_many_files", f"一次最多上传 {MAX_UPLOAD_FILES} 个文件（收到 {len(files)} 个）：请分批上传。", "files")
    with tempfile.TemporaryDirectory() as tmp:
        received = []
        for i, f in enumerate(files):
            raw = f.filename or f"file{i}"
            if "\x00" in raw or len(raw.encode("utf-8")) > 255 or len(Path(raw).suffix) > 16:
                raise ApiError(400, "invalid_file_name", f"文件名不合法（含空字符或过长）：请改名后重新上传，"
                                                         f"文件名不超过 255 字节、扩展名为 {'、'.join(SUPPORTED_SUFFIXES)}。", "files")
            name = Path(raw).name  # never a path: no ../ tricks
            suffix = Path(name).suffix.lower()
            # Stored under a name of ours: a 300-character or odd suffix is reported, never a crash.
            path = Path(tmp) / f"{i}{suffix if suffix in SUPPORTED_SUFFIXES else '.unsupported'}"
            with open(path, "wb") as out:
                while chunk := f.file.read(1024 * 1024):
                    out.write(chunk)
            received.append(SimpleNamespace(name=str(path), orig_name=name))
        rows = ChatApp(assistant).upload(received)
    for row, item in zip(rows, received):
        if item.name.endswith(".unsupported"):
            row[4] = f"不支持的文件类型“{Path(item.orig_name).suffix[:20] or '无扩展名'}”：请上传 {'、'.join(SUPPORTED_SUFFIXES)} 文件。"
    return [dict(zip(UPLOAD_COLUMNS, row)) for row in rows]


# Writes run one at a time on their own thread: a request waiting for its turn holds no thread of
# the pool that serves questions and listings (issue #19: one slow upload stalled every /api call).
WRITER = ThreadPoolExecutor(1, thread_name_prefix="rag-writer")


async def run_write(fn, *args):
    return await asyncio.wrap_future(WRITER.submit(fn, *args))


# ---- the routes -----------------------------------------------------------------------------

def api_routes(assistant: Assistant, *, api_key: str | None = None, exposed: bool = False) -> list:
    """All API routes over ``assistant``, plus ``/openapi.json`` and ``/docs`` describing them."""
    chat = ChatCompletions(assistant)
    created = int(time.time())
    protected = APIRouter(route_class=ApiRoute, dependencies=[Depends(KeyCheck(api_key, exposed))])

    @protected.get("/v1/models", tags=["OpenAI 协议"], summary="可用的回答方式和向量模型")
    def list_models() -> dict:
        ids = chat.models() + [assistant.embedder.name]
        return {"object": "list", "data": [{"id": m, "object": "model", "created": created, "owned_by": OWNER}
                                           for m in ids]}

    @protected.post("/v1/chat/completions", tags=["OpenAI 协议"], summary="提问（可流式），回答带 [n] 引用")
    def chat_completions(request: ChatRequest):
        if not request.stream:
            return chat.complete(request)
        pieces, first = chat.start(request)
        return StreamingResponse(chat.stream(request, pieces, first), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    @protected.post("/v1/embeddings", tags=["OpenAI 协议"], summary="用本索引的向量模型计算向量")
    def create_embeddings(request: EmbeddingRequest) -> dict:
        return embeddings(assistant, request)

    @protected.get("/api/search", tags=["REST"], summary="混合检索（与 rag search --json 相同）")
    def search(q: str = Query(description="查询"), k: int = Query(5, ge=1, le=50),
               doc_id: list[str] | None = Query(None),
               year: list[Annotated[int, Field(ge=1900, le=2100)]] | None = Query(None)) -> dict:
        hits = assistant.search(q, k=k, doc_ids=doc_id, years=year)
        return {"query": q, "hits": [h.to_dict() for h in hits]}

    @protected.post("/api/ask", tags=["REST"], summary="提问（与 rag ask --json 相同）")
    def ask(request: AskRequest) -> dict:
        answer = assistant.ask(request.question, request.history, k=request.k, doc_ids=request.doc_ids,
                               years=request.years, mode=request.mode)
        return answer.to_dict()

    @protected.get("/api/documents", tags=["REST"], summary="已索引的文档（与 rag docs --json 相同）")
    def list_documents() -> dict:
        return {"documents": [d.__dict__ for d in assistant.documents()]}

    @protected.post("/api/documents", tags=["REST"], summary="上传并索引报告（multipart，字段名 files，可多个）")
    async def add_documents(files: list[UploadFile] = File(description="txt、md、docx、pdf、html")) -> dict:
        return {"results": await run_write(upload, assistant, files)}

    @protected.delete("/api/documents/{doc_id}", tags=["REST"], summary="删除文档")
    async def remove_document(doc_id: str) -> dict:
        def remove() -> dict:
            # checked on the writer thread: of two deletes of one id, the second finds it gone (404)
            if doc_id not in {d.doc_id for d in assistant.documents()}:
                raise ApiError(404, "document_not_found", f"索引中没有文档“{doc_id}”：GET /api/documents 可查看文档编号。",
                               "doc_id")
            return {"removed": assistant.remove_document(doc_id).__dict__}

        return await run_write(remove)

    # Uploads may be as large as the knowledge base tab allows: its file count times its file size.
    from .web import MAX_UPLOAD_FILES

    upload_route = next(r for r in protected.routes if r.name == "add_documents")
    upload_route.body_limit = int(MAX_UPLOAD_FILES * assistant.config.max_file_mb * 1024 * 1024) + 1024 * 1024

    public = APIRouter()

    @public.get("/openapi.json", include_in_schema=False)
    def openapi() -> dict:
        return get_openapi(title="政府工作报告问答助手 API", version=__version__, routes=protected.routes,
                           description="OpenAI 兼容接口（/v1）与脚本用的 REST 接口（/api）。设置了 RAG_API_KEY 时，"
                                       "每个请求都要带 Authorization: Bearer <密钥>。")

    @public.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="政府工作报告问答助手 API")

    return protected.routes + public.routes


def api_app_kwargs(assistant: Assistant, exposed: bool) -> dict:
    """What ``gr.Blocks.launch(app_kwargs=…)`` needs to serve the API in front of Gradio's routes,
    with the key from ``$RAG_API_KEY``."""
    key = os.environ.get("RAG_API_KEY")
    if exposed and not key:
        print("提示：服务对外开放但没有设置 RAG_API_KEY，/v1 与 /api 接口已关闭（网页版不受影响）。", file=sys.stderr)
    return {"routes": api_routes(assistant, api_key=key, exposed=exposed)}
