"""Signatories (roles held by people over periods) and deliberations, as the instance files write them."""

from __future__ import annotations

from datetime import date

from ..model.territory import Deliberation, Holder, Role
from ..pending import UNKNOWN_DATE, PendingDate, PendingText, combined
from .yaml_reader import PENDING_TAG, Value

CIVILITES = ("M.", "Mme")


def _items(fields: dict[str, Value], key: str) -> list[Value]:
    return list(fields[key].items()) if key in fields else []


def read_role(value: Value, default_qualite: str | None = None) -> Role:
    """A signatory's role and its holders; « maire: !a_confirmer » is a role whose holder is still to confirm."""
    if default_qualite and value.is_null():
        unknown = PendingText("", value.location, value.label) if value.pending else None
        return Role(default_qualite, f"le {default_qualite}", to_confirm=unknown)
    optional = {"titulaires", "determinant", "par_delegation"} | ({"qualite"} if default_qualite else set())
    f = value.mapping(set() if default_qualite else {"qualite"}, optional)
    qualite = _known(f["qualite"]) if "qualite" in f else default_qualite
    assert qualite is not None
    holders = _read_holders(f)
    unknown = PendingText("", value.location, value.label) if value.pending and not holders else None
    delegate = _read_delegate(f["par_delegation"]) if "par_delegation" in f else None
    return Role(qualite, _with_determinant(f, qualite), holders, unknown, delegate)


def _read_delegate(value: Value) -> Role:
    """Who signs by delegation: a role of its own (« Sous-préfet de Valenciennes ») and, if known, its holders."""
    f = value.mapping({"qualite"}, {"titulaires", "determinant"})
    qualite = _known(f["qualite"])
    return Role(qualite, _with_determinant(f, qualite), _read_holders(f))


def _with_determinant(f: dict[str, Value], qualite: str) -> str:
    """The role as sentences name it: « le Préfet du Nord », « la Présidente de … »."""
    determinant = f["determinant"].text() if "determinant" in f else "le"
    if determinant not in ("le", "la"):
        raise f["determinant"].error("« determinant » vaut « le » ou « la ».")
    return combined(f"{determinant} {qualite}", qualite)


def _read_holders(f: dict[str, Value]) -> tuple[Holder, ...]:
    holders = tuple(_read_holder(item) for item in _items(f, "titulaires"))
    _refuse_overlaps(holders, f.get("titulaires"))
    return holders


def _known(value: Value) -> str:
    """A text that may be provisional (« !a_confirmer Préfet du Nord ») but not unknown: a document needs it."""
    text = value.text(confirmable=True)
    if not text:
        raise value.error(
            f"« {value.label} » à confirmer : indiquez une valeur provisoire après {PENDING_TAG} "
            "(elle paraîtra marquée « à confirmer » dans les projets)."
        )
    return text


def _read_holder(value: Value) -> Holder:
    f = value.mapping({"civilite", "prenom", "nom"}, {"du", "au"})
    civilite = _known(f["civilite"])
    if civilite not in CIVILITES:
        raise f["civilite"].error(f"la civilité s'écrit « M. » ou « Mme » (lu : « {civilite} »).")
    du = f["du"].date(confirmable=True) if "du" in f and not f["du"].is_null() else None
    au = f["au"].date(confirmable=True) if "au" in f and not f["au"].is_null() else None
    if du and au and au < du:
        raise f["au"].error("la fin du mandat précède son début.")
    return Holder(civilite, _known(f["prenom"]), _known(f["nom"]), du, au)


def _refuse_overlaps(holders: tuple[Holder, ...], value: Value | None) -> None:
    for i, first in enumerate(holders):
        for second in holders[i + 1 :]:
            first_end, second_end = first.au or date.max, second.au or date.max
            first_start, second_start = first.du or date.min, second.du or date.min
            if first_start <= second_end and second_start <= first_end:
                assert value is not None
                raise value.error(
                    f"les mandats de {first.personne} et de {second.personne} se chevauchent : "
                    "indiquez les dates « du » et « au »."
                )


def read_deliberation(value: Value) -> Deliberation:
    """A deliberation; its number or date may be unknown yet (empty, or « deliberation: !a_confirmer »)."""
    if value.pending and value.is_null():
        return Deliberation(
            PendingText("", value.location, "numero"), PendingDate(UNKNOWN_DATE, value.location, "date")
        )
    f = value.mapping({"numero", "date"})
    return Deliberation(f["numero"].text(confirmable=True), f["date"].date(confirmable=True, may_be_unknown=True))
