"""Benchmark: a synthetic territory built by atfpb against LibreOffice alone on the same files (make bench)."""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.stages import stage_profile  # noqa: E402
from generator.build.review import check_files  # noqa: E402
from generator.inputs.project import Project, load_inputs  # noqa: E402
from generator.inputs.referentials import official_communes, qpv_reference  # noqa: E402
from generator.pdf.convert import BATCH_SIZE, PDF_EXPORT, soffice  # noqa: E402

PROFILED = 40  # documents replayed stage by stage for the profile

LANDLORDS = (
    "Habitat Essai Un",
    "Habitat Essai Deux",
    "Habitat Essai Trois",
    "Habitat Essai Quatre",
    "Habitat Essai Cinq",
)


def pairs_by_epci() -> dict[str, list[tuple[str, str, list[str]]]]:
    """For each EPCI, its communes with QPV: (INSEE, name, QPV codes)."""
    communes = official_communes()
    by_commune: dict[str, list[str]] = defaultdict(list)
    for qpv in qpv_reference().values():
        for insee in qpv.insee_communes:
            by_commune[insee].append(qpv.code)
    result: dict[str, list[tuple[str, str, list[str]]]] = defaultdict(list)
    for insee, codes in sorted(by_commune.items()):
        if insee in communes:
            result[communes[insee].siren_epci].append((insee, communes[insee].nom, sorted(codes)))
    return result


def territory_yaml(siren: str, landlords: int) -> str:
    people = "\n".join(
        f"  - nom: {LANDLORDS[i]}\n    nom_court: {LANDLORDS[i]}\n    representant:\n"
        f"      qualite: Directeur général de {LANDLORDS[i]}\n"
        for i in range(landlords)
    )
    return f"""epci:
  nom: Intercommunalité d'essai {siren}
  nom_officiel: Intercommunalité d'essai {siren}
  siren: "{siren}"
  siege: Siège
  president:
    qualite: Président de l'intercommunalité
etat:
  departement: Département
  prefet:
    qualite: Préfet du département
contrat:
  nom: Contrat Quartiers 2030
  deliberation:
    numero: D 0001
    date: 2024-04-08
  date_signature: 2024-04-10
  debut: 2024
  fin: 2030
  signataires: [l'État]
  orientations: [Améliorer le cadre de vie et le logement]
convention:
  debut: 2025
  fin: 2030
  date_document: 2025-03-14
bailleurs:
{people}"""


def commune_yaml(name: str, insee: str, codes: list[str], landlords: list[str]) -> str:
    qpv = "".join(f"  - {code}\n" for code in codes)
    holdings = "".join(
        f"  - nom: {landlord}\n    logements:\n" + "".join(f"      {code}: {10 + i}\n" for i, code in enumerate(codes))
        for landlord in landlords
    )
    return (
        f'nom: "{name}"\ninsee: "{insee}"\nmaire:\ndeliberation:\n  numero: "2024-1"\n  date: 2024-11-26\n'
        f"qpv:\n{qpv}bailleurs:\n{holdings}"
    )


def programme_yaml(name: str, landlord: str, codes: list[str]) -> str:
    abatement = "".join(f"  {code}: 3000\n" for code in codes)
    actions = "".join(
        f"  - axe: {axis}\n    titre: Action {axis}\n    qpv: {codes[axis % len(codes)]}\n    cout_total: 1500\n"
        f"    montant_valorise: 1000\n"
        for axis in range(1, 6)
    )
    return f'commune: "{name}"\nbailleur: {landlord}\nannee: 2026\nabattement:\n{abatement}actions:\n{actions}'


