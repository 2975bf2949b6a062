"""Los capítulos en un Chromium real: sin errores de JavaScript, y el quiz responde en español."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

import curso_llm

from conftest import (
    HTML,
    capitulos,
    chromium_de_las_pruebas,
    configuracion,
    falta_en_la_maquina,
    motivo_sin_navegador,
    paginas_del_indice,
)

pytestmark = pytest.mark.lento

# El Chromium lo busca conftest (tests/buscar_chromium.py): el del sistema o el de Playwright.
# Sin ninguno, estas pruebas se omiten y pytest dice cuántas y por qué.
OPCIONES = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def sitio(libro):
    assert libro.returncode == 0, "el libro no se construyó"
    manejador = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(HTML))
    manejador.log_message = lambda *a, **k: None
    servidor = http.server.ThreadingHTTPServer(("127.0.0.1", 0), manejador)
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    yield f"http://127.0.0.1:{servidor.server_address[1]}"
    servidor.shutdown()


@pytest.fixture(scope="module")
def navegador():
    from playwright.sync_api import Error, sync_playwright

    hallado = chromium_de_las_pruebas()
    if hallado.ruta is None:
        falta_en_la_maquina(motivo_sin_navegador(hallado.origen))
    with sync_playwright() as p:
        try:
            chromium = p.chromium.launch(executable_path=hallado.ruta, args=OPCIONES)
        except Error as error:  # p. ej. el de Playwright sin las bibliotecas del sistema que necesita
            primera = str(error).strip().splitlines()[0]
            falta_en_la_maquina(motivo_sin_navegador(f"{hallado.ruta} no arranca ({primera})"))
        yield chromium
        chromium.close()


def _primera_de_opcion_multiple():
    for pregunta in curso_llm.cargar_quiz("capitulo-1"):
        if pregunta["type"] == "multiple_choice":
            return pregunta
    raise AssertionError("el quiz del capítulo 1 no tiene preguntas de opción múltiple")


def test_quiz_del_capitulo_1_responde_en_espanol(sitio, navegador):
    pagina = navegador.new_page()
    errores = []
    pagina.on("pageerror", lambda e: errores.append(str(e)))
    pagina.goto(f"{sitio}/book/01-que-es-un-llm.html")
    assert pagina.locator("html").get_attribute("lang") == "es"

    pregunta = _primera_de_opcion_multiple()
    # jupyterquiz pinta cada pregunta en un .Quiz: enunciado, opciones (.MCButton) y .Feedback.
    bloque = pagina.locator(".Quiz").filter(has=pagina.locator(".MultipleChoiceQn")).filter(
        has_text=pregunta["question"][:40]).first
    bloque.wait_for(timeout=15000)
    mala = next(r for r in pregunta["answers"] if not r["correct"])
    buena = next(r for r in pregunta["answers"] if r["correct"])
    opciones = bloque.locator("label.MCButton")
    retro = bloque.locator(".Feedback")

    opciones.filter(has_text=mala["answer"][:40]).first.click()
    retro.wait_for()
    assert "incorrect" in retro.get_attribute("class")
    assert mala["feedback"][:40] in retro.inner_text()

    opciones.filter(has_text=buena["answer"][:40]).first.click()
    assert "correct" in retro.get_attribute("class").split()
    assert buena["feedback"][:40] in retro.inner_text()

    assert "Correct!" not in pagina.content()
    assert not errores, errores
    pagina.screenshot(path=str(HTML.parent / "captura-capitulo-1.png"), full_page=False)


@pytest.mark.parametrize("capitulo", capitulos(), ids=lambda p: p.stem)
def test_capitulo_sin_errores_de_javascript(sitio, navegador, capitulo):
    """Sin red, MathJax (de un CDN) no llega: antes, jupyterquiz fallaba en las páginas con fórmulas."""
    pagina = navegador.new_page()
    errores = []
    pagina.on("pageerror", lambda e: errores.append(str(e)))
    pagina.goto(f"{sitio}/book/{capitulo.stem}.html")
    bloque = pagina.locator(".Quiz").filter(has=pagina.locator(".MultipleChoiceQn")).first
    bloque.wait_for(timeout=15000)
    bloque.locator("label.MCButton").first.click()  # la retroalimentación también pasa por MathJax
    bloque.locator(".Feedback").wait_for()
    pagina.wait_for_timeout(1500)  # jupyterquiz mira MathJax a los 500 ms de pintar el quiz
    assert not errores, errores


def test_numerica_en_espanol(sitio, navegador):
    pagina = navegador.new_page()
    pagina.goto(f"{sitio}/book/01-que-es-un-llm.html")
    bloque = pagina.locator(".Quiz").filter(has=pagina.locator(".NumericQn")).first
    bloque.wait_for(timeout=15000)
    assert "Escribe tu respuesta numérica" in bloque.locator(".InpLabel").inner_text()
    pregunta = next(p for p in curso_llm.cargar_quiz("capitulo-1") if p["type"] == "numeric")
    correcta = next(r for r in pregunta["answers"] if r.get("correct") and "value" in r)
    campo = bloque.locator("input.Input-text")
    campo.fill(str(correcta["value"]))
    campo.press("Enter")
    retro = bloque.locator(".Feedback")
    retro.wait_for()
    assert correcta["feedback"][:40] in retro.inner_text()
    assert "correct" in retro.get_attribute("class").split()


# ---------------------------------------------------------------- el sitio sin red

def _paginas_del_sitio() -> list[str]:
    """Cada página HTML del libro: las del índice y las que crea Sphinx (búsqueda, índice general)."""
    return paginas_del_indice() + ["search", "genindex"]


def _abrir_sin_red(navegador, sitio, pagina_html):
    """Abre una página del sitio con toda petición a otro servidor cortada; devuelve (página, cortadas)."""
    pagina = navegador.new_page()
    cortadas = []

    def enrutar(ruta):
        if ruta.request.url.startswith(sitio):
            ruta.continue_()
        else:
            cortadas.append(ruta.request.url)
            ruta.abort()

    pagina.route("**/*", enrutar)
    pagina.goto(f"{sitio}/{pagina_html}.html", wait_until="load")
    return pagina, cortadas


#: Textos en inglés (o en usted, o sin tilde) que la interfaz del tema traía y ya no debe mostrar.
INGLES = ["Repository", "Open issue", "Launch on", "Launch interactive content", "Source repositories",
          "Toggle primary sidebar", "Toggle secondary sidebar", "Link to this", "Your issue content",
          "Your%20issue", "Issue on page", "Issue%20on%20page", "Descarga esta pagina", "active JavaScript",
          "Tema del libro de la esfinge", "pagina anterior"]
#: Atributos que no pueden valer exactamente esto (en inglés, pero demasiado cortos para buscarlos en el texto).
ATRIBUTOS_EN_INGLES = {"Main", "Page", "Colab logo"}

_TEXTOS_DE_LA_PAGINA = """() => {
  const textos = [document.body.innerText];
  const atributos = [];
  for (const el of document.querySelectorAll('*')) {
    for (const nombre of ['title', 'aria-label', 'alt', 'placeholder', 'data-bs-original-title', 'href']) {
      const valor = el.getAttribute(nombre);
      if (valor) { atributos.push(valor); }
    }
  }
  return [textos, atributos];
}"""


@pytest.mark.parametrize("pagina_html", _paginas_del_sitio())
def test_ninguna_pagina_muestra_la_interfaz_en_ingles(sitio, navegador, pagina_html):
    """Texto visible, atributos (títulos, etiquetas accesibles, enlaces) y el HTML tal cual, con
    <noscript> incluido: ni rastro de los textos del tema en inglés. Y la página no pide nada a
    otro servidor: el sitio entero funciona sin red."""
    pagina, cortadas = _abrir_sin_red(navegador, sitio, pagina_html)
    pagina.wait_for_timeout(1500)  # tooltips de Bootstrap (title → data-bs-original-title) y quiz
    assert not cortadas, f"{pagina_html} pidió cosas fuera del sitio: {cortadas}"
    textos, atributos = pagina.evaluate(_TEXTOS_DE_LA_PAGINA)
    crudo = (HTML / f"{pagina_html}.html").read_text(encoding="utf-8")
    for ingles in INGLES:
        assert not [t for t in textos + atributos if ingles in t], f"«{ingles}» a la vista en {pagina_html}"
        assert ingles not in crudo, f"«{ingles}» en el HTML de {pagina_html}"
    assert not ATRIBUTOS_EN_INGLES & set(atributos), ATRIBUTOS_EN_INGLES & set(atributos)
    pagina.close()


def test_formulas_compuestas_sin_red(sitio, navegador):
    """MathJax sale del propio sitio: con la red cortada, cada fórmula se compone y no queda TeX a la vista."""
    con_formulas = [p for p in _paginas_del_sitio()
                    if 'class="math' in (HTML / f"{p}.html").read_text(encoding="utf-8")]
    assert "book/02-transformers-por-dentro" in con_formulas
    for pagina_html in con_formulas:
        pagina, cortadas = _abrir_sin_red(navegador, sitio, pagina_html)
        errores = []
        pagina.on("pageerror", lambda e: errores.append(str(e)))
        formulas = pagina.locator("span.math, div.math").count()
        assert formulas > 0
        pagina.wait_for_function(
            f"document.querySelectorAll('mjx-container').length >= {formulas}", timeout=20000)
        assert pagina.evaluate("MathJax.version").startswith("3.")
        visible = pagina.locator("article").inner_text()
        for tex in ["$$", "\\(", "\\[", "\\frac", "\\sqrt", "\\text{", "\\top"]:
            assert tex not in visible, f"TeX sin componer en {pagina_html}: {tex}"
        assert not cortadas, f"{pagina_html} pidió cosas fuera del sitio: {cortadas}"
        assert not errores, errores
        pagina.close()


@pytest.mark.parametrize("capitulo", capitulos(), ids=lambda p: p.stem)
def test_abrir_en_colab_a_la_vista(sitio, navegador, capitulo):
    """Bajo el título, sin abrir ningún menú: el mismo enlace que el del cohete, a la rama de _config.yml."""
    repo = configuracion()["repository"]
    ruta = repo["url"].removeprefix("https://github.com/")
    esperada = f"https://colab.research.google.com/github/{ruta}/blob/{repo['branch']}/book/{capitulo.name}"
    pagina, _ = _abrir_sin_red(navegador, sitio, f"book/{capitulo.stem}")
    enlace = pagina.locator("article p.abrir-en-colab a")
    assert enlace.count() == 1 and enlace.is_visible()
    assert enlace.inner_text().strip() == "Abrir en Colab"
    assert enlace.get_attribute("href") == esperada
    cohete = pagina.locator(".dropdown-launch-buttons a[href*='colab']")
    assert cohete.get_attribute("href") == esperada
    caja = enlace.bounding_box()
    assert caja and caja["y"] < pagina.viewport_size["height"], "el botón no se ve al abrir la página"
    titulo = pagina.locator("article h1").first.bounding_box()
    assert titulo["y"] < caja["y"], "el botón va debajo del título"
    pagina.close()
