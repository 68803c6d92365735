"""WCAG 2.1 contrast ratios, and a suggestion for a colour that fails them."""

import math
import re

HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{6})$")
AA_NORMAL_TEXT = 4.5


def parse_hex(colour: str) -> tuple[int, int, int]:
    """Parse "#rrggbb" into its channels; raises ValueError on anything else."""
    if not HEX_COLOUR.match(colour or ""):
        raise ValueError(colour)
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    r, g, b = parse_hex(colour)
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def shown_ratio(ratio: float) -> float:
    """A ratio cut (not rounded) to two decimals, so 4.499 never reads as a passing 4.50."""
    return math.floor(ratio * 100) / 100


def contrast_ratio(foreground: str, background: str) -> float:
    """The WCAG contrast ratio between two colours, from 1 to 21."""
    a, b = relative_luminance(foreground), relative_luminance(background)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def _to_hex(rgb) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def suggest_passing(colour: str, against: str, minimum: float = AA_NORMAL_TEXT) -> str:
    """The nearest shade of `colour` (darker or lighter) reaching `minimum` against `against`."""
    if contrast_ratio(colour, against) >= minimum:
        return colour.lower()
    rgb = parse_hex(colour)
    darken = relative_luminance(against) > 0.18
    target = (0, 0, 0) if darken else (255, 255, 255)
    for step in range(1, 101):
        t = step / 100
        candidate = _to_hex(c + (goal - c) * t for c, goal in zip(rgb, target, strict=True))
        if contrast_ratio(candidate, against) >= minimum:
            return candidate
    return _to_hex(target)