def make_territory(folder: Path, siren: str, communes: list[tuple[str, str, list[str]]], pairs: int) -> int:
    """A project for one EPCI with `pairs` commune × landlord pairs (each with a 2026 programme)."""
    for name in ("clauses", "templates"):
        shutil.copytree(ROOT / name, folder / name)
    (folder / "instances" / "communes").mkdir(parents=True)
    (folder / "instances" / "programmes").mkdir()
    landlords_per_commune = max(1, min(len(LANDLORDS), -(-pairs // len(communes))))
    (folder / "instances" / "territoire.yaml").write_text(territory_yaml(siren, landlords_per_commune), "utf-8")
    made = 0
    for insee, name, codes in communes:
        landlords = list(LANDLORDS[: min(landlords_per_commune, pairs - made)])
        if not landlords:
            break
        (folder / "instances" / "communes" / f"{insee}.yaml").write_text(
            commune_yaml(name, insee, codes, landlords), "utf-8"
        )
        for landlord in landlords:
            (folder / "instances" / "programmes" / f"{insee}-{landlord.replace(' ', '-')}.yaml").write_text(
                programme_yaml(name, landlord, codes), "utf-8"
            )
        made += len(landlords)
    return made


def timed_build(folder: Path, jobs: int, *extra: str) -> tuple[float, str]:
    """Wall time of `atfpb build` on one project, and its own line of stage times."""
    return _timed_cli(["--projet", str(folder), "build"], jobs, *extra)


def timed_builds(parent: Path, jobs: int) -> tuple[float, str]:
    """Wall time of `atfpb build --projets` on every project inside `parent`, in one run, and its line of stage times.

    A project that fails does not stop the others; the build then ends in error, and so does the benchmark.
    """
    return _timed_cli(["build", "--projets", str(parent)], jobs)


def _timed_cli(command: list[str], jobs: int, *extra: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", *command, "-q", "--jobs", str(jobs), *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"la construction a échoué, pas de mesure :\n{done.stdout}{done.stderr}")
    stages = next((line for line in done.stdout.splitlines() if line.startswith("Durées")), "")
    return time.perf_counter() - started, stages


def libreoffice_floor(documents: list[Path], jobs: int, outdir: Path) -> float:
    """LibreOffice alone: the same DOCX, the same number of processes and batches, nothing else."""
    program = soffice()
    size = max(1, min(BATCH_SIZE, -(-len(documents) // jobs)))
    batches = [documents[i : i + size] for i in range(0, len(documents), size)]

    def convert(batch: list[Path]) -> None:
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(
                [
                    program,
                    f"-env:UserInstallation={Path(profile).as_uri()}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    PDF_EXPORT,
                    "--outdir",
                    str(outdir),
                    *map(str, batch),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(convert, batches))
    return time.perf_counter() - started


def floor_of(folders: list[Path], jobs: int, scratch: Path) -> float:
    """LibreOffice alone on every project's DOCX files (copied aside), as the build converts them: all in one pool,
    project after project (named apart, as the build names them, when several projects share the pool)."""
    copies = scratch / "floor"
    copies.mkdir(parents=True)
    documents = []
    for number, folder in enumerate(folders, 1):
        tag = f"{number}-" if len(folders) > 1 else ""
        for document in sorted((folder / "output").rglob("*.docx")):
            documents.append(copies / f"{tag}{document.name}")
            shutil.copy(document, documents[-1])
    return libreoffice_floor(documents, jobs, scratch / "floor-pdf")


def check_time(folder: Path) -> float:
    """Median time of checking one built PDF against its instance data (20 runs)."""
    project = Project(folder)
    inputs = load_inputs(project)
    one = sorted((folder / "output").rglob("*.pdf"))[0]
    times = []
    for _ in range(20):
        started = time.perf_counter()
        check_files(project, inputs, [one], None, None)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_memory() -> float:
    """The largest resident size, in MiB, of this process or any of its children (workers, LibreOffice)."""
    return max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024


def report(
    heading: str, documents: int, wall: float, stages: str, memory: float, floor: float, rebuild: float, check: float
) -> None:
    print(heading)
    print(f"documents: {documents} (conventions et avenants, Word et PDF)")
    print(f"wall: {wall:.1f} s ; per document: {wall / documents:.2f} s")
    print(f"  {stages}")
    print(f"floor (LibreOffice seul): {floor:.1f} s")
    print(f"peak memory: {memory:.0f} MiB (plus gros processus de la construction)")
    print(f"no-change rebuild: {rebuild:.2f} s")
    print(f"check one document (median of 20, PDF): {check * 1000:.0f} ms")
    print(f"ratio: {wall / floor:.2f}")


def territory(pairs_wanted: int, jobs: int) -> None:
    """One EPCI, built by the command line as a user would, against the best of two LibreOffice-only runs."""
    siren, communes = max(pairs_by_epci().items(), key=lambda item: len(item[1]))
    with tempfile.TemporaryDirectory(prefix="atfpb-bench-") as scratch:
        folder = Path(scratch) / "territoire"
        pairs = make_territory(folder, siren, communes, pairs_wanted)
        wall, stages = timed_build(folder, jobs)
        memory = peak_memory()
        documents = len(list((folder / "output").rglob("*.docx")))
        floor = min(floor_of([folder], jobs, Path(scratch) / f"essai-{n}") for n in (1, 2))
        rebuild, _ = timed_build(folder, jobs)
        heading = f"territoire : EPCI {siren}, {pairs} couples commune × bailleur, {jobs} processus"
        report(heading, documents, wall, stages, memory, floor, rebuild, check_time(folder))
        raw = {pdf.stem: pdf for pdf in (Path(scratch) / "essai-1" / "floor-pdf").glob("*.pdf")}
        profile = stage_profile(folder, raw, PROFILED, Path(scratch) / "profil")
        print(f"profil par étape ({PROFILED} documents rejoués dans un seul processus, hors LibreOffice) :")
        print("\n".join(profile.lines()))


def national(landlords: int, jobs: int, limit: int) -> None:
    """Every QPV of the reference: one project per EPCI, each commune with `landlords` landlords and their avenants,
    all built in one run (`atfpb build --projets`), against the best of two LibreOffice-only runs on the same files."""
    epcis = sorted(pairs_by_epci().items())[: limit or None]
    with tempfile.TemporaryDirectory(prefix="atfpb-bench-national-") as scratch:
        parent = Path(scratch) / "projets"
        folders, pairs = [], 0
        for siren, communes in epcis:
            folder = parent / siren
            pairs += make_territory(folder, siren, communes, len(communes) * landlords)
            folders.append(folder)
        wall, stages = timed_builds(parent, jobs)
        memory = peak_memory()
        documents = sum(len(list((f / "output").rglob("*.docx"))) for f in folders)
        floor = min(floor_of(folders, jobs, Path(scratch) / f"essai-{n}") for n in (1, 2))
        rebuild, _ = timed_builds(parent, jobs)
        qpv = len({code for _siren, communes in epcis for _insee, _name, codes in communes for code in codes})
        heading = (
            f"national : {qpv} QPV, {len(folders)} EPCI construits en une seule construction, {pairs} couples "
            f"commune × bailleur, {jobs} processus"
        )
        report(heading, documents, wall, stages, memory, floor, rebuild, check_time(folders[0]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=100, help="couples commune × bailleur du territoire")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--national", action="store_true", help="tous les QPV du référentiel, EPCI par EPCI")
    parser.add_argument("--bailleurs", type=int, default=2, help="bailleurs par commune (--national)")
    parser.add_argument("--limite-epci", type=int, default=0, help="seulement les N premiers EPCI (--national, essais)")
    arguments = parser.parse_args()
    if arguments.national:
        national(arguments.bailleurs, arguments.jobs, arguments.limite_epci)
    else:
        territory(arguments.pairs, arguments.jobs)


if __name__ == "__main__":
    main()
