"""The one composition root: every implementation is picked here from a registry by settings."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import Settings

if TYPE_CHECKING:
    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings

    from app.chat import ChatService
    from app.followup import FollowupResolver
    from app.guardrails.base import PiiSpan, TextDetector
    from app.guardrails.output.base import OutputCheck
    from app.guardrails.pipeline import GuardPipeline, Redaction
    from app.guardrails.replies import GuardReplies
    from app.prompt_ab import PromptChooser
    from app.prompts import Prompt, PromptRegistry
    from app.store import SqlTurnLog
    from app.store.sql_takeover import SqlTakeovers
    from app.trust.base import ConversationTrustState, TrustScorer
    from app.trust.tracker import TrustTracker
    from rag.embeddings import SentenceTransformerEmbeddings
    from rag.ingest import IngestSummary
    from rag.retriever import HybridRetriever

logger = logging.getLogger(__name__)


def _model_path(settings: Settings) -> Path:
    from rag.embeddings import default_model_path

    return settings.embeddings.model_path or default_model_path()


def _onnx_query_encoder(settings: Settings) -> Embeddings:
    # The serving path never imports torch: the same weights run through onnxruntime.
    from rag.onnx_encoder import OnnxEmbeddings
    from rag.onnx_export import ensure_onnx_model

    model_file = ensure_onnx_model(_model_path(settings), settings.data.state_dir / "models")
    return OnnxEmbeddings(model_file, cache_size=settings.embeddings.query_cache_size)


def _sentence_transformers_encoder(settings: Settings) -> Embeddings:
    return document_embeddings(settings)


QUERY_ENCODERS: dict[str, Callable[[Settings], Embeddings]] = {
    "onnx": _onnx_query_encoder,
    "sentence-transformers": _sentence_transformers_encoder,
}


def build_query_encoder_file(settings: Settings) -> Path:
    """Export the ONNX query encoder ahead of serving (idempotent); returns the model file."""
    from rag.onnx_export import ensure_onnx_model

    return ensure_onnx_model(_model_path(settings), settings.data.state_dir / "models")


def query_embeddings(settings: Settings) -> Embeddings:
    """The encoder for shoppers' questions chosen by `embeddings.query_encoder`."""
    return QUERY_ENCODERS[settings.embeddings.query_encoder](settings)


def document_embeddings(settings: Settings) -> SentenceTransformerEmbeddings:
    """The sentence-transformers encoder used to embed the store's chunks."""
    from rag.embeddings import SentenceTransformerEmbeddings

    return SentenceTransformerEmbeddings(_model_path(settings), settings.embeddings.batch_size)


def vectorstore(settings: Settings, embeddings: Embeddings) -> Chroma:
    """Chroma: embedded in the state folder, or the server at `vectorstore.url`."""
    from rag.vectorstore import build_chroma

    return build_chroma(
        collection=settings.vectorstore.collection,
        persist_dir=None if settings.vectorstore.url else settings.chroma_dir,
        url=settings.vectorstore.url,
        embeddings=embeddings,
    )


def run_ingest(settings: Settings, *, progress: bool = True) -> IngestSummary:
    """Load, chunk, embed and index the store in `data.store_dir` (incremental, idempotent)."""
    from rag.ingest import ingest
    from rag.store import load_store

    store_dir = settings.data.store_dir
    if not store_dir.is_dir():
        raise FileNotFoundError(f"store folder {store_dir} not found: run `make data` first")
    documents = load_store(store_dir)
    settings.data.state_dir.mkdir(parents=True, exist_ok=True)
    return ingest(
        documents,
        vectorstore=vectorstore(settings, document_embeddings(settings)),
        record_manager_url=settings.record_manager_url,
        namespace=f"chroma/{settings.vectorstore.collection}",
        progress=progress,
    )


