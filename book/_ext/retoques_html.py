"""Extensión de Sphinx del libro: retoques al HTML que escribe el tema, en una pasada al terminar.

1. Scripts en línea repetidos. sphinx-thebe (que Jupyter Book 1 carga siempre) y
   sphinx-togglebutton acaban registrando sus scripts en línea dos veces, y el navegador
   protesta: «Identifier 'THEBE_JS_URL' has already been declared». Se deja una sola copia de
   cada script en línea idéntico en la cabecera de cada página.
2. Atributos en inglés. Cuatro atributos que las plantillas del tema escriben tal cual, sin pasar
   por gettext (el resto de la interfaz se traduce donde nace: ver espanol.py).

La prueba del navegador (tests/test_navegador.py) falla si vuelve a aparecer un error de
JavaScript o un texto del tema en inglés.
"""

import re
from pathlib import Path

_SCRIPT_EN_LINEA = re.compile(r"^\s*<script>.*</script>\s*$")

#: Atributos que las plantillas del tema escriben en inglés, tal cual, sin gettext.
ATRIBUTOS_FIJOS = {
    'title="Toggle primary sidebar"': 'title="Mostrar u ocultar el índice del libro"',
    'title="Toggle secondary sidebar"': 'title="Mostrar u ocultar el índice de la página"',
    'aria-label="Main"': 'aria-label="Índice del libro"',
    'aria-label="Page"': 'aria-label="Índice de la página"',
}


def quitar_repetidos(html: str) -> str:
    cabeza, separador, cuerpo = html.partition("</head>")
    if not separador:
        return html
    vistos, lineas = set(), []
    for linea in cabeza.splitlines(keepends=True):
        if _SCRIPT_EN_LINEA.match(linea):
            clave = linea.strip()
            if clave in vistos:
                continue
            vistos.add(clave)
        lineas.append(linea)
    return "".join(lineas) + separador + cuerpo


def traducir_atributos(html: str) -> str:
    for ingles, espanol in ATRIBUTOS_FIJOS.items():
        html = html.replace(ingles, espanol)
    return html


RETOQUES = (quitar_repetidos, traducir_atributos)


def _al_terminar(app, excepcion):
    if excepcion is not None or app.builder.format != "html":
        return
    for pagina in Path(app.outdir).rglob("*.html"):
        original = pagina.read_text(encoding="utf-8")
        retocada = original
        for retoque in RETOQUES:
            retocada = retoque(retocada)
        if retocada != original:
            pagina.write_text(retocada, encoding="utf-8")


def setup(app):
    app.connect("build-finished", _al_terminar)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
