"""De completar texto a seguir instrucciones: plantilla de chat, conjuntos y la medida del formato.

- ``PLANTILLA_CHAT``: una plantilla de chat (Jinja, como las del Hub) con marcas en español, para
  los modelos que no traen la suya (el mini GPT del curso, ``DeepESP/gpt2-spanish``).
- ``poner_plantilla_de_chat``: se la pone a un tokenizador que no tiene plantilla.
- ``a_conversaciones`` y ``a_pares_de_preferencia``: las filas de los conjuntos del curso
  (``instruccion``/``respuesta`` y ``instruccion``/``elegida``/``rechazada``) en el formato
  conversacional que entienden ``SFTTrainer`` y ``DPOTrainer`` de TRL.
- ``responder`` y ``cuota_de_plantilla``: generar con la plantilla y medir qué parte de las
  respuestas sigue el formato y termina con el token de fin.
- ``logprob_respuesta`` y ``acierto_de_preferencias``: cuánto prefiere un modelo la respuesta
  elegida frente a la rechazada (suma de log-probabilidades de cada respuesta).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from .errores import ErrorCurso

#: Las marcas de turno de la plantilla del curso. Una respuesta que escribe una de ellas se ha
#: salido de su turno (se pone a hablar por el usuario).
MARCAS = ("### Usuario:", "### Asistente:", "### Sistema:")

#: Plantilla de chat del curso. ``{% generation %}`` marca lo que escribe el asistente (TRL lo usa
#: para calcular la pérdida solo sobre las respuestas, si se lo pides con ``assistant_only_loss``).
PLANTILLA_CHAT = (
    "{%- for m in messages -%}"
    "{%- if m['role'] == 'system' -%}{{ '### Sistema:\\n' + m['content'] + '\\n' }}"
    "{%- elif m['role'] == 'user' -%}{{ '### Usuario:\\n' + m['content'] + '\\n' }}"
    "{%- elif m['role'] == 'assistant' -%}{{ '### Asistente:\\n' }}"
    "{%- generation -%}{{ m['content'] + eos_token }}{%- endgeneration -%}{{ '\\n' }}"
    "{%- endif -%}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{ '### Asistente:\\n' }}{%- endif -%}"
)

COLUMNAS_INSTRUCCIONES = ("instruccion", "respuesta", "tema")
COLUMNAS_PREFERENCIAS = ("instruccion", "elegida", "rechazada", "motivo")
#: Una de cada ``PARTES_PRUEBA`` filas va a la parte ``test`` (según su instrucción, siempre la misma).
PARTES_PRUEBA = 8


def poner_plantilla_de_chat(tokenizador) -> bool:
    """Pone ``PLANTILLA_CHAT`` si el tokenizador no tiene plantilla. Devuelve si la puso.

    Un modelo instruido del Hub (Qwen, Llama…) trae la suya, con la que se entrenó: esa no se toca.
    """
    if getattr(tokenizador, "chat_template", None):
        return False
    if tokenizador.eos_token is None:
        raise ErrorCurso("El tokenizador no tiene token de fin (eos_token): la plantilla lo necesita para "
                         "marcar dónde acaba cada respuesta. Dale uno, por ejemplo tok.eos_token = '<|endoftext|>'.")
    tokenizador.chat_template = PLANTILLA_CHAT
    return True


def _comprobar_columnas(ds, columnas: tuple[str, ...], que: str):
    faltan = [c for c in columnas if c not in ds.column_names]
    if faltan:
        raise ErrorCurso(f"Al conjunto de {que} le faltan las columnas {faltan}; tiene {ds.column_names}. "
                         f"Cada fila necesita {list(columnas)}.")


def _por_partes(conjunto, funcion):
    import datasets

    if isinstance(conjunto, datasets.DatasetDict):
        return datasets.DatasetDict({parte: funcion(ds) for parte, ds in conjunto.items()})
    return funcion(conjunto)


def a_conversaciones(conjunto):
    """``instruccion``/``respuesta`` → ``prompt`` (el turno del usuario) y ``completion`` (el del
    asistente): el formato «prompt-completion» conversacional de TRL. Con él, ``SFTTrainer`` aplica
    la plantilla de chat y calcula la pérdida solo sobre la respuesta."""

    def _uno(ds):
        _comprobar_columnas(ds, COLUMNAS_INSTRUCCIONES[:2], "instrucciones")
        return ds.map(lambda f: {"prompt": [{"role": "user", "content": f["instruccion"]}],
                                 "completion": [{"role": "assistant", "content": f["respuesta"]}]},
                      remove_columns=ds.column_names)

    return _por_partes(conjunto, _uno)


def a_pares_de_preferencia(conjunto):
    """``instruccion``/``elegida``/``rechazada`` → ``prompt``, ``chosen`` y ``rejected`` en formato
    conversacional, el que espera ``DPOTrainer``."""

    def _uno(ds):
        _comprobar_columnas(ds, COLUMNAS_PREFERENCIAS[:3], "preferencias")
        return ds.map(lambda f: {"prompt": [{"role": "user", "content": f["instruccion"]}],
                                 "chosen": [{"role": "assistant", "content": f["elegida"]}],
                                 "rejected": [{"role": "assistant", "content": f["rechazada"]}]},
                      remove_columns=ds.column_names)

    return _por_partes(conjunto, _uno)


# ---------------------------------------------------------------- los conjuntos del curso

def parte_de_instruccion(instruccion: str) -> str:
    """``"test"`` o ``"train"``, fijo para cada instrucción (no depende del orden ni del azar)."""
    resumen = hashlib.sha256(instruccion.strip().lower().encode("utf-8")).digest()
    return "test" if int.from_bytes(resumen[:4], "big") % PARTES_PRUEBA == 0 else "train"


@lru_cache(maxsize=4)
def _filas(archivo: str, columnas: tuple[str, ...]) -> tuple[dict, ...]:
    from .corpus import leer_jsonl

    filas = leer_jsonl(archivo,
                       lambda f: set(f) == set(columnas) and all(isinstance(f[c], str) and f[c].strip() for c in columnas),
                       f"{{{', '.join(columnas)}}} con textos")
    return tuple({c: f[c].strip() for c in columnas} for f in filas)


def huella_archivo(archivo: str) -> str:
    """Hash del contenido de un archivo de datos del paquete (``instrucciones/instrucciones.jsonl``…)."""
    from .corpus import carpeta_datos

    return hashlib.sha256((carpeta_datos() / archivo).read_bytes()).hexdigest()[:16]


def _dataset_por_partes(archivo: str, columnas: tuple[str, ...]):
    import datasets

    partes: dict[str, list[dict]] = {"train": [], "test": []}
    for fila in _filas(archivo, columnas):
        partes[parte_de_instruccion(fila["instruccion"])].append(fila)
    rasgos = datasets.Features({c: datasets.Value("string") for c in columnas})
    return datasets.DatasetDict({
        parte: datasets.Dataset.from_dict({c: [f[c] for f in filas] for c in columnas}, features=rasgos)
        for parte, filas in partes.items()
    })


ARCHIVO_INSTRUCCIONES = "instrucciones/instrucciones.jsonl"
ARCHIVO_PREFERENCIAS = "preferencias/preferencias.jsonl"


def instrucciones_local():
    """``instrucciones-es``: pares instrucción-respuesta escritos para el curso (train/test)."""
    return _dataset_por_partes(ARCHIVO_INSTRUCCIONES, COLUMNAS_INSTRUCCIONES)


def preferencias_local():
    """``preferencias-es``: una instrucción con una respuesta elegida y otra rechazada (train/test)."""
    return _dataset_por_partes(ARCHIVO_PREFERENCIAS, COLUMNAS_PREFERENCIAS)


# ---------------------------------------------------------------- generar y medir el formato

@dataclass(frozen=True)
class Respuesta:
    """Lo que el modelo escribió tras la plantilla, y si terminó con el token de fin."""

    texto: str
    termino: bool

    @property
    def sigue_la_plantilla(self) -> bool:
        """Termina con el token de fin, dice algo y no se pone a escribir otro turno."""
        return self.termino and len(self.texto.split()) >= 2 and "###" not in self.texto


def _prompt_de_chat(tokenizador, instruccion: str) -> str:
    if not getattr(tokenizador, "chat_template", None):
        raise ErrorCurso("Este tokenizador no tiene plantilla de chat. Ponle la del curso con "
                         "curso_llm.poner_plantilla_de_chat(tokenizador).")
    return tokenizador.apply_chat_template([{"role": "user", "content": instruccion}], tokenize=False,
                                           add_generation_prompt=True)


def responder(modelo, tokenizador, instrucciones, max_tokens: int = 48) -> list[Respuesta]:
    """Genera (voraz, sin azar, sin repetir tres tokens seguidos) la respuesta a cada instrucción
    con la plantilla de chat."""
    import torch

    if isinstance(instrucciones, str):
        instrucciones = [instrucciones]
    fin = tokenizador.eos_token_id
    dispositivo = next(modelo.parameters()).device
    respuestas = []
    with torch.no_grad():
        for instruccion in instrucciones:
            ids = tokenizador(_prompt_de_chat(tokenizador, instruccion), return_tensors="pt",
                              add_special_tokens=False).to(dispositivo)
            salida = modelo.generate(**ids, max_new_tokens=max_tokens, do_sample=False, no_repeat_ngram_size=3,
                                     eos_token_id=fin, pad_token_id=fin)[0, ids["input_ids"].shape[1]:].tolist()
            termino = fin in salida
            if termino:
                salida = salida[: salida.index(fin)]
            respuestas.append(Respuesta(tokenizador.decode(salida, skip_special_tokens=True).strip(), termino))
    return respuestas


def cuota_de_plantilla(respuestas: list[Respuesta]) -> float:
    """Qué parte de las respuestas sigue la plantilla (entre 0 y 1)."""
    if not respuestas:
        raise ErrorCurso("No hay respuestas que medir: pasa al menos una.")
    return sum(r.sigue_la_plantilla for r in respuestas) / len(respuestas)


# ---------------------------------------------------------------- preferencias

def logprob_respuesta(modelo, tokenizador, instruccion: str, respuesta: str) -> float:
    """Suma de las log-probabilidades de los tokens de ``respuesta`` (y su fin) tras la instrucción."""
    import torch

    prompt = _prompt_de_chat(tokenizador, instruccion)
    completo = tokenizador.apply_chat_template(
        [{"role": "user", "content": instruccion}, {"role": "assistant", "content": respuesta}], tokenize=False)
    ids_prompt = tokenizador(prompt, add_special_tokens=False)["input_ids"]
    ids = tokenizador(completo, add_special_tokens=False)["input_ids"]
    fin = tokenizador.eos_token_id
    corte = len(ids) if fin not in ids[len(ids_prompt):] else len(ids_prompt) + ids[len(ids_prompt):].index(fin) + 1
    ids = ids[:corte]
    dispositivo = next(modelo.parameters()).device
    with torch.no_grad():
        x = torch.tensor([ids], device=dispositivo)
        logp = torch.log_softmax(modelo(input_ids=x).logits[0, :-1].float(), dim=-1)
        objetivo = x[0, 1:]
        elegidos = logp.gather(1, objetivo[:, None])[:, 0]
    return float(elegidos[len(ids_prompt) - 1:].sum())


def acierto_de_preferencias(modelo, tokenizador, pares) -> tuple[float, list[float]]:
    """Qué parte de los pares prefiere el modelo a la respuesta elegida, y el margen de cada par
    (log-prob de la elegida menos log-prob de la rechazada). ``pares``: filas con ``instruccion``,
    ``elegida`` y ``rechazada``."""
    margenes = [logprob_respuesta(modelo, tokenizador, p["instruccion"], p["elegida"])
                - logprob_respuesta(modelo, tokenizador, p["instruccion"], p["rechazada"]) for p in pares]
    if not margenes:
        raise ErrorCurso("No hay pares que medir: pasa al menos uno.")
    return sum(m > 0 for m in margenes) / len(margenes), margenes
