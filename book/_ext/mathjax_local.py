"""Extensión de Sphinx del libro: MathJax servido por el propio sitio, sin CDN.

Sphinx carga MathJax desde un CDN; sin conexión, quien lee ve las fórmulas en TeX crudo
(``$$\\text{entrada}_i = …$$``). Esta extensión copia MathJax 3 al ``_static`` del sitio y
apunta ``mathjax_path`` a esa copia.

MathJax llega por PyPI, fijado en requirements.txt: el paquete ``django-static-mathjax``
trae la distribución oficial de MathJax (licencia Apache-2.0, que se copia junto a él) sin
ninguna dependencia; a pesar del nombre, no hace falta Django. No se guarda en el
repositorio: se copia al construir, solo lo que usa el navegador (unos 8 MB de los 24 del
paquete: el componente TeX + MathML con salida HTML-CSS, sus fuentes, las extensiones de TeX
que se cargan bajo demanda, el menú y la accesibilidad, que lee fórmulas en voz alta).

tests/test_navegador.py abre los capítulos con la red cortada y comprueba que las fórmulas
salen compuestas.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.ext.mathjax import MATHJAX_URL
from sphinx.util.fileutil import copy_asset

#: Dónde queda MathJax dentro de ``_static`` y qué componente carga cada página.
CARPETA = "mathjax"
COMPONENTE = "tex-mml-chtml.js"
#: Lo que el componente pide al navegador, relativo a la carpeta ``es5`` de MathJax.
NECESARIO = [COMPONENTE, "input", "output/chtml", "ui", "a11y", "sre"]


def origen() -> Path:
    """La carpeta ``es5`` de la distribución de MathJax que instaló pip."""
    try:
        raiz = Path(str(resources.files("mathjax"))) / "static" / "mathjax"
    except ModuleNotFoundError:
        raiz = None
    if raiz is None or not (raiz / "es5" / COMPONENTE).is_file():
        raise ExtensionError(
            "No encuentro MathJax para servirlo desde el sitio. Instala las versiones fijadas: "
            "pip install -r requirements.txt -c constraints.txt"
        )
    return raiz / "es5"


def _usar_copia_local(app, config):
    if config.mathjax_path == MATHJAX_URL:  # el CDN por omisión de Sphinx; otro elegido a mano se respeta
        config.mathjax_path = f"{CARPETA}/{COMPONENTE}"


def _copiar(app, excepcion):
    if excepcion is not None or app.builder.format != "html":
        return
    es5 = origen()
    destino = Path(app.outdir) / "_static" / CARPETA
    for parte in NECESARIO:
        if (es5 / parte).is_dir():
            copy_asset(str(es5 / parte), str(destino / parte))
        else:
            copy_asset(str(es5 / parte), str(destino))
    copy_asset(str(es5.parent / "LICENSE"), str(destino))


def setup(app):
    origen()  # sin MathJax instalado, se avisa al empezar y no tras construir todo el libro
    app.connect("config-inited", _usar_copia_local)
    app.connect("build-finished", _copiar)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
