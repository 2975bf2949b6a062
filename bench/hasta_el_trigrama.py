"""¿Cuántos minutos de CPU necesita el mini GPT-2 para igualar al trigrama Kneser–Ney?

Uso:  .venv/bin/python bench/hasta_el_trigrama.py [--pasos 3300] [--cada 100] [--tasa 3e-3] [--lote 8]

Entrena con la receta de ``preparar`` (``ConfigGPT``, con los pasos, la tasa y el lote que se pidan:
el coseno se estira a los pasos pedidos) y cada ``--cada`` pasos mide la perplejidad en toda la
validación. Se detiene en cuanto la perplejidad es menor o igual que la del trigrama KN (misma
partición, mismo tokenizador) e imprime los segundos de entrenamiento hasta ahí (sin contar las
validaciones). Los tiempos dependen de la máquina y de su carga: dilo al informar.
"""

from __future__ import annotations

import argparse
import json
import math
import time


class _Alcanzado(Exception):
    pass


def main() -> None:
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    from curso_llm import modelos_locales as ml
    from curso_llm.corpus import leer_corpus
    from curso_llm.entrenamiento import _bucle, _lotes_aleatorios, _reproducible, flujo_de_ids, perdida_validacion_gpt
    from curso_llm.ngramas import KneserNey

    p = argparse.ArgumentParser()
    p.add_argument("--pasos", type=int, default=3300)
    p.add_argument("--cada", type=int, default=100)
    p.add_argument("--tasa", type=float, default=ml.ConfigGPT().tasa)
    p.add_argument("--lote", type=int, default=ml.ConfigGPT().lote)
    args = p.parse_args()
    config = ml.ConfigGPT(pasos=args.pasos, tasa=args.tasa, lote=args.lote)

    partes = leer_corpus()
    with _reproducible(config):
        tok = ml.entrenar_tokenizador_bpe(partes["train"], config.vocabulario, config.contexto)
        flujo = flujo_de_ids(tok, partes["train"])
        flujo_val = flujo_de_ids(tok, partes["validation"])
        trigrama = KneserNey(flujo.tolist(), 3, len(tok)).perplejidad(flujo_val.tolist())
        # El mismo modelo que entrenar_gpt (modelos_locales.py).
        modelo = GPT2LMHeadModel(GPT2Config(
            vocab_size=len(tok), n_positions=config.contexto, n_embd=config.dim, n_layer=config.capas,
            n_head=config.cabezas, bos_token_id=tok.eos_token_id, eos_token_id=tok.eos_token_id,
            resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0, activation_function="gelu_pytorch_tanh",
        ))
        modelo.loss_type = "ForCausalLM"
        generador = torch.Generator().manual_seed(config.semilla)
        registro = []

        def perdida_del_paso():
            x = _lotes_aleatorios(flujo, config.contexto, config.lote, generador)
            return modelo(input_ids=x, labels=x).loss

        def tras_el_paso(pasos, segundos):
            if pasos % args.cada and pasos != config.pasos:
                return
            ppl = math.exp(perdida_validacion_gpt(modelo, flujo_val, config.contexto))
            registro.append({"pasos": pasos, "segundos": round(segundos, 1), "perplejidad": round(ppl, 2)})
            print(f"paso {pasos:>5}  {segundos:7.1f} s  perplejidad {ppl:7.2f}  (trigrama {trigrama:.2f})", flush=True)
            if ppl <= trigrama:
                raise _Alcanzado

        inicio = time.perf_counter()
        try:
            _bucle(modelo, config, perdida_del_paso, "Hasta el trigrama", False, tras_el_paso)
            alcanzado = None
        except _Alcanzado:
            alcanzado = registro[-1]
    print(json.dumps({"config": vars(args), "trigrama": round(trigrama, 2), "alcanzado": alcanzado,
                      "registro": registro, "segundos_reloj": round(time.perf_counter() - inicio, 1)},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
