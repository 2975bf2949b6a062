"""Quizzes del curso con jupyterquiz, con la interfaz en español.

Los quizzes son JSON (formato de jupyterquiz) que viajan dentro del paquete, así
que ``mostrar_quiz("capitulo-1")`` funciona igual en el sitio y en Colab.
"""

from __future__ import annotations

import itertools
import json
import re
from importlib import resources

from .errores import QuizInvalido

#: Textos de la interfaz de jupyterquiz y su traducción. Se aplican sobre su JavaScript.
TRADUCCIONES = {
    '"Correct!"': '"¡Correcto!"',
    'jaxify("Correct")': 'jaxify("¡Correcto!")',
    '"Incorrect -- try again."': '"Incorrecto. Inténtalo de nuevo."',
    '"Incorrect. Try again."': '"Incorrecto. Inténtalo de nuevo."',
    '"Type numeric answer here:"': '"Escribe tu respuesta numérica y pulsa Enter:"',
    '"Type your answer here:"': '"Escribe tu respuesta y pulsa Enter:"',
}

#: Arreglos al JavaScript de jupyterquiz, con el mismo mecanismo. Si MathJax no llega (una página
#: sin fórmulas, o Colab sin conexión), la página puede definir la configuración de MathJax sin la
#: biblioteca: jupyterquiz lee ``MathJax.version`` sin comprobar que exista y lanza un TypeError.
ARREGLOS = {
    'version[0] == "2"': 'String(version)[0] == "2"',
    'version[0] == "3"': 'String(version)[0] == "3"',
    "if (typeof MathJax !== 'undefined') {": "if (typeof MathJax !== 'undefined' && MathJax.version) {",
}

TIPOS = ("multiple_choice", "many_choice", "numeric")


def quizzes_disponibles() -> list[str]:
    """Nombres de los quizzes que trae el paquete (p. ej. ``"capitulo-1"``)."""
    carpeta = resources.files("curso_llm") / "quizzes"
    return sorted(p.name[: -len(".json")] for p in carpeta.iterdir() if p.name.endswith(".json"))


def _problemas(preguntas) -> list[str]:
    """Lo que le falta a un quiz para ser válido en el curso (vacío si está bien)."""
    if not isinstance(preguntas, list) or not preguntas:
        return ["el quiz debe ser una lista de preguntas con al menos una"]
    problemas = []
    for n, p in enumerate(preguntas, 1):
        if not isinstance(p, dict):
            problemas.append(f"la pregunta {n} no es un objeto JSON")
            continue
        if p.get("type") not in TIPOS:
            problemas.append(f"la pregunta {n} tiene tipo {p.get('type')!r}; usa uno de {TIPOS}")
        if not str(p.get("question", "")).strip():
            problemas.append(f"la pregunta {n} no tiene texto en 'question'")
        respuestas = p.get("answers")
        if not isinstance(respuestas, list) or not respuestas:
            problemas.append(f"la pregunta {n} no tiene respuestas en 'answers'")
            continue
        if not all(isinstance(r, dict) for r in respuestas):
            problemas.append(f"las respuestas de la pregunta {n} deben ser objetos JSON")
            continue
        if not any(r.get("correct") is True for r in respuestas):
            problemas.append(f"la pregunta {n} no tiene ninguna respuesta correcta")
        for m, r in enumerate(respuestas, 1):
            if not str(r.get("feedback", "")).strip():
                problemas.append(f"la respuesta {m} de la pregunta {n} no tiene 'feedback'")
    return problemas


def leer_quiz(texto: str, nombre: str = "quiz") -> list[dict]:
    """Convierte el JSON de un quiz en preguntas, o explica en español qué le falta."""
    try:
        preguntas = json.loads(texto)
    except json.JSONDecodeError as error:
        raise QuizInvalido(
            f"El quiz '{nombre}' no es JSON válido (línea {error.lineno}, columna {error.colno}): {error.msg}. "
            "Revisa comas y comillas en ese punto."
        ) from None
    problemas = _problemas(preguntas)
    if problemas:
        raise QuizInvalido(f"El quiz '{nombre}' no está bien formado: " + "; ".join(problemas) + ".")
    return preguntas


