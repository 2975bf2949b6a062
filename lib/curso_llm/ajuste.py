"""Ajuste fino con el ``Trainer`` de ``transformers``: las piezas que el capítulo 5 usa y que las
pruebas comprueban.

- ``bloques_causales``: textos → bloques de ``contexto`` tokens (secuencias empaquetadas, como en
  el capítulo 4), con sus etiquetas, en un ``Dataset`` que el ``Trainer`` entiende.
- ``perplejidad``: e elevado a la pérdida, sin desbordarse.
- ``opciones_de_dispositivo``: lo que hay que decirle a ``TrainingArguments`` para el dispositivo
  elegido: CPU, o GPU con fp16 (una T4) o bf16 (capacidad 8.0 o más).
- ``usar_barra_del_curso``: una barra de progreso que no imprime nada más (las de ``transformers``
  imprimen tiempos que cambian en cada ejecución y no dejarían comparar dos ejecuciones).
- ``historial``: las pérdidas que el ``Trainer`` fue anotando, listas para dibujar.
- ``metricas_de_clasificacion`` y ``linea_base_mayoritaria``: acierto y F1 macro con scikit-learn
  (la biblioteca ``evaluate`` baja sus métricas del Hub y sin red falla).
"""

from __future__ import annotations

import math

from .errores import ErrorCurso


def _comprobar_contexto(contexto) -> int:
    if isinstance(contexto, bool) or not isinstance(contexto, int) or contexto < 2:
        raise ErrorCurso(f"El contexto debe ser un número entero de tokens, 2 o más (por ejemplo, 128); "
                         f"recibí {contexto!r}.")
    return contexto


def bloques_causales(conjunto, tokenizador, contexto: int, columna: str = "text"):
    """Tokeniza los textos, los une con el token de fin entre uno y otro y los corta en bloques de
    ``contexto`` tokens (lo que sobra al final se descarta). Devuelve lo mismo que recibe
    (``Dataset`` o ``DatasetDict``) con dos columnas: ``input_ids`` y ``labels``, una copia (el
    modelo desplaza las etiquetas por dentro). Como todos los bloques miden lo mismo, basta con
    ``default_data_collator``. No uses ``DataCollatorForLanguageModeling(mlm=False)`` con el token
    de fin como relleno: cambia por -100 cada etiqueta igual al relleno, así que el modelo no
    aprendería nunca dónde acaba un texto."""
    import datasets

    from .entrenamiento import flujo_de_ids

    contexto = _comprobar_contexto(contexto)
    if tokenizador.eos_token_id is None and tokenizador.sep_token_id is None:  # flujo_de_ids separa con uno de los dos
        raise ErrorCurso("El tokenizador no tiene token de fin (eos) ni separador: no sé dónde acaba cada texto.")

    def _uno(ds):
        if columna not in ds.column_names:
            raise ErrorCurso(f"No encuentro la columna '{columna}'; las columnas son {ds.column_names}. "
                             f"Indica la del texto con columna='…'.")

        def _empaquetar(lote):
            ids = flujo_de_ids(tokenizador, lote[columna]).tolist()  # el mismo flujo del capítulo 4
            n = len(ids) // contexto * contexto
            trozos = [ids[i : i + contexto] for i in range(0, n, contexto)]
            return {"input_ids": trozos, "labels": [list(t) for t in trozos]}

        # Un solo lote con todos los textos: no se pierde el resto de cada lote intermedio.
        bloques = ds.map(_empaquetar, batched=True, batch_size=None, remove_columns=ds.column_names,
                         desc="Bloques")
        if bloques.num_rows == 0:
            raise ErrorCurso(f"Con {ds.num_rows} textos no llego a un bloque de {contexto} tokens: "
                             "añade más texto o usa un contexto menor.")
        return bloques

    if isinstance(conjunto, datasets.DatasetDict):
        return datasets.DatasetDict({parte: _uno(ds) for parte, ds in conjunto.items()})
    return _uno(conjunto)


def perplejidad(perdida: float) -> float:
    """e elevado a la pérdida media por token; ``inf`` si la pérdida es tan grande que se desborda."""
    try:
        return math.exp(perdida)
    except OverflowError:
        return math.inf


def opciones_de_dispositivo(dispositivo, capacidad: tuple[int, int] | None = None) -> dict:
    """``{"use_cpu": …, "fp16": …, "bf16": …}`` para ``TrainingArguments(**opciones)``.

    En CPU, ``use_cpu=True`` y sin precisión reducida. En una GPU de NVIDIA, la que diga
    ``precision_mixta``: fp16 en una T4 (capacidad 7.5, la gratuita de Colab, que no tiene bf16) y
    bf16 desde la capacidad 8.0. En MPS (Apple), float32.
    """
    import torch

    from .dispositivo import precision_mixta

    dispositivo = torch.device(dispositivo)
    precision = precision_mixta(dispositivo, capacidad)
    return {"use_cpu": dispositivo.type == "cpu", "fp16": precision == "fp16", "bf16": precision == "bf16"}


