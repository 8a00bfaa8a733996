"""Yearly bilans (instances/bilans/): the YAML reader, and their validation against the programme they report on —
every action of the programme accounted for once, with a status, never more realised than programmed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from ..errors import AtfpbError, Collector, DataError, Location, shown
from ..model.bilan import STATUSES, Bilan, BilanPlaces, Qualitative, Realisation, RealisationPlaces, status_named
from ..model.programme import Programme
from ..model.territory import Territory
from ..model.totals import programme_totals
from ..typography import french_amount, french_list
from .instances import landlord_named
from .programmes import commune_in
from .yaml_reader import Value, read_yaml

BILANS_DIR = "bilans"
BILAN_SUFFIXES = (".yaml", ".yml", ".xlsx", ".xlsm")
ANY_QPV = "*"  # a realised amount given as one number: the action's only QPV
ACTION_FIELDS = {"numero", "realise", "statut"}
STATUS_CHOICES = french_list([f"« {s} »" for s in STATUSES]).replace(" et ", " ou ")


def load_bilans(
    instances: Path, root: Path, territory: Territory, programmes: Sequence[Programme]
) -> tuple[tuple[Bilan, ...], list[AtfpbError]]:
    """Every bilan of instances/bilans/ (YAML or workbook), checked against its programme; and the problems found."""
    bilans: list[Bilan] = []
    problems = Collector()
    for path in sorted(p for p in (instances / BILANS_DIR).glob("*") if p.suffix in BILAN_SUFFIXES):
        shown_as = shown(path, root)
        bilan = problems.attempt(lambda p=path, s=shown_as: read_bilan(p, s, territory, programmes))  # type: ignore[misc]
        if bilan is None:
            continue
        twin = next((b for b in bilans if b.key == bilan.key), None)
        if twin is not None:
            problems.add(DataError(f"bilan {bilan.annee} déjà décrit dans {twin.source}.", Location(shown_as)))
            continue
        bilans.append(bilan)
    return tuple(bilans), problems.problems


def read_bilan(path: Path, shown_as: str, territory: Territory, programmes: Sequence[Programme]) -> Bilan:
    """One bilan file, YAML or workbook, matched to its programme and checked."""
    if path.suffix in (".xlsx", ".xlsm"):
        from .workbook.bilan_reader import read_bilan_workbook  # openpyxl is loaded only when a workbook is read

        bilan = read_bilan_workbook(path, shown_as, territory)
    else:
        bilan = read_bilan_yaml(path, shown_as, territory)
    return matched(bilan, territory, programmes)


def matched(bilan: Bilan, territory: Territory, programmes: Sequence[Programme]) -> Bilan:
    """The bilan with each realised amount on its QPV, once checked against the programme of its year."""
    programme = next((p for p in programmes if p.key == bilan.key), None)
    if programme is None:
        raise DataError(
            f"bilan de l'année {bilan.annee}, mais aucun programme {bilan.annee} de cette convention n'est décrit "
            "(instances/programmes/) : un bilan rend compte du programme d'un avenant ; déposez ce programme, ou "
            "corrigez l'année.",
            bilan.places.annee,
        )
    commune = territory.commune_named(bilan.commune)
    assert commune is not None  # read through commune_in
    actions = programme_totals(programme, commune).actions
    problems = Collector()
    seen: dict[int, Realisation] = {}
    resolved = []
    for done in bilan.realisations:
        where = done.places.numero
        if done.numero in seen:
            problems.add(DataError(f"l'action n° {done.numero} figure deux fois dans le bilan.", where))
            continue
        seen[done.numero] = done
        if not 1 <= done.numero <= len(actions):
            problems.add(
                DataError(
                    f"l'action n° {done.numero} n'existe pas dans le programme {programme.annee} ({programme.source}), "
                    f"qui compte {len(actions)} action(s) numérotées de 1 à {len(actions)} comme dans l'avenant.",
                    where,
                )
            )
            continue
        line = actions[done.numero - 1]
        planned = {q.code: q.montant for q in line.qpv}
        amounts = problems.attempt(lambda d=done, p=planned: _on_quarters(d, p))  # type: ignore[misc]
        if amounts is None:
            continue
        for code, realised in amounts:
            if realised > planned[code]:
                problems.add(
                    DataError(
                        f"action n° {done.numero} « {line.titre} » : le montant réalisé sur {code} "
                        f"({french_amount(realised)}) dépasse le montant programmé ({french_amount(planned[code])}) "
                        f"dans l'avenant {programme.annee}. Un dépassement reste à la charge du bailleur : indiquez "
                        "au plus le montant programmé.",
                        done.places.realise.get(code) or done.places.realise.get(ANY_QPV) or where,
                    )
                )
        resolved.append(replace(done, realise=amounts))
    for line in actions:
        if line.numero not in seen:
            problems.add(
                DataError(
                    f"l'action n° {line.numero} « {line.titre} » du programme {programme.annee} n'a pas de ligne "
                    "dans le bilan : indiquez son montant réalisé et son statut (" + STATUS_CHOICES + ").",
                    bilan.places.actions,
                )
            )
    when = bilan.validation_conseil_municipal
    if when is not None and when.year <= bilan.annee:
        problems.add(
            DataError(
                f"la validation par le Conseil municipal ({when.isoformat()}) précède la fin de l'année "
                f"{bilan.annee} dont le bilan rend compte.",
                bilan.places.validation,
            )
        )
    problems.raise_any()
    return replace(bilan, realisations=tuple(sorted(resolved, key=lambda r: r.numero)))


def _on_quarters(done: Realisation, planned: dict[str, Decimal]) -> tuple[tuple[str, Decimal], ...]:
    """The realised amounts on the action's QPV: one number for an action on one QPV, else one per QPV."""
    if len(done.realise) == 1 and done.realise[0][0] == ANY_QPV:
        amount = done.realise[0][1]
        if len(planned) > 1:
            raise DataError(
                f"l'action n° {done.numero} porte sur {len(planned)} quartiers ({', '.join(planned)}) : indiquez le "
                "montant réalisé de chacun (« realise: » puis une ligne par code QPV).",
                done.places.realise.get(ANY_QPV),
            )
        return ((next(iter(planned)), amount),)
    amounts = dict(done.realise)
    for code in amounts:
        if code not in planned:
            raise DataError(
                f"le QPV {code} ne fait pas partie de l'action n° {done.numero} (programmée sur "
                f"{', '.join(planned)}).",
                done.places.realise.get(code),
            )
    return tuple((code, amounts.get(code, Decimal("0.00"))) for code in planned)


