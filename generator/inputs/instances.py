"""Load and validate the instance files (territory and communes) into model values."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import AtfpbError, Collector, DataError, Location, shown
from ..model.territory import (
    CityContract,
    Commune,
    Epci,
    Holding,
    Landlord,
    Period,
    Qpv,
    State,
    Territory,
)
from ..text import slugify, visible
from ..typography import french_of
from .options import COMMUNE_OPTIONS, commitments, commune_options, optional_text, signature_mode, siren
from .referentials import OLD_QPV_CODE, QPV_CODE, official_communes, qpv_reference
from .roles import read_deliberation, read_role
from .yaml_reader import Value, read_yaml

TERRITORY_FILE = "territoire.yaml"
COMMUNES_DIR = "communes"
COMMUNE_FIELDS = {"nom", "insee", "maire", "deliberation", "qpv", "bailleurs"}
COMMUNE_OPTIONAL = {"priorites", "diagnostic", "modalites_locales", *COMMUNE_OPTIONS}


def load_territory(instances: Path, root: Path, only: Sequence[str] = ()) -> Territory:
    """Read the territory file and the commune files (all, or only the communes named); raise every problem found.

    A commune named in `only` is looked for first in the file named after it (« raismes.yaml »), so that a
    command about one commune is not stopped by another commune's broken file.
    """
    problems = Collector()
    territory_path = instances / TERRITORY_FILE
    if not territory_path.is_file():
        raise DataError("fichier du territoire introuvable.", Location(shown(territory_path, root)))
    shared = problems.attempt(lambda: _read_territory(read_yaml(territory_path, shown(territory_path, root))))
    commune_paths = _commune_paths(instances / COMMUNES_DIR, only)
    if not commune_paths:
        problems.add(DataError("aucun fichier de commune (*.yaml).", Location(shown(instances / COMMUNES_DIR, root))))
    communes: list[Commune] = []
    for path in commune_paths:
        value = problems.attempt(lambda p=path: read_yaml(p, shown(p, root)))  # type: ignore[misc]
        if value is not None and shared is not None:
            commune = problems.attempt(lambda v=value: _read_commune(v, shared, problems))  # type: ignore[misc]
            if commune is not None:
                communes.append(commune)
    problems.extend(_duplicate_communes(communes))
    problems.raise_any()
    assert shared is not None
    epci, etat, contrat, periode, bailleurs = shared
    return Territory(epci, etat, contrat, periode, bailleurs, tuple(sorted(communes, key=lambda c: c.slug)))


def _commune_paths(folder: Path, only: Sequence[str]) -> list[Path]:
    """Every commune file, or the files named after the communes wanted when each has one."""
    paths = sorted(folder.glob("*.yaml"))
    by_slug = {slugify(path.stem): path for path in paths}
    wanted = [by_slug.get(slugify(name)) for name in only]
    if only and all(path is not None for path in wanted):
        return sorted({path for path in wanted if path is not None})
    return paths


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
    f = value.mapping(
        {"nom", "nom_officiel", "siren", "siege", "president"}, {"direction", "charge_de_suivi", "actions_soutenues"}
    )
    number = f["siren"].text()
    if not (number.isdigit() and len(number) == 9):
        raise f["siren"].error(f"le SIREN doit compter 9 chiffres (lu : « {number} »).")
    if number not in {c.siren_epci for c in official_communes().values()}:
        raise f["siren"].error(f"aucun EPCI à fiscalité propre n'a le SIREN {number}.")
    return Epci(
        f["nom"].text(confirmable=True),
        f["nom_officiel"].text(confirmable=True),
        number,
        f["siege"].text(confirmable=True),
        read_role(f["president"]),
        direction=optional_text(f, "direction"),
        charge_de_suivi=optional_text(f, "charge_de_suivi"),
        actions_soutenues=f["actions_soutenues"].text_list(confirmable=True) if "actions_soutenues" in f else (),
    )


def _read_state(value: Value) -> State:
    f = value.mapping({"departement", "prefet"}, {"services"})
    return State(f["departement"].text(confirmable=True), read_role(f["prefet"]), optional_text(f, "services"))


def _read_contract(value: Value) -> CityContract:
    f = value.mapping(
        {"nom", "deliberation", "date_signature", "signataires", "orientations"},
        {"debut", "fin", "axe_atfpb", "ambitions", "document_communal"},
    )
    orientations = f["orientations"].text_list(confirmable=True)
    axis = f["axe_atfpb"].integer(1) if "axe_atfpb" in f else None
    if axis is not None and axis > len(orientations):
        raise f["axe_atfpb"].error(
            f"« axe_atfpb » est le numéro d'une des {len(orientations)} orientations du contrat (lu : {axis})."
        )
    return CityContract(
        f["nom"].text(confirmable=True),
        read_deliberation(f["deliberation"]),
        f["date_signature"].date(confirmable=True, may_be_unknown=True),
        f["signataires"].text_list(confirmable=True),
        orientations,
        debut=f["debut"].integer(2000) if "debut" in f else None,
        fin=f["fin"].integer(2000) if "fin" in f else None,
        axe_atfpb=axis,
        ambitions=f["ambitions"].text_list(confirmable=True) if "ambitions" in f else (),
        document_communal=optional_text(f, "document_communal"),
    )


def _read_period(value: Value) -> Period:
    f = value.mapping({"debut", "fin", "date_document"}, {"signature"})
    debut, fin = f["debut"].integer(2000), f["fin"].integer(2000)
    if fin < debut:
        raise f["fin"].error(f"l'année de fin ({fin}) précède l'année de début ({debut}).")
    return Period(debut, fin, f["date_document"].date(confirmable=True), signature_mode(f))


LANDLORD_OPTIONAL = {"priorites", "engagements", "autres_noms", "article", "siren", "siege", "outil_suivi"}


def _read_landlord(value: Value) -> Landlord:
    f = value.mapping({"nom", "nom_court", "representant"}, LANDLORD_OPTIONAL)
    nom = f["nom"].text()
    return Landlord(
        slug=slugify(nom),
        nom=nom,
        nom_court=f["nom_court"].text(confirmable=True),
        representant=read_role(f["representant"]),
        priorites=tuple(item.text(confirmable=True) for item in _items(f, "priorites")),
        engagements=commitments(f),
        autres_noms=tuple(item.text() for item in _items(f, "autres_noms")),
        article=_read_article(f["article"]) if "article" in f else "",
        siren=siren(f["siren"]) if "siren" in f else "",
        siege=optional_text(f, "siege"),
        outil_suivi=optional_text(f, "outil_suivi"),
    )


LANDLORD_ARTICLES = ("la", "le", "les", "l'")


def _read_article(value: Value) -> str:
    """The article a landlord's name takes in a sentence (« la Société … »); none is written « article: » left out."""
    article = value.text().replace("’", "'").strip()
    if article not in LANDLORD_ARTICLES:
        raise value.error(
            f"« article » vaut « la », « le », « les » ou « l' » (lu : « {article} ») ; "
            "sans article (« Partenord Habitat »), retirez la ligne."
        )
    return article


