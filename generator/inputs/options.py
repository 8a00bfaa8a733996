"""Clause options read from the instance files: each checked against its possible values, at its location."""

from __future__ import annotations

import re

from ..model.territory import BILAN_VALIDATORS, SIGNATURE_MODES, Block, Commitment, CommuneOptions
from ..pending import like
from ..text import slugify
from .yaml_reader import Value

COMMUNE_OPTIONS = {
    "veto",
    "validation_bilan",
    "mise_a_jour_diagnostic",
    "comite_technique",
    "comite_suivi_local",
    "siren",
    "siege",
}
MAX_MEETINGS = 12  # a local committee meets at most monthly
_ITEM = re.compile(r"^\s*[-–•]\s+")


def choice(value: Value, possible: tuple[str, ...], confirmable: bool = False) -> str:
    """One of the `possible` values (written with spaces, dashes or accents as people type them: « conseil
    municipal », « électronique »); anything else is refused with the list of possible values."""
    written = value.text(confirmable)
    key = slugify(written).replace("-", "_")
    if key not in possible:
        quoted = [f"« {p} »" for p in possible]
        listed = f"{', '.join(quoted[:-1])} ou {quoted[-1]}" if len(quoted) > 1 else quoted[0]
        raise value.error(f"« {value.label} » vaut {listed} (lu : « {written} »).")
    return like(written, key)


def siren(value: Value) -> str:
    """A SIREN number: nine digits whose check digit is right (spaces allowed: « 200 042 190 »)."""
    digits = value.text().replace(" ", "").replace("\u00a0", "")
    if not (digits.isdigit() and len(digits) == 9):
        raise value.error(f"le SIREN doit compter 9 chiffres (lu : « {value.text()} »).")
    if not _luhn(digits):
        raise value.error(f"le SIREN « {digits} » n'existe pas (sa clé de contrôle est fausse) : vérifiez-le.")
    return digits


def _luhn(digits: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        doubled = int(digit) * (2 if position % 2 else 1)
        total += doubled - 9 if doubled > 9 else doubled
    return total % 10 == 0


def signature_mode(fields: dict[str, Value]) -> str:
    """« signature: electronique » (the default) or « papier »."""
    return choice(fields["signature"].settled(), SIGNATURE_MODES) if "signature" in fields else SIGNATURE_MODES[0]


def commune_options(fields: dict[str, Value], years: tuple[int, int]) -> CommuneOptions:
    """The options of a commune file (every one optional), the diagnostic's year within the convention's."""
    default = CommuneOptions()
    update = None
    if "mise_a_jour_diagnostic" in fields:
        value = fields["mise_a_jour_diagnostic"]
        update = value.integer(2000, confirmable=True)
        if not years[0] <= update <= years[1]:
            raise value.error(
                f"« mise_a_jour_diagnostic » : une année de la convention, de {years[0]} à {years[1]} (lu : {update})."
            )
    meetings = fields["comite_suivi_local"].integer(0) if "comite_suivi_local" in fields else default.comite_suivi_local
    if meetings > MAX_MEETINGS:
        raise fields["comite_suivi_local"].error(
            f"« comite_suivi_local » : le nombre de réunions par an, de 0 à {MAX_MEETINGS} (lu : {meetings})."
        )
    return CommuneOptions(
        veto=fields["veto"].boolean() if "veto" in fields else default.veto,
        validation_bilan=(
            choice(fields["validation_bilan"], BILAN_VALIDATORS, confirmable=True)
            if "validation_bilan" in fields
            else default.validation_bilan
        ),
        mise_a_jour_diagnostic=update,
        comite_technique=fields["comite_technique"].boolean() if "comite_technique" in fields else True,
        comite_suivi_local=meetings,
        siren=siren(fields["siren"]) if "siren" in fields else "",
        siege=fields["siege"].text(confirmable=True) if "siege" in fields else "",
    )


def optional_text(fields: dict[str, Value], key: str) -> str:
    """A text option that may be left out (an empty one is a value to confirm)."""
    return fields[key].text(confirmable=True) if key in fields else ""


def commitments(fields: dict[str, Value]) -> tuple[Commitment, ...]:
    """A landlord's commitments: headed sections whose text holds paragraphs (separated by an empty line) and
    lists (lines starting with « - »)."""
    found = []
    for item in fields["engagements"].items() if "engagements" in fields else ():
        f = item.mapping({"titre", "texte"})
        found.append(Commitment(f["titre"].text(confirmable=True), blocks(f["texte"])))
    return tuple(found)


def blocks(value: Value) -> tuple[Block, ...]:
    """The paragraphs and lists of a text written in a YAML block (« texte: | »), in order."""
    text = value.text(confirmable=True)
    if not text:  # « texte: !a_confirmer »: a paragraph still unknown
        return (Block(texte=text),)
    result: list[Block] = []
    paragraph: list[str] = []
    items: list[str] = []

    def close() -> None:
        if paragraph:
            result.append(Block(texte=like(text, " ".join(paragraph))))
        if items:
            result.append(Block(liste=tuple(like(text, item) for item in items)))
        paragraph.clear()
        items.clear()

    for line in str(text).splitlines():
        stripped = line.strip()
        if not stripped:
            close()
        elif _ITEM.match(line):
            if paragraph:
                close()
            items.append(_ITEM.sub("", line).strip())
        elif items and line.startswith((" ", "\t")):
            items[-1] += " " + stripped  # a list item's next line
        else:
            if items:
                close()
            paragraph.append(stripped)
    close()
    return tuple(result)
