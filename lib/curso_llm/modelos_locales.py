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

import math
import time
from dataclasses import dataclass
from pathlib import Path

# Las piezas viven en un módulo por concepto; se reexportan aquí para quien ya las usaba.
from .cache_modelos import MARCA, VERSION_RECETA, _versiones, construir_en_cache, huella, metricas_de  # noqa: F401
from .entrenamiento import (  # noqa: F401
    _bucle,
    _lotes_aleatorios,
    _optimizador,
    _reproducible,
    _tasa,
    flujo_de_ids,
    perdida_validacion_gpt,
)
from .tokenizadores import (  # noqa: F401
    FIN,
    _vocabulario_wordpiece,
    entrenar_tokenizador_bpe,
    entrenar_tokenizador_wordpiece,
    tokens_por_palabra,
)


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


# ---------------------------------------------------------------- GPT

def modelo_gpt(config: ConfigGPT, tok):
    """El mini GPT-2 de ``config``, sin entrenar, para el tokenizador ``tok`` (pesos de la semilla
    que esté fijada: llámalo dentro de ``_reproducible``). Lo usan ``entrenar_gpt`` y bench/."""
    from transformers import GPT2Config, GPT2LMHeadModel

    modelo = GPT2LMHeadModel(GPT2Config(
        vocab_size=len(tok), n_positions=config.contexto, n_embd=config.dim, n_layer=config.capas,
        n_head=config.cabezas, bos_token_id=tok.eos_token_id, eos_token_id=tok.eos_token_id,
        resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
        # la misma GELU aproximada de GPT-2, pero en un solo núcleo de PyTorch: ~15 % más rápida en CPU
        activation_function="gelu_pytorch_tanh",
    ))
    modelo.loss_type = "ForCausalLM"  # sin esto, transformers 5 avisa en cada carga de pérdida
    return modelo


def entrenar_gpt(config: ConfigGPT, textos_train: list[str], textos_val: list[str], progreso: bool = True):
    """Entrena tokenizador y modelo; devuelve ``(modelo, tokenizador, métricas)``."""
    import torch

    with _reproducible(config):
        inicio = time.perf_counter()
        tok = entrenar_tokenizador_bpe(textos_train, config.vocabulario, config.contexto)
        flujo = flujo_de_ids(tok, textos_train)
        flujo_val = flujo_de_ids(tok, textos_val)
        modelo = modelo_gpt(config, tok)
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


def gpt_local(progreso: bool = True) -> Path:
    return construir_en_cache("gpt2-es", ConfigGPT(), entrenar_gpt, progreso)


def bert_local(progreso: bool = True) -> Path:
    return construir_en_cache("bert", ConfigBERT(), entrenar_bert, progreso)


# ---------------------------------------------------------------- chat-es (local)

@dataclass(frozen=True)
class ConfigChat:
    """El mini GPT-2 instruido: el modelo base (su carpeta, con su hash), los pares del curso y la
    receta del ajuste con instrucciones (la misma que el capítulo 6 muestra paso a paso)."""

    base: str = ""  # nombre de la carpeta del mini GPT-2 en la caché (lleva su hash)
    datos: str = ""  # hash de instrucciones.jsonl
    pasos: int = 150
    tasa: float = 1e-3
    lote: int = 8
    contexto: int = 128
    semilla: int = 42
    hilos: int = 2


def entrenar_chat(config: ConfigChat, _textos_train=None, _textos_val=None, progreso: bool = True):
    """SFT con TRL del mini GPT-2 sobre ``instrucciones-es`` (parte train). Devuelve
    ``(modelo, tokenizador, métricas)``; el tokenizador lleva la plantilla de chat del curso."""
    import tempfile

    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    from .ajuste import usar_barra_del_curso
    from .cache_modelos import carpeta_cache
    from .instrucciones import a_conversaciones, cuota_de_plantilla, instrucciones_local, poner_plantilla_de_chat, responder

    with _reproducible(config), tempfile.TemporaryDirectory() as salida:
        inicio = time.perf_counter()
        base = carpeta_cache() / "modelos" / config.base
        tok = AutoTokenizer.from_pretrained(base)
        poner_plantilla_de_chat(tok)
        modelo = AutoModelForCausalLM.from_pretrained(base)
        pares = instrucciones_local()
        args = SFTConfig(output_dir=salida, max_steps=config.pasos, learning_rate=config.tasa,
                         per_device_train_batch_size=config.lote, max_length=config.contexto, seed=config.semilla,
                         use_cpu=True, bf16=False, report_to="none", save_strategy="no", logging_steps=25,
                         disable_tqdm=not progreso)
        trainer = SFTTrainer(model=modelo, args=args, train_dataset=a_conversaciones(pares["train"]),
                             processing_class=tok)
        if progreso:
            usar_barra_del_curso(trainer)
        trainer.train()
        modelo.eval()
        cuota = cuota_de_plantilla(responder(modelo, tok, pares["test"]["instruccion"]))
        perdidas = [r["loss"] for r in trainer.state.log_history if "loss" in r]
        return modelo, tok, {"curva_perdida": perdidas, "cuota_plantilla_prueba": cuota,
                             "segundos_total": time.perf_counter() - inicio}


def chat_local(progreso: bool = True) -> Path:
    from .instrucciones import ARCHIVO_INSTRUCCIONES, huella_archivo

    base = gpt_local(progreso)
    config = ConfigChat(base=base.name, datos=huella_archivo(ARCHIVO_INSTRUCCIONES))
    return construir_en_cache("chat-es", config, entrenar_chat, progreso)
