"""Un modelo es una carpeta de archivos: mirarla, describirla en una ficha y, si quieres, compartirla.

- ``listar_archivos`` / ``tabla_archivos``: qué archivos tiene la carpeta de un modelo, cuánto pesa
  cada uno y para qué sirve.
- ``datos_del_modelo``: los hechos que la propia carpeta cuenta de su modelo (arquitectura,
  parámetros, capas, contexto, vocabulario, precisión de los pesos…), sin cargarlo en memoria.
- ``ficha_del_modelo`` / ``escribir_ficha``: la ficha del modelo (model card) en español, con esos
  hechos y lo que tú cuentes (para qué sirve, cómo se entrenó, con qué datos, sus límites, licencia).
- ``subir_al_hub``: la sube al Hugging Face Hub con ``HfApi().upload_folder`` y el token de
  ``iniciar_sesion_hf``. En modo local, sin conexión o sin token, explica qué se subiría y no envía
  nada. El token nunca se imprime.
- ``describir_cache_hub``: dónde guarda el Hub lo que descargas y cuánto ocupa.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .errores import ErrorCurso

ARCHIVOS_PESOS = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
                  "pytorch_model.bin.index.json")

#: Para qué sirve cada archivo que suele haber en la carpeta de un modelo de ``transformers``.
QUE_ES = {
    "config.json": "la arquitectura: capas, dimensión, vocabulario…",
    "generation_config.json": "valores por defecto para generar texto",
    "model.safetensors": "los pesos (parámetros), en formato safetensors",
    "model.safetensors.index.json": "índice de los pesos repartidos en varios archivos",
    "pytorch_model.bin": "los pesos, en el formato antiguo de PyTorch (pickle)",
    "pytorch_model.bin.index.json": "índice de los pesos antiguos repartidos en archivos",
    "tokenizer.json": "el tokenizador completo, en un solo archivo",
    "tokenizer_config.json": "ajustes del tokenizador: especiales, longitud…",
    "special_tokens_map.json": "qué token es el de inicio, fin, relleno, máscara…",
    "vocab.json": "vocabulario BPE: cada token con su número",
    "merges.txt": "fusiones BPE, en el orden en que se aprendieron",
    "vocab.txt": "vocabulario WordPiece, un token por línea",
    "added_tokens.json": "tokens añadidos después de entrenar el tokenizador",
    "chat_template.jinja": "plantilla de conversación de un modelo de chat",
    "README.md": "la ficha del modelo (model card)",
    "training_args.bin": "argumentos del entrenamiento (del Trainer)",
    "curso_llm.json": "registro del curso: receta y métricas del entrenamiento",
    ".gitattributes": "reglas de git para archivos grandes (del Hub)",
}

#: Tarea del Hub (``pipeline_tag``) según el final del nombre de la arquitectura.
_TAREAS = (
    ("ForCausalLM", "text-generation"),
    ("LMHeadModel", "text-generation"),
    ("ForMaskedLM", "fill-mask"),
    ("ForSequenceClassification", "text-classification"),
    ("ForTokenClassification", "token-classification"),
    ("ForQuestionAnswering", "question-answering"),
)
_TAREAS_ES = {
    "text-generation": "generar texto (continúa un prompt)",
    "fill-mask": "rellenar huecos ([MASK]) en un texto",
    "text-classification": "clasificar textos",
    "token-classification": "etiquetar cada token (por ejemplo, nombres propios)",
    "question-answering": "responder preguntas sobre un texto",
}

LICENCIAS_COMUNES = ("mit", "apache-2.0", "cc-by-4.0", "cc-by-sa-4.0", "cc-by-nc-4.0", "openrail", "other")

_REPO_ID = re.compile(r"(?:[A-Za-z0-9][A-Za-z0-9_.\-]{0,95}/)?[A-Za-z0-9][A-Za-z0-9_.\-]{0,95}")

POR_COMPLETAR = "⚠️ Por completar"

#: Clases de tokenizador que no dicen nada del algoritmo (se omiten en la ficha).
_CLASES_GENERICAS = ("TokenizersBackend", "PreTrainedTokenizerFast", "PreTrainedTokenizer")


# ---------------------------------------------------------------- la carpeta

def comprobar_carpeta_modelo(carpeta) -> Path:
    """La carpeta como ``Path`` si tiene un modelo (``config.json`` y pesos); si no, un error que lo explica."""
    if not isinstance(carpeta, (str, Path)):
        raise ErrorCurso(f"Dame la ruta de la carpeta del modelo (un texto o un Path); recibí {type(carpeta).__name__}.")
    ruta = Path(carpeta).expanduser()
    if not ruta.exists():
        raise ErrorCurso(f"No encuentro la carpeta {ruta}. Guarda antes el modelo con "
                         "modelo.save_pretrained(carpeta) y tokenizador.save_pretrained(carpeta).")
    if not ruta.is_dir():
        raise ErrorCurso(f"{ruta} es un archivo, no una carpeta. Un modelo se guarda como carpeta: "
                         "modelo.save_pretrained(carpeta).")
    faltan = []
    if not (ruta / "config.json").is_file():
        faltan.append("config.json (la arquitectura)")
    if not any((ruta / nombre).is_file() for nombre in ARCHIVOS_PESOS):
        faltan.append("los pesos (model.safetensors o pytorch_model.bin)")
    if faltan:
        raise ErrorCurso(
            f"{ruta} no es la carpeta de un modelo: le falta {' y '.join(faltan)}. "
            "Guárdalo con modelo.save_pretrained(carpeta), y el tokenizador con tokenizador.save_pretrained(carpeta)."
        )
    return ruta


@dataclass(frozen=True)
class ArchivoDelModelo:
    nombre: str
    bytes: int
    que_es: str


def tamano_legible(n: int) -> str:
    """Bytes en KB, MB o GB (de 1000 en 1000, como el Hub), a la española: ``1,3 MB``."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise ErrorCurso(f"El tamaño debe ser un número de bytes, entero y no negativo; recibí {n!r}.")
    for unidad, tope in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= tope:
            return f"{n / tope:.1f} {unidad}".replace(".", ",")
    return f"{n} B"


