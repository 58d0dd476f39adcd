"""The web chat: `python app.py [--host H] [--port P] [--share] [--index DIR]` (same as `rag serve`)."""
import argparse
import sys

from rag.errors import RagError
from rag.web import serve

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="政府工作报告问答助手（网页版）")
    parser.add_argument("--host", help="监听地址（默认 127.0.0.1，或 $GRADIO_SERVER_NAME）")
    parser.add_argument("--port", type=int, help="端口（默认 7860，或 $GRADIO_SERVER_PORT）")
    parser.add_argument("--share", action="store_true", help="生成公网分享链接（需要设置 RAG_WEB_PASSWORD）")
    parser.add_argument("--index", help="索引目录（默认 $RAG_INDEX_DIR，否则 index/）")
    args = parser.parse_args()
    try:
        serve(args.index, args.host, args.port, args.share)
    except RagError as exc:
        print(f"app.py: {exc}", file=sys.stderr)
        sys.exit(2)
