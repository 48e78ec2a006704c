"""BM25 tokenizer and index: the exact-match half of hybrid retrieval."""

from __future__ import annotations

import numpy as np

from rag.bm25 import BM25Index, tokenize
from tests.unit.rag_index.factories import small_store


def test_tokenize_keeps_codes_numbers_and_amounts_and_drops_stopwords() -> None:
    terms = tokenize("Do you have the 24-MB01 in stock for $45.00? It's 1,000 steps away.")

    assert "24-mb01" in terms  # the whole SKU for exact matches
    assert {"24", "mb01"} <= set(terms)  # and its parts for partial ones
    assert {"$45", "45"} <= set(terms)  # "$45.00" and "45" mean the same price
    assert "1000" in terms
    assert not {"do", "you", "have", "the", "in", "for", "it", "s"} & set(terms)


def test_tokenize_folds_plurals_so_question_and_policy_words_meet() -> None:
    assert tokenize("returns policies boxes") == tokenize("return policy box")


def test_exact_sku_ranks_its_product_first() -> None:
    docs = small_store()
    index = BM25Index.build([doc.page_content for doc in docs])

    scores = index.scores("do you have 24-UG06?")

    best = int(np.argmax(scores))
    assert docs[best].metadata["sku"] == "24-UG06"
    assert np.count_nonzero(scores) == 1


def test_policy_words_find_the_policy_section() -> None:
    docs = small_store()
    index = BM25Index.build([doc.page_content for doc in docs])

    scores = index.scores("how many days do I have to return items for a refund")

    assert docs[int(np.argmax(scores))].metadata["section"] == "Returns and Replacements"


def test_query_without_known_terms_scores_nothing() -> None:
    index = BM25Index.build([doc.page_content for doc in small_store()])

    assert not index.scores("zebra xylophone").any()
    assert not index.scores("").any()


def test_query_weight_treats_unknown_terms_as_rarest() -> None:
    index = BM25Index.build([doc.page_content for doc in small_store()])
    common_only = index.query_weight("jacket")

    # "greenland" is in no chunk: it counts as the rarest term, so a chunk matching only
    # "jacket" covers a small share of what the question asks.
    assert index.query_weight("jacket greenland") > 2 * common_only


def test_shorter_chunk_wins_on_equal_term_frequency() -> None:
    index = BM25Index.build(["fleece jacket", "fleece jacket " + "warm cosy soft " * 10, "mug"])

    scores = index.scores("fleece")

    assert scores[0] > scores[1] > 0
    assert scores[2] == 0
