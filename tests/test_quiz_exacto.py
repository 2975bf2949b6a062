"""Quizzes al detalle: mensajes completos, el HTML exacto del contenedor y el JavaScript entero y en orden.

Las pruebas de tests/test_quiz.py miran que las cosas estén; estas, que estén bien: un mensaje con
otra puntuación, un quiz con otro ancho o un archivo de jupyterquiz fuera de orden las hacen fallar
(las encontró la prueba de mutación: ver bench/MUTANTES.md).
"""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest

import curso_llm
from curso_llm import quiz
from curso_llm.errores import QuizInvalido


def _error(texto: str) -> str:
    with pytest.raises(QuizInvalido) as error:
        quiz.leer_quiz(texto, "prueba")
    return str(error.value)


def _pregunta(**cambios) -> dict:
    base = {"type": "multiple_choice", "question": "¿Sí?",
            "answers": [{"answer": "sí", "correct": True, "feedback": "Bien."},
                        {"answer": "no", "correct": False, "feedback": "No."}]}
    return base | cambios


def test_json_roto_mensaje_completo():
    assert _error('[{"type": "numeric",') == (
        "El quiz 'prueba' no es JSON válido (línea 1, columna 21): Expecting property name enclosed in double "
        "quotes. Revisa comas y comillas en ese punto.")


@pytest.mark.parametrize("texto", ["{}", "[]", '{"type": "numeric"}', '"una pregunta"', "7"])
def test_quiz_que_no_es_una_lista_de_preguntas(texto):
    assert _error(texto) == ("El quiz 'prueba' no está bien formado: el quiz debe ser una lista de preguntas con "
                             "al menos una.")


def test_cada_problema_de_cada_pregunta_en_orden():
    preguntas = [
        1,
        _pregunta(type="verdadero"),
        {"type": "numeric", "answers": [{"answer": 3, "correct": True, "feedback": "Sí."}]},
        _pregunta(question="   "),
        _pregunta(answers="sí"),
        _pregunta(answers=[]),
        _pregunta(answers=["a", {"answer": "b"}]),
        _pregunta(answers=[{"answer": "a", "correct": "true", "feedback": "x"}, {"answer": "b", "feedback": " "}]),
        _pregunta(answers=[{"answer": "a", "correct": True}]),
    ]
    assert _error(json.dumps(preguntas)) == (
        "El quiz 'prueba' no está bien formado: "
        "la pregunta 1 no es un objeto JSON; "
        "la pregunta 2 tiene tipo 'verdadero'; usa uno de ('multiple_choice', 'many_choice', 'numeric'); "
        "la pregunta 3 no tiene texto en 'question'; "
        "la pregunta 4 no tiene texto en 'question'; "
        "la pregunta 5 no tiene respuestas en 'answers'; "
        "la pregunta 6 no tiene respuestas en 'answers'; "
        "las respuestas de la pregunta 7 deben ser objetos JSON; "
        "la pregunta 8 no tiene ninguna respuesta correcta; "
        "la respuesta 2 de la pregunta 8 no tiene 'feedback'; "
        "la respuesta 1 de la pregunta 9 no tiene 'feedback'.")


def test_un_quiz_bien_formado_se_devuelve_tal_cual():
    preguntas = [_pregunta(), _pregunta(type="many_choice"), {"type": "numeric", "question": "¿2+2?",
                 "answers": [{"type": "value", "value": 4, "correct": True, "feedback": "Eso."}]}]
    assert quiz.leer_quiz(json.dumps(preguntas), "bien") == preguntas


def test_quiz_desconocido_mensaje_completo():
    disponibles = curso_llm.quizzes_disponibles()
    assert disponibles[:2] == ["capitulo-1", "capitulo-2"]
    with pytest.raises(QuizInvalido) as error:
        curso_llm.cargar_quiz("capitulo-99")
    assert str(error.value) == f"No encuentro el quiz 'capitulo-99'. Los disponibles son: {', '.join(disponibles)}."


def test_los_quizzes_del_paquete_son_sus_json():
    carpeta = resources.files("curso_llm") / "quizzes"
    nombres = sorted(p.name.removesuffix(".json") for p in carpeta.iterdir() if p.name.endswith(".json"))
    assert curso_llm.quizzes_disponibles() == nombres
    for nombre in nombres:
        texto = (carpeta / f"{nombre}.json").read_text(encoding="utf-8")
        assert curso_llm.cargar_quiz(nombre) == json.loads(texto)


@pytest.fixture
def quiz_roto_en_el_paquete():
    """Un quiz mal formado dentro del paquete (y fuera al terminar, pase lo que pase)."""
    ruta = resources.files("curso_llm") / "quizzes" / "zz-prueba-rota.json"
    ruta.write_text('[{"type": "numeric", "question": "¿?", "answers": []}]', encoding="utf-8")
    try:
        yield "zz-prueba-rota"
    finally:
        ruta.unlink()


