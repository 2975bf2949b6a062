"""Las extensiones de Sphinx del libro (book/_ext), sin construir el libro."""

from __future__ import annotations

import gettext
import sys
from pathlib import Path

import pytest

from conftest import RAIZ

sys.path.insert(0, str(RAIZ / "book" / "_ext"))

import abrir_en_colab  # noqa: E402
import espanol  # noqa: E402
import mathjax_local  # noqa: E402
import retoques_html  # noqa: E402
import salidas_estables  # noqa: E402


class _Catalogo(gettext.NullTranslations):
    def __init__(self, textos):
        super().__init__()
        self.textos = textos

    def gettext(self, mensaje):
        return self.textos.get(mensaje) or super().gettext(mensaje)


def test_el_catalogo_del_curso_va_por_delante_y_deja_el_resto_al_del_tema():
    tema = _Catalogo({"Download this page": "Descarga esta pagina", "Print to PDF": "Imprimir en PDF"})
    catalogo = espanol.CatalogoDelCurso({"Download this page": "Descarga esta página"}, tema)
    assert catalogo.gettext("Download this page") == "Descarga esta página"
    assert catalogo.gettext("Print to PDF") == "Imprimir en PDF"
    assert catalogo.gettext("Sin traducción") == "Sin traducción"
    # Un catálogo que llega después (otra extensión) queda también de respaldo.
    catalogo.add_fallback(_Catalogo({"Otro": "Otra cosa"}))
    assert catalogo.gettext("Otro") == "Otra cosa"


def test_los_textos_del_curso_tutean_y_llevan_tildes():
    textos = [t for catalogo in espanol.TEXTOS.values() for t in catalogo.values()]
    assert not [t for t in textos if "active " in t or "pagina" in t or "Por favor" in t]


def _plantillas_del_tema() -> str:
    import pydata_sphinx_theme
    import sphinx_book_theme

    carpetas = [Path(sphinx_book_theme.__file__).parent, Path(pydata_sphinx_theme.__file__).parent]
    return "".join(p.read_text(encoding="utf-8") for c in carpetas for p in c.rglob("*.html"))


def test_cada_atributo_fijo_sigue_en_las_plantillas_del_tema():
    """Si el tema cambia o traduce estos textos, la prueba avisa de que el arreglo sobra o falla."""
    plantillas = _plantillas_del_tema()
    for ingles in retoques_html.ATRIBUTOS_FIJOS:
        assert ingles in plantillas, ingles


def test_traducir_atributos():
    html = '<button title="Toggle primary sidebar"></button><nav aria-label="Main"></nav>'
    assert retoques_html.traducir_atributos(html) == (
        '<button title="Mostrar u ocultar el índice del libro"></button><nav aria-label="Índice del libro"></nav>')


def test_la_incidencia_se_abre_en_espanol():
    boton = {"label": "source-issues-button",
             "url": "https://github.com/o/r/issues/new?title=Issue%20on%20page&body=Your%20issue%20content%20here."}
    contexto = {"header_buttons": [{"type": "group", "buttons": [boton]}]}
    espanol._incidencia_en_espanol(None, "book/01-que-es-un-llm", "page.html", contexto, None)
    assert boton["url"].startswith("https://github.com/o/r/issues/new?title=Error%20en%20la%20p%C3%A1gina%20/book/01")
    assert "Your" not in boton["url"] and "body=Cu%C3%A9ntanos" in boton["url"]


def test_el_boton_de_colab_usa_la_url_del_cohete():
    url = "https://colab.research.google.com/github/o/r/blob/v1/book/01.ipynb"
    botones = [{"label": "launch-buttons", "buttons": [
        {"text": "Binder", "icon": "_static/images/logo_binder.svg", "url": "https://mybinder.org/x"},
        {"text": "Colab", "icon": "_static/images/logo_colab.png", "url": url}]}]
    assert abrir_en_colab.url_de_colab(botones) == url
    assert abrir_en_colab.url_de_colab([]) is None
    contexto = {"header_buttons": botones, "body": "<section><h1>1. Título</h1><p>Texto</p></section>"}
    abrir_en_colab._poner_boton(None, "book/01", "page.html", contexto, None)
    assert contexto["body"].startswith('<section><h1>1. Título</h1>\n<p class="abrir-en-colab"><a ')
    assert f'href="{url}"' in contexto["body"] and "Abrir en Colab</a>" in contexto["body"]


