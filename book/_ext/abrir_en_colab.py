"""Extensión de Sphinx del libro: un botón «Abrir en Colab» a la vista en cada capítulo.

El tema solo ofrece Colab dentro del menú del cohete, que pocos lectores abren. Esta extensión
pone, bajo el título de cada página que es un cuaderno, un enlace visible con **la misma URL**
que el botón del cohete (la que el tema arma con ``repository.url`` y ``repository.branch`` de
``_config.yml``): no hay una segunda forma de construirla que pueda desincronizarse.
"""

from __future__ import annotations

import html
import re

CLASE = "abrir-en-colab"
_FIN_DEL_TITULO = re.compile(r"</h1>")


def url_de_colab(header_buttons) -> str | None:
    """La URL del botón de Colab del menú del cohete, o ``None`` si la página no lo tiene."""
    for grupo in header_buttons:
        if grupo.get("label") == "launch-buttons":
            for boton in grupo.get("buttons", []):
                if "colab" in boton.get("icon", "") and boton.get("url"):
                    return boton["url"]
    return None


def boton(url: str) -> str:
    # El logotipo es decoración (el texto ya dice «Colab»): va como fondo, en sitio.css.
    return (
        f'<p class="{CLASE}"><a class="reference external" href="{html.escape(url)}" '
        f'target="_blank" rel="noopener"><span class="logo-colab" aria-hidden="true"></span>'
        f'Abrir en Colab</a></p>'
    )


def _poner_boton(app, pagename, templatename, context, doctree):
    url = url_de_colab(context.get("header_buttons", []))
    cuerpo = context.get("body", "")
    if not url or "</h1>" not in cuerpo:
        return
    context["body"] = _FIN_DEL_TITULO.sub(lambda m: m.group(0) + "\n" + boton(url), cuerpo, count=1)


def setup(app):
    # Después de add_launch_buttons del tema (prioridad 501), que arma la URL de Colab.
    app.connect("html-page-context", _poner_boton, priority=900)
    app.add_css_file("sitio.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
