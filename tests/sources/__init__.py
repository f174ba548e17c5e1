"""Tests of the readers layer (tickerwire.sources)."""