def cargar_quiz(nombre: str) -> list[dict]:
    """Las preguntas del quiz ``nombre`` que trae el paquete, comprobadas."""
    disponibles = quizzes_disponibles()
    if nombre not in disponibles:
        raise QuizInvalido(
            f"No encuentro el quiz '{nombre}'. Los disponibles son: {', '.join(disponibles) or 'ninguno'}."
        )
    texto = (resources.files("curso_llm") / "quizzes" / f"{nombre}.json").read_text(encoding="utf-8")
    return leer_quiz(texto, nombre)


def _javascript_en_espanol() -> str:
    """Todo el JavaScript de jupyterquiz, con su interfaz traducida (y los ``ARREGLOS``)."""
    carpeta = resources.files("jupyterquiz") / "js"
    codigo = "".join(
        p.read_text(encoding="utf-8") for p in sorted(carpeta.iterdir(), key=lambda p: p.name) if p.name.endswith(".js")
    )
    for original, cambio in {**TRADUCCIONES, **ARREGLOS}.items():
        codigo = codigo.replace(original, cambio)
    return codigo


#: Cuántos quizzes se han mostrado en este proceso: numera los contenedores de la página.
_mostrados = itertools.count(1)


def nuevo_id(nombre: str) -> str:
    """Un id de contenedor que sirve también de nombre de variable en JavaScript.

    Sale del nombre del quiz y de un contador, no del azar: el mismo capítulo ejecutado dos
    veces da el mismo HTML (y no consume números de ``random``, cuya semilla fija el capítulo).
    Dos quizzes en la misma página, o el mismo mostrado otra vez, reciben ids distintos.
    """
    return "quiz" + re.sub(r"[^0-9A-Za-z_]", "_", nombre) + f"_{next(_mostrados)}"


def html_quiz(nombre: str, id_quiz: str | None = None) -> tuple[str, str]:
    """El HTML (contenedor y estilos) y el JavaScript del quiz, listos para mostrar."""
    from jupyterquiz.dynamic.renderer import build_styles, render_div

    preguntas = cargar_quiz(nombre)
    id_quiz = id_quiz or nuevo_id(nombre)
    contenedor = render_div(id_quiz, False, True, False, 1_000_000, 700, 10, "left")
    html = contenedor + "</div>" + build_styles(id_quiz, _COLORES)
    script = (
        f"var questions{id_quiz} = {json.dumps(preguntas, ensure_ascii=False)};\n"
        "if (typeof Question === 'undefined') {\n"
        + _javascript_en_espanol()
        + "\n}\n"
        + f"(function mostrar() {{ if (document.getElementById('{id_quiz}')) "
        + f"{{ show_questions(questions{id_quiz}, {id_quiz}); }} else {{ setTimeout(mostrar, 200); }} }})();\n"
    )
    return html, script


def mostrar_quiz(nombre: str) -> None:
    """Muestra el quiz ``nombre`` (p. ej. ``"capitulo-1"``) en el cuaderno o en el libro."""
    from IPython.display import HTML, Javascript, display

    html, script = html_quiz(nombre)
    display(HTML(html))
    display(Javascript(script))


# Colores del curso (contraste AA sobre texto blanco).
_COLORES = {
    "--jq-multiple-choice-bg": "#2b4c7e",
    "--jq-mc-button-bg": "#fafafa",
    "--jq-mc-button-border": "#e0e0e0e0",
    "--jq-mc-button-inset-shadow": "#555555",
    "--jq-many-choice-bg": "#8a3b12",
    "--jq-numeric-bg": "#1f5f5b",
    "--jq-numeric-input-bg": "#e8e8e8",
    "--jq-numeric-input-label": "#101010",
    "--jq-numeric-input-shadow": "#999999",
    "--jq-string-bg": "#4c1a57",
    "--jq-incorrect-color": "#b00020",
    "--jq-correct-color": "#0a7d28",
    "--jq-text-color": "#fafafa",
    "--jq-link-color": "#cfe0ff",
}
