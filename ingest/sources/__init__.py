"""One module per public source, each with the same shape.

``SOURCE`` (configuration section and command name), ``FACT_SOURCE`` (value of
``facts.source``), ``default_window(since, until)``, ``fetch(client, config, window,
progress) -> list[Payload]`` (network only), ``parse(payloads, config, window) -> Parsed``
(pure), optionally ``postprocess(frame, db) -> (frame, notes)``, and ``main(argv)``.
``parse`` sets ``Parsed.no_data_reason`` when the answers held no value, so the run ends as
``no_data`` with that reason; source numbers are read with ``ingest.numbers``.
"""
