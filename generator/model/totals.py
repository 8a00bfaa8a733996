"""A programme's computed totals as a typed value: by action, by axis, by QPV and overall (never typed in)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..pending import marked, total
from .programme import AXES, Action, Cofinancing, Programme
from .territory import Commune

ZERO = Decimal("0.00")
UNUSED_SHARE = Decimal("0.25")  # more than a quarter of the amount available left unused deserves a word


@dataclass(frozen=True)
class QpvShare:
    """The part of an action's valued amount spent in one QPV."""

    code: str
    nom: str
    montant: Decimal


@dataclass(frozen=True)
class ActionLine:
    """An action as the avenant lists it: numbered, its axis named, its split and co-funding summed."""

    numero: int
    axe: int
    intitule_axe: str
    titre: str
    description: str
    qpv: tuple[QpvShare, ...]
    cout_total: Decimal
    montant_valorise: Decimal
    cofinancements: tuple[Cofinancing, ...]
    total_cofinancement: Decimal
    indicateurs: str
    calendrier: str
    pluriannuelle: bool


@dataclass(frozen=True)
class AxisTotal:
    """One of the eight axes, its actions and their totals."""

    numero: int
    intitule: str
    actions: tuple[ActionLine, ...]
    total_valorise: Decimal
    total_cout: Decimal


@dataclass(frozen=True)
class QpvTotal:
    """One QPV of the convention: what is available there (abatement + carry-over), what is valued, per axis."""

    code: str
    nom: str
    abattement: Decimal
    report: Decimal
    disponible: Decimal
    valorise: Decimal
    ecart: Decimal
    par_axe: tuple[Decimal, ...]


@dataclass(frozen=True)
class Transfer:
    """The surplus of one QPV covering the overspend of another QPV of the same convention."""

    depuis: QpvShare  # the QPV whose surplus is used (its code, name, and the amount moved)
    vers: QpvShare  # the QPV whose overspend it covers


@dataclass(frozen=True)
class ProgrammeTotals:
    """The whole programme as the avenant states it, with every total computed from its lines."""

    actions: tuple[ActionLine, ...]
    axes: tuple[AxisTotal, ...]
    qpvs: tuple[QpvTotal, ...]
    total_abattement: Decimal
    total_report: Decimal
    total_disponible: Decimal
    total_valorise: Decimal
    total_cout: Decimal
    total_cofinancement: Decimal
    transferts: tuple[Transfer, ...] = ()  # surpluses moved between QPV to cover overspends
    reports: tuple[QpvShare, ...] = ()  # what each QPV leaves unused once the transfers are made

    @property
    def reports_recus(self) -> tuple[QpvShare, ...]:
        """The carry-over received from the previous year, QPV by QPV (those that receive one)."""
        return tuple(QpvShare(q.code, q.nom, q.report) for q in self.qpvs if q.report > 0)

    @property
    def inutilise_eleve(self) -> bool:
        """More than a quarter of the amount available is left unused."""
        return self.total_disponible > 0 and self.report_propose > self.total_disponible * UNUSED_SHARE

    @property
    def quartiers_sans_action(self) -> tuple[QpvTotal, ...]:
        """The convention's QPV that no action of the programme concerns."""
        concerned = {share.code for action in self.actions for share in action.qpv}
        return tuple(q for q in self.qpvs if q.code not in concerned)

    @property
    def report_au_dela_abattement(self) -> bool:
        """What is carried on exceeds the year's own abatement: part of it was already carried once."""
        return self.report_propose > self.total_abattement

    def report_de(self, code: str) -> Decimal:
        """What one QPV leaves unused (after transfers): the carry-over the next year receives there."""
        return next((share.montant for share in self.reports if share.code == code), ZERO)

    @property
    def axes_actifs(self) -> tuple[AxisTotal, ...]:
        return tuple(a for a in self.axes if a.actions)

    @property
    def ecart(self) -> Decimal:
        return marked(self.total_disponible - self.total_valorise, self.total_disponible, self.total_valorise)

    @property
    def report_propose(self) -> Decimal:
        """What is left to carry over to the next year."""
        return marked(max(self.ecart, ZERO), self.ecart)

    @property
    def depassement(self) -> Decimal:
        """What is valued beyond the amount available."""
        return marked(max(-self.ecart, ZERO), self.ecart)


