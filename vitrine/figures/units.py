"""The units figures are stored in, as a reader reads them: German words on German pages,
singular for one ("1 Konto") and plural otherwise ("2 Konten"), percentage points for a change
of a percentage. The stored unit stays the code the imports write ("accounts")."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import ngettext, npgettext

SEATS = "seats"
ACCOUNTS = "accounts"
DAYS = "days"
PERCENT = "%"

# The word of each unit for a count (ngettext picks the form the language needs).
_WORDS = {
    SEATS: lambda n: npgettext("unit", "seat", "seats", n),
    ACCOUNTS: lambda n: npgettext("unit", "account", "accounts", n),
    DAYS: lambda n: npgettext("unit", "day", "days", n),
}


def _count(value: float | Decimal | None, decimals: int) -> int:
    """The count a plural form is chosen by: 1 only for a value that reads as exactly 1."""
    if value is None:
        return 2
    return 1 if decimals == 0 and abs(round(float(value), 0)) == 1 else 2


class Unit(str):
    """A unit's word for many (an axis label, a column heading) that knows its other forms.

    It is a string, so it goes wherever a unit label went; `for_value` gives the form that
    fits a value ("Konto" for 1). Units the imports do not write read as they are written.
    """

    code: str

    def __new__(cls, code: str) -> Unit:
        code = (code or "").strip()
        words = _WORDS.get(code)
        unit = super().__new__(cls, words(2) if words else code)
        unit.code = code
        return unit

    def for_value(self, value: float | Decimal | None, decimals: int = 0) -> str:
        words = _WORDS.get(self.code)
        return words(_count(value, decimals)) if words else str(self)


def unit_name(code: str, value: float | Decimal | None = None, decimals: int = 0) -> str:
    """The word for a stored unit code, fitting `value` (plural without one): "Konten"."""
    return Unit(code).for_value(value, decimals)


def decimals_of(value: float | Decimal | None) -> int:
    """0 for a whole number, else 1: what the singular-or-plural choice needs to know."""
    if value is None:
        return 0
    return 0 if Decimal(str(value)) == Decimal(str(value)).to_integral_value() else 1


def unit_for(code: str, value: float | Decimal | None) -> str:
    """The word for a stored unit beside a stored value: "Konto" beside 1, "Tage" beside 1,5,
    the plural without a value ("Konten")."""
    if value is None:
        return str(Unit(code))
    return unit_name(code, value, decimals_of(value))


def points_text(change: str, value: float | Decimal, decimals: int = 0) -> str:
    """A change of a percentage, in points: "+18,2 Prozentpunkte", "+1 Prozentpunkt"."""
    return ngettext(
        "%(change)s percentage point", "%(change)s percentage points", _count(value, decimals)
    ) % {"change": change}