def test_una_pagina_sin_cuaderno_no_lleva_boton():
    contexto = {"header_buttons": [], "body": "<h1>Glosario</h1>"}
    abrir_en_colab._poner_boton(None, "book/glosario", "page.html", contexto, None)
    assert contexto["body"] == "<h1>Glosario</h1>"


def test_mathjax_instalado_y_completo():
    es5 = mathjax_local.origen()
    for parte in mathjax_local.NECESARIO:
        assert (es5 / parte).exists(), parte
    assert "Apache License" in (es5.parent / "LICENSE").read_text(encoding="utf-8")
    assert '"version": "3.' in (es5.parent / "package.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("ruta,esperada", [
    ("https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js", "mathjax/tex-mml-chtml.js"),
    ("mi/mathjax.js", "mi/mathjax.js"),
])
def test_mathjax_path_apunta_a_la_copia_local_salvo_eleccion_propia(ruta, esperada):
    class Config:
        mathjax_path = ruta

    config = Config()
    mathjax_local._usar_copia_local(None, config)
    assert config.mathjax_path == esperada


def _flujos(*trozos, nombre="stdout"):
    import nbformat

    return [nbformat.v4.new_output("stream", name=nombre, text=t) for t in trozos]


@pytest.mark.parametrize("trozos", [
    ["¿Cada fila suma 1? True\nLogits: (1, 14)\n\n▸ Voraz\n"],
    ["¿Cada fila suma 1?", " True\nLogits:", " (1, 14)\n", "\n▸ Voraz\n"],
    ["¿Cada fila suma 1? True\n", "Logits: (1, 14)\n\n", "▸ Voraz\n"],
])
def test_la_salida_no_depende_de_donde_corto_el_nucleo(trozos):
    """Tres formas en que el núcleo pudo partir lo mismo: la salida unida es siempre la misma."""
    (unida,) = salidas_estables.unir_flujos(_flujos(*trozos))
    assert unida["text"] == "¿Cada fila suma 1? True\nLogits: (1, 14)\n\n▸ Voraz\n"


def test_myst_nb_sola_si_dependia_de_los_trozos():
    """Por qué existe la extensión: la unión de myst-nb cambia el texto según los trozos."""
    from myst_nb.core.utils import coalesce_streams

    enteros = coalesce_streams(_flujos("¿Cada fila suma 1? True\n"))
    partidos = coalesce_streams(_flujos("¿Cada fila suma 1?", " True\n"))
    assert enteros[0]["text"] != partidos[0]["text"]


def test_unir_flujos_respeta_el_orden_y_separa_stdout_de_stderr():
    import nbformat

    figura = nbformat.v4.new_output("display_data", data={"text/plain": "<Figure>"})
    salidas = _flujos("antes ", "de la figura\n") + [figura] + _flujos("barra 50%", nombre="stderr") \
        + _flujos("después\n")
    original = [dict(s) for s in salidas]
    unidas = salidas_estables.unir_flujos(salidas)
    assert [(s["output_type"], s.get("name")) for s in unidas] == [
        ("stream", "stdout"), ("display_data", None), ("stream", "stderr")]
    assert unidas[0]["text"] == "antes de la figura\ndespués\n"
    assert [dict(s) for s in salidas] == original  # el cuaderno de la caché queda intacto


def test_el_renderizador_de_myst_nb_usa_la_union_estable():
    from myst_nb.core import render

    salidas_estables.setup(type("App", (), {})())
    assert render.coalesce_streams is salidas_estables.unir_flujos
