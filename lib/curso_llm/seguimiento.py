"""Seguimiento de entrenamientos con Weights & Biases: dónde quedan las ejecuciones y qué guardaron.

W&B escribe cada ejecución en una carpeta ``offline-run-…`` o ``run-…`` (dentro de
``WANDB_DIR/wandb``, que ``preparar_wandb`` pone en la caché del curso) con un archivo
``run-<id>.wandb``: el registro de todo lo que se anotó. Sin clave, esa carpeta es la ejecución
entera, y ``wandb sync`` la sube después. Aquí se lee ese archivo para comprobar qué métricas
guardó, sin red y sin cuenta.

El archivo tiene el formato de registro de LevelDB (bloques de 32 KiB; cada registro, con una
cabecera de 7 bytes: suma de control, longitud y tipo) tras una cabecera propia de 7 bytes
(``:W&B``, un número mágico y la versión); cada registro es un ``Record`` de protobuf de W&B.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

from .errores import ErrorCurso

_BLOQUE = 32768
_CABECERA = 7
_COMPLETO, _PRIMERO, _MEDIO, _ULTIMO = 1, 2, 3, 4


def carpeta_wandb() -> Path:
    """Donde W&B deja sus ejecuciones: ``WANDB_DIR/wandb`` (``preparar_wandb`` fija ``WANDB_DIR``)."""
    import os

    from .modo import carpeta_cache

    base = os.environ.get("WANDB_DIR") or str(carpeta_cache() / "wandb")
    return Path(base) / "wandb"


def ejecuciones_wandb() -> list[Path]:
    """Las carpetas de ejecución de W&B de este ordenador, de la más antigua a la más nueva."""
    carpeta = carpeta_wandb()
    if not carpeta.is_dir():
        return []
    carpetas = [p for p in carpeta.iterdir() if p.is_dir() and p.name.startswith(("offline-run-", "run-"))]
    return sorted(carpetas, key=lambda p: (p.stat().st_mtime, p.name))


def _registros(datos: bytes) -> list[bytes]:
    if datos[:4] != b":W&B":
        raise ErrorCurso("Ese archivo no es un registro de W&B (no empieza por ':W&B').")
    registros, partes, pos = [], b"", _CABECERA
    while pos + _CABECERA <= len(datos):
        resto = _BLOQUE - pos % _BLOQUE
        if resto < _CABECERA:  # el final de un bloque que no cabe en una cabecera va relleno
            pos += resto
            continue
        _, largo, tipo = struct.unpack("<IHB", datos[pos : pos + _CABECERA])
        if tipo == 0 and largo == 0:
            pos += resto
            continue
        trozo = datos[pos + _CABECERA : pos + _CABECERA + largo]
        pos += _CABECERA + largo
        if tipo == _COMPLETO:
            registros.append(trozo)
        elif tipo == _PRIMERO:
            partes = trozo
        elif tipo == _MEDIO:
            partes += trozo
        elif tipo == _ULTIMO:
            registros.append(partes + trozo)
    return registros


def leer_ejecucion_wandb(carpeta) -> dict[str, list[tuple[int | None, float]]]:
    """Las métricas que anotó una ejecución de W&B: ``{"train/loss": [(paso, valor), …], …}``.

    ``carpeta`` es la carpeta de la ejecución (o su archivo ``.wandb``). El paso es el
    ``train/global_step`` que anota el ``Trainer`` (``None`` si no lo hay). Las claves internas de
    W&B (las que empiezan por ``_``) se omiten."""
    from wandb.proto import wandb_internal_pb2

    ruta = Path(carpeta)
    if ruta.is_dir():
        archivos = sorted(ruta.glob("run-*.wandb"))
        if not archivos:
            raise ErrorCurso(f"En {ruta} no hay ningún archivo run-*.wandb: ¿es la carpeta de una ejecución de W&B?")
        ruta = archivos[0]
    elif not ruta.is_file():
        raise ErrorCurso(f"No existe {ruta}. Pasa la carpeta de una ejecución (mira curso_llm.ejecuciones_wandb()).")
    metricas: dict[str, list[tuple[int | None, float]]] = {}
    for crudo in _registros(ruta.read_bytes()):
        registro = wandb_internal_pb2.Record()
        registro.ParseFromString(crudo)
        if registro.WhichOneof("record_type") != "history":
            continue
        fila = {(i.key or "/".join(i.nested_key)): json.loads(i.value_json) for i in registro.history.item}
        paso = fila.get("train/global_step")
        for clave, valor in fila.items():
            if not clave.startswith("_") and clave != "train/global_step" and isinstance(valor, (int, float)):
                metricas.setdefault(clave, []).append((paso, valor))
    return metricas
