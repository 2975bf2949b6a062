"""El libro construido con -W: sin avisos, en español, con Colab y quizzes en cada capítulo."""

from __future__ import annotations

import re

import pytest

from conftest import HTML, capitulos, configuracion, paginas_del_indice

pytestmark = pytest.mark.lento


def _html(pagina: str) -> str:
    ruta = HTML / ("index.html" if pagina == "index" else f"{pagina}.html")
    assert ruta.exists(), f"no se construyó {ruta}"
    return ruta.read_text(encoding="utf-8")


def test_el_libro_se_construye_sin_avisos(libro):
    salida = libro.stdout + libro.stderr
    assert libro.returncode == 0, salida[-5000:]
    # Avisos y errores de Sphinx («WARNING: …»). El núcleo de Jupyter escribe su propio
    # «[IPKernelApp] WARNING | …» al arrancar, que no es del libro.
    avisos = [linea for linea in salida.splitlines() if re.search(r"\b(WARNING|ERROR|CRITICAL):", linea)]
    assert not avisos, "\n".join(avisos)


@pytest.mark.parametrize("pagina", paginas_del_indice())
def test_cada_pagina_en_espanol(libro, pagina):
    html = _html(pagina)
    assert re.search(r'<html[^>]*\blang="es"', html)
    assert "Buscar en el libro" in html or "Buscar" in html


@pytest.mark.parametrize("capitulo", capitulos(), ids=lambda p: p.stem)
def test_capitulo_con_colab_quiz_y_sin_errores(libro, capitulo):
    pagina = capitulo.relative_to(capitulo.parents[1]).with_suffix("").as_posix()
    html = _html(pagina)
    repo = configuracion()["repository"]
    url = repo["url"].removeprefix("https://github.com/")
    colab = f"https://colab.research.google.com/github/{url}/blob/{repo['branch']}/{pagina}.ipynb"
    assert colab in html, "falta el botón «Abrir en Colab»"
    assert "show_questions(questionsquiz" in html, "falta el quiz"
    assert "¡Correcto!" in html and "Correct!" not in html
    for error in ["Traceback", "output error", 'class="output stderr"', "Error:"]:
        assert error not in html, error
    # Celdas con su salida real; toda imagen con texto alternativo, y las de los
    # capítulos (diagramas y gráficos) con una descripción de verdad.
    salidas = re.findall(r'<div class="cell_output.*?</div>\s*</div>', html, flags=re.S)
    assert len(salidas) >= 3
    for img in re.findall(r"<img\b[^>]*>", html):
        assert re.search(r'alt="[^"]+"', img), img[:200]
    imagenes = [img for bloque in salidas for img in re.findall(r"<img\b[^>]*>", bloque)]
    assert imagenes, "el capítulo no muestra ningún diagrama ni gráfico"
    for img in imagenes:
        alt = re.search(r'alt="([^"]*)"', img)
        assert alt and len(alt.group(1)) > 20, img[:200]


def test_la_construccion_reutiliza_la_cache_de_las_pruebas(libro, request):
    """Si los capítulos ya se ejecutaron en esta sesión, el libro no los ejecuta otra vez."""
    ejecutados = [i for i in request.session.items if i.nodeid.startswith("tests/test_capitulos.py")]
    if not ejecutados:
        pytest.skip("test_capitulos.py no corrió en esta sesión")
    salida = libro.stdout + libro.stderr
    assert "Executing notebook" not in salida, "la construcción volvió a ejecutar un capítulo"


@pytest.mark.parametrize("pagina", paginas_del_indice())
def test_el_pie_dice_la_licencia_una_sola_vez(libro, pagina):
    pie = re.search(r'<footer class="bd-footer-content">.*?</footer>', _html(pagina), flags=re.S)
    assert pie, "la página no tiene pie"
    assert pie.group(0).count("CC BY-SA 4.0") == 1
    assert pie.group(0).count("MIT") == 1


def test_mathjax_sale_del_propio_sitio(libro):
    """Las páginas con fórmulas cargan MathJax de _static (sin CDN), y la copia está completa."""
    con_formulas = 0
    for pagina in paginas_del_indice():
        html = _html(pagina)
        assert not re.search(r'<script[^>]*\bsrc="(https?:)?//', html), f"{pagina} carga un script de otro servidor"
        if 'class="math' in html:
            con_formulas += 1
            assert re.search(r'<script defer="defer" src="(\.\./)*_static/mathjax/tex-mml-chtml\.js(\?v=\w+)?">', html), pagina
    assert con_formulas >= 1
    mathjax = HTML / "_static" / "mathjax"
    for archivo in ["tex-mml-chtml.js", "LICENSE", "output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff",
                    "input/tex/extensions/boldsymbol.js", "ui/menu.js", "a11y/assistive-mml.js"]:
        assert (mathjax / archivo).is_file(), archivo
    assert "Apache License" in (mathjax / "LICENSE").read_text(encoding="utf-8")