def _que_es(nombre: str) -> str:
    if nombre in QUE_ES:
        return QUE_ES[nombre]
    if re.fullmatch(r"model-\d+-of-\d+\.safetensors", nombre):
        return "un trozo de los pesos (safetensors en varios archivos)"
    if re.fullmatch(r"pytorch_model-\d+-of-\d+\.bin", nombre):
        return "un trozo de los pesos (formato antiguo, en varios archivos)"
    return "otro archivo (no lo usa from_pretrained)"


def listar_archivos(carpeta) -> list[ArchivoDelModelo]:
    """Los archivos de la carpeta de un modelo, en orden alfabético, con su tamaño y para qué sirven."""
    ruta = comprobar_carpeta_modelo(carpeta)
    return [ArchivoDelModelo(p.name, p.stat().st_size, _que_es(p.name))
            for p in sorted(ruta.iterdir(), key=lambda p: p.name) if p.is_file()]


def tabla_archivos(carpeta) -> str:
    """Una tabla en texto con los archivos del modelo, su tamaño y para qué sirven, y el total."""
    archivos = listar_archivos(carpeta)
    ancho = max(len(a.nombre) for a in archivos)
    filas = [f"{a.nombre:<{ancho}}  {tamano_legible(a.bytes):>9}  {a.que_es}" for a in archivos]
    total = sum(a.bytes for a in archivos)
    filas.append(f"{'TOTAL':<{ancho}}  {tamano_legible(total):>9}  {len(archivos)} archivos")
    return "\n".join(filas)


# ---------------------------------------------------------------- los hechos del modelo

def _formas_y_tipos(ruta: Path) -> tuple[int, dict[str, int]]:
    """(número de parámetros, {tipo de dato: parámetros}) leyendo solo las cabeceras de los pesos."""
    from collections import Counter

    tipos: Counter = Counter()
    total = 0
    seguros = sorted(ruta.glob("model*.safetensors"))
    if seguros:
        from safetensors import safe_open

        nombres = {"F32": "float32", "F16": "float16", "BF16": "bfloat16", "F64": "float64", "I64": "int64",
                   "I32": "int32", "I8": "int8", "U8": "uint8", "BOOL": "bool"}
        for archivo in seguros:
            with safe_open(str(archivo), framework="pt") as pesos:
                for clave in pesos.keys():
                    trozo = pesos.get_slice(clave)
                    n = 1
                    for d in trozo.get_shape():
                        n *= d
                    total += n
                    tipos[nombres.get(trozo.get_dtype(), trozo.get_dtype().lower())] += n
        return total, dict(tipos)
    import torch

    for archivo in sorted(ruta.glob("pytorch_model*.bin")):
        estado = torch.load(archivo, map_location="meta", weights_only=True)
        for tensor in estado.values():
            total += tensor.numel()
            tipos[str(tensor.dtype).removeprefix("torch.")] += tensor.numel()
    return total, dict(tipos)


