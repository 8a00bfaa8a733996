"""Programmes of actions: their validation against the territory, for YAML and workbooks alike, and the YAML reader."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from ..errors import AtfpbError, DataError, Location
from ..model.programme import (
    AUTHORISING_ACTS,
    Action,
    ActionPlaces,
    Authorisation,
    Cofinancing,
    Programme,
    ProgrammePlaces,
    axis_number,
)
from ..model.territory import Territory
from ..pending import pending
from ..typography import french_amount, french_date, french_of
from .instances import landlord_named
from .options import choice
from .yaml_reader import Value, read_yaml

MAX_ACTIONS = 1000  # a year's programme for one convention: a few dozen actions at most
ACTION_FIELDS = {"axe", "titre", "qpv", "cout_total", "montant_valorise"}
ACTION_OPTIONAL = {"description", "cofinancements", "indicateurs", "calendrier", "pluriannuelle"}


def validate(programme: Programme, territory: Territory) -> list[AtfpbError]:
    """Checks across fields, for YAML and workbooks alike: the convention exists, QPV, amounts, year."""
    problems: list[AtfpbError] = []
    places = programme.places
    commune = territory.commune_named(programme.commune)
    if commune is None:
        return [DataError(f"commune « {programme.commune} » inconnue des fichiers d'instances.", places.commune)]
    dwellings = commune.convention_qpv(programme.bailleur)
    if dwellings is None:
        return [
            DataError(f"aucune convention entre la Ville {french_of(commune.nom)} et ce bailleur.", places.bailleur)
        ]
    covered = {code for code, _count in dwellings}
    period = territory.periode
    if not period.debut <= programme.annee <= period.fin:
        problems.append(
            DataError(
                f"l'année {programme.annee} sort de la période de la convention ({period.debut}-{period.fin}).",
                places.annee,
            )
        )
    for label, amounts, codes in (
        ("abattement", programme.abattement, places.abattement_codes),
        ("report", programme.report, places.report_codes),
    ):
        for code, _amount in amounts:
            if code not in covered:
                problems.append(
                    DataError(f"le QPV {code} n'est pas couvert par la convention ({label}).", codes.get(code))
                )
    if not programme.abattement:
        problems.append(
            DataError("le montant de l'abattement de l'année n'est indiqué pour aucun QPV.", places.abattement)
        )
    for action in programme.actions:
        problems.extend(_action_problems(action, covered))
    problems.extend(_authorisation_problems(programme))
    return problems


def _authorisation_problems(programme: Programme) -> list[AtfpbError]:
    """The act authorising the signature comes before the avenant it authorises (a date still unknown is not
    compared)."""
    authorisation = programme.autorisation
    if authorisation is None:
        return []
    mark = pending(authorisation.date)
    if mark is not None and not mark.known:
        return []
    when = programme.document_date
    if authorisation.date <= when:
        return []
    default = "" if programme.date_document else ", faute de « date_document »"
    return [
        DataError(
            f"l'acte autorisant la signature est daté du {french_date(authorisation.date)}, après la date de "
            f"l'avenant ({french_date(when)}{default}) : une signature s'autorise avant l'avenant ; corrigez l'une "
            "des deux dates.",
            programme.places.autorisation_date,
        )
    ]


def _action_problems(action: Action, covered: set[str]) -> list[AtfpbError]:
    problems: list[AtfpbError] = []
    places = action.places
    for code, _amount in action.repartition:
        if code not in covered:
            problems.append(DataError(f"le QPV {code} n'est pas couvert par la convention.", places.qpv))
    if action.montant_valorise > action.cout_total:
        problems.append(
            DataError(
                f"le montant valorisé ({french_amount(action.montant_valorise)}) dépasse le coût total "
                f"({french_amount(action.cout_total)}).",
                places.montant_valorise,
            )
        )
    split = sum((amount for _code, amount in action.repartition), Decimal(0))
    if len(action.repartition) > 1 and split != action.montant_valorise:
        problems.append(
            DataError(
                f"la répartition entre QPV ({french_amount(split)}) ne correspond pas au montant valorisé "
                f"({french_amount(action.montant_valorise)}).",
                places.qpv,
            )
        )
    return problems


# --- YAML --------------------------------------------------------------------------------
def read_programme_yaml(path: Path, shown_as: str, territory: Territory) -> Programme:
    """A programme written in YAML (see instances/programmes/)."""
    root = read_yaml(path, shown_as)
    f = root.mapping(
        {"commune", "bailleur", "annee", "abattement", "actions"},
        {"report", "date_document", "numero_avenant", "autorisation"},
    )
    commune = commune_in(territory, f["commune"].text(), f["commune"].error)
    landlord = landlord_named(territory.bailleurs, f["bailleur"].text(), f["bailleur"].error)
    amounts: dict[str, tuple[tuple[str, Decimal], ...]] = {}
    codes: dict[str, dict[str, Location]] = {}
    for label in ("abattement", "report"):
        pairs, codes[label] = [], {}
        for key, value in f[label].free_mapping() if label in f and not f[label].is_null() else ():
            code = key.text().upper()
            codes[label][code] = key.location
            pairs.append((code, value.amount()))
        amounts[label] = tuple(pairs)
    return Programme(
        commune=commune,
        bailleur=landlord.slug,
        annee=f["annee"].integer(2000),
        abattement=amounts["abattement"],
        report=amounts["report"],
        actions=_read_actions(f["actions"]),
        source=shown_as,
        places=ProgrammePlaces(
            commune=f["commune"].location,
            bailleur=f["bailleur"].location,
            annee=f["annee"].location,
            abattement=f["abattement"].location,
            abattement_codes=codes["abattement"],
            report_codes=codes["report"],
            numero_avenant=f["numero_avenant"].location if "numero_avenant" in f else None,
            autorisation_date=_authorisation_place(f),
        ),
        date_document=f["date_document"].date(confirmable=True) if "date_document" in f else None,
        numero_avenant=f["numero_avenant"].integer(1) if "numero_avenant" in f else None,
        autorisation=_read_authorisation(f["autorisation"]) if "autorisation" in f else None,
    )


def _read_authorisation(value: Value) -> Authorisation:
    """« autorisation: {acte: deliberation, numero: …, date: …} »: the act authorising the avenant's signature."""
    f = value.mapping({"numero", "date"}, {"acte"})
    act = choice(f["acte"], AUTHORISING_ACTS) if "acte" in f else AUTHORISING_ACTS[0]
    return Authorisation(act, f["numero"].text(confirmable=True), f["date"].date(confirmable=True, may_be_unknown=True))


