"""La caché de los modelos locales: una carpeta por modelo, con un hash en el nombre.

El hash (``huella``) junta la configuración, el corpus, las versiones de las bibliotecas y la
versión de la receta: si algo cambia, el modelo se vuelve a entrenar; si no, se carga de disco.
Una carpeta a medio escribir o dañada se reconstruye.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
from pathlib import Path

from .corpus import huella_corpus, leer_corpus
from .errores import ErrorCurso
from .modo import carpeta_cache

#: Cambia este número si cambia la receta de entrenamiento: invalida la caché.
VERSION_RECETA = 4
MARCA = "curso_llm.json"


def _versiones() -> dict[str, str]:
    from importlib import metadata

    return {p: metadata.version(p) for p in ("torch", "transformers", "tokenizers")}


def huella(config, corpus: str) -> str:
    """Clave de caché: configuración + corpus + versiones + receta."""
    datos = {"config": dataclasses.asdict(config), "tipo": type(config).__name__, "corpus": corpus,
             "versiones": _versiones(), "receta": VERSION_RECETA}
    return hashlib.sha256(json.dumps(datos, sort_keys=True).encode()).hexdigest()[:12]


def _carpeta_lista(carpeta: Path) -> bool:
    """¿La carpeta tiene un modelo completo y legible? (la marca se escribe al final)

    Un ``PermissionError`` no es una carpeta dañada: se deja pasar para que ``construir_en_cache``
    lo explique en lugar de borrar (y volver a entrenar) un modelo que está bien.
    """
    try:
        for archivo in (MARCA, "config.json", "tokenizer.json"):
            json.loads((carpeta / archivo).read_text(encoding="utf-8"))
        # safetensors dice «No such file» también cuando falta permiso: Python abre primero y lo distingue.
        with open(carpeta / "model.safetensors", "rb"):
            pass
        from safetensors import safe_open

        with safe_open(str(carpeta / "model.safetensors"), framework="pt") as pesos:
            return len(list(pesos.keys())) > 0
    except PermissionError:
        raise
    except Exception:  # ausente, a medio escribir o dañada: safetensors lanza de todo
        return False


def _sin_permiso(carpeta: Path, error: OSError) -> ErrorCurso:
    return ErrorCurso(
        f"No tengo permiso para usar la caché de modelos del curso en {carpeta} "
        f"({error.strerror or error}: {error.filename or carpeta}). No borro ni vuelvo a entrenar nada. "
        "Devuélvele los permisos a tu usuario (por ejemplo: chmod -R u+rwX en esa carpeta) o fija "
        "CURSO_LLM_CACHE a una carpeta tuya."
    )


def construir_en_cache(nombre: str, config, entrenar, progreso: bool = True, corpus: Path | None = None) -> Path:
    """Devuelve la carpeta del modelo ``nombre``; lo entrena y guarda si no está (o está dañado).

    ``corpus`` es otra carpeta de corpus (para pruebas); por defecto, la del paquete. Si la caché
    no se puede leer o escribir por permisos, lanza ``ErrorCurso`` (en español) sin borrar nada.
    """
    clave = huella(config, huella_corpus(corpus))
    carpeta = None
    try:
        carpeta = carpeta_cache() / "modelos" / f"{nombre}-{clave}"
        if _carpeta_lista(carpeta):
            return carpeta
    except PermissionError as error:
        raise _sin_permiso(carpeta.parent if carpeta else Path(error.filename or "."), error) from None
    try:
        if carpeta.exists():  # a medio escribir o dañada: se reconstruye
            shutil.rmtree(carpeta)
        temporal = carpeta.with_name(carpeta.name + f".tmp{os.getpid()}")
        if temporal.exists():
            shutil.rmtree(temporal)
        temporal.mkdir(parents=True)  # antes de entrenar: sin permiso, el error llega ya y no tras minutos
        partes = leer_corpus(estilo=False, carpeta=corpus)
        if progreso:
            print(f"Primera vez: entreno el modelo local '{nombre}' en tu CPU (queda guardado para las siguientes).")
        modelo, tok, metricas = entrenar(config, partes["train"], partes["validation"], progreso=progreso)
        modelo.save_pretrained(temporal)
        tok.save_pretrained(temporal)
        (temporal / MARCA).write_text(json.dumps(
            {"nombre": nombre, "config": dataclasses.asdict(config), "metricas": metricas, "versiones": _versiones()},
            indent=1, ensure_ascii=False), encoding="utf-8")
        if carpeta.exists():
            shutil.rmtree(carpeta)
        temporal.rename(carpeta)
    except PermissionError as error:
        raise _sin_permiso(carpeta.parent, error) from None
    return carpeta


def metricas_de(carpeta: str | Path) -> dict:
    """Las métricas de entrenamiento guardadas junto a un modelo local."""
    return json.loads((Path(carpeta) / MARCA).read_text(encoding="utf-8"))["metricas"]
