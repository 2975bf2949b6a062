"""``python -m curso_llm diagnostico``: líneas [OK]/[FALLA] y qué hacer."""

from __future__ import annotations

import subprocess
import sys

from curso_llm.diagnostico import leer_fijados

from conftest import RAIZ


def _diagnostico(*args, cwd=RAIZ):
    return subprocess.run([sys.executable, "-m", "curso_llm", "diagnostico", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


def test_leer_fijados_ignora_comentarios_y_opciones():
    texto = "# comentario\ntorch==2.13.0\nHuggingface_Hub==2.4.0  # nota\n-e ./lib\nrequests>=2\nx[extra]==1.0\n"
    assert leer_fijados(texto) == {"torch": "2.13.0", "huggingface-hub": "2.4.0", "x": "1.0"}


def test_el_entorno_del_curso_pasa_el_diagnostico():
    salida = _diagnostico()
    assert salida.returncode == 0, salida.stdout
    assert "[OK] transformers 5.23.0" in salida.stdout
    assert "[OK] torch 2.13.0" in salida.stdout
    assert "[FALLA]" not in salida.stdout
    assert "Todo listo para el curso." in salida.stdout


def test_una_version_distinta_es_una_falla_con_arreglo(tmp_path):
    requisitos = tmp_path / "requirements.txt"
    requisitos.write_text("jsonschema==0.0.1\npaquete-que-no-existe==1.0\n")
    salida = _diagnostico("--requisitos", str(requisitos))
    assert salida.returncode == 1
    assert f"[FALLA] jsonschema 4.26.0, pero el curso pide ==0.0.1. Ejecuta: pip install -r {requisitos}" in salida.stdout
    assert "[FALLA] paquete-que-no-existe no está instalado" in salida.stdout
    assert "2 cosa(s) por arreglar" in salida.stdout


def test_requisitos_inexistentes(tmp_path):
    salida = _diagnostico("--requisitos", str(tmp_path / "no.txt"))
    assert salida.returncode == 1
    assert "[FALLA] No encuentro" in salida.stdout
