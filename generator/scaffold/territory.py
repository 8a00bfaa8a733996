"""The text of `instances/territoire.yaml` for a new project: EPCI, State, city contract, period, landlords."""

from __future__ import annotations

from ..typography import french_date, french_of_named, with_article
from .plan import Landlord, ProjectPlan
from .yaml_text import YamlText, scalar

FILE = "instances/territoire.yaml"
CONTRACT_YEARS = (2024, 2030)
CONVENTION_YEARS = (2025, 2030)
SOURCES = (
    "EPCI et communes membres : découpage administratif d'Etalab (@etalab/decoupage-administratif 6.0.0, "
    "Code officiel géographique de l'INSEE), generator/data/epci-communes.csv",
    "quartiers prioritaires : géographie prioritaire 2024 (données ouvertes de l'ANCT, décret n° 2023-1314 "
    "du 28 décembre 2023), generator/data/qpv-2024.csv",
    "départements et titre du préfet : Code officiel géographique de l'INSEE, generator/data/departements.csv",
)
CONFIRM_NOTE = (
    "« !a_confirmer » devant une valeur la marque comme proposée, à vérifier ; seul, il marque une valeur "
    "inconnue, à renseigner. Avant de produire une version à signer, remplacez chacun par la valeur confirmée "
    "(sans « !a_confirmer »)."
)
_LANDLORD_ARTICLES = (("Société", "la"), ("Compagnie", "la"), ("Coopérative", "la"), ("Office", "l'"))


def thousands(number: int) -> str:
    """« 43 805 »: digits grouped by three (plain spaces, for text files)."""
    return f"{number:,}".replace(",", " ")


def sources(plan: ProjectPlan) -> list[str]:
    """Where the values come from, one line each."""
    dwellings = (
        f"bailleurs et logements : fichier « {plan.dwellings_file} »"
        if plan.dwellings_file
        else "bailleurs et logements : aucun fichier de logements fourni, à compléter"
    )
    return [*SOURCES, dwellings]


def header(text: YamlText, first_line: str, plan: ProjectPlan) -> None:
    """The comment opening every generated file: what it is, when and from what it was prepared."""
    text.comment(first_line)
    text.comment(f"Fichier préparé par « atfpb init » le {french_date(plan.prepared)}, à partir de :")
    for line in sources(plan):
        text.comment(f"- {line} ;")
    text.comment(CONFIRM_NOTE)


def territory_text(plan: ProjectPlan) -> YamlText:
    """territoire.yaml: the values shared by every convention of the EPCI."""
    text = YamlText()
    header(text, f"Données communes à toutes les conventions {plan.names.de}.", plan)
    text.comment(
        "Un signataire est une fonction (« qualite ») tenue par des personnes sur des périodes (« titulaires », "
        "avec « civilite », « prenom », « nom » et les dates « du » et « au ») : le document nomme la personne "
        "en fonction à sa date ; sans titulaire, il écrit la fonction seule."
    )
    for part in (_epci, _state, _contract, _convention, _landlords):
        text.blank()
        part(text, plan)
    return text


def _epci(text: YamlText, plan: ProjectPlan) -> None:
    names = plan.names
    text.key(0, "epci")
    text.comment(f"Nom dans le référentiel : « {plan.epci.referential_name} ».", 2)
    text.comment(
        f"« nom » est le nom employé dans les phrases des conventions (« l'État, {names.nom}, la Ville de … ») ; "
        "« nom_officiel », la dénomination statutaire.",
        2,
    )
    text.confirm(2, "nom", names.nom, "nom de l'EPCI")
    text.confirm(2, "nom_officiel", names.nom_officiel, "nom officiel de l'EPCI")
    text.value(2, "siren", f'"{plan.epci.siren}"')
    text.confirm(2, "siege", None, "siège de l'EPCI (commune)")
    text.key(2, "president")
    text.confirm(4, "qualite", f"Président {names.de}", "fonction du président de l'EPCI")
    text.comment("Ajoutez le ou la titulaire (« titulaires ») ; « Présidente » s'il s'agit d'une femme.", 4)


