"""Short questions for the off-topic detector: general knowledge (out) and product knowledge (in).

The public dev sets teach "not about the shop" with long prompts (role-play, writing tasks);
a short factual question ("who won the world cup in 2018?") looks to a model trained on them
much like a shopper's short question. These general-knowledge questions, written for
TrustDesk (no third-party data), cover the topics people ask assistants about; the product
questions built from the catalogue's materials keep "what is merino wool?" on topic.
`evals/probes/off_topic_questions.csv` holds other questions, never trained on, to score both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from langchain_core.documents import Document

GENERAL_QUESTIONS: tuple[str, ...] = (
    # geography
    "what is the capital of Germany?",
    "capital of australia?",
    "which country is Lisbon in?",
    "what is the largest country in Africa?",
    "how many countries are there in the world?",
    "what is the highest mountain in Europe?",
    "where is Machu Picchu?",
    "which continent is Egypt in?",
    "what is the smallest country in the world?",
    "how long is the Nile?",
    "what ocean lies between Europe and America?",
    "what is the biggest desert on earth?",
    "which US state has the most people?",
    "where is the Great Barrier Reef?",
    "what's the population of Canada?",
    "which city is the capital of Japan?",
    "how deep is the Mariana Trench?",
    "what language is spoken in Argentina?",
    "what's the longest river in Asia?",
    "which countries border Switzerland?",
    # history and politics
    "who was the first president of the United States?",
    "when did the Berlin Wall fall?",
    "who was Napoleon?",
    "in what year did World War 1 start?",
    "who built the pyramids?",
    "when did the Roman Empire fall?",
    "who was Cleopatra?",
    "what caused the French Revolution?",
    "who is the prime minister of the UK?",
    "when did man first land on the moon?",
    "who was Winston Churchill?",
    "what was the cold war?",
    "who won the last US presidential election?",
    "when did India become independent?",
    "who was Genghis Khan?",
    "how many US presidents have there been?",
    "what happened at Pearl Harbor?",
    "who killed Julius Caesar?",
    "when was the United Nations founded?",
    "who is the chancellor of Germany?",
    # science and nature
    "what is gravity?",
    "why is the sky blue?",
    "how far away is the sun?",
    "what is the speed of sound?",
    "what is an atom made of?",
    "how do vaccines work?",
    "what is the theory of relativity?",
    "how many moons does Jupiter have?",
    "what is a black hole?",
    "how hot is the surface of the sun?",
    "what is the freezing point of water in fahrenheit?",
    "how do plants make food?",
    "what is the largest animal on earth?",
    "how long do elephants live?",
    "what is the chemical formula for water?",
    "how many chromosomes do humans have?",
    "what causes earthquakes?",
    "what is climate change?",
    "how fast does light travel?",
    "what is the closest star to earth?",
    "how many elements are in the periodic table?",
    "what do bees make?",
    "why do leaves change colour in autumn?",
    "what is evolution?",
    "how does the heart pump blood?",
    # sports
    "who won the champions league final?",
    "how many players are on a soccer team?",
    "who has won the most Wimbledon titles?",
    "when are the next Olympic games?",
    "who won the Tour de France this year?",
    "how long is a marathon?",
    "who is the fastest man in the world?",
    "which team has won the most world cups?",
    "who won the Formula 1 championship in 2021?",
    "how many rings does Michael Jordan have?",
    "what are the rules of cricket?",
    "who is the top scorer in premier league history?",
    "when is the super bowl this year?",
    "who won the Stanley Cup?",
    "how many grand slams has Serena Williams won?",
    # arts, entertainment, people
    "who wrote Pride and Prejudice?",
    "who directed Jurassic Park?",
    "what is the best movie of all time?",
    "who played Harry Potter in the films?",
    "who composed the moonlight sonata?",
    "who is Taylor Swift dating?",
    "what is the most popular song right now?",
    "who won best picture at the oscars?",
    "who wrote the Odyssey?",
    "how many Harry Potter books are there?",
    "who is the author of 1984?",
    "when did the Beatles break up?",
    "who painted Starry Night?",
    "what is Elon Musk's net worth?",
    "how old is the king of England?",
    "who is the most followed person on instagram?",
    "what is the plot of Hamlet?",
    "who sang Bohemian Rhapsody?",
    "who invented the light bulb?",
    "who founded Microsoft?",
    # maths, language, definitions
    "what is 15 percent of 80?",
    "what is pi?",
    "how many sides does a hexagon have?",
    "what is the derivative of x squared?",
    "is 97 a prime number?",
    "what's 12 times 12?",
    "how many seconds are in a day?",
    "what does the word ubiquitous mean?",
    "what is the plural of cactus?",
    "how do you say thank you in Japanese?",
    "what is a synonym for happy?",
    "how do you spell necessary?",
    "what does LOL stand for?",
    "what is the meaning of the word serendipity?",
    "how many letters are in the alphabet?",
    # weather, time, dates, news
    "what's the weather forecast for this weekend?",
    "is it going to snow in Chicago today?",
    "what's the temperature in Paris right now?",
    "what day is it today?",
    "what time is it in New York?",
    "when is Easter this year?",
    "how many days until Christmas?",
    "what is the news today?",
    "what's happening in the stock market?",
    "what is the bitcoin price today?",
    "who is winning the election?",
    "is there a storm coming this week?",
    # food, health, everyday knowledge
    "how do you make pancakes?",
    "how long should I boil an egg?",
    "what is the healthiest fruit?",
    "how many calories are in a banana?",
    "what is the recipe for lasagna?",
    "how much water should I drink a day?",
    "what are the symptoms of the flu?",
    "how do I lower my blood pressure?",
    "what is the best diet to lose weight?",
    "how much sleep does an adult need?",
    "what wine goes with fish?",
    "how do you cook rice in a pot?",
    # technology and general
    "who invented the internet?",
    "what is artificial intelligence?",
    "how does bitcoin work?",
    "what is the fastest car in the world?",
    "what is the most spoken language in the world?",
    "how do airplanes fly?",
    "what is quantum computing?",
    "who created Python?",
    "how does GPS work?",
    "what is the tallest tree in the world?",
    "what is the oldest university in the world?",
    "how many people live on earth?",
    "what is the meaning of life, the universe and everything?",
    "what is the best religion?",
    "is there life on mars?",
    "do aliens exist?",
    "what happens after we die?",
    "who is god?",
    "can you tell me a fun fact about octopuses?",
    "do you know who won the game last night?",
    "tell me who discovered America",
    "which planet is closest to the sun?",
    "what's the difference between a virus and bacteria?",
    "how are rainbows formed?",
    "why do cats purr?",
    "how many hearts does an octopus have?",
)

_MATERIAL = re.compile(r"\bMaterial:\s*([^.\n]+)")
_CLIMATE = re.compile(r"\bClimate:\s*([^.\n]+)")
_MATERIAL_TEMPLATES = (
    "what is {}?",
    "is {} breathable?",
    "how do I wash {}?",
    "is {} warm enough for winter?",
    "does {} shrink in the wash?",
    "is {} good for sensitive skin?",
)
_CLIMATE_TEMPLATES = (
    "which of your jackets is good for {} weather?",
    "what should I wear when it is {}?",
)


def product_knowledge_questions(documents: Sequence[Document]) -> list[str]:
    """Questions about the catalogue's materials and climates ("is polyester breathable?")."""
    materials = _values(documents, _MATERIAL)
    climates = _values(documents, _CLIMATE)
    questions = [t.format(m) for m in materials for t in _MATERIAL_TEMPLATES]
    questions += [t.format(c) for c in climates for t in _CLIMATE_TEMPLATES]
    return questions + [f"which is warmer, {a} or {b}?" for a, b in pairwise(materials)]


def _values(documents: Sequence[Document], pattern: re.Pattern[str]) -> list[str]:
    found = {
        part.strip().lower().rstrip("™®")
        for doc in documents
        for match in pattern.finditer(doc.page_content)
        for part in re.split(r"[,;/]", match.group(1))
        if 2 < len(part.strip()) <= 30
    }
    return sorted(found)
