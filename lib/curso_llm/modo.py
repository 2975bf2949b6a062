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


#: Marca que deja el modo local para saber qué variables puso él (y poder quitarlas en modo hub).
_MARCA_SIN_RED = "CURSO_LLM_SIN_RED_PUESTO"


def _fijar_constantes_sin_red(valor: bool) -> None:
    """Las bibliotecas ya importadas leyeron las variables al importarse: se corrige su copia."""
    for modulo, atributos in (("huggingface_hub.constants", ("HF_HUB_OFFLINE",)),
                              ("datasets.config", ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE"))):
        constantes = sys.modules.get(modulo)
        for atributo in atributos:
            if constantes is not None and hasattr(constantes, atributo):
                setattr(constantes, atributo, valor)


def aplicar_modo(modo: str | None = None) -> str:
    """Prepara el entorno para el modo y lo devuelve.

    En modo local fija ``HF_HUB_OFFLINE=1`` y compañía (y corrige las bibliotecas ya importadas,
    que leen esas variables al importarse). En modo hub quita solo lo que puso el modo local en
    este mismo proceso: si fijaste tú ``HF_HUB_OFFLINE``, se respeta.
    """
    modo = modo or modo_actual()
    if modo == "local":
        puestas = [v for v in VARIABLES_SIN_RED if os.environ.get(v) != "1"]
        for variable in VARIABLES_SIN_RED:
            os.environ[variable] = "1"
        if puestas:
            anteriores = os.environ.get(_MARCA_SIN_RED, "")
            os.environ[_MARCA_SIN_RED] = ",".join(sorted(set(filter(None, anteriores.split(","))) | set(puestas)))
        _fijar_constantes_sin_red(True)
    elif os.environ.get(_MARCA_SIN_RED):
        for variable in os.environ.pop(_MARCA_SIN_RED).split(","):
            os.environ.pop(variable, None)
        _fijar_constantes_sin_red(any(os.environ.get(v, "").lower() in ("1", "true", "yes", "on")
                                      for v in VARIABLES_SIN_RED))
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
