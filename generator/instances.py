"""Load and validate the instance files (territory and communes) into model values."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from .errors import AtfpbError, DataError, Location, raise_all, shown
from .model import (
    CityContract,
    Commitment,
    Commune,
    Deliberation,
    Epci,
    Holder,
    Holding,
    Landlord,
    Period,
    Qpv,
    Role,
    State,
    Territory,
)
from .referentials import OLD_QPV_CODE, QPV_CODE, official_communes, qpv_reference
from .slug import slugify
from .typography import french_of
from .yamldata import Value, read_yaml

TERRITORY_FILE = "territoire.yaml"
COMMUNES_DIR = "communes"
CIVILITES = ("M.", "Mme")
T = TypeVar("T")


def load_territory(instances: Path, root: Path) -> Territory:
    """Read every instance file; raise all the problems found, each with its location."""
    problems: list[AtfpbError] = []
    territory_path = instances / TERRITORY_FILE
    if not territory_path.is_file():
        raise DataError("fichier du territoire introuvable.", Location(shown(territory_path, root)))
    shared = _collect(problems, lambda: _read_territory(read_yaml(territory_path, shown(territory_path, root))))
    commune_paths = sorted((instances / COMMUNES_DIR).glob("*.yaml"))
    if not commune_paths:
        problems.append(
            DataError("aucun fichier de commune (*.yaml).", Location(shown(instances / COMMUNES_DIR, root)))
        )
    communes: list[Commune] = []
    for path in commune_paths:
        name = shown(path, root)
        value = _collect(problems, lambda p=path, s=name: read_yaml(p, s))  # type: ignore[misc]
        if value is not None and shared is not None:
            commune = _collect(problems, lambda v=value: _read_commune(v, shared))  # type: ignore[misc]
            if commune is not None:
                problems.extend(_commune_problems(commune, value, shared))
                communes.append(commune)
    problems.extend(_duplicate_communes(communes))
    raise_all(problems)
    assert shared is not None
    epci, etat, contrat, periode, bailleurs = shared
    return Territory(epci, etat, contrat, periode, bailleurs, tuple(sorted(communes, key=lambda c: c.slug)))


def _collect(problems: list[AtfpbError], read: Callable[[], T]) -> T | None:
    try:
        return read()
    except AtfpbError as error:
        problems.append(error)
        return None


# --- territory ---------------------------------------------------------------------------
_Shared = tuple[Epci, State, CityContract, Period, tuple[Landlord, ...]]


def _read_territory(root: Value) -> _Shared:
    fields = root.mapping({"epci", "etat", "contrat", "convention", "bailleurs"})
    landlords = tuple(_read_landlord(item) for item in fields["bailleurs"].items())
    seen: dict[str, Landlord] = {}
    for item, landlord in zip(fields["bailleurs"].items(), landlords, strict=True):
        if landlord.slug in seen:
            raise item.error(f"le bailleur « {landlord.nom} » est déjà déclaré.")
        seen[landlord.slug] = landlord
    return (
        _read_epci(fields["epci"]),
        _read_state(fields["etat"]),
        _read_contract(fields["contrat"]),
        _read_period(fields["convention"]),
        landlords,
    )


def _read_epci(value: Value) -> Epci:
    f = value.mapping({"nom", "nom_officiel", "siren", "siege", "president"})
    siren = f["siren"].text()
    if not (siren.isdigit() and len(siren) == 9):
        raise f["siren"].error(f"le SIREN doit compter 9 chiffres (lu : « {siren} »).")
    if siren not in {c.siren_epci for c in official_communes().values()}:
        raise f["siren"].error(f"aucun EPCI à fiscalité propre n'a le SIREN {siren}.")
    return Epci(f["nom"].text(), f["nom_officiel"].text(), siren, f["siege"].text(), _read_role(f["president"]))


def _read_state(value: Value) -> State:
    f = value.mapping({"departement", "prefet"})
    return State(f["departement"].text(), _read_role(f["prefet"]))


def _read_contract(value: Value) -> CityContract:
    f = value.mapping({"nom", "deliberation", "date_signature", "signataires", "orientations"}, {"debut", "fin"})
    return CityContract(
        f["nom"].text(),
        _read_deliberation(f["deliberation"]),
        f["date_signature"].date(),
        f["signataires"].text_list(),
        f["orientations"].text_list(),
        debut=f["debut"].integer(2000) if "debut" in f else None,
        fin=f["fin"].integer(2000) if "fin" in f else None,
    )


def _read_period(value: Value) -> Period:
    f = value.mapping({"debut", "fin", "date_document"})
    debut, fin = f["debut"].integer(2000), f["fin"].integer(2000)
    if fin < debut:
        raise f["fin"].error(f"l'année de fin ({fin}) précède l'année de début ({debut}).")
    return Period(debut, fin, f["date_document"].date())


def _read_landlord(value: Value) -> Landlord:
    f = value.mapping({"nom", "nom_court", "representant"}, {"priorites", "engagements", "autres_noms"})
    nom = f["nom"].text()
    commitments = tuple(
        Commitment(c["titre"].text(), c["texte"].text())
        for c in (item.mapping({"titre", "texte"}) for item in _items(f, "engagements"))
    )
    return Landlord(
        slug=slugify(nom),
        nom=nom,
        nom_court=f["nom_court"].text(),
        representant=_read_role(f["representant"]),
        priorites=tuple(item.text() for item in _items(f, "priorites")),
        engagements=commitments,
        autres_noms=tuple(item.text() for item in _items(f, "autres_noms")),
    )


def _items(fields: dict[str, Value], key: str) -> list[Value]:
    return list(fields[key].items()) if key in fields else []


def _read_role(value: Value, default_qualite: str | None = None) -> Role:
    if default_qualite and value.is_null():
        return Role(default_qualite, f"le {default_qualite}")
    optional = {"titulaires", "determinant"} | ({"qualite"} if default_qualite else set())
    f = value.mapping(set() if default_qualite else {"qualite"}, optional)
    qualite = f["qualite"].text() if "qualite" in f else default_qualite
    assert qualite is not None
    determinant = f["determinant"].text() if "determinant" in f else "le"
    if determinant not in ("le", "la"):
        raise f["determinant"].error("« determinant » vaut « le » ou « la ».")
    holders = tuple(_read_holder(item) for item in _items(f, "titulaires"))
    _refuse_overlaps(holders, f.get("titulaires"))
    return Role(qualite, f"{determinant} {qualite}", holders)


def _read_holder(value: Value) -> Holder:
    f = value.mapping({"civilite", "prenom", "nom"}, {"du", "au"})
    civilite = f["civilite"].text()
    if civilite not in CIVILITES:
        raise f["civilite"].error(f"la civilité s'écrit « M. » ou « Mme » (lu : « {civilite} »).")
    du = f["du"].optional_date() if "du" in f else None
    au = f["au"].optional_date() if "au" in f else None
    if du and au and au < du:
        raise f["au"].error("la fin du mandat précède son début.")
    return Holder(civilite, f["prenom"].text(), f["nom"].text(), du, au)


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


def _read_deliberation(value: Value) -> Deliberation:
    f = value.mapping({"numero", "date"})
    return Deliberation(f["numero"].text(), f["date"].date())


# --- communes ----------------------------------------------------------------------------
def _read_commune(root: Value, shared: _Shared) -> Commune:
    f = root.mapping(
        {"nom", "insee", "maire", "deliberation", "qpv", "bailleurs"},
        {"priorites", "diagnostic", "modalites_locales"},
    )
    nom = unicodedata.normalize("NFC", f["nom"].text())
    qpv = tuple(_read_qpv_code(item) for item in f["qpv"].items())
    landlords = {slugify(name): b for b in shared[4] for name in (b.nom_court, b.nom)}
    return Commune(
        slug=slugify(nom),
        nom=nom,
        insee=f["insee"].text(),
        maire=_read_role(f["maire"], default_qualite=f"Maire {french_of(nom)}"),
        deliberation=_read_deliberation(f["deliberation"]),
        qpv=qpv,
        patrimoine=tuple(_read_holding(item, landlords) for item in f["bailleurs"].items()),
        priorites=tuple(item.text() for item in _items(f, "priorites")),
        diagnostic=f["diagnostic"].optional_text() if "diagnostic" in f else "",
        modalites_locales=tuple(item.text() for item in _items(f, "modalites_locales")),
        source=root.file,
    )


def _read_qpv_code(value: Value) -> Qpv:
    code = value.text().upper()
    if OLD_QPV_CODE.match(code):
        raise value.error(
            f"« {code} » est un code QPV de 2015, obsolète : utilisez le code de la géographie 2024 (QN…)."
        )
    if not QPV_CODE.match(code):
        raise value.error(f"« {code} » n'est pas un code QPV valide (forme attendue : QN05954M).")
    reference = qpv_reference()
    if code not in reference:
        raise value.error(f"le QPV « {code} » n'existe pas dans la géographie prioritaire 2024.")
    return reference[code]


def _read_holding(value: Value, landlords: dict[str, Landlord]) -> Holding:
    f = value.mapping({"nom", "logements"})
    name = f["nom"].text()
    if slugify(name) not in landlords:
        close = difflib.get_close_matches(slugify(name), list(landlords), n=1, cutoff=0.5)
        hint = f" Vouliez-vous dire « {landlords[close[0]].nom} » ?" if close else ""
        raise f["nom"].error(f"bailleur « {name} » inconnu du fichier du territoire.{hint}")
    dwellings = tuple((key.text().upper(), count.integer(0)) for key, count in f["logements"].free_mapping())
    return Holding(landlords[slugify(name)].slug, dwellings)


def _commune_problems(commune: Commune, root: Value, shared: _Shared) -> list[AtfpbError]:
    """Checks across fields: official name, EPCI membership, QPV coverage, dwellings."""
    problems: list[AtfpbError] = []
    f = root.mapping(
        {"nom", "insee", "maire", "deliberation", "qpv", "bailleurs"},
        {"priorites", "diagnostic", "modalites_locales"},
    )
    official = official_communes().get(commune.insee)
    epci = shared[0]
    if official is None:
        problems.append(f["insee"].error(f"aucune commune n'a le code INSEE « {commune.insee} »."))
    else:
        if unicodedata.normalize("NFC", official.nom) != commune.nom:
            problems.append(
                f["nom"].error(
                    f"le nom officiel de la commune {commune.insee} est « {official.nom} », pas « {commune.nom} »."
                )
            )
        if official.siren_epci != epci.siren:
            problems.append(f["insee"].error(f"la commune {official.nom} n'est pas membre de {epci.nom}."))
    seen: set[str] = set()
    for item, qpv in zip(f["qpv"].items(), commune.qpv, strict=True):
        if qpv.code in seen:
            problems.append(item.error(f"le QPV {qpv.code} est cité deux fois."))
        seen.add(qpv.code)
        if commune.insee not in qpv.insee_communes:
            problems.append(
                item.error(
                    f"le QPV {qpv.code} ({qpv.nom}) ne couvre pas la commune {commune.insee} : "
                    f"il couvre {', '.join(qpv.noms_communes)}."
                )
            )
    landlords_seen: set[str] = set()
    for item, holding in zip(f["bailleurs"].items(), commune.patrimoine, strict=True):
        fields = item.mapping({"nom", "logements"})
        if holding.bailleur in landlords_seen:
            problems.append(fields["nom"].error(f"le bailleur « {fields['nom'].text()} » est cité deux fois."))
        landlords_seen.add(holding.bailleur)
        for key, _count in fields["logements"].free_mapping():
            if key.text().upper() not in seen:
                problems.append(key.error(f"le QPV {key.text()} n'est pas dans la liste « qpv » de la commune."))
        if sum(count for _code, count in holding.logements) == 0:
            problems.append(
                fields["logements"].error("aucun logement éligible : retirez ce bailleur ou corrigez les nombres.")
            )
    if not commune.patrimoine:
        problems.append(f["bailleurs"].error("aucun bailleur : une convention est signée par commune et par bailleur."))
    return problems


def _duplicate_communes(communes: list[Commune]) -> list[AtfpbError]:
    by_slug: dict[str, Commune] = {}
    problems: list[AtfpbError] = []
    for commune in communes:
        if commune.slug in by_slug:
            problems.append(
                DataError(
                    f"la commune {commune.nom} est déjà décrite dans {by_slug[commune.slug].source}.",
                    Location(commune.source, 1, 1),
                )
            )
        by_slug.setdefault(commune.slug, commune)
    return problems
