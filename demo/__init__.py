"""The demo warehouse: deterministic synthetic data for the deployment's province.

``python -m ingest demo`` (``demo.build.main``) writes it through the ingest loader.
See docs/demo_data.md.
"""
