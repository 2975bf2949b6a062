"""Los modelos propios del curso, entrenados de verdad en tu CPU.

- ``gpt2-es`` (y ``gpt2``) local: un tokenizador BPE por bytes entrenado con
  ``tokenizers`` sobre el corpus y un ``GPT2LMHeadModel`` pequeño entrenado desde
  cero con un bucle de PyTorch (secuencias empaquetadas, semilla fija).
- ``bert`` local: un tokenizador WordPiece y un codificador tipo BERT pequeño entrenado
  con la tarea de rellenar huecos (``[MASK]``). Es un ``RoFormerForMaskedLM``: la misma
  arquitectura de BERT, pero con posiciones rotatorias (RoPE) en lugar de embeddings de
  posición aprendidos. Con posiciones aprendidas, un BERT diminuto tarda miles de pasos en
  aprender a mirar a sus vecinos y en 2 minutos de CPU solo aprende qué palabras abundan
  (ver ``bench/NOTAS.md``); con RoPE la posición relativa viene dada y sale de esa meseta.

Cada modelo se guarda con ``save_pretrained`` en la caché del curso, en una carpeta
cuyo nombre lleva un hash del corpus, la configuración y las versiones de las
bibliotecas: la primera vez se entrena; las siguientes se carga en menos de un segundo.
Los capítulos 4 y siguientes explican paso a paso este mismo código.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .corpus import huella_corpus, leer_corpus
from .errores import ErrorCurso
from .modo import carpeta_cache

#: Cambia este número si cambia la receta de entrenamiento: invalida la caché.
VERSION_RECETA = 4
FIN = "<|endoftext|>"
MARCA = "curso_llm.json"


@dataclass(frozen=True)
class ConfigGPT:
    """Tamaño y entrenamiento del mini GPT-2."""

    vocabulario: int = 4096
    contexto: int = 128
    capas: int = 4
    dim: int = 128
    cabezas: int = 4
    lote: int = 8
    pasos: int = 1100
    tasa: float = 3e-3
    calentamiento: int = 60
    decaimiento_pesos: float = 0.1
    semilla: int = 42
    hilos: int = 2


@dataclass(frozen=True)
class ConfigBERT:
    """Tamaño y entrenamiento del mini BERT."""

    vocabulario: int = 4096
    contexto: int = 64
    capas: int = 4
    dim: int = 128
    cabezas: int = 4
    lote: int = 32
    pasos: int = 560
    tasa: float = 3e-3
    calentamiento: int = 40
    decaimiento_pesos: float = 0.01
    prob_mascara: float = 0.3
    semilla: int = 42
    hilos: int = 2


def _versiones() -> dict[str, str]:
    from importlib import metadata

    return {p: metadata.version(p) for p in ("torch", "transformers", "tokenizers")}


def huella(config, corpus: str) -> str:
    """Clave de caché: configuración + corpus + versiones + receta."""
    datos = {"config": dataclasses.asdict(config), "tipo": type(config).__name__, "corpus": corpus,
             "versiones": _versiones(), "receta": VERSION_RECETA}
    return hashlib.sha256(json.dumps(datos, sort_keys=True).encode()).hexdigest()[:12]


# ---------------------------------------------------------------- tokenizadores

def entrenar_tokenizador_bpe(textos: list[str], vocabulario: int, contexto: int = 1024):
    """BPE por bytes (como GPT-2) entrenado sobre ``textos``, envuelto para ``transformers``."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    if not textos or not any(t.strip() for t in textos):
        raise ErrorCurso("No puedo entrenar un tokenizador sin texto: el corpus está vacío.")
    if not isinstance(vocabulario, int) or vocabulario < 300:
        raise ErrorCurso(f"El vocabulario debe ser un entero de al menos 300 (los 256 bytes y algo más); recibí {vocabulario!r}.")
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    entrenador = trainers.BpeTrainer(
        vocab_size=vocabulario, min_frequency=2, special_tokens=[FIN],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False,
    )
    tok.train_from_iterator(textos, entrenador)
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token=FIN, eos_token=FIN, unk_token=FIN,
                                   model_max_length=contexto)