def _state(text: YamlText, plan: ProjectPlan) -> None:
    departement = plan.departement
    text.key(0, "etat")
    text.comment(f"Département le plus peuplé de l'EPCI ({departement.code}).", 2)
    others = plan.departements[1:]
    if others:
        listed = ", ".join(f"{d.nom} ({d.code}, {thousands(population)} habitants)" for d, population in others)
        text.comment(f"L'EPCI s'étend aussi sur : {listed}. Vérifiez le préfet signataire.", 2)
    text.text(2, "departement", departement.nom)
    text.key(2, "prefet")
    text.confirm(4, "qualite", f"Préfet {departement.de}", "fonction du préfet")
    text.comment("Ajoutez le ou la titulaire (« titulaires ») ; « Préfète » s'il s'agit d'une femme.", 4)


def _contract(text: YamlText, plan: ProjectPlan) -> None:
    text.key(0, "contrat")
    text.comment("Le contrat de ville auquel les conventions sont annexées.", 2)
    text.confirm(2, "nom", "Contrat de ville", "nom du contrat de ville")
    text.key(2, "deliberation", "délibération de l'EPCI approuvant le contrat")
    text.confirm(4, "numero", None, "numéro de la délibération approuvant le contrat de ville")
    text.confirm(4, "date", None, "date de la délibération approuvant le contrat de ville")
    text.confirm(2, "date_signature", None, "date de signature du contrat de ville")
    text.value(2, "debut", str(CONTRACT_YEARS[0]))
    text.value(2, "fin", str(CONTRACT_YEARS[1]))
    text.comment("Institutions signataires, chacune avec son article (« la Région … », « le Département … »).", 2)
    text.key(2, "signataires")
    text.confirm_item(4, "l'État", "signataires du contrat de ville")
    text.value(2, "orientations", "[]", "orientations du contrat, une par ligne « - … »")


def _convention(text: YamlText, plan: ProjectPlan) -> None:
    text.key(0, "convention")
    text.value(2, "debut", str(CONVENTION_YEARS[0]))
    text.value(2, "fin", str(CONVENTION_YEARS[1]))
    text.comment("Date portée par les documents : elle choisit les signataires en fonction.", 2)
    if plan.document_date is not None:
        text.value(2, "date_document", plan.document_date.isoformat())
    else:
        text.confirm(2, "date_document", plan.prepared, "date des documents")


def _landlords(text: YamlText, plan: ProjectPlan) -> None:
    if not plan.landlords:
        text.comment(
            "Aucun bailleur : ajoutez chaque bailleur (nom, nom_court, representant) puis citez-le dans les "
            "fichiers des communes."
        )
        text.value(0, "bailleurs", "[]")
        return
    text.comment("Les bailleurs du fichier des logements, tels qu'il les écrit.")
    text.key(0, "bailleurs")
    for landlord in plan.landlords:
        _landlord(text, landlord)


def _landlord(text: YamlText, landlord: Landlord) -> None:
    nom = landlord.nom
    text.item(2, f"nom: {scalar(nom)}")
    article = landlord_article(nom)
    if article:
        text.text(4, "article", article, f"dans les phrases : « {with_article(nom, article)} »")
    text.confirm(4, "nom_court", nom, f"nom court {landlord_de(nom)}")
    if landlord.autres_noms:
        text.comment("Autres graphies du fichier des logements (reconnues par « atfpb check »).", 4)
        text.key(4, "autres_noms")
        for other in landlord.autres_noms:
            text.item(6, scalar(other))
    text.key(4, "representant")
    text.confirm(6, "qualite", f"Directeur général {landlord_de(nom)}", f"fonction du représentant {landlord_de(nom)}")


def landlord_article(name: str) -> str:
    """The article a landlord's name likely takes in a sentence (« la Société … », « l'Office … »), or none."""
    return next((article for head, article in _LANDLORD_ARTICLES if name.startswith(head + " ")), "")


def landlord_de(name: str) -> str:
    """« de Partenord Habitat », « de la Société Immobilière du Grand Hainaut », « d'ICF Habitat »."""
    return french_of_named(name, landlord_article(name))
