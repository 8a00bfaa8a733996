"""The landlords' dwellings file (CSV or .xlsx): dwellings by commune, landlord and QPV, each problem located."""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import AtfpbError, Collector, DataError, Location
from ..text import slugify
from ..typography import french_list
from .referentials import OLD_QPV_CODE, QPV_CODE, EpciCommune, official_communes, qpv_reference

COLUMNS = ("commune", "bailleur", "qpv", "logements")
INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$", re.IGNORECASE)
XLSX_MAGIC = b"PK\x03\x04"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_SIGNATURES = (
    (b"%PDF", "un document PDF"),
    (b"\x89PNG", "une image PNG"),
    (b"\xff\xd8\xff", "une image JPEG"),
    (b"GIF8", "une image GIF"),
    (b"\xd0\xcf\x11\xe0", "un fichier Office d'ancien format (.xls ou .doc)"),
)
MAX_NAME = 300
TITLE_LINES = 5  # lines a spreadsheet may hold above the header (a title, a date, « sep=; »)


@dataclass(frozen=True)
class DwellingRow:
    """One line of the file: a landlord's dwellings in one QPV of one commune."""

    insee: str
    commune: str  # official name
    bailleur: str  # as written, spaces collapsed
    qpv: str
    logements: int
    location: Location


@dataclass(frozen=True)
class _Line:
    """A non-empty line of the file (CSV) or row of the sheet (.xlsx), with its cells as read."""

    number: int
    cells: tuple[object, ...]
    shown_as: str
    sheet: str | None = None

    def at(self, column: int) -> Location:
        """Where a cell is (column 0-based): the line of a CSV file, the cell of a sheet."""
        if self.sheet is None:
            return Location(self.shown_as, self.number)
        from .workbook.dwellings import cell_reference  # openpyxl is loaded only when a workbook is read

        return Location(self.shown_as, cell=cell_reference(self.sheet, self.number, column + 1))

    def cell(self, column: int) -> object:
        return self.cells[column] if column < len(self.cells) else None


def read_dwellings(path: Path, shown_as: str, siren: str, epci_name: str = "") -> tuple[DwellingRow, ...]:
    """Every row of the file, checked against the EPCI `siren` and the QPV of 2024; all problems raised together.

    `epci_name` is the EPCI as messages write it after « dans » (« Valenciennes Métropole », « le Grand Avignon »).
    """
    lines = _read_lines(path, shown_as)
    if not lines:
        raise DataError(f"fichier vide : {_EXPECTED}", Location(shown_as))
    start = _header_index(lines)
    header, data = lines[start], lines[start + 1 :]
    columns = _columns(header)
    if not data:
        raise DataError(f"aucune ligne de données après l'en-tête : {_EXPECTED}", header.at(0))
    members = _Members(siren, epci_name or f"l'EPCI {siren}")
    problems = Collector()
    read = [(line.number, _read_row(line, columns, members, problems)) for line in data]
    rows = _once_each([(number, row) for number, row in read if row is not None], problems)
    problems.raise_any()
    return rows


def _once_each(rows: list[tuple[int, DwellingRow]], problems: Collector) -> tuple[DwellingRow, ...]:
    """The rows, a second one for the same commune, landlord and QPV reported as a duplicate."""
    first_line: dict[tuple[str, str, str], int] = {}
    kept: list[DwellingRow] = []
    for number, row in rows:
        key = (row.insee, slugify(row.bailleur), row.qpv)
        if key in first_line:
            message = f"ligne en double : même commune, bailleur et QPV qu'à la ligne {first_line[key]}."
            problems.add(DataError(message, row.location))
            continue
        first_line[key] = number
        kept.append(row)
    return tuple(kept)


_EXPECTED = (
    "le fichier des logements compte une ligne d'en-tête (commune, bailleur, qpv, logements) "
    "puis une ligne par commune, bailleur et QPV."
)


# --- the file as lines of cells ------------------------------------------------------------------
def _read_lines(path: Path, shown_as: str) -> list[_Line]:
    """The non-empty lines of a CSV file or of a workbook's first sheet, recognised by their content."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError("fichier des logements introuvable.", Location(shown_as)) from None
    except OSError as exc:
        raise DataError(f"lecture impossible ({exc.strerror}).", Location(shown_as)) from None
    if data.startswith(XLSX_MAGIC):
        from .workbook.dwellings import read_first_sheet  # openpyxl is loaded only when a workbook is read

        sheet = read_first_sheet(path, shown_as)
        return [_Line(number, values, shown_as, sheet.title) for number, values in sheet.rows]
    return _csv_lines(_decode(data, shown_as), shown_as)


def _decode(data: bytes, shown_as: str) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), else Windows-1252 (French Excel); binary refused."""
    kind = _binary_kind(data)
    text = None if kind else _text_of(data)
    if text is None or _CONTROL.search(text):
        raise DataError(
            f"ce fichier n'est ni un tableau CSV ni un classeur .xlsx (c'est {kind or 'un fichier binaire'}) : "
            "enregistrez le tableau des logements au format .csv ou .xlsx.",
            Location(shown_as),
        )
    return text


