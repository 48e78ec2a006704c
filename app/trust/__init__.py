"""Trust on every turn: aspect sentiment -> customer trust, answer confidence, handoff, QCA."""