def entrenar_tokenizador_wordpiece(textos: list[str], vocabulario: int, contexto: int = 512):
    """WordPiece (como BERT), distinguiendo mayúsculas y con tildes, para ``transformers``."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    if not textos or not any(t.strip() for t in textos):
        raise ErrorCurso("No puedo entrenar un tokenizador sin texto: el corpus está vacío.")
    especiales = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=False, strip_accents=False)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    tok.model = models.WordPiece(vocab=_vocabulario_wordpiece(tok, textos, vocabulario, especiales),
                                 unk_token="[UNK]")
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)]
    )
    return PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                                   sep_token="[SEP]", mask_token="[MASK]", model_max_length=contexto)


#: Las letras que continúan una palabra se entrenan como letras «disfrazadas» en esta zona de uso
#: privado de Unicode (U+F0000 + código de la letra), para que BPE las trate como otras letras.
_CONTINUACION = 0xF0000


def _vocabulario_wordpiece(tok, textos: list[str], vocabulario: int, especiales: list[str]) -> dict[str, int]:
    """El vocabulario de WordPiece, aprendido de forma reproducible.

    ``WordPieceTrainer`` es BPE con el prefijo «##», pero numera las letras «##a», «##b»… en un
    orden que cambia en cada ejecución, y con él los empates entre fusiones: dos entrenamientos
    con el mismo texto daban vocabularios distintos (y mini BERT distintos). Aquí las letras de
    continuación se disfrazan de letras propias, BPE (que sí ordena su alfabeto) aprende las
    fusiones, y al final el disfraz se cambia por «##». Es el mismo algoritmo, sin azar.
    """
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    def disfrazar(palabra: str) -> str:
        return palabra[0] + "".join(chr(_CONTINUACION + ord(c)) for c in palabra[1:])

    def palabras():
        for texto in textos:
            trozos = tok.pre_tokenizer.pre_tokenize_str(tok.normalizer.normalize_str(texto))
            yield " ".join(disfrazar(p) for p, _ in trozos)

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    bpe.train_from_iterator(palabras(), trainers.BpeTrainer(vocab_size=vocabulario, special_tokens=especiales,
                                                             show_progress=False))

    def quitar_disfraz(pieza: str) -> str:
        prefijo = "##" if ord(pieza[0]) >= _CONTINUACION else ""  # empieza a mitad de palabra
        return prefijo + "".join(chr(ord(c) - _CONTINUACION) if ord(c) >= _CONTINUACION else c for c in pieza)

    por_id = sorted(bpe.get_vocab().items(), key=lambda x: x[1])
    return {quitar_disfraz(pieza): i for i, (pieza, _) in enumerate(por_id)}


def tokens_por_palabra(tokenizador, textos: list[str]) -> float:
    """Cuántos tokens produce el tokenizador por cada palabra (separada por espacios)."""
    tokens = sum(len(tokenizador(t, add_special_tokens=False)["input_ids"]) for t in textos)
    palabras = sum(len(t.split()) for t in textos)
    return tokens / max(palabras, 1)


# ---------------------------------------------------------------- datos empaquetados

def flujo_de_ids(tokenizador, textos: list[str]):
    """Todos los textos tokenizados y unidos en un solo tensor, separados por el token de fin."""
    import torch

    fin = tokenizador.eos_token_id if tokenizador.eos_token_id is not None else tokenizador.sep_token_id
    ids: list[int] = []
    for lote in tokenizador(textos, add_special_tokens=False, verbose=False)["input_ids"]:
        ids.extend(lote)
        ids.append(fin)
    return torch.tensor(ids, dtype=torch.long)


def _lotes_aleatorios(flujo, contexto: int, lote: int, generador):
    """Un lote de ventanas de ``contexto`` tokens tomadas en posiciones al azar (reproducibles)."""
    import torch

    inicios = torch.randint(0, len(flujo) - contexto, (lote,), generator=generador)
    return torch.stack([flujo[i : i + contexto] for i in inicios.tolist()])


def _tasa(paso: int, config) -> float:
    """Calentamiento lineal y luego decaimiento coseno hasta el 10 %."""
    if paso < config.calentamiento:
        return config.tasa * (paso + 1) / config.calentamiento
    avance = (paso - config.calentamiento) / max(1, config.pasos - config.calentamiento)
    return config.tasa * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * avance)))


def _optimizador(modelo, config):
    import torch

    con, sin = [], []
    for nombre, p in modelo.named_parameters():
        (sin if p.ndim < 2 or "ln" in nombre or "LayerNorm" in nombre else con).append(p)
    return torch.optim.AdamW([{"params": con, "weight_decay": config.decaimiento_pesos},
                              {"params": sin, "weight_decay": 0.0}], lr=config.tasa, betas=(0.9, 0.98))


def _barra(total: int, descripcion: str, mostrar: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=descripcion, disable=not mostrar, mininterval=1.0)


def _bucle(modelo, config, perdida_del_paso, descripcion: str, progreso: bool) -> dict:
    """El bucle de entrenamiento común: tasa con calentamiento y coseno, recorte de gradiente, AdamW.

    ``perdida_del_paso()`` arma un lote y devuelve su pérdida. Devuelve las métricas comunes:
    curva de pérdida, segundos del bucle, tokens por segundo y parámetros.
    """
    import torch

    modelo.train()
    opt = _optimizador(modelo, config)
    curva: list[float] = []
    inicio = time.perf_counter()
    with _barra(config.pasos, descripcion, progreso) as barra:
        for paso in range(config.pasos):
            for grupo in opt.param_groups:
                grupo["lr"] = _tasa(paso, config)
            perdida = perdida_del_paso()
            perdida.backward()
            torch.nn.utils.clip_grad_norm_(modelo.parameters(), 1.0)
            opt.step()
            opt.zero_grad(set_to_none=True)
            curva.append(round(perdida.item(), 4))
            barra.update(1)
            if paso % 50 == 0:
                barra.set_postfix(pérdida=f"{perdida.item():.2f}")
    modelo.eval()
    segundos = time.perf_counter() - inicio
    return {"curva_perdida": curva, "segundos_bucle": segundos,
            "tokens_por_segundo": config.pasos * config.lote * config.contexto / segundos,
            "parametros": sum(p.numel() for p in modelo.parameters())}


@contextmanager
def _reproducible(config):
    """Semilla de ``config`` y sus hilos de CPU mientras dura el entrenamiento (luego, los de antes)."""
    import torch

    torch.manual_seed(config.semilla)
    hilos_antes = torch.get_num_threads()
    torch.set_num_threads(config.hilos)
    try:
        yield
    finally:
        torch.set_num_threads(hilos_antes)


def perdida_validacion_gpt(modelo, flujo, contexto: int, lote: int = 32) -> float:
    """Pérdida media por token en ventanas consecutivas (sin solaparse) del flujo de validación."""
    import torch

    n = (len(flujo) - 1) // contexto
    ventanas = flujo[: n * contexto].view(n, contexto)
    total, cuenta = 0.0, 0
    estaba_entrenando = modelo.training
    modelo.eval()
    with torch.no_grad():
        for i in range(0, n, lote):
            x = ventanas[i : i + lote]
            salida = modelo(input_ids=x, labels=x)
            tokens = x.numel() - x.shape[0]  # la pérdida predice desde la 2.ª posición
            total += salida.loss.item() * tokens
            cuenta += tokens
    modelo.train(estaba_entrenando)
    return total / cuenta


# ---------------------------------------------------------------- GPT

def entrenar_gpt(config: ConfigGPT, textos_train: list[str], textos_val: list[str], progreso: bool = True):
    """Entrena tokenizador y modelo; devuelve ``(modelo, tokenizador, métricas)``."""
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    with _reproducible(config):
        inicio = time.perf_counter()
        tok = entrenar_tokenizador_bpe(textos_train, config.vocabulario, config.contexto)
        flujo = flujo_de_ids(tok, textos_train)
        flujo_val = flujo_de_ids(tok, textos_val)
        modelo = GPT2LMHeadModel(GPT2Config(
            vocab_size=len(tok), n_positions=config.contexto, n_embd=config.dim, n_layer=config.capas,
            n_head=config.cabezas, bos_token_id=tok.eos_token_id, eos_token_id=tok.eos_token_id,
            resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
            # la misma GELU aproximada de GPT-2, pero en un solo núcleo de PyTorch: ~15 % más rápida en CPU
            activation_function="gelu_pytorch_tanh",
        ))
        modelo.loss_type = "ForCausalLM"  # sin esto, transformers 5 avisa en cada carga de pérdida
        generador = torch.Generator().manual_seed(config.semilla)

        def perdida_del_paso():
            x = _lotes_aleatorios(flujo, config.contexto, config.lote, generador)
            return modelo(input_ids=x, labels=x).loss

        metricas = _bucle(modelo, config, perdida_del_paso, "Entrenando el mini GPT-2", progreso)
        val = perdida_validacion_gpt(modelo, flujo_val, config.contexto)
        metricas |= {
            "perdida_validacion": val, "perplejidad_validacion": math.exp(val),
            "segundos_total": time.perf_counter() - inicio,
            "tokens_entrenamiento": len(flujo), "tokens_validacion": len(flujo_val),
        }
        return modelo, tok, metricas


# ---------------------------------------------------------------- BERT

def _enmascarar(x, tok, prob: float, generador):
    """Enmascara como BERT: del ``prob`` elegido, 80 % [MASK], 10 % token al azar, 10 % igual."""
    import torch

    etiquetas = x.clone()
    especiales = (x == tok.cls_token_id) | (x == tok.sep_token_id) | (x == tok.pad_token_id)
    elegidos = (torch.rand(x.shape, generator=generador) < prob) & ~especiales
    etiquetas[~elegidos] = -100
    x = x.clone()
    dado = torch.rand(x.shape, generator=generador)
    x[elegidos & (dado < 0.8)] = tok.mask_token_id
    azar = elegidos & (dado >= 0.8) & (dado < 0.9)
    x[azar] = torch.randint(5, len(tok), (int(azar.sum()),), generator=generador)
    return x, etiquetas


def _ventanas_bert(flujo, contexto: int, tok):
    """Ventanas de ``contexto`` tokens: [CLS] + trozo del flujo + [SEP]."""
    import torch

    cuerpo = contexto - 2
    n = len(flujo) // cuerpo
    trozos = flujo[: n * cuerpo].view(n, cuerpo)
    cls = torch.full((n, 1), tok.cls_token_id)
    sep = torch.full((n, 1), tok.sep_token_id)
    return torch.cat([cls, trozos, sep], dim=1)


def entrenar_bert(config: ConfigBERT, textos_train: list[str], textos_val: list[str], progreso: bool = True):
    """Entrena tokenizador WordPiece y el codificador (``RoFormerForMaskedLM``, un BERT con
    posiciones rotatorias); devuelve ``(modelo, tokenizador, métricas)``."""
    import torch
    from transformers import RoFormerConfig, RoFormerForMaskedLM

    with _reproducible(config):
        inicio = time.perf_counter()
        tok = entrenar_tokenizador_wordpiece(textos_train, config.vocabulario, config.contexto)
        flujo = flujo_de_ids(tok, textos_train)
        ventanas = _ventanas_bert(flujo, config.contexto, tok)
        modelo = RoFormerForMaskedLM(RoFormerConfig(
            vocab_size=len(tok), embedding_size=config.dim, hidden_size=config.dim,
            num_hidden_layers=config.capas, num_attention_heads=config.cabezas,
            intermediate_size=4 * config.dim, max_position_embeddings=config.contexto,
            pad_token_id=tok.pad_token_id, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
        ))
        generador = torch.Generator().manual_seed(config.semilla)

        def perdida_del_paso():
            indices = torch.randint(0, len(ventanas), (config.lote,), generator=generador)
            x, etiquetas = _enmascarar(ventanas[indices], tok, config.prob_mascara, generador)
            # Los logits solo hacen falta donde hay máscara (el 30 %): la capa de salida sobre
            # todo el vocabulario es la multiplicación más cara del modelo.
            ocultos = modelo.roformer(input_ids=x).last_hidden_state
            elegidos = etiquetas != -100
            return torch.nn.functional.cross_entropy(modelo.cls(ocultos[elegidos]), etiquetas[elegidos])

        metricas = _bucle(modelo, config, perdida_del_paso, "Entrenando el mini BERT", progreso)
        metricas |= {"segundos_total": time.perf_counter() - inicio, "tokens_entrenamiento": len(flujo)}
        return modelo, tok, metricas


# ---------------------------------------------------------------- caché

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
            indent=1, ensure_ascii=False))
        if carpeta.exists():
            shutil.rmtree(carpeta)
        temporal.rename(carpeta)
    except PermissionError as error:
        raise _sin_permiso(carpeta.parent, error) from None
    return carpeta


def metricas_de(carpeta: str | Path) -> dict:
    """Las métricas de entrenamiento guardadas junto a un modelo local."""
    return json.loads((Path(carpeta) / MARCA).read_text(encoding="utf-8"))["metricas"]


def gpt_local(progreso: bool = True) -> Path:
    return construir_en_cache("gpt2-es", ConfigGPT(), entrenar_gpt, progreso)


def bert_local(progreso: bool = True) -> Path:
    return construir_en_cache("bert", ConfigBERT(), entrenar_bert, progreso)
