"""Builders of the eval datasets: JSONL cases generated from named real data (`make eval-data`)."""
