"""Write use cases: one typed function per thing an officer or a command can change.

The dashboard pages (through ``ui/``) and the command-line programs call these same
functions in process. Each takes typed arguments, returns a typed result (a dataclass) and
writes its data **and its audit row in one warehouse transaction**, so either both are
stored or neither is. Problems a user can act on are raised as ``ServiceError`` (with a
message in Bahasa Indonesia and English); an anonymous caller gets ``LoginRequired``.

========================  ==========================================================
module                    use cases
========================  ==========================================================
``services.officer_files``  check (dry run) and load an officer stock report
``services.held``           decide values held by the sanity guard (load or discard)
``services.alerts``         alert steps: acknowledge, record an action, close
``services.references``     start a corrected reference price
``services.scenarios``      run and save a planner scenario
``services.weekly``         build the weekly export (files in memory, no temp folder)
========================  ==========================================================

``services`` may import ``warehouse``, ``ingest``, ``forecasting`` and ``reports``; ``ui``,
``pages`` and the command-line entry points import ``services``; nothing here imports
Streamlit (tests/test_architecture.py keeps it so).
"""
