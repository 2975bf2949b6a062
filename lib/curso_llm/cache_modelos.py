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
    """¿La carpeta tiene un modelo completo y legible? (la marca se escribe al final)."""
    try:
        json.loads((carpeta / MARCA).read_text(encoding="utf-8"))
        json.loads((carpeta / "config.json").read_text(encoding="utf-8"))
        json.loads((carpeta / "tokenizer.json").read_text(encoding="utf-8"))
        from safetensors import safe_open

        with safe_open(str(carpeta / "model.safetensors"), framework="pt") as pesos:
            return len(list(pesos.keys())) > 0
    except Exception:  # ausente, a medio escribir o dañada: safetensors lanza de todo
        return False


def construir_en_cache(nombre: str, config, entrenar, progreso: bool = True, corpus: Path | None = None) -> Path:
    """Devuelve la carpeta del modelo ``nombre``; lo entrena y guarda si no está (o está dañado).

    ``corpus`` es otra carpeta de corpus (para pruebas); por defecto, la del paquete.
    """
    clave = huella(config, huella_corpus(corpus))
    carpeta = carpeta_cache() / "modelos" / f"{nombre}-{clave}"
    if _carpeta_lista(carpeta):
        return carpeta
    if carpeta.exists():  # a medio escribir o dañada: se reconstruye
        shutil.rmtree(carpeta)
    partes = leer_corpus(estilo=False, carpeta=corpus)
    if progreso:
        print(f"Primera vez: entreno el modelo local '{nombre}' en tu CPU (queda guardado para las siguientes).")
    modelo, tok, metricas = entrenar(config, partes["train"], partes["validation"], progreso=progreso)
    temporal = carpeta.with_name(carpeta.name + f".tmp{os.getpid()}")
    if temporal.exists():
        shutil.rmtree(temporal)
    modelo.save_pretrained(temporal)
    tok.save_pretrained(temporal)
    (temporal / MARCA).write_text(json.dumps(
        {"nombre": nombre, "config": dataclasses.asdict(config), "metricas": metricas, "versiones": _versiones()},
        indent=1, ensure_ascii=False))
    if carpeta.exists():
        shutil.rmtree(carpeta)
    temporal.rename(carpeta)
    return carpeta


def metricas_de(carpeta: str | Path) -> dict:
    """Las métricas de entrenamiento guardadas junto a un modelo local."""
    return json.loads((Path(carpeta) / MARCA).read_text(encoding="utf-8"))["metricas"]