def _authorisation_place(f: dict[str, Value]) -> Location | None:
    if "autorisation" not in f or not f["autorisation"].is_mapping():
        return None
    date_value = f["autorisation"].mapping({"numero", "date"}, {"acte"}).get("date")
    return date_value.location if date_value else f["autorisation"].location


def commune_in(territory: Territory, name: str, error: Callable[[str], DataError]) -> str:
    """The slug of the commune a programme names, or an error at the name."""
    commune = territory.commune_named(name)
    if commune is None:
        raise error(f"commune « {name} » inconnue des fichiers d'instances.")
    return commune.slug


def _read_actions(value: Value) -> tuple[Action, ...]:
    items = list(value.items())
    if len(items) > MAX_ACTIONS:
        raise value.error(f"{len(items)} actions : un programme en compte {MAX_ACTIONS} au plus.")
    return tuple(_read_action(item) for item in items)


def _read_action(value: Value) -> Action:
    f = value.mapping(ACTION_FIELDS, ACTION_OPTIONAL)
    axis = axis_number(f["axe"].settled().scalar_text())
    if axis is None:
        raise f["axe"].error(f"axe inconnu « {f['axe'].scalar_text()} » : un numéro de 1 à 8 ou l'intitulé d'un axe.")
    valued = f["montant_valorise"].amount()
    qpv = f["qpv"].settled()
    if qpv.is_mapping():  # an action over several QPV gives its split
        split = tuple((key.text().upper(), amount.amount()) for key, amount in qpv.free_mapping())
    else:
        split = ((qpv.text().upper(), valued),)
    cofinancing = tuple(
        Cofinancing(c["financeur"].text(confirmable=True), c["montant"].amount())
        for c in (
            item.mapping({"financeur", "montant"})
            for item in (f["cofinancements"].items() if "cofinancements" in f else ())
        )
    )
    return Action(
        axe=axis,
        titre=f["titre"].text(confirmable=True),
        description=f["description"].optional_text(confirmable=True) if "description" in f else "",
        repartition=split,
        cout_total=f["cout_total"].amount(),
        montant_valorise=valued,
        cofinancements=cofinancing,
        indicateurs=f["indicateurs"].optional_text(confirmable=True) if "indicateurs" in f else "",
        calendrier=f["calendrier"].optional_text(confirmable=True) if "calendrier" in f else "",
        pluriannuelle=f["pluriannuelle"].boolean() if "pluriannuelle" in f else False,
        places=ActionPlaces(**{name: f[name].location for name in ActionPlaces.__dataclass_fields__ if name in f}),
    )
