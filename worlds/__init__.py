"""Evaluation worlds written independently of the demo generator (``ingest/demo*``).

Depots run reorder-point and weekly-quota policies, officers report late and with gaps, and
disruptions are drawn at random per seed; the ground truth comes from what happened to supply.
"""
