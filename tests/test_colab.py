"""Colab sin sorpresas: la celda de instalación sobre las versiones que Colab ya trae.

Se crea un entorno con las versiones registradas de Colab (tests/colab_versiones.txt; el Python
local y el torch 2.13.0 de CPU, porque Python 3.13 con torch de CUDA no cabe en esta máquina) y se
resuelve la orden exacta de la celda de instalación (con este repositorio en lugar de GitHub).
Nada que Colab ya tenga puede cambiar de versión: «Ejecutar todo» seguiría con módulos viejos.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from conftest import RAIZ, capitulos, configuracion



COLAB = [linea.strip() for linea in (RAIZ / "tests" / "colab_versiones.txt").read_text().splitlines()
         if linea.strip() and not linea.startswith("#")]


def _orden_de_la_celda() -> str:
    """El argumento de ``%pip install`` de la primera celda (igual en todos los capítulos)."""
    ordenes = set()
    for capitulo in capitulos():
        primera = next(c for c in nbformat.read(capitulo, as_version=4).cells if c.cell_type == "code")
        ordenes |= set(re.findall(r'%pip install -q (".*?")', primera.source))
    assert len(ordenes) == 1, ordenes
    return json.loads(ordenes.pop())


def test_la_celda_instala_la_etiqueta_configurada():
    repo = configuracion()["repository"]
    assert repo["branch"] != "main", "Colab debe instalar una etiqueta o un commit, no una rama que cambia"
    assert _orden_de_la_celda() == f"curso-llm[colab] @ git+{repo['url']}@{repo['branch']}#subdirectory=lib"
    import tomllib

    version = tomllib.loads((RAIZ / "lib" / "pyproject.toml").read_text())["project"]["version"]
    assert repo["branch"] == f"v{version}", "la etiqueta de Colab y la versión de curso_llm deben coincidir"


@pytest.fixture(scope="module")
def entorno_colab(tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("colab")
    subprocess.run([sys.executable, "-m", "venv", str(carpeta / "venv")], check=True, timeout=300)
    pip = [str(carpeta / "venv" / "bin" / "python"), "-m", "pip"]
    instalado = subprocess.run([*pip, "install", "--quiet", "--disable-pip-version-check", *COLAB, "torch==2.13.0"],
                               capture_output=True, text=True, timeout=1800)
    assert instalado.returncode == 0, instalado.stderr[-3000:]
    return carpeta, pip


def _versiones(pip) -> dict[str, str]:
    salida = subprocess.run([*pip, "list", "--format=json", "--disable-pip-version-check"],
                            capture_output=True, text=True, check=True, timeout=300).stdout
    return {p["name"].lower().replace("_", "-"): p["version"] for p in json.loads(salida)}


@pytest.mark.lento
def test_la_celda_de_instalacion_no_cambia_nada_de_colab(entorno_colab):
    carpeta, pip = entorno_colab
    antes = _versiones(pip)
    copia = carpeta / "lib"
    shutil.copytree(RAIZ / "lib", copia, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    orden = _orden_de_la_celda().replace(f"git+{configuracion()['repository']['url']}@"
                                         f"{configuracion()['repository']['branch']}#subdirectory=lib",
                                         copia.as_uri())
    informe = carpeta / "informe.json"
    resuelto = subprocess.run([*pip, "install", "--dry-run", "--quiet", "--disable-pip-version-check",
                               "--report", str(informe), orden], capture_output=True, text=True, timeout=1800)
    assert resuelto.returncode == 0, resuelto.stderr[-3000:]
    nuevos = {i["metadata"]["name"].lower().replace("_", "-"): i["metadata"]["version"]
              for i in json.loads(informe.read_text())["install"]}
    assert "curso-llm" in nuevos and "jupyterquiz" in nuevos
    cambiados = {n: (antes[n], v) for n, v in nuevos.items() if n in antes and antes[n] != v}
    assert not cambiados, f"la celda cambiaría paquetes que Colab ya trae: {cambiados}"


def test_reinicio_si_un_paquete_cargado_cambio_de_version(capsys):
    import types
    from importlib import metadata

    from curso_llm import colab

    real = metadata.version("matplotlib")
    viejo = {"matplotlib": types.SimpleNamespace(__version__="0.0.1"),
             "numpy": types.SimpleNamespace(__version__=metadata.version("numpy"))}
    assert colab.paquetes_desfasados(viejo) == {"matplotlib": ("0.0.1", real)}
    assert colab.paquetes_desfasados({"numpy": viejo["numpy"]}) == {}


def test_revisar_reinicio_lo_dice_en_espanol(monkeypatch, capsys):
    from curso_llm import colab

    monkeypatch.setattr(colab, "paquetes_desfasados", lambda: {"matplotlib": ("3.10.0", "3.11.2")})
    assert colab.revisar_reinicio() is True  # fuera de Colab no se mata el proceso: lo pide
    salida = capsys.readouterr().out
    assert "matplotlib 3.10.0 → 3.11.2" in salida and "Reiniciar sesión" in salida
    monkeypatch.setattr(colab, "paquetes_desfasados", lambda: {})
    assert colab.revisar_reinicio() is False
