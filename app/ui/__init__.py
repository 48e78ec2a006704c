"""The shopper-facing chat UI (Chainlit) and what the web host needs to serve it."""

from __future__ import annotations

import os
from pathlib import Path

# Chainlit reads .chainlit/config.toml, chainlit.md and public/ from CHAINLIT_APP_ROOT (default:
# the working directory) the moment it is first imported. Every module of ours that imports
# chainlit lives in this package, so naming the repository root here makes the UI work from any
# working directory. setdefault: an explicit CHAINLIT_APP_ROOT still wins.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
os.environ.setdefault("CHAINLIT_APP_ROOT", str(PROJECT_ROOT))
