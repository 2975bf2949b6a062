"""Modelos más ligeros: contar parámetros, medir el tamaño en disco y preparar la cuantización.

- ``parametros``: cuántos parámetros tiene un modelo y cuántos se entrenan (con LoRA, muy pocos).
- ``tamano_en_disco``: los bytes de una carpeta, un archivo o un modelo (guardado con ``torch.save``).
- ``a_capas_lineales``: cambia las ``Conv1D`` de GPT-2 (una capa lineal con los pesos traspuestos,
  herencia del GPT original) por ``nn.Linear`` equivalentes, las que la cuantización dinámica de
  PyTorch sabe convertir a int8.
- ``tokens_por_segundo``: la velocidad de generación, con decodificación voraz.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

from .errores import ErrorCurso


def parametros(modelo) -> tuple[int, int]:
    """``(entrenables, total)``: los parámetros con ``requires_grad`` y todos."""
    total = entrenables = 0
    for p in modelo.parameters():
        total += p.numel()
        entrenables += p.numel() if p.requires_grad else 0
    return entrenables, total


def tamano_en_disco(objeto) -> int:
    """Bytes que ocupa ``objeto``: una carpeta (la suma de sus archivos), un archivo o un modelo de
    PyTorch (lo que ocuparía su ``state_dict`` guardado con ``torch.save``)."""
    if isinstance(objeto, (str, Path)):
        ruta = Path(objeto)
        if not ruta.exists():
            raise ErrorCurso(f"No encuentro {ruta}: pasa la carpeta o el archivo de un modelo guardado.")
        return ruta.stat().st_size if ruta.is_file() else sum(p.stat().st_size for p in ruta.rglob("*") if p.is_file())
    if not hasattr(objeto, "state_dict"):
        raise ErrorCurso(f"tamano_en_disco recibe una carpeta, un archivo o un modelo de PyTorch, no "
                         f"{type(objeto).__name__}.")
    import torch

    memoria = io.BytesIO()
    torch.save(objeto.state_dict(), memoria)
    return memoria.tell()


def a_capas_lineales(modelo):
    """Cambia cada ``Conv1D`` de ``transformers`` por un ``nn.Linear`` que calcula lo mismo (en el
    sitio) y devuelve el modelo. GPT-2 las usa; Llama, Qwen y casi todos los modelos nuevos ya
    usan ``nn.Linear``, y entonces no cambia nada."""
    import torch
    from transformers.pytorch_utils import Conv1D

    for nombre, hijo in list(modelo.named_children()):
        if isinstance(hijo, Conv1D):
            entrada, salida = hijo.weight.shape
            lineal = torch.nn.Linear(entrada, salida, dtype=hijo.weight.dtype, device=hijo.weight.device)
            with torch.no_grad():
                lineal.weight.copy_(hijo.weight.T)
                lineal.bias.copy_(hijo.bias)
            setattr(modelo, nombre, lineal)
        else:
            a_capas_lineales(hijo)
    return modelo


def tokens_por_segundo(modelo, tokenizador, texto: str, tokens: int = 64, repeticiones: int = 3) -> float:
    """Tokens generados por segundo (voraz, exactamente ``tokens`` nuevos), el mejor de
    ``repeticiones`` intentos: así pesa menos lo que la máquina esté haciendo a la vez."""
    import torch

    ids = tokenizador(texto, return_tensors="pt").to(next(modelo.parameters()).device)
    mejor = float("inf")
    with torch.no_grad():
        for _ in range(repeticiones):
            inicio = time.perf_counter()
            modelo.generate(**ids, max_new_tokens=tokens, min_new_tokens=tokens, do_sample=False,
                            pad_token_id=tokenizador.eos_token_id)
            mejor = min(mejor, time.perf_counter() - inicio)
    return tokens / mejor
