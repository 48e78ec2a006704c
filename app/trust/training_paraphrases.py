"""More templated shopper messages: the situations behind each aspect, told without its keyword.

Shoppers rarely name the aspect ("still no sign of my order after {days}" is about shipping,
"it died after a month" about quality). The keyword templates in `training_templates.py` and
the lexicon-labelled reviews teach the detectors the keywords; these paraphrases (written for
this project, in plain review and chat language, not drawn from any evaluation file) teach the
situations. Same format as `TEMPLATES_TEXT`; `none` marks a message about none of the eight
aspects, with the message's polarity as its sign.
"""

from __future__ import annotations

PARAPHRASES_TEXT = """
ship- | It's been {days} and I'm still waiting for my order.
ship- | Ordered the {product} ages ago and it still hasn't turned up.
ship- | The {product} was meant to be here last week.
ship- | My order was dumped by the bins outside.
ship- | The driver handed my order to a neighbour I've never met.
ship- | My order has been stuck at the depot for {days}.
ship- | The outer carton was ripped open when it reached me.
ship- | It took {days} to get to me, far too slow.
ship- | The {product} I paid for has vanished somewhere between you and me.
ship- | The promised date came and went and nothing showed up.
ship- | I had to chase three times before my order finally got here.
ship- | My order went to {country} instead of to my flat.
ship- | Half of my order is missing from the box.
ship- | I stayed in all day and nobody came to the door.
ship- | Two weeks overdue and counting.
ship+ | Placed the order at lunch and had it in my hands the next day.
ship+ | Turned up right on time and in perfect condition.
ship+ | Ordered the {product} last night and it's already here!
ship+ | Super speedy, I had it within 48 hours.
ship+ | Everything came well wrapped and right on schedule.
ship+ | Beat the estimated date by three days.
ship+ | The {product} made it to {country} in no time.
ship0 | When can I expect my {product}?
ship0 | Is click and collect an option for the {product}?
ship0 | Can the {product} be left with a neighbour if I'm out?
ship0 | Is it possible to get the {product} by Friday?
ship0 | How soon would the {product} get to {country}?
ship0 | Do you post to {country}?
ship0 | What time of day will my order be dropped off?
refund- | The {product} went back weeks ago and I'm yet to be paid.
refund- | The bank says nothing has come in from you yet.
refund- | I cancelled {days} ago and still haven't been paid back.
refund- | The order was called off, yet the payment is still gone.
refund- | You only gave me back part of what I paid.
refund- | Nothing has shown up on my statement since you took the {product} back.
refund- | You owe me for the {product} and keep saying it's processing.
refund- | I want the money for the {product} put back on my card now.
refund+ | The money for the {product} was back on my card the next day.
refund+ | Got every penny back without any fuss.
refund+ | My bank already shows the credit, thanks.
refund+ | Paid back in full within two days.
refund+ | You paid me back for the missing {product} straight away.
refund+ | The credit landed in my account sooner than I expected.
refund0 | When will the money for my cancelled {product} be back in my account?
refund0 | Do I get my cash back if the {product} never comes?
refund0 | How long does it take for the credit to show on my statement?
refund0 | Will you pay back the postage as well?
refund0 | Can I have my money back instead of store credit?
return- | Taking the {product} back was a total hassle.
return- | Your policy says unopened only, so I'm stuck with it.
return- | The instructions for sending it back make no sense.
return- | The drop-off point wouldn't take my parcel back to you.
return- | Only fourteen days to change my mind is far too short.
return- | Trying to swap the {product} for another size has been a nightmare.
return- | The form for sending things back just doesn't work.
return- | The shop refused to take back something I bought online.
return+ | Taking the {product} back to the shop was quick and easy.
return+ | Popped it in a locker with the code you sent, done.
return+ | Changing to a different size was painless.
return+ | I changed my mind and you took it back, no questions asked.
return+ | Dropped the {product} off at the post office and that was it, so simple.
return+ | Free collection of unwanted items is brilliant.
return0 | How long do I have to change my mind about the {product}?
return0 | Can I take the {product} back to a shop?
return0 | Can I swap the {product} for a different colour?
return0 | What if the {product} doesn't fit, can I send it back?
return0 | Do you collect unwanted items from my house?
return- price- | Nobody told me I'd be charged for changing my mind.
price- | Nobody should pay that much for a {product}.
price- | The mark-up on the {product} is outrageous.
price- | The {product} costs more here than in any other shop.
price- | Extra charges appeared on the final screen before paying.
price- | You took more from my card than the listed amount.
price- | For that kind of money I expected a lot more.
price- | Shocked at what you're asking for the {product}.
price- | Other sites sell the exact same {product} for less.
price+ | Paid next to nothing for the {product}, can't complain.
price+ | Cost less than a takeaway and does the job.
price+ | Half of what the high street charges.
price+ | Such a bargain, I bought two.
price+ | Knocked a third off at checkout, lovely surprise.
price+ | A fair amount to pay for what you get.
price0 | Any money off if I buy three?
price0 | Is there a code I can use on the {product}?
price0 | Will the {product} go on sale soon?
price0 | What would two {product} come to?
price0 | Do you match other shops if they're lower?
feature- | The {product} is nowhere near as roomy as the listing suggests.
feature- | The legs on the {product} are too short for anyone over six foot.
feature- | The {product} won't pair with my phone.
feature- | The {product} only holds a tiny amount.
feature- | The light on the {product} is too dim to be useful.
feature- | The {product} is so loud it wakes the whole house.
feature- | It doesn't come with a lid, though the listing implied it did.
feature- | The {product} comes up a size small.
feature- | The {product} won't work with my laptop.
feature- | The straps on the {product} are too short to adjust.
feature+ | The {product} has a clever hidden pocket for my phone.
feature+ | Charges in an hour and runs for days.
feature+ | The {product} packs down tiny, great for trips.
feature+ | So many handy compartments in the {product}.
feature+ | The {product} pairs with my phone in seconds.
feature+ | Bright, clear and easy to read even in sunshine.
feature+ | True to size and soft on the skin.
feature0 | Will the {product} fit in a standard cupholder?
feature0 | Can the {product} be used in the microwave?
feature0 | How big is the {product} when it's folded?
feature0 | Does the {product} come with a carry case?
feature0 | What is the {product} made from?
feature0 | How long does the {product} run on one charge?
stock- | The {product} in {option} has said 'coming soon' since spring.
stock- | Two days after paying I was told there were none in the warehouse.
stock- | The {product} disappeared from the site before I could buy one.
stock- | I've been waiting months for the {product} to come back.
stock- | They're gone again before I could check out.
stock- | Only the tiny sizes are ever left.
stock- | Missed out again, the {product} went in minutes.
stock+ | Set an alert and bagged the {product} the moment it reappeared.
stock+ | Plenty of every size on the shelf, refreshing.
stock+ | Grabbed the last {product} in {option}, lucky me.
stock+ | Nice to see the {product} back on the site.
stock+ | Even the odd sizes are there when I need them.
stock0 | Will you be getting more {product} in {option}?
stock0 | Will there be another batch of the {product}?
stock0 | Any chance of the {product} in extra small?
stock0 | Can I reserve a {product} until you get more?
quality- | The {product} gave up after {days}.
quality- | The wheels on the {product} wore through in a month.
quality- | The colour ran all over my other clothes in the first wash.
quality- | The lining of the {product} tore within a fortnight.
quality- | The {product} creaks and bends when you pick it up.
quality- | The paint is already flaking off the {product}.
quality- | The {product} went wobbly after a week.
quality- | The {product} is already falling to bits.
quality- | The strap snapped after a few uses.
quality- | The {product} rusted within {days}.
quality- | It died after {days}.
quality- | A button fell off the {product} straight away.
quality+ | Three winters in and the {product} hasn't let me down.
quality+ | Nicely finished edges and no wobble at all.
quality+ | Everything about the {product} feels carefully crafted.
quality+ | I've used the {product} every day for a year and it looks brand new.
quality+ | Strong seams and thick panels, this will see years of use.
quality+ | Washes well and keeps its shape.
quality0 | Will the {product} last if I use it every day?
quality0 | Does the {product} shrink in the wash?
quality0 | Is the {product} made to last?
service- | I've emailed every day for {days} and heard nothing.
service- | Your phone line rings out every single time.
service- | Your chat bot loops and never gets me to a human.
service- | Nobody there seems to know anything.
service- | I keep getting passed around and nobody fixes it.
service- | The person on the phone was short with me and hung up.
service- | Nobody has answered my messages for {days}.
service- | They promised to ring back and never did.
service- | Your team ignored my messages about the {product}.
service+ | The adviser stayed on until everything was fixed.
service+ | Your adviser explained everything clearly and kept me updated.
service+ | Answered at ten at night, didn't expect that.
service+ | You went above and beyond to fix my order, thank you.
service+ | Someone rang me back the same day, really appreciated.
service+ | Quick, friendly and actually solved my problem.
service0 | Could an adviser phone me this afternoon?
service0 | Are your advisers around late in the evening?
service0 | How do I reach a real person?
service0 | Which email address should I write to?
ship+ price+ | Reasonably priced and on my doorstep within a day.
feature+ ship- | The {product} looks great on, shame I waited {days} for it.
quality- service- | The lid cracked and your team keeps fobbing me off.
return+ refund+ | Handed it in at the shop and the money hit my account by the weekend.
stock- ship+ | Took months to come back on sale, though once ordered it was with me overnight.
service- refund- | Three advisers, three different answers, and still no money.
quality+ feature- | Great stitching, but the {product} is too narrow for my feet.
price+ quality- | Bargain price, but the {product} came apart at the seams.
service+ ship- | The agent was lovely but my order is still missing.
stock+ quality+ | Snapped up one of the last few and it's brilliantly made.
none0 | Good morning, quick question.
none0 | How do I turn on two-factor login?
none0 | Where can I download my invoice?
none0 | Can I pay with PayPal?
none0 | How do I delete my account?
none0 | Can I unsubscribe from your emails?
none0 | I'd like to cancel my order for the {product}.
none+ | Perfect, that answers my question.
none+ | Love it, thank you!
none+ | Exactly what I hoped for, so pleased.
none+ | Really happy with my order.
none+ | Five stars, would buy again.
none- | What a letdown, I expected much better.
none- | Really disappointed with my order.
none- | I'm so annoyed right now.
none- | Not happy at all.
"""