# --- YAML --------------------------------------------------------------------------------
def read_bilan_yaml(path: Path, shown_as: str, territory: Territory) -> Bilan:
    """A bilan written in YAML (see instances/bilans/)."""
    root = read_yaml(path, shown_as)
    f = root.mapping(
        {"commune", "bailleur", "annee", "actions", "qualitatif"}, {"date_document", "validation_conseil_municipal"}
    )
    commune = commune_in(territory, f["commune"].text(), f["commune"].error)
    landlord = landlord_named(territory.bailleurs, f["bailleur"].text(), f["bailleur"].error)
    owner = territory.commune_named(commune)
    assert owner is not None
    if owner.convention_qpv(landlord.slug) is None:
        raise f["bailleur"].error(f"aucune convention entre la commune « {owner.nom} » et {landlord.nom}.")
    qualitative = f["qualitatif"].mapping({"resultats"}, {"difficultes", "perspectives"})
    validation = f.get("validation_conseil_municipal")
    return Bilan(
        commune=commune,
        bailleur=landlord.slug,
        annee=f["annee"].integer(2000),
        realisations=tuple(_read_realisation(item) for item in f["actions"].items()),
        qualitatif=Qualitative(
            qualitative["resultats"].text(confirmable=True),
            *(
                qualitative[k].optional_text(confirmable=True) if k in qualitative else ""
                for k in ("difficultes", "perspectives")
            ),
        ),
        source=shown_as,
        validation_conseil_municipal=(
            validation.date(confirmable=True) if validation and not validation.is_null() else None
        ),
        date_document=f["date_document"].date(confirmable=True) if "date_document" in f else None,
        places=BilanPlaces(
            f["commune"].location,
            f["bailleur"].location,
            f["annee"].location,
            f["actions"].location,
            validation.location if validation else None,
        ),
    )


def _read_realisation(value: Value) -> Realisation:
    if value.is_mapping() and "statut" not in {k.scalar_text() for k, _v in value.free_mapping()}:
        numero = next((v.scalar_text() for k, v in value.free_mapping() if k.scalar_text() == "numero"), "?")
        raise value.error(f"statut manquant pour l'action n° {numero} : {STATUS_CHOICES}.")
    f = value.mapping(ACTION_FIELDS, {"commentaire"})
    number = f["numero"].integer(1)
    status_text = f["statut"].text()
    status = status_named(status_text)
    if status is None:
        raise f["statut"].error(f"statut inconnu « {status_text} » pour l'action n° {number} : {STATUS_CHOICES}.")
    realised = f["realise"]
    if realised.is_mapping():
        pairs = [(key.text().upper(), amount) for key, amount in realised.free_mapping()]
        amounts = tuple((code, amount.amount()) for code, amount in pairs)
        places = {code: amount.location for code, amount in pairs}
    else:
        amounts, places = ((ANY_QPV, realised.amount()),), {ANY_QPV: realised.location}
    return Realisation(
        numero=number,
        realise=amounts,
        statut=status,
        commentaire=f["commentaire"].optional_text(confirmable=True) if "commentaire" in f else "",
        places=RealisationPlaces(f["numero"].location, f["statut"].location, places),
    )
