"""Los capítulos en un Chromium real: sin errores de JavaScript, y el quiz responde en español."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

import curso_llm

from conftest import HTML, capitulos, chromium_de_las_pruebas, falta_en_la_maquina, motivo_sin_navegador

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
