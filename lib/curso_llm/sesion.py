"""Inicio de sesión en Hugging Face y Weights & Biases sin exponer tokens.

El token se busca, en este orden, en los secretos de Colab, en una variable de
entorno y, si no aparece, se pide con ``getpass`` (que no lo muestra). Nunca se
imprime, ni se registra, ni se escribe en disco: queda solo en el entorno del
proceso (``HF_TOKEN`` / ``WANDB_API_KEY``), que es donde lo buscan las bibliotecas.
"""

from __future__ import annotations

import getpass
import os
import re
from pathlib import Path

from .errores import TokenInvalido
from .modo import carpeta_cache

_HF = {
    "variable": "HF_TOKEN",
    "nombre": "Hugging Face",
    "donde": "https://huggingface.co/settings/tokens",
    "forma": re.compile(r"hf_[A-Za-z0-9]{20,}"),
    "pista": "empieza por 'hf_' y sigue con letras y números",
}
_WANDB = {
    "variable": "WANDB_API_KEY",
    "nombre": "Weights & Biases",
    "donde": "https://wandb.ai/authorize",
    "forma": re.compile(r"[A-Za-z0-9_\-]{40,}"),
    "pista": "tiene al menos 40 letras, números o guiones",
}


def _secreto_de_colab(variable: str) -> str | None:
    try:
        from google.colab import userdata  # type: ignore[import-not-found]
    except ImportError:
        return None
    try:
        return userdata.get(variable)
    except Exception:  # secreto ausente o sin permiso para este cuaderno
        return None


def _pedir(texto: str) -> str | None:
    try:
        return getpass.getpass(texto)
    except Exception:  # sin teclado: construcción del libro, pruebas, scripts
        return None


def _obtener(servicio: dict, pedir: bool) -> tuple[str | None, str]:
    variable = servicio["variable"]
    token = _secreto_de_colab(variable)
    if token:
        return token, "un secreto de Colab"
    token = os.environ.get(variable)
    if token:
        return token, f"la variable de entorno {variable}"
    if pedir:
        token = _pedir(f"Pega tu token de {servicio['nombre']} (no se verá) y pulsa Enter: ")
        if token:
            return token, "lo que escribiste"
    return None, ""


def _iniciar(servicio: dict, pedir: bool) -> bool:
    token, fuente = _obtener(servicio, pedir)
    if not token:
        print(
            f"No encontré un token de {servicio['nombre']}. Crea uno en {servicio['donde']} y guárdalo "
            f"como secreto de Colab (icono de la llave) con el nombre {servicio['variable']}, "
            f"o en la variable de entorno {servicio['variable']}. Puedes seguir el curso sin él."
        )
        return False
    token = token.strip()
    if not servicio["forma"].fullmatch(token):
        raise TokenInvalido(
            f"El token de {servicio['nombre']} leído de {fuente} no tiene la forma esperada "
            f"({servicio['pista']}). Cópialo de nuevo desde {servicio['donde']}."
        )
    os.environ[servicio["variable"]] = token
    print(
        f"Token de {servicio['nombre']} listo (leído de {fuente}). "
        "No se muestra ni se guarda en disco: vive solo en esta sesión."
    )
    return True


def iniciar_sesion_hf(pedir: bool = True) -> bool:
    """Deja listo el token de Hugging Face para ``push_to_hub`` y compañía."""
    return _iniciar(_HF, pedir)


def iniciar_sesion_wandb(pedir: bool = True) -> bool:
    """Deja lista la clave de Weights & Biases. Sin clave, W&B funcionará sin conexión."""
    listo = _iniciar(_WANDB, pedir)
    preparar_wandb()
    return listo


def _hay_clave_wandb() -> bool:
    if os.environ.get("WANDB_API_KEY"):
        return True
    netrc = Path.home() / ".netrc"
    return netrc.exists() and "api.wandb.ai" in netrc.read_text(errors="ignore")


def preparar_wandb() -> str:
    """Elige el modo de W&B y la carpeta de sus archivos; devuelve ``"online"`` u ``"offline"``.

    Sin clave, ``offline``: las ejecuciones se registran de verdad en disco y puedes
    subirlas luego con ``wandb sync``. Los archivos van a la caché del curso, fuera
    de la carpeta del libro.
    """
    carpeta = carpeta_cache() / "wandb"
    carpeta.mkdir(parents=True, exist_ok=True)
    os.environ["WANDB_DIR"] = str(carpeta)
    os.environ.setdefault("WANDB_SILENT", "true")
    modo = "online" if _hay_clave_wandb() else "offline"
    os.environ["WANDB_MODE"] = modo
    return modo