def programme_totals(programme: Programme, commune: Commune) -> ProgrammeTotals:
    """The programme by axis, by QPV and overall, over the QPV of its convention."""
    names = {q.code: q.nom for q in commune.qpv}
    actions = tuple(_action_line(number, action, names) for number, action in enumerate(programme.actions, start=1))
    axes = tuple(
        AxisTotal(
            numero=n,
            intitule=label,
            actions=tuple(a for a in actions if a.axe == n),
            total_valorise=total((a.montant_valorise for a in actions if a.axe == n), ZERO),
            total_cout=total((a.cout_total for a in actions if a.axe == n), ZERO),
        )
        for n, label in enumerate(AXES, start=1)
    )
    abatement, carried = dict(programme.abattement), dict(programme.report)
    qpvs = tuple(
        _qpv_total(code, names.get(code, code), abatement.get(code, ZERO), carried.get(code, ZERO), actions)
        for code, _dwellings in commune.convention_qpv(programme.bailleur) or ()
    )
    transfers, left = balance(qpvs)
    return ProgrammeTotals(
        transferts=transfers,
        reports=left,
        actions=actions,
        axes=axes,
        qpvs=qpvs,
        total_abattement=total((q.abattement for q in qpvs), ZERO),
        total_report=total((q.report for q in qpvs), ZERO),
        total_disponible=total((q.disponible for q in qpvs), ZERO),
        total_valorise=total((q.valorise for q in qpvs), ZERO),
        total_cout=total((a.cout_total for a in actions), ZERO),
        total_cofinancement=total((a.total_cofinancement for a in actions), ZERO),
    )


def _action_line(number: int, action: Action, names: dict[str, str]) -> ActionLine:
    return ActionLine(
        numero=number,
        axe=action.axe,
        intitule_axe=AXES[action.axe - 1],
        titre=action.titre,
        description=action.description,
        qpv=tuple(QpvShare(code, names.get(code, code), amount) for code, amount in action.repartition),
        cout_total=action.cout_total,
        montant_valorise=action.montant_valorise,
        cofinancements=action.cofinancements,
        total_cofinancement=total((c.montant for c in action.cofinancements), ZERO),
        indicateurs=action.indicateurs,
        calendrier=action.calendrier,
        pluriannuelle=action.pluriannuelle,
    )


def _qpv_total(code: str, name: str, abatement: Decimal, carried: Decimal, actions: tuple[ActionLine, ...]) -> QpvTotal:
    per_axis = tuple(
        total((q.montant for a in actions if a.axe == n for q in a.qpv if q.code == code), ZERO)
        for n in range(1, len(AXES) + 1)
    )
    available, valued = total((abatement, carried), ZERO), total(per_axis, ZERO)
    return QpvTotal(
        code, name, abatement, carried, available, valued, marked(available - valued, available, valued), per_axis
    )


def balance(qpvs: tuple[QpvTotal, ...]) -> tuple[tuple[Transfer, ...], tuple[QpvShare, ...]]:
    """Surpluses cover overspends between the convention's QPV (in the convention's order of QPV), and what each QPV
    leaves unused after that: the transfers to state, and the carry-over per QPV."""
    left = {q.code: marked(max(q.ecart, ZERO), q.ecart) for q in qpvs}
    transfers = []
    for short in (q for q in qpvs if q.ecart < 0):
        need = marked(-short.ecart, short.ecart)
        for spare in (q for q in qpvs if left[q.code] > 0):
            if need <= 0:
                break
            moved = marked(min(need, left[spare.code]), need, spare.ecart)
            transfers.append(Transfer(QpvShare(spare.code, spare.nom, moved), QpvShare(short.code, short.nom, moved)))
            left[spare.code] = marked(left[spare.code] - moved, spare.ecart, moved)
            need = marked(need - moved, short.ecart, moved)
    shares = tuple(QpvShare(q.code, q.nom, left[q.code]) for q in qpvs if left[q.code] > 0)
    return tuple(transfers), shares
