"""Location paths of XPath 1.0 as text: split into steps and predicates, rewritten to select the same nodes sooner."""

from __future__ import annotations

import re

# An element step without an axis (name, prefix:name, prefix:*, *), and a location path of such
# steps (attributes and axes allowed, no spaces), as they read once the predicates are emptied.
_NAME = r"(?:[A-Za-z_][\w.-]*:)?(?:[A-Za-z_][\w.-]*|\*)"
_ELEMENT_STEP = re.compile(_NAME)
_STEP_MASKED = rf"(?:\.|@?(?:[A-Za-z-]+::)?{_NAME})(?:\[\0*\])*"
_PATH = re.compile(rf"{_STEP_MASKED}(?:/{_STEP_MASKED})*")
_BOOLEAN_CALL = re.compile(r"(?:not|boolean|true|false|contains|starts-with|lang)\s*\(\0*\)")


def descendant_axis(branch: str) -> str:
    """`branch` with each `//step[predicates]` as `/descendant::step[predicates]` where that
    selects the same elements: an element step whose predicates are all true or false (a
    number would be a position, counted among the element's siblings after `//` and among all
    descendants after `descendant::`). libxml2 walks `//x[p]` as every node's children and
    merges the sets; `descendant::` is one walk (the schema's rules: 0.1 ms less a document).
    Its predicates that only ask for attributes come first (_attributes_first)."""
    parts = split(branch, "/")
    out = [parts[0]]
    for n, (before, part) in enumerate(zip(parts, parts[1:]), start=2):
        if before == "" and len(out) > 1 and out[-1] == "" and _same_on_descendants(part):
            steps = _by_attribute(_attributes_first(part), last=n == len(parts))
            if len(steps) > 1:  # (the last step: one branch for each way its first predicate holds)
                prefix = "/".join(out[:-1])
                return " | ".join(f"{prefix}/descendant::{step}" for step in steps)
            out[-1] = "descendant::" + steps[0]  # (the empty part of the "//")
        else:
            out.append(part)
    return "/".join(out)


_ATTRIBUTE = re.compile(r"@(?:[\w.-]+:)?(?:[\w.-]+|\*)")


def _by_attribute(step: str, last: bool) -> list[str]:
    """`name[@a and @b][rest]` (a descendant step) as `*/@a/parent::name[@b][rest]`: libxml2
    finds an element's attribute by name far sooner than it evaluates a predicate on every
    element (`//tei:*[@when]`: 0.018 → 0.010 ms a document). A first predicate that is an or of
    such ands, on the last step of a branch, gives one step for each of them (their union
    selects the same elements). The step as it is otherwise."""
    name, predicates = _split_predicates(step)
    if not predicates:
        return [step]
    rest = "".join(f"[{p}]" for p in predicates[1:])
    alternatives = [a.strip() for a in re.split(r"\sor\s", _unwrapped(predicates[0]))]
    if len(alternatives) > 1 and not last:
        return [step]
    steps = []
    for alternative in alternatives:
        tests = [_unwrapped(t) for t in re.split(r"\sand\s", _unwrapped(alternative))]
        if not all(_ATTRIBUTE.fullmatch(t) for t in tests):
            return [step]
        steps.append(f"*/{tests[0]}/parent::{name}" + "".join(f"[{t}]" for t in tests[1:]) + rest)
    return steps


def _unwrapped(expression: str) -> str:
    """`expression` without parentheses around all of it."""
    expression = expression.strip()
    while expression[:1] == "(" and _closing(expression) == len(expression) - 1:
        expression = expression[1:-1].strip()
    return expression


def _closing(text: str) -> int:
    """Where the parenthesis that opens `text` closes (-1: nowhere)."""
    return next((i for i, ch, depth, quoted in _depths(text, "(", ")") if ch == ")" and not quoted and depth == 0), -1)


def _depths(text: str, opening: str = "[(", closing: str = "])"):
    """Each character of `text` with its place, the depth of `opening` brackets around it once it
    is read, and whether it belongs to a quoted string (whose brackets do not count)."""
    depth, quote = 0, ""
    for i, ch in enumerate(text):
        if quote or ch in "'\"":
            quote = ("" if ch == quote else quote) if quote else ch
            yield i, ch, depth, True
            continue
        if ch in opening:
            depth += 1
        elif ch in closing:
            depth -= 1
        yield i, ch, depth, False


