"""Una caché del Hugging Face Hub con copias fieles (en forma) de los repositorios del curso.

Cada repositorio tiene la misma disposición de archivos, los mismos formatos, tipos de dato y
claves de configuración que el real (ver ``tests/HECHOS_DEL_HUB.md``, con la fuente de cada
dato), pero pesos aleatorios diminutos. Con ``HF_HUB_OFFLINE=1`` y ``HF_HUB_CACHE`` apuntando
aquí, el modo hub del curso corre de verdad sin red: ``from_pretrained("DeepESP/gpt2-spanish")``
lee un ``pytorch_model.bin`` en float16 y un tokenizador sin ``tokenizer.json``, como en Colab.

Uso desde la línea de órdenes (para ejecutar un capítulo a mano en modo hub)::

    python tests/hub_falso.py /tmp/hub
    CURSO_LLM_MODO=hub HF_HUB_OFFLINE=1 HF_HUB_CACHE=/tmp/hub jupyter nbconvert --execute …
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

COMMIT = "c0ffee0000000000000000000000000000c0ffee"

#: Los 11 tokens especiales de DeepESP/gpt2-spanish.
ESPECIALES_DEEPESP = ["<|endoftext|>", "<|talk|>"] + [f"<|ax{i}|>" for i in range(1, 10)]
VOCAB_GPT2 = 50257
VOCAB_BETO = 31002
FILAS_SESGO_HUB = 1914

#: Variantes de BETO que la caché sabe escribir: su config puede traer o no ``model_type``.
VARIANTES_BETO = ("sin_model_type", "con_model_type")


def _instantanea(cache: Path, repo_id: str, tipo: str = "models") -> Path:
    carpeta = cache / f"{tipo}--{repo_id.replace('/', '--')}"
    instantanea = carpeta / "snapshots" / COMMIT
    instantanea.mkdir(parents=True, exist_ok=True)
    (carpeta / "refs").mkdir(parents=True, exist_ok=True)
    (carpeta / "refs" / "main").write_text(COMMIT)
    return instantanea


def _escribir_json(ruta: Path, datos: dict) -> None:
    ruta.write_text(json.dumps(datos, indent=2, ensure_ascii=False), encoding="utf-8")


def _textos_del_corpus() -> list[str]:
    from curso_llm.corpus import leer_corpus

    return leer_corpus()["train"][:200]


def _bpe_gpt2(especiales: list[str]) -> tuple[dict[str, int], list[str]]:
    """Un vocabulario BPE por bytes de 50 257 entradas y sus fusiones, como los de GPT-2.

    Las fusiones se aprenden del corpus del curso; el vocabulario se completa con piezas de relleno
    (que ninguna fusión produce) hasta el tamaño real, y los especiales van al final, con
    ``<|endoftext|>`` en el 50 256 como en GPT-2.
    """
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.train_from_iterator(_textos_del_corpus(), trainers.BpeTrainer(
        vocab_size=2000, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False))
    datos = json.loads(tok.to_str())["model"]
    vocab = dict(sorted(datos["vocab"].items(), key=lambda kv: kv[1]))
    fusiones = [m if isinstance(m, str) else " ".join(m) for m in datos["merges"]]
    siguiente = len(vocab)
    otros = [e for e in especiales if e != "<|endoftext|>"]
    while siguiente < VOCAB_GPT2 - 1 - len(otros):
        vocab[f"ĠrellenoĠ{siguiente}"] = siguiente
        siguiente += 1
    for e in otros + ["<|endoftext|>"]:
        vocab[e] = siguiente
        siguiente += 1
    assert len(vocab) == VOCAB_GPT2 and vocab["<|endoftext|>"] == VOCAB_GPT2 - 1
    return vocab, fusiones


def _config_gpt2(**extra) -> dict:
    # Las claves de config.json de GPT-2 en el Hub, con dimensiones diminutas.
    return {
        "activation_function": "gelu_new", "architectures": ["GPT2LMHeadModel"], "attn_pdrop": 0.1,
        "bos_token_id": 50256, "embd_pdrop": 0.1, "eos_token_id": 50256, "initializer_range": 0.02,
        "layer_norm_epsilon": 1e-05, "model_type": "gpt2", "n_ctx": 1024, "n_embd": 32, "n_head": 4,
        "n_layer": 2, "n_positions": 1024, "resid_pdrop": 0.1, "summary_activation": None,
        "summary_first_dropout": 0.1, "summary_proj_to_labels": True, "summary_type": "cls_index",
        "summary_use_proj": True, "vocab_size": VOCAB_GPT2, **extra,
    }


def _pesos_gpt2(config: dict, dtype):
    """Pesos aleatorios con los nombres del checkpoint de GPT-2 (sin ``lm_head``: van atados)."""
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    modelo = GPT2LMHeadModel(GPT2Config(**{k: v for k, v in config.items() if k != "architectures"}))
    estado = {k.removeprefix("transformer."): v.to(dtype).contiguous()
              for k, v in modelo.state_dict().items() if not k.startswith("lm_head")}
    return estado


def _deepesp(cache: Path) -> None:
    import torch

    carpeta = _instantanea(cache, "DeepESP/gpt2-spanish")
    vocab, fusiones = _bpe_gpt2(ESPECIALES_DEEPESP)
    _escribir_json(carpeta / "vocab.json", vocab)
    (carpeta / "merges.txt").write_text("#version: 0.2\n" + "\n".join(fusiones) + "\n", encoding="utf-8")
    config = _config_gpt2(task_specific_params={"text-generation": {"do_sample": True, "max_length": 50}})
    _escribir_json(carpeta / "config.json", config)
    _escribir_json(carpeta / "special_tokens_map.json", {
        "bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<|endoftext|>",
        "additional_special_tokens": ESPECIALES_DEEPESP[1:]})
    _escribir_json(carpeta / "tokenizer_config.json", {"model_max_length": 1024})
    # Solo pytorch_model.bin, en float16 (así está en el Hub: 261 499 792 bytes).
    torch.save(_pesos_gpt2(config, torch.float16), carpeta / "pytorch_model.bin")


def _gpt2_openai(cache: Path) -> None:
    from safetensors.torch import save_file
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors
    import torch

    carpeta = _instantanea(cache, "openai-community/gpt2")
    vocab, fusiones = _bpe_gpt2(["<|endoftext|>"])
    _escribir_json(carpeta / "vocab.json", vocab)
    (carpeta / "merges.txt").write_text("#version: 0.2\n" + "\n".join(fusiones) + "\n", encoding="utf-8")
    tok = Tokenizer(models.BPE(vocab=vocab, merges=[tuple(m.split(" ")) for m in fusiones]))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    tok.add_special_tokens(["<|endoftext|>"])
    tok.save(str(carpeta / "tokenizer.json"))
    config = _config_gpt2(task_specific_params={"text-generation": {"do_sample": True, "max_length": 50}})
    _escribir_json(carpeta / "config.json", config)
    _escribir_json(carpeta / "generation_config.json", {"bos_token_id": 50256, "eos_token_id": 50256})
    _escribir_json(carpeta / "tokenizer_config.json", {"model_max_length": 1024})
    save_file(_pesos_gpt2(config, torch.float32), str(carpeta / "model.safetensors"), metadata={"format": "pt"})


def _beto(cache: Path, variante: str) -> None:
    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers
    from transformers import BertConfig, BertForMaskedLM

    if variante not in VARIANTES_BETO:
        raise ValueError(variante)
    carpeta = _instantanea(cache, "dccuchile/bert-base-spanish-wwm-cased")
    especiales = ["[MASK]", "[PAD]", "[UNK]", "[CLS]", "[SEP]"]
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=False, strip_accents=False)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.train_from_iterator(_textos_del_corpus(), trainers.WordPieceTrainer(
        vocab_size=3000, special_tokens=especiales, show_progress=False))
    piezas = [p for p, _ in sorted(tok.get_vocab().items(), key=lambda kv: kv[1])]
    piezas += [f"[unused{i}]" for i in range(VOCAB_BETO - len(piezas))]
    (carpeta / "vocab.txt").write_text("\n".join(piezas) + "\n", encoding="utf-8")
    config = {
        "architectures": ["BertForMaskedLM"], "attention_probs_dropout_prob": 0.1, "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1, "hidden_size": 32, "initializer_range": 0.02, "intermediate_size": 64,
        "layer_norm_eps": 1e-12, "max_position_embeddings": 512, "num_attention_heads": 4,
        "num_hidden_layers": 2, "output_past": True, "pad_token_id": 1, "type_vocab_size": 2,
        "vocab_size": VOCAB_BETO,
    }
    if variante == "con_model_type":
        config["model_type"] = "bert"
    _escribir_json(carpeta / "config.json", config)
    # El tokenizer_config publicado no dice do_lower_case (y BertTokenizer pasaría todo a minúsculas).
    _escribir_json(carpeta / "tokenizer_config.json", {"max_len": 512})
    _escribir_json(carpeta / "special_tokens_map.json", {
        "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]",
        "mask_token": "[MASK]"})
    torch.manual_seed(0)
    modelo = BertForMaskedLM(BertConfig(**{k: v for k, v in config.items() if k != "architectures"}))
    torch.save({k: v.contiguous() for k, v in modelo.state_dict().items()}, carpeta / "pytorch_model.bin")


def _fila_argilla(texto: str, etiqueta: str, n: int) -> dict:
    return {
        "text": texto, "inputs": {"text": texto},
        "prediction": [{"label": etiqueta, "score": 1.0}], "prediction_agent": "humano",
        "annotation": None, "annotation_agent": None, "multi_label": False, "explanation": None,
        "id": f"{n:06d}", "metadata": None, "status": "Default", "event_timestamp": None,
        "metrics": {"text_length": len(texto)},
    }


def filas_sesgo_hub() -> list[dict]:
    """Las 1 914 filas con la forma de ``argilla/twitter-genderbias`` (textos del curso, repetidos)."""
    from curso_llm.corpus import _filas_sesgo

    locales = _filas_sesgo()
    # Las dos clases intercaladas, como llegan en el Hub (no ordenadas por etiqueta).
    por_clase = [[f for f in locales if f[1] == e] for e in (1, 0)]
    mezcladas = [f for par in zip(*por_clase) for f in par]
    etiquetas = {0: "non-biased", 1: "biased"}
    return [_fila_argilla(mezcladas[i % len(mezcladas)][0], etiquetas[mezcladas[i % len(mezcladas)][1]], i)
            for i in range(FILAS_SESGO_HUB)]


def _sesgo(cache: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    carpeta = _instantanea(cache, "argilla/twitter-genderbias", "datasets")
    (carpeta / "data").mkdir(exist_ok=True)
    pq.write_table(pa.Table.from_pylist(filas_sesgo_hub()),
                   carpeta / "data" / "train-00000-of-00001-65ba2fb784410782.parquet")
    (carpeta / "README.md").write_text("---\nlanguage:\n- es\n---\n# twitter-genderbias\n", encoding="utf-8")


def _fineweb(cache: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from curso_llm.corpus import leer_corpus

    carpeta = _instantanea(cache, "HuggingFaceFW/fineweb-2", "datasets")
    destino = carpeta / "data" / "spa_Latn" / "test"
    destino.mkdir(parents=True, exist_ok=True)
    textos = leer_corpus()["train"][:600]
    filas = [{"text": t, "id": f"<urn:uuid:{i:08d}>", "dump": "CC-MAIN-2024-10",
              "url": f"https://ejemplo.org/{i}", "date": "2024-03-01T00:00:00Z",
              "file_path": "s3://commoncrawl/…", "language": "spa", "language_score": 0.99,
              "language_script": "Latn", "minhash_cluster_size": 1, "top_langs": "{}"}
             for i, t in enumerate(textos)]
    pq.write_table(pa.Table.from_pylist(filas), destino / "000_00000.parquet", row_group_size=100)


#: La plantilla de chat de Qwen2.5 (ChatML), sin la parte de herramientas: sin mensaje de sistema,
#: pone el suyo por defecto, como la publicada.
PLANTILLA_QWEN = (
    "{%- if messages[0]['role'] != 'system' -%}"
    "{{ '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}"
    "{%- endif -%}"
    "{%- for m in messages -%}"
    "{{ '<|im_start|>' + m['role'] + '\\n' + m['content'] + '<|im_end|>' + '\\n' }}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{ '<|im_start|>assistant\\n' }}{%- endif -%}"
)


def _qwen(cache: Path) -> None:
    """Qwen/Qwen2.5-0.5B-Instruct: tokenizer.json con <|im_start|>/<|im_end|>, plantilla ChatML,
    fin = <|im_end|>, pesos en bfloat16 en model.safetensors, embeddings atados (como el real, pero
    con un vocabulario y unas dimensiones diminutos)."""
    import torch
    from safetensors.torch import save_file
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import Qwen2Config, Qwen2ForCausalLM

    carpeta = _instantanea(cache, "Qwen/Qwen2.5-0.5B-Instruct")
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(_textos_del_corpus(), trainers.BpeTrainer(
        vocab_size=2000, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False))
    tok.add_special_tokens(["<|endoftext|>", "<|im_start|>", "<|im_end|>"])
    tok.save(str(carpeta / "tokenizer.json"))
    fin, relleno = tok.token_to_id("<|im_end|>"), tok.token_to_id("<|endoftext|>")
    _escribir_json(carpeta / "tokenizer_config.json", {
        "tokenizer_class": "Qwen2Tokenizer", "bos_token": None, "eos_token": "<|im_end|>",
        "pad_token": "<|endoftext|>", "model_max_length": 131072, "chat_template": PLANTILLA_QWEN,
        "additional_special_tokens": ["<|im_start|>", "<|im_end|>"]})
    config = {
        "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": 32,
        "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
        "num_key_value_heads": 2, "max_position_embeddings": 32768, "vocab_size": tok.get_vocab_size(),
        "tie_word_embeddings": True, "torch_dtype": "bfloat16", "bos_token_id": relleno,
        "eos_token_id": fin, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "hidden_act": "silu",
        "sliding_window": 32768, "use_sliding_window": False, "attention_dropout": 0.0,
    }
    _escribir_json(carpeta / "config.json", config)
    _escribir_json(carpeta / "generation_config.json", {
        "bos_token_id": relleno, "eos_token_id": [fin, relleno], "pad_token_id": relleno, "do_sample": True,
        "temperature": 0.7, "top_p": 0.8, "top_k": 20, "repetition_penalty": 1.05})
    torch.manual_seed(0)
    modelo = Qwen2ForCausalLM(Qwen2Config(**{k: v for k, v in config.items() if k != "architectures"}))
    estado = {k: v.to(torch.bfloat16).contiguous() for k, v in modelo.state_dict().items() if k != "lm_head.weight"}
    save_file(estado, str(carpeta / "model.safetensors"), metadata={"format": "pt"})


REPOSITORIOS = ("gpt2-es", "gpt2", "bert", "chat-es", "sesgo-genero", "web-es")


def construir_cache_hub(cache: Path, beto: str = "sin_model_type", solo: tuple[str, ...] = REPOSITORIOS) -> Path:
    """Escribe en ``cache`` los repositorios del curso (por nombre del curso) y devuelve la carpeta."""
    cache = Path(cache)
    cache.mkdir(parents=True, exist_ok=True)
    escritores = {"gpt2-es": _deepesp, "gpt2": _gpt2_openai, "bert": lambda c: _beto(c, beto), "chat-es": _qwen,
                  "sesgo-genero": _sesgo, "web-es": _fineweb}
    for nombre in solo:
        escritores[nombre](cache)
    return cache


def entorno_hub(cache: Path) -> dict[str, str]:
    """Variables para usar el modo hub contra esta caché, sin red."""
    return {"CURSO_LLM_MODO": "hub", "HF_HUB_OFFLINE": "1", "HF_HUB_CACHE": str(cache)}


if __name__ == "__main__":
    destino = construir_cache_hub(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/hub_falso"))
    print(f"Caché del Hub falsa en {destino}. Úsala con: " +
          " ".join(f"{k}={v}" for k, v in entorno_hub(destino).items()))
