"""Versioned prompt files (`prompts/<name>/v<N>.yaml`): loading, validation and rendering."""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from app.turns import PromptRef

_FILE_NAME = re.compile(r"^v(?P<version>[1-9]\d*)\.yaml$")
_TOP_LEVEL_KEYS = {"name", "version", "description", "variables", "template", "layout"}
_TEMPLATE_PARTS = ("system", "user")
_LAYOUT_TEXT_VARIABLES = {"shop_name"}
# What a question cue tells the extractive backend: the fact asked for, or nothing (filler).
CUE_KINDS = ("availability", "price", "duration", "filler")
_PHRASE = re.compile(r"^[a-z0-9]+(?: [a-z0-9]+)*$")
# Files with this top-level `kind` are reply sets (e.g. guard_replies), loaded by their own
# module, not chat prompts.
REPLIES_KIND = "replies"


class PromptError(ValueError):
    """A prompt file is missing, malformed or inconsistent; the message names the file."""


@dataclass(frozen=True)
class AnswerLayout:
    """How the extractive backend lays out an answer (the chat model gets the same wording)."""

    max_sentences: int = 3
    max_products: int = 3
    min_relevance: float = 0.5
    citation_style: str = "brackets"
    dont_know: str = "I'm sorry, I couldn't find that in {shop_name}'s information."
    apology: str = "I'm sorry, something went wrong on our side while answering."
    # Extractive backend: phrases that say which kind of fact is asked ("right now", "return
    # window") rather than what to look for, as (kind, phrases) pairs; kinds are CUE_KINDS.
    cues: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Extractive backend: shoppers' words and the word the sources use instead
    # ("send back" -> "return"), as (phrase, replacement) pairs.
    vocabulary: tuple[tuple[str, str], ...] = ()

    def dont_know_text(self, shop_name: str) -> str:
        """The "don't know" answer for this shop."""
        return self.dont_know.format(shop_name=shop_name)

    def apology_text(self, shop_name: str) -> str:
        """The apology shown when a turn fails."""
        return self.apology.format(shop_name=shop_name)

    def marker(self, index: int) -> str:
        """The citation marker for source `index` in this layout's style."""
        return f"[{index}]" if self.citation_style == "brackets" else f"^{index}"


@dataclass(frozen=True)
class Prompt:
    """One released prompt version: chat template parts plus extractive layout."""

    name: str
    version: int
    description: str
    variables: tuple[str, ...]
    system: str
    user: str
    sha256: str
    layout: AnswerLayout = field(default_factory=AnswerLayout)

    @property
    def ref(self) -> PromptRef:
        """The reference stamped on every turn this prompt produced."""
        return PromptRef(name=self.name, version=self.version, sha256=self.sha256)

    def render(self, **values: str) -> tuple[str, str]:
        """Fill the template; returns (system, user). Every declared variable must be given."""
        missing = set(self.variables) - values.keys()
        if missing:
            raise KeyError(f"{self.ref} needs values for {sorted(missing)}")
        return self.system.format(**values), self.user.format(**values)


class PromptRegistry:
    """All prompt versions found under a folder, validated when loaded."""

    def __init__(self, prompts: Mapping[str, Prompt]) -> None:
        self._prompts = dict(prompts)

    @classmethod
    def load(cls, directory: Path | str) -> PromptRegistry:
        """Load and validate every `<name>/v<N>.yaml` under `directory`."""
        root = Path(directory)
        if not root.is_dir():
            raise PromptError(f"{root}: prompt folder not found")
        prompts: dict[str, Prompt] = {}
        for path in sorted(root.glob("*/*.yaml")):
            if is_reply_set(path):
                continue
            prompt = load_prompt_file(path)
            prompts[str(prompt.ref)] = prompt
        if not prompts:
            raise PromptError(f"{root}: no prompt files (<name>/v<N>.yaml)")
        return cls(prompts)

    def get(self, key: str) -> Prompt:
        """The prompt named `name@vN`."""
        try:
            return self._prompts[key]
        except KeyError:
            known = ", ".join(sorted(self._prompts))
            raise KeyError(f"unknown prompt {key!r}; known: {known}") from None

    def keys(self) -> list[str]:
        """Every `name@vN` loaded, sorted."""
        return sorted(self._prompts)


def is_reply_set(path: Path) -> bool:
    """Whether a file under prompts/ is a reply set (`kind: replies`) rather than a chat prompt."""
    try:
        data = yaml.safe_load(path.read_bytes())
    except yaml.YAMLError:
        return False  # load_prompt_file reports it, naming the file
    return isinstance(data, dict) and data.get("kind") == REPLIES_KIND


def template_sha256(source: bytes) -> str:
    """sha256 of a prompt file's source, line endings normalised so checkouts agree."""
    return hashlib.sha256(source.replace(b"\r\n", b"\n")).hexdigest()


def load_prompt_file(path: Path) -> Prompt:
    """Parse and validate one prompt file, raising PromptError that names it."""
    source = path.read_bytes()
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        raise PromptError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise PromptError(f"{path}: expected a mapping at the top level")
    try:
        return _build_prompt(path, data, template_sha256(source))
    except PromptError:
        raise
    except (TypeError, ValueError) as exc:
        raise PromptError(f"{path}: {exc}") from exc


