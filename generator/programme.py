"""Annual programmes of actions (per commune × landlord × year): model, YAML reading, validation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from .errors import AtfpbError, DataError, Location
from .model import Territory
from .slug import slugify
from .typography import french_amount, french_of
from .yamldata import Value, read_yaml

# The eight axes of the national framework (cadre national d'utilisation de l'ATFPB, référentiel juin 2024).
AXES = (
    "Renforcement de la présence du personnel de proximité",
    "Formation spécifique et soutien au personnel de proximité",
    "Sur-entretien",
    "Gestion des déchets et encombrants / épaves",
    "Tranquillité résidentielle",
    "Concertation / sensibilisation des locataires",
    "Animation, lien social, vivre ensemble",
    "Petits travaux d'amélioration de la qualité de service",
)


@dataclass(frozen=True)
class Cofinancing:
    financeur: str
    montant: Decimal


@dataclass(frozen=True)
class Action:
    """One action of the programme; `repartition` splits its valued amount between QPV."""

    axe: int  # 1 to 8
    titre: str
    description: str
    repartition: tuple[tuple[str, Decimal], ...]
    cout_total: Decimal
    montant_valorise: Decimal
    cofinancements: tuple[Cofinancing, ...] = ()
    indicateurs: str = ""
    calendrier: str = ""
    pluriannuelle: bool = False
    where: dict[str, Location] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Programme:
    """A landlord's programme of actions for one commune and one year, with the abatement per QPV."""

    commune: str  # slug
    bailleur: str  # slug
    annee: int
    abattement: tuple[tuple[str, Decimal], ...]
    report: tuple[tuple[str, Decimal], ...]
    actions: tuple[Action, ...]
    source: str
    where: dict[str, Location] = field(default_factory=dict, compare=False, hash=False)
    date_document: date | None = None  # the avenant's date; by default 30 April of its year


def axis_number(text: str) -> int | None:
    """An axis given by its number (« 3 ») or its label, however typed (« Sur-entretien », « 3 - Sur-entretien »)."""
    cleaned = text.strip()
    head = cleaned.split(" ", 1)[0].rstrip(".-)")
    if head.isdigit():
        return int(head) if 1 <= int(head) <= len(AXES) else None
    wanted = slugify(cleaned)
    return next((n for n, label in enumerate(AXES, start=1) if slugify(label) == wanted), None)


def validate(programme: Programme, territory: Territory) -> list[AtfpbError]:
    """Checks across fields, for YAML and workbooks alike: the convention exists, QPV, amounts, year."""
    problems: list[AtfpbError] = []
    where = programme.where
    commune = next((c for c in territory.communes if c.slug == programme.commune), None)
    if commune is None:
        return [DataError(f"commune « {programme.commune} » inconnue des fichiers d'instances.", where.get("commune"))]
    dwellings = commune.convention_qpv(programme.bailleur)
    if dwellings is None:
        return [
            DataError(
                f"aucune convention entre la Ville {french_of(commune.nom)} et ce bailleur.", where.get("bailleur")
            )
        ]
    covered = {code for code, _count in dwellings}
    period = territory.periode
    if not period.debut <= programme.annee <= period.fin:
        problems.append(
            DataError(
                f"l'année {programme.annee} sort de la période de la convention ({period.debut}-{period.fin}).",
                where.get("annee"),
            )
        )
    for label, amounts in (("abattement", programme.abattement), ("report", programme.report)):
        for code, _amount in amounts:
            if code not in covered:
                problems.append(
                    DataError(
                        f"le QPV {code} n'est pas couvert par la convention ({label}).", where.get(f"{label}:{code}")
                    )
                )
    if not programme.abattement:
        problems.append(
            DataError("le montant de l'abattement de l'année n'est indiqué pour aucun QPV.", where.get("abattement"))
        )
    for action in programme.actions:
        problems.extend(_action_problems(action, covered))
    return problems


