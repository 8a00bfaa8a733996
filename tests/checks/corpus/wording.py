"""The corpus's wording: a convention and an avenant as another intercommunality's staff might write them (our own
words, on the facts of the shared reference convention; a person only where a public source names one)."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.programme import AXES

from .model import Article, Block, Case, Draft, Quarter, Signatory

NBSP = "\u00a0"


def euros(cents: int) -> str:
    """« 12 345,67 € » with non-breaking spaces, as French documents print amounts."""
    units, rest = divmod(cents, 100)
    grouped = f"{units:,}".replace(",", NBSP)
    return f"{grouped},{rest:02d}{NBSP}€"


def _quarters_list(quarters: tuple[Quarter, ...]) -> str:
    names = [f"{q.name} ({q.code})" for q in quarters]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]


def _de(name: str) -> str:
    return f"d'{name}" if name[:1] in "AEIOUÉÈ" else f"de {name}"


def _at(name: str, capital: bool = False) -> str:
    """« à Lourches », « au Port »."""
    for article, contracted in (("Le ", "au "), ("Les ", "aux ")):
        if name.startswith(article):
            shown = contracted + name[len(article) :]
            return shown[0].upper() + shown[1:] if capital else shown
    return f"{'À' if capital else 'à'} {name}"


def _listed_plain(case: Case) -> str:
    """The other communes of the convention's quarters, named in passing (« Denain et Escaudain »)."""
    names = sorted({n for q in case.quarters for n in q.shared_with}) or ["leurs voisines"]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]


def _listed(names: tuple[str, ...]) -> str:
    forms = [_de(n) for n in names]
    return forms[0] if len(forms) == 1 else ", ".join(forms[:-1]) + " et " + forms[-1]


# The titles offices give the same articles: ours, those of other conventions (the issue's), others again.
CONVENTION_TITLES = {
    "a": {},
    "b": {
        "objet": "OBJET", "patrimoine": "PATRIMOINE CONCERNÉ", "programmes": "PROGRAMME D'ACTIONS",
        "locataires": "CONCERTATION AVEC LES LOCATAIRES", "pilotage": "GOUVERNANCE", "suivi-bilan": "BILAN ANNUEL",
        "evaluation": "ÉVALUATION", "suivi-local": "MODALITÉS DE SUIVI LOCAL", "duree": "DURÉE",
        "report": "REPORT DES SOMMES NON UTILISÉES", "denonciation": "DÉNONCIATION",
    },
    "c": {
        "objet": "Objet et champ de la convention", "patrimoine": "Logements concernés par l'abattement",
        "programmes": "Plan d'actions annuel", "locataires": "Participation des habitants",
        "pilotage": "Modalités de pilotage", "suivi-bilan": "Compte rendu annuel et bilan",
        "evaluation": "Contrôle et évaluation", "suivi-local": "Suivi de proximité",
        "duree": "Durée et prise d'effet", "report": "Reliquat de l'abattement", "denonciation": "Résiliation",
    },
}  # fmt: skip
AVENANT_TITLES = {
    "a": {},
    "b": {
        "objet": "OBJET", "programme": "PROGRAMME D'ACTIONS {year}", "financement": "MONTANTS VALORISÉS",
        "report": "REPORT SUR L'ANNÉE SUIVANTE", "calendrier": "ÉCHÉANCIER", "dispositions": "DISPOSITIONS DIVERSES",
    },
    "c": {
        "objet": "Objet du présent avenant", "programme": "Actions programmées", "financement": "Plan de financement",
        "report": "Utilisation de l'abattement", "calendrier": "Calendrier de mise en œuvre",
        "dispositions": "Prise d'effet",
    },
}  # fmt: skip


def _titled(articles: list[Article], titles: dict[str, str], year: int | None = None) -> list[Article]:
    for article in articles:
        article.title = titles.get(article.role, article.title).replace("{year}", str(year))
    return articles


def title_lines(case: Case, kind: str, year: int | None = None) -> list[str]:
    if kind == "avenant":
        head = f"Avenant {year} à la convention d'utilisation de l'abattement de TFPB — programme d'actions {year}"
    else:
        head = "Convention d'utilisation de l'abattement de taxe foncière sur les propriétés bâties (TFPB)"
    return [
        head,
        f"Quartiers prioritaires de la politique de la ville : {_quarters_list(case.quarters)}",
        f"Parc social de {case.landlord} sur le territoire de la Ville {case.de_commune}",
        f"Contrat de ville « Quartiers 2030 » {case.de_epci} — années 2025 à 2030",
    ]


