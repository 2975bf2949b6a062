"""Extensión de Sphinx del libro: la interfaz del sitio, toda en español y tuteando.

El tema (sphinx-book-theme sobre pydata-sphinx-theme) y Sphinx traen textos sin traducir
(«Repository», «Link to this heading»…) o mal traducidos («Descarga esta pagina»,
«Por favor, active JavaScript», «Tema del libro de la esfinge»). Se arreglan donde nacen:

1. ``TEXTOS``: un catálogo propio por delante de cada catálogo de gettext que usan el tema
   y Sphinx; lo que no está aquí sigue saliendo de sus traducciones de siempre.
2. El botón «Avisar de un error» abre una incidencia con título y texto en español.

Los cuatro atributos que las plantillas del tema escriben en inglés sin pasar por gettext se
traducen en el HTML final, con los demás retoques (retoques_html.py).

tests/test_navegador.py abre cada página sin red y falla si vuelve a aparecer el inglés.
"""

from __future__ import annotations

import gettext
from urllib.parse import quote

from sphinx import locale

#: Traducciones del curso, por catálogo de gettext. "sphinx" es el de Sphinx y también el de
#: pydata-sphinx-theme; "booktheme", el de sphinx-book-theme.
TEXTOS: dict[str, dict[str, str]] = {
    "sphinx": {
        "Link to this heading": "Enlace a esta sección",
        "Link to this term": "Enlace a este término",
        "Link to this definition": "Enlace a esta definición",
        "Link to this equation": "Enlace a esta ecuación",
        "Link to this table": "Enlace a esta tabla",
        "Link to this code": "Enlace a este código",
        "Link to this image": "Enlace a esta imagen",
        "Link to this toctree": "Enlace a este índice",
        "Please activate JavaScript to enable the search functionality.":
            "Activa JavaScript para poder buscar en el libro.",
        "Click to expand": "Haz clic para ampliar",
        "Click to collapse": "Haz clic para contraer",
        "Section Navigation": "Navegación de la sección",
        "Breadcrumb": "Ruta de navegación",
        "General Index": "Índice general",
        "© Copyright %(copyright)s.": "© %(copyright)s.",
        "Copyright %(copyright)s": "© %(copyright)s",
    },
    "booktheme": {
        "Repository": "Repositorio",
        "Source repository": "Repositorio del curso",
        "Source repositories": "Repositorio del curso",
        "Open issue": "Avisar de un error",
        "Open an issue": "Avisar de un error o proponer una mejora",
        "Launch interactive content": "Ejecutar el capítulo",
        "Launch on": "Abrir en",
        "Launch Thebe": "Ejecutar aquí con Thebe",
        "Live Code": "Código en vivo",
        "Download this page": "Descarga esta página",
        "Download source file": "Descargar el archivo fuente",
        "Download notebook file": "Descargar el cuaderno",
        "Print to PDF": "Imprimir en PDF",
        "Fullscreen mode": "Pantalla completa",
        "Show source": "Ver el código fuente",
        "Suggest edit": "Proponer un cambio",
        "Search": "Buscar",
        "logo": "(logotipo)",
    },
}

#: La incidencia que abre el botón «Avisar de un error»: título y texto de partida.
TITULO_INCIDENCIA = "Error en la página /{pagina}.html"
TEXTO_INCIDENCIA = "Cuéntanos qué esperabas ver y qué viste (copia el mensaje de error completo, si lo hay)."


class CatalogoDelCurso(gettext.NullTranslations):
    """Un catálogo de gettext que responde primero con ``textos`` y, si no, con el de respaldo."""

    def __init__(self, textos: dict[str, str], respaldo: gettext.NullTranslations | None = None):
        super().__init__()
        self.textos = textos
        if respaldo is not None:
            self.add_fallback(respaldo)

    def gettext(self, mensaje):
        return self.textos.get(mensaje) or super().gettext(mensaje)

    def ngettext(self, singular, plural, n):
        propio = self.textos.get(singular if n == 1 else plural)
        return propio or super().ngettext(singular, plural, n)


def instalar_catalogos(app) -> None:
    """Pone ``TEXTOS`` por delante de los catálogos de Sphinx y del tema (antes o después de que
    el tema registre el suyo: ``sphinx.locale.init`` añade los que lleguen después como respaldo)."""
    for catalogo, textos in TEXTOS.items():
        actual = locale.translators.get(("general", catalogo))
        if isinstance(actual, CatalogoDelCurso):
            continue
        respaldo = None if actual is None or type(actual) is gettext.NullTranslations else actual
        nuevo = CatalogoDelCurso(textos, respaldo)
        locale.translators["general", catalogo] = nuevo
        if catalogo == "sphinx":
            app.translator = nuevo  # el que instalan las plantillas de Jinja ({% trans %}, _())


def _incidencia_en_espanol(app, pagename, templatename, context, doctree):
    """El botón de incidencias del tema abre una plantilla en inglés («Your issue content here.»)."""
    for grupo in context.get("header_buttons", []):
        for boton in [grupo, *grupo.get("buttons", [])]:
            if boton.get("label") == "source-issues-button":
                base = boton["url"].split("?", 1)[0]
                titulo = quote(TITULO_INCIDENCIA.format(pagina=pagename))
                boton["url"] = f"{base}?title={titulo}&body={quote(TEXTO_INCIDENCIA)}"


def setup(app):
    instalar_catalogos(app)
    # Después de add_source_buttons del tema (prioridad 501), que crea los botones.
    app.connect("html-page-context", _incidencia_en_espanol, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