def _action_problems(action: Action, covered: set[str]) -> list[AtfpbError]:
    problems: list[AtfpbError] = []
    where = action.where
    for code, _amount in action.repartition:
        if code not in covered:
            problems.append(DataError(f"le QPV {code} n'est pas couvert par la convention.", where.get("qpv")))
    if action.montant_valorise > action.cout_total:
        problems.append(
            DataError(
                f"le montant valorisé ({french_amount(action.montant_valorise)}) dépasse le coût total "
                f"({french_amount(action.cout_total)}).",
                where.get("montant_valorise"),
            )
        )
    split = sum((amount for _code, amount in action.repartition), Decimal(0))
    if len(action.repartition) > 1 and split != action.montant_valorise:
        problems.append(
            DataError(
                f"la répartition entre QPV ({french_amount(split)}) ne correspond pas au montant valorisé "
                f"({french_amount(action.montant_valorise)}).",
                where.get("qpv"),
            )
        )
    return problems


# --- YAML --------------------------------------------------------------------------------
ACTION_FIELDS = {"axe", "titre", "qpv", "cout_total", "montant_valorise"}
ACTION_OPTIONAL = {"description", "cofinancements", "indicateurs", "calendrier", "pluriannuelle"}


def read_programme_yaml(path: Path, shown_as: str, territory: Territory) -> Programme:
    """A programme written in YAML (see instances/programmes/)."""
    root = read_yaml(path, shown_as)
    f = root.mapping({"commune", "bailleur", "annee", "abattement", "actions"}, {"report", "date_document"})
    commune, landlord = _commune_slug(f["commune"], territory), _landlord_slug(f["bailleur"], territory)
    where = {
        "commune": f["commune"].location,
        "bailleur": f["bailleur"].location,
        "annee": f["annee"].location,
        "abattement": f["abattement"].location,
    }
    amounts = {}
    for label in ("abattement", "report"):
        pairs = []
        for key, value in f[label].free_mapping() if label in f and not f[label].is_null() else ():
            code = key.text().upper()
            where[f"{label}:{code}"] = key.location
            pairs.append((code, value.amount()))
        amounts[label] = tuple(pairs)
    return Programme(
        commune=commune,
        bailleur=landlord,
        annee=f["annee"].integer(2000),
        abattement=amounts["abattement"],
        report=amounts["report"],
        actions=tuple(_read_action(item) for item in f["actions"].items()),
        source=shown_as,
        where=where,
        date_document=f["date_document"].date() if "date_document" in f else None,
    )


def _commune_slug(value: Value, territory: Territory) -> str:
    slug = slugify(value.text())
    if slug not in {c.slug for c in territory.communes}:
        raise value.error(f"commune « {value.text()} » inconnue des fichiers d'instances.")
    return slug


def _landlord_slug(value: Value, territory: Territory) -> str:
    by_name = {slugify(n): b.slug for b in territory.bailleurs for n in (*b.names, b.slug)}
    if slugify(value.text()) not in by_name:
        raise value.error(f"bailleur « {value.text()} » inconnu du fichier du territoire.")
    return by_name[slugify(value.text())]


def _read_action(value: Value) -> Action:
    f = value.mapping(ACTION_FIELDS, ACTION_OPTIONAL)
    axis = axis_number(f["axe"].scalar_text())
    if axis is None:
        raise f["axe"].error(f"axe inconnu « {f['axe'].scalar_text()} » : un numéro de 1 à 8 ou l'intitulé d'un axe.")
    valued = f["montant_valorise"].amount()
    qpv = f["qpv"]
    if qpv.is_mapping():  # an action over several QPV gives its split
        split = tuple((key.text().upper(), amount.amount()) for key, amount in qpv.free_mapping())
    else:
        split = ((qpv.text().upper(), valued),)
    cofinancing = tuple(
        Cofinancing(c["financeur"].text(), c["montant"].amount())
        for c in (
            item.mapping({"financeur", "montant"})
            for item in (f["cofinancements"].items() if "cofinancements" in f else ())
        )
    )
    return Action(
        axe=axis,
        titre=f["titre"].text(),
        description=f["description"].optional_text() if "description" in f else "",
        repartition=split,
        cout_total=f["cout_total"].amount(),
        montant_valorise=valued,
        cofinancements=cofinancing,
        indicateurs=f["indicateurs"].optional_text() if "indicateurs" in f else "",
        calendrier=f["calendrier"].optional_text() if "calendrier" in f else "",
        pluriannuelle=f["pluriannuelle"].boolean() if "pluriannuelle" in f else False,
        where={name: v.location for name, v in f.items()},
    )
