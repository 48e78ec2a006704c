"""Templated shopper messages, filled from the demo store's catalogue, for the trust scorer.

The dev data has no chat messages that praise or blame shipping, returns, availability...: its
requests are neutral and its reviews are about phones. These templates (written for this
project) fill that gap: questions for every aspect, and complaints and praise a shop receives,
filled with the store's product names, categories, sizes and colours. Each template carries its
labels: `aspect:polarity` pairs (`-` negative, `0` neutral, `+` positive) and the message's own
polarity (`mixed` where aspects disagree: the message then teaches only aspects).
Training and held-out are split by template, so held-out metrics measure wording never seen.
`training_paraphrases.py` adds the same situations told without the aspects' keywords.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.trust.base import Aspect, Polarity
from app.trust.training_paraphrases import PARAPHRASES_TEXT

_SIGN = {"-": Polarity.NEGATIVE, "0": Polarity.NEUTRAL, "+": Polarity.POSITIVE}
_ASPECT = {
    "ship": Aspect.SHIPPING,
    "refund": Aspect.REFUNDS,
    "return": Aspect.RETURNS,
    "price": Aspect.PRICING,
    "feature": Aspect.PRODUCT_FEATURES,
    "stock": Aspect.AVAILABILITY,
    "quality": Aspect.ITEM_QUALITY,
    "service": Aspect.CUSTOMER_SERVICE,
}

# "labels | template": labels are `aspect<sign>` words; the message's polarity is the common
# sign, or mixed; `none<sign>` alone: about none of the eight.
# Placeholders: {product} {category} {option} {country} {days}.
TEMPLATES_TEXT = """
ship0 | How long does delivery to {country} take?
ship0 | Do you ship to {country}?
ship0 price0 | How much is shipping for the {product}?
ship0 | Can I track my order with the {product}?
ship0 | When will my {product} arrive?
ship0 | What delivery options do you have for {country}?
ship0 | Can I change the delivery address on my {product} order?
ship0 | Which courier delivers to {country}?
ship0 | My {product} says dispatched, when does it get here?
ship0 | Do you offer next-day delivery for {category}?
refund0 | How long does a refund take to reach my card?
refund0 | Has my refund for the {product} been processed yet?
refund0 | Can I get a refund for the {product}?
refund0 | Will the refund go back to my original payment method?
return0 refund0 | I sent back the {product}, when do I get my money back?
refund0 | What is your refund policy on {category}?
return0 | How do I return the {product}?
return0 | Can I return the {product} if it doesn't fit?
return0 | Can I exchange the {product} for another size?
return0 | How many days do I have to send back the {product}?
return0 | Do I need the original box to return {category}?
return0 | Where do I print a return label?
return0 price0 | Is there a restocking fee on returned {category}?
price0 | How much is the {product}?
price0 | Is the {product} on sale right now?
price0 | Do you have any discount codes for {category}?
price0 | What does the {product} cost in {option}?
price0 | Is there a cheaper version of the {product}?
price0 | Are your prices shown with tax included?
price0 | Do you price match on {category}?
feature0 | What material is the {product} made of?
feature0 | What sizes does the {product} come in?
feature0 | Does the {product} have pockets?
feature0 | What are the dimensions of the {product}?
feature0 | What colours does the {product} come in?
feature0 | How heavy is the {product}?
feature0 | Is the {product} waterproof?
feature0 | What warranty comes with the {product}?
feature0 | Tell me about the features of the {product}.
stock0 | Is the {product} in stock?
stock0 | Do you have the {product} in {option}?
stock0 | When will the {product} be back in stock?
stock0 | Do you still sell {category}?
stock0 | Is the {product} available in {option}?
stock0 | Can I pre-order the {product}?
stock0 | Are there any {product} left?
stock0 | Do you carry {category}?
stock0 | Is the {product} sold out in {option}?
stock0 | Will you restock the {product} soon?
stock0 | How many {product} do you have left?
stock- | I keep waiting for the {product} to come back and it never does.
stock+ | Lucky me, the last {product} in {option} was still available!
quality0 | Is the {product} durable?
quality0 | How well made is the {product}?
quality0 | Does the {product} hold up after washing?
quality0 price0 | Is the {product} good quality for the price?
quality0 | How long does the {product} usually last?
service0 | How can I contact customer service?
service0 | Can I talk to a person about my {product} order?
service0 | What are your support hours?
service0 | Is there a phone number for your help desk?
service0 | Can someone from your team call me back about the {product}?
ship- | My {product} still hasn't arrived after {days}.
ship- | The delivery is {days} late, this is ridiculous.
ship- | Tracking hasn't updated in {days} and my {product} is nowhere.
ship- | The courier lost my package with the {product}.
ship- price- | Shipping to {country} took forever and cost a fortune.
ship- | I paid for express delivery and the {product} came a week late.
ship- | Why is my order late again?
refund- | I'm still waiting for my refund for the {product}, it has been {days}.
refund- | You promised a refund {days} ago and nothing has come through.
refund- | My refund was rejected for no reason.
refund- | I was only refunded half of what I paid for the {product}.
refund- | Where is my money? The refund never came.
return- | Your return process is a nightmare, I can't print the label.
return- | You refused my return of the {product} even though it was unused.
return- price- | Sending back the {product} cost me more than it was worth.
return- | The exchange for the {product} took {days} and you sent the wrong size.
return- | Returning things here is way too complicated.
price- | The {product} is way too expensive for what it is.
price- | You charged me twice for the {product}.
price- | The price of the {product} went up right after I ordered.
price- | Not worth the money at all.
price- | Hidden fees at checkout, very sneaky.
price- ship- | I was overcharged for shipping to {country}.
feature- | The {product} is much smaller than the size chart says.
feature- | The colour of the {product} looks nothing like the photos.
feature- | The battery on the {product} dies within an hour.
feature- | The {product} has no pockets, which the description promised.
feature- | The {product} runs two sizes too small.
stock- | The {product} has been out of stock for weeks.
stock- | You took my order and then told me the {product} is sold out.
stock- | Every size I want in {category} is unavailable, so frustrating.
stock- | The {product} showed as in stock but you cancelled my order.
quality- ship- | My {product} arrived damaged.
quality- | The {product} fell apart after two washes.
quality- | The {product} stopped working after {days}.
quality- | Cheaply made, the stitching on the {product} came loose.
quality- | The zipper on my {product} broke the first time I used it.
quality- | Poor quality, the {product} feels flimsy.
service- | Nobody replies to my emails about the {product}.
service- | Your support team was rude and useless.
service- | I have called three times and keep getting put on hold.
service- | I was promised a call back and nobody called.
service- | Your chat agent hung up on me.
service- | Worst customer service I have ever dealt with.
quality- ship- service- | The {product} arrived broken and customer service ignores me.
refund- service- | Still no refund and no one picks up the phone.
ship+ | My {product} arrived a day early, great delivery.
ship+ | Fast shipping to {country}, thanks!
ship+ | The parcel came quickly and well packed.
ship+ | Delivery was smooth and the tracking was accurate.
refund+ | Got my refund for the {product} within two days, thank you.
refund+ | The refund was quick and painless.
refund+ | Thanks for refunding me so fast.
return+ | Returning the {product} was really easy.
return+ feature+ | The exchange went smoothly and the new size fits perfectly.
return+ | Love your free returns, so simple.
price+ | Great price for the {product}.
price+ | The {product} is excellent value for money.
price+ | Nice discount on {category}, thanks!
price+ | Cheaper than anywhere else, very happy.
feature+ | The {product} fits perfectly and the colour is lovely.
feature+ | Love the pockets on the {product}.
feature+ | The battery on the {product} lasts all day.
feature+ | The {product} is so comfortable and lightweight.
stock+ | So glad the {product} is back in stock!
stock+ | Great to see {category} available in every size.
stock+ | You always have what I need in stock.
quality+ | The {product} is really well made.
quality+ | Excellent quality, my {product} still looks new after months.
quality+ price+ | Sturdy and durable, the {product} is worth every penny.
quality+ | Top quality {category}, very impressed.
service+ | Your support team sorted it out in minutes, thank you.
service+ | The agent was very helpful and friendly.
service+ | Thanks for the quick reply, great service.
service+ | Your staff were so kind and patient.
ship0 | Which carrier will bring my {product}?
ship0 | Can you send the {product} to my office address instead?
ship0 | How quickly can you get the {product} to me?
ship- | It has been {days} and the {product} is still not here.
ship- | My {product} went to the wrong house.
ship+ | The {product} turned up the very next day, amazing.
ship+ | Received it within two days, well done.
refund0 | Has the money for the {product} been sent back to my account?
refund0 | How do I get reimbursed for the missing {product}?
refund- | I'm still out of pocket for the {product} you cancelled.
refund+ | The money for the {product} is already in my account, thanks.
return0 | Is it free to post the {product} back to you?
return0 | What do I do with a {product} I no longer want?
return- | I posted the {product} back {days} ago and you say you never got it.
return+ | Sending the {product} back was simple, the label was in the box.
price0 | What would the {product} come to including tax?
price0 | Are there any promotions running on {category}?
price- | Eighty quid for the {product} is daylight robbery.
price- | The {product} is twice what other shops charge.
price+ | Got the {product} for a steal in the sale.
price+ | Really reasonable for what you get.
feature0 | Does the {product} come with a charging cable?
feature0 | Is the {product} machine washable?
feature0 | Can the {product} be used outdoors?
feature- | The {product} is far too bulky to carry around.
feature- | There is no way to adjust the strap on the {product}.
feature+ | The adjustable strap on the {product} is so handy.
feature+ | The {product} folds flat, perfect for travelling.
stock0 | When does the {product} come back?
stock0 | Will there be more {category} next month?
stock- | The {product} vanished from the site before I could buy it.
stock+ | Thank you for bringing back the {product}!
quality0 | Will the {product} survive daily use?
quality- | The seams on the {product} split after a week.
quality- | The handle of the {product} snapped off.
quality- | The {product} faded badly after one wash.
quality+ | The {product} feels premium and heavy-duty.
quality+ | A year on and the {product} is going strong.
service0 | Is there someone I can speak to about the {product}?
service0 | Do you have a chat I can use in the evening?
service- | I have been passed from one person to another for an hour.
service- | Nobody from your team has bothered to call me back.
service+ | The lady who helped me on the phone was lovely.
service+ | Your team fixed everything quickly, I'm impressed.
quality+ ship- | The {product} is excellent quality but delivery took {days}.
ship- quality+ | Shipping was slow, but the {product} is really well made.
price+ quality- | Great price, but the {product} broke after a week.
service+ refund- | Customer service was lovely but my refund still hasn't come.
"""


@dataclass(frozen=True)
class Template:
    """One message pattern and its labels."""

    text: str
    aspects: dict[Aspect, Polarity]
    polarity: Polarity | None  # None: mixed


# What the manifest fingerprints: every template the scorer is trained on.
ALL_TEMPLATES_TEXT = TEMPLATES_TEXT + PARAPHRASES_TEXT


def templates() -> list[Template]:
    """Every template (keyword ones, then paraphrases) with its parsed labels."""
    return [_parse(line) for line in ALL_TEMPLATES_TEXT.strip().splitlines() if line.strip()]


def _parse(line: str) -> Template:
    labels, text = (part.strip() for part in line.split("|", 1))
    words = labels.split()
    if len(words) == 1 and words[0][:-1] == "none":
        return Template(text, {}, _SIGN[words[0][-1]])
    aspects = {_ASPECT[word[:-1]]: _SIGN[word[-1]] for word in words}
    signs = set(aspects.values())
    return Template(text, aspects, signs.pop() if len(signs) == 1 else None)