def _binary_kind(data: bytes) -> str | None:
    """What a binary file is, from its first bytes; None for what may be text."""
    kind = next((name for magic, name in _SIGNATURES if data.startswith(magic)), None)
    return kind or ("un fichier binaire" if b"\x00" in data else None)


def _text_of(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _csv_lines(text: str, shown_as: str) -> list[_Line]:
    """The non-empty lines of a CSV text, separated by « ; » or « , » (whichever the first lines use most)."""
    first = "\n".join([line for line in text.splitlines() if line.strip()][: TITLE_LINES + 1])
    separator = ";" if first.count(";") >= max(first.count(","), 1) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    lines: list[_Line] = []
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                lines.append(_Line(start, tuple(cells), shown_as))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(f"ligne CSV illisible ({exc}).", Location(shown_as, start)) from None
    return lines


def _header_index(lines: list[_Line]) -> int:
    """The header: the first line naming every column among the first ones (a title may stand above it)."""
    for index, line in enumerate(lines[: TITLE_LINES + 1]):
        if all(column in _named(line) for column in COLUMNS):
            return index
    return 0


def _named(line: _Line) -> dict[str, list[int]]:
    """The positions of the cells naming each expected column, in any case or accents, singular or plural."""
    found: dict[str, list[int]] = {}
    for index, value in enumerate(line.cells):
        key = slugify(_text(value)).replace("-", "")
        name = next((column for column in COLUMNS if key in (column, column.rstrip("s"), column + "s")), None)
        if name is not None:
            found.setdefault(name, []).append(index)
    return found


def _columns(header: _Line) -> dict[str, int]:
    """The position of each expected column; a missing or repeated one is an error at the header."""
    named = _named(header)
    repeated = next((name for name, places in named.items() if len(places) > 1), None)
    if repeated is not None:
        raise DataError(
            f"la colonne « {repeated} » figure deux fois dans la ligne d'en-tête.", header.at(named[repeated][1])
        )
    missing = [column for column in COLUMNS if column not in named]
    if missing:
        read = ", ".join(f"« {_text(value)} »" for value in header.cells if _text(value)) or "rien"
        plural = "s" if len(missing) > 1 else ""
        raise DataError(
            f"colonne{plural} {french_list([f'« {m} »' for m in missing])} introuvable{plural} dans la ligne "
            f"d'en-tête (lu : {read}) : la première ligne nomme les colonnes commune, bailleur, qpv et logements.",
            header.at(0),
        )
    return {name: places[0] for name, places in named.items()}


def _text(value: object) -> str:
    """A cell as text, spaces collapsed; a whole number typed in a sheet without its « .0 »."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _SPACES.sub(" ", str(value)).strip()


# --- one row -------------------------------------------------------------------------------------
def _read_row(line: _Line, columns: dict[str, int], members: _Members, problems: Collector) -> DwellingRow | None:
    """A row whose every cell is valid, or None (its problems kept, each at its cell)."""

    def error_at(column: str) -> Callable[[str], DataError]:
        return lambda message: DataError(message, line.at(columns[column]))

    cell = {column: line.cell(index) for column, index in columns.items()}
    commune = problems.attempt(lambda: members.find(_text(cell["commune"]), error_at("commune")))
    landlord = problems.attempt(lambda: _landlord(_text(cell["bailleur"]), error_at("bailleur")))
    code = problems.attempt(lambda: _qpv(_text(cell["qpv"]), error_at("qpv")))
    count = problems.attempt(lambda: _count(cell["logements"], error_at("logements")))
    coverage = _coverage(code, commune, error_at("qpv")) if commune is not None and code is not None else []
    problems.extend(coverage)
    if coverage or commune is None or landlord is None or code is None or count is None:
        return None
    return DwellingRow(commune.insee, commune.nom, landlord, code, count, line.at(columns["commune"]))


def _landlord(text: str, error: Callable[[str], DataError]) -> str:
    if not text:
        raise error("« bailleur » est vide.")
    if _CONTROL.search(text):
        raise error("« bailleur » contient un caractère de contrôle invisible.")
    if len(text) > MAX_NAME:
        raise error(f"« bailleur » est trop long ({len(text)} caractères, {MAX_NAME} au plus).")
    return text


def _qpv(text: str, error: Callable[[str], DataError]) -> str:
    code = text.replace(" ", "").upper()
    if not code:
        raise error("« qpv » est vide : indiquez le code du quartier prioritaire (par exemple QN05954M).")
    if OLD_QPV_CODE.match(code):
        raise error(f"« {code} » est un code QPV de 2015, obsolète : utilisez le code de la géographie 2024 (QN…).")
    if not QPV_CODE.match(code):
        raise error(f"« {text} » n'est pas un code QPV valide (forme attendue : QN05954M).")
    if code not in qpv_reference():
        raise error(f"le QPV « {code} » n'existe pas dans la géographie prioritaire 2024.")
    return code


def _coverage(code: str, commune: EpciCommune, error: Callable[[str], DataError]) -> list[AtfpbError]:
    quarter = qpv_reference()[code]
    if commune.insee in quarter.insee_communes:
        return []
    return [
        error(
            f"le QPV {code} ({quarter.nom}) ne couvre pas la commune {commune.nom} : "
            f"il couvre {', '.join(quarter.noms_communes)}."
        )
    ]


def _count(value: object, error: Callable[[str], DataError]) -> int:
    """A whole number of dwellings, zero or more, typed as a number or as text (« 1 200 »)."""
    shown = _text(value).replace(".", ",") if isinstance(value, float) else _text(value)
    if not shown:
        raise error("« logements » est vide : indiquez un nombre entier (0 s'il n'y a aucun logement).")
    count: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        count = value
    elif isinstance(value, float) and value.is_integer():
        count = int(value)
    elif isinstance(value, str) and re.fullmatch(r"-?\d+", _SPACES.sub("", value)):
        count = int(_SPACES.sub("", value))
    if count is None or count < 0:
        raise error(f"« logements » doit être un nombre entier positif ou nul (lu : « {shown} »).")
    return count


# --- communes of the EPCI ------------------------------------------------------------------------
class _Members:
    """The member communes of an EPCI, found by INSEE code or by name (case, accents and hyphens aside)."""

    def __init__(self, siren: str, epci_name: str) -> None:
        self.siren = siren
        self.epci_name = epci_name
        self.by_insee = {insee: c for insee, c in official_communes().items() if c.siren_epci == siren}
        self.by_name: dict[str, list[EpciCommune]] = {}
        for commune in self.by_insee.values():
            self.by_name.setdefault(slugify(commune.nom), []).append(commune)

    def find(self, text: str, error: Callable[[str], DataError]) -> EpciCommune:
        if not text:
            raise error("« commune » est vide : indiquez son nom officiel ou son code INSEE.")
        code = "0" + text if re.fullmatch(r"\d{4}", text) else text  # a spreadsheet drops the leading zero
        if INSEE_CODE.match(code):
            return self._by_code(code.upper(), error)
        found = self.by_name.get(slugify(text), [])
        if len(found) > 1:
            codes = ", ".join(c.insee for c in found)
            raise error(
                f"plusieurs communes de {self.epci_name} s'appellent « {text} » : donnez le code INSEE ({codes})."
            )
        if not found:
            raise error(self._unknown(text))
        return found[0]

    def _by_code(self, code: str, error: Callable[[str], DataError]) -> EpciCommune:
        commune = self.by_insee.get(code)
        if commune is not None:
            return commune
        other = official_communes().get(code)
        if other is None:
            raise error(f"aucune commune n'a le code INSEE « {code} ».")
        raise error(
            f"la commune {other.nom} ({code}) n'est pas dans {self.epci_name} : elle est membre de l'EPCI "
            f"{other.siren_epci}."
        )

    def _unknown(self, text: str) -> str:
        elsewhere = [c for c in _communes_by_slug().get(slugify(text), []) if c.siren_epci != self.siren]
        if elsewhere:
            where = ", ".join(f"{c.nom} ({c.insee}) est membre de l'EPCI {c.siren_epci}" for c in elsewhere)
            return f"commune « {text} » inconnue dans {self.epci_name} : {where}."
        close = difflib.get_close_matches(slugify(text), list(self.by_name), n=1, cutoff=0.6)
        hint = f" Vouliez-vous dire « {self.by_name[close[0]][0].nom} » ?" if close else ""
        return f"commune « {text} » inconnue dans {self.epci_name}.{hint}"


@cache
def _communes_by_slug() -> dict[str, list[EpciCommune]]:
    """Every commune of France by the slug of its name (built only to explain a name unknown in the EPCI)."""
    index: dict[str, list[EpciCommune]] = {}
    for commune in official_communes().values():
        index.setdefault(slugify(commune.nom), []).append(commune)
    return index
