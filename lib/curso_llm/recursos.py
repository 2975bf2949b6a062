"""Registro de recursos del curso: un nombre del curso, dos mundos.

Los capítulos piden un modelo o un conjunto de datos por su nombre del curso
(``"gpt2-es"``, ``"sesgo-genero"``…). En modo ``hub`` el nombre se resuelve al
recurso real del Hugging Face Hub; en modo ``local``, a la versión propia del
curso, construida en tu CPU y guardada en caché. La interfaz es la misma:
``from_pretrained``/``pipeline`` para modelos y ``datasets.DatasetDict`` con las
mismas columnas para datos.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .errores import RecursoDesconocido, RecursoNoDisponible
from .corpus import NOMBRES_SESGO, rasgos_sesgo  # noqa: F401  (las columnas son del conjunto, no del registro)
from .modo import aplicar_modo, modo_actual

# Etiquetas del conjunto del Hub (``prediction[0]["label"]``) → índice del curso.
_ETIQUETAS_HUB_SESGO = {"non-biased": 0, "biased": 1}


@dataclass(frozen=True)
class Recurso:
    """Un modelo o conjunto de datos del curso."""

    nombre: str
    tipo: str  # "modelo" o "conjunto"
    hub_id: str
    descripcion: str
    # Conjuntos grandes: cuántas filas se leen en modo hub (None: todas).
    filas: int | None = None
    # Devuelve la ruta local (modelos) o el DatasetDict (conjuntos). None: aún no existe.
    local: Callable[[], Any] | None = None
    # Convierte lo que da el Hub a las columnas del curso (solo conjuntos).
    normalizar: Callable[[Any], Any] | None = None
    # Recursos que solo existen en el curso: se usan igual en los dos modos.
    solo_curso: bool = False
    # Lo que se le dice al lector cuando el recurso local no es equivalente al del Hub.
    aviso_local: str | None = None
    # Patrones de los archivos del repositorio que el curso usa (lo demás no se descarga).
    archivos: tuple[str, ...] = ()
    # Claves que deben estar en los JSON del repositorio ({archivo: {clave: valor}}); si faltan,
    # el curso usa una copia completada (ver hub.completar_configuracion).
    completar: dict[str, dict] = field(default_factory=dict)


def normalizar_sesgo_genero(conjunto):
    """Lleva ``argilla/twitter-genderbias`` a las columnas del curso.

    Entrada: un ``Dataset`` o ``DatasetDict`` con ``text`` y ``prediction``
    (lista de ``{"label": "biased" | "non-biased", "score": …}``).
    Salida: lo mismo con solo ``text`` (str) y ``label`` (``ClassLabel`` con
    nombres ``"sin sesgo"`` y ``"con sesgo"``).
    """
    import datasets

    def _etiqueta(fila):
        prediccion = fila.get("prediction") or []
        crudo = prediccion[0].get("label") if prediccion else None
        clave = str(crudo).strip().lower() if crudo is not None else None
        if clave not in _ETIQUETAS_HUB_SESGO:
            raise RecursoNoDisponible(
                f"Una fila de sesgo-genero trae la etiqueta {crudo!r}, y solo sé leer "
                f"{sorted(_ETIQUETAS_HUB_SESGO)}. ¿Cambió el conjunto en el Hub? "
                "Avísanos en el repositorio del curso."
            )
        return {"text": str(fila["text"]).strip(), "label": _ETIQUETAS_HUB_SESGO[clave]}

    def _uno(ds):
        faltan = {"text", "prediction"} - set(ds.column_names)
        if faltan:
            raise RecursoNoDisponible(
                f"Al conjunto de sesgo de género le faltan las columnas {sorted(faltan)}; "
                f"tiene {ds.column_names}. Se esperaba el formato de argilla/twitter-genderbias."
            )
        return ds.map(_etiqueta, remove_columns=ds.column_names, features=rasgos_sesgo())

    if isinstance(conjunto, datasets.DatasetDict):
        return datasets.DatasetDict({parte: _uno(ds) for parte, ds in conjunto.items()})
    return _uno(conjunto)


def normalizar_web(conjunto):
    """Deja solo la columna ``text`` y separa una validación fija (5 %) si el Hub no la trae."""
    import datasets

    if isinstance(conjunto, datasets.Dataset):
        conjunto = datasets.DatasetDict({"train": conjunto})
    conjunto = datasets.DatasetDict(
        {parte: ds.select_columns(["text"]) for parte, ds in conjunto.items()}
    )
    if "validation" not in conjunto:
        partes = conjunto["train"].train_test_split(test_size=0.05, seed=42)
        conjunto = datasets.DatasetDict({"train": partes["train"], "validation": partes["test"]})
    return conjunto


def _pendiente(nombre: str) -> Callable[[], Any]:
    def _falta():
        raise RecursoNoDisponible(
            f"La versión local de '{nombre}' todavía no está disponible en esta versión del curso. "
            "Usa el modo hub (CURSO_LLM_MODO=hub, con conexión a internet) o actualiza curso_llm."
        )

    return _falta


#: Lo que el curso baja de un repositorio de modelo: configuración, tokenizador y pesos de PyTorch
#: (safetensors o, si el repositorio solo tiene eso, pytorch_model.bin); nunca TensorFlow, Flax u ONNX.
ARCHIVOS_MODELO = ("*.json", "*.txt", "*.model", "model.safetensors", "pytorch_model.bin")
#: Cuántos documentos de texto web se leen en modo hub (web-es).
FILAS_WEB = 4000

MODELOS: dict[str, Recurso] = {
    r.nombre: r
    for r in [
        Recurso(
            "gpt2-es",
            "modelo",
            "DeepESP/gpt2-spanish",
            "GPT-2 entrenado con textos en español (decodificador, genera texto).",
            local=lambda: _modelos().gpt_local(),
            archivos=ARCHIVOS_MODELO,
        ),
        Recurso(
            "gpt2",
            "modelo",
            "openai-community/gpt2",
            "GPT-2 original de OpenAI, entrenado sobre todo en inglés.",
            local=lambda: _modelos().gpt_local(),
            aviso_local="Aviso: sin red no hay GPT-2 original (en inglés); en su lugar uso el mini GPT-2 "
            "del curso, entrenado en español. En Colab (modo hub) verás el de OpenAI.",
            archivos=ARCHIVOS_MODELO,
        ),
        Recurso(
            "bert",
            "modelo",
            "dccuchile/bert-base-spanish-wwm-cased",
            "BETO: BERT entrenado en español (codificador, rellena huecos y clasifica).",
            local=lambda: _modelos().bert_local(),
            archivos=ARCHIVOS_MODELO,
            # Su config puede no declarar model_type (transformers 5 ya no lo adivina por el nombre) y
            # su tokenizador no dice do_lower_case: sin esto, un modelo con mayúsculas las perdería.
            completar={"config.json": {"model_type": "bert"}, "tokenizer_config.json": {"do_lower_case": False}},
        ),
        Recurso(
            "chat-es",
            "modelo",
            "Qwen/Qwen2.5-0.5B-Instruct",
            "Un modelo instruido (sigue instrucciones y conversa), con buen español y licencia Apache-2.0.",
            local=lambda: _modelos().chat_local(),
            aviso_local="Aviso: sin red, 'chat-es' es el mini GPT-2 del curso tras el ajuste con instrucciones "
            "del capítulo 6 (la misma receta): sigue el formato, pero sabe muy poco. En Colab verás "
            "Qwen2.5-0.5B-Instruct.",
            archivos=ARCHIVOS_MODELO,
        ),
    ]
}

CONJUNTOS: dict[str, Recurso] = {
    r.nombre: r
    for r in [
        Recurso(
            "sesgo-genero",
            "conjunto",
            "argilla/twitter-genderbias",
            "Tuits en español etiquetados según tengan o no sesgo de género (text, label).",
            normalizar=normalizar_sesgo_genero,
            local=lambda: _corpus().sesgo_local(),
            archivos=("data/*.parquet",),
        ),
        Recurso(
            "web-es",
            "conjunto",
            "HuggingFaceFW/fineweb-2",
            "Texto web en español para preentrenar (columna text): una muestra de FineWeb-2 (ODC-By).",
            # FineWeb-2 está en parquet (sin script de carga). Se baja un solo archivo de su parte de
            # prueba en español y se leen sus primeras FILAS_WEB filas, no los terabytes del conjunto.
            archivos=("data/spa_Latn/test/000_00000.parquet",),
            filas=FILAS_WEB,
            normalizar=normalizar_web,
            local=lambda: _corpus().web_local(),
        ),
        Recurso(
            "recetas",
            "conjunto",
            "",
            "Recetas escritas para el curso, todas con el mismo formato: para el ajuste fino de estilo.",
            local=lambda: _corpus().recetas_local(),
            solo_curso=True,
        ),
        Recurso(
            "instrucciones-es",
            "conjunto",
            "",
            "Pares instrucción-respuesta escritos para el curso (instruccion, respuesta, tema): para el "
            "ajuste con instrucciones (SFT).",
            local=lambda: _instrucciones().instrucciones_local(),
            solo_curso=True,
        ),
        Recurso(
            "preferencias-es",
            "conjunto",
            "",
            "Una instrucción con una respuesta elegida y otra rechazada, escritas para el curso "
            "(instruccion, elegida, rechazada, motivo): para DPO.",
            local=lambda: _instrucciones().preferencias_local(),
            solo_curso=True,
        ),
    ]
}


def _modelos():
    from . import modelos_locales

    return modelos_locales


def _corpus():
    from . import corpus

    return corpus


def _instrucciones():
    from . import instrucciones

    return instrucciones


def _buscar(nombre: str, tabla: dict[str, Recurso], que: str) -> Recurso:
    if not isinstance(nombre, str):
        raise RecursoDesconocido(
            f"Pide {que} por su nombre: debe ser un texto, no {type(nombre).__name__}. "
            f"Los disponibles son: {', '.join(sorted(tabla))}."
        )
    clave = nombre.strip().lower()
    if clave not in tabla:
        otros = MODELOS if tabla is CONJUNTOS else CONJUNTOS
        pista = ""
        if clave in otros:
            funcion = "ruta_modelo" if tabla is CONJUNTOS else "cargar_conjunto"
            pista = f" '{clave}' es un {otros[clave].tipo}: pídelo con {funcion}('{clave}')."
        raise RecursoDesconocido(
            f"No encuentro {que} '{nombre}'. Los disponibles son: {', '.join(sorted(tabla))}.{pista}"
        )
    return tabla[clave]


def _usa_hub(recurso: Recurso, modo: str) -> bool:
    """¿Este recurso sale del Hub en este modo? (Los que solo existen en el curso, nunca.)"""
    return modo == "hub" and not recurso.solo_curso


def _local(recurso: Recurso) -> Any:
    if recurso.aviso_local:
        print(recurso.aviso_local)
    return (recurso.local or _pendiente(recurso.nombre))()


def ruta_modelo(nombre: str) -> str:
    """Lo que hay que pasar a ``from_pretrained`` o a ``pipeline(model=…)``.

    En modo hub, el identificador del Hub (p. ej. ``"DeepESP/gpt2-spanish"``), después de bajar
    sus archivos a la caché del Hub (o de comprobar que ya están); si al repositorio le falta una
    clave que ``transformers`` necesita, la carpeta de una copia completada. En modo local, la
    carpeta del modelo propio del curso.
    """
    recurso = _buscar(nombre, MODELOS, "el modelo")
    if not _usa_hub(recurso, aplicar_modo()):
        return str(_local(recurso))
    from .hub import completar_configuracion, descargar

    carpeta, respondio = descargar(recurso.hub_id, recurso.tipo, recurso.archivos)
    completada = completar_configuracion(carpeta, recurso.hub_id, recurso.completar) if recurso.completar else None
    if completada:
        return str(completada)
    # Sin respuesta del Hub (y sin modo offline pedido), transformers volvería a esperarlo: la carpeta.
    return recurso.hub_id if respondio else str(carpeta)


def _leer_parquet(carpeta, patron: str, filas: int | None = None):
    """Un ``Dataset`` con las (primeras ``filas``) filas de los parquet de ``carpeta`` que casan con ``patron``."""
    import datasets
    import pyarrow as pa
    import pyarrow.parquet as pq

    rutas = sorted(p for p in carpeta.glob(patron) if p.is_file())
    lotes, total = [], 0
    for ruta in rutas:
        for lote in pq.ParquetFile(ruta).iter_batches(batch_size=1000):
            if filas is not None and total >= filas:
                break
            lote = lote if filas is None else lote.slice(0, filas - total)
            lotes.append(lote)
            total += lote.num_rows
    if not total:
        raise RecursoNoDisponible(
            f"En {carpeta} no hay filas en archivos '{patron}': la descarga está incompleta o el conjunto "
            "cambió. Borra esa carpeta de la caché del Hub y vuelve a ejecutar, o usa CURSO_LLM_MODO=local."
        )
    return datasets.Dataset(pa.Table.from_batches(lotes))


def cargar_conjunto(nombre: str):
    """Un ``datasets.DatasetDict`` con las columnas del curso, en cualquiera de los dos modos."""
    recurso = _buscar(nombre, CONJUNTOS, "el conjunto de datos")
    if not _usa_hub(recurso, aplicar_modo()):
        return _local(recurso)
    import datasets

    from .hub import descargar

    carpeta, _ = descargar(recurso.hub_id, recurso.tipo, recurso.archivos)
    crudo = _leer_parquet(carpeta, recurso.archivos[0], recurso.filas)
    conjunto = datasets.DatasetDict({"train": crudo})
    return recurso.normalizar(conjunto) if recurso.normalizar else conjunto


def describir_recursos() -> str:
    """Tabla en texto de los recursos del curso y a qué se resuelven en el modo actual."""
    modo = modo_actual()
    filas = [f"Recursos del curso (modo {modo}):"]
    for recurso in [*MODELOS.values(), *CONJUNTOS.values()]:
        if _usa_hub(recurso, modo):
            destino = recurso.hub_id
        else:
            destino = "propio del curso" if recurso.local else "pendiente"
        filas.append(f"  {recurso.nombre:<13} {recurso.tipo:<9} → {destino:<40} {recurso.descripcion}")
    return "\n".join(filas)
