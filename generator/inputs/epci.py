"""The EPCI referential: names (short, official), type, member communes and population; found by SIREN or name."""

from __future__ import annotations

import csv
import difflib
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from ..errors import DataError, Location
from ..model.territory import Territory
from ..text import fold
from ..typography import french_of
from .departements import Departement, departements
from .referentials import DATA, official_communes

TYPE_NAMES = {"CA": "Communauté d'agglomération", "CC": "Communauté de communes", "CU": "Communauté urbaine"}
# A leading preposition with an article gives the short name its article back: « de la Porte du Hainaut ».
_ARTICLES = (("de la ", "La "), ("de l'", "L'"), ("du ", "Le "), ("des ", "Les "))
_SAYS_ITS_TYPE = re.compile(r"\b(Communauté|Agglo\w*)\b")  # « Métropole » alone does not: « Chartres Métropole »
_TRAILING_BRACKET = re.compile(r"\s*\(([^()]*)\)$")


@dataclass(frozen=True)
class Member:
    """A member commune of an EPCI, as the referential gives it."""

    insee: str
    nom: str
    departement: str
    population: int


@dataclass(frozen=True)
class EpciEntry:
    """An EPCI à fiscalité propre of the referential."""

    siren: str
    referential_name: str  # « CA Valenciennes Métropole »
    type: str  # CA, CC, CU, METRO, MET69
    members: tuple[Member, ...]

    @property
    def names(self) -> EpciNames:
        return epci_names(self.referential_name, self.type)

    @property
    def shown(self) -> str:
        """« Valenciennes Métropole (245901160) »."""
        return f"{self.names.nom} ({self.siren})"


@dataclass(frozen=True)
class EpciNames:
    """The names an EPCI takes in the documents, derived from the referential's abbreviated name."""

    nom: str  # the short name used in sentences: « Valenciennes Métropole », « La Porte du Hainaut »
    nom_officiel: str  # the type spelt out: « Communauté d'agglomération de la Porte du Hainaut »
    de: str  # the short name after « de »: « de La Porte du Hainaut », « du Grand Avignon »

    @property
    def dans(self) -> str:
        """The short name after « dans » or « à »: « Valenciennes Métropole », « le Grand Avignon », « la CINOR »."""
        for de, article in (("du ", "le "), ("des ", "les "), ("de ", ""), ("d'", "")):
            if self.de.startswith(de):
                return article + self.de[len(de) :]
        return self.de