def _items(fields: dict[str, Value], key: str) -> list[Value]:
    return list(fields[key].items()) if key in fields else []


# --- communes ----------------------------------------------------------------------------
def _read_commune(root: Value, shared: _Shared, problems: Collector) -> Commune:
    """A commune file, read once: its fields, then the checks across them (official name, EPCI, QPV, dwellings)."""
    f = root.mapping(COMMUNE_FIELDS, COMMUNE_OPTIONAL)
    nom = unicodedata.normalize("NFC", f["nom"].text())
    qpv_items = list(f["qpv"].items())
    qpv = tuple(_read_qpv_code(item) for item in qpv_items)
    insee = f["insee"].text()
    maire = read_role(f["maire"], default_qualite=f"Maire {french_of(nom)}")
    deliberation = read_deliberation(f["deliberation"])
    holdings = [_read_holding(item, shared[4]) for item in f["bailleurs"].items()]
    commune = Commune(
        slug=slugify(nom),
        nom=nom,
        insee=insee,
        maire=maire,
        deliberation=deliberation,
        qpv=qpv,
        patrimoine=tuple(holding for holding, _fields in holdings),
        priorites=tuple(item.text(confirmable=True) for item in _items(f, "priorites")),
        diagnostic=f["diagnostic"].optional_text(confirmable=True) if "diagnostic" in f else "",
        modalites_locales=tuple(item.text(confirmable=True) for item in _items(f, "modalites_locales")),
        source=root.file,
        options=commune_options(f, (shared[3].debut, shared[3].fin)),
    )
    problems.extend(_identity_problems(f, commune, shared[0]))
    problems.extend(_qpv_problems(qpv_items, commune))
    problems.extend(_holding_problems(holdings, {q.code for q in commune.qpv}))
    return commune


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


