"""store_qa cases about the shop's policies: shipping charge by order value, returns, delivery.

The shipping charge is computed from Luma's shipping-rate table (which tier an order value falls
in, boundaries included), so "$200.00" and "$200.01" expect different charges. Each policy fact
is extracted from its section's text by a pattern; a pattern that no longer matches stops the
build rather than writing a stale expectation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evals.cases import EvalCase, Expected, Fact
from evals.datasets_build.common import SourceTexts, money, rotate

PAGES = "luma_pages.csv"
CUSTOMER_SERVICE = f"{PAGES}#customer-service"
PRIVACY = f"{PAGES}#privacy-policy-cookie-restriction-mode"
SHIPPING_SECTION = f"{CUSTOMER_SERVICE}#shipping-and-delivery"

SHIPPING = (
    "How much is {method} shipping on a {amount} order?",
    "What does {method} delivery cost for an order of {amount}?",
    "My cart comes to {amount}. What is the {method} shipping charge?",
)
_TIER = re.compile(
    r"Merchandise total (?:up to \$(?P<upto>[\d.,]+)|\$(?P<low>[\d.,]+)\s*[—–-]\s*(?P<high>[\d.,]+)"
    r"|over \$(?P<over>[\d.,]+)):(?P<rest>[^\n]*?)(?=Merchandise total|Note on|$)"
)
_CHARGE = re.compile(
    r"(?P<method>Standard|Priority|Overnight) \([^)]*\) \$(?P<charge>\d+(?:\.\d+)?)"
)


@dataclass(frozen=True)
class Tier:
    """One row of the shipping-rate table: order values from `low` to `high` (None: no cap)."""

    low: float
    high: float | None
    charges: dict[str, str]  # method -> charge as written ("16")


def shipping_tiers(text: str) -> list[Tier]:
    """The rows of the shipping-rate table in a section's text, lowest first."""
    tiers = []
    for match in _TIER.finditer(text):
        values = {
            k: float(v.replace(",", "")) for k, v in match.groupdict().items() if v and k != "rest"
        }
        low = values.get("low", values.get("over", 0.0))
        high = values.get("high", values.get("upto"))
        charges = {m["method"].lower(): m["charge"] for m in _CHARGE.finditer(match["rest"])}
        tiers.append(
            Tier(low=low + (0.01 if "over" in values else 0.0), high=high, charges=charges)
        )
    if len(tiers) < 2 or any(len(t.charges) != 3 for t in tiers):
        raise ValueError("the shipping-rate table could not be read from the policy page")
    return sorted(tiers, key=lambda tier: tier.low)


def tier_amounts(tier: Tier) -> list[float]:
    """Order values to ask about: near the bottom, the middle, and the exact top of the tier."""
    if tier.high is None:
        return [tier.low, round(tier.low * 2)]
    bottom = tier.low if tier.low > 0 else round(tier.high / 8)
    return [bottom, float(round((bottom + tier.high) / 2)), tier.high]


def _amount_text(amount: float) -> str:
    return f"${amount:,.0f}" if amount == int(amount) else f"${amount:,.2f}"


def shipping_cases(sources: SourceTexts) -> list[EvalCase]:
    """For every tier, method and a few order values: the charge the table gives."""
    cases = []
    index = 0
    for tier in shipping_tiers(sources.texts[SHIPPING_SECTION]):
        for amount in tier_amounts(tier):
            for method, charge in tier.charges.items():
                edge = amount in (tier.low, tier.high)
                cases.append(
                    EvalCase(
                        id=f"store_qa.shipping.{method}.{amount:.2f}",
                        input=rotate(SHIPPING, index, method=method, amount=_amount_text(amount)),
                        expected=Expected(
                            facts=(money(float(charge), f"${charge}"),), sources=(SHIPPING_SECTION,)
                        ),
                        tags=("shipping", "policy", *(("boundary",) if edge else ())),
                        origin={"file": PAGES, "key": "customer-service#shipping-and-delivery"},
                    )
                )
                index += 1
    return cases


@dataclass(frozen=True)
class PolicyFact:
    """A policy fact: where it is written, the pattern that finds it, and questions about it."""

    key: str
    section: str  # source id of the policy section
    pattern: str  # group 1 (and 2): the fact's text or numbers
    kind: str  # "days": a number of days; "range": two day counts; "money"; "text"
    questions: tuple[str, ...]


