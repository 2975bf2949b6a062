"""El modo del curso: ``local`` (sin red, recursos propios) o ``hub`` (Hugging Face Hub).

Este módulo se importa antes que ``transformers``: en modo local fija las variables
que dejan a ``huggingface_hub``, ``transformers`` y ``datasets`` sin conexión, para
que una descarga fallida nunca se quede esperando.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .errores import ModoInvalido

VARIABLE_MODO = "CURSO_LLM_MODO"
VARIABLE_CACHE = "CURSO_LLM_CACHE"
MODOS = ("local", "hub")

#: Variables que apagan la red de las bibliotecas de Hugging Face.
VARIABLES_SIN_RED = ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE")

DESCRIPCIONES = {
    "local": "modelos y datos propios del curso, entrenados en tu CPU; sin red",
    "hub": "modelos y conjuntos de datos reales del Hugging Face Hub; necesita conexión",
}


def en_colab() -> bool:
    """``True`` si el código corre dentro de Google Colab."""
    return "google.colab" in sys.modules or "COLAB_RELEASE_TAG" in os.environ


def modo_actual() -> str:
    """Devuelve ``"local"`` o ``"hub"``.

    Manda la variable de entorno ``CURSO_LLM_MODO``; sin ella, ``hub`` en Colab
    y ``local`` en cualquier otro lugar.
    """
    valor = os.environ.get(VARIABLE_MODO, "").strip().lower()
    if not valor:
        return "hub" if en_colab() else "local"
    if valor not in MODOS:
        raise ModoInvalido(
            f"{VARIABLE_MODO}={os.environ[VARIABLE_MODO]!r} no es un modo válido. "
            f"Usa {VARIABLE_MODO}=local (sin red) o {VARIABLE_MODO}=hub (modelos del Hub)."
        )
    return valor


def aplicar_modo(modo: str | None = None) -> str:
    """Prepara el entorno para el modo y lo devuelve.

    En modo local fija ``HF_HUB_OFFLINE=1`` y compañía; si ``huggingface_hub``
    ya estaba importado, también corrige su constante, que se lee al importarlo.
    En modo hub no toca nada: respeta lo que hayas fijado tú.
    """
    modo = modo or modo_actual()
    if modo == "local":
        for variable in VARIABLES_SIN_RED:
            os.environ[variable] = "1"
        constantes = sys.modules.get("huggingface_hub.constants")
        if constantes is not None:
            constantes.HF_HUB_OFFLINE = True
    return modo


def carpeta_cache() -> Path:
    """Carpeta donde el curso guarda sus modelos, datos y registros de W&B.

    Por defecto ``~/.cache/curso_llm``; se cambia con ``CURSO_LLM_CACHE``.
    """
    base = os.environ.get(VARIABLE_CACHE)
    ruta = Path(base).expanduser() if base else Path.home() / ".cache" / "curso_llm"
    ruta.mkdir(parents=True, exist_ok=True)
    return ruta


def describir_modo(modo: str | None = None) -> str:
    """Una línea en español que dice en qué modo estás y cómo cambiarlo."""
    modo = modo or modo_actual()
    otro = "hub" if modo == "local" else "local"
    return (
        f"Modo del curso: {modo} ({DESCRIPCIONES[modo]}). "
        f"Para cambiarlo, fija {VARIABLE_MODO}={otro} antes de importar curso_llm."
    )
