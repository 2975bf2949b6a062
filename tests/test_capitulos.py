"""Cada capítulo del índice, ejecutado de principio a fin en un núcleo nuevo.

pytest-notebook ejecuta el cuaderno (las salidas no se comparan: el repositorio los
guarda sin salidas). El cuaderno ejecutado se guarda en la caché de jupyter-cache
que usa Jupyter Book, así la construcción del libro en la misma sesión de pruebas
no vuelve a pagar la ejecución.
"""

from __future__ import annotations

import re
import time

import pytest
from jupyter_cache import get_cache
from jupyter_cache.base import CacheBundleIn
from pytest_notebook.nb_regression import NBRegressionFixture

from conftest import CACHE_JUPYTER, capitulos

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


@pytest.mark.lento
@pytest.mark.parametrize("capitulo", capitulos(), ids=lambda p: p.stem)
def test_capitulo_se_ejecuta_de_principio_a_fin(capitulo):
    cuaderno, segundos = _ejecutar(capitulo)
    codigo = [c for c in cuaderno.cells if c.cell_type == "code"]
    assert [c.execution_count for c in codigo] == list(range(1, len(codigo) + 1))
    for celda in codigo:
        for salida in celda.outputs:
            assert salida.output_type != "error", celda.source[:80]
            if salida.output_type == "stream" and salida.name == "stderr":
                # El sitio oculta stderr: nada importante puede ir ahí.
                resto = BARRA_DE_PROGRESO.sub("", salida.text.replace("\r", "\n")).strip()
                assert not resto, f"stderr inesperado (el sitio lo ocultaría): {resto[:300]}"
    get_cache(str(CACHE_JUPYTER)).cache_notebook_bundle(
        CacheBundleIn(cuaderno, str(capitulo), data={"execution_seconds": segundos}),
        check_validity=False,
        overwrite=True,
    )
    print(f"{capitulo.name}: {segundos:.1f} s")
