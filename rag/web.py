"""The Gradio web chat: a thin layer over ``rag.Assistant``; all logic stays in the library.

Every piece of document text is escaped before it reaches the page (HTML and Markdown), so a
report containing ``<script>`` or ``[link](…)`` shows those characters as text.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import time
import uuid
from pathlib import Path

from .answering import Answer, Citation
from .assistant import MAX_QUESTION_CHARS, Assistant
from .documents import SUPPORTED_SUFFIXES
from .errors import RagError

EXAMPLES = ["2023年新增城市绿地多少？", "2023年生产粮食和蔬菜分别多少？", "哪个村获评全国乡村治理示范村？",
            "城镇新增就业多少人？", "黔江区区长是谁？"]
MAX_UPLOAD_FILES = 20
MODES = {"摘录式（离线）": "extractive", "大模型": "llm"}
KINDS = {"list": "列举", "summary": "概括", "how": "做法", "why": "原因", "compare": "比较", "compute": "计算",
         "multi": "多项", "yesno": "是否", "table": "表格"}  # shown next to an answer; a plain fact needs no label
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>:@])")  # ':' and '@': no autolinks either
_FOOTNOTE = re.compile(r"\\?\[(\d{1,3})\\?\]")  # the report's own footnote markers (escaped or not)

WELCOME = ("您好！我只根据已索引的政府工作报告回答，每个事实都标注出处 [n]，点一下 [n] 即可看到原文。\n\n"
           "可以这样问：" + "、".join(f"“{q}”" for q in EXAMPLES[:3]))

CSS = """
.sources {font-size: 14px; line-height: 1.6}
.source {border-left: 3px solid #2b6cb0; padding: 6px 10px; margin: 8px 0; background: #f7fafc; border-radius: 4px}
.source.active {outline: 2px solid #dd6b20; background: #fffaf0}
.related {border-left: 3px dashed #a0aec0; padding: 6px 10px; margin: 8px 0; background: #fafafa; color: #4a5568}
.src-head {font-weight: 600; margin-bottom: 4px}
.source mark {background: #fefcbf; padding: 0 2px}
.source mark.current {background: #fbd38d; box-shadow: 0 0 0 1px #dd6b20}  /* the quote of the [n] followed */
.note {color: #b7791f}
sup.fn {font-size: 0.7em; color: #a0aec0; vertical-align: super; line-height: 0}
a.cite {position: relative; display: inline-block; margin: 0 1px; vertical-align: super; line-height: 1;
        text-decoration: none !important}
a.cite .pill {display: inline-block; font-size: 0.8em; font-weight: 600; color: #fff; background: #2b6cb0;
        border-radius: 8px; padding: 0 5px; line-height: 1.5}
a.cite .tip {display: none}  /* the text of the page's one floating tip (.cite-tip) */
/* One tip for the page, on <body>: a tip inside the chat was painted under the question box */
.cite-tip {display: none; position: fixed; z-index: 10000; width: 18em; max-width: 70vw; padding: 6px 8px;
        background: #1a202c; color: #fff; font-size: 13px; line-height: 1.5; border-radius: 4px; pointer-events: none}
.cite-tip sup.fn {color: #cbd5e0}
.answer-table {border-collapse: collapse; margin: 6px 0; font-size: 14px}
.answer-table th, .answer-table td {border: 1px solid #cbd5e0; padding: 2px 8px; text-align: left}
.pending-answer {color: #718096}
.pending-answer::after {content: ""; display: inline-block; width: 1em; animation: dots 1.2s steps(4) infinite; overflow: hidden; vertical-align: bottom}
@keyframes dots {0% {width: 0} 100% {width: 1.2em}}
.kind {font-size: 12px; color: #718096; border: 1px solid #cbd5e0; border-radius: 8px; padding: 0 6px; margin-left: 6px; white-space: nowrap}  /* a two-character tag never breaks */
details.answer-sources {margin-top: 8px; font-size: 14px}
details.answer-sources summary {cursor: pointer; color: #2b6cb0; padding: 10px 0; line-height: 24px}  /* 44 px: a finger */
.copy-text {display: none}
a.copy-answer {display: inline-block; font-size: 13px; color: #4a5568 !important; margin-left: 8px; padding: 4px 6px;
        white-space: nowrap; text-decoration: none !important}
#documents {overflow-x: auto}
/* the upload's count and time under its bar, not over it (an empty results table left them no room) */
#upload-results {min-height: 150px}
#upload-results .progress-text.meta-text {position: static; order: 2; padding-top: 4px}
@media (max-width: 768px) {
  #sources {display: none}  /* on a phone the sources unfold under each answer */
  /* touch targets at least 44 px high (WCAG 2.5.5, Apple HIG): the link grows, the negative margin
     keeps the line height, the pill stays small */
  a.cite {box-sizing: border-box; min-height: 44px; padding: 10px 3px; margin: -10px 0; vertical-align: middle}
  a.cite .pill {font-size: 0.9em; padding: 1px 7px}
  a.cite .tip {display: none !important}  /* a tap unfolds the source under the answer instead */
  button {min-height: 44px}  /* tabs, example questions, 发送: finger-sized too */
  a.copy-answer {min-height: 44px; line-height: 36px; padding: 4px 12px; margin: -10px 0 -10px 8px; box-sizing: border-box;
                 vertical-align: middle}
}
@media (min-width: 769px) {
  details.answer-sources {display: none}  /* the panel beside the chat shows them */
}
"""

# Runs in the page: follows a citation to its card (marked, unfolded, scrolled to), copies an answer as
# plain text, and puts Gradio's own texts into Chinese whatever the browser's language.
HEAD = """<script>
(() => {
  const chinese = async () => {
    if ((document.documentElement.lang || '').startsWith('zh')) return;
    const core = performance.getEntriesByType('resource').map(e => e.name)
      .find(n => /\\/assets\\/core-[\\w-]+\\.js$/.test(n));
    if (core) { try { (await import(core)).changeLocale('zh-CN'); } catch (e) { console.warn(e); } }
  };
  if (document.readyState === 'complete') chinese(); else window.addEventListener('load', chinese);
  const numberOf = (el, prefix) => [...el.classList].find(c => c.startsWith(prefix)).slice(prefix.length);
  // the whole chat message (the answer's text and its folded sources are siblings inside it)
  const scope = (el) => el.closest('.message-content') || el.closest('p') || el.parentElement;
  // Gradio's own labels for screen readers are English, and an answer's label is its raw markup or
  // empty: give each message its plain text, in Chinese (issue #20)
  const plain = (message) => [...message.querySelectorAll('.copy-text .copy-line')].map(l => l.textContent).join('\\n');
  const LABELS = {'chatbot conversation': '对话', 'More tabs': '更多标签页', 'Gradio footer navigation': '页脚导航',
                  'Copy table data': '复制表格数据', 'Copied to clipboard': '已复制到剪贴板', 'Fullscreen': '全屏',
                  'Exit fullscreen': '退出全屏', 'Click to upload or drop files': '点击上传或拖放文件',
                  'File upload': '文件上传', 'Open cell menu': '打开单元格菜单', 'Dataframe': '数据表',
                  'Table actions': '表格操作', 'Stop Recording': '停止录制', 'Clear': '清除', 'Remove': '移除'};
  const labelOf = (el, label) => {
    if (label in LABELS) return LABELS[label];
    const own = /^(\\w+)'s message: ?([\\s\\S]*)$/.exec(label);
    if (own && own[1] === 'user') return '提问：' + own[2];
    // ours too ('回答：…'): a message renders in steps, and its label follows until it is whole
    if (!el.closest('#chat') || !(own || label === '' || label.startsWith('回答：')) ||
        !el.querySelector('.message-content')) return null;
    // the whole answer: its copy text holds every line (a list's first line alone was read before)
    if (el.querySelector('.copy-text')) return '回答：' + plain(el);
    if (el.querySelector('.pending-answer')) return '回答：正在检索…';
    return '回答：' + el.innerText.trim();
  };
  const relabel = () => {
    document.querySelectorAll('[aria-label]').forEach(el => {
      const label = el.getAttribute('aria-label'), next = labelOf(el, label);
      if (next !== null && next !== label) el.setAttribute('aria-label', next);
    });
    document.querySelectorAll('[title], img[alt]').forEach(el => {
      const title = el.getAttribute('title');
      if (title in LABELS) el.setAttribute('title', LABELS[title]);
      const alt = el.getAttribute('alt') || '';
      if (/plot visualising/.test(alt)) el.setAttribute('alt', '年度变化图');
      else if (alt in LABELS) el.setAttribute('alt', LABELS[alt]);
    });
  };
  // A refusal's closest passages, unfolded on a phone, come into view
  document.addEventListener('toggle', (event) => {
    const details = event.target;
    if (details.matches && details.matches('details.related-sources') && details.open)
      details.scrollIntoView({behavior: 'smooth', block: 'start'});
  }, true);
  // A [n]'s quote shows in one tip on <body>, placed where it fits in the window: below its [n], or
  // above it near the bottom (inside the chat it was cut off, then painted under the question box)
  const fine = window.matchMedia('(hover: hover) and (pointer: fine)');
  let tipBox = null;
  const showTip = (cite) => {
    const tip = cite && cite.querySelector('.tip');
    if (!tip || !fine.matches) return;
    if (!tipBox) {
      tipBox = document.createElement('div');
      tipBox.className = 'cite-tip';
      tipBox.setAttribute('role', 'tooltip');
      document.body.appendChild(tipBox);
    }
    tipBox.innerHTML = tip.innerHTML;
    tipBox.style.display = 'block';
    const at = cite.getBoundingClientRect(), size = tipBox.getBoundingClientRect();
    const below = at.bottom + 4, above = at.top - size.height - 4;
    tipBox.style.top = (below + size.height <= window.innerHeight - 4 || above < 4 ? below : above) + 'px';
    tipBox.style.left = Math.max(4, Math.min(at.left, window.innerWidth - size.width - 4)) + 'px';
  };
  const hideTip = () => { if (tipBox) tipBox.style.display = 'none'; };
  document.addEventListener('mouseover', (event) => {
    const cite = event.target.closest && event.target.closest('a.cite');
    if (cite) showTip(cite); else hideTip();
  }, true);
  document.addEventListener('focusin', (event) => {
    const cite = event.target.closest && event.target.closest('a.cite');
    if (cite && cite.matches(':focus-visible')) showTip(cite); else hideTip();
  }, true);
  document.addEventListener('scroll', hideTip, true);
  // A new question scrolls into view, also after a tapped [n] scrolled the chat away from its end
  let questions = 0;
  const scrollToQuestion = () => {
    const asked = document.querySelectorAll('#chat .message-row.user-row, #chat .message.user');
    if (asked.length > questions && asked.length) {
      const last = asked[asked.length - 1].closest('.message-row') || asked[asked.length - 1];
      requestAnimationFrame(() => last.scrollIntoView({block: 'start'}));
    }
    questions = asked.length;
  };
  // A question sent while another is answered waits here and is sent when that answer is in:
  // never dropped (issue #20).
  const waiting = [];
  const box = () => document.querySelector('#question textarea');
  // A question is pending from its send until an answer is in: the server's '正在检索…' may come
  // late on a busy machine, so the send itself counts until an answer (its 复制 link) appears.
  let sentAt = 0, answers = 0, answeredAt = 0;
  let releasing = false;  // the click that sends a waiting question passes
  // The question last sent, sent again if no bubble shows it: Gradio drops an event that starts
  // while the last one winds up (a question sent 0.3 s after a quick answer was lost, issue #20)
  let inflight = null, retried = null;
  const countAnswers = () => {
    const now = document.querySelectorAll('#chat .answer-key, #chat .answer-done').length;
    if (now !== answers) { answers = now; answeredAt = Date.now(); }
  };
  // One observer for the page's changes: labels, a new question's scroll, the answers counted
  new MutationObserver(() => { relabel(); scrollToQuestion(); countAnswers(); }).observe(document.documentElement,
    {subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label', 'title', 'alt']});
  const pending = () => !!document.querySelector('#chat .pending-answer') ||
    (sentAt > answeredAt && Date.now() - sentAt < 120000);
  const hold = (event) => {
    const input = box();
    if (event.type === 'keydown' && (event.key !== 'Enter' || event.shiftKey || event.isComposing)) return;
    if (event.type === 'click' && !event.target.closest('#send')) return;
    if (!input || !input.value.trim()) return;
    if (releasing || !pending()) {
      releasing = false;
      sentAt = Date.now();
      inflight = {text: input.value, at: sentAt};
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    waiting.push(input.value);
    input.value = '';
    input.dispatchEvent(new Event('input', {bubbles: true}));
    input.setAttribute('placeholder', `已排队 ${waiting.length} 个问题，当前回答完成后依次发送…`);
  };
  document.addEventListener('keydown', hold, true);
  document.addEventListener('click', hold, true);
  const shown = (text) => [...document.querySelectorAll('#chat .message')].some(m => m.textContent.includes(text));
  setInterval(() => {
    const input = box();
    if (inflight && Date.now() - inflight.at > 5000 && !shown(inflight.text) &&
        !document.querySelector('#chat .pending-answer')) {
      waiting.unshift(inflight.text);  // not taken: no bubble shows it, nothing is pending
      retried = inflight.text;
      inflight = null;
      sentAt = 0;
    }
    if (!waiting.length || pending() || !input || Date.now() - answeredAt < 500) return;
    const text = waiting.shift();
    if (text === retried) {
      retried = null;
      if (shown(text)) return;  // it was only late: never asked twice
    }
    input.value = text;
    input.dispatchEvent(new Event('input', {bubbles: true}));
    if (!waiting.length) input.setAttribute('placeholder', '输入问题，例如：2023年新增城市绿地多少？');
    setTimeout(() => {
      if (!input.value.trim()) { input.value = text; input.dispatchEvent(new Event('input', {bubbles: true})); }
      releasing = true;
      document.querySelector('#send').click();
    }, 300);
  }, 300);
  document.addEventListener('click', (event) => {
    const cite = event.target.closest('a.cite');
    const copy = event.target.closest('a.copy-answer');
    if (!cite && !copy) return;
    event.preventDefault();
    event.stopPropagation();
    const message = scope(cite || copy);
    if (copy) {
      navigator.clipboard.writeText(plain(message)).then(() => {
        copy.textContent = '已复制';
        setTimeout(() => { copy.textContent = '复制'; }, 2000);
      });
      return;
    }
    const n = numberOf(cite, 'cite-');
    const key = numberOf(message.querySelector('.answer-key'), 'key-');
    document.querySelectorAll('.source.active').forEach(e => e.classList.remove('active'));
    document.querySelectorAll('.source mark.current').forEach(e => e.classList.remove('current'));
    const details = message.querySelector('details.answer-sources');
    const inline = details && details.querySelector('.source.src-' + n);
    let panel = document.querySelector('#sources .key-' + key + ' .source.src-' + n);
    const box = document.querySelector('#sources .sources');
    if (!panel && details && box && box.checkVisibility()) {
      // an earlier answer's [n]: the panel shows that answer's sources (copies of its folded cards)
      box.className = 'sources key-' + key;
      box.innerHTML = '<h4>引用来源（较早的回答）</h4>';
      details.querySelectorAll('.source').forEach(card => box.appendChild(card.cloneNode(true)));
      panel = box.querySelector('.source.src-' + n);
    }
    if (details) details.open = true;
    [inline, panel].forEach(card => {
      if (!card) return;
      card.classList.add('active');
      card.querySelectorAll('mark.q-' + n).forEach(m => m.classList.add('current'));  // [n]'s own quote
    });
    const shown = [panel, inline].find(card => card && card.checkVisibility());
    if (shown) shown.scrollIntoView({behavior: 'smooth', block: 'nearest'});
  }, true);
})();
</script>"""


def status_texts():
    """Texts Gradio's status tracker announces by keys its own dictionaries lack (it showed
    「common.complete」 after each event and 「common.upload」 on the upload button, issue #20)."""
    import gradio as gr

    texts = {"common": {"complete": "完成", "error": "出错", "upload": "上传"}}
    return gr.I18n(**{"zh-CN": texts, "zh": texts, "en": texts})


# Shown while a question is answered; the page queues a question sent meanwhile (HEAD's script).
PENDING = '<span class="pending-answer">正在检索…</span>'
ANSWERED = '<span class="answer-done"></span>'  # a reply is in (answers carry .answer-key)


def escape_text(text: str) -> str:
    """Document text made inert for the chat, which renders Markdown and HTML."""
    # quote=False: quotation marks need no escape in text, and an escaped one (&#x27;) would reach
    # the user as it is (issue #20); <, > and & are what make markup
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)).replace("\n", "<br>")


def unescape_text(markdown: str) -> str:
    """The plain text of a chat message made by ``escape_text`` (for follow-up questions)."""
    return html.unescape(re.sub(r"\\(.)", r"\1", markdown.replace("<br>", "\n")))


def escape_html(text: str) -> str:
    """Document text made inert for the sources panel, which renders HTML only."""
    return html.escape(text, quote=True).replace("\n", "<br>")


def passage_html(text: str, escape=escape_html) -> str:
    """A passage as shown: escaped, the report's footnote markers as small grey superscripts."""
    return _FOOTNOTE.sub(r'<sup class="fn">\1</sup>', escape(text))


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _footnotes_raised(text: str, ours: set[int] = frozenset()) -> str:
    """The report's own footnote markers ('[13]') as superscript digits ('¹³'): in copied text a
    bracketed number reads as one of the answer's citations (issue #20). ``ours``: the answer's
    citation numbers, kept as they are."""
    return _FOOTNOTE.sub(lambda m: m.group(0) if int(m.group(1)) in ours else m.group(1).translate(_SUPERSCRIPT), text)


def plain_text(answer: Answer) -> str:
    """What the copy link copies and a screen reader can rely on: the answer with [n], then its
    sources; the report's own footnote markers raised so they do not read as citations."""
    ours = {c.n for c in answer.citations}
    lines = [_footnotes_raised(answer.text, ours), *(f"提示：{n}" for n in answer.notes)]
    if answer.citations:
        lines.append("\n来源：")
        for c in answer.citations:
            year = f"（{c.year}年报告）" if c.year else ""
            lines.append(f"[{c.n}] {c.title}{year} · {c.section.rsplit(' > ', 1)[-1]}：{_footnotes_raised(c.quote)}")
    return "\n".join(lines)


def _citation_groups(answer: Answer) -> list[list[Citation]]:
    """Citations of the same passage share one card."""
    groups: dict[str, list[Citation]] = {}
    for c in answer.citations:
        groups.setdefault(c.chunk_id, []).append(c)
    return list(groups.values())


def _marked(text: str, quotes: list[tuple[int, str]], escape) -> str:
    """The passage with each quoted sentence highlighted, every mark classed ``q-n`` by the citations
    whose quote it covers (so [8] of a card holding [6][7][8] can light its own sentence); quotes
    that are not in the passage are listed after it."""
    spans = [(text.find(q), text.find(q) + len(q), n) for n, q in quotes if q and q in text]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out = []
    for start, end in zip(cuts, cuts[1:]):
        covering = sorted({n for s, e, n in spans if s <= start and end <= e})
        piece = passage_html(text[start:end], escape)
        out.append(f'<mark class="{" ".join(f"q-{n}" for n in covering)}">{piece}</mark>' if covering else piece)
    out += [f'<br><mark class="q-{n}">' + passage_html(q, escape) + "</mark>" for n, q in quotes if q and q not in text]
    return "".join(out)


def source_cards(answer: Answer, escape=escape_html, ids: bool = True) -> str:
    """One card per cited passage; every citation number of the passage in its head and class
    (``ids``: the panel's cards are the targets of the [n] links; the folded copies in the chat are not)."""
    cards = []
    for group in _citation_groups(answer):
        c = group[0]
        numbers = "".join(f"[{g.n}]" for g in group)
        classes = " ".join(f"src-{g.n}" for g in group)
        year = f" · {c.year}年报告" if c.year else ""
        anchor = f' id="src-{c.n}"' if ids else ""
        cards.append(f'<div class="source {classes}"{anchor}><div class="src-head">{numbers} {escape(c.title)}{year}'
                     f' · {escape(c.section.rsplit(" > ", 1)[-1])}</div>'
                     f'<div class="src-body">{_marked(c.text, [(g.n, g.quote) for g in group], escape)}</div></div>')
    return "".join(cards)


def answer_markdown(answer: Answer, key: str = "") -> str:
    """The answer for the chat: escaped text with line breaks kept, each [n] a link that marks its
    source card (quote on hover), footnote markers as grey superscripts, the sources folded below."""
    by_n = {c.n: c for c in answer.citations}

    def marker(match: re.Match) -> str:
        c = by_n.get(int(match.group(1)))
        if c is None:  # not one of ours: the report's own footnote
            return f'<sup class="fn">{match.group(1)}</sup>'
        # the link is the touch target, the pill inside it is what shows (a phone needs 44 px)
        return (f'<a href="#src-{c.n}" class="cite cite-{c.n}"><span class="pill">[{c.n}]</span>'
                f'<span class="tip">{escape_text(c.title)}：{passage_html(c.quote, escape_text)}</span></a>')

    def inline(text: str) -> str:
        return re.sub(r"\\\[(\d+)\\\]", marker, escape_text(text))

    body = "<br>".join(table_html(block, inline) if block.startswith("|") else inline(block)
                       for block in _blocks(answer.text))
    kind = (f'<span class="kind" title="回答类型：{KINDS[answer.kind]}">{KINDS[answer.kind]}</span>'
            if answer.answered and answer.kind in KINDS else "")
    notes = "".join(f'<br><span class="note">提示：{escape_text(n)}</span>' for n in answer.notes)
    copy = "".join(f'<span class="copy-line">{escape_text(line)}</span>' for line in plain_text(answer).split("\n"))
    tail = (f'<span class="answer-key key-{key or uuid.uuid4().hex[:8]}"></span>'
            f'<a href="#copy" class="copy-answer">复制</a><span class="copy-text">{copy}</span>')
    folded = (f'<details class="answer-sources"><summary>查看来源（{len(answer.citations)} 处）</summary>'
              f'{source_cards(answer, escape_text, ids=False)}</details>' if answer.citations else "")
    if not answer.answered and answer.related:  # a phone has no sources panel: the closest passages fold here
        folded += (f'<details class="answer-sources related-sources"><summary>可能相关的段落（{len(answer.related[:3])} 段，'
                   f'并非答案出处）</summary>{related_cards(answer, escape_text)}</details>')
    return body + kind + notes + tail + folded


def _hidden():
    import gradio as gr

    return gr.update(visible=False)


def _blocks(text: str) -> list[str]:
    """The answer's text cut into runs of table lines ('| … |') and runs of other lines."""
    blocks: list[str] = []
    for line in text.split("\n"):
        is_row = line.startswith("|")
        if blocks and blocks[-1].startswith("|") == is_row:
            blocks[-1] += "\n" + line
        else:
            blocks.append(line)
    return blocks


def table_html(block: str, inline) -> str:
    """A Markdown table of an answer (trend, table kinds) as an HTML table, each cell escaped and
    its [n] made a citation marker by ``inline``; the '---' line is the header's end."""
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in block.split("\n")]
    rows = [r for r in rows if not all(re.fullmatch(r":?-{2,}:?", c) for c in r)]
    if not rows:
        return ""
    head = "".join(f"<th>{inline(c)}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in r) + "</tr>" for r in rows[1:])
    return f'<table class="answer-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def related_cards(answer: Answer, escape=escape_html) -> str:
    """The passages closest to an unanswered question (at most 3), each with its report and section."""
    cards = []
    for h in answer.related[:3]:
        year = f" · {h.year}年报告" if h.year else ""
        cards.append(f'<div class="related"><div class="src-head">{escape(h.title)}{year} · '
                     f'{escape(h.section.rsplit(" > ", 1)[-1])}</div>{passage_html(h.text, escape)}</div>')
    return "".join(cards)


def sources_html(answer: Answer | None, key: str = "") -> str:
    if answer is None:
        return '<div class="sources"><p>提问后，这里显示回答所引用的原文。</p></div>'
    parts = [f'<div class="sources key-{key}">']
    if answer.citations:
        parts += ["<h4>引用来源</h4>", source_cards(answer)]
    if not answer.answered:
        parts += ["<h4>可能相关（并非答案出处）</h4>", related_cards(answer)]
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
        """Stream the answer into the chat; the sources panel fills in when the answer is final.
        An empty question changes nothing: there is nothing to answer."""
        import gradio as gr  # late: the library works without Gradio

        history = list(history or [])
        if not (message or "").strip():
            yield history, gr.skip(), gr.skip(), gr.skip()  # not "": a question typed meanwhile stays
            return
        previous = [unescape_text(m["content"]) for m in history
                    if m.get("role") == "user" and isinstance(m.get("content"), str)]
        history += [{"role": "user", "content": escape_text(message)}, {"role": "assistant", "content": PENDING}]
        key = uuid.uuid4().hex[:8]  # ties the answer's citations to its cards in the sources panel
        yield history, sources_html(None), "", _hidden()  # the question shows at once, with a sign of work
        # From here on the box is left alone: what the user types meanwhile is the next question
        # (every update used to empty it, and a question typed as an answer came in was lost).
        keep = gr.skip()
        try:
            stream = self.assistant.ask_stream(message, previous,
                                               k=int(k), doc_ids=doc_filter or None,
                                               years=[int(y) for y in year_filter or []] or None,
                                               mode=MODES.get(mode, "extractive"))
            partial = ""
            for piece in stream:
                if isinstance(piece, Answer):
                    history[-1] = {"role": "assistant", "content": answer_markdown(piece, key)}
                    yield history, sources_html(piece, key), keep, self.chart(piece)
                    return
                partial += piece
                history[-1] = {"role": "assistant", "content": escape_text(partial)}
                yield history, sources_html(None), keep, _hidden()
        except RagError as exc:
            history[-1] = {"role": "assistant", "content": escape_text(str(exc)) + ANSWERED}
            yield history, sources_html(None), keep, _hidden()

    @staticmethod
    def chart(answer: Answer):
        """The chart of a trend answer's series (the first region's), else the chart hidden."""
        import gradio as gr

        from .trends import plot_series, series_from_dict

        if not answer.series:
            return _hidden()
        return gr.update(value=plot_series(series_from_dict(answer.series[0])), visible=True)

    # ---- indicators -----------------------------------------------------------------------

    def indicator_choices(self) -> list[str]:
        """Measures of the loaded reports' figure records that several years have, most years first."""
        from .trends import measures_by_years

        return measures_by_years(self.assistant.snapshot.figures())

    def indicator(self, measure: str | None):
        """The series of a measure across all loaded reports: rows (year, kind, figure, report,
        quote) for the table, and its chart."""
        from .trends import build_series, plot_series

        if not measure:
            return [], _hidden(), "请先选择或输入一个指标。"
        table = self.assistant.snapshot.figures()
        years = sorted({f.period for f in table.figures if f.period})
        if not years:
            return [], _hidden(), "知识库中还没有带年份的数字。"
        series = build_series(table, measure, list(range(years[0], years[-1] + 1)))
        series.points.sort(key=lambda p: (p.year, p.kind))
        rows = [[p.year, {"result": "实际", "target": "目标"}[p.kind], p.text, p.figure.title, p.figure.clause]
                for p in series.points]
        if not rows:
            return [], _hidden(), f"没有找到“{escape_html(measure)}”的数字。"
        import gradio as gr

        note = f"共 {len(rows)} 个数字（单位：{series.unit or '—'}）。" + "".join(series.notes) + " 点击表中一行可查看原文。"
        return rows, gr.update(value=plot_series(series), visible=True), escape_html(note)

    # ---- knowledge base -----------------------------------------------------------------

    def documents_table(self) -> list[list]:
        """Title first: on a phone only the first columns are visible."""
        return [[d.title, d.year or "", d.n_chunks, d.added_at, d.doc_id] for d in self.assistant.documents()]

    def document_choices(self) -> list[tuple[str, str]]:
        """(label, doc id) pairs: people choose by title; the id only tells equal titles apart."""
        documents = self.assistant.documents()
        titles = [d.title for d in documents]
        return [(d.title if titles.count(d.title) == 1 else f"{d.title}（{d.doc_id}）", d.doc_id) for d in documents]

    def year_choices(self) -> list[str]:
        return sorted({str(d.year) for d in self.assistant.documents() if d.year}, reverse=True)

    def upload(self, files: list | None, progress=None) -> list[list]:
        """Store uploads under the index directory with generated names, then index them.
        Returns one row per file: name, result, doc id, chunks, message. ``progress(fraction or
        (done, total), desc=…)`` (e.g. ``gr.Progress``) hears each stage."""
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
                rows.append([original, "失败", "", 0, f"不支持的文件类型“{path.suffix or '无扩展名'}”：请上传 "
                                                      f"{'、'.join(SUPPORTED_SUFFIXES)} 文件。"])
            elif path.stat().st_size > limit:
                rows.append([original, "失败", "", 0, f"文件超过 {self.assistant.config.max_file_mb:g} MB 上限：请拆分后再上传。"])
            else:
                target = self.uploads / f"{uuid.uuid4().hex}{path.suffix.lower()}"
                shutil.copyfile(path, target)
                stored.append(target)
                names.append(original)
        if stored:
            # `gr.Progress()` is falsy (its length is 0): test for None, not truth
            if progress is not None:
                progress(0, desc=f"正在解析与切分 {len(stored)} 个文件…")

            started = time.monotonic()

            def embedded(done: int, total: int) -> None:
                if done >= total:
                    desc = "向量化完成，正在写入索引…"
                elif done:  # rate and time left, so a long file is known to be long (issue #20)
                    rate = done / max(1e-6, time.monotonic() - started)
                    left = (total - done) / rate
                    desc = f"正在向量化：{done}/{total} 块，约 {rate:.1f} 块/秒，预计还需 " + (
                        f"{left / 60:.0f} 分钟" if left >= 90 else f"{left:.0f} 秒")
                else:
                    desc = f"切分完成，共 {total} 块；正在向量化"
                progress((done, total), desc=desc, unit="块")

            try:
                results = self.assistant.add_documents(stored, sources=names,
                                                       progress=embedded if progress is not None else None)
            finally:
                # The index keeps each document's text (rebuilds read it there): no upload is kept,
                # so a deleted or replaced report leaves no copy behind (issue #19).
                for path in stored:
                    path.unlink(missing_ok=True)
            for r in results:
                rows.append([r.source, r.label, r.doc_id or "", r.chunks, r.error or ""])
        for f in files:  # Gradio's own copy of the upload, in its cache
            if getattr(f, "orig_name", None) and _in_gradio_cache(Path(getattr(f, "name", ""))):
                Path(f.name).unlink(missing_ok=True)
        return rows

    def title_of(self, doc_id: str | None) -> str | None:
        return next((d.title for d in self.assistant.documents() if d.doc_id == doc_id), None)

    def delete(self, doc_id: str | None) -> str:
        if not doc_id:
            return "请先选择要删除的文档。"
        try:
            removed = self.assistant.remove_document(doc_id)
        except RagError as exc:
            return str(exc)
        return f"已删除：《{removed.title}》"

    # ---- API ----------------------------------------------------------------------------

    def api_ask(self, question: str) -> dict:
        """Answer text with [n] markers, whether it is answered, and the citations."""
        answer = self.assistant.ask(question)
        return {"answer": answer.text, "answered": answer.answered,
                "citations": [c.to_dict() for c in answer.citations]}

    def api_search(self, query: str, k: int = 5) -> list[dict]:
        return [h.to_dict() for h in self.assistant.search(query, k=int(k))]


def build_app(assistant: Assistant):
    """The chat as a ``gr.Blocks`` (not launched): other modules may mount more on the same server."""
    import gradio as gr

    app = ChatApp(assistant)
    with gr.Blocks(title="政府工作报告问答") as demo:
        gr.Markdown("## 政府工作报告问答助手\n每个事实都标注出处 [n]，点击 [n] 可查看原文；报告中没有的内容会如实说明。")
        with gr.Tab("问答"):
            with gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(show_label=False, label="对话", height=460, sanitize_html=True, buttons=[],
                                         feedback_options=None, elem_id="chat", placeholder=WELCOME)
                    with gr.Row():
                        question = gr.Textbox(placeholder="输入问题，例如：2023年新增城市绿地多少？", show_label=False,
                                              label="输入问题", max_length=MAX_QUESTION_CHARS, scale=5,
                                              elem_id="question")
                        send = gr.Button("发送", variant="primary", scale=1, min_width=80, elem_id="send")
                    chart = gr.Plot(visible=False, label="年度变化", elem_id="trend-chart")
                    gr.Examples(EXAMPLES, inputs=question, label="示例问题")
                    clear = gr.Button("清空对话", elem_id="clear")
                with gr.Column(scale=2):
                    sources = gr.HTML(sources_html(None), elem_id="sources")
            with gr.Accordion("设置", open=False):
                k = gr.Slider(1, 10, value=5, step=1, label="检索段落数")
                modes = list(MODES) if assistant.llm_available else list(MODES)[:1]
                mode = gr.Radio(modes, value=modes[0], label="回答方式",
                                info=None if assistant.llm_available else "配置 RAG_LLM_BASE_URL 后可用大模型回答")
                doc_filter = gr.Dropdown([], multiselect=True, label="只在这些文档中查找", elem_id="doc-filter")
                year_filter = gr.Dropdown([], multiselect=True, label="只在这些年份的报告中查找", elem_id="year-filter")
        with gr.Tab("指标"):
            gr.Markdown("选择一个指标，查看它在已载入各年报告中的实际值与目标值；每个数字都来自对应年份的报告原文。")
            with gr.Row():
                measure = gr.Dropdown([], value=None, allow_custom_value=True, filterable=True, label="指标（可输入搜索）",
                                      elem_id="measure", scale=4)
                show = gr.Button("查看", variant="primary", elem_id="show-indicator", scale=1, min_width=80)
            indicator_note = gr.Markdown(elem_id="indicator-note")
            indicator_chart = gr.Plot(visible=False, label="年度变化", elem_id="indicator-chart")
            indicator_table = gr.Dataframe(headers=["年份", "类别", "数值", "报告", "原文"], interactive=False, wrap=True,
                                           elem_id="indicator-table")
            indicator_quote = gr.Markdown(elem_id="indicator-quote")
        with gr.Tab("知识库"):
            # no file_types: Gradio would refuse other files with an English message; upload() says it in Chinese
            files = gr.File(file_count="multiple", label="上传报告（txt、md、docx、pdf、html，可多选）", elem_id="upload")
            index_button = gr.Button("开始索引", variant="primary", elem_id="index-button")
            # the reason third and widest: a phone shows the first columns, and a long file name wraps
            results = gr.Dataframe(headers=["文件", "结果", "说明", "块数", "文档编号"], label="本次上传结果",
                                   interactive=False, wrap=True, elem_id="upload-results",
                                   column_widths=["24%", "12%", "40%", "11%", "13%"])
            documents = gr.Dataframe(headers=["标题", "年份", "块数", "添加时间", "文档编号"], label="已索引的文档",
                                     interactive=False, wrap=True, elem_id="documents")
            with gr.Row():
                to_delete = gr.Dropdown([], value=None, label="选择要删除的文档", elem_id="to-delete")
                delete_button = gr.Button("删除…", variant="stop", elem_id="delete-button")
            with gr.Row(visible=False, elem_id="confirm-delete") as confirm_row:
                confirm_text = gr.Markdown()
                confirm = gr.Button("确认删除", variant="stop", elem_id="confirm-button")
                cancel = gr.Button("取消", elem_id="cancel-button")
            status = gr.Markdown(elem_id="kb-status")

        chat_inputs = [question, chatbot, k, mode, doc_filter, year_filter]
        for trigger in (send.click, question.submit):
            # One event at a time per page: a question sent meanwhile waits in the page's queue (HEAD),
            # which sends it again should Gradio have ignored it while the last event wound up.
            trigger(app.respond, chat_inputs, [chatbot, sources, question, chart], api_visibility="private",
                    show_progress="hidden")  # the answer streams in: no timer over the chat
        clear.click(lambda: ([], sources_html(None), "", _hidden()), None, [chatbot, sources, question, chart],
                    api_visibility="private")
        show.click(app.indicator, measure, [indicator_table, indicator_chart, indicator_note], api_visibility="private")
        measure.select(app.indicator, measure, [indicator_table, indicator_chart, indicator_note], api_visibility="private")

        def quote_of(rows, event: gr.SelectData):
            try:
                row = rows.values.tolist()[event.index[0]] if hasattr(rows, "values") else rows[event.index[0]]
            except (IndexError, TypeError):
                return ""
            return f"**{escape_html(str(row[0]))}年{escape_html(str(row[1]))}**（{escape_html(str(row[3]))}）：{escape_html(str(row[4]))}"

        quote_of.__annotations__["event"] = gr.SelectData  # resolved here: gradio is imported in this function
        indicator_table.select(quote_of, indicator_table, indicator_quote, api_visibility="private")

        lists = [documents, to_delete, doc_filter, year_filter, measure]

        def refresh_lists():
            """Everything that names documents, read afresh (on page load and after each change)."""
            choices = app.document_choices()
            return (app.documents_table(), gr.update(choices=choices, value=None), gr.update(choices=choices),
                    gr.update(choices=app.year_choices()), gr.update(choices=app.indicator_choices()))

        busy = [index_button, delete_button, files, confirm, cancel]

        def lock():
            return [gr.update(interactive=False)] * len(busy)

        def unlock():
            return [gr.update(interactive=True)] * len(busy)

        def index_files(uploaded, progress=gr.Progress()):
            rows = app.upload(uploaded, progress)
            # the reason third: a phone shows only the first columns (issue #20)
            return [[r[0], r[1], r[4], r[3], r[2]] for r in rows], None, *refresh_lists()  # None empties the box

        def ask_to_delete(doc_id):
            title = app.title_of(doc_id)
            if title is None:
                return gr.update(visible=False), "", "请先选择要删除的文档。"
            return gr.update(visible=True), f"确定删除《{escape_html(title)}》吗？删除后需重新上传才能找回。", ""

        def delete_chosen(doc_id):
            return app.delete(doc_id), gr.update(visible=False), *refresh_lists()

        demo.load(refresh_lists, None, lists, api_visibility="private")
        index_button.click(lock, None, busy, api_visibility="private").then(
            index_files, files, [results, files, *lists], api_visibility="private", show_progress_on=results).then(
            unlock, None, busy, api_visibility="private")
        delete_button.click(ask_to_delete, to_delete, [confirm_row, confirm_text, status], api_visibility="private")
        cancel.click(lambda: (gr.update(visible=False), "已取消删除。"), None, [confirm_row, status],
                     api_visibility="private")
        confirm.click(lock, None, busy, api_visibility="private").then(
            delete_chosen, to_delete, [status, confirm_row, *lists], api_visibility="private", show_progress_on=status).then(
            unlock, None, busy, api_visibility="private")

        def ask(question: str) -> dict:
            """Answer a question: {"answer": text with [n], "answered": bool, "citations": [...]}."""
            return app.api_ask(question)

        def search(query: str, k: int = 5) -> list[dict]:
            """Hybrid search: the k best passages with their sources and offsets."""
            return app.api_search(query, k)

        gr.api(ask, api_name="ask")
        gr.api(search, api_name="search")
    return demo


def _in_gradio_cache(path: Path) -> bool:
    import tempfile

    cache = Path(os.environ.get("GRADIO_TEMP_DIR") or Path(tempfile.gettempdir()) / "gradio").resolve()
    try:
        return path.resolve().is_relative_to(cache)
    except OSError:
        return False


def check_exposure(host: str, share: bool):
    """The login for the app (a ``rag.guard.Login``, or None when nothing opens a session) and
    whether it is exposed (another host or --share): exposing it without a password is refused.
    With ``RAG_API_KEY`` set the key opens a session too, so no route of the app, Gradio's own
    uploads and events included, reads or changes the knowledge base without it."""
    from .guard import Login

    password = os.environ.get("RAG_WEB_PASSWORD")
    exposed = share or host not in ("127.0.0.1", "localhost", "::1")
    if exposed and not password:
        raise RagError(f"对外开放（--host {host}{' --share' if share else ''}）时必须设置登录密码：请设置环境变量 RAG_WEB_PASSWORD。")
    login = Login(os.environ.get("RAG_WEB_USER", "admin"), password, os.environ.get("RAG_API_KEY"))
    return (login if login.enabled else None), exposed


def launch(demo, assistant: Assistant, host: str, port: int, share: bool = False, auth=None,
           prevent_thread_lock: bool = False, app_kwargs: dict | None = None):
    """Serve a built app (``build_app``) with the page's style and script; ``app_kwargs`` go to
    the FastAPI app (routes mounted by rag/api.py). Every request passes ``rag.guard.RequestGuard``
    first (Host, cross-site writes, body size)."""
    from starlette.middleware import Middleware

    from .api import MAX_JSON_BYTES
    from .guard import RequestGuard, allowed_hosts

    upload_limit = int(MAX_UPLOAD_FILES * assistant.config.max_file_mb * 1024 * 1024) + 1024 * 1024
    app_kwargs = dict(app_kwargs or {})
    app_kwargs["middleware"] = [*app_kwargs.get("middleware", []),
                                Middleware(RequestGuard, hosts=allowed_hosts(host), body_limit=MAX_JSON_BYTES,
                                           upload_limit=upload_limit)]
    demo.queue(default_concurrency_limit=4)
    demo.launch(server_name=host, server_port=port, share=share, auth=auth, css=CSS, head=HEAD, i18n=status_texts(),
                prevent_thread_lock=prevent_thread_lock, max_file_size=f"{int(assistant.config.max_file_mb)}mb",
                footer_links=["api"], app_kwargs=app_kwargs)
    return demo


def serve(index_dir: str | None = None, host: str | None = None, port: int | None = None, share: bool = False,
          prevent_thread_lock: bool = False, assistant: Assistant | None = None):
    """Start the web chat and the API (rag/api.py) on one port. Binds to 127.0.0.1 unless told
    otherwise; exposing it (another host or --share) requires a password (RAG_WEB_PASSWORD, user
    RAG_WEB_USER, default 'admin') for the chat and RAG_API_KEY for the API."""
    from .api import api_app_kwargs

    host = host or os.environ.get("GRADIO_SERVER_NAME") or "127.0.0.1"
    port = int(port or os.environ.get("GRADIO_SERVER_PORT") or 7860)
    auth, exposed = check_exposure(host, share)
    assistant = assistant or Assistant.load(index_dir, quiet=False)
    return launch(build_app(assistant), assistant, host, port, share, auth, prevent_thread_lock,
                  app_kwargs=api_app_kwargs(assistant, exposed))
