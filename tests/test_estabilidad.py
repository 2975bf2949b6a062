"""Dos construcciones del libro desde cero dan las mismas páginas de capítulo, byte a byte.

Sin esto, cada construcción cambiaba el HTML aunque nada hubiera cambiado: print() se partía en
bloques de salida distintos según el momento en que el núcleo los enviaba, y el id de cada quiz
salía del azar. Una página que cambia sola esconde los cambios de verdad en cada revisión.

La prueba hace dos construcciones desde cero en carpetas temporales. La segunda ejecuta los
capítulos con su propia caché de jupyter-cache; la primera reutiliza una copia de la caché de la
sesión si tests/test_capitulos.py acaba de ejecutarlos (si no, esa caché puede venir de otro
código, y la primera también los ejecuta). Así solo se paga una ejecución de más.
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CACHE_JUPYTER, RAIZ, capitulos

pytestmark = pytest.mark.lento


def _construir(carpeta: Path, cache: Path | None = None) -> Path:
    """Construye el libro desde cero con salida (y caché de ejecución) en ``carpeta``, partiendo
    de una copia de ``cache`` si se da; devuelve su HTML."""
    if cache is not None:
        shutil.copytree(cache, carpeta / "_build" / ".jupyter_cache")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    proceso = subprocess.run(
        [str(jupyter_book), "build", str(RAIZ), "--path-output", str(carpeta)],
        capture_output=True, text=True, timeout=3600,
    )
    assert proceso.returncode == 0, (proceso.stdout + proceso.stderr)[-5000:]
    assert (carpeta / "_build" / ".jupyter_cache").is_dir(), "la construcción no usó su propia caché"
    return carpeta / "_build" / "html"


def _diferencias(a: str, b: str) -> str:
    lineas = difflib.unified_diff(a.splitlines(), b.splitlines(), "primera", "segunda", n=1, lineterm="")
    return "\n".join(list(lineas)[:40])


def test_dos_construcciones_dan_los_mismos_capitulos(request, tmp_path):
    recien_ejecutados = any(i.nodeid.startswith("tests/test_capitulos.py") for i in request.session.items)
    primera = _construir(tmp_path / "primera", CACHE_JUPYTER if recien_ejecutados else None)
    segunda = _construir(tmp_path / "segunda")
    assert capitulos()
    for capitulo in capitulos():
        pagina = f"book/{capitulo.stem}.html"
        a = (primera / pagina).read_text(encoding="utf-8")
        b = (segunda / pagina).read_text(encoding="utf-8")
        assert a == b, f"{pagina} cambió entre dos construcciones:\n{_diferencias(a, b)}"