def parties(case: Case) -> list[str]:
    def named(person: str, role: str) -> str:
        return f"{person}, {role}" if person else role

    return [
        f"l'État, représenté par {named(case.prefet_name, case.prefet)} ;",
        f"{case.epci}, représentée par {named(case.president_name, 'son Président')} ;",
        f"la Ville {case.de_commune}, représentée par {named(case.maire_name, 'son Maire')} ;",
        f"{case.landlord}, {case.landlord_kind}, représenté par {named(case.representative_name, case.representative)}"
        ", ci-après dénommé « le bailleur ».",
    ]


def visas(case: Case, kind: str, signatories_named: bool = False) -> list[str]:
    lines = [
        "Vu le code général des impôts, et notamment son article 1388 bis ;",
        "Vu la loi n° 2014-173 du 21 février 2014 de programmation pour la ville et la cohésion urbaine, et "
        "notamment son article 6 ;",
        "Vu la loi n° 2023-1322 du 29 décembre 2023 de finances pour 2024, et notamment son article 73 ;",
        "Vu le cadre national d'utilisation de l'abattement de TFPB dans les quartiers prioritaires du 29 avril 2015 "
        "et son avenant du 30 septembre 2021 ;",
    ]
    if case.epci_deliberation:
        lines.append(
            f"Vu la délibération {case.epci_deliberation} du conseil communautaire {case.de_epci} approuvant le "
            "contrat de ville « Quartiers 2030 » ;"
        )
    signed = f" signé {case.contract_signed}" if case.contract_signed else ""
    by = (
        "l'État, la Région, le Département, la Caisse d'allocations familiales, Maisons & Cités, la SIGH, SIA Habitat, "
        "Partenord Habitat, la Banque des Territoires et France Travail"
        if signatories_named
        else "l'État, les communes concernées, les bailleurs sociaux du territoire et leurs partenaires"
    )
    lines.append(f"Vu le contrat de ville « Quartiers 2030 » {case.de_epci}{signed} par {by} ;")
    dated = f" du {case.council_date}" if case.council_date else ""
    what = "la présente convention" if kind == "convention" else "le présent avenant"
    lines.append(
        f"Vu la délibération du conseil municipal {case.de_commune}{dated} autorisant le Maire à signer {what} ;"
    )
    return lines


def signatories(case: Case) -> list[Signatory]:
    return [
        Signatory("Pour l'État,", case.prefet[0].upper() + case.prefet[1:], case.prefet_name.removeprefix("M. ")),
        Signatory(f"Pour {case.epci},", "le Président", case.president_name.removeprefix("M. ")),
        Signatory(
            f"Pour la Ville {case.de_commune},", f"le Maire {case.de_commune}", case.maire_name.removeprefix("Mme ")
        ),
        Signatory(f"Pour {case.landlord},", case.representative, case.representative_name.removeprefix("M. ")),
    ]


