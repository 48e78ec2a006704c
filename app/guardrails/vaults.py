"""Per-conversation PII vaults behind the pipeline's Redaction seam (in memory, never logged)."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence

from app.guardrails.base import PiiSpan
from app.guardrails.redaction import Mode, PiiVault, Redactor

# Conversations whose placeholders can still be restored; the least recent is forgotten first.
MAX_CONVERSATIONS = 10_000
# [EMAIL_1], [CREDIT_CARD]: never a citation marker ([1]), which has no letters.
_PLACEHOLDER = re.compile(r"\[[A-Z][A-Z_]*[A-Z](?:_\d{1,6})?\]")


def without_placeholders(text: str) -> str:
    """`text` with redaction placeholders removed: they carry nothing a search could use."""
    if not _PLACEHOLDER.search(text):
        return text  # unchanged, so the encoder's cache still holds its vector
    return " ".join(_PLACEHOLDER.sub(" ", text).split())


class ConversationRedaction:
    """Redacts by policy with one vault per conversation, so placeholders are stable per chat."""

    def __init__(
        self,
        policy: Mapping[str, Mode] | None = None,
        find: Callable[[str], Sequence[PiiSpan]] | None = None,
        *,
        max_conversations: int = MAX_CONVERSATIONS,
    ) -> None:
        self._redactor = Redactor(policy, find)
        self._vaults: OrderedDict[str, PiiVault] = OrderedDict()
        self._max = max_conversations
        self._lock = threading.Lock()

    def redact(self, text: str, spans: Sequence[PiiSpan], conversation_id: str) -> str:
        """`text` with each span replaced as the policy says, remembered in the chat's vault."""
        return self._redactor.redact(text, self._vault(conversation_id), spans).text

    def restore(self, text: str, conversation_id: str) -> str:
        """`text` with this conversation's placeholders turned back into the shopper's values."""
        with self._lock:
            vault = self._vaults.get(conversation_id)
        return vault.restore(text) if vault is not None else text

    def seen(self, entity: str, value: str, conversation_id: str) -> bool:
        """Whether the shopper of this conversation gave `value` (kept or redacted)."""
        with self._lock:
            vault = self._vaults.get(conversation_id)
        return vault is not None and vault.seen(entity, value)

    def _vault(self, conversation_id: str) -> PiiVault:
        with self._lock:
            vault = self._vaults.get(conversation_id)
            if vault is None:
                vault = self._vaults[conversation_id] = PiiVault()
                if len(self._vaults) > self._max:
                    self._vaults.popitem(last=False)
            self._vaults.move_to_end(conversation_id)
            return vault
