"""El Chromium de las pruebas del navegador: cuál hay y, si falta, cómo conseguir uno.

Orden de búsqueda:

1. ``CURSO_LLM_CHROMIUM``: si la fijas, solo cuenta esa ruta (sirve también para
   simular que no hay navegador: ``CURSO_LLM_CHROMIUM=/ruta/que/no/existe``).
2. El Chromium del sistema: ``/usr/bin/chromium`` (Debian) o ``chromium``,
   ``chromium-browser``, ``google-chrome`` en el PATH. Los de snap (Ubuntu) no cuentan:
   su confinamiento no deja leer el perfil temporal que crea Playwright.
3. El Chromium propio de Playwright (``python -m playwright install chromium``), que es
   lo que tiene quien usa macOS o Linux sin ser root.

Como programa lo usa ``make pruebas`` (``python tests/buscar_chromium.py --instalar``):
si no hay ninguno, lo instala con ``apt-get`` (root en Debian o Ubuntu) o con Playwright
(cualquier usuario). Nunca corta ``make pruebas``: si no se puede, pytest omite las pruebas
del navegador y dice cuántas y por qué, o las da por falladas si fijas
``CURSO_LLM_PRUEBAS_COMPLETAS=1`` (lo hace la integración continua).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass

VARIABLE = "CURSO_LLM_CHROMIUM"
VARIABLE_COMPLETAS = "CURSO_LLM_PRUEBAS_COMPLETAS"
SISTEMA = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
COMO_CONSEGUIRLO = (
    "Para ejecutarlas, instala Chromium (Debian/Ubuntu: sudo apt-get install chromium) "
    "o el de Playwright (.venv/bin/python -m playwright install chromium) y repite make pruebas."
)


@dataclass(frozen=True)
class Navegador:
    """``ruta`` del ejecutable y de dónde sale; sin ruta, ``origen`` dice por qué no hay."""

    ruta: str | None
    origen: str


def pruebas_completas() -> bool:
    """¿Debe fallar (en vez de omitirse) una prueba a la que le falta algo de la máquina?"""
    return os.environ.get(VARIABLE_COMPLETAS, "").strip() not in ("", "0")


def _ejecutable(ruta: str | None) -> bool:
    return bool(ruta) and os.path.isfile(ruta) and os.access(ruta, os.X_OK)


def _es_snap(ruta: str) -> bool:
    """¿Es el Chromium de snap? (/snap/bin/chromium enlaza a /usr/bin/snap; el chromium-browser
    de Ubuntu es un guion que lanza /snap/bin/chromium)."""
    real = os.path.realpath(ruta)
    if ruta.startswith("/snap/") or real.startswith("/snap/") or os.path.basename(real) == "snap":
        return True
    try:
        with open(real, "rb") as archivo:
            cabeza = archivo.read(65536)
    except OSError:
        return False
    return cabeza.startswith(b"#!") and b"/snap/" in cabeza


def _del_sistema() -> str | None:
    for nombre in SISTEMA:
        ruta = nombre if os.path.isabs(nombre) else shutil.which(nombre)
        if _ejecutable(ruta) and not _es_snap(ruta):
            return ruta
    return None


def _de_playwright() -> str | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as p:
            ruta = p.chromium.executable_path
    except Exception:  # sin su controlador o en un bucle asyncio: como si no estuviera
        return None
    return ruta if _ejecutable(ruta) else None


def buscar() -> Navegador:
    """El Chromium para las pruebas, o ``Navegador(None, motivo)``."""
    propia = os.environ.get(VARIABLE, "").strip()
    if propia:
        if _ejecutable(propia):
            return Navegador(propia, f"el de {VARIABLE}")
        return Navegador(None, f"{VARIABLE}={propia} no es un ejecutable")
    ruta = _del_sistema()
    if ruta:
        return Navegador(ruta, "del sistema")
    ruta = _de_playwright()
    if ruta:
        return Navegador(ruta, "de Playwright")
    return Navegador(None, "no hay Chromium en el sistema ni el de Playwright")


def _ejecutar(orden: list[str], registro, **opciones) -> bool:
    registro.write(f"$ {' '.join(orden)}\n")
    registro.flush()
    try:
        return subprocess.run(orden, stdout=registro, stderr=subprocess.STDOUT, **opciones).returncode == 0
    except (OSError, subprocess.TimeoutExpired) as error:
        registro.write(f"{error}\n")
        return False


def instalar(registro_en: str) -> Navegador:
    """Busca un Chromium y, si no hay, intenta instalarlo. Imprime una línea por paso."""
    hallado = buscar()
    if hallado.ruta or os.environ.get(VARIABLE, "").strip():
        return hallado
    with open(registro_en, "w", encoding="utf-8") as registro:
        es_root = hasattr(os, "geteuid") and os.geteuid() == 0
        if es_root and shutil.which("apt-get"):
            print("No hay Chromium: lo instalo con apt-get (eres root)…", flush=True)
            entorno = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            if _ejecutar(["apt-get", "update", "-qq"], registro, env=entorno, timeout=600) and _ejecutar(
                    ["apt-get", "install", "-y", "-qq", "chromium"], registro, env=entorno, timeout=900):
                hallado = buscar()
        if not hallado.ruta:
            print("No hay Chromium del sistema: descargo el de Playwright "
                  "(python -m playwright install chromium)…", flush=True)
            if _ejecutar([sys.executable, "-m", "playwright", "install", "chromium"], registro, timeout=900):
                hallado = buscar()
            else:
                print(f"No pude descargarlo (detalles en {registro_en}).")
    return hallado


def main(argumentos: list[str]) -> int:
    if argumentos[:1] == ["--instalar"]:
        registro = argumentos[1] if len(argumentos) > 1 else "navegador.log"
        hallado = instalar(registro)
    else:
        hallado = buscar()
    if hallado.ruta:
        print(f"Navegador de las pruebas: {hallado.ruta} ({hallado.origen}).")
    else:
        consecuencia = ("fallarán (CURSO_LLM_PRUEBAS_COMPLETAS)" if pruebas_completas()
                        else "se omitirán y pytest dirá cuántas")
        print(f"Sin navegador para las pruebas ({hallado.origen}): las del navegador {consecuencia}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
