"""Benchmarks de los recursos locales del curso (no forman parte de las pruebas).

Uso:  .venv/bin/python bench/medir.py [--salida bench/resultados.json]

Cada medida corre en un proceso propio (para medir su memoria pico) y con una caché
nueva. Mide: pico fp32 de matmul de esta máquina, tokens por palabra con 2k/4k/8k de
vocabulario, entrenamiento del mini GPT-2 (tokens/s, MFU, perplejidad frente a
n-gramas), mini BERT (exactitud top-5 en fill-mask), carga desde caché y
`python -m curso_llm preparar` en frío.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AQUI = Path(__file__).resolve().parent


def pico_matmul(hilos: int = 2) -> float:
    """GFLOPS fp32 de la mejor multiplicación de matrices cuadradas en ``hilos`` hilos."""
    import torch

    torch.set_num_threads(hilos)
    mejor = 0.0
    for n in (1024, 2048):
        a, b = torch.randn(n, n), torch.randn(n, n)
        for _ in range(3):
            a @ b
        for _ in range(3):
            inicio = time.perf_counter()
            for _ in range(5):
                a @ b
            mejor = max(mejor, 2 * n**3 * 5 / (time.perf_counter() - inicio) / 1e9)
    return mejor


def flops_por_token(modelo, contexto: int) -> float:
    """6·N (sin embeddings de posición, que no multiplican) + atención 12·L·d·T (PaLM, apéndice B)."""
    cfg = modelo.config
    n = sum(p.numel() for nombre, p in modelo.named_parameters() if "wpe" not in nombre and "position" not in nombre)
    capas = getattr(cfg, "n_layer", None) or cfg.num_hidden_layers
    dim = getattr(cfg, "n_embd", None) or cfg.hidden_size
    return 6 * n + 12 * capas * dim * contexto


def parte_tokenizadores() -> dict:
    from curso_llm import corpus, modelos_locales as ml

    p = corpus.leer_corpus()
    return {str(v): round(ml.tokens_por_palabra(ml.entrenar_tokenizador_bpe(p["train"], v), p["validation"]), 3)
            for v in (2048, 4096, 8192)}


def parte_gpt() -> dict:
    import torch
    from transformers import pipeline

    sys.path.insert(0, str(AQUI))
    from curso_llm.ngramas import KneserNey, perplejidad_unigrama

    from curso_llm import corpus, modelos_locales as ml

    inicio = time.perf_counter()
    carpeta = ml.gpt_local(progreso=False)
    segundos = time.perf_counter() - inicio
    met = ml.metricas_de(carpeta)
    from transformers import AutoModelForCausalLM, AutoTokenizer

    modelo = AutoModelForCausalLM.from_pretrained(carpeta)
    tok = AutoTokenizer.from_pretrained(carpeta)
    config = ml.ConfigGPT()
    p = corpus.leer_corpus()
    tr = ml.flujo_de_ids(tok, p["train"]).tolist()
    va = ml.flujo_de_ids(tok, p["validation"]).tolist()
    pico = pico_matmul(config.hilos)
    gflops = flops_por_token(modelo, config.contexto) * met["tokens_por_segundo"] / 1e9
    generador = pipeline("text-generation", model=str(carpeta))
    muestras = []
    for i, inicio_texto in enumerate(["La abuela abrió la puerta y", "En el mercado del pueblo", "Querida Marta:"]):
        torch.manual_seed(i)
        muestras.append(generador(inicio_texto, max_new_tokens=40, do_sample=True, top_p=0.9, temperature=0.8)[0]
                        ["generated_text"])
    return {
        "config": met.get("config") or ml.dataclasses.asdict(config), "segundos_construir": round(segundos, 1),
        "segundos_bucle": round(met["segundos_bucle"], 1), "parametros": met["parametros"],
        "tokens_por_segundo": round(met["tokens_por_segundo"]), "gflops": round(gflops, 1),
        "pico_gflops": round(pico, 1), "mfu": round(gflops / pico, 3),
        "perplejidad_gpt": round(met["perplejidad_validacion"], 2),
        "perplejidad_unigrama": round(perplejidad_unigrama(tr, va, len(tok)), 2),
        "perplejidad_kn_bigrama": round(KneserNey(tr, 2, len(tok)).perplejidad(va), 2),
        "perplejidad_kn_trigrama": round(KneserNey(tr, 3, len(tok)).perplejidad(va), 2),
        "tokens_entrenamiento": met["tokens_entrenamiento"], "tokens_validacion": met["tokens_validacion"],
        "muestras": muestras, "curva_perdida_cada_100": met["curva_perdida"][::100],
    }


#: Los archivos de la primera tanda del corpus (unos 460 KB); la segunda añadió algo más de 1 MB.
PRIMERA_TANDA = ("conversaciones", "cronicas", "divulgacion", "narrativa", "noticias_cartas")


def _con_menos_texto(train: list[str], validacion: list[str]) -> dict:
    from curso_llm import modelos_locales as ml

    _, _, met = ml.entrenar_gpt(ml.ConfigGPT(), train, validacion, progreso=False)
    return {"piezas_entrenamiento": len(train), "tokens_entrenamiento": met["tokens_entrenamiento"],
            "perplejidad_gpt": round(met["perplejidad_validacion"], 2)}


def parte_mitad() -> dict:
    """¿Cuánto ayuda tener más texto? El mismo entrenamiento con la mitad de las piezas."""
    from curso_llm import corpus

    p = corpus.leer_corpus()
    return _con_menos_texto(p["train"][: len(p["train"]) // 2], p["validation"])


def parte_primera_tanda() -> dict:
    """El mismo entrenamiento solo con las piezas de la primera tanda (misma validación completa)."""
    from curso_llm import corpus

    p = corpus.leer_corpus()
    primera = [t for nombre, ruta in corpus.archivos_corpus().items() if nombre in PRIMERA_TANDA
               for t in corpus.piezas(ruta.read_text(encoding="utf-8")) if corpus.parte_de(t) == "train"]
    return _con_menos_texto(primera, p["validation"])


def parte_bert() -> dict:
    import random
    from collections import Counter

    from transformers import pipeline

    from curso_llm import corpus, modelos_locales as ml

    inicio = time.perf_counter()
    carpeta = ml.bert_local(progreso=False)
    segundos = time.perf_counter() - inicio
    met = ml.metricas_de(carpeta)
    rellenar = pipeline("fill-mask", model=str(carpeta))
    tok = rellenar.tokenizer
    p = corpus.leer_corpus()
    # Palabras comunes (las 300 más frecuentes de entrenamiento que son un solo token).
    frecuencia = Counter(w for t in p["train"] for w in t.split() if w.isalpha())
    comunes = {w for w, _ in frecuencia.most_common(300) if len(tok.tokenize(w)) == 1}
    casos = []
    for texto in p["validation"]:
        for oracion in texto.replace("\n", " ").split(". "):
            palabras = oracion.split()
            for i, w in enumerate(palabras):
                if w in comunes and 6 <= len(palabras) <= 40:
                    casos.append((" ".join(palabras[:i] + [tok.mask_token] + palabras[i + 1 :]), w))
    # Solo frases que caben en el contexto del modelo (sus posiciones llegan hasta ahí).
    casos = [(f, w) for f, w in casos if len(tok(f)["input_ids"]) <= rellenar.model.config.max_position_embeddings]
    random.Random(0).shuffle(casos)
    casos = casos[:400]
    aciertos1 = aciertos5 = 0
    for frase, w in casos:
        top = [r["token_str"].strip() for r in rellenar(frase, top_k=5)]
        aciertos1 += top[0] == w
        aciertos5 += w in top
    ejemplos = {f: [r["token_str"] for r in rellenar(f, top_k=5)] for f in
                ["La abuela preparó la [MASK] para todos.", "Los niños juegan en la [MASK].",
                 "El perro corría por la [MASK] del pueblo."]}
    return {"segundos_construir": round(segundos, 1), "segundos_bucle": round(met["segundos_bucle"], 1),
            "parametros": met["parametros"], "tokens_por_segundo": round(met["tokens_por_segundo"]),
            "casos": len(casos), "top1": round(aciertos1 / len(casos), 3), "top5": round(aciertos5 / len(casos), 3),
            "ejemplos": ejemplos}


def parte_carga() -> dict:
    from transformers import AutoModel, AutoTokenizer, BertModel, GPT2Model  # noqa: F401 (importa antes de medir)

    from curso_llm import modelos_locales as ml

    tiempos = {}
    for nombre, funcion in [("gpt2-es", ml.gpt_local), ("bert", ml.bert_local)]:
        funcion(progreso=False)  # la primera vez entrena; lo que se mide es la carga desde caché
        inicio = time.perf_counter()
        carpeta = funcion(progreso=False)
        AutoModel.from_pretrained(carpeta)
        AutoTokenizer.from_pretrained(carpeta)
        tiempos[nombre] = round(time.perf_counter() - inicio, 3)
    return tiempos


def _en_proceso(parte: str, cache: str) -> dict:
    env = {**os.environ, "CURSO_LLM_CACHE": cache, "CURSO_LLM_MODO": "local"}
    inicio = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--parte", parte], capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"La parte {parte} falló:\n{proc.stderr[-3000:]}")
    datos = json.loads(proc.stdout.strip().splitlines()[-1])
    datos["segundos_proceso"] = round(time.perf_counter() - inicio, 1)
    return datos


def main() -> None:
    analizador = argparse.ArgumentParser()
    analizador.add_argument("--parte")
    analizador.add_argument("--salida", default=str(AQUI / "resultados.json"))
    args = analizador.parse_args()
    if args.parte:
        import resource

        funcion = {"tokenizadores": parte_tokenizadores, "gpt": parte_gpt, "bert": parte_bert,
                   "carga": parte_carga, "mitad": parte_mitad,
                   "primera_tanda": parte_primera_tanda}[args.parte]
        datos = funcion()
        datos["memoria_pico_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        print(json.dumps(datos, ensure_ascii=False))
        return
    resultados = {"maquina": {"procesador": platform.processor() or platform.machine(), "nucleos": os.cpu_count()}}
    with tempfile.TemporaryDirectory() as cache:
        resultados["tokenizadores"] = _en_proceso("tokenizadores", cache)
        resultados["gpt"] = _en_proceso("gpt", cache)
        resultados["bert"] = _en_proceso("bert", cache)
        resultados["carga"] = _en_proceso("carga", cache)
        resultados["mitad"] = _en_proceso("mitad", cache)
        resultados["primera_tanda"] = _en_proceso("primera_tanda", cache)
    with tempfile.TemporaryDirectory() as cache:
        inicio = time.perf_counter()
        subprocess.run([sys.executable, "-m", "curso_llm", "preparar"], check=True, capture_output=True,
                       env={**os.environ, "CURSO_LLM_CACHE": cache, "CURSO_LLM_MODO": "local"})
        resultados["preparar_frio_s"] = round(time.perf_counter() - inicio, 1)
    Path(args.salida).write_text(json.dumps(resultados, indent=1, ensure_ascii=False))
    print(json.dumps(resultados, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