def _build_prompt(path: Path, data: dict[str, Any], sha256: str) -> Prompt:
    unknown = set(data) - _TOP_LEVEL_KEYS
    if unknown:
        raise PromptError(f"{path}: unknown keys {sorted(unknown)}")
    name, version = _check_identity(path, data)
    system, user = _check_template(path, data.get("template"))
    variables = _check_variables(path, data.get("variables"), system + user)
    return Prompt(
        name=name,
        version=version,
        description=str(data.get("description", "")).strip(),
        variables=variables,
        system=system,
        user=user,
        sha256=sha256,
        layout=_check_layout(path, data.get("layout") or {}),
    )


def _check_identity(path: Path, data: dict[str, Any]) -> tuple[str, int]:
    match = _FILE_NAME.match(path.name)
    if match is None:
        raise PromptError(f"{path}: file name must be v<N>.yaml")
    name, version = data.get("name"), data.get("version")
    if name != path.parent.name:
        raise PromptError(f"{path}: name {name!r} does not match folder {path.parent.name!r}")
    if version != int(match["version"]):
        raise PromptError(f"{path}: version {version!r} does not match file name {path.name!r}")
    return name, version


def _check_template(path: Path, template: Any) -> tuple[str, str]:
    if not isinstance(template, dict) or set(template) != set(_TEMPLATE_PARTS):
        raise PromptError(f"{path}: template must have exactly the parts {list(_TEMPLATE_PARTS)}")
    parts = [template[part] for part in _TEMPLATE_PARTS]
    if not all(isinstance(part, str) and part.strip() for part in parts):
        raise PromptError(f"{path}: template parts must be non-empty text")
    return parts[0], parts[1]


def _check_variables(path: Path, declared: Any, text: str) -> tuple[str, ...]:
    if not isinstance(declared, list) or not all(isinstance(v, str) for v in declared):
        raise PromptError(f"{path}: variables must be a list of names")
    used = _fields(path, text)
    if set(declared) != used or len(declared) != len(set(declared)):
        raise PromptError(
            f"{path}: declared variables {sorted(declared)} differ from those used in the "
            f"template {sorted(used)}"
        )
    return tuple(declared)


def _check_layout(path: Path, layout: Any) -> AnswerLayout:
    if not isinstance(layout, dict):
        raise PromptError(f"{path}: layout must be a mapping")
    defaults = AnswerLayout()
    unknown = set(layout) - {f.name for f in fields(AnswerLayout)}
    if unknown:
        raise PromptError(f"{path}: unknown layout keys {sorted(unknown)}")
    plain = {key: value for key, value in layout.items() if key not in _LAYOUT_MAPPINGS}
    for key, value in plain.items():
        _check_layout_value(path, key, value, type(getattr(defaults, key)))
    mappings = {
        key: parse(path, layout[key]) for key, parse in _LAYOUT_MAPPINGS.items() if key in layout
    }
    result = AnswerLayout(**{key: _clean(value) for key, value in plain.items()}, **mappings)
    if result.citation_style not in ("brackets", "caret"):
        raise PromptError(f"{path}: layout.citation_style must be 'brackets' or 'caret'")
    for text in (result.dont_know, result.apology):
        extra = _fields(path, text) - _LAYOUT_TEXT_VARIABLES
        if extra:
            raise PromptError(f"{path}: layout text may only use {{shop_name}}, found {extra}")
    return result


def _check_cues(path: Path, value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict) or not set(value) <= set(CUE_KINDS):
        raise PromptError(f"{path}: layout.cues must map some of {list(CUE_KINDS)} to phrases")
    cues: list[tuple[str, tuple[str, ...]]] = []
    for kind in CUE_KINDS:  # a fixed order, so equal files give equal layouts
        phrases = value.get(kind) or []
        if not isinstance(phrases, list):
            raise PromptError(f"{path}: layout.cues.{kind} must be a list of phrases")
        cues.append((kind, tuple(_phrase(path, f"cues.{kind}", p) for p in phrases)))
    return tuple(cue for cue in cues if cue[1])


def _check_vocabulary(path: Path, value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise PromptError(f"{path}: layout.vocabulary must map phrases to words")
    return tuple(
        (_phrase(path, "vocabulary", key), _phrase(path, f"vocabulary.{key}", word))
        for key, word in value.items()
    )


def _phrase(path: Path, where: str, value: Any) -> str:
    if not isinstance(value, str) or not _PHRASE.match(value):
        raise PromptError(
            f"{path}: layout.{where}: {value!r} must be lower-case words separated by spaces"
        )
    return value


_LAYOUT_MAPPINGS: dict[str, Callable[[Path, Any], Any]] = {
    "cues": _check_cues,
    "vocabulary": _check_vocabulary,
}


def _check_layout_value(path: Path, key: str, value: Any, expected: type) -> None:
    # bool is an int subclass, so `yes` must not pass for a number; an int may stand for a float.
    numeric_ok = expected is float and isinstance(value, int)
    if isinstance(value, bool) or not (isinstance(value, expected) or numeric_ok):
        raise PromptError(f"{path}: layout.{key} must be {expected.__name__}, got {value!r}")


def _clean(value: Any) -> Any:
    # Folded YAML scalars end with a newline the shopper should never see.
    return value.strip() if isinstance(value, str) else value


def _fields(path: Path, text: str) -> set[str]:
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        message = f"{path}: bad placeholder ({exc}); write literal braces as {{{{ }}}}"
        raise PromptError(message) from exc
    names = {name for _, name, _, _ in parsed if name is not None}
    if any(not name.isidentifier() for name in names):
        raise PromptError(f"{path}: placeholders must be plain names, found {sorted(names)}")
    return names
