"""Cada capítulo del índice, ejecutado de principio a fin en un núcleo nuevo.

pytest-notebook ejecuta el cuaderno (las salidas no se comparan: el repositorio los
guarda sin salidas). El cuaderno ejecutado se guarda en la caché de jupyter-cache
que usa Jupyter Book, así la construcción del libro en la misma sesión de pruebas
no vuelve a pagar la ejecución.
"""

from __future__ import annotations

import os
import re
import time

import pytest
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from pytest_notebook.nb_regression import NBRegressionFixture

from conftest import CACHE_JUPYTER, capitulos
from hub_falso import construir_cache_hub, entorno_hub

# Lo único que puede ir a stderr (y que el sitio oculta): barras de progreso.
BARRA_DE_PROGRESO = re.compile(r"^[^\n]*\d+%\|[^\n]*\|[^\n]*$|^\s*$", re.M)


def _ejecutar(capitulo):
    ejecutor = NBRegressionFixture(
        exec_timeout=900,
        exec_cwd=str(capitulo.parent),
        diff_ignore=("/cells/*/outputs", "/cells/*/execution_count", "/cells/*/metadata", "/metadata"),
        post_processors=(),
    )
    inicio = time.perf_counter()
    resultado = ejecutor.check(str(capitulo), raise_errors=True)
    return resultado.nb_final, time.perf_counter() - inicio


def _comprobar_salidas(cuaderno):
    codigo = [c for c in cuaderno.cells if c.cell_type == "code"]
    assert [c.execution_count for c in codigo] == list(range(1, len(codigo) + 1))
    for celda in codigo:
        for salida in celda.outputs:
            assert salida.output_type != "error", celda.source[:80]
            if salida.output_type == "stream" and salida.name == "stderr":
                # El sitio oculta stderr: nada importante puede ir ahí.
                resto = BARRA_DE_PROGRESO.sub("", salida.text.replace("\r", "\n")).strip()
                assert not resto, f"stderr inesperado (el sitio lo ocultaría): {resto[:300]}"


def _modo_impreso(cuaderno) -> str:
    salidas = "".join(s.get("text", "") for c in cuaderno.cells if c.cell_type == "code" for s in c.outputs)
    return re.search(r"Modo del curso: (\w+)", salidas).group(1)


@pytest.mark.lento
@pytest.mark.parametrize("capitulo", capitulos(), ids=lambda p: p.stem)
def test_capitulo_se_ejecuta_de_principio_a_fin(capitulo):
    cuaderno, segundos = _ejecutar(capitulo)
    _comprobar_salidas(cuaderno)
    assert _modo_impreso(cuaderno) == "local"
    get_cache(str(CACHE_JUPYTER)).cache_notebook_bundle(
        CacheBundleIn(cuaderno, str(capitulo), data={"execution_seconds": segundos}),
        check_validity=False,
        overwrite=True,
    )
    print(f"{capitulo.name}: {segundos:.1f} s")


@pytest.fixture(scope="module")
def cache_hub(tmp_path_factory):
    return construir_cache_hub(tmp_path_factory.mktemp("hub"))


@pytest.mark.lento
@pytest.mark.parametrize("capitulo", capitulos(), ids=lambda p: p.stem)
def test_capitulo_en_modo_hub_contra_copias_del_hub(capitulo, cache_hub, monkeypatch, tmp_path):
    """El mismo capítulo en modo hub, como en Colab, contra copias fieles de los repositorios del Hub
    (pesos de DeepESP en float16, BETO sin model_type…; ver tests/hub_falso.py). No entra en la
    caché del libro: el libro se construye en modo local."""
    for variable in list(os.environ):
        if variable.startswith(("HF_", "TRANSFORMERS_", "CURSO_LLM_", "WANDB_")):
            monkeypatch.delenv(variable)
    for variable, valor in entorno_hub(cache_hub).items():
        monkeypatch.setenv(variable, valor)
    monkeypatch.setenv("CURSO_LLM_CACHE", str(tmp_path / "curso"))
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "datasets"))
    cuaderno, segundos = _ejecutar(capitulo)
    _comprobar_salidas(cuaderno)
    assert _modo_impreso(cuaderno) == "hub"
    print(f"{capitulo.name} (modo hub): {segundos:.1f} s")
