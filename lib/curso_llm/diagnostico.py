"""``python -m curso_llm diagnostico``: ¿tu entorno es el que espera el curso?"""

from __future__ import annotations

import os
import re
import sys
from importlib import metadata
from pathlib import Path

from .errores import ModoInvalido
from .modo import VARIABLE_MODO, VARIABLES_SIN_RED, carpeta_cache, modo_actual

_FIJADO = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*([^\s;#]+)")


def _normalizar(nombre: str) -> str:
    return re.sub(r"[-_.]+", "-", nombre).lower()


def leer_fijados(texto: str) -> dict[str, str]:
    """Los paquetes ``nombre==versión`` de un requirements.txt (ignora comentarios y opciones)."""
    fijados = {}
    for linea in texto.splitlines():
        coincidencia = _FIJADO.match(linea)
        if coincidencia:
            fijados[_normalizar(coincidencia.group(1))] = coincidencia.group(2)
    return fijados


#: Lo que hay que instalar si falta ``packaging`` (el diagnóstico lo usa para leer rangos de versiones).
ARREGLO_PACKAGING = "pip install packaging"


def _fijados_del_paquete() -> dict[str, str]:
    """Lo que pide ``curso-llm[colab]`` (rangos, en Colab): ``{nombre: especificador}``.

    Lanza ``ImportError`` si falta ``packaging`` y ``metadata.PackageNotFoundError`` si ``curso-llm``
    no está instalado como paquete: ``diagnosticar`` convierte cada caso en una línea ``[FALLA]``.
    """
    lineas = metadata.requires("curso-llm") or []
    from packaging.requirements import Requirement

    pedidos = {}
    for linea in lineas:
        requisito = Requirement(linea)
        if requisito.marker is None or requisito.marker.evaluate({"extra": "colab"}):
            pedidos[_normalizar(requisito.name)] = str(requisito.specifier)
    return pedidos


def _hay_packaging() -> bool:
    try:
        import packaging.specifiers  # noqa: F401
    except ImportError:
        return False
    return True


def _coincide(instalada: str, esperada: str) -> bool:
    """``esperada`` es una versión exacta (requirements.txt) o un especificador (``>=5.15,<6``)."""
    base = instalada.split("+")[0]  # torch de CPU se llama 2.13.0+cpu: la etiqueta local no cuenta
    if instalada == esperada or base == esperada:
        return True
    try:
        from packaging.specifiers import InvalidSpecifier, SpecifierSet
    except ImportError:  # sin packaging solo se comparan versiones exactas (la línea [FALLA] lo dice)
        return False
    try:
        return SpecifierSet(esperada).contains(base, prereleases=True)
    except InvalidSpecifier:
        return False


def diagnosticar(requisitos: Path | None = None) -> list[tuple[bool, str]]:
    """Lista de ``(bien, mensaje)``; ``bien`` es ``False`` en cada cosa a arreglar."""
    lineas: list[tuple[bool, str]] = []
    version = sys.version_info
    lineas.append(
        (
            version >= (3, 10),
            f"Python {version.major}.{version.minor}.{version.micro}"
            + ("" if version >= (3, 10) else ": el curso necesita Python 3.10 o posterior (recomendado 3.11)."),
        )
    )

    if requisitos is None and Path("requirements.txt").exists():
        requisitos = Path("requirements.txt")
    if requisitos is not None:
        if not Path(requisitos).exists():
            lineas.append((False, f"No encuentro {requisitos}. Ejecuta el diagnóstico desde la carpeta del repositorio."))
            fijados = {}
        else:
            fijados = leer_fijados(Path(requisitos).read_text(encoding="utf-8"))
        origen = str(requisitos)
    else:
        origen = "las dependencias de curso-llm[colab]"
        try:
            fijados = _fijados_del_paquete()
        except metadata.PackageNotFoundError:  # antes que ImportError: es una subclase suya
            lineas.append((False, "curso-llm no está instalado como paquete, así que no sé qué versiones pide. "
                                  'Ejecuta: pip install "curso-llm[colab] @ git+…" (la primera celda de cada '
                                  "capítulo) o usa --requisitos requirements.txt desde la carpeta del repositorio."))
            fijados = {}
        except ImportError:
            fijados = {}  # la línea [FALLA] de packaging va abajo
    if not _hay_packaging():
        lineas.append((False, "Falta el paquete packaging, que el diagnóstico usa para comparar versiones con "
                              f"rangos. Ejecuta: {ARREGLO_PACKAGING}"))
    arreglo = f"pip install -r {requisitos}" if requisitos else 'pip install "curso-llm[colab]"'
    for nombre, esperada in sorted(fijados.items()):
        try:
            instalada = metadata.version(nombre)
        except metadata.PackageNotFoundError:
            lineas.append((False, f"{nombre} no está instalado (se espera {esperada}, según {origen}). Ejecuta: {arreglo}"))
            continue
        if _coincide(instalada, esperada):
            lineas.append((True, f"{nombre} {instalada}"))
        else:
            pide = esperada if esperada[:1] in "<>=!~" else f"=={esperada}"
            lineas.append((False, f"{nombre} {instalada}, pero el curso pide {pide}. Ejecuta: {arreglo}"))

    try:
        modo = modo_actual()
    except ModoInvalido as error:
        lineas.append((False, str(error)))
    else:
        lineas.append((True, f"Modo {modo} ({VARIABLE_MODO}={os.environ.get(VARIABLE_MODO, '') or 'sin fijar'})"))
        if modo == "local":
            sin_red = [v for v in VARIABLES_SIN_RED if os.environ.get(v) != "1"]
            lineas.append(
                (not sin_red, "Bibliotecas de Hugging Face sin red" if not sin_red else
                 f"En modo local faltan {', '.join(sin_red)}=1: importa curso_llm antes que transformers.")
            )
    try:
        prueba = carpeta_cache() / ".escritura"
        prueba.write_text("ok")
        prueba.unlink()
        lineas.append((True, f"Caché del curso en {carpeta_cache()}"))
    except OSError as error:
        lineas.append((False, f"No puedo escribir en la caché ({error}). Fija CURSO_LLM_CACHE a una carpeta tuya."))
    return lineas


def imprimir_diagnostico(requisitos: Path | None = None) -> int:
    """Imprime ``[OK]``/``[FALLA]`` por línea y devuelve 0 si todo está bien, 1 si no."""
    lineas = diagnosticar(requisitos)
    for bien, mensaje in lineas:
        print(f"[{'OK' if bien else 'FALLA'}] {mensaje}")
    fallas = sum(not bien for bien, _ in lineas)
    print("Todo listo para el curso." if not fallas else f"{fallas} cosa(s) por arreglar: mira las líneas [FALLA].")
    return 1 if fallas else 0