POLICY_FACTS = (
    PolicyFact(
        "return_window",
        f"{CUSTOMER_SERVICE}#returns-and-replacements",
        r"returned within (\d+) days",
        "days",
        (
            "How long do I have to return an item?",
            "What is your return window?",
            "How many days do I have to send back something I bought?",
        ),
    ),
    PolicyFact(
        "return_processing",
        f"{CUSTOMER_SERVICE}#returning-merchandise-by-mail",
        r"allow (\d+) to (\d+) days",
        "range",
        ("How long does it take to process my return?", "When will my mailed return be processed?"),
    ),
    PolicyFact(
        "remote_surcharge",
        SHIPPING_SECTION,
        r"additional (\$\d+\.\d\d) charge",
        "money",
        (
            "Is there an extra charge for shipping to Hawaii?",
            "How much extra is standard shipping to Alaska?",
        ),
    ),
    PolicyFact(
        "remote_delivery_time",
        SHIPPING_SECTION,
        r"arrive in (\d+) to (\d+) business days",
        "range",
        ("How long does delivery to Puerto Rico take?",),
    ),
    PolicyFact(
        "standard_time",
        SHIPPING_SECTION,
        r"Standard \((\d+)\s*[—–-]\s*(\d+) day shipping\)",
        "range",
        ("How long does standard shipping take?", "How many days is standard delivery?"),
    ),
    PolicyFact(
        "weekdays",
        SHIPPING_SECTION,
        r"Deliveries occur only on (weekdays)",
        "text",
        ("Do you deliver on weekends?", "On which days do deliveries happen?"),
    ),
    PolicyFact(
        "weekend_orders",
        SHIPPING_SECTION,
        r"will not be processed until (Monday)",
        "text",
        ("If I order on a Saturday, when will my order be processed?",),
    ),
    PolicyFact(
        "gift_card",
        f"{CUSTOMER_SERVICE}#returning-gifts",
        r"a Luma (Gift Card) will be issued",
        "text",
        ("What do I get when I return a gift?", "Can I return a gift I received?"),
    ),
    PolicyFact(
        "gift_check",
        f"{CUSTOMER_SERVICE}#returning-gifts",
        r"gifts valued at more than (\$[\d,]+\.\d\d)",
        "money",
        ("When does a gift recipient get a check instead of a gift card?",),
    ),
    PolicyFact(
        "unsubscribe",
        f"{PRIVACY}#emails",
        r"allow us (\d+) business days",
        "days",
        ("How long does it take to be removed from your email list?",),
    ),
    PolicyFact(
        "california_notice",
        f"{PRIVACY}#your-california-privacy-rights",
        r"allow (\d+) days for a response",
        "days",
        ("How long will a California privacy rights request take?",),
    ),
    PolicyFact(
        "ssl",
        f"{PRIVACY}#luma-security",
        r"\((SSL)\)",
        "text",
        ("Do you use SSL to protect my credit card details?",),
    ),
    PolicyFact(
        "restock_fee",
        f"{CUSTOMER_SERVICE}#returns-and-replacements",
        r"(restock fee) may apply",
        "text",
        ("Is there a restocking fee when I return something?",),
    ),
)


def policy_cases(sources: SourceTexts) -> list[EvalCase]:
    """Questions about return windows, delivery, gifts and privacy, facts read from the pages."""
    cases = []
    for fact in POLICY_FACTS:
        facts = _facts(fact, sources.texts[fact.section])
        for number, question in enumerate(fact.questions, start=1):
            cases.append(
                EvalCase(
                    id=f"store_qa.policy.{fact.key}.{number}",
                    input=question,
                    expected=Expected(facts=facts, sources=(fact.section,)),
                    tags=("policy", fact.key),
                    origin={"file": PAGES, "key": fact.section.partition("#")[2]},
                )
            )
    return cases


def _facts(fact: PolicyFact, text: str) -> tuple[Fact, ...]:
    match = re.search(fact.pattern, text)
    if match is None:
        raise ValueError(f"policy fact {fact.key!r} not found in {fact.section}")
    if fact.kind == "money":
        written = match[1]
        return (money(float(written.strip("$").replace(",", "")), written),)
    if fact.kind == "text":
        return (Fact(kind="text", text=match[1]),)
    if fact.kind == "days":
        written = re.search(r"\d+(?: business)? days", match[0])
        text = written[0] if written else f"{match[1]} days"
        return (Fact(kind="quantity", text=text, value=float(match[1]), unit="day"),)
    span = match[0]
    numbers = re.findall(r"\d+", span)[:2]
    return tuple(
        Fact(kind="quantity", text=_range_text(span), value=float(n), unit="day") for n in numbers
    )


def _range_text(span: str) -> str:
    """ "allow 10 to 14 days" -> "10 to 14 days"; "Standard (5—7 day shipping)" -> "5—7 day"."""
    found = re.search(r"\d+\s*(?:to|[—–-])\s*\d+(?: business)? days?", span)
    return found[0] if found else span
