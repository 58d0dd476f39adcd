"""A local stand-in for a hosted LLM: an HTTP server on 127.0.0.1 that speaks the OpenAI Chat
Completions protocol (POST /v1/chat/completions, streamed as server-sent events). A hosted model
cannot run here; the tests drive the real client, prompt building and citation checks against it.

``reply`` is a function of the request's messages returning the reply text, so a test can answer
with the number of the passage that really holds a fact."""
from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeOpenAI:
    def __init__(self):
        self.reply = lambda messages: "报告中没有找到相关信息。"
        self.delay = 0.0  # seconds to wait before answering (to provoke time-outs)
        self.error: dict | None = None  # sent as an error event inside the stream, as vLLM and others do
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
                time.sleep(server.delay)
                text = server.reply(body["messages"])
                if not body.get("stream"):
                    payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": text}}]})
                    self._send(payload.encode(), "application/json")
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                if server.error:
                    self.wfile.write(f"data: {json.dumps({'error': server.error})}\n\n".encode())
                    return
                for i in range(0, len(text), 4):  # a few characters per event, like a real server
                    chunk = {"choices": [{"index": 0, "delta": {"content": text[i:i + 4]}}]}
                    self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")

            def _send(self, payload: bytes, content_type: str):
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def passage_number_with(messages: list[dict], fact: str) -> int:
    """The [n] of the numbered passage in the prompt that contains ``fact``."""
    for match in re.finditer(r"^\[(\d+)\] (.*?)(?=^\[\d+\] |</资料>)", messages[-1]["content"], re.S | re.M):
        if fact in match.group(2):
            return int(match.group(1))
    raise AssertionError(f"{fact} is in no passage of the prompt")