# A predicate that only asks whether attributes are there: @a, (@a and @b) or @c ...
_ATTRIBUTES_ONLY = re.compile(r"[\s(]*@(?:[\w.-]+:)?(?:[\w.-]+|\*)[\s)]*"
                              r"(?:\s(?:and|or)\s[\s(]*@(?:[\w.-]+:)?(?:[\w.-]+|\*)[\s)]*)*")


def _attributes_first(step: str) -> str:
    """`step` (whose predicates are all true or false: their order does not change what it
    selects) with the predicates that only ask for attributes first: most elements have none
    of them, and the others (self::a or self::b ..., not(...)) are then asked of the few that
    do. libxml2 evaluates predicates in the order written, each for every node left (the
    schema's `*[self::tei:persName or ...][@role]`: 0.07 → 0.02 ms a document)."""
    name, predicates = _split_predicates(step)
    ordered = sorted(predicates, key=lambda p: _ATTRIBUTES_ONLY.fullmatch(p) is None)  # (stable)
    return name + "".join(f"[{p}]" for p in ordered)


def _same_on_descendants(step: str) -> bool:
    name = outside_predicates(step).strip()
    # (position() and last() anywhere, even inside not(...), would count differently)
    return _ELEMENT_STEP.fullmatch(name) is not None and not re.search(r"\b(?:position|last)\s*\(", step) \
        and all(_boolean(p) for p in _predicates(step))


def _predicates(step: str) -> list[str]:
    """The predicates of a step (the text inside each top-level [...])."""
    return _split_predicates(step)[1]


def _boolean(expression: str) -> bool:
    """Whether an XPath 1.0 expression is surely a boolean (or a node-set, true when not empty),
    never a number: a comparison at its top level, a call of a boolean function, a location
    path, or such operands (or parenthesised ones) joined by `and` / `or`."""
    top = _top_level(expression)
    if re.search(r"[=<>]", top):
        return True  # (a comparison: only and/or bind less tightly, and they too give a boolean)
    start = 0
    for joint in [*re.finditer(r"\s+(?:and|or)\s+", top), None]:
        end = joint.start() if joint else len(top)
        masked, operand = top[start:end].strip(), expression[start:end].strip()
        if not (_BOOLEAN_CALL.fullmatch(masked) or _PATH.fullmatch(masked)
                or (masked[:1] == "(" and masked[-1:] == ")" and _boolean(operand[1:-1]))):
            return False
        start = joint.end() if joint else end
    return True


def _top_level(expression: str) -> str:
    """`expression` with the insides of its brackets, parentheses and quoted strings masked
    (as NULs: the same length, so that a place in it is the same place in `expression`)."""
    out, depth, quote = [], 0, ""
    for ch in expression:
        inside = depth > 0 or bool(quote)
        if quote:
            quote = "" if ch == quote else quote
            inside = inside and (depth > 0 or bool(quote))  # (the closing quote itself shows)
        elif ch in "'\"":
            quote = ch
        elif ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
            inside = depth > 0
        out.append("\0" if inside else ch)
    return "".join(out)


def outside_predicates(text: str) -> str:
    """`text` without its predicates ([...], nested ones and quoted brackets included)."""
    return _split_predicates(text)[0]


def _split_predicates(text: str) -> tuple[str, list[str]]:
    """`text` without its predicates, and the predicates: the text inside each top-level [...]
    (nested ones and quoted brackets are part of a predicate)."""
    outside, found, current, depth, quote = [], [], [], 0, ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif depth and ch in "'\"":
            quote = ch
        elif ch == "[":
            depth += 1
            if depth == 1:
                current = []
                continue
        elif ch == "]":
            depth -= 1
            if depth == 0:
                found.append("".join(current))
                continue
        (current if depth else outside).append(ch)
    return "".join(outside), found


def split(text: str, separator: str = "|") -> list[str]:
    """`text` split at `separator` outside brackets, parentheses and quotes."""
    parts, start = [], 0
    for i, ch, depth, quoted in _depths(text):
        if ch == separator and depth == 0 and not quoted:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts
