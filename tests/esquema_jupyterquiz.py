"""Esquemas JSON de las preguntas de jupyterquiz.

Transcritos de los que publica jupyterquiz en su repositorio (carpeta ``schema/``:
``mc_schema.json`` y ``num_schema.json``, licencia MIT, © John M. Shea), que no
vienen en el paquete de PyPI. El curso añade sus reglas aparte (feedback en cada
opción, al menos una correcta): ver ``curso_llm.quiz``.
"""

OPCION_MULTIPLE = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "JupyterQuiz Multiple or Many Choice Quiz",
    "type": "object",
    "properties": {
        "question": {"type": "string"},
        "type": {"type": "string", "pattern": "multiple_choice|many_choice"},
        "answers": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "answer": {"type": "string"},
                    "correct": {"type": "boolean"},
                    "feedback": {"type": "string"},
                    "answer_cols": {"type": "number"},
                },
                "required": ["answer", "correct"],
            },
        },
        "code": {"type": "string"},
    },
    "required": ["type", "question", "answers"],
}

_RESPUESTA_NUMERICA = {
    "anyOf": [
        {
            "type": "object",
            "properties": {"value": {"type": "number"}, "correct": {"type": "boolean"}, "feedback": {"type": "string"}},
            "required": ["value", "correct"],
        },
        {
            "type": "object",
            "properties": {
                "range": {"type": "array", "minItems": 2, "maxItems": 2},
                "correct": {"type": "boolean"},
                "feedback": {"type": "string"},
            },
            "required": ["range", "correct"],
        },
        {
            "type": "object",
            "properties": {"type": {"type": "string", "pattern": "default"}, "feedback": {"type": "string"}},
            "required": ["type", "feedback"],
        },
    ]
}

NUMERICA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "JupyterQuiz Numeric Question",
    "type": "object",
    "properties": {
        "question": {"type": "string"},
        "type": {"type": "string", "pattern": "numeric"},
        "precision": {"type": "integer"},
        "answers": {"type": "array", "items": _RESPUESTA_NUMERICA},
    },
}


def esquema_para(pregunta: dict) -> dict:
    return NUMERICA if pregunta.get("type") == "numeric" else OPCION_MULTIPLE
