"""hit@k and reciprocal rank against expected source documents."""

from __future__ import annotations

from evals.metrics.retrieval import hit_at, reciprocal_rank, source_id_of

MH01 = "luma_products.csv#MH01"
RETRIEVED = [
    "luma_products.csv#MH07:0@e531883492d68a663256",
    "luma_products.csv#MH01:0@a049fbd048a61737072d",
    "luma_pages.csv#customer-service#shipping-and-delivery:1@16327ba42b4a4d32cc6a",
]


def test_chunk_ids_map_to_their_source_document() -> None:
    assert source_id_of("luma_products.csv#MH01:0@a049fbd048a61737072d") == MH01
    assert source_id_of("luma_products.csv#MH01:3") == MH01
    assert source_id_of("dummyjson_products.json#1#reviews:0@0153a5") == (
        "dummyjson_products.json#1#reviews"
    )


def test_hit_at_k_counts_the_first_relevant_rank() -> None:
    assert hit_at(RETRIEVED, {MH01}, 1) == 0.0
    assert hit_at(RETRIEVED, {MH01}, 2) == 1.0
    assert hit_at(RETRIEVED, {MH01}, 5) == 1.0
    assert reciprocal_rank(RETRIEVED, {MH01}) == 0.5


def test_nothing_relevant_retrieved_scores_zero() -> None:
    assert hit_at(RETRIEVED, {"luma_products.csv#WT09"}, 5) == 0.0
    assert reciprocal_rank(RETRIEVED, {"luma_products.csv#WT09"}) == 0.0
    assert hit_at([], {MH01}, 5) == 0.0


def test_a_source_id_prefix_or_the_reviews_document_is_not_the_product() -> None:
    retrieved = ["dummyjson_products.json#12:0@aa", "dummyjson_products.json#1#reviews:0@bb"]
    assert hit_at(retrieved, {"dummyjson_products.json#1"}, 5) == 0.0
    assert reciprocal_rank(retrieved, {"dummyjson_products.json#1#reviews"}) == 0.5
