"""Hostile inputs and warehouse invariants shared by the reliability tests and bench scripts."""