def test_un_quiz_roto_del_paquete_se_nombra_en_el_error(quiz_roto_en_el_paquete):
    with pytest.raises(QuizInvalido) as error:
        curso_llm.cargar_quiz(quiz_roto_en_el_paquete)
    assert str(error.value) == ("El quiz 'zz-prueba-rota' no está bien formado: la pregunta 1 no tiene respuestas "
                                "en 'answers'.")


def test_contenedor_html_exacto():
    html, _ = quiz.html_quiz("capitulo-1", id_quiz="quizExacto")
    # Preguntas en su orden, respuestas barajadas, sin recordar respuestas, todas las preguntas, 700 px.
    assert html.startswith(
        '<div id="quizExacto" data-shufflequestions="False" data-shuffleanswers="True" '
        'data-preserveresponses="false" data-numquestions="1000000" data-maxwidth="700" '
        'style="border-radius: 10px; text-align: left"></div><style>\n#quizExacto {\n'
        "   --jq-multiple-choice-bg: #2b4c7e;\n")
    for variable, color in [("--jq-correct-color", "#0a7d28"), ("--jq-incorrect-color", "#b00020"),
                            ("--jq-text-color", "#fafafa")]:
        assert f"   {variable}: {color};\n" in html


def test_script_exacto_alrededor_del_javascript():
    _, script = quiz.html_quiz("capitulo-2", id_quiz="quizS")
    preguntas = json.dumps(curso_llm.cargar_quiz("capitulo-2"), ensure_ascii=False)
    assert "¿" in preguntas  # con tildes y signos tal cual, no \u00bf
    assert script.startswith(f"var questionsquizS = {preguntas};\nif (typeof Question === 'undefined') {{\n")
    assert script.endswith(
        "\n}\n(function mostrar() { if (document.getElementById('quizS')) "
        "{ show_questions(questionsquizS, quizS); } else { setTimeout(mostrar, 200); } })();\n")


def test_javascript_de_jupyterquiz_entero_y_en_orden():
    """Los archivos .js de jupyterquiz, por orden alfabético y pegados sin nada entre ellos."""
    archivos = sorted((p for p in (resources.files("jupyterquiz") / "js").iterdir() if p.name.endswith(".js")),
                      key=lambda p: p.name)
    assert len(archivos) >= 2
    codigo = quiz._javascript_en_espanol()
    textos = [p.read_text(encoding="utf-8") for p in archivos]
    posiciones = []
    for texto in textos:
        inicio = texto[:60]
        assert inicio in codigo, inicio
        posiciones.append(codigo.index(inicio))
    assert posiciones == sorted(posiciones) and posiciones[0] == 0
    for anterior, siguiente in zip(textos, textos[1:]):
        assert anterior[-40:] + siguiente[:40] in codigo  # pegados, sin separador
    assert len(codigo) - sum(len(t) for t in textos) == sum(
        (len(c) - len(o)) * sum(t.count(o) for t in textos)
        for o, c in {**quiz.TRADUCCIONES, **quiz.ARREGLOS}.items())


def test_ids_del_quiz_con_su_nombre_y_un_contador():
    # Ya no al azar: dos construcciones del libro deben dar páginas idénticas (tests/test_estabilidad.py).
    html, script = quiz.html_quiz("capitulo-1")
    id_quiz = re.match(r'<div id="(\w+)"', html).group(1)
    assert re.fullmatch(r"quizcapitulo_1_\d+", id_quiz)
    assert f"show_questions(questions{id_quiz}, {id_quiz})" in script


def test_mostrar_quiz_muestra_este_quiz(monkeypatch):
    mostrados = []
    monkeypatch.setattr("IPython.display.display", lambda objeto: mostrados.append(objeto))
    curso_llm.mostrar_quiz("capitulo-2")
    html, javascript = mostrados
    assert html.data.startswith('<div id="quiz') and "data-maxwidth=\"700\"" in html.data
    pregunta = curso_llm.cargar_quiz("capitulo-2")[0]["question"]
    assert json.dumps(pregunta, ensure_ascii=False) in javascript.data
    assert "show_questions(" in javascript.data


def test_leer_quiz_sin_nombre_lo_llama_quiz():
    with pytest.raises(QuizInvalido) as error:
        quiz.leer_quiz("[]")
    assert str(error.value).startswith("El quiz 'quiz' no está bien formado:")


def test_quizzes_con_una_configuracion_regional_sin_utf8(tmp_path):
    """Con LC_ALL=C y sin forzar UTF-8 (como algunos Windows o contenedores), los quizzes se leen igual."""
    from conftest import ejecutar_sin_utf8

    codigo = ("import json; from curso_llm import quiz\n"
              "print(json.dumps([quiz.cargar_quiz('capitulo-1'), quiz._javascript_en_espanol()[:0]], ensure_ascii=True))")
    assert json.loads(ejecutar_sin_utf8(codigo, tmp_path))[0] == curso_llm.cargar_quiz("capitulo-1")