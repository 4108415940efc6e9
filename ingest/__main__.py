"""``python -m ingest COMMAND ...``: dispatch to the module that implements each command.

Each command module exposes ``main(argv: list[str]) -> int``.
"""

from __future__ import annotations

import importlib
import sys

COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("demo.build", "build the demo warehouse for the province (synthetic, deterministic)"),
    "bapanas": (
        "ingest.sources.bapanas",
        "Bapanas Panel Harga consumer prices (province and cities)",
    ),
    "pihps": ("ingest.sources.pihps", "PIHPS (Bank Indonesia) daily prices per regency"),
    "sp2kp": ("ingest.sources.sp2kp", "SP2KP (Kemendag) daily prices per regency"),
    "fuel": (
        "ingest.sources.fuel",
        "Pertamina fuel price list (a price change = a dated observation)",
    ),
    "wfp": ("ingest.sources.wfp", "WFP food prices for Indonesia (HDX CSV)"),
    "file": (
        "ingest.officer_file",
        "import an officer stock report or a wide price export (CSV/XLSX)",
    ),
    "all": ("ingest.all_sources", "scheduled run of every public source"),
    "confirm": ("ingest.confirm", "list, confirm or discard values held by the sanity guard"),
}


def usage() -> str:
    lines = ["usage: python -m ingest COMMAND [options]", "", "commands:"]
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
