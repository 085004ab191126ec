"""YAML loading that remembers the line of every key, so errors can point at it."""
from __future__ import annotations

from typing import Any

import yaml

from generator.errors import SourceSyntaxError


class LineDict(dict[Any, Any]):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0
    lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class LineList(list[Any]):
    line: int = 0
    lines: list[int]

    def line_of(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


# libyaml's event parser when PyYAML was built with it (it is, in the pinned wheel) and the
# pure-Python one otherwise: the same events, several times faster (scanning was 3.4 s of a
# 1,000-topic build's 5 s of YAML). Composition stays in Python, so aliases are refused at
# the line they are used and every node keeps its line.
class _PyParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


try:
    from yaml._yaml import CParser as _Parser  # libyaml, in the pinned wheel
except ImportError:  # pragma: no cover
    _Parser = _PyParser  # type: ignore[misc,assignment]


class _Loader(yaml.composer.Composer, yaml.constructor.SafeConstructor, yaml.resolver.Resolver, _Parser):
    first_line = 1  # line of the YAML's first line in its file (front matter starts on 2)

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    def compose_node(self, parent: Any, index: Any) -> Any:
        # Aliases (*name) are refused outright: sources never need them, and an
        # alias "bomb" (a billion references to a few nodes) would cost hours.
        if self.check_event(yaml.AliasEvent):
            event: Any = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in sources; "
                                              "write the value out", event.start_mark)
        return super().compose_node(parent, index)

    def at(self, node: yaml.Node) -> int:
        return node.start_mark.line + self.first_line


# Dates stay strings: PyYAML raises a bare ValueError without a position on
# "2026-13-01", and we want to report the line ourselves.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = loader.at(node)
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(None, None, "a key must be plain text",
                                                    key_node.start_mark) from None
        if key in result:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = loader.at(key_node)
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = loader.at(node)
    result.lines = [loader.at(child) for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)  # type: ignore[type-var]
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)  # type: ignore[type-var]


def _written_line(lines: list[str], index: int) -> int:
    """The 0-based line a mark points at, or the last line with text before it: PyYAML finds an
    unclosed bracket or quote at the end of the text, past the file's last line."""
    index = min(index, len(lines) - 1)
    while index > 0 and not lines[index].strip():
        index -= 1
    return index


def _excerpt(line: str, limit: int = 60) -> str:
    line = line.strip()
    return line if len(line) <= limit else line[:limit - 1] + "…"


def _syntax_error(text: str, first_line: int, exc: yaml.MarkedYAMLError) -> SourceSyntaxError:
    """The error at the line the author wrote, quoting it, and where the unclosed part began."""
    lines = text.split("\n")
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return SourceSyntaxError(first_line, f"invalid YAML: {exc.problem or exc.context}")
    at = _written_line(lines, mark.line)
    message = f"invalid YAML: {exc.problem or exc.context}"
    if at < mark.line:
        message += " (at the end of the text)"
    message += f": {_excerpt(lines[at])!r}"
    context = exc.context_mark
    if exc.problem and exc.context and context is not None and context.line != at:
        message += f"; {exc.context} at line {context.line + first_line}: {_excerpt(lines[context.line])!r}"
    return SourceSyntaxError(at + first_line, message)


def load_yaml(text: str, first_line: int = 1) -> Any:
    """Parse YAML; `first_line` is where the text starts in its file (front matter: 2)."""
    # Control characters are refused here, with PyYAML's own rule, before either parser sees them.
    bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if bad:
        line = first_line + text.count("\n", 0, bad.start())
        raise SourceSyntaxError(line, f"invalid YAML: control character U+{ord(bad.group()):04X} is not allowed")
    loader = _Loader(text)
    loader.first_line = first_line
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(text, first_line, exc) from None
    except yaml.YAMLError as exc:  # e.g. a reader error on a control character, without a mark
        raise SourceSyntaxError(first_line, f"invalid YAML: {exc}") from None
    except (ValueError, RecursionError) as exc:  # e.g. an out-of-range int or a deeply nested value
        raise SourceSyntaxError(first_line, f"invalid YAML: {exc.__class__.__name__}") from None
    finally:
        loader.dispose()