def _followup_resolver(settings: Settings, prompts: PromptRegistry) -> FollowupResolver:
    from app.followup import RuleFollowupResolver

    if settings.llm.backend != "vllm":
        return RuleFollowupResolver()
    from app.llm.condense import LLMFollowupResolver
    from app.llm.openai_compatible import build_chat_model

    return LLMFollowupResolver(build_chat_model(settings.llm), prompts.get(CONDENSE_PROMPT))


CONDENSE_PROMPT = "condense@v1"

PiiFinder = Callable[[str], "list[PiiSpan]"]


def _grounding_check(settings: Settings, embeddings: Embeddings, _: PiiFinder) -> OutputCheck:
    from app.guardrails.output import GroundingCheck

    g = settings.guards
    return GroundingCheck(
        embeddings,
        min_overlap=g.grounding_min_overlap,
        min_similarity=g.grounding_min_similarity,
    )


def _numbers_check(settings: Settings, embeddings: Embeddings, _: PiiFinder) -> OutputCheck:
    from app.guardrails.output import NumberCheck

    return NumberCheck()


def _leaks_check(settings: Settings, embeddings: Embeddings, find_pii: PiiFinder) -> OutputCheck:
    from app.guardrails.output import LeakCheck

    return LeakCheck(find_pii)


def _promises_check(settings: Settings, embeddings: Embeddings, _: PiiFinder) -> OutputCheck:
    from app.guardrails.output import PromiseCheck

    return PromiseCheck()


OUTPUT_CHECKS: dict[str, Callable[[Settings, Embeddings, PiiFinder], OutputCheck]] = {
    "leaks": _leaks_check,
    "numbers": _numbers_check,
    "promises": _promises_check,
    "grounding": _grounding_check,
}


def guard_detectors(settings: Settings, embeddings: Embeddings) -> dict[str, TextDetector]:
    """The trained input detectors (injection, toxicity, off-topic) and the size detector."""
    from app.guardrails.detectors.artefacts import load_detectors
    from app.guardrails.detectors.size import SizeDetector
    from rag.onnx_export import weights_sha256

    folder = settings.guard_artefact_dir
    try:
        # Trained on other encoder weights, the detectors would read noise: refuse them.
        encoder = weights_sha256(_model_path(settings))
        detectors = load_detectors(folder, embeddings, encoder_sha256=encoder).by_name()
    except FileNotFoundError:
        if settings.environment == "production":
            raise
        logger.warning(
            "guard detectors are not trained in %s, so only the size, PII and output guards "
            "run: train them with `make guards`",
            folder,
        )
        detectors = {}
    detectors["size"] = SizeDetector(settings.guards.max_input_chars)
    return detectors


def guard_redaction(settings: Settings, find_pii: PiiFinder) -> Redaction:
    """Redaction per the PII policy, with one placeholder vault per conversation."""
    from app.guardrails.vaults import ConversationRedaction

    return ConversationRedaction(settings.guards.pii_policy, find_pii)


def build_guards(
    settings: Settings, embeddings: Embeddings, prompt: Prompt
) -> GuardPipeline | None:
    """The guard pipeline for this configuration (None when guards are off)."""
    if not settings.guards.enabled:
        return None
    from app.guardrails.pii import PiiDetector
    from app.guardrails.pipeline import GuardParts, GuardPipeline

    g = settings.guards
    pii = PiiDetector()
    detectors = {**guard_detectors(settings, embeddings), "pii": pii}
    if g.llm_judge:
        detectors.update(_injection_judge(settings))
    parts = GuardParts(
        detectors=detectors,
        checks={name: make(settings, embeddings, pii.find) for name, make in OUTPUT_CHECKS.items()},
        redaction=guard_redaction(settings, pii.find),
        thresholds=g.thresholds,
        on_fail=g.on_fail,
        toxicity_flag_score=g.toxicity_flag_score,
        context_turns=g.context_turns,
        max_input_chars=g.max_input_chars,
    )
    return GuardPipeline(
        parts,
        replies=guard_replies(settings),
        system_prompt=prompt.system,
        can_reask=_chat_model(settings),
    )


