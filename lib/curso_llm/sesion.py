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


#: Lo que pasó al buscar el secreto en Colab (además de encontrarlo).
FUERA_DE_COLAB, AUSENTE, DENEGADO, SIN_RESPUESTA, ILEGIBLE = "fuera", "ausente", "denegado", "sin respuesta", "ilegible"


def _secreto_de_colab(variable: str) -> tuple[str | None, str]:
    """``(token, estado)``: el secreto de Colab o por qué no lo hay.

    Colab distingue un secreto que no existe (``SecretNotFoundError``) de uno que existe pero al que
    este cuaderno no tiene acceso (``NotebookAccessError``: el lector dijo que no o no activó el
    interruptor de acceso). Son dos arreglos distintos, así que se cuentan por separado.
    """
    try:
        from google.colab import userdata  # type: ignore[import-not-found]
    except ImportError:
        return None, FUERA_DE_COLAB
    try:
        return userdata.get(variable), AUSENTE
    except Exception as error:  # noqa: BLE001 - cada caso se nombra abajo; ninguno se calla
        tipo = type(error).__name__
        if tipo == "NotebookAccessError":
            return None, DENEGADO
        if tipo == "SecretNotFoundError":
            return None, AUSENTE
        if tipo == "TimeoutException":
            return None, SIN_RESPUESTA
        return None, ILEGIBLE


def _pedir(texto: str) -> str | None:
    try:
        return getpass.getpass(texto)
    except Exception:  # sin teclado: construcción del libro, pruebas, scripts
        return None


def _aviso_de_colab(servicio: dict, estado: str) -> str | None:
    """Qué decir cuando el secreto de Colab no se pudo leer por algo distinto de no existir."""
    variable = servicio["variable"]
    if estado == DENEGADO:
        return (f"El secreto {variable} existe en Colab, pero este cuaderno no tiene permiso para leerlo. "
                f"Abre el panel de secretos (icono de la llave), activa «Acceso del cuaderno» junto a {variable} "
                "y vuelve a ejecutar esta celda (o acepta cuando Colab te pregunte).")
    if estado == SIN_RESPUESTA:
        return (f"Colab no respondió al pedirle el secreto {variable}. Vuelve a ejecutar esta celda; si sigue "
                "igual, reinicia el entorno de ejecución.")
    if estado == ILEGIBLE:
        return (f"No pude leer el secreto {variable} de Colab (error inesperado de google.colab). "
                "Vuelve a ejecutar esta celda o guarda el token en una variable de entorno.")
    return None


def _obtener(servicio: dict, pedir: bool) -> tuple[str | None, str, str | None]:
    """``(token, de dónde salió, aviso)``; el aviso explica un secreto de Colab que no se pudo leer."""
    variable = servicio["variable"]
    token, estado = _secreto_de_colab(variable)
    if token:
        return token, "un secreto de Colab", None
    aviso = _aviso_de_colab(servicio, estado)
    if aviso:
        print(aviso)
    token = os.environ.get(variable)
    if token:
        return token, f"la variable de entorno {variable}", aviso
    if pedir:
        token = _pedir(f"Pega tu token de {servicio['nombre']} (no se verá) y pulsa Enter: ")
        if token:
            return token, "lo que escribiste", aviso
    return None, "", aviso


def _iniciar(servicio: dict, pedir: bool) -> bool:
    token, fuente, aviso = _obtener(servicio, pedir)
    if not token and aviso:
        print(f"Sigo sin token de {servicio['nombre']}: puedes seguir el curso sin él.")
        return False
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
    # El proyecto donde el Trainer deja las ejecuciones (sin esto, W&B las llama «huggingface»).
    os.environ.setdefault("WANDB_PROJECT", "llms-sin-barreras")
    modo = "online" if _hay_clave_wandb() else "offline"
    os.environ["WANDB_MODE"] = modo
    return modo
