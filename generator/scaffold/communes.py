"""The text of `instances/communes/<slug>.yaml` for each member commune of a new project that has a QPV."""

from __future__ import annotations

from ..typography import french_of
from .plan import CommunePlan, ProjectPlan, QuarterPlan
from .territory import header
from .yaml_text import YamlText, scalar

FOLDER = "instances/communes"


def commune_path(commune: CommunePlan) -> str:
    return f"{FOLDER}/{commune.slug}.yaml"


def commune_text(plan: ProjectPlan, commune: CommunePlan) -> YamlText:
    """A commune's file: identity, mayor and deliberation to confirm, QPV, and its landlords' dwellings."""
    text = YamlText()
    header(text, f"Ville {french_of(commune.nom)}, membre {plan.names.de}.", plan)
    text.blank()
    text.text(0, "nom", commune.nom)
    text.value(0, "insee", f'"{commune.insee}"')
    text.comment(
        f"Sans titulaire, la convention écrit « le Maire {french_of(commune.nom)} » : ajoutez-le "
        "(« titulaires » : civilite, prenom, nom) ou laissez « maire: » vide une fois vérifié.",
    )
    text.confirm(0, "maire", None, "maire")
    text.key(0, "deliberation", "du conseil municipal, autorisant la signature de la convention")
    text.confirm(2, "numero", None, "numéro de la délibération du conseil municipal")
    text.confirm(2, "date", None, "date de la délibération du conseil municipal")
    text.comment("Quartiers prioritaires de la géographie 2024 situés sur la commune.")
    text.key(0, "qpv")
    for quarter in commune.quarters:
        _quarter(text, plan, quarter, commune)
    _holdings(text, plan, commune)
    return text


def _quarter(text: YamlText, plan: ProjectPlan, quarter: QuarterPlan, commune: CommunePlan) -> None:
    qpv = quarter.qpv
    if quarter.elsewhere:
        text.comment(
            f"{qpv.code} s'étend aussi hors {plan.names.de} : {' ; '.join(quarter.elsewhere)}. "
            f"Ne comptez ici que les logements situés à {commune.nom}.",
            2,
        )
    shared = f" ({', '.join(qpv.noms_communes)})" if len(qpv.insee_communes) > 1 else ""
    text.item(2, qpv.code, f"{qpv.nom}{shared}")


def _holdings(text: YamlText, plan: ProjectPlan, commune: CommunePlan) -> None:
    if not commune.holdings:
        source = f"le fichier « {plan.dwellings_file} »" if plan.dwellings_file else "aucun fichier de logements"
        text.comment(
            f"Aucun bailleur pour cette commune dans {source} : ajoutez chaque bailleur ayant des logements "
            "dans ses QPV (« - nom: … » puis « logements: », un QPV par ligne « QN…: nombre »).",
        )
        text.value(0, "bailleurs", "[]")
        return
    text.comment("Logements de chaque bailleur, par QPV (fichier des logements).")
    text.key(0, "bailleurs")
    for holding in commune.holdings:
        text.item(2, f"nom: {scalar(holding.bailleur)}")
        text.key(4, "logements")
        for code, count in holding.logements:
            text.value(6, code, str(count))