@cache
def epci_reference() -> dict[str, EpciEntry]:
    """Every EPCI à fiscalité propre, by SIREN, with its member communes."""
    members: dict[str, list[Member]] = {}
    heads: dict[str, tuple[str, str]] = {}
    with open(DATA / "epci-communes.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            heads.setdefault(row["siren_epci"], (row["nom_epci"], row["type_epci"]))
            member = Member(row["insee_commune"], row["nom_commune"], row["departement"], int(row["population"] or 0))
            members.setdefault(row["siren_epci"], []).append(member)
    return {siren: EpciEntry(siren, *heads[siren], tuple(found)) for siren, found in members.items()}


@cache
def epci_names(referential_name: str, kind: str) -> EpciNames:
    """Short and official names from « CA de la Porte du Hainaut », « CU d'Arras », « Toulouse Métropole »…"""
    name, bracket = _split_bracket(_clean(referential_name))
    spelt = TYPE_NAMES.get(kind)
    if spelt is None:  # a métropole: its name already says what it is
        return EpciNames(name, name, name_after_de(name))
    rest = name.removeprefix(kind + " ").strip('"')
    short, official = _short_and_official(rest, spelt)
    if bracket and not bracket.isupper():  # « CIVIS (Communauté Intercommunale des Villes Solidaires) »
        official = f"{official} ({bracket})"
    elif bracket and official.startswith("Communauté intercommunale"):  # « (CINOR) »: the name in use
        short = bracket
    return EpciNames(short, official, name_after_de(short))


def _short_and_official(rest: str, spelt: str) -> tuple[str, str]:
    """The names of « Valenciennes Métropole », « de la Porte du Hainaut », « d'Arras »… after the type."""
    article = next(((prep, art) for prep, art in _ARTICLES if rest.startswith(prep)), None)
    if article is not None:
        return article[1] + rest[len(article[0]) :], f"{spelt} {rest}"
    if rest.startswith("Intercommunale "):  # « CA Intercommunale du Nord de la Réunion »
        official = "Communauté intercommunale " + rest.removeprefix("Intercommunale ")
        return official, official
    if rest.startswith(("de ", "d'")):  # « CU d'Arras »: « Arras » alone would name the town
        return f"{spelt} {rest}", f"{spelt} {rest}"
    if _SAYS_ITS_TYPE.search(rest):  # « Lorient Agglomération », « Vitré Communauté »
        return rest, rest
    return rest, f"{spelt} {rest}"


def _clean(name: str) -> str:
    """Spaces collapsed, ''quoted'' words in French quotes."""
    return re.sub(r"''(.+?)''", r"« \1 »", " ".join(name.split()))


def _split_bracket(name: str) -> tuple[str, str]:
    """« CA du Grand Avignon (COGA) » -> (« CA du Grand Avignon », « COGA »)."""
    found = _TRAILING_BRACKET.search(name)
    return (name[: found.start()], found.group(1)) if found else (name, "")


def name_after_de(name: str) -> str:
    """« de Valenciennes Métropole », « du Grand Avignon », « de la Métropole de Lyon », « de la CINOR »."""
    if name.startswith(("Communauté", "Métropole")) or (name.isupper() and " " not in name):  # la communauté
        return f"de l'{name}" if name[0] in "AEIOUYÉ" else f"de la {name}"
    if name.startswith("Eurométropole"):
        return f"de l'{name}"
    return french_of(name)


def population_by_departement(epci: EpciEntry) -> list[tuple[Departement, int]]:
    """The départements the EPCI spans, the most populated first."""
    population: Counter[str] = Counter()
    for member in epci.members:
        population[member.departement] += member.population
    ordered = sorted(population.items(), key=lambda item: (-item[1], item[0]))
    return [(departements()[code], count) for code, count in ordered]


# --- finding an EPCI -----------------------------------------------------------------------------
def find_epci(siren_or_name: str) -> EpciEntry:
    """The EPCI of a SIREN, or of a name matching one EPCI exactly; otherwise an error suggesting close ones."""
    wanted = siren_or_name.strip()
    reference = epci_reference()
    compact = wanted.replace(" ", "")
    if compact in reference:
        return reference[compact]
    named = [epci for epci in reference.values() if fold(wanted) in _folded_names(epci)]
    if len(named) == 1:
        return named[0]
    if named:
        listed = ", ".join(epci.shown for epci in named)
        raise DataError(f"plusieurs EPCI s'appellent « {wanted} » : {listed}. Indiquez le SIREN de l'un d'eux.")
    raise DataError(_unknown_message(wanted, compact))


def _folded_names(epci: EpciEntry) -> set[str]:
    names = epci.names
    return {fold(epci.referential_name), fold(names.nom), fold(names.nom_officiel)}


def _unknown_message(wanted: str, compact: str) -> str:
    if compact.isdigit():
        problem = (
            f"aucun EPCI à fiscalité propre n'a le SIREN {compact}."
            if len(compact) == 9
            else f"un SIREN compte 9 chiffres (lu : « {wanted} »)."
        )
        close = difflib.get_close_matches(compact, list(epci_reference()), n=3, cutoff=0.85)
        suggestions = [epci_reference()[siren] for siren in close]
    else:
        problem = f"aucun EPCI à fiscalité propre ne s'appelle « {wanted} »."
        suggestions = _close_by_name(wanted)
    if not suggestions:
        return f"{problem} Indiquez le SIREN de l'EPCI (9 chiffres, sur banatic.interieur.gouv.fr)."
    listed = ", ".join(epci.shown for epci in suggestions)
    return f"{problem} Vouliez-vous dire {listed} ?"


def _close_by_name(wanted: str) -> list[EpciEntry]:
    """EPCI whose names resemble `wanted` or contain it, the closest first (five at most)."""
    by_name: dict[str, EpciEntry] = {}
    for epci in epci_reference().values():
        for name in sorted(_folded_names(epci)):
            by_name.setdefault(name, epci)
    key = fold(wanted)
    close = difflib.get_close_matches(key, list(by_name), n=5, cutoff=0.6)
    containing = sorted(name for name in by_name if len(key) >= 4 and re.search(rf"\b{re.escape(key)}\b", name))
    found: list[EpciEntry] = []
    for name in containing + close:
        if by_name[name] not in found:
            found.append(by_name[name])
    return found[:5]


def quarters_shared_outside(territory: Territory) -> list[DataError]:
    """Warnings, one per commune's quarter that also covers communes of another intercommunality."""
    members, epcis = official_communes(), epci_reference()
    warnings = []
    for commune in territory.communes:
        for qpv in commune.qpv:
            outside = [
                f"{name} ({epcis[members[insee].siren_epci].names.nom})"
                for insee, name in zip(qpv.insee_communes, qpv.noms_communes, strict=True)
                if insee in members
                and members[insee].siren_epci not in (territory.epci.siren, "")
                and members[insee].siren_epci in epcis
            ]
            if outside:
                warnings.append(
                    DataError(
                        f"le QPV {qpv.code} ({qpv.nom}) s'étend aussi sur {', '.join(outside)}, hors de "
                        f"{territory.epci.nom} : la convention précise quelle intercommunalité couvre cette partie ; "
                        "coordonnez-vous avec elle.",
                        Location(commune.source),
                    )
                )
    return warnings
