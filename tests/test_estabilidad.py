"""Dos construcciones del libro desde cero dan las mismas páginas de capítulo, byte a byte.

Sin esto, cada construcción cambiaba el HTML aunque nada hubiera cambiado: print() se partía en
bloques de salida distintos según el momento en que el núcleo los enviaba, y el id de cada quiz
salía del azar. Una página que cambia sola esconde los cambios de verdad en cada revisión.

La prueba hace dos construcciones desde cero en carpetas temporales. La segunda ejecuta los
capítulos con su propia caché de jupyter-cache; la primera reutiliza una copia de la caché de la
sesión si tests/test_capitulos.py acaba de ejecutarlos (si no, esa caché puede venir de otro
código, y la primera también los ejecuta). Así solo se paga una ejecución de más.

Lo único que puede cambiar: las cifras de las salidas de las celdas con la etiqueta
``medida-de-tiempo``, que miden la máquina (segundos, tokens por segundo, GFLOPS, MFU del
capítulo 4). Esas celdas no pegan nada con ``pegar`` (lo comprueba otra prueba), así que el texto
que cita cifras de las salidas no puede cambiar; de ellas solo se ignoran los dígitos de su salida:
su código y el resto de su texto se comparan igual.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CACHE_JUPYTER, RAIZ, capitulos

ETIQUETA_MEDIDA = "medida-de-tiempo"


# Una cifra (con sus espacios de miles, su coma decimal y el relleno que la alinea en una tabla):
# «      237 años» y «       51 años» quedan igual, «#años».
CIFRA = re.compile(r"[ \t]*[0-9][0-9 ,.]*")


def sin_medidas(html: str) -> str:
    """La página con cada cifra de la salida de las celdas de medida de tiempo cambiada por «#»
    (también el relleno que la alinea, que cambia con el número de dígitos)."""
    from bs4 import BeautifulSoup

    sopa = BeautifulSoup(html, "html.parser")
    for celda in sopa.select(f"div.cell.tag_{ETIQUETA_MEDIDA}"):
        for salida in celda.select("div.cell_output"):
            for texto in salida.find_all(string=True):
                texto.replace_with(CIFRA.sub("#", str(texto)))
    return str(sopa)


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


def _celda(etiquetas: str, codigo: str, salida: str) -> str:
    return (f'<div class="cell {etiquetas} docutils container"><div class="cell_input docutils container">'
            f'<pre>{codigo}</pre></div><div class="cell_output docutils container"><pre>{salida}</pre></div></div>')


def test_solo_se_ignoran_los_digitos_de_las_salidas_de_medida():
    medida = f"tag_{ETIQUETA_MEDIDA}"
    pagina = (_celda(medida, "segundos = 10", "600 pasos en 101 s\n  GPT-2        237 años\n  GPT-3    197 420 años")
              + _celda("", "x = 1", "pérdida 5.143"))
    # Otra medida en la misma celda: igual, aunque tenga otro número de cifras y otro relleno.
    assert sin_medidas(pagina) == sin_medidas(pagina.replace("101 s", "107 s"))
    assert sin_medidas(pagina) == sin_medidas(pagina.replace("       237 años", "        51 años"))
    assert sin_medidas(pagina) == sin_medidas(pagina.replace("197 420 años", "923 408 años"))
    # Cualquier otro cambio se ve: en el texto de la salida medida, en su código, en otra celda.
    for cambio in [("pasos en", "pasos tras"), ("segundos = 10", "segundos = 11"), ("5.143", "5.144"),
                   ("GPT-3", "OPT-3"), ("años", "meses")]:
        assert sin_medidas(pagina) != sin_medidas(pagina.replace(*cambio)), cambio
    # Una celda con otra etiqueta no se libra.
    otra = pagina.replace(medida, "tag_remove-input")
    assert sin_medidas(otra) != sin_medidas(otra.replace("101 s", "107 s"))


def test_las_celdas_de_medida_no_pegan_cifras_en_el_texto():
    vistas = 0
    for capitulo in capitulos():
        for celda in json.loads(capitulo.read_text(encoding="utf-8"))["cells"]:
            if ETIQUETA_MEDIDA in celda.get("metadata", {}).get("tags", []):
                vistas += 1
                fuente = "".join(celda["source"])
                assert celda["cell_type"] == "code", f"{capitulo.name}: {fuente[:80]}"
                assert "pegar(" not in fuente and "glue(" not in fuente, (
                    f"{capitulo.name}: una celda de medida de tiempo pega una cifra que el texto citaría "
                    f"y que cambia en cada construcción:\n{fuente}")
    assert vistas, "ningún capítulo marca sus medidas de tiempo: ¿cambió el nombre de la etiqueta?"


@pytest.mark.lento
def test_dos_construcciones_dan_los_mismos_capitulos(request, tmp_path):
    from bs4 import BeautifulSoup

    recien_ejecutados = any(i.nodeid.startswith("tests/test_capitulos.py") for i in request.session.items)
    primera = _construir(tmp_path / "primera", CACHE_JUPYTER if recien_ejecutados else None)
    segunda = _construir(tmp_path / "segunda")
    assert capitulos()
    con_medidas = 0
    for capitulo in capitulos():
        pagina = f"book/{capitulo.stem}.html"
        crudo = (primera / pagina).read_text(encoding="utf-8")
        a = sin_medidas(crudo)
        b = sin_medidas((segunda / pagina).read_text(encoding="utf-8"))
        assert a == b, f"{pagina} cambió entre dos construcciones:\n{_diferencias(a, b)}"
        con_medidas += a != BeautifulSoup(crudo, "html.parser").decode()
    # Las celdas de medida llegan al HTML con su clase (si myst-nb la cambiara, no se enmascararía nada).
    assert con_medidas, "ninguna página tiene salidas de medida de tiempo enmascaradas"
