"""Replay every source's recorded responses on 127.0.0.1 for a manual ``python -m ingest all``.

python tests/replay/server.py --port 8765
# then, in another shell, paste the printed exports and run:
python -m ingest all --since 2026-01-26 --until 2026-02-27
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pytest_httpserver import HTTPServer  # noqa: E402

from replay.routes import env, install  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    server = HTTPServer(host="127.0.0.1", port=args.port, threaded=True)
    install(server)
    server.start()
    print(
        f"Replay server on http://127.0.0.1:{args.port} (Ctrl+C to stop). Point the connectors at it:"
    )
    for name, value in env(server.url_for("/")).items():
        print(f"export {name}={value}")
    print("export JSW_PACING_SECONDS=0")
    sys.stdout.flush()
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
