"""Hablar con el Hugging Face Hub: descargar lo justo, fallar pronto y en español.

Todo lo que el modo ``hub`` baja del Hub pasa por ``descargar()``:

1. Una consulta corta (``repo_info`` con un plazo de ``PLAZO`` segundos) comprueba que hay
   conexión, que el repositorio existe y que tu token vale.
2. Si la consulta va bien, ``snapshot_download`` baja solo los archivos que el curso usa
   (nada de pesos de TensorFlow o Flax) a la caché normal del Hub.
3. Si no hay red pero los archivos ya están en la caché, se usan. Si no están, un
   ``HubNoDisponible`` en español dice qué pasó y qué hacer, en segundos y no en minutos.

Algunos repositorios publicados necesitan un retoque para ``transformers`` 5 (BETO, por ejemplo,
puede no declarar ``model_type`` ni ``do_lower_case``): ``completar_configuracion()`` escribe en la
caché del curso una copia de la carpeta con esas claves añadidas y enlaces a los pesos originales.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .errores import HubNoDisponible
from .modo import carpeta_cache

#: Segundos de espera de la consulta inicial: con red, el Hub responde en menos de uno.
PLAZO = 5.0

_QUE_HACER = (
    "Comprueba tu conexión a internet y vuelve a ejecutar la celda; o trabaja sin red con "
    "CURSO_LLM_MODO=local (los modelos y datos propios del curso)."
)


def _errores_de_red() -> tuple[type[Exception], ...]:
    """Los errores de red posibles: ``huggingface_hub`` usa ``httpx2`` (2.x) o ``httpx`` (1.x, Colab)."""
    import importlib

    tipos: list[type[Exception]] = [OSError]
    for modulo in ("httpx2", "httpx"):
        try:
            tipos.append(importlib.import_module(modulo).HTTPError)
        except (ImportError, AttributeError):
            pass
    return tuple(tipos)


def _tipo_repo(tipo: str) -> str:
    return "model" if tipo == "modelo" else "dataset"


def _traducir(error: Exception, repo_id: str, tipo: str) -> HubNoDisponible:
    """Un error del Hub (o de la red) convertido en un mensaje en español que dice qué hacer."""
    from huggingface_hub import errors

    que = "el modelo" if tipo == "modelo" else "el conjunto de datos"
    if isinstance(error, errors.GatedRepoError):
        return HubNoDisponible(
            f"{que.capitalize()} '{repo_id}' tiene acceso restringido: acepta sus condiciones en su página "
            "del Hub e inicia sesión con curso_llm.iniciar_sesion_hf() (o usa CURSO_LLM_MODO=local)."
        )
    if isinstance(error, errors.RepositoryNotFoundError):
        return HubNoDisponible(
            f"El Hub no encuentra {que} '{repo_id}': o cambió de nombre, o es privado y tu token no da "
            "acceso, o el token no es válido. Revisa el token con curso_llm.iniciar_sesion_hf(), avísanos en "
            "el repositorio del curso si el recurso cambió de nombre, o usa CURSO_LLM_MODO=local."
        )
    if isinstance(error, errors.RevisionNotFoundError):
        return HubNoDisponible(
            f"{que.capitalize()} '{repo_id}' existe, pero no la versión pedida. Avísanos en el repositorio "
            "del curso, o usa CURSO_LLM_MODO=local."
        )
    if isinstance(error, errors.HfHubHTTPError):
        codigo = getattr(getattr(error, "response", None), "status_code", None)
        if codigo in (401, 403):
            return HubNoDisponible(
                f"El Hub rechazó tu token al pedir {que} '{repo_id}' (error {codigo}). Crea uno nuevo de "
                "lectura en huggingface.co/settings/tokens e inicia sesión con curso_llm.iniciar_sesion_hf()."
            )
        return HubNoDisponible(
            f"El Hub respondió con un error{f' {codigo}' if codigo else ''} al pedir {que} '{repo_id}'. "
            f"Puede ser un fallo pasajero del Hub: espera un minuto y reintenta. {_QUE_HACER}"
        )
    return HubNoDisponible(
        f"No pude conectar con el Hugging Face Hub para bajar {que} '{repo_id}', y no está en tu caché. "
        + _QUE_HACER
    )


def descargar(repo_id: str, tipo: str, archivos: tuple[str, ...] | list[str]) -> tuple[Path, bool]:
    """Baja (o encuentra en la caché) los ``archivos`` de un repositorio.

    ``tipo`` es ``"modelo"`` o ``"conjunto"``; ``archivos``, patrones como ``"*.json"``. Devuelve la
    carpeta y si se puede usar el identificador: sí cuando el Hub respondió o cuando se pidió el modo
    sin red (``HF_HUB_OFFLINE``: ``transformers`` tampoco preguntará). Si el Hub no respondió (y los
    archivos ya estaban en la caché), quien llama debe usar la carpeta, no el identificador, para que
    ``transformers`` no vuelva a esperar a la red.
    """
    from huggingface_hub import HfApi, snapshot_download
    from huggingface_hub import constants as hf_constantes
    from huggingface_hub import errors

    tipo_repo = _tipo_repo(tipo)
    patrones = list(archivos) or None
    error_de_red: Exception | None = None
    if not hf_constantes.HF_HUB_OFFLINE:
        try:
            HfApi().repo_info(repo_id, repo_type=tipo_repo, timeout=PLAZO)
        except (errors.RepositoryNotFoundError, errors.RevisionNotFoundError) as error:
            raise _traducir(error, repo_id, tipo) from None
        except errors.HfHubHTTPError as error:
            codigo = getattr(getattr(error, "response", None), "status_code", None)
            if codigo in (401, 403):
                raise _traducir(error, repo_id, tipo) from None
            error_de_red = error  # el Hub falla: quizá ya está en la caché
        except _errores_de_red() as error:
            error_de_red = error
    sin_red = hf_constantes.HF_HUB_OFFLINE or error_de_red is not None
    try:
        carpeta = snapshot_download(repo_id, repo_type=tipo_repo, allow_patterns=patrones,
                                    local_files_only=sin_red, etag_timeout=PLAZO)
    except errors.LocalEntryNotFoundError:
        raise _traducir(error_de_red or ConnectionError(), repo_id, tipo) from None
    except (errors.HfHubHTTPError, *_errores_de_red()) as error:
        raise _traducir(error, repo_id, tipo) from None
    carpeta = Path(carpeta)
    if patrones and not any(p.is_file() for p in carpeta.rglob("*")):
        raise HubNoDisponible(
            f"En '{repo_id}' no encontré ninguno de los archivos que el curso usa ({', '.join(patrones)}): "
            "el repositorio cambió. Avísanos en el repositorio del curso, o usa CURSO_LLM_MODO=local."
        )
    return carpeta, error_de_red is None


def completar_configuracion(carpeta: Path, repo_id: str, claves: dict[str, dict]) -> Path | None:
    """Si a algún JSON de ``carpeta`` le faltan ``claves``, crea una copia completada y la devuelve.

    ``claves`` es ``{archivo: {clave: valor}}``. La copia vive en la caché del curso: los JSON
    completados se reescriben y el resto son enlaces a los archivos de la caché del Hub (los pesos
    no se duplican). Devuelve ``None`` si no falta nada.
    """
    faltan: dict[str, dict] = {}
    for nombre, requeridas in claves.items():
        ruta = carpeta / nombre
        datos = json.loads(ruta.read_text(encoding="utf-8")) if ruta.exists() else {}
        if any(k not in datos for k in requeridas):
            faltan[nombre] = {**{k: v for k, v in requeridas.items() if k not in datos}, **datos}
    if not faltan:
        return None
    destino = carpeta_cache() / "hub-completados" / f"{repo_id.replace('/', '--')}-{carpeta.name[:12]}"
    destino.mkdir(parents=True, exist_ok=True)
    for origen in carpeta.iterdir():
        enlace = destino / origen.name
        if origen.name in faltan or enlace.exists() or enlace.is_symlink():
            continue
        os.symlink(origen.resolve(), enlace)
    for nombre, datos in faltan.items():
        (destino / nombre).write_text(json.dumps(datos, indent=2, ensure_ascii=False), encoding="utf-8")
    return destino
