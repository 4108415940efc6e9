"""``python -m forecasting COMMAND ...``: dispatch to the module that implements each command.

Each command module exposes ``main(argv: list[str]) -> int``.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")  # before numpy loads: one thread per worker process

import importlib  # noqa: E402
import sys  # noqa: E402

COMMANDS: dict[str, tuple[str, str]] = {
    "run": (
        "forecasting.cli_run",
        "forecast every series, compute statuses and alerts (or replay)",
    ),
    "backtest": ("forecasting.cli_backtest", "rolling-origin backtest of the warehouse or a CSV"),
    "score": ("forecasting.cli_score", "score replayed alerts against incidents (table or file)"),
    "scenario": ("forecasting.cli_scenario", "what-if projection of stock, cover and prices"),
}


def usage() -> str:
    lines = ["usage: python -m forecasting COMMAND [options]", "", "commands:"]
    lines += [f"  {name:<10} {help_text}" for name, (_, help_text) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print(usage())
        return 0 if args else 2
    command, rest = args[0], args[1:]
    if command not in COMMANDS:
        print(f"Unknown command: {command}\n\n{usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(COMMANDS[command][0])
    return int(module.main(rest) or 0)


if __name__ == "__main__":
    sys.exit(main())