def _injection_judge(settings: Settings) -> dict[str, TextDetector]:
    """The optional LLM judge (chat-model backend only): a second opinion on injection."""
    if not _chat_model(settings):
        logger.warning("guards.llm_judge needs the vllm backend; the judge stays off")
        return {}
    from app.guardrails.judge import PROMPT, LlmJudgeDetector
    from app.llm.openai_compatible import build_chat_model
    from app.prompts import PromptRegistry

    prompt = PromptRegistry.load(settings.prompts.dir).get(PROMPT)
    judge = LlmJudgeDetector(build_chat_model(settings.llm), prompt, shop_name=settings.shop_name)
    return {judge.name: judge}


def guard_replies(settings: Settings) -> GuardReplies:
    """The active guard reply set (`guards.replies`, name@vN under the prompts folder)."""
    from app.guardrails.replies import load_replies
    from app.reply_sets import reply_set_path

    return load_replies(
        reply_set_path(settings.prompts.dir, settings.guards.replies),
        shop_name=settings.shop_name,
        max_input_chars=settings.guards.max_input_chars,
    )


def _chat_model(settings: Settings) -> bool:
    return settings.llm.backend == "vllm"


def _embedded_trust_scorer(settings: Settings, embeddings: Embeddings) -> TrustScorer | None:
    from app.trust.embedded import load_trust_scorer
    from rag.onnx_export import weights_sha256

    folder = settings.trust_artefact_dir
    try:
        encoder = weights_sha256(_model_path(settings))
        return load_trust_scorer(folder, embeddings, encoder_sha256=encoder)
    except (FileNotFoundError, ValueError) as exc:
        if settings.environment == "production":
            raise
        logger.warning(
            "no usable trust scorer in %s (%s), so turns are not trust-scored (handoff on "
            "request still works): train it with `make trust`",
            folder,
            exc,
        )
        return None


def _llm_trust_scorer(settings: Settings, embeddings: Embeddings) -> TrustScorer | None:
    fallback = _embedded_trust_scorer(settings, embeddings)
    if not _chat_model(settings):
        logger.warning("trust.scorer=llm needs the vllm backend; the embedded scorer is used")
        return fallback
    from app.llm.openai_compatible import build_chat_model
    from app.prompts import PromptRegistry
    from app.trust.fallback import FallbackTrustScorer
    from app.trust.llm_scorer import LlmTrustScorer

    prompt = PromptRegistry.load(settings.prompts.dir).get(settings.trust.prompt)
    # No retries and a short limit: the embedded fallback must still answer within trust.timeout_s.
    model = build_chat_model(settings.llm.model_copy(update={"max_retries": 0}))
    scorer = LlmTrustScorer(model, prompt, timeout_s=settings.trust.llm_timeout_s)
    return scorer if fallback is None else FallbackTrustScorer(scorer, fallback)


TRUST_SCORERS: dict[str, Callable[[Settings, Embeddings], TrustScorer | None]] = {
    "embedded": _embedded_trust_scorer,
    "llm": _llm_trust_scorer,
}


def build_trust(
    settings: Settings,
    embeddings: Embeddings,
    restore: Callable[[str], ConversationTrustState | None] | None = None,
) -> TrustTracker | None:
    """Trust scoring and handoff for this configuration (None when trust is off)."""
    t = settings.trust
    if not t.enabled:
        return None
    from app.reply_sets import reply_set_path
    from app.trust.handoff import HandoffPolicy
    from app.trust.handoff_replies import load_handoff_replies
    from app.trust.tracker import TrustTracker

    replies = load_handoff_replies(
        reply_set_path(settings.prompts.dir, t.handoff_replies), shop_name=settings.shop_name
    )
    return TrustTracker(
        scorer=TRUST_SCORERS[t.scorer](settings, embeddings),
        policy=HandoffPolicy(threshold=t.handoff_threshold, min_turns=t.handoff_min_turns),
        replies=replies,
        smoothing=t.smoothing,
        timeout_s=t.timeout_s,
        restore=restore,
    )


