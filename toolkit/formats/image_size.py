"""The proportions of a PNG or SVG image, read from the file itself (for the logo checks).

A PNG's width and height in pixels are in its first chunk (IHDR), 16 bytes in. An SVG's
come from the width and height of its <svg> tag when both are absolute lengths (a
number, or a number in px, pt, pc, mm, cm or in), else from its viewBox: what a browser
takes as the proportions of an <img> showing the SVG. The SVG is not parsed as XML,
only its opening tag is read, so nothing in it is expanded or fetched.
"""
from __future__ import annotations

import re
import struct

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SVG_TAG = re.compile(r"<svg\b([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = r"""(?<![\w:.-]){name}\s*=\s*(["'])(.*?)\1"""
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(px|pt|pc|mm|cm|in)?\s*$")
_PIXELS = {None: 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}


class UnknownSize(ValueError):
    """The file's proportions cannot be read; the message says why, for a person."""


def image_size(data: bytes, name: str) -> tuple[float, float]:
    """(width, height) of the PNG or SVG `data`, whose file is called `name`; UnknownSize if unreadable."""
    if name.lower().endswith(".png"):
        return _png_size(data)
    return _svg_size(data)


def _png_size(data: bytes) -> tuple[float, float]:
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR" or len(data) < 24:
        raise UnknownSize("is not a PNG image, although its name ends in .png")
    width, height = struct.unpack(">II", data[16:24])
    if not width or not height:
        raise UnknownSize("is a PNG image with no pixels")
    return float(width), float(height)


def _svg_size(data: bytes) -> tuple[float, float]:
    tag = _SVG_TAG.search(data[:65536].decode("utf-8", errors="replace"))
    if not tag:
        raise UnknownSize("has no <svg> tag, so it is not an SVG image")
    attributes = tag.group(1)
    width, height = _length(attributes, "width"), _length(attributes, "height")
    if width and height:
        return width, height
    box = _attribute(attributes, "viewBox")
    numbers = re.split(r"[\s,]+", box.strip()) if box else []
    try:
        box_width, box_height = float(numbers[2]), float(numbers[3])
    except (IndexError, ValueError):
        box_width = box_height = 0.0
    if len(numbers) == 4 and box_width > 0 and box_height > 0:
        return box_width, box_height
    raise UnknownSize("has no viewBox, nor a width and height in its <svg> tag, so browsers cannot "
                      "tell its proportions and may draw it squashed")


def _attribute(attributes: str, name: str) -> str | None:
    found = re.search(_ATTRIBUTE.format(name=name), attributes)
    return found.group(2) if found else None


def _length(attributes: str, name: str) -> float:
    """An absolute length in CSS pixels; 0 when there is none (missing, or in %, em...)."""
    found = _LENGTH.match(_attribute(attributes, name) or "")
    return float(found.group(1)) * _PIXELS[found.group(2)] if found else 0.0
