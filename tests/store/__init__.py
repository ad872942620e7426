"""Tests of storyline.store (SQLite now; PostgreSQL when STORYLINE_TEST_PG is set)."""