@dataclass
class Container:
    """Everything the web app, the CLI and the eval runner share for one configuration."""

    settings: Settings
    chat: ChatService
    turn_log: SqlTurnLog
    retriever: HybridRetriever
    guards: GuardPipeline | None = None
    trust: TrustTracker | None = None
    takeovers: SqlTakeovers | None = None

    def knowledge_count(self) -> int:
        """Chunks the retriever can search (for the health probe)."""
        return self.retriever.size

    def close(self) -> None:
        """Flush and stop the turn log's writer."""
        self.turn_log.close()


def build_retriever(settings: Settings, embeddings: Embeddings | None = None) -> HybridRetriever:
    """The hybrid retriever over the indexed store, using the serving query encoder."""
    from rag.retriever import HybridRetriever

    embeddings = embeddings or query_embeddings(settings)
    r = settings.retrieval
    return HybridRetriever(
        vectorstore=vectorstore(settings, embeddings),
        embeddings=embeddings,
        k=r.k,
        candidates=r.candidates,
        dense_weight=r.dense_weight,
        min_score=r.min_score,
    )


def choose_answer_prompts(settings: Settings, prompts: PromptRegistry) -> PromptChooser:
    """The answer prompt for every conversation, or the weighted A/B split of `prompts.ab`."""
    from app.prompt_ab import PromptChooser

    if not settings.prompts.ab:
        return PromptChooser.single(prompts.get(settings.prompts.answer))
    return PromptChooser.from_weights(settings.prompts.ab, prompts.get)


def build_takeovers(settings: Settings, turn_log: SqlTurnLog) -> SqlTakeovers:
    """Agent takeover state and replies on the turn log's database, with the shopper texts."""
    from app.store.sql_takeover import SqlTakeovers
    from app.takeover import load_takeover_replies, takeover_replies_path

    replies = load_takeover_replies(
        takeover_replies_path(settings.prompts.dir), shop_name=settings.shop_name
    )
    return SqlTakeovers(turn_log.engine, replies)


def build_container(settings: Settings) -> Container:
    """Wire the serving stack: turn log (migrated), retriever, prompt, generator, ChatService."""
    from app.chat import ChatService
    from app.llm import make_generator, model_label
    from app.prompts import PromptRegistry
    from app.store import open_turn_log

    prompts = PromptRegistry.load(settings.prompts.dir)
    settings.data.state_dir.mkdir(parents=True, exist_ok=True)
    turn_log = open_turn_log(settings.database_url)
    # One query encoder for retrieval and the guards: its cache embeds each message once.
    embeddings = query_embeddings(settings)
    retriever = build_retriever(settings, embeddings)
    if retriever.size == 0:
        logger.warning("the knowledge base is empty: run `trustdesk ingest` (or `make ingest`)")
    answer_prompts = choose_answer_prompts(settings, prompts)
    guards = build_guards(settings, embeddings, answer_prompts.default)
    trust = build_trust(settings, embeddings, turn_log.trust_state)
    takeovers = build_takeovers(settings, turn_log)
    chat = ChatService(
        retriever=retriever,
        generator=make_generator(settings.llm),
        prompt=answer_prompts,
        turn_log=turn_log,
        k=settings.retrieval.k,
        backend=settings.llm.backend,
        model=model_label(settings.llm),
        resolver=_followup_resolver(settings, prompts),
        shop_name=settings.shop_name,
        guards=guards,
        guard_by_sentence=_chat_model(settings),
        trust=trust,
        takeover=takeovers,
    )
    return Container(
        settings=settings,
        chat=chat,
        turn_log=turn_log,
        retriever=retriever,
        guards=guards,
        trust=trust,
        takeovers=takeovers,
    )
