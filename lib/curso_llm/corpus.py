"""El corpus propio del curso y los conjuntos de datos locales.

El corpus son textos en español escritos para el curso (ver ``datos/FICHA.md``):
varios archivos ``datos/corpus/*.txt`` con piezas separadas por una línea ``---``.
Las recetas (``recetas.txt``) son el subconjunto de estilo para el ajuste fino y no
entran en el preentrenamiento. La partición entrenamiento/validación es fija: depende
solo del texto de cada pieza.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errores import ErrorCurso, RecursoNoDisponible

#: El subconjunto de estilo (ajuste fino); el resto del corpus es para preentrenar.
ESTILO = "recetas"
#: Una de cada ``PARTES_VALIDACION`` piezas (por su hash) va a validación.
PARTES_VALIDACION = 10
SEPARADOR = "---"
NOMBRES_SESGO = ("sin sesgo", "con sesgo")
"""Nombres de las clases de ``sesgo-genero`` (columna ``label``, ``ClassLabel``), en los dos modos."""


def rasgos_sesgo():
    """Las columnas de ``sesgo-genero`` en los dos modos: ``text`` y ``label`` (``ClassLabel``)."""
    import datasets

    return datasets.Features(
        {"text": datasets.Value("string"), "label": datasets.ClassLabel(names=list(NOMBRES_SESGO))}
    )


def carpeta_datos() -> Path:
    return Path(str(resources.files("curso_llm") / "datos"))


def archivos_corpus(carpeta: Path | None = None) -> dict[str, Path]:
    """``{nombre: ruta}`` de los archivos del corpus, en orden alfabético."""
    carpeta = carpeta or carpeta_datos() / "corpus"
    return {p.stem: p for p in sorted(Path(carpeta).glob("*.txt"))}


def piezas(texto: str) -> list[str]:
    """Divide un archivo del corpus en piezas (separadas por una línea ``---``)."""
    bloques, actual = [], []
    for linea in texto.splitlines():
        if linea.strip() == SEPARADOR:
            bloques.append("\n".join(actual).strip())
            actual = []
        else:
            actual.append(linea)
    bloques.append("\n".join(actual).strip())
    return [b for b in bloques if b]


def parte_de(pieza: str) -> str:
    """``"validation"`` o ``"train"``, fijo para cada pieza (no depende del orden ni del azar)."""
    resumen = hashlib.sha256(pieza.encode("utf-8")).digest()
    return "validation" if int.from_bytes(resumen[:4], "big") % PARTES_VALIDACION == 0 else "train"


def leer_corpus(estilo: bool = False, carpeta: Path | None = None) -> dict[str, list[str]]:
    """``{"train": [...], "validation": [...]}`` con las piezas del corpus general
    (``estilo=False``) o del subconjunto de estilo (``estilo=True``)."""
    archivos = archivos_corpus(carpeta)
    elegidos = [p for nombre, p in archivos.items() if (nombre == ESTILO) == estilo]
    if not elegidos:
        que = "de estilo (recetas.txt)" if estilo else "general"
        raise RecursoNoDisponible(f"No encuentro el corpus {que} en {carpeta or carpeta_datos() / 'corpus'}.")
    partes: dict[str, list[str]] = {"train": [], "validation": []}
    for ruta in elegidos:
        for pieza in piezas(ruta.read_text(encoding="utf-8")):
            partes[parte_de(pieza)].append(pieza)
    if not partes["train"] or not partes["validation"]:
        raise ErrorCurso(
            "El corpus está vacío o es demasiado pequeño para tener entrenamiento y validación: "
            "añade piezas separadas por líneas '---'."
        )
    return partes


def huella_corpus(carpeta: Path | None = None) -> str:
    """Hash del contenido de todo el corpus: cambia si cambia una sola letra."""
    h = hashlib.sha256()
    for nombre, ruta in archivos_corpus(carpeta).items():
        h.update(nombre.encode())
        h.update(ruta.read_bytes())
    return h.hexdigest()[:16]


def _dataset_texto(partes: dict[str, list[str]]):
    import datasets

    rasgos = datasets.Features({"text": datasets.Value("string")})
    return datasets.DatasetDict(
        {parte: datasets.Dataset.from_dict({"text": textos}, features=rasgos) for parte, textos in partes.items()}
    )


def web_local():
    """``web-es`` local: el corpus general, columna ``text``, partes train/validation."""
    return _dataset_texto(leer_corpus(estilo=False))


def recetas_local():
    """El subconjunto de estilo (recetas), columna ``text``, partes train/validation."""
    return _dataset_texto(leer_corpus(estilo=True))


def leer_jsonl(archivo: str, es_valida, forma: str) -> list[dict]:
    """Las filas de ``archivo`` (un JSONL de ``datos/``, ruta relativa): un objeto por línea no vacía.

    ``es_valida(fila)`` dice si una fila sirve; si no, un ``ErrorCurso`` nombra la línea y la
    ``forma`` esperada (una línea que ni siquiera es JSON también)."""
    ruta = carpeta_datos() / archivo
    filas = []
    for n, linea in enumerate(ruta.read_text(encoding="utf-8").splitlines(), 1):
        if not linea.strip():
            continue
        try:
            fila = json.loads(linea)
        except json.JSONDecodeError as error:
            raise ErrorCurso(f"La línea {n} de {ruta.name} no es JSON válido ({error.msg}): "
                             f"cada línea debe ser un objeto {forma}.") from None
        if not isinstance(fila, dict) or not es_valida(fila):
            raise ErrorCurso(f"La línea {n} de {ruta.name} no tiene la forma {forma}.")
        filas.append(fila)
    return filas


@lru_cache(maxsize=1)
def _filas_sesgo() -> tuple[tuple[str, int], ...]:
    filas = leer_jsonl("sesgo/sesgo_genero.jsonl",
                       lambda f: set(f) == {"text", "label"} and isinstance(f["text"], str) and f["label"] in (0, 1),
                       "{'text': …, 'label': 0 o 1}")
    return tuple((f["text"].strip(), int(f["label"])) for f in filas)


def sesgo_local():
    """``sesgo-genero`` local: ``text`` y ``label`` (``ClassLabel``), solo ``train`` como en el Hub."""
    import datasets

    filas = _filas_sesgo()
    columnas = {"text": [t for t, _ in filas], "label": [e for _, e in filas]}
    return datasets.DatasetDict({"train": datasets.Dataset.from_dict(columnas, features=rasgos_sesgo())})