_HoldingRead = tuple[Holding, dict[str, Value]]


def _read_holding(value: Value, landlords: tuple[Landlord, ...]) -> _HoldingRead:
    """A landlord's dwellings, with the fields they were read from (for the checks across fields)."""
    f = value.mapping({"nom", "logements"}, {"convention_signee_le"})
    landlord = landlord_named(landlords, f["nom"].text(), f["nom"].error)
    dwellings = tuple(
        (key.text().upper(), count.integer(0, confirmable=True)) for key, count in f["logements"].free_mapping()
    )
    signed = f["convention_signee_le"].date(confirmable=True) if "convention_signee_le" in f else None
    return Holding(landlord.slug, dwellings, signed), f


def landlord_named(landlords: tuple[Landlord, ...], name: str, error: Callable[[str], DataError]) -> Landlord:
    """The landlord a data file names (by any of its names), or an error suggesting the closest one."""
    found = next((b for b in landlords if b.is_named(name)), None)
    if found is None:
        slugs = {slugify(n): b for b in landlords for n in (b.slug, *b.names)}
        close = difflib.get_close_matches(slugify(name), list(slugs), n=1, cutoff=0.5)
        hint = f" Vouliez-vous dire « {slugs[close[0]].nom} » ?" if close else ""
        raise error(f"bailleur « {name} » inconnu du fichier du territoire.{hint}")
    return found


def _identity_problems(f: dict[str, Value], commune: Commune, epci: Epci) -> list[AtfpbError]:
    """The official name of the commune and its membership of the EPCI, from the national referential."""
    nom, insee = commune.nom, commune.insee
    official = official_communes().get(insee)
    if official is None:
        return [f["insee"].error(f"aucune commune n'a le code INSEE « {insee} ».")]
    problems: list[AtfpbError] = []
    if unicodedata.normalize("NFC", official.nom) != nom:
        problems.append(
            f["nom"].error(f"le nom officiel de la commune {insee} est « {official.nom} », pas « {visible(nom)} ».")
        )
    if official.siren_epci != epci.siren:
        problems.append(f["insee"].error(f"la commune {official.nom} n'est pas membre de {epci.nom}."))
    return problems


def _qpv_problems(items: list[Value], commune: Commune) -> list[AtfpbError]:
    """Each QPV cited once, and covering the commune."""
    problems: list[AtfpbError] = []
    seen: set[str] = set()
    insee = commune.insee
    for item, quarter in zip(items, commune.qpv, strict=True):
        if quarter.code in seen:
            problems.append(item.error(f"le QPV {quarter.code} est cité deux fois."))
        seen.add(quarter.code)
        if insee not in quarter.insee_communes:
            problems.append(
                item.error(
                    f"le QPV {quarter.code} ({quarter.nom}) ne couvre pas la commune {insee} : "
                    f"il couvre {', '.join(quarter.noms_communes)}."
                )
            )
    return problems


def _holding_problems(holdings: list[_HoldingRead], codes: set[str]) -> list[AtfpbError]:
    """Each landlord cited once, with dwellings only in the commune's QPV, and at least one."""
    problems: list[AtfpbError] = []
    landlords_seen: set[str] = set()
    for holding, fields in holdings:
        if holding.bailleur in landlords_seen:
            problems.append(fields["nom"].error(f"le bailleur « {fields['nom'].text()} » est cité deux fois."))
        landlords_seen.add(holding.bailleur)
        for key, _count in fields["logements"].free_mapping():
            if key.text().upper() not in codes:
                problems.append(key.error(f"le QPV {key.text()} n'est pas dans la liste « qpv » de la commune."))
        if sum(count for _code, count in holding.logements) == 0:
            problems.append(
                fields["logements"].error("aucun logement éligible : retirez ce bailleur ou corrigez les nombres.")
            )
    return problems


def _duplicate_communes(communes: list[Commune]) -> list[AtfpbError]:
    """The same commune described by two files."""
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