def _clase_barra():
    from transformers import TrainerCallback

    class BarraDelCurso(TrainerCallback):
        """Una barra de progreso de los pasos de entrenamiento, con la última pérdida; no imprime
        nada más (en Colab es una barra gráfica; al construir el libro va a stderr, que no se ve)."""

        def __init__(self):
            self.barra = None

        def on_train_begin(self, args, state, control, **kwargs):
            from tqdm.auto import tqdm

            self.barra = tqdm(total=state.max_steps, desc="Entrenando", mininterval=1.0)

        def on_step_end(self, args, state, control, **kwargs):
            if self.barra is not None:
                self.barra.update(state.global_step - self.barra.n)

        def on_log(self, args, state, control, logs=None, **kwargs):
            if self.barra is not None and logs and "loss" in logs:
                self.barra.set_postfix(pérdida=f"{logs['loss']:.3f}")

        def on_train_end(self, args, state, control, **kwargs):
            if self.barra is not None:
                self.barra.close()
                self.barra = None

    return BarraDelCurso


def usar_barra_del_curso(trainer):
    """Cambia la barra (o la impresión de registros) de ``transformers`` por la del curso y
    devuelve el mismo ``trainer``. Las de ``transformers`` imprimen segundos y ejemplos por segundo,
    que cambian en cada ejecución; las pérdidas quedan en ``trainer.state.log_history``."""
    from transformers.trainer_callback import PrinterCallback, ProgressCallback
    from transformers.utils.notebook import NotebookProgressCallback

    for clase in (NotebookProgressCallback, ProgressCallback, PrinterCallback):
        trainer.remove_callback(clase)
    trainer.add_callback(_clase_barra()())
    return trainer


def historial(trainer) -> dict[str, list[tuple[int, float]]]:
    """Las pérdidas anotadas por el ``Trainer``: ``{"train": [(paso, pérdida), …], "eval_…": …}``.

    ``train`` es la pérdida de entrenamiento de cada registro (cada ``logging_steps``); cada clave
    ``eval…_loss`` (``eval_loss``, o ``eval_estilo_loss`` si evaluaste un diccionario de conjuntos)
    es una curva de validación."""
    curvas: dict[str, list[tuple[int, float]]] = {"train": []}
    for registro in trainer.state.log_history:
        paso = registro.get("step")
        if "loss" in registro:
            curvas["train"].append((paso, registro["loss"]))
        for clave, valor in registro.items():
            if clave.startswith("eval") and clave.endswith("_loss"):
                curvas.setdefault(clave, []).append((paso, valor))
    return curvas


def metricas_de_clasificacion(prediccion) -> dict[str, float]:
    """Para ``Trainer(compute_metrics=…)``: acierto y F1 macro (la media del F1 de cada clase,
    que no deja que la clase mayoritaria tape a la otra). Recibe un ``EvalPrediction`` (o el par
    ``(logits, etiquetas)``)."""
    import numpy as np

    logits, etiquetas = prediccion
    if isinstance(logits, tuple):  # algunos modelos devuelven (logits, estados ocultos…)
        logits = logits[0]
    return _acierto_y_f1(etiquetas, np.asarray(logits).argmax(axis=-1))


def _acierto_y_f1(reales, predichas) -> dict[str, float]:
    from sklearn.metrics import accuracy_score, f1_score

    return {"accuracy": float(accuracy_score(reales, predichas)),
            "f1_macro": float(f1_score(reales, predichas, average="macro"))}


def linea_base_mayoritaria(etiquetas_entrenamiento, etiquetas_prueba) -> dict:
    """Lo que saca quien responde siempre la clase más frecuente del entrenamiento: la vara mínima
    que un clasificador tiene que superar. ``{"clase": …, "accuracy": …, "f1_macro": …}``."""
    import numpy as np

    entrenamiento = np.asarray(list(etiquetas_entrenamiento))
    prueba = np.asarray(list(etiquetas_prueba))
    if entrenamiento.size == 0 or prueba.size == 0:
        raise ErrorCurso("Para la línea base hacen falta etiquetas de entrenamiento y de prueba; alguna lista está vacía.")
    valores, cuentas = np.unique(entrenamiento, return_counts=True)
    clase = valores[cuentas.argmax()]  # en un empate, la menor (np.unique ordena)
    return {"clase": clase.item(), **_acierto_y_f1(prueba, np.full_like(prueba, clase))}