def _primero(config: dict, *claves):
    for clave in claves:
        if config.get(clave) is not None:
            return config[clave]
    return None


def datos_del_modelo(carpeta) -> dict:
    """Lo que la carpeta cuenta de su modelo, leyendo ``config.json``, las cabeceras de los pesos y
    la configuración del tokenizador (sin cargar el modelo en memoria)."""
    ruta = comprobar_carpeta_modelo(carpeta)
    try:
        config = json.loads((ruta / "config.json").read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ErrorCurso(f"El config.json de {ruta} está dañado (no es JSON). Vuelve a guardar el modelo "
                         "con save_pretrained.") from None
    arquitecturas = config.get("architectures") or []
    arquitectura = arquitecturas[0] if arquitecturas else None
    tarea = next((t for fin, t in _TAREAS if arquitectura and arquitectura.endswith(fin)), None)
    parametros, tipos = _formas_y_tipos(ruta)
    datos = {
        "arquitectura": arquitectura,
        "tipo": config.get("model_type"),
        "tarea": tarea,
        "parametros": parametros,
        "tipos_de_pesos": tipos,
        "capas": _primero(config, "n_layer", "num_hidden_layers", "num_layers"),
        "dimension": _primero(config, "n_embd", "hidden_size", "d_model"),
        "cabezas": _primero(config, "n_head", "num_attention_heads"),
        "contexto": _primero(config, "n_positions", "max_position_embeddings"),
        "vocabulario": config.get("vocab_size"),
        "etiquetas": None,
        "tokenizador": None,
        "bytes": sum(a.bytes for a in listar_archivos(ruta)),
    }
    etiquetas = config.get("id2label") or {}
    if tarea in ("text-classification", "token-classification") and etiquetas:
        nombres = [etiquetas[k] for k in sorted(etiquetas, key=int)]
        if nombres != [f"LABEL_{i}" for i in range(len(nombres))]:
            datos["etiquetas"] = nombres
    if (ruta / "tokenizer_config.json").is_file():
        try:
            tok = json.loads((ruta / "tokenizer_config.json").read_text(encoding="utf-8"))
            datos["tokenizador"] = tok.get("tokenizer_class")
        except (json.JSONDecodeError, UnicodeDecodeError):
            pass
    return datos


def _cifra(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def _texto(valor, nombre: str) -> str | None:
    if valor is None:
        return None
    if not isinstance(valor, str):
        raise ErrorCurso(f"{nombre} debe ser un texto; recibí {type(valor).__name__}.")
    return valor.strip() or None


def _parrafos(texto: str, ancho: int = 88) -> str:
    """Los párrafos de texto corrido, en líneas de ``ancho`` caracteres como mucho (en Markdown se
    leen igual). Las listas, tablas, títulos y bloques de código se dejan tal cual."""
    import textwrap

    bloques = []
    for bloque in texto.split("\n\n"):
        if "\n" in bloque or bloque.lstrip().startswith(("-", "*", "#", "|", "`", ">", "1.")):
            bloques.append(bloque)
        else:
            bloques.append(textwrap.fill(bloque, ancho, break_long_words=False, break_on_hyphens=False))
    return "\n\n".join(bloques)


def ficha_del_modelo(carpeta, *, nombre: str, licencia: str, descripcion: str | None = None,
                     entrenamiento: str | None = None, datos: str | None = None, limitaciones: str | None = None,
                     modelo_base: str | None = None, conjuntos: list[str] | None = None,
                     repo_id: str | None = None) -> str:
    """La ficha del modelo (``README.md``) en español, con cabecera YAML para el Hub.

    Los datos técnicos (arquitectura, parámetros, capas, contexto, vocabulario, precisión, tamaño)
    salen de la propia carpeta. Lo que solo tú sabes va en los argumentos: ``descripcion`` (qué es y
    para qué sirve), ``entrenamiento`` (cómo se entrenó), ``datos`` (con qué), ``limitaciones`` y
    ``licencia`` (obligatoria: ``"mit"``, ``"apache-2.0"``, ``"cc-by-sa-4.0"``…; la del modelo base si
    partes de uno). Lo que falte queda marcado como «⚠️ Por completar».
    """
    from huggingface_hub import ModelCardData

    hechos = datos_del_modelo(carpeta)
    nombre = _texto(nombre, "nombre")
    if not nombre:
        raise ErrorCurso("Dale un nombre al modelo, por ejemplo nombre='mi-gpt2-es'.")
    licencia = _texto(licencia, "licencia")
    if not licencia or not re.fullmatch(r"[a-z0-9][a-z0-9.\-]*", licencia):
        raise ErrorCurso(
            f"Elige una licencia con su identificador del Hub, en minúsculas ({', '.join(LICENCIAS_COMUNES)}…). "
            "Si partes de un modelo ajeno, usa la licencia de ese modelo (está en su ficha)."
        )
    if modelo_base is not None and not (isinstance(modelo_base, str) and _REPO_ID.fullmatch(modelo_base)):
        raise ErrorCurso(f"modelo_base debe ser el identificador de un modelo del Hub, como 'DeepESP/gpt2-spanish'; "
                         f"recibí {modelo_base!r}.")
    if conjuntos is not None and (isinstance(conjuntos, str) or not all(isinstance(c, str) for c in conjuntos)):
        raise ErrorCurso("conjuntos debe ser una lista de identificadores del Hub, como ['argilla/twitter-genderbias'].")
    descripcion, entrenamiento, datos, limitaciones = (
        _texto(descripcion, "descripcion"), _texto(entrenamiento, "entrenamiento"),
        _texto(datos, "datos"), _texto(limitaciones, "limitaciones"))

    cabecera = ModelCardData(
        language="es", license=licencia, library_name="transformers", pipeline_tag=hechos["tarea"],
        base_model=modelo_base, datasets=list(conjuntos) if conjuntos else None,
        tags=["llms-sin-barreras", hechos["tipo"]] if hechos["tipo"] else ["llms-sin-barreras"],
    ).to_yaml().rstrip("\n") + "\n"

    tecnico = []
    if hechos["arquitectura"]:
        tipo = f" (tipo `{hechos['tipo']}`)" if hechos["tipo"] else ""
        tecnico.append(f"- **Arquitectura:** `{hechos['arquitectura']}`{tipo}.")
    if hechos["tarea"]:
        tecnico.append(f"- **Tarea:** `{hechos['tarea']}`, {_TAREAS_ES[hechos['tarea']]}.")
    tecnico.append(f"- **Parámetros:** {_cifra(hechos['parametros'])}.")
    forma = [f"{hechos['capas']} capas" if hechos["capas"] else None,
             f"dimensión {hechos['dimension']}" if hechos["dimension"] else None,
             f"{hechos['cabezas']} cabezas de atención" if hechos["cabezas"] else None]
    if any(forma):
        tecnico.append(f"- **Forma:** {', '.join(f for f in forma if f)}.")
    if hechos["contexto"]:
        tecnico.append(f"- **Contexto máximo:** {_cifra(hechos['contexto'])} tokens.")
    if hechos["vocabulario"]:
        clase = hechos["tokenizador"]
        tok = f" (tokenizador `{clase}`)" if clase and clase not in _CLASES_GENERICAS else ""
        tecnico.append(f"- **Vocabulario:** {_cifra(hechos['vocabulario'])} tokens{tok}.")
    if hechos["etiquetas"]:
        tecnico.append(f"- **Clases:** {', '.join(hechos['etiquetas'])}.")
    if hechos["tipos_de_pesos"]:
        tipos = ", ".join(sorted(hechos["tipos_de_pesos"]))
        tecnico.append(f"- **Pesos:** {tipos}; la carpeta ocupa {tamano_legible(hechos['bytes'])}.")

    destino = repo_id or f"tu-usuario/{nombre}"
    if hechos["tarea"] == "fill-mask":
        uso = (f'rellenar = pipeline("fill-mask", model="{destino}")\n'
               'print(rellenar(f"La capital de Chile es {rellenar.tokenizer.mask_token}."))')
    elif hechos["tarea"] == "text-classification":
        uso = f'clasificar = pipeline("text-classification", model="{destino}")\nprint(clasificar("Un texto de prueba."))'
    else:
        uso = (f'generar = pipeline("text-generation", model="{destino}")\n'
               'print(generar("Había una vez", max_new_tokens=30)[0]["generated_text"])')

    def seccion(titulo: str, texto: str | None, que_falta: str) -> str:
        return f"## {titulo}\n\n{_parrafos(texto or f'{POR_COMPLETAR}: {que_falta}')}\n"

    base = f"\nParte de [`{modelo_base}`](https://huggingface.co/{modelo_base}).\n" if modelo_base else ""
    partes = [
        f"---\n{cabecera}---\n",
        f"# {nombre}\n",
        _parrafos(descripcion or f"{POR_COMPLETAR}: qué es este modelo y para qué sirve.") + "\n" + base,
        "## Detalles técnicos\n\nDatos leídos de los archivos del modelo:\n\n" + "\n".join(tecnico) + "\n",
        f"## Cómo usarlo\n\n```python\nfrom transformers import pipeline\n\n{uso}\n```\n",
        seccion("Cómo se entrenó", entrenamiento, "desde qué modelo partiste, cuántos pasos o épocas, con qué hiperparámetros."),
        seccion("Datos", datos, "con qué textos se entrenó, de dónde salen, su licencia y qué tratamiento recibieron."),
        seccion("Limitaciones y sesgos", limitaciones,
                "qué hace mal, en qué idioma o dominio falla, qué sesgos puede reproducir."),
        f"## Licencia\n\n`{licencia}`.\n",
        "---\n\n*Ficha escrita con `curso_llm`, del curso «LLMs sin barreras».*\n",
    ]
    return "\n".join(partes)


def escribir_ficha(carpeta, **kwargs) -> Path:
    """Escribe la ficha (``ficha_del_modelo``) como ``README.md`` dentro de la carpeta del modelo
    y devuelve su ruta. Es el archivo que el Hub muestra como portada del modelo."""
    ruta = comprobar_carpeta_modelo(carpeta)
    texto = ficha_del_modelo(ruta, **kwargs)
    destino = ruta / "README.md"
    destino.write_text(texto, encoding="utf-8")
    return destino


# ---------------------------------------------------------------- subir al Hub

def _comprobar_repo_id(repo_id) -> str:
    if not isinstance(repo_id, str) or not _REPO_ID.fullmatch(repo_id.strip()) or "--" in repo_id or ".." in repo_id:
        raise ErrorCurso(
            f"{repo_id!r} no es un nombre de repositorio válido. Usa 'tu-usuario/nombre-del-modelo' "
            "(o solo 'nombre-del-modelo'): letras, números, guiones, puntos o guiones bajos, hasta 96."
        )
    return repo_id.strip()


def _sin_conexion() -> bool:
    from huggingface_hub import constants

    return bool(constants.HF_HUB_OFFLINE)


def subir_al_hub(carpeta, repo_id: str, *, privado: bool = True, mensaje: str = "Subido con el curso LLMs sin barreras",
                 pedir: bool = True) -> str | None:
    """Sube la carpeta de un modelo a un repositorio del Hub y devuelve su dirección.

    - ``repo_id``: ``"tu-usuario/nombre"`` o solo ``"nombre"`` (se usa tu usuario).
    - ``privado=True``: el repositorio se crea privado; hazlo público desde su página cuando quieras.
    - El token sale de ``iniciar_sesion_hf`` (secreto de Colab, variable ``HF_TOKEN`` o, con
      ``pedir=True``, tecleado sin que se vea); necesita permiso de escritura.

    En modo local, sin conexión (``HF_HUB_OFFLINE=1``) o sin token, dice qué se subiría, no envía
    nada y devuelve ``None``.
    """
    from .modo import modo_actual
    from .sesion import iniciar_sesion_hf

    ruta = comprobar_carpeta_modelo(carpeta)
    repo_id = _comprobar_repo_id(repo_id)
    archivos = listar_archivos(ruta)
    total = tamano_legible(sum(a.bytes for a in archivos))
    visible = "privado" if privado else "público"
    destino = repo_id if "/" in repo_id else f"tu-usuario/{repo_id}"
    plan = (f"Se subirían {len(archivos)} archivos ({total}) de {ruta.name} al repositorio {visible} "
            f"https://huggingface.co/{destino}")
    if not (ruta / "README.md").is_file():
        print("Aviso: la carpeta no tiene ficha (README.md). Escríbela antes con curso_llm.escribir_ficha(...).")
    elif POR_COMPLETAR in (ruta / "README.md").read_text(encoding="utf-8"):
        print(f"Aviso: la ficha tiene apartados marcados «{POR_COMPLETAR}». Complétalos antes de publicar.")

    if modo_actual() == "local" or _sin_conexion():
        por_que = "Estás en modo local" if modo_actual() == "local" else "Estás sin conexión (HF_HUB_OFFLINE=1)"
        print(f"{por_que}: no se envía nada. {plan}. En Colab, con tu token de escritura, esta misma "
              "llamada los subiría de verdad.")
        return None
    if not iniciar_sesion_hf(pedir=pedir):
        print(f"Sin token no se envía nada. {plan}.")
        return None

    from huggingface_hub import HfApi

    api = HfApi()  # lee el token de HF_TOKEN, que dejó iniciar_sesion_hf
    try:
        if "/" not in repo_id:
            repo_id = f"{api.whoami()['name']}/{repo_id}"
        api.create_repo(repo_id, private=privado, exist_ok=True)
        api.upload_folder(repo_id=repo_id, folder_path=str(ruta), commit_message=mensaje)
    except Exception as error:  # nunca se muestra el error crudo: podría llevar cabeceras
        raise ErrorCurso(_explicar_fallo(error, repo_id)) from None
    url = f"https://huggingface.co/{repo_id}"
    print(f"Listo: {len(archivos)} archivos ({total}) subidos a {url} ({visible}).")
    return url


def _explicar_fallo(error: Exception, repo_id: str) -> str:
    respuesta = getattr(error, "response", None)
    estado = getattr(respuesta, "status_code", None)
    if estado == 401:
        return ("El Hub no aceptó tu token (401). Crea uno nuevo en https://huggingface.co/settings/tokens "
                "y guárdalo como secreto HF_TOKEN.")
    if estado == 403:
        return (f"Tu token no tiene permiso para escribir en {repo_id} (403). Usa un token de tipo «Write», "
                "o uno «Fine-grained» con permiso de escritura en tus repositorios.")
    if estado == 404:
        return f"El Hub no encuentra {repo_id} (404). Revisa tu nombre de usuario en el repo_id."
    if estado is not None:
        return f"El Hub respondió con un error {estado} al subir {repo_id}. Espera un momento y vuelve a intentarlo."
    return (f"No pude conectar con el Hub para subir {repo_id} ({type(error).__name__}). Revisa tu conexión; "
            "sin red, trabaja en modo local (CURSO_LLM_MODO=local): tu modelo sigue guardado en tu carpeta.")


# ---------------------------------------------------------------- la caché del Hub

def _corta(ruta: Path) -> str:
    try:
        return "~/" + str(ruta.relative_to(Path.home()))
    except ValueError:
        return str(ruta)


def describir_cache_hub(cuantos: int = 10) -> str:
    """Dónde guarda el Hub lo que descargas, qué hay y cuánto ocupa (los ``cuantos`` mayores)."""
    from huggingface_hub import constants, scan_cache_dir

    ruta = Path(constants.HF_HUB_CACHE)
    cabecera = f"Caché del Hub: {_corta(ruta)}"
    if not ruta.is_dir():
        return cabecera + "\nTodavía no existe: aún no has descargado nada del Hub en esta máquina."
    info = scan_cache_dir(ruta)
    if not info.repos:
        return cabecera + "\nEstá vacía: aún no has descargado nada del Hub en esta máquina."
    repos = sorted(info.repos, key=lambda r: (-r.size_on_disk, r.repo_id))
    plural = "repositorio" if len(repos) == 1 else "repositorios"
    filas = [cabecera, f"{len(repos)} {plural}, {tamano_legible(info.size_on_disk)} en total:"]
    for r in repos[:cuantos]:
        tipo = {"model": "modelo", "dataset": "conjunto", "space": "space"}.get(r.repo_type, r.repo_type)
        filas.append(f"  {tipo:<9} {r.repo_id:<45} {tamano_legible(r.size_on_disk):>9}")
    if len(repos) > cuantos:
        filas.append(f"  … y {len(repos) - cuantos} más.")
    return "\n".join(filas)
