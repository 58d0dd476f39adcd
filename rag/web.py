"""The Gradio web chat: a thin layer over ``rag.Assistant``; all logic stays in the library.

Every piece of document text is escaped before it reaches the page (HTML and Markdown), so a
report containing ``<script>`` or ``[link](…)`` shows those characters as text.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import uuid
from pathlib import Path

from .answering import Answer
from .assistant import Assistant
from .documents import SUPPORTED_SUFFIXES
from .errors import RagError

EXAMPLES = ["2023年新增城市绿地多少？", "2023年生产粮食和蔬菜分别多少？", "哪个村获评全国乡村治理示范村？",
            "城镇新增就业多少人？", "黔江区区长是谁？"]
MAX_UPLOAD_FILES = 20
MODES = {"摘录式（离线）": "extractive", "大模型": "llm"}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")

CSS = """
.sources {font-size: 14px; line-height: 1.6}
.source {border-left: 3px solid #2b6cb0; padding: 6px 10px; margin: 8px 0; background: #f7fafc}
.related {border-left: 3px dashed #a0aec0; padding: 6px 10px; margin: 8px 0; background: #fafafa; color: #4a5568}
.src-head {font-weight: 600; margin-bottom: 4px}
.source mark {background: #fefcbf; padding: 0 2px}
.note {color: #b7791f}
"""


def escape_text(text: str) -> str:
    """Document text made inert for the chat, which renders Markdown and HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=True)).replace("\n", "<br>")


def unescape_text(markdown: str) -> str:
    """The plain text of a chat message made by ``escape_text`` (for follow-up questions)."""
    return html.unescape(re.sub(r"\\(.)", r"\1", markdown.replace("<br>", "\n")))


def escape_html(text: str) -> str:
    """Document text made inert for the sources panel, which renders HTML only."""
    return html.escape(text, quote=True).replace("\n", "<br>")


def answer_markdown(answer: Answer) -> str:
    """The answer for the chat: escaped text, each [n] a link to its source with the quote on hover."""
    by_n = {c.n: c for c in answer.citations}

    def link(match: re.Match) -> str:
        c = by_n.get(int(match.group(1)))
        if c is None:
            return match.group(0)
        tip = html.escape(f"{c.title}：{c.quote}", quote=True)
        return f'<a href="#src-{c.n}" title="{tip}" class="cite">[{c.n}]</a>'

    body = re.sub(r"\\\[(\d+)\\\]", link, escape_text(answer.text))
    notes = "".join(f'<br><span class="note">提示：{escape_text(n)}</span>' for n in answer.notes)
    return body + notes


def sources_html(answer: Answer | None) -> str:
    if answer is None:
        return '<div class="sources"><p>提问后，这里显示回答所引用的原文。</p></div>'
    parts = ['<div class="sources">']
    if answer.citations:
        parts.append("<h4>引用来源</h4>")
        for c in answer.citations:
            at = c.text.find(c.quote)
            body = (escape_html(c.text[:at]) + "<mark>" + escape_html(c.quote) + "</mark>" + escape_html(c.text[at + len(c.quote):])
                    if at >= 0 else "<mark>" + escape_html(c.quote) + "</mark>")
            year = f" · {c.year}年报告" if c.year else ""
            parts.append(f'<div class="source" id="src-{c.n}"><div class="src-head">[{c.n}] {escape_html(c.title)}{year}'
                         f' · {escape_html(c.section.rsplit(" > ", 1)[-1])}</div><div class="src-body">{body}</div></div>')
    if not answer.answered:
        parts.append("<h4>可能相关（并非答案出处）</h4>")
        for h in answer.related[:3]:
            year = f" · {h.year}年报告" if h.year else ""
            parts.append(f'<div class="related"><div class="src-head">{escape_html(h.title)}{year} · '
                         f'{escape_html(h.section.rsplit(" > ", 1)[-1])}</div>{escape_html(h.text)}</div>')
    parts.append("</div>")
    return "".join(parts)


class ChatApp:
    """Event handlers, kept free of Gradio objects where possible so they can be unit tested."""

    def __init__(self, assistant: Assistant):
        self.assistant = assistant
        self.uploads = Path(assistant.config.index_dir) / "uploads"

    # ---- chat ---------------------------------------------------------------------------

    def respond(self, message: str, history: list | None, k: int = 5, mode: str = "摘录式（离线）",
                doc_filter: list[str] | None = None, year_filter: list | None = None):
        """Stream the answer into the chat; the sources panel fills in when the answer is final."""
        history = list(history or [])
        previous = [unescape_text(m["content"]) for m in history
                    if m.get("role") == "user" and isinstance(m.get("content"), str)]
        history += [{"role": "user", "content": escape_text(message or "")}, {"role": "assistant", "content": ""}]
        try:
            stream = self.assistant.ask_stream(message or "", previous,
                                               k=int(k), doc_ids=doc_filter or None,
                                               years=[int(y) for y in year_filter or []] or None,
                                               mode=MODES.get(mode, "extractive"))
            partial = ""
            for piece in stream:
                if isinstance(piece, Answer):
                    history[-1] = {"role": "assistant", "content": answer_markdown(piece)}
                    yield history, sources_html(piece), ""
                    return
                partial += piece
                history[-1] = {"role": "assistant", "content": escape_text(partial)}
                yield history, sources_html(None), ""
        except RagError as exc:
            history[-1] = {"role": "assistant", "content": escape_text(str(exc))}
            yield history, sources_html(None), ""

    # ---- knowledge base -----------------------------------------------------------------

    def documents_table(self) -> list[list]:
        return [[d.doc_id, d.title, d.year or "", d.n_chunks, d.added_at] for d in self.assistant.documents()]

    def document_choices(self) -> list[str]:
        return [d.doc_id for d in self.assistant.documents()]

    def year_choices(self) -> list[str]:
        return sorted({str(d.year) for d in self.assistant.documents() if d.year}, reverse=True)

    def upload(self, files: list | None, progress=None) -> list[list]:
        """Store uploads under the index directory with generated names, then index them.
        Returns one row per file: name, result, doc id, chunks, message."""
        files = [f for f in files or [] if f]
        if not files:
            return [["", "失败", "", 0, "请先选择要上传的文件。"]]
        if len(files) > MAX_UPLOAD_FILES:
            return [["", "失败", "", 0, f"一次最多上传 {MAX_UPLOAD_FILES} 个文件（收到 {len(files)} 个）：请分批上传。"]]
        self.uploads.mkdir(parents=True, exist_ok=True)
        rows, stored, names = [], [], []
        limit = self.assistant.config.max_file_mb * 1024 * 1024
        for f in files:
            path = Path(getattr(f, "name", f))
            original = Path(getattr(f, "orig_name", None) or path.name).name  # never a path: no ../ tricks
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                rows.append([original, "失败", "", 0, f"不支持的文件类型：支持 {', '.join(SUPPORTED_SUFFIXES)}。"])
            elif path.stat().st_size > limit:
                rows.append([original, "失败", "", 0, f"文件超过 {self.assistant.config.max_file_mb:g} MB 上限。"])
            else:
                target = self.uploads / f"{uuid.uuid4().hex}{path.suffix.lower()}"
                shutil.copyfile(path, target)
                stored.append(target)
                names.append(original)
        if stored:
            report = (lambda done, total: progress((done, total), desc="向量化", unit="块")) if progress else None
            results = self.assistant.add_documents(stored, sources=names, progress=report)
            for path, r in zip(stored, results):
                rows.append([r.source, r.label, r.doc_id or "", r.chunks, r.error or ""])
                if r.status in ("error", "duplicate", "unchanged"):
                    path.unlink(missing_ok=True)
        return rows

    def delete(self, doc_id: str | None) -> str:
        if not doc_id:
            return "请先选择要删除的文档。"
        try:
            removed = self.assistant.remove_document(doc_id)
        except RagError as exc:
            return str(exc)
        return f"已删除：{removed.title}（{removed.doc_id}）"

    # ---- API ----------------------------------------------------------------------------

    def api_ask(self, question: str) -> dict:
        """Answer text with [n] markers, whether it is answered, and the citations."""
        answer = self.assistant.ask(question)
        return {"answer": answer.text, "answered": answer.answered,
                "citations": [c.to_dict() for c in answer.citations]}

    def api_search(self, query: str, k: int = 5) -> list[dict]:
        return [h.to_dict() for h in self.assistant.search(query, k=int(k))]


def build_app(assistant: Assistant):
    import gradio as gr

    app = ChatApp(assistant)
    with gr.Blocks(title="政府工作报告问答") as demo:
        gr.Markdown("## 政府工作报告问答助手\n每个事实都标注出处 [n]，点击或悬停可查看原文；报告中没有的内容会如实说明。")
        with gr.Tab("问答"):
            with gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(label="对话", height=460, sanitize_html=True, buttons=["copy"],
                                         feedback_options=None, elem_id="chat")
                    with gr.Row():
                        question = gr.Textbox(placeholder="输入问题，例如：2023年新增城市绿地多少？", show_label=False,
                                              scale=5, elem_id="question")
                        send = gr.Button("发送", variant="primary", scale=1, elem_id="send")
                    gr.Examples(EXAMPLES, inputs=question, label="示例问题")
                    clear = gr.Button("清空对话", elem_id="clear")
                with gr.Column(scale=2):
                    sources = gr.HTML(sources_html(None), elem_id="sources")
            with gr.Accordion("设置", open=False):
                k = gr.Slider(1, 10, value=5, step=1, label="检索段落数")
                modes = list(MODES) if assistant.llm_available else list(MODES)[:1]
                mode = gr.Radio(modes, value=modes[0], label="回答方式",
                                info=None if assistant.llm_available else "配置 RAG_LLM_BASE_URL 后可用大模型回答")
                doc_filter = gr.Dropdown(app.document_choices(), multiselect=True, label="只在这些文档中查找")
                year_filter = gr.Dropdown(app.year_choices(), multiselect=True, label="只在这些年份的报告中查找")
        with gr.Tab("知识库"):
            files = gr.File(file_count="multiple", file_types=list(SUPPORTED_SUFFIXES), label="上传报告（txt、md、docx、pdf、html，可多选）",
                            elem_id="upload")
            index_button = gr.Button("开始索引", variant="primary", elem_id="index-button")
            results = gr.Dataframe(headers=["文件", "结果", "文档编号", "块数", "说明"], label="本次上传结果",
                                   interactive=False, elem_id="upload-results")
            documents = gr.Dataframe(app.documents_table(), headers=["文档编号", "标题", "年份", "块数", "添加时间"],
                                     label="已索引的文档", interactive=False, elem_id="documents")
            with gr.Row():
                to_delete = gr.Dropdown(app.document_choices(), label="选择要删除的文档")
                delete_button = gr.Button("删除", variant="stop")
            status = gr.Markdown()

        chat_inputs = [question, chatbot, k, mode, doc_filter, year_filter]
        send.click(app.respond, chat_inputs, [chatbot, sources, question], api_visibility="private")
        question.submit(app.respond, chat_inputs, [chatbot, sources, question], api_visibility="private")
        clear.click(lambda: ([], sources_html(None), ""), None, [chatbot, sources, question], api_visibility="private")

        def refresh_lists():
            choices = app.document_choices()
            return (app.documents_table(), gr.update(choices=choices, value=None), gr.update(choices=choices),
                    gr.update(choices=app.year_choices()))

        def index_files(uploaded, progress=gr.Progress()):
            return (app.upload(uploaded, progress), *refresh_lists())

        index_button.click(index_files, files, [results, documents, to_delete, doc_filter, year_filter],
                           api_visibility="private")
        delete_button.click(lambda d: (app.delete(d), *refresh_lists()), to_delete,
                            [status, documents, to_delete, doc_filter, year_filter], api_visibility="private")

        def ask(question: str) -> dict:
            """Answer a question: {"answer": text with [n], "answered": bool, "citations": [...]}."""
            return app.api_ask(question)

        def search(query: str, k: int = 5) -> list[dict]:
            """Hybrid search: the k best passages with their sources and offsets."""
            return app.api_search(query, k)

        gr.api(ask, api_name="ask")
        gr.api(search, api_name="search")
    return demo


def serve(index_dir: str | None = None, host: str | None = None, port: int | None = None, share: bool = False,
          prevent_thread_lock: bool = False, assistant: Assistant | None = None):
    """Start the web chat and the API (rag/api.py) on one port. Binds to 127.0.0.1 unless told
    otherwise; exposing it (another host or --share) requires a password (RAG_WEB_PASSWORD, user
    RAG_WEB_USER, default 'admin') for the chat and RAG_API_KEY for the API."""
    from .api import api_app_kwargs

    host = host or os.environ.get("GRADIO_SERVER_NAME") or "127.0.0.1"
    port = int(port or os.environ.get("GRADIO_SERVER_PORT") or 7860)
    password = os.environ.get("RAG_WEB_PASSWORD")
    exposed = share or host not in ("127.0.0.1", "localhost", "::1")
    if exposed and not password:
        raise RagError(f"对外开放（--host {host}{' --share' if share else ''}）时必须设置登录密码：请设置环境变量 RAG_WEB_PASSWORD。")
    auth = (os.environ.get("RAG_WEB_USER", "admin"), password) if password else None
    assistant = assistant or Assistant.load(index_dir, quiet=False)
    demo = build_app(assistant)
    demo.queue(default_concurrency_limit=4)
    demo.launch(server_name=host, server_port=port, share=share, auth=auth, css=CSS,
                prevent_thread_lock=prevent_thread_lock, max_file_size=f"{int(assistant.config.max_file_mb)}mb",
                footer_links=["api"], app_kwargs=api_app_kwargs(assistant, exposed))
    return demo