def convention(case: Case, titles: str = "a", extra: bool = False) -> Draft:
    """A convention in eleven articles, titled in one of the ways offices title them; `extra`: the contract's
    signatories named in the visas, and neighbours named in passing."""
    rows = [["Quartier prioritaire", "Code", "Logements"]]
    rows += [[q.name, q.code, str(q.dwellings)] for q in case.quarters]
    rows.append(["Total", "", str(sum(q.dwellings for q in case.quarters))])
    shared = [
        Block(
            "p",
            f"Le quartier {q.name} est partagé avec les communes {_listed(q.shared_with)} : seuls les logements "
            f"situés {_at(case.commune)} relèvent de la présente convention.",
        )
        if len(q.shared_with) > 1
        else Block(
            "p",
            f"Le quartier {q.name} s'étend aussi sur la commune {_de(q.shared_with[0])} : seuls les "
            f"logements situés {_at(case.commune)} relèvent de la présente convention.",
        )
        for q in case.quarters
        if q.shared_with
    ]
    articles = [
        Article(
            "objet",
            "Objet de la convention",
            [
                Block(
                    "p",
                    "L'article 1388 bis du code général des impôts permet aux organismes HLM de réduire de 30 % la "
                    "base d'imposition à la taxe foncière de leurs logements sociaux situés dans un quartier "
                    "prioritaire de la politique de la ville.",
                ),
                Block(
                    "p",
                    "Cet avantage suppose que l'organisme soit signataire, au 1er janvier de l'année d'imposition, "
                    "du contrat de ville et d'une convention d'utilisation passée avec la commune, l'intercommunalité "
                    "et l'État. La présente convention fixe, pour les années 2025 à 2030, la façon dont "
                    f"{case.landlord} emploie l'abattement au bénéfice des locataires des quartiers prioritaires "
                    f"{case.de_commune}.",
                ),
                Block(
                    "p",
                    f"En contrepartie, {case.landlord} finance des actions qui renforcent la gestion courante de "
                    "son patrimoine et la qualité du service rendu aux habitants.",
                ),
            ],
        ),
        Article(
            "patrimoine",
            "Patrimoine concerné",
            [
                Block(
                    "p",
                    f"Sont concernés les logements sociaux de {case.landlord} situés dans les quartiers prioritaires "
                    f"de la Ville {case.de_commune}, répartis comme suit :",
                ),
                Block("table", rows=rows),
                *shared,
            ],
        ),
        Article(
            "programmes",
            "Élaboration des programmes d'actions",
            [
                Block("sub", "Contenu des programmes"),
                Block(
                    "p",
                    f"Chaque année, {case.landlord} prépare avec la Ville, {case.epci} et les services de l'État un "
                    "programme d'actions. Les actions relèvent des axes du cadre national d'utilisation de "
                    "l'abattement, qui sont les suivants :",
                ),
                Block("numbers", items=list(AXES)),
                Block("sub", "Calendrier d'élaboration"),
                Block(
                    "p",
                    "Le programme de l'année N est arrêté au plus tard le 30 avril de l'année N ; il fait l'objet "
                    "d'un avenant à la présente convention, qui en détaille les montants par axe et par quartier.",
                ),
            ],
        ),
        Article(
            "locataires",
            "Association des locataires et des habitants",
            [
                Block(
                    "p",
                    "Les locataires et leurs associations sont consultés lors des diagnostics en marchant et avant "
                    "l'arrêt de chaque programme d'actions. Les actions qui touchent au cadre de vie leur sont "
                    "présentées en réunion publique.",
                ),
            ],
        ),
        Article(
            "pilotage",
            "Pilotage",
            [
                Block(
                    "p",
                    f"Un comité technique réunit chaque semestre les référents de la Ville, {case.de_epci}, de "
                    f"l'État et {_de(case.landlord)}. Il prépare les programmes d'actions et en suit l'avancement.",
                ),
                Block(
                    "p", "Le comité de pilotage du contrat de ville valide chaque année les programmes et les bilans."
                ),
            ],
        ),
        Article(
            "suivi-bilan",
            "Suivi et bilan",
            [
                Block(
                    "p",
                    f"Avant le 31 mai de l'année N, {case.landlord} remet aux signataires le bilan quantitatif et "
                    "qualitatif des actions de l'année N-1, par axe et par quartier, avec les dépenses engagées.",
                ),
            ],
        ),
        Article(
            "evaluation",
            "Évaluation et contrôle",
            [
                Block(
                    "p",
                    "Les dépenses valorisées suivent les principes de calcul du référentiel national "
                    "d'utilisation de l'abattement (juin 2024) ; les services de l'État peuvent vérifier la "
                    "réalisation des actions financées.",
                ),
                Block(
                    "p",
                    "Une évaluation intermédiaire est conduite en 2026 : le bailleur transmet à cette fin un bilan "
                    "des années 2025-2026.",
                ),
            ],
        ),
        Article(
            "suivi-local",
            "Modalités spécifiques du suivi local",
            [
                Block(
                    "p",
                    f"{_at(case.commune, capital=True)}, le suivi s'appuie en outre sur les rencontres de quartier "
                    "organisées par la Ville, auxquelles les équipes de proximité du bailleur prennent part.",
                ),
            ],
        ),
        Article(
            "duree",
            "Durée de la convention",
            [
                Block(
                    "p",
                    "La présente convention s'applique aux impositions des années 2025 à 2030. Elle peut être "
                    "modifiée par avenant signé des quatre parties.",
                ),
            ],
        ),
        Article(
            "report",
            "Conditions de report",
            [
                Block(
                    "p",
                    "La part de l'abattement qui n'a pu être employée au cours d'une année peut, avec l'accord des "
                    "signataires, être reportée sur l'année suivante et affectée à des actions supplémentaires.",
                ),
            ],
        ),
        Article(
            "denonciation",
            "Conditions de dénonciation",
            [
                Block(
                    "p",
                    "En cas de désaccord, un représentant de l'État désigné par le préfet recherche une solution "
                    "amiable. À défaut, chaque partie peut dénoncer la convention par écrit, au moins deux mois "
                    "avant le 1er janvier de l'année suivante.",
                ),
                Block(
                    "p",
                    "Une copie en est adressée aux signataires du cadre national : ANCT, USH, Ville et Banlieue, "
                    "Intercommunalités de France, France urbaine, Association des maires de France et Villes de "
                    "France.",
                ),
            ],
        ),
    ]
    if extra:
        articles[3].blocks.append(
            Block("p", f"Les réunions sont ouvertes aux habitants des communes voisines, {_listed_plain(case)}.")
        )
    return Draft(
        "convention",
        title_lines(case, "convention"),
        parties(case),
        visas(case, "convention", signatories_named=extra),
        _titled(articles, CONVENTION_TITLES[titles]),
        f"Fait à {case.seat}, le 14 mars 2025, en quatre exemplaires.",
        signatories(case),
    )


