"""Frozen dataclasses of str, int, bool and tuples as plain data (lists and scalars), and back.

    to_plain(value)       a dataclass becomes the list of its fields' values in field order,
                          a tuple a list, recursively; str, int and bool stay as they are
    plain_reader(kind)    the function that makes a `kind` again from to_plain's result

The result is JSON as it is, and the round trip is exact (JSON keeps str, int and bool
apart, and json.dumps escapes what UTF-8 cannot hold), so reading it back runs nothing
that was written in it: the build cache stores rendered Markdown this way (reuse/markdown_cache.py).
The reader is made once from the dataclass's field types, so reading a thousand values
costs one call each. It checks what it is given has the shape and the scalar types that
to_plain made, and raises ValueError when not.
"""
from __future__ import annotations

import typing
from dataclasses import fields, is_dataclass
from typing import Any, Callable

SCALARS = (str, int, bool)


def to_plain(value: Any) -> Any:
    if type(value) in SCALARS:
        return value
    if isinstance(value, tuple):
        return [to_plain(item) for item in value]
    if is_dataclass(value) and not isinstance(value, type):
        return [to_plain(getattr(value, field.name)) for field in fields(value)]
    raise TypeError(f"{type(value).__name__} is not plain data")


def plain_reader(kind: Any) -> Callable[[Any], Any]:
    """A function from to_plain's result for a `kind` (a dataclass, tuple[...] or scalar type) to the `kind`."""
    if kind in SCALARS:
        def read_scalar(data):
            if type(data) is not kind:
                raise ValueError(f"expected {kind.__name__}, found {type(data).__name__}")
            return data
        return read_scalar
    if typing.get_origin(kind) is tuple:
        items = typing.get_args(kind)
        if len(items) == 2 and items[1] is Ellipsis:            # tuple[X, ...]
            if items[0] in SCALARS:
                def read_scalars(data, item=items[0]):
                    if type(data) is not list or not set(map(type, data)) <= {item}:
                        raise ValueError(f"expected a list of {item.__name__}")
                    return tuple(data)
                return read_scalars
            read_item = plain_reader(items[0])
            return lambda data: tuple(map(read_item, _list(data)))
        return _reader_of_parts(lambda *parts: parts, items)    # tuple[X, Y]
    if isinstance(kind, type) and is_dataclass(kind):
        types = typing.get_type_hints(kind)
        return _reader_of_parts(kind, [types[field.name] for field in fields(kind)])
    raise TypeError(f"{kind!r} cannot be read from plain data")


def _reader_of_parts(make: Callable, kinds: list) -> Callable[[Any], Any]:
    """make(*parts) from a list with one part of each kind, in order."""
    kinds = tuple(kinds)
    if all(kind in SCALARS for kind in kinds):       # the many small ones (a link, a heading), quickly
        def read_flat(data):
            if type(data) is not list or tuple(map(type, data)) != kinds:
                raise ValueError(f"expected a list of {', '.join(kind.__name__ for kind in kinds)}")
            return make(*data)
        return read_flat
    readers = [plain_reader(kind) for kind in kinds]
    return lambda data: make(*[read(part) for read, part in zip(readers, _list(data, len(readers)))])


def _list(data: Any, length: int | None = None) -> list:
    if type(data) is not list or (length is not None and len(data) != length):
        raise ValueError("expected a list" + (f" of {length}" if length is not None else ""))
    return data
