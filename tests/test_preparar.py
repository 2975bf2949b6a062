"""``python -m curso_llm preparar``: construye todo lo local y lo resume en español."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from curso_llm.recursos import CONJUNTOS, MODELOS

from conftest import RAIZ


@pytest.mark.lento
def test_preparar_construye_cada_recurso_local():
    # Usa la caché del curso de esta máquina: `make pruebas` ya la llenó con `make recursos`.
    entorno = {**os.environ, "CURSO_LLM_MODO": "local"}
    proceso = subprocess.run([sys.executable, "-m", "curso_llm", "preparar"], capture_output=True, text=True,
                             cwd=RAIZ, timeout=1800, env=entorno)
    assert proceso.returncode == 0, proceso.stderr[-2000:]
    for nombre in [*MODELOS, *CONJUNTOS]:
        assert f"[OK] {nombre}" in proceso.stdout
    assert "Listo en" in proceso.stdout