@dataclass(frozen=True)
class Action:
    axis: int  # 1 to 8
    title: str
    cents: dict[str, int]  # by QPV code


def avenant(case: Case, year: int, actions: tuple[Action, ...], abatement: int, titles: str = "a") -> Draft:
    """An annual avenant in six articles: object, programme, financing table, carry-over, calendar, final clauses."""
    codes = [q.code for q in case.quarters]
    items = []
    for number, action in enumerate(actions, start=1):
        spread = " ; ".join(
            f"{q.name} : {euros(action.cents.get(q.code, 0))}" for q in case.quarters if q.code in action.cents
        )
        items.append(f"Action {number} – {action.title} (axe {action.axis}) — {spread}")
    header = ["Axe", *[f"{q.name} ({q.code})" for q in case.quarters], "Total"]
    rows = [header]
    totals = dict.fromkeys(codes, 0)
    for axis in sorted({a.axis for a in actions}):
        by_code = {c: sum(a.cents.get(c, 0) for a in actions if a.axis == axis) for c in codes}
        for code, value in by_code.items():
            totals[code] += value
        rows.append([f"{axis} – {AXES[axis - 1]}", *[euros(by_code[c]) for c in codes], euros(sum(by_code.values()))])
    valued = sum(totals.values())
    rows.append(["Total", *[euros(totals[c]) for c in codes], euros(valued)])
    left = abatement - valued
    articles = [
        Article(
            "objet",
            "Objet de l'avenant",
            [
                Block(
                    "p",
                    "Le présent avenant complète la convention d'utilisation de l'abattement conclue pour les "
                    f"années 2025 à 2030 entre l'État, {case.epci}, la Ville {case.de_commune} et {case.landlord}. Il "
                    f"arrête le programme d'actions de l'année {year}.",
                ),
            ],
        ),
        Article(
            "programme",
            f"Programme d'actions {year}",
            [
                Block(
                    "p",
                    f"{case.landlord} conduit en {year} les actions suivantes, dont seule la part qui excède sa "
                    "gestion courante est valorisée au titre de l'abattement :",
                ),
                Block("bullets", items=items),
            ],
        ),
        Article(
            "financement",
            "Récapitulatif financier",
            [
                Block("p", "Les montants valorisés se répartissent ainsi par axe et par quartier prioritaire :"),
                Block("table", rows=rows),
            ],
        ),
        Article(
            "report",
            "Report",
            [
                Block(
                    "p",
                    f"L'abattement dont bénéficie {case.landlord} pour l'année {year} s'élève à {euros(abatement)}. "
                    f"Le programme en valorise {euros(valued)} ; le solde de {euros(left)} est reporté sur l'année "
                    f"{year + 1}, avec l'accord des signataires.",
                ),
            ],
        ),
        Article(
            "calendrier",
            "Calendrier",
            [
                Block(
                    "p",
                    f"Le programme de l'année {year} est consolidé au plus tard le 30 avril {year}. Son bilan est "
                    f"présenté aux signataires au plus tard le 31 mai {year + 1}.",
                ),
            ],
        ),
        Article(
            "dispositions",
            "Dispositions finales",
            [
                Block(
                    "p",
                    "Les autres stipulations de la convention demeurent inchangées. Le présent avenant prend effet "
                    "à la date de sa signature par les quatre parties.",
                ),
            ],
        ),
    ]
    return Draft(
        "avenant",
        title_lines(case, "avenant", year),
        parties(case),
        visas(case, "avenant"),
        _titled(articles, AVENANT_TITLES[titles], year),
        f"Fait à {case.seat}, le 30 avril {year}, en quatre exemplaires.",
        signatories(case),
    )
