"""Quizzes: JSON válido según jupyterquiz, feedback en cada opción, interfaz en español."""

from __future__ import annotations

import json
import random
import re

import jsonschema
import pytest

import curso_llm
from curso_llm import quiz
from curso_llm.errores import QuizInvalido

from conftest import capitulos, ejecutar_python
from esquema_jupyterquiz import esquema_para

QUIZZES = curso_llm.quizzes_disponibles()


def test_hay_un_quiz_por_capitulo():
    esperados = {f"capitulo-{c.name.split('-')[0].lstrip('0')}" for c in capitulos()}
    assert esperados, "el índice no tiene capítulos"
    assert esperados <= set(QUIZZES)


@pytest.mark.parametrize("nombre", QUIZZES)
def test_quiz_cumple_el_esquema_de_jupyterquiz(nombre):
    preguntas = curso_llm.cargar_quiz(nombre)
    assert len(preguntas) >= 8
    for pregunta in preguntas:
        jsonschema.validate(pregunta, esquema_para(pregunta))
        assert all(r.get("feedback", "").strip() for r in pregunta["answers"])


@pytest.mark.parametrize("nombre", QUIZZES)
def test_quiz_tiene_variedad(nombre):
    tipos = {p["type"] for p in curso_llm.cargar_quiz(nombre)}
    assert "numeric" in tipos
    assert tipos & {"multiple_choice", "many_choice"}


def test_el_esquema_rechaza_una_pregunta_mal_formada():
    mala = {"type": "multiple_choice", "question": "¿?", "answers": [{"answer": "sí"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(mala, esquema_para(mala))


def test_quiz_desconocido():
    with pytest.raises(QuizInvalido, match=r"No encuentro el quiz 'capitulo-99'. Los disponibles son: capitulo-1"):
        curso_llm.cargar_quiz("capitulo-99")


@pytest.mark.parametrize(
    "texto,esperado",
    [
        ('[{"type": "multiple_choice",', "no es JSON válido (línea 1"),
        ("{}", "debe ser una lista de preguntas"),
        ('[{"type": "verdadero", "question": "¿?", "answers": [{"answer": "a", "correct": true, "feedback": "b"}]}]',
         "tiene tipo 'verdadero'"),
        ('[{"type": "multiple_choice", "question": "¿?", "answers": [{"answer": "a", "correct": true}]}]',
         "la respuesta 1 de la pregunta 1 no tiene 'feedback'"),
        ('[{"type": "multiple_choice", "question": "¿?", "answers": [{"answer": "a", "correct": false, "feedback": "x"}]}]',
         "no tiene ninguna respuesta correcta"),
        ('[{"type": "numeric", "question": "¿?", "answers": ["7"]}]', "deben ser objetos JSON"),
    ],
)
def test_quiz_mal_formado_explica_el_problema(texto, esperado):
    with pytest.raises(QuizInvalido) as error:
        quiz.leer_quiz(texto, "prueba")
    assert esperado in str(error.value)


def test_la_interfaz_de_jupyterquiz_queda_en_espanol():
    html, script = quiz.html_quiz(QUIZZES[0], id_quiz="quizPrueba")
    for ingles in ["Correct!", "Incorrect -- try again.", "Incorrect. Try again.", "Type numeric answer here:",
                   'jaxify("Correct")']:
        assert ingles not in script
    assert "¡Correcto!" in script and "Inténtalo de nuevo" in script and "Escribe tu respuesta numérica" in script
    assert 'id="quizPrueba"' in html and "show_questions(questionsquizPrueba, quizPrueba)" in script
    # Las preguntas van incrustadas (sin red) y con sus tildes.
    assert json.dumps(curso_llm.cargar_quiz(QUIZZES[0]), ensure_ascii=False) in script


def test_cada_traduccion_encuentra_su_texto_en_jupyterquiz():
    """Si jupyterquiz cambia sus textos, esta prueba avisa antes de que el inglés vuelva."""
    from importlib import resources

    carpeta = resources.files("jupyterquiz") / "js"
    original = "".join(p.read_text(encoding="utf-8") for p in carpeta.iterdir() if p.name.endswith(".js"))
    for texto in [*quiz.TRADUCCIONES, *quiz.ARREGLOS]:
        assert texto in original, texto


def test_mostrar_quiz_emite_html_y_javascript(monkeypatch):
    mostrados = []
    monkeypatch.setattr("IPython.display.display", lambda objeto: mostrados.append(objeto))
    curso_llm.mostrar_quiz(QUIZZES[0])
    assert [type(o).__name__ for o in mostrados] == ["HTML", "Javascript"]


def test_el_id_del_quiz_no_depende_del_azar():
    """Dos ejecuciones del mismo capítulo dan el mismo HTML: el id sale del nombre, no de random."""
    codigo = ("import random, curso_llm.quiz as q; random.seed({}); "
              "print(q.html_quiz('capitulo-1')[0]); print(q.html_quiz('capitulo-1')[0])")
    salidas = [ejecutar_python(codigo.format(semilla), {}) for semilla in (1, 2)]
    assert all(s.returncode == 0 for s in salidas), salidas[0].stderr[-2000:]
    assert salidas[0].stdout == salidas[1].stdout
    ids = re.findall(r'<div id="(quiz\w+)"', salidas[0].stdout)
    assert ids == ["quizcapitulo_1_1", "quizcapitulo_1_2"]  # dos quizzes en una página, ids distintos


def test_mostrar_un_quiz_no_gasta_numeros_al_azar():
    estado = random.getstate()
    quiz.html_quiz(QUIZZES[0])
    assert random.getstate() == estado  # la semilla del capítulo sigue valiendo para lo que viene después
