"""Extensión de Sphinx del libro: quita los <script> en línea repetidos del <head>.

sphinx-thebe (que Jupyter Book 1 carga siempre) y sphinx-togglebutton acaban
registrando sus scripts en línea dos veces, y el navegador protesta:
«Identifier 'THEBE_JS_URL' has already been declared». Al terminar la construcción,
esta extensión deja una sola copia de cada script en línea idéntico en la cabecera
de cada página. La prueba del navegador (tests/test_navegador.py) falla si vuelve a
aparecer un error de JavaScript.
"""

import re
from pathlib import Path

_SCRIPT_EN_LINEA = re.compile(r"^\s*<script>.*</script>\s*$")


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


def _al_terminar(app, excepcion):
    if excepcion is not None or app.builder.format != "html":
        return
    for pagina in Path(app.outdir).rglob("*.html"):
        original = pagina.read_text(encoding="utf-8")
        limpio = quitar_repetidos(original)
        if limpio != original:
            pagina.write_text(limpio, encoding="utf-8")


def setup(app):
    app.connect("build-finished", _al_terminar)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
