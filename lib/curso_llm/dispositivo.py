"""Dónde calcular: GPU de NVIDIA (CUDA), GPU de Apple (MPS) o CPU, y con qué precisión.

El curso usa un solo ayudante desde el capítulo 3: ``elegir_dispositivo()``. En Colab con GPU
devuelve ``cuda``; en un Mac con chip Apple, ``mps``; en cualquier otro caso, ``cpu``. La variable
de entorno ``CURSO_LLM_DISPOSITIVO`` (``cpu``, ``cuda``, ``mps`` o ``auto``) manda sobre la elección.

``precision_mixta()`` dice qué precisión reducida admite el dispositivo para entrenar:
``"bf16"`` solo en GPU con capacidad de cómputo 8.0 o más (A100, L4…), ``"fp16"`` en las demás
GPU de NVIDIA (la T4 gratuita de Colab es 7.5: fp16 sí, bf16 no) y ``"no"`` en CPU y MPS.
"""

from __future__ import annotations

import os

from .errores import ErrorCurso

VARIABLE_DISPOSITIVO = "CURSO_LLM_DISPOSITIVO"
OPCIONES = ("auto", "cuda", "mps", "cpu")


def _disponibles() -> dict[str, bool]:
    import torch

    mps = getattr(torch.backends, "mps", None)
    return {
        "cuda": torch.cuda.is_available(),
        "mps": bool(mps is not None and mps.is_available()),
        "cpu": True,
    }


def elegir_dispositivo(preferencia: str | None = None, mostrar: bool = True):
    """El ``torch.device`` donde conviene calcular: CUDA, luego MPS, luego CPU.

    ``preferencia`` (o la variable ``CURSO_LLM_DISPOSITIVO``) puede forzar ``"cpu"``, ``"cuda"``
    o ``"mps"``; ``"auto"`` o nada elige solo. Con ``mostrar=True`` imprime una línea en español
    con la elección.
    """
    import torch

    crudo = preferencia if preferencia is not None else os.environ.get(VARIABLE_DISPOSITIVO, "")
    if not isinstance(crudo, str):
        raise ErrorCurso(
            f"El dispositivo debe ser un texto ({', '.join(OPCIONES)}); recibí {type(crudo).__name__}."
        )
    pedido = crudo.strip().lower() or "auto"
    if pedido not in OPCIONES:
        raise ErrorCurso(
            f"No conozco el dispositivo {crudo!r}. Usa uno de: {', '.join(OPCIONES)} "
            f"(por ejemplo, {VARIABLE_DISPOSITIVO}=cpu)."
        )
    disponibles = _disponibles()
    if pedido == "auto":
        nombre = next(n for n in ("cuda", "mps", "cpu") if disponibles[n])
    elif not disponibles[pedido]:
        que = {"cuda": "una GPU de NVIDIA", "mps": "una GPU de Apple (MPS)"}[pedido]
        raise ErrorCurso(
            f"Pediste el dispositivo '{pedido}', pero aquí no hay {que}. En Colab, elige "
            "«Entorno de ejecución → Cambiar tipo de entorno → GPU»; o usa 'auto' para que el curso elija."
        )
    else:
        nombre = pedido
    dispositivo = torch.device(nombre)
    if mostrar:
        print(describir_dispositivo(dispositivo))
    return dispositivo


def describir_dispositivo(dispositivo) -> str:
    """Una línea en español: qué dispositivo es y qué precisión admite para entrenar."""
    import torch

    dispositivo = torch.device(dispositivo)
    if dispositivo.type == "cuda":
        nombre = torch.cuda.get_device_name(dispositivo)
        return f"Dispositivo: cuda ({nombre}); precisión mixta para entrenar: {precision_mixta(dispositivo)}."
    if dispositivo.type == "mps":
        return "Dispositivo: mps (GPU de Apple); se entrena en float32."
    return "Dispositivo: cpu (sin GPU); se entrena en float32. En Colab, con GPU, irá mucho más rápido."


def precision_mixta(dispositivo, capacidad: tuple[int, int] | None = None) -> str:
    """``"bf16"``, ``"fp16"`` o ``"no"``: la precisión reducida que conviene para entrenar.

    ``capacidad`` es la capacidad de cómputo de la GPU (``(7, 5)`` en una T4); si no se da, se
    pregunta a ``torch``. bfloat16 solo existe de verdad desde la capacidad 8.0 (Ampere).
    """
    import torch

    dispositivo = torch.device(dispositivo)
    if dispositivo.type != "cuda":
        return "no"
    if capacidad is None:
        capacidad = torch.cuda.get_device_capability(dispositivo)
    return "bf16" if tuple(capacidad) >= (8, 0) else "fp16"


def mover(lote, dispositivo):
    """Lleva al dispositivo un tensor, o cada tensor de un diccionario (como lo que da un tokenizador)."""
    if hasattr(lote, "to") and not isinstance(lote, dict):
        return lote.to(dispositivo)
    if isinstance(lote, dict) or hasattr(lote, "items"):
        return {clave: (v.to(dispositivo) if hasattr(v, "to") else v) for clave, v in lote.items()}
    raise ErrorCurso(
        f"No sé mover un {type(lote).__name__} al dispositivo: pásame un tensor o el diccionario "
        "que devuelve el tokenizador."
    )
